"""How far to trust a number: rules that turn the quality measures of queries/kualitas_by_wilayah.sql
and queries/kesegaran_by_wilayah.sql into a green, amber or red badge with its reasons."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from pantau.i18n import t
from pantau.render import fmt

LEVELS = ("green", "amber", "red")
# Thresholds, in one place so a planner can read them (and the README quotes them).
COMPLETE_GREEN, COMPLETE_AMBER = 0.95, 0.80
HEAPING_EXPECTED, HEAPING_RED = 0.20, 0.35
OUTLIER_Z, OUTLIERS_RED = 3.5, 3
LATE_AMBER_DAYS, LATE_RED_DAYS = 45, 75  # a monthly report, with two weeks' grace


@dataclass
class Badge:
    """A colour and the sentences that say why."""

    level: str = "green"
    reasons: list[str] = field(default_factory=list)

    def raise_to(self, level: str, reason: str) -> None:
        if LEVELS.index(level) > LEVELS.index(self.level):
            self.level = level
        self.reasons.append(reason)

    @property
    def rank(self) -> int:
        return LEVELS.index(self.level)


def _get(row, key, default=0):
    value = row.get(key, default) if hasattr(row, "get") else getattr(row, key, default)
    return default if fmt.is_missing(value) else value


def lateness(days_since_upload: int | None) -> str | None:
    """"amber" or "red" when a monthly source is late, None when it is on time or unknown."""
    if days_since_upload is None or days_since_upload <= LATE_AMBER_DAYS:
        return None
    return "red" if days_since_upload > LATE_RED_DAYS else "amber"


def badge(row, lang: str, days_since_upload: int | None = None) -> Badge:
    """The badge of one row of kualitas_by_wilayah (a kelurahan, a kecamatan or the kota)."""
    b = Badge()
    reporting, expected = int(_get(row, "reporting")), int(_get(row, "expected", 1))
    single = _get(row, "tingkat", "") == "kelurahan"
    if single and reporting == 0:
        b.raise_to("red", t("q.not_reported", lang))
    elif not single and expected:
        share = reporting / expected
        if share < COMPLETE_GREEN:
            level = "amber" if share >= COMPLETE_AMBER else "red"
            b.raise_to(level, t("q.completeness", lang, reporting=reporting, expected=expected))

    heaping_n, heaping_of = int(_get(row, "heaping_n")), int(_get(row, "heaping_of"))
    flagged = int(_get(row, "heaping_kelurahan"))
    if flagged and heaping_of:
        share = heaping_n / heaping_of
        level = "red" if share > HEAPING_RED else "amber"
        text = t("q.heaping_one", lang, share=fmt.rate(100 * share, lang, 0)) if single else \
            t("q.heaping", lang, n=flagged, share=fmt.rate(100 * share, lang, 0))
        b.raise_to(level, text)

    outliers = int(_get(row, "outliers"))
    if outliers:
        level = "red" if outliers >= OUTLIERS_RED else "amber"
        text = t("q.outlier_one", lang, z=fmt.number(_get(row, "z"), lang, 1)) if single else \
            t("q.outliers", lang, n=outliers)
        b.raise_to(level, text)

    impossible = int(_get(row, "impossible"))
    if impossible:
        b.raise_to("red", t("q.impossible", lang, n=impossible))

    late = lateness(days_since_upload)
    if late:
        b.raise_to(late, t("q.late", lang, days=days_since_upload))

    if not b.reasons:
        b.reasons.append(t("q.ok", lang))
    return b


def badge_html(b: Badge, lang: str) -> str:
    """A small coloured pill whose tooltip (title) says why."""
    label = t(f"q.level.{b.level}", lang)
    why = html.escape(" · ".join(b.reasons))
    return f'<span class="pk-badge pk-badge-{b.level}" title="{why}">● {html.escape(label)}</span>'
