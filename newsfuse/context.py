"""What one run is asked to do and what its stages report back (:class:`RunContext`).

It lives below the stages and the orchestrator (:mod:`newsfuse.pipeline`) so that each stage can
take it as a parameter without importing the module that calls the stages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsfuse.models import Rejection


@dataclass
class RunContext:
    """Inputs of a run and what each stage reports back."""

    paths: Sequence[str | Path] = ()
    outlet: str | None = None
    published: str | None = None
    progress: bool = False
    workers: int = 1
    executor: str = "pool"  # pool | dask: how analysis runs on several workers
    pool: Any = None  # a process pool kept open across runs (newsfuse watch); analysis runs on it
    dask: str | None = None  # address of a dask scheduler (tcp://host:8786): analysis on that cluster
    read: int = 0  # inputs read (files, feed items, lines)
    stored: list[str] = field(default_factory=list)  # IDs of articles stored by this run
    already: int = 0  # inputs that were stored before (idempotent re-ingest)
    copies: int = 0  # stored articles found to be copies of others
    rejected: list[Rejection] = field(default_factory=list)
    # Called with each rejection the moment it happens (the CLI prints it), so a long batch shows
    # its bad inputs as it goes and a crash later loses none of them.
    on_rejection: Callable[[Rejection], None] | None = None
    analyzed: int = 0
    stories: list[str] = field(default_factory=list)  # stories created or updated
    notes: list[str] = field(default_factory=list)

    def reject(self, rejection: Rejection) -> None:
        self.rejected.append(rejection)
        if self.on_rejection is not None:
            self.on_rejection(rejection)

    def summary(self) -> dict[str, object]:
        return {
            "read": self.read,
            "stored": len(self.stored),
            "already_stored": self.already,
            "copies": self.copies,
            "rejected": len(self.rejected),
            "analyzed": self.analyzed,
            "stories_touched": len(self.stories),
        }
