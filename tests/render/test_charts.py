import base64
import json

import pandas as pd

from pantau.domain.catalog import INDICATORS
from pantau.render import cards, charts, maps
from pantau.views import peta, ringkasan, shared


def test_sparkline_breaks_at_a_missing_month_and_travels_as_a_data_url():
    img = cards.sparkline_svg([1.0, 2.0, None, 3.0, 4.0])
    assert img.startswith('<img class="pk-spark"') and "data:image/svg+xml;base64," in img
    svg = base64.b64decode(img.split("base64,")[1].split('"')[0]).decode()
    assert svg.count("<polyline") == 2
    assert cards.sparkline_svg([None, 1.0]) == ""


def test_tiles_and_changes_are_escaped_html(demo_run):
    view = shared.resolve_view(demo_run, {"kota": "14.71", "periode": "2025-08"}, "id")
    tiles = [ringkasan.tile_text(t, view, "id") for t in ringkasan.tiles(demo_run, view.kota, view.periode, view.sumber)]
    out = cards.tiles_html(tiles)
    assert out.count('class="pk-tile"') == 4 and "1.778 anak" in out
    frame = pd.DataFrame({"nama": ["<b>X</b>"], "kecamatan": ["K"], "perubahan": [2.5], "memburuk": [True]})
    html = cards.bar_table(ringkasan.change_rows(frame, "rate", "id"))
    assert "&lt;b&gt;X&lt;/b&gt;" in html and "+2,5 poin" in html and "pk-worse" in html and "memburuk" in html


def test_series_figure_names_months_in_indonesian_and_leaves_gaps(demo_run):
    series = peta.kelurahan_series(demo_run, "64.74.01.1003", "stunting", "2026-10")
    fig = charts.series_figure(series, INDICATORS["stunting"], "rate", "id")
    assert fig.layout.separators == ",."
    assert any("Agu" in t or "Mei" in t or "Okt" in t for t in fig.layout.xaxis.ticktext)
    assert all(trace.connectgaps is False for trace in fig.data)


def test_the_selected_kelurahan_alone_is_outlined_and_borders_are_drawn_once(demo_run):
    view = shared.resolve_view(demo_run, {"kota": "64.74"}, "id")
    model = shared.map_model(peta.kelurahan_values(demo_run, view), view.indicator, "rate", "id")
    ring = [[117.40, 0.10], [117.41, 0.10], [117.41, 0.11], [117.40, 0.10]]
    assets = {"kelurahan": "/app/static/geo/k.json", "batas_kelurahan": "/app/static/geo/gk.json",
              "batas_kecamatan": "/app/static/geo/gc.json", "bounds": [117.38, 0.02, 117.56, 0.2],
              "cincin": {kode: [ring] for kode in model.frame["kode"]}}
    labels = pd.DataFrame({"kode": model.frame["kode"], "lon": 117.4, "lat": 0.1})
    deck = maps.choropleth_deck(assets, model.frame, model.classes, model.colors, labels, None, "id", False,
                                selected="64.74.02.1006")
    spec = json.loads(deck.to_json())
    by_id = {layer["id"]: layer for layer in spec["layers"]}
    # Only the selected kelurahan's rings travel with the map, not an outline of every one.
    assert by_id["terpilih"]["data"] == [{"kode": "64.74.02.1006", "s": a, "t": b} for a, b in zip(ring, ring[1:])]
    assert by_id["kelurahan"]["stroked"] is False  # the borders are the two segment layers, each edge once
    assert [by_id[k]["data"] for k in ("batas_kelurahan", "batas_kecamatan")] == ["/app/static/geo/gk.json",
                                                                                 "/app/static/geo/gc.json"]
    order = [layer["id"] for layer in spec["layers"]]
    # White inner borders, then the dark kecamatan borders over them, then the selection over both.
    assert order.index("kelurahan") < order.index("batas_kelurahan") < order.index("batas_kecamatan") \
        < order.index("terpilih")
    assert "mapStyle" not in spec or spec["mapStyle"] in (None, "__MAP_STYLE__")


def _gap_series():
    periods = pd.to_datetime([f"2024-{m:02d}-01" for m in range(7, 13)])
    resmi = [1500.0, 1600.0, None, 1800.0, 1900.0, 2000.0]
    lapangan = [2100.0, 2200.0, 2300.0, 2400.0, 2500.0, 2600.0]
    frame = pd.DataFrame({"periode": periods, "resmi": resmi, "lapangan": lapangan})
    frame["selisih"] = frame["lapangan"] - frame["resmi"]
    return frame


def test_gap_figure_is_in_indonesian_format_with_babel_months():
    names = {"resmi": "Resmi", "lapangan": "Lapangan", "selisih": "Selisih"}
    fig = charts.gap_figure(_gap_series(), names, "Stunting", "id")
    assert fig.layout.separators == ",."  # plotly writes 2.000 and 12,5
    assert fig.layout.yaxis.tickformat == ",.0f" and fig.layout.yaxis.exponentformat == "none"  # 2.000, never 2k
    ticks = list(fig.layout.xaxis.ticktext)
    assert "Okt<br>2024" in ticks and not any("Oct" in t for t in ticks)
    resmi = fig.data[0]
    assert "customdata" in resmi.hovertemplate
    assert tuple(resmi.customdata[5]) == ("Desember 2024", "2.000")
    assert tuple(resmi.customdata[2]) == ("September 2024", "–")
    english = charts.gap_figure(_gap_series(), names, "Stunting", "en")
    assert english.layout.separators == ".," and "Oct<br>2024" in english.layout.xaxis.ticktext
    assert tuple(english.data[0].customdata[5]) == ("December 2024", "2,000")


def test_series_and_multiples_hover_and_axes_follow_the_language(demo_run):
    series = peta.kelurahan_series(demo_run, "64.74.01.1003", "stunting", "2026-10")
    fig = charts.series_figure(series, INDICATORS["stunting"], "rate", "id")
    assert fig.layout.yaxis.ticksuffix == " %" and fig.layout.yaxis.tickformat == ",.1~f"
    month, value = fig.data[0].customdata[-1]
    assert month == "Oktober 2026" and value.endswith(" %") and "." not in value
    counts = charts.series_figure(series, INDICATORS["stunting"], "jumlah", "en")
    assert counts.layout.yaxis.tickformat == ",.0f" and counts.layout.yaxis.ticksuffix == ""
    kecamatan = pd.DataFrame({"nama": ["Bontang Barat"] * 2, "periode": pd.to_datetime(["2024-09-01", "2024-10-01"]),
                              "rate": [12.25, 1234.5], "jumlah": [1, 2]})
    small = charts.multiples_figure(kecamatan, INDICATORS["stunting"], "rate", "id")
    assert small.layout.yaxis.ticksuffix == " %" and "Okt<br>2024" in small.layout.xaxis.ticktext
    assert [tuple(c) for c in small.data[0].customdata] == [("September 2024", "12,2 %"), ("Oktober 2024", "1.234,5 %")]
