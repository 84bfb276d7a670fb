"""Resolution rules for days, months and years: ISO dates, month + day, day ranges, months, years
and decades, year spans, holidays, 'today' / 'yesterday', weekdays and weekends.

Each rule takes (normalized text, publication date, tense) and returns a value or None; the order
in which they are tried lives in :mod:`newsfuse.analyze.time.resolve`. Kept apart from the periods
(:mod:`~newsfuse.analyze.time.periods`) since these name one calendar day or unit directly.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from newsfuse import defaults
from newsfuse.analyze.time.values import (
    _HOLIDAYS,
    _MON_RE,
    _MONTHS,
    _REL_WORDS,
    _WD_RE,
    _WEEKDAYS,
    Tense,
    _month_range,
    _pick,
    _safe_date,
    _unanchored,
    _Value,
)


def _iso(s: str, pub: date | None, tense: Tense) -> _Value | None:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[t ].*)?", s)
    if not m:
        return None
    d = _safe_date(int(m[1]), int(m[2]), int(m[3]))
    return _Value(d, d, "day") if d else None


def _month_day(s: str, pub: date | None, tense: Tense) -> _Value | None:
    m = re.fullmatch(
        rf"(?:the )?(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?: of)? (?P<m1>{_MON_RE})|"
        rf"(?P<m2>{_MON_RE}) (?:the )?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?)(?:,? (?P<y>\d{{4}}))?",
        s,
    )
    if not m:
        return None
    month, day = _MONTHS[m["m1"] or m["m2"]], int(m["d1"] or m["d2"])
    if m["y"]:
        d = _safe_date(int(m["y"]), month, day)
        return _Value(d, d, "day") if d else None
    if _safe_date(2024, month, day) is None:  # 2024 is a leap year: Feb 29 is a real date
        return None
    if pub is None:
        return _unanchored("day")
    options = [(d.toordinal(), d) for y in (pub.year - 1, pub.year, pub.year + 1)
               if (d := _safe_date(y, month, day)) is not None]
    chosen = _pick(options, pub.toordinal(), tense)  # type: ignore[arg-type]
    if not isinstance(chosen, date):
        return None
    return _Value(chosen, chosen, "day", relative=True, guessed=tense == "present")


def _day_range(s: str, pub: date | None, tense: Tense) -> _Value | None:
    """'September 16-19', '16-19 September 2016': days of one month, resolved like the first day."""
    m = re.fullmatch(rf"(?:(?P<m1>{_MON_RE}) (?P<a1>\d{{1,2}})-(?P<b1>\d{{1,2}})|"
                     rf"(?P<a2>\d{{1,2}})-(?P<b2>\d{{1,2}}) (?P<m2>{_MON_RE}))(?:,? (?P<y>\d{{4}}))?",
                     s.replace(" - ", "-"))
    if not m:
        return None
    month, first, last = m["m1"] or m["m2"], m["a1"] or m["a2"], m["b1"] or m["b2"]
    year = f" {m['y']}" if m["y"] else ""
    start = _month_day(f"{month} {first}{year}", pub, tense)
    end = _month_day(f"{month} {last}{year}", pub, tense)
    if start is None or end is None or (start.start and end.end and end.end < start.start):
        return None
    return replace(start, end=end.end, precision="range")


def _month(s: str, pub: date | None, tense: Tense) -> _Value | None:
    m = re.fullmatch(rf"(?:(?P<rel>{_REL_WORDS}) )?(?P<m>{_MON_RE})(?:(?: of)?,? (?P<y>\d{{4}}))?", s)
    if not m:
        return None
    month = _MONTHS[m["m"]]
    if m["y"]:
        return _Value(*_month_range(int(m["y"]), month), "month")
    if pub is None:
        return _unanchored("month")
    now = pub.year * 12 + pub.month - 1
    years = (pub.year - 1, pub.year, pub.year + 1)
    options: list[tuple[int, object]] = [(y * 12 + month - 1, y) for y in years]
    rel = m["rel"]
    if rel in ("last", "past"):
        options, direction = [o for o in options if o[0] < now], "past"
    elif rel in ("next", "coming"):
        options, direction = [o for o in options if o[0] > now], "future"
    else:
        direction = tense
    year = _pick(options, now, direction)  # type: ignore[arg-type]
    if not isinstance(year, int):
        return None
    guessed = rel is None and tense == "present"
    return _Value(*_month_range(year, month), "month", relative=True, guessed=guessed)


def _year(s: str, pub: date | None, tense: Tense) -> _Value | None:
    m = re.fullmatch(r"(?:the )?(\d{3})0s|(\d{4})", s)
    if not m:
        return None
    if m[1]:
        first = int(m[1]) * 10
        return _Value(date(first, 1, 1), date(first + 9, 12, 31), "range")
    year = int(m[2])
    if not defaults.TIME_MIN_YEAR <= year <= defaults.TIME_MAX_YEAR:
        return None
    return _Value(date(year, 1, 1), date(year, 12, 31), "year")


_DAY_WORDS = {
    "today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
    "earlier in the day": 0, "later in the day": 0, "earlier that day": 0, "later that day": 0,
    "later on the day": 0, "yesterday": -1, "last night": -1, "tomorrow": 1,
    "the day before yesterday": -2, "day before yesterday": -2, "the day after tomorrow": 2,
    "day after tomorrow": 2,
}


def _year_span(s: str, pub: date | None, tense: Tense) -> _Value | None:
    """'1995 to 1997', '2014-2016', 'the year 2000'."""
    m = re.fullmatch(r"(?:between |from )?(\d{4}) ?(?:-|to|through|and) ?(\d{4})|the year (\d{4})", s)
    if not m:
        return None
    if m[3]:
        return _year(m[3], pub, tense)
    first, last = int(m[1]), int(m[2])
    if not defaults.TIME_MIN_YEAR <= first < last <= defaults.TIME_MAX_YEAR:
        return None
    return _Value(date(first, 1, 1), date(last, 12, 31), "range")


def _holiday(s: str, pub: date | None, tense: Tense) -> _Value | None:
    return _month_day(_HOLIDAYS[s], pub, tense) if s in _HOLIDAYS else None


def _day_word(s: str, pub: date | None, tense: Tense) -> _Value | None:
    base = re.sub(r" (?:morning|afternoon|evening|night)$", "", s) if s.split()[0] in (
        "today", "yesterday", "tomorrow") else s
    if base not in _DAY_WORDS:
        return None
    if pub is None:
        return _unanchored("day")
    d = pub + timedelta(days=_DAY_WORDS[base])
    return _Value(d, d, "day", relative=True)


def _weekday(s: str, pub: date | None, tense: Tense) -> _Value | None:
    m = re.fullmatch(
        rf"(?:(?P<rel>{_REL_WORDS}) )?(?P<w>{_WD_RE})(?: (?:morning|afternoon|evening|night))?", s)
    if not m:
        return None
    if pub is None:
        return _unanchored("day")
    target, rel = _WEEKDAYS[m["w"]], m["rel"]
    back = (pub.weekday() - target) % 7  # days since the most recent such day (0 = publication day)
    ahead = (target - pub.weekday()) % 7
    if rel in ("last", "past"):
        d = pub - timedelta(days=back or 7)
    elif rel in ("next", "coming"):
        d = pub + timedelta(days=ahead or 7)
    elif tense == "future":
        d = pub + timedelta(days=ahead)
    else:
        d = pub - timedelta(days=back)
    return _Value(d, d, "day", relative=True, guessed=rel is None and tense == "present")


def _weekend(s: str, pub: date | None, tense: Tense) -> _Value | None:
    m = re.fullmatch(r"(?:(?P<rel>last|this|next|past|coming|the) )?weekend", s)
    if not m:
        return None
    if pub is None:
        return _unanchored("range")
    rel = m["rel"]
    last_sat = pub - timedelta(days=(pub.weekday() - 5) % 7)  # most recent Saturday on/before pub
    in_weekend = pub.weekday() >= 5
    if rel in ("last", "past"):
        sat = last_sat - timedelta(days=7) if in_weekend else last_sat
    elif rel in ("next", "coming") or (tense == "future" and not in_weekend):
        sat = last_sat + timedelta(days=7)
    else:
        sat = last_sat
    return _Value(sat, sat + timedelta(days=1), "range", relative=True)
