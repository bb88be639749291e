"""The Streamlit core of the pages: cached lake access and queries, the user, page setup, the view sidebar."""

from __future__ import annotations

import datetime as dt
import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import streamlit as st

from pantau.domain.catalog import INDICATORS, SOURCES, source_label
from pantau.errors import PantauError
from pantau.i18n import LANGS, t
from pantau.lake import queries
from pantau.lake.store import Lake, write_generation
from pantau.render import fmt
from pantau.views.shared import (
    SCOPES,
    View,
    is_demo,
    kota_options,
    period_options,
    resolve_view,
    scope_coverage,
)
from pantau.web import access, cache

_build_lock = threading.Lock()


def mark_navigation() -> None:
    """Called by app.py once it has declared the pages with st.navigation."""
    st.session_state["_pantau_nav"] = True


def _ensure_navigation() -> None:
    """Rerun through app.py when Streamlit ran a page file on its own.

    Streamlit still treats a folder named pages/ as an old-style multipage app until some
    script calls st.navigation, so the first visit of a server's life straight to /peta runs
    pages/peta.py without app.py. Turning that mode off and rerunning lands on the same page.
    """
    if st.session_state.pop("_pantau_nav", False):
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


ICON = str(Path(__file__).parent / "assets" / "icon.png")
VIEW_KEYS = ("kota", "indikator", "periode", "sumber", "ukuran", "kelas", "lingkup")

CSS = "<style>" + (Path(__file__).parent / "assets" / "style.css").read_text(encoding="utf-8") + "</style>"
PRESENT_CSS = "<style>" + (Path(__file__).parent / "assets" / "present.css").read_text(encoding="utf-8") + "</style>"


def current_lang() -> str:
    """The language from the URL or the session, Indonesian by default."""
    lang = st.query_params.get("lang") or st.session_state.get("lang") or "id"
    lang = lang if lang in LANGS else "id"
    st.session_state["lang"] = lang
    return lang


def today() -> dt.date:
    """Today's date, for how late a source is (PANTAU_TODAY pins it, e.g. in tests)."""
    pinned = os.environ.get("PANTAU_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def lake() -> Lake:
    return Lake()


@st.cache_resource(show_spinner=False, max_entries=2)
def _database(path: str, stamp: tuple):
    return Lake(path).connect()


# Every rerun of every session asks for the lake's version several times; its files are looked at
# at most twice a second (a commit by another process, e.g. the CLI or another worker, shows within
# half a second; one of this process shows at once: the memo is keyed on the process's write generation).
_stamps = cache.Ticker(0.5, write_generation)
_queries = cache.SharedCache(max_entries=4096)
_models = cache.SharedCache(max_entries=2048)


def _ensure_lake() -> Lake:
    """The lake, with the demo built first when it is empty."""
    return lake_and_stamp()[0]


def lake_and_stamp() -> tuple[Lake, tuple]:
    """The lake (the demo built first when it is empty) and its version stamp."""
    current = lake()
    stamp = _stamps.get(str(current.path), current.stamp)
    if all(mtime is None for _, mtime, _ in stamp):  # no table yet
        from pantau.lake import demo  # geopandas and the boundary files: only when there is no lake yet

        with _build_lock:
            if current.is_empty() and demo.build(current):
                st.session_state["demo_built"] = True
        stamp = current.stamp()
    return current, stamp


def _scope(user: access.User) -> tuple:
    """What of a user decides which rows and figures they get (not who they are)."""
    return (user.role, user.kota, user.kecamatan, user.opd, tuple(user.indikator))


def _query(path: str, stamp: tuple, name: str, params: dict) -> pd.DataFrame:
    key = (path, stamp, name, cache.freeze(params))
    return _queries.get(key, lambda: queries.run(_database(path, stamp).cursor(), name, **params))


def run(name: str, **params) -> pd.DataFrame:
    """A query's result for the signed-in user's area, computed once per lake version for every session
    (a shallow copy: pandas' copy-on-write keeps the shared result as it was whatever the page does)."""
    user = current_user()
    access.check_params(user, name, params)
    current, stamp = lake_and_stamp()
    result = _query(str(current.path), stamp, name, params)
    return cache.handed_out(access.narrow(user, result, name))


def model(fn, *args, given: dict | None = None, **kwargs):
    """`fn(run, *args, **given, **kwargs)`: a page model (tiles, rows, a map, a figure's data) computed once
    per lake version, user scope and arguments, and shared by every session that asks the same. The
    result is read-only: a page draws it and never changes it. `given` holds inputs that follow from the
    other arguments and the lake version (a kota's map files): passed on, not part of the key."""
    user = current_user()
    current, stamp = lake_and_stamp()
    key = (fn.__module__, fn.__qualname__, str(current.path), stamp, _scope(user), cache.freeze(args),
           cache.freeze(kwargs))
    return cache.handed_out(_models.get(key, lambda: fn(run, *args, **(given or {}), **kwargs)))


def current_user() -> access.User:
    """Who is using the app: the local user in local mode, else the signed-in user (AccessDenied if none)."""
    if access.mode() == "lokal":
        return access.LOCAL_USER
    user = st.session_state.get("pantau_user")
    if user is None:
        raise access.AccessDenied("access.not_signed_in")
    return user


@contextmanager
def page_boundary(lang: str):
    """Around every page: an error the page did not expect becomes one message in the user's language
    that says what to do; the trace goes to the server log only. Streamlit's st.stop and st.rerun are
    BaseExceptions and pass through."""
    import logging

    try:
        yield
    except Exception:  # noqa: BLE001 - the last line of defence, on purpose
        logging.getLogger("pantau").exception("page failed")
        st.error(t("error.page_failed", lang), icon=":material/error:")


@contextmanager
def guard(lang: str):
    """Show a PantauError as a message the user can act on, and stop the page there."""
    try:
        yield
    except PantauError as exc:
        st.error(exc.message(lang), icon=":material/error:")
        st.stop()


def _sync_to_url(key: str, param: str) -> None:
    value = st.session_state.get(key)
    if value is not None:
        st.query_params[param] = value
        st.session_state[f"view_{param}"] = value


def _wanted() -> dict[str, str]:
    """The view asked for: the URL first, then what this session last showed."""
    return {k: st.query_params.get(k) or st.session_state.get(f"view_{k}") for k in VIEW_KEYS}


def _page_start() -> str:
    """What every page does first: run through app.py, take the language, load the style."""
    _ensure_navigation()
    lang = current_lang()
    st.html(CSS + _widget_words(lang))
    return lang


def _widget_words(lang: str) -> str:
    """Streamlit's own uploader speaks English ("Upload", "50MB per file"); these rules put the user's
    language in its place (the page's caption states the limit and the file types)."""
    button = t("widget.upload_button", lang).replace('"', "")
    # Only the browse button's own word: the remove (x) and add (+) buttons next to a chosen file keep their icons.
    word = "[data-testid=stFileUploaderDropzone] button[data-testid=stBaseButton-secondary] [data-testid=stMarkdownContainer] p"
    return (f"<style>{word} {{font-size: 0 !important;}}"
            f'{word}::after {{content: "{button}"; font-size: 0.95rem;}}'
            "[data-testid=stFileUploaderDropzoneInstructions] {display: none;}</style>")


def _demo_notice(lang: str, demo_data: bool) -> None:
    if st.session_state.pop("demo_built", False):
        st.toast(t("notice.demo_built", lang))
    if demo_data:
        st.info(t("notice.demo", lang), icon=":material/science:")


def _language_switch(lang: str) -> None:
    st.session_state["w_lang"] = lang
    st.sidebar.segmented_control(t("lang.label", lang), list(LANGS), key="w_lang", required=True,
                                 format_func=str.upper, on_change=_sync_to_url, args=("w_lang", "lang"))


def page_plain() -> str:
    """Set up a page without the view sidebar (Data): navigation, style, demo notice, language."""
    lang = _page_start()
    with guard(lang):
        _demo_notice(lang, is_demo(run))
    _language_switch(lang)
    return lang


def writable_lake() -> Lake:
    """The lake for an upload or an undo (built with the demo first when empty)."""
    return _ensure_lake()


def page_view(measure_widget: bool = False, classes_widget: bool = True, indicator_widget: bool = True,
              period_widget: bool = True, source_widget: bool = True, kota_widget: bool = True,
              scope_widget: bool = False) -> View:
    """Resolve the view from the URL, draw the shared sidebar, and keep the URL in step."""
    lang = _page_start()
    with guard(lang):
        view = model(resolve_view, _wanted(), lang, current_user().area)
        periods = model(period_options, view.kota)
        kotas = model(kota_options)
        demo_data = model(is_demo)
    for notice in view.notices:
        st.warning(notice, icon=":material/info:")
    if scope_widget:  # a province's or the nation's totals say how much of it the lake holds
        with guard(lang):
            coverage = model(scope_coverage, view, lang)
        if coverage:
            st.info(coverage, icon=":material/travel_explore:")
    _demo_notice(lang, demo_data)
    # Widgets read their value from session state; set it to the resolved view before they are drawn.
    for param, value in view.params().items():
        st.session_state[f"w_{param}"] = value
        if param == "periode" and view.periode_auto:
            # A month nobody chose stays out of the URL and the session: the next indicator or source
            # opens on its own newest month, and a bookmark always shows the newest figures.
            st.session_state.pop("view_periode", None)
            if "periode" in st.query_params:
                del st.query_params["periode"]
            continue
        st.session_state[f"view_{param}"] = value
        st.query_params[param] = value

    names = dict(zip(kotas["kode"], kotas["nama"]))
    sb = st.sidebar
    if kota_widget:
        sb.selectbox(t("filter.kota", lang), list(names), key="w_kota", format_func=names.get,
                     on_change=_sync_to_url, args=("w_kota", "kota"))
    if scope_widget and not current_user().area:  # a user limited to an area has no wider scope
        sb.segmented_control(t("filter.lingkup", lang), list(SCOPES), key="w_lingkup", required=True,
                             format_func=lambda s: t(f"lingkup.{s}", lang),
                             on_change=_sync_to_url, args=("w_lingkup", "lingkup"))
    if indicator_widget:
        sb.selectbox(t("filter.indikator", lang), list(view.indikators), key="w_indikator",
                     format_func=lambda i: INDICATORS[i].text("label", lang),
                     on_change=_sync_to_url, args=("w_indikator", "indikator"))
    if periods and period_widget:
        sb.selectbox(t("filter.periode", lang), periods, key="w_periode",
                     format_func=lambda p: fmt.period(p, lang),
                     on_change=_sync_to_url, args=("w_periode", "periode"))
    if source_widget:
        sb.segmented_control(t("filter.sumber", lang), list(SOURCES), key="w_sumber", required=True,
                             format_func=lambda s: source_label(s, lang),
                             on_change=_sync_to_url, args=("w_sumber", "sumber"))
    if measure_widget:
        from pantau.domain.classes import measures_for, methods_for

        sb.segmented_control(t("filter.ukuran", lang), list(measures_for(view.indicator)), key="w_ukuran",
                             required=True, format_func=lambda m: t(f"ukuran.{m}", lang),
                             on_change=_sync_to_url, args=("w_ukuran", "ukuran"))
        if classes_widget:
            sb.segmented_control(t("filter.kelas", lang), list(methods_for(view.indicator, view.ukuran)),
                                 key="w_kelas", required=True, format_func=lambda m: t(f"kelas.{m}", lang),
                                 on_change=_sync_to_url, args=("w_kelas", "kelas"))
    sb.divider()
    _language_switch(lang)
    if not periods:
        st.warning(t("error.no_data", lang, kota=view.kota_nama))
        st.stop()
    return view
