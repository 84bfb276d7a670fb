"""Time-expression detection on ECB+ (TIME mentions): ours vs dateparser vs spaCy's DATE/TIME entities.

Usage (from the project root, inside the venv)::

    python bench/dates.py ../shared/bench/ecbplus [--split Dev] [--docs N]

ECB+ annotates time expressions among its entity mentions (``mention_type`` ``TIM`` in
``ECB_<split>_Entity_gold_mentions.json``; spans are token numbers of one sentence). Only some
sentences of each document are annotated, and the corpus file holds exactly those, so every figure is
over annotated sentences only. Each document is rebuilt from its tokens (light detokenisation: no space
before closing punctuation, after opening brackets, or around a colon between digits; one line per
sentence) with a token -> char map, parsed once with :func:`newsfuse.analyze.nlp.parse_many`, and
three systems are scored in the same run on the same text:

* ``ours``: :func:`newsfuse.analyze.time.extract.find_times` with no publication date (ECB+ has none);
* ``dateparser``: ``dateparser.search.search_dates(text, languages=["en"])``, each string located in
  the text left to right;
* ``spacy``: the model's own DATE/TIME entities from the same parse.

Character spans become token spans (every token they touch). Span conventions differ: ECB+ includes a
leading preposition ('on Friday', 'at 2.30am'), ours leaves it out, dateparser sometimes keeps it. The
scorer maps this for every system alike (gold and predicted): leading prepositions and punctuation are
trimmed before matching. The product's spans are not changed to fit the gold.

Figures: exact and overlap (any shared token) P/R/F1 at span level; resolution of absolute dates (gold
spans that write a year) by ours and dateparser: the value must agree with the year, month and day the
gold text writes. ECB+ TIME also covers durations, frequencies and ordinals ('a second time', 'all
season') that none of the systems aims at; they stay in the gold and cost recall for everyone.
The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from newsfuse.analyze import nlp
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.time.extract import find_times

Span = tuple[int, int]  # token start, token end (exclusive), within one document
SYSTEMS = ("ours", "dateparser", "spacy")

# Scorer-side span convention (applied to gold and every system alike), not a product rule.
LEADING_WORDS = {
    "on", "in", "at", "since", "by", "until", "till", "from", "during", "through", "throughout",
    "before", "after", "around", "about", "for", "of", "as", "over", "within", "between", "circa",
}
PUNCT = {",", ".", ";", ":", "!", "?", "(", ")", "[", "]", '"', "'", "-", "--", "``", "''"}

_NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "'s", "'", "n't", "'re", "'ve",
                    "'ll", "'d", "'m", "''"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``"}
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = re.compile(r"(?i)\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)(?:uary|ruary|ch|il|e|y|ust|t|"
                    r"tember|ember|ober)?\b\.?")


@dataclass
class Document:
    """One ECB+ document rebuilt as text from its annotated sentences."""

    doc_id: str
    text: str = ""
    tokens: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    gold: set[Span] = field(default_factory=set)
    sentences: int = 0


# --- reading ---------------------------------------------------------------------------------


def data_dir(path: Path) -> Path:
    """The ecbplus folder itself, or the bench folder holding it."""
    return path / "ecbplus" if (path / "ecbplus").is_dir() else path


def read_ecb(path: Path, split: str = "Dev", max_docs: int | None = None, every: int = 1) -> list[Document]:
    """Documents of ``ECB_<split>_corpus.txt`` (in file order) with their gold TIME spans.

    ``every``: keep every n-th document only (a slice that still spans all topics, where the first N
    documents would cover two or three topics).
    """
    folder = data_dir(path)
    rows = _read_tokens(folder / f"ECB_{split}_corpus.txt")
    order = list(dict.fromkeys(doc_id for doc_id, _, _, _ in rows))[::every]
    if max_docs is not None:
        order = order[:max_docs]
    keep = set(order)
    by_doc: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for doc_id, sent, tok, word in rows:
        if doc_id in keep:
            by_doc[doc_id].append((sent, tok, word))
    docs = {doc_id: _build(doc_id, by_doc[doc_id]) for doc_id in order}
    index = {doc_id: _token_index(by_doc[doc_id]) for doc_id in order}
    mentions = json.loads((folder / f"ECB_{split}_Entity_gold_mentions.json").read_text(encoding="utf-8"))
    for m in mentions:
        if m["mention_type"] != "TIM" or m["doc_id"] not in keep:
            continue
        ids = [index[m["doc_id"]].get((m["sent_id"], t)) for t in m["tokens_number"]]
        found = [i for i in ids if i is not None]
        if found:  # a discontinuous mention (rare) is scored as the range it spans
            docs[m["doc_id"]].gold.add((min(found), max(found) + 1))
    return [docs[d] for d in order]


def _read_tokens(path: Path) -> list[tuple[str, int, int, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 4 and parts[1].isdigit() and parts[2].isdigit():
            rows.append((parts[0], int(parts[1]), int(parts[2]), parts[3]))
    return rows


def _token_index(rows: list[tuple[int, int, str]]) -> dict[tuple[int, int], int]:
    return {(sent, tok): i for i, (sent, tok, _) in enumerate(sorted(rows))}


def _build(doc_id: str, rows: list[tuple[int, int, str]]) -> Document:
    doc = Document(doc_id)
    pieces: list[str] = []
    offset, prev_sent, prev_word, before_prev = 0, None, "", ""
    for sent, _, word in sorted(rows):
        sep = _separator(before_prev, prev_word, word) if sent == prev_sent else ("\n" if pieces else "")
        if sent != prev_sent:
            doc.sentences += 1
        offset += len(sep)
        doc.tokens.append(word)
        doc.starts.append(offset)
        doc.ends.append(offset + len(word))
        pieces.append(sep + word)
        offset += len(word)
        prev_sent, prev_word, before_prev = sent, word, prev_word
    doc.text = "".join(pieces)
    return doc


def _letter(word: str) -> bool:
    return len(word) == 1 and word.isalpha()


def _separator(before_prev: str, prev: str, word: str) -> str:
    """Light detokenisation, so that '13 , 2009' reads '13, 2009' for every system alike.

    ECB+ split some words its source wrote whole: '59 - year - old' and 'p . m .' are glued back
    ('59-year-old', 'p.m.'), the same text for every system.
    """
    if word in _NO_SPACE_BEFORE or prev in _NO_SPACE_AFTER:
        return ""
    if word == "-" and prev[-1:].isalnum():
        return ""
    if prev == "-" and before_prev[-1:].isalnum() and word[:1].isalnum():
        return ""
    if prev == "." and _letter(before_prev) and _letter(word):
        return ""
    if (prev == ":" or word == ":") and (prev[-1:].isdigit() or word[:1].isdigit()):
        return ""
    return " "


# --- spans -----------------------------------------------------------------------------------


def token_span(doc: Document, start: int, end: int) -> Span | None:
    """Tokens touched by characters ``start:end`` (None when none is)."""
    first = bisect_right(doc.ends, start)
    last = bisect_left(doc.starts, end)
    return (first, last) if first < last else None


def trim(doc: Document, span: Span) -> Span:
    """Drop leading prepositions and edge punctuation (the scorer's convention, not the product's)."""
    s, e = span
    while s < e - 1 and (doc.tokens[s].lower() in LEADING_WORDS or doc.tokens[s] in PUNCT):
        s += 1
    while e > s + 1 and doc.tokens[e - 1] in PUNCT:
        e -= 1
    return s, e


@dataclass(frozen=True)
class Prediction:
    start: int  # characters
    end: int
    value: date | None = None  # start of the resolved value, when the system gives one


def ours(doc: Document, parsed: ParsedDoc) -> list[Prediction]:
    out = []
    for t in find_times(parsed, doc.doc_id, None):
        value = date.fromisoformat(t.value_start) if t.value_start else None
        out.append(Prediction(t.start, t.end, value))
    return out


def spacy_ents(doc: Document, parsed: ParsedDoc) -> list[Prediction]:
    return [Prediction(e.start_char, e.end_char) for e in parsed.ents if e.label in ("DATE", "TIME")]


def dateparser_spans(doc: Document, parsed: ParsedDoc) -> list[Prediction]:
    from dateparser.search import search_dates

    # A fixed base keeps dateparser's relative readings independent of today's date (they are not
    # scored, but the run stays reproducible).
    found = search_dates(doc.text, languages=["en"],
                         settings={"RELATIVE_BASE": datetime(2000, 1, 1)}) or []
    out, cursor = [], 0
    for string, value in found:
        at = doc.text.find(string, cursor)
        if at < 0:
            at = doc.text.find(string)
        if at < 0:
            continue
        out.append(Prediction(at, at + len(string), value.date()))
        cursor = at + len(string)
    return out


SYSTEM_FUNCS: dict[str, Callable[[Document, ParsedDoc], list[Prediction]]] = {
    "ours": ours, "dateparser": dateparser_spans, "spacy": spacy_ents,
}


# --- scoring ---------------------------------------------------------------------------------


@dataclass
class Tally:
    gold: int = 0
    pred: int = 0
    exact: int = 0
    pred_overlapping: int = 0
    gold_overlapped: int = 0
    seconds: float = 0.0
    absolute_gold: int = 0
    absolute_found: int = 0
    absolute_resolved: int = 0
    absolute_correct: int = 0
    missed: Counter[str] = field(default_factory=Counter)
    spurious: Counter[str] = field(default_factory=Counter)


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _span_text(doc: Document, span: Span) -> str:
    return doc.text[doc.starts[span[0]] : doc.ends[span[1] - 1]]


def score_doc(doc: Document, preds: list[Prediction], tally: Tally) -> None:
    located = [(token_span(doc, p.start, p.end), p) for p in preds]
    pred = {trim(doc, s): p for s, p in located if s is not None}
    gold = {trim(doc, g) for g in doc.gold}
    tally.gold += len(gold)
    tally.pred += len(pred)
    tally.exact += len(gold & pred.keys())
    tally.pred_overlapping += sum(any(_overlaps(p, g) for g in gold) for p in pred)
    for g in gold:
        if any(_overlaps(g, p) for p in pred):
            tally.gold_overlapped += 1
        else:
            tally.missed[_span_text(doc, g).lower()] += 1
    for p in pred:
        if not any(_overlaps(p, g) for g in gold):
            tally.spurious[_span_text(doc, p).lower()] += 1
    _score_absolute(doc, gold, pred, tally)


def written_date(text: str) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) written in a gold span, or None when it writes no year."""
    year = _YEAR.search(text)
    if year is None:
        return None
    month = _MONTH.search(text)
    if month is None:
        return int(year[1]), None, None
    after = re.match(r"\s*(\d{1,2})(?!\d)", text[month.end():])
    before = re.search(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?$", text[: month.start()])
    day = after or before
    return int(year[1]), _MONTHS.index(month[1].lower()) + 1, int(day[1]) if day else None


def _score_absolute(doc: Document, gold: set[Span], pred: dict[Span, Prediction], tally: Tally) -> None:
    """Gold spans writing a year: found (overlapped), resolved (a value), correct (value agrees)."""
    for g in gold:
        written = written_date(_span_text(doc, g))
        if written is None:
            continue
        tally.absolute_gold += 1
        hits = [(min(g[1], p[1]) - max(g[0], p[0]), v) for p, v in pred.items() if _overlaps(g, p)]
        if not hits:
            continue
        tally.absolute_found += 1
        value = max(hits, key=lambda h: h[0])[1].value
        if value is None:
            continue
        tally.absolute_resolved += 1
        year, month, day = written
        if value.year == year and month in (None, value.month) and day in (None, value.day):
            tally.absolute_correct += 1


def _prf(tp_p: int, n_p: int, tp_r: int, n_r: int) -> dict[str, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_r if n_r else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def summary(t: Tally, resolves: bool) -> dict[str, object]:
    out: dict[str, object] = {
        "gold": t.gold, "pred": t.pred,
        "exact": _prf(t.exact, t.pred, t.exact, t.gold),
        "overlap": _prf(t.pred_overlapping, t.pred, t.gold_overlapped, t.gold),
        "seconds": round(t.seconds, 2),
    }
    if resolves:
        out["absolute"] = {
            "gold": t.absolute_gold, "found": t.absolute_found, "resolved": t.absolute_resolved,
            "correct": t.absolute_correct,
            "accuracy": round(t.absolute_correct / t.absolute_gold, 4) if t.absolute_gold else 0.0,
        }
    return out


def run(path: Path, split: str = "Dev", max_docs: int | None = None, every: int = 1,
        systems: Iterable[str] = SYSTEMS) -> dict[str, object]:
    """Score every system on the split; returns every figure (plus top misses, under ``_detail``)."""
    names = list(systems)
    docs = read_ecb(path, split, max_docs, every)
    began = time.perf_counter()
    parsed = list(nlp.parse_many(d.text for d in docs))
    parse_seconds = time.perf_counter() - began
    tallies = {name: Tally() for name in names}
    for doc, p in zip(docs, parsed, strict=True):
        for name in names:
            t0 = time.perf_counter()
            preds = SYSTEM_FUNCS[name](doc, p)
            tallies[name].seconds += time.perf_counter() - t0
            score_doc(doc, preds, tallies[name])
    result: dict[str, object] = {
        "bench": "dates", "data": str(data_dir(path)), "split": split, "documents": len(docs),
        "annotated_sentences": sum(d.sentences for d in docs),
        "gold_time_mentions": sum(len(d.gold) for d in docs),
        "parse_seconds": round(parse_seconds, 2),
    }
    for name in names:
        result[name] = summary(tallies[name], resolves=name != "spacy")
    result["_detail"] = {name: {"missed": tallies[name].missed.most_common(12),
                                "spurious": tallies[name].spurious.most_common(12)} for name in names}
    return result


def _f1(result: dict[str, object], name: str, kind: str) -> float:
    table = result[name]
    assert isinstance(table, dict)
    return float(table[kind]["f1"])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="the ecbplus folder (or the bench folder holding it)")
    ap.add_argument("--split", default="Dev", help="Train, Dev or any split of the same format")
    ap.add_argument("--docs", type=int, default=None, help="score only the first N documents")
    ap.add_argument("--every", type=int, default=1, help="score only every N-th document (all topics)")
    args = ap.parse_args(argv)
    folder = data_dir(args.data)
    needed = [folder / f"ECB_{args.split}_corpus.txt", folder / f"ECB_{args.split}_Entity_gold_mentions.json"]
    missing = [str(p) for p in needed if not p.is_file()]
    if missing:
        print(f"missing {', '.join(missing)}; pass the ecbplus folder, e.g. ../shared/bench/ecbplus",
              file=sys.stderr)
        return 2
    if args.every < 1 or (args.docs is not None and args.docs < 1):
        print("--docs and --every take a positive number", file=sys.stderr)
        return 2
    result = run(args.data, args.split, args.docs, args.every)
    detail = result.pop("_detail")
    assert isinstance(detail, dict)
    print(f"ECB+ {args.split}: {result['documents']} documents (every {args.every}), "
          f"{result['annotated_sentences']} annotated sentences (only those are scored), "
          f"{result['gold_time_mentions']} gold TIME mentions; "
          f"parse {result['parse_seconds']} s")
    for name in SYSTEMS:
        _print_system(name, result[name], detail[name])
    mine = _f1(result, "ours", "overlap")
    print(f"overlap F1 ours - dateparser: {mine - _f1(result, 'dateparser', 'overlap'):+.4f}   "
          f"ours - spacy: {mine - _f1(result, 'spacy', 'overlap'):+.4f}")
    print(json.dumps(result, separators=(",", ":")))
    return 0


def _print_system(name: str, table: object, detail: dict[str, list[tuple[str, int]]]) -> None:
    assert isinstance(table, dict)
    ex, ov = table["exact"], table["overlap"]
    line = (f"{name:>10}: exact P {ex['p']:.3f} R {ex['r']:.3f} F1 {ex['f1']:.3f} | overlap P {ov['p']:.3f} "
            f"R {ov['r']:.3f} F1 {ov['f1']:.3f} | {table['pred']} spans, {table['seconds']} s")
    if "absolute" in table:
        a = table["absolute"]
        line += f" | dates with a year: {a['correct']}/{a['gold']} resolved right ({a['found']} found)"
    print(line)
    print(f"{'':>12}most missed: {', '.join(f'{t!r} x{n}' for t, n in detail['missed'][:8])}")
    print(f"{'':>12}most spurious: {', '.join(f'{t!r} x{n}' for t, n in detail['spurious'][:8])}")


if __name__ == "__main__":
    sys.exit(main())
