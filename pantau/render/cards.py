"""Small HTML and SVG pieces (tiles, legends, change lists) that need no chart library in the browser."""

from __future__ import annotations

import base64
import html


def legend_html(title: str, items: list[dict], note: str = "") -> str:
    """The legend as a small HTML block with large swatches, for the page and the projector."""
    rows = "".join(
        f'<div class="pk-legend-row"><span class="pk-swatch" style="background:{i["color"]}"></span>'
        f'<span>{html.escape(i["label"])}</span><span class="pk-legend-n">{i["count"]}</span></div>'
        for i in items
    )
    note_html = f'<div class="pk-legend-note">{html.escape(note)}</div>' if note else ""
    return f'<div class="pk-legend"><div class="pk-legend-title">{html.escape(title)}</div>{rows}{note_html}</div>'


def sparkline_svg(values: list[float | None], width: int = 240, height: int = 44) -> str:
    """A small line of the last months as inline SVG; a month without a report breaks the line."""
    present = [v for v in values if v is not None]
    if len(present) < 2:
        return ""
    lo, hi = min(present), max(present)
    span = (hi - lo) or 1.0
    step = width / (len(values) - 1)
    segments, current = [], []
    for i, v in enumerate(values):
        if v is None:
            if current:
                segments.append(current)
            current = []
            continue
        current.append(f"{i * step:.1f},{height - 4 - (v - lo) / span * (height - 8):.1f}")
    if current:
        segments.append(current)
    lines = "".join(
        f'<polyline points="{" ".join(seg)}" fill="none" stroke="#444" stroke-width="2.5" '
        'stroke-linejoin="round" stroke-linecap="round"/>' for seg in segments
    )
    last = segments[-1][-1].split(",")
    dot = f'<circle cx="{last[0]}" cy="{last[1]}" r="3.5" fill="#b3001b"/>' if values[-1] is not None else ""
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-4 0 {width + 8} {height}" '
           f'preserveAspectRatio="none">{lines}{dot}</svg>')
    # st.html strips inline <svg>; as an image it survives, and a data: URL never leaves the page.
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="pk-spark" alt="" src="data:image/svg+xml;base64,{encoded}">'


def tiles_html(cards: list[dict]) -> str:
    """The headline tiles as one responsive grid: four across on a wide screen, one on a phone.

    Plain HTML and SVG, so the briefing page needs no chart library in the browser.
    """
    parts = []
    for c in cards:
        delta = ""
        if c["delta"]:
            arrow = "▲" if c["direction"] > 0 else "▼" if c["direction"] < 0 else "■"
            tone = "worse" if c["worse"] else "better" if c["direction"] else "same"
            delta = f'<div class="pk-delta pk-{tone}">{arrow} {html.escape(c["delta"])}</div>'
        lines = "".join(f'<div class="pk-tile-line">{html.escape(line)}</div>' for line in c["lines"])
        parts.append(
            f'<section class="pk-tile" title="{html.escape(c["help"])}">'
            f'<div class="pk-tile-label">{html.escape(c["label"])} {c.get("badge", "")}</div>'
            f'<div class="pk-tile-value">{html.escape(c["value"])}</div>{delta}'
            f'{sparkline_svg(c["history"])}<div class="pk-tile-lines">{lines}</div></section>'
        )
    # At most four tiles in a row, and rows of equal length beyond: six tiles are two rows of three, never
    # five and an orphan (a wide screen would otherwise fit five).
    most = len(parts) if len(parts) <= 4 else -(-len(parts) // 2)
    return f'<div class="pk-tiles" style="--pk-cols: {max(most, 1)}">{"".join(parts)}</div>'


def bar_table(rows: list[dict]) -> str:
    """Kelurahan with a bar to scale each: name and kecamatan, the bar, the value and a note.

    Each row: nama, kecamatan, magnitude (bar length against the largest), text, note, tone.
    """
    if not rows:
        return ""
    largest = max(abs(r["magnitude"]) for r in rows) or 1.0
    out = []
    for r in rows:
        width = 100 * abs(r["magnitude"]) / largest
        sub = r["sub"] if "sub" in r else f"Kec. {r['kecamatan']}"
        out.append(
            f'<tr><td class="pk-chg-name">{html.escape(r["nama"])}<br><small>{html.escape(sub)}</small></td>'
            f'<td class="pk-chg-bar"><div class="pk-bar pk-{r["tone"]}" style="width:{width:.0f}%"></div></td>'
            f'<td class="pk-chg-val pk-{r["tone"]}">{html.escape(r["text"])}<br><small>{html.escape(r["note"])}</small></td></tr>'
        )
    return f'<table class="pk-changes">{"".join(out)}</table>'


def quality_list(items: list[dict]) -> str:
    """One row per chart line: its name, its badge, and why."""
    rows = "".join(
        f'<li class="pk-quality-row"><span class="pk-quality-name">{html.escape(i["nama"])}</span>'
        f'{i["badge"]}<span class="pk-quality-why">{html.escape(i["why"])}</span></li>'
        for i in items
    )
    return f'<ul class="pk-quality">{rows}</ul>'
