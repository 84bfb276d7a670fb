"""Storage: :class:`Store` writes, :mod:`newsfuse.store.queries` reads."""

from newsfuse.store.store import Store

__all__ = ["Store"]
