"""Named-entity quality on CoNLL-2003: our corrected name mentions vs the raw spaCy model.

Usage (from the project root, inside the venv)::

    python bench/ner.py ../shared/bench/conll2003/eng.testa [--sentences N]

Both systems see the same text and the same parse in the same run: the text of each CoNLL document is
rebuilt from its tokens (one space between tokens, one line per sentence) with a char -> token map, so
predicted character spans become token spans scored against the gold IOB1 spans (entity-level exact
match, micro-averaged like conlleval). "raw" is the model's ``doc.ents``; "ours" is
:func:`newsfuse.analyze.names.mentions.find_mentions` restricted to names as written (kinds ``name`` and
``partial``: a surname linked to a full name is still a name span), after our corrections.
OntoNotes types are mapped as the bench README says; dates, numbers and money are dropped.
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

from newsfuse.analyze import nlp
from newsfuse.analyze.names import mentions as entities
from newsfuse.analyze.parse import ParsedDoc

LABEL_MAP = {
    "PERSON": "PER", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "ORG": "ORG",
    "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
    "LANGUAGE": "MISC",
}
LABELS = ("PER", "LOC", "ORG", "MISC")

Span = tuple[int, int, str]  # token start, token end (exclusive), CoNLL label


@dataclass
class Document:
    """One CoNLL document rebuilt as text, with its tokens' character starts and gold spans."""

    text: str
    starts: list[int] = field(default_factory=list)
    gold: set[Span] = field(default_factory=set)
    sentences: int = 0


def read_conll(path: Path, max_sentences: int | None = None) -> list[Document]:
    """Documents of an IOB1 CoNLL-2003 file (``word POS chunk NER`` lines, ``-DOCSTART-`` between)."""
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
    return [_build(d) for d in docs if d]


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


def run(path: Path, max_sentences: int | None = None) -> dict[str, object]:
    """Score raw spaCy and our mentions on the file; returns every figure."""
    docs = read_conll(path, max_sentences)
    counts = {name: (Counter[str](), Counter[str](), Counter[str]()) for name in ("raw", "ours")}
    began = time.perf_counter()
    for doc, parsed in zip(docs, nlp.parse_many(d.text for d in docs), strict=True):
        _count(doc.gold, raw_spans(doc, parsed), *counts["raw"])
        _count(doc.gold, our_spans(doc, parsed), *counts["ours"])
    result: dict[str, object] = {
        "bench": "ner",
        "data": str(path),
        "documents": len(docs),
        "sentences": sum(d.sentences for d in docs),
        "seconds": round(time.perf_counter() - began, 2),
    }
    for name, (tp, fp, fn) in counts.items():
        result[name] = scores(tp, fp, fn)
    result["f1_gain"] = round(_f1(result, "ours") - _f1(result, "raw"), 4)
    return result


def _f1(result: dict[str, object], name: str) -> float:
    table = result[name]
    assert isinstance(table, dict)
    return float(table["all"]["f1"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="CoNLL-2003 file, e.g. ../shared/bench/conll2003/eng.testa")
    ap.add_argument("--sentences", type=int, default=None, help="score only the first N sentences")
    args = ap.parse_args(argv)
    if not args.data.is_file():
        print(f"{args.data}: no such file; pass a CoNLL-2003 file such as conll2003/eng.testa",
              file=sys.stderr)
        return 2
    result = run(args.data, args.sentences)
    print(f"CoNLL-2003 {args.data.name}: {result['documents']} documents, {result['sentences']} sentences, "
          f"{result['seconds']} s")
    for name in ("raw", "ours"):
        table = result[name]
        assert isinstance(table, dict)
        cells = "  ".join(
            f"{label} P {table[label]['p']:.3f} R {table[label]['r']:.3f} F1 {table[label]['f1']:.3f}"
            for label in (*LABELS, "all")
        )
        print(f"{name:>5}: {cells}")
    print(f"F1 gain of our corrections over raw spaCy: {result['f1_gain']:+.4f}")
    print(json.dumps(result, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
