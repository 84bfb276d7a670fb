"""Late rescue of lone and small stories (step 8 of :mod:`newsfuse.fuse.stories.assign`): a report
that came before the rest of its story founded a story of its own, and nobody (or only a report or
two told as apart from the rest as it is) joined it.

Placed one article per call, the rescue of step 5 sees a lone report only when it arrives, before
the reports it belongs with; a batch rescues it after all have arrived (the bench's one-by-one
recall on long-running incident coverage fell below the batch's by this). So after each call,
the small stories (at most ``STORY_RESCUE_MAX_MEMBERS`` articles; "lone" below) near the stories
the call touched (the term index: at most ``STORY_LONE_NEIGHBOURS`` per touched story) get the same
second chance again: a small story whose best story scores at least ``STORY_RESCUE_THRESHOLD``
(``STORY_RESCUE_NEAR_THRESHOLD`` or ``STORY_RESCUE_DAY_THRESHOLD`` when the two are dated close:
place.rescue_target) and ``STORY_RESCUE_MARGIN`` times
the runner-up is merged with it, the younger story into the older (recorded; both IDs resolve).
"""

from __future__ import annotations

from newsfuse import defaults
from newsfuse.fuse.stories import args as storyargs
from newsfuse.fuse.stories import consolidate as storyconsolidate
from newsfuse.fuse.stories import place as storyplace
from newsfuse.fuse.stories import textsim
from newsfuse.fuse.stories import write as storywrite
from newsfuse.fuse.stories.args import Profile
from newsfuse.fuse.stories.basics import close_in_time, days_apart, range_factor
from newsfuse.fuse.stories.state import Cache, Unit, article_profile
from newsfuse.store import Store, queries


def rescue_lone(
    store: Store, cache: Cache, touched: list[str], df: dict[str, int], n_docs: int, done: set[str]
) -> list[str]:
    """Merge each lone story near the stories in ``touched`` (``done``: lone stories already given
    their chance in this call) into its clearly best story; return the stories changed."""
    changed: list[str] = []
    if defaults.STORY_LONE_NEIGHBOURS <= 0:
        return changed
    for sid in _lone_neighbours(store, cache, touched, df, n_docs, done):
        done.add(sid)
        if cache.headers[sid]["merged_into"]:
            continue
        found = _best(store, cache, sid, df, n_docs)
        if found is None:
            continue
        score, target = found
        older, younger = sorted((sid, target), key=lambda s: cache.headers[s]["created_seq"])
        members = queries.story_article_ids(store, sid)
        held = "one article" if len(members) == 1 else f"{len(members)} articles"
        reason = f"story {sid} holds {held}; its best story {target} scores {score:.2f}"
        storywrite.merge_pair(store, cache, younger, older, reason, round(score, 4))
        for article_id in members:  # their placement score: how they fit the rest
            store.assign(article_id, older, round(score, 4))
        changed += [older, younger]
    return changed


def _lone_neighbours(
    store: Store, cache: Cache, touched: list[str], df: dict[str, int], n_docs: int, done: set[str]
) -> list[str]:
    """Live stories of one article that may now be rescued: each lone story in ``touched``, and
    the lone stories among the candidates of each live story in ``touched`` that could reach the
    rescue threshold with it (:func:`_bound`, from the stored vectors). Most lone neighbours of
    a story fail the bound, so their full scoring (candidates, arguments) is skipped."""
    out: list[str] = []
    for sid in dict.fromkeys(touched):
        header = cache.headers.get(sid)
        if header is None or header["merged_into"] or sid not in cache.vectors:
            continue
        if _is_lone(cache, sid) and sid not in done and sid not in out:
            out.append(sid)
        terms = storyconsolidate.lookup_terms(store, cache.vectors[sid][1], df, n_docs)
        found = queries.story_candidates(store, terms, defaults.STORY_LONE_NEIGHBOURS + 1)
        cache.load(store, found)
        out += [c for c in found if c != sid and c not in done and c not in out and _is_lone(cache, c)
                and _bound(store, cache, c, sid) >= _bar(cache, c, sid)]
    return out


def _bound(store: Store, cache: Cache, lone: str, story: str) -> float:
    """What the lone story's placement score against ``story`` can reach at most: the mean cosine
    of the stored vectors (weighed when they joined: the IDF has drifted a little since) times
    the time factor of a long-running story (the slower decay) times the most the argument
    agreement can lift it (STORY_ARG_AGREE_CAP; nothing unless both are dated within
    STORY_ARG_LIFT_MAX_DAYS, args.agreement's ``close`` from the lone article's date, and they
    name a person and a place in common: args.may_lift)."""
    size, centroid = cache.vectors[story]
    own, summed = cache.vectors[lone]
    a, b = cache.headers[lone], cache.headers[story]
    dates = (a["first_seen"], a["last_update"], b["first_seen"], b["last_update"])
    if own > 1 and not _group_may_join(store, cache, lone, story, dates):
        return 0.0  # checked here, not after scoring all its candidates: most calls touch no such pair
    decay = range_factor(*dates, long_running=True)
    bound = textsim.mean_cosine(summed, centroid, size) / max(1, own) * decay
    lift = max(1.0, defaults.STORY_ARG_AGREE_CAP)
    if bound < storyplace.lowest_rescue_bar() <= bound * lift and close_in_time(*dates) \
            and storyargs.may_lift(cache.profile(store, lone), cache.profile(store, story)):
        return bound * lift
    return bound


def _bar(cache: Cache, lone: str, story: str) -> float:
    """The lowest rescue bar a small story and a story can have, from their date ranges
    (place.dated_near; whether they also share a term is left to the full scoring)."""
    a, b = cache.headers[lone], cache.headers[story]
    if storyplace.dated_near(a["first_seen"], a["last_update"], b["first_seen"], b["last_update"]):
        return storyplace.lowest_rescue_bar()
    return defaults.STORY_RESCUE_THRESHOLD


def _group_may_join(
    store: Store, cache: Cache, group: str, story: str, dates: tuple[str | None, ...]
) -> bool:
    """Whether a small story of two or more could be rescued into ``story`` at all (place.rescue_target):
    dated at most STORY_RESCUE_GROUP_MAX_DAYS apart, a person or place in common."""
    gap = days_apart(*dates)
    if gap is None or gap > defaults.STORY_RESCUE_GROUP_MAX_DAYS:
        return False
    kinds = defaults.STORY_RESCUE_GROUP_KINDS
    return storyargs.shares_any(cache.profile(store, group), cache.profile(store, story), kinds)


def _is_lone(cache: Cache, sid: str) -> bool:
    """Whether the story is live and holds at most STORY_RESCUE_MAX_MEMBERS articles."""
    header = cache.headers.get(sid)
    size = cache.vectors.get(sid, (0, {}))[0]
    small = 1 <= size <= max(1, defaults.STORY_RESCUE_MAX_MEMBERS)
    return header is not None and not header["merged_into"] and small


def _best(store: Store, cache: Cache, sid: str, df: dict[str, int], n_docs: int) -> tuple[float, str] | None:
    """The lone story's best story and its score, when the rescue criterion holds."""
    unit = _unit(store, sid, df, n_docs)
    if unit is None:
        return None
    return storyplace.rescue_target(store, cache, unit, storyplace.score_unit(store, cache, unit, df, n_docs,
                                                                              exclude={sid}))


def _unit(store: Store, sid: str, df: dict[str, int], n_docs: int) -> Unit | None:
    """The small story's articles as a unit, weighed with the current IDF (``df`` grows with the
    document frequencies it reads)."""
    members = queries.story_article_ids(store, sid)
    if not 1 <= len(members) <= max(1, defaults.STORY_RESCUE_MAX_MEMBERS):
        return None
    articles = {a.id: a for a in queries.list_articles(store, members)}
    terms = queries.story_doc_terms(store, members)
    if len(articles) != len(members):
        return None
    df.update(queries.term_df(store, sorted({t for c in terms.values() for t in c} - df.keys())))
    profile = Profile()
    for i in members:
        profile.add(article_profile(store, i, terms.get(i, {})))
    vectors = [textsim.weigh(terms.get(i, {}), df, n_docs) for i in members]
    return Unit([articles[i] for i in members], vectors, profile)
