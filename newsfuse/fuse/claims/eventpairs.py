"""Learned event coreference inside one story: a pairwise scorer over two event statements and
average-link clustering of its probabilities (:func:`learned_chains`), used by
:func:`~newsfuse.fuse.claims.chains.event_chains` in place of its word rule when weights are present.

The features compare the trigger (same lemma, same word set, same type, spelling, word vectors), the
sentence around it (cosine of all-MiniLM-L6-v2 vectors, each sentence encoded once), the participants
(the entity clusters of source and target: the same, or both known and different), the dates and
whether both come from one article. The weights (``data/coref/events.json``) are a logistic regression
trained by ``bench/train_coref.py`` on ECB+ train only, its clustering threshold chosen by
cross-validation over train topics.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from rapidfuzz import fuzz

from newsfuse import defaults
from newsfuse.fuse.claims.statements import Statement
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


def event_model() -> PairModel | None:
    path = weights_path("events.json")
    return cached_model(path, EVENT_FEATURES) if path is not None else None


def learned_chains(events: Sequence[Statement], model: PairModel) -> list[list[int]] | None:
    """Chains of ``events`` (lists of their indexes) by the model, or None when the story is too big
    to compare pairwise (``defaults.COREF_MAX_GROUPS``)."""
    if len(events) > defaults.COREF_MAX_GROUPS:
        return None
    if len(events) < 2:
        return [[k] for k in range(len(events))]
    prob = model.probabilities(event_features(events))
    return average_link(prob, [[k] for k in range(len(events))], model.threshold)


def sentence_of(s: Statement) -> str:
    """The sentence an event is told in (its span), without the label the claim text adds."""
    return s.span.text.strip() or s.text


def event_features(events: Sequence[Statement]) -> Iterator[tuple[str, np.ndarray]]:
    """Pair features of ``events``, as ``(name, n x n matrix)`` in EVENT_FEATURES order."""
    n = len(events)
    lemma = equal_pairs([s.trigger.casefold() for s in events])
    yield "same_lemma", lemma
    forms = [trigger_forms(s.trigger) for s in events]
    same_forms, spelled = np.zeros((n, n)), np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            same_forms[i, j] = same_forms[j, i] = float(bool(forms[i] & forms[j]))
            spelled[i, j] = spelled[j, i] = fuzz.ratio(events[i].trigger, events[j].trigger) / 100.0
    yield "same_forms", same_forms
    yield "same_type", equal_pairs([s.type for s in events])
    yield "trigger_fuzzy", spelled
    words = encode_cached([s.trigger.casefold() or "_" for s in events])
    yield "trigger_cosine", words @ words.T
    sentences = encode_cached([sentence_of(s) for s in events])
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
