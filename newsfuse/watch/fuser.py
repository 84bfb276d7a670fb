"""Placement and claim refreshes for the watch.

Placement (:func:`place_waiting`) puts analysed articles in their stories in one short transaction;
the watch runs it on its analysing thread right after a batch's analyses are stored, so an article
shows in its story within seconds. The story's entities, claims and timeline are then refreshed
behind it, one story at a time (:class:`FusionWork`), on a kept process of its own at a lower CPU
priority (:class:`FusionProcess`: its computation ``defaults.WATCH_REFRESH_NICE`` levels below the
watch or under ``SCHED_IDLE``, its short commits at the watch's own priority: :mod:`.priority`) or,
for tests and ``:memory:`` stores, on the calling thread.

Why a process: fusion is pure Python and costs about a core while articles arrive at 2/s; on the
watch process it shared one GIL with the polls, fetches, page extraction and placement, so all went
slower, and a thread's nice value cannot lower its share of the GIL. The fusion process loads the
sentence encoder once at start, keeps its own store connection and takes turns at the write lock
with the loop (:mod:`.turns`).

Why one story at a time: a 'fused' record is reported per story as soon as that story is stored,
so an article in a small story is not held until a huge story of the same batch is fused too, and
the caller (:mod:`.fusing`) chooses which waiting story goes next (:class:`StoryQueue`).

Why recycled: its caches are held to byte bounds (:mod:`.kept`), but the allocators keep what they
freed (pymalloc arenas pinned by a few live objects); past ``defaults.WATCH_REFRESH_RSS_LIMIT_MB``
after a refresh, :class:`FusionProcess` replaces the process between two refreshes: the caches are
exact, so the new one only warms them up again.

The work itself is the fuse stage's: placement as :func:`newsfuse.fuse.pipeline.fuse_stage` does it
and :func:`newsfuse.fuse.pipeline.fuse_story` per story, so whatever makes those cheaper (incremental
fusion) makes the watch faster with no change here.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import Any

from newsfuse import defaults
from newsfuse.errors import NotFoundError
from newsfuse.fuse.entities.resolve import EntityCache
from newsfuse.fuse.pipeline import fuse_story
from newsfuse.fuse.stories import assign as stories
from newsfuse.store import Store, queries
from newsfuse.watch import heap
from newsfuse.watch.bounds import bound_caches, give_back, one_heap, trim_memos
from newsfuse.watch.deferred import Compute, Fused, fuse_deferred
from newsfuse.watch.kept import Governor, refresh_caches
from newsfuse.watch.priority import idle_thread, policy_of
from newsfuse.watch.turns import PipelineStore, WriteTurns


@dataclass
class Placed:
    """A story queued for fusion after a placement: its current ID, the queued IDs it stands for
    (an ID merged away leads to it), the given articles now in it, and how many articles it holds."""

    story_id: str
    queued: list[str]
    articles: list[str] = field(default_factory=list)
    size: int = 0


def place_waiting(
    store: Store, article_ids: list[str], known: list[str], sweep: bool = False
) -> tuple[list[Placed], dict[str, str]]:
    """Put every analysed article that waits into a story (one short transaction); returns the
    stories the placement queued for fusion (with ``sweep``, every story queued in the store: what
    an earlier run left), with the given articles now in each, and where each of ``known`` (story
    IDs the caller holds) leads now (a placement may merge stories). The placement is what a reader
    sees first: the story list, the story's members and title; its claims are refreshed behind it
    (:class:`FusionWork`). Without ``sweep`` its cost does not grow with the stories waiting for a
    refresh (each was read here at every placement: hundreds under a burst)."""
    with store.transaction():
        store.lock("stories")  # placement reads and writes store-wide state: one writer at a time
        touched = stories.assign_articles(store, queries.articles_to_place(store))
        store.queue_fusion(touched)
        store.forget_placed()
    out: dict[str, Placed] = {}
    for queued in queries.pending_fusion_ids(store) if sweep else list(dict.fromkeys(touched)):
        sid = _leads_to(store, queued)
        out.setdefault(sid, Placed(sid, [])).queued.append(queued)
    for article_id in article_ids:
        placed_in = queries.story_of_article(store, article_id)
        if placed_in is not None:
            sid = _leads_to(store, placed_in)
            out.setdefault(sid, Placed(sid, [sid])).articles.append(article_id)
    for p in out.values():
        p.size = len(queries.story_article_ids(store, p.story_id))
    return list(out.values()), {k: _leads_to(store, k) for k in known}


@dataclass(frozen=True)
class Refreshed:
    """One story's claim refresh: when it was stored, whether the story still held what it read
    (False: articles joined meanwhile; the story stays queued: :class:`~.deferred.Fused`) and the
    articles whose claims it stored."""

    done_at: float
    current: bool
    read: tuple[str, ...]
    lock_wait_s: float = 0.0  # its transactions waited for the store's write lock (PipelineStore)
    lock_held_s: float = 0.0  # and held it
    # where the refresh process's resident memory sits (watch/heap.py, MB), every
    # defaults.WATCH_HEAP_REPORT_EVERY refreshes; None between
    heap: dict[str, float] | None = None
    rss_mb: float = 0.0  # the process's resident memory after this refresh (and its trim)
    cpu_s: float = 0.0  # the process's CPU seconds in this refresh
    nth: int = 0  # this refresh's number in its process (1: the first since the process started)
    # the process was recycled after this refresh (FusionProcess: past
    # defaults.WATCH_REFRESH_RSS_LIMIT_MB): restarts so far, the RSS that set it off, seconds the
    # new process took to start, its pids, CPU seconds of the processes retired so far
    restart: dict[str, Any] | None = None


class FusionWork:
    """Placement and per-story fusion (the claim refresh) on one store connection. One
    :class:`EntityCache` is shared by the stories refreshed in one round (the stories waiting when
    new placements came in, as the fuse stage shares one per run) and dropped at the next round, so
    it never grows with the watch."""

    def __init__(self, store: Store, deferred: bool = defaults.WATCH_DEFERRED_WRITES,
                 compute: Compute | None = None, kept_bytes: bool = True) -> None:
        self.store = store
        # the process's caches held to their byte bounds (watch/kept.py); False: their entry bounds only
        self.governor = Governor(refresh_caches()) if kept_bytes else None
        self.cache = EntityCache()
        self.deferred = deferred  # compute outside the write lock, write in one short transaction
        self.compute = compute  # where a deferred fuse's reads and compute run (None: this thread)
        self.in_transaction = 0  # fuses that had to run wholly inside their transaction (deferred.py)
        self.refreshes = 0  # fuses made (every WATCH_HEAP_REPORT_EVERY-th reports the heap)

    def place(self, article_ids: list[str], known: list[str],
              sweep: bool = False) -> tuple[list[Placed], dict[str, str]]:
        """:func:`place_waiting` on this connection, and a new round (entities read afresh)."""
        placed = place_waiting(self.store, article_ids, known, sweep)
        self.cache = EntityCache()
        return placed

    def fuse(self, story_id: str, queued: list[str], new_round: bool = False) -> Refreshed:
        """Fuse one story (and unqueue the IDs merged into it); ``new_round``: drop the entities
        kept since the last round first."""
        if new_round:
            self.cache = EntityCache()
        before = self.store.waits.copy() if isinstance(self.store, PipelineStore) else None
        cpu = time.process_time()
        try:
            if not self.deferred:
                with self.store.transaction():
                    fuse_story(self.store, story_id, self.cache)
                    sid = queries.resolve_story_id(self.store, story_id)
                    read = queries.story_article_ids(self.store, sid)
                    self.store.put_claims_state(sid, len(read), time.time())
                done = Fused(False, True, tuple(read))
            else:
                done = fuse_deferred(self.store, story_id, self.cache, compute=self.compute)
                self.in_transaction += not done.deferred
        finally:
            trim_memos()  # the fusion modules' memos kept small (see bounds.py)
            if self.governor is not None:  # its sizing on the computation's thread (a lower priority)
                (self.compute or _call)(self.governor.after_refresh)
            give_back()  # what the encoder's batch-shaped tensors freed (see bounds.py)
        rest = [q for q in queued if q != story_id]
        if rest:  # merged away into story_id, which is fused now: nothing left to do for them
            with self.store.transaction():
                self.store.fusion_done(dict.fromkeys(rest))
        waits = self.store.waits.since(before) if isinstance(self.store, PipelineStore) and before else {}
        figures = self._heap()
        return Refreshed(time.time(), done.current, done.read, waits.get("lock_wait_s", 0.0),
                         waits.get("lock_held_s", 0.0), figures,
                         heap.resident().get("rss", 0.0), time.process_time() - cpu, self.refreshes)

    def _heap(self) -> dict[str, float] | None:
        """This process's allocator figures (after the refresh's trim) every
        ``defaults.WATCH_HEAP_REPORT_EVERY`` refreshes, from the first: ~2 ms each."""
        every = defaults.WATCH_HEAP_REPORT_EVERY
        self.refreshes += 1
        return heap.figures() if every > 0 and (self.refreshes - 1) % every == 0 else None

    def close(self) -> None:
        self.store.close()


def _call(fn: Any) -> Any:
    return fn()


def _leads_to(store: Store, story_id: str) -> str:
    try:
        return queries.resolve_story_id(store, story_id)
    except NotFoundError:  # gone: its fuse reports it, and the placement of the others goes on
        return story_id


# -- the fusion process ------------------------------------------------------------------------

_WORK: list[FusionWork] = []  # in the fusion process: its one FusionWork, made by _start
_IDLE: list[ThreadPoolExecutor] = []  # in the fusion process: the thread refreshes compute on


def _start(url: str, turns: WriteTurns, threads: int, deferred: bool) -> None:
    """The fusion process's initializer: caches bounded for a long run, the encoder loaded, the
    store opened (taking turns with the loop's writes), the thread its refreshes compute on at a
    lower CPU priority (:mod:`.priority`); this thread, which commits, at the watch's own."""
    from newsfuse.watch.warm import ready_encoder

    # Ctrl-C reaches the whole process group: the watch process stops the fusion (after the story in
    # hand), this process must not die in the middle of it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # this thread commits: at the watch's own priority, so it never holds the store's write lock
    # while waiting for a core behind the analysis (the computation runs lower: idle_thread)
    one_heap()
    bound_caches()
    idle = ThreadPoolExecutor(1, thread_name_prefix="newsfuse-refresh", initializer=idle_thread)
    _IDLE.append(idle)
    ready_encoder(threads)  # loaded at this thread's priority: the watch waits for it to start
    idle.submit(ready_encoder, threads).result()  # torch's thread count holds per calling thread
    _WORK.append(FusionWork(PipelineStore(url, turns), deferred, _on_idle))


def _on_idle(fn: Any) -> Any:
    return _IDLE[0].submit(fn).result()


def _ready() -> bool:
    return True  # returns once the initializer (the encoder load) is done


def _policies() -> dict[str, str]:
    """How the fusion process's two threads are scheduled: 'compute' (the refreshes' reads and work)
    and 'commit' (its transactions)."""
    return {"compute": _IDLE[0].submit(policy_of).result(), "commit": policy_of()}


def _place(article_ids: list[str], known: list[str], sweep: bool) -> tuple[list[Placed], dict[str, str]]:
    return _WORK[0].place(article_ids, known, sweep)


def _fuse(story_id: str, queued: list[str], new_round: bool) -> Refreshed:
    return _WORK[0].fuse(story_id, queued, new_round)


def _cpu_total() -> float:
    return time.process_time()  # this process's CPU seconds since it started (read before it retires)


def _measured() -> dict[str, Any]:
    """After a collection and a trim (as after each refresh): where this process's memory sits
    (watch/heap.py) and its CPU seconds so far; for a benchmark's checkpoints."""
    import gc

    gc.collect()
    give_back()
    return {"heap_mb": heap.figures(), "cpu_s": time.process_time()}


class FusionProcess:
    """A kept process running :class:`FusionWork` for the watch: the same two calls, each waiting for
    its answer (the caller is the watch's fusing thread, which has nothing else to do meanwhile).
    A process that dies (killed, out of memory) is started again on the next call and the call
    raises: the story stays queued in the store and is fused in a later round.

    A process whose resident memory passed ``rss_limit_mb`` after a refresh is recycled before the
    refresh returns (:meth:`fuse`): the refresh is stored, the process exits cleanly and a new one
    starts (the encoder loaded again) for the next call, so the caller's queue goes on with nothing
    lost or done twice; what the old process's allocators held is given back to the system."""

    def __init__(self, url: str, turns: WriteTurns, threads: int = defaults.WATCH_ENCODER_THREADS,
                 deferred: bool = defaults.WATCH_DEFERRED_WRITES,
                 rss_limit_mb: float | None = None) -> None:
        self._args = (url, turns, threads, deferred)
        self._pool = self._new_pool()
        # read at each refresh when not given (a benchmark may scale the default down)
        self._limit = rss_limit_mb
        self.restarts = 0
        self.retired_cpu_s = 0.0  # CPU seconds of the processes recycled so far

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawned, not forked: a fork copies locks other threads hold (see loop._start_pipeline)
        return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start, initargs=self._args)

    def ready(self) -> None:
        """Wait until the process has loaded the encoder and opened the store."""
        self._call(_ready)

    def pids(self) -> list[int]:
        return list(getattr(self._pool, "_processes", None) or {})

    def policies(self) -> dict[str, str]:
        """How the process schedules its refreshes' computation and commits (``"SCHED_IDLE"``,
        ``"nice N"``)."""
        return self._call(_policies)  # type: ignore[no-any-return]

    def place(self, article_ids: list[str], known: list[str],
              sweep: bool = False) -> tuple[list[Placed], dict[str, str]]:
        return self._call(_place, article_ids, known, sweep)  # type: ignore[no-any-return]

    def fuse(self, story_id: str, queued: list[str], new_round: bool = False) -> Refreshed:
        """Refresh one story; past the RSS bound, recycle the process before returning (the story
        is stored by then: its record says so in ``restart``)."""
        done: Refreshed = self._call(_fuse, story_id, queued, new_round)
        limit = defaults.WATCH_REFRESH_RSS_LIMIT_MB if self._limit is None else self._limit
        if limit > 0 and done.rss_mb > limit and done.nth >= defaults.WATCH_REFRESH_RECYCLE_MIN:
            done = replace(done, restart=self.recycle(done.rss_mb))
        return done

    def recycle(self, rss_mb: float = 0.0) -> dict[str, Any]:
        """A fresh process in place of this one (between two calls: nothing in hand), ready to
        take the next call: what the restart cost and where the count stands."""
        started = time.perf_counter()
        self.retired_cpu_s += self._call(_cpu_total)
        self._pool.shutdown(wait=True)  # it exits cleanly: its store connection closed, nothing held
        self._pool = self._new_pool()
        self.ready()
        self.restarts += 1
        return {"restarts": self.restarts, "rss_mb": round(rss_mb, 1),
                "seconds": round(time.perf_counter() - started, 2), "pids": self.pids(),
                "retired_cpu_s": round(self.retired_cpu_s, 2)}

    def measured(self) -> dict[str, Any]:
        """The process's memory and CPU (:func:`_measured`), for a benchmark between two calls."""
        return self._call(_measured)  # type: ignore[no-any-return]

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _call(self, fn: Any, *args: Any) -> Any:
        try:
            return self._pool.submit(fn, *args).result()
        except BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            raise
