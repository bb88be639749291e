"""Peta wilayah: which wilayah the level map may show."""

from __future__ import annotations

import re

_WILAYAH_CODE = re.compile(r"^(\d{2}(\.\d{2}(\.\d{2})?)?)?$")


def valid_wilayah(code: str | None, area: str | None) -> str:
    """A wilayah code for the level map: a province, kab/kota or kecamatan code, '' for the nation;
    anything else, or anything outside the user's area, becomes the area itself."""
    code = (code or "").strip()
    if not _WILAYAH_CODE.match(code):
        code = ""
    if area and not (code == area or code.startswith(area + ".")):
        return area[:8]
    return code
