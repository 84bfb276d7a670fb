"""The claim relation between two statements (same / differs / unrelated) per kind, the
contradiction test of event coreference, and :class:`Memo`, which asks each once per pair of
signatures."""

from __future__ import annotations

import re
import weakref
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import TypeVar

from rapidfuzz import fuzz

from newsfuse import defaults
from newsfuse.analyze.events.extract import SPEECH_VERBS
from newsfuse.fuse.claims import details
from newsfuse.fuse.claims import text as claimtext
from newsfuse.fuse.claims.statements import Statement
from newsfuse.fuse.claims.words import (
    containment,
    figures,
    folded,
    generic,
    says_same,
    sorted_ratio,
    sorted_words,
)

T = TypeVar("T")

# A figure measured up to the moment of writing ('fallen by four metres since Saturday', '120 so
# far'): articles of different days give different figures without contradicting each other.
RUNNING_TOTAL = re.compile(r"\b(?:since|so far|to date|as of|until now)\b")

# Modes that do not say an event happened: they align only with each other.
HYPOTHETICAL = frozenset({"planned", "possible", "conditional"})


def signature(s: Statement) -> tuple[object, ...]:
    """Every field the claim relation and the contradiction test read: two statements of one
    signature (a wire story and its copies, one sentence reported twice) compare alike."""
    # The detail test (claims/details.py) reads the sentence, and the day when it holds a running count.
    told = (details.sentence_of(s), details.running_day(s))
    if s.kind == "event":
        return ("event", s.type, s.trigger, s.mode, s.stance, s.text, s.entity, s.target, s.date_start,
                s.date_end, *told)
    if s.kind == "quote":
        return ("quote", s.stance, s.entity, s.surname, s.context, s.context_after, *told)
    if s.kind == "amount":
        day = s.article.published if running_total(s) else None  # its relation depends on the day
        return ("amount", s.unit, s.counted, s.context, s.context_after, s.value, s.low, s.high, day,
                s.approx, s.measure, *told)
    return (s.kind, s.entity, *told)


Relation = tuple[str, str | None] | None


class Memo:
    """:func:`relation` and :func:`_contradicts` of one story's statements, remembered per pair of
    signatures. Only pairs whose second statement's signature occurs more than once can be asked
    again, so only those are kept (a story of distinct sentences keeps nothing)."""

    def __init__(self, items: Iterable[Statement]) -> None:
        # what a statement records (Statement.sig_of): a weak reference, so statements kept between
        # fuses (claims/cache.py) do not keep each story's last memo and its dicts alive
        self._ref = weakref.ref(self)
        self._numbers: dict[tuple[object, ...], int] = {}
        counts: Counter[int] = Counter(self.sig(s) for s in items)
        self._repeated = {n for n, c in counts.items() if c > 1}
        self._relations: dict[tuple[int, int], Relation] = {}
        self._contradictions: dict[tuple[int, int], bool] = {}

    def __len__(self) -> int:
        """Entries held: signatures numbered and answers kept."""
        return len(self._numbers) + len(self._relations) + len(self._contradictions)

    def admit(self, items: Iterable[Statement]) -> None:
        """Keep answers for the signatures repeated in ``items`` too (a story's memo asked again after
        its statements changed: what it kept stays true, it is of signatures). It only grows: a
        caller keeping one memo for a story starts a new one past :func:`full`."""
        counts: Counter[int] = Counter(self.sig(s) for s in items)
        self._repeated |= {n for n, c in counts.items() if c > 1}

    def sig(self, s: Statement) -> int:
        """The number of ``s``'s signature."""
        found = s.sig_of
        if found is not None and found[0] is self._ref:
            return found[1]
        number = self._numbers.setdefault(signature(s), len(self._numbers))
        s.sig_of = (self._ref, number)
        return number

    def relation(self, a: Statement, b: Statement) -> Relation:
        return self._once(self._relations, relation, a, b)

    def contradicts(self, a: Statement, b: Statement) -> bool:
        return self._once(self._contradictions, _contradicts, a, b)

    def _once(self, cache: dict[tuple[int, int], T], compute: Callable[[Statement, Statement], T],
              a: Statement, b: Statement) -> T:
        """``compute(a, b)``, remembered by the pair's signatures when ``b``'s signature repeats
        (a signature seen once is never asked about again: caching it would only cost memory)."""
        sb = self.sig(b)
        if sb not in self._repeated:
            return compute(a, b)
        key = (self.sig(a), sb)
        if key not in cache:
            cache[key] = compute(a, b)
        return cache[key]


def full(memo: Memo, most: int | None = None) -> bool:
    """Whether ``memo`` holds more than ``most`` entries (``defaults.CLAIM_RELATION_MEMO_KEPT``): a
    story's memo kept between fuses is then started afresh (its answers are asked again)."""
    most = defaults.CLAIM_RELATION_MEMO_KEPT if most is None else most
    return len(memo) > most


def relation(a: Statement, b: Statement) -> tuple[str, str | None] | None:
    """How ``b`` relates to ``a``: ('same', None), ('differs', b's value) or None (unrelated)."""
    if a.kind != b.kind:
        return None
    if a.kind == "quote" and a.entity != b.entity and a.stance == b.stance and not verbatim(a, b):
        return None  # two speakers' words: compared only when given word for word (a split speaker)
    # One sentence told by two outlets: a detail only one of them has (a figure, a date, a name, a
    # negation) is a conflict over the fact, whatever the analysis made of the rest.
    found = _kind_relation(a, b)
    same_word = a.kind != "event" or a.trigger.casefold() == b.trigger.casefold()
    if found is None and not same_word:
        return None  # unrelated events of two words: no sentence comparison needed
    told = details.detail(a, b) if details.one_sentence(a, b) else None
    if told is not None and details.alike(a, b):
        return found if found is not None and found[0] == "differs" else ("differs", told)
    if told is not None and found is not None and found[0] == "same":
        return ("differs", told)  # statements the relation pairs, in sentences that disagree
    if found is None and a.stance != b.stance and details.alike(a, b):
        return ("same", None)  # the same words, one side negated: a denial of this fact
    return found


def _kind_relation(a: Statement, b: Statement) -> tuple[str, str | None] | None:
    if a.kind == "event":
        return _event_relation(a, b)
    if a.kind == "quote":
        return _quote_relation(a, b)
    if a.kind == "amount":
        return _amount_relation(a, b)
    return ("same", None) if a.entity is not None and a.entity == b.entity else None


def _event_relation(a: Statement, b: Statement) -> tuple[str, str | None] | None:
    if a.type != b.type and a.trigger != b.trigger:
        return None
    if (a.mode in HYPOTHETICAL) != (b.mode in HYPOTHETICAL):
        return None  # 'may negotiate' neither confirms nor contradicts 'will not negotiate'
    src = _slot(a.entity, b.entity)
    tgt = _slot(a.target, b.target)
    if src == "differ" and tgt == "differ":
        return None
    # The sentence comparison is the costly part: made only where the answer depends on it.
    similar = _LazyAlike(a.text, b.text)
    if "differ" in (src, tgt) and not similar():
        return None
    # Positive evidence that two events are one, never the mere absence of a contradiction: both
    # actors shared; or alike sentences; or one specific word sharing a figure or a date. One shared
    # actor is not enough ('France may allow Ukraine' vs 'the military be allowed').
    actors = src == tgt == "same"
    if not (actors or similar() or _specific_match(a, b)):
        return None
    if a.stance != b.stance and not (actors or similar()):
        return None  # a denial denies the same fact: its actors or its words, not a shared date
    if not _dates_overlap(a, b):
        return ("differs", date_text(b)) if "differ" not in (src, tgt) and similar() else None
    if src == "differ" or tgt == "differ":
        return ("differs", f"actor: {b.entity if src == 'differ' else b.target}")
    return ("same", None)


def _specific_match(a: Statement, b: Statement) -> bool:
    """One specific trigger word (not 'ask', 'give') with a shared figure or the same dates."""
    if a.trigger.casefold() != b.trigger.casefold() or generic(a.trigger):
        return False
    same_date = a.date_start is not None and (a.date_start, a.date_end) == (b.date_start, b.date_end)
    return same_date or bool(figures(a.text) & figures(b.text))


class _LazyAlike:
    """Whether two event texts are alike (token_sort, not token_set: long sentences sharing a few
    names must not pass as alike), computed on the first call only."""

    def __init__(self, x: str, y: str) -> None:
        self.x, self.y = x, y
        self.value: bool | None = None

    def __call__(self) -> bool:
        if self.value is None:
            cut = defaults.EVENT_SIMILARITY
            self.value = fuzz.ratio(sorted_words(self.x), sorted_words(self.y), score_cutoff=cut) >= cut
        return self.value


def _slot(x: str | None, y: str | None) -> str:
    if x is None or y is None:
        return "unknown"
    return "same" if x == y else "differ"


def _dates_overlap(a: Statement, b: Statement) -> bool:
    if not (a.date_start and b.date_start):
        return True
    try:
        a0, a1 = _day(a.date_start), _day(a.date_end or a.date_start)
        b0, b1 = _day(b.date_start), _day(b.date_end or b.date_start)
    except ValueError:
        return True
    slack = timedelta(days=defaults.EVENT_DATE_SLACK_DAYS)
    return a0 - slack <= b1 and b0 - slack <= a1


def _day(value: str) -> date:
    return date.fromisoformat(value[:10])


def date_text(s: Statement) -> str:
    if s.date_end and s.date_end != s.date_start:
        return f"date: {s.date_start}..{s.date_end}"
    return f"date: {s.date_start}"


def _quote_relation(a: Statement, b: Statement) -> tuple[str, str | None] | None:
    if "denies" in (a.stance, b.stance) and a.stance != b.stance:
        # A denial answers what someone else said (any speaker): the denied words must be found
        # in the other statement's sentence.
        denial, other = (a, b) if a.stance == "denies" else (b, a)
        found = containment(denial.context, other.context_after) >= defaults.QUOTE_SIMILARITY
        return ("same", None) if found else None
    if a.entity != b.entity:
        return ("same", None) if verbatim(a, b) else None
    return ("same", None) if same_statement(a.context, b.context) else None


def same_statement(x: str, y: str) -> bool:
    """Whether two contents of one speaker's quotes are one statement in two outlets' words ('engineers
    had shored up the remaining section' / 'engineers had reinforced the remaining section')."""
    cut = defaults.QUOTE_SIMILARITY
    if fuzz.token_set_ratio(folded(x), folded(y), score_cutoff=cut) < cut:
        return False
    # token_set_ratio alone calls a speaker's two statements one when they share a few words ('would
    # review every inspection report' vs 'would publish every inspection report'): the contents must
    # also say the same thing, worded alike as a whole or one nearly contained in the other.
    return sorted_ratio(x, y) >= cut or says_same(x, y)


def verbatim(a: Statement, b: Statement) -> bool:
    """Two quotes giving one statement word for word, by speakers that may be one person the entity
    resolver split ('Pelosi' / 'Nancy Pelosi', 'Mike' / 'Michael Elliott': same last name) or left
    unnamed in one article: the same long sentence in two outlets' quotes is one statement."""
    if not ((a.surname and a.surname == b.surname) or a.entity is None or b.entity is None):
        return False
    if claimtext.content_words(a.context) < defaults.CLAIM_QUOTE_MIN_WORDS:
        return False
    return sorted_ratio(a.context, b.context) >= defaults.QUOTE_VERBATIM_SIMILARITY


def _amount_relation(a: Statement, b: Statement) -> tuple[str, str | None] | None:
    if a.unit != b.unit:
        return None
    cut = defaults.AMOUNT_COUNTED_SIMILARITY
    if a.counted and b.counted and fuzz.token_set_ratio(
        folded(a.counted), folded(b.counted), score_cutoff=cut
    ) < cut:
        return None
    if a.measure and a.measure == b.measure and _values_agree(a, b) and _markers_agree(a, b):
        return ("same", None)  # 'two people were killed' is 'the death toll stands at two'
    # One side of the figure worded alike is enough ('... residents were evacuated from Dunmere'):
    # the other side is where outlets reword ('clear: nearly' vs 'killed and about').
    before = sorted_ratio(a.context, b.context)
    after = sorted_ratio(a.context_after, b.context_after)
    if max(before, after) < defaults.AMOUNT_CONTEXT_SIMILARITY:
        return None
    if _values_agree(a, b):
        return ("same", None)
    if (running_total(a) or running_total(b)) and _day_of(a) != _day_of(b):
        return None  # a later count of a running figure is an update, not a conflict
    return ("differs", amount_text(b))


def running_total(s: Statement) -> bool:
    """Whether an amount is counted up to the time of writing ('... since the breach')."""
    return bool(RUNNING_TOTAL.search(s.context_after))


def _day_of(s: Statement) -> str:
    return (s.article.published or "")[:10]


def _values_agree(a: Statement, b: Statement) -> bool:
    """Whether two figures state one value: within ``AMOUNT_TOLERANCE``, or within
    ``CLAIM_ROUNDING_TOLERANCE`` when either is approximate ('about 15' is '14': rounding agrees)."""
    a0, a1 = _bounds(a)
    b0, b1 = _bounds(b)
    share = defaults.CLAIM_ROUNDING_TOLERANCE if (a.approx or b.approx) else defaults.AMOUNT_TOLERANCE
    tolerance = share * max(abs(a0), abs(a1), abs(b0), abs(b1), 1e-9)
    return a0 - tolerance <= b1 and b0 - tolerance <= a1


# Where an approximation marker puts the true number relative to the figure written: below it, at it,
# above it. 'at least two' allows two, 'more than two' does not; 'about' allows all three.
_ABOVE = frozenset({"more than", "over", "just over", "upwards of", "in excess of"})
_AT_OR_ABOVE = frozenset({"at least", "no fewer than", "no less than", "not less than"})
_BELOW = frozenset({"nearly", "almost", "less than", "fewer than", "under", "just under", "close to"})
_AT_OR_BELOW = frozenset({"up to", "at most", "no more than", "as many as"})


def _allows(approx: str) -> frozenset[str]:
    if not approx:
        return frozenset({"at"})
    for markers, sides in ((_ABOVE, {"above"}), (_AT_OR_ABOVE, {"at", "above"}), (_BELOW, {"below"}),
                           (_AT_OR_BELOW, {"below", "at"})):
        if approx in markers:
            return frozenset(sides)
    return frozenset({"below", "at", "above"})  # 'about', 'around', 'roughly', 'some'


def _markers_agree(a: Statement, b: Statement) -> bool:
    """Whether two figures of one value can state one number: 'at least two' and 'two' can,
    'more than two' and 'two' cannot."""
    return bool(_allows(a.approx) & _allows(b.approx))


def _bounds(s: Statement) -> tuple[float, float]:
    value = s.value or 0.0
    return (s.low if s.low is not None else value, s.high if s.high is not None else value)


# Words of an open quantity ('hundreds of', 'dozens', 'tens of thousands of'): its value is only the
# least it can mean (200 for 'hundreds'), so the figure is shown as written.
_OPEN_QUANTITY = frozenset({"dozens", "scores", "hundreds", "thousands", "millions", "billions", "tens"})


def amount_text(s: Statement) -> str:
    """A figure as a source gives it, in its own words and casing ('about 1,800 residents', 'around
    11,000 North Korean soldiers': ``Statement.written``); made of its parts when no wording is kept:
    '1,800 residents', an open quantity as written ('hundreds of residents', not '200 residents')."""
    if s.written:
        return s.written
    words = s.approx.split()
    if words and words[0] in _OPEN_QUANTITY:
        said = s.approx if not s.counted or words[-1] == "of" else f"{s.approx} of"
        return " ".join(x for x in (said, s.counted) if x)
    number = f"{s.value:,.0f}" if s.value is not None and float(s.value).is_integer() else f"{s.value}"
    return " ".join(x for x in (number, s.unit or "", s.counted) if x)


def _contradicts(a: Statement, b: Statement) -> bool:
    """Arguments that make two mentions of one word two events.

    Other actors alone do not: reports name the parties of one event differently and often only
    one of them (on ECB+ train, splitting on any actor disagreement costs 14 CoNLL F1 points).
    Statements are the exception: two speakers saying something are two statements.
    """
    if (a.mode in HYPOTHETICAL) != (b.mode in HYPOTHETICAL):
        return True
    if not _dates_overlap(a, b):
        return True
    speech = a.trigger.casefold() in SPEECH_VERBS or b.trigger.casefold() in SPEECH_VERBS
    return speech and _slot(a.entity, b.entity) == "differ"
