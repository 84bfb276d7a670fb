"""Consolidation (step 6 of :mod:`newsfuse.fuse.stories.assign`): the stories a call touched are merged
with the candidate stories they would form one batch cluster with (average link over both
stories' members, with the current IDF; a cheap bound from the stored summed vectors first).
"""

from __future__ import annotations

from newsfuse import defaults
from newsfuse.fuse.stories import args as storyargs
from newsfuse.fuse.stories import batch as storybatch
from newsfuse.fuse.stories import place as storyplace
from newsfuse.fuse.stories import textsim
from newsfuse.fuse.stories import write as storywrite
from newsfuse.fuse.stories.basics import close_in_time, range_factor
from newsfuse.fuse.stories.state import Cache
from newsfuse.fuse.stories.textsim import Vector
from newsfuse.store import Store, queries


def consolidate(
    store: Store, cache: Cache, touched: list[str], settled: dict[str, int],
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
        storywrite.merge_pair(store, cache, younger, older, reason, round(score, 4))
        changed += [older, younger]
        queue.append(older)
    return changed


def _group_partner(
    store: Store, cache: Cache, sid: str, settled: dict[str, int], df: dict[str, int], n_docs: int
) -> tuple[float, str] | None:
    """The best story (score, ID) that ``sid`` would be one batch cluster with, if any reaches
    STORY_CONSOLIDATE_THRESHOLD (ties: the older story)."""
    centroid = cache.vectors[sid][1]
    terms = lookup_terms(store, centroid, df, n_docs)
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


def _group_score(store: Store, cache: Cache, a: str, b: str, df: dict[str, int], n_docs: int) -> float:
    """The batch clustering's average link between two stories' members (pairwise cosine x time
    factor x argument agreement, with the current IDF). Computed only where a cheap upper bound
    reaches the threshold: the mean cosine from the stored summed vectors (one dot product) times
    the time factor of the date ranges (no pair is closer in time than the ranges are)."""
    size_a, cent_a = cache.vectors[a]
    size_b, cent_b = cache.vectors[b]
    if not size_a or not size_b:
        return 0.0
    ha, hb = cache.headers[a], cache.headers[b]
    dates = (ha["first_seen"], ha["last_update"], hb["first_seen"], hb["last_update"])
    bound = textsim.dot(cent_a, cent_b) / (size_a * size_b)
    if bound * max(1.0, defaults.STORY_ARG_AGREE_CAP) >= defaults.STORY_CONSOLIDATE_THRESHOLD:
        bound *= _lift(store, cache, a, b, dates)
    decay = range_factor(*dates)
    if decay < 1.0 and bound >= defaults.STORY_CONSOLIDATE_THRESHOLD and storyargs.long_running(
        cache.profile(store, a), cache.profile(store, b)
    ):
        decay = range_factor(*dates, long_running=True)  # one long-running story: the slower decay
    bound *= decay
    if bound < defaults.STORY_CONSOLIDATE_THRESHOLD:
        return bound
    return storybatch.group_link(cache.items(store, a, df, n_docs), cache.items(store, b, df, n_docs))


def _lift(store: Store, cache: Cache, a: str, b: str, dates: tuple[str | None, ...]) -> float:
    """The most the argument agreement may lift a link between two stories' members: up to
    STORY_ARG_AGREE_CAP, only between members dated close together that share every kind the lift
    needs (args.agreement). No two members are closer in time than their stories' date ranges (a
    story's range spans its members') and none shares a term the stories' summed arguments do not
    (args.may_lift), so other pairs of stories are bounded unlifted."""
    lift = max(1.0, defaults.STORY_ARG_AGREE_CAP)
    if lift == 1.0 or not close_in_time(*dates):
        return 1.0
    return lift if storyargs.may_lift(cache.profile(store, a), cache.profile(store, b)) else 1.0


def lookup_terms(store: Store, centroid: Vector, df: dict[str, int], n_docs: int) -> list[str]:
    """A story's heaviest terms rare enough to look up candidates with (as for an article). The
    document frequencies of terms the call did not see are read for the heaviest few only."""
    heavy = dict(textsim.top_items(centroid, 3 * defaults.STORY_INDEX_TERMS))
    missing = [t for t in heavy if t not in df] if n_docs >= defaults.STORY_MIN_DOCS_FOR_DF_CUT else []
    known = {**df, **queries.term_df(store, missing)} if missing else df
    return storyplace.candidate_terms(textsim.normalize(heavy), known, n_docs)
