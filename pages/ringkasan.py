"""Ringkasan: the headline number of every indicator, what changed most, and how fresh the data is."""

import streamlit as st

from pantau import charts, fmt, ui, views
from pantau.catalog import SOURCES
from pantau.i18n import t

view = ui.page_view()
lang = view.lang
st.title(t("ringkasan.title", lang, kota=view.kota_nama))
st.caption(t("ringkasan.subtitle", lang, periode=fmt.period(view.periode, lang), sumber=SOURCES[view.sumber][lang]))

with ui.guard(lang):
    tiles = views.tiles(ui.run, view.kota, view.periode, view.sumber)
    values = views.kelurahan_values(ui.run, view)
    fresh = views.freshness(ui.run, view.kota)

with st.container(horizontal=True, gap="medium"):
    for tile in tiles:
        with st.container(border=True, width=310):
            card = views.tile_text(tile, view, lang)
            st.metric(card["label"], card["value"], card["delta"], delta_color="inverse",
                      chart_data=tile.history, chart_type="line", help=card["help"])
            st.caption("  \n".join(card["lines"]))

ind = view.indicator
measure = charts.measures_for(ind)[0]
st.subheader(t("ringkasan.changes", lang, indikator=ind.text("label", lang)))
changes = views.biggest_changes(values, ind, measure, n=5)
if changes.empty:
    st.caption(t("ringkasan.no_changes", lang))
else:
    st.caption(t("ringkasan.changes_caption", lang, periode_lalu=fmt.period(views.previous_period(view.periode), lang)))
    st.plotly_chart(charts.change_bars(changes, measure, lang), config={"displayModeBar": False})

st.subheader(t("ringkasan.freshness", lang))
for line in views.freshness_lines(fresh, lang):
    st.markdown(f"- {line}")
