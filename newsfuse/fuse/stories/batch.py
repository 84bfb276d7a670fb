"""Offline grouping of the articles that arrive in one call (a first import, a feed poll).

Placing a batch one article at a time makes the grouping depend on arrival order: an early vague
report can start a story that later ones join or miss. A batch is therefore grouped first as a
whole, by average-link agglomerative clustering (scipy) over the same pairwise similarity the
online path uses: TF-IDF cosine x time factor x argument agreement (:mod:`newsfuse.fuse.stories.args`),
cut at ``STORY_THRESHOLD``. Average link cannot chain two events of one kind together through one
vague report the way single link or a growing online centroid can. The cut also refuses a merge
of two groups of at least ``STORY_COHESION_MIN_SIZE`` whose link is below ``STORY_COHESION_RATIO``
times the looser group's own cohesion: two sibling events of one kind (one boxer's two fights, two
heists in one city) share vocabulary and names enough to pass the threshold, but each holds
together far more tightly than the two hold to each other. Two groups of at least
``STORY_GROUP_ARGS_MIN_SIZE`` must also reach the threshold once their link is multiplied by the
argument agreement of their summed profiles: reports that each leave out the sum or the day count
as agreeing pairwise, yet two heists' groups (85 million euros on Thursday, 2 million on Monday)
conflict as wholes. The result does not depend on the order of the articles (up to exact ties).
fuse/stories/assign.py then places each group against the stories already stored.

Big calls are grouped in blocks of ``STORY_BATCH_BLOCK`` articles in arrival order, so time and
memory stay bounded (the pairwise matrix is block x block).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from scipy.cluster.hierarchy import linkage
from scipy.sparse import csr_matrix
from scipy.spatial.distance import squareform

from newsfuse import defaults
from newsfuse.fuse.stories.args import (
    LEAD_KIND,
    PERSON_KIND,
    PLACE_KIND,
    Profile,
    agreement_weight,
    group_agreement,
    penalty,
    place_words,
)
from newsfuse.fuse.stories.textsim import LEAD, PERSON, Vector


@dataclass(frozen=True)
class Item:
    """One article of the batch as the grouping sees it."""

    vector: Vector  # unit TF-IDF vector
    profile: Profile  # its arguments
    day: date | None  # publication date, None when unknown


def blocks(n: int) -> list[range]:
    """Consecutive index ranges of at most STORY_BATCH_BLOCK articles."""
    size = max(1, defaults.STORY_BATCH_BLOCK)
    return [range(i, min(i + size, n)) for i in range(0, n, size)]


def cluster(items: Sequence[Item]) -> list[list[int]]:
    """Groups of item indices: each group in index order, groups ordered by their first index."""
    if len(items) < 2:
        return [[i] for i in range(len(items))]
    return cluster_scores(similarity(items), [it.profile for it in items])


def cluster_scores(sim: np.ndarray, profiles: Sequence[Profile] = ()) -> list[list[int]]:
    """:func:`cluster` over a pairwise score matrix already computed (:func:`similarity`), with
    the items' profiles for the group argument check (none given: no such check)."""
    if len(sim) < 2:
        return [[i] for i in range(len(sim))]
    dist = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    groups = _cut(tree, len(sim), profiles)
    return sorted((sorted(g) for g in groups), key=lambda g: g[0])


def _group_args(value: float, left: list[int], right: list[int], profiles: Sequence[Profile]) -> float:
    """The link of two groups of at least STORY_GROUP_ARGS_MIN_SIZE times the argument agreement
    of their summed profiles. Pairwise agreement misses two groups whose members each leave some
    argument out (85 million euros on Thursday / 2 million euros on Monday: half of each side
    names no sum or day, and those pairs count as agreeing); the groups as wholes conflict."""
    if not profiles or min(len(left), len(right)) < max(2, defaults.STORY_GROUP_ARGS_MIN_SIZE):
        return value
    a, b = Profile(), Profile()
    for i in left:
        a.add(profiles[i])
    for i in right:
        b.add(profiles[i])
    return value * group_agreement(a, b)


def _cut(tree: np.ndarray, n: int, profiles: Sequence[Profile] = ()) -> list[list[int]]:
    """The clusters of the average-link tree over ``n`` items: a merge is kept when its link
    reaches STORY_THRESHOLD and, between two groups of at least STORY_COHESION_MIN_SIZE,
    STORY_COHESION_RATIO times the looser group's cohesion (mean link inside it); a merge refused
    closes both groups. Two tight sub-stories of one kind (two fights of one boxer) link well
    above the threshold but far below how tightly each holds together; the follow-ups of one
    story do not. Inner link sums are carried up the tree, so the cut is linear in the merges."""
    members: dict[int, list[int]] = {i: [i] for i in range(n)}  # open tree nodes
    inner: dict[int, float] = dict.fromkeys(range(n), 0.0)  # sum of the pair scores inside a node
    done: list[list[int]] = []  # groups a refused merge closed
    for step, (a, b, dist, _) in enumerate(tree):
        left, right = members.pop(int(a), None), members.pop(int(b), None)
        value = 1.0 - float(dist)  # average link: the mean score over the left x right pairs
        if left is None or right is None or value < defaults.STORY_THRESHOLD or not _cohesive(
            value, (len(left), inner[int(a)]), (len(right), inner[int(b)])
        ) or _group_args(value, left, right, profiles) < defaults.STORY_THRESHOLD:
            done += [g for g in (left, right) if g is not None]
            continue  # the node stays closed: every merge above it is refused too
        members[n + step] = left + right
        inner[n + step] = inner[int(a)] + inner[int(b)] + value * len(left) * len(right)
    return done + list(members.values())


def _cohesive(link_value: float, left: tuple[int, float], right: tuple[int, float]) -> bool:
    """Whether two groups, each (size, sum of its inner pair scores), link well enough for how
    tightly each holds together (see _cut)."""
    if min(left[0], right[0]) < max(2, defaults.STORY_COHESION_MIN_SIZE):
        return True
    looser = min(total / (size * (size - 1) / 2) for size, total in (left, right))
    return link_value >= defaults.STORY_COHESION_RATIO * looser


def _inner(sim: np.ndarray) -> float:
    """Sum of the pair scores of a square block (each unordered pair once)."""
    return float((sim.sum() - np.trace(sim)) / 2)


def link(a: Sequence[Item], b: Sequence[Item]) -> float:
    """Average link between two groups under the clustering's criterion: the mean pairwise score
    over all a x b pairs (0 when a group is empty). Two groups are one cluster when it reaches
    ``STORY_THRESHOLD``."""
    if not a or not b:
        return 0.0
    sim = similarity([*a, *b])
    return float(sim[: len(a), len(a) :].mean())


def group_link(a: Sequence[Item], b: Sequence[Item]) -> float:
    """:func:`link`, or 0 when the cut's cohesion check would keep the two groups apart."""
    if not a or not b:
        return 0.0
    sim = similarity([*a, *b])
    k = len(a)
    value = float(sim[:k, k:].mean())
    left, right = (k, _inner(sim[:k, :k])), (len(b), _inner(sim[k:, k:]))
    if not _cohesive(value, left, right):
        return 0.0
    return _group_args(value, list(range(k)), list(range(k, k + len(b))), [it.profile for it in [*a, *b]])


def similarity(items: Sequence[Item]) -> np.ndarray:
    """Pairwise score matrix: cosine x time factor x argument agreement."""
    return _cosines(items) * _time_factors(items) * _agreements(items)


def _cosines(items: Sequence[Item]) -> np.ndarray:
    matrix = _sparse([list(it.vector.items()) for it in items])
    return np.asarray((matrix @ matrix.T).todense())


def _agreements(items: Sequence[Item]) -> np.ndarray:
    """Pairwise argument agreement: the product of the penalties of the kinds in conflict (both
    articles name arguments of the kind and share none), divided by the penalties of the kinds
    they agree on (share a term), capped at 1 (at STORY_ARG_AGREE_CAP for pairs dated close together
    sharing every kind of STORY_ARG_LIFT_KINDS, _liftable): an agreement on one kind offsets a
    conflict on another (same place, different people named: same story; different place too: not).
    As args.agreement, pair by pair."""
    out = np.ones((len(items), len(items)))
    kinds = sorted({k for it in items for k in it.profile.kinds} - {LEAD_KIND})
    for kind in kinds:
        rows = [[(t, 1.0) for t in it.profile.kinds.get(kind, {})] for it in items]
        names = _sparse(rows)
        has = np.asarray(names.sum(axis=1)).ravel() > 0
        shared = np.asarray((names @ names.T).todense()) > 0
        out[np.outer(has, has) & ~shared] *= penalty(kind)
        out[shared] *= agreement_weight(kind)
    crossed = np.zeros_like(out, dtype=bool)
    if defaults.STORY_ARG_CROSS_NAMES:
        # A name one article tags as a person and the other as a place counts as a shared place.
        crossed = _cross_named(items)
        place_shared = _shared(items, PLACE_KIND)
        out[crossed & ~place_shared] *= agreement_weight(PLACE_KIND)
        both_places = np.outer(*[_has(items, PLACE_KIND)] * 2)
        out[crossed & both_places & ~place_shared] /= penalty(PLACE_KIND)  # no conflict after all
    cap = defaults.STORY_ARG_AGREE_CAP
    out = np.minimum(out, np.where(_liftable(items, crossed), cap, 1.0) if cap > 1.0 else cap)
    if defaults.STORY_ARG_LEAD_PENALTY < 1.0:  # off by default: skip the work
        # A lead conflict (different protagonists) is not offset by shared side details.
        out *= np.where(_lead_conflicts(items), defaults.STORY_ARG_LEAD_PENALTY, 1.0)
    return out


def _liftable(items: Sequence[Item], crossed: np.ndarray) -> np.ndarray:
    """Pairs published at most STORY_ARG_LIFT_MAX_DAYS apart (both dated) sharing a term of every
    kind in STORY_ARG_LIFT_KINDS (a name read as a person on one side and a place on the other
    counts as a shared place): only their agreement may exceed 1 (args.agreement's ``close``)."""
    out = _close_days(items)
    for kind in sorted(defaults.STORY_ARG_LIFT_KINDS):
        out &= _shared(items, kind) | (crossed if kind == PLACE_KIND else False)
    return out


def _close_days(items: Sequence[Item]) -> np.ndarray:
    """Pairs both dated and at most STORY_ARG_LIFT_MAX_DAYS apart (basics.close_in_time)."""
    known = np.array([it.day is not None for it in items])
    days = np.array([it.day.toordinal() if it.day else 0 for it in items])
    near = np.abs(days[:, None] - days[None, :]) <= defaults.STORY_ARG_LIFT_MAX_DAYS
    return np.outer(known, known) & near


def _has(items: Sequence[Item], kind: str) -> np.ndarray:
    return np.array([bool(it.profile.kinds.get(kind)) for it in items])


def _shared(items: Sequence[Item], kind: str) -> np.ndarray:
    names = _sparse([[(t, 1.0) for t in it.profile.kinds.get(kind, {})] for it in items])
    return np.asarray((names @ names.T).todense()) > 0


def _cross_named(items: Sequence[Item]) -> np.ndarray:
    """Pairs where one article's person surname is a word of a place the other names."""
    rows_people = [[(t[len(PERSON):], 1.0) for t in it.profile.kinds.get(PERSON_KIND, {})] for it in items]
    rows_places = [[(w, 1.0) for t in it.profile.kinds.get(PLACE_KIND, {}) for w in set(place_words(t))]
                   for it in items]
    both = _sparse(rows_people + rows_places)
    people, places = both[: len(items)], both[len(items):]
    cross = np.asarray((people @ places.T).todense()) > 0
    return cross | cross.T


def _lead_conflicts(items: Sequence[Item]) -> np.ndarray:
    """Pairs whose leads each name a person the other article never names (storyargs.lead_conflict)."""
    rows_lead = [[(t[len(LEAD):], 1.0) for t in it.profile.kinds.get(LEAD_KIND, {})] for it in items]
    rows_people = [[(t[len(PERSON):], 1.0) for t in it.profile.kinds.get(PERSON_KIND, {})] for it in items]
    both = _sparse(rows_lead + rows_people)  # one matrix, so both halves share the surname columns
    lead, named = both[: len(items)], both[len(items):]
    n_lead = np.asarray(lead.sum(axis=1)).ravel()
    novel = n_lead[:, None] - np.asarray((lead @ named.T).todense()) > 0
    return novel & novel.T


def _time_factors(items: Sequence[Item]) -> np.ndarray:
    """1 within the time window, halving every half-life beyond (the longer one for the reports
    of one long-running story, args.long_running); 1 when a date is unknown."""
    known = np.array([it.day is not None for it in items])
    days = np.array([it.day.toordinal() if it.day else 0 for it in items], dtype=float)
    excess = np.clip(np.abs(days[:, None] - days[None, :]) - defaults.STORY_TIME_WINDOW_DAYS, 0.0, None)
    factor = np.where(
        _long_running(items),
        0.5 ** (excess / defaults.STORY_LONG_RUNNING_HALF_LIFE_DAYS),
        0.5 ** (excess / defaults.STORY_TIME_HALF_LIFE_DAYS),
    )
    return np.where(np.outer(known, known), factor, 1.0)


def _long_running(items: Sequence[Item]) -> np.ndarray:
    """Pairs sharing a term of any kind in STORY_LONG_RUNNING_KINDS (args.long_running)."""
    out = np.zeros((len(items), len(items)), dtype=bool)
    for kind in sorted(defaults.STORY_LONG_RUNNING_KINDS):
        out |= _shared(items, kind)
    return out


def _sparse(rows: list[list[tuple[str, float]]]) -> csr_matrix:
    """Rows of (term, weight) as a sparse matrix over the terms they use."""
    columns: dict[str, int] = {}
    indptr, indices, data = [0], [], []
    for row in rows:
        for term, weight in row:
            indices.append(columns.setdefault(term, len(columns)))
            data.append(weight)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), max(1, len(columns))))
