"""Analyse and fuse what the watch stored, on a thread of its own with its own store connection, so
polls and fetches go on while a batch is analysed (the loop never waits for the pipeline).

The loop hands over article IDs with :meth:`Fusing.submit`; the thread takes what is waiting, up to
``defaults.WATCH_BATCH_ARTICLES``, as one batch (each touched story is fused once per batch) and
reports each batch as a record the loop reads with :meth:`Fusing.results` and turns into a 'fused'
(or 'pipeline_error') event. A batch that fails leaves its articles stored; they are fused when the
watch next starts.
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


def fuse_batch(store: Store, article_ids: list[str], pool: Any = None) -> Result:
    """Analyse and fuse ``article_ids`` (and anything else not analysed yet) in ``store``; the record
    says what happened: event 'fused' with stories and timings, or 'pipeline_error'."""
    ctx = RunContext(stored=article_ids, pool=pool)
    timings: dict[str, float] = {}
    try:
        for stage in ("analyze", "fuse"):
            started = time.perf_counter()
            run(store, ctx, [stage])
            timings[f"{stage}_s"] = round(time.perf_counter() - started, 3)
    except (NewsfuseError, ValueError, RuntimeError, MemoryError, KeyError) as exc:
        return {"event": "pipeline_error", "error": f"{type(exc).__name__}: {exc}", "articles": article_ids}
    return {"event": "fused", "articles": article_ids, "stories": list(ctx.stories),
            "done_at": time.time(), **timings}


class Fusing:
    """The pipeline thread. ``open_store`` makes its own connection (SQLite allows one connection per
    thread at a time; WAL lets the loop's connection write between the thread's transactions)."""

    def __init__(self, open_store: Callable[[], Store], pool: Any = None,
                 batch: int = defaults.WATCH_BATCH_ARTICLES) -> None:
        self._open_store = open_store
        self._pool = pool
        self._batch = max(1, batch)
        self._inbox: queue.Queue[list[str] | None] = queue.Queue()
        self._outbox: queue.Queue[Result] = queue.Queue()
        self._pending = 0  # articles handed over and not yet reported
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="newsfuse-fuse", daemon=True)

    def start(self) -> Fusing:
        self._thread.start()
        return self

    def submit(self, article_ids: list[str]) -> None:
        with self._lock:
            self._pending += len(article_ids)
        self._inbox.put(list(article_ids))

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
        """Finish the batch in hand (what is still waiting is fused at the next start), then stop."""
        self._inbox.put(None)
        self._thread.join()

    def _run(self) -> None:
        store = self._open_store()
        waiting: list[str] = []
        stop = False
        try:
            while not stop or waiting:
                if not waiting and not stop:
                    got = self._inbox.get()  # sleep until there is work
                    if got is None:
                        return
                    waiting += got
                while not stop:  # everything handed over meanwhile waits its turn here
                    try:
                        more = self._inbox.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        stop = True  # finish the batch in hand only; the rest is fused at next start
                    else:
                        waiting += more
                batch, waiting = waiting[: self._batch], waiting[self._batch :]
                result = fuse_batch(store, batch, self._pool)
                with self._lock:
                    self._pending -= len(batch)
                self._outbox.put(result)
                if stop:
                    return
        finally:
            store.close()
