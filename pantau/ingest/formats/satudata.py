"""A province's Satu Data CSV (Open Data Jabar style): one row per desa/kelurahan and year, the Kemendagri
code dotted (kemendagri_kode_desa_kelurahan) beside the BPS code undotted and often a float
(bps_kode_desa_kelurahan, 3201190006.0), one value column (jumlah_...), `satuan` and `tahun`. The file
covers the whole province: only the chosen kota's rows are read, the others are counted and left out.
Values are annual: each year is a slice of the year grain (never a month). The indicator is the one the
value column's name says (by the catalog's header patterns), else the one chosen. A file with both codes
teaches the lake their pairs; a file with BPS codes only is matched through those pairs (no crosswalk is
shipped: none public reaches desa level offline), else by the kelurahan's name, and says so. A copy saved
from Excel (XLSX) with a title above the header is read the same, its rows named as Excel numbers them.
Source: ../shared/research/real-formats.md, 4."""

from __future__ import annotations

import datetime as dt
import re

from pantau.domain.catalog import INDICATORS
from pantau.ingest.formats import Figure, Reading, Slice
from pantau.ingest.matching import code_from_text
from pantau.ingest.rules.base import Problem
from pantau.ingest.sheets import Grid, text
from pantau.render import fmt

NAME = "satudata"
_KEMENDAGRI = "kemendagri_kode_desa_kelurahan"
_BPS = "bps_kode_desa_kelurahan"
_NAMES = ("kemendagri_nama_desa_kelurahan", "bps_nama_desa_kelurahan", "bps_desa_kelurahan", "nama_desa_kelurahan")
_KAB_CODES = ("bps_kode_kabupaten_kota", "kode_kabupaten_kota", "kemendagri_kode_kabupaten_kota")
_KAB_NAMES = ("bps_nama_kabupaten_kota", "nama_kabupaten_kota", "kemendagri_nama_kabupaten_kota")
# Columns that describe a row (where, when, what unit, its id), never a value.
_META = re.compile(r"^(kode_|nama_|bps_|kemendagri_|satuan$|tahun$|id$|id_|periode|semester$|bulan$|kategori)")
_VALUE = re.compile(r"^(jumlah|jml|total|banyaknya|angka|persentase|prevalensi|rasio)_")
_PERCENT = re.compile(r"^(persen|%|persentase)", re.I)


# The portal's CSV has its header on the first row; a copy saved from Excel may have a title above it.
_HEADER_ROWS = 10


def _header(grid: Grid) -> tuple[int, dict[str, int]] | None:
    """The header row (the first of the file's first rows with a desa code, `tahun` and at least one value
    column) and its columns."""
    for i, row in enumerate(grid.head(_HEADER_ROWS)):
        labels = {text(c).strip().lower(): j for j, c in enumerate(row) if text(c).strip()}
        if "tahun" in labels and (_KEMENDAGRI in labels or _BPS in labels) and any(_VALUE.match(x) for x in labels):
            return i, labels
    return None


def detect(grid: Grid) -> bool:
    return _header(grid) is not None


def lacks(grid: Grid) -> str:
    return f"“{_KEMENDAGRI}” or “{_BPS}”, “tahun” and a value column jumlah_…"


def _words(label: str) -> str:
    return re.sub(r"[_\s]+", " ", label).strip()


def _indicator_of(values: list[str]) -> tuple[str, str, str | None] | None:
    """The catalog indicator a value column counts, and the column of its denominator when the file has one."""
    for label in values:
        # The indicator whose pattern says the most of the name: "keluarga miskin desil 1 4" is desil 1-4,
        # though "miskin" alone would make it extreme poverty.
        found = [(len(m.group(0)), ind) for ind in INDICATORS.values() if ind.table == "nilai" and ind.count_headers
                 and (m := re.search(ind.count_headers, _words(label)))]
        if found:
            ind = max(found, key=lambda f: f[0])[1]
            over = next((other for other in values if other != label and ind.denominator_headers
                         and re.search(ind.denominator_headers, _words(other))), None) if ind.has_rate else None
            return ind.id, label, over
    return None


def _year(cell) -> int | None:
    match = re.fullmatch(r"((?:19|20)\d\d)(?:[.,]0+)?", text(cell).strip())
    return int(match.group(1)) if match else None


def _kota_of(code: str) -> str | None:
    """A kab/kota code as the lake writes it (32.73) from 3273, 3273.0 or 32.73."""
    digits = re.sub(r"\D", "", text(code).strip().removesuffix(".0"))
    return f"{digits[:2]}.{digits[2:4]}" if len(digits) >= 4 else None


def read(grid: Grid, file_name: str, year: int | None = None, periode: dt.date | None = None, *,
         kota_kode: str | None = None, indicator: str | None = None) -> Reading:
    header_at, labels = _header(grid)
    notes: list[tuple[str, dict]] = []
    values = [label for label in labels if _VALUE.match(label) and not _META.match(label)]
    found = _indicator_of(values)
    if indicator is not None and indicator in INDICATORS:
        # The officer chose it: the file's first value column unless one names it.
        ind = INDICATORS[indicator]
        named = found if found and found[0] == indicator else None
        found = named or (indicator, values[0], None)
        if named is None:
            notes.append(("format.satudata_chosen", {"column": values[0],
                                                     "indicator": ind.text("short_label", "id")}))
    if found is None:
        problem = Problem(None, values[0], None, "format.satudata_indicator", "error",
                          {"columns": ", ".join(values)})
        return Reading(NAME, [], [problem], notes)
    indicator, value_label, over_label = found
    ind = INDICATORS[indicator]
    col = {"jumlah": labels[value_label], "tahun": labels["tahun"]}
    if over_label:
        col["penyebut"] = labels[over_label]
    code_label = _KEMENDAGRI if _KEMENDAGRI in labels else _BPS
    name_label = next((n for n in _NAMES if n in labels), None)
    kab_code = next((labels[n] for n in _KAB_CODES if n in labels), None)
    kab_name = next((labels[n] for n in _KAB_NAMES if n in labels), None)
    if code_label == _BPS:
        notes.append(("format.bps_by_name", {"column": _BPS}))
    problems: list[Problem] = []
    per_year: dict[int, dict[str, list]] = {}  # year -> row key -> [row number, name, code, jumlah, penyebut]
    semester_at = labels.get("semester")
    semesters: dict[tuple[int, str], str] = {}
    others: dict[str, int] = {}
    units: set[str] = set()
    rows_read = 0
    for i in range(header_at + 1, len(grid)):
        row = grid.row(i)
        if not any(text(c).strip() for c in row):
            continue
        number = grid.row_number(i)
        cell = lambda j: row[j] if j is not None and j < len(row) else None  # noqa: E731
        raw_code = text(cell(labels[code_label])).strip()
        row_kota = _kota_of(text(cell(kab_code))) if kab_code is not None else _kota_of(raw_code)
        if kota_kode and row_kota and row_kota != kota_kode:
            where = text(cell(kab_name)).strip() if kab_name is not None else row_kota
            others[where or row_kota] = others.get(where or row_kota, 0) + 1
            continue
        rows_read += 1
        y = _year(cell(col["tahun"]))
        if y is None:
            problems.append(Problem(number, "tahun", text(cell(col["tahun"])), "format.bad_year", "error"))
            continue
        unit = text(cell(labels.get("satuan"))).strip()
        if unit:
            units.add(unit.upper())
        if _PERCENT.match(unit):
            problems.append(Problem(number, "satuan", unit, "format.satudata_percent", "error"))
            continue
        name = text(cell(labels[name_label])).strip() if name_label else ""
        code = code_from_text(raw_code.removesuffix(".0")) if code_label == _KEMENDAGRI else None
        if code_label == _KEMENDAGRI and code is None:
            problems.append(Problem(number, code_label, raw_code, "problem.bad_code", "error"))
            continue
        key = code or name.lower()
        try:
            jumlah = _value(cell(col["jumlah"]))
            penyebut = _value(cell(col["penyebut"])) if "penyebut" in col else None
        except fmt.Unparsable:
            bad = "penyebut" if "penyebut" in col and _unparsable(cell(col["penyebut"])) else "jumlah"
            label = over_label if bad == "penyebut" else value_label
            problems.append(Problem(number, label, text(cell(col[bad])), "problem.not_a_number", "error"))
            continue
        semester = text(cell(semester_at)).strip() if semester_at is not None else ""
        if semester:
            # Figures per semester: the year's latest semester is the year's figure (a stock at year end).
            latest = semesters.get((y, key))
            if latest is not None and latest > semester:
                continue
            semesters[(y, key)] = semester
            per_year.setdefault(y, {}).pop(key, None)
        entry = per_year.setdefault(y, {})
        if key in entry:
            # A kelurahan listed twice in one year: both go to the rules, which refuse the double.
            key = f"{key}#{number}"
        entry[key] = [number, name or raw_code, code, jumlah, penyebut, _bps(text(cell(labels.get(_BPS))))]
    if others:
        shown = sorted(others, key=lambda n: -others[n])
        notes.append(("format.other_kota_left", {"n": fmt.Shown(sum(others.values())), "kota": fmt.Shown(len(others)),
                                                 "names": ", ".join(shown[:3]) + (", …" if len(shown) > 3 else "")}))
    if not rows_read:
        problems.append(Problem(None, None, None, "format.no_rows_of_kota", "error", {"kota": kota_kode or ""}))
        return Reading(NAME, [], problems, notes)
    codes = [e[2] for entries in per_year.values() for e in entries.values() if e[2]]
    if codes and all(c.split(".")[3].startswith("2") for c in codes):
        notes.append(("format.satudata_desa_only", {}))
    if units:
        notes.append(("format.satudata_unit", {"unit": ", ".join(sorted(units))}))
    notes.append(("format.year_grain", {"years": ", ".join(str(y) for y in sorted(per_year))}))
    columns = {"kelurahan": (labels[name_label] if name_label else labels[code_label], name_label or code_label),
               "jumlah": (col["jumlah"], value_label)}
    if "penyebut" in col:
        columns["penyebut"] = (col["penyebut"], over_label)
    if code_label == _KEMENDAGRI:
        columns["kode"] = (labels[code_label], code_label)
    slices = []
    for y in sorted(per_year):
        figures = [Figure(number, name, jumlah, penyebut, (number,), code, bps)
                   for number, name, code, jumlah, penyebut, bps in sorted(per_year[y].values(), key=lambda e: e[0])]
        slices.append(Slice(ind.id, "resmi", dt.date(y, 1, 1), figures, columns, grain="tahun"))
    return Reading(NAME, slices, problems, notes)


def _bps(raw: str) -> str | None:
    """A BPS desa code as ten digits, from 3201190006 or 3201190006.0."""
    digits = raw.strip().removesuffix(".0")
    return digits if re.fullmatch(r"\d{10}", digits) else None


def _value(cell) -> float | None:
    """A number as the portal writes it: a machine float (3.0, with a decimal point), else as a person would."""
    raw = text(cell).strip()
    if re.fullmatch(r"-?\d+\.\d+", raw):
        return float(raw)
    return fmt.parse_number(cell)


def _unparsable(cell) -> bool:
    try:
        _value(cell)
    except fmt.Unparsable:
        return True
    return False
