"""The naive way, for comparison: st.pydeck_chart of a GeoJSON with shapes and values inline.

Run by bench.nasional_peta as `streamlit run bench/naive_map.py` with NAIVE_DESA=<how many desa> and
NAIVE_FILE=<the national GeoParquet>. Every rerun sends every polygon again.
"""

import os

import geopandas as gpd
import numpy as np
import pydeck as pdk
import streamlit as st

st.set_page_config(layout="wide")
count = int(os.environ["NAIVE_DESA"])
frame = gpd.read_parquet(os.environ["NAIVE_FILE"]).sort_values("kode").head(count)
indicator = st.radio("Indikator", ["a", "b"], horizontal=True)
rng = np.random.default_rng(1 if indicator == "a" else 2)
frame["nilai"] = rng.uniform(0, 30, len(frame)).round(1)
frame["warna"] = [[int(255), int(255 - 7 * v), 60, 220] for v in frame["nilai"]]
st.title(f"Naive {count} {indicator}")
layer = pdk.Layer("GeoJsonLayer", data=frame.__geo_interface__, get_fill_color="properties.warna",
                  stroked=False, pickable=True)
bounds = frame.total_bounds
view = pdk.ViewState(latitude=(bounds[1] + bounds[3]) / 2, longitude=(bounds[0] + bounds[2]) / 2, zoom=4)
st.pydeck_chart(pdk.Deck(layers=[layer], initial_view_state=view, map_provider=None), height=560)
