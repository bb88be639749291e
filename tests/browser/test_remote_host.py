"""The app seen from another computer: a real network namespace with a veth pair, the server started
the way most people start a Streamlit app (`streamlit run app.py --server.address 0.0.0.0`), and Chromium
inside the namespace opening it at the host's veth address (HTTP and the WebSocket)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import uuid

import pytest

from bench import harness

HOST, GUEST = "10.231.7.1", "10.231.7.2"  # this sandbox's own test link, nothing outside it


def _ip(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["ip", *args], check=check, capture_output=True, text=True)


@pytest.fixture(scope="module")
def other_host():
    """A network namespace joined to this host by a veth pair; removed afterwards."""
    if os.geteuid() != 0 or not shutil.which("ip"):
        pytest.skip("needs root and iproute2 (CI has both) to create a network namespace")
    name = f"pk{uuid.uuid4().hex[:6]}"
    veth = f"v{name}"
    try:
        _ip("netns", "add", name)
        _ip("link", "add", veth, "type", "veth", "peer", "name", f"{veth}g")
        _ip("link", "set", f"{veth}g", "netns", name)
        _ip("addr", "add", f"{HOST}/24", "dev", veth)
        _ip("link", "set", veth, "up")
        _ip("netns", "exec", name, "ip", "addr", "add", f"{GUEST}/24", "dev", f"{veth}g")
        _ip("netns", "exec", name, "ip", "link", "set", f"{veth}g", "up")
        _ip("netns", "exec", name, "ip", "link", "set", "lo", "up")
        yield name
    finally:
        _ip("link", "del", veth, check=False)
        _ip("netns", "del", name, check=False)


@contextlib.contextmanager
def _server_on_every_interface(env: dict):
    """`streamlit run app.py --server.address 0.0.0.0`, the way most people start a Streamlit app; yields its port."""
    with harness.server(harness.streamlit_run(harness.ROOT / "app.py"), env=env, address="0.0.0.0") as url:
        yield int(url.rsplit(":", 1)[1])


def _seen_from(namespace: str, url: str, *credentials: str) -> dict:
    out = subprocess.run(["ip", "netns", "exec", namespace, sys.executable, str(harness.ROOT / "tests" / "browser" / "hosts" /
                          "remote_probe.py"), url, str(harness.ROOT), *credentials], capture_output=True, text=True,
                         timeout=240)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_local_mode_shows_another_computer_no_data(other_host, demo_lake, tmp_path):
    env = {"PANTAU_LAKE": str(demo_lake.path), "PANTAU_MODE": "lokal", "PANTAU_TODAY": "2026-11-23"}
    with _server_on_every_interface(env) as port:
        seen = _seen_from(other_host, f"http://{HOST}:{port}/data")
        assert "hanya melayani komputer tempat ia dijalankan" in seen["text"]
        assert seen["nav"] == []  # no page at all: no Data, no Audit, no figures
        assert "Ringkasan" not in seen["text"] and "DATA DEMO" not in seen["text"]
        # The same server still serves this machine.
        local = subprocess.run([sys.executable, str(harness.ROOT / "tests" / "browser" / "hosts" / "remote_probe.py"),
                                f"http://127.0.0.1:{port}/", str(harness.ROOT)], capture_output=True, text=True,
                               timeout=180)
        assert "Ringkasan" in json.loads(local.stdout.strip().splitlines()[-1])["text"]


def test_sign_in_mode_shows_another_computer_only_the_form_until_a_valid_sign_in(other_host, lake, tmp_path,
                                                                                 monkeypatch):
    from pantau.web import access

    users = tmp_path / "users.yaml"
    monkeypatch.setenv("PANTAU_USERS", str(users))
    access.save_user("camat", "Camat Uji", "rahasia-yang-panjang", "viewer", kota="64.74")
    env = {"PANTAU_LAKE": str(lake.path), "PANTAU_MODE": "masuk", "PANTAU_USERS": str(users),
           "PANTAU_TODAY": "2026-11-23"}  # a private lake: the sign-in is written to its audit log
    with _server_on_every_interface(env) as port:
        seen = _seen_from(other_host, f"http://{HOST}:{port}/data", "camat", "rahasia-yang-panjang")
        assert seen["nav"] == []
        assert "DATA DEMO" not in seen["text"] and "Kota Bontang" not in seen["text"]
        assert "Masuk" in seen["text"]  # the sign-in form, and nothing else
        # After a valid sign-in from that computer: the pages a viewer of Bontang may open, and its figures.
        pages = [link.split("\n")[-1] for link in seen["after"]["nav"]]  # "dashboard\n\nRingkasan": icon, name
        assert "Ringkasan" in pages and "Data" not in pages and "Audit" not in pages
        assert "Kota Bontang" in seen["after"]["text"]
