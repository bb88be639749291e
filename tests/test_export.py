import io

import pandas as pd
from openpyxl import load_workbook

from pantau import export


def test_csv_and_xlsx_keep_the_indonesian_labels():
    frame = pd.DataFrame({"Kelurahan": ["Tanjung Laut Indah", "Api-api"], "Jumlah": [112, 93], "Persentase": [3.6, None]})
    csv = export.csv_bytes(frame).decode("utf-8-sig")
    assert csv.splitlines()[0] == "Kelurahan,Jumlah,Persentase"
    book = load_workbook(io.BytesIO(export.xlsx_bytes(frame, "Tren")))
    sheet = book["Tren"]
    assert [c.value for c in sheet[1]] == ["Kelurahan", "Jumlah", "Persentase"]
    assert sheet["A2"].value == "Tanjung Laut Indah" and sheet["B3"].value == 93 and sheet["C3"].value is None
