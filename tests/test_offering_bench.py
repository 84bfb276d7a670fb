"""How bench/offering.py says what the meaning pass offers: neighbour ranks (of runs, of sentences by
their best run), which judged pairs a variant offers, and why two outlets' statements were never
asked about."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import offering  # noqa: E402

from newsfuse import defaults  # noqa: E402
from newsfuse.fuse.claims import meaning  # noqa: E402
from newsfuse.fuse.claims.statements import Statement  # noqa: E402
from newsfuse.models import Article, Span  # noqa: E402


def test_ranks_order_each_rows_candidates_most_alike_first() -> None:
    cos = np.array([[-np.inf, 0.2, 0.9], [0.2, -np.inf, 0.5], [0.9, 0.5, -np.inf]])
    rank = offering._ranks(cos)
    assert rank[0].tolist() == [2, 1, 0]  # its own column last, 0.9 first
    assert rank[1, 2] == 0 and rank[1, 0] == 1


def test_sentence_ranks_count_each_sentence_once_by_its_best_run() -> None:
    # runs 1 and 2 are two runs of one sentence: for row 0 the sentence is first (by run 2), run 3 second
    cos = np.array([[-np.inf, 0.8, 0.9, 0.7]] * 4)
    rank = offering._sentence_ranks(cos, np.array([0, 1, 1, 2]))
    assert rank[0, 2] == 0 and rank[0, 3] == 1
    assert rank[0, 1] > len(cos)  # not its sentence's best run: never offered by sentence rank


def _judged(cos: list[float], rank: list[int], arguments: list[bool]) -> offering.Judged:
    n = len(cos)
    return offering.Judged(np.arange(n), np.arange(n) + 1, np.zeros(n, dtype=int), np.array(cos),
                           np.array(rank), np.array(rank), np.array(arguments), np.zeros(n, dtype=bool),
                           {"place_act": np.array([False, False, False, True])})


def test_a_pair_is_offered_near_enough_above_the_floor_or_by_its_arguments() -> None:
    j = _judged([0.9, 0.6, 0.2, 0.1], [0, 12, 3, 30], [False, False, True, False])
    assert offering.offered(j, 8, 0.5).tolist() == [True, False, True, False]
    assert offering.offered(j, 16, 0.5).tolist() == [True, True, True, False]
    assert offering.offered(j, 8, 0.5, extra="place_act").tolist() == [True, False, True, True]


def _run(article: Article, n: int) -> meaning._Sentence:
    s = Statement(id=f"off-{article.id}-{n}", kind="event", article=article, text=article.text,
                  span=Span(article.id, 0, len(article.text), article.text), at=0)
    return meaning._Sentence((article.id, n, n + 1), article.text, ((n, s),))


def test_never_asked_says_under_the_floor_or_not_among_the_nearest(monkeypatch: pytest.MonkeyPatch) -> None:
    one = Article(id="offering-bench-one", text="Troops crossed the river at dawn.")
    two = Article(id="offering-bench-two", text="Rain fell over the valley all day.")
    runs = [_run(one, 0), _run(two, 1)]
    statements = [[s for _, s in x.holders] for x in runs]
    matrix = np.array([[1.0, 0.0], [0.6, 0.8]])  # cosine 0.6
    monkeypatch.setattr(defaults, "CLAIM_MATCH_MIN_COSINE", 0.7)
    why = offering.never_asked_reason(runs, matrix, *statements)
    assert why.startswith("best cosine 0.60 under the floor; asked: best ")
    monkeypatch.setattr(defaults, "CLAIM_MATCH_MIN_COSINE", 0.5)
    assert offering.never_asked_reason(runs, matrix, *statements).startswith("best cosine 0.60, rank 1;")
    assert offering.never_asked_reason(runs[:1], matrix[:1], *statements) == "no compared run"


def test_the_budget_grid_crosses_each_offer_with_each_told_within_gate() -> None:
    name = offering._name(8, 0.5, False, "place_act", "within_0.3_0.7_1")
    assert name == "8_0.5_place_act+within_0.3_0.7_1"
    assert offering._name(24, 0.4, False, "") == "24_0.4"
    assert offering._gates(False) == {"": {}}
    gates = offering._gates(True)
    assert set(gates) == {"", *offering.BUDGET_WITHIN}
    point = defaults.CLAIM_MATCH_PROBABILITY
    assert all(g["CLAIM_TOLD_WITHIN_PROBABILITY"] < point for name, g in gates.items() if name)
    assert gates["within_0.1_0.5_2"]["CLAIM_TOLD_WITHIN_SAME_PARTIES"]
    shipped = (defaults.CLAIM_MATCH_NEIGHBOURS, defaults.CLAIM_MATCH_MIN_COSINE, False, "")
    assert shipped in offering.BUDGET_OFFERS
