"""Clustering of mention groups into actors by rules (:func:`rule_clusters`, pure: no store; the
learned links and the kept clusters of growing stories are added by
:func:`~newsfuse.fuse.entities.resolve.cluster_groups`): the order in
which the linking rules run, and the rules on whole names and descriptions (same name, spelling
variant, same head, title).

The rules for people (:mod:`~newsfuse.fuse.entities.persons`), for places and organisations
(:mod:`~newsfuse.fuse.entities.places`) and for pronouns (:mod:`~newsfuse.fuse.entities.pronouns`) live
in their own modules; the rules and their order are described in :mod:`newsfuse.fuse.entities.resolve`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rapidfuzz import fuzz

from newsfuse import defaults
from newsfuse.fuse.entities.blocks import (
    _blocks,
    _first_of_each_name,
    _initials_key,
    _Linker,
    _pairs_in_blocks,
    _Union,
)
from newsfuse.fuse.entities.names import Cluster, NameGroup, label_class, normalise
from newsfuse.fuse.entities.persons import (
    _PERSON_SLIPS,
    _link_partial_person,
    _link_person_variants,
    _link_surname_across_articles,
)
from newsfuse.fuse.entities.places import _link_acronyms, _link_contained, _link_demonyms
from newsfuse.fuse.entities.pronouns import _link_pronouns

Snapshot = Callable[[str, _Union], None]  # (stage name, the union-find after it): see fuse/entities/grow.py


def rule_clusters(groups: Sequence[NameGroup], snapshot: Snapshot | None = None) -> list[Cluster]:
    """The rules' clusters of ``groups``, in order of their first group; ``snapshot`` is called
    after each rule that an added group's decision is checked against (fuse/entities/grow.py)."""
    uf = _Union(len(groups))
    evidence: dict[int, set[str]] = {}

    def link(a: int, b: int, reason: str) -> None:
        if uf.join(a, b):
            evidence.setdefault(a, set()).add(reason)

    def snap(stage: str) -> None:
        if snapshot is not None:
            snapshot(stage, uf)

    linkable = [i for i, g in enumerate(groups) if not g.pronoun_only and g.norm]
    _link_same_name(groups, linkable, link)
    _link_spelling(groups, linkable, uf, link)
    _link_person_variants(groups, linkable, uf, link)
    _link_surname_across_articles(groups, linkable, uf, link)
    _link_partial_person(groups, linkable, uf, link, after_people=lambda: snap("people"))
    snap("partial")
    _link_acronyms(groups, linkable, uf, link)
    snap("acronyms")
    _link_demonyms(groups, linkable, uf, link)
    snap("demonyms")
    _link_contained(groups, linkable, uf, link)
    snap("contained")
    _link_same_head(groups, linkable, link)
    snap("head")
    _link_by_title(groups, linkable, uf, link)
    snap("title")
    _link_pronouns(groups, uf, link)
    snap("final")
    by_root: dict[int, Cluster] = {}
    for i, g in enumerate(groups):
        by_root.setdefault(uf.find(i), Cluster([])).groups.append(g)
    for i, reasons in evidence.items():
        by_root[uf.find(i)].evidence.update(reasons)
    return [by_root[r] for r in sorted(by_root)]


def _link_same_name(groups: Sequence[NameGroup], idx: list[int], link: _Linker) -> None:
    first: dict[tuple[str, str], int] = {}
    for i in idx:
        g = groups[i]
        k = (g.norm, label_class(g.label))
        if k in first:
            link(first[k], i, f"same name: {g.key}")
        else:
            first[k] = i
    # 'founded by Ines Halvard' tagged ORG in one report: a full name other reports of the story
    # give a person is that person (the small model's usual slip; the label vote then says PERSON).
    for i in idx:
        g = groups[i]
        person = first.get((g.norm, "PERSON"))
        if g.label in _PERSON_SLIPS and len(g.words) >= 2 and person is not None:
            link(person, i, f"same name as a person: {g.key}")
    # The reverse slip: an acronym tagged PERSON ('ATACMS are likely...') where other reports give
    # the same word a type a person's name never wears joins that body or product.
    for i in idx:
        g = groups[i]
        if g.label != "PERSON" or not g.acronym:
            continue
        other = next((first[k] for k in ((g.norm, label_class(lab)) for lab in sorted(_PERSON_SLIPS))
                      if k in first), None)
        if other is not None:
            link(other, i, f"same name as a body or product: {g.key}")


def _link_spelling(groups: Sequence[NameGroup], idx: list[int], uf: _Union, link: _Linker) -> None:
    # Variants share their type class and the initials of their words: only groups of one such
    # block are compared (pairs in the same order as over all pairs, so links and reasons are too).
    firsts = _first_of_each_name(groups, idx)
    blocks = _blocks(firsts, lambda i: _initials_key(groups[i]) if len(groups[i].words) >= 2 else None)
    for i, later in _pairs_in_blocks(idx, blocks):
        a = groups[i]
        for j in later:
            b = groups[j]
            # Groups already one cluster gain nothing from a link (link() would only ignore it).
            if a.norm != b.norm and uf.find(i) != uf.find(j) and _variants(a.words, b.words):
                link(i, j, f"spelling variant: {a.key} ~ {b.key}")



def _variants(a: list[str], b: list[str]) -> bool:
    if len(a) != len(b) or any(x[0] != y[0] for x, y in zip(a, b, strict=True)):
        return False
    return fuzz.ratio(" ".join(a), " ".join(b)) >= defaults.ENTITY_FUZZY_MIN


def _link_same_head(groups: Sequence[NameGroup], idx: list[int], link: _Linker) -> None:
    first: dict[tuple[str, str], int] = {}
    for i in idx:
        g = groups[i]
        if not g.nominal or not g.head_word:
            continue
        k = (g.head_word, label_class(g.label))
        if k in first:
            link(first[k], i, f"same head: {g.key}")
        else:
            first[k] = i


def _link_by_title(groups: Sequence[NameGroup], idx: list[int], uf: _Union, link: _Linker) -> None:
    roles: dict[tuple[str, str], set[int]] = {}
    for i in idx:
        g = groups[i]
        for title in g.titles:
            words = normalise(title).split()
            if words and not g.nominal:
                roles.setdefault((words[-1], label_class(g.label)), set()).add(uf.find(i))
                # the whole title too: 'the interior minister' is the one Interior Minister of a
                # story that also has a Finance Minister and a Minister of Water
                roles.setdefault((" ".join(words), label_class(g.label)), set()).add(uf.find(i))
    for i in idx:
        g = groups[i]
        if not g.nominal:
            continue
        cls = label_class(g.label)
        holders = {uf.find(j) for j in roles.get((g.head_word, cls), ())}
        if len(holders) > 1:
            holders = {uf.find(j) for j in roles.get((g.norm, cls), ())}
        if len(holders) == 1:
            link(min(holders), i, f"title: {g.key}")
