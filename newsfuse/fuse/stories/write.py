"""Story upkeep: founding a story, adding articles to it, merging stories, and rebuilding a
story after re-clustering moved articles (membership, centroid, index terms, dates, title).

Every write of a story's state during ``assign_articles`` goes through here, so the store and
the call's :class:`~newsfuse.fuse.stories.state.Cache` never drift apart.
"""

from __future__ import annotations

import json

from newsfuse import defaults
from newsfuse.fuse.stories import textsim
from newsfuse.fuse.stories.args import Profile
from newsfuse.fuse.stories.basics import story_id_for, story_title, title_of
from newsfuse.fuse.stories.state import Cache, Unit
from newsfuse.fuse.stories.textsim import Vector
from newsfuse.ids import content_id
from newsfuse.models import Article, Story, StoryMerge
from newsfuse.store import Store, queries


def found(store: Store, cache: Cache, unit: Unit) -> str:
    first = unit.articles[0]
    sid = story_id_for(first.id)
    day = first.published
    store.put_story(Story(id=sid, title=title_of(first), first_seen=day, last_update=day))
    cache.headers.update(queries.story_headers(store, [sid]))
    cache.vectors[sid] = (0, {})
    cache.profiles[sid] = Profile()
    join(store, cache, sid, unit, 1.0)
    return sid


def join(store: Store, cache: Cache, sid: str, unit: Unit, score: float) -> None:
    """Add the unit's articles to the story: membership, centroid, index terms, dates and title.
    Each article is recorded with ``score``, except in a story it founds: there the first gets 1
    and the others their mean cosine with the members before them."""
    size, centroid = cache.vectors.get(sid, (0, {}))
    founding = size == 0
    index_terms: list[str] = []
    for article, vec in zip(unit.articles, unit.vectors, strict=True):
        member_score = textsim.mean_cosine(vec, centroid, size) if founding and size else score
        centroid = textsim.add(centroid, vec, defaults.STORY_CENTROID_TERMS)
        size += 1
        store.assign(article.id, sid, round(member_score, 4))
        index_terms += textsim.top_terms(vec, defaults.STORY_INDEX_TERMS)
    cache.vectors[sid] = (size, centroid)
    cache.member_items.pop(sid, None)
    if sid in cache.profiles:
        cache.profiles[sid].add(unit.profile)
    store.put_story_vector(sid, size, _dump(centroid), list(dict.fromkeys(index_terms)))
    header = cache.headers[sid]
    lo, hi = unit.days
    _put_header(store, cache, sid, _title(store, cache, sid, header["title"]), _min(header["first_seen"], lo),
                _max(header["last_update"], hi))


def merge(store: Store, cache: Cache, linked: list[str], article: Article, scores: dict[str, float]) -> str:
    """Merge every linked story into the oldest one; return the survivor's ID."""
    oldest = min(linked, key=lambda s: cache.headers[s]["created_seq"])
    for sid in sorted(linked, key=lambda s: cache.headers[s]["created_seq"]):
        if sid == oldest:
            continue
        reason = f"article {article.id} matches both (scores {scores[oldest]:.2f} and {scores[sid]:.2f})"
        merge_pair(store, cache, sid, oldest, reason, round(scores[sid], 4))
    return oldest


def merge_pair(
    store: Store, cache: Cache, from_id: str, into_id: str, reason: str, similarity: float
) -> None:
    """Merge one story into another: record the merge, add up the vectors, widen the dates."""
    store.merge_stories(StoryMerge(from_id=from_id, into_id=into_id, reason=reason, similarity=similarity))
    cache.member_items.pop(from_id, None)
    cache.member_items.pop(into_id, None)
    size_a, cent_a = cache.vectors[into_id]
    size_b, cent_b = cache.vectors.pop(from_id)
    profile_b = cache.profiles.pop(from_id, None)
    if into_id in cache.profiles and profile_b is not None:
        cache.profiles[into_id].add(profile_b)
    else:
        cache.profiles.pop(into_id, None)  # read again from the members when next needed
    merged = textsim.add(cent_a, cent_b, defaults.STORY_CENTROID_TERMS)
    cache.vectors[into_id] = (size_a + size_b, merged)
    store.merge_story_vectors(from_id, into_id, size_a + size_b, _dump(merged))
    a, b = cache.headers[into_id], cache.headers[from_id]
    b["merged_into"] = into_id
    _put_header(store, cache, into_id, _title(store, cache, into_id, a["title"]),
                _min(a["first_seen"], b["first_seen"]), _max(a["last_update"], b["last_update"]))


def _put_header(
    store: Store, cache: Cache, sid: str, title: str, first: str | None, last: str | None
) -> None:
    store.put_story(Story(id=sid, title=title, first_seen=first, last_update=last))
    cache.headers[sid].update(title=title, first_seen=first, last_update=last)


def found_empty(store: Store, cache: Cache, article_id: str, from_id: str) -> str:
    """A new story for a group split off ``from_id``, named by its first article; its ID is the
    article's story ID unless that is taken (the article founded the story it leaves), else one
    made of the article and ``from_id``, else of these and a count: never an ID in use or merged
    away (writing a merged story's header again would bring it back to life beside its merge)."""
    sid = story_id_for(article_id)
    n = 0
    while sid in cache.headers or queries.story_headers(store, [sid]):
        n += 1
        sid = content_id(article_id, from_id, *([str(n)] if n > 1 else []), prefix="s_")
    article = queries.get_article(store, article_id)
    store.put_story(Story(id=sid, title=title_of(article), first_seen=article.published,
                          last_update=article.published))
    cache.headers.update(queries.story_headers(store, [sid]))
    return sid


def rebuild(store: Store, cache: Cache, sid: str, df: dict[str, int], n_docs: int) -> None:
    """A story's centroid (its members re-weighed with the current IDF), index terms, dates and
    title, from its members after moves."""
    ids = queries.story_article_ids(store, sid)
    terms = queries.story_doc_terms(store, ids)
    df.update(queries.term_df(store, sorted({t for c in terms.values() for t in c} - df.keys())))
    centroid: Vector = {}
    index_terms: list[str] = []
    for a in ids:
        vec = textsim.weigh(terms.get(a, {}), df, n_docs)
        centroid = textsim.add(centroid, vec, defaults.STORY_CENTROID_TERMS)
        index_terms += textsim.top_terms(vec, defaults.STORY_INDEX_TERMS)
    store.put_story_vector(sid, len(ids), _dump(centroid), list(dict.fromkeys(index_terms)))
    cache.vectors[sid] = (len(ids), centroid)
    cache.member_items.pop(sid, None)
    cache.profiles.pop(sid, None)
    articles = sorted(queries.list_articles(store, ids), key=lambda a: (not a.published, a.published or ""))
    known = [a.published for a in articles if a.published]
    current = cache.headers[sid]["title"]
    title = story_title(articles, centroid, current) if articles else current
    _put_header(store, cache, sid, title, known[0] if known else None, known[-1] if known else None)


def _title(store: Store, cache: Cache, sid: str, current: str) -> str:
    """The story's title from all its members and its centroid (``basics.story_title``), so the
    order in which they arrived does not change it, and a new member changes it only when its
    headline sums the story up clearly better; ``current`` while it has none."""
    leads = queries.article_leads(store, queries.story_article_ids(store, sid))
    return story_title(leads, cache.vectors.get(sid, (0, {}))[1], current) if leads else current


def _dump(vec: Vector) -> str:
    return json.dumps({t: round(w, 6) for t, w in vec.items()}, separators=(",", ":"))


def _earlier(a: str | None, b: str | None) -> bool:
    return bool(a and (not b or a < b))


def _min(a: str | None, b: str | None) -> str | None:
    return b if _earlier(b, a) else a


def _max(a: str | None, b: str | None) -> str | None:
    return b if (b and (not a or b > a)) else a
