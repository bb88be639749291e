"""Charts from query results: the plotly lines of months, trends, small multiples and the gap between sources."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from pantau.domain.catalog import Indicator, source_label
from pantau.i18n import t
from pantau.render import fmt


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


def _month_axis(fig: go.Figure, periods, lang: str, max_ticks: int = 10) -> None:
    """Month names on the x axis from Babel (plotly would name them in English)."""
    months = sorted(pd.to_datetime(pd.Series(periods).dropna().unique()))
    step = max(1, math.ceil(len(months) / max_ticks))
    ticks = months[::-1][::step][::-1]  # always label the newest month
    # Month over year ("Apr" above "2024"): a label half as wide, so a phone's 300 px axis does not overprint.
    fig.update_xaxes(tickvals=ticks, ticktext=[fmt.month_short(m.date(), lang).replace(" ", "<br>", 1) for m in ticks],
                     tickangle=0)


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
               + t("flag.impossible_single" if int(n) == 1 else "flag.impossible_many", lang,
                   n=fmt.number(int(n), lang))
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
    _month_axis(fig, periods, lang, max_ticks=7)
    fig.update_yaxes(rangemode="tozero", ticksuffix=_rate_suffix(lang) if measure == "rate" else "",
                     tickformat=f",.{digits}f", exponentformat="none")
    # A kota of many kecamatan (Pekanbaru: 15 lines) gets a taller figure for its legend rows on a phone.
    fig = _layout(fig, lang, 520 if len(lines) <= 8 else 600)
    # The legend goes under the chart so the lines keep the whole width on a 1024 px screen; it may take the
    # figure's whole height before it scrolls (plotly's default is half, which hides lines on a phone).
    fig.update_layout(legend=dict(orientation="h", y=-0.3, x=0, font=dict(size=12), maxheight=1))
    return fig


def years_figure(table: pd.DataFrame, ind: Indicator, measure: str, lang: str, hover_note: str) -> go.Figure:
    """A year's figures as bars on an axis of years (never of months), each with its value, how many
    kelurahan reported, and ⚠ where a figure under it cannot be true."""
    column = "rate" if measure == "rate" else "jumlah"
    years = [str(int(y)) for y in table["tahun"]]
    flagged = table["tidak_mungkin"] > 0
    # Each bar says its completeness under its value: a year half the kelurahan reported is not a full year.
    labels = [("⚠ " if f else "") + _value_text(v, measure, lang)
              + f"<br><span style='font-size:11px'>{fmt.number(r, lang)}/{fmt.number(e, lang)} kel.</span>"
              for v, f, r, e in zip(table[column], flagged, table["reporting"], table["expected"])]
    hover = [[y, _value_text(v, measure, lang), fmt.number(r, lang), fmt.number(e, lang)]
             for y, v, r, e in zip(years, table[column], table["reporting"], table["expected"])]
    fig = go.Figure(go.Bar(x=years, y=table[column], text=labels, textposition="outside", customdata=hover,
                           marker_color=["#b45309" if f else "#1f4e79" for f in flagged], cliponaxis=False,
                           hovertemplate="<b>%{customdata[0]}</b>: %{customdata[1]}<br>"
                                         + hover_note.format(reporting="%{customdata[2]}", expected="%{customdata[3]}")
                                         + "<extra></extra>"))
    _layout(fig, lang, 360)
    fig.update_xaxes(type="category", title=None)
    _value_axis(fig, measure, lang)
    if measure == "rate" and ind.target is not None:
        # The target's note above the plot, not on the line, where it would cover the bars' labels.
        fig.add_hline(y=ind.target, line_dash="dash", line_color="#b3001b", line_width=2)
        fig.add_annotation(x=0, xref="paper", y=1.02, yref="paper", yanchor="bottom", xanchor="left", showarrow=False,
                           text=f"<span style='color:#b3001b'>– – {ind.text('target_note', lang)}</span>")
    fig.update_layout(showlegend=False, margin=dict(l=10, r=10, t=70, b=10))
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


def png_only_config(file_name: str) -> dict:
    """Plotly's toolbar with one button: the chart as a PNG, made in the browser (no internet needed)."""
    return {"displayModeBar": True, "displaylogo": False, "modeBarButtons": [["toImage"]],
            "toImageButtonOptions": {"format": "png", "filename": file_name, "scale": 2}}


def with_png_title(fig: go.Figure, title: str) -> go.Figure:
    """The chart's title, so a PNG of it says what it shows."""
    fig.update_layout(title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
                      margin={"t": max(fig.layout.margin.t or 0, 48)})
    return fig
