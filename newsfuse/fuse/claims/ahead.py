"""Claim sentences encoded ahead of fusion: once per article, right after its analysis.

Fusion compares claim sentences by meaning (:mod:`~newsfuse.fuse.claims.meaning`,
:mod:`~newsfuse.fuse.claims.speakers`) and asks :class:`~newsfuse.fuse.claims.vectors.SentenceVectors`
for their vectors; a sentence not kept yet is encoded then, inside the story's fuse. In a watch that
put the encoder (84% of fusion time in a profile of 9 story fuses) inside the story's write
transaction, on the one thread that fuses. Here an article's sentences are named and encoded as soon
as it is analysed (the watch's analysis process does it, in one batch per chunk of articles), and
kept in the store, so the fuse only reads them.

Which sentences (:func:`claim_sentences`, in parts): every clause run
(:func:`~newsfuse.fuse.claims.meaning.units`) of every statement of a kind the meaning pass compares,
the clause runs around every quote's cue (what the speaker pass compares) and, with learned event
coreference, the sentence of every event (what :mod:`~newsfuse.fuse.claims.eventpairs` compares).
The fuse takes a subset of these (a statement that differs from its claim, or is linked to it
through a detail, is left out there; a story of one article compares event sentences only); which
one depends on the story, so the article's share of each part asked for is encoded whole. The watch
asks for ``defaults.WATCH_AHEAD_PARTS``; the fuse encodes what else it reads. Statements are found
with no entity map: which statements an article has, and their spans, do not depend on how its
entities resolve (only their labels do).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from newsfuse import defaults
from newsfuse.fuse.claims import context, eventpairs
from newsfuse.fuse.claims import encoder as claimencoder
from newsfuse.fuse.claims.meaning import units
from newsfuse.fuse.claims.statements import Statement, sentence_around, statements
from newsfuse.fuse.claims.vectors import SentenceKey, sentence_text, text_hash
from newsfuse.models import Analysis, Article, Span

if TYPE_CHECKING:
    from newsfuse.store import Store

_COMPARED_KINDS = frozenset({"event", "quote", "amount"})  # what the meaning pass compares


@dataclasses.dataclass(frozen=True, slots=True)
class Encoded:
    """Vectors of one batch of articles' claim sentences, ready for the store
    (:meth:`newsfuse.store.Store.put_sentence_vectors`): (article ID, start, end, float32 bytes)
    rows and the hash of each row's text."""

    rows: list[tuple[str, int, int, bytes]]
    hashes: list[str]
    sentences: int  # sentences named
    distinct: int  # distinct texts encoded (wire copies and repeated clauses are encoded once)
    encoder: str = claimencoder.MODEL_NAME  # the encoder's name the vectors are kept under
    # events' trigger context vectors (Store.put_trigger_vectors rows), with the trigger-context
    # coreference in use (fuse/claims/context.py), and the name they are kept under
    triggers: list[tuple[str, int, int, int, bytes]] = dataclasses.field(default_factory=list)
    trigger_layer: str = ""

    def put(self, store: Store) -> None:
        """Keep these vectors in ``store`` (each already kept is left as it is)."""
        store.put_sentence_vectors(self.encoder, self.rows, self.hashes)
        if self.triggers:
            store.put_trigger_vectors(self.trigger_layer, self.triggers)


PARTS = ("events", "runs", "cues")  # what :func:`claim_sentences` can name (see there)


def claim_sentences(
    article: Article, analysis: Analysis, parts: Sequence[str] = PARTS,
    events: list[Statement] | None = None,
) -> dict[SentenceKey, str]:
    """The sentences of ``article`` a fuse may compare by meaning, with the text each is encoded from,
    of the ``parts`` asked for:

    * ``events``: the sentence of every event, when learned event coreference is in use (every story
      of two events or more compares them: :mod:`~newsfuse.fuse.claims.eventpairs`);
    * ``runs``: the clause runs of every statement the meaning pass compares (read only when the
      story holds another article whose statements could join these);
    * ``cues``: the clause runs around every quote's cue (read only for a speaker quoted in another
      article too, naming a rare actor in common: :mod:`~newsfuse.fuse.claims.speakers`).

    ``events``, when given, gets the article's event statements whose sentences are named."""
    keys: list[SentenceKey] = []
    cue_at = {q.id: q.cue_start for q in analysis.quotes} if "cues" in parts else {}
    chained = "events" in parts and (eventpairs.event_model() or eventpairs.context_models()) is not None
    out: dict[SentenceKey, str] = {}
    for s in statements(article, analysis, {}, set()):
        if s.kind in _COMPARED_KINDS and "runs" in parts:
            keys += units(s)
        cue = cue_at.get(s.id) if s.kind == "quote" else None
        if cue is not None:
            keys += units(_around_cue(s, cue))
        if chained and s.kind == "event":
            out.update(eventpairs.event_sentences(s))
            if events is not None:
                events.append(s)
    for key in dict.fromkeys(keys):
        text = sentence_text(article.text, key)
        if text:
            out[key] = text
    return out


def _around_cue(s: Statement, cue: int) -> Statement:
    """The quote as the speaker pass compares it: the clause runs around its cue
    (:func:`newsfuse.fuse.claims.speakers._quotes` anchors it the same way)."""
    start, end = sentence_around(s.article.text, s.span.start, s.span.end)
    return dataclasses.replace(s, kind="event", at=int(cue), span=Span(s.article.id, start, end, ""))


def encode_articles(
    pairs: Sequence[tuple[Article, Analysis]], parts: Sequence[str] = PARTS
) -> Encoded:
    """The claim sentences (of ``parts``: :func:`claim_sentences`) of every article in ``pairs``
    encoded in one batch (each distinct text once); with the trigger-context coreference in use,
    the event sentences by one pass that gives their triggers' vectors too
    (:func:`~newsfuse.fuse.claims.context.encode_ahead`)."""
    named: dict[SentenceKey, str] = {}
    events: list[Statement] = []
    for article, analysis in pairs:
        named.update(claim_sentences(article, analysis, parts, events))
    in_context = bool(events) and eventpairs.context_models() is not None and not defaults.ENCODER_INT8
    rows_of, found = context.encode_ahead(events) if in_context else ({}, {})
    texts = list(dict.fromkeys(named.values()))
    left = [t for t in texts if t not in rows_of]
    rows_of.update(zip(left, claimencoder.encode(left), strict=True))
    rows, hashes = [], []
    for key, text in named.items():
        rows.append((*key, np.asarray(rows_of[text], dtype=np.float32).tobytes()))
        hashes.append(text_hash(text))
    triggers = context.stored_rows(found, {context.key_of(s): s for s in events}) if found else []
    return Encoded(rows, hashes, len(named), len(texts), claimencoder.vector_name(), triggers,
                   context.layer_name() if triggers else "")


def store_ahead(store: Store, pairs: Sequence[tuple[Article, Analysis]]) -> Encoded | None:
    """What the analysis stage keeps for the fuse: with the trigger-context coreference in use, the
    articles' event sentences and their triggers' vectors (one pass: :func:`encode_articles`), in
    ``store``; None (nothing encoded, nothing loaded) when it is off."""
    if not pairs or eventpairs.context_models() is None:
        return None
    encoded = encode_articles(pairs, ("events",))
    with store.transaction():
        encoded.put(store)
    return encoded


class StageAhead:
    """What the analysis stage encodes for the fuse, in this process, as analyses come back
    (:func:`store_ahead`: with the trigger-context coreference in use, each
    event sentence's vector and its triggers', by one encoder pass), ``defaults.ANALYZE_AHEAD_ARTICLES``
    articles a batch: the fuse then reads them instead of running the encoder inside a story's fuse.
    Off (nothing kept, nothing loaded) when that coreference is. The orchestrator
    (:mod:`newsfuse.pipeline`) hands it to ``analyze_stage``: analysis never imports fusion."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.on = defaults.ANALYZE_AHEAD_ARTICLES > 0 and eventpairs.context_models() is not None
        self.reading_now: dict[str, Article] = {}  # articles handed to the workers, by ID
        self.ready: list[tuple[Article, Analysis]] = []

    def reading(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            if self.on:
                self.reading_now[article.id] = article
            yield article

    def done(self, result: Analysis | str) -> None:
        if not self.on or not isinstance(result, Analysis):
            return  # a failed article's entry stays until the stage ends (a few, at most)
        article = self.reading_now.pop(result.article_id, None)
        if article is not None:
            self.ready.append((article, result))
        if len(self.ready) >= defaults.ANALYZE_AHEAD_ARTICLES:
            self.flush()

    def flush(self) -> None:
        if self.ready:
            store_ahead(self.store, self.ready)
            self.ready = []
