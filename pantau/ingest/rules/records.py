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
    # Households (a poverty list): a family by its P3KE id or its KK number when the list has one, so a
    # field list meets the register's own (formats p3ke, dtsen) whoever in the family is written down.
    families = ctx.indicator.penyebut_jenis == "rumah_tangga"
    for row in parsed.rows:
        _match_problems(c, parsed, row, matcher_label)
        kode = row.match.kode if row.match.how in ("code", "alias", "exact", "fuzzy") else None
        family = next(((rule, text(row.cells.get(role)).strip()) for role, rule in (("id_p3ke", "p3ke"), ("kk", "kk"))
                       if families and text(row.cells.get(role)).strip()), None)
        if family is not None:
            records.append({"row": row.row, "nama_berkas": row.name, "kelurahan_kode": kode,
                            "kunci": nik.family_key(key, *family), "aturan": family[0], "masalah_nik": None})
            continue
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


REKAMAN_COLUMNS = ["kota_kode", "indikator", "periode", "sumber", "kelurahan_kode", "kunci", "aturan", "baris"]


def records_of_people(people: pd.DataFrame, kota_kode: str, match, key: bytes, nik_column: str | None
                      ) -> tuple[pd.DataFrame, list]:
    """The reconciliation list a by-name national export carries, in the same pass as its figures:
    (rekaman rows, problems). `people` is formats.Reading.people; `match(name, code)` the
    pipeline's kelurahan matcher. A person is a keyed hash of the NIK (else of name, birth date and
    kelurahan; a family of its family id); the identity itself is dropped here. A person who cannot be
    hashed still counts in the figure and is only left out of the list, with a row warning that names the
    row and the column, never the value."""
    from pantau.ingest import nik
    from pantau.ingest.rules.base import Problem

    problems: list[Problem] = []
    out: dict[str, list] = {c: [] for c in REKAMAN_COLUMNS}
    hashed: dict[tuple, tuple] = {}  # the same person in several months is hashed once
    family = "keluarga" in people.columns
    for r in people.itertuples(index=False):
        place = match(r.name, r.code)
        kode = place.kode if place.how in ("code", "alias", "exact", "fuzzy") else None
        if kode is None:
            continue  # the kelurahan is the figure's problem, reported (and refused) there
        if family:  # a family by its register id: KK number (DTSEN) or ID Keluarga P3KE
            kunci, aturan, problem = nik.family_key(key, r.aturan, r.keluarga), r.aturan, None
        else:
            ident = (r.nik, r.nama, r.lahir, kode)
            if ident not in hashed:
                hashed[ident] = nik.record_key(key, r.nik, r.nama, r.lahir, kode)
            kunci, aturan, problem = hashed[ident]
        if problem:
            if aturan == "nama":
                problems.append(Problem(int(r.row), nik_column, None, problem, "warning", part=(r.indicator, r.periode)))
            else:
                problems.append(Problem(int(r.row), nik_column, None, "records.left_out", "warning",
                                        part=(r.indicator, r.periode)))
                continue
        for column, value in zip(REKAMAN_COLUMNS, (kota_kode, r.indicator, r.periode, r.sumber, kode, kunci, aturan,
                                                   int(r.row))):
            out[column].append(value)
    frame = pd.DataFrame({c: pd.Series(v, dtype="int64" if c == "baris" else object) for c, v in out.items()})
    return frame, problems
