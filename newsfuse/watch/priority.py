"""CPU priority of the watch's claim refreshes: they get only the CPU that analysis and placement leave.

A nice value only weighs the refreshes lighter: at nice 10 the refresh process still took about a
tenth of a core's share whenever it had work, which at 2 articles/s on two cores was the share the
analysis of a bunched arrival needed (``bench/watch.py``: stored -> analysed p95 26 s). Linux's
``SCHED_IDLE`` policy runs a thread only when no ordinary thread wants the core, so the refreshes
take idle time only, and still drain once arrivals stop.

Only the refresh's computation runs there (:func:`idle_thread`), never a transaction: a thread that
holds the store's write lock and waits for an idle core would hold the watch's writes with it
(priority inversion), so the refresh process commits on its own thread at nice
``defaults.WATCH_REFRESH_NICE`` (:mod:`.fuser`). Where there is no ``SCHED_IDLE`` (not Linux) the
computation runs at nice 19 instead, and a log line says so.
"""

from __future__ import annotations

import logging
import os
import threading

from newsfuse import defaults

log = logging.getLogger("newsfuse.watch")

IDLE = "SCHED_IDLE"
LOWEST_NICE = 19


def idle_thread() -> str:
    """Put the calling thread under ``SCHED_IDLE`` (``defaults.WATCH_REFRESH_IDLE``); where that is not
    available, at nice 19 (logged), and when not asked for, at ``defaults.WATCH_REFRESH_NICE``. Returns
    what it did: ``"SCHED_IDLE"`` or ``"nice N"``."""
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
    return nice_thread(defaults.WATCH_REFRESH_NICE)


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
