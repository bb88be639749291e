"""Tindak lanjut: the open actions per kelurahan as a map."""

from __future__ import annotations

import pandas as pd

from pantau.views.shared import MapModel

OPEN_BREAKS = [1.0, 2.0, 4.0]


def open_map_model(counts: pd.DataFrame, wilayah: pd.DataFrame, lang: str):
    """Open actions per kelurahan as a choropleth: none, 1, 2-3, 4 or more (wilayah: kelurahan_by_kota)."""
    from pantau.domain import classes
    from pantau.i18n import t

    kecamatan = wilayah[wilayah["tingkat"] == "kecamatan"].set_index("kode")["nama"]
    parent = wilayah.set_index("kode")["parent_kode"]
    frame = counts.copy()
    frame["kecamatan"] = [kecamatan.get(parent.get(k), "") for k in frame["kode"]]
    series = frame["terbuka"].astype(float)
    kelas = classes.classify(series, OPEN_BREAKS)
    colors = classes.palette(len(OPEN_BREAKS) + 1)
    frame["nilai"] = series
    frame["nilai_teks"] = [t("aksi.map_value", lang, n=int(n), late=int(o))
                           for n, o in zip(frame["terbuka"], frame["terlambat"])]
    frame["keterangan"] = [t("peta.kecamatan_prefix", lang, nama=k) for k in frame["kecamatan"]]
    labels = ["0", "1", "2–3", "≥ 4"]
    legend = [{"color": colors[i], "label": labels[i], "count": int((kelas == i).sum())}
              for i in reversed(range(len(colors)))]
    return MapModel(frame, kelas, colors, legend, "count")
