"""Start `streamlit run` on a free port and drive Debian's Chromium; shared by the browser test and bench/."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("PANTAU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--use-angle=swiftshader", "--enable-unsafe-swiftshader",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        time.sleep(0.2)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


SERVER_FLAGS = ["--server.headless", "true", "--browser.gatherUsageStats", "false"]


def streamlit_run(script: Path) -> list[str]:
    """`streamlit run script` (the port is added by `server`)."""
    return [sys.executable, "-m", "streamlit", "run", str(script)]


def pantau_serve() -> list[str]:
    """`python -m pantau serve`: the lake warmed, then streamlit run app.py."""
    return [sys.executable, "-m", "pantau", "serve"]


@contextlib.contextmanager
def server(cmd: list[str], env: dict | None = None, cwd: Path | None = None, procs: list | None = None,
           address: str = "127.0.0.1"):
    """Start a Streamlit server command on a free port, listening on `address` (this machine by default);
    yields its base URL on this machine (the process is appended to `procs` when given, e.g. to read its
    memory)."""
    port = free_port()
    log = open(Path(os.environ.get("TMPDIR", "/tmp")) / f"pantau-streamlit-{port}.log", "w")
    proc = subprocess.Popen([*cmd, "--server.port", str(port), "--server.address", address, *SERVER_FLAGS],
                            cwd=cwd or ROOT,
                            env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    if procs is not None:
        procs.append(proc)
    try:
        wait_healthy(url)
        yield url
    finally:
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=10)
        if proc.poll() is None:
            proc.kill()
        log.close()


def streamlit_server(script: Path, env: dict | None = None):
    """`streamlit run script` on a free localhost port; yields the base URL."""
    return server(streamlit_run(script), env=env, cwd=script.parent)


def chromium_path() -> str:
    path = shutil.which(CHROMIUM) or CHROMIUM
    if not Path(path).exists():
        raise FileNotFoundError(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see README)")
    return path


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


def is_local(url: str) -> bool:
    """Whether a request stays on this machine (data: and blob: URLs never leave the page)."""
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return True
    return parsed.hostname in LOCAL_HOSTS


def probed_page(browser, init_script: str):
    """A fresh 1280x900 tab with a script run before the page's own (e.g. a draw-call probe)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(init_script)
    return context, context.new_page()


def indicator_option(page, name: str):
    """Open the sidebar's indicator picker and return the option of that indicator, drawn."""
    page.locator("[data-testid=stSidebar] [data-testid=stSelectbox]").filter(has_text="Indikator").click()
    option = page.get_by_role("option", name=name)
    option.wait_for()
    return option
