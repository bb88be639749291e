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


def test_the_stunted_children_go_in_as_keyed_hashes_with_the_figures_and_undo_takes_both_back(tmp_path, env_lake,
                                                                                               capsys):
    from functools import partial

    from pantau.lake import queries

    rows = [*ROWS, ("12345", "Anak Enam Fiktif", "Lok Tuan", "2 Tahun - 1 Bulan - 0 Hari", "2026-08-09", "Pendek", -2.6)]
    path = eppgbm_file(tmp_path / "eppgbm_bontang.xlsx", rows)
    assert cli.main(["ingest", str(path), "--kota", "64.74", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # Anak Satu (her latest August measurement is Normal) is not in the list; Anak Tiga has no NIK and is
    # hashed by name, birth date and kelurahan; Anak Enam's NIK is not 16 digits: the same, with a warning.
    assert any(n.startswith("Daftar pencocokan: 3 orang") for n in out["notes"])
    warned = [(p["row"], p["column"], p["value"], p["level"]) for p in out["problems"] if "NIK" in p["message"]]
    assert warned == [(5, "NIK", None, "warning"), (8, "NIK", None, "warning")]
    listed = [r for r in env_lake.read("rekaman").to_pylist() if r["upload_id"] == out["batch"]]
    assert sorted((r["kelurahan_kode"], r["aturan"], r["baris"]) for r in listed) == [
        ("64.74.01.1003", "nama", 8), ("64.74.01.1003", "nik", 4), ("64.74.01.1005", "nama", 5)]
    assert {(r["indikator"], r["sumber"], r["periode"]) for r in listed} == {("stunting", "resmi", dt.date(2026, 8, 1))}
    assert all(len(r["kunci"]) == 64 for r in listed)
    # The reconciliation page finds them: the official list of August has them, the field list none yet.
    run = partial(queries.run, env_lake.connect().cursor())
    per = run("rekaman_by_kelurahan", kota_kode="64.74", indikator="stunting", periode=dt.date(2026, 8, 1))
    assert per["hanya_resmi"].sum() == 3
    seen = json.dumps(out, ensure_ascii=False) + str(env_lake.read("rekaman").to_pylist()) + \
        str(env_lake.read("uploads").to_pylist())
    for nik, name, *_ in rows:
        assert (not nik or nik not in seen) and name not in seen
    log = [r for r in env_lake.uploads().to_pylist() if r["upload_id"] == out["batch"]]
    assert sorted((r["tabel"], r["periode"].month) for r in log) == [("nilai", 8), ("nilai", 9), ("rekaman", 8),
                                                                       ("rekaman", 9)]

    # Uploaded again with no stunted child in August: the list of August is replaced, not added to.
    again = [r for r in ROWS if r[5] in ("Normal", "Tinggi")]
    path = eppgbm_file(tmp_path / "eppgbm_bontang_revisi.xlsx", again)
    assert cli.main(["ingest", str(path), "--kota", "64.74", "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert not [r for r in env_lake.read("rekaman").to_pylist() if r["periode"] == dt.date(2026, 8, 1)]
    assert cli.main(["undo", second["batch"]]) == 0
    assert len([r for r in env_lake.read("rekaman").to_pylist() if r["upload_id"] == out["batch"]]) == 3
    assert cli.main(["undo", out["batch"]]) == 0
    assert env_lake.read("rekaman").num_rows == 0
    assert not [r for r in env_lake.read("nilai").to_pylist() if r["upload_id"] == out["batch"]]
