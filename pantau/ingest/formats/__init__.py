"""Readers of the national systems' own exports, one module per format: each takes the grid of a file
as the system exported it (and what the officer chose: kota, indicator, year or month, each optional) and
gives a Reading, the file's figures as recaps per slice (indicator x
source x month, one row per kelurahan, with the rows of the file each figure came from), the problems
found in the file's own rows and what the reader assumed. The pipeline then checks every slice with the
same rules as a recap typed by hand and commits them all as one upload."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from pantau.ingest.rules.base import Problem
from pantau.ingest.sheets import Grid


@dataclass
class Figure:
    """One kelurahan's count and denominator in one slice, and where in the file they came from."""

    row: int  # the first row of the file that went into it (the number a person sees)
    name: str  # the kelurahan as the file names it
    jumlah: float | None
    penyebut: float | None
    rows: tuple[int, ...] = ()  # every row summed into it
    code: str | None = None  # the kelurahan's code when the file gives one
    bps: str | None = None  # its BPS code (ten digits) when the file gives one


@dataclass
class Slice:
    """The figures of one indicator, source and month, with the columns they were read from."""

    indicator: str
    sumber: str
    periode: dt.date
    figures: list[Figure]
    columns: dict[str, tuple[int, str]]  # role (kelurahan, jumlah, penyebut) -> (column index, header as written)
    # "bulan": a month's figures (periode its first day); "tahun": a year's (periode 1 January), stored apart
    # (nilai_tahunan) and never drawn as a month.
    grain: str = "bulan"


@dataclass
class Reading:
    """What a format reader made of a file."""

    format: str
    slices: list[Slice]
    problems: list[Problem] = field(default_factory=list)
    notes: list[tuple[str, dict]] = field(default_factory=list)  # (text key, values): what it assumed or left out
    # The people counted in each slice, for the reconciliation lists (by-name exports only): one row per
    # person and slice with indicator, sumber, periode, row, name (the kelurahan as written), code and the
    # identity the pipeline turns into a keyed hash at once: nik, nama, lahir (people) or keluarga (a
    # family id). Held in memory while the file is read; never stored, logged or shown.
    people: pd.DataFrame | None = None
    people_of: tuple[str, ...] = ()  # the indicators whose slices come with such a list (even an empty one)
    people_column: str | None = None  # the identity's column as written (NIK, ID Keluarga), for row warnings


def _readers():
    from pantau.ingest.formats import ats, dtsen, eppgbm, p3ke, satudata, sigizi

    return {reader.NAME: reader for reader in (sigizi, eppgbm, p3ke, dtsen, ats, satudata)}


def names() -> list[str]:
    """The formats a file is compared with, by name (as `--format` takes them)."""
    return list(_readers())


def detect(grid: Grid, wanted: str | None = None):
    """The reader whose format the file is in (only `wanted` when given), or None."""
    for name, reader in _readers().items():
        if wanted in (None, name) and reader.detect(grid):
            return reader
    return None


def missing(grid: Grid) -> dict[str, str]:
    """For each format, what the file lacks to be read as it (for a file that matches none)."""
    return {name: reader.lacks(grid) for name, reader in _readers().items()}
