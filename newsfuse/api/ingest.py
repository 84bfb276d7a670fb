"""POST of articles: analyse them, then store and fuse them in one transaction.

Records go through the ingest library (the same cleaning and copy detection as files), then the
analyze and fuse stages run on the new articles. Either every article of the request is stored,
analysed and fused, or (on any failure) nothing of the request stays in the store.
"""

from __future__ import annotations

import json
import time
from typing import Any

from newsfuse import defaults
from newsfuse.analyze.pipeline import analyze_texts
from newsfuse.api.schemas import ArticleIn
from newsfuse.errors import StoreBusyError
from newsfuse.ids import bytes_id
from newsfuse.ingest.pipeline import article_from_record, ingest_items
from newsfuse.ingest.readers import guarded
from newsfuse.models import Analysis, Article, RawInput, Rejection
from newsfuse.pipeline import RunContext, run
from newsfuse.store import Store

POST_STAGES = ("fuse",)  # the request replaces the ingest stage and analyses before its transaction


def to_item(record: ArticleIn, n: int) -> tuple[RawInput, Article]:
    """The raw JSON of one record and the Article the ingest library makes of it."""
    data = record.model_dump(exclude_none=True)
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    raw = RawInput(id=bytes_id(payload), source=f"api#{n}", fmt="json", size=len(payload), content=payload)
    return raw, article_from_record(data, source=f"api#{n}", raw_id=raw.id, fmt="json")


def ingest_records(store: Store, records: list[ArticleIn]) -> dict[str, Any]:
    """Store, analyse and fuse the records; returns what happened (IDs stored, already there,
    rejected records with the reason, stories).

    Each record is handled on its own, as a file's lines are: one that is no article (e.g. too
    little text once cleaned) is listed under ``rejected`` and the others are stored. The parse
    (the slow part) runs before the write transaction, so other writers are not held up by it; the
    transaction then stores the articles with their analyses and fuses them."""
    items: list[tuple[RawInput, Article]] = []
    rejected: list[dict[str, Any]] = []
    for n, record in enumerate(records, 1):
        item = guarded(f"api#{n}", to_item, record, n)
        if isinstance(item, Rejection):
            rejected.append({"item": n, "reason": item.reason})
        else:
            items.append(item)
    new = [a for _, a in items if not store.has_article(a.id)]
    analyses = {x.article_id: x for x in analyze_texts(new)} if new else {}
    ctx = _write(store, items, analyses) if items else RunContext()
    stored = set(ctx.stored)
    return {"stored": ctx.stored, "already_stored": [a.id for _, a in items if a.id not in stored],
            "rejected": rejected, "stories": sorted(set(ctx.stories)), "summary": ctx.summary()}


def ready() -> float:
    """Load what a POST uses (the parser and its models, the sentence encoder fusion matches claims
    with) and return the seconds it took. Loaded on the first POST instead, they cost it 10-25 s on a
    loaded host, and the encoder loaded inside the fuse's write transaction, holding the store's
    write lock all that time (schemathesis' 10 s response limit caught it)."""
    started = time.perf_counter()
    text = "The council said on Monday that the bridge over the river would reopen next week."
    analyze_texts([Article(id="a_ready", text=text)])
    if defaults.CLAIM_MATCH_BY_MEANING:
        from newsfuse.fuse.claims import encoder

        encoder.encode([text])
    return round(time.perf_counter() - started, 2)


def _write(store: Store, items: list[tuple[RawInput, Article]], analyses: dict[str, Analysis]) -> RunContext:
    """One transaction storing the articles with their analyses and fusing them, tried again while
    SQLite stays busy (each try waits its busy timeout); the last StoreBusyError is the caller's 503."""
    for attempt in range(1, defaults.SERVE_WRITE_ATTEMPTS + 1):
        ctx = RunContext()
        try:
            with store.transaction():
                ingest_items(store, items, ctx)
                for aid in ctx.stored:
                    if aid in analyses:
                        store.put_analysis(analyses[aid])
                        ctx.analyzed += 1
                if ctx.stored:
                    run(store, ctx, POST_STAGES)
            return ctx
        except StoreBusyError:
            if attempt == defaults.SERVE_WRITE_ATTEMPTS:
                raise
            time.sleep(0.1 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover
