"""The dateparser fallback for date forms our rules do not cover ('the 5th of last month').

Kept apart because dateparser is slow to import and is only reached when every rule of
:mod:`newsfuse.analyze.time.resolve` missed; the guards here keep it off texts it misreads.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from newsfuse.analyze.time.values import _MON_RE, _WD_RE, Tense, _month_range, _Value, _week_of

# Only texts made of date words go to dateparser: it reads '10 in 2000' as October 2000.
_DATE_WORDS = re.compile(
    rf"(?:(?:{_MON_RE}|{_WD_RE}|\d{{1,4}}(?:st|nd|rd|th)?|the|of|on|at|and|noon|midnight|morning|afternoon|"
    rf"evening|night|a\.m|p\.m|[,/.:-])\s*)+"
)
_NAMED = re.compile(rf"\b(?:{_MON_RE}|{_WD_RE})\b|\b\d{{4}}\b|\d{{1,2}}/\d{{1,2}}/\d{{2,4}}")


def _dateparser_value(s: str, pub: date | None, tense: Tense) -> _Value | None:
    """Forms our rules do not cover ('the 5th of last month'); only when a month, weekday, year or
    numeric date is named, since dateparser reads bare clock times and vague words as 'today'."""
    if pub is None or not _NAMED.search(s) or not _DATE_WORDS.fullmatch(s):
        return None
    from dateparser.date import DateDataParser  # slow import: only when a rule missed

    settings = {
        "RELATIVE_BASE": datetime(pub.year, pub.month, pub.day),
        "PREFER_DATES_FROM": {"past": "past", "future": "future"}.get(tense, "current_period"),
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    try:
        data = DateDataParser(languages=["en"], settings=settings).get_date_data(s)
    except (ValueError, OverflowError):
        return None
    found = data.date_obj
    if found is None:
        return None
    d = found.date()
    relative = not re.search(r"\b\d{4}\b", s)
    if relative and abs(d.year - pub.year) > 1:
        return None  # a year read out of other digits ('September 16-19' -> 1919)
    period = data.period or "day"
    if period == "month":
        start, end = _month_range(d.year, d.month)
    elif period == "year":
        start, end = date(d.year, 1, 1), date(d.year, 12, 31)
    elif period == "week":
        start, end = _week_of(d)
    else:
        start, end, period = d, d, "day"
    return _Value(start, end, period, relative=relative, fallback=True)
