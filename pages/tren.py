"""Tren: how the kota, its kecamatan and any kelurahan move month by month, and how far to trust it."""

import streamlit as st

from pantau.domain.catalog import SOURCES
from pantau.i18n import t
from pantau.render import cards, charts, fmt
from pantau.views import tren
from pantau.web import ui, widgets

view = ui.page_view(measure_widget=True, classes_widget=False, scope_widget=True)
lang, ind = view.lang, view.indicator
st.title(t("tren.title", lang, indikator=ind.text("label", lang)))
st.caption(f"{view.wilayah_nama} · {fmt.period(view.periode, lang)} · {SOURCES[view.sumber][lang]}")

grains = ["bulan", "kuartal"] + (["ytd"] if ind.kind == "flow" else [])
with st.container(horizontal=True, gap="medium", vertical_alignment="bottom"):
    span = st.segmented_control(t("tren.range", lang), list(tren.TREND_RANGES), default="semua", key="tren_range",
                                format_func=lambda r: t(f"tren.range.{r}", lang), required=True)
    grain = st.segmented_control(t("tren.grain", lang), grains, default="bulan", key="tren_grain",
                                 format_func=lambda g: t(f"tren.grain.{g}", lang), required=True)
    show_kecamatan = st.toggle(t("tren.kecamatan", lang), value=True, key="tren_kecamatan")
    both = st.toggle(t("tren.both", lang), value=False, key="tren_both")
    local_target = st.number_input(t("tren.target_local", lang) + (" (%)" if view.ukuran == "rate" else ""),
                                   value=None, min_value=0.0, step=0.5, key="tren_target", width=180)

with ui.guard(lang):
    series = ui.model(tren.trend, view, tren.TREND_RANGES[span])
labels = tren.kelurahan_names(series)
picked = st.multiselect(t("tren.pick", lang), list(labels), key="tren_pick", format_func=labels.get,
                        placeholder=t("tren.pick", lang))
shaped = tren.shape_series(series, ind, grain)
file_name = f"pantau-tren-{view.kota}-{view.indikator}-{view.sumber}"

# Only the open tab runs, so the page costs what the planner looks at. A year's figures (Satu Data) have
# their own tab, on an axis of years: they are never drawn as a month.
with ui.guard(lang):
    years = ui.model(tren.years_tab, view)
names = ["lines", "compare", "multiples", "quality"] + (["years"] if years is not None else [])
tab_lines, tab_compare, tab_multiples, tab_quality, *tab_years = st.tabs(
    [t(f"tren.tab.{name}", lang) for name in names], key="tren_tab", on_change="rerun")

if tab_lines.open:
    with tab_lines, ui.guard(lang):
        drawn = ui.model(tren.lines_tab, view, span, grain, tuple(picked), show_kecamatan, both, local_target,
                         ui.today())
        st.plotly_chart(drawn.figure, config=charts.png_only_config(f"pantau-{view.kota}-{view.indikator}-tren"),
                        key="tren_chart")
        st.caption(t("tren.gap_note", lang))
        st.markdown(f"**{t('tren.line_quality', lang, periode=fmt.period(view.periode, lang))}**")
        st.html(cards.quality_list(drawn.badges))
        widgets.downloads(lambda: tren.trend_table(drawn.shaped, view.ukuran, lang), file_name, "Tren", lang)

if tab_compare.open:
    with tab_compare:
        st.caption(t("tren.compare_caption", lang, periode=fmt.period(view.periode, lang)))
        with ui.guard(lang):
            compare = tren.compare_table(ui.run, view, series, view.ukuran, lang)
        widgets.dataframe(tren.compare_style(compare, view.ukuran, lang), hide_index=True, column_config={
            t("col.tren12", lang): st.column_config.LineChartColumn(t("col.tren12", lang), width="medium")})
        widgets.downloads(lambda: compare.drop(columns=[t("col.tren12", lang)]), f"{file_name}-banding", "Banding", lang)

if tab_multiples.open:
    with tab_multiples:
        kecamatan = tren.parts_of(shaped, view.wilayah)
        st.plotly_chart(charts.multiples_figure(kecamatan, ind, view.ukuran, lang), config={"displayModeBar": False},
                        key="tren_multiples")
        widgets.downloads(lambda: tren.trend_table(kecamatan, view.ukuran, lang), f"{file_name}-kecamatan", "Kecamatan", lang)

if tab_quality.open:
    with tab_quality:
        st.caption(t("tren.quality_caption", lang, indikator=ind.text("short_label", lang),
                     periode=fmt.period(view.periode, lang)))
        with ui.guard(lang):
            worst = tren.worst_pairs(ui.run, view, lang)
        if worst.empty:
            st.success(t("tren.quality_none", lang))
        else:
            widgets.dataframe(worst, hide_index=True)
            widgets.downloads(lambda: worst, f"{file_name}-kualitas", "Kualitas", lang)

if tab_years and tab_years[0].open:
    with tab_years[0]:
        last = years.table.iloc[-1]
        st.caption(t("tren.years_caption", lang, tahun=int(last["tahun"]), reporting=fmt.number(last["reporting"], lang),
                     expected=fmt.number(last["expected"], lang)))
        if years.sumber != view.sumber:
            st.info(t("tren.years_other_source", lang, sumber=SOURCES[years.sumber][lang],
                      dipilih=SOURCES[view.sumber][lang]), icon=":material/info:")
        if int(years.table["tidak_mungkin"].sum()):
            st.warning(t("tren.years_flagged", lang, n=fmt.number(years.table["tidak_mungkin"].sum(), lang)))
        st.plotly_chart(years.figure, config=charts.png_only_config(f"pantau-{view.kota}-{view.indikator}-tahunan"),
                        key="tren_years")
        widgets.downloads(lambda: tren.years_table(years, lang), f"{file_name}-tahunan", "Tahunan", lang)
