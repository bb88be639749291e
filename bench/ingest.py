"""Ingest of a 1,000,000-row record file end to end, beside a plain pandas read-and-write of it.

python -m bench.ingest [--rows 1000000] [--file drainase|eppgbm]

--file eppgbm: an e-PPGBM by-name export over Bontang instead (one row per child per measurement, about
ten measurements per child over 2026, NIK and name columns, ages as "X Tahun - Y Bulan - Z Hari"): the
format is detected, every child counted once a month by the latest measurement, and every month of the
file committed as one upload. Goal: <= 30 s end to end.

The file is a PUPR-style list of drainage points over Pekanbaru (decimal commas, Indonesian
dates, a reporter column), written as CSV. Pantau reads it, finds its header, parses every
coordinate and date, locates each point in its kelurahan (point in polygon), validates every
row and commits the kota's points in one Delta commit. The baseline reads the same CSV with
pandas and writes it to Parquet, with no parsing of Indonesian formats and no validation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from pantau.ingest import pipeline
from pantau.ingest.sheets import Upload
from pantau.lake import demo, geo, queries
from pantau.lake.store import Lake

KOTA = "14.71"


def make_file(path: Path, rows: int, lake: Lake, seed: int = 7,
              statuses: tuple[str, ...] = ("Dilaporkan", "Ditangani", "Selesai")) -> None:
    rng = np.random.default_rng(seed)
    geometry = queries.run(lake.connect().cursor(), "geometry_by_kota", kota_kode=KOTA)
    locate = geo.point_locator(geometry)
    kel = geo.shapes(geometry.loc[(geometry["tingkat"] == "kelurahan") & geometry["geometry"].notna(), "geometry"])
    minx, miny, maxx, maxy = shapely.union_all(kel).bounds
    lons, lats = [], []
    while len(lons) < rows:
        # Rounded as the file writes them, so a point a hair inside the kota edge is not pushed out.
        x = np.round(rng.uniform(minx, maxx, rows), 6)
        y = np.round(rng.uniform(miny, maxy, rows), 6)
        # Only points the app itself places in a kelurahan: the file is clean, every row is committed.
        inside = np.array([k is not None for k in locate(x, y)])
        lons.extend(x[inside]), lats.extend(y[inside])
    lons, lats = np.array(lons[:rows]), np.array(lats[:rows])
    kondisi = rng.choice(["Tersumbat", "Tidak berfungsi", "Belum ada"], rows)
    status = rng.choice(list(statuses), rows)
    days = rng.integers(0, 600, rows)
    dates = (pd.Timestamp("2025-01-01") + pd.to_timedelta(days, unit="D")).strftime("%d/%m/%Y")
    frame = pd.DataFrame({
        "No": np.arange(1, rows + 1),
        "ID Titik": [f"PKU-{i:07d}" for i in range(1, rows + 1)],
        "Lintang": [f"{v:.6f}".replace(".", ",") for v in lats],
        "Bujur": [f"{v:.6f}".replace(".", ",") for v in lons],
        "Kondisi": kondisi, "Status": status, "Tanggal Lapor": dates,
        "Pelapor": rng.choice(["Dinas PUPR", "Kelurahan", "RT 03"], rows),
    })
    with open(path, "w", encoding="utf-8") as f:
        f.write("DAFTAR TITIK DRAINASE BERMASALAH KOTA PEKANBARU\n\n")
        frame.to_csv(f, index=False, sep=";")


EPPGBM_KOTA = "64.74"


def make_eppgbm_file(path: Path, rows: int, lake: Lake, seed: int = 11) -> None:
    """A by-name export: children of Bontang's kelurahan, each measured about ten times in 2026."""
    from tests.exports import EPPGBM_HEADER

    rng = np.random.default_rng(seed)
    wilayah = queries.run(lake.connect().cursor(), "kelurahan_by_kota", kota_kode=EPPGBM_KOTA)
    names = wilayah.loc[wilayah["tingkat"] == "kelurahan", "nama"].to_numpy()
    children = max(1, rows // 10)
    child = rng.integers(0, children, rows)
    home = names[np.arange(children) % len(names)][child]
    day = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 300, rows), unit="D")
    status = rng.choice(["Normal", "Pendek", "Sangat Pendek", "Tinggi"], rows, p=[0.7, 0.15, 0.07, 0.08])
    frame = pd.DataFrame({h: "" for h in EPPGBM_HEADER}, index=range(rows))
    # A NIK as Dukcapil writes it: kecamatan 64.74.01, the birth date (DDMMYY, day + 40 for girls), a serial;
    # unique per child (day and serial together are the child's number), so the keyed hashes are real work.
    ages = rng.integers(0, 66, children)
    born = [(pd.Timestamp("2026-06-01") - pd.DateOffset(months=int(a))).replace(day=1 + c % 28)
            for c, a in enumerate(ages)]
    girl = np.arange(children) % 2 == 1
    niks = np.array([f"647401{b.day + 40 * g:02d}{b:%m%y}{c // 28:04d}" for c, (b, g) in enumerate(zip(born, girl))])
    frame["NIK"] = niks[child]
    frame["Tgl Lahir"] = np.array([f"{b:%Y-%m-%d}" for b in born])[child]
    frame["Nama"] = [f"Anak Fiktif {c}" for c in child]
    frame["Desa/Kel"] = home
    age = ages[child]  # some over 59 months: left out
    frame["Usia Saat Ukur"] = [f"{a // 12} Tahun - {a % 12} Bulan - 3 Hari" for a in age]
    frame["Tanggal Pengukuran"] = day.strftime("%Y-%m-%d")
    frame["TB/U"] = status
    frame["ZS TB/U"] = np.where(np.isin(status, ["Pendek", "Sangat Pendek"]), "-2,5", "-0,5")
    frame.to_csv(path, index=False, sep=";")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--file", choices=("drainase", "eppgbm"), default="drainase")
    args = parser.parse_args()
    if args.file == "eppgbm":
        return main_eppgbm(args.rows)
    work = Path(tempfile.mkdtemp(prefix="pantau-bench-ingest-"))
    try:
        lake = Lake(work / "lake")
        demo.build(lake)
        path = work / "drainase.csv"
        t = time.perf_counter()
        make_file(path, args.rows, lake)
        print(f"file: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB (made in {time.perf_counter() - t:.1f} s)")

        t0 = time.perf_counter()
        frame = pd.read_csv(path, sep=";", skiprows=2)
        frame.to_parquet(work / "baseline.parquet")
        baseline = time.perf_counter() - t0

        os.environ["PANTAU_MAX_UPLOAD_MB"] = "500"
        pipeline.MAX_UPLOAD_MB = 500
        t1 = time.perf_counter()
        upload = Upload(path.name, path.read_bytes())
        report = pipeline.prepare(upload, pipeline.Request(kind="drainase", kota_kode=KOTA, today=dt.date(2026, 11, 23)), lake)
        t2 = time.perf_counter()
        print(f"  read+validate {t2 - t1:.1f} s")
        for p in report.errors[:5]:
            print("  error:", p.where(upload.display_name))
        record = pipeline.commit(report, upload, lake)
        t3 = time.perf_counter()
        stored = len(lake.read("drainase"))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {dt.date.today()}")
        print(f"pandas read_csv + to_parquet (no validation): {baseline:6.1f} s")
        print(f"pantau ingest end to end:                     {t3 - t1:6.1f} s"
              f"  (read+validate {t2 - t1:.1f} s, commit {t3 - t2:.1f} s)")
        print(f"  accepted {report.counts()['accepted']:,}, rejected {report.counts()['rejected']:,}, "
              f"problems {len(report.problems):,}, rows in lake {stored:,}, batch {record['upload_id']}")
        print(f"  ratio to the pandas baseline: {(t3 - t1) / baseline:.1f}x; goal <= 20 s: "
              f"{'met' if t3 - t1 <= 20 else 'NOT met'}; peak RSS {rss:,.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main_eppgbm(rows: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="pantau-bench-eppgbm-"))
    os.environ["PANTAU_KEY_FILE"] = str(work / "kunci" / "nik.key")  # the hashes' secret, not the checkout's
    try:
        lake = Lake(work / "lake")
        demo.build(lake)
        path = work / "eppgbm.csv"
        t = time.perf_counter()
        make_eppgbm_file(path, rows, lake)
        print(f"file: {rows:,} rows, {path.stat().st_size / 1e6:.1f} MB (made in {time.perf_counter() - t:.1f} s)")
        t0 = time.perf_counter()
        pd.read_csv(path, sep=";", dtype=str).to_parquet(work / "baseline.parquet")
        baseline = time.perf_counter() - t0
        os.environ["PANTAU_MAX_UPLOAD_MB"] = "500"
        pipeline.MAX_UPLOAD_MB = 500
        t1 = time.perf_counter()
        upload = Upload(path.name, path.read_bytes())
        report = pipeline.prepare(upload, pipeline.Request(kind="nilai", kota_kode=EPPGBM_KOTA,
                                                           today=dt.date(2026, 11, 23)), lake)
        t2 = time.perf_counter()
        for p in report.errors[:5]:
            print("  error:", p.where(upload.display_name))
        record = pipeline.commit(report, upload, lake)
        t3 = time.perf_counter()
        log = [r for r in lake.uploads().to_pylist() if r["upload_id"] == record["upload_id"]]
        stored = sum(r["baris"] for r in log if r["tabel"] == "nilai")
        listed = sum(r["baris"] for r in log if r["tabel"] == "rekaman")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {dt.date.today()}")
        print(f"pandas read_csv + to_parquet (no validation): {baseline:6.1f} s")
        print(f"pantau ingest end to end:                     {t3 - t1:6.1f} s"
              f"  (read+count+validate {t2 - t1:.1f} s, commit {t3 - t2:.1f} s)")
        print(f"  format {report.format}, {len(report.slices)} slices (months), kelurahan-months stored {stored:,}, "
              f"children-months measured {report.totals['denominator']:,}, stunted {report.totals['count']:,}")
        print(f"  reconciliation list (keyed hashes) stored in the same upload: {listed:,} children-months")
        print(f"  goal <= 30 s: {'met' if t3 - t1 <= 30 else 'NOT met'}; peak RSS {rss:,.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
