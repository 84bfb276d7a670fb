"""Analyse, place and refresh what the watch stored, on threads of their own, pipelined, so polls
and fetches never wait for a batch and a story's claim refresh never holds up the next placement.

Two stages, each a thread with its own inbox:

    loop --submit--> analysing (spaCy on the kept analysis process, then placement)
                     --> refreshing (claims, on the fusion process, behind)

The analysing stage takes what is waiting, up to ``defaults.WATCH_BATCH_ARTICLES`` articles, as one
micro-batch, analyses those only, stores the analyses and at once places every analysed article
that waits in its story (:func:`place_analysed`, one short transaction): the article is in its
story's list and page within seconds (event 'placed'). With ``defaults.WATCH_ENCODE_AHEAD`` (off by
default) it also encodes their claim sentences while no more articles wait than its batch. The
refreshing stage (:class:`_FuseStage`) takes the stories each placement queued and refreshes them
one at a time (entities, claims, timeline: the fuse), on the kept fusion process at a lower CPU
priority (:mod:`.fuser`) or on its own thread: the next story is chosen by a
:class:`~newsfuse.watch.schedule.StoryQueue`, each story at most once per
``defaults.WATCH_CLAIMS_REFRESH_S``, so a story is refreshed once for all the articles that joined
it meanwhile (event 'fused' per story: its claims now cover those articles). Until then the story
says its claims are being refreshed (``queries.claims_state``). Results are records the loop reads
with :meth:`Fusing.results` and turns into events: 'analysed' and 'placed' per batch, 'fused' per
story, 'not_placed' or 'pipeline_error'. Articles whose placement fails stay analysed and in no
story (the next placement, or the watch's next start, places them); a story whose refresh fails
stays queued in the store and is tried again ``defaults.WATCH_CLAIMS_REFRESH_S`` later (never in a
tight loop). A placement hands over the stories it queued only, so its cost does not grow with the
stories waiting for a refresh; the first round takes every story queued in the store.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from newsfuse import defaults
from newsfuse.analyze import pipeline as analysis
from newsfuse.context import RunContext
from newsfuse.errors import NewsfuseError, StoreBusyError
from newsfuse.fuse.claims.ahead import Encoded
from newsfuse.models import Analysis, Article
from newsfuse.pipeline import run
from newsfuse.store import Store, queries
from newsfuse.watch import analysing
from newsfuse.watch.fuser import FusionProcess, FusionWork, Placed, place_waiting
from newsfuse.watch.priority import lower_thread
from newsfuse.watch.schedule import StoryQueue, Waiting
from newsfuse.watch.turns import LockWaits

Result = dict[str, Any]
Placement = tuple[list[Placed], dict[str, str]]  # stories queued by a placement, where known ones lead
T = TypeVar("T")
_FAILURES = (NewsfuseError, ValueError, RuntimeError, MemoryError, KeyError)


def analyse_batch(store: Store, article_ids: list[str], pool: Any = None, encode: bool = False,
                  each: Callable[[Result], None] | None = None,
                  more: Callable[[], list[str]] | None = None) -> Result:
    """Analyse ``article_ids`` (those not analysed at this version yet, claimed so a concurrent run
    leaves them alone), on ``pool`` (the kept analysis processes) or in this thread, and with
    ``encode`` encode their claim sentences there too (:mod:`.analysing`), outside any transaction:
    event 'analysed' (with ``failed``, the articles the analysis could not read, and ``sentences``,
    those encoded ahead) or 'pipeline_error' (with the articles not reported yet).

    They are parsed ``defaults.WATCH_ANALYSIS_CHUNK`` at a time and each chunk's analyses are stored
    as soon as it is done; with ``each``, each chunk's 'analysed' event goes to ``each`` then (the
    watch places its articles at once, while the next chunk is parsed), the articles not claimed
    (analysed already) with the first, and the event returned covers the batch.

    Only these: the analyze stage sweeps every stale article of the store until none is left, which
    while articles keep arriving is a batch that never ends, and none of it reaches fusion. But with
    ``more`` (the IDs handed over since, from the caller's inbox) and a pool, the articles that
    arrived while the batch was parsed are claimed and handed to the pool before the batch's last
    chunk is waited for (:func:`.analysing.analyse`), so the analysis process never idles while
    articles wait; each of them is reported with its chunk like the others."""
    started = time.perf_counter()
    waits = _waits(store)  # each chunk's event says how long the stage's writes waited for the lock
    owner = analysis.claim_owner()
    reported: set[str] = set()
    failed: list[str] = []
    sentences = 0
    article_ids = list(article_ids)
    rest: list[str] = []  # not claimed (analysed already): reported with the next chunk
    version = analysis.ANALYSIS_VERSION

    def claim(ids: list[str]) -> list[Article]:
        mine = _patient(lambda: store.claim_analysis(
            ids, owner, analysis.claim_is_stale, len(ids), version=version))
        rest.extend(a for a in ids if a not in set(mine))
        return queries.list_articles(store, mine) if mine else []

    def claim_more() -> list[Article]:
        ids = [a for a in (more() if more is not None else []) if a not in set(article_ids)]
        article_ids.extend(ids)  # from now on part of this batch (an error reports them too)
        return claim(ids) if ids else []

    try:
        try:
            todo = claim(article_ids)
            ahead = analysing.encodes_ahead(encode)
            chunks = analysing.analyse(todo, ahead, pool, more=claim_more if more is not None else None)
            for ids, (got, vectors, timing) in chunks if todo else []:
                done = [r for r in got if isinstance(r, Analysis)]
                encoded = [vectors] if vectors is not None else []
                _store_chunk(store, encoded, done)
                chunk_failed = [r for r in got if not isinstance(r, Analysis)]
                failed += chunk_failed
                sentences += sum(e.sentences for e in encoded)
                if each is not None:
                    each({"event": "analysed", "articles": rest + ids, "failed": chunk_failed,
                          "sentences": sum(e.sentences for e in encoded),
                          "analyze_s": round(time.perf_counter() - started, 3),
                          **_parse_figures(timing), **_waits_since(store, waits)})
                    waits = _waits(store)
                    reported.update(rest + ids)
                    rest.clear()
            if each is not None and rest:
                each({"event": "analysed", "articles": list(rest), "failed": [], "sentences": 0,
                      "analyze_s": round(time.perf_counter() - started, 3)})
                reported.update(rest)
        finally:
            _patient(lambda: store.release_claims(owner))
    except _FAILURES as exc:
        return {"event": "pipeline_error", "error": f"{type(exc).__name__}: {exc}",
                "articles": [a for a in article_ids if a not in reported]}
    return {"event": "analysed", "articles": [a for a in article_ids if a not in reported], "failed": failed,
            "sentences": sentences, "analyze_s": round(time.perf_counter() - started, 3)}


def fuse_analysed(store: Store, article_ids: list[str]) -> Result:
    """Place every analysed article in no story and fuse the stories touched: event 'fused' (with
    the stories and ``done_at``) or 'pipeline_error'."""
    ctx = RunContext(stored=article_ids)
    started = time.perf_counter()
    try:
        _patient(lambda: run(store, ctx, ["fuse"]))  # a story fused before a busy retry is not fused again
    except _FAILURES as exc:
        return {"event": "pipeline_error", "error": f"{type(exc).__name__}: {exc}", "articles": article_ids}
    return {"event": "fused", "articles": article_ids, "stories": list(ctx.stories), "done_at": time.time(),
            "fuse_s": round(time.perf_counter() - started, 3)}


def place_analysed(store: Store, article_ids: list[str], known: list[str]) -> Result:
    """Put the analysed articles that wait (``article_ids`` and any other) into their stories at
    once, in one short transaction, before any claim is refreshed: event 'placed' (with the
    ``articles`` of ``article_ids`` now in a story, their ``stories``, ``placed_at``, and for the
    refresh stage ``placed`` and ``moved``: :func:`~.fuser.place_waiting`) or 'pipeline_error'."""
    started = time.perf_counter()
    waits = _waits(store)
    try:
        placed, moved = _patient(lambda: place_waiting(store, article_ids, known))
    except _FAILURES as exc:
        return {"event": "pipeline_error", "error": f"{type(exc).__name__}: {exc}", "articles": article_ids}
    found = {a for p in placed for a in p.articles}
    return {"event": "placed", "articles": [a for a in article_ids if a in found],
            "stories": [p.story_id for p in placed if p.articles], "placed_at": time.time(),
            "place_s": round(time.perf_counter() - started, 3), "placed": placed, "moved": moved,
            **_waits_since(store, waits)}


def fuse_batch(store: Store, article_ids: list[str], pool: Any = None) -> Result:
    """Both stages in turn on this thread (a ``:memory:`` store, which another connection cannot see):
    event 'fused' with stories and timings, or 'pipeline_error'."""
    analysed = analyse_batch(store, article_ids, pool)
    if analysed["event"] != "analysed":
        return analysed
    fused = fuse_analysed(store, article_ids)
    return {**fused, "analyze_s": analysed["analyze_s"]} if fused["event"] == "fused" else fused


def _waits(store: Store) -> LockWaits | None:
    waits = getattr(store, "waits", None)  # a pipeline connection counts its lock waits
    return waits.copy() if isinstance(waits, LockWaits) else None


def _waits_since(store: Store, before: LockWaits | None) -> dict[str, float]:
    """How long the store's transactions waited for and held the write lock since ``before``."""
    now = getattr(store, "waits", None)
    return now.since(before) if isinstance(now, LockWaits) and before is not None else {}


def _parse_figures(timing: analysing.Timing) -> dict[str, float | None]:
    """A chunk's parse for its event: when it began, its seconds, CPU and wait for a core (None:
    not known here)."""
    delay = timing.run_delay_s
    return {"parse_started_at": timing.started_at, "parse_s": round(timing.wall_s, 4),
            "parse_cpu_s": round(timing.cpu_s, 4),
            "parse_run_delay_s": round(delay, 4) if delay == delay else None}


def _store_chunk(store: Store, encoded: list[Encoded], done: list[Analysis]) -> None:
    _patient(lambda: _put_vectors(store, encoded))  # before the analyses: a fuse finds them
    _patient(lambda: _put_analyses(store, done))


def _put_vectors(store: Store, encoded: list[Encoded]) -> None:
    with store.transaction():
        for e in encoded:
            e.put(store)


def _put_analyses(store: Store, done: list[Analysis]) -> None:
    for a in done:  # each in its own transaction, idempotent: a retry after a busy store rewrites
        store.put_analysis(a)


def _patient(write: Callable[[], T]) -> T:
    """``write()``, tried again (``defaults.WATCH_STORE_BUSY_RETRIES`` times) while the store stays
    busy: the other stage, the loop or another process holds its write lock in a long transaction
    (a big story's fuse); giving up would leave the batch unfused until the watch restarts."""
    for _ in range(defaults.WATCH_STORE_BUSY_RETRIES):
        try:
            return write()
        except StoreBusyError:
            continue
    return write()


class _Stage:
    """A thread that takes the article IDs waiting in its inbox (at most ``cap`` at a time, in the
    order handed over), runs ``work(store, ids, behind)`` on its own store connection (``behind``:
    more articles wait than this batch takes) and hands its result (if any) to ``done``. :meth:`close` lets
    the batch in hand finish and starts no other: what still waits is left in the store (the next
    start catches it up), so stopping the watch is prompt."""

    def __init__(self, name: str, open_store: Callable[[], Store],
                 work: Callable[[Store, list[str], bool], Result | None],
                 done: Callable[[Result], None], cap: int | None = None) -> None:
        self._open_store = open_store
        self._work = work
        self._done = done
        self._cap = cap
        self._inbox: queue.Queue[list[str] | None] = queue.Queue()
        self._closing = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._waiting: list[str] = []  # handed over, not yet in a batch (the stage's thread only)
        self._stop = False  # close() asked: the batch in hand is the last

    def more(self) -> list[str]:
        """For the work in hand, on the stage's thread: the IDs handed over since it began (at most
        the cap), which it takes on as its own; none once the stage is closing."""
        self._drain()
        if self._stop or self._closing.is_set():
            return []
        cap = len(self._waiting) if self._cap is None else self._cap
        got, self._waiting = self._waiting[:cap], self._waiting[cap:]
        return got

    def _drain(self) -> None:
        """Everything handed over meanwhile into the waiting list (a None: stop after this batch)."""
        while True:
            try:
                more = self._inbox.get_nowait()
            except queue.Empty:
                return
            if more is None:
                self._stop = True  # finish the batch in hand only; the rest is fused at next start
                return
            self._waiting += more

    def start(self) -> _Stage:
        self._thread.start()
        return self

    def submit(self, article_ids: list[str]) -> None:
        self._inbox.put(list(article_ids))

    def close(self) -> None:
        self._closing.set()  # no new batch starts: a stop is prompt whatever waits
        self._inbox.put(None)
        self._thread.join()

    def _run(self) -> None:
        store = self._open_store()
        try:
            while not self._stop and not self._closing.is_set():
                if not self._waiting:
                    got = self._inbox.get()  # sleep until there is work
                    if got is None:
                        return
                    self._waiting += got
                self._drain()  # everything handed over meanwhile joins this batch (up to the cap)
                if self._closing.is_set():
                    return
                cap = len(self._waiting) if self._cap is None else self._cap
                batch, self._waiting = self._waiting[:cap], self._waiting[cap:]
                behind = bool(self._waiting) or not self._inbox.empty()  # more waits than this batch
                result = self._work(store, batch, behind)  # the work may report as it goes
                if result is not None:
                    self._done(result)
        finally:
            store.close()


class _FuseStage:
    """The claim-refresh thread: takes the stories the placements queued (with the articles that
    joined each) from its inbox and refreshes them one at a time, the next chosen by a
    :class:`StoryQueue` (each at most once per ``defaults.WATCH_CLAIMS_REFRESH_S``); what is placed
    meanwhile joins the queue between two stories, so each story is fused once for all the articles
    that joined it while it waited. Each story is reported when it is stored. The work runs on
    ``fuser`` (the kept fusion process, at a lower CPU priority) or, without one, on this thread
    (also at a lower priority) with its own connection. :meth:`close` lets the story in hand
    finish; the stories still queued stay queued in the store and are fused by the next start (its
    first round takes every story queued)."""

    def __init__(self, open_store: Callable[[], Store], done: Callable[[Result], None],
                 fuser: FusionProcess | None = None, deferred: bool = defaults.WATCH_DEFERRED_WRITES) -> None:
        self._open_store = open_store
        self._done = done
        self._fuser = fuser
        self._deferred = deferred
        self._inbox: queue.Queue[Placement | None] = queue.Queue()
        self._closing = threading.Event()
        self._waiting: list[str] = []  # the stories queued here, for the placement's merge map
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="newsfuse-fuse", daemon=True)

    def start(self) -> _FuseStage:
        self._thread.start()
        return self

    def submit(self, placement: Placement) -> None:
        self._inbox.put(placement)

    def waiting(self) -> list[str]:
        """The story IDs queued here now (any thread)."""
        with self._lock:
            return list(self._waiting)

    def close(self) -> None:
        self._closing.set()
        self._inbox.put(None)
        self._thread.join()

    def _run(self) -> None:
        if self._fuser is None:
            _lower_priority()  # this thread's refreshes yield the cores to analysis and placement
        own = None if self._fuser is not None else FusionWork(self._open_store(), self._deferred)
        work: FusionWork | FusionProcess = self._fuser or own  # type: ignore[assignment]
        stories = StoryQueue()
        try:
            # the first round places and queues what an earlier run left (analysed, not placed;
            # stories queued and not fused)
            arrived: list[Placement] | None = [self._leftover(work)]
            while arrived is not None and not self._closing.is_set():
                now = time.time()
                for placed, moved in arrived:
                    stories.add(placed, moved, now)
                new_round = bool(arrived)
                taken = stories.take(time.time())
                if taken is not None and not self._closing.is_set():
                    self._fuse(work, stories, *taken, new_round)
                with self._lock:
                    self._waiting = stories.ids()
                arrived = self._arrived(self._wait_for(stories))
        finally:
            if own is not None:
                own.close()

    def _leftover(self, work: FusionWork | FusionProcess) -> Placement:
        try:
            return _patient(lambda: work.place([], [], sweep=True))
        except _FAILURES as exc:
            self._done({"event": "pipeline_error", "error": f"{type(exc).__name__}: {exc}", "articles": []})
            return [], {}

    def _wait_for(self, stories: StoryQueue) -> float | None:
        """Seconds to wait for new placements before the next story is due (None: for ever)."""
        due = stories.next_due()
        return None if due is None else max(0.0, due - time.time())

    def _arrived(self, timeout: float | None) -> list[Placement] | None:
        """Placements handed over since the last look (waiting up to ``timeout`` for one when there
        are none; None: for ever); None: stop."""
        out: list[Placement] = []
        while True:
            try:
                got = self._inbox.get(block=not out and timeout != 0.0, timeout=None if out else timeout)
            except queue.Empty:
                return out
            if got is None:
                return None
            out.append(got)

    def _fuse(self, work: FusionWork | FusionProcess, stories: StoryQueue, story_id: str,
              waiting: Waiting, new_round: bool) -> None:
        started = time.perf_counter()
        try:
            done = _patient(lambda: work.fuse(story_id, waiting.queued, new_round))
        except _FAILURES as exc:  # the story stays queued in the store and here: tried again when due
            stories.put_back(story_id, Waiting(waiting.queued, [], waiting.since, waiting.size), time.time())
            self._done({"event": "pipeline_error", "error": f"{type(exc).__name__}: {exc}",
                        "articles": waiting.articles, "stories": [story_id]})
            return
        seconds = time.perf_counter() - started
        stories.done(story_id, seconds, waiting.size, time.time())
        covered, left = waiting.articles, []
        if not done.current:  # articles joined meanwhile: those it read are current, the rest wait
            read = set(done.read)
            covered = [a for a in waiting.articles if a in read]
            left = [a for a in waiting.articles if a not in read]
            if left:
                stories.add([Placed(story_id, list(waiting.queued), left, waiting.size)], {}, waiting.since)
        self._done({"event": "fused", "articles": covered, "stories": [story_id],
                    "done_at": done.done_at, "fuse_s": round(seconds, 3), "story_articles": waiting.size,
                    "expected_s": round(waiting.seconds, 3), "current": done.current,
                    "queued_s": round(time.time() - waiting.since, 3), "still_waiting": len(left),
                    "lock_wait_s": round(done.lock_wait_s, 4), "lock_held_s": round(done.lock_held_s, 4),
                    "refresh_cpu_s": round(done.cpu_s, 3), "refresh_nth": done.nth,
                    "refresh_rss_mb": done.rss_mb, **({"heap_mb": done.heap} if done.heap else {})})
        if done.restart is not None:  # the refresh process was recycled after this story (fuser.py)
            self._done({"event": "refresh_restarted", "articles": [], **done.restart})


def _lower_priority() -> None:
    """This thread ``defaults.WATCH_REFRESH_NICE`` nice levels below the watch (Linux gives each
    thread its own nice value; elsewhere the whole process)."""
    lower_thread(defaults.WATCH_REFRESH_NICE)


class Fusing:
    """The pipeline: :meth:`submit` stored article IDs, read records with :meth:`results`. Each stage
    makes its own connection with ``open_store`` (SQLite allows one connection per thread at a time;
    WAL lets the others write between a stage's transactions). ``pool``: the kept analysis pool;
    ``fuser``: the kept fusion process (None: fusion runs on the fusing thread).

    Records: 'analysed' per batch, 'placed' per batch (the articles are in their stories and shown:
    ``placed_at``), 'fused' per story refreshed (its claims cover the articles listed: ``done_at``),
    'not_placed' (analysis could not read them) or 'pipeline_error'."""

    def __init__(self, open_store: Callable[[], Store], pool: Any = None,
                 batch: int = defaults.WATCH_BATCH_ARTICLES, fuser: FusionProcess | None = None,
                 encode_ahead: bool = defaults.WATCH_ENCODE_AHEAD,
                 deferred: bool = defaults.WATCH_DEFERRED_WRITES) -> None:
        self._outbox: queue.Queue[Result] = queue.Queue()
        self._pending = 0  # articles handed over and not yet reported
        self._lock = threading.Lock()
        self._fusing = _FuseStage(open_store, self._report, fuser, deferred)

        def analyse_and_place(store: Store, ids: list[str], behind: bool) -> Result | None:
            def place(analysed: Result) -> None:  # a chunk's analyses are stored: place its articles now
                analysed["placement"] = place_analysed(store, analysed["articles"], self._fusing.waiting())
                self._analysed(analysed)

            # behind: no time for encoding ahead; what arrives meanwhile joins the parses in hand
            left = analyse_batch(store, ids, pool, encode_ahead and not behind, each=place,
                                 more=self._analysing.more)
            return None if left["event"] == "analysed" and not left["articles"] else left  # an error

        self._analysing = _Stage("newsfuse-analyse", open_store, analyse_and_place, self._analysed,
                                 cap=max(1, batch))

    def start(self) -> Fusing:
        self._fusing.start()
        self._analysing.start()
        return self

    def submit(self, article_ids: list[str]) -> None:
        with self._lock:
            self._pending += len(article_ids)
        self._analysing.submit(article_ids)

    @property
    def pending(self) -> int:
        with self._lock:
            return self._pending

    def results(self) -> list[Result]:
        out = []
        while True:
            try:
                out.append(self._outbox.get_nowait())
            except queue.Empty:
                return out

    def close(self) -> None:
        """Let the work in hand finish (what still waits is fused at the next start), then stop."""
        self._analysing.close()  # its batch in hand goes on to fusion, which closes after its story
        self._fusing.close()

    def _analysed(self, result: Result) -> None:
        if result["event"] != "analysed":
            self._report(result)
            return
        placement = result.pop("placement")
        self._outbox.put(result)  # an 'analysed' event: operators (and the benchmark) see the stage
        if placement["event"] != "placed":
            self._report(placement)  # they stay analysed and unplaced: the next placement takes them
            return
        placed, moved = placement.pop("placed"), placement.pop("moved")
        self._outbox.put(placement)
        self._fusing.submit((placed, moved))
        lost = [a for a in result["articles"] if a not in set(placement["articles"])]
        if lost:  # not analysed (the analysis could not read them): no story to put them in
            self._report({"event": "not_placed", "articles": lost})

    def _report(self, result: Result) -> None:
        with self._lock:
            self._pending -= len(result["articles"])
        self._outbox.put(result)
