"""A story grown one article at a time, fused after each, ends with the claims of the same story fused
once with all its articles (newsfuse/fuse/pipeline.py, claims matched by meaning included)."""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import benchmods
import pytest
from fusion_helpers import fuse_folder

from newsfuse.fuse.claims import cache as claimcache
from newsfuse.fuse.claims import pairs as claimpairs
from newsfuse.fuse.pipeline import fuse_story
from newsfuse.models import Analysis, Article, CopyLink, Story, StoryMove
from newsfuse.store import Store, queries

SAMPLE = Path(__file__).resolve().parent.parent / "newsfuse" / "data" / "sample"
BENCH = Path(__file__).resolve().parent.parent / "bench"
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
        _grow_into(store, analyses, copies, steps)
        return _claims(store)


def _grow_into(store: Store, analyses: dict[str, Analysis], copies: Sequence[CopyLink],
               steps: Sequence[Sequence[Article]]) -> None:
    store.put_story(Story(id=STORY, title="grown"))
    for step in steps:
        for a in step:
            store.add_article(a)
            store.put_analysis(analyses[a.id])
            store.assign(a.id, STORY, 1.0)
        for link in copies:
            if store.has_article(link.article_id) and store.has_article(link.original_id):
                store.add_copy(link)
        fuse_story(store, STORY)


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


# -- a bigger story, re-analysis and removal (process-wide memos of fuse/claims/{cache,pairs}.py) --------

BIG = 30  # articles: copies of the sample story's texts with other IDs, outlets and dates


def _bench() -> ModuleType:
    """bench/fusion_scale.py, for its replication of analysed articles into a story."""
    module = benchmods.load(BENCH / "fusion_scale.py", "bench_fusion_scale")
    return module


@pytest.fixture(scope="module")
def big(sample: Sample) -> tuple[list[Article], dict[str, Analysis]]:
    """``BIG`` replicas of the sample story's articles (one story: texts repeat, as wire copies do)."""
    articles, analyses, _ = sample
    scale = _bench()
    seeds = sorted((a for a in articles if a.published), key=lambda a: a.id)
    rng = random.Random(7)
    plan = scale.plan_story(0, [analyses[a.id] for a in seeds], rng)
    plan.pool = list(range(len(seeds)))
    pairs = [scale.replicate(plan, i, seeds, [analyses[a.id] for a in seeds], rng) for i in range(BIG)]
    return [a for a, _ in pairs], {a.id: an for a, an in pairs}


def _from_scratch() -> None:
    """Forget what this process kept between fuses, so the next fuse computes everything anew."""
    claimcache.CACHE.clear()
    claimpairs.MEMO.clear()
    claimpairs.NEIGHBOURS.clear()


def _published(articles: Sequence[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (a.published or "", a.id))


def test_a_big_story_grown_in_any_order_gives_the_claims_of_all_at_once(
    big: tuple[list[Article], dict[str, Analysis]], tmp_path: Path
) -> None:
    articles, analyses = big
    _from_scratch()
    at_once = _grow(tmp_path / "once.db", articles, analyses, [], [articles])
    assert sum(c[2] == "corroborated" for c in at_once) >= 3
    ordered = _published(articles)
    head, tail = ordered[: BIG - 4], ordered[BIG - 4:]
    _from_scratch()
    late = _grow(tmp_path / "late.db", articles, analyses, [], [head, *([a] for a in tail)])
    assert claimcache.CACHE.hits > 0  # the fuses after the first rebuilt only the new article
    assert claimpairs.MEMO.hits > 0  # and re-asked the matcher nothing it had answered
    assert claimpairs.NEIGHBOURS.grown > 0  # and compared only the new sentences with the rest
    # Articles arriving out of publication order: a backfilled one lands before the kept ones.
    shuffled = list(ordered)
    random.Random(3).shuffle(shuffled)
    steps = [shuffled[:20], *([a] for a in shuffled[20:])]
    mixed = _grow(tmp_path / "mixed.db", articles, analyses, [], steps)
    assert late == at_once
    assert mixed == at_once


def test_a_reanalysed_or_removed_article_changes_the_claims_as_fusing_anew_would(
    big: tuple[list[Article], dict[str, Analysis]], tmp_path: Path
) -> None:
    articles, analyses = big
    ordered = _published(articles)
    quoted = next(a for a in ordered if analyses[a.id].quotes)
    reanalysed = {**analyses, quoted.id: replace(analyses[quoted.id], quotes=())}
    gone = ordered[len(ordered) // 2]
    _from_scratch()
    with Store(str(tmp_path / "kept.db")) as store:
        _grow_into(store, analyses, [], [ordered])
        before = _claims(store)
        store.put_analysis(reanalysed[quoted.id])  # what the statements and pairs were read from changed
        fuse_story(store, STORY)
        after_reanalysis = _claims(store)
        store.put_story(Story(id="s_other", title="other"))
        store.move_article(StoryMove(gone.id, STORY, "s_other", "test", 0.0))
        fuse_story(store, STORY)
        after_removal = _claims(store)
    _from_scratch()
    fresh = _grow(tmp_path / "fresh.db", articles, reanalysed, [], [ordered])
    _from_scratch()
    rest = [a for a in ordered if a.id != gone.id]
    fresh_without = _grow(tmp_path / "without.db", rest, reanalysed, [], [rest])
    assert after_reanalysis != before  # the quotes' claims lost a source
    assert after_reanalysis == fresh
    assert after_removal == fresh_without
    assert all(gone.id not in {s[0] for s in c[5]} for c in after_removal)
