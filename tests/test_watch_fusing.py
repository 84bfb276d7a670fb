"""Placement first, claims behind (watch/fusing.py): an article the watch has analysed is in its
story at once, and the story says its claims are being refreshed until the refresh covers it."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from liveapp import chromium, serve

from newsfuse import defaults
from newsfuse.api.app import create_app
from newsfuse.context import RunContext
from newsfuse.fuse.claims import ahead, vectors
from newsfuse.fuse.claims import encoder as claimencoder
from newsfuse.pipeline import run
from newsfuse.serving.views import story_view
from newsfuse.store import Store, queries
from newsfuse.watch.fuser import FusionWork
from newsfuse.watch.fusing import analyse_batch, place_analysed

REFRESHING = "Claims are being refreshed"


def _cited(store: Store, story_id: str) -> set[str]:
    return {s.article_id for c in queries.story_claims(store, story_id) for s in c.sources}


def _placed_not_refreshed(store: Store, seeds: Path) -> tuple[str, str, str, FusionWork]:
    """The seed story's first report placed and its claims refreshed, then the second report
    placed in it: (story, first, second, the refresh work)."""
    first, second = run(store, RunContext(paths=[seeds]), stages=["ingest"]).stored  # one story
    assert analyse_batch(store, [first])["event"] == "analysed"
    placed = place_analysed(store, [first], [])
    assert placed["event"] == "placed" and placed["articles"] == [first]
    [sid] = placed["stories"]
    work = FusionWork(store)
    assert work.fuse(sid, [sid]).current and _cited(store, sid) == {first}

    assert analyse_batch(store, [second])["event"] == "analysed"
    placed = place_analysed(store, [second], [sid])
    assert placed["articles"] == [second] and placed["stories"] == [sid] and placed["moved"] == {sid: sid}
    return sid, first, second, work


def test_a_story_shows_its_new_article_before_its_claims_are_refreshed(tmp_path: Path, seeds: Path) -> None:
    with Store(str(tmp_path / "w.db")) as store:
        sid, first, second, work = _placed_not_refreshed(store, seeds)
        # placed: the story lists the new article at once; its claims are those of the first still
        view = story_view(store, sid)
        assert {a["id"] for a in view["articles"]} == {first, second}
        assert _cited(store, sid) == {first}
        state = view["claims_state"]
        assert state["refreshing"] and state["articles_waiting"] == 1 and state["articles"] == 1
        assert state["as_of"] and state["as_of"].endswith("+00:00")
        with TestClient(create_app(store.url)) as client:
            page = client.get(f"/stories/{sid}").text
            assert f"{REFRESHING} for 1 new article (shown as of {state['as_of']})." in page
            assert client.get(f"/api/stories/{sid}").json()["claims_state"] == state

            done = work.fuse(sid, [sid], new_round=True)  # the refresh behind the placement
            assert done.current and set(done.read) == {first, second}
            assert _cited(store, sid) == {first, second}
            after = client.get(f"/api/stories/{sid}").json()["claims_state"]
            assert after["refreshing"] is False and after["articles_waiting"] == 0 and after["articles"] == 2
            assert REFRESHING not in client.get(f"/stories/{sid}").text


def test_a_refresh_reports_where_its_memory_sits_every_few_refreshes(
        tmp_path: Path, seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "WATCH_HEAP_REPORT_EVERY", 2)
    with Store(str(tmp_path / "w.db")) as store:
        sid, _, _, work = _placed_not_refreshed(store, seeds)  # its first refresh reported
        between = work.fuse(sid, [sid], new_round=True)
        again = work.fuse(sid, [sid])
    assert work.refreshes == 3 and between.heap is None
    assert again.heap is not None and again.heap["rss"] > 0 and again.heap["anon"] > 0
    if "pymalloc_arenas" in again.heap:  # CPython's allocator: its arenas hold its live blocks
        assert again.heap["pymalloc_arenas"] >= again.heap["pymalloc_live"] > 0


def test_a_story_fused_in_a_batch_says_nothing_is_being_refreshed(tmp_path: Path, seeds: Path) -> None:
    with Store(str(tmp_path / "b.db")) as store:
        ctx = run(store, RunContext(paths=[seeds]))
        [sid] = set(ctx.stories) or {queries.story_of_article(store, ctx.stored[0])}
        state = story_view(store, str(sid))["claims_state"]
        assert state == {"refreshing": False, "articles_waiting": 0, "as_of": None, "articles": None}


def _encoded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts a refresh asks the encoder for as claim sentences (entity names not counted)."""
    texts: list[str] = []
    original = claimencoder.encode

    def encode(batch: Any) -> Any:
        if sys._getframe(1).f_globals["__name__"] == vectors.__name__:
            texts.extend(batch)
        return original(batch)

    monkeypatch.setattr(vectors.claimencoder, "encode", encode)
    monkeypatch.setattr(vectors, "_MEMORY", type(vectors._MEMORY)())  # nothing kept before
    monkeypatch.setattr(vectors, "_BY_TEXT", type(vectors._BY_TEXT)())
    return texts


def test_an_article_alone_in_its_story_has_no_clause_run_encoded_until_a_second_joins(
    tmp_path: Path, seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing is encoded ahead (defaults.WATCH_ENCODE_AHEAD): the refresh of a one-article story
    encodes no clause run (no other article's statements to match by meaning), at most its event
    sentences; the runs are encoded when a second article joins."""
    from newsfuse.analyze.pipeline import iter_analyses

    assert not defaults.WATCH_ENCODE_AHEAD
    encoded = _encoded(monkeypatch)
    with Store(str(tmp_path / "e.db")) as store:
        first, second = run(store, RunContext(paths=[seeds]), stages=["ingest"]).stored
        assert analyse_batch(store, [first])["sentences"] == 0
        [sid] = place_analysed(store, [first], [])["stories"]
        work = FusionWork(store)
        work.fuse(sid, [sid])
        article = queries.list_articles(store, [first])[0]
        analysis = next(a for a in iter_analyses([article]) if not isinstance(a, str))
        events = set(ahead.claim_sentences(article, analysis, ["events"]).values())
        runs = set(ahead.claim_sentences(article, analysis, ["runs"]).values()) - events
        assert runs and not set(encoded) & runs, "a clause run of a one-article story was encoded"
        assert set(encoded) <= events, "a one-article story encodes its event sentences at most"
        alone = len(encoded)

        assert analyse_batch(store, [second])["sentences"] == 0
        place_analysed(store, [second], [sid])
        work.fuse(sid, [sid], new_round=True)
        assert set(encoded[alone:]) & runs, "with a second article the first one's runs are compared"


@pytest.mark.browser
def test_the_story_page_says_its_claims_are_being_refreshed_in_chromium(tmp_path: Path, seeds: Path) -> None:
    with Store(str(tmp_path / "c.db")) as store:
        sid, _, _, work = _placed_not_refreshed(store, seeds)
        with serve(create_app(store.url)) as server, chromium() as browser:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{server}/stories/{sid}")
            status = page.get_by_role("status")
            assert status.is_visible() and status.inner_text().startswith(f"{REFRESHING} for 1 new article")
            assert "2 articles" in page.locator("p.meta").first.inner_text()  # the new one is listed
            work.fuse(sid, [sid], new_round=True)
            page.reload()
            assert page.get_by_text(REFRESHING).count() == 0


def test_a_batch_is_parsed_a_chunk_at_a_time_and_each_chunk_is_stored_before_the_next(
    tmp_path: Path, seeds: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first articles of a bunched arrival are stored (and the watch places them) while the rest
    are still parsed: each chunk is handed over as soon as its analyses are in the store."""
    monkeypatch.setattr(defaults, "WATCH_ANALYSIS_CHUNK", 1)
    with Store(str(tmp_path / "w.db")) as store:
        ids = list(run(store, RunContext(paths=[seeds]), stages=["ingest"]).stored)
        assert len(ids) == 2
        seen: list[tuple[list[str], list[str | None]]] = []  # (chunk, analysis versions of all then)

        def each(event: dict[str, Any]) -> None:
            assert event["event"] == "analysed"
            seen.append((event["articles"], [queries.analysis_version(store, a) for a in ids]))

        left = analyse_batch(store, ids, each=each)
        assert left["event"] == "analysed" and left["articles"] == []  # every article reported by a chunk
        assert [chunk for chunk, _ in seen] == [[ids[0]], [ids[1]]]
        first, second = seen[0][1], seen[1][1]
        assert first[0] is not None and first[1] is None  # the first stored, the second not parsed yet
        assert None not in second
        again: list[dict[str, Any]] = []
        assert analyse_batch(store, ids, each=again.append)["articles"] == []
        assert [e["articles"] for e in again] == [ids]  # analysed already: handed over at once, together
