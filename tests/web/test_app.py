"""Every page runs under AppTest for each demo city, in both languages, and copes with bad input."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from pantau import settings
from tests.lakes import build_small_lake

KOTA = ["14.71", "16.74", "63.72", "64.74"]
PAGES = ["pages/ringkasan.py", "pages/peta.py", "pages/tren.py", "pages/rekonsiliasi.py", "pages/drainase.py",
         "pages/prioritas.py", "pages/tindak_lanjut.py"]


def _app(lake_path, monkeypatch, **params) -> AppTest:
    monkeypatch.setenv("PANTAU_LAKE", str(lake_path))
    monkeypatch.setenv("PANTAU_TODAY", "2026-11-23")
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def _run_page(at: AppTest, page: str) -> AppTest:
    at.run()
    if page != PAGES[0]:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


@pytest.mark.parametrize("kota", KOTA)
@pytest.mark.parametrize("page", PAGES)
def test_each_page_runs_for_each_city(demo_lake, monkeypatch, kota, page):
    at = _run_page(_app(demo_lake.path, monkeypatch, kota=kota), page)
    assert any("DEMO" in i.value for i in at.info), "demo data must say so"
    assert at.query_params["kota"] == [kota] or at.query_params["kota"] == kota
    if page.endswith("ringkasan.py"):
        tiles = " ".join(h.proto.body for h in at.get("html"))
        assert tiles.count('class="pk-tile"') == 4
        assert tiles.count('class="pk-badge ') == 3  # a quality badge on each indicator that has monthly reports
    elif page.endswith("tren.py"):
        assert len(at.get("plotly_chart")) == 1  # only the open tab runs
        assert "pk-badge" in " ".join(h.proto.body for h in at.get("html"))
    else:
        decks = at.get("deck_gl_json_chart")
        assert len(decks) == 1
        spec = json.loads(decks[0].proto.json)
        assert {layer["id"] for layer in spec["layers"]} >= {"kelurahan", "batas_kelurahan", "batas_kecamatan", "nama"}
        assert "mapStyle" not in spec or spec["mapStyle"] in (None, "", "__MAP_STYLE__")


def test_peta_sends_shapes_by_url_and_only_colours_in_the_message(demo_lake, monkeypatch):
    at = _run_page(_app(demo_lake.path, monkeypatch, kota="14.71"), "pages/peta.py")
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    kel = next(layer for layer in spec["layers"] if layer["id"] == "kelurahan")
    assert isinstance(kel["data"], str) and kel["data"].startswith("/app/static/geo/kelurahan-14.71-")
    assert "coordinates" not in at.get("deck_gl_json_chart")[0].proto.json
    # The borders come by URL too; only the one kelurahan outlined (its figure is flagged) sends its rings.
    lines = [layer for layer in spec["layers"] if layer["@@type"] == "LineLayer"]
    borders = [layer for layer in lines if layer["id"].startswith("batas_")]
    assert len(borders) == 2 and all(layer["data"].startswith("/app/static/geo/batas-") for layer in borders)
    outlined = {layer["id"]: {row["kode"] for row in layer["data"]} for layer in lines if layer not in borders}
    assert outlined == {"ditandai": {"14.71.14.1001"}}
    colours = kel["getFillColor"]
    assert colours["@@function"] == "colorCategories" and len(colours["domain"]) == 83


def test_unknown_url_values_fall_back_with_a_visible_notice(demo_lake, monkeypatch):
    at = _run_page(_app(demo_lake.path, monkeypatch, kota="99.99", indikator="banjir", periode="1999-01"),
                   "pages/ringkasan.py")
    warnings = " ".join(w.value for w in at.warning)
    assert "99.99" in warnings and "banjir" in warnings and "1999-01" in warnings
    assert "Pekanbaru" in at.title[0].value


def test_english_switch(demo_lake, monkeypatch):
    at = _run_page(_app(demo_lake.path, monkeypatch, kota="64.74", lang="en"), "pages/ringkasan.py")
    assert at.title[0].value.startswith("Summary of")
    assert any("DEMO DATA" in i.value for i in at.info)


def test_changing_the_indicator_on_peta_keeps_the_url_in_step(demo_lake, monkeypatch):
    at = _run_page(_app(demo_lake.path, monkeypatch, kota="63.72"), "pages/peta.py")
    at.selectbox(key="w_indikator").select("drainase").run()
    assert not at.exception
    assert at.query_params["indikator"] in (["drainase"], "drainase")
    assert "Drainase" in at.title[0].value or "drainase" in at.title[0].value.lower()


def test_a_kelurahan_profile_opens_from_the_url(demo_lake, monkeypatch):
    at = _run_page(_app(demo_lake.path, monkeypatch, kota="16.74", kel="16.74.02.1011"), "pages/peta.py")
    assert any("Muara Dua Barat" in s.value for s in at.subheader)
    assert any("Batas wilayah belum ada" in c.value for c in at.caption)


def test_an_empty_lake_builds_the_demo(tmp_path, monkeypatch):
    at = _run_page(_app(tmp_path / "fresh", monkeypatch), "pages/ringkasan.py")
    assert (tmp_path / "fresh" / "nilai" / "_delta_log").is_dir()
    assert "Pekanbaru" in at.title[0].value


def test_an_unreadable_lake_names_the_table_and_the_app_keeps_running(tmp_path, monkeypatch):
    lake = build_small_lake(tmp_path / "broken")
    for parquet in lake.table_path("nilai").glob("*.parquet"):
        parquet.unlink()
    at = _app(lake.path, monkeypatch)
    at.run()
    assert not at.exception
    assert at.error and "nilai" in at.error[0].value and "python -m pantau demo" in at.error[0].value


def test_tren_controls_quarters_both_sources_and_a_kelurahan(demo_lake, monkeypatch):
    at = _run_page(_app(demo_lake.path, monkeypatch, kota="64.74", indikator="kemiskinan_ekstrem"), "pages/tren.py")
    at.multiselect(key="tren_pick").select("64.74.01.1003").run()
    at.segmented_control(key="tren_grain").set_value("kuartal").run()
    at.toggle(key="tren_both").set_value(True).run()
    at.number_input(key="tren_target").set_value(0.5).run()
    assert not at.exception
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = [trace["name"] for trace in fig["data"]]
    assert "Lok Tuan" in names and any("Resmi" in n for n in names)
    assert len(fig["data"][0]["x"]) <= 16  # quarters, not months
    shapes = fig["layout"]["shapes"]
    assert {shape["y0"] for shape in shapes} == {0.0, 0.5}  # the national target (zero) and the local one


def test_every_badge_colour_appears_in_the_demo(demo_lake, monkeypatch):
    seen = set()
    for kota, sumber in (("16.74", "resmi"), ("14.71", "lapangan"), ("63.72", "resmi")):
        at = _run_page(_app(demo_lake.path, monkeypatch, kota=kota, sumber=sumber), "pages/ringkasan.py")
        body = " ".join(h.proto.body for h in at.get("html"))
        seen |= {level for level in ("green", "amber", "red") if f"pk-badge pk-badge-{level}" in body}
    assert seen == {"green", "amber", "red"}


def test_data_page_tabs_history_and_undo(demo_lake, monkeypatch, tmp_path):
    import shutil

    from pantau.ingest import pipeline
    from pantau.ingest.sheets import Upload
    from pantau.lake.store import Lake

    shutil.copytree(demo_lake.path, tmp_path / "lake")
    lake = Lake(tmp_path / "lake")
    data = (settings.ROOT / "tests" / "data" / "dinkes_bontang_stunting_agustus_2025.xlsx").read_bytes()
    request = pipeline.Request(kind="nilai", kota_kode="64.74", indicator="stunting", sumber="resmi",
                             periode=__import__("datetime").date(2025, 8, 1))
    record = pipeline.commit(pipeline.prepare(Upload("stunting.xlsx", data), request, lake), Upload("stunting.xlsx", data), lake)
    at = _run_page(_app(lake.path, monkeypatch, kota="64.74"), "pages/data.py")
    assert at.title[0].value.startswith("Data")
    assert at.selectbox(key="up_kota").value == "64.74"
    for tab in ("Templat", "Katalog indikator", "Riwayat"):
        at.session_state["data_tab"] = tab
        at.run()
        assert not at.exception, [e.value for e in at.exception]
    undo_select = next(s for s in at.selectbox if s.label == "Unggahan yang dibatalkan")
    assert undo_select.value == record["upload_id"]
    # The undo click itself is driven in the real browser (tests/browser/test_browser.py).
    assert next(b for b in at.button if b.label == "Batalkan unggahan").disabled


def test_prioritas_weights_change_the_score_and_priorities_are_outlined(demo_lake, monkeypatch):
    at = _run_page(_app(demo_lake.path, monkeypatch, kota="64.74"), "pages/prioritas.py")
    formula = next(i.value for i in at.info if i.value.startswith("Skor ="))
    assert "3 × Stunting" in formula and "÷ 9" in formula
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    outlined = next(layer for layer in spec["layers"] if layer["id"] == "prioritas")
    assert len({row["kode"] for row in outlined["data"]}) == 4
    at.slider(key="w_bobot_drainase").set_value(0).run()
    assert "÷ 8" in next(i.value for i in at.info if i.value.startswith("Skor ="))
    ranking, progress = at.dataframe[0].value, at.dataframe[1].value
    assert "Drainase" not in ranking.columns and len(ranking) == 15
    assert sorted(progress.iloc[:, 0]) == ["Api-api", "Lok Tuan", "Tanjung Laut", "Tanjung Laut Indah"]
    # The click on "Simpan lokasi prioritas" is driven in the real browser (tests/browser/test_browser.py).


def test_peta_outlines_the_priority_kelurahan(demo_lake, monkeypatch):
    at = _run_page(_app(demo_lake.path, monkeypatch, kota="64.74"), "pages/peta.py")
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert any(layer["id"] == "prioritas" for layer in spec["layers"])


def test_tindak_lanjut_shows_counts_per_opd_and_the_history_of_an_action(demo_lake, monkeypatch):
    at = _run_page(_app(demo_lake.path, monkeypatch, kota="64.74"), "pages/tindak_lanjut.py")
    assert [m.value for m in at.metric] == ["3", "1", "1"]  # open, overdue, done in the demo
    per_opd = next(d.value for d in at.dataframe if "Jumlah aksi" in d.value.columns)
    assert per_opd.set_index("OPD").loc["Dinas Sosial", "Jumlah aksi"] == 2
    at.selectbox(key="w_aksi_hist").set_value("demo-64.74-0").run()
    history = at.dataframe[-1].value
    assert history["Versi"].tolist() == [1, 2] and history["Status"].tolist() == ["Belum mulai", "Berjalan"]
    # Saving from the form and the table is driven in the real browser (tests/browser/test_browser.py).


def test_drainase_shows_the_countdown_points_floods_and_counts(demo_lake, monkeypatch):
    at = _run_page(_app(demo_lake.path, monkeypatch, kota="63.72"), "pages/drainase.py")
    assert any(w.value.startswith("Puncak musim hujan (Januari–Februari) mulai dalam 39 hari") for w in at.warning)
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert {"kelurahan", "drainase", "banjir"} <= set(layers)
    open_points = int(at.metric[0].value)
    assert len(layers["drainase"]["data"]) == open_points  # default filter: open points only
    at.multiselect(key="w_dr_status").set_value(["dilaporkan", "ditangani", "selesai"]).run()
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    shown = next(layer for layer in spec["layers"] if layer["id"] == "drainase")["data"]
    assert len(shown) == open_points + int(at.metric[2].value)
    per_kel = at.dataframe[0].value
    assert per_kel["Terbuka"].sum() == open_points


def test_presentasi_lists_the_screens_and_shows_one_in_projector_mode(demo_lake, monkeypatch):
    at = _run_page(_app(demo_lake.path, monkeypatch, kota="64.74"), "pages/presentasi.py")
    listed = [m.value for m in at.markdown if m.value.startswith("**")]
    assert len(listed) == 8 and listed[1].startswith("**2. Prevalensi stunting** — Stunting turun di")
    at.multiselect(key="w_deck_topics").set_value(["tindak_lanjut", "judul"]).run()
    assert [m.value for m in at.markdown if m.value.startswith("**")][0].startswith("**1. Tindak lanjut per OPD**")
    at.session_state["deck_on"] = True
    at.session_state["deck_i"] = 1
    at.session_state["deck_settings"] = (["judul", "indikator"], "64.74.01", "2026-07", True)
    at.run()
    assert not at.exception
    page = " ".join(h.proto.body for h in at.get("html"))
    assert "Prevalensi stunting" in page and "2 / 5" in " ".join(m.value for m in at.markdown)
    assert "stSidebar" in page  # the projector style that hides Streamlit's chrome
    assert len(at.get("deck_gl_json_chart")) == 1
    # The presenter's keys: End to the last screen, Home to the first, 0 to the tenth when there are ten.
    at.button(key="b_deck_end").click().run()
    assert "5 / 5" in " ".join(m.value for m in at.markdown)
    at.button(key="b_deck_home").click().run()
    assert "1 / 5" in " ".join(m.value for m in at.markdown)
    assert [b.proto.shortcut for b in at.button if b.key and b.key.startswith("b_deck_") and b.key[7:].isdigit()] == \
        ["1", "2", "3", "4", "5"]


def test_rekonsiliasi_reads_the_gap_aloud_and_maps_the_ratio(demo_lake, monkeypatch):
    at = _run_page(_app(demo_lake.path, monkeypatch, kota="14.71", indikator="stunting", periode="2025-08"),
                   "pages/rekonsiliasi.py")
    assert at.subheader[0].value.startswith("Data lapangan menemukan 1.808 anak stunting lebih banyak dari data resmi")
    assert [m.value for m in at.metric][:3] == ["203", "2.011", "+1.808"]
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert next(layer for layer in spec["layers"] if layer["id"] == "kelurahan")["getFillColor"]["domain"]
    assert any("Belum ada daftar nama" in i.value for i in at.info)  # no list of people in the demo


def test_the_audit_page_says_whether_the_log_is_whole_and_shows_a_broken_link(lake, monkeypatch):
    import pyarrow as pa
    from deltalake import write_deltalake

    from pantau.lake import audit as audit_chain
    from pantau.web import access

    user = access.User("admin", "Admin", "admin")
    for i in range(3):
        access.audit(lake, user, "unduh", f"berkas_{i}.csv")
    at = _app(lake.path, monkeypatch)
    at.run()
    at.switch_page("pages/audit.py")
    at.run()
    assert not at.exception and not at.error
    assert any("utuh: 3 baris" in c.value for c in at.caption)
    rows = sorted(lake.read("audit").to_pylist(), key=lambda r: r["urutan"])
    rows[1]["objek"] = "lain.csv"
    write_deltalake(lake.table_path("audit"), pa.Table.from_pylist(rows, schema=audit_chain.SCHEMA), mode="overwrite")
    at.run()
    assert [e.value for e in at.error] and "baris ke-2" in at.error[0].value
