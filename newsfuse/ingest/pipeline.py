"""The ingest stage (STUB: being written)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsfuse.pipeline import RunContext
    from newsfuse.store import Store


def ingest_stage(store: Store, ctx: RunContext) -> None:
    return None
