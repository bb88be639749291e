"""Resmi vs lapangan: where official and field figures disagree, by how much, and which records explain it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pantau.render import fmt
from pantau.domain.catalog import INDICATORS, Indicator
from pantau.i18n import t

# Diverging classes of the ratio field / official, around "the same" (0.8 to 1.25).
RATIO_BREAKS = [0.5, 0.8, 1.25, 2.0, 5.0]
RATIO_COLORS = ["#2166ac", "#67a9cf", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"]  # ColorBrewer RdBu, reversed
ONLY_ONE_COLOR = "#9e9e9e"


def side_by_side(run, wilayah: str, ind: Indicator, periode: str) -> pd.DataFrame:
    """Per kelurahan: official and field count, the difference (field − official) and the ratio, biggest gap first."""
    from pantau.views import common as views

    both = None
    for sumber in ("resmi", "lapangan"):
        values = views.part_values(run, wilayah, ind.id, sumber, periode, periode)
        part = values[["kode", "nama", "kecamatan", "has_boundary", "jumlah", "penyebut"]].rename(
            columns={"jumlah": f"jumlah_{sumber}", "penyebut": f"penyebut_{sumber}"})
        both = part if both is None else both.merge(part[["kode", f"jumlah_{sumber}", f"penyebut_{sumber}"]], on="kode")
    r = pd.to_numeric(both["jumlah_resmi"], errors="coerce").astype(float).to_numpy()
    f = pd.to_numeric(both["jumlah_lapangan"], errors="coerce").astype(float).to_numpy()
    both["selisih"] = f - r
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = f / r
    ratio[(r == 0) & (f == 0)] = 1.0  # nobody in either list: the sources agree
    both["rasio"] = ratio  # NaN where a source did not report; inf where only the field found anyone
    both["satu_sumber"] = np.isnan(r) ^ np.isnan(f)
    return both.sort_values("selisih", key=lambda s: s.abs(), ascending=False, na_position="last").reset_index(drop=True)


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


def ratio_model(frame: pd.DataFrame, lang: str):
    """The ratio field / official on a diverging scale; a kelurahan with one source only is grey, not zero."""
    from pantau.views import common as views

    ratio = frame["rasio"].to_numpy(dtype=float)
    kelas = np.where(np.isnan(ratio), -1, np.searchsorted(RATIO_BREAKS, np.nan_to_num(ratio, nan=0), side="right"))
    out = frame.copy()
    out["nilai"] = ratio
    out["nilai_teks"] = [t("rekon.map_value", lang, resmi=_count(r, lang), lapangan=_count(f, lang))
                         for r, f in zip(out["jumlah_resmi"], out["jumlah_lapangan"])]
    out["keterangan"] = [t("peta.kecamatan_prefix", lang, nama=k) for k in out["kecamatan"]]
    out["kelas"] = kelas
    def x(v: float) -> str:
        text = fmt.number(v, lang, 2)
        return (text.rstrip("0").rstrip(",.") if ("," in text or "." in text) else text) + "×"

    labels = [f"< {x(RATIO_BREAKS[0])}"] + [f"{x(a)} – < {x(b)}" for a, b in zip(RATIO_BREAKS, RATIO_BREAKS[1:])] + \
        [f"≥ {x(RATIO_BREAKS[-1])}"]
    legend = [{"color": RATIO_COLORS[i], "label": labels[i], "count": int((kelas == i).sum())}
              for i in reversed(range(len(RATIO_COLORS)))]
    legend.append({"color": ONLY_ONE_COLOR, "label": t("rekon.only_one", lang), "count": int((kelas < 0).sum())})
    return views.MapModel(out, kelas, RATIO_COLORS, legend, "ratio")


def _count(value, lang: str) -> str:
    return "–" if value is None or pd.isna(value) else fmt.number(value, lang)


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


def gap_series(run, wilayah: str, ind: Indicator, until: str, months: int = 24) -> pd.DataFrame:
    """Totals of both sources over a wilayah month by month and the gap: is it closing since field collection began?"""
    from pantau.views import common as views

    frames = []
    for sumber in ("resmi", "lapangan"):
        series = views.wilayah_series(run, wilayah, sumber, until, months)
        part = series[series["indikator"] == ind.id][["periode", "jumlah"]].rename(columns={"jumlah": sumber})
        frames.append(part.set_index("periode"))
    out = frames[0].join(frames[1], how="outer").reset_index()
    out["selisih"] = out["lapangan"] - out["resmi"]
    return out


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
