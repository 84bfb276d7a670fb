"""Quality gate: the same-claim matcher on a slice of MSRP train, by cross-validation, against the
MiniLM-cosine peer with its threshold tuned on the same training folds.

The first 400 pairs of ``../shared/bench/msrp/msr_paraphrase_train.txt`` (800 sentences to encode:
under a minute on a quiet machine), 5 folds, the regularisation strength of the packaged weights.
Skipped when the file is not beside the project.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import benchmods
import numpy as np
import pytest

from newsfuse.fuse.claims import match as claimmatch

BENCH = Path(__file__).resolve().parent.parent / "bench"
DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "msrp" / "msr_paraphrase_train.txt"
PAIRS = 400
FOLDS = 5
# Measured on this slice: ours accuracy 0.780, F1 0.848; MiniLM cosine 0.723 / 0.813 (all of train,
# nested 10-fold in bench/claims.py: first stage 0.755 / 0.829; with the cross-encoder stacked, nested
# 3-fold: 0.805 / 0.860, session 12).
ACCURACY_FLOOR = 0.74
F1_FLOOR = 0.82


def _load(name: str) -> ModuleType:
    return benchmods.load(name, name)


@pytest.mark.slow
def test_matcher_beats_minilm_cosine_on_msrp_slice() -> None:
    if not DATA.is_file():
        pytest.skip("../shared/bench/msrp is not beside the project")
    train = _load("train_claims")
    bench = _load("claims")
    pairs = train.read_pairs(DATA, PAIRS)
    y = np.array([p.label for p in pairs])
    cos = train.cosines(pairs)
    x = train.feature_matrix(pairs, cos)
    c = json.loads(claimmatch.MODEL_PATH.read_text(encoding="utf-8"))["C"]
    ours = train.cross_validate(x, y, c, FOLDS)
    peer = bench._peer_cv(cos, y, FOLDS)
    assert ours["accuracy"] >= ACCURACY_FLOOR, ours
    assert ours["f1"] >= F1_FLOOR, ours
    assert ours["accuracy"] >= peer["accuracy"], (ours, peer)



# The matcher as fusion runs it (shipped first stage, band and cross-encoder) on the first SHIPPED_PAIRS
# pairs: those weights were fitted on all of MSRP train, so this slice is in-sample and its figures run
# above the cross-validated ones (bench/claims.py); the gate catches a broken model, loader or feature,
# not overfitting. Measured on this slice: accuracy 0.905, F1 0.932, 45.5% of pairs read by the
# cross-encoder (session 12: its logit the mean of both reading orders, the second stage on MSRP alone).
SHIPPED_PAIRS = 200
SHIPPED_ACCURACY_FLOOR = 0.85
SHIPPED_F1_FLOOR = 0.90
# The cross-encoder reads only the pairs the first stage leaves uncertain (band 0.3-0.8).
SHIPPED_MAX_ASKED = 0.6


@pytest.mark.slow
def test_shipped_matcher_keeps_its_floor_on_msrp_slice(monkeypatch: pytest.MonkeyPatch) -> None:
    # The shipped second stage, whether or not fusion runs it by default (CLAIM_MATCH_CROSS_ENCODER).
    monkeypatch.setattr(claimmatch.defaults, "CLAIM_MATCH_CROSS_ENCODER", True)
    if not DATA.is_file():
        pytest.skip("../shared/bench/msrp is not beside the project")
    train = _load("train_claims")
    pairs = train.read_pairs(DATA, SHIPPED_PAIRS)
    y = np.array([p.label for p in pairs])
    cos = train.cosines(pairs)
    matcher = claimmatch.packaged()
    assert matcher.second is not None, "matcher.json ships no second stage"
    values = [claimmatch.features(p.a, p.b, float(c)) for p, c in zip(pairs, cos, strict=True)]
    asked = np.mean([matcher.uncertain(matcher.first.probability_of(v)) for v in values])
    probabilities = matcher.probabilities([(p.a, p.b, float(c)) for p, c in zip(pairs, cos, strict=True)])
    same = np.array(probabilities) >= claimmatch.defaults.CLAIM_MATCH_PROBABILITY
    shipped = train.scores(same.astype(int), y)
    first = train.scores(train.predict(matcher.first, np.array(values)), y)
    assert shipped["accuracy"] >= SHIPPED_ACCURACY_FLOOR, shipped
    assert shipped["f1"] >= SHIPPED_F1_FLOOR, shipped
    # The stacked stage must add to what the first knows (on this slice 0.905 against 0.785).
    assert shipped["accuracy"] > first["accuracy"] + 0.05, (shipped, first)
    assert 0 < asked <= SHIPPED_MAX_ASKED, asked


# The cross-encoder's same-fact head (fitted on ECB+ train same-event pairs, bench/train_samefact.py)
# on every SAMEFACT_STEP-th ECB+ train pair: in-sample, so this catches a broken head, body or loader,
# not overfitting (topic-CV on all of ECB+ train: same-fact head 0.635, MSRP head 0.552; ECB+ dev, once:
# 0.630 and 0.597).
ECB = DATA.parents[1] / "ecbplus"
SAMEFACT_STEP = 24
SAMEFACT_ACCURACY_FLOOR = 0.6


@pytest.mark.slow
def test_samefact_head_tells_same_event_pairs_better_than_msrp_head() -> None:
    if not (ECB / "ECB_Train_corpus.txt").is_file():
        pytest.skip("../shared/bench/ecbplus is not beside the project")
    from newsfuse.fuse.claims import crossencoder

    train = _load("train_claims")
    pairs = _load("samefact_pairs").read_pairs(ECB, "Train")[::SAMEFACT_STEP]
    y = np.array([p.label for p in pairs])
    z = crossencoder.both_logits([(p.a, p.b) for p in pairs])
    samefact = train.scores((z[:, 1] >= 0).astype(int), y)
    msrp = train.scores((z[:, 0] >= 0).astype(int), y)
    assert samefact["accuracy"] >= SAMEFACT_ACCURACY_FLOOR, samefact
    assert samefact["accuracy"] > msrp["accuracy"], (samefact, msrp)
