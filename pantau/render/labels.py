"""Which kelurahan names a map labels first, and whether a name's box is free: one rule for the handout and the web map.

A name is drawn fully legible or not at all; when two would collide, the one earlier in `label_order` stays.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd


def label_order(frame: pd.DataFrame, selected: str | None = None, priority: Iterable[str] = (),
                flagged: Iterable[str] = (), also: Iterable[str] = ()) -> list[str]:
    """The kelurahan codes in the order their names claim room on a map.

    `frame` has a `kode`, a `kelas` (a higher class is worse; below zero is no class: no report or a figure
    that cannot be true) and an `area`. The selected kelurahan comes first, then the priority ones, the
    flagged ones and `also` (the rows of the screen's table), then the worst class, then the larger area;
    the code breaks the last ties so the order never depends on the frame's row order.
    """
    priority, flagged, also = set(priority), set(flagged), set(also)
    rows = frame[["kode", "kelas", "area"]].copy()
    rows["kelas"] = pd.to_numeric(rows["kelas"], errors="coerce").fillna(-1)
    rows["area"] = pd.to_numeric(rows["area"], errors="coerce").fillna(0.0)
    rows["rank"] = [0 if k == selected else 1 if k in priority else 2 if k in flagged else 3 if k in also else 4
                    for k in rows["kode"]]
    rows["worst"] = -rows["kelas"].clip(lower=-1)
    return rows.sort_values(["rank", "worst", "area", "kode"], ascending=[True, True, False, True])["kode"].tolist()


def overlaps(box: tuple[float, float, float, float], boxes: Iterable[tuple[float, float, float, float]]) -> bool:
    """Whether a box (x0, y0, x1, y1) shares any area with one of `boxes`."""
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in boxes)
