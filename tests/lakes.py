"""Lakes built from Python literals, for the fixtures of tests/conftest.py and for tests that build one
themselves (a lake of their own in a temporary folder)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import shapely

from pantau.lake.store import Lake

NATIONAL_FIXTURE = Path(__file__).parent / "data" / "nasional"


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
