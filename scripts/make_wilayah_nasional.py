"""Make the shipped outlines of Indonesia's provinces and kab/kota (`data/wilayah/*_nasional.geojson.gz`)
from the national desa/kelurahan boundaries in `../shared/data/nasional/`, once, for the repository.

Peta wilayah opens on the nation: a lake of four cities knows its provinces and the other kab/kota by
code only, so without these files the nation would be a blank frame with four floating names. Each
level is the union of the desa below it (borders meet), simplified for a screen that shows the whole
country or a province (about 1 km; the kab/kota a little finer), its coordinates rounded to about 100 m.

    PYTHONPATH=. .venv/bin/python scripts/make_wilayah_nasional.py

The boundaries are Cahya DSN's `wilayah_boundaries` (MIT, built on Kepmendagri 2025 and BIG), whose
notice ships beside them in `data/wilayah/LICENSE-wilayah`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from pantau import settings
from pantau.lake import geo, nasional

OUT_DIR = settings.ROOT / "data" / "wilayah"
# (code length, simplify tolerance in degrees, decimals): what a frame showing the nation or a province needs.
LEVELS = {"kabkota": (5, 0.006, 3), "provinsi": (2, 0.012, 3)}


def build(desa_file: Path = nasional.NASIONAL_FILE, codes_file: Path = settings.WILAYAH_DIR / "kode_wilayah_nasional.csv.gz",
          out_dir: Path = OUT_DIR) -> dict[str, int]:
    """Write one gzip GeoJSON per level; returns the number of parts of each."""
    names = pd.read_csv(codes_file, dtype=str).set_index("kode")["nama"]
    desa = gpd.read_parquet(desa_file)
    desa = desa[desa.geometry.notna()]
    geoms = shapely.make_valid(shapely.set_precision(np.asarray(desa.geometry.values), 1e-4))
    codes = desa["kode"].to_numpy(dtype=object)
    counts = {}
    for level, (length, tolerance, decimals) in LEVELS.items():
        merged = nasional.union_by(np.array([k[:length] for k in codes], dtype=object), geoms, tolerance, decimals)
        shapes = shapely.set_precision(shapely.make_valid(np.array(list(merged.values()), dtype=object)),
                                       10 ** -decimals)
        parts = geo.polygonal(shapes)
        kodes = list(merged)
        text = geo.features_json(kodes, [names.get(k, k) for k in kodes], parts)
        path = out_dir / f"{level}_nasional.geojson.gz"
        # mtime=0: the same boundaries make the same bytes, so a rerun changes nothing in git.
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as out:
            out.write(text.encode("utf-8"))
        json.loads(gzip.decompress(path.read_bytes()))  # what the app reads back
        counts[level] = len(kodes)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--desa", type=Path, default=nasional.NASIONAL_FILE)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args()
    start = time.perf_counter()
    counts = build(args.desa, out_dir=args.out)
    for level, n in counts.items():
        size = (args.out / f"{level}_nasional.geojson.gz").stat().st_size
        print(f"{level}: {n} parts, {size / 1e6:.2f} MB")
    print(f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
