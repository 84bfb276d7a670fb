"""The joins :func:`~newsfuse.fuse.claims.chainjoin.join_chained` makes, found without visiting every
pair of a big story's chained sentences.

The plain pass visits every pair of sentences of two articles in one coreference chain, most
probable first, and asks :func:`~newsfuse.fuse.claims.meaning._pairable` which clusters they join.
A story of 200 articles holds ~450,000 such pairs, and a re-fuse after one new article visits them
all again; on the bench's grown story they made 12 distinct joins. Two facts make this exact and
cheap:

* **only the first try of a join counts.** :class:`~newsfuse.fuse.claims.meaning._Joins` refuses
  two clusters when an article or a quoted speaker is in both; the sets it compares only grow as
  clusters join, so a join refused once stays refused, and one made stays made. The result is that
  of trying each distinct (cluster, cluster) join once, at its earliest place in the plain order
  (probability down, then the two sentences' numbers, then its place among the pair's joins).
* **sentences of one class pair alike.** Which joins a pair makes depends only on the clusters its
  two sentences are held by and the fields of their statements ``_compatible`` reads (kind, stance,
  speaker, whether described, unit, figure); the matcher's probability only on the sentences' texts
  and vectors (one :class:`~newsfuse.fuse.claims.pairs.Scorer` row). Sentences equal in both are one
  class, and two classes need one ``_pairable`` call, one probability (only if they join anything)
  and their earliest pair of sentences of two articles (sentences of an article are numbered
  together: a bisection and a short skip).

Wire copies and reports repeating one text are what make a story big, and they fall into few
classes, so the work follows the distinct sentences of the story, not its pairs. A story of all
distinct sentences has as many classes as sentences and costs what the plain pass cost.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Hashable, Sequence

from newsfuse.fuse.claims.meaning import _pairable, _Sentence, pair_profile

Op = tuple[int, int]  # a join of two clusters, as _pairable names it
Order = tuple[float, int, int, int]  # (-probability, sentence i, sentence j, place in the pair's joins)


def first_tries(
    sentences: Sequence[_Sentence], by_chain: Sequence[Sequence[int]], row: Callable[[int], int],
    probability: Callable[[int, int], float], floor: float,
) -> list[Op]:
    """The distinct joins of the pairs of sentences ``i < j`` of two articles sharing a chain
    (``by_chain``: each chain's sentence numbers, ascending) whose ``probability(i, j)`` reaches
    ``floor``, each at its first place in the plain order, in that order. ``row(i)``: sentence
    ``i``'s scorer row (same text and vector, same row)."""
    first: dict[Op, Order] = {}
    joins: dict[tuple[Hashable, Hashable], list[Op]] = {}
    for numbers in by_chain:
        classes: dict[tuple[Hashable, int], list[int]] = {}
        for i in numbers:
            classes.setdefault((_profile(sentences[i]), row(i)), []).append(i)
        members = list(classes.items())
        for (pa, _), a in members:
            for (pb, _), b in members:
                ops = joins.get((pa, pb))
                if ops is None:
                    ops = joins[(pa, pb)] = _pairable(sentences[a[0]], sentences[b[0]])
                if not ops:
                    continue  # nothing to join: its probability is never asked
                pair = _earliest(sentences, a, b)
                if pair is None:
                    continue
                p = probability(*pair)
                if p < floor:
                    continue
                for k, op in enumerate(ops):
                    order = (-p, pair[0], pair[1], k)
                    if op not in first or order < first[op]:
                        first[op] = order
    return sorted(first, key=first.__getitem__)


def _profile(x: _Sentence) -> Hashable:
    """What ``_pairable`` reads of a sentence (:func:`~.meaning.pair_profile`), made at its first use
    and kept with it (its holders never change; a kept sentence list passes it to the next fuse)."""
    found = x.profile
    if found is None:
        found = pair_profile(x.holders)
        object.__setattr__(x, "profile", found)  # a frozen record's cache slot, as __post_init__ sets one
    return found


def _earliest(sentences: Sequence[_Sentence], a: Sequence[int], b: Sequence[int]) -> tuple[int, int] | None:
    """The first (i, j) in plain order with i of ``a``, j of ``b``, i < j, of two articles."""
    for i in a:
        article = sentences[i].key[0]
        at = bisect.bisect_right(b, i)
        while at < len(b) and sentences[b[at]].key[0] == article:
            at += 1  # an article's sentences are numbered together: its own are skipped in a run
        if at < len(b):
            return i, b[at]
    return None
