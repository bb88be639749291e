"""`python -m pantau doctor`: what is wrong with a deployment, in plain words. Each check gives a level
(ok, warning, error) and a sentence in the reader's language; nothing is changed."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
import re
import shutil
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pantau import settings
from pantau.i18n import t
from pantau.web import access

MIN_FREE_GB, LOW_FREE_GB = 0.5, 2.0


@dataclass
class Finding:
    level: str  # ok | warning | error
    key: str
    values: dict = field(default_factory=dict)

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.values)


def _config_address(root: Path) -> str:
    path = root / ".streamlit" / "config.toml"
    if not path.is_file():
        return "0.0.0.0"  # Streamlit's default: every interface
    return str(tomllib.loads(path.read_text(encoding="utf-8")).get("server", {}).get("address", "0.0.0.0"))


def _private(path: Path) -> bool:
    return path.stat().st_mode & 0o077 == 0


def _pins(root: Path) -> dict[str, str]:
    pins = {}
    for line in (root / "requirements.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;#]+)", line.strip())
        if match:
            pins[match.group(1)] = match.group(2)
    return pins


def check(lake_path: Path, address: str | None = None, root: Path = settings.ROOT) -> list[Finding]:
    """Every check, in the order an IT officer would go through them."""
    from pantau.ingest import nik

    found: list[Finding] = []
    mode = access.mode()
    address = address or _config_address(root)
    if mode == "lokal":
        found.append(Finding("ok" if access.is_local(address) else "warning",
                             "doctor.local_ok" if access.is_local(address) else "doctor.local_open", {"address": address}))
    else:
        users = access.users_file()
        found.append(Finding("ok", "doctor.signin", {"address": address, "users": users}))
        if users.is_file() and not _private(users):
            found.append(Finding("warning", "doctor.open_file", {"file": users}))
    key = nik.key_file()
    if key.is_file():
        found.append(Finding("ok" if _private(key) else "warning", "doctor.key_ok" if _private(key) else "doctor.open_file",
                             {"file": key}))
    elif (lake_path / "rekaman").is_dir():
        found.append(Finding("error", "doctor.key_missing", {"file": key}))
    if not lake_path.is_dir():
        found.append(Finding("error", "doctor.no_lake", {"folder": lake_path}))
    else:
        writable = os.access(lake_path, os.R_OK | os.W_OK | os.X_OK)
        found.append(Finding("ok" if writable else "error", "doctor.lake_ok" if writable else "doctor.lake_locked",
                             {"folder": lake_path}))
        free = shutil.disk_usage(lake_path).free / 1e9
        level = "error" if free < MIN_FREE_GB else "warning" if free < LOW_FREE_GB else "ok"
        found.append(Finding(level, "doctor.disk", {"free": f"{free:.1f}", "folder": lake_path}))
    wrong = []
    for package, pinned in _pins(root).items():
        try:
            installed = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            installed = "-"
        if installed != pinned:
            wrong.append(f"{package} {installed} (requirements.txt: {pinned})")
    found.append(Finding("warning" if wrong else "ok", "doctor.versions_off" if wrong else "doctor.versions_ok",
                         {"python": sys.version.split()[0], "wrong": "; ".join(wrong)}))
    zone = dt.datetime.now().astimezone().tzname()
    found.append(Finding("ok", "doctor.zone", {"zone": zone}))
    proxies = ", ".join(sorted(access.trusted_proxies())) or "-"
    found.append(Finding("ok" if mode == "masuk" else "warning", "doctor.proxy", {"proxies": proxies}))
    return found
