"""Tindak lanjut: what each rakor agreed, who does it by when, what is done; on a map and per OPD."""

import datetime as dt

import streamlit as st

from pantau.domain import tindak_lanjut as aksi
from pantau.domain.catalog import AKSI_STATUSES, INDICATORS
from pantau.errors import PantauError
from pantau.i18n import t
from pantau.ingest.matching import Matcher
from pantau.ingest.pipeline import MAX_UPLOAD_MB
from pantau.ingest.sheets import Upload
from pantau.render import cards, export, fmt, maps
from pantau.views.tindak_lanjut import open_map_model
from pantau.web import access, fit, map_ui, session, ui, widgets

view = ui.page_view(indicator_widget=False, period_widget=False, source_widget=False)
lang, kota = view.lang, view.kota
user = ui.current_user()
may_edit = access.can(user, "edit")
today = ui.today()
st.title(t("aksi.title", lang))
st.caption(view.kota_nama)

with ui.guard(lang):
    actions = aksi.current(ui.run, kota, today)
    wilayah = ui.run("kelurahan_by_kota", kota_kode=kota)
    counts = ui.run("tindak_lanjut_terbuka_by_kelurahan", kota_kode=kota, hari_ini=today)
    opds = aksi.opd_options(ui.run, kota)
    assets = map_ui.map_assets(kota, lang)
    outlined = map_ui.priority_kodes(kota)
kelurahan = wilayah[wilayah["tingkat"] == "kelurahan"]
names = dict(zip(kelurahan["kode"], kelurahan["nama"]))
open_actions = actions[actions["status"] != "selesai"]

m1, m2, m3 = st.columns(3)
overdue = int(actions["terlambat"].sum())
m1.metric(t("aksi.metric.open", lang), len(open_actions), border=True)
# Overdue actions are what the rakor must ask about first: the tile turns red when there is any.
m2.metric(t("aksi.metric.overdue", lang), overdue, border=True,
          delta=t("tl.overdue_flag", lang) if overdue else None, delta_color="red", delta_arrow="off",
          icon=":material/warning:" if overdue else None)
m3.metric(t("aksi.metric.done", lang), int((actions["status"] == "selesai").sum()), border=True)

model = open_map_model(counts, wilayah, lang)
map_col, side_col = st.columns([3, 1.25], gap="medium")
with map_col:
    deck = maps.choropleth_deck(assets, model.frame, model.classes, model.colors, assets["labels"], None, lang,
                                False, outlined=outlined)
    fit.chart(deck, "aksi", key="aksi_map")
with side_col:
    st.html(cards.legend_html(t("aksi.map_legend", lang), model.legend))
    if outlined:
        st.html(cards.legend_html("", maps.priority_legend(len(outlined), lang)))
    kota_wide = sum(1 for k in open_actions["kelurahan"] if not k)
    if kota_wide:
        st.caption(t("aksi.kota_wide", lang, n=kota_wide))
    st.download_button(t("deck.png", lang),
                       lambda: map_ui.map_png(kota, lang, f"{t('aksi.map_legend', lang)} · {view.kota_nama}",
                                              t("aksi.title", lang), fmt.day(today, lang), model, outlined),
                       f"pantau-{kota}-tindak-lanjut-{today.isoformat()}.png", "image/png", icon=":material/image:",
                       on_click="ignore", key="dl_aksi_png")


def save(changes: list[dict], asal: str = "form") -> None:
    try:
        for change in changes:
            access.require(user, "edit_action", opd=change.get("opd"))
        saved = aksi.save(ui.writable_lake(), kota, changes, pengguna=user.username, asal=asal)
        session.audit("ubah aksi", f"{len(saved)} · {asal}")
    except PantauError as exc:
        st.error(exc.message(lang))
    else:
        st.toast(t("aksi.saved", lang, n=len(saved)))
        st.rerun()


tab_list, tab_opd, tab_add, tab_history, tab_file = st.tabs(
    [t("aksi.tab.list", lang), t("aksi.tab.opd", lang), t("aksi.tab.add", lang), t("aksi.tab.history", lang),
     t("aksi.tab.file", lang)])

with tab_list:
    if actions.empty:
        st.info(t("aksi.none", lang))
    else:
        f1, f2, f3 = st.columns([1.6, 1.6, 1.5], vertical_alignment="bottom")
        pick_opd = f1.multiselect(t("aksi.filter.opd", lang), sorted(actions["opd"].unique()), key="w_aksi_opd",
                                  placeholder=t("aksi.pick_any", lang))
        pick_status = f2.multiselect(t("aksi.filter.status", lang), list(AKSI_STATUSES), key="w_aksi_status",
                                     format_func=lambda s: AKSI_STATUSES[s][lang], placeholder=t("aksi.pick_any", lang))
        only_late = f3.toggle(t("aksi.only_overdue", lang), key="w_aksi_late")
        shown = aksi.filtered(actions, pick_opd, pick_status, only_late)
        if not may_edit:  # an OPD updates its own actions; a viewer reads
            editable = shown[shown["opd"] == user.opd] if user.role == "opd" else shown.iloc[0:0]
            widgets.dataframe(aksi.overdue_style(aksi.export_frame(shown, names, lang), shown["terlambat"]), hide_index=True)
            shown = editable
        if len(shown) or may_edit:  # a viewer, or an OPD without actions here, has nothing to edit
            table = aksi.editor_frame(shown, names, lang)
            st.caption(t("aksi.edit_help", lang))
            edited = st.data_editor(aksi.overdue_style(table, shown["terlambat"]), key="aksi_editor", hide_index=True,
                                    width="stretch", column_config={
                "apa": st.column_config.TextColumn(t("aksi.col.apa", lang), width="large", required=True, max_chars=300),
                "opd": st.column_config.SelectboxColumn(t("aksi.col.opd", lang), options=opds, required=True),
                "tempat": st.column_config.TextColumn(t("aksi.col.kelurahan", lang), disabled=True),
                "tenggat": st.column_config.DateColumn(t("aksi.col.tenggat", lang), format="DD/MM/YYYY", required=True),
                "status": st.column_config.SelectboxColumn(t("aksi.col.status", lang), options=list(AKSI_STATUSES),
                                                           format_func=lambda s: AKSI_STATUSES[s][lang], required=True),
                "catatan": st.column_config.TextColumn(t("aksi.col.catatan", lang), width="medium", max_chars=300),
                "terlambat": st.column_config.TextColumn(t("aksi.col.terlambat", lang), disabled=True),
            })
            if len(shown) and st.button(t("aksi.save_edits", lang), type="primary", icon=":material/save:",
                                        key="b_aksi_save"):
                changes = aksi.edits(table, edited, shown, today)
                if changes:
                    save(changes, "tabel")
                else:
                    st.info(t("aksi.nothing_changed", lang))

with tab_opd:
    summary = aksi.per_opd(actions)
    widgets.dataframe(aksi.opd_style(aksi.opd_frame(summary, lang), lang), hide_index=True)
    for opd in summary["opd"]:
        mine = actions[actions["opd"] == opd]
        late = int(mine["terlambat"].sum())
        with st.expander(f"{opd} · {len(mine)}" + (f" · ⚠ {late} {t('aksi.metric.overdue', lang).lower()}" if late else "")):
            listed = aksi.export_frame(mine, names, lang).drop(columns=[t("aksi.col.id", lang), t("aksi.col.versi", lang)])
            widgets.dataframe(aksi.overdue_style(listed, mine["terlambat"]), hide_index=True)

with tab_add:
    if not may_edit:
        st.caption(t("access.read_only", lang))
    else:
        with st.form("aksi_form", clear_on_submit=True):
            apa = st.text_area(t("aksi.form.apa", lang), max_chars=300)
            c1, c2 = st.columns(2)
            rakor = c1.date_input(t("aksi.form.rakor", lang), value=today, format="DD/MM/YYYY")
            tenggat = c2.date_input(t("aksi.form.tenggat", lang), value=today + dt.timedelta(days=30), format="DD/MM/YYYY")
            c3, c4 = st.columns(2)
            opd = c3.selectbox(t("aksi.form.opd", lang), opds)
            new_opd = c4.text_input(t("aksi.form.new_opd", lang), max_chars=80)
            places = st.multiselect(t("aksi.form.kelurahan", lang), list(names), format_func=names.get,
                                    placeholder=t("aksi.whole_kota", lang))
            c5, c6 = st.columns(2)
            indikator = c5.selectbox(t("aksi.form.indikator", lang), [None, *INDICATORS],
                                     format_func=lambda i: t("aksi.form.none", lang) if i is None else INDICATORS[i].text("label", lang))
            status = c6.selectbox(t("aksi.form.status", lang), list(AKSI_STATUSES), format_func=lambda s: AKSI_STATUSES[s][lang])
            catatan = st.text_input(t("aksi.form.catatan", lang), max_chars=300)
            if st.form_submit_button(t("aksi.form.submit", lang), type="primary", icon=":material/add_task:"):
                try:
                    if new_opd.strip():
                        access.require(user, "edit")
                        opd = aksi.add_opd(ui.writable_lake(), kota, new_opd)
                except PantauError as exc:
                    st.error(exc.message(lang))
                else:
                    save([{"apa": apa, "tanggal_rakor": rakor, "opd": opd, "kelurahan": places, "indikator": indikator,
                           "tenggat": tenggat, "status": status, "catatan": catatan or None,
                           "catatan_tanggal": today if catatan else None}])

with tab_history:
    if not actions.empty:
        labels = dict(zip(actions["aksi_id"], actions["apa"]))
        picked = st.selectbox(t("aksi.pick", lang), list(labels), format_func=lambda i: labels[i][:90], key="w_aksi_hist")
        st.caption(t("aksi.history_caption", lang))
        with ui.guard(lang):
            history = ui.run("tindak_lanjut_riwayat_by_versi", aksi_id=picked)
        widgets.dataframe(aksi.history_frame(history, names, kota, lang), hide_index=True)

with tab_file:
    st.download_button(t("aksi.export", lang), session.logged(f"tindak lanjut {kota}", lambda: aksi.export_xlsx(actions, names, lang)),
                       f"pantau-{kota}-tindak-lanjut-{today.isoformat()}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", on_click="ignore", key="dl_aksi")
    st.download_button(t("tren.download_csv", lang),
                       session.logged(f"tindak lanjut {kota} csv",
                                      lambda: export.csv_bytes(aksi.export_frame(actions, names, lang), lang)),
                       f"pantau-{kota}-tindak-lanjut-{today.isoformat()}.csv", "text/csv",
                       icon=":material/download:", on_click="ignore", key="dl_aksi_csv")
    st.caption(t("aksi.import_help", lang))
    uploaded = st.file_uploader(t("aksi.import", lang), type=["xlsx", "xls", "ods", "csv"], key="w_aksi_file",
                                disabled=not may_edit)
    if uploaded is not None:
        upload = Upload(uploaded.name, uploaded.getvalue())
        try:
            changes, problems, same = aksi.read_import(upload, kota, Matcher(wilayah, kota), actions,
                                                       MAX_UPLOAD_MB * 1024 * 1024)
        except PantauError as exc:
            st.error(exc.message(lang))
        else:
            new = sum(1 for c in changes if not c.get("aksi_id"))
            st.write(t("aksi.import_result", lang, new=new, changed=len(changes) - new, same=same))
            if problems:
                st.error(t("aksi.import_refused", lang, n=len(problems)))
                for p in problems:
                    st.write("- " + p.where(upload.display_name, lang))
            elif changes and st.button(t("aksi.import_save", lang), type="primary", key="b_aksi_import"):
                save(changes, f"impor {upload.display_name}"[:120])
