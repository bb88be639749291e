"""The level map of Peta wilayah (and Prioritas at a wider scope): the parts of a wilayah at one level,
provinces to desa, coloured by class, with the outlines of the level above."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pydeck as pdk

from pantau.domain.classes import MISSING, NO_DATA_COLOR, hex_rgb
from pantau.render.labels import label_order
from pantau.render.maps import CompactDeck, _fill, border_layer, name_layer, view_for_bounds

NAMED_PARTS = 100  # on a map of more parts than this, only the parts with data are named


def level_deck(assets: dict, kodes: list[str], classes: np.ndarray, colors: list[str],
               labels: pd.DataFrame | None, label_size: int = 13) -> pdk.Deck:
    """A choropleth of the parts of a wilayah at one level (provinces to desa), with the outlines of
    the level above, their names where they fit, a marker on each part with data that the view draws
    too small to see, and no basemap. Parts without data are drawn grey ("no data"), never left out.

    The polygons come from the static file in assets (kode and nama only), so a change of indicator,
    month or source sends only a colour per kode, never the shapes: 83,246 desa are about 2 MB of
    colours against 30 MB of shapes that the browser fetched once. The view is fitted to the frame
    the map is drawn in (`maps.fitted`), which also picks the names and markers that show there.
    """
    fill = [_fill(colors, c, 230) for c in classes]
    token = hashlib.sha1(repr((kodes, fill)).encode()).hexdigest()[:16]
    layers = [pdk.Layer(
        "GeoJsonLayer", id="bagian", data=assets["bagian"], filled=True, stroked=False,
        get_fill_color={"@@function": "colorCategories", "attr": "kode", "domain": kodes, "colors": fill,
                        "othersColor": hex_rgb(NO_DATA_COLOR, 255)},
        update_triggers={"getFillColor": token},
        pickable=True, auto_highlight=True, highlight_color=[0, 90, 200, 110],
    )]
    if assets.get("batas"):
        # White borders between the parts, each once (a map of thousands of parts has none: geo.STROKED_PARTS).
        layers.append(border_layer("batas", assets["batas"], [255, 255, 255, 255], 0.5))
    if assets.get("garis"):
        # The level above: dark enough to read over the fills, thin enough that a nation of islands
        # (every coast is an outline) does not turn black.
        layers.append(border_layer("garis", assets["garis"], [60, 60, 60, 220], 1))
    named = points = None
    if labels is not None and len(labels):
        kelas = dict(zip(kodes, classes))
        ranked = pd.DataFrame({"kode": labels["kode"], "kelas": labels["kode"].map(kelas).fillna(MISSING),
                               "area": labels["lebar"] if "lebar" in labels else 0.0})
        with_data = (ranked["kelas"] != MISSING).to_numpy()
        rows = labels.assign(teks=labels["nama"])
        if len(rows) > NAMED_PARTS:
            rows, ranked = rows[with_data], ranked[with_data]
        # Parts with data and a worse class claim room first, then the larger ones (labels.label_order).
        named = rows.set_index("kode").loc[label_order(ranked)].reset_index()
        layers.append(name_layer(named[["kode", "lon", "lat", "teks", "nama"]], "teks", label_size, give_way=False))
        if "lebar" in labels:
            points = labels.loc[with_data, ["kode", "nama", "lon", "lat", "lebar"]].reset_index(drop=True)
            points["warna"] = [_fill(colors, int(kelas[k]), 255) for k in points["kode"]]
            layers.insert(len(layers) - 1, pdk.Layer(
                "ScatterplotLayer", id="titik", data=points, get_position=["lon", "lat"], get_fill_color="warna",
                get_radius=5, radius_units="'pixels'", stroked=True, get_line_color=[20, 20, 20, 255],
                line_width_units="'pixels'", get_line_width=1.5, pickable=True))
    deck = CompactDeck(
        layers=layers,
        initial_view_state=view_for_bounds(assets.get("bounds")),
        map_provider=None,
        tooltip={"html": "<b>{nama}</b><br/>{kode}",
                 "style": {"fontSize": "15px", "backgroundColor": "#1b1b1b", "color": "white"}},
    )
    deck.pk_bounds = assets.get("bounds")  # the extent a frame's view is fitted to (`maps.fitted`)
    deck.pk_labels, deck.pk_label_size, deck.pk_points = named, label_size, points
    return deck
