"""Audit: who signed in (and who failed), uploaded, undid, edited and downloaded what, and when. Admin only."""

import streamlit as st

from pantau import access, ui
from pantau.i18n import t

lang = ui.page_plain()
with ui.guard(lang):
    access.require(ui.current_user(), "audit")
    log = ui.audit_log()
st.title(t("audit.title", lang))
st.caption(t("audit.caption", lang))
st.dataframe(log, hide_index=True)
