"""The story timeline as an SVG chart, computed server-side (no script, no network).

One row per dated entry: a dot for a day, a bar for a range, hollow and dashed when estimated;
a date axis on top. Undated entries are returned separately for a plain list under the chart.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

WIDTH = 760  # px of the drawing; the SVG scales to the page width via viewBox
ROW = 30  # px per entry row
TOP = 34  # px above the first row, for the axis labels
SIDE = 16  # px left and right padding
TICKS = 5  # axis labels across the range
MIN_BAR = 6  # px: a range shorter than this still shows as a bar
LABEL_FLIP = 0.55  # past this share of the width, labels go left of the marker


def timeline_chart(entries: list[dict[str, Any]]) -> dict[str, Any]:
    dated, undated = [], []
    for e in entries:
        start, end = _day(e.get("date_start")), _day(e.get("date_end"))
        if start is None:
            undated.append(e)
        else:
            dated.append((start, max(end or start, start), e))
    if not dated:
        return {"items": [], "ticks": [], "undated": undated, "width": WIDTH, "height": 0}
    lo = min(s for s, _, _ in dated) - timedelta(days=1)
    hi = max(e for _, e, _ in dated) + timedelta(days=1)
    span = max((hi - lo).days, 1)

    def x(d: date) -> float:
        return round(SIDE + (WIDTH - 2 * SIDE) * (d - lo).days / span, 1)

    items = []
    for i, (start, end, e) in enumerate(dated):
        x1, x2 = x(start), x(end)
        point = start == end
        if not point and x2 - x1 < MIN_BAR:
            x2 = x1 + MIN_BAR
        flip = x1 > WIDTH * LABEL_FLIP
        when = start.isoformat() if point else f"{start.isoformat()} – {end.isoformat()}"
        items.append({"x1": x1, "x2": x2, "y": TOP + i * ROW + ROW / 2, "point": point, "when": when,
                      "text": e.get("text", ""), "estimated": bool(e.get("estimated")),
                      "anchor": "end" if flip else "start", "lx": (x1 - 9) if flip else (x2 + 9),
                      "claim_id": e.get("claim_id")})
    step = span / (TICKS - 1)
    days = dict.fromkeys(lo + timedelta(days=round(step * k)) for k in range(TICKS))  # short spans repeat
    ticks = [{"x": x(d), "label": d.isoformat(), "anchor": "middle"} for d in days]
    ticks[0]["anchor"], ticks[-1]["anchor"] = "start", "end"  # keep edge labels inside the drawing
    if len(ticks) == 1:
        ticks[0]["anchor"] = "start"
    return {"items": items, "ticks": ticks, "undated": undated, "width": WIDTH,
            "height": TOP + len(items) * ROW + 8}


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
