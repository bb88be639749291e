"""Rules for a list of drainage points (drainase): coordinates, kelurahan, condition, status, date, reporter."""

from __future__ import annotations

import functools
import hashlib
import re

import numpy as np
import pandas as pd

from pantau.domain.catalog import DRAINASE_CONDITION_WORDS, DRAINASE_STATUS_WORDS
from pantau.ingest.matching import normalize
from pantau.ingest.rules.base import (
    Collector,
    Context,
    Report,
    _file_level,
    _match_problems,
    _suggestions,
    parse_coordinates,
)
from pantau.ingest.sheets import by_value, texts
from pantau.ingest.tables import Parsed
from pantau.render import fmt

# A reporter that looks like an office or an area is kept; anything else may be a person's name.
_INSTITUTION = re.compile(r"\b(dinas|dinkes|disdik|dinsos|pupr|bpbd|bappeda|opd|upt|kelurahan|kel|kecamatan|"
                          r"kec|lurah|camat|rt|rw|posyandu|puskesmas|satgas|tim|pemkot|warga|masyarakat)\b", re.I)
_OPD = re.compile(r"\b(dinas|dinkes|disdik|dinsos|pupr|bpbd|bappeda|opd|upt|pemkot|satgas)\b", re.I)
INDONESIA_LAT = (-11.5, 6.5)
INDONESIA_LON = (94.0, 141.5)


@functools.lru_cache(maxsize=4096)
def _condition(value: str) -> str | None:
    return _word_code(DRAINASE_CONDITION_WORDS, value)


@functools.lru_cache(maxsize=4096)
def _status(value: str) -> str | None:
    return _word_code(DRAINASE_STATUS_WORDS, value)


def _word_code(words: dict[str, str], value: str) -> str | None:
    norm = normalize(value).replace("_", " ")
    for word in sorted(words, key=len, reverse=True):
        if word.replace("_", " ") in norm:
            return words[word]
    return None


@functools.lru_cache(maxsize=8192)
def _is_opd(value: str) -> bool:
    return bool(_OPD.search(value))


@functools.lru_cache(maxsize=8192)
def _is_institution(value: str) -> bool:
    return bool(_INSTITUTION.search(value))


def point_id(kota_kode: str, lat: float, lon: float, kondisi: str, given: str | None) -> str:
    """The point's own id when the file gives one, else one derived from where and what it is."""
    if given:
        return f"{kota_kode}-{re.sub(r'[^A-Za-z0-9_-]+', '', given)[:40]}"
    digest = hashlib.sha1(f"{kota_kode}|{lat:.5f}|{lon:.5f}|{kondisi}".encode()).hexdigest()[:12]
    return f"{kota_kode}-{digest}"


def _coordinate_column(values: pd.Series) -> pd.Series:
    """_coordinate for a whole column; NaN where a cell is not a coordinate."""
    if pd.api.types.infer_dtype(values, skipna=True) in ("floating", "integer", "mixed-integer-float"):
        return pd.to_numeric(values, errors="coerce")
    raw = texts(values).str.replace("−", "-", regex=False).str.replace(" ", "", regex=False) \
        .str.replace("°", "", regex=False)
    decimal_comma = (raw.str.count(",") == 1) & ~raw.str.contains(".", regex=False)
    raw = raw.where(~decimal_comma, raw.str.replace(",", ".", regex=False))
    return pd.to_numeric(raw, errors="coerce").astype(float)


def _coordinates(data: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Latitude and longitude of every row (NaN where unreadable), from one "lat, lon" column or two."""
    nan = pd.Series(np.nan, index=data.index)
    lat = _coordinate_column(data["lat"]) if "lat" in data else nan
    lon = _coordinate_column(data["lon"]) if "lon" in data else nan
    if "latlon" in data:
        def pair(cell):
            try:
                return parse_coordinates(None, None, cell)
            except fmt.Unparsable:
                return (np.nan, np.nan)
        given = texts(data["latlon"]) != ""
        pairs = by_value(data["latlon"].where(given, None), pair)[given]
        lat = lat.where(~given, pd.Series([p[0] for p in pairs], index=pairs.index, dtype=float))
        lon = lon.where(~given, pd.Series([p[1] for p in pairs], index=pairs.index, dtype=float))
    return lat.astype(float), lon.astype(float)


_UNREADABLE = object()


def _date_or_unreadable(cell):
    try:
        return fmt.parse_date(cell)
    except fmt.Unparsable:
        return _UNREADABLE


def _shown_point(lat: float, lon: float) -> str:
    return f"{fmt.number(lat, 'id', 5)}; {fmt.number(lon, 'id', 5)}"


def validate_drainase(parsed: Parsed, ctx: Context, matcher_label, locate_many) -> Report:
    """Rules for a list of drainage points, column by column; locate_many(lons, lats) gives each one's kelurahan.

    A problem is still reported per row (row, column, value), but each rule runs once over a column and
    each distinct text (a date, a condition, a reporter) is read once: a million points take seconds.
    """
    c = Collector()
    cols = parsed.header.columns
    data = parsed.data
    coord_col = cols.get("latlon") or cols.get("lat")
    _file_level(c, parsed, ctx)
    rows = data["row"].to_numpy()

    lat, lon = _coordinates(data)
    bad = (lat.isna() | lon.isna()).to_numpy()
    for i in np.flatnonzero(bad):
        value = parsed.cell("latlon", i) or parsed.cell("lat", i)
        c.add(int(rows[i]), coord_col, value, "problem.bad_coordinate")
    in_lat, in_lon = lat.between(*INDONESIA_LAT), lon.between(*INDONESIA_LON)
    swapped = (~bad & ~(in_lat & in_lon) & lon.between(*INDONESIA_LAT) & lat.between(*INDONESIA_LON)).to_numpy()
    lat, lon = lat.where(~swapped, lon), lon.where(~swapped, lat)
    lats, lons = lat.to_numpy(), lon.to_numpy()
    for i in np.flatnonzero(swapped):
        c.add(int(rows[i]), coord_col, f"{lons[i]}, {lats[i]}", "problem.swapped_coordinate", "warning")

    good = ~bad
    ok_index = np.flatnonzero(good)
    found = np.full(len(data), None, dtype=object)
    if len(ok_index):
        found[ok_index] = locate_many(lons[ok_index], lats[ok_index])
    how = data["how"].to_numpy()
    named = np.isin(how, ["code", "alias", "exact", "fuzzy"])
    kode = np.where(named, data["matched_kode"].to_numpy(), None)
    elsewhere = good & named & (found != None) & (found != kode)  # noqa: E711 (element-wise)
    for i in np.flatnonzero(elsewhere):
        c.add(int(rows[i]), cols.get("kelurahan") or cols.get("kode"), data["name"].iat[i], "problem.point_elsewhere",
              "warning", name=matcher_label(found[i]))
    kode = np.where(elsewhere | (kode == None), found, kode)  # noqa: E711
    for i in np.flatnonzero(good & ~named & (how != "by_point")):
        _match_problems(c, parsed, parsed.row(i), matcher_label)
    for i in np.flatnonzero(good & (found == None)):  # noqa: E711
        c.add(int(rows[i]), coord_col, _shown_point(lats[i], lons[i]), "problem.outside_kota", kota=ctx.kota_nama)

    kondisi = by_value(texts(data["kondisi"]), _condition).to_numpy()
    for i in np.flatnonzero(good & (kondisi == None)):  # noqa: E711
        c.add(int(rows[i]), cols["kondisi"], parsed.cell("kondisi", i), "problem.bad_condition")
    status = np.full(len(data), "dilaporkan", dtype=object)
    if "status" in cols:
        status_text = texts(data["status"])
        given = (status_text != "").to_numpy()
        status[given] = by_value(status_text[given], _status).to_numpy()
        for i in np.flatnonzero(good & given & (status == None)):  # noqa: E711
            c.add(int(rows[i]), cols["status"], parsed.cell("status", i), "problem.bad_status")
    reported = np.full(len(data), None, dtype=object)
    if "tanggal" in cols:
        parsed_dates = by_value(data["tanggal"], _date_or_unreadable).to_numpy()
        unreadable = np.array([d is _UNREADABLE for d in parsed_dates], dtype=bool)
        for i in np.flatnonzero(good & unreadable):
            c.add(int(rows[i]), cols["tanggal"], parsed.cell("tanggal", i), "problem.bad_date")
        reported = np.where(unreadable, None, parsed_dates)
        future = np.array([d is not None and d > ctx.today for d in reported], dtype=bool)
        for i in np.flatnonzero(good & future):
            c.add(int(rows[i]), cols["tanggal"], parsed.cell("tanggal", i), "problem.future_date")
        blank = (texts(data["tanggal"]) == "").to_numpy()
        for i in np.flatnonzero(good & blank & (reported == None)):  # noqa: E711
            c.add(int(rows[i]), cols["tanggal"], None, "problem.date_missing", "warning", today=fmt.day(ctx.today))
    pelapor = texts(data["pelapor"]).str[:60] if "pelapor" in data else pd.Series("", index=data.index, dtype=object)
    person = ((pelapor != "") & ~by_value(pelapor, _is_institution).astype(bool)).to_numpy()
    for i in np.flatnonzero(good & person):
        c.add(int(rows[i]), cols["pelapor"], None, "problem.reporter_person", "warning")
    pelapor = pelapor.astype(object).where(~person, "warga").where(pelapor != "", None).to_numpy()

    titik = texts(data["titik"]) if "titik" in data else pd.Series("", index=data.index, dtype=object)
    has_id = (titik != "").to_numpy()
    ids = np.full(len(data), None, dtype=object)
    ids[has_id] = (ctx.kota_kode + "-" + titik[has_id].str.replace(r"[^A-Za-z0-9_-]+", "", regex=True).str[:40]).to_numpy()
    for i in np.flatnonzero(good & ~has_id):
        ids[i] = point_id(ctx.kota_kode, lats[i], lons[i], kondisi[i] or "", None)
    ids[bad] = None
    twice = good & pd.Series(ids).where(good, None).duplicated(keep=False).to_numpy()
    for i in np.flatnonzero(twice):
        shown = titik.iat[i] or _shown_point(lats[i], lons[i])
        c.add(int(rows[i]), cols.get("titik") or coord_col, shown, "problem.duplicate_point")
    c.problems.sort(key=lambda p: -1 if p.row is None else p.row)

    frame = pd.DataFrame({
        "row": rows, "nama_berkas": data["name"].to_numpy(), "kelurahan_kode": np.where(good, kode, None),
        "lat": lat.where(good).to_numpy(), "lon": lon.where(good).to_numpy(),
        "kondisi": np.where(good, kondisi, None), "status_titik": np.where(good, status, None),
        "tanggal_lapor": np.where(good, [d or ctx.today for d in reported], None),
        "pelapor": np.where(good, pelapor, None), "id": ids,
    })
    frame["status"] = c.statuses(rows)
    ok = frame[frame["status"] != "ditolak"]
    sumber = ctx.sumber or by_value(ok["pelapor"], lambda p: "resmi" if p and _is_opd(p) else "lapangan")
    accepted = pd.DataFrame({
        "id": ok["id"], "lon": ok["lon"].astype(float), "lat": ok["lat"].astype(float),
        "kelurahan_kode": ok["kelurahan_kode"], "kota_kode": ctx.kota_kode, "kondisi": ok["kondisi"],
        "status": ok["status_titik"], "tanggal_lapor": ok["tanggal_lapor"], "status_tanggal": ok["tanggal_lapor"],
        "sumber": sumber, "pelapor": ok["pelapor"],
    })
    if not len(accepted) and not c.problems:
        c.add(None, None, None, "problem.nothing_to_commit")
    totals = {"count": len(accepted), "denominator": None}
    return Report(ctx, c.problems, frame, accepted.reset_index(drop=True), totals,
                  _suggestions(parsed, matcher_label))
