"""The :class:`Attribution` record the quote steps pass between them, and the span helpers they share.

An attribution is a quote before speaker resolution: token indices into the ParsedDoc and char spans
into its text. Every step of :mod:`quotes` builds or filters them, so the record and the few helpers
that turn tokens into trimmed char spans (never across a paragraph) and that read the kind of a
content span off the quote marks (``direct``, ``mixed``, ``partial``, ``reported``) live here, below
all the other quote modules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsfuse import defaults
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.quotes.marks import QuoteSpan

EDGE_PUNCT = " \t\n\xa0,.;:-\u2013\u2014"


QUOTE_CHARS = "\"'`\u201c\u201d\u201e\u00ab\u00bb\u2018\u2019"  # ` for ``typewriter'' marks


@dataclass(frozen=True, slots=True)
class Attribution:
    """A quote before speaker resolution; token indices refer to the ParsedDoc."""

    kind: str
    content: tuple[int, int]
    cue: tuple[int, int]
    cue_tok: int
    speaker_tok: int | None
    speaker: tuple[int, int] | None
    confidence: float
    lemma: str = ""
    cited: tuple[int, int] | None = None  # char span of the source the outlet cites, if set by syntax
    cited_tok: int | None = None
    learned: bool = False  # the cue came from the learned classifier, not from the lexicon
    relay: Attribution | None = None  # the report that carried this one ('..., CNN reported'), if dropped


def tok_span(doc: ParsedDoc, toks: Sequence[int], exclude: int) -> tuple[int, int]:
    """Char span of the tokens, cut before the cue if the cue fell inside, trimmed of punctuation."""
    lo, hi = min(toks), max(toks)
    if lo < exclude <= hi:
        hi = exclude - 1
    while hi > lo and doc.tokens[hi].dep in ("cc", "punct"):  # '..., and' left by a cut
        hi -= 1
    para_start, para_end = paragraph_span(doc.text, doc.tokens[exclude].idx)
    start, end = max(doc.tokens[lo].idx, para_start), min(doc.tokens[hi].end, para_end)
    cut = doc.text.find(" on condition of anonymity", start, end)  # about the source, not content
    return trim(doc.text, start, cut if cut > start else end, EDGE_PUNCT)


def paragraph_span(text: str, char: int) -> tuple[int, int]:
    """The line holding ``char``: unquoted content never runs into another paragraph."""
    end = text.find("\n", char)
    return text.rfind("\n", 0, char) + 1, end if end >= 0 else len(text)


def trim(text: str, start: int, end: int, chars: str) -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def classify(
    text: str, span: tuple[int, int], clausal: bool, marks: Sequence[QuoteSpan], conf: float
) -> tuple[str, tuple[int, int], float]:
    """Kind, final content span and confidence of a content span given the quote marks."""
    core = trim(text, span[0], span[1], EDGE_PUNCT + QUOTE_CHARS)
    overlapping = [q for q in marks if q.start < core[1] and q.end > core[0]]
    if not overlapping:
        return "reported", span, conf
    if not all(q.closed for q in overlapping):
        conf = min(conf, defaults.QUOTE_CONF_UNCLOSED)
    whole = next((q for q in overlapping if q.start <= core[0] and core[1] <= q.end), None)
    if whole is not None:
        start, end = trim(text, whole.inner_start, whole.inner_end, " \n,")
        return "direct", (start, end), conf
    start = min(span[0], *(q.start for q in overlapping))
    end = max(span[1], *(q.end for q in overlapping))
    last = max(overlapping, key=lambda q: q.end)
    if end == last.end and last.closed and text[last.inner_end - 1 : last.inner_end] in _GOES_ON:
        # 'priority was to "help Ukraine to resist," Macron said': the comma before the closing
        # mark belongs to the sentence that goes on with the attribution, not to the content
        end = trim(text, start, last.inner_end, _GOES_ON)[1]
    return ("mixed" if clausal else "partial"), (start, end), conf


_GOES_ON = ",;:"  # punctuation before a closing mark that says the sentence continues


def inside_marks(char: int, marks: Sequence[QuoteSpan]) -> bool:
    return any(q.inner_start <= char < q.inner_end for q in marks)


def holds(outer: tuple[int, int], inner: tuple[int, int]) -> bool:
    return outer[0] <= inner[0] and inner[1] <= outer[1]
