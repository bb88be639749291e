"""The audit log as an administrator reads it: local times, words for the codes, a filter."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from pantau import settings
from pantau.i18n import TEXTS, t
from pantau.render import fmt

# A kota code inside what was done ("pantau-64.74-stunting-…", "peta 64.74 …"), not part of a longer number.
_KOTA = re.compile(r"(?<![\d.])(\d{2}\.\d{2})(?!\d)")


def kota_of(objek) -> str | None:
    """The kota an entry is about, when its object names one."""
    match = _KOTA.search(objek) if isinstance(objek, str) else None
    return match.group(1) if match else None


def word(kind: str, code, lang: str) -> str:
    """A stored code in words ("unduh" → "Unduh"); a code without a text is shown as it is."""
    if not isinstance(code, str) or not code:
        return fmt.MISSING
    key = f"audit.{kind}.{code.replace(' ', '_')}"
    return t(key, lang) if key in TEXTS else code


def with_kota(log: pd.DataFrame, default_kota: str = settings.DEFAULT_KOTA) -> pd.DataFrame:
    """The log with the kota of each entry (the app's default kota when the entry names none) and its local time."""
    out = log.copy()
    named = [kota_of(o) for o in out["objek"]]
    out["kota"] = [k or default_kota for k in named]
    out["lokal"] = [fmt.local_time(w, k) for w, k in zip(out["waktu"], out["kota"])]
    return out


def filtered(log: pd.DataFrame, users: list[str], actions: list[str], dari: dt.date | None,
             sampai: dt.date | None) -> pd.DataFrame:
    """The entries of the chosen users and actions (all when none is chosen) between two local dates."""
    keep = pd.Series(True, index=log.index)
    if users:
        keep &= log["pengguna"].isin(users)
    if actions:
        keep &= log["aksi"].isin(actions)
    day = pd.Series([w.date() if w is not None else None for w in log["lokal"]], index=log.index, dtype=object)
    if dari is not None:
        keep &= day.map(lambda d: d is not None and d >= dari)
    if sampai is not None:
        keep &= day.map(lambda d: d is not None and d <= sampai)
    return log[keep]


def table(log: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """The entries (from with_kota) with headers in words, times on the kota's clock and codes in words."""
    return pd.DataFrame({
        t("audit.col.waktu", lang): [fmt.time_local(w, k, lang) for w, k in zip(log["waktu"], log["kota"])],
        t("audit.col.pengguna", lang): log["pengguna"].fillna(fmt.MISSING).to_numpy(),
        t("audit.col.peran", lang): [word("role", r, lang) for r in log["peran"]],
        t("audit.col.aksi", lang): [word("action", a, lang) for a in log["aksi"]],
        t("audit.col.objek", lang): log["objek"].fillna("").to_numpy(),
        t("audit.col.kota", lang): [names.get(k, k) for k in log["kota"]],
        t("audit.col.hasil", lang): [word("result", h, lang) for h in log["hasil"]],
    })
