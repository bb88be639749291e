"""The one module of the package that imports Streamlit: cached lake access, view state, shared widgets."""

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
from pantau.lake.store import Lake
from pantau.render import fmt
from pantau.views.shared import (
    LEVELS,
    SCOPES,
    MapModel,
    View,
    is_demo,
    kota_options,
    outline_level,
    period_options,
    resolve_view,
    scope_coverage,
)
from pantau.web import access

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
IDLE_SECONDS = 2 * 3600  # a session unused this long signs out
SESSION_SECONDS = 10 * 3600  # and none lasts longer than a working day
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


def _ensure_lake() -> Lake:
    """The lake, with the demo built first when it is empty."""
    current = lake()
    if current.is_empty():
        from pantau.lake import demo  # geopandas and the boundary files: only when there is no lake yet

        with _build_lock:
            if current.is_empty() and demo.build(current):
                st.session_state["demo_built"] = True
    return current


def _cursor():
    current = _ensure_lake()
    return _database(str(current.path), current.stamp()).cursor()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached_query(path: str, stamp: tuple, name: str, params: tuple) -> pd.DataFrame:
    return queries.run(_database(path, stamp).cursor(), name, **dict(params))


def run(name: str, **params) -> pd.DataFrame:
    """A query's result for the signed-in user's area, cached until the lake gets a new commit."""
    user = current_user()
    access.check_params(user, name, params)
    current = _ensure_lake()
    return access.narrow(user, _cached_query(str(current.path), current.stamp(), name, tuple(sorted(params.items()))),
                         name)


def current_user() -> access.User:
    """Who is using the app: the local user in local mode, else the signed-in user (AccessDenied if none)."""
    if access.mode() == "lokal":
        return access.LOCAL_USER
    user = st.session_state.get("pantau_user")
    if user is None:
        raise access.AccessDenied("access.not_signed_in")
    return user


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


def audit(action: str, objek: str = "", hasil: str = "ok") -> None:
    """Record an action of the current user in the audit log."""
    access.audit(writable_lake(), current_user(), action, objek, hasil)


@st.cache_data(show_spinner=False, max_entries=32)
def _map_assets(path: str, stamp: tuple, kota: str) -> dict:
    from pantau.lake import geo  # shapely: only for the map pages

    geometry = queries.run(_database(path, stamp).cursor(), "geometry_by_kota", kota_kode=kota)
    assets = {lang: geo.map_assets(kota, geometry, t("peta.tooltip_hint", lang)) for lang in LANGS}
    assets["labels"] = geo.label_points(geometry)
    return assets


def map_assets(kota: str, lang: str) -> dict:
    """URLs of the kota's static geometry files (written once) and its label points."""
    current = _ensure_lake()
    cached = _map_assets(str(current.path), current.stamp(), kota)
    assets = dict(cached[lang], labels=cached["labels"])
    for key in ("kelurahan", "kecamatan"):
        assets[key] = _served(assets[key])
    return assets


def _served(path: str | None) -> str | None:
    """A static file's URL under the server's base path (when Streamlit is served below a prefix)."""
    if not path:
        return path
    base = st.get_option("server.baseUrlPath").strip("/")
    return (f"/{base}/" if base else "/") + path


@st.cache_data(show_spinner=False, max_entries=16)
def _part_assets(path: str, stamp: tuple, wilayah: str, level: str) -> dict:
    import hashlib

    from pantau.lake import geo

    def load():
        cursor = _database(path, stamp).cursor()
        parts = queries.run(cursor, "geometry_by_bagian", wilayah_kode=wilayah, panjang=LEVELS[level])
        above = outline_level(wilayah, level)
        outlines = None if above is None else queries.run(cursor, "geometry_by_bagian", wilayah_kode=wilayah,
                                                          panjang=LEVELS[above])
        return parts, outlines

    # The boundaries' version: a new wilayah commit makes new files; otherwise a restarted server
    # finds the files an earlier one wrote and reads nothing.
    version = hashlib.sha1(repr((path, [s for s in stamp if s[0] == "wilayah"])).encode()).hexdigest()[:10]
    return geo.part_assets(f"{wilayah or 'id'}-{level}-{version}", load)


def part_assets(wilayah: str, level: str) -> dict:
    """URLs of the static shape files of a level map (the parts, the outlines above) and its labels.

    The wilayah is checked against the user's area first, as every query is."""
    access.check_params(current_user(), "geometry_by_bagian", {"wilayah_kode": wilayah})
    current = _ensure_lake()
    assets = dict(_part_assets(str(current.path), current.stamp(), wilayah, level))
    for key in ("bagian", "garis"):
        assets[key] = _served(assets[key])
    return assets


def dataframe(data, **kwargs):
    """st.dataframe, or a sentence in the user's language where there is no row (Streamlit's grid would
    say "empty" in English)."""
    frame = getattr(data, "data", data)  # a Styler holds its frame
    if frame is None or len(frame) == 0:
        st.caption(t("table.empty", current_lang()))
        return None
    return st.dataframe(data, **kwargs)


def decimal_input(label: str, value: float | None, key: str, lang: str, digits: int = 1) -> float | None:
    """A number typed the way the reader writes it ("7,5" in Indonesian, "7.5" in English); Streamlit's
    number_input shows a decimal point whatever the language. Returns None (with a message) when the
    text is not a number of zero or more."""
    if key not in st.session_state:
        st.session_state[key] = "" if value is None else fmt.number(value, lang, digits)
    text = st.text_input(label, key=key)
    if lang == "en":  # 7.5 and 1,250.5 as an English reader writes them
        try:
            number = float(text.replace(",", "").strip()) if text.strip() else None
        except ValueError:
            number = None
    else:
        number = fmt.parse_number_or_none(text) if text.strip() else None
    if text.strip() and (number is None or number < 0):
        st.error(t("input.not_number", lang, value=text), icon=":material/error:")
        return None
    return number


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
    return ("<style>[data-testid=stFileUploaderDropzone] button {font-size: 0 !important;}"
            f'[data-testid=stFileUploaderDropzone] button::after {{content: "{button}"; font-size: 0.95rem;}}'
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
        view = resolve_view(run, _wanted(), lang, current_user().area)
        periods = period_options(run, view.kota)
        kotas = kota_options(run)
        demo_data = is_demo(run)
    for notice in view.notices:
        st.warning(notice, icon=":material/info:")
    if scope_widget:  # a province's or the nation's totals say how much of it the lake holds
        with guard(lang):
            coverage = scope_coverage(run, view, lang)
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
        sb.selectbox(t("filter.indikator", lang), list(INDICATORS), key="w_indikator",
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


def _set_kelurahan(kode: str | None) -> None:
    st.session_state["view_kel"] = kode
    if kode:
        st.query_params["kel"] = kode
    elif "kel" in st.query_params:
        del st.query_params["kel"]


def map_png(kota: str, lang: str, title: str, subtitle: str, note: str, model: MapModel,
            outlined: list[str], points=None) -> bytes:
    """A page's map as a PNG with its title, legend and source, drawn offline (no browser, no tiles)."""
    from pantau.render import slides
    from pantau.views import presentasi

    audit("unduh", f"peta {kota} {title}"[:200])
    demo_data = is_demo(run)
    screen = presentasi.Slide("indikator", title, subtitle, note + (" · DEMO" if demo_data else ""),
                              model=model, outlined=outlined, points=points)
    return slides.png_bytes(screen, run("geometry_by_kota", kota_kode=kota), lang, demo_data)


def priority_kodes(kota: str) -> list[str]:
    """The kota's priority kelurahan, outlined on every map."""
    frame = run("prioritas_by_kota", kota_kode=kota, sampai=today().replace(day=1))
    return sorted(set(frame["kelurahan_kode"]))


def map_key(name: str = "peta") -> str:
    """A map's widget key; it changes after each click (`new_map_key`) so the map drops Streamlit's
    dimming of everything not selected, which would wash out the choropleth."""
    return f"{name}_map_{st.session_state.get(f'{name}_map_generation', 0)}"


def new_map_key(name: str = "peta") -> None:
    st.session_state[f"{name}_map_generation"] = st.session_state.get(f"{name}_map_generation", 0) + 1


def clicked_code(name: str, layers: tuple[str, ...]) -> str | None:
    """The code of the area clicked on a map (its polygon, or its name on top of it), if any."""
    state = st.session_state.get(map_key(name)) or {}
    objects = state.get("selection", {}).get("objects", {})
    for layer in layers:
        for obj in objects.get(layer) or []:
            kode = obj.get("kode") or (obj.get("properties") or {}).get("kode")
            if kode:
                return kode
    return None


def select_from_map() -> None:
    """Take the kelurahan clicked on the map as the one to profile."""
    kode = clicked_code("peta", ("kelurahan", "nama"))
    if kode:
        _set_kelurahan(kode)
        new_map_key("peta")


def select_from_box() -> None:
    _set_kelurahan(st.session_state.get("w_kel"))


def selected_kelurahan(frame: pd.DataFrame) -> str | None:
    """The kelurahan to profile, when it belongs to the kota shown; the picker follows it."""
    kode = st.query_params.get("kel") or st.session_state.get("view_kel")
    if kode not in set(frame["kode"]):
        kode = None
    st.session_state["w_kel"] = kode
    return kode


def downloads(frame_fn, file_name: str, sheet: str, lang: str) -> None:
    """CSV and XLSX buttons for the data behind a chart (a DataFrame, or the Styler the screen shows);
    the file is made only when clicked, with numbers as numbers in the language's CSV dialect."""
    from pantau.render import export

    forced = public_forced()
    with st.container(horizontal=True):
        public = forced or st.checkbox(t("export.public", lang), key=f"pub_{file_name}", help=t("export.public_help", lang))

    def shown() -> pd.DataFrame:
        frame = export.table_frame(frame_fn(), lang)
        return export.public_frame(frame) if public else frame

    what = file_name + (" (publik)" if public else "")
    with st.container(horizontal=True):
        st.download_button(t("tren.download_csv", lang), logged(what, lambda: export.csv_bytes(shown(), lang)),
                           f"{file_name}.csv",
                           "text/csv", icon=":material/download:", key=f"dl_{file_name}_csv", on_click="ignore")
        st.download_button(t("tren.download_xlsx", lang), logged(what, lambda: export.xlsx_bytes(shown(), sheet, lang)),
                           f"{file_name}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           icon=":material/download:", key=f"dl_{file_name}_xlsx", on_click="ignore")
