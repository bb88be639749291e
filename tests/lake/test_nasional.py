"""One app from a kecamatan to the nation: the national builder, and the same queries at every level,
on a national-shaped fixture (two provinces, 705 desa and kelurahan)."""

from __future__ import annotations

import pytest
import shapely

from pantau.domain import prioritas
from pantau.domain.catalog import INDICATORS
from pantau.lake import geo
from pantau.views import ringkasan, shared, tren
from pantau.views.prioritas import indicator_values
from pantau.views.wilayah import valid_wilayah
from pantau.web import access

OCT = "2026-10"


def test_the_builder_derives_every_level_from_the_desa(national_lake):
    w = national_lake.read("wilayah").to_pandas()
    counts = w["tingkat"].value_counts()
    assert counts["provinsi"] == 2 and counts["kelurahan"] == 705
    assert counts["kota"] == 6 + 5 and counts["kecamatan"] > 60  # Jakarta's 6, Yogyakarta's 5
    # Each level's outline is the union of the one below: a province covers its desa, and its area
    # is their sum within a few percent (simplified separately, rounded).
    desa = w[w["tingkat"] == "kelurahan"]
    for prov in ("31", "34"):
        outline = geo.shapes(w.loc[w["kode"] == prov, "geometry"])[0]
        inside = desa[desa["kode"].str.startswith(prov + ".")]
        assert w.loc[w["kode"] == prov, "luas_km2"].iloc[0] == pytest.approx(inside["luas_km2"].sum(), rel=0.05)
        points = shapely.point_on_surface(geo.shapes(inside["geometry"]))
        assert shapely.contains(shapely.buffer(outline, 0.01), points).mean() > 0.99
    assert set(w.loc[w["tingkat"] == "kota", "parent_kode"]) == {"31", "34"}


def test_values_for_every_desa_month_indicator_and_source_with_gaps(national_lake, national_run):
    nilai = national_lake.read("nilai").to_pandas()
    assert nilai["periode"].nunique() == 24 and set(nilai["indikator"]) == {"stunting", "putus_sekolah", "kemiskinan_ekstrem"}
    full = 705 * 24 * 3 * 2
    assert 0.93 * full < len(nilai) < 0.98 * full  # some desa-months did not report: no row, never a zero
    assert (nilai["jumlah"] <= nilai["penyebut"]).all()
    assert not nilai.duplicated(["kelurahan_kode", "indikator", "sumber", "periode"]).any()


@pytest.mark.parametrize("indikator", ["stunting", "kemiskinan_ekstrem"])
def test_the_same_query_answers_at_every_level_and_the_levels_add_up(national_run, indikator):
    def parts(wilayah, level):
        return shared.part_values(national_run, wilayah, indikator, "resmi", OCT, "2026-09", level)

    nation = ringkasan.wilayah_summary(national_run, "", OCT)[indikator]["resmi"]
    provinces = parts("", "provinsi")
    assert provinces["kode"].tolist() == ["31", "34"]
    assert provinces["jumlah"].sum() == nation["count"] and provinces["expected"].sum() == 705
    for level in ("kota", "kecamatan", "kelurahan"):
        assert parts("", level)["jumlah"].sum() == nation["count"]
    kota = parts("34", "kota")
    assert len(kota) == 5 and kota["jumlah"].sum() == provinces.set_index("kode").at["34", "jumlah"]
    assert set(kota["induk"]) == {"Daerah Istimewa Yogyakarta"}
    desa = parts("34.71", "kelurahan")
    assert desa["kode"].str.startswith("34.71.").all() and desa["jumlah"].sum() == kota.set_index("kode").at["34.71", "jumlah"]
    # Rates are sum over sum at every level, never a mean of rates.
    p = provinces.set_index("kode").loc["34"]
    assert p["rate"] == pytest.approx(100 * p["jumlah"] / p["penyebut"])
    assert ringkasan.wilayah_summary(national_run, "34", OCT)[indikator]["resmi"]["count"] == p["jumlah"]


def test_trend_at_the_nation_a_province_and_a_kota(national_run):
    view = shared.View("31.71", "Kota Jakarta Pusat", "stunting", OCT, "resmi", "rate", "id", wilayah="", wilayah_nama="Indonesia")
    series = tren.trend(national_run, view, 24)
    # The nation and its provinces; no desa lines at this level (they would be millions of rows).
    assert set(series["tingkat"]) == {"nasional", "provinsi"}
    nation = series[series["tingkat"] == "nasional"].set_index("periode")
    assert len(nation) == 24 and (nation["expected"] == 705).all()
    provinces = series[series["tingkat"] == "provinsi"].groupby("periode")[["jumlah", "penyebut", "reporting"]].sum()
    assert (nation[["jumlah", "penyebut", "reporting"]] == provinces).all().all()
    same = shared.wilayah_series(national_run, "", "resmi", OCT, 24)
    same = same[same["indikator"] == "stunting"].set_index("periode")
    assert (same["jumlah"] == nation["jumlah"]).all()  # one total, whichever query asks
    lines = tren.trend_lines(series, [], True, "rate", top="")
    assert [ln["name"] for ln in lines] == ["Indonesia", "Daerah Khusus Ibukota Jakarta", "Daerah Istimewa Yogyakarta"]
    view.wilayah = "34"
    kota_level = tren.trend(national_run, view, 12)
    assert set(kota_level.loc[kota_level["tingkat"] == "kota", "kode"]) == {"34.01", "34.02", "34.03", "34.04", "34.71"}
    view.wilayah = "34.71"
    kota = tren.trend(national_run, view, 12)
    assert set(kota["tingkat"]) == {"kota", "kecamatan", "kelurahan"}
    lines = tren.trend_lines(kota, ["34.71.01.1001"], False, "rate", top="34.71")
    assert lines[0]["name"] == "Kota Yogyakarta" and lines[-1]["kode"] == "34.71.01.1001"


def test_a_composite_score_over_a_province(national_run):
    weights = {i: INDICATORS[i].weight for i in INDICATORS}
    scores = prioritas.composite(indicator_values(national_run, "34", OCT, "lapangan"), weights)
    assert len(scores) == 438 and scores["kode"].str.startswith("34.").all()
    ranked = scores.dropna(subset=["skor"])
    assert ranked["peringkat"].min() == 1 and ranked["skor"].max() <= 100


def test_level_choices_breadcrumb_and_scope():
    assert shared.level_choices("") == ["provinsi", "kota", "kecamatan", "kelurahan"]
    assert shared.level_choices("34") == ["kota", "kecamatan", "kelurahan"]
    assert shared.level_choices("34.71") == ["kecamatan", "kelurahan"]
    assert shared.outline_level("", "kelurahan") == "provinsi" and shared.outline_level("", "provinsi") is None
    assert valid_wilayah("34.71", None) == "34.71"
    assert valid_wilayah("34'; drop table nilai; --", None) == ""
    assert valid_wilayah("", "64.74") == "64.74" and valid_wilayah("14", "64.74") == "64.74"
    assert valid_wilayah("64.74.01", "64.74") == "64.74.01"
    kota_user = access.User("k", "K", "viewer", kota="34.71")
    with pytest.raises(access.AccessDenied):
        access.check_params(kota_user, "nilai_by_bagian", {"wilayah_kode": ""})  # the nation is outside
    with pytest.raises(access.AccessDenied):
        access.check_params(kota_user, "nilai_by_bagian", {"wilayah_kode": "34"})


def test_level_map_files_hold_shapes_once_and_no_values(national_run, tmp_path, monkeypatch):
    from pantau import settings

    monkeypatch.setattr(settings, "GEO_STATIC_DIR", tmp_path)
    parts = national_run("geometry_by_bagian", wilayah_kode="", panjang=13)
    above = national_run("geometry_by_bagian", wilayah_kode="", panjang=2)
    loads = []

    def load():
        loads.append(1)
        return parts, above

    assets = geo.part_assets("id-kelurahan-v1", load)
    import json

    shapes = json.loads((tmp_path / assets["bagian"].rsplit("/", 1)[1]).read_text())
    assert len(shapes["features"]) == 705
    assert set(shapes["features"][0]["properties"]) == {"kode", "nama"}  # values travel as colours only
    import shapely

    def segments(key):
        rows = json.loads((tmp_path / assets[key].rsplit("/", 1)[1]).read_text())
        return {(tuple(r["s"]), tuple(r["t"])) for r in rows}

    lines, borders = segments("garis"), segments("batas")
    assert lines and borders and not lines & borders  # each edge drawn once: dark above, white between
    provinces = {k: shapely.boundary(g) for k, g in zip(above["kode"], geo.shapes(above["geometry"]))}

    def province_of(segment):
        middle = shapely.Point((segment[0][0] + segment[1][0]) / 2, (segment[0][1] + segment[1][1]) / 2)
        nearest = min(provinces, key=lambda k: provinces[k].distance(middle))
        return nearest if provinces[nearest].distance(middle) < 0.01 else None

    # The dark lines are the outlines of both provinces (simplified for the size the map is drawn at).
    assert {province_of(s) for s in lines} == {"31", "34"}
    assert assets["labels"] is None  # 705 names would cover the map
    again = geo.part_assets("id-kelurahan-v1", load)
    assert again["bagian"] == assets["bagian"] and loads == [1]  # a restarted server reads nothing again
    (tmp_path / assets["bagian"].rsplit("/", 1)[1]).unlink()
    assert geo.part_assets("id-kelurahan-v1", load)["bagian"] == assets["bagian"] and loads == [1, 1]


def test_the_national_command_builds_a_lake(tmp_path):
    import subprocess
    import sys

    from pantau import settings
    from tests.lakes import NATIONAL_FIXTURE

    env = {"PANTAU_LAKE": str(tmp_path / "lake"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "pantau", "demo", "--nasional", "--tahun", "1", "--provinsi", "34",
                           "--batas", str(NATIONAL_FIXTURE / "desa_kelurahan.parquet")],
                          cwd=settings.ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "438 desa/kelurahan" in done.stdout
    missing = subprocess.run([sys.executable, "-m", "pantau", "demo", "--nasional", "--batas", str(tmp_path / "x.parquet")],
                             cwd=settings.ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "x.parquet" in missing.stderr


def test_the_wilayah_page_at_the_nation_and_a_province(national_lake, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from pantau import settings

    monkeypatch.setenv("PANTAU_LAKE", str(national_lake.path))
    monkeypatch.setenv("PANTAU_MODE", "lokal")
    monkeypatch.setenv("PANTAU_TODAY", "2026-11-23")
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=120)
    at.query_params["w"] = "34"
    at.run()
    at.switch_page("pages/wilayah.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.endswith("Daerah Istimewa Yogyakarta")
    level = next(s for s in at.get("button_group") if s.label == "Tampilkan per")
    assert level.options == ["Kabupaten/kota", "Kecamatan", "Desa/kelurahan"]
    assert len(at.dataframe[0].value) == 5
    labels = [b.proto.label for b in at.button]
    assert labels[:2] == ["Indonesia", "Daerah Istimewa Yogyakarta"]
    next(b for b in at.button if b.proto.label == "Indonesia").click().run()
    assert at.title[0].value.endswith("Indonesia")
    assert at.query_params["w"] in ("", [""])
    assert len(at.dataframe[0].value) == 2


@pytest.mark.parametrize("page, lingkup, heading", [
    ("ringkasan", "provinsi", "Ringkasan Daerah Istimewa Yogyakarta"),
    ("ringkasan", "nasional", "Ringkasan Indonesia"),
    ("tren", "nasional", "Tren Prevalensi stunting"),
    ("prioritas", "provinsi", "Prioritas"),
])
def test_ringkasan_tren_and_prioritas_answer_for_a_province_and_the_nation(national_lake, monkeypatch, page, lingkup,
                                                                           heading):
    from streamlit.testing.v1 import AppTest

    from pantau import settings

    monkeypatch.setenv("PANTAU_LAKE", str(national_lake.path))
    monkeypatch.setenv("PANTAU_MODE", "lokal")
    monkeypatch.setenv("PANTAU_TODAY", "2026-11-23")
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=120)
    at.query_params["kota"] = "34.71"
    at.query_params["lingkup"] = lingkup
    at.run()
    if page != "ringkasan":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value.startswith(heading)
    shown = " ".join(h.proto.body for h in at.get("html"))
    if page == "ringkasan":
        # The tiles are the wilayah's totals; the lists rank its parts one level down.
        total = ringkasan.wilayah_summary(partial_run(national_lake), "34" if lingkup == "provinsi" else "", OCT)
        count = total["stunting"]["lapangan"]["count"]
        assert f">{fmt_number(count)} anak" in shown
        assert ("Kabupaten/kota tertinggi" if lingkup == "provinsi" else "Provinsi tertinggi") in [s.value for s in at.subheader][0]
    if page == "prioritas":
        assert len(at.dataframe[0].value) == 438  # every desa of the province, ranked


def partial_run(lake):
    from functools import partial

    from pantau.lake import queries

    return partial(queries.run, lake.connect().cursor())


def fmt_number(value):
    from pantau.render import fmt

    return fmt.number(value, "id")
