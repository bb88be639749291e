"""SIGIZI "Daftar Entry Balita Gizi" in as it comes: numbered columns [1]-[110] under their names, one row per
Puskesmas x kelurahan x month, names instead of codes, the year only in the title, months as 1 / "2.0" / "3,0"."""

from __future__ import annotations

import datetime as dt
import json

from pantau import cli
from pantau.ingest import formats
from pantau.ingest.formats import sigizi
from pantau.ingest.sheets import Upload, read_grid
from pantau.lake.store import Lake
from tests.exports import ROWS, sigizi_file


def _stored(lake: Lake, month: int) -> dict[str, tuple]:
    table = lake.read("nilai").to_pylist()
    return {r["kelurahan_kode"]: (r["jumlah"], r["penyebut"]) for r in table
            if r["indikator"] == "stunting" and r["sumber"] == "resmi" and r["kota_kode"] == "64.74"
            and r["periode"] == dt.date(2026, month, 1)}


def test_the_format_is_detected_and_months_read_as_written(tmp_path):
    grid = read_grid(Upload("daftar_entry.xlsx", sigizi_file(tmp_path / "daftar_entry.xlsx").read_bytes()), 10**8)
    assert formats.detect(grid) is sigizi
    assert [sigizi.month_of(v) for v in (1, "2.0", "3,0", " 09 ", "September", "Okt", "13", "x")] == \
        [1, 2, 3, 9, 9, 10, None, None]
    reading = sigizi.read(grid, "daftar_entry.xlsx")
    assert ("format.year_from_title", {"year": 2026}) in reading.notes
    stunting = [s for s in reading.slices if s.indicator == "stunting"]
    assert [s.periode for s in stunting] == [dt.date(2026, m, 1) for m in (1, 2, 3)]
    january = {f.name: (f.jumlah, f.penyebut, f.rows) for f in stunting[0].figures}
    # Gunung Elai's two Puskesmas add up into one kelurahan figure, keeping the rows it came from.
    assert january["Gn. Elai"] == (8, 70, (6, 7))
    assert stunting[0].columns["jumlah"][1] == "[38] Jumlah balita stunting"


def test_a_daftar_entry_goes_in_as_one_upload_of_every_month_and_undo_takes_it_all_back(tmp_path, env_lake, capsys):
    path = sigizi_file(tmp_path / "Daftar Entry Balita Gizi.xlsx")
    before = {m: _stored(env_lake, m) for m in (1, 2, 3)}
    code = cli.main(["ingest", str(path), "--kota", "64.74", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["committed"] and out["format"] == "sigizi"
    assert [(s["indicator"], s["source"], s["period"], s["rows"]["accepted"]) for s in out["slices"]] == [
        (ind, "resmi", f"2026-0{m}", n) for ind in ("stunting", "wasting", "underweight") for m, n in ((1, 2), (2, 2), (3, 1))]
    stunting = [s for s in out["slices"] if s["indicator"] == "stunting"]
    assert sum(s["totals"]["count"] for s in stunting) == 12 + 8 + 11 + 8 + 9
    # wasting is [40] over [28] (weighed and measured), underweight [44] over [16] (weighed): 1 and 2 per file row
    assert [s["totals"] for s in out["slices"] if s["period"] == "2026-01" and s["indicator"] != "stunting"] == [
        {"count": 3, "denominator": 170}, {"count": 6, "denominator": 170}]
    gone = [p for p in out["problems"] if p["row"] is None and "bulan lalu" in p["message"]]
    assert gone and {p["slice"]["period"] for p in gone} == {"2026-01", "2026-02", "2026-03"}  # each names its month
    assert any(n.startswith("2 kelurahan-bulan") for n in out["notes"])  # Gunung Elai in January and February
    assert _stored(env_lake, 1) == {"64.74.01.1001": (12, 100), "64.74.01.1005": (8, 70)}
    assert _stored(env_lake, 3) == {"64.74.02.1001": (9, 120)}
    log = [r for r in env_lake.uploads().to_pylist() if r["upload_id"] == out["batch"]]
    assert sorted((r["indikator"], r["periode"].month) for r in log) == [
        (ind, m) for ind in ("stunting", "underweight", "wasting") for m in (1, 2, 3)]  # a log row per slice

    assert {r["indikator"] for r in env_lake.read("nilai").to_pylist() if r["kota_kode"] == "64.74"} >= {
        "wasting", "underweight"}

    assert cli.main(["undo", out["batch"]]) == 0
    assert {m: _stored(env_lake, m) for m in (1, 2, 3)} == before
    assert not {r["indikator"] for r in env_lake.read("nilai").to_pylist() if r["kota_kode"] == "64.74"} & {
        "wasting", "underweight"}  # the new indicators went in with the upload and go back with it


def test_a_broken_integrity_rule_is_a_row_warning_and_the_year_can_come_from_the_file_name(tmp_path, env_lake, capsys):
    path = sigizi_file(tmp_path / "daftar_entry_2026.xlsx", title_year=None, broken_row=4)
    code = cli.main(["ingest", str(path), "--kota", "64.74", "--dry-run", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and not out["committed"]
    broken = [p for p in out["problems"] if p["row"] == 8 and p["level"] == "warning" and "[11]" in p["message"]]
    assert broken and broken[0]["column"].startswith("[11]")
    assert any("nama berkas" in n for n in out["notes"])


def test_without_a_year_the_file_is_refused_and_says_how_to_give_it(tmp_path, env_lake, capsys):
    path = sigizi_file(tmp_path / "daftar_entry.xlsx", title_year=None)
    code = cli.main(["ingest", str(path), "--kota", "64.74", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1 and not out["committed"] and any("--year" in p["message"] for p in out["problems"])
    assert cli.main(["ingest", str(path), "--kota", "64.74", "--year", "2026", "--dry-run"]) == 0


def test_a_bad_month_names_row_column_and_value_and_refuses_the_file(tmp_path, env_lake, capsys):
    rows = [*ROWS[:2], ("PKM Bontang Utara I", "Bontang Baru", "Tigabelas", 10, 10, 1)]
    path = sigizi_file(tmp_path / "daftar_entry.xlsx", rows=rows)
    before = env_lake.read("nilai").num_rows
    code = cli.main(["ingest", str(path), "--kota", "64.74", "--json"])
    out = json.loads(capsys.readouterr().out)
    bad = [p for p in out["problems"] if p["level"] == "error"]
    assert code == 1 and bad[0]["row"] == 7 and bad[0]["column"] == "[7] Bulan" and bad[0]["value"] == "Tigabelas"
    assert env_lake.read("nilai").num_rows == before  # nothing half-written


def test_a_recap_file_without_an_indicator_says_which_formats_it_was_compared_with(tmp_path, env_lake, capsys):
    path = tmp_path / "rekap.csv"
    path.write_text("Kelurahan;Jumlah\nBontang Baru;3\n", encoding="utf-8")
    code = cli.main(["ingest", str(path), "--kota", "64.74", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 1 and "sigizi" in out["problems"][0]["message"] and "[1]" in out["problems"][0]["message"]
