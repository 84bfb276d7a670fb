"""Online placement of a unit of articles (steps 2 to 5 of :mod:`newsfuse.fuse.stories.assign`):
candidate stories from the term index, the placement score (average link x time factor x
argument agreement), joining, founding or linking stories, and the rescue of lone stories.
"""

from __future__ import annotations

from newsfuse import defaults
from newsfuse.fuse.stories import args as storyargs
from newsfuse.fuse.stories import textsim
from newsfuse.fuse.stories import write as storywrite
from newsfuse.fuse.stories.basics import close_in_time, days_apart, range_factor, story_id_for, time_factor
from newsfuse.fuse.stories.state import Cache, Unit
from newsfuse.fuse.stories.textsim import Vector
from newsfuse.store import Store, queries


def place(
    store: Store, cache: Cache, unit: Unit, df: dict[str, int], n_docs: int, exclude: set[str]
) -> list[str]:
    """Put a unit in a story (not one of ``exclude``); return the IDs of the stories it changed,
    the one it joined or founded first."""
    copy_story = _story_of_original(store, unit.articles[0].id) if len(unit.articles) == 1 else None
    if copy_story is not None:
        cache.load(store, [copy_story])
        storywrite.join(store, cache, copy_story, unit, 1.0)
        return [copy_story]
    scored = score_unit(store, cache, unit, df, n_docs, exclude)
    cache.placed += 1
    if not scored or scored[0][0] < defaults.STORY_THRESHOLD:
        cache.clear += _isolated(cache, scored)
        return [storywrite.found(store, cache, unit)]
    linked = [sid for score, sid in scored if score >= defaults.STORY_MERGE_THRESHOLD]
    target = scored[0][1]
    cache.clear += _clear(scored)
    touched = []
    if len(linked) > 1:
        target = storywrite.merge(store, cache, linked, unit.articles[0], dict((s, x) for x, s in scored))
        touched = [s for s in linked if s != target]
    storywrite.join(store, cache, target, unit, scored[0][0])
    return [target, *touched]


def _clear(scored: list[tuple[float, str]]) -> bool:
    """Whether the best story beats the runner-up by STORY_RECLUSTER_SKIP_MARGIN."""
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    return scored[0][0] >= defaults.STORY_RECLUSTER_SKIP_MARGIN * runner_up


def _isolated(cache: Cache, scored: list[tuple[float, str]]) -> bool:
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


def score_unit(
    store: Store, cache: Cache, unit: Unit, df: dict[str, int], n_docs: int, exclude: set[str]
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
    bar = min(defaults.STORY_THRESHOLD, _argued_bar())
    if lo is not None:  # shared arguments may lift a dated unit's score up to the bar (undated: never)
        bar /= max(1.0, defaults.STORY_ARG_AGREE_CAP)
    out = []
    for sid in candidates:
        header = cache.headers.get(sid)
        if sid not in cache.vectors or header is None or header["merged_into"]:
            continue
        size, centroid = cache.vectors[sid]
        score = textsim.mean_cosine(unit.total, centroid, size) / len(unit.articles)
        decay = range_factor(lo, hi, header["first_seen"], header["last_update"])
        if decay < 1.0 and score >= bar and storyargs.long_running(unit.profile, cache.profile(store, sid)):
            # one long-running story's reports: the gap costs less
            decay = range_factor(lo, hi, header["first_seen"], header["last_update"], long_running=True)
        score *= decay
        if score >= bar:
            close = close_in_time(lo, hi, header["first_seen"], header["last_update"])
            score *= storyargs.agreement(unit.profile, cache.profile(store, sid), close=close)
        out.append((score, sid))
    return sorted(out, key=lambda x: (-x[0], cache.headers[x[1]]["created_seq"]))


def score_story(vec: Vector, centroid: Vector, size: int, published: str | None,
                first_seen: str | None, last_update: str | None) -> float:
    """The text-and-time score of an article against one story whose ``size`` members sum to
    ``centroid``, before argument agreement (used by the naive peer in bench/)."""
    return textsim.mean_cosine(vec, centroid, size) * time_factor(published, first_seen, last_update)


def rescue(store: Store, cache: Cache, unit: Unit, df: dict[str, int], n_docs: int) -> list[str]:
    """Merge a small story this call founded (at most STORY_RESCUE_MAX_MEMBERS articles, nobody
    joined it) into its clearly best story."""
    own = story_id_for(unit.articles[0].id)
    header = cache.headers.get(own)
    small = len(unit.articles) <= max(1, defaults.STORY_RESCUE_MAX_MEMBERS)
    alone = small and cache.vectors.get(own, (0, {}))[0] == len(unit.articles)
    if not alone or header is None or header["merged_into"]:
        return []
    found = rescue_target(store, cache, unit, score_unit(store, cache, unit, df, n_docs, exclude={own}))
    if found is None:
        return []
    best, target = found
    first = unit.articles[0]
    held = (f"article {first.id} alone in its story" if len(unit.articles) == 1
            else f"story of {len(unit.articles)} articles from {first.id}")
    reason = f"{held}; its best story scores {best:.2f}"
    storywrite.merge_pair(store, cache, own, target, reason, round(best, 4))
    for article in unit.articles:
        store.assign(article.id, target, round(best, 4))
    return [own, target]


def rescue_target(
    store: Store, cache: Cache, unit: Unit, scored: list[tuple[float, str]]
) -> tuple[float, str] | None:
    """The story a small unit is rescued into, from its scored candidates (best first), if any: the
    best scores at least STORY_RESCUE_THRESHOLD (STORY_RESCUE_NEAR_THRESHOLD when the two are dated
    near each other and name a person or place in common: _near_story; STORY_RESCUE_DAY_THRESHOLD when
    so dated and no other candidate is: _alone_on_its_day) and STORY_RESCUE_MARGIN times the
    runner-up (_rival), and for a
    group of two or more, the two also name a term of a kind in STORY_RESCUE_GROUP_KINDS in common
    (two small groups of one kind of incident, each told alike, are linked by wording alone; the
    later reports of one incident still name its victim, suspect or street, and come out in the
    same days: _group_rescuable)."""
    if not scored or scored[0][0] < lowest_rescue_bar():
        return None
    if scored[0][0] < defaults.STORY_RESCUE_THRESHOLD and not _under_bar_allowed(store, cache, unit, scored):
        return None
    if scored[0][0] < defaults.STORY_RESCUE_MARGIN * _rival(cache, scored):
        return None
    if len(unit.articles) > 1 and not _group_rescuable(store, cache, unit, scored[0][1]):
        return None
    return scored[0]


def dated_near(first: str | None, last: str | None, first_seen: str | None, last_update: str | None) -> bool:
    """Whether two date ranges are known and at most STORY_RESCUE_NEAR_DAYS apart: a small story
    that close to its best story is rescued at the lower bar STORY_RESCUE_NEAR_THRESHOLD (reports
    of one incident in the same days, told in words of their own)."""
    gap = days_apart(first, last, first_seen, last_update)
    return gap is not None and gap <= defaults.STORY_RESCUE_NEAR_DAYS


def lowest_rescue_bar() -> float:
    """The lowest score a rescue can take (the near or the day bar, when it is the lower)."""
    return min(defaults.STORY_RESCUE_THRESHOLD, defaults.STORY_RESCUE_NEAR_THRESHOLD,
               defaults.STORY_RESCUE_DAY_THRESHOLD)


def _under_bar_allowed(store: Store, cache: Cache, unit: Unit, scored: list[tuple[float, str]]) -> bool:
    """Whether the best story, scoring under STORY_RESCUE_THRESHOLD, may still take the unit: at the
    near bar (dated near and a name in common: _near_story) or at the day bar (dated near, no other
    candidate so dated: _alone_on_its_day; with STORY_RESCUE_DAY_KINDS, a term of one in common)."""
    best, sid = scored[0]
    if best >= defaults.STORY_RESCUE_NEAR_THRESHOLD and _near_story(store, cache, unit, sid):
        return True
    kinds = defaults.STORY_RESCUE_DAY_KINDS
    if best < defaults.STORY_RESCUE_DAY_THRESHOLD or not _alone_on_its_day(cache, unit, scored) or (
            kinds and not storyargs.shares_any(unit.profile, cache.profile(store, sid), kinds)):
        return False
    if best < _argued_bar():  # score_unit left its arguments out: they may still lower it
        header = cache.headers[sid]
        close = close_in_time(*unit.days, header["first_seen"], header["last_update"])
        best *= storyargs.agreement(unit.profile, cache.profile(store, sid), close=close)
    return best >= defaults.STORY_RESCUE_DAY_THRESHOLD


def _argued_bar() -> float:
    """The lowest score whose argument agreement score_unit works out: the near bar or the usual one.
    Not the day bar: a runner-up scored with its arguments passes the rescue's margin more often than
    one scored without (sessions 9-19 compared the best against runner-ups under the bar scored
    without), so the day bar checks its best's arguments itself (_under_bar_allowed)."""
    return min(defaults.STORY_RESCUE_THRESHOLD, defaults.STORY_RESCUE_NEAR_THRESHOLD)


def _alone_on_its_day(cache: Cache, unit: Unit, scored: list[tuple[float, str]]) -> bool:
    """Whether the best story is dated near the unit (STORY_RESCUE_NEAR_DAYS) and no other candidate
    so dated scores STORY_RESCUE_DAY_RIVAL_SCORE or more: the pieces of one incident told in words
    of their own (the shooting with the place only; the victim's family; a bare update) share the
    day, not a name, and only a day with no other story of their kind tells whose piece it is."""
    def near(sid: str) -> bool:
        header = cache.headers[sid]
        return dated_near(*unit.days, header["first_seen"], header["last_update"])

    if not near(scored[0][1]):
        return False
    return not any(score >= defaults.STORY_RESCUE_DAY_RIVAL_SCORE and near(sid) for score, sid in scored[1:])


def _near_story(store: Store, cache: Cache, unit: Unit, sid: str) -> bool:
    """Whether the unit may be rescued into story ``sid`` at the near bar: dated near it and, when
    STORY_RESCUE_NEAR_KINDS names kinds, naming a term of one of them in common."""
    header = cache.headers[sid]
    if not dated_near(*unit.days, header["first_seen"], header["last_update"]):
        return False
    kinds = defaults.STORY_RESCUE_NEAR_KINDS
    return not kinds or storyargs.shares_any(unit.profile, cache.profile(store, sid), kinds)


def _rival(cache: Cache, scored: list[tuple[float, str]]) -> float:
    """The runner-up's score for the rescue's margin: the best candidate but the best, skipping those
    whose members link to the best story's at STORY_RESCUE_RIVAL_LINK or more (mean cosine of the
    stored vectors, one dot product): two pieces of one story the cut left apart are no choice
    between two stories, and a report near both belongs with them."""
    size, summed = cache.vectors[scored[0][1]]
    for score, sid in scored[1:]:
        other, total = cache.vectors[sid]
        if textsim.mean_cosine(total, summed, size) / max(1, other) < defaults.STORY_RESCUE_RIVAL_LINK:
            return score
    return 0.0


def _group_rescuable(store: Store, cache: Cache, unit: Unit, sid: str) -> bool:
    """Whether a group of two or more may be rescued into story ``sid``: they name a term of a kind
    in STORY_RESCUE_GROUP_KINDS in common and both are dated at most STORY_RESCUE_GROUP_MAX_DAYS
    apart (unknown dates: no rescue of a group)."""
    header = cache.headers[sid]
    gap = days_apart(*unit.days, header["first_seen"], header["last_update"])
    if gap is None or gap > defaults.STORY_RESCUE_GROUP_MAX_DAYS:
        return False
    return storyargs.shares_any(unit.profile, cache.profile(store, sid), defaults.STORY_RESCUE_GROUP_KINDS)
