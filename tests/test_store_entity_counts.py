"""Mention counts kept on entity links (migration 8), on BOTH backends: written with the link,
refreshed by a re-analysis, backfilled for links stored before the column existed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, Entity, EntityLink, Mention, to_dict
from newsfuse.store import Store, queries
from newsfuse.store import store as store_mod


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "t.db")
    return str(request.getfixturevalue("pg_server").new_database())


@pytest.fixture
def store(url: str) -> Iterator[Store]:
    s = Store(url)
    yield s
    s.close()


TEXT = "Lena Varga said the port would stay closed. Varga later met Tom Reis. Varga left."


def _analysed(store: Store, text: str = TEXT, outlet: str = "Harbour Gazette") -> Article:
    """An article whose analysis names 'Lena Varga' three times and 'Tom Reis' once."""
    aid = content_id(outlet, text, prefix="a_")
    article = Article(id=aid, text=text, outlet=outlet, published="2025-09-14")
    store.add_article(article)
    store.put_analysis(Analysis(article_id=article.id, mentions=_mentions(article, ["Varga", "Tom Reis"])))
    return article


def _mentions(article: Article, names: list[str]) -> tuple[Mention, ...]:
    out = []
    for name in names:
        key = "Lena Varga" if name == "Varga" else name
        at = -1
        while (at := article.text.find(name, at + 1)) >= 0:
            out.append(Mention(id=content_id(article.id, at, prefix="m_"), article_id=article.id, start=at,
                               end=at + len(name), text=name, label="PERSON", kind="name", entity_key=key))
    return tuple(out)


def _link(article: Article, key: str, entity: str) -> EntityLink:
    return EntityLink(article.id, key, entity, "canonical name")


def test_links_carry_their_mention_counts(store: Store) -> None:
    a = _analysed(store)
    b = _analysed(store, "Varga spoke again on Monday.", "Other Paper")
    store.put_entities([Entity("e_varga", "Lena Varga", "PERSON"), Entity("e_reis", "Tom Reis", "PERSON")],
                       [_link(a, "Lena Varga", "e_varga"), _link(a, "Tom Reis", "e_reis"),
                        _link(b, "Lena Varga", "e_varga")])
    support = queries.entity_supports(store, ["e_varga", "e_reis", "e_none"])
    assert support["e_varga"] == sorted([(a.id, "Lena Varga", 3), (b.id, "Lena Varga", 1)])
    assert support["e_reis"] == [(a.id, "Tom Reis", 1)]
    assert support["e_none"] == []
    assert queries.entity_support(store, "e_reis") == [(a.id, "Tom Reis", 1)]


def test_reanalysis_refreshes_the_counts_of_existing_links(store: Store) -> None:
    a = _analysed(store)
    store.put_entities([Entity("e_varga", "Lena Varga", "PERSON")], [_link(a, "Lena Varga", "e_varga")])
    first_only = tuple(m for m in _mentions(a, ["Varga"]) if m.start > 0)[:1]
    store.put_analysis(Analysis(article_id=a.id, mentions=first_only))
    assert queries.entity_support(store, "e_varga") == [(a.id, "Lena Varga", 1)]
    store.put_analysis(Analysis(article_id=a.id))
    assert queries.entity_support(store, "e_varga") == [(a.id, "Lena Varga", 0)]


def test_entity_rows_and_links_written_apart_read_back_whole(store: Store) -> None:
    a = _analysed(store)
    entity = Entity("e_varga", "Lena Varga", "PERSON", aliases=("Varga",), article_ids=(a.id,),
                    mention_count=3, evidence=("surname match: Varga",))
    store.put_entity_links([_link(a, "Lena Varga", "e_varga")])
    assert queries.get_entities(store, ["e_varga"]) == {}
    store.put_entity_rows([entity])
    assert queries.get_entity(store, "e_varga") == entity
    assert queries.find_entities_named(store, ["LENA VARGA"]) == {"LENA VARGA": [entity]}


def test_migration_8_backfills_counts_of_links_stored_before_it(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(url, migrate=False)
    try:
        monkeypatch.setattr(store_mod, "MIGRATIONS", [m for m in store_mod.MIGRATIONS if m[0] < 8])
        store.migrate()
        a = Article(id="a_old", text=TEXT, outlet="Harbour Gazette", published="2025-09-14")
        with store.transaction():  # the article, mentions and a link as a store of schema 7 wrote them
            store.db.execute("INSERT INTO articles(id, outlet, published, text, ingested_at, seq) "
                             "VALUES (?, ?, ?, ?, ?, ?)",
                             (a.id, a.outlet, a.published, a.text, "2025-09-14T00:00:00", 1))
            for m in _mentions(a, ["Varga", "Tom Reis"]):
                store.db.execute("INSERT INTO mentions(id, article_id, start_char, end_char, entity_key, "
                                 "label, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 (m.id, a.id, m.start, m.end, m.entity_key, m.label, json.dumps(to_dict(m))))
            store.db.execute("INSERT INTO entity_links(article_id, entity_key, entity_id, reason) "
                             "VALUES (?, ?, ?, ?)", (a.id, "Lena Varga", "e_varga", "canonical name"))
        monkeypatch.undo()
        assert store.migrate()[:1] == [8]  # later migrations follow it
        assert queries.entity_support(store, "e_varga") == [(a.id, "Lena Varga", 3)]
    finally:
        store.close()
