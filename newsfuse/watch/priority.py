"""CPU priority of the watch's claim refreshes: they get only the CPU that analysis and placement leave.

A nice value only weighs the refreshes lighter: at nice 10 the refresh process still took about a
tenth of a core's share whenever it had work, which at 2 articles/s on two cores was the share the
analysis of a bunched arrival needed (``bench/watch.py``: stored -> analysed p95 26 s). Linux's
``SCHED_IDLE`` policy runs a thread only when no ordinary thread wants the core, so the refreshes
take idle time only, and still drain once arrivals stop.

Only the refresh's computation runs there (:func:`idle_thread`), never a transaction: a thread that
holds the store's write lock and waits for a core would hold the watch's writes with it (priority
inversion), so the refresh process commits on its own thread at the watch's own priority
(:mod:`.fuser`), and computes at ``defaults.WATCH_REFRESH_NICE`` levels below it when not idle-only.
The watch's fetch threads (polls, page fetches) run ``defaults.WATCH_FETCH_NICE`` levels below the
watch, so the analysis process, at the watch's priority, goes first when the cores are short. Where
there is no ``SCHED_IDLE`` (not Linux) an idle-only computation runs at nice 19 instead, and a log
line says so.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from newsfuse import defaults

log = logging.getLogger("newsfuse.watch")

IDLE = "SCHED_IDLE"
LOWEST_NICE = 19


def idle_thread() -> str:
    """Put the calling thread under ``SCHED_IDLE`` (``defaults.WATCH_REFRESH_IDLE``); where that is not
    available, at nice 19 (logged), and when not asked for, ``defaults.WATCH_REFRESH_NICE`` levels
    below its priority now (:func:`lower_thread`). Returns what it did: ``"SCHED_IDLE"`` or ``"nice N"``."""
    if defaults.WATCH_REFRESH_IDLE:
        set_policy = getattr(os, "sched_setscheduler", None)
        policy = getattr(os, "SCHED_IDLE", None)
        if set_policy is not None and policy is not None:
            try:
                set_policy(0, policy, os.sched_param(0))  # 0: the calling thread (Linux)
                return IDLE
            except OSError as exc:
                log.info("claim refreshes: SCHED_IDLE refused (%s); running them at nice %d", exc,
                         LOWEST_NICE)
        else:
            log.info("claim refreshes: no SCHED_IDLE on this system; running them at nice %d", LOWEST_NICE)
        return nice_thread(LOWEST_NICE)
    return lower_thread(defaults.WATCH_REFRESH_NICE)


def lower_thread(steps: int) -> str:
    """The calling thread ``steps`` nice levels below its priority now (a new thread starts at its
    process's), at most nice 19: relative, so a watch started under ``nice -n 10`` keeps its
    refreshes and polls below its analysis all the same. Returns ``"nice N"``."""
    try:
        now = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    except (AttributeError, OSError):
        now = 0
    return nice_thread(min(LOWEST_NICE, now + max(0, steps)))


def nice_thread(nice: int) -> str:
    """The calling thread at nice ``nice`` or higher (Linux gives each thread its own nice value;
    elsewhere the whole process). Returns ``"nice N"`` with the value it has now."""
    tid = threading.get_native_id()
    try:
        now = os.getpriority(os.PRIO_PROCESS, tid)
        if now < nice:
            os.setpriority(os.PRIO_PROCESS, tid, nice)
        return f"nice {max(now, nice)}"
    except (AttributeError, OSError):  # no per-thread priority here: the whole process, once
        try:
            return f"nice {os.nice(max(0, nice - os.nice(0)))}"
        except (AttributeError, OSError):
            return "nice 0"


def policy_of(tid: int = 0) -> str:
    """What runs thread ``tid`` (0: the calling one) now: ``"SCHED_IDLE"`` or ``"nice N"``."""
    get_policy = getattr(os, "sched_getscheduler", None)
    idle = getattr(os, "SCHED_IDLE", None)
    if get_policy is not None and idle is not None and get_policy(tid) == idle:
        return IDLE
    try:
        return f"nice {os.getpriority(os.PRIO_PROCESS, tid or threading.get_native_id())}"
    except (AttributeError, OSError):
        return "nice 0"


def sched_times(task: str = "thread-self") -> tuple[float, float] | None:
    """(seconds on a core, seconds runnable but waiting for one) of the calling thread (or of
    ``/proc/TASK``: a process ID reads its main thread) since it started, from Linux' schedstat;
    None where there is none. The second is what CPU contention costs it."""
    try:
        on_cpu, waiting = Path(f"/proc/{task}/schedstat").read_text().split()[:2]
        return int(on_cpu) / 1e9, int(waiting) / 1e9
    except (OSError, ValueError):
        return None
