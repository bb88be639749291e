"""Issue 16: every page under AppTest over an all-pairs covering set of its URL parameters; zero exceptions.

For each page, a greedy all-pairs generator (below) picks cases so that every pair of values of two of the
parameters the page uses co-occurs at least once: kota × indikator × sumber × ukuran × kelas × lingkup ×
lang × month case (× root or /ringkasan for Ringkasan). Invalid combinations (a WHO class with counts, a
rate of drainage points) are in on purpose: the app must fall back, quietly or with a notice, never fail.
The month cases: the kota's newest month, its oldest, a month before the oldest (nobody reported), a month
in which the chosen indicator and source have no report, and two on a copy of the demo lake after one
OPD upload of one indicator only (stunting, resmi, November 2026, Bontang): no periode in the URL, and
periode=2026-11. One test per page collects every failing case and fails once with the whole list.

Measured on this 2-core machine (demo lake built once, shared; the upload lake copied once per module;
each case one AppTest run, the page chosen before the first run): 254 sweep cases in 100-135 s, and
the whole file (with 23 trust renders) in 115-150 s; the Chromium sample (11 URLs) takes about 105 s.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import re
import shutil
import time
import traceback
from functools import partial
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pantau import settings
from pantau.domain.catalog import INDICATORS, SOURCES
from pantau.domain.classes import MEASURES, METHODS, measures_for, methods_for
from pantau.i18n import t
from pantau.ingest import pipeline
from pantau.ingest.sheets import Upload
from pantau.lake import queries
from pantau.lake.store import Lake
from pantau.render import fmt
from pantau.views import shared

TODAY = "2026-11-23"
KOTA = ("14.71", "16.74", "63.72", "64.74")
UPLOAD_FILE = Path(__file__).parents[1] / "data" / "sweep" / "dinkes_bontang_stunting_november_2026.csv"
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
STATS: dict[str, tuple[int, float]] = {}


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


def test_pairwise_covers_every_pair_and_stays_small():
    for page, names in PAGES.items():
        cases = cases_for(page)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                seen = {(c[a], c[b]) for c in cases}
                assert len(seen) == len(DOMAINS[a]) * len(DOMAINS[b]), (page, a, b)
        widest = sorted((len(DOMAINS[n]) for n in names), reverse=True)
        assert len(cases) <= 2 * widest[0] * (widest[1] if len(widest) > 1 else 1), (page, len(cases))


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


@pytest.fixture(scope="module")
def upload_lake(demo_lake, tmp_path_factory) -> Lake:
    return make_upload_lake(demo_lake.path, tmp_path_factory.mktemp("sweep") / "lake")


def lake_info(lake: Lake) -> dict:
    """A lake's path, and per kota the months with figures per indicator and source (YYYY-MM)."""
    run = partial(queries.run, lake.connect().cursor())
    months = {k: run("periode_by_kota", kota_kode=k) for k in KOTA}
    for frame in months.values():
        frame["periode"] = frame["periode"].map(shared.period_key)
    return {"path": lake.path, "months": months}


@pytest.fixture(scope="module")
def lakes(demo_lake, upload_lake) -> dict:
    return {"demo": lake_info(demo_lake), "upload": lake_info(upload_lake)}


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


class _Failures(logging.Handler):
    """What page_boundary logs when a page raises: the exception and where, for the failure message."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record):
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            frames = [f for f in traceback.extract_tb(exc.__traceback__) if "site-packages" not in f.filename]
            where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno} ({frames[-1].line})" if frames else ""
            self.seen.append(f"{type(exc).__name__}: {exc}{where}")


def render(lake_path, path: str, params: dict, monkeypatch) -> AppTest:
    monkeypatch.setenv("PANTAU_LAKE", str(lake_path))
    monkeypatch.setenv("PANTAU_TODAY", TODAY)
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    if path != "/":  # every url_path is its file's name, so the page is found before the first run
        at.switch_page(f"pages{path}.py")
    handler = _Failures()
    logging.getLogger("pantau").addHandler(handler)
    try:
        at.run()
    finally:
        logging.getLogger("pantau").removeHandler(handler)
    at.logged_failures = handler.seen
    return at


def _param(at: AppTest, key: str) -> str | None:
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def problems_of(at: AppTest, lang: str) -> list[str]:
    out = []
    for exc in at.exception:
        trace = [line for line in exc.stack_trace if line.strip()][-3:]
        out.append(f"exception: {exc.value} | {' / '.join(s.strip() for s in trace)}")
    failed = t("error.page_failed", lang)
    for err in at.error:
        if err.value == failed:
            logged = "; ".join(getattr(at, "logged_failures", [])) or "nothing logged"
            out.append(f"page_failed shown; the page raised {logged}")
        else:
            out.append(f"st.error: {err.value}")
    # A fallback must land on a valid view.
    ind = _param(at, "indikator")
    if ind in INDICATORS and _param(at, "ukuran") is not None:
        ukuran, kelas = _param(at, "ukuran"), _param(at, "kelas")
        if ukuran not in measures_for(INDICATORS[ind]):
            out.append(f"resolved ukuran={ukuran} is not valid for {ind}")
        elif kelas not in methods_for(INDICATORS[ind], ukuran):
            out.append(f"resolved kelas={kelas} is not valid for {ind}/{ukuran}")
    return out


@pytest.fixture(scope="module", autouse=True)
def _report(request):
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter and STATS:
        total = sum(n for n, _ in STATS.values())
        seconds = sum(s for _, s in STATS.values())
        per_page = ", ".join(f"{p} {n}" for p, (n, _) in STATS.items())
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
            reporter.write_line(f"\nsweep: {total} AppTest cases in {seconds:.0f} s ({per_page})")


@pytest.mark.parametrize("page", list(PAGES))
def test_sweep_page(page, lakes, monkeypatch, record_property):
    started = time.perf_counter()
    cases = cases_for(page)
    failures = []
    for case in cases:
        lake, path, params = url_of(page, case, lakes)
        where = f"[{lake} lake] {path}?" + "&".join(f"{k}={v}" for k, v in params.items())
        try:
            at = render(lakes[lake]["path"], path, params, monkeypatch)
        except Exception as exc:  # a timeout or a crash of the script runner itself
            failures.append(f"{where}\n    run failed: {type(exc).__name__}: {exc}")
            continue
        found = problems_of(at, params.get("lang", "id"))
        if found:
            failures.append(f"{where}\n    " + "\n    ".join(found))
    STATS[page] = (len(cases), time.perf_counter() - started)
    record_property("cases", len(cases))
    print(f"{page}: {len(cases)} cases in {STATS[page][1]:.1f} s")
    if failures:
        pytest.fail(f"{page}: {len(failures)} of {len(cases)} cases failed:\n" + "\n".join(failures), pytrace=False)


# Trust after one office's upload: nothing blanks, and no page opens on a month without figures.

def _tiles(at: AppTest) -> dict[str, str]:
    """Tile label -> tile value, from the HTML of the Ringkasan tiles."""
    html = " ".join(h.proto.body for h in at.get("html"))
    return {re.sub(r"<[^>]+>", "", label).strip(): value.strip() for label, value in re.findall(
        r'class="pk-tile-label">(.*?)</div>\s*<div class="pk-tile-value">(.*?)</div>', html, flags=re.S)}


@pytest.mark.parametrize("sumber", list(SOURCES))
def test_after_one_upload_no_tile_blanks_for_an_indicator_reported_in_october(lakes, monkeypatch, sumber):
    at = render(lakes["upload"]["path"], "/", {"kota": "64.74", "sumber": sumber}, monkeypatch)
    assert not at.exception and not at.error, problems_of(at, "id")
    months = lakes["upload"]["months"]["64.74"]
    october = set(months.loc[(months["periode"] == "2026-10") & (months["sumber"] == sumber), "indikator"])
    tiles = _tiles(at)
    assert len(tiles) == len(INDICATORS), tiles
    blank = []
    for ind in INDICATORS.values():
        if ind.id in october or ind.table == "drainase":  # drainage points are reported as points, not months
            value = next((v for label, v in tiles.items() if label.startswith(ind.text("short_label", "id"))
                          or label.startswith(ind.text("label", "id"))), None)
            if value is None or not re.search(r"\d", value):
                blank.append((ind.id, value))
    assert not blank, f"tiles without a value after one upload ({sumber}): {blank}; all tiles: {tiles}"


def _shown_month(at: AppTest) -> str | None:
    try:
        return at.selectbox(key="w_periode").value
    except KeyError:
        return _param(at, "periode")


@pytest.mark.parametrize("page", ["ringkasan", "peta", "tren"])
def test_no_page_opens_on_a_month_without_figures_of_its_indicator_and_source(lakes, monkeypatch, page):
    wrong = []
    checks = [("upload", "64.74", ind, s) for ind in INDICATORS if INDICATORS[ind].table == "nilai" for s in SOURCES]
    checks.append(("demo", "16.74", "stunting", "resmi"))  # resmi stops in August 2026, the others go on
    for lake, kota, ind, sumber in checks:
        at = render(lakes[lake]["path"], f"/{page}", {"kota": kota, "indikator": ind, "sumber": sumber}, monkeypatch)
        months = lakes[lake]["months"][kota]
        own = months.loc[(months["indikator"] == ind) & (months["sumber"] == sumber), "periode"]
        shown = _shown_month(at)
        if problems_of(at, "id") or shown != own.max():
            wrong.append(f"[{lake}] /{page}?kota={kota}&indikator={ind}&sumber={sumber}: opened on {shown}, "
                         f"newest with figures {own.max()} {problems_of(at, 'id')}")
    assert not wrong, "\n".join(wrong)
