"""Cross-article entity resolution: article-level mention groups -> one entity per actor.

The analyze stage groups the mentions of one actor inside one article under an ``entity_key``
(its normalised full name as far as that article tells). Here those groups, one per
``(article_id, entity_key)``, are clustered across the articles of a story by explainable rules,
applied in this order (each link records its rule in ``Entity.evidence`` / ``EntityLink.reason``):

1. ``same name``: equal normalised names (case, accents, 'the', possessives, dots of acronyms and
   common aliases such as U.S./US/United States folded) of a compatible type. 'the Kremlin' stays
   its own organisation: nothing maps it to Russia.
2. ``spelling variant``: two full names of one type whose rapidfuzz ratio reaches
   ``defaults.ENTITY_FUZZY_MIN`` and whose words start alike (Zelensky / Zelenskyy).
3. ``surname match``: a one-word person name that is the last name of exactly one full-named
   person of the story ('Macron').
4. ``title + first name``: a one-word person name with a title ('French President Emmanuel') that is
   the first name of exactly one full-named person of the story holding a compatible title.
5. ``acronym``: an all-capitals name spelling the initials of the one organisation or place of the
   story with those initials (however many reports spell it out).
6. ``demonym``: a nationality that is exactly a country's demonym ('North Korean') joins the one
   country of the story with that code ('North Korea'), as event coding treats them as one actor;
   organisations named after a capital ('the Kremlin') are not nationalities and stay apart.

7. ``name containment``: a shorter name of one type whose words appear in order inside the
   longer names of exactly one cluster ('Microsoft' / 'Microsoft Corp', 'Lindsay Lohan' /
   'Lindsay Dee Lohan'); people keep the stricter surname/first-name rules above.
8. ``same head``: descriptions without a name ('the actress', 'the quake') of one type class with
   the same head word (lemma) are one actor within a story: news reports of one story use their
   description for their one main referent.
9. ``title``: a description whose head is the role word of the titles of exactly one cluster
   ('the actress' -> 'actress Lindsay Lohan', 'the software giant' -> 'software giant Microsoft').
10. ``name variant``: full names of one person written differently ('Fred LaRue' / 'Frederick C.
   LaRue', 'Mark Felt' / 'W. Mark Felt'): equal surnames, first names equal or one a short form of
   the other; honorifics and initials are ignored (applied before the surname rule). With
   ``defaults.ENTITY_SURNAME_ACROSS_ARTICLES`` (off as shipped), ``same surname in other reports``
   then joins two full names of one surname that no article names together ('Katie' / 'Kathryn
   Jenkin') when each is the other's one such partner and their titles agree.
11. ``pronoun``: a pronoun-only group joins, inside its own article only, the actor it most likely
   refers to: a relative pronoun ('who', 'which') the nearest preceding mention; a personal pronoun
   the most mentioned compatible actor mentioned before it (people for he/she, others for it).

Groups made only of pronouns never link across articles: 'he' in two reports is rarely one person.

Entity IDs are stable (incremental runs keep them): a cluster keeps the ID its groups were linked
to before (the ID most of its groups had, ties to the smallest); otherwise it joins a store-wide
entity only on strong evidence (the same full name and a compatible type: a multi-word person name,
or an organisation/place name); otherwise it gets ``content_id(normalised name, type class,
first article)``, so one-word names of unrelated stories stay apart.

Layout: this module is the entry point (resolution of one story against the store, and every
public name re-exported); the work lives in :mod:`~newsfuse.fuse.entities.names` (names, groups),
:mod:`~newsfuse.fuse.entities.clusters` (clustering and the order of the rules),
:mod:`~newsfuse.fuse.entities.persons`, :mod:`~newsfuse.fuse.entities.places` and
:mod:`~newsfuse.fuse.entities.pronouns` (the rules), :mod:`~newsfuse.fuse.entities.blocks` (union-find,
blocking), :mod:`~newsfuse.fuse.entities.labels` (display names, labels) and
:mod:`~newsfuse.fuse.entities.cache` (store-wide entities across a run);
:mod:`~newsfuse.fuse.entities.grow` keeps a growing story's rule clusters between fuses and adds a
new article's groups to them (exactly the clustering from scratch, which it falls back to), and
:mod:`~newsfuse.fuse.entities.resolved` its resolution (entities and links as written), redoing only
the clusters that changed (the fuse stage's entry point:
:func:`~newsfuse.fuse.entities.resolved.resolve_and_put`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from newsfuse.fuse.entities import grow, pairmodel
from newsfuse.fuse.entities.cache import EntityCache, others_from_totals
from newsfuse.fuse.entities.labels import _alias_order, _dedupe, _label, build_entity, canonical_name
from newsfuse.fuse.entities.names import (
    ALIASES,
    Cluster,
    Derived,
    NameGroup,
    label_class,
    mention_groups,
    normalise,
)
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Entity, EntityLink
from newsfuse.store import Store, queries

__all__ = [
    "ALIASES",
    "Cluster",
    "EntityCache",
    "NameGroup",
    "build_entity",
    "canonical_name",
    "cluster_groups",
    "entity_map",
    "label_class",
    "mention_groups",
    "normalise",
    "resolve_story_entities",
]


def cluster_groups(groups: Sequence[NameGroup],
                   encode: Callable[[Sequence[str]], np.ndarray] = pairmodel.encode_cached) -> list[Cluster]:
    """Resolve article-level groups to actors: the rules (:mod:`~newsfuse.fuse.entities.clusters`,
    grown from a growing story's kept clusters by :mod:`~newsfuse.fuse.entities.grow`), then the
    learned links joining whole rule clusters (``encode``: their text vectors,
    :func:`~newsfuse.fuse.entities.pairmodel.stored_encoder`)."""
    return cluster_groups_kept(groups, encode)[0]


def cluster_groups_kept(groups: Sequence[NameGroup],
                        encode: Callable[[Sequence[str]], np.ndarray] = pairmodel.encode_cached,
                        ) -> tuple[list[Cluster], grow._State | None]:
    """:func:`cluster_groups` and the kept rule clustering they are (None: none kept, or the learned
    links joined rule clusters, so the clusters are not the kept ones)."""
    clusters, state = grow.KEPT.clusters_kept(groups)
    model = pairmodel.entity_model()
    if model is None:
        return clusters, state
    merged = pairmodel.merge_clusters(groups, clusters, model, encode)
    if merged is clusters or state is None:
        return merged, state
    state.resolved = None  # the story's links follow other clusters than the kept ones now
    return merged, None


def resolve_story_entities(
    store: Store, article_ids: Sequence[str], analyses: Sequence[Analysis] | None = None,
    cache: EntityCache | None = None, derived: Derived | None = None,
) -> tuple[list[Entity], list[EntityLink]]:
    """Resolve a story's mention groups to entities (stable IDs) and the links to write (with a
    ``cache``, write them with its :meth:`EntityCache.put`; ``derived``: each analysis's mention
    groups kept beside it, :func:`mention_groups`)."""
    if analyses is None:
        analyses = [queries.get_analysis(store, a) for a in article_ids]
    groups = mention_groups(analyses, derived)
    clusters = cluster_groups(groups, pairmodel.stored_encoder(store))  # names encoded once per store
    resolved = resolve_clusters(store, article_ids, groups, clusters, cache)
    return [r.entity for r in resolved], [x for r in resolved for x in r.links]


@dataclass(slots=True)
class Resolved:
    """One cluster's entity: ``base`` from the story alone, ``entity`` with other stories folded in,
    ``how`` its ID was chosen (kept, store, new), and its groups' links."""

    cluster: Cluster
    base: Entity
    entity: Entity
    how: str
    links: list[EntityLink]


def resolve_clusters(store: Store, article_ids: Sequence[str], groups: Sequence[NameGroup],
                     clusters: Sequence[Cluster], cache: EntityCache | None = None) -> list[Resolved]:
    """Each of a story's ``clusters`` (of its ``groups``) as an entity with a stable ID, and its links."""
    if cache is not None:
        previous = cache.resolving(store, article_ids, groups)
    else:
        previous = queries.entity_links(store, list(article_ids))
    # Only names that may join another story's entity are read ahead: a store of 100,000 articles
    # holds tens of thousands of entities named 'Republican' or 'Obama' (one per story), and reading
    # them all for nothing cost a story 50 ms there.
    same_name = same_names(store, clusters, previous)
    chosen: list[tuple[Cluster, str, str]] = []
    taken: set[str] = set()
    for cluster in clusters:
        entity_id, how = entity_id_of(cluster, previous, taken, same_name)
        taken.add(entity_id)
        chosen.append((cluster, entity_id, how))
    wanted = [eid for _, eid, _ in chosen]
    others = cache.others(store, wanted, set(article_ids)) if cache is not None \
        else _others(store, wanted, article_ids)
    olds = linked_rows(store, others, cache)
    order = {a: n for n, a in enumerate(article_ids)}
    out = []
    for cluster, entity_id, how in chosen:
        base = build_entity(cluster, entity_id, order)
        entity = with_other_stories(base, *others[entity_id], olds.get(entity_id))
        out.append(Resolved(cluster, base, entity, how, links_of(cluster, entity, how)))
    return out


def same_names(store: Store, clusters: Iterable[Cluster],
               previous: Mapping[tuple[str, str], str]) -> _SameName:
    """Store-wide entities by name, for the clusters that may take one (none of their groups linked)."""
    return _SameName(store, [canonical_name(c) for c in clusters
                             if not _kept(c, previous) and _strong_name(canonical_name(c), _label(c))])


def linked_rows(store: Store, others: dict[str, tuple[int, int]],
                cache: EntityCache | None) -> dict[str, Entity]:
    """The stored rows of the entities other stories' articles link to too."""
    linked = [eid for eid, (arts, _) in others.items() if arts]
    return cache.entities(store, linked) if cache is not None else queries.get_entities(store, linked)


def _others(store: Store, entity_ids: list[str], article_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
    """:meth:`EntityCache.others` without a cache."""
    return others_from_totals(store, entity_ids, queries.entity_link_counts(store, list(article_ids)))


class _SameName:
    """Store-wide entities of a name (:func:`queries.find_entities`), read for all likely names in
    one pass over the entities the first time one is asked for (one scan per story, not one per
    cluster; none when every cluster keeps its ID). The store does not change while a story
    resolves, so reading ahead gives what one read per cluster gave."""

    def __init__(self, store: Store, likely: list[str]) -> None:
        self.store, self.likely = store, likely
        self.found: dict[str, list[Entity]] = {}

    def get(self, name: str) -> list[Entity]:
        if name not in self.found:
            batch = [n for n in self.likely if n not in self.found] if name in self.likely else [name]
            self.found.update(queries.find_entities_named(self.store, batch))
        return self.found[name]


def _kept(cluster: Cluster, previous: Mapping[tuple[str, str], str]) -> bool:
    """Whether any group of the cluster was linked before (it may keep that entity ID)."""
    return any((g.article_id, g.key) in previous for g in cluster.groups)


def entity_id_of(
    cluster: Cluster, previous: Mapping[tuple[str, str], str], taken: set[str],
    same_name: _SameName, before: Counter[str] | None = None,
) -> tuple[str, str]:
    """The cluster's entity ID and how it was chosen (``before``: its groups' previous links
    counted by entity, when the caller knows them)."""
    if before is None:
        before = Counter(previous[(g.article_id, g.key)] for g in cluster.groups
                         if (g.article_id, g.key) in previous)
    free = [(-n, eid) for eid, n in before.items() if eid not in taken]
    if free:
        return min(free)[1], "kept"
    name, label = canonical_name(cluster), _label(cluster)
    if _strong_name(name, label):
        for other in same_name.get(name):
            if label_class(other.label) == label_class(label) and normalise(other.name) == normalise(name) \
                    and other.id not in taken:
                return other.id, "store"
    first = min(g.article_id for g in cluster.groups)
    return content_id(normalise(name), label_class(label), first, prefix="e_"), "new"


def _strong_name(name: str, label: str) -> bool:
    """A name specific enough to join entities across unrelated stories."""
    words = normalise(name).split()
    return len(words) >= 2 if label == "PERSON" else bool(words) and label_class(label) == "ORG"


def with_other_stories(entity: Entity, other_articles: int, other_mentions: int,
                        old: Entity | None) -> Entity:
    """Fold in what other stories' articles (``other_articles`` of them, whose links hold
    ``other_mentions`` mentions) contribute to a store-wide entity; ``old`` is its stored row
    (None: gone or new). The article list stays the story's own: the store lists the rest
    (``entity_links``; :func:`queries.get_entity` reads them), so a store-wide entity costs a story
    neither a read nor a write of every article naming it."""
    if not other_articles or old is None:  # a link to a row that is gone: rebuild from this story alone
        return entity
    aliases = (set(entity.aliases) | set(old.aliases) | {old.name}) - {entity.name}
    return Entity(
        id=entity.id, name=entity.name, label=entity.label,
        aliases=tuple(sorted(aliases, key=_alias_order)),
        roles=tuple(_dedupe([*entity.roles, *old.roles])),
        article_ids=entity.article_ids,
        mention_count=entity.mention_count + other_mentions,
        evidence=tuple(sorted(set(entity.evidence) | set(old.evidence))),
    )


def links_of(cluster: Cluster, entity: Entity, how: str,
             groups: Iterable[NameGroup] | None = None) -> list[EntityLink]:
    """The links of the cluster's ``groups`` (None: all) to its entity, each with its reason."""
    out = []
    for g in cluster.groups if groups is None else groups:
        reason = "canonical name" if g.key == entity.name else _reason_for(g, cluster)
        if how == "store":
            reason += "; same full name as an entity of another story"
        out.append(EntityLink(g.article_id, g.key, entity.id, reason))
    return out


def _reason_for(g: NameGroup, cluster: Cluster) -> str:
    for reason in sorted(cluster.evidence):
        if reason.endswith(f": {g.key}") or f" {g.key}" in reason:
            return reason
    return "same name" if any(o.norm == g.norm for o in cluster.groups if o is not g) else "linked"


def entity_map(links: Iterable[EntityLink]) -> dict[tuple[str, str], str]:
    """(article_id, entity_key) -> entity_id, for claims and reports."""
    return {(x.article_id, x.entity_key): x.entity_id for x in links}
