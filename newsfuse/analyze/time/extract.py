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

Layout: this module is the entry point (:func:`find_times`, and :func:`resolve`, :func:`clause_tense`
and ``Tense`` re-exported); the work lives in :mod:`~newsfuse.analyze.time.values` (values, calendar
words, date arithmetic), :mod:`~newsfuse.analyze.time.resolve` (normalizing and trying the rules),
:mod:`~newsfuse.analyze.time.days` and :mod:`~newsfuse.analyze.time.periods` (the rules),
:mod:`~newsfuse.analyze.time.fallback` (dateparser), :mod:`~newsfuse.analyze.time.tense`,
:mod:`~newsfuse.analyze.time.patterns` (finding spans) and :mod:`~newsfuse.analyze.time.filters`
(spans that are not times).
"""

from __future__ import annotations

from newsfuse import defaults
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.time.filters import _not_a_time
from newsfuse.analyze.time.patterns import _Candidate, _entity_candidates, _pattern_candidates, _select
from newsfuse.analyze.time.resolve import _as_date, _resolve, resolve
from newsfuse.analyze.time.tense import clause_tense
from newsfuse.analyze.time.values import Tense, _Value
from newsfuse.ids import content_id
from newsfuse.models import TimeExpr

__all__ = ["Tense", "clause_tense", "find_times", "resolve"]


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
