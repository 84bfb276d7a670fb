"""Turning one input (plain text, an HTML page, a JSON/CSV/feed record) into one :class:`Article`.

Every path ends in :func:`make_article`, which checks the cleaned text and computes the ID as
``content_id(outlet or '', text, prefix='a_')``: the same story from the same outlet is one article
however often it arrives. What the input says about itself (header, metadata, record fields) wins
over the caller's fallbacks (``outlet``/``published``, e.g. the CLI's ``--outlet``/``--published``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from newsfuse import defaults
from newsfuse.errors import EmptyInputError, MalformedInputError, TooLargeInputError
from newsfuse.ids import content_id
from newsfuse.ingest.clean import clean_text, html_fragment_to_text, looks_like_html
from newsfuse.ingest.dates import normalize_published
from newsfuse.ingest.markup import tame_html
from newsfuse.ingest.wire import split_layout
from newsfuse.models import Article

# Record keys we accept, most specific first, compared after lower-casing and dropping '_', '-', ' '.
TEXT_KEYS = (
    "text",
    "body",
    "content",
    "articlebody",
    "fulltext",
    "maintext",
    "articletext",
    "story",
    "article",
    "contentencoded",
    "description",
    "summary",
)
TITLE_KEYS = ("title", "headline", "heading")
URL_KEYS = ("url", "link", "uri", "href", "permalink", "canonicalurl", "sourceurl")
OUTLET_KEYS = (
    "outlet",
    "source",
    "site",
    "sitename",
    "publisher",
    "publication",
    "sourcename",
    "media",
    "newspaper",
    "domain",
)
DATE_KEYS = (
    "published",
    "date",
    "pubdate",
    "publishedat",
    "publicationdate",
    "datepublished",
    "publishdate",
    "datetime",
    "time",
    "timestamp",
    "created",
    "createdat",
    "isodate",
    "updated",
)
AUTHOR_KEYS = ("author", "authors", "byline", "creator", "writer", "by")


def article_from_text(
    text: str,
    outlet: str | None = None,
    published: str | None = None,
    source: str | None = None,
    *,
    raw_id: str | None = None,
    fmt: str = "text",
) -> Article:
    """An article from plain text, reading its header, headline and wire ID (see :mod:`.wire`)."""
    layout = split_layout(text)
    when, when_source, stamp = _published(layout.published, "header", published)
    return make_article(
        clean_text(layout.body),
        outlet=layout.outlet or outlet,
        title=layout.title,
        published=when,
        published_source=when_source,
        wire_id=layout.wire_id,
        raw_id=raw_id,
        fmt=fmt,
        source=source,
        metadata=_meta(published_at=stamp),
    )


def article_from_record(
    record: Mapping[str, Any],
    outlet: str | None = None,
    published: str | None = None,
    source: str | None = None,
    *,
    raw_id: str | None = None,
    fmt: str = "jsonl",
    html: bool | None = None,
) -> Article:
    """An article from a JSON/CSV/feed record with lenient keys (text|body|content, source|site ...).

    ``html`` says the text field is HTML (feeds); ``None`` decides by looking at it.
    """
    fields = {_key(k): v for k, v in record.items()}
    raw_text = _first_text(fields, TEXT_KEYS)
    if raw_text is None:
        present = [k for k in TEXT_KEYS if k in fields]
        reason = (
            f"the {present[0]} field is empty: add the article text"
            if present
            else f"no text field (looked for {', '.join(TEXT_KEYS[:4])}...); "
            f"found keys {sorted(record)[:12]}: add the article text"
        )
        raise MalformedInputError(source or "record", reason)
    wire_id = header_outlet = header_date = None
    if html or (html is None and looks_like_html(raw_text)):
        body = html_fragment_to_text(raw_text)
    else:
        layout = split_layout(raw_text, find_title=False)
        body, wire_id = clean_text(layout.body), layout.wire_id
        header_outlet, header_date = layout.outlet, layout.published
    raw_date = _first_value(fields, DATE_KEYS)
    when, when_source, stamp = _record_published(raw_date, header_date, published)
    url = _first_text(fields, URL_KEYS)
    return make_article(
        body,
        outlet=_outlet_name(fields) or header_outlet or outlet,
        title=_one_line(_first_text(fields, TITLE_KEYS)),
        url=url,
        author=_author(fields),
        published=when,
        published_source=when_source,
        wire_id=wire_id,
        raw_id=raw_id,
        fmt=fmt,
        source=source,
        metadata=_meta(published_at=stamp, published_raw=None if when or raw_date is None else str(raw_date)),
    )


def article_from_html(
    page: str | bytes,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    source: str | None = None,
    *,
    raw_id: str | None = None,
    fmt: str = "html",
) -> Article:
    """An article from a whole HTML page: trafilatura finds the main text, title, author, date, site."""
    import trafilatura  # heavy import, only when HTML arrives

    where = source or url or "HTML page"
    if isinstance(page, bytes):  # kept byte for byte: the extractor reads the page's own encoding
        page = tame_html(page.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
    else:
        page = tame_html(page)
    try:
        doc = trafilatura.bare_extraction(
            page,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            # no guessing from copyright lines or today's date: a wrong date is worse than none
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        raise MalformedInputError(where, f"HTML that cannot be parsed ({exc}); check the file") from exc
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        raise EmptyInputError(where, "no article text found in the HTML page (navigation or scripts only?)")
    body = clean_text("\n\n".join(text.split("\n")))  # trafilatura writes one block per line
    when, when_source, stamp = _published(getattr(doc, "date", None), "metadata", published)
    page_url = getattr(doc, "url", None) or url
    return make_article(
        body,
        outlet=getattr(doc, "sitename", None) or outlet or domain_of(page_url),
        title=_one_line(getattr(doc, "title", None)),
        url=page_url,
        author=getattr(doc, "author", None),
        published=when,
        published_source=when_source,
        raw_id=raw_id,
        fmt=fmt,
        source=source,
        metadata=_meta(published_at=stamp),
    )


def make_article(
    text: str, *, outlet: str | None = None, source: str | None = None, **fields: Any
) -> Article:
    """The article for already cleaned ``text``, after checking it is an article's worth of text."""
    where = source or "input"
    if len(text) < defaults.MIN_ARTICLE_CHARS:
        what = "no text" if not text else f"only {len(text)} characters of text"
        raise EmptyInputError(
            where,
            f"{what} after cleaning (fewer than {defaults.MIN_ARTICLE_CHARS}): not an article; "
            "give the full text",
        )
    if len(text) > defaults.MAX_ARTICLE_CHARS:
        raise TooLargeInputError(
            where,
            f"{len(text):,} characters of text (limit {defaults.MAX_ARTICLE_CHARS:,}, "
            "defaults.MAX_ARTICLE_CHARS): split it into its articles",
        )
    outlet = _no_controls(_one_line(outlet))
    # Neither database stores a NUL (PostgreSQL) or a lone surrogate (both; JSON's "\ud800" makes
    # one): dropped, so an article is stored the same on both.
    text = _UNSTORABLE.sub("", text)
    fields = {k: _no_controls(v) if isinstance(v, str) else v for k, v in fields.items()}
    if fields.get("metadata"):
        fields["metadata"] = tuple((k, _no_controls(v) or "") for k, v in fields["metadata"])
    return Article(
        id=content_id(outlet or "", text, prefix="a_"), text=text, outlet=outlet, source=source, **fields
    )


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_CONTROLS = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def _no_controls(value: str | None) -> str | None:
    """A one-line field (URL, title, author) without control characters (a NUL in a URL made
    PostgreSQL refuse the whole article)."""
    return _CONTROLS.sub("", value) if value else value


def domain_of(url: str | None) -> str | None:
    """'https://www.example.com/a' -> 'example.com' (the outlet when nothing better is known)."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


# -- helpers ----------------------------------------------------------------------------------


def _published(
    found: Any, found_source: str, fallback: str | None
) -> tuple[str | None, str | None, str | None]:
    """(date, published_source, timestamp): what the input says, else the caller's fallback ('flag')."""
    day, stamp = normalize_published(found)
    if day:
        return day, found_source, stamp
    day, stamp = normalize_published(fallback)
    return (day, "flag", stamp) if day else (None, None, None)


def _record_published(
    raw: Any, header: str | None, fallback: str | None
) -> tuple[str | None, str | None, str | None]:
    day, stamp = normalize_published(raw)
    if day:
        return day, "metadata", stamp
    return _published(header, "header", fallback)


def _key(name: object) -> str:
    return re.sub(r"[\s_\-:]", "", str(name).lower())


def _first_value(fields: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = fields.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _first_text(fields: Mapping[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = fields.get(key)
        if isinstance(value, list) and value and isinstance(value[0], Mapping):
            value = value[0].get("value")  # feedparser-style [{'value': ...}]
        if isinstance(value, str) and value.strip():
            return value
    return None


def _outlet_name(fields: Mapping[str, Any]) -> str | None:
    value = _first_value(fields, OUTLET_KEYS)
    if isinstance(value, Mapping):  # NewsAPI-style {"id": ..., "name": "..."}
        value = value.get("name") or value.get("title")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _author(fields: Mapping[str, Any]) -> str | None:
    value = _first_value(fields, AUTHOR_KEYS)
    if isinstance(value, list):
        names = [v.get("name", "") if isinstance(v, Mapping) else str(v) for v in value]
        value = ", ".join(n for n in names if n)
    elif isinstance(value, Mapping):
        value = value.get("name")
    return _one_line(value) if isinstance(value, str) else None


def _one_line(value: str | None) -> str | None:
    """Titles and names: entities decoded, whitespace collapsed; None when empty."""
    if not value:
        return None
    text = " ".join(clean_text(value).split())
    return text or None


def _meta(**pairs: str | None) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in sorted(pairs.items()) if v)
