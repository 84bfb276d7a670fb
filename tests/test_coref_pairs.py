"""The learned coreference scorers (fuse/entities/pairmodel.py, fuse/claims/eventpairs.py): average-link
clustering, the shipped weights, and how entity clusters are joined."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from newsfuse.errors import AnalysisError
from newsfuse.fuse.claims import eventpairs
from newsfuse.fuse.entities import pairmodel
from newsfuse.fuse.entities.names import Cluster, NameGroup
from newsfuse.fuse.entities.pairmodel import PairModel, average_link


def test_average_link_joins_while_the_mean_pair_probability_reaches_the_threshold() -> None:
    prob = np.array([[1.0, 0.9, 0.2, 0.1],
                     [0.9, 1.0, 0.6, 0.1],
                     [0.2, 0.6, 1.0, 0.1],
                     [0.1, 0.1, 0.1, 1.0]])
    start = [[0], [1], [2], [3]]
    assert average_link(prob, start, 0.5) == [[0, 1], [2], [3]]  # {0,1}~2 averages 0.4
    assert average_link(prob, start, 0.35) == [[0, 1, 2], [3]]
    assert average_link(prob, start, 0.95) == [[0], [1], [2], [3]]


def test_average_link_ignores_pairs_scored_nan_and_keeps_start_clusters_whole() -> None:
    prob = np.array([[1.0, np.nan, 0.9], [np.nan, 1.0, 0.2], [0.9, 0.2, 1.0]])
    # row 1 (a pronoun) rides with row 0: only the 0~2 pair counts for the cluster pair
    assert average_link(prob, [[0, 1], [2]], 0.5) == [[0, 1, 2]]


def test_average_link_keeps_clusters_apart_through_a_bridge() -> None:
    # 0 and 2 are two named people; 1 is a description alike to both (names are NaN: the rules' call)
    prob = np.array([[1.0, 0.9, np.nan], [0.9, 1.0, 0.8], [np.nan, 0.8, 1.0]])
    start = [[0], [1], [2]]
    assert average_link(prob, start, 0.5) == [[0, 1, 2]]  # the description bridges them
    apart = np.array([[False, False, True], [False, False, False], [True, False, False]])
    assert average_link(prob, start, 0.5, apart) == [[0, 1], [2]]  # it joins the likelier one only
    # torn: it reaches the threshold with both, so it joins neither
    assert average_link(prob, start, 0.5, apart, ambiguous=True) == [[0], [1], [2]]
    # with one of them below the threshold it is not torn
    assert average_link(prob, start, 0.85, apart, ambiguous=True) == [[0, 1], [2]]


def test_shipped_weights_match_the_features_the_code_computes() -> None:
    for name, features in (("entities.json", pairmodel.ENTITY_FEATURES),
                           ("events.json", eventpairs.EVENT_FEATURES)):
        path = pairmodel.weights_path(name)
        assert path is not None and path.is_file(), f"{name} is missing: run bench/train_coref.py"
        model = pairmodel.read_model(path, features)
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["trained_on"] == "ECB+ Train"
        # the product uses a model only where it beat the rules in cross-validation on train
        chosen = data["cv"][f"{model.threshold:.2f}"]["conll"]
        assert model.beats_rules == (chosen > data["cv"]["rules"]["conll"])


def test_weights_for_other_features_are_refused_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"features": ["a"], "coef": [1.0], "intercept": 0.0, "mean": [0.0],
                                "scale": [1.0], "threshold": 0.5}), encoding="utf-8")
    with pytest.raises(AnalysisError, match="train_coref"):
        pairmodel.read_model(path, ("a", "b"))


def _group(article: str, key: str, label: str, named: bool, head: str = "") -> NameGroup:
    g = NameGroup(article, key, label, count=1, pronoun_only=False, head=head)
    if named:
        g.names[key] += 1
    return g


def test_merge_joins_whole_rule_clusters_the_model_scores_alike_and_says_why() -> None:
    a = _group("a1", "Lindsay Lohan", "PERSON", True)
    b = _group("a2", "Lohan", "PERSON", True)
    c = _group("a2", "the actress", "PERSON", False, head="actress")
    d = _group("a3", "the court", "ORG", False, head="court")
    clusters = [Cluster([a, b], {"surname match: Lohan"}), Cluster([c]), Cluster([d])]
    names = pairmodel.ENTITY_FEATURES
    # a toy model: people of one class are alike, nothing else counts
    coef = np.array([4.0 if f == "same_class" else 0.0 for f in names])
    model = PairModel(names, coef, -2.0, np.zeros(len(names)), np.ones(len(names)), 0.6)

    def encode(texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 2)) / np.sqrt(2)

    merged = pairmodel.merge_clusters([a, b, c, d], clusters, model, encode)
    assert [[g.key for g in cl.groups] for cl in merged] == [["Lindsay Lohan", "Lohan", "the actress"],
                                                             ["the court"]]
    assert "surname match: Lohan" in merged[0].evidence
    assert any(e.startswith("learned coreference: Lindsay Lohan ~ the actress") for e in merged[0].evidence)


def test_entity_fuzzy_feature_is_the_token_set_ratio_of_every_pair() -> None:
    from rapidfuzz import fuzz

    groups = [_group("a1", "Lindsay Lohan", "PERSON", True), _group("a2", "Lohan", "PERSON", True),
              _group("a2", "the actress", "PERSON", False, head="actress"),
              _group("a3", "Lohan Lindsay", "PERSON", True),
              _group("a3", "the court", "ORG", False, head="court")]

    def encode(texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 2)) / np.sqrt(2)

    fuzzy = dict(pairmodel.entity_features(groups, [0, 0, 1, 2, 3], encode))["fuzzy"]
    n = len(groups)
    want = np.array([[0.0 if i == j else fuzz.token_set_ratio(groups[i].norm, groups[j].norm) / 100.0
                      for j in range(n)] for i in range(n)])
    assert np.array_equal(fuzzy, want)
    assert fuzzy[0, 3] == fuzzy[0, 1] == 1.0 and fuzzy[2, 4] < 1.0  # word sets: order and subsets


def test_training_writes_the_weight_files_the_product_reads() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import train_coref

    folder = pairmodel.weights_path("entities.json")
    assert folder is not None
    # one file per kind, each one the product opens (an 'entitys.json' beside them was read by nobody)
    assert sorted(train_coref.WEIGHT_FILES.values()) == sorted(
        p.name for p in folder.parent.glob("*.json") if p.name != "events_context.json")
