"""Train the attribution-cue classifier (newsfuse/analyze/quotes/cuemodel.py) on a PolNeAR split.

Usage (from the project root, inside the venv)::

    python bench/train_quotes.py ../shared/bench/polnear/train [--eval ../shared/bench/polnear/dev]
        [--out newsfuse/data/quotes/cuemodel.json] [--cache /tmp/newsfuse-parses] [--limit N]
        [--holdout N]

Held-out protocol (how every threshold and rule change is chosen, never on dev): ``--holdout 600
--out /tmp/m.json`` trains on the first 600 training texts and reports the quote figures on texts
600-839 of the same split; the packaged model is then trained on all 840.

Every token that can head a cue (a verb, noun, adjective or auxiliary) is one example; it is
positive when it is the syntactic head of a gold cue span (the token of the span whose head lies
outside it: 'said' in 'has said', 'according' in 'according to'). A logistic regression
(scikit-learn, L2) is fitted on binary features; features seen fewer than ``--min-count`` times
are dropped and the surviving weights written as JSON, which newsfuse reads without scikit-learn.

The span chooser (cuemodel.choose_source) is fitted last: one example per source variant of every
attribution found with the new models whose variants include a gold source span, positive when it is
that span.

Parses are cached (pickled ParsedDocs keyed by a hash of model and text) because parsing the 840
training texts takes minutes on a shared machine. With ``--eval`` the script reports the token
classifier on another split and the quote figures of bench/quotes.py on it (source, cue, content
and pair P/R/F1) computed from the cached parses, with the learned cues and without them (the
peer measured in the same run). The last line printed is one JSON object with all figures.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import pickle
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsfuse import defaults  # noqa: E402
from newsfuse.analyze import nlp  # noqa: E402
from newsfuse.analyze.parse import ParsedDoc  # noqa: E402
from newsfuse.analyze.quotes import cuemodel  # noqa: E402
from newsfuse.analyze.quotes import extract as quotes  # noqa: E402
from newsfuse.analyze.quotes.marks import find_quote_spans  # noqa: E402


def _bench_quotes() -> Any:
    """bench/quotes.py (reader and scorer), imported by path: bench/ is no package."""
    spec = importlib.util.spec_from_file_location("bench_quotes", ROOT / "bench" / "quotes.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_quotes"] = mod  # dataclasses look their module up while being built
    spec.loader.exec_module(mod)
    return mod


BQ = _bench_quotes()


def parsed_docs(texts: Sequence[str], cache: Path) -> list[ParsedDoc]:
    """ParsedDocs of the texts, parsing only those not cached yet."""
    cache.mkdir(parents=True, exist_ok=True)
    keys = [hashlib.sha1((defaults.SPACY_MODEL + "\0" + t).encode()).hexdigest() for t in texts]
    todo = [(k, t) for k, t in zip(keys, texts, strict=True) if not (cache / f"{k}.pkl").exists()]
    if todo:
        print(f"parsing {len(todo)} texts (cached in {cache})", flush=True)
        for (k, _), pd in zip(todo, nlp.parse_many([t for _, t in todo]), strict=True):
            pd._children = None
            (cache / f"{k}.pkl").write_bytes(pickle.dumps(pd))
    return [pickle.loads((cache / f"{k}.pkl").read_bytes()) for k in keys]


def cue_heads(doc: ParsedDoc, gold: Any) -> set[int]:
    """Token indices heading a gold cue span (the token whose head lies outside the span)."""
    heads = set()
    for a in gold.attrs:
        if not a.cue:
            continue
        toks = [i for i, t in enumerate(doc.tokens) if any(s <= t.idx < e for s, e in a.cue)]
        inside = set(toks)
        top = [i for i in toks if doc.tokens[i].head not in inside or doc.tokens[i].head == i]
        words = [i for i in top if cuemodel.candidate(doc, i)]
        words = words or [i for i in toks if cuemodel.candidate(doc, i)]
        if words:
            heads.add(words[0])
    return heads


def examples(docs: Sequence[ParsedDoc], golds: Sequence[Any]) -> tuple[list[list[str]], list[int]]:
    """Cue-classifier examples: features and 0/1 label of every candidate token."""
    xs, ys = [], []
    for doc, gold in zip(docs, golds, strict=True):
        heads = cue_heads(doc, gold)
        marks = find_quote_spans(doc.text)
        for i in range(len(doc.tokens)):
            if cuemodel.candidate(doc, i):
                xs.append(cuemodel.token_features(doc, i, marks))
                ys.append(int(i in heads))
    return xs, ys


def fit(xs: list[list[str]], ys: list[int], c: float, min_count: int) -> cuemodel.Linear:
    """L2 logistic regression on binary features seen at least ``min_count`` times."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for x in xs for f in set(x))
    keep = [{f: 1 for f in x if counts[f] >= min_count} for x in xs]
    vec = DictVectorizer()
    mat = vec.fit_transform(keep).tocsr()
    mat.indices, mat.indptr = mat.indices.astype("int32"), mat.indptr.astype("int32")  # liblinear's need
    clf = LogisticRegression(C=c, max_iter=2000, solver="liblinear")
    clf.fit(mat, ys)
    names = vec.get_feature_names_out()
    weights = {str(n): round(float(w), 4) for n, w in zip(names, clf.coef_[0], strict=True) if abs(w) >= 1e-3}
    return cuemodel.Linear(weights, round(float(clf.intercept_[0]), 4))


def accept_examples(
    docs: Sequence[ParsedDoc], golds: Sequence[Any], model: cuemodel.CueModel
) -> tuple[list[list[str]], list[int]]:
    """Acceptance examples: every proposed attribution, positive when a gold attribution shares
    characters with both its cue and its content."""
    xs, ys = [], []
    for doc, gold in zip(docs, golds, strict=True):
        found, probs = quotes.proposals(doc, find_quote_spans(doc.text), model)
        assert probs is not None
        for a in found:
            xs.append(quotes.attribution_features(doc, a, probs, found))
            ys.append(int(any(_touches(g.cue, a.cue) and _touches(g.content, a.content) for g in gold.attrs)))
    return xs, ys


def _touches(segs: Any, span: tuple[int, int]) -> bool:
    return bool(segs) and any(s < span[1] and span[0] < e for s, e in segs)


def train(docs: Sequence[ParsedDoc], golds: Sequence[Any], c: float, min_count: int) -> tuple[
        cuemodel.CueModel, dict[str, Any]]:
    """The cue classifier on all texts; the acceptance model on proposals made with cue models
    cross-fitted on the other half (so it sees the cue probabilities of unseen text)."""
    xs, ys = examples(docs, golds)
    cue = fit(xs, ys, c, min_count)
    ax: list[list[str]] = []
    ay: list[int] = []
    for fold in (0, 1):
        rest = [i for i in range(len(docs)) if i % 2 != fold]
        part = [i for i in range(len(docs)) if i % 2 == fold]
        fx, fy = examples([docs[i] for i in rest], [golds[i] for i in rest])
        half = cuemodel.CueModel(fit(fx, fy, c, min_count))
        px, py = accept_examples([docs[i] for i in part], [golds[i] for i in part], half)
        ax += px
        ay += py
    accept = fit(ax, ay, c, 2)
    sx, sy = span_examples(docs, golds, cuemodel.CueModel(cue, accept))
    span = fit(sx, sy, c, 2)
    stats = {"train_tokens": len(ys), "train_cues": sum(ys), "accept_examples": len(ay),
             "accept_positive": sum(ay), "span_examples": len(sy), "span_positive": sum(sy),
             "train_token": token_scores(cuemodel.CueModel(cue), xs, ys)}
    return cuemodel.CueModel(cue, accept, span), stats


def span_examples(
    docs: Sequence[ParsedDoc], golds: Sequence[Any], model: cuemodel.CueModel
) -> tuple[list[list[str]], list[int]]:
    """Span-chooser examples: every source variant (cuemodel.source_variants) of every accepted
    attribution with a speaker, positive when it is a gold source span; attributions none of whose
    variants is a gold source teach nothing about the boundary and are left out."""
    xs, ys = [], []
    for doc, gold in zip(docs, golds, strict=True):
        wanted = {BQ._norm(gold.text, a.source) for a in gold.attrs if a.source}
        found, probs = quotes.proposals(doc, find_quote_spans(doc.text), model)
        assert probs is not None
        for a in quotes.accepted(doc, found, probs, model):
            head = BQ.source_head(doc, a.speaker) if a.speaker else None
            cue = doc.token_at(a.cue[0])  # as bench/quotes.py finds it from the Quote record
            if a.speaker is None or head is None or cue is None:
                continue
            cands = cuemodel.source_variants(doc, a.speaker, head, cue)
            labels = [int(BQ._norm(gold.text, (sp,)) in wanted) for _, sp, _ in cands]
            if len(cands) > 1 and any(labels):
                xs += [cuemodel.variant_features(doc, n, added, head, cue) for n, _, added in cands]
                ys += labels
    return xs, ys


def token_scores(model: cuemodel.CueModel, xs: list[list[str]], ys: list[int]) -> dict[str, Any]:
    probs = [model.cue.prob(x) for x in xs]
    out: dict[str, Any] = {}
    for thr in (0.3, 0.4, 0.5, 0.6, 0.7):
        tp = sum(1 for p, y in zip(probs, ys, strict=True) if p >= thr and y)
        pred, gold = sum(1 for p in probs if p >= thr), sum(ys)
        p, r = tp / pred if pred else 0.0, tp / gold if gold else 0.0
        f1 = round(2 * p * r / (p + r), 4) if p + r else 0.0
        out[str(thr)] = {"p": round(p, 4), "r": round(r, 4), "f1": f1}
    return out


def quote_scores(docs: Sequence[ParsedDoc], golds: Sequence[Any], learned: bool) -> dict[str, Any]:
    """bench/quotes.py's figures on cached parses, with or without the learned cues."""
    old = defaults.QUOTE_CUE_MODEL_MIN_PROB
    try:
        if not learned:
            defaults.QUOTE_CUE_MODEL_MIN_PROB = 2.0  # above any probability: the rules alone
        preds = [BQ.ours_parsed(doc, gold.text) for doc, gold in zip(docs, golds, strict=True)]
    finally:
        defaults.QUOTE_CUE_MODEL_MIN_PROB = old
    return dict(BQ.score(golds, preds))


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="PolNeAR split to train on (text/ and attributions/)")
    ap.add_argument("--eval", type=Path, default=None, help="PolNeAR split to report figures on")
    ap.add_argument("--out", type=Path, default=cuemodel.MODEL_PATH, help="weights file to write")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/newsfuse-parses"), help="parse cache folder")
    ap.add_argument("--limit", type=int, default=None, help="train on the first N texts only")
    ap.add_argument("--c", type=float, default=0.5, help="inverse L2 regularisation strength")
    ap.add_argument("--min-count", type=int, default=3, help="drop features seen in fewer examples")
    ap.add_argument("--holdout", type=int, default=None,
                    help="train on the first N texts and report figures on the rest of the split")
    args = ap.parse_args(argv)
    for split in [args.data] + ([args.eval] if args.eval else []):
        if not (split / "attributions").is_dir() or not (split / "text").is_dir():
            print(f"{split}: no text/ and attributions/ here; pass a PolNeAR split folder", file=sys.stderr)
            return 2
    res: dict[str, Any] = {"train": str(args.data), "c": args.c, "min_count": args.min_count}
    t0 = time.perf_counter()
    golds = BQ.load(args.data, args.limit)
    docs = parsed_docs([g.text for g in golds], args.cache)
    res["parse_seconds"] = round(time.perf_counter() - t0, 1)
    held = (docs[args.holdout :], golds[args.holdout :]) if args.holdout else None
    if args.holdout:
        docs, golds = docs[: args.holdout], golds[: args.holdout]
    t0 = time.perf_counter()
    model, stats = train(docs, golds, args.c, args.min_count)
    res["train_seconds"] = round(time.perf_counter() - t0, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(model.to_json(), encoding="utf-8")
    cuemodel.MODEL_PATH = args.out  # the quotes scored below use the weights just written
    cuemodel.load.cache_clear()
    res.update({"train_docs": len(docs), "cue_features": len(model.cue.weights),
                "accept_features": len(model.accept.weights) if model.accept else 0,
                "weights_bytes": args.out.stat().st_size, **stats})
    print(f"trained on {len(docs)} texts, {stats['train_tokens']} candidate tokens, "
          f"{stats['train_cues']} cue heads, {stats['accept_examples']} proposed attributions; "
          f"{res['cue_features']} + "
          f"{res['accept_features']} weights -> {args.out} ({res['weights_bytes']} bytes)")
    if args.eval:
        res.update(evaluate(args.eval, args.cache, model))
    if held is not None:
        res["holdout_quotes_model"] = quote_scores(held[0], held[1], True)
        print(f"held out: texts {args.holdout}-{args.holdout + len(held[0]) - 1} of {args.data}")
        for kind in ("source", "cue", "content", "pair"):
            for m in ("exact", "overlap"):
                print(f"  {kind + ' ' + m:<18} model {BQ._prf(res['holdout_quotes_model'][kind], m)}")
    print(json.dumps(res))
    return 0


def evaluate(split: Path, cache: Path, model: cuemodel.CueModel) -> dict[str, Any]:
    golds = BQ.load(split)
    docs = parsed_docs([g.text for g in golds], cache)
    xs, ys = examples(docs, golds)
    tok = token_scores(model, xs, ys)
    with_model, rules = quote_scores(docs, golds, True), quote_scores(docs, golds, False)
    print(f"eval {split}: {len(docs)} texts, {sum(ys)} cue heads")
    for thr, f in tok.items():
        print(f"  cue token p>={thr}: P {f['p']:.3f} R {f['r']:.3f} F1 {f['f1']:.3f}")
    for kind in ("source", "cue", "content", "pair"):
        for m in ("exact", "overlap"):
            a, b = BQ._prf(with_model[kind], m), BQ._prf(rules[kind], m)
            print(f"  {kind + ' ' + m:<18} model {a}   rules {b}")
    return {"eval": str(split), "eval_token": tok, "eval_quotes_model": with_model,
            "eval_quotes_rules": rules}


if __name__ == "__main__":
    raise SystemExit(main())
