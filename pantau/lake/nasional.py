"""A national lake: every desa and kelurahan of Indonesia, the kecamatan, kab/kota and province outlines
derived from them by code, and ten years of synthetic monthly figures (about 60 million rows).

The boundaries are real (`../shared/data/nasional/desa_kelurahan.parquet`, 83,246 desa and kelurahan
simplified to about 50 m); every figure is generated, marked as demo, and only for trying the app and
measuring it at the size a province or a ministry would use. `provinsi=` builds a small lake of a few
provinces with the same code (what the tests use).

Each level's outline is the union of the level below, so borders meet; it is simplified for its level
(a province drawn for the whole country needs no 50 m detail) and its coordinates are rounded.
"""

from __future__ import annotations

import datetime as dt
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from pantau import settings
from pantau.lake import geo
from pantau.lake.schema import SCHEMAS
from pantau.lake.store import Lake

NASIONAL_FILE = settings.ROOT.parent / "shared" / "data" / "nasional" / "desa_kelurahan.parquet"
SHARED_CODES = settings.ROOT.parent / "shared" / "data" / "wilayah" / "kode_wilayah.csv"
INDICATORS = ("stunting", "putus_sekolah", "kemiskinan_ekstrem")
SOURCES = ("resmi", "lapangan")
# Tolerance (degrees) and rounding of each level's outline: detail a screen of that level can show.
SIMPLIFY = {"kecamatan": 0.0005, "kota": 0.002, "provinsi": 0.01}
DECIMALS = {"kelurahan": 5, "kecamatan": 4, "kota": 3, "provinsi": 3}
# Expected rates (% of the denominator) before province and desa variation: (resmi, lapangan).
BASE_RATE = {"stunting": (8.0, 14.0), "putus_sekolah": (0.8, 1.3), "kemiskinan_ekstrem": (1.2, 1.8)}
MISSING = {"resmi": 0.02, "lapangan": 0.06}  # share of desa-months without a report


@dataclass
class Built:
    desa: int
    rows: int
    seconds: dict


def _rng(*key) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32("|".join(map(str, key)).encode()))


def periods(years: int, last: dt.date) -> list[dt.date]:
    """The first day of each month of the last `years` years, up to `last`."""
    return list(pd.date_range(end=pd.Timestamp(last), periods=12 * years, freq="MS").date)


def union_by(codes: np.ndarray, geoms: np.ndarray, tolerance: float, decimals: int) -> dict[str, object]:
    """The union of the geometries sharing each code, simplified and rounded for its level."""
    order = np.argsort(codes, kind="stable")
    codes, geoms = codes[order], geoms[order]
    cuts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1], True])
    out = {}
    for a, b in zip(cuts[:-1], cuts[1:]):
        merged = shapely.union_all(geoms[a:b], grid_size=10 ** -decimals)
        out[codes[a]] = shapely.simplify(_without_slivers(merged, (4 * tolerance) ** 2), tolerance,
                                         preserve_topology=True)
    return out


def _without_slivers(geom, min_area: float):
    """The geometry without the holes smaller than min_area (degrees²): the desa boundaries were
    simplified one by one, so their union keeps thin gaps where neighbours no longer meet exactly."""
    parts = shapely.get_parts(geom)
    kept = []
    for part in parts:
        if part.geom_type != "Polygon":
            continue
        holes = [ring for ring in part.interiors if shapely.Polygon(ring).area >= min_area]
        kept.append(shapely.Polygon(part.exterior, holes))
    return shapely.multipolygons(kept) if len(kept) > 1 else (kept[0] if kept else geom)


def wilayah_frame(desa_file: Path = NASIONAL_FILE, codes_file: Path = SHARED_CODES,
                  provinsi: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every province, kab/kota, kecamatan and desa/kelurahan of the code list (or of some provinces),
    with boundaries: the desa's own, every level above as the union of the one below."""
    codes = pd.read_csv(codes_file, dtype=str)
    desa = gpd.read_parquet(desa_file)
    if provinsi:
        codes = codes[codes["kode"].str[:2].isin(provinsi)]
        desa = desa[desa["kode"].str[:2].isin(provinsi)]
    desa = desa[desa.geometry.notna()].reset_index(drop=True)
    kel_geoms = shapely.set_precision(shapely.make_valid(np.asarray(desa.geometry.values)), 10 ** -DECIMALS["kelurahan"])
    kel_codes = desa["kode"].to_numpy(dtype=object)

    kec = union_by(np.array([k[:8] for k in kel_codes], dtype=object), kel_geoms, SIMPLIFY["kecamatan"],
                    DECIMALS["kecamatan"])
    kec_codes = np.array(list(kec), dtype=object)
    kota = union_by(np.array([k[:5] for k in kec_codes], dtype=object), np.array(list(kec.values())),
                     SIMPLIFY["kota"], DECIMALS["kota"])
    kota_codes = np.array(list(kota), dtype=object)
    prov = union_by(np.array([k[:2] for k in kota_codes], dtype=object), np.array(list(kota.values())),
                     SIMPLIFY["provinsi"], DECIMALS["provinsi"])
    shapes = {**dict(zip(kel_codes, kel_geoms)), **kec, **kota, **prov}

    tingkat = {"provinsi": "provinsi", "kabkota": "kota", "kecamatan": "kecamatan", "desa_kelurahan": "kelurahan"}
    frame = codes[codes["tingkat"].isin(tingkat)].copy()
    frame["tingkat"] = frame["tingkat"].map(tingkat)
    frame["parent_kode"] = frame["kode"].map(lambda k: ".".join(k.split(".")[:-1]) or None if "." in k else None)
    frame["kota_kode"] = np.where(frame["tingkat"] == "provinsi", None, frame["kode"].str[:5])
    # Boundary names for desa (the code list shouts some); code-list names for the levels above.
    frame["nama"] = frame["kode"].map(dict(zip(desa["kode"], desa["nama"]))).fillna(frame["nama"])
    geoms = frame["kode"].map(shapes)
    series = gpd.GeoSeries(geoms.where(geoms.notna(), None).tolist(), crs="EPSG:4326")
    frame["luas_km2"] = (series.to_crs(geo.EQUAL_AREA_CRS).area / 1e6).where(series.notna()).to_numpy()
    frame["geometry"] = [None if g is None else shapely.to_wkb(g) for g in series]
    return frame.sort_values("kode").reset_index(drop=True)


def _profile(wilayah: pd.DataFrame, population_file: Path) -> pd.DataFrame:
    """Population per desa (the kab/kota's real total split by area and chance) and its own risk."""
    desa = wilayah[wilayah["tingkat"] == "kelurahan"][["kode", "kota_kode", "luas_km2"]].reset_index(drop=True)
    population = pd.read_csv(population_file, dtype={"kode": str}).set_index("kode")["total"]
    rng = _rng("profil")
    area = desa["luas_km2"].fillna(desa["luas_km2"].median()).to_numpy()
    weight = area ** 0.3 * rng.lognormal(0, 0.5, len(desa))
    share = weight / pd.Series(weight).groupby(desa["kota_kode"]).transform("sum").to_numpy()
    total = desa["kota_kode"].map(population).fillna(200_000).to_numpy()
    desa["penduduk"] = total * share
    prov_risk = desa["kode"].str[:2].map(lambda p: _rng("provinsi", p).lognormal(0, 0.35))
    desa["risk"] = prov_risk.to_numpy() * rng.lognormal(0, 0.4, len(desa))
    return desa


def _denominator(indikator: str, sumber: str, penduduk: np.ndarray) -> np.ndarray:
    if indikator == "stunting":
        return penduduk * 0.085 * (0.72 if sumber == "resmi" else 0.80)
    if indikator == "putus_sekolah":
        return penduduk * 0.21
    return penduduk / 3.7


def nilai_batches(profile: pd.DataFrame, months: list[dt.date]):
    """Record batches of `nilai`, one per month, each ordered by desa code (so a month's filter or a
    desa's code skips most row groups)."""
    schema = SCHEMAS["nilai"]
    kode = profile["kode"].to_numpy(dtype=object)
    kota = profile["kota_kode"].to_numpy(dtype=object)
    n = len(kode)
    combos = [(i, s) for i in INDICATORS for s in SOURCES]
    denom = {c: _denominator(c[0], c[1], profile["penduduk"].to_numpy()) for c in combos}
    noise = {c: _rng("noise", *c).lognormal(0, 0.12, n) for c in combos}
    risk = profile["risk"].to_numpy()
    kode_col = pa.array(np.repeat(kode, len(combos)), pa.string())
    kota_col = pa.array(np.repeat(kota, len(combos)), pa.string())
    ind_col = pa.array(np.tile([c[0] for c in combos], n), pa.string())
    src_col = pa.array(np.tile([c[1] for c in combos], n), pa.string())
    upload_kota = np.repeat(kota, len(combos)).astype(str)
    for m, month in enumerate(months):
        rng = _rng("nilai", month)
        years = m / 12.0
        jumlah = np.empty((n, len(combos)), dtype=np.int64)
        penyebut = np.empty((n, len(combos)), dtype=np.int64)
        present = np.empty((n, len(combos)), dtype=bool)
        for j, (ind, src) in enumerate(combos):
            trend = {"stunting": 1.1 - 0.035 * years, "putus_sekolah": 1.05 - 0.02 * years,
                     "kemiskinan_ekstrem": 1.0 - 0.06 * years}[ind]
            d = np.rint(denom[(ind, src)] * (1 + 0.002 * m) * rng.uniform(0.97, 1.03, n)).astype(np.int64)
            rate = BASE_RATE[ind][SOURCES.index(src)] / 100 * risk * noise[(ind, src)] * max(trend, 0.2)
            penyebut[:, j] = d
            jumlah[:, j] = np.minimum(rng.poisson(d * np.minimum(rate, 0.9)), d)
            present[:, j] = rng.random(n) >= MISSING[src]
        keep = present.ravel()
        stamp = f"{month:%Y-%m}"
        uploads = np.char.add(np.char.add("nas-", upload_kota), np.char.add(
            np.char.add("-", np.tile([f"{i}-{s}-" for i, s in combos], n)), stamp))
        batch = pa.Table.from_arrays([
            kode_col, kota_col, ind_col, pa.array(np.full(n * len(combos), month), pa.date32()), src_col,
            pa.array(jumlah.ravel()), pa.array(penyebut.ravel()), pa.array(uploads, pa.string()),
        ], schema=schema)
        yield from batch.filter(pa.array(keep)).combine_chunks().to_batches()


def uploads_frame(profile: pd.DataFrame, months: list[dt.date]) -> pd.DataFrame:
    """One upload per kab/kota, indicator, source and month, as the OPDs would have sent them."""
    kotas = sorted(profile["kota_kode"].unique())
    grid = pd.MultiIndex.from_product([kotas, INDICATORS, SOURCES, months],
                                      names=["kota_kode", "indikator", "sumber", "periode"]).to_frame(index=False)
    grid["upload_id"] = ("nas-" + grid["kota_kode"] + "-" + grid["indikator"] + "-" + grid["sumber"] + "-"
                         + pd.to_datetime(grid["periode"]).dt.strftime("%Y-%m"))
    days = np.where(grid["sumber"] == "resmi", 9, 14)
    grid["diunggah"] = (pd.to_datetime(grid["periode"]) + pd.offsets.MonthBegin(1)
                        + pd.to_timedelta(days, unit="D")).dt.tz_localize("UTC")
    grid["jenis"] = grid["tabel"] = "nilai"
    grid["nama_berkas"] = "demo nasional"
    grid["demo"] = True
    return grid


def build(lake: Lake, years: int = 10, provinsi: tuple[str, ...] | None = None,
          desa_file: Path = NASIONAL_FILE, codes_file: Path = SHARED_CODES,
          last: dt.date = dt.date(2026, 10, 1), progress=print) -> Built:
    """Write the national lake (overwriting whatever the lake held)."""
    from deltalake import WriterProperties, write_deltalake

    seconds = {}
    t0 = time.perf_counter()
    wilayah = wilayah_frame(desa_file, codes_file, provinsi)
    seconds["wilayah"] = time.perf_counter() - t0
    progress(f"wilayah: {len(wilayah):,} baris dalam {seconds['wilayah']:.1f} s")
    lake.write("wilayah", pa.Table.from_pandas(wilayah, preserve_index=False), mode="overwrite")

    t0 = time.perf_counter()
    profile = _profile(wilayah, codes_file.parent / "penduduk_kabkota.csv")
    months = periods(years, last)
    reader = pa.RecordBatchReader.from_batches(SCHEMAS["nilai"], nilai_batches(profile, months))
    # Small row groups: a month's figures are contiguous and each row group holds a narrow range of
    # codes, so DuckDB reads one or two row groups per month for a desa's trend and one month for a
    # total. (Ordering a month by indicator and source first was tried: row groups then straddle two
    # indicators and hold every code, and a desa's trend reads three times as many.)
    write_deltalake(lake.table_path("nilai"), reader, mode="overwrite", schema_mode="overwrite",
                    writer_properties=WriterProperties(max_row_group_size=16 * 1024, compression="ZSTD"),
                    target_file_size=256 * 1024 * 1024)
    seconds["nilai"] = time.perf_counter() - t0
    rows = lake.dataset("nilai").count_rows()
    progress(f"nilai: {rows:,} baris dalam {seconds['nilai']:.1f} s")
    lake.write("uploads", pa.Table.from_pandas(uploads_frame(profile, months), preserve_index=False),
               mode="overwrite")
    for table in ("drainase", "banjir", "prioritas", "tindak_lanjut", "penyebut"):
        if table in SCHEMAS:
            lake.write(table, SCHEMAS[table].empty_table(), mode="overwrite")
    return Built(len(profile), rows, seconds)
