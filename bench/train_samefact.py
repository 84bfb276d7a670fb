"""Learn the cross-encoder's 'same fact / same event' head on ECB+ train (no dev, no test, no facts/).

Usage (from the project root, inside the venv)::

    python bench/train_samefact.py ../shared/bench [--folds 3] [--out newsfuse/data/claims/samefact.json]

MSRP calls a sentence with extra detail 'not a paraphrase'; a claim wants 'the same fact'. ECB+ train
gives sentence pairs of two documents whose gold event mentions corefer (positives) against
same-topic pairs whose events do not (hard negatives; ``bench/samefact_pairs.py``). The head is a
logistic regression (L2, states standardised) over the pooled last token states the shipped
cross-encoder already computes for its MSRP head (``crossencoder.CrossEncoder.states``): one pass per
pair gives both logits, so the product pays nothing more per pair. Its strength C is chosen by
cross-validation over ECB+ train *topics* (no topic split between fitting and scoring).

Fine-tuning the transformer on these pairs (continuing from the MSRP model) was started and stopped:
a step costs ~1 s of one core, and the host gave this session about a third of one, so the fold
models needed for honest MSRP cross-validation did not fit in the time.

What the script writes besides the shipped head (to ``train_pairmodel.CACHE``, read by
``bench/train_claims.py`` and ``bench/claims.py``), each logit from a model that never saw the pair:

* MSRP train: per MSRP fold K, the fold body of ``bench/train_pairmodel.py`` (never saw fold K) reads
  the fold's pairs, and a head fitted on that body's states of every ECB+ train pair scores them;
* ECB+ train: the shipped body (trained on MSRP only) reads every pair; each topic fold is scored by a
  head fitted on the other topics (its MSRP logit is the shipped head's: MSRP holds no ECB+ pair).

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for _p in (ROOT, BENCH):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import samefact_pairs  # noqa: E402
import train_claims  # noqa: E402
import train_pairmodel as tp  # noqa: E402

from newsfuse.fuse.claims import crossencoder  # noqa: E402

MSRP_TRAIN = Path("msrp") / "msr_paraphrase_train.txt"
ECB = Path("ecbplus")
C_GRID = (0.001, 0.01, 0.1, 1.0)


class Data:
    """MSRP train and ECB+ train pairs with their folds (MSRP: the cross-encoder's, ECB+: by topic)."""

    def __init__(self, root: Path, k: int) -> None:
        read = train_claims.read_pairs(root / MSRP_TRAIN)
        self.msrp = [(p.a, p.b) for p in read]
        self.my = np.array([p.label for p in read])
        self.ecb_pairs = samefact_pairs.read_pairs(root / ECB, "Train")
        self.ecb = [(p.a, p.b) for p in self.ecb_pairs]
        self.ey = np.array([p.label for p in self.ecb_pairs])
        self.k = k
        self.msrp_folds = [sorted(int(i) for i in f) for f in train_claims.folds(len(self.msrp), k)]
        self.ecb_folds = samefact_pairs.topic_folds(self.ecb_pairs, k)


def body(data: Data, fold: int | None) -> crossencoder.CrossEncoder:
    """The cross-encoder without MSRP fold ``fold`` (bench/train_pairmodel.py's fold model, weights
    rounded to float16 as they ship); None: the shipped one."""
    if fold is None:
        return crossencoder.packaged()
    key = tp._key("model", tp.settings(), tp.pairs_key(data.msrp, data.my), _without(data, fold))
    path = tp.CACHE / f"model-{key}.pt"
    if not path.exists():
        raise SystemExit(f"{path}: fold model missing; run bench/train_pairmodel.py --folds {data.k} first")
    state = tp._torch().load(path, weights_only=True)
    return crossencoder.CrossEncoder(tp.shipped(state, "msrp fold"))


def _without(data: Data, fold: int) -> list[int]:
    held = set(data.msrp_folds[fold])
    return [i for i in range(len(data.msrp)) if i not in held]


def states(model: crossencoder.CrossEncoder, pairs: Sequence[tuple[str, str]], what: str) -> np.ndarray:
    """Pooled states of ``pairs`` under ``model`` (cached by model version and texts)."""
    key = hashlib.sha256(repr((model.version, list(pairs))).encode()).hexdigest()[:20]
    path = tp.CACHE / f"states-{key}.npy"
    if path.exists():
        return np.load(path)
    started = time.perf_counter()
    out = model.states(pairs)
    print(f"  states of {len(pairs)} {what} pairs: {time.perf_counter() - started:.0f} s", file=sys.stderr,
          flush=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, out)
    return out


def fit(x: np.ndarray, y: np.ndarray, c: float, body_version: str) -> crossencoder.SameFactHead:
    from sklearn.linear_model import LogisticRegression

    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=3000).fit((x - means) / scales, y)
    return crossencoder.SameFactHead(tuple(means.tolist()), tuple(scales.tolist()),
                                     tuple(model.coef_[0].tolist()), float(model.intercept_[0]), body_version)


def topic_cv(x: np.ndarray, y: np.ndarray, folds: Sequence[Sequence[int]], c: float) -> np.ndarray:
    """Out-of-fold logits: each topic fold scored by a head fitted on the others."""
    out = np.zeros(len(y), dtype=np.float32)
    for held in folds:
        rest = np.setdiff1d(np.arange(len(y)), held)
        out[list(held)] = fit(x[rest], y[rest], c, "").logits(x[list(held)])
    return out


def choose_c(x: np.ndarray, y: np.ndarray, folds: Sequence[Sequence[int]]) -> tuple[float, dict[str, Any]]:
    """The strength with the best topic-CV accuracy on these pairs."""
    tried = {c: train_claims.scores((topic_cv(x, y, folds, c) >= 0).astype(int), y) for c in C_GRID}
    best = max(C_GRID, key=lambda c: (tried[c]["accuracy"], -abs(np.log10(c))))
    return best, {str(c): s["accuracy"] for c, s in tried.items()}


def inner_folds(data: Data, idx: Sequence[int]) -> list[list[int]]:
    """Topic folds among pairs ``idx`` (positions into ``idx``)."""
    sub = [data.ecb_pairs[i] for i in idx]
    return samefact_pairs.topic_folds(sub, data.k)


def cache_paths(data: Data) -> tuple[Path, Path]:
    key = hashlib.sha256(repr((tp.pairs_key(data.msrp, data.my), tp.pairs_key(data.ecb, data.ey), data.k,
                               C_GRID, crossencoder.packaged().version)).encode()).hexdigest()[:20]
    return tp.CACHE / f"samefact-msrp-{key}.npy", tp.CACHE / f"samefact-ecb-{key}.npy"


def out_of_fold(data: Data) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """(MSRP same-fact logits, ECB+ train (MSRP logit, same-fact logit)), all out of fold."""
    info: dict[str, Any] = {}
    shipped = body(data, None)
    ex = states(shipped, data.ecb, "ECB+ train")
    c, tried = choose_c(ex, data.ey, data.ecb_folds)
    info["ecb_topic_cv_accuracy_by_C"] = tried
    ez = np.column_stack([shipped.head_logits(ex), np.zeros(len(data.ey), np.float32)])
    # Nested: the strength of each topic fold's head is chosen on the other topics only.
    for held in data.ecb_folds:
        rest = np.setdiff1d(np.arange(len(data.ey)), held)
        c_in, _ = choose_c(ex[rest], data.ey[rest], inner_folds(data, rest.tolist()))
        ez[list(held), 1] = fit(ex[rest], data.ey[rest], c_in, "").logits(ex[list(held)])
    mz = np.zeros(len(data.msrp), dtype=np.float32)
    for fold in range(data.k):
        model = body(data, fold)
        fx = states(model, data.ecb, f"ECB+ train (MSRP fold body {fold})")
        c_fold, _ = choose_c(fx, data.ey, data.ecb_folds)
        held = data.msrp_folds[fold]
        mx = states(model, [data.msrp[i] for i in held], f"MSRP fold {fold}")
        mz[held] = fit(fx, data.ey, c_fold, "").logits(mx)
    info["C"] = c
    return mz, ez, info


def read_out_of_fold(data: Data) -> tuple[np.ndarray, np.ndarray]:
    """The cached out-of-fold logits (run this script first)."""
    mpath, epath = cache_paths(data)
    if not (mpath.exists() and epath.exists()):
        raise SystemExit(f"{mpath}: no same-fact logits; run bench/train_samefact.py {data.k} folds first")
    return np.load(mpath), np.load(epath)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path, help="folder laid out like ../shared/bench")
    ap.add_argument("--out", type=Path, default=crossencoder.SAMEFACT_PATH)
    ap.add_argument("--folds", type=int, default=3)
    args = ap.parse_args(argv)
    started = time.perf_counter()
    tp._torch()  # one thread (see train_pairmodel.THREADS)
    data = Data(args.data, args.folds)
    mz, ez, info = out_of_fold(data)
    mpath, epath = cache_paths(data)
    np.save(mpath, mz)
    np.save(epath, ez)
    result: dict[str, Any] = {"msrp_pairs": len(data.msrp), "ecb_pairs": len(data.ecb),
                              "ecb_positive_share": round(float(data.ey.mean()), 4), **info}
    result["ecb_train_cv"] = {"samefact_head": train_claims.scores((ez[:, 1] >= 0).astype(int), data.ey),
                              "msrp_head": train_claims.scores((ez[:, 0] >= 0).astype(int), data.ey)}
    result["msrp_cv_samefact_head"] = train_claims.scores((mz >= 0).astype(int), data.my)
    shipped = body(data, None)
    head = fit(states(shipped, data.ecb, "ECB+ train"), data.ey, info["C"], shipped.version)
    shipped_head = {"trained_on": "ECB+ train (bench/samefact_pairs.py)", "pairs": len(data.ecb),
                    "C": info["C"], **head.to_json()}
    args.out.write_text(json.dumps(shipped_head) + "\n", encoding="utf-8")
    result["out"] = str(args.out)
    for name, s in result["ecb_train_cv"].items():
        print(f"ECB+ train pairs, topic CV: {name:<14} accuracy {s['accuracy']:.4f}  F1 {s['f1']:.4f}")
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
