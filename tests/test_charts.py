import base64
import json

import pandas as pd

from pantau import cards, charts, views
from pantau.catalog import INDICATORS


def test_sparkline_breaks_at_a_missing_month_and_travels_as_a_data_url():
    img = cards.sparkline_svg([1.0, 2.0, None, 3.0, 4.0])
    assert img.startswith('<img class="pk-spark"') and "data:image/svg+xml;base64," in img
    svg = base64.b64decode(img.split("base64,")[1].split('"')[0]).decode()
    assert svg.count("<polyline") == 2
    assert cards.sparkline_svg([None, 1.0]) == ""


def test_tiles_and_changes_are_escaped_html(demo_run):
    view = views.resolve_view(demo_run, {"kota": "14.71", "periode": "2025-08"}, "id")
    tiles = [views.tile_text(t, view, "id") for t in views.tiles(demo_run, view.kota, view.periode, view.sumber)]
    out = cards.tiles_html(tiles)
    assert out.count('class="pk-tile"') == 4 and "1.778 anak" in out
    frame = pd.DataFrame({"nama": ["<b>X</b>"], "kecamatan": ["K"], "perubahan": [2.5], "memburuk": [True]})
    html = cards.bar_table(views.change_rows(frame, "rate", "id"))
    assert "&lt;b&gt;X&lt;/b&gt;" in html and "+2,5 poin" in html and "pk-worse" in html and "memburuk" in html


def test_series_figure_names_months_in_indonesian_and_leaves_gaps(demo_run):
    series = views.kelurahan_series(demo_run, "64.74.01.1003", "stunting", "2026-10")
    fig = charts.series_figure(series, INDICATORS["stunting"], "rate", "id")
    assert fig.layout.separators == ",."
    assert any("Agu" in t or "Mei" in t or "Okt" in t for t in fig.layout.xaxis.ticktext)
    assert all(trace.connectgaps is False for trace in fig.data)


def test_the_selected_kelurahan_is_outlined_from_the_same_file(demo_run):
    view = views.resolve_view(demo_run, {"kota": "64.74"}, "id")
    model = views.map_model(views.kelurahan_values(demo_run, view), view.indicator, "rate", "id")
    assets = {"kelurahan": "/app/static/geo/k.json", "kecamatan": "/app/static/geo/c.json", "bounds": [117.38, 0.02, 117.56, 0.2]}
    labels = pd.DataFrame({"kode": model.frame["kode"], "lon": 117.4, "lat": 0.1})
    deck = charts.choropleth_deck(assets, model.frame, model.classes, model.colors, labels, None, "id", False,
                                  selected="64.74.02.1006")
    spec = json.loads(deck.to_json())
    chosen = next(layer for layer in spec["layers"] if layer["id"] == "terpilih")
    assert chosen["data"] == assets["kelurahan"] and chosen["getLineColor"]["domain"] == ["64.74.02.1006"]
    assert "mapStyle" not in spec or spec["mapStyle"] in (None, "__MAP_STYLE__")
