"""`python -m pantau serve`: `streamlit run app.py` in the same process, whose st.App lifespan warms the lake.

The first visitor (often the mayor, at the start of a rakor) should not wait for pandas and
DuckDB to load and for the first queries to be planned; this pays that before the server
answers its health check.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
from functools import partial

from pantau import settings
from pantau.lake import queries
from pantau.lake.store import Lake
from pantau.views import peta, ringkasan
from pantau.views.shared import resolve_view


@contextlib.asynccontextmanager
async def lifespan(_app):
    """st.App's lifespan (app.py): the lake warmed before the server answers, off the event loop. `pantau serve`
    and `streamlit run app.py` both start through it."""
    await asyncio.to_thread(warm, Lake())
    yield


def warm(lake: Lake) -> None:
    """Build the demo if the lake is empty, open DuckDB and run the briefing queries once."""
    if lake.is_empty():
        from pantau.lake import demo

        demo.build(lake)
    db = lake.connect()
    run = partial(queries.run, db.cursor())
    view = resolve_view(run, {}, "id")
    if view.periode:
        ringkasan.tiles(run, view.wilayah, view.periode, view.sumber)
        peta.kelurahan_values(run, view)
        ringkasan.tile_badges(run, view, dt.date.today(), "id")
    db.close()


def bind_address(streamlit_args: list[str]) -> str:
    """The address the server will listen on (Streamlit's default is every interface)."""
    from pantau.web.workers import option

    return option(streamlit_args, "server.address", os.environ.get("STREAMLIT_SERVER_ADDRESS", "0.0.0.0"))


def worker_count(streamlit_args: list[str]) -> tuple[int, list[str]]:
    """`--workers N` (or PANTAU_WORKERS) taken out of the arguments; 1 when neither is given."""
    args, count = [], os.environ.get("PANTAU_WORKERS", "1")
    i = 0
    while i < len(streamlit_args):
        arg = streamlit_args[i]
        if arg == "--workers" and i + 1 < len(streamlit_args):
            count, i = streamlit_args[i + 1], i + 2
            continue
        if arg.startswith("--workers="):
            count = arg.split("=", 1)[1]
        else:
            args.append(arg)
        i += 1
    from pantau.errors import UsageError

    if not str(count).isdigit() or int(count) < 1:
        raise UsageError("serve.bad_workers", value=str(count))
    return int(count), args


def main(streamlit_args: list[str]) -> int:
    from pantau.web import access

    workers, streamlit_args = worker_count(streamlit_args)
    if workers > 1:
        from pantau.web import workers as pool

        return pool.main(workers, streamlit_args)
    access.check_bind(bind_address(streamlit_args))  # no sign-in only on this machine
    from streamlit.web import cli

    args = ["run", str(settings.ROOT / "app.py"), *streamlit_args]
    return cli.main.main(args=args, prog_name="streamlit", standalone_mode=False) or 0


if __name__ == "__main__":  # pragma: no cover
    import sys

    sys.exit(main(sys.argv[1:]))
