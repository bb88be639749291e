"""Sign-in, roles, area scope and audit, including the attacks an IT officer would try."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pantau import settings
from pantau.lake.store import Lake
from pantau.web import access

PASSWORD = "rahasia-rakor-2026"


@pytest.fixture()
def signin(tmp_path, monkeypatch, demo_lake):
    """Sign-in mode with four users; the demo lake copied so audit rows can be written."""
    import shutil

    shutil.copytree(demo_lake.path, tmp_path / "lake")
    monkeypatch.setenv("PANTAU_USERS", str(tmp_path / "kunci" / "pengguna.yaml"))
    monkeypatch.setenv("PANTAU_MODE", "masuk")
    monkeypatch.setenv("PANTAU_LAKE", str(tmp_path / "lake"))
    monkeypatch.setenv("PANTAU_TODAY", "2026-11-23")
    access.save_user("admin", "Admin Bappeda", PASSWORD, "admin")
    access.save_user("camat", "Camat Bontang Utara", PASSWORD, "viewer", kota="64.74", kecamatan="64.74.01")
    access.save_user("dinkes", "Dinkes Bontang", PASSWORD, "opd", kota="64.74", opd="Dinas Kesehatan",
                     indikator=("stunting",))
    access.save_user("analis", "Analis", PASSWORD, "analis", kota="64.74")
    return Lake(tmp_path / "lake")


def _app(**params) -> AppTest:
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def _sign_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    at.run()
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    next(b for b in at.button if b.proto.label == "Masuk").click()
    at.run()
    return at


def test_the_users_file_holds_bcrypt_hashes_only(signin):
    text = access.users_file().read_text()
    assert PASSWORD not in text and "$2b$" in text
    assert oct(access.users_file().stat().st_mode)[-3:] == "600"


def test_without_sign_in_nothing_but_the_form_is_shown(signin):
    at = _app(kota="64.74")
    at.run()
    assert not at.exception
    assert [b.proto.label for b in at.button] == ["Masuk"]
    assert not at.title and not at.get("deck_gl_json_chart")


def test_a_wrong_password_is_refused_and_audited(signin):
    at = _sign_in(_app(), "camat", "salah-sekali-123")
    assert any("salah" in e.value for e in at.error)
    log = signin.read("audit").to_pandas()
    assert ((log["aksi"] == "masuk") & (log["hasil"] == "gagal")).sum() == 1
    assert not log.astype(str).apply(lambda c: c.str.contains("salah-sekali")).any().any()  # no password kept


def test_failed_sign_ins_slow_down_after_a_few():
    assert [access.delay_for(n) for n in range(7)] == [0, 0, 0, 2, 4, 8, 16]
    assert access.delay_for(30) == 60


def test_a_viewer_of_one_kecamatan_sees_only_its_pages_and_area(signin):
    at = _sign_in(_app(kota="14.71"), "camat")
    assert not at.exception, [e.value for e in at.exception]
    # Another kota in the URL falls back to the viewer's own, with a notice; the data is Bontang's.
    assert any("14.71" in w.value and "di luar wilayah" in w.value for w in at.warning)
    # The briefing is about the camat's kecamatan: its own totals, not a refusal and not the kota's.
    assert at.title[0].value.endswith("Kecamatan Bontang Utara")
    assert not at.error, [e.value for e in at.error]
    from functools import partial

    from pantau.lake import queries
    from pantau.render import fmt
    from pantau.views import shared

    run = partial(queries.run, signin.connect().cursor())
    sumber = at.query_params["sumber"]
    sumber = sumber[0] if isinstance(sumber, list) else sumber
    # No month was asked for: the page shows the newest of stunting and this source (and keeps it out of the URL).
    assert "periode" not in at.query_params
    periode = shared.latest_period(run, "64.74", "stunting", sumber)
    kel = run("nilai_by_bagian", panjang=13, wilayah_kode="64.74", indikator=["stunting"], sumber=sumber,
              periode=fmt.period_date(periode), periode_lalu=fmt.period_date(shared.previous_period(periode)))
    own = kel.loc[kel["kode"].str.startswith("64.74.01."), "jumlah"].sum()
    whole = kel["jumlah"].sum()
    shown = " ".join(h.proto.body for h in at.get("html"))
    assert f">{fmt.number(own, 'id')} anak" in shown and f">{fmt.number(whole, 'id')} anak" not in shown
    # The Data and Audit pages are not in this role's app at all, so their URLs lead nowhere.
    with pytest.raises(ValueError, match="Known pages") as missing:
        at.switch_page("pages/data.py")
    assert "pages/peta.py" in str(missing.value) and "pages/audit.py" not in str(missing.value)


def test_queries_outside_the_area_are_refused_in_the_query_layer():
    camat = access.User("camat", "Camat", "viewer", kota="64.74", kecamatan="64.74.01")
    access.check_params(camat, "kelurahan_by_kota", {"kota_kode": "64.74"})
    with pytest.raises(access.AccessDenied):
        access.check_params(camat, "kelurahan_by_kota", {"kota_kode": "14.71"})
    with pytest.raises(access.AccessDenied):
        access.check_params(camat, "nilai_series_by_periode", {"kelurahan_kode": "64.74.02.1001"})
    frame = pd.DataFrame({"kode": ["64.74", "64.74.01", "64.74.01.1003", "64.74.02.1001", "14.71"]})
    assert access.narrow(camat, frame)["kode"].tolist() == ["64.74.01", "64.74.01.1003"]  # no whole-kota total
    assert access.narrow(camat, frame, "kota_list")["kode"].tolist() == ["64.74", "64.74.01", "64.74.01.1003"]
    # Totals are summed over a wilayah: the camat's own kecamatan (or inside it), never the whole kota.
    access.check_params(camat, "indikator_by_wilayah", {"wilayah_kode": "64.74.01"})
    access.check_params(camat, "indikator_by_wilayah", {"wilayah_kode": "64.74.01.1003"})
    for outside in ("64.74", "64", "64.74.02", "64.74.010", "64.74.01' or '1'='1"):
        with pytest.raises(access.AccessDenied):
            access.check_params(camat, "indikator_by_wilayah", {"wilayah_kode": outside})
    walikota = access.User("wk", "Wali Kota", "viewer", kota="64.74")
    access.check_params(walikota, "kesegaran_by_wilayah", {"wilayah_kode": "64.74"})
    with pytest.raises(access.AccessDenied):
        access.check_params(walikota, "kesegaran_by_wilayah", {"wilayah_kode": "64"})
    rows = pd.DataFrame({"kelurahan_kode": ["64.74.01.1003", "64.74.02.1001"], "x": [1, 2]})
    assert access.narrow(camat, rows)["x"].tolist() == [1]


@pytest.mark.parametrize("role, allowed", [
    ("admin", {"upload:stunting", "upload:putus_sekolah", "undo", "edit", "edit_action", "drainase_status", "audit"}),
    ("analis", {"upload:stunting", "upload:putus_sekolah", "edit", "edit_action", "drainase_status"}),
    ("opd", {"upload:stunting", "edit_action"}),
    ("viewer", set()),
])
def test_what_each_role_may_do(role, allowed):
    user = access.User("u", "U", role, kota="64.74", opd="Dinas Kesehatan", indikator=("stunting",))
    checks = {"upload:stunting": access.can(user, "upload", indikator="stunting"),
              "upload:putus_sekolah": access.can(user, "upload", indikator="putus_sekolah"),
              "undo": access.can(user, "undo"), "edit": access.can(user, "edit"),
              "edit_action": access.can(user, "edit_action", opd="Dinas Kesehatan"),
              "drainase_status": access.can(user, "drainase_status"), "audit": access.can(user, "audit")}
    assert {k for k, v in checks.items() if v} == allowed
    assert access.can_open(user, "data") == (role != "viewer")
    assert access.can_open(user, "audit") == (role == "admin")


def test_an_opd_cannot_update_another_offices_action():
    dinkes = access.User("d", "D", "opd", opd="Dinas Kesehatan")
    assert access.can(dinkes, "edit_action", opd="Dinas Kesehatan")
    assert not access.can(dinkes, "edit_action", opd="Dinas PUPR")


def test_the_admin_signs_in_and_reads_the_audit_log(signin):
    at = _sign_in(_app(kota="64.74"), "admin")
    assert not at.exception
    at.switch_page("pages/audit.py")
    at.run()
    assert at.title[0].value == "Log audit"
    log = at.dataframe[0].value
    # Headers and actions in words (Tindakan: Masuk), not the stored codes.
    assert (log["Tindakan"] == "Masuk").any() and (log["Yang dikenai"] == "admin").any()


@pytest.mark.parametrize("field", ["kota", "indikator", "periode", "sumber", "kel", "ukuran", "lang"])
def test_sql_injection_in_url_parameters_changes_nothing(demo_lake, monkeypatch, field):
    monkeypatch.setenv("PANTAU_LAKE", str(demo_lake.path))
    monkeypatch.setenv("PANTAU_TODAY", "2026-11-23")
    before = {t: len(demo_lake.read(t)) for t in ("nilai", "wilayah", "uploads")}
    attack = "64.74' OR 1=1; DROP TABLE nilai; --"
    at = _app(**{field: attack})
    at.run()
    at.switch_page("pages/peta.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert {t: len(demo_lake.read(t)) for t in ("nilai", "wilayah", "uploads")} == before


def test_serving_without_sign_in_on_a_network_address_is_refused(tmp_path):
    env = {**os.environ, "PANTAU_MODE": "lokal", "PANTAU_LAKE": str(tmp_path / "lake")}
    run = subprocess.run([sys.executable, "-m", "pantau", "serve", "--server.address", "0.0.0.0",
                          "--server.port", "8999"], capture_output=True, text=True, env=env, timeout=120,
                         cwd=settings.ROOT)
    assert run.returncode != 0 and "127.0.0.1" in (run.stderr + run.stdout)
    assert not (tmp_path / "lake").exists()  # refused before anything was built or served
    access.check_bind("127.0.0.1")  # the presenter's laptop is fine


def test_a_user_is_added_from_the_command_line(tmp_path):
    env = {**os.environ, "PANTAU_USERS": str(tmp_path / "u.yaml"), "PANTAU_LAKE": str(tmp_path / "lake")}
    ok = subprocess.run([sys.executable, "-m", "pantau", "user", "add", "lurah", "--role", "viewer", "--kota", "64.74",
                         "--kecamatan", "64.74.01", "--password-stdin"], input=PASSWORD + "\n", capture_output=True,
                        text=True, env=env, cwd=settings.ROOT)
    assert ok.returncode == 0, ok.stderr
    assert "lurah" in (tmp_path / "u.yaml").read_text() and PASSWORD not in (tmp_path / "u.yaml").read_text()
    short = subprocess.run([sys.executable, "-m", "pantau", "user", "add", "x", "--role", "viewer", "--password-stdin"],
                           input="pendek\n", capture_output=True, text=True, env=env, cwd=settings.ROOT)
    assert short.returncode == 2 and "10 karakter" in short.stderr


def test_the_public_rule_on_a_download():
    from pantau.render import export

    frame = pd.DataFrame({"Peringkat": [1, 2, 3], "Kelurahan": ["A", "B", "C"], "Jumlah": [3, 12, 0],
                          "Prevalensi (%)": [2.5, 3.0, 4.0], "Rasio": [1.5, 2.0, 4.0]})
    public = export.public_frame(frame)
    assert public["Jumlah"].tolist() == ["<5", 12, 0]
    assert public["Peringkat"].tolist() == [1, 2, 3] and public["Rasio"].tolist() == [1.5, 2.0, 4.0]
    assert public["Prevalensi (%)"].tolist() == [2.5, 3.0, 4.0]


def test_injection_strings_in_text_inputs_are_stored_as_text_and_change_nothing(demo_lake, tmp_path, monkeypatch):
    import datetime as dt
    import shutil
    from functools import partial

    from pantau.domain import drainase, tindak_lanjut
    from pantau.ingest.sheets import Upload
    from pantau.lake import queries

    shutil.copytree(demo_lake.path, tmp_path / "lake")
    lake = Lake(tmp_path / "lake")
    before = {t: len(lake.read(t)) for t in ("nilai", "wilayah", "drainase")}
    attack = "x'); DROP TABLE nilai; -- \" OR \"1\"=\"1"
    saved = tindak_lanjut.save(lake, "64.74", [{"apa": attack, "tanggal_rakor": dt.date(2026, 11, 1), "opd": attack,
                                                "kelurahan": [], "tenggat": dt.date(2026, 12, 1),
                                                "status": "berjalan", "catatan": attack}])[0]
    run = partial(queries.run, lake.connect().cursor())
    history = run("tindak_lanjut_riwayat_by_versi", aksi_id=saved["aksi_id"])
    assert history["apa"].iloc[0] == attack.strip() and history["catatan"].iloc[0] == attack.strip()
    assert run("tindak_lanjut_riwayat_by_versi", aksi_id=attack).empty  # a bound value, not SQL
    point = lake.read("drainase").to_pandas().query("kota_kode == '64.74'")["id"].iloc[0]
    drainase.set_status(lake, "64.74", point, "ditangani", dt.date(2026, 11, 20), attack, dt.date(2026, 11, 23))
    run = partial(queries.run, lake.connect().cursor())  # a new connection sees the new table
    assert run("drainase_riwayat_by_perubahan", id=point)["catatan"].tolist()[-1] == " ".join(attack.split())
    monkeypatch.setenv("PANTAU_USERS", str(tmp_path / "u.yaml"))
    assert access.verify(attack, attack) is None
    assert {t: len(lake.read(t)) for t in ("nilai", "wilayah", "drainase")} == before
    assert Upload("../../etc/passwd\x00.csv", b"").display_name == "passwd.csv"  # a file name is never a path


def test_downloads_follow_the_public_rule_forced_for_a_viewer(signin):
    viewer = _sign_in(_app(kota="64.74"), "camat")
    viewer.switch_page("pages/tren.py")
    viewer.run()
    assert not viewer.exception
    assert not [c for c in viewer.checkbox if c.label == "Untuk publik"]  # no choice: always public
    analyst = _sign_in(_app(kota="64.74"), "analis")
    analyst.switch_page("pages/tren.py")
    analyst.run()
    assert [c for c in analyst.checkbox if c.label == "Untuk publik"]


@pytest.mark.parametrize("page", [p for p in access.READ_PAGES if p != "ringkasan"])
def test_every_page_answers_a_camat_for_their_kecamatan(signin, page):
    at = _sign_in(_app(kota="64.74"), "camat")
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]  # no "outside your area" on any page


def test_the_area_map_keeps_a_kota_user_inside_their_kota(signin):
    at = _sign_in(_app(kota="64.74", w="", tingkat="provinsi", lingkup="nasional"), "analis")
    at.switch_page("pages/wilayah.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value.endswith("Kota Bontang")  # not the nation the URL asked for
    assert [b.proto.label for b in at.button if b.proto.label in ("Indonesia", "Kalimantan Timur")] == []
    at.switch_page("pages/ringkasan.py").run()
    assert at.title[0].value == "Ringkasan Kota Bontang"  # no wider scope either
    assert not [s for s in at.get("button_group") if s.label == "Lingkup"]
