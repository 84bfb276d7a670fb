"""A fetched page becomes an article: trafilatura extracts title, text, author, date and site name
(through :func:`newsfuse.ingest.readers.read_html`), the URL kept is the page's canonical one, and a
page that is not HTML is reported instead of being read as text.
"""

from __future__ import annotations

import dataclasses

from newsfuse.errors import InputError
from newsfuse.ids import bytes_id, content_id
from newsfuse.ingest.detect import detect_format
from newsfuse.ingest.fetch.client import Page
from newsfuse.ingest.fetch.urls import canonical_link, normalize_url
from newsfuse.ingest.readers import Fallbacks, Item, read_html
from newsfuse.models import Article, Rejection

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def page_url(page: Page) -> str:
    """The address to keep for a page: its canonical link, else where the redirects ended."""
    final = normalize_url(page.final_url)
    if not is_html(page):
        return final
    return canonical_link(page.body, final) or final


def is_html(page: Page) -> bool:
    kind = page.content_type
    if kind:
        return kind in _HTML_TYPES
    return detect_format("", page.body[:65536]) == "html"  # no Content-Type: look at the bytes


def page_item(page: Page, outlet: str | None = None, where: str | None = None, *,
              outlet_wins: bool = True) -> Item:
    """The article of one fetched page (or why there is none). ``outlet``, when given (a watched
    source's name), wins over the site name the page declares, so one outlet's articles stay under
    one name; with ``outlet_wins=False`` it is only the fallback (``ingest URL --outlet``)."""
    where = where or page.url
    if not is_html(page):
        return Rejection(where, f"not an HTML page ({page.content_type or 'unknown type'}); "
                                "only article pages are read from a live source")
    try:
        items = list(read_html(page.body, where, Fallbacks(outlet), url=page_url(page)))
    except InputError as exc:
        return Rejection(exc.where or where, exc.reason)
    except (ValueError, TypeError, LookupError, RecursionError) as exc:  # a parser surprise
        return Rejection(where, f"could not read the page ({type(exc).__name__}: {exc})")
    item = items[0]
    if isinstance(item, Rejection) or not outlet or not outlet_wins:
        return item
    raw, article = item
    return raw, with_outlet(article, outlet)


def with_outlet(article: Article, outlet: str) -> Article:
    """``article`` under ``outlet`` (its ID follows: the same text from one outlet is one article)."""
    if article.outlet == outlet:
        return article
    return dataclasses.replace(article, outlet=outlet, id=content_id(outlet, article.text, prefix="a_"))


def page_hash(page: Page) -> str:
    return bytes_id(page.body)
