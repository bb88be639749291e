"""The audit table as a chain: each row carries a sequence number and the SHA-256 of the row before it
with its own fields, so a row changed, removed or slipped in afterwards breaks the chain at that point.
Appends take the lake's writer lock (two sessions never chain onto the same row); the newest link rides
in the Delta commit's metadata, so an append reads no rows."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pyarrow as pa
from deltalake import CommitProperties, DeltaTable, write_deltalake

SCHEMA = pa.schema([
    ("waktu", pa.timestamp("us", tz="UTC")),
    ("pengguna", pa.string()),
    ("peran", pa.string()),
    ("aksi", pa.string()),
    ("objek", pa.string()),
    ("hasil", pa.string()),
    ("urutan", pa.int64()),
    ("hash_sebelum", pa.string()),
    ("hash", pa.string()),
])
LINK_KEY = "pantau.audit"
START = "0" * 64  # the link before the first row


def link(previous: str, row: dict) -> str:
    """The hash of a row: its predecessor's hash and its own fields, in a fixed order."""
    fields = {k: row.get(k) for k in ("urutan", "waktu", "pengguna", "peran", "aksi", "objek", "hasil")}
    if isinstance(fields["waktu"], dt.datetime):
        fields["waktu"] = fields["waktu"].astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
    return hashlib.sha256((previous + json.dumps(fields, sort_keys=True, ensure_ascii=False)).encode()).hexdigest()


def _last(path) -> tuple[int, str]:
    """The newest link (sequence number, hash) from the latest commit that carries one."""
    if not (path / "_delta_log").is_dir():  # no audit table yet
        return 0, START
    for entry in DeltaTable(path).history(limit=50):
        if entry.get(LINK_KEY):
            urutan, digest = json.loads(entry[LINK_KEY])
            return urutan, digest
    return 0, START  # rows from before the chain: it starts after them


def append(lake, row: dict) -> dict:
    """Append one audit row as the next link of the chain."""
    path = lake.table_path("audit")
    with lake.lock():
        urutan, previous = _last(path)
        row = {**row, "urutan": urutan + 1, "hash_sebelum": previous}
        row["hash"] = link(previous, row)
        data = pa.Table.from_pylist([row], schema=SCHEMA)
        write_deltalake(path, data, mode="append", schema_mode="merge",
                        commit_properties=CommitProperties(custom_metadata={LINK_KEY: json.dumps([row["urutan"], row["hash"]])}))
    return row


def verify(lake) -> dict:
    """Walk the chain: {"rows", "unchained" (rows from before the chain), "broken": None or the first bad
    sequence number with why ("changed", "missing", "order")}."""
    if not lake.exists("audit"):
        return {"rows": 0, "unchained": 0, "broken": None}
    rows = lake.read("audit").to_pylist()
    chained = sorted((r for r in rows if r.get("urutan") is not None), key=lambda r: r["urutan"])
    result = {"rows": len(chained), "unchained": len(rows) - len(chained), "broken": None}
    previous, expected = START, 1
    for r in chained:
        if r["urutan"] != expected:
            result["broken"] = {"urutan": expected, "why": "missing" if r["urutan"] > expected else "order"}
            return result
        if r["hash_sebelum"] != previous or link(previous, r) != r["hash"]:
            result["broken"] = {"urutan": r["urutan"], "why": "changed"}
            return result
        previous, expected = r["hash"], expected + 1
    last_urutan, last_hash = _last(lake.table_path("audit"))
    if chained and (last_urutan, last_hash) != (chained[-1]["urutan"], chained[-1]["hash"]):
        result["broken"] = {"urutan": last_urutan, "why": "missing"}  # the newest rows are gone
    return result
