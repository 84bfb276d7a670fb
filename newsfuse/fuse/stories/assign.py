"""Grouping of articles into stories with stable IDs: batch clustering, then online placement.

The score of an article (or a group of articles) against a story is average link (the mean
cosine of TF-IDF vectors, :mod:`newsfuse.fuse.stories.textsim`: content words, names, numbers, over all
article x member pairs, computed from the story's summed vector: one dot product) times a time
factor (dates far apart lower it; unknown dates are neutral) times the argument agreement
(:mod:`newsfuse.fuse.stories.args`: different people, figures, years or weekdays named on both sides
lower it; a shared place or figure offsets that). Average link rather than the cosine with the
centroid: the centroid of a big, loose story points at its common words and draws in any article
of the same kind (two arrests, two earthquakes).

One call of ``assign_articles``:

1. the call's articles (copies aside) are grouped offline, in blocks of ``STORY_BATCH_BLOCK`` in
   arrival order (:mod:`newsfuse.fuse.stories.batch`: average-link clustering cut at
   ``STORY_THRESHOLD``, two big groups held apart when they link far below their own
   cohesion), so a batch's grouping does not depend on its order; a single article is a group
   of one;
2. each group, in order of its first article, is scored against the stored stories sharing most
   of its heaviest terms (inverted term -> story index; no store-wide scan; the stories its own
   block founded are left out: the clustering already kept them apart). Best score >=
   ``STORY_THRESHOLD``: the group joins that story; otherwise it founds a new story whose ID is
   ``content_id(first_article_id, prefix="s_")`` and never changes;
3. a group scoring >= ``STORY_MERGE_THRESHOLD`` with two or more stories links them: the younger
   ones are merged into the oldest (a :class:`StoryMerge` is recorded; old IDs stay resolvable);
4. a copy (``queries.copy_original``) joins its original's story, whatever its text;
5. each small story the call founded (at most ``STORY_RESCUE_MAX_MEMBERS`` articles, nobody joined
   it) gets a second chance: it is merged into its best story when that scores >=
   ``STORY_RESCUE_THRESHOLD`` (lower bars for a story dated the same day: naming a person or place
   in common, ``STORY_RESCUE_NEAR_THRESHOLD``; alone on that day among the candidates,
   ``STORY_RESCUE_DAY_THRESHOLD``) and ``STORY_RESCUE_MARGIN`` times the runner-up (a group of two or
   more also needs a person or place in common and dates a few days apart:
   ``STORY_RESCUE_GROUP_KINDS``, ``STORY_RESCUE_GROUP_MAX_DAYS``);
6. consolidation: each story the call touched is checked against its candidate stories (term
   index, at most ``STORY_MAX_CANDIDATES``) as a group, under the batch criterion: the average
   link over both stories' members (pairwise cosine x time factor x argument agreement, members
   re-weighed with the current IDF; :func:`newsfuse.fuse.stories.batch.group_link`, with the batch
   cut's cohesion check) reaching
   ``STORY_CONSOLIDATE_THRESHOLD``. Such stories merge, the younger into the older (recorded; both
   IDs resolve); a survivor is checked again. Articles arriving one by one thus end up grouped
   as a batch would group them wherever no story took a wrong article first. A cheap bound (the
   stored summed vectors: one dot product) skips the exact check for almost every pair;
7. convergence (``STORY_RECLUSTER``): the stories the call touched and their candidates (at most
   ``STORY_RECLUSTER_CANDIDATES`` each, those that could exchange an article at all, at most
   ``STORY_RECLUSTER_MAX_ARTICLES`` articles, each story's ``STORY_RECLUSTER_MAX_MEMBERS``
   newest) are clustered again as one batch (:mod:`newsfuse.fuse.stories.recluster`); an article
   the batch clearly puts elsewhere (hysteresis: ``STORY_MOVE_MARGIN``) is moved out of the story
   it was wrongly placed in, to the story of its cluster or a new one; each move is recorded
   (``queries.story_moves``). Stories keep their IDs: a story is emptied only by a recorded
   merge, and old IDs resolve. Copies move with their original. A call of one article placed
   beyond doubt skips this step (most of a call's cost): it joined a story scoring
   ``STORY_RECLUSTER_SKIP_MARGIN`` times the runner-up, or founded a story that no member of any
   candidate can link to at ``STORY_THRESHOLD`` (mean x size bound), and nothing merged;
8. late rescue (:mod:`newsfuse.fuse.stories.lone`): the lone and small stories near the stories
   the call touched get step 5's second chance again, under the same criterion: one article per
   call, a report that came before its story's other reports was alone at its own call, and a
   batch would have rescued it after they came. The younger story merges into the older. In a call
   of many articles the small stories it founded are looked at again too (``STORY_RESCUE_AGAIN``):
   steps 6-7 may have moved articles since step 5, leaving two pieces of one story each small.

Online IDF: document frequencies live in the store (``story_df``) and grow as articles arrive.
One call first counts all its articles, then weighs them, so a batch is weighed with the IDF of
the whole batch. A centroid keeps the vectors its members had when they joined; older members are
not re-weighed as IDF drifts (the consolidation re-weighs the members it reads). A story's
arguments are read from its members' recorded terms when first needed. Articles arriving one call
at a time are placed online (steps 2, 3, 4, 6 and 7), so the same articles may still group
differently when they come one by one instead of in one call (bench/stories.py measures both:
``stream`` is one article per call; steps 7 and 8 bring the two close).

Re-running on articles that are already placed changes nothing.

The steps live in modules of their own; this one holds the entry point and the order of the
steps: :mod:`~newsfuse.fuse.stories.place` (candidates, placement score, steps 2-5),
:mod:`~newsfuse.fuse.stories.consolidate` (step 6), :mod:`~newsfuse.fuse.stories.moves` (step 7),
:mod:`~newsfuse.fuse.stories.lone` (step 8),
:mod:`~newsfuse.fuse.stories.write` (founding, joining, merging and rebuilding stories),
:mod:`~newsfuse.fuse.stories.state` (the call's cache) and :mod:`~newsfuse.fuse.stories.basics` (IDs,
titles, time factor). The public helpers are re-exported here, so callers import them from this
module.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from newsfuse import defaults
from newsfuse.errors import NotFoundError
from newsfuse.fuse.claims.build import sentence_around
from newsfuse.fuse.stories import args as storyargs
from newsfuse.fuse.stories import batch as storybatch
from newsfuse.fuse.stories import consolidate as storyconsolidate
from newsfuse.fuse.stories import lone as storylone
from newsfuse.fuse.stories import moves as storymoves
from newsfuse.fuse.stories import place as storyplace
from newsfuse.fuse.stories import textsim
from newsfuse.fuse.stories.args import Profile
from newsfuse.fuse.stories.basics import article_text, parse_day, story_id_for, time_factor, title_of
from newsfuse.fuse.stories.place import candidate_terms, score_story
from newsfuse.fuse.stories.state import Cache, Unit
from newsfuse.fuse.stories.textsim import Vector
from newsfuse.models import Analysis, Article
from newsfuse.store import Store, queries

__all__ = [
    "article_text",
    "assign_articles",
    "candidate_terms",
    "score_story",
    "story_id_for",
    "time_factor",
    "title_of",
]


def assign_articles(store: Store, article_ids: Sequence[str]) -> list[str]:
    """Place each stored article (in the given arrival order) in a story; return the story IDs
    created or changed (merged-away stories included). Articles already placed are left alone.

    The call reads its articles from the store in pages (``STORY_PAGE_ARTICLES``) and blocks
    (``STORY_BATCH_BLOCK``), never all at once: besides the IDs, it holds the document frequencies
    of the call's terms and the stories it touched, so its memory grows with the vocabulary and the
    stories, not with the articles' texts and analyses."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return []
    with store.transaction():  # the check inside: a concurrent writer may have placed some since
        todo = [i for i in ids if queries.story_of_article(store, i) is None]
        if not todo:
            return []
        terms = _record_terms(store, todo)  # raises NotFoundError (nothing kept) for an unknown ID
        n_docs = queries.story_doc_count(store)
        df = queries.term_df(store, sorted(terms))
        del terms
        return _assign(store, todo, _Weigher(store, df, n_docs))


class _Weigher:
    """Reads articles with their weighed vectors and argument profiles, a page at a time, from the
    term counts the call recorded and the document frequencies of the whole call (so an article
    read again, for the rescue, gets the same vector as when it was placed)."""

    def __init__(self, store: Store, df: dict[str, int], n_docs: int) -> None:
        self.store, self.df, self.n_docs = store, df, n_docs

    def read(self, ids: list[str]) -> list[tuple[Article, Vector, Profile]]:
        articles = {a.id: a for a in queries.list_articles(self.store, ids)}
        counts = queries.story_doc_terms(self.store, ids)
        return [(articles[i], textsim.weigh(counts[i], self.df, self.n_docs), storyargs.of_counts(counts[i]))
                for i in ids]

    def unit(self, ids: list[str]) -> Unit:
        read = self.read(ids)
        return Unit([a for a, _, _ in read], [v for _, v, _ in read], _profile_of([p for _, _, p in read]))


def _assign(store: Store, todo: list[str], weigher: _Weigher) -> list[str]:
    """Group the call's articles block by block, place the groups, then the copies."""
    df, n_docs = weigher.df, weigher.n_docs
    cache = Cache()
    changed: list[str] = []
    copy_ids = {i for i in todo if _is_copy(store, i)}
    rest = [i for i in todo if i not in copy_ids]
    founded: list[list[str]] = []  # member IDs of each story the call founded (read again to rescue)
    settled: dict[str, int] = {}  # story founded by the call -> its block (already kept apart)
    for number, block in enumerate(storybatch.blocks(len(rest))):
        part = weigher.read([rest[i] for i in block])
        items = [storybatch.Item(vec, profile, parse_day(a.published)) for a, vec, profile in part]
        fresh: set[str] = set()  # the block's own stories: the clustering already kept them apart
        for group in storybatch.cluster(items):
            members = [part[i] for i in group]
            unit = Unit([a for a, _, _ in members], [v for _, v, _ in members],
                        _profile_of([p for _, _, p in members]))
            touched = storyplace.place(store, cache, unit, df, n_docs, fresh)
            if touched[0] == story_id_for(unit.articles[0].id):
                fresh.add(touched[0])
                settled[touched[0]] = number
                founded.append([a.id for a in unit.articles])
            changed += touched
        del part, items
    copies = [i for i in todo if i in copy_ids]
    for start in range(0, len(copies), defaults.STORY_PAGE_ARTICLES):
        for article, vec, profile in weigher.read(copies[start:start + defaults.STORY_PAGE_ARTICLES]):
            changed += storyplace.place(store, cache, Unit([article], [vec], profile), df, n_docs, set())
    # The rescue repairs what blocks and copies leave: a lone report with no clear partner in its
    # block may still clearly belong to a story. A call of one article leaves its lone story to
    # the late rescue (step 8), which also looks at the lone stories around it.
    for founders in founded if len(todo) > 1 else []:
        changed += storyplace.rescue(store, cache, weigher.unit(founders), df, n_docs)
    merged = storyconsolidate.consolidate(store, cache, list(dict.fromkeys(changed)), settled, df, n_docs)
    changed += merged
    # One article placed beyond doubt (a clear join, or a story of its own that no stored article
    # is near), with nothing merged, leaves the neighbourhood as the last re-clustering left it.
    clear = cache.placed == cache.clear == 1 and len(set(changed)) == 1 and not merged
    if defaults.STORY_RECLUSTER and not clear:
        changed += storymoves.recluster(store, cache, list(dict.fromkeys(changed)), settled, df, n_docs)
    # Lone stories near what the call touched get the rescue again: their story may have come since.
    # The stories the call founded had theirs at step 5, before consolidation and re-clustering
    # moved articles (a moved report founds a small story of its own): STORY_RESCUE_AGAIN gives
    # them another.
    again = defaults.STORY_RESCUE_AGAIN or len(todo) == 1
    done = set() if again else {story_id_for(f[0]) for f in founded}
    changed += storylone.rescue_lone(store, cache, list(dict.fromkeys(changed)), df, n_docs, done)
    return list(dict.fromkeys(changed))


def _profile_of(profiles: list[Profile]) -> Profile:
    total = Profile()
    for profile in profiles:
        total.add(profile)
    return total


def _is_copy(store: Store, article_id: str) -> bool:
    return queries.copy_original(store, article_id) is not None


def _record_terms(store: Store, article_ids: list[str]) -> set[str]:
    """Count the terms of the articles never counted and add them to the DF, a page at a time;
    returns every term of the articles (their document frequencies weigh them all)."""
    terms: set[str] = set()
    for start in range(0, len(article_ids), defaults.STORY_PAGE_ARTICLES):
        page = article_ids[start:start + defaults.STORY_PAGE_ARTICLES]
        known = queries.story_doc_terms(store, page)
        for counts in known.values():
            terms.update(counts)
        articles = {a.id: a for a in queries.list_articles(store, [i for i in page if i not in known])}
        missing = [i for i in page if i not in known and i not in articles]
        if missing:
            raise NotFoundError(f"no article {missing[0]!r} in {store.url}; ingest it before assigning "
                                "stories")
        analyses = queries.get_analyses(store, list(articles))  # one read for the page
        new = {aid: {t: float(c) for t, c in _count(a, analyses[aid]).items()} for aid, a in articles.items()}
        if new:
            df = Counter(t for c in new.values() for t in c)
            docs = [(aid, json.dumps(c, separators=(",", ":"), sort_keys=True)) for aid, c in new.items()]
            store.add_story_docs(docs, sorted(df.items()))
            terms.update(df)
    return terms


def _count(article: Article, analysis: Analysis) -> dict[str, int]:
    """An article's term counts, with its lead (the first sentence of the analysed text, and the
    title, which the analysis does not read) and its counted figures."""
    lead_end = sentence_around(article.text, 0, 0)[1] if article.text else 0
    return textsim.count_terms(article_text(article), analysis.mentions, analysis.amounts,
                               lead_end=lead_end, headline=article.title or "")
