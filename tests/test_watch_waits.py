"""What holds a watched article up between stored and analysed (watch/turns.py, watch/analysing.py,
watch/priority.py): a pipeline connection counts how long its transactions waited for the loop's
turn and for the write lock and how long they held it; an analysed chunk says when its parse began,
its CPU and its wait for a core; threads are lowered relative to the watch's own priority."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from livesite import story_text

from newsfuse.context import RunContext
from newsfuse.errors import StoreBusyError
from newsfuse.pipeline import run
from newsfuse.store import Store
from newsfuse.watch.analysing import Timing, analyse
from newsfuse.watch.fusing import analyse_batch, place_analysed
from newsfuse.watch.priority import lower_thread, policy_of, sched_times
from newsfuse.watch.turns import PipelineStore, WriteTurns


def test_a_transaction_counts_its_wait_for_the_write_lock_and_for_the_loops_turn(tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    Store(db).close()  # migrated
    turns = WriteTurns()
    holding, release = threading.Event(), threading.Event()

    def holder() -> None:  # another connection holds the write lock for about 0.4 s
        with Store(db) as other, other.transaction():
            holding.set()
            release.wait(5)

    with PipelineStore(db, turns) as store:
        t = threading.Thread(target=holder)
        t.start()
        holding.wait(5)
        threading.Timer(0.4, release.set).start()
        with store.transaction():
            time.sleep(0.1)
        t.join(5)
        w = store.waits
        assert w.transactions == 1 and 0.3 < w.lock_s < 3.0 and w.longest_lock_s == w.lock_s
        assert 0.09 < w.held_s < 1.0 and w.turn_s < 0.1
        before = w.copy()
        with store.transaction():  # nobody holds the lock now: no wait
            pass
        got = store.waits.since(before)
        assert got["transactions"] == 1 and got["lock_wait_s"] < 0.2 and got["turn_wait_s"] < 0.2


def test_the_turn_wait_is_counted_apart_from_the_lock_wait(tmp_path: Path) -> None:
    db = str(tmp_path / "t.db")
    Store(db).close()
    turns = WriteTurns()
    with PipelineStore(db, turns) as store:
        loop_wants = turns.loop_writes()
        loop_wants.__enter__()
        threading.Timer(0.3, lambda: loop_wants.__exit__(None, None, None)).start()
        with store.transaction():
            pass
        assert 0.2 < store.waits.turn_s < 3.0 and store.waits.lock_s < 0.2


def test_a_transaction_that_never_got_the_lock_counts_its_wait_and_no_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsfuse import defaults

    monkeypatch.setattr(defaults, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    db = str(tmp_path / "b.db")
    Store(db).close()
    with Store(db) as other, PipelineStore(db, WriteTurns()) as store, other.transaction():
        with pytest.raises(StoreBusyError), store.transaction():
            pass
        assert store.waits.transactions == 1 and store.waits.lock_s >= 0.15 and store.waits.held_s == 0


def test_an_analysed_chunk_says_when_its_parse_began_its_cpu_and_its_lock_waits(tmp_path: Path) -> None:
    for n in (1, 2, 3):
        title, paras = story_text(n)
        (tmp_path / f"r{n}.txt").write_text(title + "\n\n" + "\n\n".join(paras), encoding="utf-8")
    db = str(tmp_path / "a.db")
    with Store(db) as plain:
        ids = list(run(plain, RunContext(paths=[tmp_path]), stages=["ingest"]).stored)
    events: list[dict[str, object]] = []
    with PipelineStore(db, WriteTurns()) as store:
        started = time.time()
        assert analyse_batch(store, ids, each=events.append)["articles"] == []  # all reported by chunk
        assert [a for e in events for a in e["articles"]] == ids  # type: ignore[attr-defined]
        for e in events:
            began, wall, cpu = e["parse_started_at"], e["parse_s"], e["parse_cpu_s"]
            assert started <= began <= time.time() and 0 < cpu <= wall + 0.05  # type: ignore[operator]
            assert e["transactions"] >= 1 and e["lock_wait_s"] >= 0 and e["turn_wait_s"] >= 0  # type: ignore[operator]
            delay = e["parse_run_delay_s"]
            assert delay is None if sys_schedstat() is None else delay >= 0  # type: ignore[operator]
        placed = place_analysed(store, ids, [])
        assert placed["transactions"] >= 1 and placed["lock_wait_s"] >= 0


def sys_schedstat() -> tuple[float, float] | None:
    return sched_times()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice is Linux's")
def test_a_thread_is_lowered_relative_to_the_watchs_own_priority() -> None:
    base = os.getpriority(os.PRIO_PROCESS, 0)
    got: list[str] = []

    def run_lowered() -> None:
        got.append(lower_thread(3))
        got.append(policy_of())

    t = threading.Thread(target=run_lowered)
    t.start()
    t.join()
    assert got == [f"nice {min(19, base + 3)}"] * 2
    assert policy_of() == f"nice {base}"  # only that thread


@pytest.mark.skipif(sched_times() is None, reason="no schedstat here")
def test_schedstat_counts_this_threads_time_on_a_core_and_waiting_for_one() -> None:
    before, cpu = sched_times(), time.thread_time()
    while time.thread_time() - cpu < 0.05:  # 50 ms of this thread's CPU, however long that takes
        pass
    after = sched_times()
    assert before is not None and after is not None
    assert 0.04 <= after[0] - before[0] < 5 and after[1] >= before[1]


class _Pool:
    """Stands for the kept analysis pool: records when each chunk is handed over and waited for."""

    def __init__(self) -> None:
        self.order: list[tuple[str, list[str]]] = []

    def apply_async(self, fn: object, args: tuple[list[SimpleNamespace], bool]) -> SimpleNamespace:
        ids = [a.id for a in args[0]]
        self.order.append(("handed", ids))

        def get() -> object:
            self.order.append(("waited", ids))
            return [], None, Timing(time.time(), 0.0, 0.0, 0.0)

        return SimpleNamespace(get=get)


def test_articles_arriving_meanwhile_are_handed_to_the_pool_before_the_last_chunk_is_waited_for() -> None:
    """The analysis process goes on to the next chunk while the stage stores and places the last:
    no idle bubble between batches with articles waiting."""
    arts = [SimpleNamespace(id=f"a{k}") for k in range(6)]
    arrivals = [arts[3:5], [arts[5]]]
    pool = _Pool()
    more = lambda: arrivals.pop(0) if arrivals else []  # noqa: E731
    got = [ids for ids, _ in analyse(arts[:3], False, pool, chunk=2, more=more)]
    assert got == [["a0", "a1"], ["a2"], ["a3", "a4"], ["a5"]]
    assert pool.order == [("handed", ["a0", "a1"]), ("handed", ["a2"]), ("waited", ["a0", "a1"]),
                          ("handed", ["a3", "a4"]), ("waited", ["a2"]), ("handed", ["a5"]),
                          ("waited", ["a3", "a4"]), ("waited", ["a5"])]
