"""Each input format, read from tiny fixtures written here (fictional text)."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from newsfuse import defaults
from newsfuse.ingest.articles import article_from_record, article_from_text
from newsfuse.ingest.detect import detect_format
from newsfuse.ingest.sources import read_path
from newsfuse.models import Article, RawInput, Rejection

P1 = "Ferry services across the Velmar strait were suspended on Monday after gale-force winds."
P2 = "The harbour master said crossings would resume once the swell dropped below three metres."
BODY = f"{P1}\n\n{P2}"

PAGE = f"""<!DOCTYPE html><html><head><title>Ferries halted | Strait Times</title>
<meta property="og:site_name" content="Strait Times">
<meta name="author" content="Ola Brenn">
<meta property="article:published_time" content="2025-10-06T07:00:00+02:00">
<script>document.write('tracking pixel');</script></head>
<body><nav><a href="/">Home</a> <a href="/sport">Sport</a></nav>
<article><h1>Ferries halted</h1><p>{P1}</p><p>{P2.replace("three", "three&nbsp;")}</p></article>
<footer>&copy; 2025 Strait Times. All rights reserved.</footer></body></html>"""

RSS = f"""<?xml version="1.0"?><rss version="2.0"
 xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Strait Radio</title>
<item><title>Ferries halted</title><link>https://radio.example/a</link>
<pubDate>Mon, 06 Oct 2025 23:30:00 -0500</pubDate><description>{P1}</description>
<content:encoded><![CDATA[<p>{P1}</p><p>{P2}</p>]]></content:encoded></item>
<item><title>Empty</title><description>Too short.</description></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Strait Weekly</title><entry><title>Ferries halted</title><link href="https://weekly.example/a"/>
<updated>2025-10-07T09:00:00Z</updated>
<summary type="html">&lt;p&gt;{P1}&lt;/p&gt;&lt;p&gt;{P2}&lt;/p&gt;</summary>
</entry></feed>"""


def items(path: Path | str, **kw: str) -> tuple[list[tuple[RawInput, Article]], list[Rejection]]:
    good: list[tuple[RawInput, Article]] = []
    bad: list[Rejection] = []
    for item in read_path(path, **kw):
        (bad if isinstance(item, Rejection) else good).append(item)  # type: ignore[arg-type]
    return good, bad


def write(tmp: Path, name: str, data: str | bytes) -> Path:
    p = tmp / name
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


def test_plain_text_with_fallbacks(tmp_path: Path) -> None:
    ((raw, a),) = items(write(tmp_path, "a.txt", BODY), outlet="Strait Post", published="2025-10-06")[0]
    assert a.text == BODY and a.outlet == "Strait Post" and a.published == "2025-10-06"
    assert a.published_source == "flag" and a.fmt == "text" and a.source == str(tmp_path / "a.txt")
    assert raw.content == BODY.encode() and a.raw_id == raw.id


def test_header_wins_over_fallback(tmp_path: Path) -> None:
    text = f"date 2025-10-05 (Strait Post)\nFerries halted\n\n{BODY}"
    ((_, a),) = items(write(tmp_path, "a.txt", text), outlet="Other", published="2025-01-01")[0]
    assert (a.outlet, a.published, a.published_source, a.title) == (
        "Strait Post",
        "2025-10-05",
        "header",
        "Ferries halted",
    )
    assert a.text == BODY


def test_html_page(tmp_path: Path) -> None:
    ((_, a),) = items(write(tmp_path, "page.htm", PAGE))[0]
    assert P1 in a.text and "three  metres" not in a.text and "three metres" in a.text
    assert "tracking" not in a.text and "Home" not in a.text and "rights reserved" not in a.text
    assert a.text.count("\n\n") >= 1 and a.outlet == "Strait Times" and a.author == "Ola Brenn"
    assert a.published == "2025-10-06" and a.published_source == "metadata" and a.fmt == "html"


def test_html_detected_by_content_whatever_the_name(tmp_path: Path) -> None:
    ((_, a),) = items(write(tmp_path, "saved_page", PAGE))[0]
    assert a.fmt == "html" and a.outlet == "Strait Times"


def test_rss_items_channel_outlet_and_local_date(tmp_path: Path) -> None:
    good, bad = items(write(tmp_path, "feed.xml", RSS))
    ((_, a),) = good
    assert a.outlet == "Strait Radio" and a.title == "Ferries halted" and a.url == "https://radio.example/a"
    assert a.text == BODY and a.fmt == "rss" and a.source == f"{tmp_path / 'feed.xml'}#1"
    assert a.published == "2025-10-06"  # the outlet's own day, not UTC's 2025-10-07
    assert [r.where for r in bad] == [f"{tmp_path / 'feed.xml'}#2"] and "characters" in bad[0].reason


def test_atom_feed_detected_by_content(tmp_path: Path) -> None:
    ((_, a),) = items(write(tmp_path, "weekly.txt", ATOM))[0]
    assert a.outlet == "Strait Weekly" and a.text == BODY and a.published == "2025-10-07"


def test_jsonl_lenient_keys_and_bad_line(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "headline": "Ferries halted",
                "body": BODY,
                "source": {"name": "Strait Post"},
                "pubDate": "Mon, 06 Oct 2025 10:00:00 +0000",
                "link": "https://post.example/1",
                "authors": ["Ola Brenn", "Per Vik"],
            }
        ),
        "{not json",
        json.dumps({"title": "No text here", "site": "Strait Post"}),
        json.dumps(["a", "list"]),
    ]
    good, bad = items(write(tmp_path, "n.jsonl", "\n".join(lines)))
    ((_, a),) = good
    assert (a.title, a.outlet, a.published, a.url, a.author) == (
        "Ferries halted",
        "Strait Post",
        "2025-10-06",
        "https://post.example/1",
        "Ola Brenn, Per Vik",
    )
    where = str(tmp_path / "n.jsonl")
    assert [r.where for r in bad] == [f"{where}:2", f"{where}:3", f"{where}:4"]
    assert "malformed JSON" in bad[0].reason and "no text field" in bad[1].reason


def test_json_array_and_news_api_document(tmp_path: Path) -> None:
    doc = {"articles": [{"content": BODY, "publisher": "Strait Post", "date": "2025-10-06"}]}
    ((_, a),) = items(write(tmp_path, "dump.json", json.dumps(doc, indent=2)))[0]
    assert a.outlet == "Strait Post" and a.source == f"{tmp_path / 'dump.json'}#1"


def test_csv_multiline_fields_and_row_without_text(tmp_path: Path) -> None:
    quoted = P2.replace("three", 'three ""big""')  # RFC 4180: a quote inside a field is doubled
    data = (
        "Title,Content,Site,Date\r\n"
        f'"Ferries halted","{P1}\n\n{quoted}",Strait Post,2025-10-06\r\n'
        '"Nothing",,Strait Post,2025-10-06\r\n'
    )
    good, bad = items(write(tmp_path, "t.csv", data))
    ((_, a),) = good
    assert (
        a.outlet == "Strait Post"
        and a.text.startswith(P1)
        and 'three "big" metres' in a.text
        and a.fmt == "csv"
    )
    assert [r.where for r in bad] == [f"{tmp_path / 't.csv'}:5"] and "field is empty" in bad[0].reason


def test_tsv(tmp_path: Path) -> None:
    ((_, a),) = items(write(tmp_path, "t.tsv", f"text\toutlet\n{P1} {P2}\tStrait Post\n"))[0]
    assert a.outlet == "Strait Post"


def test_gzipped_jsonl(tmp_path: Path) -> None:
    data = gzip.compress(json.dumps({"text": BODY, "outlet": "Strait Post"}).encode())
    ((_, a),) = items(write(tmp_path, "n.jsonl.gz", data))[0]
    assert a.text == BODY and a.fmt == "jsonl"


def _warc(tmp_path: Path, name: str, gz: bool) -> Path:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gz)
    writer.write_record(
        writer.create_warc_record(
            "https://www.straitpost.example/ferries",
            "response",
            payload=io.BytesIO(PAGE.replace("Strait Times", "").encode()),
            http_headers=StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            ),
        )
    )
    writer.write_record(
        writer.create_warc_record(
            "https://www.straitpost.example/logo.png",
            "response",
            payload=io.BytesIO(b"\x89PNG...."),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1"),
        )
    )
    return write(tmp_path, name, out.getvalue())


@pytest.mark.parametrize(("name", "gz"), [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc_html_records(tmp_path: Path, name: str, gz: bool) -> None:
    good, bad = items(_warc(tmp_path, name, gz))
    assert not bad
    ((_, a),) = good
    assert a.url == "https://www.straitpost.example/ferries" and a.outlet == "straitpost.example"
    assert P1 in a.text and a.fmt == "warc" and a.source == f"{tmp_path / name}#1"


def test_detect_format() -> None:
    assert detect_format("x.txt", b"<?xml version='1.0'?><rss>") == "rss"
    assert detect_format("x.xml", b"<!doctype html><html>") == "html"
    assert detect_format("x.csv", b"title,text\n") == "csv"
    assert detect_format("x", b'{"text": "a"}\n') == "jsonl"
    assert detect_format("x.dat", b"WARC/1.0\r\n") == "warc"
    assert detect_format("notes", b"Plain words < more words.") == "text"


def test_record_and_text_helpers_for_the_api() -> None:
    a = article_from_record({"Text": BODY, "Outlet": "Strait Post", "Published": "6 October 2025"})
    assert a.outlet == "Strait Post" and a.published == "2025-10-06" and a.published_source == "metadata"
    b = article_from_text(BODY, outlet="Strait Post", published="2025-10-06")
    assert b.id == a.id  # same outlet, same cleaned text: one article


def test_bad_inputs_each_give_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "MAX_INPUT_BYTES", 10_000)
    cases = {
        "empty.txt": b"",
        "image.txt": b"\x89PNG\r\n\x1a\n" + bytes(200),
        "nul.txt": b"words\x00" * 50,
        "short.txt": b"Too short.",
        "bad.xml": b"this is not xml at all, just words",
        "huge.txt": b"word " * 3000,
        "broken.json": b'{"text": "unterminated',
        "bad.gz": b"\x1f\x8b\x08\x00garbage",
    }
    for name, data in cases.items():
        good, bad = items(write(tmp_path, name, data))
        assert not good and len(bad) == 1, name
        assert bad[0].where == str(tmp_path / name) or bad[0].where.startswith(f"{tmp_path / name}:"), name
        assert bad[0].reason and "Traceback" not in bad[0].reason, name
    assert "limit" in items(tmp_path / "huge.txt")[1][0].reason
    assert "RSS or Atom" in items(tmp_path / "bad.xml")[1][0].reason


def test_missing_path_and_unreachable_url(tmp_path: Path) -> None:
    (bad,) = items(tmp_path / "nope.txt")[1]
    assert "no such file" in bad.reason
    # A closed port on this machine: fails at once without touching any network.
    (bad,) = items("http://127.0.0.1:9/feed.xml")[1]
    assert bad.where == "http://127.0.0.1:9/feed.xml" and "could not fetch" in bad.reason


# -- JSON Lines read a line at a time (issue 14: ingest memory flat in the size of its input) ---------


def _dump(n: int) -> str:
    """``n`` fictional ferry reports, one JSON record a line, with a bad line and a blank one inside."""
    lines = [json.dumps({"id": f"ferry-{i}", "title": f"Crossing {i} cancelled – Velmar café closes",
                         "text": f"{BODY} Crossing number {i} was cancelled.", "outlet": "Strait Times",
                         "published": "2025-10-06"}, ensure_ascii=False) for i in range(n)]
    lines[n // 2: n // 2] = ['{"id": "broken', ""]
    return "\n".join(lines) + "\r\n"


def _items(path: Path) -> list[tuple[str, ...]]:
    return [(i.where, i.reason) if isinstance(i, Rejection) else (i[0].id, i[0].source, i[1].id, i[1].text)
            for i in read_path(path)]


@pytest.mark.parametrize("gz", [False, True])
def test_a_big_json_lines_file_streamed_gives_what_reading_it_whole_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gz: bool
) -> None:
    data = _dump(60).encode("utf-8")
    path = tmp_path / ("dump.jsonl.gz" if gz else "dump.jsonl")
    path.write_bytes(gzip.compress(data) if gz else data)
    monkeypatch.setattr(defaults, "JSONL_STREAM_FROM_BYTES", len(data) + 1)
    whole = _items(path)
    monkeypatch.setattr(defaults, "JSONL_STREAM_FROM_BYTES", 2_000)
    streamed = _items(path)
    assert streamed == whole
    assert len(whole) == 61 and sum(len(i) == 2 for i in whole) == 1
    assert whole[30][0] == f"{path}:31" and "malformed JSON" in whole[30][1]  # the bad line, by number


def test_a_streamed_json_lines_file_may_exceed_the_input_limit_but_no_line_may(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(defaults, "JSONL_STREAM_FROM_BYTES", 2_000)
    monkeypatch.setattr(defaults, "MAX_INPUT_BYTES", 5_000)
    huge = json.dumps({"id": "huge", "title": "Too long", "text": BODY * 60})
    path = tmp_path / "dump.jsonl"
    path.write_text(_dump(40).replace("\n\n", f"\n{huge}\n", 1), encoding="utf-8")
    assert path.stat().st_size > 5_000
    items = list(read_path(path))
    stored = [i for i in items if not isinstance(i, Rejection)]
    refused = [i for i in items if isinstance(i, Rejection)]
    assert len(stored) == 40  # every record around the two bad lines
    assert [r.where for r in refused] == [f"{path}:21", f"{path}:22"]
    assert "malformed JSON" in refused[0].reason and "more than 5,000 bytes" in refused[1].reason
    (tmp_path / "whole.txt").write_text(BODY * 60, encoding="utf-8")  # a plain file is still refused whole
    assert "over the 5,000-byte limit" in next(iter(read_path(tmp_path / "whole.txt"))).reason


def test_a_json_array_or_a_pretty_record_over_the_stream_size_is_still_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(defaults, "JSONL_STREAM_FROM_BYTES", 500)
    records = [{"id": f"arr-{i}", "title": f"Crossing {i}", "text": f"{BODY} Number {i}."} for i in range(5)]
    (tmp_path / "array.json").write_text(json.dumps(records, indent=1), encoding="utf-8")
    (tmp_path / "api.json").write_text(json.dumps({"articles": records}), encoding="utf-8")
    for name in ("array.json", "api.json"):
        got = list(read_path(tmp_path / name))
        assert [i[1].text for i in got if not isinstance(i, Rejection)] == [r["text"] for r in records]


def test_a_cut_gzip_json_lines_file_keeps_the_lines_before_the_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(defaults, "JSONL_STREAM_FROM_BYTES", 2_000)
    packed = gzip.compress(_dump(400).encode("utf-8"))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[: len(packed) * 2 // 3])
    items = list(read_path(path))
    assert sum(not isinstance(i, Rejection) for i in items) > 40
    assert isinstance(items[-1], Rejection) and "could not read on from here" in items[-1].reason
    assert items[-1].where.startswith(f"{path}:")
