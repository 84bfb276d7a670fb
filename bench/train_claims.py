"""Learn the same-claim matcher's weights (newsfuse/fuse/claims/match.py) on MSRP train.

Usage (from the project root, inside the venv)::

    python bench/train_claims.py ../shared/bench/msrp/msr_paraphrase_train.txt
        [--out newsfuse/data/claims/matcher.json] [--folds 10] [--cross-encoder] [--string-features]
        [--length-features] [--news-pairs ../shared/bench [--news-weight 0.1]]

Every pair of the file is described by ``claimmatch.features`` (MiniLM cosine from the packaged
encoder, figure/name/date/polarity agreement, lexical overlap; with ``--string-features`` also the
string similarities of ``claimmatch.EXTRA_FEATURES``, session 15); a logistic regression
(scikit-learn, L2, features standardised) is fitted on all of it: the first stage. With
``--cross-encoder``, the second stage is a logistic regression over ``claimmatch.FEATURES`` plus the
cross-encoder's MSRP logit (the
mean of both reading orders), each pair's logit out of fold (``bench/train_pairmodel.py``'s fold
models, trained with the same ``--folds``): a stacked decision, fitted on MSRP train; the band of
first-stage probabilities it decides is chosen on out-of-fold probabilities of both stages. (Session 10
also fed it ECB+ train same-event pairs and the same-event head's logit: nested CV on MSRP fell from
0.802 / F1 0.858 to 0.752 / 0.839, and facts/ did not gain, so session 12 went back to MSRP alone.)
Without ``--cross-encoder`` a second stage already in ``--out`` is kept as it is (its features and
weights do not depend on the first stage; its band was chosen against the first stage it was trained
with, recorded as ``band_chosen_with``). With ``--news-pairs``
(session 20) ECB+ train's offered clause-run pairs, labelled by gold event chains
(``bench/train_statements.py``'s product run), join MSRP train in the first stage's fit at
``--news-weight`` of its total weight, C by weighted log loss over folds that split them by topic;
``--length-features`` makes the first stage read ``claimmatch.LENGTH_FEATURES`` too. Weights are
written as JSON, which newsfuse reads without
scikit-learn. Every setting (both regularisation strengths, the band) is chosen by cross-validation
on the same file (no other split is read). The script prints the cross-validated accuracy/F1 of the
chosen settings; its last line is one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsfuse.fuse.claims import encoder as claimencoder  # noqa: E402
from newsfuse.fuse.claims import match as claimmatch  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "newsfuse-sentence-vectors"
C_GRID = (0.01, 0.1, 1.0, 10.0)
NEWS_C_GRID = (0.01, 0.1, 1.0)  # with --news-pairs (session 20's measured grid)
SEED = 13
# Bands of first-stage probabilities the second stage may decide: the narrowest (fewest pairs read by
# the cross-encoder) whose cross-validated accuracy is within BAND_TOLERANCE of the best is chosen.
BAND_LOWS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.4)
BAND_HIGHS = (0.6, 0.7, 0.8, 0.9, 0.95, 1.0)
BAND_TOLERANCE = 0.003
# The ECB+ train run pairs' total weight against MSRP train's when both fit the first stage
# (--news-pairs, session 20): chosen among 0, 0.1, 0.3 and 1 by the budget criterion on ECB+ train topic
# folds (bench/train_statements.py) among the weights keeping MSRP nested 3-fold CV at or above the
# MSRP-only first stage's 0.753 / 0.827 (0.3 and 1 fell to 0.751 / 0.749). Higher: the first stage
# reads news pairs of unequal length more as ECB+ labels them (one gold event, not one fact), and MSRP
# paraphrase less. What it learns is not shipped (facts/ decided: bench/README.md, claims.py).
NEWS_WEIGHT = 0.1


@dataclass(frozen=True)
class Pair:
    label: int
    a: str
    b: str


def read_pairs(path: Path, limit: int | None = None) -> list[Pair]:
    """MSRP-format pairs: TSV with header ``Quality #1ID #2ID #1String #2String``."""
    out: list[Pair] = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows, None)
        for n, row in enumerate(rows, start=2):
            if not row:
                continue
            if len(row) < 5 or row[0] not in ("0", "1"):
                raise SystemExit(f"{path}:{n}: not an MSRP row (Quality, #1ID, #2ID, #1String, #2String)")
            out.append(Pair(int(row[0]), row[3], row[4]))
            if limit is not None and len(out) >= limit:
                break
    return out


def cosines(pairs: Sequence[Pair], cache: Path | None = CACHE) -> np.ndarray:
    """MiniLM cosine of each pair (each distinct sentence encoded once; the vectors of a set of
    sentences are kept in ``cache``, keyed by a hash of the model and the texts, because encoding
    MSRP's 8,000 sentences takes minutes on a shared machine)."""
    texts = sorted({p.a for p in pairs} | {p.b for p in pairs})
    row = {t: i for i, t in enumerate(texts)}
    key = hashlib.sha256("\n".join([claimencoder.vector_name(), *texts]).encode()).hexdigest()[:24]
    path = cache / f"{key}.npy" if cache is not None else None
    if path is not None and path.exists():
        vectors = np.load(path)
    else:
        vectors = claimencoder.encode(texts)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, vectors)
    return np.array([float(vectors[row[p.a]] @ vectors[row[p.b]]) for p in pairs])


def feature_matrix(pairs: Sequence[Pair], cos: np.ndarray, strings: bool = False,
                   length: bool = False) -> np.ndarray:
    """Each pair's ``claimmatch.FEATURES``, with ``strings`` its ``claimmatch.FIRST_FEATURES``, with
    ``length`` its ``claimmatch.NEWS_FEATURES`` (the second stage reads the first
    ``len(claimmatch.FEATURES)`` columns either way)."""
    describe = (claimmatch.first_features if strings else claimmatch.news_features if length
                else claimmatch.features)
    return np.array([describe(p.a, p.b, float(c)) for p, c in zip(pairs, cos, strict=True)])


def fit(x: np.ndarray, y: np.ndarray, c: float, weights: np.ndarray | None = None) -> claimmatch.Matcher:
    """A logistic regression on standardised features, as a Matcher (``weights``: per pair; the
    standardisation is weighted alike)."""
    from sklearn.linear_model import LogisticRegression

    means = np.average(x, axis=0, weights=weights)
    scales = np.sqrt(np.average((x - means) ** 2, axis=0, weights=weights))
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=3000).fit((x - means) / scales, y, sample_weight=weights)
    names = {len(n): n for n in (claimmatch.FEATURES, claimmatch.FIRST_FEATURES, claimmatch.SECOND_FEATURES,
                                 claimmatch.NEWS_FEATURES)}
    return claimmatch.Matcher(tuple(means.tolist()), tuple(scales.tolist()),
                              tuple(model.coef_[0].tolist()), float(model.intercept_[0]), names[x.shape[1]])


def predict(matcher: claimmatch.Matcher, x: np.ndarray) -> np.ndarray:
    from newsfuse import defaults

    return np.array([matcher.probability_of(row) >= defaults.CLAIM_MATCH_PROBABILITY for row in x], dtype=int)


def folds(n: int, k: int) -> list[np.ndarray]:
    order = np.random.default_rng(SEED).permutation(n)
    return [order[i::k] for i in range(k)]


def scores(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    tp = int(((pred == 1) & (gold == 1)).sum())
    fp = int(((pred == 1) & (gold == 0)).sum())
    fn = int(((pred == 0) & (gold == 1)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"accuracy": round(float((pred == gold).mean()), 4), "precision": round(p, 4),
            "recall": round(r, 4), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 4)}


def cross_validate(x: np.ndarray, y: np.ndarray, c: float, k: int) -> dict[str, float]:
    """Out-of-fold predictions of the matcher fitted with strength ``c``, scored once."""
    pred = np.zeros_like(y)
    for held in folds(len(y), k):
        train = np.setdiff1d(np.arange(len(y)), held)
        pred[held] = predict(fit(x[train], y[train], c), x[held])
    return scores(pred, y)


def choose_c(x: np.ndarray, y: np.ndarray, k: int) -> tuple[float, dict[float, dict[str, float]]]:
    """The regularisation strength with the best cross-validated accuracy on this file."""
    tried = {c: cross_validate(x, y, c, k) for c in C_GRID}
    return max(C_GRID, key=lambda c: (tried[c]["accuracy"], -abs(np.log10(c)))), tried


def out_of_fold(x: np.ndarray, y: np.ndarray, c: float, k: int) -> np.ndarray:
    """Each pair's probability from the regression fitted with strength ``c`` on the other folds."""
    out = np.zeros(len(y))
    for held in folds(len(y), k):
        train = np.setdiff1d(np.arange(len(y)), held)
        matcher = fit(x[train], y[train], c)
        out[held] = [matcher.probability_of(row) for row in x[held]]
    return out


def choose_band(first: np.ndarray, second: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The band of first-stage probabilities the second stage decides (see BAND_TOLERANCE)."""
    from newsfuse import defaults

    def accuracy(band: tuple[float, float]) -> float:
        inside = (first >= band[0]) & (first < band[1])
        p = np.where(inside, second, first)
        return float(((p >= defaults.CLAIM_MATCH_PROBABILITY).astype(int) == y).mean())

    bands = [(lo, hi) for lo in BAND_LOWS for hi in BAND_HIGHS]
    best = max(accuracy(b) for b in bands)
    good = [b for b in bands if accuracy(b) >= best - BAND_TOLERANCE]
    return min(good, key=lambda b: (float(((first >= b[0]) & (first < b[1])).mean()), b))


@dataclass(frozen=True)
class News:
    """News run pairs added to the first stage's fit: features, labels, topics (the folds they are split
    by) and their total weight against the MSRP pairs' (``weight`` 0.1: all of them weigh a tenth of
    MSRP train)."""

    x: np.ndarray
    y: np.ndarray
    topic: np.ndarray
    weight: float

    def weights(self, msrp: int, rows: np.ndarray) -> np.ndarray:
        """Per pair weights of ``msrp`` MSRP pairs then the news pairs ``rows``."""
        each = self.weight * msrp / max(len(rows), 1)
        return np.concatenate([np.ones(msrp), np.full(len(rows), each)])


def news_pairs(data: Path, length: bool, weight: float) -> News:
    """ECB+ train's offered, gold-labelled clause-run pairs (``bench/train_statements.py``: the product
    run on ECB+ train, each topic also fused as one story; one gold chain or not), described as MSRP
    pairs are."""
    import train_statements

    describe = claimmatch.news_features if length else claimmatch.features
    x, y, topic = [], [], []
    stories = train_statements.story_runs(data, "Train", None)
    for st, i, j, c, cross in train_statements.labelled_pairs(stories):
        x.append(describe(st.runs[i].text, st.runs[j].text, c))
        y.append(int(bool(train_statements._shared(st.chains[i], st.chains[j], cross))))
        topic.append(st.topic)
    return News(np.array(x), np.array(y), np.array(topic), weight)


def _topic_folds(topic: np.ndarray, k: int) -> list[np.ndarray]:
    order = sorted(set(topic.tolist()))
    return [np.nonzero(np.isin(topic, order[n::k]))[0] for n in range(k)]


def fit_with(x: np.ndarray, y: np.ndarray, news: News, rows: np.ndarray, c: float) -> claimmatch.Matcher:
    """The first stage fitted on MSRP pairs (x, y) and the news pairs ``rows``, weighted."""
    return fit(np.vstack([x, news.x[rows]]), np.concatenate([y, news.y[rows]]), c, news.weights(len(y), rows))


def choose_c_news(x: np.ndarray, y: np.ndarray, news: News, k: int) -> float:
    """The regularisation strength with the least weighted log loss over ``k`` folds, MSRP pairs dealt
    at random and news pairs by topic (no topic both fitted and scored)."""
    def loss(c: float) -> float:
        total = 0.0
        for held_m, held_n in zip(folds(len(y), k), _topic_folds(news.topic, k), strict=True):
            train_m, train_n = (np.setdiff1d(np.arange(n), held) for n, held in
                                ((len(y), held_m), (len(news.y), held_n)))
            matcher = fit_with(x[train_m], y[train_m], news, train_n, c)
            each = news.weight * len(y) / len(news.y)  # a held news pair weighs as a fitted one
            weight = np.concatenate([np.ones(len(held_m)), np.full(len(held_n), each)])
            rows = np.vstack([x[held_m], news.x[held_n]])
            p = np.clip([matcher.probability_of(r) for r in rows], 1e-6, 1 - 1e-6)
            gold = np.concatenate([y[held_m], news.y[held_n]])
            total -= float(np.sum(weight * (gold * np.log(p) + (1 - gold) * np.log(1 - p))))
        return total
    return min(NEWS_C_GRID, key=loss)


def learn(x: np.ndarray, y: np.ndarray, z: np.ndarray | None,
          k: int, news: News | None = None) -> tuple[claimmatch.TwoStage, dict[str, Any]]:
    """The matcher as it ships, learned on (x, y) with cross-encoder logits ``z`` (pairs x 1, in
    ``claimmatch.SECOND_FEATURES`` order after the features; out of fold; None: the first stage
    alone), every setting chosen by ``k``-fold cross-validation on these pairs. ``news``: run pairs of
    news reports added to the first stage's fit (its C then by weighted log loss, news split by topic)."""
    if news is not None and news.weight > 0:
        c1 = choose_c_news(x, y, news, k)
        first = fit_with(x, y, news, np.arange(len(news.y)), c1)
        info: dict[str, Any] = {"C": c1, "news_pairs": len(news.y), "news_weight": news.weight}
        if z is None:
            return claimmatch.TwoStage(first), info
        raise SystemExit("--news-pairs learns the first stage only (the second stage is kept)")
    c1, tried = choose_c(x, y, k)
    info = {"C": c1, "cv_first": tried[c1]}
    if z is None:
        return claimmatch.TwoStage(fit(x, y, c1)), info
    first = out_of_fold(x, y, c1, k)
    x2, y2 = np.column_stack([x[:, :len(claimmatch.FEATURES)], z]), y
    c2, tried2 = choose_c(x2, y2, k)
    band = choose_band(first, out_of_fold(x2, y2, c2, k), y2)
    info.update({"C_second": c2, "cv_second": tried2[c2], "band": list(band),
                 "second_pairs": len(y2)})
    return claimmatch.TwoStage(fit(x, y, c1), fit(x2, y2, c2), band), info


def predict_two(matcher: claimmatch.TwoStage, x: np.ndarray, z: np.ndarray | None) -> np.ndarray:
    """Decisions of the two-stage matcher (``z``: each pair's two cross-encoder logits)."""
    from newsfuse import defaults

    def logit(n: int) -> list[float]:
        assert z is not None
        return [float(v) for v in z[n]]

    cut = defaults.CLAIM_MATCH_PROBABILITY
    return np.array([matcher.probability_of(row, functools.partial(logit, n)) >= cut
                     for n, row in enumerate(x)], dtype=int)


def band_share(matcher: claimmatch.TwoStage, x: np.ndarray) -> float:
    """Share of pairs the cross-encoder reads when the switch is on (whatever it is set to now)."""
    if matcher.second is None:
        return 0.0
    lo, hi = matcher.band
    return float(np.mean([lo <= matcher.first.probability_of(row) < hi for row in x]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("train", type=Path, help="MSRP-format training pairs")
    ap.add_argument("--out", type=Path, default=claimmatch.MODEL_PATH)
    ap.add_argument("--folds", type=int, default=10)
    ap.add_argument("--cross-encoder", action="store_true", help="learn the second stage too (needs "
                    "bench/train_pairmodel.py's fold models for the same --folds and its shipped weights)")
    ap.add_argument("--string-features", action="store_true", help="the first stage also reads "
                    "claimmatch.EXTRA_FEATURES (n-gram precisions, LCS, edit, character trigrams)")
    ap.add_argument("--length-features", action="store_true", help="the first stage also reads "
                    "claimmatch.LENGTH_FEATURES (the shorter run against the longer, session 20)")
    ap.add_argument("--news-pairs", type=Path, metavar="DATA_PATH", help="add ECB+ train's offered run pairs "
                    "(a folder laid out like ../shared/bench; bench/train_statements.py runs the product on "
                    "it once) to the first stage's fit")
    ap.add_argument("--news-weight", type=float, default=NEWS_WEIGHT,
                    help="the news pairs' total weight against MSRP train's")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    pairs = read_pairs(args.train)
    y = np.array([p.label for p in pairs])
    x = feature_matrix(pairs, cosines(pairs), args.string_features, args.length_features)
    z = cross_logits(pairs, y, args.folds) if args.cross_encoder else None
    news = None if args.news_pairs is None else news_pairs(args.news_pairs, args.length_features,
                                                              args.news_weight)
    matcher, info = learn(x, y, z, args.folds, news)
    kept = kept_second(args.out) if z is None else {}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    data: dict[str, Any] = {"trained_on": args.train.name, "pairs": len(pairs), "folds": args.folds,
                            "C": info["C"], **matcher.to_json(), **kept}
    if z is not None:
        from newsfuse.fuse.claims import crossencoder

        data["C_second"] = info["C_second"]
        data["crossencoder"] = str(torch_load_version(crossencoder.WEIGHTS_PATH))
        data["second_trained_on"] = (f"{args.train.name} ({info['second_pairs']} pairs, the "
                                     f"cross-encoder's logits out of {args.folds} folds)")
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    weights = dict(zip(matcher.first.names, (round(w, 3) for w in matcher.first.weights), strict=True))
    print(json.dumps({"pairs": len(pairs), **info, "band_share": round(band_share(matcher, x), 4),
                      "weights": weights, "out": str(args.out),
                      "seconds": round(time.perf_counter() - started, 1)}))
    return 0


def kept_second(path: Path) -> dict[str, Any]:
    """The second stage already in ``path`` and what describes it (empty: none), kept when only the
    first stage is learned (the cross-encoder's out-of-fold logits take hours to make again)."""
    if not path.exists():
        return {}
    old = json.loads(path.read_text(encoding="utf-8"))
    if "second" not in old:
        return {}
    keys = ("second", "band", "C_second", "crossencoder", "second_trained_on", "folds")
    out = {k: old[k] for k in keys if k in old}
    first = f"the first stage over {len(old['features'])} features"
    out["band_chosen_with"] = old.get("band_chosen_with", first)
    return out


def cross_logits(pairs: Sequence[Pair], y: np.ndarray, k: int) -> np.ndarray:
    """(pairs, 1): each pair's out-of-fold cross-encoder logit, both reading orders averaged
    (bench/train_pairmodel.py's fold models; trains them when not cached: hours of CPU)."""
    bench_dir = str(Path(__file__).resolve().parent)
    if bench_dir not in sys.path:
        sys.path.insert(0, bench_dir)
    import train_pairmodel

    return train_pairmodel.out_of_fold([(p.a, p.b) for p in pairs], y, k)[:, None]


def torch_load_version(path: Path) -> str:
    """The version recorded in a shipped cross-encoder file."""
    import torch

    return str(torch.load(path, weights_only=True)["version"])


if __name__ == "__main__":
    raise SystemExit(main())
