"""The audit log shows tampering: every row linked to the one before by a hash; `pantau audit verify`
names the first broken link (a row changed, removed or slipped in), and rows from before the chain are
counted apart."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
from deltalake import write_deltalake

from pantau import cli
from pantau.lake import audit as audit_chain
from pantau.lake.store import Lake
from pantau.web import access

USER = access.User("admin", "Admin", "admin")


def _log(lake: Lake, n: int) -> None:
    for i in range(n):
        access.audit(lake, USER, "unggah", f"berkas_{i}.xlsx")


def _rewrite(lake: Lake, rows: list[dict]) -> None:
    """What someone with write access to the folder could do: rewrite the table with other rows."""
    write_deltalake(lake.table_path("audit"), pa.Table.from_pylist(rows, schema=audit_chain.SCHEMA), mode="overwrite")


def test_an_untouched_log_verifies_and_the_command_says_so(tmp_path, monkeypatch, capsys):
    lake = Lake(tmp_path / "lake")
    _log(lake, 5)
    assert audit_chain.verify(lake) == {"rows": 5, "unchained": 0, "broken": None}
    monkeypatch.setenv("PANTAU_LAKE", str(lake.path))
    assert cli.main(["audit", "verify"]) == 0 and "utuh: 5 baris" in capsys.readouterr().out


def test_a_changed_a_removed_and_an_inserted_row_each_break_the_chain_where_they_are(tmp_path, monkeypatch, capsys):
    lake = Lake(tmp_path / "lake")
    _log(lake, 5)
    rows = sorted(lake.read("audit").to_pylist(), key=lambda r: r["urutan"])
    changed = [dict(r) for r in rows]
    changed[2]["objek"] = "bukan_berkas_ini.xlsx"
    _rewrite(lake, changed)
    assert audit_chain.verify(lake)["broken"] == {"urutan": 3, "why": "changed"}
    monkeypatch.setenv("PANTAU_LAKE", str(lake.path))
    assert cli.main(["audit", "verify"]) == 1 and "baris ke-3" in capsys.readouterr().err

    _rewrite(lake, rows[:1] + rows[2:])  # the second row removed
    assert audit_chain.verify(lake)["broken"] == {"urutan": 2, "why": "missing"}
    _rewrite(lake, rows[:3])  # the newest rows removed: the last commit's link still names row 5
    assert audit_chain.verify(lake)["broken"]["why"] == "missing"
    _rewrite(lake, rows[:2] + [rows[1]] + rows[2:])  # a row doubled
    assert audit_chain.verify(lake)["broken"] == {"urutan": 3, "why": "order"}


def test_rows_from_before_the_chain_are_counted_apart_and_the_chain_starts_after_them(tmp_path):
    lake = Lake(tmp_path / "lake")
    old = pa.table({"waktu": [dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)], "pengguna": ["lama"], "peran": ["admin"],
                    "aksi": ["masuk"], "objek": ["lama"], "hasil": ["ok"]})
    write_deltalake(lake.table_path("audit"), old, mode="append")  # a lake made before the chain
    _log(lake, 2)
    assert audit_chain.verify(lake) == {"rows": 2, "unchained": 1, "broken": None}
