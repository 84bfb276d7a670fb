"""Train the event-type classifier (newsfuse/analyze/events/typemodel.py) on PLOVER gold records.

Usage (from the project root, inside the venv)::

    python bench/train_events.py ../shared/bench/plover/plover_gsr_dev.json
        [--out newsfuse/data/events/typemodel.json] [--lexicon hand+codebook]
        [--codebook ../shared/bench/conll2003/eng.train]    # rebuild data/events/codebook.json first
        [--prototypes ../shared/bench/conll2003/eng.train]  # rebuild data/events/prototypes.json first

One example per record: the sentence's top event as bench/events.py picks it (highest in the tree,
then surest, then first), found and typed by the lexicon alone; and a second one with the record's
own top trigger word taken out of the hand lexicon (as if the lexicon had never seen it) when
``--own-word-out`` asks for it, so the model learns how far the codebook's and the prototypes'
guesses hold on words the lexicon lacks (tried, not shipped: see :func:`fit_chosen`). Its
label is the *action* category that, with the mode the rules read, codes as the gold category
(:func:`plover.coded_type`): the lexicon's category when it already codes right ('will support' ->
SUPPORT, coded AGREE), else the gold category itself. A conditional logit over the categories (L2,
fitted with scipy's L-BFGS) reads the binary features of :func:`typemodel.features`: per category a
weight per feature, plus one weight shared by every category a feature names ('the codebook says C',
'the closest CAMEO description is of C'), so knowledge learned on frequent categories carries to rare
ones. Features seen in fewer than ``min_count`` examples are dropped and the weights written as JSON,
which newsfuse reads without scipy or scikit-learn.

Settings (the regularisation C and min_count) are chosen by an inner cross-validation on the
training records only: :func:`fit_chosen` never sees the records it will be scored on when
bench/events.py calls it fold by fold. The packaged model is fitted on every record of the file
with the settings the same inner cross-validation picks on all of it. The model file records the
SHA-1 of the training file, so bench/events.py knows to cross-validate rather than score the
packaged model on its own training data.

``--trigger-out PATH`` also trains the trigger model (analyze/events/triggermodel.py: which candidate
event, with which of the categories the word lists name for its word, is the sentence's event) by
:func:`fit_triggers_chosen` and writes it to PATH; the product reads it only from
``newsfuse/data/events/triggermodel.json``, which is not shipped (see bench/events.py's
``ours_fallback_learned``).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import math
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsfuse.analyze import nlp  # noqa: E402
from newsfuse.analyze.events import codebook, plover, prototypes, triggermodel, typemodel  # noqa: E402
from newsfuse.analyze.events import extract as events  # noqa: E402
from newsfuse.analyze.parse import ParsedDoc  # noqa: E402

GRID_C = (0.1, 0.3, 1.0, 3.0, 10.0)
GRID_MIN_COUNT = (1, 2)
# how sure the model must be to override the lexicon; above 1: never (the lexicon alone)
GRID_MIN_PROBABILITY = (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
INNER_FOLDS = 4
WEIGHT_DIGITS = 3
# the codebook's neighbours (--codebook): sentences of news read, words kept
VOCAB_SENTENCES = 8000
VOCAB_MIN_WORDS = 5
VOCAB_MIN_COUNT = 2
PROTO_SENTENCES = 20000  # the prototype table's vocabulary: sentences (paragraphs) read of each text
NEAR_KEEP = 0.5  # closer than this to no codebook word: no neighbour recorded
MAX_ITERATIONS = 300  # of the optimiser fitting the type model (it converges well before)
MIN_WEIGHT = 0.01  # smaller weights are dropped from the file: they change (almost) no decision
# the trigger model (which candidate is the sentence's event): regularisation grid, inner folds
GRID_TRIGGER_C = (0.03, 0.1, 0.3, 1.0, 3.0)
# how far the best candidate must score above the tree rule's choice to replace it (the last: never)
GRID_TRIGGER_MARGIN = (0.0, 0.25, 0.5, 1.0, 2.0, math.inf)
# the features of the tree rule's own choice as typed: what the margin is measured from
TREE_TOP = frozenset({"tree=0", "typed=True"})


def _bench_events() -> Any:
    """bench/events.py (reader), imported by path: bench/ is no package."""
    if "bench_events" in sys.modules:
        return sys.modules["bench_events"]
    spec = importlib.util.spec_from_file_location("bench_events", ROOT / "bench" / "events.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["bench_events"] = mod  # dataclasses look their module up while being built
    spec.loader.exec_module(mod)
    return mod


Example = tuple[list[str], str, str, bool, str]  # features, action label, mode, negated, gold type


def examples(
    golds: Sequence[Any], docs: Sequence[ParsedDoc], lexicon: str = typemodel.HAND, own_word_out: bool = False
) -> list[Example | None]:
    """One example per record (None when the lexicon finds no event in it). ``own_word_out``: the
    record's own top trigger word is taken out of the hand lexicon first, so the example shows the
    trigger and category the rules find for a word the lexicon has never seen."""
    out: list[Example | None] = []
    reader = _bench_events()
    for gold, doc in zip(golds, docs, strict=True):
        own = reader.top_trigger(doc, gold.id) if own_word_out and lexicon != typemodel.CODEBOOK else None
        with reader.words_withheld({own} if own else set()):
            found = events.find_events(doc, gold.id, [], [], [], lexicon_only=True, lexicon=lexicon)
            feats_of = events.trigger_features(doc, lexicon) if found else []
        if not found:
            out.append(None)
            continue
        top = min(found, key=lambda e: (events.event_depth(doc, e), -e.confidence, e.trigger_start))
        at = doc.token_at(top.trigger_start)
        feats = next((f for i, t, f in feats_of if i == at and t == top.type), None)
        if feats is None:  # a deal: the model does not retype it
            out.append(None)
            continue
        out.append((feats, action_label(top.type, top.mode, top.negated, gold.type), top.mode,
                    top.negated, gold.type))
    return out


def action_label(lexicon_type: str, mode: str, negated: bool, gold: str) -> str:
    """The action category that codes as ``gold`` with this mode: the lexicon's when it does."""
    if plover.coded_type(lexicon_type, mode, negated) == gold:
        return lexicon_type
    return gold


def shared_name(feature: str) -> tuple[str, str] | None:
    """('key=...|@', category) when the feature's value ends in a category ('c=ASSAULT',
    'mt=planned|AGREE', 'pr1@0.5=FIGHT'): the same weight then serves every category it names, so
    what is learned of 'the codebook says C' on one category holds for a category few records have."""
    key, _, value = feature.partition("=")
    head, _, last = value.rpartition("|")
    if last not in plover.TYPES:
        return None
    return f"{key}={head}|@" if head else f"{key}=@", last


def fit(
    train: Sequence[Example], c: float, min_count: int, lexicon: str = typemodel.HAND
) -> typemodel.TypeModel:
    """A conditional logit over the categories: per category a bias and a weight per feature, plus one
    shared weight per category-naming feature kind (:func:`shared_name`), L2 regularised by ``c``
    (as in scikit-learn, the biases are not); written back as per-category weights, so
    :class:`typemodel.TypeModel` scores it as it scores any multinomial regression."""
    from scipy.optimize import minimize
    from threadpoolctl import threadpool_limits

    counts = Counter(f for feats, *_ in train for f in set(feats))
    vocab = sorted(f for f, n in counts.items() if n >= min_count)
    labels = [label for _, label, *_ in train]
    cats = sorted(set(labels))
    if len(cats) == 1:  # nothing to learn: the one category everywhere
        return typemodel.TypeModel({cats[0]: 0.0}, {}, lexicon=lexicon)
    col, cat_of = {f: j for j, f in enumerate(vocab)}, {c_: k for k, c_ in enumerate(cats)}
    named = {f: shared_name(f) for f in vocab}
    shared = sorted({n[0] for n in named.values() if n is not None and n[1] in cat_of})
    sh_col = {g: j for j, g in enumerate(shared)}
    n, d, k_, s_ = len(train), len(vocab), len(cats), len(shared)
    x = np.zeros((n, d))
    a = np.zeros((k_, n, s_))  # category x example x shared weight: the example names the category
    for i, (feats, *_) in enumerate(train):
        for f in set(feats):
            if f in col:
                x[i, col[f]] = 1.0
                hit = named[f]
                if hit is not None and hit[1] in cat_of:
                    a[cat_of[hit[1]], i, sh_col[hit[0]]] += 1.0
    y = np.zeros((n, k_))
    y[np.arange(n), [cat_of[label] for label in labels]] = 1.0

    def unpack(theta: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return theta[:k_], theta[k_ : k_ + d * k_].reshape(d, k_), theta[k_ + d * k_ :]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        b, w, v = unpack(theta)
        z = x @ w + b + (a @ v).T
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        nll = -float(np.log(np.maximum((p * y).sum(axis=1), 1e-300)).sum())
        reg = (float((w * w).sum()) + float(v @ v)) / (2 * c)
        r = p - y
        grad = np.concatenate([r.sum(axis=0), (x.T @ r + w / c).ravel(),
                               np.einsum("kns,nk->s", a, r, optimize=True) + v / c])
        return nll + reg, grad

    with threadpool_limits(1):  # threads only fight over a small problem on a shared machine
        theta = minimize(loss, np.zeros(k_ + d * k_ + s_), jac=True, method="L-BFGS-B",
                         options={"maxiter": MAX_ITERATIONS}).x
    b, w, v = unpack(theta)
    biases = {cat: round(float(b[k]), WEIGHT_DIGITS) for k, cat in enumerate(cats)}
    weights: dict[str, dict[str, float]] = {}
    for f, j in col.items():
        row = {cat: float(w[j, k]) for k, cat in enumerate(cats)}
        hit = named[f]
        if hit is not None and hit[1] in cat_of:
            row[hit[1]] += float(v[sh_col[hit[0]]])
        ws = {cat: round(wt, WEIGHT_DIGITS) for cat, wt in row.items() if abs(wt) >= MIN_WEIGHT}
        if ws:
            weights[f] = ws
    for g, j in sh_col.items():  # a shared weight also serves the categories no example named with it
        for cat in cats:
            name = g[:-1] + cat  # 'cbh=@' -> 'cbh=AID'
            if name not in col and abs(v[j]) >= MIN_WEIGHT:
                weights[name] = {cat: round(float(v[j]), WEIGHT_DIGITS)}
    return typemodel.TypeModel(biases, dict(sorted(weights.items())), lexicon=lexicon)


def right_by_gate(model: typemodel.TypeModel, test: Sequence[Example]) -> list[int]:
    """Per GRID_MIN_PROBABILITY gate, how many test examples code right."""
    right = [0] * len(GRID_MIN_PROBABILITY)
    for feats, _label, mode, negated, gold in test:
        lexicon = next(f[2:] for f in feats if f.startswith("t="))
        pred, prob = model.predict(feats)
        for g, gate in enumerate(GRID_MIN_PROBABILITY):
            chosen = pred if prob >= gate else lexicon
            right[g] += plover.coded_type(chosen, mode, negated) == gold
    return right


def choose(records: Sequence[Sequence[Example]], folds: int = INNER_FOLDS) -> tuple[float, int, float, float]:
    """(C, min_count, gate, inner accuracy) chosen by cross-validation on the training records alone
    (a record's examples stay in one fold); ties go to the surer gate (fewer overrides of the
    lexicon), then to the stronger regularisation."""
    best = (GRID_C[0], GRID_MIN_COUNT[0], GRID_MIN_PROBABILITY[-1], -1.0)
    total = sum(len(r) for r in records)
    for c in GRID_C:
        for mc in GRID_MIN_COUNT:
            right = [0] * len(GRID_MIN_PROBABILITY)
            for k in range(folds):
                inner_train = [e for i, r in enumerate(records) if i % folds != k for e in r]
                inner_test = [e for i, r in enumerate(records) if i % folds == k for e in r]
                model = fit(inner_train, c, mc)
                right = [a + b for a, b in zip(right, right_by_gate(model, inner_test), strict=True)]
            for g in reversed(range(len(GRID_MIN_PROBABILITY))):
                acc = right[g] / total
                if acc > best[3] + 1e-9:
                    best = (c, mc, GRID_MIN_PROBABILITY[g], acc)
    return best


def fit_chosen(
    golds: Sequence[Any], docs: Sequence[ParsedDoc], lexicon: str = typemodel.HAND, unseen: bool = False
) -> tuple[typemodel.TypeModel, dict[str, Any]]:
    """A model fitted on these records with settings chosen by inner cross-validation on them;
    ``lexicon``: the word list whose triggers it learns to type. ``unseen``: each record gives a
    second example with its own trigger word taken out of the hand lexicon (:func:`examples`), so the
    model learns how far to trust the codebook's and the prototypes' guesses on words the lexicon
    lacks; on the training records alone the lexicon is always right and would always be trusted."""
    kinds = [examples(golds, docs, lexicon)]
    if unseen and lexicon != typemodel.CODEBOOK:
        kinds.append(examples(golds, docs, lexicon, own_word_out=True))
    records = [[e for e in group if e is not None] for group in zip(*kinds, strict=True)]
    c, mc, gate, acc = choose(records)
    train = [e for r in records for e in r]
    model = fit(train, c, mc, lexicon)
    model = typemodel.TypeModel(model.biases, model.weights, gate, lexicon)
    return model, {"lexicon": lexicon, "C": c, "min_count": mc, "min_probability": gate,
                   "inner_cv_accuracy": round(acc, 4), "examples": len(train), "own_word_out": len(kinds) > 1}


# --- the trigger model: which candidate is the event ----------------------------------------------

Group = list[tuple[list[str], bool]]  # one record's candidates: features, codes as the gold category?


def trigger_groups(golds: Sequence[Any], docs: Sequence[ParsedDoc], lexicon: str = typemodel.HAND_CODEBOOK,
                   as_found: bool = True) -> list[list[Group]]:
    """Per record, its candidate events with their features and whether each codes as the gold
    category, twice: as the word lists find them, and with the record's own top trigger word out
    of the hand lexicon (so the model learns to choose among the codebook's and the prototypes'
    guesses, as on unseen wording). Candidates are typed by the word lists alone (no type model,
    which would have seen these records). Records where no or every candidate is right teach
    nothing about the choice and are left out. One list of groups per record (kept in one fold)."""
    reader = _bench_events()
    out: list[list[Group]] = []
    for gold, doc in zip(golds, docs, strict=True):
        own = reader.top_trigger(doc, gold.id)
        out.append([])
        for withheld in ({own} if own else set(), set()) if as_found else ({own} if own else set(),):
            with reader.words_withheld(withheld):
                found = events.find_events(doc, gold.id, [], [], [], lexicon_only=True, lexicon=lexicon)
                group = [(feats, plover.coded_type(e.type, e.mode, e.negated) == gold.type)
                         for e, feats in events.candidates(doc, found)]
            if 0 < sum(right for _, right in group) < len(group):
                out[-1].append(group)
    return out


def fit_triggers(groups: Sequence[Group], c: float) -> triggermodel.TriggerModel:
    """A conditional logit over each record's candidates (L2 by ``c``): the probability mass on the
    candidates that code right is maximised (any of them will do)."""
    from scipy.optimize import minimize

    vocab = sorted({f for g in groups for feats, _ in g for f in feats})
    col = {f: j for j, f in enumerate(vocab)}
    mats = []
    for g in groups:
        x = np.zeros((len(g), len(vocab)))
        for r, (feats, _) in enumerate(g):
            x[r, [col[f] for f in set(feats)]] = 1.0
        mats.append((x, np.array([right for _, right in g])))

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = float(w @ w) / (2 * c), w / c
        for x, right in mats:
            z = x @ w
            z -= z.max()
            p = np.exp(z)
            q = np.where(right, p, 0.0)
            total -= float(np.log(q.sum()) - np.log(p.sum()))
            grad = grad + x.T @ (p / p.sum() - q / q.sum())
        return total, grad

    w = minimize(loss, np.zeros(len(vocab)), jac=True, method="L-BFGS-B",
                 options={"maxiter": MAX_ITERATIONS}).x
    weights = {f: round(float(w[j]), WEIGHT_DIGITS) for f, j in col.items() if abs(w[j]) >= MIN_WEIGHT}
    return triggermodel.TriggerModel(0.0, weights)  # a bias changes no choice within a record


def chosen_right(model: triggermodel.TriggerModel, groups: Sequence[Group]) -> int:
    """Records whose chosen candidate codes right: the highest-scored (the first on a tie, as extract
    does not: a tie there goes to the tree rule, which the features already hold) when it scores the
    model's margin above the tree rule's choice, else the tree rule's."""
    right = 0
    for g in groups:
        scores = [model.score(feats) for feats, _ in g]
        best = max(range(len(g)), key=lambda k: scores[k])
        tree = next((k for k, (feats, _) in enumerate(g) if set(feats) >= TREE_TOP), best)
        right += g[best if scores[best] - scores[tree] >= model.margin else tree][1]
    return right


def fit_triggers_chosen(records: Sequence[Sequence[Group]], folds: int = INNER_FOLDS
                        ) -> tuple[triggermodel.TriggerModel, dict[str, Any]]:
    """The trigger model with C chosen by inner cross-validation on these records' groups (a record's
    groups stay in one fold; ties: stronger regularisation)."""
    best_c, best_m, best = GRID_TRIGGER_C[0], GRID_TRIGGER_MARGIN[-1], -1
    for c in GRID_TRIGGER_C:
        right = [0] * len(GRID_TRIGGER_MARGIN)
        for k in range(folds):
            inner = [g for i, r in enumerate(records) if i % folds != k for g in r]
            held = [g for i, r in enumerate(records) if i % folds == k for g in r]
            fitted = fit_triggers(inner, c)
            for j, m in enumerate(GRID_TRIGGER_MARGIN):
                right[j] += chosen_right(replace(fitted, margin=m), held)
        for j in reversed(range(len(GRID_TRIGGER_MARGIN))):  # ties: the larger margin (the tree rule)
            if right[j] > best:
                best_c, best_m, best = c, GRID_TRIGGER_MARGIN[j], right[j]
    groups = [g for r in records for g in r]
    model = replace(fit_triggers(groups, best_c), margin=best_m)
    return model, {"C": best_c, "margin": best_m, "groups": len(groups),
                   "inner_cv_right": round(best / max(len(groups), 1), 4)}


def vocabulary(path: Path, limit: int = VOCAB_SENTENCES) -> dict[str, str]:
    """Verb and noun lemmas of news text that no event record is in (CoNLL-2003 eng.train: Reuters,
    1996), seen at least VOCAB_MIN_COUNT times -> their usual part of speech."""
    return _lemmas(news_sentences(path, limit))


def news_sentences(path: Path, limit: int) -> list[str]:
    """Up to ``limit`` sentences of news text: a CoNLL file (one token a line), or a folder of plain
    text articles (PolNeAR's text/), one line a paragraph."""
    if path.is_dir():
        files = sorted(path.glob("*.txt"))
        lines = (line.strip() for f in files for line in f.read_text(encoding="utf-8").splitlines())
        return [line for line in lines if len(line.split()) >= VOCAB_MIN_WORDS][:limit]
    sentences, words = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("-DOCSTART-"):
            if len(words) >= VOCAB_MIN_WORDS:
                sentences.append(" ".join(words))
            words = []
        else:
            words.append(line.split()[0])
    return sentences[:limit]


def _lemmas(sentences: list[str], phrasal: bool = False) -> dict[str, str]:
    """Verb and noun lemmas seen VOCAB_MIN_COUNT times -> usual part of speech; ``phrasal``: verbs
    with their particle too ('blow up', 'force out'), which name another act than the verb alone."""
    counts: Counter[tuple[str, str]] = Counter()
    for doc in nlp.parse_many(sentences):
        counts.update((t.lemma.lower(), t.pos) for t in doc.tokens
                      if t.pos in ("VERB", "NOUN") and t.lemma.isalpha() and len(t.lemma) > 2)
        if phrasal:
            counts.update((prototypes.phrasal_key(doc, t.i), "VERB") for t in doc.tokens
                          if t.pos == "VERB" and prototypes.phrasal_key(doc, t.i) != t.lemma.lower())
    best: dict[str, tuple[int, str]] = {}
    for (lemma, pos), n in counts.items():
        if n >= VOCAB_MIN_COUNT and n > best.get(lemma, (0, ""))[0]:
            best[lemma] = (n, pos)
    return {lemma: pos for lemma, (_, pos) in sorted(best.items())}


def near_words(table: dict[str, Any], vocab: dict[str, str]) -> dict[str, list[Any]]:
    """Per vocabulary word the codebook has no vote for: the codebook word closest to it in the
    sentence encoder's space (all-MiniLM-L6-v2), that word's category and the cosine, when it is at
    least NEAR_KEEP ('kidnap' -> 'abduct' ASSAULT). Words are compared alone: no sentence is read."""
    from newsfuse.fuse.claims import encoder

    known: dict[str, str] = {}
    for votes in (table["objects"], table["heads"]):  # a head's category wins over an object's
        for word, counts in votes.items():
            hit = codebook.top(counts)
            if hit is not None and (hit[1] or word in table["heads"]):
                known[word] = hit[0]
    words = sorted(known)
    others = [w for w in vocab if w not in table["heads"] and w not in table["objects"]]
    sims = encoder.encode(others) @ encoder.encode(words).T
    out: dict[str, list[Any]] = {}
    for i, word in enumerate(others):
        j = int(sims[i].argmax())
        if sims[i, j] >= NEAR_KEEP:
            out[word] = [known[words[j]], round(float(sims[i, j]), 2), words[j], vocab[word]]
    return out


def prototype_table(vocab: dict[str, str]) -> dict[str, list[list[Any]]]:
    """Per vocabulary word (and codebook word): its prototypes.KEEP closest PLOVER categories by the
    highest cosine between the word (the mean of its prototypes.FORMS) and any description of a code
    of that category (prototypes.descriptions()). No event record is read."""
    from newsfuse.fuse.claims import encoder

    rows = prototypes.descriptions()
    cats = sorted({c for c, _ in rows})
    described = encoder.encode([text for _, text in rows])
    heads, objects, _ = codebook.table()
    words = sorted(set(vocab) | set(heads) | set(objects))
    forms = [encoder.encode([form.format(w) for w in words]) for form in prototypes.FORMS]
    mean = sum(forms[1:], forms[0])
    mean /= np.linalg.norm(mean, axis=1, keepdims=True)
    sims = mean @ described.T
    member = np.array([[c == cat for c, _ in rows] for cat in cats])  # category x description
    best = np.stack([np.where(member[j], sims, -1.0).max(axis=1) for j in range(len(cats))], axis=1)
    out: dict[str, list[list[Any]]] = {}
    for i, word in enumerate(words):
        order = np.argsort(-best[i])[: prototypes.KEEP]
        out[word] = [[cats[j], round(float(best[i, j]), 2)] for j in order]
    return out


def file_sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="plover_gsr_dev.json (the training half)")
    ap.add_argument("--out", type=Path, default=typemodel.MODEL_PATH)
    ap.add_argument("--trigger-out", type=Path, default=None, metavar=triggermodel.MODEL_PATH.name,
                    help="also train the trigger model (which candidate is the sentence's event) and "
                    f"write it here ({triggermodel.MODEL_PATH} makes the product use it); not shipped: "
                    "on bench/events.py's cross-validation it ties the tree rule on unseen wording and "
                    "loses on plain folds")
    ap.add_argument("--lexicon", choices=events.LEXICONS, default=typemodel.HAND_CODEBOOK,
                    help="the word list whose triggers the model types (default: the hand lexicon, and "
                    "the CAMEO codebook for every word it leaves alone; chosen by bench/events.py's "
                    "word-out cross-validation; hand+cameo, which adds the verbs PETRARCH2's CAMEO verb "
                    "dictionary codes, ties it there and is not shipped)")
    ap.add_argument("--codebook", type=Path, default=None, metavar="CONLL_TRAIN",
                    help=f"(re)build the CAMEO codebook table {codebook.TABLE_PATH.name} first, with the "
                    "words of this news text (CoNLL-2003 eng.train) as the vocabulary of neighbours")
    ap.add_argument("--prototypes", type=Path, nargs="+", default=None, metavar="NEWS",
                    help=f"(re)build the prototype table {prototypes.TABLE_PATH.name} first: each verb and "
                    "noun of this news text (CoNLL-2003 eng.train, PolNeAR train/text) against the CAMEO "
                    f"code descriptions ({PROTO_SENTENCES} sentences or paragraphs of each), verbs also "
                    "with their particle ('blow up')")
    ap.add_argument("--own-word-out", action="store_true",
                    help="also train on each record with its own trigger word out of the hand lexicon "
                    "(tried; lower on bench/events.py's word-out cross-validation, so not the default)")
    args = ap.parse_args(argv)
    if args.prototypes:
        texts = [line for path in args.prototypes for line in news_sentences(path, PROTO_SENTENCES)]
        words = prototype_table(_lemmas(texts, phrasal=True))
        data = {"source": "CAMEO code descriptions (data/cameo/event_codes.tsv), all-MiniLM-L6-v2",
                "vocabulary": ["/".join(p.parts[-3 if p.is_dir() else -2 :]) for p in args.prototypes],
                "words": words}
        prototypes.TABLE_PATH.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n",
                                         encoding="utf-8")
        prototypes.table.cache_clear()
        print(f"prototypes: {len(words)} words -> {prototypes.TABLE_PATH}")
    if args.codebook:
        table = codebook.build()
        table["near"] = near_words(table, vocabulary(args.codebook))
        table["vocabulary"] = args.codebook.name
        codebook.TABLE_PATH.write_text(json.dumps(table, sort_keys=True, indent=0) + "\n", encoding="utf-8")
        codebook.table.cache_clear()
        print(f"codebook: {len(table['heads'])} head words, {len(table['objects'])} object words "  # type: ignore[arg-type]
              f"-> {codebook.TABLE_PATH}")
    if not args.data.exists():
        print(f"{args.data}: not found; pass the path of plover_gsr_dev.json", file=sys.stderr)
        return 2
    golds = _bench_events().load(args.data)
    docs = list(nlp.parse_many(g.text for g in golds))
    model, settings = fit_chosen(golds, docs, args.lexicon, unseen=args.own_word_out)
    data = {"trained_on": args.data.name, "sha1": file_sha1(args.data), "settings": settings,
            **model.to_json()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{settings['examples']} examples, {len(model.weights)} features -> {args.out}")
    if args.trigger_out is None:
        print(json.dumps({"records": len(golds), **settings}, separators=(",", ":")))
        return 0
    chooser, trigger_settings = fit_triggers_chosen(trigger_groups(golds, docs, args.lexicon))
    settings["trigger"] = trigger_settings
    data = {"trained_on": args.data.name, "sha1": file_sha1(args.data), "settings": trigger_settings,
            **chooser.to_json()}
    args.trigger_out.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n",
                                encoding="utf-8")
    print(f"{trigger_settings['groups']} records, {len(chooser.weights)} features -> {args.trigger_out}")
    print(json.dumps({"records": len(golds), **settings}, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
