"""What a frame of a map costs the browser, layer by layer: Pekanbaru's Peta map (bench/frame/app.py)
with some of its layers, first drawn in a new tab and then drawn again four times without anything new
to load (the window made narrower and wider). Counted is the main thread's long-task time (tasks over
50 ms) in headless Chromium with software WebGL; a frame the GPU process draws slowly blocks the page
while it waits to composite. Prints its figures; never part of the test run.

    .venv/bin/python -m bench.frame
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench import harness

LONG_TASKS = """(() => { window.__long = [];
  new PerformanceObserver(l => { for (const e of l.getEntries()) window.__long.push(e.duration); })
    .observe({entryTypes: ['longtask']}); })();"""
VARIANTS = {
    "no layer": "",
    "fill": "kelurahan",
    "fill + borders as segments (now)": "kelurahan,batas_kelurahan,batas_kecamatan",
    "fill + kelurahan borders as paths": "kelurahan,paths_kelurahan",
    "fill + names": "kelurahan,nama",
    "the whole map (now)": "kelurahan,batas_kelurahan,batas_kecamatan,ditandai,nama",
    "the same, flagged outline a path": "kelurahan,batas_kelurahan,batas_kecamatan,path_ditandai,nama",
    "the whole map as before (paths)": "kelurahan,paths_kelurahan,paths_kecamatan,paths_ditandai,nama",
}


def measure(browser, url: str, layers: str) -> tuple[float, float]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(LONG_TASKS)
    page = context.new_page()
    page.goto(f"{url}/?layers={layers}")
    page.wait_for_selector("[data-testid=stDeckGlJsonChart] canvas", timeout=120_000)
    page.wait_for_timeout(5000)
    first = sum(page.evaluate("() => window.__long"))
    again = []
    for width in (1200, 1280, 1200, 1280):
        page.evaluate("() => { window.__long = []; }")
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(2500)
        again.append(sum(page.evaluate("() => window.__long")))
    context.close()
    return first, statistics.median(again)


def main() -> None:
    from pantau.lake import demo
    from pantau.lake.store import Lake

    lake_dir = Path(tempfile.mkdtemp(prefix="pantau-frame-")) / "lake"
    demo.build(Lake(lake_dir))
    app = harness.ROOT / "bench" / "frame" / "app.py"
    # Streamlit serves static/ beside the script it runs: the app's map files are in the project's.
    served = app.parent / "static"
    if not served.exists():
        served.symlink_to(harness.ROOT / "static", target_is_directory=True)
    print(f"# bench.frame {dt.datetime.now():%Y-%m-%d %H:%M}  {platform.machine()}, {os.cpu_count()} cores, "
          "Chromium headless (SwiftShader WebGL), Pekanbaru's Peta map, main-thread long tasks")
    env = {"PANTAU_LAKE": str(lake_dir), "PYTHONPATH": str(harness.ROOT)}
    with harness.server(harness.streamlit_run(app), env=env) as url, sync_playwright() as p:
        browser = harness.launch(p)
        for name, layers in VARIANTS.items():
            first, again = measure(browser, url, layers)
            print(f"{name:<34}: first draw {first:6.0f} ms   a frame again {again:5.0f} ms (median of 4)")
        browser.close()


if __name__ == "__main__":
    main()
