"""Ingest of real-shaped OPD files: exact accepted totals, every message, commit, replace, history, undo."""

from __future__ import annotations

import datetime as dt
import math
import shutil
from functools import partial
from pathlib import Path

import pytest

from pantau import ingest, queries
from pantau.errors import IngestError, UndoRefused
from pantau.sheets import Upload
from pantau.store import Lake

DATA = Path(__file__).parent / "data"
AUG = dt.date(2025, 8, 1)
TODAY = dt.date(2026, 2, 1)


@pytest.fixture()
def lake(demo_lake, tmp_path) -> Lake:
    """A private copy of the demo lake, so a test may write to it."""
    shutil.copytree(demo_lake.path, tmp_path / "lake")
    return Lake(tmp_path / "lake")


def upload(name: str) -> Upload:
    return Upload(name, (DATA / name).read_bytes())


def prepare(lake, name, kind="nilai", indicator="stunting", sumber="resmi", periode=AUG, kota="64.74", **kw):
    request = ingest.Request(kind=kind, kota_kode=kota, indicator=indicator if kind == "nilai" else None,
                             sumber=sumber if kind == "nilai" else None, periode=periode if kind == "nilai" else None,
                             today=TODAY, **kw)
    return ingest.prepare(upload(name), request, lake)


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
    first = ingest.commit(report, upload("dinkes_bontang_stunting_agustus_2025.xlsx"), lake)
    after = slot(lake)
    assert len(after) == 13 and sum(j for j, _ in after.values()) == 645
    assert slot(lake, sumber="lapangan") == slot(lake, sumber="lapangan")  # other slots untouched
    second = ingest.commit(prepare(lake, "dinkes_bontang_stunting_agustus_2025.xlsx"),
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
    ingest.commit(prepare(lake, "dinkes_bontang_stunting_agustus_2025.xlsx"),
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
    assert report.counts()["rejected"] == 7 and report.counts()["accepted"] == 1
    with pytest.raises(IngestError):
        ingest.commit(report, upload("dinsos_bontang_kesalahan.xlsx"), lake)


def test_a_confirmed_name_is_remembered_for_the_next_upload_of_that_kota(lake):
    ingest.remember_aliases(lake, "64.74", {"Kampung Baru": "64.74.01.1002"})
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
    record = ingest.commit(report, upload("lurah_bontang_drainase_koordinat.xlsx"), lake)
    points = lake.read("drainase").to_pandas()
    mine = points[points["upload_id"] == record["upload_id"]]
    assert len(mine) == 3
    assert (points["upload_id"].str.startswith("demo-")).sum() == len(points) - 3  # the kota's other points kept
    again = ingest.commit(prepare(lake, "lurah_bontang_drainase_koordinat.xlsx", kind="drainase"),
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

    from pantau.sheets import read_grid

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

    from pantau import geo

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
    request = ingest.Request(kind="nilai", kota_kode="64.74", indicator="putus_sekolah", sumber="resmi",
                             periode=AUG, today=TODAY)
    report = ingest.prepare(Upload(path.name, path.read_bytes()), request, lake)
    assert (None, "", "problem.no_denominator_column") in problems(report, "error")
    wb = Workbook()
    ws = wb.active
    ws.append(["Kode kelurahan", "Kelurahan", "Anak usia sekolah 7-18", "Rumah tangga"])
    ws.append(["64.74.01.1001", "Bontang Kuala", "2.000", 900])
    ws.append(["64.74.03.1003", "Kanaan", 1000, 400])
    path2 = tmp_path / "penyebut.xlsx"
    wb.save(path2)
    pen = ingest.prepare(Upload(path2.name, path2.read_bytes()),
                         ingest.Request(kind="penyebut", kota_kode="64.74", tahun=2025, today=TODAY), lake)
    assert pen.ok and pen.totals["count"] == 4300
    ingest.commit(pen, Upload(path2.name, path2.read_bytes()), lake)
    report = ingest.prepare(Upload(path.name, path.read_bytes()), request, lake)
    assert report.ok
    assert report.accepted.set_index("kelurahan_kode")["penyebut"].to_dict() == {"64.74.01.1001": 2000, "64.74.03.1003": 1000}
    assert {p.key for p in report.warnings} >= {"problem.denominator_from_table"}


def test_upload_queries_keep_their_grain(lake):
    run = partial(queries.run, lake.connect().cursor())
    ingest.remember_aliases(lake, "64.74", {"Kampung Baru": "64.74.01.1002"})
    ingest.remember_aliases(lake, "64.74", {"Kampung Baru": "64.74.01.1001"})  # corrected later: the latest wins
    run = partial(queries.run, lake.connect().cursor())
    aliases = run("alias_by_kota", kota_kode="64.74")
    assert aliases.to_dict("records") == [{"nama": "kampung baru", "kelurahan_kode": "64.74.01.1001"}]
    record = ingest.commit(prepare(lake, "dinkes_bontang_stunting_agustus_2025.xlsx"),
                           upload("dinkes_bontang_stunting_agustus_2025.xlsx"), lake)
    history = queries.run(lake.connect().cursor(), "riwayat_by_upload", kota_kode=None)
    assert history["upload_id"].is_unique and list(history["upload_id"]) == [record["upload_id"]]
    assert queries.run(lake.connect().cursor(), "riwayat_by_upload", kota_kode="14.71").empty


@pytest.mark.parametrize("name", ["batas_tarakan.geojson", "batas_tarakan_shp.zip", "batas_tarakan.gpkg"])
def test_boundaries_of_a_new_kota_in_three_formats(lake, name):
    report = ingest.prepare(upload(name), ingest.Request(kind="wilayah", kota_kode=""), lake)
    assert report.context.kota_kode == "65.71" and report.ok
    assert report.counts()["accepted"] == 19
    assert [(p.key, p.level) for p in report.problems] == [("problem.boundary_missing", "warning")]
    assert "Juata Kerikil" in report.problems[0].message()
    record = ingest.commit(report, upload(name), lake)
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
    report = ingest.prepare(upload("batas_tarakan.geojson"), ingest.Request(kind="wilayah", kota_kode="64.74"), lake)
    assert not report.ok
    assert {p.key for p in report.errors} == {"problem.other_kota_code"} and len(report.errors) == 19
    assert report.errors[0].row == 1 and report.errors[0].column == "KDEPUM"


def test_a_new_kota_takes_monthly_figures_once_its_boundaries_are_in(lake, tmp_path):
    ingest.commit(ingest.prepare(upload("batas_tarakan.geojson"), ingest.Request(kind="wilayah", kota_kode=""), lake),
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
    report = ingest.prepare(Upload(path.name, path.read_bytes()),
                            ingest.Request(kind="nilai", kota_kode="65.71", indicator="stunting", sumber="resmi",
                                           periode=AUG, today=TODAY), lake)
    assert report.ok and report.totals == {"count": 118, "denominator": 1330}


def test_the_check_report_downloads_as_xlsx_with_its_three_sheets(lake):
    import io

    from openpyxl import load_workbook

    from pantau import reports

    report = prepare(lake, "dinsos_bontang_kesalahan.xlsx", indicator="kemiskinan_ekstrem")
    names = {"64.74.01.1001": "Bontang Kuala"}
    book = load_workbook(io.BytesIO(reports.report_xlsx(report, "dinsos.xlsx", "abc", "id", names)))
    assert book.sheetnames == ["Ringkasan", "Masalah", "Baris"]
    problems_sheet = list(book["Masalah"].values)
    assert problems_sheet[0] == ("Tingkat", "Baris", "Kolom", "Nilai", "Pesan")
    assert ("Kesalahan", "5", "RT Miskin Ekstrem (E)", "'-3", "angka negatif") in problems_sheet  # defused
    assert len(list(book["Baris"].values)) == 1 + 8
