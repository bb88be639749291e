"""Upkeep of the lake: compact each table's small files, and remove the files of Delta history older than a
retention the operator sets, keeping every version an undo still needs. An upload older than the
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
        for path in sorted(p for p in lake.path.iterdir() if (p / "_delta_log").is_dir()):
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
        previous = lake.undo_horizon()
        if previous is None or cutoff > previous:
            (lake.path / MAINTAIN_STATE).write_text(json.dumps({"horizon": cutoff.isoformat()}), encoding="utf-8")
    return report
