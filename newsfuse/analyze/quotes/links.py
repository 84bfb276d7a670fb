"""How attributions relate to each other: continued quotes, nested findings, cited sources.

A quote with no cue of its own continues the nearest attribution in its paragraph
(:func:`continuations`); a finding inside what someone said is no source of its own
(:func:`drop_nested_evidence`); an organisation whose report holds another attribution is that
one's cited source, and a pure relay ('reports Reuters') is dropped (:func:`cite_sources`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from newsfuse import defaults
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.quotes import cues
from newsfuse.analyze.quotes.attribution import Attribution, holds, trim
from newsfuse.analyze.quotes.marks import QuoteSpan
from newsfuse.analyze.quotes.speaker import org_speaker
from newsfuse.models import Mention


def drop_nested_evidence(found: Sequence[Attribution]) -> list[Attribution]:
    """'The mayor said that tests had shown X': the finding is part of what the mayor said, not a
    source of its own; evidence cues only speak for themselves in the outlet's own voice."""
    return [
        a for a in found
        if a.lemma not in cues.EVIDENCE
        or not any(b is not a and b.lemma not in cues.EVIDENCE and holds(b.content, a.cue) for b in found)
    ]


def continuations(
    doc: ParsedDoc, marks: Sequence[QuoteSpan], found: Sequence[Attribution]
) -> list[Attribution]:
    """Quotes no attribution covers, given to the nearest earlier attribution within a few
    sentences ('"A," he said. "B."'), else to a cue later in the same sentence or the next."""
    out: list[Attribution] = []
    for q in marks:
        if q.words(doc.text) < defaults.QUOTE_MIN_WORDS or _covered(q, found):
            continue
        owner = _owner(doc, q, found)
        if owner is None:
            continue
        start, end = trim(doc.text, q.inner_start, q.inner_end, " \n,")
        conf = defaults.QUOTE_CONF_CONTINUATION
        if not q.closed:
            conf = min(conf, defaults.QUOTE_CONF_UNCLOSED)
        out.append(replace(owner, kind="direct", content=(start, end), confidence=conf))
    return out


def _paragraph(text: str, char: int) -> int:
    """Start of the line holding ``char``: quotes do not continue across paragraphs unannounced."""
    return text.rfind("\n", 0, char) + 1


def _covered(q: QuoteSpan, found: Sequence[Attribution]) -> bool:
    return any(a.content[0] < q.inner_end and a.content[1] > q.inner_start for a in found)


def _owner(doc: ParsedDoc, q: QuoteSpan, found: Sequence[Attribution]) -> Attribution | None:
    first = doc.token_at(q.start)
    last = doc.token_at(max(q.start, q.end - 1))
    if first is None or last is None:
        return None
    s_first, s_last = doc.tokens[first].sent, doc.tokens[last].sent
    para = _paragraph(doc.text, q.start)
    spoken = [a for a in found if a.speaker is not None and a.kind != "according_to"
              and _paragraph(doc.text, a.cue[0]) == para]
    before = [a for a in spoken if a.cue[1] <= q.start
              and s_first - doc.tokens[a.cue_tok].sent <= defaults.QUOTE_CONTINUATION_SENTS]
    if before:
        return max(before, key=lambda a: a.cue[0])
    after = [a for a in spoken if a.cue[0] >= q.end and doc.tokens[a.cue_tok].sent - s_last <= 1]
    return min(after, key=lambda a: a.cue[0]) if after else None


def cite_sources(
    doc: ParsedDoc, mentions: Sequence[Mention], found: Sequence[Attribution]
) -> list[Attribution]:
    """Give each attribution the organisation the outlet cites for it; drop pure relays, keeping
    the nearest on the attribution it carried ('X said Y, CNN reported': X said it, CNN carried it,
    and a reader or an attribution corpus may want either)."""
    out: list[Attribution] = []
    relays: set[int] = set()
    for a in found:
        chain = _outer_chain(a, found)
        org = next((b for b in reversed(chain) if org_speaker(doc, mentions, b)), None)
        if org is not None and a.cited is None:
            a = replace(a, cited=org.speaker, cited_tok=org.speaker_tok)
        carried = [b for b in chain[1:] if b.lemma in cues.RELAY]
        if carried and a.relay is None:
            a = replace(a, relay=carried[0])
        relays.update(id(b) for b in carried)
        out.append(a)
    return [a for a, orig in zip(out, found, strict=True) if id(orig) not in relays]


def _outer_chain(a: Attribution, found: Sequence[Attribution]) -> list[Attribution]:
    """``a`` and the attributions whose content holds its cue, innermost first."""
    chain = [a]
    while len(chain) < 4:
        cur = chain[-1]
        outer = [b for b in found if b not in chain and holds(b.content, cur.cue)]
        if not outer:
            break
        chain.append(min(outer, key=lambda b: b.content[1] - b.content[0]))
    return chain
