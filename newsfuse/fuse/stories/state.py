"""The state one ``assign_articles`` call works on (:mod:`newsfuse.fuse.stories.assign`).

``Cache`` holds the story vectors, headers, arguments and batch items the call has read, kept in
step with what it writes, so no story is read twice in a call; ``Unit`` is the articles placed
together (one article, or a group the batch clustering formed).
"""

from __future__ import annotations

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
        """The story's arguments, read from its members' recorded terms on first use."""
        if story_id not in self.profiles:
            members = queries.story_article_ids(store, story_id)
            terms = queries.story_doc_terms(store, members)
            profile = Profile()
            for member in members:
                profile.add_terms(terms.get(member, {}))
            self.profiles[story_id] = profile
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
                storybatch.Item(textsim.weigh(terms[m], df, n_docs), storyargs.of_counts(terms[m]),
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
