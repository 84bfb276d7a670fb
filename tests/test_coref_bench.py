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
# train CV and is not used).
ENTITY_FLOOR = 77.0
EVENT_FLOOR = 74.5


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
