"""Peta: the values per kelurahan of the kota's map, and the profile and series of the kelurahan picked."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pantau.domain.catalog import SOURCES, in_view, source_label
from pantau.i18n import t
from pantau.render import fmt, maps
from pantau.views.shared import FLAG, MapModel, Runner, View, map_model, part_values, previous_period


@dataclass(frozen=True)
class Choropleth:
    """The map of a view: classes and legend, each kelurahan's label for the picker, the note on missing
    boundaries."""

    model: MapModel
    labels: dict[str, str]
    note: str | None


def choropleth(run: Runner, view: View) -> Choropleth:
    model = map_model(kelurahan_values(run, view), view.indicator, view.ukuran, view.lang, view.kelas)
    return Choropleth(model, kelurahan_labels(model.frame), missing_boundary_note(model, view.lang))


@dataclass(frozen=True)
class MapLayers:
    """What the map draws over the fills: the drainage points (when shown), and the deck itself."""

    points: pd.DataFrame | None
    deck: maps.FrozenDeck


def map_layers(run: Runner, view: View, show_points: bool, show_values: bool, selected: str | None,
               outlined: tuple[str, ...], *, assets: dict, choropleth: Choropleth) -> MapLayers:
    points = None
    if show_points:
        points = maps.drainase_point_frame(run("drainase_points", kota_kode=view.kota,
                                               periode=fmt.period_date(view.periode), sumber=view.sumber), view.lang)
    model = choropleth.model
    deck = maps.choropleth_deck(assets, model.frame, model.classes, model.colors, assets["labels"], points,
                                view.lang, show_values, selected=selected, outlined=list(outlined))
    return MapLayers(points, maps.FrozenDeck(deck))


def kelurahan_values(run: Runner, view: View) -> pd.DataFrame:
    """The chosen indicator per kelurahan of the view's wilayah, this month and last month."""
    return part_values(run, view.wilayah, view.indikator, view.sumber, view.periode, previous_period(view.periode))


def profile(run: Runner, kelurahan_kode: str, periode: str) -> pd.DataFrame:
    """Every indicator and source of one kelurahan for the month."""
    return run("profil_by_indikator", kelurahan_kode=kelurahan_kode, periode=fmt.period_date(periode))


def profile_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The profile as a small table: an indicator per row, a column per source."""
    table = []
    for ind in in_view(rows["indikator"]):
        line = {t("col.indikator", lang): ind.text("short_label", lang)}
        for sumber in SOURCES:
            hit = rows[(rows["indikator"] == ind.id) & (rows["sumber"] == sumber)]
            if hit.empty and ind.table == "drainase":
                text = fmt.number(0, lang)
            elif hit.empty:
                text = t("peta.no_report", lang)
            else:
                r = hit.iloc[0]
                text = fmt.number(r["jumlah"], lang)
                if ind.has_rate and not pd.isna(r["rate"]):
                    text += f" ({fmt.rate(r['rate'], lang)})"
                if r["tidak_mungkin"]:  # the same rule as nilai_by_bagian.sql
                    text += f" {FLAG} " + t("flag.impossible_one", lang)
            line[source_label(sumber, lang)] = text
        table.append(line)
    return pd.DataFrame(table)


def kelurahan_series(run: Runner, kelurahan_kode: str, indikator: str, until: str, months: int = 24) -> pd.DataFrame:
    """Both sources of one indicator for one kelurahan, month by month."""
    last = fmt.period_date(until)
    first = (pd.Timestamp(last) - pd.DateOffset(months=months - 1)).date()
    return run("nilai_series_by_periode", kelurahan_kode=kelurahan_kode, indikator=indikator, dari=first, sampai=last)


def kelurahan_labels(frame: pd.DataFrame) -> dict[str, str]:
    """Each kelurahan as a user picks it: its name and its kecamatan, since names repeat."""
    return {kode: f"{nama} (Kec. {kecamatan})"
            for kode, nama, kecamatan in zip(frame["kode"], frame["nama"], frame["kecamatan"])}


def missing_boundary_note(model: MapModel, lang: str) -> str | None:
    """The kelurahan the map cannot draw, with their values, or None when every one has a boundary."""
    missing = model.frame[~model.frame["has_boundary"]]
    if missing.empty:
        return None
    names = ", ".join(f"{r.nama} ({r.nilai_teks})" for r in missing.itertuples())
    return t("peta.missing_boundary", lang, n=len(missing)) + " " + names


def zoom_choices(frame: pd.DataFrame, outlined: tuple[str, ...], lang: str) -> dict[str, str]:
    """What the map can zoom onto: the whole kota, its priority kelurahan (when it has some), a kecamatan."""
    choices = {"": t("peta.zoom.kota", lang)}
    if outlined:
        choices["prioritas"] = t("peta.zoom.prioritas", lang, n=len(outlined))
    kecamatan = frame.assign(kec=frame["kode"].str[:8]).drop_duplicates("kec").sort_values("kecamatan")
    choices.update({kec: f"Kec. {nama}" for kec, nama in zip(kecamatan["kec"], kecamatan["kecamatan"])})
    return choices


def zoom_bounds(run: Runner, kota: str, choice: str, outlined: tuple[str, ...]) -> list[float] | None:
    """The extent to fit the map to: the priority kelurahan's, or a kecamatan's; None for the whole kota."""
    import shapely

    from pantau.lake import geo

    if not choice:
        return None
    geometry = run("geometry_by_kota", kota_kode=kota)
    kel = geometry[(geometry["tingkat"] == "kelurahan") & geometry["geometry"].notna()]
    chosen = kel[kel["kode"].isin(set(outlined))] if choice == "prioritas" else kel[kel["kode"].str.startswith(choice + ".")]
    if chosen.empty:
        return None
    return [float(v) for v in shapely.total_bounds(geo.shapes(chosen["geometry"]))]
