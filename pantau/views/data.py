"""What the Data page and the command line show of an upload: problems, rows, totals, history."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pantau.domain.catalog import INDICATORS, SOURCES, source_label
from pantau.i18n import t
from pantau.ingest.rules.base import Report
from pantau.ingest.uploads import absent, describe, uploaded_at
from pantau.render import export, fmt

STATUS_ORDER = ("ditolak", "peringatan", "diterima", "kosong")


def recent_months(today: dt.date, count: int = 48) -> list[dt.date]:
    """The first day of this month and of the months before it, newest first (for an upload)."""
    months = pd.period_range(end=pd.Period(today, freq="M"), periods=count, freq="M")
    return [m.to_timestamp().date() for m in reversed(months)]


def problems_frame(report: Report, lang: str) -> pd.DataFrame:
    """One line per problem: level, row, column, value, message (errors first)."""
    rows = [{
        t("report.level", lang): t(f"report.level.{p.level}", lang),
        t("report.row", lang): "" if p.row is None else str(p.row),
        t("report.column", lang): p.column or "",
        t("report.value", lang): p.value or "",
        t("report.message", lang): p.message(lang),
    } for p in sorted(report.problems, key=lambda p: (p.level != "error", p.row or 0))]
    frame = pd.DataFrame(rows, columns=[t(f"report.{k}", lang) for k in ("level", "row", "column", "value", "message")])
    if report.slices:  # a national export: which indicator and month a problem is about
        ordered = sorted(report.problems, key=lambda p: (p.level != "error", p.row or 0))
        frame.insert(1, t("report.slice", lang), [
            f"{INDICATORS[p.part[0]].text('short_label', lang)}, {fmt.period(p.part[1], lang)}" if p.part else ""
            for p in ordered])
    return frame


def rows_frame(report: Report, lang: str, names: dict[str, str]) -> pd.DataFrame:
    """Each data row of the file with the kelurahan it became and its status."""
    rows = report.rows.copy()
    out = pd.DataFrame({
        t("report.row", lang): rows["row"],
        t("report.in_file", lang): rows["nama_berkas"],
        t("report.kelurahan", lang): [names.get(k, "") if isinstance(k, str) else "" for k in rows["kelurahan_kode"]],
        t("report.kode", lang): rows["kelurahan_kode"].fillna(""),
    })
    if "indikator" in rows:  # a national export: each kelurahan once per indicator and month
        out.insert(0, t("filter.periode", lang), [fmt.period(p, lang) for p in rows["periode"]])
        out.insert(0, t("filter.indikator", lang), [INDICATORS[i].text("short_label", lang) for i in rows["indikator"]])
    for column in ("jumlah", "penyebut", "kondisi", "status_titik", "jenis"):
        if column in rows:
            out[t(f"report.col.{column}", lang)] = rows[column]
    # A refused file saves none of its rows: a clean row of it is correct, not accepted.
    suffix = "" if report.ok else ".refused"
    out[t("report.status", lang)] = [t(f"report.status.{s}" + ("" if s == "ditolak" else suffix), lang)
                                     for s in rows["status"]]
    return out


def summary_frame(report: Report, file_name: str, sha256: str, lang: str) -> pd.DataFrame:
    """What was uploaded, against what, and the totals that would be committed."""
    ctx = report.context
    counts = report.counts()
    items = [
        (t("report.file", lang), file_name),
        ("SHA-256", sha256),
        (t("filter.kota", lang), f"{ctx.kota_nama} ({ctx.kota_kode})"),
        (t("filter.indikator", lang), ctx.indicator.text("label", lang) if ctx.indicator else t(f"data.kind.{ctx.kind}", lang)),
        (t("filter.sumber", lang), SOURCES[ctx.sumber][lang] if ctx.sumber else "–"),
        (t("filter.periode", lang), fmt.period(ctx.period_shown, lang) if ctx.period_shown
         else slices_span(report, lang) or ctx.tahun or "–"),
        (t("report.accepted", lang), counts["accepted"]),
        (t("report.rejected", lang), counts["rejected"]),
        (t("report.warnings", lang), counts["warnings"]),
        (t("report.total_count", lang), report.totals["count"]),
        (t("report.total_denominator", lang), report.totals["denominator"] if report.totals["denominator"] is not None else "–"),
        (t("report.verdict", lang), t("report.ok" if report.ok else "report.refused", lang)),
    ]
    return pd.DataFrame(items, columns=[t("report.item", lang), t("report.value", lang)]).astype(str)


def report_xlsx(report: Report, file_name: str, sha256: str, lang: str, names: dict[str, str]) -> bytes:
    """The validation report as a workbook an officer can send back to the OPD."""
    return export.xlsx_sheets_bytes({
        t("report.sheet.summary", lang): summary_frame(report, file_name, sha256, lang),
        t("report.sheet.problems", lang): problems_frame(report, lang),
        t("report.sheet.rows", lang): rows_frame(report, lang, names),
    })


def history_frame(history: pd.DataFrame, lang: str = "id", kota_names: dict[str, str] | None = None) -> pd.DataFrame:
    """The upload log for people (query riwayat_by_upload): when on the kota's clock, what was uploaded in
    words, the file, the rows stored or put back, who, and whether it still stands. An undo reads as the undo
    of that upload ("Pembatalan unggahan Stunting, Resmi, Agustus 2025, Kota Bontang dari 5 Sep 2025 10.00
    WITA") with the rows it put back, never as an upload of its own."""
    names = kota_names or {}
    by_id = {r["upload_id"]: r for r in history.to_dict("records")}
    rows = []
    for r in history.to_dict("records"):
        what = describe(r, lang, names.get(r["kota_kode"]))
        baris = "" if absent(r["baris"]) else fmt.number(r["baris"], lang)
        if isinstance(r["membatalkan"], str):
            target = by_id.get(r["membatalkan"])
            shown = t("history.undo_row", lang, what=what, when=uploaded_at(target, lang)) if target else \
                t("history.undo_row_unknown", lang, what=what)
            saved, restored, state = "", baris, t("history.is_undo", lang)
        else:
            shown, saved, restored = what, baris, ""
            state = t("history.undone_at", lang, when=fmt.time_local(r["dibatalkan"], r["kota_kode"], lang)) \
                if not absent(r["dibatalkan"]) else t("history.active", lang)
        rows.append({
            t("history.when_local", lang): uploaded_at(r, lang),
            t("history.what", lang): shown,
            t("report.file", lang): r["nama_berkas"] or "",
            t("history.rows_saved", lang): saved,
            t("history.rows_restored", lang): restored,
            t("history.by", lang): r["pengguna"] if isinstance(r["pengguna"], str) else "",
            t("history.state", lang): state,
            t("history.batch_id", lang): r["upload_id"],
        })
    columns = [t(f"history.{k}", lang) for k in ("when_local", "what")] + [t("report.file", lang)] + \
        [t(f"history.{k}", lang) for k in ("rows_saved", "rows_restored", "by", "state", "batch_id")]
    return pd.DataFrame(rows, columns=columns)


def uploads_by_id(history: pd.DataFrame) -> tuple[dict[str, dict], dict[str, int]]:
    """Each upload by its id: the log row that describes it (a figure slice before the reconciliation list
    that rode along) and how many figure slices it took in (a national export has a row per slice, and a
    list of people one more row that is no slice of figures)."""
    log: dict[str, dict] = {}
    slices: dict[str, int] = {}
    for r in history.to_dict("records"):
        uid, figures = r["upload_id"], r.get("tabel") != "rekaman"
        if uid not in log or (figures and log[uid].get("tabel") == "rekaman"):
            log[uid] = r
        if figures:
            slices[uid] = slices.get(uid, 0) + 1
    return log, slices


def undo_label(record: dict, lang: str = "id", kota_nama: str | None = None, slices: int = 1) -> str:
    """An upload as the undo picker lists it: what, from which file, when (no upload id); a national
    export of several slices says how many more it takes back."""
    what = describe(record, lang, kota_nama)
    if slices > 1:
        what = t("history.more_slices", lang, what=what, n=slices - 1)
    return t("history.undo_option", lang, what=what, file=record.get("nama_berkas") or "", when=uploaded_at(record, lang))


def undo_message(target: dict, done: dict, lang: str = "id", kota_nama: str | None = None) -> str:
    """What an undo did, in words: the upload it undid and the rows it put back (none: the month is empty again)."""
    what, when = describe(target, lang, kota_nama), uploaded_at(target, lang)
    rows = done.get("baris") or 0
    if rows:
        return t("history.undo_done", lang, what=what, when=when, rows=fmt.number(rows, lang))
    return t("history.undo_done_empty", lang, what=what, when=when)


def slices_span(report: Report, lang: str = "id") -> str:
    """The months (or years) a national export's slices cover: "Januari 2026–Oktober 2026", "" for none."""
    periods = sorted({r.context.period_shown for r in report.slices}, key=str)
    if not periods:
        return ""
    return fmt.period(periods[0], lang) if len(periods) == 1 else \
        f"{fmt.period(periods[0], lang)}–{fmt.period(periods[-1], lang)}"


def read_as(report: Report, lang: str = "id") -> str:
    """How a national export was read, in one line: "Dibaca sebagai: SIGIZI Daftar Entry Balita Gizi,
    Januari 2026–Oktober 2026; indikator: 1, kelurahan: 15"."""
    span = slices_span(report, lang)
    kelurahan = {k for r in report.slices for k in r.accepted["kelurahan_kode"]} if report.slices else set()
    return t("format.read_as", lang, format=t(f"format.name.{report.format}", lang), months=span or "–",
             indicators=len({r.context.indicator.id for r in report.slices}), kelurahan=len(kelurahan))


def slices_frame(report: Report, lang: str) -> pd.DataFrame:
    """Each slice of a national export (indicator x source x month) with its rows, problems and totals."""
    rows = []
    for r in report.slices:
        counts = r.counts()
        rows.append({
            t("filter.indikator", lang): r.context.indicator.text("short_label", lang),
            t("filter.sumber", lang): source_label(r.context.sumber, lang),
            t("filter.periode", lang): fmt.period(r.context.period_shown, lang),
            t("report.accepted", lang): counts["accepted"], t("report.rejected", lang): counts["rejected"],
            t("report.warnings", lang): counts["warnings"],
            t("report.total_count", lang): r.totals["count"],
            t("report.total_denominator", lang): r.totals["denominator"] if r.totals["denominator"] is not None else "–",
        })
    return pd.DataFrame(rows)
