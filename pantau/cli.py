"""The command line: python -m pantau demo | summary | ingest | history | undo | backup | restore | audit verify | doctor | maintain | serve."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from functools import partial
from pathlib import Path

import pandas as pd

from pantau import operate
from pantau.domain.catalog import INDICATORS, SOURCES
from pantau.errors import IngestError, LakeBusy, PantauError, UndoRefused, UsageError
from pantau.i18n import t
from pantau.ingest import formats, pipeline
from pantau.ingest.sheets import Upload
from pantau.lake import demo, queries
from pantau.lake.store import Lake
from pantau.render import fmt
from pantau.views import ringkasan
from pantau.views.data import read_as
from pantau.views.shared import kota_options, period_options


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pantau", description="Pantau Kota")
    parser.add_argument("--lang", choices=("id", "en"), default="id", help="bahasa pesan / message language")
    sub = parser.add_subparsers(dest="command", required=True)
    sv = sub.add_parser("serve", help="siapkan lake lalu jalankan aplikasi / warm the lake, then run the app")
    sv.add_argument("streamlit_args", nargs=argparse.REMAINDER, help="opsi streamlit, mis. --server.port 8501")
    d = sub.add_parser("demo", help="bangun data demo empat kota / build the demo of four cities")
    d.add_argument("--force", action="store_true", help="timpa isi lake / overwrite the lake")
    d.add_argument("--nasional", action="store_true",
                   help="83.246 desa/kelurahan se-Indonesia, 10 tahun (sekitar 60 juta baris) / the whole country")
    d.add_argument("--tahun", type=int, default=10, help="jumlah tahun untuk --nasional / years for --nasional")
    d.add_argument("--provinsi", help="hanya provinsi ini, mis. 31,34 / only these provinces")
    d.add_argument("--batas", help="GeoParquet desa/kelurahan (bawaan: ../shared/data/nasional/desa_kelurahan.parquet)")
    s = sub.add_parser("summary", help="total per indikator dan sumber / totals per indicator and source")
    s.add_argument("--kota", required=True, help="kode Kemendagri, mis. 14.71")
    s.add_argument("--period", required=True, help="YYYY-MM")
    s.add_argument("--indicator", help="satu indikator saja / one indicator only")
    s.add_argument("--json", action="store_true", help="keluaran JSON / JSON output")
    i = sub.add_parser("ingest", help="unggah berkas OPD / load an OPD file")
    i.add_argument("file", help="CSV, XLSX, XLS atau ODS")
    i.add_argument("--kota", help="kode Kemendagri, mis. 64.74 (untuk --boundaries: dari kode di berkas)")
    i.add_argument("--indicator", help=", ".join([*INDICATORS, "banjir"]))
    i.add_argument("--source", choices=tuple(SOURCES), help="resmi | lapangan")
    i.add_argument("--period", help="YYYY-MM")
    i.add_argument("--boundaries", action="store_true", help="berkas batas wilayah (GeoJSON, Shapefile zip, GPKG)")
    i.add_argument("--penyebut", metavar="TAHUN", type=int, help="berkas penyebut per kelurahan untuk tahun ini")
    i.add_argument("--records", action="store_true",
                   help="daftar nama ber-NIK (hanya hash berkunci yang disimpan) / list of people (keyed hashes only)")
    i.add_argument("--alias", action="append", default=[], metavar="NAMA=KODE",
                   help="nama kelurahan di berkas = kode (diingat untuk kota ini)")
    i.add_argument("--format", help="ekspor sistem nasional / a national system's export: " + ", ".join(formats.names())
                   + " (bawaan: dikenali dari berkas / default: detected from the file)")
    i.add_argument("--year", type=int, help="tahun data bila berkas tidak menyebutnya / the year when the file omits it")
    i.add_argument("--dry-run", action="store_true", help="periksa saja, jangan tulis / check only")
    i.add_argument("--json", action="store_true", help="keluaran JSON / JSON output")
    us = sub.add_parser("user", help="tambah atau ubah pengguna / add or change a user")
    us.add_argument("action", choices=("add",))
    us.add_argument("username")
    us.add_argument("--name", help="nama tampilan / display name")
    us.add_argument("--role", required=True, choices=("admin", "analis", "opd", "viewer"))
    us.add_argument("--kota", help="batasi ke satu kota / limit to one kota")
    us.add_argument("--kecamatan", help="batasi ke satu kecamatan / limit to one kecamatan")
    us.add_argument("--opd", help="nama OPD (peran opd) / office name (opd role)")
    us.add_argument("--indicator", action="append", default=[], help="indikator OPD ini / this office's indicators")
    us.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari stdin / read the password from stdin")
    bk = sub.add_parser("backup", help="salin lake, pengguna dan kunci NIK / back up the lake, users and NIK key")
    bk.add_argument("dest", help="folder kosong / an empty folder")
    rs = sub.add_parser("restore", help="pulihkan cadangan ke folder kosong / restore a backup into an empty folder")
    rs.add_argument("src", help="folder cadangan / the backup folder")
    rs.add_argument("target", help="folder kosong (bukan lake yang sedang dipakai) / an empty folder, never a live lake")
    mt = sub.add_parser("maintain", help="rapikan lake: padatkan berkas, hapus riwayat lama / compact and vacuum")
    mt.add_argument("--retention-days", type=int, default=90,
                    help="riwayat yang disimpan, hari (unggahan lebih tua tidak bisa dibatalkan lagi) / days of history kept")
    mt.add_argument("--json", action="store_true", help="keluaran JSON / JSON output")
    dr = sub.add_parser("doctor", help="periksa pemasangan / check a deployment")
    dr.add_argument("--address", help="alamat yang dipakai server (bawaan: .streamlit/config.toml)")
    dr.add_argument("--json", action="store_true", help="keluaran JSON / JSON output")
    au = sub.add_parser("audit", help="periksa rantai log audit / check the audit log's chain")
    au.add_argument("action", choices=("verify",))
    au.add_argument("--json", action="store_true", help="keluaran JSON / JSON output")
    h = sub.add_parser("history", help="riwayat unggahan / upload history")
    h.add_argument("--kota", help="hanya satu kota / one kota only")
    h.add_argument("--json", action="store_true", help="keluaran JSON / JSON output")
    u = sub.add_parser("undo", help="batalkan satu unggahan / undo one upload")
    u.add_argument("batch", help="id unggahan dari 'history'")
    u.add_argument("--json", action="store_true", help="keluaran JSON / JSON output")
    return parser



def _nasional(args, lake: Lake) -> int:
    """Build the national demo lake (every desa of the country, or of some provinces)."""
    from pathlib import Path

    from pantau.lake import nasional

    desa = Path(args.batas) if args.batas else nasional.NASIONAL_FILE
    codes = desa.parent / "kode_wilayah.csv" if args.batas else nasional.SHARED_CODES
    for needed in (desa, codes):
        if not needed.is_file():
            raise UsageError("cli.no_national_file", path=str(needed))
    if not args.force and not lake.is_empty():
        print(t("cli.demo_skipped", args.lang, path=lake.path))
        return 0
    provinsi = tuple(p.strip() for p in args.provinsi.split(",")) if args.provinsi else None
    built = nasional.build(lake, years=args.tahun, provinsi=provinsi, desa_file=desa, codes_file=codes)
    print(t("cli.national_built", args.lang, path=lake.path, desa=fmt.number(built.desa, args.lang),
            rows=fmt.number(built.rows, args.lang),
            seconds=round(sum(built.seconds.values()))))
    return 0


def _summary(args, lake: Lake) -> dict:
    cursor = lake.connect().cursor()
    run = partial(queries.run, cursor)
    kotas = set(kota_options(run)["kode"])
    if args.kota not in kotas:
        raise UsageError("cli.unknown_kota", value=args.kota, known=", ".join(sorted(kotas)))
    if args.indicator is not None and args.indicator not in INDICATORS:
        raise UsageError("cli.unknown_indicator", value=args.indicator, known=", ".join(INDICATORS))
    periods = period_options(run, args.kota)
    if args.period not in periods:
        span = f"{periods[-1]}..{periods[0]}" if periods else "-"
        raise UsageError("cli.unknown_period", value=args.period, known=span)
    ids = (args.indicator,) if args.indicator else None
    totals = ringkasan.wilayah_summary(run, args.kota, args.period, ids)
    return {"kota": args.kota, "period": args.period, "indicators": totals}


def _print_table(result: dict) -> None:
    print(f"Kota {result['kota']} · {result['period']}")
    for ind, by_source in result["indicators"].items():
        for sumber, r in by_source.items():
            rate = "-" if r["rate"] is None else f"{r['rate']:.2f} %"
            reporting = "-" if r["reporting"] is None else f"{r['reporting']}/{r['kelurahan_total']}"
            print(f"  {ind:<20} {sumber:<9} {r['count']!s:>8} {r['denominator']!s:>9} {rate:>9} {reporting:>7}")


def _request(args) -> pipeline.Request:
    """The ingest request the options describe; UsageError when they do not fit together."""
    if args.boundaries:
        kind = "wilayah"
    elif args.penyebut is not None:
        kind = "penyebut"
    elif args.indicator in ("drainase", "banjir"):
        kind = args.indicator
    elif args.records:
        kind = "records"
    else:
        kind = "nilai"
    national = kind == "nilai" and bool(args.format or not args.indicator)
    if args.format and args.format not in formats.names():
        raise UsageError("cli.unknown_format", value=args.format, known=", ".join(formats.names()))
    if national:
        # A national system's export carries its indicators, source and months itself (an indicator given with
        # --format is for a format that may not name it, as a Satu Data CSV).
        if not args.kota:
            raise UsageError("cli.needs", option="kota", kind=args.format or "format")
        if args.indicator is not None and args.indicator not in INDICATORS:
            raise UsageError("cli.unknown_indicator", value=args.indicator, known=", ".join(INDICATORS))
    elif kind in ("nilai", "records"):
        for option, value in (("kota", args.kota), ("indicator", args.indicator), ("source", args.source),
                              ("period", args.period)):
            if not value:
                raise UsageError("cli.needs", option=option, kind=kind)
        if args.indicator not in INDICATORS:
            raise UsageError("cli.unknown_indicator", value=args.indicator, known=", ".join(INDICATORS))
    else:
        if kind != "wilayah" and not args.kota:
            raise UsageError("cli.needs", option="kota", kind=kind)
        for option, value in (("period", args.period), ("source", args.source)):
            if value:
                raise UsageError("cli.not_for", option=option, kind=kind)
    periode = None
    if args.period:
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", args.period):
            raise UsageError("cli.bad_period", value=args.period)
        periode = dt.date(int(args.period[:4]), int(args.period[5:]), 1)
    aliases = {}
    for item in args.alias:
        name, _, kode = item.partition("=")
        aliases[name.strip()] = kode.strip()
    return pipeline.Request(kind=kind, kota_kode=args.kota,
                          indicator=args.indicator if kind in ("nilai", "records") else None,
                          sumber=args.source, periode=periode, tahun=args.penyebut, aliases=aliases,
                          format=args.format, year=args.year)


def _ingest(args, lake: Lake) -> tuple[int, dict, list[tuple[str, str]]]:
    """Exit code, the JSON result, and each problem as (level, sentence naming file, row, column, value)."""
    request = _request(args)
    path = Path(args.file)
    if not path.is_file():
        raise UsageError("cli.no_file", value=args.file)
    upload = Upload(path.name, path.read_bytes())
    try:
        report = pipeline.prepare(upload, request, lake)
    except IngestError as exc:
        if exc.key == "ingest.unknown_kota":
            raise UsageError("cli.unknown_kota", value=request.kota_kode, known=exc.params["known"]) from exc
        problem = {"row": None, "column": None, "value": None, "message": exc.message(args.lang), "level": "error"}
        return 1, {"committed": False, "batch": None, "file": upload.display_name,
                   "rows": {"accepted": 0, "rejected": 0, "warnings": 0},
                   "totals": {"count": None, "denominator": None}, "problems": [problem]}, \
            [("error", exc.message(args.lang))]
    batch = None
    committed = False
    if report.ok and not args.dry_run:
        record = pipeline.commit(report, upload, lake)
        if request.aliases:
            pipeline.remember_aliases(lake, request.kota_kode, request.aliases)
        batch, committed = record["upload_id"], True
    result = {
        "committed": committed, "batch": batch, "file": upload.display_name, "sha256": upload.sha256,
        "rows": report.counts(), "totals": report.totals,
        "problems": [{"row": p.row, "column": p.column, "value": p.value, "message": p.message(args.lang),
                      "level": p.level} for p in report.problems],
    }
    if report.format:
        result["format"] = report.format
        result["notes"] = [t(key, args.lang, **values) for key, values in report.notes]
        for problem, shown in zip(report.problems, result["problems"]):
            if problem.part:
                shown["slice"] = {"indicator": problem.part[0], "period": _period_key(problem.part[1])}
        result["slices"] = [{"indicator": r.context.indicator.id, "source": r.context.sumber,
                             "period": _period_key(r.context.period_shown), "rows": r.counts(), "totals": r.totals}
                            for r in report.slices]
    lines = [(p.level, p.where(upload.display_name, args.lang)) for p in report.problems]
    if report.format:
        lines = [("info", read_as(report, args.lang))] + \
            [("info", t(key, args.lang, **values)) for key, values in report.notes] + lines
    return (0 if report.ok else 1), result, lines


def _period_key(period: dt.date | int) -> str:
    """A slice's period in the JSON: the month as 2026-03, a year's figures as 2023."""
    return str(period) if isinstance(period, int) else period.isoformat()[:7]


def _print_ingest(result: dict, lines: list[tuple[str, str]], lang: str) -> None:
    for level, line in lines:
        print(f"{t(f'cli.level.{level}', lang)}: {line}", file=sys.stderr)
    file = result["file"]
    errors = sum(level == "error" for level, _ in lines)
    if result["committed"]:
        print(t("cli.committed", lang, file=file, accepted=result["rows"]["accepted"], batch=result["batch"]))
    elif not errors:
        print(t("cli.dry_run_ok", lang, file=file, accepted=result["rows"]["accepted"]))
    else:
        print(t("cli.refused", lang, file=file, errors=errors), file=sys.stderr)


def _history(args, lake: Lake) -> list[dict]:
    if lake.exists("uploads"):
        lake.recover()
    cursor = lake.connect().cursor()
    frame = queries.run(cursor, "riwayat_by_upload", kota_kode=args.kota)
    rows = []
    for r in frame.to_dict("records"):
        r["periode"] = r["periode"].date() if pd.notna(r["periode"]) else None
        rows.append({k: (None if pd.isna(v) else (v.isoformat() if hasattr(v, "isoformat") else v))
                     for k, v in r.items()})
    return rows


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:  # everything after it belongs to streamlit
        from pantau.web import serve

        try:
            return serve.main(argv[1:])
        except PantauError as exc:
            print(exc.message(), file=sys.stderr)
            return 2
    args = _parser().parse_args(argv)
    lake = Lake()
    try:
        if args.command == "demo" and args.nasional:
            return _nasional(args, lake)
        if args.command == "demo":
            built = demo.build(lake, force=args.force)
            print(t("cli.demo_built" if built else "cli.demo_skipped", args.lang, path=lake.path))
            return 0
        if args.command == "ingest":
            code, result, lines = _ingest(args, lake)
            if args.json:
                print(json.dumps(result, ensure_ascii=False, default=str))
            else:
                _print_ingest(result, lines, args.lang)
            return code
        if args.command == "history":
            rows = _history(args, lake)
            if args.json:
                print(json.dumps(rows, ensure_ascii=False, default=str))
            elif not rows:
                print(t("cli.no_uploads", args.lang))
            for r in rows if not args.json else []:
                state = "dibatalkan" if r["dibatalkan"] else ("pembatalan" if r["membatalkan"] else "aktif")
                what = r["indikator"] or r["jenis"]
                print(f"{r['upload_id']}  {r['diunggah'][:19]}  {r['kota_kode']}  {what:<18} {r['sumber'] or '-':<9} "
                      f"{(r['periode'] or '')[:7] or (str(r['tahun']) if r.get('tahun') else ''):<7} {r['baris']:>6}  {state:<10} {r['nama_berkas']}")
            return 0
        if args.command == "user":
            from pantau.web import access

            if args.password_stdin:
                password = sys.stdin.readline().rstrip("\n")
            else:
                import getpass

                password = getpass.getpass(t("access.password", args.lang) + ": ")
            access.save_user(args.username, args.name or args.username, password, args.role, args.kota,
                             args.kecamatan, args.opd, tuple(args.indicator))
            access.audit(lake, None, "pengguna", f"{args.username} ({args.role})")
            print(t("cli.user_saved", args.lang, username=args.username, role=args.role, path=access.users_file()))
            return 0
        if args.command in operate.COMMANDS:
            return operate.run(args, lake)
        if args.command == "undo":
            record = lake.undo(args.batch)
            if args.json:
                print(json.dumps({"undone": args.batch, "batch": record["upload_id"], "rows": record["baris"]}))
            else:
                print(t("undo.done", args.lang, batch=args.batch, rows=record["baris"]))
            return 0
        result = _summary(args, lake)
    except (UndoRefused, LakeBusy, IngestError) as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 1
    except PantauError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        _print_table(result)
    return 0
