"""The wire under the fetcher: one GET, its answer's status, headers and decoded body as it arrives.

:class:`StdlibWire` sends on the standard library's ``http.client`` over kept-alive connections (a
few idle ones kept per origin, each checked before reuse, a request on one the server closed
meanwhile sent again on a new one). :class:`HttpxWire` sends through ``httpx``. Why two: a watch
polls hundreds of unchanged feeds every second, and a conditional GET answered 304 cost about
0.8 ms of CPU in httpx against 0.2 ms in ``http.client`` (``bench/watch_polls.py``), a tenth of a
core at 200 polls/s that analysis needs. httpx stays for what ``http.client`` does not do: a proxy
from the environment (``HTTP_PROXY``, ``HTTPS_PROXY``, ``NO_PROXY``), a test transport, or
``defaults.FETCH_WIRE = "httpx"``.

Both decode gzip/deflate in bounded pieces (a small gzip cannot inflate to a huge page in one
step: the caller counts every piece against its size cap) and raise :class:`FetchError` (transient)
on timeouts and network errors. Politeness (per-host turns, robots.txt, redirects, back-off) is the
caller's: :class:`~newsfuse.ingest.fetch.client.Fetcher`.
"""

from __future__ import annotations

import http.client
import select
import ssl
import threading
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote, urlsplit
from urllib.request import getproxies, proxy_bypass

from newsfuse import defaults
from newsfuse.errors import FetchError

_PIECE = 64 * 1024  # bytes read, and at most inflated, per step
_SAFE = "/?&=;:@!$'()*+,~%[]"  # left as they are in a request target (what is there is encoded already)
_STALE = (http.client.RemoteDisconnected, http.client.BadStatusLine, ConnectionResetError,
          ConnectionAbortedError, BrokenPipeError)


@dataclass
class Answer:
    """What came back: ``status``, ``headers`` (names lower-cased, repeats joined by ', '), and
    ``chunks``, the decoded body as it arrives (read it to the end, or leave the ``stream`` block)."""

    status: int
    headers: dict[str, str]
    chunks: Iterator[bytes]


class Wire(Protocol):
    def stream(self, url: str, headers: Mapping[str, str]) -> Any:
        """A context manager giving an :class:`Answer`."""

    def close(self) -> None: ...


def proxied(url: str, proxies: Mapping[str, str]) -> bool:
    """Does the environment send ``url`` through a proxy (``proxies``: :func:`getproxies`)?"""
    if not proxies:
        return False
    parts = urlsplit(url)
    if parts.scheme not in proxies and "all" not in proxies:
        return False
    return not proxy_bypass(parts.hostname or "")


def environment_proxies() -> dict[str, str]:
    return {k: v for k, v in getproxies().items() if k in ("http", "https", "all", "no") and v}


class StdlibWire:
    """GETs on ``http.client`` connections kept per origin (at most ``keep`` idle ones each)."""

    def __init__(self, user_agent: str, connect_timeout: float, read_timeout: float, keep: int) -> None:
        self.user_agent = user_agent
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.keep = max(1, keep)
        self.opened = 0  # connections opened, for tests and benchmarks
        self._idle: dict[tuple[str, str, int], list[http.client.HTTPConnection]] = {}
        self._lock = threading.Lock()
        self._tls: ssl.SSLContext | None = None

    @contextmanager
    def stream(self, url: str, headers: Mapping[str, str]) -> Iterator[Answer]:
        parts = urlsplit(url)
        origin = (parts.scheme.lower(), parts.hostname or "", parts.port or _port(parts.scheme))
        # non-ASCII or a space percent-encoded, as httpx sends them (http.client refuses both)
        target = quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), safe=_SAFE)
        sent = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate", **headers}
        conn: http.client.HTTPConnection | None = None
        resp: http.client.HTTPResponse | None = None
        try:
            conn, resp = self._send(origin, target, sent)
            body = _decoded(_raw(resp), resp.getheader("content-encoding"))
            yield Answer(resp.status, _headers(resp), body)
        except TimeoutError as exc:  # socket.timeout: connect or a read
            raise FetchError(url, f"timed out ({_what(exc)}); will retry later", transient=True) from exc
        except (OSError, http.client.HTTPException, zlib.error) as exc:
            raise FetchError(url, f"could not fetch it ({_what(exc)}); will retry later",
                             transient=True) from exc
        finally:
            if conn is not None:
                self._done(origin, conn, resp)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for conns in idle.values():
            for conn in conns:
                conn.close()

    # -- internals ---------------------------------------------------------------------------

    def _send(self, origin: tuple[str, str, int], target: str,
              headers: Mapping[str, str]) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        conn = self._take(origin)
        reused = conn is not None
        if conn is None:
            conn = self._open(origin)
        try:
            conn.request("GET", target, headers=dict(headers))
            return conn, conn.getresponse()
        except _STALE:
            conn.close()
            if not reused:
                raise
        # the server closed the kept connection as we sent on it: a GET is safe to send again
        conn = self._open(origin)
        try:
            conn.request("GET", target, headers=dict(headers))
            return conn, conn.getresponse()
        except BaseException:
            conn.close()
            raise

    def _open(self, origin: tuple[str, str, int]) -> http.client.HTTPConnection:
        scheme, host, port = origin
        conn: http.client.HTTPConnection
        if scheme == "https":
            conn = http.client.HTTPSConnection(host, port, timeout=self.connect_timeout,
                                               context=self._context())
        else:
            conn = http.client.HTTPConnection(host, port, timeout=self.connect_timeout)
        conn.connect()
        self.opened += 1
        if conn.sock is not None:
            conn.sock.settimeout(self.read_timeout)  # connected: from now on the wait between bytes
        return conn

    def _context(self) -> ssl.SSLContext:
        if self._tls is None:
            try:
                import certifi  # the CA bundle httpx uses, so both wires trust the same sites

                self._tls = ssl.create_default_context(cafile=certifi.where())
            except ImportError:
                self._tls = ssl.create_default_context()
        return self._tls

    def _take(self, origin: tuple[str, str, int]) -> http.client.HTTPConnection | None:
        while True:
            with self._lock:
                conns = self._idle.get(origin)
                conn = conns.pop() if conns else None
            if conn is None:
                return None
            if _alive(conn):
                return conn
            conn.close()  # the server hung up (or sent something unasked) while it was idle

    def _done(self, origin: tuple[str, str, int], conn: http.client.HTTPConnection,
              resp: http.client.HTTPResponse | None) -> None:
        """Keep the connection for the next request when its answer was read to the end."""
        if resp is None or not resp.isclosed() or resp.will_close:
            conn.close()
            return
        with self._lock:
            conns = self._idle.setdefault(origin, [])
            if len(conns) < self.keep:
                conns.append(conn)
                return
        conn.close()


class HttpxWire:
    """GETs through an ``httpx.Client`` (proxies from the environment, a test ``transport``)."""

    def __init__(self, user_agent: str, connect_timeout: float, read_timeout: float,
                 transport: Any = None) -> None:
        import httpx

        self._httpx = httpx
        self.client = httpx.Client(
            headers={"User-Agent": user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            follow_redirects=False, transport=transport,
        )

    @contextmanager
    def stream(self, url: str, headers: Mapping[str, str]) -> Iterator[Answer]:
        httpx = self._httpx
        try:
            with self.client.stream("GET", url, headers=dict(headers)) as resp:
                got = {k.lower(): v for k, v in resp.headers.items()}
                yield Answer(resp.status_code, got, resp.iter_bytes(_PIECE))
        except httpx.TimeoutException as exc:
            raise FetchError(url, f"timed out ({type(exc).__name__}); will retry later",
                             transient=True) from exc
        except httpx.HTTPError as exc:
            raise FetchError(url, f"could not fetch it ({type(exc).__name__}: {exc}); will retry later",
                             transient=True) from exc

    def close(self) -> None:
        self.client.close()


def make_wires(user_agent: str, connect_timeout: float, read_timeout: float, keep: int,
               transport: Any = None) -> tuple[StdlibWire | None, HttpxWire | None]:
    """The wires a fetcher needs: the standard library's unless ``defaults.FETCH_WIRE`` says httpx
    or a test transport is given; httpx (made when first needed otherwise) for proxied URLs."""
    if transport is not None or defaults.FETCH_WIRE == "httpx":
        return None, HttpxWire(user_agent, connect_timeout, read_timeout, transport)
    return StdlibWire(user_agent, connect_timeout, read_timeout, keep), None


def _port(scheme: str) -> int:
    return 443 if scheme.lower() == "https" else 80


def _alive(conn: http.client.HTTPConnection) -> bool:
    """An idle connection is still usable when nothing is waiting to be read on it: a closed one
    reads as ready (end of file), as does one a server wrote to unasked."""
    sock = conn.sock
    if sock is None:
        return False
    try:
        ready, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not ready


def _headers(resp: http.client.HTTPResponse) -> dict[str, str]:
    got: dict[str, str] = {}
    for name, value in resp.getheaders():
        key = name.lower()
        got[key] = f"{got[key]}, {value}" if key in got else value
    return got


def _raw(resp: http.client.HTTPResponse) -> Iterator[bytes]:
    while True:
        piece = resp.read1(_PIECE)
        if not piece:
            resp.read()  # marks the answer finished (read1 leaves one of length 0, a 304, open)
            return
        yield piece


def _decoded(raw: Iterator[bytes], encoding: str | None) -> Iterator[bytes]:
    """The body decoded as it arrives (gzip, deflate with or without its zlib header), no step
    inflating more than ``_PIECE`` bytes; other encodings pass as they are."""
    name = (encoding or "").strip().lower()
    if name not in ("gzip", "x-gzip", "deflate"):
        yield from raw
        return
    inflater: Any = None
    for data in raw:
        if inflater is None:
            inflater = zlib.decompressobj(_wbits(name, data))
        while data:
            out = inflater.decompress(data, _PIECE)
            data = inflater.unconsumed_tail
            if out:
                yield out
    if inflater is not None:
        tail = inflater.flush()
        if tail:
            yield tail


def _wbits(name: str, first: bytes) -> int:
    if name != "deflate":
        return 16 + zlib.MAX_WBITS
    zlib_header = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
    return zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS  # some servers send raw deflate


def _what(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


__all__ = ["Answer", "HttpxWire", "StdlibWire", "Wire", "environment_proxies", "make_wires", "proxied"]
