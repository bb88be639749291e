"""Figures from query results: map classes and legend, the pydeck choropleth, plotly charts."""

from __future__ import annotations

import hashlib
import html
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk

from pantau import fmt
from pantau.catalog import DRAINASE_CONDITIONS, DRAINASE_STATUSES, Indicator
from pantau.i18n import t

# ColorBrewer YlOrRd: sequential, readable by the colour-blind and on a washed-out projector.
SEQUENTIAL = {
    2: ["#fecc5c", "#e31a1c"],
    3: ["#ffeda0", "#feb24c", "#f03b20"],
    4: ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
    5: ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
}
MISSING_COLOR = "#c8c8c8"
# Okabe-Ito colours that stand apart from the yellow-red classes under them.
CONDITION_COLORS = {"tersumbat": "#0072B2", "tidak_berfungsi": "#CC79A7", "belum_ada": "#000000"}
MEASURES = ("rate", "jumlah", "per_km2")
MAP_HEIGHT = 560


def hex_rgb(color: str, alpha: int = 255) -> list[int]:
    color = color.lstrip("#")
    return [int(color[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


def measures_for(ind: Indicator) -> tuple[str, ...]:
    """The measures a map of this indicator can show, the default first."""
    return ("rate", "jumlah") if ind.has_rate else ("jumlah", "per_km2")


def format_measure(value, measure: str, lang: str) -> str:
    if measure == "rate":
        return fmt.rate(value, lang)
    if measure == "per_km2":
        return fmt.number(value, lang, 2)
    return fmt.number(value, lang)


def class_breaks(ind: Indicator, measure: str, values: pd.Series) -> tuple[list[float], str]:
    """Class limits for the map, and which rule made them ("who" or "quantile")."""
    if measure == "rate" and ind.classing == "who":
        return list(ind.breaks), "who"
    present = values.dropna().astype(float)
    if present.empty:
        return [], "quantile"
    qs = np.quantile(present, [0.2, 0.4, 0.6, 0.8])
    digits = 1 if measure == "rate" else 2 if measure == "per_km2" else 0
    breaks = sorted({round(float(q), digits) for q in qs})
    # A limit at the minimum would leave its class empty.
    breaks = [b for b in breaks if b > present.min()] or [float(present.max())]
    return breaks, "quantile"


def classify(values: pd.Series, breaks: list[float]) -> np.ndarray:
    """The class of each value (0 = lowest), or -1 where the value is missing."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
    classes = np.searchsorted(np.asarray(breaks, dtype=float), numbers, side="right")
    return np.where(np.isnan(numbers), -1, classes)


def palette(n_classes: int) -> list[str]:
    return SEQUENTIAL[max(2, min(5, n_classes))][:n_classes] if n_classes > 1 else [SEQUENTIAL[2][1]]


def legend_items(ind: Indicator, measure: str, breaks: list[float], rule: str,
                 classes: np.ndarray, lang: str) -> list[dict]:
    """Colour, label and number of kelurahan of every class, the missing class last."""
    n = len(breaks) + 1
    colors = palette(n)
    items = []
    for i in range(n):
        if rule == "who":
            label = ind.break_labels[lang if lang in ind.break_labels else "id"][i]
        elif i == 0:
            label = f"< {format_measure(breaks[0], measure, lang)}"
        elif i == n - 1:
            label = f"≥ {format_measure(breaks[-1], measure, lang)}"
        else:
            label = f"{format_measure(breaks[i - 1], measure, lang)} – < {format_measure(breaks[i], measure, lang)}"
        items.append({"color": colors[i], "label": label, "count": int((classes == i).sum())})
    missing = int((classes == -1).sum())
    if missing:
        items.append({"color": MISSING_COLOR, "label": t("peta.no_report", lang), "count": missing})
    return items


def legend_html(title: str, items: list[dict], note: str = "") -> str:
    """The legend as a small HTML block with large swatches, for the page and the projector."""
    rows = "".join(
        f'<div class="pk-legend-row"><span class="pk-swatch" style="background:{i["color"]}"></span>'
        f'<span>{html.escape(i["label"])}</span><span class="pk-legend-n">{i["count"]}</span></div>'
        for i in items
    )
    note_html = f'<div class="pk-legend-note">{html.escape(note)}</div>' if note else ""
    return f'<div class="pk-legend"><div class="pk-legend-title">{html.escape(title)}</div>{rows}{note_html}</div>'


def view_for_bounds(bounds: list[float] | None, width_px: int = 560, height_px: int = MAP_HEIGHT) -> pdk.ViewState:
    """A view that fits the kota's bounding box."""
    if not bounds:
        return pdk.ViewState(latitude=-2.5, longitude=118.0, zoom=4)
    minx, miny, maxx, maxy = bounds
    lat = (miny + maxy) / 2
    dx = max(maxx - minx, 1e-4)
    dy = max(maxy - miny, 1e-4) / math.cos(math.radians(lat))
    # deck.gl draws the world 512 px wide at zoom 0.
    zoom = min(math.log2(width_px * 360 / (512 * dx)), math.log2(height_px * 360 / (512 * dy))) - 0.1
    return pdk.ViewState(latitude=lat, longitude=(minx + maxx) / 2, zoom=round(zoom, 2), min_zoom=zoom - 2, max_zoom=zoom + 5)


def choropleth_deck(assets: dict, frame: pd.DataFrame, classes: np.ndarray, colors: list[str],
                    labels: pd.DataFrame, points: pd.DataFrame | None, lang: str,
                    show_values: bool) -> pdk.Deck:
    """A choropleth of kelurahan with kecamatan outlines, names and drainage points, and no basemap.

    frame holds kode, nama and the formatted value of every kelurahan; the polygons come from
    the static file in assets, so only the colours per kode travel when the values change.
    """
    fill = [hex_rgb(colors[c], 225) if c >= 0 else hex_rgb(MISSING_COLOR, 200) for c in classes]
    kodes = frame["kode"].tolist()
    token = hashlib.sha1(repr((kodes, fill)).encode()).hexdigest()[:16]
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            id="kelurahan",
            data=assets["kelurahan"],
            filled=True,
            stroked=True,
            get_fill_color={
                "@@function": "colorCategories",
                "attr": "kode",
                "domain": kodes,
                "colors": fill,
                "othersColor": hex_rgb(MISSING_COLOR, 200),
            },
            update_triggers={"getFillColor": token},
            get_line_color=[255, 255, 255, 255],
            line_width_min_pixels=1,
            pickable=True,
            auto_highlight=True,
            highlight_color=[0, 90, 200, 90],
        ),
        pdk.Layer(
            "GeoJsonLayer",
            id="kecamatan",
            data=assets["kecamatan"],
            filled=False,
            stroked=True,
            get_line_color=[40, 40, 40, 255],
            line_width_min_pixels=2.5,
            pickable=False,
        ),
    ]
    if points is not None and len(points):
        layers.append(pdk.Layer(
            "ScatterplotLayer",
            id="drainase",
            data=points,
            get_position=["lon", "lat"],
            get_fill_color="warna",
            get_line_color=[255, 255, 255, 255],
            stroked=True,
            line_width_min_pixels=1,
            get_radius=60,
            radius_min_pixels=4,
            radius_max_pixels=12,
            pickable=True,
        ))
    label_data = labels.merge(frame[["kode", "nama", "keterangan", "nilai_teks"]], on="kode")
    label_data["teks"] = label_data["nama"] + (("\n" + label_data["nilai_teks"]) if show_values else "")
    # Where names would overlap, the worse class keeps its label.
    label_data["prioritas"] = label_data["kode"].map(dict(zip(kodes, classes))).fillna(-1).astype(int)
    layers.append(pdk.Layer(
        "TextLayer",
        id="nama",
        data=label_data,
        get_position=["lon", "lat"],
        get_text="teks",
        get_size=14,
        # pydeck reads a bare string as a column name; quotes make it a literal value.
        size_units="'pixels'",
        get_color=[20, 20, 20, 255],
        font_family="'sans-serif'",
        font_weight=600,
        character_set="'auto'",
        font_settings={"sdf": True},
        outline_width=3,
        outline_color=[255, 255, 255, 230],
        extensions=[{"@@type": "CollisionFilterExtension"}],
        collision_enabled=True,
        get_collision_priority="prioritas",
        collision_test_props={"sizeScale": 1.5},
        # A click on a name selects the kelurahan under it (see ui.select_from_map).
        pickable=True,
    ))
    return pdk.Deck(
        layers=layers,
        initial_view_state=view_for_bounds(assets.get("bounds")),
        map_provider=None,
        tooltip={
            "html": "<b>{nama}</b><br/>{keterangan}<br/>{nilai_teks}",
            "style": {"fontSize": "15px", "backgroundColor": "#1b1b1b", "color": "white"},
        },
    )


def drainase_point_frame(points: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Drainage points with their colour and tooltip fields."""
    out = points[["id", "lon", "lat", "kondisi"]].copy()
    out["warna"] = [hex_rgb(CONDITION_COLORS[k]) for k in points["kondisi"]]
    out["nama"] = [t("drainase.point", lang, kondisi=DRAINASE_CONDITIONS[k][lang].lower()) for k in points["kondisi"]]
    out["keterangan"] = points["kelurahan"].to_numpy()
    out["nilai_teks"] = [
        t("drainase.detail", lang, tanggal=fmt.day(d, lang), status=DRAINASE_STATUSES[s][lang])
        for d, s in zip(points["tanggal_lapor"], points["status"])
    ]
    return out


def _layout(fig: go.Figure, lang: str, height: int) -> go.Figure:
    fig.update_layout(
        separators=fmt.plotly_separators(lang),
        height=height,
        margin=dict(l=10, r=10, t=30, b=10),
        font=dict(size=14),
        plot_bgcolor="white",
        legend=dict(orientation="h", y=-0.2),
    )
    return fig


def change_bars(changes: pd.DataFrame, measure: str, lang: str) -> go.Figure:
    """Horizontal bars of the change per kelurahan; red where it got worse."""
    data = changes.iloc[::-1]
    colors = ["#d7301f" if w else "#2b8cbe" for w in data["memburuk"]]
    text = [fmt.signed(v, lang, 1 if measure == "rate" else 0) for v in data["perubahan"]]
    fig = go.Figure(go.Bar(
        x=data["perubahan"], y=data["nama"], orientation="h", marker_color=colors,
        text=text, textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    fig.update_xaxes(zeroline=True, zerolinecolor="#555", showgrid=True, gridcolor="#eee")
    return _layout(fig, lang, 60 + 34 * len(data))


def series_figure(series: pd.DataFrame, ind: Indicator, measure: str, lang: str, source_labels: dict) -> go.Figure:
    """Monthly lines per source; a month without a report is a gap, never zero."""
    column = "rate" if measure == "rate" else "jumlah"
    fig = go.Figure()
    for sumber, dash in (("resmi", "solid"), ("lapangan", "dot")):
        part = series[series["sumber"] == sumber]
        fig.add_trace(go.Scatter(
            x=part["periode"], y=part[column], name=source_labels[sumber], mode="lines+markers",
            connectgaps=False, line=dict(dash=dash, width=3),
        ))
    if measure == "rate" and ind.target is not None:
        fig.add_hline(y=ind.target, line_dash="dash", line_color="#444",
                      annotation_text=ind.text("target_note", lang), annotation_position="top left")
    fig.update_xaxes(tickformat="%b %Y")
    return _layout(fig, lang, 300)


def condition_legend(points: pd.DataFrame, lang: str) -> list[dict]:
    """Legend rows for the drainage points by condition, with how many are shown."""
    counts = points["kondisi"].value_counts()
    return [
        {"color": color, "label": DRAINASE_CONDITIONS[kondisi][lang], "count": int(counts.get(kondisi, 0))}
        for kondisi, color in CONDITION_COLORS.items()
    ]
