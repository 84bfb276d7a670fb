"""The analyze stage: steps, batches, worker processes, storing and re-analysing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from workcount import counted, tiny_store

from newsfuse import defaults
from newsfuse.analyze import nlp, pipeline
from newsfuse.analyze.names import mentions as entities
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.errors import ConfigError
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, Mention
from newsfuse.pipeline import RunContext
from newsfuse.store import Store, queries


def seed_articles(seeds: Path) -> list[Article]:
    out = []
    for path, published in zip(sorted(seeds.glob("0*.txt")), ("2024-11-20", "2024-11-17"), strict=True):
        text = path.read_text(encoding="utf-8")
        out.append(Article(id=content_id(path.name, text, prefix="a_"), text=text, published=published))
    return out


@pytest.mark.slow
def test_analyze_article_runs_the_named_steps(seeds: Path) -> None:
    article = seed_articles(seeds)[1]
    doc = nlp.parse(article.text)
    full = pipeline.analyze_article(article, doc)
    assert full.article_id == article.id and full.version == pipeline.ANALYSIS_VERSION
    assert any(m.entity_key == "Emmanuel Macron" for m in full.mentions)
    only = pipeline.analyze_article(article, doc, steps=["times"])
    assert only.mentions == () and only.quotes == () and only.events == ()
    assert only.times == full.times


def test_unknown_step_is_a_config_error(seeds: Path) -> None:
    article = seed_articles(seeds)[0]
    with pytest.raises(ConfigError, match="choose from"):
        pipeline.analyze_article(article, ParsedDoc(article.text, (), (), ()), steps=["sentiment"])


@pytest.mark.slow
def test_analyze_texts_keeps_order_and_matches_single_article(seeds: Path) -> None:
    articles = seed_articles(seeds)
    results = pipeline.analyze_texts(articles)
    assert [a.article_id for a in results] == [a.id for a in articles]
    one = pipeline.analyze_article(articles[0], nlp.parse(articles[0].text))
    assert results[0] == one


@pytest.mark.slow
def test_worker_processes_give_the_same_analyses(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = seed_articles(seeds) * 2  # four articles in two chunks of two
    monkeypatch.setattr(defaults, "ANALYZE_PARALLEL_MIN_ARTICLES", 1)
    monkeypatch.setattr(defaults, "ANALYZE_CHUNK_ARTICLES", 2)
    parallel = pipeline.analyze_texts(articles, workers=2)
    assert parallel == pipeline.analyze_texts(articles, workers=1)
    assert len(parallel) == 4


@pytest.mark.slow
def test_dask_batch_gives_the_same_analyses(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = seed_articles(seeds) * 2
    monkeypatch.setattr(defaults, "ANALYZE_PARALLEL_MIN_ARTICLES", 1)
    monkeypatch.setattr(defaults, "DASK_BATCH_ARTICLES", 1)
    monkeypatch.setattr(defaults, "ANALYZE_BATCHES_IN_FLIGHT_PER_WORKER", 1)  # more batches than slots
    on_dask = list(pipeline.iter_analyses(iter(articles), workers=2, executor="dask"))
    assert on_dask == pipeline.analyze_texts(articles, workers=1)  # a LocalCluster, results in order


def test_unknown_executor_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="executor"):
        list(pipeline.iter_analyses([], workers=2, executor="spark"))


def test_workers_must_be_positive() -> None:
    with pytest.raises(ConfigError):
        pipeline.analyze_texts([], workers=0)


@pytest.mark.slow
def test_stage_stores_analyses_once_and_redoes_old_versions(
    seeds: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = seed_articles(seeds)
    for a in articles:
        store.add_article(a)
    ctx = RunContext(stored=[a.id for a in articles])
    pipeline.analyze_stage(store, ctx)
    assert ctx.analyzed == 2
    stored = queries.get_analysis(store, articles[0].id)
    assert stored.version == pipeline.ANALYSIS_VERSION
    assert any(m.entity_key == "Emmanuel Macron" and m.kind == "pronoun" for m in stored.mentions)

    again = RunContext(stored=[a.id for a in articles])
    pipeline.analyze_stage(store, again)  # nothing changed: nothing to redo
    assert again.analyzed == 0

    monkeypatch.setattr(pipeline, "ANALYSIS_VERSION", "test-next")
    newer = RunContext()
    pipeline.analyze_stage(store, newer)  # an older analysis version is redone without being asked
    assert newer.analyzed == 2
    assert queries.analysis_version(store, articles[1].id) == "test-next"


def _kept_triggers(store: Store) -> int:
    return int(store.fetchall("SELECT COUNT(*) AS n FROM trigger_vectors")[0]["n"])


@pytest.mark.slow
def test_with_context_coreference_the_stage_keeps_event_vectors_once(
    seeds: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """COREF_CONTEXT on: the stage, followed by the fuse's StageAhead as the orchestrator runs it,
    keeps every event sentence's vector and its triggers' context
    vectors (one encoder pass, fuse/claims/ahead.py) for the fuse; off, it keeps none and loads nothing."""
    from newsfuse.fuse.claims import encoder
    from newsfuse.fuse.claims.ahead import StageAhead
    from newsfuse.fuse.claims.statements import statements

    articles = seed_articles(seeds)
    for a in articles:
        store.add_article(a)
    pipeline.analyze_stage(store, RunContext(), StageAhead(store))
    assert _kept_triggers(store) == 0 and not queries.sentence_vectors(store, [a.id for a in articles],
                                                                       encoder.MODEL_NAME)
    monkeypatch.setattr(defaults, "COREF_CONTEXT", True)
    monkeypatch.setattr(defaults, "ANALYZE_AHEAD_ARTICLES", 1)  # one batch per article: both kept
    monkeypatch.setattr(pipeline, "ANALYSIS_VERSION", "test-context")
    pipeline.analyze_stage(store, RunContext(), StageAhead(store))
    events = [s for a in articles for s in statements(a, queries.get_analysis(store, a.id), {}, set())
              if s.kind == "event"]
    kept = queries.sentence_vectors(store, [a.id for a in articles], encoder.MODEL_NAME)
    assert {(s.article.id, s.span.start, s.span.end) for s in events} <= set(kept)
    triggers = _kept_triggers(store)
    assert 0 < triggers <= len(events)  # an event repeated word for word in one sentence is kept once
    monkeypatch.setattr(pipeline, "ANALYSIS_VERSION", "test-context-again")
    # analysed again: the same vectors, nothing added
    pipeline.analyze_stage(store, RunContext(), StageAhead(store))
    assert _kept_triggers(store) == triggers


@pytest.mark.slow
def test_stage_reports_a_failing_article_and_goes_on(
    seeds: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = seed_articles(seeds)
    for a in articles:
        store.add_article(a)
    real = entities.find_mentions

    def broken_on_first(doc: ParsedDoc, article_id: str) -> list[Mention]:
        if article_id == articles[0].id:
            raise ValueError("rule bug")
        return real(doc, article_id)

    monkeypatch.setattr(entities, "find_mentions", broken_on_first)
    ctx = RunContext(stored=[a.id for a in articles])
    pipeline.analyze_stage(store, ctx)
    assert ctx.analyzed == 1
    assert len(ctx.notes) == 1 and articles[0].id in ctx.notes[0] and "rule bug" in ctx.notes[0]
    assert queries.analysis_version(store, articles[0].id) is None
    assert isinstance(queries.get_analysis(store, articles[1].id), Analysis)


@pytest.mark.slow
def test_worker_processes_read_articles_only_as_they_take_them(
    seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(defaults, "ANALYZE_PARALLEL_MIN_ARTICLES", 1)
    monkeypatch.setattr(defaults, "ANALYZE_CHUNK_ARTICLES", 1)
    monkeypatch.setattr(defaults, "ANALYZE_BATCHES_IN_FLIGHT_PER_WORKER", 1)
    read: list[str] = []

    def source() -> Iterator[Article]:
        for article in seed_articles(seeds) * 3:
            read.append(article.id)
            yield article

    results = pipeline.iter_analyses(source(), workers=2)
    next(results)
    assert len(read) == 2  # one batch per worker in flight, not all six articles
    assert len(list(results)) == 5 and len(read) == 6


def _find_new_work(store: Store, article: Article) -> tuple[list[Article], int]:
    """What the stage does before it analyses: queue analyses of another version, read its windows."""
    store.add_article(article)
    with counted(store) as work:
        store.queue_stale_analyses(pipeline.ANALYSIS_VERSION)
        found = list(pipeline.claimed_articles(store, pipeline.claim_owner()))
        assert queries.count_stale_analyses(store, pipeline.ANALYSIS_VERSION) == 1
    return found, work.steps


def test_finding_what_to_analyse_costs_the_same_in_a_store_ten_times_bigger(tmp_path: Path) -> None:
    """One new article among 1,000 or 10,000 analysed ones: the stage finds it through its queue and
    the index on analysis versions, not by joining every article to its analysis."""
    new = Article(id="a_new0000000001", text="A new report on the flooded valley road.")
    steps = {}
    for n in (1_000, 10_000):
        with tiny_store(str(tmp_path / f"{n}.db"), n, pipeline.ANALYSIS_VERSION) as store:
            found, steps[n] = _find_new_work(store, new)
            assert found == [new]
    assert steps[10_000] <= 1.2 * steps[1_000] + 20, steps  # a scan would be ~10x


def test_a_new_analysis_version_queues_every_older_analysis(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    with tiny_store(str(tmp_path / "s.db"), 5, pipeline.ANALYSIS_VERSION) as store:
        assert queries.count_stale_analyses(store, pipeline.ANALYSIS_VERSION) == 0
        assert queries.count_stale_analyses(store, "test-next") == 5  # before they are queued
        monkeypatch.setattr(pipeline, "ANALYSIS_VERSION", "test-next")
        store.queue_stale_analyses("test-next")
        owner = pipeline.claim_owner()
        found = [a.id for a in pipeline.claimed_articles(store, owner)]
        assert found == [f"a_tiny{k:010d}" for k in range(5)]
        assert queries.count_stale_analyses(store, "test-next") == 5
