"""Argument agreement for story grouping: WHO, WHERE and WHEN of an article against a story.

Two events of one kind (two celebrities entering rehab, two earthquakes, two arrests of players
of one team) share the event vocabulary, so their TF-IDF cosine is high; what tells them apart is
their arguments: the people named, the places, the years and the figures ('23 pirates' against
'26 pirates'). A group of articles is summed up as a :class:`Profile` (how many of its members
name each argument term); when both sides name arguments of one kind and share none that a fair
share of each side names, the kind is in conflict and the grouping score is multiplied by that
kind's penalty (defaults). One side naming nothing of a kind is neutral: a short report that
leaves out the place does not contradict one that gives it. Two sides sharing a person and a place
(``STORY_ARG_LIFT_KINDS``) and published within ``STORY_ARG_LIFT_MAX_DAYS`` of each other may have
their link lifted, up to ``STORY_ARG_AGREE_CAP`` times: one incident's reports told apart in wording
(the shooting, the vigil) name one victim and town in the same days; two incidents of one kind that
share people and places (ECB+'s topics) are told apart by their dates, and an unknown date lifts nothing.
A surname one side names that is a word of a place the other side names counts as a shared place
(``STORY_ARG_CROSS_NAMES``): the tagger reads a town as a person in one report ('Stockton Police')
and as a place in the next.

Two more checks look at what the articles are ABOUT rather than everything they mention:

* counted figures (``q:what=value``): one kind per counted thing ('count:pirate', 'count:eur'), so
  '23 pirates' against '26 pirates' or 85 million euros against 2 million euros conflict, while
  running counts that news revises within one story (tolls, evacuations) are no argument at all;
* the lead: when each side's lead names a person the other side never names (Klitschko stops
  Rahman / Klitschko stops Thompson), the factor is multiplied by STORY_ARG_LEAD_PENALTY after the
  cap, so shared side details do not offset it. Person names the text also writes in lower case
  (a title-case headline read as 'Jewellery Stolen') are no person and no lead (fuse/stories/textsim.py).

Argument terms come from the stored term counts (:mod:`newsfuse.fuse.stories.textsim`): ``p:`` surnames
and ``g:`` places from analysed names, ``l:`` lead surnames, ``q:`` counted figures from analysed
amounts, ``n:`` numbers (years apart from other figures).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from newsfuse import defaults
from newsfuse.fuse.stories.textsim import CALENDAR, FIGURE, LEAD, NUMBER, PERSON, PLACE

PERSON_KIND, PLACE_KIND, YEAR_KIND, FIGURE_KIND = "person", "place", "year", "figure"
WEEKDAY_KIND, MONTH_KIND = "weekday", "month"
LEAD_KIND = "lead"  # the people the lead names: checked against all the people the other side names
COUNT_KIND = "count:"  # + what is counted ('count:pirate', 'count:eur'): one kind per counted thing

WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
MONTHS = CALENDAR - WEEKDAYS  # without 'may', which is mostly the verb

_YEAR = re.compile(r"(?:19|20)\d\d")


def kind_of(term: str) -> str | None:
    """The argument kind of a term, or None when the term is no argument."""
    return _kind_of(term, defaults.STORY_ARG_MIN_FIGURE)


@lru_cache(maxsize=1 << 16)
def _kind_of(term: str, min_figure: int) -> str | None:
    # Cached: re-clustering reads the profiles of hundreds of stored articles per call.
    if term.startswith(PERSON):
        return PERSON_KIND
    if term.startswith(LEAD):
        return LEAD_KIND
    if term.startswith(FIGURE):
        return COUNT_KIND + term[len(FIGURE):].split("=", 1)[0]
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
        if value.isdigit() and int(value) < min_figure:
            return None
        return FIGURE_KIND
    return None


def penalty(kind: str) -> float:
    """The factor a conflict of this kind multiplies the score by."""
    if kind.startswith(COUNT_KIND):
        return defaults.STORY_ARG_COUNT_PENALTY
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


def group_agreement(a: Profile, b: Profile) -> float:
    """:func:`agreement` of two groups over the kinds in STORY_GROUP_ARGS_KINDS only: a story
    spanning days names different weekdays, figures and background years in different groups of
    its reports, while what was counted, who and where hold across them."""
    kinds = defaults.STORY_GROUP_ARGS_KINDS
    keep = {k for k in a.kinds if (COUNT_KIND if k.startswith(COUNT_KIND) else k) in kinds}
    return agreement(_only(a, keep), _only(b, keep), cap=1.0)


def long_running(a: Profile, b: Profile) -> bool:
    """Whether two groups share a term of any kind in STORY_LONG_RUNNING_KINDS (the same person,
    the same place): reports of one long-running story, whose link the time factor does not decay."""
    return shares_any(a, b, defaults.STORY_LONG_RUNNING_KINDS)


def shares_any(a: Profile, b: Profile, kinds: Iterable[str]) -> bool:
    """Whether two groups name a term of any of these kinds in common (whatever share of members)."""
    return any(a.kinds.get(k, {}).keys() & b.kinds.get(k, {}).keys() for k in kinds)


def _only(p: Profile, kinds: set[str]) -> Profile:
    return Profile(p.size, {k: v for k, v in p.kinds.items() if k in kinds})


def agreement(a: Profile, b: Profile, cap: float | None = None, close: bool = False) -> float:
    """How much the arguments of two groups let them be one story, in (0, cap]: the product of the
    penalties of the kinds in conflict times the agreement weights of the kinds they share, capped
    at ``cap`` (STORY_ARG_AGREE_CAP unless given), so an agreement on one kind offsets a conflict on
    another (the same place, different people quoted: one story; a different place as well: two),
    and with a cap above 1 shared arguments also lift a link whose wording differs (the halves of
    one report: the shooting in one, the family and the court in the other, one place and victim),
    but only when the two are ``close`` in time (basics.close_in_time: both dated, a few days apart):
    ECB+'s two incidents of one kind share people and places, and only dates tell them apart."""
    factor = 1.0
    crossed = cross_named(a, b)
    shared = {PLACE_KIND} if crossed else set()
    if crossed and PLACE_KIND not in a.kinds.keys() & b.kinds.keys():
        factor *= agreement_weight(PLACE_KIND)  # the shared name is the only place they name
    for kind, terms_a in a.kinds.items():
        terms_b = b.kinds.get(kind)
        if not terms_b or kind == LEAD_KIND:
            continue
        if kind == PLACE_KIND and crossed:
            factor *= agreement_weight(kind)
        elif _support(terms_a, a.size, terms_b, b.size) < defaults.STORY_ARG_MIN_SHARE:
            factor *= penalty(kind)
        else:
            factor *= agreement_weight(kind)
            shared.add(kind)
    # A lead conflict (different protagonists) is not offset by shared side details.
    limit = defaults.STORY_ARG_AGREE_CAP if cap is None else cap
    if not close or not shared.issuperset(defaults.STORY_ARG_LIFT_KINDS):
        limit = min(limit, 1.0)  # no lift without close dates and every kind it needs shared
    return min(factor, limit) * (defaults.STORY_ARG_LEAD_PENALTY if lead_conflict(a, b) else 1.0)


def may_lift(a: Profile, b: Profile) -> bool:
    """Whether some member of one group may share with some member of the other a term of every kind
    in STORY_ARG_LIFT_KINDS (a person's surname that is a word of a place counting as a shared
    place): without such a pair no link between the two is lifted (:func:`agreement`, batch
    ``_liftable``), so a bound on their link need not allow for the lift. Read from the groups'
    summed terms, whatever share of members names them."""
    for kind in sorted(defaults.STORY_ARG_LIFT_KINDS):
        if a.kinds.get(kind, Counter()).keys() & b.kinds.get(kind, Counter()).keys():
            continue
        if kind == PLACE_KIND and defaults.STORY_ARG_CROSS_NAMES and (_crossed(a, b) or _crossed(b, a)):
            continue
        return False
    return True


def _crossed(a: Profile, b: Profile) -> bool:
    """Whether a surname ``a`` names as a person is a word of a place ``b`` names."""
    people = {t[len(PERSON):] for t in a.kinds.get(PERSON_KIND, Counter())}
    places = b.kinds.get(PLACE_KIND, Counter())
    return bool(people) and any(w in people for t in places for w in place_words(t))


def cross_named(a: Profile, b: Profile) -> bool:
    """Whether a name one side reads as a person the other reads as (a word of) a place, in a
    fair share of each side's members: the tagger reads one town as a person in one report
    ('Stockton Police') and as a place in the next; both name the same place."""
    if not defaults.STORY_ARG_CROSS_NAMES:
        return False
    return max(_cross_support(a, b), _cross_support(b, a)) >= defaults.STORY_ARG_MIN_SHARE


def _cross_support(a: Profile, b: Profile) -> float:
    words: Counter[str] = Counter()
    for term, count in b.kinds.get(PLACE_KIND, Counter()).items():
        for word in set(place_words(term)):
            words[word] = max(words[word], count)
    return max((min(count / a.size, words[t[len(PERSON):]] / b.size)
                for t, count in a.kinds.get(PERSON_KIND, Counter()).items() if t[len(PERSON):] in words),
               default=0.0)


def place_words(term: str) -> list[str]:
    """The words of a place term ('g:south_stockton' -> south, stockton)."""
    return term[len(PLACE):].split("_")


def lead_conflict(a: Profile, b: Profile) -> bool:
    """Whether each side's lead names (in a fair share of its members) a person the other side
    never names: two reports about different protagonists, even when they share one."""
    return _lead_novel(a, b) and _lead_novel(b, a)


def _lead_novel(a: Profile, b: Profile) -> bool:
    people_b = b.kinds.get(PERSON_KIND, Counter())
    return any(
        count / a.size >= defaults.STORY_ARG_MIN_SHARE and not people_b.get(PERSON + t[len(LEAD):])
        for t, count in a.kinds.get(LEAD_KIND, Counter()).items()
    )


def _support(a: Counter[str], size_a: int, b: Counter[str], size_b: int) -> float:
    """How well the best shared term holds both groups together: the smaller of the shares of
    each side's members naming it (0 when nothing is shared)."""
    shared = a.keys() & b.keys() if len(a) < len(b) else b.keys() & a.keys()
    return max((min(a[t] / size_a, b[t] / size_b) for t in shared), default=0.0)
