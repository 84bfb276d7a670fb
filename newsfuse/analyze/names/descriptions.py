"""Descriptions of organisations ("the company", "the accounting software maker", "the ministry")
linked to the organisation named just before whose kind and description fit them."""

from __future__ import annotations

from dataclasses import dataclass, field

from newsfuse import defaults
from newsfuse.analyze.names import lexicon as names
from newsfuse.analyze.names.mentionspans import (
    Name,
    Ref,
    article_before,
    hyphen_word,
    org_noun_before,
    span_root,
)
from newsfuse.analyze.parse import ParsedDoc


@dataclass
class _Body:
    """One organisation of the article as a referent for descriptions: where it is mentioned, its
    kind ('business', 'public', 'civic', 'any' or '' unknown) and the words of its name and of what
    the article calls it ('Solvik Systems, the Brenna-based maker of accounting software')."""

    key: str
    kind: str = ""
    words: set[str] = field(default_factory=set)
    starts: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Description:
    """'the accounting software maker': tokens ``start:end``, its organisation noun and its words."""

    start: int
    end: int
    noun: str
    words: frozenset[str]
    modified: bool  # words between 'the' and the noun ('the national grid operator')


def description_refs(doc: ParsedDoc, found: list[Name], taken: list[Ref]) -> list[Ref]:
    """'the company said' -> the organisation the description most likely stands for; left out
    when none fits or two fit equally well."""
    bodies = _bodies(doc, found)
    covered = {i for n in found for i in range(n.start, n.end)}
    covered |= {i for r in taken for i in range(r.start, r.end)}
    paragraphs = _paragraphs(doc)
    refs = []
    for tok in doc.tokens:
        desc = _description_at(doc, tok.i, covered)
        body = _described_body(doc, desc, bodies, paragraphs) if desc is not None else None
        if desc is None or body is None:
            continue
        body.starts.append(desc.start)  # a later "the company" may lean on this one
        body.words |= desc.words
        conf = defaults.CONF_DESCRIPTION_LINK
        refs.append(Ref(desc.start, desc.end, "description", body.key, "ORG", (), conf))
    return refs


def _bodies(doc: ParsedDoc, found: list[Name]) -> dict[str, _Body]:
    bodies: dict[str, _Body] = {}
    for n in found:
        if n.label != "ORG":
            continue
        body = bodies.setdefault(n.key, _Body(n.key))
        body.starts.append(n.start)
        body.words |= {w.casefold() for w in n.words}
        noun, words = _said_of(doc, n)
        body.words |= words
        body.kind = body.kind or names.ORG_NOUN_KINDS.get(noun, "") or names.org_kind(n.text, n.after_the)
    return bodies


def _said_of(doc: ParsedDoc, n: Name) -> tuple[str, set[str]]:
    """What the article calls a name where it names it: the organisation noun and the words of an
    apposition (', the Brenna-based maker of accounting software,') or of a description right
    before it ('the payments start-up Quillpay')."""
    if org_noun_before(doc, n.start):
        first, noun = hyphen_word(doc, n.start - 1)
        det = article_before(doc, first)
        return noun, _content_words(doc, (det if det is not None else first) + 1, n.start)
    root = span_root(doc, n.start, n.end)
    for c in doc.children(root.i):
        if doc.tokens[c].dep != "appos" or c < n.end:
            continue
        noun = hyphen_word(doc, c)[1]
        if noun in names.ORG_NOUN_KINDS:
            return noun, _content_words(doc, n.end, _apposition_end(doc, n.end + 1))
    return "", set()


def _apposition_end(doc: ParsedDoc, i: int) -> int:
    """One past the last token of an apposition starting at ``i`` (it ends at a comma or stop)."""
    stop = doc.sent_of(i).end if i < len(doc.tokens) else i
    while i < stop and doc.tokens[i].text not in (",", ";", ":", ".", "(", ")", "—", "–"):
        i += 1
    return i


def _content_words(doc: ParsedDoc, start: int, end: int) -> set[str]:
    """Lemmas of the nouns, adjectives and names in ``start:end``, and its hyphenated words whole."""
    toks = doc.tokens[start:end]
    words = {t.lemma.casefold() for t in toks if t.pos in ("NOUN", "ADJ", "PROPN", "VERB")}
    words |= {hyphen_word(doc, t.i)[1] for t in toks if t.i >= 2 and doc.tokens[t.i - 1].text == "-"}
    return words


def _description_at(doc: ParsedDoc, i: int, covered: set[int]) -> _Description | None:
    """'the (modifiers) NOUN' ending at token ``i`` with an organisation noun and no name after it
    ('the company Solvik' is a name with a description of its own)."""
    tok = doc.tokens[i]
    if i in covered or tok.tag in ("NNS", "NNPS") or tok.dep == "compound":
        return None
    first, noun = hyphen_word(doc, i)
    if noun not in names.ORG_NOUN_KINDS or _name_follows(doc, i + 1, covered):
        return None
    det = article_before(doc, first)
    if det is None or any(j in covered for j in range(det, first)):
        return None
    if any(doc.tokens[j].text.casefold() in names.NEW_ORG_MODIFIERS for j in range(det + 1, first)):
        return None  # 'the combined company' is not one named before
    words = frozenset(_content_words(doc, det + 1, i + 1) | {noun})
    return _Description(det, i + 1, noun, words, modified=first > det + 1)


def _name_follows(doc: ParsedDoc, j: int, covered: set[int]) -> bool:
    if j >= len(doc.tokens):
        return False
    nxt = doc.tokens[j]
    return j in covered or nxt.pos in ("PROPN", "NOUN", "NUM") or (nxt.text == "-" and not nxt.ws)


def _paragraphs(doc: ParsedDoc) -> list[int]:
    """Paragraph number of each token (a line break ends a paragraph)."""
    out, n = [], 0
    for tok in doc.tokens:
        out.append(n)
        n += "\n" in tok.text or "\n" in tok.ws
    return out


def _described_body(
    doc: ParsedDoc, desc: _Description, bodies: dict[str, _Body], paragraphs: list[int]
) -> _Body | None:
    """The organisation mentioned before the description (same paragraph or a few sentences back,
    anywhere before if its name holds the noun: 'the authority') of a fitting kind, sharing the most
    words with it, then mentioned in the nearest sentence."""
    kind = names.ORG_NOUN_KINDS[desc.noun]
    here = doc.tokens[desc.start].sent
    scored: list[tuple[int, int, _Body]] = []
    for body in bodies.values():
        last = max((s for s in body.starts if s < desc.start), default=None)
        if last is None or not names.kinds_fit(kind, body.kind):
            continue
        fit = len(desc.words & body.words)
        if (desc.noun in names.STRICT_ORG_NOUNS and desc.noun not in body.words) or (
            desc.modified and not fit and not body.kind
        ):
            continue  # a described body says what it is; a bare name ('Kessel') may be a place
        gap = here - doc.tokens[last].sent
        near = gap <= defaults.ORG_REF_LOOKBACK_SENTENCES or paragraphs[last] == paragraphs[desc.start]
        if near or desc.noun in body.words:
            scored.append((fit, -gap, body))
    if not scored:
        return None
    best = max(s[:2] for s in scored)
    fitting = [s[2] for s in scored if s[:2] == best]
    return fitting[0] if len(fitting) == 1 else None  # two bodies fit equally: ambiguous
