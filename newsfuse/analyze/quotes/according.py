"""Attributions whose cue is no verb: 'according to X', 'in a poll', headline 'Name: ...' lines.

'according to X' and an 'in' phrase naming a poll or study ('In a recent CNN poll, ...') give the
source as speaker and the rest of the sentence as content (kind ``according_to``); a line opened
by a name and a colon ('Macron: ...') or a name after a dash followed by a colon and a quote ('POLL -
Jane Roe: "..."') gives the name as speaker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfuse import defaults
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.quotes import cues
from newsfuse.analyze.quotes.attribution import (
    EDGE_PUNCT,
    QUOTE_CHARS,
    Attribution,
    classify,
    paragraph_span,
    trim,
)
from newsfuse.analyze.quotes.marks import QuoteSpan, paragraphs
from newsfuse.analyze.quotes.speaker import np_span


def according_to(doc: ParsedDoc, t: int, marks: Sequence[QuoteSpan]) -> Attribution | None:
    to = next((c for c in doc.children(t) if doc.tokens[c].text.lower() == "to"), None)
    if to is None and t + 1 < len(doc.tokens) and doc.tokens[t + 1].text.lower() == "to":
        to = t + 1
    if to is None:
        return None
    objs = [g for g in doc.children(to) if doc.tokens[g].dep == "pobj"]
    if not objs:
        return None
    rest = _sentence_without(doc, t, set(doc.subtree(t)) | set(doc.subtree(to)))
    if rest is None:
        return None
    _, span, conf = classify(doc.text, rest, True, marks, defaults.QUOTE_CONF_SYNTAX)
    cue_end = doc.tokens[to].end
    return Attribution(
        kind="according_to", content=span, cue=(doc.tokens[t].idx, cue_end), cue_tok=t,
        speaker_tok=objs[0], speaker=np_span(doc, objs[0], t), confidence=conf, lemma="according to",
    )


def _sentence_without(doc: ParsedDoc, t: int, phrase: set[int]) -> tuple[int, int] | None:
    """The char span of ``t``'s sentence (within its paragraph) without the source phrase: what
    follows it when it opens the sentence, what precedes it when it closes it, else the rest."""
    sent = doc.sent_of(t)
    lo, hi = min(phrase), max(phrase)
    if lo <= _first_word(doc, sent.start, sent.end):
        rest = list(range(hi + 1, sent.end))  # 'According to X, ...'
    elif hi >= _last_word(doc, sent.start, sent.end):
        rest = list(range(sent.start, lo))  # '..., according to X.'
    else:
        rest = [i for i in range(sent.start, sent.end) if i not in phrase]
    if not rest:
        return None
    para_start, para_end = paragraph_span(doc.text, doc.tokens[t].idx)
    start = max(doc.tokens[min(rest)].idx, para_start)
    start, end = trim(doc.text, start, min(doc.tokens[max(rest)].end, para_end), EDGE_PUNCT + QUOTE_CHARS)
    return (start, end) if end > start else None


def in_source(doc: ParsedDoc, t: int, marks: Sequence[QuoteSpan]) -> Attribution | None:
    """'In a recent CNN/ORC poll, 20 percent said ...', 'Sanders has sagged in the polls': the
    poll or study an 'in' phrase names is the source of the clause it modifies."""
    if doc.tokens[t].dep != "prep":
        return None
    obj = next((g for g in doc.children(t) if doc.tokens[g].dep == "pobj"), None)
    if obj is None or doc.tokens[obj].lemma.lower() not in cues.IN_SOURCES:
        return None
    if defaults.QUOTE_IN_SOURCE_OPENS and t != _first_word(doc, doc.sent_of(t).start, doc.sent_of(t).end):
        return None
    rest = _sentence_without(doc, t, set(doc.subtree(t)))
    if rest is None:
        return None
    _, span, conf = classify(doc.text, rest, True, marks, defaults.QUOTE_CONF_EVALUATIVE)
    return Attribution(
        kind="according_to", content=span, cue=(doc.tokens[t].idx, doc.tokens[t].end), cue_tok=t,
        speaker_tok=obj, speaker=np_span(doc, obj, t), confidence=conf, lemma="in",
    )


def _first_word(doc: ParsedDoc, start: int, end: int) -> int:
    return next((i for i in range(start, end) if doc.tokens[i].pos != "PUNCT"), start)


def _last_word(doc: ParsedDoc, start: int, end: int) -> int:
    """Last token with a letter or digit (sentences may trail off in rules like '___')."""
    return next((i for i in range(end - 1, start - 1, -1) if _wordy(doc.tokens[i].text)), end - 1)


def _wordy(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def headline_colons(doc: ParsedDoc, marks: Sequence[QuoteSpan]) -> list[Attribution]:
    """'Macron: Putin does not want peace' - a line opened by a name and a colon (headline style),
    and 'NEW POLL - Jane Roe: "..."' - a name after a dash, a colon and a quote (digest style)."""
    out = []
    for start, end in paragraphs(doc.text):
        found = _name_colon(doc, marks, start, end, start, need_quote=False)
        if found is not None:
            out.append(found)
        for dash in _DASH.finditer(doc.text, start, end):
            found = _name_colon(doc, marks, dash.end(), end, start, need_quote=True)
            if found is not None:
                out.append(found)
    return out


_DASH = re.compile(r" [-\u2013\u2014] ")


def _name_colon(
    doc: ParsedDoc, marks: Sequence[QuoteSpan], start: int, end: int, para: int, need_quote: bool
) -> Attribution | None:
    """The attribution of a name at ``start`` followed by a colon, or None."""
    colon = doc.text.find(":", start, min(end, start + defaults.QUOTE_HEADLINE_NAME_CHARS))
    first, last = doc.token_at(start), doc.token_at(colon - 1) if colon > start else None
    if first is None or last is None or len(doc.text[colon + 1 : end].split()) < defaults.QUOTE_MIN_WORDS:
        return None
    if not all(doc.tokens[i].pos == "PROPN" for i in range(first, last + 1)):
        return None  # '10:30 p.m.' and 'Update: ...' are no speakers
    content = trim(doc.text, colon + 1, end, EDGE_PUNCT)
    quote = next((q for q in marks if q.start == content[0]), None)
    if need_quote:
        if quote is None:
            return None
        content = (quote.start, quote.end)
    kind, span, conf = classify(doc.text, content, True, marks, defaults.QUOTE_CONF_HEADLINE)
    return Attribution(
        kind=kind, content=span, cue=(colon, colon + 1), cue_tok=last + 1, speaker_tok=last,
        speaker=(doc.tokens[first].idx, doc.tokens[last].end), confidence=conf, lemma=":",
    )
