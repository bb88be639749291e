"""The pages and their navigation: what app.py runs as the script of every page."""

import streamlit as st

from pantau.i18n import t
from pantau.web import access, session, ui


def run() -> None:
    """Declare the pages this visitor may open (none but sign-in before they have signed in) and run the one asked."""
    st.set_page_config(page_title="Pantau Kota", page_icon=ui.ICON, layout="wide")
    lang = ui.current_lang()
    if not session.local_mode_allowed():  # local mode serves this machine only, however the server was started
        ui.mark_navigation()  # and no page list either (Streamlit would list pages/ on its own)
        st.navigation([st.Page(session.local_mode_refused, title="Pantau Kota", url_path="lokal", default=True)],
                      position="hidden").run()
        return
    user = session.signed_in(lang)
    if user is None:  # the sign-in form is all a visitor sees, whatever the URL asked for
        ui.mark_navigation()
        st.navigation([st.Page(session.sign_in_page, title=t("access.form", lang), url_path="masuk", default=True)],
                      position="hidden").run()
        return
    pages = [
        # The app's root shows Ringkasan (a hidden default page), and so does its own address /ringkasan,
        # the one a user bookmarks from the menu: Streamlit serves a default page at the root only.
        st.Page("pages/ringkasan.py", title=t("nav.ringkasan", lang), icon=":material/dashboard:",
                url_path="beranda", default=True, visibility="hidden"),
        st.Page("pages/ringkasan.py", title=t("nav.ringkasan", lang), icon=":material/dashboard:",
                url_path="ringkasan"),
        st.Page("pages/peta.py", title=t("nav.peta", lang), icon=":material/map:", url_path="peta"),
        st.Page("pages/wilayah.py", title=t("nav.wilayah", lang), icon=":material/public:", url_path="wilayah"),
        st.Page("pages/tren.py", title=t("nav.tren", lang), icon=":material/show_chart:", url_path="tren"),
        st.Page("pages/rekonsiliasi.py", title=t("nav.rekonsiliasi", lang), icon=":material/compare_arrows:",
                url_path="rekonsiliasi"),
        st.Page("pages/drainase.py", title=t("nav.drainase", lang), icon=":material/water_drop:", url_path="drainase"),
        st.Page("pages/prioritas.py", title=t("nav.prioritas", lang), icon=":material/flag:", url_path="prioritas"),
        st.Page("pages/tindak_lanjut.py", title=t("nav.tindak_lanjut", lang), icon=":material/task_alt:",
                url_path="tindak_lanjut"),
        st.Page("pages/presentasi.py", title=t("nav.presentasi", lang), icon=":material/slideshow:",
                url_path="presentasi"),
        st.Page("pages/data.py", title=t("nav.data", lang), icon=":material/upload_file:", url_path="data"),
        st.Page("pages/audit.py", title=t("nav.audit", lang), icon=":material/policy:", url_path="audit"),
    ]
    # A page this role may not use is not in the app at all: its URL shows "page not found".
    page = st.navigation([p for p in pages if access.can_open(user, p.url_path or "ringkasan")])
    ui.mark_navigation()
    with ui.page_boundary(lang):  # no Streamlit error box, no trace, no outside link ever reaches a user
        page.run()
