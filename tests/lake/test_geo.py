import json

from pantau import settings
from pantau.lake import geo


def test_wilayah_has_every_code_and_the_boundaries_that_exist():
    gdf = geo.load_wilayah()
    counts = gdf.groupby("tingkat").size().to_dict()
    assert counts == {"provinsi": 4, "kota": 4, "kecamatan": 29, "kelurahan": 163}
    missing = gdf[(gdf["tingkat"] == "kelurahan") & gdf.geometry.isna()]["kode"].tolist()
    assert missing == ["16.74.01.1014", "16.74.02.1011", "16.74.02.1012", "16.74.02.1013",
                       "16.74.02.1014", "16.74.02.1015", "16.74.05.1006", "16.74.05.1007"]
    bontang = gdf.set_index("kode")
    assert bontang.at["64.74.02.1006", "parent_kode"] == "64.74.02"
    assert 1 < bontang.at["64.74.02.1006", "luas_km2"] < 20
    # Boundary names win over the shouting of the code list.
    assert "Tanjung Rhu" in set(gdf["nama"])


def test_map_files_carry_shapes_only_and_are_named_by_content(demo_run, tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "GEO_STATIC_DIR", tmp_path)
    rows = demo_run("geometry_by_kota", kota_kode="16.74")
    first = geo.map_assets("16.74", rows)
    again = geo.map_assets("16.74", rows)
    assert first == again
    kel = json.loads((tmp_path / first["kelurahan"].rsplit("/", 1)[1]).read_text())
    assert len(kel["features"]) == 37  # the eight kelurahan without a boundary are not drawn
    assert set(kel["features"][0]["properties"]) == {"kode", "nama", "keterangan", "nilai_teks"}
    kec = json.loads((tmp_path / first["kecamatan"].rsplit("/", 1)[1]).read_text())
    assert {f["properties"]["kode"] for f in kec["features"]} <= {f"16.74.0{i}" for i in range(1, 7)}
    minx, miny, maxx, maxy = first["bounds"]
    assert 104.0 < minx < maxx < 104.5 and -3.6 < miny < maxy < -3.2


def test_label_points_fall_inside_their_kelurahan(demo_run):
    import shapely

    rows = demo_run("geometry_by_kota", kota_kode="64.74")
    labels = geo.label_points(rows)
    kel = rows[rows["tingkat"] == "kelurahan"].set_index("kode")
    for r in labels.itertuples():
        assert geo.shapes([kel.at[r.kode, "geometry"]])[0].buffer(1e-4).contains(shapely.Point(r.lon, r.lat))
