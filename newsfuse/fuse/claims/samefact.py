"""Same fact of one story or not: the decision the meaning pass (:mod:`~newsfuse.fuse.claims.meaning`)
takes on two clause runs of different articles of one story.

The matcher of :mod:`~newsfuse.fuse.claims.match` was taught MSRP's 'paraphrase': a sentence with
one detail more is 'not a paraphrase', and two wordings of one event with little word overlap are
far apart. Inside one story the question is another: do these two statements report the same fact?
The product knows more there than two strings: what it read of each statement (its PLOVER type,
trigger word, actor and target resolved to the story's entities, dates, stance). This model is a
logistic regression over the matcher's text features (:func:`~newsfuse.fuse.claims.match.features`)
and those statement features (:data:`STATEMENT_FEATURES`), fitted by ``bench/train_statements.py``
on ECB+ **train** stories run through the product (ingest -> analyse -> fuse): pairs of compared
clause runs of two documents, positive when the statements they hold are anchored in mentions of one
gold cross-document event chain. Since session 12 it also learns from pairs of a topic's two
incidents (two earthquakes, two arrests: the product's two stories, fused once more as one), nearly
all negatives worded alike: a story of many facts of one kind is full of those, and what tells them
apart is who acted on whom, the figures and the dates (:data:`RUN_FEATURES`), not the act's word.
Weights in ``newsfuse/data/claims/statements.json``; when the file is missing the meaning pass falls
back to the paraphrase matcher.

A clause run may hold several statements: the pair is described by its two statements that agree
most (type, trigger, actor, target), since that is the pair a join would make one claim.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsfuse import defaults
from newsfuse.fuse.claims import actsfor
from newsfuse.fuse.claims import match as claimmatch
from newsfuse.fuse.claims import words as claimwords
from newsfuse.fuse.claims.statements import Statement

MODEL_PATH = Path(__file__).resolve().parents[2] / "data" / "claims" / "statements.json"
PAIR_FEATURES = (
    "both_events", "quote_in_pair", "same_type", "same_trigger", "generic_trigger", "same_actor",
    "actors_differ", "same_target", "targets_differ", "roles_crossed", "dates_agree", "dates_conflict",
    "mode_differs", "both_strong", "date_gap",
)
# What tells two facts of one kind apart (session 12, learned with pairs of a topic's two incidents):
# the parties, figures and dates of the two clause runs as a whole (:func:`run_features`).
RUN_FEATURES = (
    "parties_shared", "parties_disjoint", "same_act_parties_disjoint", "figures_agree_unit",
    "figures_differ_unit", "run_dates_apart",
)
STATEMENT_FEATURES = (*PAIR_FEATURES, *RUN_FEATURES)
FEATURES = (*claimmatch.FEATURES, *STATEMENT_FEATURES)
# Features that say the two statements agree: the holder pair with most of them describes the pair.
_AGREEMENT = ("same_type", "same_trigger", "same_actor", "same_target", "roles_crossed")
_AGREEMENT_AT = tuple(STATEMENT_FEATURES.index(f) for f in _AGREEMENT)
# Features that say the two statements tell two facts: what :func:`agreement` counts against a pair.
_DISAGREEMENT_AT = tuple(STATEMENT_FEATURES.index(f) for f in ("actors_differ", "targets_differ",
                                                               "dates_conflict"))
_WORD = re.compile(r"\w+")
_PLACE_FILLER = frozenset({"the", "of", "in", "near", "at", "on"})


@functools.lru_cache(maxsize=1 << 14)
def _forms(trigger: str) -> frozenset[str]:
    return claimwords.trigger_forms(trigger) if trigger else frozenset()


def _acts(s: Statement) -> frozenset[str]:
    """What an event statement does, as keys: its PLOVER type, and its trigger's forms and synonym set
    unless the trigger is a generic verb ('make', 'say': they tell no act apart)."""
    acts = {f"type:{s.type}"} if s.type else set()
    if s.trigger and not claimwords.generic(s.trigger):
        acts |= {f"word:{f}" for f in _forms(s.trigger)}
    return frozenset(acts)


def argument_keys(s: Statement) -> frozenset[tuple[str, str, bool]]:
    """(party, act, as actor) keys of an event statement, for its actor and its target: two statements
    with one (party, act), the party the actor of at least one of them, share arguments (what
    :func:`shares_arguments` says of the pair)."""
    if s.kind != "event":
        return frozenset()
    parties = [(p, p == s.entity) for p in dict.fromkeys((s.entity, s.target)) if p is not None]
    return frozenset((str(party), act, actor) for party, actor in parties for act in _acts(s))


def shares_arguments(x: Statement, y: Statement) -> bool:
    """Whether two event statements share a resolved actor (or one's actor is the other's target) and
    their type or trigger word (a form or synonym of it, generic verbs left out): the same act by the
    same party, however differently the two sentences are worded."""
    if x.kind != "event" or y.kind != "event":
        return False
    people = {x.entity, x.target} & {y.entity, y.target} - {None}
    if not people or not (x.entity in people or y.entity in people):
        return False
    return bool(_acts(x) & _acts(y))


def statement_features(x: Statement, y: Statement) -> list[float]:
    """What the product read of two statements, in :data:`PAIR_FEATURES` order (symmetric)."""
    events = x.kind == "event" and y.kind == "event"
    same_trigger = bool(_forms(x.trigger) & _forms(y.trigger))
    dated = bool(x.date_start and y.date_start)
    crossed = ((x.entity is not None and x.entity == y.target)
               or (y.entity is not None and y.entity == x.target))
    overlap = dated and (x.date_start or "") <= (y.date_end or y.date_start or "") and (
        y.date_start or "") <= (x.date_end or x.date_start or "")
    return [
        float(events),
        float("quote" in (x.kind, y.kind)),
        float(events and bool(x.type) and x.type == y.type),
        float(events and same_trigger),
        float(claimwords.generic(x.trigger) or claimwords.generic(y.trigger)) if events else 0.0,
        float(x.entity is not None and x.entity == y.entity),
        float(x.entity is not None and y.entity is not None and x.entity != y.entity),
        float(x.target is not None and x.target == y.target),
        float(x.target is not None and y.target is not None and x.target != y.target),
        float(crossed),
        float(overlap),
        float(dated and not overlap),
        float(x.mode != y.mode),
        float(x.strong and y.strong),
        _date_gap(x, y),
    ]


def best_statement_features(xs: Sequence[Statement], ys: Sequence[Statement]) -> list[float]:
    """:func:`statement_features` of the two statements (one of ``xs``, one of ``ys``) that agree most
    (ties go to the earlier pair: the callers pass statements in a fixed order), then
    :func:`run_features` of the two runs, in :data:`STATEMENT_FEATURES` order."""
    best: list[float] | None = None
    for x in xs:
        for y in ys:
            values = statement_features(x, y)
            if best is None or _agreement(values) > _agreement(best):
                best = values
    return [*(best if best is not None else [0.0] * len(PAIR_FEATURES)), *run_features(xs, ys)]


def run_features(xs: Sequence[Statement], ys: Sequence[Statement]) -> list[float]:
    """What the two clause runs' statements say together (:data:`RUN_FEATURES`, symmetric): two reports
    of one kind of act ('an earthquake struck', 'police arrested') are told apart by who, what figure and
    when, not by the act's word.

    * parties: the resolved actors and targets of the runs' event statements, shared or none shared
      (and the second again when the two runs do share an act, type or trigger word);
    * figures: amounts of one unit in both runs, some agreeing (rounding is agreement) or none;
    * dates: both runs dated and no date of one overlapping a date of the other."""
    px, py = _parties(xs), _parties(ys)
    shared = bool(px & py)
    disjoint = bool(px) and bool(py) and not shared
    one_act = any(_acts(x) & _acts(y) for x in xs for y in ys if x.kind == "event" == y.kind)
    agree, differ = _figures(xs, ys)
    dx, dy = [x for x in xs if x.date_start], [y for y in ys if y.date_start]
    apart = bool(dx and dy) and not any(_overlap(x, y) for x in dx for y in dy)
    return [float(shared), float(disjoint), float(disjoint and one_act), float(agree),
            float(differ and not agree), float(apart)]


def _parties(xs: Sequence[Statement]) -> frozenset[str]:
    return frozenset(p for x in xs if x.kind == "event" for p in (x.entity, x.target) if p is not None)


def _figures(xs: Sequence[Statement], ys: Sequence[Statement]) -> tuple[bool, bool]:
    """(some amounts of one unit agree, amounts of one unit are in both runs)."""
    agree = differ = False
    for x in xs:
        for y in ys:
            if (x.kind == y.kind == "amount" and x.unit == y.unit and x.value is not None
                    and y.value is not None):
                differ = True
                agree = agree or claimmatch.values_agree(x.value, x.written, y.value, y.written)
    return agree, differ


def _overlap(x: Statement, y: Statement) -> bool:
    return (x.date_start or "") <= (y.date_end or y.date_start or "") and (
        y.date_start or "") <= (x.date_end or x.date_start or "")


def _date_gap(x: Statement, y: Statement) -> float:
    """log(1 + days) between two dated statements' date ranges (0: undated, or the ranges overlap);
    past a year it reads a year (two incidents of one kind are often years apart, one is not told from
    the other by how many)."""
    if not (x.date_start and y.date_start) or _overlap(x, y):
        return 0.0
    x_end, y_end = x.date_end or x.date_start, y.date_end or y.date_start
    days = _days(x_end, y.date_start) if x_end < y.date_start else _days(y_end, x.date_start)
    return math.log1p(min(days, 366)) if days is not None else 0.0


def _days(earlier_end: str, later_start: str) -> int | None:
    try:
        a = datetime.date.fromisoformat(_day(earlier_end))
        b = datetime.date.fromisoformat(_day(later_start))
    except ValueError:
        return None
    return abs((b - a).days)


def _day(value: str) -> str:
    """An ISO date of a stored date ('2024', '2024-05', '2024-05-01'): its first day."""
    parts = value[:10].split("-")
    return "-".join([*parts, "01", "01"][:3]) if len(parts) < 3 else value[:10]


def _agreement(values: Sequence[float]) -> float:
    return sum(values[n] for n in _AGREEMENT_AT)


def agreement(x: Statement, y: Statement) -> float:
    """What two statements share as one fact (type, trigger, actor, target, crossed roles: one each)
    less what says they are two (actors, targets or dates that differ: one each)."""
    values = statement_features(x, y)
    found = _agreement(values) - sum(values[n] for n in _DISAGREEMENT_AT)
    if defaults.CLAIM_ACTS_FOR_AGREEMENT and actsfor.acts_for(x, y):
        # one actor named two ways: at weight 1 as one entity (one actor shared, no actors differing)
        found += 2 * defaults.CLAIM_ACTS_FOR_AGREEMENT
    return found


def same_place(x: Statement, y: Statement) -> bool:
    """Whether two statements happened in one place: both places resolved to story entities, one entity
    or names one inside the other ('Kursk' / 'the Kursk region' are one place the resolver kept as two).
    Evidence of one incident: on ECB+ train never seen across a topic's two incidents among the run
    pairs the matcher says yes to (0 of 142; 70 of 865 right pairs of one incident)."""
    if x.place is None or y.place is None:
        return False
    return x.place == y.place or _one_place(x.place_name, y.place_name)


def same_target(x: Statement, y: Statement) -> bool:
    """Whether two event statements do one act (a shared type or trigger word) to one party: both
    targets resolved to one story entity. One target alone is no evidence of one incident: a story
    tells many acts done to its main party."""
    return x.target is not None and x.target == y.target and bool(_acts(x) & _acts(y))


def same_place_act(x: Statement, y: Statement) -> bool:
    """Whether two event statements do one act (a shared type or trigger word) in one place
    (:func:`same_place`): stricter evidence of one incident than the place alone, which a story's many
    facts of one town share."""
    return x.kind == y.kind == "event" and same_place(x, y) and bool(_acts(x) & _acts(y))


def same_parties_act(x: Statement, y: Statement) -> bool:
    """Whether two event statements do one act with both parties resolved to the same entities (one
    actor, one target): stricter than :func:`same_target`, whose target alone a story's main party is
    in many facts."""
    return (x.kind == y.kind == "event" and x.entity is not None and x.entity == y.entity
            and same_target(x, y))


def acts_for_parties_act(x: Statement, y: Statement) -> bool:
    """Whether two event statements do one act to one target (:func:`same_target`) by two entities of
    one actor (:func:`~newsfuse.fuse.claims.actsfor.acts_for`: 'Russia' / 'Putin', 'the Pentagon' / its
    spokesperson): :func:`same_parties_act` with the actor named two ways."""
    return x.kind == y.kind == "event" and actsfor.acts_for(x, y) and same_target(x, y)


def one_act(x: Statement, y: Statement) -> bool:
    """Whether two event statements do one act: a shared PLOVER type or trigger word (a form or synonym
    of it; generic verbs tell no act)."""
    return x.kind == y.kind == "event" and bool(_acts(x) & _acts(y))


def parties_differ(x: Statement, y: Statement) -> bool:
    """Whether the two statements' actors, or their targets, are resolved to two story entities."""
    pairs = ((x.entity, y.entity), (x.target, y.target))
    return any(p is not None and q is not None and p != q for p, q in pairs)


def told_within(a: str, b: str, weights: dict[str, float] | None = None) -> bool:
    """Whether the shorter of two clause runs is told inside the longer (one fact, more detail):
    :func:`~newsfuse.fuse.claims.match.told_within` at ``defaults.CLAIM_TOLD_WITHIN_SHARE`` or above (names
    counted in the share with ``defaults.CLAIM_TOLD_WITHIN_NAMES``; with ``defaults.CLAIM_TOLD_WITHIN_RARITY``
    each word weighed by its rarity in the story, ``weights``: :func:`~.match.rarity`)."""
    if not defaults.CLAIM_TOLD_WITHIN_RARITY:
        weights = None
    share = claimmatch.told_within(a, b, defaults.CLAIM_TOLD_WITHIN_NAMES, weights)
    return share >= defaults.CLAIM_TOLD_WITHIN_SHARE


def _one_place(a: str, b: str) -> bool:
    wa, wb = _place_words(a), _place_words(b)
    return bool(wa) and bool(wb) and (wa <= wb or wb <= wa)


def _place_words(name: str) -> frozenset[str]:
    """A place name's words, case-folded, without the words any place phrase may carry ('the', 'of')."""
    return frozenset(w.casefold() for w in _WORD.findall(name)) - _PLACE_FILLER


def features(a: str, b: str, cosine: float, xs: Sequence[Statement], ys: Sequence[Statement]) -> list[float]:
    """A pair's features in :data:`FEATURES` order: the two texts' and their statements'."""
    return [*claimmatch.features(a, b, cosine), *best_statement_features(xs, ys)]


@dataclass(frozen=True, slots=True)
class SameFact:
    """The fitted regression (:class:`~newsfuse.fuse.claims.match.Matcher` over :data:`FEATURES`)."""

    model: claimmatch.Matcher

    def probability(self, a: str, b: str, cosine: float, xs: Sequence[Statement],
                    ys: Sequence[Statement]) -> float:
        """Probability that the clause runs ``a`` and ``b`` (holding ``xs`` and ``ys``) report one fact."""
        return self.model.probability_of(features(a, b, cosine, xs, ys))

    def to_json(self) -> dict[str, object]:
        return self.model.to_json(FEATURES)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SameFact:
        return cls(claimmatch.Matcher.from_json(data, FEATURES))


def packaged() -> SameFact | None:
    """The model shipped with newsfuse (``statements.json``), or None when it is not shipped or
    switched off (``defaults.CLAIM_SAME_FACT_MODEL``)."""
    return _shipped() if defaults.CLAIM_SAME_FACT_MODEL else None


@functools.lru_cache(maxsize=1)
def _shipped() -> SameFact | None:
    if not MODEL_PATH.exists():
        return None
    return SameFact.from_json(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
