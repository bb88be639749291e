"""Ringkasan: the headline number of every indicator, what changed most, and how fresh the data is."""

import streamlit as st

from pantau.domain import classes
from pantau.domain.catalog import SOURCES
from pantau.i18n import t
from pantau.render import cards, fmt
from pantau.views import ringkasan
from pantau.views.shared import freshness, highest, left_out_note, previous_period, summary_level, summary_values
from pantau.web import ui

view = ui.page_view(scope_widget=True)
lang = view.lang
st.title(t("ringkasan.title", lang, kota=view.wilayah_nama))
st.caption(t("ringkasan.subtitle", lang, periode=fmt.period(view.periode, lang), sumber=SOURCES[view.sumber][lang]))

with ui.guard(lang):
    tiles = ringkasan.tiles(ui.run, view.wilayah, view.periode, view.sumber)
    values = summary_values(ui.run, view)
    fresh = freshness(ui.run, view.wilayah, ui.today())
    badges = ringkasan.tile_badges(ui.run, view, ui.today(), lang,
                               months={tile.indicator.id: tile.periode for tile in tiles})

st.html(cards.tiles_html([ringkasan.tile_text(tile, view, lang, badges) for tile in tiles]))

ind = view.indicator
measure = classes.measures_for(ind)[0]
worst_col, change_col = st.columns(2, gap="large")
with worst_col:
    level = summary_level(view.wilayah)
    st.subheader(t("ringkasan.highest", lang, indikator=ind.text("short_label", lang),
                   level=t("col.kelurahan" if level == "kelurahan" else f"wilayah.level.{level}", lang)))
    st.caption(t("ringkasan.highest_caption", lang, periode=fmt.period(view.periode, lang)))
    worst = ringkasan.highest_rows(highest(values, ind, measure), ind, measure, lang)
    if worst:
        st.html(cards.bar_table(worst))
    else:
        st.caption(t("tile.no_data", lang))
    left_out = left_out_note(values, lang)
    if left_out:
        st.warning(left_out, icon=":material/report:")
with change_col:
    st.subheader(t("ringkasan.changes", lang, indikator=ind.text("short_label", lang)))
    changes = ringkasan.biggest_changes(values, ind, measure, n=5)
    if changes.empty:
        st.caption(t("ringkasan.no_changes", lang))
    else:
        st.caption(t("ringkasan.changes_caption", lang, periode_lalu=fmt.period(previous_period(view.periode), lang)))
        st.html(cards.bar_table(ringkasan.change_rows(changes, measure, lang)))

st.subheader(t("ringkasan.freshness", lang))
for line in ringkasan.freshness_lines(fresh, lang):
    st.markdown(f"- {line}")
