"""The deck drawn offline: each screen as a 16:9 matplotlib figure, and the same screens as PPTX, PDF and PNG.

Maps are drawn from the lake's own boundaries with matplotlib (no tiles, no browser), so an export
works in a hall with no internet.
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
from matplotlib.patches import (
    Patch,  # noqa: E402
    PathPatch,  # noqa: E402
)
from matplotlib.path import Path as MplPath  # noqa: E402

from pantau.domain.classes import MISSING_COLOR  # noqa: E402
from pantau.i18n import t  # noqa: E402
from pantau.lake import geo  # noqa: E402
from pantau.render import fmt
from pantau.views.presentasi import Slide  # noqa: E402

WIDTH_IN, HEIGHT_IN = 13.333, 7.5  # 16:9, the size PowerPoint uses
INK = "#111111"
PRIORITY = "#7B2CBF"
plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 14, "svg.fonttype": "none"})


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


def draw_map(ax, slide: Slide, geometry: pd.DataFrame, label_size: float = 11) -> None:
    """The slide's choropleth on an axis: classes, kecamatan outlines, priority outlines, names."""
    model = slide.model
    kel = geometry[(geometry["tingkat"] == "kelurahan") & geometry["geometry"].notna()]
    kel = kel[kel["kode"].isin(set(model.frame["kode"]))]
    shapes = geo.shapes(kel["geometry"])
    kelas = dict(zip(model.frame["kode"], model.classes))
    for kode, shape in zip(kel["kode"], shapes):
        k = kelas.get(kode, -1)
        face = model.colors[k] if k >= 0 else "#ffffff" if k == -2 else MISSING_COLOR
        patch = _patch(shape, facecolor=face, edgecolor="white", linewidth=0.8)
        if patch is not None:
            ax.add_patch(patch)
    kec = geometry[(geometry["tingkat"] == "kecamatan") & geometry["geometry"].notna()]
    kec = kec[kec["kode"].isin(set(kel["parent_kode"]))]
    for shape in geo.shapes(kec["geometry"]):
        patch = _patch(shape, facecolor="none", edgecolor="#333333", linewidth=1.8)
        if patch is not None:
            ax.add_patch(patch)
    flagged = set(model.frame.loc[model.frame["ditandai"].astype(bool), "kode"]) if "ditandai" in model.frame else set()
    for kode, shape in zip(kel["kode"], shapes):
        if kode in set(slide.outlined):
            ax.add_patch(_patch(shape, facecolor="none", edgecolor=PRIORITY, linewidth=3.2))
        if kode in flagged:  # a figure that cannot be true: hatched, as on the web map's black outline
            ax.add_patch(_patch(shape, facecolor="none", edgecolor="black", linewidth=2.0, hatch="////"))
    if slide.points is not None and len(slide.points):
        fill = np.array(slide.points["warna"].tolist(), dtype=float)[:, :3] / 255
        edge = np.array(slide.points["garis"].tolist(), dtype=float)[:, :3] / 255
        ax.scatter(slide.points["lon"], slide.points["lat"], s=22, c=fill, edgecolors=edge, linewidths=1.2, zorder=3)
    names = dict(zip(model.frame["kode"], model.frame["nama"]))
    if len(shapes):
        minx, miny, maxx, maxy = shapely.union_all(shapes).bounds
        points = shapely.point_on_surface(shapes)
        # Larger kelurahan first; a name that would sit on one already placed is left out (as on the web map).
        placed: list[tuple[float, float, float]] = []
        span_x, span_y = (maxx - minx) or 1e-3, (maxy - miny) or 1e-3
        for i in np.argsort(-shapely.area(shapes)):
            x, y, name = points[i].x, points[i].y, names.get(kel["kode"].iloc[i], "")
            name = f"⚠ {name}" if kel["kode"].iloc[i] in flagged else name
            half_w = 0.0055 * label_size * len(name) / 10 * span_x
            if any(abs(x - px) < half_w + pw and abs(y - py) < 0.045 * span_y for px, py, pw in placed):
                continue
            placed.append((x, y, half_w))
            ax.text(x, y, name, ha="center", va="center", fontsize=label_size, color=INK, fontweight="bold",
                    path_effects=[matplotlib.patheffects.withStroke(linewidth=3, foreground="white")])
        pad = 0.03 * max(maxx - minx, maxy - miny)
        ax.set_xlim(minx - pad, maxx + pad)
        ax.set_ylim(miny - pad, maxy + pad)
        ax.set_aspect(1 / math.cos(math.radians((miny + maxy) / 2)))
    ax.set_axis_off()


def _legend(ax, slide: Slide, lang: str) -> None:
    handles = [Patch(facecolor=i["color"], edgecolor="#555555", label=f"{i['label']}  ({i['count']})",
                     hatch="////" if i["label"].startswith("⚠") else None)
               for i in slide.model.legend]
    if slide.outlined:
        handles.append(Patch(facecolor="none", edgecolor=PRIORITY, linewidth=3, label=t("prioritas.outline", lang)))
    ax.legend(handles=handles, loc="upper left", frameon=False, fontsize=13, title_fontsize=14,
              title=slide.title if len(slide.title) < 32 else None, bbox_to_anchor=(0, 1))
    ax.set_axis_off()


def _cell(value, lang: str) -> str:
    if isinstance(value, float):
        return "–" if math.isnan(value) else fmt.number(value, lang, 0 if value.is_integer() else 1)
    return str(value)


def _table(ax, table: pd.DataFrame | None, lang: str, font: float = 14) -> None:
    ax.set_axis_off()
    if table is None or table.empty:
        ax.text(0, 0.9, t("deck.no_table", lang), fontsize=font, transform=ax.transAxes)
        return
    cells = [[_cell(v, lang) for v in row] for row in table.head(12).itertuples(index=False)]
    drawn = ax.table(cellText=cells, colLabels=list(table.columns), loc="upper left", cellLoc="left", colLoc="left")
    drawn.auto_set_font_size(False)
    drawn.set_fontsize(font)
    drawn.auto_set_column_width(list(range(len(table.columns))))
    drawn.scale(1, 1.7)
    for (r, _), cell in drawn.get_celld().items():
        cell.set_edgecolor("#bbbbbb")
        if r == 0:
            cell.set_text_props(fontweight="bold")
            cell.set_facecolor("#eeeeee")


def _tiles(fig, slide: Slide) -> None:
    n = max(len(slide.tiles), 1)
    for i, (label, value, detail) in enumerate(slide.tiles):
        x = 0.05 + i * 0.9 / n
        fig.text(x, 0.58, label, fontsize=20, color="#333333")
        fig.text(x, 0.45, value, fontsize=44, fontweight="bold", color=INK)
        fig.text(x, 0.38, detail, fontsize=20, color="#333333")


def figure(slide: Slide, geometry: pd.DataFrame, lang: str, number: int, total: int, demo: bool,
           body_only: bool = False):
    """The whole screen (title, headline, body, source, page number, DEMO) or its body alone (for PPTX)."""
    if body_only:
        fig = plt.figure(figsize=(WIDTH_IN, 5.4), dpi=110)
        top, bottom = 0.98, 0.02
    else:
        fig = plt.figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=110)
        fig.text(0.04, 0.93, slide.title, fontsize=30, fontweight="bold", color=INK, va="top")
        fig.text(0.04, 0.845, slide.headline, fontsize=18, color="#222222", va="top", wrap=True)
        fig.text(0.04, 0.03, slide.note, fontsize=11, color="#444444")
        fig.text(0.96, 0.03, f"{number} / {total}", fontsize=11, color="#444444", ha="right")
        if demo:
            fig.text(0.96, 0.94, "DEMO", fontsize=22, fontweight="bold", color="#C00000", ha="right", va="top")
        top, bottom = 0.78, 0.08
    if slide.topic == "judul":
        _tiles(fig, slide)
    elif slide.model is not None:
        _legend(fig.add_axes([0.63, bottom + 0.45 * (top - bottom), 0.34, 0.55 * (top - bottom)]), slide, lang)
        draw_map(fig.add_axes([0.02, bottom, 0.6, top - bottom]), slide, geometry)
        _table(fig.add_axes([0.63, bottom, 0.35, 0.42 * (top - bottom)]), slide.table, lang, font=11)
    else:
        _table(fig.add_axes([0.04, bottom, 0.92, top - bottom]), slide.table, lang)
    return fig


def _png(fig) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()


def png_bytes(slide: Slide, geometry: pd.DataFrame, lang: str, demo: bool) -> bytes:
    """One screen as a PNG, with its title, legend and source (the map download of a page)."""
    return _png(figure(slide, geometry, lang, 1, 1, demo))


def pdf_bytes(slides: list[Slide], geometry: pd.DataFrame, lang: str, demo: bool) -> bytes:
    """Every screen as a page of one PDF (vector text and shapes)."""
    out = io.BytesIO()
    title = slides[0].title if slides else "Pantau Kota"
    with PdfPages(out, metadata={"Title": title, "Creator": "Pantau Kota"}) as pdf:
        for i, slide in enumerate(slides, 1):
            fig = figure(slide, geometry, lang, i, len(slides), demo)
            pdf.savefig(fig)
            plt.close(fig)
    return out.getvalue()


def pptx_bytes(slides: list[Slide], geometry: pd.DataFrame, lang: str, demo: bool) -> bytes:
    """Every screen as a 16:9 PowerPoint slide: real text for the title, headline and source; the body as a picture."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Emu, Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(12192000), Emu(6858000)  # 13.333 x 7.5 in, exactly 16:9
    layout = deck.slide_layouts[5]  # title only
    for i, slide in enumerate(slides, 1):
        page = deck.slides.add_slide(layout)
        title = page.shapes.title
        title.left, title.top, title.width, title.height = Inches(0.4), Inches(0.25), Inches(11.6), Inches(0.9)
        title.text = slide.title
        title.text_frame.paragraphs[0].font.size = Pt(32)
        title.text_frame.paragraphs[0].font.bold = True

        def text(left, top, width, height, value, size, color="222222", bold=False):
            box = page.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
            box.text_frame.word_wrap = True
            run = box.text_frame.paragraphs[0].add_run()
            run.text = value
            run.font.size, run.font.bold = Pt(size), bold
            run.font.color.rgb = RGBColor.from_string(color)
            return box

        text(0.4, 1.1, 12.5, 0.7, slide.headline, 20)
        picture = _png(figure(slide, geometry, lang, i, len(slides), demo, body_only=True))
        page.shapes.add_picture(io.BytesIO(picture), Inches(0), Inches(1.8), width=Inches(WIDTH_IN))
        text(0.4, 7.05, 10.5, 0.4, slide.note, 11, "444444")
        text(12.0, 7.05, 1.0, 0.4, f"{i} / {len(slides)}", 11, "444444")
        if demo:
            text(11.6, 0.3, 1.5, 0.6, "DEMO", 24, "C00000", bold=True)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
