"""Online grouping of articles into stories with stable IDs.

Articles are placed one at a time, in arrival order (single-pass clustering):

1. a copy (``queries.copy_original``) joins its original's story;
2. otherwise the stories sharing most of the article's heaviest terms are fetched from an inverted
   term -> story index (no store-wide scan), and each is scored: the mean cosine of the article's
   TF-IDF vector (:mod:`newsfuse.fuse.textsim`: content words, names, numbers) with the story's
   members (online average link, computed from the sum of their vectors: one dot product), times
   a time factor (dates far apart lower it; unknown dates are neutral). Average link rather than
   the cosine with the centroid: the centroid of a big, loose story points at its common words
   and draws in any article of the same kind (two arrests, two earthquakes);
3. best score >= ``STORY_THRESHOLD``: the article joins that story; otherwise it founds a new story
   whose ID is ``content_id(article_id, prefix="s_")`` and never changes;
4. two or more stories >= ``STORY_MERGE_THRESHOLD``: the article links them, so the younger ones
   are merged into the oldest (a :class:`StoryMerge` is recorded; old IDs stay resolvable);
5. after a call of several articles is placed, each story founded by it that nobody joined gets a
   second chance (arrival order is arbitrary: a follow-up may arrive before the main reports): it
   is merged into its best story when that scores >= ``STORY_RESCUE_THRESHOLD`` and
   ``STORY_RESCUE_MARGIN`` times the runner-up (a recorded :class:`StoryMerge`).

Online IDF: document frequencies live in the store (``story_df``) and grow as articles arrive.
One call first counts all its articles, then weighs them, so a batch (e.g. a first import) is
weighed with the IDF of the whole batch and the result depends on arrival order only through the
single-pass placement (bench/stories.py measures it over shuffled orders). A centroid keeps the
vectors its members had when they joined; older members are not re-weighed as IDF drifts.

Re-running on articles that are already placed changes nothing.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from newsfuse import defaults
from newsfuse.errors import NotFoundError
from newsfuse.fuse import textsim
from newsfuse.fuse.claims import sentence_around
from newsfuse.fuse.textsim import Vector
from newsfuse.ids import content_id
from newsfuse.models import Article, Story, StoryMerge
from newsfuse.store import Store, queries


@dataclass
class _Cache:
    """Story state read during one call, kept in step with what the call writes."""

    vectors: dict[str, tuple[int, Vector]] = field(default_factory=dict)
    headers: dict[str, dict[str, Any]] = field(default_factory=dict)

    def load(self, store: Store, story_ids: list[str]) -> None:
        missing = [s for s in story_ids if s not in self.vectors]
        if missing:
            self.vectors.update(queries.story_vectors(store, missing))
        missing = [s for s in story_ids if s not in self.headers]
        if missing:
            self.headers.update(queries.story_headers(store, missing))


def assign_articles(store: Store, article_ids: Sequence[str]) -> list[str]:
    """Place each stored article (in the given arrival order) in a story; return the story IDs
    created or changed (merged-away stories included). Articles already placed are left alone."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return []
    articles = {a.id: a for a in queries.list_articles(store, ids)}
    unknown = [i for i in ids if i not in articles]
    if unknown:
        raise NotFoundError(f"no article {unknown[0]!r} in {store.url}; ingest it before assigning stories")
    todo = [i for i in ids if queries.story_of_article(store, i) is None]
    if not todo:
        return []
    changed: list[str] = []
    with store.transaction():
        counts = _record_terms(store, [articles[i] for i in todo])
        n_docs = queries.story_doc_count(store)
        df = queries.term_df(store, sorted({t for c in counts.values() for t in c}))
        cache = _Cache()
        vectors = {aid: textsim.weigh(counts[aid], df, n_docs) for aid in todo}
        for aid in todo:
            changed += _place(store, cache, articles[aid], vectors[aid], df, n_docs)
        # The rescue repairs arrival order inside a batch; one article alone has no order to repair
        # (and a lower bar for it would let a new story's article join a loosely similar one).
        for aid in todo if len(todo) > 1 else []:
            changed += _rescue(store, cache, articles[aid], vectors[aid], df, n_docs)
    return list(dict.fromkeys(changed))


def article_text(article: Article) -> str:
    """Title and text: the headline carries the story's key words."""
    if article.title and not article.text.startswith(article.title):
        return f"{article.title}\n{article.text}"
    return article.text


def _record_terms(store: Store, articles: list[Article]) -> dict[str, dict[str, float]]:
    """Term counts of the articles; those never counted are counted now and added to the DF."""
    known = queries.story_doc_terms(store, [a.id for a in articles])
    todo = [a for a in articles if a.id not in known]
    analyses = queries.get_analyses(store, [a.id for a in todo])  # one read for the batch
    new: dict[str, dict[str, float]] = {}
    for a in todo:
        mentions = analyses[a.id].mentions
        new[a.id] = {t: float(c) for t, c in textsim.count_terms(article_text(a), mentions).items()}
    if new:
        df = Counter(t for c in new.values() for t in c)
        docs = [(aid, json.dumps(c, separators=(",", ":"), sort_keys=True)) for aid, c in new.items()]
        store.add_story_docs(docs, sorted(df.items()))
    return {**known, **new}


def _place(
    store: Store, cache: _Cache, article: Article, vec: Vector, df: dict[str, int], n_docs: int
) -> list[str]:
    """Put one article in a story; return the IDs of the stories it changed."""
    copy_story = _story_of_original(store, article.id)
    if copy_story is not None:
        cache.load(store, [copy_story])
        _join(store, cache, copy_story, article, vec, 1.0)
        return [copy_story]
    scored = _score(store, cache, article, vec, df, n_docs)
    if not scored or scored[0][0] < defaults.STORY_THRESHOLD:
        return [_found(store, cache, article, vec)]
    linked = [sid for score, sid in scored if score >= defaults.STORY_MERGE_THRESHOLD]
    target = scored[0][1]
    touched = []
    if len(linked) > 1:
        target = _merge(store, cache, linked, article, dict((s, x) for x, s in scored))
        touched = [s for s in linked if s != target]
    _join(store, cache, target, article, vec, scored[0][0])
    return [target, *touched]


def _story_of_original(store: Store, article_id: str) -> str | None:
    original = queries.copy_original(store, article_id)
    if original is None:
        return None
    sid = queries.story_of_article(store, original)
    return queries.resolve_story_id(store, sid) if sid else None


def candidate_terms(vec: Vector, df: dict[str, int], n_docs: int) -> list[str]:
    """The article's heaviest terms that are rare enough to look up in the story index."""
    if n_docs >= defaults.STORY_MIN_DOCS_FOR_DF_CUT:
        common = [t for t in vec if df.get(t, 1) > defaults.STORY_MAX_DF_SHARE * n_docs]
    else:
        common = []
    return textsim.top_terms(vec, defaults.STORY_INDEX_TERMS, skip=common)


def _score(
    store: Store, cache: _Cache, article: Article, vec: Vector, df: dict[str, int], n_docs: int,
    exclude: str | None = None,
) -> list[tuple[float, str]]:
    """(score, story_id) of the candidate stories but ``exclude``, best first (ties: older first)."""
    terms = candidate_terms(vec, df, n_docs)
    # One more candidate than needed, so excluding the article's own story keeps the count.
    candidates = queries.story_candidates(store, terms, defaults.STORY_MAX_CANDIDATES + 1)
    candidates = [c for c in candidates if c != exclude][: defaults.STORY_MAX_CANDIDATES]
    cache.load(store, candidates)
    out = []
    for sid in candidates:
        header = cache.headers.get(sid)
        if sid not in cache.vectors or header is None or header["merged_into"]:
            continue
        size, centroid = cache.vectors[sid]
        out.append((score_story(vec, centroid, size, article.published, header["first_seen"],
                                header["last_update"]), sid))
    return sorted(out, key=lambda x: (-x[0], cache.headers[x[1]]["created_seq"]))


def score_story(vec: Vector, centroid: Vector, size: int, published: str | None,
                first_seen: str | None, last_update: str | None) -> float:
    """The score of an article against one story whose ``size`` members sum to ``centroid``
    (also used by the naive peer in bench/)."""
    return textsim.mean_cosine(vec, centroid, size) * time_factor(published, first_seen, last_update)


def _rescue(
    store: Store, cache: _Cache, article: Article, vec: Vector, df: dict[str, int], n_docs: int
) -> list[str]:
    """Merge the story this article founded into its clearly best story, if nobody joined it."""
    own = story_id_for(article.id)
    header = cache.headers.get(own)
    if header is None or header["merged_into"] or cache.vectors.get(own, (0, {}))[0] != 1:
        return []
    scored = _score(store, cache, article, vec, df, n_docs, exclude=own)
    if not scored or scored[0][0] < defaults.STORY_RESCUE_THRESHOLD:
        return []
    best, target = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best < defaults.STORY_RESCUE_MARGIN * runner_up:
        return []
    reason = f"article {article.id} alone in its story; its best story scores {best:.2f}"
    _merge_pair(store, cache, own, target, reason, round(best, 4))
    store.assign(article.id, target, round(best, 4))
    return [own, target]


def time_factor(published: str | None, first_seen: str | None, last_update: str | None) -> float:
    """1 within STORY_TIME_WINDOW_DAYS of the story's dates, halving every half-life beyond;
    1 when either side has no date (unknown is neutral)."""
    day, lo = _day(published), _day(first_seen)
    if day is None or lo is None:
        return 1.0
    hi = _day(last_update) or lo
    gap = (lo - day).days if day < lo else max((day - hi).days, 0)
    excess = gap - defaults.STORY_TIME_WINDOW_DAYS
    return 1.0 if excess <= 0 else 0.5 ** (excess / defaults.STORY_TIME_HALF_LIFE_DAYS)


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def story_id_for(article_id: str) -> str:
    """A story's ID: a hash of the article that founded it."""
    return content_id(article_id, prefix="s_")


def title_of(article: Article) -> str:
    """The article's title, else its first sentence (cut at a word boundary)."""
    if article.title and article.title.strip():
        return article.title.strip()
    first = article.text.strip().split("\n", 1)[0]
    first = first[: sentence_around(first, 0, 0)[1]].rstrip()
    if len(first) > defaults.STORY_TITLE_MAX_CHARS:
        first = first[: defaults.STORY_TITLE_MAX_CHARS].rsplit(" ", 1)[0] + "…"
    return first


def _found(store: Store, cache: _Cache, article: Article, vec: Vector) -> str:
    sid = story_id_for(article.id)
    day = article.published
    store.put_story(Story(id=sid, title=title_of(article), first_seen=day, last_update=day))
    cache.headers.update(queries.story_headers(store, [sid]))
    cache.vectors[sid] = (0, {})
    _join(store, cache, sid, article, vec, 1.0)
    return sid


def _join(store: Store, cache: _Cache, sid: str, article: Article, vec: Vector, score: float) -> None:
    """Add the article to the story: membership, centroid, index terms, dates and title."""
    size, centroid = cache.vectors.get(sid, (0, {}))
    centroid = textsim.add(centroid, vec, defaults.STORY_CENTROID_TERMS)
    cache.vectors[sid] = (size + 1, centroid)
    store.assign(article.id, sid, round(score, 4))
    store.put_story_vector(sid, size + 1, _dump(centroid), textsim.top_terms(vec, defaults.STORY_INDEX_TERMS))
    header = cache.headers[sid]
    title = header["title"]
    if article.published and header["first_seen"] and article.published < header["first_seen"]:
        title = title_of(article)  # the earliest report names the story
    _put_header(store, cache, sid, title, _min(header["first_seen"], article.published),
                _max(header["last_update"], article.published))


def _merge(store: Store, cache: _Cache, linked: list[str], article: Article, scores: dict[str, float]) -> str:
    """Merge every linked story into the oldest one; return the survivor's ID."""
    oldest = min(linked, key=lambda s: cache.headers[s]["created_seq"])
    for sid in sorted(linked, key=lambda s: cache.headers[s]["created_seq"]):
        if sid == oldest:
            continue
        reason = f"article {article.id} matches both (scores {scores[oldest]:.2f} and {scores[sid]:.2f})"
        _merge_pair(store, cache, sid, oldest, reason, round(scores[sid], 4))
    return oldest


def _merge_pair(
    store: Store, cache: _Cache, from_id: str, into_id: str, reason: str, similarity: float
) -> None:
    """Merge one story into another: record the merge, add up the vectors, widen the dates."""
    store.merge_stories(StoryMerge(from_id=from_id, into_id=into_id, reason=reason, similarity=similarity))
    size_a, cent_a = cache.vectors[into_id]
    size_b, cent_b = cache.vectors.pop(from_id)
    merged = textsim.add(cent_a, cent_b, defaults.STORY_CENTROID_TERMS)
    cache.vectors[into_id] = (size_a + size_b, merged)
    store.merge_story_vectors(from_id, into_id, size_a + size_b, _dump(merged))
    a, b = cache.headers[into_id], cache.headers[from_id]
    b["merged_into"] = into_id
    title = b["title"] if _earlier(b["first_seen"], a["first_seen"]) else a["title"]
    _put_header(store, cache, into_id, title, _min(a["first_seen"], b["first_seen"]),
                _max(a["last_update"], b["last_update"]))


def _put_header(
    store: Store, cache: _Cache, sid: str, title: str, first: str | None, last: str | None
) -> None:
    store.put_story(Story(id=sid, title=title, first_seen=first, last_update=last))
    cache.headers[sid].update(title=title, first_seen=first, last_update=last)


def _dump(vec: Vector) -> str:
    return json.dumps({t: round(w, 6) for t, w in vec.items()}, separators=(",", ":"))


def _earlier(a: str | None, b: str | None) -> bool:
    return bool(a and (not b or a < b))


def _min(a: str | None, b: str | None) -> str | None:
    return b if _earlier(b, a) else a


def _max(a: str | None, b: str | None) -> str | None:
    return b if (b and (not a or b > a)) else a
