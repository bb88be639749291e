"""Numbers, rates and dates in Indonesian (or English) through Babel."""

from __future__ import annotations

import datetime as dt
import math

from babel.dates import format_date
from babel.numbers import format_decimal

LOCALES = {"id": "id_ID", "en": "en_US"}
MISSING = "–"


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["id"])


def is_missing(value) -> bool:
    """Whether a value is absent (None or NaN); zero is a value."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, lang: str = "id", digits: int = 0) -> str:
    """A count or a measure: 1.778 in Indonesian, 1,778 in English."""
    if is_missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def rate(value, lang: str = "id", digits: int = 1) -> str:
    """A percentage already scaled to 0-100: 12,5 %."""
    if is_missing(value):
        return MISSING
    return number(value, lang, digits) + (" %" if lang == "id" else "%")


def signed(value, lang: str = "id", digits: int = 0) -> str:
    """A change with its sign: +12 or −3,5."""
    if is_missing(value):
        return MISSING
    pattern = "+#,##0" + ("." + "0" * digits if digits else "")
    text = format_decimal(value, format=f"{pattern};-{pattern[1:]}", locale=_locale(lang))
    return text.replace("-", "−")


def period_date(period: str) -> dt.date:
    """The first day of a YYYY-MM period."""
    year, month = period.split("-")
    return dt.date(int(year), int(month), 1)


def period(value: str | dt.date, lang: str = "id") -> str:
    """A month as words: Agustus 2025."""
    date = period_date(value) if isinstance(value, str) else value
    return format_date(date, "LLLL yyyy", locale=_locale(lang))


def month_short(value: str | dt.date, lang: str = "id") -> str:
    """A month for an axis: Agu 2025."""
    date = period_date(value) if isinstance(value, str) else value
    return format_date(date, "LLL yyyy", locale=_locale(lang))


def day(value: dt.date | dt.datetime, lang: str = "id") -> str:
    """A date as words: 27 Agustus 2025."""
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, "d MMMM yyyy", locale=_locale(lang))


def plotly_separators(lang: str = "id") -> str:
    """Plotly's decimal and thousands separators for the language."""
    return ",." if lang == "id" else ".,"
