"""Learned event coreference inside one story: a pairwise scorer over two event statements and
average-link clustering of its probabilities (:func:`learned_chains`), used by
:func:`~newsfuse.fuse.claims.chains.event_chains` in place of its word rule when weights are present.

The features compare the trigger (same lemma, same word set, same type, spelling, word vectors), the
sentence around it (cosine of all-MiniLM-L6-v2 vectors), the participants
(the entity clusters of source and target: the same, or both known and different), the dates and
whether both come from one article. The weights (``data/coref/events.json``) are a logistic regression
trained by ``bench/train_coref.py`` on ECB+ train only, its clustering threshold chosen by
cross-validation over train topics.

An event's sentence vector is the one the claim path keeps for that sentence
(:class:`~newsfuse.fuse.claims.vectors.SentenceVectors`, named by article and span): a watch encodes
it ahead with the article's other claim sentences (:mod:`~newsfuse.fuse.claims.ahead`), so a story's
fuse reads it from the store instead of encoding every event sentence of the story again. The text
is the one the claim path encodes (whitespace collapsed): the encoder's tokens, so its vector, are
those of the sentence as written.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from newsfuse import defaults
from newsfuse.errors import AnalysisError
from newsfuse.fuse.claims import context

# an event's sentence and its key live beside the trigger vectors (context.py); named here too
from newsfuse.fuse.claims.context import event_sentences as event_sentences
from newsfuse.fuse.claims.context import sentence_key as sentence_key
from newsfuse.fuse.claims.context import sentence_of as sentence_of
from newsfuse.fuse.claims.statements import Statement
from newsfuse.fuse.claims.vectors import SentenceVectors
from newsfuse.fuse.claims.words import trigger_forms
from newsfuse.fuse.entities.pairmodel import (
    PairModel,
    average_link,
    cached_model,
    encode_cached,
    equal_pairs,
    weights_path,
)

EVENT_FEATURES = (
    "same_lemma", "same_forms", "same_type", "trigger_fuzzy", "trigger_cosine", "sentence_cosine",
    "lemma_and_sentence", "same_article", "same_source", "other_source", "same_target", "other_target",
    "same_date", "other_date",
)


# the trigger in its sentence (fuse/claims/context.py): the split and merge scorers' features
CONTEXT_FEATURES = (*EVENT_FEATURES, "same_sentence", "context_head", "context_mention")


def event_model() -> PairModel | None:
    path = weights_path("events.json")
    return cached_model(path, EVENT_FEATURES) if path is not None else None


def context_models() -> tuple[PairModel, PairModel] | None:
    """(split, merge) scorers of the rule's event chains (``data/coref/events_context.json``), or None
    when ``defaults.COREF_CONTEXT`` is off or no weights are present."""
    path = weights_path("events_context.json") if defaults.COREF_CONTEXT else None
    return _context_models(path) if path is not None and path.is_file() else None


@functools.lru_cache(maxsize=4)
def _context_models(path: Path) -> tuple[PairModel, PairModel]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if int(data["layer"]) != defaults.COREF_CONTEXT_LAYER:
            raise ValueError(f"trained on layer {data['layer']}, COREF_CONTEXT_LAYER is "
                             f"{defaults.COREF_CONTEXT_LAYER}")
        split, merge = (_model_of(data[k]) for k in ("split", "merge"))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AnalysisError(f"{path}: unreadable context weights ({exc}); rerun "
                            "`python bench/coref_context.py ../shared/bench --write`") from exc
    return split, merge


def _model_of(data: dict[str, Any]) -> PairModel:
    """One scorer of a context weights file (the layout of :meth:`PairModel.to_json`)."""
    model = PairModel(tuple(data["features"]), np.asarray(data["coef"], dtype=np.float64),
                      float(data["intercept"]), np.asarray(data["mean"], dtype=np.float64),
                      np.asarray(data["scale"], dtype=np.float64), float(data["threshold"]))
    if model.features != CONTEXT_FEATURES:
        raise ValueError(f"weights for features {list(model.features)}, the code computes "
                         f"{list(CONTEXT_FEATURES)}")
    return model


def context_features(
    events: Sequence[Statement], vectors: SentenceVectors | None = None
) -> Iterator[tuple[str, np.ndarray]]:
    """:func:`event_features`, whether two events stand in one sentence, and the cosines of their
    triggers' context vectors (head word, whole trigger), in CONTEXT_FEATURES order."""
    yield from event_features(events, vectors)
    yield "same_sentence", equal_pairs([repr((s.article.id, s.span.start)) for s in events])
    head, whole = context.trigger_vectors(events, vectors.store if vectors is not None else None)
    yield "context_head", head @ head.T
    yield "context_mention", whole @ whole.T


def learned_chains(
    events: Sequence[Statement], model: PairModel, vectors: SentenceVectors | None = None
) -> list[list[int]] | None:
    """Chains of ``events`` (lists of their indexes) by the model, or None when the story is too big
    to compare pairwise (``defaults.COREF_MAX_GROUPS``); sentence vectors from ``vectors``."""
    if len(events) > defaults.COREF_MAX_GROUPS:
        return None
    if len(events) < 2:
        return [[k] for k in range(len(events))]
    prob = model.probabilities(event_features(events, vectors))
    return average_link(prob, [[k] for k in range(len(events))], model.threshold)


def sentence_vectors(events: Sequence[Statement], vectors: SentenceVectors | None = None) -> np.ndarray:
    """Unit vectors of the events' sentences (rows in order), kept by ``vectors`` (by this process's
    memory if None): each sentence is encoded once, wherever it was first asked for."""
    named = [next(iter(event_sentences(s).items())) for s in events]
    return (vectors or SentenceVectors()).of([k for k, _ in named], [t for _, t in named])


def _shared_forms(forms: Sequence[frozenset[str]]) -> np.ndarray:
    """1.0 where two events' triggers share a word form (0 on the diagonal): one product of the
    events-by-forms matrix, not a set intersection per pair (a 50-article story has ~300 events)."""
    column: dict[str, int] = {}
    cells = [(i, column.setdefault(f, len(column))) for i, fs in enumerate(forms) for f in fs]
    member = np.zeros((len(forms), len(column)))
    if cells:
        rows, cols = zip(*cells, strict=True)
        member[list(rows), list(cols)] = 1.0
    out = np.asarray((member @ member.T) > 0, dtype=np.float64)
    np.fill_diagonal(out, 0.0)
    return out


def _spelled(triggers: Sequence[str]) -> np.ndarray:
    """``fuzz.ratio`` of every two triggers / 100 (0 on the diagonal), by rapidfuzz's C loop."""
    out = np.asarray(process.cdist(triggers, triggers, scorer=fuzz.ratio, dtype=np.float64)) / 100.0
    np.fill_diagonal(out, 0.0)
    return out


def event_features(
    events: Sequence[Statement], vectors: SentenceVectors | None = None
) -> Iterator[tuple[str, np.ndarray]]:
    """Pair features of ``events``, as ``(name, n x n matrix)`` in EVENT_FEATURES order (sentence
    vectors from ``vectors``: :func:`sentence_vectors`)."""
    lemma = equal_pairs([s.trigger.casefold() for s in events])
    yield "same_lemma", lemma
    yield "same_forms", _shared_forms([trigger_forms(s.trigger) for s in events])
    yield "same_type", equal_pairs([s.type for s in events])
    yield "trigger_fuzzy", _spelled([s.trigger for s in events])
    # triggers kept in the store beside the sentences (migration 28): encoded once per store
    words = encode_cached([s.trigger.casefold() or "_" for s in events], vectors.store if vectors else None)
    yield "trigger_cosine", words @ words.T
    sentences = sentence_vectors(events, vectors)
    cosine = sentences @ sentences.T
    yield "sentence_cosine", cosine
    yield "lemma_and_sentence", lemma * cosine
    yield "same_article", equal_pairs([s.article.id for s in events])
    for slot in ("source", "target"):
        values = [s.entity if slot == "source" else s.target for s in events]
        same = equal_pairs([v or "" for v in values])
        known = np.asarray([bool(v) for v in values], dtype=np.float64)
        yield f"same_{slot}", same
        yield f"other_{slot}", np.outer(known, known) * (1.0 - same)
    dates = [s.date_start or "" for s in events]
    same_date = equal_pairs(dates)
    dated = np.asarray([bool(d) for d in dates], dtype=np.float64)
    yield "same_date", same_date
    yield "other_date", np.outer(dated, dated) * (1.0 - same_date)
