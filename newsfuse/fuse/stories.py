"""Grouping of articles into stories with stable IDs: batch clustering, then online placement.

The score of an article (or a group of articles) against a story is average link (the mean
cosine of TF-IDF vectors, :mod:`newsfuse.fuse.textsim`: content words, names, numbers, over all
article x member pairs, computed from the story's summed vector: one dot product) times a time
factor (dates far apart lower it; unknown dates are neutral) times the argument agreement
(:mod:`newsfuse.fuse.storyargs`: different people, figures, years or weekdays named on both sides
lower it; a shared place or figure offsets that). Average link rather than the cosine with the
centroid: the centroid of a big, loose story points at its common words and draws in any article
of the same kind (two arrests, two earthquakes).

One call of ``assign_articles``:

1. the call's articles (copies aside) are grouped offline, in blocks of ``STORY_BATCH_BLOCK`` in
   arrival order (:mod:`newsfuse.fuse.storybatch`: average-link clustering cut at
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
   re-weighed with the current IDF; :func:`newsfuse.fuse.storybatch.group_link`, with the batch
   cut's cohesion check) reaching
   ``STORY_CONSOLIDATE_THRESHOLD``. Such stories merge, the younger into the older (recorded; both
   IDs resolve); a survivor is checked again. Articles arriving one by one thus end up grouped
   as a batch would group them wherever no story took a wrong article first. A cheap bound (the
   stored summed vectors: one dot product) skips the exact check for almost every pair;
7. convergence (``STORY_RECLUSTER``): the stories the call touched and their candidates (at most
   ``STORY_RECLUSTER_CANDIDATES`` each, those that could exchange an article at all, at most
   ``STORY_RECLUSTER_MAX_ARTICLES`` articles, each story's ``STORY_RECLUSTER_MAX_MEMBERS``
   newest) are clustered again as one batch (:mod:`newsfuse.fuse.storyrecluster`); an article
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
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from newsfuse import defaults
from newsfuse.errors import NotFoundError
from newsfuse.fuse import storyargs, storybatch, storyrecluster, textsim
from newsfuse.fuse.claims import sentence_around
from newsfuse.fuse.storyargs import Profile
from newsfuse.fuse.textsim import Vector
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, Story, StoryMerge, StoryMove
from newsfuse.store import Store, queries


@dataclass
class _Cache:
    """Story state read during one call, kept in step with what the call writes."""

    vectors: dict[str, tuple[int, Vector]] = field(default_factory=dict)
    headers: dict[str, dict[str, Any]] = field(default_factory=dict)
    profiles: dict[str, Profile] = field(default_factory=dict)
    member_items: dict[str, list[storybatch.Item]] = field(default_factory=dict)  # see items()
    clear: int = 0  # units placed beyond doubt: a clear join or a story no one is near (_place)
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
            days = {a.id: _day(a.published) for a in queries.list_articles(store, members)}
            self.member_items[story_id] = [
                storybatch.Item(textsim.weigh(terms[m], df, n_docs), storyargs.of_counts(terms[m]),
                                days.get(m))
                for m in members if m in terms
            ]
        return self.member_items[story_id]


@dataclass
class _Unit:
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
    with store.transaction():
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
    cache = _Cache()
    changed: list[str] = []
    copy_ids = {a.id for a in todo if _is_copy(store, a.id)}
    copies = [a for a in todo if a.id in copy_ids]
    rest = [a for a in todo if a.id not in copy_ids]
    founded: list[_Unit] = []
    settled: dict[str, int] = {}  # story founded by the call -> its block (already kept apart)
    for number, block in enumerate(storybatch.blocks(len(rest))):
        part = [rest[i] for i in block]
        items = [storybatch.Item(vectors[a.id], profiles[a.id], _day(a.published)) for a in part]
        fresh: set[str] = set()  # the block's own stories: the clustering already kept them apart
        for group in storybatch.cluster(items):
            members = [part[i] for i in group]
            unit = _Unit(members, [vectors[a.id] for a in members], _profile_of(profiles, members))
            touched = _place(store, cache, unit, df, n_docs, fresh)
            if touched[0] == story_id_for(members[0].id):
                fresh.add(touched[0])
                settled[touched[0]] = number
                founded.append(unit)
            changed += touched
    for article in copies:
        unit = _Unit([article], [vectors[article.id]], profiles[article.id])
        changed += _place(store, cache, unit, df, n_docs, set())
    # The rescue repairs what blocks and copies leave: a lone report with no clear partner in its
    # block may still clearly belong to a story. One article alone has nothing to repair.
    for unit in founded if len(todo) > 1 else []:
        changed += _rescue(store, cache, unit, df, n_docs)
    merged = _consolidate(store, cache, list(dict.fromkeys(changed)), settled, df, n_docs)
    changed += merged
    # One article placed beyond doubt (a clear join, or a story of its own that no stored article
    # is near), with nothing merged, leaves the neighbourhood as the last re-clustering left it.
    clear = cache.placed == cache.clear == 1 and len(set(changed)) == 1 and not merged
    if defaults.STORY_RECLUSTER and not clear:
        changed += _recluster(store, cache, list(dict.fromkeys(changed)), settled, df, n_docs)
    return list(dict.fromkeys(changed))


def _profile_of(profiles: dict[str, Profile], members: list[Article]) -> Profile:
    total = Profile()
    for a in members:
        total.add(profiles[a.id])
    return total


def _is_copy(store: Store, article_id: str) -> bool:
    return queries.copy_original(store, article_id) is not None


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


def _place(
    store: Store, cache: _Cache, unit: _Unit, df: dict[str, int], n_docs: int, exclude: set[str]
) -> list[str]:
    """Put a unit in a story (not one of ``exclude``); return the IDs of the stories it changed,
    the one it joined or founded first."""
    copy_story = _story_of_original(store, unit.articles[0].id) if len(unit.articles) == 1 else None
    if copy_story is not None:
        cache.load(store, [copy_story])
        _join(store, cache, copy_story, unit, 1.0)
        return [copy_story]
    scored = _score(store, cache, unit, df, n_docs, exclude)
    cache.placed += 1
    if not scored or scored[0][0] < defaults.STORY_THRESHOLD:
        cache.clear += _isolated(cache, scored)
        return [_found(store, cache, unit)]
    linked = [sid for score, sid in scored if score >= defaults.STORY_MERGE_THRESHOLD]
    target = scored[0][1]
    cache.clear += _clear(scored)
    touched = []
    if len(linked) > 1:
        target = _merge(store, cache, linked, unit.articles[0], dict((s, x) for x, s in scored))
        touched = [s for s in linked if s != target]
    _join(store, cache, target, unit, scored[0][0])
    return [target, *touched]


def _clear(scored: list[tuple[float, str]]) -> bool:
    """Whether the best story beats the runner-up by STORY_RECLUSTER_SKIP_MARGIN."""
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    return scored[0][0] >= defaults.STORY_RECLUSTER_SKIP_MARGIN * runner_up


def _isolated(cache: _Cache, scored: list[tuple[float, str]]) -> bool:
    """Whether no member of any candidate story can link to the unit at STORY_THRESHOLD: a mean
    over a story's members times their number bounds the best single link."""
    return all(score * cache.vectors[sid][0] < defaults.STORY_THRESHOLD for score, sid in scored)


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
    store: Store, cache: _Cache, unit: _Unit, df: dict[str, int], n_docs: int, exclude: set[str]
) -> list[tuple[float, str]]:
    """(score, story_id) of the candidate stories but ``exclude``, best first (ties: older first).

    The score is average link (the mean cosine over article x member pairs) times the time factor,
    times the argument agreement for stories that could be chosen at all (the agreement reads the
    story's members, so it is computed only where it can change the outcome)."""
    terms = candidate_terms(textsim.normalize(unit.total), df, n_docs)
    # More candidates than needed, so excluding the call's own stories keeps the count.
    candidates = queries.story_candidates(store, terms, defaults.STORY_MAX_CANDIDATES + len(exclude))
    candidates = [c for c in candidates if c not in exclude][: defaults.STORY_MAX_CANDIDATES]
    cache.load(store, candidates)
    lo, hi = unit.days
    bar = min(defaults.STORY_THRESHOLD, defaults.STORY_RESCUE_THRESHOLD)
    out = []
    for sid in candidates:
        header = cache.headers.get(sid)
        if sid not in cache.vectors or header is None or header["merged_into"]:
            continue
        size, centroid = cache.vectors[sid]
        score = textsim.mean_cosine(unit.total, centroid, size) / len(unit.articles)
        score *= _range_factor(lo, hi, header["first_seen"], header["last_update"])
        if score >= bar:
            score *= storyargs.agreement(unit.profile, cache.profile(store, sid))
        out.append((score, sid))
    return sorted(out, key=lambda x: (-x[0], cache.headers[x[1]]["created_seq"]))


def score_story(vec: Vector, centroid: Vector, size: int, published: str | None,
                first_seen: str | None, last_update: str | None) -> float:
    """The text-and-time score of an article against one story whose ``size`` members sum to
    ``centroid``, before argument agreement (used by the naive peer in bench/)."""
    return textsim.mean_cosine(vec, centroid, size) * time_factor(published, first_seen, last_update)


def _rescue(store: Store, cache: _Cache, unit: _Unit, df: dict[str, int], n_docs: int) -> list[str]:
    """Merge a lone story this call founded into its clearly best story, if nobody joined it."""
    own = story_id_for(unit.articles[0].id)
    header = cache.headers.get(own)
    alone = len(unit.articles) == 1 and cache.vectors.get(own, (0, {}))[0] == 1
    if not alone or header is None or header["merged_into"]:
        return []
    scored = _score(store, cache, unit, df, n_docs, exclude={own})
    if not scored or scored[0][0] < defaults.STORY_RESCUE_THRESHOLD:
        return []
    best, target = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best < defaults.STORY_RESCUE_MARGIN * runner_up:
        return []
    article = unit.articles[0]
    reason = f"article {article.id} alone in its story; its best story scores {best:.2f}"
    _merge_pair(store, cache, own, target, reason, round(best, 4))
    store.assign(article.id, target, round(best, 4))
    return [own, target]


def _consolidate(
    store: Store, cache: _Cache, touched: list[str], settled: dict[str, int],
    df: dict[str, int], n_docs: int,
) -> list[str]:
    """Merge each story the call touched with a candidate story they would form one cluster with
    under the batch criterion; return the stories changed. A survivor is checked again (it may now
    reach a third story); every merge removes a story, so the checks end. Stories founded in one
    block of this call are never paired: the batch clustering already kept them apart."""
    queue = [s for s in touched if s in cache.headers]
    changed: list[str] = []
    while queue:
        sid = queue.pop(0)
        if cache.headers[sid]["merged_into"] or sid not in cache.vectors:
            continue
        found = _group_partner(store, cache, sid, settled, df, n_docs)
        if found is None:
            continue
        score, other = found
        older, younger = sorted((sid, other), key=lambda s: cache.headers[s]["created_seq"])
        reason = f"stories {younger} and {older} form one group (average link {score:.2f})"
        _merge_pair(store, cache, younger, older, reason, round(score, 4))
        changed += [older, younger]
        queue.append(older)
    return changed


def _group_partner(
    store: Store, cache: _Cache, sid: str, settled: dict[str, int], df: dict[str, int], n_docs: int
) -> tuple[float, str] | None:
    """The best story (score, ID) that ``sid`` would be one batch cluster with, if any reaches
    STORY_CONSOLIDATE_THRESHOLD (ties: the older story)."""
    centroid = cache.vectors[sid][1]
    terms = _story_lookup_terms(store, centroid, df, n_docs)
    limit = defaults.STORY_MAX_CANDIDATES + 1  # the story finds itself too
    candidates = [c for c in queries.story_candidates(store, terms, limit) if c != sid]
    cache.load(store, candidates)
    block = settled.get(sid)
    best: tuple[float, str] | None = None
    for other in candidates[: defaults.STORY_MAX_CANDIDATES]:
        header = cache.headers.get(other)
        if header is None or header["merged_into"] or other not in cache.vectors:
            continue
        if block is not None and settled.get(other) == block:
            continue
        score = _group_score(store, cache, sid, other, df, n_docs)
        if score < defaults.STORY_CONSOLIDATE_THRESHOLD:
            continue
        key = (-score, header["created_seq"])
        if best is None or key < (-best[0], cache.headers[best[1]]["created_seq"]):
            best = (score, other)
    return best


def _group_score(store: Store, cache: _Cache, a: str, b: str, df: dict[str, int], n_docs: int) -> float:
    """The batch clustering's average link between two stories' members (pairwise cosine x time
    factor x argument agreement, with the current IDF). Computed only where a cheap upper bound
    reaches the threshold: the mean cosine from the stored summed vectors (one dot product) times
    the time factor of the date ranges (no pair is closer in time than the ranges are)."""
    size_a, cent_a = cache.vectors[a]
    size_b, cent_b = cache.vectors[b]
    if not size_a or not size_b:
        return 0.0
    ha, hb = cache.headers[a], cache.headers[b]
    bound = textsim.dot(cent_a, cent_b) / (size_a * size_b)
    bound *= _range_factor(ha["first_seen"], ha["last_update"], hb["first_seen"], hb["last_update"])
    if bound < defaults.STORY_CONSOLIDATE_THRESHOLD:
        return bound
    return storybatch.group_link(cache.items(store, a, df, n_docs), cache.items(store, b, df, n_docs))


def _story_lookup_terms(store: Store, centroid: Vector, df: dict[str, int], n_docs: int) -> list[str]:
    """A story's heaviest terms rare enough to look up candidates with (as for an article). The
    document frequencies of terms the call did not see are read for the heaviest few only."""
    heavy = dict(textsim.top_items(centroid, 3 * defaults.STORY_INDEX_TERMS))
    missing = [t for t in heavy if t not in df] if n_docs >= defaults.STORY_MIN_DOCS_FOR_DF_CUT else []
    known = {**df, **queries.term_df(store, missing)} if missing else df
    return candidate_terms(textsim.normalize(heavy), known, n_docs)


def _recluster(
    store: Store, cache: _Cache, touched: list[str], settled: dict[str, int], df: dict[str, int], n_docs: int
) -> list[str]:
    """Re-cluster the stories the call touched with their candidates as one batch and make the
    stored grouping follow it (:mod:`newsfuse.fuse.storyrecluster`: moves, then merges); return
    the stories changed. A neighbourhood of stories all founded in one block of this call is
    left alone: the batch clustering has just grouped exactly those articles."""
    stories = _neighbourhood(store, cache, touched, df, n_docs)
    if all(sid in settled for sid in stories) and len({settled[sid] for sid in stories}) <= 1:
        return []
    every = {a for ids in stories.values() for a in ids}
    copies = {c.article_id: c.original_id for c in queries.copies_of(store, sorted(every))
              if c.article_id in every}
    members = _members(store, stories, set(copies), df, n_docs)
    if len(members) < 2:
        return []
    sizes = {sid: len([a for a in ids if a not in copies]) for sid, ids in stories.items()}
    age = {sid: cache.headers[sid]["created_seq"] for sid in stories}
    todo = storyrecluster.plan(members, sizes, age)
    moves = _with_copies(todo.moves, copies, {a: sid for sid, ids in stories.items() for a in ids})
    changed = _apply_moves(store, cache, moves, df, n_docs)
    for from_id, into_id, link in todo.merges:
        if cache.headers[from_id]["merged_into"] or cache.headers[into_id]["merged_into"]:
            continue
        reason = f"story {from_id} falls in the group of story {into_id} (average link {link:.2f})"
        _merge_pair(store, cache, from_id, into_id, reason, link)
        changed += [from_id, into_id]
    return changed


def _neighbourhood(
    store: Store, cache: _Cache, touched: list[str], df: dict[str, int], n_docs: int
) -> dict[str, list[str]]:
    """Each live story the call touched, then its candidates, in that order: story -> all its
    members (arrival order), until STORY_RECLUSTER_MAX_ARTICLES is reached (each story counted
    with at most its STORY_RECLUSTER_MAX_MEMBERS newest members). A big call's later stories are
    thus left out: the bound keeps one call's re-clustering small."""
    out: dict[str, list[str]] = {}
    total = 0
    for sid in touched:
        header = cache.headers.get(sid)
        if header is None or header["merged_into"] or sid in out or sid not in cache.vectors:
            continue
        terms = _story_lookup_terms(store, cache.vectors[sid][1], df, n_docs)
        found = queries.story_candidates(store, terms, defaults.STORY_RECLUSTER_CANDIDATES + 1)
        cache.load(store, found)
        for other in [sid, *(c for c in found if c != sid and _may_exchange(cache, sid, c))]:
            if other in out or cache.headers.get(other, {"merged_into": sid})["merged_into"]:
                continue
            ids = queries.story_article_ids(store, other)
            count = min(len(ids), defaults.STORY_RECLUSTER_MAX_MEMBERS)
            if total + count > defaults.STORY_RECLUSTER_MAX_ARTICLES:
                return out
            out[other], total = ids, total + count
    return out


def _with_copies(
    moves: list[storyrecluster.Move], copies: dict[str, str], story: dict[str, str]
) -> list[storyrecluster.Move]:
    """The moves, each followed by the moves of its article's copies in the same story (a copy
    is not clustered on its own text: it stays with its original)."""
    out = []
    for move in moves:
        out.append(move)
        out += [dataclasses.replace(move, article_id=c) for c, original in copies.items()
                if original == move.article_id and story.get(c) == move.from_id]
    return out


def _may_exchange(cache: _Cache, a: str, b: str) -> bool:
    """Whether an article of one story could link to the other well enough to move there: the
    summed cosines of all of one side's members with the other's (one dot product of the stored
    centroids), per member of the smaller side, reach STORY_RECLUSTER_MIN_LINK."""
    if a not in cache.vectors or b not in cache.vectors:
        return False
    (size_a, cent_a), (size_b, cent_b) = cache.vectors[a], cache.vectors[b]
    if not size_a or not size_b:
        return False
    return textsim.dot(cent_a, cent_b) / min(size_a, size_b) >= defaults.STORY_RECLUSTER_MIN_LINK


def _members(
    store: Store, stories: dict[str, list[str]], copies: set[str], df: dict[str, int], n_docs: int
) -> list[storyrecluster.Member]:
    """The newest members of each story (copies aside) as the batch clustering sees them (current
    IDF)."""
    picked = {sid: [a for a in ids if a not in copies][-defaults.STORY_RECLUSTER_MAX_MEMBERS:]
              for sid, ids in stories.items()}
    every = [a for ids in picked.values() for a in ids]
    terms = queries.story_doc_terms(store, every)
    missing = sorted({t for c in terms.values() for t in c} - df.keys())
    df.update(queries.term_df(store, missing))
    days = queries.article_days(store, every)
    return [
        storyrecluster.Member(a, sid, storybatch.Item(textsim.weigh(terms[a], df, n_docs),
                                                      storyargs.of_counts(terms[a]), _day(days.get(a))),
                              founder=story_id_for(a) == sid)
        for sid, ids in picked.items() for a in ids if a in terms
    ]


def _apply_moves(
    store: Store, cache: _Cache, moves: list[storyrecluster.Move], df: dict[str, int], n_docs: int
) -> list[str]:
    """Move the articles (founding a story for each group that maps to none), record each move,
    then rebuild the centroids and headers of the stories they left and joined."""
    if not moves:
        return []
    new: dict[int, str] = {}
    touched: list[str] = []
    for move in moves:
        into = move.into_id or new.get(move.group)
        if into is None:
            into = new[move.group] = _found_empty(store, cache, move.article_id, move.from_id)
        why = (f"re-clustered with its neighbourhood: mean link {move.link:.2f} to the group of "
               f"story {into}, {move.stay:.2f} to the rest of story {move.from_id}")
        store.move_article(StoryMove(move.article_id, move.from_id, into, why, move.link))
        touched += [move.from_id, into]
    touched = list(dict.fromkeys(touched))
    for sid in touched:
        _rebuild(store, cache, sid, df, n_docs)
    return touched


def _found_empty(store: Store, cache: _Cache, article_id: str, from_id: str) -> str:
    """A new story for a group split off ``from_id``, named by its first article; its ID is the
    article's story ID unless that is taken (the article founded the story it leaves)."""
    sid = story_id_for(article_id)
    if sid in cache.headers or queries.story_headers(store, [sid]):
        sid = content_id(article_id, from_id, prefix="s_")
    article = queries.get_article(store, article_id)
    store.put_story(Story(id=sid, title=title_of(article), first_seen=article.published,
                          last_update=article.published))
    cache.headers.update(queries.story_headers(store, [sid]))
    return sid


def _rebuild(store: Store, cache: _Cache, sid: str, df: dict[str, int], n_docs: int) -> None:
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
    title = title_of(articles[0]) if articles else cache.headers[sid]["title"]
    _put_header(store, cache, sid, title, known[0] if known else None, known[-1] if known else None)


def time_factor(published: str | None, first_seen: str | None, last_update: str | None) -> float:
    """1 within STORY_TIME_WINDOW_DAYS of the story's dates, halving every half-life beyond;
    1 when either side has no date (unknown is neutral)."""
    return _range_factor(published, published, first_seen, last_update)


def _range_factor(
    first: str | None, last: str | None, first_seen: str | None, last_update: str | None
) -> float:
    """The time factor of the days gap between two date ranges (0 when they overlap)."""
    day, day_hi, lo = _day(first), _day(last), _day(first_seen)
    if day is None or lo is None:
        return 1.0
    hi = _day(last_update) or lo
    gap = (lo - (day_hi or day)).days if (day_hi or day) < lo else max((day - hi).days, 0)
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


def _found(store: Store, cache: _Cache, unit: _Unit) -> str:
    first = unit.articles[0]
    sid = story_id_for(first.id)
    day = first.published
    store.put_story(Story(id=sid, title=title_of(first), first_seen=day, last_update=day))
    cache.headers.update(queries.story_headers(store, [sid]))
    cache.vectors[sid] = (0, {})
    cache.profiles[sid] = Profile()
    _join(store, cache, sid, unit, 1.0)
    return sid


def _join(store: Store, cache: _Cache, sid: str, unit: _Unit, score: float) -> None:
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
    title, first_seen = header["title"], header["first_seen"]
    for article in unit.articles:
        if article.published and first_seen and article.published < first_seen:
            title, first_seen = title_of(article), article.published  # the earliest report names it
    lo, hi = unit.days
    _put_header(store, cache, sid, title, _min(header["first_seen"], lo), _max(header["last_update"], hi))


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
