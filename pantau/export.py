"""Downloads: the data behind a chart as CSV or XLSX, with the labels the screen shows."""

from __future__ import annotations

import io

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
        values = pd.to_numeric(out[column], errors="coerce") if out[column].dtype != object else None
        if values is None or values.isna().all():
            continue
        whole = values.dropna()
        if not (whole == whole.round()).all():
            continue  # rates and other fractions
        small = values.between(1, 4)
        if small.any():
            out[column] = out[column].astype(object).where(~small, "<5")
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel on a Bappeda laptop opens the accents right."""
    return safe_frame(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    """One sheet, a header row, columns wide enough to read."""
    return xlsx_sheets_bytes({sheet: frame})


def xlsx_sheets_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """Several sheets, each with a header row and columns wide enough to read."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, frame in sheets.items():
            frame = safe_frame(frame)
            frame.to_excel(writer, index=False, sheet_name=sheet[:31])
            ws = writer.sheets[sheet[:31]]
            for i, column in enumerate(frame.columns, start=1):
                width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200)])
                ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(max(width + 2, 8), 60)
    return buffer.getvalue()
