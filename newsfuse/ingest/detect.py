"""Which reader an input needs, decided by its content first and its name second.

Content wins because names lie (a feed saved as ``.txt``, an HTML page saved without extension); the
name decides only what content cannot (CSV vs text, a ``.xml`` that should have been a feed).
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath

FORMATS = ("text", "html", "rss", "jsonl", "csv", "warc")

EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".xml": "rss",
    ".rss": "rss",
    ".atom": "rss",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".warc": "warc",
}
COMPRESSED = (".gz",)
GZIP_MAGIC = b"\x1f\x8b"

_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)\b", re.I)
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_HTML_PARTS = re.compile(rb"<(?:head|body)\b", re.I)


def inner_name(name: str) -> str:
    """'news.jsonl.gz' -> 'news.jsonl': the name that tells the format of the decompressed bytes."""
    for ext in COMPRESSED:
        if name.lower().endswith(ext):
            return name[: -len(ext)]
    return name


def known_extension(name: str) -> bool:
    """True for names a folder walk should read (everything else there is skipped)."""
    return PurePath(inner_name(name)).suffix.lower() in EXTENSIONS


def detect_format(name: str, head: bytes) -> str:
    """One of :data:`FORMATS` for an input called ``name`` starting with ``head`` (decompressed)."""
    sniffed = _sniff(head)
    if sniffed:
        return sniffed
    return EXTENSIONS.get(PurePath(inner_name(name)).suffix.lower(), "text")


def _sniff(head: bytes) -> str | None:
    start = head[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"WARC/"):
        return "warc"
    if start.startswith(b"<"):
        if _HTML_START.match(start) or (_HTML_PARTS.search(start) and not _FEED_ROOT.search(start)):
            return "html"
        if _FEED_ROOT.search(start):
            return "rss"
    if start.startswith(b"{") and _json_object_line(head.lstrip(b"\xef\xbb\xbf \t\r\n")):
        return "jsonl"
    return None


def _json_object_line(start: bytes) -> bool:
    line = start.split(b"\n", 1)[0]
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False
