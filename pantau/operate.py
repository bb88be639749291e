"""The operator's commands: python -m pantau maintain | doctor | audit verify | backup | restore.
What a kota's IT officer runs to keep a deployment healthy; cli.py parses the options and hands them here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pantau.errors import UsageError
from pantau.i18n import t
from pantau.lake.store import Lake

COMMANDS = ("maintain", "doctor", "audit", "backup", "restore")


def run(args, lake: Lake) -> int:
    if args.command == "maintain":
        from pantau.lake import maintain

        if args.retention_days < maintain.MIN_DAYS:
            raise UsageError("cli.bad_retention", value=args.retention_days, minimum=maintain.MIN_DAYS)
        done = maintain.maintain(lake, args.retention_days)
        if args.json:
            print(json.dumps({**done, "undo_lost": [r["upload_id"] for r in done["undo_lost"]]}, default=str))
            return 0
        for table, numbers in done["tables"].items():
            print(t("maintain.table", args.lang, table=table, before=numbers["files_before"],
                    after=numbers["files_after"], removed=numbers["removed"]))
        print(t("maintain.maps", args.lang, n=done["map_files_removed"]))
        print(t("maintain.undo_lost", args.lang, n=len(done["undo_lost"]), days=args.retention_days))
        for r in done["undo_lost"]:
            print(f"  {r['upload_id']}  {str(r['diunggah'])[:16]}  {r['nama_berkas']}")
        return 0
    if args.command == "doctor":
        from pantau.web import doctor

        findings = doctor.check(lake.path, args.address)
        if args.json:
            print(json.dumps([{"level": f.level, "key": f.key, "message": f.text(args.lang)} for f in findings],
                             ensure_ascii=False))
        for f in findings if not args.json else []:
            print(f"{t(f'doctor.level.{f.level}', args.lang):<11} {f.text(args.lang)}")
        return 1 if any(f.level == "error" for f in findings) else 0
    if args.command == "audit":
        from pantau.lake import audit as audit_chain

        checked = audit_chain.verify(lake)
        if args.json:
            print(json.dumps(checked))
        elif checked["broken"]:
            print(t(f"audit.broken.{checked['broken']['why']}", args.lang, urutan=checked["broken"]["urutan"],
                    rows=checked["rows"]), file=sys.stderr)
        else:
            print(t("audit.intact", args.lang, rows=checked["rows"], unchained=checked["unchained"]))
        return 1 if checked["broken"] else 0
    return _backup_or_restore(args, lake)


def _backup_or_restore(args, lake: Lake) -> int:
    from pantau.ingest import nik
    from pantau.lake import backup
    from pantau.web import access

    if args.command == "backup":
        done = backup.backup(lake, Path(args.dest), {"nik.key": nik.key_file(), "pengguna.yaml": access.users_file()})
        print(t("backup.done", args.lang, folder=args.dest, tables=len(done["tabel"]), files=len(done["berkas"])))
        if done["rahasia"].get("nik.key"):
            print(t("backup.key_offline", args.lang, folder=args.dest))
        return 0
    target = Path(args.target).resolve()
    if target == lake.path.resolve():
        raise backup.BackupError("backup.live", folder=str(target))
    backup.restore(Path(args.src), target)
    print(t("restore.done", args.lang, lake=target / "lake", key_file=target / "kunci" / "nik.key",
            users=target / "kunci" / "pengguna.yaml"))
    return 0
