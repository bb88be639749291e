"""Local mode behind a reverse proxy: forwarded addresses count only from a proxy the operator named."""

from __future__ import annotations

import pytest

from pantau.web import access


@pytest.mark.parametrize(("trusted", "peer", "headers", "allowed"), [
    ("", None, {}, True),  # a browser on this machine
    ("", "10.0.0.5", {}, False),  # another computer
    ("", None, {"X-Forwarded-For": "127.0.0.1"}, False),  # a proxy nobody named: someone else
    ("127.0.0.1", None, {"X-Forwarded-For": "127.0.0.1"}, True),  # the named proxy, for this machine's browser
    ("127.0.0.1", None, {"X-Forwarded-For": "10.0.0.9"}, False),  # the named proxy, for another computer
    ("127.0.0.1", None, {"X-Forwarded-For": "127.0.0.1, 10.0.0.9"}, False),  # the proxy saw 10.0.0.9 last
    # Another computer behind two proxies of this machine (a TLS site before the --workers pool's nginx), or
    # a local browser that wrote the header itself: either way not provably this machine, so refused.
    ("127.0.0.1", None, {"X-Forwarded-For": "10.0.0.9, 127.0.0.1"}, False),
    ("127.0.0.1", None, {"Forwarded": "for=127.0.0.1"}, False),  # only X-Forwarded-For is read
    ("10.0.0.1", None, {"X-Forwarded-For": "127.0.0.1"}, False),  # the named proxy is elsewhere, not this peer
])
def test_forwarded_addresses_count_only_from_a_named_proxy(monkeypatch, trusted, peer, headers, allowed):
    monkeypatch.setenv("PANTAU_TRUSTED_PROXIES", trusted)
    assert access.local_client_allowed(peer, headers) is allowed
