"""Drainase & banjir: counts per kelurahan on a hand-made set, status history, the rainy season, exports, floods."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from functools import partial
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pantau.domain import drainase
from pantau.errors import InputError
from pantau.i18n import t
from pantau.ingest import pipeline
from pantau.ingest.sheets import Upload
from pantau.lake import queries
from pantau.lake.store import Lake
from pantau.render import export, fmt

TODAY = dt.date(2025, 9, 20)
DATA = Path(__file__).parents[1] / "data"


def test_counts_per_kelurahan_on_the_hand_made_set(small_run):
    points = small_run("drainase_titik_by_kota", kota_kode="99.01", hari_ini=TODAY)
    assert points.set_index("id")["umur_hari"].to_dict() == {"d4": 138, "d1": 111, "d2": 20, "d3": 18}
    wilayah = small_run("kelurahan_by_kota", kota_kode="99.01")
    per_kel = drainase.per_kelurahan(points, wilayah).set_index("kode")
    # Alpha (1 km²): d1 fixed, d2 open. Beta (2 km²): d3 open, d4 fixed. Gamma: none, a real zero.
    assert per_kel.loc["99.01.01.1001", ["terbuka", "selesai", "total"]].tolist() == [1, 1, 2]
    assert per_kel.loc["99.01.01.1001", "per_km2"] == 1.0 and per_kel.loc["99.01.01.1002", "per_km2"] == 0.5
    assert per_kel.loc["99.01.01.1002", "persen_selesai"] == 50.0
    assert per_kel.loc["99.01.01.1003", "total"] == 0 and per_kel.loc["99.01.01.1003", "per_km2"] != 1.0
    assert per_kel.loc["99.01.01.1001", "kecamatan"] == "Kecamatan Satu"
    oldest = drainase.oldest_open(points)
    assert oldest["id"].tolist() == ["d2", "d3"]
    by_kec = drainase.per_kecamatan_open(points).set_index("kecamatan")
    assert by_kec.loc["Kecamatan Satu", "terbuka"] == 2 and by_kec.loc["Kecamatan Satu", "tidak_berfungsi"] == 1


def test_filters_by_condition_status_dates_and_kecamatan(small_run):
    points = small_run("drainase_titik_by_kota", kota_kode="99.01", hari_ini=TODAY)
    assert set(drainase.filtered(points, ["tersumbat"], [], None, None, [])["id"]) == {"d1", "d4"}
    assert set(drainase.filtered(points, [], list(drainase.OPEN), None, None, [])["id"]) == {"d2", "d3"}
    assert set(drainase.filtered(points, [], [], dt.date(2025, 6, 1), dt.date(2025, 8, 31), [])["id"]) == {"d1", "d2"}
    assert drainase.filtered(points, [], [], None, None, ["99.01.02"]).empty


def test_a_status_change_is_one_commit_kept_in_the_points_history(small_lake):
    drainase.set_status(small_lake, "99.01", "d2", "ditangani", dt.date(2025, 9, 10), "Truk sedot dikirim", TODAY)
    drainase.set_status(small_lake, "99.01", "d2", "selesai", dt.date(2025, 9, 18), None, TODAY)
    run = partial(queries.run, small_lake.connect().cursor())
    history = run("drainase_riwayat_by_perubahan", id="d2")
    assert history["status"].tolist() == ["ditangani", "selesai"]
    assert history["catatan"].tolist()[0] == "Truk sedot dikirim"
    points = run("drainase_titik_by_kota", kota_kode="99.01", hari_ini=TODAY).set_index("id")
    assert points.loc["d2", "status"] == "selesai" and points.loc["d2", "status_tanggal"].date() == dt.date(2025, 9, 18)
    assert len(points) == 4  # never deleted, only closed
    # The map's open count for September follows the change.
    sept = run("nilai_by_bagian", panjang=13, wilayah_kode="99.01", indikator=["drainase"], sumber="resmi",
               periode=dt.date(2025, 9, 1), periode_lalu=dt.date(2025, 8, 1)).set_index("kode")
    assert sept.loc["99.01.01.1001", "jumlah"] == 0 and sept.loc["99.01.01.1001", "jumlah_lalu"] == 1
    log = small_lake.uploads().to_pandas()
    assert (log["jenis"] == "status").sum() == 2
    table = drainase.history_frame(points.loc["d2"].to_dict(), history, "id")
    assert table["Status"].tolist() == ["Dilaporkan", "Ditangani", "Selesai"]


def test_a_point_the_file_gave_as_fixed_shows_that_status_in_its_history(small_run):
    points = small_run("drainase_titik_by_kota", kota_kode="99.01", hari_ini=TODAY).set_index("id")
    none = pd.DataFrame(columns=["tanggal", "status", "catatan", "diubah", "pengguna"])
    table = drainase.history_frame(points.loc["d1"].to_dict(), none, "id")  # fixed 15 July 2025 by its file
    assert table["Status"].tolist() == ["Dilaporkan", "Selesai"]
    assert table["Tanggal"].tolist() == ["1 Jun 2025", "15 Jul 2025"]
    assert "berkas" in table["Catatan"].iloc[1]
    # A point still as reported has only its report.
    assert drainase.history_frame(points.loc["d2"].to_dict(), none, "id")["Status"].tolist() == ["Dilaporkan"]


def test_the_point_picker_formats_the_age_in_days():
    row = {"id": "d9", "kelurahan": "Alpha", "kondisi": "tersumbat", "status": "dilaporkan", "umur_hari": 1428}
    assert drainase.point_label(row, "id").endswith("1.428 hari")
    assert drainase.point_label(row, "en").endswith("1,428 days")


def test_a_status_change_is_refused_for_the_future_or_before_the_report(small_lake):
    for when, status in ((dt.date(2025, 9, 30), "selesai"), (dt.date(2025, 8, 1), "selesai"),
                         (dt.date(2025, 9, 10), "hilang")):
        with pytest.raises(InputError):
            drainase.set_status(small_lake, "99.01", "d2", status, when, None, TODAY)
    with pytest.raises(InputError):
        drainase.set_status(small_lake, "99.01", "d9", "selesai", dt.date(2025, 9, 10), None, TODAY)
    assert not small_lake.exists("drainase_status")


def test_a_file_listing_a_point_again_does_not_reopen_one_fixed_later_in_the_app(demo_lake, tmp_path):
    shutil.copytree(demo_lake.path, tmp_path / "lake")
    lake = Lake(tmp_path / "lake")
    name = "lurah_bontang_drainase_koordinat.xlsx"
    request = pipeline.Request(kind="drainase", kota_kode="64.74", today=dt.date(2026, 2, 1))
    upload = Upload(name, (DATA / name).read_bytes())
    report = pipeline.prepare(upload, request, lake)
    pipeline.commit(report, upload, lake)
    point = report.accepted["id"].iloc[0]  # reported 6 January 2026 as "dilaporkan"
    drainase.set_status(lake, "64.74", point, "selesai", dt.date(2026, 1, 30), None, dt.date(2026, 2, 1))
    pipeline.commit(pipeline.prepare(upload, request, lake), upload, lake)  # the lurah sends the same list again
    again = partial(queries.run, lake.connect().cursor())("drainase_titik_by_kota", kota_kode="64.74",
                                                            hari_ini=dt.date(2026, 2, 1)).set_index("id")
    assert again.loc[point, "status"] == "selesai"


def test_the_rainy_season_countdown():
    assert drainase.next_rain("63.72", dt.date(2026, 11, 23)) == (dt.date(2027, 1, 1), dt.date(2027, 2, 28), 39)
    assert drainase.next_rain("63.72", dt.date(2027, 2, 10))[2] == 0
    text, near = drainase.countdown("63.72", dt.date(2026, 11, 23), 64, "id")
    assert near and text.startswith("Puncak musim hujan (Januari–Februari) mulai dalam 39 hari")
    assert not drainase.countdown("63.72", dt.date(2026, 6, 1), 64, "id")[1]


def test_open_points_export_as_xlsx_and_geojson(small_run):
    points = small_run("drainase_titik_by_kota", kota_kode="99.01", hari_ini=TODAY)
    open_points = points[points["status"].isin(drainase.OPEN)]
    collection = json.loads(drainase.geojson_bytes(open_points))
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 2
    first = collection["features"][0]
    assert first["geometry"]["type"] == "Point" and first["properties"]["kondisi"] in ("belum_ada", "tidak_berfungsi")
    sheet = load_workbook(io.BytesIO(export.xlsx_bytes(drainase.export_frame(open_points, "id"), "Drainase"))).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["ID titik", "Kecamatan", "Kelurahan"] and sheet.max_row == 3


def test_flood_events_ingest_with_a_message_per_row_and_replace_on_upload_again(demo_lake, tmp_path):
    shutil.copytree(demo_lake.path, tmp_path / "lake")
    lake = Lake(tmp_path / "lake")
    name = "bpbd_banjarbaru_banjir.xlsx"
    upload = Upload(name, (DATA / name).read_bytes())
    request = pipeline.Request(kind="banjir", kota_kode="63.72", today=dt.date(2026, 11, 23))
    report = pipeline.prepare(upload, request, lake)
    assert [(p.row, p.column.split(" (")[0], p.key) for p in report.problems] == [
        (4, "Kelurahan", "problem.duplicate_event"),
        (7, "Tanggal Kejadian", "problem.bad_date"),
        (8, "Rumah Terdampak", "problem.not_a_number"),
        (9, "Kelurahan", "problem.duplicate_event"),
    ]
    ok = report.rows[report.rows["status"] == "diterima"].set_index("row")
    assert ok["kelurahan_kode"].to_dict() == {5: "63.72.02.1004", 6: "63.72.05.1003"}  # row 6 by its point
    assert ok.loc[5, "kedalaman_cm"] == 70 and ok.loc[5, "rumah_terdampak"] == 120
    assert not report.ok  # a file with errors is refused whole
    # Fixed by the data officer: only the two good rows are sent.
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Kelurahan", "Tanggal", "Kedalaman (cm)", "Rumah terdampak"])
    ws.append(["Guntung Payung", "03/02/2026", 70, 120])
    ws.append(["Palam", "28/02/2026", 50, 20])
    data = io.BytesIO()
    wb.save(data)
    fixed = Upload("banjir_perbaikan.xlsx", data.getvalue())
    before = len(lake.read("banjir"))
    for _ in range(2):
        pipeline.commit(pipeline.prepare(fixed, request, lake), fixed, lake)
    assert len(lake.read("banjir")) == before + 2  # the same events again replace, never add
    events = partial(queries.run, lake.connect().cursor())("banjir_by_kota", kota_kode="63.72",
                                                            dari=dt.date(2026, 2, 1), sampai=dt.date(2026, 2, 28))
    assert {"Guntung Payung", "Palam"} <= set(events["kelurahan"])


BPBD_HEADER = ["periode_data", "triwulan", "bulan", "wilayah", "kecamatan", "kelurahan",
               "jumlah_rata_rata_ketinggian_air", "jumlah_rw_terdampak", "jumlah_kk_terdampak", "jumlah_jiwa_terdampak",
               "jumlah_kejadian", "jumlah_korban_meninggal", "jumlah_korban_luka", "jumlah_pengungsi",
               "jumlah_tempat_pengungsian"]


def test_a_bpbd_table_per_kelurahan_and_month_goes_in_as_it_comes(demo_lake, tmp_path):
    """DKI's BPBD export: names only, the month as Bulan beside periode_data, the water height as a range,
    a "wilayah" column before the kelurahan, RW, KK and people affected, and the events of the month."""
    shutil.copytree(demo_lake.path, tmp_path / "lake")
    lake = Lake(tmp_path / "lake")
    rows = [[2026, "I", "Januari", "Kota Banjarbaru", "Landasan Ulin", "Guntung Payung", "30 s.d 80 cm", 3, 120, 410, 2,
             0, 0, 35, 1],
            [2026, "I", "2", "Kota Banjarbaru", "Liang Anggang", "Kel. Landasan Ulin Tengah", "10 s.d 30 cm", 1, 15, 52,
             1, 0, 0, 0, 0],
            ["202603", "I", "", "Kota Banjarbaru", "Cempaka", "Palam", "45 cm", 2, 40, 130, 1, 0, 1, 0, 0]]
    path = tmp_path / "Filedata Data Kejadian Bencana Banjir.csv"
    path.write_text("\n".join(",".join(map(str, r)) for r in [BPBD_HEADER, *rows]) + "\n", encoding="utf-8")
    upload = Upload(path.name, path.read_bytes())
    request = pipeline.Request(kind="banjir", kota_kode="63.72", today=dt.date(2026, 11, 23))
    report = pipeline.prepare(upload, request, lake)
    assert report.ok, [p.message() for p in report.problems]
    assert [(key, t(key, "en", **values)) for key, values in report.notes] == [
        ("format.depth_range_midpoint", t("format.depth_range_midpoint", "en", n="2"))]
    got = report.accepted.set_index("kelurahan_kode")
    assert got.loc["63.72.02.1004", ["kedalaman_cm", "rumah_terdampak", "jiwa_terdampak", "kejadian"]].tolist() == \
        [55, 120, 410, 2]  # KK, not RW, are the households; the range's middle is the depth
    assert sorted(got["tanggal"]) == [dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)]
    assert got["kedalaman_cm"].tolist() == [55, 20, 45]
    pipeline.commit(report, upload, lake)
    events = partial(queries.run, lake.connect().cursor())("banjir_by_kota", kota_kode="63.72",
                                                            dari=dt.date(2026, 1, 1), sampai=dt.date(2026, 3, 31))
    labels = pd.DataFrame({"kode": events["kelurahan_kode"].unique(), "lon": 114.8, "lat": -3.45})  # label points
    shown = drainase.flood_frame(events[events["kejadian"].notna()], labels, "id")
    first = shown.set_index("kelurahan").loc["Guntung Payung"]
    assert first["nama"] == "Banjir Januari 2026: 2 kejadian"
    assert first["nilai_teks"] == "55 cm · 120 KK terdampak · 410 jiwa terdampak"
    assert shown["lon"].notna().all()  # no coordinates in the file: each month sits at its kelurahan


def test_a_bpbd_row_without_its_year_names_row_column_and_value(demo_lake, tmp_path):
    shutil.copytree(demo_lake.path, tmp_path / "lake")
    lake = Lake(tmp_path / "lake")
    path = tmp_path / "banjir.csv"
    path.write_text(",".join(BPBD_HEADER) + "\n" + ",I,Maret,Kota Banjarbaru,Cempaka,Palam,45,2,40,130,1,0,0,0,0\n"
                    "2026,I,Bulan13,Kota Banjarbaru,Cempaka,Palam,45,2,40,130,1,0,0,0,0\n", encoding="utf-8")
    report = pipeline.prepare(Upload(path.name, path.read_bytes()),
                              pipeline.Request(kind="banjir", kota_kode="63.72", today=dt.date(2026, 11, 23)), lake)
    assert not report.ok
    assert [(p.row, p.column.split(" (")[0], p.value, p.key) for p in report.errors] == [
        (2, "periode_data", None, "problem.date_required"), (3, "bulan", "Bulan13", "problem.bad_date")]


def test_a_province_wide_bpbd_table_keeps_the_kota_s_rows_and_says_which_it_left(demo_lake, tmp_path):
    """DKI's BPBD table covers five kota administrasi: only the chosen kota's rows are read, the others are
    counted by name in a warning (not refused), a misspelt own name still counts as its own, and the
    maximum water height is taken over the average when the table has both."""
    shutil.copytree(demo_lake.path, tmp_path / "lake")
    lake = Lake(tmp_path / "lake")
    header = BPBD_HEADER[:7] + ["ketinggian_air_maksimum"] + BPBD_HEADER[7:]
    rows = [[2026, "I", "Januari", "Kota Banjarbaru", "Landasan Ulin", "Guntung Payung", "30 s.d 80 cm", "120 cm", 3,
             120, 410, 2, 0, 0, 35, 1],
            [2026, "I", "Januari", "Kota Adm. Banjar Baru", "Cempaka", "Palam", "20", "40", 2, 40, 130, 1, 0, 1, 0, 0],
            [2026, "I", "Januari", "Jakarta Utara", "Penjaringan", "Pluit", "50", "90", 9, 900, 3000, 3, 0, 0, 0, 0],
            [2026, "I", "Januari", "Jakarta Utara", "Cilincing", "Marunda", "40", "70", 1, 50, 160, 1, 0, 0, 0, 0],
            [2026, "I", "Januari", "Kota Banjar", "Banjar", "Balokang", "10", "20", 1, 5, 12, 1, 0, 0, 0, 0]]
    path = tmp_path / "banjir_provinsi.csv"
    path.write_text("\n".join(",".join(map(str, r)) for r in [header, *rows]) + "\n", encoding="utf-8")
    upload = Upload(path.name, path.read_bytes())
    report = pipeline.prepare(upload, pipeline.Request(kind="banjir", kota_kode="63.72", today=dt.date(2026, 11, 23)),
                              lake)
    assert report.ok, [p.message() for p in report.errors]
    left = [p for p in report.problems if p.key == "problem.other_kota_rows_left"]
    assert len(left) == 1 and left[0].level == "warning" and left[0].column.startswith("wilayah")
    assert str(left[0].params["n"]) == "3" and str(left[0].params["names"]) == "Jakarta Utara (2), Kota Banjar (1)"
    # the counts are written in the reader's language when the message is
    many = fmt.Tally.of({"Kab. Kutai Timur": 1204, "Kota Samarinda": 310, "A": 3, "B": 2, "C": 1})
    assert many.localized("id") == "Kab. Kutai Timur (1.204), Kota Samarinda (310), A (3), B (2), …"
    assert many.localized("en") == "Kab. Kutai Timur (1,204), Kota Samarinda (310), A (3), B (2), …"
    got = report.accepted.set_index("kelurahan_kode")["kedalaman_cm"].to_dict()
    assert len(got) == 2 and got["63.72.02.1004"] == 120 and sorted(got.values()) == [40, 120], got
