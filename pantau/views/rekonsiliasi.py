"""Resmi vs lapangan: both sources per kelurahan of the wilayah, their ratio as a map, the gap month by month."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pantau.domain.catalog import Indicator
from pantau.i18n import t
from pantau.render import fmt
from pantau.views.shared import MapModel, part_values, wilayah_series

# Diverging classes of the ratio field / official, around "the same" (0.8 to 1.25).
RATIO_BREAKS = [0.5, 0.8, 1.25, 2.0, 5.0]
RATIO_COLORS = ["#2166ac", "#67a9cf", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"]  # ColorBrewer RdBu, reversed
ONLY_ONE_COLOR = "#9e9e9e"


def side_by_side(run, wilayah: str, ind: Indicator, periode: str) -> pd.DataFrame:
    """Per kelurahan: official and field count, the difference (field − official) and the ratio, biggest gap first."""
    both = None
    for sumber in ("resmi", "lapangan"):
        values = part_values(run, wilayah, ind.id, sumber, periode, periode)
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


def ratio_model(frame: pd.DataFrame, lang: str):
    """The ratio field / official on a diverging scale; a kelurahan with one source only is grey, not zero."""
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
    return MapModel(out, kelas, RATIO_COLORS, legend, "ratio")


def _count(value, lang: str) -> str:
    return "–" if value is None or pd.isna(value) else fmt.number(value, lang)


def gap_series(run, wilayah: str, ind: Indicator, until: str, months: int = 24) -> pd.DataFrame:
    """Totals of both sources over a wilayah month by month and the gap: is it closing since field collection began?"""
    frames = []
    for sumber in ("resmi", "lapangan"):
        series = wilayah_series(run, wilayah, sumber, until, months)
        part = series[series["indikator"] == ind.id][["periode", "jumlah"]].rename(columns={"jumlah": sumber})
        frames.append(part.set_index("periode"))
    out = frames[0].join(frames[1], how="outer").reset_index()
    out["selisih"] = out["lapangan"] - out["resmi"]
    return out


@dataclass(frozen=True)
class Comparison:
    """The aggregate tab of a view: both sources per kelurahan, their ratio map, the gap month by month."""

    frame: pd.DataFrame
    model: MapModel
    deck: object  # maps.FrozenDeck
    figure: object  # plotly Figure (read-only)


def comparison(run, view, outlined: tuple[str, ...], *, assets: dict) -> Comparison:
    """Everything the aggregate tab draws, built once for every viewer of the view."""
    from pantau.domain import rekonsiliasi as rekon
    from pantau.render import maps

    ind, lang = view.indicator, view.lang
    frame = side_by_side(run, view.wilayah, ind, view.periode)
    model = ratio_model(frame, lang)
    deck = maps.choropleth_deck(assets, model.frame, model.classes, model.colors, assets["labels"], None, lang, False,
                                outlined=list(outlined))
    figure = rekon.gap_figure(gap_series(run, view.wilayah, ind, view.periode), ind, lang)
    return Comparison(frame, model, maps.FrozenDeck(deck), figure)
