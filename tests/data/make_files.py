"""Writes the real-shaped OPD files the ingest tests read (run once; the files are committed).

Each file is made the way an office makes it: title lines, a merged two-row header, kecamatan
subtotals, a grand total, Indonesian numbers typed as text, typos, notes under the table."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).parent

# Bontang, August 2025: (kecamatan, kelurahan as typed, measured, stunted)
STUNTING_ROWS = [
    ("BONTANG UTARA", "Kel. Bontang Kuala", 412, 31),
    ("BONTANG UTARA", "BONTANG BARU", "1.208", "97"),
    ("BONTANG UTARA", "Lok Tuan", 903, 88),
    ("BONTANG UTARA", "Guntung", 655, "-"),
    ("BONTANG UTARA", "Gunung Elai", 540, 44),
    ("BONTANG UTARA", "Kelurahan Api Api", 398, 35),
    ("BONTANG SELATAN", "Tanjung Laut", 870, 75),
    ("BONTANG SELATAN", "Berbas Tengah", 610, 41),
    ("BONTANG SELATAN", "Berbas Pantai", 455, 39),
    ("BONTANG SELATAN", "Satimpo", 300, 22),
    ("BONTANG SELATAN", "Bontang Lestari", 350, 30),
    ("BONTANG SELATAN", "Tanjung Laut Indh", 720, 66),
    ("BONTANG BARAT", "Belimbing", 505, 40),
    ("BONTANG BARAT", "Gunung Telihan", 480, 37),
    ("BONTANG BARAT", "Kanaan", 260, "tidak ada data"),
]


def _num(v):
    return int(str(v).replace(".", "")) if str(v).replace(".", "").isdigit() else 0


def stunting_xlsx(path: Path, period_title: str = "BULAN AGUSTUS 2025", kota_title: str = "KOTA BONTANG",
                  grand_total_off_by: int = 0) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Rekap"
    ws["A1"] = f"DINAS KESEHATAN {kota_title}"
    ws["A2"] = f"REKAPITULASI BALITA STUNTING PER KELURAHAN {period_title}"
    ws["A1"].font = ws["A2"].font = Font(bold=True)
    ws.merge_cells("A1:F1")
    ws.merge_cells("A2:F2")
    # Two header rows: NO, KECAMATAN, KELURAHAN span both; JUMLAH BALITA over DIUKUR | STUNTING.
    ws["A4"], ws["B4"], ws["C4"], ws["D4"], ws["F4"] = "NO", "KECAMATAN", "KELURAHAN", "JUMLAH BALITA", "PREVALENSI (%)"
    ws["D5"], ws["E5"] = "DIUKUR", "STUNTING"
    for col in "ABCF":
        ws.merge_cells(f"{col}4:{col}5")
    ws.merge_cells("D4:E4")
    for i, label in enumerate(["1", "2", "3", "4", "5", "6"]):
        ws.cell(row=6, column=i + 1, value=int(label))
    r = 7
    no = 1
    for kec in ("BONTANG UTARA", "BONTANG SELATAN", "BONTANG BARAT"):
        rows = [x for x in STUNTING_ROWS if x[0] == kec]
        start = r
        for _, name, measured, stunted in rows:
            ws.cell(row=r, column=1, value=no)
            ws.cell(row=r, column=3, value=name)
            ws.cell(row=r, column=4, value=measured)
            ws.cell(row=r, column=5, value=stunted)
            if _num(stunted):
                ws.cell(row=r, column=6, value=f"{100 * _num(stunted) / _num(measured):.1f}".replace(".", ","))
            r += 1
            no += 1
        ws.cell(row=start, column=2, value=kec)
        ws.merge_cells(start_row=start, start_column=2, end_row=r - 1, end_column=2)
        ws.cell(row=r, column=3, value=f"Jumlah Kec. {kec.title()}")
        ws.cell(row=r, column=4, value=sum(_num(x[2]) for x in rows))
        ws.cell(row=r, column=5, value=sum(_num(x[3]) for x in rows))
        r += 1
    ws.cell(row=r, column=1, value="TOTAL")
    ws.cell(row=r, column=4, value=sum(_num(x[2]) for x in STUNTING_ROWS))
    ws.cell(row=r, column=5, value=sum(_num(x[3]) for x in STUNTING_ROWS) + grand_total_off_by)
    ws.cell(row=r + 2, column=1, value="Sumber: e-PPGBM, diolah Dinas Kesehatan")
    ws.cell(row=r + 4, column=5, value="Mengetahui, Kepala Dinas")
    wb.save(path)


def ats_csv(path: Path) -> None:
    """Dinas Pendidikan's export: semicolons, Windows-1252, codes without dots, Indonesian numbers."""
    lines = [
        "Rekapitulasi Anak Tidak Sekolah – Dinas Pendidikan Kota Bontang;;;;",
        "Periode: Agustus 2025;;;;",
        ";;;;",
        "No;Kode Wilayah;Nama Kelurahan;Jumlah Anak Usia Sekolah (7-18);Anak Tidak Sekolah",
        "1;6474011001;Bontang Kuala;2.140;31",
        "2;6474011002;Bontang Baru;5.802;112",
        "3;64.74.01.1003;Lok Tuan;4.410;76",
        "4;6474011004;Guntung;3.120;-",
        "5;6474021001;Tanjung Laut;4.001;58",
        "6;6474031003;Kanaan;1.050;14",
        "Jml;;;20.523;291",
    ]
    path.write_bytes("\r\n".join(lines).encode("cp1252"))


def errors_xlsx(path: Path) -> None:
    """A Dinas Sosial file with one of each row error."""
    wb = Workbook()
    ws = wb.active
    ws.append(["DATA RUMAH TANGGA MISKIN EKSTREM KOTA BONTANG BULAN AGUSTUS 2025"])
    ws.append([])
    ws.append(["No", "Kecamatan", "Desa/Kelurahan", "Jumlah Rumah Tangga", "RT Miskin Ekstrem"])
    ws.append([1, "Bontang Utara", "Bontang Kuala", 1800, "2O"])        # letter O, not zero
    ws.append([2, "Bontang Utara", "Bontang Baru", 2500, -3])           # negative
    ws.append([3, "Bontang Utara", "Lok Tuan", 90, 120])                # over its denominator
    ws.append([4, "Bontang Utara", "Kampung Baru", 700, 12])            # no such kelurahan
    ws.append([5, "Bontang Selatan", "Satimpo", 800, 10])
    ws.append([6, "Bontang Selatan", "Satimpo", 800, 11])               # twice
    ws.append([7, "Bontang Barat", "Kanaan", "1,5", 4])                 # not a whole number
    ws.append([8, "Bontang Barat", "Belimbing", 950, 9])
    wb.save(path)


def drainase_csv(path: Path) -> None:
    """PUPR's list of drainage points: decimal commas, one point outside the kota, a person as reporter."""
    lines = [
        "DAFTAR TITIK DRAINASE BERMASALAH KOTA BONTANG",
        "",
        "No,Lokasi,Lintang,Bujur,Kondisi,Status,Tanggal Lapor,Pelapor",
        '1,Jl. Awang Long,"0,14600","117,49136",Tersumbat sampah,Dilaporkan,05/01/2026,Dinas PUPR',
        '2,Jl. MT Haryono,"0,11616","117,47942",Saluran rusak,ditangani,12 Januari 2026,Kelurahan Berbas Tengah',
        '3,Gg. Mawar,"0,12445","117,44954",Belum ada saluran,dilaporkan,2026-01-20,Budi Santoso',
        '4,Di laut,"0,50000","118,90000",Tersumbat,dilaporkan,20/01/2026,RT 05',
        '5,Jl. Cipto,"abc","117,5",Tersumbat,dilaporkan,20/01/2026,RT 07',
    ]
    path.write_text("\n".join(lines), encoding="utf-8")


def drainase_bpbd_csv(path: Path) -> None:
    """BPBD's recap, semicolons and Windows-1252: kecamatan and kelurahan columns, a blank line, points without
    an id (one listed twice), every kind of bad cell, a JUMLAH row and a note under the table."""
    lines = [
        "REKAP TITIK GENANGAN DAN DRAINASE BPBD KOTA BONTANG",
        "Periode Januari 2026",
        "",
        "No;Kecamatan;Kelurahan;Lat;Long;Kondisi;Status;Tgl Lapor;Pelapor",
        "1;Bontang Utara;Kel. Bontang Baru;0,14600;117,49136;Tersumbat;Dilaporkan;05/01/2026;BPBD",
        "2;Bontang Utara;Lok Tuan;0,11616;117,47942;Saluran rusak;ditangani;06/01/2026;BPBD",  # in Berbas Tengah
        "",
        "3;;;0,14610;117,49140;;dilaporkan;07/01/2026;BPBD",                      # no condition
        "4;;;0,14620;117,49140;Tersumbat;entah;07/01/2026;BPBD",                # unknown status
        "5;;;0,14630;117,49140;Tersumbat;dilaporkan;31/02/2026;BPBD",           # no such day
        "6;;;0,14640;117,49140;Tersumbat;dilaporkan;05/03/2026;BPBD",           # after today
        "7;;;0,14650;117,49140;Tersumbat;dilaporkan;;Warga RT 04",              # no date
        "8;;;0,12445;117,44954;Belum ada saluran;dilaporkan;08/01/2026;BPBD",
        "9;;;0,12445;117,44954;Belum ada saluran;dilaporkan;09/01/2026;BPBD",   # the same point again
        "JUMLAH;;;;;;;;9 titik",
        "Sumber: BPBD Kota Bontang, diolah",
    ]
    path.write_bytes("\n".join(lines).encode("cp1252"))


def banjir_xlsx(path: Path) -> None:
    """BPBD's flood log: a title, kecamatan and kelurahan columns, depth and households, one row with only
    coordinates, and the usual mistakes."""
    wb = Workbook()
    ws = wb.active
    ws.append(["REKAP KEJADIAN BANJIR KOTA BANJARBARU MUSIM HUJAN 2025/2026"])
    ws.append([])
    ws.append(["No", "Kecamatan", "Kelurahan", "Tanggal Kejadian", "Ketinggian Air (cm)", "Rumah Terdampak",
               "Titik Koordinat"])
    ws.append([1, "Banjarbaru Utara", "Loktabat Utara", "12/01/2026", 40, 35, None])
    ws.append([2, "Landasan Ulin", "Kel. Guntung Payung", "3 Februari 2026", "70", "120", None])
    ws.append([3, None, None, "04/02/2026", 30, 12, "-3.4645, 114.8300"])           # found by the point
    ws.append([4, "Cempaka", "Palam", "31/02/2026", 50, 20, None])                   # no such day
    ws.append([5, "Cempaka", "Bangkal", "20/02/2026", "-", "lima", None])            # depth unknown, bad count
    ws.append([6, "Banjarbaru Utara", "Loktabat Utara", "12/01/2026", 40, 35, None])  # row 4 again
    wb.save(path)


# Children in both stunting lists of Bontang, August 2025 (made-up people; NIK built to the rules:
# kecamatan 64.74.01, birth day + 40 for girls). Who is where is spelled out in tests/ingest/test_records.py.
PEOPLE = {
    "A": ("6474011503230001", "Aisyah Putri", "15/03/2023", "P", "Lok Tuan"),
    "B": ("6474010207220002", "Bima Saputra", "02/07/2022", "L", "Lok Tuan"),
    "C": ("6474012011220003", "Citra Lestari", "20/11/2022", "P", "Api-api"),
    "D": ("", "Dewi Anggraini", "05/01/2023", "P", "Kanaan"),
    "E": ("647401050123004", "Eko Prasetyo", "05/01/2023", "L", "Api-api"),
    "F": ("1234560101230005", "Fajar Nugroho", "01/01/2023", "L", "Api-api"),
    "G": ("6474012808210006", "Gita Maharani", "28/08/2021", "P", "Kanaan"),
    "H": ("6474011210220007", "Hendra Wijaya", "12/10/2022", "L", "Lok Tuan"),
    "I": ("6474013213220008", "Intan Permata", "13/12/2022", "P", "Kanaan"),
}


def eppgbm_xlsx(path: Path) -> None:
    """Dinkes' e-PPGBM export: NIK, name, birth date, sex, address, kelurahan; one child listed twice."""
    wb = Workbook()
    ws = wb.active
    ws.append(["DATA BALITA STUNTING E-PPGBM KOTA BONTANG AGUSTUS 2025"])
    ws.append(["No", "NIK", "Nama Balita", "Tgl Lahir", "JK", "Alamat", "Kelurahan"])
    for i, who in enumerate("ABCDAEF", 1):
        nik, name, birth, sex, kel = PEOPLE[who]
        ws.append([i, nik or None, name, birth, sex, f"Jl. Mawar No. {i} RT 0{i}", kel])
    wb.save(path)


def kader_csv(path: Path) -> None:
    """The cadres' door-to-door list: NIK typed with spaces, a name in other case, one child twice."""
    lines = ["Daftar balita stunting hasil kunjungan kader, Kota Bontang, Agustus 2025",
             "No;Nama Anak;NIK;Tanggal Lahir;Kelurahan;Alamat"]
    for i, who in enumerate("ABDGHGI", 1):
        nik, name, birth, _, kel = PEOPLE[who]
        if who == "B":
            nik = " ".join([nik[:4], nik[4:8], nik[8:12], nik[12:]])
        if who == "D":
            name = "  DEWI  anggraini "
        lines.append(f"{i};{name};{nik};{birth};Kel. {kel};RT 0{i} RW 02")
    path.write_text("\n".join(lines), encoding="utf-8")


def drainase_koordinat_xlsx(path: Path) -> None:
    """A lurah's list: one 'lat, lon' column in either decimal style, a kelurahan column, no status."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Laporan drainase Kelurahan, Januari 2026"])
    ws.append(["No", "Kelurahan", "Titik Koordinat", "Permasalahan", "Tgl"])
    ws.append([1, "Lok Tuan", "0.16398, 117.46873", "tersumbat", "06/01/2026"])
    ws.append([2, "Kanaan", "0,12445; 117,44954", "belum ada drainase", "07/01/2026"])
    ws.append([3, "Lok Tuan", "117.46873, 0.16398", "jebol", "08/01/2026"])   # lat and lon swapped
    wb.save(path)


def tarakan_boundaries() -> None:
    """Kota Tarakan (65.71), not in the demo, as a planner would get it: a GeoJSON from the province's
    portal (codes without dots, a NAMOBJ name column), the same as a zipped Shapefile and a GeoPackage.
    One kelurahan is left out, as happens when an area was split recently."""
    import shutil
    import tempfile

    import geopandas as gpd

    national = gpd.read_parquet(HERE.parents[2] / "shared" / "data" / "nasional" / "desa_kelurahan.parquet")
    tarakan = national[national["kode"].str.startswith("65.71.")].sort_values("kode").iloc[:-1].copy()
    tarakan["geometry"] = tarakan.geometry.simplify(0.0004)
    frame = gpd.GeoDataFrame({"KDEPUM": tarakan["kode"].str.replace(".", "", regex=False),
                              "NAMOBJ": tarakan["nama"].str.upper(), "geometry": tarakan.geometry}, crs="EPSG:4326")
    frame.to_file(HERE / "batas_tarakan.geojson", driver="GeoJSON", COORDINATE_PRECISION=5)
    frame.to_file(HERE / "batas_tarakan.gpkg", driver="GPKG")
    with tempfile.TemporaryDirectory() as folder:
        frame.to_file(Path(folder) / "batas_tarakan.shp")
        shutil.make_archive(str(HERE / "batas_tarakan_shp"), "zip", folder)


if __name__ == "__main__":
    tarakan_boundaries()
    stunting_xlsx(HERE / "dinkes_bontang_stunting_agustus_2025.xlsx")
    stunting_xlsx(HERE / "dinkes_bontang_stunting_total_salah.xlsx", grand_total_off_by=10)
    stunting_xlsx(HERE / "dinkes_pekanbaru_dikirim_ke_bontang.xlsx", kota_title="KOTA PEKANBARU")
    stunting_xlsx(HERE / "dinkes_bontang_stunting_juli.xlsx", period_title="BULAN JULI 2025")
    ats_csv(HERE / "disdik_bontang_ats_agustus_2025.csv")
    errors_xlsx(HERE / "dinsos_bontang_kesalahan.xlsx")
    drainase_csv(HERE / "pupr_bontang_drainase.csv")
    drainase_koordinat_xlsx(HERE / "lurah_bontang_drainase_koordinat.xlsx")
    drainase_bpbd_csv(HERE / "bpbd_bontang_drainase_rekap.csv")
    banjir_xlsx(HERE / "bpbd_banjarbaru_banjir.xlsx")
    eppgbm_xlsx(HERE / "dinkes_bontang_eppgbm_agustus_2025.xlsx")
    kader_csv(HERE / "kader_bontang_stunting_agustus_2025.csv")
