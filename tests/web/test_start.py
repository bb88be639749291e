"""`streamlit run app.py` warms the lake before it answers, as `python -m pantau serve` does: the first
visitor (often the mayor, opening the rakor) does not pay for pandas, DuckDB and the first queries."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from streamlit.web.server.app_discovery import discover_asgi_app

from bench import harness
from pantau import settings
from pantau.lake.store import Lake


def test_streamlit_finds_the_app_and_its_warm_start():
    found = discover_asgi_app(settings.ROOT / "app.py")
    assert found.is_asgi_app and found.import_string == "app:app"


def test_plain_streamlit_run_builds_and_warms_the_lake_before_its_first_answer(tmp_path: Path):
    lake = tmp_path / "lake"
    port = harness.free_port()
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(settings.ROOT / "app.py"),
                             "--server.port", str(port), *harness.SERVER_FLAGS],
                            cwd=settings.ROOT, env={**os.environ, "PANTAU_LAKE": str(lake)},
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline, answered = time.monotonic() + 240, False
        while time.monotonic() < deadline and not answered:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as resp:
                    answered = resp.status == 200
            except OSError:
                time.sleep(0.2)
        assert answered, (tmp_path / "server.log").read_text()
        # The demo was built (and the briefing's queries run) before the server said it was up.
        assert not Lake(lake).is_empty()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as resp:
            assert resp.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
