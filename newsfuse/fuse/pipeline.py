"""The fuse stage: stories -> entities, estimated dates, claims and timeline per touched story.

``fuse_stage(store, ctx)`` puts every analysed article that is in no story into one
(``fuse.stories``), then calls :func:`fuse_story` for every story queued for fusion
(``queries.pending_fusion_ids``: queued in the transaction of the change that made it stale), which
is idempotent: it recomputes the story's entities, claims and timeline from what is stored, replaces
them and unqueues the story, all in one transaction. A killed run thus leaves work the next finishes.

Order inside a story, and why:

1. estimate publication dates of undated articles (needs the other articles' dates and a timeline
   of the dated articles only, so an estimate never rests on another estimate);
2. re-analyse an article whose estimate changed and whose analysis holds relative times it could
   not resolve without a date (one spaCy parse per such article, rare), so its times get values;
3. resolve entities (claims compare entity IDs, not names);
4. build claims, then the timeline (entries point at claims).

A story re-fused after one article joined (or changed) recomputes everything from what is stored, so
its claims are exactly those of one fuse from scratch, in any arrival order; what costs most is not
done again: a process keeps each article's statements (``fuse/claims/cache.py``, keyed by all they
are read from), the sentence vectors (``fuse/claims/vectors.py``, also in the store) and the
matcher's decision on each pair of sentences (``fuse/claims/pairs.py``, keyed by the two texts and
their cosine) and the nearest sentences of each sentence of the story (``pairs.NEIGHBOURS``: only the
new article's sentences are compared with the rest, not every pair again), so the new article's
statements and sentence pairs are what it computes anew. The chain join
(``fuse/claims/firstjoin.py``) tries each distinct join of two clusters once, over classes of
sentences held alike, instead of every pair of chained sentences (quadratic in a story of copies),
and the speaker pass likewise (``speakers.best_joins``). A new article published after the
story's others is aligned against the event chains and groups kept from its last fuse
(``fuse/claims/resume.py``), and its timeline's merge goes on from the one kept from its last fuse
(``fuse/timeline.py``: a left fold over the dated items in arrival order, resumed while the items
and their claims begin as before). What a process read or derived from one article alone is kept beside
its parsed analysis (``fuse/analyses.py``: checked against the digest the store keeps of each
analysis, migration 24, so only a changed or new analysis is read and parsed again): the entity
mention groups and the timeline's dated items; and each article's part of a claim (its
ClaimSource) is kept per story (``fuse/claims/records.py``) and made again only when that article's
statements in the claim changed. What the passes read of one statement or article alone is kept
under that object, checked against what it was read from: each statement's clause runs and (party,
act) keys (``meaning``), each quote's names and cue runs and each lead's names (``speakers``), each
article's note-like last sentences (``sources``); the meaning pass asks the matcher once per distinct
(text, text, cosine) of its offered pairs, gathered as arrays; the meaning pass and the chain join
keep each article's compared sentences (rebuilt for an article whose clusters changed), and a claim
whose statements, articles' dates, outlets and copy originals did not change is the record of the last
fuse (``fuse/claims/records.py``). What a re-fuse still redoes over the whole story is linear: a walk
over every cluster's members (sentence lists, records), the offered pairs, the entity clustering
rules when a new article brings a name the story has not seen or crosses a count a rule reads (else
``fuse/entities/grow.py`` grows the kept clusters by its groups), the claims that gained a statement,
and reading the story's article rows (``tests/test_fuse_grow.py``: a story grown one article at a time
equals a cold fuse: claims, entities and timeline). The story's entity resolution is kept too
(``fuse/entities/resolved.py``: the new articles' links are read, the entities whose clusters changed
are redone and written; trusted while no one else wrote entity links, migration 43).

One run shares an :class:`~newsfuse.fuse.entities.resolve.EntityCache` across its stories: a store-wide
entity is read once per run, not once per story naming it (what made 10k articles quadratic), and
read as its row plus counts the database keeps per link (migration 8), never as all its links
(what made one new article cost a read of every link of 'United States').
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from newsfuse import progress
from newsfuse.fuse import analyses as kept_analyses
from newsfuse.fuse import timeline as timeline_mod
from newsfuse.fuse.claims import build as claims_mod
from newsfuse.fuse.claims.vectors import SentenceVectors
from newsfuse.fuse.entities import resolve as entities_mod
from newsfuse.fuse.entities import resolved as resolved_entities
from newsfuse.fuse.stories import assign as stories
from newsfuse.models import Analysis, Article, TimelineEntry
from newsfuse.store import queries

if TYPE_CHECKING:
    from newsfuse.context import RunContext
    from newsfuse.store import Store


def fuse_stage(store: Store, ctx: RunContext) -> None:
    """Place every analysed article that is in no story yet (this run's and any an earlier run left),
    then fuse every story queued for fusion (by this placement, a re-analysis, or a run killed before
    it fused them), oldest first."""
    todo = queries.articles_to_place(store)
    progress.note(ctx.progress and bool(todo), f"placing {len(todo)} articles into stories")
    with store.transaction():
        store.lock("stories")  # placement reads and writes store-wide state: one writer at a time
        touched = stories.assign_articles(store, queries.articles_to_place(store))
        store.queue_fusion(touched)
        store.forget_placed()
    cache = entities_mod.EntityCache()  # store-wide entities read once per run, not once per story
    pending = queries.pending_fusion_ids(store)
    with progress.steps(ctx.progress, "fusing stories", len(pending)) as advance:
        for story_id in pending:
            fuse_story(store, story_id, cache)
            if story_id not in ctx.stories:
                ctx.stories.append(story_id)
            advance(story_id)


def fuse_story(store: Store, story_id: str, cache: entities_mod.EntityCache | None = None) -> None:
    """Recompute and store one story's entities, date estimates, claims and timeline (``cache``:
    store-wide entities shared by the stories of one run), in one transaction that also records the
    story as fused: a run killed half-way leaves it queued, never half-written."""
    cache = cache if cache is not None else entities_mod.EntityCache()
    try:
        with _no_full_collections(), store.transaction():
            sid = queries.resolve_story_id(store, story_id)
            _fuse(store, sid, cache)
            store.fusion_done(dict.fromkeys([story_id, sid]))
    except BaseException:
        cache.clear()  # it may hold entities of the rolled-back transaction
        raise


class _Collector:
    """Fuses running in this process and the collector's thresholds before the first began."""

    lock = threading.Lock()
    fusing = 0
    saved: tuple[int, int, int] = (0, 0, 0)


@contextlib.contextmanager
def _no_full_collections() -> Iterator[None]:
    """No full garbage collection while a story fuses (the young generations still run, and the
    thresholds are restored after). A fuse of a big story allocates hundreds of thousands of short
    records, and every few thousand of them surviving a young collection set off a full one, which
    walks all a process keeps between fuses (analyses, statements, vectors): measured 2-3 full
    collections per re-fuse of a 500-article story, about a tenth of its CPU. Objects are freed as
    before; only cycles that outlive a young collection wait for the next full one after the fuse."""
    with _Collector.lock:
        if _Collector.fusing == 0:
            _Collector.saved = gc.get_threshold()
            gc.set_threshold(_Collector.saved[0], _Collector.saved[1], _NEVER)
        _Collector.fusing += 1
    try:
        yield
    finally:
        with _Collector.lock:
            _Collector.fusing -= 1
            if _Collector.fusing == 0:
                gc.set_threshold(*_Collector.saved)


_NEVER = 1 << 30  # a gen-2 threshold no fuse reaches


def _fuse(store: Store, sid: str, cache: entities_mod.EntityCache) -> None:
    ids = queries.story_article_ids(store, sid)
    articles = queries.list_articles(store, ids)
    analyses = kept_analyses.ANALYSES.get(store, [a.id for a in articles])  # only what changed is read
    stored = dict(analyses)
    estimate_entries, changed = _estimate_dates(store, sid, articles, analyses)
    if changed:
        articles = queries.list_articles(store, ids)  # an estimated date changed
    if estimate_entries:
        _cover_estimates(store, sid, articles)
    if any(analyses[a] is not stored[a] for a in stored):
        cache.clear()  # a re-analysis replaced mentions: the counts kept for their links are gone
    # kept between fuses of a growing story: the entities the new articles touch are redone
    emap = resolved_entities.resolve_and_put(store, ids, [analyses[a.id] for a in articles], cache,
                                             kept_analyses.ANALYSES.derived)
    claims = claims_mod.build_claims(sid, articles, analyses, emap, queries.copies_of(store, ids),
                                     vectors=SentenceVectors(store), derived=kept_analyses.ANALYSES.derived)
    store.put_claims(sid, claims)
    entries = timeline_mod.build_timeline(sid, articles, analyses, claims, kept_analyses.ANALYSES.derived)
    store.put_timeline(sid, _ordered([*entries, *estimate_entries]))


def _cover_estimates(store: Store, sid: str, articles: list[Article]) -> None:
    """Widen the story's first/last dates to its articles' estimated dates: placement set them from
    the dated articles only, and the header must agree with the summary's 'published X to Y'."""
    days = sorted(a.published[:10] for a in articles if a.published)
    story = queries.get_story(store, sid)
    seen, updated = story.first_seen or "", story.last_update or ""
    first = min(days[0], seen[:10]) if seen else days[0]
    last = max(days[-1], updated[:10]) if updated else days[-1]
    if first != seen[:10] or last != updated[:10]:  # keep a stored time of day when the day stays
        store.put_story(replace(story, first_seen=seen if first == seen[:10] else first,
                                last_update=updated if last == updated[:10] else last))


def _estimate_dates(
    store: Store, story_id: str, articles: list[Article], analyses: dict[str, Analysis]
) -> tuple[list[TimelineEntry], bool]:
    """Estimate (or re-estimate) undated articles' dates; returns the timeline lines saying so and
    whether a stored date changed (a story re-fused after one new article mostly keeps them)."""
    undated = [a for a in articles if not a.published or a.published_source == "estimated"]
    if not undated:
        return [], False
    dated = [a for a in articles if a not in undated]
    # The dated articles' timeline is read only for an 'N days after <event>' clue, which few
    # undated articles give (36 of 840 PolNeAR train texts): without one it is not built (a whole
    # timeline of the story per fuse), and the estimates are the same.
    base = timeline_mod.build_timeline(story_id, dated, analyses, derived=kept_analyses.ANALYSES.derived) \
        if any(timeline_mod.reads_timeline(a) for a in undated) else []
    out, changed = [], False
    for article in undated:
        estimate = timeline_mod.estimate_published(article, articles, base)
        if estimate is None:
            continue
        if estimate.published != (article.published or "")[:10]:
            store.set_published(article.id, estimate.published, "estimated")
            analyses[article.id] = _reanalyse(store, article, estimate.published, analyses[article.id])
            changed = True
        out.append(timeline_mod.estimate_entry(story_id, article, estimate))
    return out, changed


def _reanalyse(store: Store, article: Article, published: str, analysis: Analysis) -> Analysis:
    """Re-run analysis against the estimated date when relative times were left unresolved."""
    if not any(not t.anchored for t in analysis.times):
        return analysis
    from newsfuse.analyze import nlp
    from newsfuse.analyze.pipeline import analyze_article

    dated = replace(article, published=published, published_source="estimated")
    fresh = analyze_article(dated, nlp.parse(dated.text))
    store.put_analysis(fresh)
    return fresh


def _ordered(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    return sorted(entries, key=lambda e: (e.date_start or "", e.date_end or "", e.text))
