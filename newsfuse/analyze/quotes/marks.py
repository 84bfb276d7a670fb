"""Pairs of quotation marks in raw text, robust to news typography and to broken input.

Works on characters, not tokens, so that it is independent of the parser and of sentence splits
(a quote often spans several sentences). Two conventions matter:

* a quote that runs over several paragraphs opens each paragraph with a mark and closes only at the
  end of its last paragraph;
* a mark that never closes must not swallow the rest of the article: it ends at the end of its
  sentence when it opened mid-sentence, or else at the end of its paragraph, and is flagged
  ``closed=False`` so that callers lower their confidence.

Only double marks are paired (straight ``"``, curly, guillemets, low-9, and the two-character marks
of archive and typewriter typography: ``''like this''`` and ````like this''``); single marks are too
often apostrophes. A mark of another style inside an open quote is a nested quote and is left alone,
except that straight and curly marks mix in hand-edited copy ('“We will," she said'): a mark of the
other of these two styles closes the quote when it stands where only a closer can stand.

Every scan moves forward and a paragraph is searched at most once per mark style for a closer that
is not there, so the time is linear in the length of the text whatever the marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# opening mark -> the closing marks of its style (news text mixes styles, so be lenient)
_CLOSERS: dict[str, tuple[str, ...]] = {
    '"': ('"',),
    "\u201c": ("\u201d", "\u201c"),  # “ closed by ” (or a second “ from sloppy typing)
    "\u201e": ("\u201c", "\u201d"),  # „ (German-style low mark) closed by “ or ”
    "\u00ab": ("\u00bb",),  # « »
    "''": ("''",),  # two apostrophes as one double mark (New York Times archive typography)
    "``": ("''",),  # two backticks open, two apostrophes close (typewriter / TeX / treebank style)
}
_ONE_CHAR_OPENERS = frozenset(m for m in _CLOSERS if len(m) == 1)
TWO_CHAR_MARKS = ("''", "``")
# a straight quote opened and closed by a curly mark, or the reverse: the mark of the other style
# that may close it, and the one that would open a quote nested in it instead
_MIXED: dict[str, tuple[str, str]] = {'"': ("\u201d", "\u201c"), "\u201c": ('"', '"')}
# what may stand right before an opening mark that is not a space ('("...', '-- "...')
_BEFORE_OPENER = "([{\u2014\u2013-/"
# a sentence end inside running text: end punctuation (maybe with a closing bracket), space, then a
# capital or an opening mark
_SENT_END = re.compile(r"[.!?][)\]]?(?=\s+(?:[A-Z\u201c\"]|''|``))")


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
    unclosable: set[tuple[int, str]] = set()  # (paragraph, opening mark) known to find no closer
    p = 0
    while p < len(paras):
        p_start, p_end = paras[p]
        pos = p_start
        while pos < p_end:
            found = _next_opener(text, pos, p_end)
            if found is None:
                break
            span, p = _read_quote(text, paras, p, found, unclosable)
            spans.append(span)
            p_start, p_end = paras[p]
            pos = span.end
        p += 1
    return spans


def _opener_at(text: str, i: int) -> str | None:
    """The opening mark that starts at ``i``, if one does."""
    two = text[i : i + 2]
    if two in TWO_CHAR_MARKS:
        return two if _opens_two(text, i) else None
    ch = text[i : i + 1]
    if ch in _ONE_CHAR_OPENERS and _can_open(text, i):
        return ch
    return None


def _next_opener(text: str, pos: int, end: int) -> int | None:
    for i in range(pos, end):
        if _opener_at(text, i) is not None:
            return i
    return None


def _can_open(text: str, i: int) -> bool:
    """A straight mark glued to a preceding word ('5"', 'word"') closes or measures, not opens."""
    if text[i] != '"':
        return True
    return i == 0 or not text[i - 1].isalnum()


def _opens_two(text: str, i: int) -> bool:
    """Two apostrophes open a quote at the start of their run (a run of three before a word opens
    the double quote, then a single one), after a space or an opening bracket, before a non-space."""
    if i > 0 and not (text[i - 1].isspace() or text[i - 1] in _BEFORE_OPENER):
        return False
    return i + 2 < len(text) and not text[i + 2].isspace()


def _closes_two(text: str, i: int, end: int) -> bool:
    """Two apostrophes close a quote at the end of their run ('.''' closes a single quote, then the
    double one), right after a word or punctuation, and before a space, punctuation or the end."""
    if text[i : i + 2] != "''" or text[i + 2 : i + 3] == "'":
        return False
    return i > 0 and not text[i - 1].isspace() and (i + 2 >= end or not text[i + 2].isalnum())


def _read_quote(
    text: str, paras: list[tuple[int, int]], p: int, open_at: int, unclosable: set[tuple[int, str]]
) -> tuple[QuoteSpan, int]:
    """Read the quote opened at ``open_at`` in paragraph ``p``; return it and its last paragraph."""
    mark = _opener_at(text, open_at)
    assert mark is not None
    first_para = p
    pos = open_at + len(mark)
    while True:
        p_end = paras[p][1]
        close = None if (p, mark) in unclosable else _find_closer(text, pos, p_end, mark)
        if close is not None:
            at, length = close
            return QuoteSpan(open_at, at + length, open_at + len(mark), at, True, p - first_para + 1), p
        unclosable.add((p, mark))
        nxt = paras[p + 1][0] if p + 1 < len(paras) else None
        if nxt is not None and _continues(text, open_at, paras[p]):
            again = _opener_at(text, nxt)
            if again is not None:  # newspaper convention: the quote goes on in the next paragraph
                p, pos = p + 1, nxt + len(again)
                continue
        end = _unclosed_end(text, open_at, paras[first_para], p_end, p > first_para)
        return QuoteSpan(open_at, end, open_at + len(mark), end, False, p - first_para + 1), p


def _find_closer(text: str, pos: int, end: int, mark: str) -> tuple[int, int] | None:
    """(position, length) of the mark that closes a quote opened with ``mark``, searched in
    ``[pos, end)``; a closer of the quote's own style wins over anything nested."""
    closers = _CLOSERS[mark]
    mixed, nested_open = _MIXED.get(mark, ("", ""))
    nested = False  # inside a quote of the other style, whose closer must not close ours
    for i in range(pos, end):
        ch = text[i]
        for c in closers:
            if text.startswith(c, i) and _own_closer(text, i, end, c):
                return i, len(c)
        if not mixed or ch not in (mixed, nested_open):
            continue
        if nested:
            nested = not (ch == mixed and _closer_like(text, i, end))
        elif ch == nested_open and _opener_like(text, i, end):
            nested = True
        elif ch == mixed and _closer_like(text, i, end):
            return i, 1
    return None


def _own_closer(text: str, i: int, end: int, closer: str) -> bool:
    if closer == "''":
        return _closes_two(text, i, end)
    # a curly opener also listed as closer only closes before a non-word character
    return not (closer == "\u201c" and i + 1 < end and text[i + 1].isalnum())


def _opener_like(text: str, i: int, end: int) -> bool:
    """A mark after a space (or bracket) and before a word opens, whatever its style."""
    before_ok = i == 0 or text[i - 1].isspace() or text[i - 1] in _BEFORE_OPENER
    return before_ok and i + 1 < end and not text[i + 1].isspace()


def _closer_like(text: str, i: int, end: int) -> bool:
    """A mark right after a word or punctuation and before a space or punctuation closes; after a
    digit a straight mark measures inches ('a 5" pipe'), so it does not count."""
    if i == 0 or text[i - 1].isspace() or text[i - 1].isdigit():
        return False
    return i + 1 >= end or not text[i + 1].isalnum()


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


# the mark that closes a quote opened with each opening mark, when a reader's copy must add it
_READER_CLOSER = {'"': '"', "\u201c": "\u201d", "\u201e": "\u201c", "\u00ab": "\u00bb",
                  "''": "''", "``": "''"}
VERBATIM_KINDS = frozenset({"direct"})  # content of these kinds is all the speaker's own words


def as_read(content: str, kind: str, marks: tuple[str, str] = ("\u201c", "\u201d")) -> str:
    """A quote's content as a reader should see it, marks balanced and never doubled.

    A direct quote's content is the inside of its marks, so it gets one pair of ``marks``. Any other
    kind ('mixed' ``that Putin "does not want peace"``, 'partial' ``the plan "a betrayal"``) carries
    the outlet's own marks around the words it quoted and gets none added, since the rest is the
    outlet's paraphrase; a quote whose closing mark fell outside the content (``to "help Ukraine to
    resist,"`` cut before the comma) or that the outlet never closed gets its closer back.
    """
    text = content.strip()
    if kind in VERBATIM_KINDS:
        return f"{marks[0]}{text}{marks[1]}"
    unclosed = [q for q in find_quote_spans(text) if not q.closed]
    if not unclosed:
        return text
    opener = text[unclosed[-1].start : unclosed[-1].inner_start]
    return text + _READER_CLOSER.get(opener, '"')
