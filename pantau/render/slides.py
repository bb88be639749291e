"""The deck drawn offline as a handout: each screen as a 16:9 page of a PDF or a PNG (the PPTX: pptx_deck).

Maps are drawn from the lake's own boundaries with matplotlib (no tiles, no browser), so an export works in
a hall with no internet. The PDF and the PPTX share one page plan (`plan`): the same boxes in inches, the
same type sizes and the same split of a long table, so what a staffer edits in PowerPoint is what was printed.
In the PPTX the text, tables, legends and charts are PowerPoint's own objects; only the map is a picture.
"""

from __future__ import annotations

import io
import math

import matplotlib
import matplotlib.patheffects

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402
from matplotlib.backends.backend_pdf import PdfPages  # noqa: E402
from matplotlib.patches import FancyBboxPatch, PathPatch, Rectangle  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

from pantau.domain.classes import FLAGGED_COLOR, MISSING_COLOR  # noqa: E402
from pantau.i18n import t  # noqa: E402
from pantau.lake.geo import kecamatan_outlines  # noqa: E402
from pantau.render.handout_plan import (  # noqa: E402
    FONT,
    GREY,
    HEADLINE_PT,
    HEIGHT_IN,
    INK,
    KECAMATAN_LINE,
    LABEL_PT,
    LEGEND_PT,
    LEGEND_ROW,
    MARGIN,
    NOTE_PT,
    PRIORITY,
    TITLE_PT,
    WIDTH_IN,
    Page,
    TableLayout,
    deck_title,
    kelurahan_shapes,
    legend_height,
    legend_items,
    line_height,
    plan,
    tile_boxes,
    tile_value_size,
    wrap,
)
from pantau.render.labels import label_order, overlaps  # noqa: E402
from pantau.views.presentasi import Slide  # noqa: E402

MAP_DPI = 200  # the map picture in the PPTX, for print


PNG_DPI = 150


plt.rcParams.update({"font.family": FONT, "font.size": 14, "svg.fonttype": "none", "pdf.fonttype": 42})


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
    kel, shapes = kelurahan_shapes(slide, geometry)
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
    for i, item in enumerate(legend_items(slide, lang)):
        y = top - i * LEGEND_ROW
        if "line" in item:
            fig.add_artist(plt.Line2D([x, x + 0.3], [y - 0.13, y - 0.13], transform=fig.dpi_scale_trans,
                                      color=item["line"], linewidth=1.6))
        else:
            fig.add_artist(Rectangle((x, y - 0.22), 0.3, 0.18, transform=fig.dpi_scale_trans,
                                     facecolor=item["color"], edgecolor=item.get("edge", "#555555"),
                                     linewidth=2.5 if "edge" in item else 0.6, hatch="////" if item.get("hatch") else None))
        _fig_text(fig, x + 0.42, y - 0.13, item["label"], LEGEND_PT, va="center", color=INK)


def _draw_tiles(fig, page: Page) -> None:
    slide = page.slide
    boxes = tile_boxes(len(slide.tiles), page.frame.body)
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
            _draw_table(fig, page.layout(lang), x0, y1 - legend_height(slide, lang) - 0.3)
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
