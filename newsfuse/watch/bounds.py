"""Bound what grows in a watch's fusion process over a long run.

Two things made it grow (``bench/watch.py``: the watch process went 664 -> 1417 MB in 10 minutes
when it fused, +70 MB/min over the second half):

* **Freed memory that is never given back.** Each encoder call allocates tensors shaped by its
  batch (sentences x longest sentence), so every call asks for blocks of new sizes; glibc's
  allocator keeps what was freed in its heaps (and raises its mmap threshold after large frees, so
  later large blocks come from the heap too) and the heap only grows. Encoding batches of random
  sizes: RSS 568 -> 760 MB after 10 calls, 569 -> 977 MB after 50; with ``malloc_trim(0)`` after each
  call, 568 -> 579 MB after 10 (same host, same texts). The fusion process calls
  :func:`give_back` after each story it fuses (a few milliseconds).
* **Caches filling up.** The statements kept per article (``fuse/claims/cache.py``, 115-160 KB an
  article measured on PolNeAR texts) are bounded to ``defaults.CLAIM_CACHE_ARTICLES`` (2000: ~300
  MB), which a watch at 2 articles/s only reaches after 17 minutes, so memory rose for that long.
  The fusion process keeps ``defaults.WATCH_CLAIM_CACHE_ARTICLES`` instead: the articles of the
  stories being re-fused now, which is what the cache is for. Sentence vectors kept in memory
  (``CLAIM_VECTORS_KEPT_BYTES``, also kept in the store) and the coreference vectors
  (``COREF_VECTOR_CACHE``) are bounded in :mod:`newsfuse.defaults` for every process.

Two more, found with ``bench/watch.py``'s replay ``bench/watch_memory.py`` (glibc ``mallinfo2``,
tracemalloc and cache entries at checkpoints):

* **A fragmented heap.** ``malloc_trim`` returns only whole free pages; glibc's mmap threshold had
  risen after the encoder's large frees, so large blocks came from the heap and left holes that
  small live objects pinned: the free-but-held heap went 101 -> 186 MB over 140 replayed articles.
  The refresh process keeps one arena and maps blocks of ``defaults.WATCH_MMAP_THRESHOLD_BYTES`` or
  more on their own (:func:`one_heap`): held 1-2 MB, RSS ~150 MB lower at the same point.
* **Memos that fill for hundreds of articles.** The fusion modules' ``functools`` memos are bounded
  at 16,000-65,000 entries each; the refresh process clears one past ``defaults.WATCH_MEMOS_KEPT``
  after each refresh (:func:`trim_memos`).

Bounds in entries leave the bytes to the stories (an article's statements weigh 50-300 KB, a big
story's alignment several MB): :mod:`.kept` holds each cache of the refresh process to a byte bound.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from typing import Any

from newsfuse import defaults


def bound_caches() -> None:
    """Bound this process's per-article caches for a watch (the process that fuses calls it at
    start: the fusion process, or the watch process when it fuses on a thread): the statements and
    each article's last sentences (the boilerplate check's, which keep the article's text) to the
    articles of the stories being refreshed now."""
    from newsfuse.fuse.claims import cache, sources

    cache.CACHE.size = defaults.WATCH_CLAIM_CACHE_ARTICLES
    sources._EDGES.size = defaults.WATCH_CLAIM_CACHE_ARTICLES


def cache_counts() -> dict[str, int]:
    """Entries held now by every memo and cache of this process's newsfuse modules: each
    ``functools`` cache, each module-level OrderedDict (``_MEMORY``, ``_VECTORS``, ...), each
    bounded LRU (``SlotLRU``) and each per-object memo (``PerObject``), by ``module.name``. What grows in a
    long watch shows here as a count that keeps rising (the benchmark prints them at the end)."""
    import sys
    from collections import OrderedDict

    from newsfuse.fuse.claims.lru import PerObject, SlotLRU

    out: dict[str, int] = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("newsfuse.") or module is None:
            continue
        for attr, value in list(vars(module).items()):
            info = getattr(value, "cache_info", None)
            if callable(info) and getattr(value, "__module__", None) == name:
                out[f"{name}.{attr}"] = int(info().currsize)
            elif isinstance(value, (OrderedDict, SlotLRU, PerObject)):
                out[f"{name}.{attr}"] = len(value)
    return dict(sorted(out.items()))


def trim_memos(limit: int | None = None) -> int:
    """Clear each ``functools`` memo of this process's fusion modules (``newsfuse.fuse.*``) that holds
    more than ``limit`` (``defaults.WATCH_MEMOS_KEPT``) entries; returns the entries dropped. Those
    memos (words of a text, clause units of a sentence, name forms) are bounded at 16,000-65,000
    entries each, which a watch's refresh process fills only after hundreds of articles, so its
    memory rose for that long (``bench/watch_memory.py``); what a memo drops is recomputed when asked
    for again (text functions: microseconds)."""
    limit = defaults.WATCH_MEMOS_KEPT if limit is None else limit
    dropped = 0
    for memo in _fusion_memos():
        size = int(memo.cache_info().currsize)
        if size > limit:
            memo.cache_clear()
            dropped += size
    return dropped


def _fusion_memos() -> list[Any]:
    """The ``functools`` memos of the fusion modules loaded now, except one-entry loaders (models).
    Found once per set of loaded modules: the scan of every module's names, run after each refresh,
    cost ~1% of a refresh's CPU, and the memos are module attributes made at import."""
    import sys

    loaded = (len(sys.modules), next(reversed(sys.modules), ""))  # changes when a module is imported
    if _MEMOS_FOUND and _MEMOS_FOUND[0][0] == loaded:
        return _MEMOS_FOUND[0][1]
    out = _scan_memos()
    _MEMOS_FOUND[:] = [(loaded, out)]
    return out


# (the loaded modules' count and newest name when scanned, the memos found then)
_MEMOS_FOUND: list[tuple[tuple[int, str], list[Any]]] = []


def _scan_memos() -> list[Any]:
    import sys

    out = []
    for name, module in list(sys.modules.items()):
        if not name.startswith("newsfuse.fuse.") or module is None:
            continue
        for value in list(vars(module).values()):
            info = getattr(value, "cache_info", None)
            if callable(info) and getattr(value, "__module__", None) == name and (info().maxsize or 2) > 1:
                out.append(value)
    return out


_M_ARENA_MAX = -8  # mallopt parameters (glibc's malloc.h)
_M_MMAP_THRESHOLD = -3


def one_heap() -> bool:
    """This process's C heap kept compact for a long run (glibc; False elsewhere: nothing done):
    one arena (``defaults.WATCH_REFRESH_ARENAS``: the refresh process's two threads never allocate at
    once, and each thread's own arena kept its own freed blocks) and blocks of
    ``defaults.WATCH_MMAP_THRESHOLD_BYTES`` or more mapped on their own, so they go back to the system
    when freed (glibc raises its threshold after large frees, and the encoder's batch-shaped tensors
    then fragment the heap). Called by the refresh process at start, before its second thread."""
    libc = _libc()
    if libc is None or not hasattr(libc, "mallopt"):
        return False
    if defaults.WATCH_REFRESH_ARENAS > 0:
        libc.mallopt(_M_ARENA_MAX, defaults.WATCH_REFRESH_ARENAS)
    if defaults.WATCH_MMAP_THRESHOLD_BYTES > 0:
        libc.mallopt(_M_MMAP_THRESHOLD, defaults.WATCH_MMAP_THRESHOLD_BYTES)
    return True


def give_back() -> bool:
    """Return the freed memory at the top and inside glibc's heaps to the system; False where the C
    library has no ``malloc_trim`` (not glibc): there is nothing to do then."""
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True


@functools.lru_cache(maxsize=1)
def _libc() -> Any:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None
