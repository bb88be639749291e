"""A room full of people: many sessions at once against one server, over Streamlit's own WebSocket
protocol (no browser). Prints its figures; never part of the test run.

    .venv/bin/python -m bench.load                     # every scenario, on a fresh demo lake
    .venv/bin/python -m bench.load --scenario burst --sessions 100
    .venv/bin/python -m bench.load --url http://127.0.0.1:8501 --scenario think --sessions 100

Each simulated user is what a browser tab is to the server: one WebSocket on `/_stcore/stream`
speaking the frontend's messages (captured from Chromium): a first `rerun_script` with the page's
URL path and query string, then for every click in the sidebar a `rerun_script` with that page's
script hash, the hashes of the messages it already holds (as the browser's cache does) and an empty
query string (the page puts the view back into the URL itself). A page counts when its script
finished (status FINISHED_SUCCESSFULLY after any reruns it asked for) with no exception element and
no error alert among the deltas; any other end is an error, a closed socket is a drop. No client pings.

Scenarios:
- single: one session walks the six pages three times (the floor).
- walk: N sessions walk the six pages back to back for --seconds (the server's throughput; 60 s).
- burst: N sessions connect and open Ringkasan at the same moment (the room when the presenter says
  "buka dashboardnya"); timed from the socket's opening.
- think: N sessions walk the six pages with --think seconds (±20 %) between clicks for --think-seconds
  (5 s and 180 s by default: the issue's three minutes).

The server is started as the README starts it (`python -m pantau serve`, with `--workers` when
given) over a fresh copy of the demo lake, unless --url names one already running. Server memory
is the peak of the summed resident memory of the server's process tree, sampled every 0.25 s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import platform
import random
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench import harness

PAGES = ["ringkasan", "peta", "tren", "prioritas", "rekonsiliasi", "drainase"]
FIRST_QUERY = "kota=14.71"  # the link the presenter shares: Pekanbaru's briefing


@dataclass
class Sample:
    page: str
    seconds: float
    ok: bool
    at: float = field(default_factory=time.monotonic)
    why: str = ""


class Dropped(Exception):
    """The server closed the socket or stopped answering."""


class Session:
    """One browser tab's conversation with the server."""

    def __init__(self, url: str, timeout: float):
        parsed = urlparse(url)
        self.ws_url = f"ws://{parsed.netloc}{parsed.path.rstrip('/')}/_stcore/stream"
        self.origin = f"{parsed.scheme}://{parsed.netloc}"
        self.http = url.rstrip("/")
        self.timeout = timeout
        self.hashes: dict[str, str] = {}  # url path -> page script hash, from the navigation message
        self.cached: set[str] = set()
        self.socket = None
        self.page = ""

    async def open(self) -> None:
        self.socket = await websockets.connect(self.ws_url, subprotocols=["streamlit"], origin=self.origin,
                                               max_size=None, open_timeout=self.timeout, ping_interval=None)

    async def close(self) -> None:
        if self.socket is not None:
            with contextlib.suppress(Exception):
                await self.socket.close()

    def _context(self, msg: BackMsg) -> None:
        info = msg.rerun_script.context_info
        info.timezone, info.timezone_offset, info.locale = "Asia/Jakarta", -420, "id-ID"
        info.url, info.color_scheme = f"{self.http}/{self.page}", "light"

    async def first(self, page: str, query: str) -> Sample:
        """Open a page by its address, as a tab does when the link is opened."""
        msg = BackMsg()
        msg.rerun_script.query_string = query
        msg.rerun_script.page_name = page
        msg.rerun_script.widget_states.SetInParent()
        self.page = page
        self._context(msg)
        return await self._run(page, msg)

    async def click(self, page: str) -> Sample:
        """Go to a page from the sidebar, as the browser does."""
        msg = BackMsg()
        msg.rerun_script.page_script_hash = self.hashes[page]
        msg.rerun_script.widget_states.SetInParent()
        msg.rerun_script.cached_message_hashes.extend(sorted(self.cached))
        self._context(msg)
        self.page = page
        return await self._run(page, msg)

    async def _run(self, page: str, msg: BackMsg) -> Sample:
        start = time.monotonic()
        await self.socket.send(msg.SerializeToString())
        why = ""
        while True:
            try:
                data = await asyncio.wait_for(self.socket.recv(), self.timeout)
            except (websockets.ConnectionClosed, asyncio.TimeoutError) as exc:
                raise Dropped(type(exc).__name__) from exc
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            if fwd.metadata.cacheable and fwd.hash:
                self.cached.add(fwd.hash)
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self.hashes = {p.url_pathname or "": p.page_script_hash for p in fwd.navigation.app_pages}
            elif kind == "page_not_found":
                why = why or "page not found"
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                element = fwd.delta.new_element
                which = element.WhichOneof("type")
                if which == "exception":
                    why = why or f"exception: {element.exception.type}"
                elif which == "alert" and element.alert.format == Alert.ERROR:
                    why = why or f"error box: {element.alert.body[:80]}"
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # the page asked for a rerun: the user waits for that one too
                if status != ForwardMsg.FINISHED_SUCCESSFULLY:
                    why = why or f"script finished with status {status}"
                return Sample(page, time.monotonic() - start, not why, why=why)


@dataclass
class Result:
    samples: list[Sample] = field(default_factory=list)
    drops: int = 0
    seconds: float = 0.0
    memory_mb: float = 0.0


async def _user(url: str, result: Result, stop_at: float, think: float, timeout: float, rng: random.Random,
                walk: bool, first_page: str, start_gate: asyncio.Event | None = None) -> None:
    session = Session(url, timeout)
    try:
        if start_gate is not None:
            await start_gate.wait()
        opened = time.monotonic()
        await session.open()
        sample = await session.first(first_page, FIRST_QUERY)
        sample.seconds = time.monotonic() - opened  # the opening counts the handshake too
        result.samples.append(sample)
        i = PAGES.index(first_page)
        while walk and time.monotonic() < stop_at:
            if think:
                await asyncio.sleep(rng.uniform(0.8 * think, 1.2 * think))
                if time.monotonic() >= stop_at:
                    break
            i = (i + 1) % len(PAGES)
            result.samples.append(await session.click(PAGES[i]))
    except (Dropped, OSError, websockets.InvalidHandshake, asyncio.TimeoutError):
        result.drops += 1
    finally:
        await session.close()


async def scenario(url: str, sessions: int, walk: bool, seconds: float, think: float, timeout: float,
                   seed: int, together: bool) -> Result:
    result = Result()
    rng = random.Random(seed)
    gate = asyncio.Event() if together else None
    stop_at = time.monotonic() + seconds
    tasks = []
    for n in range(sessions):
        first = "ringkasan" if (together or not walk) else PAGES[n % len(PAGES)]
        tasks.append(asyncio.create_task(_user(url, result, stop_at, think, timeout, random.Random(rng.random()),
                                               walk, first, gate)))
        if not together and think:
            await asyncio.sleep(think / max(sessions, 1))  # arrivals spread over one think time
    begun = time.monotonic()
    if gate is not None:
        gate.set()
    await asyncio.gather(*tasks)
    result.seconds = time.monotonic() - begun
    return result


class MemoryWatch:
    """The peak summed resident memory of a process and all its descendants."""

    def __init__(self, pid: int | None):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self):
        if self.pid:
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()

    def _loop(self) -> None:
        while not self._stop.wait(0.25):
            self.peak = max(self.peak, tree_rss(self.pid))


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = Path(f"/proc/{entry}/stat").read_text()
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


def _q(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _ms(seconds: float) -> str:
    return "–" if seconds != seconds else f"{seconds * 1000:,.0f}"


def report(name: str, sessions: int, result: Result) -> list[str]:
    good = [s for s in result.samples if s.ok]
    errors = [s for s in result.samples if not s.ok]
    lines = [f"\n{name}: {sessions} session(s), {result.seconds:,.1f} s, {len(good)} pages finished, "
             f"{len(errors)} errors, {result.drops} dropped, {len(good) / result.seconds:,.2f} pages/s, "
             f"server peak {result.memory_mb:,.0f} MB"]
    lines.append(f"  {'page':<14}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for page in [*PAGES, "all"]:
        times = [s.seconds for s in good if page in ("all", s.page)]
        if times:
            lines.append(f"  {page:<14}{len(times):>6}{_ms(_q(times, .5)):>10}{_ms(_q(times, .95)):>10}"
                         f"{_ms(max(times)):>10}")
    for why in sorted({s.why for s in errors})[:5]:
        lines.append(f"  error: {why}")
    return lines


PLAN = {  # scenario -> (walk, think, together)
    "single": (True, 0.0, False),
    "walk": (True, 0.0, False),
    "burst": (False, 0.0, True),
    "think": (True, 5.0, False),
}


def run_plan(url: str, pid: int | None, steps: list[tuple[str, int]], args) -> None:
    print(f"bench.load {dt.date.today().isoformat()} on {platform.node()} ({os.cpu_count()} cores, "
          f"{platform.python_implementation()} {platform.python_version()}), server {url}"
          + (f", {args.workers} workers" if args.workers else ""), flush=True)
    for name, sessions in steps:
        walk, think, together = PLAN[name]
        think = args.think if name == "think" else think
        seconds = {"walk": args.seconds, "think": args.think_seconds}.get(name, 0.0)
        if name == "single":
            seconds = 0.0
        with MemoryWatch(pid) as memory:
            if name == "single":
                result = asyncio.run(_single(url, args.timeout))
            else:
                result = asyncio.run(scenario(url, sessions, walk, seconds, think, args.timeout, args.seed, together))
        result.memory_mb = max(memory.peak, tree_rss(pid) if pid else 0) / 2**20
        print("\n".join(report(f"{name}" + (f" (think {think:g} s)" if think else ""), sessions, result)),
              flush=True)


async def _single(url: str, timeout: float) -> Result:
    result = Result()
    session = Session(url, timeout)
    begun = time.monotonic()
    await session.open()
    result.samples.append(await session.first("ringkasan", FIRST_QUERY))
    for _ in range(3):
        for page in PAGES[1:] + PAGES[:1]:
            result.samples.append(await session.click(page))
    await session.close()
    result.seconds = time.monotonic() - begun
    return result


def parse_steps(args) -> list[tuple[str, int]]:
    if args.scenario == "all":
        return [("single", 1), ("walk", 10), ("walk", 30), ("walk", 60), ("burst", 100), ("think", 10),
                ("think", 100)]
    if args.scenario == "single":
        return [("single", 1)]
    return [(args.scenario, int(n)) for n in str(args.sessions).split(",")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=["all", *PLAN], default="all")
    parser.add_argument("--sessions", default="100", help="sessions at once (comma-separated levels)")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long each 'walk' level runs")
    parser.add_argument("--think-seconds", type=float, default=180.0, help="how long each 'think' level runs")
    parser.add_argument("--think", type=float, default=5.0, help="seconds between clicks in 'think'")
    parser.add_argument("--timeout", type=float, default=120.0, help="a page slower than this is a drop")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", type=int, default=0, help="start the server with --workers N")
    parser.add_argument("--url", help="a server already running (its memory is not measured)")
    args = parser.parse_args()
    steps = parse_steps(args)
    if args.url:
        run_plan(args.url, None, steps, args)
        return
    from pantau.lake import demo
    from pantau.lake.store import Lake

    with tempfile.TemporaryDirectory(prefix="pantau-load-") as tmp:
        lake = Lake(Path(tmp) / "lake")
        demo.build(lake)
        cmd = harness.pantau_serve() + (["--workers", str(args.workers)] if args.workers else [])
        procs: list = []
        with harness.server(cmd, env={"PANTAU_LAKE": str(lake.path)}, procs=procs) as url:
            run_plan(url, procs[0].pid, steps, args)


if __name__ == "__main__":
    main()
