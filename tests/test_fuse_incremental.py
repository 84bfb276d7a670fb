"""A story grown one article at a time, fused after each, ends with the claims of the same story fused
once with all its articles (newsfuse/fuse/pipeline.py, claims matched by meaning included)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from fusion_helpers import fuse_folder

from newsfuse.fuse.pipeline import fuse_story
from newsfuse.models import Analysis, Article, CopyLink, Story
from newsfuse.store import Store, queries

SAMPLE = Path(__file__).resolve().parent.parent / "newsfuse" / "data" / "sample"
STORY = "s_grown"
Sample = tuple[list[Article], dict[str, Analysis], list[CopyLink]]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sample]:
    """The articles, analyses and copy links of the sample's biggest story."""
    store, _ = fuse_folder(SAMPLE, tmp_path_factory.mktemp("sample") / "sample.db")
    stories = [queries.story_article_ids(store, s.id) for s in queries.list_stories(store)]
    ids = max(stories, key=len)
    articles = queries.list_articles(store, ids)
    yield articles, queries.get_analyses(store, ids), queries.copies_of(store, ids)
    store.close()


def _claims(store: Store) -> list[tuple[object, ...]]:
    return sorted((c.id, c.kind, c.status, c.independent_sources, c.text,
                   tuple(sorted((s.article_id, s.stance, s.value) for s in c.sources)))
                  for c in queries.story_claims(store, STORY))


def _grow(db: Path, articles: Sequence[Article], analyses: dict[str, Analysis], copies: Sequence[CopyLink],
          steps: Sequence[Sequence[Article]]) -> list[tuple[object, ...]]:
    """Claims after putting ``steps`` of articles into one story, fusing it after each step."""
    with Store(str(db)) as store:
        store.put_story(Story(id=STORY, title="grown"))
        for step in steps:
            for a in step:
                store.add_article(a)
                store.put_analysis(analyses[a.id])
                store.assign(a.id, STORY, 1.0)
            added = {a.id for a in articles if store.has_article(a.id)}
            for link in copies:
                if link.article_id in added and link.original_id in added:
                    store.add_copy(link)
            fuse_story(store, STORY)
        return _claims(store)


def test_one_article_at_a_time_gives_the_claims_of_all_at_once(sample: Sample, tmp_path: Path) -> None:
    articles, analyses, copies = sample
    assert len(articles) >= 5
    at_once = _grow(tmp_path / "once.db", articles, analyses, copies, [articles])
    assert any(c[2] == "corroborated" for c in at_once)
    published = sorted(articles, key=lambda a: (a.published or "", a.id))
    in_order = _grow(tmp_path / "order.db", articles, analyses, copies, [[a] for a in published])
    backwards = _grow(tmp_path / "back.db", articles, analyses, copies, [[a] for a in reversed(published)])
    assert in_order == at_once
    assert backwards == at_once
