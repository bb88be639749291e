"""The national list of Kemendagri codes (shipped in data/wilayah), read once: how many kab/kota a
province or the nation really has, so a province's or the nation's totals can say what they cover."""

from __future__ import annotations

import functools
import gzip

from pantau import settings


@functools.cache
def _kabkota() -> tuple[str, ...]:
    with gzip.open(settings.WILAYAH_DIR / "kode_wilayah_nasional.csv.gz", "rt", encoding="utf-8") as handle:
        codes = [line.split(",", 1)[0] for line in handle]
    return tuple(c for c in codes if len(c) == 5 and c[2] == ".")


def kabkota_count(wilayah: str) -> int:
    """The kab/kota of a province ('64'), or of the nation (''), by the national code list."""
    return sum(1 for c in _kabkota() if not wilayah or c.startswith(wilayah + "."))
