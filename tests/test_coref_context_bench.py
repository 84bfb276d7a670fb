"""bench/coref_context.py: trigger vectors pooled from word pieces; the rule's chains split and merged."""

from __future__ import annotations

from types import ModuleType

import benchmods
import numpy as np

from newsfuse.fuse.claims.statements import Statement
from newsfuse.models import Article, Span


def _bench() -> ModuleType:
    return benchmods.load("coref_context", "bench_coref_context")


def test_pool_averages_the_pieces_of_the_wanted_words_to_unit_length() -> None:
    states = np.asarray([[9.0, 0.0], [1.0, 0.0], [6.0, 0.0], [0.0, 8.0]])
    words = [None, 0, 1, 1]  # [CLS], then word 0 in one piece, word 1 in two
    assert np.allclose(_bench()._pool(states, words, {1}), [0.6, 0.8])
    assert np.allclose(_bench()._pool(states, words, {7}), [1.0, 0.0])  # no piece: the [CLS] row


def _event(k: int, trigger: str, sentence: str) -> Statement:
    article = "ctx-bench-article-1"  # one article: the claim relation joins only across articles
    span = Span(article, k * 1000, k * 1000 + len(sentence), sentence)
    return Statement(id=str(k), kind="event", article=Article(id=article, text=""), text=sentence,
                     span=span, trigger=trigger, type=trigger)


def test_chains_split_the_rules_chain_and_merge_across_it() -> None:
    bench = _bench()
    items = [_event(0, "strike", "The storm struck the harbour of Velmore on Monday."),
             _event(1, "strike", "Striking miners marched through Ostrava again."),
             _event(2, "hit", "The storm hit the harbour hard.")]
    scope = bench.Scope(items, {}, ["storm", "strike", "storm"])
    assert sorted(map(sorted, scope.rule)) == [[0, 1], [2]]  # the word rule: one word, one chain
    prob = np.asarray([[1.0, 0.1, 0.9], [0.1, 1.0, 0.2], [0.9, 0.2, 1.0]])
    assert sorted(map(sorted, bench.chains(scope, prob, None, None))) == [[0, 1], [2]]
    assert sorted(map(sorted, bench.chains(scope, prob, 0.5, None))) == [[0], [1], [2]]
    assert sorted(map(sorted, bench.chains(scope, prob, 0.5, 0.5))) == [[0, 2], [1]]


def test_pieces_found_by_characters_map_to_the_words_split_by_the_tokenizer() -> None:
    from newsfuse.fuse.claims.crossencoder import load_transformer

    tokenizer, _ = load_transformer()
    words = ["Rescuers", "pulled", "survivors", "from", "Karsholm's", "rubble", "overnight", "."]
    of, _ = _bench()._by_characters(tokenizer, words)
    assert of == tokenizer(words, is_split_into_words=True).word_ids()
