"""Run the real pipeline (ingest -> analyze -> fuse) into a store, for the fusion tests."""

from __future__ import annotations

from pathlib import Path

from newsfuse.analyze import nlp
from newsfuse.analyze.pipeline import analyze_article
from newsfuse.pipeline import RunContext, run
from newsfuse.store import Store, queries


def fuse_folder(folder: Path, db: Path) -> tuple[Store, RunContext]:
    """Ingest and analyse ``folder`` and fuse it; articles the analyze stage skipped are analysed here."""
    store = Store(str(db))
    ctx = RunContext(paths=[folder])
    run(store, ctx, ["ingest", "analyze"])
    todo = [
        a for a in queries.list_articles(store, ctx.stored) if queries.analysis_version(store, a.id) is None
    ]
    for article, doc in zip(todo, nlp.parse_many([a.text for a in todo]), strict=True):
        store.put_analysis(analyze_article(article, doc))
    run(store, ctx, ["fuse"])
    return store, ctx
