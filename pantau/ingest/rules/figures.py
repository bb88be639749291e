"""Rules for a monthly file of indicator figures (nilai): a count per kelurahan and, for a rate, its denominator."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from pantau.domain import quality
from pantau.domain.catalog import SOURCES
from pantau.ingest.rules.base import (
    Collector,
    Context,
    Report,
    _duplicates,
    _file_level,
    _match_problems,
    _number,
    _source_of,
    _suggestions,
)
from pantau.ingest.sheets import text
from pantau.ingest.tables import Column, Parsed, Row
from pantau.render import fmt

JUMP_FACTOR = 3.0
JUMP_MIN_COUNT = 10  # 1 -> 4 children is not a jump worth a warning
HEAPING_MIN_VALUES = 8


def validate_nilai(parsed: Parsed, ctx: Context, matcher_label) -> Report:
    """Rules for a monthly file of one indicator, source and period."""
    c = Collector()
    ind = ctx.indicator
    cols = parsed.header.columns
    _file_level(c, parsed, ctx)
    if ind.has_rate and "penyebut" not in cols and not ctx.fallback_penyebut:
        c.add(None, None, None, "problem.no_denominator_column", denominator=ind.text("denominator_def", "id"))
    _duplicates(c, parsed, lambda r: r.match.kode)
    records = []
    parsed_numbers: dict[int, tuple[float | None, float | None]] = {}
    for row in parsed.rows:
        _match_problems(c, parsed, row, matcher_label)
        jumlah = _number(c, row.row, cols.get("jumlah"), row.cells.get("jumlah"))
        penyebut = _number(c, row.row, cols.get("penyebut"), row.cells.get("penyebut"))
        parsed_numbers[row.row] = (jumlah, penyebut)
        if "periode" in cols and text(row.cells.get("periode")):
            stated = fmt.find_period(text(row.cells["periode"])) or _period_of_date(row.cells["periode"])
            if stated != ctx.periode:
                c.add(row.row, cols["periode"], row.cells["periode"], "problem.row_period",
                      chosen=fmt.period(ctx.periode))
        if "sumber" in cols and text(row.cells.get("sumber")):
            stated = _source_of(text(row.cells["sumber"]))
            if stated != ctx.sumber:
                c.add(row.row, cols["sumber"], row.cells["sumber"], "problem.row_source",
                      chosen=SOURCES[ctx.sumber]["id"])
        kode = row.match.kode if row.match.how in ("code", "alias", "exact", "fuzzy") else None
        if jumlah is not None and ind.has_rate and penyebut is None and kode:
            if kode in ctx.fallback_penyebut:
                penyebut = float(ctx.fallback_penyebut[kode])
                c.add(row.row, cols.get("penyebut"), None, "problem.denominator_from_table", "warning",
                      year=ctx.fallback_tahun or "")
            elif not text(row.cells.get("penyebut")) or fmt.parse_number_or_none(row.cells.get("penyebut")) is None:
                c.add(row.row, cols.get("penyebut") or cols.get("jumlah"), row.cells.get("penyebut"),
                      "problem.denominator_missing")
        if jumlah is not None and penyebut is not None and jumlah > penyebut:
            c.add(row.row, cols["jumlah"], row.cells.get("jumlah"), "problem.count_over_denominator",
                  denominator=fmt.Shown(penyebut))
        if jumlah is not None and kode and kode in ctx.previous:
            _jump(c, row, cols["jumlah"], jumlah, penyebut, ctx.previous[kode], ind.has_rate, ctx.grain == "tahun")
        records.append({"row": row.row, "nama_berkas": row.name, "kelurahan_kode": kode,
                        "jumlah": jumlah, "penyebut": penyebut,
                        "jumlah_sel": row.cells.get("jumlah"), "penyebut_sel": row.cells.get("penyebut")})
    _check_totals(c, parsed, parsed_numbers)
    frame = pd.DataFrame(records, columns=["row", "nama_berkas", "kelurahan_kode", "jumlah", "penyebut",
                                           "jumlah_sel", "penyebut_sel"])
    frame["status"] = [c.status(r) for r in frame["row"]]
    frame.loc[frame["jumlah"].isna() & (frame["status"] != "ditolak"), "status"] = "kosong"
    _heaping(c, frame[frame["status"] != "ditolak"]["jumlah"], cols["jumlah"])
    reported = set(frame.loc[frame["status"] != "kosong", "kelurahan_kode"].dropna())
    gone = [name for kode, name in ctx.previous_names.items()
            if kode not in reported and ctx.previous.get(kode, (None,))[0] is not None]
    if gone:
        c.add(None, None, None, "problem.missing_since_last", "warning", n=len(gone), names=", ".join(gone))
    ok = frame[frame["status"].isin(["diterima", "peringatan"])]
    accepted = pd.DataFrame({
        "kelurahan_kode": ok["kelurahan_kode"].astype(str),
        "kota_kode": ctx.kota_kode,
        "indikator": ind.id,
        "periode": ctx.periode,
        "sumber": ctx.sumber,
        "jumlah": ok["jumlah"].astype("int64"),
        "penyebut": ok["penyebut"].astype("Int64") if ind.has_rate else pd.Series([pd.NA] * len(ok), dtype="Int64"),
    })
    if not len(accepted) and not c.problems:
        c.add(None, None, None, "problem.nothing_to_commit")
    totals = {"count": int(accepted["jumlah"].sum()) if len(accepted) else 0,
              "denominator": int(accepted["penyebut"].sum()) if ind.has_rate and len(accepted) else None}
    shown = frame.drop(columns=["jumlah_sel", "penyebut_sel"])
    for column in ("jumlah", "penyebut"):
        shown[column] = _as_written(frame[column], frame[f"{column}_sel"])
    return Report(ctx, c.problems, shown, accepted.reset_index(drop=True), totals, _suggestions(parsed, matcher_label))


def _as_written(values: pd.Series, cells: pd.Series) -> pd.Series:
    """The numbers read, and where none was read (negative, not a number, "-") the cell as the file wrote
    it: the preview shows "-3" or "2O", never an empty "None". A number stays a number, a blank is ""."""
    def written(cell):
        if isinstance(cell, (int, float, np.integer, np.floating)) and not isinstance(cell, bool):
            return "" if pd.isna(cell) else cell
        return text(cell)

    out = values.astype(object).where(values.notna(), None)
    missing = out.isna()
    if missing.any():
        out[missing] = [written(cell) for cell in cells[missing]]
    return out


def _period_of_date(cell) -> dt.date | None:
    try:
        day = fmt.parse_date(cell)
    except fmt.Unparsable:
        return None
    return day.replace(day=1) if day else None


def _jump(c, row: Row, column: Column, jumlah, penyebut, previous, has_rate, yearly: bool = False) -> None:
    """A figure far from the kelurahan's one the period before (the month before, or the year before)."""
    prev_j, prev_p = previous
    if prev_j is None or max(jumlah, prev_j) < JUMP_MIN_COUNT:
        return
    rates = bool(has_rate and penyebut and prev_p)
    if rates:
        now, before = 100 * jumlah / penyebut, 100 * prev_j / prev_p
    else:
        now, before = jumlah, prev_j
    if now <= 0 or before <= 0:
        return
    factor = max(now / before, before / now)
    if factor > JUMP_FACTOR:
        # Both values in one unit: two rates when both months have a denominator, else two counts.
        shown = (lambda v: fmt.Shown(v, 1, percent=True)) if rates else fmt.Shown
        key = {(True, False): "validate.jump_up", (False, False): "validate.jump_down",
               (True, True): "validate.jump_up_year", (False, True): "validate.jump_down_year"}[(now > before, yearly)]
        c.add(row.row, column, row.cells.get("jumlah"), key, "warning", before=shown(before), now=shown(now), factor=fmt.Shown(factor, 1))


def _heaping(c: Collector, counts: pd.Series, column: Column) -> None:
    values = counts.dropna()
    values = values[values >= 10]
    if len(values) < HEAPING_MIN_VALUES:
        return
    share = float(((values % 5) == 0).mean())
    if share > quality.HEAPING_RED:
        c.add(None, column, None, "problem.heaping", "warning", share=fmt.Shown(100 * share, 0, percent=True))


def _check_totals(c: Collector, parsed: Parsed, numbers: dict[int, tuple]) -> None:
    # A subtotal sums the rows since the previous subtotal; a grand total sums every row.
    cols = parsed.header.columns
    data_rows = sorted(numbers)
    previous_cut = 0
    for total in parsed.totals:
        is_sub = total.kecamatan_kode is not None
        rows = [r for r in data_rows if previous_cut < r < total.row] if is_sub else data_rows
        for i, role in enumerate(("jumlah", "penyebut")):
            stated = fmt.parse_number_or_none(total.cells.get(role)) if role in cols else None
            if stated is None:
                continue
            summed = sum(numbers[r][i] or 0 for r in rows)
            if abs(stated - summed) > 0.5:
                c.add(total.row, cols[role], total.cells.get(role), "problem.total_mismatch", "warning",
                      label=total.label, summed=fmt.Shown(summed))
        if is_sub:
            previous_cut = total.row
