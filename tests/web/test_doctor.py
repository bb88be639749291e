"""`pantau doctor` on deployments with something wrong: each finding in plain words, exit 1 on an error."""

from __future__ import annotations

import json

from pantau import cli


def _doctor(capsys, *argv) -> tuple[int, list[dict]]:
    code = cli.main(["doctor", "--json", *argv])
    return code, json.loads(capsys.readouterr().out)


def test_open_key_and_users_files_are_warned_about_with_the_fix(lake, tmp_path, monkeypatch, capsys):
    key, users = tmp_path / "nik.key", tmp_path / "pengguna.yaml"
    key.write_bytes(b"x" * 32)
    key.chmod(0o644)
    users.write_text("users: {}\n")
    users.chmod(0o640)
    monkeypatch.setenv("PANTAU_LAKE", str(lake.path))
    monkeypatch.setenv("PANTAU_KEY_FILE", str(key))
    monkeypatch.setenv("PANTAU_USERS", str(users))
    code, found = _doctor(capsys, "--address", "0.0.0.0")
    assert code == 0  # warnings only
    open_files = [f["message"] for f in found if f["key"] == "doctor.open_file"]
    assert len(open_files) == 2 and all("chmod 600" in m for m in open_files)
    assert any(f["key"] == "doctor.signin" and "0.0.0.0" in f["message"] for f in found)
    assert any(f["key"] == "doctor.lake_ok" for f in found) and any(f["key"] == "doctor.disk" for f in found)


def test_local_mode_on_every_interface_and_a_lost_key_are_named(lake, tmp_path, monkeypatch, capsys):
    (lake.path / "rekaman" / "_delta_log").mkdir(parents=True)  # the lake holds keyed hashes
    monkeypatch.setenv("PANTAU_LAKE", str(lake.path))
    monkeypatch.setenv("PANTAU_KEY_FILE", str(tmp_path / "hilang" / "nik.key"))
    monkeypatch.setenv("PANTAU_USERS", str(tmp_path / "tidak_ada.yaml"))
    code, found = _doctor(capsys, "--address", "0.0.0.0")
    levels = {f["key"]: f["level"] for f in found}
    assert code == 1 and levels["doctor.key_missing"] == "error" and levels["doctor.local_open"] == "warning"
    assert cli.main(["--lang", "en", "doctor"]) == 1
    assert "a new key would break every match" in capsys.readouterr().out
