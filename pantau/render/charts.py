"""Figures from query results: the pydeck choropleth and the plotly charts."""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk

from pantau.domain.catalog import DRAINASE_CONDITIONS, DRAINASE_STATUSES, Indicator, source_label
from pantau.domain.classes import FLAGGED, FLAGGED_COLOR, MISSING_COLOR, hex_rgb
from pantau.i18n import t
from pantau.render import fmt

# Okabe-Ito colours that stand apart from the yellow-red classes under them.
CONDITION_COLORS = {"tersumbat": "#0072B2", "tidak_berfungsi": "#CC79A7", "belum_ada": "#000000"}
# Handling status as the point's outline: colour and width in pixels.
STATUS_OUTLINE = {"dilaporkan": ("#FFFFFF", 1), "ditangani": ("#E69F00", 3), "selesai": ("#009E73", 3)}
MAP_HEIGHT = 560
PRIORITY_COLOR = "#7B2CBF"  # purple: apart from the yellow-red classes and the blue selection
FLAG_COLOR = "#000000"  # black: a figure that cannot be true, over any class colour


class CompactDeck(pdk.Deck):
    """A pydeck Deck serialised without pydeck's indentation: the colour of each of 83,246 desa is a
    third of the bytes (3 MB instead of 10 MB in the message to the browser)."""

    def to_json(self):
        import json

        from pydeck.bindings.json_tools import default_serialize

        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


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


def _fill(colors: list[str], kelas: int, alpha: int) -> list[int]:
    """The fill of a class: its colour, white for a figure that cannot be true, grey for no report."""
    if kelas >= 0:
        return hex_rgb(colors[kelas], alpha)
    return hex_rgb(FLAGGED_COLOR, 255) if kelas == FLAGGED else hex_rgb(MISSING_COLOR, 200)


def choropleth_deck(assets: dict, frame: pd.DataFrame, classes: np.ndarray, colors: list[str],
                    labels: pd.DataFrame, points: pd.DataFrame | None, lang: str,
                    show_values: bool, selected: str | None = None, outlined: list[str] | None = None,
                    extra_layers: list[pdk.Layer] | None = None, label_size: int = 14,
                    bounds: list[float] | None = None, view_width: int = 420) -> pdk.Deck:
    """A choropleth of kelurahan with kecamatan outlines, names and drainage points, and no basemap.

    frame holds kode, nama and the formatted value of every kelurahan; the polygons come from
    the static file in assets, so only the colours per kode travel when the values change.
    """
    fill = [_fill(colors, c, 225) for c in classes]
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
    if outlined:
        # Priority kelurahan (lokasi prioritas), outlined on every map of the app.
        layers.append(_outline_layer("prioritas", assets, sorted(outlined), hex_rgb(PRIORITY_COLOR)))
    flagged = frame.loc[frame["ditandai"].astype(bool), "kode"].tolist() if "ditandai" in frame else []
    if flagged:
        # A figure that cannot be true: a black outline over its colour, and ⚠ with the reason on its name.
        layers.append(_outline_layer("ditandai", assets, sorted(flagged), hex_rgb(FLAG_COLOR)))
    if selected:
        # The kelurahan whose profile is open.
        layers.append(_outline_layer("terpilih", assets, [selected], [0, 70, 180, 255]))
    for extra in extra_layers or []:
        layers.append(extra)
    if points is not None and len(points):
        layers.append(drainase_layer(points))
    label_data = labels.merge(frame[["kode", "nama", "keterangan", "nilai_teks"]], on="kode")
    marked = label_data["kode"].isin(set(flagged))
    label_data["teks"] = np.where(marked, "⚠ ", "") + label_data["nama"] + (
        ("\n" + label_data["nilai_teks"]) if show_values else "")
    if flagged and "catatan" in frame:
        reasons = label_data["kode"].map(dict(zip(frame["kode"], frame["catatan"]))).fillna("")
        label_data["nilai_teks"] = label_data["nilai_teks"] + np.where(marked, "<br/>" + reasons, "")
    # Where names would overlap, the worse class keeps its label, and a marked figure keeps it first.
    label_data["prioritas"] = label_data["kode"].map(dict(zip(kodes, classes))).fillna(-1).astype(int) \
        + np.where(marked, 10, 0)
    layers.append(name_layer(label_data, "teks", label_size, priority="prioritas"))
    return CompactDeck(
        layers=layers,
        initial_view_state=view_for_bounds(bounds or assets.get("bounds"), width_px=view_width),
        map_provider=None,
        tooltip={
            "html": "<b>{nama}</b><br/>{keterangan}<br/>{nilai_teks}",
            "style": {"fontSize": "15px", "backgroundColor": "#1b1b1b", "color": "white"},
        },
    )


def name_layer(data: pd.DataFrame, text: str, size: int, priority: str | None = None) -> pdk.Layer:
    """Area names at their label points, outlined white, giving way to each other where they would
    overlap (the one with the higher `priority` column keeps its place). A click on a name selects
    the area under it (see ui.clicked_code)."""
    extra = {"get_collision_priority": priority, "collision_test_props": {"sizeScale": 1.5}} if priority else {}
    return pdk.Layer(
        "TextLayer",
        id="nama",
        data=data,
        get_position=["lon", "lat"],
        get_text=text,
        get_size=size,
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
        pickable=True,
        **extra,
    )


def level_deck(assets: dict, kodes: list[str], classes: np.ndarray, colors: list[str],
               labels: pd.DataFrame | None, view_width: int = 420, height: int = MAP_HEIGHT) -> pdk.Deck:
    """A choropleth of the parts of a wilayah at one level (provinces to desa), with the outlines of
    the level above and, for a map of few parts, their names; no basemap.

    The polygons come from the static file in assets (kode and nama only), so a change of indicator,
    month or source sends only a colour per kode, never the shapes: 83,246 desa are about 2 MB of
    colours against 30 MB of shapes that the browser fetched once.
    """
    fill = [_fill(colors, c, 230) for c in classes]
    token = hashlib.sha1(repr((kodes, fill)).encode()).hexdigest()[:16]
    many = len(kodes) > 5_000
    layers = [pdk.Layer(
        "GeoJsonLayer", id="bagian", data=assets["bagian"], filled=True,
        # Thousands of white borders would grey a national desa map out; the outlines above carry it.
        stroked=not many, get_line_color=[255, 255, 255, 255], line_width_min_pixels=0.5,
        get_fill_color={"@@function": "colorCategories", "attr": "kode", "domain": kodes, "colors": fill,
                        "othersColor": hex_rgb(MISSING_COLOR, 200)},
        update_triggers={"getFillColor": token},
        pickable=True, auto_highlight=True, highlight_color=[0, 90, 200, 110],
    )]
    if assets.get("garis"):
        layers.append(pdk.Layer("GeoJsonLayer", id="garis", data=assets["garis"], filled=False, stroked=True,
                                get_line_color=[30, 30, 30, 255], line_width_min_pixels=1.5, pickable=False))
    if labels is not None and len(labels):
        layers.append(name_layer(labels, "nama", 13))
    return CompactDeck(
        layers=layers,
        initial_view_state=view_for_bounds(assets.get("bounds"), width_px=view_width, height_px=height),
        map_provider=None,
        tooltip={"html": "<b>{nama}</b><br/>{kode}",
                 "style": {"fontSize": "15px", "backgroundColor": "#1b1b1b", "color": "white"}},
    )


def _outline_layer(layer_id: str, assets: dict, kodes: list[str], color: list[int]) -> pdk.Layer:
    """Some kelurahan outlined, from the same static shapes file: only their codes travel."""
    return pdk.Layer(
        "GeoJsonLayer",
        id=layer_id,
        data=assets["kelurahan"],
        filled=False,
        stroked=True,
        get_line_color={"@@function": "colorCategories", "attr": "kode", "domain": kodes,
                        "colors": [color] * len(kodes), "othersColor": [0, 0, 0, 0]},
        update_triggers={"getLineColor": ",".join(kodes)},
        line_width_min_pixels=4,
        pickable=False,
    )


def priority_legend(count: int, lang: str) -> list[dict]:
    """The legend row of the priority outline."""
    return [{"color": PRIORITY_COLOR, "label": t("prioritas.outline", lang), "count": count}]


def drainase_point_frame(points: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Drainage points with their colour (condition), outline (handling status) and tooltip fields."""
    out = points[["id", "lon", "lat", "kondisi"]].copy()
    out["warna"] = [hex_rgb(CONDITION_COLORS[k]) for k in points["kondisi"]]
    out["garis"] = [hex_rgb(STATUS_OUTLINE[s][0]) for s in points["status"]]
    out["tebal"] = [STATUS_OUTLINE[s][1] for s in points["status"]]
    out["nama"] = [t("drainase.point", lang, kondisi=DRAINASE_CONDITIONS[k][lang].lower()) for k in points["kondisi"]]
    reporter = points["pelapor"] if "pelapor" in points else pd.Series(None, index=points.index)
    out["keterangan"] = [f"{kel} · {t('drainase.reporter', lang, pelapor=p)}" if isinstance(p, str) and p else kel
                         for kel, p in zip(points["kelurahan"], reporter)]
    updated = points["status_tanggal"] if "status_tanggal" in points else points["tanggal_lapor"]
    out["nilai_teks"] = [
        t("drainase.detail", lang, tanggal=fmt.day(pd.Timestamp(d).date(), lang), status=DRAINASE_STATUSES[s][lang])
        + ("" if pd.Timestamp(u) == pd.Timestamp(d) else " " + t("drainase.updated", lang,
                                                                  tanggal=fmt.day(pd.Timestamp(u).date(), lang)))
        for d, s, u in zip(points["tanggal_lapor"], points["status"], updated)
    ]
    return out


def drainase_layer(points: pd.DataFrame) -> pdk.Layer:
    """Points filled by condition and outlined by handling status (thin white: reported; thick: in hand or fixed)."""
    return pdk.Layer(
        "ScatterplotLayer",
        id="drainase",
        data=points,
        get_position=["lon", "lat"],
        get_fill_color="warna",
        get_line_color="garis",
        get_line_width="tebal",
        line_width_units="'pixels'",
        stroked=True,
        get_radius=60,
        radius_min_pixels=5,
        radius_max_pixels=13,
        pickable=True,
    )


def banjir_layer(events: pd.DataFrame) -> pdk.Layer:
    """Flood events as translucent blue rings, larger for deeper water."""
    return pdk.Layer(
        "ScatterplotLayer",
        id="banjir",
        data=events,
        get_position=["lon", "lat"],
        get_fill_color=[86, 180, 233, 70],
        get_line_color=[0, 90, 160, 230],
        get_radius="radius",
        radius_units="'pixels'",
        line_width_min_pixels=2,
        stroked=True,
        filled=True,
        pickable=True,
    )


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


def _rate_suffix(lang: str) -> str:
    return " %" if lang == "id" else "%"


def _value_axis(fig: go.Figure, measure: str, lang: str) -> None:
    """The y axis in the language's number format: 2.000 (not 2000 or 2k), 12,5 %."""
    rate = measure == "rate"
    fig.update_yaxes(tickformat=",.1~f" if rate else ",.0f", ticksuffix=_rate_suffix(lang) if rate else "",
                     exponentformat="none", rangemode="tozero")


def _value_text(value, measure: str, lang: str, digits: int | None = None) -> str:
    """A value as the hover shows it, formatted by Babel (plotly's own would be English)."""
    if pd.isna(value):
        return fmt.MISSING
    if measure == "rate":
        return fmt.rate(value, lang, 1 if digits is None else digits)
    return fmt.number(value, lang, digits or 0)


def _hover_data(periods, values, measure: str, lang: str) -> list[tuple[str, str]]:
    """Per point: the month in words and the value, both in the language."""
    return [(fmt.period(pd.Timestamp(p).date(), lang), _value_text(v, measure, lang)) for p, v in zip(periods, values)]


# The hover of a line: its name, the month and the value, all formatted in Python.
HOVER = "<b>%{fullData.name}</b><br>%{customdata[0]}: %{customdata[1]}<extra></extra>"


def series_figure(series: pd.DataFrame, ind: Indicator, measure: str, lang: str) -> go.Figure:
    """Monthly lines per source; a month without a report is a gap, never zero."""
    column = "rate" if measure == "rate" else "jumlah"
    fig = go.Figure()
    for sumber, dash in (("resmi", "solid"), ("lapangan", "dot")):
        part = series[series["sumber"] == sumber]
        fig.add_trace(go.Scatter(
            x=part["periode"], y=part[column], name=source_label(sumber, lang), mode="lines+markers",
            connectgaps=False, line=dict(dash=dash, width=3),
            customdata=_hover_data(part["periode"], part[column], measure, lang), hovertemplate=HOVER,
        ))
    if measure == "rate" and ind.target is not None:
        fig.add_hline(y=ind.target, line_dash="dash", line_color="#444",
                      annotation_text=ind.text("target_note", lang), annotation_position="top left")
    _month_axis(fig, series["periode"], lang, max_ticks=4)
    _value_axis(fig, measure, lang)
    return _layout(fig, lang, 300)


def condition_legend(points: pd.DataFrame, lang: str) -> list[dict]:
    """Legend rows for the drainage points by condition, with how many are shown."""
    counts = points["kondisi"].value_counts()
    return [
        {"color": color, "label": DRAINASE_CONDITIONS[kondisi][lang], "count": int(counts.get(kondisi, 0))}
        for kondisi, color in CONDITION_COLORS.items()
    ]


def _month_axis(fig: go.Figure, periods, lang: str, max_ticks: int = 10) -> None:
    """Month names on the x axis from Babel (plotly would name them in English)."""
    months = sorted(pd.to_datetime(pd.Series(periods).dropna().unique()))
    step = max(1, math.ceil(len(months) / max_ticks))
    ticks = months[::-1][::step][::-1]  # always label the newest month
    fig.update_xaxes(tickvals=ticks, ticktext=[fmt.month_short(m.date(), lang) for m in ticks], tickangle=0)


KOTA_COLOR = "#111111"
# Okabe-Ito and Tableau-like hues that stay apart for up to a dozen kecamatan lines.
LINE_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999",
               "#332288", "#117733", "#AA4499", "#882255", "#44AA99", "#DDCC77", "#88CCEE"]


def trend_figure(lines: list[dict], ind: Indicator, measure: str, lang: str, hover_note: str,
                 local_target: float | None = None, local_label: str = "") -> go.Figure:
    """A line per wilayah; gaps where nobody reported; the national target as a dashed line.

    Each item of lines: name, frame (periode, value, reporting, expected), width, dash, color.
    """
    fig = go.Figure()
    digits = 1 if measure == "rate" else 0
    # The kota is drawn last, on top of the kecamatan, but listed first in the legend.
    for rank, line in sorted(enumerate(lines), key=lambda item: item[0] == 0):
        f = line["frame"]
        text = [hover_note.format(reporting=int(r), expected=int(e)) if not pd.isna(r) else ""
                for r, e in zip(f["reporting"], f["expected"])]
        values = [_value_text(v, measure, lang, 2 if measure == "rate" else 0) for v in f["value"]]
        months = [fmt.period(pd.Timestamp(p).date(), lang) for p in f["periode"]]
        fig.add_trace(go.Scatter(
            x=f["periode"], y=f["value"], name=line["name"], mode="lines+markers", connectgaps=False,
            line=dict(width=line.get("width", 2), dash=line.get("dash", "solid"), color=line.get("color")),
            marker=dict(size=4), customdata=list(zip(months, values, text)), legendrank=rank + 1,
            hovertemplate="<b>%{fullData.name}</b><br>%{customdata[0]}: %{customdata[1]}<br>%{customdata[2]}"
                          "<extra></extra>",
        ))
    # A month holding a figure that cannot be true: ⚠ on the line, the reason on hover, in the legend.
    marks = [(line, line["frame"][line["frame"]["tidak_mungkin"].fillna(0) > 0]) for line in lines
             if "tidak_mungkin" in line["frame"]]
    marks = [(line, f) for line, f in marks if len(f)]
    if marks:
        xs = pd.concat([f["periode"] for _, f in marks])
        ys = pd.concat([f["value"] for _, f in marks])
        why = [f"<b>{line['name']}</b><br>{fmt.period(pd.Timestamp(p).date(), lang)}: ⚠ "
               + t("flag.impossible_many", lang, n=fmt.number(int(n), lang))
               for line, f in marks for p, n in zip(f["periode"], f["tidak_mungkin"])]
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers+text", text=["⚠"] * len(xs), textposition="top center",
                                 textfont=dict(size=16, color="#000000"), name="⚠ " + t("flag.legend", lang),
                                 marker=dict(size=11, symbol="circle-open", color="#000000", line=dict(width=2.5)),
                                 hovertext=why, hovertemplate="%{hovertext}<extra></extra>", legendrank=999))
    if measure == "rate" and ind.target is not None:
        fig.add_hline(y=ind.target, line_dash="dash", line_color="#b3001b", line_width=2,
                      annotation_text=ind.text("target_note", lang), annotation_position="top left")
    if local_target is not None:
        text = f"{local_label} {fmt.rate(local_target, lang) if measure == 'rate' else fmt.number(local_target, lang)}"
        fig.add_hline(y=local_target, line_dash="dot", line_color="#1a7f37", line_width=2,
                      annotation_text=text, annotation_position="bottom right")
    periods = pd.concat([line["frame"]["periode"] for line in lines]) if lines else []
    _month_axis(fig, periods, lang, max_ticks=8)
    fig.update_yaxes(rangemode="tozero", ticksuffix=_rate_suffix(lang) if measure == "rate" else "",
                     tickformat=f",.{digits}f", exponentformat="none")
    fig = _layout(fig, lang, 520)
    # The legend goes under the chart so the lines keep the whole width on a 1024 px screen.
    fig.update_layout(legend=dict(orientation="h", y=-0.12, x=0, font=dict(size=12)))
    return fig


def multiples_figure(kecamatan: pd.DataFrame, ind: Indicator, measure: str, lang: str) -> go.Figure:
    """One small chart per kecamatan on one screen, on the same scale."""
    names = sorted(kecamatan["nama"].unique())
    cols = 4 if len(names) > 6 else 3
    rows = -(-len(names) // cols)
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=rows, cols=cols, subplot_titles=names, shared_yaxes=True,
                        vertical_spacing=min(0.3, 0.25 / max(rows - 1, 1) * 1.2), horizontal_spacing=0.04)
    column = "rate" if measure == "rate" else "jumlah"
    for i, name in enumerate(names):
        f = kecamatan[kecamatan["nama"] == name].sort_values("periode")
        fig.add_trace(go.Scatter(x=f["periode"], y=f[column], mode="lines", connectgaps=False, showlegend=False,
                                 line=dict(color="#0072B2", width=2), name=name,
                                 customdata=_hover_data(f["periode"], f[column], measure, lang), hovertemplate=HOVER),
                      row=i // cols + 1, col=i % cols + 1)
        if measure == "rate" and ind.target is not None:
            fig.add_hline(y=ind.target, line_dash="dot", line_color="#b3001b", row=i // cols + 1, col=i % cols + 1)
    _month_axis(fig, kecamatan["periode"], lang, max_ticks=3)
    _value_axis(fig, measure, lang)
    fig.update_yaxes(matches="y")
    fig = _layout(fig, lang, 190 * rows + 40)
    fig.update_annotations(font_size=13)
    return fig


def gap_figure(series: pd.DataFrame, names: dict[str, str], title: str, lang: str) -> go.Figure:
    """Kota totals of both sources month by month and the gap between them (names: a legend label per column)."""
    fig = go.Figure()
    for column, color, dash in (("resmi", "#0072B2", "solid"), ("lapangan", "#D55E00", "solid"),
                                ("selisih", "#111111", "dot")):
        fig.add_trace(go.Scatter(x=series["periode"], y=series[column], name=names[column], mode="lines+markers",
                                 line={"color": color, "dash": dash, "width": 3}, connectgaps=False,
                                 customdata=_hover_data(series["periode"], series[column], "jumlah", lang),
                                 hovertemplate=HOVER))
    _month_axis(fig, series["periode"], lang, max_ticks=8)
    _value_axis(fig, "jumlah", lang)
    fig.update_yaxes(rangemode="normal")  # the gap may be below zero
    fig = _layout(fig, lang, 360)
    fig.update_layout(legend={"orientation": "h", "y": -0.15})
    return with_png_title(fig, title)


def status_legend(points: pd.DataFrame, lang: str) -> list[dict]:
    """Legend rows for the outline of each handling status, with how many points are shown."""
    counts = points["status"].value_counts()
    return [{"color": "#777777" if color == "#FFFFFF" else color, "label": DRAINASE_STATUSES[status][lang],
             "count": int(counts.get(status, 0))} for status, (color, _) in STATUS_OUTLINE.items()]


def png_only_config(file_name: str) -> dict:
    """Plotly's toolbar with one button: the chart as a PNG, made in the browser (no internet needed)."""
    return {"displayModeBar": True, "displaylogo": False, "modeBarButtons": [["toImage"]],
            "toImageButtonOptions": {"format": "png", "filename": file_name, "scale": 2}}


def with_png_title(fig: go.Figure, title: str) -> go.Figure:
    """The chart's title, so a PNG of it says what it shows."""
    fig.update_layout(title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
                      margin={"t": max(fig.layout.margin.t or 0, 48)})
    return fig
