"""e-PPGBM by-name (Kemenkes): one row per child per measurement (NIK, Nama, JK, Tgl Lahir, ..., Desa/Kel,
Posyandu, Usia Saat Ukur as "X Tahun - Y Bulan - Z Hari", Tanggal Pengukuran, Berat, Tinggi, TB/U, ZS TB/U).
Per kelurahan and month: the children measured (each child's latest measurement in the month, 0-59
months) and the stunted among them (TB/U Pendek and Sangat Pendek; ZS TB/U below -2 when the status is
blank). The NIK and the name only tell one child from another while the file is read; neither is kept,
logged or quoted. Source: ../shared/research/real-formats.md, 1b."""

from __future__ import annotations

import datetime as dt
import re

from pantau.ingest.formats import Figure, Reading, Slice, families
from pantau.ingest.matching import normalize
from pantau.ingest.rules.base import Problem
from pantau.ingest.sheets import Grid, text
from pantau.render import fmt

NAME = "eppgbm"
WANTED = {"usia": "usia saat ukur", "tanggal": "tanggal pengukuran", "tbu": "tb/u"}
ALIASES = {"kelurahan": ("desa/kel", "desa/kelurahan", "kelurahan", "desa"), "nik": ("nik", "nik anak"),
           "nama": ("nama", "nama anak", "nama balita"), "lahir": ("tgl lahir", "tanggal lahir"),
           "zs": ("zs tb/u",)}
STUNTED = {"pendek", "sangat pendek"}
NOT_STUNTED = {"normal", "tinggi"}
_AGE = re.compile(r"^\s*(\d+)\s*tahun\s*-\s*(\d+)\s*bulan(?:\s*-\s*(\d+)\s*hari)?\s*$", re.I)
MAX_MONTHS = 59


def _columns(grid: Grid) -> tuple[int, dict[str, int]] | None:
    found = families.header_row(grid, WANTED)
    if found is None:
        return None
    at, columns = found
    labels = {re.sub(r"\s+", " ", text(c).strip().lower()): j for j, c in enumerate(grid.row(at)) if text(c).strip()}
    for role, names in ALIASES.items():
        j = next((labels[n] for n in names if n in labels), None)
        if j is not None:
            columns[role] = j
    return (at, columns) if "kelurahan" in columns else None


def detect(grid: Grid) -> bool:
    return _columns(grid) is not None


def lacks(grid: Grid) -> str:
    return families.lacks(grid, {**WANTED, "kelurahan": "desa/kel"})


def age_months(value) -> int | None:
    """Months of age from "1 Tahun - 11 Bulan - 17 Hari" (None when unreadable)."""
    match = _AGE.match(text(value))
    return 12 * int(match.group(1)) + int(match.group(2)) if match else None


def _months_between(born: dt.date, on: dt.date) -> int:
    return (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)


def read(grid: Grid, file_name: str, year: int | None = None, periode: dt.date | None = None) -> Reading:
    at, columns = _columns(grid)
    header = grid.row(at)
    label = {role: text(header[j]).strip() for role, j in columns.items()}
    problems: list[Problem] = []
    latest: dict[tuple, tuple] = {}  # (child, month) -> (date, row, kelurahan name, stunted)
    too_old = 0
    for i in range(at + 1, len(grid)):
        row = grid.row(i)
        if not any(text(c).strip() for c in row):
            continue
        number = grid.row_number(i)
        cell = lambda role: row[columns[role]] if role in columns and columns[role] < len(row) else None  # noqa: E731
        name = text(cell("kelurahan")).strip()
        if not name:
            continue
        try:
            measured = fmt.parse_date(cell("tanggal"))
        except fmt.Unparsable:
            measured = None
        if measured is None:
            problems.append(Problem(number, label["tanggal"], text(cell("tanggal")), "format.bad_date", "error"))
            continue
        months = age_months(cell("usia"))
        if months is None and "lahir" in columns:
            try:
                born = fmt.parse_date(cell("lahir"))
            except fmt.Unparsable:
                born = None
            months = _months_between(born, measured) if born else None
        if months is None:
            problems.append(Problem(number, label["usia"], text(cell("usia")), "format.bad_age", "error"))
            continue
        if months > MAX_MONTHS:
            too_old += 1
            continue
        status = normalize(text(cell("tbu")))
        if status in STUNTED or status in NOT_STUNTED:
            stunted = status in STUNTED
        else:
            z = fmt.parse_number_or_none(cell("zs")) if "zs" in columns else None
            if z is None:
                problems.append(Problem(number, label["tbu"], text(cell("tbu")), "format.bad_height_status", "warning"))
                continue
            stunted = z < -2
        # One child: the NIK when it is there, else name and birth date; held only while the file is read.
        child = text(cell("nik")).strip() or (normalize(text(cell("nama"))), text(cell("lahir")))
        key = (child, measured.year, measured.month)
        if key not in latest or measured >= latest[key][0]:
            latest[key] = (measured, number, name, stunted)
    per: dict[tuple, list] = {}  # (month, kelurahan) -> [first row, name, stunted, measured, rows]
    for (_, y, m), (_, number, name, stunted) in latest.items():
        entry = per.setdefault((dt.date(y, m, 1), normalize(name)), [number, name, 0, 0, []])
        entry[0] = min(entry[0], number)
        entry[2] += stunted
        entry[3] += 1
        entry[4].append(number)
    slices = []
    for month in sorted({m for m, _ in per}):
        figures = [Figure(e[0], e[1], e[2], e[3], tuple(sorted(e[4]))) for (m, _), e in per.items() if m == month]
        slices.append(Slice("stunting", "resmi", month, sorted(figures, key=lambda f: f.row),
                            {"kelurahan": (columns["kelurahan"], label["kelurahan"]),
                             "jumlah": (columns["tbu"], label["tbu"]), "penyebut": (columns["tanggal"], label["tanggal"])}))
    notes = [("format.eppgbm_latest", {})]
    if too_old:
        notes.append(("format.eppgbm_too_old", {"n": too_old}))
    return Reading(NAME, slices, problems, notes)
