"""Convergence of the online grouping: re-cluster a neighbourhood of stories as a batch and plan
how the stored stories follow it.

Placed one article per call, an early report of a second event of one kind (a second heist in one
city) can only join the story already there; merging alone never undoes that. After each call,
fuse/stories/assign.py hands the stories the call touched and their candidates here, as one list of
members (arrival order) with their story; :func:`plan` clusters them with the batch criterion
(:func:`newsfuse.fuse.stories.batch.cluster_scores`) and says what must change:

* each story's *home* is the cluster holding most of its members (ties: the one with its founding
  article); a cluster keeps the ID of the oldest story whose home it is, or maps to none;
* a member lying outside its story's home is moved to where its cluster maps (a new story when it
  maps to none), but only when the batch criterion is clearly for it (hysteresis): its mean link
  to the cluster it would join (``STORY_THRESHOLD`` for a new story of its own) must reach
  ``STORY_MOVE_MARGIN`` times its mean link to the members of its story that stay. A member
  near both sides stays where it is, so articles do not flip back and forth as IDF drifts;
* a story whose home is another (older) story's home cluster is merged into that story once
  its members outside it have moved (a story only partly listed is never merged this way). A move
  never empties a story: its home members stay, so its ID is retired only by such a merge (and
  keeps resolving).

Moves are applied before merges.

The plan is pure (no store): fuse/stories/assign.py reads the members and applies it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from newsfuse import defaults
from newsfuse.fuse.stories import batch as storybatch


@dataclass(frozen=True)
class Member:
    """One stored article of the neighbourhood as the re-clustering sees it."""

    article_id: str
    story_id: str
    item: storybatch.Item
    founder: bool = False  # the article whose hash is its story's ID


@dataclass(frozen=True)
class Move:
    """Move ``article_id`` out of ``from_id`` into ``into_id`` (None: into the new story of
    ``group``, founded by the group's first member in arrival order)."""

    article_id: str
    from_id: str
    into_id: str | None
    link: float  # mean link to the members it joins
    stay: float  # mean link to the members of its story that stay
    group: int = -1  # the batch cluster, when into_id is None


@dataclass
class Plan:
    merges: list[tuple[str, str, float]] = field(default_factory=list)  # (from, into, link)
    moves: list[Move] = field(default_factory=list)


def plan(members: Sequence[Member], sizes: dict[str, int], age: dict[str, int]) -> Plan:
    """What the stored grouping of ``members`` (arrival order) must do to follow the batch
    clustering. ``sizes``: each story's total number of members (a story only partly listed is
    never merged away); ``age``: each story's creation order (smaller: older, keeps its ID)."""
    out = Plan()
    if len(members) < 2:
        return out
    sim = storybatch.similarity([m.item for m in members])
    groups = storybatch.cluster_scores(sim, [m.item.profile for m in members])
    where = {i: g for g, group in enumerate(groups) for i in group}
    home = _homes(members, where)
    target = _targets(home, age)
    by_story: dict[str, list[int]] = {}
    for i, m in enumerate(members):
        by_story.setdefault(m.story_id, []).append(i)
    for sid, idx in by_story.items():
        moves = _moves(sim, members, idx, where, groups, home[sid], target)
        out.moves += moves
        into = target[home[sid]]
        stays = [i for i in idx if where[i] == home[sid]]
        if into != sid and len(stays) + len(moves) == sizes.get(sid, len(idx)):
            link = _mean(sim, stays, [i for i in groups[home[sid]] if i not in set(idx)])
            out.merges.append((sid, into, round(link, 4)))
    return out


def _homes(members: Sequence[Member], where: dict[int, int]) -> dict[str, int]:
    """story -> the cluster holding most of its members (ties: its founder's, then the first)."""
    counts: dict[str, Counter[int]] = {}
    founder: dict[str, int] = {}
    for i, m in enumerate(members):
        counts.setdefault(m.story_id, Counter())[where[i]] += 1
        if m.founder:
            founder[m.story_id] = where[i]
    return {sid: min(c, key=lambda g: (-c[g], g != founder.get(sid), g)) for sid, c in counts.items()}


def _targets(home: dict[str, int], age: dict[str, int]) -> dict[int, str]:
    """cluster -> the oldest story whose home it is."""
    out: dict[int, str] = {}
    for sid in sorted(home, key=lambda s: (age.get(s, 0), s)):
        out.setdefault(home[sid], sid)
    return out


def _moves(
    sim: np.ndarray, members: Sequence[Member], idx: list[int], where: dict[int, int],
    groups: list[list[int]], own: int, target: dict[int, str],
) -> list[Move]:
    """The members of one story (``idx``) that clearly belong to another cluster."""
    staying = [i for i in idx if where[i] == own]
    out = []
    for i in idx:
        group = where[i]
        if group == own:
            continue
        others = [j for j in groups[group] if j != i]
        link = _mean(sim, [i], others) if others else defaults.STORY_THRESHOLD
        stay = _mean(sim, [i], staying)
        if link < defaults.STORY_THRESHOLD or link < defaults.STORY_MOVE_MARGIN * stay:
            continue
        sid = members[i].story_id
        out.append(Move(members[i].article_id, sid, target.get(group), round(link, 4), round(stay, 4),
                        group))
    return out


def _mean(sim: np.ndarray, rows: Sequence[int], cols: Sequence[int]) -> float:
    if not rows or not cols:
        return 0.0
    return float(sim[np.ix_(list(rows), list(cols))].mean())
