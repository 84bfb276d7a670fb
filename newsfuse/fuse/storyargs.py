"""Argument agreement for story grouping: WHO, WHERE and WHEN of an article against a story.

Two events of one kind (two celebrities entering rehab, two earthquakes, two arrests of players
of one team) share the event vocabulary, so their TF-IDF cosine is high; what tells them apart is
their arguments: the people named, the places, the years and the figures ('23 pirates' against
'26 pirates'). A group of articles is summed up as a :class:`Profile` (how many of its members
name each argument term); when both sides name arguments of one kind and share none that a fair
share of each side names, the kind is in conflict and the grouping score is multiplied by that
kind's penalty (defaults). One side naming nothing of a kind is neutral: a short report that
leaves out the place does not contradict one that gives it.

Argument terms come from the stored term counts (:mod:`newsfuse.fuse.textsim`): ``p:`` surnames
and ``g:`` places from analysed names, ``n:`` numbers (years apart from other figures).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from newsfuse import defaults
from newsfuse.fuse.textsim import CALENDAR, NUMBER, PERSON, PLACE

PERSON_KIND, PLACE_KIND, YEAR_KIND, FIGURE_KIND = "person", "place", "year", "figure"
WEEKDAY_KIND, MONTH_KIND = "weekday", "month"

WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
MONTHS = CALENDAR - WEEKDAYS  # without 'may', which is mostly the verb

_YEAR = re.compile(r"(?:19|20)\d\d")


def kind_of(term: str) -> str | None:
    """The argument kind of a term, or None when the term is no argument."""
    if term.startswith(PERSON):
        return PERSON_KIND
    if term.startswith(PLACE):
        return PLACE_KIND
    if term in WEEKDAYS:
        return WEEKDAY_KIND
    if term in MONTHS:
        return MONTH_KIND
    if term.startswith(NUMBER):
        value = term[len(NUMBER):]
        if _YEAR.fullmatch(value):
            return YEAR_KIND
        # Small whole numbers are clock times, days of the month and list counts, which any two
        # reports of one event word differently; larger figures (tolls, counts, ages) tell events apart.
        if value.isdigit() and int(value) < defaults.STORY_ARG_MIN_FIGURE:
            return None
        return FIGURE_KIND
    return None


def penalty(kind: str) -> float:
    """The factor a conflict of this kind multiplies the score by."""
    return {
        PERSON_KIND: defaults.STORY_ARG_PERSON_PENALTY,
        PLACE_KIND: defaults.STORY_ARG_PLACE_PENALTY,
        YEAR_KIND: defaults.STORY_ARG_YEAR_PENALTY,
        FIGURE_KIND: defaults.STORY_ARG_FIGURE_PENALTY,
        WEEKDAY_KIND: defaults.STORY_ARG_WEEKDAY_PENALTY,
        MONTH_KIND: defaults.STORY_ARG_MONTH_PENALTY,
    }[kind]


def agreement_weight(kind: str) -> float:
    """The factor a shared argument of this kind offsets (1: none)."""
    return {
        PERSON_KIND: defaults.STORY_ARG_PERSON_AGREE,
        PLACE_KIND: defaults.STORY_ARG_PLACE_AGREE,
    }.get(kind, defaults.STORY_ARG_OTHER_AGREE)


@dataclass
class Profile:
    """The arguments of a group of articles: kind -> term -> members naming it."""

    size: int = 0
    kinds: dict[str, Counter[str]] = field(default_factory=dict)

    def add_terms(self, terms: Iterable[str]) -> Profile:
        """Count one more member naming ``terms`` (each counted once); return self."""
        self.size += 1
        for term in set(terms):
            kind = kind_of(term)
            if kind is not None:
                self.kinds.setdefault(kind, Counter())[term] += 1
        return self

    def add(self, other: Profile) -> Profile:
        """Add another group's members (a merge); return self."""
        self.size += other.size
        for kind, terms in other.kinds.items():
            self.kinds.setdefault(kind, Counter()).update(terms)
        return self


def of_counts(counts: Mapping[str, float]) -> Profile:
    """The profile of one article from its term counts."""
    return Profile().add_terms(t for t, c in counts.items() if c > 0)


def agreement(a: Profile, b: Profile) -> float:
    """How much the arguments of two groups let them be one story, in (0, 1]: the product of the
    penalties of the kinds in conflict times the agreement weights of the kinds they share, capped
    at 1, so an agreement on one kind offsets a conflict on another (the same place, different
    people quoted: one story; a different place as well: two)."""
    factor = 1.0
    for kind, terms_a in a.kinds.items():
        terms_b = b.kinds.get(kind)
        if not terms_b:
            continue
        if _support(terms_a, a.size, terms_b, b.size) < defaults.STORY_ARG_MIN_SHARE:
            factor *= penalty(kind)
        else:
            factor *= agreement_weight(kind)
    return min(factor, 1.0)


def _support(a: Counter[str], size_a: int, b: Counter[str], size_b: int) -> float:
    """How well the best shared term holds both groups together: the smaller of the shares of
    each side's members naming it (0 when nothing is shared)."""
    shared = a.keys() & b.keys() if len(a) < len(b) else b.keys() & a.keys()
    return max((min(a[t] / size_a, b[t] / size_b) for t in shared), default=0.0)
