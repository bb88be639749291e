"""Drainase & banjir: open points per km² of each kelurahan as a map."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pantau.domain.catalog import INDICATORS
from pantau.render import fmt
from pantau.views.shared import MapModel


def density_model(per_kel: pd.DataFrame, lang: str):
    """Open points per km² as a choropleth (quantile classes), for the flood-prone kelurahan."""
    from pantau.domain import classes
    from pantau.i18n import t

    ind = INDICATORS["drainase"]
    series = per_kel["per_km2"].astype(float)
    breaks, rule = classes.class_breaks(ind, "per_km2", series, "quantile")
    kelas = classes.classify(series, breaks)
    frame = per_kel.copy()
    frame["nilai"] = series
    frame["nilai_teks"] = [t("drainase.kel_value", lang, n=int(n), km2=fmt.number(v, lang, 2) if not np.isnan(v) else "–",
                             fixed=fmt.rate(p, lang, 0) if not np.isnan(p) else "–")
                           for n, v, p in zip(frame["terbuka"], series, frame["persen_selesai"].astype(float))]
    frame["keterangan"] = [t("peta.kecamatan_prefix", lang, nama=k) for k in frame["kecamatan"]]
    frame["kelas"] = kelas
    legend = classes.legend_items(ind, "per_km2", breaks, rule, kelas, lang)
    return MapModel(frame, kelas, classes.palette(len(breaks) + 1), legend, rule)


@dataclass(frozen=True)
class DrainMap:
    """The drainage page of a kota and a set of filters: the points shown, the counts, the map."""

    points: pd.DataFrame  # every point of the kota
    shown: pd.DataFrame  # the points the filters keep
    per_kel: pd.DataFrame
    model: MapModel
    point_frame: pd.DataFrame  # the shown points as the map draws them
    floods: pd.DataFrame | None
    metrics: dict  # open, in_hand, fixed, density, oldest
    deck: object  # maps.FrozenDeck


def drain_map(run, kota: str, lang: str, kondisi: tuple, status: tuple, dari: dt.date | None, sampai: dt.date | None,
              kecamatan: tuple, show_floods: bool, today: dt.date, *, assets: dict, outlined: list[str]) -> DrainMap:
    """Everything the drainage page draws for these filters, built once for every viewer who sets them."""
    from pantau.domain import drainase
    from pantau.render import maps

    points = run("drainase_titik_by_kota", kota_kode=kota, hari_ini=today)
    wilayah = run("kelurahan_by_kota", kota_kode=kota)
    open_all = points[points["status"].isin(drainase.OPEN)]
    shown = drainase.filtered(points, list(kondisi), list(status), dari, sampai, list(kecamatan))
    per_kel = drainase.per_kelurahan(drainase.filtered(points, list(kondisi), [], dari, sampai, list(kecamatan)),
                                     wilayah)
    area = wilayah.loc[wilayah["tingkat"] == "kelurahan", "luas_km2"].sum()
    metrics = {"open": len(open_all), "in_hand": int((points["status"] == "ditangani").sum()),
               "fixed": int((points["status"] == "selesai").sum()),
               "density": len(open_all) / area if area else 0,
               "oldest": int(open_all["umur_hari"].max()) if len(open_all) else None}
    model = density_model(per_kel, lang)
    floods = None
    if show_floods:
        floods = drainase.flood_frame(run("banjir_by_kota", kota_kode=kota, dari=today - dt.timedelta(days=365),
                                          sampai=today), assets["labels"], lang)
    extra = [maps.banjir_layer(floods)] if floods is not None and len(floods) else []
    point_frame = maps.drainase_point_frame(shown, lang)
    deck = maps.choropleth_deck(assets, model.frame, model.classes, model.colors, assets["labels"], point_frame, lang,
                                False, outlined=outlined, extra_layers=extra)
    return DrainMap(points, shown, per_kel, model, point_frame, floods, metrics, maps.FrozenDeck(deck))
