"""The story timeline as a chart, computed server-side (no script, no network).

One row per dated entry: its words as page text (so they stay readable on a phone) beside a track
where a dot marks a day and a bar a range, hollow and dashed when the date is estimated. Positions are
percentages of the track, so the drawing stretches to any width without shrinking its text.

The axis spans the story: its first to last reporting day, widened by ``TIMELINE_CONTEXT_DAYS`` for
entries just around it. Entries further out are background (``outside``), listed, not drawn; undated
entries are returned apart too.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from newsfuse import defaults

TICKS = 5  # most axis labels across the range
MIN_BAR = 1.5  # percent of the track: a range shorter than this still shows as a bar


def timeline_chart(entries: list[dict[str, Any]], story: dict[str, Any] | None = None) -> dict[str, Any]:
    dated, undated = [], []
    for e in entries:
        start, end = _day(e.get("date_start")), _day(e.get("date_end"))
        if start is None:
            undated.append(e)
        else:
            dated.append((start, max(end or start, start), e))
    empty = {"items": [], "ticks": [], "undated": undated, "outside": [], "more": 0, "estimated": False}
    if not dated:
        return empty
    days = _story_days(story or {})
    if days is None:
        inside, outside = dated, []
    else:
        margin = timedelta(days=defaults.TIMELINE_CONTEXT_DAYS)
        window = (days[0] - margin, days[1] + margin)
        inside = [d for d in dated if d[1] >= window[0] and d[0] <= window[1]]
        outside = [e for s, x, e in dated if x < window[0] or s > window[1]]
    if not inside:
        return {**empty, "outside": outside}
    # the axis: the reporting days and the entries drawn, a day of air on each side
    lo = min(*(s for s, _, _ in inside), *(days or ())) - timedelta(days=1)
    hi = max(*(x for _, x, _ in inside), *(days or ())) + timedelta(days=1)
    span = max((hi - lo).days, 1)

    def x(d: date) -> float:
        return round(100 * (min(max(d, lo), hi) - lo).days / span, 2)

    drawn = inside[: defaults.TIMELINE_CHART_ROWS]
    items = []
    for start, end, e in drawn:
        x1, x2 = x(start), x(end)
        point = start == end
        items.append({"x1": x1, "w": max(x2 - x1, MIN_BAR), "point": point, "when": _when(start, end),
                      "text": e.get("text", ""), "estimated": bool(e.get("estimated")),
                      "claim_id": e.get("claim_id")})
    return {"items": items, "ticks": _ticks(lo, hi, x), "undated": undated, "outside": outside,
            "more": len(inside) - len(drawn), "estimated": any(i["estimated"] for i in items),
            "start": lo.isoformat(), "end": hi.isoformat()}


def _story_days(story: dict[str, Any]) -> tuple[date, date] | None:
    """The story's first and last reporting day, when known."""
    first, last = _day(story.get("first_seen")), _day(story.get("last_update"))
    if first is None or last is None:
        return None
    return min(first, last), max(first, last)


def _ticks(lo: date, hi: date, x: Any) -> list[dict[str, Any]]:
    span = (hi - lo).days
    step = max(1, round(span / (TICKS - 1)))
    days = [lo + timedelta(days=k) for k in range(0, span + 1, step)]
    same_year = lo.year == hi.year
    ticks = [{"x": x(d), "label": _short(d, same_year), "anchor": "middle", "minor": i % 2 == 1}
             for i, d in enumerate(days)]
    ticks[0]["anchor"] = "start"  # keep edge labels inside the drawing
    if len(ticks) > 1 and ticks[-1]["x"] > 90:
        ticks[-1]["anchor"] = "end"
    return ticks


def _short(d: date, same_year: bool) -> str:
    return f"{d:%b} {d.day}" if same_year else f"{d:%b} {d.day} {d.year}"


def _when(start: date, end: date) -> str:
    return start.isoformat() if start == end else f"{start.isoformat()} – {end.isoformat()}"


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
