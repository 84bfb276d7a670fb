"""One reader per format: bytes of one input -> (RawInput, Article) items or Rejections.

A reader never raises for bad input: a container (feed, JSONL, CSV) yields a :class:`Rejection` for
each bad item and goes on with the rest; a whole-input problem raises an :class:`InputError`, which
:mod:`.sources` turns into one Rejection naming the file.
"""

from __future__ import annotations

import csv
import io
import json
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO

from newsfuse import defaults
from newsfuse.errors import InputError, MalformedInputError, TooLargeInputError
from newsfuse.ids import bytes_id
from newsfuse.ingest.articles import article_from_html, article_from_record, article_from_text
from newsfuse.ingest.dates import normalize_published
from newsfuse.ingest.decode import decode_bytes, decode_line
from newsfuse.models import Article, RawInput, Rejection

Item = tuple[RawInput, Article] | Rejection


@dataclass(frozen=True, slots=True)
class Fallbacks:
    """What the caller knows for inputs that do not say (CLI ``--outlet`` / ``--published``)."""

    outlet: str | None = None
    published: str | None = None


Reader = Callable[[bytes, str, Fallbacks], Iterator[Item]]


def raw_input(content: bytes, where: str, fmt: str) -> RawInput:
    return RawInput(id=bytes_id(content), source=where, fmt=fmt, size=len(content), content=content)


def guarded(where: str, make: Callable[..., Item], *args: Any) -> Item:
    """``make(*args)`` for one item; bad input (and any parser surprise) becomes a Rejection."""
    try:
        return make(*args)
    except InputError as exc:
        return Rejection(exc.where or where, exc.reason)
    except Exception as exc:  # a parser surprise (e.g. a 400-digit number) loses only this item
        return Rejection(where, f"could not read it ({type(exc).__name__}: {exc}); check the input")


def read_text(data: bytes, where: str, fb: Fallbacks) -> Iterator[Item]:
    text = decode_bytes(data, where)
    yield (
        raw_input(data, where, "text"),
        article_from_text(text, fb.outlet, fb.published, where, raw_id=bytes_id(data)),
    )


def read_html(
    data: bytes, where: str, fb: Fallbacks, url: str | None = None, fmt: str = "html"
) -> Iterator[Item]:
    check_html_cost(data, where)
    page = decode_bytes(data, where)
    yield (
        raw_input(data, where, fmt),
        article_from_html(
            page,
            url=url,
            outlet=fb.outlet,
            published=fb.published,
            source=where,
            raw_id=bytes_id(data),
            fmt=fmt,
        ),
    )


def check_html_cost(data: bytes, where: str) -> None:
    """Refuse a page whose parse would cost far more than a news page's: over
    ``defaults.MAX_HTML_BYTES``, or with more attributes in one tag (libxml2 checks each against
    the others: 50,000 in one tag took 77 s) or in all than any real page has."""
    if len(data) > defaults.MAX_HTML_BYTES:
        raise TooLargeInputError(where, f"an HTML page of {len(data):,} bytes, over the "
                                        f"{defaults.MAX_HTML_BYTES:,}-byte limit (defaults.MAX_HTML_BYTES)")
    if data.count(b"=") <= defaults.MAX_HTML_TAG_ATTRIBUTES:
        return
    per_tag = [part.split(b">", 1)[0].count(b"=") for part in data.split(b"<")[1:]]
    worst, total = max(per_tag, default=0), sum(per_tag)
    if worst > defaults.MAX_HTML_TAG_ATTRIBUTES or total > defaults.MAX_HTML_ATTRIBUTES:
        raise TooLargeInputError(
            where, f"HTML with {worst:,} attributes in one tag and {total:,} in all (limits "
                   f"{defaults.MAX_HTML_TAG_ATTRIBUTES:,} and {defaults.MAX_HTML_ATTRIBUTES:,}, "
                   "defaults.MAX_HTML_*): not a news page one can parse in bounded time")


def read_jsonl(data: bytes, where: str, fb: Fallbacks) -> Iterator[Item]:
    """JSON Lines; also a JSON array of records or ``{"articles": [...]}`` (news API dumps)."""
    text = decode_bytes(data, where)
    try:
        doc = json.loads(text)
    except ValueError:
        doc = None  # JSON Lines (or broken JSON: each bad line is reported on its own)
    multi_line = "\n" in text.strip()
    if isinstance(doc, list) or (isinstance(doc, dict) and (multi_line or "articles" in doc)):
        yield from _json_document(doc, where, fb)
        return
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            yield guarded(f"{where}:{number}", _json_line, line, f"{where}:{number}", fb)


def json_lines(head: bytes) -> bool:
    """Whether a file starting with ``head`` is JSON Lines: its first line is a whole JSON record
    (not ``{"articles": [...]}``, a dump read as one document). A pretty-printed record or a JSON array
    starts with a line that is no whole record, so it is read whole as before."""
    first = head.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n\t ").split(b"\n", 1)[0]
    try:
        record = json.loads(first)
    except ValueError:
        return False
    return isinstance(record, dict) and not isinstance(record.get("articles"), list)


def read_jsonl_stream(stream: BinaryIO, where: str, fb: Fallbacks) -> Iterator[Item]:
    """JSON Lines read a line at a time (:func:`json_lines` said so from the file's head), so memory
    holds one record whatever the file's size. Items are the ones :func:`read_jsonl` gives for the same
    lines: each line's record, its raw bytes and its ``FILE:LINE`` place; a line over MAX_INPUT_BYTES
    or a broken gzip tail is rejected by place and what came before it is kept."""
    limit = defaults.MAX_INPUT_BYTES
    number = 0
    while True:
        number += 1
        at = f"{where}:{number}"
        try:
            raw = stream.readline(limit + 1)
            if len(raw) > limit and not raw.endswith(b"\n"):
                _skip_line(stream)
                yield Rejection(at, f"a line of more than {limit:,} bytes (defaults.MAX_INPUT_BYTES): "
                                    "split the record or raise the limit")
                continue
        except (OSError, EOFError, zlib.error) as exc:  # a broken or cut .gz, found only when read
            yield Rejection(at, f"could not read on from here ({type(exc).__name__}: {exc}); the lines "
                                "before it are read: re-compress or repair the file")
            return
        if not raw:
            return
        line = decode_line(raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw).rstrip("\r\n")
        if line.strip():
            yield guarded(at, _json_line, line, at, fb)


def _skip_line(stream: BinaryIO) -> None:
    """Read past the rest of an over-long line in bounded chunks."""
    while (chunk := stream.readline(1 << 20)) and not chunk.endswith(b"\n"):
        pass


def _json_line(line: str, where: str, fb: Fallbacks) -> Item:
    try:
        record = json.loads(line)
    except ValueError as exc:
        raise MalformedInputError(where, f"malformed JSON ({exc}); fix or remove that line") from exc
    return _record_item(record, line.encode("utf-8"), where, fb, "jsonl")


def _json_document(doc: Any, where: str, fb: Fallbacks) -> Iterator[Item]:
    """A JSON array of records, ``{"articles": [...]}``, or one pretty-printed record."""
    if isinstance(doc, dict) and isinstance(doc.get("articles"), list):
        doc = doc["articles"]
    if isinstance(doc, list) and not doc:
        raise MalformedInputError(where, "an empty JSON list: no records to read")
    if isinstance(doc, dict):
        raw = json.dumps(doc, ensure_ascii=False).encode("utf-8")
        yield guarded(where, _record_item, doc, raw, where, fb, "jsonl")
        return
    for number, record in enumerate(doc, 1):
        item_where = f"{where}#{number}"
        raw = json.dumps(record, ensure_ascii=False).encode("utf-8")
        yield guarded(item_where, _record_item, record, raw, item_where, fb, "jsonl")


def _record_item(
    record: Any, raw: bytes, where: str, fb: Fallbacks, fmt: str, html: bool | None = None
) -> Item:
    if not isinstance(record, Mapping):
        raise MalformedInputError(where, f"a JSON {type(record).__name__}, not an object with a text field")
    article = article_from_record(
        record, fb.outlet, fb.published, where, raw_id=bytes_id(raw), fmt=fmt, html=html
    )
    return raw_input(raw, where, fmt), article


def read_csv(data: bytes, where: str, fb: Fallbacks) -> Iterator[Item]:
    """CSV or TSV with a header row; quoted multi-line fields allowed (RFC 4180). A bad row is one
    rejection and the rows after it are still read."""
    text = decode_bytes(data, where)
    dialect = _dialect(text)
    # The module-wide default (131,072 characters) would reject a long article's text cell; the
    # input is already capped at MAX_INPUT_BYTES, which bounds any field too.
    csv.field_size_limit(max(csv.field_size_limit(), defaults.MAX_INPUT_BYTES))
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise MalformedInputError(
            where, f"CSV without a header row ({exc}); add one (title,text,...)"
        ) from exc
    start = reader.line_num + 1
    rows = 0
    while True:
        item_where = f"{where}:{start}"
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rows += 1
            yield Rejection(item_where, f"malformed CSV ({exc}); fix that row")
            if reader.line_num < start:  # nothing consumed: the reader cannot go on
                return
            start = reader.line_num + 1
            continue
        if any(cell.strip() for cell in row):
            rows += 1
            yield guarded(item_where, _csv_item, header, row, item_where, dialect, fb)
        start = reader.line_num + 1
    if not rows:
        raise MalformedInputError(where, "a header row and no data rows: nothing to read")


def _csv_item(header: list[str], row: list[str], where: str, dialect: Any, fb: Fallbacks) -> Item:
    if len(row) > len(header):
        raise MalformedInputError(
            where, f"{len(row)} cells under {len(header)} columns; quote fields with commas"
        )
    buffer = io.StringIO()
    csv.writer(buffer, dialect).writerow(row)
    return _record_item(
        dict(zip(header, row, strict=False)), buffer.getvalue().encode("utf-8"), where, fb, "csv"
    )


def _dialect(text: str) -> Any:
    first = text.split("\n", 1)[0]
    if first.count("\t") > first.count(","):
        return csv.excel_tab
    return csv.excel


def read_feed(data: bytes, where: str, fb: Fallbacks) -> Iterator[Item]:
    """RSS 2.0 / RSS 1.0 / Atom: one article per item; the channel title is the outlet."""
    import feedparser

    feed = feedparser.parse(data)
    entries = feed.get("entries") or []
    if not entries:
        problem = feed.get("bozo_exception")
        why = f" ({problem})" if problem else ""
        raise MalformedInputError(where, f"not an RSS or Atom feed with items{why}; check the file or URL")
    channel = feed.get("feed", {}).get("title") or fb.outlet
    for number, entry in enumerate(entries, 1):
        item_where = f"{where}#{number}"
        yield guarded(item_where, _feed_item, entry, channel, item_where, fb)


def _feed_item(entry: Mapping[str, Any], channel: str | None, where: str, fb: Fallbacks) -> Item:
    contents = entry.get("content") or []
    body = contents[0].get("value") if contents else None
    written = entry.get("published") or entry.get("updated")
    # The date as written keeps the outlet's own day; feedparser's parsed form is shifted to UTC.
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    record = {
        "title": entry.get("title"),
        "text": body or entry.get("summary") or entry.get("description"),
        "url": entry.get("link"),
        "outlet": channel,
        "published": written if normalize_published(written)[0] else parsed,
        "author": entry.get("author"),
    }
    raw = json.dumps(record | {"published": written}, ensure_ascii=False).encode("utf-8")
    return _record_item(record, raw, where, Fallbacks(channel or fb.outlet, fb.published), "rss", html=True)


READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "jsonl": read_jsonl,
    "csv": read_csv,
    "rss": read_feed,
}
