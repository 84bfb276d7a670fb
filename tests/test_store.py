"""The store's behaviours on BOTH backends: embedded SQLite and a real PostgreSQL 15 server."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from workcount import counted, tiny_store

from newsfuse.errors import ConfigError, NotFoundError, StoreError
from newsfuse.ids import content_id
from newsfuse.models import (
    Amount,
    Analysis,
    Article,
    CopyLink,
    Entity,
    EntityLink,
    Event,
    Mention,
    Quote,
    RawInput,
    Story,
    StoryMerge,
    StoryMove,
    TimeExpr,
    from_dict,
    to_dict,
)
from newsfuse.store import Store, queries
from newsfuse.store.backend import connect
from newsfuse.store.migrations import MIGRATIONS


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = str(tmp_path / "t.db")
    else:
        url = request.getfixturevalue("pg_server").new_database()
    s = Store(url)
    yield s
    s.close()


def _article(text: str, outlet: str = "Harbour Gazette", published: str = "2025-09-14", **kw: Any) -> Article:
    aid = content_id(outlet, text, prefix="a_")
    return Article(id=aid, text=text, outlet=outlet, published=published, **kw)


def test_migrations_apply_once_and_reach_the_same_version(any_store: Store) -> None:
    assert any_store.schema_version() >= 6
    assert any_store.migrate() == []


def test_article_roundtrip_and_idempotent(any_store: Store) -> None:
    a = _article("The river rose two metres overnight, officials said on Sunday.", title="River rises",
                 metadata=(("site", "Gazette"),))
    raw = RawInput(id="r_1", source="x.txt", fmt="text", size=9, content=b"raw\x00bytes")
    assert any_store.add_article(a, raw=raw, signature=b"\x01\x02\xff") is True
    assert any_store.add_article(a, raw=raw) is False
    assert queries.count_articles(any_store) == 1
    assert queries.get_article(any_store, a.id) == a
    assert queries.signatures(any_store) == [(a.id, b"\x01\x02\xff")]


def test_failed_transaction_leaves_nothing(any_store: Store) -> None:
    a = _article("A dam on the upper river was breached late on Friday night.")
    with pytest.raises(RuntimeError), any_store.transaction():
        any_store.add_article(a)
        raise RuntimeError("crash half-way")
    assert queries.count_articles(any_store) == 0


def test_analysis_replaced_atomically(any_store: Store) -> None:
    a = _article("Lena Varga said the port would stay closed.")
    any_store.add_article(a)
    m = Mention(id="m1", article_id=a.id, start=0, end=10, text="Lena Varga", label="PERSON",
                kind="name", entity_key="Lena Varga", titles=("Interior Minister",), confidence=0.83)
    any_store.put_analysis(Analysis(article_id=a.id, mentions=(m,), version="1"))
    any_store.put_analysis(Analysis(article_id=a.id, mentions=(m,), version="2"))
    got = queries.get_analysis(any_store, a.id)
    assert got.mentions == (m,) and got.version == "2"


def test_pair_logits_are_kept_once_per_model_and_pair(any_store: Store) -> None:
    # migration 50: a cross-encoder logit is a function of the model and the two texts
    any_store.put_pair_logits("xe-test", [("h1:h2", 1.25), ("h1:h3", -3.5)])
    any_store.put_pair_logits("xe-test", [("h1:h2", 9.0)])  # kept as it was: one pair, one logit
    any_store.put_pair_logits("xe-test+int8", [("h1:h2", 1.5)])
    assert queries.pair_logits(any_store, ["h1:h2", "h1:h3", "h9:h9"], "xe-test") == {"h1:h2": 1.25,
                                                                                      "h1:h3": -3.5}
    assert queries.pair_logits(any_store, ["h1:h2"], "xe-test+int8") == {"h1:h2": 1.5}
    assert queries.pair_logits(any_store, ["h1:h3"], "xe-other") == {}


def test_every_write_of_entity_links_sets_the_link_stamp(any_store: Store) -> None:
    # migration 43: a process keeping a story's links trusts them while the stamp is its own token
    a = _article("Ivo Kostan said the bridge at Brenna would reopen on Monday.")
    any_store.add_article(a)
    m = Mention(id="m_stamp1", article_id=a.id, start=0, end=10, text="Ivo Kostan", label="PERSON",
                kind="name", entity_key="Ivo Kostan", titles=())
    any_store.put_analysis(Analysis(article_id=a.id, mentions=(m,), version="1"))
    assert queries.entity_link_stamp(any_store) == ""  # an article not linked yet changes no link
    any_store.put_entities([Entity("e_stamp", "Ivo Kostan", "PERSON")],
                           [EntityLink(a.id, "Ivo Kostan", "e_stamp", "canonical name")], "t_mine")
    assert queries.entity_link_stamp(any_store) == "t_mine"
    any_store.put_entity_links([EntityLink(a.id, "Ivo Kostan", "e_stamp", "by hand")])
    other = queries.entity_link_stamp(any_store)
    assert other not in ("", "t_mine")
    any_store.put_analysis(Analysis(article_id=a.id, mentions=(m,), version="2"))  # its link's count
    assert queries.entity_link_stamp(any_store) not in ("", "t_mine", other)
    with pytest.raises(RuntimeError), any_store.transaction():
        any_store.put_entity_links([], "t_dropped")
        raise RuntimeError("rolled back")
    assert queries.entity_link_stamp(any_store) not in ("t_dropped", "t_mine", other)


def test_stale_articles_are_read_page_by_page_in_arrival_order(any_store: Store) -> None:
    arts = [_article(f"Report number {n} on the flooded valley road.") for n in range(7)]
    for a in arts:
        any_store.add_article(a)
    any_store.put_analysis(Analysis(article_id=arts[1].id, version="2"))  # current: not stale
    any_store.put_analysis(Analysis(article_id=arts[2].id, version="1"))  # older version: stale
    assert queries.count_stale_analyses(any_store, "2") == 6
    pages = queries.stale_articles(any_store, "2", page=2)
    got = [next(pages), next(pages)]  # the first page: nothing read beyond it yet
    any_store.put_analysis(Analysis(article_id=arts[5].id, version="2"))  # analysed meanwhile
    got += list(pages)  # an article behind the cursor that stays stale is not read again
    assert got == [arts[i] for i in (0, 2, 3, 4, 6)]


def test_whole_tables_are_read_in_pages_and_id_lists_in_chunks(
    any_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    arts = [_article(f"Dispatch {n} from the harbour strike.") for n in range(5)]
    for n, a in enumerate(arts):
        any_store.add_article(a, signature=bytes([n]))
    assert list(queries.iter_articles(any_store, page=2)) == arts  # arrival order across pages
    assert dict(queries.iter_signatures(any_store, page=2)) == {a.id: bytes([n]) for n, a in enumerate(arts)}
    monkeypatch.setattr(queries, "_CHUNK", 2)  # IN lists of two: arrival order across chunks
    assert queries.list_articles(any_store, [arts[4].id, arts[0].id, arts[2].id, arts[0].id]) == \
        [arts[0], arts[2], arts[4]]


def _analysis_records(aid: str) -> dict[str, tuple[Any, ...]]:
    """One or two records of every analysed kind, stored out of text order on purpose."""
    return {
        "mentions": (
            Mention(id="m2", article_id=aid, start=25, end=29, text="port", label="FAC", kind="description",
                    entity_key="the port"),
            Mention(id="m1", article_id=aid, start=0, end=10, text="Lena Varga", label="PERSON", kind="name",
                    entity_key="Lena Varga", titles=("Interior Minister", "MP"), confidence=0.83),
        ),
        "quotes": (Quote(id="q1", article_id=aid, kind="reported", content="the port would stay closed",
                         content_start=16, content_end=42, speaker="Lena Varga", speaker_start=0,
                         speaker_end=10, speaker_key="Lena Varga", cue="said", cue_start=11, cue_end=15),),
        "events": (Event(id="e1", article_id=aid, trigger="close", trigger_start=36, trigger_end=42,
                         sentence_start=0, sentence_end=43, type="RESTRICT", mode="reported",
                         amount_ids=("x1",), negated=False, confidence=0.5),),
        "times": (TimeExpr(id="t1", article_id=aid, start=44, end=50, text="Sunday", value_start="2025-09-14",
                           value_end="2025-09-14", precision="day", relative=True),),
        "amounts": (Amount(id="x1", article_id=aid, start=51, end=56, text="3,000", value=3000.0,
                           counted="workers", approx=None),),
    }


def test_every_analysis_record_reads_back_equal_and_in_text_order(any_store: Store) -> None:
    a = _article("Lena Varga said the port would stay closed on Sunday 3,000 workers.")
    any_store.add_article(a)
    records = _analysis_records(a.id)
    any_store.put_analysis(Analysis(article_id=a.id, version="7", **records))
    got = queries.get_analyses(any_store, [a.id, "a_missing"])
    assert got["a_missing"] == Analysis(article_id="a_missing")
    assert got[a.id].version == "7"
    assert got[a.id].mentions == tuple(reversed(records["mentions"]))  # sorted by start
    for name in ("quotes", "events", "times", "amounts"):
        assert getattr(got[a.id], name) == records[name]
    # Built by setting slots: same field types as the constructor gives (tuples, floats stay floats).
    m = got[a.id].mentions[0]
    assert type(m.titles) is tuple and type(m.confidence) is float
    assert type(got[a.id].amounts[0].value) is float
    expected = Analysis(article_id=a.id, version="7", **{**records, "mentions": records["mentions"][::-1]})
    assert repr(got[a.id]) == repr(expected)


@pytest.mark.parametrize("change", ["as_written", "missing_default", "unknown_key", "reordered"])
def test_stored_rows_of_any_schema_read_like_from_dict(change: str) -> None:
    for record in (r for rs in _analysis_records("a_1").values() for r in rs):
        data = to_dict(record)
        if change == "missing_default":
            data.pop("confidence")
        elif change == "unknown_key":
            data["added_later"] = [1, 2]
        elif change == "reordered":
            data = dict(reversed(list(data.items())))
        expected = from_dict(type(record), dict(data))
        built = queries._record_builder(type(record))(data)
        assert built == expected and repr(built) == repr(expected)


def test_merged_story_id_still_resolves(any_store: Store) -> None:
    a, b = _article("First report of the flood."), _article("Second report of the flood.", "Other")
    for x in (a, b):
        any_store.add_article(x)
    any_store.put_story(Story(id="s_a", title="Flood", last_update="2025-09-14"))
    any_store.put_story(Story(id="s_b", title="Flood again", last_update="2025-09-15"))
    any_store.assign(a.id, "s_a", 1.0)
    any_store.assign(b.id, "s_b", 1.0)
    any_store.merge_stories(StoryMerge(from_id="s_b", into_id="s_a", reason="same event", similarity=0.8))
    story = queries.get_story(any_store, "s_b")
    assert story.id == "s_a" and set(story.article_ids) == {a.id, b.id}
    assert [s.id for s in queries.list_stories(any_store)] == ["s_a"]
    with pytest.raises(NotFoundError):
        queries.get_story(any_store, "s_missing")


def test_story_moves_are_recorded_in_order_and_move_the_article(any_store: Store) -> None:
    a, b = _article("First report of the flood."), _article("Report of the fire.", "Other")
    for x in (a, b):
        any_store.add_article(x)
    for sid in ("s_a", "s_b"):
        any_store.put_story(Story(id=sid, title=sid))
    any_store.assign(a.id, "s_a", 1.0)
    any_store.assign(b.id, "s_a", 0.2)
    any_store.move_article(StoryMove(b.id, "s_a", "s_b", "re-clustered", 0.6))
    any_store.move_article(StoryMove(a.id, "s_a", "s_b", "re-clustered", 0.5))
    assert queries.get_story(any_store, "s_b").article_ids == (a.id, b.id)
    moves = queries.story_moves(any_store, ["s_a"])
    assert [(m.article_id, m.from_id, m.into_id, m.similarity) for m in moves] == [
        (b.id, "s_a", "s_b", 0.6), (a.id, "s_a", "s_b", 0.5)]
    assert all(m.moved_at for m in moves) and queries.story_moves(any_store, ["s_x"]) == []
    with pytest.raises(StoreError):
        any_store.move_article(StoryMove(a.id, "s_b", "s_b", "no-op", 1.0))


def test_copy_link_similarity_keeps_full_precision(any_store: Store) -> None:
    a, b = _article("Wire text about the storm."), _article("Wire text about the storm.", "Copy Daily")
    any_store.add_article(a)
    any_store.add_article(b, copy=CopyLink(b.id, a.id, 0.8123456789, "minhash"))
    assert queries.copies(any_store) == [CopyLink(b.id, a.id, 0.8123456789, "minhash")]


def test_undated_stories_sort_last_on_both_backends(any_store: Store) -> None:
    for sid, last in (("s_old", "2025-01-01"), ("s_none", None), ("s_new", "2025-03-01")):
        any_store.put_story(Story(id=sid, title=sid, last_update=last))
    assert [s.id for s in queries.list_stories(any_store)] == ["s_new", "s_old", "s_none"]
    assert [s.id for s in queries.find_stories(any_store)] == ["s_new", "s_old", "s_none"]


@pytest.fixture
def two_stories(any_store: Store) -> Store:
    """A flood story carried by a wire and a copy plus an independent paper, and a port story."""
    wire = _article("Floodwater breached the Orsk levee and crews evacuated the lower town.", "Wire One",
                    "2025-09-13")
    copy = _article("Floodwater breached the Orsk levee and crews evacuated the lower town.", "Copy Post",
                    "2025-09-14")
    own = _article("Residents of the lower town returned after the levee held a second night.",
                   "Valley Times", "2025-09-15", title="Levee holds")
    port = _article("The harbour authority reopened the container port after repairs.", "Port News",
                    "2025-10-02")
    for x in (wire, own, port):
        any_store.add_article(x)
    any_store.add_article(copy, copy=CopyLink(copy.id, wire.id, 1.0, "exact"))
    any_store.put_story(Story(id="s_flood", title="Levee breach", first_seen="2025-09-13",
                              last_update="2025-09-15"))
    any_store.put_story(Story(id="s_port", title="Port reopens", first_seen="2025-10-02",
                              last_update="2025-10-02"))
    for x in (wire, copy, own):
        any_store.assign(x.id, "s_flood", 1.0)
    any_store.assign(port.id, "s_port", 1.0)
    any_store.put_entities(
        [Entity(id="e_orsk", name="Orsk", label="GPE", aliases=("Orsk levee",), mention_count=2)],
        [EntityLink(wire.id, "Orsk", "e_orsk", "name")],
    )
    return any_store


def test_full_text_search_finds_stemmed_words_and_ranks(two_stories: Store) -> None:
    hits = queries.search_articles(two_stories, "evacuating levee")
    assert {a.outlet for a in hits} == {"Wire One", "Copy Post"}  # porter/english stemming
    assert [a.outlet for a in queries.search_articles(two_stories, "levee held")] == ["Valley Times"]
    assert queries.search_articles(two_stories, "levee", limit=1, offset=5) == []


@pytest.mark.parametrize("query", ['"', "levee' OR 1=1 --", "NEAR(levee", "*", "x%_\\", "levee)) ;DROP"])
def test_search_input_is_never_syntax(two_stories: Store, query: str) -> None:
    queries.search_articles(two_stories, query)  # never raises
    queries.find_stories(two_stories, text=query)
    assert queries.count_articles(two_stories) == 4


def test_find_stories_filters_by_text_outlet_and_dates(two_stories: Store) -> None:
    def ids(**kw: Any) -> list[str]:
        return [s.id for s in queries.find_stories(two_stories, **kw)]

    assert ids() == ["s_port", "s_flood"]
    assert ids(text="container port") == ["s_port"]
    assert ids(outlet="valley times") == ["s_flood"]
    assert ids(since="2025-09-20") == ["s_port"]
    assert ids(until="2025-09-30") == ["s_flood"]
    assert ids(since="2025-09-14", until="2025-09-14") == ["s_flood"]
    assert ids(limit=1, offset=1) == ["s_flood"]
    assert queries.count_stories(two_stories, outlet="Copy Post") == 1
    assert queries.find_stories(two_stories, text="levee")[0].article_ids  # members filled


def test_story_counts_count_a_wire_and_its_copy_once(two_stories: Store) -> None:
    counts = queries.story_counts(two_stories, ["s_flood", "s_port"])
    assert counts["s_flood"] == {"articles": 3, "outlets": 3, "independent": 2, "copies": 1, "unknown": 0}
    assert counts["s_port"] == {"articles": 1, "outlets": 1, "independent": 1, "copies": 0, "unknown": 0}


def test_entities_found_by_alias_and_linked_to_stories(two_stories: Store) -> None:
    assert [e.id for e in queries.search_entities(two_stories, "orsk LEVEE")] == ["e_orsk"]
    assert queries.search_entities(two_stories, "%") == []
    assert queries.entity_story_ids(two_stories, "e_orsk") == ["s_flood"]


def test_unknown_url_scheme_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown database URL"):
        connect("mysql://x@y/z")


@pytest.mark.postgres
def test_postgres_unreachable_is_a_store_error_without_password() -> None:
    with pytest.raises(StoreError) as exc:
        Store("postgresql://alice:s3cret@127.0.0.1:1/none?connect_timeout=2")
    assert "s3cret" not in str(exc.value) and "server running" in str(exc.value)


@pytest.mark.postgres
def test_postgres_driver_errors_become_store_errors(pg_server: Any) -> None:
    s = Store(pg_server.new_database())
    try:
        with pytest.raises(StoreError):
            s.add_article(_article("NUL \x00 bytes cannot be stored as PostgreSQL text"))
        assert queries.count_articles(s) == 0
    finally:
        s.close()


def test_analysis_claims_keep_concurrent_runs_apart(any_store: Store) -> None:
    ids = [_store_article(any_store, f"Ferry {i} sailed late from the harbour.") for i in range(3)]
    never: Any = lambda owner, at: False  # noqa: E731
    assert any_store.claim_analysis(ids, "h:1:a", never, limit=2) == ids[:2]
    assert any_store.claim_analysis(ids, "h:2:b", never, limit=5) == ids[2:]  # the rest only
    gone: Any = lambda owner, at: owner == "h:1:a"  # noqa: E731
    assert any_store.claim_analysis(ids, "h:3:c", gone, limit=5) == ids[:2]  # a dead owner's claims
    any_store.put_analysis(Analysis(article_id=ids[0], version="t"))  # stored: its claim goes
    # listed as stale before another run analysed it: not claimed again
    assert any_store.claim_analysis(ids[:1], "h:4:d", never, limit=5, version="t") == []
    any_store.release_claims("h:3:c")
    any_store.release_claims("h:2:b")
    assert any_store.fetchall("SELECT COUNT(*) AS n FROM analysis_claims")[0]["n"] == 0


def test_fusion_queue_keeps_order_and_a_reanalysis_requeues_the_story(any_store: Store) -> None:
    aid = _store_article(any_store, "The ferry sailed late from the harbour on Monday.")
    any_store.queue_fusion(["s_b", "s_a"])
    any_store.queue_fusion(["s_a", "s_c"])  # queued already: keeps its place
    assert queries.pending_fusion_ids(any_store) == ["s_b", "s_a", "s_c"]
    any_store.fusion_done(["s_b", "s_a", "s_c"])
    any_store.assign(aid, "s_x", 1.0)
    any_store.put_analysis(Analysis(article_id=aid, version="t"))
    assert queries.pending_fusion_ids(any_store) == ["s_x"]


def _store_article(store: Store, text: str) -> str:
    article = _article(text)
    store.add_article(article)
    return article.id


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_concurrent_processes_migrating_a_fresh_database_all_succeed(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    import subprocess
    import sys

    pg = request.getfixturevalue("pg_server") if backend == "postgresql" else None
    url = pg.new_database() if pg else str(tmp_path / "fresh.db")
    cmd = [sys.executable, "-m", "newsfuse.cli", "db", "migrate", "--db", url, "--json"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(8)]
    results = [(p.wait(timeout=300), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    assert [code for code, _, _ in results] == [0] * 8, [err for _, _, err in results]
    with Store(url) as s:
        assert s.schema_version() == max(v for v, _, _ in MIGRATIONS)
        applied = s.fetchall("SELECT version, COUNT(*) AS n FROM schema_migrations GROUP BY version")
        assert {r["n"] for r in applied} == {1}


def test_an_analysed_article_is_queued_for_placement_until_it_is_placed(any_store: Store) -> None:
    aid = _store_article(any_store, "The ferry sailed late from the harbour on Monday morning.")
    assert queries.articles_to_place(any_store) == []  # not analysed yet: nothing to place
    any_store.put_analysis(Analysis(article_id=aid, version="t"))
    assert queries.articles_to_place(any_store) == [aid]
    any_store.assign(aid, "s_x", 1.0)
    assert queries.articles_to_place(any_store) == []
    any_store.put_analysis(Analysis(article_id=aid, version="u"))  # re-analysed in its story
    assert queries.articles_to_place(any_store) == [] and queries.pending_fusion_ids(any_store) == ["s_x"]


def test_story_counts_articles_of_unknown_outlet_once_together(two_stories: Store) -> None:
    # Two reports nobody named an outlet for: one column, one source, never two.
    first = _article("A second levee near Orsk gave way before dawn, flooding the old mill.", None,
                     "2025-09-15")
    second = _article("Volunteers filled sandbags along the Orsk road all night.", None, "2025-09-15")
    for x in (first, second):
        two_stories.add_article(x)
        two_stories.assign(x.id, "s_flood", 1.0)
    counts = queries.story_counts(two_stories, ["s_flood"])["s_flood"]
    assert counts == {"articles": 5, "outlets": 4, "independent": 3, "copies": 1, "unknown": 2}


def test_the_story_document_count_is_kept_with_the_documents(any_store: Store) -> None:
    """N of the story IDF is kept by the writes (a COUNT(*) per placement read the whole table)."""
    assert queries.story_doc_count(any_store) == 0
    any_store.add_story_docs([("a_1", '{"dam": 1}'), ("a_2", '{"dam": 2}')], [("dam", 2)])
    any_store.add_story_docs([("a_2", '{"dam": 2}'), ("a_3", '{"flood": 1}')], [("flood", 1)])  # a_2 again
    rows = any_store.fetchall("SELECT COUNT(*) AS n FROM story_docs")
    assert queries.story_doc_count(any_store) == rows[0]["n"] == 3


def test_placing_one_article_reads_the_same_in_a_store_ten_times_bigger(tmp_path: Path) -> None:
    """What the fuse stage reads store-wide to place one new article (its queues, the N of the IDF,
    a new story's number) costs the same among 1,000 or 10,000 placed articles: no table scan."""
    steps = {}
    for n in (1_000, 10_000):
        with tiny_store(str(tmp_path / f"{n}.db"), n, "1") as store:
            new = _article("A new report on the flooded valley road.")
            store.add_article(new)
            store.put_analysis(Analysis(article_id=new.id, version="1"))  # queued for placement
            with counted(store) as work:
                assert queries.articles_to_place(store) == [new.id]
                assert queries.story_doc_count(store) == n
                store.put_story(Story(id="s_new", title="new"))
                store.assign(new.id, "s_new", 1.0)
                store.queue_fusion(["s_new"])
                store.forget_placed()
                assert queries.pending_fusion_ids(store) == ["s_new"]
            steps[n] = work.steps
    assert steps[10_000] <= 1.2 * steps[1_000] + 20, steps  # a scan would be ~10x


def test_claim_rows_are_encoded_once_per_value_and_written_as_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-fuse writes its story's claims again: an equal claim's row JSON is reused (not encoded
    again), a changed one is encoded and stored as it now is."""
    from newsfuse.models import Claim, ClaimSource, Span
    from newsfuse.store import store as store_mod

    encoded: list[str] = []
    plain = store_mod._json
    monkeypatch.setattr(store_mod, "_json", lambda r: encoded.append(getattr(r, "id", "")) or plain(r))
    monkeypatch.setattr(store_mod, "CLAIM_ROWS", store_mod._ClaimRows())
    source = ClaimSource("a1", "Outlet", evidence=(Span("a1", 0, 4, "Rain"),))
    one = Claim("c_1", "s1", "event", "Rain fell.", "single-source", 1, (source,))
    two = Claim("c_2", "s1", "event", "The river rose.", "single-source", 1, (source,))
    with Store(str(tmp_path / "rows.db")) as store:
        store.put_story(Story(id="s1", title="Rain"))
        encoded.clear()
        store.put_claims("s1", [one, two])
        assert sorted(encoded) == ["c_1", "c_2"]
        encoded.clear()
        again = Claim("c_1", "s1", "event", "Rain fell.", "single-source", 1, (source,))  # equal, not `is`
        changed = Claim("c_2", "s1", "event", "The river rose.", "corroborated", 2, (source, source))
        store.put_claims("s1", [again, changed])
        assert encoded == ["c_2"]
        assert queries.story_claims(store, "s1") == [again, changed]


def test_put_claims_writes_only_changed_rows_and_deletes_gone_ones(any_store: Store) -> None:
    """A re-fuse's claims: an equal row is left as stored (a mark set on its kind column stays), a
    changed one is rewritten, a new one inserted, one no longer made deleted; another story's row of
    the same ID keeps its story."""
    from newsfuse.models import Claim, ClaimSource, Span

    src = ClaimSource("a_rows1", "Tarn Post", evidence=(Span("a_rows1", 0, 5, "Hail"),))
    kept = Claim("c_rows_kept", "s_rows", "event", "Hail hit Orvel.", "single-source", 1, (src,))
    old = Claim("c_rows_changed", "s_rows", "event", "The dyke held.", "single-source", 1, (src,))
    gone = Claim("c_rows_gone", "s_rows", "event", "Ferries stopped.", "single-source", 1, (src,))
    other = Claim("c_rows_other", "s_rows_b", "event", "Schools shut.", "single-source", 1, (src,))
    for sid in ("s_rows", "s_rows_b"):
        any_store.put_story(Story(id=sid, title=sid))
    any_store.put_claims("s_rows_b", [other])
    any_store.put_claims("s_rows", [kept, old, gone])
    with any_store.transaction():
        any_store.db.execute("UPDATE claims SET kind = 'marked' WHERE story_id = 's_rows'")
    changed = Claim("c_rows_changed", "s_rows", "event", "The dyke held.", "corroborated", 2, (src, src))
    new = Claim("c_rows_new", "s_rows", "event", "Roads closed.", "single-source", 1, (src,))
    stolen = Claim("c_rows_other", "s_rows", "event", "Schools shut.", "corroborated", 2, (src,))
    any_store.put_claims("s_rows", [new, changed, kept, stolen])
    rows = {r["id"]: (r["story_id"], r["kind"]) for r in any_store.db.fetchall("SELECT * FROM claims")}
    assert rows == {"c_rows_kept": ("s_rows", "marked"), "c_rows_changed": ("s_rows", "event"),
                    "c_rows_new": ("s_rows", "event"), "c_rows_other": ("s_rows_b", "event")}
    assert queries.story_claims(any_store, "s_rows") == [changed, kept, new]
    assert queries.story_claims(any_store, "s_rows_b") == [other]


def test_put_timeline_rewrites_only_changed_lines(any_store: Store) -> None:
    """A re-fused timeline: lines equal at their place stay as stored, changed ones are rewritten,
    lines past the new end go; on SQLite only the changed rows are written."""
    from newsfuse.models import TimelineEntry

    def line(day: str, text: str) -> TimelineEntry:
        return TimelineEntry("s_tl_rows", day, day, "day", text)

    any_store.put_story(Story(id="s_tl_rows", title="Floods"))
    first = [line("2026-03-01", "The Vell burst its banks."), line("2026-03-02", "Bridges shut."),
             line("2026-03-03", "Water fell.")]
    any_store.put_timeline("s_tl_rows", first)
    conn = getattr(any_store.db, "conn", None)
    before = conn.total_changes if isinstance(conn, sqlite3.Connection) else None
    second = [first[0], line("2026-03-02", "Two bridges shut.")]
    any_store.put_timeline("s_tl_rows", second)
    assert queries.story_timeline(any_store, "s_tl_rows") == second
    if before is not None and isinstance(conn, sqlite3.Connection):
        assert conn.total_changes - before == 2  # one line rewritten, one deleted
    any_store.put_timeline("s_tl_rows", [])
    assert queries.story_timeline(any_store, "s_tl_rows") == []


def test_kept_claim_rows_can_be_held_to_a_number_of_rows() -> None:
    from newsfuse.models import Claim, ClaimSource, Span
    from newsfuse.store import store as store_mod

    rows = store_mod._ClaimRows()
    src = ClaimSource("a_rows_most1", "Vell Courier", evidence=(Span("a_rows_most1", 0, 4, "Gale"),))
    claims = [Claim(f"c_rows_most{n}", "s_rows_most", "event", f"Gale {n} hit Vell.", "single-source", 1,
                    (src,)) for n in range(4)]
    texts = [rows.json_of(c) for c in claims]
    rows.keep_at_most(2)
    assert list(rows._rows) == claims[2:]
    assert rows._bytes == sum(len(t) for t in texts[2:])
    assert rows.json_of(claims[0]) == texts[0]  # dropped rows are encoded again, the same
    assert len(rows._rows) == 2
