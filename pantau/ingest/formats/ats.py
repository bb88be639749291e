"""ATS tables of the national portal (Pusdatin Kemendikdasmen, "Tabel Data Anak Tidak Sekolah"): a title,
a two-row merged header (No, Desa/Kelurahan, the reason or status codes k_1... or v_1..., Sudah / Belum
Verifikasi, Total), one row per desa by name, a Residu row (children placed in no desa) and a Jumlah row,
numbers with dot thousands. Out-of-school children per kelurahan are the Total column; the Residu is
reported, never spread over kelurahan; the Jumlah row is checked against the rows. The month is not in
the table: it is the one chosen, or the one the title or the file name states.
Source: ../shared/research/real-formats.md, 2."""

from __future__ import annotations

import datetime as dt
import re

from pantau.ingest.formats import Figure, Reading, Slice, families
from pantau.ingest.rules.base import Problem
from pantau.ingest.sheets import Grid, text
from pantau.render import fmt

NAME = "ats"
_CODE = re.compile(r"^[kv]_\d+$", re.I)
_RESIDU = re.compile(r"^\s*residu\b", re.I)
_JUMLAH = re.compile(r"^\s*(jumlah|total)\b", re.I)


def _header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    """The first header row (with Desa/Kelurahan and Total), the row of codes under it, and the columns."""
    rows = grid.head(30)
    for i, row in enumerate(rows[:-1]):
        labels = [text(c).strip().lower() for c in row]
        if "total" in labels and any(label.startswith("desa") for label in labels):
            codes = sum(bool(_CODE.match(text(c).strip())) for c in rows[i + 1])
            if codes >= 2:
                columns = {"kelurahan": next(j for j, label in enumerate(labels) if label.startswith("desa")),
                           "total": len(labels) - 1 - labels[::-1].index("total")}
                return i + 1, columns
    return None


def detect(grid: Grid) -> bool:
    return _header(grid) is not None


def lacks(grid: Grid) -> str:
    return "“Desa/Kelurahan”, “Total” and a row of codes k_1… or v_1… under them"


def _numbers(row: list) -> list[float]:
    out = []
    for cell in row:
        try:
            value = fmt.parse_number(cell)
        except fmt.Unparsable:
            continue
        if value is not None:
            out.append(value)
    return out


def read(grid: Grid, file_name: str, year: int | None = None, periode: dt.date | None = None, **chosen) -> Reading:
    codes_at, columns = _header(grid)
    header = grid.row(codes_at - 1)
    label = {role: text(header[j]).strip() for role, j in columns.items()}
    notes: list[tuple[str, dict]] = []
    problems: list[Problem] = []
    if periode is None:
        periode = families.period_of(grid, codes_at - 1, file_name)
        if periode is not None:
            notes.append(("format.period_from_file", {}))
    if periode is None:
        return Reading(NAME, [], [Problem(None, None, None, "format.no_period", "error")], notes)
    figures: list[Figure] = []
    residu = jumlah = None
    jumlah_row = None
    for i in range(codes_at + 1, len(grid)):
        row = grid.row(i)
        if not any(text(c).strip() for c in row):
            continue
        number = grid.row_number(i)
        first = " ".join(text(c) for c in row[:columns["kelurahan"] + 1] if text(c).strip())
        if _RESIDU.match(first):
            values = _numbers(row)
            residu = values[-1] if values else None
            continue
        if _JUMLAH.match(first):
            values = _numbers(row)
            jumlah, jumlah_row = (values[-1] if values else None), number
            continue
        name = text(row[columns["kelurahan"]]).strip() if columns["kelurahan"] < len(row) else ""
        if not name:
            continue
        cell = row[columns["total"]] if columns["total"] < len(row) else None
        try:
            total = fmt.parse_number(cell)
        except fmt.Unparsable:
            problems.append(Problem(number, label["total"], text(cell), "problem.not_a_number", "error"))
            continue
        figures.append(Figure(number, name, total, None, (number,)))
    if residu:
        notes.append(("format.ats_residu", {"n": fmt.Shown(residu)}))
    listed = sum(f.jumlah or 0 for f in figures) + (residu or 0)
    if jumlah is not None and jumlah != listed:
        problems.append(Problem(jumlah_row, label["total"], fmt.number(jumlah), "format.ats_total", "warning",
                                {"sum": fmt.Shown(listed)}))
    slices = [Slice("putus_sekolah", "resmi", periode, figures,
                    {"kelurahan": (columns["kelurahan"], label["kelurahan"]), "jumlah": (columns["total"], label["total"])})]
    return Reading(NAME, slices, problems, notes)
