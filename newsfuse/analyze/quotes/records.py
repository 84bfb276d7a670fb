"""From attributions to :class:`Quote` records: speaker entity keys, anonymity, cited source, ID.

A named speaker takes the key of its mention (else of the parser's entity); 'he'/'she' the previous
person speaker within a few sentences, else the nearest person whose gender fits; 'it' the cited or
recently speaking organisation. One record per content and speaker slot, the most confident.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from newsfuse import defaults
from newsfuse.analyze.names import gender, titles
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.quotes import cues, speakers
from newsfuse.analyze.quotes.attribution import Attribution
from newsfuse.analyze.quotes.refusals import hearsay
from newsfuse.analyze.quotes.speaker import org_speaker
from newsfuse.ids import content_id
from newsfuse.models import Mention, Quote


def to_quotes(
    doc: ParsedDoc, article_id: str, mentions: Sequence[Mention], found: Sequence[Attribution]
) -> list[Quote]:
    out: dict[tuple[int, int, int | None], Quote] = {}
    previous: tuple[int, str] | None = None  # (sentence, key) of the last person speaker
    genders = _Genders(doc, mentions)  # read once per article, only if a pronoun speaks
    body: tuple[int, str] | None = None  # (sentence, key) of the last organisation speaker
    for a in sorted(found, key=lambda a: (a.cue[0], a.content[0])):
        key, conf = _resolve_key(doc, mentions, a, previous, body, genders)
        if key is not None and a.speaker_tok is not None:
            org = speakers.is_organisation(doc, mentions, *(a.speaker or (0, 0)), a.speaker_tok)
            if org:
                body = (doc.tokens[a.cue_tok].sent, key)
            else:
                previous = (doc.tokens[a.cue_tok].sent, key)
        q = _record(doc, article_id, mentions, a, key, conf)
        slot = (q.content_start, q.content_end, q.speaker_start)
        if slot not in out or out[slot].confidence < q.confidence:
            out[slot] = q
    return sorted(out.values(), key=lambda q: (q.content_start, q.content_end))


class _Genders:
    """The article's person genders (gender.mention_genders), computed on first use only."""

    def __init__(self, doc: ParsedDoc, mentions: Sequence[Mention]) -> None:
        self.doc, self.mentions = doc, mentions
        self.known: dict[str, gender.Gender] | None = None

    def fits(self, key: str | None, pronoun: str) -> bool:
        if key is None:
            return True
        if self.known is None:
            self.known = gender.mention_genders(self.doc, self.mentions)
        return gender.compatible(self.known.get(key), pronoun)


def _resolve_key(
    doc: ParsedDoc, mentions: Sequence[Mention], a: Attribution, previous: tuple[int, str] | None,
    body: tuple[int, str] | None = None, genders: _Genders | None = None,
) -> tuple[str | None, float]:
    """Entity key of the speaker and the confidence after resolution."""
    if a.speaker is None or a.speaker_tok is None:
        return None, a.confidence
    head = doc.tokens[a.speaker_tok]
    m = speakers.mention_at(mentions, a.speaker[0], a.speaker[1], (head.idx, head.end))
    if m is not None and not (m.start <= head.idx and head.end <= m.end) and _body_noun(doc, a.speaker_tok):
        m = None  # 'the Kessel fire service': the name only says whose service; the service speaks
    if not speakers.is_pronoun(doc, a.speaker_tok):
        if m is not None:
            return m.entity_key, a.confidence
        ent = speakers.ent_key_at(doc, a.speaker[0], a.speaker[1], (head.idx, head.end))
        if ent is None:
            return None, a.confidence
        key, label = ent
        return (speakers.full_name(doc, key, a.speaker[0]) if label == "PERSON" else key), a.confidence
    person = head.text.lower() in cues.PERSON_PRONOUNS
    genders = genders or _Genders(doc, mentions)
    if m is not None and m.entity_key.lower() not in cues.PRONOUNS and not (
        person and speakers.names_no_person(mentions, m.entity_key)
    ):
        return m.entity_key, a.confidence
    if head.text.lower() == "it":
        return _body_key(doc, mentions, a, body), a.confidence
    if not person:
        return None, a.confidence * defaults.QUOTE_CONF_UNRESOLVED
    # 'she said' never goes to a man the article calls Mr or 'chairman' (or, lacking such words,
    # whose first name is a man's): the gender check skips such candidates.
    if (
        previous is not None and head.sent - previous[0] <= defaults.QUOTE_PRONOUN_WINDOW
        and not speakers.names_no_person(mentions, previous[1])
        and genders.fits(previous[1], head.text)
    ):
        return previous[1], a.confidence
    nearest = speakers.preceding_person(doc, mentions, a.speaker[0])
    if nearest is not None and not genders.fits(nearest, head.text):
        nearest = None
    return nearest, a.confidence * (1.0 if nearest else defaults.QUOTE_CONF_UNRESOLVED)


def _body_noun(doc: ParsedDoc, i: int) -> bool:
    """A common noun naming a body or thing ('service', 'memo'), not a person's role ('spokesman')."""
    tok = doc.tokens[i]
    return tok.pos == "NOUN" and not titles.is_role(tok) and tok.lemma.lower() not in cues.ANONYMOUS_HEADS


def _body_key(
    doc: ParsedDoc, mentions: Sequence[Mention], a: Attribution, body: tuple[int, str] | None
) -> str | None:
    """'it said ...' stands for the organisation the outlet cites for it, else for the organisation
    that spoke in the sentences just before; never for a person."""
    if a.cited is not None and a.cited_tok is not None:
        tok = doc.tokens[a.cited_tok]
        m = speakers.mention_at(mentions, a.cited[0], a.cited[1], (tok.idx, tok.end))
        if m is not None and m.label != "PERSON":
            return m.entity_key
    if body is not None and doc.tokens[a.cue_tok].sent - body[0] <= defaults.QUOTE_PRONOUN_WINDOW:
        return body[1]
    return None


def _record(
    doc: ParsedDoc, article_id: str, mentions: Sequence[Mention], a: Attribution, key: str | None, conf: float
) -> Quote:
    text = doc.text
    anonymous = False
    if a.speaker is not None and a.speaker_tok is not None:
        toks = [i for i in doc.subtree(a.speaker_tok) if a.speaker[0] <= doc.tokens[i].idx < a.speaker[1]]
        anonymous = speakers.is_anonymous(doc, toks, a.speaker_tok)
    anonymous = anonymous or (a.speaker is None and hearsay(doc, a.cue_tok))
    key = None if anonymous else key  # an unnamed source is no entity, whatever names its modifiers
    cited = text[a.cited[0] : a.cited[1]] if a.cited else None
    if cited is None and not anonymous and a.speaker is not None and org_speaker(doc, mentions, a):
        cited = text[a.speaker[0] : a.speaker[1]]
    q = Quote(
        id=content_id(article_id, a.kind, a.content[0], a.content[1], a.cue[0], prefix="q_"),
        article_id=article_id, kind=a.kind, content=text[a.content[0] : a.content[1]],
        content_start=a.content[0], content_end=a.content[1],
        speaker=text[a.speaker[0] : a.speaker[1]] if a.speaker else None,
        speaker_start=a.speaker[0] if a.speaker else None, speaker_end=a.speaker[1] if a.speaker else None,
        speaker_key=key, anonymous=anonymous, cue=text[a.cue[0] : a.cue[1]],
        cue_start=a.cue[0], cue_end=a.cue[1], cited_source=cited, confidence=round(conf, 3),
    )
    return q if a.relay is None else _with_relay(q, text, a.relay)


def _with_relay(q: Quote, text: str, relay: Attribution) -> Quote:
    """The quote with the report that carried it ('..., CNN reported'), which is no quote of its own."""
    src = relay.speaker
    return replace(
        q, relay_source=text[src[0] : src[1]] if src else None,
        relay_source_start=src[0] if src else None, relay_source_end=src[1] if src else None,
        relay_cue=text[relay.cue[0] : relay.cue[1]], relay_cue_start=relay.cue[0], relay_cue_end=relay.cue[1],
        relay_start=relay.content[0], relay_end=relay.content[1],
    )
