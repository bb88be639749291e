"""Each quality measure on hand-made data where the expected value is known."""

import datetime as dt
from functools import partial

import numpy as np
import pyarrow as pa
import pytest

from pantau.domain import quality
from pantau.lake import queries
from pantau.lake.store import Lake

END = dt.date(2026, 6, 1)
MONTHS = [dt.date(2024 + (5 + i) // 12, (5 + i) % 12 + 1, 1) for i in range(25)]  # Jun 2024 .. Jun 2026


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Kota 98.01: A steady then a spike, B rounded to 5, C silent this month, D count above denominator."""
    lake = Lake(tmp_path_factory.mktemp("q") / "lake")
    kel = ["98.01.01.1001", "98.01.01.1002", "98.01.01.1003", "98.01.01.1004"]
    lake.write("wilayah", pa.table({
        "kode": ["98.01", "98.01.01", *kel],
        "nama": ["Kota Q", "Kec Q", "A", "B", "C", "D"],
        "tingkat": ["kota", "kecamatan"] + ["kelurahan"] * 4,
        "parent_kode": [None, "98.01"] + ["98.01.01"] * 4,
        "kota_kode": ["98.01"] * 6,
        "luas_km2": [1.0] * 6,
        "geometry": [None] * 6,
    }), mode="overwrite")
    rows = []
    a_counts = [11, 12, 13, 12, 11, 12, 13, 14, 12, 11, 12, 13, 12, 11, 12, 13, 12, 11, 12, 13, 12, 11, 12, 13, 40]
    for i, month in enumerate(MONTHS):
        rows.append((kel[0], month, a_counts[i], 100))
        rows.append((kel[1], month, [10, 15, 20, 25, 30][i % 5] if i >= 13 else 11 + i % 4, 200))
        if month != END:
            rows.append((kel[2], month, 7, 100))
        rows.append((kel[3], month, 300 if month == END else 12, 100))
    lake.write("nilai", pa.table({
        "kelurahan_kode": [r[0] for r in rows], "indikator": ["stunting"] * len(rows),
        "periode": [r[1] for r in rows], "sumber": ["resmi"] * len(rows),
        "jumlah": [r[2] for r in rows], "penyebut": [r[3] for r in rows], "upload_id": ["u"] * len(rows),
    }), mode="overwrite")
    lake.write("drainase", pa.table({k: pa.array([], t) for k, t in zip(
        ["id", "lon", "lat", "kelurahan_kode", "kondisi", "status", "tanggal_lapor", "status_tanggal", "sumber", "upload_id"],
        [pa.string(), pa.float64(), pa.float64(), pa.string(), pa.string(), pa.string(), pa.date32(), pa.date32(), pa.string(), pa.string()])}),
        mode="overwrite")
    lake.write("uploads", pa.table({
        "upload_id": ["u"], "diunggah": [dt.datetime(2026, 7, 5, tzinfo=dt.timezone.utc)], "jenis": ["nilai"],
        "tabel": ["nilai"], "nama_berkas": ["q.xlsx"], "sumber": ["resmi"], "baris": [len(rows)], "demo": [False],
    }), mode="overwrite")
    cursor = lake.connect().cursor()
    return partial(queries.run, cursor)


@pytest.fixture(scope="module")
def rows(run):
    frame = run("kualitas_by_wilayah", kota_kode="98.01", periode=END)
    return {(r.tingkat, r.kode): r._asdict() for r in frame.itertuples(index=False)}


def test_completeness_counts_who_reported(rows):
    kota = rows[("kota", "98.01")]
    assert (kota["reporting"], kota["expected"]) == (3, 4)
    assert rows[("kelurahan", "98.01.01.1003")]["reporting"] == 0
    b = quality.badge(kota, "id")
    assert b.level == "red" and any("3 dari 4" in r for r in b.reasons)  # 75 % < 80 %


def test_heaping_share_over_the_last_twelve_months(rows):
    b_row = rows[("kelurahan", "98.01.01.1002")]
    # The last 12 months (Jul 2025 .. Jun 2026) are all rounded to 0 or 5 and all >= 10.
    assert (b_row["heaping_n"], b_row["heaping_of"]) == (12, 12)
    assert b_row["heaping_kelurahan"] == 1
    a_row = rows[("kelurahan", "98.01.01.1001")]
    a_values = [12, 11, 12, 13, 12, 11, 12, 13, 12, 11, 12, 13, 40][-12:]
    assert (a_row["heaping_n"], a_row["heaping_of"]) == (sum(v % 5 == 0 for v in a_values), 12)
    assert a_row["heaping_kelurahan"] == 0
    assert quality.badge(b_row, "id").level == "red"  # 100 % against ~20 %


def test_modified_z_score_against_own_history(rows):
    history = np.array([11, 12, 13, 12, 11, 12, 13, 14, 12, 11, 12, 13, 12, 11, 12, 13, 12, 11, 12, 13, 12, 11, 12, 13], float)
    median = np.median(history)
    mad = np.median(np.abs(history - median))
    expected = 0.6745 * (40 - median) / mad
    a_row = rows[("kelurahan", "98.01.01.1001")]
    assert a_row["z"] == pytest.approx(expected)
    assert a_row["outliers"] == 1
    assert rows[("kota", "98.01")]["outliers"] >= 1


def test_impossible_values(rows):
    assert rows[("kelurahan", "98.01.01.1004")]["impossible"] == 1
    assert rows[("kota", "98.01")]["impossible"] == 1
    assert quality.badge(rows[("kelurahan", "98.01.01.1004")], "en").level == "red"


def test_freshness_in_days_and_late_badge(run):
    fresh = run("kesegaran_by_wilayah", wilayah_kode="98.01", hari_ini=dt.date(2026, 9, 1)).iloc[0]
    assert fresh["hari_sejak"] == (dt.date(2026, 9, 1) - dt.date(2026, 7, 5)).days == 58
    b = quality.badge({"tingkat": "kota", "reporting": 1, "expected": 1}, "id", int(fresh["hari_sejak"]))
    assert b.level == "amber" and "58 hari" in b.reasons[0]
    assert quality.badge({"tingkat": "kota", "reporting": 1, "expected": 1}, "id", 80).level == "red"


def test_a_clean_row_is_green_and_says_so():
    b = quality.badge({"tingkat": "kota", "reporting": 20, "expected": 20}, "id", 10)
    assert b.level == "green" and b.reasons == [quality.t("q.ok", "id")]
    html = quality.badge_html(b, "id")
    assert "pk-badge-green" in html and "title=" in html
