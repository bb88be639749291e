"""The level map of Peta wilayah (and Prioritas at a wider scope): the parts of a wilayah at one level,
provinces to desa, coloured by class, with the outlines of the level above."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pydeck as pdk

from pantau.domain.classes import MISSING_COLOR, hex_rgb
from pantau.render.maps import MAP_HEIGHT, CompactDeck, _fill, name_layer, view_for_bounds


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
