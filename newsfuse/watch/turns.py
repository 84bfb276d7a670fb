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
from dataclasses import dataclass, replace
from typing import Any

from newsfuse import defaults
from newsfuse.errors import StoreBusyError
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


@dataclass
class LockWaits:
    """Seconds a pipeline connection's transactions spent, summed: letting the loop's writes go
    first (``turn_s``), waiting for the store's write lock (``lock_s``: another connection held it)
    and holding it (``held_s``); ``longest_lock_s`` is the longest single wait."""

    transactions: int = 0
    turn_s: float = 0.0
    lock_s: float = 0.0
    held_s: float = 0.0
    longest_lock_s: float = 0.0

    def since(self, before: LockWaits) -> dict[str, float]:
        """What was added after ``before`` (a :meth:`copy`), rounded, for an event."""
        return {"transactions": self.transactions - before.transactions,
                "turn_wait_s": round(self.turn_s - before.turn_s, 4),
                "lock_wait_s": round(self.lock_s - before.lock_s, 4),
                "lock_held_s": round(self.held_s - before.held_s, 4)}

    def copy(self) -> LockWaits:
        return replace(self)


class PipelineStore(Store):
    """A pipeline thread's (or the fusion process's) connection: each outermost transaction waits
    for the loop's turn first (inside one it never waits: it holds the lock the loop is waiting for).
    ``waits`` sums how long its transactions waited and held the lock (:class:`LockWaits`)."""

    def __init__(self, url: str, turns: WriteTurns) -> None:
        super().__init__(url)
        self._turns = turns
        self.waits = LockWaits()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self.in_transaction:
            with super().transaction():
                yield
            return
        asked = time.perf_counter()
        self._turns.pipeline_turn()
        turn = time.perf_counter()
        begun: float | None = None
        try:
            with super().transaction():
                begun = time.perf_counter()
                try:
                    yield
                finally:
                    self._count(asked, turn, begun)
        except StoreBusyError:
            if begun is None:  # it waited the whole busy timeout and never got the lock
                self._count(asked, turn, time.perf_counter(), held=False)
            raise

    def _count(self, asked: float, turn: float, got: float, held: bool = True) -> None:
        w = self.waits
        w.transactions += 1
        w.turn_s += turn - asked
        w.lock_s += got - turn
        w.longest_lock_s = max(w.longest_lock_s, got - turn)
        if held:
            w.held_s += time.perf_counter() - got  # up to the commit's start (the commit is short)
