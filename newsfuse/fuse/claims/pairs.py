"""Matcher decisions on pairs of claim sentences, each scored once and kept between fuses.

The meaning passes (:mod:`~newsfuse.fuse.claims.speakers`, :mod:`~newsfuse.fuse.claims.meaning`) ask
the learned matcher whether two sentences state one fact. In a big story most of those questions
repeat: wire copies and outlets quoting one speaker carry the same sentence in many articles, and a
story re-fused after one new article asks again every question it asked before. A story of 500
articles asked the matcher 245,000 times per fuse (65 of its 78 s), of a few hundred distinct pairs.

A decision is a pure function of the matcher, the two texts and their cosine, so it is kept under
exactly those (texts by their hash, the cosine as the float computed): a kept answer is what
scoring would return, and the claims are the ones a fuse from scratch gives. Within one question
set (:class:`Scorer`), sentences of one text and one vector are one row, so a pair of texts is
looked up once however many articles repeat it. Kept for ``defaults.CLAIM_PAIRS_KEPT`` pairs, least
recently used dropped first (about 360 bytes each).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Protocol, cast

import numpy as np

from newsfuse import defaults
from newsfuse.fuse.claims.lru import SlotLRU
from newsfuse.fuse.claims.vectors import text_hash


class PairMatcher(Protocol):
    def probability(self, a: str, b: str, cosine: float) -> float: ...


class PairMemo(SlotLRU[float]):
    """LRU of matcher probabilities by (matcher, text hash, text hash, cosine)."""

    def probability(self, matcher: PairMatcher, a: str, b: str, cosine: float,
                    hashes: tuple[str, str] | None = None) -> float:
        """``matcher.probability(a, b, cosine)``, scored once (``hashes``: the texts' hashes when
        the caller has them)."""
        if self.size <= 0:
            return matcher.probability(a, b, cosine)
        ha, hb = hashes if hashes is not None else (text_hash(a), text_hash(b))
        return self.get((_matcher_key(matcher), ha, hb, cosine), lambda: matcher.probability(a, b, cosine))


def _matcher_key(matcher: PairMatcher) -> Hashable:
    """A matcher by value when it hashes (the packaged one is a frozen record), else by identity."""
    try:
        hash(matcher)
    except TypeError:
        return id(matcher)
    return cast(Hashable, matcher)


MEMO = PairMemo(defaults.CLAIM_PAIRS_KEPT)


class Scorer:
    """Matcher probabilities between sentences of one question set (rows of ``matrix`` follow
    ``keys``): sentences of one text and one vector are one row, each pair of rows scored once, and
    through :data:`MEMO` once per process."""

    def __init__(self, matcher: PairMatcher, keys: Sequence[Hashable], texts: Sequence[str],
                 matrix: np.ndarray) -> None:
        self.matcher = matcher
        rows: dict[tuple[str, bytes], int] = {}
        self._row: dict[Hashable, int] = {}
        firsts: list[int] = []
        for n, (key, text) in enumerate(zip(keys, texts, strict=True)):
            ident = (text, matrix[n].tobytes())
            if ident not in rows:
                rows[ident] = len(firsts)
                firsts.append(n)
            self._row[key] = rows[ident]
        self._texts = [texts[n] for n in firsts]
        self._hashes = [text_hash(t) for t in self._texts]
        self._first = firsts  # rows of ``matrix`` (views: the cosine is computed as the caller would)
        self._matrix = matrix
        self._scored: dict[tuple[int, int], float] = {}
        self._best: dict[tuple[tuple[int, ...], tuple[int, ...]], float] = {}

    def probability(self, x: Hashable, y: Hashable) -> float:
        """The matcher's probability that the sentences of keys ``x`` and ``y`` state one fact."""
        i, j = self._row[x], self._row[y]
        found = self._scored.get((i, j))
        if found is None:
            cosine = float(np.dot(self._matrix[self._first[i]], self._matrix[self._first[j]]))
            found = self._scored[(i, j)] = MEMO.probability(
                self.matcher, self._texts[i], self._texts[j], cosine, (self._hashes[i], self._hashes[j]))
        return found

    def best(self, xs: Sequence[Hashable], ys: Sequence[Hashable]) -> float:
        """The highest probability between a sentence of ``xs`` and one of ``ys`` (each compared in
        that order), once per pair of row sets."""
        key = (tuple(self._row[x] for x in xs), tuple(self._row[y] for y in ys))
        found = self._best.get(key)
        if found is None:
            found = self._best[key] = max(self.probability(x, y) for x in xs for y in ys)
        return found
