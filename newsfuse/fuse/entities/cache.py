"""What entity resolution needs of store-wide entities (:class:`EntityCache`), kept across the
stories of one fuse run, and the writes of a resolved story (only what changed).

Kept apart from the resolution of one story (:mod:`newsfuse.fuse.entities.resolve`): this is the only
entity module that reads the store in bulk and follows its writes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from newsfuse.fuse.entities.names import NameGroup
from newsfuse.models import Entity, EntityLink
from newsfuse.store import Store, queries


class EntityCache:
    """What resolution needs of store-wide entities, kept across the stories of one fuse run.

    Fusing a story folds in what other stories' articles give each of its entities: how many
    articles and mentions they add. Both are totals the store keeps on the entity's row (migration
    20), so an entity named in tens of thousands of articles ('United States') costs one probe per
    story, never a read of its links or of an article list. The rows (names, roles, evidence) are
    read once per run and follow the run's own writes. :meth:`clear` after any other write to
    mentions or links.
    """

    def __init__(self) -> None:
        self.rows: dict[str, Entity] = {}
        self._story: dict[tuple[str, str], tuple[str, int, str]] = {}  # resolving story's links before
        self._counts: dict[tuple[str, str], int] = {}  # its groups' mention counts

    def clear(self) -> None:
        self.rows.clear()

    def resolving(self, store: Store, article_ids: Sequence[str], groups: Iterable[NameGroup]
                  ) -> dict[tuple[str, str], str]:
        """Read a story's links (with their counts) before resolution; returns them as
        :func:`queries.entity_links` does. Remembered for :meth:`others` and :meth:`put`."""
        self._story = queries.entity_link_rows(store, list(article_ids))
        self._counts = {(g.article_id, g.key): g.count for g in groups}
        return {key: eid for key, (eid, _, _) in self._story.items()}

    def others(self, store: Store, entity_ids: list[str], story: set[str]
               ) -> dict[str, tuple[int, int]]:
        """entity -> (its linked articles outside ``story``, their links' mentions): the store's
        totals less what the story's own links hold."""
        return others_from_totals(store, entity_ids, {k: (e, n) for k, (e, n, _) in self._story.items()})

    def entities(self, store: Store, entity_ids: list[str]) -> dict[str, Entity]:
        """:func:`queries.get_entities` (rows without their article lists)."""
        self.rows.update(queries.get_entities(store, [e for e in entity_ids if e not in self.rows]))
        return {e: self.rows[e] for e in entity_ids if e in self.rows}

    def put(self, store: Store, entities: Sequence[Entity], links: Sequence[EntityLink],
            stamp: str = "") -> tuple[list[Entity], list[EntityLink]]:
        """Write what a resolved story changed: entity rows whose names, roles or evidence differ
        from the stored ones, and links that are new or point elsewhere (a story re-fused after one
        new article writes that article's links, not the story's thousands); returns them (nothing
        to write: nothing written). ``stamp``: :meth:`Store.put_entities`'."""
        changed = [e for e in entities if row_changed(e, self.rows.get(e.id))]
        fresh = [x for x in links if self._story.get((x.article_id, x.entity_key), ("", 0, ""))[::2]
                 != (x.entity_id, x.reason)]
        if changed or fresh:
            store.put_entities(changed, fresh, stamp)
        for e in changed:
            self.rows[e.id] = e
        after = dict(self._story)  # keys no group has any more keep their links
        for x in links:
            key = (x.article_id, x.entity_key)
            after[key] = (x.entity_id, self._counts.get(key, 0), x.reason)
        self._story = after
        return changed, fresh

    def story_links(self) -> dict[tuple[str, str], tuple[str, int, str]]:
        """The resolving story's links as stored after :meth:`put` (a copy)."""
        return dict(self._story)


def others_from_totals(store: Store, entity_ids: list[str],
                       story_links: dict[tuple[str, str], tuple[str, int]]) -> dict[str, tuple[int, int]]:
    """entity -> (linked articles, mentions) outside the story whose links are ``story_links``
    ((article, key) -> (entity, mentions)): the kept totals (:func:`queries.entity_totals`) less
    the story's. An entity without a row counts nothing outside."""
    wanted = list(dict.fromkeys(entity_ids))
    totals = queries.entity_totals(store, wanted)
    articles: dict[str, set[str]] = {}
    mentions = Counter[str]()
    for (article, _), (eid, n) in story_links.items():
        articles.setdefault(eid, set()).add(article)
        mentions[eid] += n
    out = {}
    for e in wanted:
        n, m = totals.get(e, (0, 0))
        out[e] = (max(n - len(articles.get(e, ())), 0), max(m - mentions[e], 0)) if e in totals else (0, 0)
    return out


def row_changed(entity: Entity, stored: Entity | None) -> bool:
    """Whether the row to write differs from the stored one in what the row keeps (not the article
    list or the mention count, which the links give)."""
    if stored is None:
        return True
    return (entity.name, entity.label, entity.aliases, entity.roles, entity.evidence) != (
        stored.name, stored.label, stored.aliases, stored.roles, stored.evidence)
