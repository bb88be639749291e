"""Numbers, rates and dates in Indonesian (or English) through Babel."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from dataclasses import dataclass

import pandas as pd
from babel import Locale
from babel.dates import format_date, format_time, get_month_names
from babel.numbers import NumberFormatError, parse_decimal, parse_pattern

LOCALES = {"id": "id_ID", "en": "en_US"}
MISSING = "–"


@functools.cache
def _locale(lang: str) -> Locale:
    """The language's Babel locale, parsed once: a locale given by name is looked up again on every call
    (16 % of a busy server's time, measured by bench.load under py-spy)."""
    return Locale.parse(LOCALES.get(lang, LOCALES["id"]))


@functools.cache
def _pattern(pattern: str):
    return parse_pattern(pattern)


def is_missing(value) -> bool:
    """Whether a value is absent (None or NaN); zero is a value."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, lang: str = "id", digits: int = 0) -> str:
    """A count or a measure: 1.778 in Indonesian, 1,778 in English."""
    if is_missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return _pattern(pattern).apply(value, _locale(lang))


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
    text = _pattern(f"{pattern};-{pattern[1:]}").apply(value, _locale(lang))
    return text.replace("-", "−")


def period_date(period: str) -> dt.date:
    """The first day of a YYYY-MM period."""
    year, month = period.split("-")
    return dt.date(int(year), int(month), 1)


def period(value: str | dt.date | int, lang: str = "id") -> str:
    """A month as words: Agustus 2025; a year (an annual figure's period) as itself: 2023."""
    if isinstance(value, int):
        return str(value)
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


def day_short(value: dt.date | dt.datetime, lang: str = "id") -> str:
    """A date as Babel's medium form: 2 Jan 2023 (Jan 2, 2023 in English)."""
    if is_missing(value) or value is pd.NaT:
        return MISSING
    if isinstance(value, dt.datetime):
        value = value.date()
    return format_date(value, "medium", locale=_locale(lang))


def day_range(start: dt.date | dt.datetime, end: dt.date | dt.datetime, lang: str = "id") -> str:
    """Two dates as a range: 2 Jan 2023 – 1 Des 2026."""
    return f"{day_short(start, lang)} – {day_short(end, lang)}"


def ratio(value, lang: str = "id", digits: int = 2) -> str:
    """A ratio with a fixed number of decimals: 14,33× (16,00×, never 16×)."""
    if is_missing(value) or not math.isfinite(float(value)):
        return MISSING
    return number(value, lang, digits) + "×"


# Hours ahead of UTC; Indonesia keeps no daylight saving time.
ZONES = {"WIB": 7, "WITA": 8, "WIT": 9}
# By province code (the first two digits of a Kemendagri code), after the Ministry of Tourism's
# "Time differences" (indonesia.travel): WIB is Sumatra, Java, West and Central Kalimantan (11-36, 61, 62);
# WITA is Bali, the Nusa Tenggara, South, East and North Kalimantan and Sulawesi; WIT is Maluku and Papua.
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}


def zone_for(kode) -> str:
    """The time zone of a wilayah (WIB, WITA or WIT) from its code: "64.74" is WITA; WIB when unknown."""
    province = re.sub(r"\D", "", str(kode or ""))[:2]
    return "WITA" if province in _WITA else "WIT" if province in _WIT else "WIB"


def local_time(value, kode) -> dt.datetime | None:
    """A moment (a naive time is UTC, as the lake stores it) in the wilayah's own zone; None if absent."""
    if is_missing(value) or value is pd.NaT:
        return None
    moment = pd.Timestamp(value).to_pydatetime()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    zone = zone_for(kode)
    return moment.astimezone(dt.timezone(dt.timedelta(hours=ZONES[zone]), zone))


def time_local(value, kode, lang: str = "id") -> str:
    """A moment as the kota reads its clock: 1 Des 2026 02.30 WITA (Dec 1, 2026 2:30 AM WITA)."""
    moment = local_time(value, kode)
    if moment is None:
        return MISSING
    # CLDR puts a narrow no-break space before AM/PM; a plain one reads the same and searches better.
    clock = format_time(moment.replace(tzinfo=None), "short", locale=_locale(lang)).replace("\u202f", " ")
    return f"{day_short(moment, lang)} {clock} {moment.tzname()}"


def plotly_separators(lang: str = "id") -> str:
    """Plotly's decimal and thousands separators for the language."""
    return ",." if lang == "id" else ".,"


# What OPD files write for "not reported": never a zero.
MISSING_WORDS = {"", "-", "–", "—", "--", "tidak ada data", "tad", "td", "n/a", "na", "#n/a",
                 "belum lapor", "belum ada data", "tidak lapor", "x", "?"}


_PLAIN = re.compile(r"-?\d+")
_GROUPED = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?|-?\d+,\d+")


class Unparsable(ValueError):
    """A cell that is neither a number nor a recognised way of saying 'not reported'."""


def parse_number(value) -> float | None:
    """A cell as a number, Indonesian style (1.778 is 1778, 12,5 is 12.5); None when not reported."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise Unparsable(str(value))
    if isinstance(value, (int, float)):
        return None if isinstance(value, float) and math.isnan(value) else float(value)
    text = str(value).strip().replace("\u00a0", " ")
    if text.lower() in MISSING_WORDS:
        return None
    cleaned = text.replace(" ", "")
    # A leading apostrophe is how Excel users force text; a minus may be typed as an en dash.
    cleaned = cleaned.lstrip("'").replace("−", "-")
    # The common shapes, without Babel's per-call locale lookups: 1778, 1.778, 1.778,5, 12,5.
    if _PLAIN.fullmatch(cleaned):
        return float(cleaned)
    if _GROUPED.fullmatch(cleaned):
        return float(cleaned.replace(".", "").replace(",", "."))
    try:
        return float(parse_decimal(cleaned, locale="id_ID", strict=True))
    except (NumberFormatError, ValueError) as exc:
        raise Unparsable(text) from exc


def parse_number_or_none(value) -> float | None:
    """parse_number, with anything unreadable as None."""
    try:
        return parse_number(value)
    except Unparsable:
        return None


def month_names(lang: str = "id") -> dict[str, int]:
    """Full and short month names (lower case) to month numbers."""
    names = {}
    for width in ("wide", "abbreviated"):
        for number_, name in get_month_names(width, locale=_locale(lang)).items():
            names[name.lower().rstrip(".")] = number_
    return names


_MONTHS = {**month_names("en"), **month_names("id"), "agust": 8, "sept": 9, "okt": 10, "des": 12, "nop": 11, "pebruari": 2}
_MONTH_YEAR = re.compile(r"\b(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?\s+(20\d\d)\b", re.I)


def find_period(text: str) -> dt.date | None:
    """The first 'Agustus 2025' (or '2025-08', '08/2025') in a text, as the first of that month."""
    match = _MONTH_YEAR.search(text)
    if match:
        return dt.date(int(match.group(2)), _MONTHS[match.group(1).lower()], 1)
    match = re.search(r"\b(20\d\d)[-/](0?[1-9]|1[0-2])\b", text) or re.search(r"\b(0?[1-9]|1[0-2])[-/](20\d\d)\b", text)
    if match:
        a, b = match.groups()
        year, month = (a, b) if len(a) == 4 else (b, a)
        return dt.date(int(year), int(month), 1)
    return None


def parse_date(value) -> dt.date | None:
    """A cell as a date: a spreadsheet date, 27/08/2025, 2025-08-27 or 27 Agustus 2025; None if blank."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if text.lower() in MISSING_WORDS:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        y, m, d = map(int, match.groups())
        return _date(y, m, d, text)
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if match:
        d, m, y = map(int, match.groups())
        return _date(y, m, d, text)
    match = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})", text)
    if match and match.group(2).lower() in _MONTHS:
        return _date(int(match.group(3)), _MONTHS[match.group(2).lower()], int(match.group(1)), text)
    raise Unparsable(text)


def _date(y: int, m: int, d: int, text: str) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError as exc:
        raise Unparsable(text) from exc


@dataclass(frozen=True)
class Shown:
    """A number in a message made before its reader's language is known (an upload's problems and notes):
    written when the message is, 1.140 or 12,5 % in Indonesian, 1,140 or 12.5% in English (i18n.t)."""

    value: float
    digits: int = 0
    percent: bool = False

    def localized(self, lang: str) -> str:
        return rate(self.value, lang, self.digits) if self.percent else number(self.value, lang, self.digits)

    def __str__(self) -> str:
        return self.localized("id")


@dataclass(frozen=True)
class Tally:
    """Names with how many of each, the most first, in a message made before its reader's language is known:
    "Kab. Kutai Timur (1.204), Kota Samarinda (310), …" in Indonesian, with 1,204 in English."""

    counts: tuple[tuple[str, int], ...]
    limit: int = 4

    @classmethod
    def of(cls, counts: dict[str, int], limit: int = 4) -> "Tally":
        return cls(tuple(sorted(counts.items(), key=lambda kv: -kv[1])), limit)

    def localized(self, lang: str) -> str:
        shown = ", ".join(f"{name} ({number(n, lang)})" for name, n in self.counts[:self.limit])
        return shown + (", …" if len(self.counts) > self.limit else "")

    def __str__(self) -> str:
        return self.localized("id")
