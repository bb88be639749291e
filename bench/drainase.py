"""Drainase page with 5,000 open drainage points over Pekanbaru: time to the drawn map, and to redraw it.

    .venv/bin/python -m bench.drainase [--points 5000] [--runs 5]

The demo lake gets a PUPR-style file of `--points` open points over Pekanbaru, ingested through the
same pipeline as the Data page. Then, on a warm `python -m pantau serve`, a fresh browser tab opens
/drainase?kota=14.71 and the bench reads, from performance.now() in the page, when the map's last
WebGL draw call happened once the title is up and the map has stayed still for 300 ms (every draw
call is stamped by a probe injected into the page; the 300 ms are not counted). Then it switches the
flood layer off and back on and times each redraw the same way. Prints its figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import tempfile
from functools import partial
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench import harness
from bench.ingest import KOTA, make_file
from bench.render import DRAW_PROBE, _fmt
from pantau.ingest import pipeline
from pantau.ingest.sheets import Upload
from pantau.lake import demo, queries
from pantau.lake.store import Lake

# Resolves with the time of the last draw call once the page says the rerun arrived (`floods`: whether
# the flood legend must be shown; null when either will do) and the map has been still for 300 ms.
DRAWN = """(floods) => new Promise((resolve, reject) => {
    const check = () => {
        const now = performance.now();
        if (now - (window.__start || 0) > 120000) { reject(new Error('no settled redraw within 120 s')); return; }
        const titled = [...document.querySelectorAll('h1')].some(e => e.textContent.includes('Drainase'));
        const canvas = document.querySelector('[data-testid=stDeckGlJsonChart] canvas');
        const legend = [...document.querySelectorAll('.pk-legend')].some(e => e.textContent.includes('Kejadian banjir'));
        const arrived = floods === null || legend === floods;
        if (titled && canvas && arrived && window.__lastDraw > (window.__start || 0) && now - window.__lastDraw > 300) {
            resolve(window.__lastDraw - (window.__start || 0));
        } else { requestAnimationFrame(check); }
    };
    requestAnimationFrame(check);
})"""


def first_draws(browser, url: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        context, page = harness.probed_page(browser, DRAW_PROBE)
        page.goto(f"{url}/drainase?kota={KOTA}")
        times.append(page.evaluate(DRAWN, None))
        print(f"  first draw {times[-1]:.0f} ms", flush=True)
        context.close()
    return times


def redraws(browser, url: str, runs: int) -> list[float]:
    context, page = harness.probed_page(browser, DRAW_PROBE)
    page.goto(f"{url}/drainase?kota={KOTA}")
    page.evaluate(DRAWN, True)
    times = []
    toggle = page.get_by_text("Tampilkan kejadian banjir", exact=False)
    for i in range(runs):
        page.evaluate("() => { window.__start = performance.now(); }")
        toggle.click()
        times.append(page.evaluate(DRAWN, i % 2 == 1))  # off, on, off, ...
        print(f"  redraw {times[-1]:.0f} ms", flush=True)
    context.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pantau-bench-drainase-"))
    lake = Lake(work / "lake")
    demo.build(lake)
    path = work / "drainase.csv"
    make_file(path, args.points, lake, statuses=("Dilaporkan", "Ditangani"))
    upload = Upload(path.name, path.read_bytes())
    today = dt.date.today()
    report = pipeline.prepare(upload, pipeline.Request(kind="drainase", kota_kode=KOTA, today=today), lake)
    pipeline.commit(report, upload, lake)
    points = partial(queries.run, lake.connect().cursor())("drainase_titik_by_kota", kota_kode=KOTA, hari_ini=today)
    drawn = int(points["status"].isin(["dilaporkan", "ditangani"]).sum())
    env = {"PANTAU_LAKE": str(lake.path)}
    print(f"# bench.drainase {dt.datetime.now():%Y-%m-%d %H:%M}  {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, Chromium headless (SwiftShader WebGL)")
    with sync_playwright() as p:
        browser = harness.launch(p)
        with harness.server(harness.pantau_serve(), env=env) as url:
            first = first_draws(browser, url, args.runs)
            again = redraws(browser, url, args.runs * 2)
        browser.close()
    print(f"Pekanbaru, {drawn:,} open points drawn (of {len(points):,}), 83 kelurahan")
    print(f"Drainase page, navigation to drawn map        : {_fmt(first)}")
    print(f"Drainase page, flood layer toggled, redraw    : {_fmt(again)}")


if __name__ == "__main__":
    main()
