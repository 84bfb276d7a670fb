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

import itertools
from collections.abc import Hashable, Sequence
from typing import Protocol, cast

import numpy as np

from newsfuse import defaults
from newsfuse.fuse.claims.lru import SlotLRU
from newsfuse.fuse.claims.vectors import text_hash


class PairMatcher(Protocol):
    def probability(self, a: str, b: str, cosine: float) -> float: ...


class PairMemo(SlotLRU[float]):
    """LRU of matcher probabilities by (matcher, second-stage switch, text hash, text hash, cosine)."""

    def probability(self, matcher: PairMatcher, a: str, b: str, cosine: float,
                    hashes: tuple[str, str] | None = None) -> float:
        """``matcher.probability(a, b, cosine)``, scored once (``hashes``: the texts' hashes when
        the caller has them)."""
        if self.size <= 0:
            return matcher.probability(a, b, cosine)
        ha, hb = hashes if hashes is not None else (text_hash(a), text_hash(b))
        return self.get(self._key(matcher, ha, hb, cosine), lambda: matcher.probability(a, b, cosine))

    def first_stage(self, matcher: PairMatcher, a: str, b: str, cosine: float) -> float:
        """:meth:`probability` under another name: what chooses the pairs the second stage reads
        (fuse/claims/meaning.py) asks the first stage through here, so a benchmark counting the
        matcher's questions (wrapping :meth:`probability`) counts only the decisions."""
        return self.get(self._key(matcher, text_hash(a), text_hash(b), cosine),
                        lambda: matcher.probability(a, b, cosine))

    def holds(self, matcher: PairMatcher, a: str, b: str, cosine: float) -> bool:
        """Whether :meth:`probability` would answer from what is kept (nothing counted or moved)."""
        if self.size <= 0:
            return False
        key = self._key(matcher, text_hash(a), text_hash(b), cosine)
        with self._lock:
            found = self._items.get(key)
        return found is not None and found[0] == key

    @staticmethod
    def _key(matcher: PairMatcher, ha: str, hb: str, cosine: float) -> tuple[Hashable, ...]:
        # The switch is part of the key: a process that turns the second stage on or off must not reuse
        # the other setting's answers.
        return (_matcher_key(matcher), defaults.CLAIM_MATCH_CROSS_ENCODER, ha, hb, cosine)


def _matcher_key(matcher: PairMatcher) -> Hashable:
    """A matcher by value when it hashes (the packaged one is a frozen record), else by identity.
    A frozen record hashes all its weights at every call (twice a question: here and as part of the
    memo's key), so an object asked before gets its value's number (:data:`_NUMBERS`) back by identity."""
    found = _ASKED.get(id(matcher))
    if found is not None and found[0] is matcher:
        return found[1]
    try:
        hash(matcher)
    except TypeError:
        return id(matcher)
    value = cast(Hashable, matcher)
    number = _NUMBERS.get(value)
    if number is None:
        if len(_NUMBERS) >= _MATCHERS_KEPT:
            _NUMBERS.clear()  # an equal matcher met again gets a new number: its answers are asked again
        number = _NUMBERS[value] = -next(_NUMBERED)  # negative: never an object's id
    if len(_ASKED) >= _MATCHERS_KEPT:
        _ASKED.clear()
    _ASKED[id(matcher)] = (matcher, number)  # held: its id is not reused while kept
    return number


# Matchers by value -> their number (numbers are never given twice, so a dropped entry never makes
# another matcher's answers this one's), and objects asked before -> (object, number). A process meets
# a few (the packaged matcher, its first stage); the same-fact model binds one per statement pair.
_MATCHERS_KEPT = 64
_NUMBERS: dict[Hashable, int] = {}
_ASKED: dict[int, tuple[PairMatcher, int]] = {}
_NUMBERED = itertools.count(1)


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

    def row(self, x: Hashable) -> int:
        """The row of key ``x``: keys of one text and one vector share it."""
        return self._row[x]

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


# ---------------------------------------------------------------------------------------------
# nearest sentences, kept between fuses of a growing story
# ---------------------------------------------------------------------------------------------

Ident = Hashable  # a compared sentence: its key and its text (same text, same vector)


class _Kept:
    """The nearest neighbours of every sentence of one set: row ``n`` is sentence ``order[n]``;
    ``near[n]`` its ``k`` nearest sentences of other articles (rows; -1: none), nearest first,
    ``cos[n]`` their cosines (-inf: none)."""

    __slots__ = ("cos", "near", "order")

    def __init__(self, order: list[Ident], near: np.ndarray, cos: np.ndarray) -> None:
        self.order, self.near, self.cos = order, near, cos


class NeighbourMemo:
    """The ``k`` nearest sentences of other articles for each sentence of a story, kept per process
    for ``defaults.CLAIM_NEIGHBOUR_SETS_KEPT`` sentence sets (most recently used kept).

    Finding them from scratch compares every sentence with every other (a 500-article story holds
    ~20,000 clause runs: 400 million cosines, and as many values sorted). When a kept set is part of
    the one asked for (the story before a new article joined), only the new sentences are compared
    with all, and each kept sentence's neighbours are merged with the new sentences near it: the
    ``k`` best of its kept ``k`` and of the new ones are its ``k`` best of all. The set also loses
    sentences as it grows (a statement that led its claim no longer does once another article
    joins; an article re-analysed or moved out): a kept sentence one of whose neighbours is gone is
    compared with all again, the others keep theirs (what was not among their ``k`` best cannot
    become so by others leaving). Ties are broken by row (the sentences' order), in both ways, so
    the neighbours are exactly those from scratch. A kept set sharing less than half its sentences
    with the one asked for is not used."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.kept: list[_Kept] = []
        self.grown = self.computed = 0  # how many sets were found by growth / from scratch

    def clear(self) -> None:
        self.kept.clear()
        self.grown = self.computed = 0

    def nearest(self, idents: Sequence[Ident], articles: np.ndarray, texts: np.ndarray,
                distinct: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, cosines) of the ``k`` nearest sentences of other articles of each sentence.
        ``articles``: an article number per sentence; ``texts``: a row of ``distinct`` (the vectors
        of the distinct texts) per sentence."""
        rows = {x: n for n, x in enumerate(idents)}
        found = self._base(rows) if self.size > 0 else None
        distinct = distinct.astype(np.float64)  # see _cosines
        if found is None:
            self.computed += 1
            near, cos = _nearest_of(np.arange(len(idents)), articles, texts, distinct, k)
        else:
            self.grown += 1
            base, now = found
            self.kept.remove(base)
            near, cos = _grown(base, now, len(rows), articles, texts, distinct, k)
        if self.size > 0:
            self.kept.append(_Kept(list(idents), near, cos))
            del self.kept[:-self.size]
        return near, cos

    def _base(self, rows: dict[Ident, int]) -> tuple[_Kept, np.ndarray] | None:
        """The kept set sharing the most sentences with ``rows``, if more than half of its own, with
        the row now of each of its sentences (-1: gone)."""
        best, most = None, 0
        for kept in self.kept:
            now = np.fromiter(map(rows.get, kept.order, itertools.repeat(-1)), dtype=np.int64,
                              count=len(kept.order))
            shared = int(np.count_nonzero(now >= 0))
            if 2 * shared > len(kept.order) and shared > most:
                best, most = (kept, now), shared
        return best


NEIGHBOURS = NeighbourMemo(defaults.CLAIM_NEIGHBOUR_SETS_KEPT)


def _nearest_of(rows: np.ndarray, articles: np.ndarray, texts: np.ndarray, distinct: np.ndarray,
                k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` nearest sentences of other articles of the given rows, among all, a block of rows
    at a time (one matrix product of distinct texts, spread to their copies)."""
    near = np.full((len(rows), k), -1, dtype=np.int64)
    cos = np.full((len(rows), k), -np.inf, dtype=np.float32)
    columns = _candidates(articles, texts, k)
    step = defaults.CLAIM_MATCH_BLOCK_ROWS
    for lo in range(0, len(rows), step):
        block = rows[lo:lo + step]
        values = _cosines(distinct[texts[block]], distinct)[:, texts[columns]]
        values[articles[block, None] == articles[None, columns]] = -np.inf  # a sentence's own article
        near[lo:lo + step], cos[lo:lo + step] = _top(np.broadcast_to(columns, values.shape), values, k)
    return near, cos


def _candidates(articles: np.ndarray, texts: np.ndarray, k: int) -> np.ndarray:
    """The columns that can be among any row's ``k`` nearest: copies of one text have one cosine with
    every row, and ties go to the earlier column, so of each text only its first ``k`` columns, plus
    as many as one article holds of it (a row's own article is left out), can be. A story of wire
    copies thus compares each sentence with a few copies of each distinct text, not with all."""
    n = len(texts)
    if n == 0:
        return np.arange(0)
    order = np.argsort(texts, kind="stable")  # columns grouped by text, in column order
    starts = np.searchsorted(texts[order], texts[order], side="left")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n) - starts
    _, per_article = np.unique(articles.astype(np.int64) * (int(texts.max()) + 1) + texts, return_counts=True)
    return np.nonzero(rank < k + int(per_article.max()))[0]


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosines of float32 unit vectors (given as float64) as float32 values, whatever the shapes: a
    float32 product's last bit depends on how the library blocks the matrices, so a pair compared in
    a grown set could differ from the same pair compared from scratch, and reorder tied neighbours.
    In float64 the products are exact and the sums far finer than float32's last bit."""
    return (a @ b.T).astype(np.float32)


def _top(columns: np.ndarray, values: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the ``k`` (column, value) pairs of largest value, ties to the smaller column, largest
    first; padded with (-1, -inf). ``columns``: the column number of each value (float32 values).

    Wire copies tie by the hundred (one text, one cosine), and a partial sort picks any of the tied:
    each value and its column are made one integer that orders as (value, then smaller column), so
    the partial sort has no ties and picks what a full sort would."""
    bits = values.astype(np.float32).view(np.int32).astype(np.int64)
    ordered = np.where(bits < 0, bits ^ 0x7FFFFFFF, bits)  # float order as integer order
    keys = (ordered << 32) + (0xFFFFFFFF - np.asarray(columns, dtype=np.int64) % (1 << 32))
    if keys.shape[1] > k:
        part = np.argpartition(-keys, k - 1, axis=1)[:, :k]
        keys = np.take_along_axis(keys, part, axis=1)
        columns = np.take_along_axis(columns, part, axis=1)
        values = np.take_along_axis(values, part, axis=1)
    order = np.argsort(-keys, axis=1)
    columns, values = np.take_along_axis(columns, order, axis=1), np.take_along_axis(values, order, axis=1)
    columns = np.where(np.isneginf(values), -1, columns)
    if columns.shape[1] < k:
        pad = k - columns.shape[1]
        columns = np.pad(columns, ((0, 0), (0, pad)), constant_values=-1)
        values = np.pad(values, ((0, 0), (0, pad)), constant_values=-np.inf)
    return columns, values


def _grown(base: _Kept, now: np.ndarray, n: int, articles: np.ndarray, texts: np.ndarray,
           distinct: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Neighbours of a set of ``n`` sentences sharing sentences with ``base`` (``now``: base row ->
    row now, -1: gone): sentences new to the set, and kept ones that lost a neighbour, against all;
    the other kept sentences' neighbours merged with the new sentences near them."""
    old_near = np.where(base.near >= 0, now[np.maximum(base.near, 0)], -1)
    clean = (now >= 0) & ~((base.near >= 0) & (old_near < 0)).any(axis=1)
    kept_rows, old_near, old_cos = now[clean], old_near[clean], base.cos[clean]
    fresh = np.setdiff1d(np.arange(n), now[now >= 0])  # sentences new to the set
    redo = np.setdiff1d(np.arange(n), kept_rows)  # those and the kept ones that lost a neighbour
    near = np.empty((n, k), dtype=np.int64)
    cos = np.empty((n, k), dtype=np.float32)
    if len(redo):
        near[redo], cos[redo] = _nearest_of(redo, articles, texts, distinct, k)
    if not len(fresh):
        near[kept_rows], cos[kept_rows] = old_near, old_cos
        return near, cos
    # Each distinct text against each new sentence once (copies share a text, so a story of copies
    # compares its few thousand texts, not its ~30,000 kept sentences), then spread to the rows: the
    # values are those of the row-by-row product (float64 sums cast to float32: see _cosines).
    table = _cosines(distinct, distinct[texts[fresh]])
    # A kept sentence whose best new cosine is below its k-th kept one keeps its k as they were (most
    # of a big story's sentences: one article's few dozen new ones are near few of them); the order
    # among kept rows holds when the renumbering keeps their order (rows follow the sentences' keys),
    # else every row is merged.
    monotone = bool(np.all(np.diff(kept_rows) > 0))
    step = defaults.CLAIM_MATCH_BLOCK_ROWS
    for lo in range(0, len(kept_rows), step):
        block = kept_rows[lo:lo + step]
        values = table[texts[block]]
        values[articles[block, None] == articles[None, fresh]] = -np.inf
        best = values.max(axis=1)
        enters = np.isfinite(best) & (best >= old_cos[lo:lo + step, k - 1]) if monotone \
            else np.ones(len(block), dtype=bool)
        near[block], cos[block] = old_near[lo:lo + step], old_cos[lo:lo + step]
        if not enters.any():
            continue
        cols, vals = _top(np.broadcast_to(fresh, (int(enters.sum()), len(fresh))), values[enters], k)
        merged_cols = np.concatenate([old_near[lo:lo + step][enters], cols], axis=1)
        merged_vals = np.concatenate([old_cos[lo:lo + step][enters], vals], axis=1)
        near[block[enters]], cos[block[enters]] = _top(merged_cols, merged_vals, k)
    return near, cos
