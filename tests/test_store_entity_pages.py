"""An entity's articles a page at a time, newest first (migration 22), on BOTH backends: every article
once across the pages, in date-then-ID order, with the kept total and a cursor; a new date moves an
article; a bad cursor is a clear error; the page query reads the index, not every link."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsfuse import defaults
from newsfuse.errors import ConfigError
from newsfuse.export import entity_rows
from newsfuse.fuse.report import entity_data
from newsfuse.models import Article, Entity, EntityLink
from newsfuse.store import Store, queries

N = 230  # articles naming the one big entity: several pages of any size tried


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    url = str(tmp_path / "t.db") if request.param == "sqlite" else str(
        request.getfixturevalue("pg_server").new_database())
    s = Store(url)
    yield s
    s.close()


def _fill(store: Store) -> list[Article]:
    """N articles naming 'Mara Vell' (every seventh undated, every fifth by two of its names: two
    links to one entity) and a small entity named in three of them."""
    articles = [Article(id=f"a_{n:04d}", text=f"Mara Vell spoke at the harbour, report {n}.",
                        outlet=f"Outlet {n % 9}",
                        published=None if n % 7 == 0 else f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}")
                for n in range(N)]
    for a in articles:
        store.add_article(a)
    links = [EntityLink(a.id, "Mara Vell", "e_vell", "canonical name") for a in articles]
    links += [EntityLink(a.id, "Vell", "e_vell", "surname") for a in articles[::5]]
    links += [EntityLink(a.id, "Harbour Board", "e_board", "canonical name") for a in articles[:3]]
    store.put_entities([Entity(id="e_vell", name="Mara Vell", label="PERSON"),
                        Entity(id="e_board", name="Harbour Board", label="ORG")], links)
    return articles


def _newest_first(articles: list[Article]) -> list[str]:
    return [a.id for a in sorted(articles, key=lambda a: (a.published or "", a.id), reverse=True)]


def _walk(store: Store, entity_id: str, limit: int) -> tuple[list[str], list[int], int]:
    ids, sizes, cursor, total = [], [], None, -1
    while True:
        page = queries.entity_article_page(store, entity_id, limit, cursor)
        ids += page.ids
        sizes.append(len(page.ids))
        total = page.total
        if page.next_cursor is None:
            return ids, sizes, total
        cursor = page.next_cursor


@pytest.mark.parametrize("limit", [1, 37, 50, 500])
def test_pages_hold_every_article_once_newest_first(store: Store, limit: int) -> None:
    articles = _fill(store)
    ids, sizes, total = _walk(store, "e_vell", limit)
    assert ids == _newest_first(articles)  # each article once, though a fifth are linked twice
    assert total == N
    assert all(n == limit for n in sizes[:-1]) and 0 < sizes[-1] <= limit


def test_a_new_date_moves_the_article(store: Store) -> None:
    articles = _fill(store)
    oldest = _newest_first(articles)[-1]  # an undated article sorts last
    store.set_published(oldest, "2026-01-01", "estimated")
    assert queries.entity_article_page(store, "e_vell", 1).ids == (oldest,)


def test_links_written_after_the_date_carry_it(store: Store) -> None:
    _fill(store)
    late = Article(id="a_late", text="Mara Vell returned.", outlet="Outlet 1", published="2027-05-05")
    store.add_article(late)
    store.put_entities([], [EntityLink(late.id, "Mara Vell", "e_vell", "canonical name")])
    page = queries.entity_article_page(store, "e_vell", 2)
    assert page.ids[0] == "a_late" and page.total == N + 1


def test_a_small_entity_is_one_page(store: Store) -> None:
    articles = _fill(store)
    page = queries.entity_article_page(store, "e_board")
    assert page == queries.ArticlePage(tuple(_newest_first(articles[:3])), 3, None)


@pytest.mark.parametrize("cursor", ["nonsense", "W10", "WyJhIl0", ""])
def test_a_cursor_not_given_by_the_store_is_a_clear_error(store: Store, cursor: str) -> None:
    _fill(store)
    with pytest.raises(ConfigError, match="next_cursor"):
        queries.entity_article_page(store, "e_vell", 10, cursor)


def test_report_and_export_carry_a_page_a_total_and_a_cursor(store: Store) -> None:
    articles = _fill(store)
    vell = queries.get_entity(store, "e_vell", articles=False)
    data = entity_data(store, vell, 20)
    assert data["article_ids"] == _newest_first(articles)[:20]
    assert data["article_total"] == N and data["next_cursor"]
    rows = {r["id"]: r for r in entity_rows(store)}
    assert len(rows["e_vell"]["article_ids"]) == defaults.PAGE_SIZE
    assert rows["e_vell"]["article_total"] == N
    assert rows["e_board"]["next_cursor"] is None and len(rows["e_board"]["article_ids"]) == 3


def test_the_page_reads_the_index(tmp_path: Path) -> None:
    """SQLite's plan for a page: the (entity, date, article) index, no sort of every link."""
    with Store(str(tmp_path / "p.db")) as store:
        _fill(store)
        plan = store.fetchall("EXPLAIN QUERY PLAN SELECT DISTINCT published, article_id FROM entity_links "
                              "WHERE entity_id = ? ORDER BY published DESC, article_id DESC LIMIT 51",
                              ("e_vell",))
    details = " ".join(str(r["detail"]) for r in plan)
    assert "entity_links_entity_newest" in details and "TEMP B-TREE" not in details


def test_api_and_page_follow_the_cursor(tmp_path: Path) -> None:
    """GET /api/entities/{id}: a page of the entity's articles with total and next_url; following
    next_url to the end gives every article once; a bad cursor is a 422 naming the fix; the page
    says how many articles the entity has and links to older ones."""
    from fastapi.testclient import TestClient

    from newsfuse.api import create_app

    url = str(tmp_path / "api.db")
    with Store(url) as store:
        articles = _fill(store)
    with TestClient(create_app(url), raise_server_exceptions=False) as client:
        data = client.get("/api/entities/e_vell", params={"limit": 100}).json()
        assert data["articles"]["total"] == N and data["articles"]["count"] == 100
        seen = list(data["entity"]["article_ids"])
        while data["articles"]["next_url"]:
            data = client.get(data["articles"]["next_url"]).json()
            seen += data["entity"]["article_ids"]
        assert seen == _newest_first(articles)
        bad = client.get("/api/entities/e_vell", params={"cursor": "nonsense"})
        assert bad.status_code == 422 and "next_cursor" in bad.text
        html = client.get("/entities/e_vell", params={"limit": 40}).text
        assert f"in {N} articles" in html and 'rel="next"' in html and "cursor=" in html


def test_stories_are_counted_by_month_in_the_database(store: Store) -> None:
    """The entity page lists at most MAX_PAGE_SIZE of its stories; their number and months come from
    one aggregate, whatever the number of stories."""
    from newsfuse.models import Story

    articles = _fill(store)
    days = ["2025-01-05", "2025-01-20", "2025-03-02", "", None]
    with store.transaction():
        for n, day in enumerate(days):
            store.put_story(Story(id=f"s_{n}", title=f"story {n}", first_seen=day, last_update=day))
        for k, a in enumerate(articles[:50]):
            store.assign(a.id, f"s_{k % len(days)}", 1.0)
    assert queries.entity_story_months(store, "e_vell") == {"2025-01": 2, "2025-03": 1, "": 2}
    assert len(queries.entity_story_ids(store, "e_vell", 2)) == 2
    assert len(queries.entity_story_ids(store, "e_vell")) == 5


def test_migration_22_dates_links_stored_before_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfuse.store import store as store_mod

    s = Store(str(tmp_path / "old.db"), migrate=False)
    try:
        monkeypatch.setattr(store_mod, "MIGRATIONS", [m for m in store_mod.MIGRATIONS if m[0] < 22])
        s.migrate()
        old, new = (Article(id=f"a_{d}", text="Mara Vell.", outlet="O", published=d)
                    for d in ("2024-01-01", "2025-06-30"))
        for a in (old, new):
            s.add_article(a)
        with s.transaction():  # links as a store of schema 21 wrote them: no date
            s.db.executemany("INSERT INTO entity_links(article_id, entity_key, entity_id, reason, mentions) "
                             "VALUES (?, 'Mara Vell', 'e_vell', 'canonical name', 1)", [(old.id,), (new.id,)])
            s.db.execute("INSERT INTO entities(id, name, label, data, link_articles) "
                         "VALUES ('e_vell', 'Mara Vell', 'PERSON', '{}', 2)")
        monkeypatch.undo()
        assert [v for v in s.migrate() if v <= 22] == [22]  # (and any later migration)
        assert queries.entity_article_page(s, "e_vell").ids == (new.id, old.id)
    finally:
        s.close()
