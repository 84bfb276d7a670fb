"""The allocator figures a refresh process reports (newsfuse/watch/heap.py): each one moves with what
it claims to count."""

from __future__ import annotations

import sqlite3
import sys

import pytest

from newsfuse.watch import heap

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and glibc")


@linux
def test_resident_splits_into_anonymous_and_file_backed() -> None:
    got = heap.resident()
    assert got["rss"] > 0 and got["anon"] > 0 and got["file"] >= 0
    assert got["anon"] + got["file"] <= got["rss"] + 1  # (shared memory is the rest)


def test_pymalloc_counts_small_objects_alive() -> None:
    before = heap.pymalloc()
    if not before:
        pytest.skip("this interpreter does not use pymalloc")
    kept = [(k, str(k)) for k in range(300_000)]  # ~30 MB of tuples and short strings
    during = heap.pymalloc()
    assert during["live"] - before["live"] > 10
    assert during["arenas"] >= during["live"] > 0
    assert during["idle"] == pytest.approx(during["arenas"] - during["live"], abs=0.2)
    del kept


def test_pymalloc_leaves_stderr_working(capfd: pytest.CaptureFixture[str]) -> None:
    heap.pymalloc()
    print("after", file=sys.stderr)
    err = capfd.readouterr().err
    assert err.strip() == "after"  # the allocator's report went to the figures, not to stderr


@linux
def test_malloc_counts_a_large_buffer_while_it_lives() -> None:
    before = heap.malloc()
    if not before:
        pytest.skip("not glibc 2.33+")
    block = bytearray(64 * 2**20)  # a large block: malloc'd (mapped on its own)
    during = heap.malloc()
    del block
    after = heap.malloc()
    assert during["in_use"] - before["in_use"] > 48
    assert during["in_use"] - after["in_use"] > 48


def test_sqlite_used_rises_with_a_page_cache() -> None:
    if heap.sqlite_used() is None:
        pytest.skip("SQLite built into Python statically")
    conn = sqlite3.connect(":memory:")
    before = heap.sqlite_used()
    conn.execute("CREATE TABLE heap_rows (x TEXT)")
    conn.executemany("INSERT INTO heap_rows VALUES (?)", ((f"heap row {k} " * 20,) for k in range(20_000)))
    during = heap.sqlite_used()
    conn.close()
    assert before is not None and during is not None and during - before > 2  # ~4 MB of pages in memory


@linux
def test_figures_gathers_every_allocator() -> None:
    got = heap.figures()
    assert {"rss", "anon", "file"} <= set(got)
    assert all(isinstance(v, float) for v in got.values())
