"""The cross-document alignment scorer of bench/claims.py (bench/claimalign.py): token offsets,
placing gold mentions in the stored text, a mention's claim, and pairwise scores on hand-checked
pairs; a tiny slice of real ECB+ train."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import claimalign  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "bench"


def test_detokenized_offsets_point_at_each_token() -> None:
    tokens = ["Reid", "checked", "into", "rehab", ",", "her", "rep", "said", "(", "Tuesday", ")", "."]
    text, offsets = claimalign.detokenized(tokens)
    assert text == "Reid checked into rehab, her rep said (Tuesday)."
    assert [text[a:b] for a, b in offsets] == tokens


def test_pairwise_counts_only_cross_document_pairs() -> None:
    doc_of = {1: "a", 2: "a", 3: "b", 4: "b", 5: "c"}
    gold = {1: "x", 2: "x", 3: "x", 4: "y", 5: "y"}  # cross-document gold pairs: 1-3, 2-3, 4-5
    pred = {1: "c1", 2: "c1", 3: "c1", 4: "c2", 5: None}  # predicted: 1-3, 2-3 (1-2 is in one doc)
    s = claimalign.pairwise(pred, gold, doc_of)
    assert (s["predicted_pairs"], s["gold_pairs"]) == (2, 3)
    assert (s["precision"], s["recall"]) == (1.0, round(2 / 3, 4))
    wrong = claimalign.pairwise({1: "c", 2: "d", 3: "c", 4: "c", 5: "d"}, gold, doc_of)
    # predicted 1-3 (right), 1-4 (wrong), 3-... same doc 3-4 not counted, 2-5 (wrong)
    assert (wrong["predicted_pairs"], round(wrong["precision"], 4), wrong["recall"]) == (3, 0.3333, 0.3333)


def _recorded(entries: dict[tuple[str, str, str, int, int, int], str]) -> claimalign.ClaimRecorder:
    r = claimalign.ClaimRecorder()
    r.by_story["s"] = entries
    return r


def test_a_mention_takes_the_claim_anchored_in_it_else_the_one_covering_claim() -> None:
    m = [claimalign.GoldMention("d", 0, [1], "x", "t", start=5, end=12),   # 'checked': anchored
         claimalign.GoldMention("d", 0, [3], "y", "t", start=20, end=25),  # covered by one claim only
         claimalign.GoldMention("d", 1, [0], "z", "t", start=50, end=55),  # covered by two claims
         claimalign.GoldMention("d", 2, [0], "z", "t")]                    # not placed
    rec = _recorded({("a", "event", "e1", 6, 0, 40): "c1", ("a", "event", "e2", 51, 45, 90): "c2",
                     ("a", "event", "e3", 70, 45, 90): "c3"})
    covering = claimalign.claim_labels(None, rec, ["s"], m, {"d": "a"}, "covering")
    assert covering == {0: "c1", 1: "c1", 2: "c2", 3: None}
    anchored = claimalign.claim_labels(None, rec, ["s"], m, {"d": "a"}, "anchored")
    assert anchored == {0: "c1", 1: None, 2: "c2", 3: None}
    assert claimalign.claim_labels(None, rec, ["other"], m, {"d": "a"}) == dict.fromkeys(range(4))


def test_stored_evidence_decides_what_a_claim_covers() -> None:
    """A statement the stored claim dropped (its article not a source) anchors nothing; a mention is
    covered by what the stored claim shows."""
    m = [claimalign.GoldMention("d", 0, [1], "x", "t", start=5, end=12),    # anchor of c1
         claimalign.GoldMention("d", 1, [0], "y", "t", start=50, end=55),   # anchor of c2, dropped
         claimalign.GoldMention("d", 1, [4], "y", "t", start=60, end=64)]   # in c3's stored span only
    rec = _recorded({("a", "event", "e1", 6, 0, 40): "c1", ("a", "event", "e2", 51, 45, 90): "c2"})
    shown = {"c1": {"a": [(0, 40)]}, "c2": {"other": [(0, 30)]}, "c3": {"a": [(58, 70)]}}
    labels = claimalign.claim_labels(None, rec, ["s"], m, {"d": "a"}, "covering", shown)
    assert labels == {0: "c1", 1: None, 2: "c3"}
    assert claimalign.claim_labels(None, rec, ["s"], m, {"d": "a"}, "covering") == {0: "c1", 1: "c2", 2: "c2"}


def test_failures_count_each_wrong_and_missed_pair_once() -> None:
    m = [claimalign.GoldMention(doc, 0, [0], chain, "t", start=0, end=3)
         for doc, chain in (("d1", "x"), ("d2", "x"), ("d3", "y"), ("d4", "z"))]
    placed = [0, 1, 2, 3]
    anchored = {0: "c1", 1: None, 2: "c1", 3: None}
    ours = {0: "c1", 1: "c2", 2: "c1", 3: None}
    found = claimalign.failures(placed, m, anchored, ours, {}, [True, True, True, False],
                                dict.fromkeys(placed, "s"), {"c1": {"a1", "a3"}, "c2": {"a2"}})
    # wrong: d1-d3 (one claim, two gold chains); missed: d1-d2 (two claims, no chain)
    assert found == {"wrong": {"claim holds two gold events, not one chain": 1},
                     "missed": {"two claims, not one chain": 1}}


def test_alone_causes_say_why_an_analysed_events_mention_is_in_no_claim() -> None:
    placed = [0, 1, 2, 3, 4]
    ours = {0: "c1", 1: None, 2: None, 3: None, 4: None}
    chained = {0: ("s", 0), 1: None, 2: ("s", 1), 3: ("s", 2), 4: None}
    recorded = {0: "c1", 1: None, 2: None, 3: "c2", 4: None}
    found = claimalign.alone_causes(placed, ours, chained, recorded, [True, True, True, True, False])
    # 0 is in a claim, 4 holds no analysed event: neither has a cause
    assert found == {1: "an analysed event, no statement", 2: "its statement made no claim",
                     3: "its article dropped from its claim"}


def test_failures_count_a_lone_mentions_pairs_by_its_cause() -> None:
    m = [claimalign.GoldMention(doc, 0, [0], "x", "t", start=0, end=3) for doc in ("e1", "e2", "e3")]
    placed = [0, 1, 2]
    ours = {0: "c1", 1: None, 2: None}
    alone = {1: "its statement made no claim", 2: "an analysed event, no statement"}
    found = claimalign.failures(placed, m, ours, ours, {}, [True, True, True], dict.fromkeys(placed, "s"),
                                {"c1": {"a1"}}, alone)
    # e1-e2 under e2's cause; e1-e3 and e2-e3 under e3's (two lone mentions: the one first in ALONE)
    assert found["missed"] == {"in no claim: an analysed event, no statement": 2,
                               "in no claim: its statement made no claim": 1}
    without = claimalign.failures(placed, m, ours, ours, {}, [True, True, True], dict.fromkeys(placed, "s"),
                                  {"c1": {"a1"}})
    assert without["missed"] == {"in no claim: an analysed event": 3}


@pytest.mark.skipif(not (DATA / "ecbplus").is_dir(), reason="needs ../shared/bench")
def test_gold_mentions_of_real_ecb_are_placed_on_their_words() -> None:
    docs, mentions = claimalign.read_ecb(DATA / "ecbplus", "Train", 1)
    doc = docs[0]
    text = claimalign.record(doc)["text"]
    # the product's cleaning may change white space: place() finds each sentence again
    stored = "  " + text.replace("\n", "\n\n")
    mine = [m for m in mentions if m.doc == doc.key]
    claimalign.place(doc, stored, mine)
    assert mine and all(m.start >= 0 for m in mine)
    contiguous = [m for m in mine if m.tokens == list(range(m.tokens[0], m.tokens[-1] + 1))]
    assert contiguous
    for m in contiguous:
        assert stored[m.start:m.end] == claimalign.detokenized(m.words)[0]
    assert {m.scope for m in mentions} <= {"1_ecb", "1_ecbplus"}


def test_coverage_gap_counts_gold_pairs_within_reach_and_scores_both_systems_on_them() -> None:
    doc_of = {1: "a", 2: "b", 3: "c", 4: "a", 5: "b"}
    gold = {1: "x", 2: "x", 3: "x", 4: "y", 5: "y"}  # cross-document gold pairs: 1-2, 1-3, 2-3, 4-5
    anchored = {1: "c1", 2: "c1", 3: None, 4: "c2", 5: "c3"}  # 3 holds no claim anchor
    ours = {1: "c1", 2: "c1", 3: "c1", 4: "c2", 5: "c3"}
    lemma = {1: "kill", 2: "kill", 3: "kill", 4: "say", 5: "say"}
    gap = claimalign.coverage_gap([1, 2, 3, 4, 5], anchored, ours, gold, doc_of, lemma)
    assert (gap["gold_pairs"], gap["gold_pairs_anchored"]) == (4, 2)  # 1-2 and 4-5 within reach
    assert (gap["ours_on_anchored"]["precision"], gap["ours_on_anchored"]["recall"]) == (1.0, 0.5)
    assert gap["lemma_on_anchored"]["f1"] == 1.0


def test_a_mention_takes_the_event_chain_of_the_event_anchored_in_it() -> None:
    m = [claimalign.GoldMention("d", 0, [1], "x", "t", start=5, end=12),
         claimalign.GoldMention("e", 0, [1], "x", "t", start=30, end=36),
         claimalign.GoldMention("e", 0, [2], "y", "t", start=40, end=44)]  # no event anchored in it
    rec = claimalign.ClaimRecorder()
    rec.chains["s"] = {("a", 6): 0, ("b", 31): 0, ("b", 20): 1}
    labels = claimalign.chain_labels(rec, ["s"], m, {"d": "a", "e": "b"})
    assert labels == {0: ("s", 0), 1: ("s", 0), 2: None}
    gap = claimalign.coverage_gap([0, 1, 2], {0: None, 1: None, 2: None}, {0: None, 1: None, 2: None},
                                  {0: "x", 1: "x", 2: "y"}, {0: "d", 1: "e", 2: "e"},
                                  {0: "say", 1: "tell", 2: "go"}, labels)
    assert gap["chained"] == 2
    assert (gap["chains_on_chained"]["f1"], gap["lemma_on_chained"]["f1"]) == (1.0, 0.0)
