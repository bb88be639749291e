"""Shared fixtures: a demo lake built once per run, and a small hand-made lake from literals."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

import pyarrow as pa
import pytest
import shapely

from pantau.lake import demo, queries
from pantau.lake.store import Lake


@pytest.fixture(scope="session")
def demo_lake(tmp_path_factory) -> Lake:
    lake = Lake(tmp_path_factory.mktemp("lake") / "demo")
    assert demo.build(lake)
    return lake


@pytest.fixture(scope="session")
def demo_run(demo_lake):
    return partial(queries.run, demo_lake.connect().cursor())


@pytest.fixture(scope="module")
def server(demo_lake):
    """`streamlit run app.py` over the demo lake on a free localhost port (the browser tests)."""
    from bench import harness

    env = {"PANTAU_LAKE": str(demo_lake.path), "PANTAU_TODAY": "2026-11-23"}
    with harness.streamlit_server(harness.ROOT / "app.py", env=env) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    from bench import harness

    with sync_playwright() as p:
        b = harness.launch(p)
        yield b
        b.close()


NATIONAL_FIXTURE = Path(__file__).parent / "data" / "nasional"


@pytest.fixture(scope="session")
def national_lake(tmp_path_factory) -> Lake:
    """The national builder over a national-shaped fixture: DKI Jakarta and DI Yogyakarta (705 desa and
    kelurahan, real boundaries), two years of months."""
    from pantau.lake import nasional

    lake = Lake(tmp_path_factory.mktemp("lake") / "nasional")
    nasional.build(lake, years=2, desa_file=NATIONAL_FIXTURE / "desa_kelurahan.parquet",
                   codes_file=NATIONAL_FIXTURE / "kode_wilayah.csv", progress=lambda _: None)
    return lake


@pytest.fixture(scope="session")
def national_run(national_lake):
    return partial(queries.run, national_lake.connect().cursor())


def _square(x: float, y: float, size: float = 0.01) -> bytes:
    return shapely.to_wkb(shapely.box(x, y, x + size, y + size))


def build_small_lake(path) -> Lake:
    """Kota 99.01 with kecamatan 99.01.01 and three kelurahan; the third has no boundary."""
    lake = Lake(path)
    lake.write("wilayah", pa.table({
        "kode": ["99.01", "99.01.01", "99.01.01.1001", "99.01.01.1002", "99.01.01.1003"],
        "nama": ["Kota Uji", "Kecamatan Satu", "Alpha", "Beta", "Gamma"],
        "tingkat": ["kota", "kecamatan", "kelurahan", "kelurahan", "kelurahan"],
        "parent_kode": [None, "99.01", "99.01.01", "99.01.01", "99.01.01"],
        "kota_kode": ["99.01"] * 5,
        "luas_km2": [3.0, 3.0, 1.0, 2.0, None],
        "geometry": [_square(0, 0, 0.02), _square(0, 0, 0.02), _square(0, 0), _square(0.01, 0), None],
    }), mode="overwrite")
    aug, jul = dt.date(2025, 8, 1), dt.date(2025, 7, 1)
    lake.write("nilai", pa.table({
        # Alpha 1/10 = 10 %, Beta 9/90 = 10 %... but the kota rate is (1+30)/(10+90) = 31 %, not the mean.
        "kelurahan_kode": ["99.01.01.1001", "99.01.01.1002", "99.01.01.1003", "99.01.01.1001", "99.01.01.1002"],
        "indikator": ["stunting"] * 5,
        "periode": [aug, aug, aug, jul, jul],
        "sumber": ["resmi"] * 5,
        "jumlah": [1, 30, 5, 2, 20],
        "penyebut": [10, 90, 50, 10, 80],
        "upload_id": ["u1"] * 5,
    }), mode="overwrite")
    lake.write("drainase", pa.table({
        "id": ["d1", "d2", "d3", "d4"],
        "lon": [0.005, 0.005, 0.015, 0.015],
        "lat": [0.005, 0.006, 0.005, 0.006],
        "kelurahan_kode": ["99.01.01.1001", "99.01.01.1001", "99.01.01.1002", "99.01.01.1002"],
        "kondisi": ["tersumbat", "belum_ada", "tidak_berfungsi", "tersumbat"],
        # d1 fixed in July (closed for August), d2 open, d3 reported after August, d4 fixed in September.
        "status": ["selesai", "dilaporkan", "dilaporkan", "selesai"],
        "tanggal_lapor": [dt.date(2025, 6, 1), dt.date(2025, 8, 31), dt.date(2025, 9, 2), dt.date(2025, 5, 5)],
        "status_tanggal": [dt.date(2025, 7, 15), dt.date(2025, 8, 31), dt.date(2025, 9, 2), dt.date(2025, 9, 10)],
        "sumber": ["resmi"] * 4,
        "upload_id": ["u2"] * 4,
    }), mode="overwrite")
    lake.write("uploads", pa.table({
        "upload_id": ["u1", "u2"],
        "diunggah": [dt.datetime(2025, 9, 5, tzinfo=dt.timezone.utc), dt.datetime(2025, 9, 6, tzinfo=dt.timezone.utc)],
        "jenis": ["nilai", "drainase"],
        "tabel": ["nilai", "drainase"],
        "nama_berkas": ["stunting.xlsx", "drainase.csv"],
        "sumber": ["resmi", "resmi"],
        "baris": [5, 4],
        "demo": [False, False],
    }), mode="overwrite")
    return lake


@pytest.fixture
def small_lake(tmp_path) -> Lake:
    return build_small_lake(tmp_path / "small")


@pytest.fixture
def small_run(small_lake):
    return partial(queries.run, small_lake.connect().cursor())
