"""XLSX templates an OPD fills in: the kelurahan already listed with their codes, checked cells, instructions."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from pantau.domain.catalog import DRAINASE_CONDITIONS, DRAINASE_STATUSES, PENYEBUT_JENIS, SOURCES, Indicator
from pantau.i18n import t

HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
INPUT_FILL = PatternFill("solid", fgColor="FFF8D6")
EXTRA_ROWS = 200  # empty rows for drainage points


def template_xlsx(kind: str, kota_kode: str, kota_nama: str, wilayah: pd.DataFrame,
                  ind: Indicator | None = None, lang: str = "id") -> bytes:
    """A template for monthly figures of one indicator, for drainage points, or for denominators."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    what = ind.text("label", lang) if ind else t(f"template.kind.{kind}", lang)
    ws["A1"] = t("template.title", lang, what=what, kota=kota_nama, kode=kota_kode)
    ws["A1"].font = Font(bold=True, size=13)
    kel = wilayah[wilayah["tingkat"] == "kelurahan"].sort_values("kode")
    kec = dict(zip(wilayah.loc[wilayah["tingkat"] == "kecamatan", "kode"], wilayah.loc[wilayah["tingkat"] == "kecamatan", "nama"]))
    header_row = 4
    if kind == "nilai":
        ws["A2"] = t("template.source_label", lang)
        ws["B2"] = ""
        ws["B2"].fill = INPUT_FILL
        choice = DataValidation(type="list", formula1='"' + ",".join(SOURCES) + '"', allow_blank=True)
        ws.add_data_validation(choice)
        choice.add("B2")
        count, denominator = ind.template_headers
        headers = ["No", "Kode kelurahan", "Kecamatan", "Kelurahan", count] + ([denominator] if denominator else [])
        value_cols = list(range(5, len(headers) + 1))
        rows = [[i + 1, r.kode, kec.get(r.parent_kode, ""), r.nama] for i, r in enumerate(kel.itertuples())]
    elif kind == "penyebut":
        ws["A2"] = t("template.year_label", lang)
        headers = ["No", "Kode kelurahan", "Kecamatan", "Kelurahan"] + [PENYEBUT_JENIS[j]["id"] for j in PENYEBUT_JENIS]
        value_cols = list(range(5, len(headers) + 1))
        rows = [[i + 1, r.kode, kec.get(r.parent_kode, ""), r.nama] for i, r in enumerate(kel.itertuples())]
    elif kind == "drainase":
        headers = ["No", "Lokasi", "Lintang", "Bujur", "Kondisi", "Status", "Tanggal lapor", "Pelapor", "Kelurahan"]
        value_cols = []
        rows = [[i + 1] for i in range(EXTRA_ROWS)]
    else:
        raise ValueError(kind)
    for col, label in enumerate(headers, start=1):
        cell = ws.cell(row=header_row, column=col, value=label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = max(10, min(len(label) + 4, 36))
    for r, values in enumerate(rows, start=header_row + 1):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=value)
    last = header_row + len(rows)
    if value_cols:
        whole = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                               showErrorMessage=True, error=t("template.whole_error", lang))
        ws.add_data_validation(whole)
        for col in value_cols:
            letter = ws.cell(row=header_row, column=col).column_letter
            whole.add(f"{letter}{header_row + 1}:{letter}{last}")
            for r in range(header_row + 1, last + 1):
                ws.cell(row=r, column=col).fill = INPUT_FILL
    if kind == "drainase":
        for col, options in ((5, DRAINASE_CONDITIONS), (6, DRAINASE_STATUSES)):
            dv = DataValidation(type="list", formula1='"' + ",".join(o["id"] for o in options.values()) + '"',
                                allow_blank=True)
            ws.add_data_validation(dv)
            letter = ws.cell(row=header_row, column=col).column_letter
            dv.add(f"{letter}{header_row + 1}:{letter}{last}")
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    notes = wb.create_sheet("Petunjuk")
    for i, line in enumerate(t(f"template.instructions.{kind}", lang).split("\n"), start=1):
        notes.cell(row=i, column=1, value=line)
    notes.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
