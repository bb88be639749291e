"""Rules for a file of denominators (penyebut): population, households, school-age children or under-fives
per kelurahan for one year."""

from __future__ import annotations

import pandas as pd

from pantau.ingest.rules.base import (
    Collector,
    Context,
    Report,
    _duplicates,
    _file_level,
    _match_problems,
    _number,
    _suggestions,
)
from pantau.ingest.tables import Parsed

PENYEBUT_ROLES = ("penduduk", "rumah_tangga", "usia_sekolah", "balita")


def validate_penyebut(parsed: Parsed, ctx: Context, matcher_label) -> Report:
    """Rules for a list of population or household denominators per kelurahan for one year."""
    c = Collector()
    cols = parsed.header.columns
    _file_level(c, parsed, ctx)
    _duplicates(c, parsed, lambda r: r.match.kode)
    records = []
    for row in parsed.rows:
        _match_problems(c, parsed, row, matcher_label)
        kode = row.match.kode if row.match.how in ("code", "alias", "exact", "fuzzy") else None
        for jenis in PENYEBUT_ROLES:
            if jenis in cols:
                value = _number(c, row.row, cols[jenis], row.cells.get(jenis))
                records.append({"row": row.row, "nama_berkas": row.name, "kelurahan_kode": kode,
                                "jenis": jenis, "jumlah": value})
    frame = pd.DataFrame(records, columns=["row", "nama_berkas", "kelurahan_kode", "jenis", "jumlah"])
    frame["status"] = [c.status(r) for r in frame["row"]]
    ok = frame[(frame["status"] != "ditolak") & frame["jumlah"].notna()]
    accepted = pd.DataFrame({
        "kelurahan_kode": ok["kelurahan_kode"], "kota_kode": ctx.kota_kode, "jenis": ok["jenis"],
        "tahun": ctx.tahun, "jumlah": ok["jumlah"].astype("int64"),
    })
    if not len(accepted) and not c.problems:
        c.add(None, None, None, "problem.nothing_to_commit")
    rows = frame.groupby("row", as_index=False).agg(nama_berkas=("nama_berkas", "first"),
                                                    kelurahan_kode=("kelurahan_kode", "first"),
                                                    status=("status", "first"))
    totals = {"count": int(accepted["jumlah"].sum()) if len(accepted) else 0, "denominator": None}
    return Report(ctx, c.problems, rows, accepted.reset_index(drop=True), totals, _suggestions(parsed, matcher_label))
