"""The lake's tables: their Arrow schemas, which are optional or versioned, and the slice an upload
replaces, as a Delta predicate built from checked values only."""

from __future__ import annotations

import datetime as dt
import re

import pyarrow as pa
import pyarrow.compute as pc

SCHEMAS: dict[str, pa.Schema] = {
    # Kota, kecamatan and kelurahan; geometry is WKB in WGS84, null where no boundary exists.
    "wilayah": pa.schema([
        ("kode", pa.string()),
        ("nama", pa.string()),
        ("tingkat", pa.string()),
        ("parent_kode", pa.string()),
        ("kota_kode", pa.string()),
        ("luas_km2", pa.float64()),
        ("geometry", pa.binary()),
    ]),
    # One row per kelurahan x indicator x period x source.
    "nilai": pa.schema([
        ("kelurahan_kode", pa.string()),
        ("kota_kode", pa.string()),
        ("indikator", pa.string()),
        ("periode", pa.date32()),
        ("sumber", pa.string()),
        ("jumlah", pa.int64()),
        ("penyebut", pa.int64()),
        ("upload_id", pa.string()),
    ]),
    # A year's figures (a province's Satu Data): one row per kelurahan x indicator x year x source. Kept apart
    # from the months, so no monthly view can draw a year as a month.
    "nilai_tahunan": pa.schema([
        ("kelurahan_kode", pa.string()),
        ("kota_kode", pa.string()),
        ("indikator", pa.string()),
        ("tahun", pa.int32()),
        ("sumber", pa.string()),
        ("jumlah", pa.int64()),
        ("penyebut", pa.int64()),
        ("upload_id", pa.string()),
    ]),
    # Drainage problem points; status_tanggal is the date of the last status change.
    "drainase": pa.schema([
        ("id", pa.string()),
        ("lon", pa.float64()),
        ("lat", pa.float64()),
        ("kelurahan_kode", pa.string()),
        ("kota_kode", pa.string()),
        ("kondisi", pa.string()),
        ("status", pa.string()),
        ("tanggal_lapor", pa.date32()),
        ("status_tanggal", pa.date32()),
        ("sumber", pa.string()),
        ("pelapor", pa.string()),
        ("upload_id", pa.string()),
    ]),
    # Denominators per kelurahan and year (population, households, school-age children, under-fives).
    "penyebut": pa.schema([
        ("kelurahan_kode", pa.string()),
        ("kota_kode", pa.string()),
        ("jenis", pa.string()),
        ("tahun", pa.int32()),
        ("jumlah", pa.int64()),
        ("upload_id", pa.string()),
    ]),
    # Names as a kota's files write them, confirmed by a user as meaning this kelurahan.
    "alias": pa.schema([
        ("kota_kode", pa.string()),
        ("nama", pa.string()),
        ("kelurahan_kode", pa.string()),
        ("dibuat", pa.timestamp("us", tz="UTC")),
    ]),
    # Priority kelurahan: every change is a new version of the row (append-only; the newest counts).
    "prioritas": pa.schema([
        ("prioritas_id", pa.string()),
        ("versi", pa.int64()),
        ("diubah", pa.timestamp("us", tz="UTC")),
        ("pengguna", pa.string()),
        ("asal", pa.string()),
        ("kota_kode", pa.string()),
        ("kelurahan_kode", pa.string()),
        ("indikator", pa.string()),
        ("sumber", pa.string()),
        ("ukuran", pa.string()),
        ("baseline", pa.float64()),
        ("baseline_periode", pa.date32()),
        ("target", pa.float64()),
        ("ditandai", pa.date32()),
        ("tenggat", pa.date32()),
        ("aktif", pa.bool_()),
    ]),
    # Actions agreed at a rakor: every change is a new version (append-only; the newest counts).
    "tindak_lanjut": pa.schema([
        ("aksi_id", pa.string()),
        ("versi", pa.int64()),
        ("diubah", pa.timestamp("us", tz="UTC")),
        ("pengguna", pa.string()),
        ("asal", pa.string()),
        ("kota_kode", pa.string()),
        ("apa", pa.string()),
        ("tanggal_rakor", pa.date32()),
        ("opd", pa.string()),
        ("kelurahan", pa.list_(pa.string())),  # empty: the whole kota
        ("indikator", pa.string()),
        ("tenggat", pa.date32()),
        ("status", pa.string()),
        ("catatan", pa.string()),
        ("catatan_tanggal", pa.date32()),
    ]),
    # Status changes of drainage points made in the app (append-only: a point is never deleted,
    # only closed; the newest change on or after the uploaded status counts).
    "drainase_status": pa.schema([
        ("id", pa.string()),
        ("kota_kode", pa.string()),
        ("status", pa.string()),
        ("tanggal", pa.date32()),
        ("catatan", pa.string()),
        ("diubah", pa.timestamp("us", tz="UTC")),
        ("pengguna", pa.string()),
    ]),
    # Flood events (date, kelurahan, depth, households affected), uploaded like other data.
    "banjir": pa.schema([
        ("id", pa.string()),
        ("kota_kode", pa.string()),
        ("kelurahan_kode", pa.string()),
        ("tanggal", pa.date32()),
        ("kedalaman_cm", pa.float64()),
        ("rumah_terdampak", pa.int64()),
        ("lon", pa.float64()),
        ("lat", pa.float64()),
        ("upload_id", pa.string()),
        # A BPBD table per kelurahan and month (DKI style): the events of that month, the people affected.
        ("kejadian", pa.int64()),
        ("jiwa_terdampak", pa.int64()),
    ]),
    # People in an OPD's or the cadres' list, without identity: a keyed hash of the NIK (or of name,
    # birth date and kelurahan), the rule used, the kelurahan, and the row in the uploaded file.
    "rekaman": pa.schema([
        ("kota_kode", pa.string()),
        ("indikator", pa.string()),
        ("periode", pa.date32()),
        ("sumber", pa.string()),
        ("kelurahan_kode", pa.string()),
        ("kunci", pa.string()),
        ("aturan", pa.string()),
        ("baris", pa.int64()),
        ("upload_id", pa.string()),
    ]),
    # BPS desa codes and the Kemendagri code each stands for, learned from files that carry both side by
    # side (a province's Satu Data): a later file with BPS codes only is matched through them (latest wins).
    "kode_bps": pa.schema([
        ("kota_kode", pa.string()),
        ("bps_kode", pa.string()),
        ("kelurahan_kode", pa.string()),
        ("dibuat", pa.timestamp("us", tz="UTC")),
    ]),
    # Offices a kota added to the catalog's list.
    "opd": pa.schema([
        ("kota_kode", pa.string()),
        ("nama", pa.string()),
        ("dibuat", pa.timestamp("us", tz="UTC")),
    ]),
    # Every load into the lake and every undo, append-only, so data can be traced and undone.
    # The record also rides in the data commit's metadata, which is what makes a load atomic.
    "uploads": pa.schema([
        ("upload_id", pa.string()),
        ("diunggah", pa.timestamp("us", tz="UTC")),
        ("jenis", pa.string()),
        ("tabel", pa.string()),
        ("nama_berkas", pa.string()),
        ("sha256", pa.string()),
        ("kota_kode", pa.string()),
        ("indikator", pa.string()),
        ("sumber", pa.string()),
        ("periode", pa.date32()),
        ("tahun", pa.int32()),
        ("baris", pa.int64()),
        ("pengguna", pa.string()),
        ("versi", pa.int64()),
        ("membatalkan", pa.string()),
        ("demo", pa.bool_()),
    ]),
}


# Tables a lake made before they existed may lack; they read as empty.
OPTIONAL_TABLES = ("penyebut", "alias", "prioritas", "tindak_lanjut", "opd", "drainase_status", "banjir", "rekaman",
                   "nilai_tahunan", "kode_bps")
# Tables of records edited in the app, versioned by (id column, "versi").
VERSIONED = {"prioritas": "prioritas_id", "tindak_lanjut": "aksi_id"}
# What one upload replaces: the columns of its slice, per table. Only these, with checked values,
# ever reach a Delta predicate (which is a SQL string in delta-rs and cannot take bound values).
SLICE_COLUMNS = {
    "nilai": ("kota_kode", "indikator", "sumber", "periode"),
    "nilai_tahunan": ("kota_kode", "indikator", "sumber", "tahun"),
    "drainase": ("kota_kode",),
    "penyebut": ("kota_kode", "tahun"),
    "wilayah": ("kota_kode",),
    "banjir": ("kota_kode",),
    "rekaman": ("kota_kode", "indikator", "sumber", "periode"),
}
_SLICE_VALUE = {
    "kota_kode": re.compile(r"^\d{2}\.\d{2}$"),
    "indikator": re.compile(r"^[a-z][a-z0-9_]{0,39}$"),
    "sumber": re.compile(r"^(resmi|lapangan)$"),
}


def slice_predicate(table: str, values: dict) -> str:
    """The Delta predicate of a slice, from checked values only (codes, catalog ids, dates, years)."""
    parts = []
    for column in SLICE_COLUMNS[table]:
        value = values[column]
        if column == "periode":
            if not isinstance(value, dt.date):
                raise ValueError(f"periode {value!r}")
            parts.append(f"periode = '{value.isoformat()}'")
        elif column == "tahun":
            parts.append(f"tahun = {int(value)}")
        else:
            if not isinstance(value, str) or not _SLICE_VALUE[column].match(value):
                raise ValueError(f"{column} {value!r}")
            parts.append(f"{column} = '{value}'")
    return " and ".join(parts)


def slice_filter(table: str, values: dict):
    """The same slice as a pyarrow expression, for reading."""
    expr = None
    for column in SLICE_COLUMNS[table]:
        term = pc.field(column) == pa.scalar(values[column], SCHEMAS[table].field(column).type)
        expr = term if expr is None else expr & term
    return expr


def conform(table: str, data: pa.Table) -> pa.Table:
    """Rows in the table's column order and types; a column the rows lack is null."""
    schema = SCHEMAS[table]
    if "kota_kode" in schema.names and "kota_kode" not in data.column_names and "kelurahan_kode" in data.column_names:
        # The kota is the first two parts of the kelurahan code: 64.74.01.1003 -> 64.74.
        data = data.append_column("kota_kode", pc.utf8_slice_codeunits(data.column("kelurahan_kode"), 0, 5))
    for f in schema:
        if f.name not in data.column_names:
            data = data.append_column(f.name, pa.nulls(len(data), f.type))
    return data.select(schema.names).cast(schema)


