"""Picking rows by the choices of a filter, shared by the lists of drains and of follow-up actions."""

from __future__ import annotations

import pandas as pd


def chosen(frame: pd.DataFrame, **choices) -> pd.Series:
    """Which rows have, in each named column, one of the chosen values (every row where none was chosen)."""
    keep = pd.Series(True, index=frame.index)
    for column, values in choices.items():
        if values:
            keep &= frame[column].isin(values)
    return keep
