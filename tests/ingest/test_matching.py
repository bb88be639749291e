"""Kelurahan names to codes: prefixes, typos, codes, aliases, and names used twice."""

import pandas as pd
import pytest

from pantau.ingest.matching import Matcher, code_from_text, normalize
from pantau.render import fmt

WILAYAH = pd.DataFrame([
    ("99.01.01", "Sukajadi", "kecamatan", "99.01"),
    ("99.01.02", "Tampan", "kecamatan", "99.01"),
    ("99.01.01.1001", "Sukamaju", "kelurahan", "99.01.01"),
    ("99.01.02.1001", "Sukamaju", "kelurahan", "99.01.02"),
    ("99.01.01.1002", "Sukajadi", "kelurahan", "99.01.01"),
    ("99.01.02.1002", "Tanjung Rhu", "kelurahan", "99.01.02"),
    ("99.01.02.1003", "Sungai Sibam", "kelurahan", "99.01.02"),
], columns=["kode", "nama", "tingkat", "parent_kode"])


@pytest.fixture()
def matcher():
    return Matcher(WILAYAH, "99.01")


def test_prefixes_case_and_abbreviations(matcher):
    assert normalize("Kel. TANJUNG  RHU") == "tanjung rhu"
    assert matcher.match("Kel. Tj. Rhu").kode == "99.01.02.1002"
    assert matcher.match("DESA Sei Sibam").kode == "99.01.02.1003"
    assert matcher.match("S. Sibam").kode == "99.01.02.1003"


@pytest.mark.parametrize(("written", "read"), [
    ("Gn. Elai", "gunung elai"), ("Gng Elai", "gunung elai"), ("Kel. Tj. Laut Indah", "tanjung laut indah"),
    ("Kp. Baru", "kampung baru"), ("Sp. Tiga", "simpang tiga"), ("Ps. Baru", "pasar baru"), ("Bt. Ampar", "batu ampar"),
    ("Tlk. Lerong Ulu", "teluk lerong ulu"), ("Ds. Sei Kapih", "sungai kapih"), ("S. Pinang", "sungai pinang"),
    ("S", "s"), ("Api-api", "api api"),
])
def test_place_name_abbreviations_read_as_the_full_word(written, read):
    assert normalize(written) == read


def test_gn_elai_in_a_bontang_file_is_gunung_elai(demo_lake):
    from functools import partial

    from pantau.lake import queries

    run = partial(queries.run, demo_lake.connect().cursor())
    bontang = Matcher(run("kelurahan_by_kota", kota_kode="64.74"), "64.74")
    found = bontang.match("Gn. Elai")
    assert found.how == "exact" and bontang.label(found.kode).startswith("Gunung Elai")


def test_codes_with_or_without_dots_and_other_kota(matcher):
    assert code_from_text("9901021002") == "99.01.02.1002"
    assert matcher.match(None, "9901021002").how == "code"
    assert matcher.match(None, "64.74.01.1001").how == "other_kota"
    assert matcher.match(None, "99.01.09.9999").how == "bad_code"
    assert matcher.match("99.01.02.1003").kode == "99.01.02.1003"  # a code typed in the name column


def test_same_name_in_two_kecamatan_needs_the_kecamatan(matcher):
    assert matcher.match("Sukamaju").how == "ambiguous"
    assert matcher.match("Sukamaju", kecamatan_text="Kec. Tampan").kode == "99.01.02.1001"
    assert matcher.match("sukamaju", kecamatan_text="SUKAJADI").kode == "99.01.01.1001"


def test_a_kelurahan_named_like_its_kecamatan_is_a_kelurahan(matcher):
    assert matcher.match("Sukajadi").kode == "99.01.01.1002"
    assert not matcher.is_kecamatan_name("Sukajadi")
    assert matcher.is_kecamatan_name("Kecamatan Tampan")


def test_typos_are_accepted_only_when_clear_and_unknown_names_get_suggestions(matcher):
    # One slipped letter in a name this short is only proposed: the officer confirms it before saving
    # (a long name with one slip is taken: see the Lok Tuwan test below).
    unsure = matcher.match("Tanjung Rhuu")
    assert unsure.how == "confirm" and unsure.kode is None and 88 <= unsure.score < 97
    assert unsure.suggestions[0][0] == "99.01.02.1002"
    unknown = matcher.match("Sungai Sirih")
    assert unknown.kode is None and unknown.suggestions[0][0] == "99.01.02.1003"
    assert matcher.match("Bukit Raya").how == "unknown"


def test_aliases_win_over_fuzzy_matching():
    m = Matcher(WILAYAH, "99.01", {"Kampung Dalam": "99.01.02.1003"})
    assert m.match("KAMPUNG DALAM").how == "alias" and m.match("kampung dalam").kode == "99.01.02.1003"


@pytest.mark.parametrize("text, value", [
    ("1.778", 1778.0), ("12,5", 12.5), ("1.778,5", 1778.5), ("0", 0.0), (12.0, 12.0), ("'120", 120.0),
    ("-", None), ("", None), ("tidak ada data", None), ("  TAD ", None), (None, None),
])
def test_indonesian_numbers_and_missing_markers(text, value):
    assert fmt.parse_number(text) == value


@pytest.mark.parametrize("text", ["1.7a8", "12.5", "dua", "1,2,3"])
def test_unreadable_numbers_are_refused_not_guessed(text):
    with pytest.raises(fmt.Unparsable):
        fmt.parse_number(text)


def test_periods_and_dates_in_indonesian():
    import datetime as dt

    assert fmt.find_period("REKAPITULASI ... BULAN AGUSTUS 2025") == dt.date(2025, 8, 1)
    assert fmt.find_period("Periode: 2025-08") == dt.date(2025, 8, 1)
    assert fmt.find_period("DINAS KESEHATAN") is None
    assert fmt.parse_date("27 Agustus 2025") == dt.date(2025, 8, 27)
    assert fmt.parse_date("05/01/2026") == dt.date(2026, 1, 5)
    with pytest.raises(fmt.Unparsable):
        fmt.parse_date("31/02/2026")


def test_lok_tuwan_is_proposed_as_lok_tuan_but_not_taken_without_the_officer():
    """The audit's case (Banjarbaru's Lok Tuan, 94 % similar): asked, not accepted with a warning; once
    confirmed the name is an alias and matches at once."""
    from pantau.ingest.matching import AUTO_SCORE, SURE_SCORE

    wilayah = pd.DataFrame([
        ("63.72.01", "Landasan Ulin", "kecamatan", "63.72"),
        ("63.72.01.1001", "Lok Tuan", "kelurahan", "63.72.01"),
        ("63.72.01.1002", "Guntung Payung", "kelurahan", "63.72.01"),
        ("63.72.01.1003", "Landasan Ulin Utara", "kelurahan", "63.72.01"),
    ], columns=["kode", "nama", "tingkat", "parent_kode"])
    match = Matcher(wilayah, "63.72").match("Lok Tuwan")
    assert match.how == "confirm" and match.kode is None
    assert match.suggestions[0][0] == "63.72.01.1001" and AUTO_SCORE <= match.score < SURE_SCORE
    assert Matcher(wilayah, "63.72").match("Landasan Ulin Utra").how == "fuzzy"  # 97 %: one letter of 19
    confirmed = Matcher(wilayah, "63.72", {"Lok Tuwan": "63.72.01.1001"}).match("LOK TUWAN")
    assert confirmed.how == "alias" and confirmed.kode == "63.72.01.1001"
