"""The watch's analysis work: parse a batch of stored articles and encode their claim sentences ahead.

Runs on the kept analysis process (:func:`start_worker` is its initializer: spaCy and, when claims
are matched by meaning, the sentence encoder load once) or, without one, on the analysing thread.
Either way nothing here holds the store: the caller stores the analyses and the vectors
(:mod:`newsfuse.fuse.claims.ahead`) after, each in a short transaction, so a story's fuse later reads
its articles' vectors instead of running the encoder inside its fuse (:mod:`.deferred`).
"""

from __future__ import annotations

import functools
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from newsfuse import defaults
from newsfuse.analyze import pipeline as analysis
from newsfuse.models import Analysis, Article
from newsfuse.watch.bounds import give_back
from newsfuse.watch.priority import sched_times


@dataclass(frozen=True)
class Timing:
    """Where a chunk's parse went: began at ``started_at`` (``time.time()``), took ``wall_s``, of
    which ``cpu_s`` on a core and ``run_delay_s`` runnable but waiting for a core (CPU contention;
    NaN where Linux' schedstat is missing); the rest waited on something else."""

    started_at: float
    wall_s: float
    cpu_s: float
    run_delay_s: float


# (an analysis or why it failed, per article; Encoded or None; the chunk's Timing)
Result = tuple[list[Analysis | str], Any, Timing]


def start_worker(encode: bool, threads: int = defaults.WATCH_ENCODER_THREADS) -> None:
    """Initializer of the watch's analysis process: spaCy loaded, and the encoder when ``encode`` (or
    when it encodes event sentences anyway: :func:`_in_context`)."""
    from newsfuse.analyze import nlp

    nlp.load()
    if encode or _in_context():
        from newsfuse.watch.warm import ready_encoder

        ready_encoder(threads)


def encodes_ahead(wanted: bool) -> bool:
    """Whether the analysis stage encodes claim sentences ahead: asked for, and fusion uses them."""
    return wanted and defaults.CLAIM_MATCH_BY_MEANING


def analyse_chunk(articles: Sequence[Article], encode: bool) -> Result:
    """Analyse ``articles`` in this process, then (when ``encode``; else only the event sentences, with
    the trigger-context coreference: :func:`_in_context`) encode the claim sentences of those analysed,
    all in one encoder batch; what the encoder freed is given back to the system."""
    started_at, wall, before = time.time(), time.perf_counter(), sched_times()
    cpu = time.thread_time()
    results: list[Analysis | str] = list(analysis.iter_analyses(list(articles), ordered=False))
    encoded = None
    parts = defaults.WATCH_AHEAD_PARTS if encode else _in_context()
    if parts:
        from newsfuse.fuse.claims import ahead

        by_id = {a.id: a for a in articles}
        done = [(by_id[r.article_id], r) for r in results if isinstance(r, Analysis)]
        try:
            encoded = ahead.encode_articles(done, parts)
        finally:
            give_back()  # the encoder's batch-shaped tensors (see bounds.py)
    after = sched_times()
    delay = after[1] - before[1] if before is not None and after is not None else float("nan")
    return results, encoded, Timing(started_at, time.perf_counter() - wall, time.thread_time() - cpu, delay)


def _in_context() -> tuple[str, ...]:
    """The parts encoded here whatever ``encode`` says: with the trigger-context event coreference
    (``defaults.COREF_CONTEXT``) the event sentences, whose one pass gives their triggers' vectors too
    (fuse/claims/context.py): every refresh of a story of two events reads them, and two passes there
    (the sentence encoder, then the cut model) cost ~1.5x this one."""
    from newsfuse.fuse.claims import eventpairs

    return ("events",) if eventpairs.context_models() is not None else ()


def analyse(articles: Sequence[Article], encode: bool, pool: Any = None, chunk: int | None = None,
            more: Callable[[], Sequence[Article]] | None = None) -> Iterator[tuple[list[str], Result]]:
    """:func:`analyse_chunk` on ``chunk`` (``defaults.WATCH_ANALYSIS_CHUNK``) articles at a time,
    each chunk's result as soon as it is done (in order), so the first articles of a bunched
    arrival are stored and placed while the rest are parsed: on the kept analysis ``pool`` (every
    chunk handed over at once, so the workers never wait for the caller) or, without one, here.
    Yields (the chunk's article IDs, its result).

    ``more`` (with a pool): asked before waiting for the last chunk in hand for articles that
    arrived meanwhile, which are handed to the pool at once: the analysis process goes from one
    chunk to the next while the caller stores and places the last (without it, the process sat
    idle for that and for the next batch's claim, with articles waiting)."""
    size = max(1, chunk or defaults.WATCH_ANALYSIS_CHUNK)
    pending: deque[tuple[list[str], Callable[[], Result]]] = deque()

    def hand_over(given: Sequence[Article]) -> None:
        for k in range(0, len(given), size):
            part = list(given[k:k + size])
            if pool is None:
                pending.append(([a.id for a in part], functools.partial(analyse_chunk, part, encode)))
            else:
                pending.append(([a.id for a in part], pool.apply_async(analyse_chunk, (part, encode)).get))

    hand_over(articles)
    while pending:
        if more is not None and pool is not None and len(pending) <= 1:
            hand_over(more())
        ids, result = pending.popleft()
        yield ids, result()
