"""Data: upload an OPD's file, see every problem before anything is written, commit it, undo it."""

import streamlit as st

from pantau import access, fmt, ingest, reports, template, ui, views
from pantau.catalog import INDICATORS, PENYEBUT_JENIS, SOURCES, source_label
from pantau.errors import PantauError
from pantau.i18n import t
from pantau.sheets import Upload

lang = ui.page_plain()
user = ui.current_user()
st.title(t("data.title", lang))
st.caption(t("data.caption", lang))

with ui.guard(lang):
    kotas = ui.run("kota_list")
kota_names = dict(zip(kotas["kode"], kotas["nama"]))
shown = st.query_params.get("kota") or st.session_state.get("view_kota")
kota_index = list(kota_names).index(shown) if shown in kota_names else 0
NILAI = [i for i, ind in INDICATORS.items() if ind.table == "nilai" and access.can(user, "upload", indikator=i)] or \
    [i for i, ind in INDICATORS.items() if ind.table == "nilai"]
KINDS = ["nilai", "records", "drainase", "banjir", "penyebut", "wilayah"]
today = ui.today()
months = views.recent_months(today)

tab_upload, tab_history, tab_templates, tab_catalog = st.tabs(
    [t("data.tab.upload", lang), t("data.tab.history", lang), t("data.tab.templates", lang), t("data.tab.catalog", lang)],
    key="data_tab", on_change="rerun")

if tab_upload.open:
    with tab_upload:
        kind = st.segmented_control(t("data.kind", lang), KINDS, default="nilai", required=True, key="up_kind",
                                    format_func=lambda k: t(f"data.kind.{k}", lang))
        with st.container(horizontal=True, gap="medium"):
            indicator = sumber = periode = tahun = None
            if kind == "wilayah":
                kota = st.text_input(t("data.new_kota", lang), key="up_kota_new", placeholder="65.71",
                                     help=t("data.new_kota_help", lang)).strip()
            else:
                kota = st.selectbox(t("filter.kota", lang), list(kota_names), index=kota_index,
                                    format_func=kota_names.get, key="up_kota")
            if kind in ("nilai", "records"):
                indicator = st.selectbox(t("filter.indikator", lang), NILAI, key="up_ind",
                                         format_func=lambda i: INDICATORS[i].text("label", lang))
                sumber = st.segmented_control(t("filter.sumber", lang), list(SOURCES), default="resmi", required=True,
                                              key="up_sumber", format_func=lambda s: source_label(s, lang))
                periode = st.selectbox(t("filter.periode", lang), months, index=1, key="up_periode",
                                       format_func=lambda p: fmt.period(p, lang))
            elif kind == "penyebut":
                tahun = st.number_input(t("data.year", lang), min_value=2000, max_value=today.year + 1,
                                        value=today.year, step=1, key="up_tahun")
        types = ["geojson", "json", "gpkg", "zip"] if kind == "wilayah" else ["xlsx", "xls", "xlsm", "ods", "csv"]
        file = st.file_uploader(t("data.file_boundaries" if kind == "wilayah" else "data.file", lang), type=types,
                                key=f"up_file_{kind}", help=t("data.file_help", lang, limit=ingest.MAX_UPLOAD_MB))
        if file is not None:
            upload = Upload(file.name, file.getvalue())
            aliases = st.session_state.setdefault("up_aliases", {})
            request = ingest.Request(kind=kind, kota_kode=kota, indicator=indicator, sumber=sumber, periode=periode,
                                     tahun=int(tahun) if tahun else None, aliases=dict(aliases.get(kota, {})),
                                     today=today)
            bar = st.progress(0.0, text=t("progress.reading", lang))
            try:
                report = ingest.prepare(upload, request, ui.writable_lake(),
                                        progress=lambda f, key: bar.progress(f, text=t(key, lang)))
            except PantauError as exc:
                bar.empty()
                st.error(exc.message(lang), icon=":material/error:")
                st.stop()
            bar.empty()
            kelurahan = ui.run("kelurahan_by_kota", kota_kode=report.context.kota_kode)
            names = dict(zip(kelurahan["kode"], kelurahan["nama"]))
            counts = report.counts()
            with st.container(horizontal=True, gap="medium"):
                st.metric(t("report.accepted", lang), fmt.number(counts["accepted"], lang))
                st.metric(t("report.rejected", lang), fmt.number(counts["rejected"], lang))
                st.metric(t("report.warnings", lang), fmt.number(counts["warnings"], lang))
                st.metric(t("report.total_count", lang), fmt.number(report.totals["count"], lang))
                if report.totals["denominator"] is not None:
                    st.metric(t("report.total_denominator", lang), fmt.number(report.totals["denominator"], lang))
            if report.ok:
                st.success(t("data.ready", lang, file=upload.display_name), icon=":material/check_circle:")
            else:
                st.error(t("ingest.refused", lang, file=upload.display_name, errors=len(report.errors)),
                         icon=":material/block:")
            if report.problems:
                st.subheader(t("data.problems", lang))
                st.dataframe(reports.problems_frame(report, lang), hide_index=True, width="stretch")
            unresolved = [s for s in report.suggestions if s["how"] in ("unknown", "ambiguous")]
            if unresolved:
                st.subheader(t("data.names", lang))
                st.caption(t("data.names_help", lang))
                choices = {}
                every = dict(sorted(names.items(), key=lambda kv: kv[1]))
                for s in unresolved:
                    options = [k for k, _ in s["pilihan"]] + [k for k in every if k not in dict(s["pilihan"])]
                    choices[s["nama"]] = st.selectbox(
                        t("data.name_row", lang, row=s["row"], name=s["nama"]), options, index=None,
                        format_func=lambda k: f"{every.get(k, k)} ({k})", key=f"alias_{kota}_{s['row']}",
                        placeholder=t("data.name_pick", lang))
                if st.button(t("data.names_save", lang), icon=":material/bookmark_add:"):
                    confirmed = {n: k for n, k in choices.items() if k}
                    if confirmed:
                        ingest.remember_aliases(ui.writable_lake(), kota, confirmed)
                        aliases.setdefault(kota, {}).update(confirmed)
                        st.rerun()
            st.subheader(t("data.rows", lang))
            rows = reports.rows_frame(report, lang, names)
            status_col = t("report.status", lang)
            # Rejected rows first when there are any; otherwise what will be stored.
            order = [s for s in reports.STATUS_ORDER if s != "ditolak" or report.counts()["rejected"]]
            for status, tab in zip(order, st.tabs(
                    [f"{t(f'report.status.{s}', lang)} ({(report.rows['status'] == s).sum()})" for s in order])):
                with tab:
                    st.dataframe(rows[rows[status_col] == t(f"report.status.{status}", lang)], hide_index=True,
                                 width="stretch")
            with st.container(horizontal=True):
                st.download_button(t("data.report_xlsx", lang),
                                   ui.logged(f"laporan validasi {upload.display_name}", lambda: reports.report_xlsx(
                                       report, upload.display_name, upload.sha256, lang, names)),
                                   f"laporan-validasi-{upload.sha256[:8]}.xlsx", icon=":material/download:",
                                   on_click="ignore", key="dl_report")
                allowed = access.can(user, "upload", indikator=report.context.indicator.id if report.context.indicator
                                     else report.context.kind)
                if not allowed:
                    st.caption(t("access.denied", lang, role=user.role))
                if st.button(t("data.commit", lang), type="primary", disabled=not (report.ok and allowed),
                             icon=":material/cloud_upload:", key="commit"):
                    with ui.guard(lang), st.spinner(t("progress.writing", lang)):
                        access.require(user, "upload", indikator=report.context.indicator.id if report.context.indicator
                                       else report.context.kind)
                        record = ingest.commit(report, upload, ui.writable_lake(), pengguna=user.username)
                        ui.audit("unggah", f"{upload.display_name} → {record['upload_id']}")
                    st.session_state["data_committed"] = (record["upload_id"], upload.display_name, len(report.accepted))
                    st.rerun()
        done = st.session_state.pop("data_committed", None)
        if done:
            st.success(t("cli.committed", lang, file=done[1], accepted=done[2], batch=done[0]), icon=":material/done_all:")

if tab_history.open:
    with tab_history:
        with ui.guard(lang):
            history = ui.run("riwayat_by_upload", kota_kode=None)
        if history.empty:
            st.info(t("cli.no_uploads", lang))
        else:
            st.dataframe(reports.history_frame(history, lang), hide_index=True, width="stretch")
            undoable = history[history["membatalkan"].isna() & history["dibatalkan"].isna()]
            if len(undoable) and access.can(user, "undo"):
                labels = {r.upload_id: f"{r.upload_id} · {r.nama_berkas}" for r in undoable.itertuples()}
                with st.container(border=True):
                    batch = st.selectbox(t("data.undo_pick", lang), list(labels), format_func=labels.get, key="undo_pick")
                    sure = st.checkbox(t("data.undo_sure", lang), key="undo_sure")
                    if st.button(t("data.undo", lang), icon=":material/undo:", key="undo_go", disabled=not sure):
                        with ui.guard(lang):
                            access.require(user, "undo")
                            record = ui.writable_lake().undo(batch, pengguna=user.username)
                            ui.audit("batal", batch)
                        st.session_state["data_undone"] = t("undo.done", lang, batch=batch, rows=record["baris"])
                        st.rerun()
        undone = st.session_state.pop("data_undone", None)
        if undone:
            st.success(undone, icon=":material/undo:")

if tab_templates.open:
    with tab_templates:
        st.caption(t("data.templates_help", lang))
        tkind = st.segmented_control(t("data.kind", lang), ["nilai", "drainase", "penyebut"], default="nilai", required=True, key="tpl_kind",
                                     format_func=lambda k: t(f"data.kind.{k}", lang))
        with st.container(horizontal=True, gap="medium"):
            tkota = st.selectbox(t("filter.kota", lang), list(kota_names), index=kota_index, format_func=kota_names.get,
                                 key="tpl_kota")
            tind = None
            if tkind == "nilai":
                tind = st.selectbox(t("filter.indikator", lang), NILAI, key="tpl_ind",
                                    format_func=lambda i: INDICATORS[i].text("label", lang))
        wilayah = ui.run("kelurahan_by_kota", kota_kode=tkota)
        st.download_button(
            t("data.template_download", lang),
            lambda: template.template_xlsx(tkind, tkota, kota_names[tkota], wilayah,
                                           INDICATORS[tind] if tind else None, lang),
            f"templat-{tkind}-{tind or ''}-{tkota}.xlsx".replace("--", "-"), icon=":material/download:",
            on_click="ignore", key="dl_template")

if tab_catalog.open:
    with tab_catalog:
        for ind in INDICATORS.values():
            with st.expander(ind.text("label", lang), expanded=False):
                st.markdown(f"**{t('catalog.count', lang)}:** {ind.text('count_def', lang)}  \n"
                            f"**{t('catalog.denominator', lang)}:** {ind.text('denominator_def', lang) or '–'}  \n"
                            f"**{t('catalog.unit', lang)}:** {ind.text('unit', lang)}  \n"
                            f"**{t('catalog.opd', lang)}:** {ind.opd}  \n"
                            f"**{t('catalog.target', lang)}:** {ind.text('target_note', lang)}  \n"
                            f"**{t('catalog.sources', lang)}:** " + ", ".join(SOURCES[s][lang] for s in SOURCES))
        st.markdown(f"**{t('catalog.penyebut', lang)}:** " + ", ".join(v[lang] for v in PENYEBUT_JENIS.values()))
