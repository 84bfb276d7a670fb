"""Where inputs come from: files, folders (recursively), gzip files and http(s) URLs.

:func:`read_path` is the library entry point: it yields ``(RawInput, Article)`` pairs and
:class:`Rejection` records, never raising for bad input, so a caller (the ingest stage, a benchmark,
the API) can store the good ones and report the rest.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from newsfuse import defaults
from newsfuse.errors import InputError, MalformedInputError, TooLargeInputError
from newsfuse.ingest.detect import GZIP_MAGIC, detect_format, inner_name, known_extension
from newsfuse.ingest.readers import READERS, Fallbacks, Item, read_html
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
        for file in folder_files(p)[0]:
            yield from read_file(file, fb)
    elif p.is_file():
        yield from read_file(p, fb)
    else:
        yield Rejection(name, "no such file or folder; check the path")


def is_url(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


def folder_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """(files to read, files skipped) under ``folder``, in a stable order; hidden entries are ignored."""
    read: list[Path] = []
    skipped: list[Path] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            wanted = known_extension(name) and not name.lower().startswith(_SKIP_STEMS)
            (read if wanted else skipped).append(Path(root) / name)
    return read, skipped


def read_file(path: Path, fb: Fallbacks) -> Iterator[Item]:
    """The items of one file; any problem with the file as a whole becomes one Rejection."""
    where = str(path)
    try:
        if _is_warc(path):
            yield from read_warc(path, where, fb)
            return
        size = path.stat().st_size
        if size > defaults.MAX_INPUT_BYTES:
            raise TooLargeInputError(where, _too_large(size))
        data = path.read_bytes()
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


def read_bytes(data: bytes, where: str, name: str, fb: Fallbacks, url: str | None = None) -> Iterator[Item]:
    """The items in ``data`` (already decompressed), a file or download called ``name``."""
    fmt = detect_format(name, data[:65536])
    if fmt == "warc":
        yield from read_warc(io.BytesIO(data), where, fb)
    elif fmt == "html":
        yield from read_html(data, where, fb, url=url)
    else:
        yield from READERS[fmt](data, where, fb)


def read_url(url: str, fb: Fallbacks) -> Iterator[Item]:
    """A page or feed over http(s), fetched politely (robots.txt, size cap, timeouts: see
    :mod:`newsfuse.ingest.fetch`); without a network this is one clear rejection."""
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
        yield from read_bytes(data, url, Path(urlsplit(page.final_url).path).name or "feed", fb,
                              url=page.final_url)
    except InputError as exc:
        yield Rejection(exc.where, exc.reason)


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


def _is_warc(path: Path) -> bool:
    if inner_name(path.name).lower().endswith(".warc"):
        return True
    with path.open("rb") as fh:
        head = fh.read(8)
        if not head.startswith(GZIP_MAGIC):
            return head.startswith(b"WARC/")
    try:
        with gzip.open(path, "rb") as gz:
            return bool(gz.read(5) == b"WARC/")
    except (OSError, EOFError, zlib.error):
        return False


def _too_large(size: int, prefix: str = "") -> str:
    return (
        f"{prefix}{size:,} bytes, over the {defaults.MAX_INPUT_BYTES:,}-byte limit "
        "(defaults.MAX_INPUT_BYTES): split it or raise the limit"
    )
