"""Turns at the store's write lock between the watch loop and its pipeline threads.

SQLite has one writer at a time. The fusing stage runs one transaction per story, back to back: when
one commits, it begins the next at once, while the loop, waiting on SQLite's busy handler, sleeps
between tries and wakes to find the lock taken again. On the loaded 2-core machine the loop's write
(a poll's new URLs, a fetched article) then waited out the whole busy timeout (10 s) four times in
an 80-article run, and every fetch behind it waited too. Here the loop says when it wants to write
(:meth:`WriteTurns.loop_writes`) and a pipeline store (:class:`PipelineStore`) lets it go first
before each transaction it begins, so the loop waits at most for the transaction in hand.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from newsfuse import defaults
from newsfuse.store import Store


class WriteTurns:
    """How many writes of the loop are waiting; pipeline transactions wait until there are none."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._waiting = 0

    @contextmanager
    def loop_writes(self) -> Iterator[None]:
        """Around a write of the loop: no pipeline transaction begins meanwhile."""
        with self._cond:
            self._waiting += 1
        try:
            yield
        finally:
            with self._cond:
                self._waiting -= 1
                self._cond.notify_all()

    def pipeline_turn(self) -> None:
        """Before a pipeline transaction: let the loop's waiting writes go first (at most
        ``defaults.WATCH_WRITE_TURN_WAIT_S``, so the pipeline never starves either)."""
        with self._cond:
            self._cond.wait_for(lambda: self._waiting == 0, timeout=defaults.WATCH_WRITE_TURN_WAIT_S)


class PipelineStore(Store):
    """A pipeline thread's connection: each outermost transaction waits for the loop's turn first
    (inside one it never waits: it holds the lock the loop is waiting for)."""

    def __init__(self, url: str, turns: WriteTurns) -> None:
        super().__init__(url)
        self._turns = turns

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if not self.in_transaction:
            self._turns.pipeline_turn()
        with super().transaction():
            yield
