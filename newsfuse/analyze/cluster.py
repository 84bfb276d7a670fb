"""Analysis on a dask.distributed cluster: a scheduler someone started, or one on this machine.

``connect(address, workers)`` gives a :class:`distributed.Client`: to the scheduler at ``address``
(``tcp://host:8786``, workers started with ``dask worker``, on as many machines as you like), or,
without an address, to a ``LocalCluster`` of ``workers`` one-thread processes here. Every worker
loads the spaCy model once, when it joins (:class:`ModelPlugin`); a worker that joins later gets
the plugin too.

:func:`run_bounded` sends jobs (batches of articles) as tasks and keeps at most
``defaults.ANALYZE_BATCHES_IN_FLIGHT_PER_WORKER`` per worker thread on the cluster: the next job is
taken from the caller's iterator only when a result has come back. The coordinator therefore holds
a bounded number of articles and results whatever the size of the job (back-pressure), and a
caller that reads its input from the store in pages reads each page only when the cluster can take
it.

A worker that dies loses nothing: the scheduler keeps each task's input and re-runs the tasks the
dead worker held (or had finished but not yet handed over) on the other workers. A batch that took
down ``distributed.scheduler.allowed-failures`` workers in a row comes back as the
:class:`distributed.KilledWorker` it raised, so the caller can report its articles and go on.

This module knows nothing of analyses: the caller passes the function that runs on the workers,
which keeps the analyze pipeline (which calls this) and this module free of an import circle.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any, TypeVar

import distributed

from newsfuse import defaults
from newsfuse.errors import ConfigError

J = TypeVar("J")
R = TypeVar("R")

ENV_ADDRESS = "NEWSFUSE_DASK"


class ModelPlugin(distributed.WorkerPlugin):  # type: ignore[misc]
    """Loads the spaCy model in each worker process as it joins (``nlp.load`` is cached per process,
    so every task on that worker reuses it) and caps the native thread pools at one thread."""

    name = "newsfuse-model"

    async def setup(self, worker: Any) -> None:
        from newsfuse.analyze import nlp, threads

        # In a thread: the load takes seconds, and the worker's event loop must keep answering the
        # scheduler's heartbeats meanwhile (or be taken for dead).
        await asyncio.get_running_loop().run_in_executor(None, nlp.load)
        threads.one_thread()  # one task at a time per worker: native pools would only compete


@contextmanager
def connect(address: str | None, workers: int, check: Callable[[], str] | None = None) -> Iterator[Any]:
    """A client to the scheduler at ``address``, or to a LocalCluster of ``workers`` processes.

    ``check``, when given, runs on every worker and must return what it returns here (the analysis
    version): a worker with another newsfuse installed would store analyses this one calls stale.
    The client, and a LocalCluster it started, are closed on leaving.
    """
    dd: Any = distributed
    cluster = None
    try:
        if address:
            client = _remote_client(dd, address)
        else:
            cluster = dd.LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            client = dd.Client(cluster)
    except ConfigError:
        raise
    except Exception as exc:
        if cluster is not None:
            cluster.close()
        raise ConfigError(f"cannot start a dask cluster on this machine ({exc}); run with --workers 1 "
                          "or --executor pool") from exc
    try:
        client.register_plugin(ModelPlugin(), name=ModelPlugin.name)
        _wait_for_workers(client, address)
        if check is not None:
            _check_workers(client, check)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _remote_client(dd: Any, address: str) -> Any:
    if "://" not in address:
        address = f"tcp://{address}"
    try:
        return dd.Client(address, timeout=f"{defaults.DASK_CONNECT_TIMEOUT_S}s")
    except (OSError, TimeoutError) as exc:
        raise ConfigError(
            f"cannot reach the dask scheduler at {address} within {defaults.DASK_CONNECT_TIMEOUT_S} s "
            f"({exc}); start one with 'dask scheduler' on that host, or fix --dask / ${ENV_ADDRESS}"
        ) from exc


def _wait_for_workers(client: Any, address: str | None) -> None:
    try:
        client.wait_for_workers(1, timeout=defaults.DASK_WORKER_WAIT_S)
    except TimeoutError as exc:
        where = address or "the local cluster"
        raise ConfigError(
            f"no dask worker joined {where} within {defaults.DASK_WORKER_WAIT_S} s; start one on each "
            f"machine with 'dask worker {address or 'SCHEDULER'} --nthreads 1'"
        ) from exc


def _check_workers(client: Any, check: Callable[[], str]) -> None:
    """Fail when a worker answers ``check`` differently from this process."""
    mine = check()
    theirs = client.run(check)
    other = {w: v for w, v in theirs.items() if v != mine}
    if other:
        worker, value = sorted(other.items())[0]
        raise ConfigError(
            f"dask worker {worker} runs analysis version {value}, this machine {mine}: install the "
            "same newsfuse on every worker machine and restart its 'dask worker'"
        )


def worker_threads(client: Any) -> int:
    """Threads of all workers now connected (at least 1): how many tasks can run at once."""
    return max(1, sum(client.nthreads().values()))


def run_bounded(
    client: Any, fn: Callable[[J], R], jobs: Iterable[J], ordered: bool = True
) -> Iterator[tuple[J, R | BaseException]]:
    """``(job, fn(job))`` for each job, run on the cluster with a bounded number in flight.

    ``ordered``: in the jobs' order (a slow job holds back the results after it, and the submission
    of new ones); otherwise as they complete, which keeps every worker busy. A job whose task was
    given up on (it killed workers) comes back with its :class:`distributed.KilledWorker`; any
    other error in ``fn`` is raised here.
    """
    dd: Any = distributed
    source = iter(jobs)
    in_flight: dict[Any, J] = {}  # future -> its job

    def limit() -> int:
        return worker_threads(client) * defaults.ANALYZE_BATCHES_IN_FLIGHT_PER_WORKER

    def submit(n: int) -> list[Any]:
        futures = []
        for job in islice(source, n):
            future = client.submit(fn, job, pure=False)  # pure=False: a repeated batch runs again
            in_flight[future] = job
            futures.append(future)
        return futures

    if ordered:
        queue: deque[Any] = deque(submit(limit()))
        while queue:
            future = queue.popleft()
            yield in_flight.pop(future), _outcome(dd, future)
            queue.extend(submit(max(0, limit() - len(in_flight))))
        return
    done = dd.as_completed(submit(limit()))
    for future in done:
        yield in_flight.pop(future), _outcome(dd, future)
        for fresh in submit(max(0, limit() - len(in_flight))):
            done.add(fresh)


def _outcome(dd: Any, future: Any) -> Any:
    try:
        return future.result()
    except dd.KilledWorker as exc:
        return exc
    finally:
        future.release()  # the result is ours now: the cluster need not keep it
