"""Ringkasan: a tile per indicator, the parts with the highest values and the biggest changes, how fresh the data is."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pantau.domain import classes
from pantau.domain.catalog import INDICATORS, SOURCES, Indicator, source_label
from pantau.domain.quality import badge as quality_badge
from pantau.domain.quality import badge_html, lateness
from pantau.i18n import t
from pantau.render import fmt
from pantau.views.shared import (
    FLAG,
    Runner,
    View,
    change_direction,
    change_text,
    freshness,
    highest,
    indicators,
    left_out_note,
    measure_columns,
    own_month,
    previous_period,
    quality,
    summary_level,
    summary_values,
    wilayah_series,
)


@dataclass(frozen=True)
class Briefing:
    """Everything the briefing page draws for one view, computed once and shared by every viewer of it."""

    tiles: list[dict]  # tile_text of each indicator
    level: str  # what the lists list: kelurahan, kota, provinsi
    highest: list[dict]  # cards.bar_table rows, worst first
    left_out: str | None  # the parts not ranked because a quality check flags them
    changes: list[dict]  # cards.bar_table rows, largest change first
    freshness: list[str]


def briefing(run: Runner, view: View, today: dt.date) -> Briefing:
    """The briefing of a view: the tiles, the worst parts, the largest changes, how fresh each source is."""
    lang = view.lang
    shown = tiles(run, view.wilayah, view.periode, view.sumber)
    values = summary_values(run, view)
    badges = tile_badges(run, view, today, lang, months={tile.indicator.id: tile.periode for tile in shown})
    ind = view.indicator
    measure = classes.measures_for(ind)[0]
    return Briefing(
        tiles=[tile_text(tile, view, lang, badges) for tile in shown],
        level=summary_level(view.wilayah),
        highest=highest_rows(highest(values, ind, measure), ind, measure, lang),
        left_out=left_out_note(values, lang),
        changes=change_rows(biggest_changes(values, ind, measure, n=5), measure, lang),
        freshness=freshness_lines(freshness(run, view.wilayah, today), lang),
    )


def wilayah_summary(run: Runner, wilayah: str, periode: str, ids: tuple[str, ...] | None = None) -> dict:
    """Totals of each listed indicator (by default those the wilayah shows, views.shared.indicators) and source
    over a wilayah (province, kota or kecamatan code): count, denominator, rate, reporting kelurahan, and the
    wilayah's kelurahan count and area."""
    rows = run("indikator_by_wilayah", wilayah_kode=wilayah, periode=fmt.period_date(periode))
    total = int(rows["kelurahan_total"].iloc[0]) if len(rows) else 0
    luas = float(rows["luas_km2"].iloc[0]) if len(rows) and pd.notna(rows["luas_km2"].iloc[0]) else None
    rows = rows.dropna(subset=["indikator"])
    out: dict = {}
    listed = [INDICATORS[i] for i in ids] if ids is not None else indicators(run, wilayah)
    for ind in listed:
        out[ind.id] = {}
        for sumber in SOURCES:
            hit = rows[(rows["indikator"] == ind.id) & (rows["sumber"] == sumber)]
            if hit.empty:
                count = denom = rate = None
                reporting = None if ind.table == "drainase" else 0
                if ind.table == "drainase":
                    count = 0  # no open point is a real zero for point reports
            else:
                r = hit.iloc[0]
                count = int(r["jumlah"])
                denom = None if pd.isna(r["penyebut"]) else int(r["penyebut"])
                rate = None if pd.isna(r["rate"]) else float(r["rate"])
                reporting = None if pd.isna(r["reporting"]) else int(r["reporting"])
            out[ind.id][sumber] = {
                "count": count, "denominator": denom, "rate": rate,
                "reporting": reporting, "kelurahan_total": total, "luas_km2": luas,
            }
    return out


@dataclass
class Tile:
    """One headline number of the briefing page, with what it is compared against."""

    indicator: Indicator
    count: int | None
    rate: float | None
    denominator: int | None
    delta_count: int | None
    delta_rate: float | None
    vs_target: float | None
    reporting: int | None
    kelurahan_total: int
    other_count: int | None
    density: float | None
    history: list[float | None] = field(default_factory=list)
    periode: str | None = None  # the month shown, when it is not the page's (the indicator's newest)


def tiles(run: Runner, wilayah: str, periode: str, sumber: str) -> list[Tile]:
    """A tile per indicator for the chosen source over a wilayah, against last month and the target.

    An indicator with no figure of this source in the month shows its own newest earlier month
    instead, and says which (`Tile.periode`): one office uploading November does not blank the
    offices still on October."""
    summaries: dict[str, dict] = {}
    listed = indicators(run, wilayah, sumber)
    ids = tuple(ind.id for ind in listed)

    def summary(month: str) -> dict:
        if month not in summaries:
            summaries[month] = wilayah_summary(run, wilayah, month, ids)
        return summaries[month]

    other = "resmi" if sumber == "lapangan" else "lapangan"
    series = wilayah_series(run, wilayah, sumber, periode, months=12)
    out = []
    for ind in listed:
        month = periode
        if summary(periode)[ind.id][sumber]["count"] is None:
            month = own_month(run, wilayah, ind.id, sumber, periode)
        cur, prev = summary(month)[ind.id][sumber], summary(previous_period(month))[ind.id][sumber]

        def diff(key):
            a, b = cur[key], prev[key]
            return None if a is None or b is None else a - b

        vs_target = None
        if ind.target is not None:
            base = cur["rate"] if ind.has_rate else cur["count"]
            vs_target = None if base is None else base - ind.target
        out.append(Tile(
            indicator=ind, count=cur["count"], rate=cur["rate"], denominator=cur["denominator"],
            delta_count=diff("count"), delta_rate=diff("rate"), vs_target=vs_target,
            reporting=cur["reporting"], kelurahan_total=cur["kelurahan_total"],
            other_count=summary(month)[ind.id][other]["count"],
            density=(cur["count"] / cur["luas_km2"]) if (ind.table == "drainase" and cur["count"] is not None
                                                        and cur["luas_km2"]) else None,
            history=_history(series, ind),
            periode=month,
        ))
    return out


def _history(series: pd.DataFrame, ind: Indicator) -> list[float | None]:
    part = series[series["indikator"] == ind.id]
    values = part["rate" if ind.has_rate else "jumlah"].astype("Float64")
    return [None if pd.isna(v) else float(v) for v in values]


def biggest_changes(values: pd.DataFrame, ind: Indicator, measure: str, n: int = 5) -> pd.DataFrame:
    """The kelurahan whose value moved most since last month, largest change first."""
    frame = values.copy()
    now_col, before_col = measure_columns(measure)
    frame["perubahan"] = pd.to_numeric(frame[now_col], errors="coerce") - pd.to_numeric(frame[before_col], errors="coerce")
    frame = frame.dropna(subset=["perubahan"])
    digits = 1 if measure == "rate" else 2 if measure == "per_km2" else 0
    # A change that rounds to zero is no change; a figure that cannot be true is no movement either.
    frame = frame[np.array([change_direction(v, digits) != 0 for v in frame["perubahan"]], dtype=bool)]
    if "ditandai" in frame:
        frame = frame[~(frame["ditandai"] | frame["ditandai_lalu"])]
    frame["memburuk"] = (frame["perubahan"] > 0) if ind.lower_is_better else (frame["perubahan"] < 0)
    order = frame["perubahan"].abs().sort_values(ascending=False, kind="stable").index
    keep = ["kode", "nama", "kecamatan", now_col, before_col, "perubahan", "memburuk"]
    return frame.loc[order].head(n)[keep + (["tingkat"] if "tingkat" in frame else [])]


def change_rows(changes: pd.DataFrame, measure: str, lang: str) -> list[dict]:
    """Rows for cards.bar_table: the change of each kelurahan, red where it got worse."""
    digits = 1 if measure == "rate" else 2 if measure == "per_km2" else 0
    return [{
        "nama": r.nama, "kecamatan": r.kecamatan, "sub": part_label(r, lang), "magnitude": r.perubahan,
        "text": change_text(r.perubahan, measure, lang, digits),
        "note": t("delta.worse" if r.memburuk else "delta.better", lang),
        "tone": "worse" if r.memburuk else "better",
    } for r in changes.itertuples()]


def part_label(row, lang: str) -> str:
    """What a listed part is and where it lies: "Kec. Sail" under a kelurahan, "Kabupaten/kota ·
    Kalimantan Timur" under a kab/kota, "Provinsi" under a province."""
    level = getattr(row, "tingkat", "kelurahan") or "kelurahan"
    parent = getattr(row, "kecamatan", None)
    if level == "kelurahan":
        return f"Kec. {parent}" if not fmt.is_missing(parent) and parent else ""
    label = t(f"wilayah.level.{level}", lang)
    return f"{label} · {parent}" if not fmt.is_missing(parent) and parent else label


def highest_rows(top: pd.DataFrame, ind: Indicator, measure: str, lang: str) -> list[dict]:
    """Rows for cards.bar_table: the worst kelurahan with their value and count."""
    return [{
        "nama": r.nama, "kecamatan": r.kecamatan, "sub": part_label(r, lang), "magnitude": r.nilai,
        "text": classes.format_measure(r.nilai, measure, lang),
        "note": "" if measure == "jumlah" or pd.isna(r.jumlah) else f"{fmt.number(r.jumlah, lang)} {ind.text('unit', lang)}",
        "tone": "worse",
    } for r in top.itertuples()]


def tile_badges(run: Runner, view: View, today: dt.date, lang: str, months: dict | None = None) -> dict:
    """A badge per indicator for the headline numbers of the view's wilayah (kota or kecamatan) and source,
    each of the month its tile shows (`months`, the page's month by default)."""
    if len(view.wilayah) < 5:  # quality is measured per kota; a province's or the nation's tiles carry none
        return {}
    by_month = {}
    for month in {view.periode, *[m for m in (months or {}).values() if m]}:
        q = quality(run, view.kota, month)
        by_month[month] = q[(q["kode"] == view.wilayah) & (q["sumber"] == view.sumber)].set_index("indikator")
    fresh = freshness(run, view.wilayah, today)
    sumber = view.sumber
    days = {r.indikator: int(r.hari_sejak) for r in fresh.itertuples() if r.sumber == sumber}
    out = {}
    for ind in INDICATORS.values():
        if ind.table != "nilai":
            continue
        rows = by_month[(months or {}).get(ind.id) or view.periode]
        row = rows.loc[ind.id] if ind.id in rows.index else {"tingkat": "kota", "reporting": 0, "expected": 1}
        out[ind.id] = quality_badge(row, lang, days.get(ind.id))
    return out


def tile_text(tile: Tile, view: View, lang: str, badges: dict | None = None) -> dict:
    """The words and numbers of one tile, formatted for the language."""
    ind = tile.indicator
    other = "resmi" if view.sumber == "lapangan" else "lapangan"
    lines = []
    if tile.count is None:
        value = fmt.MISSING
        lines.append(t("tile.no_data", lang))
    else:
        value = f"{fmt.number(tile.count, lang)} {ind.text('unit', lang)}"
    if ind.has_rate and tile.rate is not None:
        lines.append(t("tile.rate", lang, rate=fmt.rate(tile.rate, lang), penyebut=fmt.number(tile.denominator, lang),
                       denominator=ind.text("denominator_def", lang).lower()))
    if tile.density is not None:
        lines.append(t("tile.open_points", lang, density=fmt.number(tile.density, lang, 2)))

    month = tile.periode or view.periode
    if month != view.periode:  # this indicator's newest figures are older than the page's month
        lines.insert(0, t("tile.latest", lang, periode=fmt.period(month, lang)))
        if tile.count is not None:
            lines = [line for line in lines if line != t("tile.no_data", lang)]

    # A rate compares months fairly even when fewer kelurahan reported; a count alone does not.
    delta, direction = None, 0
    since = t("tile.vs_prev", lang, periode=fmt.period(previous_period(month), lang))
    change = tile.delta_rate if ind.has_rate else tile.delta_count
    if change is not None:
        measure = "rate" if ind.has_rate else "jumlah"
        direction = change_direction(change, 1 if ind.has_rate else 0)
        delta = f"{change_text(change, measure, lang)} {since}"

    if ind.target is None:
        lines.append(t("tile.no_target", lang))
    elif tile.vs_target is not None:
        target = fmt.rate(ind.target, lang) if ind.has_rate else fmt.number(ind.target, lang)
        gap = change_text(tile.vs_target, "rate" if ind.has_rate else "jumlah", lang)
        lines.append(t("tile.vs_target", lang, target=target, delta=gap))
    if tile.reporting is None:
        lines.append(t("tile.completeness_na", lang))
    else:
        lines.append(t("tile.completeness", lang, reporting=fmt.number(tile.reporting, lang),
                       total=fmt.number(tile.kelurahan_total, lang)))
    if tile.other_count is not None:
        lines.append(t("tile.other_source", lang, sumber=SOURCES[other][lang], jumlah=fmt.number(tile.other_count, lang)))
    if badges and ind.id in badges and badges[ind.id].level != "green":
        lines.append(f"{FLAG} " + " · ".join(badges[ind.id].reasons))
    return {
        "label": ind.text("label", lang),
        "value": value,
        "delta": delta,
        "direction": direction,
        "worse": direction != 0 and (direction > 0) == ind.lower_is_better,
        "help": f"{ind.text('count_def', lang)}. {ind.text('target_note', lang)}. OPD: {ind.opd}.",
        "lines": lines,
        "history": tile.history,
        "badge": badge_html(badges[ind.id], lang) if badges and ind.id in badges else "",
    }


def freshness_lines(fresh: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per source (its newest upload and month), then any indicator that is late."""
    lines = []
    for sumber, part in fresh.groupby("sumber", sort=True):
        lines.append(t("ringkasan.freshness_row", lang, sumber=SOURCES.get(sumber, {}).get(lang, sumber),
                       tanggal=fmt.day(part["terakhir_diunggah"].max(), lang),
                       periode=fmt.period(part["periode_terakhir"].max(), lang)))
    for r in fresh.itertuples():
        if lateness(int(r.hari_sejak)):
            lines.append(t("ringkasan.freshness_late", lang, indikator=INDICATORS[r.indikator].text("short_label", lang),
                           sumber=source_label(r.sumber, lang), hari=int(r.hari_sejak),
                           periode=fmt.period(r.periode_terakhir, lang)))
    return lines
