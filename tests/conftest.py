"""Fixtures every folder of tests uses: the demo lake built once per run, the national lake over a national-shaped
fixture, and the small hand-made lake of tests/lakes.py. A folder's own fixtures live in its conftest.py."""

from __future__ import annotations

import os
import shutil
from functools import partial

import pytest

from pantau.lake import demo, queries
from pantau.lake.store import Lake
from tests.lakes import NATIONAL_FIXTURE, build_small_lake


@pytest.fixture(scope="session", autouse=True)
def nik_key_outside_the_checkout(tmp_path_factory):
    """The secret of the keyed hashes in a temporary folder: a test never leaves one in data/kunci."""
    os.environ.setdefault("PANTAU_KEY_FILE", str(tmp_path_factory.mktemp("kunci") / "nik.key"))


@pytest.fixture(scope="session")
def demo_lake(tmp_path_factory) -> Lake:
    lake = Lake(tmp_path_factory.mktemp("lake") / "demo")
    assert demo.build(lake)
    return lake


@pytest.fixture(scope="session")
def demo_run(demo_lake):
    return partial(queries.run, demo_lake.connect().cursor())


@pytest.fixture
def lake(demo_lake, tmp_path) -> Lake:
    """A private copy of the demo lake, so a test may write to it."""
    shutil.copytree(demo_lake.path, tmp_path / "lake")
    return Lake(tmp_path / "lake")


@pytest.fixture(scope="session")
def national_lake(tmp_path_factory) -> Lake:
    """The national builder over a national-shaped fixture: DKI Jakarta and DI Yogyakarta (705 desa and
    kelurahan, real boundaries), two years of months."""
    from pantau.lake import nasional

    lake = Lake(tmp_path_factory.mktemp("lake") / "nasional")
    nasional.build(lake, years=2, desa_file=NATIONAL_FIXTURE / "desa_kelurahan.parquet",
                   codes_file=NATIONAL_FIXTURE / "kode_wilayah.csv", progress=lambda _: None)
    return lake


@pytest.fixture(scope="session")
def national_run(national_lake):
    return partial(queries.run, national_lake.connect().cursor())


@pytest.fixture
def small_lake(tmp_path) -> Lake:
    return build_small_lake(tmp_path / "small")


@pytest.fixture
def small_run(small_lake):
    return partial(queries.run, small_lake.connect().cursor())
