"""One Store per server thread.

FastAPI runs plain ``def`` endpoints in a thread pool. A database connection (and the Store's
transaction depth) must not be shared between threads, so each thread opens its own Store on first
use; all are closed when the app shuts down. ``:memory:`` is one database per connection, so there
the threads share a single Store behind a lock instead.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from newsfuse.store import Store


class StoreProvider:
    def __init__(self, url: str) -> None:
        self.url = url
        self._local = threading.local()
        self._all: list[Store] = []
        self._lock = threading.Lock()
        first = Store(url)  # migrates once, here, so request threads open without migrating
        self._all.append(first)
        self._shared = first if url == ":memory:" else None
        self._local.store = first

    @contextmanager
    def session(self) -> Iterator[Store]:
        """The calling thread's Store (or the shared in-memory one, serialised by a lock)."""
        if self._shared is not None:
            with self._lock:
                yield self._shared
            return
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.url, migrate=False)
            self._local.store = store
            with self._lock:
                self._all.append(store)
        yield store

    def close(self) -> None:
        with self._lock:
            for store in self._all:
                # A connection owned by another thread may refuse: the process ends anyway.
                with contextlib.suppress(Exception):
                    store.close()
            self._all.clear()
