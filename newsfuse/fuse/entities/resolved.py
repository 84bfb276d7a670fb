"""A growing story's entity resolution kept between fuses: a re-fuse after one new article resolves
and writes the entities that article touches, not the story's every entity (:func:`resolve_and_put`).

A fuse from scratch (:func:`~newsfuse.fuse.entities.resolve.resolve_clusters`) reads every link of the
story (~17,000 rows at 500 articles), chooses each cluster's entity ID, builds every entity and every
link, and compares them all with what is stored. Kept here, beside the story's rule clustering
(:mod:`~newsfuse.fuse.entities.grow`, whose roots, each cluster's first group, stay put while the
story's groups only grow): each cluster's members and reasons, its entity and links, the story's
links and entity rows as stored, and per entity the story's articles and mentions linked to it.

A re-fuse then reads the new articles' links alone and redoes the clusters whose members or reasons
changed (or whose ID was not 'kept' last time: their links' reasons change). An unchanged cluster
chooses the ID it chose last time (its groups all link to it and no other cluster can take it), so
its entity and links are the kept ones; other stories' contributions (their articles, the stored row
of an entity they share) are read for every entity, as from scratch. Where the from-scratch rule
could decide otherwise, the story is resolved from scratch: a changed cluster whose groups linked
to, or which would take, an unchanged cluster's ID; the story's old articles in another order or
gone; the learned scorer joining rule clusters; nothing kept (counts: :data:`COUNTS`).

What is kept is trusted only while no one else wrote entity links: every write of links sets the
store's link stamp to a fresh token (migration 43), and this process reads it once per fuse. A token
other than the one this process last wrote (another process, an analysis rewriting mention counts,
a dropped or rolled-back write of ours) drops everything kept. A write of this process for one story
drops what other stories kept of the same articles, and their copies of the entity rows it wrote.
"""

from __future__ import annotations

import secrets
import threading
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from newsfuse.fuse.entities import grow, pairmodel
from newsfuse.fuse.entities.cache import EntityCache, row_changed
from newsfuse.fuse.entities.labels import build_entity
from newsfuse.fuse.entities.names import Cluster, Derived, NameGroup, mention_groups
from newsfuse.fuse.entities.resolve import (
    Resolved,
    cluster_groups_kept,
    entity_id_of,
    linked_rows,
    links_of,
    resolve_clusters,
    same_names,
    with_other_stories,
)
from newsfuse.models import Analysis, Entity, EntityLink
from newsfuse.store import Store, queries

_Key = tuple[str, str]  # (article_id, entity_key)


class _Stamp:
    """The link stamp this process last wrote or read, and an epoch that moves when the stamp was
    written by anyone else: what was kept in an earlier epoch is not trusted."""

    def __init__(self) -> None:
        self.token, self.epoch = "", 0
        self._lock = threading.Lock()

    def check(self, store: Store) -> int | None:
        """The epoch to trust kept resolutions of (None: the store's links were never stamped)."""
        token = queries.entity_link_stamp(store)
        with self._lock:
            if token != self.token:
                self.token, self.epoch = token, self.epoch + 1
            return self.epoch if token else None

    def wrote(self, token: str) -> int:
        with self._lock:
            self.token = token
            return self.epoch


STAMP = _Stamp()


@dataclass
class Counts:
    """Re-fuses resolved from what was kept (``kept``) or from scratch (``full``, ``why``)."""

    kept: int = 0
    full: int = 0
    why: Counter[str] = field(default_factory=Counter)


COUNTS = Counts()


@dataclass
class _Kept:
    """One story's resolution as written (see the module doc)."""

    epoch: int
    ids: list[str]  # the story's articles, in order
    articles: set[str]
    members: dict[int, tuple[int, ...]]  # final root -> its groups' indexes
    evidence: dict[int, frozenset[str]]  # final root -> the cluster's reasons
    entries: dict[int, Resolved]  # final root -> its entity and links
    stored: dict[_Key, tuple[str, int, str]]  # the story's links as stored: (entity, mentions, reason)
    per_entity: dict[str, tuple[Counter[str], int]]  # entity -> the story's linked articles, mentions
    rows: dict[str, Entity]  # entity rows as stored (what the row keeps)
    emap: dict[_Key, str]  # the story's groups' links


class _Previous(Mapping[_Key, str]):
    """Links before this fuse: the kept ones, and the new articles' as read."""

    def __init__(self, kept: Mapping[_Key, str], fresh: Mapping[_Key, str]) -> None:
        self.kept, self.fresh = kept, fresh

    def __getitem__(self, key: _Key) -> str:
        return self.fresh[key] if key in self.fresh else self.kept[key]

    def __contains__(self, key: object) -> bool:
        return key in self.fresh or key in self.kept

    def __iter__(self) -> Iterator[_Key]:
        yield from self.kept
        yield from (k for k in self.fresh if k not in self.kept)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Scratch(Exception):  # a signal, not an error: the story is resolved from scratch
    """The kept resolution may differ from one from scratch."""


def resolve_and_put(store: Store, article_ids: Sequence[str], analyses: Sequence[Analysis],
                    cache: EntityCache, derived: Derived | None = None) -> dict[_Key, str]:
    """Resolve a story's entities, write what changed (``cache``: :meth:`EntityCache.put`'s reads
    and rows of this run) and return (article_id, entity_key) -> entity_id, as
    :func:`~newsfuse.fuse.entities.resolve.resolve_story_entities` followed by
    :meth:`EntityCache.put` and :func:`~newsfuse.fuse.entities.resolve.entity_map` do."""
    epoch = STAMP.check(store)
    groups = mention_groups(analyses, derived)
    clusters, state = cluster_groups_kept(groups, pairmodel.stored_encoder(store))
    kept = state.resolved if state is not None else None
    if state is not None:
        state.resolved = None  # put back once written (a failed fuse leaves nothing half-updated)
    if state is None or epoch is None:
        COUNTS.why["nothing kept" if state is None else "never stamped"] += 1
    elif not isinstance(kept, _Kept) or kept.epoch != epoch:
        COUNTS.why["not kept" if kept is None else "links written elsewhere"] += 1
    else:
        try:
            state.resolved = _grown(store, list(article_ids), groups, clusters, state, kept, cache)
            COUNTS.kept += 1
            return dict(state.resolved.emap)
        except _Scratch as why:
            COUNTS.why[str(why)] += 1
    COUNTS.full += 1
    resolved = resolve_clusters(store, article_ids, groups, clusters, cache)
    token = secrets.token_hex(8)
    links = [x for r in resolved for x in r.links]
    changed, fresh = cache.put(store, [r.entity for r in resolved], links, token)
    if changed or fresh:
        epoch = STAMP.wrote(token)
        _drop_others(state, {x.article_id for x in fresh}, changed)
    emap = {(x.article_id, x.entity_key): x.entity_id for x in links}
    if state is not None and epoch is not None:
        state.resolved = _from_scratch(epoch, list(article_ids), state, resolved, cache.story_links(), emap)
    return emap


def _from_scratch(epoch: int, ids: list[str], state: grow._State, resolved: list[Resolved],
                  stored: dict[_Key, tuple[str, int, str]], emap: dict[_Key, str]) -> _Kept:
    roots = sorted(state.members)
    per_entity: dict[str, tuple[Counter[str], int]] = {}
    for key, (eid, n, _) in stored.items():
        _count(per_entity, key[0], eid, n)
    return _Kept(
        epoch, ids, set(ids),
        members={r: tuple(state.members[r]) for r in roots},
        evidence={r: frozenset(state.evidence[r]) for r in roots},
        entries=dict(zip(roots, resolved, strict=True)), stored=stored, per_entity=per_entity,
        rows={r.entity.id: r.entity for r in resolved}, emap=emap)


def _count(per_entity: dict[str, tuple[Counter[str], int]], article: str, eid: str, n: int,
           sign: int = 1) -> None:
    articles, mentions = per_entity.get(eid) or (Counter[str](), 0)
    articles[article] += sign
    if articles[article] <= 0:
        del articles[article]
    per_entity[eid] = (articles, mentions + sign * n)


def _grown(store: Store, ids: list[str], groups: Sequence[NameGroup], clusters: list[Cluster],
           state: grow._State, kept: _Kept, cache: EntityCache) -> _Kept:
    """The kept resolution brought up to ``clusters`` (raises :class:`_Scratch`)."""
    if [a for a in ids if a in kept.articles] != kept.ids:
        raise _Scratch("articles reordered or gone")
    new_ids = [a for a in ids if a not in kept.articles]
    read = queries.entity_link_rows(store, new_ids) if new_ids else {}
    for key, row in read.items():
        _store_link(kept, key, row)
    previous = _Previous(kept.emap, {k: v[0] for k, v in read.items()})
    roots = sorted(state.members)
    changed = [r not in kept.entries or kept.entries[r].how != "kept"
               or kept.members[r] != tuple(state.members[r]) or kept.evidence[r] != state.evidence[r]
               for r in roots]
    added = {r: _added(kept, state, r) for n, r in enumerate(roots) if changed[n]}
    chosen = _choose(store, roots, clusters, groups, added, kept, previous)
    wanted = [eid for eid, _ in chosen]
    others = _others(store, wanted, kept)
    olds = linked_rows(store, others, cache)
    order = {a: n for n, a in enumerate(ids)} if any(changed) else {}
    resolved: list[Resolved] = []
    relinked: list[tuple[EntityLink, int]] = []  # the links made anew, with their groups' mentions
    for n, root in enumerate(roots):
        eid, how = chosen[n]
        if not changed[n]:
            entry = kept.entries[root]
            resolved.append(Resolved(entry.cluster, entry.base, with_other_stories(
                entry.base, *others[eid], olds.get(eid)), how, entry.links))
            continue
        base = build_entity(clusters[n], eid, order)
        entity = with_other_stories(base, *others[eid], olds.get(eid))
        links = _links(kept, state, root, clusters[n], groups, added[root], entity, how, relinked)
        resolved.append(Resolved(clusters[n], base, entity, how, links))
    _write(store, kept, state, relinked, resolved, others, cache)
    # rebuilt, not updated: a root a bridging name merged away must not come back with its old entry
    kept.members = {r: tuple(state.members[r]) if changed[n] else kept.members[r]
                    for n, r in enumerate(roots)}
    kept.evidence = {r: frozenset(state.evidence[r]) if changed[n] else kept.evidence[r]
                     for n, r in enumerate(roots)}
    kept.entries = dict(zip(roots, resolved, strict=True))
    kept.ids, kept.articles = ids, set(ids)
    return kept


def _added(kept: _Kept, state: grow._State, root: int) -> list[int] | None:
    """The groups a kept cluster (ID 'kept' last time) gained after its old ones, which it still
    holds in order (None: not such a cluster, e.g. one a bridging name merged)."""
    entry, old, now = kept.entries.get(root), kept.members.get(root, ()), state.members[root]
    if entry is None or entry.how != "kept" or len(now) < len(old) or tuple(now[:len(old)]) != old:
        return None
    return now[len(old):]


def _choose(store: Store, roots: list[int], clusters: list[Cluster], groups: Sequence[NameGroup],
            added: dict[int, list[int] | None], kept: _Kept, previous: _Previous) -> list[tuple[str, str]]:
    """Each cluster's (entity ID, how), in cluster order: an unchanged cluster's kept one (its groups
    all link to it, and no cluster before it takes it: else from scratch). A changed cluster decides
    as from scratch, on the IDs the clusters before it took; a cluster that only gained groups counts
    its old ones as linked to its kept ID (they are: it wrote them)."""
    ahead = Counter(kept.entries[r].base.id for r in roots if r not in added)  # unchanged ones to come
    same_name = same_names(store, [c for n, c in enumerate(clusters) if roots[n] in added], previous)
    taken: set[str] = set()
    out = []
    for n, root in enumerate(roots):
        if root not in added:
            eid, how = kept.entries[root].base.id, "kept"
            ahead[eid] -= 1
        else:
            new = added[root]
            counted = None
            if new is not None:  # its old groups all link to its kept ID
                counted = Counter({kept.entries[root].base.id: len(kept.members[root])})
                keys = [(groups[i].article_id, groups[i].key) for i in new]
                counted.update(previous[k] for k in keys if k in previous)
            eid, how = entity_id_of(clusters[n], previous, taken, same_name, counted)
            if ahead[eid] > 0:
                raise _Scratch("a changed cluster took the entity of an unchanged one after it")
        taken.add(eid)
        out.append((eid, how))
    return out


def _links(kept: _Kept, state: grow._State, root: int, cluster: Cluster, groups: Sequence[NameGroup],
           new: list[int] | None, entity: Entity, how: str, relinked: list[tuple[EntityLink, int]],
           ) -> list[EntityLink]:
    """A changed cluster's links, those made anew added to ``relinked``. A cluster that only gained
    groups, under its kept ID, name and reasons, keeps its old groups' links but those linked for no
    named reason (one of the new groups may share their name: 'same name' now)."""
    entry = kept.entries.get(root)
    if new is None or entry is None or how != "kept" or entity.id != entry.base.id \
            or entity.name != entry.base.name or kept.evidence[root] != state.evidence[root]:
        links = links_of(cluster, entity, how)
        relinked.extend(zip(links, (g.count for g in cluster.groups), strict=True))
        return links
    asked = [g for g, x in zip(entry.cluster.groups, entry.links, strict=True) if x.reason == "linked"]
    asked += [groups[i] for i in new]
    made = links_of(cluster, entity, how, asked)
    relinked.extend(zip(made, (g.count for g in asked), strict=True))
    if len(made) == len(new):
        return [*entry.links, *made]
    again = {(x.article_id, x.entity_key): x for x in made[:len(made) - len(new)]}
    return [*(again.get((x.article_id, x.entity_key), x) for x in entry.links), *made[len(made) - len(new):]]


def _others(store: Store, wanted: list[str], kept: _Kept) -> dict[str, tuple[int, int]]:
    """:func:`~newsfuse.fuse.entities.cache.others_from_totals` from the kept per-entity sums."""
    totals = queries.entity_totals(store, wanted)
    out = {}
    for e in dict.fromkeys(wanted):
        if e not in totals:
            out[e] = (0, 0)
            continue
        n, m = totals[e]
        articles, mentions = kept.per_entity.get(e) or (Counter[str](), 0)
        out[e] = (max(n - len(articles), 0), max(m - mentions, 0))
    return out


def _store_link(kept: _Kept, key: _Key, row: tuple[str, int, str]) -> None:
    """Record ``row`` as the stored link of ``key`` (and move the per-entity sums)."""
    old = kept.stored.get(key)
    if old is not None:
        _count(kept.per_entity, key[0], old[0], old[1], -1)
    kept.stored[key] = row
    _count(kept.per_entity, key[0], row[0], row[1])


def _write(store: Store, kept: _Kept, state: grow._State, relinked: list[tuple[EntityLink, int]],
           resolved: list[Resolved], others: dict[str, tuple[int, int]], cache: EntityCache) -> None:
    """Write the rows that differ from the stored ones and the links made anew that are new or point
    elsewhere (what :meth:`EntityCache.put` writes), and keep them as stored."""
    last = {r.entity.id: r.entity for r in resolved}  # two clusters of one ID (a new ID's name taken):
    rows = [e for e in last.values()  # the last is stored, as a write of every row leaves it
            if row_changed(e, cache.rows.get(e.id) if others[e.id][0] else kept.rows.get(e.id))]
    fresh = [x for x, _ in relinked if kept.stored.get((x.article_id, x.entity_key), ("", 0, ""))[::2]
             != (x.entity_id, x.reason)]
    if rows or fresh:
        token = secrets.token_hex(8)
        store.put_entities(rows, fresh, token)
        kept.epoch = STAMP.wrote(token)
        _drop_others(state, {x.article_id for x in fresh}, rows)
    for e in rows:
        cache.rows[e.id] = e
    kept.rows.update(last)
    for x, count in relinked:
        key = (x.article_id, x.entity_key)
        _store_link(kept, key, (x.entity_id, count, x.reason))
        kept.emap[key] = x.entity_id


def _drop_others(state: grow._State | None, articles: set[str], rows: Sequence[Entity]) -> None:
    """A write for one story: other stories' kept resolutions holding one of ``articles`` are
    dropped, and their copies of the ``rows`` written."""
    for other in grow.KEPT.kept_states():
        kept = other.resolved
        if other is state or not isinstance(kept, _Kept):
            continue
        if not articles.isdisjoint(kept.articles):
            other.resolved = None
            continue
        for e in rows:
            kept.rows.pop(e.id, None)


__all__ = ["COUNTS", "STAMP", "EntityLink", "resolve_and_put"]
