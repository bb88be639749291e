"""Upkeep: compaction keeps every figure, undo still works within the retention, and an upload older than
the retention is named when upkeep runs and refused in words by undo afterwards."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from pantau import cli
from pantau.lake import maintain

DATA = Path(__file__).parents[1] / "data"


def _ingest(capsys) -> str:
    assert cli.main(["ingest", str(DATA / "dinkes_bontang_stunting_agustus_2025.xlsx"), "--kota", "64.74",
                     "--indicator", "stunting", "--source", "resmi", "--period", "2025-08", "--json"]) == 0
    return json.loads(capsys.readouterr().out)["batch"]


def test_compaction_keeps_the_figures_and_undo_within_the_retention(lake, monkeypatch, capsys):
    monkeypatch.setenv("PANTAU_LAKE", str(lake.path))
    batch = _ingest(capsys)
    summary = [cli.main(["summary", "--kota", "64.74", "--period", "2025-08", "--json"]), capsys.readouterr().out]
    assert cli.main(["maintain", "--retention-days", "30", "--json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert done["undo_lost"] == [] and done["tables"]["nilai"]["files_after"] <= done["tables"]["nilai"]["files_before"]
    assert [cli.main(["summary", "--kota", "64.74", "--period", "2025-08", "--json"]), capsys.readouterr().out] == summary
    assert cli.main(["undo", batch]) == 0


def test_an_upload_older_than_the_retention_is_named_and_then_refused_by_undo(lake, monkeypatch, capsys):
    monkeypatch.setenv("PANTAU_LAKE", str(lake.path))
    batch = _ingest(capsys)
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)
    done = maintain.maintain(lake, 1, now=later)
    assert batch in [r["upload_id"] for r in done["undo_lost"]]
    assert cli.main(["undo", batch]) == 1
    assert "terlalu lama untuk dibatalkan" in capsys.readouterr().err
    assert cli.main(["maintain", "--retention-days", "0"]) == 2  # readers running now would lose their files


def test_map_files_of_old_boundaries_go_and_the_current_ones_stay(lake, tmp_path, monkeypatch):
    import os

    from pantau import settings
    from pantau.lake import geo

    monkeypatch.setattr(settings, "GEO_STATIC_DIR", tmp_path / "geo")
    current = geo.kota_assets(lake.connect().cursor(), "64.74")
    old = tmp_path / "geo" / "kelurahan-64.74-000000000000.json"
    old_level = tmp_path / "geo" / "level-64.74-kelurahan-ffffffffff.json"
    for path in (old, old_level):
        path.write_text("{}")
        os.utime(path, (1, 1))  # long unchanged
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=200)
    for path in (tmp_path / "geo").glob("*.json"):
        os.utime(path, (1, 1))
    done = maintain.maintain(lake, 90, now=later)
    left = {p.name for p in (tmp_path / "geo").glob("*.json")}
    assert done["map_files_removed"] >= 2 and old.name not in left and old_level.name not in left
    for lang in ("id", "en"):
        assert current[lang]["kelurahan"].rsplit("/", 1)[1] in left  # both languages' tooltips kept


def test_upkeep_while_someone_uploads_leaves_both_whole(lake, monkeypatch, capsys):
    import threading

    from pantau.ingest import pipeline
    from pantau.ingest.sheets import Upload

    monkeypatch.setenv("PANTAU_LAKE", str(lake.path))
    path = DATA / "dinkes_bontang_stunting_agustus_2025.xlsx"
    upload = Upload(path.name, path.read_bytes())
    request = pipeline.Request(kind="nilai", kota_kode="64.74", indicator="stunting", sumber="resmi",
                               periode=dt.date(2025, 8, 1), today=dt.date(2026, 11, 23))
    report = pipeline.prepare(upload, request, lake)
    results = {}
    upkeep = threading.Thread(target=lambda: results.setdefault("maintain", maintain.maintain(lake, 30)))
    upkeep.start()
    results["commit"] = pipeline.commit(report, upload, lake)  # waits for the lock, or upkeep waits for it
    upkeep.join()
    assert results["maintain"]["undo_lost"] == []
    stored = [r for r in lake.read("nilai").to_pylist() if r["upload_id"] == results["commit"]["upload_id"]]
    assert len(stored) == results["commit"]["baris"] == 13
    assert cli.main(["undo", results["commit"]["upload_id"]]) == 0
