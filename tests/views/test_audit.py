"""The audit log as an administrator reads it: the kota's own clock, words for codes, a filter, a download."""

from __future__ import annotations

import datetime as dt
import shutil

import pandas as pd
from streamlit.testing.v1 import AppTest

from pantau import settings
from pantau.lake.store import Lake
from pantau.views import audit
from pantau.web import access

UTC = dt.timezone.utc
LOG = pd.DataFrame({
    "waktu": pd.to_datetime([dt.datetime(2026, 12, 1, 19, 30, 43, tzinfo=UTC), dt.datetime(2026, 11, 30, 18, 30, tzinfo=UTC),
                             dt.datetime(2026, 11, 30, 1, 0, tzinfo=UTC)]),
    "pengguna": ["lokal", "ani", None],
    "peran": ["admin", "viewer", None],
    "aksi": ["unduh", "unduh", "masuk"],
    "objek": ["pantau-64.74-stunting-resmi-lapangan-2026-10", "peta 14.71 Stunting", "budi"],
    "hasil": ["ok", "ok", "gagal"],
})
NAMES = {"64.74": "Kota Bontang", "14.71": "Kota Pekanbaru"}


def test_entries_are_timed_on_the_clock_of_their_kota_and_read_in_words():
    log = audit.with_kota(LOG, default_kota="63.72")
    assert log["kota"].tolist() == ["64.74", "14.71", "63.72"]  # no kota named: the app's default
    table = audit.table(log, NAMES, "id")
    assert list(table.columns) == ["Waktu", "Pengguna", "Peran", "Tindakan", "Yang dikenai", "Kota", "Hasil"]
    assert table["Waktu"].tolist() == ["2 Des 2026 03.30 WITA", "1 Des 2026 01.30 WIB", "30 Nov 2026 09.00 WITA"]
    assert table["Tindakan"].tolist() == ["Unduh", "Unduh", "Masuk"]
    assert table["Hasil"].tolist() == ["Berhasil", "Berhasil", "Gagal"]
    assert table["Kota"].tolist()[:2] == ["Kota Bontang", "Kota Pekanbaru"] and table["Peran"].tolist()[1] == "Pembaca"
    english = audit.table(log, NAMES, "en")
    assert english.columns[0] == "Time" and english["Action"].tolist()[0] == "Download"
    assert audit.word("action", "aksi baru", "id") == "aksi baru"  # a code without a text stays readable


def test_the_filter_takes_users_actions_and_local_dates():
    log = audit.with_kota(LOG, default_kota="63.72")
    assert len(audit.filtered(log, [], [], None, None)) == 3
    assert audit.filtered(log, ["ani"], [], None, None)["objek"].tolist() == ["peta 14.71 Stunting"]
    assert audit.filtered(log, [], ["masuk"], None, None)["hasil"].tolist() == ["gagal"]
    # 30 Nov 18:30 UTC is already 1 December in Pekanbaru (WIB): the dates are the kota's.
    december = audit.filtered(log, [], [], dt.date(2026, 12, 1), dt.date(2026, 12, 2))
    assert december["pengguna"].tolist() == ["lokal", "ani"]


def test_the_audit_page_shows_words_a_filter_and_a_download(demo_lake, tmp_path, monkeypatch):
    shutil.copytree(demo_lake.path, tmp_path / "lake")
    lake = Lake(tmp_path / "lake")
    access.audit(lake, access.LOCAL_USER, "unduh", "pantau-64.74-stunting-resmi-lapangan-2026-10")
    access.audit(lake, None, "masuk", "budi", "gagal")
    monkeypatch.setenv("PANTAU_LAKE", str(lake.path))
    monkeypatch.setenv("PANTAU_MODE", "lokal")
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/audit.py")
    at.run()
    assert not at.exception and not at.error
    shown = at.dataframe[0].value
    assert list(shown.columns)[:4] == ["Waktu", "Pengguna", "Peran", "Tindakan"]
    zones = {a: w.split()[-1] for a, w in zip(shown["Tindakan"], shown["Waktu"])}
    assert zones == {"Unduh": "WITA", "Masuk": "WIB"}  # Bontang's clock; Pekanbaru's (the default) for a sign-in
    assert len(at.get("download_button")) == 2  # CSV and XLSX
    at.multiselect(key="w_audit_aksi").set_value(["masuk"]).run()
    assert at.dataframe[0].value["Hasil"].tolist() == ["Gagal"]
