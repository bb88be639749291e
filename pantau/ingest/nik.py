"""NIK without keeping it: structure checks, and a keyed hash (HMAC-SHA256) under a secret kept outside the lake.

The same person in two lists gets the same hash only under the same key, so the key is created once,
on first use, and never silently replaced: if it goes missing while the lake holds hashes, ingest stops
and says where the key must be put back.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from pathlib import Path

from pantau import settings
from pantau.errors import IngestError


def key_file() -> Path:
    """Where the secret lives (PANTAU_KEY_FILE overrides data/kunci/nik.key; data/kunci is not in git)."""
    return Path(os.environ.get("PANTAU_KEY_FILE", settings.ROOT / "data" / "kunci" / "nik.key"))


def load_key(may_create: bool) -> bytes:
    """The secret; created when none exists and may_create (no hash made under an earlier key is stored)."""
    path = key_file()
    if path.is_file():
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
        if len(key) < 32:
            raise IngestError("records.key_bad", path=str(path))
        return key
    if not may_create:
        raise IngestError("records.key_missing", path=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex())
    return key


@functools.cache
def _kecamatan_codes() -> frozenset[str]:
    with gzip.open(settings.WILAYAH_DIR / "kode_wilayah_nasional.csv.gz", "rt", encoding="utf-8") as handle:
        rows = [line.split(",", 1)[0] for line in handle]
    return frozenset(code.replace(".", "") for code in rows if code.count(".") == 2)


def check(nik: str) -> str | None:
    """Why a NIK is malformed (problem key), or None: 16 digits, a real kecamatan, a real birth date."""
    digits = re.sub(r"[\s.\-']", "", nik or "")
    if not digits:
        return "records.nik_missing"
    if not re.fullmatch(r"\d{16}", digits):
        return "records.nik_not_16"
    if digits[:6] not in _kecamatan_codes():
        return "records.nik_region"
    day, month, year = int(digits[6:8]), int(digits[8:10]), int(digits[10:12])
    day = day - 40 if day > 40 else day  # women: day of birth plus 40
    try:
        dt.date(2000 + year, month, day)
    except ValueError:
        return "records.nik_birth"
    return None


def normalize_name(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z ]+", " ", text).split())


def keyed(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def record_key(key: bytes, nik: str, name: str, birth: dt.date | None, kelurahan: str | None
               ) -> tuple[str | None, str | None, str | None]:
    """(hash, rule, problem): the NIK's keyed hash; else name + birth date + kelurahan; else nothing."""
    problem = check(nik)
    if problem is None:
        return keyed(key, "nik|" + re.sub(r"\D", "", nik)), "nik", None
    name_norm = normalize_name(name)
    if name_norm and birth is not None and kelurahan:
        return keyed(key, f"nama|{name_norm}|{birth.isoformat()}|{kelurahan}"), "nama", problem
    return None, None, problem


FAMILY_RULES = ("kk", "p3ke")  # a family's number on its Kartu Keluarga, its ID Keluarga in P3KE


def family_key(key: bytes, rule: str, family_id: str) -> str:
    """A family's keyed hash by its register id ("6474 0100-0000 0001" and "6474010000000001" alike)."""
    if rule not in FAMILY_RULES:
        raise ValueError(rule)
    return keyed(key, f"{rule}|" + re.sub(r"[\s.\-']", "", family_id).upper())
