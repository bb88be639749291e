"""The demo is deterministic and says what the articles say."""

import datetime as dt

import pandas as pd
import pytest
import shapely

from pantau.lake import demo, demo_calibration, geo
from pantau.lake.store import Lake

AUG_2025 = dt.date(2025, 8, 1)


@pytest.fixture(scope="module")
def tables(demo_lake):
    return {name: demo_lake.read(name).to_pandas() for name in ("wilayah", "nilai", "drainase", "uploads")}


def _kota_total(nilai, kota, indikator, sumber, periode):
    mask = (nilai["kelurahan_kode"].str.startswith(kota + ".") & (nilai["indikator"] == indikator)
            & (nilai["sumber"] == sumber) & (pd.to_datetime(nilai["periode"]).dt.date == periode))
    return int(nilai.loc[mask, "jumlah"].sum()), int(mask.sum())


def test_pekanbaru_august_2025_matches_the_mayor(tables):
    assert _kota_total(tables["nilai"], "14.71", "putus_sekolah", "lapangan", AUG_2025) == (1778, 83)
    resmi, _ = _kota_total(tables["nilai"], "14.71", "stunting", "resmi", AUG_2025)
    lapangan, _ = _kota_total(tables["nilai"], "14.71", "stunting", "lapangan", AUG_2025)
    assert 180 <= resmi <= 230  # "sekitar 200-an"
    assert 1900 <= lapangan <= 2100  # "terdata 2.000"


def test_pekanbaru_months_around_the_calibration_are_not_outliers(tables):
    nilai = tables["nilai"]
    for month in (dt.date(2025, 7, 1), dt.date(2025, 9, 1)):
        total, reporting = _kota_total(nilai, "14.71", "stunting", "lapangan", month)
        assert 0.8 * 2011 * reporting / 83 < total < 1.25 * 2011


def test_bontang_priority_kelurahan_have_the_most_extreme_poverty_every_month_until_marked(tables):
    nilai = tables["nilai"]
    bontang = nilai[nilai["kelurahan_kode"].str.startswith("64.74.") & (nilai["indikator"] == "kemiskinan_ekstrem")
                    & (pd.to_datetime(nilai["periode"]) < pd.Timestamp(demo_calibration.DEMO_MARKED))]
    names = tables["wilayah"].set_index("kode")["nama"]
    assert sorted(names[list(demo_calibration.BONTANG_PRIORITY)]) == ["Api-api", "Lok Tuan", "Tanjung Laut", "Tanjung Laut Indah"]
    for (_, _), month in bontang.groupby(["periode", "sumber"]):
        top4 = set(month.nlargest(4, "jumlah")["kelurahan_kode"])
        assert top4 == set(demo_calibration.BONTANG_PRIORITY)


def test_banjarbaru_drainage_reports_peak_in_january_and_february(tables):
    drn = tables["drainase"]
    months = pd.to_datetime(drn.loc[drn["kelurahan_kode"].str.startswith("63.72."), "tanggal_lapor"]).dt.month
    top2 = set(months.value_counts().head(2).index)
    assert top2 == {1, 2}


def test_prabumulih_kelurahan_without_boundary_still_have_data(tables):
    wil, nilai = tables["wilayah"], tables["nilai"]
    no_boundary = wil[(wil["tingkat"] == "kelurahan") & wil["geometry"].isna()]["kode"]
    assert len(no_boundary) == 8 and no_boundary.str.startswith("16.74.").all()
    assert set(no_boundary) <= set(nilai["kelurahan_kode"])


def test_some_kelurahan_months_are_missing_not_zero(tables):
    nilai = tables["nilai"]
    expected = 163 * 3 * 2 * len(demo.periods())
    assert 0.95 * expected < len(nilai) < expected
    assert nilai["jumlah"].notna().all()


def test_the_demo_carries_the_quality_problems_real_feeds_have(tables):
    nilai = tables["nilai"]
    impossible = nilai[nilai["jumlah"] > nilai["penyebut"]]
    assert len(impossible) == sum(demo_calibration.IMPOSSIBLE.values())
    assert (pd.to_datetime(impossible["periode"]).dt.date == demo_calibration.LAST_PERIOD).all()
    k, indicator, sumber, since = demo_calibration.LATE
    late = nilai[nilai["kelurahan_kode"].str.startswith(k) & (nilai["indikator"] == indicator) & (nilai["sumber"] == sumber)]
    assert pd.to_datetime(late["periode"]).max().date() == since
    for kota, (indicator, sumber, n) in demo_calibration.HEAPING.items():
        part = nilai[nilai["kelurahan_kode"].str.startswith(kota) & (nilai["indikator"] == indicator) & (nilai["sumber"] == sumber)]
        share = part.groupby("kelurahan_kode")["jumlah"].apply(lambda s: (s % 5 == 0).mean())
        assert (share == 1).sum() >= n


def test_drainage_points_lie_inside_their_kelurahan(tables):
    wil = tables["wilayah"].set_index("kode")
    drn = tables["drainase"]
    shapes = dict(zip(wil.index, geo.shapes(wil["geometry"])))
    inside = [shapes[k].contains(shapely.Point(x, y)) for k, x, y in zip(drn["kelurahan_kode"], drn["lon"], drn["lat"])]
    assert all(inside)
    assert set(drn["kondisi"]) == {"tersumbat", "tidak_berfungsi", "belum_ada"}
    assert set(drn["status"]) == {"dilaporkan", "ditangani", "selesai"}
    assert (pd.to_datetime(drn["status_tanggal"]) >= pd.to_datetime(drn["tanggal_lapor"])).all()


def test_every_figure_is_marked_as_demo(tables):
    assert tables["uploads"]["demo"].all()
    assert set(tables["nilai"]["upload_id"]) <= set(tables["uploads"]["upload_id"])


def test_the_demo_is_the_same_every_time(tmp_path, tables):
    again = Lake(tmp_path / "again")
    demo.build(again)
    a = tables["nilai"].sort_values(["kelurahan_kode", "indikator", "periode", "sumber"]).reset_index(drop=True)
    b = again.read("nilai").to_pandas().sort_values(["kelurahan_kode", "indikator", "periode", "sumber"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_build_leaves_a_lake_with_data_alone_unless_forced(demo_lake):
    assert demo.build(demo_lake) is False


def test_extreme_poverty_falls_in_bontang_priority_kelurahan_after_marking(tables):
    nilai = tables["nilai"]
    lok_tuan = nilai[(nilai["kelurahan_kode"] == "64.74.01.1003") & (nilai["indikator"] == "kemiskinan_ekstrem")
                     & (nilai["sumber"] == "lapangan")].set_index("periode")["jumlah"]
    before, last = lok_tuan[dt.date(2026, 8, 1)], lok_tuan[demo_calibration.LAST_PERIOD]
    assert last < 0.2 * before  # the demo's best case; Tanjung Laut Indah does not move
