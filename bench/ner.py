"""Named-entity quality on CoNLL-2003: our corrected name mentions vs the raw spaCy model.

Usage (from the project root, inside the venv)::

    python bench/ner.py ../shared/bench [--sentences N]     # CoNLL dev: conll2003/eng.testa
    python bench/ner.py ../shared/bench/conll2003/eng.train --every 10 --ner /path/held_out_model

The second form scores only every 10th training document (those ``bench/train_ner.py --holdout 10``
leaves out), with the recogniser trained without them: the data the name rules are chosen on.

Every system sees the same text in the same run: the text of each CoNLL document is rebuilt from its
tokens (one space between tokens, one line per sentence) with a char -> token map, so predicted
character spans become token spans scored against the gold IOB1 spans (entity-level exact match,
micro-averaged like conlleval). "stock" is the small model's own ``doc.ents`` (the peer: spaCy as
shipped) and "ours_stock" our mentions on that parse (what the analysis gives while
``defaults.NER_WEIGHTS`` is empty); "raw" is ``doc.ents`` with the packaged recogniser fine-tuned on eng.train
(bench/train_ner.py); "ours" is :func:`newsfuse.analyze.names.mentions.find_mentions` on that parse,
restricted to names as written (kinds ``name`` and ``partial``: a surname linked to a full name is
still a name span), after our corrections.
OntoNotes types are mapped as the bench README says; dates, numbers and money are dropped.

``--speed DIR`` also times the whole analysis (parse and every rule step, one process) of the news
texts under DIR (e.g. polnear/dev/text) with the packaged recogniser and with the small model's own,
alternating the two ``--rounds`` times in the same run and keeping each one's best CPU time (of this
one process: wall time swings with other load on a shared machine): the ratio is what switching the
recogniser on costs (the issue allows 1.3x).
The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from newsfuse import defaults
from newsfuse.analyze import nlp
from newsfuse.analyze.names import mentions as entities
from newsfuse.analyze.parse import ParsedDoc

LABEL_MAP = {
    "PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG",
    "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
    "LANGUAGE": "MISC",
}
LABELS = ("PER", "LOC", "ORG", "MISC")
SYSTEMS = ("stock", "ours_stock", "raw", "ours")
# Where the packaged recogniser's settings were chosen (bench/train_ner.py --holdout 10).
TUNED_ON = "conll2003/eng.train, every 10th document held out"

Span = tuple[int, int, str]  # token start, token end (exclusive), CoNLL label


@dataclass
class Document:
    """One CoNLL document rebuilt as text, with its tokens' character starts and gold spans."""

    text: str
    starts: list[int] = field(default_factory=list)
    gold: set[Span] = field(default_factory=set)
    sentences: int = 0


def read_conll(path: Path, max_sentences: int | None = None, every: int = 0) -> list[Document]:
    """Documents of an IOB1 CoNLL-2003 file (``word POS chunk NER`` lines, ``-DOCSTART-`` between);
    with ``every`` N only documents N-1, 2N-1, ... (the ones bench/train_ner.py --holdout N holds out)."""
    docs: list[list[list[tuple[str, str]]]] = [[]]
    sentence: list[tuple[str, str]] = []
    seen = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts or parts[0] == "-DOCSTART-":
            if sentence:
                docs[-1].append(sentence)
                seen += 1
                sentence = []
            if parts and docs[-1]:
                docs.append([])
            if max_sentences is not None and seen >= max_sentences:
                break
            continue
        sentence.append((parts[0], parts[-1]))
    if sentence and (max_sentences is None or seen < max_sentences):
        docs[-1].append(sentence)
    kept = [d for d in docs if d]
    if every:
        kept = [d for n, d in enumerate(kept) if n % every == every - 1]
    return [_build(d) for d in kept]


def _build(sentences: list[list[tuple[str, str]]]) -> Document:
    doc = Document(text="", sentences=len(sentences))
    pieces: list[str] = []
    offset = 0
    tags: list[str] = []
    for s, sentence in enumerate(sentences):
        for t, (word, tag) in enumerate(sentence):
            sep = "" if not pieces else ("\n" if t == 0 and s > 0 else " ")
            offset += len(sep)
            doc.starts.append(offset)
            pieces.append(sep + word)
            offset += len(word)
            tags.append(tag if t > 0 or tag == "O" else tag.replace("I-", "B-", 1))
    doc.text = "".join(pieces)
    doc.gold = set(iob1_spans(tags))
    return doc


def iob1_spans(tags: Iterable[str]) -> list[Span]:
    """Spans of an IOB1 sequence: I-X continues X; B-X (or a new type) starts a new span."""
    spans: list[Span] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == label
        if start >= 0 and not continues:
            spans.append((start, i, label))
            start, label = -1, ""
        if prefix in ("B", "I") and not continues:
            start, label = i, kind
    return spans


def _token_span(doc: Document, start: int, end: int) -> tuple[int, int]:
    """Token range covering characters ``start:end`` (bisect over token starts)."""
    from bisect import bisect_right

    first = bisect_right(doc.starts, start) - 1
    last = bisect_right(doc.starts, end - 1) - 1
    return max(first, 0), last + 1


def raw_spans(doc: Document, parsed: ParsedDoc) -> set[Span]:
    out = set()
    for e in parsed.ents:
        label = LABEL_MAP.get(e.label)
        if label:
            out.add((*_token_span(doc, e.start_char, e.end_char), label))
    return out


def our_spans(doc: Document, parsed: ParsedDoc) -> set[Span]:
    out = set()
    for m in entities.find_mentions(parsed, "conll"):
        label = LABEL_MAP.get(m.label)
        if label and m.kind in entities.NAME_KINDS:
            out.add((*_token_span(doc, m.start, m.end), label))
    return out


def scores(tp: Counter[str], fp: Counter[str], fn: Counter[str]) -> dict[str, dict[str, float]]:
    """P/R/F1 per label and micro-averaged ('all')."""
    out = {}
    for label in (*LABELS, "all"):
        t = sum(tp.values()) if label == "all" else tp[label]
        p_den = t + (sum(fp.values()) if label == "all" else fp[label])
        r_den = t + (sum(fn.values()) if label == "all" else fn[label])
        p = t / p_den if p_den else 0.0
        r = t / r_den if r_den else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[label] = {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "gold": r_den}
    return out


def _count(gold: set[Span], pred: set[Span], tp: Counter[str], fp: Counter[str], fn: Counter[str]) -> None:
    for s in pred & gold:
        tp[s[2]] += 1
    for s in pred - gold:
        fp[s[2]] += 1
    for s in gold - pred:
        fn[s[2]] += 1


def run(
    path: Path, max_sentences: int | None = None, ner: str = defaults.NER_PACKAGED, every: int = 0
) -> dict[str, object]:
    """Score the stock recogniser, the packaged one (or ``ner``) and our mentions; returns every figure."""
    docs = read_conll(path, max_sentences, every)
    counts = {name: (Counter[str](), Counter[str](), Counter[str]()) for name in SYSTEMS}
    began = time.perf_counter()
    for doc, parsed in zip(docs, nlp.parse_many((d.text for d in docs), ner=ner), strict=True):
        _count(doc.gold, raw_spans(doc, parsed), *counts["raw"])
        _count(doc.gold, our_spans(doc, parsed), *counts["ours"])
    for doc, parsed in zip(docs, nlp.parse_many((d.text for d in docs), ner=""), strict=True):
        _count(doc.gold, raw_spans(doc, parsed), *counts["stock"])
        _count(doc.gold, our_spans(doc, parsed), *counts["ours_stock"])
    result: dict[str, object] = {
        "bench": "ner",
        "data": str(path),
        "tuned_on": TUNED_ON,
        "ner": ner,
        "every": every,
        "documents": len(docs),
        "sentences": sum(d.sentences for d in docs),
        "seconds": round(time.perf_counter() - began, 2),
    }
    for name, (tp, fp, fn) in counts.items():
        result[name] = scores(tp, fp, fn)
    result["f1_gain"] = round(_f1(result, "ours") - _f1(result, "raw"), 4)
    result["f1_gain_over_stock"] = round(_f1(result, "ours") - _f1(result, "stock"), 4)
    return result


def speed(data: Path, n: int, rounds: int, ner: str = defaults.NER_PACKAGED) -> dict[str, object]:
    """Best seconds of the whole analysis of ``n`` texts under ``data`` with ``ner`` and without."""
    from newsfuse.analyze import pipeline
    from newsfuse.ids import content_id
    from newsfuse.models import Article

    paths = sorted(data.rglob("*.txt"))[:n]
    articles = [Article(id=content_id(p.name, p.read_text(encoding="utf-8"), prefix="a_"),
                        text=p.read_text(encoding="utf-8"), outlet=p.stem) for p in paths]
    best = {"on": float("inf"), "off": float("inf")}
    saved = defaults.NER_WEIGHTS
    try:
        for weights in (ner, ""):  # load both and the rule steps' own models (untimed) before timing
            defaults.NER_WEIGHTS = weights
            pipeline.analyze_texts(articles[:1], workers=1)
        settings = [("on", ner), ("off", "")]
        for n in range(max(1, rounds)):
            for setting, weights in settings[::-1] if n % 2 else settings:  # each goes first in turn
                defaults.NER_WEIGHTS = weights
                began = time.process_time()  # CPU time of this process: the machine is shared
                pipeline.analyze_texts(articles, workers=1)
                best[setting] = min(best[setting], time.process_time() - began)
    finally:
        defaults.NER_WEIGHTS = saved
    return {"data": str(data), "articles": len(articles), "words": sum(len(a.text.split()) for a in articles),
            "rounds": rounds, "seconds_on": round(best["on"], 2), "seconds_off": round(best["off"], 2),
            "ratio_on_off": round(best["on"] / best["off"], 3) if best["off"] else None}


def _f1(result: dict[str, object], name: str) -> float:
    table = result[name]
    assert isinstance(table, dict)
    return float(table["all"]["f1"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="the bench folder (scores conll2003/eng.testa) or a CoNLL file")
    ap.add_argument("--sentences", type=int, default=None, help="score only the first N sentences")
    ap.add_argument("--ner", default=defaults.NER_PACKAGED,
                    help="entity recogniser directory (default: the packaged one; a held-out model of "
                         "bench/train_ner.py --holdout to score on held-out training documents)")
    ap.add_argument("--every", type=int, default=0,
                    help="score only every Nth document (those bench/train_ner.py --holdout N left out)")
    ap.add_argument("--speed", type=Path, default=None,
                    help="also time the whole analysis of the news texts under this folder, on vs off")
    ap.add_argument("--speed-articles", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args(argv)
    if args.data.is_dir():
        args.data = args.data / "conll2003" / "eng.testa"
    if not args.data.is_file():
        print(f"{args.data}: no such file; pass a CoNLL-2003 file such as conll2003/eng.testa",
              file=sys.stderr)
        return 2
    result = run(args.data, args.sentences, args.ner, args.every)
    print(f"CoNLL-2003 {args.data.name}: {result['documents']} documents, {result['sentences']} sentences, "
          f"{result['seconds']} s")
    for name in SYSTEMS:
        table = result[name]
        assert isinstance(table, dict)
        cells = "  ".join(
            f"{label} P {table[label]['p']:.3f} R {table[label]['r']:.3f} F1 {table[label]['f1']:.3f}"
            for label in (*LABELS, "all")
        )
        print(f"{name:>5}: {cells}")
    if args.speed is not None:
        timing = speed(args.speed, args.speed_articles, args.rounds, args.ner)
        result["analysis_speed"] = timing
        print(f"analysis of {timing['articles']} texts: {timing['seconds_on']} s with the packaged "
              f"recogniser, {timing['seconds_off']} s without: ratio {timing['ratio_on_off']}")
    print(f"F1 gain of our corrections over the packaged recogniser: {result['f1_gain']:+.4f}, "
          f"over the stock small model: {result['f1_gain_over_stock']:+.4f}")
    print(json.dumps(result, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
