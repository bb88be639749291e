"""What every kind of file shares: Problem, Context, Report, the Collector of problems per row, and the row
helpers (kelurahan matching, numbers, coordinates, the file's title lines, duplicates, suggestions)."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pantau.domain.catalog import INDICATORS, SOURCES, Indicator
from pantau.i18n import t
from pantau.ingest.matching import normalize
from pantau.ingest.sheets import text
from pantau.ingest.tables import Column, Parsed, Row
from pantau.render import fmt


@dataclass
class Problem:
    """One thing wrong (error: blocks the upload) or worth a look (warning) in a file."""

    row: int | None
    column: str | None
    value: str | None
    key: str
    level: str
    params: dict = field(default_factory=dict)
    # In a file of many slices, the slice a problem belongs to: (indicator id, first day of the month, or
    # the year of an annual slice).
    part: tuple[str, dt.date | int] | None = None

    def message(self, lang: str = "id") -> str:
        return t(self.key, lang, **self.params)

    def where(self, file: str, lang: str = "id") -> str:
        """The problem with its place: file, row, column and value."""
        parts = [file]
        if self.part is not None:
            parts.append(t("problem.part", lang, indicator=INDICATORS[self.part[0]].text("short_label", lang),
                           period=fmt.period(self.part[1], lang)))
        if self.row is not None:
            parts.append(t("problem.row", lang, row=self.row))
        if self.column:
            parts.append(t("problem.column", lang, column=self.column))
        if self.value not in (None, ""):
            parts.append(t("problem.value", lang, value=self.value))
        return ", ".join(parts) + ": " + self.message(lang)


@dataclass
class Context:
    """What the user chose and what the lake already knows."""

    kind: str
    kota_kode: str
    kota_nama: str
    file_name: str
    indicator: Indicator | None = None
    sumber: str | None = None
    periode: dt.date | None = None
    tahun: int | None = None
    grain: str = "bulan"  # "tahun": a year's figures (periode 1 January, tahun the year), never a month
    today: dt.date = field(default_factory=dt.date.today)
    previous: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    previous_names: dict[str, str] = field(default_factory=dict)
    fallback_penyebut: dict[str, int] = field(default_factory=dict)
    fallback_tahun: int | None = None  # the year of those denominators
    other_kota: dict[str, str] = field(default_factory=dict)  # normalized name -> kode
    boundaries: object = None  # GeoDataFrame of the kota's kelurahan, for drainage points

    @property
    def period_shown(self) -> dt.date | int | None:
        """The period as a reader should see it: the month, or the year of an annual slice (fmt.period takes both)."""
        return self.tahun if self.grain == "tahun" else self.periode


@dataclass
class Report:
    """Everything the preview shows and the commit needs."""

    context: Context
    problems: list[Problem]
    rows: pd.DataFrame  # one row per data row of the file, with its status
    accepted: pd.DataFrame  # what would be written to the lake
    totals: dict[str, int | None]
    suggestions: list[dict] = field(default_factory=list)
    prepared: dt.datetime | None = None  # when ingest.prepare made it (UTC)
    committed: dict | None = None  # the upload record once ingest.commit wrote it: it is never written twice
    # A file of many slices (a national system's export): its format, one report per slice (indicator x
    # source x month), and what the reader assumed or left out, as (text key, values).
    format: str | None = None
    slices: list["Report"] = field(default_factory=list)
    notes: list[tuple[str, dict]] = field(default_factory=list)
    # A by-name export's reconciliation list (lake table rekaman), written in the same upload as its
    # figures, and the slices of it the upload replaces.
    rekaman: pd.DataFrame | None = None
    rekaman_slices: list[dict] = field(default_factory=list)
    # BPS code -> Kemendagri code pairs the file teaches (a Satu Data CSV with both), kept with the upload.
    bps_pairs: dict[str, str] = field(default_factory=dict)

    @property
    def valid_rows(self) -> int:
        """Rows without an error of their own (stored only when the whole file is accepted)."""
        status = self.rows["status"] if len(self.rows) else pd.Series(dtype=str)
        return int(status.isin(["diterima", "peringatan"]).sum())

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors and len(self.accepted) > 0

    def counts(self) -> dict[str, int]:
        """Rows accepted (0 when the file is refused: nothing of it is stored), rejected, and warnings."""
        status = self.rows["status"] if len(self.rows) else pd.Series(dtype=str)
        return {"accepted": self.valid_rows if self.ok else 0,
                "rejected": int((status == "ditolak").sum()),
                "warnings": len(self.warnings)}


class Collector:
    """Problems as they are found, and each row's resulting status."""

    def __init__(self):
        self.problems: list[Problem] = []
        self.by_row: dict[int, list[Problem]] = defaultdict(list)

    def add(self, row, column: Column | str | None, value, key: str, level: str = "error", **params) -> None:
        column_name = column.name if isinstance(column, Column) else column
        problem = Problem(row, column_name, None if value is None else text(value)[:80], key, level, params)
        self.problems.append(problem)
        if row is not None:
            self.by_row[row].append(problem)

    def statuses(self, rows) -> np.ndarray:
        """status() for many rows at once."""
        errors = {p.row for p in self.problems if p.level == "error" and p.row is not None}
        warned = {p.row for p in self.problems if p.level == "warning" and p.row is not None}
        rows = np.asarray(rows)
        return np.where(np.isin(rows, list(errors)), "ditolak",
                        np.where(np.isin(rows, list(warned)), "peringatan", "diterima")).astype(object)

    def status(self, row: int) -> str:
        levels = {p.level for p in self.by_row.get(row, [])}
        return "ditolak" if "error" in levels else "peringatan" if "warning" in levels else "diterima"


def _match_problems(c: Collector, parsed: Parsed, row: Row, matcher_label) -> None:
    cols = parsed.header.columns
    column = cols.get("kode") if row.match.how in ("code", "bad_code", "other_kota") else cols.get("kelurahan")
    value = row.cells.get(column.role) if column else row.name
    how = row.match.how
    hints = ", ".join(f"{label} ({score:.0f} %)" for _, label, score in row.match.suggestions[:3])
    if how == "bad_code":
        c.add(row.row, column, value, "problem.bad_code")
    elif how == "other_kota":
        c.add(row.row, column, value, "problem.other_kota_code", kota=row.match.kode[:5])
    elif how == "unknown":
        c.add(row.row, column, value, "problem.unknown_kelurahan" if hints else "problem.unknown_kelurahan_none",
              hints=hints)
    elif how == "ambiguous":
        c.add(row.row, column, value, "problem.ambiguous_kelurahan", hints=hints)
    elif how == "confirm":
        # Similar but not sure enough (matching.SURE_SCORE): an error until the officer confirms the name.
        kode, _, score = row.match.suggestions[0]
        c.add(row.row, column, value, "match.confirm_kelurahan", name=matcher_label(kode), score=f"{score:.0f}")
    elif how == "fuzzy":
        c.add(row.row, column, value, "problem.fuzzy_kelurahan", "warning",
              name=matcher_label(row.match.kode), score=f"{row.match.score:.0f}")


def _number(c: Collector, row: int, column: Column | None, cell, integer: bool = True) -> float | None:
    if column is None:
        return None
    try:
        value = fmt.parse_number(cell)
    except fmt.Unparsable:
        c.add(row, column, cell, "problem.not_a_number")
        return None
    if value is None:
        return None
    if value < 0:
        c.add(row, column, cell, "problem.negative")
        return None
    if integer and not float(value).is_integer():
        c.add(row, column, cell, "problem.not_integer")
        return None
    return value


def _file_level(c: Collector, parsed: Parsed, ctx: Context) -> None:
    if ctx.periode is not None and parsed.title_period is not None:
        row, period = parsed.title_period
        if period != ctx.periode:
            line = next(line for r, line in parsed.title if r == row)
            c.add(row, None, line, "problem.title_period", period=fmt.period(period), chosen=fmt.period(ctx.periode))
    for row, line in parsed.title:
        stated = re.match(r"^sumber data\b[^:]*:\s*(\S+)", line.strip(), re.I)
        if ctx.sumber and stated and _source_of(stated.group(1)) not in (None, ctx.sumber):
            c.add(row, None, line, "problem.title_source", chosen=SOURCES[ctx.sumber]["id"])
    own = normalize(ctx.kota_nama.removeprefix("Kota ").removeprefix("Kabupaten "))
    for row, line in parsed.title:
        words = normalize(line)
        if own and own in words:
            continue
        for other, kode in ctx.other_kota.items():
            if re.search(rf"\b(kota|kabupaten|kab) {re.escape(other)}\b", words):
                c.add(row, None, line, "problem.title_kota", other=other.title(), chosen=ctx.kota_nama)


def _duplicates(c: Collector, parsed: Parsed, key_of) -> None:
    """An error on every row of a kelurahan (or point) that appears more than once."""
    seen: dict[str, list[Row]] = defaultdict(list)
    for row in parsed.rows:
        key = key_of(row)
        if key:
            seen[key].append(row)
    for key, rows in seen.items():
        if len(rows) > 1:
            numbers = ", ".join(str(r.row) for r in rows)
            for r in rows:
                column = parsed.header.columns.get("kode") or parsed.header.columns.get("kelurahan")
                c.add(r.row, column, r.name, "problem.duplicate", rows=numbers)


def _source_of(value: str) -> str | None:
    norm = normalize(value)
    for key, labels in SOURCES.items():
        if norm.startswith(key) or norm == normalize(labels["id"]) or norm.startswith(normalize(labels["id"]).split()[0]):
            return key
    return None


def _suggestions(parsed: Parsed, matcher_label) -> list[dict]:
    unsure = np.flatnonzero(parsed.data["how"].isin(["unknown", "ambiguous", "confirm", "fuzzy"]).to_numpy())
    return [{"row": r.row, "nama": r.name, "how": r.match.how, "skor": r.match.score,
             "pilihan": [(k, label) for k, label, _ in r.match.suggestions]}
            for r in (parsed.row(i) for i in unsure)]


def parse_coordinates(lat_cell, lon_cell, latlon_cell) -> tuple[float, float]:
    """Latitude and longitude from two cells or one 'lat, lon' cell, decimal comma or point."""
    if latlon_cell is not None and text(latlon_cell):
        raw = text(latlon_cell).replace("−", "-")
        if ";" in raw:
            parts = raw.split(";")
        elif ", " in raw:
            parts = raw.split(", ")
        elif raw.count(",") == 3:
            pieces = raw.split(",")
            parts = [pieces[0] + "." + pieces[1], pieces[2] + "." + pieces[3]]
        elif raw.count(",") == 1:
            parts = raw.split(",")
        else:
            parts = raw.split()
        if len(parts) != 2:
            raise fmt.Unparsable(raw)
        return _coordinate(parts[0]), _coordinate(parts[1])
    return _coordinate(lat_cell), _coordinate(lon_cell)


def _coordinate(cell) -> float:
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(cell)
    raw = text(cell).replace("−", "-").replace(" ", "").replace("°", "")
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    try:
        return float(raw)
    except ValueError as exc:
        raise fmt.Unparsable(text(cell)) from exc
