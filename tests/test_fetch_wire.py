"""The fetcher's wire against a local site: polls answered 304 through a redirect on kept-alive
connections, gzip decoded and capped while inflating, a connection the server dropped replaced,
timeouts and refused connections as transient errors, proxies from the environment through httpx;
the same answers on both wires (``defaults.FETCH_WIRE``)."""

from __future__ import annotations

import gzip
import socket
import zlib
from collections.abc import Iterator

import pytest
from livesite import Site, running_site

from newsfuse import defaults
from newsfuse.errors import FetchError
from newsfuse.ingest.fetch import Fetcher, wire

FEED = "<rss version='2.0'><channel><title>t</title></channel></rss>"


@pytest.fixture
def site() -> Iterator[Site]:
    with running_site() as s:
        s.route("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        s.route("/feed.xml", FEED, content_type="application/rss+xml")
        s.route("/old-feed", "", status=301, headers={"Location": "/feed.xml"}, etag=False)
        yield s


@pytest.mark.parametrize("kind", ["stdlib", "httpx"])
def test_polls_through_a_redirect_answered_304_on_kept_connections(
    site: Site, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(defaults, "FETCH_WIRE", kind)
    with Fetcher(host_delay=0.0) as f:
        first = f.get(site.url("/old-feed"))
        assert first.status == 200 and first.final_url == site.url("/feed.xml")
        assert first.body == FEED.encode()
        assert first.content_type == "application/rss+xml" and first.etag
        since = "Mon, 07 Dec 2026 04:00:00 GMT"
        for _ in range(5):
            again = f.get(site.url("/old-feed"), etag=first.etag, last_modified=since)
            assert again.not_modified and again.body == b"" and again.final_url == site.url("/feed.xml")
        sent = [h for p, h in site.requests if p == "/feed.xml"]
        assert sent[-1]["if-none-match"] == first.etag and sent[-1]["user-agent"].startswith("newsfuse/")
        assert sent[-1]["if-modified-since"].startswith("Mon, 07 Dec")
        if kind == "stdlib":  # robots.txt, the redirect and 12 GETs after it: one connection
            assert f.connections_opened == 1


@pytest.mark.parametrize("kind", ["stdlib", "httpx"])
def test_gzip_is_decoded_and_a_small_gzip_of_a_huge_page_is_refused(
    site: Site, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(defaults, "FETCH_WIRE", kind)
    page = b"<html><p>" + b"words " * 5000 + b"</p></html>"
    site.route("/page", gzip.compress(page), headers={"Content-Encoding": "gzip"})
    site.route("/bomb", gzip.compress(b"x" * 3_000_000), headers={"Content-Encoding": "gzip"})
    raw = zlib.compress(page)[2:-4]  # deflate without its zlib header, as some servers send it
    site.route("/raw-deflate", raw, headers={"Content-Encoding": "deflate"})
    with Fetcher(host_delay=0.0, max_bytes=100_000) as f:
        assert f.get(site.url("/page")).body == page
        assert f.get(site.url("/raw-deflate")).body == page
        with pytest.raises(FetchError) as caught:
            f.get(site.url("/bomb"))
        assert not caught.value.transient and "limit" in caught.value.reason
        assert f.get(site.url("/page")).body == page  # the wire goes on after a refused page


def test_an_idle_connection_the_server_dropped_is_replaced(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Fetcher(host_delay=0.0) as f:
        first = f.get(site.url("/feed.xml"))
        stdlib = f._stdlib
        assert stdlib is not None
        (conn,) = next(iter(stdlib._idle.values()))
        assert conn.sock is not None
        conn.sock.shutdown(socket.SHUT_RDWR)  # as if the server had closed it while idle
        assert f.get(site.url("/feed.xml"), etag=first.etag).not_modified  # seen dead before reuse
        assert f.connections_opened == 2
        (conn,) = next(iter(stdlib._idle.values()))
        assert conn.sock is not None
        conn.sock.shutdown(socket.SHUT_RDWR)
        monkeypatch.setattr(wire, "_alive", lambda c: True)  # closed in the instant after the check
        assert f.get(site.url("/feed.xml"), etag=first.etag).not_modified  # sent again on a new one
        assert f.connections_opened == 3


def test_a_slow_answer_times_out_and_a_refused_connection_is_transient(site: Site) -> None:
    site.route("/slow", "<html>late</html>", delay=1.5)
    with Fetcher(host_delay=0.0, read_timeout=0.3) as f:
        with pytest.raises(FetchError) as slow:
            f.get(site.url("/slow"))
        assert slow.value.transient and "timed out" in slow.value.reason
        assert f.get(site.url("/feed.xml")).status == 200  # the timed-out connection was not kept
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    with Fetcher(host_delay=0.0, robots=False) as f, pytest.raises(FetchError) as refused:
        f.get(f"http://127.0.0.1:{port}/feed.xml")
    assert refused.value.transient and "could not fetch it" in refused.value.reason


def test_a_proxy_named_by_the_environment_is_used(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    with running_site() as proxy:  # a "proxy" that answers every absolute-URI request itself
        proxy.route(site.url("/feed.xml"), "<rss>through the proxy</rss>", content_type="application/rss+xml")
        proxy.route("http://127.0.0.1/robots.txt", "", status=404, content_type="text/plain")
        monkeypatch.setenv("HTTP_PROXY", proxy.base)
        monkeypatch.setenv("NO_PROXY", "")
        monkeypatch.delenv("http_proxy", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        with Fetcher(host_delay=0.0, robots=False) as f:
            assert f.get(site.url("/feed.xml")).body == b"<rss>through the proxy</rss>"
            assert f.connections_opened == 0
        assert site.hits("/feed.xml") == 0 and proxy.hits(site.url("/feed.xml")) == 1
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # a host the environment says to reach directly
        with Fetcher(host_delay=0.0, robots=False) as f:
            assert f.get(site.url("/feed.xml")).body == FEED.encode()
            assert f.connections_opened == 1


@pytest.mark.parametrize("kind", ["stdlib", "httpx"])
def test_a_link_with_non_ascii_or_spaces_is_sent_percent_encoded(
    site: Site, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(defaults, "FETCH_WIRE", kind)
    site.route("/caf%C3%A9/a%20b?q=%C3%BC", "<html>accents</html>")
    with Fetcher(host_delay=0.0) as f:
        assert f.get(site.url("/café/a b?q=ü")).body == b"<html>accents</html>"
        assert f.get(site.url("/caf%C3%A9/a%20b?q=%C3%BC")).status == 200  # encoded once, not twice
