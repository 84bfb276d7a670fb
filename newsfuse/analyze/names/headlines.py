"""Names in title-case and all-caps headlines ('Daring Diamond Heist', 'Obama Overturns Rule',
'FIRED IN PHILLY!!'): the small model reads the capitalised common words of such a line as names.

In a headline line a person or organisation name keeps only the words the article supports: a word
the body writes capitalised inside a sentence (not as its first word) or as part of a name, a given
name of the packaged list with the word after it, or the word right after a title (not in an
all-caps line). The longest
supported run of the span stays a name; a span with no supported word is no mention. Body lines
are left alone.
"""

from __future__ import annotations

from newsfuse import defaults
from newsfuse.analyze.names import lexicon as names
from newsfuse.analyze.names import titles
from newsfuse.analyze.names.mentionspans import Name
from newsfuse.analyze.parse import ParsedDoc

__all__ = ["CHECKED_LABELS", "headline_lines", "supported_names"]

# Types whose headline spans need support: the ones the model gives capitalised common words.
CHECKED_LABELS = frozenset(("PERSON", "ORG"))


def supported_names(doc: ParsedDoc, found: list[Name]) -> list[Name]:
    """``found`` with names in headline lines cut to their supported words (or dropped)."""
    heads = headline_lines(doc)
    if not heads:
        return found
    inside = {i for start, end in heads for i in range(start, end)}
    known = _body_words(doc, found, inside)
    out = []
    for n in found:
        if n.label in CHECKED_LABELS and n.start in inside:
            kept = _supported_part(doc, n, known)
            if kept is not None:
                out.append(kept)
        else:
            out.append(n)
    return out


def headline_lines(doc: ParsedDoc) -> list[tuple[int, int]]:
    """Token ranges of the title-case or all-caps lines among the article's first lines; a text of
    one line has no headline (a headline heads a body, and a lone line is a sentence of one)."""
    lines = _lines(doc)
    if len(lines) < 2:
        return []
    return [(s, e) for s, e in lines[: defaults.HEADLINE_LINES] if _title_case(doc, s, e)]


def _lines(doc: ParsedDoc) -> list[tuple[int, int]]:
    """Token ranges of the non-empty lines of the text."""
    lines: list[tuple[int, int]] = []
    start = None
    for tok in doc.tokens:
        if tok.text.strip() and start is None:
            start = tok.i
        breaks = "\n" in tok.ws or "\n" in tok.text
        if breaks and start is not None:
            lines.append((start, tok.i + 1))
            start = None
    if start is not None:
        lines.append((start, len(doc.tokens)))
    return lines


def _title_case(doc: ParsedDoc, start: int, end: int) -> bool:
    size = defaults.HEADLINE_WORD_CHARS  # 'of', 'in', 'the' are lowercase in many title-case styles
    words = [t.text for t in doc.tokens[start:end] if t.text.isalpha() and len(t.text) >= size]
    if len(words) < defaults.HEADLINE_MIN_WORDS:
        return False
    capitalised = sum(1 for w in words if w[0].isupper())
    return capitalised >= defaults.HEADLINE_CAPS_SHARE * len(words)


def _body_words(doc: ParsedDoc, found: list[Name], headline: set[int]) -> set[str]:
    """Casefolded words the body writes as names: capitalised inside a sentence, or in a name."""
    words = {w.casefold() for n in found if n.start not in headline for w in n.words}
    for tok in doc.tokens:
        if tok.i in headline or not tok.text[:1].isupper() or _opens(doc, tok.i):
            continue
        words.add(tok.text.casefold())
    return words


def _opens(doc: ParsedDoc, i: int) -> bool:
    """First word of its sentence or of a quote: capitalised whatever it is."""
    if i == doc.sent_of(i).start:
        return True
    return doc.tokens[i - 1].text in ("\"", "“", "'", "‘", "(", ":", "-", "—", "–")


def _supported_part(doc: ParsedDoc, n: Name, known: set[str]) -> Name | None:
    ok = [_neutral(doc, i) or doc.tokens[i].text.casefold() in known for i in range(n.start, n.end)]
    for i in range(n.start, n.end):
        if names.is_given_name(doc.tokens[i].text):
            ok[i - n.start] = True
            if i + 1 < n.end:
                ok[i + 1 - n.start] = True  # the family name after a given name
    if titles.title_before(doc, n.start) is not None and not doc.tokens[n.start].text.isupper():
        ok[0] = True  # in capitals ('COACH OUT') a role word before says nothing of a name after
    start, end = _longest_run(doc, n.start, ok)
    if end <= start:
        return None
    if (start, end) == (n.start, n.end):
        return n
    text = names.normalise(doc.span_text(start, end))
    return Name(start, end, n.label, text, n.titles, honorific=n.honorific, after_the=n.after_the,
                sure=n.sure)


def _neutral(doc: ParsedDoc, i: int) -> bool:
    """Punctuation and joiners ('-', "'s", 'de') inside a name: neither support nor its lack."""
    text = doc.tokens[i].text
    joiner = text.casefold() in names.NAME_JOINERS or text in ("'s", "’s")
    return joiner or not any(ch.isalpha() for ch in text)


def _longest_run(doc: ParsedDoc, first: int, ok: list[bool]) -> tuple[int, int]:
    """Token range of the longest run of supported tokens holding a word (first run on ties),
    without neutral tokens at its edges."""
    best, run_start = (first, first), None
    for k, good in enumerate([*ok, False]):
        if good and run_start is None:
            run_start = k
        if not good and run_start is not None:
            s, e = first + run_start, first + k
            while s < e and _neutral(doc, s):
                s += 1
            while e > s and _neutral(doc, e - 1):
                e -= 1
            if e - s > best[1] - best[0]:
                best = (s, e)
            run_start = None
    return best
