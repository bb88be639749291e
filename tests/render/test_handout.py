"""The handout: labels that never overlap, kecamatan outlines made of the fills, tables that fit the page."""

from __future__ import annotations

import datetime as dt
import io

import matplotlib.pyplot as plt
import pandas as pd
import pytest
import shapely
from pptx import Presentation

from pantau.lake import geo
from pantau.render import handout_plan, labels, pptx_deck, slides
from pantau.views import presentasi

TODAY = dt.date(2026, 11, 23)
KOTA = {"14.71": "Kota Pekanbaru", "64.74": "Kota Bontang"}


def test_label_order_puts_selected_priority_flagged_then_worst_then_largest():
    frame = pd.DataFrame({"kode": ["a", "b", "c", "d", "e", "f"], "kelas": [0, 3, 1, -1, 3, 0],
                          "area": [9.0, 1.0, 5.0, 8.0, 2.0, 1.0]})
    assert labels.label_order(frame, "f", ["c"], ["d"]) == ["f", "c", "d", "e", "b", "a"]
    assert labels.label_order(frame) == ["e", "b", "c", "a", "f", "d"]
    assert labels.overlaps((0, 0, 2, 2), [(1, 1, 3, 3)]) and not labels.overlaps((0, 0, 1, 1), [(1, 0, 2, 1)])


@pytest.fixture(scope="module", params=sorted(KOTA))
def deck(request, demo_run):
    o = presentasi.DeckOptions(request.param, KOTA[request.param], "2026-10", "lapangan", "2026-07", demo=True)
    return presentasi.build(demo_run, o, TODAY), demo_run("geometry_by_kota", kota_kode=request.param)


def test_kecamatan_outlines_are_the_union_of_the_fills(deck):
    _, geometry = deck
    kel = geometry[geometry["tingkat"] == "kelurahan"]
    shapes = geo.shapes(kel["geometry"])
    outlines = geo.kecamatan_outlines(kel["parent_kode"], shapes)
    fills = shapely.union_all(shapes)
    union = shapely.union_all(list(outlines.values()))
    assert shapely.symmetric_difference(fills, union).area < 1e-4 * fills.area
    assert set(outlines) == set(kel["parent_kode"])


def test_every_page_keeps_its_text_inside_no_label_overlaps_and_tables_are_readable(deck):
    screens, geometry = deck
    pages = handout_plan.plan(screens, geometry, "id")
    for page, fig in zip(pages, slides.figures(screens, geometry, "id", True)):
        renderer = fig.canvas.get_renderer()
        inside = fig.bbox
        boxes = []
        for text in fig.findobj(plt.Text):
            if not text.get_text() or not text.get_visible():
                continue
            box = text.get_window_extent(renderer)
            assert inside.x0 - 1 <= box.x0 and box.x1 <= inside.x1 + 1 and inside.y0 - 1 <= box.y0, text.get_text()
            assert box.y1 <= inside.y1 + 1, text.get_text()
            if text.get_gid() == "table":
                assert text.get_fontsize() >= 11
            if (text.get_gid() or "").startswith("label:"):
                boxes.append((text.get_gid(), box))
        for i, (a, box) in enumerate(boxes):
            for b, other in boxes[i + 1:]:
                assert not box.overlaps(other), (a, b)
        if page.map_box is not None:
            drawn = {g.split(":", 1)[1] for g, _ in boxes}
            assert set(page.slide.outlined) <= drawn  # the priority kelurahan are always named
        plt.close(fig)


def test_the_pptx_has_native_tables_text_numbers_and_its_title(deck):
    screens, geometry = deck
    pptx = Presentation(io.BytesIO(pptx_deck.pptx_bytes(screens, geometry, "en", True)))
    assert pptx.core_properties.title == screens[0].title and pptx.core_properties.author == "Pantau Kota"
    for page in pptx.slides:
        tables = [s for s in page.shapes if s.has_table]
        for table in tables:
            assert all(cell.text_frame.paragraphs[0].font.size.pt >= 11
                       for row in table.table.rows for cell in row.cells if cell.text)


def test_a_map_png_without_a_table_says_no_no_data(demo_run):
    screens = presentasi.build(demo_run, presentasi.DeckOptions("64.74", "Kota Bontang", "2026-10", "lapangan",
                                                                "2026-07", topics=("indikator",)), TODAY)
    geometry = demo_run("geometry_by_kota", kota_kode="64.74")
    screen = presentasi.Slide("indikator", screens[0].title, "", screens[0].note, model=screens[0].model)
    fig = slides.figure(screen, geometry, "id")
    assert "Tidak ada data" not in " ".join(t.get_text() for t in fig.findobj(plt.Text))
    plt.close(fig)
