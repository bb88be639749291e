"""Reading what OPDs send: CSV, XLSX, XLS or ODS into a grid of cells, with the row numbers a person sees."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass

import numpy as np
import pandas as pd
from python_calamine import CalamineWorkbook

from pantau.errors import IngestError

SPREADSHEET_EXT = {".xlsx", ".xlsm", ".xls", ".ods", ".xlsb"}
CSV_EXT = {".csv", ".txt", ".tsv"}
ZIPPED_EXT = {".xlsx", ".xlsm", ".ods", ".zip"}
# An .xlsx or .ods is a zip; a small file that expands past this is a zip bomb, not a spreadsheet.
MAX_EXPANDED_BYTES = 400 * 1024 * 1024
MAX_EXPANSION_RATIO = 200

Cell = str | float | int | dt.date | dt.datetime | None


@dataclass(frozen=True)
class Upload:
    """A file as received: its display name (never used as a path), bytes and SHA-256."""

    name: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def display_name(self) -> str:
        """The base name only, without any folder a browser or a shell put in front of it."""
        base = re.split(r"[\\/]", self.name)[-1]
        base = re.sub(r"[\x00-\x1f]", "", base).strip() or "berkas"
        return base[:120]

    @property
    def suffix(self) -> str:
        match = re.search(r"\.[A-Za-z0-9]{1,8}$", self.display_name)
        return match.group(0).lower() if match else ""


@dataclass
class Grid:
    """Cells by column (a blank cell is None or missing); frame row i is spreadsheet row first_row + i.

    Columns, not Python rows: a million-row file is then understood and validated column-wise.
    """

    frame: pd.DataFrame
    sheet: str | None = None
    first_row: int = 1

    @classmethod
    def from_rows(cls, rows: list[list[Cell]], sheet: str | None = None) -> Grid:
        width = max((len(r) for r in rows), default=0)
        frame = pd.DataFrame([r + [None] * (width - len(r)) for r in rows], columns=range(width), dtype=object)
        return cls(frame, sheet)

    def __len__(self) -> int:
        return len(self.frame)

    def row_number(self, index: int) -> int:
        return self.first_row + index

    def row(self, index: int) -> list[Cell]:
        return [None if is_blank(v) else v for v in self.frame.iloc[index].tolist()]

    def head(self, n: int) -> list[list[Cell]]:
        """The first n rows as lists (the title and header region)."""
        return [self.row(i) for i in range(min(n, len(self.frame)))]


def check_size(upload: Upload, max_bytes: int) -> None:
    """Refuse a file over the size limit, or a zip that would expand past a safe size."""
    if len(upload.data) > max_bytes:
        raise IngestError("ingest.too_large", file=upload.display_name,
                          size=len(upload.data) // (1024 * 1024), limit=max_bytes // (1024 * 1024))
    if upload.suffix in ZIPPED_EXT or upload.data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(upload.data)) as archive:
                expanded = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile as exc:
            raise IngestError("ingest.unreadable", file=upload.display_name, detail="zip") from exc
        if expanded > MAX_EXPANDED_BYTES or expanded > MAX_EXPANSION_RATIO * max(len(upload.data), 1):
            raise IngestError("ingest.zip_bomb", file=upload.display_name,
                              size=expanded // (1024 * 1024))


def read_grid(upload: Upload, max_bytes: int) -> Grid:
    """The first sheet that holds data (or the CSV) as a grid; merged cells filled in."""
    check_size(upload, max_bytes)
    if upload.suffix in CSV_EXT:
        return _read_csv(upload)
    if upload.suffix in SPREADSHEET_EXT or upload.data[:4] in (b"PK\x03\x04", b"\xd0\xcf\x11\xe0"):
        return _read_workbook(upload)
    raise IngestError("ingest.unknown_format", file=upload.display_name, suffix=upload.suffix or "?")


def _read_workbook(upload: Upload) -> Grid:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(upload.data))
    except Exception as exc:  # calamine raises its own error types per format
        raise IngestError("ingest.unreadable", file=upload.display_name, detail=type(exc).__name__) from exc
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        if not any(any(text(c) for c in row) for row in rows):
            continue
        rows = [[None if isinstance(c, str) and not c.strip() else c for c in row] for row in rows]
        _fill_merged(rows, sheet)
        return Grid.from_rows(rows, sheet=name)
    raise IngestError("ingest.empty", file=upload.display_name)


def _fill_merged(rows: list[list[Cell]], sheet) -> None:
    # A merged header ("JUMLAH BALITA" over two columns) or a merged kecamatan cell over its
    # kelurahan rows holds its value in the top-left cell only; copy it into the whole range.
    try:
        ranges = sheet.merged_cell_ranges or []
    except Exception:  # not every format reports merged cells
        ranges = []
    for (r0, c0), (r1, c1) in ranges:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                if rows[r][c] is None:
                    rows[r][c] = value


def _read_csv(upload: Upload) -> Grid:
    encoding = _encoding(upload.data)
    sample = "\n".join(upload.data[:65536].decode(encoding, errors="replace").splitlines()[:40])
    delimiter = max((";", ",", "\t"), key=lambda d: _delimiter_score(sample, d))
    width = max((len(r) for r in csv.reader(io.StringIO(sample), delimiter=delimiter)), default=0)
    if width == 0:
        raise IngestError("ingest.empty", file=upload.display_name)
    try:
        # pandas' C reader, every cell as Arrow text; rows shorter than the sample's widest are padded.
        frame = pd.read_csv(io.BytesIO(upload.data), sep=delimiter, header=None, names=range(width), dtype="str",
                            na_filter=False, skip_blank_lines=False, engine="c", encoding=encoding)
    except (pd.errors.ParserError, ValueError):
        # A row further down is wider than the first lines (a note typed past the table): Python's reader.
        reader = csv.reader(io.StringIO(upload.data.decode(encoding)), delimiter=delimiter)
        return Grid.from_rows([[c.strip() or None for c in row] for row in reader])
    for column in frame.columns:
        stripped = frame[column].str.strip()
        frame[column] = stripped.where(stripped != "")  # a blank cell is missing
    return Grid(frame)


def _encoding(data: bytes) -> str:
    # OPD laptops save CSV as UTF-8 (often with a BOM) or as Windows-1252 from an older Excel.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            data.decode(encoding)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"


def _delimiter_score(sample: str, delimiter: str) -> float:
    # The delimiter splits most lines into the same number of fields (quotes respected).
    counts = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(c.strip() for c in r)]
    if not counts:
        return 0
    common = max(set(counts), key=counts.count)
    return (common - 1) * counts.count(common)


def text(value: Cell) -> str:
    """A cell as the text a person sees."""
    if is_blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def by_value(values: pd.Series, fn) -> pd.Series:
    """fn applied once per distinct value of a column (a file repeats a few hundred texts a million times)."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    results = np.empty(len(distinct), dtype=object)
    for i, value in enumerate(distinct):
        results[i] = fn(None if is_blank(value) else value)  # factorize's NaN is a blank
    return pd.Series(results[codes], index=values.index, dtype=object)


def texts(values: pd.Series) -> pd.Series:
    """A column of cells as the texts a person sees ("" for a blank cell), as Arrow-backed strings.

    Arrow strings keep .str methods and comparisons in C: a million cells in milliseconds.
    """
    if not isinstance(values.dtype, pd.StringDtype):
        if pd.api.types.infer_dtype(values, skipna=True) not in ("string", "empty"):
            values = by_value(values, text)
        values = values.astype("str")
    return values.fillna("").str.strip()


def is_blank(value) -> bool:
    """None, or a missing value as pandas holds it (a blank cell of a CSV column)."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def cells(values: pd.Series) -> list[Cell]:
    """A column as a list of cells, blanks as None."""
    return [None if is_blank(v) else v for v in values.tolist()]
