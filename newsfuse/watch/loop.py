"""The watch loop: poll sources when due, fetch the pages they newly list, store, analyse and fuse.

Threads: fetches (and the extraction of a fetched page) run on a pool of worker threads
(:mod:`.jobs`); the watch state and the articles are written by the thread that called
:meth:`Watcher.run`; analysis and fusion run pipelined on threads of their own with their own store
connections (:mod:`.fusing`), the parse on a kept analysis process (the second core), so polls and
fetches never wait for a batch being analysed or fused. The sentence encoder is loaded before the
first poll (:mod:`.warm`). A poll answered 304 is recorded in memory and written with the others
every ``WATCH_POLL_RECORD_SECONDS`` (at most that much bookkeeping is lost to a kill -9: the source
is polled again sooner), so hundreds of unchanged feeds polled every second do not each wait their
turn for the store's write lock while a story is being fused. A write that still finds the store
busy is reported and retried on a later turn: nothing it held is lost (the poll or page is done
again). State lives in the store (``watch_sources``,
``watch_urls``): a URL is queued in the transaction recording the poll that found it and marked done
in the one storing its article, so stopping at any moment (even kill -9) loses nothing and a restart
stores nothing twice.

A failing source waits longer after each failure (its interval doubled per failure, with jitter,
capped); a failing page is retried after a back-off a few times and then given up and reported; a
host that answers 429/5xx is paused as a whole by the fetcher. Nothing is retried in a tight loop.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from newsfuse import defaults
from newsfuse.context import RunContext
from newsfuse.errors import FetchError, RobotsDeniedError, StoreBusyError
from newsfuse.ids import bytes_id
from newsfuse.ingest.fetch import Fetcher
from newsfuse.ingest.fetch.backoff import backoff_seconds
from newsfuse.ingest.fetch.page import page_hash, page_url
from newsfuse.ingest.fetch.sourcesfile import Source
from newsfuse.ingest.fetch.urls import host_of
from newsfuse.ingest.pipeline import copy_index, store_article
from newsfuse.models import Rejection
from newsfuse.store import Store, queries
from newsfuse.watch import analysing
from newsfuse.watch.bounds import bound_caches
from newsfuse.watch.fuser import FusionProcess
from newsfuse.watch.fusing import Fusing, fuse_batch
from newsfuse.watch.jobs import Fetched, FetchJob, PollJob, Sourced, fetch, poll
from newsfuse.watch.priority import lower_thread
from newsfuse.watch.status import Listener, Status
from newsfuse.watch.turns import PipelineStore, WriteTurns
from newsfuse.watch.warm import ready_encoder


@dataclass
class WatchOptions:
    """How the loop runs. Defaults come from :mod:`newsfuse.defaults`; tests and benchmarks set
    short intervals here."""

    interval: float | None = None  # poll every source this often, whatever the sources file says
    workers: int = defaults.FETCH_WORKERS
    batch: int = defaults.WATCH_BATCH_ARTICLES  # articles analysed and fused together at most
    max_attempts: int = defaults.FETCH_MAX_ATTEMPTS
    retry_base: float = defaults.BACKOFF_BASE_SECONDS
    once: bool = False  # poll each source that is due once, fetch what is queued, then stop (cron)
    stop_after: float | None = None  # seconds; None runs until stop()
    analyze: bool = True  # run analyze + fuse on each batch (False: store articles only)
    # >=1: analysis runs on a process pool kept for the whole watch (the CLI keeps one:
    # defaults.WATCH_ANALYSIS_WORKERS); 0: in this process (tests: no process to start)
    analysis_workers: int = 0
    fuse_thread: bool = True  # analyse + fuse on threads of their own (polls and fetches go on meanwhile)
    # True: fusion runs on a process of its own, kept for the whole watch (the CLI keeps one:
    # defaults.WATCH_FUSION_PROCESS), off this process's GIL; False: on the fusing thread (tests)
    fusion_process: bool = False
    status_every: float = defaults.WATCH_STATUS_SECONDS
    # the analysis stage encodes claim sentences right after analysis, so fuses only read them
    encode_ahead: bool = defaults.WATCH_ENCODE_AHEAD
    # a story's fuse computes outside the write lock and writes in one short transaction
    deferred_writes: bool = defaults.WATCH_DEFERRED_WRITES


class Watcher:
    """``Watcher(store, sources, fetcher).run()`` until :meth:`stop` (or ``options.once``)."""

    def __init__(
        self, store: Store, sources: Sequence[Source], fetcher: Fetcher | None = None,
        options: WatchOptions | None = None, listeners: Sequence[Listener] = (),
        on_status: Any = None,
    ) -> None:
        self.store = store
        self.options = options or WatchOptions()
        self.sources = {s.url: self._with_interval(s) for s in sources}
        self.fetcher = fetcher or Fetcher()
        self._own_fetcher = fetcher is None
        self.status = Status(sources=len(self.sources), listeners=list(listeners))
        self.on_status = on_status  # called with the Status every options.status_every seconds
        self._stop = threading.Event()
        self._inflight: dict[Future[Any], PollJob | FetchJob] = {}
        self._polled: set[str] = set()
        self._analysis_pool: Any = None
        self._fusing: Fusing | None = None
        self._fuser: FusionProcess | None = None
        self._next_poll: dict[str, float] = {}
        self._unchanged: dict[str, float] = {}  # source -> next poll, of 304 polls not yet written
        self._unchanged_written = time.time()
        # source -> (ETag, Last-Modified) it last answered, as stored: sent with its next poll
        # (kept here so a poll costs no read of the store)
        self._validators: dict[str, tuple[str | None, str | None]] = {}
        self._last_turn = 0.0
        # the loop's writes go before the pipeline's next transaction (in the fusion process too)
        self._turns = WriteTurns(shared=self.options.analyze and self.options.fusion_process)

    def stop(self) -> None:
        """Ask the loop to stop after the batch it is storing (safe from a signal handler)."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    # -- the loop ----------------------------------------------------------------------------

    def run(self) -> Status:
        self._register()
        if self.options.analyze:
            self._start_pipeline()
        self._catch_up()
        deadline = time.time() + self.options.stop_after if self.options.stop_after else None
        last_status = 0.0
        # polls and fetches a few nice levels below the analysis process (watch/priority.py)
        pool = ThreadPoolExecutor(max(1, self.options.workers), thread_name_prefix="newsfuse-fetch",
                                  initializer=lower_thread, initargs=(defaults.WATCH_FETCH_NICE,))
        try:
            while not self._stop.is_set():
                now = time.time()
                if deadline and now >= deadline:
                    break
                try:
                    if self._turn(pool, now, deadline):
                        break
                except StoreBusyError as exc:  # a long fuse transaction: what was in hand is done again
                    self.status.event("store_busy", error=str(exc))
                if now - last_status >= self.options.status_every:
                    last_status = now
                    self._refresh_status()
        finally:
            pool.shutdown(wait=False, cancel_futures=True)  # a fetch in flight is re-queued on restart
            try:
                self._write_unchanged()
            except StoreBusyError as exc:  # a fuse holds the lock: those sources are polled again sooner
                self.status.event("store_busy", error=str(exc))
            if self._fusing is not None:
                self._fusing.close()  # the batch in hand is finished; the rest is fused at next start
                self._pipeline_results()
            if self._fuser is not None:
                self._fuser.close()
            if self._analysis_pool is not None:
                self._analysis_pool.terminate()
                self._analysis_pool.join()
            if self._own_fetcher:
                self.fetcher.close()
            self._refresh_status()
            self.status.event("stopped", **self.status.summary())
        return self.status

    def _turn(self, pool: ThreadPoolExecutor, now: float, deadline: float | None) -> bool:
        """One turn of the loop: hand out due polls and queued fetches, record what came back.
        True when a ``once`` run is finished."""
        self._submit_polls(pool, now)
        self._submit_fetches(pool, now)
        if self.options.once and self._finished():
            return True
        self._collect(self._wait_time(now, deadline))
        self._pipeline_results()
        if time.time() - self._unchanged_written >= defaults.WATCH_POLL_RECORD_SECONDS:
            self._write_unchanged()
        return False

    def _start_pipeline(self) -> None:
        """The kept analysis processes (if any), the encoder loaded, the pipeline threads."""
        if self.options.analysis_workers >= 1:
            import multiprocessing

            # spawned, not forked: a fork copies the locks other threads hold (the caller's, a test
            # server's) and the child can wait on one forever; each worker loads the models once
            self._analysis_pool = multiprocessing.get_context("spawn").Pool(
                self.options.analysis_workers, initializer=analysing.start_worker,
                initargs=(analysing.encodes_ahead(self.options.encode_ahead),))
        started = time.perf_counter()
        threaded = self.options.fuse_thread and self.store.url != ":memory:"
        encoder_s = None
        if threaded and self.options.fusion_process:
            self._fuser = FusionProcess(self.store.url, self._turns, deferred=self.options.deferred_writes)
            self._fuser.ready()  # it loads the encoder while the analysis processes load spaCy
        else:
            if threaded:
                bound_caches()  # this process fuses for the whole watch: its caches are bounded too
            encoder_s = ready_encoder()  # meanwhile the analysis processes load spaCy
        if self._analysis_pool is not None:
            self._analysis_pool.apply(_ready)  # returns once a process has loaded its model
        if threaded:
            url, turns = self.store.url, self._turns
            self._fusing = Fusing(lambda: PipelineStore(url, turns), self._analysis_pool,
                                  self.options.batch, self._fuser, self.options.encode_ahead,
                                  self.options.deferred_writes).start()
        pools = self._analysis_pool._pool if self._analysis_pool is not None else []
        self.status.event("pipeline_ready", seconds=round(time.perf_counter() - started, 2),
                          encoder_s=encoder_s, analysis_processes=self.options.analysis_workers,
                          analysis_pids=[p.pid for p in pools],
                          fusion_pids=self._fuser.pids() if self._fuser is not None else [],
                          refresh_priority=self._fuser.policies() if self._fuser is not None else None)

    def _write_unchanged(self) -> None:
        """Record the 304 polls held in memory, in one transaction."""
        held, self._unchanged = self._unchanged, {}
        self._unchanged_written = time.time()
        if not held:
            return
        try:
            with self._turns.loop_writes(), self.store.transaction():
                for url, next_poll in held.items():
                    self.store.record_poll(url, next_poll=next_poll)
        except StoreBusyError:
            self._unchanged = {**held, **self._unchanged}  # written on a later turn
            raise

    def _register(self) -> None:
        for s in self.sources.values():
            self.store.put_watch_source(s.url, s.name, s.kind, s.interval)
            row = queries.watch_source(self.store, s.url) or {}
            self._next_poll[s.url] = float(row.get("next_poll") or 0.0)
            self._validators[s.url] = (row.get("etag"), row.get("last_modified"))
            if self.options.once and self._next_poll[s.url] > time.time():
                self._polled.add(s.url)  # not due: a cron-style run leaves it alone (politeness)
        self.status.event("started", sources=len(self.sources))

    def _catch_up(self) -> None:
        """Articles a stopped run stored but did not fuse (killed between the two) are fused now."""
        if not self.options.analyze:
            return
        waiting = queries.unplaced_article_ids(self.store)
        if waiting:
            self.status.event("catch_up", n=len(waiting))
            self._pipeline(waiting)

    def _finished(self) -> bool:
        if self._inflight or len(self._polled) < len(self.sources):
            return False
        if self._fusing is not None and self._fusing.pending:
            return False
        return not queries.watch_counts(self.store).get("queued")

    def _wait_time(self, now: float, deadline: float | None) -> float:
        polling = self._polling()  # once per turn, not once per source
        due = [t for u, t in self._next_poll.items() if u not in polling]
        nxt = queries.next_queued_try(self.store)
        # A queued URL due already was handed out if a slot was free; if none was (or its host is
        # paused), a finishing fetch or the next tick wakes the loop: never spin on it.
        if nxt is not None and nxt > now:
            due.append(nxt)
        if deadline:
            due.append(deadline)
        wait_for = min(due, default=now + defaults.WATCH_TICK_SECONDS) - now
        return max(defaults.WATCH_MIN_TICK_SECONDS, min(wait_for, self.options.status_every,
                                                        defaults.WATCH_TICK_SECONDS))

    def _polling(self) -> set[str]:
        return {j.source.url for j in self._inflight.values() if isinstance(j, PollJob)}

    # -- submitting work -----------------------------------------------------------------------

    def _submit_polls(self, pool: ThreadPoolExecutor, now: float) -> None:
        polling = self._polling()
        for url, source in self.sources.items():
            if url in polling or self._next_poll.get(url, 0.0) > now:
                continue
            if self.options.once and url in self._polled:
                continue
            paused = self.fetcher.paused_for(url)
            if paused > self.fetcher.host_delay + defaults.WATCH_PAUSED_HOST_SLACK_SECONDS:
                self._next_poll[url] = now + paused  # its host asked us to wait: no thread sleeps on it
                if self.options.once:
                    self._polled.add(url)  # a cron-style run does not wait for it
                continue
            etag, last_modified = self._validators.get(url, (None, None))
            job = PollJob(source, etag, last_modified)
            self._inflight[pool.submit(poll, self.fetcher, job)] = job

    def _submit_fetches(self, pool: ThreadPoolExecutor, now: float) -> None:
        free = self.options.workers * defaults.WATCH_FETCHES_PER_WORKER - len(self._inflight)
        if free <= 0:
            return
        fetching = {j.url for j in self._inflight.values() if isinstance(j, FetchJob)}
        per_host: dict[str, int] = {}
        for j in self._inflight.values():
            if isinstance(j, FetchJob):
                per_host[host_of(j.url)] = per_host.get(host_of(j.url), 0) + 1
        # read more than can start: some are skipped (their host is busy or paused)
        for row in queries.queued_urls(self.store, now, free * defaults.WATCH_QUEUE_LOOKAHEAD):
            url = row["url"]
            host = host_of(url)
            if url in fetching or per_host.get(host, 0) >= self.fetcher.host_concurrency:
                continue
            slack = defaults.WATCH_PAUSED_HOST_SLACK_SECONDS
            if self.fetcher.paused_for(url) > self.fetcher.host_delay + slack:
                continue  # the host asked us to wait: do not hold a worker sleeping on it
            source = self.sources.get(row["source_url"] or "")
            job = FetchJob(url, row["source_url"], int(row["attempts"]), source.name if source else None)
            self._inflight[pool.submit(fetch, self.fetcher, job)] = job
            per_host[host] = per_host.get(host, 0) + 1
            free -= 1
            if free <= 0:
                break

    # -- results, on the loop's thread ---------------------------------------------------------

    def _collect(self, timeout: float) -> None:
        if not self._inflight:
            self._stop.wait(timeout)
            return
        # what finishes within WATCH_TURN_GATHER_S of the last turn is taken in one turn: with
        # hundreds of sources polled every second, a turn per answered poll (each looking at every
        # source and the queue) cost more CPU than the polls
        gather = defaults.WATCH_TURN_GATHER_S - (time.monotonic() - self._last_turn)
        if gather > 0:
            self._stop.wait(min(gather, timeout))
        self._last_turn = time.monotonic()
        done, _ = wait(list(self._inflight), timeout=timeout, return_when=FIRST_COMPLETED)
        if not done:
            return
        pages: list[Fetched] = []
        # the pipeline begins no transaction while these are written; a turn of unchanged feeds only
        # (most turns: their polls are written together later) holds no pipeline transaction back
        writes = any(isinstance(self._inflight[f], FetchJob) or not _unchanged(f) for f in done)
        with self._turns.loop_writes() if writes else nullcontext():
            for future in done:
                job = self._inflight.pop(future)
                if isinstance(job, PollJob):
                    self._polled_source(job, future)
                else:
                    pages.append(future.result())
            if pages:
                self._store_pages(pages)

    def _polled_source(self, job: PollJob, future: Future[Any]) -> None:
        self._record_poll(job, future)  # a busy store raises here: the source is polled again
        self._polled.add(job.source.url)

    def _record_poll(self, job: PollJob, future: Future[Any]) -> None:
        url = job.source.url
        now = time.time()
        try:
            got: Sourced = future.result()
        except Exception as exc:  # whatever broke, the source waits and is reported; the watch goes on
            self._source_failed(job.source, exc, now)
            return
        page = got.page
        assert page is not None
        # +-jitter: sources started together drift apart instead of all polling in the same instant
        spread = defaults.WATCH_POLL_JITTER * job.source.interval
        next_poll = now + job.source.interval + random.uniform(-spread, spread)
        self._next_poll[url] = next_poll
        if page.not_modified:
            self._unchanged[url] = next_poll  # written with the others (_write_unchanged)
            self.status.event("not_modified", source=url)
            self.status.event("poll", source=url, new=0)
            return
        body_hash = bytes_id(page.body)
        known = queries.known_urls(self.store, [e.url for e in got.entries])
        new = [e for e in got.entries if e.url not in known]
        self.store.record_poll(url, next_poll=next_poll, new_urls=[(e.url, e.title) for e in new],
                               etag=page.etag, last_modified=page.last_modified, body_hash=body_hash)
        self._validators[url] = (page.etag, page.last_modified)
        self.status.event("poll", source=url, new=len(new), listed_total=len(got.entries))
        if new:
            self.status.event("listed", source=url, n=len(new), urls=[e.url for e in new])

    def _source_failed(self, source: Source, exc: Exception, now: float) -> None:
        row = queries.watch_source(self.store, source.url) or {}
        failures = int(row.get("failures") or 0) + 1
        retry_after = exc.retry_after if isinstance(exc, FetchError) else None
        wait_for = backoff_seconds(failures, retry_after, base=source.interval,
                                   cap=max(source.interval, defaults.WATCH_MAX_SOURCE_BACKOFF_SECONDS))
        self._next_poll[source.url] = now + wait_for
        reason = getattr(exc, "reason", None) or str(exc)
        self.store.record_poll(source.url, next_poll=now + wait_for, error=reason)
        self.status.event("source_error", source=source.url, error=reason, failures=failures,
                          retry_in=round(wait_for, 2))

    def _store_pages(self, fetched: list[Fetched]) -> None:
        ctx = RunContext()
        index = copy_index(self.store)
        try:
            for f in fetched:
                self._store_page(f, ctx, index)
        finally:  # those stored before a busy store stopped the rest go on to analysis
            if ctx.stored and self.options.analyze:
                self._pipeline(list(ctx.stored))

    def _store_page(self, f: Fetched, ctx: RunContext, index: Any) -> None:
        job, attempts = f.job, f.job.attempts + 1
        if f.error is not None:
            self._page_failed(job, attempts, f.error)
            return
        assert f.page is not None and f.item is not None
        page, item = f.page, f.item
        final = page_url(page)
        if isinstance(item, Rejection):
            self.store.finish_url(job.url, "rejected", attempts=attempts, final_url=final, error=item.reason)
            self.status.event("rejected", url=job.url, error=item.reason)
            return
        digest = page_hash(page)
        same = queries.url_with_content(self.store, digest)
        if same is None and final != job.url and queries.known_urls(self.store, [final], ("done",)):
            same = final  # the canonical (or redirect target) of a page stored already
        if same is not None and same != job.url:
            self.store.finish_url(job.url, "duplicate", attempts=attempts, final_url=final,
                                  content_hash=digest, error=f"same page as {same}")
            self.status.event("duplicate", url=job.url, of=same)
            return
        raw, article = item
        before = len(ctx.stored)
        with self.store.transaction():  # the article and the URL's 'done' commit together
            store_article(self.store, index, article, raw, ctx)
            stored = len(ctx.stored) > before
            self.store.finish_url(job.url, "done" if stored else "duplicate", attempts=attempts,
                                  final_url=final, content_hash=digest,
                                  article_id=article.id if stored else None,
                                  error=None if stored else f"same article as {article.id}")
            if final != job.url:
                self.store.alias_url(final, job.source_url, job.url)
        if stored:
            self.status.event("stored", url=job.url, article_id=article.id, source=job.source_url,
                              outlet=article.outlet, title=article.title)
        else:
            self.status.event("duplicate", url=job.url, article_id=article.id)

    def _page_failed(self, job: FetchJob, attempts: int, error: FetchError) -> None:
        if isinstance(error, RobotsDeniedError):
            self.store.finish_url(job.url, "denied", attempts=attempts, error=error.reason)
            self.status.event("failed", url=job.url, error=error.reason, denied=True)
        elif error.transient and attempts < self.options.max_attempts:
            wait_for = backoff_seconds(attempts, error.retry_after, base=self.options.retry_base)
            self.store.finish_url(job.url, "retry", attempts=attempts, next_try=time.time() + wait_for,
                                  error=error.reason)
            self.status.event("retry", url=job.url, error=error.reason, attempt=attempts,
                              retry_in=round(wait_for, 2))
        else:
            self.store.finish_url(job.url, "failed", attempts=attempts, error=error.reason)
            self.status.event("failed", url=job.url, error=error.reason, attempts=attempts)

    def _pipeline(self, article_ids: list[str]) -> None:
        """Hand newly stored articles to the pipeline: its thread, or (``:memory:`` stores, which a
        second connection cannot see) this thread."""
        if self._fusing is not None:
            self._fusing.submit(article_ids)
            return
        result = fuse_batch(self.store, article_ids, self._analysis_pool)
        if result["event"] == "fused":  # placed and refreshed together on this thread
            placed = [a for a in article_ids if queries.story_of_article(self.store, a) is not None]
            self._report({"event": "placed", "articles": placed, "stories": list(result["stories"]),
                          "placed_at": result["done_at"]})
        self._report(result)

    def _report(self, result: dict[str, Any]) -> None:
        event = result.pop("event")
        if event == "refresh_restarted":  # kept for `newsfuse sources` and /api/sources
            try:
                self.store.add_count("watch_refresh_restarts")
            except StoreBusyError as exc:  # a count, not state: the event is logged whatever happens
                self.status.event("store_busy", error=str(exc))
        self.status.event(event, **result)

    def _pipeline_results(self) -> None:
        if self._fusing is not None:
            for result in self._fusing.results():
                self._report(result)
            self.status.fusing = self._fusing.pending

    def _refresh_status(self) -> None:
        counts = queries.watch_counts(self.store)
        self.status.queue = counts.get("queued", 0)
        self.status.inflight = sum(1 for j in self._inflight.values() if isinstance(j, FetchJob))
        rows = queries.watch_sources(self.store)
        self.status.failing = sum(1 for r in rows if r["url"] in self.sources
                                  and r["failures"] >= defaults.WATCH_FAILING_AFTER)
        if self.on_status is not None:
            self.on_status(self.status)

    def _with_interval(self, source: Source) -> Source:
        if self.options.interval is None:
            return source
        return Source(source.url, source.name, self.options.interval, source.kind)


def _unchanged(future: Future[Any]) -> bool:
    """Whether a finished poll found its feed unchanged (304: nothing to write now)."""
    if future.exception() is not None:
        return False
    got = future.result()
    return isinstance(got, Sourced) and got.page is not None and got.page.not_modified


def _ready() -> bool:
    return True  # run by an analysis process once its initializer (the model load) is done
