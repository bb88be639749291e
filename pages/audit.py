"""Audit: who signed in (and who failed), uploaded, undid, edited and downloaded what, and when. Admin only."""

import streamlit as st

from pantau import settings
from pantau.i18n import t
from pantau.render import fmt
from pantau.views import audit
from pantau.views.shared import kota_options
from pantau.web import access, session, ui, widgets

lang = ui.page_plain()
with ui.guard(lang):
    access.require(ui.current_user(), "audit")
    log = audit.with_kota(session.audit_log(), settings.DEFAULT_KOTA)
    kotas = kota_options(ui.run)
names = dict(zip(kotas["kode"], kotas["nama"]))
st.title(t("audit.title", lang))
st.caption(t("audit.caption", lang))
st.caption(t("audit.zone_note", lang, kota=names.get(settings.DEFAULT_KOTA, settings.DEFAULT_KOTA)))
chain = session.audit_chain_state()
if chain["broken"]:  # someone changed, removed or slipped in a row after it was written
    st.error(t(f"audit.broken.{chain['broken']['why']}", lang, urutan=chain["broken"]["urutan"], rows=chain["rows"]),
             icon=":material/gpp_bad:")
elif chain["rows"]:
    st.caption(t("audit.intact", lang, rows=fmt.number(chain["rows"], lang), unchained=fmt.number(chain["unchained"], lang)))

days = [w.date() for w in log["lokal"] if w is not None]
f1, f2, f3 = st.columns(3)
users = f1.multiselect(t("audit.filter.pengguna", lang), sorted(log["pengguna"].dropna().unique()), key="w_audit_user",
                       placeholder=t("audit.filter.all", lang))
actions = f2.multiselect(t("audit.filter.aksi", lang), sorted(log["aksi"].dropna().unique()), key="w_audit_aksi",
                         format_func=lambda a: audit.word("action", a, lang), placeholder=t("audit.filter.all", lang))
dates = f3.date_input(t("audit.filter.dates", lang), value=(min(days), max(days)) if days else (),
                      key="w_audit_dates", format="DD/MM/YYYY")
if len(dates) == 2:  # the widget writes 02/01/2023; the range in words cannot be misread
    f3.caption(fmt.day_range(dates[0], dates[1], lang))
dari, sampai = (dates[0], dates[1]) if len(dates) == 2 else (dates[0] if dates else None, None)

shown = audit.filtered(log, users, actions, dari, sampai)
st.caption(t("audit.count", lang, n=fmt.number(len(shown), lang), total=fmt.number(len(log), lang)))
if shown.empty:
    st.info(t("audit.none", lang))
else:
    table = audit.table(shown, names, lang)
    widgets.dataframe(table, hide_index=True)
    widgets.downloads(lambda: table, "pantau-audit", t("audit.sheet", lang), lang)
