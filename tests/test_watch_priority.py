"""The claim refreshes' CPU priority (watch/priority.py): their computation gets only idle CPU."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from newsfuse import defaults
from newsfuse.watch.priority import idle_thread, nice_thread, policy_of


def _on_a_thread(fn: object) -> tuple[str, str]:
    """(what ``fn`` returned, the thread's policy after it) on a thread of its own, which ends after."""
    got: list[str] = []

    def run() -> None:
        got.append(fn())  # type: ignore[operator]
        got.append(policy_of())

    t = threading.Thread(target=run)
    t.start()
    t.join()
    return got[0], got[1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SCHED_IDLE is Linux's")
def test_a_refresh_thread_runs_under_sched_idle_and_the_others_are_left_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(defaults, "WATCH_REFRESH_IDLE", True)
    before = policy_of()
    did, now = _on_a_thread(idle_thread)
    assert did == now == "SCHED_IDLE"
    assert os.sched_getscheduler(0) != os.SCHED_IDLE and policy_of() == before  # only that thread


def test_without_sched_idle_the_refresh_thread_runs_at_nice_19(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "WATCH_REFRESH_IDLE", True)
    monkeypatch.delattr(os, "SCHED_IDLE", raising=False)
    did, now = _on_a_thread(idle_thread)
    assert did == now == "nice 19"


def test_asked_not_to_idle_the_refresh_thread_runs_at_the_refresh_nice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(defaults, "WATCH_REFRESH_IDLE", False)
    base = os.getpriority(os.PRIO_PROCESS, 0)  # relative: the watch may run under `nice`
    did, now = _on_a_thread(idle_thread)
    assert did == now == f"nice {min(19, base + defaults.WATCH_REFRESH_NICE)}"


def test_a_thread_already_nicer_is_not_raised_back() -> None:
    did, now = _on_a_thread(lambda: (nice_thread(15), nice_thread(5))[1])
    assert did == now == "nice 15"
