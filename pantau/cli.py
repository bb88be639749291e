"""The command line: python -m pantau demo | summary."""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial

from pantau import demo, queries, views
from pantau.catalog import INDICATORS
from pantau.errors import PantauError
from pantau.i18n import t
from pantau.store import Lake


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pantau", description="Pantau Kota")
    parser.add_argument("--lang", choices=("id", "en"), default="id", help="bahasa pesan / message language")
    sub = parser.add_subparsers(dest="command", required=True)
    sv = sub.add_parser("serve", help="siapkan lake lalu jalankan aplikasi / warm the lake, then run the app")
    sv.add_argument("streamlit_args", nargs=argparse.REMAINDER, help="opsi streamlit, mis. --server.port 8501")
    d = sub.add_parser("demo", help="bangun data demo empat kota / build the demo of four cities")
    d.add_argument("--force", action="store_true", help="timpa isi lake / overwrite the lake")
    s = sub.add_parser("summary", help="total per indikator dan sumber / totals per indicator and source")
    s.add_argument("--kota", required=True, help="kode Kemendagri, mis. 14.71")
    s.add_argument("--period", required=True, help="YYYY-MM")
    s.add_argument("--indicator", help="satu indikator saja / one indicator only")
    s.add_argument("--json", action="store_true", help="keluaran JSON / JSON output")
    return parser


class UsageError(PantauError):
    """A kota, indicator or period on the command line that the lake does not hold."""

    def __init__(self, key: str, value: str, known: str):
        super().__init__(f"{key}: {value}")
        self.key, self.value, self.known = key, value, known

    def message(self, lang: str = "id") -> str:
        return t(self.key, lang, value=self.value, known=self.known)


def _summary(args, lake: Lake) -> dict:
    cursor = lake.connect().cursor()
    run = partial(queries.run, cursor)
    kotas = set(views.kota_options(run)["kode"])
    if args.kota not in kotas:
        raise UsageError("cli.unknown_kota", args.kota, ", ".join(sorted(kotas)))
    if args.indicator is not None and args.indicator not in INDICATORS:
        raise UsageError("cli.unknown_indicator", args.indicator, ", ".join(INDICATORS))
    periods = views.period_options(run, args.kota)
    if args.period not in periods:
        span = f"{periods[-1]}..{periods[0]}" if periods else "-"
        raise UsageError("cli.unknown_period", args.period, span)
    totals = views.kota_summary(run, args.kota, args.period)
    if args.indicator:
        totals = {args.indicator: totals[args.indicator]}
    return {"kota": args.kota, "period": args.period, "indicators": totals}


def _print_table(result: dict) -> None:
    print(f"Kota {result['kota']} · {result['period']}")
    for ind, by_source in result["indicators"].items():
        for sumber, r in by_source.items():
            rate = "-" if r["rate"] is None else f"{r['rate']:.2f} %"
            reporting = "-" if r["reporting"] is None else f"{r['reporting']}/{r['kelurahan_total']}"
            print(f"  {ind:<20} {sumber:<9} {r['count']!s:>8} {r['denominator']!s:>9} {rate:>9} {reporting:>7}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:  # everything after it belongs to streamlit
        from pantau import serve

        return serve.main(argv[1:])
    args = _parser().parse_args(argv)
    lake = Lake()
    try:
        if args.command == "demo":
            built = demo.build(lake, force=args.force)
            print(t("cli.demo_built" if built else "cli.demo_skipped", args.lang, path=lake.path))
            return 0
        result = _summary(args, lake)
    except PantauError as exc:
        print(exc.message(args.lang), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        _print_table(result)
    return 0
