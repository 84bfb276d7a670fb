from __future__ import annotations

import pytest

from newsfuse.errors import NotFoundError
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, CopyLink, Mention, RawInput, Story, StoryMerge
from newsfuse.store import Store, queries


def _article(text: str, outlet: str = "Harbour Gazette") -> Article:
    return Article(id=content_id(outlet, text, prefix="a_"), text=text, outlet=outlet, published="2025-09-14")


def test_migrations_apply_once(store: Store) -> None:
    assert store.schema_version() >= 3
    assert store.migrate() == []


def test_article_roundtrip_and_idempotent(store: Store) -> None:
    a = _article("The river rose two metres overnight, officials said on Sunday.")
    raw = RawInput(id="r_1", source="x.txt", fmt="text", size=10, content=b"raw bytes")
    assert store.add_article(a, raw=raw) is True
    assert store.add_article(a, raw=raw) is False
    assert queries.count_articles(store) == 1
    assert queries.get_article(store, a.id) == a


def test_failed_transaction_leaves_nothing(store: Store) -> None:
    a = _article("A dam on the upper river was breached late on Friday night.")
    with pytest.raises(RuntimeError), store.transaction():
        store.add_article(a)
        raise RuntimeError("crash half-way")
    assert queries.count_articles(store) == 0


def test_analysis_replaced_atomically(store: Store) -> None:
    a = _article("Lena Varga said the port would stay closed.")
    store.add_article(a)
    m = Mention(id="m1", article_id=a.id, start=0, end=10, text="Lena Varga", label="PERSON",
                kind="name", entity_key="Lena Varga", titles=("Interior Minister",))
    store.put_analysis(Analysis(article_id=a.id, mentions=(m,), version="1"))
    store.put_analysis(Analysis(article_id=a.id, mentions=(m,), version="2"))
    got = queries.get_analysis(store, a.id)
    assert got.mentions == (m,) and got.version == "2"


def test_merged_story_id_still_resolves(store: Store) -> None:
    a, b = _article("First report of the flood."), _article("Second report of the flood.", "Other")
    for x in (a, b):
        store.add_article(x)
    store.put_story(Story(id="s_a", title="Flood"))
    store.put_story(Story(id="s_b", title="Flood again"))
    store.assign(a.id, "s_a", 1.0)
    store.assign(b.id, "s_b", 1.0)
    store.merge_stories(StoryMerge(from_id="s_b", into_id="s_a", reason="same event", similarity=0.8))
    story = queries.get_story(store, "s_b")
    assert story.id == "s_a" and set(story.article_ids) == {a.id, b.id}
    assert [s.id for s in queries.list_stories(store)] == ["s_a"]
    with pytest.raises(NotFoundError):
        queries.get_story(store, "s_missing")


def test_copy_link_recorded(store: Store) -> None:
    a, b = _article("Wire text about the storm."), _article("Wire text about the storm.", "Copy Daily")
    store.add_article(a)
    store.add_article(b, copy=CopyLink(b.id, a.id, 1.0, "exact"))
    assert queries.copies(store) == [CopyLink(b.id, a.id, 1.0, "exact")]
