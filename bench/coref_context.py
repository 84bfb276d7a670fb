"""Event coreference with the trigger's context: split and merge the word rule's chains (ECB+).

Usage (from the project root, inside the venv)::

    python bench/coref_context.py ../shared/bench [--layer 4] [--features base,context] [--dev]

Measured for issue 15 (session 17, 15k); in the product since 15w (off by default). Each gold event
mention gets a contextual vector: the packaged all-MiniLM-L6-v2 reads its sentence once (gold
tokens), the mention's word pieces are averaged at ``--layer`` (the head word alone, and the whole
mention). Pairs of one subtopic get the product's event features
(:func:`newsfuse.fuse.claims.eventpairs.event_features`), whether both stand in one sentence, and
the cosines of these vectors. Two logistic regressions are fitted on ECB+ train: one on pairs the
word rule chains together (to split its chains), one on pairs it keeps apart (to merge them). A
story's chains: the rule's chains (word rule and claim relation,
:func:`newsfuse.fuse.claims.chains.event_chains` without a model), each split by average link of the
first model's probabilities at threshold ``ts``, then merged by average link of both models'
probabilities at ``tm``; the claim relation joins what it relates afterwards, as in the product.
``ts`` and ``tm`` are chosen by 5-fold CV over whole train topics (:func:`train_coref.folds_of`).

``--dev`` then fits on all of train and scores ECB+ dev once with the chosen thresholds, beside the
rules alone and the same-head-lemma peer in the same run. ``--write`` (no CV) fits both scorers on all
of train and writes ``newsfuse/data/coref/events_context.json``, what the product reads
(:mod:`newsfuse.fuse.claims.context`, ``defaults.COREF_CONTEXT``; thresholds from defaults). The last
line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import coref as bench
import numpy as np
from metrics import conll
from sklearn.linear_model import LogisticRegression
from train_coref import folds_of, topic_of

from newsfuse import defaults
from newsfuse.fuse.claims import build as claims
from newsfuse.fuse.claims import eventpairs
from newsfuse.fuse.claims.chains import _Chains
from newsfuse.fuse.claims.relations import Memo
from newsfuse.fuse.claims.statements import Statement
from newsfuse.fuse.entities import pairmodel
from newsfuse.fuse.entities.pairmodel import average_link

ROOT = Path(__file__).resolve().parent.parent
SPLITS = (None, 0.3, 0.4, 0.5, 0.6, 0.7)  # None: the rule's chains are not split
MERGES = (None, 0.4, 0.5, 0.6, 0.7, 0.8)  # None: nothing merged
FEATURE_SETS = {
    "base": (*eventpairs.EVENT_FEATURES, "same_sentence"),
    "context": (*eventpairs.EVENT_FEATURES, "same_sentence", "context_head", "context_mention"),
}
Model = Callable[[np.ndarray], np.ndarray]


class Scope:
    """One subtopic: its event statements, pair feature matrices, the rule's chains, gold pairs."""

    def __init__(self, items: list[Statement], feats: dict[str, np.ndarray], gold: list[str]) -> None:
        self.items, self.feats = items, feats
        rule = _Chains(Memo(items), by_word=True)
        for s in items:
            rule.add(s)
        pos = {id(s): k for k, s in enumerate(items)}
        self.rule = [[pos[id(s)] for s in c] for c in rule.result()]
        of = np.zeros(len(items), dtype=np.int64)
        for c, rows in enumerate(self.rule):
            of[rows] = c
        self.same_rule = of[:, None] == of[None, :]
        g = np.asarray(gold)
        self.same_gold = g[:, None] == g[None, :]


def context_vectors(docs: dict[str, dict[int, list[str]]], events: list[bench.Mention], layer: int,
                    by_offsets: bool = False) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """Unit vectors (head word, whole mention) of each event mention: one encoder pass per sentence
    (its gold words, or with ``by_offsets`` the words joined by spaces and found by characters)."""
    import torch

    from newsfuse.fuse.claims.crossencoder import load_transformer

    tokenizer, bert = load_transformer()
    by_sentence: dict[tuple[str, int], list[bench.Mention]] = defaultdict(list)
    for m in events:
        by_sentence[(m.doc, m.sent)].append(m)
    out = {}
    with torch.inference_mode():
        for (doc, sent), mentions in by_sentence.items():
            if by_offsets:  # as the product would: the sentence as text, the trigger by characters
                words, enc = _by_characters(tokenizer, docs[doc][sent])
            else:
                enc = tokenizer(docs[doc][sent], is_split_into_words=True, truncation=True, max_length=256,
                                return_tensors="pt")
                words = enc.word_ids()
            states = bert(**{k: enc[k] for k in ("input_ids", "attention_mask", "token_type_ids")},
                          output_hidden_states=True).hidden_states[layer][0].numpy()
            for m in mentions:
                out[m.id] = (_pool(states, words, {m.head}), _pool(states, words, set(m.tokens)))
    return out


def _by_characters(tokenizer: Any, words: list[str]) -> tuple[list[int | None], Any]:
    """(gold word of each piece, encoding) of the sentence written out, pieces mapped by characters."""
    starts = np.cumsum([0] + [len(w) + 1 for w in words[:-1]])
    enc = tokenizer(" ".join(words), truncation=True, max_length=256, return_offsets_mapping=True,
                    return_tensors="pt")
    spans = enc["offset_mapping"][0].tolist()
    of = [None if b == e else int(np.searchsorted(starts, b, side="right") - 1) for b, e in spans]
    return of, enc


def _pool(states: np.ndarray, words: list[int | None], wanted: set[int]) -> np.ndarray:
    rows = [i for i, w in enumerate(words) if w is not None and w in wanted] or [0]
    v = states[rows].mean(axis=0)
    return v / (np.linalg.norm(v) or 1.0)


def read_split(root: Path, split: str, layer: int, by_offsets: bool = False) -> dict[str, Scope]:
    folder = root / "ecbplus"
    docs = bench.read_corpus(folder / f"ECB_{split}_corpus.txt")
    ents = bench.read_mentions(folder / f"ECB_{split}_Entity_gold_mentions.json", 0, None)
    evs = bench.read_mentions(folder / f"ECB_{split}_Event_gold_mentions.json", 1_000_000, None)
    bench.add_heads(docs, ents + evs)
    e_model = pairmodel.read_model(ROOT / "newsfuse/data/coref/entities.json", pairmodel.ENTITY_FEATURES)
    with _EntityModel(e_model if e_model.beats_rules else None):
        clusters = bench.ours_entities(ents)
    context = context_vectors(docs, evs, layer, by_offsets)
    chain = {m.id: m.chain for m in evs}
    scopes = {}
    for scope, items in bench.event_statements(evs, ents, clusters, docs).items():
        feats = dict(eventpairs.event_features(items))
        where = [(s.article.id, s.span.start) for s in items]
        feats["same_sentence"] = pairmodel.equal_pairs([repr(w) for w in where])
        for k, name in enumerate(("context_head", "context_mention")):
            v = np.stack([context[int(s.id)][k] for s in items])
            feats[name] = v @ v.T
        scopes[scope] = Scope(items, feats, [chain[int(s.id)] for s in items])
    return scopes


class _EntityModel:
    def __init__(self, model: pairmodel.PairModel | None) -> None:
        self.model = model

    def __enter__(self) -> None:
        self.saved = pairmodel.entity_model
        pairmodel.entity_model = lambda: self.model  # type: ignore[assignment]

    def __exit__(self, *exc: object) -> None:
        pairmodel.entity_model = self.saved  # type: ignore[method-assign]


def fit(scopes: list[Scope], names: tuple[str, ...], together: bool) -> Model:
    """A logistic regression on the pairs the rule chains together (or keeps apart)."""
    model = fit_model(scopes, names, together, 0.0)
    return lambda f: model.probabilities((k, f[:, i]) for i, k in enumerate(names))


def fit_model(scopes: list[Scope], names: tuple[str, ...], together: bool, threshold: float
              ) -> pairmodel.PairModel:
    """:func:`fit` as the product reads it (``threshold``: its average-link threshold)."""
    xs, ys = [], []
    for d in scopes:
        n = len(d.items)
        keep = np.triu(np.ones((n, n), dtype=bool), 1) & (d.same_rule == together)
        xs.append(np.stack([d.feats[f][keep] for f in names], axis=1))
        ys.append(d.same_gold[keep])
    x, y = np.concatenate(xs), np.concatenate(ys)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=3000).fit((x - mean) / scale, y)
    return pairmodel.PairModel(names, lr.coef_[0], float(lr.intercept_[0]), mean, scale, threshold)


def write(train: dict[str, Scope], layer: int) -> Path:
    """Fit both scorers on all of train (the product's feature set, thresholds from defaults, chosen by
    CV) and write them where the product reads them."""
    names = eventpairs.CONTEXT_FEATURES
    scopes = list(train.values())
    split = fit_model(scopes, names, True, defaults.COREF_CONTEXT_SPLIT)
    merge = fit_model(scopes, names, False, defaults.COREF_CONTEXT_MERGE)
    path = ROOT / "newsfuse/data/coref/events_context.json"
    data = {"layer": layer, "trained_on": "ECB+ Train", "chosen_on": "ECB+ Train topic CV",
            "split": json.loads(split.to_json()), "merge": json.loads(merge.to_json())}
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


def probabilities(d: Scope, names: tuple[str, ...], split: Model, merge: Model) -> np.ndarray:
    n = len(d.items)
    f = np.stack([d.feats[k].reshape(-1) for k in names], axis=1)
    return np.where(d.same_rule, split(f).reshape(n, n), merge(f).reshape(n, n))


def chains(d: Scope, prob: np.ndarray, ts: float | None, tm: float | None) -> list[list[int]]:
    """The rule's chains split at ``ts`` and merged at ``tm``, then the claim relation's joins."""
    out: list[list[int]] = []
    for rows in d.rule:
        if ts is None or len(rows) < 2:
            out.append(list(rows))
            continue
        inner = average_link(prob[np.ix_(rows, rows)], [[k] for k in range(len(rows))], ts)
        out.extend([[rows[k] for k in c] for c in inner])
    if tm is not None and len(out) > 1:
        out = average_link(prob, out, tm)
    return _through_product(d, out)


def _through_product(d: Scope, learned: list[list[int]]) -> list[list[int]]:
    saved = eventpairs.learned_chains, eventpairs.event_model
    eventpairs.learned_chains = lambda *a, **k: learned  # type: ignore[assignment]
    eventpairs.event_model = lambda: object()  # type: ignore[assignment,return-value]  # (context path off too)
    try:
        result = claims.event_chains(d.items)
    finally:
        eventpairs.learned_chains, eventpairs.event_model = saved  # type: ignore[method-assign]
    pos = {id(s): k for k, s in enumerate(d.items)}
    return [[pos[id(s)] for s in c] for c in result]


def score(scopes: dict[str, Scope], assign: dict[str, list[list[int]]]) -> dict[str, float]:
    gold, ours = {}, {}
    for name, chained in assign.items():
        d = scopes[name]
        for c, rows in enumerate(chained):
            for k in rows:
                ours[int(d.items[k].id)] = (name, c)
        for i, s in enumerate(d.items):
            gold[int(s.id)] = (name, int(np.argmax(d.same_gold[i])))
    return conll(gold, ours)


def cross_validate(scopes: dict[str, Scope], names: tuple[str, ...], k: int) -> dict[str, float]:
    table: dict[str, list[float]] = defaultdict(list)
    for fold in folds_of([topic_of(s) for s in scopes], k):
        train = [d for s, d in scopes.items() if topic_of(s) not in fold]
        held = {s: d for s, d in scopes.items() if topic_of(s) in fold}
        split, merge = fit(train, names, True), fit(train, names, False)
        prob = {s: probabilities(d, names, split, merge) for s, d in held.items()}
        for ts, tm in itertools.product(SPLITS, MERGES):
            assign = {s: chains(d, prob[s], ts, tm) for s, d in held.items()}
            table[f"{ts}/{tm}"].append(score(held, assign)["conll"])
    return {key: round(float(np.mean(v)), 2) for key, v in table.items()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", help="the bench folder holding ecbplus/")
    ap.add_argument("--layer", type=int, default=4, help="MiniLM layer of the trigger vectors (0-6)")
    ap.add_argument("--features", default="base,context", help=f"sets of {sorted(FEATURE_SETS)}")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--offsets", action="store_true",
                    help="sentences as text, triggers found by characters (as the product would)")
    ap.add_argument("--dev", action="store_true", help="then score ECB+ dev once (chosen thresholds)")
    ap.add_argument("--write", action="store_true",
                    help="fit on all of train and write newsfuse/data/coref/events_context.json (no CV)")
    args = ap.parse_args(argv)
    root = Path(args.data)
    if not (root / "ecbplus" / "ECB_Train_corpus.txt").is_file():
        print(f"{root}: no ecbplus/ECB_Train_corpus.txt here; pass the bench data folder", file=sys.stderr)
        return 2
    started = time.perf_counter()
    train = read_split(root, "Train", args.layer, args.offsets)
    if args.write:
        print(json.dumps({"bench": "coref_context", "wrote": str(write(train, args.layer)),
                          "seconds": round(time.perf_counter() - started, 1)}))
        return 0
    out: dict[str, Any] = {"bench": "coref_context", "layer": args.layer, "offsets": args.offsets,
                           "chosen_on": "ECB+ Train CV"}
    for name in args.features.split(","):
        names = FEATURE_SETS[name]
        cv = cross_validate(train, names, args.folds)
        best = max(cv, key=lambda k: cv[k])
        out[name] = {"rules": cv["None/None"], "best": best, "conll": cv[best], "cv": cv}
        print(f"{name}: rules {cv['None/None']}, best split/merge {best}: {cv[best]}", flush=True)
        if args.dev:
            out[name]["dev"] = score_dev(root, args.layer, train, names, best, args.offsets)
    out["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(out))
    return 0


def score_dev(root: Path, layer: int, train: dict[str, Scope], names: tuple[str, ...],
              chosen: str, by_offsets: bool = False) -> dict[str, Any]:
    """ECB+ dev, once: the chosen thresholds (fitted on all of train), the rules, the lemma peer."""
    ts, tm = (None if v == "None" else float(v) for v in chosen.split("/"))
    dev = read_split(root, "Dev", layer, by_offsets)
    split, merge = fit(list(train.values()), names, True), fit(list(train.values()), names, False)
    ours = {s: chains(d, probabilities(d, names, split, merge), ts, tm) for s, d in dev.items()}
    rules = {s: chains(d, np.zeros((len(d.items),) * 2), None, None) for s, d in dev.items()}
    lemma = {}
    for s, d in dev.items():
        by: dict[str, list[int]] = defaultdict(list)
        for k, st in enumerate(d.items):
            by[st.trigger].append(k)
        lemma[s] = list(by.values())
    result = {"ours": score(dev, ours), "rules": score(dev, rules), "lemma": score(dev, lemma)}
    print(f"ECB+ dev events CoNLL: ours {result['ours']['conll']}, rules {result['rules']['conll']}, "
          f"lemma {result['lemma']['conll']}", flush=True)
    return result


if __name__ == "__main__":
    sys.exit(main())
