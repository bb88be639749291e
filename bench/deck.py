"""Export of each demo kota's rakor deck (8 screens, 4 maps) to PPTX and to PDF, offline. Prints the times.

    .venv/bin/python -m bench.deck

The goal of issue #8: a kota's deck exports in under 60 s. Timed from the lake (the deck computed
from queries) to the bytes of the file, one kota after another in one process.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import tempfile
import time
from functools import partial
from pathlib import Path

from pantau.lake import demo, queries
from pantau.lake.store import Lake
from pantau.render import pptx_deck, slides
from pantau.views import presentasi


def main() -> None:
    lake = Lake(Path(tempfile.mkdtemp(prefix="pantau-bench-deck-")) / "lake")
    demo.build(lake)
    run = partial(queries.run, lake.connect().cursor())
    kotas = run("kota_list")
    print(f"# bench.deck {dt.datetime.now():%Y-%m-%d %H:%M}  {platform.machine()}, {os.cpu_count()} cores")
    for kode, nama in zip(kotas["kode"], kotas["nama"]):
        for fmt_name, render in (("PPTX", pptx_deck.pptx_bytes), ("PDF ", slides.pdf_bytes)):
            start = time.perf_counter()
            options = presentasi.DeckOptions(kode, nama, "2026-10", "lapangan", "2026-07", demo=True)
            screens = presentasi.build(run, options, dt.date(2026, 11, 23))
            data = render(screens, run("geometry_by_kota", kota_kode=kode), "id", True)
            took = time.perf_counter() - start
            print(f"{nama:<18} {fmt_name} {len(screens)} screens, {len(data) / 1e6:5.1f} MB: {took:5.1f} s"
                  f"  (goal < 60 s: {'met' if took < 60 else 'NOT met'})")


if __name__ == "__main__":
    main()
