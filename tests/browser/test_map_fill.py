"""A map fills its frame at every width: measured from the pixels the browser drew, not from the view's numbers."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from bench import harness

SHOTS = Path("/tmp/map_fill")
HEIGHTS = {390: 844, 1024: 768, 1920: 1080}


def drawn_share(png: bytes) -> tuple[float, float]:
    """The share of the canvas's width and of its height that the drawn map spans: the bounding box of
    every pixel that is not the page's white (there is no basemap: what is not white is the kota)."""
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    ink = (pixels < 235).any(axis=2)
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if not len(rows):
        return 0.0, 0.0
    return (cols[-1] - cols[0] + 1) / ink.shape[1], (rows[-1] - rows[0] + 1) / ink.shape[0]


def test_drawn_share_reads_the_ink_of_a_picture():
    from PIL import Image

    image = Image.new("RGB", (200, 100), "white")
    image.paste((200, 80, 20), (20, 10, 120, 90))  # 100 x 80 of colour
    out = io.BytesIO()
    image.save(out, "PNG")
    assert drawn_share(out.getvalue()) == (0.5, 0.8)


def _map_canvas(browser, server: str, width: int, path: str, frame: str, shot: str):
    """Open a page at a width, wait for its map frame to be fitted and drawn, and return (page, context,
    frame, canvas, png of the canvas, requests that left the machine)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": HEIGHTS[width]})
    page = context.new_page()
    outside = []
    page.on("request", lambda r: None if harness.is_local(r.url) else outside.append(r.url))
    page.goto(f"{server}/{path}")
    box = page.locator(f".st-key-pkmap_{frame}")
    # The page fits the map once the browser has told the frame's size: the probe marks it fitted.
    expect(box).to_have_attribute("data-fitted", "yes", timeout=60_000)
    canvas = box.locator("canvas").first
    expect(canvas).to_be_visible(timeout=60_000)
    page.wait_for_timeout(1500)  # the shapes file fetched and drawn
    png = canvas.screenshot()
    (SHOTS / shot).write_bytes(png)
    return page, context, box, canvas, png, outside


@pytest.mark.parametrize("kota", ["14.71", "64.74"])
@pytest.mark.parametrize("width", list(HEIGHTS))
def test_peta_map_spans_its_frame(server, browser, width, kota):
    page, context, frame, canvas, png, outside = _map_canvas(browser, server, width, f"peta?kota={kota}", "peta",
                                                             f"peta_{kota}_{width}.png")
    across, down = drawn_share(png)
    box = canvas.bounding_box()
    frame_box = frame.bounding_box()
    assert box["width"] >= frame_box["width"] - 2  # the canvas is the frame's width
    assert max(across, down) >= 0.85, (across, down, box)
    assert across <= 1.0 and down <= 1.0
    assert page.locator("[data-testid=stException]").count() == 0
    assert outside == []
    context.close()


@pytest.mark.parametrize("width", list(HEIGHTS))
def test_the_nation_has_a_shape_that_spans_its_frame(server, browser, width):
    """Peta wilayah at the nation over the four-city demo: every province is drawn (the shipped outlines,
    grey where the lake has no data), and Indonesia spans the frame."""
    page, context, _, _, png, outside = _map_canvas(browser, server, width, "wilayah?w=&tingkat=provinsi", "wilayah",
                                                    f"wilayah_nasional_{width}.png")
    across, down = drawn_share(png)
    assert max(across, down) >= 0.85, (across, down)
    # Not four floating names: the legend counts the provinces without data, and the map is not blank.
    expect(page.get_by_text("Belum ada data")).to_be_visible()
    assert across > 0.5 and down > 0.5
    assert page.locator("[data-testid=stException]").count() == 0
    assert outside == []
    context.close()
