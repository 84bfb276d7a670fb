"""A pool of Stores for the server: each request has a connection of its own.

FastAPI runs plain ``def`` endpoints and their dependencies in a thread pool, and not always in the
same thread: a Store kept per thread was used by two requests at once ("cannot start a transaction
within a transaction"). So a request checks a Store out of the pool for its whole life and gives it
back at the end; at most ``defaults.SERVE_POOL_SIZE`` are open. A request that finds every Store
taken waits ``defaults.SERVE_POOL_WAIT_S`` and then gets :class:`StoreBusyError` (HTTP 503 with
Retry-After). ``:memory:`` is one database per connection, so there the pool holds one Store.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from newsfuse import defaults
from newsfuse.errors import StoreBusyError
from newsfuse.store import Store


class StoreProvider:
    def __init__(self, url: str, size: int | None = None) -> None:
        self.url = url
        self.size = 1 if url == ":memory:" else (size or defaults.SERVE_POOL_SIZE)
        self._free: queue.LifoQueue[Store] = queue.LifoQueue()
        self._all: list[Store] = []
        self._lock = threading.Lock()
        first = Store(url)  # migrates once, here, so the pool's other Stores open without migrating
        self._all.append(first)
        self._free.put(first)

    @contextmanager
    def session(self) -> Iterator[Store]:
        """A Store for the caller alone until the block ends."""
        store = self._checkout()
        try:
            yield store
        finally:
            self._free.put(store)

    def _checkout(self) -> Store:
        with contextlib.suppress(queue.Empty):
            return self._free.get_nowait()
        with self._lock:
            if len(self._all) < self.size:
                store = Store(self.url, migrate=False)
                self._all.append(store)
                return store
        try:
            return self._free.get(timeout=defaults.SERVE_POOL_WAIT_S)
        except queue.Empty:
            raise StoreBusyError(f"all {self.size} database connections stayed in use for "
                                 f"{defaults.SERVE_POOL_WAIT_S:g} s; try again") from None

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                with contextlib.suppress(Exception):  # the process ends anyway
                    store.close()
            self._all.clear()
