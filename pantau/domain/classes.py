"""Map classes: which measure a map shows, the class limits, the colours and the legend rows."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pantau.domain.catalog import Indicator
from pantau.i18n import t
from pantau.render import fmt

# ColorBrewer YlOrRd: sequential, readable by the colour-blind and on a washed-out projector.
SEQUENTIAL = {
    2: ["#fecc5c", "#e31a1c"],
    3: ["#ffeda0", "#feb24c", "#f03b20"],
    4: ["#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"],
    5: ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"],
}
MISSING_COLOR = "#c8c8c8"
NO_DATA_COLOR = "#e2e2e2"  # a part the lake holds no figure for at all (a level map beyond its data)
MISSING = -1  # the class of a part without a report
FLAGGED = -2  # the class of a figure that cannot be true (count below zero or above its denominator)
FLAGGED_COLOR = "#ffffff"  # white under a black outline and a ⚠: no class colour claims it
MEASURES = ("rate", "jumlah", "per_km2")


def hex_rgb(color: str, alpha: int = 255) -> list[int]:
    color = color.lstrip("#")
    return [int(color[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


def measures_for(ind: Indicator) -> tuple[str, ...]:
    """The measures a map of this indicator can show, the default first."""
    return ("rate", "jumlah") if ind.has_rate else ("jumlah", "per_km2")


def format_measure(value, measure: str, lang: str) -> str:
    if measure == "rate":
        return fmt.rate(value, lang)
    if measure == "per_km2":
        return fmt.number(value, lang, 2)
    return fmt.number(value, lang)


METHODS = ("who", "quantile", "jenks")


def methods_for(ind: Indicator, measure: str) -> tuple[str, ...]:
    """The class rules that fit an indicator and measure, the default first."""
    if measure == "rate" and ind.classing == "who":
        return METHODS
    return ("quantile", "jenks")


def class_breaks(ind: Indicator, measure: str, values: pd.Series, method: str | None = None) -> tuple[list[float], str]:
    """Lower limits of the classes 2..n for the map, and the rule that made them.

    who: the indicator's fixed thresholds; quantile: about as many kelurahan in each class;
    jenks: Fisher-Jenks natural breaks, the groups the values themselves form.
    """
    method = method if method in methods_for(ind, measure) else methods_for(ind, measure)[0]
    if method == "who":
        return list(ind.breaks), "who"
    present = values.dropna().astype(float)
    if present.empty:
        return [], method
    digits = 1 if measure == "rate" else 2 if measure == "per_km2" else 0
    if method == "jenks" and present.nunique() > 5:
        import jenkspy

        upper = jenkspy.jenks_breaks(present.to_numpy(), n_classes=5)[1:-1]
        # Jenks limits close a class from above; the map's classes start at their limit.
        limits = [float(present[present > u].min()) for u in upper]
    else:
        method = "quantile" if method == "jenks" else method
        limits = [float(q) for q in np.quantile(present, [0.2, 0.4, 0.6, 0.8])]
    # Rounded down, so that the value a limit came from stays in the class the limit opens.
    breaks = sorted({math.floor(b * 10 ** digits) / 10 ** digits for b in limits})
    # A limit at the minimum would leave its class empty.
    breaks = [b for b in breaks if b > present.min()] or [float(present.max())]
    return breaks, method


def classify(values: pd.Series, breaks: list[float]) -> np.ndarray:
    """The class of each value (0 = lowest), or -1 where the value is missing."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
    if not len(breaks):  # nobody reported: every value is missing
        return np.full(len(numbers), -1)
    classes = np.searchsorted(np.asarray(breaks, dtype=float), numbers, side="right")
    return np.where(np.isnan(numbers), -1, classes)


def palette(n_classes: int) -> list[str]:
    return SEQUENTIAL[max(2, min(5, n_classes))][:n_classes] if n_classes > 1 else [SEQUENTIAL[2][1]]


def legend_items(ind: Indicator, measure: str, breaks: list[float], rule: str,
                 classes: np.ndarray, lang: str) -> list[dict]:
    """Colour, label and number of kelurahan of every class, the missing class last."""
    n = len(breaks) + 1
    colors = palette(n)
    items = []
    # No kelurahan reported (no class limits from the values): only the grey "no report" class.
    present = rule == "who" or bool(breaks)
    for i in range(n if present else 0):
        if rule == "who":
            label = ind.break_labels[lang if lang in ind.break_labels else "id"][i]
        elif i == 0:
            label = f"< {format_measure(breaks[0], measure, lang)}"
        elif i == n - 1:
            label = f"≥ {format_measure(breaks[-1], measure, lang)}"
        else:
            label = f"{format_measure(breaks[i - 1], measure, lang)} – < {format_measure(breaks[i], measure, lang)}"
        items.append({"color": colors[i], "label": label, "count": int((classes == i).sum())})
    flagged = int((classes == FLAGGED).sum())
    if flagged:
        items.append({"color": FLAGGED_COLOR, "label": "⚠ " + t("flag.legend", lang), "count": flagged})
    missing = int((classes == -1).sum())
    if missing:
        items.append({"color": MISSING_COLOR, "label": t("peta.no_report", lang), "count": missing})
    return items
