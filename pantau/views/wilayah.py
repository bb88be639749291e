"""Peta wilayah: which wilayah the level map may show."""

from __future__ import annotations

import re

import pandas as pd

from pantau.domain.classes import NO_DATA_COLOR
from pantau.i18n import t

_WILAYAH_CODE = re.compile(r"^(\d{2}(\.\d{2}(\.\d{2})?)?)?$")


def valid_wilayah(code: str | None, area: str | None) -> str:
    """A wilayah code for the level map: a province, kab/kota or kecamatan code, '' for the nation;
    anything else, or anything outside the user's area, becomes the area itself."""
    code = (code or "").strip()
    if not _WILAYAH_CODE.match(code):
        code = ""
    if area and not (code == area or code.startswith(area + ".")):
        return area[:8]
    return code


def level_legend(model, drawn: int | None, lang: str) -> list[dict]:
    """The map model's legend and, when the map draws parts the lake has no figure for (the shipped
    outlines of the rest of the country), a row for them: they are "no data", never nothing. The shapes
    with a figure are the parts of the model that have a boundary (a kelurahan without one is in the
    legend's classes but not drawn)."""
    beyond = (drawn or 0) - int(model.frame["has_boundary"].sum())
    if beyond <= 0:
        return model.legend
    return [*model.legend, {"color": NO_DATA_COLOR, "label": t("wilayah.no_data", lang), "count": beyond}]


OPEN_CHOICES = 600  # more parts than this are found on the map or in the table, not in a list


def open_choices(frame: pd.DataFrame) -> dict[str, str]:
    """The parts a reader can open from a list (code -> name), in name order: those the map shows values for."""
    if frame.empty or len(frame) > OPEN_CHOICES:
        return {}
    rows = frame.drop_duplicates("kode").sort_values(["nama", "kode"])
    return dict(zip(rows["kode"], rows["nama"]))
