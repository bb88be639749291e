"""Prioritas: a composite score per kelurahan, priority kelurahan with a target, and their progress."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from pantau.domain.catalog import INDICATORS, Indicator
from pantau.errors import InputError
from pantau.lake.store import Lake
from pantau.render import fmt

ON_TRACK_SLACK = 0.10  # progress may lag the calendar by 10 points and still be on track
AT_RISK_SLACK = 0.30
DEFAULT_DAYS = 100  # Bontang's "100 hari kerja"


def as_date(value) -> dt.date:
    """A date from what DuckDB or pandas hands back (a Timestamp, a datetime or a date)."""
    return pd.Timestamp(value).date()


def scaled(values: pd.Series, lower_is_better: bool) -> pd.Series:
    """Values on 0-100 across the kota, 100 for the worst kelurahan; 0 for all when they do not differ."""
    lo, hi = values.min(), values.max()
    if pd.isna(lo) or hi == lo:
        return values.where(values.isna(), 0.0)
    need = (values - lo) / (hi - lo) if lower_is_better else (hi - values) / (hi - lo)
    return 100.0 * need


def composite(values: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """The score per kelurahan: the weighted mean of the scaled indicators; no score when one is missing.

    Adds skala_<id> per indicator, skor, kurang (the weighted indicators without data) and peringkat
    (1 = most in need; none without a score, so a gap is never ranked as if it were zero).
    """
    used = [i for i, w in weights.items() if w > 0]
    out = values.copy()
    total = sum(weights[i] for i in used)
    skor = pd.Series(0.0, index=out.index)
    for ind_id in used:
        out[f"skala_{ind_id}"] = scaled(out[ind_id], INDICATORS[ind_id].lower_is_better)
        skor += weights[ind_id] * out[f"skala_{ind_id}"]
    missing = out[used].isna().to_numpy() if used else np.zeros((len(out), 0), dtype=bool)
    out["kurang"] = [[i for i, gone in zip(used, row) if gone] for row in missing]
    out["skor"] = (skor / total).where(out["kurang"].str.len() == 0) if total else np.nan
    out["peringkat"] = out["skor"].rank(ascending=False, method="min").astype("Int64")
    return out.sort_values(["peringkat", "nama"], na_position="last").reset_index(drop=True)


def progress(baseline: float, latest: float | None, target: float) -> float | None:
    """The share of the way from baseline to target done (0 at marking, 1 at target; negative when worse)."""
    if latest is None or pd.isna(latest):
        return None
    if baseline == target:
        return 1.0
    return (baseline - latest) / (baseline - target)


def reached(latest: float | None, target: float, ind: Indicator) -> bool:
    if latest is None or pd.isna(latest):
        return False
    return latest <= target if ind.lower_is_better else latest >= target


def time_share(marked: dt.date, deadline: dt.date, today: dt.date) -> float:
    """The share of the time from marking to deadline already gone (0 to 1)."""
    span = (deadline - marked).days
    if span <= 0:
        return 1.0
    return min(max((today - marked).days / span, 0.0), 1.0)


def progress_status(done: float | None, gone: float, is_reached: bool, past_deadline: bool) -> str:
    """tercapai, lewat (deadline passed), tanpa_data, sesuai (on track), berisiko (at risk), tertinggal.

    On track: the share done is at most 10 points behind the share of time gone; at risk: at most 30.
    """
    if is_reached:
        return "tercapai"
    if past_deadline:
        return "lewat"
    if done is None:
        return "tanpa_data"
    if done >= gone - ON_TRACK_SLACK:
        return "sesuai"
    if done >= gone - AT_RISK_SLACK:
        return "berisiko"
    return "tertinggal"


def with_progress(priorities: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """The priority list with progress, share of time gone, days left and status."""
    out = priorities.copy()
    rows = []
    for r in out.itertuples():
        ind = INDICATORS[r.indikator]
        latest = None if pd.isna(r.terakhir) else float(r.terakhir)
        marked, deadline = as_date(r.ditandai), as_date(r.tenggat)
        done = progress(r.baseline, latest, r.target)
        gone = time_share(marked, deadline, today)
        is_reached = reached(latest, r.target, ind)
        rows.append({"kemajuan": done, "waktu": gone, "sisa_hari": (deadline - today).days,
                     "status": progress_status(done, gone, is_reached, today > deadline)})
    extra = pd.DataFrame(rows, columns=["kemajuan", "waktu", "sisa_hari", "status"], index=out.index)
    return pd.concat([out, extra], axis=1)


def check_target(ind: Indicator, ukuran: str, baseline: float, target: float, deadline: dt.date,
                 today: dt.date) -> None:
    """InputError when a target cannot be a target: not better than the baseline, impossible, or past."""
    if target is None or math.isnan(target) or target < 0 or (ukuran == "rate" and target > 100):
        raise InputError("prioritas.bad_target", target=target)
    better = target < baseline if ind.lower_is_better else target > baseline
    if not better and not (target == baseline == 0):
        raise InputError("prioritas.target_not_better", target=target, baseline=baseline)
    if deadline <= today:
        raise InputError("prioritas.deadline_past", deadline=deadline.isoformat())


def mark(lake: Lake, kota: str, kelurahan_kode: str, ind: Indicator, sumber: str, ukuran: str, baseline: float,
         baseline_periode: dt.date, target: float, deadline: dt.date, today: dt.date,
         pengguna: str | None = None) -> dict:
    """Store a kelurahan as a priority with its baseline, target and deadline."""
    if baseline is None or pd.isna(baseline):
        raise InputError("prioritas.no_baseline")
    check_target(ind, ukuran, baseline, target, deadline, today)
    record = {"kota_kode": kota, "kelurahan_kode": kelurahan_kode, "indikator": ind.id, "sumber": sumber,
              "ukuran": ukuran, "baseline": float(baseline), "baseline_periode": baseline_periode,
              "target": float(target), "ditandai": today, "tenggat": deadline, "aktif": True}
    return lake.save_versions("prioritas", [record], pengguna)[0]


def unmark(lake: Lake, row: dict, pengguna: str | None = None) -> dict:
    """Take a kelurahan off the priority list (a new version, so the history stays)."""
    keep = ("prioritas_id", "versi", "kota_kode", "kelurahan_kode", "indikator", "sumber", "ukuran", "baseline",
            "baseline_periode", "target", "ditandai", "tenggat")
    return lake.save_versions("prioritas", [{**{k: row[k] for k in keep}, "aktif": False}], pengguna)[0]


def formula_text(weights: dict[str, float], periode: str, sumber: str, lang: str) -> str:
    """The score's formula with the weights in use, in plain words."""
    from pantau.domain.catalog import source_label
    from pantau.i18n import t

    used = [(INDICATORS[i], w) for i, w in weights.items() if w > 0]
    terms = " + ".join(f"{w:g} × {ind.text('short_label', lang)}" for ind, w in used)
    return t("prioritas.formula", lang, terms=terms, total=f"{sum(w for _, w in used):g}",
             periode=fmt.period(periode, lang), sumber=source_label(sumber, lang))


def ranking_table(scores: pd.DataFrame, weights: dict[str, float], lang: str) -> pd.DataFrame:
    """The ranking as a person reads it: rank, kelurahan, score, each indicator's value, what is missing."""
    from pantau.domain import classes
    from pantau.i18n import t

    table = pd.DataFrame({
        t("pcol.peringkat", lang): scores["peringkat"],
        t("pcol.kelurahan", lang): scores["nama"],
        t("pcol.kecamatan", lang): scores["kecamatan"],
        t("pcol.skor", lang): scores["skor"].round(1),
    })
    for ind_id, w in weights.items():
        if w <= 0:
            continue
        ind = INDICATORS[ind_id]
        table[ind.text("short_label", lang)] = [
            "–" if pd.isna(v) else classes.format_measure(v, ind.score_measure, lang) for v in scores[ind_id]]
    def note(missing, flagged):
        flagged = list(flagged) if isinstance(flagged, list) else []
        gone = [i for i in missing if i not in flagged]
        parts = [t("prioritas.flagged", lang, names=", ".join(INDICATORS[i].text("short_label", lang) for i in flagged))] \
            if flagged else []
        if gone:
            parts.append(t("prioritas.missing", lang, names=", ".join(INDICATORS[i].text("short_label", lang) for i in gone)))
        return " · ".join(parts)

    flags = scores["ditandai"] if "ditandai" in scores else [[]] * len(scores)
    table[t("pcol.catatan", lang)] = [note(k, f) for k, f in zip(scores["kurang"], flags)]
    return table


def progress_table(priorities: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The priority list with baseline, latest, target, progress, days left and status."""
    from pantau.domain import classes
    from pantau.domain.catalog import PROGRESS_STATUSES
    from pantau.i18n import t

    def value(v, ukuran):
        return "–" if v is None or pd.isna(v) else classes.format_measure(v, ukuran, lang)

    return pd.DataFrame({
        t("pcol.kelurahan", lang): priorities["nama"],
        t("pcol.indikator", lang): [INDICATORS[i].text("short_label", lang) for i in priorities["indikator"]],
        t("pcol.awal", lang): [value(v, u) for v, u in zip(priorities["baseline"], priorities["ukuran"])],
        t("pcol.terakhir", lang): [value(v, u) for v, u in zip(priorities["terakhir"], priorities["ukuran"])],
        t("pcol.target", lang): [value(v, u) for v, u in zip(priorities["target"], priorities["ukuran"])],
        t("pcol.kemajuan", lang): ["–" if pd.isna(v) else fmt.rate(100 * v, lang, 0) for v in priorities["kemajuan"]],
        t("pcol.waktu", lang): [fmt.rate(100 * v, lang, 0) for v in priorities["waktu"]],
        t("pcol.tenggat", lang): [fmt.day(as_date(d), lang) for d in priorities["tenggat"]],
        t("pcol.sisa", lang): priorities["sisa_hari"],
        t("pcol.status", lang): [PROGRESS_STATUSES[s][lang] for s in priorities["status"]],
    })


def default_target(ind: Indicator, value: float | None) -> float:
    """A first target to edit: the indicator's target when it is better than now, else a fifth better."""
    if value is None:
        return 0.0
    if ind.target is not None and (ind.target < value if ind.lower_is_better else ind.target > value):
        return float(ind.target)
    return round(value * (0.8 if ind.lower_is_better else 1.2), 1)


def ranking_style(table: pd.DataFrame, lang: str):
    """The ranking with Indonesian number formats, still sorting by the numbers."""
    from pantau.i18n import t

    return table.style.format({t("pcol.skor", lang): lambda v: fmt.number(v, lang, 1)}, na_rep="–")
