"""How much work the database does, to test that a step's cost does not grow with the store.

A timed test is noise on a shared machine; the number of SQLite virtual-machine instructions a
statement runs is not: a scan of a table runs a few per row, an index probe a few per level. A step
that reads only what it needs runs about as many in a store of 1,000 articles as in one of 10,000.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from newsfuse.store import Store

STEP = 100  # instructions per progress callback: fine enough, without slowing the test down


class Work:
    """What the database did inside :func:`counted`: VM instructions (in units of ``STEP``) and
    rows returned to Python."""

    def __init__(self) -> None:
        self.steps = 0
        self.rows = 0
        self.statements = 0


@contextmanager
def counted(store: Store) -> Iterator[Work]:
    """Count the work of every statement ``store`` (SQLite) runs inside the block."""
    conn: sqlite3.Connection = store.db.conn  # type: ignore[attr-defined]
    work = Work()
    fetch = store.db.fetchall

    def tick() -> int:
        work.steps += 1
        return 0

    def fetchall(sql: str, params: object = ()) -> list[dict[str, object]]:
        rows = fetch(sql, params)  # type: ignore[arg-type]
        work.rows += len(rows)
        work.statements += 1
        return rows

    conn.set_progress_handler(tick, STEP)
    store.db.fetchall = fetchall  # type: ignore[method-assign]
    try:
        yield work
    finally:
        conn.set_progress_handler(None, STEP)
        del store.db.fetchall


def tiny_store(path: str, n: int, version: str) -> Store:
    """A SQLite store of ``n`` tiny articles, each analysed at ``version`` and alone in a story (rows
    written in bulk: the Store API would take a transaction per article)."""
    store = Store(path)
    with store.transaction():
        store.db.executemany(
            "INSERT INTO articles(id, text, ingested_at, seq) VALUES (?, ?, ?, ?)",
            [(f"a_tiny{k:010d}", f"Report {k}.", "2026-01-01T00:00:00", k + 1) for k in range(n)],
        )
        store.db.executemany(
            "INSERT INTO analyses(article_id, version, analyzed_at) VALUES (?, ?, ?)",
            [(f"a_tiny{k:010d}", version, "2026-01-01T00:00:00") for k in range(n)],
        )
        # each article placed in a story of its own, its terms counted
        store.db.executemany(
            "INSERT INTO stories(id, title, created_seq) VALUES (?, ?, ?)",
            [(f"s_tiny{k:010d}", f"Report {k}", k + 1) for k in range(n)],
        )
        store.db.executemany(
            "INSERT INTO story_articles(article_id, story_id, score) VALUES (?, ?, 1.0)",
            [(f"a_tiny{k:010d}", f"s_tiny{k:010d}") for k in range(n)],
        )
        store.add_story_docs([(f"a_tiny{k:010d}", '{"report": 1}') for k in range(n)], [("report", n)])
    return store
