"""The read-only DuckDB connection over the lake's tables, locked down before any query runs."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import duckdb

from pantau.lake.schema import SCHEMAS


class Database:
    """One DuckDB connection, locked down, with a cursor per thread.

    DuckDB may read files only inside the lake (allowed_directories) and nothing else: no other
    path, no network, no extension to install; the configuration is locked before any query runs.
    """

    def __init__(self, sources: dict, lake_path: Path | None = None):
        self._sources = sources
        self._con = duckdb.connect(":memory:")
        if lake_path is not None:
            self._con.execute("set allowed_directories = $dirs", {"dirs": [str(Path(lake_path).resolve()) + "/"]})
        self._con.execute("set enable_external_access = false")
        self._con.execute("set autoinstall_known_extensions = false")
        self._con.execute("set autoload_known_extensions = false")
        self._con.execute("set global parquet_metadata_cache = true")  # a session setting would miss the cursors
        threads = os.environ.get("PANTAU_DUCKDB_THREADS")
        if threads:  # `serve --workers N` gives each worker its share of the cores, so N never oversubscribe them
            self._con.execute("set threads = $n", {"n": max(1, int(threads))})
        self._con.execute("set lock_configuration = true")
        # Views over Parquet files live in the database's catalog, seen by every cursor; Arrow tables are
        # registered per cursor (below).
        for name, source in sources.items():
            if isinstance(source, list):
                relation = self._con.read_parquet(source, union_by_name=True)
                # A column the schema gained after every file was written reads as null.
                missing = [c for c in SCHEMAS[name].names if c not in relation.columns]
                if missing:
                    relation = relation.select(*[duckdb.ColumnExpression(c) for c in relation.columns],
                                               *[duckdb.ConstantExpression(None).alias(c) for c in missing])
                relation.create_view(name)
        self._local = threading.local()

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor, with every lake table visible: the Parquet views of the catalog, and the
        empty Arrow tables registered again (a registration is seen only by the cursor that made it)."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._con.cursor()
            for name, source in self._sources.items():
                if not isinstance(source, list):
                    cur.register(name, source)
            self._local.cursor = cur
        return cur

    def close(self) -> None:
        self._con.close()
