"""The whole job (ingest -> analyze -> fuse) on the sample corpus, on SQLite and on PostgreSQL.

Both backends must give the same result: the same stories, the same claims with the same status.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsfuse.errors import ConfigError
from newsfuse.pipeline import RunContext, run
from newsfuse.store import Store, queries


def _fingerprint(store: Store) -> dict[str, Any]:
    """What a user reads off the store: stories with their articles, claims and statuses."""
    out = {}
    for story in queries.list_stories(store):
        claims = queries.story_claims(store, story.id)
        out[story.id] = {
            "articles": sorted(story.article_ids),
            "claims": sorted((c.id, c.status, c.independent_sources) for c in claims),
        }
    return out


def _run_sample(url: str, sample: Path) -> tuple[RunContext, dict[str, Any]]:
    with Store(url) as store:
        ctx = run(store, RunContext(paths=[sample]))
        return ctx, _fingerprint(store)


@pytest.mark.slow
@pytest.mark.postgres
def test_sample_gives_the_same_picture_on_sqlite_and_postgresql(
    tmp_path: Path, sample: Path, pg_server: Any
) -> None:
    lite_ctx, lite = _run_sample(str(tmp_path / "lite.db"), sample)
    pg_ctx, pg = _run_sample(pg_server.new_database(), sample)
    assert lite_ctx.summary() == pg_ctx.summary()
    assert lite_ctx.rejected == [] and lite_ctx.copies == 2
    assert sorted(len(s["articles"]) for s in lite.values()) == [3, 12]
    assert lite == pg


@pytest.mark.slow
def test_second_run_of_the_same_input_changes_nothing(tmp_path: Path, sample: Path) -> None:
    url = str(tmp_path / "twice.db")
    _, first = _run_sample(url, sample)
    ctx, second = _run_sample(url, sample)
    assert ctx.stored == [] and ctx.already == ctx.read and ctx.analyzed == 0
    assert first == second


def test_unknown_stage_is_a_config_error(store: Store) -> None:
    with pytest.raises(ConfigError, match="unknown stage"):
        run(store, RunContext(), stages=["ingest", "summarise"])


@pytest.mark.slow
def test_a_run_places_and_fuses_what_an_earlier_run_only_stored(tmp_path: Path, sample: Path) -> None:
    url = str(tmp_path / "later.db")
    with Store(url) as store:
        first = run(store, RunContext(paths=[sample]), stages=["ingest"])
        assert first.stored and queries.list_stories(store) == []
        later = run(store, RunContext())  # no new input: the stages work from what the store holds
        assert later.analyzed == len(first.stored) and later.stories
        assert queries.articles_to_place(store) == [] and queries.pending_fusion_ids(store) == []
        assert _fingerprint(store) == _run_sample(str(tmp_path / "clean.db"), sample)[1]

