"""A province's Satu Data CSV in as it comes: the whole province in one file (only the chosen kota read),
BPS codes as floats beside dotted Kemendagri codes, one value column, years; stored per year apart from the
months, shown as a year and never as a month."""

from __future__ import annotations

import json

import pytest

from pantau import cli
from pantau.lake import queries
from tests.exports import satudata_file

# Pekanbaru (14.71): real kelurahan of the demo; Kampar (14.06) is the kab next door in the same province file.
ROWS = [("14.71.01.1002", "Jadirejo", 2022, 30), ("14.71.01.1003", "Kampung Tengah", 2022, 12),
        ("14.71.01.1002", "Jadirejo", 2023, 25), ("14.71.01.1003", "Kampung Tengah", 2023, 10),
        ("14.06.01.2001", "Bangkinang", 2023, 7, "KABUPATEN KAMPAR"),
        ("14.06.01.2002", "Ridan Permai", 2023, 3, "KABUPATEN KAMPAR")]
MEASURED = [300, 200, 310, 190, 50, 40]


def _ingest(capsys, path, *extra) -> tuple[int, dict]:
    code = cli.main(["ingest", str(path), "--kota", "14.71", "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_a_province_file_gives_one_slice_per_year_of_the_kota_only(tmp_path, env_lake, capsys):
    path = satudata_file(tmp_path / "od_stunting_desa.csv", ROWS, extra=("jumlah_balita_diukur", MEASURED))
    months_before = env_lake.read("nilai").num_rows
    periods_before = queries.run(env_lake.connect().cursor(), "periode_by_kota", kota_kode="14.71")
    code, out = _ingest(capsys, path)
    assert code == 0 and out["format"] == "satudata"
    assert [(s["indicator"], s["period"], s["rows"]["accepted"], s["totals"]) for s in out["slices"]] == [
        ("stunting", "2022", 2, {"count": 42, "denominator": 500}),
        ("stunting", "2023", 2, {"count": 35, "denominator": 500})]
    assert any("2 baris dari 1 kab/kota lain (KABUPATEN KAMPAR)" in n for n in out["notes"])
    stored = sorted((r["tahun"], r["kelurahan_kode"], r["jumlah"], r["penyebut"])
                    for r in env_lake.read("nilai_tahunan").to_pylist())
    assert stored == [(2022, "14.71.01.1002", 30, 300), (2022, "14.71.01.1003", 12, 200),
                      (2023, "14.71.01.1002", 25, 310), (2023, "14.71.01.1003", 10, 190)]
    # Never a month: the monthly table is untouched and the months a page offers are the same.
    assert env_lake.read("nilai").num_rows == months_before
    periods = queries.run(env_lake.connect().cursor(), "periode_by_kota", kota_kode="14.71")
    assert periods.equals(periods_before)
    # One upload: the history shows it per year, and one undo takes both years back.
    assert cli.main(["history", "--kota", "14.71", "--json"]) == 0
    logged = [r for r in json.loads(capsys.readouterr().out) if r["upload_id"] == out["batch"]]
    assert sorted(r["tahun"] for r in logged) == [2022, 2023] and all(r["tabel"] == "nilai_tahunan" for r in logged)
    assert cli.main(["undo", out["batch"]]) == 0
    assert env_lake.read("nilai_tahunan").num_rows == 0


def test_bps_codes_only_are_matched_by_name_and_said_so(tmp_path, env_lake, capsys):
    rows = [("14.71.01.1002", "Jadirejo", 2023, 25), ("14.71.01.1004", "Kp. Melayu", 2023, 10)]
    path = satudata_file(tmp_path / "bps.csv", rows, extra=("jumlah_balita_diukur", [310, 190]), kemendagri=False)
    code, out = _ingest(capsys, path)
    assert code == 0, out["problems"]
    assert any("hanya memuat kode BPS" in n for n in out["notes"])
    stored = {r["kelurahan_kode"] for r in env_lake.read("nilai_tahunan").to_pylist()}
    assert stored == {"14.71.01.1002", "14.71.01.1004"}  # "Kp. Melayu" is Kampung Melayu


def test_a_code_of_another_kota_under_this_kota_is_refused_by_row(tmp_path, env_lake, capsys):
    rows = [("14.71.01.1002", "Jadirejo", 2023, 25, "KOTA PEKANBARU"), ("14.71.01.1003", "Kampung Tengah", 2023, 10)]
    path = satudata_file(tmp_path / "stray.csv", rows, extra=("jumlah_balita_diukur", [310, 190]))
    text = path.read_text(encoding="utf-8").replace("14.71.01.1003,KAMPUNG", "16.74.01.1003,KAMPUNG")
    path.write_text(text, encoding="utf-8")
    code, out = _ingest(capsys, path, "--dry-run")
    assert code == 1
    refused = [p for p in out["problems"] if p["row"] == 3 and p["level"] == "error"]
    assert refused and refused[0]["value"] == "16.74.01.1003"


def test_a_percent_or_an_unknown_value_column_is_refused_with_what_to_do(tmp_path, env_lake, capsys):
    path = satudata_file(tmp_path / "persen.csv", ROWS[:2], value="jumlah_balita_stunting", satuan="PERSEN")
    code, out = _ingest(capsys, path, "--dry-run")
    assert code == 1 and {(p["row"], p["column"], p["value"]) for p in out["problems"]} == {
        (2, "satuan", "PERSEN"), (3, "satuan", "PERSEN")}
    path = satudata_file(tmp_path / "merah.csv", ROWS[:2], value="jumlah_anak_pertumbuhan_merah")
    code, out = _ingest(capsys, path, "--dry-run")
    assert code == 1 and "jumlah_anak_pertumbuhan_merah" in out["problems"][0]["message"]
    assert "--indicator" in out["problems"][0]["message"]
    # Chosen by the officer: read as that indicator, and the report says which column it took.
    code, out = _ingest(capsys, path, "--dry-run", "--format", "satudata", "--indicator", "putus_sekolah")
    assert [s["indicator"] for s in out["slices"]] == ["putus_sekolah"]
    assert any("jumlah_anak_pertumbuhan_merah dibaca sebagai Putus sekolah" in n for n in out["notes"])


def test_a_dataset_of_desa_only_says_why_no_kelurahan_matched(tmp_path, env_lake, capsys):
    rows = [("14.71.01.2001", "Desa Fiktif", 2023, 4)]
    path = satudata_file(tmp_path / "desa.csv", rows, value="jumlah_keluarga_miskin_ekstrem", satuan="KELUARGA")
    code, out = _ingest(capsys, path, "--dry-run")
    assert code == 1
    assert any("hanya memuat desa" in n for n in out["notes"])
    assert out["slices"][0]["indicator"] == "kemiskinan_ekstrem"


def test_the_year_before_is_what_a_jump_is_measured_against(tmp_path, env_lake, capsys):
    rows = [("14.71.01.1002", "Jadirejo", 2022, 20), ("14.71.01.1002", "Jadirejo", 2023, 200)]
    path = satudata_file(tmp_path / "jump.csv", rows[:1], extra=("jumlah_balita_diukur", [300]))
    assert _ingest(capsys, path)[0] == 0
    path = satudata_file(tmp_path / "jump2.csv", rows[1:], extra=("jumlah_balita_diukur", [300]))
    code, out = _ingest(capsys, path, "--dry-run")
    assert any(p["level"] == "warning" and p["row"] == 2 and p["column"].startswith("jumlah_balita_stunting")
               and "tahun lalu" in p["message"] for p in out["problems"]), out["problems"]


@pytest.mark.parametrize("year_cell", ["2023", "2023.0"])
def test_the_year_is_read_as_written(tmp_path, env_lake, capsys, year_cell):
    path = satudata_file(tmp_path / "y.csv", ROWS[2:3], extra=("jumlah_balita_diukur", [310]))
    path.write_text(path.read_text(encoding="utf-8").replace("2023.0", year_cell), encoding="utf-8")
    code, out = _ingest(capsys, path, "--dry-run")
    assert code == 0 and out["slices"][0]["period"] == "2023"
    path.write_text(path.read_text(encoding="utf-8").replace(f",{year_cell},", ",dua ribu,"), encoding="utf-8")
    code, out = _ingest(capsys, path, "--dry-run")
    assert code == 1 and out["problems"][0]["column"] == "tahun" and out["problems"][0]["value"] == "dua ribu"


def test_a_file_with_both_codes_teaches_their_pairs_to_a_later_file_with_bps_codes_only(tmp_path, env_lake, capsys):
    both = satudata_file(tmp_path / "both.csv", ROWS[:2], extra=("jumlah_balita_diukur", MEASURED[:2]))
    code, out = _ingest(capsys, both)
    assert code == 0 and any("2 pasangan kode BPS–Kemendagri dipelajari" in n for n in out["notes"])
    # A year later the province file has BPS codes only and names no fuzzy match can place ("JDRJ").
    later = satudata_file(tmp_path / "later.csv", [("14.71.01.1002", "Jdrj", 2024, 20), ("14.71.01.1003", "Kp Tgh", 2024, 9)],
                          extra=("jumlah_balita_diukur", [280, 210]), kemendagri=False)
    code, out = _ingest(capsys, later)
    assert code == 0, out["problems"]
    assert any("2 kode BPS dicocokkan lewat pasangan" in n for n in out["notes"])
    stored = {r["kelurahan_kode"]: r["jumlah"] for r in env_lake.read("nilai_tahunan").to_pylist() if r["tahun"] == 2024}
    assert stored == {"14.71.01.1002": 20, "14.71.01.1003": 9}
    # Another kota's lookups never use them.
    assert cli.main(["ingest", str(later), "--kota", "64.74", "--json", "--dry-run"]) == 1
    capsys.readouterr()


def test_the_value_column_is_read_as_the_indicator_it_names_most_precisely(tmp_path, env_lake, capsys):
    for value, indicator in (("jumlah_keluarga_miskin_ekstrem", "kemiskinan_ekstrem"),
                             ("jumlah_keluarga_miskin_desil_1_4", "desil_1_4"),
                             ("jumlah_anak_tidak_sekolah", "putus_sekolah")):
        path = satudata_file(tmp_path / f"{value}.csv", ROWS[:2], value=value, satuan="KELUARGA")
        code, out = _ingest(capsys, path, "--dry-run")
        assert [s["indicator"] for s in out["slices"]] == [indicator], value


def test_a_copy_saved_from_excel_with_a_title_above_the_header_is_read_and_its_rows_named_as_excel_shows(
        tmp_path, env_lake, capsys):
    import csv

    from openpyxl import Workbook

    path = satudata_file(tmp_path / "od_stunting_desa.csv", ROWS[:4], extra=("jumlah_balita_diukur", MEASURED[:4]),
                         satuan="ANAK")
    book = Workbook()
    sheet = book.active
    sheet.append(["Jumlah Balita Stunting Berdasarkan Desa/Kelurahan di Provinsi Riau"])
    sheet.append(["Sumber: Dinas Kesehatan"])
    sheet.append([])
    for i, row in enumerate(csv.reader(path.read_text(encoding="utf-8").splitlines())):
        sheet.append(row if i == 0 or row[-4] != "25.0" else [*row[:-4], "-25", *row[-3:]])  # row 7: a negative count
    xlsx = tmp_path / "od_stunting_desa.xlsx"
    book.save(xlsx)
    code, out = _ingest(capsys, xlsx, "--dry-run")
    assert out["format"] == "satudata" and code == 1
    assert {(p["row"], p["value"]) for p in out["problems"] if p["level"] == "error"} == {(7, "-25")}
    sheet.delete_rows(7)
    book.save(xlsx)
    code, out = _ingest(capsys, xlsx)
    assert code == 0, out["problems"]
    assert [(s["period"], s["totals"]) for s in out["slices"]] == [("2022", {"count": 42, "denominator": 500}),
                                                                   ("2023", {"count": 10, "denominator": 190})]
