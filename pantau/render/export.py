"""Downloads: the data behind a chart as CSV or XLSX, with the labels the screen shows."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

# A text cell that starts like a formula would run as one when a spreadsheet opens the export.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    """Text that a spreadsheet would read as a formula, made plain text; anything else unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell (and header) defused."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(defuse)
    out.columns = [defuse(str(c)) for c in out.columns]
    return out


# Columns whose whole numbers are not counts of people (a rank, a row, a year, days).
NOT_COUNTS = ("peringkat", "rank", "baris", "row", "versi", "version", "tahun", "year", "hari", "days", "umur", "age",
              "skor", "score", "rasio", "ratio", "%", "persen", "per km")


def public_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The "untuk publik" rule: every count from 1 to 4 shown as "<5" (columns of ranks, rows, years, days,
    scores, ratios and rates are not counts)."""
    out = frame.copy()
    for column in out.columns:
        name = str(column).lower()
        if any(word in name for word in NOT_COUNTS):
            continue
        if pd.api.types.is_string_dtype(out[column]) or pd.api.types.is_bool_dtype(out[column]):
            continue  # codes and names are text, never counts
        values = pd.to_numeric(out[column], errors="coerce")
        if values.isna().all():
            continue
        whole = values.dropna()
        if not (whole == whole.round()).all():
            continue  # rates and other fractions
        small = values.between(1, 4).fillna(False).astype(bool)
        if small.any():
            out[column] = out[column].astype(object).where(~small, "<5")
    return out


# Units a table may write after its numbers ("12,5 %", "14,33×"); a download moves them to the header.
UNITS = ("%", "×")
_NUMBER = {"id": re.compile(r"[+\-−]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?"),
           "en": re.compile(r"[+\-−]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")}
_SEPARATORS = {"id": (";", ","), "en": (",", ".")}  # the list separator and decimal sign Excel expects


# Columns of codes and identifiers stay text even when they look like numbers ("14.71", "01").
CODE_WORDS = ("kode", "code", "id")


def _number_cell(value, lang: str) -> tuple[float | None, str, bool] | None:
    """A cell the screen wrote as a number ("1.778", "8,7 %", "−3,5"), as the number, its unit and whether
    it carried a mark of a formatted number (a unit or a separator); (None, "", False) when it says
    "no figure"; None when it is text."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None, "", False
    if not isinstance(value, str):
        return None
    text = value.strip().replace("\u00a0", " ")
    if text in ("", "–", "-"):
        return None, "", False
    unit = next((u for u in UNITS if text.endswith(u)), "")
    digits = text[: len(text) - len(unit)].strip() if unit else text
    if not _NUMBER.get(lang, _NUMBER["id"]).fullmatch(digits):
        return None
    group, decimal = (".", ",") if lang != "en" else (",", ".")
    plain = digits.replace(group, "").replace(decimal, ".").replace("−", "-").lstrip("+")
    return float(plain), unit, bool(unit) or group in digits or decimal in digits


def _styler_units(styler) -> dict:
    """The unit the screen writes after each column's numbers, read from the Styler's own formatter."""
    funcs = getattr(styler, "_display_funcs", None)  # pandas keeps formatters per (row, column)
    frame, units = styler.data, {}
    if not funcs or frame.empty:
        return units
    for j, column in enumerate(frame.columns):
        if not pd.api.types.is_numeric_dtype(frame[column]) or pd.api.types.is_bool_dtype(frame[column]):
            continue
        present = frame[column].notna().to_numpy().nonzero()[0]
        if len(present):
            try:
                shown = str(funcs[(int(present[0]), j)](frame[column].iloc[present[0]]))
            except Exception:  # noqa: BLE001 - a formatter that fails only loses the unit in the header
                continue
            units[column] = next((u for u in UNITS if shown.rstrip().endswith(u)), "")
    return units


def table_frame(table, lang: str | None = "id") -> pd.DataFrame:
    """A table (a DataFrame or the Styler the screen shows) as a download holds it: numbers as numbers,
    whole numbers without ".0", and a unit the cells wrote ("%", "×") moved to the column's header.

    Text is read as numbers only in a named language (lang=None keeps text as text, e.g. raw cells of
    an OPD's file in a validation report)."""
    from pandas.io.formats.style import Styler

    units = _styler_units(table) if isinstance(table, Styler) else {}
    frame = (table.data if isinstance(table, Styler) else table).copy()
    for column in frame.columns:
        values = frame[column]
        if set(re.findall(r"\w+", str(column).lower())) & set(CODE_WORDS):
            continue
        if lang and (values.dtype == object or pd.api.types.is_string_dtype(values)):
            cells = [_number_cell(v, lang) for v in values]
            if all(c is not None for c in cells) and any(c[2] for c in cells):
                frame[column] = pd.array([c[0] for c in cells], dtype="Float64")
                units[column] = next((c[1] for c in cells if c[1]), units.get(column, ""))
        values = frame[column]
        if pd.api.types.is_float_dtype(values) and len(values.dropna()) and (values.dropna() % 1 == 0).all():
            frame[column] = values.astype("Int64")
        elif pd.api.types.is_float_dtype(values):
            frame[column] = values.astype("Float64")
    frame.columns = [f"{c} ({units[c]})" if units.get(c) and units[c] not in str(c) else c for c in frame.columns]
    return frame


def _csv_cell(value, decimal: str):
    """A number written plainly (no thousands separator) with the language's decimal sign."""
    if isinstance(value, bool) or value is None or value is pd.NA:
        return value
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        if value != value:
            return None
        text = f"{float(value):.6f}".rstrip("0").rstrip(".")
        return ("0" if text in ("-0", "") else text).replace(".", decimal)
    return value


def csv_bytes(table, lang: str = "id") -> bytes:
    """A CSV that Excel in the reader's language opens as columns of numbers: ";" and a decimal comma in
    Indonesian, "," and a decimal point in English; UTF-8 with a byte-order mark for the accents."""
    sep, decimal = _SEPARATORS.get(lang, _SEPARATORS["id"])
    frame = safe_frame(table_frame(table, lang))
    cells = frame.astype(object).map(lambda v: _csv_cell(v, decimal))
    return cells.to_csv(index=False, sep=sep).encode("utf-8-sig")


def xlsx_bytes(table, sheet: str = "Data", lang: str | None = None) -> bytes:
    """One sheet, a header row, numbers as numbers (also those the screen wrote as text, given the
    language they are written in), columns wide enough to read."""
    return xlsx_sheets_bytes({sheet: table}, lang)


def xlsx_sheets_bytes(sheets: dict, lang: str | None = None) -> bytes:
    """Several sheets, each with a header row, numbers as numbers and columns wide enough to read."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, frame in sheets.items():
            frame = safe_frame(table_frame(frame, lang))
            frame.to_excel(writer, index=False, sheet_name=sheet[:31])
            ws = writer.sheets[sheet[:31]]
            for i, column in enumerate(frame.columns, start=1):
                width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
                ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(max(width + 2, 8), 60)
    return buffer.getvalue()
