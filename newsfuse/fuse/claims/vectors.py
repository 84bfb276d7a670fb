"""Vectors of claim sentences, encoded once per article sentence and kept.

A sentence is named by (article ID, start, end): an article's text never changes under its ID, so
the name fixes the text. Vectors come from the store (migration 10) when one is given, else from
this process's memory; only sentences found in neither are encoded (each distinct text once, in
batches) and then kept in both. Re-fusing a story after one new article encodes that article's
sentences only.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from newsfuse import defaults
from newsfuse.fuse.claims import encoder as claimencoder
from newsfuse.store import queries

if TYPE_CHECKING:
    from newsfuse.store import Store

SentenceKey = tuple[str, int, int]  # (article ID, start, end)

# Vectors this process has seen, most recent last (stores, benchmarks and tests without a store).
_MEMORY: OrderedDict[SentenceKey, np.ndarray] = OrderedDict()
_BY_TEXT: OrderedDict[str, np.ndarray] = OrderedDict()


class SentenceVectors:
    """Unit vectors of claim sentences (rows of :meth:`of` follow the keys given)."""

    def __init__(self, store: Store | None = None) -> None:
        self.store = store
        self.encoded = 0  # sentences this object had to encode (the rest were kept)

    def of(self, keys: Sequence[SentenceKey], texts: Sequence[str]) -> np.ndarray:
        found = {k: _MEMORY[k] for k in keys if k in _MEMORY}
        missing = [k for k in dict.fromkeys(keys) if k not in found]
        if missing and self.store is not None:
            kept = queries.sentence_vectors(self.store, [k[0] for k in missing], claimencoder.MODEL_NAME)
            found.update({k: np.frombuffer(kept[k], dtype=np.float32) for k in missing if k in kept})
            missing = [k for k in missing if k not in found]
        if missing:
            found.update(self._encode(missing, dict(zip(keys, texts, strict=True))))
        for k in keys:
            _remember(k, found[k])
        if not keys:
            return np.zeros((0, claimencoder.DIMENSIONS), dtype=np.float32)
        return np.stack([found[k] for k in keys])

    def _encode(
        self, missing: list[SentenceKey], text_of: dict[SentenceKey, str]
    ) -> dict[SentenceKey, np.ndarray]:
        # Wire copies repeat sentences: each distinct text is encoded once, and a text this process
        # encoded for another article is reused.
        texts = list(dict.fromkeys(text_of[k] for k in missing))
        rows = {t: _BY_TEXT[t] for t in texts if t in _BY_TEXT}
        distinct = [t for t in texts if t not in rows]
        rows.update(zip(distinct, claimencoder.encode(distinct), strict=True))
        for text in distinct:
            _BY_TEXT[text] = rows[text]
        while len(_BY_TEXT) > defaults.CLAIM_VECTORS_KEPT:
            _BY_TEXT.popitem(last=False)
        self.encoded += len(distinct)
        out = {k: rows[text_of[k]] for k in missing}
        if self.store is not None:
            self.store.put_sentence_vectors(
                claimencoder.MODEL_NAME, [(*k, out[k].astype(np.float32).tobytes()) for k in missing])
        return out


def _remember(key: SentenceKey, vector: np.ndarray) -> None:
    _MEMORY[key] = vector
    _MEMORY.move_to_end(key)
    while len(_MEMORY) > defaults.CLAIM_VECTORS_KEPT:
        _MEMORY.popitem(last=False)
