"""Fixtures of the ingest tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def env_lake(lake, monkeypatch):
    """The private copy of the demo lake, as the lake the command line opens."""
    monkeypatch.setenv("PANTAU_LAKE", str(lake.path))
    return lake
