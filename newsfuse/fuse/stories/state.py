"""The state one ``assign_articles`` call works on (:mod:`newsfuse.fuse.stories.assign`).

``Cache`` holds the story vectors, headers, arguments and batch items the call has read, kept in
step with what it writes, so no story is read twice in a call; ``Unit`` is the articles placed
together (one article, or a group the batch clustering formed).

Between calls (a watch places one article per call) each store's article and story argument
profiles are kept (:func:`article_profile`, :func:`story_profile`): an article's recorded terms never
change under its ID (``Store.add_story_docs`` writes them once), so its profile is made once, and a
story's is made again only from the members it gained since (its members are read each time, so a
story that lost one is made afresh). With the argument lift on (``STORY_ARG_AGREE_CAP`` above 1)
placement scores and reads many more stories' arguments, which doubled its CPU when each call
made them again from every member's stored terms.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from newsfuse import defaults
from newsfuse.fuse.stories import args as storyargs
from newsfuse.fuse.stories import batch as storybatch
from newsfuse.fuse.stories import textsim
from newsfuse.fuse.stories.args import Profile
from newsfuse.fuse.stories.basics import parse_day
from newsfuse.fuse.stories.textsim import Vector
from newsfuse.models import Article
from newsfuse.store import Store, queries


@dataclass
class Cache:
    """Story state read during one call, kept in step with what the call writes."""

    vectors: dict[str, tuple[int, Vector]] = field(default_factory=dict)
    headers: dict[str, dict[str, Any]] = field(default_factory=dict)
    profiles: dict[str, Profile] = field(default_factory=dict)
    member_items: dict[str, list[storybatch.Item]] = field(default_factory=dict)  # see items()
    clear: int = 0  # units placed beyond doubt: a clear join or a story no one is near (storyplace.place)
    placed: int = 0  # units placed by scoring

    def load(self, store: Store, story_ids: list[str]) -> None:
        missing = [s for s in story_ids if s not in self.vectors]
        if missing:
            self.vectors.update(queries.story_vectors(store, missing))
        missing = [s for s in story_ids if s not in self.headers]
        if missing:
            self.headers.update(queries.story_headers(store, missing))

    def profile(self, store: Store, story_id: str) -> Profile:
        """The story's arguments, read from its members' recorded terms on first use (a copy of
        what earlier calls kept, with the members it gained since: :func:`story_profile`)."""
        if story_id not in self.profiles:
            self.profiles[story_id] = story_profile(store, story_id)
        return self.profiles[story_id]

    def items(self, store: Store, story_id: str, df: dict[str, int], n_docs: int) -> list[storybatch.Item]:
        """The story's members as the batch clustering sees them, weighed with the current IDF
        (at most STORY_CONSOLIDATE_MAX_MEMBERS, spread over its history). Adds the document
        frequencies it reads to ``df``."""
        if story_id not in self.member_items:
            members = queries.story_article_ids(store, story_id)
            step = -(-len(members) // max(1, defaults.STORY_CONSOLIDATE_MAX_MEMBERS))
            members = members[:: max(1, step)]
            terms = queries.story_doc_terms(store, members)
            missing = sorted({t for c in terms.values() for t in c} - df.keys())
            df.update(queries.term_df(store, missing))
            days = {a.id: parse_day(a.published) for a in queries.list_articles(store, members)}
            self.member_items[story_id] = [
                storybatch.Item(textsim.weigh(terms[m], df, n_docs), article_profile(store, m, terms[m]),
                                days.get(m))
                for m in members if m in terms
            ]
        return self.member_items[story_id]


@dataclass
class Unit:
    """Articles placed together: one article, or a group the batch clustering formed."""

    articles: list[Article]  # arrival order; the first founds the story if a new one is needed
    vectors: list[Vector]
    profile: Profile
    total: Vector = field(default_factory=dict)  # sum of the vectors

    def __post_init__(self) -> None:
        for vec in self.vectors:
            self.total = textsim.add(self.total, vec, len(self.total) + len(vec))

    @property
    def days(self) -> tuple[str | None, str | None]:
        known = sorted(a.published for a in self.articles if a.published)
        return (known[0], known[-1]) if known else (None, None)


class _Kept:
    """One store's argument profiles kept between calls, least recently used first."""

    def __init__(self) -> None:
        self.articles: OrderedDict[str, Profile] = OrderedDict()
        self.stories: OrderedDict[str, tuple[frozenset[str], Profile]] = OrderedDict()


_KEPT: weakref.WeakKeyDictionary[Store, _Kept] = weakref.WeakKeyDictionary()


def _kept(store: Store) -> _Kept:
    kept = _KEPT.get(store)
    if kept is None:
        kept = _KEPT[store] = _Kept()
    return kept


_MOST: list[int | None] = [None]  # profiles kept of each kind, below STORY_PROFILES_KEPT (a byte budget)


def forget() -> None:
    """Drop the profiles kept between calls (a fresh process's state, for tests and benches)."""
    _KEPT.clear()


def kept_profiles() -> list[Profile]:
    """Every profile kept now, articles' and stories' (for sizing: watch/kept.py)."""
    return [p for k in list(_KEPT.values())
            for p in [*k.articles.values(), *(found for _, found in k.stories.values())]]


def keep_at_most(n: int | None) -> None:
    """Keep at most ``n`` profiles, articles' and stories' together (None: STORY_PROFILES_KEPT of
    each), least recently used dropped first."""
    _MOST[0] = n
    for k in list(_KEPT.values()):
        _bound(k.articles)
        _bound(k.stories)


def article_profile(store: Store, article_id: str, counts: Mapping[str, float]) -> Profile:
    """The arguments of one article of ``store`` whose recorded term counts are ``counts`` (kept:
    shared, never to be changed by the caller; an article with no recorded terms is not kept)."""
    kept = _kept(store).articles
    found = kept.get(article_id)
    if found is None:
        found = storyargs.of_counts(counts)
        if not counts:
            return found
        kept[article_id] = found
        _bound(kept)
    kept.move_to_end(article_id)
    return found


def story_profile(store: Store, story_id: str) -> Profile:
    """The arguments of a story's members, as a new profile the caller may change: what an earlier
    call kept of the story plus the members it gained since, or made afresh when it lost one."""
    members = queries.story_article_ids(store, story_id)
    kept = _kept(store)
    before = kept.stories.get(story_id)
    profile = Profile()
    new = members
    if before is not None and before[0].issubset(members):
        profile.add(before[1])
        new = [m for m in members if m not in before[0]]
    terms = queries.story_doc_terms(store, new)
    for member in new:
        profile.add(article_profile(store, member, terms.get(member, {})))
    if all(m in terms for m in new):  # a member with no terms yet is read again next time
        kept.stories[story_id] = (frozenset(members), Profile().add(profile))
        kept.stories.move_to_end(story_id)
        _bound(kept.stories)
    return profile


def _bound(kept: OrderedDict[str, Any]) -> None:
    most = defaults.STORY_PROFILES_KEPT
    if _MOST[0] is not None:
        most = min(most, max(1, _MOST[0] // 2))
    while len(kept) > most:
        kept.popitem(last=False)
