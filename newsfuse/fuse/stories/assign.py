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
5. each lone story the call founded gets a second chance: it is merged into its best story when
   that scores >= ``STORY_RESCUE_THRESHOLD`` and ``STORY_RESCUE_MARGIN`` times the runner-up;
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
   candidate can link to at ``STORY_THRESHOLD`` (mean x size bound), and nothing merged.

Online IDF: document frequencies live in the store (``story_df``) and grow as articles arrive.
One call first counts all its articles, then weighs them, so a batch is weighed with the IDF of
the whole batch. A centroid keeps the vectors its members had when they joined; older members are
not re-weighed as IDF drifts (the consolidation re-weighs the members it reads). A story's
arguments are read from its members' recorded terms when first needed. Articles arriving one call
at a time are placed online (steps 2, 3, 4, 6 and 7), so the same articles may still group
differently when they come one by one instead of in one call (bench/stories.py measures both:
``stream`` is one article per call; step 7 brings the two close).

Re-running on articles that are already placed changes nothing.

The steps live in modules of their own; this one holds the entry point and the order of the
steps: :mod:`~newsfuse.fuse.stories.place` (candidates, placement score, steps 2-5),
:mod:`~newsfuse.fuse.stories.consolidate` (step 6), :mod:`~newsfuse.fuse.stories.moves` (step 7),
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
    created or changed (merged-away stories included). Articles already placed are left alone."""
    ids = list(dict.fromkeys(article_ids))
    if not ids:
        return []
    articles = {a.id: a for a in queries.list_articles(store, ids)}
    unknown = [i for i in ids if i not in articles]
    if unknown:
        raise NotFoundError(f"no article {unknown[0]!r} in {store.url}; ingest it before assigning stories")
    with store.transaction():  # the check inside: a concurrent writer may have placed some since
        todo = [i for i in ids if queries.story_of_article(store, i) is None]
        if not todo:
            return []
        counts = _record_terms(store, [articles[i] for i in todo])
        n_docs = queries.story_doc_count(store)
        df = queries.term_df(store, sorted({t for c in counts.values() for t in c}))
        vectors = {aid: textsim.weigh(counts[aid], df, n_docs) for aid in todo}
        profiles = {aid: storyargs.of_counts(counts[aid]) for aid in todo}
        return _assign(store, [articles[i] for i in todo], vectors, profiles, df, n_docs)


def _assign(
    store: Store, todo: list[Article], vectors: dict[str, Vector], profiles: dict[str, Profile],
    df: dict[str, int], n_docs: int,
) -> list[str]:
    """Group the call's articles block by block, place the groups, then the copies."""
    cache = Cache()
    changed: list[str] = []
    copy_ids = {a.id for a in todo if _is_copy(store, a.id)}
    copies = [a for a in todo if a.id in copy_ids]
    rest = [a for a in todo if a.id not in copy_ids]
    founded: list[Unit] = []
    settled: dict[str, int] = {}  # story founded by the call -> its block (already kept apart)
    for number, block in enumerate(storybatch.blocks(len(rest))):
        part = [rest[i] for i in block]
        items = [storybatch.Item(vectors[a.id], profiles[a.id], parse_day(a.published)) for a in part]
        fresh: set[str] = set()  # the block's own stories: the clustering already kept them apart
        for group in storybatch.cluster(items):
            members = [part[i] for i in group]
            unit = Unit(members, [vectors[a.id] for a in members], _profile_of(profiles, members))
            touched = storyplace.place(store, cache, unit, df, n_docs, fresh)
            if touched[0] == story_id_for(members[0].id):
                fresh.add(touched[0])
                settled[touched[0]] = number
                founded.append(unit)
            changed += touched
    for article in copies:
        unit = Unit([article], [vectors[article.id]], profiles[article.id])
        changed += storyplace.place(store, cache, unit, df, n_docs, set())
    # The rescue repairs what blocks and copies leave: a lone report with no clear partner in its
    # block may still clearly belong to a story. One article alone has nothing to repair.
    for unit in founded if len(todo) > 1 else []:
        changed += storyplace.rescue(store, cache, unit, df, n_docs)
    merged = storyconsolidate.consolidate(store, cache, list(dict.fromkeys(changed)), settled, df, n_docs)
    changed += merged
    # One article placed beyond doubt (a clear join, or a story of its own that no stored article
    # is near), with nothing merged, leaves the neighbourhood as the last re-clustering left it.
    clear = cache.placed == cache.clear == 1 and len(set(changed)) == 1 and not merged
    if defaults.STORY_RECLUSTER and not clear:
        changed += storymoves.recluster(store, cache, list(dict.fromkeys(changed)), settled, df, n_docs)
    return list(dict.fromkeys(changed))


def _profile_of(profiles: dict[str, Profile], members: list[Article]) -> Profile:
    total = Profile()
    for a in members:
        total.add(profiles[a.id])
    return total


def _is_copy(store: Store, article_id: str) -> bool:
    return queries.copy_original(store, article_id) is not None


def _record_terms(store: Store, articles: list[Article]) -> dict[str, dict[str, float]]:
    """Term counts of the articles; those never counted are counted now and added to the DF."""
    known = queries.story_doc_terms(store, [a.id for a in articles])
    todo = [a for a in articles if a.id not in known]
    analyses = queries.get_analyses(store, [a.id for a in todo])  # one read for the batch
    new: dict[str, dict[str, float]] = {}
    for a in todo:
        new[a.id] = {t: float(c) for t, c in _count(a, analyses[a.id]).items()}
    if new:
        df = Counter(t for c in new.values() for t in c)
        docs = [(aid, json.dumps(c, separators=(",", ":"), sort_keys=True)) for aid, c in new.items()]
        store.add_story_docs(docs, sorted(df.items()))
    return {**known, **new}


def _count(article: Article, analysis: Analysis) -> dict[str, int]:
    """An article's term counts, with its lead (the first sentence of the analysed text, and the
    title, which the analysis does not read) and its counted figures."""
    lead_end = sentence_around(article.text, 0, 0)[1] if article.text else 0
    return textsim.count_terms(article_text(article), analysis.mentions, analysis.amounts,
                               lead_end=lead_end, headline=article.title or "")
