"""The lake: Delta Lake tables on disk, written one upload at a time under a lock, with undo."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from deltalake import CommitProperties, DeltaTable, write_deltalake

from pantau import settings
from pantau.errors import EditConflict, LakeBusy, LakeError, UndoRefused
from pantau.lake.database import Database
from pantau.lake.schema import (
    OPTIONAL_TABLES,
    SCHEMAS,
    SLICE_COLUMNS,
    VERSIONED,
    conform,
    slice_filter,
    slice_predicate,
)

UPLOAD_KEY = "pantau.upload"
MAINTAIN_STATE = ".pantau-maintain.json"  # pantau maintain's horizon: what undo can no longer reach
LOCK_WAIT_SECONDS = float(os.environ.get("PANTAU_LOCK_WAIT", "20"))


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
        data = conform(table, data)
        try:
            write_deltalake(self.table_path(table), data, mode=mode,
                            schema_mode="overwrite" if mode == "overwrite" else None)
        finally:
            _wrote()

    def _delta(self, table: str) -> tuple[DeltaTable, list[str]]:
        """The Delta table and its current Parquet files; LakeError when the log or a file is gone."""
        if not self.exists(table):
            raise LakeError(table, "missing", str(self.table_path(table)))
        where = str(self.table_path(table))
        try:
            delta = DeltaTable(where)
            files = [str(Path(uri.removeprefix("file://")).resolve()) for uri in delta.file_uris()]
        except Exception as exc:  # deltalake raises several types for a damaged log
            raise LakeError(table, "unreadable", where, type(exc).__name__) from exc
        lost = [f for f in files if not Path(f).is_file()]
        if lost:
            raise LakeError(table, "unreadable", where, f"{len(lost)} berkas Parquet hilang / Parquet files lost")
        return delta, files

    def dataset(self, table: str):
        """The table as a pyarrow dataset; LakeError when it is missing or unreadable."""
        delta, _ = self._delta(table)
        try:
            return delta.to_pyarrow_dataset()
        except Exception as exc:
            raise LakeError(table, "unreadable", str(self.table_path(table)), type(exc).__name__) from exc

    def read(self, table: str) -> pa.Table:
        """The whole table in memory (small tables only)."""
        return self.dataset(table).to_table()

    def connect(self) -> "Database":
        """A read-only DuckDB view over every table.

        A table is read by DuckDB's own Parquet reader from the files of the Delta table's current
        version (row groups skipped by their statistics, footers cached): a desa's ten-year trend among
        58 million rows reads 6 MB. An empty table is an empty Arrow table of the schema.
        """
        sources = {}
        for table in SCHEMAS:
            if table in OPTIONAL_TABLES and not self.exists(table):
                sources[table] = SCHEMAS[table].empty_table()
                continue
            files = self.files(table)
            sources[table] = files if files else SCHEMAS[table].empty_table()
        return Database(sources, self.path)

    def files(self, table: str) -> list[str]:
        """The Parquet files of the table's current version; LakeError when the log or a file is gone."""
        return self._delta(table)[1]

    @contextmanager
    def lock(self, wait: float | None = None):
        """Hold the lake for one writer; LakeBusy when another keeps it longer than the wait."""
        self.path.mkdir(parents=True, exist_ok=True)
        wait = LOCK_WAIT_SECONDS if wait is None else wait
        with open(self.path / ".pantau.lock", "a+") as handle:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise LakeBusy("ingest.busy") from None
                    time.sleep(0.1)
            try:
                yield
            finally:
                _wrote()  # before the lock is free: a reader that sees it free sees the new generation
                fcntl.flock(handle, fcntl.LOCK_UN)

    def save_versions(self, table: str, changes: list[dict], pengguna: str | None = None, asal: str = "form") -> list[dict]:
        """Append a new version of each record in one Delta commit; EditConflict when one changed meanwhile.

        A change without an id is a new record (version 1). A change to an existing record carries
        "versi", the version it was made from: if someone saved another version since, nothing is
        written and the user is told who changed what, so a later save never silently erases an
        earlier one.
        """
        id_column = VERSIONED[table]
        now = dt.datetime.now(dt.timezone.utc)
        with self.lock():
            current = self._latest_versions(table)
            rows = []
            for change in changes:
                record = dict(change)
                if record.get(id_column):
                    latest = current.get(record[id_column])
                    if latest is None:
                        raise EditConflict("edit.unknown", id=record[id_column])
                    if record.get("versi") != latest["versi"]:
                        raise EditConflict("edit.conflict", id=record[id_column], versi=latest["versi"],
                                           pengguna=latest["pengguna"] or "-", diubah=latest["diubah"])
                    record["versi"] = latest["versi"] + 1
                else:
                    record[id_column] = uuid.uuid4().hex[:12]
                    record["versi"] = 1
                record.update(diubah=now, pengguna=pengguna, asal=asal)
                rows.append(record)
            if rows:
                schema = SCHEMAS[table]
                data = pa.table({f.name: pa.array([r.get(f.name) for r in rows], f.type) for f in schema})
                write_deltalake(self.table_path(table), data, mode="append")
            return rows

    def _latest_versions(self, table: str) -> dict[str, dict]:
        if not self.exists(table):
            return {}
        id_column = VERSIONED[table]
        data = self.read(table).select([id_column, "versi", "pengguna", "diubah"]).to_pylist()
        latest: dict[str, dict] = {}
        for row in data:
            if row["versi"] > latest.get(row[id_column], {"versi": 0})["versi"]:
                latest[row[id_column]] = row
        return latest

    def uploads(self) -> pa.Table:
        """The upload log (empty when none)."""
        return self.read("uploads") if self.exists("uploads") else SCHEMAS["uploads"].empty_table()

    def commit(self, table: str, slice_values: dict | list[dict], rows: pa.Table | None, record: dict, merge=None,
               also: dict[str, pa.Table] | None = None,
               slices_of: dict[str, tuple[list[dict], pa.Table]] | None = None) -> dict:
        """Replace one slice of a table (or several: a list, for a file of many months or indicators) with
        rows in one Delta commit that carries the upload record.

        With merge, the rows are merge(current rows of the slice), computed under the lock; `also`
        appends rows to other tables (an event log) under the same lock, after the commit. `slices_of`
        replaces slices of other tables in the same upload (a by-name export's reconciliation list beside
        its figures): one Delta commit per table, the same upload id, undone together. Delta commits are
        per table: a crash between them leaves the first table's commit, which is a whole upload of its
        own in the log (_recover) and can be undone as one."""
        with self.lock():
            self._recover()
            if merge is not None:
                current = self._slice_at(table, slice_values, None) if self.exists(table) else SCHEMAS[table].empty_table()
                rows = merge(current)
            done = self._commit(table, slice_values, rows, record)
            for other, (keys, extra) in (slices_of or {}).items():
                self._commit(other, keys, extra, {**record, "jenis": "records", "upload_id": done["upload_id"],
                                                  "diunggah": done["diunggah"]})
            for other, extra in (also or {}).items():
                self.write(other, extra, mode="append")
            return done

    def _commit(self, table: str, slice_values: dict | list[dict], rows: pa.Table, record: dict) -> dict:
        schema = SCHEMAS[table]
        record = {**record, "tabel": table, "upload_id": record.get("upload_id") or uuid.uuid4().hex[:16],
                  "diunggah": record.get("diunggah") or dt.datetime.now(dt.timezone.utc).isoformat()}
        # Several slices: one commit, one upload id; the record lists each slice with its rows, and the
        # log gets a row per slice.
        many = isinstance(slice_values, list)
        if "upload_id" in schema.names:
            # New rows carry this upload's id; rows kept or put back keep the id they came with.
            own = pa.scalar(record["upload_id"], pa.string())
            if "upload_id" in rows.column_names:
                ids = pc.coalesce(rows.column("upload_id").cast(pa.string()), own)
                rows = rows.drop_columns(["upload_id"])
            else:
                ids = pa.array([record["upload_id"]] * len(rows), pa.string())
            rows = rows.append_column("upload_id", ids)
        data = conform(table, rows)
        if many:
            record["irisan"] = [{**{k: v.isoformat() if isinstance(v, dt.date) else v for k, v in key.items()},
                                 "baris": data.filter(slice_filter(table, key)).num_rows} for key in slice_values]
            record["baris"] = data.num_rows
        properties = CommitProperties(custom_metadata={UPLOAD_KEY: json.dumps(record, default=str)})
        if self.exists(table):
            predicate = " or ".join(f"({slice_predicate(table, key)})" for key in slice_values) if many else \
                slice_predicate(table, slice_values)
            # merge: a column the schema gained since the table was written is added, not refused.
            write_deltalake(self.table_path(table), data, mode="overwrite", predicate=predicate,
                            commit_properties=properties, schema_mode="merge")
        else:
            write_deltalake(self.table_path(table), data, mode="append", commit_properties=properties)
        # The commit above is the upload; the log rows only index it (_recover rebuilds them after a crash).
        self.write("uploads", _upload_rows(_log_rows({**record, "versi": DeltaTable(self.table_path(table)).version()})))
        return record

    def recover(self) -> int:
        """Log every data commit whose upload record is not in the upload log yet (after a crash)."""
        with self.lock():
            return self._recover()

    def _recover(self) -> int:
        log = self.uploads()
        # By upload and table: one upload may commit to two tables (figures and their reconciliation list).
        known = set(zip(log.column("upload_id").to_pylist(), log.column("tabel").to_pylist()))
        missing = []
        for table in SLICE_COLUMNS:
            if not self.exists(table):
                continue
            for entry in DeltaTable(self.table_path(table)).history():
                raw = entry.get(UPLOAD_KEY)
                if not raw:
                    continue
                record = json.loads(raw)
                if (record["upload_id"], record.get("tabel", table)) not in known and \
                        (record["upload_id"], None) not in known:  # a log row of before the table was logged
                    record["versi"] = entry["version"]
                    missing.extend(_log_rows(record))
                    known.add((record["upload_id"], record.get("tabel", table)))
        if missing:
            self.write("uploads", _upload_rows(missing), mode="append")
        return len(missing)

    def undo_horizon(self) -> dt.datetime | None:
        """Uploads before this moment can no longer be undone: upkeep removed the history they need."""
        path = self.path / MAINTAIN_STATE
        if not path.is_file():
            return None
        return dt.datetime.fromisoformat(json.loads(path.read_text(encoding="utf-8"))["horizon"])

    def undo(self, upload_id: str, pengguna: str | None = None) -> dict:
        """Put back the slice as it was before an upload, in one commit; UndoRefused when it cannot."""
        with self.lock():
            self._recover()
            log = self.uploads().to_pylist()
            targets = [r for r in log if r["upload_id"] == upload_id]  # a row per slice of the upload
            target = targets[0] if targets else None
            if target is None:
                raise UndoRefused("undo.unknown", batch=upload_id)
            if target["demo"] or target["versi"] is None:
                raise UndoRefused("undo.demo", batch=upload_id)
            if target["jenis"] == "batal":
                raise UndoRefused("undo.is_undo", batch=upload_id)
            undone = {r["membatalkan"] for r in log if r["membatalkan"]}
            if upload_id in undone:
                raise UndoRefused("undo.already", batch=upload_id)
            limit = self.undo_horizon()
            if limit is not None and target["diunggah"] < limit:
                raise UndoRefused("undo.too_old", batch=upload_id, file=target["nama_berkas"])
            # An upload may span tables (figures and their reconciliation list): each is put back, all or none.
            restore = []
            for table in dict.fromkeys(r["tabel"] for r in targets):
                mine = [r for r in targets if r["tabel"] == table]
                keys = [_slice_of(r, table) for r in mine]
                later = [r for r in log if r["tabel"] == table and r["jenis"] != "batal" and not r["demo"]
                         and r["upload_id"] not in undone and r["versi"] is not None and r["versi"] > mine[0]["versi"]
                         and _slice_of(r, table) in keys]
                if later:
                    raise UndoRefused("undo.later", batch=upload_id, later=later[-1]["upload_id"],
                                      file=later[-1]["nama_berkas"])
                restore.append((table, keys, mine[0]["versi"]))
            done = None
            for table, keys, version in restore:
                before = pa.concat_tables([self._slice_at(table, key, version - 1) for key in keys])
                record = {"jenis": "batal", "nama_berkas": target["nama_berkas"], "sha256": target["sha256"],
                          "membatalkan": upload_id, "baris": len(before), "pengguna": pengguna, "demo": False,
                          **{k: target[k] for k in ("kota_kode", "indikator", "sumber", "periode", "tahun")}}
                if done is not None:
                    record.update(upload_id=done["upload_id"], diunggah=done["diunggah"])
                # The rows put back keep the upload they came from, so freshness still tells their age.
                made = self._commit(table, keys if len(keys) > 1 else keys[0], before, record)
                done = done or made
            return done

    def _slice_at(self, table: str, key: dict, version: int | None) -> pa.Table:
        if version is not None and version < 0:
            return SCHEMAS[table].empty_table()
        old = DeltaTable(self.table_path(table), version=version)
        return old.to_pyarrow_dataset().to_table(filter=slice_filter(table, key))


_generation = 0


def _wrote() -> None:
    global _generation
    _generation += 1


def write_generation() -> int:
    """A number that changes whenever this process may have changed a lake (a write, a lock released):
    a reader that memoises `Lake.stamp` for a moment keys the memo on it, so its own writes show at once."""
    return _generation


def _slice_of(record: dict, table: str) -> dict:
    values = {}
    for column in SLICE_COLUMNS[table]:
        value = record[column]
        if column == "periode" and isinstance(value, str):
            value = dt.date.fromisoformat(value[:10])
        values[column] = value
    return values


def _log_rows(record: dict) -> list[dict]:
    """The upload log's rows of one commit: one, or one per slice of a file of many (same upload id)."""
    if not record.get("irisan"):
        return [record]
    return [{**record, **part} for part in record["irisan"]]


def _upload_rows(records: list[dict]) -> pa.Table:
    schema = SCHEMAS["uploads"]
    columns = {}
    for f in schema:
        values = [r.get(f.name) for r in records]
        if f.name == "diunggah":
            values = [dt.datetime.fromisoformat(v) if isinstance(v, str) else v for v in values]
        elif f.name == "periode":
            values = [dt.date.fromisoformat(v[:10]) if isinstance(v, str) else v for v in values]
        elif f.name == "demo":
            values = [bool(v) for v in values]
        columns[f.name] = pa.array(values, f.type)
    return pa.table(columns, schema=schema)


