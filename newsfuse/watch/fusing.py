"""Analyse and fuse what the watch stored, on threads of their own, pipelined, so polls and fetches
never wait for a batch and a batch being fused never holds up the analysis of the next.

Two stages, each a thread with its own store connection and inbox:

    loop --submit--> analysing (spaCy, on the kept analysis process) --> fusing (stories, claims)

The analysing stage takes what is waiting, up to ``defaults.WATCH_BATCH_ARTICLES`` articles, as one
micro-batch; the fusing stage takes every analysed batch waiting and places and fuses them in one
``fuse`` call, so each touched story is fused once for all of them (when fusion falls behind, its
batches grow instead of its queue). While one batch is fused the next is being parsed on the other
core. Each batch is reported as records the loop reads with :meth:`Fusing.results` and turns into
events: 'analysed', then 'fused' (or 'pipeline_error'). A batch that fails leaves its articles
stored; the next batch's stages pick them up (both stages work from what the store says is
stale), and a restart catches up what a stopped watch left.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from newsfuse import defaults
from newsfuse.context import RunContext
from newsfuse.errors import NewsfuseError
from newsfuse.pipeline import run
from newsfuse.store import Store

Result = dict[str, Any]
_FAILURES = (NewsfuseError, ValueError, RuntimeError, MemoryError, KeyError)


def analyse_batch(store: Store, article_ids: list[str], pool: Any = None) -> Result:
    """Analyse ``article_ids`` (and anything else not analysed yet): event 'analysed' or
    'pipeline_error'."""
    return _stage(store, article_ids, "analyze", RunContext(stored=article_ids, pool=pool), "analysed")


def fuse_analysed(store: Store, article_ids: list[str]) -> Result:
    """Place every analysed article in no story and fuse the stories touched: event 'fused' (with
    the stories and ``done_at``) or 'pipeline_error'."""
    ctx = RunContext(stored=article_ids)
    result = _stage(store, article_ids, "fuse", ctx, "fused")
    if result["event"] == "fused":
        result.update(stories=list(ctx.stories), done_at=time.time())
    return result


def fuse_batch(store: Store, article_ids: list[str], pool: Any = None) -> Result:
    """Both stages in turn on this thread (a ``:memory:`` store, which another connection cannot see):
    event 'fused' with stories and timings, or 'pipeline_error'."""
    analysed = analyse_batch(store, article_ids, pool)
    if analysed["event"] != "analysed":
        return analysed
    fused = fuse_analysed(store, article_ids)
    return {**fused, "analyze_s": analysed["analyze_s"]} if fused["event"] == "fused" else fused


def _stage(store: Store, article_ids: list[str], stage: str, ctx: RunContext, event: str) -> Result:
    started = time.perf_counter()
    try:
        run(store, ctx, [stage])
    except _FAILURES as exc:
        return {"event": "pipeline_error", "error": f"{type(exc).__name__}: {exc}", "articles": article_ids}
    return {"event": event, "articles": article_ids, f"{stage}_s": round(time.perf_counter() - started, 3)}


class _Stage:
    """A thread that takes the article IDs waiting in its inbox (at most ``cap`` at a time, in the
    order handed over), runs ``work(store, ids)`` on its own store connection and hands each result
    to ``done``. :meth:`close` finishes the batch in hand; what still waits is left to the store."""

    def __init__(self, name: str, open_store: Callable[[], Store], work: Callable[[Store, list[str]], Result],
                 done: Callable[[Result], None], cap: int | None = None) -> None:
        self._open_store = open_store
        self._work = work
        self._done = done
        self._cap = cap
        self._inbox: queue.Queue[list[str] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> _Stage:
        self._thread.start()
        return self

    def submit(self, article_ids: list[str]) -> None:
        self._inbox.put(list(article_ids))

    def close(self) -> None:
        self._inbox.put(None)
        self._thread.join()

    def _run(self) -> None:
        store = self._open_store()
        waiting: list[str] = []
        stop = False
        try:
            while not stop:
                if not waiting:
                    got = self._inbox.get()  # sleep until there is work
                    if got is None:
                        return
                    waiting += got
                while True:  # everything handed over meanwhile joins this batch (up to the cap)
                    try:
                        more = self._inbox.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        stop = True  # finish the batch in hand only; the rest is fused at next start
                        break
                    waiting += more
                cap = len(waiting) if self._cap is None else self._cap
                batch, waiting = waiting[:cap], waiting[cap:]
                self._done(self._work(store, batch))
        finally:
            store.close()


class Fusing:
    """The pipeline: :meth:`submit` stored article IDs, read records with :meth:`results`. Each stage
    makes its own connection with ``open_store`` (SQLite allows one connection per thread at a time;
    WAL lets the others write between a stage's transactions). ``pool``: the kept analysis pool."""

    def __init__(self, open_store: Callable[[], Store], pool: Any = None,
                 batch: int = defaults.WATCH_BATCH_ARTICLES) -> None:
        self._outbox: queue.Queue[Result] = queue.Queue()
        self._pending = 0  # articles handed over and not yet reported
        self._lock = threading.Lock()
        self._fusing = _Stage("newsfuse-fuse", open_store, fuse_analysed, self._report)
        self._analysing = _Stage("newsfuse-analyse", open_store, lambda s, ids: analyse_batch(s, ids, pool),
                                 self._analysed, cap=max(1, batch))

    def start(self) -> Fusing:
        self._fusing.start()
        self._analysing.start()
        return self

    def submit(self, article_ids: list[str]) -> None:
        with self._lock:
            self._pending += len(article_ids)
        self._analysing.submit(article_ids)

    @property
    def pending(self) -> int:
        with self._lock:
            return self._pending

    def results(self) -> list[Result]:
        out = []
        while True:
            try:
                out.append(self._outbox.get_nowait())
            except queue.Empty:
                return out

    def close(self) -> None:
        """Finish the batches in hand (what still waits is fused at the next start), then stop."""
        self._analysing.close()  # its batch in hand goes on to fusion, which closes after it
        self._fusing.close()

    def _analysed(self, result: Result) -> None:
        if result["event"] == "analysed":
            self._outbox.put(result)  # an 'analysed' event: operators (and the benchmark) see the stage
            self._fusing.submit(result["articles"])
        else:
            self._report(result)

    def _report(self, result: Result) -> None:
        with self._lock:
            self._pending -= len(result["articles"])
        self._outbox.put(result)
