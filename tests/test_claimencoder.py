"""The sentence encoder's batching: texts of similar length together, the vectors unchanged."""

from __future__ import annotations

import numpy as np
import pytest

from newsfuse import defaults
from newsfuse.fuse.claims import encoder


def test_batches_hold_every_text_once_longest_first_within_the_token_budget(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "ENCODER_BATCH_TOKENS", 40)
    monkeypatch.setattr(defaults, "ENCODER_BATCH_SIZE", 3)
    lengths = [5, 30, 12, 12, 50, 7, 6, 5, 5]
    batches = encoder._batches(lengths)
    assert sorted(k for rows in batches for k in rows) == list(range(len(lengths)))
    flat = [lengths[k] for rows in batches for k in rows]
    assert flat == sorted(lengths, reverse=True)
    for rows in batches:
        assert len(rows) <= 3
        assert len(rows) == 1 or max(lengths[k] for k in rows) * len(rows) <= 40
    assert batches[0] == [4]  # longer than the budget: a batch of its own


def test_vectors_are_those_of_one_batch_per_text_in_the_callers_order() -> None:
    texts = ["Kyiv said the strike hit a depot near the border on Tuesday night",
             "Officials confirmed it",
             "The ministry, citing satellite images, said three launchers had been destroyed overnight",
             "Prices rose",
             "Officials confirmed it"]
    got = encoder.encode(texts)
    model = encoder._model(defaults.ENCODER_INT8)
    alone = np.stack([model.encode([t], normalize_embeddings=True, show_progress_bar=False)[0]
                      for t in texts])
    assert got.shape == (5, encoder.DIMENSIONS) and got.dtype == np.float32
    assert np.abs(got - alone).max() < 1e-5  # padding is masked: only float rounding differs
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    assert encoder.encode([]).shape == (0, encoder.DIMENSIONS)


def test_each_batch_is_bit_for_bit_what_sentence_transformers_gives_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Tokenised once, padded and run by hand: every batch must give exactly the vectors
    # sentence-transformers' own encode gives for the same texts in one batch (its row order,
    # its padding, its second normalisation), so vectors kept in a store before still match.
    monkeypatch.setattr(defaults, "ENCODER_BATCH_TOKENS", 40)  # several batches, mixed lengths in each
    texts = ["The harbour pilots of Vossberg walked out on Monday over night-shift pay",
             "Ferries waited",
             "A union spokeswoman, Ilse Marten, said talks with the port authority had broken down",
             "Cargo ships queued off the breakwater, the coastguard said",
             "Ferries waited",
             "Kühne & Partner said its café boats would sail naïvely on — " + "again and again " * 40]
    got = encoder.encode(texts)
    model = encoder._model(defaults.ENCODER_INT8)
    ids = model.tokenizer(texts, truncation=True, max_length=model.max_seq_length)["input_ids"]
    batches = encoder._batches([len(x) for x in ids])
    assert len(batches) > 1 and any(len(rows) > 1 for rows in batches)
    for rows in batches:
        theirs = model.encode([texts[k] for k in rows], batch_size=len(rows), normalize_embeddings=True,
                              show_progress_bar=False)
        assert np.array_equal(got[rows], theirs)
