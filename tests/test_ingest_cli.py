"""python -m pantau ingest | history | undo: exit codes, the JSON contract, and safety limits."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pantau import cli
from pantau.domain.catalog import INDICATORS
from pantau.errors import IngestError, LakeBusy
from pantau.ingest import pipeline, template
from pantau.ingest.sheets import Upload, read_grid
from pantau.lake import queries
from pantau.lake.store import Lake
from pantau.render import export

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
STUNTING = str(DATA / "dinkes_bontang_stunting_agustus_2025.xlsx")
ARGS = ["--kota", "64.74", "--indicator", "stunting", "--source", "resmi", "--period", "2025-08"]


@pytest.fixture()
def lake(lake, monkeypatch) -> Lake:
    """The private copy of the demo lake, as the lake the command line opens."""
    monkeypatch.setenv("PANTAU_LAKE", str(lake.path))
    return lake


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_json_contract_and_exit_codes(lake, capsys):
    code, out, _ = run_cli(capsys, "ingest", STUNTING, *ARGS, "--dry-run", "--json")
    result = json.loads(out)
    assert code == 0 and result["committed"] is False and result["batch"] is None
    assert result["rows"] == {"accepted": 13, "rejected": 0, "warnings": 2}
    assert result["totals"] == {"count": 645, "denominator": 7751}
    assert {"row", "column", "value", "message", "level"} <= set(result["problems"][0])
    assert json.loads(run_cli(capsys, "history", "--json")[1]) == []  # a dry run writes nothing
    code, out, _ = run_cli(capsys, "ingest", STUNTING, *ARGS, "--json")
    result = json.loads(out)
    assert code == 0 and result["committed"] is True and result["batch"]
    history = json.loads(run_cli(capsys, "history", "--json")[1])
    assert [h["upload_id"] for h in history] == [result["batch"]]
    assert history[0]["baris"] == 13 and history[0]["periode"] == "2025-08-01"
    code, out, _ = run_cli(capsys, "undo", result["batch"])
    assert code == 0 and result["batch"] in out
    assert run_cli(capsys, "undo", result["batch"])[0] == 1  # already undone


def test_refused_file_exits_1_and_writes_nothing(lake, capsys):
    stamp = lake.stamp()
    code, out, err = run_cli(capsys, "ingest", str(DATA / "dinsos_bontang_kesalahan.xlsx"), "--kota", "64.74",
                             "--indicator", "kemiskinan_ekstrem", "--source", "resmi", "--period", "2025-08")
    assert code == 1
    assert "GALAT: dinsos_bontang_kesalahan.xlsx, baris 4, kolom RT Miskin Ekstrem (E), nilai “2O”: bukan angka" in err
    assert lake.stamp() == stamp
    code, out, _ = run_cli(capsys, "--lang", "en", "ingest", str(DATA / "dinsos_bontang_kesalahan.xlsx"), "--kota",
                           "64.74", "--indicator", "kemiskinan_ekstrem", "--source", "resmi", "--period", "2025-08",
                           "--json")
    assert code == 1 and json.loads(out)["committed"] is False
    assert json.loads(out)["rows"] == {"accepted": 0, "rejected": 7, "warnings": 3}  # refused: nothing accepted
    assert "not a number" in out


@pytest.mark.parametrize("argv", [
    ["--kota", "64.74", "--indicator", "stunting", "--source", "resmi"],                       # no period
    ["--kota", "64.74", "--indicator", "stunting", "--source", "resmi", "--period", "2025-8"],  # bad period
    ["--kota", "99.99", "--indicator", "stunting", "--source", "resmi", "--period", "2025-08"],  # unknown kota
    ["--kota", "64.74", "--indicator", "drainase", "--period", "2025-08"],                     # no period for points
    ["--kota", "64.74", "--indicator", "nope", "--source", "resmi", "--period", "2025-08"],
])
def test_usage_errors_exit_2(lake, capsys, argv):
    assert run_cli(capsys, "ingest", STUNTING, *argv)[0] == 2


def test_drainage_points_from_the_command_line(lake, capsys):
    code, out, err = run_cli(capsys, "ingest", str(DATA / "lurah_bontang_drainase_koordinat.xlsx"), "--kota", "64.74",
                             "--indicator", "drainase", "--json")
    result = json.loads(out)
    assert code == 0 and result["committed"] and result["rows"]["accepted"] == 3


@pytest.mark.parametrize("indicator", [i for i, ind in INDICATORS.items() if ind.table == "nilai"])
def test_a_filled_template_ingests_without_a_single_warning(lake, tmp_path, indicator):
    run = lambda name, **p: queries.run(lake.connect().cursor(), name, **p)  # noqa: E731
    wilayah = run("kelurahan_by_kota", kota_kode="64.74")
    data = template.template_xlsx("nilai", "64.74", "Kota Bontang", wilayah, INDICATORS[indicator])
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Data"]
    assert "Petunjuk" in wb.sheetnames and ws["D5"].value and ws["B5"].value.startswith("64.74.")
    ws["B2"] = "resmi"
    for r in range(5, ws.max_row + 1):
        ws.cell(row=r, column=5, value=7 + r % 3)   # never ending in 0 or 5
        ws.cell(row=r, column=6, value=301 + r)
    path = tmp_path / "templat.xlsx"
    wb.save(path)
    # January 2023 is the first month of the demo: no earlier month to compare against.
    request = pipeline.Request(kind="nilai", kota_kode="64.74", indicator=indicator, sumber="resmi",
                             periode=__import__("datetime").date(2023, 1, 1))
    report = pipeline.prepare(Upload(path.name, path.read_bytes()), request, lake)
    assert report.problems == [] and report.ok
    assert report.counts()["accepted"] == len(wilayah[wilayah["tingkat"] == "kelurahan"])
    ws["B2"] = "lapangan"
    wb.save(path)
    report = pipeline.prepare(Upload(path.name, path.read_bytes()), request, lake)
    assert [p.key for p in report.errors] == ["problem.title_source"]


def test_size_limit_and_zip_bomb_are_refused(tmp_path):
    big = Upload("besar.csv", b"a;b\n" * 1000)
    with pytest.raises(IngestError) as exc:
        read_grid(big, max_bytes=100)
    assert exc.value.key == "ingest.too_large" and "besar.csv" in exc.value.message()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (50 * 1024 * 1024))
    with pytest.raises(IngestError) as exc:
        read_grid(Upload("bom.xlsx", buffer.getvalue()), max_bytes=50 * 1024 * 1024)
    assert exc.value.key == "ingest.zip_bomb"


def test_a_file_name_is_never_a_path():
    upload = Upload("../../etc/passwd.csv", b"x")
    assert upload.display_name == "passwd.csv"
    assert Upload("C:\\Users\\opd\\..\\data.xlsx", b"x").display_name == "data.xlsx"


def test_cells_that_look_like_formulas_are_defused_in_every_export():
    import pandas as pd

    frame = pd.DataFrame({"nama": ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "Bontang"], "n": [1, 2, 3, 4, 5]})
    csv = export.csv_bytes(frame).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "\n'+1" in csv and "\n'-2" in csv and "'@SUM" in csv
    ws = load_workbook(io.BytesIO(export.xlsx_bytes(frame))).active
    values = [ws.cell(row=r, column=1).value for r in range(2, 7)]
    assert values == ["'=HYPERLINK(\"http://x\")", "'+1", "'-2", "'@SUM(A1)", "Bontang"]
    assert all(ws.cell(row=r, column=1).data_type == "s" for r in range(2, 7))


def test_a_second_writer_waits_then_is_refused_with_a_clear_message(lake):
    with lake.lock():
        with pytest.raises(LakeBusy) as exc:
            with lake.lock(wait=0.3):
                pass
    assert "Unggahan atau pembatalan lain sedang berjalan" in exc.value.message()
    with lake.lock(wait=0.3):
        pass  # released


def test_two_ingests_at_the_same_time_both_land(lake):
    env = dict(os.environ, PANTAU_LAKE=str(lake.path), PYTHONPATH=str(ROOT))
    cmds = [[sys.executable, "-m", "pantau", "ingest", STUNTING, *ARGS],
            [sys.executable, "-m", "pantau", "ingest", str(DATA / "disdik_bontang_ats_agustus_2025.csv"), "--kota",
             "64.74", "--indicator", "putus_sekolah", "--source", "resmi", "--period", "2025-08"]]
    procs = [subprocess.Popen(c, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for c in cmds]
    codes = [p.wait(timeout=120) for p in procs]
    assert codes == [0, 0]
    log = lake.uploads().to_pandas()
    assert set(log.loc[~log["demo"], "indikator"]) == {"stunting", "putus_sekolah"}


def _state(lake: Lake):
    nilai = lake.read("nilai").to_pandas()
    mine = nilai[(nilai["kota_kode"] == "64.74") & (nilai["indikator"] == "stunting") & (nilai["sumber"] == "resmi")
                 & (nilai["periode"] == __import__("datetime").date(2025, 8, 1))]
    return sorted(zip(mine["kelurahan_kode"], mine["jumlah"])), len(nilai)


def test_a_killed_ingest_leaves_the_lake_as_before_or_as_after(lake):
    env = dict(os.environ, PANTAU_LAKE=str(lake.path), PYTHONPATH=str(ROOT))
    before = _state(lake)
    ok = subprocess.run([sys.executable, "-m", "pantau", "ingest", STUNTING, *ARGS, "--dry-run"], env=env, cwd=ROOT,
                        capture_output=True)
    assert ok.returncode == 0
    seen_after = None
    for delay in (0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0):
        proc = subprocess.Popen([sys.executable, "-m", "pantau", "ingest", STUNTING, *ARGS], env=env, cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = _state(lake)
        if state != before:
            seen_after = seen_after or state
            assert len(state[0]) == 13 and state[1] == before[1] - len(before[0]) + 13
        lake.recover()
        log = lake.uploads().to_pandas()
        real = log[~log["demo"]]
        # Every commit that landed is in the log (recovered if the kill fell between the two writes).
        assert len(real) == len(set(real["upload_id"]))
        landed = {v for v in real["versi"]}
        assert len(landed) == len(real)
