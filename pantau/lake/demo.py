"""A deterministic demo of four real cities, calibrated to what their news articles say (demo_calibration).

Here: the rows of each table, generated from that calibration, and the builder that writes them to a lake.
Boundaries and codes are real (data/wilayah); every figure is generated and marked as demo.
"""

from __future__ import annotations

import datetime as dt
import zlib

import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from pantau.lake import geo
from pantau.lake.demo_calibration import (
    BANJIR_EVENTS,
    BASE_RATE,
    BONTANG_PRIORITY,
    BONTANG_PROGRAM_START,
    CALIBRATION,
    DEMO_AKSI,
    DEMO_EFFECT,
    DEMO_KOTA,
    DEMO_MARKED,
    DRAINASE_POINTS,
    FIRST_PERIOD,
    HEAPING,
    IMPOSSIBLE,
    LAST_PERIOD,
    LATE,
    OUTLIERS,
    PRIORITY_INDICATOR,
    RAIN_WEIGHTS,
    SOURCES,
)
from pantau.lake.store import Lake


def periods() -> list[dt.date]:
    """Every month of the demo, first day of each."""
    return list(pd.date_range(FIRST_PERIOD, LAST_PERIOD, freq="MS").date)


def _rng(*key) -> np.random.Generator:
    """A generator seeded by a stable hash of the key, so every run gives the same demo."""
    return np.random.default_rng(zlib.crc32("|".join(map(str, key)).encode()))


def _kelurahan_profile(wilayah: pd.DataFrame, kota: str, population: int) -> pd.DataFrame:
    """Population, children and households per kelurahan, split from the kota's real total."""
    kel = wilayah[(wilayah["tingkat"] == "kelurahan") & (wilayah["kota_kode"] == kota)].copy()
    rng = _rng("profile", kota)
    area = kel["luas_km2"].fillna(kel["luas_km2"].median()).to_numpy()
    weight = area ** 0.3 * rng.lognormal(0, 0.5, len(kel))
    kel["penduduk"] = population * weight / weight.sum()
    kel["risk"] = rng.lognormal(0, 0.45, len(kel))
    kel["risk"] /= kel["risk"].mean()
    return kel[["kode", "penduduk", "risk"]].reset_index(drop=True)


def _apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers proportional to the weights that add up to exactly the total."""
    share = weights / weights.sum() * total
    base = np.floor(share).astype(int)
    order = np.argsort(-(share - base), kind="stable")
    base[order[: total - base.sum()]] += 1
    return base


def _denominator(indicator: str, sumber: str, penduduk: np.ndarray) -> np.ndarray:
    if indicator == "stunting":  # children 0-59 months measured (posyandu, or door to door)
        return penduduk * 0.085 * (0.72 if sumber == "resmi" else 0.80)
    if indicator == "putus_sekolah":  # children aged 7-18
        return penduduk * 0.21
    return penduduk / 3.7  # households


def _trend(indicator: str, months: np.ndarray, dates: list[dt.date]) -> np.ndarray:
    """A slow decline over time, with a July-September bump for school drop-outs."""
    years = months / 12.0
    if indicator == "stunting":
        return 1.06 - 0.04 * years
    if indicator == "putus_sekolah":
        bump = np.array([1.12 if d.month in (7, 8, 9) else 1.0 for d in dates])
        return (1.05 - 0.03 * years) * bump
    started = np.array([d >= BONTANG_PROGRAM_START for d in dates])
    since = np.maximum(0, months - 15) / 12.0
    return np.where(started, 1.0 - 0.18 * since, 1.0)


def nilai_rows(wilayah: pd.DataFrame, population: dict[str, int]) -> pd.DataFrame:
    """Monthly counts and denominators for every kelurahan, indicator and source."""
    dates = periods()
    months = np.arange(len(dates))
    frames = []
    for kota in DEMO_KOTA:
        prof = _kelurahan_profile(wilayah, kota, population[kota])
        for indicator, by_kota in BASE_RATE.items():
            risk = prof["risk"].to_numpy().copy()
            if kota == "64.74" and indicator == "kemiskinan_ekstrem":
                priority = prof["kode"].isin(BONTANG_PRIORITY).to_numpy()
                risk = np.where(priority, 6.0 + np.arange(len(risk)) % 4, np.minimum(risk, 1.4))
            trend = _trend(indicator, months, dates)
            for sumber in SOURCES:
                rng = _rng("nilai", kota, indicator, sumber)
                noise = rng.lognormal(0, 0.12, len(prof))  # each source sees kelurahan a bit differently
                denom = _denominator(indicator, sumber, prof["penduduk"].to_numpy())
                denom_t = np.rint(np.outer(1 + 0.002 * months, denom) * rng.uniform(0.97, 1.03, (len(dates), len(prof))))
                lam = denom_t * by_kota[kota][sumber] / 100 * (risk * noise)[None, :] * trend[:, None]
                calibrated = {dates.index(when): total for (ind, src, k, when), total in CALIBRATION.items()
                              if (ind, src, k) == (indicator, sumber, kota)}
                for i, total in calibrated.items():
                    lam *= total / lam[i].sum()  # the whole series at the level the article reports
                counts = rng.poisson(lam)
                for i, total in calibrated.items():
                    counts[i] = _apportion(total, lam[i])
                counts = np.minimum(counts, denom_t)
                frame = pd.DataFrame({
                    "kelurahan_kode": np.tile(prof["kode"].to_numpy(), len(dates)),
                    "kota_kode": kota,
                    "indikator": indicator,
                    "periode": np.repeat(dates, len(prof)),
                    "sumber": sumber,
                    "jumlah": counts.ravel().astype("int64"),
                    "penyebut": denom_t.ravel().astype("int64"),
                })
                frame["upload_id"] = [f"demo-{kota}-{indicator}-{sumber}-{d:%Y-%m}" for d in frame["periode"]]
                frames.append(_drop_missing(frame, kota, indicator, sumber))
    nilai = _quality_problems(pd.concat(frames, ignore_index=True))
    return _bontang_priority_on_top(nilai)


def _quality_problems(nilai: pd.DataFrame) -> pd.DataFrame:
    """Add the rounding, outliers, impossible values and late source set in demo_calibration."""
    kota = nilai["kelurahan_kode"].str.slice(0, 5)
    for k, (indicator, sumber, n) in HEAPING.items():
        kel = sorted(nilai.loc[kota == k, "kelurahan_kode"].unique())
        chosen = _rng("heaping", k).choice(kel, n, replace=False)
        mask = (kota == k) & nilai["kelurahan_kode"].isin(chosen) & (nilai["indikator"] == indicator) & (nilai["sumber"] == sumber)
        nilai.loc[mask, "jumlah"] = (nilai.loc[mask, "jumlah"] / 5).round().astype("int64") * 5
    last = nilai["periode"] == LAST_PERIOD
    for k, n in OUTLIERS.items():
        pool = nilai[(kota == k) & last & (nilai["indikator"] == "putus_sekolah") & (nilai["sumber"] == "resmi") & (nilai["jumlah"] >= 3)]
        idx = _rng("outlier", k).choice(pool.index, n, replace=False)
        nilai.loc[idx, "jumlah"] = nilai.loc[idx, "jumlah"] * 3 + 5
    for k, n in IMPOSSIBLE.items():
        pool = nilai[(kota == k) & last & (nilai["indikator"] == "stunting") & (nilai["sumber"] == "lapangan") & (nilai["jumlah"] >= 2)]
        idx = _rng("impossible", k).choice(pool.index, n, replace=False)
        nilai.loc[idx, "penyebut"] = nilai.loc[idx, "jumlah"] - 1
    k, indicator, sumber, since = LATE
    late = (kota == k) & (nilai["indikator"] == indicator) & (nilai["sumber"] == sumber) & (nilai["periode"] > since)
    return nilai[~late].reset_index(drop=True)


def _drop_missing(frame: pd.DataFrame, kota: str, indicator: str, sumber: str) -> pd.DataFrame:
    """Remove a few kelurahan-months (not reported is missing, not zero), as real feeds do."""
    rng = _rng("missing", kota, indicator, sumber)
    last = frame["periode"] == LAST_PERIOD
    # The newest month of field data is still coming in; older months lose a few reports.
    p_missing = np.where(last, 0.12 if sumber == "lapangan" else 0.04, 0.015)
    drop = rng.random(len(frame)) < p_missing
    keep_whole = [
        when for (ind, src, k, when) in CALIBRATION if (ind, src, k) == (indicator, sumber, kota)
    ]
    drop &= ~frame["periode"].isin(keep_whole).to_numpy()
    if kota == "64.74" and indicator == "kemiskinan_ekstrem":
        drop &= ~frame["kelurahan_kode"].isin(BONTANG_PRIORITY).to_numpy()
    return frame[~drop]


def _bontang_priority_on_top(nilai: pd.DataFrame) -> pd.DataFrame:
    """Keep Bontang's four priority kelurahan the four with the most extreme poverty in every month."""
    mask = (nilai["indikator"] == "kemiskinan_ekstrem") & nilai["kelurahan_kode"].str.startswith("64.74.")
    sub = nilai[mask]
    is_priority = sub["kelurahan_kode"].isin(BONTANG_PRIORITY)
    floor = sub[is_priority].groupby(["periode", "sumber"])["jumlah"].min().rename("floor")
    joined = sub.join(floor, on=["periode", "sumber"])
    capped = np.where(is_priority, joined["jumlah"], np.minimum(joined["jumlah"], joined["floor"] - 1))
    nilai.loc[mask, "jumlah"] = np.maximum(capped, 0)
    return nilai


def _random_point_in(geom, rng: np.random.Generator) -> tuple[float, float]:
    minx, miny, maxx, maxy = geom.bounds
    while True:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if geom.contains(shapely.Point(x, y)):
            return round(x, 6), round(y, 6)


def drainase_rows(wilayah: pd.DataFrame) -> pd.DataFrame:
    """Drainage problem points inside the right kelurahan, reported mostly in the rainy months."""
    rows = []
    month_starts = periods()
    end = LAST_PERIOD + dt.timedelta(days=30)
    for kota in DEMO_KOTA:
        rng = _rng("drainase", kota)
        kel = wilayah[(wilayah["tingkat"] == "kelurahan") & (wilayah["kota_kode"] == kota)
                      & wilayah["geometry"].notna()].reset_index(drop=True)
        shapes = geo.shapes(kel["geometry"])
        pick = np.sqrt(kel["luas_km2"].to_numpy()) * rng.lognormal(0, 0.6, len(kel))
        weights = np.array(RAIN_WEIGHTS.get(kota, RAIN_WEIGHTS["default"]))
        month_p = weights[[d.month - 1 for d in month_starts]]
        month_p = month_p / month_p.sum()
        for i in range(DRAINASE_POINTS[kota]):
            k = rng.choice(len(kel), p=pick / pick.sum())
            lon, lat = _random_point_in(shapes[k], rng)
            start = month_starts[rng.choice(len(month_starts), p=month_p)]
            reported = start + dt.timedelta(days=int(rng.integers(0, 28)))
            age = (end - reported).days
            roll = rng.random()
            if roll < min(0.85, age / 420):
                status, changed = "selesai", reported + dt.timedelta(days=int(rng.integers(10, 150)))
            elif roll < min(0.95, age / 420 + 0.3):
                status, changed = "ditangani", reported + dt.timedelta(days=int(rng.integers(3, 40)))
            else:
                status, changed = "dilaporkan", reported
            rows.append({
                "id": f"DRN-{kota}-{i + 1:04d}",
                "lon": lon,
                "lat": lat,
                "kelurahan_kode": kel.at[k, "kode"],
                "kota_kode": kota,
                "kondisi": rng.choice(["tersumbat", "tidak_berfungsi", "belum_ada"], p=[0.5, 0.3, 0.2]),
                "status": status,
                "tanggal_lapor": reported,
                "status_tanggal": min(changed, end),
                "sumber": "resmi" if rng.random() < 0.4 else "lapangan",
                "pelapor": None,
                "upload_id": f"demo-{kota}-drainase",
            })
    frame = pd.DataFrame(rows)
    # Who reported each point (an office for official reports, a kelurahan or an RT in the field); its
    # own random stream, so the points themselves stay as they were.
    reporters = {"resmi": ["Dinas PUPR", "BPBD", "Dinas PUPR"], "lapangan": ["Kelurahan", "RT 03", "RT 07", "warga"]}
    for kota in DEMO_KOTA:
        rng = _rng("pelapor", kota)
        mine = frame["kota_kode"] == kota
        frame.loc[mine, "pelapor"] = [reporters[s][rng.integers(len(reporters[s]))] for s in frame.loc[mine, "sumber"]]
    return frame



def banjir_rows(drainase: pd.DataFrame) -> pd.DataFrame:
    """Last rainy season's floods, so a planner sees whether they sat on this year's open points."""
    rows = []
    for kota in DEMO_KOTA:
        rng = _rng("banjir", kota)
        mine = drainase[drainase["kota_kode"] == kota]
        busiest = mine["kelurahan_kode"].value_counts()
        weights = busiest.to_numpy() ** 2 / (busiest.to_numpy() ** 2).sum()
        peak = RAIN_WEIGHTS.get(kota, RAIN_WEIGHTS["default"])
        months = np.array(peak) / sum(peak)
        for i in range(BANJIR_EVENTS[kota]):
            kode = busiest.index[rng.choice(len(busiest), p=weights)]
            point = mine[mine["kelurahan_kode"] == kode].iloc[int(rng.integers((mine["kelurahan_kode"] == kode).sum()))]
            month = int(rng.choice(12, p=months)) + 1
            year = 2026 if month <= 6 else 2025
            rows.append({"id": f"demo-banjir-{kota}-{i}", "kota_kode": kota, "kelurahan_kode": kode,
                         "tanggal": dt.date(year, month, int(rng.integers(1, 28))),
                         "kedalaman_cm": float(rng.choice([20, 30, 40, 50, 70, 100])),
                         "rumah_terdampak": int(rng.integers(5, 180)),
                         "lon": float(point["lon"]) + rng.normal(0, 0.002), "lat": float(point["lat"]) + rng.normal(0, 0.002),
                         "upload_id": f"demo-{kota}-banjir"})
    return pd.DataFrame(rows)


def uploads_rows(nilai: pd.DataFrame, drainase: pd.DataFrame) -> pd.DataFrame:
    """One upload per monthly file the OPDs and the field would have sent."""
    counts = (nilai.groupby(["upload_id", "kota_kode", "indikator", "sumber", "periode"])
              .size().reset_index(name="baris"))
    days = np.where(counts["sumber"] == "resmi", 9, 14)
    next_month = pd.to_datetime(counts["periode"]) + pd.offsets.MonthBegin(1)
    counts["diunggah"] = (next_month + pd.to_timedelta(days, unit="D") + pd.Timedelta(hours=3)).dt.tz_localize("UTC")
    counts["jenis"] = "nilai"
    counts["tabel"] = "nilai"
    drn = drainase.groupby(["upload_id", "kota_kode"]).size().reset_index(name="baris")
    drn["indikator"] = "drainase"
    drn["sumber"] = "campuran"
    drn["diunggah"] = pd.Timestamp(LAST_PERIOD + dt.timedelta(days=40), tz="UTC")
    drn["jenis"] = "drainase"
    drn["tabel"] = "drainase"
    out = pd.concat([counts, drn], ignore_index=True)
    out["nama_berkas"] = "demo (" + out["upload_id"] + ")"
    out["demo"] = True
    for column in ("sha256", "tahun", "pengguna", "versi", "membatalkan"):
        out[column] = None
    return out



def priority_effect(nilai: pd.DataFrame) -> pd.DataFrame:
    """Lower extreme poverty in the demo's priority kelurahan after they were marked."""
    out = nilai.copy()
    span = (LAST_PERIOD.year - DEMO_MARKED.year) * 12 + LAST_PERIOD.month - DEMO_MARKED.month + 1
    for kode, left_at_end in DEMO_EFFECT.items():
        for month in range(span):
            periode = (pd.Timestamp(DEMO_MARKED) + pd.DateOffset(months=month)).date()
            left = 1 + (left_at_end - 1) * (month + 1) / span
            rows = (out["kelurahan_kode"] == kode) & (out["indikator"] == PRIORITY_INDICATOR) & (out["periode"] == periode)
            out.loc[rows, "jumlah"] = (out.loc[rows, "jumlah"] * left).round().astype(out["jumlah"].dtype)
    return out


def follow_up_rows(wilayah: pd.DataFrame, nilai: pd.DataFrame) -> tuple[pa.Table, pa.Table]:
    """Bontang's priority kelurahan and each city's rakor actions, so the two pages are not empty."""
    from pantau.lake.schema import SCHEMAS

    kel = wilayah[wilayah["tingkat"] == "kelurahan"]
    codes = {(k[:5], n): k for k, n in zip(kel["kode"], kel["nama"])}
    stamp = pd.Timestamp(LAST_PERIOD + dt.timedelta(days=40), tz="UTC")
    base_month = (DEMO_MARKED - dt.timedelta(days=1)).replace(day=1)
    prior = []
    for i, kode in enumerate(BONTANG_PRIORITY):
        kota, indicator = kode[:5], PRIORITY_INDICATOR
        hit = nilai[(nilai["kelurahan_kode"] == kode) & (nilai["indikator"] == indicator)
                    & (nilai["sumber"] == "lapangan") & (nilai["periode"] == base_month)].iloc[0]
        prior.append({"prioritas_id": f"demo-p{i}", "versi": 1, "diubah": stamp, "pengguna": None, "asal": "demo",
                      "kota_kode": kota, "kelurahan_kode": kode, "indikator": indicator, "sumber": "lapangan",
                      "ukuran": "rate", "baseline": 100.0 * hit["jumlah"] / hit["penyebut"],
                      "baseline_periode": base_month, "target": 0.0, "ditandai": DEMO_MARKED,
                      "tenggat": DEMO_MARKED + dt.timedelta(days=100), "aktif": True})
    actions = []
    for kota_kode, rows in DEMO_AKSI.items():
        for i, (apa, opd, places, ind, rakor, tenggat, status, note) in enumerate(rows):
            first = {"aksi_id": f"demo-{kota_kode}-{i}", "versi": 1, "diubah": stamp, "pengguna": None,
                     "asal": "demo", "kota_kode": kota_kode, "apa": apa,
                     "tanggal_rakor": dt.date.fromisoformat(rakor), "opd": opd,
                     "kelurahan": sorted(codes[(kota_kode, n)] for n in places), "indikator": ind,
                     "tenggat": dt.date.fromisoformat(tenggat), "status": "belum_mulai", "catatan": None,
                     "catatan_tanggal": None}
            actions.append(first)
            if status != "belum_mulai" or note:
                # A second version, as when the OPD reported at the next rakor: the history shows both.
                actions.append({**first, "versi": 2, "diubah": stamp + pd.Timedelta(days=7), "status": status, "catatan": note,
                                "catatan_tanggal": dt.date.fromisoformat(tenggat) - dt.timedelta(days=10) if note else None})
    return (pa.Table.from_pylist(prior, SCHEMAS["prioritas"]), pa.Table.from_pylist(actions, SCHEMAS["tindak_lanjut"]))


def build(lake: Lake, force: bool = False) -> bool:
    """Write the demo into the lake; False when the lake already holds data and force is off."""
    if not force and not lake.is_empty():
        return False
    gdf = geo.load_wilayah(kota_kodes=DEMO_KOTA)
    wilayah_tbl = geo.wilayah_table(gdf)
    wilayah = wilayah_tbl.to_pandas()
    population = (
        pd.read_csv(geo.settings.WILAYAH_DIR / "penduduk_kabkota.csv", dtype={"kode": str})
        .set_index("kode")["total"].to_dict()
    )
    nilai = priority_effect(nilai_rows(wilayah, population))
    drainase = drainase_rows(wilayah)
    uploads = uploads_rows(nilai, drainase)
    lake.write("wilayah", wilayah_tbl, mode="overwrite")
    lake.write("nilai", pa.Table.from_pandas(nilai, preserve_index=False), mode="overwrite")
    lake.write("drainase", pa.Table.from_pandas(drainase, preserve_index=False), mode="overwrite")
    lake.write("uploads", pa.Table.from_pandas(uploads, preserve_index=False), mode="overwrite")
    lake.write("banjir", pa.Table.from_pandas(banjir_rows(drainase), preserve_index=False), mode="overwrite")
    prioritas, tindak_lanjut = follow_up_rows(wilayah, nilai)
    lake.write("prioritas", prioritas, mode="overwrite")
    lake.write("tindak_lanjut", tindak_lanjut, mode="overwrite")
    return True
