"""Drainase & banjir: every clogged, broken or missing drain on the map, what is still open before the rains."""

import streamlit as st

from pantau.domain import drainase
from pantau.domain.catalog import DRAINASE_CONDITIONS, DRAINASE_STATUSES
from pantau.errors import PantauError
from pantau.i18n import t
from pantau.render import cards, fmt, maps
from pantau.views.drainase import drain_map
from pantau.web import access, fit, map_ui, session, ui, widgets

view = ui.page_view(indicator_widget=False, period_widget=False, source_widget=False)
lang, kota = view.lang, view.kota
today = ui.today()
st.title(t("drainase.title", lang))
st.caption(view.kota_nama)

with ui.guard(lang):
    points = ui.run("drainase_titik_by_kota", kota_kode=kota, hari_ini=today)
    wilayah = ui.run("kelurahan_by_kota", kota_kode=kota)
    assets = map_ui.map_assets(kota, lang)
    outlined = map_ui.priority_kodes(kota)
open_all = points[points["status"].isin(drainase.OPEN)]
sentence, near = drainase.countdown(kota, today, len(open_all), lang)
(st.warning if near else st.info)(sentence, icon=":material/rainy:")

kecamatan = wilayah[wilayah["tingkat"] == "kecamatan"]
with st.expander(t("drainase.filters", lang), expanded=True, icon=":material/filter_alt:"):
    f1, f2 = st.columns(2)
    kondisi = f1.multiselect(t("drainase.filter.kondisi", lang), list(DRAINASE_CONDITIONS), key="w_dr_kondisi",
                             format_func=lambda k: DRAINASE_CONDITIONS[k][lang], placeholder=t("drainase.filter.all", lang))
    status = f2.multiselect(t("drainase.filter.status", lang), list(DRAINASE_STATUSES), default=list(drainase.OPEN),
                            key="w_dr_status", format_func=lambda s: DRAINASE_STATUSES[s][lang],
                            placeholder=t("drainase.filter.all", lang))
    f3, f4 = st.columns(2)
    first_report = min(points["tanggal_lapor"]).date() if len(points) else today
    dates = f3.date_input(t("drainase.filter.dates", lang), value=(first_report, today), max_value=today,
                          key="w_dr_dates", format="DD/MM/YYYY")
    if len(dates) == 2:  # the widget writes 02/01/2023; the range in words cannot be misread
        f3.caption(fmt.day_range(dates[0], dates[1], lang))
    kec = f4.multiselect(t("drainase.filter.kecamatan", lang), kecamatan["kode"].tolist(), key="w_dr_kec",
                         format_func=dict(zip(kecamatan["kode"], kecamatan["nama"])).get,
                         placeholder=t("drainase.filter.all", lang))
    show_floods = st.toggle(t("drainase.show_floods", lang), value=True, key="w_dr_banjir")
dari, sampai = (dates[0], dates[1]) if len(dates) == 2 else (dates[0] if dates else None, None)
with ui.guard(lang):
    drawn = ui.model(drain_map, kota, lang, tuple(kondisi), tuple(status), dari, sampai, tuple(kec), show_floods,
                     today, given={"assets": assets, "outlined": outlined})
shown, per_kel, model, floods = drawn.shown, drawn.per_kel, drawn.model, drawn.floods

m1, m2, m3, m4, m5 = st.columns(5)
m1.metric(t("drainase.metric.open", lang), fmt.number(drawn.metrics["open"], lang))
m2.metric(t("drainase.metric.in_hand", lang), fmt.number(drawn.metrics["in_hand"], lang))
m3.metric(t("drainase.metric.fixed", lang), fmt.number(drawn.metrics["fixed"], lang))
m4.metric(t("drainase.metric.density", lang), fmt.number(drawn.metrics["density"], lang, 2))
m5.metric(t("drainase.metric.oldest", lang), fmt.number(drawn.metrics["oldest"], lang))

map_col, side_col = st.columns([3, 1.25], gap="medium")
with map_col:
    fit.chart(drawn.deck, "drainase", key="drainase_map")
with side_col:
    st.html(cards.legend_html(t("drainase.legend.density", lang), model.legend))
    st.html(cards.legend_html(t("drainase.legend.kondisi", lang), maps.condition_legend(shown, lang)))
    st.html(cards.legend_html(t("drainase.legend.status", lang), maps.status_legend(shown, lang)))
    if floods is not None and len(floods):
        st.html(cards.legend_html("", [{"color": "#56B4E9", "label": t("drainase.legend.banjir", lang),
                                        "count": len(floods)}]))
    if outlined:
        st.html(cards.legend_html("", maps.priority_legend(len(outlined), lang)))
    st.download_button(t("deck.png", lang),
                       lambda: map_ui.map_png(kota, lang, f"{t('drainase.title', lang)} · {view.kota_nama}",
                                              t("drainase.legend.density", lang), fmt.day(today, lang), model, outlined,
                                              drawn.point_frame),
                       f"pantau-{kota}-drainase-{today.isoformat()}.png", "image/png", icon=":material/image:",
                       on_click="ignore", key="dl_dr_png")
if shown.empty:
    st.caption(t("drainase.no_points", lang))

tab_kel, tab_old, tab_update, tab_export = st.tabs([t("drainase.tab.kelurahan", lang), t("drainase.tab.oldest", lang),
                                                    t("drainase.tab.update", lang), t("drainase.tab.export", lang)])
with tab_kel:
    table = drainase.kelurahan_table(per_kel, lang)
    widgets.dataframe(drainase.kelurahan_style(table, lang), hide_index=True)
    widgets.downloads(lambda: table, f"pantau-{kota}-drainase-kelurahan", t("drainase.tab.kelurahan", lang), lang)
with tab_old:
    filtered_open = shown[shown["status"].isin(drainase.OPEN)]
    widgets.dataframe(drainase.export_frame(drainase.oldest_open(filtered_open, 20), lang), hide_index=True)
    st.subheader(t("drainase.per_kecamatan", lang))
    widgets.dataframe(drainase.kecamatan_table(drainase.per_kecamatan_open(filtered_open), lang), hide_index=True)
with tab_update:
    st.caption(t("drainase.update_note", lang))
    may_update = access.can(ui.current_user(), "drainase_status")
    if not may_update:
        st.caption(t("access.read_only", lang))
    candidates = shown if len(shown) else points
    if len(candidates):
        rows = candidates.set_index("id")
        picked = st.selectbox(t("drainase.pick", lang), rows.index.tolist(), key="w_dr_point",
                              format_func=lambda i: drainase.point_label({"id": i, **rows.loc[i].to_dict()}, lang))
        u1, u2 = st.columns(2)
        new_status = u1.selectbox(t("drainase.new_status", lang), ["ditangani", "selesai", "dilaporkan"],
                                  key="w_dr_new_status", format_func=lambda s: DRAINASE_STATUSES[s][lang])
        when = u2.date_input(t("drainase.status_date", lang), value=today, max_value=today, key="w_dr_when",
                             format="DD/MM/YYYY")
        note = st.text_input(t("drainase.note", lang), max_chars=300, key="w_dr_note")
        if st.button(t("drainase.save", lang), type="primary", icon=":material/save:", key="b_dr_save",
                     disabled=not may_update):
            try:
                access.require(ui.current_user(), "drainase_status")
                drainase.set_status(ui.writable_lake(), kota, picked, new_status, when, note, today,
                                    ui.current_user().username)
                session.audit("status drainase", f"{picked} {new_status}")
            except PantauError as exc:
                st.error(exc.message(lang))
            else:
                st.toast(t("drainase.saved", lang, id=picked, status=DRAINASE_STATUSES[new_status][lang]))
                st.rerun()
        st.subheader(t("drainase.history", lang))
        with ui.guard(lang):
            changes = ui.run("drainase_riwayat_by_perubahan", id=picked)
        widgets.dataframe(drainase.history_frame(rows.loc[picked].to_dict(), changes, lang), hide_index=True)
with tab_export:
    to_send = shown[shown["status"].isin(drainase.OPEN)]
    st.caption(t("drainase.export_note", lang))
    with st.container(horizontal=True):
        widgets.downloads(lambda: drainase.export_frame(to_send, lang), f"pantau-{kota}-drainase-terbuka-{today.isoformat()}",
                          t("drainase.title", lang)[:31], lang)
        st.download_button(t("drainase.export_geojson", lang),
                           session.logged(f"drainase geojson {kota}", lambda: drainase.geojson_bytes(to_send)),
                           f"pantau-{kota}-drainase-terbuka-{today.isoformat()}.geojson", "application/geo+json",
                           icon=":material/download:", on_click="ignore", key="dl_dr_geojson")
