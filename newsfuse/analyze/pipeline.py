"""The analyze stage: parse each article once, then run the rule steps on the parse.

``ANALYSIS_STEPS`` names the steps in the order they run; a caller that needs only some passes their
names (quotes need mentions; events need mentions, times and amounts: a step left out gives its
dependants an empty list). Big batches are parsed in ``ctx.workers`` processes, each loading the
spaCy model once; results come back in article order and are stored one transaction per article.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newsfuse import defaults, progress
from newsfuse.analyze import amounts, nlp
from newsfuse.analyze.events import extract as events
from newsfuse.analyze.names import mentions as entities
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.quotes import extract as quotes
from newsfuse.analyze.time import extract as dates
from newsfuse.errors import AnalysisError, ConfigError
from newsfuse.models import Analysis, Article

if TYPE_CHECKING:
    from newsfuse.context import RunContext
    from newsfuse.store import Store

# Bump whenever any step's output changes: stored analyses of another version are redone.
ANALYSIS_VERSION = "17"
ANALYSIS_STEPS: tuple[str, ...] = ("mentions", "times", "amounts", "quotes", "events")


def analyze_article(article: Article, doc: ParsedDoc, steps: Sequence[str] = ANALYSIS_STEPS) -> Analysis:
    """Run the named rule steps on one parsed article."""
    unknown = [s for s in steps if s not in ANALYSIS_STEPS]
    if unknown:
        raise ConfigError(f"unknown analysis step(s) {unknown}; choose from {list(ANALYSIS_STEPS)}")
    aid = article.id
    mentions = entities.find_mentions(doc, aid) if "mentions" in steps else []
    mentions = entities.with_outlet(mentions, article.text, article.outlet)
    times = dates.find_times(doc, aid, article.published) if "times" in steps else []
    amts = amounts.find_amounts(doc, aid) if "amounts" in steps else []
    found_quotes = quotes.find_quotes(doc, aid, mentions) if "quotes" in steps else []
    found_events = events.find_events(doc, aid, mentions, times, amts) if "events" in steps else []
    return Analysis(
        article_id=aid,
        mentions=tuple(mentions),
        quotes=tuple(found_quotes),
        events=tuple(found_events),
        times=tuple(times),
        amounts=tuple(amts),
        version=ANALYSIS_VERSION,
    )


# ---------------------------------------------------------------------------------------------
# many articles
# ---------------------------------------------------------------------------------------------


def analyze_texts(
    articles: Sequence[Article], workers: int = 1, steps: Sequence[str] = ANALYSIS_STEPS
) -> list[Analysis]:
    """Analyses of the articles, in their order (the library entry point for tests and benchmarks)."""
    return [a for a in iter_analyses(articles, workers, steps) if isinstance(a, Analysis)]


EXECUTORS = ("pool", "dask")


def iter_analyses(
    articles: Sequence[Article],
    workers: int = 1,
    steps: Sequence[str] = ANALYSIS_STEPS,
    executor: str = "pool",
    pool: Any = None,
) -> Iterator[Analysis | str]:
    """One result per article, in order: its Analysis, or a message saying why it failed.

    ``executor`` "pool" uses a local process pool; "dask" runs the chunks as a dask bag on the
    processes scheduler, in windows of ``defaults.DASK_WINDOW_ARTICLES`` so a large batch job never
    holds all its results in memory at once. ``pool``: a :func:`worker_pool` the caller keeps open
    (a long-running watch), used whatever the batch size, so no batch pays for starting processes.
    """
    if workers < 1:
        raise ConfigError(f"workers must be 1 or more, got {workers}")
    if executor not in EXECUTORS:
        raise ConfigError(f"unknown executor {executor!r}; choose from {list(EXECUTORS)}")
    # With a kept pool, batches are small (what arrived at once): one article a chunk spreads them.
    chunks = _chunks(list(articles), 1 if pool is not None else defaults.ANALYZE_CHUNK_ARTICLES)
    jobs = [(c, tuple(steps)) for c in chunks]
    if pool is not None:
        for results in pool.imap(_analyze_chunk, jobs):
            yield from results
    elif workers == 1 or len(articles) < defaults.ANALYZE_PARALLEL_MIN_ARTICLES:
        nlp.load()  # fail here, with the install hint, rather than once per article
        for job in jobs:
            yield from _analyze_chunk(job)
    elif executor == "dask":
        yield from _dask_analyses(jobs, workers)
    else:
        with worker_pool(workers) as pool:
            for results in pool.imap(_analyze_chunk, jobs):
                yield from results


def _dask_analyses(
    jobs: list[tuple[list[Article], tuple[str, ...]]], workers: int
) -> Iterator[Analysis | str]:
    import dask.bag as db

    per_window = max(1, defaults.DASK_WINDOW_ARTICLES // defaults.ANALYZE_CHUNK_ARTICLES)
    for start in range(0, len(jobs), per_window):
        window = jobs[start : start + per_window]
        bag = db.from_sequence(window, npartitions=min(len(window), workers * 4))
        for results in bag.map(_analyze_chunk).compute(scheduler="processes", num_workers=workers):
            yield from results


def _chunks(items: list[Article], size: int) -> list[list[Article]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def worker_pool(workers: int) -> Any:
    """A process pool whose workers have the spaCy model loaded (used by the speed benchmark too)."""
    # fork shares the parent's loaded model pages; spawn elsewhere (each worker loads it once)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method).Pool(workers, initializer=_load_model)


def _load_model() -> None:
    nlp.load()


def _analyze_chunk(job: tuple[list[Article], tuple[str, ...]]) -> list[Analysis | str]:
    """Parse a chunk with one ``nlp.pipe`` call and run the steps; a failing article gives a message
    instead of stopping the batch."""
    chunk, steps = job
    out: list[Analysis | str] = []
    for article, doc in zip(chunk, nlp.parse_many(a.text for a in chunk), strict=True):
        try:
            out.append(analyze_article(article, doc, steps))
        except AnalysisError:
            raise
        except Exception as exc:  # a rule bug must not lose the other articles of the run
            out.append(f"article {article.id}: analysis failed ({type(exc).__name__}: {exc}); "
                       "please report this with the article")
    return out


# ---------------------------------------------------------------------------------------------
# the stage
# ---------------------------------------------------------------------------------------------


def articles_to_analyze(store: Store) -> list[Article]:
    """Stored articles without an analysis of this version: those the run just stored, those stored
    earlier without analysis, and those analysed by an older version."""
    from newsfuse.store import queries

    return queries.list_articles(store, queries.stale_analysis_ids(store, ANALYSIS_VERSION))


def analyze_stage(store: Store, ctx: RunContext) -> None:
    """Analyse what the store says needs it, store each analysis in its own transaction (which also
    drops its claim), count them in ctx.

    Work is claimed ``defaults.ANALYZE_CLAIM_ARTICLES`` articles at a time, so a concurrent run
    analyses other articles than this one; claims of a process that died are taken over."""
    from newsfuse.store import queries

    owner = claim_owner()
    tried: set[str] = set()  # an article that failed here is not retried by this run
    try:
        while True:
            todo = [i for i in queries.stale_analysis_ids(store, ANALYSIS_VERSION) if i not in tried]
            mine = store.claim_analysis(todo, owner, claim_is_stale, defaults.ANALYZE_CLAIM_ARTICLES,
                                        version=ANALYSIS_VERSION)
            if not mine:
                return
            tried.update(mine)
            _analyze_claimed(store, ctx, queries.list_articles(store, mine))
            store.release_claims(owner)  # those that failed: free for a later run
    finally:
        store.release_claims(owner)


def _analyze_claimed(store: Store, ctx: RunContext, todo: list[Article]) -> None:
    with progress.steps(ctx.progress, "analysing articles", len(todo)) as advance:
        for result in iter_analyses(todo, max(1, ctx.workers), executor=ctx.executor, pool=ctx.pool):
            if isinstance(result, Analysis):
                store.put_analysis(result)
                ctx.analyzed += 1
            else:
                ctx.notes.append(result)
            advance()


def claim_owner() -> str:
    """Who claims work: host, process and run (two runs in one process are two owners)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claim_is_stale(owner: str, claimed_at: str) -> bool:
    """A claim whose process is gone: on this host, a pid that no longer runs; elsewhere, a claim
    older than ``defaults.ANALYZE_CLAIM_STALE_S``."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # alive, owned by another user
            return False
        return False
    try:
        age = (datetime.now(UTC) - datetime.fromisoformat(claimed_at)).total_seconds()
    except ValueError:
        return True
    return age > defaults.ANALYZE_CLAIM_STALE_S

