"""Peta's map of Pekanbaru as the app builds it, with only the layers `?layers=` names (bench.frame).
The `paths_*` layers draw the borders the way the map did until 2026-12-03, as paths: every kelurahan's
outline (white), every kecamatan's (dark) and, for the one flagged kelurahan, every kelurahan's outline
again 4 px wide in a colour that is transparent but for the flagged one; `path_ditandai` is the flagged
kelurahan's outline alone as a path (the way of the first change that day)."""

import functools
import os

import pydeck as pdk
import shapely
import streamlit as st

from pantau.lake import geo, queries
from pantau.lake.store import Lake
from pantau.render import maps
from pantau.views import peta, shared

st.set_page_config(layout="wide")
run = functools.partial(queries.run, Lake(os.environ["PANTAU_LAKE"]).connect().cursor())
view = shared.resolve_view(run, {"kota": "14.71", "indikator": "stunting"}, "id")
model = shared.map_model(peta.kelurahan_values(run, view), view.indicator, "rate", "id")
kota = geo.kota_assets(run.args[0], "14.71")
assets = dict(kota["id"], labels=kota["labels"], cincin=kota["cincin"])
for key in geo.MAP_FILES:
    assets[key] = "/" + assets[key]
deck = maps.choropleth_deck(assets, model.frame, model.classes, model.colors, assets["labels"], None, "id", False,
                            outlined=None)
wanted = (st.query_params.get("layers") or "").split(",")
layers = [layer for layer in deck.layers if layer.id in wanted]
flagged = set(model.frame.loc[model.frame["ditandai"].astype(bool), "kode"])


def paths(layer_id: str, rings: dict, color, width: float, shown=None) -> pdk.Layer:
    data = [{"path": ring, "c": color if shown is None or kode in shown else [0, 0, 0, 0]}
            for kode, rs in rings.items() for ring in rs]
    return pdk.Layer("PathLayer", id=layer_id, data=data, get_path="path", get_color="c", get_width=width,
                     width_units="'pixels'")


kel = assets["cincin"]
rows = run("geometry_by_kota", kota_kode="14.71")
kel_rows = rows[(rows["tingkat"] == "kelurahan") & rows["geometry"].notna()]
outlines = geo.kecamatan_outlines(kel_rows["parent_kode"], geo.shapes(kel_rows["geometry"]))
kec = {k: [ring.coords[:] for ring in shapely.get_parts(shapely.boundary(g))] for k, g in outlines.items()}
extra = {"paths_kelurahan": lambda: paths("paths_kelurahan", kel, [255, 255, 255, 255], 1),
         "paths_kecamatan": lambda: paths("paths_kecamatan", kec, [40, 40, 40, 255], 2.5),
         "paths_ditandai": lambda: paths("paths_ditandai", kel, [0, 0, 0, 255], 4, flagged),
         "path_ditandai": lambda: paths("path_ditandai", {k: kel[k] for k in flagged}, [0, 0, 0, 255], 4)}
layers += [make() for name, make in extra.items() if name in wanted]
deck.layers = layers
st.title("bench.frame")
st.pydeck_chart(maps.fitted(deck, 1100, 600), height=600)
