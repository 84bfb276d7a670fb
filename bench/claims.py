"""Claims benchmark: same claim or not (MSRP), cross-document claim alignment (ECB+ dev, GVC val)
through the product path, and shared facts of real story triplets (facts/).

Usage (from the project root, inside the venv)::

    python bench/claims.py ../shared/bench [--test PAIRS_FILE] [--sections msrp,alignment,facts,conflicts]
        [--folds K] [--cross-encoder] [--limit N] [--align-splits ecb_dev,gvc_val] [--align-topics N]
        [--why] [--peer-floor F] [--mutual-bars B,...] [--evidence-bars P/T[/A/Q],...] [--set NAME=VALUE ...]
        [--within B/S/A,...] [--matcher PATH]   (also: --sections cost, samefact, floor)

Sections (each a function returning a dict; the last line printed is one JSON object holding them):

* ``msrp``: accuracy and F1 of the product's matcher as ``matcher.json`` ships it
  (newsfuse/fuse/claims/match.py: cheap features, and, when shipped, the cross-encoder on the pairs
  they leave uncertain) by k-fold cross-validation on ``msrp/msr_paraphrase_train.txt`` (weights,
  regularisation strengths and the band learned on the other folds only; each pair's cross-encoder
  logit from the fold model of ``bench/train_pairmodel.py`` that never saw it), against two peers
  measured in the same run: TF-IDF cosine and MiniLM cosine, each with its threshold tuned on the
  training folds. ``--cross-encoder`` also scores the other variant (two stages, or the first alone)
  and the cross-encoder alone. With ``--test``, everything is fitted on all of train (the packaged
  cross-encoder is the one fitted on all of train) and scored once on the given file. Also, in the same
  run, ``first_stage_strings``: the first stage learned over ``FIRST_FEATURES`` (the string
  similarities of ``EXTRA_FEATURES`` too; ``bench/train_claims.py --string-features``, not shipped),
  and ``first_stage_cost``: pairs per CPU second of both first stages.
* ``cost`` (session 20): the cross-encoder's pairs per CPU second on the first ``--limit`` (default
  ``COST_PAIRS``) MSRP train pairs, read one pair a call, all in one call and again once kept, float
  and int8 (``CLAIM_CROSS_ENCODER_INT8``) each in a process of its own with its peak memory, and how
  close the int8 logits are (the shipped second stage's decisions that change): needs no fold models.
* ``alignment``: gold cross-document event chains of ECB+ dev and GVC val against the product's
  claims (ingest -> analyse -> fuse on a temp store), pairwise P/R/F1 over cross-document mention
  pairs, against same-head-lemma in the same run (``bench/claimalign.py`` says how a mention is
  placed in a claim). ``--align-splits ecb_train`` develops on ECB+ train; ``--align-topics N``
  keeps the first N topics (ECB+) or incidents (GVC) for a quick run.
* ``facts``: the 12 BASIL triplets of ``facts/``: shared facts found (one corroborated claim whose
  evidence holds every outlet's cue), single facts right, and claims joining two different facts;
  without the meaning matcher (the product before it), with the paraphrase matcher's first stage
  alone (with ``--cross-encoder`` also both stages: the cross-encoder on uncertain pairs, and, session
  20, ``shipped_two_stages``: every setting as shipped with the second stage switched on), with the
  same-fact model of one story (fuse/claims/samefact.py) alone and with the pairs sharing arguments,
  and ``with_meaning`` (the variant the defaults ship), measured in the same run, each with its
  matcher pairs and cold-fuse CPU seconds. With ``--why``, each shared fact the product misses gets
  its cause (:func:`facts_why`) and the causes are counted. ``--matcher PATH`` reads another
  paraphrase matcher than the shipped ``matcher.json`` for the run (a candidate first stage).
* ``conflicts``: ``bench/claimconflicts.py`` when present (its ``run(data_path) -> dict``).
* ``samefact``: ECB+ dev same-event sentence pairs (``bench/samefact_pairs.py``), scored once with
  what ships: the cross-encoder's two heads, the matcher's first stage and both stages, against
  MiniLM cosine with its threshold from ECB+ train pairs.
* ``floor``: candidate recall on ECB+ train stories per cosine floor and neighbour count, with the
  pairs offered per story (the cost); ``facts`` prints the matcher's pairs per story too, and
  ``--peer-floor F`` scores both matcher variants again at floor F in the same run. Mutual-best
  statements (``CLAIM_MUTUAL_BEST``) are scored at ``CLAIM_MUTUAL_PROBABILITY`` and at each bar of
  ``--mutual-bars``. Lower matcher bars for statement pairs in one place or on one target
  (``CLAIM_SAME_PLACE_PROBABILITY`` / ``CLAIM_SAME_TARGET_PROBABILITY``, session 15) are scored at
  the shipped bars (when lower than the matcher's point) and at each ``P/T`` of ``--evidence-bars``;
  the lower bar for two runs one told within the other (session 17, ``CLAIM_TOLD_WITHIN_PROBABILITY``,
  ``_SHARE``, ``_ACT``) at each ``B/S/A`` of ``--within``. ``--why`` also counts the split outlet pairs
  the matcher said no to by kind (length ratio, how much of the shorter the longer holds, shared act,
  actors, arguments, place, figures: :func:`_refusal_kinds`), and those whose actors resolve to
  different entities by why (:func:`_actor_kinds`: another pair shares the actor, forms of one name,
  a description or pronoun, or two different names by type), and how many of those the acts-for
  relation (session 19, ``fuse/claims/actsfor.py``) bridges (:func:`_acts_for_kinds`); ``--acts-for
  B/W,...`` scores its bar and agreement weight (``CLAIM_ACTS_FOR_PARTIES_ACT_PROBABILITY``,
  ``CLAIM_ACTS_FOR_AGREEMENT``) beside the shipped gate.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
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


def _ours_cv(x: np.ndarray, y: np.ndarray, z: np.ndarray | None, k: int) -> dict[str, Any]:
    """Nested: each outer fold learns the matcher as bench/train_claims.py ships it (both
    regularisation strengths and the band by cross-validation on its own training part) and decides
    its held pairs as fusion does. The outer folds are the cross-encoder's own (``z[held]`` is from
    the fold model that never saw those pairs)."""
    from newsfuse import defaults

    pred = np.zeros_like(y)
    asked = 0
    saved = defaults.CLAIM_MATCH_CROSS_ENCODER
    defaults.CLAIM_MATCH_CROSS_ENCODER = True  # with z, the second stage is what is scored
    try:
        for held in train_claims.folds(len(y), k):
            train = np.setdiff1d(np.arange(len(y)), held)
            matcher, _ = train_claims.learn(x[train], y[train], None if z is None else z[train], k)
            pred[held] = train_claims.predict_two(matcher, x[held], None if z is None else z[held])
            asked += round(train_claims.band_share(matcher, x[held]) * len(held))
    finally:
        defaults.CLAIM_MATCH_CROSS_ENCODER = saved
    out: dict[str, Any] = train_claims.scores(pred, y)
    out["cross_encoder_share"] = round(asked / len(y), 4)
    return out


def msrp_folds(folds: int | None) -> int:
    """The CV folds: as given, else the cross-encoder's (``matcher.json`` records the folds its
    out-of-fold logits came from), else 10."""
    from newsfuse.fuse.claims import match as claimmatch

    if folds is not None:
        return folds
    shipped = json.loads(claimmatch.MODEL_PATH.read_text(encoding="utf-8"))
    return int(shipped.get("folds", 10)) if "second" in shipped else 10


COST_PAIRS = 300  # MSRP pairs timed for the matcher's cost per pair


def matcher_cost(pairs: list[train_claims.Pair], cos: np.ndarray) -> dict[str, Any]:
    """Pairs per CPU second of each stage on the first ``COST_PAIRS`` pairs, in the same run: the
    first stage (features and regression; the sentence vectors given) and the cross-encoder (both
    reading orders, one batch as fusion asks, its model loaded before the clock starts), with the
    process's peak memory before and after loading it (the sentence encoder, which fusion loads
    anyway, already in) and the load average (a loaded host's CPU seconds run high)."""
    import os
    import resource

    from newsfuse.fuse.claims import crossencoder
    from newsfuse.fuse.claims import encoder as claimencoder
    from newsfuse.fuse.claims import match as claimmatch

    part = pairs[:COST_PAIRS]

    def peak_mb() -> float:
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    first = claimmatch.packaged().first
    claimmatch._describe.cache_clear()  # each sentence described afresh, as a new article's are
    cpu = time.process_time()
    for p, c in zip(part, cos, strict=False):
        first.probability(p.a, p.b, float(c))
    first_cpu = time.process_time() - cpu
    claimencoder.encode([part[0].a])  # torch and the sentence encoder are loaded in fusion already
    before = peak_mb()
    crossencoder.packaged()
    loaded = peak_mb()
    cpu, wall = time.process_time(), time.perf_counter()
    crossencoder.pair_logits([(p.a, p.b) for p in part])
    cross_cpu, cross_wall = time.process_time() - cpu, time.perf_counter() - wall
    out = {"pairs": len(part), "first_stage_pairs_per_cpu_s": round(len(part) / max(first_cpu, 1e-9), 1),
           "cross_encoder_pairs_per_cpu_s": round(len(part) / max(cross_cpu, 1e-9), 1),
           "cross_encoder_pairs_per_wall_s": round(len(part) / max(cross_wall, 1e-9), 1),
           "peak_mb_before_cross_encoder": before, "peak_mb_after": max(loaded, peak_mb()),
           "load_average": round(os.getloadavg()[0], 2)}
    print(f"msrp cost: first stage {out['first_stage_pairs_per_cpu_s']} pairs per CPU s, cross-encoder "
          f"{out['cross_encoder_pairs_per_cpu_s']} (wall {out['cross_encoder_pairs_per_wall_s']}/s, load "
          f"{out['load_average']}); peak memory {before} MB -> {out['peak_mb_after']} MB")
    return out


def _forked(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """``fn(*args)`` run in a forked process (its peak memory its own)."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    queue: Any = ctx.Queue()
    proc = ctx.Process(target=lambda: queue.put(fn(*args)))
    proc.start()
    result: dict[str, Any] = queue.get()
    proc.join()
    return result


def _cost_child(pairs: list[train_claims.Pair], int8: bool) -> dict[str, Any]:
    """In a forked process (its own peak memory): the sentence encoder loaded (fusion has it), then
    the cross-encoder, float or int8; CPU seconds of its reading of ``pairs`` one pair a call (as
    fusion asked before session 20), all in one call (pairs of like length batched), and again
    through ``pair_logits`` once kept (none read). Returns the logits too."""
    import resource

    from newsfuse import defaults
    from newsfuse.fuse.claims import crossencoder
    from newsfuse.fuse.claims import encoder as claimencoder

    def peak_mb() -> float:
        return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)

    defaults.CLAIM_CROSS_ENCODER_INT8 = int8
    claimencoder.encode([pairs[0].a])
    before = peak_mb()
    model = crossencoder.packaged()
    loaded = peak_mb()
    texts = [(p.a, p.b) for p in pairs]
    cpu = time.process_time()
    for pair in texts:
        model.mean_logits([pair])
    one = time.process_time() - cpu
    cpu = time.process_time()
    z = model.mean_logits(texts)
    batched = time.process_time() - cpu
    crossencoder.LOGITS.clear()
    crossencoder.pair_logits(texts)
    cpu = time.process_time()
    kept = crossencoder.pair_logits(texts)
    again = time.process_time() - cpu
    assert np.allclose(kept[:, 0], z, atol=1e-4)
    rate = {"one_pair_a_call": len(texts) / max(one, 1e-9), "one_call": len(texts) / max(batched, 1e-9),
            "kept": len(texts) / max(again, 1e-9)}
    return {"pairs_per_cpu_s": {k: round(v, 1) for k, v in rate.items()}, "logits": z.tolist(),
            "peak_mb_before": before, "peak_mb_loaded": max(loaded, peak_mb())}


def run_cost(data_path: Path, limit: int | None) -> dict[str, Any]:
    """The cross-encoder's cost and int8's closeness on the first ``limit`` (default ``COST_PAIRS``)
    MSRP train pairs, in one run and without the fold models ``msrp`` needs: float and int8 each in a
    forked process (:func:`_cost_child`: pairs per CPU second, peak memory), then the int8 logits
    against the float ones, and the shipped matcher's decisions with each on the pairs its first stage
    leaves to the second (the shipped cross-encoder was fitted on MSRP train: this counts decisions
    that change, it is no accuracy estimate)."""
    import os

    from newsfuse import defaults
    from newsfuse.fuse.claims import match as claimmatch

    pairs = train_claims.read_pairs(data_path / MSRP_TRAIN, limit or COST_PAIRS)
    y = np.array([p.label for p in pairs])
    x = train_claims.feature_matrix(pairs, train_claims.cosines(pairs))
    load = [round(os.getloadavg()[0], 2)]
    fp, q8 = (_forked(_cost_child, pairs, int8) for int8 in (False, True))
    load.append(round(os.getloadavg()[0], 2))
    zf, zq = np.array(fp.pop("logits")), np.array(q8.pop("logits"))
    matcher = claimmatch.packaged()
    saved = defaults.CLAIM_MATCH_CROSS_ENCODER
    defaults.CLAIM_MATCH_CROSS_ENCODER = True
    try:
        unsure = np.array([matcher.uncertain(matcher.first.probability_of(row)) for row in x])
        decided = {name: train_claims.predict_two(matcher, x, z[:, None]) for name, z in (("float", zf),
                                                                                           ("int8", zq))}
    finally:
        defaults.CLAIM_MATCH_CROSS_ENCODER = saved
    diff = np.abs(zq - zf)
    out = {"pairs": len(pairs), "float": fp, "int8": q8, "load_average": load,
           "int8_logits": {"mean_abs_diff": round(float(diff.mean()), 4),
                           "max_abs_diff": round(float(diff.max()), 4),
                           "sign_agrees": round(float(np.mean((zq >= 0) == (zf >= 0))), 4),
                           "second_stage_pairs": int(unsure.sum()),
                           "second_stage_decisions_changed": int((decided["float"] != decided["int8"]).sum()),
                           "in_sample_accuracy": {k: train_claims.scores(v, y)["accuracy"]
                                                  for k, v in decided.items()}}}
    for name in ("float", "int8"):
        r = out[name]
        print(f"cost cross-encoder {name}: pairs per CPU s {r['pairs_per_cpu_s']}; peak memory "
              f"{r['peak_mb_before']} -> {r['peak_mb_loaded']} MB")
    print(f"cost int8 logits against float on {len(pairs)} MSRP train pairs: {out['int8_logits']} "
          f"(load {load})")
    return out


def first_stage_cost(pairs: list[train_claims.Pair], cos: np.ndarray, strings: Any) -> dict[str, Any]:
    """Pairs per CPU second of the shipped first stage and of ``strings`` (a first stage over
    ``FIRST_FEATURES``) on the first ``COST_PAIRS`` pairs, alternating, best of 3: 'cold' with each
    sentence described afresh (a new article's), 'warm' with the sentences described (a story's 600
    pairs share their ~100 sentences)."""
    from newsfuse.fuse.claims import match as claimmatch

    part = list(zip(pairs[:COST_PAIRS], cos, strict=False))
    best: dict[str, float] = {}
    for _ in range(3):
        for name, matcher in (("shipped", claimmatch.packaged().first), ("strings", strings)):
            for state in ("cold", "warm"):
                if state == "cold":
                    claimmatch._describe.cache_clear()
                    claimmatch._strings.cache_clear()
                cpu = time.process_time()
                for p, c in part:
                    matcher.probability(p.a, p.b, float(c))
                key = f"{name}_{state}"
                best[key] = min(best.get(key, 1e9), time.process_time() - cpu)
    out = {k: round(len(part) / max(v, 1e-9), 1) for k, v in best.items()}
    print(f"msrp first stage pairs per CPU s: shipped {out['shipped_cold']} cold / {out['shipped_warm']} "
          f"warm, with string features {out['strings_cold']} / {out['strings_warm']}")
    return {"pairs": len(part), "pairs_per_cpu_s": out}


def run_msrp(data_path: Path, test: Path | None, folds: int | None, limit: int | None,
             cross: bool) -> dict[str, Any]:
    """``ours`` is the matcher as ``matcher.json`` ships it: with its second stage when it has one (then
    ``folds`` must be the cross-encoder's, bench/train_pairmodel.py --folds). ``cross`` also scores
    the two-stage matcher when the shipped one has no second stage."""
    from newsfuse.fuse.claims import match as claimmatch

    started = time.perf_counter()
    folds = msrp_folds(folds)
    pairs = train_claims.read_pairs(data_path / MSRP_TRAIN, limit)
    y = np.array([p.label for p in pairs])
    cos = train_claims.cosines(pairs)
    x = train_claims.feature_matrix(pairs, cos)
    xs = train_claims.feature_matrix(pairs, cos, strings=True)  # the first stage with string features
    from newsfuse import defaults

    # ours is what fusion runs: the second stage only when it is shipped and switched on.
    shipped_two = claimmatch.packaged().second is not None and defaults.CLAIM_MATCH_CROSS_ENCODER
    z = None
    if shipped_two or cross:  # the cross-encoder's logit of each pair, out of fold
        z = train_claims.cross_logits(pairs, y, folds)
    rows = ["ours", "first_stage_strings", "minilm_cosine", "tfidf_cosine"]
    out: dict[str, Any] = {"train_pairs": len(pairs), "positive_share": round(float(y.mean()), 4),
                           "ours_is": "two stages" if shipped_two else "first stage alone"}
    if test is None:
        out["protocol"] = f"{folds}-fold cross-validation on train"
        out["ours"] = _ours_cv(x, y, z if shipped_two else None, folds)
        out["first_stage_strings"] = _ours_cv(xs, y, None, folds)
        if z is not None:
            out["two_stage" if not shipped_two else "first_stage_alone"] = (
                _ours_cv(x, y, z if not shipped_two else None, folds))
            out["cross_encoder_alone"] = train_claims.scores((z[:, 0] >= 0).astype(int), y)
            rows[2:2] = ["two_stage" if not shipped_two else "first_stage_alone", "cross_encoder_alone"]
        out["minilm_cosine"] = _peer_cv(cos, y, folds)
        out["tfidf_cosine"] = _tfidf_cv(pairs, y, folds)
    else:
        tests = train_claims.read_pairs(test)
        ty = np.array([p.label for p in tests])
        tcos = train_claims.cosines(tests)
        tx = train_claims.feature_matrix(tests, tcos)
        tz = None
        if shipped_two:
            from newsfuse.fuse.claims import crossencoder

            tz = crossencoder.pair_logits([(p.a, p.b) for p in tests])
        matcher, info = train_claims.learn(x, y, z if shipped_two else None, folds)
        out["protocol"] = (f"fitted on all of train (settings by {folds}-fold cross-validation: {info}), "
                           f"scored once on {test.name}")
        out["test_pairs"] = len(tests)
        out["ours"] = train_claims.scores(train_claims.predict_two(matcher, tx, tz), ty)
        strings, _ = train_claims.learn(xs, y, None, folds)
        txs = train_claims.feature_matrix(tests, tcos, strings=True)
        out["first_stage_strings"] = train_claims.scores(train_claims.predict_two(strings, txs, None), ty)
        out["minilm_cosine"] = train_claims.scores((tcos >= best_threshold(cos, y)).astype(int), ty)
        cut = best_threshold(_tfidf_cosines(pairs, pairs), y)
        out["tfidf_cosine"] = train_claims.scores((_tfidf_cosines(pairs, tests) >= cut).astype(int), ty)
    out["first_stage_cost"] = first_stage_cost(pairs, cos, train_claims.fit(xs, y, 1.0))
    if shipped_two or cross:
        out["cost"] = matcher_cost(pairs, cos)
    out["seconds"] = round(time.perf_counter() - started, 1)
    for name in rows:
        s = out[name]
        print(f"msrp {name:<20} accuracy {s['accuracy']:.4f}  F1 {s['f1']:.4f}  "
              f"(P {s['precision']:.3f} R {s['recall']:.3f})")
    return out


# --- facts -------------------------------------------------------------------------------------

def _fuse_articles(jsonl: Path, db: Path) -> Any:
    """The product path on one JSONL file: ingest -> analyse -> fuse (meaning matching as set)."""
    from newsfuse.pipeline import RunContext, run
    from newsfuse.store import Store

    store = Store(str(db))
    run(store, RunContext(paths=[jsonl]))
    return store


def _cue_range(text: str, cue: str) -> tuple[int, int] | None:
    """Where a cue stands in an article's stored text (white space may differ after cleaning)."""
    pattern = r"\s+".join(re.escape(w) for w in cue.split())
    found = re.search(pattern, text)
    return (found.start(), found.end()) if found else None


def facts_scores(store: Any, triplets: list[dict[str, Any]]) -> dict[str, Any]:
    """Shared facts found, single facts right, claims joining two facts: over every story's claims."""
    from newsfuse.store import queries

    articles = queries.list_articles(store, [a.id for a in queries.list_articles(store)])
    by_url = {a.url: a for a in articles if a.url}
    claims = [c for story in queries.list_stories(store) for c in queries.story_claims(store, story.id)]
    ranges: dict[tuple[int, int], dict[str, tuple[int, int]]] = {}  # (triplet, fact) -> article -> range
    missing = 0
    for t, triplet in enumerate(triplets):
        for f, fact in enumerate(triplet["facts"]):
            for url, cue in fact["cues"].items():
                article = by_url.get(url)
                where = _cue_range(article.text, cue) if article is not None else None
                if article is None or where is None:
                    missing += 1
                    continue
                ranges.setdefault((t, f), {})[article.id] = where

    def holds(claim: Any, key: tuple[int, int]) -> set[str]:
        return {sp.article_id for s in claim.sources for sp in s.evidence
                if sp.article_id in ranges.get(key, {})
                and sp.start < ranges[key][sp.article_id][1] and ranges[key][sp.article_id][0] < sp.end}

    every = [(t, f, fact["kind"]) for t, tr in enumerate(triplets) for f, fact in enumerate(tr["facts"])]
    shared = [(t, f) for t, f, kind in every if kind == "shared"]
    single = [(t, f) for t, f, kind in every if kind != "shared"]
    corroborated = [c for c in claims if c.status == "corroborated"]
    found = sum(1 for key in shared
                if ranges.get(key) and any(holds(c, key) >= set(ranges[key]) for c in corroborated))
    right = sum(1 for key in single if not any(holds(c, key) for c in corroborated))
    keys = list(ranges)
    joining = sum(1 for c in claims if len({k[0:2] for k in keys if holds(c, k)}) >= 2)
    return {"shared_found": found, "shared": len(shared), "singles_right": right, "singles": len(single),
            "claims_joining_two_facts": joining, "claims": len(claims), "corroborated": len(corroborated),
            "cues_not_found": missing}


class _FuseRecorder:
    """What each story's last fuse was built from, recorded while the product fuses: its statements,
    the cluster each statement ended in (the bench wraps ``build.claim_of``, which reads one cluster)
    and every matcher answer (``pairs.MEMO.probability``). Nothing in the product changes."""

    def __enter__(self) -> _FuseRecorder:
        from newsfuse.fuse.claims import build, meaning
        from newsfuse.fuse.claims import pairs as claimpairs

        self.items: list[Any] = []
        self.cluster: dict[int, int] = {}  # id(statement) -> cluster number
        self.answers: dict[tuple[str, str], float] = {}
        # the meaning pass's mutual-best statements (when switched on): (article, statement ID) -> its
        # cluster there, and the mutual node pairs, of the last fuse
        self.node: dict[tuple[str, str], tuple[int, str]] = {}
        self.mutual: dict[Any, float] = {}
        self._saved = build._without_boilerplate, build.claim_of, claimpairs.MEMO.probability
        self._mutual = meaning._mutual
        boiler, claim_of, probability = self._saved

        def mutual(sentences: Any, scored: Any) -> Any:
            self.mutual = self._mutual(sentences, scored)
            self.node = {(st.article.id, st.id): (n, st.article.id) for x in sentences for n, st in x.holders}
            return self.mutual

        def kept(*args: Any) -> Any:
            self.items, self.cluster = boiler(*args), {}
            return self.items

        def claim(story_id: str, members: Any, *args: Any) -> Any:
            n = len(set(self.cluster.values()))
            self.cluster.update({id(st): n for st, _, _ in members})
            return claim_of(story_id, members, *args)

        def answer(matcher: Any, a: str, b: str, cosine: float, hashes: Any = None) -> float:
            p: float = probability(matcher, a, b, cosine, hashes)
            self.answers[(a, b)] = self.answers[(b, a)] = p
            return p

        build._without_boilerplate, build.claim_of = kept, claim  # type: ignore[assignment]
        claimpairs.MEMO.probability = answer  # type: ignore[method-assign]
        meaning._mutual = mutual  # type: ignore[assignment]
        return self

    def mutual_pair(self, xs: list[Any], ys: list[Any]) -> bool:
        """Whether any statement of ``xs`` and one of ``ys`` were mutual-best in the last fuse."""
        from newsfuse.fuse.claims import mutual

        nodes = [[self.node.get((s.article.id, s.id)) for s in side] for side in (xs, ys)]
        return any(u is not None and v is not None and mutual.is_mutual(self.mutual, u, v)
                   for u in nodes[0] for v in nodes[1])

    def __exit__(self, *exc: object) -> None:
        from newsfuse.fuse.claims import build, meaning
        from newsfuse.fuse.claims import pairs as claimpairs

        build._without_boilerplate, build.claim_of = self._saved[:2]  # type: ignore[assignment]
        claimpairs.MEMO.probability = self._saved[2]  # type: ignore[method-assign]
        meaning._mutual = self._mutual  # type: ignore[assignment]


def _unit_text(s: Any, key: tuple[str, int, int]) -> str:
    return " ".join(s.article.text[key[1]:key[2]].split()).strip(" ,;:")


def _best_answer(xs: list[Any], ys: list[Any], answers: dict[tuple[str, str], float]) -> float | None:
    """The matcher's best answer on the clause runs of two outlets' statements (None: never asked)."""
    from newsfuse.fuse.claims.meaning import units

    return max((answers[(_unit_text(x, u), _unit_text(y, v))] for x in xs for y in ys for u in units(x)
                for v in units(y) if (_unit_text(x, u), _unit_text(y, v)) in answers), default=None)


# Bands of the matcher's best answer on a split pair it said no to: what a lower bar (mutual-best
# statements, fuse/claims/mutual.py) could reach at most.
_SAID_NO_BANDS = (0.1, 0.3, 0.45)


def _best_runs(xs: list[Any], ys: list[Any], answers: dict[tuple[str, str], float]) -> tuple[str, str] | None:
    """The clause-run texts of :func:`_best_answer`'s pair (None: never asked)."""
    from newsfuse.fuse.claims.meaning import units

    asked = [(answers[(a, b)], a, b) for x in xs for y in ys for u in units(x) for v in units(y)
             if ((a := _unit_text(x, u)), (b := _unit_text(y, v))) in answers]
    return max(asked)[1:] if asked else None


def _refusal_kinds(xs: list[Any], ys: list[Any], answers: dict[tuple[str, str], float]) -> list[str]:
    """What a split outlet pair the matcher said no to looks like, in aggregate (issue 12's 'one fact,
    more detail'): the best-answered clause runs' length ratio and how much of the shorter's content
    words the longer holds, and what the statements share (an act, the actor, arguments, a place) or
    tell apart (actors, figures)."""
    from newsfuse.fuse.claims import match, samefact

    runs = _best_runs(xs, ys, answers)
    if runs is None:
        return []
    ta, tb = (match._describe(t) for t in runs)
    short, long_ = sorted((ta, tb), key=lambda t: len(t.tokens))
    ratio = len(short.tokens) / max(len(long_.tokens), 1)
    cover = len(short.words & long_.words) / max(len(short.words), 1)
    kinds = [f"length ratio {_band(ratio, (0.5, 0.75))}", f"shorter covered {_band(cover, (0.3, 0.5, 0.7))}"]
    pairs = [(x, y) for x in xs for y in ys]
    tests = {"shares arguments": samefact.shares_arguments, "same act": lambda x, y: bool(
        samefact._acts(x) & samefact._acts(y)), "same actor": lambda x, y: x.entity is not None and (
        x.entity == y.entity), "actors differ": lambda x, y: None not in (x.entity, y.entity) and (
        x.entity != y.entity), "same place": samefact.same_place,
        "both events": lambda x, y: x.kind == y.kind == "event"}
    kinds += [name for name, test in tests.items() if any(test(x, y) for x, y in pairs)]
    if short.figures and long_.figures:
        agree = not match._unmatched(short.figures, long_.figures)
        kinds.append("figures agree" if agree else "figures differ")
    return kinds


# Pronouns an unresolved pronoun-only group is named by (fuse/entities/pronouns.py's words and the rest).
# rapidfuzz ratio of two folded names at or above which they count as forms of one name (a report).
_NAME_FORMS_RATIO = 80
_PRONOUN_NAMES = frozenset({"he", "him", "his", "she", "her", "it", "its", "they", "them", "their", "we",
                            "us", "our", "i", "you", "who", "whom", "whose", "which", "that"})


def _actor_kinds(xs: list[Any], ys: list[Any], entities: dict[str, Any]) -> list[str]:
    """Why two outlets' statements of one fact have actors resolved to different entities (issue 12,
    task 12e), in aggregate: 'shares an actor too' when some pair of their statements does, else one
    kind per differing pair (:func:`_actor_pair_kind`) with whether each actor is in the other
    outlet's article too. ``entities``: the story's entities by ID, with their articles."""
    pairs = [(x, y) for x in xs for y in ys if None not in (x.entity, y.entity)]
    if any(x.entity == y.entity for x, y in pairs):
        return ["shares an actor too"]
    kinds = set()
    for x, y in pairs:
        ex, ey = entities.get(x.entity), entities.get(y.entity)
        if ex is None or ey is None:
            kinds.add("an actor not in the story's entities")
            continue
        crossed = (y.article.id in ex.article_ids) + (x.article.id in ey.article_ids)
        kinds.add(f"{_actor_pair_kind(ex, ey)} ({('neither', 'one', 'both')[crossed]} in the other outlet)")
    return sorted(kinds)


def _acts_for_kinds(xs: list[Any], ys: list[Any]) -> list[str]:
    """Whether the acts-for relation (``fuse/claims/actsfor.py``, session 19) bridges two outlets'
    statements whose actors resolve apart: 'bridged' when a statement pair's actors are one actor named
    two ways, 'bridged, one act' when that pair also does one act, 'bridged, one act and target' when
    it meets ``samefact.acts_for_parties_act`` (what the gate's acts-for bar reads); [] when none."""
    from newsfuse.fuse.claims import actsfor, samefact

    pairs = [(x, y) for x in xs for y in ys if actsfor.acts_for(x, y)]
    if not pairs:
        return []
    kinds = ["bridged"]
    if any(samefact.one_act(x, y) for x, y in pairs):
        kinds.append("bridged, one act")
    if any(samefact.acts_for_parties_act(x, y) for x, y in pairs):
        kinds.append("bridged, one act and target")
    return kinds


def _actor_pair_kind(a: Any, b: Any) -> str:
    """How two entities' names relate: a pronoun; forms of one name (a shared word, or one a spelling
    of the other); a description ('the ministry', 'the president') beside a name (its head word among
    the name's roles: 'role vs name'); two descriptions; else two different names, by type: two
    people, a person and a body or place ('the IRS' / its official), a place and a body ('Russia' /
    'the Kremlin'), two bodies."""
    from rapidfuzz import fuzz

    from newsfuse.fuse.entities.names import normalise

    na, nb = normalise(a.name), normalise(b.name)
    if na in _PRONOUN_NAMES or nb in _PRONOUN_NAMES:
        return "pronoun"
    described = [e for e in (a, b) if e.name[:1].islower()]
    if len(described) == 2:
        return "two descriptions"
    if described:
        desc, named = described[0], (b if described[0] is a else a)
        head = normalise(desc.name).split()[-1:] or [""]
        roles = {normalise(r).split()[-1] for r in named.roles if normalise(r).split()}
        return "role vs name" if head[0] in roles else "description vs name"
    if set(na.split()) & set(nb.split()) or fuzz.ratio(na, nb) >= _NAME_FORMS_RATIO:
        return "forms of one name"
    people = (a.label == "PERSON") + (b.label == "PERSON")
    if people:
        return "two people" if people == 2 else "a person and a body or place"
    return "a place and a body" if {a.label, b.label} & {"GPE", "LOC"} else "two bodies"


def _band(value: float, edges: Sequence[float]) -> str:
    lo = max((e for e in edges if value >= e), default=0.0)
    hi = min((e for e in edges if value < e), default=None)
    return f"{lo:g}-{hi:g}" if hi is not None else f">={lo:g}"


def _said_no_band(p: float) -> str:
    lo = max((b for b in _SAID_NO_BANDS if p >= b), default=0.0)
    hi = min((b for b in _SAID_NO_BANDS if p < b), default=None)
    return f"{lo:g}-{hi:g}" if hi is not None else f"{lo:g} or more"


def _pair_cause(xs: list[Any], ys: list[Any], answers: dict[tuple[str, str], float]) -> str:
    """Why two outlets' statements of one fact are in two claims: what the matcher answered for the
    best pair of their clause runs, or that it was never asked (cosine below the floor, not among the
    nearest, or no statement leading its claim)."""
    from newsfuse import defaults
    from newsfuse.fuse.claims import samefact

    best = _best_answer(xs, ys, answers)
    if best is None:
        return "matcher never asked"
    threshold = (defaults.CLAIM_SAME_FACT_PROBABILITY if samefact.packaged() is not None
                 else defaults.CLAIM_MATCH_PROBABILITY)
    return "matcher said yes, join refused" if best >= threshold else "matcher said no"


def _story_entities(store: Any, article_ids: set[str]) -> dict[str, Any]:
    """The entities of a story's articles by ID, with their (story's) articles."""
    from newsfuse.store import queries

    return {e.id: e for e in queries.list_entities(store, sorted(article_ids))}


def facts_why(store: Any, triplets: list[dict[str, Any]]) -> dict[str, Any]:
    """Each shared fact the product misses, with its cause: an outlet's cue holds no statement; the
    outlets' statements are in one claim that is not corroborated (its status given); or they are in
    several claims, with, per pair of outlets in different claims, the matcher's best answer on their
    clause runs (:func:`_pair_cause`). Re-fuses every story once, recording (:class:`_FuseRecorder`)."""
    from collections import Counter

    from newsfuse.fuse.pipeline import fuse_story
    from newsfuse.store import queries

    by_url = {a.url: a for a in queries.list_articles(store, [a.id for a in queries.list_articles(store)])}
    causes: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    # split pairs the matcher said no to, by its best answer (' mutual': their statements were
    # mutual-best, when CLAIM_MUTUAL_BEST is on)
    said_no: Counter[str] = Counter()
    refused: Counter[str] = Counter()  # the same pairs by kind (_refusal_kinds; a pair has several)
    actors: Counter[str] = Counter()  # those whose actors resolve apart, by why (_actor_kinds)
    bridged: Counter[str] = Counter()  # those the acts-for relation bridges (_acts_for_kinds)
    rows = []
    with _FuseRecorder() as rec:
        for story in queries.list_stories(store):
            rec.mutual, rec.node = {}, {}
            fuse_story(store, story.id)
            ids = set(queries.story_article_ids(store, story.id))
            claims = queries.story_claims(store, story.id)
            ents = None  # the story's entities, read when a split pair needs them
            for t, triplet in enumerate(triplets):
                for f, fact in enumerate(triplet["facts"]):
                    arts = [by_url[u] for u in fact["cues"] if u in by_url and by_url[u].id in ids]
                    if fact["kind"] != "shared" or not arts:
                        continue
                    cues = {a.id: _cue_range(a.text, fact["cues"][a.url]) for a in arts}
                    if len(arts) < len(fact["cues"]) or None in cues.values():
                        cause = "outlets in different stories or cue not found"
                    else:
                        told = {a: [s for s in rec.items if s.article.id == a and s.span.start < r[1]
                                    and r[0] < s.span.end] for a, r in cues.items() if r is not None}
                        where = [{rec.cluster.get(id(s)) for s in v} for v in told.values()]
                        if not all(told.values()):
                            cause = "no statement from one outlet's sentence"
                        elif set.intersection(*where) - {None}:
                            held = [c.status for c in claims if all(
                                any(sp.article_id == a and sp.start < r[1] and r[0] < sp.end
                                    for s in c.sources for sp in s.evidence) for a, r in cues.items() if r)]
                            if held and "corroborated" in held:
                                continue  # found
                            cause = "one claim, " + (held[0] if held else "no claim (weak statements only)")
                        else:
                            found = [_pair_cause(x, y, rec.answers) for (i, x), (j, y) in
                                     itertools.combinations(enumerate(told.values()), 2)
                                     if not where[i] & where[j]]
                            pairs.update(found)
                            said_no.update(_said_no_band(p) + (" mutual" if rec.mutual_pair(x, y) else "")
                                           for (i, x), (j, y) in
                                           itertools.combinations(enumerate(told.values()), 2)
                                           if not where[i] & where[j] and (p := _best_answer(
                                               x, y, rec.answers)) is not None
                                           and _pair_cause(x, y, rec.answers) == "matcher said no")
                            refused.update(k for (i, x), (j, y) in
                                           itertools.combinations(enumerate(told.values()), 2)
                                           if not where[i] & where[j]
                                           and _pair_cause(x, y, rec.answers) == "matcher said no"
                                           for k in _refusal_kinds(x, y, rec.answers))
                            if ents is None:
                                ents = _story_entities(store, ids)
                            actors.update(k for (i, x), (j, y) in
                                          itertools.combinations(enumerate(told.values()), 2)
                                          if not where[i] & where[j]
                                          and _pair_cause(x, y, rec.answers) == "matcher said no"
                                          and "actors differ" in _refusal_kinds(x, y, rec.answers)
                                          for k in _actor_kinds(x, y, ents))
                            bridged.update(k for (i, x), (j, y) in
                                           itertools.combinations(enumerate(told.values()), 2)
                                           if not where[i] & where[j]
                                           and _pair_cause(x, y, rec.answers) == "matcher said no"
                                           and "actors differ" in _refusal_kinds(x, y, rec.answers)
                                           for k in _acts_for_kinds(x, y))
                            cause = "split over claims: " + " + ".join(sorted(set(found)))
                    causes[cause] += 1
                    rows.append({"triplet": t, "fact": f, "cause": cause})
    return {"causes": dict(causes.most_common()), "outlet_pairs_split": dict(pairs.most_common()),
            "said_no_best_answer": dict(sorted(said_no.items())),
            "said_no_kinds": dict(sorted(refused.items())),
            "actors_differ_kinds": dict(actors.most_common()),
            "acts_for_bridged": dict(sorted(bridged.items())), "missed": rows}


class _Cost:
    """Pairs the matcher sees (each ``pairs.MEMO`` question; kept answers are dropped before each
    variant, so every question is scored) and pairs the cross-encoder reads (each a transformer
    reading, both orders: kept logits are dropped before each variant too), while the product fuses."""

    def __enter__(self) -> _Cost:
        from newsfuse.fuse.claims import crossencoder
        from newsfuse.fuse.claims import pairs as claimpairs

        self.asked = self.read = 0
        self._saved = claimpairs.MEMO.probability, crossencoder.CrossEncoder.mean_logits
        probability, both = self._saved

        def ask(*args: Any, **kwargs: Any) -> float:
            self.asked += 1
            return probability(*args, **kwargs)

        def read(model: Any, pairs: Any) -> Any:
            self.read += len(pairs)
            return both(model, pairs)

        claimpairs.MEMO.probability = ask  # type: ignore[method-assign]
        crossencoder.CrossEncoder.mean_logits = read  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        from newsfuse.fuse.claims import crossencoder
        from newsfuse.fuse.claims import pairs as claimpairs

        claimpairs.MEMO.probability = self._saved[0]  # type: ignore[method-assign]
        crossencoder.CrossEncoder.mean_logits = self._saved[1]  # type: ignore[method-assign]


# The matcher settings a facts/ variant sets (defaults names), each variant on the same analyses.
_FACT_SETTINGS = ("CLAIM_MATCH_CROSS_ENCODER", "CLAIM_MATCH_MIN_COSINE", "CLAIM_SAME_FACT_MODEL",
                  "CLAIM_ARGUMENT_PAIRS_MAX", "CLAIM_MUTUAL_BEST", "CLAIM_MUTUAL_PROBABILITY",
                  "CLAIM_JOINT_ASSIGN", "CLAIM_SAME_PLACE_PROBABILITY", "CLAIM_SAME_TARGET_PROBABILITY",
                  "CLAIM_SAME_PLACE_ACT_PROBABILITY", "CLAIM_SAME_PARTIES_ACT_PROBABILITY",
                  "CLAIM_TOLD_WITHIN_PROBABILITY", "CLAIM_TOLD_WITHIN_SHARE", "CLAIM_TOLD_WITHIN_ACT",
                  "CLAIM_ACTS_FOR_PARTIES_ACT_PROBABILITY", "CLAIM_ACTS_FOR_AGREEMENT")


def fact_variants(cross_encoder: bool, peer_floor: float | None, mutual_bars: Sequence[float] = (),
                  evidence_bars: Sequence[tuple[float, ...]] = (), within: Sequence[tuple[float, ...]] = (),
                  acts_for: Sequence[tuple[float, ...]] = ()) -> list[tuple[str, dict[str, Any]]]:
    """(name, settings) of the meaning variants facts/ scores: the paraphrase matcher (first stage;
    with ``cross_encoder`` also both stages, slow) and the same-fact model of one story, each alone
    and with the pairs sharing arguments offered under the cosine floor; the first stage with argument
    pairs and mutual-best statements (fuse/claims/mutual.py) at ``CLAIM_MUTUAL_PROBABILITY`` and at
    each of ``mutual_bars``; the first stage with argument pairs and the joint assignment inside
    ambiguous run pairs (``CLAIM_JOINT_ASSIGN``, session 14); that with lower bars for one place / one
    target (and, session 16, one act in one place / one act of the same two parties) at the shipped bars
    and at each of ``evidence_bars`` (P/T or P/T/A/Q; the last two at the matcher's point unless given;
    session 15); that with the shipped bars and, session 17, a lower bar for two runs one told within
    the other at the shipped B/S/A (``CLAIM_TOLD_WITHIN_PROBABILITY``, ``_SHARE``, ``_ACT``, when on) and
    at each of ``within``; session 19: those settings with the acts-for bar and agreement weight of each
    of ``acts_for`` (B/W: ``CLAIM_ACTS_FOR_PARTIES_ACT_PROBABILITY``, ``CLAIM_ACTS_FOR_AGREEMENT``); each
    again at ``peer_floor``."""
    from newsfuse import defaults

    floor, arguments = defaults.CLAIM_MATCH_MIN_COSINE, defaults.CLAIM_ARGUMENT_PAIRS_MAX or 400
    bar, point = defaults.CLAIM_MUTUAL_PROBABILITY, defaults.CLAIM_MATCH_PROBABILITY
    shipped_bars = (defaults.CLAIM_SAME_PLACE_PROBABILITY, defaults.CLAIM_SAME_TARGET_PROBABILITY,
                    defaults.CLAIM_SAME_PLACE_ACT_PROBABILITY, defaults.CLAIM_SAME_PARTIES_ACT_PROBABILITY)
    asked = (tuple([*b, point, point][:4]) for b in (shipped_bars, *evidence_bars))
    lowered = [b for b in dict.fromkeys(asked) if min(b) < point]

    def bars_name(bars: tuple[float, ...]) -> str:
        shown = bars if bars[2:] != (point, point) else bars[:2]  # session 15's names kept
        return "_".join(f"{b:g}" for b in shown)

    told = (defaults.CLAIM_TOLD_WITHIN_PROBABILITY, defaults.CLAIM_TOLD_WITHIN_SHARE,
            float(defaults.CLAIM_TOLD_WITHIN_ACT))
    withins = [w for w in dict.fromkeys((told, *within)) if w[0] < point]
    shipped_evidence = {"CLAIM_SAME_PLACE_PROBABILITY": shipped_bars[0],
                        "CLAIM_SAME_TARGET_PROBABILITY": shipped_bars[1],
                        "CLAIM_SAME_PLACE_ACT_PROBABILITY": shipped_bars[2],
                        "CLAIM_SAME_PARTIES_ACT_PROBABILITY": shipped_bars[3]}

    def setting(model: bool, pairs: int) -> dict[str, Any]:
        return {"CLAIM_SAME_FACT_MODEL": model, "CLAIM_ARGUMENT_PAIRS_MAX": pairs}

    found: list[tuple[str, dict[str, Any]]] = [
        ("meaning_first_stage_only", setting(False, 0)),
        ("first_stage_argument_pairs", setting(False, arguments)),
        ("first_stage_joint_assignment", {**setting(False, arguments), "CLAIM_JOINT_ASSIGN": True}),
        *((f"first_stage_evidence_{bars_name((p, t, a, q))}", {
            **setting(False, arguments), "CLAIM_JOINT_ASSIGN": True, "CLAIM_SAME_PLACE_PROBABILITY": p,
            "CLAIM_SAME_TARGET_PROBABILITY": t, "CLAIM_SAME_PLACE_ACT_PROBABILITY": a,
            "CLAIM_SAME_PARTIES_ACT_PROBABILITY": q}) for p, t, a, q in lowered),
        *((f"first_stage_within_{b:g}_{w:g}_{int(a)}", {
            **setting(False, arguments), "CLAIM_JOINT_ASSIGN": True, **shipped_evidence,
            "CLAIM_TOLD_WITHIN_PROBABILITY": b, "CLAIM_TOLD_WITHIN_SHARE": w,
            "CLAIM_TOLD_WITHIN_ACT": bool(a)}) for b, w, a in withins),
        *((f"first_stage_acts_for_{b:g}_{w:g}", {
            **setting(False, arguments), "CLAIM_JOINT_ASSIGN": True, **shipped_evidence,
            "CLAIM_TOLD_WITHIN_PROBABILITY": told[0], "CLAIM_ACTS_FOR_PARTIES_ACT_PROBABILITY": b,
            "CLAIM_ACTS_FOR_AGREEMENT": w}) for b, w in acts_for),
        *((f"first_stage_mutual_best_{b:g}", {**setting(False, arguments), "CLAIM_MUTUAL_BEST": True,
                                               "CLAIM_MUTUAL_PROBABILITY": b})
          for b in dict.fromkeys((bar, *mutual_bars))),
        *((f"first_stage_mutual_last_{b:g}", {**setting(False, arguments), "MUTUAL_LAST": True,
                                               "CLAIM_MUTUAL_PROBABILITY": b})
          for b in dict.fromkeys((bar, *mutual_bars))),
        ("same_fact_model", setting(True, 0)),
        ("same_fact_model_argument_pairs", setting(True, arguments)),
    ]
    if cross_encoder:
        # session 20: what ships with the second stage switched on (every other setting as shipped)
        shipped = {name: getattr(defaults, name) for name in _FACT_SETTINGS}
        found[2:2] = [("meaning_two_stages", {**setting(False, 0), "CLAIM_MATCH_CROSS_ENCODER": True}),
                      ("two_stages_argument_pairs",
                       {**setting(False, arguments), "CLAIM_MATCH_CROSS_ENCODER": True}),
                      ("shipped_two_stages", {**shipped, "CLAIM_MATCH_CROSS_ENCODER": True})]
    found = [(name, {"CLAIM_MATCH_CROSS_ENCODER": False, "CLAIM_MATCH_MIN_COSINE": floor,
                     "CLAIM_MUTUAL_BEST": False, "CLAIM_MUTUAL_PROBABILITY": bar, "MUTUAL_LAST": False,
                     "CLAIM_JOINT_ASSIGN": False, "CLAIM_SAME_PLACE_PROBABILITY": point,
                     "CLAIM_SAME_TARGET_PROBABILITY": point, "CLAIM_SAME_PLACE_ACT_PROBABILITY": point,
                     "CLAIM_SAME_PARTIES_ACT_PROBABILITY": point, "CLAIM_TOLD_WITHIN_PROBABILITY": point,
                     "CLAIM_TOLD_WITHIN_SHARE": told[1], "CLAIM_TOLD_WITHIN_ACT": bool(told[2]),
                     "CLAIM_ACTS_FOR_PARTIES_ACT_PROBABILITY": point, "CLAIM_ACTS_FOR_AGREEMENT": 0.0, **v})
             for name, v in found]
    if peer_floor is not None:
        found += [(f"{name}_floor_{peer_floor:g}", {**v, "CLAIM_MATCH_MIN_COSINE": peer_floor})
                  for name, v in found]
    return found


_JOIN_CHAINED: list[Any] = []  # build.join_chained as shipped, while a variant wraps it


def _mutual_last(on: bool) -> None:
    """Whether the fuse runs mutual-best statements as a pass of its own after every other join
    (``meaning.join_mutual`` after ``build.join_chained``; the product runs it inside the meaning pass,
    ``CLAIM_MUTUAL_BEST``): a variant of the bench, the product's code unchanged."""
    from newsfuse.fuse.claims import build, meaning

    if not _JOIN_CHAINED:
        _JOIN_CHAINED.append(build.join_chained)
    shipped = _JOIN_CHAINED[0]

    def chained_then_mutual(clusters: Any, chains: Any, vectors: Any) -> Any:
        return meaning.join_mutual(shipped(clusters, chains, vectors), vectors)

    build.join_chained = chained_then_mutual if on else shipped  # type: ignore[assignment]


def _drop_logits() -> None:
    """Cross-encoder logits neither kept in this process nor in the store from here on (a variant's
    fuse reads every pair a first fuse reads; before session 20 nothing was kept, so nothing is done)."""
    from newsfuse import defaults
    from newsfuse.fuse.claims import crossencoder

    if hasattr(crossencoder, "LOGITS"):
        crossencoder.LOGITS.clear()
        defaults.CLAIM_CROSS_LOGITS_STORED = False


def run_facts(data_path: Path, why: bool = False, peer_floor: float | None = None,
              cross_encoder: bool = False, mutual_bars: Sequence[float] = (),
              evidence_bars: Sequence[tuple[float, ...]] = (), within: Sequence[tuple[float, ...]] = (),
              acts_for: Sequence[tuple[float, ...]] = ()) -> dict[str, Any]:
    """facts/: the product without meaning matching and with it (:func:`fact_variants`), on one ingest
    and analysis; per variant the matcher's pairs and the CPU seconds of a cold fuse of every story."""
    from newsfuse import defaults
    from newsfuse.fuse.claims import pairs as claimpairs
    from newsfuse.fuse.pipeline import fuse_story
    from newsfuse.store import queries

    started = time.perf_counter()
    folder = data_path / "facts"
    triplets = json.loads((folder / "facts_dev.json").read_text(encoding="utf-8"))["triplets"]
    out: dict[str, Any] = {}
    variants = fact_variants(cross_encoder, peer_floor, mutual_bars, evidence_bars, within, acts_for)
    saved = {name: getattr(defaults, name)  # (logits kept in the store: from session 20 on)
             for name in (*_FACT_SETTINGS, "CLAIM_MATCH_BY_MEANING", "CLAIM_CROSS_LOGITS_STORED")
             if hasattr(defaults, name)}
    with tempfile.TemporaryDirectory() as tmp:
        try:
            defaults.CLAIM_MATCH_BY_MEANING = False
            store = _fuse_articles(folder / "articles_dev.jsonl", Path(tmp) / "facts.db")
            out["words_only"] = facts_scores(store, triplets)
            defaults.CLAIM_MATCH_BY_MEANING = True
            for story in queries.list_stories(store):  # sentence vectors computed and kept: CPU
                fuse_story(store, story.id)  # figures below compare the passes, not the encoder
            for name, settings in variants:
                for key, value in settings.items():
                    if key != "MUTUAL_LAST":
                        setattr(defaults, key, value)
                _mutual_last(settings.get("MUTUAL_LAST", False))
                # kept matcher decisions, logits and neighbours are dropped: each variant is a cold fuse
                claimpairs.MEMO.clear()
                claimpairs.NEIGHBOURS.clear()
                _drop_logits()
                stories = queries.list_stories(store)
                cpu = time.process_time()
                with _Cost() as cost:
                    for story in stories:
                        fuse_story(store, story.id)
                cpu = time.process_time() - cpu
                out[name] = facts_scores(store, triplets)
                out[name]["matcher_pairs_per_story"] = round(cost.asked / max(len(stories), 1), 1)
                out[name]["cross_encoder_pairs_per_story"] = round(cost.read / max(len(stories), 1), 1)
                out[name]["fuse_cpu_seconds"] = round(cpu, 2)
            shipped = next((n for n, v in variants if all(v[k] == saved[k] for k in _FACT_SETTINGS)), None)
            if shipped is not None:
                out["with_meaning"] = out[shipped]
            if why:  # the causes of what the product as set misses
                for key in _FACT_SETTINGS:
                    setattr(defaults, key, saved[key])
                claimpairs.MEMO.clear()
                out["why_missed"] = facts_why(store, triplets)
            store.close()
        finally:
            _mutual_last(False)
            for key, value in saved.items():
                setattr(defaults, key, value)
    out["seconds"] = round(time.perf_counter() - started, 1)
    for name in ("words_only", *(v[0] for v in variants)):
        s = out[name]
        print(f"facts {name:<34} shared found {s['shared_found']}/{s['shared']}  singles right "
              f"{s['singles_right']}/{s['singles']}  claims joining two facts "
              f"{s['claims_joining_two_facts']}"
              + (f"  (per story: matcher {s['matcher_pairs_per_story']} pairs, cross-encoder "
                 f"{s['cross_encoder_pairs_per_story']}; cold fuse {s['fuse_cpu_seconds']} s CPU)"
                 if "matcher_pairs_per_story" in s else ""))
    if why:
        for cause, n in out["why_missed"]["causes"].items():
            print(f"facts missed {n:>3}  {cause}")
        print("facts split outlet pairs the matcher said no to, by its best answer: "
              + ", ".join(f"{band} {n}" for band, n in out["why_missed"]["said_no_best_answer"].items()))
        print("facts split outlet pairs the matcher said no to, by kind: "
              + ", ".join(f"{kind} {n}" for kind, n in out["why_missed"]["said_no_kinds"].items()))
        print("facts split outlet pairs whose actors resolve apart, by why: "
              + ", ".join(f"{kind} {n}" for kind, n in out["why_missed"]["actors_differ_kinds"].items()))
        print("facts split outlet pairs whose actors resolve apart, bridged by acts-for: "
              + (", ".join(f"{kind} {n}" for kind, n in out["why_missed"]["acts_for_bridged"].items())
                 or "none"))
    return out


# --- samefact: ECB+ same-event pairs (dev once) and the candidate floor (train) -----------------

FLOORS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
FLOOR_NEIGHBOURS = (4, 8, 16)
FLOOR_RECALL_SLACK = 0.01  # the floor kept: the highest whose recall is within this of the lowest floor's


def run_floor(data_path: Path) -> dict[str, Any]:
    """Candidate recall on ECB+ train stories: per cosine floor and neighbour count, the share of
    positive pairs (two documents' sentences of one event chain) the meaning pass would offer the
    matcher, and pairs offered per story (the cost). The cost is bounded by the neighbour count; at
    the shipped count the floor kept is the highest within ``FLOOR_RECALL_SLACK`` of the lowest
    floor's recall (lower floors add cost and no recall)."""
    import samefact_pairs

    from newsfuse import defaults
    from newsfuse.fuse.claims import encoder as claimencoder

    started = time.perf_counter()
    sentences = samefact_pairs.all_sentences(data_path / "ecbplus", "Train")
    vectors = claimencoder.encode([s.text for s in sentences])
    table = samefact_pairs.candidate_table(sentences, vectors, FLOORS, FLOOR_NEIGHBOURS)
    mine = [r for r in table if r["neighbours"] == defaults.CLAIM_MATCH_NEIGHBOURS]
    top = max(r["recall"] for r in mine)
    chosen = max(r["floor"] for r in mine if r["recall"] >= top - FLOOR_RECALL_SLACK)
    for r in table:
        print(f"floor {r['floor']:.2f} neighbours {r['neighbours']:>2}: recall {r['recall']:.3f}  "
              f"pairs per story {r['pairs_per_story']}")
    print(f"floor chosen at {defaults.CLAIM_MATCH_NEIGHBOURS} neighbours: {chosen} "
          f"(shipped CLAIM_MATCH_MIN_COSINE {defaults.CLAIM_MATCH_MIN_COSINE})")
    return {"split": "ECB+ train", "table": table, "chosen": chosen,
            "shipped": defaults.CLAIM_MATCH_MIN_COSINE, "seconds": round(time.perf_counter() - started, 1)}


def run_samefact(data_path: Path) -> dict[str, Any]:
    """ECB+ dev same-event pairs (bench/samefact_pairs.py), scored once with what ships: the
    cross-encoder's same-fact head and its MSRP head (logit >= 0), the product's matcher (first stage
    alone, and both stages), against MiniLM cosine with its threshold tuned on ECB+ train pairs."""
    import samefact_pairs

    from newsfuse import defaults
    from newsfuse.fuse.claims import crossencoder
    from newsfuse.fuse.claims import match as claimmatch

    started = time.perf_counter()
    train = samefact_pairs.read_pairs(data_path / "ecbplus", "Train")
    dev = samefact_pairs.read_pairs(data_path / "ecbplus", "Dev")
    y = np.array([p.label for p in dev])
    cos = train_claims.cosines(dev)  # type: ignore[arg-type]
    x = train_claims.feature_matrix(dev, cos)  # type: ignore[arg-type]
    z = crossencoder.both_logits([(p.a, p.b) for p in dev])
    matcher = claimmatch.packaged()
    cut = best_threshold(train_claims.cosines(train), np.array([p.label for p in train]))  # type: ignore[arg-type]
    saved = defaults.CLAIM_MATCH_CROSS_ENCODER
    out: dict[str, Any] = {"dev_pairs": len(dev), "positive_share": round(float(y.mean()), 4)}
    try:
        defaults.CLAIM_MATCH_CROSS_ENCODER = True
        paired = crossencoder.pair_logits([(p.a, p.b) for p in dev])
        out["matcher_two_stages"] = train_claims.scores(train_claims.predict_two(matcher, x, paired), y)
        out["matcher_first_stage"] = train_claims.scores(
            train_claims.predict(matcher.first, x), y)
    finally:
        defaults.CLAIM_MATCH_CROSS_ENCODER = saved
    out["samefact_head"] = train_claims.scores((z[:, 1] >= 0).astype(int), y)
    out["msrp_head"] = train_claims.scores((z[:, 0] >= 0).astype(int), y)
    out["minilm_cosine"] = train_claims.scores((cos >= cut).astype(int), y)
    for name in ("samefact_head", "msrp_head", "matcher_two_stages", "matcher_first_stage", "minilm_cosine"):
        s = out[name]
        print(f"ecb+ dev same event {name:<20} accuracy {s['accuracy']:.4f}  F1 {s['f1']:.4f}")
    out["seconds"] = round(time.perf_counter() - started, 1)
    return out


# --- conflicts (another engineer's section) ----------------------------------------------------

def run_conflicts(data_path: Path) -> dict[str, Any] | None:
    if not (BENCH / "claimconflicts.py").exists():
        return None
    # A plain import registers the module in sys.modules, which its dataclasses need.
    import claimconflicts

    result: dict[str, Any] = claimconflicts.run(data_path)
    return result


# --- alignment (bench/claimalign.py) ----------------------------------------------------------

def run_alignment(data_path: Path, splits: list[str], topics: int | None) -> dict[str, Any]:
    import claimalign

    result: dict[str, Any] = claimalign.run(data_path, splits, topics)
    return result


def override(settings: list[str]) -> None:
    """Set ``NAME=VALUE`` settings of newsfuse/defaults.py for this run (each printed)."""
    import ast

    from newsfuse import defaults

    for item in settings:
        name, _, value = item.partition("=")
        if not hasattr(defaults, name):
            raise SystemExit(f"--set {item}: newsfuse/defaults.py has no setting {name!r}")
        setattr(defaults, name, ast.literal_eval(value))
        print(f"setting {name} = {getattr(defaults, name)!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path, help="folder laid out like ../shared/bench")
    ap.add_argument("--test", type=Path, help="MSRP-format pairs scored once after fitting on all of train")
    ap.add_argument("--sections", default="msrp,alignment,facts,conflicts")
    ap.add_argument("--align-splits", default="ecb_dev,gvc_val", help="ecb_dev, gvc_val, ecb_train")
    ap.add_argument("--align-topics", type=int, help="first N ECB+ topics / GVC incidents (a quick run)")
    ap.add_argument("--folds", type=int,
                    help="MSRP CV folds (default: the shipped cross-encoder's, bench/train_pairmodel.py "
                    "--folds; 10 without one)")
    ap.add_argument("--cross-encoder", action="store_true",
                    help="MSRP: also score the other matcher variant (needs bench/train_pairmodel.py's "
                    "fold models); facts: also the paraphrase matcher's two stages (slow)")
    ap.add_argument("--limit", type=int, help="first N MSRP pairs (a quick slice)")
    ap.add_argument("--why", action="store_true", help="facts: the cause of each missed shared fact")
    ap.add_argument("--peer-floor", type=float,
                    help="facts: both matcher variants again at this cosine floor (a before/after pair)")
    ap.add_argument("--mutual-bars", default="",
                    help="facts: mutual-best statements again at these bars (comma-separated), beside the "
                    "shipped CLAIM_MUTUAL_PROBABILITY")
    ap.add_argument("--evidence-bars", default="",
                    help="facts: lower matcher bars for one place / one target again at these P/T pairs "
                    "(comma-separated, e.g. 0.1/0.1,0.2/0.5), or P/T/A/Q with one act in one place / "
                    "one act of the same two parties, beside the shipped bars")
    ap.add_argument("--within", default="",
                    help="facts: a lower matcher bar for two runs one told within the other at these "
                    "B/S/A (bar, share, 1: one act needed; comma-separated), beside the shipped gate")
    ap.add_argument("--acts-for", default="",
                    help="facts: the acts-for bar and agreement weight (session 19) at these B/W "
                    "(comma-separated, e.g. 0.1/0,0.3/1), beside the shipped gate")
    ap.add_argument("--matcher", type=Path,
                    help="read the paraphrase matcher from this file instead of the shipped matcher.json "
                    "(e.g. bench/train_claims.py --string-features --out PATH)")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="override a setting of newsfuse/defaults.py for the run (a Python literal), e.g. "
                    "CLAIM_SAME_FACT_MODEL=True")
    args = ap.parse_args(argv)
    override(args.set)
    sections: dict[str, Callable[[], Any]] = {
        "msrp": lambda: run_msrp(args.data, args.test, args.folds, args.limit, args.cross_encoder),
        "conflicts": lambda: run_conflicts(args.data),
        "cost": lambda: run_cost(args.data, args.limit),
    }
    bars = [float(x) for x in args.mutual_bars.split(",") if x.strip()]
    evidence = [tuple(float(b) for b in x.split("/")) for x in args.evidence_bars.split(",") if x.strip()]
    if args.matcher is not None:
        from newsfuse.fuse.claims import match as claimmatch

        claimmatch.MODEL_PATH = args.matcher
        claimmatch.packaged.cache_clear()
        print(f"matcher {args.matcher}")
    within = [tuple(float(b) for b in x.split("/")) for x in args.within.split(",") if x.strip()]
    acts_for = [tuple(float(b) for b in x.split("/")) for x in args.acts_for.split(",") if x.strip()]
    sections["facts"] = lambda: run_facts(args.data, args.why, args.peer_floor, args.cross_encoder, bars,
                                          evidence, within, acts_for)
    sections["samefact"] = lambda: run_samefact(args.data)
    sections["floor"] = lambda: run_floor(args.data)
    sections["alignment"] = lambda: run_alignment(args.data, args.align_splits.split(","), args.align_topics)
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
