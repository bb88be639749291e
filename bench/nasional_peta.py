"""The browser half of bench.nasional: the level map of the whole country and of a province in Chromium,
against a naive st.pydeck_chart of the same GeoJSON. Run through `python -m bench.nasional`."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench import harness
from bench.render import DRAW_PROBE, INDICATORS, _fmt
from pantau.lake import nasional

# Navigation start to the last WebGL draw after the shapes file arrived, once the map has been still
# for 500 ms (not counted).
SHAPES_DRAWN = """() => new Promise((resolve, reject) => {
  const check = () => {
    const now = performance.now();
    if (now > 180000) { reject(new Error('no map within 180 s')); return; }
    const shapes = performance.getEntriesByType('resource').filter(e => e.name.includes('/static/geo/bagian-'));
    if (shapes.length && shapes[0].responseEnd > 0 && window.__lastDraw > shapes[0].responseEnd && now - window.__lastDraw > 500) {
      resolve(window.__lastDraw);
    } else { setTimeout(check, 50); }
  };
  check();
})"""
# From the click to the last draw once the new title is up and the map has been still for 300 ms.
RECOLOURED = """(heading) => new Promise((resolve, reject) => {
  const start = window.__start;
  const check = () => {
    const now = performance.now();
    if (now - start > 60000) { reject(new Error('no recolour within 60 s')); return; }
    const titled = [...document.querySelectorAll('h1')].some(e => e.textContent.trim().startsWith(heading));
    if (titled && window.__lastDraw > start && now - window.__lastDraw > 300) { resolve(window.__lastDraw - start); }
    else { setTimeout(check, 30); }
  };
  check();
})"""
NAIVE_DRAWN = """(count) => new Promise((resolve, reject) => {
  const check = () => {
    const now = performance.now();
    if (now > 240000) { reject(new Error('no map within 240 s')); return; }
    if (document.querySelector('[data-testid=stException], [data-testid=stAlertContentError]')) {
      reject(new Error(document.querySelector('[data-testid=stException], [data-testid=stAlertContentError]').textContent.slice(0, 160)));
      return;
    }
    const titled = [...document.querySelectorAll('h1')].some(e => e.textContent.includes('Naive ' + count));
    const canvas = document.querySelector('[data-testid=stDeckGlJsonChart] canvas');
    if (titled && canvas && window.__lastDraw > 0 && now - window.__lastDraw > 1000) { resolve(window.__lastDraw); }
    else { setTimeout(check, 50); }
  };
  check();
})"""


def _page(browser):
    return harness.probed_page(browser, DRAW_PROBE)


def first_paint(browser, url: str) -> float:
    context, page = _page(browser)
    page.goto(url)
    took = page.evaluate(SHAPES_DRAWN)
    context.close()
    return took


def recolours(browser, url: str, runs: int) -> list[float]:
    context, page = _page(browser)
    page.goto(url)
    page.evaluate(SHAPES_DRAWN)
    times = []
    for i in range(runs):
        name = INDICATORS[i % len(INDICATORS)]
        option = harness.indicator_option(page, name)
        page.evaluate("() => { window.__start = performance.now(); }")
        option.click()
        times.append(page.evaluate(RECOLOURED, name))
    context.close()
    return times


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def naive(browser, counts: list[int]) -> list[str]:
    lines = []
    for count in counts:
        env = {"NAIVE_DESA": str(count), "NAIVE_FILE": str(nasional.NASIONAL_FILE)}
        procs: list = []
        with harness.server(harness.streamlit_run(harness.ROOT / "bench" / "naive_map.py"), env=env, procs=procs) as url:
            context, page = _page(browser)
            try:
                page.goto(url)
                took = page.evaluate(NAIVE_DRAWN, count)
                page.evaluate("() => { window.__start = performance.now(); }")
                page.get_by_text("b", exact=True).click()
                again = page.evaluate(RECOLOURED, f"Naive {count} b")
                lines.append(f"naive st.pydeck_chart, {count:>6,} desa: first paint {took:8.0f} ms, recolour {again:8.0f} ms, "
                             f"server peak {peak_memory_mb(procs[0].pid):6.0f} MB")
            except Exception as exc:  # where it stops working is the finding
                lines.append(f"naive st.pydeck_chart, {count:>6,} desa: FAILS ({str(exc).splitlines()[0][:150]})")
                context.close()
                break
            context.close()
    return lines


def browser_bench(lake, runs: int, province: str = "33") -> list[str]:
    env = {"PANTAU_LAKE": str(lake.path), "PANTAU_MODE": "lokal", "PANTAU_TODAY": "2026-11-23"}
    lines = []
    procs: list = []
    with sync_playwright() as p:
        browser = harness.launch(p)
        lines.append(f"Chromium {browser.version} headless, software WebGL (SwiftShader)")
        with harness.server(harness.pantau_serve(), env=env, procs=procs) as url:
            nation = f"{url}/wilayah?w=&tingkat=kelurahan"
            prov = f"{url}/wilayah?w={province}&tingkat=kelurahan"
            # The first visit of each map after the lake was built writes its shape files (once).
            lines.append(f"first visit ever, shapes prepared on the server: nation {first_paint(browser, nation):.0f} ms, "
                         f"province {province} {first_paint(browser, prov):.0f} ms")
            lines.append(f"Peta wilayah, all 83,246 desa, first paint      : {_fmt([first_paint(browser, nation) for _ in range(runs)])}")
            lines.append(f"Peta wilayah, province {province} desa, first paint  : {_fmt([first_paint(browser, prov) for _ in range(runs)])}")
            lines.append(f"Peta wilayah, all 83,246 desa, recolour         : {_fmt(recolours(browser, nation, runs * 3))}")
            lines.append(f"Peta wilayah, province {province} desa, recolour     : {_fmt(recolours(browser, prov, runs * 3))}")
            # The other pages at the widest scope, so the peak memory covers them too.
            for path, ready in (("/?lingkup=nasional", "() => document.querySelectorAll('.pk-tile').length === 4"),
                                ("/tren?lingkup=nasional", "() => document.querySelector('[data-testid=stPlotlyChart] .main-svg')"),
                                ("/prioritas?lingkup=nasional", "() => document.querySelector('[data-testid=stDeckGlJsonChart] canvas')")):
                context, page = _page(browser)
                page.goto(url + path)
                page.wait_for_function(ready, timeout=180_000)
                lines.append(f"{path:<28} at the nation, ready after {page.evaluate('performance.now()'):8.0f} ms")
                context.close()
            lines.append(f"server peak memory (VmHWM), national lake      : {peak_memory_mb(procs[0].pid):.0f} MB")
        lines.extend(naive(browser, [1_000, 5_000, 20_000, 40_000, 83_246]))
        browser.close()
    return lines


if __name__ == "__main__":  # pragma: no cover
    import sys

    from pantau.lake.store import Lake

    for line in browser_bench(Lake(Path(sys.argv[1])), int(sys.argv[2]) if len(sys.argv) > 2 else 2):
        print(line, flush=True)
    os._exit(0)
