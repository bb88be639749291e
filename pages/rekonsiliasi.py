"""Resmi vs lapangan: official and field figures side by side, where they disagree, and which records explain it."""

import streamlit as st

from pantau.domain import rekonsiliasi as rekon
from pantau.domain.catalog import source_label
from pantau.i18n import t
from pantau.render import cards, charts, fmt
from pantau.views import rekonsiliasi
from pantau.web import fit, map_ui, ui, widgets

view = ui.page_view(source_widget=False)
lang, kota = view.lang, view.kota
ind = view.indicator
st.title(t("rekon.title", lang))
st.caption(f"{ind.text('label', lang)} · {view.wilayah_nama} · {fmt.period(view.periode, lang)}")
if ind.id not in rekon.indicators_with_both():
    st.info(t("rekon.no_pair", lang, indikator=ind.text("short_label", lang)))
    st.stop()

with ui.guard(lang):
    assets = map_ui.map_assets(kota, lang)
    outlined = map_ui.priority_kodes(kota)
    shown = ui.model(rekonsiliasi.comparison, view, tuple(outlined), given={"assets": assets})
frame = shown.frame
st.subheader(rekon.headline(frame, ind, lang))
sums = rekon.totals(frame)
m1, m2, m3 = st.columns(3)
m1.metric(t("rekon.metric.resmi", lang), fmt.number(sums["resmi"], lang))
m2.metric(t("rekon.metric.lapangan", lang), fmt.number(sums["lapangan"], lang))
m3.metric(t("rekon.metric.selisih", lang), ("+" if sums["selisih"] > 0 else "") + fmt.number(sums["selisih"], lang))
st.caption(t("rekon.paired_note", lang, n=sums["kelurahan"], m=sums["satu_sumber"]))

tab_agg, tab_rec = st.tabs([t("rekon.tab.aggregate", lang), t("rekon.tab.records", lang)])
with tab_agg:
    model = shown.model
    map_col, side_col = st.columns([3, 1.25], gap="medium")
    with map_col:
        fit.chart(shown.deck, "rekon", key="rekon_map")
    with side_col:
        st.html(cards.legend_html(t("rekon.map_legend", lang), model.legend))
        st.download_button(t("deck.png", lang),
                           lambda: map_ui.map_png(kota, lang, f"{t('rekon.map_legend', lang)} · {view.kota_nama}",
                                                  rekon.headline(frame, ind, lang), fmt.period(view.periode, lang),
                                                  model, outlined),
                           f"pantau-{kota}-{ind.id}-resmi-lapangan-{view.periode}.png", "image/png",
                           icon=":material/image:", on_click="ignore", key="dl_rekon_png")
    table = rekon.table_style(rekon.table(frame, lang), lang)
    widgets.dataframe(table, hide_index=True)
    widgets.downloads(lambda: table, f"pantau-{kota}-{ind.id}-resmi-lapangan-{view.periode}", t("rekon.title", lang)[:31], lang)
    st.plotly_chart(shown.figure, config=charts.png_only_config(f"pantau-{kota}-{ind.id}-selisih"), key="rekon_gap")

with tab_rec:
    st.caption(t("rekon.records_help", lang))
    with ui.guard(lang):
        per_kel = ui.run("rekaman_by_kelurahan", kota_kode=kota, indikator=ind.id, periode=fmt.period_date(view.periode))
    listed = per_kel[per_kel[["keduanya", "hanya_resmi", "hanya_lapangan"]].sum(axis=1) > 0]
    if listed.empty:
        st.info(t("rekon.records_none", lang))
    else:
        counts = rekon.records_totals(listed)
        cols = st.columns(len(counts))
        for col, (key, value) in zip(cols, counts.items()):
            col.metric(t(f"rekon.rec.{key}", lang), fmt.number(value, lang))
        widgets.dataframe(rekon.records_table(listed, lang), hide_index=True)
        for sumber, lain in (("resmi", "lapangan"), ("lapangan", "resmi")):
            with ui.guard(lang):
                missing = ui.run("rekaman_tanpa_pasangan_by_baris", kota_kode=kota, indikator=ind.id,
                                 periode=fmt.period_date(view.periode), sumber=sumber)
            st.markdown(f"**{t('rekon.missing_title', lang, sumber=source_label(sumber, lang), lain=source_label(lain, lang))}**"
                        f" · {fmt.number(len(missing), lang)}")
            st.caption(t("rekon.missing_help", lang))
            shown = rekon.missing_table(missing, lang)
            widgets.dataframe(shown, hide_index=True)
            widgets.downloads(lambda shown=shown: shown, f"pantau-{kota}-{ind.id}-{view.periode}-{sumber}-tanpa-pasangan",
                              "Baris", lang)
