"""The polite fetcher against a local site: conditional GET, redirects, robots.txt, back-off on 429
and 5xx, timeouts, the size cap; URL normalisation; back-off arithmetic."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

import pytest
from livesite import Site, running_site

from newsfuse import defaults
from newsfuse.errors import FetchError, RobotsDeniedError
from newsfuse.ingest.fetch import Fetcher, canonical_link, normalize_url
from newsfuse.ingest.fetch.backoff import backoff_seconds, parse_retry_after


@pytest.fixture
def site() -> Iterator[Site]:
    with running_site() as s:
        s.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        yield s


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(host_delay=0.0, backoff_base=0.5, read_timeout=1.0) as f:
        yield f


def test_normalize_url_drops_tracking_fragment_default_port_and_sorts_query() -> None:
    a = normalize_url("HTTPS://News.Example.com:443/world/story?utm_source=rss&id=7&b=2&fbclid=x#comments")
    assert a == "https://news.example.com/world/story?b=2&id=7"
    assert normalize_url("/a/b?ref=home", "http://example.com:8080/x") == "http://example.com:8080/a/b"
    assert normalize_url("http://example.com") == "http://example.com/"
    assert normalize_url("http://example.com/a%7eb") == normalize_url("http://example.com/a~b")


def test_canonical_link_same_host_only() -> None:
    page = b'<html><head><link rel="canonical" href="/story/1?utm_medium=x"></head></html>'
    assert canonical_link(page, "http://example.com/amp/story/1") == "http://example.com/story/1"
    other = b'<html><head><link href="https://elsewhere.org/x" rel="canonical"></head></html>'
    assert canonical_link(other, "http://example.com/a") is None


def test_conditional_get_gets_304_with_the_validators(site: Site, fetcher: Fetcher) -> None:
    site.route("/feed.xml", "<rss/>", content_type="application/rss+xml")
    first = fetcher.get(site.url("/feed.xml"))
    assert first.status == 200 and first.etag
    again = fetcher.get(site.url("/feed.xml"), etag=first.etag)
    assert again.not_modified and again.body == b""
    sent = [h for p, h in site.requests if p == "/feed.xml"]
    assert sent[1]["if-none-match"] == first.etag
    assert sent[0]["user-agent"].startswith("newsfuse/")



def test_a_304_keeps_the_connection_for_the_next_poll(
    site: Site, fetcher: Fetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A watch polls hundreds of feeds every few seconds: an unchanged feed costs one request on a
    kept-alive connection, not a new TCP connection per poll."""
    import socket

    site.route("/feed.xml", "<rss/>", content_type="application/rss+xml")
    first = fetcher.get(site.url("/feed.xml"))
    opened: list[object] = []
    connect = socket.create_connection

    def counted(*args: object, **kwargs: object) -> socket.socket:
        opened.append(args[0])
        return connect(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "create_connection", counted)
    for _ in range(3):
        assert fetcher.get(site.url("/feed.xml"), etag=first.etag).not_modified
    assert opened == []  # the connection of the first request served the three polls

def test_redirects_are_followed_and_the_final_url_kept(site: Site, fetcher: Fetcher) -> None:
    site.route("/old", "", status=301, headers={"Location": "/new"}, etag=False)
    site.route("/new", "<html>moved here</html>")
    page = fetcher.get(site.url("/old"))
    assert page.final_url == site.url("/new") and page.body == b"<html>moved here</html>"


def test_robots_disallowed_path_is_never_requested(site: Site, fetcher: Fetcher) -> None:
    site.route("/private/a", "secret")
    site.route("/go", "", status=302, headers={"Location": "/private/a"}, etag=False)
    with pytest.raises(RobotsDeniedError):
        fetcher.get(site.url("/private/a"))
    with pytest.raises(RobotsDeniedError):  # a redirect into the disallowed part is stopped too
        fetcher.get(site.url("/go"))
    assert site.hits("/private/a") == 0
    assert site.hits("/robots.txt") == 1  # read once, then cached


def test_robots_unreadable_disallows_missing_allows() -> None:
    with running_site() as site, Fetcher(host_delay=0.0, backoff_base=0.2) as f:
        site.route("/robots.txt", "down", status=500, content_type="text/plain")
        site.route("/a", "<html>a</html>")
        with pytest.raises(FetchError) as caught:  # not a denial: the site may be back soon
            f.get(site.url("/a"))
        assert caught.value.transient and "robots.txt" in caught.value.reason
        assert site.hits("/a") == 0
    with running_site() as site, Fetcher(host_delay=0.0) as f:
        site.route("/a", "<html>a</html>")  # no robots.txt at all: 404
        assert f.get(site.url("/a")).status == 200


def test_429_with_retry_after_pauses_the_host(site: Site, fetcher: Fetcher) -> None:
    site.route("/busy", "slow down", status=429, headers={"Retry-After": "3"}, content_type="text/plain")
    with pytest.raises(FetchError) as caught:
        fetcher.get(site.url("/busy"))
    assert caught.value.transient and caught.value.status == 429 and caught.value.retry_after == 3.0
    assert fetcher.paused_for(site.url("/other")) > 2.0  # the whole host waits, not just that page


def test_500_is_transient_404_is_not(site: Site, fetcher: Fetcher) -> None:
    site.route("/broken", "oops", status=500, content_type="text/plain")
    with pytest.raises(FetchError) as e500:
        fetcher.get(site.url("/broken"))
    assert e500.value.transient and fetcher.paused_for(site.url("/")) > 0
    with pytest.raises(FetchError) as e404:
        Fetcher(host_delay=0.0).get(site.url("/nothing-here"))
    assert not e404.value.transient and e404.value.status == 404


def test_slow_response_times_out(site: Site) -> None:
    site.route("/slow", "<html>late</html>", delay=1.5)
    with Fetcher(host_delay=0.0, read_timeout=0.3) as f, pytest.raises(FetchError) as caught:
        f.get(site.url("/slow"))
    assert caught.value.transient and "timed out" in caught.value.reason


def test_huge_page_is_refused_while_reading(site: Site) -> None:
    site.route("/huge", b"x" * 300_000)
    with Fetcher(host_delay=0.0, max_bytes=100_000) as f, pytest.raises(FetchError) as caught:
        f.get(site.url("/huge"))
    assert not caught.value.transient and "limit" in caught.value.reason


def test_requests_to_one_host_are_spaced(site: Site) -> None:
    site.route("/a", "<html>a</html>")
    with Fetcher(host_delay=0.3) as f:
        f.get(site.url("/a"))  # robots.txt, then /a: two spaced starts
        started = time.monotonic()
        f.get(site.url("/a"))
        assert time.monotonic() - started >= 0.25


def test_backoff_grows_is_capped_jittered_and_respects_retry_after() -> None:
    rng = random.Random(1)
    waits = [backoff_seconds(n, base=1.0, cap=10.0, rng=rng) for n in range(1, 8)]
    j = defaults.BACKOFF_JITTER
    for n, w in enumerate(waits, 1):
        ideal = min(10.0, 2 ** (n - 1))
        assert ideal * (1 - j) <= w <= ideal * (1 + j)
    assert len({round(w, 6) for w in waits}) == len(waits)  # jitter: no two the same
    assert backoff_seconds(1, retry_after=60.0, base=1.0, cap=3600.0) >= 60.0
    assert parse_retry_after("120") == 120.0 and parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past


def test_ingest_url_reads_a_page_through_the_fetcher(site: Site) -> None:
    from livesite import article_html, rss, story_text

    from newsfuse.ingest.sources import read_path
    from newsfuse.models import Rejection

    title, paras = story_text(3)
    site.route("/amp/3?utm_source=x", article_html(title, paras, "Valley Times", "2025-03-04",
                                                   canonical="/news/3", author="Jo Reporter"))
    ((raw, article),) = list(read_path(site.url("/amp/3?utm_source=x")))  # type: ignore[misc]
    assert article.url == site.url("/news/3") and article.title == title
    assert article.outlet == "Valley Times" and article.published == "2025-03-04"
    assert "inspectors found cracks" in article.text and raw.fmt == "html"
    ((_, same),) = list(read_path(site.url("/amp/3?utm_source=x"), outlet="Other Name"))  # type: ignore[misc]
    assert same.outlet == "Valley Times" and same.id == article.id  # --outlet is only a fallback
    items = [(site.url("/news/3"), title, "Tue, 04 Mar 2025 10:00:00 GMT")]
    site.route("/feed.xml", rss("Valley Times", items), content_type="application/rss+xml")
    (item,) = list(read_path(site.url("/feed.xml")))  # a feed is read as before: its items
    assert not isinstance(item, Rejection) and item[1].title == title
    (denied,) = list(read_path(site.url("/private/page")))
    assert isinstance(denied, Rejection) and "robots.txt" in denied.reason
    assert site.hits("/private/page") == 0


def test_robots_crawl_delay_spaces_requests() -> None:
    with running_site() as site, Fetcher(host_delay=0.0) as f:
        site.route("/robots.txt", "User-agent: newsfuse\nCrawl-delay: 1\nDisallow: /admin/\n",
                   content_type="text/plain")
        site.route("/a", "<html>a</html>")
        f.get(site.url("/a"))
        started = time.monotonic()
        f.get(site.url("/a"))
        assert time.monotonic() - started >= 0.9
        with pytest.raises(RobotsDeniedError):  # the group naming us applies
            f.get(site.url("/admin/x"))
