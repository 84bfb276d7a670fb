"""Run the real pipeline (ingest -> analyze -> fuse) into a store, for the fusion tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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


SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def fused_seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str]]:
    """The two seed articles fused into a fresh store: (store, the story's ID); skips the test
    when ../shared/seeds is not beside the project. Module fixtures ``yield from`` it."""
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the project")
    store, ctx = fuse_folder(SEEDS, tmp_path_factory.mktemp("seeds") / "seeds.db")
    yield store, ctx.stories[0]
    store.close()
