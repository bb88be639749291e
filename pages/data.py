"""Data: upload an OPD's file, see every problem before anything is written, commit it, undo it."""

import streamlit as st

from pantau.domain.catalog import INDICATORS, PENYEBUT_JENIS, SOURCES, source_label
from pantau.errors import PantauError, UndoRefused
from pantau.i18n import t
from pantau.ingest import formats, pipeline, template, uploads
from pantau.ingest.sheets import Upload
from pantau.render import fmt
from pantau.views import data
from pantau.web import access, session, ui, widgets

lang = ui.page_plain()
user = ui.current_user()
st.title(t("data.title", lang))
st.caption(t("data.caption", lang))

with ui.guard(lang):
    kotas = ui.run("kota_list")
kota_names = dict(zip(kotas["kode"], kotas["nama"]))
shown = st.query_params.get("kota") or st.session_state.get("view_kota")
# One kota for the whole page: what is chosen on Unggah is the kota of Templat too, and the other way
# round; a new kota in the address starts it again.
if shown != st.session_state.get("data_kota_shown"):
    st.session_state["data_kota_shown"] = shown
    st.session_state["data_kota"] = shown
if st.session_state.get("data_kota") not in kota_names:
    st.session_state["data_kota"] = shown if shown in kota_names else next(iter(kota_names), None)


def _follow_kota(key: str) -> None:
    st.session_state["data_kota"] = st.session_state[key]


def _kota_box(key: str):
    """The page's kota picker (on Unggah and on Templat), following the kota last chosen on either."""
    st.session_state[key] = st.session_state["data_kota"]
    return st.selectbox(t("filter.kota", lang), list(kota_names), format_func=kota_names.get, key=key,
                        on_change=_follow_kota, args=(key,))


def _shown_number(value) -> str:
    """A cell of the Jumlah/Penyebut column for the screen: a number in the reader's format, a text as the
    file wrote it ("-3" and "2O" stay visible; nothing reads "None")."""
    if isinstance(value, str) or value is None:
        return value or ""
    number = float(value)
    if number != number:  # NaN
        return ""
    decimals = 0 if number.is_integer() else min(len(repr(number).split(".")[-1]), 3)
    return fmt.number(number, lang, decimals)


def _fingerprint(upload: Upload, request: pipeline.Request) -> tuple:
    return (upload.sha256, request.kind, request.kota_kode, request.indicator, request.sumber, request.periode,
            request.tahun, request.format, request.year)


NILAI = [i for i, ind in INDICATORS.items() if ind.table == "nilai" and access.can(user, "upload", indikator=i)] or \
    [i for i, ind in INDICATORS.items() if ind.table == "nilai"]
KINDS = ["nilai", "nasional", "records", "drainase", "banjir", "penyebut", "wilayah"]
today = ui.today()
months = data.recent_months(today)

tab_upload, tab_history, tab_templates, tab_catalog = st.tabs(
    [t("data.tab.upload", lang), t("data.tab.history", lang), t("data.tab.templates", lang), t("data.tab.catalog", lang)],
    key="data_tab", on_change="rerun")

if tab_upload.open:
    with tab_upload:
        kind = st.segmented_control(t("data.kind", lang), KINDS, default="nilai", required=True, key="up_kind",
                                    format_func=lambda k: t(f"data.kind.{k}", lang))
        with st.container(horizontal=True, gap="medium"):
            indicator = sumber = periode = tahun = fmt_name = None
            if kind == "wilayah":
                kota = st.text_input(t("data.new_kota", lang), key="up_kota_new", placeholder="65.71",
                                     help=t("data.new_kota_help", lang)).strip()
            else:
                kota = _kota_box("up_kota")
            if kind in ("nilai", "records"):
                indicator = st.selectbox(t("filter.indikator", lang), NILAI, key="up_ind",
                                         format_func=lambda i: INDICATORS[i].text("label", lang))
                sumber = st.segmented_control(t("filter.sumber", lang), list(SOURCES), default="resmi", required=True,
                                              key="up_sumber", format_func=lambda s: source_label(s, lang))
                periode = st.selectbox(t("filter.periode", lang), months, index=1, key="up_periode",
                                       format_func=lambda p: fmt.period(p, lang))
            elif kind == "nasional":
                # A national system's export carries its indicators, source and months: the format is found
                # from the file; the month is asked only for a file that does not say it.
                fmt_name = st.selectbox(t("data.format", lang), [None, *formats.names()], key="up_format",
                                        format_func=lambda f: t("data.format_auto", lang) if f is None
                                        else t(f"format.name.{f}", lang))
                periode = st.selectbox(t("data.period_if_missing", lang), [None, *months], key="up_periode_nas",
                                       format_func=lambda p: t("data.period_from_file", lang) if p is None
                                       else fmt.period(p, lang))
                indicator = st.selectbox(t("data.indicator_if_missing", lang), [None, *NILAI], key="up_ind_nas",
                                         format_func=lambda i: t("data.period_from_file", lang) if i is None
                                         else INDICATORS[i].text("label", lang))
            elif kind == "penyebut":
                tahun = st.number_input(t("data.year", lang), min_value=2000, max_value=today.year + 1,
                                        value=today.year, step=1, key="up_tahun")
        types = ["geojson", "json", "gpkg", "zip"] if kind == "wilayah" else ["xlsx", "xls", "xlsm", "ods", "csv"]
        # A new key after each save empties the uploader: the file just saved is not offered for saving again.
        round_ = st.session_state.get("up_round", 0)
        file = st.file_uploader(t("data.file_boundaries" if kind == "wilayah" else "data.file", lang,
                                  limit=pipeline.MAX_UPLOAD_MB),
                                type=types, key=f"up_file_{kind}_{round_}",
                                help=t("data.file_help", lang, limit=pipeline.MAX_UPLOAD_MB))
        st.caption(t("data.file_caption", lang, types=", ".join(x.upper() for x in types), limit=pipeline.MAX_UPLOAD_MB))
        saved_here = st.session_state.setdefault("data_saved", {})  # fingerprint -> record, this session's saves
        if file is None:
            done = st.session_state.get("data_committed")
            if done:
                record = done["record"]
                st.success(t("data.committed", lang, what=uploads.describe(record, lang, done["kota_nama"]),
                             rows=fmt.number(record["baris"], lang), file=done["file"],
                             when=uploads.uploaded_at(record, lang)), icon=":material/done_all:")
                st.caption(t("data.committed_next", lang))
        else:
            st.session_state.pop("data_committed", None)  # a new file: the last save's notice has done its work
            upload = Upload(file.name, file.getvalue())
            aliases = st.session_state.setdefault("up_aliases", {})
            request = pipeline.Request(kind="nilai" if kind == "nasional" else kind, kota_kode=kota,
                                       indicator=indicator, sumber=sumber, periode=periode,
                                       tahun=int(tahun) if tahun else None, aliases=dict(aliases.get(kota, {})),
                                       today=today, format=fmt_name, year=periode.year if kind == "nasional" and periode
                                       else None, export=kind == "nasional")
            bar = st.progress(0.0, text=t("progress.reading", lang))
            try:
                report = pipeline.prepare(upload, request, ui.writable_lake(),
                                        progress=lambda f, key: bar.progress(f, text=t(key, lang)))
            except PantauError as exc:
                bar.empty()
                st.error(exc.message(lang), icon=":material/error:")
                st.stop()
            bar.empty()
            kelurahan = ui.run("kelurahan_by_kota", kota_kode=report.context.kota_kode)
            names = dict(zip(kelurahan["kode"], kelurahan["nama"]))
            counts = report.counts()
            already = saved_here.get(_fingerprint(upload, request))
            with st.container(horizontal=True, gap="medium"):
                st.metric(t("report.accepted", lang), fmt.number(counts["accepted"], lang))
                st.metric(t("report.rejected", lang), fmt.number(counts["rejected"], lang))
                st.metric(t("report.warnings", lang), fmt.number(counts["warnings"], lang))
                if report.ok:  # the totals of what would be stored; a refused file stores nothing
                    st.metric(t("report.total_count", lang), fmt.number(report.totals["count"], lang))
                if report.ok and report.totals["denominator"] is not None:
                    st.metric(t("report.total_denominator", lang), fmt.number(report.totals["denominator"], lang))
            if already:
                st.info(t("data.already_saved", lang, what=uploads.describe(already, lang, report.context.kota_nama),
                          rows=fmt.number(already["baris"], lang), when=uploads.uploaded_at(already, lang)),
                        icon=":material/done_all:")
            elif report.ok:
                st.success(t("data.ready", lang, file=upload.display_name), icon=":material/check_circle:")
            else:
                st.error(t("ingest.refused", lang, file=upload.display_name, errors=len(report.errors)),
                         icon=":material/block:")
                if report.valid_rows:
                    st.caption(t("data.refused_valid", lang, valid=fmt.number(report.valid_rows, lang)))
            if report.format:
                st.info(data.read_as(report, lang), icon=":material/table_view:")
                for key, values in report.notes:
                    st.caption(t(key, lang, **values))
                if report.slices:
                    st.subheader(t("report.slices", lang))
                    widgets.dataframe(data.slices_frame(report, lang), hide_index=True, width="stretch")
            if report.problems:
                st.subheader(t("data.problems", lang))
                widgets.dataframe(data.problems_frame(report, lang), hide_index=True, width="stretch")
            # Names not found, found twice, or found only by a similarity below matching.SURE_SCORE: the officer
            # says which kelurahan is meant (a similar one is proposed) before the file can be saved.
            unresolved = [s for s in report.suggestions if s["how"] in ("unknown", "ambiguous", "confirm")]
            if unresolved:
                st.subheader(t("data.names", lang))
                st.caption(t("data.names_help", lang))
                choices = {}
                every = dict(sorted(names.items(), key=lambda kv: kv[1]))
                for s in unresolved:
                    options = [k for k, _ in s["pilihan"]] + [k for k in every if k not in dict(s["pilihan"])]
                    similar = s["how"] == "confirm" and s["pilihan"]
                    if similar:
                        label = t("data.name_row_similar", lang, row=s["row"], name=s["nama"],
                                  match=s["pilihan"][0][1], score=f"{s['skor']:.0f}")
                    else:
                        label = t("data.name_row", lang, row=s["row"], name=s["nama"])
                    choices[s["nama"]] = st.selectbox(
                        label, options, index=0 if similar else None,
                        format_func=lambda k: f"{every.get(k, k)} ({k})", key=f"alias_{kota}_{s['row']}",
                        placeholder=t("data.name_pick", lang))
                if st.button(t("data.names_save", lang), icon=":material/bookmark_add:", key="names_save"):
                    confirmed = {n: k for n, k in choices.items() if k}
                    if confirmed:
                        pipeline.remember_aliases(ui.writable_lake(), kota, confirmed)
                        aliases.setdefault(kota, {}).update(confirmed)
                        st.rerun()
            st.subheader(t("data.rows", lang))
            rows = data.rows_frame(report, lang, names)
            for column in ("jumlah", "penyebut"):
                label = t(f"report.col.{column}", lang)
                if label in rows:
                    rows[label] = [_shown_number(v) for v in rows[label]]
            status_col = t("report.status", lang)

            def status_label(status: str) -> str:
                # A refused file stores nothing: its good rows are "without error", not "accepted".
                if not report.ok and status in ("diterima", "peringatan"):
                    return t(f"data.status.{status}", lang)
                return t(f"report.status.{status}", lang)

            rows[status_col] = [status_label(s) for s in report.rows["status"]]
            # Rejected rows first when there are any; otherwise what will be stored.
            order = [s for s in data.STATUS_ORDER if s != "ditolak" or counts["rejected"]]
            for status, tab in zip(order, st.tabs(
                    [f"{status_label(s)} ({(report.rows['status'] == s).sum()})" for s in order])):
                with tab:
                    widgets.dataframe(rows[rows[status_col] == status_label(status)], hide_index=True, width="stretch")
            with st.container(horizontal=True):
                st.download_button(t("data.report_xlsx", lang),
                                   session.logged(f"laporan validasi {upload.display_name}", lambda: data.report_xlsx(
                                       report, upload.display_name, upload.sha256, lang, names)),
                                   f"laporan-validasi-{upload.sha256[:8]}.xlsx", icon=":material/download:",
                                   on_click="ignore", key="dl_report")
                allowed = access.can(user, "upload", indikator=report.context.indicator.id if report.context.indicator
                                     else report.context.kind)
                if not allowed:
                    st.caption(t("access.denied", lang, role=user.role))
                if st.button(t("data.commit", lang), type="primary", icon=":material/cloud_upload:", key="commit",
                             disabled=not (report.ok and allowed) or bool(already)):
                    with ui.guard(lang), st.spinner(t("data.saving", lang)):
                        access.require(user, "upload", indikator=report.context.indicator.id if report.context.indicator
                                       else report.context.kind)
                        record = pipeline.commit(report, upload, ui.writable_lake(), pengguna=user.username)
                        saved_here[_fingerprint(upload, request)] = record
                        session.audit("unggah", f"{upload.display_name} → {record['upload_id']}")
                    st.session_state["data_committed"] = {"record": record, "file": upload.display_name,
                                                          "kota_nama": report.context.kota_nama}
                    st.session_state["up_round"] = round_ + 1
                    st.rerun()


def _undo_refused(exc: UndoRefused, log: dict, lang: str) -> str:
    """Why an undo cannot be done now, naming uploads by what they hold rather than by their id."""
    if exc.key == "undo.later" and exc.params.get("later") in log:
        return t("history.undo_later", lang, file=exc.params.get("file") or "",
                 when=uploads.uploaded_at(log[exc.params["later"]], lang))
    if exc.key == "undo.already":
        return t("history.undo_already", lang)
    return exc.message(lang)


if tab_history.open:
    with tab_history:
        with ui.guard(lang):
            history = ui.run("riwayat_by_upload", kota_kode=None)
        if history.empty:
            st.info(t("cli.no_uploads", lang))
        else:
            st.caption(t("history.caption", lang))
            widgets.dataframe(data.history_frame(history, lang, kota_names), hide_index=True, width="stretch")
            log, slices = data.uploads_by_id(history)
            undoable = history[history["membatalkan"].isna() & history["dibatalkan"].isna()]
            if len(undoable) and access.can(user, "undo"):
                with st.container(border=True):
                    batch = st.selectbox(t("data.undo_pick", lang), list(dict.fromkeys(undoable["upload_id"])),
                                         key="undo_pick",
                                         format_func=lambda b: data.undo_label(log[b], lang,
                                                                                 kota_names.get(log[b]["kota_kode"]),
                                                                                 slices.get(b, 1)))
                    sure = st.checkbox(t("data.undo_sure", lang), key="undo_sure")
                    if st.button(t("data.undo", lang), icon=":material/undo:", key="undo_go", disabled=not sure):
                        with ui.guard(lang):
                            access.require(user, "undo")
                            try:
                                record = ui.writable_lake().undo(batch, pengguna=user.username)
                            except UndoRefused as exc:
                                st.error(_undo_refused(exc, log, lang), icon=":material/error:")
                                st.stop()
                            session.audit("batal", batch)
                        st.session_state["data_saved"] = {
                            k: r for k, r in st.session_state.get("data_saved", {}).items() if r["upload_id"] != batch}
                        if (st.session_state.get("data_committed") or {}).get("record", {}).get("upload_id") == batch:
                            st.session_state.pop("data_committed")
                        st.session_state["data_undone"] = data.undo_message(
                            log[batch], record, lang, kota_names.get(log[batch]["kota_kode"]))
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
            tkota = _kota_box("tpl_kota")
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
