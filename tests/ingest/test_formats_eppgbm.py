"""e-PPGBM by-name in as it comes: every child once a month by their latest measurement, Pendek and Sangat
Pendek both stunted, children over 59 months left out, and no NIK, name or address anywhere after."""

from __future__ import annotations

import datetime as dt
import json

from pantau import cli
from pantau.ingest.formats import eppgbm
from tests.exports import eppgbm_file

ROWS = [  # nik, name, kelurahan, age, measured, TB/U, ZS TB/U
    ("6474011501240001", "Anak Satu Fiktif", "Lok Tuan", "1 Tahun - 7 Bulan - 2 Hari", "2026-08-03", "Pendek", -2.4),
    # the same child again later in August: the later measurement counts, once
    ("6474011501240001", "Anak Satu Fiktif", "Lok Tuan", "1 Tahun - 7 Bulan - 20 Hari", "2026-08-21", "Normal", -1.8),
    ("6474011501240002", "Anak Dua Fiktif", "Lok Tuan", "2 Tahun - 0 Bulan - 1 Hari", "2026-08-05", "Sangat Pendek", -3.2),
    ("", "Anak Tiga Fiktif", "Gn. Elai", "0 Tahun - 11 Bulan - 17 Hari", "2026-08-07", "", -2.1),  # status from ZS
    ("6474011501240004", "Anak Empat Fiktif", "Gn. Elai", "5 Tahun - 1 Bulan - 0 Hari", "2026-08-07", "Pendek", -2.5),
    ("6474011501240005", "Anak Lima Fiktif", "Gunung Elai", "3 Tahun - 2 Bulan - 0 Hari", "2026-09-02", "Tinggi", 2.1),
]


def test_age_text_and_the_count_per_kelurahan_and_month(tmp_path, env_lake, capsys):
    assert [eppgbm.age_months(v) for v in ("0 Tahun - 11 Bulan - 17 Hari", "4 tahun - 0 bulan", "x")] == [11, 48, None]
    path = eppgbm_file(tmp_path / "eppgbm_bontang.xlsx", ROWS)
    assert cli.main(["ingest", str(path), "--kota", "64.74", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["format"] == "eppgbm"
    assert [(s["period"], s["totals"]) for s in out["slices"]] == [
        ("2026-08", {"count": 2, "denominator": 3}), ("2026-09", {"count": 0, "denominator": 1})]
    assert any("59 bulan" in n for n in out["notes"])
    stored = {(r["periode"], r["kelurahan_kode"]): (r["jumlah"], r["penyebut"]) for r in env_lake.read("nilai").to_pylist()
              if r["indikator"] == "stunting" and r["sumber"] == "resmi" and r["kota_kode"] == "64.74"
              and r["periode"] >= dt.date(2026, 8, 1) and r["upload_id"] == out["batch"]}
    assert stored == {(dt.date(2026, 8, 1), "64.74.01.1003"): (1, 2), (dt.date(2026, 8, 1), "64.74.01.1005"): (1, 1),
                      (dt.date(2026, 9, 1), "64.74.01.1005"): (0, 1)}
    seen = json.dumps(out, ensure_ascii=False) + str(env_lake.read("nilai").to_pylist()) + \
        str(env_lake.read("uploads").to_pylist())
    for nik, name, *_ in ROWS:
        assert (not nik or nik not in seen) and name not in seen
    assert "JL. FIKTIF" not in seen


def test_an_unreadable_date_is_refused_by_row_and_column(tmp_path, env_lake, capsys):
    rows = [*ROWS[:2], ("6474011501240009", "Anak Sembilan", "Lok Tuan", "1 Tahun - 1 Bulan - 1 Hari", "tgl 31", "Pendek", -2.2)]
    path = eppgbm_file(tmp_path / "eppgbm.xlsx", rows)
    assert cli.main(["ingest", str(path), "--kota", "64.74", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    bad = [p for p in out["problems"] if p["level"] == "error"]
    assert (bad[0]["row"], bad[0]["column"], bad[0]["value"]) == (4, "Tanggal Pengukuran", "tgl 31")
    assert "Anak Sembilan" not in json.dumps(out, ensure_ascii=False)
