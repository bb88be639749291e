"""What the Data page and the command line show of an upload: problems, rows, totals, history."""

from __future__ import annotations

import pandas as pd

from pantau import export, fmt
from pantau.catalog import INDICATORS, SOURCES, source_label
from pantau.i18n import t
from pantau.validate import Report

STATUS_ORDER = ("ditolak", "peringatan", "diterima", "kosong")


def problems_frame(report: Report, lang: str) -> pd.DataFrame:
    """One line per problem: level, row, column, value, message (errors first)."""
    rows = [{
        t("report.level", lang): t(f"report.level.{p.level}", lang),
        t("report.row", lang): "" if p.row is None else str(p.row),
        t("report.column", lang): p.column or "",
        t("report.value", lang): p.value or "",
        t("report.message", lang): p.message(lang),
    } for p in sorted(report.problems, key=lambda p: (p.level != "error", p.row or 0))]
    return pd.DataFrame(rows, columns=[t(f"report.{k}", lang) for k in ("level", "row", "column", "value", "message")])


def rows_frame(report: Report, lang: str, names: dict[str, str]) -> pd.DataFrame:
    """Each data row of the file with the kelurahan it became and its status."""
    rows = report.rows.copy()
    out = pd.DataFrame({
        t("report.row", lang): rows["row"],
        t("report.in_file", lang): rows["nama_berkas"],
        t("report.kelurahan", lang): [names.get(k, "") if isinstance(k, str) else "" for k in rows["kelurahan_kode"]],
        t("report.kode", lang): rows["kelurahan_kode"].fillna(""),
    })
    for column in ("jumlah", "penyebut", "kondisi", "status_titik", "jenis"):
        if column in rows:
            out[t(f"report.col.{column}", lang)] = rows[column]
    out[t("report.status", lang)] = [t(f"report.status.{s}", lang) for s in rows["status"]]
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
        (t("filter.periode", lang), fmt.period(ctx.periode, lang) if ctx.periode else (ctx.tahun or "–")),
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


def history_frame(history: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The upload log for people: when, what, which file, how many rows, whether it still stands."""
    def what(r):
        if r.indikator in INDICATORS:
            return INDICATORS[r.indikator].text("short_label", lang)
        return t(f"data.kind.{r.jenis}", lang) if r.jenis != "batal" else ""

    def state(r):
        if isinstance(r.membatalkan, str):
            return t("history.undo_of", lang, batch=r.membatalkan)
        return t("history.undone", lang) if pd.notna(r.dibatalkan) else t("history.active", lang)

    return pd.DataFrame({
        t("history.batch", lang): history["upload_id"],
        t("history.when", lang): [fmt.day(d.date(), lang) + d.strftime(" %H:%M") for d in history["diunggah"]],
        t("filter.kota", lang): history["kota_kode"],
        t("filter.indikator", lang): [what(r) for r in history.itertuples()],
        t("filter.sumber", lang): [source_label(s, lang) if s in SOURCES else "" for s in history["sumber"]],
        t("filter.periode", lang): [fmt.period(p, lang) if pd.notna(p) else (str(int(y)) if pd.notna(y) else "")
                                    for p, y in zip(history["periode"], history["tahun"])],
        t("history.rows", lang): history["baris"],
        t("report.file", lang): history["nama_berkas"],
        t("history.state", lang): [state(r) for r in history.itertuples()],
        "SHA-256": history["sha256"].fillna("").str.slice(0, 12),
    })
