"""Ingest of real-shaped OPD files: exact accepted totals, every message, commit, replace, history, undo."""

from __future__ import annotations

import datetime as dt
import math
from functools import partial
from pathlib import Path

import pytest

from pantau.errors import IngestError, UndoRefused
from pantau.ingest import pipeline
from pantau.ingest.sheets import Upload
from pantau.ingest.uploads import uploaded_at
from pantau.lake import queries
from pantau.views.data import history_frame, undo_label, undo_message

DATA = Path(__file__).parents[1] / "data"
AUG = dt.date(2025, 8, 1)
TODAY = dt.date(2026, 2, 1)


def upload(name: str) -> Upload:
    return Upload(name, (DATA / name).read_bytes())


def prepare(lake, name, kind="nilai", indicator="stunting", sumber="resmi", periode=AUG, kota="64.74", **kw):
    request = pipeline.Request(kind=kind, kota_kode=kota, indicator=indicator if kind == "nilai" else None,
                             sumber=sumber if kind == "nilai" else None, periode=periode if kind == "nilai" else None,
                             today=TODAY, **kw)
    return pipeline.prepare(upload(name), request, lake)


def problems(report, level=None):
    return [(p.row, (p.column or "")[-3:], p.key) for p in report.problems if level in (None, p.level)]


def slot(lake, indicator="stunting", sumber="resmi", periode=AUG, kota="64.74"):
    run = partial(queries.run, lake.connect().cursor())
    frame = run("nilai_by_bagian", panjang=13, wilayah_kode=kota, indikator=[indicator], sumber=sumber, periode=periode,
                periode_lalu=periode)
    frame = frame[frame["jumlah"].notna()]
    return {k: (int(j), int(p)) for k, j, p in zip(frame["kode"], frame["jumlah"], frame["penyebut"])}


def test_stunting_file_with_titles_merged_header_subtotals_and_typos(lake):
    report = prepare(lake, "dinkes_bontang_stunting_agustus_2025.xlsx")
    assert report.ok
    # 15 kelurahan rows; Guntung ("-") and Kanaan ("tidak ada data") did not report: missing, not zero.
    assert report.counts() == {"accepted": 13, "rejected": 0, "warnings": 2}
    assert report.totals == {"count": 645, "denominator": 7751}
    assert set(report.rows.loc[report.rows["status"] == "kosong", "kelurahan_kode"]) == {"64.74.01.1004", "64.74.03.1003"}
    assert problems(report, "error") == []
    # The subtotals and the grand total agree with the rows, so they raise nothing and count once.
    assert problems(report, "warning") == [(19, "(C)", "problem.fuzzy_kelurahan"), (None, "", "problem.missing_since_last")]
    fuzzy = report.problems[0]
    assert fuzzy.where("f.xlsx") == ("f.xlsx, baris 19, kolom KELURAHAN (C), nilai “Tanjung Laut Indh”: "
                                     "dibaca sebagai Tanjung Laut Indah (Bontang Selatan) (kemiripan 97 %)")
    assert fuzzy.where("f.xlsx", "en").startswith("f.xlsx, row 19, column KELURAHAN (C), value “Tanjung Laut Indh”: read as")
    accepted = report.accepted.set_index("kelurahan_kode")
    assert accepted.loc["64.74.01.1002", ["jumlah", "penyebut"]].tolist() == [97, 1208]  # "1.208" typed as text
    assert accepted.loc["64.74.01.1006", "jumlah"] == 35  # "Kelurahan Api Api" is Api-api


def test_commit_replaces_the_slot_and_undo_puts_back_what_was_there(lake):
    before = slot(lake)
    report = prepare(lake, "dinkes_bontang_stunting_agustus_2025.xlsx")
    first = pipeline.commit(report, upload("dinkes_bontang_stunting_agustus_2025.xlsx"), lake)
    after = slot(lake)
    assert len(after) == 13 and sum(j for j, _ in after.values()) == 645
    assert slot(lake, sumber="lapangan") == slot(lake, sumber="lapangan")  # other slots untouched
    second = pipeline.commit(prepare(lake, "dinkes_bontang_stunting_agustus_2025.xlsx"),
                           upload("dinkes_bontang_stunting_agustus_2025.xlsx"), lake)
    assert slot(lake) == after  # uploaded again: replaced, never added
    with pytest.raises(UndoRefused) as refused:
        lake.undo(first["upload_id"])
    assert second["upload_id"] in refused.value.message()
    lake.undo(second["upload_id"])
    assert slot(lake) == after
    lake.undo(first["upload_id"])
    assert slot(lake) == before
    with pytest.raises(UndoRefused):
        lake.undo(first["upload_id"])
    log = queries.run(lake.connect().cursor(), "riwayat_by_upload", kota_kode="64.74")
    assert len(log) == 4 and log["dibatalkan"].notna().sum() == 2
    assert set(log["sha256"]) == {upload("dinkes_bontang_stunting_agustus_2025.xlsx").sha256}
    assert set(log["membatalkan"].dropna()) == {first["upload_id"], second["upload_id"]}


def test_other_slots_and_other_kota_are_untouched_by_a_commit(lake):
    other = slot(lake, kota="14.71")
    lapangan = slot(lake, sumber="lapangan")
    pipeline.commit(prepare(lake, "dinkes_bontang_stunting_agustus_2025.xlsx"),
                  upload("dinkes_bontang_stunting_agustus_2025.xlsx"), lake)
    assert slot(lake, kota="14.71") == other and slot(lake, sumber="lapangan") == lapangan


def test_a_total_that_disagrees_with_its_rows_is_reported(lake):
    report = prepare(lake, "dinkes_bontang_stunting_total_salah.xlsx")
    assert report.ok  # a warning: the rows are what count
    mismatch = [p for p in report.problems if p.key == "problem.total_mismatch"]
    assert [(p.row, p.column, p.value) for p in mismatch] == [(25, "JUMLAH BALITA STUNTING (E)", "655")]
    assert "645" in mismatch[0].message()
    assert report.totals["count"] == 645


def test_a_file_for_another_kota_or_another_month_is_refused(lake):
    report = prepare(lake, "dinkes_pekanbaru_dikirim_ke_bontang.xlsx")
    assert not report.ok
    assert problems(report, "error") == [(1, "", "problem.title_kota")]
    assert report.errors[0].message() == "berkas ini untuk Kota Pekanbaru, bukan Kota Bontang"
    report = prepare(lake, "dinkes_bontang_stunting_juli.xlsx")
    assert problems(report, "error") == [(2, "", "problem.title_period")]
    assert "Juli 2025" in report.errors[0].message() and "Agustus 2025" in report.errors[0].message()


def test_semicolon_windows_1252_csv_with_codes_and_indonesian_numbers(lake):
    report = prepare(lake, "disdik_bontang_ats_agustus_2025.csv", indicator="putus_sekolah")
    assert problems(report, "error") == []
    assert report.counts()["accepted"] == 5
    # 2.140 + 5.802 + 4.410 + 4.001 + 1.050; Guntung sent "-" and is not counted.
    assert report.totals == {"count": 291, "denominator": 17403}
    assert not [p for p in report.problems if p.key == "problem.total_mismatch"]  # "Jml" row agrees


def test_every_row_error_names_row_column_and_value(lake):
    report = prepare(lake, "dinsos_bontang_kesalahan.xlsx", indicator="kemiskinan_ekstrem")
    assert not report.ok
    assert sorted(problems(report, "error"), key=lambda p: (p[0], p[2])) == [
        (4, "(E)", "problem.not_a_number"),
        (5, "(E)", "problem.negative"),
        (6, "(E)", "problem.count_over_denominator"),
        (7, "(C)", "problem.unknown_kelurahan"),
        (8, "(C)", "problem.duplicate"),
        (9, "(C)", "problem.duplicate"),
        (10, "(D)", "problem.not_integer"),
    ]
    by_row = {p.row: p for p in report.errors}
    assert by_row[4].value == "2O" and by_row[4].column == "RT Miskin Ekstrem (E)"
    assert "Bontang Baru (Bontang Utara)" in by_row[7].message()
    assert by_row[8].message() == "kelurahan yang sama muncul lebih dari sekali (baris 8, 9)"
    assert by_row[6].message("en") == "count larger than its denominator (90)"
    # A refused file stores nothing: 0 rows accepted, though one row (Belimbing) has no error of its own.
    assert report.counts() == {"accepted": 0, "rejected": 7, "warnings": 3} and report.valid_rows == 1
    # Each cell that could not be read shows as the file wrote it, never as None.
    shown = report.rows.set_index("row")
    assert shown.loc[5, "jumlah"] == -3 and shown.loc[4, "jumlah"] == "2O" and shown.loc[10, "penyebut"] == "1,5"
    with pytest.raises(IngestError):
        pipeline.commit(report, upload("dinsos_bontang_kesalahan.xlsx"), lake)


def test_a_confirmed_name_is_remembered_for_the_next_upload_of_that_kota(lake):
    pipeline.remember_aliases(lake, "64.74", {"Kampung Baru": "64.74.01.1002"})
    report = prepare(lake, "dinsos_bontang_kesalahan.xlsx", indicator="kemiskinan_ekstrem")
    row7 = report.rows.set_index("row").loc[7]
    assert row7["kelurahan_kode"] == "64.74.01.1002"
    # ...and Bontang Baru is then both row 5 and row 7: the same kelurahan twice.
    assert (7, "(C)", "problem.duplicate") in problems(report, "error")
    other = prepare(lake, "dinkes_bontang_stunting_agustus_2025.xlsx", kota="64.74")
    assert other.ok


def test_drainage_points_found_by_point_in_polygon_and_outside_points_flagged(lake):
    report = prepare(lake, "pupr_bontang_drainase.csv", kind="drainase")
    assert sorted(problems(report)) == sorted([
        (6, "(H)", "problem.reporter_person"),
        (7, "(C)", "problem.outside_kota"),
        (8, "(C)", "problem.bad_coordinate"),
    ])
    ok = report.rows[report.rows["status"] != "ditolak"].set_index("row")
    assert ok["kelurahan_kode"].to_dict() == {4: "64.74.01.1002", 5: "64.74.02.1002", 6: "64.74.03.1003"}
    assert ok["kondisi"].to_dict() == {4: "tersumbat", 5: "tidak_berfungsi", 6: "belum_ada"}
    assert ok.loc[5, "status_titik"] == "ditangani" and ok.loc[5, "tanggal_lapor"] == dt.date(2026, 1, 12)
    assert ok.loc[6, "pelapor"] == "warga"  # a person's name never reaches the lake
    assert list(report.accepted["sumber"]) == ["resmi", "lapangan", "lapangan"]


def test_one_lat_lon_column_in_either_decimal_style_and_swapped_coordinates(lake):
    report = prepare(lake, "lurah_bontang_drainase_koordinat.xlsx", kind="drainase")
    assert problems(report, "error") == []
    assert problems(report, "warning") == [(5, "(C)", "problem.swapped_coordinate")]
    assert list(report.accepted["kelurahan_kode"]) == ["64.74.01.1003", "64.74.03.1003", "64.74.01.1003"]
    record = pipeline.commit(report, upload("lurah_bontang_drainase_koordinat.xlsx"), lake)
    points = lake.read("drainase").to_pandas()
    mine = points[points["upload_id"] == record["upload_id"]]
    assert len(mine) == 3
    assert (points["upload_id"].str.startswith("demo-")).sum() == len(points) - 3  # the kota's other points kept
    again = pipeline.commit(prepare(lake, "lurah_bontang_drainase_koordinat.xlsx", kind="drainase"),
                          upload("lurah_bontang_drainase_koordinat.xlsx"), lake)
    assert len(lake.read("drainase")) == len(points)  # the same points updated, not added
    lake.undo(again["upload_id"])
    lake.undo(record["upload_id"])
    assert sorted(lake.read("drainase").column("id").to_pylist()) == sorted(points.loc[points["upload_id"].str.startswith("demo-"), "id"])


def test_drainage_recap_every_rule_runs_column_wise_with_the_persons_row_numbers(lake):
    report = prepare(lake, "bpbd_bontang_drainase_rekap.csv", kind="drainase")
    assert problems(report) == [
        (6, "(C)", "problem.point_elsewhere"),
        (8, "(F)", "problem.bad_condition"),
        (9, "(G)", "problem.bad_status"),
        (10, "(H)", "problem.bad_date"),
        (11, "(H)", "problem.future_date"),
        (12, "(H)", "problem.date_missing"),
        (13, "(D)", "problem.duplicate_point"),
        (14, "(D)", "problem.duplicate_point"),
    ]
    by_row = {p.row: p for p in report.problems}
    assert by_row[9].value == "entah" and by_row[10].value == "31/02/2026" and by_row[8].value is None
    assert by_row[13].value == "0,12445; 117,44954"
    # The blank line (7), the JUMLAH row (15) and the note under the table (16) are not points.
    assert list(report.rows["row"]) == [5, 6, 8, 9, 10, 11, 12, 13, 14]
    assert report.rows.set_index("row")["status"].to_dict() == {
        5: "diterima", 6: "peringatan", 8: "ditolak", 9: "ditolak", 10: "ditolak", 11: "ditolak",
        12: "peringatan", 13: "ditolak", 14: "ditolak"}
    ok = report.accepted.set_index("lat")
    assert ok["kelurahan_kode"].to_dict() == {0.146: "64.74.01.1002", 0.11616: "64.74.02.1002",
                                              0.1465: "64.74.01.1002"}  # the point decides, not the name
    assert ok.loc[0.1465, "tanggal_lapor"] == TODAY and ok.loc[0.1465, "sumber"] == "lapangan"
    assert list(ok["sumber"][:2]) == ["resmi", "resmi"]
    assert report.accepted["id"].is_unique and report.accepted["id"].str.match(r"^64\.74-[0-9a-f]{12}$").all()


def test_csv_read_column_wise_equals_the_row_reader_even_with_a_wide_row_far_down():
    import csv
    import io

    from pantau.ingest.sheets import read_grid

    lines = ["REKAP;;", "", "No;Kelurahan;Jumlah"] + [f"{i}; Kanaan ;{i}.000" for i in range(1, 60)]
    narrow = Upload("a.csv", "\n".join(lines).encode())
    wide = Upload("b.csv", "\n".join(lines + ["60;Satimpo;1;catatan di luar tabel"]).encode())

    def by_rows(up):
        rows = [[c.strip() or None for c in r] for r in csv.reader(io.StringIO(up.data.decode()), delimiter=";")]
        width = max(len(r) for r in rows)
        return [r + [None] * (width - len(r)) for r in rows]

    for up in (narrow, wide):
        grid = read_grid(up, 10 ** 6)
        assert grid.head(len(grid)) == by_rows(up)
    assert read_grid(wide, 10 ** 6).row(62) == ["60", "Satimpo", "1", "catatan di luar tabel"]


def test_near_border_points_land_in_the_kelurahan_that_contains_them(lake):
    import shapely

    from pantau.lake import geo

    run = partial(queries.run, lake.connect().cursor())
    geometry = run("geometry_by_kota", kota_kode="64.74")
    kel = geometry[geometry["tingkat"] == "kelurahan"].set_index("kode")
    a, b = (geo.shapes([kel.at[k, "geometry"]])[0] for k in ("64.74.01.1002", "64.74.01.1001"))
    border = a.boundary.intersection(b.boundary).representative_point()
    locate = geo.point_locator(geometry)
    lons, lats, expected = [], [], []
    # Points about 20 m from the shared border, one on each side.
    ring = [shapely.Point(border.x + 0.00018 * math.cos(k * math.pi / 16), border.y + 0.00018 * math.sin(k * math.pi / 16))
            for k in range(32)]
    for kode, poly in (("64.74.01.1002", a), ("64.74.01.1001", b)):
        point = next(p for p in ring if poly.contains(p))
        lons.append(point.x), lats.append(point.y), expected.append(kode)
    assert locate(lons, lats) == expected


def test_missing_denominator_column_is_refused_unless_stored_denominators_exist(lake, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Kelurahan", "Anak tidak sekolah"])
    ws.append(["Bontang Kuala", 12])
    ws.append(["Kanaan", 3])
    path = tmp_path / "ats_tanpa_penyebut.xlsx"
    wb.save(path)
    request = pipeline.Request(kind="nilai", kota_kode="64.74", indicator="putus_sekolah", sumber="resmi",
                             periode=AUG, today=TODAY)
    report = pipeline.prepare(Upload(path.name, path.read_bytes()), request, lake)
    assert (None, "", "problem.no_denominator_column") in problems(report, "error")
    wb = Workbook()
    ws = wb.active
    ws.append(["Kode kelurahan", "Kelurahan", "Anak usia sekolah 7-18", "Rumah tangga"])
    ws.append(["64.74.01.1001", "Bontang Kuala", "2.000", 900])
    ws.append(["64.74.03.1003", "Kanaan", 1000, 400])
    path2 = tmp_path / "penyebut.xlsx"
    wb.save(path2)
    pen = pipeline.prepare(Upload(path2.name, path2.read_bytes()),
                         pipeline.Request(kind="penyebut", kota_kode="64.74", tahun=2025, today=TODAY), lake)
    assert pen.ok and pen.totals["count"] == 4300
    pipeline.commit(pen, Upload(path2.name, path2.read_bytes()), lake)
    report = pipeline.prepare(Upload(path.name, path.read_bytes()), request, lake)
    assert report.ok
    assert report.accepted.set_index("kelurahan_kode")["penyebut"].to_dict() == {"64.74.01.1001": 2000, "64.74.03.1003": 1000}
    assert {p.key for p in report.warnings} >= {"problem.denominator_from_table"}


def test_upload_queries_keep_their_grain(lake):
    run = partial(queries.run, lake.connect().cursor())
    pipeline.remember_aliases(lake, "64.74", {"Kampung Baru": "64.74.01.1002"})
    pipeline.remember_aliases(lake, "64.74", {"Kampung Baru": "64.74.01.1001"})  # corrected later: the latest wins
    run = partial(queries.run, lake.connect().cursor())
    aliases = run("alias_by_kota", kota_kode="64.74")
    assert aliases.to_dict("records") == [{"nama": "kampung baru", "kelurahan_kode": "64.74.01.1001"}]
    record = pipeline.commit(prepare(lake, "dinkes_bontang_stunting_agustus_2025.xlsx"),
                           upload("dinkes_bontang_stunting_agustus_2025.xlsx"), lake)
    history = queries.run(lake.connect().cursor(), "riwayat_by_upload", kota_kode=None)
    assert history["upload_id"].is_unique and list(history["upload_id"]) == [record["upload_id"]]
    assert queries.run(lake.connect().cursor(), "riwayat_by_upload", kota_kode="14.71").empty


@pytest.mark.parametrize("name", ["batas_tarakan.geojson", "batas_tarakan_shp.zip", "batas_tarakan.gpkg"])
def test_boundaries_of_a_new_kota_in_three_formats(lake, name):
    report = pipeline.prepare(upload(name), pipeline.Request(kind="wilayah", kota_kode=""), lake)
    assert report.context.kota_kode == "65.71" and report.ok
    assert report.counts()["accepted"] == 19
    assert [(p.key, p.level) for p in report.problems] == [("problem.boundary_missing", "warning")]
    assert "Juata Kerikil" in report.problems[0].message()
    record = pipeline.commit(report, upload(name), lake)
    run = partial(queries.run, lake.connect().cursor())
    kotas = run("kota_list").set_index("kode")
    assert kotas.loc["65.71", "nama"] == "Kota Tarakan"
    assert kotas.loc["65.71", "kelurahan_total"] == 20 and kotas.loc["65.71", "kelurahan_with_boundary"] == 19
    wilayah = run("kelurahan_by_kota", kota_kode="65.71")
    assert set(wilayah["tingkat"]) == {"kecamatan", "kelurahan"} and wilayah["luas_km2"].notna().sum() >= 19
    assert len(kotas) == 5  # the demo cities are untouched
    lake.undo(record["upload_id"])
    assert "65.71" not in set(queries.run(lake.connect().cursor(), "kota_list")["kode"])


def test_boundaries_checked_against_the_chosen_kota(lake):
    report = pipeline.prepare(upload("batas_tarakan.geojson"), pipeline.Request(kind="wilayah", kota_kode="64.74"), lake)
    assert not report.ok
    assert {p.key for p in report.errors} == {"problem.other_kota_code"} and len(report.errors) == 19
    assert report.errors[0].row == 1 and report.errors[0].column == "KDEPUM"


def test_a_new_kota_takes_monthly_figures_once_its_boundaries_are_in(lake, tmp_path):
    pipeline.commit(pipeline.prepare(upload("batas_tarakan.geojson"), pipeline.Request(kind="wilayah", kota_kode=""), lake),
                  upload("batas_tarakan.geojson"), lake)
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["DINAS KESEHATAN KOTA TARAKAN"])
    ws.append(["Kelurahan", "Balita diukur", "Balita stunting"])
    ws.append(["Kel. Juata Kerikil", "310", "41"])
    ws.append(["KARANG ANYAR", "1.020", "77"])
    path = tmp_path / "tarakan.xlsx"
    wb.save(path)
    report = pipeline.prepare(Upload(path.name, path.read_bytes()),
                            pipeline.Request(kind="nilai", kota_kode="65.71", indicator="stunting", sumber="resmi",
                                           periode=AUG, today=TODAY), lake)
    assert report.ok and report.totals == {"count": 118, "denominator": 1330}


def test_the_check_report_downloads_as_xlsx_with_its_three_sheets(lake):
    import io

    from openpyxl import load_workbook

    from pantau.views.data import report_xlsx

    report = prepare(lake, "dinsos_bontang_kesalahan.xlsx", indicator="kemiskinan_ekstrem")
    names = {"64.74.01.1001": "Bontang Kuala"}
    book = load_workbook(io.BytesIO(report_xlsx(report, "dinsos.xlsx", "abc", "id", names)))
    assert book.sheetnames == ["Ringkasan", "Masalah", "Baris"]
    problems_sheet = list(book["Masalah"].values)
    assert problems_sheet[0] == ("Tingkat", "Baris", "Kolom", "Nilai", "Pesan")
    assert ("Kesalahan", "5", "RT Miskin Ekstrem (E)", "'-3", "angka negatif") in problems_sheet  # defused
    rows_sheet = list(book["Baris"].values)
    assert len(rows_sheet) == 1 + 8
    assert rows_sheet[2][:2] == (5, "Bontang Baru") and rows_sheet[2][4] == -3  # the −3 of the file, not None
    assert rows_sheet[1][4] == "2O"
    summary = dict(list(book["Ringkasan"].values)[1:])
    assert summary["Baris diterima"] == "0" and summary["Keputusan"].startswith("Ditolak")



# --- The audit of 1 December 2026 (M11): saved once, refused means 0, cells as written, names confirmed,
# --- jumps in one unit, undo read as an undo.

NOV = dt.date(2026, 11, 1)
BONTANG_NOV = [  # Dinkes Bontang, stunting (resmi), November 2026: kelurahan, children measured, stunted
    ("Bontang Kuala", 512, 36), ("Bontang Baru", 518, 24), ("Lok Tuan", 321, 25), ("Guntung", 1170, 121),
    ("Gunung Elai", 460, 19), ("Api-api", 702, 51), ("Tanjung Laut", 1530, 77), ("Berbas Tengah", 355, 23),
    ("Berbas Pantai", 590, 24), ("Satimpo", 1861, 243), ("Bontang Lestari", 1420, 209),
    ("Tanjung Laut Indah", 730, 62), ("Belimbing", 1080, 73), ("Gunung Telihan", 495, 35), ("Kanaan", 1150, 90),
]
HEX_ID = r"\b[0-9a-f]{16}\b"


def bontang_november(**changes) -> Upload:
    """The month's file as a CSV, with some rows changed: {"Lok Tuan": ("Lok Tuwan", 321, 25)}."""
    lines = ["Rekapitulasi Balita Stunting - Dinas Kesehatan Kota Bontang;;;", "Periode: November 2026;;;", ";;;",
             "No;Nama Kelurahan;Jumlah balita diukur;Jumlah balita stunting"]
    for i, row in enumerate(BONTANG_NOV, start=1):
        name, measured, stunted = changes.get(row[0], row)
        lines.append(f"{i};{name};{measured};{stunted}")
    return Upload("dinkes_bontang_november.csv", "\n".join(lines).encode())


def prepare_november(lake, file: Upload):
    request = pipeline.Request(kind="nilai", kota_kode="64.74", indicator="stunting", sumber="resmi", periode=NOV,
                             today=dt.date(2026, 11, 23))
    return pipeline.prepare(file, request, lake)


def test_a_prepared_upload_is_saved_once(lake):
    import re

    file = upload("dinkes_bontang_stunting_agustus_2025.xlsx")
    report, twin = prepare(lake, file.name), prepare(lake, file.name)
    logged = len(lake.uploads())
    record = pipeline.commit(report, file, lake)
    with pytest.raises(pipeline.AlreadyCommitted) as again:
        pipeline.commit(report, file, lake)  # the same prepared upload: the page's Simpan pressed twice
    message = again.value.message()
    assert message.startswith("dinkes_bontang_stunting_agustus_2025.xlsx sudah disimpan (Stunting, Resmi, Agustus "
                              "2025, Kota Bontang, 13 baris) pada ") and message.endswith("; tidak disimpan dua kali.")
    assert "WITA" in message and not re.search(HEX_ID, message)
    assert "was already saved" in again.value.message("en")
    with pytest.raises(pipeline.AlreadyCommitted):
        pipeline.commit(twin, file, lake)  # prepared before that save (another tab or session): refused too
    assert len(lake.uploads()) == logged + 1 and record["baris"] == 13
    # Checked again after the save, the same file may replace the figures on purpose (and is never added).
    pipeline.commit(prepare(lake, file.name), file, lake)
    assert len(lake.uploads()) == logged + 2 and len(slot(lake)) == 13


def test_a_name_found_only_by_similarity_waits_for_the_officer_and_is_then_remembered(lake):
    file = bontang_november(**{"Lok Tuan": ("Lok Tuwan", 321, 25)})
    report = prepare_november(lake, file)
    assert not report.ok and report.counts()["accepted"] == 0
    assert [(p.row, p.key) for p in report.errors] == [(7, "match.confirm_kelurahan")]
    assert report.errors[0].message() == ("mirip Lok Tuan (Bontang Utara) (kemiripan 94 %) tetapi belum pasti: "
                                          "pastikan namanya di bagian “Nama kelurahan yang perlu dipastikan” "
                                          "sebelum menyimpan")
    assert [(s["nama"], s["how"], s["pilihan"][0][0]) for s in report.suggestions] == \
        [("Lok Tuwan", "confirm", "64.74.01.1003")]
    with pytest.raises(IngestError):
        pipeline.commit(report, file, lake)
    pipeline.remember_aliases(lake, "64.74", {"Lok Tuwan": "64.74.01.1003"})  # what the page's button does
    again = prepare_november(lake, file)
    assert again.ok and again.counts()["accepted"] == 15 and not again.suggestions
    assert again.rows.set_index("row").at[7, "kelurahan_kode"] == "64.74.01.1003"
    # A long name with one slipped letter is still taken, with a warning naming what it was read as.
    sure = prepare_november(lake, bontang_november(**{"Tanjung Laut Indah": ("Tanjung Laut Indh", 730, 62)}))
    assert sure.ok and [p.key for p in sure.warnings] == ["problem.fuzzy_kelurahan"]


def test_a_jump_compares_two_rates_or_two_counts_never_a_rate_with_a_count(lake):
    from types import SimpleNamespace

    from pantau.ingest.rules import figures
    from pantau.ingest.rules.base import Collector

    # Kanaan: 92 of 1.142 children in October (8,1 %), now 150 of 120 (125,0 %; also an impossible rate).
    report = prepare_november(lake, bontang_november(Kanaan=("Kanaan", 120, 150)))
    jump = next(p for p in report.problems if p.key.startswith("validate.jump"))
    assert jump.row == 19 and jump.level == "warning"
    assert jump.message() == "naik tajam dari 8,1 % bulan lalu menjadi 125,0 % (15,5 kali lipat)"
    assert jump.message("en") == "rose sharply from 8.1% last month to 125.0% (15.5 times as much)"  # English numbers
    assert jump.message("id") == "naik tajam dari 8,1 % bulan lalu menjadi 125,0 % (15,5 kali lipat)"
    assert "problem.count_over_denominator" in {p.key for p in report.errors}
    # Without a denominator in one of the months, two counts.
    c = Collector()
    figures._jump(c, SimpleNamespace(row=3, cells={"jumlah": "12"}), "E", 12, None, (80, 1000), True)
    assert [p.message() for p in c.problems] == ["turun tajam dari 80 bulan lalu menjadi 12"]


def test_a_negative_cell_keeps_its_value_in_the_preview(lake):
    from pantau.views.data import rows_frame

    report = prepare_november(lake, bontang_november(**{"Bontang Baru": ("Bontang Baru", 518, -3)}))
    assert [(p.row, p.key, p.value) for p in report.errors] == [(6, "problem.negative", "-3")]
    assert report.counts() == {"accepted": 0, "rejected": 1, "warnings": 0} and report.valid_rows == 14
    frame = rows_frame(report, "id", {})
    assert frame.set_index("Baris").at[6, "Jumlah"] == "-3"
    assert frame["Jumlah"].notna().all() and frame["Penyebut"].notna().all()
    # The file is refused, so none of its rows is saved: the clean ones do not read "Diterima".
    status = frame.set_index("Baris")["Hasil"]
    assert status[6] == "Ditolak" and set(status.drop(6)) == {"Benar, tidak disimpan (berkas ditolak)"}
    assert set(rows_frame(report, "en", {})["Result"]) == {"Rejected", "Correct, not saved (file refused)"}


def test_undo_is_listed_as_the_undo_of_that_upload_with_the_rows_it_put_back(lake):
    import re

    names = {"64.74": "Kota Bontang"}
    before = len(slot(lake))
    august = pipeline.commit(prepare(lake, "dinkes_bontang_stunting_agustus_2025.xlsx"),
                           upload("dinkes_bontang_stunting_agustus_2025.xlsx"), lake, pengguna="dinkes")
    november = pipeline.commit(prepare_november(lake, bontang_november()), bontang_november(), lake)
    history = lambda: queries.run(lake.connect().cursor(), "riwayat_by_upload", kota_kode="64.74")  # noqa: E731
    log = {r["upload_id"]: r for r in history().to_dict("records")}
    undone_aug = lake.undo(august["upload_id"], pengguna="admin")
    undone_nov = lake.undo(november["upload_id"])
    assert undone_aug["baris"] == before == 15 and undone_nov["baris"] == 0
    assert undo_message(log[august["upload_id"]], undone_aug) == (
        f"Unggahan Stunting, Resmi, Agustus 2025, 64.74 dari {uploaded_at(log[august['upload_id']])} "
        "dibatalkan; 15 baris yang ada sebelumnya dipulihkan.")
    assert undo_message(log[november["upload_id"]], undone_nov, "id", "Kota Bontang").endswith(
        "dibatalkan. Sebelum unggahan itu belum ada angka, jadi bagian ini kosong lagi.")
    frame = history_frame(history(), "id", names)
    assert list(frame.columns) == ["Waktu", "Unggahan", "Berkas", "Baris disimpan", "Baris dipulihkan", "Oleh",
                                   "Keadaan", "ID unggahan"]
    rows = frame.set_index("ID unggahan")
    undo_aug = rows.loc[undone_aug["upload_id"]]
    assert undo_aug["Unggahan"] == ("Pembatalan unggahan Stunting, Resmi, Agustus 2025, Kota Bontang dari "
                                    + uploaded_at(log[august["upload_id"]]))
    assert (undo_aug["Baris disimpan"], undo_aug["Baris dipulihkan"], undo_aug["Keadaan"], undo_aug["Oleh"]) == \
        ("", "15", "Pembatalan", "admin")
    assert rows.loc[undone_nov["upload_id"], "Baris dipulihkan"] == "0"
    upload_aug = rows.loc[august["upload_id"]]
    assert (upload_aug["Unggahan"], upload_aug["Baris disimpan"], upload_aug["Baris dipulihkan"]) == \
        ("Stunting, Resmi, Agustus 2025, Kota Bontang", "13", "")
    assert upload_aug["Keadaan"].startswith("Dibatalkan ") and upload_aug["Keadaan"].endswith(" WITA")
    assert upload_aug["Waktu"].endswith(" WITA") and "+00:00" not in upload_aug["Waktu"]
    shown = frame.drop(columns=["ID unggahan"]).to_string()
    assert not re.search(HEX_ID, shown)
    english = history_frame(history(), "en", names)
    assert english.iloc[0]["Upload"].startswith("Undo of the upload Stunting, Official, November 2026, Kota Bontang of ")
    assert undo_label(log[august["upload_id"]], "id", "Kota Bontang").startswith(
        "Stunting, Resmi, Agustus 2025, Kota Bontang · dinkes_bontang_stunting_agustus_2025.xlsx · ")


# --- The Data page itself, under Streamlit's AppTest.

def _data_page(lake, monkeypatch, **params):
    from streamlit.testing.v1 import AppTest

    from pantau import settings

    monkeypatch.setenv("PANTAU_LAKE", str(lake.path))
    monkeypatch.setenv("PANTAU_TODAY", "2026-11-23")
    at = AppTest.from_file(str(settings.ROOT / "app.py"), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/data.py")
    _run(at)
    return at


def _run(at):
    # Under AppTest a switched-to page first runs on its own and reruns through app.py, which would eat a
    # button's click; saying the navigation is in place lets the click reach the page.
    at.session_state["_pantau_nav"] = True
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at) -> list[str]:
    return [e.value for kind in ("success", "info", "error", "warning", "caption") for e in getattr(at, kind)]


def test_data_page_after_saving_shows_what_was_saved_and_no_second_save(lake, monkeypatch):
    import re

    at = _data_page(lake, monkeypatch, kota="64.74")
    assert "python -m pantau" not in at.info[0].value and "halaman Data" in at.info[0].value  # the DEMO banner
    uploader = at.file_uploader[0]
    assert uploader.label == "Berkas XLSX, XLS, ODS atau CSV, paling besar 50 MB"
    assert "Jenis berkas yang diterima: XLSX, XLS, XLSM, ODS, CSV. Batas ukuran 50 MB per berkas." in _texts(at)
    at.selectbox(key="up_periode").set_value(AUG)
    _run(at)
    data = (DATA / "dinkes_bontang_stunting_agustus_2025.xlsx").read_bytes()
    at.file_uploader[0].set_value(("stunting.xlsx", data, "application/vnd.ms-excel"))
    _run(at)
    assert [m.value for m in at.metric][:2] == ["13", "0"]
    assert any("siap disimpan" in s.value for s in at.success)
    assert at.button(key="commit").label == "Simpan" and not at.button(key="commit").disabled
    logged = len(lake.uploads())
    at.button(key="commit").click()
    _run(at)
    assert len(lake.uploads()) == logged + 1
    assert [s.value.split(" (")[0] for s in at.success] == [
        "Tersimpan: Stunting, Resmi, Agustus 2025, Kota Bontang, 13 baris dari berkas stunting.xlsx"]
    assert not any("siap disimpan" in text for text in _texts(at))
    assert not [b for b in at.button if b.key == "commit"] and at.file_uploader[0].value is None
    assert not any(re.search(HEX_ID, text) for text in _texts(at))
    _run(at)  # another click anywhere: the saved state stays until the next file
    assert at.success[0].value.startswith("Tersimpan: ")
    # The same file chosen again: said to be saved, and Simpan cannot be pressed.
    at.file_uploader[0].set_value(("stunting.xlsx", data, "application/vnd.ms-excel"))
    _run(at)
    assert any(i.value.startswith("Berkas ini sudah disimpan: Stunting, Resmi, Agustus 2025") for i in at.info)
    assert at.button(key="commit").disabled and not at.success
    assert len(lake.uploads()) == logged + 1


def test_data_page_refused_file_negative_cell_and_a_name_to_confirm(lake, monkeypatch):
    at = _data_page(lake, monkeypatch, kota="64.74")
    at.selectbox(key="up_periode").set_value(NOV)
    _run(at)
    bad = bontang_november(**{"Lok Tuan": ("Lok Tuwan", 321, 25), "Bontang Baru": ("Bontang Baru", 518, -3),
                              "Kanaan": ("Kanaan", 120, 150)})
    at.file_uploader[0].set_value((bad.name, bad.data, "text/csv"))
    _run(at)
    assert at.metric[0].label == "Baris diterima" and at.metric[0].value == "0"
    assert any(e.value.endswith("Tidak ada data yang disimpan.") for e in at.error)
    assert "12 baris tanpa kesalahan, tetapi tidak ada yang disimpan karena berkas ditolak. " \
           "Perbaiki kesalahan lalu unggah ulang berkasnya." in _texts(at)
    assert at.button(key="commit").disabled
    problems_shown = at.dataframe[0].value
    assert "naik tajam dari 8,1 % bulan lalu menjadi 125,0 % (15,5 kali lipat)" in set(problems_shown["Pesan"])
    rejected = at.dataframe[1].value.set_index("Baris")
    assert rejected.at[6, "Jumlah"] == "-3" and "None" not in rejected.astype(str).to_string()
    fine = at.dataframe[2].value  # the rows without an error: not "Diterima", since nothing is stored
    assert set(fine["Hasil"]) <= {"Tanpa kesalahan (tidak disimpan)", "Ada peringatan (tidak disimpan)"}
    confirm = at.selectbox(key="alias_64.74_7")
    assert confirm.label == "Baris 7: “Lok Tuwan”, mirip Lok Tuan (Bontang Utara) (94 %). Benar?"
    assert confirm.value == "64.74.01.1003"  # proposed; the officer confirms it with the button
    # A file whose only doubt is that name: not savable until confirmed, then savable and remembered.
    doubt = bontang_november(**{"Lok Tuan": ("Lok Tuwan", 321, 25)})
    at.file_uploader[0].set_value((doubt.name, doubt.data, "text/csv"))
    _run(at)
    assert at.button(key="commit").disabled and at.metric[0].value == "0"
    at.button(key="names_save").click()
    _run(at)
    assert not at.button(key="commit").disabled and at.metric[0].value == "15"
    assert not [s for s in at.selectbox if s.key and s.key.startswith("alias_")]
    aliases = queries.run(lake.connect().cursor(), "alias_by_kota", kota_kode="64.74")
    assert aliases.to_dict("records") == [{"nama": "lok tuwan", "kelurahan_kode": "64.74.01.1003"}]


def test_data_page_history_names_the_undo_and_templat_follows_the_upload_kota(lake, monkeypatch):
    import re

    record = pipeline.commit(prepare(lake, "dinkes_bontang_stunting_agustus_2025.xlsx"),
                           upload("dinkes_bontang_stunting_agustus_2025.xlsx"), lake)
    at = _data_page(lake, monkeypatch, kota="64.74")
    at.selectbox(key="up_kota").set_value("63.72")
    _run(at)
    at.session_state["data_tab"] = "Templat"
    _run(at)
    assert at.selectbox(key="tpl_kota").value == "63.72"  # chosen on Unggah, kept on Templat
    at.selectbox(key="tpl_kota").set_value("16.74")
    _run(at)
    at.session_state["data_tab"] = "Unggah"
    _run(at)
    assert at.selectbox(key="up_kota").value == "16.74"
    at.session_state["data_tab"] = "Riwayat"
    _run(at)
    assert at.caption[-1].value.startswith("Waktu menurut jam setempat kota")
    pick = at.selectbox(key="undo_pick")
    assert pick.value == record["upload_id"]
    assert pick.options[0].startswith("Stunting, Resmi, Agustus 2025, Kota Bontang · "
                                      "dinkes_bontang_stunting_agustus_2025.xlsx · ")
    assert pick.options[0].endswith(" WITA") and not re.search(HEX_ID, pick.options[0])
    at.checkbox(key="undo_sure").check()
    _run(at)
    at.button(key="undo_go").click()
    _run(at)
    done = [s.value for s in at.success]
    assert len(done) == 1 and done[0].startswith("Unggahan Stunting, Resmi, Agustus 2025, Kota Bontang dari ")
    assert done[0].endswith("dibatalkan; 15 baris yang ada sebelumnya dipulihkan.") and not re.search(HEX_ID, done[0])
    table = at.dataframe[0].value
    assert table.iloc[0]["Unggahan"].startswith("Pembatalan unggahan Stunting, Resmi, Agustus 2025, Kota Bontang dari ")
    assert table.iloc[0]["Baris dipulihkan"] == "15" and table.iloc[1]["Keadaan"].startswith("Dibatalkan ")
