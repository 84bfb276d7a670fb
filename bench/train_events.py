"""Train the event-type classifier (newsfuse/analyze/events/typemodel.py) on PLOVER gold records.

Usage (from the project root, inside the venv)::

    python bench/train_events.py ../shared/bench/plover/plover_gsr_dev.json
        [--out newsfuse/data/events/typemodel.json] [--folds 5]

One example per record: the sentence's top event as bench/events.py picks it (highest in the tree,
then surest, then first), found and typed by the lexicon alone. Its label is the *action* category
that, with the mode the rules read, codes as the gold category (:func:`plover.coded_type`): the
lexicon's category when it already codes right ('will support' -> SUPPORT, coded AGREE), else the
gold category itself. A multinomial logistic regression (scikit-learn, L2) is fitted on the binary
features of :func:`typemodel.features`; features seen in fewer than ``min_count`` examples are
dropped and the surviving weights written as JSON, which newsfuse reads without scikit-learn.

Settings (the regularisation C and min_count) are chosen by an inner cross-validation on the
training records only: :func:`fit_chosen` never sees the records it will be scored on when
bench/events.py calls it fold by fold. The packaged model is fitted on every record of the file
with the settings the same inner cross-validation picks on all of it. The model file records the
SHA-1 of the training file, so bench/events.py knows to cross-validate rather than score the
packaged model on its own training data.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsfuse.analyze import nlp  # noqa: E402
from newsfuse.analyze.events import codebook, plover, typemodel  # noqa: E402
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
NEAR_KEEP = 0.5  # closer than this to no codebook word: no neighbour recorded
MIN_WEIGHT = 0.01  # smaller weights are dropped from the file: they change (almost) no decision


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
    golds: Sequence[Any], docs: Sequence[ParsedDoc], lexicon: str = typemodel.HAND
) -> list[Example | None]:
    """One example per record (None when the lexicon finds no event in it)."""
    out: list[Example | None] = []
    for gold, doc in zip(golds, docs, strict=True):
        found = events.find_events(doc, gold.id, [], [], [], lexicon_only=True, lexicon=lexicon)
        if not found:
            out.append(None)
            continue
        top = min(found, key=lambda e: (events.event_depth(doc, e), -e.confidence, e.trigger_start))
        at = doc.token_at(top.trigger_start)
        feats = next(
            (f for i, t, f in events.trigger_features(doc, lexicon) if i == at and t == top.type), None
        )
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


def fit(
    train: Sequence[Example], c: float, min_count: int, lexicon: str = typemodel.HAND
) -> typemodel.TypeModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    counts = Counter(f for feats, *_ in train for f in set(feats))
    rows = [{f: 1 for f in feats if counts[f] >= min_count} for feats, *_ in train]
    labels = [label for _, label, *_ in train]
    vec = DictVectorizer()
    x = vec.fit_transform(rows)
    classes = sorted(set(labels))
    if len(classes) == 1:  # nothing to learn: the one category everywhere
        return typemodel.TypeModel({classes[0]: 0.0}, {}, lexicon=lexicon)
    clf = LogisticRegression(C=c, max_iter=2000)
    with threadpool_limits(1):  # threads only fight over a small problem on a shared machine
        clf.fit(x, labels)
    cats = [str(k) for k in clf.classes_]
    coef = clf.coef_ if len(cats) > 2 else [-clf.coef_[0], clf.coef_[0]]
    intercept = clf.intercept_ if len(cats) > 2 else [-clf.intercept_[0], clf.intercept_[0]]
    biases = {cat: round(float(b), WEIGHT_DIGITS) for cat, b in zip(cats, intercept, strict=True)}
    weights: dict[str, dict[str, float]] = {}
    for j, name in enumerate(vec.get_feature_names_out()):
        ws = {cat: round(float(coef[k][j]), WEIGHT_DIGITS) for k, cat in enumerate(cats)}
        ws = {cat: w for cat, w in ws.items() if abs(w) >= MIN_WEIGHT}
        if ws:
            weights[str(name)] = ws
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


def choose(train: Sequence[Example], folds: int = INNER_FOLDS) -> tuple[float, int, float, float]:
    """(C, min_count, gate, inner accuracy) chosen by cross-validation on ``train`` alone; ties go
    to the surer gate (fewer overrides of the lexicon), then to the stronger regularisation."""
    best = (GRID_C[0], GRID_MIN_COUNT[0], GRID_MIN_PROBABILITY[-1], -1.0)
    for c in GRID_C:
        for mc in GRID_MIN_COUNT:
            right = [0] * len(GRID_MIN_PROBABILITY)
            for k in range(folds):
                inner_train = [e for i, e in enumerate(train) if i % folds != k]
                inner_test = [e for i, e in enumerate(train) if i % folds == k]
                model = fit(inner_train, c, mc)
                right = [a + b for a, b in zip(right, right_by_gate(model, inner_test), strict=True)]
            for g in reversed(range(len(GRID_MIN_PROBABILITY))):
                acc = right[g] / len(train)
                if acc > best[3] + 1e-9:
                    best = (c, mc, GRID_MIN_PROBABILITY[g], acc)
    return best


def fit_chosen(
    golds: Sequence[Any], docs: Sequence[ParsedDoc], lexicon: str = typemodel.HAND
) -> tuple[typemodel.TypeModel, dict[str, Any]]:
    """A model fitted on these records with settings chosen by inner cross-validation on them;
    ``lexicon``: the word list whose triggers it learns to type."""
    train = [e for e in examples(golds, docs, lexicon) if e is not None]
    c, mc, gate, acc = choose(train)
    model = fit(train, c, mc, lexicon)
    model = typemodel.TypeModel(model.biases, model.weights, gate, lexicon)
    return model, {"lexicon": lexicon, "C": c, "min_count": mc, "min_probability": gate,
                   "inner_cv_accuracy": round(acc, 4), "examples": len(train)}


def vocabulary(path: Path, limit: int = VOCAB_SENTENCES) -> dict[str, str]:
    """Verb and noun lemmas of news text that no event record is in (CoNLL-2003 eng.train: Reuters,
    1996), seen at least VOCAB_MIN_COUNT times -> their usual part of speech."""
    sentences, words = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("-DOCSTART-"):
            if len(words) >= VOCAB_MIN_WORDS:
                sentences.append(" ".join(words))
            words = []
        else:
            words.append(line.split()[0])
    counts: Counter[tuple[str, str]] = Counter()
    for doc in nlp.parse_many(sentences[:limit]):
        counts.update((t.lemma.lower(), t.pos) for t in doc.tokens
                      if t.pos in ("VERB", "NOUN") and t.lemma.isalpha() and len(t.lemma) > 2)
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


def file_sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="plover_gsr_dev.json (the training half)")
    ap.add_argument("--out", type=Path, default=typemodel.MODEL_PATH)
    ap.add_argument("--lexicon", choices=events.LEXICONS, default=typemodel.HAND_CODEBOOK,
                    help="the word list whose triggers the model types (default: the hand lexicon, and "
                    "the CAMEO codebook in sentences where it names no word; chosen by bench/events.py's "
                    "word-out cross-validation)")
    ap.add_argument("--codebook", type=Path, default=None, metavar="CONLL_TRAIN",
                    help=f"(re)build the CAMEO codebook table {codebook.TABLE_PATH.name} first, with the "
                    "words of this news text (CoNLL-2003 eng.train) as the vocabulary of neighbours")
    args = ap.parse_args(argv)
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
    model, settings = fit_chosen(golds, docs, args.lexicon)
    data = {"trained_on": args.data.name, "sha1": file_sha1(args.data), "settings": settings,
            **model.to_json()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{settings['examples']} examples, {len(model.weights)} features -> {args.out}")
    print(json.dumps({"records": len(golds), **settings}, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
