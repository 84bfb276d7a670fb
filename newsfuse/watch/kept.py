"""What a watch's refresh process keeps between refreshes, in bytes, and each cache held to a byte bound.

Fusion keeps per process what a re-fuse of a growing story would otherwise rebuild: each article's
statements (``fuse/claims/cache.py``), parsed analyses (``fuse/analyses.py``), matcher decisions and
nearest-neighbour sets (``fuse/claims/pairs.py``), event alignments (``fuse/claims/resume.py``),
claim sources (``fuse/claims/records.py``), sentence vectors and claim rows. Each is bounded in
*entries*, and an entry's size depends on the stories: an article's statements weigh 50-300 KB, a
neighbour set a few KB or several MB. Bounds in entries chosen for one corpus are loose for
another, and a process whose caches fill for an hour looks like a leak (session 13's refresh process
grew +29-32 MB/min for 20 minutes).

:class:`Governor` holds each cache of the refresh process to a byte bound in ``defaults``
(``WATCH_KEPT_BYTES``; their sum is the most the caches may hold, stated there): every
``defaults.WATCH_KEPT_CHECK_EVERY`` refreshes, and after any refresh that grew the process by more than
``defaults.WATCH_KEPT_CHECK_RISE_BYTES`` since the last check (one big story's refresh filled
the caches far past their bounds, and they stayed there for up to 24 refreshes), it sizes a sample of
each cache's entries
(:func:`deep_bytes`, objects shared with a cache sized before counted once: an analysis is charged
to the analyses, not again to the statements built from it), estimates the bytes per entry and sets
the cache's entry bound to what fits (never above its own default). Caches bounded by a setting of
their own (sentence vectors and claim rows in bytes, coreference vectors in entries, the timeline's
merges per story, the boilerplate check's edge sentences per article) are held to what fits the
budget too, below that setting: the budget's scale (``bench/watch_memory.py --kept-scale``) scales
them all, and their sum is all the caches may hold. Per-object memos (clause runs, argument keys,
quote and lead readings) hold their statement or analysis weakly, so the statements' and analyses'
bounds hold them; they are sized only. What other modules keep per story between fuses is held too:
a kept alignment's relation memo (in entries: signatures and answers, ``fuse/claims/resume.py``), the
kept rule clusterings (``fuse/entities/grow.py``) and the placement's argument profiles
(``fuse/stories/state.py``). What a cache drops is rebuilt (or, for vectors, read back
from the store) when asked for again (a re-fuse then costs more CPU), so a bound trades memory for
refresh CPU.
"""

from __future__ import annotations

import os
import sys
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from newsfuse import defaults

_LEAVES = (str, bytes, int, float, complex, bool, type(None), range)
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_NOT_DATA = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
             types.CodeType)


def deep_bytes(obj: Any, seen: set[int], skip: tuple[type, ...] = ()) -> int:
    """Bytes held by ``obj`` and everything it reaches (containers, numpy arrays' buffers, the dicts
    and slots of newsfuse's own objects; another library's object counts its own size only), each
    object counted once across calls sharing ``seen``; objects of ``skip`` types (and what only they
    reach) are not counted, nor classes, modules and functions."""
    total = 0
    stack = [obj]
    while stack:
        x = stack.pop()
        if id(x) in seen or isinstance(x, _NOT_DATA):
            continue
        seen.add(id(x))
        if skip and isinstance(x, skip):
            continue
        total += _own_bytes(x)
        if not isinstance(x, _LEAVES):
            stack.extend(_children(x))
    return total


def _own_bytes(x: Any) -> int:
    if isinstance(x, np.ndarray):  # a view's buffer belongs to its base (reached as a child)
        return sys.getsizeof(x) if x.base is not None else int(x.nbytes) + 112
    try:
        return sys.getsizeof(x)
    except TypeError:
        return 0


def _children(x: Any) -> Iterator[Any]:
    if isinstance(x, dict):
        yield from x.keys()
        yield from x.values()
        return
    if isinstance(x, (list, tuple, set, frozenset)):
        yield from x
        return
    if isinstance(x, np.ndarray):
        if x.base is not None:
            yield x.base
        if x.dtype == object:
            yield from x.ravel().tolist()
        return
    if not type(x).__module__.startswith("newsfuse"):
        return  # another library's object (a model, a connection): machinery, not what an entry holds
    d = getattr(x, "__dict__", None)
    if isinstance(d, dict):
        yield d
    for cls in type(x).__mro__:
        for name in getattr(cls, "__slots__", ()):
            if name not in ("__dict__", "__weakref__") and hasattr(x, name):
                yield getattr(x, name)


def spread(items: list[Any], n: int) -> list[Any]:
    """At most ``n`` of ``items``, evenly spaced (old and new entries both sampled)."""
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(k * step)] for k in range(n)]


@dataclass
class Kept:
    """One cache: ``entries()`` its entries now (each what one entry holds), ``resize(n)`` its entry
    bound (None: bounded by its own module, sized only), ``most`` its entry bound by default, ``skip``
    types charged to another cache, ``units(entry)`` the entries one item of ``entries()`` stands for
    (None: one; a story's relation memo is its signatures and answers)."""

    name: str
    bound: int
    entries: Callable[[], list[Any]]
    resize: Callable[[int], None] | None = None
    most: int = 0
    skip: tuple[type, ...] = ()
    units: Callable[[Any], int] | None = None
    per_entry: float = 0.0  # bytes per entry, last estimate
    count: int = 0  # entries at the last check
    allowed: int = field(default=0)  # entry bound set at the last check


class Governor:
    """Holds the caches of ``kept`` to their byte bounds (:meth:`after_refresh`, :meth:`check`).
    ``rise``: bytes the process may grow by between two checks before the next refresh checks
    (``defaults.WATCH_KEPT_CHECK_RISE_BYTES``); ``resident``: the process's resident bytes
    now (None where unknown: every ``every`` refreshes only)."""

    def __init__(self, kept: list[Kept], every: int | None = None, sample: int | None = None,
                 rise: int | None = None, resident: Callable[[], int | None] | None = None) -> None:
        self.kept = kept
        self.every = defaults.WATCH_KEPT_CHECK_EVERY if every is None else every
        self.sample = defaults.WATCH_KEPT_SAMPLE if sample is None else sample
        self.rise = defaults.WATCH_KEPT_CHECK_RISE_BYTES if rise is None else rise
        self._resident = resident_bytes if resident is None else resident
        self._since = 0
        self._base = self._resident()  # resident bytes after the last check
        self.seconds = 0.0  # spent sizing, all checks
        self.checks = self.early = 0  # checks made, of them after a refresh that grew the process

    def after_refresh(self) -> None:
        """Called after each refresh: a check every ``every`` of them (0: never), and after one that
        grew the process by more than ``rise`` since the last check (one big story's refresh fills
        the caches far past their bounds: checked only every ``every``, they stayed there)."""
        self._since += 1
        if self.every <= 0:
            return
        now = self._resident() if self.rise > 0 else None
        grew = now is not None and self._base is not None and now - self._base > self.rise
        if self._since >= self.every or grew:
            self.early += self._since < self.every
            self._since = 0
            self.check()
            self._base = self._resident()

    def check(self, apply: bool = True) -> dict[str, dict[str, float]]:
        """Each cache's entries, estimated bytes, bound and entries allowed now (entry bounds set
        unless not ``apply``: sized only)."""
        started = time.perf_counter()
        seen: set[int] = set()
        out: dict[str, dict[str, float]] = {}
        for k in self.kept:
            entries = k.entries()
            k.count = _units(k, entries)
            picked = spread(entries, self.sample)
            if picked and _units(k, picked) > 0:  # shared objects: charged to the first cache reaching them
                now = sum(deep_bytes(e, seen, k.skip) for e in picked) / _units(k, picked)
                # entry sizes are heavy-tailed (one big story's), so one sample's mean swings by a
                # third: the estimate is averaged over checks, and an entry bound does not swing with it
                k.per_entry = now if k.per_entry <= 0 else (k.per_entry + now) / 2
            if apply and k.resize is not None and k.per_entry > 0:
                k.allowed = max(1, min(k.most, int(k.bound // k.per_entry)))
                k.resize(k.allowed)
            out[k.name] = {"entries": k.count, "mb": round(k.count * k.per_entry / 2**20, 1),
                           "bound_mb": round(k.bound / 2**20, 1), "allowed": k.allowed or k.count}
        self.seconds += time.perf_counter() - started
        self.checks += apply
        return out


def held_in_all(kept: list[Kept], counted: tuple[type, ...] = ()) -> dict[str, float]:
    """What all of ``kept`` hold together, every entry walked (not a sample) and nothing skipped:
    ``mb`` the bytes they reach, each object once; for each type of ``counted``, how many objects of
    it they reach (an analysis a later cache still references after the analyses cache dropped it is
    reached, though :meth:`Governor.check` charges it to no cache). Seconds of CPU for large caches:
    a diagnostic (``bench/watch_memory.py --union``), not for a live process."""
    seen: set[int] = set()
    total = sum(deep_bytes(e, seen) for k in kept for e in k.entries())
    out: dict[str, float] = {"mb": round(total / 2**20, 1)}
    if counted:
        import gc

        reached = [x for x in gc.get_objects() if isinstance(x, counted) and id(x) in seen]
        for t in counted:
            out[t.__name__] = sum(isinstance(x, t) for x in reached)
    return out


def _units(k: Kept, items: list[Any]) -> int:
    return len(items) if k.units is None else sum(k.units(e) for e in items)


def resident_bytes() -> int | None:
    """This process's resident memory in bytes (Linux ``/proc``; None elsewhere)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def refresh_caches() -> list[Kept]:
    """The caches a refresh process keeps, in the order they are sized (a cache sized later is not
    charged for what an earlier one holds), each with its byte bound from ``defaults.WATCH_KEPT_BYTES``."""
    from newsfuse.fuse import analyses, timeline
    from newsfuse.fuse.claims import (
        cache,
        crossencoder,
        meaning,
        pairs,
        records,
        resume,
        sources,
        speakers,
        vectors,
    )
    from newsfuse.fuse.claims.statements import Statement
    from newsfuse.fuse.entities import grow, pairmodel
    from newsfuse.fuse.stories import state as storystate
    from newsfuse.models import Analysis, Article
    from newsfuse.store import store

    bound = defaults.WATCH_KEPT_BYTES
    shared = (Analysis, Article)  # charged to the analyses
    built = (*shared, Statement)  # statements are charged to the statements cache

    def resize(obj: Any) -> Callable[[int], None]:
        def to(n: int) -> None:
            obj.size = n
        return to

    def halves(keep: Callable[[int | None], None]) -> Callable[[int], None]:
        def to(n: int) -> None:  # sentence vectors: n entries over two memories (by sentence, by text)
            keep(max(1, n // 2))
        return to

    # at most what CLAIM_VECTORS_KEPT_BYTES holds (float32 vectors)
    vector_entries = 2 * vectors.kept_entries(4 * vectors.claimencoder.DIMENSIONS)
    return [
        Kept("analyses", bound["analyses"], lambda: list(analyses.ANALYSES._items.values()),
             resize(analyses.ANALYSES), defaults.WATCH_CLAIM_CACHE_ARTICLES),
        Kept("statements", bound["statements"], lambda: list(cache.CACHE._items.values()),
             resize(cache.CACHE), defaults.WATCH_CLAIM_CACHE_ARTICLES, shared),
        # the meaning pass's and chain join's kept sentence lists (fuse/claims/meaning.py), right after
        # the statements: their pairs hold statements (and analyses) the caches above dropped, and
        # those are charged here (unbounded by bytes, they held ~half the live statements of a replay)
        Kept("sentence_lists", bound["sentence_lists"],
             lambda: meaning.MEANING_SENTENCES.entries() + meaning.CHAIN_SENTENCES.entries(),
             halves(_both(meaning.MEANING_SENTENCES, meaning.CHAIN_SENTENCES)), sys.maxsize),
        # a kept alignment's relation memo, in entries (signatures and answers), before the rest of
        # the alignment: it only grows between a story's fresh alignments (fuse/claims/resume.py)
        Kept("relation_memos", bound["relation_memos"], resume.ALIGNMENTS.memos,
             resume.ALIGNMENTS.keep_memo_entries,
             defaults.CLAIM_RELATION_MEMO_KEPT * defaults.CLAIM_ALIGNMENTS_KEPT, built, len),
        Kept("alignments", bound["alignments"], lambda: list(resume.ALIGNMENTS._kept.values()),
             resize(resume.ALIGNMENTS), defaults.CLAIM_ALIGNMENTS_KEPT, built),
        # a story's rule clustering kept to grow it (fuse/entities/grow.py): its name groups hold
        # mentions of analyses the analyses cache may have dropped
        Kept("entity_states", bound["entity_states"], lambda: list(grow.KEPT.states.values()),
             grow.KEPT.keep_at_most, defaults.ENTITY_GROWN_STORIES, built),
        # argument profiles kept between placement calls (fuse/stories/state.py; the watch places on
        # its own process, this one at start and in bench/watch_memory.py's replay)
        Kept("story_profiles", bound["story_profiles"], storystate.kept_profiles,
             storystate.keep_at_most, defaults.STORY_PROFILES_KEPT * 2),
        Kept("claim_sources", bound["claim_sources"], lambda: list(records.SOURCES._stories.values()),
             resize(records.SOURCES), defaults.CLAIM_ALIGNMENTS_KEPT, built),
        Kept("neighbours", bound["neighbours"], lambda: list(pairs.NEIGHBOURS.kept),
             resize(pairs.NEIGHBOURS), defaults.CLAIM_NEIGHBOUR_SETS_KEPT, built),
        Kept("pair_decisions", bound["pair_decisions"], lambda: list(pairs.MEMO._items.items()),
             resize(pairs.MEMO), defaults.CLAIM_PAIRS_KEPT),
        Kept("cross_logits", bound["cross_logits"], lambda: list(crossencoder.LOGITS._items.items()),
             resize(crossencoder.LOGITS), defaults.CLAIM_CROSS_LOGITS_KEPT),
        Kept("sentence_vectors", bound["sentence_vectors"],
             lambda: list(vectors._MEMORY.items()) + list(vectors._BY_TEXT.items()),
             halves(vectors.keep_at_most), vector_entries),
        Kept("coref_vectors", bound["coref_vectors"], lambda: list(pairmodel._VECTORS.items()),
             pairmodel.keep_at_most, defaults.COREF_VECTOR_CACHE),
        Kept("claim_rows", bound["claim_rows"], lambda: list(store.CLAIM_ROWS._rows.items()),
             store.CLAIM_ROWS.keep_at_most, sys.maxsize),
        Kept("boilerplate_edges", bound["boilerplate_edges"], lambda: list(sources._EDGES._items.values()),
             resize(sources._EDGES), defaults.WATCH_CLAIM_CACHE_ARTICLES, built),
        Kept("timeline_merges", bound["timeline_merges"], lambda: list(timeline._MERGES._kept.values()),
             resize(timeline._MERGES), defaults.TIMELINE_MERGES_KEPT, (Analysis, Statement)),
        # what the meaning and speaker passes keep per statement and per analysis: an entry goes with
        # its statement (lru.PerObject), so the statements cache's bound holds these too
        Kept("statement_memos", bound["statement_memos"],
             lambda: _values(meaning._runs, meaning._argument_keys, speakers._QUOTED, speakers._LEADS),
             skip=built),
    ]


def _both(*lists: Any) -> Callable[[int | None], None]:
    """Each of ``lists`` (kept sentence lists) held to the same number of articles."""
    def keep(n: int | None) -> None:
        for kept in lists:
            kept.keep_at_most(n)
    return keep


def _values(*memos: Any) -> list[Any]:
    """The values ``lru.PerObject`` memos keep (not the objects they are kept for)."""
    return [v for memo in memos for _, v in list(memo._items.values())]
