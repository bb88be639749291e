"""P3KE (Kemenko PMK), the individual file: a title block of about twelve rows, then one row per person
with ID Keluarga P3KE, Kode Kemdagri as ten undotted digits and Desil Kesejahteraan. Families per
kelurahan in decile 1 (extreme poverty) and 1-4; the file lists only the register's families, so the
denominator comes from the kota's own household table. Source: ../shared/research/real-formats.md, 3a."""

from __future__ import annotations

import datetime as dt

from pantau.ingest.formats import Reading, families
from pantau.ingest.sheets import Grid

NAME = "p3ke"
WANTED = {"keluarga": "id keluarga p3ke", "kode": "kode kemdagri", "desil": "desil kesejahteraan"}
LABELS = {"keluarga": "ID Keluarga P3KE", "kode": "Kode Kemdagri", "desil": "Desil Kesejahteraan"}


def detect(grid: Grid) -> bool:
    return families.header_row(grid, WANTED) is not None


def lacks(grid: Grid) -> str:
    return families.lacks(grid, WANTED)


def read(grid: Grid, file_name: str, year: int | None = None, periode: dt.date | None = None, **chosen) -> Reading:
    return families.read(NAME, grid, file_name, periode, WANTED, LABELS, denominator_from_file=False,
                         id_rule="p3ke")
