"""Where inputs come from: files, folders (recursively), gzip files and http(s) URLs.

:func:`read_path` is the library entry point: it yields ``(RawInput, Article)`` pairs and
:class:`Rejection` records, never raising for bad input, so a caller (the ingest stage, a benchmark,
the API) can store the good ones and report the rest.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from newsfuse import defaults
from newsfuse.errors import EmptyInputError, InputError, MalformedInputError, TooLargeInputError, printable
from newsfuse.ingest.decode import looks_like_utf8_text
from newsfuse.ingest.detect import GZIP_MAGIC, detect_format, inner_name, known_extension
from newsfuse.ingest.readers import READERS, Fallbacks, Item, json_lines, read_html, read_jsonl_stream
from newsfuse.ingest.warc import read_warc
from newsfuse.models import Rejection

# Files a folder walk passes over even with a known extension: project papers, not news.
_SKIP_STEMS = ("readme", "license", "licence", "changelog", "notice", "copying")


def read_path(path: str | Path, outlet: str | None = None, published: str | None = None) -> Iterator[Item]:
    """Every article (or rejection) in a file, a folder (recursively) or an http(s) URL."""
    fb = Fallbacks(outlet, published)
    name = str(path)
    if is_url(name):
        yield from read_url(name, fb)
        return
    p = Path(path)
    if p.is_dir():
        files, _, unreadable = folder_files(p)
        yield from unreadable
        for file in files:
            yield from read_file(file, fb)
    elif p.exists():
        yield from read_file(p, fb)
    else:
        yield Rejection(printable(name), "no such file or folder; check the path")


def is_url(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


def folder_files(folder: Path) -> tuple[list[Path], list[Path], list[Rejection]]:
    """(files to read, files skipped, folders that could not be listed) under ``folder``, in a stable
    order; hidden entries are ignored."""
    read: list[Path] = []
    skipped: list[Path] = []
    unreadable: list[Rejection] = []

    def refused(exc: OSError) -> None:
        where = printable(str(exc.filename or folder))
        unreadable.append(Rejection(where, f"cannot list this folder ({exc.strerror or exc}); "
                                           "check its permissions"))

    for root, dirs, files in os.walk(folder, onerror=refused):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            wanted = known_extension(name) and not name.lower().startswith(_SKIP_STEMS)
            (read if wanted else skipped).append(Path(root) / name)
    return read, skipped, unreadable


def read_file(path: Path, fb: Fallbacks) -> Iterator[Item]:
    """The items of one file; any problem with the file as a whole becomes one Rejection, and a file
    that yields no article at all says so (nothing is passed over in silence)."""
    where = printable(str(path))
    yield from nothing_silent(_file_items(path, where, fb), where)


def _file_items(path: Path, where: str, fb: Fallbacks) -> Iterator[Item]:
    try:
        with open_regular(path, where) as fh:
            if _is_warc(fh):
                yield from read_warc(fh, where, fb)
                return
            lines = _json_lines_stream(fh, inner_name(path.name), where)
            if lines is not None:
                yield from read_jsonl_stream(lines, where, fb)
                return
            data = read_capped(fh, where)
        if data.startswith(GZIP_MAGIC):
            data = gunzip(data, where)
        yield from read_bytes(data, where, inner_name(path.name), fb)
    except InputError as exc:
        yield Rejection(exc.where, exc.reason)
    except OSError as exc:
        yield Rejection(
            where, f"cannot read it ({exc.strerror or exc}); check that it exists and is readable"
        )
    except Exception as exc:  # a parser surprise must not end the batch or show a traceback
        yield Rejection(where, f"could not read it ({type(exc).__name__}: {exc}); check the file")


def nothing_silent(items: Iterator[Item], where: str) -> Iterator[Item]:
    """``items``, plus one Rejection saying so when there were none."""
    count = 0
    for item in items:
        count += 1
        yield item
    if not count:
        yield Rejection(where, "no article in it (no record, item or page with text); check that it holds "
                               "news in a format newsfuse reads")


@contextmanager
def open_regular(path: Path, where: str) -> Iterator[BinaryIO]:
    """The file opened for reading, when it is a regular file. A FIFO, socket or device (also behind
    a link) is refused without blocking: reading one would hang or never end."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise MalformedInputError(where, f"not a regular file ({_kind(mode)}); only files are read")
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
        fh = os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise
    with fh:
        yield fh


def read_capped(fh: BinaryIO, where: str) -> bytes:
    """All of ``fh``, refusing (while reading, not by its announced size) past ``MAX_INPUT_BYTES``."""
    limit = defaults.MAX_INPUT_BYTES
    data = fh.read(limit + 1)
    if len(data) > limit:
        raise TooLargeInputError(where, _too_large(limit, "more than "))
    return data


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISDIR, "a folder")):
        if test(mode):
            return name
    return "not a regular file"


def read_bytes(data: bytes, where: str, name: str, fb: Fallbacks, url: str | None = None) -> Iterator[Item]:
    """The items in ``data`` (already decompressed), a file or download called ``name``."""
    fmt = detect_format(name, data[:65536])
    if fmt == "warc" and not data.strip():
        raise EmptyInputError(where, "empty input: nothing to read; remove the file or add the WARC records")
    if fmt == "warc" and not data.lstrip().startswith(b"WARC/"):
        raise MalformedInputError(where, "named like a WARC file but it does not start with a WARC header "
                                         "('WARC/1.0'); check the file or rename it")
    if fmt == "warc":
        yield from read_warc(io.BytesIO(data), where, fb)
    elif fmt == "html":
        yield from read_html(data, where, fb, url=url)
    else:
        yield from READERS[fmt](data, where, fb)


def read_url(url: str, fb: Fallbacks) -> Iterator[Item]:
    """A page or feed over http(s), fetched politely (robots.txt, size cap, timeouts: see
    :mod:`newsfuse.ingest.fetch`); without a network this is one clear rejection."""
    yield from nothing_silent(_url_items(url, fb), printable(url))


def _url_items(url: str, fb: Fallbacks) -> Iterator[Item]:
    from newsfuse.ingest.fetch.client import shared_fetcher
    from newsfuse.ingest.fetch.page import is_html, page_item

    try:  # one fetcher per process: several URLs of one site are spaced and share its robots.txt
        page = shared_fetcher().get(url)
    except InputError as exc:
        yield Rejection(exc.where, exc.reason)
        return
    if is_html(page):  # a page is one article, its canonical URL kept
        yield page_item(page, fb.outlet, url, outlet_wins=False)
        return
    try:  # a feed (or any other format) is read as a file of that format would be
        data = gunzip(page.body, url) if page.body.startswith(GZIP_MAGIC) else page.body
        yield from read_bytes(data, printable(url), Path(urlsplit(page.final_url).path).name or "feed", fb,
                              url=page.final_url)
    except InputError as exc:
        yield Rejection(exc.where, exc.reason)
    except Exception as exc:  # a parser surprise must not end the batch or show a traceback
        yield Rejection(printable(url), f"could not read it ({type(exc).__name__}: {exc}); check the URL")


def gunzip(data: bytes, where: str) -> bytes:
    """Decompress, refusing to inflate past MAX_INPUT_BYTES (a small .gz can hide a huge file)."""
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            while chunk := fh.read(1 << 20):
                out.write(chunk)
                if out.tell() > defaults.MAX_INPUT_BYTES:
                    raise TooLargeInputError(
                        where, _too_large(out.tell(), "more than ") + " once decompressed"
                    )
    except (OSError, EOFError, zlib.error) as exc:
        raise MalformedInputError(where, f"broken gzip data ({exc}); re-compress or unpack the file") from exc
    return out.getvalue()


def _json_lines_stream(fh: BinaryIO, name: str, where: str) -> BinaryIO | None:
    """``fh`` (or its gunzipped stream) to read a line at a time, at its start, when it is a JSON Lines
    file of at least JSONL_STREAM_FROM_BYTES in clean UTF-8 (issue 14: memory flat in the input's size);
    None otherwise, with ``fh`` at its start for the whole-file readers and their checks."""
    wanted = defaults.JSONL_STREAM_FROM_BYTES
    head = fh.read(wanted)
    fh.seek(0)
    stream: BinaryIO = fh
    if head.startswith(GZIP_MAGIC):
        try:
            stream = gzip.GzipFile(fileobj=fh)  # type: ignore[assignment]
            head = stream.read(wanted)
            stream.seek(0)
        except (OSError, EOFError, zlib.error):
            fh.seek(0)
            return None  # the whole-file path says what is wrong with it
    if (len(head) < wanted or detect_format(name, head[:65536]) != "jsonl" or not json_lines(head)
            or not looks_like_utf8_text(head, where)):
        fh.seek(0)
        return None
    return stream


def _is_warc(fh: BinaryIO) -> bool:
    """A WARC by its content (plain or gzipped); the file is left at its start. A file only named
    .warc is read by its content (and refused when it holds no WARC header)."""
    head = fh.read(8)
    fh.seek(0)
    if not head.startswith(GZIP_MAGIC):
        return head.startswith(b"WARC/")
    try:
        with gzip.GzipFile(fileobj=fh) as gz:
            return bool(gz.read(5) == b"WARC/")
    except (OSError, EOFError, zlib.error):
        return False
    finally:
        fh.seek(0)


def _too_large(size: int, prefix: str = "") -> str:
    return (
        f"{prefix}{size:,} bytes, over the {defaults.MAX_INPUT_BYTES:,}-byte limit "
        "(defaults.MAX_INPUT_BYTES): split it or raise the limit"
    )
