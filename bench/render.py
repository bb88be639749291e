"""Render times in Chromium: Ringkasan's first render against a hello-world floor, and Peta's
repaint after a change of indicator. Prints its figures; never part of the test run.

    .venv/bin/python -m bench.render [--runs 5]

First render: time from navigation start to the moment the page shows what a user came for
(Ringkasan: four tiles and the list of largest changes; floor: the title), read from performance.now() in
the page, on a freshly started server each time (cold) and again on the same server (warm). Pantau
is started as the README starts it (`python -m pantau serve`, which warms the lake before the
server answers); plain `streamlit run app.py` is measured too. The floor is `streamlit run` of a
one-line page.
Tren: Pekanbaru (83 kelurahan, 15 kecamatan lines, every month of the demo) from navigation to the
chart with its lines and quality badges, on a warm server; then the time to add the second source.
Repaint: from the click on a new indicator to the last WebGL draw call of the map that follows it
(every draw call is stamped by a probe injected into the page), or to the end of the last stretch of over
100 ms in which the page's main thread was too busy to show a frame, once the new title is up and
the map has stayed still for 150 ms; the 150 ms of stillness are not counted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench import harness
from pantau.lake import demo
from pantau.lake.store import Lake

RINGKASAN_READY = """() => document.querySelectorAll('.pk-tile').length === 4
    && document.querySelectorAll('.pk-changes').length === 2"""
HELLO_READY = """() => [...document.querySelectorAll('h1')].some(h => h.textContent.includes('Hello'))"""
INDICATORS = ["Kemiskinan ekstrem", "Anak tidak sekolah", "Prevalensi stunting"]
LEGEND_NOTE = {"Prevalensi stunting": "Kelas prevalensi WHO/UNICEF"}


def first_render(browser, url: str, ready: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url)
    page.wait_for_function(ready, polling="raf", timeout=120_000)
    elapsed = page.evaluate("performance.now()")
    context.close()
    return elapsed


def cold_and_warm(browser, cmd: list[str], path: str, ready: str, runs: int, env: dict) -> tuple[list, list]:
    cold, warm = [], []
    for _ in range(runs):
        with harness.server(cmd, env=env) as url:
            cold.append(first_render(browser, url + path, ready))
            warm.extend(first_render(browser, url + path, ready) for _ in range(2))
    return cold, warm


# Every WebGL draw call stamps the time, so the bench sees when deck.gl actually drew.
DRAW_PROBE = """(() => {
  window.__lastDraw = 0;
  for (const proto of [WebGL2RenderingContext.prototype, WebGLRenderingContext.prototype]) {
    for (const name of ['drawArrays', 'drawElements', 'drawArraysInstanced', 'drawElementsInstanced']) {
      const original = proto[name];
      if (!original) continue;
      proto[name] = function (...args) { window.__lastDraw = performance.now(); return original.apply(this, args); };
    }
  }
})();"""

WATCH = """(heading) => { window.__repaint = new Promise(resolve => {
    const start = window.__start;
    let tick = performance.now(), busyEnd = 0;
    const check = () => {
        const now = performance.now();
        if (now - tick > 100) busyEnd = now;  // a frame over 100 ms late: the main thread was busy till now
        tick = now;
        const titled = [...document.querySelectorAll('h1')].some(e => e.textContent.trim().startsWith(heading));
        const last = Math.max(window.__lastDraw, busyEnd);
        // Done when the new title is up and the map drew after the click, then stayed still for 150 ms.
        if (titled && window.__lastDraw > start && now - last > 150) {
            resolve(last - start);
        } else { requestAnimationFrame(check); }
    };
    requestAnimationFrame(check);
}); }"""


def repaints(browser, url: str, runs: int) -> list[float]:
    context, page = harness.probed_page(browser, DRAW_PROBE)
    page.goto(url + "/peta?kota=14.71&indikator=stunting&sumber=lapangan")
    page.wait_for_selector("[data-testid=stDeckGlJsonChart] canvas", timeout=120_000)
    page.wait_for_timeout(1500)
    times = []
    for i in range(runs):
        name = INDICATORS[i % len(INDICATORS)]
        option = harness.indicator_option(page, name)
        page.wait_for_timeout(300)  # let the opened list finish drawing
        page.evaluate("() => { window.__start = performance.now(); }")
        page.evaluate(WATCH, f"Peta {name}")
        option.click()
        times.append(page.evaluate("() => window.__repaint"))
        page.wait_for_timeout(400)
    context.close()
    return times


TREN_READY = """() => document.querySelectorAll('[data-testid=stPlotlyChart] .scatterlayer .trace').length >= 16
    && document.querySelector('.pk-badge') !== null"""


def tren_renders(browser, url: str, runs: int) -> tuple[list[float], list[float]]:
    """Tren for Pekanbaru, every month: the page from navigation, then switching on the second source."""
    firsts, both = [], []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(url + "/tren?kota=14.71&indikator=stunting&sumber=lapangan")
        page.wait_for_function(TREN_READY, polling="raf", timeout=120_000)
        firsts.append(page.evaluate("performance.now()"))
        page.wait_for_timeout(500)
        start = page.evaluate("performance.now()")
        page.get_by_text("Kedua sumber").click()
        page.wait_for_function("""() => [...document.querySelectorAll('[data-testid=stPlotlyChart] .legendtext')]
            .some(e => e.textContent.includes('(Resmi)'))""", polling="raf", timeout=60_000)
        both.append(page.evaluate("performance.now()") - start)
        context.close()
    return firsts, both


def _fmt(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(values):7.0f} ms   p95 {p95:7.0f} ms   n={len(values)}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3, help="server starts per app")
    parser.add_argument("--repaints", type=int, default=15)
    parser.add_argument("--workers", type=int, default=0, help="start pantau serve with --workers N (scripts/start.sh: 2)")
    args = parser.parse_args()
    serve = harness.pantau_serve() + (["--workers", str(args.workers)] if args.workers else [])
    lake_dir = Path(tempfile.mkdtemp(prefix="pantau-bench-")) / "lake"
    demo.build(Lake(lake_dir))
    env = {"PANTAU_LAKE": str(lake_dir)}
    print(f"# bench.render {dt.datetime.now():%Y-%m-%d %H:%M}  {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Chromium headless (SwiftShader WebGL)"
          + (f", pantau serve --workers {args.workers}" if args.workers else ""))
    with sync_playwright() as p:
        browser = harness.launch(p)
        floor_cold, floor_warm = cold_and_warm(browser, harness.streamlit_run(harness.ROOT / "bench" / "hello" / "app.py"),
                                               "/", HELLO_READY, args.runs, {})
        app_cold, app_warm = cold_and_warm(browser, serve, "/?kota=14.71",
                                           RINGKASAN_READY, args.runs, env)
        plain_cold, _ = cold_and_warm(browser, harness.streamlit_run(harness.ROOT / "app.py"), "/?kota=14.71",
                                      RINGKASAN_READY, args.runs, env)
        with harness.server(serve, env=env) as url:
            paint = repaints(browser, url, args.repaints)
            tren_first, tren_both = tren_renders(browser, url, args.runs * 2)
        browser.close()
    print(f"floor (hello world) first render, cold server : {_fmt(floor_cold)}")
    print(f"floor (hello world) first render, warm server : {_fmt(floor_warm)}")
    print(f"Ringkasan first render, `pantau serve`, cold  : {_fmt(app_cold)}")
    print(f"Ringkasan first render, `pantau serve`, warm  : {_fmt(app_warm)}")
    print(f"Ringkasan first render, plain `streamlit run` : {_fmt(plain_cold)}")
    floor = statistics.median(floor_cold)
    print(f"ratio Ringkasan / floor (median), cold        : {statistics.median(app_cold) / floor:.2f}x  (goal <= 2x)")
    print(f"ratio Ringkasan / floor (median), warm        : {statistics.median(app_warm) / statistics.median(floor_warm):.2f}x  (goal <= 2x)")
    print(f"ratio plain `streamlit run` / floor, cold     : {statistics.median(plain_cold) / floor:.2f}x")
    print(f"Peta: indicator change to repainted map       : {_fmt(paint)}  (goal median <= 300 ms)")
    print(f"Tren, Pekanbaru, 46 months: page to chart     : {_fmt(tren_first)}")
    print(f"Tren, Pekanbaru: second source switched on    : {_fmt(tren_both)}")


if __name__ == "__main__":
    main()
