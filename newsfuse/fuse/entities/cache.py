"""What entity resolution needs of store-wide entities (:class:`EntityCache`), kept across the
stories of one fuse run and updated by delta on the run's own writes.

Kept apart from the resolution of one story (:mod:`newsfuse.fuse.entities.resolve`): this is the only
entity module that reads the store in bulk and follows its writes.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Sequence

from newsfuse.fuse.entities.names import NameGroup
from newsfuse.models import Entity, EntityLink
from newsfuse.store import Store, queries


class EntityCache:
    """What resolution needs of store-wide entities, kept across the stories of one fuse run.

    Fusing a story folds in what other stories' articles give each of its entities: their articles
    (in ID order) and their mentions. An entity named in thousands of articles ('United States')
    would cost every story a read of all its links; here each entity costs, once per run, one
    aggregate the database counts over an index (distinct articles, mentions) and its stored row,
    whose article list is exactly its linked articles whenever the counts agree (see
    :meth:`_load`). The run's own writes (:meth:`put`) then update both by delta, so every story
    sees what the store holds. :meth:`clear` after any other write to mentions or links.
    """

    def __init__(self) -> None:
        self.articles: dict[str, list[str]] = {}  # entity -> its linked articles, sorted
        self.mentions: dict[str, int] = {}  # entity -> mentions of all its links
        self.rows: dict[str, Entity] = {}
        self._story: dict[tuple[str, str], tuple[str, int]] = {}  # resolving story's links before
        self._counts: dict[tuple[str, str], int] = {}  # its groups' mention counts

    def clear(self) -> None:
        self.articles.clear()
        self.mentions.clear()
        self.rows.clear()

    def resolving(self, store: Store, article_ids: Sequence[str], groups: Iterable[NameGroup]
                  ) -> dict[tuple[str, str], str]:
        """Read a story's links (with their counts) before resolution; returns them as
        :func:`queries.entity_links` does. Remembered for :meth:`others` and :meth:`put`."""
        self._story = queries.entity_link_counts(store, list(article_ids))
        self._counts = {(g.article_id, g.key): g.count for g in groups}
        return {key: eid for key, (eid, _) in self._story.items()}

    def others(self, store: Store, entity_ids: list[str], story: set[str]
               ) -> dict[str, tuple[list[str], int]]:
        """entity -> (its linked articles outside ``story``, sorted; their links' mentions)."""
        self._load(store, [e for e in dict.fromkeys(entity_ids) if e not in self.articles])
        inside = Counter[str]()
        for eid, n in self._story.values():  # every link of the story's articles
            inside[eid] += n
        return {e: ([a for a in self.articles[e] if a not in story], self.mentions[e] - inside[e])
                for e in dict.fromkeys(entity_ids)}

    def _load(self, store: Store, entity_ids: list[str]) -> None:
        """An entity's linked articles are its row's article list when their numbers agree and no
        link is stale (no mention: an article re-analysed without that key). A link with mentions
        is always in its entity's row: the row is rewritten with every link written to it, and a
        story rewrites every live link of its articles. Otherwise read them (exact, slower)."""
        totals = queries.entity_link_totals(store, entity_ids)
        rows = self.entities(store, [e for e in entity_ids if e in totals])
        for e in entity_ids:
            n, mentions, stale = totals.get(e, (0, 0, 0))
            listed = sorted(set(rows[e].article_ids)) if e in rows else []
            exact = len(listed) == n and not stale
            self.articles[e] = listed if exact else queries.entity_article_ids(store, e)
            self.mentions[e] = mentions

    def entities(self, store: Store, entity_ids: list[str]) -> dict[str, Entity]:
        """:func:`queries.get_entities`."""
        self.rows.update(queries.get_entities(store, [e for e in entity_ids if e not in self.rows]))
        return {e: self.rows[e] for e in entity_ids if e in self.rows}

    def put(self, store: Store, entities: Sequence[Entity], links: Sequence[EntityLink]) -> None:
        """Write a resolved story's entities and links, and follow the write here."""
        store.put_entities(entities, links)
        after = dict(self._story)  # keys no group has any more keep their links
        for x in links:
            key = (x.article_id, x.entity_key)
            after[key] = (x.entity_id, self._counts.get(key, 0))
        was, now = _by_entity(self._story), _by_entity(after)
        for e in (was.keys() | now.keys()) & self.articles.keys():
            (arts_was, n_was), (arts_now, n_now) = was.get(e, (set(), 0)), now.get(e, (set(), 0))
            self.mentions[e] += n_now - n_was
            _remove_sorted(self.articles[e], arts_was - arts_now)
            _insert_sorted(self.articles[e], arts_now - arts_was)
        self.rows.update({e.id: e for e in entities})
        self._story = after


def _by_entity(links: dict[tuple[str, str], tuple[str, int]]) -> dict[str, tuple[set[str], int]]:
    """entity -> (articles, mentions) of the given links."""
    out: dict[str, tuple[set[str], int]] = {}
    for (article, _), (eid, n) in links.items():
        arts, total = out.get(eid, (set(), 0))
        arts.add(article)
        out[eid] = (arts, total + n)
    return out


def _remove_sorted(items: list[str], gone: Iterable[str]) -> None:
    for item in gone:
        at = bisect.bisect_left(items, item)
        if at < len(items) and items[at] == item:
            del items[at]


def _insert_sorted(items: list[str], new: Iterable[str]) -> None:
    for item in new:
        at = bisect.bisect_left(items, item)
        if at == len(items) or items[at] != item:
            items.insert(at, item)
