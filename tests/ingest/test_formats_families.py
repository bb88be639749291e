"""P3KE and DTSEN Keluarga in as they come: one row per person (P3KE, after a title block) or per family
(DTSEN), codes undotted or dotted, each family counted once, and no name, NIK or KK number kept or quoted."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl

from pantau import cli
from pantau.ingest import nik, pipeline
from pantau.ingest.sheets import Upload

NIKS = ["6474015207190001", "6474016408180002", "6474010101800003", "6474024101850004"]
NAMES = ["Siti Aminah Fiktif", "Budi Santoso Fiktif", "Wati Rahayu Fiktif", "Joko Purnomo Fiktif"]


def p3ke_file(path, rows):
    """The P3KE individual file: twelve title and note rows, the header on row 13, a row per person."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["DATA PENSASARAN PERCEPATAN PENGHAPUSAN KEMISKINAN EKSTREM (P3KE)"])
    ws.append(["KOTA BONTANG - Periode Oktober 2026"])
    for _ in range(10):
        ws.append([])
    ws.append(["ID Keluarga P3KE", "Dimuktakhirkan Tahun", "Provinsi", "Kabupaten/Kota", "Kecamatan", "Desa/Kelurahan",
               "Kode Kemdagri", "Desil Kesejahteraan", "Alamat", "Nama", "NIK", "Hubungan dengan Kepala Keluarga"])
    for i, (family, kode, desil) in enumerate(rows):
        ws.append([family, "2023", "KALIMANTAN TIMUR", "BONTANG", "BONTANG UTARA", "X", kode, desil,
                   f"JL. FIKTIF NO {i}", NAMES[i % 4], NIKS[i % 4], "Kepala Keluarga / Istri"])
    wb.save(path)
    return path


def dtsen_file(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["kode_provinsi", "provinsi", "kode_kabupaten_kota", "kabupaten_kota", "kode_kecamatan", "kecamatan",
               "kode_kelurahan_desa", "kelurahan_desa", "alamat", "nomor_kartu_keluarga", "jumlah_anggota_keluarga",
               "nama_anggota_keluarga", "desil_nasional"])
    for i, (kk, kode, desil) in enumerate(rows):
        ws.append(["64", "KALIMANTAN TIMUR", "6474", "BONTANG", kode[:8], "X", kode, "X", "JL. FIKTIF", kk, 4,
                   NAMES[i % 4], desil])
    wb.save(path)
    return path


def _households(tmp_path, capsys):
    """The kota's household table of 2026 for two kelurahan: P3KE lists only its own families."""
    penyebut = tmp_path / "penyebut.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Kode kelurahan", "Kelurahan", "Rumah tangga"])
    wb.active.append(["64.74.01.1001", "Bontang Kuala", 900])
    wb.active.append(["64.74.01.1005", "Gunung Elai", 700])
    wb.save(penyebut)
    assert cli.main(["ingest", str(penyebut), "--kota", "64.74", "--penyebut", "2026"]) == 0
    capsys.readouterr()


def _ingest(capsys, *argv):
    code = cli.main(["ingest", *map(str, argv), "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_dtsen_counts_each_family_once_per_kelurahan_with_every_family_as_denominator(tmp_path, env_lake, capsys):
    rows = [("6474010000000001", "64.74.01.1001", 1), ("6474010000000002", "6474011001", "1"),
            ("6474010000000003", "64.74.01.1001", 5), ("6474010000000004", "64.74.01.1002", 4.0),
            ("6474010000000001", "64.74.01.1001", 1)]  # the first family listed twice counts once
    path = dtsen_file(tmp_path / "dtsen_keluarga_bontang_oktober_2026.xlsx", rows)
    code, out = _ingest(capsys, path, "--kota", "64.74")
    assert code == 0 and out["format"] == "dtsen" and out["committed"]
    assert [(s["indicator"], s["period"], s["totals"]) for s in out["slices"]] == [
        ("kemiskinan_ekstrem", "2026-10", {"count": 2, "denominator": 4}),
        ("desil_1_4", "2026-10", {"count": 3, "denominator": 4})]

    def stored(indikator):
        return {r["kelurahan_kode"]: (r["jumlah"], r["penyebut"]) for r in env_lake.read("nilai").to_pylist()
                if r["indikator"] == indikator and r["periode"] == dt.date(2026, 10, 1)
                and r["sumber"] == "resmi" and r["kota_kode"] == "64.74"}
    assert stored("kemiskinan_ekstrem") == {"64.74.01.1001": (2, 3), "64.74.01.1002": (0, 1)}
    assert stored("desil_1_4") == {"64.74.01.1001": (2, 3), "64.74.01.1002": (1, 1)}  # desil 5 is left out
    listed = [r for r in env_lake.read("rekaman").to_pylist() if r["upload_id"] == out["batch"]]
    assert sorted((r["indikator"], r["aturan"]) for r in listed) == [("desil_1_4", "kk")] * 3 + [
        ("kemiskinan_ekstrem", "kk")] * 2  # each family once, by the keyed hash of its KK number
    assert len({r["kunci"] for r in listed}) == 3 and not any("647401000000000" in str(r) for r in listed)
    key = b"k" * 32
    assert nik.family_key(key, "kk", "6474 0100-0000 0001") == nik.family_key(key, "kk", "6474010000000001") != \
        nik.family_key(key, "p3ke", "6474010000000001")


def test_p3ke_after_its_title_block_keeps_no_name_nik_or_address(tmp_path, env_lake, capsys):
    _households(tmp_path, capsys)
    rows = [("122237092", "6474011001", "1"), ("122237092", "6474011001", "1"), ("122237093", "6474011005", 2),
            ("122237094", "6474011005", 1)]
    path = p3ke_file(tmp_path / "p3ke.xlsx", rows)
    code, out = _ingest(capsys, path, "--kota", "64.74")
    assert code == 0 and out["format"] == "p3ke" and out["slices"][0]["period"] == "2026-10"
    assert out["slices"][0]["totals"] == {"count": 2, "denominator": 1600}
    text = json.dumps(out, ensure_ascii=False)
    lake_text = "".join(str(env_lake.read(t).to_pylist()) for t in ("nilai", "uploads", "rekaman"))
    listed = [r for r in env_lake.read("rekaman").to_pylist() if r["upload_id"] == out["batch"]]
    # the families themselves, for reconciliation: hashed by their P3KE id, one row per family and indicator
    assert sorted((r["indikator"], r["kelurahan_kode"], r["aturan"], r["baris"]) for r in listed) == [
        ("desil_1_4", "64.74.01.1001", "p3ke", 14), ("desil_1_4", "64.74.01.1005", "p3ke", 16),
        ("desil_1_4", "64.74.01.1005", "p3ke", 17), ("kemiskinan_ekstrem", "64.74.01.1001", "p3ke", 14),
        ("kemiskinan_ekstrem", "64.74.01.1005", "p3ke", 17)]
    for secret in [*NIKS, *NAMES, "JL. FIKTIF", "122237092"]:
        assert secret not in text and secret not in lake_text


def test_a_code_of_another_kota_is_refused_by_row_and_nothing_is_written(tmp_path, env_lake, capsys):
    rows = [("1", "64.74.01.1001", 1), ("2", "14.71.01.1001", 1), ("3", "64.74.01.10O1", 1)]
    path = dtsen_file(tmp_path / "dtsen_oktober_2026.xlsx", rows)
    before = env_lake.read("nilai").num_rows
    code, out = _ingest(capsys, path, "--kota", "64.74")
    errors = {(p["row"], p["value"]) for p in out["problems"] if p["level"] == "error"}
    assert code == 1 and not out["committed"] and (3, "14.71.01.1001") in errors and (4, "64.74.01.10O1") in errors
    assert env_lake.read("nilai").num_rows == before


def test_without_a_month_the_officer_is_asked_for_the_period(tmp_path, env_lake, capsys):
    path = dtsen_file(tmp_path / "dtsen.xlsx", [("1", "64.74.01.1001", 1)])
    code, out = _ingest(capsys, path, "--kota", "64.74", "--dry-run")
    assert code == 1 and any("--period" in p["message"] for p in out["problems"])
    code, out = _ingest(capsys, path, "--kota", "64.74", "--format", "dtsen", "--period", "2026-09", "--dry-run")
    assert code == 0 and out["slices"][0]["period"] == "2026-09"


def test_the_pipeline_reads_a_dtsen_file_without_the_command_line(tmp_path, lake):
    path = dtsen_file(tmp_path / "dtsen_oktober_2026.xlsx", [("1", "64.74.01.1001", 1), ("2", "64.74.01.1001", 7)])
    report = pipeline.prepare(Upload(path.name, path.read_bytes()), pipeline.Request(kind="nilai", kota_kode="64.74"), lake)
    assert report.ok and report.format == "dtsen" and report.accepted["penyebut"].tolist() == [2, 2]
    assert report.accepted.set_index("indikator")["jumlah"].to_dict() == {"kemiskinan_ekstrem": 1, "desil_1_4": 1}


def test_a_field_list_of_families_meets_the_p3ke_register_by_family_id(tmp_path, env_lake, capsys):
    from functools import partial

    from pantau.lake import queries

    rows = [("122237092", "6474011001", "1"), ("122237092", "6474011001", "1"), ("122237094", "6474011005", 1)]
    path = p3ke_file(tmp_path / "p3ke_oktober_2026.xlsx", rows)
    _households(tmp_path, capsys)
    code, out = _ingest(capsys, path, "--kota", "64.74")
    assert code == 0 and out["committed"]
    # The kelurahan's verification: one family of the register found again (its id written with spaces, and
    # the head of family's NIK beside it), one the register does not have.
    field = tmp_path / "verifikasi_kemiskinan_ekstrem.csv"
    field.write_text("No,ID Keluarga P3KE,Nama Kepala Keluarga,NIK,Kelurahan\n"
                     f"1,1222 37092,{NAMES[0]},{NIKS[0]},Bontang Kuala\n"
                     f"2,122299999,{NAMES[1]},{NIKS[1]},Gunung Elai\n", encoding="utf-8")
    code, listed = _ingest(capsys, field, "--kota", "64.74", "--records", "--indicator", "kemiskinan_ekstrem",
                           "--source", "lapangan", "--period", "2026-10")
    assert code == 0, listed["problems"]
    run = partial(queries.run, env_lake.connect().cursor())
    per = run("rekaman_by_kelurahan", kota_kode="64.74", indikator="kemiskinan_ekstrem",
              periode=dt.date(2026, 10, 1)).set_index("nama")
    assert per.loc["Bontang Kuala", ["keduanya", "hanya_resmi", "hanya_lapangan"]].tolist() == [1, 0, 0]
    assert per.loc["Gunung Elai", ["keduanya", "hanya_resmi", "hanya_lapangan"]].tolist() == [0, 1, 1]
    lake_text = str(env_lake.read("rekaman").to_pylist())
    for secret in [*NIKS, *NAMES, "122237092", "122299999"]:
        assert secret not in lake_text
