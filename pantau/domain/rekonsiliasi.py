"""Resmi vs lapangan: where official and field figures disagree, by how much, and which records explain it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pantau.domain.catalog import INDICATORS, Indicator
from pantau.i18n import t
from pantau.render import fmt


def headline(frame: pd.DataFrame, ind: Indicator, lang: str) -> str:
    """"Data lapangan menemukan 1.812 anak stunting lebih banyak dari data resmi; 60 % selisih ada di 8 kelurahan"."""
    paired = frame.dropna(subset=["jumlah_resmi", "jumlah_lapangan"])
    if paired.empty:
        return t("rekon.no_pair", lang, indikator=ind.text("short_label", lang))
    gap = float(paired["selisih"].sum())
    unit = f"{ind.text('unit', lang)} {ind.text('short_label', lang).lower()}"
    if gap == 0:
        return t("rekon.same", lang, unit=unit)
    direction = paired["selisih"] if gap > 0 else -paired["selisih"]
    ordered = direction[direction > 0].sort_values(ascending=False)
    needed = int(np.searchsorted(ordered.cumsum().to_numpy(), 0.6 * ordered.sum()) + 1) if len(ordered) else 0
    key = "rekon.more" if gap > 0 else "rekon.less"
    return t(key, lang, n=fmt.number(abs(gap), lang), unit=unit, k=needed, total=len(paired))


def totals(frame: pd.DataFrame) -> dict[str, float | None]:
    """Kota totals of each source and of the gap, over the kelurahan where both reported."""
    paired = frame.dropna(subset=["jumlah_resmi", "jumlah_lapangan"])
    return {"resmi": float(paired["jumlah_resmi"].sum()), "lapangan": float(paired["jumlah_lapangan"].sum()),
            "selisih": float(paired["selisih"].sum()), "kelurahan": len(paired),
            "satu_sumber": int(frame["satu_sumber"].sum())}


def table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The side-by-side list as a person reads it."""
    return pd.DataFrame({
        t("pcol.kelurahan", lang): frame["nama"], t("pcol.kecamatan", lang): frame["kecamatan"],
        t("rekon.col.resmi", lang): frame["jumlah_resmi"], t("rekon.col.lapangan", lang): frame["jumlah_lapangan"],
        t("rekon.col.selisih", lang): frame["selisih"],
        t("rekon.col.rasio", lang): frame["rasio"].replace(np.inf, np.nan).round(2),
    })


def table_style(table: pd.DataFrame, lang: str):
    """The side-by-side list as the screen shows it (1.778; +12; 14,33×), still sorting by the numbers."""
    counts = {t(f"rekon.col.{c}", lang): (lambda v: fmt.number(v, lang)) for c in ("resmi", "lapangan")}
    return table.style.format({**counts, t("rekon.col.selisih", lang): lambda v: fmt.signed(v, lang),
                               t("rekon.col.rasio", lang): lambda v: fmt.ratio(v, lang)}, na_rep=fmt.MISSING)


def gap_figure(series: pd.DataFrame, ind: Indicator, lang: str):
    """The gap chart with this page's labels."""
    from pantau.render import charts

    names = {c: t(f"rekon.col.{c}", lang) for c in ("resmi", "lapangan", "selisih")}
    return charts.gap_figure(series, names, t("rekon.gap_title", lang, indikator=ind.text("short_label", lang)), lang)


def indicators_with_both() -> list[str]:
    """Indicators whose figures come as counts per kelurahan from both sources."""
    return [i for i, ind in INDICATORS.items() if ind.table == "nilai"]


RECORD_COUNTS = ("both", "only_resmi", "only_lapangan", "dup_resmi", "dup_lapangan", "bad_resmi", "bad_lapangan")
_RECORD_COLUMNS = dict(zip(RECORD_COUNTS, ("keduanya", "hanya_resmi", "hanya_lapangan", "ganda_resmi", "ganda_lapangan",
                                           "nik_buruk_resmi", "nik_buruk_lapangan")))


def records_totals(per_kel: pd.DataFrame) -> dict[str, int]:
    """Kota totals of the record-level comparison."""
    return {key: int(per_kel[column].sum()) for key, column in _RECORD_COLUMNS.items()}


def records_table(per_kel: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = pd.DataFrame({t("pcol.kelurahan", lang): per_kel["nama"]})
    for key, column in _RECORD_COLUMNS.items():
        out[t(f"rekon.rec.{key}", lang)] = per_kel[column].to_numpy()
    return out


def missing_table(missing: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rows of an officer's own file to look up: the file, the row number, the kelurahan. No identity."""
    return pd.DataFrame({t("rekon.col.file", lang): missing["nama_berkas"], t("rekon.col.row", lang): missing["baris"],
                         t("pcol.kelurahan", lang): missing["kelurahan"]})
