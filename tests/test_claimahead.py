"""Claim sentences encoded ahead (fuse/claims/ahead.py) and the watch's analysis work that does it
(watch/analysing.py): a fuse of a story whose articles were encoded ahead runs no encoder."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from livesite import story_text

from newsfuse.context import RunContext
from newsfuse.fuse.claims import ahead, vectors
from newsfuse.fuse.claims import encoder as claimencoder
from newsfuse.pipeline import run
from newsfuse.store import Store, queries


def _reports(store: Store, folder: Path) -> list[str]:
    """Two reports of made-up stories (each a story of its own)."""
    for n in (3, 5):
        title, paras = story_text(n)
        (folder / f"r{n}.txt").write_text(title + "\n\n" + "\n\n".join(paras), encoding="utf-8")
    return list(run(store, RunContext(paths=[folder]), stages=["ingest"]).stored)


def _seeds(store: Store, seeds: Path) -> list[str]:
    """The two seed reports: two outlets' reports of one story, in other words."""
    return list(run(store, RunContext(paths=[seeds]), stages=["ingest"]).stored)


def _encoder_calls(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The texts claim sentences ask the encoder for, call by call (entity names, which entity
    resolution encodes, are not counted)."""
    calls: list[list[str]] = []
    original = claimencoder.encode

    def encode(texts: Any) -> Any:
        if sys._getframe(1).f_globals["__name__"] in (vectors.__name__, ahead.__name__):
            calls.append(list(texts))
        return original(texts)

    monkeypatch.setattr(vectors.claimencoder, "encode", encode)
    monkeypatch.setattr(vectors, "_MEMORY", type(vectors._MEMORY)())  # nothing kept before
    monkeypatch.setattr(vectors, "_BY_TEXT", type(vectors._BY_TEXT)())
    return calls


def test_claim_sentences_are_clause_runs_of_the_articles_statements(store: Store, tmp_path: Path) -> None:
    from newsfuse.analyze.pipeline import iter_analyses

    ids = _reports(store, tmp_path)
    article = queries.list_articles(store, ids[:1])[0]
    analysis = next(a for a in iter_analyses([article]) if not isinstance(a, str))
    named = ahead.claim_sentences(article, analysis)
    assert named, "a report with events, a quote and amounts has sentences to compare"
    for (aid, start, end), text in named.items():
        assert aid == article.id and 0 <= start < end <= len(article.text)
        assert text == " ".join(article.text[start:end].split()).strip(" ,;:") and text
    quote = '"We will not take chances with public safety,"'
    assert any("public safety" in t for t in named.values()), f"the quote {quote} is compared"


def test_a_story_encoded_ahead_is_fused_without_the_encoder(
    store: Store, seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsfuse.watch.fuser import FusionWork
    from newsfuse.watch.fusing import analyse_batch

    calls = _encoder_calls(monkeypatch)
    ids = _seeds(store, seeds)
    result = analyse_batch(store, ids, encode=True)  # no pool: analysed and encoded on this thread
    assert result["event"] == "analysed" and result["sentences"] > 0
    assert len(calls) == 1, "the batch's sentences are encoded in one call"
    encoded = len(calls[0])
    kept = queries.sentence_vectors(store, ids, claimencoder.MODEL_NAME)
    assert {k[0] for k in kept} == set(ids) and len(kept) == result["sentences"] >= encoded
    monkeypatch.setattr(vectors, "_MEMORY", type(vectors._MEMORY)())  # the fuse reads the store
    monkeypatch.setattr(vectors, "_BY_TEXT", type(vectors._BY_TEXT)())
    work = FusionWork(store)
    placed, _ = work.place(ids, [])
    pair = next(p for p in placed if p.size == 2)
    work.fuse(pair.story_id, pair.queued)
    assert queries.story_claims(store, pair.story_id)
    assert len(calls) == 1, f"the fuse encoded {calls[1:]}"  # it found every vector it needed kept


def test_without_encoding_ahead_the_fuse_encodes_what_it_compares(
    store: Store, seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The peer of the test above: the same story, nothing encoded ahead, so the fuse does encode
    (else the test above would pass whatever was kept)."""
    from newsfuse.watch.fuser import FusionWork
    from newsfuse.watch.fusing import analyse_batch

    calls = _encoder_calls(monkeypatch)
    ids = _seeds(store, seeds)
    assert analyse_batch(store, ids)["sentences"] == 0 and not calls
    work = FusionWork(store)
    placed, _ = work.place(ids, [])
    pair = next(p for p in placed if p.size == 2)
    work.fuse(pair.story_id, pair.queued)
    assert calls and all(len(c) > 0 for c in calls)


def test_sentences_encoded_ahead_come_in_parts(store: Store, seeds: Path) -> None:
    """What the watch encodes ahead (defaults.WATCH_AHEAD_PARTS) is named by part: the clause runs
    of statements, those around quote cues; together they are every sentence named."""
    from newsfuse.analyze.pipeline import iter_analyses

    ids = _seeds(store, seeds)
    article = queries.list_articles(store, ids[:1])[0]
    analysis = next(a for a in iter_analyses([article]) if not isinstance(a, str))
    every = ahead.claim_sentences(article, analysis)
    runs = ahead.claim_sentences(article, analysis, ["runs"])
    cues = ahead.claim_sentences(article, analysis, ["cues"])
    assert runs and cues and not ahead.claim_sentences(article, analysis, [])
    assert {**runs, **cues, **ahead.claim_sentences(article, analysis, ["events"])} == every
    assert set(cues) - set(runs), "a cue's clause runs are not all clause runs of statements"
    assert len(ahead.encode_articles([(article, analysis)], ["runs"]).rows) == len(runs)


def test_event_chains_read_the_event_sentences_encoded_ahead(
    store: Store, seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With learned event coreference on, every event's sentence is encoded ahead and the chains'
    pair features read it from the store; its vector is the one of the sentence as written."""
    import numpy as np

    from newsfuse.analyze.pipeline import iter_analyses
    from newsfuse.fuse.claims import eventpairs
    from newsfuse.fuse.claims.statements import statements

    monkeypatch.setattr(eventpairs, "event_model", lambda: object())  # as when its weights beat the rules
    calls = _encoder_calls(monkeypatch)
    ids = _seeds(store, seeds)
    articles = queries.list_articles(store, ids)
    pairs = [(a, x) for a, x in zip(articles, iter_analyses(articles), strict=True) if not isinstance(x, str)]
    encoded = ahead.encode_articles(pairs, ["events"])
    store.put_sentence_vectors(encoded.encoder, encoded.rows, encoded.hashes)
    events = [s for a, x in pairs for s in statements(a, x, {}, set()) if s.kind == "event"]
    assert len(events) >= 2 and encoded.sentences == len({eventpairs.sentence_key(s) for s in events})
    monkeypatch.setattr(vectors, "_MEMORY", type(vectors._MEMORY)())  # a fuse in another process
    monkeypatch.setattr(vectors, "_BY_TEXT", type(vectors._BY_TEXT)())
    asked = len(calls)
    got = eventpairs.sentence_vectors(events, vectors.SentenceVectors(store))
    assert len(calls) == asked, "every event sentence was read, none encoded"
    written = claimencoder.encode([eventpairs.sentence_of(s) for s in events[:6]])
    assert np.allclose((got[:6] * written).sum(axis=1), 1.0, atol=1e-3)


def test_with_context_coreference_the_fuse_reads_the_trigger_vectors_the_analysis_kept(
    store: Store, seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """COREF_CONTEXT on: the analyze stage keeps the event sentences' and triggers' vectors
    (store_ahead), so the story's fuse runs neither the cut model nor the encoder on event sentences;
    keeping them again adds nothing."""
    from newsfuse import defaults
    from newsfuse.fuse.claims import context, eventpairs
    from newsfuse.fuse.claims.statements import statements

    monkeypatch.setattr(defaults, "COREF_CONTEXT", True)
    monkeypatch.setattr(context, "_KEPT", type(context._KEPT)())
    monkeypatch.setattr(context, "_encode", lambda named: pytest.fail("the fuse encoded trigger vectors"))
    calls = _encoder_calls(monkeypatch)
    ids = _seeds(store, seeds)
    run(store, RunContext(stored=ids), stages=["analyze"])
    articles = queries.list_articles(store, ids)
    pairs = [(a, queries.get_analysis(store, a.id)) for a in articles]
    events = [s for a, x in pairs for s in statements(a, x, {}, set()) if s.kind == "event"]
    kept = store.fetchall("SELECT COUNT(*) AS n FROM trigger_vectors")[0]["n"]
    assert kept > 0
    asked = len(calls)
    run(store, RunContext(stored=ids), stages=["fuse"])
    assert any(queries.story_claims(store, s.id) for s in queries.list_stories(store))
    runs = {t for a, x in pairs for t in ahead.claim_sentences(a, x, ["runs", "cues"]).values()}
    event_texts = {t for s in events for t in eventpairs.event_sentences(s).values()} - runs
    assert event_texts and not event_texts & {t for c in calls[asked:] for t in c}, "encoded in the fuse"
    encoded = ahead.store_ahead(store, pairs)  # the same articles again (re-ingested): nothing added
    assert encoded is not None and encoded.triggers
    assert store.fetchall("SELECT COUNT(*) AS n FROM trigger_vectors")[0]["n"] == kept


def test_with_context_coreference_the_watchs_analysis_encodes_event_sentences_anyway(
    store: Store, seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not asked to encode ahead, the watch's analysis still keeps the event sentences' and triggers'
    vectors with COREF_CONTEXT on (every refresh reads them); the clause runs stay the fuse's."""
    from newsfuse import defaults
    from newsfuse.watch.fusing import analyse_batch

    monkeypatch.setattr(defaults, "COREF_CONTEXT", True)
    ids = _seeds(store, seeds)
    result = analyse_batch(store, ids)  # encode False: the watch's default
    assert result["event"] == "analysed" and result["sentences"] > 0
    assert store.fetchall("SELECT COUNT(*) AS n FROM trigger_vectors")[0]["n"] > 0
    articles = queries.list_articles(store, ids)
    runs = {k for a in articles
            for k in ahead.claim_sentences(a, queries.get_analysis(store, a.id), ["runs"])}
    kept = set(queries.sentence_vectors(store, ids, claimencoder.MODEL_NAME))
    assert kept and runs - kept, "clause runs are not encoded ahead"
