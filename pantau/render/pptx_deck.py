"""The handout as PowerPoint: every page of the plan (`handout_plan.plan`) as a 16:9 slide whose text, tables,
legends and charts are PowerPoint's own objects a staffer can edit; only the map is a picture (`slides.map_picture`)."""

from __future__ import annotations

import io

import pandas as pd

from pantau.i18n import t
from pantau.render.handout_plan import (
    HEADLINE_PT,
    HEIGHT_IN,
    LEGEND_PT,
    LEGEND_ROW,
    MARGIN,
    NOTE_PT,
    TITLE_PT,
    WIDTH_IN,
    Page,
    TableLayout,
    cell_text,
    deck_title,
    legend_height,
    legend_items,
    line_height,
    plan,
    tile_boxes,
    tile_value_size,
)
from pantau.render.slides import map_picture
from pantau.views.presentasi import Slide


def _inches(value: float):
    from pptx.util import Emu

    return Emu(int(round(value * 914400)))


def _textbox(slide, x: float, top: float, width: float, height: float, lines, size: float, color: str = "222222",
             bold: bool = False, align=None, anchor=None):
    """A PowerPoint text box at (x, top) inches from the top left, one paragraph per line given."""
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    box = slide.shapes.add_textbox(_inches(x), _inches(top), _inches(width), _inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    if anchor is not None:
        frame.vertical_anchor = anchor
    for i, line in enumerate([lines] if isinstance(lines, str) else lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        run = paragraph.add_run()
        run.text = line
        run.font.size, run.font.bold = Pt(size), bold
        run.font.color.rgb = RGBColor.from_string(color)
    return box


def _pptx_frame(slide, page: Page, number: int, total: int, demo: bool) -> None:
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    f = page.frame
    title = slide.shapes.title
    title.left, title.top = _inches(MARGIN), _inches(0.35)
    title.width, title.height = _inches(WIDTH_IN - 2 * MARGIN - 1.6), _inches(len(f.title) * TITLE_PT * 1.2 / 72)
    title.text = " ".join(f.title)
    title.text_frame.margin_left = title.text_frame.margin_right = 0
    title.text_frame.margin_top = title.text_frame.margin_bottom = 0
    paragraph = title.text_frame.paragraphs[0]
    paragraph.alignment = PP_ALIGN.LEFT
    paragraph.font.size, paragraph.font.bold = Pt(TITLE_PT), True
    top = 0.35 + len(f.title) * TITLE_PT * 1.2 / 72
    if f.headline:
        _textbox(slide, MARGIN, top, WIDTH_IN - 2 * MARGIN, len(f.headline) * line_height(HEADLINE_PT) / 72,
                 " ".join(f.headline), HEADLINE_PT)
    if f.note:
        height = len(f.note) * line_height(NOTE_PT) / 72
        _textbox(slide, MARGIN, HEIGHT_IN - 0.3 - height, WIDTH_IN - 2 * MARGIN - 0.9, height, " ".join(f.note),
                 NOTE_PT, "444444")
    _textbox(slide, WIDTH_IN - MARGIN - 0.9, HEIGHT_IN - 0.3 - line_height(NOTE_PT) / 72, 0.9,
             line_height(NOTE_PT) / 72, f"{number} / {total}", NOTE_PT, "444444", align=PP_ALIGN.RIGHT)
    if demo:
        _textbox(slide, WIDTH_IN - MARGIN - 1.4, 0.35, 1.4, 0.45, "DEMO", 22, "C00000", bold=True, align=PP_ALIGN.RIGHT)


def _pptx_tiles(slide, page: Page) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Pt

    boxes = tile_boxes(len(page.slide.tiles), page.frame.body)
    size = tile_value_size(page.slide, boxes[0][2] - boxes[0][0]) if boxes else 40
    for (label, value, detail), (x0, y0, x1, y1) in zip(page.slide.tiles, boxes):
        shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, _inches(x0), _inches(HEIGHT_IN - y1),
                                       _inches(x1 - x0), _inches(y1 - y0))
        shape.adjustments[0] = 0.06
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor.from_string("F3F4F6")
        shape.line.color.rgb = RGBColor.from_string("D0D4D9")
        frame = shape.text_frame
        frame.word_wrap = True
        frame.margin_left = frame.margin_right = _inches(0.2)
        for i, (text, pt, bold) in enumerate([(label, 18, False), (value, size, True), (detail, 18, False)]):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = text
            run.font.size, run.font.bold = Pt(pt), bold
            run.font.color.rgb = RGBColor.from_string("111111" if bold else "333333")
    bottom = min((b[1] for b in boxes), default=page.frame.body[3])
    if page.lines:
        _textbox(slide, MARGIN, HEIGHT_IN - bottom + 0.35, WIDTH_IN - 2 * MARGIN, 0.3 * len(page.lines) + 0.3,
                 page.lines, 13, "444444")


def _pptx_legend(slide, items: list[dict], x: float, top: float) -> None:
    from pptx.dml.color import RGBColor
    from pptx.enum.dml import MSO_PATTERN
    from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
    from pptx.enum.text import MSO_ANCHOR
    from pptx.util import Pt

    for i, item in enumerate(items):
        y = HEIGHT_IN - top + i * LEGEND_ROW
        if "line" in item:
            line = slide.shapes.add_connector(MSO_CONNECTOR.STRAIGHT, _inches(x), _inches(y + 0.13),
                                              _inches(x + 0.3), _inches(y + 0.13))
            line.line.color.rgb = RGBColor.from_string(item["line"].lstrip("#"))
            line.line.width = Pt(1.6)
        else:
            box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, _inches(x), _inches(y + 0.04), _inches(0.3),
                                         _inches(0.18))
            if item.get("hatch"):
                box.fill.patterned()
                box.fill.pattern = MSO_PATTERN.WIDE_UPWARD_DIAGONAL
                box.fill.fore_color.rgb = RGBColor.from_string("000000")
                box.fill.back_color.rgb = RGBColor.from_string("FFFFFF")
            elif item["color"] == "none":
                box.fill.background()
            else:
                box.fill.solid()
                box.fill.fore_color.rgb = RGBColor.from_string(item["color"].lstrip("#")[:6])
            box.line.color.rgb = RGBColor.from_string(item.get("edge", "#555555").lstrip("#"))
            box.line.width = Pt(2.5 if "edge" in item else 0.6)
        _textbox(slide, x + 0.42, y, 5.0, 0.26, item["label"], LEGEND_PT, "111111", anchor=MSO_ANCHOR.MIDDLE)


def _pptx_table(slide, layout: TableLayout, table: pd.DataFrame, lang: str, x: float, top: float):
    """A native PowerPoint table with the handout's column widths and type size."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Pt

    rows = len(layout.rows) + 1
    shape = slide.shapes.add_table(rows, len(layout.widths), _inches(x), _inches(HEIGHT_IN - top),
                                   _inches(layout.width / 72), _inches((layout.header_height + sum(layout.heights)) / 72))
    grid = shape.table
    grid.first_row, grid.horz_banding = True, False
    for j, width in enumerate(layout.widths):
        grid.columns[j].width = _inches(width / 72)
    grid.rows[0].height = _inches(layout.header_height / 72)
    for i, h in enumerate(layout.heights, 1):
        grid.rows[i].height = _inches(h / 72)
    texts = [[str(c) for c in table.columns]] + [[cell_text(v, lang) for v in row] for row in table.itertuples(index=False)]
    for i, values in enumerate(texts):
        for j, value in enumerate(values):
            cell = grid.cell(i, j)
            cell.margin_left = cell.margin_right = _inches(layout.pad / 72)
            cell.margin_top = cell.margin_bottom = _inches(layout.pad / 72 / 2)
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor.from_string("E9ECEF" if i == 0 else "FFFFFF" if i % 2 else "F6F7F8")
            cell.text = value
            paragraph = cell.text_frame.paragraphs[0]
            paragraph.alignment = PP_ALIGN.RIGHT if layout.right[j] else PP_ALIGN.LEFT
            paragraph.font.size, paragraph.font.bold = Pt(layout.size), i == 0
            paragraph.font.color.rgb = RGBColor.from_string("111111")
    return shape


def pptx_bytes(slides: list[Slide], geometry: pd.DataFrame, lang: str, demo: bool) -> bytes:
    """Every page of the handout as a 16:9 PowerPoint slide: text, tables and legends as PowerPoint's own
    objects a staffer can edit before the meeting; the map a picture at print resolution."""
    from pptx import Presentation

    deck = Presentation()
    deck.slide_width, deck.slide_height = 12192000, 6858000  # exactly 16:9
    props = deck.core_properties
    props.title, props.author, props.subject = deck_title(slides), "Pantau Kota", t("deck.subject", lang)
    props.last_modified_by = "Pantau Kota"
    pages = plan(slides, geometry, lang)
    for number, page in enumerate(pages, 1):
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        _pptx_frame(slide, page, number, len(pages), demo)
        screen = page.slide
        if screen.topic == "judul":
            _pptx_tiles(slide, page)
        elif page.map_box is not None:
            x0, y0, x1, y1 = page.map_box
            slide.shapes.add_picture(io.BytesIO(map_picture(page, geometry)), _inches(x0), _inches(HEIGHT_IN - y1),
                                     _inches(x1 - x0), _inches(y1 - y0))
            sx0, sy0, sx1, sy1 = page.side_box
            _pptx_legend(slide, legend_items(screen, lang), sx0, sy1)
            if page.rows is not None:
                _pptx_table(slide, page.layout(lang), page.rows, lang, sx0, sy1 - legend_height(screen, lang) - 0.3)
        elif page.rows is not None:
            _pptx_table(slide, page.layout(lang), page.rows, lang, page.frame.body[0], page.frame.body[3])
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
