"""Drainase & banjir: open points per km² of each kelurahan as a map."""

from __future__ import annotations

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
