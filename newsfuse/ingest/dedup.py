"""Syndicated and near-duplicate copies: MinHash over word shingles, an LSH index, and the original.

Later stages count a wire story and all its copies as ONE independent source, so a false copy link
silently removes an independent outlet: precision matters more than recall. Two rules call a pair
copies (thresholds in :mod:`newsfuse.defaults`): estimated shingle Jaccard >= COPY_THRESHOLD, or the
shorter text's shingles contained in the longer >= COPY_CONTAINMENT (a wire story trimmed to its top
paragraphs). Shared quotes or one press-release sentence give neither.

Exact copies are those whose normalised text (lower-cased words, punctuation and layout ignored) is
the same: their shingle sets and hence their signatures are identical, which is what we test.

A signature is stored per article (``Store.add_article(signature=...)``) as little-endian uint32 hash
values followed by one uint32 shingle count, and the LSH index is rebuilt from the store when a stage
starts, so copies are found across runs.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass, field
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


@dataclass
class CopyIndex:
    """Every stored sketch in an LSH index, and which original each known copy belongs to."""

    lsh: MinHashLSH = field(
        default_factory=lambda: MinHashLSH(num_perm=defaults.MINHASH_PERMUTATIONS, params=_lsh_params())
    )
    sketches: dict[str, Sketch] = field(default_factory=dict)
    original: dict[str, str] = field(default_factory=dict)  # copy id -> original id
    copies: dict[str, set[str]] = field(default_factory=dict)  # original id -> copy ids

    @classmethod
    def load(cls, store: Store) -> CopyIndex:
        """Rebuild from the store's signatures and copy links (fine up to ~100k articles)."""
        index = cls()
        for article_id, data in queries.iter_signatures(store):  # pages: no list of every row
            index.add(article_id, Sketch.from_bytes(data))
        for c in queries.copies(store):
            index.set_original(c.article_id, c.original_id)
        return index

    def state(self) -> tuple[int, int]:
        """(sketches, copy links) held: equal to ``queries.dedup_state`` while in step with the store."""
        return len(self.sketches), len(self.original)

    def add(self, article_id: str, s: Sketch) -> None:
        if article_id not in self.sketches:
            self.sketches[article_id] = s
            self.lsh.insert(article_id, s.minhash)

    def matches(self, s: Sketch) -> list[str]:
        """IDs of indexed articles that the new text copies or is copied by."""
        return sorted(c for c in self.lsh.query(s.minhash) if is_copy(s, self.sketches[c]))

    def root(self, article_id: str) -> str:
        return self.original.get(article_id, article_id)

    def group(self, root: str) -> list[str]:
        """An original and its copies."""
        return [root, *sorted(self.copies.get(root, ()))]

    def set_original(self, copy_id: str, original_id: str) -> None:
        old = self.original.get(copy_id)
        if old is not None:
            self.copies.get(old, set()).discard(copy_id)
        self.original[copy_id] = original_id
        self.copies.setdefault(original_id, set()).add(copy_id)
