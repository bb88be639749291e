"""What every session of the server shares: query results and page models computed once per lake version.

A room of a hundred phones opening the same briefing asks the same queries of the same lake version and
builds the same tiles; each is computed once (the first asker computes, the others wait for it rather
than computing it again beside it) and handed to all. Nothing is pickled or copied per rerun: a
DataFrame is handed out as a shallow copy (pandas' copy-on-write keeps the shared one unchanged
whatever a page does with its copy), and a page model is read-only by contract.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import threading
import time
from collections import OrderedDict
from typing import Any, Callable

import pandas as pd


def freeze(value: Any) -> Any:
    """A hashable stand-in for an argument: dataclasses, lists, dicts and sets by their contents."""
    if isinstance(value, (str, int, float, bool, type(None), dt.date, dt.datetime)):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__qualname__,
                tuple((f.name, freeze(getattr(value, f.name))) for f in dataclasses.fields(value)))
    if isinstance(value, dict):
        return ("dict", tuple(sorted((freeze(k), freeze(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return ("seq", tuple(freeze(v) for v in value))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(sorted(freeze(v) for v in value)))
    hash(value)  # anything else must be hashable as it is (TypeError otherwise: a bug to fix, not to hide)
    return value


class SharedCache:
    """A bounded, thread-safe memo in which a key is computed once even when many threads ask at once."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._values: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict = {}

    def get(self, key, compute: Callable[[], Any]) -> Any:
        while True:
            with self._lock:
                if key in self._values:
                    self._values.move_to_end(key)
                    return self._values[key]
                pending = self._computing.get(key)
                if pending is None:
                    pending = self._computing[key] = threading.Event()
                    break
            pending.wait()  # another session computes it; take theirs (or compute it if theirs failed)
        try:
            value = compute()
        except BaseException:
            with self._lock:
                self._computing.pop(key).set()
            raise
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.max_entries:
                self._values.popitem(last=False)
            self._computing.pop(key).set()
        return value


def handed_out(value: Any) -> Any:
    """What a caller gets of a shared value: a DataFrame as a shallow copy, a dataclass that may be
    changed as a copy of its fields, a frozen dataclass or anything else as it is."""
    if isinstance(value, pd.DataFrame):
        return value.copy(deep=False)
    if dataclasses.is_dataclass(value) and not isinstance(value, type) and not value.__dataclass_params__.frozen:
        return copy.copy(value)
    return value


class Ticker:
    """A value recomputed at most once per `seconds` and whenever `generation()` changes."""

    def __init__(self, seconds: float, generation: Callable[[], int]):
        self.seconds, self.generation = seconds, generation
        self._memo: dict = {}
        self._lock = threading.Lock()

    def get(self, key, compute: Callable[[], Any]) -> Any:
        now, gen = time.monotonic(), self.generation()
        with self._lock:
            hit = self._memo.get(key)
            if hit is not None and hit[0] == gen and now - hit[1] < self.seconds:
                return hit[2]
        value = compute()
        with self._lock:
            self._memo[key] = (gen, now, value)
        return value
