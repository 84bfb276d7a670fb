"""Time expressions found in a parse and resolved against the publication date.

Finding: our own patterns (the small spaCy model misses or mis-bounds many news dates: 'on Sunday',
'early August', 'in the coming days') plus the spaCy DATE/TIME entities they do not cover. A span
leaves out a leading preposition ('on Sunday' -> 'Sunday'); the value of 'since early August' or
'by the end of September' is the date named, not the interval the preposition opens.

Resolving (:func:`resolve`) never looks at today's date, only at the publication date:

* weekdays: the most recent such day on or before publication (the news convention), the next one
  on or after it when the clause is future ('will', 'is expected to', 'plans to') or says 'next';
* month + day or month without a year: past tense -> most recent, future -> next, present or
  unknown -> the nearest occurrence ('inauguration on January 20' in Nov 2024 -> 2025-01-20);
* parts of a period ('early/mid/late', 'beginning/middle/end of'): a month splits at days
  ``defaults.EARLY_MONTH_LAST_DAY`` / ``MID_MONTH_LAST_DAY`` ('end of September' -> Sep 21-30), a year
  into Jan-Apr / May-Aug / Sep-Dec, anything else (a week, a season) into thirds of its days
  ('end of the week' -> Fri-Sun);
* seasons are meteorological and of the northern hemisphere (spring = Mar-May ...; winter YEAR =
  Dec YEAR to Feb YEAR+1; a southern-hemisphere outlet's 'this summer' comes out six months off).
  'this winter' / 'in the summer' is the season under way, else the coming one; only a past-tense
  clause ('this winter was the coldest') reads it as the season just ended. 'last/next' + season
  skips the one under way. 'last week' is the previous Monday-Sunday week;
* vague spans ('in the coming days', 'recent weeks') reach ``defaults.VAGUE_SPAN_DAYS`` from the
  publication date; 'the past week' is the 7 days up to it, 'last week' the calendar week before;
* durations ('two months', 'just over two months', 'six days after') are not dates and are skipped
  (an event-anchored 'six days after the breach' is left to the fuse stage), as are clock times
  without a day ('3 p.m.') and anaphoric 'that day' / 'that year'.

Precision: 'day', 'week' (Mon-Sun), 'month', 'season', 'year', or 'range' for any other span (parts of
a period, quarters, day and year ranges, vague spans, weekends). ``confidence`` falls from an explicit
date to a relative one, to one whose direction was guessed, to a fuzzy window, to a dateparser reading
(``defaults.TIME_CONF_*``).

Not times (:func:`_not_a_time`): a named day ('Black Friday', 'Super Tuesday', 'USA Today'; a place
or person before a weekday is not a name: 'police in Vancouver Friday said'); a festival's bare name
modifying a noun with no frame word before it ('an office Christmas party', 'Christmas shopping', but
'before Christmas', 'last Christmas', 'Christmas Day' are times); a model year ('a 2013 Toyota
Camry', 'a 2019 sedan'). A year before any other noun phrase is a year of reference and stays a date
when found ('the 2016 election' dates the election); bare years are only looked for after a
preposition, since 'the 2000 troops' is a count.

When the publication date is unknown, absolute dates (with a year) still resolve; relative ones come
out with ``anchored=False`` and no values: say so rather than guess.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Literal

from newsfuse import defaults
from newsfuse.analyze import names
from newsfuse.analyze.amounts import parse_number
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.ids import content_id
from newsfuse.models import TimeExpr

Tense = Literal["past", "present", "future"]

__all__ = ["Tense", "clause_tense", "find_times", "resolve"]

# =============================================================================================
# resolution: text -> dates
# =============================================================================================


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


# --- rules: each takes (normalized text, publication date, tense) and returns a value or None ---

_DURATION = re.compile(
    rf"(?:(?:just |well |a little |a bit )?(?:over|under|about|around|nearly|almost|more than|less than|"
    rf"some|roughly|at least|up to|only|barely) )?(?:{_NUM_RE}|\d+|many|a couple of|the|another|a full|"
    r"a whole)(?: (?:more|full|whole|long|working|straight|consecutive))? "
    r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|months?|years?|decades?|centuries)"
    r"(?: (?:long|later|earlier|before|after|old|running|in a row))?"
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


_Rule = Callable[[str, "date | None", Tense], "_Value | None"]
_RULES: tuple[_Rule, ...] = (
    _iso, _month_day, _day_range, _month, _year, _year_span, _holiday, _day_word, _weekday, _weekend,
    _relative_period, _earlier_later, _part_of, _coming, _ago, _quarter, _season,
)


# --- dateparser fallback ---------------------------------------------------------------------

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


# =============================================================================================
# tense of the clause holding an expression
# =============================================================================================

_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
# Verbs whose present form looks forward: 'plans to', 'is expected to', 'is scheduled to'.
_FUTURE_LEMMAS = {"plan", "expect", "schedule", "due", "intend", "aim", "prepare", "set", "hope", "vow",
                  "promise", "pledge", "threaten", "propose"}
_CLIMB = {"VB", "VBG", "VBN"}  # non-finite verbs: the tense sits on the verb above them


def clause_tense(doc: ParsedDoc, i: int) -> Tense:
    """'past', 'future' or 'present' for token ``i``, from the first finite verb above it."""
    for j in (i, *doc.ancestors(i)):
        tok = doc.tokens[j]
        if tok.pos not in ("VERB", "AUX"):
            continue
        aux = [doc.tokens[k] for k in doc.children(j) if doc.tokens[k].dep in ("aux", "auxpass")]
        words = {a.text.lower() for a in aux}
        if words & _FUTURE_AUX:
            return "future"
        if any(a.tag == "VBD" for a in aux) or tok.tag == "VBD":
            return "past"
        if tok.lemma in _FUTURE_LEMMAS and tok.tag in ("VBZ", "VBP", "VBN", "VBG"):
            return "future"
        if tok.tag == "VBN" and any(a.lemma == "have" for a in aux):
            return "past"
        if words & {"would", "could", "might", "may", "should"}:
            return "present"
        if tok.tag in ("VBZ", "VBP") or any(a.tag in ("VBZ", "VBP") for a in aux):
            return "present"
        if tok.tag not in _CLIMB:
            return "present"
    return "present"


# =============================================================================================
# finding: text -> candidate spans
# =============================================================================================

_M_FULL = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_M_ANY = rf"(?:{_M_FULL}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YR = r"(?:1[89]\d\d|20\d\d)"
_N = rf"(?i:{_NUM_RE})"
_REL = r"(?i:last|this|next|past|previous|coming|current|following)"
_PER = r"(?i:week|weekend|month|year|quarter|decade)"
_SEAS = r"(?i:spring|summer|autumn|winter)"
_PARTOF = r"(?i:(?:early|mid|late)(?:-|\s+)|(?:the\s+)?(?:beginning|start|middle|end)\s+of\s+)"
_PREP = r"(?i:in|since|by|until|till|from|during|through|before|after|of|between|and)"

# Each pattern's span is group "x". Overlaps are settled longest-first, so order does not matter.
_PATTERNS = [re.compile(rf"(?<![\w-])(?P<x>{p})(?![\w-])") for p in (
    r"\d{4}-\d{2}-\d{2}",
    rf"(?:(?i:the)\s+)?{_DAY}(?:\s+(?i:of))?\s+{_M_ANY}(?:,?\s+{_YR})?",
    rf"{_M_ANY}\s+{_DAY}(?:,?\s+{_YR})?",
    rf"{_M_ANY}\s+{_DAY}\s*[-\u2013]\s*{_DAY}(?:,?\s+{_YR})?",
    rf"{_DAY}\s*[-\u2013]\s*{_DAY}\s+{_M_ANY}(?:,?\s+{_YR})?",
    rf"{_M_FULL}(?:\s+(?i:of))?,?\s+{_YR}",
    rf"{_PARTOF}(?:{_M_FULL}(?:,?\s+{_YR})?|{_YR}|(?i:the\s+)?(?:{_REL}\s+)?{_PER}|(?:{_REL}\s+)?{_SEAS})",
    rf"(?i:earlier|later)\s+(?i:this|in\s+the)\s+{_PER}",
    rf"(?i:earlier|later)\s+(?i:in|this)\s+(?:{_M_FULL}(?:\s+{_YR})?|{_YR})",
    rf"(?i:the\s+)?(?i:first|second|third|fourth|last|final|1st|2nd|3rd|4th)\s+(?i:quarter|half)"
    rf"(?:\s+(?i:of))?\s+(?:{_YR}|(?i:this|next|last|the)\s+(?i:year))",
    rf"Q[1-4]\s+{_YR}",
    rf"(?i:(?:the\s+)?(?:coming|upcoming|next\s+few|next|past\s+few|past|last\s+few|last|previous|recent)\s+)"
    rf"(?:{_N}\s+)?(?i:days|weeks|months|years|decades)",
    rf"(?:(?i:(?:just\s+|well\s+)?(?:nearly|almost|about|around|more\s+than|over|some|roughly))\s+)?"
    rf"{_N}\s+(?i:days?|weeks?|months?|years?|decades?)\s+(?i:ago)",
    rf"{_YR}\s*(?:[-\u2013]|(?i:to|through))\s*{_YR}",
    rf"(?i:the\s+year)\s+{_YR}",
    r"Christmas(?:\s+(?:Day|Eve))?|New\s+Year's\s+(?:Day|Eve)",
    r"(?i:(?:the\s+)?day\s+(?:before\s+yesterday|after\s+tomorrow)|(?:today|tonight|yesterday|tomorrow)"
    r"(?:\s+(?:morning|afternoon|evening|night))?|this\s+(?:morning|afternoon|evening)|last\s+night|"
    r"(?:earlier|later)\s+(?:in\s+the|on\s+the|that)\s+day)",
    rf"(?:(?i:the)\s+)?{_REL}\s+(?:{_PER}|{_SEAS}|(?i:fall)|{_WD}|{_M_FULL})",
    rf"{_WD}(?:\s+(?i:morning|afternoon|evening|night))?",
    r"(?i:the\s+)?(?i:weekend)",
    rf"{_SEAS}(?:\s+(?i:of))?\s+{_YR}",
    r"(?:(?i:the)\s+)?(?:1[89]|20)\d0s",
)]
# Bare months and years only after a preposition ('in May', 'since 2019'): alone, 'May' is a modal
# and a four-digit number a count. The preposition itself stays out of the span.
_PATTERNS += [
    re.compile(rf"(?<![\w-]){_PREP}\s+(?P<x>{_M_FULL})(?![\w-])"),
    re.compile(rf"(?<![\w-]){_PREP}\s+(?P<x>{_YR})(?![\w-])(?!\s*[-\u2013/]\s*\d)(?!\s+[a-z])"),
]

# Weekdays and 'Today' can be part of a name ('Black Friday', 'USA Today').
_NAME_START = re.compile(r"(?i:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Today|Tomorrow)\b")
# Words before a festival's name that make it a time ('on Christmas', 'last Christmas'); without
# one, a festival's name modifying a noun ('an office Christmas party') names a custom, not a time.
_HOLIDAY_FRAMES = frozenset(
    ("on", "at", "before", "after", "since", "during", "until", "till", "by", "over", "for", "from",
     "through", "around", "this", "last", "next", "of", "past", "coming", "ahead")
)
# Nouns naming a stretch of time: a festival's name modifying one is a time ('the Christmas season').
_PERIOD_NOUNS = frozenset(
    ("season", "holiday", "holidays", "period", "week", "weekend", "break", "time", "day", "morning",
     "night", "evening", "eve", "recess", "vacation", "fortnight")
)
# Nouns a model year modifies ('a 2013 sedan', 'the 2019 model').
_VEHICLE_NOUNS = frozenset(
    ("car", "truck", "vehicle", "sedan", "suv", "pickup", "van", "minivan", "model", "motorcycle",
     "motorbike", "jeep", "coupe", "hatchback", "convertible", "bus", "limousine", "wagon")
)


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    from_model: bool  # a spaCy entity, not one of our patterns


def _pattern_candidates(text: str) -> list[_Candidate]:
    return [_Candidate(m.start("x"), m.end("x"), False) for p in _PATTERNS for m in p.finditer(text)]


def _entity_candidates(doc: ParsedDoc) -> list[_Candidate]:
    out = []
    for ent in doc.ents:
        if ent.label not in ("DATE", "TIME"):
            continue
        start, end = ent.start_char, ent.end_char
        # trim what our spans leave out: a leading preposition or trailing punctuation
        lead = re.match(r"(?i)(?:on|in|at|since|by|until|from|during)\s+", doc.text[start:end])
        if lead:
            start += lead.end()
        out.append(_Candidate(start, end, True))
    return out


def _select(found: list[tuple[_Candidate, _Value]]) -> list[tuple[_Candidate, _Value]]:
    """Non-overlapping resolved candidates, longest first; our patterns win ties against the model."""
    chosen: list[tuple[_Candidate, _Value]] = []
    for c, v in sorted(found, key=lambda cv: (-(cv[0].end - cv[0].start), cv[0].from_model, cv[0].start)):
        if all(c.end <= o.start or c.start >= o.end for o, _ in chosen):
            chosen.append((c, v))
    return sorted(chosen, key=lambda cv: cv[0].start)


def _is_name(doc: ParsedDoc, cand: _Candidate) -> bool:
    """'Black Friday', 'Marovia Today': a weekday after a named-day word, or 'Today' after a proper
    noun. 'in Vancouver Friday' stays a date: a place or person before a weekday is no part of it."""
    if not _NAME_START.match(doc.text, cand.start) or not doc.text[cand.start].isupper():
        return False
    i = doc.token_at(cand.start)
    if i is None or i == 0 or doc.tokens[i - 1].sent != doc.tokens[i].sent:
        return False
    prev = doc.tokens[i - 1]
    if not prev.text[:1].isupper():
        return False
    if doc.tokens[i].text.casefold() in _WEEKDAYS:
        return prev.text.casefold() in names.NAMED_DAY_WORDS
    return prev.pos == "PROPN"


def _not_a_time(doc: ParsedDoc, cand: _Candidate) -> bool:
    """Words that look like dates but name something else: a named day, a festival's name used as a
    modifier, a model year."""
    return _is_name(doc, cand) or _festival_modifier(doc, cand) or _model_year(doc, cand)


def _festival_modifier(doc: ParsedDoc, cand: _Candidate) -> bool:
    """'an office Christmas party', 'Christmas shopping': a festival's bare name modifying a noun,
    with no frame word before it ('on', 'before', 'last' ...). A named day ('Christmas Day',
    'New Year's Eve') stays a day even as a modifier ('the Christmas Day flood')."""
    text = _normalize(doc.text[cand.start : cand.end])
    if text not in _HOLIDAYS or text.endswith((" day", " eve")):
        return False
    i = doc.token_at(cand.start)
    if i is None:
        return False
    if i > 0 and doc.tokens[i - 1].text.casefold() in _HOLIDAY_FRAMES:
        return False
    tok = doc.tokens[i]
    if tok.dep not in ("compound", "nmod", "amod") or tok.head <= i:
        return False
    return doc.tokens[tok.head].lemma.casefold() not in _PERIOD_NOUNS  # 'the Christmas season' is a time


def _model_year(doc: ParsedDoc, cand: _Candidate) -> bool:
    """'a 2013 Toyota Camry', 'his gray 2019 Ford', 'a 2013 sedan': a year naming a make's model.
    A year before any other noun phrase ('the 2016 election', 'the 2024 budget bill', 'the 2018
    World Cup') is kept: it dates what the phrase names. After a preposition it is always a date."""
    i = doc.token_at(cand.start)
    if i is None or not re.fullmatch(r"\d{4}", doc.text[cand.start : cand.end]):
        return False
    if i == 0 or doc.tokens[i - 1].pos not in ("DET", "PRON", "ADJ"):
        return False
    j = i + 1
    while j < len(doc.tokens) and doc.tokens[j].pos == "ADJ":
        j += 1  # a colour or a trim: 'gray', 'used'
    run = j
    while run < len(doc.tokens) and doc.tokens[run].pos == "PROPN":
        run += 1
    after = doc.tokens[run] if run < len(doc.tokens) else None
    if after is not None and after.pos == "NOUN":
        # the vehicle must head the phrase: 'a 2013 sedan', not 'a 2012 car crash case'
        then = doc.tokens[run + 1] if run + 1 < len(doc.tokens) else None
        last = then is None or then.pos not in ("NOUN", "PROPN")
        return last and after.lemma.casefold() in _VEHICLE_NOUNS
    return run > j and any(doc.tokens[k].ent_type in ("ORG", "PRODUCT") for k in range(j, run))


def _span_head(doc: ParsedDoc, start: int, end: int) -> int | None:
    first = doc.token_at(start)
    if first is None:
        return None
    inside = [t.i for t in doc.tokens[first:] if t.idx < end]
    for i in inside:
        if not inside[0] <= doc.tokens[i].head <= inside[-1] or doc.tokens[i].head == i:
            return i
    return inside[0] if inside else None


def _confidence(value: _Value) -> float:
    if value.fallback:
        return defaults.TIME_CONF_FALLBACK
    conf = defaults.TIME_CONF_RELATIVE if value.relative else defaults.TIME_CONF_ABSOLUTE
    if value.guessed:
        conf = min(conf, defaults.TIME_CONF_GUESSED)
    if value.vague:
        conf = min(conf, defaults.TIME_CONF_VAGUE)
    return conf


def find_times(doc: ParsedDoc, article_id: str, published: str | None) -> list[TimeExpr]:
    """Time expressions of ``doc``, sorted by start, each resolved against ``published``."""
    pub = _as_date(published)
    found: list[tuple[_Candidate, _Value]] = []
    for cand in set(_pattern_candidates(doc.text) + _entity_candidates(doc)):
        if _not_a_time(doc, cand):
            continue
        head = _span_head(doc, cand.start, cand.end)
        tense: Tense = clause_tense(doc, head) if head is not None else "present"
        value = _resolve(doc.text[cand.start : cand.end], pub, tense)
        if value is not None:  # resolve before choosing: an unreadable long span must not hide a short one
            found.append((cand, value))
    return [_time_expr(doc, article_id, cand, value) for cand, value in _select(found)]


def _time_expr(doc: ParsedDoc, article_id: str, cand: _Candidate, value: _Value) -> TimeExpr:
    text = doc.text[cand.start : cand.end]
    return TimeExpr(
        id=content_id(article_id, cand.start, cand.end, prefix="tx_"),
        article_id=article_id,
        start=cand.start,
        end=cand.end,
        text=text,
        value_start=value.start.isoformat() if value.start else None,
        value_end=value.end.isoformat() if value.end else None,
        precision=value.precision,
        anchored=value.start is not None,
        relative=value.relative,
        confidence=_confidence(value),
    )
