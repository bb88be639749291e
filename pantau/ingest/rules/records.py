"""Rules for by-name records: each person becomes a keyed hash of the NIK (pantau.ingest.nik), a rule and a
kelurahan; nothing else is kept."""

from __future__ import annotations

import pandas as pd

from pantau.i18n import t
from pantau.ingest.rules.base import Collector, Context, Report, _file_level, _match_problems, _suggestions
from pantau.ingest.sheets import text
from pantau.ingest.tables import Parsed
from pantau.render import fmt


def validate_records(parsed: Parsed, ctx: Context, matcher_label, key: bytes) -> Report:
    """Rules for a list of people: each row becomes a keyed hash, a rule and a kelurahan; nothing else is kept.

    Messages never quote a NIK, a name, a birth date or an address: they name the row and the column only.
    """
    from pantau.ingest import nik

    c = Collector()
    cols = parsed.header.columns
    _file_level(c, parsed, ctx)
    records = []
    for row in parsed.rows:
        _match_problems(c, parsed, row, matcher_label)
        kode = row.match.kode if row.match.how in ("code", "alias", "exact", "fuzzy") else None
        try:
            birth = fmt.parse_date(row.cells.get("tgl_lahir"))
        except fmt.Unparsable:
            birth = None
        kunci, aturan, problem = nik.record_key(key, text(row.cells.get("nik")), text(row.cells.get("nama")), birth, kode)
        if problem and aturan == "nama":
            c.add(row.row, cols.get("nik"), None, problem, "warning")
        elif problem:
            c.add(row.row, cols.get("nik") or cols.get("nama"), None, "records.unmatchable", reason=t(problem, "id"))
        records.append({"row": row.row, "nama_berkas": row.name, "kelurahan_kode": kode, "kunci": kunci,
                        "aturan": aturan, "masalah_nik": problem})
    frame = pd.DataFrame(records, columns=["row", "nama_berkas", "kelurahan_kode", "kunci", "aturan", "masalah_nik"])
    frame["status"] = c.statuses(frame["row"].to_numpy()) if len(frame) else []
    ok = frame[frame["status"] != "ditolak"]
    twice = ok["kunci"].duplicated(keep=False)
    if twice.any():
        c.add(None, None, None, "records.duplicates", "warning", n=int(twice.sum()))
    accepted = pd.DataFrame({
        "kota_kode": ctx.kota_kode, "indikator": ctx.indicator.id, "periode": ctx.periode, "sumber": ctx.sumber,
        "kelurahan_kode": ok["kelurahan_kode"], "kunci": ok["kunci"], "aturan": ok["aturan"],
        "baris": ok["row"].astype("int64"),
    })
    if not len(accepted) and not c.problems:
        c.add(None, None, None, "problem.nothing_to_commit")
    c.problems.sort(key=lambda p: -1 if p.row is None else p.row)
    totals = {"count": len(accepted), "denominator": None}
    rows = frame.drop(columns=["kunci"])
    return Report(ctx, c.problems, rows, accepted.reset_index(drop=True), totals, _suggestions(parsed, matcher_label))
