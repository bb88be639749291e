"""Ingest: an OPD's file in, understood, validated against the lake, and committed as one upload."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from functools import partial

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pantau.domain.catalog import INDICATORS
from pantau.errors import IngestError
from pantau.i18n import t
from pantau.ingest import formats, uploads
from pantau.ingest.matching import Matcher, normalize
from pantau.ingest.rules import denominators, drainage, figures, floods, records
from pantau.ingest.rules.base import Context, Problem, Report
from pantau.ingest.sheets import Upload, read_grid
from pantau.ingest.tables import Column, Header, Parsed, parse
from pantau.lake import geo, queries
from pantau.lake.schema import SCHEMAS, conform
from pantau.lake.store import Lake
from pantau.render import fmt

MAX_UPLOAD_MB = int(os.environ.get("PANTAU_MAX_UPLOAD_MB", "50"))


@dataclass
class Request:
    """What the user chose for an upload."""

    kind: str  # nilai | drainase | penyebut | wilayah
    kota_kode: str
    indicator: str | None = None
    sumber: str | None = None
    periode: dt.date | None = None
    tahun: int | None = None
    aliases: dict[str, str] = field(default_factory=dict)  # confirmed in this session, name -> kode
    today: dt.date | None = None
    # A national system's export (pantau.ingest.formats): its name, or None to detect it when no
    # indicator is chosen; the year when the file does not say it.
    format: str | None = None
    year: int | None = None
    export: bool = False  # the file is a national export (the Data page's choice): its format is found even
    # when an indicator is chosen (for a format that does not name its indicator, as a Satu Data CSV may not)


def _previous_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def prepare(upload: Upload, request: Request, lake: Lake, progress=None) -> Report:
    """Read, understand and validate a file against the lake; nothing is written."""
    started = dt.datetime.now(dt.timezone.utc)
    report = _prepare(upload, request, lake, progress)
    report.prepared = started
    return report


def _prepare(upload: Upload, request: Request, lake: Lake, progress=None) -> Report:
    step = progress or (lambda fraction, key: None)
    step(0.05, "progress.reading")
    if request.kind == "wilayah":
        from pantau.ingest import boundaries  # geopandas: only for boundary files

        report = boundaries.prepare(upload, request.kota_kode or None, MAX_UPLOAD_MB * 1024 * 1024)
        step(0.8, "progress.checked")
        return report
    grid = read_grid(upload, MAX_UPLOAD_MB * 1024 * 1024)
    cursor = lake.connect().cursor()
    run = partial(queries.run, cursor)
    kotas = run("kota_list")
    if request.kota_kode not in set(kotas["kode"]):
        raise IngestError("ingest.unknown_kota", kota=request.kota_kode, known=", ".join(kotas["kode"]))
    kota_nama = kotas.set_index("kode").at[request.kota_kode, "nama"]
    wilayah = run("kelurahan_by_kota", kota_kode=request.kota_kode)
    known_aliases = run("alias_by_kota", kota_kode=request.kota_kode)
    aliases = dict(zip(known_aliases["nama"], known_aliases["kelurahan_kode"]))
    aliases.update(request.aliases)
    matcher = Matcher(wilayah, request.kota_kode, aliases)
    ind = INDICATORS.get(request.indicator) if request.indicator else None
    if request.kind == "nilai" and (request.format or request.export or not request.indicator):
        reader = formats.detect(grid, request.format)
        if reader is None:
            lacks = formats.missing(grid)
            raise IngestError("ingest.no_format", file=upload.display_name,
                              formats="; ".join(f"{name}: {what}" for name, what in lacks.items()))
        step(0.25, "progress.header")
        reading = reader.read(grid, upload.display_name, year=request.year, periode=request.periode,
                              kota_kode=request.kota_kode, indicator=request.indicator)
        step(0.5, "progress.checking")
        return _prepare_reading(reading, request, upload, run, matcher, kota_nama, lake)
    if request.kind in ("nilai", "records") and (ind is None or ind.table != "nilai"):
        raise IngestError("ingest.bad_indicator", indicator=request.indicator or "-")
    step(0.25, "progress.header")
    parsed = parse(grid, request.kind, ind, matcher, upload.display_name)
    step(0.5, "progress.checking")
    others = {normalize(n.removeprefix("Kota ").removeprefix("Kabupaten ")): k
              for k, n in zip(kotas["kode"], kotas["nama"]) if k != request.kota_kode}
    ctx = Context(kind=request.kind, kota_kode=request.kota_kode, kota_nama=kota_nama,
                  file_name=upload.display_name, indicator=ind, sumber=request.sumber,
                  periode=request.periode if request.kind in ("nilai", "records") else None,
                  tahun=request.tahun,
                  today=request.today or dt.date.today(), other_kota=others)
    if request.kind == "nilai":
        _known_figures(ctx, run)
        report = figures.validate_nilai(parsed, ctx, matcher.label)
    elif request.kind == "penyebut":
        report = denominators.validate_penyebut(parsed, ctx, matcher.label)
    elif request.kind == "records":
        report = records.validate_records(parsed, ctx, matcher.label, _nik_key(lake))
    elif request.kind in ("drainase", "banjir"):
        geometry = run("geometry_by_kota", kota_kode=request.kota_kode)
        rules = drainage.validate_drainase if request.kind == "drainase" else floods.validate_banjir
        report = rules(parsed, ctx, matcher.label, geo.point_locator(geometry))
    else:
        raise IngestError("ingest.bad_kind", kind=request.kind)
    step(0.8, "progress.checked")
    return report


def _known_figures(ctx: Context, run) -> None:
    """What the lake knows for a slice's rules: every kelurahan's figures of the month before (13: the code
    length of a kelurahan), or of the year before for a year's figures, and, for an indicator with a
    population denominator, the year's denominators."""
    ind = ctx.indicator
    if ctx.grain == "tahun":
        before = run("nilai_tahunan_by_kelurahan", kota_kode=ctx.kota_kode, indikator=ind.id, sumber=ctx.sumber,
                     tahun=ctx.tahun - 1)
        before = before[before["tahun"] == ctx.tahun - 1]
    else:
        month_before = _previous_month(ctx.periode)
        before = run("nilai_by_bagian", wilayah_kode=ctx.kota_kode, panjang=13, indikator=[ind.id],
                     sumber=ctx.sumber, periode=month_before, periode_lalu=month_before)
    reported = before[before["jumlah"].notna()]
    ctx.previous = {k: (j, p) for k, j, p in zip(reported["kode"], reported["jumlah"],
                                                 reported["penyebut"].astype(object).where(reported["penyebut"].notna(), None))}
    ctx.previous_names = dict(zip(reported["kode"], reported["nama"]))
    if ind.penyebut_jenis:
        fallback = run("penyebut_by_kelurahan", kota_kode=ctx.kota_kode, jenis=ind.penyebut_jenis,
                       tahun=ctx.periode.year)
        ctx.fallback_penyebut = dict(zip(fallback["kelurahan_kode"], fallback["jumlah"]))
        ctx.fallback_tahun = int(fallback["tahun"].max()) if len(fallback) else None


def _slice_parsed(part: formats.Slice, match, bps: dict[str, str]) -> Parsed:
    """A slice of a national export as the table of a recap: one row per kelurahan, at its first row in the file.
    A figure with a BPS code only takes the Kemendagri code the lake learned for it (`bps`), if any."""
    columns = {role: Column(index, label, role) for role, (index, label) in part.columns.items()}
    names = [f.name for f in part.figures]
    matches = [match(f.name, f.code or bps.get(f.bps)) for f in part.figures]
    data = pd.DataFrame({"row": [f.row for f in part.figures], "kelurahan": names,
                         "jumlah": [f.jumlah for f in part.figures], "penyebut": [f.penyebut for f in part.figures],
                         "name": names, "match": matches, "how": [m.how for m in matches],
                         "matched_kode": [m.kode for m in matches], "kecamatan_kode": [None] * len(names)})
    if "kode" in columns:  # the code as the file wrote it, for a problem with it (a code of another kota)
        data["kode"] = [f.code for f in part.figures]
    return Parsed("nilai", Header(0, 1, columns), data, [])


def _prepare_reading(reading: formats.Reading, request: Request, upload: Upload, run, matcher: Matcher,
                     kota_nama: str, lake: Lake) -> Report:
    """Every slice of a national export checked by the rules of a recap, as one report of one upload."""
    base = Context(kind="nilai", kota_kode=request.kota_kode, kota_nama=kota_nama, file_name=upload.display_name,
                   indicator=None, sumber=None, periode=None, today=request.today or dt.date.today())
    notes = list(reading.notes)
    parts = []
    match = functools.lru_cache(maxsize=None)(matcher.match)  # a name recurs in every month and indicator
    known = run("kode_bps_by_kota", kota_kode=request.kota_kode)
    bps = dict(zip(known["bps_kode"], known["kelurahan_kode"]))
    through = {f.bps for part in reading.slices for f in part.figures if not f.code and f.bps in bps}
    if through:
        notes.append(("format.bps_through_pairs", {"n": fmt.Shown(len(through))}))
    for part in reading.slices:
        ind = INDICATORS.get(part.indicator)
        if ind is None:  # the export carries it, the catalog does not have it yet
            note = ("format.not_in_catalog", {"indicator": part.indicator, "column": part.columns["jumlah"][1]})
            if note not in notes:
                notes.append(note)
            continue
        ctx = dataclasses.replace(base, indicator=ind, sumber=part.sumber, periode=part.periode, grain=part.grain,
                                  tahun=part.periode.year if part.grain == "tahun" else None)
        _known_figures(ctx, run)  # assigns the slice's own previous figures and denominators
        parts.append(figures.validate_nilai(_slice_parsed(part, match, bps), ctx, matcher.label))
    problems, seen = list(reading.problems), set()
    for report in parts:
        for p in report.problems:
            p.part = (report.context.indicator.id, report.context.period_shown)
            key = (p.row, p.column, p.value, p.key, p.level)
            if p.key.endswith("_kelurahan") and key in seen:
                continue  # a name read once, not once per indicator of its row
            seen.add(key)
            problems.append(p)
    rekaman, rekaman_slices = None, []
    if reading.people is not None and parts:
        rekaman_slices = [_slice_key(r.context) for r in parts if r.context.indicator.id in reading.people_of]
        rekaman, listed = records.records_of_people(reading.people, request.kota_kode, match, _nik_key(lake),
                                                    reading.people_column)
        problems.extend(listed)
        notes.append(("format.records_made", {"n": fmt.Shown(len(rekaman))}))
    if not parts and not problems:
        problems.append(Problem(None, None, None, "problem.nothing_to_commit", "error"))
    rows = pd.concat([r.rows.assign(indikator=r.context.indicator.id, periode=r.context.period_shown) for r in parts],
                     ignore_index=True) if parts else pd.DataFrame(columns=["row", "nama_berkas", "kelurahan_kode",
                                                                            "status"])
    accepted = pd.concat([r.accepted.assign(tahun=r.context.tahun) if r.context.grain == "tahun" else r.accepted
                          for r in parts], ignore_index=True) if parts else pd.DataFrame()
    denominators = [r.totals["denominator"] for r in parts if r.totals["denominator"] is not None]
    totals = {"count": sum(r.totals["count"] for r in parts), "denominator": sum(denominators) if denominators else None}
    indicators = {r.context.indicator.id for r in parts}
    if len(indicators) == 1:
        base.indicator = INDICATORS[indicators.pop()]
    base.sumber = next(iter({r.context.sumber for r in parts}), None)
    base.grain = next(iter({r.context.grain for r in parts}), "bulan")
    suggestions = [s for r in parts for s in r.suggestions]
    pairs = _bps_pairs(reading, request.kota_kode, match, bps)
    if pairs:
        notes.append(("format.bps_pairs_learned", {"n": fmt.Shown(len(pairs))}))
    return Report(base, problems, rows, accepted, totals, suggestions, format=reading.format, slices=parts,
                  notes=notes, rekaman=rekaman, rekaman_slices=rekaman_slices, bps_pairs=pairs)


def _bps_pairs(reading: formats.Reading, kota_kode: str, match, known: dict[str, str]) -> dict[str, str]:
    """The BPS code -> Kemendagri code pairs a file teaches: rows with both, the Kemendagri one a kelurahan of
    the kota, and not already known as such."""
    pairs = {}
    for part in reading.slices:
        for f in part.figures:
            if f.code and f.bps and known.get(f.bps) != f.code and match(f.name, f.code).how == "code":
                pairs[f.bps] = f.code
    return pairs


def _nik_key(lake: Lake) -> bytes:
    """The secret of the keyed hashes; a new one only while no hash made under an earlier key is stored."""
    from pantau.ingest import nik

    return nik.load_key(may_create=not lake.exists("rekaman") or lake.dataset("rekaman").count_rows() == 0)


class AlreadyCommitted(IngestError):
    """A prepared upload committed a second time: refused, nothing written again."""

    def __init__(self, record: dict, kota_nama: str | None = None):
        super().__init__("ingest.already_committed", file=record.get("nama_berkas"))
        self.record, self.kota_nama = record, kota_nama

    def message(self, lang: str = "id") -> str:
        return t("ingest.already_committed", lang, file=self.record.get("nama_berkas") or "",
                 what=uploads.describe(self.record, lang, self.kota_nama), rows=fmt.number(self.record.get("baris") or 0, lang),
                 when=uploads.uploaded_at(self.record, lang))


def _slice_record(record: dict) -> tuple:
    periode = record.get("periode")
    if not uploads.absent(periode):
        periode = (dt.date.fromisoformat(periode[:10]) if isinstance(periode, str) else pd.Timestamp(periode).date())
    else:
        periode = None
    tahun = record.get("tahun")
    return (record.get("jenis"), record.get("kota_kode"), record.get("indikator"), record.get("sumber") or None,
            periode, None if uploads.absent(tahun) else int(tahun))


def _committed_since(lake: Lake, record: dict, since: dt.datetime | None) -> dict | None:
    """The upload of this very file into this very slice logged after `since` (when its report was prepared)."""
    if since is None or not lake.exists("uploads"):
        return None
    key = _slice_record(record)
    same_file = lake.dataset("uploads").to_table(filter=pc.field("sha256") == pa.scalar(record["sha256"], pa.string()))
    for row in same_file.to_pylist():
        if (row["sha256"] == record["sha256"] and not row["demo"] and row["jenis"] != "batal"
                and row["diunggah"] is not None and row["diunggah"] >= since and _slice_record(row) == key):
            return row
    return None


def commit(report: Report, upload: Upload, lake: Lake, pengguna: str | None = None) -> dict:
    """Write what the report accepted as one upload; IngestError when it has errors, AlreadyCommitted when
    this prepared upload was written already (by this call before, or by another session since it was prepared)."""
    ctx = report.context
    if report.committed is not None:
        raise AlreadyCommitted(report.committed, ctx.kota_nama)
    if not report.ok:
        raise IngestError("ingest.refused", file=upload.display_name, errors=len(report.errors))
    record = {"jenis": ctx.kind, "nama_berkas": upload.display_name, "sha256": upload.sha256,
              "kota_kode": ctx.kota_kode, "indikator": ctx.indicator.id if ctx.indicator else
              (ctx.kind if ctx.kind in ("drainase", "banjir") else None),
              "sumber": ctx.sumber, "periode": ctx.periode.isoformat() if ctx.periode else None,
              "tahun": ctx.tahun if ctx.kind == "penyebut" else None,
              "baris": len(report.accepted), "pengguna": pengguna, "demo": False, "membatalkan": None}
    # A national export of many slices: one Delta commit replacing every slice it carries, one upload id.
    keys = [_slice_key(r.context) for r in report.slices]
    if report.format:
        record["format"] = report.format
    # Checked before the write, outside the lake's lock (a second session committing the same file in the
    # same instant can still pass; the slice is then replaced by identical rows, never added to). A file of
    # many slices is found by its first.
    probe = {**record, **keys[0], "periode": keys[0]["periode"].isoformat() if "periode" in keys[0] else None} \
        if keys else record
    twin = _committed_since(lake, probe, report.prepared)
    if twin is not None:
        raise AlreadyCommitted(twin, ctx.kota_nama)
    if keys:
        # A by-name export's reconciliation list goes in with its figures, under the same upload id.
        listed = pa.schema([f for f in SCHEMAS["rekaman"] if f.name != "upload_id"])  # typed even when empty
        also = {"rekaman": (report.rekaman_slices, pa.Table.from_pandas(report.rekaman[listed.names], schema=listed,
                                                                        preserve_index=False))} \
            if report.rekaman is not None and report.rekaman_slices else None
        table = "nilai_tahunan" if ctx.grain == "tahun" else "nilai"
        learned = None
        if report.bps_pairs:  # appended with the upload under its lock; an undo leaves them (they are facts)
            now = dt.datetime.now(dt.timezone.utc)
            learned = {"kode_bps": pa.table({"kota_kode": [ctx.kota_kode] * len(report.bps_pairs),
                                             "bps_kode": list(report.bps_pairs),
                                             "kelurahan_kode": list(report.bps_pairs.values()),
                                             "dibuat": [now] * len(report.bps_pairs)})}
        done = lake.commit(table, keys, pa.Table.from_pandas(report.accepted, preserve_index=False), record,
                           slices_of=also, also=learned)
    else:
        done = _write(report, lake, record)
    report.committed = done
    return done


def _slice_key(ctx: Context) -> dict:
    """The slice of figures (or records) an upload of this context replaces."""
    if ctx.grain == "tahun":
        return {"kota_kode": ctx.kota_kode, "indikator": ctx.indicator.id, "sumber": ctx.sumber, "tahun": ctx.tahun}
    return {"kota_kode": ctx.kota_kode, "indikator": ctx.indicator.id, "sumber": ctx.sumber, "periode": ctx.periode}


def _write(report: Report, lake: Lake, record: dict) -> dict:
    ctx = report.context
    rows = pa.Table.from_pandas(report.accepted, preserve_index=False)
    if ctx.kind == "nilai":
        return lake.commit("nilai", _slice_key(ctx), rows, record)
    if ctx.kind == "penyebut":
        return lake.commit("penyebut", {"kota_kode": ctx.kota_kode, "tahun": ctx.tahun}, rows, record)
    if ctx.kind == "records":
        return lake.commit("rekaman", _slice_key(ctx), rows, record)
    if ctx.kind == "wilayah":
        return lake.commit("wilayah", {"kota_kode": ctx.kota_kode}, rows, record)
    if ctx.kind == "drainase":
        return lake.commit("drainase", {"kota_kode": ctx.kota_kode}, None, record,
                           merge=lambda current: merge_points(current, report.accepted))
    if ctx.kind == "banjir":
        return lake.commit("banjir", {"kota_kode": ctx.kota_kode}, None, record,
                           merge=lambda current: merge_events(current, report.accepted))
    raise IngestError("ingest.bad_kind", kind=ctx.kind)


def merge_points(current: pa.Table, new: pd.DataFrame) -> pa.Table:
    """The kota's points after an upload: a point listed again is updated, every other point kept.

    A point's status keeps its newest date: a file listing a point as reported does not reopen one
    that a lurah marked fixed in the app after the file's date.
    """
    added = conform("drainase", pa.Table.from_pandas(new, preserve_index=False))  # upload_id null: this upload's
    again = pc.is_in(current.column("id"), value_set=added.column("id"))
    if pc.any(again).as_py():
        before = current.filter(again).select(["id", "status", "status_tanggal"]).to_pandas().set_index("id")
        frame = added.to_pandas()
        newer = frame["id"].map(before["status_tanggal"]).astype("datetime64[us]") > \
            pd.to_datetime(frame["status_tanggal"]).astype("datetime64[us]")
        if newer.any():
            frame.loc[newer, "status"] = frame.loc[newer, "id"].map(before["status"])
            frame.loc[newer, "status_tanggal"] = frame.loc[newer, "id"].map(before["status_tanggal"])
            added = conform("drainase", pa.Table.from_pandas(frame, preserve_index=False))
    kept = current.filter(pc.invert(again))
    return pa.concat_tables([conform("drainase", kept), added])


def merge_events(current: pa.Table, new: pd.DataFrame) -> pa.Table:
    """The kota's flood events after an upload: an event listed again is replaced, every other kept."""
    added = conform("banjir", pa.Table.from_pandas(new, preserve_index=False))
    kept = current.filter(pc.invert(pc.is_in(current.column("id"), value_set=added.column("id"))))
    return pa.concat_tables([conform("banjir", kept), added])


def remember_aliases(lake: Lake, kota_kode: str, aliases: dict[str, str]) -> None:
    """Keep names a user confirmed, so the next file of this kota matches them at once."""
    now = dt.datetime.now(dt.timezone.utc)
    rows = pa.table({"kota_kode": [kota_kode] * len(aliases), "nama": [normalize(n) for n in aliases],
                     "kelurahan_kode": list(aliases.values()), "dibuat": [now] * len(aliases)})
    with lake.lock():
        lake.write("alias", rows, mode="append")
