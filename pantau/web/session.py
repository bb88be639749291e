"""Who uses the app: local mode's guard, sign-in and the session's life, and the audit log."""

from __future__ import annotations

import os

import pandas as pd
import streamlit as st

from pantau.i18n import t
from pantau.web import access
from pantau.web.ui import CSS, _ensure_lake, current_lang, current_user, writable_lake

IDLE_SECONDS = 2 * 3600  # a session unused this long signs out
SESSION_SECONDS = 10 * 3600  # and none lasts longer than a working day


def local_mode_allowed() -> bool:
    """False when the app runs without sign-in and this session's browser is not on this machine."""
    if access.mode() != "lokal":
        return True
    peer = st.context.ip_address
    if not isinstance(peer, str):  # None (loopback) in a server; a stand-in object under AppTest, no network
        peer = None
    try:
        headers = {str(k): str(v) for k, v in st.context.headers.items()}
    except (AttributeError, TypeError):
        headers = {}
    return access.local_client_allowed(peer, headers)


def local_mode_refused() -> None:
    """The only page another computer gets from an app in local mode: why, and how to set up sign-in."""
    import logging

    lang = current_lang()
    logging.getLogger("pantau").warning("local mode: refused a client that is not on this machine")
    st.html(CSS)
    st.title("Pantau Kota")
    st.error(t("access.remote_refused", lang), icon=":material/lock:")
    st.markdown(t("access.local_only_how", lang))


def signed_in(lang: str) -> access.User | None:
    """The user of this session (the local user in local mode), or None when someone must sign in first.

    The session lives in Streamlit's server-side session state only (no cookie to steal or replay):
    it ends when the tab closes, after IDLE_SECONDS without use, or after SESSION_SECONDS at most.
    """
    if access.mode() == "lokal":
        return access.LOCAL_USER
    import time

    now = time.time()
    user = st.session_state.get("pantau_user")
    started, seen = st.session_state.get("pantau_started", 0), st.session_state.get("pantau_seen", 0)
    if user is not None and (now - seen > IDLE_SECONDS or now - started > SESSION_SECONDS):
        access.audit(writable_lake(), user, "keluar", user.username, "kedaluwarsa")
        st.session_state.pop("pantau_user", None)
        return None
    if user is not None:
        st.session_state["pantau_seen"] = now
        with st.sidebar:
            st.caption(t("access.signed_in", lang, name=user.name, role=user.role, area=user.area or "–"))
            if st.button(t("access.logout", lang), key="b_logout", icon=":material/logout:"):
                access.audit(writable_lake(), user, "keluar", user.username)
                st.session_state.pop("pantau_user", None)
                st.rerun()
    return user


def sign_in_page() -> None:
    """The only page a visitor sees before signing in: a form checked against bcrypt hashes."""
    import time

    lang = current_lang()
    st.html(CSS)
    with st.form("pantau_login"):
        st.subheader(t("access.form", lang))
        username = st.text_input(t("access.username", lang), max_chars=60)
        password = st.text_input(t("access.password", lang), type="password", max_chars=200)
        submitted = st.form_submit_button(t("access.login", lang), type="primary")
    if not submitted:
        return
    lake_ = writable_lake()
    wait = access.delay_for(access.recent_failures(lake_, username.strip()))
    if wait:
        time.sleep(wait)  # slows a password guesser down; the message says why
        st.warning(t("access.slowed", lang, seconds=wait))
    user = access.verify(username.strip(), password)
    if user is None:
        access.audit(lake_, None, "masuk", username.strip()[:60], "gagal")
        st.error(t("access.failed", lang))
        return
    now = time.time()
    st.session_state.update(pantau_user=user, pantau_started=now, pantau_seen=now)
    access.audit(lake_, user, "masuk", user.username)
    st.rerun()


def logged(what: str, make):
    """A download's data function that first records the download in the audit log."""
    def data():
        audit("unduh", what)
        return make()
    return data


def public_forced() -> bool:
    """Whether every download of this user must follow the "untuk publik" rule (viewers, when settings say so)."""
    return current_user().role == "viewer" and os.environ.get("PANTAU_VIEWER_PUBLIK", "1") != "0"


def audit_log() -> pd.DataFrame:
    """The audit log, newest first."""
    current = _ensure_lake()
    if not current.exists("audit"):
        return pd.DataFrame(columns=access.AUDIT_SCHEMA.names)
    return current.read("audit").to_pandas().sort_values("waktu", ascending=False)


def audit_chain_state() -> dict:
    """Whether the audit log's hash chain is whole (lake.audit.verify), for the Audit page."""
    from pantau.lake import audit as audit_chain

    return audit_chain.verify(_ensure_lake())


def audit(action: str, objek: str = "", hasil: str = "ok") -> None:
    """Record an action of the current user in the audit log."""
    access.audit(writable_lake(), current_user(), action, objek, hasil)
