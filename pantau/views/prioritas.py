"""Prioritas: every indicator's score measure per kelurahan, the score as a map, a kelurahan's baseline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pantau.domain.catalog import INDICATORS, Indicator
from pantau.render import fmt
from pantau.views.shared import MapModel, part_values


def indicator_values(run, wilayah: str, periode: str, sumber: str) -> pd.DataFrame:
    """Every indicator's score measure per kelurahan of a wilayah (a kota, a kecamatan, a province or the
    nation: one column per indicator id; NaN when not reported)."""
    values = part_values(run, wilayah, list(INDICATORS), sumber, periode, periode)  # one query for all
    frame = None
    for ind in INDICATORS.values():
        part = values[values["indikator"] == ind.id]
        if frame is None:
            frame = part[["kode", "nama", "kecamatan", "has_boundary"]].reset_index(drop=True)
            frame["ditandai"] = [[] for _ in range(len(frame))]
        value = pd.to_numeric(part[ind.score_measure], errors="coerce").astype(float).to_numpy()
        flagged = part["ditandai"].to_numpy(dtype=bool)
        # A figure that cannot be true is not ranked on: the kelurahan waits until the office corrects it.
        frame[ind.id] = np.where(flagged, np.nan, value)
        for i in np.flatnonzero(flagged):
            frame.at[i, "ditandai"] = frame.at[i, "ditandai"] + [ind.id]
    return frame


SCORE_BREAKS = [20.0, 40.0, 60.0, 80.0]


def score_map_model(scores: pd.DataFrame, lang: str, texts: bool = True):
    """The score as a choropleth: five classes of 20 points, grey for a kelurahan without a score
    (`texts=False`: no tooltip text, for a level map of thousands of desa that shows none)."""
    from pantau.domain import classes
    from pantau.i18n import t

    series = scores["skor"].astype(float)
    kelas = classes.classify(series, SCORE_BREAKS)
    colors = classes.palette(len(SCORE_BREAKS) + 1)
    frame = scores.copy()
    frame["nilai"] = series
    frame["nilai_teks"] = [t("prioritas.incomplete", lang) if np.isnan(v) else
                           f"{t('pcol.skor', lang)} {fmt.number(v, lang, 0)}" for v in series] if texts else ""
    frame["keterangan"] = [t("peta.kecamatan_prefix", lang, nama=k) for k in frame["kecamatan"]]
    frame["kelas"] = kelas
    edges = [0.0, *SCORE_BREAKS, 100.0]
    legend = [{"color": colors[i], "label": f"{edges[i]:g}–{edges[i + 1]:g}", "count": int((kelas == i).sum())}
              for i in reversed(range(len(colors)))]
    legend.append({"color": classes.MISSING_COLOR, "label": t("prioritas.incomplete", lang),
                   "count": int((kelas < 0).sum())})
    return MapModel(frame, kelas, colors, legend, "score")


def baseline(run, kota: str, kode: str, ind: Indicator, sumber: str, periode: str) -> tuple[float | None, str]:
    """A kelurahan's value of an indicator in a month, and its measure (the rate, or the count of open points)."""
    ukuran = "rate" if ind.has_rate else "jumlah"
    values = part_values(run, kota, ind.id, sumber, periode, periode)
    hit = values.loc[values["kode"] == kode, ukuran]
    value = None if hit.empty or pd.isna(hit.iloc[0]) else float(hit.iloc[0])
    return value, ukuran


@dataclass(frozen=True)
class ScoreMap:
    """The score page of a view and a set of weights: scores (ranked), their map, the marked priorities."""

    scores: pd.DataFrame
    model: MapModel
    marked: pd.DataFrame
    deck: object  # maps.FrozenDeck


def score_map(run, view, weights: dict[str, int], today: dt.date, wide: bool, *, assets: dict) -> ScoreMap:
    """Everything the score page draws for these weights, built once for every viewer who sets them."""
    from pantau.domain import prioritas
    from pantau.render import level_map, maps

    lang = view.lang
    scores = prioritas.composite(indicator_values(run, view.wilayah, view.periode, view.sumber), weights)
    model = score_map_model(scores, lang, texts=not wide)
    marked = prioritas.with_progress(run("prioritas_by_kota", kota_kode=view.kota, sampai=today.replace(day=1)),
                                     today)
    if wide:  # above a kota the level map shows every desa; priorities are followed per kota
        marked = marked.iloc[0:0]
        deck = level_map.level_deck(assets, model.frame["kode"].tolist(), model.classes, model.colors, assets["labels"])
    else:
        deck = maps.choropleth_deck(assets, model.frame, model.classes, model.colors, assets["labels"], None, lang,
                                    False, outlined=marked["kelurahan_kode"].tolist())
    return ScoreMap(scores, model, marked, maps.FrozenDeck(deck))
