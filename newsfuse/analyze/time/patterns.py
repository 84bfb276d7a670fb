"""Finding candidate time spans in text: our regular patterns, the spaCy DATE/TIME entities, and
the choice of non-overlapping candidates (longest first).

Kept apart from resolution (:mod:`newsfuse.analyze.time.resolve`): these decide where a time
expression is, not what it means.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.time.values import _NUM_RE, _Value

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
        # our spans leave out a leading preposition ('on Sunday' -> 'Sunday'); a final point stays ('Sept.')
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
