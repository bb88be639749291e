"""The whole country: 83,246 desa and kelurahan, ten years of months (about 58 million rows). One command:

    .venv/bin/python -m bench.nasional [--lake DIR] [--runs 20] [--browser-runs 3] [--skip-browser]

1. Builds the national lake with `pantau.nasional` (unless --lake names one already built), from
   ../shared/data/nasional/desa_kelurahan.parquet and ../shared/data/wilayah/kode_wilayah.csv.
2. Dashboard queries, DuckDB (the app's own queries/*.sql over the Delta lake, as the pages run them)
   against the same computation in pandas on the same rows already in memory (categorical indicator
   and source; loading time printed apart): totals per province for a month, the kab/kota ranking, a
   desa's ten-year trend, a composite score over a province. A different province, month or desa each
   run; median and p95.
3. In Chromium, on a warm `python -m pantau serve`: first paint of the national desa map and of a
   province's desa map (navigation start to the last WebGL draw after the shapes file arrived), and the
   recolour after a change of indicator (click to the last draw once the new title is up). Then a naive
   `st.pydeck_chart` of the full GeoJSON (shapes and values in the message) at growing sizes until it
   stops working.
4. The server's peak memory (VmHWM of the Streamlit process).

None of this is part of the test run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd

from pantau.domain import prioritas
from pantau.domain.catalog import INDICATORS
from pantau.lake import nasional, queries
from pantau.lake.store import Lake
from pantau.views.prioritas import indicator_values
from pantau.views.shared import period_key

PERIODE = "2026-10"


def _fmt(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(values):8.1f} ms   p95 {p95:8.1f} ms   n={len(values)}"


def _timed(fn, *args) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn(*args)
    return (time.perf_counter() - start) * 1000, out


# --- the same four computations in pandas, on the rows in memory -------------------------------------

def pandas_parts(nilai: pd.DataFrame, desa: pd.DataFrame, prefix: str, length: int, indikator: str, sumber: str,
                 periode: dt.date, lalu: dt.date) -> pd.DataFrame:
    """nilai_by_bagian in pandas: per part, sum of counts and denominators now and last month, rate."""
    inside = desa if not prefix else desa[desa["kode"].str.startswith(prefix + ".")]
    rows = nilai[(nilai["indikator"] == indikator) & (nilai["sumber"] == sumber)
                 & nilai["periode"].isin([periode, lalu]) & nilai["jumlah"].notna()]
    rows = rows[rows["kelurahan_kode"].isin(inside["kode"])]
    rows = rows.assign(bagian=rows["kelurahan_kode"].str.slice(0, length))
    sums = rows.groupby(["bagian", "periode"], observed=True).agg(jumlah=("jumlah", "sum"), penyebut=("penyebut", "sum"),
                                                                  reporting=("jumlah", "size")).reset_index()
    now = sums[sums["periode"] == periode].set_index("bagian")
    before = sums[sums["periode"] == lalu].set_index("bagian")
    parts = inside.assign(bagian=inside["kode"].str.slice(0, length)).groupby("bagian").size().rename("expected")
    out = pd.DataFrame({"expected": parts})
    out["jumlah"] = now["jumlah"]
    out["penyebut"] = now["penyebut"]
    out["rate"] = 100.0 * out["jumlah"] / out["penyebut"]
    out["rate_lalu"] = 100.0 * before["jumlah"] / before["penyebut"]
    out["reporting"] = now["reporting"].reindex(out.index).fillna(0)
    return out.reset_index(names="kode")


def pandas_trend(nilai: pd.DataFrame, kode: str, indikator: str, dari: dt.date, sampai: dt.date) -> pd.DataFrame:
    rows = nilai[(nilai["kelurahan_kode"] == kode) & (nilai["indikator"] == indikator)
                 & (nilai["periode"] >= dari) & (nilai["periode"] <= sampai)]
    months = pd.date_range(dari, sampai, freq="MS").date
    grid = pd.MultiIndex.from_product([["resmi", "lapangan"], months], names=["sumber", "periode"])
    out = rows.set_index(["sumber", "periode"])[["jumlah", "penyebut"]].reindex(grid)
    out["rate"] = 100.0 * out["jumlah"] / out["penyebut"]
    return out.reset_index()


def pandas_composite(nilai, desa, prov: str, periode: dt.date, sumber: str, weights: dict) -> pd.DataFrame:
    frame = None
    for ind in INDICATORS.values():
        if ind.table != "nilai":
            values = pd.DataFrame({"kode": desa.loc[desa["kode"].str.startswith(prov + "."), "kode"], "v": np.nan})
        else:
            parts = pandas_parts(nilai, desa, prov, 13, ind.id, sumber, periode, periode)
            values = pd.DataFrame({"kode": parts["kode"], "v": parts["rate" if ind.has_rate else "jumlah"]})
        frame = values.rename(columns={"v": ind.id}) if frame is None else frame.merge(values.rename(columns={"v": ind.id}), on="kode")
    frame["nama"] = frame["kode"]
    return prioritas.composite(frame, weights)


def query_bench(lake: Lake, runs: int) -> list[str]:
    db = lake.connect()
    run = partial(queries.run, db.cursor())
    wilayah = lake.read("wilayah").select(["kode", "tingkat"]).to_pandas()
    desa = wilayah[wilayah["tingkat"] == "kelurahan"][["kode"]].reset_index(drop=True)
    provinces = sorted(wilayah.loc[wilayah["tingkat"] == "provinsi", "kode"])
    rng = random.Random(7)
    months = [dt.date(2026, m, 1) for m in range(1, 11)]
    start = time.perf_counter()
    nilai = lake.dataset("nilai").to_table(columns=["kelurahan_kode", "indikator", "periode", "sumber", "jumlah",
                                                    "penyebut"]).to_pandas()
    nilai["indikator"] = nilai["indikator"].astype("category")
    nilai["sumber"] = nilai["sumber"].astype("category")
    loaded = time.perf_counter() - start
    weights = {i: INDICATORS[i].weight for i in INDICATORS}
    lines = [f"pandas: {len(nilai):,} rows loaded into memory in {loaded:.1f} s "
             f"({nilai.memory_usage(deep=True).sum() / 2**30:.1f} GiB); DuckDB reads the lake on each query"]

    def pair(label, duck, panda):
        d, p = [], []
        for i in range(runs):
            t, _ = _timed(duck, i)
            d.append(t)
            t, _ = _timed(panda, i)
            p.append(t)
        speed = statistics.median(p) / statistics.median(d)
        lines.append(f"{label:<42}: DuckDB {_fmt(d)} | pandas {_fmt(p)} | {speed:5.1f}x")

    def month(i):
        return months[i % len(months)]

    def before(i):
        m = month(i)
        return (pd.Timestamp(m) - pd.DateOffset(months=1)).date()

    pair("totals per province, one month",
         lambda i: run("nilai_by_bagian", wilayah_kode="", panjang=2, indikator=["stunting"], sumber="resmi",
                       periode=month(i), periode_lalu=before(i)),
         lambda i: pandas_parts(nilai, desa, "", 2, "stunting", "resmi", month(i), before(i)))
    pair("kab/kota ranking (514), one month",
         lambda i: run("nilai_by_bagian", wilayah_kode="", panjang=5, indikator=["kemiskinan_ekstrem"], sumber="lapangan",
                       periode=month(i), periode_lalu=before(i)).sort_values("rate", ascending=False),
         lambda i: pandas_parts(nilai, desa, "", 5, "kemiskinan_ekstrem", "lapangan", month(i), before(i))
         .sort_values("rate", ascending=False))
    picks = rng.sample(list(desa["kode"]), runs)
    pair("one desa's 10-year trend (both sources)",
         lambda i: run("nilai_series_by_periode", kelurahan_kode=picks[i], indikator="stunting",
                       dari=dt.date(2016, 11, 1), sampai=dt.date(2026, 10, 1)),
         lambda i: pandas_trend(nilai, picks[i], "stunting", dt.date(2016, 11, 1), dt.date(2026, 10, 1)))
    provs = [rng.choice(provinces) for _ in range(runs)]
    pair("composite score over a province",
         lambda i: prioritas.composite(indicator_values(run, provs[i], period_key(month(i)), "lapangan"),
                                       weights),
         lambda i: pandas_composite(nilai, desa, provs[i], month(i), "lapangan", weights))
    db.close()
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lake", help="a national lake already built (else one is built in a temporary folder)")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--browser-runs", type=int, default=3)
    parser.add_argument("--skip-browser", action="store_true")
    args = parser.parse_args()
    print(f"# bench.nasional {dt.datetime.now():%Y-%m-%d %H:%M}  {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, {os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB",
          flush=True)
    if args.lake:
        lake = Lake(Path(args.lake))
    else:
        lake = Lake(Path(tempfile.mkdtemp(prefix="pantau-nasional-")) / "lake")
        built = nasional.build(lake, years=10, progress=lambda line: print("  " + line, flush=True))
        print(f"national lake: {built.desa:,} desa/kelurahan, {built.rows:,} rows of values, built in "
              f"{sum(built.seconds.values()):.0f} s", flush=True)
    for line in query_bench(lake, args.runs):
        print(line, flush=True)
    if not args.skip_browser:
        from bench import nasional_peta

        for line in nasional_peta.browser_bench(lake, args.browser_runs):
            print(line, flush=True)


if __name__ == "__main__":
    main()
