"""What several pages show: the view state, values per part of a wilayah, changes in words, the choropleth model."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from pantau import settings
from pantau.domain import classes
from pantau.domain.catalog import HEADLINE, INDICATORS, SOURCES, Indicator, in_view
from pantau.i18n import t
from pantau.render import fmt

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
    return list(dict.fromkeys(period_key(p) for p in run("periode_by_kota", kota_kode=kota)["periode"]))


def latest_period(run: Runner, kota: str, indikator: str, sumber: str) -> str | None:
    """The newest month with figures of this indicator and source in the kota; for an indicator
    without monthly figures (drainage points) or none of this source, the kota's newest month."""
    rows = run("periode_by_kota", kota_kode=kota)
    if rows.empty:
        return None
    own = rows[(rows["indikator"] == indikator) & (rows["sumber"] == sumber)]
    return period_key((own if len(own) else rows)["periode"].max())


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
    # The area whose totals the page shows: the kota, or the kecamatan a camat is limited to (any code
    # prefix: the same queries answer for a province, a kab/kota or a kecamatan).
    wilayah: str | None = None  # '' is the nation
    wilayah_nama: str = ""
    lingkup: str = "kota"  # what the totals cover: the kota (or a camat's kecamatan), its province, the nation
    periode_auto: bool = False  # no month was asked for: the newest of the indicator and source is shown
    indikators: tuple[str, ...] = HEADLINE  # the indicators the page lists (catalog.in_view), the chosen one among them

    def __post_init__(self):
        if self.wilayah is None:
            self.wilayah, self.wilayah_nama = self.kota, self.kota_nama

    @property
    def indicator(self) -> Indicator:
        return INDICATORS[self.indikator]

    def params(self) -> dict[str, str]:
        """The view as URL parameters."""
        out = {"kota": self.kota, "indikator": self.indikator, "sumber": self.sumber,
               "ukuran": self.ukuran, "kelas": self.kelas, "lang": self.lang, "lingkup": self.lingkup}
        if self.periode:
            out["periode"] = self.periode
        return out


def resolve_view(run: Runner, wanted: dict[str, str], lang: str, area: str | None = None) -> View:
    """The view asked for, with every unknown value replaced by a default and a notice saying so.

    `area` is the code the user is limited to; when it is a kecamatan of the chosen kota, the view's
    totals are that kecamatan's."""
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
        if area and kota not in (None, ""):  # a kota that exists, but not for this user
            notices.append(t("notice.outside_area", lang, value=kota, fallback=names.get(default, default)))
            kota = default
        else:
            kota = fallback("kota", kota, default, names.get(default, default))

    ind_id = wanted.get("indikator")
    if ind_id not in INDICATORS:
        d = settings.DEFAULT_INDIKATOR
        ind_id = fallback("indikator", ind_id, d, INDICATORS[d].text("label", lang))

    sumber = wanted.get("sumber")
    if sumber not in SOURCES:
        d = settings.DEFAULT_SUMBER
        sumber = fallback("sumber", sumber, d, SOURCES[d][lang])

    # Opening a page without a month: the newest month of the indicator and source shown, so that
    # one office's upload of next month's figures does not blank every other indicator.
    periods = period_options(run, kota) if kota else []
    periode = wanted.get("periode")
    periode_auto = periode not in periods
    if periode_auto:
        latest = latest_period(run, kota, ind_id, sumber) if kota else None
        periode = fallback("periode", periode, latest, fmt.period(latest, lang) if latest else "–")

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

    lingkup = wanted.get("lingkup") if wanted.get("lingkup") in SCOPES else "kota"
    if area:  # a user limited to an area sees its totals, never a province's or the nation's
        lingkup = "kota"
    wilayah, wilayah_nama = kota, names.get(kota, kota)
    if area and kota and area.startswith(kota + "."):
        inside = run("kelurahan_by_kota", kota_kode=kota).set_index("kode")["nama"]
        wilayah = area
        wilayah_nama = t("wilayah.kecamatan", lang, nama=inside.get(area, area))
    elif lingkup == "provinsi" and kota:
        trail = run("induk_by_kode", kode=kota).set_index("kode")["nama"]
        wilayah, wilayah_nama = kota[:2], trail.get(kota[:2], kota[:2])
    elif lingkup == "nasional":
        wilayah, wilayah_nama = "", t("wilayah.nasional", lang)
    listed = tuple(ind.id for ind in indicators(run, wilayah))
    if ind_id not in listed:  # asked for by a link while the wilayah has no figure of it: still shown
        listed += (ind_id,)
    return View(kota, names.get(kota, kota), ind_id, periode, sumber, ukuran, lang, notices, kelas,
                wilayah, wilayah_nama, lingkup, periode_auto, listed)


def indicators(run: Runner, wilayah: str, sumber: str = "") -> list[Indicator]:
    """The indicators a page of this wilayah lists: the headline ones, and any other the wilayah has figures
    of (of this source, when given: a briefing of field figures has no tile for an indicator only the
    offices report)."""
    return in_view(run("indikator_tersedia_by_wilayah", wilayah_kode=wilayah, sumber=sumber)["indikator"])


SCOPES = ("kota", "provinsi", "nasional")


def summary_level(wilayah: str) -> str:
    """The parts a page lists for a wilayah: provinces of the nation, kab/kota of a province, else
    kelurahan/desa."""
    return {0: "provinsi", 2: "kota"}.get(len(wilayah), "kelurahan")


def summary_values(run: Runner, view: View) -> pd.DataFrame:
    """The chosen indicator per part of the view's wilayah at its summary level, this month and last;
    the parent columns are called kecamatan_kode and kecamatan at every level (the lists show them)."""
    return part_values(run, view.wilayah, view.indikator, view.sumber, view.periode, previous_period(view.periode),
                       summary_level(view.wilayah)).rename(columns={"induk_kode": "kecamatan_kode", "induk": "kecamatan"})


def own_month(run: Runner, wilayah: str, indikator: str, sumber: str, periode: str) -> str:
    """The month to show an indicator for: the page's, or the indicator's own newest earlier month of this
    source when it has nothing in the page's month (an office still on October while another sent November)."""
    if INDICATORS[indikator].table != "nilai":
        return periode
    fresh = run("kesegaran_by_wilayah", wilayah_kode=wilayah, hari_ini=fmt.period_date(periode))
    hit = fresh[(fresh["indikator"] == indikator) & (fresh["sumber"] == sumber)]
    if hit.empty:
        return periode
    latest = period_key(hit["periode_terakhir"].iloc[0])
    return latest if latest < periode else periode


def wilayah_series(run: Runner, wilayah: str, sumber: str, until: str, months: int) -> pd.DataFrame:
    """Totals per indicator over a wilayah for the months up to and including `until`."""
    last = fmt.period_date(until)
    first = (pd.Timestamp(last) - pd.DateOffset(months=months - 1)).date()
    return run("indikator_by_wilayah_periode", wilayah_kode=wilayah, sumber=sumber, dari=first, sampai=last)


# The code length of each level: a part of a wilayah at a level is the first LEVELS[level] characters
# of a desa/kelurahan code.
LEVELS = {"provinsi": 2, "kota": 5, "kecamatan": 8, "kelurahan": 13}


def part_values(run: Runner, wilayah: str, indikator: str | list[str], sumber: str, periode, periode_lalu,
                level: str = "kelurahan") -> pd.DataFrame:
    """An indicator (or several: a row per part and indicator) of one source per part of a wilayah
    ('' = the nation) at a level, in a month and the month compared against: one query
    (nilai_by_bagian) for every level. For kelurahan the parent columns are kecamatan_kode, kecamatan."""
    wanted = [indikator] if isinstance(indikator, str) else list(indikator)
    frame = run("nilai_by_bagian", wilayah_kode=wilayah, panjang=LEVELS[level], indikator=wanted,
                sumber=sumber, periode=fmt.period_date(periode) if isinstance(periode, str) else periode,
                periode_lalu=fmt.period_date(periode_lalu) if isinstance(periode_lalu, str) else periode_lalu)
    if level == "kelurahan":
        frame = frame.rename(columns={"induk_kode": "kecamatan_kode", "induk": "kecamatan"})
    if LEVELS[level] in (2, 5) and "has_boundary" in frame:  # the map draws the shipped outlines too
        from pantau.lake import geo

        shipped = set(geo.national_outlines(LEVELS[level])["kode"])
        frame["has_boundary"] = frame["has_boundary"].astype(bool) | frame["kode"].isin(shipped)
    return with_flags(frame)


def with_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds `ditandai` / `ditandai_lalu`: the part holds a figure that cannot be true this month / last
    month (a count below zero or above its denominator; see nilai_by_bagian.sql)."""
    frame = frame.copy()
    # Only a desa/kelurahan's own figure is marked and left out of rankings; a kecamatan, kab/kota or
    # province that holds one keeps its place and says so (flag_reason).
    single = (frame["tingkat"] == "kelurahan").to_numpy() if "tingkat" in frame else np.ones(len(frame), dtype=bool)
    for col, src in (("ditandai", "tidak_mungkin"), ("ditandai_lalu", "tidak_mungkin_lalu")):
        frame[col] = ((pd.to_numeric(frame[src], errors="coerce").fillna(0) > 0).to_numpy() & single) \
            if src in frame else np.zeros(len(frame), dtype=bool)
    return frame


FLAG = "⚠"


def flag_reason(row: dict, lang: str) -> str:
    """Why a value is marked, in words a reader needs no hover for ("" when it is not)."""
    if not row.get("ditandai") and not (row.get("tidak_mungkin") or 0) > 0:
        return ""
    if (row.get("tingkat") or "kelurahan") == "kelurahan":
        return f"{FLAG} " + t("flag.impossible_one", lang)
    n = int(row.get("tidak_mungkin") or 1)
    return f"{FLAG} " + t("flag.impossible_single" if n == 1 else "flag.impossible_many", lang,
                          n=fmt.number(n, lang))


def left_out_note(values: pd.DataFrame, lang: str, lalu: bool = False) -> str | None:
    """"Not ranked: Kulim (⚠ count above its denominator: check the data)", or None."""
    mask = values["ditandai"] | (values["ditandai_lalu"] if lalu else False)
    flagged = values[mask]
    if flagged.empty:
        return None
    names = ", ".join(str(n) for n in flagged["nama"].head(8))
    more = len(flagged) - 8
    if more > 0:
        names += " " + t("flag.more", lang, n=more)
    return t("flag.left_out", lang, names=names)


def change_direction(value, digits: int) -> int:
    """+1, −1 or 0 for a change as it is shown (rounded to the digits shown): "+0,0" is no change."""
    if fmt.is_missing(value) or pd.isna(value):
        return 0
    shown = round(float(value), digits)
    return (shown > 0) - (shown < 0)


def change_text(value, measure: str, lang: str, digits: int | None = None) -> str:
    """A change as a reader needs it: "+1,2 poin" for a rate, "+3" for a count, "tetap" for none."""
    if fmt.is_missing(value) or pd.isna(value):
        return fmt.MISSING
    if digits is None:
        digits = 1 if measure == "rate" else 2 if measure == "per_km2" else 0
    if change_direction(value, digits) == 0:
        return t("delta.same", lang)
    text = fmt.signed(value, lang, digits)
    return t("delta.points", lang, delta=text) if measure == "rate" else text


LEVEL_ORDER = ("provinsi", "kota", "kecamatan", "kelurahan")


def level_choices(wilayah: str) -> list[str]:
    """The levels a map of a wilayah can show: its direct parts first, down to desa/kelurahan."""
    depth = {0: 0, 2: 1, 5: 2, 8: 3}.get(len(wilayah), 3)
    return list(LEVEL_ORDER[depth:])


def outline_level(wilayah: str, level: str) -> str | None:
    """The level drawn as lines over a map: the wilayah's direct parts, when the map shows smaller ones."""
    direct = level_choices(wilayah)[0]
    return direct if direct != level else None


def measure_columns(measure: str) -> tuple[str, str]:
    """The columns of nilai_by_bagian that hold a measure now and last month."""
    if measure == "rate":
        return "rate", "rate_lalu"
    if measure == "per_km2":
        return "per_km2", "per_km2_lalu"
    return "jumlah", "jumlah_lalu"


def highest(values: pd.DataFrame, ind: Indicator, measure: str, n: int = 5) -> pd.DataFrame:
    """The kelurahan with the worst value this month (those that did not report are left out)."""
    column = measure_columns(measure)[0]
    frame = values.copy()
    frame["nilai"] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame = frame.dropna(subset=["nilai"])
    frame = frame[frame["nilai"] > 0] if ind.lower_is_better else frame
    if "ditandai" in frame:  # a figure that cannot be true is never "the highest" (left_out_note says so)
        frame = frame[~frame["ditandai"]]
    return frame.sort_values("nilai", ascending=not ind.lower_is_better, kind="stable").head(n)


def scope_coverage(run: Runner, view: View, lang: str) -> str | None:
    """For a province's or the nation's totals: how many of its kab/kota are in the lake at all, by the
    national code list ("1 dari 10 kabupaten/kota ..."), or None for a kota."""
    if len(view.wilayah) >= 5:
        return None
    from pantau.lake import kode

    kotas = kota_options(run)
    inside = [k for k in kotas["kode"] if not view.wilayah or str(k).startswith(view.wilayah + ".")]
    return t("scope.coverage", lang, n=fmt.number(len(inside), lang),
             total=fmt.number(kode.kabkota_count(view.wilayah), lang), wilayah=view.wilayah_nama)


@dataclass
class MapModel:
    """Everything a choropleth needs: the class of each kelurahan, the colours and the legend."""

    frame: pd.DataFrame
    classes: np.ndarray
    colors: list[str]
    legend: list[dict]
    rule: str


def map_model(values: pd.DataFrame, ind: Indicator, measure: str, lang: str, method: str | None = None,
              texts: bool = True) -> MapModel:
    """Classes, colours, legend and tooltip text for every kelurahan of the kota (or part of a level map;
    `texts=False` leaves the formatted values out where nothing shows them: a map of thousands of desa)."""
    column = measure_columns(measure)[0]
    series = pd.to_numeric(values[column], errors="coerce").astype(float)
    flagged = values["ditandai"].to_numpy(dtype=bool) if "ditandai" in values else np.zeros(len(values), dtype=bool)
    # A figure that cannot be true takes no class colour and moves no class limit: its own class (FLAGGED).
    trusted = series.where(~flagged)
    breaks, rule = classes.class_breaks(ind, measure, trusted, method)
    kelas = np.where(flagged, classes.FLAGGED, classes.classify(trusted, breaks))
    colors = classes.palette(len(breaks) + 1)
    frame = values.copy()
    frame["nilai"] = series
    frame["ditandai"] = flagged
    held = pd.to_numeric(frame.get("tidak_mungkin", pd.Series(0, index=frame.index)), errors="coerce").fillna(0) > 0
    frame["catatan"] = [flag_reason(r, lang) for r in frame.to_dict("records")] if held.any() else ""
    frame["nilai_teks"] = [
        t("peta.no_report", lang) if np.isnan(v)
        else classes.format_measure(v, measure, lang) + (f" {FLAG}" if f else "")
        for v, f in zip(series, flagged)
    ] if texts else ""
    if "kecamatan" in frame:
        frame["keterangan"] = [t("peta.kecamatan_prefix", lang, nama=k) for k in frame["kecamatan"]]
    else:  # a level map: the part's parent (the province of a kab/kota, ...)
        frame["keterangan"] = frame["induk"].fillna("")
    frame["kelas"] = kelas
    legend = classes.legend_items(ind, measure, breaks, rule, kelas, lang)
    return MapModel(frame, kelas, colors, legend, rule)


def freshness(run: Runner, wilayah: str, today: dt.date) -> pd.DataFrame:
    """The last upload, the last month and the days since, per indicator and source of a wilayah."""
    return run("kesegaran_by_wilayah", wilayah_kode=wilayah, hari_ini=today)


def quality(run: Runner, kota: str, periode: str) -> pd.DataFrame:
    """The quality measures of one month, per kelurahan, kecamatan and the kota."""
    return run("kualitas_by_wilayah", kota_kode=kota, periode=fmt.period_date(periode))


def is_demo(run: Runner) -> bool:
    """Whether the lake holds demo figures."""
    status = run("lake_status")
    return bool(status.at[0, "demo"]) if len(status) else False


def values_table(model: MapModel, measure: str, lang: str, limit: int | None = None):
    """The values behind the map, one row per kelurahan (or per part of a level map), Indonesian headers
    and number formats; a level map adds how many desa/kelurahan reported.

    A pandas Styler: the grid shows 1.778 and 12,5 % while it still sorts by the numbers. With `limit`,
    only that many rows, the highest values first (a screen cannot show 83,246 desa; the download can).
    """
    # Worst first (every indicator here is better lower), code order among equals; a value a quality check
    # flags (a rate over 100 %) is not ranked worst but follows the trusted ones, marked; no report last.
    f = model.frame
    flagged = f["ditandai"].to_numpy(dtype=bool) if "ditandai" in f else False
    group = np.where(f["nilai"].isna(), 2, np.where(flagged, 1, 0))
    f = f.assign(_group=group).sort_values(["_group", "nilai", "kode"], ascending=[True, False, True],
                                           na_position="last", kind="stable").drop(columns="_group")
    if limit is not None and len(f) > limit:
        f = f.head(limit)
    level = "kelurahan" if "kecamatan" in f else f["tingkat"].iloc[0] if len(f) else "kota"
    parent = "kecamatan" if "kecamatan" in f else "induk"
    cols = {
        "kode": t("col.kode", lang), "nama": t(f"wilayah.level.{level}", lang) if parent == "induk" else t("col.kelurahan", lang),
        parent: t(f"col.{parent}", lang), "jumlah": t("col.jumlah", lang),
    }
    if level == "provinsi":  # a province has no wilayah above it in the table
        cols.pop(parent)
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
    if parent == "induk" and level != "kelurahan":
        out[t("col.melapor", lang)] = f["reporting"]
        out[t("col.seharusnya", lang)] = f["expected"]
        formats[t("col.melapor", lang)] = formats[t("col.seharusnya", lang)] = lambda v: fmt.number(v, lang)
    out[t("col.batas", lang)] = [t("batas.ada" if b else "batas.tidak_ada", lang) for b in f["has_boundary"]]
    if "catatan" in f and (f["catatan"] != "").any():  # next to the name, where a narrow screen still shows it
        out.insert(2, t("col.periksa", lang), f["catatan"].to_numpy())
    return out.style.format(formats, na_rep=fmt.MISSING)
