"""Hostile input stays contained: every bad file, line, row or record is one rejection line naming
it (printed as it happens, nothing in it able to act on a terminal), nothing is silent, the rest of
the batch is stored, and the cost of each input is bounded (tests/hostile.py builds the corpus)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hostile import SCRIPT_MARK, Expect, build
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfuse import defaults
from newsfuse.errors import printable
from newsfuse.ingest import sources
from newsfuse.ingest.readers import Fallbacks
from newsfuse.models import Rejection
from newsfuse.store import Store, queries

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    "The ferry to Osk sailed three hours late on Monday after a storm closed the harbour for two days, "
    "the port authority said in a statement that also warned travellers of more delays this week.",
    "The mayor of Osk opened the new bridge across the bay on Tuesday, saying it would halve the "
    "travel time for the thousands of commuters who now wait for the morning ferry every day.",
    "Council members voted on Wednesday to fund two more ferries for the northern route, after months "
    "of complaints from islanders about crowded boats and sailings cancelled in winter.",
    "The harbour master said on Thursday that repairs to the storm-damaged pier would take at least "
    "six weeks, and that cargo ships would dock at the southern quay until the work is done.",
]
_CONTROL = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0)]]


def _is_clean_line(text: str) -> bool:
    return not any(ch in text for ch in _CONTROL) and not any("\ud800" <= ch <= "\udfff" for ch in text)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Expect]]:
    folder = tmp_path_factory.mktemp("hostile")
    return folder, build(folder, TEXTS, heavy=False)


def test_each_hostile_file_gives_its_articles_or_a_line_naming_it(
    corpus: tuple[Path, dict[str, Expect]],
) -> None:
    folder, expected = corpus
    items = list(sources.read_path(folder))
    rejected = [i for i in items if isinstance(i, Rejection)]
    texts = {i[1].source: i[1].text for i in items if not isinstance(i, Rejection)}
    for name, expect in expected.items():
        where = printable(str(folder / name))
        lines = [r for r in rejected if r.where == where or r.where.startswith((f"{where}:", f"{where}#"))]
        assert len(lines) >= expect.rejections, (name, lines)
        if not expect.rejections:
            assert not lines, (name, lines)
        got = {t for src, t in texts.items() if src and src.startswith(where)}
        assert {" ".join(t.split()) for t in expect.articles} <= {" ".join(t.split()) for t in got}, name
    assert all(_is_clean_line(r.where) and _is_clean_line(" ".join(r.reason.split())) for r in rejected)
    assert not [src for src, t in texts.items() if SCRIPT_MARK in t or "root:" in t]  # no script or file read
    # A malformed line is named by its line number; the lines around it are stored.
    jsonl = printable(str(folder / "malformed-line.jsonl"))
    [bad_line] = [r.where for r in rejected if r.where.startswith(jsonl)]
    assert bad_line.endswith(":2")


def test_cli_prints_one_escaped_line_per_rejection_and_stores_every_good_article(
    corpus: tuple[Path, dict[str, Expect]], tmp_path: Path
) -> None:
    folder, expected = corpus
    db = tmp_path / "faults.db"
    proc = subprocess.run([sys.executable, "-m", "newsfuse.cli", "ingest", str(folder), "--db", str(db),
                           "--no-analyze", "-q"], cwd=ROOT, capture_output=True, timeout=600)
    err = proc.stderr.decode("utf-8")  # strict: a raw undecodable byte would fail here
    assert proc.returncode == 1, err
    assert "Traceback" not in err and "\x1b" not in err
    lines = err.splitlines()
    assert all(line.startswith(("rejected ", "note: ")) for line in lines), lines
    rejections = [x for x in lines if x.startswith("rejected ")]
    assert len(rejections) >= sum(e.rejections for e in expected.values())
    with Store(str(db)) as store:
        stored = {" ".join(a.text.split()) for a in queries.list_articles(store, _all_ids(store))}
    wanted = {" ".join(t.split()) for e in expected.values() for t in e.articles}
    assert wanted <= stored


def _all_ids(store: Store) -> list[str]:
    return [r["id"] for r in store.fetchall("SELECT id FROM articles")]


@pytest.mark.postgres
def test_a_nul_in_a_record_field_is_stored_on_postgresql_too(pg_server: object, tmp_path: Path) -> None:
    from newsfuse.context import RunContext
    from newsfuse.pipeline import run

    path = tmp_path / "nul.jsonl"
    path.write_text(json.dumps({"text": TEXTS[0], "url": "http://example.org/a\u0000b",
                                "title": "Ferry\u0000late"}) + "\n")
    with Store(pg_server.new_database()) as store:  # type: ignore[attr-defined]
        ctx = run(store, RunContext(paths=[path]), stages=["ingest"])
        assert ctx.rejected == [] and len(ctx.stored) == 1
        article = queries.get_article(store, ctx.stored[0])
        assert article.url == "http://example.org/ab" and article.title == "Ferrylate"


def test_an_article_the_store_refuses_is_a_rejection_and_the_rest_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsfuse.context import RunContext
    from newsfuse.errors import StoreError
    from newsfuse.pipeline import run

    for i, text in enumerate(TEXTS[:3]):
        (tmp_path / f"{i}.txt").write_text(text)
    with Store(str(tmp_path / "refuses.db")) as store:
        real = store.add_article

        def add_article(article: Any, *args: Any, **kw: Any) -> bool:
            if article.text.startswith("The mayor"):
                raise StoreError("value too long for this column")
            return real(article, *args, **kw)

        monkeypatch.setattr(store, "add_article", add_article)
        ctx = run(store, RunContext(paths=[tmp_path]), stages=["ingest"])
        assert len(ctx.stored) == 2
        (bad,) = ctx.rejected
        assert bad.where == str(tmp_path / "1.txt") and "refused" in bad.reason


def test_an_unreadable_folder_is_a_rejection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ok.txt").write_text(TEXTS[0])
    real_walk = os.walk

    def walk(top: str | Path, onerror: object = None, **kw: object) -> object:
        assert callable(onerror)
        onerror(PermissionError(13, "Permission denied", str(Path(top) / "locked")))
        return real_walk(top, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "walk", walk)
    files, _, unreadable = sources.folder_files(tmp_path)
    assert [f.name for f in files] == ["ok.txt"]
    found = [(r.where, "Permission denied" in r.reason) for r in unreadable]
    assert found == [(str(tmp_path / "locked"), True)]


def test_bytes_are_capped_while_reading_not_by_announced_size(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "MAX_INPUT_BYTES", 1000)
    path = tmp_path / "big.txt"
    path.write_text("word " * 400)
    (bad,) = list(sources.read_file(path, Fallbacks()))
    assert isinstance(bad, Rejection) and "limit" in bad.reason


# -- hypothesis: every reader, arbitrary input ---------------------------------------------------

_FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _contained(path: Path) -> None:
    """Reading ``path`` never raises, yields at least one item, and every rejection names it on one
    printable line."""
    items = list(sources.read_file(path, Fallbacks()))
    assert items, path
    for item in items:
        if isinstance(item, Rejection):
            assert item.where.startswith(printable(str(path))), item
            assert _is_clean_line(item.where) and item.reason.strip()


@_FAST
@given(data=st.binary(max_size=2000), ext=st.sampled_from(["txt", "html", "jsonl", "json", "csv", "xml",
                                                           "warc", "txt.gz", "warc.gz"]))
def test_any_bytes_under_any_name_are_contained(tmp_path: Path, data: bytes, ext: str) -> None:
    path = tmp_path / f"input.{ext}"
    path.write_bytes(data)
    _contained(path)


_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=300),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
_records = st.dictionaries(st.sampled_from(["text", "title", "url", "published", "outlet", "author",
                                            "body", "date"]), _values, max_size=6)


@_FAST
@given(records=st.lists(_records, max_size=5), as_list=st.booleans())
def test_any_json_records_are_contained(tmp_path: Path, records: list[dict[str, object]],
                                        as_list: bool) -> None:
    path = tmp_path / "records.jsonl"
    body = json.dumps(records) if as_list else "\n".join(json.dumps(r) for r in records)
    path.write_text(body)
    _contained(path)


@_FAST
@given(rows=st.lists(st.lists(st.text(max_size=200), max_size=4), max_size=5),
       header=st.lists(st.sampled_from(["title", "text", "published", "outlet", "x"]), min_size=1,
                       max_size=4))
def test_any_csv_rows_are_contained(tmp_path: Path, rows: list[list[str]], header: list[str]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / "rows.csv"
    path.write_text(buffer.getvalue())
    _contained(path)


_tags = st.sampled_from(["p", "div", "title", "script", "article", "meta", "a", "h1", "item", "entry"])


@_FAST
@given(parts=st.lists(st.tuples(_tags, st.text(max_size=80)), max_size=12),
       root=st.sampled_from(["html", "rss", "feed", "channel"]))
def test_any_markup_pages_and_feeds_are_contained(tmp_path: Path, parts: list[tuple[str, str]],
                                                  root: str) -> None:
    from html import escape

    inner = "".join(f"<{t}>{escape(x)}</{t}>" for t, x in parts)
    path = tmp_path / ("page.html" if root == "html" else "feed.xml")
    path.write_text(f"<{root}>{inner}</{root}>")
    _contained(path)


@_FAST
@given(pages=st.lists(st.tuples(st.sampled_from([200, 404, 500]), st.text(max_size=300)), max_size=3),
       cut=st.integers(min_value=0, max_value=400))
def test_any_warc_records_even_truncated_are_contained(tmp_path: Path, pages: list[tuple[int, str]],
                                                      cut: int) -> None:
    from hostile import _page, _warc

    data = _warc([(f"http://example.org/{i}", s, _page(t)) for i, (s, t) in enumerate(pages)])
    path = tmp_path / "crawl.warc"
    path.write_bytes(data[: len(data) - cut] if cut < len(data) else data)
    _contained(path)


@pytest.mark.slow
def test_a_mixed_batch_killed_while_storing_is_finished_by_the_next_run(
    corpus: tuple[Path, dict[str, Expect]], tmp_path: Path
) -> None:
    """kill -9 while a folder of good and hostile files is being stored: the store stays whole
    (no article half-written, integrity kept), and the next run stores what one clean run does and
    names the same bad inputs again."""
    import signal
    import sqlite3
    import time

    folder, _ = corpus

    def ingest(db: Path) -> subprocess.Popen[bytes]:
        cmd = [sys.executable, "-m", "newsfuse.cli", "ingest", str(folder), "--db", str(db), "--no-analyze",
               "-q"]
        return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stored(db: Path) -> set[tuple[str, str]]:
        with Store(str(db)) as store:
            return {(a.id, a.text) for a in queries.list_articles(store, _all_ids(store))}

    def count(db: Path) -> int:
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            try:
                return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])
            finally:
                conn.close()
        except sqlite3.Error:  # not created yet
            return 0

    clean, killed = tmp_path / "clean.db", tmp_path / "killed.db"
    _, clean_err = ingest(clean).communicate(timeout=600)
    proc = ingest(killed)
    deadline = time.monotonic() + 600
    while count(killed) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.002)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "the run ended before the kill: nothing was tested"
    partial = stored(killed)
    assert 0 < len(partial) < len(stored(clean))
    assert partial <= stored(clean)  # what was stored is whole: the clean run's very articles
    conn = sqlite3.connect(str(killed))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    _, err = ingest(killed).communicate(timeout=600)
    assert stored(killed) == stored(clean)
    rejected = sorted(x for x in err.decode().splitlines() if x.startswith("rejected "))
    assert rejected == sorted(x for x in clean_err.decode().splitlines() if x.startswith("rejected "))
