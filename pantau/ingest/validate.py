"""Validation: the rules an upload must pass, a problem per row naming its column and value."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pantau.render import fmt

from pantau.domain import quality
from pantau.domain.catalog import DRAINASE_CONDITION_WORDS, DRAINASE_STATUS_WORDS, SOURCES, Indicator
from pantau.i18n import t
from pantau.ingest.tables import Column, Parsed, Row
from pantau.ingest.matching import normalize
from pantau.ingest.sheets import by_value, text, texts

JUMP_FACTOR = 3.0
JUMP_MIN_COUNT = 10  # 1 -> 4 children is not a jump worth a warning
HEAPING_MIN_VALUES = 8
# A reporter that looks like an office or an area is kept; anything else may be a person's name.
_INSTITUTION = re.compile(r"\b(dinas|dinkes|disdik|dinsos|pupr|bpbd|bappeda|opd|upt|kelurahan|kel|kecamatan|"
                          r"kec|lurah|camat|rt|rw|posyandu|puskesmas|satgas|tim|pemkot|warga|masyarakat)\b", re.I)
_OPD = re.compile(r"\b(dinas|dinkes|disdik|dinsos|pupr|bpbd|bappeda|opd|upt|pemkot|satgas)\b", re.I)
INDONESIA_LAT = (-11.5, 6.5)
INDONESIA_LON = (94.0, 141.5)


@dataclass
class Problem:
    """One thing wrong (error: blocks the upload) or worth a look (warning) in a file."""

    row: int | None
    column: str | None
    value: str | None
    key: str
    level: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str = "id") -> str:
        return t(self.key, lang, **self.params)

    def where(self, file: str, lang: str = "id") -> str:
        """The problem with its place: file, row, column and value."""
        parts = [file]
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
    today: dt.date = field(default_factory=dt.date.today)
    previous: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    previous_names: dict[str, str] = field(default_factory=dict)
    fallback_penyebut: dict[str, int] = field(default_factory=dict)
    other_kota: dict[str, str] = field(default_factory=dict)  # normalized name -> kode
    boundaries: object = None  # GeoDataFrame of the kota's kelurahan, for drainage points


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


def validate_nilai(parsed: Parsed, ctx: Context, matcher_label) -> Report:
    """Rules for a monthly file of one indicator, source and period."""
    c = Collector()
    ind = ctx.indicator
    cols = parsed.header.columns
    _file_level(c, parsed, ctx)
    if ind.has_rate and "penyebut" not in cols and not ctx.fallback_penyebut:
        c.add(None, None, None, "problem.no_denominator_column", denominator=ind.text("denominator_def", "id"))
    _duplicates(c, parsed, lambda r: r.match.kode)
    records = []
    parsed_numbers: dict[int, tuple[float | None, float | None]] = {}
    for row in parsed.rows:
        _match_problems(c, parsed, row, matcher_label)
        jumlah = _number(c, row.row, cols.get("jumlah"), row.cells.get("jumlah"))
        penyebut = _number(c, row.row, cols.get("penyebut"), row.cells.get("penyebut"))
        parsed_numbers[row.row] = (jumlah, penyebut)
        if "periode" in cols and text(row.cells.get("periode")):
            stated = fmt.find_period(text(row.cells["periode"])) or _period_of_date(row.cells["periode"])
            if stated != ctx.periode:
                c.add(row.row, cols["periode"], row.cells["periode"], "problem.row_period",
                      chosen=fmt.period(ctx.periode))
        if "sumber" in cols and text(row.cells.get("sumber")):
            stated = _source_of(text(row.cells["sumber"]))
            if stated != ctx.sumber:
                c.add(row.row, cols["sumber"], row.cells["sumber"], "problem.row_source",
                      chosen=SOURCES[ctx.sumber]["id"])
        kode = row.match.kode if row.match.how in ("code", "alias", "exact", "fuzzy") else None
        if jumlah is not None and ind.has_rate and penyebut is None and kode:
            if kode in ctx.fallback_penyebut:
                penyebut = float(ctx.fallback_penyebut[kode])
                c.add(row.row, cols.get("penyebut"), None, "problem.denominator_from_table", "warning",
                      year=ctx.tahun or "")
            elif not text(row.cells.get("penyebut")) or fmt.parse_number_or_none(row.cells.get("penyebut")) is None:
                c.add(row.row, cols.get("penyebut") or cols.get("jumlah"), row.cells.get("penyebut"),
                      "problem.denominator_missing")
        if jumlah is not None and penyebut is not None and jumlah > penyebut:
            c.add(row.row, cols["jumlah"], row.cells.get("jumlah"), "problem.count_over_denominator",
                  denominator=fmt.number(penyebut))
        if jumlah is not None and kode and kode in ctx.previous:
            _jump(c, row, cols["jumlah"], jumlah, penyebut, ctx.previous[kode], ind.has_rate)
        records.append({"row": row.row, "nama_berkas": row.name, "kelurahan_kode": kode,
                        "jumlah": jumlah, "penyebut": penyebut,
                        "jumlah_sel": row.cells.get("jumlah"), "penyebut_sel": row.cells.get("penyebut")})
    _check_totals(c, parsed, parsed_numbers)
    frame = pd.DataFrame(records, columns=["row", "nama_berkas", "kelurahan_kode", "jumlah", "penyebut",
                                           "jumlah_sel", "penyebut_sel"])
    frame["status"] = [c.status(r) for r in frame["row"]]
    frame.loc[frame["jumlah"].isna() & (frame["status"] != "ditolak"), "status"] = "kosong"
    _heaping(c, frame[frame["status"] != "ditolak"]["jumlah"], cols["jumlah"])
    reported = set(frame.loc[frame["status"] != "kosong", "kelurahan_kode"].dropna())
    gone = [name for kode, name in ctx.previous_names.items()
            if kode not in reported and ctx.previous.get(kode, (None,))[0] is not None]
    if gone:
        c.add(None, None, None, "problem.missing_since_last", "warning", n=len(gone), names=", ".join(gone))
    ok = frame[frame["status"].isin(["diterima", "peringatan"])]
    accepted = pd.DataFrame({
        "kelurahan_kode": ok["kelurahan_kode"].astype(str),
        "kota_kode": ctx.kota_kode,
        "indikator": ind.id,
        "periode": ctx.periode,
        "sumber": ctx.sumber,
        "jumlah": ok["jumlah"].astype("int64"),
        "penyebut": ok["penyebut"].astype("Int64") if ind.has_rate else pd.Series([pd.NA] * len(ok), dtype="Int64"),
    })
    if not len(accepted) and not c.problems:
        c.add(None, None, None, "problem.nothing_to_commit")
    totals = {"count": int(accepted["jumlah"].sum()) if len(accepted) else 0,
              "denominator": int(accepted["penyebut"].sum()) if ind.has_rate and len(accepted) else None}
    shown = frame.drop(columns=["jumlah_sel", "penyebut_sel"])
    for column in ("jumlah", "penyebut"):
        shown[column] = _as_written(frame[column], frame[f"{column}_sel"])
    return Report(ctx, c.problems, shown, accepted.reset_index(drop=True), totals, _suggestions(parsed, matcher_label))


def _as_written(values: pd.Series, cells: pd.Series) -> pd.Series:
    """The numbers read, and where none was read (negative, not a number, "-") the cell as the file wrote
    it: the preview shows "-3" or "2O", never an empty "None". A number stays a number, a blank is ""."""
    def written(cell):
        if isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(cell, bool):
            return "" if pd.isna(cell) else cell
        return text(cell)

    out = values.astype(object).where(values.notna(), None)
    missing = out.isna()
    if missing.any():
        out[missing] = [written(cell) for cell in cells[missing]]
    return out


def _period_of_date(cell) -> dt.date | None:
    try:
        day = fmt.parse_date(cell)
    except fmt.Unparsable:
        return None
    return day.replace(day=1) if day else None


def _source_of(value: str) -> str | None:
    norm = normalize(value)
    for key, labels in SOURCES.items():
        if norm.startswith(key) or norm == normalize(labels["id"]) or norm.startswith(normalize(labels["id"]).split()[0]):
            return key
    return None


def _jump(c, row: Row, column: Column, jumlah, penyebut, previous, has_rate) -> None:
    prev_j, prev_p = previous
    if prev_j is None or max(jumlah, prev_j) < JUMP_MIN_COUNT:
        return
    rates = bool(has_rate and penyebut and prev_p)
    if rates:
        now, before = 100 * jumlah / penyebut, 100 * prev_j / prev_p
    else:
        now, before = jumlah, prev_j
    if now <= 0 or before <= 0:
        return
    factor = max(now / before, before / now)
    if factor > JUMP_FACTOR:
        # Both values in one unit: two rates when both months have a denominator, else two counts.
        shown = (lambda v: fmt.rate(v, "id", 1)) if rates else (lambda v: fmt.number(v, "id"))
        c.add(row.row, column, row.cells.get("jumlah"), "validate.jump_up" if now > before else "validate.jump_down",
              "warning", before=shown(before), now=shown(now), factor=fmt.number(factor, "id", 1))


def _heaping(c: Collector, counts: pd.Series, column: Column) -> None:
    values = counts.dropna()
    values = values[values >= 10]
    if len(values) < HEAPING_MIN_VALUES:
        return
    share = float(((values % 5) == 0).mean())
    if share > quality.HEAPING_RED:
        c.add(None, column, None, "problem.heaping", "warning", share=fmt.rate(100 * share, "id", 0))


def _check_totals(c: Collector, parsed: Parsed, numbers: dict[int, tuple]) -> None:
    # A subtotal sums the rows since the previous subtotal; a grand total sums every row.
    cols = parsed.header.columns
    data_rows = sorted(numbers)
    previous_cut = 0
    for total in parsed.totals:
        is_sub = total.kecamatan_kode is not None
        rows = [r for r in data_rows if previous_cut < r < total.row] if is_sub else data_rows
        for i, role in enumerate(("jumlah", "penyebut")):
            stated = fmt.parse_number_or_none(total.cells.get(role)) if role in cols else None
            if stated is None:
                continue
            summed = sum(numbers[r][i] or 0 for r in rows)
            if abs(stated - summed) > 0.5:
                c.add(total.row, cols[role], total.cells.get(role), "problem.total_mismatch", "warning",
                      label=total.label, summed=fmt.number(summed))
        if is_sub:
            previous_cut = total.row


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


@functools.lru_cache(maxsize=4096)
def _condition(value: str) -> str | None:
    return _word_code(DRAINASE_CONDITION_WORDS, value)


@functools.lru_cache(maxsize=4096)
def _status(value: str) -> str | None:
    return _word_code(DRAINASE_STATUS_WORDS, value)


def _word_code(words: dict[str, str], value: str) -> str | None:
    norm = normalize(value).replace("_", " ")
    for word in sorted(words, key=len, reverse=True):
        if word.replace("_", " ") in norm:
            return words[word]
    return None


@functools.lru_cache(maxsize=8192)
def _is_opd(value: str) -> bool:
    return bool(_OPD.search(value))


@functools.lru_cache(maxsize=8192)
def _is_institution(value: str) -> bool:
    return bool(_INSTITUTION.search(value))


def point_id(kota_kode: str, lat: float, lon: float, kondisi: str, given: str | None) -> str:
    """The point's own id when the file gives one, else one derived from where and what it is."""
    if given:
        return f"{kota_kode}-{re.sub(r'[^A-Za-z0-9_-]+', '', given)[:40]}"
    digest = hashlib.sha1(f"{kota_kode}|{lat:.5f}|{lon:.5f}|{kondisi}".encode()).hexdigest()[:12]
    return f"{kota_kode}-{digest}"


def _coordinate_column(values: pd.Series) -> pd.Series:
    """_coordinate for a whole column; NaN where a cell is not a coordinate."""
    if pd.api.types.infer_dtype(values, skipna=True) in ("floating", "integer", "mixed-integer-float"):
        return pd.to_numeric(values, errors="coerce")
    raw = texts(values).str.replace("−", "-", regex=False).str.replace(" ", "", regex=False) \
        .str.replace("°", "", regex=False)
    decimal_comma = (raw.str.count(",") == 1) & ~raw.str.contains(".", regex=False)
    raw = raw.where(~decimal_comma, raw.str.replace(",", ".", regex=False))
    return pd.to_numeric(raw, errors="coerce").astype(float)


def _coordinates(data: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Latitude and longitude of every row (NaN where unreadable), from one "lat, lon" column or two."""
    nan = pd.Series(np.nan, index=data.index)
    lat = _coordinate_column(data["lat"]) if "lat" in data else nan
    lon = _coordinate_column(data["lon"]) if "lon" in data else nan
    if "latlon" in data:
        def pair(cell):
            try:
                return parse_coordinates(None, None, cell)
            except fmt.Unparsable:
                return (np.nan, np.nan)
        given = texts(data["latlon"]) != ""
        pairs = by_value(data["latlon"].where(given, None), pair)[given]
        lat = lat.where(~given, pd.Series([p[0] for p in pairs], index=pairs.index, dtype=float))
        lon = lon.where(~given, pd.Series([p[1] for p in pairs], index=pairs.index, dtype=float))
    return lat.astype(float), lon.astype(float)


_UNREADABLE = object()


def _date_or_unreadable(cell):
    try:
        return fmt.parse_date(cell)
    except fmt.Unparsable:
        return _UNREADABLE


def _shown_point(lat: float, lon: float) -> str:
    return f"{fmt.number(lat, 'id', 5)}; {fmt.number(lon, 'id', 5)}"


def validate_drainase(parsed: Parsed, ctx: Context, matcher_label, locate_many) -> Report:
    """Rules for a list of drainage points, column by column; locate_many(lons, lats) gives each one's kelurahan.

    A problem is still reported per row (row, column, value), but each rule runs once over a column and
    each distinct text (a date, a condition, a reporter) is read once: a million points take seconds.
    """
    c = Collector()
    cols = parsed.header.columns
    data = parsed.data
    coord_col = cols.get("latlon") or cols.get("lat")
    _file_level(c, parsed, ctx)
    rows = data["row"].to_numpy()

    lat, lon = _coordinates(data)
    bad = (lat.isna() | lon.isna()).to_numpy()
    for i in np.flatnonzero(bad):
        value = parsed.cell("latlon", i) or parsed.cell("lat", i)
        c.add(int(rows[i]), coord_col, value, "problem.bad_coordinate")
    in_lat, in_lon = lat.between(*INDONESIA_LAT), lon.between(*INDONESIA_LON)
    swapped = (~bad & ~(in_lat & in_lon) & lon.between(*INDONESIA_LAT) & lat.between(*INDONESIA_LON)).to_numpy()
    lat, lon = lat.where(~swapped, lon), lon.where(~swapped, lat)
    lats, lons = lat.to_numpy(), lon.to_numpy()
    for i in np.flatnonzero(swapped):
        c.add(int(rows[i]), coord_col, f"{lons[i]}, {lats[i]}", "problem.swapped_coordinate", "warning")

    good = ~bad
    ok_index = np.flatnonzero(good)
    found = np.full(len(data), None, dtype=object)
    if len(ok_index):
        found[ok_index] = locate_many(lons[ok_index], lats[ok_index])
    how = data["how"].to_numpy()
    named = np.isin(how, ["code", "alias", "exact", "fuzzy"])
    kode = np.where(named, data["matched_kode"].to_numpy(), None)
    elsewhere = good & named & (found != None) & (found != kode)  # noqa: E711 (element-wise)
    for i in np.flatnonzero(elsewhere):
        c.add(int(rows[i]), cols.get("kelurahan") or cols.get("kode"), data["name"].iat[i], "problem.point_elsewhere",
              "warning", name=matcher_label(found[i]))
    kode = np.where(elsewhere | (kode == None), found, kode)  # noqa: E711
    for i in np.flatnonzero(good & ~named & (how != "by_point")):
        _match_problems(c, parsed, parsed.row(i), matcher_label)
    for i in np.flatnonzero(good & (found == None)):  # noqa: E711
        c.add(int(rows[i]), coord_col, _shown_point(lats[i], lons[i]), "problem.outside_kota", kota=ctx.kota_nama)

    kondisi = by_value(texts(data["kondisi"]), _condition).to_numpy()
    for i in np.flatnonzero(good & (kondisi == None)):  # noqa: E711
        c.add(int(rows[i]), cols["kondisi"], parsed.cell("kondisi", i), "problem.bad_condition")
    status = np.full(len(data), "dilaporkan", dtype=object)
    if "status" in cols:
        status_text = texts(data["status"])
        given = (status_text != "").to_numpy()
        status[given] = by_value(status_text[given], _status).to_numpy()
        for i in np.flatnonzero(good & given & (status == None)):  # noqa: E711
            c.add(int(rows[i]), cols["status"], parsed.cell("status", i), "problem.bad_status")
    reported = np.full(len(data), None, dtype=object)
    if "tanggal" in cols:
        parsed_dates = by_value(data["tanggal"], _date_or_unreadable).to_numpy()
        unreadable = np.array([d is _UNREADABLE for d in parsed_dates], dtype=bool)
        for i in np.flatnonzero(good & unreadable):
            c.add(int(rows[i]), cols["tanggal"], parsed.cell("tanggal", i), "problem.bad_date")
        reported = np.where(unreadable, None, parsed_dates)
        future = np.array([d is not None and d > ctx.today for d in reported], dtype=bool)
        for i in np.flatnonzero(good & future):
            c.add(int(rows[i]), cols["tanggal"], parsed.cell("tanggal", i), "problem.future_date")
        blank = (texts(data["tanggal"]) == "").to_numpy()
        for i in np.flatnonzero(good & blank & (reported == None)):  # noqa: E711
            c.add(int(rows[i]), cols["tanggal"], None, "problem.date_missing", "warning", today=fmt.day(ctx.today))
    pelapor = texts(data["pelapor"]).str[:60] if "pelapor" in data else pd.Series("", index=data.index, dtype=object)
    person = ((pelapor != "") & ~by_value(pelapor, _is_institution).astype(bool)).to_numpy()
    for i in np.flatnonzero(good & person):
        c.add(int(rows[i]), cols["pelapor"], None, "problem.reporter_person", "warning")
    pelapor = pelapor.astype(object).where(~person, "warga").where(pelapor != "", None).to_numpy()

    titik = texts(data["titik"]) if "titik" in data else pd.Series("", index=data.index, dtype=object)
    has_id = (titik != "").to_numpy()
    ids = np.full(len(data), None, dtype=object)
    ids[has_id] = (ctx.kota_kode + "-" + titik[has_id].str.replace(r"[^A-Za-z0-9_-]+", "", regex=True).str[:40]).to_numpy()
    for i in np.flatnonzero(good & ~has_id):
        ids[i] = point_id(ctx.kota_kode, lats[i], lons[i], kondisi[i] or "", None)
    ids[bad] = None
    twice = good & pd.Series(ids).where(good, None).duplicated(keep=False).to_numpy()
    for i in np.flatnonzero(twice):
        shown = titik.iat[i] or _shown_point(lats[i], lons[i])
        c.add(int(rows[i]), cols.get("titik") or coord_col, shown, "problem.duplicate_point")
    c.problems.sort(key=lambda p: -1 if p.row is None else p.row)

    frame = pd.DataFrame({
        "row": rows, "nama_berkas": data["name"].to_numpy(), "kelurahan_kode": np.where(good, kode, None),
        "lat": lat.where(good).to_numpy(), "lon": lon.where(good).to_numpy(),
        "kondisi": np.where(good, kondisi, None), "status_titik": np.where(good, status, None),
        "tanggal_lapor": np.where(good, [d or ctx.today for d in reported], None),
        "pelapor": np.where(good, pelapor, None), "id": ids,
    })
    frame["status"] = c.statuses(rows)
    ok = frame[frame["status"] != "ditolak"]
    sumber = ctx.sumber or by_value(ok["pelapor"], lambda p: "resmi" if p and _is_opd(p) else "lapangan")
    accepted = pd.DataFrame({
        "id": ok["id"], "lon": ok["lon"].astype(float), "lat": ok["lat"].astype(float),
        "kelurahan_kode": ok["kelurahan_kode"], "kota_kode": ctx.kota_kode, "kondisi": ok["kondisi"],
        "status": ok["status_titik"], "tanggal_lapor": ok["tanggal_lapor"], "status_tanggal": ok["tanggal_lapor"],
        "sumber": sumber, "pelapor": ok["pelapor"],
    })
    if not len(accepted) and not c.problems:
        c.add(None, None, None, "problem.nothing_to_commit")
    totals = {"count": len(accepted), "denominator": None}
    return Report(ctx, c.problems, frame, accepted.reset_index(drop=True), totals,
                  _suggestions(parsed, matcher_label))


PENYEBUT_ROLES = ("penduduk", "rumah_tangga", "usia_sekolah", "balita")


def validate_penyebut(parsed: Parsed, ctx: Context, matcher_label) -> Report:
    """Rules for a list of population or household denominators per kelurahan for one year."""
    c = Collector()
    cols = parsed.header.columns
    _file_level(c, parsed, ctx)
    _duplicates(c, parsed, lambda r: r.match.kode)
    records = []
    for row in parsed.rows:
        _match_problems(c, parsed, row, matcher_label)
        kode = row.match.kode if row.match.how in ("code", "alias", "exact", "fuzzy") else None
        for jenis in PENYEBUT_ROLES:
            if jenis in cols:
                value = _number(c, row.row, cols[jenis], row.cells.get(jenis))
                records.append({"row": row.row, "nama_berkas": row.name, "kelurahan_kode": kode,
                                "jenis": jenis, "jumlah": value})
    frame = pd.DataFrame(records, columns=["row", "nama_berkas", "kelurahan_kode", "jenis", "jumlah"])
    frame["status"] = [c.status(r) for r in frame["row"]]
    ok = frame[(frame["status"] != "ditolak") & frame["jumlah"].notna()]
    accepted = pd.DataFrame({
        "kelurahan_kode": ok["kelurahan_kode"], "kota_kode": ctx.kota_kode, "jenis": ok["jenis"],
        "tahun": ctx.tahun, "jumlah": ok["jumlah"].astype("int64"),
    })
    if not len(accepted) and not c.problems:
        c.add(None, None, None, "problem.nothing_to_commit")
    rows = frame.groupby("row", as_index=False).agg(nama_berkas=("nama_berkas", "first"),
                                                    kelurahan_kode=("kelurahan_kode", "first"),
                                                    status=("status", "first"))
    totals = {"count": int(accepted["jumlah"].sum()) if len(accepted) else 0, "denominator": None}
    return Report(ctx, c.problems, rows, accepted.reset_index(drop=True), totals, _suggestions(parsed, matcher_label))


def validate_banjir(parsed: Parsed, ctx: Context, matcher_label, locate_many) -> Report:
    """Rules for a list of flood events: a date, a kelurahan (named, coded or found by the point), depth, households."""
    c = Collector()
    cols = parsed.header.columns
    _file_level(c, parsed, ctx)
    coord_col = cols.get("latlon") or cols.get("lat")
    records = []
    for i, row in enumerate(parsed.rows):
        lat = lon = None
        if coord_col is not None and (text(row.cells.get("latlon")) or text(row.cells.get("lat"))):
            try:
                lat, lon = parse_coordinates(row.cells.get("lat"), row.cells.get("lon"), row.cells.get("latlon"))
            except fmt.Unparsable:
                c.add(row.row, coord_col, row.cells.get("latlon") or row.cells.get("lat"), "problem.bad_coordinate")
        found = locate_many([lon], [lat])[0] if lat is not None else None
        kode = row.match.kode if row.match.how in ("code", "alias", "exact", "fuzzy") else None
        if row.match.how == "by_point":
            kode = found
            if lat is not None and found is None:
                c.add(row.row, coord_col, f"{fmt.number(lat, 'id', 5)}; {fmt.number(lon, 'id', 5)}",
                      "problem.outside_kota", kota=ctx.kota_nama)
            elif lat is None:
                c.add(row.row, cols.get("kelurahan") or coord_col, None, "problem.unknown_kelurahan_none", hints="")
        else:
            _match_problems(c, parsed, row, matcher_label)
        try:
            tanggal = fmt.parse_date(row.cells.get("tanggal"))
        except fmt.Unparsable:
            c.add(row.row, cols["tanggal"], row.cells.get("tanggal"), "problem.bad_date")
            tanggal = None
        if tanggal is None and not text(row.cells.get("tanggal")):
            c.add(row.row, cols["tanggal"], None, "problem.date_required")
        elif tanggal is not None and tanggal > ctx.today:
            c.add(row.row, cols["tanggal"], row.cells.get("tanggal"), "problem.future_date")
        depth = _number(c, row.row, cols.get("kedalaman"), row.cells.get("kedalaman"), integer=False)
        households = _number(c, row.row, cols.get("terdampak"), row.cells.get("terdampak"))
        digest = hashlib.sha1(f"{ctx.kota_kode}|{kode}|{tanggal}|{lat}|{lon}".encode()).hexdigest()[:12]
        records.append({"row": row.row, "nama_berkas": row.name, "kelurahan_kode": kode, "tanggal": tanggal,
                        "kedalaman_cm": depth, "rumah_terdampak": households, "lat": lat, "lon": lon,
                        "id": f"{ctx.kota_kode}-banjir-{digest}"})
    frame = pd.DataFrame(records, columns=["row", "nama_berkas", "kelurahan_kode", "tanggal", "kedalaman_cm",
                                           "rumah_terdampak", "lat", "lon", "id"])
    twice = frame["id"].duplicated(keep=False) & frame["kelurahan_kode"].notna()
    for r, name in zip(frame.loc[twice, "row"], frame.loc[twice, "nama_berkas"]):
        c.add(int(r), cols.get("kelurahan") or cols.get("tanggal"), name, "problem.duplicate_event")
    frame["status"] = c.statuses(frame["row"].to_numpy()) if len(frame) else []
    ok = frame[frame["status"] != "ditolak"]
    accepted = pd.DataFrame({
        "id": ok["id"], "kota_kode": ctx.kota_kode, "kelurahan_kode": ok["kelurahan_kode"], "tanggal": ok["tanggal"],
        "kedalaman_cm": ok["kedalaman_cm"].astype(float), "rumah_terdampak": ok["rumah_terdampak"].astype("Int64"),
        "lon": ok["lon"].astype(float), "lat": ok["lat"].astype(float),
    })
    if not len(accepted) and not c.problems:
        c.add(None, None, None, "problem.nothing_to_commit")
    c.problems.sort(key=lambda p: -1 if p.row is None else p.row)
    totals = {"count": len(accepted), "denominator": None}
    return Report(ctx, c.problems, frame, accepted.reset_index(drop=True), totals, _suggestions(parsed, matcher_label))


def validate_records(parsed: Parsed, ctx: Context, matcher_label, key: bytes) -> Report:
    """Rules for a list of people: each row becomes a keyed hash, a rule and a kelurahan; nothing else is kept.

    Messages never quote a NIK, a name, a birth date or an address: they name the row and the column only.
    """
    from pantau.ingest import nik

    c = Collector()
    cols = parsed.header.columns
    _file_level(c, parsed, ctx)
    records = []
    for row in parsed.rows:
        _match_problems(c, parsed, row, matcher_label)
        kode = row.match.kode if row.match.how in ("code", "alias", "exact", "fuzzy") else None
        try:
            birth = fmt.parse_date(row.cells.get("tgl_lahir"))
        except fmt.Unparsable:
            birth = None
        kunci, aturan, problem = nik.record_key(key, text(row.cells.get("nik")), text(row.cells.get("nama")), birth, kode)
        if problem and aturan == "nama":
            c.add(row.row, cols.get("nik"), None, problem, "warning")
        elif problem:
            c.add(row.row, cols.get("nik") or cols.get("nama"), None, "records.unmatchable", reason=t(problem, "id"))
        records.append({"row": row.row, "nama_berkas": row.name, "kelurahan_kode": kode, "kunci": kunci,
                        "aturan": aturan, "masalah_nik": problem})
    frame = pd.DataFrame(records, columns=["row", "nama_berkas", "kelurahan_kode", "kunci", "aturan", "masalah_nik"])
    frame["status"] = c.statuses(frame["row"].to_numpy()) if len(frame) else []
    ok = frame[frame["status"] != "ditolak"]
    twice = ok["kunci"].duplicated(keep=False)
    if twice.any():
        c.add(None, None, None, "records.duplicates", "warning", n=int(twice.sum()))
    accepted = pd.DataFrame({
        "kota_kode": ctx.kota_kode, "indikator": ctx.indicator.id, "periode": ctx.periode, "sumber": ctx.sumber,
        "kelurahan_kode": ok["kelurahan_kode"], "kunci": ok["kunci"], "aturan": ok["aturan"],
        "baris": ok["row"].astype("int64"),
    })
    if not len(accepted) and not c.problems:
        c.add(None, None, None, "problem.nothing_to_commit")
    c.problems.sort(key=lambda p: -1 if p.row is None else p.row)
    totals = {"count": len(accepted), "denominator": None}
    rows = frame.drop(columns=["kunci"])
    return Report(ctx, c.problems, rows, accepted.reset_index(drop=True), totals, _suggestions(parsed, matcher_label))
