"""The handout's page plan, shared by the PDF and the PPTX: the boxes in inches, the type sizes measured with
matplotlib's own text metrics, and the split of a long table over pages, so what a staffer edits in
PowerPoint is what was printed."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.font_manager import FontProperties

from pantau.i18n import t
from pantau.lake import geo
from pantau.render import fmt
from pantau.views.presentasi import Slide

WIDTH_IN, HEIGHT_IN = 13.333, 7.5  # 16:9, the size PowerPoint uses


MARGIN = 0.45  # in


INK = "#111111"


GREY = "#444444"


PRIORITY = "#7B2CBF"


KECAMATAN_LINE = "#333333"


FONT = "DejaVu Sans"


TITLE_PT, HEADLINE_PT, NOTE_PT = 28, 18, 11


TABLE_PT, SIDE_TABLE_PT, TABLE_FLOOR_PT = 14, 13, 11  # a table alone, beside a map; never below the floor


LEGEND_PT, LABEL_PT = 12, 10


_RENDERER = RendererAgg(10, 10, 72)  # at 72 dpi a pixel is a point: text measured without a figure


@lru_cache(maxsize=50_000)
def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of text in points, in the handout's font."""
    if not text:
        return 0.0
    prop = FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")
    return _RENDERER.get_text_width_height_descent(text, prop, ismath=False)[0]


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """A text broken into lines no wider than `width` points: at spaces, and inside a word only when it must."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if text_width(trial, size, bold) <= width + 0.5:
                line = trial
                continue
            if line:
                lines.append(line)
            while text_width(word, size, bold) > width + 0.5 and len(word) > 1:  # a word wider than the box
                cut = max(1, max(i for i in range(1, len(word) + 1) if text_width(word[:i], size, bold) <= width)
                          if text_width(word[0], size, bold) <= width else 1)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def line_height(size: float) -> float:
    return 1.3 * size


def cell_text(value, lang: str) -> str:
    if isinstance(value, float):
        return "–" if math.isnan(value) else fmt.number(value, lang, 0 if value.is_integer() else 1)
    return str(value)


_FIGURE = re.compile(r"^([<>≥≤+−-]?\s?[\d.,]+\s?(%|poin|points?|×)?|–|-|tetap|same)$")


@dataclass
class TableLayout:
    """A table set in type: its size, column widths (points), the lines of every cell, and row heights."""

    size: float
    widths: list[float]
    header: list[list[str]]
    rows: list[list[list[str]]]
    right: list[bool]  # columns of figures, aligned right

    @property
    def pad(self) -> float:
        return 0.45 * self.size

    def height_of(self, lines: list[list[str]]) -> float:
        return max(len(c) for c in lines) * line_height(self.size) + 2 * self.pad

    @property
    def header_height(self) -> float:
        return self.height_of(self.header)

    @property
    def heights(self) -> list[float]:
        return [self.height_of(r) for r in self.rows]

    @property
    def width(self) -> float:
        return sum(self.widths)

    def rows_fitting(self, height: float) -> int:
        """How many rows, from the first, fit under the header in `height` points (at least one)."""
        used, n = self.header_height, 0
        for h in self.heights:
            if used + h > height:
                break
            used, n = used + h, n + 1
        return max(n, 1)


def table_layout(table: pd.DataFrame, lang: str, width: float, size: float = TABLE_PT,
                 floor: float = TABLE_FLOOR_PT, fill: float = 0.0) -> TableLayout:
    """Column widths from the text: the widest cell where it fits; else headers, then cells, wrap at words;
    else the type gets smaller, from `size` down to `floor` points, so no column runs past `width`; the table
    at least `fill` of `width` wide."""
    header = [str(c) for c in table.columns]
    body = [[cell_text(v, lang) for v in row] for row in table.itertuples(index=False)]
    columns = list(zip(*body)) if body else [() for _ in header]
    right = [bool(col) and all(_FIGURE.match(v) for v in col) for col in columns]
    s = size
    while True:
        pad = 2 * 0.45 * s

        def longest_word(texts, bold):
            return max((text_width(w, s, bold) for v in texts for w in v.split(" ")), default=0.0)

        full = [max(text_width(h, s, True), *(text_width(v, s) for v in col)) + pad for h, col in zip(header, columns)]
        # A header wraps before a cell does: a column is as wide as its figures, not its name.
        narrow = [max(longest_word([h], True), *(text_width(v, s) for v in col)) + pad
                  for h, col in zip(header, columns)]
        least = [max(longest_word([h], True), longest_word(col, False)) + pad for h, col in zip(header, columns)]
        if sum(full) <= width:
            widths = full
        elif sum(narrow) <= width:
            widths = [n + (f - n) * (width - sum(narrow)) / (sum(full) - sum(narrow)) for n, f in zip(narrow, full)]
        elif sum(least) <= width:  # cells wrap at words before the type gets smaller
            widths = [m + (n - m) * (width - sum(least)) / (sum(narrow) - sum(least)) for m, n in zip(least, narrow)]
        elif s > floor:
            s = max(floor, s - 1)
            continue
        else:  # words longer than the page allows: each column its share, words broken inside
            widths = [width * m / sum(least) for m in least]
        break
    if sum(widths) < fill * width:
        widths = [w * fill * width / sum(widths) for w in widths]
    pad = 2 * 0.45 * s
    return TableLayout(s, widths, [wrap(h, w - pad, s, True) for h, w in zip(header, widths)],
                       [[wrap(v, w - pad, s) for v, w in zip(row, widths)] for row in body], right)


@dataclass
class Frame:
    """A page's fixed parts in inches from the bottom left: title and headline lines, note lines, the body box."""

    title: list[str]
    headline: list[str]
    note: list[str]
    body: tuple[float, float, float, float]  # x0, y0, x1, y1


def page_frame(title: str, headline: str, note: str) -> Frame:
    inner = (WIDTH_IN - 2 * MARGIN) * 72
    title_lines = wrap(title, inner - 1.6 * 72, TITLE_PT, True)  # the DEMO mark sits at the right of the title
    headline_lines = wrap(headline, inner, HEADLINE_PT) if headline else []
    note_lines = wrap(note, inner - 0.9 * 72, NOTE_PT) if note else []  # the page number sits at its right
    top = HEIGHT_IN - 0.35 - (len(title_lines) * TITLE_PT * 1.2 + len(headline_lines) * line_height(HEADLINE_PT)) / 72
    bottom = 0.3 + len(note_lines) * line_height(NOTE_PT) / 72
    return Frame(title_lines, headline_lines, note_lines, (MARGIN, bottom + 0.2, WIDTH_IN - MARGIN, top - 0.3))


@dataclass
class Page:
    """One page of the handout: a screen, the rows of its table on this page, and what is said in one line."""

    slide: Slide
    frame: Frame
    rows: pd.DataFrame | None = None
    map_box: tuple[float, float, float, float] | None = None
    side_box: tuple[float, float, float, float] | None = None
    lines: list[str] = field(default_factory=list)  # screens with nothing to show, said on the title page
    size: float = TABLE_PT  # the type of a table alone on its page: larger when a short table leaves room

    def layout(self, lang: str) -> TableLayout:
        """This page's table set in its box."""
        if self.map_box is not None:
            x0, _, x1, _ = self.side_box
            return table_layout(self.rows, lang, (x1 - x0) * 72, SIDE_TABLE_PT)
        x0, _, x1, _ = self.frame.body
        return table_layout(self.rows, lang, (x1 - x0) * 72, self.size, fill=FULL_FILL)


def kelurahan_shapes(slide: Slide, geometry: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    kel = geometry[(geometry["tingkat"] == "kelurahan") & geometry["geometry"].notna()]
    kel = kel[kel["kode"].isin(set(slide.model.frame["kode"]))]
    return kel, geo.shapes(kel["geometry"])


def _aspect(bounds) -> float:
    """Width over height of a lon/lat box as drawn (a degree of longitude is shorter away from the equator)."""
    minx, miny, maxx, maxy = bounds
    return ((maxx - minx) * math.cos(math.radians((miny + maxy) / 2)) or 1e-3) / ((maxy - miny) or 1e-3)


def _split_body(slide: Slide, geometry: pd.DataFrame, body) -> tuple[tuple, tuple]:
    """The map's box (as wide as its shape asks, within limits) and the column beside it."""
    x0, y0, x1, y1 = body
    kel, shapes = kelurahan_shapes(slide, geometry)
    aspect = _aspect(shapely.union_all(shapes).bounds) if len(shapes) else 1.0
    width = min(max((y1 - y0) * aspect, 0.45 * (x1 - x0)), 0.62 * (x1 - x0))
    return (x0, y0, x0 + width, y1), (x0 + width + 0.3, y0, x1, y1)


def legend_items(slide: Slide, lang: str) -> list[dict]:
    items = [dict(i, label=f"{i['label']}  ({fmt.number(i['count'], lang)})", hatch=i["label"].startswith("⚠"))
             for i in slide.model.legend]
    if slide.outlined:
        items.append({"color": "none", "edge": PRIORITY, "label": t("prioritas.outline", lang)})
    items.append({"line": KECAMATAN_LINE, "label": t("deck.kecamatan_line", lang)})
    return items


LEGEND_ROW = 0.3  # in


def legend_height(slide: Slide, lang: str) -> float:
    return len(legend_items(slide, lang)) * LEGEND_ROW


FULL_FILL = 0.7  # a table alone on a page spans at least this much of it


LARGEST_TABLE_PT = 20


def _alone_size(table: pd.DataFrame, lang: str, width: float, height: float) -> float:
    """The largest type (20 pt down to 14) at which a table alone on a page fits it whole, without shrinking."""
    for size in range(LARGEST_TABLE_PT, TABLE_PT, -1):
        layout = table_layout(table, lang, width, size, floor=size, fill=FULL_FILL)
        if layout.width <= width + 0.5 and layout.header_height + sum(layout.heights) <= height:
            return float(size)
    return float(TABLE_PT)


def plan(slides: list[Slide], geometry: pd.DataFrame, lang: str) -> list[Page]:
    """The handout's pages: a screen with nothing to show has no page (the title page says so in one line),
    and a table longer than its box goes on to a next page titled "(lanjutan)"."""
    pages: list[Page] = []
    empty: list[str] = []
    for slide in slides:
        table = slide.table if slide.table is not None and not slide.table.empty else None
        if slide.topic != "judul" and slide.model is None and table is None:
            empty.append(t("deck.omitted", lang, title=slide.title, reason=slide.headline))
            continue
        frame = page_frame(slide.title, slide.headline, slide.note)
        if slide.topic == "judul":
            pages.append(Page(slide, frame))
            continue
        rest = table
        if slide.model is not None:
            map_box, side = _split_body(slide, geometry, frame.body)
            rows = None
            if table is not None:
                room = (side[3] - side[1] - legend_height(slide, lang) - 0.3) * 72
                layout = table_layout(table, lang, (side[2] - side[0]) * 72, SIDE_TABLE_PT)
                n = layout.rows_fitting(room) if room > layout.header_height + layout.heights[0] else 0
                rows, rest = (table.iloc[:n], table.iloc[n:]) if n else (None, table)
            pages.append(Page(slide, frame, rows, map_box, side))
        while rest is not None and len(rest):
            continued = bool(pages) and pages[-1].slide is slide
            title = f"{slide.title} ({t('deck.continued', lang)})" if continued else slide.title
            frame = page_frame(title, "" if continued else slide.headline, slide.note)
            x0, y0, x1, y1 = frame.body
            size = _alone_size(rest, lang, (x1 - x0) * 72, (y1 - y0) * 72)
            n = table_layout(rest, lang, (x1 - x0) * 72, size, fill=FULL_FILL).rows_fitting((y1 - y0) * 72)
            pages.append(Page(slide, frame, rest.iloc[:n], size=size))
            rest = rest.iloc[n:]
    if empty:
        first = next((p for p in pages if p.slide.topic == "judul"), pages[0] if pages else None)
        if first is not None:
            first.lines = empty
    return pages


def tile_boxes(n: int, body) -> list[tuple[float, float, float, float]]:
    """Headline number tiles in a grid of at most three a row (two rows of two for four)."""
    x0, y0, x1, y1 = body
    per_row = n if n <= 3 else 2 if n == 4 else 3
    rows = math.ceil(n / per_row) if n else 0
    gap, height = 0.3, min(1.9, (y1 - y0 - 0.9 - (rows - 1) * 0.3) / max(rows, 1))
    width = (x1 - x0 - (per_row - 1) * gap) / max(per_row, 1)
    return [(x0 + (i % per_row) * (width + gap), y1 - (i // per_row + 1) * height - (i // per_row) * gap,
             x0 + (i % per_row) * (width + gap) + width, y1 - (i // per_row) * height - (i // per_row) * gap)
            for i in range(n)]


def tile_value_size(slide: Slide, width_in: float) -> float:
    """The one size of every headline number, as large as the widest lets it be (at most 40 pt)."""
    widest = max((text_width(v, 40, True) for _, v, _ in slide.tiles), default=1.0)
    return max(20.0, min(40.0, 40 * (width_in * 72 - 30) / max(widest, 1.0)))


def deck_title(slides: list[Slide]) -> str:
    return next((s.title for s in slides if s.topic == "judul"), slides[0].title if slides else "Pantau Kota")
