"""Tren: the series month by month or by quarter, the comparison per part, and how far each line can be trusted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from pantau.domain import classes
from pantau.domain.catalog import SOURCES, Indicator, source_label
from pantau.domain.quality import badge as quality_badge
from pantau.domain.quality import badge_html
from pantau.i18n import t
from pantau.render import fmt
from pantau.views.shared import (
    Runner,
    View,
    freshness,
    measure_columns,
    part_values,
    period_key,
    period_options,
    quality,
    summary_level,
    summary_values,
)

TREND_RANGES = {"12": 12, "24": 24, "semua": None}


@dataclass(frozen=True)
class Lines:
    """The trend tab of a view: the chart, its lines' quality badges, the data behind it."""

    shaped: pd.DataFrame  # the series in the chosen grain (the download)
    figure: object  # a plotly Figure, drawn as it is (read-only)
    badges: list[dict]


def lines_tab(run: Runner, view: View, span: str, grain: str, picked: tuple[str, ...], show_kecamatan: bool,
              both: bool, local_target: float | None, today: dt.date) -> Lines:
    """Everything the lines tab draws for these choices, built once for every viewer who makes them."""
    from pantau.render import charts

    lang, ind = view.lang, view.indicator
    other_source = "resmi" if view.sumber == "lapangan" else "lapangan"
    series = trend(run, view, TREND_RANGES[span])
    shaped = shape_series(series, ind, grain)
    shaped_other = shape_series(trend(run, view, TREND_RANGES[span], other_source), ind, grain) if both else None
    lines = trend_lines(shaped, list(picked), show_kecamatan, view.ukuran, shaped_other,
                        source_label(other_source, lang), top=view.wilayah)
    figure = charts.trend_figure(lines, ind, view.ukuran, lang, t("tren.hover_reporting", lang),
                                 local_target, t("tren.target_local", lang))
    figure = charts.with_png_title(figure, f"{ind.text('label', lang)} · {view.wilayah_nama}")
    badges = line_badges(run, view, [(ln["kode"], ln["name"]) for ln in lines], lang, today)
    return Lines(shaped, figure, badges)


@dataclass(frozen=True)
class Years:
    """A year's figures (a province's Satu Data) of the view's wilayah, apart from the months: one row per
    year with its completeness and how many figures cannot be true, and the kelurahan behind it."""

    table: pd.DataFrame  # tahun, jumlah, penyebut, rate, reporting, expected, tidak_mungkin
    kelurahan: pd.DataFrame  # kode, nama, tahun, jumlah, penyebut, rate
    figure: object
    sumber: str  # the source the figures are from: the view's, or the other one when the view's has none


def years_tab(run: Runner, view: View) -> Years | None:
    """The annual figures of the view's indicator and source up to the view's year, or None when the lake has
    none for it. The wilayah's figure of a year sums the kelurahan that reported (a rate: their counts over
    their denominators); `reporting` of `expected` says how many did."""
    from pantau.render import charts

    if not view.kota:
        return None
    year = fmt.period_date(view.periode).year if view.periode else dt.date.today().year
    kel = run("kelurahan_by_kota", kota_kode=view.kota)
    inside = kel["kode"].str.startswith(view.wilayah + ".") | (kel["kode"] == view.wilayah)
    # Annual figures are few (a province's Satu Data is official): a planner on the field source still
    # sees them, from the source that has them, and the tab says which.
    for sumber in [view.sumber, *(s for s in SOURCES if s != view.sumber)]:
        rows = run("nilai_tahunan_by_kelurahan", kota_kode=view.kota, indikator=view.indikator, sumber=sumber,
                   tahun=year)
        rows = rows[rows["kode"].isin(kel.loc[inside, "kode"])]
        if not rows.empty:
            break
    else:
        return None
    impossible = (rows["jumlah"] < 0) | (rows["penyebut"].notna() & (rows["jumlah"] > rows["penyebut"]))
    table = rows.assign(salah=impossible.astype(int)).groupby("tahun", as_index=False).agg(
        jumlah=("jumlah", "sum"), penyebut=("penyebut", lambda s: s.sum(min_count=1)),
        reporting=("kode", "count"), tidak_mungkin=("salah", "sum"))
    table["expected"] = int(inside.sum())
    table["rate"] = 100 * table["jumlah"] / table["penyebut"].where(table["penyebut"] != 0)
    measure = view.ukuran if view.indicator.has_rate else "jumlah"
    figure = charts.years_figure(table, view.indicator, measure, view.lang, t("tren.hover_reporting", view.lang))
    return Years(table, rows.reset_index(drop=True), figure, sumber)


def years_table(years: Years, lang: str) -> pd.DataFrame:
    """The kelurahan behind the annual figures, for download: one row per kelurahan and year."""
    frame = years.kelurahan.sort_values(["tahun", "kode"])
    return pd.DataFrame({
        t("col.kode", lang): frame["kode"],
        t("col.kelurahan", lang): frame["nama"],
        t("col.tahun", lang): frame["tahun"],
        t("col.jumlah", lang): frame["jumlah"],
        t("col.penyebut", lang): frame["penyebut"],
        t("col.rate", lang): frame["rate"].round(3),
    })


def trend(run: Runner, view: View, months: int | None, sumber: str | None = None) -> pd.DataFrame:
    """The view's wilayah, its parts one level down and every kelurahan, month by month up to the view's month."""
    last = fmt.period_date(view.periode)
    if months is None:
        first = fmt.period_date(period_options(run, view.kota)[-1])
    else:
        first = (pd.Timestamp(last) - pd.DateOffset(months=months - 1)).date()
    return run("nilai_series_by_wilayah", wilayah_kode=view.wilayah, panjang=next_level(view.wilayah),
               indikator=view.indikator, sumber=sumber or view.sumber, dari=first, sampai=last)


def next_level(wilayah: str) -> int:
    """The code length of the parts one level below a wilayah ('' the nation: provinces)."""
    return {0: 2, 2: 5, 5: 8}.get(len(wilayah), 13)


def by_quarter(series: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    """Quarters instead of months: the last month of each quarter for a stock, the sum for a flow.

    Rates stay sums of counts over sums of denominators; a quarter with no report stays a gap.
    """
    frame = series.copy()
    frame["periode"] = pd.to_datetime(frame["periode"])
    frame["kuartal"] = frame["periode"].dt.to_period("Q").dt.start_time
    keys = ["tingkat", "kode", "nama", "kuartal"]
    if ind.kind == "flow":
        out = frame.groupby(keys, as_index=False, dropna=False).agg(
            jumlah=("jumlah", lambda s: s.sum(min_count=1)), penyebut=("penyebut", "last"),
            reporting=("reporting", "min"), expected=("expected", "max"))
    else:
        out = frame.sort_values("periode").groupby(keys, as_index=False, dropna=False).last()
        out = out.drop(columns=["periode", "rate"], errors="ignore")
    out["rate"] = 100 * out["jumlah"] / out["penyebut"].where(out["penyebut"] != 0)
    return out.rename(columns={"kuartal": "periode"})


def year_to_date(series: pd.DataFrame) -> pd.DataFrame:
    """Counts added up from January of each year, for an indicator that accumulates (a flow)."""
    frame = series.copy()
    frame["periode"] = pd.to_datetime(frame["periode"])
    frame = frame.sort_values(["tingkat", "kode", "periode"])
    year = frame["periode"].dt.year
    frame["jumlah"] = frame.groupby(["tingkat", "kode", year])["jumlah"].transform(lambda s: s.cumsum())
    frame["rate"] = 100 * frame["jumlah"] / frame["penyebut"].where(frame["penyebut"] != 0)
    return frame


def kelurahan_names(series: pd.DataFrame) -> dict[str, str]:
    """Kode to name of every kelurahan in a trend series, for the picker."""
    kel = series[series["tingkat"] == "kelurahan"].drop_duplicates("kode")
    return dict(zip(kel["kode"], kel["nama"]))


def shape_series(series: pd.DataFrame, ind: Indicator, grain: str) -> pd.DataFrame:
    """The series by month, by quarter, or added up from January (flows only)."""
    if grain == "kuartal":
        return by_quarter(series, ind)
    if grain == "ytd" and ind.kind == "flow":
        return year_to_date(series)
    return series


def trend_table(series: pd.DataFrame, measure: str, lang: str) -> pd.DataFrame:
    """The data behind the trend chart, with Indonesian headers, for download."""
    return pd.DataFrame({
        t("col.tingkat", lang): series["tingkat"],
        t("col.kode", lang): series["kode"],
        t("col.wilayah", lang): series["nama"],
        t("col.periode", lang): [fmt.period(pd.Timestamp(p).date(), lang) for p in series["periode"]],
        t("col.jumlah", lang): series["jumlah"],
        t("col.penyebut", lang): series["penyebut"],
        t("col.rate", lang): series["rate"].round(3),
        t("col.melapor", lang): series["reporting"],
        t("col.seharusnya", lang): series["expected"],
    })


def compare_table(run: Runner, view: View, series: pd.DataFrame, measure: str, lang: str) -> pd.DataFrame:
    """Every kelurahan (every kab/kota of a province, every province of the nation): this month against
    last month and the same month last year, ranked by change."""
    year_ago = period_key(fmt.period_date(view.periode).replace(year=fmt.period_date(view.periode).year - 1))
    level = summary_level(view.wilayah)
    month = summary_values(run, view)
    year = part_values(run, view.wilayah, view.indikator, view.sumber, view.periode, year_ago, level)
    now_col, before_col = measure_columns(measure)
    value_col = "rate" if measure == "rate" else "jumlah"
    kel = series[series["tingkat"] == level].sort_values("periode")
    spark = kel.groupby("kode")[value_col].apply(lambda s: [None if pd.isna(v) else float(v) for v in s.tail(12)])
    out = pd.DataFrame({
        "kode": month["kode"],
        t("col.kelurahan" if level == "kelurahan" else f"wilayah.level.{level}", lang): month["nama"],
        t("col.kecamatan" if level == "kelurahan" else "col.induk", lang): month["kecamatan"],
        t("col.bulan_ini", lang): month[now_col],
        t("col.sebelum", lang): month[before_col],
        t("col.perubahan_bulan", lang): month[now_col] - month[before_col],
        t("col.tahun_lalu", lang): year[before_col].to_numpy(),
        t("col.perubahan_tahun", lang): (year[now_col] - year[before_col]).to_numpy(),
        t("col.tren12", lang): month["kode"].map(spark),
    })
    order = out[t("col.perubahan_bulan", lang)].abs().sort_values(ascending=False, na_position="last").index
    return out.loc[order].drop(columns="kode").reset_index(drop=True)


def compare_style(table: pd.DataFrame, measure: str, lang: str):
    """The comparison table shown with Indonesian numbers, still sorted by the numbers underneath."""
    def value(v):
        return classes.format_measure(v, measure, lang) if not fmt.is_missing(v) else fmt.MISSING

    def change(v):
        if fmt.is_missing(v):
            return fmt.MISSING
        text = fmt.signed(v, lang, 2 if measure == "rate" else 0)
        return t("delta.points", lang, delta=text) if measure == "rate" else text

    values = [t("col.bulan_ini", lang), t("col.sebelum", lang), t("col.tahun_lalu", lang)]
    changes = [t("col.perubahan_bulan", lang), t("col.perubahan_tahun", lang)]
    return table.style.format({**{c: value for c in values}, **{c: change for c in changes}})


def line_badges(run: Runner, view: View, kodes: list[str], lang: str, today: dt.date) -> list[dict]:
    """A quality badge for each line of the trend chart (the kota, kecamatan, chosen kelurahan)."""
    rows = quality(run, view.kota, view.periode)
    rows = rows[(rows["indikator"] == view.indikator) & (rows["sumber"] == view.sumber)].set_index("kode")
    fresh = freshness(run, view.wilayah, today)
    days = fresh[(fresh["indikator"] == view.indikator) & (fresh["sumber"] == view.sumber)]["hari_sejak"]
    late = int(days.iloc[0]) if len(days) else None
    out = []
    for kode, nama in kodes:
        if kode not in rows.index:
            continue
        row = rows.loc[kode]
        b = quality_badge(row, lang, late if kode == view.wilayah else None)
        out.append({"nama": nama, "badge": badge_html(b, lang), "why": " · ".join(b.reasons)})
    return out


def worst_pairs(run: Runner, view: View, lang: str, n: int = 15) -> pd.DataFrame:
    """The kelurahan-source pairs of the indicator least to be trusted this month, worst first."""
    rows = quality(run, view.kota, view.periode)
    rows = rows[(rows["tingkat"] == "kelurahan") & (rows["indikator"] == view.indikator)]
    names = run("kelurahan_by_kota", kota_kode=view.kota).set_index("kode")["nama"]
    items = []
    for r in rows.to_dict("records"):
        b = quality_badge(r, lang)
        if b.level == "green":
            continue
        items.append({
            "rank": (-b.rank, -len(b.reasons)),
            t("col.kelurahan", lang): names.get(r["kode"], r["kode"]),
            t("col.kode", lang): r["kode"],
            t("col.sumber", lang): source_label(r["sumber"], lang),
            t("col.mutu", lang): t(f"q.level.{b.level}", lang),
            t("col.alasan", lang): " · ".join(b.reasons),
        })
    items.sort(key=lambda i: i["rank"])
    frame = pd.DataFrame(items[:n])
    return frame.drop(columns="rank") if len(frame) else frame


def parts_of(series: pd.DataFrame, top: str | None) -> pd.DataFrame:
    """The rows of a trend series one level below its top line: kecamatan of a kota, kab/kota of a
    province, provinces of the nation."""
    return series[(series["tingkat"] != "kelurahan") & (series["kode"] != top)]


def trend_lines(series: pd.DataFrame, picked: list[str], show_kecamatan: bool, measure: str,
                other: pd.DataFrame | None = None, other_label: str = "", top: str | None = None) -> list[dict]:
    """The lines of the trend chart: the kota, or the `top` wilayah a camat is limited to (thick), each
    kecamatan, each chosen kelurahan (dashed), and the top line from the other source (dotted) when both
    are asked for."""
    from pantau.render.charts import KOTA_COLOR, LINE_COLORS

    column = "rate" if measure == "rate" else "jumlah"

    def frame(part: pd.DataFrame) -> pd.DataFrame:
        part = part.sort_values("periode")
        return pd.DataFrame({"periode": part["periode"], "value": part[column],
                             "reporting": part["reporting"], "expected": part["expected"],
                             "tidak_mungkin": part["tidak_mungkin"] if "tidak_mungkin" in part else 0})

    def head(frame_: pd.DataFrame) -> pd.DataFrame:
        return frame_[frame_["kode"] == top] if top is not None else frame_[frame_["tingkat"] == "kota"]

    kota = head(series)
    lines = [{"name": kota["nama"].iloc[0] if len(kota) else "Kota", "kode": kota["kode"].iloc[0] if len(kota) else "",
              "frame": frame(kota), "width": 4, "color": KOTA_COLOR}]
    if other is not None:
        o = head(other)
        lines.append({"name": f"{lines[0]['name']} ({other_label})", "kode": "", "frame": frame(o), "width": 3,
                      "dash": "dot", "color": "#666666"})
    if show_kecamatan:
        kec = parts_of(series, kota["kode"].iloc[0] if len(kota) else None)
        for i, (kode, part) in enumerate(kec.groupby("kode", sort=True)):
            prefix = "Kec. " if part["tingkat"].iloc[0] == "kecamatan" else ""
            lines.append({"name": prefix + part["nama"].iloc[0], "kode": kode, "frame": frame(part), "width": 1.8,
                          "color": LINE_COLORS[i % len(LINE_COLORS)]})
    kel = series[series["tingkat"] == "kelurahan"]
    for i, kode in enumerate(picked):
        part = kel[kel["kode"] == kode]
        if len(part):
            lines.append({"name": part["nama"].iloc[0], "kode": kode, "frame": frame(part), "width": 2.5,
                          "dash": "dash", "color": LINE_COLORS[(i + 7) % len(LINE_COLORS)]})
    return lines
