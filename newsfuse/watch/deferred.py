"""A story fused with its reads and compute outside the write lock, its writes in one short transaction.

:func:`newsfuse.fuse.pipeline.fuse_story` runs the whole fuse of a story (reading its articles,
resolving entities, building claims, encoding sentences it finds no vector for, the timeline) inside
one write transaction, so a half-written story never shows. On SQLite a write transaction is the
store's one write lock: while a big story fused (seconds), the watch loop could not record a poll or
store a fetched article, and the analysing stage could not store the next batch's analyses.

Here the same function runs on a :class:`DeferredWrites` view of the store: reads go to the store
(each its own snapshot: nothing is locked), every write is recorded instead of done, and
:func:`fuse_deferred` then does the recorded writes in order in one transaction, which takes
milliseconds. It stays all or nothing: a fuse that fails writes nothing, and a commit that fails
rolls back whole (the story stays queued).

What a deferred fuse could miss is a change to the story made by another writer between its reads
and its commit: the watch places new articles in stories at once, on another connection, while
a story's claims are refreshed (:mod:`.fusing`). The commit checks, inside its transaction, that
the story still holds the articles the fuse read; if not, it stores the claims of the articles it
read (claims as of those articles) but leaves the story queued and its story row alone (the
placement wrote it since), so the next refresh covers the newcomers; a story merged away
meanwhile gets nothing (the story it joined is queued) but the vectors its fuse encoded, which name
texts, not a story, and are kept whatever happens to it. A fuse that must read what it wrote (an
undated article whose estimated date changes, then its articles read again) is done the old way,
inside one transaction: the recorded writes are dropped (but for the vectors) and nothing was
stored. Every commit records the claims' state (``claims_state``: how many articles, when) for the
story page.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from newsfuse.fuse.entities.resolve import EntityCache
from newsfuse.fuse.pipeline import fuse_story
from newsfuse.store import Store, queries

# Store methods that only read (or manage the connection): everything else a Store defines writes.
_READS = frozenset({"close", "transaction", "in_transaction", "fetchall", "schema_version", "migrate",
                    "has_article", "lock"})
# Writes after which a fuse reads again what it wrote: the deferred fuse cannot do those.
_READ_BACK = frozenset({"set_published", "put_analysis"})
# Writes left out when the story changed between the fuse's reads and its commit: the queue entry
# (the story must be refreshed again for the articles that joined) and the story row (the placement
# that changed the story wrote it after this fuse read it).
_STALE_WRITES = frozenset({"fusion_done", "put_story"})
# Writes kept whatever became of the story: encoded vectors (and cross-encoder logits), named by their
# text (or article span, or two texts), hold for any story; dropped, a text encoded here would be in
# this process's memory only, and a restart would encode it again.
_VECTOR_WRITES = frozenset({"put_sentence_vectors", "put_coref_vectors", "put_trigger_vectors",
                            "put_pair_logits"})


class ReadBack(Exception):
    """The fuse wrote something it reads again (see ``_READ_BACK``): fuse it inside a transaction."""


class DeferredWrites:
    """A view of ``store`` for one fuse: reads pass through, writes are recorded (:attr:`writes`)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.writes: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._store, name)
        if name in _READS or name.startswith("_") or not callable(found) or not hasattr(Store, name):
            return found
        if name in _READ_BACK:
            raise ReadBack(name)

        def record(*args: Any, **kwargs: Any) -> None:
            self.writes.append((name, args, kwargs))
        return record

    @property
    def in_transaction(self) -> bool:
        return True  # the fuse's own transaction is the one :func:`fuse_deferred` commits

    @contextmanager
    def transaction(self) -> Iterator[None]:
        yield  # the writes are recorded; fuse_deferred commits them in one transaction

    def lock(self, name: str) -> None:  # taken by the commit's transaction
        return None


T = TypeVar("T")
# runs a function (on some thread) and returns what it returned, raising what it raised
Compute = Callable[[Callable[[], Any]], Any]


def _here(fn: Callable[[], T]) -> T:
    return fn()


@dataclass(frozen=True, slots=True)
class Fused:
    """What :func:`fuse_deferred` did. ``deferred``: computed outside the write lock (False: fused
    inside one transaction instead, a read-back write). ``current``: the story still held what the
    fuse read when it committed, so its claims are current and it is unqueued; False: articles joined
    (or left) meanwhile, so the claims of the articles it read are stored and the story stays queued
    for its next refresh (a story merged away meanwhile gets nothing: the story it joined is queued).
    ``read``: the articles whose claims were stored."""

    deferred: bool
    current: bool
    read: tuple[str, ...]


def fuse_deferred(store: Store, story_id: str, cache: EntityCache,
                  fuse: Callable[[Any, str, EntityCache], None] = fuse_story,
                  compute: Compute | None = None) -> Fused:
    """Fuse ``story_id`` with its writes deferred to one short transaction, which also records the
    claims' state (``claims_state``: how many articles, when). ``compute`` runs the reads and the
    fuse (the watch's refresh process runs them on its idle thread: :mod:`.priority`); the
    transactions run on the calling thread, so no idle thread ever holds the write lock."""
    view = DeferredWrites(store)

    def reads_and_fuse() -> tuple[str, list[str]]:
        sid = queries.resolve_story_id(store, story_id)
        read = queries.story_article_ids(store, sid)
        fuse(view, story_id, cache)
        return sid, read

    try:
        sid, read = (compute or _here)(reads_and_fuse)
    except ReadBack:
        cache.clear()  # it may hold entities the dropped writes would have stored
        with store.transaction():
            _put_vectors(store, view)  # the fuse below finds them in memory and would not store them
            fuse(store, story_id, cache)
            sid = queries.resolve_story_id(store, story_id)
            read = queries.story_article_ids(store, sid)
            store.put_claims_state(sid, len(read), time.time())
        return Fused(False, True, tuple(read))
    try:
        with store.transaction():
            if queries.resolve_story_id(store, story_id) != sid:
                cache.clear()  # it holds entities of the writes dropped here
                _put_vectors(store, view)
                return Fused(True, False, ())  # merged away meanwhile: the story it joined is queued
            current = queries.story_article_ids(store, sid) == read
            for name, args, kwargs in view.writes:
                # changed meanwhile: the placement that changed it queued it again and wrote its
                # story row, which this fuse read before; both stay
                if current or name not in _STALE_WRITES:
                    getattr(store, name)(*args, **kwargs)
            store.put_claims_state(sid, len(read), time.time())
    except BaseException:
        cache.clear()  # it holds entities of the rolled-back writes
        raise
    return Fused(True, current, tuple(read))


def _put_vectors(store: Store, view: DeferredWrites) -> None:
    """The vector writes ``view`` recorded, done on ``store`` (``_VECTOR_WRITES``)."""
    for name, args, kwargs in view.writes:
        if name in _VECTOR_WRITES:
            getattr(store, name)(*args, **kwargs)
