"""Boundaries: read the shipped wilayah files, and prepare map geometry once per kota."""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from pantau import settings

# An equal-area projection valid for the whole country, for areas in km².
EQUAL_AREA_CRS = "EPSG:6933"
COORD_DECIMALS = 5  # about one metre: enough for a kelurahan map, a third of the bytes

TINGKAT = {"kabkota": "kota", "kecamatan": "kecamatan", "desa_kelurahan": "kelurahan"}


def parent_code(kode: str) -> str | None:
    """The code one level up: 64.74.02.1006 -> 64.74.02, 64.74 -> 64; a province has none."""
    parts = kode.split(".")
    return ".".join(parts[:-1]) if len(parts) > 1 else None


def load_wilayah(wilayah_dir: Path | None = None, kota_kodes: tuple[str, ...] | None = None) -> gpd.GeoDataFrame:
    """Every kota, kecamatan and kelurahan of the code list, with its boundary where one exists."""
    wilayah_dir = Path(wilayah_dir or settings.WILAYAH_DIR)
    codes = pd.read_csv(wilayah_dir / "kode_wilayah.csv", dtype=str)
    provinces = codes[codes["tingkat"] == "provinsi"].assign(tingkat="provinsi", kota_kode=None)
    codes = codes[codes["tingkat"].isin(TINGKAT)].copy()
    codes["tingkat"] = codes["tingkat"].map(TINGKAT)
    codes["kota_kode"] = codes["kode"].str.slice(0, 5)
    if kota_kodes:
        codes = codes[codes["kota_kode"].isin(kota_kodes)]
    # The provinces the kota lie in (names only: the province scope of Ringkasan, Tren and Prioritas).
    codes = pd.concat([provinces[provinces["kode"].isin(codes["kode"].str.slice(0, 2))], codes], ignore_index=True)

    shapes = []
    for name, tingkat in (("kota", "kota"), ("kecamatan", "kecamatan"), ("kelurahan", "kelurahan")):
        layer = gpd.read_file(wilayah_dir / f"{name}.geojson")[["kode", "nama", "geometry"]]
        layer["tingkat"] = tingkat
        shapes.append(layer)
    shapes = pd.concat(shapes, ignore_index=True).rename(columns={"nama": "nama_batas"})

    merged = codes.merge(shapes[["kode", "nama_batas", "geometry"]], on="kode", how="left")
    # Boundary names are in title case ("Tanjung Rhu"); the code list shouts some ("Tanjung RHU").
    merged["nama"] = merged["nama_batas"].where(merged["tingkat"] == "kelurahan").fillna(merged["nama"])
    merged["parent_kode"] = merged["kode"].map(parent_code)
    gdf = gpd.GeoDataFrame(merged.drop(columns="nama_batas"), geometry="geometry", crs="EPSG:4326")
    areas = gdf.geometry.to_crs(EQUAL_AREA_CRS).area / 1e6
    gdf["luas_km2"] = areas.where(gdf.geometry.notna())
    return gdf.sort_values("kode").reset_index(drop=True)


def wilayah_table(gdf: gpd.GeoDataFrame) -> pa.Table:
    """The boundaries as rows for the lake, geometry as WKB."""
    def column(name):
        return [None if pd.isna(v) else v for v in gdf[name]]

    return pa.table({
        "kode": column("kode"),
        "nama": column("nama"),
        "tingkat": column("tingkat"),
        "parent_kode": pa.array(column("parent_kode"), pa.string()),
        "kota_kode": column("kota_kode"),
        "luas_km2": pa.array(column("luas_km2"), pa.float64()),
        "geometry": [None if g is None else shapely.to_wkb(g) for g in gdf.geometry],
    })


def shapes(wkb) -> "np.ndarray":
    """Shapely geometries from WKB values (DuckDB hands blobs over as bytearray)."""
    return shapely.from_wkb([None if g is None else bytes(g) for g in wkb])


def _feature_collection(frame: pd.DataFrame, props: list[str]) -> dict:
    features = []
    geoms = shapely.set_precision(shapes(frame["geometry"]), 10 ** -COORD_DECIMALS)
    for row, geom in zip(frame.itertuples(index=False), geoms):
        features.append({
            "type": "Feature",
            "properties": {p: getattr(row, p) for p in props},
            "geometry": shapely.geometry.mapping(geom),
        })
    return {"type": "FeatureCollection", "features": features}


def _write_asset(kind: str, kota_kode: str, payload) -> str:
    """Write JSON under a name that carries its content hash, so a browser may cache it forever."""
    return _write_text(kind, kota_kode, json.dumps(payload, separators=(",", ":"), ensure_ascii=False))


MAP_FILES = ("kelurahan", "batas_kelurahan", "batas_kecamatan")  # the keys of map_assets that name a file


def map_assets(kota_kode: str, wilayah: pd.DataFrame, hint: str = "", borders: dict | None = None) -> dict:
    """URLs of the kelurahan polygons and of the borders between them, and the kota's bounds.

    The files are written once and served by Streamlit as static files, so a map
    whose values change sends only the colours again, never the shapes. The borders (`border_files`,
    given when already made for another language) are the same in every language.
    """
    kel = wilayah[(wilayah["tingkat"] == "kelurahan") & wilayah["geometry"].notna()]
    kec_names = dict(zip(wilayah["kode"], wilayah["nama"]))
    # Tooltip fields. The values are not in this file (it never changes); nilai_teks holds the
    # hint to click for the profile, where the values are.
    kel = kel.assign(keterangan="Kec. " + kel["parent_kode"].map(kec_names), nilai_teks=hint)
    polygons = _feature_collection(kel, ["kode", "nama", "keterangan", "nilai_teks"])
    borders = borders or border_files(kota_kode, wilayah)
    return {"kelurahan": _write_asset("kelurahan", kota_kode, polygons), **borders}


def border_files(kota_kode: str, wilayah: pd.DataFrame) -> dict:
    """URLs of a kota's borders as straight segments, each once (deck.gl's LineLayer), and its bounds: a
    browser without a GPU draws a frame of the map in a quarter of the time it took with the borders as
    polygon outlines (bench.frame)."""
    kel = wilayah[(wilayah["tingkat"] == "kelurahan") & wilayah["geometry"].notna()]
    geoms = shapely.set_precision(shapes(kel["geometry"]), 10 ** -COORD_DECIMALS)
    kelurahan_edges, kecamatan_edges = border_segments(geoms, kel["parent_kode"].to_numpy())
    bounds = shapely.total_bounds(geoms) if len(kel) else None
    return {
        "batas_kelurahan": _write_text("batas-kelurahan", kota_kode, segments_json(kelurahan_edges)),
        "batas_kecamatan": _write_text("batas-kecamatan", kota_kode, segments_json(kecamatan_edges)),
        "bounds": None if bounds is None else [float(b) for b in bounds],
    }


def edge_segments(geoms, decimals: int = COORD_DECIMALS) -> np.ndarray:
    """Every straight edge of the geometries' outlines once (a border two polygons share is one edge), as
    rows lon1, lat1, lon2, lat2 on the grid of `decimals` in integer units, the lesser end first."""
    geoms = np.asarray(geoms, dtype=object)
    kind = shapely.get_type_id(geoms)
    lines = np.concatenate([shapely.get_parts(shapely.boundary(geoms[np.isin(kind, (3, 6))])),
                            shapely.get_parts(geoms[np.isin(kind, (1, 2, 5))])])
    coords, index = shapely.get_coordinates(lines, return_index=True)
    grid = np.rint(coords * 10 ** decimals).astype(np.int64)
    same = index[:-1] == index[1:]
    a, b = grid[:-1][same], grid[1:][same]
    swap = (a[:, 0] > b[:, 0]) | ((a[:, 0] == b[:, 0]) & (a[:, 1] > b[:, 1]))
    a[swap], b[swap] = b[swap], a[swap].copy()
    rows = np.hstack([a, b])
    rows = rows[(rows[:, :2] != rows[:, 2:]).any(axis=1)]
    return np.unique(rows, axis=0) if len(rows) else rows.reshape(0, 4)


def kecamatan_outlines(parents, shapes) -> dict:
    """Each kecamatan's outline as the union of the kelurahan drawn under it, so the line sits on the fills.

    Slivers between neighbouring kelurahan (a few m² where two surveys disagree) are no hole of a kecamatan."""
    shapes = np.asarray(shapes, dtype=object)
    parents = np.asarray(list(parents), dtype=object)
    if not len(shapes):
        return {}
    smallest = float(np.min(shapely.area(shapes)))
    outlines = {}
    for parent in dict.fromkeys(parents):
        union = shapely.union_all(shapes[parents == parent])
        polygons = [shapely.Polygon(p.exterior, [r for r in p.interiors if shapely.Polygon(r).area > 0.1 * smallest])
                    for p in getattr(union, "geoms", [union]) if isinstance(p, shapely.Polygon)]
        outlines[parent] = shapely.MultiPolygon(polygons) if len(polygons) > 1 else polygons[0]
    return outlines


def border_segments(kelurahan, parents) -> tuple[np.ndarray, np.ndarray]:
    """(the edges between kelurahan of one kecamatan, the kecamatan borders and the kota's edge): the
    kecamatan outlines are the union of their kelurahan, so both meet exactly and no edge is drawn twice."""
    outlines = kecamatan_outlines(parents, kelurahan).values()
    kec = edge_segments(shapely.set_precision(np.array(list(outlines), dtype=object), 10 ** -COORD_DECIMALS))
    return without_segments(edge_segments(kelurahan), kec), kec


def without_segments(rows: np.ndarray, drawn: np.ndarray) -> np.ndarray:
    """The segments of `rows` that are not in `drawn` (both edge_segments on one grid)."""
    taken = {tuple(r) for r in drawn.tolist()}
    return rows[[tuple(r) not in taken for r in rows.tolist()]] if taken and len(rows) else rows


def segments_json(rows: np.ndarray, decimals: int = COORD_DECIMALS) -> str:
    """Segments (edge_segments on the grid of `decimals`) as JSON rows {"s": [lon, lat], "t": [lon, lat]}
    for deck.gl's LineLayer."""
    d, scale = decimals, 10 ** decimals
    return "[" + ",".join(f'{{"s":[{x1 / scale:.{d}f},{y1 / scale:.{d}f}],"t":[{x2 / scale:.{d}f},{y2 / scale:.{d}f}]}}'
                          for x1, y1, x2, y2 in rows.tolist()) + "]"


def kelurahan_rings(wilayah: pd.DataFrame) -> dict[str, list]:
    """Each kelurahan's outline as rings of [lon, lat]: what a map draws around the few kelurahan it
    marks (priority, a figure flagged, the one selected), sent with the map instead of all of them."""
    kel = wilayah[(wilayah["tingkat"] == "kelurahan") & wilayah["geometry"].notna()]
    geoms = shapely.set_precision(shapes(kel["geometry"]), 10 ** -COORD_DECIMALS)
    out = {}
    for kode, geom in zip(kel["kode"], geoms):
        rings = shapely.get_parts(shapely.boundary(geom))
        out[kode] = [np.round(shapely.get_coordinates(r), COORD_DECIMALS).tolist() for r in rings]
    return out


def label_points(wilayah: pd.DataFrame) -> pd.DataFrame:
    """A point inside each kelurahan that has a boundary, for its name on the map."""
    kel = wilayah[(wilayah["tingkat"] == "kelurahan") & wilayah["geometry"].notna()]
    points = shapely.point_on_surface(shapes(kel["geometry"]))
    return pd.DataFrame({
        "kode": kel["kode"].to_numpy(),
        "lon": shapely.get_x(points).round(COORD_DECIMALS),
        "lat": shapely.get_y(points).round(COORD_DECIMALS),
    })


def point_locator(geometry: pd.DataFrame):
    """A function (lons, lats) -> the kelurahan code each point lies in, or None (outside the kota)."""
    kel = geometry[(geometry["tingkat"] == "kelurahan") & geometry["geometry"].notna()]
    polygons = shapes(kel["geometry"])
    code_array = np.asarray(kel["kode"], dtype=object)
    tree = shapely.STRtree(polygons)

    def locate_many(lons, lats) -> list[str | None]:
        points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
        found = np.full(len(points), None, dtype=object)
        # 'intersects' keeps a point on a shared border in one kelurahan (the first found).
        point_idx, poly_idx = tree.query(points, predicate="intersects")
        hit, first = np.unique(point_idx, return_index=True)
        found[hit] = code_array[poly_idx[first]]
        return found.tolist()

    return locate_many


# How much to simplify and round the parts of a level map, by how many parts it draws: a map of the
# whole country's 83,246 desa is seen at about 1 km per pixel, a province's at about 100 m.
# The outlines of every province and kab/kota, shipped (scripts/make_wilayah_nasional.py): a lake that
# knows a few cities still draws the nation and its provinces, the rest of it as "no data".
NATIONAL_FILES = {2: "provinsi_nasional.geojson.gz", 5: "kabkota_nasional.geojson.gz"}


@functools.lru_cache(maxsize=2)
def national_outlines(panjang: int) -> pd.DataFrame:
    """The shipped boundaries of one level (code length 2 or 5): kode, nama, parent_kode, geometry (WKB);
    empty when the file is not there (a checkout without data/)."""
    path = settings.WILAYAH_DIR / NATIONAL_FILES[panjang]
    if not path.is_file():
        return pd.DataFrame(columns=["kode", "nama", "parent_kode", "geometry"])
    features = json.loads(gzip.decompress(path.read_bytes()))["features"]
    geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in features])
    kodes = [f["properties"]["kode"] for f in features]
    return pd.DataFrame({"kode": kodes, "nama": [f["properties"]["nama"] for f in features],
                         "parent_kode": [parent_code(k) for k in kodes], "geometry": shapely.to_wkb(geoms)})


def with_national(parts: pd.DataFrame, wilayah: str, panjang: int) -> pd.DataFrame:
    """The parts of a wilayah at a level with a boundary in the lake, and, for provinces and kab/kota, the
    shipped boundary of each part the lake has none for: the lake's own (finer, or newer) come first."""
    if panjang not in NATIONAL_FILES:
        return parts
    shipped = national_outlines(panjang)
    inside = shipped["kode"].eq(wilayah) | shipped["kode"].str.startswith(wilayah + ".") if wilayah else True
    extra = shipped[inside & ~shipped["kode"].isin(set(parts["kode"]))]
    if extra.empty:
        return parts
    frame = pd.concat([parts, extra[[c for c in parts.columns if c in extra]]], ignore_index=True)
    return frame.sort_values("kode", ignore_index=True)


def level_precision(count: int) -> tuple[float, int]:
    """(simplify tolerance in degrees, decimals) for a map of `count` polygons."""
    if count > 20_000:
        return 0.004, 3
    if count > 2_000:
        return 0.0005, 4
    return 0.0, COORD_DECIMALS


def features_json(codes, names, geoms) -> str:
    """A GeoJSON FeatureCollection as text, written in C by shapely (83,246 features in about a second)."""
    props = [json.dumps({"kode": k, "nama": n}, ensure_ascii=False) for k, n in zip(codes, names)]
    bodies = shapely.to_geojson(geoms)
    parts = [f'{{"type":"Feature","properties":{p},"geometry":{g}}}' for p, g in zip(props, bodies)]
    return '{"type":"FeatureCollection","features":[' + ",".join(parts) + "]}"


def kota_assets(cursor, kota: str) -> dict:
    """A kota's map files in every language (the tooltip's hint is in the reader's language) and its label
    points: what the Peta page serves, and what upkeep keeps."""
    from pantau.i18n import LANGS, t
    from pantau.lake import queries

    geometry = queries.run(cursor, "geometry_by_kota", kota_kode=kota)
    borders = border_files(kota, geometry)
    assets = {lang: map_assets(kota, geometry, t("peta.tooltip_hint", lang), borders) for lang in LANGS}
    assets["labels"] = label_points(geometry)
    assets["cincin"] = kelurahan_rings(geometry)
    return assets


LEVEL_FORMAT = 4  # the manifest's layout: a change makes every level map anew
LEVEL_FILES = ("bagian", "garis", "batas")  # the keys of part_assets that name a file
DRAWN_PX = 4000  # a level map's shapes are simplified to an 4000th of its extent: half a pixel at 1920 px
STROKED_PARTS = 5_000  # thousands of white borders would grey a national desa map out; the outlines carry it


def boundary_version(lake_path: str, stamp: tuple) -> str:
    """The boundaries' version in map file names: a new wilayah commit (or new shipped outlines) makes new
    files; otherwise a restarted server finds the files an earlier one wrote and reads nothing."""
    shipped = [(n, (settings.WILAYAH_DIR / n).stat().st_size) for n in NATIONAL_FILES.values()
               if (settings.WILAYAH_DIR / n).is_file()]
    key = (lake_path, [s for s in stamp if s[0] == "wilayah"], shipped, LEVEL_FORMAT)
    return hashlib.sha1(repr(key).encode()).hexdigest()[:10]


def sweep(version: str, current: set[str], older_than: float) -> int:
    """Remove the map files no current map uses: level maps (and their manifests) of other boundary
    versions and kota files not in `current` (names); only files unchanged since `older_than` (a time
    stamp), so a page being drawn keeps what it just asked for. The folder belongs to one lake."""
    folder = settings.GEO_STATIC_DIR
    if not folder.is_dir():
        return 0
    keep = set(current)
    for manifest in folder.glob(f"level-*-{version}.json"):
        keep.add(manifest.name)
        out = json.loads(manifest.read_text(encoding="utf-8"))
        keep.update(out[k].rsplit("/", 1)[1] for k in LEVEL_FILES if out.get(k))
    removed = 0
    for path in folder.glob("*.json"):
        if path.name not in keep and path.stat().st_mtime < older_than:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def part_assets(key: str, load) -> dict:
    """Static files of a level map: the parts (polygons with kode and nama), the outlines of the level
    above (lines), label points for a map of few parts, and the bounds.

    `key` names the wilayah, the level and the version of the boundaries; when a manifest of that key
    is on disk (an earlier server wrote it) nothing is read or drawn again. Otherwise `load()` gives
    (parts, outlines) and the files are written once, under names that carry their content hash.
    """
    manifest = settings.GEO_STATIC_DIR / f"level-{key}.json"
    if manifest.is_file():
        out = json.loads(manifest.read_text(encoding="utf-8"))
        names = [out[k].rsplit("/", 1)[1] for k in LEVEL_FILES if out.get(k)]
        if all((settings.GEO_STATIC_DIR / n).is_file() for n in names):
            out["labels"] = None if out["labels"] is None else pd.DataFrame(out["labels"])
            return out
    parts, outlines = load()
    tolerance, decimals = level_precision(len(parts))
    geoms = shapely.make_valid(shapes(parts["geometry"]))
    # Finer than a map draws it at its widest (about 1920 px across the extent) is never seen, only waited for.
    box = shapely.total_bounds(geoms) if len(parts) else np.zeros(4)
    tolerance = max(tolerance, max(box[2] - box[0], box[3] - box[1]) / DRAWN_PX)
    geoms = drawn(geoms, tolerance, decimals)
    keep = ~shapely.is_empty(geoms) & ~shapely.is_missing(geoms)
    parts, geoms = parts[keep], geoms[keep]
    out = {"bagian": _write_text("bagian", key, features_json(parts["kode"], parts["nama"], geoms)),
           "garis": None, "batas": None, "bounds": None, "labels": None, "jumlah": int(len(parts))}
    if len(parts):
        out["bounds"] = [float(b) for b in shapely.total_bounds(geoms)]
    above, line_decimals = np.zeros((0, 4), dtype=np.int64), decimals
    stroked = 0 < len(parts) <= STROKED_PARTS
    if outlines is not None and len(outlines) and len(str(outlines["kode"].iloc[0])) == 8 and stroked:
        # Kecamatan outlined as the union of their kelurahan drawn here, as on Peta, so the lines sit on the
        # fills: a published kecamatan layer is coarser than its kelurahan and would cut across them.
        shells = np.array(list(kecamatan_outlines(parts["kode"].str.slice(0, 8), geoms).values()), dtype=object)
        above = edge_segments(shapely.set_precision(shells, 10 ** -decimals), decimals)
    elif outlines is not None and len(outlines):
        line_decimals = min(decimals, 4)
        shells = drawn(shapely.make_valid(shapes(outlines["geometry"])), tolerance, line_decimals)
        above = edge_segments(shells, line_decimals)
    if len(above):
        out["garis"] = _write_text("garis", key, segments_json(above, line_decimals))
    if stroked:
        # The white borders between the parts; where the outline above runs, it is drawn instead.
        edges = without_segments(edge_segments(geoms, decimals), above * 10 ** (decimals - line_decimals))
        out["batas"] = _write_text("batas", key, segments_json(edges, decimals))
    if len(parts) <= 600:
        points = shapely.point_on_surface(geoms)
        box = shapely.bounds(geoms)
        out["labels"] = pd.DataFrame({"kode": parts["kode"].to_numpy(), "nama": parts["nama"].to_numpy(),
                                      "lon": shapely.get_x(points).round(4), "lat": shapely.get_y(points).round(4),
                                      # the part's larger side in degrees: how small it is drawn at a zoom
                                      "lebar": np.maximum(box[:, 2] - box[:, 0], box[:, 3] - box[:, 1]).round(4)})
    saved = dict(out, labels=None if out["labels"] is None else out["labels"].to_dict("list"))
    tmp = manifest.with_suffix(".tmp")
    tmp.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    tmp.replace(manifest)
    return out


def drawn(geoms: np.ndarray, tolerance: float, decimals: int) -> np.ndarray:
    """Polygons as a map draws them: the islands smaller than two tolerances left out (each area keeps its
    largest part), simplified by the tolerance and rounded to `decimals`. A nation's provinces keep 16,000
    of their 45,000 points; an island left out is under a pixel wide at 1920 px."""
    geoms = np.asarray(geoms, dtype=object)
    if tolerance <= 0 or not len(geoms):
        return polygonal(shapely.set_precision(shapely.make_valid(geoms), 10 ** -decimals))
    pieces, index = shapely.get_parts(geoms, return_index=True)
    polygon = shapely.get_type_id(pieces) == 3
    pieces, index = pieces[polygon], index[polygon]
    box = shapely.bounds(pieces)
    side = np.maximum(box[:, 2] - box[:, 0], box[:, 3] - box[:, 1])
    keep = side >= 2 * tolerance
    largest = pd.Series(side).groupby(index).idxmax().to_numpy()
    keep[largest] = True  # an area of islands all too small still shows (a marker shows where)
    merged = np.array([shapely.Polygon()] * len(geoms), dtype=object)
    if keep.any():
        shapely.multipolygons(pieces[keep], indices=index[keep], out=merged)
    simplified = shapely.simplify(merged, tolerance, preserve_topology=True)
    return polygonal(shapely.set_precision(shapely.make_valid(simplified), 10 ** -decimals))


def polygonal(geoms: np.ndarray) -> np.ndarray:
    """Only the polygons of each geometry: rounding can leave a collection with a line or a point in it,
    which deck.gl refuses ("Polygon coordinates are malformed")."""
    geoms = np.array(geoms, dtype=object)
    odd = np.flatnonzero(~np.isin(shapely.get_type_id(geoms), (3, 6)) & ~shapely.is_empty(geoms)
                         & ~shapely.is_missing(geoms))
    for i in odd:
        polygons = [p for p in shapely.get_parts(geoms[i]) if p.geom_type == "Polygon" and not p.is_empty]
        geoms[i] = shapely.multipolygons(polygons) if polygons else shapely.Polygon()
    return geoms


def _write_text(kind: str, key: str, text: str) -> str:
    """Write text under a name that carries its content hash, so a browser may cache it forever."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    name = f"{kind}-{key}-{digest}.json"
    path = settings.GEO_STATIC_DIR / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return f"{settings.GEO_STATIC_URL}/{name}"
