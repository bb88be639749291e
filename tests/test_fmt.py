import datetime as dt
import math

from pantau import fmt


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
