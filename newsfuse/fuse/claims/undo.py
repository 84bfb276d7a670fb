"""A journal of the writes a greedy pass makes after a position, so its state can go back there.

A story's kept chains and groups (:mod:`~newsfuse.fuse.claims.resume`) are the greedy passes over its
statements in canonical order. When a re-fuse's statements differ from the last fuse's only after
some position (an undated article whose estimated date moved with the add re-sorts near the end),
the state at that position plus the rest is what aligning all of them again gives: the writes made
after it are undone, newest first, and the passes go on from there. Only writes after
:attr:`Undo.start` are kept (the journal of a whole story would cost more than aligning it again).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, MutableMapping
from typing import Any

_MISSING = object()


def _restore(d: MutableMapping[Any, Any], key: Hashable, old: object) -> None:
    if old is _MISSING:
        del d[key]
    else:
        d[key] = old


def _pop(items: list[Any], _: object, __: object) -> None:
    items.pop()


def _discard(found: set[Any], x: object, _: object) -> None:
    found.discard(x)


def _add(found: set[Any], x: object, _: object) -> None:
    found.add(x)


def _set_item(items: list[Any], n: int, old: object) -> None:
    items[n] = old


class Undo:
    """Undo records of the writes made while statements at positions ``start`` on were taken:
    :meth:`mark` before each statement, :meth:`back_to` a position at or after ``start``."""

    __slots__ = ("log", "marks", "start")

    def __init__(self, start: int) -> None:
        self.start = start
        self.log: list[tuple[Callable[..., None], Any, Any, Any]] = []
        self.marks: list[int] = []  # the log's length before each statement from ``start`` on

    def mark(self) -> None:
        self.marks.append(len(self.log))

    def covers(self, position: int) -> bool:
        """Whether the state can go back to ``position`` (the statements before it kept)."""
        return self.start <= position <= self.start + len(self.marks)

    def back_to(self, position: int) -> None:
        """Undo every write made from the statement at ``position`` on (newest first)."""
        taken = position - self.start
        n = self.marks[taken] if taken < len(self.marks) else len(self.log)
        log = self.log
        for fn, a, b, c in reversed(log[n:]):
            fn(a, b, c)
        del log[n:]
        del self.marks[taken:]

    def trim(self, start: int) -> None:
        """Forget the records of statements before ``start`` (they will not be gone back over)."""
        if start <= self.start:
            return
        taken = min(start - self.start, len(self.marks))
        n = self.marks[taken] if taken < len(self.marks) else len(self.log)
        del self.log[:n]
        self.marks = [m - n for m in self.marks[taken:]]
        self.start = start

    def __len__(self) -> int:
        return len(self.log)

    # -- the writes ------------------------------------------------------------------------------

    def put(self, d: MutableMapping[Any, Any], key: Hashable, value: object) -> None:
        self.log.append((_restore, d, key, d.get(key, _MISSING)))
        d[key] = value

    def pop(self, d: MutableMapping[Any, Any], key: Hashable) -> Any:
        """``d.pop(key)``; undone, the key comes back last in the dict's order (callers read such a
        dict by key only: the chains by root)."""
        value = d.pop(key)
        self.log.append((_restore, d, key, value))
        return value

    def append(self, items: list[Any], value: object) -> None:
        items.append(value)
        self.log.append((_pop, items, None, None))

    def set_at(self, items: list[Any], n: int, value: object) -> None:
        self.log.append((_set_item, items, n, items[n]))
        items[n] = value

    def add(self, found: set[Any], x: object) -> None:
        if x not in found:
            found.add(x)
            self.log.append((_discard, found, x, None))

    def discard(self, found: set[Any], x: object) -> None:
        if x in found:
            found.discard(x)
            self.log.append((_add, found, x, None))

    def attr(self, obj: object, name: str, value: object) -> None:
        self.log.append((setattr, obj, name, getattr(obj, name)))
        setattr(obj, name, value)
