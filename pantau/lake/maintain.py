"""Upkeep of the lake: compact each table's small files, remove the files of Delta history older than a
retention the operator sets (keeping every version an undo still needs) and the map files of old
boundary versions. An upload older than the
retention can no longer be undone; upkeep says which, and undo then refuses it in words. Safe while the
app runs (readers keep the files of the versions they read: the retention is at least a day) and while
someone uploads (it takes the lake's writer lock)."""

from __future__ import annotations

import datetime as dt
import json

from deltalake import DeltaTable

from pantau.lake.store import MAINTAIN_STATE, Lake

MIN_DAYS = 1


def maintain(lake: Lake, retention_days: int, now: dt.datetime | None = None) -> dict:
    if retention_days < MIN_DAYS:
        raise ValueError(f"retention_days must be at least {MIN_DAYS}")
    now = now or dt.datetime.now(dt.timezone.utc)
    cutoff = now - dt.timedelta(days=retention_days)
    report = {"tables": {}, "undo_lost": [], "horizon": cutoff.isoformat()}
    with lake.lock():
        lake._recover()
        log = lake.uploads().to_pylist()
        undone = {r["membatalkan"] for r in log if r["membatalkan"]}
        undoable = [r for r in log if not r["demo"] and r["jenis"] != "batal" and r["upload_id"] not in undone
                    and r["versi"] is not None]
        # The boundaries are left as they are: their commits name the map files (geo.boundary_version), so
        # compacting them would make every level map be drawn again; they change a few times a year.
        for path in sorted(p for p in lake.path.iterdir() if (p / "_delta_log").is_dir() and p.name != "wilayah"):
            table = DeltaTable(path)
            files_before = len(table.file_uris())
            compacted = table.optimize.compact()
            # Every version an undo within the retention reads (the one before its upload) is kept whole.
            keep = sorted({r["versi"] - 1 for r in undoable if r["tabel"] == path.name and r["versi"] >= 1
                           and r["diunggah"] >= cutoff})
            removed = DeltaTable(path).vacuum(retention_hours=retention_days * 24, dry_run=False,
                                              enforce_retention_duration=False, keep_versions=keep or None)
            report["tables"][path.name] = {"files_before": files_before, "files_after": len(DeltaTable(path).file_uris()),
                                           "compacted": compacted.get("numFilesRemoved", 0), "removed": len(removed)}
        lost = {r["upload_id"]: r for r in undoable if r["diunggah"] < cutoff}
        report["undo_lost"] = sorted(lost.values(), key=lambda r: r["diunggah"])
        report["map_files_removed"] = _sweep_maps(lake, cutoff)
        previous = lake.undo_horizon()
        if previous is None or cutoff > previous:
            (lake.path / MAINTAIN_STATE).write_text(json.dumps({"horizon": cutoff.isoformat()}), encoding="utf-8")
    return report


def _sweep_maps(lake: Lake, cutoff: dt.datetime) -> int:
    """Map files of old boundary versions, unchanged since the cutoff, removed; the current ones kept (and
    written again if missing)."""
    if not lake.exists("wilayah"):
        return 0
    from pantau.lake import geo, queries

    cursor = lake.connect().cursor()
    current: set[str] = set()
    for kota in queries.run(cursor, "kota_list")["kode"]:
        for assets in geo.kota_assets(cursor, kota).values():
            if isinstance(assets, dict):
                current.update(v.rsplit("/", 1)[1] for k, v in assets.items() if k in geo.MAP_FILES and v)
    return geo.sweep(geo.boundary_version(str(lake.path), lake.stamp()), current, cutoff.timestamp())
