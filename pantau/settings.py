"""Where things live; every path can be moved with an environment variable."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
WILAYAH_DIR = ROOT / "data" / "wilayah"
# Streamlit serves <app dir>/static at /app/static when server.enableStaticServing is on.
STATIC_DIR = ROOT / "static"
GEO_STATIC_DIR = STATIC_DIR / "geo"
GEO_STATIC_URL = "app/static/geo"


def lake_dir() -> Path:
    """The folder of the Delta Lake tables (PANTAU_LAKE overrides data/lake)."""
    return Path(os.environ.get("PANTAU_LAKE", ROOT / "data" / "lake"))


DEFAULT_KOTA = "14.71"
DEFAULT_INDIKATOR = "stunting"
DEFAULT_SUMBER = "lapangan"
DEFAULT_LANG = "id"
