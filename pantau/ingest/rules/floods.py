"""Rules for a list of flood events (banjir): a date, a kelurahan (named, coded or found by the point), depth,
households."""

from __future__ import annotations

import hashlib

import pandas as pd

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
    for i, row in enumerate(parsed.rows):
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
        try:
            tanggal = fmt.parse_date(row.cells.get("tanggal"))
        except fmt.Unparsable:
            c.add(row.row, cols["tanggal"], row.cells.get("tanggal"), "problem.bad_date")
            tanggal = None
        if tanggal is None and not text(row.cells.get("tanggal")):
            c.add(row.row, cols["tanggal"], None, "problem.date_required")
        elif tanggal is not None and tanggal > ctx.today:
            c.add(row.row, cols["tanggal"], row.cells.get("tanggal"), "problem.future_date")
        depth = _number(c, row.row, cols.get("kedalaman"), row.cells.get("kedalaman"), integer=False)
        households = _number(c, row.row, cols.get("terdampak"), row.cells.get("terdampak"))
        digest = hashlib.sha1(f"{ctx.kota_kode}|{kode}|{tanggal}|{lat}|{lon}".encode()).hexdigest()[:12]
        records.append({"row": row.row, "nama_berkas": row.name, "kelurahan_kode": kode, "tanggal": tanggal,
                        "kedalaman_cm": depth, "rumah_terdampak": households, "lat": lat, "lon": lon,
                        "id": f"{ctx.kota_kode}-banjir-{digest}"})
    frame = pd.DataFrame(records, columns=["row", "nama_berkas", "kelurahan_kode", "tanggal", "kedalaman_cm",
                                           "rumah_terdampak", "lat", "lon", "id"])
    twice = frame["id"].duplicated(keep=False) & frame["kelurahan_kode"].notna()
    for r, name in zip(frame.loc[twice, "row"], frame.loc[twice, "nama_berkas"]):
        c.add(int(r), cols.get("kelurahan") or cols.get("tanggal"), name, "problem.duplicate_event")
    frame["status"] = c.statuses(frame["row"].to_numpy()) if len(frame) else []
    ok = frame[frame["status"] != "ditolak"]
    accepted = pd.DataFrame({
        "id": ok["id"], "kota_kode": ctx.kota_kode, "kelurahan_kode": ok["kelurahan_kode"], "tanggal": ok["tanggal"],
        "kedalaman_cm": ok["kedalaman_cm"].astype(float), "rumah_terdampak": ok["rumah_terdampak"].astype("Int64"),
        "lon": ok["lon"].astype(float), "lat": ok["lat"].astype(float),
    })
    if not len(accepted) and not c.problems:
        c.add(None, None, None, "problem.nothing_to_commit")
    c.problems.sort(key=lambda p: -1 if p.row is None else p.row)
    totals = {"count": len(accepted), "denominator": None}
    return Report(ctx, c.problems, frame, accepted.reset_index(drop=True), totals, _suggestions(parsed, matcher_label))
