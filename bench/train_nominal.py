"""Learn which nouns name events and which verbs never do, from ECB+ TRAIN gold event mentions.

Usage (from the project root, inside the venv)::

    python bench/train_nominal.py ../shared/bench/ecbplus [--out newsfuse/data/nominal/words.json]

ECB+ marks every event word of its annotated sentences, nouns ('the decision', 'the offer', 'an
election') as well as verbs. Each annotated sentence of the TRAIN split is parsed by the product's
spaCy pipeline (tokens aligned to the gold tokens by character); a word counts as an event at a
token heading a gold event mention (of 'took office' only 'took'). Per lemma, the event rate is
(tokens that are events) / (tokens of that part of speech):

* ``nouns``: nouns whose rate is at least ``noun_rate`` over at least ``noun_min_count`` tokens
  (:mod:`newsfuse.analyze.events.nominal` reads them as event triggers when no PLOVER word names
  the event);
* ``non_event_verbs``: verbs seen at least ``verb_min_count`` times whose rate is below ``verb_rate``
  ('be', 'have', 'include'): never the predicate of an untyped statement.

The rates and counts are chosen by cross-validation over the train topics (``--folds``):
each fold's lists are learned on the other topics and scored by F1 of 'this token is an event' on
the fold's nouns (F0.5: precision weighs more, see ``NOUN_BETA``) and verbs (F1). Dev and test are
never read. The packaged lists are learned on all of
train with the chosen rates. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import claimalign

RATES = (0.2, 0.3, 0.4, 0.5, 0.6)
VERB_RATES = (0.02, 0.05, 0.1, 0.15)
MIN_COUNTS = (2, 3, 5)
# Nouns are scored by F0.5: a noun wrongly taken for an event makes statements that can join two
# facts ('Mueller's office' read as an act), a missed one only leaves a fact without a statement.
NOUN_BETA = 0.5
OUT = Path(__file__).resolve().parent.parent / "newsfuse" / "data" / "nominal" / "words.json"

# one parsed token of an annotated sentence: (topic, lemma, universal POS, is an event)
Row = tuple[str, str, str, bool]


def rows(folder: Path) -> list[Row]:
    """Every noun and verb token of the annotated TRAIN sentences, with its gold label."""
    from newsfuse.analyze import nlp

    docs, mentions = claimalign.read_ecb(folder, "Train", None)
    gold: dict[tuple[str, int], list[list[int]]] = {}
    for m in mentions:
        gold.setdefault((m.doc, m.sent), []).append(m.tokens)
    texts, keys = [], []
    for d in docs:
        for n, toks in sorted(d.sentences.items()):
            if (d.key, n) not in gold:
                continue  # ECB+ marks events only in its annotated sentences
            text, offsets = claimalign.detokenized(toks)
            texts.append(text)
            keys.append((d.key, n, offsets))
    out: list[Row] = []
    for (doc, n, offsets), parsed in zip(keys, nlp.parse_many(texts), strict=True):
        heads = {h for toks in gold[(doc, n)] if (h := _head(parsed, [offsets[k] for k in toks
                                                                      if k < len(offsets)])) is not None}
        for t in parsed.tokens:
            if t.pos in ("NOUN", "VERB"):
                out.append((doc.split("_")[0], t.lemma.lower(), t.pos, t.i in heads))
    return out


def _head(parsed: Any, spans: Sequence[tuple[int, int]]) -> int | None:
    """The parsed token heading a gold mention: of a multi-word mention ('took office', 'heart
    attack') only the head is the event word, not every word of it."""
    inside = [t.i for t in parsed.tokens if any(lo < t.end and t.idx < hi for lo, hi in spans)]
    tops = [i for i in inside if parsed.tokens[i].head not in inside or parsed.tokens[i].head == i]
    return tops[0] if tops else None


def rates(found: Iterable[Row], pos: str) -> dict[str, tuple[int, int]]:
    """lemma -> (event tokens, tokens) of one part of speech."""
    counts: dict[str, list[int]] = {}
    for _, lemma, p, event in found:
        if p == pos:
            c = counts.setdefault(lemma, [0, 0])
            c[0] += event
            c[1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def nouns(found: Iterable[Row], rate: float, least: int) -> set[str]:
    """Words only: a '%' or a particle the tagger called a noun is no event word."""
    return {k for k, (e, n) in rates(found, "NOUN").items()
            if n >= least and e / n >= rate and k.isalpha() and len(k) > 2}


def non_event_verbs(found: Iterable[Row], rate: float, least: int) -> set[str]:
    return {k for k, (e, n) in rates(found, "VERB").items() if n >= least and e / n < rate and k.isalpha()}


def f1(pairs: Sequence[tuple[bool, bool]], beta: float = 1.0) -> float:
    """F-beta of (predicted, gold) pairs: beta < 1 weighs precision more."""
    tp = sum(p and g for p, g in pairs)
    fp = sum(p and not g for p, g in pairs)
    fn = sum(g and not p for p, g in pairs)
    b2 = beta * beta
    return (1 + b2) * tp / ((1 + b2) * tp + fp + b2 * fn) if tp else 0.0


def cross_validate(found: Sequence[Row], folds: int) -> dict[str, Any]:
    topics = sorted({r[0] for r in found}, key=int)
    parts = [set(topics[k::folds]) for k in range(folds)]
    noun_f1, verb_f1 = Counter[tuple[float, int]](), Counter[tuple[float, int]]()
    for held in parts:
        train = [r for r in found if r[0] not in held]
        test = [r for r in found if r[0] in held]
        for rate in RATES:
            for least in MIN_COUNTS:
                keep = nouns(train, rate, least)
                noun_f1[rate, least] += f1([(r[1] in keep, r[3]) for r in test if r[2] == "NOUN"],
                                           NOUN_BETA) / folds
        for rate in VERB_RATES:
            for least in MIN_COUNTS:
                drop = non_event_verbs(train, rate, least)
                verb_f1[rate, least] += f1([(r[1] not in drop, r[3]) for r in test if r[2] == "VERB"]) / folds
    # ties go to the stricter list: the higher noun rate and count, the lower verb rate
    noun = max(noun_f1, key=lambda k: (round(noun_f1[k], 3), k))
    verb = max(verb_f1, key=lambda k: (round(verb_f1[k], 3), -k[0], k[1]))
    return {"noun_rate": noun[0], "noun_min_count": noun[1], "verb_rate": verb[0], "verb_min_count": verb[1],
            "noun_f05": {f"{k[0]}/{k[1]}": round(v, 3) for k, v in sorted(noun_f1.items())},
            "verb_f1": {f"{k[0]}/{k[1]}": round(v, 3) for k, v in sorted(verb_f1.items())}}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("ecbplus", type=Path, help="folder with ECB_Train_corpus.txt and its gold mentions")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    found = rows(args.ecbplus)
    chosen = cross_validate(found, args.folds)
    keep = sorted(nouns(found, chosen["noun_rate"], chosen["noun_min_count"]))
    drop = sorted(non_event_verbs(found, chosen["verb_rate"], chosen["verb_min_count"]))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "source": "ECB+ train gold event mentions (bench/train_nominal.py)",
        "noun_rate": chosen["noun_rate"], "verb_rate": chosen["verb_rate"],
        "noun_min_count": chosen["noun_min_count"], "verb_min_count": chosen["verb_min_count"],
        "nouns": keep, "non_event_verbs": drop,
    }, indent=1) + "\n", encoding="utf-8")
    print(f"{len(keep)} event nouns, {len(drop)} non-event verbs -> {args.out}")
    print(json.dumps({**chosen, "nouns": len(keep), "non_event_verbs": len(drop), "tokens": len(found)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
