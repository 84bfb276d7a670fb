"""Fetching live sources politely: URLs compared without tracking noise, robots.txt honoured, one
HTTP client with per-host limits, timeouts, size caps and back-off, and the parsing of what a polled
source lists (feed items, sitemap URLs).

This package is input: it reads the web and hands bytes and URLs on. What runs it over time (the
watch loop) sits above the pipeline, in :mod:`newsfuse.watch`.
"""

from newsfuse.ingest.fetch.client import Fetcher, Page
from newsfuse.ingest.fetch.urls import canonical_link, normalize_url

__all__ = ["Fetcher", "Page", "canonical_link", "normalize_url"]
