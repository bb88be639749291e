"""ATS portal tables in as they come: a two-row merged header, desa by name, dot thousands, the Residu
reported and never spread, the Jumlah row checked against the rows."""

from __future__ import annotations

import json

import openpyxl

from pantau import cli
from tests.exports import ats_file

ROWS = [("Kel Bontang Kuala", 3, 0, 1, 10, 1002), ("KANAAN", 0, 1, 0, 2, 30), ("Gn. Elai", 1, 0, 0, 0, 5)]


def _penyebut(tmp_path):
    path = tmp_path / "penyebut.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Kode kelurahan", "Kelurahan", "Anak usia sekolah 7-18"])
    for kode, name, n in (("64.74.01.1001", "Bontang Kuala", 4000), ("64.74.03.1003", "Kanaan", 900),
                          ("64.74.01.1005", "Gunung Elai", 800)):
        wb.active.append([kode, name, n])
    wb.save(path)
    return path


def test_totals_per_kelurahan_the_residu_reported_and_the_total_row_checked(tmp_path, env_lake, capsys):
    assert cli.main(["ingest", str(_penyebut(tmp_path)), "--kota", "64.74", "--penyebut", "2026"]) == 0
    capsys.readouterr()
    path = ats_file(tmp_path / "ats_bontang_oktober_2026.xlsx", ROWS)
    assert cli.main(["ingest", str(path), "--kota", "64.74", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["format"] == "ats" and [(s["indicator"], s["period"]) for s in out["slices"]] == [
        ("putus_sekolah", "2026-10")]
    stored = {r["kelurahan_kode"]: (r["jumlah"], r["penyebut"]) for r in env_lake.read("nilai").to_pylist()
              if r["upload_id"] == out["batch"]}
    assert stored == {"64.74.01.1001": (1012, 4000), "64.74.03.1003": (32, 900), "64.74.01.1005": (5, 800)}
    assert any(n.startswith("Residu: 91 anak") for n in out["notes"])  # reported, not spread


def test_a_jumlah_row_that_disagrees_is_a_warning_on_its_row(tmp_path, env_lake, capsys):
    path = ats_file(tmp_path / "ats.xlsx", ROWS, jumlah_total=2000)
    assert cli.main(["ingest", str(path), "--kota", "64.74", "--period", "2026-10", "--dry-run", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    warning = [p for p in out["problems"] if p["row"] == 9 and p["level"] == "warning"]
    assert warning and warning[0]["value"] == "2.000" and "1.140" in warning[0]["message"]
    assert out["slices"][0]["period"] == "2026-10"  # the chosen month: neither title nor file name says one
    # Without the kota's school-age population the rates cannot be made: refused, by row.
    assert all(any(p["row"] == r and p["level"] == "error" for p in out["problems"]) for r in (5, 6, 7))
