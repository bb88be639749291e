"""The level map of Peta wilayah: the nation has a shape even in a lake of four cities, the parts with data
stay visible at any zoom, the names and markers are chosen for the frame the map is drawn in."""

import json

import numpy as np
import pandas as pd
import shapely

from pantau import settings
from pantau.domain.classes import MISSING
from pantau.lake import geo
from pantau.render import level_map, maps

EMPTY = pd.DataFrame(columns=["kode", "nama", "parent_kode", "geometry"])


def test_the_repository_ships_every_province_and_kab_kota_small_and_with_its_notice():
    codes = pd.read_csv(settings.WILAYAH_DIR / "kode_wilayah_nasional.csv.gz", dtype=str)
    for panjang, tingkat in [(2, "provinsi"), (5, "kabkota")]:
        shipped = geo.national_outlines(panjang)
        expected = set(codes.loc[codes["tingkat"] == tingkat, "kode"])
        assert set(shipped["kode"]) <= expected and len(shipped) >= 0.98 * len(expected), tingkat
        shapes = geo.shapes(shipped["geometry"])
        assert shapely.is_valid(shapes).all() and not shapely.is_empty(shapes).any()
        assert (shipped["nama"] != shipped["kode"]).all()  # names from the code list, not bare codes
    size = sum((settings.WILAYAH_DIR / name).stat().st_size for name in geo.NATIONAL_FILES.values())
    assert size < 3_000_000
    assert "Cahya DSN" in (settings.WILAYAH_DIR / "LICENSE-wilayah").read_text()
    # The whole country: from Sabang to Merauke.
    minx, miny, maxx, maxy = shapely.total_bounds(geo.shapes(geo.national_outlines(2)["geometry"]))
    assert minx < 96 and maxx > 140 and miny < -10 and maxy > 5


def test_the_lake_s_own_boundaries_come_first_and_the_shipped_fill_the_rest():
    own = shapely.box(117.4, 0.0, 117.6, 0.2)
    lake_parts = pd.DataFrame({"kode": ["64.74"], "nama": ["Kota Bontang"], "parent_kode": ["64"],
                               "geometry": [shapely.to_wkb(own)]})
    kaltim = geo.with_national(lake_parts, "64", 5)
    assert kaltim["kode"].str.startswith("64.").all() and len(kaltim) == 10
    assert kaltim["kode"].is_monotonic_increasing
    bontang = kaltim[kaltim["kode"] == "64.74"]
    assert len(bontang) == 1 and shapely.equals(geo.shapes(bontang["geometry"])[0], own)
    nation = geo.with_national(EMPTY, "", 2)
    assert len(nation) == 38 and nation["parent_kode"].isna().all()
    # A kecamatan or desa map has only the lake's boundaries: nothing is shipped below kab/kota.
    assert geo.with_national(EMPTY, "", 8).empty


def _labels():
    return pd.DataFrame({"kode": ["11", "12", "13"], "nama": ["Besar", "Kecil", "Tanpa data"],
                         "lon": [100.0, 110.0, 120.0], "lat": [0.0, 0.0, 0.0], "lebar": [8.0, 0.05, 0.05]})


def _slot(deck, layer_id):
    layer = next(x for x in json.loads(deck.to_json())["layers"] if x["id"] == layer_id)
    return layer["data"]


def test_a_part_with_data_too_small_to_see_gets_a_marker_and_a_large_one_does_not():
    assets = {"bagian": "/app/static/geo/b.json", "garis": None, "bounds": [95.0, -11.0, 141.0, 6.0]}
    deck = level_map.level_deck(assets, ["11", "12"], np.array([2, 0]), ["#ffeeee", "#ff8888", "#cc0000"], _labels())
    nation = maps.fitted(maps.FrozenDeck(deck), 1000, 400)
    markers = _slot(nation, "titik")
    assert [m["kode"] for m in markers] == ["12"]  # 13 has no data; 11 is 170 px wide at this zoom
    assert markers[0]["warna"][:3] != list(int(c * 255) for c in (0.78, 0.78, 0.78))
    # The same deck fitted onto the small part's surroundings: it is large enough there, no marker.
    close = maps.fitted(maps.FrozenDeck(deck), 1000, 400, bounds=[109.9, -0.1, 110.1, 0.1])
    assert _slot(close, "titik") == []
    # Names: the parts with data first, the worse class first; the one without data last.
    assert [n["kode"] for n in deck.pk_labels.to_dict("records")] == ["11", "12", "13"]


def test_a_map_of_many_parts_names_only_those_with_data():
    many = pd.DataFrame({"kode": [f"{i:02d}.{j:02d}" for i in range(11, 14) for j in range(1, 51)],
                         "nama": [f"Kab {i}" for i in range(150)], "lon": np.linspace(96, 140, 150),
                         "lat": 0.0, "lebar": 0.5})
    kodes = many["kode"].tolist()
    classes = np.array([0 if i < 3 else MISSING for i in range(150)])
    assets = {"bagian": "/app/static/geo/b.json", "garis": None, "bounds": [95.0, -11.0, 141.0, 6.0]}
    deck = level_map.level_deck(assets, kodes, classes, ["#ffeeee", "#cc0000"], many)
    assert deck.pk_labels["kode"].tolist() == kodes[:3]
