"""The deck drawn offline as a handout: each screen as a 16:9 page of a PDF, a PowerPoint slide or a PNG.

Maps are drawn from the lake's own boundaries with matplotlib (no tiles, no browser), so an export works in
a hall with no internet. The PDF and the PPTX share one page plan (`plan`): the same boxes in inches, the
same type sizes and the same split of a long table, so what a staffer edits in PowerPoint is what was printed.
In the PPTX the text, tables, legends and charts are PowerPoint's own objects; only the map is a picture.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import matplotlib
import matplotlib.patheffects

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402
from matplotlib.backends.backend_agg import RendererAgg  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.patches import FancyBboxPatch, PathPatch, Rectangle  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

from pantau.domain.classes import FLAGGED_COLOR, MISSING_COLOR  # noqa: E402
from pantau.i18n import t  # noqa: E402
from pantau.lake import geo  # noqa: E402
from pantau.render import fmt  # noqa: E402
from pantau.render.labels import label_order, overlaps  # noqa: E402
from pantau.views.presentasi import Slide  # noqa: E402

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
MAP_DPI = 200  # the map picture in the PPTX, for print
PNG_DPI = 150
plt.rcParams.update({"font.family": FONT, "font.size": 14, "svg.fonttype": "none", "pdf.fonttype": 42})

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


def _cell(value, lang: str) -> str:
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
    body = [[_cell(v, lang) for v in row] for row in table.itertuples(index=False)]
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


def _kelurahan(slide: Slide, geometry: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
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
    kel, shapes = _kelurahan(slide, geometry)
    aspect = _aspect(shapely.union_all(shapes).bounds) if len(shapes) else 1.0
    width = min(max((y1 - y0) * aspect, 0.45 * (x1 - x0)), 0.62 * (x1 - x0))
    return (x0, y0, x0 + width, y1), (x0 + width + 0.3, y0, x1, y1)


def _legend_items(slide: Slide, lang: str) -> list[dict]:
    items = [dict(i, label=f"{i['label']}  ({fmt.number(i['count'], lang)})", hatch=i["label"].startswith("⚠"))
             for i in slide.model.legend]
    if slide.outlined:
        items.append({"color": "none", "edge": PRIORITY, "label": t("prioritas.outline", lang)})
    items.append({"line": KECAMATAN_LINE, "label": t("deck.kecamatan_line", lang)})
    return items


LEGEND_ROW = 0.3  # in


def _legend_height(slide: Slide, lang: str) -> float:
    return len(_legend_items(slide, lang)) * LEGEND_ROW


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
                room = (side[3] - side[1] - _legend_height(slide, lang) - 0.3) * 72
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


def _patch(geometry, **style) -> PathPatch | None:
    """A polygon or multipolygon (with holes) as one matplotlib patch."""
    if geometry is None or geometry.is_empty:
        return None
    vertices, codes = [], []
    for polygon in getattr(geometry, "geoms", [geometry]):
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = np.asarray(ring.coords)
            vertices.append(xy)
            codes.append([MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY])
    return PathPatch(MplPath(np.concatenate(vertices), np.concatenate(codes)), **style)


def kecamatan_outlines(parents, shapes) -> dict:
    """Each kecamatan's outline as the union of the kelurahan drawn under it, so the line sits on the fills.

    Slivers between neighbouring kelurahan (a few m² where two surveys disagree) are no hole of a kecamatan."""
    shapes = np.asarray(shapes, dtype=object)
    parents = np.asarray(list(parents), dtype=object)
    if not len(shapes):
        return {}
    smallest = float(np.min(shapely.area(shapes)))
    outlines = {}
    for parent in dict.fromkeys(parents):
        union = shapely.union_all(shapes[parents == parent])
        polygons = [shapely.Polygon(p.exterior, [r for r in p.interiors if shapely.Polygon(r).area > 0.1 * smallest])
                    for p in getattr(union, "geoms", [union]) if isinstance(p, shapely.Polygon)]
        outlines[parent] = shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0]
    return outlines


def _table_kodes(slide: Slide) -> list[str]:
    """The kelurahan the screen's table names, so their names are on the map too."""
    if slide.table is None or slide.table.empty:
        return []
    column = t("pcol.kelurahan", "id"), t("pcol.kelurahan", "en")
    names = set()
    for c in slide.table.columns:
        if c in column:
            names |= set(slide.table[c])
    return slide.model.frame.loc[slide.model.frame["nama"].isin(names), "kode"].tolist()


HALO = [matplotlib.patheffects.withStroke(linewidth=3, foreground="white")]


def draw_map(ax, slide: Slide, geometry: pd.DataFrame, label_size: float = LABEL_PT,
             selected: str | None = None) -> list:
    """The slide's choropleth on an axis (classes, kecamatan outlines, priority outlines) and the names that fit;
    returns the name texts drawn (gid "label:<kode>"), none of them over another."""
    model = slide.model
    kel, shapes = _kelurahan(slide, geometry)
    kelas = dict(zip(model.frame["kode"], model.classes))
    for kode, shape in zip(kel["kode"], shapes):
        k = kelas.get(kode, -1)
        face = model.colors[k] if k >= 0 else FLAGGED_COLOR if k == -2 else MISSING_COLOR
        patch = _patch(shape, facecolor=face, edgecolor="white", linewidth=0.6)
        if patch is not None:
            ax.add_patch(patch)
    for outline in kecamatan_outlines(kel["parent_kode"], shapes).values():
        ax.add_patch(_patch(outline, facecolor="none", edgecolor=KECAMATAN_LINE, linewidth=1.6, joinstyle="round"))
    flagged = set(model.frame.loc[model.frame["ditandai"].astype(bool), "kode"]) if "ditandai" in model.frame else set()
    outlined = set(slide.outlined)
    for kode, shape in zip(kel["kode"], shapes):
        if kode in outlined:
            ax.add_patch(_patch(shape, facecolor="none", edgecolor=PRIORITY, linewidth=2.8, joinstyle="round"))
        if kode in flagged:  # a figure that cannot be true: hatched, as on the web map's black outline
            ax.add_patch(_patch(shape, facecolor="none", edgecolor="black", linewidth=1.6, hatch="////"))
    if slide.points is not None and len(slide.points):
        fill = np.array(slide.points["warna"].tolist(), dtype=float)[:, :3] / 255
        edge = np.array(slide.points["garis"].tolist(), dtype=float)[:, :3] / 255
        ax.scatter(slide.points["lon"], slide.points["lat"], s=18, c=fill, edgecolors=edge, linewidths=1.0, zorder=3)
    ax.set_axis_off()
    if not len(shapes):
        return []
    minx, miny, maxx, maxy = shapely.union_all(shapes).bounds
    pad = 0.02 * max(maxx - minx, maxy - miny)
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect(1 / math.cos(math.radians((miny + maxy) / 2)))
    return _place_labels(ax, slide, kel, shapes, flagged, selected, label_size)


def _place_labels(ax, slide, kel, shapes, flagged, selected, size) -> list:
    """Names by `labels.label_order`, each where its box is free; one that finds no room is not drawn."""
    model = slide.model
    ax.apply_aspect()
    renderer = ax.figure.canvas.get_renderer()
    frame = pd.DataFrame({"kode": kel["kode"].to_numpy(), "area": shapely.area(shapes),
                          "kelas": [dict(zip(model.frame["kode"], model.classes)).get(k, -1) for k in kel["kode"]]})
    by_kode = dict(zip(kel["kode"], shapes))
    names = dict(zip(model.frame["kode"], model.frame["nama"]))
    must = {selected, *slide.outlined, *flagged} - {None}
    inside = ax.get_window_extent(renderer)
    placed, boxes = [], []
    halo = 2.0 * ax.figure.dpi / 72  # the white stroke around the letters
    for kode in label_order(frame, selected, slide.outlined, flagged, also=_table_kodes(slide)):
        shape = by_kode[kode]
        anchor = shapely.point_on_surface(shape)
        name = f"⚠ {names.get(kode, '')}" if kode in flagged else names.get(kode, "")
        text = ax.text(anchor.x, anchor.y, name, ha="center", va="center", fontsize=size, color=INK,
                       fontweight="bold", path_effects=HALO, gid=f"label:{kode}", zorder=5)
        box = text.get_window_extent(renderer)
        w, h = box.width, box.height
        ax_x, ax_y = ax.transData.transform((anchor.x, anchor.y))
        # On its kelurahan first; a name that must be read may sit just above, below or beside it.
        offsets = [(0, 0), (0, 0.7 * h), (0, -0.7 * h)]
        if kode in must:
            offsets += [(0, 1.2 * h), (0, -1.2 * h), (0.6 * w, 0), (-0.6 * w, 0), (0.5 * w, 1.1 * h),
                        (-0.5 * w, 1.1 * h), (0.5 * w, -1.1 * h), (-0.5 * w, -1.1 * h), (0, 2.2 * h), (0, -2.2 * h),
                        (1.1 * w, 0), (-1.1 * w, 0), (0.8 * w, 2.2 * h), (-0.8 * w, 2.2 * h), (0.8 * w, -2.2 * h),
                        (-0.8 * w, -2.2 * h), (0, 3.3 * h), (0, -3.3 * h)]
        for dx, dy in offsets:
            cx, cy = ax_x + dx, ax_y + dy
            if (dx, dy) != (0, 0) and kode not in must:
                x, y = ax.transData.inverted().transform((cx, cy))
                if not shape.contains(shapely.Point(x, y)):
                    continue
            edges = (cx - w / 2 - halo, cy - h / 2 - halo, cx + w / 2 + halo, cy + h / 2 + halo)
            if edges[0] < inside.x0 or edges[2] > inside.x1 or edges[1] < inside.y0 or edges[3] > inside.y1:
                continue
            if not overlaps(edges, boxes):
                text.set_position(ax.transData.inverted().transform((cx, cy)))
                boxes.append(edges)
                placed.append(text)
                break
        else:
            text.remove()
    return placed


def _fig_text(fig, x, y, s, size, **kw):
    return fig.text(x, y, s, fontsize=size, transform=fig.dpi_scale_trans, **kw)


def _draw_table(fig, layout: TableLayout, x: float, top: float) -> None:
    """The table set by `layout`, its top left corner at (x, top) inches; every cell text has gid "table"."""
    size, pad = layout.size, layout.pad / 72
    lh = line_height(size) / 72

    def row(cells, y, height, fill, bold):
        left = x
        for lines, width, right in zip(cells, layout.widths, layout.right):
            w = width / 72
            fig.add_artist(Rectangle((left, y - height), w, height, transform=fig.dpi_scale_trans, facecolor=fill,
                                     edgecolor="#bbbbbb", linewidth=0.6))
            for i, line in enumerate(lines):
                _fig_text(fig, left + w - pad if right else left + pad, y - pad - i * lh - 0.8 * size / 72, line,
                          size, ha="right" if right else "left", va="baseline", color=INK,
                          fontweight="bold" if bold else "normal", gid="table")
            left += w

    y = top
    row(layout.header, y, layout.header_height / 72, "#e9ecef", True)
    y -= layout.header_height / 72
    for i, (cells, h) in enumerate(zip(layout.rows, layout.heights)):
        row(cells, y, h / 72, "#ffffff" if i % 2 == 0 else "#f6f7f8", False)
        y -= h / 72


def _draw_legend(fig, slide: Slide, lang: str, x: float, top: float) -> None:
    for i, item in enumerate(_legend_items(slide, lang)):
        y = top - i * LEGEND_ROW
        if "line" in item:
            fig.add_artist(plt.Line2D([x, x + 0.3], [y - 0.13, y - 0.13], transform=fig.dpi_scale_trans,
                                      color=item["line"], linewidth=1.6))
        else:
            fig.add_artist(Rectangle((x, y - 0.22), 0.3, 0.18, transform=fig.dpi_scale_trans,
                                     facecolor=item["color"], edgecolor=item.get("edge", "#555555"),
                                     linewidth=2.5 if "edge" in item else 0.6, hatch="////" if item.get("hatch") else None))
        _fig_text(fig, x + 0.42, y - 0.13, item["label"], LEGEND_PT, va="center", color=INK)


def _tile_boxes(n: int, body) -> list[tuple[float, float, float, float]]:
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


def _draw_tiles(fig, page: Page) -> None:
    slide = page.slide
    boxes = _tile_boxes(len(slide.tiles), page.frame.body)
    size = tile_value_size(slide, boxes[0][2] - boxes[0][0]) if boxes else 40
    for (label, value, detail), (x0, y0, x1, y1) in zip(slide.tiles, boxes):
        fig.add_artist(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0,rounding_size=0.08",
                                      transform=fig.dpi_scale_trans, facecolor="#f3f4f6", edgecolor="#d0d4d9"))
        _fig_text(fig, x0 + 0.2, y1 - 0.2, label, 18, va="top", color="#333333")
        _fig_text(fig, x0 + 0.2, (y0 + y1) / 2 - 0.1, value, size, va="center", color=INK, fontweight="bold")
        _fig_text(fig, x0 + 0.2, y0 + 0.2, detail, 18, va="bottom", color="#333333")
    bottom = min((b[1] for b in boxes), default=page.frame.body[3])
    for i, line in enumerate(page.lines):
        for j, part in enumerate(wrap(line, (page.frame.body[2] - page.frame.body[0]) * 72, 13)):
            _fig_text(fig, page.frame.body[0], bottom - 0.35 - (i + j) * 0.27, part, 13, va="top", color=GREY)


def _draw_frame(fig, page: Page, number: int, total: int, demo: bool) -> None:
    f = page.frame
    y = HEIGHT_IN - 0.35
    for line in f.title:
        _fig_text(fig, MARGIN, y, line, TITLE_PT, fontweight="bold", color=INK, va="top")
        y -= TITLE_PT * 1.2 / 72
    for line in f.headline:
        _fig_text(fig, MARGIN, y, line, HEADLINE_PT, color="#222222", va="top")
        y -= line_height(HEADLINE_PT) / 72
    for i, line in enumerate(reversed(f.note)):
        _fig_text(fig, MARGIN, 0.3 + i * line_height(NOTE_PT) / 72, line, NOTE_PT, color=GREY, va="bottom")
    _fig_text(fig, WIDTH_IN - MARGIN, 0.3, f"{number} / {total}", NOTE_PT, color=GREY, ha="right", va="bottom")
    if demo:
        _fig_text(fig, WIDTH_IN - MARGIN, HEIGHT_IN - 0.35, "DEMO", 22, fontweight="bold", color="#C00000",
                  ha="right", va="top")


def _axes(fig, box, width_in: float, height_in: float):
    x0, y0, x1, y1 = box
    return fig.add_axes([x0 / width_in, y0 / height_in, (x1 - x0) / width_in, (y1 - y0) / height_in])


def page_figure(page: Page, geometry: pd.DataFrame, lang: str, number: int, total: int, demo: bool,
                dpi: float = 110):
    """One page as a 16:9 matplotlib figure: title, headline, body (tiles, map, legend, table), source, number."""
    fig = plt.figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=dpi)
    _draw_frame(fig, page, number, total, demo)
    slide = page.slide
    if slide.topic == "judul":
        _draw_tiles(fig, page)
        return fig
    if page.map_box is not None:
        draw_map(_axes(fig, page.map_box, WIDTH_IN, HEIGHT_IN), slide, geometry)
        x0, y0, x1, y1 = page.side_box
        _draw_legend(fig, slide, lang, x0, y1)
        if page.rows is not None:
            _draw_table(fig, page.layout(lang), x0, y1 - _legend_height(slide, lang) - 0.3)
    elif page.rows is not None:
        _draw_table(fig, page.layout(lang), page.frame.body[0], page.frame.body[3])
    return fig


def figures(slides: list[Slide], geometry: pd.DataFrame, lang: str, demo: bool, dpi: float = 110):
    """Every page of the handout as a figure, in order (the caller closes each)."""
    pages = plan(slides, geometry, lang)
    for i, page in enumerate(pages, 1):
        yield page_figure(page, geometry, lang, i, len(pages), demo, dpi)


def figure(slide: Slide, geometry: pd.DataFrame, lang: str, number: int = 1, total: int = 1, demo: bool = False):
    """One screen's first page as a figure."""
    return page_figure(plan([slide], geometry, lang)[0], geometry, lang, number, total, demo)


def _png(fig, dpi: float = PNG_DPI) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi)
    plt.close(fig)
    return out.getvalue()


def png_bytes(slide: Slide, geometry: pd.DataFrame, lang: str, demo: bool) -> bytes:
    """One screen as a PNG, with its title, legend and source (the map download of a page)."""
    return _png(figure(slide, geometry, lang, 1, 1, demo))


def deck_title(slides: list[Slide]) -> str:
    return next((s.title for s in slides if s.topic == "judul"), slides[0].title if slides else "Pantau Kota")


def pdf_bytes(slides: list[Slide], geometry: pd.DataFrame, lang: str, demo: bool) -> bytes:
    """Every page of the handout in one PDF (vector text and shapes, fonts embedded)."""
    out = io.BytesIO()
    metadata = {"Title": deck_title(slides), "Author": "Pantau Kota", "Subject": t("deck.subject", lang),
                "Creator": "Pantau Kota"}
    with PdfPages(out, metadata=metadata) as pdf:
        for fig in figures(slides, geometry, lang, demo):
            pdf.savefig(fig)
            plt.close(fig)
    return out.getvalue()


def map_picture(page: Page, geometry: pd.DataFrame, dpi: float = MAP_DPI) -> bytes:
    """The page's map alone, at its size on the slide, as a PNG for print."""
    x0, y0, x1, y1 = page.map_box
    fig = plt.figure(figsize=(x1 - x0, y1 - y0), dpi=dpi)
    draw_map(fig.add_axes([0, 0, 1, 1]), page.slide, geometry)
    return _png(fig, dpi)


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

    boxes = _tile_boxes(len(page.slide.tiles), page.frame.body)
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
    texts = [[str(c) for c in table.columns]] + [[_cell(v, lang) for v in row] for row in table.itertuples(index=False)]
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
            _pptx_legend(slide, _legend_items(screen, lang), sx0, sy1)
            if page.rows is not None:
                _pptx_table(slide, page.layout(lang), page.rows, lang, sx0, sy1 - _legend_height(screen, lang) - 0.3)
        elif page.rows is not None:
            _pptx_table(slide, page.layout(lang), page.rows, lang, page.frame.body[0], page.frame.body[3])
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
