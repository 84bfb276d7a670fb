"""Candidate spans that look like dates but are not times: named days ('Black Friday', 'USA
Today'), a festival's name used as a modifier ('an office Christmas party'), model years ('a 2013
Toyota Camry').

Kept apart from the patterns (:mod:`newsfuse.analyze.time.patterns`): each check reads the parse
around a candidate, not the text alone.
"""

from __future__ import annotations

import re

from newsfuse.analyze.names import lexicon as names
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.time.patterns import _Candidate
from newsfuse.analyze.time.resolve import _normalize
from newsfuse.analyze.time.values import _HOLIDAYS, _WEEKDAYS

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
# Entity types of a make or a model after a year ('a 2013 Toyota Camry'); an event ('the 2018 World
# Cup') is dated by its year.
_MAKE_TYPES = frozenset(("ORG", "PRODUCT", "PERSON"))
# Nouns a model year modifies ('a 2013 sedan', 'the 2019 model').
_VEHICLE_NOUNS = frozenset(
    ("car", "truck", "vehicle", "sedan", "suv", "pickup", "van", "minivan", "model", "motorcycle",
     "motorbike", "jeep", "coupe", "hatchback", "convertible", "bus", "limousine", "wagon")
)


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
    # a make or a model; a recogniser may take a model's name for a person's ('a 2013 gray Camry')
    return run > j and any(doc.tokens[k].ent_type in _MAKE_TYPES for k in range(j, run))
