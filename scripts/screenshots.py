"""Screenshots of pages as users meet them: Debian's Chromium at several widths, in Indonesian and English.

    .venv/bin/python -m scripts.screenshots OUT_DIR [--lake PATH] [--pages ringkasan,peta,presentasi]
        [--kota 14.71,16.74,63.72,64.74] [--widths 390,1024,1920] [--lang id,en] [--query "sumber=resmi"]
        [--tab Tahunan,Annual]

Starts `streamlit run app.py` on a free localhost port over the lake (PANTAU_LAKE, built with the demo
when empty), saves OUT_DIR/<lang>_<width>_<page>_<kota>.png (full page) and prints, per shot, whether
Streamlit's error box or a "Page not found" dialog showed and any request that left the machine.
Presentasi is also shot in presenter mode at 1024x768 and 1280x720, one PNG per screen.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench import harness

HEIGHTS = {390: 844, 1024: 768, 1280: 720, 1920: 1080}


def settle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished the run and the map (if any) has drawn."""
    page.wait_for_selector("[data-testid=stMain] h1, [data-testid=stMain] .pk-deck-head, "
                           "[data-testid=stException]", timeout=timeout)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')"
        " && document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=timeout)
    # A map frame says data-fitted="yes" once the run that fits its view to the frame's size has drawn.
    page.wait_for_function(
        "() => [...document.querySelectorAll('[class*=st-key-pkmap_]')].every(f => f.dataset.fitted === 'yes')",
        timeout=timeout)
    page.wait_for_timeout(1500)


def problems(page) -> list[str]:
    out = []
    if page.locator("[data-testid=stException]").count():
        out.append("error box")
    if page.get_by_text("Page not found").count():
        out.append("page not found")
    if page.get_by_text("Halaman ini tidak dapat ditampilkan").count() or page.get_by_text(
            "This page could not be shown").count():
        out.append("page failed")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--lake", default=os.environ.get("PANTAU_LAKE", ""))
    ap.add_argument("--pages", default="ringkasan,peta,presentasi")
    ap.add_argument("--kota", default="14.71,16.74,63.72,64.74")
    ap.add_argument("--widths", default="390,1024,1920")
    ap.add_argument("--lang", default="id,en")
    ap.add_argument("--query", default="")
    ap.add_argument("--tab", default="", help="open this tab before the shot: its Indonesian,English names, "
                                               "e.g. Tahunan,Annual")
    ap.add_argument("--present", action="store_true", help="also shoot Presentasi screens at 1024x768 and 1280x720")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    env = {"PANTAU_TODAY": os.environ.get("PANTAU_TODAY", "2026-11-23")}
    if args.lake:
        env["PANTAU_LAKE"] = args.lake
    bad = 0
    with harness.streamlit_server(harness.ROOT / "app.py", env=env) as url, sync_playwright() as p:
        browser = harness.launch(p)
        for lang in args.lang.split(","):
            for width in [int(w) for w in args.widths.split(",")]:
                context = browser.new_context(viewport={"width": width, "height": HEIGHTS.get(width, 900)})
                page = context.new_page()
                outside: list[str] = []
                page.on("request", lambda r: None if harness.is_local(r.url) else outside.append(r.url))
                for name in args.pages.split(","):
                    for kota in args.kota.split(","):
                        query = f"kota={kota}&lang={lang}" + (f"&{args.query}" if args.query else "")
                        page.goto(f"{url}/{name}?{query}")
                        settle(page)
                        if args.tab:
                            names = args.tab.split(",")
                            tab = page.get_by_role("tab", name=names[0] if lang == "id" else names[-1])
                            if tab.count():
                                tab.first.click()
                                settle(page)
                        shot = out / f"{lang}_{width}_{name}_{kota}{'_' + args.tab.split(',')[0] if args.tab else ''}.png"
                        # Streamlit scrolls inside its main block: grow the window to the content for the shot.
                        tall = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
                        page.set_viewport_size({"width": width, "height": max(HEIGHTS.get(width, 900), min(tall, 8000))})
                        page.wait_for_timeout(800)
                        page.screenshot(path=str(shot))
                        page.set_viewport_size({"width": width, "height": HEIGHTS.get(width, 900)})
                        found = problems(page) + [f"outside: {u}" for u in outside]
                        outside.clear()
                        bad += bool(found)
                        print(f"{shot.name}: {'; '.join(found) or 'ok'}")
                context.close()
        if args.present:
            for width, height in ((1024, 768), (1280, 720)):
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                for kota in args.kota.split(","):
                    page.goto(f"{url}/presentasi?kota={kota}&lang={args.lang.split(',')[0]}")
                    settle(page)
                    page.get_by_role("button", name="Mulai").or_(page.get_by_role("button", name="Start")).first.click()
                    settle(page)
                    for i in range(8):
                        shot = out / f"present_{width}x{height}_{kota}_{i + 1}.png"
                        page.screenshot(path=str(shot))
                        print(f"{shot.name}: {'; '.join(problems(page)) or 'ok'}")
                        page.keyboard.press("ArrowRight")
                        settle(page)
                context.close()
        browser.close()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
