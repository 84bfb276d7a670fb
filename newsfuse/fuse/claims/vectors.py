"""Vectors of claim sentences, encoded once per article sentence and kept.

A sentence is named by (article ID, start, end): an article's text never changes under its ID, so
the name fixes the text. Vectors come from the store (migration 10) when one is given, else from
this process's memory; only sentences found in neither are encoded (each distinct text once, in
batches) and then kept in both. A sentence whose text another article already carried (wire copies)
is found by its text's hash (migration 14) and never encoded again. Re-fusing a story after one new
article encodes that article's own new sentences only, and none when it copies kept ones. Memory is
bounded in bytes (``defaults.CLAIM_VECTORS_KEPT_BYTES``), so a big story's clause runs stay kept whole
between its fuses instead of being read back from the store each time.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict, deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from newsfuse import defaults
from newsfuse.fuse.claims import encoder as claimencoder
from newsfuse.store import queries

if TYPE_CHECKING:
    from newsfuse.store import Store

SentenceKey = tuple[str, int, int]  # (article ID, start, end)

# Vectors this process has seen, most recent last (stores, benchmarks and tests without a store), and
# the encoder they came from (claimencoder.vector_name(): another encoder's vectors are forgotten).
_MEMORY: OrderedDict[SentenceKey, np.ndarray] = OrderedDict()
_BY_TEXT: OrderedDict[str, np.ndarray] = OrderedDict()
_ENCODER = [claimencoder.MODEL_NAME]


def same_encoder() -> str:
    """The encoder in use (its vector name); what this process kept from another one is dropped."""
    name = claimencoder.vector_name()
    if name != _ENCODER[0]:
        _MEMORY.clear()
        _BY_TEXT.clear()
        _ENCODER[0] = name
    return name


class SentenceVectors:
    """Unit vectors of claim sentences (rows of :meth:`of` follow the keys given)."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store
        self.encoded = 0  # sentences this object had to encode (the rest were kept)
        self.by_text = 0  # sentences found kept under another article's copy of their text

    def of(self, keys: Sequence[SentenceKey], texts: Sequence[str]) -> np.ndarray:
        name = same_encoder()
        # A big story asks for ~20,000 kept rows three times a fuse: one lookup each, the recency
        # and the copy into one array done by C loops (what a dict of them and np.stack of a list
        # cost was ~0.1 s a fuse at 500 articles); the rows and the memory's order are the same.
        got = list(map(_MEMORY.get, keys))
        missing = list(dict.fromkeys(k for k, v in zip(keys, got, strict=True) if v is None))
        found = self._missing(missing, keys, texts, name) if missing else {}
        rows = [found[k] if v is None else v for k, v in zip(keys, got, strict=True)] if missing \
            else cast(list[np.ndarray], got)
        _MEMORY.update(zip(keys, rows, strict=True))
        deque(map(_MEMORY.move_to_end, keys), maxlen=0)  # most recently used last, as asked
        _bound(_MEMORY)
        if not keys:
            return np.zeros((0, claimencoder.DIMENSIONS), dtype=np.float32)
        return np.concatenate(rows).reshape(len(rows), -1)

    def _missing(self, missing: list[SentenceKey], keys: Sequence[SentenceKey], texts: Sequence[str],
                 name: str) -> dict[SentenceKey, np.ndarray]:
        """Vectors of keys this process does not keep: from the store, else by text (:meth:`_by_text`)."""
        found: dict[SentenceKey, np.ndarray] = {}
        if self.store is not None:
            kept = queries.sentence_vectors(self.store, [k[0] for k in missing], name)
            found.update({k: np.frombuffer(kept[k], dtype=np.float32) for k in missing if k in kept})
            missing = [k for k in missing if k not in found]
        if missing:
            found.update(self._by_text(missing, dict(zip(keys, texts, strict=True))))
        return found

    def _by_text(
        self, missing: list[SentenceKey], text_of: dict[SentenceKey, str]
    ) -> dict[SentenceKey, np.ndarray]:
        """Vectors of sentences not kept under their own key: a copy of the same text kept by this
        process or in the store (wire copies repeat sentences), else encoded, each distinct text
        once and in batches; then kept under their keys (with their text's hash)."""
        texts = list(dict.fromkeys(text_of[k] for k in missing))
        rows = {t: _BY_TEXT[t] for t in texts if t in _BY_TEXT}
        hashes = {t: text_hash(t) for t in texts}
        if self.store is not None and len(rows) < len(texts):
            kept = queries.text_vectors(self.store, [hashes[t] for t in texts if t not in rows],
                                        claimencoder.vector_name())
            rows.update({t: np.frombuffer(kept[hashes[t]], dtype=np.float32) for t in texts
                         if t not in rows and hashes[t] in kept})
        distinct = [t for t in texts if t not in rows]
        self.by_text += len(texts) - len(distinct)
        # each kept row a copy of its own: a row view would hold the whole call's array alive (and be
        # sized as that array by watch/kept.py) for as long as the row is kept
        rows.update(zip(distinct, (v.copy() for v in claimencoder.encode(distinct)), strict=True))
        for text in texts:
            _BY_TEXT[text] = rows[text]
            _BY_TEXT.move_to_end(text)
        _bound(_BY_TEXT)
        self.encoded += len(distinct)
        out = {k: rows[text_of[k]] for k in missing}
        if self.store is not None:
            self.store.put_sentence_vectors(
                claimencoder.vector_name(), [(*k, out[k].astype(np.float32).tobytes()) for k in missing],
                [hashes[text_of[k]] for k in missing])
        return out


def sentence_text(text: str, key: SentenceKey) -> str:
    """The words of the sentence (or clause run) ``key`` names in an article's ``text``, as the meaning
    and speaker passes encode them: whitespace collapsed, clause punctuation trimmed."""
    return " ".join(text[key[1]:key[2]].split()).strip(" ,;:")


def text_hash(text: str) -> str:
    """The name a sentence's text is kept under (migration 14): equal texts, equal hashes."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _remember(key: SentenceKey, vector: np.ndarray) -> None:
    _MEMORY[key] = vector
    _MEMORY.move_to_end(key)


_ENTRY_OVERHEAD = 400  # bytes an entry holds besides its vector's data: key, array header, dict slot
# Entries each memory may hold at most besides the byte bound (None: the byte bound only): a watch's
# refresh process sets it to what its own budget allows (watch/kept.py, with its scale).
_MOST: list[int | None] = [None]


def keep_at_most(entries: int | None) -> None:
    """Hold each memory to ``entries`` (None: to ``defaults.CLAIM_VECTORS_KEPT_BYTES`` only), now."""
    _MOST[0] = entries
    _bound(_MEMORY)
    _bound(_BY_TEXT)


def kept_entries(vector_bytes: int) -> int:
    """Entries of ``vector_bytes`` each that ``defaults.CLAIM_VECTORS_KEPT_BYTES`` holds."""
    return max(1, defaults.CLAIM_VECTORS_KEPT_BYTES // (vector_bytes + _ENTRY_OVERHEAD))


def _bound(kept: OrderedDict[Any, np.ndarray]) -> None:
    """Drop the least recently used entries past the byte bound (one encoder's vectors are all one
    size: ``same_encoder`` clears both memories when it changes)."""
    if not kept:
        return
    limit = kept_entries(next(reversed(kept.values())).nbytes)
    if _MOST[0] is not None:
        limit = max(1, min(limit, _MOST[0]))
    while len(kept) > limit:
        kept.popitem(last=False)
