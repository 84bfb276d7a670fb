"""Quote attribution on PolNeAR: newsfuse's quotes vs textacy's direct_quotations, same parse.

Usage (from the project root, inside the venv)::

    python bench/quotes.py ../shared/bench/polnear/dev [--limit N]

Data: brat standoff, ``text/NAME.txt`` + ``attributions/NAME_ANNOTATOR.ann``. When several
annotators did one text, the first annotator id in alphabetical order is used, for every text.

Metrics, per span type (source, cue, content) and for (source, content) pairs, micro-averaged over
documents:

* exact: the spans are equal after both sides drop whitespace (no-break spaces too) and ``,.;:``
  at their edges (the annotators are inconsistent about a trailing comma or full stop; nothing
  else is forgiven);
* overlap: the spans share at least one character, matched one-to-one (largest overlap first), so
  one long prediction cannot match many gold spans.

Discontinuous spans (``a b;c d``) are compared as sets of segments. Identical spans are counted
once per document (one source often says several things). Pairs need both a source and a content.

Conventions are mapped to PolNeAR's guidelines, not tuned to its sentences: PolNeAR's content of a
direct quote includes the quote marks and a quote split by its cue ('"A," he said. "B."') is one
discontinuous content; newsfuse stores quotes without marks and one record per piece, so the
adapter adds the marks back and joins pieces that share a cue. PolNeAR's source of 'Trump, who
said ...' is the relative pronoun 'who', newsfuse's the antecedent 'Trump': the adapter gives the
pronoun when it is the cue's subject right after the speaker. newsfuse's speaker is the noun
phrase without relative clauses and participles; PolNeAR's source often keeps them ('Sembler, who
helped lead ...', 'a poll released Monday'), so the adapter extends the span with the variant that
the span chooser trained on PolNeAR TRAIN rates best (newsfuse/analyze/quotes/cuemodel.py: choose_source).

PolNeAR also annotates refusals to comment ('X declined to comment on Y', 'X did not respond to
requests for comment') as attributions. newsfuse keeps no statement for them among its quotes (the
claims stage records them as no-comment facts); the adapter reports the refusals that
quotes.no_comments finds with a speaker and a cue as attributions, as PolNeAR defines them: source
and cue, and the topic as content when one is named.

PolNeAR also annotates relays as attributions of their own ('X said Y, CNN reported': source
CNN, cue 'reported', content the reported clause 'X said Y'). newsfuse keeps the quote of X and
records the relay on it (Quote.relay_*: the outlet carried it, X said it) rather than as a quote
of its own; the adapter reports each such relay as PolNeAR defines it, next to the quote it
carried, with quote marks around its content as for direct quotes.

PolNeAR annotates every attribution relation, also beliefs, intentions and evaluations ('wants',
'shows', 'slammed Bush') and nominal cues ("Trump's claim that"). newsfuse's lexicon rules cover
speech, beliefs, evaluations and the common intentions and positions; the learned cue classifier
(newsfuse/analyze/quotes/cuemodel.py, trained by bench/train_quotes.py on the TRAIN split) adds the long
tail and an acceptance model drops unlikely attributions. The script prints how many gold cues fall
outside the lexicon (what the rules alone could never find).

The last line printed is one JSON object with all figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsfuse.analyze import nlp
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.quotes import cuemodel, cues
from newsfuse.analyze.quotes.extract import find_quotes, no_comments
from newsfuse.analyze.quotes.marks import TWO_CHAR_MARKS
from newsfuse.models import Quote

Segs = tuple[tuple[int, int], ...]
_STRIP = " \t\r\n\xa0,.;:"
_MARKS = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb"



@dataclass
class Attr:
    source: Segs | None
    cue: Segs | None
    content: Segs | None


@dataclass
class GoldDoc:
    name: str
    text: str
    attrs: list[Attr] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# reading PolNeAR
# ---------------------------------------------------------------------------------------------


def load(data: Path, limit: int | None = None) -> list[GoldDoc]:
    """Texts with the attributions of their first annotator (alphabetical)."""
    by_text: dict[str, list[Path]] = {}
    for ann in sorted((data / "attributions").glob("*.ann")):
        name, _, _annotator = ann.stem.rpartition("_")
        by_text.setdefault(name, []).append(ann)
    docs = []
    for name in sorted(by_text)[: limit or None]:
        text = (data / "text" / f"{name}.txt").read_text(encoding="utf-8")
        docs.append(GoldDoc(name, text, read_ann(by_text[name][0])))
    return docs


def read_ann(path: Path) -> list[Attr]:
    spans: dict[str, Segs] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if parts[0].startswith("T"):
            _type, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = tuple(
                (int(a), int(b)) for a, b in (seg.split() for seg in offsets.split(";"))
            )
        elif parts[0].startswith("E"):
            relations.append(dict(arg.split(":", 1) for arg in parts[1].split()))
    return [
        Attr(spans.get(r.get("Source", "")), spans.get(r.get("Cue", "")), spans.get(r.get("Content", "")))
        for r in relations
    ]


# ---------------------------------------------------------------------------------------------
# predictions
# ---------------------------------------------------------------------------------------------


def ours(doc: Any, text: str) -> list[Attr]:
    """newsfuse quotes as PolNeAR attributions (marks added back, split quotes joined)."""
    return ours_parsed(nlp.to_parsed(doc), text)


def ours_parsed(parsed: ParsedDoc, text: str) -> list[Attr]:
    """:func:`ours` from a ParsedDoc (the training script scores cached parses with it)."""
    grouped: dict[tuple[int, int], Attr] = {}
    quotes = find_quotes(parsed, "bench", [])
    for q in quotes:
        assert q.cue_start is not None and q.cue_end is not None
        content = _with_marks(text, q.content_start, q.content_end) if q.kind == "direct" else (
            q.content_start, q.content_end)
        source: Segs | None = None
        if q.speaker_start is not None and q.speaker_end is not None:
            source = (_source(parsed, (q.speaker_start, q.speaker_end), q.cue_start),)
        key = (q.cue_start, q.cue_end)
        if key in grouped and grouped[key].content:
            old = grouped[key]
            old.content = tuple(sorted({*(old.content or ()), content}))
        else:
            grouped[key] = Attr(source, ((q.cue_start, q.cue_end),), (content,))
    for q in quotes:  # PolNeAR's attributions, the reports newsfuse keeps on the quotes they carried
        relay = _relay(parsed, text, q)
        if relay is not None and relay.cue and relay.cue[0] not in grouped:
            grouped[relay.cue[0]] = relay
    for n in no_comments(parsed):  # PolNeAR's attributions, newsfuse's no-comment facts
        if n.cue not in grouped:
            topic = (n.topic,) if n.topic else None
            grouped[n.cue] = Attr((_source(parsed, n.speaker, n.cue[0]),), (n.cue,), topic)
    return list(grouped.values())


def _relay(parsed: ParsedDoc, text: str, q: Quote) -> Attr | None:
    """The report that carried ``q`` ('X said Y, CNN reported') as PolNeAR's attribution: source
    the outlet, cue the report, content what it carried (with its quote marks, as for quotes)."""
    if q.relay_cue_start is None or q.relay_cue_end is None or q.relay_start is None or q.relay_end is None:
        return None
    source: Segs | None = None
    if q.relay_source_start is not None and q.relay_source_end is not None:
        source = (_source(parsed, (q.relay_source_start, q.relay_source_end), q.relay_cue_start),)
    content = _with_marks(text, q.relay_start, q.relay_end)
    return Attr(source, ((q.relay_cue_start, q.relay_cue_end),), (content,))


def _source(parsed: ParsedDoc, speaker: tuple[int, int], cue_start: int) -> tuple[int, int]:
    """PolNeAR's source span for newsfuse's speaker span (see the two functions below)."""
    return _relative_pronoun(parsed, speaker[1], cue_start) or polnear_source(parsed, speaker, cue_start)


def _relative_pronoun(parsed: ParsedDoc, speaker_end: int, cue_start: int) -> tuple[int, int] | None:
    """PolNeAR's source of 'Trump, who said ...' is 'who'; newsfuse gives the antecedent 'Trump'
    (the pronoun names no one). The span of a 'who'/'which'/'that' subject of the cue right after
    the speaker, else None."""
    cue = parsed.token_at(cue_start)
    first = parsed.token_at(speaker_end)
    if cue is None or first is None:
        return None
    if parsed.tokens[first].idx < speaker_end:  # the speaker's last token (its trailing space)
        first += 1
    for i in range(first, cue):
        tok = parsed.tokens[i]
        if tok.text.lower() in _RELATIVES and tok.dep == "nsubj" and tok.head == cue:
            return tok.idx, tok.end
        if tok.text not in (",", " ") and tok.text.lower() not in _RELATIVES:
            return None
    return None


_RELATIVES = frozenset({"who", "which", "that"})


def polnear_source(parsed: ParsedDoc, span: tuple[int, int], cue_start: int) -> tuple[int, int]:
    """PolNeAR's boundary of a source: newsfuse's speaker is the noun phrase without relative
    clauses and participles, PolNeAR's often keeps them ('Sembler, who helped lead ...', 'a poll
    released Monday') but not always; the span chooser learned on PolNeAR TRAIN
    (cuemodel.choose_source) picks among the extensions."""
    head, cue = source_head(parsed, span), parsed.token_at(cue_start)
    if head is None or cue is None:
        return span
    return cuemodel.choose_source(cuemodel.load(), parsed, span, head, cue)


def source_head(parsed: ParsedDoc, span: tuple[int, int]) -> int | None:
    """The token of the span whose syntactic head lies outside it (the last such token)."""
    toks = [i for i, t in enumerate(parsed.tokens) if span[0] <= t.idx < span[1]]
    top = [i for i in toks if parsed.tokens[i].head not in toks or parsed.tokens[i].head == i]
    return top[-1] if top else None


def _with_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a direct quote's content to its quote marks, as PolNeAR marks it."""
    s = start
    while s > 0 and text[s - 1] in " \n":
        s -= 1
    if text[max(0, s - 2) : s] in TWO_CHAR_MARKS:  # archive typography: ''like this''
        start = s - 2
    elif s > 0 and text[s - 1] in _MARKS:
        start = s - 1
    e = end
    while e < len(text) and e - end < 3 and text[e] in " ,.?!":
        e += 1
    if text[e : e + 2] == "''":
        end = e + 2
    elif e < len(text) and text[e] in _MARKS:
        end = e + 1
    return start, end


def textacy_peer(doc: Any) -> tuple[list[Attr], bool]:
    """textacy's direct quotations; (attrs, bailed) - it refuses texts with an odd mark count."""
    from textacy.extract.triples import direct_quotations

    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        return [], True
    out = []
    for t in triples:
        content = ((t.content.start_char, t.content.end_char),)
        out.append(Attr(_tok_segs(t.speaker), _tok_segs(t.cue), content))
    return out, False


def _tok_segs(toks: Sequence[Any]) -> Segs | None:
    if not toks:
        return None
    return ((min(t.idx for t in toks), max(t.idx + len(t.text) for t in toks)),)


# ---------------------------------------------------------------------------------------------
# scoring
# ---------------------------------------------------------------------------------------------


@dataclass
class Counts:
    exact_p: int = 0
    exact_r: int = 0
    overlap: int = 0
    pred: int = 0
    gold: int = 0

    def add(self, other: Counts) -> None:
        self.exact_p += other.exact_p
        self.exact_r += other.exact_r
        self.overlap += other.overlap
        self.pred += other.pred
        self.gold += other.gold

    def figures(self) -> dict[str, float]:
        ep, er = _div(self.exact_p, self.pred), _div(self.exact_r, self.gold)
        op, orr = _div(self.overlap, self.pred), _div(self.overlap, self.gold)
        return {
            "exact_p": ep, "exact_r": er, "exact_f1": _f1(ep, er),
            "overlap_p": op, "overlap_r": orr, "overlap_f1": _f1(op, orr),
        }


def _div(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def _f1(p: float, r: float) -> float:
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def _norm(text: str, segs: Segs) -> Segs:
    out = []
    for s, e in segs:
        while s < e and text[s] in _STRIP:
            s += 1
        while e > s and text[e - 1] in _STRIP:
            e -= 1
        if e > s:
            out.append((s, e))
    return tuple(out)


def _chars(segs: Segs) -> set[int]:
    return {i for s, e in segs for i in range(s, e)}


def score_spans(text: str, gold: Iterable[Segs | None], pred: Iterable[Segs | None]) -> Counts:
    g = sorted({n for x in gold if x and (n := _norm(text, x))})
    p = sorted({n for x in pred if x and (n := _norm(text, x))})
    gs, ps = set(g), set(p)
    overlaps = _greedy([(len(_chars(a) & _chars(b)), i, j) for i, a in enumerate(p) for j, b in enumerate(g)])
    return Counts(len(ps & gs), len(gs & ps), overlaps, len(p), len(g))


def score_pairs(text: str, gold: Sequence[Attr], pred: Sequence[Attr]) -> Counts:
    def pairs(attrs: Sequence[Attr]) -> list[tuple[Segs, Segs]]:
        out = {(_norm(text, a.source), _norm(text, a.content)) for a in attrs if a.source and a.content}
        return sorted((s, c) for s, c in out if s and c)

    g, p = pairs(gold), pairs(pred)
    gs, ps = set(g), set(p)
    cands = []
    for i, (ps_, pc) in enumerate(p):
        for j, (gs_, gc) in enumerate(g):
            a, b = len(_chars(ps_) & _chars(gs_)), len(_chars(pc) & _chars(gc))
            if a and b:
                cands.append((a + b, i, j))
    return Counts(len(ps & gs), len(gs & ps), _greedy(cands), len(p), len(g))


def _greedy(cands: list[tuple[int, int, int]]) -> int:
    """One-to-one matches among (overlap, pred, gold) candidates, largest overlap first."""
    used_p: set[int] = set()
    used_g: set[int] = set()
    for ov, i, j in sorted(cands, reverse=True):
        if ov > 0 and i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return len(used_p)


def score(docs: Sequence[GoldDoc], preds: Sequence[list[Attr]]) -> dict[str, dict[str, float]]:
    totals = {k: Counts() for k in ("source", "cue", "content", "pair")}
    for doc, pred in zip(docs, preds, strict=True):
        for kind in ("source", "cue", "content"):
            totals[kind].add(score_spans(doc.text, (getattr(a, kind) for a in doc.attrs),
                                         (getattr(a, kind) for a in pred)))
        totals["pair"].add(score_pairs(doc.text, doc.attrs, pred))
    return {k: c.figures() for k, c in totals.items()}


# ---------------------------------------------------------------------------------------------
# running
# ---------------------------------------------------------------------------------------------


def lexicon_coverage(docs: Sequence[GoldDoc], parsed: Sequence[Any]) -> float:
    """Share of gold cues whose first word is a cue of newsfuse's lexicon (bounds our recall)."""
    known = cues.SPEECH | cues.BELIEF | cues.EVALUATIVE | cues.EVIDENCE | cues.INTENTION | cues.STANCE
    known |= cues.AS_FRAME | {"call", "accord"}
    total = hit = 0
    for doc, sp in zip(docs, parsed, strict=True):
        starts = {t.idx: t.lemma_.lower() for t in sp}
        for a in doc.attrs:
            if a.cue:
                total += 1
                hit += starts.get(a.cue[0][0], "") in known
    return round(hit / total, 4) if total else 0.0


def evaluate(data: Path, limit: int | None = None) -> dict[str, Any]:
    """Parse once, run both systems, score them; the figures as a dict."""
    docs = load(data, limit)
    model = nlp.load()
    t0 = time.perf_counter()
    parsed = list(model.pipe([d.text for d in docs], batch_size=8))
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    mine = [ours(sp, d.text) for sp, d in zip(parsed, docs, strict=True)]
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    peer = [textacy_peer(sp) for sp in parsed]
    t_peer = time.perf_counter() - t0
    return {
        "data": str(data),
        "documents": len(docs),
        "gold_attributions": sum(len(d.attrs) for d in docs),
        "annotator": "first alphabetically per text",
        "newsfuse": score(docs, mine),
        "textacy": score(docs, [p for p, _ in peer]),
        "textacy_bailed_docs": sum(1 for _, bailed in peer if bailed),
        "predicted": {"newsfuse": sum(map(len, mine)), "textacy": sum(len(p) for p, _ in peer)},
        "gold_cue_lexicon_coverage": lexicon_coverage(docs, parsed),
        "seconds": {"parse": round(t_parse, 2), "newsfuse": round(t_ours, 3), "textacy": round(t_peer, 3)},
    }


def report(res: dict[str, Any]) -> None:
    print(f"PolNeAR {res['data']}: {res['documents']} documents, {res['gold_attributions']} gold "
          f"attributions ({res['annotator']})")
    print(f"predicted attributions: newsfuse {res['predicted']['newsfuse']}, textacy "
          f"{res['predicted']['textacy']} (textacy gave up on {res['textacy_bailed_docs']} documents "
          "with an odd number of quote marks)")
    print(f"gold cues inside newsfuse's cue lexicon: {res['gold_cue_lexicon_coverage']:.1%}")
    print(f"{'metric':<22}{'newsfuse P/R/F1':>24}{'textacy P/R/F1':>24}")
    for kind in ("source", "cue", "content", "pair"):
        for m in ("exact", "overlap"):
            a, b = res["newsfuse"][kind], res["textacy"][kind]
            print(f"{kind + ' ' + m:<22}{_prf(a, m):>24}{_prf(b, m):>24}")
    s = res["seconds"]
    print(f"time: parse {s['parse']}s, newsfuse {s['newsfuse']}s, textacy {s['textacy']}s")


def _prf(fig: dict[str, float], m: str) -> str:
    return f"{fig[m + '_p']:.3f}/{fig[m + '_r']:.3f}/{fig[m + '_f1']:.3f}"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="a PolNeAR split folder holding text/ and attributions/")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N texts")
    args = ap.parse_args(argv)
    if not (args.data / "attributions").is_dir() or not (args.data / "text").is_dir():
        print(f"{args.data}: no text/ and attributions/ here; pass a PolNeAR split folder", file=sys.stderr)
        return 2
    res = evaluate(args.data, args.limit)
    report(res)
    print(json.dumps(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
