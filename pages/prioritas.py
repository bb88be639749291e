"""Prioritas: the composite score per kelurahan, the priority kelurahan with their target, and progress."""

import datetime as dt

import streamlit as st

from pantau.domain import classes, prioritas
from pantau.domain.catalog import INDICATORS, SOURCES
from pantau.errors import PantauError
from pantau.i18n import t
from pantau.render import cards, fmt, maps
from pantau.views.prioritas import baseline, score_map
from pantau.web import access, fit, map_ui, session, ui, widgets

view = ui.page_view(indicator_widget=False, scope_widget=True)
lang = view.lang
user = ui.current_user()
may_edit = access.can(user, "edit")
today = ui.today()
st.title(t("prioritas.title", lang))
st.caption(f"{view.wilayah_nama} · {fmt.period(view.periode, lang)} · {SOURCES[view.sumber][lang]}")
# Above a kota (a province, the nation) the score ranks every desa/kelurahan in it on a level map;
# priority locations are marked and followed per kota.
wide = len(view.wilayah) < 5

with st.sidebar:
    st.subheader(t("prioritas.weights", lang), help=t("prioritas.weights_help", lang))
    weights = {ind.id: st.slider(ind.text("short_label", lang), 0, 5, ind.weight, key=f"w_bobot_{ind.id}")
               for ind in (INDICATORS[i] for i in view.indikators)}
if not any(weights.values()):
    st.warning(t("prioritas.no_weights", lang))
    st.stop()

with ui.guard(lang):
    assets = map_ui.part_assets(view.wilayah, "kelurahan") if wide else map_ui.map_assets(view.kota, lang)
    shown = ui.model(score_map, view, weights, today, wide, given={"assets": assets})
scores, model, marked = shown.scores, shown.model, shown.marked
st.info(prioritas.formula_text(weights, view.periode, view.sumber, lang), icon=":material/function:")

map_col, side_col = st.columns([3, 1.25], gap="medium")
with map_col:
    fit.chart(shown.deck, "prioritas", key="prioritas_map")
with side_col:
    st.html(cards.legend_html(t("prioritas.map_legend", lang), model.legend))
    if len(marked):
        st.html(cards.legend_html("", maps.priority_legend(len(marked), lang)))
    if not wide:
        st.download_button(t("deck.png", lang),
                           lambda: map_ui.map_png(view.kota, lang, f"{t('prioritas.map_legend', lang)} · {view.kota_nama}",
                                                  prioritas.formula_text(weights, view.periode, view.sumber, lang)[:160],
                                                  fmt.period(view.periode, lang), model, marked["kelurahan_kode"].tolist()),
                           f"pantau-{view.kota}-prioritas-{view.periode}.png", "image/png", icon=":material/image:",
                           on_click="ignore", key="dl_prio_png")

st.subheader(t("prioritas.ranking", lang))
SHOWN = 2_000  # a screen shows the most in need (scores come ranked); the download holds every desa
if len(scores) > SHOWN:
    st.caption(t("wilayah.table_top", lang, n=fmt.number(SHOWN, lang), total=fmt.number(len(scores), lang)))
widgets.dataframe(prioritas.ranking_style(prioritas.ranking_table(scores.head(SHOWN), weights, lang), lang), hide_index=True)
widgets.downloads(lambda: prioritas.ranking_table(scores, weights, lang), f"pantau-{view.wilayah or 'id'}-prioritas-{view.periode}",
                  t("prioritas.ranking", lang), lang)
if wide:
    st.info(t("prioritas.per_kota", lang), icon=":material/flag:")
    st.stop()

st.subheader(t("prioritas.list", lang))
st.caption(t("prioritas.rule", lang))
if marked.empty:
    st.caption(t("prioritas.none", lang))
else:
    widgets.dataframe(prioritas.progress_table(marked, lang), hide_index=True)
if may_edit and not marked.empty:
    with st.container(horizontal=True, vertical_alignment="bottom"):
        gone = st.selectbox(t("prioritas.unmark", lang), marked["prioritas_id"].tolist(), key="w_unmark",
                            format_func=lambda i: marked.set_index("prioritas_id").at[i, "nama"])
        if st.button(t("prioritas.unmark", lang), icon=":material/remove_circle:", key="b_unmark"):
            row = marked.set_index("prioritas_id").loc[gone].to_dict() | {"prioritas_id": gone}
            with ui.guard(lang):
                access.require(user, "edit")
                prioritas.unmark(ui.writable_lake(), row, user.username)
                session.audit("cabut prioritas", row["kelurahan_kode"])
                st.toast(t("prioritas.unmarked", lang, nama=row["nama"]))
                st.rerun()

if not may_edit:
    st.caption(t("access.read_only", lang))
    st.stop()
st.subheader(t("prioritas.mark", lang))
names = dict(zip(scores["kode"], scores["nama"]))
c1, c2 = st.columns(2)
kode = c1.selectbox(t("prioritas.kelurahan", lang), scores["kode"].tolist(), key="w_mark_kel",
                    format_func=lambda k: names[k])
ind = INDICATORS[c2.selectbox(t("prioritas.indicator", lang), list(view.indikators), key="w_mark_ind",
                              format_func=lambda i: INDICATORS[i].text("label", lang))]
with ui.guard(lang):
    base, ukuran = baseline(ui.run, view.kota, kode, ind, view.sumber, view.periode)
st.caption(t("prioritas.baseline", lang, periode=fmt.period(view.periode, lang),
             nilai="–" if base is None else classes.format_measure(base, ukuran, lang)))
c3, c4 = st.columns(2)
unit = "%" if ukuran == "rate" else ind.text("unit", lang)
with c3:
    target = widgets.decimal_input(t("prioritas.target", lang, satuan=unit), prioritas.default_target(ind, base),
                                   f"w_mark_target_{ind.id}_{kode}_{lang}", lang)
deadline = c4.date_input(t("prioritas.deadline", lang), value=today + dt.timedelta(days=prioritas.DEFAULT_DAYS),
                         min_value=today + dt.timedelta(days=1), key="w_mark_deadline", format="DD/MM/YYYY")
if st.button(t("prioritas.save", lang), type="primary", icon=":material/flag:", key="b_mark",
             disabled=target is None):
    try:
        access.require(user, "edit")
        prioritas.mark(ui.writable_lake(), view.kota, kode, ind, view.sumber, ukuran, base,
                       fmt.period_date(view.periode), target, deadline, today, user.username)
        session.audit("tandai prioritas", f"{kode} {ind.id}")
    except PantauError as exc:
        st.error(exc.message(lang))
    else:
        st.toast(t("prioritas.saved", lang, nama=names[kode]))
        st.rerun()
