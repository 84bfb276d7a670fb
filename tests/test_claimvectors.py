"""Claim sentence vectors (newsfuse/fuse/claims/vectors.py): encoded once, kept in the store
(migration 10), read back instead of encoded again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from newsfuse.fuse.claims import vectors
from newsfuse.store import Store, queries


@pytest.mark.slow
def test_vectors_are_encoded_once_and_read_back_from_the_store(tmp_path: Path) -> None:
    texts = ["The council approved the flood budget.", "The river rose two metres overnight."]
    keys = [("a1", 0, len(texts[0])), ("a1", 40, 40 + len(texts[1]))]
    with Store(str(tmp_path / "v.db")) as store:
        first = vectors.SentenceVectors(store)
        got = first.of(keys, texts)
        assert first.encoded == 2 and got.shape == (2, 384)
        assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)
        assert set(queries.sentence_vectors(store, ["a1"], "all-MiniLM-L6-v2")) == set(keys)
        vectors._MEMORY.clear()
        vectors._BY_TEXT.clear()  # a new process: only the store remembers
        again = vectors.SentenceVectors(store)
        assert np.array_equal(again.of(keys, texts), got)
        assert again.encoded == 0


@pytest.mark.slow
def test_a_copied_sentence_is_encoded_once() -> None:
    text = "Officials said 1,800 residents were evacuated."
    source = vectors.SentenceVectors()
    out = source.of([("x1", 0, len(text)), ("x2", 0, len(text))], [text, text])
    assert source.encoded <= 1
    assert np.array_equal(out[0], out[1])


@pytest.mark.slow
def test_a_copy_in_another_article_is_found_by_its_text_not_encoded(tmp_path: Path) -> None:
    text = "The council approved the flood budget on Monday."
    with Store(str(tmp_path / "v.db")) as store:
        first = vectors.SentenceVectors(store)
        kept = first.of([("a1", 0, len(text))], [text])
        vectors._MEMORY.clear()
        vectors._BY_TEXT.clear()  # a new process: only the store remembers
        copy = vectors.SentenceVectors(store)
        got = copy.of([("a2", 10, 10 + len(text))], [text])
        assert copy.encoded == 0 and copy.by_text == 1
        assert np.array_equal(got, kept)
        # kept under the copy's own key too, so the next fuse reads it by article
        assert ("a2", 10, 10 + len(text)) in queries.sentence_vectors(store, ["a2"], "all-MiniLM-L6-v2")


@pytest.mark.slow
def test_vectors_of_another_encoder_are_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The int8 encoder (defaults.ENCODER_INT8) keeps its vectors under a name of its own: a store
    (or this process) holding the float encoder's vectors of a sentence hands them to no other."""
    from newsfuse import defaults
    from newsfuse.fuse.claims import encoder

    text = "The council approved the flood budget after a long night of debate."
    key = ("a1", 0, len(text))
    with Store(str(tmp_path / "v.db")) as store:
        full = vectors.SentenceVectors(store).of([key], [text])[0]
        monkeypatch.setattr(defaults, "ENCODER_INT8", True)
        assert encoder.vector_name() != encoder.MODEL_NAME
        cheap = vectors.SentenceVectors(store)
        got = cheap.of([key], [text])[0]
        assert cheap.encoded == 1, "the float vector kept in memory and in the store is not the int8 one"
        assert not np.array_equal(got, full) and float(got @ full) > 0.9  # close, not equal
        kept = queries.sentence_vectors(store, ["a1"], encoder.vector_name())
        assert np.array_equal(np.frombuffer(kept[key], dtype=np.float32), got)
        monkeypatch.setattr(defaults, "ENCODER_INT8", False)
        assert np.array_equal(vectors.SentenceVectors(store).of([key], [text])[0], full)


def test_memory_is_bounded_in_bytes_and_keeps_the_most_recent(monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept vectors are bounded by bytes, not a count: the bound holds as many entries as fit, the
    least recently asked dropped first, and a fuse asking for more still gets every row."""
    from newsfuse import defaults

    monkeypatch.setattr(vectors, "_MEMORY", type(vectors._MEMORY)())
    monkeypatch.setattr(vectors, "_BY_TEXT", type(vectors._BY_TEXT)())
    one = np.zeros(384, dtype=np.float32)
    monkeypatch.setattr(defaults, "CLAIM_VECTORS_KEPT_BYTES", 3 * (one.nbytes + 400))
    assert vectors.kept_entries(one.nbytes) == 3
    texts = [f"Sentence number {n} of the story." for n in range(5)]
    rows = [np.eye(384, dtype=np.float32)[n] for n in range(5)]
    for text, row in zip(texts, rows, strict=True):
        vectors._BY_TEXT[text] = row  # kept by text: nothing is encoded
    keys = [("a1", 10 * n, 10 * n + 9) for n in range(5)]
    got = vectors.SentenceVectors().of(keys, texts)
    assert np.array_equal(got, np.stack(rows))  # every row, though only 3 stay kept
    assert list(vectors._MEMORY) == keys[2:]
    assert len(vectors._BY_TEXT) == 3
    monkeypatch.setattr(defaults, "CLAIM_VECTORS_KEPT_BYTES", 64 * 2**20)
    assert vectors.kept_entries(one.nbytes) > 31_000  # a 500-article story's clause runs fit


def test_the_kept_vectors_can_be_held_below_their_byte_bound() -> None:
    keys = [(f"a_vec_most{n}", 0, 12) for n in range(6)]
    try:
        for key in keys:
            vectors._remember(key, np.zeros(384, dtype=np.float32))
        vectors.keep_at_most(2)
        assert [k for k in keys if k in vectors._MEMORY] == keys[-2:]
        vectors.keep_at_most(None)  # the byte bound alone again
        vectors._remember(keys[0], np.zeros(384, dtype=np.float32))
        assert keys[0] in vectors._MEMORY and keys[-1] in vectors._MEMORY
    finally:
        vectors.keep_at_most(None)
        for key in keys:
            vectors._MEMORY.pop(key, None)


def test_rows_follow_the_keys_asked_and_the_memory_their_last_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept and new rows in the order asked (a key asked twice gets its row twice), each kept key moved
    to the end of the memory at its last ask, as a dict of them and np.stack gave."""
    monkeypatch.setattr(vectors, "_MEMORY", type(vectors._MEMORY)())
    monkeypatch.setattr(vectors, "_BY_TEXT", type(vectors._BY_TEXT)())
    texts = [f"Row {n} of the order test." for n in range(4)]
    rows = [np.eye(384, dtype=np.float32)[n + 7] for n in range(4)]
    keys = [("order-test", 30 * n, 30 * n + 20) for n in range(4)]
    vectors._MEMORY[keys[2]] = rows[2]  # kept by key
    vectors._MEMORY[keys[0]] = rows[0]
    for n in (1, 3):
        vectors._BY_TEXT[texts[n]] = rows[n]  # found by text
    asked = [keys[3], keys[0], keys[2], keys[0], keys[1]]
    got = vectors.SentenceVectors().of(asked, [texts[k[1] // 30] for k in asked])
    assert np.array_equal(got, np.stack([rows[k[1] // 30] for k in asked]))
    assert got.dtype == np.float32 and got.flags.c_contiguous
    assert list(vectors._MEMORY) == [keys[3], keys[2], keys[0], keys[1]]


def test_an_articles_kept_vectors_are_read_by_article_and_model_on_each_backend(any_store: Store) -> None:
    """The read by article (its model compared as text, so SQLite searches by the primary key, not the
    text-hash index) gives that article's vectors of that model only, on SQLite and PostgreSQL."""
    row = np.arange(4, dtype=np.float32).tobytes()
    rows = [("kv-1", 0, 9, row), ("kv-1", 10, 19, row), ("kv-2", 0, 9, row)]
    any_store.put_sentence_vectors("model-a", rows, ["h1", "h2", "h3"])
    any_store.put_sentence_vectors("model-b", [("kv-1", 0, 9, row)], ["h1"])
    got = queries.sentence_vectors(any_store, ["kv-1", "kv-1"], "model-a")
    assert sorted(got) == [("kv-1", 0, 9), ("kv-1", 10, 19)] and got[("kv-1", 0, 9)] == row
    assert list(queries.sentence_vectors(any_store, ["kv-1"], "model-b")) == [("kv-1", 0, 9)]
    assert queries.sentence_vectors(any_store, ["kv-3"], "model-a") == {}
