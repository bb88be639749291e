"""A click on Peta's map, as Streamlit's deck chart hands it to `map_ui.select_from_map`."""

from streamlit.testing.v1 import AppTest


def _after_click(selection: dict) -> AppTest:
    def script():
        import streamlit as st

        from pantau.web import map_ui

        if not st.session_state.get("clicked"):
            st.session_state["clicked"] = True
            map_ui.select_from_map()
        st.text(f"{st.session_state.get('view_kel')}|{map_ui.map_key('peta')}")

    at = AppTest.from_function(script)
    at.session_state["peta_map_0"] = {"selection": selection}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_click_on_a_drainage_point_opens_the_kelurahan_it_lies_in():
    at = _after_click({"indices": {"drainase": [7]},
                       "objects": {"drainase": [{"id": "BJB-0007", "kode": "63.72.01.1001", "nama": "Titik tersumbat"}]}})
    kel, key = at.text[0].value.split("|")
    assert kel == "63.72.01.1001" and at.query_params["kel"] == "63.72.01.1001"
    assert key == "peta_map_1"  # drawn anew: nothing stays dimmed by the selection


def test_a_click_on_a_shape_opens_it_and_one_on_nothing_changes_nothing():
    at = _after_click({"indices": {"kelurahan": [0]},
                       "objects": {"kelurahan": [{"properties": {"kode": "14.71.02.1003"}}]}})
    assert at.text[0].value == "14.71.02.1003|peta_map_1"
    at = _after_click({"indices": {}, "objects": {}})
    assert at.text[0].value == "None|peta_map_0"
