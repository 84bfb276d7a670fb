"""What a polled source lists: the items of an RSS/Atom feed, the URLs of a sitemap or news sitemap,
or the child sitemaps of a sitemap index. Each entry is a link to an article page (or a sitemap).
"""

from __future__ import annotations

from dataclasses import dataclass

from newsfuse.errors import MalformedInputError
from newsfuse.ingest.fetch.urls import is_http_url, normalize_url

_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One link a source lists. ``sitemap``: the link is a child sitemap to read, not an article."""

    url: str  # normalised
    title: str | None = None
    published: str | None = None
    sitemap: bool = False


def list_entries(body: bytes, where: str, base: str, kind: str = "auto") -> list[Entry]:
    """The links in a feed or sitemap body (``kind`` feed|sitemap, or auto: found from the body), in
    the order listed, each once; raises :class:`MalformedInputError` when the body is neither."""
    head = body[:2048].lstrip().lower()
    sitemap = b"<urlset" in head or b"<sitemapindex" in head or _looks_sitemap(body)
    if kind == "sitemap" or (kind == "auto" and sitemap):
        entries = _sitemap(body, where, base)
    else:
        entries = _feed(body, where, base)
    seen: set[str] = set()
    unique = []
    for e in entries:
        if e.url not in seen:
            seen.add(e.url)
            unique.append(e)
    return unique


def _looks_sitemap(body: bytes) -> bool:
    return b"sitemaps.org/schemas/sitemap" in body[:4096]


def _feed(body: bytes, where: str, base: str) -> list[Entry]:
    import feedparser

    feed = feedparser.parse(body)
    items = feed.get("entries") or []
    if feed.get("bozo") and not any(i.get("link") for i in items):
        problem = feed.get("bozo_exception")
        why = f" ({problem})" if problem else ""
        raise MalformedInputError(where, f"neither an RSS/Atom feed nor a sitemap{why}; check the source URL")
    out = []
    for item in items:
        link = item.get("link") or _alternate(item)
        if not link:
            continue
        url = normalize_url(link, base)
        if is_http_url(url):
            out.append(Entry(url, item.get("title"), item.get("published") or item.get("updated")))
    return out


def _alternate(item: dict) -> str | None:  # type: ignore[type-arg]
    for link in item.get("links") or []:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link["href"])
    return None


def _sitemap(body: bytes, where: str, base: str) -> list[Entry]:
    from lxml import etree

    # No entity expansion and no network: a sitemap is untrusted input.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise MalformedInputError(where, f"a sitemap that does not parse ({exc}); check the URL") from exc
    if root is None:
        raise MalformedInputError(where, "an empty or broken sitemap; check the source URL")
    index = etree.QName(root).localname == "sitemapindex"
    out = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        loc = _text(node, "loc")
        if not loc:
            continue
        url = normalize_url(loc, base)
        if not is_http_url(url):
            continue
        news = node.find(f"{_NEWS_NS}news")
        title = _text(news, "title", _NEWS_NS) if news is not None else None
        when = _text(news, "publication_date", _NEWS_NS) if news is not None else None
        when = when or _text(node, "lastmod")
        out.append(Entry(url, title, when, sitemap=index))
    return out


def _text(node: object, name: str, ns: str = _SITEMAP_NS) -> str | None:
    found = node.find(f"{ns}{name}")  # type: ignore[attr-defined]
    if found is None:
        found = node.find(name)  # type: ignore[attr-defined]  # a sitemap written without its namespace
    text = found.text if found is not None else None
    return text.strip() if text and text.strip() else None
