"""The app in a real browser: Debian's Chromium driven by Playwright against `streamlit run`."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench import harness

APP = harness.ROOT / "app.py"


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.outside = []  # every request that would leave this machine
    pg.geo_downloads = []  # map geometry files answered with a body
    pg.on("request", lambda r: None if harness.is_local(r.url) else pg.outside.append(r.url))
    pg.on("response", lambda r: pg.geo_downloads.append(r.url) if "/app/static/geo/" in r.url and r.status == 200 else None)
    yield pg
    context.close()


def _no_error_box(pg):
    assert pg.locator("[data-testid=stException]").count() == 0
    assert pg.locator("[data-testid=stAlertContentError]").count() == 0


def test_ringkasan_shows_tiles_chart_and_demo_notice(server, page):
    page.goto(f"{server}/?kota=14.71&periode=2025-08&sumber=lapangan")
    expect(page.locator(".pk-tile")).to_have_count(4, timeout=60_000)
    expect(page.locator(".pk-changes").nth(1).locator("tr")).to_have_count(5, timeout=30_000)
    expect(page.get_by_text("DATA DEMO", exact=False)).to_be_visible()
    expect(page.locator(".pk-tile-value").nth(1)).to_contain_text("1.778")
    expect(page.locator(".pk-spark").first).to_be_visible()
    _no_error_box(page)
    assert page.outside == []


def test_peta_draws_the_map_changes_indicator_without_shapes_again_and_opens_a_profile(server, page):
    page.goto(f"{server}/peta?kota=14.71&indikator=stunting")
    chart = page.locator("[data-testid=stDeckGlJsonChart]")
    expect(chart.locator("canvas").first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Kelas prevalensi WHO/UNICEF")).to_be_visible()
    page.wait_for_function("() => performance.getEntriesByType('resource').some(e => e.name.includes('/app/static/geo/kelurahan-14.71-'))", timeout=30_000)
    page.wait_for_function("() => performance.getEntriesByType('resource').filter(e => e.name.includes('/app/static/geo/batas-')).length === 2", timeout=30_000)
    first_downloads = sorted(u for u in page.geo_downloads if "14.71" in u)
    # The shapes once, and the borders once (kelurahan, kecamatan).
    assert [u.split("/geo/")[1].rsplit("-", 1)[0] for u in first_downloads] == [
        "batas-kecamatan-14.71", "batas-kelurahan-14.71", "kelurahan-14.71"]

    # Change the indicator: the map repaints with new colours, the shapes are not sent again.
    page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").filter(has_text="Indikator").click()
    page.get_by_role("option", name="Kemiskinan ekstrem").click()
    expect(page.get_by_role("heading", name="Peta Kemiskinan ekstrem")).to_be_visible(timeout=30_000)
    assert "indikator=kemiskinan_ekstrem" in page.url
    page.wait_for_timeout(1500)
    assert sorted(u for u in page.geo_downloads if "14.71" in u) == first_downloads

    # Click the middle of the city: a kelurahan's profile opens beside the map. The pointer
    # comes onto the map first, as a hand does; the first click only closes the picker otherwise.
    box = chart.locator("canvas").first.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    page.wait_for_timeout(500)
    # Tebing Tinggi Okura, a large kelurahan with no drainage point under the pointer (the fitted map fills
    # the frame, so the dense centre is all points).
    expect(page.locator(".st-key-pkmap_peta")).to_have_attribute("data-fitted", "yes", timeout=30_000)
    page.wait_for_timeout(800)
    box = chart.locator("canvas").first.bounding_box()
    profile = page.get_by_role("heading", name="Profil", exact=False)
    for _ in range(2):  # on a loaded machine the first click can land while the fitted view is still drawing
        page.mouse.click(box["x"] + box["width"] * 0.68, box["y"] + box["height"] * 0.30)
        try:
            expect(profile).to_be_visible(timeout=20_000)
            break
        except AssertionError:
            page.mouse.move(box["x"] + 20, box["y"] + 20)
    expect(profile).to_be_visible(timeout=10_000)
    expect(page.locator("[data-testid=stPlotlyChart] .main-svg").first).to_be_visible(timeout=30_000)
    assert "kel=14.71." in page.url
    _no_error_box(page)
    assert page.outside == []


def test_prabumulih_lists_kelurahan_without_boundary(server, page):
    page.goto(f"{server}/peta?kota=16.74")
    expect(page.locator("[data-testid=stDeckGlJsonChart] canvas").first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("8 kelurahan belum punya batas wilayah", exact=False)).to_be_visible(timeout=30_000)
    _no_error_box(page)
    assert page.outside == []


def test_tren_draws_lines_badges_and_every_tab(server, page):
    page.goto(f"{server}/tren?kota=14.71&indikator=stunting")
    expect(page.locator("[data-testid=stPlotlyChart] .main-svg").first).to_be_visible(timeout=60_000)
    expect(page.locator(".pk-badge").first).to_be_visible(timeout=30_000)
    assert page.locator("[data-testid=stPlotlyChart] .scatterlayer .trace").count() >= 16  # kota + 15 kecamatan
    page.get_by_role("tab", name="Bandingkan periode").click()
    expect(page.locator("[data-testid=stDataFrame]").first).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Per kecamatan").click()
    expect(page.get_by_text("Tenayan Raya").first).to_be_visible(timeout=30_000)  # a small chart's title
    expect(page.locator("[data-testid=stPlotlyChart] .main-svg").first).to_be_visible(timeout=30_000)
    page.get_by_role("tab", name="Kualitas data").click()
    expect(page.get_by_text("Pasangan kelurahan-sumber", exact=False)).to_be_visible(timeout=30_000)
    _no_error_box(page)
    assert page.outside == []


def test_english_and_phone_width(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    pg = context.new_page()
    outside = []
    pg.on("request", lambda r: None if harness.is_local(r.url) else outside.append(r.url))
    pg.goto(f"{server}/?kota=64.74&lang=en")
    expect(pg.get_by_role("heading", name="Summary of Kota Bontang")).to_be_visible(timeout=60_000)
    expect(pg.locator(".pk-tile")).to_have_count(4, timeout=30_000)
    # At phone width the tiles stack instead of running off the screen.
    boxes = [pg.locator(".pk-tile").nth(i).bounding_box() for i in range(4)]
    widths = [b["width"] for b in boxes]
    assert len({round(b["x"]) for b in boxes}) == 1, "tiles should stack in one column"
    assert max(widths) <= 390
    assert pg.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    _no_error_box(pg)
    assert outside == []
    context.close()


@pytest.fixture(scope="module")
def data_lake(demo_lake, tmp_path_factory):
    import shutil

    path = tmp_path_factory.mktemp("datalake") / "lake"
    shutil.copytree(demo_lake.path, path)
    return path


@pytest.fixture(scope="module")
def data_server(data_lake):
    env = {"PANTAU_LAKE": str(data_lake), "PANTAU_TODAY": "2026-11-23"}
    with harness.streamlit_server(APP, env=env) as url:
        yield url


def _audited(lake_path) -> set[str]:
    from pantau.lake.store import Lake

    lake = Lake(lake_path)
    return set(lake.read("audit").column("aksi").to_pylist()) if lake.exists("audit") else set()


def _choose(pg, label: str, option: str) -> None:
    box = pg.locator("[data-testid=stSelectbox]").filter(has_text=label).first
    box.click()
    pg.keyboard.type(option)
    pg.get_by_role("option", name=option).click()


def test_data_page_uploads_previews_commits_and_undoes(data_server, data_lake, page):
    page.goto(f"{data_server}/data?kota=64.74")
    expect(page.get_by_text("Data: unggah, periksa, simpan")).to_be_visible(timeout=60_000)
    _choose(page, "Periode", "Agustus 2025")
    page.set_input_files("input[type=file]", str(harness.ROOT / "tests" / "data" / "dinkes_bontang_stunting_agustus_2025.xlsx"))
    metrics = page.locator("[data-testid=stMetricValue]")
    expect(metrics.first).to_have_text("13", timeout=60_000)
    expect(metrics.nth(3)).to_have_text("645")
    expect(metrics.nth(4)).to_have_text("7.751")
    expect(page.get_by_text("siap disimpan")).to_be_visible()
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Tersimpan: Stunting, Resmi, Agustus 2025, Kota Bontang, 13 baris")).to_be_visible(timeout=60_000)
    # Saved: no "siap disimpan" banner and no Simpan button left for a second commit.
    expect(page.get_by_text("siap disimpan")).to_have_count(0)
    expect(page.get_by_role("button", name="Simpan", exact=True)).to_have_count(0)
    page.get_by_role("tab", name="Riwayat").click()
    expect(page.get_by_text("Unggahan yang dibatalkan")).to_be_visible(timeout=30_000)
    page.get_by_text("Saya yakin").click()
    page.get_by_role("button", name="Batalkan unggahan").click()
    expect(page.get_by_text("dibatalkan; 15 baris yang ada sebelumnya dipulihkan")).to_be_visible(timeout=60_000)
    _no_error_box(page)
    assert page.outside == []
    assert {"unggah", "batal"} <= _audited(data_lake)  # the audit log has both, by the local user


def test_prioritas_marks_a_kelurahan_and_tindak_lanjut_saves_an_action(data_server, data_lake, page):
    page.goto(f"{data_server}/prioritas?kota=64.74")
    expect(page.get_by_role("heading", name="Prioritas: kelurahan yang paling membutuhkan")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-testid=stDeckGlJsonChart] canvas").first).to_be_visible(timeout=60_000)
    # The run that fits the map to the size the browser told has come back (web/fit.py) before a form is filled.
    expect(page.locator(".st-key-pkmap_prioritas")).to_have_attribute("data-fitted", "yes", timeout=60_000)
    expect(page.get_by_text("Skor = (3 × Stunting", exact=False)).to_be_visible()
    _choose(page, "Kelurahan", "Bontang Lestari")
    expect(page.get_by_text("Nilai awal (Oktober 2026)", exact=False)).to_be_visible(timeout=30_000)
    # The toast lasts 4 s; a map redrawn in software WebGL can hold the page's main thread nearly that long,
    # so the test's poll may only run once it is gone. What the page showed is recorded as it is shown.
    page.evaluate("""() => { window.__toasts = '';
        new MutationObserver(() => document.querySelectorAll('[data-testid=stToast]').forEach(e => {
            window.__toasts += e.textContent; })).observe(document.body, {subtree: true, childList: true}); }""")
    page.get_by_role("button", name="Simpan lokasi prioritas").click()
    page.wait_for_function("() => window.__toasts.includes('Bontang Lestari ditandai sebagai lokasi prioritas')",
                           timeout=60_000)
    expect(page.locator(".pk-legend").filter(has_text="Lokasi prioritas")).to_contain_text("5", timeout=30_000)
    _no_error_box(page)

    page.goto(f"{data_server}/tindak_lanjut?kota=64.74")
    expect(page.get_by_role("heading", name="Tindak lanjut rakor")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-testid=stMetricValue]").first).to_have_text("3", timeout=60_000)
    expect(page.locator(".pk-legend").filter(has_text="Lokasi prioritas")).to_contain_text("5")  # outlined here too
    page.get_by_role("tab", name="Tambah aksi").click()
    page.get_by_label("Aksi yang disepakati").fill("Verifikasi ulang data RT miskin ekstrem")
    page.get_by_role("button", name="Simpan aksi").click()
    expect(page.get_by_text("1 aksi disimpan")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-testid=stMetricValue]").first).to_have_text("4", timeout=30_000)
    page.get_by_role("tab", name="Per OPD").click()
    expect(page.get_by_text("Dinas Sosial · 2", exact=False)).to_be_visible(timeout=30_000)
    _no_error_box(page)
    assert page.outside == []
    assert {"tandai prioritas", "ubah aksi"} <= _audited(data_lake)


def _open_points(lake_path, kota: str) -> int:
    import datetime as dt

    from pantau.domain import drainase
    from pantau.lake import queries
    from pantau.lake.store import Lake

    points = queries.run(Lake(lake_path).connect().cursor(), "drainase_titik_by_kota", kota_kode=kota,
                         hari_ini=dt.date(2026, 11, 23))
    return int(points["status"].isin(drainase.OPEN).sum())


def test_drainase_marks_a_point_in_hand_and_keeps_its_history(data_server, data_lake, page):
    open_before = _open_points(data_lake, "63.72")
    page.goto(f"{data_server}/drainase?kota=63.72")
    expect(page.get_by_role("heading", name="Drainase & banjir")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-testid=stDeckGlJsonChart] canvas").first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Puncak musim hujan (Januari–Februari)", exact=False)).to_be_visible()
    # The run that fits the map to its frame has come back before anything is read or filled (web/fit.py);
    # the count is read by its label, not by its place among the metrics while a run redraws them.
    expect(page.locator(".st-key-pkmap_drainase")).to_have_attribute("data-fitted", "yes", timeout=60_000)
    still_open = page.locator("[data-testid=stMetric]").filter(has_text="Titik terbuka").locator("[data-testid=stMetricValue]")
    expect(still_open).to_have_text(str(open_before), timeout=30_000)
    page.get_by_role("tab", name="Perbarui status").click()
    _choose(page, "Status baru", "Selesai")
    page.get_by_label("Catatan").fill("Saluran dibersihkan")
    page.get_by_role("button", name="Simpan status").click()
    expect(page.get_by_text("disimpan: Selesai", exact=False)).to_be_visible(timeout=60_000)
    expect(still_open).to_have_text(str(open_before - 1), timeout=30_000)
    _no_error_box(page)
    assert page.outside == []
    assert "status drainase" in _audited(data_lake)


def test_presentasi_moves_with_the_arrow_keys_at_1024(server, browser):
    import os

    out = Path(os.environ.get("PANTAU_TEST_OUTPUT", harness.ROOT / "test-output")) / "presentasi"
    out.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    pg = context.new_page()
    outside = []
    pg.on("request", lambda r: None if harness.is_local(r.url) else outside.append(r.url))
    pg.goto(f"{server}/presentasi?kota=64.74")
    expect(pg.get_by_role("heading", name="Presentasi", exact=True)).to_be_visible(timeout=60_000)
    pg.get_by_role("button", name="Mulai presentasi").click()
    titles = ["Rakor Kota Bontang", "Prevalensi stunting", "Anak tidak sekolah", "Kemiskinan ekstrem",
              "Titik drainase bermasalah", "Lokasi prioritas", "Tindak lanjut per OPD", "Apa yang berubah sejak"]
    for i, title in enumerate(titles, 1):
        expect(pg.locator(".pk-deck-title")).to_contain_text(title, timeout=60_000)
        expect(pg.get_by_text(f"{i} / {len(titles)}")).to_be_visible()
        if 2 <= i <= 5:
            expect(pg.locator("[data-testid=stDeckGlJsonChart] canvas").first).to_be_visible(timeout=60_000)
            pg.wait_for_timeout(800)
        assert pg.locator("[data-testid=stSidebar]").is_hidden()  # no Streamlit chrome on the projector
        pg.screenshot(path=str(out / f"{i:02d}.png"))
        pg.keyboard.press("ArrowRight")
    pg.keyboard.press("3")
    expect(pg.locator(".pk-deck-title")).to_contain_text("Anak tidak sekolah", timeout=30_000)
    pg.keyboard.press("ArrowLeft")
    expect(pg.locator(".pk-deck-title")).to_contain_text("Prevalensi stunting", timeout=30_000)
    _no_error_box(pg)
    assert outside == []
    context.close()


def test_rekonsiliasi_shows_the_gap_map_and_chart(server, page):
    page.goto(f"{server}/rekonsiliasi?kota=14.71&indikator=stunting&periode=2025-08")
    expect(page.get_by_text("Data lapangan menemukan 1.808 anak stunting", exact=False)).to_be_visible(timeout=60_000)
    expect(page.locator("[data-testid=stDeckGlJsonChart] canvas").first).to_be_visible(timeout=60_000)
    expect(page.locator("[data-testid=stPlotlyChart] .main-svg").first).to_be_visible(timeout=60_000)
    page.get_by_role("tab", name="Daftar nama (tanpa identitas)").click()
    expect(page.get_by_text("Belum ada daftar nama", exact=False)).to_be_visible(timeout=30_000)
    _no_error_box(page)
    assert page.outside == []


def test_sign_in_in_the_browser_and_what_a_camat_sees(demo_lake, tmp_path_factory, browser):
    import shutil

    from pantau.web import access

    work = tmp_path_factory.mktemp("masuk")
    shutil.copytree(demo_lake.path, work / "lake")
    users = work / "pengguna.yaml"
    env = {"PANTAU_LAKE": str(work / "lake"), "PANTAU_TODAY": "2026-11-23", "PANTAU_MODE": "masuk",
           "PANTAU_USERS": str(users)}
    import os

    old = os.environ.get("PANTAU_USERS")
    os.environ["PANTAU_USERS"] = str(users)
    try:
        access.save_user("camat", "Camat Bontang Utara", "rahasia-rakor-2026", "viewer", kota="64.74",
                         kecamatan="64.74.01")
    finally:
        os.environ.pop("PANTAU_USERS") if old is None else os.environ.__setitem__("PANTAU_USERS", old)
    with harness.streamlit_server(APP, env=env) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = context.new_page()
        outside = []
        pg.on("request", lambda r: None if harness.is_local(r.url) else outside.append(r.url))
        pg.goto(f"{url}/?kota=14.71")
        expect(pg.get_by_text("Masuk ke Pantau Kota")).to_be_visible(timeout=60_000)
        assert pg.locator(".pk-tile").count() == 0
        pg.get_by_label("Nama pengguna").fill("camat")
        pg.get_by_label("Kata sandi").fill("salah-sekali-123")
        pg.get_by_role("button", name="Masuk").click()
        expect(pg.get_by_text("Nama pengguna atau kata sandi salah")).to_be_visible(timeout=30_000)
        pg.get_by_label("Kata sandi").fill("rahasia-rakor-2026")
        pg.get_by_role("button", name="Masuk").click()
        expect(pg.locator(".pk-tile")).to_have_count(4, timeout=60_000)
        # The camat's briefing is their kecamatan's totals.
        expect(pg.get_by_role("heading", name="Kecamatan Bontang Utara", exact=False)).to_be_visible()
        expect(pg.get_by_text("Masuk sebagai Camat Bontang Utara", exact=False)).to_be_visible()
        shots = Path(os.environ.get("PANTAU_TEST_OUTPUT", harness.ROOT / "test-output"))
        shots.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(shots / "masuk-camat.png"), full_page=True)
        nav = pg.locator("[data-testid=stSidebarNav]")
        expect(nav).to_contain_text("Peta")
        assert "Data" not in nav.inner_text().split() and "Audit" not in nav.inner_text()
        assert outside == []
        context.close()


def _pixel(box: dict, view, lon: float, lat: float) -> tuple[float, float]:
    """Where deck.gl draws a point, for a view state centred on the canvas (Web Mercator, 512 px world)."""
    import math

    scale = 512 * 2 ** view.zoom

    def merc(phi):
        return math.log(math.tan(math.pi / 4 + math.radians(phi) / 2))

    x = box["x"] + box["width"] / 2 + (lon - view.longitude) / 360 * scale
    y = box["y"] + box["height"] / 2 - (merc(lat) - merc(view.latitude)) / (2 * math.pi) * scale
    return x, y


def test_wilayah_map_drills_down_by_click_recolours_without_shapes_and_goes_back_up(national_lake, browser):
    import shapely

    from pantau.lake import geo
    from pantau.render import maps

    wilayah = national_lake.read("wilayah").to_pandas()
    provinces = wilayah[wilayah["tingkat"] == "provinsi"][["kode", "nama", "parent_kode", "geometry"]]
    # The lake has two provinces; the map draws the nation, the other 36 from the shipped outlines.
    assert len(geo.with_national(provinces, "", 2)) == 38
    kabkota = wilayah[(wilayah["tingkat"] == "kota") & wilayah["kode"].str.startswith("34.")]
    kab_shapes = geo.shapes(kabkota["geometry"])
    bounds = [float(b) for b in shapely.total_bounds(kab_shapes)]
    inside = shapely.point_on_surface(kab_shapes[list(kabkota["kode"]).index("34.03")])
    env = {"PANTAU_LAKE": str(national_lake.path), "PANTAU_TODAY": "2026-11-23", "PANTAU_MODE": "lokal"}
    with harness.streamlit_server(APP, env=env) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        outside, shapes_fetched = [], []
        page.on("request", lambda r: None if harness.is_local(r.url) else outside.append(r.url))
        page.on("response", lambda r: shapes_fetched.append(r.url) if "/static/geo/bagian-" in r.url and r.status == 200 else None)
        page.goto(f"{url}/wilayah?w=&tingkat=provinsi")
        expect(page.get_by_role("heading", name="Prevalensi stunting · Indonesia")).to_be_visible(timeout=60_000)
        canvas = page.locator("[data-testid=stDeckGlJsonChart] canvas").first
        expect(canvas).to_be_visible(timeout=60_000)
        page.wait_for_function("() => performance.getEntriesByType('resource').some(e => e.name.includes('/static/geo/bagian-'))",
                               timeout=30_000)
        page.wait_for_timeout(1500)
        first = list(shapes_fetched)
        assert len(first) == 1

        # A new indicator recolours the same shapes: no shapes file is fetched again.
        page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").filter(has_text="Indikator").click()
        page.get_by_role("option", name="Kemiskinan ekstrem").click()
        expect(page.get_by_role("heading", name="Kemiskinan ekstrem · Indonesia")).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1500)
        assert shapes_fetched == first

        # Open Yogyakarta from the list beside the map (the keyboard's and the clicker's way down): the page
        # goes down into the province.
        page.get_by_role("combobox", name="Buka wilayah").click()
        page.get_by_role("option", name="Daerah Istimewa Yogyakarta").click()
        expect(page.get_by_role("heading", name="Kemiskinan ekstrem · Daerah Istimewa Yogyakarta")).to_be_visible(timeout=30_000)
        assert "w=34" in page.url
        expect(page.locator("[data-testid=stDataFrame]")).to_contain_text("Kota Yogyakarta", timeout=30_000)

        # Click Gunungkidul on the province's map, where the view fitted to the canvas draws it: down into the
        # kabupaten. (A fresh page: a click right after the list's step can land while the map is redrawn.)
        page.goto(f"{url}/wilayah?w=34&tingkat=kota&indikator=kemiskinan_ekstrem")
        expect(page.get_by_role("heading", name="Kemiskinan ekstrem · Daerah Istimewa Yogyakarta")).to_be_visible(timeout=60_000)
        expect(page.locator(".st-key-pkmap_wilayah")).to_have_attribute("data-fitted", "yes", timeout=30_000)
        page.wait_for_timeout(1500)
        box = canvas.bounding_box()
        view = maps.view_for_bounds(bounds, width_px=box["width"], height_px=box["height"])
        x, y = _pixel(box, view, shapely.get_x(inside), shapely.get_y(inside))
        y += 30  # below its name, on the kabupaten itself
        page.mouse.move(box["x"] + 10, box["y"] + 10)
        page.wait_for_timeout(500)
        heading = page.get_by_role("heading", name="Kemiskinan ekstrem · Kabupaten Gunungkidul")
        for _ in range(2):  # on a loaded machine the first click can land while the fitted view is still drawing
            page.mouse.click(x, y)
            try:
                expect(heading).to_be_visible(timeout=15_000)
                break
            except AssertionError:
                continue
        expect(heading).to_be_visible(timeout=15_000)
        assert "w=34.03" in page.url

        # Back up by the breadcrumb, to the nation.
        page.get_by_role("button", name="Indonesia").click()
        expect(page.get_by_role("heading", name="Kemiskinan ekstrem · Indonesia")).to_be_visible(timeout=30_000)
        _no_error_box(page)
        assert outside == []
        context.close()


def test_data_page_reads_a_sigizi_export_as_it_comes_and_saves_every_month(data_server, data_lake, page, tmp_path):
    from tests.exports import sigizi_file

    path = sigizi_file(tmp_path / "Daftar Entry Balita Gizi.xlsx")
    page.goto(f"{data_server}/data?kota=64.74")
    expect(page.get_by_text("Data: unggah, periksa, simpan")).to_be_visible(timeout=60_000)
    page.get_by_text("Ekspor sistem nasional", exact=True).click()
    expect(page.get_by_role("combobox", name="Format")).to_be_visible(timeout=30_000)
    # The uploader of this kind of data is a new widget: give the file to it once the rerun has finished.
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
    page.wait_for_timeout(500)
    words = """() => [...document.querySelectorAll('[data-testid=stFileUploaderDropzone] button, '
                   + '[data-testid=stFileUploaderDropzone] button p')]
                   .map(e => getComputedStyle(e, '::after').content).filter(c => c && c !== 'none')"""
    assert page.evaluate(words) == ['"Pilih berkas"']  # Streamlit's "Upload" gives way to the user's language
    page.set_input_files("input[type=file]", str(path))
    expect(page.get_by_text("Dibaca sebagai: SIGIZI Daftar Entry Balita Gizi, Januari 2026–Maret 2026; "
                            "indikator: 3, kelurahan: 3")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Isi berkas per indikator dan bulan")).to_be_visible()
    assert page.evaluate(words) == []  # beside the chosen file, the remove and add buttons keep their icons only
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Tersimpan:", exact=False)).to_be_visible(timeout=60_000)
    _no_error_box(page)
    assert page.outside == []
    from pantau.lake.store import Lake

    log = Lake(data_lake).uploads().to_pylist()
    sigizi = [r for r in log if r["nama_berkas"] == "Daftar Entry Balita Gizi.xlsx"]
    assert len({r["upload_id"] for r in sigizi}) == 1 and sorted(r["periode"].month for r in sigizi) == [1] * 3 + [2] * 3 + [3] * 3
    # The history offers the upload once, saying it holds more slices, and undo takes every month back.
    page.get_by_role("tab", name="Riwayat").click()
    page.get_by_text("Saya yakin").wait_for(timeout=30_000)
    picked = page.locator("[data-testid=stSelectbox] input").evaluate_all("els => els.map(e => e.value)")
    assert any("dan 8 irisan lain" in v for v in picked), picked
    page.get_by_text("Saya yakin").click()
    page.get_by_role("button", name="Batalkan unggahan").click()
    expect(page.get_by_text("baris yang ada sebelumnya dipulihkan", exact=False)).to_be_visible(timeout=60_000)
    _no_error_box(page)
    undone = [r for r in Lake(data_lake).uploads().to_pylist() if r["membatalkan"] == sigizi[0]["upload_id"]]
    assert sorted(r["periode"].month for r in undone) == [1] * 3 + [2] * 3 + [3] * 3
