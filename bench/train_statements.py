"""Learn the same-fact model of one story (newsfuse/fuse/claims/samefact.py) on ECB+ train, through
the product path.

Usage (from the project root, inside the venv)::

    python bench/train_statements.py ../shared/bench [--topics N] [--folds 5]
        [--out newsfuse/data/claims/statements.json] [--score-dev]

The ECB+ train documents are ingested, analysed and fused as a user would (``newsfuse.pipeline.run``,
temp SQLite store, stories found by the product; ``bench/claimalign.py`` does the same for dev). While
the product fuses, the bench records the clause runs the meaning pass compares (their texts, vectors
and the statements each holds) per story, the last fuse of a story kept. Gold event mentions are
placed in the stored texts; a statement is labelled with the gold chains of the mentions its anchor
(an event's trigger, an amount's figure) stands in. A pair of clause runs of two documents of one
product story is:

* positive when a statement of one and a statement of the other are anchored in one gold chain;
* negative when both hold an anchored statement and no chain is shared (singleton mentions count);
* left out when either holds no anchored statement (no gold to say).

Only the pairs the product offers are kept: a run's ``CLAIM_MATCH_NEIGHBOURS`` nearest runs of other
articles at ``CLAIM_MATCH_MIN_COSINE`` or above, and runs whose statements share arguments
(``samefact.shares_arguments``; all of them here, where the product bounds them per story and per
group: ``CLAIM_ARGUMENT_PAIRS_MAX``, ``CLAIM_ARGUMENT_GROUP_MAX``; ECB+ stories are small).
The regularisation strength and the decision point are chosen by
cross-validation over ECB+ train *topics* (no topic split between fitting and scoring): the strength
by log loss, the decision point by F1 of out-of-fold probabilities. With ``--score-dev`` the fitted
model, the paraphrase matcher and the plain cosine are scored once on ECB+ dev pairs built the same
way (their thresholds from train). The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for _p in (ROOT, BENCH):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import claimalign  # noqa: E402
from train_claims import scores  # noqa: E402

from newsfuse import defaults  # noqa: E402
from newsfuse.fuse.claims import match as claimmatch  # noqa: E402
from newsfuse.fuse.claims import samefact  # noqa: E402

C_GRID = (0.001, 0.003, 0.01, 0.1, 1.0, 10.0)
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.2, 0.81, 0.05))
CACHE = Path(tempfile.gettempdir()) / "newsfuse-statement-pairs"


class Recorder:
    """The clause runs the meaning pass compares, per story (the last fuse of a story kept): wraps
    ``build.join_by_meaning`` for the run; the product's output is unchanged."""

    def __init__(self) -> None:
        self.by_story: dict[str, tuple[list[Any], np.ndarray]] = {}
        self._story = ""

    def __enter__(self) -> Recorder:
        from newsfuse.fuse.claims import build

        self._join, self._build = build.join_by_meaning, build.build_claims
        build.join_by_meaning = self._joined  # type: ignore[assignment]
        build.build_claims = self._built  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        from newsfuse.fuse.claims import build

        build.join_by_meaning, build.build_claims = self._join, self._build  # type: ignore[assignment]

    def _built(self, story_id: str, *args: Any, **kwargs: Any) -> Any:
        self._story = story_id
        return self._build(story_id, *args, **kwargs)

    def _joined(self, clusters: Any, vectors: Any) -> Any:
        from newsfuse.fuse.claims import meaning

        sentences = meaning._sentences(clusters)
        if len(sentences) >= 2:
            matrix = vectors.of([x.key for x in sentences], [x.text for x in sentences])
            self.by_story[self._story] = (sentences, np.asarray(matrix, dtype=np.float64))
        return self._join(clusters, vectors)


def chains_of(sentences: Sequence[Any], mentions: Sequence[claimalign.GoldMention],
              doc_of: dict[str, str]) -> list[frozenset[str]]:
    """Per clause run, the gold chains its statements are anchored in (empty: no gold)."""
    placed: dict[str, list[claimalign.GoldMention]] = defaultdict(list)
    for m in mentions:
        if m.start >= 0:
            placed[m.doc].append(m)
    out = []
    for x in sentences:
        found: set[str] = set()
        for _, s in x.holders:
            if s.kind == "quote":
                continue  # a quote's anchor is its cue, not a fact's word
            doc = doc_of.get(s.article.id, "")
            found |= {f"{m.scope}/{m.chain}" for m in placed.get(doc, ()) if m.start <= s.at < m.end}
        out.append(frozenset(found))
    return out


def offered(sentences: Sequence[Any], matrix: np.ndarray) -> dict[tuple[int, int], float]:
    """The pairs (i < j) the product offers in one story, with their cosine: nearest neighbours at the
    cosine floor, and pairs whose statements share arguments."""
    articles = np.array([x.key[0] for x in sentences])
    cos = matrix @ matrix.T
    cos[articles[:, None] == articles[None, :]] = -np.inf
    out: dict[tuple[int, int], float] = {}
    k = defaults.CLAIM_MATCH_NEIGHBOURS
    for i in range(len(sentences)):
        for j in np.argsort(-cos[i], kind="stable")[:k].tolist():
            if cos[i, j] >= defaults.CLAIM_MATCH_MIN_COSINE:
                out[(min(i, j), max(i, j))] = float(cos[i, j])
    for i in range(len(sentences)):
        for j in range(i + 1, len(sentences)):
            if articles[i] != articles[j] and (i, j) not in out and any(
                    samefact.shares_arguments(x, y) for _, x in sentences[i].holders
                    for _, y in sentences[j].holders):
                out[(i, j)] = float(cos[i, j])
    return out


def collect(data: Path, split: str, topics: int | None) -> dict[str, np.ndarray]:
    """Feature rows of the offered, labelled pairs of ECB+ ``split`` run through the product."""
    from newsfuse.pipeline import RunContext, run
    from newsfuse.store import Store, queries

    docs, mentions = claimalign.read_ecb(data / "ecbplus", split, topics)
    rows: list[list[float]] = []
    labels, topic_of, cosines, by_args, msrp = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "docs.jsonl"
        jsonl.write_text("".join(json.dumps(claimalign.record(d)) + "\n" for d in docs), encoding="utf-8")
        store = Store(str(Path(tmp) / "docs.db"))
        try:
            with Recorder() as recorder:
                run(store, RunContext(paths=[jsonl]))
            stored = {a.url: a for a in queries.list_articles(store) if a.url}
            doc_of: dict[str, str] = {}
            for d in docs:
                a = stored.get(f"{claimalign.BENCH_HOST}/{d.key}")
                if a is not None:
                    doc_of[a.id] = d.key
                    claimalign.place(d, a.text, [m for m in mentions if m.doc == d.key])
            live = {s.id for s in queries.list_stories(store, limit=1_000_000)}
        finally:
            store.close()
    paraphrase = claimmatch.packaged().first
    for story, (sentences, matrix) in sorted(recorder.by_story.items()):
        if story not in live:
            continue
        chains = chains_of(sentences, mentions, doc_of)
        for (i, j), c in sorted(offered(sentences, matrix).items()):
            if not chains[i] or not chains[j]:
                continue
            a, b = sentences[i], sentences[j]
            xs, ys = [s for _, s in a.holders], [s for _, s in b.holders]
            values = samefact.features(a.text, b.text, c, xs, ys)
            rows.append(values)
            labels.append(int(bool(chains[i] & chains[j])))
            topic_of.append(int(doc_of[a.holders[0][1].article.id].split("_")[0]))
            cosines.append(c)
            by_args.append(int(c < defaults.CLAIM_MATCH_MIN_COSINE))
            msrp.append(paraphrase.probability_of(values[:len(claimmatch.FEATURES)]))
    return {"x": np.array(rows), "y": np.array(labels), "topic": np.array(topic_of),
            "cos": np.array(cosines), "below_floor": np.array(by_args), "msrp": np.array(msrp)}


def cached(data: Path, split: str, topics: int | None) -> dict[str, np.ndarray]:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{split}-{topics or 'all'}-{len(samefact.FEATURES)}.npz"
    if path.exists():
        return dict(np.load(path))
    found = collect(data, split, topics)
    np.savez(path, **found)
    return found


# -- fitting ---------------------------------------------------------------------------------------


def fit(x: np.ndarray, y: np.ndarray, c: float) -> claimmatch.Matcher:
    from sklearn.linear_model import LogisticRegression

    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=4000, class_weight="balanced").fit((x - means) / scales, y)
    return claimmatch.Matcher(tuple(means.tolist()), tuple(scales.tolist()),
                              tuple(model.coef_[0].tolist()), float(model.intercept_[0]))


def topic_folds(topics: np.ndarray, k: int) -> list[np.ndarray]:
    """Rows split by topic, topics dealt round-robin in sorted order into ``k`` folds."""
    order = sorted(set(topics.tolist()))
    return [np.nonzero(np.isin(topics, order[n::k]))[0] for n in range(k)]


def out_of_fold(d: dict[str, np.ndarray], c: float, k: int) -> np.ndarray:
    out = np.zeros(len(d["y"]))
    for held in topic_folds(d["topic"], k):
        train = np.setdiff1d(np.arange(len(d["y"])), held)
        model = fit(d["x"][train], d["y"][train], c)
        out[held] = [model.probability_of(row) for row in d["x"][held]]
    return out


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())


def best_threshold(p: np.ndarray, y: np.ndarray, grid: Sequence[float] = THRESHOLDS) -> float:
    """The decision point with the best F1 (ties: the higher, fewer joins)."""
    return max(grid, key=lambda t: (scores((p >= t).astype(int), y)["f1"], t))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path, help="folder laid out like ../shared/bench")
    ap.add_argument("--topics", type=int, help="first N ECB+ train topics (a quick run)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", type=Path, default=samefact.MODEL_PATH)
    ap.add_argument("--score-dev", action="store_true", help="score the fitted model once on ECB+ dev")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    train = cached(args.data, "Train", args.topics)
    y = train["y"]
    print(f"train pairs {len(y)} (positive {int(y.sum())}, below the cosine floor "
          f"{int(train['below_floor'].sum())}, topics {len(set(train['topic'].tolist()))})")
    tried = {c: out_of_fold(train, c, args.folds) for c in C_GRID}
    losses = {c: log_loss(p, y) for c, p in tried.items()}
    c = min(C_GRID, key=lambda v: (losses[v], -abs(np.log10(v))))
    oof = tried[c]
    threshold = best_threshold(oof, y)
    cos_t = best_threshold(train["cos"], y, tuple(round(x, 2) for x in np.arange(0.1, 0.91, 0.05)))
    msrp_t = best_threshold(train["msrp"], y)
    cv = {"same_fact_model": scores((oof >= threshold).astype(int), y),
          "paraphrase_matcher_at_0.5": scores((train["msrp"] >= 0.5).astype(int), y),
          f"paraphrase_matcher_at_{msrp_t}": scores((train["msrp"] >= msrp_t).astype(int), y),
          f"cosine_at_{cos_t}": scores((train["cos"] >= cos_t).astype(int), y)}
    below = train["below_floor"] == 1
    if below.any():
        cv["same_fact_model_below_floor"] = scores((oof[below] >= threshold).astype(int), y[below])
    for name, s in cv.items():
        print(f"train CV {name:<32} acc {s['accuracy']:.3f} P {s['precision']:.3f} R {s['recall']:.3f} "
              f"F1 {s['f1']:.3f}")
    model = samefact.SameFact(fit(train["x"], y, c))
    args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    out: dict[str, Any] = {"c": c, "log_loss": {str(k): round(v, 4) for k, v in losses.items()},
                           "threshold": threshold, "cosine_threshold": cos_t, "msrp_threshold": msrp_t,
                           "train_pairs": len(y), "train_positive": int(y.sum()), "cv": cv,
                           "weights": dict(zip(samefact.FEATURES, (round(w, 3) for w in model.model.weights),
                                               strict=True))}
    if args.score_dev:
        dev = cached(args.data, "Dev", None)
        p = np.array([model.model.probability_of(row) for row in dev["x"]])
        out["dev"] = {"pairs": len(dev["y"]), "positive": int(dev["y"].sum()),
                      "same_fact_model": scores((p >= threshold).astype(int), dev["y"]),
                      "paraphrase_matcher": scores((dev["msrp"] >= 0.5).astype(int), dev["y"]),
                      "cosine": scores((dev["cos"] >= cos_t).astype(int), dev["y"])}
        for name, s in out["dev"].items():
            if isinstance(s, dict):
                print(f"ECB+ dev {name:<20} acc {s['accuracy']:.3f} P {s['precision']:.3f} "
                      f"R {s['recall']:.3f} F1 {s['f1']:.3f}")
    out["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
