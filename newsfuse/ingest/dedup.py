"""Syndicated and near-duplicate copies: MinHash over word shingles, an LSH index, and the original.

Later stages count a wire story and all its copies as ONE independent source, so a false copy link
silently removes an independent outlet: precision matters more than recall. Two rules call a pair
copies (thresholds in :mod:`newsfuse.defaults`): estimated shingle Jaccard >= COPY_THRESHOLD, or the
shorter text's shingles contained in the longer >= COPY_CONTAINMENT (a wire story trimmed to its top
paragraphs). Shared quotes or one press-release sentence give neither.

Exact copies are those whose normalised text (lower-cased words, punctuation and layout ignored) is
the same: their shingle sets and hence their signatures are identical, which is what we test.

A signature is stored per article (``Store.add_article(signature=...)``) as little-endian uint32 hash
values followed by one uint32 shingle count, with its LSH buckets (:func:`band_keys`, migration 17);
:class:`CopyIndex` asks the store for the candidates of each new article, so copies are found across
runs and across concurrent writers, and the coordinator's memory does not grow with the store.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import struct
import zlib
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from newsfuse import defaults
from newsfuse.models import CopyLink
from newsfuse.store import Store, queries

_WORD = re.compile(r"\w+(?:'\w+)?")
_SCHEME = "affine32"  # datasketch's hashing scheme; fixed so stored signatures stay comparable
_MULTIPLIER = np.uint64(1_000_003)  # odd, so runs that differ in one word hash differently


def words(text: str) -> list[str]:
    """Lower-cased word tokens; curly apostrophes count as straight ones (copies differ in that)."""
    return _WORD.findall(text.replace("\u2019", "'").lower())


def shingle_hashes(text: str, size: int = defaults.SHINGLE_SIZE) -> np.ndarray:
    """Distinct 32-bit hashes of the overlapping runs of ``size`` words (a shorter text is one run).

    Words are hashed once (crc32: fast, and the same in every process, which stored signatures need)
    and combined per run with vectorised polynomial hashing, instead of joining strings per shingle.
    """
    tokens = words(text)
    if not tokens:
        return np.zeros(0, dtype=np.uint64)
    vocabulary = {t: zlib.crc32(t.encode()) for t in set(tokens)}  # each distinct word hashed once
    word_hashes = np.fromiter(map(vocabulary.__getitem__, tokens), dtype=np.uint64, count=len(tokens))
    k = min(size, len(tokens))
    n = len(tokens) - k + 1
    runs = np.zeros(n, dtype=np.uint64)
    for j in range(k):  # uint64 arithmetic wraps silently on arrays: that is the modulus we want
        runs = runs * _MULTIPLIER + word_hashes[j : j + n]
    return np.unique((runs ^ (runs >> np.uint64(32))) & np.uint64(0xFFFFFFFF))


@dataclass(frozen=True, slots=True)
class Sketch:
    """A text's MinHash and its number of distinct shingles (needed to estimate containment)."""

    minhash: MinHash
    size: int

    def to_bytes(self) -> bytes:
        return self.minhash.hashvalues.astype("<u4").tobytes() + struct.pack("<I", self.size)

    @classmethod
    def from_bytes(cls, data: bytes) -> Sketch:
        # Same dtype as a fresh MinHash: the LSH bands hash the raw bytes of these values.
        values = np.frombuffer(data[:-4], dtype="<u4").astype(np.uint32)
        (size,) = struct.unpack("<I", data[-4:])
        mh = MinHash(num_perm=len(values), hashvalues=values, scheme=_SCHEME, permutations=_permutations())
        return cls(mh, size)

    def jaccard(self, other: Sketch) -> float:
        return float(self.minhash.jaccard(other.minhash))

    def containment(self, other: Sketch) -> float:
        """Estimated share of the smaller set's shingles found in the larger one."""
        j = self.jaccard(other)
        small = min(self.size, other.size)
        if small == 0:
            return 0.0
        return min(1.0, j * (self.size + other.size) / ((1 + j) * small))

    def same_as(self, other: Sketch) -> bool:
        return self.size == other.size and bool(
            np.array_equal(self.minhash.hashvalues, other.minhash.hashvalues)
        )


def sketch(text: str) -> Sketch:
    """The MinHash sketch of a text."""
    hashes = shingle_hashes(text)
    mh = MinHash(
        num_perm=defaults.MINHASH_PERMUTATIONS, hashfunc=int, scheme=_SCHEME, permutations=_permutations()
    )
    mh.update_batch(hashes.tolist())
    return Sketch(mh, len(hashes))


@cache
def _permutations() -> Any:
    """datasketch's permutations for our seed: computed once, not per MinHash (that was a third of
    the ingest time). Same seed, same values as a MinHash built without them."""
    return MinHash(num_perm=defaults.MINHASH_PERMUTATIONS, scheme=_SCHEME).permutations


@cache
def _lsh_params() -> tuple[int, int]:
    """Bands and rows for LSH_CANDIDATE_THRESHOLD (datasketch integrates to find them: do it once)."""
    lsh = MinHashLSH(threshold=defaults.LSH_CANDIDATE_THRESHOLD, num_perm=defaults.MINHASH_PERMUTATIONS)
    return lsh.b, lsh.r


def is_copy(a: Sketch, b: Sketch) -> bool:
    """The two copy rules: near-identical, or the shorter (long enough) text inside the longer."""
    if a.jaccard(b) >= defaults.COPY_THRESHOLD:
        return True
    return (
        min(a.size, b.size) >= defaults.MIN_CONTAINMENT_SHINGLES
        and a.containment(b) >= defaults.COPY_CONTAINMENT
    )


def link(copy_id: str, original_id: str, a: Sketch, b: Sketch) -> CopyLink:
    if a.same_as(b):
        return CopyLink(copy_id, original_id, 1.0, "exact")
    return CopyLink(copy_id, original_id, round(a.jaccard(b), 4), "minhash")


class CopyIndex:
    """Copy detection against every stored signature, asked of the store article by article.

    The LSH buckets of the signatures live in the store (``copy_bands``, migration 17): an article's
    candidates are the articles sharing a bucket with it, read a page at a time, and only their
    signatures are read. Nothing here grows with the store (the in-memory index it replaces held
    every signature: 4-5 MB per 1,000 articles), and concurrent writers see each other's articles.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def load(cls, store: Store) -> CopyIndex:
        """The index of ``store``, after filling the buckets of signatures stored without them."""
        fill_bands(store)
        return cls(store)

    def matches(self, s: Sketch) -> dict[str, Sketch]:
        """Indexed articles that the new text copies or is copied by, with their sketches (ID order)."""
        out: dict[str, Sketch] = {}
        buckets, after = band_keys(s), ""
        while page := queries.copy_candidates(self.store, buckets, after):
            after = page[-1]
            for article_id, data in sorted(queries.signatures_of(self.store, page).items()):
                other = Sketch.from_bytes(data)
                if is_copy(s, other):
                    out[article_id] = other
            if len(page) < defaults.STORE_PAGE_ROWS:
                break
        return out

    def roots(self, article_ids: list[str]) -> dict[str, str]:
        """Each article's original (itself when it is no copy)."""
        originals = queries.copy_originals(self.store, article_ids)
        return {a: originals.get(a, a) for a in article_ids}

    def group(self, root: str) -> list[str]:
        """An original and its copies."""
        return [root, *queries.copy_members(self.store, root)]

    def sketches(self, article_ids: list[str]) -> dict[str, Sketch]:
        return {a: Sketch.from_bytes(d) for a, d in queries.signatures_of(self.store, article_ids).items()}


def band_keys(s: Sketch) -> list[int]:
    """The LSH bucket of each band of the signature: a signed 64-bit hash of the band's number and
    values (two texts are candidates when any band is equal, as in datasketch's MinHashLSH)."""
    bands, rows = _lsh_params()
    values = s.minhash.hashvalues.astype("<u4")
    return [
        int.from_bytes(hashlib.blake2b(struct.pack("<H", b) + values[b * rows:(b + 1) * rows].tobytes(),
                                       digest_size=8).digest(), "little", signed=True)
        for b in range(bands)
    ]


def fill_bands(store: Store, page: int = defaults.STORE_PAGE_ROWS) -> int:
    """Store the buckets of signatures queued without them (stored before migration 17, or by a
    caller that passed none), a page at a time; returns how many. A signature that cannot be read
    is unqueued without buckets: that article is then never found as a copy, and nothing else breaks."""
    filled = 0
    while pending := queries.pending_copy_bands(store, page):
        rows: list[tuple[int, str]] = []
        for article_id, data in pending:
            with contextlib.suppress(ValueError, struct.error):
                rows += [(b, article_id) for b in band_keys(Sketch.from_bytes(data))]
        store.put_copy_bands(rows, [a for a, _ in pending])
        filled += len(pending)
    return filled
