"""Property: any sequence of uploads and undos leaves the lake equal to a simple model of it."""

from __future__ import annotations

import datetime as dt
import itertools

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pantau.errors import UndoRefused
from pantau.lake.store import Lake
from tests.lakes import build_small_lake

KELURAHAN = ["99.01.01.1001", "99.01.01.1002", "99.01.01.1003"]
SLOTS = [("stunting", "resmi", dt.date(2025, 8, 1)), ("stunting", "lapangan", dt.date(2025, 8, 1)),
         ("stunting", "resmi", dt.date(2025, 9, 1))]

upload_step = st.tuples(st.just("upload"), st.sampled_from(range(len(SLOTS))),
                        st.lists(st.sampled_from(KELURAHAN), unique=True, max_size=3),
                        st.integers(min_value=0, max_value=50))
undo_step = st.tuples(st.just("undo"), st.integers(min_value=0, max_value=20))
counter = itertools.count()


def _rows(kelurahan, value):
    return pa.table({"kelurahan_kode": kelurahan, "kota_kode": ["99.01"] * len(kelurahan),
                     "indikator": ["stunting"] * len(kelurahan), "periode": [None] * len(kelurahan),
                     "sumber": [None] * len(kelurahan), "jumlah": [value + i for i in range(len(kelurahan))],
                     "penyebut": [100] * len(kelurahan)})


def _lake_state(lake: Lake) -> dict:
    nilai = lake.read("nilai").to_pylist()
    return {(r["indikator"], r["sumber"], r["periode"], r["kelurahan_kode"]): r["jumlah"] for r in nilai}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.one_of(upload_step, undo_step), min_size=1, max_size=8))
def test_uploads_and_undos_match_the_model(tmp_path, steps):
    lake = build_small_lake(tmp_path / f"lake{next(counter)}")
    model = _lake_state(lake)
    # The model: each slot holds what its newest standing upload wrote; an upload remembers what it replaced.
    history: list[dict] = []
    for step in steps:
        if step[0] == "upload":
            _, s, kelurahan, value = step
            indikator, sumber, periode = SLOTS[s]
            rows = _rows(kelurahan, value)
            rows = rows.set_column(3, "periode", pa.array([periode] * len(kelurahan), pa.date32()))
            rows = rows.set_column(4, "sumber", pa.array([sumber] * len(kelurahan), pa.string()))
            key = {"kota_kode": "99.01", "indikator": indikator, "sumber": sumber, "periode": periode}
            record = lake.commit("nilai", key, rows, {"jenis": "nilai", "nama_berkas": "x.xlsx", "kota_kode": "99.01",
                                                      "indikator": indikator, "sumber": sumber,
                                                      "periode": periode.isoformat(), "baris": len(kelurahan),
                                                      "demo": False})
            replaced = {k: v for k, v in model.items() if k[:3] == SLOTS[s]}
            for k in replaced:
                del model[k]
            for i, kel in enumerate(kelurahan):
                model[(indikator, sumber, periode, kel)] = value + i
            history.append({"id": record["upload_id"], "slot": s, "replaced": replaced, "undone": False})
        else:
            standing = [h for h in history if not h["undone"]]
            if not history:
                continue
            target = history[step[1] % len(history)]
            later = [h for h in standing if h["slot"] == target["slot"] and history.index(h) > history.index(target)]
            if target["undone"] or later:
                with pytest.raises(UndoRefused):
                    lake.undo(target["id"])
                continue
            lake.undo(target["id"])
            target["undone"] = True
            for k in [k for k in model if k[:3] == SLOTS[target["slot"]]]:
                del model[k]
            model.update(target["replaced"])
        assert _lake_state(lake) == model
