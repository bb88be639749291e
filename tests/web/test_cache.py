"""Issue 21: what every session shares is computed once, handed out without being copied or changed, and
renewed when the lake changes; and the pieces of `pantau serve --workers`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import threading
import time

import pandas as pd
import pytest

from pantau.lake import store
from pantau.web import access, cache, serve, workers


def test_a_key_asked_by_many_threads_at_once_is_computed_once():
    shared = cache.SharedCache(max_entries=8)
    calls = []
    start = threading.Barrier(20)

    def compute():
        calls.append(1)
        time.sleep(0.2)  # long enough that every thread asks while the first computes
        return {"value": 42}

    results = []

    def ask():
        start.wait()
        results.append(shared.get(("briefing", "14.71"), compute))

    threads = [threading.Thread(target=ask) for _ in range(20)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(calls) == 1
    assert len(results) == 20 and all(r is results[0] for r in results)


def test_a_failed_computation_is_not_kept_and_the_next_asker_computes_again():
    shared = cache.SharedCache(max_entries=8)

    def broken():
        raise ValueError("no lake")

    with pytest.raises(ValueError):
        shared.get("k", broken)
    assert shared.get("k", lambda: 7) == 7


def test_the_cache_is_bounded_and_drops_the_least_recently_used():
    shared = cache.SharedCache(max_entries=2)
    shared.get("a", lambda: 1)
    shared.get("b", lambda: 2)
    shared.get("a", lambda: 99)  # a is used again: b is now the oldest
    shared.get("c", lambda: 3)
    assert shared.get("a", lambda: -1) == 1
    assert shared.get("b", lambda: -2) == -2  # computed again


def test_a_shared_frame_stays_as_it_was_whatever_a_page_does_with_its_copy():
    shared = pd.DataFrame({"kode": ["14.71.01", "14.71.02"], "nilai": [1.0, 2.0]})
    mine = cache.handed_out(shared)
    mine["nilai"] = mine["nilai"] * 10
    mine.loc[0, "kode"] = "x"
    mine["baru"] = 1
    assert shared.to_dict("list") == {"kode": ["14.71.01", "14.71.02"], "nilai": [1.0, 2.0]}


def test_a_dataclass_that_may_change_is_handed_out_as_a_copy_a_frozen_one_as_it_is():
    @dataclasses.dataclass
    class Loose:
        notices: list

    @dataclasses.dataclass(frozen=True)
    class Fixed:
        n: int

    loose, fixed = Loose(["a"]), Fixed(1)
    copy = cache.handed_out(loose)
    copy.notices = ["b"]
    assert loose.notices == ["a"]
    assert cache.handed_out(fixed) is fixed


def test_freeze_keys_by_content():
    @dataclasses.dataclass
    class View:
        kota: str
        notices: list

    assert cache.freeze(View("14.71", ["x"])) == cache.freeze(View("14.71", ["x"]))
    assert cache.freeze(View("14.71", ["x"])) != cache.freeze(View("64.74", ["x"]))
    assert cache.freeze({"b": [1, 2], "a": dt.date(2026, 1, 1)}) == cache.freeze({"a": dt.date(2026, 1, 1), "b": [1, 2]})
    with pytest.raises(TypeError):
        cache.freeze(pd.DataFrame())  # a frame cannot be a key: pass it as `given`


def test_the_lake_stamp_memo_renews_at_once_after_a_write_of_this_process(lake):
    ticker = cache.Ticker(60.0, store.write_generation)  # a long memo: only the generation can renew it
    first = ticker.get(str(lake.path), lake.stamp)
    assert ticker.get(str(lake.path), lambda: "stale") == first
    with lake.lock():
        pass  # a writer's lock released: something may have changed
    assert ticker.get(str(lake.path), lake.stamp) == lake.stamp()
    assert ticker.get(str(lake.path), lambda: "next") != "next"


def test_workers_are_taken_from_the_arguments_or_the_environment(monkeypatch):
    assert serve.worker_count(["--workers", "3", "--server.port", "8501"]) == (3, ["--server.port", "8501"])
    assert serve.worker_count(["--workers=2"]) == (2, [])
    monkeypatch.setenv("PANTAU_WORKERS", "4")
    assert serve.worker_count([]) == (4, [])
    from pantau.errors import UsageError

    with pytest.raises(UsageError):
        serve.worker_count(["--workers", "nol"])


def test_the_pool_takes_the_address_and_port_for_nginx_and_gives_the_rest_to_each_worker():
    args = ["--server.address", "127.0.0.1", "--server.port=8600", "--server.headless", "true"]
    assert workers.option(args, "server.port", "8501") == "8600"
    assert workers.option(args, "server.address", "x") == "127.0.0.1"
    assert workers.without(args, ("server.address", "server.port")) == ["--server.headless", "true"]


@pytest.mark.skipif(workers.nginx_path() is None, reason="nginx absent")
def test_debian_nginx_accepts_the_pools_configuration(tmp_path):
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / sub).mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(workers.nginx_conf(tmp_path, "127.0.0.1:8599", [9001, 9002], 50))
    done = subprocess.run([workers.nginx_path(), "-t", "-p", str(tmp_path), "-e", str(tmp_path / "error.log"),
                           "-c", str(conf)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    text = conf.read_text()
    assert "hash $pantau_worker consistent" in text and "server 127.0.0.1:9001" in text and "9002" in text
    assert "client_max_body_size 50m" in text


def test_local_mode_behind_two_proxies_on_this_machine_still_refuses_another_computer(monkeypatch):
    monkeypatch.setenv("PANTAU_TRUSTED_PROXIES", "127.0.0.1")
    # A TLS site in front of the pool's nginx: the browser is the first hop, the site the last.
    assert not access.local_client_allowed(None, {"X-Forwarded-For": "10.0.0.9, 127.0.0.1"})
    assert access.local_client_allowed(None, {"X-Forwarded-For": "127.0.0.1, 127.0.0.1"})
