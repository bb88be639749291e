"""Maps from query results: the pydeck choropleths (of kelurahan, or of any level), their layers and legends."""

from __future__ import annotations

import copy
import hashlib
import json
import math

import numpy as np
import pandas as pd
import pydeck as pdk

from pantau.domain.catalog import DRAINASE_CONDITIONS, DRAINASE_STATUSES
from pantau.domain.classes import FLAGGED, FLAGGED_COLOR, MISSING_COLOR, hex_rgb
from pantau.i18n import t
from pantau.render import fmt
from pantau.render import labels as labels_rule

# Okabe-Ito colours that stand apart from the yellow-red classes under them.
CONDITION_COLORS = {"tersumbat": "#0072B2", "tidak_berfungsi": "#CC79A7", "belum_ada": "#000000"}
# Handling status as the point's outline: colour and width in pixels.
STATUS_OUTLINE = {"dilaporkan": ("#FFFFFF", 1), "ditangani": ("#E69F00", 3), "selesai": ("#009E73", 3)}
MAP_HEIGHT = 560
PRIORITY_COLOR = "#7B2CBF"  # purple: apart from the yellow-red classes and the blue selection
FLAG_COLOR = "#000000"  # black: a figure that cannot be true, over any class colour


class CompactDeck(pdk.Deck):
    """A pydeck Deck serialised without pydeck's indentation: the colour of each of 83,246 desa is a
    third of the bytes (3 MB instead of 10 MB in the message to the browser)."""

    def to_json(self):
        from pydeck.bindings.json_tools import default_serialize

        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


class FrozenDeck(pdk.Deck):
    """A deck serialised once and drawn as it was by every session that shows it: a shared page model
    holds this, never a Deck whose layers Streamlit would convert in place on each draw. Its view, its
    names and its markers are left out of the frozen JSON: each session fits the view to the size its map
    is drawn at and keeps the names that fit there and the markers of the parts drawn too small (`fitted`)."""

    _VIEW = "@@pantau-view@@"
    SLOTS = ("nama", "titik")  # the layers whose rows each session chooses

    def __init__(self, deck: pdk.Deck):  # noqa: D107 - no pydeck __init__: the JSON is all there is
        self.__dict__.update(deck.__dict__)  # the tooltip, keys and view the chart reads besides the JSON
        slotted = {layer.id: layer for layer in deck.layers if getattr(layer, "id", None) in self.SLOTS}
        view, deck.initial_view_state = deck.initial_view_state, self._VIEW
        data = {name: layer.data for name, layer in slotted.items()}
        for name, layer in slotted.items():
            layer.data = self._slot(name)
        try:
            self._json = deck.to_json()
        finally:
            deck.initial_view_state = view
            for name, layer in slotted.items():
                layer._data = data[name]
        self._slots = {name: _records_json(rows) for name, rows in data.items()}
        self.layers = []  # nothing left for Streamlit to convert in place

    @staticmethod
    def _slot(name: str) -> str:
        return f"@@pantau-{name}@@"

    def to_json(self):
        out = self._json.replace(json.dumps(self._VIEW), _view_json(self.initial_view_state), 1)
        for name, rows in self._slots.items():
            out = out.replace(json.dumps(self._slot(name)), rows, 1)
        return out


def _view_json(view) -> str:
    if view is None:
        return "null"
    return json.dumps(json.loads(view.to_json()), separators=(",", ":"))


def _records_json(data) -> str:
    records = data.to_dict("records") if isinstance(data, pd.DataFrame) else (data or [])
    return json.dumps(records, separators=(",", ":"), ensure_ascii=False, default=str)


LABEL_COLUMNS = ["kode", "lon", "lat", "teks", "nama", "keterangan", "nilai_teks"]
MARKER_BELOW_PX = 10  # a part drawn smaller than this (its larger side) gets a marker


def fitted(deck: pdk.Deck, width_px: int, height_px: int, bounds: list[float] | None = None) -> pdk.Deck:
    """The deck with its view fitted to a frame of width_px x height_px, onto `bounds` (a cluster to zoom
    onto) or else the extent the deck was made for, only the names that fit there without touching each
    other (`place_labels`), and a marker on each part with data that would be drawn under MARKER_BELOW_PX.
    The deck itself is left as it was (a shared model may hold it)."""
    extent = bounds or getattr(deck, "pk_bounds", None)
    if not extent or width_px <= 0 or height_px <= 0:
        return deck
    out = copy.copy(deck if isinstance(deck, FrozenDeck) else FrozenDeck(deck))
    out.initial_view_state = view = view_for_bounds(extent, width_px=width_px, height_px=height_px)
    out._slots = dict(out._slots)
    labels = getattr(deck, "pk_labels", None)
    if labels is not None and "nama" in out._slots:
        placed = place_labels(labels, view, width_px, height_px, deck.pk_label_size)
        out._slots["nama"] = _records_json(placed[[c for c in LABEL_COLUMNS if c in placed]])
    points = getattr(deck, "pk_points", None)
    if points is not None and "titik" in out._slots:
        px_per_degree = 512 * 2 ** view.zoom / 360
        small = points[points["lebar"].to_numpy(float) * px_per_degree < MARKER_BELOW_PX]
        out._slots["titik"] = _records_json(small)
    return out


def label_boxes(labels: pd.DataFrame, view: pdk.ViewState, width_px: int, height_px: int,
                size: float) -> np.ndarray:
    """Each name's box on screen (left, top, right, bottom in px from the frame's top left), as deck.gl
    draws it: centred on its point in Web Mercator at the view's zoom, lines of `size` px type."""
    world = 512 * 2 ** view.zoom

    def project(lon, lat):
        lat = np.clip(np.radians(lat), -1.48, 1.48)
        return (np.asarray(lon) + 180) / 360 * world, (1 - np.arcsinh(np.tan(lat)) / math.pi) / 2 * world

    cx, cy = project(view.longitude, view.latitude)
    x, y = project(labels["lon"].to_numpy(float), labels["lat"].to_numpy(float))
    x, y = x - cx + width_px / 2, y - cy + height_px / 2
    lines = labels["teks"].astype(str).str.split("\n")
    # A semibold sans-serif glyph is about 0.6 em wide on average; the white halo adds 3 px a side.
    half_w = lines.map(lambda ls: max(len(line) for line in ls)).to_numpy(float) * size * 0.31 + 3
    half_h = lines.map(len).to_numpy(float) * size * 0.6 + 2
    return np.column_stack([x - half_w, y - half_h, x + half_w, y + half_h])


def place_labels(labels: pd.DataFrame, view: pdk.ViewState, width_px: int, height_px: int,
                 size: float) -> pd.DataFrame:
    """The names to draw in a frame: in the labels' order (the most important first), each one that lies
    wholly inside the frame and touches no name already placed. A name is drawn whole or not at all."""
    if labels.empty:
        return labels
    boxes = label_boxes(labels, view, width_px, height_px, size)
    inside = (boxes[:, 0] >= 0) & (boxes[:, 1] >= 0) & (boxes[:, 2] <= width_px) & (boxes[:, 3] <= height_px)
    kept: list[int] = []
    for i in np.flatnonzero(inside):
        if kept:
            k = boxes[kept]
            if np.any((k[:, 0] < boxes[i, 2]) & (k[:, 2] > boxes[i, 0]) & (k[:, 1] < boxes[i, 3]) & (k[:, 3] > boxes[i, 1])):
                continue
        kept.append(i)
    return labels.iloc[sorted(kept)]


def view_for_bounds(bounds: list[float] | None, width_px: int = 420, height_px: int = MAP_HEIGHT) -> pdk.ViewState:
    """A view that fits the kota's bounding box in the narrowest map column (a 1024 px screen)."""
    if not bounds:
        return pdk.ViewState(latitude=-2.5, longitude=118.0, zoom=4)
    minx, miny, maxx, maxy = bounds
    lat = (miny + maxy) / 2
    dx = max(maxx - minx, 1e-4)
    dy = max(maxy - miny, 1e-4) / math.cos(math.radians(lat))
    # deck.gl draws the world 512 px wide at zoom 0.
    zoom = min(math.log2(width_px * 360 / (512 * dx)), math.log2(height_px * 360 / (512 * dy))) - 0.1
    return pdk.ViewState(latitude=lat, longitude=(minx + maxx) / 2, zoom=round(zoom, 2), min_zoom=zoom - 1, max_zoom=zoom + 5)


def extent_aspect(bounds: list[float]) -> float:
    """Height over width of a lon/lat box as Web Mercator draws it."""
    minx, miny, maxx, maxy = bounds
    y = lambda lat: math.asinh(math.tan(math.radians(lat)))  # noqa: E731
    return max((y(maxy) - y(miny)) * 180 / math.pi, 1e-4) / max(maxx - minx, 1e-4)


def frame_height(bounds: list[float] | None, width_px: int, window_px: int | None) -> int:
    """A map frame's height for a frame width_px wide: tall enough for the extent to fill the width,
    within what the window leaves beside the page's head (a phone gets no empty band above and below)."""
    most = max(400, min(int(0.78 * window_px), 780)) if window_px else MAP_HEIGHT
    if not bounds:
        return most
    # A wide extent (the nation: 46° by 17°) gets a low frame rather than empty bands above and below.
    return int(max(220, min(most, width_px * extent_aspect(bounds) / 0.92 + 12)))


def _fill(colors: list[str], kelas: int, alpha: int) -> list[int]:
    """The fill of a class: its colour, white for a figure that cannot be true, grey for no report."""
    if kelas >= 0:
        return hex_rgb(colors[kelas], alpha)
    return hex_rgb(FLAGGED_COLOR, 255) if kelas == FLAGGED else hex_rgb(MISSING_COLOR, 200)


def choropleth_deck(assets: dict, frame: pd.DataFrame, classes: np.ndarray, colors: list[str],
                    labels: pd.DataFrame, points: pd.DataFrame | None, lang: str,
                    show_values: bool, selected: str | None = None, outlined: list[str] | None = None,
                    extra_layers: list[pdk.Layer] | None = None, label_size: int = 14,
                    bounds: list[float] | None = None, view_width: int = 420) -> pdk.Deck:
    """A choropleth of kelurahan with kecamatan outlines, names and drainage points, and no basemap.

    frame holds kode, nama and the formatted value of every kelurahan; the polygons come from
    the static file in assets, so only the colours per kode travel when the values change.
    """
    fill = [_fill(colors, c, 225) for c in classes]
    kodes = frame["kode"].tolist()
    token = hashlib.sha1(repr((kodes, fill)).encode()).hexdigest()[:16]
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            id="kelurahan",
            data=assets["kelurahan"],
            filled=True,
            get_fill_color={
                "@@function": "colorCategories",
                "attr": "kode",
                "domain": kodes,
                "colors": fill,
                "othersColor": hex_rgb(MISSING_COLOR, 200),
            },
            update_triggers={"getFillColor": token},
            # The borders are the two segment layers below: as polygon outlines, each border between two
            # kelurahan drawn twice, they cost a browser without a GPU about three times as long a frame.
            stroked=False,
            pickable=True,
            auto_highlight=True,
            highlight_color=[0, 90, 200, 90],
        ),
        border_layer("batas_kelurahan", assets["batas_kelurahan"], [255, 255, 255, 255], 1),
        border_layer("batas_kecamatan", assets["batas_kecamatan"], [40, 40, 40, 255], 2.5),
    ]
    if outlined:
        # Priority kelurahan (lokasi prioritas), outlined on every map of the app.
        layers.append(_outline_layer("prioritas", assets, sorted(outlined), hex_rgb(PRIORITY_COLOR)))
    flagged = frame.loc[frame["ditandai"].astype(bool), "kode"].tolist() if "ditandai" in frame else []
    if flagged:
        # A figure that cannot be true: a black outline over its colour, and ⚠ with the reason on its name.
        layers.append(_outline_layer("ditandai", assets, sorted(flagged), hex_rgb(FLAG_COLOR)))
    if selected:
        # The kelurahan whose profile is open.
        layers.append(_outline_layer("terpilih", assets, [selected], [0, 70, 180, 255]))
    for extra in extra_layers or []:
        layers.append(extra)
    if points is not None and len(points):
        layers.append(drainase_layer(points))
    label_data = labels.merge(frame[["kode", "nama", "keterangan", "nilai_teks"]], on="kode")
    marked = label_data["kode"].isin(set(flagged))
    label_data["teks"] = np.where(marked, "⚠ ", "") + label_data["nama"] + (
        ("\n" + label_data["nilai_teks"]) if show_values else "")
    if flagged and "catatan" in frame:
        reasons = label_data["kode"].map(dict(zip(frame["kode"], frame["catatan"]))).fillna("")
        label_data["nilai_teks"] = label_data["nilai_teks"] + np.where(marked, "<br/>" + reasons, "")
    # Where names would overlap, the more important keeps its place (label_order); `fitted` places them.
    ranked = pd.DataFrame({"kode": label_data["kode"],
                           "kelas": label_data["kode"].map(dict(zip(kodes, classes))).fillna(-1),
                           "area": label_data["luas"] if "luas" in label_data else 0.0})
    order = labels_rule.label_order(ranked, selected, outlined or [], flagged)
    label_data = label_data.set_index("kode").loc[order].reset_index()
    layers.append(name_layer(label_data[[c for c in LABEL_COLUMNS if c in label_data]], "teks", label_size,
                             give_way=False))
    deck = CompactDeck(
        layers=layers,
        initial_view_state=view_for_bounds(bounds or assets.get("bounds"), width_px=view_width),
        map_provider=None,
        tooltip={
            "html": "<b>{nama}</b><br/>{keterangan}<br/>{nilai_teks}",
            "style": {"fontSize": "15px", "backgroundColor": "#1b1b1b", "color": "white"},
        },
    )
    deck.pk_bounds = bounds or assets.get("bounds")  # the extent a frame's view is fitted to (`fitted`)
    deck.pk_labels, deck.pk_label_size = label_data.reset_index(drop=True), label_size
    return deck


def name_layer(data: pd.DataFrame, text: str, size: int, priority: str | None = None,
               give_way: bool = True) -> pdk.Layer:
    """Area names at their label points: dark semibold type in a white halo, drawn whole. A kota map's
    names are placed beforehand so none touches another (`place_labels`); a map of other parts (the
    level map) lets the names give way to each other on screen, the one with the higher `priority`
    column keeping its place. A click on a name selects the area under it (see web.map_ui.clicked_code)."""
    extra = {}
    if give_way:
        extra = {"extensions": [{"@@type": "CollisionFilterExtension"}], "collision_enabled": True}
        if priority:
            extra.update(get_collision_priority=priority, collision_test_props={"sizeScale": 1.5})
    return pdk.Layer(
        "TextLayer",
        id="nama",
        data=data,
        get_position=["lon", "lat"],
        get_text=text,
        get_size=size,
        # pydeck reads a bare string as a column name; quotes make it a literal value.
        size_units="'pixels'",
        get_color=[15, 15, 15, 255],
        font_family="'sans-serif'",
        font_weight=600,
        character_set="'auto'",
        font_settings={"sdf": True, "buffer": 6},
        outline_width=4,
        outline_color=[255, 255, 255, 255],
        pickable=True,
        **extra,
    )


def border_layer(layer_id: str, data: str | list[dict], color: list[int], width_px: float) -> pdk.Layer:
    """Straight segments {"s": [lon, lat], "t": [lon, lat]}, from a static file (geo.segments_json) or
    given, each drawn once, `width_px` wide."""
    return pdk.Layer("LineLayer", id=layer_id, data=data, get_source_position="s", get_target_position="t",
                     get_color=color, get_width=width_px, width_units="'pixels'", pickable=False)


def _outline_layer(layer_id: str, assets: dict, kodes: list[str], color: list[int]) -> pdk.Layer:
    """Some kelurahan outlined: the segments of their rings travel with the map (a few of them), drawn by
    the borders' own kind of layer, whose shaders a new map has compiled already (a path layer would cost a
    browser without a GPU half a second more on each new map: bench.frame)."""
    rings = assets.get("cincin") or {}
    segments = [{"kode": k, "s": a, "t": b}
                for k in kodes for ring in rings.get(k, []) for a, b in zip(ring, ring[1:])]
    return border_layer(layer_id, segments, color, 4)


def priority_legend(count: int, lang: str) -> list[dict]:
    """The legend row of the priority outline."""
    return [{"color": PRIORITY_COLOR, "label": t("prioritas.outline", lang), "count": count}]


def drainase_point_frame(points: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Drainage points with their colour (condition), outline (handling status), tooltip fields and their
    kelurahan's code (`kode`: a click on a point opens the profile of the kelurahan it lies in)."""
    out = points[["id", "lon", "lat", "kondisi"]].copy()
    out["kode"] = points["kelurahan_kode"]
    out["warna"] = [hex_rgb(CONDITION_COLORS[k]) for k in points["kondisi"]]
    out["garis"] = [hex_rgb(STATUS_OUTLINE[s][0]) for s in points["status"]]
    out["tebal"] = [STATUS_OUTLINE[s][1] for s in points["status"]]
    out["nama"] = [t("drainase.point", lang, kondisi=DRAINASE_CONDITIONS[k][lang].lower()) for k in points["kondisi"]]
    reporter = points["pelapor"] if "pelapor" in points else pd.Series(None, index=points.index)
    out["keterangan"] = [f"{kel} · {t('drainase.reporter', lang, pelapor=p)}" if isinstance(p, str) and p else kel
                         for kel, p in zip(points["kelurahan"], reporter)]
    updated = points["status_tanggal"] if "status_tanggal" in points else points["tanggal_lapor"]
    out["nilai_teks"] = [
        t("drainase.detail", lang, tanggal=fmt.day(pd.Timestamp(d).date(), lang), status=DRAINASE_STATUSES[s][lang])
        + ("" if pd.Timestamp(u) == pd.Timestamp(d) else " " + t("drainase.updated", lang,
                                                                  tanggal=fmt.day(pd.Timestamp(u).date(), lang)))
        for d, s, u in zip(points["tanggal_lapor"], points["status"], updated)
    ]
    return out


def drainase_layer(points: pd.DataFrame) -> pdk.Layer:
    """Points filled by condition and outlined by handling status (thin white: reported; thick: in hand or fixed)."""
    return pdk.Layer(
        "ScatterplotLayer",
        id="drainase",
        data=points,
        get_position=["lon", "lat"],
        get_fill_color="warna",
        get_line_color="garis",
        get_line_width="tebal",
        line_width_units="'pixels'",
        stroked=True,
        get_radius=60,
        radius_min_pixels=5,
        radius_max_pixels=13,
        pickable=True,
    )


def banjir_layer(events: pd.DataFrame) -> pdk.Layer:
    """Flood events as translucent blue rings, larger for deeper water."""
    return pdk.Layer(
        "ScatterplotLayer",
        id="banjir",
        data=events,
        get_position=["lon", "lat"],
        get_fill_color=[86, 180, 233, 70],
        get_line_color=[0, 90, 160, 230],
        get_radius="radius",
        radius_units="'pixels'",
        line_width_min_pixels=2,
        stroked=True,
        filled=True,
        pickable=True,
    )


def condition_legend(points: pd.DataFrame, lang: str) -> list[dict]:
    """Legend rows for the drainage points by condition, with how many are shown."""
    counts = points["kondisi"].value_counts()
    return [
        {"color": color, "label": DRAINASE_CONDITIONS[kondisi][lang], "count": int(counts.get(kondisi, 0))}
        for kondisi, color in CONDITION_COLORS.items()
    ]


def status_legend(points: pd.DataFrame, lang: str) -> list[dict]:
    """Legend rows for the outline of each handling status, with how many points are shown."""
    counts = points["status"].value_counts()
    return [{"color": "#777777" if color == "#FFFFFF" else color, "label": DRAINASE_STATUSES[status][lang],
             "count": int(counts.get(status, 0))} for status, (color, _) in STATUS_OUTLINE.items()]
