"""Watched sources on the API (/api/sources) and the web page (/sources), from watch state written
the way the watch writes it; the page in headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from liveapp import chromium, serve

from newsfuse.api import create_app
from newsfuse.store import Store

HOSTILE = '<script>alert("x")</script> Post'


@pytest.fixture
def watched(tmp_path: Path) -> str:
    db = str(tmp_path / "watched.db")
    with Store(db) as s:
        s.put_watch_source("https://good.example/rss", "Good Times", "feed", 300.0)
        s.put_watch_source("https://bad.example/rss", HOSTILE, "auto", 300.0)
        s.record_poll("https://good.example/rss", next_poll=0.0, etag='"a"',
                      new_urls=[("https://good.example/a/1", "one"), ("https://good.example/a/2", "two")])
        s.finish_url("https://good.example/a/1", "done", attempts=1, article_id="a_1")
        for _ in range(3):
            s.record_poll("https://bad.example/rss", next_poll=0.0, error="the server answered HTTP 503")
    return db


def test_api_sources(watched: str) -> None:
    with TestClient(create_app(watched)) as client:
        r = client.get("/api/sources")
    assert r.status_code == 200
    body = r.json()
    rows = {row["url"]: row for row in body["items"]}
    good, bad = rows["https://good.example/rss"], rows["https://bad.example/rss"]
    assert (good["state"], good["articles"], good["queued"], good["errors"]) == ("ok", 1, 1, 0)
    assert good["last_new"] and good["last_poll"]
    assert (bad["state"], bad["errors"], bad["failures_in_a_row"]) == ("failing", 3, 3)
    assert "503" in bad["last_error"]
    assert body["totals"]["sources"] == 2 and body["totals"]["urls"] == {"done": 1, "queued": 1}


def test_sources_page_escapes_names(watched: str) -> None:
    with TestClient(create_app(watched)) as client:
        r = client.get("/sources", headers={"Accept": "text/html"})
    assert r.status_code == 200 and "<script>alert" not in r.text and "&lt;script&gt;" in r.text
    assert "Good Times" in r.text and "HTTP 503" in r.text


@pytest.fixture
def server(watched: str) -> Iterator[str]:
    with serve(create_app(watched)) as base:
        yield base


@pytest.mark.browser
def test_sources_page_in_chromium(server: str) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        dialogs: list[Any] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(server + "/sources")
        rows = page.locator("table.sources tbody tr")
        assert rows.count() == 2
        failing = page.locator("tr.state-failing")
        assert failing.count() == 1 and "HTTP 503" in failing.inner_text()
        assert HOSTILE in failing.inner_text() and not dialogs  # shown as text, never run
        ok = page.locator("tr.state-ok").inner_text()
        assert "Good Times" in ok and "never" not in ok.split("\t")[3]  # a last new article is shown
