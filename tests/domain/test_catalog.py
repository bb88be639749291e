from pantau.domain.catalog import HEADLINE, INDICATORS, SOURCES, in_view, indicator


def test_the_indicators_are_defined_once_with_both_languages():
    assert HEADLINE == ("stunting", "putus_sekolah", "kemiskinan_ekstrem", "drainase")  # the design card's four
    assert list(INDICATORS) == [*HEADLINE, "wasting", "underweight", "desil_1_4"]  # read from the national exports
    for ind in INDICATORS.values():
        if ind.break_labels:
            assert len(ind.break_labels["id"]) == len(ind.breaks) + 1 == len(ind.break_labels["en"]), ind.id
        for attr in ("label", "short_label", "unit", "count_def"):
            value = getattr(ind, attr)
            assert value["id"] and value["en"] and value["id"] != "", (ind.id, attr)
        assert ind.opd
        assert ind.lower_is_better


def test_stunting_uses_who_unicef_thresholds_and_the_national_target():
    st = indicator("stunting")
    assert st.breaks == (2.5, 10.0, 20.0, 30.0)
    assert len(st.break_labels["id"]) == len(st.breaks) + 1 == len(st.break_labels["en"])
    assert st.target == 14.0
    assert st.has_rate


def test_drainage_has_no_denominator_and_lives_in_its_own_table():
    dr = indicator("drainase")
    assert not dr.has_rate and dr.table == "drainase"


def test_sources_are_official_and_field():
    assert set(SOURCES) == {"resmi", "lapangan"}


def test_a_page_lists_an_indicator_beyond_the_four_only_where_it_has_figures():
    assert [i.id for i in in_view([])] == list(HEADLINE)
    assert [i.id for i in in_view(["stunting", "wasting"])] == [*HEADLINE, "wasting"]
    assert not any(i.weight for i in INDICATORS.values() if not i.headline)  # no score changes by an upload alone


def test_an_extreme_poverty_count_is_decile_1_and_never_decile_10_or_1_to_4():
    import re

    from pantau.domain.catalog import INDICATORS

    poor, wider = INDICATORS["kemiskinan_ekstrem"].count_headers, INDICATORS["desil_1_4"].count_headers
    assert all(re.search(poor, h) for h in ("jumlah rt desil 1", "desil1", "keluarga miskin ekstrem"))
    assert not any(re.search(poor, h) for h in ("jumlah desil 10", "desil 1-4", "desil 1 4", "desil 1 s d 4"))
    assert all(re.search(wider, h) for h in ("desil 1-4", "desil 1 4", "desil 1 sampai 4"))
