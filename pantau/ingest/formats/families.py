"""What the two social registers share: one row per person (P3KE) or per family (DTSEN), a family id, a
kelurahan code, a welfare decile; counted as families per kelurahan, each family once. The names, NIK, KK
numbers and addresses in these files are never read: only the family id (hashed away before anything is
kept), the code and the decile."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from pantau.ingest.formats import Figure, Reading, Slice
from pantau.ingest.matching import code_from_text
from pantau.ingest.rules.base import Problem
from pantau.ingest.sheets import Grid, text
from pantau.render import fmt

# indicator -> the deciles it counts: extreme poverty is decile 1; the poverty target decile 1-4.
COUNTS = {"kemiskinan_ekstrem": (1,), "desil_1_4": (1, 2, 3, 4)}


def labels(row: list) -> dict[str, int]:
    """A header row's labels as compared (lower case, single spaces) -> their column."""
    return {re.sub(r"\s+", " ", text(c).strip().lower()): j for j, c in enumerate(row) if text(c).strip()}


def header_row(grid: Grid, wanted: dict[str, str], rows: int = 30) -> tuple[int, dict[str, int]] | None:
    """The header row (within the first rows) holding every wanted label, and each role's column."""
    for i, row in enumerate(grid.head(rows)):
        labels_at = labels(row)
        found = {role: labels_at[label] for role, label in wanted.items() if label in labels_at}
        if len(found) == len(wanted):
            return i, found
    return None


def lacks(grid: Grid, wanted: dict[str, str]) -> str:
    best: set[str] = set()
    for row in grid.head(30):
        have = {label for label in wanted.values() if label in labels(row)}
        best = have if len(have) > len(best) else best
    return ", ".join(f"“{label}”" for label in wanted.values() if label not in best)


def decile_of(value) -> int | None:
    raw = text(value).strip().replace(",", ".")
    match = re.fullmatch(r"(\d{1,2})(?:\.0+)?", raw)
    return int(match.group(1)) if match and 1 <= int(match.group(1)) <= 10 else None


def period_of(grid: Grid, header_at: int, file_name: str) -> dt.date | None:
    """The month of the data from the title lines above the header, else from the file name."""
    for i in range(header_at):
        found = fmt.find_period(" ".join(text(c) for c in grid.row(i) if text(c)))
        if found:
            return found
    return fmt.find_period(file_name.replace("_", " "))


def count(grid: Grid, header_at: int, columns: dict[str, int], labels: dict[str, str], periode: dt.date,
          denominator_from_file: bool, id_rule: str) -> tuple[list[Slice], list[Problem], pd.DataFrame]:
    """Families per kelurahan code: those in each indicator's deciles, and (DTSEN, which lists every
    family) all families as the denominator. A family listed on several rows (one per member) counts once.
    With them, the families each indicator counts, by family id (formats.Reading.people, `id_rule` naming
    the kind of id: kk, p3ke), for the reconciliation lists."""
    problems: list[Problem] = []
    families: dict[str, tuple[int, str, int]] = {}  # family id -> (first row, kode, decile)
    for i in range(header_at + 1, len(grid)):
        row = grid.row(i)
        if not any(text(c).strip() for c in row):
            continue
        number = grid.row_number(i)
        cell = lambda role: row[columns[role]] if columns[role] < len(row) else None  # noqa: E731
        family = text(cell("keluarga")).strip()
        raw_code = text(cell("kode")).strip()
        kode = code_from_text(raw_code.replace(".0", "") if raw_code.endswith(".0") else raw_code)
        decile = decile_of(cell("desil"))
        if not family:
            continue  # a note or a total under the table (these registers carry no total rows)
        if kode is None:
            problems.append(Problem(number, labels["kode"], raw_code, "problem.bad_code", "error"))
            continue
        if decile is None:
            problems.append(Problem(number, labels["desil"], text(cell("desil")), "format.bad_decile", "error"))
            continue
        seen = families.get(family)
        if seen is None:
            families[family] = (number, kode, decile)
        elif (seen[1], seen[2]) != (kode, decile):
            # Never the family id in a message: it leads to a household.
            problems.append(Problem(number, labels["desil"], text(cell("desil")), "format.family_differs", "warning",
                                    {"first": seen[0]}))
    per_kode: dict[str, list] = {}
    for first, kode, decile in families.values():
        entry = per_kode.setdefault(kode, [first, {k: 0 for k in COUNTS}, 0])
        entry[0] = min(entry[0], first)
        entry[2] += 1
        for indicator, deciles in COUNTS.items():
            entry[1][indicator] += decile in deciles
    slices = []
    for indicator in COUNTS:
        figures = [Figure(first, kode, counts[indicator], total if denominator_from_file else None, (first,), kode)
                   for kode, (first, counts, total) in sorted(per_kode.items())]
        columns_used = {"kelurahan": (columns["kode"], labels["kode"]), "jumlah": (columns["desil"], labels["desil"])}
        if denominator_from_file:
            columns_used["penyebut"] = (columns["keluarga"], labels["keluarga"])
        slices.append(Slice(indicator, "resmi", periode, figures, columns_used))
    listed = [(indicator, first, kode, family) for family, (first, kode, decile) in families.items()
              for indicator, deciles in COUNTS.items() if decile in deciles]
    people = pd.DataFrame({"indicator": [x[0] for x in listed], "sumber": "resmi", "periode": periode,
                           "row": [x[1] for x in listed], "name": [x[2] for x in listed],
                           "code": [x[2] for x in listed], "keluarga": [x[3] for x in listed], "aturan": id_rule})
    return slices, problems, people


def read(name: str, grid: Grid, file_name: str, periode: dt.date | None, wanted: dict[str, str],
         labels: dict[str, str], denominator_from_file: bool, id_rule: str) -> Reading:
    """A register's file as slices of one month: the chosen month, else the one its title or name states."""
    header_at, columns = header_row(grid, wanted)
    notes: list[tuple[str, dict]] = []
    if periode is None:
        periode = period_of(grid, header_at, file_name)
        if periode is not None:
            notes.append(("format.period_from_file", {}))
    if periode is None:
        return Reading(name, [], [Problem(None, None, None, "format.no_period", "error")], notes)
    slices, problems, people = count(grid, header_at, columns, labels, periode, denominator_from_file, id_rule)
    notes.append(("format.families_once", {}))
    if denominator_from_file:
        notes.append(("format.dtsen_denominator", {}))
    return Reading(name, slices, problems, notes, people=people, people_of=tuple(COUNTS),
                   people_column=labels["keluarga"])
