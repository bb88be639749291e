"""Peta wilayah: one indicator over the nation, a province, a kab/kota or a kecamatan, at any level down to
desa/kelurahan; click to go down, the breadcrumb to go back up."""

import streamlit as st

from pantau.domain.catalog import SOURCES
from pantau.i18n import t
from pantau.render import cards, fmt, level_map
from pantau.views.shared import level_choices, map_model, part_values, previous_period, values_table
from pantau.views.wilayah import level_legend, open_choices, valid_wilayah
from pantau.web import fit, map_ui, ui, widgets

view = ui.page_view(measure_widget=True, kota_widget=False)
lang, ind = view.lang, view.indicator
user = ui.current_user()
wilayah = valid_wilayah(st.query_params.get("w", st.session_state.get("view_w")), user.area)
st.session_state["view_w"] = wilayah
st.query_params["w"] = wilayah
levels = level_choices(wilayah)
if st.session_state.get("w_tingkat") not in levels:  # first visit, or a drill down: the URL's level, or the
    asked = st.query_params.get("tingkat")        # first level whose areas have boundaries to draw
    if asked not in levels:
        with ui.guard(lang):
            asked = next((lv for lv in levels if map_ui.part_assets(wilayah, lv)["bounds"] is not None), levels[0])
    st.session_state["w_tingkat"] = asked


def _go(code: str) -> None:
    """Down to a part (a click on the map) or up to an ancestor (the breadcrumb)."""
    st.session_state["view_w"] = code
    st.query_params["w"] = code
    st.query_params.pop("tingkat", None)
    st.session_state.pop("w_tingkat", None)
    map_ui.new_map_key("wilayah")


def _open(code: str | None) -> None:
    if code and len(code) <= 8:
        _go(code)
    elif code:  # a desa/kelurahan: its profile is on its kab/kota's map
        st.session_state["open_kelurahan"] = code


def _clicked() -> None:
    _open(map_ui.clicked_code("wilayah", ("bagian", "titik", "nama")))


def _picked() -> None:
    _open(st.session_state.pop("w_open", None))


opened = st.session_state.pop("open_kelurahan", None)
if opened:
    st.switch_page("pages/peta.py", query_params={"kota": opened[:5], "kel": opened})

with ui.guard(lang):
    trail = ui.run("induk_by_kode", kode=wilayah)
names = dict(zip(trail["kode"], trail["nama"]))
here = names.get(wilayah) or t("wilayah.nasional", lang)
st.title(t("wilayah.title", lang, indikator=ind.text("label", lang), wilayah=here))
st.caption(f"{fmt.period(view.periode, lang)} · {SOURCES[view.sumber][lang]}")

# Breadcrumb: the nation (for users of the whole country), then each level down to here (ui.run has
# already left out the levels above a limited user's area).
with st.container(horizontal=True, gap="small", key="wilayah_trail"):
    steps = ([("", t("wilayah.nasional", lang))] if not user.area else []) + list(zip(trail["kode"], trail["nama"]))
    for i, (code, name) in enumerate(steps):
        st.button(name, key=f"trail_{code or 'id'}", on_click=_go, args=(code,), disabled=code == wilayah,
                  type="tertiary", icon=":material/chevron_right:" if i else ":material/public:")
level = st.segmented_control(t("wilayah.level", lang), levels, key="w_tingkat", required=True,
                             format_func=lambda lv: t(f"wilayah.level.{lv}", lang))
st.query_params["tingkat"] = level

with ui.guard(lang):
    values = part_values(ui.run, wilayah, ind.id, view.sumber, view.periode, previous_period(view.periode), level)
    model = map_model(values, ind, view.ukuran, lang, view.kelas, texts=len(values) <= 5_000)
    assets = map_ui.part_assets(wilayah, level)

map_col, side_col = st.columns([3, 1.25], gap="medium")
with map_col:
    deck = level_map.level_deck(assets, model.frame["kode"].tolist(), model.classes, model.colors, assets["labels"])
    fit.chart(deck, "wilayah", key=map_ui.map_key("wilayah"), on_select=_clicked, selection_mode="single-object")
    if assets["bounds"] is None:  # e.g. the four-city demo knows its provinces by name only
        st.info(t("wilayah.no_boundary", lang, level=t(f"wilayah.level.{level}", lang).lower()), icon=":material/map:")
    st.caption(t("wilayah.click_hint", lang) if level != "kelurahan" else t("wilayah.click_desa", lang))
    # The same step without the mouse: from the keyboard, a clicker, or a phone (and where a map of large
    # shapes is slow to answer a click).
    choices = open_choices(model.frame)
    if choices:
        st.selectbox(t("wilayah.open", lang), list(choices), index=None, key="w_open", on_change=_picked,
                     format_func=choices.get, placeholder=t("wilayah.open_pick", lang))
with side_col:
    legend = level_legend(model, assets.get("jumlah"), lang)
    st.html(cards.legend_html(t("peta.legend", lang), legend, t(f"peta.classes.{model.rule}", lang)))
    reporting, expected = int(values["reporting"].sum()), int(values["expected"].sum())
    st.caption(t("wilayah.completeness", lang, reporting=fmt.number(reporting, lang), expected=fmt.number(expected, lang)))
    if len(wilayah) == 5:
        st.page_link("pages/peta.py", label=t("wilayah.open_kota", lang, nama=here), icon=":material/map:",
                     query_params={"kota": wilayah})

st.subheader(t("wilayah.table", lang, level=t(f"wilayah.level.{level}", lang)))
TABLE_ROWS = 2_000
table = values_table(model, view.ukuran, lang, limit=TABLE_ROWS)
if len(model.frame) > TABLE_ROWS:
    st.caption(t("wilayah.table_top", lang, n=fmt.number(TABLE_ROWS, lang), total=fmt.number(len(model.frame), lang)))
widgets.dataframe(table, hide_index=True)
widgets.downloads(lambda: values_table(model, view.ukuran, lang),
                  f"pantau-{wilayah or 'id'}-{level}-{view.indikator}-{view.sumber}-{view.periode}", "Wilayah", lang)
