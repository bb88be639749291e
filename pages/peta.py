"""Peta: a choropleth per kelurahan, drainage points on top, and the profile of the kelurahan clicked."""

import streamlit as st

from pantau.domain.catalog import SOURCES
from pantau.i18n import t
from pantau.render import cards, charts, fmt, maps
from pantau.views import peta
from pantau.views.shared import values_table
from pantau.web import fit, map_ui, ui, widgets

view = ui.page_view(measure_widget=True)
lang, ind = view.lang, view.indicator
st.title(t("peta.title", lang, indikator=ind.text("label", lang)))
st.caption(f"{view.kota_nama} · {fmt.period(view.periode, lang)} · {SOURCES[view.sumber][lang]}")

with ui.guard(lang):
    shown = ui.model(peta.choropleth, view)
    model = shown.model
    assets = map_ui.map_assets(view.kota, lang)
    outlined = map_ui.priority_kodes(view.kota)

with st.sidebar:
    show_points = st.toggle(t("peta.show_drainase", lang), value=True, key="show_points")
    show_values = st.toggle(t("peta.show_values", lang), value=False, key="show_values")
    zooms = peta.zoom_choices(model.frame, tuple(outlined), lang)
    if st.session_state.get("w_zoom") not in zooms:  # another kota's kecamatan, or no priority any more
        st.session_state["w_zoom"] = ""
    zoom_to = st.selectbox(t("peta.zoom", lang), list(zooms), format_func=zooms.get, key="w_zoom")

kode = map_ui.selected_kelurahan(model.frame)
with ui.guard(lang):
    layers = ui.model(peta.map_layers, view, show_points, show_values, kode, tuple(outlined),
                      given={"assets": assets, "choropleth": shown})
points = layers.points
map_col, side_col = st.columns([3, 1.25], gap="medium")
with map_col:
    with ui.guard(lang):
        bounds = ui.model(peta.zoom_bounds, view.kota, zoom_to, tuple(outlined)) if zoom_to else None
    fit.chart(layers.deck, "peta", bounds=bounds, key=map_ui.map_key(), on_select=map_ui.select_from_map,
              selection_mode="single-object")

with side_col:
    rule_note = t(f"peta.classes.{model.rule}", lang)
    st.html(cards.legend_html(t("peta.legend", lang), model.legend, rule_note))
    if outlined:
        st.html(cards.legend_html("", maps.priority_legend(len(outlined), lang)))
    if show_points and points is not None:
        st.html(cards.legend_html(t("peta.drainase_layer", lang), maps.condition_legend(points, lang)))
    st.selectbox(t("peta.pick", lang), [None, *shown.labels], key="w_kel",
                 format_func=lambda k: "–" if k is None else shown.labels[k],
                 on_change=map_ui.select_from_box, placeholder=t("peta.pick", lang))
    if kode is None:
        st.caption(t("profil.hint", lang))
    else:
        row = model.frame.set_index("kode").loc[kode]
        st.subheader(t("profil.title", lang, nama=row["nama"]))
        st.caption(t("profil.kecamatan", lang, nama=row["kecamatan"], kode=kode))
        if not row["has_boundary"]:
            st.caption(t("profil.no_boundary", lang))
        with ui.guard(lang):
            widgets.dataframe(peta.profile_table(peta.profile(ui.run, kode, view.periode), lang), hide_index=True)
            series = peta.kelurahan_series(ui.run, kode, ind.id, view.periode)
        if ind.table == "nilai":
            st.caption(t("profil.trend", lang, indikator=ind.text("short_label", lang)))
            st.plotly_chart(charts.series_figure(series, ind, view.ukuran, lang),
                            config={"displayModeBar": False})

if shown.note:
    st.warning(shown.note, icon=":material/map:")

st.subheader(t("peta.table", lang))
table = values_table(model, view.ukuran, lang)
widgets.dataframe(table, hide_index=True)
widgets.downloads(lambda: table, f"pantau-{view.kota}-{view.indikator}-{view.sumber}-{view.periode}",
                  ind.text("short_label", lang)[:31], lang)
with st.container(horizontal=True):
    st.download_button(t("deck.png", lang),
                       lambda: map_ui.map_png(view.kota, lang, f"{ind.text('label', lang)} · {view.kota_nama}",
                                              fmt.period(view.periode, lang), f"{ind.opd} · {SOURCES[view.sumber][lang]}",
                                              model, outlined, points),
                       f"pantau-{view.kota}-{view.indikator}-{view.sumber}-{view.periode}.png", "image/png",
                       icon=":material/image:", on_click="ignore", key="dl_peta_png")
