"""DTSEN (2025), the Keluarga table: header in the first row, one row per family with
kode_kelurahan_desa (dotted or not) and desil_nasional 1-10. DTSEN lists every family, so the families of
a kelurahan are also the denominator. Source: ../shared/research/real-formats.md, 3b."""

from __future__ import annotations

import datetime as dt

from pantau.ingest.formats import Reading, families
from pantau.ingest.sheets import Grid

NAME = "dtsen"
WANTED = {"keluarga": "nomor_kartu_keluarga", "kode": "kode_kelurahan_desa", "desil": "desil_nasional"}
LABELS = {"keluarga": "nomor_kartu_keluarga", "kode": "kode_kelurahan_desa", "desil": "desil_nasional"}


def detect(grid: Grid) -> bool:
    return families.header_row(grid, WANTED) is not None


def lacks(grid: Grid) -> str:
    return families.lacks(grid, WANTED)


def read(grid: Grid, file_name: str, year: int | None = None, periode: dt.date | None = None, **chosen) -> Reading:
    return families.read(NAME, grid, file_name, periode, WANTED, LABELS, denominator_from_file=True, id_rule="kk")
