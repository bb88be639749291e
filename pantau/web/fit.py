"""Maps fitted to the size they are drawn at: the browser tells each map frame's width and height, and
the map's view is fitted to them (the kota's extent spanning the frame), not to an assumed column.

deck.gl's zoom is absolute: a view fitted for a 420 px column uses a quarter of a 1015 px frame and is
clipped on a 350 px phone. A small component (Streamlit components v2, no iframe, no request beyond the
page) measures every frame `st-key-pkmap_<name>` on the page and reports the sizes once, and again
when the window is resized; the next run fits each map to its frame, and Streamlit's deck chart takes a
changed initial view without a new canvas. A size already known is not reported again, so a page drawn
at a size the session has seen before costs no second run.
"""

from __future__ import annotations

import functools

import streamlit as st

from pantau.render import maps

_STATE = "pk_frames"  # {name: [width, height]} in CSS pixels, as last measured in this session
# Until the browser has told: the map column of a 1280 px screen with the sidebar open.
DEFAULT_SIZE = (640, maps.MAP_HEIGHT)

_JS = """
export default function (component) {
  const { data, setStateValue } = component;
  const frame = document.querySelector('.st-key-pkmap_' + data.name);
  if (!frame) return;
  let known = data.known;
  const measure = () => {
    const r = frame.getBoundingClientRect();
    if (r.width < 40 || r.height < 40) return;  // not laid out yet, or hidden
    const seen = [Math.round(r.width), Math.round(r.height), innerWidth, innerHeight];
    // A frame whose height the page sets (not "stretch") is re-measured only when its width or the window changes.
    if (!known || known.length < 4 || seen.some((v, i) => (i !== 1 || data.stretch) && Math.abs(known[i] - v) > 8)) {
      known = seen;
      frame.dataset.fitted = 'no';  // a run with this size is on its way
      setStateValue('size', seen);
    } else {
      frame.dataset.fitted = 'yes';  // the map in the frame was fitted to the size it has
    }
  };
  let timer = null;
  const observer = new ResizeObserver(() => { clearTimeout(timer); timer = setTimeout(measure, 200); });
  observer.observe(frame);
  measure();
  return () => { observer.disconnect(); clearTimeout(timer); };
}
"""

_measure = st.components.v2.component("pantau_frame_size", js=_JS)


def size(name: str, default: tuple[int, int] = DEFAULT_SIZE) -> tuple[int, int]:
    """The last measured size of the frame `name` in this session, or `default` before the browser told."""
    known = (st.session_state.get(_STATE) or {}).get(name)
    width, height = known[:2] if known else default
    return int(width), int(height)


def window_height(name: str) -> int | None:
    """The browser window's height when the frame `name` was last measured (None before it told)."""
    known = (st.session_state.get(_STATE) or {}).get(name)
    return int(known[3]) if known and len(known) >= 4 else None


def _taken(name: str) -> None:
    measured = (st.session_state.get(f"pkprobe_{name}") or {}).get("size")
    if measured:
        st.session_state[_STATE] = {**(st.session_state.get(_STATE) or {}), name: [int(v) for v in measured]}


def _probe(name: str, stretch: bool) -> None:
    """The measuring component of one frame, drawn hidden just after it (style.css)."""
    known = (st.session_state.get(_STATE) or {}).get(name)
    with st.container(key=f"pkprobe_box_{name}"):
        _measure(key=f"pkprobe_{name}", data={"name": name, "known": known, "stretch": stretch}, default={"size": known},
                 on_size_change=functools.partial(_taken, name), height=0)


def chart(deck, name: str, height: int | str = "auto", bounds: list[float] | None = None,
          fallback: tuple[int, int] | None = None, **kwargs):
    """A map drawn in the frame `name`, its view fitted to the frame's measured size, onto `bounds` when
    given (a cluster to zoom onto), else the deck's own extent. height "auto" gives the frame the height
    the extent needs at the frame's width (maps.frame_height); "stretch" takes the height the layout gives.
    Returns what st.pydeck_chart returns."""
    width_px, measured_h = size(name, fallback or DEFAULT_SIZE)
    extent = bounds or getattr(deck, "pk_bounds", None)
    if height == "auto":
        height = maps.frame_height(extent, width_px, window_height(name))
    height_px = height if isinstance(height, int) else measured_h
    fitted = maps.fitted(deck, width_px, height_px, bounds)
    with st.container(key=f"pkmap_{name}"):
        shown = st.pydeck_chart(fitted, height=height, **kwargs)
    _probe(name, stretch=not isinstance(height, int))
    return shown
