"""Coreference text vectors (newsfuse/fuse/entities/pairmodel.py ``encode_cached``): encoded once per
process and, with a store, once per store (migration 28), read back bit for bit after a restart or
past the process's bound."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from newsfuse import defaults
from newsfuse.fuse.claims import encoder
from newsfuse.fuse.claims.vectors import same_encoder, text_hash
from newsfuse.fuse.entities import pairmodel
from newsfuse.store import Store, queries

# texts of this module only: the process keeps vectors by text, shared by every test module in it
NAMES = ["Harbour Commissioner Ilse Vandermeer", "the harbour commissioner", "Vandermeer"]


class Counting:
    """The encoder, counting the texts it is asked for."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.real = encoder.encode

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.texts += list(texts)
        return self.real(texts)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counting:
    counting = Counting()
    monkeypatch.setattr(encoder, "encode", counting)
    pairmodel._VECTORS.clear()  # what an earlier test module kept here would hide the encoder's work
    return counting


@pytest.mark.slow
def test_texts_are_kept_in_the_store_and_read_back_bit_for_bit(tmp_path: Path, counted: Counting) -> None:
    with Store(str(tmp_path / "c.db")) as store:
        first = pairmodel.encode_cached([*NAMES, NAMES[0]], store)
        assert sorted(counted.texts) == sorted(NAMES)  # each distinct text once
        kept = queries.coref_vectors(store, [text_hash(t) for t in NAMES], same_encoder())
        assert len(kept) == len(NAMES)
        pairmodel._VECTORS.clear()  # a new process: only the store remembers
        again = pairmodel.encode_cached(NAMES, store)
        assert len(counted.texts) == len(NAMES), "nothing is encoded again"
        assert np.array_equal(again, first[: len(NAMES)])
        assert np.allclose(np.linalg.norm(again, axis=1), 1.0, atol=1e-4)


@pytest.mark.slow
def test_a_text_past_the_process_bound_is_read_from_the_store(
    tmp_path: Path, counted: Counting, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(defaults, "COREF_VECTOR_CACHE", 1)
    with Store(str(tmp_path / "c.db")) as store:
        old = pairmodel.encode_cached(NAMES[:1], store)
        pairmodel.encode_cached(NAMES[1:], store)  # pushes the first out of this process
        assert NAMES[0] not in pairmodel._VECTORS
        assert np.array_equal(pairmodel.encode_cached(NAMES[:1], store), old)
        assert counted.texts.count(NAMES[0]) == 1


@pytest.mark.slow
def test_without_a_store_each_process_encodes_again(counted: Counting) -> None:
    first = pairmodel.encode_cached(NAMES[:2])
    pairmodel._VECTORS.clear()
    assert np.allclose(pairmodel.encode_cached(NAMES[:2]), first, atol=1e-5)
    assert len(counted.texts) == 4


@pytest.mark.slow
def test_another_encoders_vector_of_a_text_is_never_read(tmp_path: Path, counted: Counting) -> None:
    text = NAMES[2]
    with Store(str(tmp_path / "c.db")) as store:
        wrong = np.full(encoder.DIMENSIONS, 0.05, dtype=np.float32)
        store.put_coref_vectors("another-encoder", [(text_hash(text), wrong.tobytes())])
        got = pairmodel.encode_cached([text], store)[0]
        assert counted.texts == [text] and not np.array_equal(got, wrong)


def test_a_kept_vector_is_left_as_it_is(tmp_path: Path) -> None:
    """One text, one vector: a second write of the same text (a concurrent fuse) changes nothing."""
    with Store(str(tmp_path / "c.db")) as store:
        first, second = (np.full(4, v, dtype=np.float32) for v in (0.5, 0.25))
        store.put_coref_vectors("m", [("h1", first.tobytes())])
        store.put_coref_vectors("m", [("h1", second.tobytes()), ("h2", second.tobytes())])
        kept = queries.coref_vectors(store, ["h1", "h2", "h3"], "m")
        assert np.array_equal(np.frombuffer(kept["h1"], dtype=np.float32), first)
        assert set(kept) == {"h1", "h2"}


def test_the_kept_texts_can_be_held_below_their_entry_bound() -> None:
    texts = [f"Ferry pilot number {n} of the Orsk strait" for n in range(5)]
    try:
        for t in texts:
            pairmodel._VECTORS[t] = np.zeros(384, dtype=np.float32)
        pairmodel.keep_at_most(2)
        assert [t for t in texts if t in pairmodel._VECTORS] == texts[-2:]
        pairmodel.keep_at_most(None)
        pairmodel._VECTORS[texts[0]] = np.zeros(384, dtype=np.float32)
        pairmodel._trim()
        assert texts[0] in pairmodel._VECTORS and texts[-1] in pairmodel._VECTORS
    finally:
        pairmodel.keep_at_most(None)
        for t in texts:
            pairmodel._VECTORS.pop(t, None)
