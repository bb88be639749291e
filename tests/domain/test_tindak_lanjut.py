"""Tindak lanjut: actions kept version by version, no silent overwrite, per-OPD view, XLSX round trip."""

from __future__ import annotations

import datetime as dt
import io
from functools import partial

import pytest
from openpyxl import load_workbook

from pantau.domain import tindak_lanjut as aksi
from pantau.errors import EditConflict, InputError
from pantau.ingest.matching import Matcher
from pantau.ingest.sheets import Upload
from pantau.lake import queries

TODAY = dt.date(2026, 11, 23)
KOTA = "63.72"


def run_on(lake):
    return partial(queries.run, lake.connect().cursor())


def new_action(**kw):
    return {"apa": "Normalisasi saluran Jl. A. Yani", "tanggal_rakor": dt.date(2026, 11, 2), "opd": "Dinas PUPR",
            "kelurahan": ["63.72.02.1003"], "indikator": "drainase", "tenggat": dt.date(2026, 12, 1),
            "status": "belum_mulai", "catatan": None, **kw}


def test_an_action_keeps_every_version_and_shows_the_newest(lake):
    first = aksi.save(lake, KOTA, [new_action()])[0]
    now = aksi.current(run_on(lake), KOTA, TODAY)
    row = now.set_index("aksi_id").loc[first["aksi_id"]].to_dict()
    aksi.save(lake, KOTA, [{**row, "aksi_id": first["aksi_id"], "status": "berjalan", "catatan": "Alat berat tiba"}])
    row = aksi.current(run_on(lake), KOTA, TODAY).set_index("aksi_id").loc[first["aksi_id"]].to_dict()
    aksi.save(lake, KOTA, [{**row, "aksi_id": first["aksi_id"], "status": "selesai"}])
    history = run_on(lake)("tindak_lanjut_riwayat_by_versi", aksi_id=first["aksi_id"])
    assert history["versi"].tolist() == [1, 2, 3]
    assert history["status"].tolist() == ["belum_mulai", "berjalan", "selesai"]
    assert history["catatan"].tolist()[1:] == ["Alat berat tiba", "Alat berat tiba"]
    current = aksi.current(run_on(lake), KOTA, TODAY).set_index("aksi_id").loc[first["aksi_id"]]
    assert current["status"] == "selesai" and current["versi"] == 3 and list(current["kelurahan"]) == ["63.72.02.1003"]


def test_two_people_editing_the_same_version_the_later_is_refused_not_lost(lake):
    saved = aksi.save(lake, KOTA, [new_action()])[0]
    base = aksi.current(run_on(lake), KOTA, TODAY).set_index("aksi_id").loc[saved["aksi_id"]].to_dict()
    mine = {**base, "aksi_id": saved["aksi_id"], "status": "berjalan", "catatan": "dari camat"}
    theirs = {**base, "aksi_id": saved["aksi_id"], "tenggat": dt.date(2026, 12, 20)}
    aksi.save(lake, KOTA, [mine])
    with pytest.raises(EditConflict) as refused:
        aksi.save(lake, KOTA, [theirs])
    assert "versi 2" in refused.value.message("id")
    current = aksi.current(run_on(lake), KOTA, TODAY).set_index("aksi_id").loc[saved["aksi_id"]]
    assert current["status"] == "berjalan" and current["catatan"] == "dari camat"  # the earlier write stands


def test_bad_actions_are_refused_with_a_reason(lake):
    for bad, key in ((new_action(apa="  "), "aksi.no_text"), (new_action(opd=""), "aksi.no_opd"),
                     (new_action(tenggat=dt.date(2026, 10, 1)), "aksi.deadline_before_rakor"),
                     (new_action(status="mungkin"), "aksi.bad_status")):
        with pytest.raises(InputError) as exc:
            aksi.save(lake, KOTA, [bad])
        assert exc.value.key == key
    assert len(aksi.current(run_on(lake), KOTA, TODAY)) == 3  # only the demo's actions


def test_overdue_per_opd_and_open_actions_per_kelurahan(lake):
    aksi.save(lake, KOTA, [new_action(tenggat=dt.date(2026, 11, 20)), new_action(status="selesai",
                                                                                  tenggat=dt.date(2026, 11, 10))])
    actions = aksi.current(run_on(lake), KOTA, TODAY)
    late = actions[actions["terlambat"]]
    # The new late action (3 days), and the demo's BPBD mapping due 31 October.
    assert sorted(late["hari_terlambat"].tolist()) == [3, 23]
    summary = aksi.per_opd(actions).set_index("opd")
    assert summary.loc["Dinas PUPR", "total"] == 3 and summary.loc["Dinas PUPR", "selesai"] == 1
    assert summary.loc["Dinas PUPR", "terlambat"] == 1 and summary.loc["BPBD", "terlambat"] == 1
    counts = run_on(lake)("tindak_lanjut_terbuka_by_kelurahan", kota_kode=KOTA, hari_ini=TODAY).set_index("kode")
    # Landasan Ulin Timur: the new late action and the demo's open drain clearing; the done action is not counted.
    assert counts.loc["63.72.02.1003", "nama"] == "Landasan Ulin Timur" and counts.loc["63.72.02.1003", "terbuka"] == 2
    assert counts["terbuka"].sum() == sum(len(k) for k, s in zip(actions["kelurahan"], actions["status"]) if s != "selesai")
    assert counts.loc["63.72.02.1003", "terlambat"] == 1


def test_export_then_import_changes_only_what_the_office_edited(lake):
    run = run_on(lake)
    wilayah = run("kelurahan_by_kota", kota_kode=KOTA)
    names = dict(zip(wilayah["kode"], wilayah["nama"]))
    actions = aksi.current(run, KOTA, TODAY)
    data = aksi.export_xlsx(actions, names, "id")

    unchanged, problems, same = aksi.read_import(Upload("tl.xlsx", data), KOTA, Matcher(wilayah, KOTA), actions, 10**7)
    assert (unchanged, problems, same) == ([], [], len(actions))

    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("Status") + 1, "Selesai")
    sheet.cell(2, header.index("Catatan") + 1, "Tuntas 20/11")
    sheet.append([None, None, "Posko siaga banjir RT 05", "23 November 2026", "BPBD", "Guntung Manggis; Loktabat Utara",
                  "Drainase", "31/12/2026", "Belum mulai", "", ""])
    out = io.BytesIO()
    book.save(out)
    changes, problems, same = aksi.read_import(Upload("tl.xlsx", out.getvalue()), KOTA, Matcher(wilayah, KOTA),
                                               actions, 10**7)
    assert problems == [] and same == len(actions) - 1 and len(changes) == 2
    aksi.save(lake, KOTA, changes, asal="impor tl.xlsx")
    after = aksi.current(run_on(lake), KOTA, TODAY)
    edited = after.set_index("aksi_id").loc[actions.iloc[0]["aksi_id"]]
    assert edited["status"] == "selesai" and edited["catatan"] == "Tuntas 20/11" and edited["asal"] == "impor tl.xlsx"
    added = after[after["apa"] == "Posko siaga banjir RT 05"].iloc[0]
    assert sorted(names[k] for k in added["kelurahan"]) == ["Guntung Manggis", "Loktabat Utara"]
    assert added["tenggat"].date() == dt.date(2026, 12, 31) and added["versi"] == 1


def test_an_import_names_the_row_column_and_value_of_each_mistake(lake):
    run = run_on(lake)
    wilayah = run("kelurahan_by_kota", kota_kode=KOTA)
    actions = aksi.current(run, KOTA, TODAY)
    book = load_workbook(io.BytesIO(aksi.export_xlsx(actions, {}, "id")))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    sheet.cell(2, header.index("Versi") + 1, 0)  # made from an old version, and changed
    sheet.cell(2, header.index("Status") + 1, "Berjalan")
    sheet.append([None, None, "Aksi baru", "01/11/2026", "Dinas PUPR", "Kelurahan Antah", "", "besok", "entah", "", ""])
    out = io.BytesIO()
    book.save(out)
    changes, problems, _ = aksi.read_import(Upload("tl.xlsx", out.getvalue()), KOTA, Matcher(wilayah, KOTA),
                                            actions, 10**7)
    found = {(p.row, p.column.split(" (")[0] if p.column else None, p.value, p.key) for p in problems}
    assert (2, "Versi", "0", "aksi.stale_row") in found
    last = sheet.max_row
    assert (last, "Tenggat", "besok", "problem.bad_date") in found
    assert (last, "Status", "entah", "aksi.bad_status_cell") in found
    assert (last, "Kelurahan", "Kelurahan Antah", "problem.unknown_kelurahan_none") in found
    assert "tl.xlsx, baris 2, kolom Versi (B)" in problems[0].where("tl.xlsx")


def test_exported_cells_are_never_formulas(lake):
    aksi.save(lake, KOTA, [new_action(apa="=HYPERLINK(\"http://x\")", catatan="+62 812")])
    actions = aksi.current(run_on(lake), KOTA, TODAY)
    sheet = load_workbook(io.BytesIO(aksi.export_xlsx(actions, {}, "id"))).active
    values = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.startswith(("=", "+", "-", "@")) for v in values)
    assert "'=HYPERLINK(\"http://x\")" in values


def test_an_edit_in_the_table_becomes_a_new_version_of_only_that_action(lake):
    actions = aksi.current(run_on(lake), KOTA, TODAY)
    before = aksi.editor_frame(actions, {}, "id")
    after = before.copy()
    first = after.index[0]
    after.loc[first, "status"] = "selesai"
    after.loc[first, "catatan"] = "Selesai dikerjakan"
    changes = aksi.edits(before, after, actions, TODAY)
    assert [c["aksi_id"] for c in changes] == [first]
    assert changes[0]["catatan_tanggal"] == TODAY and changes[0]["versi"] == actions.set_index("aksi_id").loc[first, "versi"]
    aksi.save(lake, KOTA, changes, asal="tabel")
    now = aksi.current(run_on(lake), KOTA, TODAY).set_index("aksi_id")
    assert now.loc[first, "status"] == "selesai" and now.loc[first, "asal"] == "tabel"
    assert (now.drop(index=first)["versi"] == actions.set_index("aksi_id").drop(index=first)["versi"]).all()


def test_overdue_rows_are_coloured_not_only_marked_in_text(lake):
    aksi.save(lake, KOTA, [new_action(tenggat=dt.date(2026, 11, 20))])
    actions = aksi.current(run_on(lake), KOTA, TODAY)
    late = actions["terlambat"].astype(bool).tolist()
    assert any(late) and not all(late)
    for table in (aksi.editor_frame(actions, {}, "id"), aksi.export_frame(actions, {}, "id")):
        styles = aksi.overdue_style(table, actions["terlambat"])._compute().ctx
        painted = {row for (row, _col), css in styles.items() if ("background-color", "#fde0dc") in css}
        assert painted == {i for i, flag in enumerate(late) if flag}
    summary = aksi.opd_frame(aksi.per_opd(actions), "id")
    ctx = aksi.opd_style(summary, "id")._compute().ctx
    column = list(summary.columns).index("Lewat tenggat")
    painted = {row for (row, col), css in ctx.items() if col == column and css}
    assert painted == set(summary.index[summary["Lewat tenggat"] > 0])


def test_the_history_writes_times_on_the_kotas_clock_and_dates_in_one_form(lake):
    first = aksi.save(lake, KOTA, [new_action()])[0]
    history = run_on(lake)("tindak_lanjut_riwayat_by_versi", aksi_id=first["aksi_id"])
    history["diubah"] = [dt.datetime(2026, 11, 9, 17, 0, tzinfo=dt.timezone.utc)]
    table = aksi.history_frame(history, {}, KOTA, "id")  # Banjarbaru: WITA
    assert table["Diubah"].tolist() == ["10 Nov 2026 01.00 WITA"]
    assert table["Tenggat"].tolist() == ["1 Des 2026"]
    english = aksi.history_frame(history, {}, KOTA, "en")
    assert english["Changed"].tolist() == ["Nov 10, 2026 1:00 AM WITA"] and english["Deadline"].tolist() == ["Dec 1, 2026"]
