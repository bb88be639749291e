"""Rules for a list of flood events (banjir): a date, a kelurahan (named, coded or found by the point), depth,
households."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pandas as pd
from rapidfuzz import fuzz

from pantau.ingest.formats.sigizi import month_of
from pantau.ingest.matching import normalize
from pantau.ingest.rules.base import (
    Collector,
    Context,
    Report,
    _file_level,
    _match_problems,
    _number,
    _suggestions,
    parse_coordinates,
)
from pantau.ingest.sheets import text
from pantau.ingest.tables import Parsed
from pantau.render import fmt


def validate_banjir(parsed: Parsed, ctx: Context, matcher_label, locate_many) -> Report:
    """Rules for a list of flood events: a date, a kelurahan (named, coded or found by the point), depth, households."""
    c = Collector()
    cols = parsed.header.columns
    _file_level(c, parsed, ctx)
    coord_col = cols.get("latlon") or cols.get("lat")
    records = []
    ranges = 0  # depths written as a range ("30 s.d 80 cm"), read as its middle
    own = _place(ctx.kota_nama)
    others: dict[str, int] = {}  # a province's table: rows of another kab/kota, by its name as written
    for i, row in enumerate(parsed.rows):
        place = _place(row.cells.get("wilayah")) if "wilayah" in cols else ""
        if place and place != own and own not in place and fuzz.ratio(place, own) < OWN_KOTA_SIMILARITY:
            shown = " ".join(text(row.cells.get("wilayah")).split())
            others[shown] = others.get(shown, 0) + 1
            continue
        lat = lon = None
        if coord_col is not None and (text(row.cells.get("latlon")) or text(row.cells.get("lat"))):
            try:
                lat, lon = parse_coordinates(row.cells.get("lat"), row.cells.get("lon"), row.cells.get("latlon"))
            except fmt.Unparsable:
                c.add(row.row, coord_col, row.cells.get("latlon") or row.cells.get("lat"), "problem.bad_coordinate")
        found = locate_many([lon], [lat])[0] if lat is not None else None
        kode = row.match.kode if row.match.how in ("code", "alias", "exact", "fuzzy") else None
        if row.match.how == "by_point":
            kode = found
            if lat is not None and found is None:
                c.add(row.row, coord_col, f"{fmt.number(lat, 'id', 5)}; {fmt.number(lon, 'id', 5)}",
                      "problem.outside_kota", kota=ctx.kota_nama)
            elif lat is None:
                c.add(row.row, cols.get("kelurahan") or coord_col, None, "problem.unknown_kelurahan_none", hints="")
        else:
            _match_problems(c, parsed, row, matcher_label)
        date_col = cols.get("tanggal") or cols.get("bulan")
        tanggal = _event_date(c, row, cols) if "tanggal" in cols else _event_month(c, row, cols)
        if tanggal is not None and tanggal > ctx.today:
            c.add(row.row, date_col, row.cells.get("tanggal") or row.cells.get("bulan"), "problem.future_date")
        depth_cell = row.cells.get("kedalaman")
        depth = depth_range(depth_cell)
        if depth is not None:
            ranges += 1
        else:
            unit = re.fullmatch(r"\s*(\d+(?:[.,]\d+)?)\s*cm\s*", text(depth_cell), re.I)  # "50 cm"
            depth = _number(c, row.row, cols.get("kedalaman"), unit.group(1) if unit else depth_cell, integer=False)
        households = _number(c, row.row, cols.get("terdampak"), row.cells.get("terdampak"))
        events = _number(c, row.row, cols.get("kejadian"), row.cells.get("kejadian"))
        people = _number(c, row.row, cols.get("jiwa"), row.cells.get("jiwa"))
        digest = hashlib.sha1(f"{ctx.kota_kode}|{kode}|{tanggal}|{lat}|{lon}".encode()).hexdigest()[:12]
        records.append({"row": row.row, "nama_berkas": row.name, "kelurahan_kode": kode, "tanggal": tanggal,
                        "kedalaman_cm": depth, "rumah_terdampak": households, "lat": lat, "lon": lon,
                        "kejadian": events, "jiwa_terdampak": people, "id": f"{ctx.kota_kode}-banjir-{digest}"})
    if others:
        c.add(None, cols["wilayah"], None, "problem.other_kota_rows_left", "warning", n=fmt.Shown(sum(others.values())),
              names=fmt.Tally.of(others), kota=ctx.kota_nama)
    frame = pd.DataFrame(records, columns=["row", "nama_berkas", "kelurahan_kode", "tanggal", "kedalaman_cm",
                                           "rumah_terdampak", "lat", "lon", "kejadian", "jiwa_terdampak", "id"])
    twice = frame["id"].duplicated(keep=False) & frame["kelurahan_kode"].notna() & frame["tanggal"].notna()
    for r, name in zip(frame.loc[twice, "row"], frame.loc[twice, "nama_berkas"]):
        c.add(int(r), cols.get("kelurahan") or cols.get("tanggal"), name, "problem.duplicate_event")
    frame["status"] = c.statuses(frame["row"].to_numpy()) if len(frame) else []
    ok = frame[frame["status"] != "ditolak"]
    accepted = pd.DataFrame({
        "id": ok["id"], "kota_kode": ctx.kota_kode, "kelurahan_kode": ok["kelurahan_kode"], "tanggal": ok["tanggal"],
        "kedalaman_cm": ok["kedalaman_cm"].astype(float), "rumah_terdampak": ok["rumah_terdampak"].astype("Int64"),
        "lon": ok["lon"].astype(float), "lat": ok["lat"].astype(float),
        "kejadian": ok["kejadian"].astype("Int64"), "jiwa_terdampak": ok["jiwa_terdampak"].astype("Int64"),
    })
    if not len(accepted) and not c.problems:
        c.add(None, None, None, "problem.nothing_to_commit")
    c.problems.sort(key=lambda p: -1 if p.row is None else p.row)
    totals = {"count": len(accepted), "denominator": None}
    notes = [("format.depth_range_midpoint", {"n": fmt.Shown(ranges)})] if ranges else []
    return Report(ctx, c.problems, frame, accepted.reset_index(drop=True), totals, _suggestions(parsed, matcher_label),
                  notes=notes)


OWN_KOTA_SIMILARITY = 85  # "Kota Banjar Baru" is still Banjarbaru; "Jakarta Utara" is not Jakarta Selatan
_PLACE_WORDS = re.compile(r"\b(kota|kabupaten|kab|adm|administrasi|administratif|pemerintah)\b")


def _place(cell) -> str:
    """A kab/kota's name as compared: lower case, without Kota, Kabupaten, Adm. and the like."""
    return " ".join(_PLACE_WORDS.sub(" ", normalize(text(cell))).split())


_RANGE = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:s\.?\s*d\.?|sampai|hingga|-|–)\s*(\d+(?:[.,]\d+)?)\s*(?:cm)?\s*$", re.I)


def depth_range(cell) -> float | None:
    """The middle of a depth written as a range, as BPBD DKI does ("30 s.d 80 cm" -> 55); None otherwise."""
    found = _RANGE.match(text(cell))
    if not found:
        return None
    low, high = (float(v.replace(",", ".")) for v in found.groups())
    return (low + high) / 2 if low <= high else None


def _event_date(c: Collector, row, cols) -> dt.date | None:
    try:
        tanggal = fmt.parse_date(row.cells.get("tanggal"))
    except fmt.Unparsable:
        c.add(row.row, cols["tanggal"], row.cells.get("tanggal"), "problem.bad_date")
        return None
    if tanggal is None:
        c.add(row.row, cols["tanggal"], None, "problem.date_required")
    return tanggal


def _event_month(c: Collector, row, cols) -> dt.date | None:
    """A table per kelurahan and month: the first day of the month from its Bulan and its year (a Tahun or
    periode_data column as 2026 or 202601)."""
    raw_year = text(row.cells.get("tahun")).strip()
    year_match = re.fullmatch(r"(\d{4})(\d{2})?(?:[.,]0+)?", raw_year)
    month = month_of(row.cells.get("bulan"))
    if month is None and year_match and year_match.group(2):
        month = int(year_match.group(2))
    if month is None:
        c.add(row.row, cols["bulan"], row.cells.get("bulan"), "problem.bad_date")
        return None
    if not year_match:
        c.add(row.row, cols.get("tahun") or cols["bulan"], row.cells.get("tahun"), "problem.date_required")
        return None
    return dt.date(int(year_match.group(1)), month, 1)
