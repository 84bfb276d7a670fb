"""The whole job as a list of named stages: ingest -> analyze -> fuse.

Each stage is a function ``stage(store, ctx) -> None`` that reads what earlier stages stored and
records what it did in ``ctx`` (a :class:`~newsfuse.context.RunContext`, defined in its own module
so that stages import it without importing this orchestrator). ``run`` calls them in order; callers pick
stages by name (``stages=["ingest"]`` stores articles without analysing them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from newsfuse.context import RunContext
from newsfuse.errors import ConfigError
from newsfuse.store import Store

Stage = Callable[[Store, RunContext], None]


def _ingest(store: Store, ctx: RunContext) -> None:
    from newsfuse.ingest.pipeline import ingest_stage

    ingest_stage(store, ctx)


def _analyze(store: Store, ctx: RunContext) -> None:
    from newsfuse.analyze.pipeline import analyze_stage
    from newsfuse.fuse.claims.ahead import StageAhead

    # what the fuse wants encoded ahead rides along the analysis stream (analysis never imports fusion)
    analyze_stage(store, ctx, StageAhead(store))


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


__all__ = ["DEFAULT_PIPELINE", "STAGES", "RunContext", "Stage", "run"]
