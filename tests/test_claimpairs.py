"""Matcher decisions on sentence pairs, scored once (newsfuse/fuse/claims/pairs.py)."""

from __future__ import annotations

import numpy as np

from newsfuse.fuse.claims import match as claimmatch
from newsfuse.fuse.claims.pairs import PairMemo, Scorer

A = "The dam gave way early on Saturday, flooding the lower town."
B = "Early on Saturday the dam failed and flooded the lower part of the town."
C = "The minister said the ministry would publish every inspection report."


class Counting:
    """The packaged matcher, counting the pairs it was asked about."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, float]] = []

    def probability(self, a: str, b: str, cosine: float) -> float:
        self.asked.append((a, b, cosine))
        return claimmatch.packaged().probability(a, b, cosine)


def test_a_kept_decision_is_the_matchers_own_and_asked_once() -> None:
    memo, matcher = PairMemo(10), Counting()
    first = memo.probability(matcher, A, B, 0.81)
    again = memo.probability(matcher, A, B, 0.81)
    assert first == again == claimmatch.packaged().probability(A, B, 0.81)
    assert len(matcher.asked) == 1 and (memo.hits, memo.misses) == (1, 1)


def test_another_cosine_or_order_or_matcher_is_another_question() -> None:
    memo, matcher, other = PairMemo(10), Counting(), Counting()
    memo.probability(matcher, A, B, 0.81)
    memo.probability(matcher, A, B, 0.80)  # the same texts under other vectors
    memo.probability(matcher, B, A, 0.81)
    memo.probability(other, A, B, 0.81)
    assert len(matcher.asked) == 3 and len(other.asked) == 1


def test_the_memo_keeps_its_bound_dropping_the_least_recently_used() -> None:
    memo, matcher = PairMemo(2), Counting()
    memo.probability(matcher, A, B, 0.8)
    memo.probability(matcher, A, C, 0.3)
    memo.probability(matcher, A, B, 0.8)  # used again: A-C is now the oldest
    memo.probability(matcher, B, C, 0.2)
    assert len(memo) == 2
    memo.probability(matcher, A, B, 0.8)
    memo.probability(matcher, A, C, 0.3)
    assert [q[:2] for q in matcher.asked] == [(A, B), (A, C), (B, C), (A, C)]


def test_off_asks_every_time() -> None:
    memo, matcher = PairMemo(0), Counting()
    memo.probability(matcher, A, B, 0.8)
    memo.probability(matcher, A, B, 0.8)
    assert len(matcher.asked) == 2 and len(memo) == 0


def _unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_a_scorer_asks_once_per_pair_of_distinct_sentences() -> None:
    matcher = Counting()
    keys = [("a1", 0, 10), ("a2", 0, 10), ("a3", 5, 20), ("a4", 0, 30)]
    texts = [A, A, B, A]  # a1 and a2 carry one text under one vector (wire copies); a4 another vector
    matrix = np.stack([_unit(1, 0, 0), _unit(1, 0, 0), _unit(1, 1, 0), _unit(1, 0, 1)])
    scorer = Scorer(matcher, keys, texts, matrix)
    p1 = scorer.probability(keys[0], keys[2])
    p2 = scorer.probability(keys[1], keys[2])
    p4 = scorer.probability(keys[3], keys[2])
    cosine = float(np.dot(matrix[0], matrix[2]))
    assert p1 == p2 == claimmatch.packaged().probability(A, B, cosine)
    assert p4 == claimmatch.packaged().probability(A, B, float(np.dot(matrix[3], matrix[2])))
    assert scorer.best(keys[:2], keys[2:3]) == p1
    assert scorer.best(keys[:4:3], keys[2:3]) == max(p1, p4)
    assert len({(a, b) for a, b, _ in matcher.asked}) == 1 and len(matcher.asked) == 2
