"""Matcher decisions on sentence pairs, scored once (newsfuse/fuse/claims/pairs.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from newsfuse import defaults
from newsfuse.fuse.claims import match as claimmatch
from newsfuse.fuse.claims import pairs as claimpairs
from newsfuse.fuse.claims.pairs import NeighbourMemo, PairMemo, Scorer

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


@dataclass(frozen=True)
class _Fixed:
    """A matcher record (hashed by value, as the packaged one): every answer is ``p``."""

    p: float
    weights: tuple[float, ...] = (0.5,) * 40

    def probability(self, a: str, b: str, cosine: float) -> float:
        return self.p


def test_equal_matcher_records_share_answers_and_numbers_are_never_given_twice() -> None:
    """The memo names a matcher record by a number kept for its value (hashing the record's weights
    twice a question cost more than the lookup): equal records share answers, others never do, even
    after the numbers kept were dropped at their bound."""
    memo = PairMemo(1000)
    assert memo.probability(_Fixed(0.7), A, B, 0.5) == 0.7
    assert memo.probability(_Fixed(0.7), A, B, 0.5) == 0.7 and memo.hits == 1  # another equal object
    for n in range(2 * claimpairs._MATCHERS_KEPT):  # past the bound: the numbers kept are dropped
        assert memo.probability(_Fixed(n / 1000), A, B, 0.5) == n / 1000
    assert memo.probability(_Fixed(0.7), A, B, 0.5) == 0.7
    assert memo.probability(_Fixed(0.9), A, B, 0.5) == 0.9


def test_turning_the_second_stage_on_asks_again(monkeypatch: pytest.MonkeyPatch) -> None:
    memo, matcher = PairMemo(10), Counting()
    monkeypatch.setattr(defaults, "CLAIM_MATCH_CROSS_ENCODER", False)
    memo.probability(matcher, A, B, 0.81)
    monkeypatch.setattr(defaults, "CLAIM_MATCH_CROSS_ENCODER", True)
    memo.probability(matcher, A, B, 0.81)
    memo.probability(matcher, A, B, 0.81)
    assert len(matcher.asked) == 2


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


# -- nearest sentences kept between fuses (NeighbourMemo) ----------------------------------------------


def _sentences(n_articles: int, rng: np.random.Generator) -> tuple[list[tuple[str, int]], np.ndarray]:
    """(article, number) of 3-6 sentences per article and their unit vectors; a third repeat an
    earlier sentence's vector (wire copies), so many cosines tie."""
    idents, vectors = [], []
    for a in range(n_articles):
        for s in range(int(rng.integers(3, 7))):
            if vectors and rng.random() < 0.33:
                vectors.append(vectors[int(rng.integers(len(vectors)))])
            else:
                v = rng.normal(size=16)
                vectors.append(v / np.linalg.norm(v))
            idents.append((f"a{a:03d}", s))
    return idents, np.array(vectors, dtype=np.float32)


def _ask(memo: NeighbourMemo, idents: list[tuple[str, int]], vectors: np.ndarray,
         keep: list[int]) -> tuple[list[tuple[str, int]], list[list[tuple[tuple[str, int], float]]]]:
    """The memo's neighbours of the sentences of the ``keep`` articles (sorted, as the meaning pass
    orders them), by sentence rather than by row."""
    rows = sorted(n for n, x in enumerate(idents) if int(x[0][1:]) in keep)
    chosen = [idents[n] for n in rows]
    _, articles = np.unique([x[0] for x in chosen], return_inverse=True)
    _, first, texts = np.unique(vectors[rows], axis=0, return_index=True, return_inverse=True)
    near, cos = memo.nearest(chosen, articles, texts.ravel(), vectors[rows][first], 4)
    return chosen, [[(chosen[j], float(c)) for j, c in zip(r, v, strict=True) if j >= 0]
                    for r, v in zip(near.tolist(), cos.tolist(), strict=True)]


def test_neighbours_of_a_story_grown_in_any_order_are_those_from_scratch() -> None:
    rng = np.random.default_rng(11)
    idents, vectors = _sentences(40, rng)
    order = [int(x) for x in rng.permutation(40)]
    grown = NeighbourMemo(4)
    for step in (12, 13, 20, 21, 40):  # one article at a time, then several
        got = _ask(grown, idents, vectors, order[:step])
        scratch = _ask(NeighbourMemo(0), idents, vectors, order[:step])
        assert got == scratch
        assert all(x[0] != y[0] for x, row in zip(*got, strict=True) for y, _ in row)  # other articles only
    assert grown.grown == 4 and grown.computed == 1  # only the first set was compared all against all


def test_a_set_that_lost_sentences_and_gained_others_gives_the_neighbours_from_scratch() -> None:
    """A growing story's compared sentences also leave it (a statement that led its claim no longer
    does; an article moved out): kept sentences that lost a neighbour are compared anew."""
    rng = np.random.default_rng(5)
    idents, vectors = _sentences(30, rng)
    memo = NeighbourMemo(4)
    _ask(memo, idents, vectors, list(range(20)))
    for keep in (list(range(1, 21)), [*range(2, 21), 25], [*range(3, 22), 25, 26]):
        assert _ask(memo, idents, vectors, keep) == _ask(NeighbourMemo(0), idents, vectors, keep)
    assert memo.grown == 3 and memo.computed == 1
    _ask(memo, idents, vectors, [27, 28, 29])  # hardly anything in common: from scratch
    assert memo.computed == 2


@pytest.mark.parametrize("seed", [3, 17, 29])
def test_kept_sentences_no_new_one_comes_near_keep_their_neighbours_exactly(seed: int) -> None:
    """A grown set merges only the kept sentences a new one could enter (its best new cosine at or
    above their k-th): with copies tying cosines at the k-th place, the neighbours are still those
    from scratch, one article added at a time."""
    rng = np.random.default_rng(seed)
    idents, vectors = _sentences(25, rng)
    grown = NeighbourMemo(4)
    for step in range(10, 26):
        assert _ask(grown, idents, vectors, list(range(step))) == \
            _ask(NeighbourMemo(0), idents, vectors, list(range(step)))
    assert grown.computed == 1
