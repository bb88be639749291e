"""Every .sql file runs with its documented parameters and keeps its invariant."""

import datetime as dt

import pandas as pd
import pytest

from pantau import settings
from pantau.errors import QueryError
from pantau.lake import queries

AUG = dt.date(2025, 8, 1)
JUL = dt.date(2025, 7, 1)

DEMO_PARAMS = {
    "kota_list": {},
    "lake_status": {},
    "periode_by_kota": {"kota_kode": "16.74"},
    "kelurahan_by_kota": {"kota_kode": "16.74"},
    "geometry_by_kota": {"kota_kode": "16.74"},
    "geometry_by_bagian": {"wilayah_kode": "16.74", "panjang": 13},
    "induk_by_kode": {"kode": "16.74.01.1001"},
    "indikator_by_wilayah": {"wilayah_kode": "14.71", "periode": AUG},
    "indikator_tersedia_by_wilayah": {"wilayah_kode": "14.71", "sumber": ""},
    "indikator_by_wilayah_periode": {"wilayah_kode": "63.72", "sumber": "lapangan", "dari": dt.date(2025, 1, 1), "sampai": AUG},
    "nilai_by_bagian": {"wilayah_kode": "16.74", "panjang": 13, "indikator": ["stunting"], "sumber": "resmi", "periode": AUG, "periode_lalu": JUL},
    "drainase_points": {"kota_kode": "63.72", "periode": AUG, "sumber": "lapangan"},
    "nilai_series_by_periode": {"kelurahan_kode": "64.74.01.1003", "indikator": "kemiskinan_ekstrem", "dari": dt.date(2025, 1, 1), "sampai": AUG},
    "kesegaran_by_wilayah": {"wilayah_kode": "64.74", "hari_ini": dt.date(2026, 11, 23)},
    "nilai_series_by_wilayah": {"wilayah_kode": "16.74", "panjang": 8, "indikator": "stunting", "sumber": "lapangan", "dari": dt.date(2025, 1, 1), "sampai": AUG},
    "kualitas_by_wilayah": {"kota_kode": "14.71", "periode": AUG},
    "profil_by_indikator": {"kelurahan_kode": "64.74.01.1003", "periode": AUG},
    "alias_by_kota": {"kota_kode": "64.74"},
    "penyebut_by_kelurahan": {"kota_kode": "64.74", "jenis": "rumah_tangga", "tahun": 2025},
    "kode_bps_by_kota": {"kota_kode": "14.71"},
    "nilai_tahunan_by_kelurahan": {"kota_kode": "14.71", "indikator": "stunting", "sumber": "resmi", "tahun": 2026},
    "riwayat_by_upload": {"kota_kode": None},
    "prioritas_by_kota": {"kota_kode": "64.74", "sampai": dt.date(2026, 11, 1)},
    "tindak_lanjut_by_kota": {"kota_kode": "64.74", "hari_ini": dt.date(2026, 11, 23)},
    "tindak_lanjut_riwayat_by_versi": {"aksi_id": "demo-64.74-0"},
    "tindak_lanjut_terbuka_by_kelurahan": {"kota_kode": "64.74", "hari_ini": dt.date(2026, 11, 23)},
    "opd_by_kota": {"kota_kode": "64.74"},
    "drainase_titik_by_kota": {"kota_kode": "63.72", "hari_ini": dt.date(2026, 11, 23)},
    "drainase_riwayat_by_perubahan": {"id": "DRN-63.72-0001"},
    "banjir_by_kota": {"kota_kode": "63.72", "dari": dt.date(2025, 11, 1), "sampai": dt.date(2026, 11, 23)},
    "rekaman_by_kelurahan": {"kota_kode": "64.74", "indikator": "stunting", "periode": AUG},
    "rekaman_tanpa_pasangan_by_baris": {"kota_kode": "64.74", "indikator": "stunting", "periode": AUG, "sumber": "resmi"},
}
# These hold only what users upload; tests/ingest/test_ingest.py runs them on a lake with uploads.
EMPTY_ON_DEMO = {"alias_by_kota", "penyebut_by_kelurahan", "nilai_tahunan_by_kelurahan", "kode_bps_by_kota", "riwayat_by_upload", "opd_by_kota",
                 "drainase_riwayat_by_perubahan", "rekaman_tanpa_pasangan_by_baris"}


def test_every_query_file_is_covered_here():
    files = {p.stem for p in settings.QUERIES_DIR.glob("*.sql")}
    assert files == set(DEMO_PARAMS)


@pytest.mark.parametrize("name", sorted(DEMO_PARAMS))
def test_each_query_documents_its_grain_and_parameters(name):
    query = queries.load(name)
    head = query.sql.splitlines()
    assert head[0].startswith("-- ") and "row" in query.sql.split("params:")[0].lower(), name
    assert query.params == set(DEMO_PARAMS[name]), name


@pytest.mark.parametrize("name", sorted(DEMO_PARAMS))
def test_each_query_runs_on_the_demo(demo_run, name):
    frame = demo_run(name, **DEMO_PARAMS[name])
    assert isinstance(frame, pd.DataFrame) and (len(frame) > 0 or name in EMPTY_ON_DEMO)
    for column in ("rate",):
        if column in frame:
            rates = frame[column].dropna()
            assert ((rates >= 0) & (rates <= 100)).all(), name


def test_wrong_parameters_are_refused(demo_run):
    with pytest.raises(QueryError):
        demo_run("periode_by_kota", kota="14.71")
    with pytest.raises(QueryError):
        demo_run("periode_by_kota", kota_kode="14.71", extra="x")


def test_values_are_bound_so_injection_text_is_only_a_value(demo_run):
    evil = "14.71' or '1'='1"
    assert demo_run("periode_by_kota", kota_kode=evil).empty
    assert len(demo_run("kota_list")) == 4


def test_nilai_by_bagian_has_one_row_per_kelurahan_including_no_boundary(demo_run):
    frame = demo_run("nilai_by_bagian", **DEMO_PARAMS["nilai_by_bagian"])
    assert frame["kode"].is_unique
    assert len(frame) == 45
    assert (~frame["has_boundary"]).sum() == 8
    assert frame.loc[~frame["has_boundary"], "jumlah"].notna().any()


def test_kota_rate_is_sum_over_sum_not_a_mean_of_rates(small_run):
    rows = small_run("indikator_by_wilayah", wilayah_kode="99.01", periode=AUG)
    st = rows[(rows["indikator"] == "stunting") & (rows["sumber"] == "resmi")].iloc[0]
    assert st["jumlah"] == 36 and st["penyebut"] == 150
    assert st["rate"] == pytest.approx(100 * 36 / 150)
    assert st["reporting"] == 3 and st["kelurahan_total"] == 3


def test_a_month_without_report_is_null_not_zero(small_run):
    frame = small_run("nilai_by_bagian", panjang=13, wilayah_kode="99.01", indikator=["stunting"], sumber="resmi",
                      periode=AUG, periode_lalu=JUL).set_index("kode")
    assert frame.at["99.01.01.1003", "jumlah"] == 5
    assert pd.isna(frame.at["99.01.01.1003", "jumlah_lalu"])
    assert frame.at["99.01.01.1001", "rate_lalu"] == pytest.approx(20.0)
    series = small_run("nilai_series_by_periode", kelurahan_kode="99.01.01.1003", indikator="stunting",
                       dari=JUL, sampai=AUG)
    resmi = series[series["sumber"] == "resmi"].set_index("periode")
    assert pd.isna(resmi.loc[pd.Timestamp(JUL), "jumlah"]) and resmi.loc[pd.Timestamp(AUG), "jumlah"] == 5


def test_drainage_counts_points_open_at_the_end_of_the_month(small_run):
    # August: d1 closed in July, d2 open, d3 not yet reported, d4 still open (fixed in September).
    frame = small_run("nilai_by_bagian", panjang=13, wilayah_kode="99.01", indikator=["drainase"], sumber="resmi",
                      periode=AUG, periode_lalu=JUL).set_index("kode")
    assert frame.at["99.01.01.1001", "jumlah"] == 1 and frame.at["99.01.01.1002", "jumlah"] == 1
    assert frame.at["99.01.01.1003", "jumlah"] == 0  # no point is a real zero for point reports
    assert frame.at["99.01.01.1001", "jumlah_lalu"] == 0  # d1 fixed on 15 July, d2 not yet reported
    points = small_run("drainase_points", kota_kode="99.01", periode=AUG, sumber="resmi")
    assert set(points["id"]) == {"d2", "d4"}
    totals = small_run("indikator_by_wilayah", wilayah_kode="99.01", periode=dt.date(2025, 9, 1))
    assert totals.set_index("indikator").at["drainase", "jumlah"] == 2  # d2 and d3 open, d4 fixed


def test_series_by_wilayah_rolls_up_sum_over_sum_and_keeps_gaps(small_run):
    frame = small_run("nilai_series_by_wilayah", wilayah_kode="99.01", panjang=8, indikator="stunting", sumber="resmi",
                      dari=dt.date(2025, 6, 1), sampai=AUG)
    kota = frame[frame["tingkat"] == "kota"].set_index("periode")
    assert kota.loc[pd.Timestamp(AUG), "rate"] == pytest.approx(100 * 36 / 150)
    assert kota.loc[pd.Timestamp(AUG), "reporting"] == 3 and kota.loc[pd.Timestamp(AUG), "expected"] == 3
    assert kota.loc[pd.Timestamp(JUL), "reporting"] == 2
    assert pd.isna(kota.loc[pd.Timestamp(dt.date(2025, 6, 1)), "jumlah"])  # nobody reported: a gap
    assert set(frame["tingkat"]) == {"kota", "kecamatan", "kelurahan"}
    assert len(frame[frame["tingkat"] == "kelurahan"]) == 3 * 3
