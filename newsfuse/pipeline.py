"""The whole job as a list of named stages: ingest -> analyze -> fuse.

Each stage is a function ``stage(store, ctx) -> None`` that reads what earlier stages stored and
records what it did in ``ctx`` (a :class:`RunContext`). ``run`` calls them in order; callers pick
stages by name (``stages=["ingest"]`` stores articles without analysing them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsfuse.errors import ConfigError
from newsfuse.models import Rejection
from newsfuse.store import Store


@dataclass
class RunContext:
    """Inputs of a run and what each stage reports back."""

    paths: Sequence[str | Path] = ()
    outlet: str | None = None
    published: str | None = None
    progress: bool = False
    workers: int = 1
    executor: str = "pool"  # pool | dask: how analysis runs on several workers
    read: int = 0  # inputs read (files, feed items, lines)
    stored: list[str] = field(default_factory=list)  # IDs of articles stored by this run
    already: int = 0  # inputs that were stored before (idempotent re-ingest)
    copies: int = 0  # stored articles found to be copies of others
    rejected: list[Rejection] = field(default_factory=list)
    analyzed: int = 0
    stories: list[str] = field(default_factory=list)  # stories created or updated
    notes: list[str] = field(default_factory=list)

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


Stage = Callable[[Store, RunContext], None]


def _ingest(store: Store, ctx: RunContext) -> None:
    from newsfuse.ingest.pipeline import ingest_stage

    ingest_stage(store, ctx)


def _analyze(store: Store, ctx: RunContext) -> None:
    from newsfuse.analyze.pipeline import analyze_stage

    analyze_stage(store, ctx)


def _fuse(store: Store, ctx: RunContext) -> None:
    from newsfuse.fuse.pipeline import fuse_stage

    fuse_stage(store, ctx)


STAGES: dict[str, Stage] = {"ingest": _ingest, "analyze": _analyze, "fuse": _fuse}
DEFAULT_PIPELINE = ("ingest", "analyze", "fuse")


def run(store: Store, ctx: RunContext, stages: Sequence[str] = DEFAULT_PIPELINE) -> RunContext:
    """Run the named stages in order over ``ctx``; returns ``ctx`` filled in."""
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        raise ConfigError(f"unknown stage(s) {unknown}; choose from {list(STAGES)}")
    for name in stages:
        STAGES[name](store, ctx)
    return ctx
