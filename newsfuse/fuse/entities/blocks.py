"""The machinery the pairwise linking rules share: a union-find over groups, the link callback
type, and blocking (compare only groups that share a key, in all-pairs order).

Kept apart so each rule module (:mod:`~newsfuse.fuse.entities.persons`,
:mod:`~newsfuse.fuse.entities.places`, :mod:`~newsfuse.fuse.entities.clusters`) uses one copy; blocking
keeps a big story's clustering from comparing every pair of groups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from newsfuse.fuse.entities.names import NameGroup, label_class

_Linker = Callable[[int, int, str], None]  # cluster_groups' link callback: (group, group, reason)


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        return True


def _first_of_each_name(groups: Sequence[NameGroup], idx: list[int]) -> list[int]:
    """The first group of each (name, type class), in idx order.

    Groups of one name and class are one cluster already (the same-name rule), so a pairwise rule
    whose test reads only the names links nothing through a later one: the first of that name met
    every group it could link before it (a big story repeats each name in every article)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for i in idx:
        key = (groups[i].norm, label_class(groups[i].label))
        if key not in seen:
            seen.add(key)
            out.append(i)
    return out


def _initials_key(g: NameGroup) -> tuple[str, ...]:
    return (label_class(g.label), *(w[0] for w in g.words))


_Key = Callable[[int], object]


def _blocks(idx: list[int], key: _Key) -> dict[object, list[int]]:
    """Groups by blocking key (None: the group takes part in no pair), each block in idx order."""
    out: dict[object, list[int]] = {}
    for i in idx:
        k = key(i)
        if k is not None:
            out.setdefault(k, []).append(i)
    return out


def _pairs_in_blocks(idx: list[int], blocks: dict[object, list[int]]) -> Iterable[tuple[int, list[int]]]:
    """(i, the members of i's block after i), for i in idx order: all-pairs order within blocks."""
    where = {i: (members, n) for members in blocks.values() for n, i in enumerate(members)}
    for i in idx:
        if i in where:
            members, n = where[i]
            yield i, members[n + 1 :]
