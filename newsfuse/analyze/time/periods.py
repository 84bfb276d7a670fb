"""Resolution rules for periods relative to the publication date: 'last week', 'the coming days',
'two years ago', quarters and halves, seasons, and the early / middle / late window of a period.

Each rule takes (normalized text, publication date, tense) and returns a value or None. Kept apart
from :mod:`newsfuse.analyze.time.days`: these compute a stretch of days from the publication date
rather than read a named date; the seasons' northern-hemisphere convention is documented in
:mod:`newsfuse.analyze.time.extract`.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from newsfuse import defaults
from newsfuse.analyze.time.values import (
    _NUM_RE,
    _REL_WORDS,
    _SEASONS,
    _UNIT_DAYS,
    Tense,
    _month_range,
    _number,
    _quarter_range,
    _shift_month,
    _unanchored,
    _Value,
    _week_of,
)


def _relative_period(s: str, pub: date | None, tense: Tense) -> _Value | None:
    m = re.fullmatch(
        r"(?P<the>the )?(?P<rel>last|past|previous|this|current|next|coming|following) "
        r"(?P<p>week|month|year|quarter|decade)", s)
    if not m:
        return None
    unit, rel = m["p"], m["rel"]
    rolling = m["the"] is not None and rel in ("last", "past")  # 'the past week': 7 days up to now
    if rolling or unit == "decade":
        if rel not in ("last", "past", "previous"):
            return None
        if pub is None:
            return _unanchored("range")
        return _Value(pub - timedelta(days=_UNIT_DAYS[unit]), pub, "range", relative=True, vague=True)
    if pub is None:
        return _unanchored(unit if unit != "quarter" else "range")
    by = {"last": -1, "past": -1, "previous": -1, "this": 0, "current": 0}.get(rel, 1)
    return _period_at(unit, pub, by)


def _period_at(unit: str, pub: date, by: int) -> _Value:
    """The week/month/year/quarter ``by`` periods away from the one holding ``pub``."""
    if unit == "week":
        start, end = _week_of(pub + timedelta(days=7 * by))
        return _Value(start, end, "week", relative=True)
    if unit == "month":
        return _Value(*_month_range(*_shift_month(pub.year, pub.month, by)), "month", relative=True)
    if unit == "quarter":
        y, m = _shift_month(pub.year, pub.month, 3 * by)
        return _Value(*_quarter_range(y, (m - 1) // 3 + 1), "range", relative=True)
    return _Value(date(pub.year + by, 1, 1), date(pub.year + by, 12, 31), "year", relative=True)


def _window(start: date, end: date, precision: str, third: int) -> tuple[date, date]:
    """The early (0), middle (1) or late (2) part of the period ``start..end``."""
    if precision == "month":
        cuts = (0, defaults.EARLY_MONTH_LAST_DAY, defaults.MID_MONTH_LAST_DAY, end.day)
        return start.replace(day=cuts[third] + 1), start.replace(day=cuts[third + 1])
    if precision == "year":
        first = 1 + 4 * third
        return date(start.year, first, 1), _month_range(start.year, first + 3)[1]
    n = (end - start).days + 1
    lo, hi = (third * n) // 3, -(-(third + 1) * n // 3) - 1  # thirds overlap by a day when n is odd
    return start + timedelta(days=lo), start + timedelta(days=hi)


def _coming(s: str, pub: date | None, tense: Tense) -> _Value | None:
    m = re.fullmatch(
        rf"(?:the )?(?P<dir>coming|upcoming|next few|next|past few|past|last few|last|previous few|previous|"
        rf"recent)(?: (?P<n>{_NUM_RE}))? (?P<u>days|weeks|months|years|decades)", s)
    if not m:
        return None
    if pub is None:
        return _unanchored("range")
    unit = m["u"][:-1]
    n = _number(m["n"]) if m["n"] else None
    span = timedelta(days=n * _UNIT_DAYS[unit] if n else defaults.VAGUE_SPAN_DAYS[unit])
    if m["dir"] in ("coming", "upcoming", "next few", "next"):
        return _Value(pub + timedelta(days=1), pub + span, "range", relative=True, vague=True)
    return _Value(pub - span, pub, "range", relative=True, vague=True)


def _ago(s: str, pub: date | None, tense: Tense) -> _Value | None:
    m = re.fullmatch(rf"(?P<approx>(?:just |well )?(?:nearly|almost|about|around|more than|over|some|roughly|"
                     rf"less than|under) )?(?P<n>{_NUM_RE}) (?P<u>day|week|month|year|decade)s? ago", s)
    if not m or (n := _number(m["n"])) is None:
        return None
    unit = m["u"] if m["u"] != "decade" else "year"
    n *= 10 if m["u"] == "decade" else 1
    if pub is None:
        return _unanchored(unit)
    if unit == "day":
        d = pub - timedelta(days=n)
        value = _Value(d, d, "day", relative=True)
    else:
        value = _period_at(unit, pub, -n)
    return replace(value, vague=bool(m["approx"]) or m["n"] in ("a few", "few", "several"))


_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
             "last": 4, "final": 4}


def _quarter(s: str, pub: date | None, tense: Tense) -> _Value | None:
    m = re.fullmatch(
        r"(?:the )?(?P<o>first|second|third|fourth|last|final|1st|2nd|3rd|4th) (?P<k>quarter|half)"
        r"(?: of)?(?: (?P<y>\d{4}|(?:this|next|last) year|the year))?|q(?P<q>[1-4])(?: (?P<y2>\d{4}))?", s)
    if not m:
        return None
    year_text = m["y"] or m["y2"]
    if year_text and year_text.isdigit():
        year, relative = int(year_text), False
    elif pub is None:
        return _unanchored("range")
    else:
        year, relative = pub.year + {"last year": -1, "next year": 1}.get(year_text or "", 0), True
    if m["q"]:
        return _Value(*_quarter_range(year, int(m["q"])), "range", relative=relative)
    n = _ORDINALS[m["o"]]
    if m["k"] == "half":
        last_month = 12 if n >= 2 else 6  # 'second/last half' vs 'first half'
        start = date(year, last_month - 5, 1)
        return _Value(start, _month_range(year, last_month)[1], "range", relative=relative)
    return _Value(*_quarter_range(year, n), "range", relative=relative)


def _season_range(name: str, year: int) -> tuple[date, date]:
    first = _SEASONS[name]
    end_year, end_month = _shift_month(year, first, 2)
    return date(year, first, 1), _month_range(end_year, end_month)[1]


def _season(s: str, pub: date | None, tense: Tense) -> _Value | None:
    m = re.fullmatch(rf"(?:the )?(?:(?P<rel>{_REL_WORDS}) )?(?P<s>spring|summer|autumn|fall|winter)"
                     r"(?:(?: of)? (?P<y>\d{4}))?", s)
    if not m or (m["s"] == "fall" and not (m["rel"] or m["y"])):
        return None  # a bare 'fall' is more often the verb or noun than the season
    if m["y"]:
        return _Value(*_season_range(m["s"], int(m["y"])), "season")
    if pub is None:
        return _unanchored("season")
    rel = m["rel"]
    pick = _season_span(m["s"], pub, "past" if rel in ("last", "past") else
                        "future" if rel in ("next", "coming") else tense, holding_ok=rel not in (
                            "last", "past", "next", "coming"))
    return _Value(*pick, "season", relative=True, guessed=rel is None and tense == "present")


def _season_span(name: str, pub: date, direction: Tense, *, holding_ok: bool) -> tuple[date, date]:
    """The season ``name`` meant from ``pub``: the one under way (when ``holding_ok``: 'this winter',
    'in the summer'), else the last one ended when ``direction`` is past ('this winter was the
    coldest', 'last spring'), else the coming one: a present or future clause looks ahead ('choose
    between food and a roof this winter' in September is the winter starting in December)."""
    spans = [_season_range(name, y) for y in range(pub.year - 2, pub.year + 2)]
    holding = [sp for sp in spans if sp[0] <= pub <= sp[1]]
    if holding and holding_ok:
        return holding[0]
    if direction == "past":
        return max((sp for sp in spans if sp[1] < pub), key=lambda sp: sp[0])
    return min((sp for sp in spans if sp[0] > pub), key=lambda sp: sp[0])
