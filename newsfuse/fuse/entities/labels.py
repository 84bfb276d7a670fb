"""Entities from clusters: the canonical (display) name, the label, aliases and roles of one
resolved actor (:func:`build_entity`). Kept apart from clustering: this only describes a cluster
already made, and is reused when a store-wide entity is folded in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from newsfuse.fuse.entities.names import Cluster, _majority_label, normalise
from newsfuse.models import Entity


def canonical_name(cluster: Cluster) -> str:
    """The fullest name (not a demonym): most words, then most mentions, then alphabetical."""
    weight: Counter[str] = Counter()
    for g in cluster.groups:
        weight[g.key] += g.count
    nationality = {g.key for g in cluster.groups if g.label == "NORP"}
    return min(weight, key=lambda k: (k in nationality, -len(normalise(k).split()), -weight[k], k))


def _label(cluster: Cluster) -> str:
    labels: Counter[str] = Counter()
    for g in cluster.groups:
        labels[g.label] += g.count
    if len(labels) > 1:
        labels.pop("NORP", None)  # a country named by its demonym is still the country
    if len(labels) > 1 and all(g.acronym for g in cluster.groups):
        labels.pop("PERSON", None)  # an acronym other reports give another type is no person
    return _majority_label(labels)


def build_entity(cluster: Cluster, entity_id: str, order: dict[str, int]) -> Entity:
    name = canonical_name(cluster)
    names = {n for g in cluster.groups for n in g.names} | {g.key for g in cluster.groups}
    aliases = sorted({n for n in names if n != name}, key=_alias_order)
    roles = _dedupe(t for g in cluster.groups for t in sorted(g.titles))
    articles = sorted({g.article_id for g in cluster.groups}, key=lambda a: (order.get(a, 1 << 30), a))
    return Entity(
        id=entity_id, name=name, label=_label(cluster), aliases=tuple(aliases), roles=tuple(roles),
        article_ids=tuple(articles), mention_count=sum(g.count for g in cluster.groups),
        evidence=tuple(sorted(cluster.evidence)),
    )


def _alias_order(name: str) -> tuple[str, str]:
    """Alphabetical ignoring case; 'OBAMA' before 'Obama' (ties broken, not left to set order)."""
    return name.casefold(), name


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return sorted(seen.values(), key=str.casefold)
