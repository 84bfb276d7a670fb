"""Analysis on a real dask cluster: a `dask scheduler` and two `dask worker` processes on 127.0.0.1,
a real PostgreSQL store, the bundled sample corpus (15 short articles).

The cluster run must give what a one-process SQLite run gives (the same stories and claims, every
analysis once), also when a worker is killed while it holds batches.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from daskprocs import DaskProcesses  # tests/ is on sys.path (rootdir conftest)

from newsfuse import defaults
from newsfuse.analyze import cluster, pipeline
from newsfuse.cli import main
from newsfuse.errors import ConfigError
from newsfuse.models import Analysis, Article
from newsfuse.pipeline import RunContext, run
from newsfuse.store import Store, queries

ROOT = Path(__file__).resolve().parent.parent
ANALYSIS_TABLES = ("analyses", "mentions", "quotes", "events", "times", "amounts")


@pytest.fixture
def dask_cluster(tmp_path: Path) -> Iterator[DaskProcesses]:

    procs = DaskProcesses(tmp_path, workers=2)  # tests/daskprocs.py
    try:
        procs.wait_for_workers(2)
        yield procs
    finally:
        procs.stop()


def _picture(store: Store) -> dict[str, Any]:
    """What a user reads off the store (stories, their articles, claims with status) and how many
    rows each analysis table holds (a batch stored twice would not change the first, but this)."""
    stories = {
        s.id: (sorted(s.article_ids),
               sorted((c.id, c.status, c.independent_sources) for c in queries.story_claims(store, s.id)))
        for s in queries.list_stories(store)
    }
    rows = {t: int(store.fetchall(f"SELECT COUNT(*) AS n FROM {t}")[0]["n"]) for t in ANALYSIS_TABLES}
    return {"stories": stories, "rows": rows}


def _failures(ctx: RunContext) -> list[str]:
    """Notes about articles (a failed analysis); the folder's README skipped is no failure."""
    return [n for n in ctx.notes if n.startswith("article ")]


@pytest.fixture(scope="module")
def one_process(tmp_path_factory: pytest.TempPathFactory, sample_path: Path) -> dict[str, Any]:
    """The sample ingested in one process into SQLite: what the cluster runs must reproduce."""
    with Store(str(tmp_path_factory.mktemp("lite") / "lite.db")) as store:
        ctx = run(store, RunContext(paths=[sample_path]))
        assert ctx.analyzed == len(ctx.stored) == 15 and not _failures(ctx)
        return _picture(store)


@pytest.fixture(scope="module")
def sample_path() -> Path:
    return ROOT / "newsfuse" / "data" / "sample"


@pytest.mark.slow
@pytest.mark.postgres
def test_cluster_run_into_postgresql_matches_one_process_sqlite(
    dask_cluster: DaskProcesses, pg_server: Any, sample_path: Path, one_process: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(defaults, "DASK_BATCH_ARTICLES", 2)  # 8 batches for 2 workers: back-pressure
    ctx = RunContext(paths=[sample_path], dask=dask_cluster.address)
    with Store(pg_server.new_database()) as store:
        run(store, ctx)
        assert ctx.analyzed == 15 and not _failures(ctx)
        assert _picture(store) == one_process


@pytest.mark.slow
@pytest.mark.postgres
def test_a_worker_killed_mid_run_loses_and_doubles_nothing(
    dask_cluster: DaskProcesses, pg_server: Any, sample_path: Path, one_process: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import distributed

    monkeypatch.setattr(defaults, "DASK_BATCH_ARTICLES", 1)
    killed: list[int] = []
    store_one = Store.put_analysis

    def kill_a_busy_worker_then_store(self: Store, analysis: Analysis) -> None:
        if not killed:  # the first result is back: both workers hold batches now
            with distributed.Client(dask_cluster.address) as spy:
                busy = [w for w, keys in spy.processing().items() if keys]
                pids = spy.run(os.getpid, workers=busy[:1])
            pid = next(iter(pids.values()))
            assert pid in dask_cluster.worker_pids()  # only ever a process this test started
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)
        store_one(self, analysis)

    monkeypatch.setattr(Store, "put_analysis", kill_a_busy_worker_then_store)
    ctx = RunContext(paths=[sample_path], dask=dask_cluster.address)
    with Store(pg_server.new_database()) as store:
        run(store, ctx)
        assert killed and len(dask_cluster.worker_pids()) == 1
        assert ctx.analyzed == 15 and not _failures(ctx)
        assert _picture(store) == one_process


def test_a_cluster_run_refuses_a_sqlite_store(tmp_path: Path, sample_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "news.db"
    code = main(["ingest", str(sample_path), "--db", str(db), "--dask", "tcp://127.0.0.1:1"])
    assert code == 2 and not db.exists()  # refused before anything was read or written
    err = capsys.readouterr().err
    assert "PostgreSQL" in err and "--db postgresql://" in err
    with Store(str(db)) as store, pytest.raises(ConfigError, match="PostgreSQL"):
        pipeline.analyze_stage(store, RunContext(dask="tcp://127.0.0.1:1"))


def test_storing_without_analysis_needs_no_cluster(tmp_path: Path, sample_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFUSE_DASK", "tcp://127.0.0.1:1")  # set for the shell, unused here
    db = tmp_path / "news.db"
    assert main(["ingest", str(sample_path), "--db", str(db), "--no-analyze", "-q"]) == 0
    with Store(str(db)) as store:
        assert queries.count_articles(store) == 15


def test_dask_address_and_pool_executor_conflict(tmp_path: Path, sample_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFUSE_DASK", "tcp://127.0.0.1:1")  # read by the parser as --dask's default
    code = main(["ingest", str(sample_path), "--db", "postgresql://x@127.0.0.1:1/x", "--executor", "pool"])
    assert code == 2


def test_an_unreachable_scheduler_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from pg import free_port

    monkeypatch.setattr(defaults, "DASK_CONNECT_TIMEOUT_S", 2)
    started = time.monotonic()
    with pytest.raises(ConfigError, match="cannot reach the dask scheduler"), \
            cluster.connect(f"127.0.0.1:{free_port()}", workers=1):
        pass
    assert time.monotonic() - started < 30


def test_workers_of_another_analysis_version_are_refused() -> None:
    class Client:
        def run(self, fn: Any) -> dict[str, str]:
            return {"tcp://10.0.0.2:4000": "15", "tcp://10.0.0.3:4000": fn()}

    with pytest.raises(ConfigError, match=r"10\.0\.0\.2.*version 15.*same newsfuse"):
        cluster._check_workers(Client(), pipeline.analysis_version)


class _Done:
    """A finished future, as far as run_bounded looks at one."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value

    def release(self) -> None:
        return None


def test_run_bounded_keeps_the_number_of_jobs_in_flight_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "ANALYZE_BATCHES_IN_FLIGHT_PER_WORKER", 2)
    taken: list[int] = []

    class Client:
        def nthreads(self) -> dict[str, int]:
            return {"tcp://a:1": 1, "tcp://b:1": 1}

        def submit(self, fn: Any, job: int, pure: bool) -> _Done:
            return _Done(fn(job))

    def jobs() -> Iterator[int]:
        for n in range(10):
            taken.append(n)
            yield n

    results = cluster.run_bounded(Client(), lambda n: n * n, jobs(), ordered=True)
    assert next(results) == (0, 0) and len(taken) == 4  # 2 workers x 2 batches, nothing more
    assert list(results) == [(n, n * n) for n in range(1, 10)]


def test_a_batch_given_up_on_is_noted_per_article(monkeypatch: pytest.MonkeyPatch) -> None:
    import distributed

    articles = [Article(id=f"a_{n}", text=f"Text {n}.") for n in range(3)]

    @contextlib.contextmanager
    def no_cluster(address: str | None, workers: int, check: Any = None) -> Iterator[None]:
        yield None

    def outcomes(client: Any, fn: Any, jobs: Any, ordered: bool) -> Iterator[tuple[Any, Any]]:
        for n, job in enumerate(jobs):
            yield job, distributed.KilledWorker("task", None, 3) if n == 0 else fn(job)

    monkeypatch.setattr(defaults, "DASK_BATCH_ARTICLES", 2)
    monkeypatch.setattr(cluster, "connect", no_cluster)
    monkeypatch.setattr(cluster, "run_bounded", outcomes)
    monkeypatch.setattr(pipeline, "_analyze_chunk", lambda job: [f"analysed {a.id}" for a in job[0]])
    got = list(pipeline.iter_analyses(articles, executor="dask", address="tcp://sched:8786"))
    assert [g.split(":")[0] for g in got[:2]] == ["article a_0", "article a_1"]
    assert "died 4 times" in got[0] and "next run" in got[0]
    assert got[2] == "analysed a_2"


def test_the_stage_streams_every_claim_window_through_one_cluster_connection(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(7):
        store.add_article(Article(id=f"a_{n:02d}", text=f"Report number {n}."))
    monkeypatch.setattr(defaults, "ANALYZE_CLAIM_ARTICLES", 3)  # windows of 3, 3 and 1 articles
    monkeypatch.setattr(defaults, "ANALYZE_PARALLEL_MIN_ARTICLES", 1)
    monkeypatch.setattr(defaults, "DASK_BATCH_ARTICLES", 1)
    ctx = RunContext(workers=2, executor="dask")
    connects: list[str | None] = []
    windows: list[tuple[int, int]] = []  # (articles claimed, analyses stored when it was claimed)

    @contextlib.contextmanager
    def one_client(address: str | None, workers: int, check: Any = None) -> Iterator[None]:
        connects.append(address)
        yield None

    def one_at_a_time(client: Any, fn: Any, jobs: Any, ordered: bool) -> Iterator[tuple[Any, Any]]:
        for job in jobs:  # the next job is taken only when this one's result is handed back
            yield job, fn(job)

    real_claim = Store.claim_analysis

    def claim(self: Store, ids: Any, owner: str, stale: Any, limit: int, version: str | None = None) -> Any:
        mine = real_claim(self, ids, owner, stale, limit, version=version)
        windows.append((len(mine), ctx.analyzed))
        return mine

    monkeypatch.setattr(cluster, "connect", one_client)
    monkeypatch.setattr(cluster, "run_bounded", one_at_a_time)
    monkeypatch.setattr(Store, "claim_analysis", claim)
    monkeypatch.setattr(pipeline, "_analyze_chunk", lambda job: [
        Analysis(article_id=a.id, version=pipeline.ANALYSIS_VERSION) for a in job[0]])
    pipeline.analyze_stage(store, ctx)
    assert connects == [None]  # one cluster for the whole run
    assert windows == [(3, 0), (3, 3), (1, 6)]  # each window claimed once the one before was taken
    assert ctx.analyzed == 7 and queries.count_stale_analyses(store, pipeline.ANALYSIS_VERSION) == 0
    assert store.fetchall("SELECT COUNT(*) AS n FROM analysis_claims")[0]["n"] == 0
