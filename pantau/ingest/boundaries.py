"""Boundaries of a kota not in the demo (GeoJSON, zipped Shapefile, GeoPackage) into the wilayah table."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from pantau import settings
from pantau.errors import IngestError
from pantau.ingest.matching import code_from_text
from pantau.ingest.rules.base import Collector, Context, Report
from pantau.ingest.sheets import Upload, check_size
from pantau.lake import geo

BOUNDARY_EXT = {".geojson": "batas.geojson", ".json": "batas.geojson", ".gpkg": "batas.gpkg", ".zip": "batas.zip"}
NAME_COLUMN = re.compile(r"^(nama|name|namobj|nama_kel|nama_desa|kelurahan|desa|wadmkd|desa_kel)", re.I)
NATIONAL_CODES = settings.WILAYAH_DIR / "kode_wilayah_nasional.csv.gz"


def national_codes() -> pd.DataFrame:
    """Every Kemendagri code and name of Indonesia (Kepmendagri 2025), shipped compressed."""
    return pd.read_csv(NATIONAL_CODES, dtype=str)


def read(upload: Upload, max_bytes: int) -> gpd.GeoDataFrame:
    """The features of a boundary file, in WGS84; the uploaded name is never used as a path."""
    check_size(upload, max_bytes)
    safe = BOUNDARY_EXT.get(upload.suffix)
    if safe is None:
        raise IngestError("ingest.unknown_format", file=upload.display_name, suffix=upload.suffix or "?")
    with tempfile.TemporaryDirectory(prefix="pantau-batas-") as folder:
        path = Path(folder) / safe
        path.write_bytes(upload.data)
        try:
            frame = gpd.read_file(f"zip://{path}" if safe.endswith(".zip") else path)
        except Exception as exc:  # pyogrio raises several types for a broken file
            raise IngestError("ingest.unreadable", file=upload.display_name, detail=type(exc).__name__) from exc
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    return frame.to_crs("EPSG:4326")


def _code_column(frame: pd.DataFrame, kota_kode: str | None) -> str | None:
    best, best_share = None, 0.0
    for column in frame.columns:
        if column == frame.geometry.name:
            continue
        codes = frame[column].astype(str).map(code_from_text)
        share = codes.notna().mean()
        if share > best_share:
            best, best_share = column, share
    return best if best_share >= 0.5 else None


def prepare(upload: Upload, kota_kode: str | None, max_bytes: int) -> Report:
    """Validate a boundary file for one kota (by default the kota most of its codes name) and build
    its wilayah rows: kota, kecamatan and kelurahan."""
    frame = read(upload, max_bytes)
    code_col = _code_column(frame, kota_kode)
    if code_col is None:
        raise IngestError("ingest.no_code_column", file=upload.display_name, kota=kota_kode or "xx.xx")
    if kota_kode is None:
        kota_kode = frame[code_col].astype(str).map(code_from_text).dropna().str.slice(0, 5).mode().iloc[0]
    name_col = next((c for c in frame.columns if c != code_col and NAME_COLUMN.match(str(c))), None)
    codes = national_codes().set_index("kode")["nama"]
    c = Collector()
    ctx = Context(kind="wilayah", kota_kode=kota_kode, kota_nama=codes.get(kota_kode, f"Kota {kota_kode}"),
                  file_name=upload.display_name)
    records = []
    seen: dict[str, int] = {}
    for i, feature in enumerate(frame.itertuples(index=False), start=1):
        raw = str(getattr(feature, code_col))
        kode = code_from_text(raw)
        geometry = feature.geometry
        status_row = i
        if kode is None:
            c.add(status_row, code_col, raw, "problem.bad_code")
        elif not kode.startswith(kota_kode + "."):
            c.add(status_row, code_col, raw, "problem.other_kota_code", kota=kode[:5])
        elif kode in seen:
            c.add(status_row, code_col, raw, "problem.duplicate", rows=f"{seen[kode]}, {i}")
        if geometry is None or geometry.is_empty:
            c.add(status_row, "geometry", None, "problem.bad_geometry")
        elif not geometry.is_valid:
            geometry = shapely.make_valid(geometry)
        if kode:
            seen.setdefault(kode, i)
        name = str(getattr(feature, name_col)).strip() if name_col else None
        records.append({"row": i, "nama_berkas": name or raw, "kelurahan_kode": kode, "geometry": geometry,
                        "nama": name or codes.get(kode or "", kode)})
    rows = pd.DataFrame(records)
    rows["status"] = [c.status(r) for r in rows["row"]]
    ok = rows[rows["status"] != "ditolak"]
    wilayah = _wilayah_rows(ok, kota_kode, codes)
    if not len(ok) and not c.problems:
        c.add(None, None, None, "problem.nothing_to_commit")
    listed = set(codes.index[codes.index.str.startswith(kota_kode + ".") & (codes.index.str.len() == 13)])
    missing = sorted(listed - set(ok["kelurahan_kode"]))
    if missing:
        c.add(None, code_col, None, "problem.boundary_missing", "warning", n=len(missing),
              names=", ".join(codes[k] for k in missing[:12]) + (" …" if len(missing) > 12 else ""))
    return Report(ctx, c.problems, rows.drop(columns=["geometry"]), wilayah,
                  {"count": int(len(ok)), "denominator": None})


def _wilayah_rows(kel: pd.DataFrame, kota_kode: str, codes: pd.Series) -> pd.DataFrame:
    """Kelurahan from the file, kecamatan and kota drawn around them; listed kelurahan without a boundary kept."""
    kel_gdf = gpd.GeoDataFrame(kel.rename(columns={"kelurahan_kode": "kode"})[["kode", "nama", "geometry"]],
                               geometry="geometry", crs="EPSG:4326")
    listed = codes[codes.index.str.startswith(kota_kode + ".") & (codes.index.str.len() == 13)]
    no_boundary = pd.DataFrame({"kode": [k for k in listed.index if k not in set(kel_gdf["kode"])]})
    no_boundary["nama"] = no_boundary["kode"].map(listed)
    all_kel = pd.concat([kel_gdf, no_boundary.assign(geometry=None)], ignore_index=True)
    all_kel["tingkat"] = "kelurahan"
    all_kel["parent_kode"] = all_kel["kode"].map(geo.parent_code)
    kec = (kel_gdf.assign(parent_kode=kel_gdf["kode"].map(geo.parent_code))
           .dissolve(by="parent_kode").reset_index()[["parent_kode", "geometry"]]
           .rename(columns={"parent_kode": "kode"}))
    kec_codes = sorted(set(all_kel["parent_kode"]))
    kec = pd.DataFrame({"kode": kec_codes}).merge(kec, on="kode", how="left")
    kec["nama"] = [codes.get(k, f"Kecamatan {k}") for k in kec["kode"]]
    kec["tingkat"] = "kecamatan"
    kec["parent_kode"] = kota_kode
    kota = pd.DataFrame({"kode": [kota_kode], "nama": [codes.get(kota_kode, f"Kota {kota_kode}")],
                         "tingkat": ["kota"], "parent_kode": [None],
                         "geometry": [shapely.union_all(kel_gdf.geometry.values) if len(kel_gdf) else None]})
    out = gpd.GeoDataFrame(pd.concat([kota, kec, all_kel], ignore_index=True), geometry="geometry", crs="EPSG:4326")
    out["kota_kode"] = kota_kode
    out["geometry"] = shapely.set_precision(out.geometry.values, 1e-6)
    areas = out.geometry.to_crs(geo.EQUAL_AREA_CRS).area / 1e6
    out["luas_km2"] = areas.where(out.geometry.notna())
    return geo.wilayah_table(out.sort_values("kode").reset_index(drop=True)).to_pandas()

