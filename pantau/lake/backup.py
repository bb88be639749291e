"""Backups that restore: a consistent copy of the lake (every table at one version, taken under the lake's
writer lock while the app keeps serving readers), the users file and the NIK key, with a manifest of
SHA-256 checksums; a restore verifies every checksum and writes only into an empty folder, never over a
live lake."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

from deltalake import DeltaTable

import pantau
from pantau.errors import KeyedError
from pantau.lake.store import Lake

MANIFEST = "manifest.json"
LOCK_FILE = ".pantau.lock"


class BackupError(KeyedError):
    """A backup or restore refused, with what to do."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _empty(folder: Path) -> bool:
    return not folder.exists() or (folder.is_dir() and not any(folder.iterdir()))


def backup(lake: Lake, dest: Path, secrets: dict[str, Path]) -> dict:
    """Copy the lake and the secret files (name -> path; a missing one is listed as absent) into dest."""
    dest = Path(dest)
    if not _empty(dest):
        raise BackupError("backup.not_empty", folder=str(dest))
    if not lake.path.exists():
        raise BackupError("backup.no_lake", folder=str(lake.path))
    dest.mkdir(parents=True, exist_ok=True)
    with lake.lock():  # no upload, undo or edit commits while the copy is taken; readers go on
        tables = {p.name: DeltaTable(p).version() for p in sorted(lake.path.iterdir())
                  if (p / "_delta_log").is_dir()}
        shutil.copytree(lake.path, dest / "lake", ignore=shutil.ignore_patterns(LOCK_FILE))
    kept = {}
    for name, path in secrets.items():
        if Path(path).is_file():
            (dest / "kunci").mkdir(exist_ok=True)
            shutil.copy2(path, dest / "kunci" / name)
            kept[name] = True
        else:
            kept[name] = False
    files = {str(p.relative_to(dest)): _sha256(p) for p in sorted(dest.rglob("*")) if p.is_file()}
    manifest = {"dibuat": dt.datetime.now(dt.timezone.utc).isoformat(), "pantau": pantau.__version__,
                "tabel": tables, "rahasia": kept, "berkas": files}
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
    return manifest


def verify(src: Path) -> list[str]:
    """Every file of the manifest present with its checksum, and no file the manifest does not list."""
    src = Path(src)
    if not (src / MANIFEST).is_file():
        raise BackupError("backup.no_manifest", folder=str(src))
    manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    broken = [name for name, digest in manifest["berkas"].items()
              if not (src / name).is_file() or _sha256(src / name) != digest]
    extra = [str(p.relative_to(src)) for p in src.rglob("*")
             if p.is_file() and p.name != MANIFEST and str(p.relative_to(src)) not in manifest["berkas"]]
    return sorted(broken + extra)


def restore(src: Path, target: Path) -> dict:
    """Verify src, then copy it into the empty folder target: target/lake, target/kunci."""
    src, target = Path(src), Path(target)
    bad = verify(src)
    if bad:
        raise BackupError("backup.corrupt", folder=str(src), n=len(bad), files=", ".join(bad[:5]))
    if not _empty(target):
        raise BackupError("backup.not_empty", folder=str(target))
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src / "lake", target / "lake")
    if (src / "kunci").is_dir():
        shutil.copytree(src / "kunci", target / "kunci")
        for key in (target / "kunci").iterdir():
            key.chmod(0o600)
    manifest = json.loads((src / MANIFEST).read_text(encoding="utf-8"))
    for table, version in manifest["tabel"].items():
        if DeltaTable(target / "lake" / table).version() != version:
            raise BackupError("backup.corrupt", folder=str(src), n=1, files=table)
    return manifest
