"""WARC files (e.g. CC-NEWS crawls): every HTML response record is one article.

Read as a stream, record by record, so a multi-gigabyte crawl never sits in memory; the size limit
applies to each record instead of the file. The record's WARC-Target-URI is the article URL, and its
domain the outlet when the page does not name its site.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from contextlib import nullcontext, redirect_stderr
from pathlib import Path
from typing import Any, BinaryIO

from newsfuse import defaults
from newsfuse.errors import TooLargeInputError
from newsfuse.ingest.readers import Fallbacks, Item, guarded, read_html
from newsfuse.models import Rejection


def read_warc(source: Path | BinaryIO, where: str, fb: Fallbacks) -> Iterator[Item]:
    """The HTML pages of a WARC (plain or gzipped) file or stream. What warcio would print on stderr
    (several lines naming no file) becomes rejections naming the file and record; a WARC without an
    HTML page says what it held instead."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    number = pages = 0
    skipped: Counter[str] = Counter()
    with source.open("rb") if isinstance(source, Path) else nullcontext(source) as fh:
        records = iter(ArchiveIterator(fh))
        while True:
            said = io.StringIO()
            try:
                with redirect_stderr(said):
                    record = next(records, None)
                    if record is not None:
                        number += 1
                        why_not = _why_not_a_page(record)
                        payload = b"" if why_not else _payload(record)
            except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
                yield from _warnings(said, where, number)
                yield Rejection(f"{where}#{number + 1}",
                                f"broken WARC record ({exc}); the records before it were read")
                return
            yield from _warnings(said, where, number)
            if record is None:
                break
            item_where = f"{where}#{number}"
            if why_not:
                skipped[why_not] += 1
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            pages += 1
            yield guarded(item_where, _page, payload, item_where, url, fb)
    if skipped and not pages:  # a crawl's request and metadata records are normal beside pages
        held = ", ".join(f"{n} {why}" for why, n in skipped.most_common())
        yield Rejection(where, f"no HTML page in {number} WARC record(s): {held}")
    elif number == 0:
        yield Rejection(where, "no WARC record in it (empty or truncated); check the file")


def _payload(record: Any) -> bytes:
    return bytes(record.content_stream().read(defaults.MAX_INPUT_BYTES + 1))  # capped while reading


def _warnings(said: io.StringIO, where: str, number: int) -> Iterator[Rejection]:
    text = " ".join(said.getvalue().split())
    if text:
        yield Rejection(f"{where}#{number}", f"warcio: {text}")


def _why_not_a_page(record: object) -> str | None:
    """None for an HTML response with status 200, else what the record is (for the summary)."""
    kind = getattr(record, "rec_type", None)
    if kind != "response":
        return f"{kind or 'untyped'} record(s), not responses"
    http = getattr(record, "http_headers", None)
    if http is None:
        return "response(s) without HTTP headers"
    status = http.get_statuscode()
    if status != "200":
        return f"response(s) with HTTP status {status}"
    if "html" not in (http.get_header("Content-Type") or "").lower():
        return "response(s) that are not HTML"
    return None


def _page(payload: bytes, where: str, url: str | None, fb: Fallbacks) -> Item:
    if len(payload) > defaults.MAX_INPUT_BYTES:
        raise TooLargeInputError(
            where,
            f"record larger than {defaults.MAX_INPUT_BYTES:,} bytes (defaults.MAX_INPUT_BYTES): skipped",
        )
    return next(iter(read_html(payload, where, fb, url=url, fmt="warc")))
