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
from newsfuse.analyze.events import extract as events  # noqa: E402
from newsfuse.analyze.events import plover, typemodel  # noqa: E402
from newsfuse.analyze.parse import ParsedDoc  # noqa: E402

GRID_C = (0.1, 0.3, 1.0, 3.0, 10.0)
GRID_MIN_COUNT = (1, 2)
# how sure the model must be to override the lexicon; above 1: never (the lexicon alone)
GRID_MIN_PROBABILITY = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
INNER_FOLDS = 4
WEIGHT_DIGITS = 3
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


def examples(golds: Sequence[Any], docs: Sequence[ParsedDoc]) -> list[Example | None]:
    """One example per record (None when the lexicon finds no event in it)."""
    out: list[Example | None] = []
    for gold, doc in zip(golds, docs, strict=True):
        found = events.find_events(doc, gold.id, [], [], [], lexicon_only=True)
        if not found:
            out.append(None)
            continue
        top = min(found, key=lambda e: (events.event_depth(doc, e), -e.confidence, e.trigger_start))
        at = doc.token_at(top.trigger_start)
        feats = next((f for i, t, f in events.trigger_features(doc) if i == at and t == top.type), None)
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


def fit(train: Sequence[Example], c: float, min_count: int) -> typemodel.TypeModel:
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
        return typemodel.TypeModel({classes[0]: 0.0}, {})
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
    return typemodel.TypeModel(biases, dict(sorted(weights.items())))


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


def fit_chosen(golds: Sequence[Any], docs: Sequence[ParsedDoc]) -> tuple[typemodel.TypeModel, dict[str, Any]]:
    """A model fitted on these records with settings chosen by inner cross-validation on them."""
    train = [e for e in examples(golds, docs) if e is not None]
    c, mc, gate, acc = choose(train)
    model = fit(train, c, mc)
    model = typemodel.TypeModel(model.biases, model.weights, gate)
    return model, {"C": c, "min_count": mc, "min_probability": gate, "inner_cv_accuracy": round(acc, 4),
                   "examples": len(train)}


def file_sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="plover_gsr_dev.json (the training half)")
    ap.add_argument("--out", type=Path, default=typemodel.MODEL_PATH)
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"{args.data}: not found; pass the path of plover_gsr_dev.json", file=sys.stderr)
        return 2
    golds = _bench_events().load(args.data)
    docs = list(nlp.parse_many(g.text for g in golds))
    model, settings = fit_chosen(golds, docs)
    data = {"trained_on": args.data.name, "sha1": file_sha1(args.data), "settings": settings,
            **model.to_json()}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{settings['examples']} examples, {len(model.weights)} features -> {args.out}")
    print(json.dumps({"records": len(golds), **settings}, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
