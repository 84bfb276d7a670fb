"""A story's analyses as the fuse stage reads them: parsed once per process, read again only when changed.

Re-fusing a story of 500 articles after one joined read and parsed all 500 analyses (tens of
thousands of stored records), though 499 were the ones its last fuse read. The store keeps a digest
of each stored analysis (migration 24, ``Store.put_analysis``); :class:`KeptAnalyses` keeps the
parsed analyses of recently fused articles with the digest they were read under, and a read asks
the store only for the story's digests (one short row per article), then parses only the articles
whose digest changed or that it does not hold. Equal digests mean equal stored rows, so a kept
analysis is exactly what reading it again gives (the same object, which lets the per-article
caches after it, :mod:`~newsfuse.fuse.claims.cache` and the entity mention groups, compare it by
identity). A rolled-back re-analysis leaves the old digest in the store, so the kept copy of the
rolled-back one no longer matches and is read again. An analysis stored before migration 24 has no
digest and is read every time until it is analysed again.

Kept for ``defaults.FUSE_ANALYSES_KEPT`` articles per process, least recently used dropped first; by
default as many as the claim cache keeps (:data:`~newsfuse.fuse.claims.cache.CACHE`, bounded lower in
a watch), whose keys already hold the same analysis objects, so keeping them costs little more memory.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from newsfuse import defaults
from newsfuse.fuse.claims import cache as claimcache
from newsfuse.models import Analysis
from newsfuse.store import queries

if TYPE_CHECKING:
    from newsfuse.store import Store


class KeptAnalyses:
    """Parsed analyses by article ID with the digest they were stored under (``size`` at most, None:
    as many as the claim cache keeps; 0 or less: none kept). ``kept`` and ``read`` count the analyses
    served from memory and from the store since the last :meth:`clear`."""

    def __init__(self, size: int | None) -> None:
        self.size = size
        self._items: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()  # the API may fuse from several threads
        self.kept = self.read = 0

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.kept = self.read = 0

    def __len__(self) -> int:
        return len(self._items)

    def limit(self) -> int:
        return self.size if self.size is not None else claimcache.CACHE.size

    def get(self, store: Store, article_ids: Sequence[str]) -> dict[str, Analysis]:
        """article_id -> Analysis for ``article_ids`` (what :func:`queries.get_analyses` returns: an
        article never analysed gets empty records), reading from the store only what changed."""
        limit = self.limit()
        if limit <= 0:
            return queries.get_analyses(store, list(article_ids))
        digests = queries.analysis_digests(store, list(article_ids))
        out: dict[str, Analysis] = {}
        with self._lock:
            for aid in article_ids:
                found = self._items.get(aid)
                digest = digests.get(aid)
                if found is not None and digest is not None and found.digest == digest:
                    self._items.move_to_end(aid)
                    out[aid] = found.analysis
        missing = [a for a in dict.fromkeys(article_ids) if a not in out]
        fresh = queries.get_analyses(store, missing) if missing else {}
        with self._lock:
            self.kept += len(out)
            self.read += len(fresh)
            for aid, analysis in fresh.items():
                digest = digests.get(aid)
                if digest is not None:
                    self._items[aid] = _Entry(digest, analysis)
                    self._items.move_to_end(aid)
                else:
                    self._items.pop(aid, None)
            while len(self._items) > limit:
                self._items.popitem(last=False)
        out.update(fresh)
        return {a: out[a] for a in dict.fromkeys(article_ids)}

    def derived(self, analysis: Analysis, what: str, build: Callable[[], Any]) -> Any:
        """What ``build()`` derives from ``analysis`` alone, kept beside it while it is kept (and
        only for the very object kept: a caller's own analysis is built from every time)."""
        with self._lock:
            entry = self._items.get(analysis.article_id)
            if entry is None or entry.analysis is not analysis:
                entry = None
            elif what in entry.derived:
                return entry.derived[what]
        value = build()
        if entry is not None:
            with self._lock:
                entry.derived[what] = value
        return value


@dataclass
class _Entry:
    digest: str
    analysis: Analysis
    derived: dict[str, Any] = field(default_factory=dict)  # what: value derived from the analysis alone


ANALYSES = KeptAnalyses(defaults.FUSE_ANALYSES_KEPT)
