"""Quality gate: cross-document coreference on a slice of ECB+ dev (the first four topics).

Runs the scoring of ``bench/coref.py`` (the same fusion functions the fuse stage calls) and fails
when ours falls below the same-head-lemma baseline of the same run or below the recorded floors.
Skipped when ``../shared/bench/ecbplus`` is not beside the project.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import benchmods
import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
TOPICS = 4
# Measured on these four topics: entities 77.71 with the learned entity scorer (76.84 with the rules
# alone; baseline 74.03), events 75.20 (baseline 74.77; the learned event scorer lost to the rules in
# train CV and is not used). Session 13: events 75.50 with COREF_RELATED_SAME_WORD.
ENTITY_FLOOR = 77.0
EVENT_FLOOR = 75.0


def _bench() -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))  # coref.py imports its sibling metrics.py
    module = benchmods.load(BENCH / "coref.py", "bench_coref")
    return module


@pytest.mark.slow
def test_coreference_beats_the_lemma_baseline_on_ecb_dev_topics() -> None:
    if not (DATA / "ecbplus" / "ECB_Dev_corpus.txt").is_file():
        pytest.skip("../shared/bench/ecbplus is not beside the project")
    result = _bench().run_ecb(DATA, "Dev", TOPICS)
    for kind, floor in (("entity", ENTITY_FLOOR), ("event", EVENT_FLOOR)):
        ours, base = result[kind]["ours"]["conll"], result[kind]["baseline"]["conll"]
        assert ours >= base, f"{kind} coreference CoNLL F1 {ours} is below the lemma baseline {base}"
        assert ours >= floor, f"{kind} coreference CoNLL F1 {ours} fell below the recorded floor {floor}"


def test_event_errors_name_each_wrong_pair_by_its_kind() -> None:
    bench = _bench()
    from newsfuse.fuse.claims.statements import Statement
    from newsfuse.models import Article, Span

    def mention(n: int, doc: str, lemma: str, pos: str, chain: str, scope: str = "1_ecb") -> object:
        return bench.Mention(n, doc, scope, 0, [0], lemma, chain, "", 0, lemma, pos)

    def statement(n: int, doc: str, source: str | None) -> Statement:
        return Statement(str(n), "event", Article(id=doc, text=""), "", Span(doc, 0, 1, ""), entity=source)

    events = [mention(1, "d1", "attack", "NOUN", "a"), mention(2, "d2", "strike", "VERB", "a"),
              mention(3, "d3", "strike", "VERB", "b"), mention(4, "d4", "attack", "NOUN", "a"),
              mention(5, "d5", "attack", "NOUN", "c", "1_ecbplus")]
    statements = {"1_ecb": [statement(1, "d1", "x"), statement(2, "d2", "x"), statement(3, "d3", "y"),
                            statement(4, "d4", None)], "1_ecbplus": [statement(5, "d5", None)]}
    ours = {1: 0, 2: 1, 3: 1, 4: 0, 5: 2}  # 'attack' apart from 'strike'; the two strikes together
    errors = bench.event_errors(events, ours, statements)
    assert errors["pairs"] == 6 and errors["gold_pairs"] == 3  # 1-2, 1-4, 2-4 in one chain
    assert errors["split_noun_verb"] == 2 and "split_same_lemma" not in errors  # 1-2 and 2-4
    assert errors["merge_same_lemma"] == 1 and errors["merge_argument_mismatch"] == 1  # 2-3: x / y
    assert (errors["cross_subtopic_same_lemma"], errors["cross_subtopic_same_lemma_gold"]) == (2, 0)
