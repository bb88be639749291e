"""The table inside an OPD's file: its header (one or two rows), its data rows matched to kelurahan, its totals."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pantau.domain.catalog import Indicator
from pantau.errors import IngestError
from pantau.ingest.matching import Match, Matcher
from pantau.ingest.sheets import Cell, Grid, by_value, is_blank, text, texts
from pantau.ingest.sheets import cells as sheet_cells
from pantau.render import fmt

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


# The kab/kota (a kota administrasi in DKI) each row belongs to, in a province's BPBD table: rows of another
# are left out. A file whose only place column is "Wilayah" means its kelurahan (see _assign).
WILAYAH_ROLES: list[tuple[str, str]] = [
    ("wilayah", r"^(wilayah|kota|kab kota|kabupaten kota|kota kabupaten|kota administrasi|kabupaten)$"),
]
BANJIR_ROLES: list[tuple[str, str]] = [
    ("latlon", r"koordinat|lat.*lon|lintang.*bujur"),
    ("lat", r"^lat|lintang"),
    ("lon", r"^lon|^long|^lng|bujur"),
    ("tanggal", r"tanggal|tgl|waktu kejadian|^waktu$"),
    # A BPBD table per kelurahan and month (DKI: periode_data, bulan, ..., jumlah_kejadian): no date column.
    ("bulan", r"^bulan$"),
    ("tahun", r"^tahun$|^periode data$"),
    ("kejadian", r"jumlah kejadian|^kejadian$"),
    ("kedalaman", r"kedalaman|ketinggian|tinggi (air|genangan|banjir)|tma"),
    ("jiwa", r"\bjiwa\b|orang terdampak"),
    ("terdampak", r"(?<!\brw )terdampak|rumah|\bkk\b|kepala keluarga|keluarga"),
]


# A list of people. Name, NIK and address columns are recognised so they can be hashed or dropped,
# never stored; the order matters ("nama kelurahan" is the kelurahan, tried first by COMMON_ROLES).
RECORD_ROLES: list[tuple[str, str]] = [
    ("nik", r"\bnik\b|nomor induk|no ktp|nomor ktp"),
    ("tgl_lahir", r"lahir|\bttl\b|tgl lhr"),
    ("nama", r"^nama|nama (anak|balita|lengkap|kepala|krt)"),
    ("alamat", r"alamat|\brt ?/ ?rw\b|jalan"),
    ("jk", r"jenis kelamin|^jk$|^l ?/ ?p$"),
    # A family's register id: a list of households (poverty) is matched by it before any person's NIK.
    ("id_p3ke", r"id keluarga"),
    ("kk", r"\bno(mor)? ?kk\b|kartu keluarga"),
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
    """What a file holds once its shape is understood.

    data has one row per data row of the file: "row" (the number a person sees), each role's cell as
    written, "name" (the kelurahan as the file names it), "match" (a Match), its "how" and
    "matched_kode", and "kecamatan_kode" (the kecamatan the row stands under).
    """

    kind: str
    header: Header
    data: pd.DataFrame
    totals: list[TotalRow]
    title: list[tuple[int, str]] = field(default_factory=list)
    title_period: tuple[int, dt.date] | None = None

    def cell(self, role: str, i: int) -> Cell:
        """Data row i's cell of a role as written (None when blank or when the file has no such column)."""
        if role not in self.data:
            return None
        value = self.data[role].iat[i]
        return None if is_blank(value) else value

    def row(self, i: int) -> Row:
        """Data row i as a Row, without turning every row of a large file into one."""
        cells = {role: self.cell(role, i) for role in self.header.columns if role in self.data}
        return Row(int(self.data["row"].iat[i]), cells, self.data["name"].iat[i], self.data["match"].iat[i],
                   self.data["kecamatan_kode"].iat[i])

    @functools.cached_property
    def rows(self) -> list[Row]:
        """The data rows as objects, for rules that go row by row over a small file."""
        roles = [r for r in self.header.columns if r in self.data]
        cells = [dict(zip(roles, values)) for values in zip(*(sheet_cells(self.data[r]) for r in roles))] \
            if roles else [{} for _ in range(len(self.data))]
        return [Row(int(n), c, name, match, kec) for n, c, name, match, kec in
                zip(self.data["row"].tolist(), cells, self.data["name"].tolist(), self.data["match"].tolist(),
                    self.data["kecamatan_kode"].tolist())]


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
    if kind == "banjir":
        return WILAYAH_ROLES + COMMON_ROLES + BANJIR_ROLES
    if kind == "records":
        return COMMON_ROLES + RECORD_ROLES
    raise ValueError(kind)


def required_roles(kind: str) -> tuple[set[str], ...]:
    """Role sets of which a header must hold at least one role each."""
    if kind == "nilai":
        return ({"kode", "kelurahan"}, {"jumlah"})
    if kind == "penyebut":
        return ({"kode", "kelurahan"}, {"rumah_tangga", "usia_sekolah", "balita", "penduduk"})
    if kind == "banjir":
        return ({"kode", "kelurahan", "lat", "latlon"}, {"tanggal", "bulan"})
    if kind == "records":
        return ({"kode", "kelurahan"}, {"nik", "nama", "id_p3ke", "kk"})
    return ({"lat", "latlon"}, {"kondisi"})


def _label(value: Cell) -> str:
    return " ".join(normalize_header(text(value)).split())


@functools.lru_cache(maxsize=65536)
def normalize_header(label: str) -> str:
    """A header as lower-case words: 'Jml. Balita\\nStunting' -> 'jml balita stunting'."""
    label = label.lower().replace("\n", " ")
    return re.sub(r"[^a-z0-9%/\- ]+", " ", label).replace("/", " ").strip()


# A role taken by a weaker header goes to a later one that names it outright: DKI's tables have "wilayah"
# (the kota administrasi) before "kelurahan".
# The water height's maximum, when a table has it beside the average, is what a flood map should show.
STRONGER = {"kelurahan": r"kelurahan|desa", "kedalaman": r"maks|tertinggi|\bmax"}


def _assign(labels: list[tuple[str, str]], roles: list[tuple[str, str]]) -> dict[str, Column]:
    columns: dict[str, Column] = {}
    taken_by: dict[str, str] = {}
    for index, (label, shown) in enumerate(labels):
        if not label:
            continue
        for role, pattern in roles:
            if pattern and re.search(pattern, label):
                strong = STRONGER.get(role)
                if role not in columns or (strong and re.search(strong, label) and not re.search(strong, taken_by[role])):
                    columns[role] = Column(index, shown, role)
                    taken_by[role] = label
                break
    if "wilayah" in columns and "kelurahan" not in columns and "kode" not in columns:
        columns["kelurahan"] = Column(columns["wilayah"].index, columns.pop("wilayah").label, "kelurahan")
    return columns


def header_columns(row: list[Cell], roles: list[tuple[str, str]]) -> dict[str, Column]:
    """The roles one header row names, each with its column (letter and header as written)."""
    return _assign(_header_labels([row], 0, 1), roles)


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
    rows = grid.head(HEADER_SEARCH_ROWS + 1)
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


def _total_label(value: str) -> str | None:
    """The normalised label of a total row's cell ("jumlah kec bontang utara"), or None."""
    if not value[:1].isalpha():
        return None
    label = normalize_header(value)
    return label if _TOTAL.match(label) else None


def _is_note(value: str) -> bool:
    return bool(_NOTE.match(normalize_header(value)))


def _where_alpha(values: pd.Series, fn, default) -> pd.Series:
    """fn of each distinct text that starts with a letter; default for the rest (numbers, blanks)."""
    alpha = values.str.match(r"[^\W\d_]").fillna(False).astype(bool)
    out = pd.Series(default, index=values.index, dtype=object)
    if alpha.any():
        out[alpha] = by_value(values[alpha], fn)
    return out


def parse(grid: Grid, kind: str, ind: Indicator | None, matcher: Matcher, file_name: str) -> Parsed:
    """Header, data rows matched to kelurahan, total rows and title lines of one grid, column by column."""
    header = find_header(grid, kind, ind, file_name)
    cols = header.columns
    title = [(grid.row_number(i), " ".join(dict.fromkeys(text(c) for c in r if text(c))))
             for i, r in enumerate(grid.head(header.row_index)) if any(text(c) for c in r)]
    title_period = next(((row, p) for row, line in title if (p := fmt.find_period(line))), None)
    start = header.first_data_index
    body = grid.frame.iloc[start:]
    keep = ~body.isna().all(axis=1).to_numpy()  # the readers turn blank cells into None
    for i in range(min(2, len(body))):
        if _is_column_numbers(grid.row(start + i)):
            keep[i] = False
    body = body[keep]
    number = pd.Series(grid.first_row + np.flatnonzero(keep) + start, index=body.index)
    cells = {role: body[c.index] for role, c in cols.items()}
    blank = pd.Series("", index=body.index, dtype="str")
    label_text = {role: texts(cells[role]) if role in cells else blank for role in ("no", "kode", "kecamatan", "kelurahan")}
    name, kec_text, code_text = label_text["kelurahan"], label_text["kecamatan"], label_text["kode"]

    total_label = pd.Series(None, index=body.index, dtype=object)
    for role in ("kelurahan", "kecamatan", "kode", "no"):  # the first label cell that says "Jumlah" wins
        if role in cells:
            found = _where_alpha(label_text[role], _total_label, None)
            total_label = found.where(found.notna(), total_label)
    is_total = total_label.notna()
    first = name.where(name != "", kec_text)
    first = first.where(first != "", label_text["no"])
    is_note = ~is_total & _where_alpha(first, _is_note, False).astype(bool)
    # A row naming a kecamatan and no kelurahan: "KECAMATAN BONTANG UTARA" above its kelurahan, or its subtotal.
    kec_name_row = ~is_total & ~is_note & (name != "")
    if "kode" in cols:
        kec_name_row &= False
    else:
        kec_name_row &= by_value(name, lambda v: bool(v) and matcher.is_kecamatan_name(v)).astype(bool)
    values_given = pd.Series(False, index=body.index)
    for role in ("jumlah", "penyebut"):
        if role in cells:
            values_given |= texts(cells[role]) != ""
    named_kecamatan = by_value(name.where(kec_name_row, ""), lambda v: matcher.kecamatan(v) if v else None)

    totals: list[TotalRow] = []
    for index in body.index[is_total | (kec_name_row & values_given)]:
        row_cells = {role: None if is_blank(cells[role].at[index]) else cells[role].at[index] for role in cells}
        if is_total.at[index]:
            label = total_label.at[index]
            rest = _TOTAL.sub("", label).strip()
            kec = matcher.kecamatan(rest) if rest else None
            if kec is None and kec_text.at[index] and "kelurahan" in cols and not name.at[index].strip():
                kec = matcher.kecamatan(kec_text.at[index])
            shown = " ".join(label_text[r].at[index] for r in ("no", "kode", "kecamatan", "kelurahan")
                             if label_text[r].at[index])
            totals.append(TotalRow(int(number.at[index]), row_cells, shown, kec))
        else:
            totals.append(TotalRow(int(number.at[index]), row_cells, name.at[index], named_kecamatan.at[index]))

    # The kecamatan each row stands under: its own kecamatan cell, else the last kecamatan row above it.
    listed = ~is_total & ~is_note
    sets = by_value(kec_text.where(listed, ""), lambda v: matcher.kecamatan(v) if v else None)
    sets = named_kecamatan.where(kec_name_row & ~values_given, sets)
    context = sets.ffill()
    context = context.astype(object).where(context.notna(), None)
    data_rows = listed & ~kec_name_row
    if kind not in ("drainase", "banjir"):
        data_rows &= (name != "") | (code_text != "")
    hint = kec_text.where(kec_text != "", by_value(context, lambda k: matcher.kecamatan_names.get(k) if k else None))
    frame = pd.DataFrame({"row": number, **{role: series for role, series in cells.items()},
                          "name": name.where(name != "", code_text), "_code": code_text, "_hint": hint})[data_rows]
    frame["kecamatan_kode"] = context[data_rows]
    by_point = Match(None, "by_point", 0)

    def match_of(key: tuple) -> Match:
        name_, code_, hint_ = key
        if kind in ("drainase", "banjir") and not name_ and not code_:
            return by_point
        return matcher.match(name_, code_ or None, hint_ or None)

    # One match per distinct (name, code, kecamatan) of the file, not one per row.
    keys = pd.DataFrame({"name": frame["name"].where(frame["_code"] == "", ""), "code": frame["_code"],
                         "hint": frame["_hint"].fillna("")})
    group = keys.groupby(list(keys.columns), sort=False, dropna=False).ngroup().to_numpy()
    first = np.flatnonzero(~pd.Series(group).duplicated().to_numpy())
    matches = np.empty(len(first), dtype=object)
    for g, i in zip(group[first], first):
        matches[g] = match_of((keys["name"].iat[i], keys["code"].iat[i], keys["hint"].iat[i]))
    frame["match"] = matches[group] if len(frame) else pd.Series([], dtype=object)
    frame["how"] = [m.how for m in frame["match"].tolist()]
    frame["matched_kode"] = [m.kode for m in frame["match"].tolist()]
    frame = frame.drop(columns=["_code", "_hint"]).reset_index(drop=True)
    return Parsed(kind, header, frame, totals, title, title_period)
