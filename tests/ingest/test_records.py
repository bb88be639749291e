"""Resmi vs lapangan: aggregate gaps, and two lists of people matched on keyed hashes without keeping anyone."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from pantau.domain import rekonsiliasi as rekon
from pantau.domain.catalog import INDICATORS
from pantau.errors import IngestError
from pantau.ingest import nik, pipeline
from pantau.ingest.sheets import Upload
from pantau.lake import queries
from pantau.lake.store import Lake
from pantau.views import rekonsiliasi
from pantau.views.data import report_xlsx

DATA = Path(__file__).parents[1] / "data"
sys.path.insert(0, str(DATA))
from make_files import PEOPLE  # noqa: E402

AUG = dt.date(2025, 8, 1)
OFFICIAL = "dinkes_bontang_eppgbm_agustus_2025.xlsx"
FIELD = "kader_bontang_stunting_agustus_2025.csv"


@pytest.fixture()
def lake(lake, tmp_path, monkeypatch) -> Lake:
    """The private copy of the demo lake, with a NIK key of this test's own."""
    monkeypatch.setenv("PANTAU_KEY_FILE", str(tmp_path / "kunci" / "nik.key"))
    return lake


def load(lake, name, sumber):
    upload = Upload(name, (DATA / name).read_bytes())
    request = pipeline.Request(kind="records", kota_kode="64.74", indicator="stunting", sumber=sumber, periode=AUG,
                             today=dt.date(2026, 11, 23))
    report = pipeline.prepare(upload, request, lake)
    pipeline.commit(report, upload, lake)
    return report


def test_nik_structure():
    assert nik.check("6474011503230001") is None
    assert nik.check("6474 0155 0323 0001") is None  # a girl: day of birth + 40
    assert nik.check("") == "records.nik_missing"
    assert nik.check("647401150323001") == "records.nik_not_16"
    assert nik.check("1234561503230001") == "records.nik_region"
    assert nik.check("6474013213220008") == "records.nik_birth"


def test_a_pair_of_lists_gives_every_count(lake):
    official, field = load(lake, OFFICIAL, "resmi"), load(lake, FIELD, "lapangan")
    assert [(p.row, p.key) for p in official.problems] == [
        (None, "records.duplicates"), (6, "records.nik_missing"), (8, "records.nik_not_16"), (9, "records.nik_region")]
    assert [(p.row, p.key) for p in field.problems] == [
        (None, "records.duplicates"), (5, "records.nik_missing"), (9, "records.nik_birth")]
    assert all(p.value is None for p in official.problems + field.problems)  # no NIK is ever quoted
    run = partial(queries.run, lake.connect().cursor())
    per_kel = run("rekaman_by_kelurahan", kota_kode="64.74", indikator="stunting", periode=AUG).set_index("nama")
    columns = ["keduanya", "hanya_resmi", "hanya_lapangan", "ganda_resmi", "ganda_lapangan", "nik_buruk_resmi",
               "nik_buruk_lapangan"]
    # Lok Tuan: A and B in both (A twice in the official list), H only in the field.
    assert per_kel.loc["Lok Tuan", columns].tolist() == [2, 0, 1, 1, 0, 0, 0]
    # Api-api: C, E (15 digits) and F (no such kecamatan) only official; E and F matched on name + birth date.
    assert per_kel.loc["Api-api", columns].tolist() == [0, 3, 0, 0, 0, 2, 0]
    # Kanaan: D without NIK in both, matched on name + birth date + kelurahan; G (twice) and I only in the field.
    assert per_kel.loc["Kanaan", columns].tolist() == [1, 0, 2, 0, 1, 1, 2]
    assert per_kel[columns].to_numpy().sum() == 2 + 1 + 1 + 3 + 2 + 1 + 2 + 1 + 1 + 2
    missing = run("rekaman_tanpa_pasangan_by_baris", kota_kode="64.74", indikator="stunting", periode=AUG, sumber="resmi")
    assert missing["baris"].tolist() == [5, 8, 9] and set(missing["nama_berkas"]) == {OFFICIAL}  # C, E, F
    missing = run("rekaman_tanpa_pasangan_by_baris", kota_kode="64.74", indikator="stunting", periode=AUG,
                  sumber="lapangan")
    assert sorted(missing["baris"]) == [6, 7, 8, 9]  # G, H, G again, I


def test_no_nik_and_no_name_reaches_the_lake_the_logs_or_any_export(lake, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    official = load(lake, OFFICIAL, "resmi")
    field = load(lake, FIELD, "lapangan")
    secrets = [p[0] for p in PEOPLE.values() if p[0]] + [p[1] for p in PEOPLE.values()] + ["Jl. Mawar"]
    secrets += [p[0][:4] + " " + p[0][4:8] for p in PEOPLE.values() if p[0]]
    haystack = []
    for table in lake.path.iterdir():
        if not (table / "_delta_log").is_dir():
            continue
        haystack.append(lake.read(table.name).to_pandas().to_csv())
        haystack.extend(p.read_text(encoding="utf-8") for p in (table / "_delta_log").glob("*.json"))
    haystack.append(caplog.text)
    for report, name in ((official, OFFICIAL), (field, FIELD)):
        data = report_xlsx(report, name, "0" * 64, "id", {})
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data))
        haystack.extend(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row)
        haystack.extend(p.where(name) for p in report.problems)
    run = partial(queries.run, lake.connect().cursor())
    for sumber in ("resmi", "lapangan"):
        missing = run("rekaman_tanpa_pasangan_by_baris", kota_kode="64.74", indikator="stunting", periode=AUG, sumber=sumber)
        haystack.append(rekon.missing_table(missing, "id").to_csv())
    cli = subprocess.run([sys.executable, "-m", "pantau", "ingest", str(DATA / FIELD), "--kota", "64.74", "--indicator",
                          "stunting", "--source", "lapangan", "--period", "2025-08", "--records", "--json", "--dry-run"],
                         capture_output=True, text=True, env={**__import__("os").environ, "PANTAU_LAKE": str(lake.path)})
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["rows"]["accepted"] == 7
    haystack.extend([cli.stdout, cli.stderr])
    text = "\n".join(haystack)
    found = [s for s in secrets if s in text or s.lower() in text.lower()]
    assert found == []
    assert "64.74.01.1003" in text and len(text) > 10_000  # the search did look at the data


def test_a_lost_key_stops_the_ingest_instead_of_making_a_new_one(lake, tmp_path):
    load(lake, OFFICIAL, "resmi")
    key_path = nik.key_file()
    first = key_path.read_text()
    key_path.unlink()
    with pytest.raises(IngestError) as refused:
        load(lake, FIELD, "lapangan")
    assert refused.value.key == "records.key_missing" and str(key_path) in refused.value.message("id")
    assert not key_path.exists()
    key_path.write_text(first)
    load(lake, FIELD, "lapangan")  # with the key back, the lists match again
    run = partial(queries.run, lake.connect().cursor())
    assert run("rekaman_by_kelurahan", kota_kode="64.74", indikator="stunting", periode=AUG)["keduanya"].sum() == 3


def test_the_aggregate_gap_and_its_headline(demo_run):
    frame = rekonsiliasi.side_by_side(demo_run, "14.71", INDICATORS["stunting"], "2025-08")
    sums = rekon.totals(frame)
    assert sums["resmi"] == frame["jumlah_resmi"].sum() and sums["selisih"] == sums["lapangan"] - sums["resmi"]
    assert frame["selisih"].abs().is_monotonic_decreasing
    headline = rekon.headline(frame, INDICATORS["stunting"], "id")
    positive = frame["selisih"].clip(lower=0).sort_values(ascending=False)
    k = int((positive.cumsum() < 0.6 * positive.sum()).sum()) + 1
    assert headline == (f"Data lapangan menemukan {int(sums['selisih']):,} anak stunting lebih banyak dari data resmi; "
                        f"60 % selisih ada di {k} dari 83 kelurahan.").replace(",", ".")
    model = rekonsiliasi.ratio_model(frame, "id")
    assert sum(item["count"] for item in model.legend) == 83


def test_one_source_only_is_marked_not_zero():
    import pandas as pd

    frame = pd.DataFrame({"kode": ["a", "b", "c"], "nama": ["A", "B", "C"], "kecamatan": ["K"] * 3,
                          "jumlah_resmi": [10, None, 0], "jumlah_lapangan": [20, 5, 0], "rasio": [2.0, float("nan"), 1.0],
                          "satu_sumber": [False, True, False], "selisih": [10, float("nan"), 0]})
    model = rekonsiliasi.ratio_model(frame, "id")
    assert list(model.classes) == [4, -1, 2]  # 2x: "2 – < 5"; B only field: grey; C none in both: "the same"
