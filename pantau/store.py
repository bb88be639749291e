"""The lake: Delta Lake tables on disk, and the read-only DuckDB connection over them."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pyarrow as pa
from deltalake import DeltaTable, write_deltalake

from pantau import settings
from pantau.errors import LakeError

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
        ("indikator", pa.string()),
        ("periode", pa.date32()),
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
        ("kondisi", pa.string()),
        ("status", pa.string()),
        ("tanggal_lapor", pa.date32()),
        ("status_tanggal", pa.date32()),
        ("sumber", pa.string()),
        ("upload_id", pa.string()),
    ]),
    # Every load into the lake, so that data can be traced and later undone.
    "uploads": pa.schema([
        ("upload_id", pa.string()),
        ("diunggah", pa.timestamp("us", tz="UTC")),
        ("jenis", pa.string()),
        ("tabel", pa.string()),
        ("nama_berkas", pa.string()),
        ("sumber", pa.string()),
        ("baris", pa.int64()),
        ("demo", pa.bool_()),
    ]),
}


class Lake:
    """The tables under one folder."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path is not None else settings.lake_dir()

    def table_path(self, table: str) -> Path:
        return self.path / table

    def exists(self, table: str) -> bool:
        """Whether the table has a Delta log."""
        return (self.table_path(table) / "_delta_log").is_dir()

    def is_empty(self) -> bool:
        """Whether none of the tables exists yet."""
        return not any(self.exists(t) for t in SCHEMAS)

    def stamp(self) -> tuple:
        """A cheap fingerprint that changes whenever any table gets a new commit."""
        parts = []
        for table in SCHEMAS:
            log = self.table_path(table) / "_delta_log"
            try:
                parts.append((table, log.stat().st_mtime_ns, len(list(log.glob("*.json")))))
            except FileNotFoundError:
                parts.append((table, None, 0))
        return tuple(parts)

    def write(self, table: str, data: pa.Table, mode: str = "append") -> None:
        """Write rows in one Delta commit (cast to the table's schema first)."""
        schema = SCHEMAS[table]
        data = data.select(schema.names).cast(schema)
        write_deltalake(self.table_path(table), data, mode=mode, schema_mode="overwrite" if mode == "overwrite" else None)

    def dataset(self, table: str):
        """The table as a pyarrow dataset; LakeError when it is missing or unreadable."""
        if not self.exists(table):
            raise LakeError(table, "missing", str(self.table_path(table)))
        where = str(self.table_path(table))
        try:
            delta = DeltaTable(where)
            lost = [uri for uri in delta.file_uris() if not Path(uri.removeprefix("file://")).is_file()]
            dataset = delta.to_pyarrow_dataset()
        except Exception as exc:  # deltalake raises several types for a damaged log
            raise LakeError(table, "unreadable", where, type(exc).__name__) from exc
        if lost:
            raise LakeError(table, "unreadable", where, f"{len(lost)} berkas Parquet hilang / Parquet files lost")
        return dataset

    def read(self, table: str) -> pa.Table:
        """The whole table in memory (small tables only)."""
        return self.dataset(table).to_table()

    def connect(self) -> "Database":
        """A read-only DuckDB view over every table."""
        return Database({t: self.dataset(t) for t in SCHEMAS})


class Database:
    """One DuckDB connection, locked down, with a cursor per thread."""

    def __init__(self, datasets: dict):
        self._datasets = datasets
        self._con = duckdb.connect(":memory:")
        # Registered views are visible only to the connection that registered them,
        # so each cursor registers the same datasets again (a pointer, no copy).
        self._con.execute("set enable_external_access = false")
        self._con.execute("set autoinstall_known_extensions = false")
        self._con.execute("set autoload_known_extensions = false")
        self._con.execute("set lock_configuration = true")
        self._local = threading.local()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor, with every lake table registered on it."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._con.cursor()
            for name, dataset in self._datasets.items():
                cur.register(name, dataset)
            self._local.cursor = cur
        return cur

    def close(self) -> None:
        self._con.close()
