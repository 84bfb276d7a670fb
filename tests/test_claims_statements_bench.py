"""How bench/train_statements.py labels and folds its pairs: a clause run is labelled by the gold
chains its statements' anchors stand in (quotes never), folds never split a topic, and the decision
point is the F1-best."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import claimalign  # noqa: E402
import train_statements  # noqa: E402

from newsfuse.fuse.claims import meaning  # noqa: E402
from newsfuse.fuse.claims.statements import Statement  # noqa: E402
from newsfuse.models import Article, Span  # noqa: E402

TEXT = "Rebels shelled the town on Monday, the mayor said."


def _statement(kind: str, at: int) -> Statement:
    article = Article(id="a1", text=TEXT, outlet="One")
    return Statement(id=f"{kind}{at}", kind=kind, article=article, text=TEXT,
                     span=Span("a1", 0, len(TEXT), TEXT), at=at)


def _mention(start: int, end: int, chain: str) -> claimalign.GoldMention:
    return claimalign.GoldMention("1_1ecb", 0, [0], chain, "1_ecb", start=start, end=end)


def test_a_run_is_labelled_by_the_chains_its_anchors_stand_in() -> None:
    shelled = TEXT.index("shelled")
    mentions = [_mention(shelled, shelled + 7, "ACT1"), _mention(TEXT.index("said"), len(TEXT) - 1, "ACT2")]
    runs = [meaning._Sentence(("a1", 0, 10), TEXT, ((0, _statement("event", shelled)),)),
            # a quote's anchor is its cue: it says nothing of the fact's chain
            meaning._Sentence(("a1", 0, 20), TEXT, ((1, _statement("quote", TEXT.index("said"))),)),
            meaning._Sentence(("a1", 0, 30), TEXT, ((2, _statement("event", 0)),))]
    chains = train_statements.chains_of(runs, mentions, {"a1": "1_1ecb"})
    assert chains == [frozenset({"1_ecb/ACT1"}), frozenset(), frozenset()]


def test_topic_folds_never_split_a_topic() -> None:
    topics = np.array([1, 1, 2, 3, 3, 3, 4, 5])
    folds = train_statements.topic_folds(topics, 2)
    assert sorted(np.concatenate(folds).tolist()) == list(range(len(topics)))
    held = [set(topics[f].tolist()) for f in folds]
    assert not held[0] & held[1]


def test_the_decision_point_is_the_f1_best() -> None:
    p = np.array([0.9, 0.8, 0.7, 0.45, 0.3, 0.1])
    y = np.array([1, 1, 1, 1, 0, 0])
    assert train_statements.best_threshold(p, y, (0.2, 0.4, 0.6)) == 0.4


def _event_run(article: str, n: int, actor: str) -> meaning._Sentence:
    a = Article(id=article, text=TEXT, outlet=article)
    s = Statement(id=f"{article}{n}", kind="event", article=a, text="shelled", span=Span(article, 0, 5, TEXT),
                  entity=actor, type="ASSAULT", trigger="shelled", at=TEXT.index("shelled"))
    return meaning._Sentence((article, n, n + 1), TEXT, ((n, s),))


def test_a_topic_offers_only_pairs_of_its_two_incidents() -> None:
    """Runs of four documents, two of each incident: the topic pass offers the nearest runs of the other
    incident and the argument-sharing pairs across, never a pair of one incident (those are the
    stories' own)."""
    runs = [_event_run("d1", 0, "e_army"), _event_run("d2", 1, "e_army"), _event_run("d3", 2, "e_police"),
            _event_run("d4", 3, "e_army")]
    incidents = ["1_ecb", "1_ecb", "1_ecbplus", "1_ecbplus"]
    matrix = np.array([[1.0, 0.0], [1.0, 0.0], [0.8, 0.6], [0.0, 1.0]])
    found = train_statements.offered(runs, matrix, incidents)
    assert all(incidents[i] != incidents[j] for i, j in found)
    assert (0, 2) in found and (1, 2) in found  # cosine 0.8, at the floor
    assert found[(0, 3)] == 0.0  # cosine 0, offered by the shared actor and act
    # as one story of four articles, the pairs of one incident are offered too
    assert (0, 1) in train_statements.offered(runs, matrix)


def test_scores_are_given_per_kind_of_pair() -> None:
    d = {"y": np.array([1, 0, 0, 0]), "cross": np.array([False, False, True, True])}
    found = train_statements.by_kind(np.array([1, 1, 1, 0]), d)
    assert found["within"]["precision"] == 0.5 and found["within"]["pairs"] == 2
    assert found["cross"]["joins"] == found["cross"]["wrong_joins"] == 1
    assert found["cross"]["positive"] == 0
    assert found["all"]["wrong_joins"] == 2


def test_mutual_rules_decide_as_named() -> None:
    d = {"p": np.array([0.7, 0.3, 0.3, 0.05]), "pairable": np.array([True, True, True, True]),
         "mutual": np.array([False, True, False, True])}
    assert train_statements.mutual_decisions(d, 0.2, "gated").tolist() == [1, 0, 0, 0]
    assert train_statements.mutual_decisions(d, 0.2, "mutual").tolist() == [0, 1, 0, 0]
    assert train_statements.mutual_decisions(d, 0.2, "both").tolist() == [1, 1, 0, 0]
    d["pairable"][0] = False  # a pair giving no join is no join, whatever the matcher says
    assert train_statements.mutual_decisions(d, 0.2, "both").tolist() == [0, 1, 0, 0]
    assert train_statements.mutual_decisions(d, 0.2, "matcher").tolist() == [1, 0, 0, 0]


def _told_by(sid: str, actor: str, name: str) -> Statement:
    article = Article(id=f"bench-apart-{sid}", text=f"{name} shelled the town.", outlet=sid)
    label = f"ASSAULT shelled ({name} -> town)"
    return Statement(id=sid, kind="event", article=article, text=f"{label}: {article.text}",
                     span=Span(article.id, 0, len(article.text), article.text), entity=actor, target="e_town",
                     type="ASSAULT", trigger="shelled", at=len(name) + 1)


def test_evidence_of_two_incidents_or_one_is_counted_by_kind() -> None:
    rebels, army = _told_by("ev-rebels", "e_rebels", "Rebels"), _told_by("ev-army", "e_army", "Army")
    assert {"actors_differ", "same_target"} <= train_statements.evidence_kinds([rebels], [army])
    found = train_statements.evidence_kinds([rebels], [_told_by("ev-rebels2", "e_rebels", "Rebels")])
    assert not found & {"actors_differ", "parties_disjoint", "both_dated"}


def test_places_are_counted_as_evidence_by_kind() -> None:
    import dataclasses

    here = dataclasses.replace(_told_by("ev-place-a", "e_army", "Army"), place="e_kursk", place_name="Kursk")
    there = dataclasses.replace(_told_by("ev-place-b", "e_army", "Army"), place="e_orel", place_name="Orel")
    same = dataclasses.replace(there, place="e_kursk_region", place_name="Kursk region")
    assert "both_placed" in train_statements.evidence_kinds([here], [there])
    assert "same_place" not in train_statements.evidence_kinds([here], [there])
    assert {"same_place", "both_placed"} <= train_statements.evidence_kinds([here], [same])


def test_evidence_gates_lower_each_bar_and_keep_the_shipped_assignment() -> None:
    gates = train_statements.evidence_gates()
    off = gates["evidence_0.5_0.5"]
    assert off["CLAIM_JOINT_ASSIGN"] and not gates["gated"]["CLAIM_JOINT_ASSIGN"]
    assert (gates["evidence_0.2_0.5"]["CLAIM_SAME_PLACE_PROBABILITY"],
            gates["evidence_0.2_0.5"]["CLAIM_SAME_TARGET_PROBABILITY"]) == (0.2, 0.5)
    assert len(gates) == 1 + len(train_statements.EVIDENCE_BARS) ** 2


def test_f_beta_weighs_precision_as_asked() -> None:
    gold = np.array([1, 1, 1, 1, 0, 0])
    precise = np.array([1, 0, 0, 0, 0, 0])  # P 1.0, R 0.25
    broad = np.array([1, 1, 1, 1, 1, 1])  # P 0.67, R 1.0
    assert train_statements.f_beta(precise, gold, 1.0) < train_statements.f_beta(broad, gold, 1.0)
    assert train_statements.f_beta(precise, gold, 0.5) == 1.25 * 0.25 / (0.25 + 0.25)
    assert train_statements.f_beta(np.zeros(6, dtype=int), gold, 0.5) == 0.0


def test_incident_and_combined_gates_name_their_bars_and_the_shipped_one_is_in_the_grid() -> None:
    incident = train_statements.incident_gates()
    gate = incident["incident_0.5_0.1_0.3"]
    assert (gate["CLAIM_SAME_PLACE_PROBABILITY"], gate["CLAIM_SAME_PLACE_ACT_PROBABILITY"],
            gate["CLAIM_SAME_PARTIES_ACT_PROBABILITY"]) == (0.5, 0.1, 0.3)
    assert gate["CLAIM_SAME_TARGET_PROBABILITY"] == gate["CLAIM_MATCH_PROBABILITY"]
    assert train_statements._shipped_name("incident") in incident
    combined = train_statements.combined_gates()
    assert combined["combined_2_1_0.1_0.5"]["CLAIM_JOINT_MARGIN"] == 2.0
    assert combined["combined_2_1_0.1_0.5"]["CLAIM_JOINT_MIN_AGREEMENT"] == 1.0
    assert train_statements._shipped_name("combined") in combined
    points = train_statements.point_gates()
    assert points["point_0.6_0.6_0.6"]["CLAIM_SAME_PLACE_PROBABILITY"] == 0.6  # no lower bar
    assert train_statements._shipped_name("point") in points



def _budget_rules() -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    # rows 0-7 pairs of one incident (0-3 gold), rows 8-11 pairs of a topic's two incidents (none gold)
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    cross = np.array([False] * 8 + [True] * 4)
    rules = {"main": np.array([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]),  # 1 right, P 1/2, 1 two-incident
             "crosses": np.array([1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0]),  # all right, 2 two-incident
             "imprecise": np.array([1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 0, 0]),  # 3 right, P 3/7
             "careful": np.array([1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0])}  # 2 right, P 2/3
    return rules, y, cross


def test_the_budget_takes_the_most_recall_within_mains_two_incident_joins_and_precision() -> None:
    rules, y, cross = _budget_rules()
    rows = np.ones(len(y), dtype=bool)
    # 'crosses' joins one more pair of two incidents and 'imprecise' is less precise on pairs of one
    # incident than main: both out, however many gold pairs they join
    assert train_statements.budget_choice(list(rules), rules.__getitem__, y, cross, rows, "main") == "careful"
    del rules["careful"]
    assert train_statements.budget_choice(list(rules), rules.__getitem__, y, cross, rows, "main") == "main"
    # as many gold pairs as main with fewer joins: taken
    rules["fewer"] = np.array([1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0])
    assert train_statements.budget_choice(list(rules), rules.__getitem__, y, cross, rows, "main") == "fewer"


def test_the_budget_counts_right_and_wrong_joins_by_kind_of_pair() -> None:
    rules, y, cross = _budget_rules()
    counts = train_statements.budget_counts(rules["crosses"], y, cross)
    assert counts == {"right": 4, "two_incident": 2, "one_incident": 4, "one_incident_right": 4}
    main = train_statements.budget_counts(rules["main"], y, cross)
    assert not train_statements.admissible(counts, main)  # one more two-incident join
    assert not train_statements.admissible(train_statements.budget_counts(rules["imprecise"], y, cross), main)
    assert train_statements.admissible(main, main)
    summary = train_statements.budget_summary(rules["main"], y, cross, np.array([1] * 6 + [2] * 6))
    assert summary["two_incident_joins"] == 1 and summary["two_incident_per_topic"] == 0.5
    assert summary["recall"] == 0.25 and summary["precision"] == round(1 / 3, 4)


def test_the_budget_cv_chooses_on_the_training_topics_of_each_fold() -> None:
    rules, y, cross = _budget_rules()
    topic = np.array([1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2])
    found = train_statements.budget_cv(list(rules), rules.__getitem__, y, cross, topic, 2, "main")
    assert len(found["chosen"]) == 2 and set(found["chosen"]) <= set(rules)
    assert found["main_rows"] == train_statements.budget_summary(rules["main"], y, cross, topic)
    pred = np.zeros(len(y), dtype=int)
    for g, held in zip(found["chosen"], train_statements.topic_folds(topic, 2), strict=True):
        pred[held] = rules[g][held]
    assert found["out_of_fold"] == train_statements.budget_summary(pred, y, cross, topic)
