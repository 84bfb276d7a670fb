"""The value a time expression resolves to, the calendar words and the date arithmetic shared by
the resolution rules (:mod:`newsfuse.analyze.time.days`, :mod:`~newsfuse.analyze.time.periods`,
:mod:`~newsfuse.analyze.time.fallback`) and the finding of spans (:mod:`~newsfuse.analyze.time.patterns`).

Kept apart so every rule module reads one vocabulary (months, weekdays, seasons, number words) and
one set of helpers (month and quarter ranges, picking a candidate by tense) without importing the
others. Package-internal: :mod:`newsfuse.analyze.time.extract` is the entry point.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from newsfuse.analyze.amounts import parse_number

Tense = Literal["past", "present", "future"]


@dataclass(frozen=True, slots=True)
class _Value:
    start: date | None  # None: relative, and no publication date to anchor it
    end: date | None
    precision: str
    relative: bool = False
    guessed: bool = False  # the direction (past/future) was a guess: the tense did not say
    vague: bool = False  # a window standing for fuzzy words ('early August', 'coming days')
    fallback: bool = False  # found by dateparser, not by our rules


_MONTHS = {
    name: n
    for n, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_WEEKDAYS = {d: n for n, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday",
                                          "saturday", "sunday"))}
_SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a few": 3, "few": 3, "several": 3,
}
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}  # first month
_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365, "quarter": 91, "decade": 3652}
_HOLIDAYS = {"christmas": "december 25", "christmas day": "december 25", "christmas eve": "december 24",
             "new year's day": "january 1", "new year's eve": "december 31"}

_MON_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_WD_RE = "|".join(_WEEKDAYS)
_REL_WORDS = "last|this|next|past|coming"
_TENS_RE = (r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
            r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?")
_NUM_RE = (r"a few|few|several|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
           rf"fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|{_TENS_RE}|\d{{1,3}}")


# --- helpers ----------------------------------------------------------------------------------


def _unanchored(precision: str, **flags: bool) -> _Value:
    return _Value(None, None, precision, relative=True, **flags)


def _month_range(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    n = year * 12 + (month - 1) + by
    return n // 12, n % 12 + 1


def _week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def _quarter_range(year: int, q: int) -> tuple[date, date]:
    start = date(year, 3 * q - 2, 1)
    return start, _month_range(year, 3 * q)[1]


def _pick(candidates: list[tuple[int, object]], now: int, tense: Tense) -> object | None:
    """The candidate (ordinal, payload) chosen by tense: past -> latest <= now, future -> earliest >= now,
    present -> nearest (ties go to the past, the usual case in news)."""
    if tense == "past":
        before = [c for c in candidates if c[0] <= now]
        return max(before, key=lambda c: c[0])[1] if before else None
    if tense == "future":
        after = [c for c in candidates if c[0] >= now]
        return min(after, key=lambda c: c[0])[1] if after else None
    return min(candidates, key=lambda c: (abs(c[0] - now), c[0] > now))[1]


def _number(word: str) -> int | None:
    if word in _SMALL_NUMBERS:
        return _SMALL_NUMBERS[word]
    value = parse_number(word)
    return int(value) if value is not None and value == int(value) else None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
