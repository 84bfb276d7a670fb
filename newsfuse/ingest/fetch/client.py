"""The HTTP client every live fetch goes through (httpx, synchronous, safe to share across threads).

Politeness per host: at most ``FETCH_HOST_CONCURRENCY`` requests at once, starts spaced by
``FETCH_HOST_DELAY_SECONDS`` (or the site's Crawl-delay), a pause after a 429/503 as long as the
back-off or the server's Retry-After, robots.txt checked before every request and every redirect hop.
Robustness: connect/read timeouts and a whole-fetch deadline, the body counted while it is read and
dropped past ``FETCH_MAX_BYTES``, redirects followed by hand (so each hop is checked), conditional
GET with the validators of the last answer. Failures raise :class:`FetchError` saying whether a
retry later may help. The bytes go over :mod:`.wire`: the standard library's ``http.client`` on
kept-alive connections (a poll answered 304 costs a quarter of its CPU in httpx), httpx where the
environment names a proxy.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from newsfuse import defaults
from newsfuse.errors import FetchError, RobotsDeniedError
from newsfuse.ingest.fetch.backoff import backoff_seconds, parse_retry_after
from newsfuse.ingest.fetch.robots import Robots
from newsfuse.ingest.fetch.urls import host_of, is_http_url
from newsfuse.ingest.fetch.wire import HttpxWire, Wire, environment_proxies, make_wires, proxied

_REDIRECTS = (301, 302, 303, 307, 308)
_DRAIN_BYTES = 64 * 1024  # a redirect's body read to keep its connection, at most
_PAUSING = (429, 503)  # the server asks us to slow down: the whole host waits


@dataclass(frozen=True, slots=True)
class Page:
    """One answer: ``url`` asked for, ``final_url`` after redirects, body (empty on 304)."""

    url: str
    final_url: str
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class _Host:
    """Politeness state of one host."""

    def __init__(self, concurrency: int) -> None:
        self.slots = threading.BoundedSemaphore(concurrency)
        self.lock = threading.Lock()
        self.next_start = 0.0
        self.paused_until = 0.0
        self.failures = 0  # failed requests in a row
        self.active = 0


@functools.lru_cache(maxsize=1)
def shared_fetcher() -> Fetcher:
    """The process's fetcher for one-off URLs (``newsfuse ingest URL ...``, the API)."""
    return Fetcher()


class Fetcher:
    """``Fetcher().get(url, etag=..., last_modified=...)`` -> :class:`Page`; close() when done.

    Settings default to :mod:`newsfuse.defaults`; tests pass short delays (and may pass an httpx
    ``transport``: every request then goes through httpx).
    """

    def __init__(
        self,
        *,
        user_agent: str = defaults.FETCH_USER_AGENT,
        host_delay: float = defaults.FETCH_HOST_DELAY_SECONDS,
        host_concurrency: int = defaults.FETCH_HOST_CONCURRENCY,
        max_bytes: int = defaults.FETCH_MAX_BYTES,
        connect_timeout: float = defaults.FETCH_CONNECT_TIMEOUT_SECONDS,
        read_timeout: float = defaults.FETCH_READ_TIMEOUT_SECONDS,
        backoff_base: float = defaults.BACKOFF_BASE_SECONDS,
        robots: bool = True,
        transport: Any = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.host_delay = host_delay
        self.host_concurrency = host_concurrency
        self.max_bytes = max_bytes
        self.read_timeout = read_timeout
        self.backoff_base = backoff_base
        self._clock, self._sleep = clock, sleep
        self._wire_args = (user_agent, connect_timeout, read_timeout)
        self._stdlib, self._httpx = make_wires(*self._wire_args, max(1, host_concurrency), transport)
        self._proxies = environment_proxies()
        self.robots = Robots(self._robots_read, clock=clock) if robots else None
        self._hosts: dict[str, _Host] = {}
        self._guard = threading.Lock()
        self.requests = 0  # requests sent (robots.txt included), for status and tests

    def close(self) -> None:
        for wire in (self._stdlib, self._httpx):
            if wire is not None:
                wire.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public ------------------------------------------------------------------------------

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None,
        accept: str | None = None,
    ) -> Page:
        """Fetch ``url`` following redirects; 304 comes back as a Page (``not_modified``).

        Raises :class:`RobotsDeniedError` for a URL (or redirect target) robots.txt forbids and
        :class:`FetchError` for anything else that is not a 2xx/304 answer.
        """
        if not is_http_url(url):
            raise FetchError(url, "not an http(s) URL; give a full address", transient=False)
        headers = {"Accept": accept} if accept else {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for _ in range(defaults.FETCH_MAX_REDIRECTS + 1):
            self._check_robots(current)
            status, resp_headers, body = self._request(current, headers)
            if status in _REDIRECTS and resp_headers.get("location"):
                current = urljoin(current, resp_headers["location"])
                if not is_http_url(current):
                    raise FetchError(url, f"redirected to {current}, not an http(s) URL", transient=False)
                continue
            return self._answer(url, current, status, resp_headers, body)
        raise FetchError(url, f"more than {defaults.FETCH_MAX_REDIRECTS} redirects "
                              "(defaults.FETCH_MAX_REDIRECTS); check the link", transient=False)

    def paused_for(self, url: str) -> float:
        """Seconds until ``url``'s host may be asked again (0 when it may be now)."""
        host = self._host(host_of(url))
        with host.lock:
            return max(0.0, max(host.next_start, host.paused_until) - self._clock())

    def busy(self, url: str) -> bool:
        """Does ``url``'s host already have every request slot in use?"""
        host = self._host(host_of(url))
        return host.active >= self.host_concurrency

    # -- internals ---------------------------------------------------------------------------

    def _answer(self, url: str, final: str, status: int, headers: Mapping[str, str], body: bytes) -> Page:
        if 200 <= status < 300 or status == 304:
            return Page(url, final, status, body if status != 304 else b"", headers)
        retry_after = parse_retry_after(headers.get("retry-after"))
        transient = status in (408, 425, 429) or status >= 500
        what = "asked us to slow down" if status == 429 else "answered"
        raise FetchError(url, f"the server {what} HTTP {status}"
                              + ("; will retry later" if transient else "; check the link"),
                         transient=transient, status=status, retry_after=retry_after)

    def _check_robots(self, url: str) -> None:
        if self.robots is None:
            return
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        allowed, problem = self.robots.allowed(url, origin)
        if problem:
            raise FetchError(url, f"robots.txt: {problem}", transient=True)
        if not allowed:
            raise RobotsDeniedError(url)

    def _robots_read(self, url: str) -> tuple[int, bytes]:
        current = url
        for _ in range(defaults.FETCH_MAX_REDIRECTS + 1):
            status, headers, body = self._request(current, {})
            if status in _REDIRECTS and headers.get("location"):
                current = urljoin(current, headers["location"])
                continue
            return status, body
        return 404, b""  # a redirect loop on robots.txt: as if there were none

    def _request(self, url: str, headers: Mapping[str, str]) -> tuple[int, dict[str, str], bytes]:
        """One polite request: wait for the host's turn, send, read the capped body."""
        host = self._host(host_of(url))
        host.slots.acquire()
        try:
            self._wait_turn(host, url)
            try:
                status, resp_headers, body = self._send(url, headers)
            except FetchError as exc:
                if exc.transient:  # a too-large page says nothing about the host's health
                    self._failed(host, exc.retry_after)
                raise
            if status in _PAUSING or status >= 500:
                self._failed(host, parse_retry_after(resp_headers.get("retry-after")))
            else:
                host.failures = 0
            return status, resp_headers, body
        finally:
            with host.lock:
                host.active -= 1
            host.slots.release()

    def _wait_turn(self, host: _Host, url: str) -> None:
        delay = self.host_delay
        if self.robots is not None:
            parts = urlsplit(url)
            crawl = self.robots.crawl_delay(f"{parts.scheme.lower()}://{parts.netloc.lower()}")
            if crawl:
                delay = max(delay, min(crawl, defaults.FETCH_MAX_CRAWL_DELAY_SECONDS))
        with host.lock:
            now = self._clock()
            start = max(now, host.next_start, host.paused_until)
            host.next_start = start + delay
            host.active += 1
        if start > now:
            self._sleep(start - now)

    def _failed(self, host: _Host, retry_after: float | None) -> None:
        with host.lock:
            host.failures += 1
            wait = backoff_seconds(host.failures, retry_after, base=self.backoff_base)
            host.paused_until = max(host.paused_until, self._clock() + wait)

    def _send(self, url: str, headers: Mapping[str, str]) -> tuple[int, dict[str, str], bytes]:
        with self._guard:
            self.requests += 1
        deadline = self._clock() + self.read_timeout * defaults.FETCH_TOTAL_TIMEOUTS  # a slow drip ends
        with self._wire(url).stream(url, headers) as resp:
            got = resp.headers
            if resp.status == 304:
                for _ in resp.chunks:  # its empty body read to the end, so the connection is kept alive
                    pass
                return resp.status, got, b""
            if resp.status in _REDIRECTS:
                _drain(resp.chunks)  # a short note: read, so the connection serves the next hop
                return resp.status, got, b""
            declared = got.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise self._too_large(url, int(declared))
            body = bytearray()
            for chunk in resp.chunks:  # decompressed: a small gzip cannot hide a huge page
                body += chunk
                if len(body) > self.max_bytes:
                    raise self._too_large(url, len(body), "more than ")
                if self._clock() > deadline:
                    raise FetchError(url, "the server sent too slowly; will retry later", transient=True)
            return resp.status, got, bytes(body)

    def _wire(self, url: str) -> Wire:
        """The standard library's wire, or httpx for a URL the environment sends through a proxy
        (or for every URL when :func:`~.wire.make_wires` chose httpx)."""
        if self._stdlib is not None and not proxied(url, self._proxies):
            return self._stdlib
        with self._guard:
            if self._httpx is None:
                self._httpx = HttpxWire(*self._wire_args)
            return self._httpx

    @property
    def connections_opened(self) -> int:
        """Connections the standard library's wire opened (tests: a poll reuses a kept one)."""
        return self._stdlib.opened if self._stdlib is not None else 0

    def _too_large(self, url: str, size: int, prefix: str = "") -> FetchError:
        return FetchError(url, f"{prefix}{size:,} bytes, over the {self.max_bytes:,}-byte limit "
                               "(defaults.FETCH_MAX_BYTES); not read", transient=False)

    def _host(self, name: str) -> _Host:
        with self._guard:
            host = self._hosts.get(name)
            if host is None:
                host = self._hosts[name] = _Host(self.host_concurrency)
            return host


def _drain(chunks: Iterator[bytes]) -> None:
    """Read a body nobody needs to its end, when it is short (``_DRAIN_BYTES``), so the kept
    connection can carry the next request; a longer one is left (its connection is closed)."""
    seen = 0
    for chunk in chunks:
        seen += len(chunk)
        if seen > _DRAIN_BYTES:
            return
