"""The table inside an OPD's file: its header (one or two rows), its data rows matched to kelurahan, its totals."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from pantau import fmt
from pantau.catalog import Indicator
from pantau.errors import IngestError
from pantau.matching import Matcher, Match
from pantau.sheets import Cell, Grid, text

HEADER_SEARCH_ROWS = 30
_TOTAL = re.compile(r"^(jumlah|total|jml|sub ?total|grand total|rekap|rekapitulasi)\b")
_NOTE = re.compile(r"^(sumber|keterangan|ket|catatan|mengetahui|kepala|nip|dicetak|diolah|note)\b")

# Column roles every kind shares; the order matters (a "kode kelurahan" is a code, not a name).
COMMON_ROLES: list[tuple[str, str]] = [
    ("no", r"^(no|nomor|no urut|nmr)$"),
    ("kode", r"\bkode\b|^kd\b|kemendagri|^id wilayah"),
    ("kecamatan", r"kecamatan|^kec\b"),
    ("kelurahan", r"kelurahan|desa|^kel\b|^nama wilayah$|^wilayah$|^lokasi kelurahan$"),
]
NILAI_ROLES: list[tuple[str, str]] = [
    ("persen", r"%|persen|prevalensi|rasio|angka\b"),
    ("sumber", r"^sumber( data)?$"),
    ("periode", r"^(periode|bulan|bulan tahun|bulan laporan)$"),
]
PENYEBUT_ROLES: list[tuple[str, str]] = [
    ("rumah_tangga", r"rumah tangga|\bkk\b|keluarga|\bruta\b"),
    ("usia_sekolah", r"usia sekolah|7 ?- ?18|usia 7"),
    ("balita", r"balita|0 ?- ?59|bawah lima"),
    ("penduduk", r"penduduk|jiwa"),
    ("tahun", r"^tahun$"),
]
DRAINASE_ROLES: list[tuple[str, str]] = [
    ("latlon", r"koordinat|lat.*lon|lintang.*bujur|titik koordinat"),
    ("lat", r"^lat|lintang"),
    ("lon", r"^lon|^long|^lng|bujur"),
    ("titik", r"^(id|id titik|kode titik|no titik|nomor titik)$"),
    ("kondisi", r"kondisi|masalah|permasalahan|jenis kerusakan|keadaan"),
    ("status", r"status|penanganan|tindak lanjut"),
    ("tanggal", r"tanggal|tgl|waktu lapor|dilaporkan pada"),
    ("pelapor", r"pelapor|dilaporkan oleh|sumber laporan|^sumber$|pengirim"),
    ("lokasi", r"lokasi|alamat|jalan|ruas"),
]


@dataclass
class Column:
    """One column of the file: its letter, its header as written, its role."""

    index: int
    label: str
    role: str

    @property
    def letter(self) -> str:
        n, letters = self.index + 1, ""
        while n:
            n, r = divmod(n - 1, 26)
            letters = chr(65 + r) + letters
        return letters

    @property
    def name(self) -> str:
        """How messages name the column: its header and its letter."""
        return f"{self.label} ({self.letter})" if self.label else self.letter


@dataclass
class Header:
    """Where the table starts, over how many rows its header runs, and its columns by role."""

    row_index: int
    span: int
    columns: dict[str, Column]

    @property
    def first_data_index(self) -> int:
        return self.row_index + self.span


@dataclass
class Row:
    """A data row: the person's row number, each role's cell, and the kelurahan it was matched to."""

    row: int
    cells: dict[str, Cell]
    name: str
    match: Match
    kecamatan_kode: str | None = None


@dataclass
class TotalRow:
    """A subtotal (kecamatan) or grand total row the file carries; never a kelurahan."""

    row: int
    cells: dict[str, Cell]
    label: str
    kecamatan_kode: str | None


@dataclass
class Parsed:
    """What a file holds once its shape is understood."""

    kind: str
    header: Header
    rows: list[Row]
    totals: list[TotalRow]
    title: list[tuple[int, str]] = field(default_factory=list)
    title_period: tuple[int, dt.date] | None = None


def roles_for(kind: str, ind: Indicator | None) -> list[tuple[str, str]]:
    """The column roles to look for in a file of this kind, in the order they are tried."""
    if kind == "nilai":
        assert ind is not None
        return COMMON_ROLES + NILAI_ROLES + [
            ("jumlah", ind.count_headers), ("penyebut", ind.denominator_headers)]
    if kind == "penyebut":
        return COMMON_ROLES + PENYEBUT_ROLES
    if kind == "drainase":
        return COMMON_ROLES + DRAINASE_ROLES
    raise ValueError(kind)


def required_roles(kind: str) -> tuple[set[str], ...]:
    """Role sets of which a header must hold at least one role each."""
    if kind == "nilai":
        return ({"kode", "kelurahan"}, {"jumlah"})
    if kind == "penyebut":
        return ({"kode", "kelurahan"}, {"rumah_tangga", "usia_sekolah", "balita", "penduduk"})
    return ({"lat", "latlon"}, {"kondisi"})


def _label(value: Cell) -> str:
    return " ".join(normalize_header(text(value)).split())


@functools.lru_cache(maxsize=65536)
def normalize_header(label: str) -> str:
    """A header as lower-case words: 'Jml. Balita\\nStunting' -> 'jml balita stunting'."""
    label = label.lower().replace("\n", " ")
    return re.sub(r"[^a-z0-9%/\- ]+", " ", label).replace("/", " ").strip()


def _assign(labels: list[tuple[str, str]], roles: list[tuple[str, str]]) -> dict[str, Column]:
    columns: dict[str, Column] = {}
    for index, (label, shown) in enumerate(labels):
        if not label:
            continue
        for role, pattern in roles:
            if pattern and re.search(pattern, label):
                if role not in columns:
                    columns[role] = Column(index, shown, role)
                break
    return columns


def _header_labels(rows: list[list[Cell]], start: int, span: int) -> list[tuple[str, str]]:
    """Each column's header, normalised for matching and as written for messages."""
    return list(zip(_header_texts(rows, start, span, _label),
                    _header_texts(rows, start, span, lambda c: " ".join(text(c).split()))))


def _header_texts(rows: list[list[Cell]], start: int, span: int, clean) -> list[str]:
    width = max(len(r) for r in rows[start:start + span])
    grid = [[clean(r[i]) if i < len(r) else "" for i in range(width)] for r in rows[start:start + span]]
    if span == 2:
        top, bottom = grid
        # An unmerged group header ("JUMLAH BALITA" over "DIUKUR | STUNTING") stands over the
        # columns to its right that have a sub-header and nothing above.
        for i in range(1, width):
            if not top[i] and bottom[i] and bottom[i - 1] and top[i - 1]:
                top[i] = top[i - 1]
        return [" ".join(dict.fromkeys(p for p in (top[i], bottom[i]) if p)) for i in range(width)]
    return grid[0]


def find_header(grid: Grid, kind: str, ind: Indicator | None, file_name: str) -> Header:
    """The header row (or two rows) that names the most roles; IngestError when none does."""
    roles = roles_for(kind, ind)
    needed = required_roles(kind)
    best: tuple[int, int, Header] | None = None
    rows = grid.rows
    for start in range(min(HEADER_SEARCH_ROWS, len(rows))):
        for span in (1, 2):
            if start + span > len(rows):
                continue
            columns = _assign(_header_labels(rows, start, span), roles)
            if not all(columns.keys() & group for group in needed):
                continue
            score = len(columns)
            if best is None or score > best[0] or (score == best[0] and span < best[1] and start == best[2].row_index):
                best = (score, span, Header(start, span, columns))
    if best is None:
        raise IngestError("ingest.no_header", file=file_name, kind=kind)
    return best[2]


def _is_column_numbers(cells: list[Cell]) -> bool:
    """Whether a row only numbers the columns (1 | 2 | 3 ...), as government tables do under the header."""
    filled = [c for c in cells if c is not None]
    if len(filled) < 3 or not all(isinstance(c, (int, float)) or (isinstance(c, str) and c.strip().isdigit())
                                  for c in filled):
        return False
    numbers = [float(c) for c in filled]
    return all(b - a == 1 for a, b in zip(numbers, numbers[1:]))


def parse(grid: Grid, kind: str, ind: Indicator | None, matcher: Matcher, file_name: str) -> Parsed:
    """Header, data rows matched to kelurahan, total rows and title lines of one grid."""
    header = find_header(grid, kind, ind, file_name)
    cols = header.columns
    title = [(grid.row_number(i), " ".join(dict.fromkeys(text(c) for c in r if text(c))))
             for i, r in enumerate(grid.rows[:header.row_index]) if any(text(c) for c in r)]
    title_period = next(((row, p) for row, line in title if (p := fmt.find_period(line))), None)
    rows: list[Row] = []
    totals: list[TotalRow] = []
    kecamatan_context: str | None = None
    for index in range(header.first_data_index, len(grid.rows)):
        raw = grid.rows[index]
        cells = {role: (raw[c.index] if c.index < len(raw) else None) for role, c in cols.items()}
        if all(c is None for c in raw):  # the readers turn blank cells into None
            continue
        if index < header.first_data_index + 2 and _is_column_numbers(raw):
            continue
        number = grid.row_number(index)
        name = text(cells.get("kelurahan"))
        kec_text = text(cells.get("kecamatan"))
        label_cells = [text(cells.get(r)) for r in ("no", "kode", "kecamatan", "kelurahan")]
        label = next((normalize_header(s) for s in label_cells
                      if s[:1].isalpha() and _TOTAL.match(normalize_header(s))), None)
        if label is not None:
            rest = _TOTAL.sub("", label).strip()
            kec = matcher.kecamatan(rest) if rest else None
            if kec is None and kec_text and "kelurahan" in cols and not name.strip():
                kec = matcher.kecamatan(kec_text)
            totals.append(TotalRow(number, cells, " ".join(s for s in label_cells if s), kec))
            continue
        first = normalize_header(name or kec_text or label_cells[0])
        if _NOTE.match(first):
            continue
        if kec_text:
            kecamatan_context = matcher.kecamatan(kec_text) or kecamatan_context
        if name and "kode" not in cols and matcher.is_kecamatan_name(name):
            # "KECAMATAN BONTANG UTARA" above its kelurahan, or the kecamatan's subtotal.
            values = [cells.get(r) for r in ("jumlah", "penyebut") if r in cells]
            kec = matcher.kecamatan(name)
            if any(text(v) for v in values):
                totals.append(TotalRow(number, cells, name, kec))
            else:
                kecamatan_context = kec
            continue
        code_text = text(cells.get("kode")) or None
        if not name and not code_text and kind != "drainase":
            continue
        match = matcher.match(name, code_text, kec_text or (matcher.kecamatan_names.get(kecamatan_context) if kecamatan_context else None))
        if kind == "drainase" and not name and not code_text:
            match = Match(None, "by_point", 0)
        rows.append(Row(number, cells, name or code_text or "", match, kecamatan_context))
    return Parsed(kind, header, rows, totals, title, title_period)
