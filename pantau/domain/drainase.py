"""Drainase & banjir: where drains are clogged, broken or missing, what is still open before the rains."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pyarrow as pa

from pantau.domain.catalog import DRAINASE_CONDITIONS, DRAINASE_STATUSES, rainy_months
from pantau.domain.selection import chosen
from pantau.errors import InputError
from pantau.lake.store import Lake
from pantau.render import fmt

OPEN = ("dilaporkan", "ditangani")


def filtered(points: pd.DataFrame, kondisi: list[str], status: list[str], dari: dt.date | None,
             sampai: dt.date | None, kecamatan: list[str]) -> pd.DataFrame:
    """The points of the chosen conditions, statuses, kecamatan and report dates (all when none is chosen)."""
    keep = chosen(points, kondisi=kondisi, status=status, kecamatan_kode=kecamatan)
    reported = pd.to_datetime(points["tanggal_lapor"])
    if dari is not None:
        keep &= reported >= pd.Timestamp(dari)
    if sampai is not None:
        keep &= reported <= pd.Timestamp(sampai)
    return points[keep]


def per_kelurahan(points: pd.DataFrame, wilayah: pd.DataFrame) -> pd.DataFrame:
    """Per kelurahan: open points, in hand, fixed, all, open points per km² and the share fixed.

    wilayah is kelurahan_by_kota; every kelurahan gets a row (zero when it has no point: a real zero).
    """
    kel = wilayah[wilayah["tingkat"] == "kelurahan"]
    kecamatan = wilayah[wilayah["tingkat"] == "kecamatan"].set_index("kode")["nama"]
    counts = pd.crosstab(points["kelurahan_kode"], points["status"]).reindex(columns=list(DRAINASE_STATUSES),
                                                                             fill_value=0)
    out = pd.DataFrame({"kode": kel["kode"].to_numpy(), "nama": kel["nama"].to_numpy(),
                        "kecamatan": [kecamatan.get(p, "") for p in kel["parent_kode"]],
                        "has_boundary": kel["has_boundary"].to_numpy(), "luas_km2": kel["luas_km2"].to_numpy()})
    for status in DRAINASE_STATUSES:
        out[status] = out["kode"].map(counts[status]).fillna(0).astype(int).to_numpy()
    out["terbuka"] = out["dilaporkan"] + out["ditangani"]
    out["total"] = out["terbuka"] + out["selesai"]
    out["per_km2"] = out["terbuka"] / out["luas_km2"].where(out["luas_km2"] > 0)
    out["persen_selesai"] = 100.0 * out["selesai"] / out["total"].where(out["total"] > 0)
    return out


def per_kecamatan_open(points: pd.DataFrame) -> pd.DataFrame:
    """Open points per kecamatan and condition, the most first."""
    open_points = points[points["status"].isin(OPEN)]
    table = pd.crosstab(open_points["kecamatan"], open_points["kondisi"]).reindex(
        columns=list(DRAINASE_CONDITIONS), fill_value=0)
    table["terbuka"] = table.sum(axis=1)
    return table.sort_values("terbuka", ascending=False).reset_index()


def oldest_open(points: pd.DataFrame, n: int = 20) -> pd.DataFrame:
    """The open points that have waited longest since they were reported."""
    return points[points["status"].isin(OPEN)].sort_values("umur_hari", ascending=False).head(n)


def next_rain(kota_kode: str, today: dt.date) -> tuple[dt.date, dt.date, int]:
    """The start and end of the next (or current) rainy-season peak and the days until it starts (0 inside)."""
    months = rainy_months(kota_kode)
    for year in (today.year - 1, today.year, today.year + 1):
        # A peak may run over the new year (November to January): build it as consecutive months.
        start = dt.date(year, months[0], 1)
        last = pd.Timestamp(start) + pd.DateOffset(months=len(months)) - pd.Timedelta(days=1)
        if last.date() >= today:
            return start, last.date(), max((start - today).days, 0)
    raise AssertionError("unreachable")


def set_status(lake: Lake, kota: str, point_id: str, status: str, tanggal: dt.date, catatan: str | None,
               today: dt.date, pengguna: str | None = None) -> dict:
    """Record a point as in hand or fixed (or reopened) on a date: one commit, kept in the point's history."""
    if status not in DRAINASE_STATUSES:
        raise InputError("drainase.bad_status", status=status)
    if tanggal > today:
        raise InputError("drainase.future", tanggal=fmt.day(tanggal))
    note = " ".join(str(catatan or "").split())[:300] or None

    def merge(current: pa.Table) -> pa.Table:
        rows = current.to_pandas()
        hit = rows["id"] == point_id
        if not hit.any():
            raise InputError("drainase.unknown_point", id=point_id)
        reported = pd.Timestamp(rows.loc[hit, "tanggal_lapor"].iloc[0]).date()
        if tanggal < reported:
            raise InputError("drainase.before_report", tanggal=fmt.day(tanggal), lapor=fmt.day(reported))
        rows.loc[hit, "status"] = status
        rows.loc[hit, "status_tanggal"] = tanggal
        return pa.Table.from_pandas(rows, preserve_index=False)

    event = pa.table({"id": [point_id], "kota_kode": [kota], "status": [status], "tanggal": [tanggal],
                      "catatan": [note], "diubah": [dt.datetime.now(dt.timezone.utc)], "pengguna": [pengguna]})
    record = {"jenis": "status", "nama_berkas": f"status {point_id}"[:120], "sha256": None, "kota_kode": kota,
              "indikator": "drainase", "sumber": None, "periode": None, "tahun": None, "baris": 1,
              "pengguna": pengguna, "demo": False, "membatalkan": None}
    return lake.commit("drainase", {"kota_kode": kota}, None, record, merge=merge, also={"drainase_status": event})


def flood_frame(events: pd.DataFrame, labels: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Flood events placed at their point, or at their kelurahan's label point; sized by depth."""
    from pantau.i18n import t

    if events.empty:
        return events.assign(radius=[], nama=[], keterangan=[], nilai_teks=[])
    at = labels.set_index("kode")[["lon", "lat"]]
    out = events.copy()
    missing = out["lon"].isna() | out["lat"].isna()
    if missing.any():
        out.loc[missing, "lon"] = out.loc[missing, "kelurahan_kode"].map(at["lon"]).astype(float)
        out.loc[missing, "lat"] = out.loc[missing, "kelurahan_kode"].map(at["lat"]).astype(float)
    out = out[out["lon"].notna()]
    depth = out["kedalaman_cm"].fillna(30).clip(10, 150)
    out["radius"] = (6 + depth / 10).round(1)
    # A BPBD table gives a kelurahan's month (its events counted), not one event's day.
    monthly = out["kejadian"].notna() if "kejadian" in out else pd.Series(False, index=out.index)
    out["nama"] = [t("banjir.month", lang, bulan=fmt.period(pd.Timestamp(d).strftime("%Y-%m"), lang), n=fmt.number(n, lang))
                   if m else t("banjir.event", lang, tanggal=fmt.day(pd.Timestamp(d).date(), lang))
                   for d, m, n in zip(out["tanggal"], monthly, out.get("kejadian", monthly))]
    out["keterangan"] = out["kelurahan"]
    people = out["jiwa_terdampak"] if "jiwa_terdampak" in out else pd.Series(None, index=out.index, dtype=object)
    out["nilai_teks"] = [
        " · ".join(p for p in (t("banjir.depth", lang, cm=fmt.number(c, lang)) if not pd.isna(c) else "",
                               t("banjir.kk" if m else "banjir.households", lang, n=fmt.number(h, lang))
                               if not pd.isna(h) else "",
                               t("banjir.people", lang, n=fmt.number(j, lang)) if not pd.isna(j) else "") if p)
        for c, h, m, j in zip(out["kedalaman_cm"], out["rumah_terdampak"], monthly, people)]
    return out


def export_frame(points: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Points for the PUPR field team: id, place, coordinates, condition, status, dates, age."""
    from pantau.i18n import t

    return pd.DataFrame({
        t("dcol.id", lang): points["id"],
        t("dcol.kecamatan", lang): points["kecamatan"],
        t("dcol.kelurahan", lang): points["kelurahan"],
        t("dcol.lat", lang): points["lat"].round(6),
        t("dcol.lon", lang): points["lon"].round(6),
        t("dcol.kondisi", lang): [DRAINASE_CONDITIONS[k][lang] for k in points["kondisi"]],
        t("dcol.status", lang): [DRAINASE_STATUSES[s][lang] for s in points["status"]],
        t("dcol.lapor", lang): [fmt.day(pd.Timestamp(d).date(), lang) for d in points["tanggal_lapor"]],
        t("dcol.update", lang): [fmt.day(pd.Timestamp(d).date(), lang) for d in points["status_tanggal"]],
        t("dcol.umur", lang): points["umur_hari"],
        t("dcol.pelapor", lang): points["pelapor"].fillna(""),
    })


def geojson_bytes(points: pd.DataFrame) -> bytes:
    """The points as a GeoJSON FeatureCollection (WGS84), for GIS tools and field apps."""
    features = [{
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(float(r.lon), 6), round(float(r.lat), 6)]},
        "properties": {"id": r.id, "kelurahan_kode": r.kelurahan_kode, "kelurahan": r.kelurahan,
                       "kecamatan": r.kecamatan, "kondisi": r.kondisi, "status": r.status,
                       "tanggal_lapor": pd.Timestamp(r.tanggal_lapor).date().isoformat(),
                       "status_tanggal": pd.Timestamp(r.status_tanggal).date().isoformat(),
                       "umur_hari": int(r.umur_hari), "pelapor": r.pelapor if isinstance(r.pelapor, str) else None},
    } for r in points.itertuples()]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode("utf-8")


def countdown(kota_kode: str, today: dt.date, n_open: int, lang: str) -> tuple[str, bool]:
    """The sentence on the rainy season ahead, and whether it is near (within 60 days) or here."""
    from pantau.i18n import t

    start, end, days = next_rain(kota_kode, today)
    peak = rainy_months(kota_kode)
    months = "–".join(fmt.period(dt.date(2000, m, 1), lang).split()[0] for m in (peak[0], peak[-1]))
    if days == 0:
        return t("drainase.in_season", lang, months=months, end=fmt.day(end, lang), n=fmt.number(n_open, lang)), True
    return t("drainase.countdown", lang, months=months, days=days, start=fmt.day(start, lang),
             n=fmt.number(n_open, lang)), days <= 60


def kelurahan_table(per_kel: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per kelurahan as a person reads it, the most open points per km² first."""
    from pantau.i18n import t

    ordered = per_kel.sort_values(["per_km2", "terbuka"], ascending=False, na_position="last")
    out = pd.DataFrame({
        t("dcol.kelurahan", lang): ordered["nama"], t("dcol.kecamatan", lang): ordered["kecamatan"],
        t("dcol.terbuka", lang): ordered["terbuka"],
    })
    for status in DRAINASE_STATUSES:
        out[DRAINASE_STATUSES[status][lang]] = ordered[status]
    out[t("dcol.per_km2", lang)] = ordered["per_km2"].round(2)
    out[t("dcol.persen_selesai", lang)] = ordered["persen_selesai"].round(0)
    return out


def kecamatan_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    from pantau.i18n import t

    return table.rename(columns={"kecamatan": t("dcol.kecamatan", lang), "terbuka": t("dcol.terbuka", lang),
                                 **{k: v[lang] for k, v in DRAINASE_CONDITIONS.items()}})


def point_label(row, lang: str) -> str:
    """How a point is named in a picker: id, kelurahan, condition, age."""
    from pantau.i18n import t

    return (f"{row['id']} · {row['kelurahan']} · {DRAINASE_CONDITIONS[row['kondisi']][lang]} · "
            f"{DRAINASE_STATUSES[row['status']][lang]} · {t('drainase.days', lang, n=fmt.number(int(row['umur_hari']), lang))}")


def history_frame(point: dict, changes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A point's story: its report, every status change made in the app, and the status its file gave it.

    A file (an upload, or the demo) may list a point as already in hand or fixed; no change in the app
    records that, so the point's own status is shown wherever the app's changes do not end in it.
    """
    from pantau.i18n import t

    reported = pd.Timestamp(point["tanggal_lapor"]).date()
    reporter = f" ({point['pelapor']})" if isinstance(point.get("pelapor"), str) and point["pelapor"] else ""
    steps = [(pd.Timestamp(r.tanggal).date(), r.status, r.catatan if isinstance(r.catatan, str) else "")
             for r in changes.itertuples()]
    last = steps[-1][1] if steps else "dilaporkan"
    if point.get("status") and point["status"] != last:
        since = point.get("status_tanggal")
        since = reported if since is None or pd.isna(since) else pd.Timestamp(since).date()
        steps.append((since, point["status"], t("drainase.history_file", lang)))
        steps.sort(key=lambda step: step[0])  # stable: on one day the app's change stays before the file's
    first = t("drainase.history_first", lang, tanggal=fmt.day_short(reported, lang), pelapor=reporter)
    rows = [(reported, "dilaporkan", first)]
    return pd.DataFrame([{t("drainase.status_date", lang): fmt.day_short(when, lang),
                          t("dcol.status", lang): DRAINASE_STATUSES[status][lang], t("drainase.note", lang): note}
                         for when, status, note in rows + steps])


def kelurahan_style(table: pd.DataFrame, lang: str):
    """The per-kelurahan table with Indonesian number formats, still sorting by the numbers."""
    from pantau.i18n import t

    return table.style.format({t("dcol.per_km2", lang): lambda v: fmt.number(v, lang, 2),
                               t("dcol.persen_selesai", lang): lambda v: fmt.number(v, lang, 0)}, na_rep="–")
