"""An upload in words, for the Data page and for ingest's own messages: what it holds, when it was made."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pantau.domain.catalog import INDICATORS, SOURCES, source_label
from pantau.i18n import TEXTS, t
from pantau.render import fmt


def describe(record: dict, lang: str = "id", kota_nama: str | None = None) -> str:
    """What an upload (or the upload an undo undid) holds, in words: "Stunting, Resmi, Agustus 2025, Kota Bontang"."""
    indikator, jenis = record.get("indikator"), record.get("jenis")
    if indikator in INDICATORS:
        parts = [INDICATORS[indikator].text("short_label", lang)]
        if jenis == "records":
            parts[0] += f" ({t('data.kind.records', lang)})"
    elif isinstance(indikator, str) and f"data.kind.{indikator}" in TEXTS:
        parts = [t(f"data.kind.{indikator}", lang)]
    elif isinstance(jenis, str) and jenis != "batal" and f"data.kind.{jenis}" in TEXTS:
        parts = [t(f"data.kind.{jenis}", lang)]
    else:
        parts = []
    if record.get("sumber") in SOURCES:
        parts.append(source_label(record["sumber"], lang))
    periode, tahun = record.get("periode"), record.get("tahun")
    if not absent(periode):
        day = dt.date.fromisoformat(periode[:10]) if isinstance(periode, str) else pd.Timestamp(periode).date()
        parts.append(fmt.period(day, lang))
    elif not absent(tahun):
        parts.append(str(int(tahun)))
    kota = kota_nama or record.get("kota_kode")
    if isinstance(kota, str) and kota:
        parts.append(kota)
    return ", ".join(parts)


def uploaded_at(record: dict, lang: str = "id") -> str:
    """When an upload was made, on the kota's clock: 1 Des 2026 02.30 WITA."""
    return fmt.time_local(record.get("diunggah"), record.get("kota_kode"), lang)


def absent(value) -> bool:
    """None, NaN, NaT or pd.NA (what a log row read through pandas holds for "no value")."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))
