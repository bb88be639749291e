"""Backups that restore: back up a lake with uploads, keyed NIK hashes and a user, delete it, restore it
into an empty folder, and get the same summary and the same record matches; a damaged backup or a folder
that is not empty is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pantau import cli
from pantau.lake.store import Lake

DATA = Path(__file__).parents[1] / "data"
OFFICIAL, FIELD = "dinkes_bontang_eppgbm_agustus_2025.xlsx", "kader_bontang_stunting_agustus_2025.csv"


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _matches(lake: Lake) -> list:
    """Each keyed hash with its source: the same hashes under the same key match the same people."""
    return sorted((r["kunci"], r["sumber"]) for r in lake.read("rekaman").to_pylist())


@pytest.fixture
def live(lake, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PANTAU_LAKE", str(lake.path))
    monkeypatch.setenv("PANTAU_KEY_FILE", str(tmp_path / "kunci" / "nik.key"))
    monkeypatch.setenv("PANTAU_USERS", str(tmp_path / "kunci" / "pengguna.yaml"))
    for name, source in ((OFFICIAL, "resmi"), (FIELD, "lapangan")):
        assert _run(capsys, "ingest", DATA / name, "--kota", "64.74", "--indicator", "stunting", "--source", source,
                    "--period", "2025-08", "--records")[0] == 0
    return lake


def test_backup_delete_restore_gives_the_same_summary_and_matches(live, tmp_path, monkeypatch, capsys):
    summary = _run(capsys, "summary", "--kota", "64.74", "--period", "2025-08", "--json")[1]
    matches, key = _matches(live), (tmp_path / "kunci" / "nik.key").read_bytes()
    code, out, _ = _run(capsys, "backup", tmp_path / "cadangan")
    assert code == 0 and "offline" in out and (tmp_path / "cadangan" / "kunci" / "nik.key").read_bytes() == key
    manifest = json.loads((tmp_path / "cadangan" / "manifest.json").read_text())
    assert {"nilai", "rekaman", "uploads", "wilayah"} <= set(manifest["tabel"])
    shutil.rmtree(live.path)
    shutil.rmtree(tmp_path / "kunci")

    target = tmp_path / "pulih"
    code, out, _ = _run(capsys, "restore", tmp_path / "cadangan", target)
    assert code == 0 and f"PANTAU_LAKE={target / 'lake'}" in out
    monkeypatch.setenv("PANTAU_LAKE", str(target / "lake"))
    monkeypatch.setenv("PANTAU_KEY_FILE", str(target / "kunci" / "nik.key"))
    assert _run(capsys, "summary", "--kota", "64.74", "--period", "2025-08", "--json")[1] == summary
    assert _matches(Lake(target / "lake")) == matches
    assert (target / "kunci" / "nik.key").read_bytes() == key and (target / "kunci" / "nik.key").stat().st_mode & 0o077 == 0


def test_a_damaged_backup_or_a_folder_in_use_is_refused_and_nothing_is_written(live, tmp_path, capsys):
    assert _run(capsys, "backup", tmp_path / "cadangan")[0] == 0
    code, _, err = _run(capsys, "backup", tmp_path / "cadangan")
    assert code == 2 and "tidak kosong" in err
    log = sorted((tmp_path / "cadangan" / "lake" / "nilai" / "_delta_log").glob("*.json"))[-1]
    log.write_text(log.read_text().replace("stunting", "stuntinG", 1))
    code, _, err = _run(capsys, "restore", tmp_path / "cadangan", tmp_path / "pulih")
    assert code == 2 and "rusak" in err and "nilai/_delta_log" in err and not (tmp_path / "pulih").exists()
    code, _, err = _run(capsys, "restore", tmp_path / "cadangan", live.path)
    assert code == 2 and "sedang dipakai" in err
