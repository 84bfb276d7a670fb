"""Pairs of quotation marks in raw text, robust to news typography and to broken input.

Works on characters, not tokens, so that it is independent of the parser and of sentence splits
(a quote often spans several sentences). Two conventions matter:

* a quote that runs over several paragraphs opens each paragraph with a mark and closes only at the
  end of its last paragraph;
* a mark that never closes must not swallow the rest of the article: it ends at the end of its
  sentence when it opened mid-sentence, or else at the end of its paragraph, and is flagged
  ``closed=False`` so that callers lower their confidence.

Only double marks are paired (straight ``"``, curly, guillemets, low-9); single marks are too often
apostrophes. A mark of another style inside an open quote is a nested quote and is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# opening mark -> the closing marks accepted for it (news text mixes styles, so be lenient)
_CLOSERS: dict[str, str] = {
    '"': '"',
    "\u201c": "\u201d\u201c",  # “ closed by ” (or a second “ from sloppy typing)
    "\u201e": "\u201c\u201d",  # „ (German-style low mark) closed by “ or ”
    "\u00ab": "\u00bb",  # « »
}
_OPENERS = frozenset(_CLOSERS)
_ALL_MARKS = frozenset('"\u201c\u201d\u201e\u00ab\u00bb')
# a sentence end inside running text: end punctuation (maybe with a closing bracket), space, capital
_SENT_END = re.compile(r"[.!?][)\]]?(?=\s+[A-Z\u201c\"])")


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """``start``/``end`` include the marks; ``inner_start``/``inner_end`` exclude them."""

    start: int
    end: int
    inner_start: int
    inner_end: int
    closed: bool = True
    paragraphs: int = 1  # paragraphs the quote runs over

    def words(self, text: str) -> int:
        return len(text[self.inner_start : self.inner_end].split())


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line run: news paragraphs are separated by newlines."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n\s][^\n]*", text)]


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every top-level quote in ``text``, in order; nested quotes are part of their outer quote."""
    paras = paragraphs(text)
    spans: list[QuoteSpan] = []
    p = 0
    while p < len(paras):
        p_start, p_end = paras[p]
        pos = p_start
        while pos < p_end:
            found = _next_opener(text, pos, p_end)
            if found is None:
                break
            span, p = _read_quote(text, paras, p, found)
            spans.append(span)
            p_start, p_end = paras[p]
            pos = span.end
        p += 1
    return spans


def _next_opener(text: str, pos: int, end: int) -> int | None:
    for i in range(pos, end):
        ch = text[i]
        if ch in _OPENERS and _can_open(text, i):
            return i
    return None


def _can_open(text: str, i: int) -> bool:
    """A straight mark glued to a preceding word ('5"', 'word"') closes or measures, not opens."""
    if text[i] != '"':
        return True
    return i == 0 or not text[i - 1].isalnum()


def _read_quote(text: str, paras: list[tuple[int, int]], p: int, open_at: int) -> tuple[QuoteSpan, int]:
    """Read the quote opened at ``open_at`` in paragraph ``p``; return it and its last paragraph."""
    closers = _CLOSERS[text[open_at]]
    first_para = p
    pos = open_at + 1
    while True:
        p_end = paras[p][1]
        close = _find_closer(text, pos, p_end, closers)
        if close is not None:
            return QuoteSpan(open_at, close + 1, open_at + 1, close, True, p - first_para + 1), p
        nxt = paras[p + 1][0] if p + 1 < len(paras) else None
        if nxt is not None and text[nxt] in _OPENERS and _continues(text, open_at, paras[p]):
            p, pos = p + 1, nxt + 1  # newspaper convention: the quote goes on in the next paragraph
            continue
        end = _unclosed_end(text, open_at, paras[first_para], p_end, p > first_para)
        return QuoteSpan(open_at, end, open_at + 1, end, False, p - first_para + 1), p


def _find_closer(text: str, pos: int, end: int, closers: str) -> int | None:
    for i in range(pos, end):
        if text[i] in closers:
            # a curly opener also listed as closer only closes before a non-word character
            if text[i] in _OPENERS and i + 1 < end and text[i + 1].isalnum():
                continue
            return i
    return None


def _continues(text: str, open_at: int, para: tuple[int, int]) -> bool:
    """A paragraph-spanning quote opens its paragraph (or follows 'X said:')."""
    before = text[para[0] : open_at].rstrip()
    return not before or before.endswith(":")


def _unclosed_end(text: str, open_at: int, para: tuple[int, int], p_end: int, spanned: bool) -> int:
    """Where an unclosed quote stops: its sentence end when it opened mid-sentence, else the
    paragraph end (a writer who opens a paragraph with a quote usually forgot only the closer)."""
    if not spanned and text[para[0] : open_at].strip():
        m = _SENT_END.search(text, open_at + 1, p_end)
        if m:
            return m.start() + 1
    return len(text[:p_end].rstrip())
