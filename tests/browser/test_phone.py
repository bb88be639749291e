"""A phone (390 px): every page reads without sideways scrolling, in Indonesian and English. A table may
scroll inside its own frame (Streamlit's grid does); the page itself, and any text, chart or list, may not
run past the screen's edge."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bench import harness

PAGES = ["ringkasan", "peta", "wilayah", "tren", "rekonsiliasi", "drainase", "prioritas", "tindak_lanjut",
         "presentasi", "data", "audit"]

# Elements that lie past the right edge of the screen, other than inside a grid that scrolls on its own.
OVERFLOW = """() => {
  const limit = document.documentElement.clientWidth + 1;
  const main = document.querySelector('[data-testid=stMain]');
  const out = [];
  for (const el of main.querySelectorAll('*')) {
    if (el.closest('[data-testid=stDataFrame], [data-testid=stDataFrameResizable], [data-testid=stTable], .stTabs [role=tablist]')) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.position === 'absolute' && r.width <= 1) continue;
    if (r.right > limit) out.push((el.getAttribute('data-testid') || el.tagName) + ' ' + Math.round(r.right)
                                  + ' ' + (el.textContent || '').trim().slice(0, 40));
  }
  return {scroll: main.scrollWidth - main.clientWidth, past: out.slice(0, 5)};
}"""


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("name", PAGES)
def test_every_page_reads_on_a_phone_without_sideways_scrolling(server, browser, name, lang):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    outside = []
    page.on("request", lambda r: None if harness.is_local(r.url) else outside.append(r.url))
    page.goto(f"{server}/{name}?kota=14.71&lang={lang}")
    page.locator("h1").first.wait_for(state="visible", timeout=60_000)
    for _ in range(2):  # a first visit reruns once (app.py, the map frame's size)
        page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
        page.wait_for_timeout(1200)
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= 1 and found["past"] == [], found
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    assert outside == []
    context.close()


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_rakor_in_presenter_mode_keeps_every_control_and_word_on_a_phone(server, browser, lang):
    """A camat following the rakor on a phone: back, next, PNG and Selesai all on screen (the bar does not wrap
    and hides what runs past the edge), the title screen's tiles wide enough that no word spills out, and a
    map's legend and table under the map, inside the screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{server}/presentasi?kota=14.71&lang={lang}")
    page.locator(".st-key-b_deck_start button").click(timeout=60_000)
    page.locator(".st-key-b_deck_stop button").wait_for(state="visible", timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
    page.wait_for_timeout(1200)
    spilled = page.evaluate("""() => [...document.querySelectorAll('.pk-deck-tile *')]
        .filter(el => el.scrollWidth > el.clientWidth + 1).map(el => el.textContent.trim())""")
    assert spilled == [], spilled
    for screen in ("title", "map"):  # a map's screen has a PNG button too
        edges = page.evaluate("""() => [...document.querySelectorAll('.st-key-deck_bar button')]
            .map(b => Math.round(b.getBoundingClientRect().right))""")
        assert len(edges) >= (3 if screen == "title" else 4) and max(edges) <= 390, (screen, edges)
        if screen == "map":  # the map above its legend and table, not squeezed beside them past the edge
            side = page.locator(".st-key-deck_side").bounding_box()
            assert side["x"] >= 0 and side["x"] + side["width"] <= 391, side
        page.locator(".st-key-b_deck_next button").click()
        page.wait_for_timeout(500)
        page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
        page.wait_for_timeout(1200)
    expect(page.locator("[data-testid=stException]")).to_have_count(0)
    context.close()
