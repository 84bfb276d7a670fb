"""The work the watch hands to its fetch threads: poll a source, fetch and extract a page.

These run on worker threads and touch no store: each returns what it found (or the error) for the
loop's thread to record (:mod:`.loop`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsfuse import defaults
from newsfuse.errors import FetchError
from newsfuse.ingest.fetch import Fetcher, Page
from newsfuse.ingest.fetch.listing import Entry, list_entries
from newsfuse.ingest.fetch.page import page_item
from newsfuse.ingest.fetch.sourcesfile import Source
from newsfuse.ingest.readers import Item
from newsfuse.models import Rejection

FEED_ACCEPT = ("application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, "
               "*/*;q=0.5")


@dataclass
class PollJob:
    source: Source
    etag: str | None
    last_modified: str | None


@dataclass
class FetchJob:
    url: str
    source_url: str | None
    attempts: int
    outlet: str | None


@dataclass
class Fetched:
    job: FetchJob
    page: Page | None = None
    item: Item | None = None
    error: FetchError | None = None


@dataclass
class Sourced:
    entries: list[Entry] = field(default_factory=list)
    page: Page | None = None


def poll(fetcher: Fetcher, job: PollJob) -> Sourced:
    """The entries a source lists now (none when it answers 304); a sitemap index's newest child
    sitemaps are read in the same poll. Raises what the fetch raises."""
    page = fetcher.get(job.source.url, etag=job.etag, last_modified=job.last_modified, accept=FEED_ACCEPT)
    if page.not_modified:
        return Sourced([], page)
    entries = list_entries(_unpacked(page), page.url, page.final_url, job.source.kind)
    children = [e for e in entries if e.sitemap]
    if children:
        entries = [e for e in entries if not e.sitemap]
        newest = sorted(children, key=lambda e: e.published or "", reverse=True)
        for child in newest[: defaults.WATCH_MAX_CHILD_SITEMAPS]:
            sub = fetcher.get(child.url, accept=FEED_ACCEPT)
            listed = list_entries(_unpacked(sub), child.url, sub.final_url, "sitemap")
            entries += [e for e in listed if not e.sitemap]
    return Sourced(entries, page)


def fetch(fetcher: Fetcher, job: FetchJob) -> Fetched:
    """The page and the article extracted from it, or the error: never raises."""
    try:
        page = fetcher.get(job.url)
    except FetchError as exc:
        return Fetched(job, error=exc)
    except Exception as exc:  # a surprise in one fetch must not end the watch
        return Fetched(job, error=FetchError(job.url, f"{type(exc).__name__}: {exc}", transient=True))
    try:
        return Fetched(job, page, page_item(page, job.outlet, job.url))
    except Exception as exc:  # the extractor's surprise: this page is rejected, the watch goes on
        return Fetched(job, page, Rejection(job.url, f"could not read the page ({type(exc).__name__})"))


def _unpacked(page: Page) -> bytes:
    from newsfuse.ingest.detect import GZIP_MAGIC
    from newsfuse.ingest.sources import gunzip

    return gunzip(page.body, page.url) if page.body.startswith(GZIP_MAGIC) else page.body
