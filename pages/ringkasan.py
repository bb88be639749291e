"""Ringkasan: the headline number of every indicator, what changed most, and how fresh the data is."""

import streamlit as st

from pantau.domain.catalog import SOURCES
from pantau.i18n import t
from pantau.render import cards, fmt
from pantau.views import ringkasan
from pantau.views.shared import previous_period
from pantau.web import ui

view = ui.page_view(scope_widget=True)
lang = view.lang
st.title(t("ringkasan.title", lang, kota=view.wilayah_nama))
st.caption(t("ringkasan.subtitle", lang, periode=fmt.period(view.periode, lang), sumber=SOURCES[view.sumber][lang]))

with ui.guard(lang):
    briefing = ui.model(ringkasan.briefing, view, ui.today())  # one computation for the whole room

st.html(cards.tiles_html(briefing.tiles))

ind = view.indicator
worst_col, change_col = st.columns(2, gap="large")
with worst_col:
    st.subheader(t("ringkasan.highest", lang, indikator=ind.text("short_label", lang),
                   level=t("col.kelurahan" if briefing.level == "kelurahan" else f"wilayah.level.{briefing.level}",
                           lang)))
    st.caption(t("ringkasan.highest_caption", lang, periode=fmt.period(view.periode, lang)))
    if briefing.highest:
        st.html(cards.bar_table(briefing.highest))
    else:
        st.caption(t("tile.no_data", lang))
    if briefing.left_out:
        st.warning(briefing.left_out, icon=":material/report:")
with change_col:
    st.subheader(t("ringkasan.changes", lang, indikator=ind.text("short_label", lang)))
    if not briefing.changes:
        st.caption(t("ringkasan.no_changes", lang))
    else:
        st.caption(t("ringkasan.changes_caption", lang, periode_lalu=fmt.period(previous_period(view.periode), lang)))
        st.html(cards.bar_table(briefing.changes))

st.subheader(t("ringkasan.freshness", lang))
for line in briefing.freshness:
    st.markdown(f"- {line}")
