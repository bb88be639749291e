"""What each page shows, computed from query results; no Streamlit here, so it runs in tests and the CLI.

Every function takes `run(name, **params) -> DataFrame`, the query runner of the caller.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from pantau import classes, fmt, settings
from pantau.catalog import INDICATORS, SOURCES, Indicator, source_label
from pantau.i18n import t

Runner = Callable[..., pd.DataFrame]


def period_key(value) -> str:
    """A period as YYYY-MM, from a date, a timestamp or a string."""
    if isinstance(value, str):
        return value[:7]
    return f"{value.year:04d}-{value.month:02d}"


def previous_period(period: str) -> str:
    """The month before a YYYY-MM period."""
    first = fmt.period_date(period)
    return period_key(first - dt.timedelta(days=1))


def kota_options(run: Runner) -> pd.DataFrame:
    """The kota in the lake: kode, nama and kelurahan counts."""
    return run("kota_list")


def period_options(run: Runner, kota: str) -> list[str]:
    """The months with figures for a kota, newest first, as YYYY-MM."""
    return [period_key(p) for p in run("periode_by_kota", kota_kode=kota)["periode"]]


@dataclass
class View:
    """The kota, indicator, period, source and measure a page shows, and why any was changed."""

    kota: str
    kota_nama: str
    indikator: str
    periode: str | None
    sumber: str
    ukuran: str
    lang: str
    notices: list[str] = field(default_factory=list)
    kelas: str = ""

    @property
    def indicator(self) -> Indicator:
        return INDICATORS[self.indikator]

    def params(self) -> dict[str, str]:
        """The view as URL parameters."""
        out = {"kota": self.kota, "indikator": self.indikator, "sumber": self.sumber,
               "ukuran": self.ukuran, "kelas": self.kelas, "lang": self.lang}
        if self.periode:
            out["periode"] = self.periode
        return out


def resolve_view(run: Runner, wanted: dict[str, str], lang: str) -> View:
    """The view asked for, with every unknown value replaced by a default and a notice saying so."""
    notices: list[str] = []

    def fallback(kind: str, value, default: str, shown: str) -> str:
        if value not in (None, ""):
            notices.append(t("notice.fallback", lang, kind=t(f"kind.{kind}", lang), value=value, fallback=shown))
        return default

    kotas = kota_options(run)
    names = dict(zip(kotas["kode"], kotas["nama"]))
    kota = wanted.get("kota")
    if kota not in names:
        default = settings.DEFAULT_KOTA if settings.DEFAULT_KOTA in names else next(iter(names), "")
        kota = fallback("kota", kota, default, names.get(default, default))

    ind_id = wanted.get("indikator")
    if ind_id not in INDICATORS:
        d = settings.DEFAULT_INDIKATOR
        ind_id = fallback("indikator", ind_id, d, INDICATORS[d].text("label", lang))

    periods = period_options(run, kota) if kota else []
    periode = wanted.get("periode")
    if periode not in periods:
        latest = periods[0] if periods else None
        periode = fallback("periode", periode, latest, fmt.period(latest, lang) if latest else "–")

    sumber = wanted.get("sumber")
    if sumber not in SOURCES:
        d = settings.DEFAULT_SUMBER
        sumber = fallback("sumber", sumber, d, SOURCES[d][lang])

    measures = classes.measures_for(INDICATORS[ind_id])
    ukuran = wanted.get("ukuran")
    if ukuran not in measures:
        # Switching to an indicator without a rate is not a mistake worth a notice.
        quiet = ukuran in classes.MEASURES
        ukuran = measures[0] if quiet else fallback("ukuran", ukuran, measures[0], t(f"ukuran.{measures[0]}", lang))

    methods = classes.methods_for(INDICATORS[ind_id], ukuran)
    kelas = wanted.get("kelas")
    if kelas not in methods:
        quiet = kelas in classes.METHODS  # e.g. WHO classes asked for while showing counts
        kelas = methods[0] if quiet else fallback("kelas", kelas, methods[0], t(f"kelas.{methods[0]}", lang))

    return View(kota, names.get(kota, kota), ind_id, periode, sumber, ukuran, lang, notices, kelas)


def kota_summary(run: Runner, kota: str, periode: str) -> dict:
    """Kota totals of every indicator and source: count, denominator, rate, reporting kelurahan."""
    rows = run("indikator_by_kota", kota_kode=kota, periode=fmt.period_date(periode))
    total = int(run("kota_list").set_index("kode").at[kota, "kelurahan_total"])
    out: dict = {}
    for ind in INDICATORS.values():
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
                "reporting": reporting, "kelurahan_total": total,
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


def tiles(run: Runner, kota: str, periode: str, sumber: str) -> list[Tile]:
    """A tile per indicator for the chosen source, against last month and the target."""
    now = kota_summary(run, kota, periode)
    before = kota_summary(run, kota, previous_period(periode))
    other = "resmi" if sumber == "lapangan" else "lapangan"
    area = run("kelurahan_by_kota", kota_kode=kota)
    area_km2 = area.loc[area["tingkat"] == "kelurahan", "luas_km2"].sum()
    series = kota_series(run, kota, sumber, periode, months=12)
    out = []
    for ind in INDICATORS.values():
        cur, prev = now[ind.id][sumber], before[ind.id][sumber]

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
            other_count=now[ind.id][other]["count"],
            density=(cur["count"] / area_km2) if (ind.table == "drainase" and cur["count"] is not None and area_km2) else None,
            history=_history(series, ind),
        ))
    return out


def _history(series: pd.DataFrame, ind: Indicator) -> list[float | None]:
    part = series[series["indikator"] == ind.id]
    values = part["rate" if ind.has_rate else "jumlah"].astype("Float64")
    return [None if pd.isna(v) else float(v) for v in values]


def kota_series(run: Runner, kota: str, sumber: str, until: str, months: int) -> pd.DataFrame:
    """Kota totals per indicator for the months up to and including `until`."""
    last = fmt.period_date(until)
    first = (pd.Timestamp(last) - pd.DateOffset(months=months - 1)).date()
    return run("indikator_by_kota_periode", kota_kode=kota, sumber=sumber, dari=first, sampai=last)


def kelurahan_values(run: Runner, view: View) -> pd.DataFrame:
    """The chosen indicator per kelurahan, this month and last month."""
    return run(
        "nilai_by_kelurahan", kota_kode=view.kota, indikator=view.indikator, sumber=view.sumber,
        periode=fmt.period_date(view.periode), periode_lalu=fmt.period_date(previous_period(view.periode)),
    )


def measure_columns(measure: str) -> tuple[str, str]:
    """The columns of nilai_by_kelurahan that hold a measure now and last month."""
    if measure == "rate":
        return "rate", "rate_lalu"
    if measure == "per_km2":
        return "per_km2", "per_km2_lalu"
    return "jumlah", "jumlah_lalu"


def biggest_changes(values: pd.DataFrame, ind: Indicator, measure: str, n: int = 5) -> pd.DataFrame:
    """The kelurahan whose value moved most since last month, largest change first."""
    frame = values.copy()
    if measure == "per_km2":
        frame["per_km2_lalu"] = frame["jumlah_lalu"] / frame["luas_km2"]
    now_col, before_col = measure_columns(measure)
    frame["perubahan"] = pd.to_numeric(frame[now_col], errors="coerce") - pd.to_numeric(frame[before_col], errors="coerce")
    frame = frame.dropna(subset=["perubahan"])
    frame = frame[frame["perubahan"] != 0]
    frame["memburuk"] = (frame["perubahan"] > 0) if ind.lower_is_better else (frame["perubahan"] < 0)
    order = frame["perubahan"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].head(n)[["kode", "nama", "kecamatan", now_col, before_col, "perubahan", "memburuk"]]


def change_rows(changes: pd.DataFrame, measure: str, lang: str) -> list[dict]:
    """Rows for cards.bar_table: the change of each kelurahan, red where it got worse."""
    digits = 1 if measure == "rate" else 2 if measure == "per_km2" else 0
    return [{
        "nama": r.nama, "kecamatan": r.kecamatan, "magnitude": r.perubahan,
        "text": t("delta.points", lang, delta=fmt.signed(r.perubahan, lang, digits)) if measure == "rate" else fmt.signed(r.perubahan, lang, digits),
        "note": t("delta.worse" if r.memburuk else "delta.better", lang),
        "tone": "worse" if r.memburuk else "better",
    } for r in changes.itertuples()]


def highest(values: pd.DataFrame, ind: Indicator, measure: str, n: int = 5) -> pd.DataFrame:
    """The kelurahan with the worst value this month (those that did not report are left out)."""
    column = measure_columns(measure)[0]
    frame = values.copy()
    frame["nilai"] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame = frame.dropna(subset=["nilai"])
    frame = frame[frame["nilai"] > 0] if ind.lower_is_better else frame
    return frame.sort_values("nilai", ascending=not ind.lower_is_better, kind="stable").head(n)


def highest_rows(top: pd.DataFrame, ind: Indicator, measure: str, lang: str) -> list[dict]:
    """Rows for cards.bar_table: the worst kelurahan with their value and count."""
    return [{
        "nama": r.nama, "kecamatan": r.kecamatan, "magnitude": r.nilai,
        "text": classes.format_measure(r.nilai, measure, lang),
        "note": "" if measure == "jumlah" or pd.isna(r.jumlah) else f"{fmt.number(r.jumlah, lang)} {ind.text('unit', lang)}",
        "tone": "worse",
    } for r in top.itertuples()]


@dataclass
class MapModel:
    """Everything a choropleth needs: the class of each kelurahan, the colours and the legend."""

    frame: pd.DataFrame
    classes: np.ndarray
    colors: list[str]
    legend: list[dict]
    rule: str


def map_model(values: pd.DataFrame, ind: Indicator, measure: str, lang: str, method: str | None = None) -> MapModel:
    """Classes, colours, legend and tooltip text for every kelurahan of the kota."""
    column = measure_columns(measure)[0]
    series = pd.to_numeric(values[column], errors="coerce").astype(float)
    breaks, rule = classes.class_breaks(ind, measure, series, method)
    kelas = classes.classify(series, breaks)
    colors = classes.palette(len(breaks) + 1)
    frame = values.copy()
    frame["nilai"] = series
    frame["nilai_teks"] = [
        t("peta.no_report", lang) if np.isnan(v) else classes.format_measure(v, measure, lang) for v in series
    ]
    frame["keterangan"] = [t("peta.kecamatan_prefix", lang, nama=k) for k in frame["kecamatan"]]
    frame["kelas"] = kelas
    legend = classes.legend_items(ind, measure, breaks, rule, kelas, lang)
    return MapModel(frame, kelas, colors, legend, rule)


def freshness(run: Runner, kota: str) -> pd.DataFrame:
    """The last upload and the last month of each source of a kota."""
    return run("freshness_by_sumber", kota_kode=kota)


def is_demo(run: Runner) -> bool:
    """Whether the lake holds demo figures."""
    status = run("lake_status")
    return bool(status.at[0, "demo"]) if len(status) else False


def tile_text(tile: Tile, view: View, lang: str) -> dict:
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

    # A rate compares months fairly even when fewer kelurahan reported; a count alone does not.
    delta, direction = None, 0
    since = t("tile.vs_prev", lang, periode=fmt.period(previous_period(view.periode), lang))
    change = tile.delta_rate if ind.has_rate else tile.delta_count
    if change is not None:
        direction = (change > 0) - (change < 0)
        amount = t("delta.points", lang, delta=fmt.signed(change, lang, 2)) if ind.has_rate else fmt.signed(change, lang)
        delta = f"{amount} {since}"

    if ind.target is None:
        lines.append(t("tile.no_target", lang))
    elif tile.vs_target is not None:
        target = fmt.rate(ind.target, lang) if ind.has_rate else fmt.number(ind.target, lang)
        gap = t("delta.points", lang, delta=fmt.signed(tile.vs_target, lang, 1)) if ind.has_rate else fmt.signed(tile.vs_target, lang)
        lines.append(t("tile.vs_target", lang, target=target, delta=gap))
    if tile.reporting is None:
        lines.append(t("tile.completeness_na", lang))
    else:
        lines.append(t("tile.completeness", lang, reporting=tile.reporting, total=tile.kelurahan_total))
    if tile.other_count is not None:
        lines.append(t("tile.other_source", lang, sumber=SOURCES[other][lang], jumlah=fmt.number(tile.other_count, lang)))
    return {
        "label": ind.text("label", lang),
        "value": value,
        "delta": delta,
        "direction": direction,
        "worse": direction != 0 and (direction > 0) == ind.lower_is_better,
        "help": f"{ind.text('count_def', lang)}. {ind.text('target_note', lang)}. OPD: {ind.opd}.",
        "lines": lines,
        "history": tile.history,
    }


def freshness_lines(fresh: pd.DataFrame, lang: str) -> list[str]:
    """One sentence per source: when it last sent data, and up to which month."""
    return [
        t("ringkasan.freshness_row", lang, sumber=SOURCES.get(r.sumber, {}).get(lang, r.sumber),
          tanggal=fmt.day(r.terakhir_diunggah, lang), periode=fmt.period(r.periode_terakhir, lang))
        for r in fresh.itertuples()
    ]


def profile(run: Runner, kelurahan_kode: str, periode: str) -> pd.DataFrame:
    """Every indicator and source of one kelurahan for the month."""
    return run("profil_by_indikator", kelurahan_kode=kelurahan_kode, periode=fmt.period_date(periode))


def profile_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The profile as a small table: an indicator per row, a column per source."""
    table = []
    for ind in INDICATORS.values():
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
            line[source_label(sumber, lang)] = text
        table.append(line)
    return pd.DataFrame(table)


def kelurahan_series(run: Runner, kelurahan_kode: str, indikator: str, until: str, months: int = 24) -> pd.DataFrame:
    """Both sources of one indicator for one kelurahan, month by month."""
    last = fmt.period_date(until)
    first = (pd.Timestamp(last) - pd.DateOffset(months=months - 1)).date()
    return run("nilai_series_by_periode", kelurahan_kode=kelurahan_kode, indikator=indikator, dari=first, sampai=last)


def values_table(model: MapModel, measure: str, lang: str):
    """The values behind the map, one row per kelurahan, Indonesian headers and number formats.

    A pandas Styler: the grid shows 1.778 and 12,5 % while it still sorts by the numbers.
    """
    f = model.frame
    cols = {
        "kode": t("col.kode", lang), "nama": t("col.kelurahan", lang), "kecamatan": t("col.kecamatan", lang),
        "jumlah": t("col.jumlah", lang),
    }
    out = pd.DataFrame({label: f[key] for key, label in cols.items()})
    formats = {cols["jumlah"]: lambda v: fmt.number(v, lang)}
    if measure == "rate" or f["penyebut"].notna().any():
        out[t("col.penyebut", lang)] = f["penyebut"]
        out[t("col.rate", lang)] = f["rate"]
        formats[t("col.penyebut", lang)] = lambda v: fmt.number(v, lang)
        formats[t("col.rate", lang)] = lambda v: fmt.rate(v, lang, 2)
    else:
        out[t("col.per_km2", lang)] = f["per_km2"]
        formats[t("col.per_km2", lang)] = lambda v: fmt.number(v, lang, 3)
    out[t("col.batas", lang)] = [t("batas.ada" if b else "batas.tidak_ada", lang) for b in f["has_boundary"]]
    return out.style.format(formats, na_rep=fmt.MISSING)


def kelurahan_label(frame: pd.DataFrame, kode: str) -> str:
    """A kelurahan as a user picks it: its name and its kecamatan, since names repeat."""
    row = frame.set_index("kode").loc[kode]
    return f"{row['nama']} (Kec. {row['kecamatan']})"


def missing_boundary_note(model: MapModel, lang: str) -> str | None:
    """The kelurahan the map cannot draw, with their values, or None when every one has a boundary."""
    missing = model.frame[~model.frame["has_boundary"]]
    if missing.empty:
        return None
    names = ", ".join(f"{r.nama} ({r.nilai_teks})" for r in missing.itertuples())
    return t("peta.missing_boundary", lang, n=len(missing)) + " " + names
