"""What the watch has done, for the live status line, ``newsfuse sources`` and structured logs.

Every event of the loop passes through :meth:`Status.event`: it counts it and hands it to the
listeners (the JSON log writer, alerts, a benchmark's clock).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

from newsfuse import defaults

Listener = Callable[[dict[str, Any]], None]

# Event names and the counter each one raises.
_COUNTERS = {
    "poll": "polls",
    "not_modified": "not_modified",
    "listed": "listed",
    "stored": "stored",
    "duplicate": "duplicates",
    "rejected": "rejected",
    "retry": "retries",
    "failed": "failed",
    "source_error": "source_errors",
    "pipeline_error": "pipeline_errors",
    "refresh_restarted": "refresh_restarts",  # the refresh process recycled past its RSS bound
}


# Events an operator is told about as they happen, with the word that starts their line.
_PROBLEMS = {"source_error": "source failed", "failed": "gave up", "pipeline_error": "analysis failed"}


@dataclass
class Status:
    """Counters since the watch started, and the listeners events go to."""

    started: float = field(default_factory=time.time)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_COUNTERS.values(), 0))
    sources: int = 0
    failing: int = 0  # sources failing WATCH_FAILING_AFTER times in a row
    queue: int = 0  # URLs waiting to be fetched
    inflight: int = 0
    fusing: int = 0  # articles stored and waiting for (or in) analysis and fusion
    listeners: list[Listener] = field(default_factory=list)

    def event(self, name: str, **fields: Any) -> None:
        if name in _COUNTERS:
            key = _COUNTERS[name]
            self.counts[key] += int(fields.get("n", 1))
        record = {"ts": datetime.now(UTC).isoformat(timespec="milliseconds"), "event": name, **fields}
        for listener in self.listeners:
            try:
                listener(record)
            except Exception as exc:  # a broken log file or alert target must not stop the watch
                print(f"newsfuse: watch listener failed on {name} ({type(exc).__name__}: {exc})",
                      file=sys.stderr)

    @property
    def errors(self) -> int:
        c = self.counts
        return c["source_errors"] + c["failed"] + c["pipeline_errors"]

    def line(self) -> str:
        c = self.counts
        failing = f" · {self.failing} failing" if self.failing else ""
        return (f"watch: {_n(self.sources, 'source')}, {_n(c['polls'], 'poll')} · "
                f"{_n(c['stored'], 'new article')} · {_n(self.errors, 'error')} · "
                f"queue {self.queue} (+{self.inflight} fetching)"
                + (f" · {self.fusing} analysing" if self.fusing else "") + failing
                + (f" · refresh restarted {c['refresh_restarts']}x" if c["refresh_restarts"] else ""))

    def summary(self) -> dict[str, Any]:
        return {"sources": self.sources, "seconds": round(time.time() - self.started, 1), **self.counts,
                "errors": self.errors, "queue": self.queue, "analysing": self.fusing,
                "failing_sources": self.failing}


def _n(n: int, noun: str) -> str:
    """'1 poll', '3 polls': the status line is read by people."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


class JsonLog:
    """Writes each event as one JSON line (``--log FILE`` or ``--log -`` for stderr)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.lock = threading.Lock()

    def __call__(self, record: dict[str, Any]) -> None:
        with self.lock:
            self.out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
            self.out.flush()


class StatusLine:
    """The status on stderr: rewritten in place on a terminal, one line per refresh otherwise."""

    def __init__(self, out: TextIO | None = None, every: float = defaults.WATCH_LOG_STATUS_SECONDS) -> None:
        self.out = out or sys.stderr
        self.tty = self.out.isatty()
        self.every = every  # a log (not a terminal) gets a line this often, not on every refresh
        self.last = float("-inf")

    def show(self, status: Status) -> None:
        text = status.line()
        if self.tty:
            self.out.write("\r\x1b[2K" + text)
        elif time.monotonic() - self.last >= self.every:
            self.last = time.monotonic()
            self.out.write(text + "\n")
        self.out.flush()

    def __call__(self, record: dict[str, Any]) -> None:
        """A listener: problems get a line of their own (above the status line on a terminal)."""
        name = record.get("event")
        if name not in _PROBLEMS:
            return
        where = record.get("source") or record.get("url") or ""
        extra = ""
        if record.get("retry_in") is not None:
            extra = f" (next try in {record['retry_in']:g} s)"
        text = f"{_PROBLEMS[name]}: {where}{': ' if where else ''}{record.get('error', '')}{extra}"
        self.out.write(("\r\x1b[2K" if self.tty else "") + text + "\n")
        self.out.flush()

    def close(self) -> None:
        if self.tty:
            self.out.write("\n")
            self.out.flush()
