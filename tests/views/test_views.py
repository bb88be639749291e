import numpy as np
import pytest

from pantau.domain import classes
from pantau.domain.catalog import INDICATORS
from pantau.views import peta, ringkasan, shared, tren


def test_unknown_values_fall_back_with_a_notice(demo_run):
    view = shared.resolve_view(demo_run, {"kota": "99.99", "indikator": "banjir", "periode": "2030-01",
                                         "sumber": "x", "ukuran": "y"}, "id")
    assert (view.kota, view.indikator, view.periode, view.sumber, view.ukuran) == \
        ("14.71", "stunting", "2026-10", "lapangan", "rate")
    assert len(view.notices) == 5
    assert "99.99" in view.notices[0]


def test_a_valid_view_is_kept_without_notice(demo_run):
    view = shared.resolve_view(demo_run, {"kota": "64.74", "indikator": "drainase", "periode": "2025-02",
                                         "sumber": "resmi", "ukuran": "rate"}, "en")
    assert (view.kota, view.indikator, view.periode, view.sumber) == ("64.74", "drainase", "2025-02", "resmi")
    assert view.ukuran == "jumlah"  # drainage has no rate; quietly the count
    assert view.notices == []
    assert view.params()["kota"] == "64.74"


def test_previous_period_crosses_the_year():
    assert shared.previous_period("2025-01") == "2024-12"


def test_tiles_compare_with_last_month_and_the_target(demo_run):
    tiles = {t.indicator.id: t for t in ringkasan.tiles(demo_run, "14.71", "2025-08", "lapangan")}
    st = tiles["stunting"]
    assert st.count == 2011 and st.other_count is not None
    assert st.vs_target == pytest.approx(st.rate - 14.0)
    assert st.reporting == st.kelurahan_total == 83
    assert len(st.history) == 12
    assert tiles["putus_sekolah"].count == 1778 and tiles["putus_sekolah"].vs_target is None
    assert tiles["drainase"].rate is None and tiles["drainase"].density > 0


def test_map_model_uses_who_classes_for_stunting_rates(demo_run):
    view = shared.resolve_view(demo_run, {"kota": "16.74", "indikator": "stunting"}, "id")
    values = peta.kelurahan_values(demo_run, view)
    model = shared.map_model(values, view.indicator, "rate", "id")
    rates = values["rate"].to_numpy(dtype=float)
    expected = np.where(np.isnan(rates), -1, np.searchsorted([2.5, 10, 20, 30], rates, side="right"))
    assert (model.classes == expected).all()
    assert sum(item["count"] for item in model.legend) == len(values)
    assert model.rule == "who"


def test_quantile_classes_put_every_value_in_a_class():
    import pandas as pd

    values = pd.Series([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 10, None])
    breaks, rule = classes.class_breaks(INDICATORS["putus_sekolah"], "rate", values)
    kelas = classes.classify(values, breaks)
    assert rule == "quantile" and kelas[-1] == -1
    assert sorted(set(kelas[:-1])) == list(range(len(breaks) + 1))


def test_biggest_changes_only_counts_kelurahan_that_reported_twice(small_run):
    view = shared.View("99.01", "Kota Uji", "stunting", "2025-08", "resmi", "rate", "id")
    changes = ringkasan.biggest_changes(peta.kelurahan_values(small_run, view), view.indicator, "rate")
    # Alpha 20 % -> 10 % (better), Beta 25 % -> 33,3 % (worse); Gamma did not report in July.
    assert list(changes["nama"]) == ["Alpha", "Beta"]
    assert list(changes["memburuk"]) == [False, True]


def test_highest_puts_bontang_priority_kelurahan_first_and_skips_missing(demo_run):
    from pantau.lake import demo_calibration

    # Before Bontang marked them (September 2026) and their figures began to fall.
    view = shared.resolve_view(demo_run, {"kota": "64.74", "indikator": "kemiskinan_ekstrem", "periode": "2026-08"}, "id")
    top = shared.highest(peta.kelurahan_values(demo_run, view), view.indicator, "jumlah", n=4)
    assert set(top["kode"]) == set(demo_calibration.BONTANG_PRIORITY)
    rows = ringkasan.highest_rows(top, view.indicator, "jumlah", "id")
    assert rows[0]["magnitude"] >= rows[-1]["magnitude"]


def test_highest_never_ranks_a_kelurahan_that_did_not_report(small_run):
    view = shared.View("99.01", "Kota Uji", "stunting", "2025-07", "resmi", "rate", "id")
    top = shared.highest(peta.kelurahan_values(small_run, view), view.indicator, "rate")
    assert "Gamma" not in set(top["nama"])  # no report in July
    assert list(top["nama"]) == ["Beta", "Alpha"]  # 25 % before 20 %


def test_natural_breaks_follow_the_groups_in_the_values():
    import pandas as pd

    values = pd.Series([1.0, 1.1, 1.2, 5.0, 5.2, 5.1, 9.0, 9.3, 20.0, 21.0, 40.0, 41.0, None])
    breaks, rule = classes.class_breaks(INDICATORS["putus_sekolah"], "rate", values, "jenks")
    assert rule == "jenks"
    assert breaks == [5.0, 9.0, 20.0, 40.0]
    kelas = classes.classify(values, breaks)
    assert list(kelas[:3]) == [0, 0, 0] and kelas[-2] == 4 and kelas[-1] == -1


def test_map_classes_rule_is_part_of_the_view(demo_run):
    view = shared.resolve_view(demo_run, {"kota": "14.71", "indikator": "stunting", "kelas": "jenks"}, "id")
    assert view.kelas == "jenks" and view.params()["kelas"] == "jenks"
    counts = shared.resolve_view(demo_run, {"kota": "14.71", "indikator": "drainase", "kelas": "who"}, "id")
    assert counts.kelas == "quantile" and counts.notices == []  # WHO classes do not apply to counts; quietly
    bad = shared.resolve_view(demo_run, {"kota": "14.71", "kelas": "acak"}, "id")
    assert bad.kelas == "who" and "acak" in bad.notices[0]


def _series():
    import pandas as pd

    months = pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01", "2025-05-01", "2025-06-01"])
    return pd.DataFrame({
        "tingkat": "kota", "kode": "99.01", "nama": "Kota Uji", "periode": months,
        "jumlah": [10, 20, None, 40, 50, None], "penyebut": [100, 100, None, 100, 200, None],
        "rate": [10.0, 20.0, None, 40.0, 25.0, None],
        "reporting": [3, 3, 0, 3, 3, 0], "expected": 3,
    })


def test_quarters_take_the_last_month_of_a_stock_and_keep_sum_over_sum():
    from dataclasses import replace

    stock = tren.by_quarter(_series(), INDICATORS["stunting"])
    assert list(stock["jumlah"]) == [20, 50]  # March had no report: the last reported month stands
    assert list(stock["rate"]) == [20.0, 25.0]
    flow = tren.by_quarter(_series(), replace(INDICATORS["stunting"], kind="flow"))
    assert list(flow["jumlah"]) == [30, 90]


def test_year_to_date_adds_up_from_january():
    ytd = tren.year_to_date(_series())
    assert list(ytd["jumlah"].dropna()) == [10, 30, 70, 120]


def test_trend_lines_put_the_kota_first_then_kecamatan_then_chosen_kelurahan(demo_run):
    view = shared.resolve_view(demo_run, {"kota": "64.74"}, "id")
    series = tren.trend(demo_run, view, 12)
    lines = tren.trend_lines(series, ["64.74.01.1003"], True, "rate")
    assert [ln["name"] for ln in lines][0] == "Kota Bontang"
    assert sum(ln["name"].startswith("Kec. ") for ln in lines) == 3
    assert lines[-1]["name"] == "Lok Tuan" and lines[-1]["dash"] == "dash"
    assert all(len(ln["frame"]) == 12 for ln in lines)


def test_compare_table_ranks_by_the_largest_monthly_change(demo_run):
    view = shared.resolve_view(demo_run, {"kota": "63.72", "indikator": "putus_sekolah", "sumber": "resmi"}, "id")
    series = tren.trend(demo_run, view, 12)
    table = tren.compare_table(demo_run, view, series, "rate", "id")
    change = table["Perubahan sebulan"].abs()
    assert len(table) == 20
    assert change.dropna().is_monotonic_decreasing
    assert all(isinstance(s, list) and len(s) == 12 for s in table["12 bulan terakhir"])


def test_worst_pairs_lists_the_impossible_value_first(demo_run):
    view = shared.resolve_view(demo_run, {"kota": "14.71", "indikator": "stunting", "sumber": "resmi"}, "id")
    worst = tren.worst_pairs(demo_run, view, "id")
    assert worst.iloc[0]["Mutu"] == "Bermasalah"
    assert worst["Alasan"].str.contains("melebihi penyebutnya").any()


def test_the_same_totals_query_answers_for_a_province_a_kota_and_each_kecamatan(demo_run):
    kota = ringkasan.wilayah_summary(demo_run, "64.74", "2025-08")
    assert ringkasan.wilayah_summary(demo_run, "64", "2025-08") == kota  # Bontang is the demo's only kota in 64
    kecamatan = demo_run("kelurahan_by_kota", kota_kode="64.74")
    kecamatan = kecamatan.loc[kecamatan["tingkat"] == "kecamatan", "kode"]
    parts = [ringkasan.wilayah_summary(demo_run, kode, "2025-08") for kode in kecamatan]
    for ind in ("stunting", "kemiskinan_ekstrem", "drainase"):
        for sumber in ("resmi", "lapangan"):
            assert sum(p[ind][sumber]["count"] or 0 for p in parts) == kota[ind][sumber]["count"]
            assert sum(p[ind][sumber]["kelurahan_total"] for p in parts) == kota[ind][sumber]["kelurahan_total"]
    stunting = [p["stunting"]["resmi"] for p in parts]
    rate = 100 * sum(s["count"] for s in stunting) / sum(s["denominator"] for s in stunting)
    assert kota["stunting"]["resmi"]["rate"] == pytest.approx(rate)  # sum over sum, at every level


def test_the_scope_widens_to_the_province_or_nation_only_for_users_of_no_area(demo_run):
    wide = shared.resolve_view(demo_run, {"kota": "64.74", "lingkup": "provinsi"}, "id")
    assert (wide.wilayah, wide.wilayah_nama, wide.params()["lingkup"]) == ("64", "Kalimantan Timur", "provinsi")
    assert shared.resolve_view(demo_run, {"kota": "64.74", "lingkup": "nasional"}, "id").wilayah == ""
    assert shared.resolve_view(demo_run, {"kota": "64.74", "lingkup": "semesta"}, "id").wilayah == "64.74"
    camat = shared.resolve_view(demo_run, {"kota": "64.74", "lingkup": "nasional"}, "id", area="64.74.01")
    assert (camat.wilayah, camat.lingkup) == ("64.74.01", "kota")
    walikota = shared.resolve_view(demo_run, {"kota": "64.74", "lingkup": "provinsi"}, "id", area="64.74")
    assert walikota.wilayah == "64.74"


def test_a_kota_that_uploads_sigizi_lists_wasting_and_underweight_and_the_others_do_not(lake, tmp_path):
    from functools import partial

    from pantau.ingest import pipeline
    from pantau.ingest.sheets import Upload
    from pantau.lake import queries
    from tests.exports import sigizi_file

    path = sigizi_file(tmp_path / "Daftar Entry Balita Gizi.xlsx")
    upload = Upload(path.name, path.read_bytes())
    report = pipeline.prepare(upload, pipeline.Request(kind="nilai", kota_kode="64.74"), lake)
    pipeline.commit(report, upload, lake)
    run = partial(queries.run, lake.connect().cursor())
    headline = ["stunting", "putus_sekolah", "kemiskinan_ekstrem", "drainase"]
    assert [i.id for i in shared.indicators(run, "64.74")] == [*headline, "wasting", "underweight"]
    assert [i.id for i in shared.indicators(run, "64.74.01")] == [*headline, "wasting", "underweight"]
    assert [i.id for i in shared.indicators(run, "14.71")] == headline
    assert shared.resolve_view(run, {"kota": "64.74"}, "id").indikators == (*headline, "wasting", "underweight")
    # a link may still ask for it where there is none: listed, so the selector can show what is drawn
    assert shared.resolve_view(run, {"kota": "14.71", "indikator": "wasting"}, "id").indikators == (*headline, "wasting")

    tiles = {t.indicator.id: t for t in ringkasan.tiles(run, "64.74", "2026-10", "resmi")}
    assert list(tiles) == [*headline, "wasting", "underweight"]
    # SIGIZI is an office's system: the field briefing has no wasting tile to leave blank
    assert [t.indicator.id for t in ringkasan.tiles(run, "64.74", "2026-10", "lapangan")] == headline
    # the newest month of wasting is March (the file's last), shown as its own month: [40] over [28]
    assert (tiles["wasting"].periode, tiles["wasting"].count, tiles["wasting"].denominator) == ("2026-03", 1, 120)


def test_a_years_figures_have_their_own_tab_on_an_axis_of_years_with_completeness_and_marks(lake, tmp_path):
    from functools import partial

    from pantau.ingest import pipeline
    from pantau.ingest.sheets import Upload
    from pantau.lake import queries
    from tests.exports import satudata_file

    run = partial(queries.run, lake.connect().cursor())
    view = shared.resolve_view(run, {"kota": "14.71", "indikator": "stunting", "sumber": "resmi"}, "id")
    assert tren.years_tab(run, view) is None  # no annual figures: no tab
    rows = [("14.71.01.1002", "Jadirejo", 2022, 30), ("14.71.01.1003", "Kampung Tengah", 2022, 12),
            ("14.71.01.1002", "Jadirejo", 2023, 25), ("14.71.02.1001", "Simpang Empat", 2023, 40)]
    path = satudata_file(tmp_path / "sd.csv", rows, extra=("jumlah_balita_diukur", [300, 200, 310, 100]))
    upload = Upload(path.name, path.read_bytes())
    report = pipeline.prepare(upload, pipeline.Request(kind="nilai", kota_kode="14.71", export=True), lake)
    assert report.ok, [p.message() for p in report.errors]
    pipeline.commit(report, upload, lake)
    run = partial(queries.run, lake.connect().cursor())
    years = tren.years_tab(run, view)
    table = years.table.set_index("tahun")
    assert list(table.index) == [2022, 2023]
    assert (table.at[2022, "jumlah"], table.at[2022, "penyebut"], table.at[2022, "reporting"]) == (42, 500, 2)
    assert table.at[2022, "expected"] == len(run("kelurahan_by_kota", kota_kode="14.71")) and table.at[2022, "rate"] == pytest.approx(8.4)
    assert list(years.figure.data[0].x) == ["2022", "2023"] and years.figure.layout.xaxis.type == "category"
    assert table.at[2023, "tidak_mungkin"] == 0
    # a camat limited to a kecamatan sees its own kelurahan only
    kec = shared.resolve_view(run, {"kota": "14.71", "indikator": "stunting", "sumber": "resmi"}, "id", area="14.71.02")
    assert kec.wilayah == "14.71.02"
    assert list(tren.years_tab(run, kec).table["jumlah"]) == [40]
    assert years.sumber == "resmi"
    # on the field source, which has no annual figures, the official ones are shown and say so
    field = shared.resolve_view(run, {"kota": "14.71", "indikator": "stunting", "sumber": "lapangan"}, "id")
    assert field.sumber == "lapangan" and tren.years_tab(run, field).sumber == "resmi"
    assert list(tren.years_tab(run, field).table["tahun"]) == [2022, 2023]


def test_an_upload_with_a_list_of_people_counts_only_its_figure_slices():
    """A P3KE file gives two slices of figures and a reconciliation list: undo says "and 1 other slice", and
    describes the upload by a figure slice, not by the list that rode along (newest log row first)."""
    import pandas as pd

    from pantau.views import data

    history = pd.DataFrame([
        {"upload_id": "a", "tabel": "rekaman", "indikator": "kemiskinan_ekstrem"},
        {"upload_id": "a", "tabel": "nilai", "indikator": "desil_1_4"},
        {"upload_id": "a", "tabel": "nilai", "indikator": "kemiskinan_ekstrem"},
        {"upload_id": "b", "tabel": "rekaman", "indikator": "stunting"},
        {"upload_id": "c", "tabel": "nilai", "indikator": "stunting"},
    ])
    log, slices = data.uploads_by_id(history)
    assert slices == {"a": 2, "c": 1}
    assert log["a"]["tabel"] == "nilai" and log["a"]["indikator"] == "desil_1_4"
    assert log["b"]["tabel"] == "rekaman"  # a list of people on its own is still one upload to undo


def test_the_upload_summary_of_a_national_export_names_the_months_it_covers(lake, tmp_path):
    from pantau.ingest import pipeline
    from pantau.ingest.sheets import Upload
    from pantau.views import data
    from tests.exports import sigizi_file

    path = sigizi_file(tmp_path / "Daftar Entry Balita Gizi.xlsx")
    report = pipeline.prepare(Upload(path.name, path.read_bytes()), pipeline.Request(kind="nilai", kota_kode="64.74"),
                              lake)
    summary = dict(data.summary_frame(report, path.name, "abc", "id").values.tolist())
    assert summary["Periode"] == "Januari 2026–Maret 2026"  # was "–": a file of three months has no one month
    assert dict(data.summary_frame(report, path.name, "abc", "en").values.tolist())["Period"] == "January 2026–March 2026"
    assert data.read_as(report).startswith("Dibaca sebagai: SIGIZI Daftar Entry Balita Gizi, Januari 2026–Maret 2026;")


def test_the_table_behind_the_map_does_not_rank_a_flagged_rate_worst():
    import pandas as pd

    values = pd.DataFrame({
        "kode": ["64.74.01.1001", "64.74.01.1002", "64.74.01.1003", "64.74.01.1004"],
        "nama": ["Bontang Baru", "Api-Api", "Gunung Elai", "Guntung"], "kecamatan": ["Bontang Utara"] * 4,
        "jumlah": [52, 30, 13, None], "penyebut": [50, 200, 260, None], "rate": [104.0, 15.0, 5.0, None],
        "per_km2": [None] * 4, "has_boundary": [True] * 4, "ditandai": [True, False, False, False],
        "tidak_mungkin": [1, 0, 0, 0]})
    model = shared.map_model(values, INDICATORS["stunting"], "rate", "id")
    table = shared.values_table(model, "rate", "id").data
    # the 104 % that cannot be true follows the trusted figures, marked; the kelurahan with no report is last
    assert list(table["Kelurahan"]) == ["Api-Api", "Gunung Elai", "Bontang Baru", "Guntung"]
    assert table.set_index("Kelurahan").at["Bontang Baru", "Periksa"].startswith(shared.FLAG)


def test_the_level_legend_counts_every_drawn_shape_without_a_figure():
    from types import SimpleNamespace

    import pandas as pd

    from pantau.views.wilayah import level_legend

    # 4 parts with a figure, one of them without a boundary (so not drawn); 10 shapes drawn in all:
    # 7 drawn shapes have no figure (not 6, which counting every part with a figure gave).
    model = SimpleNamespace(frame=pd.DataFrame({"has_boundary": [True, True, True, False]}),
                            legend=[{"color": "#fff", "label": "≤ 10 %", "count": 4}])
    rows = level_legend(model, 10, "id")
    assert rows[-1]["count"] == 7 and rows[-1]["label"] == "Belum ada data"
    assert level_legend(model, 3, "id") == model.legend


def test_a_flag_counts_the_figures_it_is_about_in_each_language():
    kota = {"tingkat": "kota", "ditandai": True}
    assert shared.flag_reason(dict(kota, tidak_mungkin=1), "en") == "⚠ holds 1 figure that cannot be true: check the data"
    assert shared.flag_reason(dict(kota, tidak_mungkin=3), "en") == "⚠ holds 3 figures that cannot be true: check the data"
    assert shared.flag_reason(dict(kota, tidak_mungkin=1), "id") == "⚠ memuat 1 angka yang tidak mungkin: periksa data"
    assert shared.flag_reason({"tingkat": "kelurahan", "ditandai": True}, "en").startswith("⚠ above its denominator")
    assert shared.flag_reason({"tingkat": "kota", "ditandai": False, "tidak_mungkin": 0}, "en") == ""
