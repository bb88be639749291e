"""Issue 21: `python -m pantau serve --workers 2`, two Streamlit processes behind Debian's nginx, walked in
Chromium through the proxy. Each browser stays on the worker nginx first gave it, both workers serve
every page without an error box or an outside request, and a write to the lake from another process
is seen on both."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import urllib.request

import pytest

from bench import harness
from pantau.domain import prioritas
from pantau.domain.catalog import INDICATORS
from pantau.lake.store import Lake
from pantau.web import workers

PAGES = ["ringkasan", "peta", "tren", "prioritas", "rekonsiliasi", "drainase", "tindak_lanjut", "presentasi"]
TODAY = "2026-11-23"


def _upstream(url: str, cookie: str) -> str:
    """The worker nginx sends a browser with this cookie to (nginx names it in X-Pantau-Upstream)."""
    request = urllib.request.Request(f"{url}/_stcore/health", headers={"Cookie": f"pantau_worker={cookie}"})
    with urllib.request.urlopen(request, timeout=10) as resp:
        return resp.headers["X-Pantau-Upstream"]


@pytest.fixture(scope="module")
def pool(demo_lake, tmp_path_factory):
    if workers.nginx_path() is None:
        pytest.fail("Debian's nginx is not installed (scripts/install.sh dev installs nginx-light)")
    lake = Lake(tmp_path_factory.mktemp("workers") / "lake")
    shutil.copytree(demo_lake.path, lake.path)
    cmd = [sys.executable, "-m", "pantau", "serve", "--workers", "2"]
    procs: list = []
    with harness.server(cmd, env={"PANTAU_LAKE": str(lake.path), "PANTAU_TODAY": TODAY}, procs=procs) as url:
        yield url, lake, procs[0]


def _settled(pg) -> None:
    pg.locator("h1").first.wait_for(state="visible", timeout=60_000)
    for _ in range(2):
        pg.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
        pg.wait_for_timeout(600)


def _errors(pg) -> list[str]:
    found = []
    for box in ("stException", "stAlertContentError"):
        found += [f"{box}: {text[:200]}" for text in pg.locator(f"[data-testid={box}]").all_inner_texts()]
    return found


def test_two_workers_behind_nginx_serve_every_page_and_see_one_lake(pool, browser):
    url, lake, proc = pool
    # One cookie per worker: try cookie values until nginx has sent them to two different workers.
    cookies: dict[str, str] = {}
    for n in range(200):
        cookies.setdefault(_upstream(url, f"probe{n}"), f"probe{n}")
        if len(cookies) == 2:
            break
    assert len(cookies) == 2, f"nginx sent every browser to one worker: {cookies}"

    contexts = []
    for upstream, cookie in cookies.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies([{"name": "pantau_worker", "value": cookie, "url": url}])
        pg = context.new_page()
        pg.outside, pg.upstreams = [], set()
        pg.on("request", lambda r, pg=pg: None if harness.is_local(r.url) else pg.outside.append(r.url))
        pg.on("response", lambda r, pg=pg: pg.upstreams.add(r.headers.get("x-pantau-upstream")))
        contexts.append((upstream, context, pg))

    for upstream, _, pg in contexts:
        for path in PAGES:
            pg.goto(f"{url}/{path}?kota=14.71")
            _settled(pg)
            assert _errors(pg) == [], f"{path} on {upstream}"
        assert pg.outside == []
        assert pg.upstreams - {None} == {upstream}, "a browser's requests went to more than one worker"

    # Another process marks a priority; both workers show it (the lake is one, each reads it anew).
    def priority_count(pg) -> int:
        pg.goto(f"{url}/peta?kota=14.71")
        _settled(pg)
        row = pg.locator(".pk-legend-row").filter(has_text="Lokasi prioritas")
        return int(row.locator(".pk-legend-n").inner_text()) if row.count() else 0  # no row: none marked

    before = [priority_count(pg) for _, _, pg in contexts]
    marked = set(Lake(lake.path).read("prioritas").column("kelurahan_kode").to_pylist())
    wilayah = Lake(lake.path).read("wilayah").to_pandas()
    kode = next(k for k in wilayah.loc[wilayah["tingkat"] == "kelurahan", "kode"]
                if k.startswith("14.71.") and k not in marked)
    today = dt.date.fromisoformat(TODAY)
    prioritas.mark(Lake(lake.path), "14.71", kode, INDICATORS["stunting"], "lapangan", "rate", 30.0,
                   dt.date(2026, 10, 1), 20.0, today + dt.timedelta(days=90), today, "uji")
    after = [priority_count(pg) for _, _, pg in contexts]
    assert after == [b + 1 for b in before]
    for _, context, _ in contexts:
        context.close()
    assert proc.poll() is None
