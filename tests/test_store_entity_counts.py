"""Mention counts kept on entity links (migration 8), on BOTH backends: written with the link,
refreshed by a re-analysis, backfilled for links stored before the column existed."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, Entity, EntityLink, Mention, to_dict
from newsfuse.store import Store, queries
from newsfuse.store import store as store_mod

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


def test_links_carry_their_mention_counts(any_store: Store) -> None:
    a = _analysed(any_store)
    b = _analysed(any_store, "Varga spoke again on Monday.", "Other Paper")
    people = [Entity("e_varga", "Lena Varga", "PERSON"), Entity("e_reis", "Tom Reis", "PERSON")]
    any_store.put_entities(people, [_link(a, "Lena Varga", "e_varga"), _link(a, "Tom Reis", "e_reis"),
                                    _link(b, "Lena Varga", "e_varga")])
    support = queries.entity_supports(any_store, ["e_varga", "e_reis", "e_none"])
    assert support["e_varga"] == sorted([(a.id, "Lena Varga", 3), (b.id, "Lena Varga", 1)])
    assert support["e_reis"] == [(a.id, "Tom Reis", 1)]
    assert support["e_none"] == []
    assert queries.entity_support(any_store, "e_reis") == [(a.id, "Tom Reis", 1)]


def test_reanalysis_refreshes_the_counts_of_existing_links(any_store: Store) -> None:
    a = _analysed(any_store)
    any_store.put_entities([Entity("e_varga", "Lena Varga", "PERSON")], [_link(a, "Lena Varga", "e_varga")])
    first_only = tuple(m for m in _mentions(a, ["Varga"]) if m.start > 0)[:1]
    any_store.put_analysis(Analysis(article_id=a.id, mentions=first_only))
    assert queries.entity_support(any_store, "e_varga") == [(a.id, "Lena Varga", 1)]
    any_store.put_analysis(Analysis(article_id=a.id))
    assert queries.entity_support(any_store, "e_varga") == [(a.id, "Lena Varga", 0)]


def test_entity_rows_and_links_written_apart_read_back_whole(any_store: Store) -> None:
    a = _analysed(any_store)
    entity = Entity("e_varga", "Lena Varga", "PERSON", aliases=("Varga",), article_ids=(a.id,),
                    mention_count=3, evidence=("surname match: Varga",))
    any_store.put_entity_links([_link(a, "Lena Varga", "e_varga")])
    assert queries.get_entities(any_store, ["e_varga"]) == {}
    any_store.put_entity_rows([entity])
    assert queries.get_entity(any_store, "e_varga") == entity
    # what resolution reads has no article list (the links give it, to the pages that show it)
    row = replace(entity, article_ids=())
    assert queries.find_entities_named(any_store, ["LENA VARGA"]) == {"LENA VARGA": [row]}


def _totals_match_links(store: Store, ids: list[str]) -> dict[str, tuple[int, int]]:
    """The totals kept on the rows (migration 20), checked against a count over the links."""
    totals = queries.entity_totals(store, ids)
    for eid, rows in queries.entity_supports(store, ids).items():
        assert totals.get(eid, (0, 0)) == (len({a for a, _, _ in rows}), sum(n for _, _, n in rows))
    return totals


def test_entity_totals_follow_every_write_of_links(any_store: Store) -> None:
    a = _analysed(any_store)
    b = _analysed(any_store, "Varga spoke again on Monday. Tom Reis did not.", "Other Paper")
    ids = ["e_varga", "e_reis"]
    people = [Entity("e_varga", "Lena Varga", "PERSON"), Entity("e_reis", "Tom Reis", "PERSON")]
    any_store.put_entities(people, [_link(a, "Lena Varga", "e_varga"), _link(a, "Tom Reis", "e_reis")])
    assert _totals_match_links(any_store, ids) == {"e_varga": (1, 3), "e_reis": (1, 1)}
    any_store.put_entity_links([_link(b, "Lena Varga", "e_varga"), _link(b, "Tom Reis", "e_varga")])
    assert _totals_match_links(any_store, ids) == {"e_varga": (2, 5), "e_reis": (1, 1)}  # b counted once
    any_store.put_entity_links([_link(b, "Tom Reis", "e_reis")])  # a link that moves to another entity
    assert _totals_match_links(any_store, ids) == {"e_varga": (2, 4), "e_reis": (2, 2)}
    any_store.put_entity_links([_link(b, "Tom Reis", "e_reis")])  # written again: nothing changes
    assert _totals_match_links(any_store, ids)["e_reis"] == (2, 2)
    any_store.put_analysis(Analysis(article_id=a.id))  # a re-analysis without names: links keep 0 mentions
    assert _totals_match_links(any_store, ids) == {"e_varga": (2, 1), "e_reis": (2, 1)}
    any_store.put_entity_rows([Entity("e_varga", "Lena Varga", "PERSON", aliases=("Varga",))])  # row alone
    assert _totals_match_links(any_store, ids)["e_varga"] == (2, 1)
    assert queries.get_entity(any_store, "e_varga").article_ids == tuple(sorted([a.id, b.id]))


def test_migration_20_keeps_the_totals_and_drops_the_article_list_of_rows_stored_before_it(
    any_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(any_url, migrate=False)
    try:
        # every migration but 20 (later ones hold tables an analysis write needs); pending ones are
        # those not recorded, so 20 still applies after them
        monkeypatch.setattr(store_mod, "MIGRATIONS", [m for m in store_mod.MIGRATIONS if m[0] != 20])
        store.migrate()
        a = _analysed(store)
        old = Entity("e_varga", "Lena Varga", "PERSON", aliases=("Varga",), article_ids=(a.id, "a_gone"),
                     mention_count=9)
        with store.transaction():  # the row and link as a store of schema 19 wrote them
            store.db.execute("INSERT INTO entities(id, name, label, data) VALUES (?, ?, ?, ?)",
                             (old.id, old.name, old.label, json.dumps(to_dict(old))))
            store.db.execute("INSERT INTO entity_links(article_id, entity_key, entity_id, reason, mentions) "
                             "VALUES (?, ?, ?, ?, ?)", (a.id, "Lena Varga", "e_varga", "canonical name", 3))
        monkeypatch.undo()
        assert store.migrate()[:1] == [20]
        assert _totals_match_links(store, ["e_varga"]) == {"e_varga": (1, 3)}
        raw = json.loads(store.fetchall("SELECT data FROM entities WHERE id = 'e_varga'")[0]["data"])
        assert raw["article_ids"] == [] and raw["aliases"] == ["Varga"]
        assert queries.get_entity(store, "e_varga") == replace(old, article_ids=(a.id,), mention_count=3)
    finally:
        store.close()


def test_migration_8_backfills_counts_of_links_stored_before_it(
    any_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(any_url, migrate=False)
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
