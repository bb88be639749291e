import json

import pytest

from pantau import cli


@pytest.fixture
def lake_env(demo_lake, monkeypatch):
    monkeypatch.setenv("PANTAU_LAKE", str(demo_lake.path))


def test_summary_json_for_pekanbaru_august_2025(lake_env, capsys):
    assert cli.main(["summary", "--kota", "14.71", "--period", "2025-08", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["kota"] == "14.71" and out["period"] == "2025-08"
    ps = out["indicators"]["putus_sekolah"]["lapangan"]
    assert ps["count"] == 1778 and ps["reporting"] == 83 and ps["kelurahan_total"] == 83
    assert ps["rate"] == pytest.approx(100 * ps["count"] / ps["denominator"])
    assert set(out["indicators"]) == {"stunting", "putus_sekolah", "kemiskinan_ekstrem", "drainase"}


@pytest.mark.parametrize("args", [
    ["--kota", "99.99", "--period", "2025-08"],
    ["--kota", "14.71", "--period", "2031-01"],
    ["--kota", "14.71", "--period", "2025-08", "--indicator", "banjir"],
])
def test_unknown_kota_period_or_indicator_exit_2_with_one_line(lake_env, capsys, args):
    assert cli.main(["summary", *args, "--json"]) == 2
    err = capsys.readouterr().err.strip()
    assert err and "\n" not in err and "Traceback" not in err


def test_demo_refuses_to_overwrite_without_force(lake_env, capsys):
    assert cli.main(["demo"]) == 0
    assert "--force" in capsys.readouterr().out
