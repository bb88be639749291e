"""Every Presentasi screen fits a projector: no scrolling, nothing cut, large type, the map filling its area."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench import harness

APP = harness.ROOT / "app.py"
SHOTS = Path("/tmp/present_fit")
SIZES = [(1024, 768), (1280, 720), (1920, 1080)]
KOTA = {"64.74": 8, "14.71": 7}  # Bontang, Pekanbaru: screens in the default deck

MEASURE = """() => {
  const vw = innerWidth, vh = innerHeight;
  const box = e => e ? e.getBoundingClientRect() : null;
  const scrollers = [document.scrollingElement, ...document.querySelectorAll(
      '[data-testid=stMain], [data-testid=stAppViewContainer], [data-testid=stMainBlockContainer]')];
  const scroll = scrollers.filter(Boolean).map(e => ({
      name: e.dataset.testid || e.tagName, sh: e.scrollHeight, sw: e.scrollWidth}));
  const size = sel => [...document.querySelectorAll(sel)].map(e => parseFloat(getComputedStyle(e).fontSize));
  // What a slide draws, and where it ends: nothing past the viewport, under the control row or
  // past the column beside the map (which hides what does not fit).
  const bar = document.querySelector('.st-key-deck_bar');
  const floor = bar ? box(bar).top : vh;
  const drawn = [...document.querySelectorAll(
      '.pk-deck-title, .pk-deck-head, .pk-deck-table, .pk-deck-table tr, .pk-deck-tiles, .pk-deck-note,'
      + ' .pk-legend, [data-testid=stDeckGlJsonChart]')]
      .map(e => ({cls: e.className || e.tagName, r: box(e), side: e.closest('.st-key-deck_side')}))
      .filter(d => d.r.width > 0 && (d.r.bottom > (d.side ? box(d.side).bottom : floor) + 1 || d.r.right > vw + 1 || d.r.left < -1 || d.r.top < -1))
      .map(d => `${d.cls} ${Math.round(d.r.left)},${Math.round(d.r.top)}-${Math.round(d.r.right)},${Math.round(d.r.bottom)}`);
  const area = document.querySelector('.st-key-deck_map');
  const canvas = area && area.querySelector('canvas');
  const keys = box(document.querySelector('.st-key-deck_keys'));
  const shownButtons = bar ? [...bar.querySelectorAll('button')].filter(b => b.getBoundingClientRect().width > 2)
      .map(b => b.innerText.trim()) : [];
  return {vw, vh, scroll, cut: drawn, title: size('.pk-deck-title'), head: size('.pk-deck-head'),
          cells: size('.pk-deck-table td, .pk-deck-table th'),
          area: area && box(area).height, canvas: canvas && box(canvas).height,
          bar: bar && box(bar).height, buttons: shownButtons, keys: keys && [keys.width, keys.height]};
}"""


@pytest.mark.parametrize("kota", list(KOTA))
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_fits_the_projector(server, browser, size, kota):
    width, height = size
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    outside = []  # every request that would leave this machine
    pg.on("request", lambda r: None if harness.is_local(r.url) else outside.append(r.url))
    pg.goto(f"{server}/presentasi?kota={kota}")
    expect(pg.get_by_role("heading", name="Presentasi", exact=True)).to_be_visible(timeout=60_000)
    pg.get_by_role("button", name="Mulai presentasi").click()
    n = KOTA[kota]
    problems = []
    for i in range(1, n + 1):
        expect(pg.get_by_text(f"{i} / {n}", exact=True)).to_be_visible(timeout=60_000)
        has_map = 2 <= i <= 5  # the four indicator screens
        if has_map:
            expect(pg.locator(".st-key-deck_map canvas").first).to_be_visible(timeout=60_000)
        pg.wait_for_timeout(900 if has_map else 300)
        m = pg.evaluate(MEASURE)
        pg.screenshot(path=str(SHOTS / f"{kota}_{width}x{height}_{i:02d}.png"))
        where = f"{width}x{height} screen {i}"
        for s in m["scroll"]:
            if s["sh"] > height + 1 or s["sw"] > width + 1:
                problems.append(f"{where}: {s['name']} scrolls ({s['sw']}x{s['sh']})")
        if m["cut"]:
            problems.append(f"{where}: cut {m['cut']}")
        if width == 1024:
            if min(m["title"] + m["head"], default=0) < 32:
                problems.append(f"{where}: headline type {m['title']} {m['head']}")
            if m["cells"] and min(m["cells"]) < 18:
                problems.append(f"{where}: table type {min(m['cells'])}")
        if has_map and not (m["area"] and m["area"] >= 0.6 * height and m["canvas"] >= 0.9 * m["area"]):
            problems.append(f"{where}: map canvas {m['canvas']} of area {m['area']}")
        # One slim row of controls, with no slide-number buttons doubled by their key hints.
        if m["bar"] is None or m["bar"] > 56:
            problems.append(f"{where}: control row {m['bar']} px")
        if any(b.isdigit() for b in m["buttons"]) or not m["keys"] or max(m["keys"]) > 1:
            problems.append(f"{where}: number buttons shown {m['buttons']} {m['keys']}")
        pg.keyboard.press("PageDown" if i % 2 else "ArrowRight")
    # The keys still move and jump: a number, the left arrow, PageUp, Esc.
    pg.keyboard.press("3")
    expect(pg.get_by_text(f"3 / {n}", exact=True)).to_be_visible(timeout=30_000)
    pg.keyboard.press("ArrowLeft")
    expect(pg.get_by_text(f"2 / {n}", exact=True)).to_be_visible(timeout=30_000)
    pg.keyboard.press("PageUp")
    expect(pg.get_by_text(f"1 / {n}", exact=True)).to_be_visible(timeout=30_000)
    pg.keyboard.press("Escape")
    expect(pg.get_by_role("button", name="Mulai presentasi")).to_be_visible(timeout=30_000)
    assert pg.locator("[data-testid=stException]").count() == 0
    assert outside == []
    context.close()
    assert problems == []


def test_a_long_table_stops_at_the_rows_that_fit_and_says_how_many_more():
    import pandas as pd

    from pantau.views import presentasi

    table = pd.DataFrame({"Kelurahan": [f"Kel {n}" for n in range(20)], "Jumlah": range(20)})
    out = presentasi.table_html(table, "id", 8)
    assert out.count("<tr>") == 1 + 7 and "Kel 6" in out and "Kel 7" not in out
    assert '<tr class="pk-deck-more"><td colspan="2">… dan 13 lainnya</td></tr>' in out
    assert "… and 13 more" in presentasi.table_html(table, "en", 8)
    assert "pk-deck-more" not in presentasi.table_html(table.head(8), "id", 8)  # eight rows fit eight places
