"""Resolution of a time expression's text against the publication date: normalizing the text,
trying the rules in order, and the compound rules that resolve an inner expression ('earlier this
month', 'end of September', 'early August').

The compound rules call :func:`_resolve` again, so they live here with it rather than with the
simple rules of :mod:`newsfuse.analyze.time.days` and :mod:`~newsfuse.analyze.time.periods`.
:func:`resolve` is re-exported by :mod:`newsfuse.analyze.time.extract`, the entry point.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

from newsfuse.analyze.time.days import (
    _day_range,
    _day_word,
    _holiday,
    _iso,
    _month,
    _month_day,
    _weekday,
    _weekend,
    _year,
    _year_span,
)
from newsfuse.analyze.time.fallback import _dateparser_value
from newsfuse.analyze.time.periods import (
    _ago,
    _coming,
    _period_at,
    _quarter,
    _relative_period,
    _season,
    _window,
)
from newsfuse.analyze.time.values import _NUM_RE, Tense, _unanchored, _Value

_LEADING_WORDS = re.compile(
    r"^(?:on|in|at|since|by|until|till|from|during|through|throughout|before|after|as of|for|of|"
    r"around|about|over|within)\s+"
)


def resolve(
    text: str, published: date | str | None, *, tense: Tense = "present"
) -> tuple[str | None, str | None, str]:
    """``(value_start, value_end, precision)`` of a time expression, relative to ``published``.

    Works without a parse (``tense`` defaults to 'present': weekdays then fall back to the news
    convention of the most recent such day, undated months to the nearest one). Returns
    ``(None, None, precision)`` for a relative expression when ``published`` is None, and
    ``(None, None, 'unknown')`` for text that is not a date. Deterministic: never uses today's date.
    """
    value = _resolve(text, _as_date(published), tense)
    if value is None:
        return None, None, "unknown"
    start = value.start.isoformat() if value.start else None
    end = value.end.isoformat() if value.end else None
    return start, end, value.precision


def _as_date(published: date | str | None) -> date | None:
    if published is None:
        return None
    if isinstance(published, datetime):
        return published.date()
    if isinstance(published, date):
        return published
    try:
        return date.fromisoformat(published.strip()[:10])
    except ValueError:
        return None


def _normalize(text: str) -> str:
    s = text.lower().replace("\u2019", "'").replace("\u2013", "-").replace("\u2014", "-")
    s = re.sub(r"\s+", " ", s).strip(" ,.;:()\"'")
    s = re.sub(r"'s$", "", s)
    s = re.sub(r"\b(jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.", r"\1", s)
    prev = None
    while prev != s:
        prev, s = s, _LEADING_WORDS.sub("", s)
    return s


def _resolve(text: str, pub: date | None, tense: Tense) -> _Value | None:
    s = _normalize(text)
    if not s or _DURATION.fullmatch(s):
        return None
    for rule in _RULES:
        value = rule(s, pub, tense)
        if value is not None:
            return value
    return _dateparser_value(s, pub, tense)


_DURATION = re.compile(
    rf"(?:(?:just |well |a little |a bit )?(?:over|under|about|around|nearly|almost|more than|less than|"
    rf"some|roughly|at least|up to|only|barely) )?(?:{_NUM_RE}|\d+|many|a couple of|the|another|a full|"
    r"a whole)(?: (?:more|full|whole|long|working|straight|consecutive))? "
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|months?|years?|decades?|centuries)"
    r"(?: (?:long|later|earlier|before|after|old|running|in a row))?"
)


def _earlier_later(s: str, pub: date | None, tense: Tense) -> _Value | None:
    m = re.fullmatch(r"(?P<el>earlier|later) (?:this|in the) (?P<p>week|month|year)", s)
    if m:
        if pub is None:
            return _unanchored("range")
        period = _period_at(m["p"], pub, 0)
        assert period.start is not None and period.end is not None
        if m["el"] == "earlier":
            return replace(period, end=max(period.start, pub - timedelta(days=1)), precision="range")
        return replace(period, start=min(period.end, pub + timedelta(days=1)), precision="range")
    m = re.fullmatch(r"(?P<el>earlier|later) (?:in|this) (?P<rest>.+)", s)
    if not m:
        return None
    inner = _resolve(m["rest"], pub, "past" if m["el"] == "earlier" else tense)
    if inner is None or inner.start is None or inner.end is None or pub is None:
        return inner
    if m["el"] == "earlier" and inner.start < pub <= inner.end:
        return replace(inner, end=pub - timedelta(days=1))
    return inner


_PART = {"early": 0, "beginning of": 0, "start of": 0, "mid": 1, "middle of": 1, "late": 2, "end of": 2}


def _part_of(s: str, pub: date | None, tense: Tense) -> _Value | None:
    m = re.fullmatch(
        r"(?:the )?(?P<part>beginning of|start of|middle of|end of|early|mid|late)[- ](?P<rest>.+)", s)
    if not m:
        return None
    rest = re.sub(r"^the (week|month|year)$", r"this \1", m["rest"])
    inner = _resolve(rest, pub, tense)
    if inner is None:
        return None
    if inner.start is None or inner.end is None:
        return replace(inner, precision="range", vague=True)
    if inner.precision == "day":
        return inner  # 'early Monday' is still Monday
    start, end = _window(inner.start, inner.end, inner.precision, _PART[m["part"]])
    return replace(inner, start=start, end=end, precision="range", vague=True)


_Rule = Callable[[str, "date | None", Tense], "_Value | None"]
_RULES: tuple[_Rule, ...] = (
    _iso, _month_day, _day_range, _month, _year, _year_span, _holiday, _day_word, _weekday, _weekend,
    _relative_period, _earlier_later, _part_of, _coming, _ago, _quarter, _season,
)
