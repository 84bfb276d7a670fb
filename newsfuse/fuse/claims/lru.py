"""A bounded, thread-safe least-recently-used memo: what fusion keeps between fuses of one process
(:mod:`~newsfuse.fuse.claims.cache`: each article's statements; :mod:`~newsfuse.fuse.claims.pairs`:
the matcher's decision on each sentence pair).

Entries live in *slots*: a value is found only under the key it was built for, and a new key for a
slot replaces the old entry instead of sitting beside it (an article's statements rebuilt after its
story changed). Without a slot the key is its own slot.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class SlotLRU(Generic[V]):
    """``size`` slots at most (0 or less: nothing kept), least recently used dropped first; ``hits``
    and ``misses`` count lookups since the last :meth:`clear`."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, tuple[Hashable, V]] = OrderedDict()  # slot -> (key, value)
        self._lock = threading.Lock()  # the API may fuse from several threads
        self.hits = self.misses = 0

    def get(self, key: Hashable, build: Callable[[], V], slot: Hashable | None = None) -> V:
        """The value kept for ``key``, else ``build()`` (kept in ``slot``)."""
        if self.size <= 0:
            return build()
        slot = key if slot is None else slot
        with self._lock:
            found = self._items.get(slot)
            if found is not None and found[0] == key:
                if found[0] is not key:
                    # kept under the key of now: an equal old key (an analysis the analyses cache
                    # dropped and re-read) would keep that old object alive beside the new one
                    self._items[slot] = (key, found[1])
                self._items.move_to_end(slot)
                self.hits += 1
                return found[1]
        value = build()  # outside the lock: building may take long, and two threads may both build
        with self._lock:
            self.misses += 1
            self._items[slot] = (key, value)
            self._items.move_to_end(slot)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0


T = TypeVar("T")


class PerObject(Generic[T, V]):
    """What a pure function gives for one object, kept under that object's identity: a story re-fused
    after one new article passes the same kept statements (:mod:`~newsfuse.fuse.claims.cache`) through
    its passes again, and hashing a statement by value would cost more than what is kept. An object
    that takes weak references (a statement) is kept by one, so its entry goes when the object does:
    a memo holds no statement the statements cache has dropped (held strongly, 25,000 of them and
    their analyses stayed alive past every byte bound of a watch's refresh process); any other
    object is kept with its value (so its identity cannot be reused while kept). Either is checked on
    lookup; at ``size`` entries everything is dropped at once (0 or less: nothing kept; a function:
    the bound it returns now, to follow another memo's bound)."""

    def __init__(self, size: int | Callable[[], int], make: Callable[[T], V] | None = None) -> None:
        self.size, self._make = size, make
        self._items: dict[int, tuple[Callable[[], T | None], V]] = {}

    def __call__(self, obj: T) -> V:
        make = self._make
        if make is None:
            raise TypeError("a PerObject made without a function is read with get()")
        return self.get(obj, lambda: make(obj))

    def get(self, obj: T, build: Callable[[], V], valid: Callable[[V], bool] | None = None) -> V:
        """The value kept for ``obj`` (when ``valid`` says it still holds), else ``build()``, kept."""
        found = self._items.get(id(obj))
        if found is not None and found[0]() is obj and (valid is None or valid(found[1])):
            return found[1]
        value = build()
        bound = self.size() if callable(self.size) else self.size
        if bound > 0:
            if len(self._items) >= bound:
                self._items = {}  # a new dict, not clear(): another thread may be reading the old one
            self._items[id(obj)] = (self._ref(obj), value)
        return value

    def _ref(self, obj: T) -> Callable[[], T | None]:
        """A weak reference to ``obj`` whose end drops its entry, else a strong one."""
        key = id(obj)

        def gone(ref: weakref.ref[Any]) -> None:  # runs as obj is freed, before its id can be reused
            # (read through self, not the dict of now: a dict dropped at the bound is then freed at once)
            found = self._items.get(key)
            if found is not None and found[0] is ref:
                self._items.pop(key, None)

        try:
            return weakref.ref(obj, gone)
        except TypeError:  # a slotted record (an analysis) takes no weak reference
            return lambda: obj

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        self._items = {}
