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
    minx, miny, maxx, maxy = first["bounds"]
    assert 104.0 < minx < maxx < 104.5 and -3.6 < miny < maxy < -3.2


def test_borders_are_drawn_once_each_kecamatan_border_dark(demo_run, tmp_path, monkeypatch):
    import shapely

    monkeypatch.setattr(settings, "GEO_STATIC_DIR", tmp_path)
    rows = demo_run("geometry_by_kota", kota_kode="16.74")
    assets = geo.map_assets("16.74", rows)

    def segments(key):
        data = json.loads((tmp_path / assets[key].rsplit("/", 1)[1]).read_text())
        return {(tuple(r["s"]), tuple(r["t"])) for r in data}

    inner, kec = segments("batas_kelurahan"), segments("batas_kecamatan")
    assert inner and kec and not inner & kec  # no border is drawn twice
    kel = rows[(rows["tingkat"] == "kelurahan") & rows["geometry"].notna()]
    polygons = shapely.set_precision(geo.shapes(kel["geometry"]), 1e-5)
    every = {((r[0] / 1e5, r[1] / 1e5), (r[2] / 1e5, r[3] / 1e5)) for r in geo.edge_segments(polygons).tolist()}
    assert inner <= every
    # The kecamatan outlines are the union of their kelurahan without the slivers where two surveys disagree
    # (tests/render/test_handout.py); a sliver's edges are no kecamatan border.
    outlines = {p: shapely.boundary(g) for p, g in geo.kecamatan_outlines(kel["parent_kode"], polygons).items()}

    def on_kecamatan_border(segment):
        middle = shapely.Point((segment[0][0] + segment[1][0]) / 2, (segment[0][1] + segment[1][1]) / 2)
        return any(line.distance(middle) < 2e-5 for line in outlines.values())

    assert all(on_kecamatan_border(s) for s in kec)
    # White segments lie inside a kecamatan; the few near a border are edges of boundaries that do not
    # quite meet (Prabumulih's), drawn under the dark line (the layer after them).
    assert sum(on_kecamatan_border(s) for s in inner) < 0.15 * len(inner)
    # Each edge of every kelurahan is drawn: white between two of one kecamatan, else on a dark border.
    assert all(on_kecamatan_border(s) for s in every - inner)


def test_outline_rings_are_each_kelurahans_own(demo_run):
    import shapely

    rows = demo_run("geometry_by_kota", kota_kode="64.74")
    rings = geo.kelurahan_rings(rows)
    kel = rows[rows["tingkat"] == "kelurahan"].set_index("kode")
    assert set(rings) == set(kel.index[kel["geometry"].notna()])
    shape = geo.shapes([kel.at["64.74.02.1006", "geometry"]])[0]
    for ring in rings["64.74.02.1006"]:
        assert ring[0] == ring[-1] and shape.boundary.distance(shapely.Point(ring[len(ring) // 2])) < 2e-5


def test_label_points_fall_inside_their_kelurahan(demo_run):
    import shapely

    rows = demo_run("geometry_by_kota", kota_kode="64.74")
    labels = geo.label_points(rows)
    kel = rows[rows["tingkat"] == "kelurahan"].set_index("kode")
    for r in labels.itertuples():
        assert geo.shapes([kel.at[r.kode, "geometry"]])[0].buffer(1e-4).contains(shapely.Point(r.lon, r.lat))


def test_a_kota_level_maps_kecamatan_lines_sit_on_its_kelurahan(demo_run, tmp_path, monkeypatch):
    import shapely

    monkeypatch.setattr(settings, "GEO_STATIC_DIR", tmp_path)
    parts = demo_run("geometry_by_bagian", wilayah_kode="14.71", panjang=13)
    above = demo_run("geometry_by_bagian", wilayah_kode="14.71", panjang=8)
    assets = geo.part_assets("14.71-kelurahan-t", lambda: (parts, above))

    def segments(key):
        rows = json.loads((tmp_path / assets[key].rsplit("/", 1)[1]).read_text())
        return {(tuple(r["s"]), tuple(r["t"])) for r in rows}

    shapes = json.loads((tmp_path / assets["bagian"].rsplit("/", 1)[1]).read_text())["features"]
    edges = shapely.union_all(shapely.boundary(shapely.from_geojson([json.dumps(f["geometry"]) for f in shapes])))

    def off_the_fills(segment):
        middle = shapely.Point((segment[0][0] + segment[1][0]) / 2, (segment[0][1] + segment[1][1]) / 2)
        return edges.distance(middle)

    lines, borders = segments("garis"), segments("batas")
    assert lines and borders and not lines & borders
    # The kecamatan lines run on the kelurahan edges drawn; the published kecamatan layer is coarser and
    # its lines would cut across the kelurahan (hundreds of metres off).
    assert max(off_the_fills(s) for s in lines) < 2e-5
    published = geo.edge_segments(geo.shapes(above["geometry"]))
    assert max(off_the_fills(((r[0] / 1e5, r[1] / 1e5), (r[2] / 1e5, r[3] / 1e5))) for r in published) > 1e-3
