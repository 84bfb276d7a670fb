"""Progress of a long stage on stderr: a live bar with n/N on a terminal, plain lines elsewhere.

``steps(show, label, total)`` is a context manager giving ``advance(detail="")``. On a terminal it
draws a rich bar (label, bar, n/N, time left, the current item); when stderr is a file or a pipe
(a log, CI, ``2> run.log``) it writes a line at the start, about every ``PLAIN_EVERY_S`` seconds, and
at the end, so a long run never looks hung. ``show=False`` prints nothing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

PLAIN_EVERY_S = 5.0  # seconds between plain progress lines: often enough to show life, few lines per run

Advance = Callable[..., None]


@contextmanager
def steps(show: bool, label: str, total: int) -> Iterator[Advance]:
    if not show or total <= 0:
        yield _noop
    elif sys.stderr.isatty():
        with _bar(label, total) as advance:
            yield advance
    else:
        with _lines(label, total) as advance:
            yield advance


def note(show: bool, message: str) -> None:
    """One line on stderr about what is happening now (a step with no count)."""
    if show:
        print(message, file=sys.stderr, flush=True)


def _noop(detail: str = "") -> None:
    return None


@contextmanager
def _bar(label: str, total: int) -> Iterator[Advance]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
               TextColumn("{task.description}"))
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("", total=total)

        def advance(detail: str = "") -> None:
            bar.update(task, advance=1, description=detail[:40])

        yield advance


@contextmanager
def _lines(label: str, total: int) -> Iterator[Advance]:
    start = last = time.monotonic()
    done = 0
    print(f"{label}: 0/{total}", file=sys.stderr, flush=True)

    def advance(detail: str = "") -> None:
        nonlocal done, last
        done += 1
        now = time.monotonic()
        if now - last >= PLAIN_EVERY_S and done < total:
            last = now
            print(f"{label}: {done}/{total}", file=sys.stderr, flush=True)

    yield advance
    print(f"{label}: {done}/{total} in {time.monotonic() - start:.0f} s", file=sys.stderr, flush=True)
