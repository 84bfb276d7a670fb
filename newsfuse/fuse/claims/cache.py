"""Statements and fact links of recently fused articles, kept between fuses of one process.

Re-fusing a story after one new article joined it rebuilds the statements of every article it
holds, though only the new one changed. This cache keeps each article's statements and fact links
keyed by everything they are read from: the article, its analysis (compared in full, so a
re-analysis misses), the entity IDs its mention keys resolve to, the names of those entities and
which of the story's outlets the article names as a source ('according to Reuters' is a citation
when Reuters is one of the story's outlets): the only use statements make of the story's outlets,
so an outlet joining the story misses no other article. A hit is therefore exactly what building
would return; a miss builds.

It helps a long-running process (the HTTP API, a run fusing one story several times); a fresh CLI
process starts empty. Bounded to ``defaults.CLAIM_CACHE_ARTICLES`` articles, least recently used
dropped first, with one entry per article: when what an article's statements are read from changes
(its story gained an outlet the article names as its source, an entity was renamed), the new build
replaces the old one instead of sitting beside it. A watch re-fuses a growing story after each
batch, and stale versions kept beside the current one made its memory grow with every batch.
Cached statements are shared between fuses: nothing mutates a Statement after it is built except
``Statement.sig_of``, which records the Memo it belongs to and so is never misread.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping

from newsfuse import defaults
from newsfuse.fuse.claims.lru import SlotLRU
from newsfuse.fuse.claims.statements import Statement
from newsfuse.fuse.entities.resolve import normalise
from newsfuse.models import Analysis, Article

Built = tuple[list[Statement], list[tuple[Statement, Statement]]]  # statements, fact links


class ArticleCache(SlotLRU[Built]):
    """LRU of one article's statements and fact links by what they are built from."""

    def get(self, key: Hashable, build: Callable[[], Built], slot: Hashable | None = None) -> Built:
        """The cached value of ``key``, else ``build()`` (stored in ``slot``: one entry per slot, so
        a new key for an article replaces its old one; without a slot the key is its own slot)."""
        # A key kept in a slot is only compared, never hashed: hashing one (an article's whole
        # analysis, every time) cost a re-fuse of 500 articles ~0.1 s for nothing.
        if slot is None and not _hashable(key):
            return build()
        return super().get(key, build, slot)


def _hashable(key: Hashable) -> bool:
    """Whether ``key`` hashes: a record holding a list (hand-made analyses may) is built, not cached."""
    try:
        hash(key)
    except TypeError:
        return False
    return True


CACHE = ArticleCache(defaults.CLAIM_CACHE_ARTICLES)


class SplitEmap(dict[tuple[str, str], str]):
    """A story's entity map with its parts by article made once (:func:`emap_by_article`): the claim
    passes of one fuse ask for them three times, and a 500-article story's map holds ~17,000 links.
    A copy: what it was made from may change after, it does not."""

    def __init__(self, emap: Mapping[tuple[str, str], str]) -> None:
        super().__init__(emap)
        self.by_article = _split(self)


def emap_by_article(emap: Mapping[tuple[str, str], str]) -> dict[str, dict[str, str]]:
    """article ID -> {mention key: entity ID}: each article's part of the story's entity map (not to
    be changed: a :class:`SplitEmap` gives the parts it keeps)."""
    if isinstance(emap, SplitEmap):
        return emap.by_article
    return _split(emap)


def _split(emap: Mapping[tuple[str, str], str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for (article_id, key), entity in emap.items():
        out.setdefault(article_id, {})[key] = entity
    return out


def key_of(
    article: Article, analysis: Analysis, links: Mapping[str, str], names: Mapping[str, str],
    outlets: frozenset[str],
) -> Hashable:
    """Everything an article's statements are read from (``links``: its part of the entity map)."""
    entities = sorted(set(links.values()))
    return (article, analysis, tuple(sorted(links.items())), tuple((e, names.get(e)) for e in entities),
            named_outlets(analysis, outlets))


def named_outlets(analysis: Analysis, outlets: frozenset[str]) -> frozenset[str]:
    """The story's outlets (normalised names) this article gives as the source of a statement ('according
    to Reuters'): whether such a speaker is an outlet of the story decides if the statement is cited
    (``statements._cited``); no other part of an article's statements reads the story's outlets."""
    return frozenset(
        who for q in analysis.quotes if q.kind == "according_to" and q.speaker
        and (who := normalise(q.speaker)) in outlets
    )
