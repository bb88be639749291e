"""The kota maps' view fitted to the frame they are drawn in, and names placed whole or not at all."""

import json

import pandas as pd
import pydeck as pdk

from pantau.render import maps
from pantau.views import peta, shared

ASSETS = {"kelurahan": "/app/static/geo/k.json", "batas_kelurahan": "/app/static/geo/gk.json",
          "batas_kecamatan": "/app/static/geo/gc.json",
          "bounds": [117.38, 0.02, 117.56, 0.2]}


def _deck(demo_run, labels=None, **kwargs):
    view = shared.resolve_view(demo_run, {"kota": "64.74"}, "id")
    model = shared.map_model(peta.kelurahan_values(demo_run, view), view.indicator, "rate", "id")
    if labels is None:  # every name on the same point: only one can be drawn there
        labels = pd.DataFrame({"kode": model.frame["kode"], "lon": 117.47, "lat": 0.11,
                               "luas": range(len(model.frame))})
    return model, maps.choropleth_deck(ASSETS, model.frame, model.classes, model.colors, labels, None, "id", False,
                                       **kwargs)


def test_the_view_spans_the_frame_it_is_fitted_to():
    bounds = ASSETS["bounds"]
    for width, height in [(350, 400), (1015, 780), (520, 530)]:
        view = maps.view_for_bounds(bounds, width_px=width, height_px=height)
        corners = pd.DataFrame({"lon": [bounds[0], bounds[2]], "lat": [bounds[3], bounds[1]], "teks": ["", ""]})
        box = maps.label_boxes(corners, view, width, height, 0)
        span_x = (box[1, 0] - box[0, 0]) / width
        span_y = (box[1, 1] - box[0, 1]) / height
        assert 0.85 <= max(span_x, span_y) <= 1.0 and min(span_x, span_y) <= 1.0, (width, height, span_x, span_y)


def test_a_frozen_deck_is_fitted_per_frame_without_changing_the_shared_one(demo_run):
    _, deck = _deck(demo_run)
    frozen = maps.FrozenDeck(deck)
    narrow, wide = maps.fitted(frozen, 350, 400), maps.fitted(frozen, 1015, 780)
    zoom = {name: json.loads(d.to_json())["initialViewState"]["zoom"] for name, d in
            [("frozen", frozen), ("narrow", narrow), ("wide", wide)]}
    assert zoom["narrow"] < zoom["wide"]
    assert zoom["frozen"] == json.loads(deck.to_json())["initialViewState"]["zoom"]  # left as it was
    # A cluster to zoom onto: a smaller extent, a closer view.
    closer = maps.fitted(frozen, 1015, 780, bounds=[117.47, 0.10, 117.50, 0.13])
    assert json.loads(closer.to_json())["initialViewState"]["zoom"] > zoom["wide"]


def test_names_that_would_touch_give_way_to_the_more_important(demo_run):
    model, deck = _deck(demo_run, selected="64.74.02.1006", outlined=["64.74.01.1003"])
    spec = json.loads(maps.fitted(deck, 800, 600).to_json())
    names = next(layer for layer in spec["layers"] if layer["id"] == "nama")
    assert [row["kode"] for row in names["data"]] == ["64.74.02.1006"]  # one point: the selected keeps it
    assert "extensions" not in names  # placed beforehand: nothing fades on screen
    _, deck = _deck(demo_run, outlined=["64.74.01.1003"])
    names = next(layer for layer in json.loads(maps.fitted(deck, 800, 600).to_json())["layers"] if layer["id"] == "nama")
    assert [row["kode"] for row in names["data"]] == ["64.74.01.1003"]  # then a priority kelurahan


def test_place_labels_keeps_names_whole_apart_and_inside_the_frame():
    view = pdk.ViewState(latitude=0.0, longitude=0.0, zoom=10)
    labels = pd.DataFrame({
        "kode": ["a", "b", "c", "d"],
        "lon": [0.0, 0.001, 0.2, 0.5],  # b sits on a; c is apart; d is off the frame
        "lat": [0.0, 0.0, 0.0, 0.0],
        "teks": ["Tanjung Laut Indah", "Tanjung Laut", "Api-api", "Jauh"],
    })
    placed = maps.place_labels(labels, view, 800, 400, 14)
    assert list(placed["kode"]) == ["a", "c"]
    boxes = maps.label_boxes(placed, view, 800, 400, 14)
    assert boxes[0, 2] < boxes[1, 0] or boxes[1, 2] < boxes[0, 0]
    assert (boxes[:, 0] >= 0).all() and (boxes[:, 2] <= 800).all()
    # Two lines of type (a name and its value) need twice the height.
    two = maps.label_boxes(labels.assign(teks=labels["teks"] + "\n12,5 %"), view, 800, 400, 14)
    one = maps.label_boxes(labels, view, 800, 400, 14)
    assert (two[:, 3] - two[:, 1] > 1.8 * (one[:, 3] - one[:, 1]) - 8).all()


def test_the_frame_is_as_tall_as_the_kota_needs_within_the_window():
    tall = [117.38, 0.02, 117.56, 0.2]  # Bontang: about square
    assert maps.frame_height(tall, 350, 844) < maps.frame_height(tall, 1015, 1080) <= 780
    assert maps.frame_height(tall, 350, 844) >= 300
    wide = [95.0, -11.0, 141.0, 6.0]  # the nation: a low frame, no empty bands on a phone
    assert 220 <= maps.frame_height(wide, 350, 844) < 200 + 30
    assert maps.frame_height(None, 600, None) == maps.MAP_HEIGHT
