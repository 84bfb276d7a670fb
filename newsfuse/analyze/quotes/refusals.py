"""Statements that were not made: refusals to comment, and hearsay without a named source.

'X declined to comment (on Y)' and 'X did not respond to requests for comment' yield no quote
(nothing was said); :func:`no_comments` lists them with who refused, for consumers that count them
(attribution corpora do). 'X is said to have ...' passes on hearsay: :func:`hearsay` marks such a
quote anonymous rather than the outlet's own.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.quotes import cues
from newsfuse.analyze.quotes.attribution import tok_span
from newsfuse.analyze.quotes.cuecheck import negated, verb_lemma
from newsfuse.analyze.quotes.spans import clause_child
from newsfuse.analyze.quotes.speaker import auxiliaries, np_span, subject


def refusal_to_speak(doc: ParsedDoc, t: int) -> bool:
    """'declined to comment (on X)', 'declined to say whether X': no statement was made, whatever
    it was about."""
    return any(doc.tokens[c].dep == "xcomp" and _unspoken(doc, t, c) for c in doc.children(t))


def _unspoken(doc: ParsedDoc, t: int, comment: int) -> bool:
    """The infinitive ``comment`` of ``t`` names a statement that was not made: 'to comment'
    after any verb, a speech verb ('to say', 'to confirm') after a refusal."""
    lemma = doc.tokens[comment].lemma.lower()
    return lemma in cues.NO_CONTENT or (
        doc.tokens[t].lemma.lower() in cues.REFUSALS
        and verb_lemma(doc.tokens[comment].text, lemma) in cues.SPEECH
    )


def refused(doc: ParsedDoc, t: int) -> bool:
    """'declined to say whether ...': the speech act is refused, so it is no quote of its own."""
    tok = doc.tokens[t]
    return tok.dep == "xcomp" and tok.head != t and _unspoken(doc, tok.head, t)


@dataclass(frozen=True, slots=True)
class NoComment:
    """'A spokeswoman declined to comment on the report': who (char span), the cue ('declined to
    comment on') and what was not commented on (None when unnamed)."""

    speaker: tuple[int, int]
    cue: tuple[int, int]
    topic: tuple[int, int] | None


def no_comments(doc: ParsedDoc) -> list[NoComment]:
    """The refusals to comment of one article that name who refused: 'declined to comment (on X)',
    'did not respond to requests for comment', 'did not return calls'. newsfuse keeps them out of
    its quotes (nothing was said; the claims stage makes them no-comment facts); the PolNeAR bench
    reports them, as that corpus annotates them as attributions."""
    out = []
    for t, tok in enumerate(doc.tokens):
        found = _refusal(doc, t) if tok.pos in ("VERB", "AUX") else None
        speaker = subject(doc, t, depth=0) if found is not None else None
        if found is None or speaker is None:
            continue
        last, topic = found
        start = min([t, *auxiliaries(doc, t), *(c for c in doc.children(t) if doc.tokens[c].dep == "neg")])
        cue = (doc.tokens[start].idx, doc.tokens[last].end)
        out.append(NoComment(np_span(doc, speaker, t), cue, topic))
    return out


def _refusal(doc: ParsedDoc, t: int) -> tuple[int, tuple[int, int] | None] | None:
    """(last cue token, topic span) when token ``t`` refuses comment, else None."""
    lemma = doc.tokens[t].lemma.lower()
    kids = doc.children(t)
    if lemma in cues.REFUSALS:
        comment = next((c for c in kids if doc.tokens[c].dep == "xcomp" and _unspoken(doc, t, c)), None)
        return _refused_topic(doc, comment) if comment is not None else None
    if not negated(doc, t):
        return None
    if lemma == "respond":
        for to in (c for c in kids if doc.tokens[c].dep == "prep" and doc.tokens[c].text.lower() == "to"):
            objs = [g for g in doc.children(to) if doc.tokens[g].dep == "pobj"]
            if objs and doc.tokens[objs[0]].lemma.lower() in _REQUESTS:
                return to, tok_span(doc, doc.subtree(objs[0]), exclude=to)
    if lemma == "return":
        objs = [c for c in kids if doc.tokens[c].dep == "dobj" and doc.tokens[c].lemma.lower() in _REQUESTS]
        if objs:
            return t, tok_span(doc, doc.subtree(objs[0]), exclude=t)
    return None


def _refused_topic(doc: ParsedDoc, comment: int) -> tuple[int, tuple[int, int] | None]:
    """'to comment on the report': the cue ends with 'on', the report is the topic; 'to say
    whether X': the clause is the topic."""
    clause = clause_child(doc, comment, doc.children(comment))
    if clause is not None:
        return comment, tok_span(doc, doc.subtree(clause), exclude=comment)
    on = next((c for c in doc.children(comment) if doc.tokens[c].dep == "prep"
               and doc.tokens[c].text.lower() in ("on", "about")), None)
    objs = [g for g in doc.children(on) if doc.tokens[g].dep == "pobj"] if on is not None else []
    if on is None or not objs:
        return comment, None
    return on, tok_span(doc, doc.subtree(objs[0]), exclude=on)


_REQUESTS = frozenset({"request", "call", "email", "e-mail", "message", "inquiry", "question", "query"})


def hearsay(doc: ParsedDoc, t: int) -> bool:
    """'X is said to / is reported to / is believed to have ...': a passive cue with an infinitive
    and no agent passes on hearsay whose source nobody names: anonymous, not the outlet's own."""
    deps = {doc.tokens[c].dep for c in doc.children(t)}
    tok = doc.tokens[t]
    lemma = verb_lemma(tok.text, tok.lemma.lower())
    return (lemma in cues.SPEECH or lemma in cues.BELIEF) and "nsubjpass" in deps and "xcomp" in deps and (
        "agent" not in deps)
