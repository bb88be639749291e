"""What each page shows, computed from query results; no Streamlit here, so it runs in tests and the CLI.

Every function takes `run(name, **params) -> DataFrame`, the query runner of the caller.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from pantau import settings
from pantau.domain import classes
from pantau.render import fmt
from pantau.domain.quality import badge as quality_badge
from pantau.domain.quality import badge_html, lateness
from pantau.domain.catalog import INDICATORS, SOURCES, Indicator, source_label
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


def chosen(frame: pd.DataFrame, **choices) -> pd.Series:
    """Which rows have, in each named column, one of the chosen values (every row where none was chosen)."""
    keep = pd.Series(True, index=frame.index)
    for column, values in choices.items():
        if values:
            keep &= frame[column].isin(values)
    return keep


def kota_options(run: Runner) -> pd.DataFrame:
    """The kota in the lake: kode, nama and kelurahan counts."""
    return run("kota_list")


def recent_months(today: dt.date, count: int = 48) -> list[dt.date]:
    """The first day of this month and of the months before it, newest first (for an upload)."""
    months = pd.period_range(end=pd.Period(today, freq="M"), periods=count, freq="M")
    return [m.to_timestamp().date() for m in reversed(months)]


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
    return View(kota, names.get(kota, kota), ind_id, periode, sumber, ukuran, lang, notices, kelas,
                wilayah, wilayah_nama, lingkup, periode_auto)


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


def wilayah_summary(run: Runner, wilayah: str, periode: str) -> dict:
    """Totals of every indicator and source over a wilayah (province, kota or kecamatan code): count,
    denominator, rate, reporting kelurahan, and the wilayah's kelurahan count and area."""
    rows = run("indikator_by_wilayah", wilayah_kode=wilayah, periode=fmt.period_date(periode))
    total = int(rows["kelurahan_total"].iloc[0]) if len(rows) else 0
    luas = float(rows["luas_km2"].iloc[0]) if len(rows) and pd.notna(rows["luas_km2"].iloc[0]) else None
    rows = rows.dropna(subset=["indikator"])
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


def tiles(run: Runner, wilayah: str, periode: str, sumber: str) -> list[Tile]:
    """A tile per indicator for the chosen source over a wilayah, against last month and the target.

    An indicator with no figure of this source in the month shows its own newest earlier month
    instead, and says which (`Tile.periode`): one office uploading November does not blank the
    offices still on October."""
    summaries: dict[str, dict] = {}

    def summary(month: str) -> dict:
        if month not in summaries:
            summaries[month] = wilayah_summary(run, wilayah, month)
        return summaries[month]

    other = "resmi" if sumber == "lapangan" else "lapangan"
    series = wilayah_series(run, wilayah, sumber, periode, months=12)
    out = []
    for ind in INDICATORS.values():
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
    return f"{FLAG} " + t("flag.impossible_many", lang, n=fmt.number(int(row.get("tidak_mungkin") or 1), lang))


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
_WILAYAH_CODE = re.compile(r"^(\d{2}(\.\d{2}(\.\d{2})?)?)?$")


def level_choices(wilayah: str) -> list[str]:
    """The levels a map of a wilayah can show: its direct parts first, down to desa/kelurahan."""
    depth = {0: 0, 2: 1, 5: 2, 8: 3}.get(len(wilayah), 3)
    return list(LEVEL_ORDER[depth:])


def outline_level(wilayah: str, level: str) -> str | None:
    """The level drawn as lines over a map: the wilayah's direct parts, when the map shows smaller ones."""
    direct = level_choices(wilayah)[0]
    return direct if direct != level else None


def valid_wilayah(code: str | None, area: str | None) -> str:
    """A wilayah code for the level map: a province, kab/kota or kecamatan code, '' for the nation;
    anything else, or anything outside the user's area, becomes the area itself."""
    code = (code or "").strip()
    if not _WILAYAH_CODE.match(code):
        code = ""
    if area and not (code == area or code.startswith(area + ".")):
        return area[:8]
    return code


def kelurahan_values(run: Runner, view: View) -> pd.DataFrame:
    """The chosen indicator per kelurahan of the view's wilayah, this month and last month."""
    return part_values(run, view.wilayah, view.indikator, view.sumber, view.periode, previous_period(view.periode))


def measure_columns(measure: str) -> tuple[str, str]:
    """The columns of nilai_by_bagian that hold a measure now and last month."""
    if measure == "rate":
        return "rate", "rate_lalu"
    if measure == "per_km2":
        return "per_km2", "per_km2_lalu"
    return "jumlah", "jumlah_lalu"


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


def part_label(row, lang: str) -> str:
    """What a listed part is and where it lies: "Kec. Sail" under a kelurahan, "Kabupaten/kota ·
    Kalimantan Timur" under a kab/kota, "Provinsi" under a province."""
    level = getattr(row, "tingkat", "kelurahan") or "kelurahan"
    parent = getattr(row, "kecamatan", None)
    if level == "kelurahan":
        return f"Kec. {parent}" if not fmt.is_missing(parent) and parent else ""
    label = t(f"wilayah.level.{level}", lang)
    return f"{label} · {parent}" if not fmt.is_missing(parent) and parent else label


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


def highest_rows(top: pd.DataFrame, ind: Indicator, measure: str, lang: str) -> list[dict]:
    """Rows for cards.bar_table: the worst kelurahan with their value and count."""
    return [{
        "nama": r.nama, "kecamatan": r.kecamatan, "sub": part_label(r, lang), "magnitude": r.nilai,
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


def is_demo(run: Runner) -> bool:
    """Whether the lake holds demo figures."""
    status = run("lake_status")
    return bool(status.at[0, "demo"]) if len(status) else False


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


def values_table(model: MapModel, measure: str, lang: str, limit: int | None = None):
    """The values behind the map, one row per kelurahan (or per part of a level map), Indonesian headers
    and number formats; a level map adds how many desa/kelurahan reported.

    A pandas Styler: the grid shows 1.778 and 12,5 % while it still sorts by the numbers. With `limit`,
    only that many rows, the highest values first (a screen cannot show 83,246 desa; the download can).
    """
    # Worst first (every indicator here is better lower), code order among equals, no report last.
    f = model.frame.sort_values(["nilai", "kode"], ascending=[False, True], na_position="last", kind="stable")
    if limit is not None and len(f) > limit:
        f = f.head(limit)
    level = "kelurahan" if "kecamatan" in f else f["tingkat"].iloc[0] if len(f) else "kota"
    parent = "kecamatan" if "kecamatan" in f else "induk"
    cols = {
        "kode": t("col.kode", lang), "nama": t(f"wilayah.level.{level}", lang) if parent == "induk" else t("col.kelurahan", lang),
        parent: t(f"col.{parent}", lang), "jumlah": t("col.jumlah", lang),
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
    if parent == "induk" and level != "kelurahan":
        out[t("col.melapor", lang)] = f["reporting"]
        out[t("col.seharusnya", lang)] = f["expected"]
        formats[t("col.melapor", lang)] = formats[t("col.seharusnya", lang)] = lambda v: fmt.number(v, lang)
    out[t("col.batas", lang)] = [t("batas.ada" if b else "batas.tidak_ada", lang) for b in f["has_boundary"]]
    if "catatan" in f and (f["catatan"] != "").any():  # next to the name, where a narrow screen still shows it
        out.insert(2, t("col.periksa", lang), f["catatan"].to_numpy())
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



TREND_RANGES = {"12": 12, "24": 24, "semua": None}


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
