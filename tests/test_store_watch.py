"""Watch state in the store (migration 13) on SQLite and PostgreSQL: sources' poll records, the URL
queue and what became of each URL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsfuse.store import Store, queries


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = str(tmp_path / "w.db")
    else:
        url = request.getfixturevalue("pg_server").new_database()
    s = Store(url)
    yield s
    s.close()


def test_poll_records_queue_and_outcomes(any_store: Store) -> None:
    s = any_store
    src = "https://a.example/rss"
    s.put_watch_source(src, "Alpha", "feed", 300.0)
    s.put_watch_source(src, "Alpha News", "feed", 120.0)  # settings change, history stays
    s.record_poll(src, next_poll=100.0, etag='"v1"', last_modified="Tue, 04 Mar 2025 10:00:00 GMT",
                  body_hash="r_1", new_urls=[("https://a.example/1", "one"), ("https://a.example/2", None)])
    s.record_poll(src, next_poll=200.0, new_urls=[("https://a.example/1", "one again")])  # 304: no validators
    row = queries.watch_source(s, src)
    assert row is not None
    assert (row["name"], row["poll_interval"], row["etag"], row["polls"], row["listed"]) == (
        "Alpha News", 120.0, '"v1"', 2, 3)
    assert queries.known_urls(s, ["https://a.example/1", "https://a.example/9"]) == {"https://a.example/1"}
    assert [r["url"] for r in queries.queued_urls(s, 0.0, 10)] == ["https://a.example/1", "https://a.example/2"]

    s.finish_url("https://a.example/1", "retry", attempts=1, next_try=50.0, error="HTTP 503")
    assert [r["url"] for r in queries.queued_urls(s, 10.0, 10)] == ["https://a.example/2"]
    assert queries.next_queued_try(s) == 0.0
    s.finish_url("https://a.example/2", "done", attempts=1, content_hash="r_page", article_id="a_2",
                 final_url="https://a.example/two")
    s.alias_url("https://a.example/two", src, "https://a.example/2")
    assert queries.url_with_content(s, "r_page") == "https://a.example/2"
    assert queries.watch_counts(s) == {"queued": 1, "done": 1, "duplicate": 1}

    s.record_poll(src, next_poll=900.0, error="the server answered HTTP 500")
    s.record_poll(src, next_poll=1900.0, error="the server answered HTTP 500")
    (summary,) = queries.watch_sources(s)
    assert (summary["failures"], summary["errors"], summary["articles"], summary["queued"]) == (2, 2, 1, 1)
    assert summary["last_new"] and summary["etag"] == '"v1"'  # a failure keeps the validators
    s.record_poll(src, next_poll=2000.0)
    assert queries.watch_sources(s)[0]["failures"] == 0


def test_unplaced_articles(any_store: Store) -> None:
    from newsfuse.ids import content_id
    from newsfuse.models import Article

    text = "The harbour board met on Monday and approved the new ferry timetable for the winter."
    a = Article(id=content_id("Port News", text, prefix="a_"), text=text, outlet="Port News")
    any_store.add_article(a)
    assert queries.unplaced_article_ids(any_store) == [a.id]
