"""SIGIZI "Daftar Entry Balita Gizi" (Kemenkes): one row per Puskesmas x desa/kelurahan x month, columns
numbered [1]-[110] under their names, the desa by name, the month as a number and the year only in the title
or the file name. Source: ../shared/research/real-formats.md, 1a."""

from __future__ import annotations

import datetime as dt
import re

from pantau.ingest.formats import Figure, Reading, Slice
from pantau.ingest.matching import normalize
from pantau.ingest.rules.base import Problem
from pantau.ingest.sheets import Grid, text
from pantau.render import fmt

NAME = "sigizi"
_NUMBERED = re.compile(r"^\[(\d{1,3})\]$")
MIN_NUMBERED = 20  # a row of at least this many [n] cells is the row of column numbers
# The identity columns, by number: [5] Puskesmas, [6] Kelurahan/Desa, [7] Bulan.
PUSKESMAS, KELURAHAN, BULAN = 5, 6, 7
# indicator -> (count column, denominator column): stunted over measured by length/height ([38]/[22]),
# wasted over weighed and measured ([40]/[28]), underweight over weighed ([44]/[16]); all 0-59 months.
INDICATORS = {"stunting": (38, 22), "wasting": (40, 28), "underweight": (44, 16)}
# The export's own integrity rules: total = the two age groups (0-23 and 24-59 months).
INTEGRITY = ((11, 9, 10), (16, 12, 14), (22, 18, 20), (28, 24, 26))
_TOTAL = re.compile(r"^\s*(jumlah|total|grand total)\b", re.I)
_MONTHS = {"januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "maret": 3, "mar": 3, "april": 4,
           "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8, "agt": 8,
           "september": 9, "sep": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nop": 11,
           "desember": 12, "des": 12}
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")


def _numbers_row(grid: Grid) -> tuple[int, dict[int, int]] | None:
    """The index of the row of column numbers, and each number's column index."""
    for i, row in enumerate(grid.head(40)):
        found = {int(m.group(1)): j for j, cell in enumerate(row) if (m := _NUMBERED.match(text(cell).strip()))}
        if len(found) >= MIN_NUMBERED:
            return i, found
    return None


def detect(grid: Grid) -> bool:
    found = _numbers_row(grid)
    return found is not None and all(n in found[1] for n in (KELURAHAN, BULAN, 22, 38))


def lacks(grid: Grid) -> str:
    """What the file lacks to be a SIGIZI Daftar Entry (for the message of a file no reader knows)."""
    found = _numbers_row(grid)
    if found is None:
        return f"a row of column numbers [1]…[110] (at least {MIN_NUMBERED})"
    absent = [f"[{n}]" for n in (KELURAHAN, BULAN, 22, 38) if n not in found[1]]
    return ", ".join(absent)


def month_of(value) -> int | None:
    """The month of the Bulan cell: 9, "9", "09", "9.0", "9,0", "September", "Sep"."""
    raw = text(value).strip().lower()
    number = re.fullmatch(r"0?(\d{1,2})(?:[.,]0+)?", raw)
    if number:
        month = int(number.group(1))
        return month if 1 <= month <= 12 else None
    return _MONTHS.get(raw.rstrip("."))


def year_of(title: list[str], file_name: str) -> tuple[int | None, str]:
    """The year from the title lines, else from the file name; and where it was found."""
    for line in title:
        if found := _YEAR.search(line):
            return int(found.group(1)), "title"
    if found := _YEAR.search(file_name):
        return int(found.group(1)), "file"
    return None, ""


def _labels(grid: Grid, numbers_at: int, at: dict[int, int]) -> dict[int, str]:
    """Each numbered column's header as written: its name above the number row, and its number."""
    above = [grid.row(i) for i in range(max(0, numbers_at - 2), numbers_at)]
    labels = {}
    for number, column in at.items():
        names = [text(row[column]).strip() for row in above if column < len(row)]
        labels[number] = f"[{number}] {next((n for n in reversed(names) if n), '')}".strip()
    return labels


def read(grid: Grid, file_name: str, year: int | None = None, periode: dt.date | None = None, **chosen) -> Reading:
    """Every month of the file as slices of stunting, wasting and underweight (source resmi); `periode`
    is not used: the rows carry their month."""
    numbers_at, at = _numbers_row(grid)
    label = _labels(grid, numbers_at, at)  # read once: the problems of every row name their column
    problems: list[Problem] = []
    notes: list[tuple[str, dict]] = []
    title = [" ".join(text(c) for c in grid.row(i) if text(c)) for i in range(numbers_at)]
    if year is None:
        year, where = year_of(title, file_name)
        if year is not None:
            notes.append(("format.year_from_title" if where == "title" else "format.year_from_file", {"year": year}))
    if year is None:
        problems.append(Problem(None, None, None, "format.no_year", "error", {}))
        return Reading(NAME, [], problems, notes)

    def cell(row: list, number: int):
        j = at.get(number)
        return row[j] if j is not None and j < len(row) else None

    def value(row_number: int, row: list, number: int) -> float | None:
        raw = cell(row, number)
        if not text(raw).strip():
            return None
        try:
            parsed = fmt.parse_number(raw)
        except fmt.Unparsable:
            problems.append(Problem(row_number, label[number], text(raw),
                                    "problem.not_a_number", "error", {}))
            return None
        return parsed

    sums: dict[tuple[str, int, str], list] = {}  # (indicator, month, kelurahan) -> [first row, name, count, den, rows]
    for i in range(numbers_at + 1, len(grid)):
        row = grid.row(i)
        number = grid.row_number(i)
        name = text(cell(row, KELURAHAN)).strip()
        if not any(text(c).strip() for c in row):
            continue
        if not name or any(_TOTAL.match(text(cell(row, n))) for n in (1, PUSKESMAS, KELURAHAN)):
            continue  # a subtotal, a total, or a note under the table
        month = month_of(cell(row, BULAN))
        if month is None:
            problems.append(Problem(number, label[BULAN], text(cell(row, BULAN)),
                                    "format.bad_month", "error", {}))
            continue
        for total, first, second in INTEGRITY:
            if all(n in at for n in (total, first, second)):
                a, b, c = (value(number, row, n) for n in (total, first, second))
                if None not in (a, b, c) and a != b + c:
                    problems.append(Problem(number, label[total], text(cell(row, total)),
                                            "format.sigizi_integrity", "warning",
                                            {"total": f"[{total}]", "a": f"[{first}]", "b": f"[{second}]",
                                             "sum": fmt.Shown(b + c)}))
        for indicator, (count, denominator) in INDICATORS.items():
            if count not in at or denominator not in at:
                continue
            jumlah, penyebut = value(number, row, count), value(number, row, denominator)
            key = (indicator, month, normalize(name))
            if key not in sums:
                sums[key] = [number, name, None, None, []]
            entry = sums[key]
            entry[2] = None if jumlah is None and entry[2] is None else (entry[2] or 0) + (jumlah or 0)
            entry[3] = None if penyebut is None and entry[3] is None else (entry[3] or 0) + (penyebut or 0)
            entry[4].append(number)
    slices = []
    for indicator, (count, denominator) in INDICATORS.items():
        months = sorted({m for (ind, m, _) in sums if ind == indicator})
        for month in months:
            figures = [Figure(e[0], e[1], e[2], e[3], tuple(e[4])) for (ind, m, _), e in sums.items()
                       if ind == indicator and m == month]
            columns = {"kelurahan": (at[KELURAHAN], label[KELURAHAN]),
                       "jumlah": (at[count], label[count]),
                       "penyebut": (at[denominator], label[denominator])}
            slices.append(Slice(indicator, "resmi", dt.date(year, month, 1), figures, columns))
    summed = sum(1 for (ind, _, _), e in sums.items() if ind == "stunting" and len(e[4]) > 1)
    if summed:
        notes.append(("format.sigizi_summed", {"n": summed}))
    return Reading(NAME, slices, problems, notes)
