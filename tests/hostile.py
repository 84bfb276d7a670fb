"""A corpus of hostile input files beside good ones, for tests/test_ingest_faults.py and
bench/faults.py: each file says what ingesting it must give (its good articles stored, or a
rejection line naming it), so a reader that turns silent, crashes or loses the rest of a batch fails.

``build(folder, texts)`` writes the corpus; ``texts`` are good article texts (the tests write their
own sentences; the benchmark passes real articles), at least 4, each over 200 characters.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import gzip
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path

SCRIPT_MARK = "Injected-script-words"  # in a page's scripts: no stored text may hold them
# entity declarations nested ten deep (a billion laughs), then an external entity
_BOMB = ('<!DOCTYPE html [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "' + (f"&lol{i - 1};" if i > 1 else "&lol;") * 10 + '">' for i in range(1, 10))
    + "]>\n")
_EXTERNAL = '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'


@dataclass(frozen=True)
class Expect:
    """What ingesting one file must give: ``articles`` good texts stored from it and at least
    ``rejections`` rejection lines naming it (0: it must give none)."""

    articles: tuple[str, ...] = ()
    rejections: int = 0


def build(folder: Path, texts: list[str], heavy: bool = True) -> dict[str, Expect]:
    """Write the corpus into ``folder``; name -> expectation. ``heavy``: include the cost bombs
    (slow to analyse on purpose; the benchmark times them, most tests leave them out)."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Expect] = {}
    used = iter(range(1, 10**6))

    def fresh(i: int) -> str:
        """Good text ``i`` made unique to its file: a copy would be 'already stored', which no
        line names, and the test could not tell it from a silent input."""
        return f"{texts[i % len(texts)]} (Item {next(used)}.)"

    def put(name: str | bytes, data: bytes, expect: Expect) -> None:
        path = folder / os.fsdecode(name) if isinstance(name, bytes) else folder / name
        path.write_bytes(data)
        out[os.fsdecode(name) if isinstance(name, bytes) else name] = expect

    bad = Expect(rejections=1)
    a, b = fresh(0), fresh(1)
    put(b"latin1-name-\xe9t\xe9.txt", a.encode(), Expect((a,)))  # a name that is not UTF-8
    put("escape-\x1b[31mred\nline.txt", b.encode(), Expect((b,)))  # terminal escape and newline
    c, d = fresh(2), fresh(3)
    big_int = '{"text": ' + json.dumps(c) + ', "published": 1' + "0" * 400 + "}\n"
    put("huge-number.jsonl", (big_int + json.dumps({"text": d}) + "\n").encode(), Expect((d,), 1))
    c, a = fresh(2), fresh(0)
    long_cell = (c + " ") * (140_000 // len(c) + 1)
    rows = io.StringIO()
    csv.writer(rows).writerows([["title", "text"], ["Long", long_cell.strip()], ["Short", a]])
    put("long-field.csv", rows.getvalue().encode(), Expect((long_cell.strip(), a)))
    b = fresh(1)
    put("nul-url.jsonl", json.dumps({"text": b, "url": "http://example.org/a\u0000b"}).encode() + b"\n",
        Expect((b,)))
    c = fresh(2)
    lone = json.dumps({"text": c[:60] + "\ud800" + c[60:], "url": "http://example.org/\udc80"})
    put("lone-surrogate.jsonl", lone.encode() + b"\n", Expect((c,)))  # JSON can name half a pair
    put("empty.warc", b"", bad)
    put("empty.warc.gz", gzip.compress(b""), bad)
    put("empty-list.json", b"[]", bad)
    put("header-only.csv", b"title,text\n", bad)
    put("bad-header.warc", b"WARC/1.0\r\nthis is no header\r\n\r\n", bad)
    put("only-404.warc", _warc([("http://example.org/gone", 404, b"<html><body>gone</body></html>")]), bad)
    put("text-named.warc", fresh(2).encode(), bad)
    d = fresh(3)
    put("warning.warc", _warc([("http://example.org/ok", 200, _page(d))], bad_length=True),
        Expect((d,), 1))
    put("binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(300), bad)
    put("empty.txt", b"", bad)
    put("bomb.txt.gz", gzip.compress(b" " * (60 * 1024 * 1024), compresslevel=9), bad)
    put("broken.json", b'{"text": "unterminated', bad)
    put("not-a-feed.xml", b"just words, no feed at all", bad)
    with contextlib.suppress(OSError):  # no FIFOs on this system: left out
        os.mkfifo(folder / "pipe.txt")
        out["pipe.txt"] = bad
    with contextlib.suppress(OSError):
        (folder / "zero.txt").symlink_to("/dev/zero")
        out["zero.txt"] = bad
    attrs = " ".join(f'a{i}="v"' for i in range(50_000))
    put("attributes.html", f"<html><body><div {attrs}>x</div><p>{fresh(0)}</p></body></html>".encode(), bad)
    # Text in another encoding than UTF-8 (Latin-1; UTF-16 with its byte-order mark): decoded, stored.
    a, b, c = fresh(0) + " Caf\u00e9 owners agreed.", fresh(1) + " Na\u00efve.", fresh(2) + " \u00dcber."
    put("latin1.txt", a.encode("latin-1"), Expect((a,)))
    put("utf16-le.txt", codecs.BOM_UTF16_LE + b.encode("utf-16-le"), Expect((b,)))
    put("utf16-be.txt", codecs.BOM_UTF16_BE + c.encode("utf-16-be"), Expect((c,)))
    # A malformed line among good ones: one line naming it (line 2), the lines around it stored.
    a, b = fresh(3), fresh(0)
    lines = [json.dumps({"text": a}), '{"text": "broken', json.dumps({"text": b})]
    put("malformed-line.jsonl", "\n".join(lines).encode() + b"\n", Expect((a, b), 1))
    # Hostile HTML: scripts (never text), nesting far past the parser's depth, entity declarations
    # (a bomb; an external entity in a feed): the article text is kept, nothing expanded.
    a, b, c, d = fresh(1), fresh(2), fresh(3), fresh(0)
    script = f"<script>var s = '{SCRIPT_MARK}';</script>"
    put("scripts.html", f"<html><head>{script}</head><body><p>{a}</p>{script}</body></html>".encode(),
        Expect((a,)))
    deep = "<html><body>" + "<div>" * 100_000 + f"<p>{b}</p>" + "</div>" * 100_000 + "</body></html>"
    put("deep-nesting.html", deep.encode(), Expect((b,)))
    put("entity-bomb.html", f"{_BOMB}<html><head><title>&lol9;</title></head><body><p>{c}</p></body></html>"
        .encode(), Expect((c,)))
    feed = (f"{_EXTERNAL}<rss version='2.0'><channel><title>&x;</title><item><title>&x;</title>"
            f"<description>{d}</description></item></channel></rss>")
    put("external-entity.xml", feed.encode(), Expect((d,)))
    if heavy:
        put("quote-run.txt", (fresh(0) + "\n\n" + '"' * 16_000 + "\n\n" + fresh(1)).encode(),
            Expect(rejections=0))
        c = fresh(2)
        put("long-line.txt", (" ".join([c] * (150_000 // len(c) + 1))).encode(), Expect(rejections=0))
    return out


def _page(text: str) -> bytes:
    page = f"<html><head><title>Report</title></head><body><article><p>{text}</p></article></body></html>"
    return page.encode()


def _warc(pages: list[tuple[str, int, bytes]], bad_length: bool = False) -> bytes:
    """A WARC of response records (``bad_length``: the first record's Content-Length is one byte
    short, which makes warcio print a multi-line warning)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for url, status, body in pages:
        http = StatusAndHeaders(f"{status} {'OK' if status == 200 else 'Not Found'}",
                                [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=http))
    data = buffer.getvalue()
    if bad_length:
        head, _, rest = data.partition(b"Content-Length: ")
        number, _, tail = rest.partition(b"\r\n")
        data = head + b"Content-Length: " + str(int(number) - 1).encode() + b"\r\n" + tail
    return data
