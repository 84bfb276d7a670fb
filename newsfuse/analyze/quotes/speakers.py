"""Who a quote's speaker is: entity key (through names, titles and pronouns), anonymity, and
whether the speaker is an organisation the outlet cites (a wire, a newspaper, a ministry).

Works with the mentions of :mod:`newsfuse.analyze.names.mentions` when there are any, and falls back on
the parser's named entities when there are none, so quotes get keys either way.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse.analyze.names import lexicon as names
from newsfuse.analyze.names import titles
from newsfuse.analyze.parse import Ent, ParsedDoc
from newsfuse.analyze.quotes import cues
from newsfuse.models import Mention


def normalise_name(text: str) -> str:
    """'the Pentagon's' -> 'Pentagon': an entity key from an entity's surface text."""
    name = text.strip().strip("\"'\u201c\u201d\u2019,")
    for suffix in ("'s", "\u2019s"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    if name.lower().startswith("the "):
        name = name[4:]
    return " ".join(name.split())


def mention_at(mentions: Sequence[Mention], start: int, end: int, head: tuple[int, int]) -> Mention | None:
    """The mention that best names the span: the one on its head word, else the longest inside."""
    inside = [m for m in mentions if m.start < end and m.end > start]
    on_head = [m for m in inside if m.start <= head[0] and m.end >= head[1]]
    # a modifier ('American' in 'American officials') is not the speaker; a person or organisation
    # inside the span is ('the French president' tagged as a whole or in part)
    # an organisation after the head sits in a phrase of its own ('the hospital in Kessel'): not the
    # speaker; a person after it is the one the title names ('Minister of Water Teodor Hallen')
    named = [m for m in inside if m.label == "PERSON" or (m.label == "ORG" and m.start < head[0])]
    if not (on_head or named):
        return None
    return max(on_head or named, key=lambda m: m.end - m.start)


def ent_key_at(doc: ParsedDoc, start: int, end: int, head: tuple[int, int]) -> tuple[str, str] | None:
    """(key, label) of the parser's named entity on the span's head word."""
    on_head = [
        e for e in doc.ents
        if e.start_char <= head[0] and e.end_char >= head[1] and e.label in cues.SPEAKER_LABELS
    ]
    if not on_head:
        return None  # 'American officials': the entity only modifies the speaker
    ent = max(on_head, key=lambda e: e.end_char - e.start_char)
    name = ent_name(doc, ent)
    return (name, ent.label) if name else None


def ent_name(doc: ParsedDoc, ent: Ent) -> str:
    """A parser entity's name; a person's without the title words the recogniser took in with it
    ('Mayor Ana Kovic')."""
    start = titles.split_leading_title(doc, ent.start, ent.end) if ent.label == "PERSON" else ent.start
    return normalise_name(doc.span_text(start, ent.end))


def full_name(doc: ParsedDoc, key: str, before: int) -> str:
    """'Macron' -> 'Emmanuel Macron' when a longer PERSON name ending in it came earlier."""
    if " " in key:
        return key
    for ent in reversed(doc.ents):
        if ent.start_char < before and ent.label == "PERSON":
            name = ent_name(doc, ent)
            if name and name != key and name.split()[-1] == key:
                return name
    return key


def preceding_person(doc: ParsedDoc, mentions: Sequence[Mention], before: int) -> str | None:
    """Key of the nearest PERSON named before ``before``: mentions first, then parser entities."""
    for m in sorted(mentions, key=lambda m: m.start, reverse=True):
        if m.end <= before and m.label == "PERSON" and m.entity_key.lower() not in cues.PRONOUNS:
            return m.entity_key
    for ent in reversed(doc.ents):
        name = ent_name(doc, ent) if ent.end_char <= before and ent.label == "PERSON" else ""
        if name:
            return full_name(doc, name, ent.start_char)
    return None


def names_no_person(mentions: Sequence[Mention], key: str) -> bool:
    """A he/she never stands for this key: the article names it as an organisation or place, or it
    is a newspaper's name ('told the Herald he would ...')."""
    if names.is_outlet_name(key, after_the=True):
        return True
    named = [m for m in mentions if m.entity_key == key and m.kind in ("name", "partial")]
    return any(m.label != "PERSON" for m in named)


def is_pronoun(doc: ParsedDoc, head: int) -> bool:
    tok = doc.tokens[head]
    return tok.pos == "PRON" or tok.text.lower() in cues.PRONOUNS


def is_anonymous(doc: ParsedDoc, toks: Sequence[int], head: int) -> bool:
    """An unnamed source: 'American officials', 'a source', 'officials who spoke on condition of
    anonymity'. A named person in the span ('spokesperson Dmitry Peskov') is never anonymous."""
    if any(doc.tokens[i].ent_type == "PERSON" for i in toks) or doc.tokens[head].pos == "PROPN":
        return False
    if doc.tokens[head].lemma.lower() in cues.ANONYMOUS_HEADS:
        return True
    if is_pronoun(doc, head):
        return False  # 'he said on condition of anonymity' names someone known from context
    sent = doc.sent_of(head)
    sentence = doc.text[sent.start_char : sent.end_char].lower()
    return any(marker in sentence for marker in cues.ANONYMITY_MARKERS)


def is_organisation(doc: ParsedDoc, mentions: Sequence[Mention], start: int, end: int, head: int) -> bool:
    """A speaking institution or news outlet (Reuters, The Times, the Pentagon, the White House)."""
    tok = doc.tokens[head]
    span = (tok.idx, tok.end)
    m = mention_at(mentions, start, end, span)
    if m is not None and m.label in {"ORG", "FAC"}:
        return True
    on_head = [e for e in doc.ents if e.start_char <= span[0] and e.end_char >= span[1]]
    if any(e.label in {"ORG", "FAC"} for e in on_head):
        return True
    name = normalise_name(doc.text[start:end]).lower()
    if name in cues.WIRE_SERVICES:
        return True
    return tok.pos == "PROPN" and tok.text.lower() in cues.OUTLET_WORDS
