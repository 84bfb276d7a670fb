"""Claims benchmark: same claim or not (MSRP), cross-document claim alignment (ECB+ dev, GVC val)
through the product path, and shared facts of real story triplets (facts/).

Usage (from the project root, inside the venv)::

    python bench/claims.py ../shared/bench [--test PAIRS_FILE] [--sections msrp,align,facts]
        [--folds 10] [--topics N] [--limit N]

Sections (each a function returning a dict; the last line printed is one JSON object holding them):

* ``msrp``: accuracy and F1 of the product's matcher (newsfuse/fuse/claims/match.py) by k-fold
  cross-validation on ``msrp/msr_paraphrase_train.txt`` (weights and the regularisation strength
  learned on the other folds only), against two peers measured in the same run: TF-IDF cosine and
  MiniLM cosine, each with its threshold tuned on the training folds. With ``--test``, everything is
  fitted on all of train and scored once on the given MSRP-format file.
* ``align``: gold cross-document event chains against the product's claims on ECB+ dev and GVC val
  (ingest -> analyse -> fuse; a gold mention belongs to the claim whose evidence span covers it):
  pairwise P/R/F1 over cross-document mention pairs, against same-head-lemma in the same run.
* ``facts``: the 12 BASIL triplets of ``facts/``: shared facts found (one corroborated claim whose
  evidence holds every outlet's cue), single facts right, and claims joining two different facts;
  with the meaning matcher and without it (the product before it, measured in the same run).
* ``conflicts``: ``bench/claimconflicts.py`` when present (its ``run(data_path) -> dict``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for p in (ROOT, BENCH):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

import train_claims  # noqa: E402

MSRP_TRAIN = Path("msrp") / "msr_paraphrase_train.txt"


# --- msrp --------------------------------------------------------------------------------------

def _tfidf_cosines(fit_on: list[train_claims.Pair], pairs: list[train_claims.Pair]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(lowercase=True).fit([p.a for p in fit_on] + [p.b for p in fit_on])
    a, b = vec.transform([p.a for p in pairs]), vec.transform([p.b for p in pairs])
    return np.asarray(a.multiply(b).sum(axis=1)).ravel()


def best_threshold(values: np.ndarray, y: np.ndarray) -> float:
    """The cut on ``values`` with the best accuracy on (values, y): the peers' one setting."""
    cuts = np.unique(np.round(values, 3))
    return float(max(cuts, key=lambda t: float(((values >= t).astype(int) == y).mean())))


def _peer_cv(values: np.ndarray, y: np.ndarray, k: int) -> dict[str, float]:
    pred = np.zeros_like(y)
    for held in train_claims.folds(len(y), k):
        train = np.setdiff1d(np.arange(len(y)), held)
        pred[held] = (values[held] >= best_threshold(values[train], y[train])).astype(int)
    return train_claims.scores(pred, y)


def _tfidf_cv(pairs: list[train_claims.Pair], y: np.ndarray, k: int) -> dict[str, float]:
    pred = np.zeros_like(y)
    for held in train_claims.folds(len(y), k):
        train = np.setdiff1d(np.arange(len(y)), held)
        fit_on = [pairs[i] for i in train]
        cut = best_threshold(_tfidf_cosines(fit_on, fit_on), y[train])
        pred[held] = (_tfidf_cosines(fit_on, [pairs[i] for i in held]) >= cut).astype(int)
    return train_claims.scores(pred, y)


def _ours_cv(x: np.ndarray, y: np.ndarray, k: int) -> dict[str, float]:
    """Nested: each outer fold chooses C by cross-validation on its own training part."""
    pred = np.zeros_like(y)
    for held in train_claims.folds(len(y), k):
        train = np.setdiff1d(np.arange(len(y)), held)
        c, _ = train_claims.choose_c(x[train], y[train], k)
        pred[held] = train_claims.predict(train_claims.fit(x[train], y[train], c), x[held])
    return train_claims.scores(pred, y)


def run_msrp(data_path: Path, test: Path | None, folds: int, limit: int | None) -> dict[str, Any]:
    started = time.perf_counter()
    pairs = train_claims.read_pairs(data_path / MSRP_TRAIN, limit)
    y = np.array([p.label for p in pairs])
    cos = train_claims.cosines(pairs)
    x = train_claims.feature_matrix(pairs, cos)
    out: dict[str, Any] = {"train_pairs": len(pairs), "positive_share": round(float(y.mean()), 4)}
    if test is None:
        out["protocol"] = f"{folds}-fold cross-validation on train"
        out["ours"] = _ours_cv(x, y, folds)
        out["minilm_cosine"] = _peer_cv(cos, y, folds)
        out["tfidf_cosine"] = _tfidf_cv(pairs, y, folds)
    else:
        tests = train_claims.read_pairs(test)
        ty = np.array([p.label for p in tests])
        tcos = train_claims.cosines(tests)
        c, _ = train_claims.choose_c(x, y, folds)
        out["protocol"] = f"fitted on all of train (C={c} by cross-validation), scored once on {test.name}"
        out["test_pairs"] = len(tests)
        out["ours"] = train_claims.scores(
            train_claims.predict(train_claims.fit(x, y, c), train_claims.feature_matrix(tests, tcos)), ty)
        out["minilm_cosine"] = train_claims.scores((tcos >= best_threshold(cos, y)).astype(int), ty)
        cut = best_threshold(_tfidf_cosines(pairs, pairs), y)
        out["tfidf_cosine"] = train_claims.scores((_tfidf_cosines(pairs, tests) >= cut).astype(int), ty)
    out["seconds"] = round(time.perf_counter() - started, 1)
    for name in ("ours", "minilm_cosine", "tfidf_cosine"):
        s = out[name]
        print(f"msrp {name:<14} accuracy {s['accuracy']:.4f}  F1 {s['f1']:.4f}  "
              f"(P {s['precision']:.3f} R {s['recall']:.3f})")
    return out


# --- conflicts (another engineer's section) ----------------------------------------------------

def run_conflicts(data_path: Path) -> dict[str, Any] | None:
    path = BENCH / "claimconflicts.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("claimconflicts", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result: dict[str, Any] = module.run(data_path)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path, help="folder laid out like ../shared/bench")
    ap.add_argument("--test", type=Path, help="MSRP-format pairs scored once after fitting on all of train")
    ap.add_argument("--sections", default="msrp,align,facts,conflicts")
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--limit", type=int, help="first N MSRP pairs / documents per split (a quick slice)")
    ap.add_argument("--topics", type=int, help="first N ECB+ topics")
    args = ap.parse_args(argv)
    sections: dict[str, Callable[[], Any]] = {
        "msrp": lambda: run_msrp(args.data, args.test, args.folds, args.limit),
        "conflicts": lambda: run_conflicts(args.data),
    }
    try:
        import claimalignbench

        sections["align"] = lambda: claimalignbench.run_align(args.data, args.topics, args.limit)
        sections["facts"] = lambda: claimalignbench.run_facts(args.data)
    except ImportError:
        pass
    result: dict[str, Any] = {}
    for name in args.sections.split(","):
        if name in sections:
            value = sections[name]()
            if value is not None:
                result[name] = value
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
