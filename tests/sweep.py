"""The sweep's cases, shared by the AppTest sweep (tests/web/test_sweep.py) and its Chromium sample
(tests/browser/test_browser_sweep.py): the parameters each page reads, an all-pairs covering set of their
values, the month cases, the demo lake after one office's upload, and the URL of a case."""

from __future__ import annotations

import datetime as dt
import shutil
from functools import partial
from pathlib import Path

from pantau import settings
from pantau.domain.catalog import INDICATORS, SOURCES
from pantau.domain.classes import MEASURES, METHODS
from pantau.ingest import pipeline
from pantau.ingest.sheets import Upload
from pantau.lake import queries
from pantau.lake.store import Lake
from pantau.render import fmt
from pantau.views import shared

TODAY = "2026-11-23"
KOTA = ("14.71", "16.74", "63.72", "64.74")
UPLOAD_FILE = Path(__file__).parent / "data" / "sweep" / "dinkes_bontang_stunting_november_2026.csv"
UPLOAD = dict(kota="64.74", indikator="stunting", sumber="resmi", periode="2026-11")

# Month cases: on the demo lake, the kota's newest and oldest month, a month before the oldest (nobody
# reported it), a month without a report of the chosen indicator and source; on the upload lake, no
# periode in the URL (the default month) and the uploaded month.
MONTHS = ("newest", "oldest", "before_oldest", "unreported", "after_upload", "after_upload_nov")
UPLOAD_MONTHS = {"after_upload", "after_upload_nov"}

DOMAINS: dict[str, tuple[str, ...]] = {
    "kota": KOTA,
    "indikator": tuple(INDICATORS),
    "sumber": tuple(SOURCES),
    "ukuran": MEASURES,  # rate, jumlah, per_km2: invalid ones for an indicator too
    "kelas": METHODS,  # who, quantile, jenks: who with counts too
    "lingkup": shared.SCOPES,
    "lang": ("id", "en"),
    "month": MONTHS,
    "adres": ("root", "ringkasan"),  # Ringkasan is the hidden default page at / and its own /ringkasan
}

# The parameters each page reads (page_view's widgets, and the view fields the page uses). lingkup is
# given to every page that shows a view: the session carries it over from Ringkasan, Tren or Prioritas,
# and Rekonsiliasi and Presentasi total over view.wilayah. On Wilayah it also sets w (kota, province, nation).
PAGES: dict[str, tuple[str, ...]] = {
    "ringkasan": ("adres", "kota", "indikator", "sumber", "lingkup", "lang", "month"),
    "peta": ("kota", "indikator", "sumber", "ukuran", "kelas", "lingkup", "lang", "month"),
    "wilayah": ("kota", "indikator", "sumber", "ukuran", "kelas", "lingkup", "lang", "month"),
    "tren": ("kota", "indikator", "sumber", "ukuran", "lingkup", "lang", "month"),
    "rekonsiliasi": ("kota", "indikator", "lingkup", "lang", "month"),
    "drainase": ("kota", "lang", "month"),
    "prioritas": ("kota", "sumber", "lingkup", "lang", "month"),
    "tindak_lanjut": ("kota", "lang", "month"),
    "presentasi": ("kota", "sumber", "lingkup", "lang", "month"),
    "data": ("kota", "lang", "month"),
    "audit": ("lang", "month"),
}


def pairwise(domains: dict[str, tuple]) -> list[dict]:
    """A small set of cases in which every pair of values of two parameters occurs at least once (greedy).

    Each new case starts from an uncovered pair of the two widest parameters still uncovered, then takes,
    parameter by parameter, the value that covers most uncovered pairs with the values already chosen."""
    names = list(domains)
    if len(names) == 1:
        return [{names[0]: v} for v in domains[names[0]]]
    order = {n: i for i, n in enumerate(names)}

    def pair(a, va, b, vb):
        return (a, va, b, vb) if order[a] < order[b] else (b, vb, a, va)

    uncovered = {pair(a, va, b, vb) for i, a in enumerate(names) for b in names[i + 1:]
                 for va in domains[a] for vb in domains[b]}
    cases = []
    while uncovered:
        a, va, b, vb = max(sorted(uncovered), key=lambda p: len(domains[p[0]]) * len(domains[p[2]]))
        case = {a: va, b: vb}
        for n in sorted(names, key=lambda n: -len(domains[n])):
            if n not in case:
                case[n] = max(domains[n], key=lambda v: sum(pair(m, case[m], n, v) in uncovered for m in case))
        uncovered -= {pair(a, case[a], b, case[b]) for i, a in enumerate(names) for b in names[i + 1:]}
        cases.append({n: case[n] for n in names})
    return cases


def cases_for(page: str) -> list[dict]:
    return pairwise({name: DOMAINS[name] for name in PAGES[page]})


def make_upload_lake(demo_path: Path, dest: Path) -> Lake:
    """A copy of the demo lake after one OPD upload: Dinkes Bontang's stunting (resmi) for November 2026,
    every kelurahan, through pipeline.prepare and pipeline.commit as the Data page does."""
    shutil.copytree(demo_path, dest)
    lake = Lake(dest)
    upload = Upload(UPLOAD_FILE.name, UPLOAD_FILE.read_bytes())
    request = pipeline.Request(kind="nilai", kota_kode=UPLOAD["kota"], indicator=UPLOAD["indikator"],
                             sumber=UPLOAD["sumber"], periode=fmt.period_date(UPLOAD["periode"]),
                             today=dt.date.fromisoformat(TODAY))
    report = pipeline.prepare(upload, request, lake)
    assert report.ok and report.counts()["accepted"] == 15, [(p.level, p.key) for p in report.problems]
    pipeline.commit(report, upload, lake, pengguna="dinkes-bontang")
    return lake


def lake_info(lake: Lake) -> dict:
    """A lake's path, and per kota the months with figures per indicator and source (YYYY-MM)."""
    run = partial(queries.run, lake.connect().cursor())
    months = {k: run("periode_by_kota", kota_kode=k) for k in KOTA}
    for frame in months.values():
        frame["periode"] = frame["periode"].map(shared.period_key)
    return {"path": lake.path, "months": months}


def next_month(period: str) -> str:
    return shared.period_key(fmt.period_date(period) + dt.timedelta(days=31))


def month_param(case: dict, months) -> str | None:
    """The periode URL parameter of a case's month case, from the kota's months in the lake."""
    kind = case.get("month", "newest")
    options = list(dict.fromkeys(months["periode"]))  # newest first
    if kind == "after_upload":
        return None
    if kind == "after_upload_nov":
        return UPLOAD["periode"]
    if kind == "newest":
        return options[0]
    if kind == "oldest":
        return options[-1]
    if kind == "before_oldest":
        return shared.previous_period(options[-1])
    # unreported: a month the kota has (others reported) without this indicator and source; else the
    # month after the newest, which nobody reported.
    ind = case.get("indikator", settings.DEFAULT_INDIKATOR)
    sumber = case.get("sumber", settings.DEFAULT_SUMBER)
    own = set(months.loc[(months["indikator"] == ind) & (months["sumber"] == sumber), "periode"])
    missing = [p for p in options if p not in own] if own else []
    return missing[0] if missing else next_month(options[0])


def url_of(page: str, case: dict, lakes: dict) -> tuple[str, str, dict[str, str]]:
    """(lake key, path, query params) of a case."""
    lake = "upload" if case.get("month") in UPLOAD_MONTHS else "demo"
    kota = case.get("kota", settings.DEFAULT_KOTA)
    params = {k: v for k, v in case.items() if k in ("kota", "indikator", "sumber", "ukuran", "kelas", "lingkup", "lang")}
    periode = month_param(case, lakes[lake]["months"][kota])
    if periode and page not in ("data", "audit"):
        params["periode"] = periode
    if page == "wilayah":
        params["w"] = {"kota": kota, "provinsi": kota[:2], "nasional": ""}[case.get("lingkup", "kota")]
    path = "/" if case.get("adres") == "root" else f"/{page}"
    return lake, path, params


