"""Turns at the store's write lock between the watch loop and its pipeline (threads or the fusion process).

SQLite has one writer at a time. The fusing stage runs one transaction per story, back to back: when
one commits, it begins the next at once, while the loop, waiting on SQLite's busy handler, sleeps
between tries and wakes to find the lock taken again. On the loaded 2-core machine the loop's write
(a poll's new URLs, a fetched article) then waited out the whole busy timeout (10 s) four times in
an 80-article run, and every fetch behind it waited too. Here the loop says when it wants to write
(:meth:`WriteTurns.loop_writes`) and a pipeline store (:class:`PipelineStore`) lets it go first
before each transaction it begins, so the loop waits at most for the transaction in hand.

With ``shared=True`` the count of waiting loop writes is a shared integer (``multiprocessing.Value``),
so the same turns hold for fusion running on a process of its own (:mod:`.fuser`): the object is
handed to that process when it starts. A pipeline transaction looks at the count every
``WATCH_TURN_POLL_S`` while it waits.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from newsfuse import defaults
from newsfuse.store import Store


class WriteTurns:
    """How many writes of the loop are waiting; pipeline transactions wait until there are none."""

    def __init__(self, shared: bool = False) -> None:
        # shared: a value that can be handed to a spawned process (the fusion process) at its start;
        # else a plain counter (a shared one costs a semaphore and multiprocessing's tracker process)
        self._waiting: Any = multiprocessing.get_context("spawn").Value("i", 0) if shared else _Counter()

    @contextmanager
    def loop_writes(self) -> Iterator[None]:
        """Around a write of the loop: no pipeline transaction begins meanwhile."""
        with self._waiting.get_lock():
            self._waiting.value += 1
        try:
            yield
        finally:
            with self._waiting.get_lock():
                self._waiting.value -= 1

    @property
    def waiting(self) -> int:
        return int(self._waiting.value)

    def pipeline_turn(self) -> None:
        """Before a pipeline transaction: let the loop's waiting writes go first (at most
        ``defaults.WATCH_WRITE_TURN_WAIT_S``, so the pipeline never starves either)."""
        deadline = time.monotonic() + defaults.WATCH_WRITE_TURN_WAIT_S
        while self._waiting.value > 0 and time.monotonic() < deadline:
            time.sleep(defaults.WATCH_TURN_POLL_S)


class _Counter:
    """What the turns use of a ``multiprocessing.Value``, for one process."""

    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def get_lock(self) -> threading.Lock:
        return self._lock


class PipelineStore(Store):
    """A pipeline thread's (or the fusion process's) connection: each outermost transaction waits
    for the loop's turn first (inside one it never waits: it holds the lock the loop is waiting for)."""

    def __init__(self, url: str, turns: WriteTurns) -> None:
        super().__init__(url)
        self._turns = turns

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if not self.in_transaction:
            self._turns.pipeline_turn()
        with super().transaction():
            yield
