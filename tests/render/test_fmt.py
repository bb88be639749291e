import datetime as dt
import math

from pantau.render import fmt


def test_indonesian_numbers_rates_and_dates():
    assert fmt.number(1778) == "1.778"
    assert fmt.rate(12.5) == "12,5 %"
    assert fmt.period("2025-08") == "Agustus 2025"
    assert fmt.day(dt.date(2025, 8, 27)) == "27 Agustus 2025"
    assert fmt.signed(-3.5, digits=1) == "−3,5"
    assert fmt.signed(12) == "+12"
    assert fmt.month_short("2025-08") == "Agu 2025"


def test_english_when_switched():
    assert fmt.number(1778, "en") == "1,778"
    assert fmt.rate(12.5, "en") == "12.5%"
    assert fmt.period("2025-08", "en") == "August 2025"


def test_missing_is_a_dash_and_zero_is_a_number():
    assert fmt.number(None) == fmt.MISSING
    assert fmt.rate(math.nan) == fmt.MISSING
    assert fmt.number(0) == "0"


def test_plotly_separators_follow_the_language():
    assert fmt.plotly_separators("id") == ",."
    assert fmt.plotly_separators("en") == ".,"


def test_dates_in_babel_medium_form_and_ranges():
    assert fmt.day_short(dt.date(2023, 1, 2)) == "2 Jan 2023"
    assert fmt.day_short(dt.datetime(2026, 10, 5, 13, 0)) == "5 Okt 2026"
    assert fmt.day_short(dt.date(2023, 1, 2), "en") == "Jan 2, 2023"
    assert fmt.day_range(dt.date(2023, 1, 2), dt.date(2026, 12, 1)) == "2 Jan 2023 – 1 Des 2026"
    assert fmt.day_short(None) == fmt.MISSING


def test_ratios_have_a_fixed_number_of_decimals():
    assert [fmt.ratio(v) for v in (14.333, 6.08, 16, 12.2)] == ["14,33×", "6,08×", "16,00×", "12,20×"]
    assert fmt.ratio(14.333, "en") == "14.33×"
    assert fmt.ratio(math.inf) == fmt.MISSING and fmt.ratio(None) == fmt.MISSING


def test_time_zones_by_province_code():
    wib = ["11.71", "12.71", "13.71", "14.71", "16.74", "18.71", "19.71", "21.71", "31.71", "32.73", "33.74", "34.71",
           "35.78", "36.71", "61.71", "62.71"]
    wita = ["51.71", "52.71", "53.71", "63.72", "64.74", "65.71", "71.71", "72.71", "73.71", "74.71", "75.71", "76.01"]
    wit = ["81.71", "82.71", "91.71", "92.71", "93.01", "94.01", "95.01", "96.71"]
    assert {fmt.zone_for(k) for k in wib} == {"WIB"}
    assert {fmt.zone_for(k) for k in wita} == {"WITA"}
    assert {fmt.zone_for(k) for k in wit} == {"WIT"}
    assert fmt.zone_for("6474") == "WITA" and fmt.zone_for("64.74.01.1003") == "WITA"
    assert fmt.zone_for(None) == "WIB"  # the national reference when a kota is not known


def test_times_are_shown_on_the_kotas_own_clock():
    moment = dt.datetime(2026, 11, 30, 18, 30, tzinfo=dt.timezone.utc)
    assert fmt.time_local(moment, "64.74") == "1 Des 2026 02.30 WITA"
    assert fmt.time_local(moment, "14.71") == "1 Des 2026 01.30 WIB"
    assert fmt.time_local(moment, "91.71") == "1 Des 2026 03.30 WIT"
    assert fmt.time_local(dt.datetime(2026, 11, 30, 18, 30), "64.74") == "1 Des 2026 02.30 WITA"  # naive is UTC
    assert fmt.time_local("2026-12-01 19:30:43+00:00", "64.74", "en") == "Dec 2, 2026 3:30 AM WITA"
    assert fmt.time_local(None, "64.74") == fmt.MISSING
    assert fmt.local_time(moment, "64.74").date() == dt.date(2026, 12, 1)
