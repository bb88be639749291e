"""Prioritas: the score on a hand-computed example, marking, progress and the on-track rule."""

from __future__ import annotations

import datetime as dt
from functools import partial

import numpy as np
import pandas as pd
import pytest

from pantau.domain import prioritas
from pantau.domain.catalog import INDICATORS
from pantau.errors import InputError
from pantau.lake import queries
from pantau.views.prioritas import baseline

TODAY = dt.date(2026, 11, 23)


def test_score_on_a_hand_computed_example():
    values = pd.DataFrame({
        "kode": ["a", "b", "c", "d"], "nama": ["A", "B", "C", "D"], "kecamatan": ["K"] * 4,
        "has_boundary": [True] * 4,
        "stunting": [10.0, 20.0, 30.0, 15.0],
        "kemiskinan_ekstrem": [1.0, 3.0, 2.0, np.nan],
        "putus_sekolah": [np.nan] * 4,  # weight 0: not counted, so its gaps do not matter
        "drainase": [5.0, 5.0, 5.0, 5.0],
    })
    # stunting scaled: A 0, B 50, C 100, D 25; poverty scaled: A 0, B 100, C 50; drainage all equal: 0.
    # score = (2 x stunting + 1 x poverty + 1 x drainage) / 4
    scores = prioritas.composite(values, {"stunting": 2, "kemiskinan_ekstrem": 1, "putus_sekolah": 0, "drainase": 1})
    got = scores.set_index("kode")
    assert got.loc["c", "skor"] == pytest.approx((200 + 50 + 0) / 4)
    assert got.loc["b", "skor"] == pytest.approx((100 + 100 + 0) / 4)
    assert got.loc["a", "skor"] == 0
    assert pd.isna(got.loc["d", "skor"]) and got.loc["d", "kurang"] == ["kemiskinan_ekstrem"]
    assert list(scores["kode"]) == ["c", "b", "a", "d"]  # D is listed last, never ranked as if it were zero
    assert got["peringkat"].tolist()[:3] == [1, 2, 3] and pd.isna(got.loc["d", "peringkat"])


def test_a_higher_is_better_indicator_is_reversed():
    s = prioritas.scaled(pd.Series([50.0, 70.0, 90.0]), lower_is_better=False)
    assert s.tolist() == [100.0, 50.0, 0.0]


def test_formula_names_the_weights_in_use():
    text = prioritas.formula_text({"stunting": 3, "kemiskinan_ekstrem": 0, "putus_sekolah": 2, "drainase": 1},
                                  "2026-10", "lapangan", "id")
    assert "(3 × Stunting + 2 × Putus sekolah + 1 × Drainase) ÷ 6" in text and "Oktober 2026" in text


@pytest.mark.parametrize("done, gone, reached, past, status", [
    (0.0, 0.0, False, False, "sesuai"),       # just marked
    (0.45, 0.5, False, False, "sesuai"),      # 5 points behind the calendar
    (0.25, 0.5, False, False, "berisiko"),    # 25 points behind
    (0.1, 0.5, False, False, "tertinggal"),
    (-0.2, 0.3, False, False, "tertinggal"),  # got worse
    (1.0, 0.4, True, False, "tercapai"),
    (0.6, 1.0, False, True, "lewat"),
    (None, 0.5, False, False, "tanpa_data"),
])
def test_the_on_track_rule(done, gone, reached, past, status):
    assert prioritas.progress_status(done, gone, reached, past) == status


def test_progress_is_the_share_of_the_way_from_baseline_to_target():
    assert prioritas.progress(20.0, 15.0, 10.0) == 0.5
    assert prioritas.progress(20.0, 25.0, 10.0) == -0.5
    assert prioritas.progress(2.0, None, 0.0) is None
    assert prioritas.time_share(dt.date(2026, 9, 1), dt.date(2026, 12, 10), dt.date(2026, 10, 21)) == 0.5


def test_a_target_must_be_better_than_the_baseline_and_ahead(lake):
    ind = INDICATORS["stunting"]
    for target, deadline in ((20.0, TODAY + dt.timedelta(days=5)), (101.0, TODAY + dt.timedelta(days=5)),
                             (10.0, TODAY)):
        with pytest.raises(InputError):
            prioritas.mark(lake, "64.74", "64.74.01.1001", ind, "lapangan", "rate", 15.0, dt.date(2026, 10, 1),
                           target, deadline, TODAY)


def test_marking_stores_baseline_target_and_shows_progress(lake):
    run = partial(queries.run, lake.connect().cursor())
    ind = INDICATORS["stunting"]
    base, ukuran = baseline(run, "16.74", "16.74.01.1001", ind, "resmi", "2026-08")
    assert ukuran == "rate" and base is not None
    prioritas.mark(lake, "16.74", "16.74.01.1001", ind, "resmi", ukuran, base, dt.date(2026, 8, 1), base / 2,
                   TODAY + dt.timedelta(days=100), TODAY)
    run = partial(queries.run, lake.connect().cursor())
    marked = prioritas.with_progress(run("prioritas_by_kota", kota_kode="16.74", sampai=dt.date(2026, 11, 1)), TODAY)
    row = marked.iloc[0]
    assert len(marked) == 1 and row["baseline"] == pytest.approx(base) and row["target"] == pytest.approx(base / 2)
    # The latest value is the newest month with a report (official stunting is weighed in some months only).
    series = run("nilai_series_by_periode", kelurahan_kode="16.74.01.1001", indikator="stunting",
                 dari=dt.date(2026, 1, 1), sampai=dt.date(2026, 11, 1))
    reported = series[(series["sumber"] == "resmi") & series["rate"].notna()]
    newest = reported.iloc[-1]
    assert row["terakhir"] == pytest.approx(newest["rate"])
    assert pd.Timestamp(row["terakhir_periode"]) == pd.Timestamp(newest["periode"])
    assert row["kemajuan"] == pytest.approx((base - newest["rate"]) / (base - base / 2))
    assert row["waktu"] == 0 and row["sisa_hari"] == 100 and row["status"] in ("sesuai", "tercapai", "tertinggal")


def test_unmarking_keeps_the_history(lake):
    run = partial(queries.run, lake.connect().cursor())
    marked = run("prioritas_by_kota", kota_kode="64.74", sampai=dt.date(2026, 11, 1))
    assert len(marked) == 4  # Bontang's four priority kelurahan in the demo
    prioritas.unmark(lake, marked.iloc[0].to_dict())
    run = partial(queries.run, lake.connect().cursor())
    assert len(run("prioritas_by_kota", kota_kode="64.74", sampai=dt.date(2026, 11, 1))) == 3
    versions = lake.read("prioritas").to_pandas()
    assert (versions["prioritas_id"] == marked.iloc[0]["prioritas_id"]).sum() == 2


def test_demo_priorities_show_every_kind_of_progress(demo_run):
    marked = prioritas.with_progress(demo_run("prioritas_by_kota", kota_kode="64.74", sampai=dt.date(2026, 11, 1)),
                                     TODAY)
    assert set(marked["nama"]) == {"Lok Tuan", "Api-api", "Tanjung Laut", "Tanjung Laut Indah"}
    assert {"sesuai", "berisiko", "tertinggal"} <= set(marked["status"])
