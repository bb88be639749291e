"""Files as the national systems export them, built from literals (fake names and NIKs, real kelurahan of
the demo's Bontang): for the ingest tests and the browser's upload of a national export."""

from __future__ import annotations

import openpyxl

# Bontang kelurahan as a Dinkes officer writes them; Gunung Elai is served by two Puskesmas.
ROWS = [  # (puskesmas, kelurahan as written, month cell, measured 0-23, measured 24-59, stunted)
    ("PKM Bontang Utara I", "Bontang Kuala", 1, 40, 60, 12),
    ("PKM Bontang Utara I", "Gn. Elai", 1, 20, 30, 5),
    ("PKM Bontang Utara II", "GUNUNG ELAI", 1, 10, 10, 3),
    ("PKM Bontang Utara I", "Bontang Kuala", "2.0", 42, 60, 11),
    ("PKM Bontang Utara I", "Gn. Elai", "2,0", 21, 30, 6),
    ("PKM Bontang Utara II", "GUNUNG ELAI", "2,0", 10, 12, 2),
    ("PKM Bontang Selatan I", "Kel. Tj. Laut", " 03 ", 50, 70, 9),
]
NAMES = {1: "No", 5: "Puskesmas", 6: "Kelurahan/Desa", 7: "Bulan", 8: "Jumlah sasaran balita",
         9: "Jumlah balita usia 0-23 bulan", 10: "Jumlah balita usia 24-59 bulan", 11: "Jumlah balita 0-59 bulan",
         18: "Diukur PB 0-23", 20: "Diukur TB 24-59", 22: "Jumlah balita diukur PB/TB", 38: "Jumlah balita stunting",
         24: "Ditimbang dan diukur 0-23", 26: "Ditimbang dan diukur 24-59", 28: "Ditimbang dan diukur 0-59",
         40: "Jumlah balita wasting", 12: "Ditimbang 0-23", 14: "Ditimbang 24-59", 16: "Jumlah balita ditimbang",
         44: "Jumlah balita underweight"}


def sigizi_file(path, rows=ROWS, title_year: int | None = 2026, broken_row: int | None = None):
    """A Daftar Entry as SIGIZI exports it: two title lines, the names row, the numbers row, the data, a total."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["LAPORAN DAFTAR ENTRY BALITA GIZI"])
    ws.append([f"KOTA BONTANG TAHUN {title_year}" if title_year else "KOTA BONTANG"])
    ws.append([NAMES.get(n, "") for n in range(1, 111)])
    ws.append([f"[{n}]" for n in range(1, 111)])
    for i, (pkm, name, month, young, old, stunted) in enumerate(rows, start=1):
        values = {n: 0 for n in range(8, 111)}
        values.update({1: i, 5: pkm, 6: name, 7: month, 8: young + old + 5,
                       9: young, 10: old, 11: young + old, 12: young, 14: old, 16: young + old,
                       18: young, 20: old, 22: young + old, 24: young, 26: old, 28: young + old,
                       38: stunted, 40: 1, 44: 2})
        if broken_row == i:
            values[11] = young + old + 1  # the export's own rule broken: [11] != [9] + [10]
        ws.append([values.get(n, "") for n in range(1, 111)])
    ws.append(["", "", "", "", "JUMLAH", ""] + [0] * 104)
    wb.save(path)
    return path


EPPGBM_HEADER = ["NIK", "Nama", "JK", "Tgl Lahir", "BB Lahir", "TB Lahir", "Nama Ortu", "Prov", "Kab/Kota", "Kec",
                 "Pukesmas", "Desa/Kel", "Posyandu", "RT", "RW", "Alamat", "Usia Saat Ukur", "Tanggal Pengukuran",
                 "Berat", "Tinggi", "Cara Ukur", "LiLA", "BB/U", "ZS BB/U", "TB/U", "ZS TB/U"]


def eppgbm_file(path, rows):
    """An e-PPGBM by-name export: the header in the first row, a row per child per measurement.
    rows: (nik, name, kelurahan as written, age text, measured on, TB/U, ZS TB/U)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(EPPGBM_HEADER)
    for nik, name, kel, age, day, tbu, zs in rows:
        ws.append([nik, name, "L", "2024-01-15", 3.1, 49, "Ibu Fiktif", "KALIMANTAN TIMUR", "KOTA BONTANG",
                   "BONTANG UTARA", "BONTANG UTARA I", kel, "MAWAR", "001", "002", "JL. FIKTIF NO 9", age, day,
                   9.5, 75, "Berdiri", 0, "Berat Badan Normal", -1.0, tbu, zs])
    wb.save(path)
    return path


def ats_file(path, rows, residu=(12, 1, 78), jumlah_total=None, title="Tabel Data Anak Tidak Sekolah"):
    """An ATS portal table: two title lines, a two-row merged header with k_1...k_3, the desa by name,
    a Residu row (label in the first cell) and a Jumlah row. rows: (name, k_1, k_2, k_3, sudah, belum)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([title])
    ws.append(["Berdasarkan Alasan Verifikasi per Wilayah Individu Peserta Didik"])
    ws.append(["No", "Desa/Kelurahan", "Alasan Verifikasi", None, None, "Sudah Verifikasi", "Belum Verifikasi", "Total"])
    ws.append([None, None, "k_1", "k_2", "k_3", None, None, None])
    for col in ("A", "B", "F", "G", "H"):
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("C3:E3")
    total = 0
    for i, (name, k1, k2, k3, sudah, belum) in enumerate(rows, start=1):
        ws.append([i, name, k1, k2, k3, sudah, belum, f"{sudah + belum:,}".replace(",", ".")])
        total += sudah + belum
    r1, r2, r3 = residu
    ws.append(["Residu", r1, r2, r3, 0, r1 + r2 + r3, 0, r1 + r2 + r3])
    total += r1 + r2 + r3
    ws.append(["Jumlah", None, None, None, None, None, None, f"{jumlah_total or total:,}".replace(",", ".")])
    wb.save(path)
    return path


SATUDATA_HEADER = ["kode_provinsi", "nama_provinsi", "bps_kode_kabupaten_kota", "bps_nama_kabupaten_kota",
                   "bps_kode_kecamatan", "bps_nama_kecamatan", "bps_kode_desa_kelurahan", "bps_nama_desa_kelurahan",
                   "kemendagri_kode_kecamatan", "kemendagri_nama_kecamatan", "kemendagri_kode_desa_kelurahan",
                   "kemendagri_nama_desa_kelurahan"]


def satudata_file(path, rows, value="jumlah_balita_stunting", satuan="ANAK", kemendagri=True, extra=None):
    """A province's Satu Data CSV as Open Data Jabar publishes it: codes and names of kab/kota, kecamatan and
    desa in BPS (undotted, stored as floats) and Kemendagri (dotted) spellings side by side, one value
    column, satuan, tahun (a float) and id. rows: (kemendagri code, name, year, value[, kab name]); the BPS
    codes are made up in BPS's own order (they do not follow the Kemendagri code). `extra`: another value
    column's header and its value per row. Without `kemendagri`, the file carries BPS codes only."""
    header = SATUDATA_HEADER + ([extra[0]] if extra else []) + [value, "satuan", "tahun", "id"]
    if not kemendagri:
        header = [h for h in header if not h.startswith("kemendagri_")]
    lines = [",".join(header)]
    for i, row in enumerate(rows, start=1):
        kode, name, year, number = row[:4]
        kab_name = row[4] if len(row) > 4 else "KOTA X"
        prov, kab, kec, desa = kode.split(".")
        bps_kec = f"{prov}{kab}{(int(kec) * 10 + 1):03d}"
        cells = {"kode_provinsi": f"{prov}.0", "nama_provinsi": "PROVINSI", "bps_kode_kabupaten_kota": f"{prov}{kab}.0",
                 "bps_nama_kabupaten_kota": kab_name, "bps_kode_kecamatan": f"{bps_kec}.0",
                 "bps_nama_kecamatan": "KECAMATAN", "bps_kode_desa_kelurahan": f"{bps_kec}{(int(desa) % 1000) + 3:03d}.0",
                 "bps_nama_desa_kelurahan": name.upper(), "kemendagri_kode_kecamatan": f"{prov}.{kab}.{kec}",
                 "kemendagri_nama_kecamatan": "KECAMATAN", "kemendagri_kode_desa_kelurahan": kode,
                 "kemendagri_nama_desa_kelurahan": name.upper(), value: f"{float(number)}", "satuan": satuan,
                 "tahun": f"{float(year)}", "id": str(i)}
        if extra:
            cells[extra[0]] = f"{float(extra[1][i - 1])}"
        lines.append(",".join(cells[h] for h in header))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
