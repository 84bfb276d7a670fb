"""WARC files (e.g. CC-NEWS crawls): every HTML response record is one article.

Read as a stream, record by record, so a multi-gigabyte crawl never sits in memory; the size limit
applies to each record instead of the file. The record's WARC-Target-URI is the article URL, and its
domain the outlet when the page does not name its site.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import BinaryIO

from newsfuse import defaults
from newsfuse.errors import TooLargeInputError
from newsfuse.ingest.readers import Fallbacks, Item, guarded, read_html
from newsfuse.models import Rejection


def read_warc(source: Path | BinaryIO, where: str, fb: Fallbacks) -> Iterator[Item]:
    """The HTML pages of a WARC (plain or gzipped) file or stream."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = 0
    with source.open("rb") if isinstance(source, Path) else nullcontext(source) as fh:
        try:
            for number, record in enumerate(ArchiveIterator(fh), 1):
                if not _is_html_page(record):
                    continue
                item_where = f"{where}#{number}"
                url = record.rec_headers.get_header("WARC-Target-URI")
                payload = record.content_stream().read(defaults.MAX_INPUT_BYTES + 1)
                yield guarded(item_where, _page, payload, item_where, url, fb)
        except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
            yield Rejection(
                f"{where}#{number + 1}", f"broken WARC record ({exc}); the records before it were read"
            )


def _is_html_page(record: object) -> bool:
    if getattr(record, "rec_type", None) != "response":
        return False
    http = getattr(record, "http_headers", None)
    if http is None or http.get_statuscode() != "200":
        return False
    ctype = (http.get_header("Content-Type") or "").lower()
    return "html" in ctype


def _page(payload: bytes, where: str, url: str | None, fb: Fallbacks) -> Item:
    if len(payload) > defaults.MAX_INPUT_BYTES:
        raise TooLargeInputError(
            where,
            f"record larger than {defaults.MAX_INPUT_BYTES:,} bytes (defaults.MAX_INPUT_BYTES): skipped",
        )
    return next(iter(read_html(payload, where, fb, url=url, fmt="warc")))
