import io

import numpy as np
import pandas as pd
from openpyxl import load_workbook

from pantau.render import export, fmt


def test_csv_and_xlsx_keep_the_indonesian_labels():
    frame = pd.DataFrame({"Kelurahan": ["Tanjung Laut Indah", "Api-api"], "Jumlah": [112, 93], "Persentase": [3.6, None]})
    csv = export.csv_bytes(frame, "id").decode("utf-8-sig")
    assert csv.splitlines()[0] == "Kelurahan;Jumlah;Persentase"
    book = load_workbook(io.BytesIO(export.xlsx_bytes(frame, "Tren")))
    sheet = book["Tren"]
    assert [c.value for c in sheet[1]] == ["Kelurahan", "Jumlah", "Persentase"]
    assert sheet["A2"].value == "Tanjung Laut Indah" and sheet["B3"].value == 93 and sheet["C3"].value is None


# What a ranking table shows: rates and scores already written as text the Indonesian way.
SCREEN = pd.DataFrame({
    "Peringkat": [1, 2, 3],
    "Kode": ["14.71", "14.72", "14.73"],
    "Kecamatan": ["01", "02", "03"],
    "Kelurahan": ["Kulim", "Sail", "Tuah Karya"],
    "Stunting": ["8,7 %", "–", "12,0 %"],
    "Jumlah": [1778.0, np.nan, 3.0],
    "Skor": ["52,6", "1.234,5", "−3"],
})


def test_indonesian_csv_has_semicolons_decimal_commas_and_numbers_without_units_or_grouping():
    raw = export.csv_bytes(SCREEN, "id")
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that makes Excel read UTF-8
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "Peringkat;Kode;Kecamatan;Kelurahan;Stunting (%);Jumlah;Skor"
    assert lines[1] == "1;14.71;01;Kulim;8,7;1778;52,6"
    assert lines[2] == "2;14.72;02;Sail;;;1234,5"
    assert lines[3] == "3;14.73;03;Tuah Karya;12;3;-3"


def test_english_csv_has_commas_and_decimal_points_and_a_bom():
    frame = pd.DataFrame({"Kelurahan": ["Kulim"], "Rate": ["8.7%"], "Count": ["1,778"], "Share": [35.033259423503324]})
    raw = export.csv_bytes(frame, "en")
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").splitlines() == ["Kelurahan,Rate (%),Count,Share", "Kulim,8.7,1778,35.033259"]


def test_xlsx_cells_are_numbers_not_text():
    sheet = load_workbook(io.BytesIO(export.xlsx_bytes(SCREEN, "Prioritas", "id"))).active
    header = [c.value for c in sheet[1]]
    assert header[4] == "Stunting (%)"
    row = [c for c in sheet[2]]
    assert row[4].value == 8.7 and row[4].data_type == "n"
    assert row[5].value == 1778 and row[5].data_type == "n"
    assert row[6].value == 52.6 and sheet.cell(row=3, column=7).value == 1234.5
    assert row[1].value == "14.71" and row[2].value == "01"  # codes stay text
    assert sheet.cell(row=3, column=5).value is None  # "–" is no figure, not zero


def test_a_styler_downloads_its_numbers_with_the_unit_in_the_header():
    frame = pd.DataFrame({"Kelurahan": ["Kulim", "Sail"], "Persentase": [35.033259423503324, None], "Rasio": [14.333, 6.08]})
    styler = frame.style.format({"Persentase": lambda v: fmt.rate(v, "id", 2), "Rasio": lambda v: fmt.ratio(v, "id")},
                                na_rep="–")
    lines = export.csv_bytes(styler, "id").decode("utf-8-sig").splitlines()
    assert lines == ["Kelurahan;Persentase (%);Rasio (×)", "Kulim;35,033259;14,333", "Sail;;6,08"]


def test_public_rule_still_applies_to_numbers_made_from_text_but_never_to_codes():
    public = export.public_frame(export.table_frame(SCREEN, "id"))
    assert public["Jumlah"].tolist()[2] == "<5" and public["Jumlah"].tolist()[0] == 1778
    assert public["Kecamatan"].tolist() == ["01", "02", "03"]
    assert public["Peringkat"].tolist() == [1, 2, 3]
