"""Quality gate: 'conflicting' on pairs made from real GVC val / ECB+ train sentences, through the
product path (``bench/claimconflicts.py``), on a slice (150 documents per corpus, 2 sentences per
story; about 20 seconds). Skipped when ``../shared/bench`` is not beside the project.

Measured on the whole default run (487 pairs, 375 whose sentence makes a claim): ours precision
0.985, recall 0.906; the lexical peer 0.680 / 0.830. On this slice: 0.982 / 0.949, peer 0.693 / 0.881.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import benchmods
import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
PRECISION_FLOOR = 0.93
RECALL_FLOOR = 0.88


def _bench() -> ModuleType:
    return benchmods.load("claimconflicts", "bench_claimconflicts")  # bench/ joins sys.path


@pytest.mark.slow
def test_conflicts_found_and_rewrites_left_alone_on_real_sentences() -> None:
    if not (DATA / "gvc" / "val" / "dataset.conll").is_file():
        pytest.skip("../shared/bench is not beside the project")
    result = _bench().run(DATA, per_story=2, max_cases=160, limit=150)
    ours, peer = result["ours"], result["peer_lexical"]
    assert ours["precision"] >= PRECISION_FLOOR, ours
    assert ours["recall"] >= RECALL_FLOOR, ours
    assert ours["f1"] > peer["f1"], (ours, peer)
    # Harmless rewrites are never called conflicts.
    assert result["ours_by_kind"]["rounding"] == 0.0 and result["ours_by_kind"]["synonym"] == 0.0


def test_changes_are_made_where_the_sentence_allows_them() -> None:
    bench = _bench()
    import random

    rng = random.Random(1)
    s = "Police said 14 people were hurt in Lisk on Friday."
    assert bench.change_date(s, rng) != s and "Friday" not in bench.change_date(s, rng)
    rounded = bench.round_figure("Officials said 23 people were evacuated from the valley.", rng)
    assert rounded == "Officials said nearly 25 people were evacuated from the valley."  # rounded up
    assert bench.round_figure("Officials said 25 people were evacuated.", rng) is None  # already round
    assert "so far" in bench.running_count(s, rng)
    assert bench.change_figure("Nothing was counted.", rng) is None
