"""A story fused with its reads and compute outside the write lock and its writes in one short
transaction (watch/deferred.py): the same story as a fuse inside one transaction, the lock free
meanwhile, and the old way whenever the deferred fuse cannot be trusted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from livesite import article_html, story_text

from newsfuse.context import RunContext
from newsfuse.fuse.entities.resolve import EntityCache
from newsfuse.fuse.pipeline import fuse_story
from newsfuse.pipeline import run
from newsfuse.store import Store, queries
from newsfuse.watch.deferred import fuse_deferred
from newsfuse.watch.fuser import FusionWork, Placed
from newsfuse.watch.fusing import analyse_batch


def _analysed(store: Store, folder: Path, ns: tuple[int, ...] = (3, 6), dated: bool = True) -> list[str]:
    """Made-up reports, stored and analysed (not placed in stories): their article IDs."""
    folder.mkdir(exist_ok=True)
    for n in ns:
        title, paras = story_text(n)
        if dated:
            (folder / f"r{n}.html").write_text(article_html(title, paras, "Valley Times", "2025-03-04"))
        else:
            (folder / f"r{n}.txt").write_text(title + "\n\n" + "\n\n".join(paras), encoding="utf-8")
    ids = list(run(store, RunContext(paths=[folder]), stages=["ingest"]).stored)
    assert analyse_batch(store, ids)["event"] == "analysed"
    return ids


def _placed(store: Store, folder: Path, ns: tuple[int, ...] = (3, 6), dated: bool = True) -> dict[str, str]:
    """Made-up reports, stored, analysed and placed in stories: article -> story."""
    ids = _analysed(store, folder, ns, dated)
    FusionWork(store).place(ids, [])
    return {a: str(queries.story_of_article(store, a)) for a in ids}


def _stored(store: Store, story_id: str) -> tuple[Any, ...]:
    return (queries.story_claims(store, story_id), queries.story_timeline(store, story_id))


def test_a_deferred_fuse_stores_what_a_fuse_in_one_transaction_stores(tmp_path: Path) -> None:
    with Store(str(tmp_path / "a.db")) as one, Store(str(tmp_path / "b.db")) as deferred:
        stories = _placed(one, tmp_path / "a")
        assert _placed(deferred, tmp_path / "b") == stories  # deterministic IDs: the same stories
        for sid in sorted(set(stories.values())):
            fuse_story(one, sid, EntityCache())
            done = fuse_deferred(deferred, sid, EntityCache())
            assert done.deferred and done.current  # deferred, not the fallback
            assert set(done.read) == {a for a, s in stories.items() if s == sid}
            assert _stored(deferred, sid) == _stored(one, sid) and _stored(one, sid)[0]
            assert not queries.pending_fusion_ids(deferred) or sid not in queries.pending_fusion_ids(deferred)


def test_the_write_lock_is_free_while_a_deferred_fuse_computes(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsfuse.fuse import pipeline as fusepipeline

    stories = _placed(store, tmp_path / "pages")
    sid = next(iter(stories.values()))
    built = fusepipeline.claims_mod.build_claims
    seen: list[bool] = []

    def build_claims(*args: Any, **kwargs: Any) -> Any:
        seen.append(store.db.conn.in_transaction)
        with Store(store.url) as other:  # another writer (the watch loop) stores while claims are built
            other.db.conn.execute("PRAGMA busy_timeout = 0")  # a held lock would fail it at once
            other.put_watch_source("https://example.org/feed.xml", "Example", "feed", 60.0)
        return built(*args, **kwargs)

    monkeypatch.setattr(fusepipeline.claims_mod, "build_claims", build_claims)
    assert fuse_deferred(store, sid, EntityCache()).deferred
    assert seen == [False] and queries.story_claims(store, sid)
    assert queries.watch_source(store, "https://example.org/feed.xml")


def test_a_story_changed_before_the_commit_keeps_the_claims_it_read_and_stays_queued(
    store: Store, tmp_path: Path
) -> None:
    """An article placed in the story while its claims are computed (the watch places at once, on
    another connection): the claims of the articles read are stored, the story stays queued and
    says so, and the next refresh covers the newcomer."""
    [(first, sid)] = _placed(store, tmp_path / "one", (3,)).items()
    [second] = _analysed(store, tmp_path / "two", (4,))  # analysed, in no story yet

    def fuse_then_place(view: Any, story_id: str, cache: EntityCache) -> None:
        fuse_story(view, story_id, cache)
        if view is not store:  # the deferred compute is done: another writer puts an article in
            with Store(store.url) as other, other.transaction():
                other.assign(second, sid, 1.0)
                other.queue_fusion([sid])

    done = fuse_deferred(store, sid, EntityCache(), fuse=fuse_then_place)
    assert done.deferred and not done.current and done.read == (first,)
    held = {s.article_id for c in queries.story_claims(store, sid) for s in c.sources}
    assert held == {first}  # the claims of what it read, not a fuse inside the write lock
    assert sid in queries.pending_fusion_ids(store)
    state = queries.claims_state(store, sid)
    assert state["refreshing"] and state["articles_waiting"] == 1 and state["articles"] == 1
    assert state["as_of"]
    again = fuse_deferred(store, sid, EntityCache())
    assert again.current and set(again.read) == {first, second}
    held = {s.article_id for c in queries.story_claims(store, sid) for s in c.sources}
    assert held == {first, second} and sid not in queries.pending_fusion_ids(store)
    assert queries.claims_state(store, sid) | {"as_of": None} == {
        "refreshing": False, "articles_waiting": 0, "as_of": None, "articles": 2}


def test_a_fuse_that_reads_back_what_it_wrote_runs_inside_one_transaction(store: Store, seeds: Path) -> None:
    ids = list(run(store, RunContext(paths=[seeds]), stages=["ingest"]).stored)
    assert analyse_batch(store, ids)["event"] == "analysed"
    FusionWork(store).place(ids, [])
    undated = [a for a in queries.list_articles(store, ids) if not a.published]
    assert undated, "a seed report carries no date: the fuse estimates it, then reads its articles again"
    sid = str(queries.story_of_article(store, undated[0].id))
    assert not fuse_deferred(store, sid, EntityCache()).deferred
    assert queries.story_claims(store, sid) and sid not in queries.pending_fusion_ids(store)
    assert queries.list_articles(store, [undated[0].id])[0].published  # the estimate was stored
    assert fuse_deferred(store, sid, EntityCache()).deferred  # the estimate stays: nothing read back now


def test_vectors_a_fuse_encoded_are_kept_when_its_other_writes_are_dropped(
    store: Store, tmp_path: Path
) -> None:
    """A fuse that falls back to one transaction (it read back what it wrote) drops what it recorded,
    but not the vectors it encoded: the fuse again finds them in memory, and would not store them."""
    [(article, sid)] = _placed(store, tmp_path / "vec", (5,)).items()
    text_key = f"coref-{article}"  # a text hash of this test's own
    published = queries.list_articles(store, [article])[0].published

    def encode_then_read_back(view: Any, story_id: str, cache: EntityCache) -> None:
        if view is not store:  # the deferred compute: it encodes, then writes what it must read back
            view.put_coref_vectors("test-encoder", [(text_key, b"\x00" * 16)])
            view.put_sentence_vectors("test-encoder", [(article, 0, 4, b"\x00" * 16)], ["h-" + text_key])
            view.put_pair_logits("test-encoder", [(f"{text_key}:{text_key}", 2.5)])  # a cross-encoder's
            view.set_published(article, "2025-03-05", "estimated")
        fuse_story(view, story_id, cache)

    assert not fuse_deferred(store, sid, EntityCache(), fuse=encode_then_read_back).deferred
    assert set(queries.coref_vectors(store, [text_key], "test-encoder")) == {text_key}
    assert (article, 0, 4) in queries.sentence_vectors(store, [article], "test-encoder")
    assert queries.pair_logits(store, [f"{text_key}:{text_key}"], "test-encoder") == {
        f"{text_key}:{text_key}": 2.5}
    assert queries.list_articles(store, [article])[0].published == published  # the rest was dropped


def test_a_deferred_fuse_computes_on_the_idle_thread_and_commits_on_its_own(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The refresh process computes under SCHED_IDLE and commits on a thread that is not: a thread
    holding the write lock never waits for an idle core (watch/priority.py)."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from newsfuse import defaults
    from newsfuse.watch.priority import idle_thread, policy_of

    monkeypatch.setattr(defaults, "WATCH_REFRESH_IDLE", True)  # the idle policy, whatever ships
    stories = _placed(store, tmp_path / "pages")
    sid = next(iter(stories.values()))
    computed: list[tuple[str, bool]] = []  # (thread's policy, in a transaction) while claims are built
    committed: list[str] = []
    put = store.put_claims_state

    def fuse(view: Any, story_id: str, cache: EntityCache) -> None:
        computed.append((policy_of(), store.db.conn.in_transaction))
        fuse_story(view, story_id, cache)

    def put_claims_state(*args: Any, **kwargs: Any) -> None:
        committed.append(threading.current_thread().name)
        put(*args, **kwargs)

    monkeypatch.setattr(store, "put_claims_state", put_claims_state)
    with ThreadPoolExecutor(1, thread_name_prefix="refresh", initializer=idle_thread) as idle:
        done = fuse_deferred(store, sid, EntityCache(), fuse=fuse,
                             compute=lambda fn: idle.submit(fn).result())
    assert done.deferred and done.current and queries.story_claims(store, sid)
    import os
    expected = "SCHED_IDLE" if hasattr(os, "SCHED_IDLE") else "nice 19"
    assert computed == [(expected, False)]
    assert committed == [threading.current_thread().name]


def test_a_placement_hands_over_the_stories_it_queued_not_every_story_waiting(
    store: Store, tmp_path: Path, seeds: Path
) -> None:
    """Under a burst hundreds of stories wait for their refresh; a placement reads only those it
    queued (its cost does not grow with them), and a sweep (a watch's first round) reads all."""
    from newsfuse.watch.fuser import place_waiting

    seed_ids = list(run(store, RunContext(paths=[seeds]), stages=["ingest"]).stored)
    assert analyse_batch(store, seed_ids)["event"] == "analysed"
    FusionWork(store).place(seed_ids, [])  # placed and queued, not refreshed
    waiting = str(queries.story_of_article(store, seed_ids[0]))
    ids = _analysed(store, tmp_path / "two", (6,))
    placed, _ = place_waiting(store, ids, [])
    mine = str(queries.story_of_article(store, ids[0]))
    assert mine != waiting and set(queries.pending_fusion_ids(store)) == {waiting, mine}
    assert [(p.story_id, p.articles, p.size) for p in placed] == [(mine, ids, 1)]
    swept, _ = place_waiting(store, [], [], sweep=True)
    assert {p.story_id for p in swept} == {waiting, mine} and all(not p.articles for p in swept)


def test_a_story_whose_refresh_failed_waits_its_interval_before_it_is_tried_again() -> None:
    from newsfuse import defaults
    from newsfuse.watch.schedule import StoryQueue, Waiting

    stories = StoryQueue()
    stories.add([Placed("s", ["s"], ["a"], 1)], {}, 100.0)
    taken = stories.take(100.0)
    assert taken is not None
    stories.put_back("s", Waiting(["s"], [], 100.0, 1), 101.0)  # the refresh failed at 101
    assert stories.take(101.0) is None and stories.take(100.0 + defaults.WATCH_CLAIMS_REFRESH_S) is None
    again = stories.take(101.0 + defaults.WATCH_CLAIMS_REFRESH_S)
    assert again is not None and again[0] == "s" and again[1].queued == ["s"]
