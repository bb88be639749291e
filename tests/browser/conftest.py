"""Fixtures of the browser tests: the app served by `streamlit run` over the demo lake, and Debian's Chromium."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def server(demo_lake):
    """`streamlit run app.py` over the demo lake on a free localhost port (the browser tests)."""
    from bench import harness

    env = {"PANTAU_LAKE": str(demo_lake.path), "PANTAU_TODAY": "2026-11-23"}
    with harness.streamlit_server(harness.ROOT / "app.py", env=env) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    from bench import harness

    with sync_playwright() as p:
        b = harness.launch(p)
        yield b
        b.close()
