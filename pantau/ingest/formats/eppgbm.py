"""e-PPGBM by-name (Kemenkes): one row per child per measurement (NIK, Nama, JK, Tgl Lahir, ..., Desa/Kel,
Posyandu, Usia Saat Ukur as "X Tahun - Y Bulan - Z Hari", Tanggal Pengukuran, Berat, Tinggi, TB/U, ZS TB/U).
Per kelurahan and month: the children measured (each child's latest measurement in the month, 0-59
months) and the stunted among them (TB/U Pendek and Sangat Pendek; ZS TB/U below -2 when the status is
blank). The NIK and the name only tell one child from another while the file is read; neither is kept,
logged or quoted. Source: ../shared/research/real-formats.md, 1b."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd

from pantau.ingest.formats import Figure, Reading, Slice, families
from pantau.ingest.matching import normalize
from pantau.ingest.rules.base import Problem
from pantau.ingest.sheets import Grid, by_value, text, texts
from pantau.render import fmt

NAME = "eppgbm"
WANTED = {"usia": "usia saat ukur", "tanggal": "tanggal pengukuran", "tbu": "tb/u"}
ALIASES = {"kelurahan": ("desa/kel", "desa/kelurahan", "kelurahan", "desa"), "nik": ("nik", "nik anak"),
           "nama": ("nama", "nama anak", "nama balita"), "lahir": ("tgl lahir", "tanggal lahir"),
           "zs": ("zs tb/u",)}
STUNTED = {"pendek", "sangat pendek"}
NOT_STUNTED = {"normal", "tinggi"}
_AGE = re.compile(r"^\s*(\d+)\s*tahun\s*-\s*(\d+)\s*bulan(?:\s*-\s*(\d+)\s*hari)?\s*$", re.I)
MAX_MONTHS = 59


def _columns(grid: Grid) -> tuple[int, dict[str, int]] | None:
    found = families.header_row(grid, WANTED)
    if found is None:
        return None
    at, columns = found
    labels = families.labels(grid.row(at))
    for role, names in ALIASES.items():
        j = next((labels[n] for n in names if n in labels), None)
        if j is not None:
            columns[role] = j
    return (at, columns) if "kelurahan" in columns else None


def detect(grid: Grid) -> bool:
    return _columns(grid) is not None


def lacks(grid: Grid) -> str:
    return families.lacks(grid, {**WANTED, "kelurahan": "desa/kel"})


def age_months(value) -> int | None:
    """Months of age from "1 Tahun - 11 Bulan - 17 Hari" (None when unreadable)."""
    match = _AGE.match(text(value))
    return 12 * int(match.group(1)) + int(match.group(2)) if match else None


def _months_between(born: dt.date, on: dt.date) -> int:
    return (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)


def _date_or_none(value):
    try:
        return fmt.parse_date(value)
    except fmt.Unparsable:
        return None


def read(grid: Grid, file_name: str, year: int | None = None, periode: dt.date | None = None, **chosen) -> Reading:
    """Column by column (a kota's by-name export runs to a million rows): each distinct date, age and
    status is read once, the children's latest measurement per month found by sorting."""
    at, columns = _columns(grid)
    header = grid.row(at)
    label = {role: text(header[j]).strip() for role, j in columns.items()}
    body = grid.frame.iloc[at + 1:]
    rows = pd.Series(grid.first_row + at + 1 + np.arange(len(body)), index=body.index)
    column = lambda role: body[columns[role]] if role in columns and columns[role] in body else \
        pd.Series(None, index=body.index, dtype=object)  # noqa: E731
    name = texts(column("kelurahan"))
    listed = (name != "") & ~body.isna().all(axis=1)
    problems: list[Problem] = []
    measured = by_value(column("tanggal"), _date_or_none)
    bad_date = listed & measured.isna()
    months = by_value(column("usia"), age_months)
    born = by_value(column("lahir"), _date_or_none) if "lahir" in columns else None
    if born is not None:  # an unreadable age falls back on the birth date
        fill = months.isna() & born.notna() & measured.notna()
        months[fill] = [_months_between(b, m) for b, m in zip(born[fill], measured[fill])]
    bad_age = listed & ~bad_date & months.isna()
    for mask, role, key in ((bad_date, "tanggal", "format.bad_date"), (bad_age, "usia", "format.bad_age")):
        for number, value in zip(rows[mask], column(role)[mask]):
            problems.append(Problem(int(number), label[role], text(value), key, "error"))
    ok = listed & ~bad_date & ~bad_age
    too_old = int((ok & (months.astype(float) > MAX_MONTHS)).sum())
    ok &= months.astype(float) <= MAX_MONTHS
    status = by_value(column("tbu"), lambda v: normalize(text(v)))
    stunted = status.isin(list(STUNTED))
    known = stunted | status.isin(list(NOT_STUNTED))
    if "zs" in columns:
        z = by_value(column("zs"), fmt.parse_number_or_none).astype(float)
        stunted = stunted.where(known, z < -2)
        known = known | z.notna()
    unknown = ok & ~known
    for number, value in zip(rows[unknown], column("tbu")[unknown]):
        problems.append(Problem(int(number), label["tbu"], text(value), "format.bad_height_status", "warning"))
    ok &= known
    # One child: the NIK when it is there, else name and birth date; held only while the file is read.
    nik = texts(column("nik"))
    child = nik.where(nik != "", by_value(column("nama"), lambda v: normalize(text(v))).astype(str) + "|" +
                      texts(column("lahir")))
    day = pd.to_datetime(measured[ok].astype(object))
    frame = pd.DataFrame({"child": child[ok], "month": day.dt.to_period("M").dt.start_time.dt.date, "day": day,
                          "row": rows[ok], "name": name[ok], "place": by_value(name[ok], normalize),
                          "stunted": stunted[ok].astype(bool)})
    latest = frame.sort_values(["day", "row"]).drop_duplicates(["child", "month"], keep="last")
    per = latest.groupby(["month", "place"], sort=True).agg(
        row=("row", "min"), name=("name", "first"), jumlah=("stunted", "sum"), penyebut=("child", "size"),
        rows=("row", lambda r: tuple(sorted(r))))
    slices = []
    for month, part in per.groupby(level="month", sort=True):
        figures = [Figure(int(r.row), r.name, int(r.jumlah), int(r.penyebut), r.rows)
                   for r in part.sort_values("row").itertuples()]
        slices.append(Slice("stunting", "resmi", month, figures,
                            {"kelurahan": (columns["kelurahan"], label["kelurahan"]),
                             "jumlah": (columns["tbu"], label["tbu"]), "penyebut": (columns["tanggal"], label["tanggal"])}))
    notes = [("format.eppgbm_latest", {})]
    if too_old:
        notes.append(("format.eppgbm_too_old", {"n": too_old}))
    # The stunted children of each month are the official list the reconciliation page matches against
    # the cadres' list: their identity goes to the pipeline, which keeps a keyed hash of it only.
    listed_stunted = latest[latest["stunted"]]
    index = listed_stunted.index
    people = pd.DataFrame({
        "indicator": "stunting", "sumber": "resmi", "periode": listed_stunted["month"], "row": listed_stunted["row"],
        "name": listed_stunted["name"], "code": None, "nik": nik[index],
        "nama": texts(column("nama")[index]), "lahir": born[index] if born is not None else None,
    }).reset_index(drop=True)
    return Reading(NAME, slices, sorted(problems, key=lambda p: p.row), notes, people=people,
                   people_of=("stunting",), people_column=label.get("nik") or label.get("nama"))
