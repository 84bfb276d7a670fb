"""Train the learned cross-document coreference scorers on ECB+ train (never dev or test).

Usage (from the project root, inside the venv)::

    python bench/train_coref.py ../shared/bench [--folds 5] [--out newsfuse/data/coref]

Pairs are built exactly as ``bench/coref.py`` scores the product, per subtopic, with gold mentions:

* entities: every two mention groups (one per distinct mention text per document, pronoun groups left
  out) with the features of :func:`newsfuse.fuse.entities.pairmodel.entity_features`; a group's gold
  chain is the chain most of its mentions belong to;
* events: every two event statements with the features of
  :func:`newsfuse.fuse.claims.eventpairs.event_features` (participants are the entity clusters the
  trained entity model gives, as in the product).

A logistic regression (scikit-learn, standardised features) is fitted per kind. Its clustering
threshold (average link of pair probabilities) is chosen by cross-validation over train topics
(``--folds`` groups of whole topics, so both subtopics of a topic stay in one fold): for every
threshold of the grid, each fold's held-out topics are clustered by the product's own functions with
the model fitted on the other folds and scored by CoNLL F1; the threshold with the best mean is kept
and the model refitted on all of train. The same folds score the rules alone: when the learned model
does not beat them, its weights are written with ``beats_rules: false`` and the product keeps the
rules. The weights go to ``newsfuse/data/coref/{entities,events}.json``
with the CV figures; the last line printed is one JSON object with every figure.

``--surname`` and ``--bridges`` (modes, comma-separated) choose ``defaults.ENTITY_SURNAME_ACROSS_ARTICLES``
and ``defaults.COREF_ENTITY_BRIDGES`` by the same folds before the entity weights are fitted.
``--drop`` (features, comma-separated) fits without them (their columns zeroed, so their weights are
0: an ablation; write it elsewhere with ``--out``), and ``--scored-pairs`` fits the entity scorer on the
pairs the product scores only (not two names); session 20 measured both (bench/README.md).

``--variants`` also scores, by the same folds and through the same product functions, the event
scorer with extra features (``VARIANTS``: the two articles' cosine, names and figures the sentences
share, the word rule's own chain, and their products with the trigger signals); they are measured,
not written. Session 13 (ECB+ train, 5 topic folds): none beat the rules (see bench/README.md's coref
rows); a gradient-boosted scorer on the same pairs did not either, and its average precision on pairs
of two different trigger words (where most missed links are: ``coref.py --split Train --errors``)
was 0.08-0.16 per fold: the sentence and word vectors do not tell those pairs apart.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import coref as bench
import numpy as np
from metrics import conll
from sklearn.linear_model import LogisticRegression

from newsfuse import defaults
from newsfuse.fuse.claims import build as claims
from newsfuse.fuse.claims import eventpairs
from newsfuse.fuse.entities import pairmodel
from newsfuse.fuse.entities import resolve as entities
from newsfuse.fuse.entities.pairmodel import PairModel

THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
ROOT = Path(__file__).resolve().parent.parent
# The files the product reads (pairmodel.entity_model, eventpairs.event_model): 'entity' + 's' wrote
# entitys.json, which nothing reads, so a retrain left the shipped entity weights as they were.
WEIGHT_FILES = {"entity": "entities.json", "event": "events.json"}

Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]  # features (pairs x F), labels, topic of each pair
# Fit the entity scorer only on the pairs the product scores (``--scored-pairs``): with
# ``defaults.COREF_NAMES_BY_RULES`` two names are the rules' to link, so their pairs are never read.
SCORED_PAIRS_ONLY = [False]


def topic_of(scope: str) -> str:
    return scope.split("_")[0]


def folds_of(topics: list[str], k: int) -> list[set[str]]:
    """Whole topics dealt round-robin (in numeric order) into ``k`` folds."""
    ordered = sorted(set(topics), key=int)
    return [set(ordered[i::k]) for i in range(k)]


# Features left out of a fit (``--drop``, an ablation): their columns are zeroed, so their weight is 0
# and the product, which still computes them, ignores them.
DROPPED: set[str] = set()


def fit(x: np.ndarray, y: np.ndarray, names: tuple[str, ...], threshold: float,
        beats_rules: bool = True) -> PairModel:
    if DROPPED & set(names):
        x = x.copy()
        x[:, [k for k, f in enumerate(names) if f in DROPPED]] = 0.0
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=1.0, max_iter=2000).fit((x - mean) / scale, y)
    return PairModel(names, lr.coef_[0].astype(np.float64), float(lr.intercept_[0]), mean, scale, threshold,
                     beats_rules)


def beats_rules(cv: dict[str, Any], threshold: float) -> bool:
    """Whether the learned model at ``threshold`` beat the rules alone in cross-validation."""
    return bool(cv[f"{threshold:.2f}"]["conll"] > cv["rules"]["conll"])


def upper(features: Iterator[tuple[str, np.ndarray]], keep: np.ndarray) -> np.ndarray:
    """Rows = pairs ``keep`` (upper-triangle mask) of the feature matrices, columns = features."""
    return np.stack([np.asarray(m, dtype=np.float64)[keep] for _, m in features], axis=1)


# -- entities ---------------------------------------------------------------------------------------


def entity_pairs(ents: list[bench.Mention]) -> Pairs:
    xs, ys, ts = [], [], []
    chain = {m.id: m.chain for m in ents}
    for scope, items in bench.by_scope(ents).items():
        groups, members = bench.entity_groups(items)
        rule_of = {id(g): c for c, cl in enumerate(_rule_clusters(groups)) for g in cl.groups}
        gold = [Counter(chain[i] for i in ids).most_common(1)[0][0] for ids in members]
        real = np.asarray([not g.pronoun_only and bool(g.norm) for g in groups])
        keep = np.triu(np.ones((len(groups), len(groups)), dtype=bool), 1) & np.outer(real, real)
        if SCORED_PAIRS_ONLY[0] and defaults.COREF_NAMES_BY_RULES:  # the pairs the product scores
            named = np.asarray([bool(g.names) for g in groups])
            keep &= ~np.outer(named, named)
        if not keep.any():
            continue
        feats = pairmodel.entity_features(groups, [rule_of[id(g)] for g in groups], pairmodel.encode_cached)
        xs.append(upper(feats, keep))
        ys.append(np.asarray([gold[i] == gold[j] for i, j in zip(*np.nonzero(keep), strict=True)]))
        ts.extend([topic_of(scope)] * int(keep.sum()))
    return np.concatenate(xs), np.concatenate(ys), np.asarray(ts)


def _rule_clusters(groups: list[entities.NameGroup]) -> list[entities.Cluster]:
    with _models(None, None):
        return entities.cluster_groups(groups)


# -- events -----------------------------------------------------------------------------------------


def event_pairs(statements: dict[str, list[claims.Statement]], chain: dict[int, str]) -> Pairs:
    xs, ys, ts = [], [], []
    for scope, items in statements.items():
        n = len(items)
        keep = np.triu(np.ones((n, n), dtype=bool), 1)
        if not keep.any():
            continue
        xs.append(upper(eventpairs.event_features(items), keep))
        gold = [chain[int(s.id)] for s in items]
        ys.append(np.asarray([gold[i] == gold[j] for i, j in zip(*np.nonzero(keep), strict=True)]))
        ts.extend([topic_of(scope)] * int(keep.sum()))
    return np.concatenate(xs), np.concatenate(ys), np.asarray(ts)


# -- cross-validation ---------------------------------------------------------------------------------


class _models:
    """Within ``with``: the product's model look-ups return the given models (None: rules only)."""

    def __init__(self, entity: PairModel | None, event: PairModel | None) -> None:
        self.entity, self.event = entity, event

    def __enter__(self) -> None:
        self.saved = (pairmodel.entity_model, eventpairs.event_model)
        pairmodel.entity_model = lambda: self.entity  # type: ignore[assignment]
        eventpairs.event_model = lambda: self.event  # type: ignore[assignment]

    def __exit__(self, *exc: object) -> None:
        pairmodel.entity_model, eventpairs.event_model = self.saved  # type: ignore[method-assign]


def cross_validate(
    pairs: Pairs, names: tuple[str, ...], folds: list[set[str]],
    score: Callable[[PairModel | None, set[str]], dict[str, float]],
) -> tuple[float, dict[str, Any]]:
    """The threshold with the best mean held-out CoNLL F1 (and every threshold's figures)."""
    x, y, t = pairs
    table: dict[str, list[dict[str, float]]] = defaultdict(list)
    for fold in folds:
        train = ~np.isin(t, list(fold))
        model = fit(x[train], y[train], names, 0.5)
        table["rules"].append(score(None, fold))
        for th in THRESHOLDS:
            table[f"{th:.2f}"].append(score(PairModel(names, model.coef, model.intercept, model.mean,
                                                      model.scale, th), fold))
    mean = {k: {m: round(float(np.mean([r[m] for r in rows])), 2) for m in rows[0]}
            for k, rows in table.items()}
    best = max((k for k in mean if k != "rules"), key=lambda k: mean[k]["conll"])
    for k, v in mean.items():
        print(f"  {k:<6} " + "  ".join(f"{m} {s:6.2f}" for m, s in v.items()))
    return float(best), mean


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", help="the bench folder holding ecbplus/")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--out", default=str(ROOT / "newsfuse" / "data" / "coref"))
    ap.add_argument("--kinds", default="entities,events", help="scorers to train (default: %(default)s)")
    ap.add_argument("--surname", default="",
                    help="entities: choose defaults.ENTITY_SURNAME_ACROSS_ARTICLES among these modes "
                         "(e.g. off,initial,any) by the same CV; the weights are fitted with the choice")
    ap.add_argument("--bridges", default="",
                    help="entities: choose defaults.COREF_ENTITY_BRIDGES among these modes "
                         "(e.g. off,named,full,persons,persons+torn) by the same CV (after --surname)")
    ap.add_argument("--drop", default="",
                    help="entities/events: fit without these features (comma-separated; an ablation, "
                         "their weights are 0); pass --out elsewhere to keep the shipped weights")
    ap.add_argument("--scored-pairs", action="store_true",
                    help="entities: fit on the pairs the product scores only (not two names, with "
                         "defaults.COREF_NAMES_BY_RULES)")
    ap.add_argument("--variants", action="store_true",
                    help="also score the extra event feature sets (VARIANTS) by the same CV (not written)")
    args = ap.parse_args(argv)
    DROPPED.update(f for f in args.drop.split(",") if f)
    SCORED_PAIRS_ONLY[0] = args.scored_pairs
    folder = Path(args.data) / "ecbplus"
    if not (folder / "ECB_Train_corpus.txt").is_file():
        print(f"{folder}: no ECB_Train_corpus.txt here; pass the bench data folder", file=sys.stderr)
        return 2
    started = time.perf_counter()
    docs = bench.read_corpus(folder / "ECB_Train_corpus.txt")
    ents = bench.read_mentions(folder / "ECB_Train_Entity_gold_mentions.json", 0, None)
    evs = bench.read_mentions(folder / "ECB_Train_Event_gold_mentions.json", 1_000_000, None)
    bench.add_heads(docs, ents + evs)
    folds = folds_of([m.doc.split("_")[0] for m in ents], args.folds)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"bench": "train_coref", "trained_on": "ECB+ Train", "folds": args.folds,
                              "dropped": sorted(DROPPED), "scored_pairs": args.scored_pairs}

    kinds = set(args.kinds.split(","))
    if "entities" not in kinds:  # the shipped entity weights give the events' participants
        e_model = pairmodel.read_model(out_dir / "entities.json", pairmodel.ENTITY_FEATURES)
    else:
        e_model = train_entities(ents, folds, out_dir, result, [m for m in args.surname.split(",") if m],
                                 [m for m in args.bridges.split(",") if m])
    if "events" in kinds:
        train_events(evs, ents, docs, e_model, folds, out_dir, result, args.variants)
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result))
    return 0


def train_entities(ents: list[bench.Mention], folds: list[set[str]], out_dir: Path,
                   result: dict[str, Any], surname: list[str] | None = None,
                   bridges: list[str] | None = None) -> PairModel:
    """The entity scorer; with ``surname`` modes, ``defaults.ENTITY_SURNAME_ACROSS_ARTICLES`` is
    chosen among them first, then with ``bridges`` modes ``defaults.COREF_ENTITY_BRIDGES`` (each the
    best held-out CoNLL F1 of the rules or the model at its best threshold, whichever the product would
    use; ties to the first mode listed); the weights are fitted with the choices."""
    def score_entities(model: PairModel | None, fold: set[str]) -> dict[str, float]:
        held = [m for m in ents if topic_of(m.scope) in fold]
        with _models(model, None):
            return conll(bench.gold(held), bench.ours_entities(held))

    e_pairs: Pairs | None = None
    cv: tuple[float, dict[str, Any]] | None = None
    for setting, modes, key in (("ENTITY_SURNAME_ACROSS_ARTICLES", surname, "surname_cv"),
                                ("COREF_ENTITY_BRIDGES", bridges, "bridges_cv")):
        tables: dict[str, tuple[Pairs, tuple[float, dict[str, Any]]]] = {}
        for mode in modes or []:
            setattr(defaults, setting, mode)
            print(f"entities, {setting} {mode!r}: CV CoNLL F1 by threshold")
            # the rules' clusters (a feature) change with the surname rule, not with the bridges
            if e_pairs is None or setting != "COREF_ENTITY_BRIDGES":
                e_pairs = entity_pairs(ents)
            pairs = e_pairs
            tables[mode] = pairs, cross_validate(pairs, pairmodel.ENTITY_FEATURES, folds, score_entities)
        if tables:
            used = {m: max(t[f"{th:.2f}"]["conll"], t["rules"]["conll"])
                    for m, (_, (th, t)) in tables.items()}
            chosen = max(used, key=lambda m: used[m])
            setattr(defaults, setting, chosen)
            result[key] = {"conll": used, "chosen": chosen}
            e_pairs, cv = tables[chosen]
    if e_pairs is None:
        print("entities: CV CoNLL F1 by threshold (rules = today's rules alone)")
        e_pairs = entity_pairs(ents)
    return _learn("entity", e_pairs, pairmodel.ENTITY_FEATURES, folds, score_entities, out_dir, result, cv)


def _learn(kind: str, pairs: Pairs, features: tuple[str, ...], folds: list[set[str]],
           score: Callable[[PairModel | None, set[str]], dict[str, float]], out_dir: Path,
           result: dict[str, Any], cv: tuple[float, dict[str, Any]] | None = None) -> PairModel:
    """Threshold by CV over train topics (``cv``: computed already), fit on all of train, write
    ``WEIGHT_FILES[kind]`` (the file the product reads); the CV table, threshold and whether the model
    beat the rules go into ``result``."""
    threshold, result[f"{kind}_cv"] = cv or cross_validate(pairs, features, folds, score)
    model = fit(pairs[0], pairs[1], features, threshold, beats_rules(result[f"{kind}_cv"], threshold))
    (out_dir / WEIGHT_FILES[kind]).write_text(model.to_json(
        trained_on="ECB+ Train", pairs=len(pairs[1]), cv=result[f"{kind}_cv"]) + "\n", encoding="utf-8")
    result.setdefault("thresholds", {})[kind] = threshold
    result.setdefault("used", {})[kind] = model.beats_rules
    return model


def train_events(evs: list[bench.Mention], ents: list[bench.Mention], docs: dict[str, dict[int, list[str]]],
                 e_model: PairModel, folds: list[set[str]], out_dir: Path, result: dict[str, Any],
                 variants: bool = False) -> None:
    with _models(e_model if e_model.beats_rules else None, None):
        ent_clusters = bench.ours_entities(ents)
    statements = bench.event_statements(evs, ents, ent_clusters, docs)
    chain = {m.id: m.chain for m in evs}

    def score_events(model: PairModel | None, fold: set[str]) -> dict[str, float]:
        held = [m for m in evs if topic_of(m.scope) in fold]
        with _models(e_model if e_model.beats_rules else None, model):
            return conll(bench.gold(held), bench.ours_events(held, ents, ent_clusters, docs))

    print("events: CV CoNLL F1 by threshold (rules = today's word and claim rules)")
    v_pairs = event_pairs(statements, chain)
    _learn("event", v_pairs, eventpairs.EVENT_FEATURES, folds, score_events, out_dir, result)
    if variants:
        result["event_variants"] = event_variants(statements, chain, folds, score_events)


# -- feature sets tried and not shipped -------------------------------------------------------------

# Extra event pair features (beyond EVENT_FEATURES) that ``--variants`` scores by the same CV: the
# cosine of the two articles (mean of their event sentences' vectors), the share of names and
# figures the two sentences have in common, whether the product's word rule chains the pair, and
# products of these with the trigger signals (a logistic regression cannot form them itself).
VARIANTS: dict[str, tuple[str, ...]] = {
    "document": ("doc_cosine", "lemma_and_doc", "forms_and_doc", "trigger_and_doc"),
    "arguments": ("names_shared", "forms_and_names", "trigger_and_sentence"),
    "word_rule": ("same_word_chain", "word_chain_and_doc", "word_chain_and_sentence"),
}


def extra_features(events: list[claims.Statement], base: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The ``VARIANTS`` features of ``events`` from their EVENT_FEATURES matrices ``base``."""
    from newsfuse.fuse.claims.chains import _Chains
    from newsfuse.fuse.claims.relations import Memo

    n = len(events)
    sentences = eventpairs.sentence_vectors(events)
    by_article: dict[str, dict[int, np.ndarray]] = defaultdict(dict)
    for k, s in enumerate(events):
        by_article[s.article.id][s.span.start] = sentences[k]  # each sentence once
    doc = {a: np.mean(list(v.values()), axis=0) for a, v in by_article.items()}
    d = np.stack([doc[s.article.id] / (np.linalg.norm(doc[s.article.id]) or 1.0) for s in events])
    names = [_names(s.text) for s in events]
    shared = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            union = names[i] | names[j]
            shared[i, j] = shared[j, i] = len(names[i] & names[j]) / len(union) if union else 0.0
    rule = _Chains(Memo(events), by_word=True)
    for s in events:
        rule.add(s)
    chain_of = {id(s): c for c, chain in enumerate(rule.result()) for s in chain}
    word_chain = pairmodel.equal_pairs([str(chain_of[id(s)]) for s in events])
    doc_cos = d @ d.T
    return {
        "doc_cosine": doc_cos, "lemma_and_doc": base["same_lemma"] * doc_cos,
        "forms_and_doc": base["same_forms"] * doc_cos, "trigger_and_doc": base["trigger_cosine"] * doc_cos,
        "names_shared": shared, "forms_and_names": base["same_forms"] * shared,
        "trigger_and_sentence": base["trigger_cosine"] * base["sentence_cosine"],
        "same_word_chain": word_chain, "word_chain_and_doc": word_chain * doc_cos,
        "word_chain_and_sentence": word_chain * base["sentence_cosine"],
    }


def _names(text: str) -> set[str]:
    """Capitalised words (not the first) and figures of a sentence: its named arguments, roughly."""
    words = text.split()
    return {w.strip(",.;:'\"()").casefold() for w in words[1:] if w[:1].isupper() or w[:1].isdigit()} - {""}


def event_variants(statements: dict[str, list[claims.Statement]], chain: dict[int, str],
                   folds: list[set[str]],
                   score: Callable[[PairModel | None, set[str]], dict[str, float]]) -> dict[str, Any]:
    """CV of EVENT_FEATURES plus each ``VARIANTS`` set (and all of them), scored through the product's
    event chains with the features computed as the product would; nothing is written."""
    original = eventpairs.event_features
    out: dict[str, Any] = {}
    for name, extra in [*VARIANTS.items(), ("all", tuple(f for v in VARIANTS.values() for f in v))]:
        names = eventpairs.EVENT_FEATURES + extra

        def features(events: Any, vectors: Any = None, extra: tuple[str, ...] = extra) -> Any:
            base = dict(original(events, vectors))
            more = extra_features(list(events), base)
            return iter([*base.items(), *((f, more[f]) for f in extra)])

        eventpairs.event_features = features  # type: ignore[assignment]
        try:
            print(f"events + {name}: CV CoNLL F1 by threshold")
            pairs = event_pairs(statements, chain)
            best, table = cross_validate(pairs, names, folds, score)
        finally:
            eventpairs.event_features = original  # type: ignore[assignment]
        out[name] = {"threshold": best, "conll": table[f"{best:.2f}"]["conll"],
                     "rules": table["rules"]["conll"]}
    return out


if __name__ == "__main__":
    sys.exit(main())
