from pantau.domain.catalog import INDICATORS, SOURCES, indicator


def test_the_four_indicators_are_defined_once_with_both_languages():
    assert list(INDICATORS) == ["stunting", "putus_sekolah", "kemiskinan_ekstrem", "drainase"]
    for ind in INDICATORS.values():
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
