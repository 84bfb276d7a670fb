"""bench/samefact_pairs.py: ECB+ same-event pairs and the candidate table, on tiny made-up sentences."""

from __future__ import annotations

import benchmods
import numpy as np

pairs_mod = benchmods.load("samefact_pairs", "samefact_pairs")
Sentence = pairs_mod.Sentence


def _sentences() -> list:
    return [
        Sentence("1_1ecb", 0, "The actress checked into rehab.", frozenset({"A"})),
        Sentence("1_2ecb", 0, "She entered a treatment centre on Tuesday.", frozenset({"A"})),
        Sentence("1_2ecb", 1, "Her publicist declined to comment.", frozenset({"B"})),
        Sentence("1_3ecbplus", 0, "Another actor checked into rehab in May.", frozenset({"C"})),
        Sentence("3_1ecb", 0, "A prisoner escaped from jail.", frozenset({"D"})),
    ]


def test_pairs_join_two_documents_of_one_topic_and_label_shared_chains() -> None:
    pairs = pairs_mod.build_pairs(_sentences())
    positives = [p for p in pairs if p.label == 1]
    assert [(p.a, p.b) for p in positives] == [("The actress checked into rehab.",
                                                "She entered a treatment centre on Tuesday.")]
    # As many negatives as positives, each from one topic and two documents.
    negatives = [p for p in pairs if p.label == 0]
    assert len(negatives) == 1 and negatives[0].topic == "1"
    assert all("prisoner" not in p.a + p.b for p in pairs)  # topic 3 has one document


def test_topic_folds_never_split_a_topic() -> None:
    pairs = [pairs_mod.SamePair(1, "a", "b", t, True) for t in ("1", "3", "1", "4", "3")]
    folds = pairs_mod.topic_folds(pairs, 2)
    fold_of = {i: n for n, fold in enumerate(folds) for i in fold}
    assert sorted(fold_of) == list(range(len(pairs)))
    for topic in ("1", "3", "4"):
        assert len({fold_of[i] for i, p in enumerate(pairs) if p.topic == topic}) == 1
    assert all(folds)


def test_candidate_table_counts_recall_and_cost() -> None:
    sentences = _sentences()[:4]
    vectors = np.eye(4, dtype=np.float32)
    vectors[1] = vectors[0]  # the positive pair: cosine 1; every other pair: cosine 0
    rows = pairs_mod.candidate_table(sentences, vectors, [0.5, -1.0], [1])
    high, low = rows
    assert high["recall"] == 1.0 and high["positives"] == 1
    # ecb and ecbplus are two stories: the floor at -1 offers every sentence its nearest other-document one
    assert low["pairs_per_story"] >= high["pairs_per_story"]
