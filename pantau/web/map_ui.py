"""The maps' Streamlit side: the shape files a map loads, its PNG download, and what a click selects."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pantau.lake import queries
from pantau.views.shared import LEVELS, MapModel, is_demo, outline_level
from pantau.web import access
from pantau.web.session import audit
from pantau.web.ui import _database, current_user, lake_and_stamp, run, today


@st.cache_data(show_spinner=False, max_entries=32)
def _map_assets(path: str, stamp: tuple, kota: str) -> dict:
    from pantau.lake import geo  # shapely: only for the map pages

    return geo.kota_assets(_database(path, stamp).cursor(), kota)


def map_assets(kota: str, lang: str) -> dict:
    """URLs of the kota's static geometry files (written once), its label points and kelurahan rings."""
    from pantau.lake import geo

    current, stamp = lake_and_stamp()
    cached = _map_assets(str(current.path), stamp, kota)
    assets = dict(cached[lang], labels=cached["labels"], cincin=cached["cincin"])
    for key in geo.MAP_FILES:
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
    from pantau.lake import geo

    def load():
        cursor = _database(path, stamp).cursor()
        def level_parts(lv: str) -> pd.DataFrame:
            found = queries.run(cursor, "geometry_by_bagian", wilayah_kode=wilayah, panjang=LEVELS[lv])
            return geo.with_national(found, wilayah, LEVELS[lv])

        above = outline_level(wilayah, level)
        return level_parts(level), None if above is None else level_parts(above)

    return geo.part_assets(f"{wilayah or 'id'}-{level}-{geo.boundary_version(path, stamp)}", load)


def part_assets(wilayah: str, level: str) -> dict:
    """URLs of the static shape files of a level map (the parts, the outlines above) and its labels.

    The wilayah is checked against the user's area first, as every query is."""
    from pantau.lake import geo

    access.check_params(current_user(), "geometry_by_bagian", {"wilayah_kode": wilayah})
    current, stamp = lake_and_stamp()
    assets = dict(_part_assets(str(current.path), stamp, wilayah, level))
    for key in geo.LEVEL_FILES:
        assets[key] = _served(assets[key])
    return assets


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


def _selected(name: str) -> dict[str, list]:
    """The objects selected on a map by the last click, by layer id (Streamlit's deck chart state)."""
    state = st.session_state.get(map_key(name)) or {}
    return (state.get("selection") or {}).get("objects") or {}


def clicked_code(name: str, layers: tuple[str, ...]) -> str | None:
    """The code of the area clicked on a map (its polygon, or its name on top of it), if any."""
    objects = _selected(name)
    for layer in layers:
        for obj in objects.get(layer) or []:
            kode = obj.get("kode") or (obj.get("properties") or {}).get("kode")
            if kode:
                return kode
    return None


def select_from_map() -> None:
    """Take the kelurahan clicked on the map (its shape, its name, or a drainage point in it) as the one to
    profile. Any click that selected something draws the map anew, so nothing stays dimmed."""
    kode = clicked_code("peta", ("kelurahan", "nama", "drainase"))
    if kode:
        _set_kelurahan(kode)
    if any(_selected("peta").values()):
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
