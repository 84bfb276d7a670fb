"""A small web site on 127.0.0.1 for tests and bench/watch.py: routes that change over time, ETags,
redirects, slow answers, errors, robots.txt. No outside network is touched.

``site.route(path, body, ...)`` sets what a path answers; ``site.requests`` lists (path, headers)
of every request in order.
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    etag: bool = True  # answer If-None-Match with 304
    drip: float = 0.0  # seconds between 1 KB chunks of the body
    make: Callable[[], Route] | None = None  # a dynamic route answers what this returns


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.posts: list[tuple[str, bytes]] = []  # (path, body) of every POST (webhooks)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.server.handle_error = lambda request, address: None  # type: ignore[method-assign]  # clients hang up
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, body: bytes | str = b"", **kw: Any) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        with self.lock:
            self.routes[path] = Route(data, **kw)

    def hits(self, path: str) -> int:
        with self.lock:
            return sum(1 for p, _ in self.requests if p == path)

    def paths(self) -> list[str]:
        with self.lock:
            return [p for p, _ in self.requests]

    def start(self) -> Site:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            return

        def do_GET(self) -> None:
            with site.lock:
                site.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
                route = site.routes.get(self.path)
            if route is not None and route.make is not None:
                route = route.make()
            if route is None:
                self._send(404, b"not found", "text/plain", {})
                return
            if route.delay:
                time.sleep(route.delay)
            tag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
            headers = dict(route.headers)
            if route.etag and route.status == 200:
                headers.setdefault("ETag", tag)
                if self.headers.get("If-None-Match") == tag:
                    self._send(304, b"", None, headers)
                    return
            self._send(route.status, route.body, route.content_type, headers, route.drip)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with site.lock:
                site.posts.append((self.path, body))
            self._send(200, b"ok", "text/plain", {})

        def _send(self, status: int, body: bytes, ctype: str | None, headers: dict[str, str],
                  drip: float = 0.0) -> None:
            try:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                self.send_header("Date", email.utils.formatdate(usegmt=True))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if not drip:
                    self.wfile.write(body)
                    return
                for i in range(0, len(body), 1024):
                    self.wfile.write(body[i:i + 1024])
                    self.wfile.flush()
                    time.sleep(drip)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (size cap, timeout): what the test wanted

    return Handler


@contextmanager
def running_site() -> Iterator[Site]:
    site = Site().start()
    try:
        yield site
    finally:
        site.stop()


# -- content -------------------------------------------------------------------------------------


def article_html(title: str, paragraphs: list[str], outlet: str, date: str,
                 canonical: str | None = None, author: str | None = None) -> str:
    """A news page as outlets write them: metadata in <head>, the story in <article>, navigation."""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    byline = f'<meta name="author" content="{author}">' if author else ""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><title>{title} | {outlet}</title>{link}{byline}"
        f'<meta property="og:site_name" content="{outlet}"><meta property="og:title" content="{title}">'
        f'<meta property="article:published_time" content="{date}"></head><body>'
        f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>Copyright {outlet}</footer></body></html>"
    )


def rss(title: str, items: list[tuple[str, str, str]]) -> str:
    """An RSS 2.0 feed of (link, title, RFC 822 date) items."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate>"
        f"<description>{t}</description></item>"
        for link, t, d in items
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://example.invalid/</link><description>{title}</description>{entries}</channel></rss>")


def news_sitemap(items: list[tuple[str, str, str]]) -> str:
    """A Google news sitemap of (loc, title, ISO date) entries."""
    urls = "".join(
        f"<url><loc>{loc}</loc><news:news><news:publication><news:name>Site</news:name>"
        f"<news:language>en</news:language></news:publication><news:publication_date>{d}"
        f"</news:publication_date><news:title>{t}</news:title></news:news></url>"
        for loc, t, d in items
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')


_TOWNS = ["Harlow Creek", "Dunmore", "Eastfield", "Marrow Bay", "Pellham", "Quarry Hill", "Redwater",
          "Saltmarsh", "Tolland", "Underby", "Vexley", "Westcombe"]
_THINGS = ["bridge", "water plant", "rail depot", "school", "harbour wall", "power station", "library",
           "hospital wing", "ferry terminal", "tram line"]


def story_text(n: int, variant: int = 0) -> tuple[str, list[str]]:
    """(title, paragraphs) of made-up report ``n``; reports with the same ``n`` and another ``variant``
    tell the same story in other words (another outlet's report of it)."""
    town, thing = _TOWNS[n % len(_TOWNS)], _THINGS[(n // len(_TOWNS)) % len(_THINGS)]
    number = 10 + n * 7 % 90
    mayor = ["Ellen Marsh", "Tomas Reyes", "Priya Nandi", "Owen Callard"][n % 4]
    if variant % 2 == 0:
        title = f"{town} closes its {thing} after inspection"
        paras = [
            f"Officials in {town} closed the {thing} on Tuesday after inspectors found cracks in "
            f"{number} places, the city council said in a statement.",
            f"Mayor {mayor} said the {thing} would stay shut until engineers finish repairs. "
            f'"We will not take chances with public safety," {mayor} told reporters at city hall.',
            f"The council estimated the repairs at {number} million dollars and said work would start "
            f"next month. Residents were told to expect delays for several weeks. (report {n})",
        ]
    else:
        title = f"Cracks force shutdown of {town} {thing}"
        paras = [
            f"The {thing} in {town} was shut on Tuesday when an inspection turned up {number} cracks, "
            f"according to the council.",
            f'"Public safety comes first," Mayor {mayor} said, adding that engineers would need weeks. '
            f"Local businesses complained about the timing of the closure.",
            f"Repairs are expected to cost {number} million dollars, the council said, with work "
            f"beginning next month. (variant {variant} of report {n})",
        ]
    return title, paras
