"""The analyze stage: parse each article once, then run the rule steps on the parse.

``ANALYSIS_STEPS`` names the steps in the order they run; a caller that needs only some passes their
names (quotes need mentions; events need mentions, times and amounts: a step left out gives its
dependants an empty list). Big batches are parsed in ``ctx.workers`` processes (a local pool or a
dask LocalCluster) or on a dask cluster (``ctx.dask``, :mod:`newsfuse.analyze.cluster`), each worker
loading the spaCy model once. The stage reads the articles to analyse from the store page by page,
as the workers take them, and stores each result in its own transaction as it comes back.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import uuid
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, Protocol

from newsfuse import defaults, progress
from newsfuse.analyze import amounts, nlp
from newsfuse.analyze.events import extract as events
from newsfuse.analyze.events import nominal
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
ANALYSIS_VERSION = "25"
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
    untyped = nominal.find_untyped(doc, aid, mentions, times, amts, found_events) if "events" in steps else []
    return Analysis(
        article_id=aid,
        mentions=tuple(mentions),
        quotes=tuple(found_quotes),
        events=tuple(found_events),
        times=tuple(times),
        amounts=tuple(amts),
        version=ANALYSIS_VERSION,
        untyped=tuple(untyped),
    )


# ---------------------------------------------------------------------------------------------
# many articles
# ---------------------------------------------------------------------------------------------


def analyze_texts(
    articles: Iterable[Article], workers: int = 1, steps: Sequence[str] = ANALYSIS_STEPS
) -> list[Analysis]:
    """Analyses of the articles, in their order (the library entry point for tests and benchmarks)."""
    return [a for a in iter_analyses(articles, workers, steps) if isinstance(a, Analysis)]


EXECUTORS = ("pool", "dask")
Job = tuple[list[Article], tuple[str, ...]]


def iter_analyses(
    articles: Iterable[Article],
    workers: int = 1,
    steps: Sequence[str] = ANALYSIS_STEPS,
    executor: str = "pool",
    address: str | None = None,
    ordered: bool = True,
    pool: Any = None,
) -> Iterator[Analysis | str]:
    """One result per article: its Analysis, or a message saying why it failed.

    ``articles`` may be a lazy iterator (the stage reads them from the store page by page): it is
    read only as fast as the workers take batches, at most ``ANALYZE_BATCHES_IN_FLIGHT_PER_WORKER``
    batches per worker ahead, so memory stays flat whatever the number of articles.

    ``executor`` "pool" uses a local process pool of ``workers``; "dask" a dask.distributed cluster:
    the scheduler at ``address`` (``tcp://host:8786``) or, without one, a LocalCluster of ``workers``
    processes on this machine (:mod:`newsfuse.analyze.cluster`). ``ordered``: results in the
    articles' order; otherwise as batches complete (the stage's choice: no worker waits on a slow
    batch). With one worker, or fewer than ``ANALYZE_PARALLEL_MIN_ARTICLES`` articles and no
    ``address``, everything runs in this process. ``pool``: a :func:`worker_pool` the caller keeps
    open (a long-running watch), used whatever the batch size, so no batch pays for starting processes.
    """
    if workers < 1:
        raise ConfigError(f"workers must be 1 or more, got {workers}")
    if executor not in EXECUTORS:
        raise ConfigError(f"unknown executor {executor!r}; choose from {list(EXECUTORS)}")
    if address and executor != "dask":
        raise ConfigError(f"a dask scheduler address ({address}) needs the dask executor, not {executor!r}")
    if pool is not None:
        # A kept pool gets small batches (what arrived at once): one article a job spreads them.
        yield from _pool_analyses(pool, _jobs(articles, tuple(steps), 1), workers)
        return
    source = iter(articles)
    head = list(islice(source, defaults.ANALYZE_PARALLEL_MIN_ARTICLES))
    jobs = _jobs(chain(head, source), tuple(steps), _batch_size(executor))
    if not address and (workers == 1 or len(head) < defaults.ANALYZE_PARALLEL_MIN_ARTICLES):
        nlp.load()  # fail here, with the install hint, rather than once per article
        for job in jobs:
            yield from _analyze_chunk(job)
    elif executor == "dask":
        yield from _dask_analyses(jobs, workers, address, ordered)
    else:
        with worker_pool(workers) as pool:
            yield from _pool_analyses(pool, jobs, workers)


def _batch_size(executor: str) -> int:
    return defaults.DASK_BATCH_ARTICLES if executor == "dask" else defaults.ANALYZE_CHUNK_ARTICLES


def _jobs(articles: Iterable[Article], steps: tuple[str, ...], size: int) -> Iterator[Job]:
    """Batches of ``size`` articles, read from ``articles`` only as they are asked for."""
    source = iter(articles)
    while batch := list(islice(source, size)):
        yield batch, steps


def _pool_analyses(pool: Any, jobs: Iterator[Job], workers: int) -> Iterator[Analysis | str]:
    """Results in order, with at most ``ANALYZE_BATCHES_IN_FLIGHT_PER_WORKER`` batches per process
    submitted ahead (``Pool.imap`` would read every job at once, and with them every article)."""
    ahead: deque[Any] = deque()
    limit = workers * defaults.ANALYZE_BATCHES_IN_FLIGHT_PER_WORKER
    for job in jobs:
        ahead.append(pool.apply_async(_analyze_chunk, (job,)))
        if len(ahead) >= limit:
            yield from ahead.popleft().get()
    while ahead:
        yield from ahead.popleft().get()


def _dask_analyses(
    jobs: Iterator[Job], workers: int, address: str | None, ordered: bool
) -> Iterator[Analysis | str]:
    from newsfuse.analyze import cluster

    with cluster.connect(address, workers, check=analysis_version) as client:
        for (batch, _), result in cluster.run_bounded(client, _analyze_chunk, jobs, ordered):
            if isinstance(result, BaseException):  # the batch killed every worker that ran it
                tries = getattr(result, "allowed_failures", None)
                yield from (f"article {a.id}: the dask workers analysing its batch died "
                            f"{'' if tries is None else f'{tries + 1} times '}(KilledWorker); it stays "
                            "unanalysed and the next run retries it" for a in batch)
            else:
                yield from result


def analysis_version() -> str:
    """The analysis version this installation writes (compared with every cluster worker's)."""
    return ANALYSIS_VERSION


def worker_pool(workers: int) -> Any:
    """A process pool whose workers have the spaCy model loaded (used by the speed benchmark too)."""
    # fork shares the parent's loaded model pages; spawn elsewhere (each worker loads it once)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    return multiprocessing.get_context(method).Pool(workers, initializer=_load_model)


def _load_model() -> None:
    from newsfuse.analyze import threads

    nlp.load()
    threads.one_thread()  # a pool process runs one chunk at a time: native pools would only compete


def _analyze_chunk(job: Job) -> list[Analysis | str]:
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


class Follower(Protocol):
    """What follows the stage's stream: sees every article handed to the workers and every result."""

    def reading(self, articles: Iterable[Article]) -> Iterator[Article]: ...

    def done(self, result: Analysis | str) -> None: ...

    def flush(self) -> None: ...


class _NoFollower:
    def reading(self, articles: Iterable[Article]) -> Iterator[Article]:
        return iter(articles)

    def done(self, result: Analysis | str) -> None:
        return None

    def flush(self) -> None:
        return None


# ---------------------------------------------------------------------------------------------
# the stage
# ---------------------------------------------------------------------------------------------


def analyze_stage(store: Store, ctx: RunContext, follower: Follower | None = None) -> None:
    """Analyse what the store says needs it, store each analysis in its own transaction (which also
    drops its claim), count them in ctx.

    All the stale articles go through one stream (one process pool or one dask connection for the
    whole run), fed by :func:`claimed_articles`, which claims them ``defaults.ANALYZE_CLAIM_ARTICLES``
    at a time as the workers take them: a concurrent run analyses other articles than this one, and
    the claims of a process that died are taken over. Results are stored as they come back (on a
    cluster, in the order batches finish); the claims of articles that failed are dropped at the end,
    so a later run tries them again. ``follower`` (the orchestrator's: what the fuse wants encoded
    ahead, :class:`newsfuse.fuse.claims.ahead.StageAhead`) sees each article handed out and each
    result as it comes back; analysis itself never reaches up into fusion."""
    from newsfuse.store import queries

    if ctx.dask and store.db.dialect == "sqlite":
        raise ConfigError(cluster_store_message(store.url))
    owner = claim_owner()
    store.queue_stale_analyses(ANALYSIS_VERSION)  # analyses a newer or older newsfuse wrote
    # For the progress line only, so not made when nobody sees it (watch, API, library calls).
    total = queries.count_stale_analyses(store, ANALYSIS_VERSION) if ctx.progress else 0
    executor = "dask" if ctx.dask else ctx.executor
    ahead = follower or _NoFollower()
    try:
        with progress.steps(ctx.progress, "analysing articles", total) as advance:
            for result in iter_analyses(ahead.reading(claimed_articles(store, owner)), max(1, ctx.workers),
                                        executor=executor, address=ctx.dask, ordered=False, pool=ctx.pool):
                if isinstance(result, Analysis):
                    store.put_analysis(result)
                    ctx.analyzed += 1
                else:
                    ctx.notes.append(result)
                ahead.done(result)
                advance()
            ahead.flush()
    finally:
        store.release_claims(owner)


def claimed_articles(store: Store, owner: str) -> Iterator[Article]:
    """The stale articles ``owner`` claimed, claimed a window of ``defaults.ANALYZE_CLAIM_ARTICLES``
    at a time when the consumer has taken every article of the window before (so a run killed midway
    leaves at most the claims of a window or two, taken over by the next run).

    Windows are read in arrival order after the last one seen, so nothing is listed whole. A pass
    that claimed something is followed by another from the start: it picks up what arrived before
    the cursor meanwhile and the claims of runs that died since. Articles ``owner`` holds (in flight,
    or failed in this run) are not read again, so the stream ends."""
    from newsfuse.store import queries

    window = defaults.ANALYZE_CLAIM_ARTICLES
    claimed = True
    while claimed:
        after, claimed = 0, False
        while page := queries.stale_analysis_page(store, ANALYSIS_VERSION, after, window, owner):
            after = page[-1][1]
            mine = store.claim_analysis([aid for aid, _ in page], owner, claim_is_stale, window,
                                        version=ANALYSIS_VERSION)
            claimed = claimed or bool(mine)
            yield from queries.list_articles(store, mine)
            if len(page) < window:
                break


def cluster_store_message(url: str) -> str:
    """Why a run on a dask cluster refuses a SQLite store (said by the stage and the CLI)."""
    return (f"a run on a dask cluster (--dask / $NEWSFUSE_DASK) needs a PostgreSQL store that every "
            f"machine and process can share; {url} is a SQLite file on this machine. Pass "
            "--db postgresql://user@host/db, or drop --dask to analyse here (--workers N, "
            "--executor dask for a local cluster)")


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

