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
import logging
import re
import time
import traceback
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from pantau import settings
from pantau.domain.catalog import INDICATORS, SOURCES
from pantau.domain.classes import measures_for, methods_for
from pantau.i18n import t
from pantau.lake.store import Lake
from tests.sweep import (
    DOMAINS,
    PAGES,
    TODAY,
    cases_for,
    lake_info,
    make_upload_lake,
    url_of,
)

STATS: dict[str, tuple[int, float]] = {}


def test_pairwise_covers_every_pair_and_stays_small():
    for page, names in PAGES.items():
        cases = cases_for(page)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                seen = {(c[a], c[b]) for c in cases}
                assert len(seen) == len(DOMAINS[a]) * len(DOMAINS[b]), (page, a, b)
        widest = sorted((len(DOMAINS[n]) for n in names), reverse=True)
        assert len(cases) <= 2 * widest[0] * (widest[1] if len(widest) > 1 else 1), (page, len(cases))


@pytest.fixture(scope="module")
def upload_lake(demo_lake, tmp_path_factory) -> Lake:
    return make_upload_lake(demo_lake.path, tmp_path_factory.mktemp("sweep") / "lake")


@pytest.fixture(scope="module")
def lakes(demo_lake, upload_lake) -> dict:
    return {"demo": lake_info(demo_lake), "upload": lake_info(upload_lake)}


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
    listed = [ind for ind in INDICATORS.values() if ind.headline or ind.id in set(months["indikator"])]
    assert len(tiles) == len(listed), tiles  # a tile per headline indicator and per other one the kota has
    blank = []
    for ind in listed:
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
    had = set(lakes["upload"]["months"]["64.74"]["indikator"])  # an indicator without any figure has no newest month
    checks = [("upload", "64.74", ind, s) for ind in INDICATORS if INDICATORS[ind].table == "nilai" and ind in had
              for s in SOURCES]
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
