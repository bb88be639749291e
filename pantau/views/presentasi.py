"""The rakor deck: one topic a screen, computed from the lake; drawn by the Presentasi page and by render.slides."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pantau.domain import classes, prioritas, tindak_lanjut
from pantau.domain.catalog import AKSI_STATUSES, Indicator, source_label
from pantau.i18n import t
from pantau.render import fmt
from pantau.views.shared import (
    MapModel,
    change_direction,
    change_text,
    highest,
    indicators,
    left_out_note,
    map_model,
    own_month,
    part_values,
)

TOPICS = ("judul", "indikator", "prioritas", "tindak_lanjut", "perubahan")
SMALL = 5  # counts from 1 to 4 are shown as "<5" in a deck for the public


@dataclass
class Slide:
    """One screen: a title, a one-sentence headline from the data, and what to draw."""

    topic: str
    title: str
    headline: str
    note: str  # source and date of the figures
    indicator: str | None = None
    model: MapModel | None = None  # the map, when the screen has one
    outlined: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None
    tiles: list[tuple[str, str, str]] = field(default_factory=list)  # (label, value, detail)
    points: pd.DataFrame | None = None  # drainage points: lon, lat, warna (fill), garis (outline)


@dataclass
class DeckOptions:
    kota: str
    kota_nama: str
    periode: str
    sumber: str
    since: str  # the month of the last rakor, YYYY-MM
    kecamatan: str | None = None
    topics: tuple[str, ...] = TOPICS
    public: bool = False
    demo: bool = False
    lang: str = "id"


def count_text(value, public: bool, lang: str) -> str:
    """A count as the deck shows it: "<5" for 1 to 4 when the deck leaves the room."""
    if value is None or pd.isna(value):
        return "–"
    if public and 0 < value < SMALL:
        return "<5"
    return fmt.number(value, lang)


def total_text(values: pd.DataFrame, column: str, o: DeckOptions) -> str:
    """A sum for the deck; hidden in a public deck of one kecamatan that has a suppressed kelurahan count
    (its few kelurahan are listed on the indicator screens, so the total would give the small one away)."""
    if o.public and o.kecamatan and values[column].between(1, SMALL - 1).any():
        return t("deck.hidden", o.lang)
    return count_text(values[column].sum(min_count=1), o.public, o.lang)


def _place(o: DeckOptions, kecamatan_names: dict[str, str]) -> str:
    return f"Kec. {kecamatan_names[o.kecamatan]}, {o.kota_nama}" if o.kecamatan else o.kota_nama


def source_note(o: DeckOptions, ind: Indicator | None = None) -> str:
    """The source, month and demo mark under a screen."""
    # The office is the source of the official figures only; field figures come from kader, RT and lurah.
    source = f"{ind.opd} · " if ind is not None and ind.opd and o.sumber == "resmi" else ""
    demo = " · DEMO" if o.demo else ""
    return f"{source}{t('deck.source', o.lang, sumber=source_label(o.sumber, o.lang), periode=fmt.period(o.periode, o.lang))}{demo}"


def _measure(ind: Indicator) -> str:
    return "rate" if ind.has_rate else "jumlah"


def indicator_values(run, o: DeckOptions, ind: Indicator, periode: str | None = None) -> pd.DataFrame:
    """One indicator per kelurahan of the scope, now (or in `periode`) and at the last rakor."""
    return part_values(run, o.kecamatan or o.kota, ind.id, o.sumber, periode or o.periode, o.since)


def change_sentence(values: pd.DataFrame, ind: Indicator, o: DeckOptions) -> str:
    """"Stunting turun di 9 dari 15 kecamatan sejak Juli 2026", or per kelurahan within one kecamatan."""
    group = "kode" if o.kecamatan else "kecamatan_kode"
    if "ditandai" in values:  # a figure that cannot be true is no movement
        values = values[~(values["ditandai"] | values["ditandai_lalu"])]
    parts = values.groupby(group).agg(j=("jumlah", "sum"), p=("penyebut", "sum"), jl=("jumlah_lalu", "sum"),
                                      pl=("penyebut_lalu", "sum"), n=("jumlah", "count"), nl=("jumlah_lalu", "count"))
    parts = parts[(parts["n"] > 0) & (parts["nl"] > 0)]
    if ind.has_rate:
        now, before = parts["j"] / parts["p"].replace(0, np.nan), parts["jl"] / parts["pl"].replace(0, np.nan)
    else:
        now, before = parts["j"].astype(float), parts["jl"].astype(float)
    # Compared as shown (a rate to one decimal in points): an unchanged kecamatan is not "better".
    now, before = (100 * now).round(1) if ind.has_rate else now, (100 * before).round(1) if ind.has_rate else before
    better = (now < before) if ind.lower_is_better else (now > before)
    worse = (now > before) if ind.lower_is_better else (now < before)
    unit = t("deck.unit.kelurahan" if o.kecamatan else "deck.unit.kecamatan", o.lang)
    if parts.empty:
        return t("deck.no_compare", o.lang, indikator=ind.text("short_label", o.lang), since=fmt.period(o.since, o.lang))
    if not better.any():  # say what happened: it got worse somewhere, or nothing moved
        key = "deck.worse_only" if worse.any() else "deck.no_change"
        return t(key, o.lang, indikator=ind.text("short_label", o.lang), n=int(worse.sum()), total=len(parts),
                 unit=unit, since=fmt.period(o.since, o.lang))
    key = "deck.better" if ind.lower_is_better else "deck.better_up"
    return t(key, o.lang, indikator=ind.text("short_label", o.lang), n=int(better.sum()), total=len(parts),
             unit=unit, since=fmt.period(o.since, o.lang))


def _top_table(values: pd.DataFrame, ind: Indicator, o: DeckOptions) -> pd.DataFrame:
    measure = _measure(ind)
    top = highest(values, ind, measure, n=5)
    return pd.DataFrame({
        t("pcol.kelurahan", o.lang): top["nama"].to_numpy(),
        t("pcol.kecamatan", o.lang): top["kecamatan"].to_numpy(),
        ind.text("short_label", o.lang): [classes.format_measure(v, measure, o.lang) for v in top["nilai"]]
        if measure == "rate" else [count_text(v, o.public, o.lang) for v in top["nilai"]],
        t("deck.col.count", o.lang): [count_text(v, o.public, o.lang) for v in top["jumlah"]],
    })


def title_slide(run, o: DeckOptions, kecamatan_names: dict[str, str], today: dt.date) -> Slide:
    tiles = []
    for ind in indicators(run, o.kecamatan or o.kota, o.sumber):
        values = indicator_values(run, o, ind)
        count = values["jumlah"].sum(min_count=1)
        value = total_text(values, "jumlah", o)
        if value not in ("–", t("deck.hidden", o.lang)):
            value = f"{value} {ind.text('unit', o.lang)}"
        detail = ""
        if ind.has_rate and values["penyebut"].sum() > 0 and not pd.isna(count):
            detail = fmt.rate(100 * count / values["penyebut"].sum(), o.lang)
        tiles.append((ind.text("short_label", o.lang), value, detail))
    return Slide("judul", t("deck.title", o.lang, place=_place(o, kecamatan_names)),
                 t("deck.title_line", o.lang, periode=fmt.period(o.periode, o.lang), day=fmt.day(today, o.lang)),
                 source_note(o), tiles=tiles)


def indicator_slide(run, o: DeckOptions, ind: Indicator, outlined: list[str]) -> Slide:
    # An office that has not sent this month yet: its newest month, said on the screen.
    month = own_month(run, o.kecamatan or o.kota, ind.id, o.sumber, o.periode)
    values = indicator_values(run, o, ind, month)
    model = map_model(values, ind, _measure(ind), o.lang)
    if o.public and not ind.has_rate:
        model.frame["nilai_teks"] = [count_text(v, True, o.lang) for v in model.frame["jumlah"]]
    note = source_note(o, ind)
    if month != o.periode:
        note = f"{t('tile.latest', o.lang, periode=fmt.period(month, o.lang))} · {note}"
    left_out = left_out_note(values, o.lang)
    if left_out:
        note = f"{note} · {left_out}"
    return Slide("indikator", ind.text("label", o.lang), change_sentence(values, ind, o), note,
                 indicator=ind.id, model=model, outlined=[k for k in outlined if k in set(values["kode"])],
                 table=_top_table(values, ind, o))


def priority_slide(run, o: DeckOptions, today: dt.date) -> Slide:
    marked = prioritas.with_progress(run("prioritas_by_kota", kota_kode=o.kota, sampai=today.replace(day=1)), today)
    if o.kecamatan:
        marked = marked[marked["kelurahan_kode"].str.startswith(o.kecamatan + ".")]
    on_track = int(marked["status"].isin(["sesuai", "tercapai"]).sum())
    table = prioritas.progress_table(marked, o.lang).drop(columns=[t("pcol.waktu", o.lang)]) if len(marked) else None
    return Slide("prioritas", t("deck.priority_title", o.lang),
                 t("deck.priority_line", o.lang, n=on_track, total=len(marked)) if len(marked)
                 else t("deck.priority_none", o.lang), source_note(o), table=table,
                 outlined=marked["kelurahan_kode"].tolist())


def actions_slide(run, o: DeckOptions, today: dt.date) -> Slide:
    actions = tindak_lanjut.current(run, o.kota, today)
    if o.kecamatan:
        mine = [not k or any(c.startswith(o.kecamatan + ".") for c in k) for k in actions["kelurahan"]]
        actions = actions[mine]
    summary = tindak_lanjut.per_opd(actions)
    late = int(actions["terlambat"].sum())
    if len(summary) and late:
        worst = summary.iloc[0]
        tied = summary[summary["terlambat"] == worst["terlambat"]]
        if len(tied) > 1:  # "most at Dinas Kesehatan (1)" would single out one of equals
            line = t("deck.actions_line_tie", o.lang, late=late, total=len(actions), n=len(tied))
        else:
            line = t("deck.actions_line", o.lang, late=late, total=len(actions), opd=worst["opd"], n=int(worst["terlambat"]))
    else:
        line = t("deck.actions_ok", o.lang, total=len(actions), done=int((actions["status"] == "selesai").sum()))
    table = tindak_lanjut.opd_frame(summary, o.lang).drop(columns=[AKSI_STATUSES["belum_mulai"][o.lang]]) \
        if len(summary) else None
    return Slide("tindak_lanjut", t("deck.actions_title", o.lang), line, source_note(o), table=table)


def _change_text(delta, ind: Indicator, o: DeckOptions, shown: tuple[str, str]) -> str:
    """A change on the closing screen: a rate in points, a count in its unit, "tetap" for none."""
    if pd.isna(delta) or t("deck.hidden", o.lang) in shown:
        return "–"
    if change_direction(delta, 1 if ind.has_rate else 0) == 0:
        return t("delta.same", o.lang)
    if ind.has_rate:
        return change_text(delta, "rate", o.lang)
    sign = "+" if delta > 0 else "−"
    return sign + count_text(abs(delta), o.public, o.lang)


def change_slide(run, o: DeckOptions) -> Slide:
    rows, best = [], None
    for ind in indicators(run, o.kecamatan or o.kota, o.sumber):
        values = indicator_values(run, o, ind)
        now, before = values["jumlah"].sum(min_count=1), values["jumlah_lalu"].sum(min_count=1)
        if ind.has_rate:
            p, pl = values["penyebut"].sum(), values["penyebut_lalu"].sum()
            now_v = 100 * now / p if p else np.nan
            before_v = 100 * before / pl if pl else np.nan
            shown = (fmt.rate(before_v, o.lang), fmt.rate(now_v, o.lang))
        else:
            now_v, before_v = now, before
            shown = (total_text(values, "jumlah_lalu", o), total_text(values, "jumlah", o))
        # Compared as shown: 0,7 % to 0,6 % is a fall of 0,1 poin, whatever the digits underneath.
        delta = round(now_v, 1) - round(before_v, 1) if ind.has_rate else now_v - before_v
        rows.append({t("pcol.indikator", o.lang): ind.text("short_label", o.lang),
                     fmt.period(o.since, o.lang): shown[0], fmt.period(o.periode, o.lang): shown[1],
                     t("deck.col.change", o.lang): _change_text(delta, ind, o, shown)})
        improvement = -delta if ind.lower_is_better else delta
        if change_direction(delta, 1 if ind.has_rate else 0) == 0:
            improvement = np.nan  # "-0,0" is no improvement to headline
        if not pd.isna(improvement) and before_v and (best is None or improvement / abs(before_v) > best[0]):
            best = (improvement / abs(before_v), ind, delta)
    line = t("deck.change_line", o.lang, since=fmt.period(o.since, o.lang),
             indikator=best[1].text("short_label", o.lang)) if best and best[0] > 0 else \
        t("deck.change_none", o.lang, since=fmt.period(o.since, o.lang))
    return Slide("perubahan", t("deck.change_title", o.lang, since=fmt.period(o.since, o.lang)), line, source_note(o),
                 table=pd.DataFrame(rows))


def build(run, o: DeckOptions, today: dt.date) -> list[Slide]:
    """The slides in the order the presenter set."""
    wilayah = run("kelurahan_by_kota", kota_kode=o.kota)
    kecamatan_names = dict(zip(wilayah.loc[wilayah["tingkat"] == "kecamatan", "kode"],
                               wilayah.loc[wilayah["tingkat"] == "kecamatan", "nama"]))
    outlined = sorted(set(run("prioritas_by_kota", kota_kode=o.kota, sampai=today.replace(day=1))["kelurahan_kode"]))
    slides: list[Slide] = []
    for topic in o.topics:
        if topic == "judul":
            slides.append(title_slide(run, o, kecamatan_names, today))
        elif topic == "indikator":
            slides.extend(indicator_slide(run, o, ind, outlined) for ind in indicators(run, o.kecamatan or o.kota, o.sumber))
        elif topic == "prioritas":
            screen = priority_slide(run, o, today)
            if screen.table is not None:  # no priority location yet: no empty screen at the rakor
                slides.append(screen)
        elif topic == "tindak_lanjut":
            slides.append(actions_slide(run, o, today))
        elif topic == "perubahan":
            slides.append(change_slide(run, o))
    return slides


def scope_bounds(geometry: pd.DataFrame, kodes) -> list[float] | None:
    """The bounding box of the kelurahan shown (a kecamatan's, when the deck is scoped to one)."""
    import shapely

    from pantau.lake import geo

    kel = geometry[geometry["kode"].isin(set(kodes)) & geometry["geometry"].notna()]
    if kel.empty:
        return None
    return list(shapely.union_all(geo.shapes(kel["geometry"])).bounds)


def table_html(table: pd.DataFrame | None, lang: str, max_rows: int = 12) -> str:
    """A screen's table in large type for the projector: at most `max_rows` rows, the rest said in words."""
    import html

    if table is None or table.empty:
        return f'<p class="pk-deck-empty">{html.escape(t("deck.no_table", lang))}</p>'

    def cell(v):
        if isinstance(v, float):
            return "–" if np.isnan(v) else fmt.number(v, lang, 0 if v.is_integer() else 1)
        return html.escape(str(v))

    # A row for "… dan 3 lainnya" takes the last place rather than one more row.
    shown = len(table) if len(table) <= max_rows else max(max_rows - 1, 1)
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>"
                   for row in table.head(shown).itertuples(index=False))
    if len(table) > shown:
        more = html.escape(t("present.more", lang, n=fmt.number(len(table) - shown, lang)))
        body += f'<tr class="pk-deck-more"><td colspan="{len(table.columns)}">{more}</td></tr>'
    return f'<table class="pk-deck-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def tiles_html(slide: Slide) -> str:
    import html

    return '<div class="pk-deck-tiles">' + "".join(
        f'<div class="pk-deck-tile"><div class="pk-deck-label">{html.escape(a)}</div>'
        f'<div class="pk-deck-value">{html.escape(b)}</div><div class="pk-deck-detail">{html.escape(c)}</div></div>'
        for a, b, c in slide.tiles) + "</div>"
