"""Hostile input at the edges, for every national export: a path in the file name, a formula in a cell,
a zip bomb and a file over the limit are refused or defused with a message, and the lake stays as it was."""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from pantau.errors import IngestError
from pantau.ingest import pipeline
from pantau.ingest.sheets import Upload
from pantau.render import export
from pantau.views import data
from tests import exports

FORMULA = '=HYPERLINK("http://contoh.invalid","Lok Tuan")'


def _sigizi(path, name):
    return exports.sigizi_file(path, rows=[("PKM Bontang Utara I", name, 1, 40, 60, 12)])


def _eppgbm(path, name):
    return exports.eppgbm_file(path, [("6474011501240001", "Anak Fiktif", name, "1 Tahun - 2 Bulan - 3 Hari",
                                       "2026-08-03", "Pendek", -2.4)])


def _ats(path, name):
    return exports.ats_file(path, [(name, 1, 0, 0, 1, 2)], title="Tabel Data Anak Tidak Sekolah Oktober 2026")


BUILDERS = {"sigizi": _sigizi, "eppgbm": _eppgbm, "ats": _ats}


def _as_text(path):
    """The formula written as a text cell that starts with "=", as a spreadsheet pasted from a web page has it
    (a real formula cell without a cached value reads as blank and the row is skipped)."""
    wb = openpyxl.load_workbook(path)
    for row in wb.active.iter_rows():
        for cell in row:
            if cell.value == FORMULA:
                cell.data_type = "s"
    wb.save(path)
    return path


@pytest.mark.parametrize("fmt", list(BUILDERS))
def test_a_path_in_the_file_name_keeps_only_its_base_name(fmt, tmp_path, lake):
    path = BUILDERS[fmt](tmp_path / "berkas.xlsx", "Lok Tuan")
    upload = Upload("../../etc/cron.d/Laporan 2026.xlsx", path.read_bytes())
    report = pipeline.prepare(upload, pipeline.Request(kind="nilai", kota_kode="64.74", periode=None), lake)
    assert report.format == fmt and report.context.file_name == "Laporan 2026.xlsx"


@pytest.mark.parametrize("fmt", list(BUILDERS))
def test_a_formula_in_a_name_cell_is_refused_by_row_and_defused_in_the_export(fmt, tmp_path, lake):
    path = _as_text(BUILDERS[fmt](tmp_path / "berkas_2026.xlsx", FORMULA))
    before = lake.read("nilai").num_rows
    report = pipeline.prepare(Upload(path.name, path.read_bytes()), pipeline.Request(kind="nilai", kota_kode="64.74"), lake)
    assert not report.ok and any(p.value == FORMULA and p.level == "error" for p in report.problems)
    csv = export.csv_bytes(data.problems_frame(report, "id"), "id").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and "\n=HYPERLINK" not in csv and ";=HYPERLINK" not in csv
    with pytest.raises(IngestError):
        pipeline.commit(report, Upload(path.name, path.read_bytes()), lake)
    assert lake.read("nilai").num_rows == before


def test_a_zip_bomb_dressed_as_an_export_and_a_file_over_the_limit_are_refused(tmp_path, lake, monkeypatch):
    path = _sigizi(tmp_path / "daftar_entry_2026.xlsx", "Lok Tuan")
    bomb = io.BytesIO(path.read_bytes())
    with zipfile.ZipFile(bomb, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet9.xml", b"0" * 600_000_000)
    with pytest.raises(IngestError) as refused:
        pipeline.prepare(Upload(path.name, bomb.getvalue()), pipeline.Request(kind="nilai", kota_kode="64.74"), lake)
    assert refused.value.key == "ingest.zip_bomb"
    monkeypatch.setattr(pipeline, "MAX_UPLOAD_MB", 0)
    with pytest.raises(IngestError) as refused:
        pipeline.prepare(Upload(path.name, path.read_bytes()), pipeline.Request(kind="nilai", kota_kode="64.74"), lake)
    assert refused.value.key == "ingest.too_large"
