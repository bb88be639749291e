"""Figures from query results: the pydeck choropleth and the plotly charts."""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk

from pantau import fmt
from pantau.catalog import DRAINASE_CONDITIONS, DRAINASE_STATUSES, Indicator, source_label
from pantau.classes import MISSING_COLOR, hex_rgb
from pantau.i18n import t

# Okabe-Ito colours that stand apart from the yellow-red classes under them.
CONDITION_COLORS = {"tersumbat": "#0072B2", "tidak_berfungsi": "#CC79A7", "belum_ada": "#000000"}
MAP_HEIGHT = 560


def view_for_bounds(bounds: list[float] | None, width_px: int = 420, height_px: int = MAP_HEIGHT) -> pdk.ViewState:
    """A view that fits the kota's bounding box in the narrowest map column (a 1024 px screen)."""
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
                    show_values: bool, selected: str | None = None) -> pdk.Deck:
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
    if selected:
        # The kelurahan whose profile is open, outlined; the same static file, so no shapes travel.
        layers.append(pdk.Layer(
            "GeoJsonLayer",
            id="terpilih",
            data=assets["kelurahan"],
            filled=False,
            stroked=True,
            get_line_color={"@@function": "colorCategories", "attr": "kode", "domain": [selected],
                            "colors": [[0, 70, 180, 255]], "othersColor": [0, 0, 0, 0]},
            update_triggers={"getLineColor": selected},
            line_width_min_pixels=4,
            pickable=False,
        ))
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


def series_figure(series: pd.DataFrame, ind: Indicator, measure: str, lang: str) -> go.Figure:
    """Monthly lines per source; a month without a report is a gap, never zero."""
    column = "rate" if measure == "rate" else "jumlah"
    fig = go.Figure()
    for sumber, dash in (("resmi", "solid"), ("lapangan", "dot")):
        part = series[series["sumber"] == sumber]
        fig.add_trace(go.Scatter(
            x=part["periode"], y=part[column], name=source_label(sumber, lang), mode="lines+markers",
            connectgaps=False, line=dict(dash=dash, width=3),
        ))
    if measure == "rate" and ind.target is not None:
        fig.add_hline(y=ind.target, line_dash="dash", line_color="#444",
                      annotation_text=ind.text("target_note", lang), annotation_position="top left")
    # Plotly would name the months in English; Babel names them in the user's language.
    months = sorted(series["periode"].unique())[::3]
    fig.update_xaxes(tickvals=months, ticktext=[fmt.month_short(pd.Timestamp(m).date(), lang) for m in months])
    return _layout(fig, lang, 300)


def condition_legend(points: pd.DataFrame, lang: str) -> list[dict]:
    """Legend rows for the drainage points by condition, with how many are shown."""
    counts = points["kondisi"].value_counts()
    return [
        {"color": color, "label": DRAINASE_CONDITIONS[kondisi][lang], "count": int(counts.get(kondisi, 0))}
        for kondisi, color in CONDITION_COLORS.items()
    ]
