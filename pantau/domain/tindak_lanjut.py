"""Tindak lanjut: the actions a rakor agreed, who must do them, by when, and what has been done."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pyarrow as pa

from pantau.domain.catalog import AKSI_STATUSES, INDICATORS, OPD_DEFAULT
from pantau.domain.selection import chosen
from pantau.errors import IngestError, InputError
from pantau.ingest.matching import Matcher, normalize
from pantau.ingest.rules.base import Problem
from pantau.ingest.sheets import Upload, read_grid, text
from pantau.ingest.tables import header_columns
from pantau.lake.store import Lake
from pantau.render import export, fmt

MAX_TEXT = 300
# Columns of the exported list, in order; the import reads them back by these headers (or close ones).
COLUMNS = ("id", "versi", "apa", "tanggal_rakor", "opd", "kelurahan", "indikator", "tenggat", "status",
           "catatan", "catatan_tanggal")
HEADER_ROLES = [
    ("id", r"^(id|id aksi|kode aksi)$"),
    ("versi", r"^versi"),
    ("apa", r"^(apa|aksi|kegiatan|tindak lanjut|uraian)"),
    ("tanggal_rakor", r"rakor|rapat"),
    ("opd", r"^(opd|penanggung ?jawab|pj|instansi|office)"),
    ("kelurahan", r"kelurahan|lokasi|wilayah"),
    ("indikator", r"indikator|indicator"),
    ("tenggat", r"tenggat|batas waktu|deadline|target waktu"),
    ("status", r"^status"),
    ("catatan_tanggal", r"tanggal catatan|tgl catatan|note date|tanggal progres"),
    ("catatan", r"catatan|progres|keterangan|note"),
]
WHOLE_KOTA = {"seluruh kota", "semua kelurahan", "kota", "whole city", "all", "semua"}


def opd_options(run, kota: str) -> list[str]:
    """The catalog's offices and those the kota added, in that order."""
    added = [n for n in run("opd_by_kota", kota_kode=kota)["nama"] if n not in OPD_DEFAULT]
    return list(OPD_DEFAULT) + added


def add_opd(lake: Lake, kota: str, nama: str) -> str:
    """Add an office to the kota's list; InputError when the name is empty or too long."""
    nama = " ".join(str(nama).split())
    if not nama or len(nama) > 80:
        raise InputError("aksi.bad_opd", nama=nama[:80])
    with lake.lock():
        lake.write("opd", pa.table({"kota_kode": [kota], "nama": [nama],
                                    "dibuat": [dt.datetime.now(dt.timezone.utc)]}), mode="append")
    return nama


def check(action: dict) -> None:
    """InputError for an action that cannot be saved: no text, no office, a deadline before the rakor."""
    if not str(action.get("apa") or "").strip():
        raise InputError("aksi.no_text")
    if not str(action.get("opd") or "").strip():
        raise InputError("aksi.no_opd")
    if action.get("status") not in AKSI_STATUSES:
        raise InputError("aksi.bad_status", status=action.get("status"))
    if action.get("tenggat") is None or action.get("tanggal_rakor") is None:
        raise InputError("aksi.no_date")
    if action["tenggat"] < action["tanggal_rakor"]:
        raise InputError("aksi.deadline_before_rakor", tenggat=fmt.day(action["tenggat"]),
                         rakor=fmt.day(action["tanggal_rakor"]))
    if action.get("indikator") not in (None, *INDICATORS):
        raise InputError("aksi.bad_indicator", indikator=action.get("indikator"))


def clean(action: dict) -> dict:
    """An action as stored: trimmed texts, a list of kelurahan codes, dates as dates."""
    out = {k: (None if isinstance(v, float) and v != v else v) for k, v in action.items()}  # NaN is blank
    out["apa"] = " ".join(str(out.get("apa") or "").split())[:MAX_TEXT]
    out["opd"] = " ".join(str(out.get("opd") or "").split())[:80]
    out["catatan"] = (" ".join(str(out.get("catatan") or "").split())[:MAX_TEXT]) or None
    out["kelurahan"] = sorted(set(out.get("kelurahan") or []))
    out["indikator"] = out.get("indikator") or None
    for key in ("tanggal_rakor", "tenggat", "catatan_tanggal"):
        if out.get(key) is not None and not pd.isna(out[key]):
            out[key] = pd.Timestamp(out[key]).date()
        else:
            out[key] = None
    if out["catatan"] and out["catatan_tanggal"] is None:
        out["catatan_tanggal"] = dt.date.today()
    return out


def save(lake: Lake, kota: str, changes: list[dict], pengguna: str | None = None, asal: str = "form") -> list[dict]:
    """Check and store new actions and new versions of existing ones, all in one commit."""
    rows = []
    for change in changes:
        row = clean({**change, "kota_kode": kota})
        check(row)
        rows.append(row)
    return lake.save_versions("tindak_lanjut", rows, pengguna, asal)


def current(run, kota: str, today: dt.date) -> pd.DataFrame:
    """The actions as they stand now, overdue first."""
    frame = run("tindak_lanjut_by_kota", kota_kode=kota, hari_ini=today)
    frame["kelurahan"] = [list(k) if k is not None else [] for k in frame["kelurahan"]]
    return frame


def filtered(actions: pd.DataFrame, opds: list[str], statuses: list[str], only_overdue: bool) -> pd.DataFrame:
    """The actions of the chosen offices and statuses (all when none is chosen), overdue only if asked."""
    keep = chosen(actions, opd=opds, status=statuses)
    if only_overdue:
        keep &= actions["terlambat"].astype(bool)
    return actions[keep]


def changed(before: dict, after: dict) -> bool:
    """Whether an edit changes anything that is stored."""
    a, b = clean(before), clean(after)
    return any(a.get(k) != b.get(k) for k in COLUMNS if k not in ("id", "versi"))


def place_names(codes: list[str], names: dict[str, str], lang: str) -> str:
    """The kelurahan of an action as names, or "Seluruh kota"."""
    from pantau.i18n import t

    return ", ".join(names.get(c, c) for c in codes) if codes else t("aksi.whole_kota", lang)


def per_opd(actions: pd.DataFrame) -> pd.DataFrame:
    """What each office promised and what it has done: counts per status, overdue, done share."""
    if actions.empty:
        return pd.DataFrame(columns=["opd", "total", *AKSI_STATUSES, "terlambat", "selesai_persen"])
    counts = pd.crosstab(actions["opd"], actions["status"]).reindex(columns=list(AKSI_STATUSES), fill_value=0)
    counts["terlambat"] = actions.groupby("opd")["terlambat"].sum().astype(int)
    counts.insert(0, "total", counts[list(AKSI_STATUSES)].sum(axis=1))
    counts["selesai_persen"] = 100.0 * counts["selesai"] / counts["total"]
    return counts.reset_index().sort_values(["terlambat", "total"], ascending=False).reset_index(drop=True)


def export_frame(actions: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """The action list as a spreadsheet: one row per action, headers a person reads, IDs to import back."""
    from pantau.i18n import t

    return pd.DataFrame({
        t("aksi.col.id", lang): actions["aksi_id"],
        t("aksi.col.versi", lang): actions["versi"],
        t("aksi.col.apa", lang): actions["apa"],
        t("aksi.col.tanggal_rakor", lang): [fmt.day(d, lang) for d in actions["tanggal_rakor"]],
        t("aksi.col.opd", lang): actions["opd"],
        t("aksi.col.kelurahan", lang): [place_names(k, names, lang) for k in actions["kelurahan"]],
        t("aksi.col.indikator", lang): [INDICATORS[i].text("short_label", lang) if isinstance(i, str) else ""
                                        for i in actions["indikator"]],
        t("aksi.col.tenggat", lang): [fmt.day(d, lang) for d in actions["tenggat"]],
        t("aksi.col.status", lang): [AKSI_STATUSES[s][lang] for s in actions["status"]],
        t("aksi.col.catatan", lang): actions["catatan"].fillna(""),
        t("aksi.col.catatan_tanggal", lang): [fmt.day(d, lang) if not pd.isna(d) else "" for d in actions["catatan_tanggal"]],
    })


def export_xlsx(actions: pd.DataFrame, names: dict[str, str], lang: str) -> bytes:
    from pantau.i18n import t

    return export.xlsx_bytes(export_frame(actions, names, lang), t("aksi.sheet", lang), lang)


def _status_of(value: str) -> str | None:
    norm = normalize(value).replace("_", " ")
    for key, labels in AKSI_STATUSES.items():
        if norm in (key.replace("_", " "), normalize(labels["id"]), normalize(labels["en"])):
            return key
    return None


def _indicator_of(value: str) -> str | None:
    norm = normalize(value)
    for ind in INDICATORS.values():
        if norm in {normalize(ind.id.replace("_", " ")), *(normalize(v) for v in ind.short_label.values()),
                    *(normalize(v) for v in ind.label.values())}:
            return ind.id
    return None


def read_import(upload: Upload, kota: str, matcher: Matcher, existing: pd.DataFrame, max_bytes: int
                ) -> tuple[list[dict], list[Problem], int]:
    """Actions from an OPD's spreadsheet: new ones, and changes to listed ones (by their ID and version).

    Returns the changes, the problems (an error anywhere refuses the whole file) and how many rows
    were the same as stored.
    """
    grid = read_grid(upload, max_bytes)
    rows = grid.head(len(grid))
    header_index, columns = None, {}
    for index, row in enumerate(rows[:20]):
        found = header_columns(row, HEADER_ROLES)
        if {"apa", "opd", "tenggat"} <= found.keys():
            header_index, columns = index, found
            break
    if header_index is None:
        raise IngestError("aksi.no_header", file=upload.display_name)
    current_by_id = {r["aksi_id"]: r for r in existing.to_dict("records")}
    changes, problems, same = [], [], 0

    def problem(row_number, role, value, key, **params):
        column = columns[role].name if role in columns else None
        problems.append(Problem(row_number, column, None if value is None else text(value)[:80], key, "error", params))

    for index in range(header_index + 1, len(rows)):
        raw = rows[index]
        number = grid.row_number(index)
        cell = {role: raw[c.index] if c.index < len(raw) else None for role, c in columns.items()}
        if not any(text(v) for v in cell.values()):
            continue
        action: dict = {"apa": text(cell.get("apa")), "opd": text(cell.get("opd")),
                        "catatan": text(cell.get("catatan")) or None}
        for role in ("tanggal_rakor", "tenggat", "catatan_tanggal"):
            try:
                action[role] = fmt.parse_date(cell.get(role))
            except fmt.Unparsable:
                problem(number, role, cell.get(role), "problem.bad_date")
                action[role] = None
        status_text = text(cell.get("status"))
        action["status"] = _status_of(status_text) if status_text else "belum_mulai"
        if action["status"] is None:
            problem(number, "status", status_text, "aksi.bad_status_cell",
                    choices=", ".join(v["id"] for v in AKSI_STATUSES.values()))
        ind_text = text(cell.get("indikator"))
        action["indikator"] = _indicator_of(ind_text) if ind_text else None
        if ind_text and action["indikator"] is None:
            problem(number, "indikator", ind_text, "aksi.bad_indicator_cell")
        places, place_text = [], text(cell.get("kelurahan"))
        if place_text and normalize(place_text) not in {normalize(w) for w in WHOLE_KOTA}:
            for name in re.split(r"[;,\n]", place_text):
                if not name.strip():
                    continue
                match = matcher.match(name.strip())
                if match.how in ("code", "alias", "exact", "fuzzy"):
                    places.append(match.kode)
                else:
                    problem(number, "kelurahan", name.strip(), "problem.unknown_kelurahan_none", hints="")
        action["kelurahan"] = places
        given_id = text(cell.get("id"))
        if given_id:
            before = current_by_id.get(given_id)
            if before is None:
                problem(number, "id", given_id, "aksi.unknown_id")
                continue
            versi_text = text(cell.get("versi"))
            try:
                versi = int(float(versi_text)) if versi_text else int(before["versi"])
            except ValueError:
                problem(number, "versi", versi_text, "problem.not_a_number")
                continue
            action.update(aksi_id=given_id, versi=versi)
            if not changed(before, action):
                same += 1
                continue
            if versi != int(before["versi"]):
                problem(number, "versi", versi_text, "aksi.stale_row", versi=int(before["versi"]))
                continue
        try:
            check(clean(action))
        except InputError as exc:
            problems.append(Problem(number, None, action["apa"][:80], exc.key, "error", exc.params))
            continue
        changes.append(action)
    return changes, problems, same


# Overdue rows: a light red background with dark red text (contrast above 7:1).
OVERDUE_STYLE = "background-color: #fde0dc; color: #8a1c13; font-weight: 600"


def overdue_style(table: pd.DataFrame, late):
    """The table as a Styler with its overdue rows coloured (late: one flag per row, in the table's order).

    In the editable table Streamlit paints only the columns that cannot be edited (overdue, place)."""
    styles = pd.DataFrame("", index=table.index, columns=table.columns)
    styles.loc[[bool(f) for f in late]] = OVERDUE_STYLE
    return table.style.apply(lambda _: styles, axis=None)


def editor_frame(actions: pd.DataFrame, names: dict[str, str], lang: str) -> pd.DataFrame:
    """The actions as the editable table shows them, indexed by their ID."""
    from pantau.i18n import t

    frame = pd.DataFrame({
        "terlambat": ["⚠ " + t("aksi.late_days", lang, n=int(n)) if late else ""
                      for late, n in zip(actions["terlambat"], actions["hari_terlambat"].fillna(0))],
        "apa": actions["apa"].to_numpy(),
        "opd": actions["opd"].to_numpy(),
        # What a rakor asks of an overdue action first (who, by when, how far) before where: a 1024 px
        # screen shows these without scrolling sideways.
        "tenggat": [pd.Timestamp(d).date() for d in actions["tenggat"]],
        "status": actions["status"].to_numpy(),
        "tempat": [place_names(k, names, lang) for k in actions["kelurahan"]],
        "catatan": actions["catatan"].fillna("").to_numpy(),
    }, index=pd.Index(actions["aksi_id"].to_numpy(), name="aksi_id"))
    # With no row left after filtering, pandas makes every column float; the editor's text and date
    # columns refuse that.
    return frame.astype(object) if frame.empty else frame


def edits(before: pd.DataFrame, after: pd.DataFrame, actions: pd.DataFrame, today: dt.date) -> list[dict]:
    """New versions for the rows whose text, office, deadline, status or note the user changed."""
    stored = actions.set_index("aksi_id")
    out = []
    for aksi_id in after.index:
        old, new = before.loc[aksi_id], after.loc[aksi_id]
        row = stored.loc[aksi_id].to_dict()
        edited = {**row, "apa": new["apa"], "opd": new["opd"], "tenggat": new["tenggat"], "status": new["status"],
                  "catatan": new["catatan"] or None}
        if not changed(row, edited):  # the grid may hand dates back as timestamps: compare stored forms
            continue
        note_changed = (new["catatan"] or "") != (old["catatan"] or "")
        edited.update(aksi_id=aksi_id, catatan_tanggal=today if note_changed else row.get("catatan_tanggal"))
        out.append(edited)
    return out


def history_frame(history: pd.DataFrame, names: dict[str, str], kota: str, lang: str) -> pd.DataFrame:
    """Every version of an action as a person reads it: dates in one form, times on the kota's clock."""
    from pantau.i18n import t

    return pd.DataFrame({
        t("aksi.col.versi", lang): history["versi"],
        t("aksi.col.diubah", lang): [fmt.time_local(d, kota, lang) for d in history["diubah"]],
        t("aksi.col.pengguna", lang): history["pengguna"].fillna("–"),
        t("aksi.col.status", lang): [AKSI_STATUSES[s][lang] for s in history["status"]],
        t("aksi.col.tenggat", lang): [fmt.day_short(pd.Timestamp(d), lang) for d in history["tenggat"]],
        t("aksi.col.catatan", lang): history["catatan"].fillna(""),
        t("aksi.col.apa", lang): history["apa"],
        t("aksi.col.opd", lang): history["opd"],
        t("aksi.col.kelurahan", lang): [place_names(list(k) if k is not None else [], names, lang)
                                        for k in history["kelurahan"]],
    })


def opd_frame(summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The per-office summary with headers a person reads."""
    from pantau.i18n import t

    # Overdue right after the office: what a rakor asks first, and what a phone's narrow slide still shows.
    out = pd.DataFrame({t("aksi.col.opd", lang): summary["opd"], t("aksi.metric.overdue", lang): summary["terlambat"],
                        t("aksi.opd.total", lang): summary["total"]})
    for key, labels in AKSI_STATUSES.items():
        out[labels[lang]] = summary[key]
    out[t("aksi.opd.done_share", lang)] = summary["selesai_persen"].round(0)
    return out


def opd_style(table: pd.DataFrame, lang: str):
    """The per-office summary with each office's overdue count coloured when there is any."""
    from pantau.i18n import t

    column = t("aksi.metric.overdue", lang)
    return table.style.map(lambda n: OVERDUE_STYLE if n and n > 0 else "", subset=[column]).format(
        {t("aksi.opd.done_share", lang): lambda v: fmt.number(v, lang)}, na_rep=fmt.MISSING)
