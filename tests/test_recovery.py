"""A run killed at any moment is finished by the next: kill -9 a real ``newsfuse ingest`` while it
stores articles, while it analyses them and while it fuses stories, re-run, and the store holds the
same stories, claims and timeline as one clean run (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from newsfuse.pipeline import RunContext, run
from newsfuse.store import Store, queries

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "newsfuse" / "data" / "sample"
POLL_S = 0.002
RUN_TIMEOUT_S = 600

Counts = dict[str, int]


def _ingest(url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsfuse.cli", "ingest", str(SAMPLE), "--db", url, "-q"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def _counts(url: str) -> Counts:
    """Rows of the tables that show how far a run got (0 while a table does not exist yet)."""
    tables = ("articles", "analyses", "story_articles", "fuse_pending", "claims")
    out = {}
    for t in tables:
        try:
            out[t] = _scalar(url, f"SELECT COUNT(*) FROM {t}")
        except Exception:  # not created yet: the run is still migrating
            out[t] = 0
    return out


def _scalar(url: str, sql: str) -> int:
    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            row = conn.execute(sql).fetchone()
    else:
        import sqlite3

        conn = sqlite3.connect(f"file:{url}?mode=ro", uri=True, timeout=5)
        try:
            row = conn.execute(sql).fetchone()
        finally:
            conn.close()
    return int(row[0]) if row else 0


def _kill_when(url: str, reached: Callable[[Counts], bool]) -> Counts:
    """Start an ingest, kill -9 it the moment the store shows ``reached``; the counts seen then."""
    proc = _ingest(url)
    deadline = time.monotonic() + RUN_TIMEOUT_S
    try:
        while time.monotonic() < deadline:
            counts = _counts(url)
            if reached(counts):
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                return counts
            if proc.poll() is not None:
                pytest.fail(f"the run ended (exit {proc.returncode}) before the kill point; last {counts}")
            time.sleep(POLL_S)
        pytest.fail("the run never reached the kill point")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _finish(url: str) -> None:
    proc = _ingest(url)
    _, err = proc.communicate(timeout=RUN_TIMEOUT_S)
    assert proc.returncode == 0, err.decode(errors="replace")


def _picture(url: str) -> dict[str, Any]:
    """What a reader sees: stories with their articles, claims, timeline, entities of each story."""
    with Store(url) as store:
        stories = queries.list_stories(store, limit=1000)
        claims = store.fetchall("SELECT story_id, id, status, independent_sources, data FROM claims "
                                "ORDER BY story_id, id")
        timeline = store.fetchall("SELECT story_id, seq, data FROM timeline ORDER BY story_id, seq")
        links = store.fetchall("SELECT article_id, entity_key, entity_id FROM entity_links "
                               "ORDER BY article_id, entity_key")
        left = {t: store.fetchall(f"SELECT COUNT(*) AS n FROM {t}")[0]["n"]
                for t in ("fuse_pending", "analysis_claims")}
    return {"stories": sorted((s.id, tuple(sorted(s.article_ids))) for s in stories),
            "claims": claims, "timeline": timeline, "links": links, "left": left}


def _clean(url: str) -> dict[str, Any]:
    with Store(url) as store:
        run(store, RunContext(paths=[SAMPLE]))
    return _picture(url)


def _killed_three_times(url: str) -> dict[str, Any]:
    total = len([p for p in SAMPLE.iterdir() if p.suffix == ".txt"])
    # 1. articles stored, nothing analysed yet
    seen = _kill_when(url, lambda c: c["articles"] > 0 and c["analyses"] == 0)
    assert seen["articles"] > 0
    # 2. part of the analyses stored, no story yet
    seen = _kill_when(url, lambda c: 0 < c["analyses"] < total and c["story_articles"] == 0)
    assert seen["story_articles"] == 0
    # 3. articles placed in stories, fusion queued and under way
    seen = _kill_when(url, lambda c: c["story_articles"] > 0)
    assert seen["fuse_pending"] > 0
    _finish(url)
    return _picture(url)


def test_kill_nine_at_three_points_then_rerun_equals_a_clean_run_sqlite(tmp_path: Path) -> None:
    clean = _clean(str(tmp_path / "clean.db"))
    assert clean["stories"] and clean["claims"] and clean["timeline"]
    assert clean["left"] == {"fuse_pending": 0, "analysis_claims": 0}
    assert _killed_three_times(str(tmp_path / "killed.db")) == clean


def test_kill_nine_at_three_points_then_rerun_equals_a_clean_run_postgres(pg_server: Any) -> None:
    clean = _clean(pg_server.new_database())
    assert clean["stories"] and clean["claims"]
    assert _killed_three_times(pg_server.new_database()) == clean


def test_two_concurrent_runs_analyse_each_article_once_and_place_all(tmp_path: Path) -> None:
    url = str(tmp_path / "two.db")
    Store(url).close()  # migrated: both runs start on the same schema
    cmd = [sys.executable, "-m", "newsfuse.cli", "ingest", str(SAMPLE), "--db", url, "-q", "--json"]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    outs = [p.communicate(timeout=RUN_TIMEOUT_S) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [e.decode(errors="replace") for _, e in outs]
    summaries = [json.loads(out) for out, _ in outs]
    with Store(url) as store:
        articles = store.fetchall("SELECT COUNT(*) AS n FROM articles")[0]["n"]
        assert sum(s["analyzed"] for s in summaries) == articles  # claimed: never analysed twice
        assert queries.articles_to_place(store) == [] and queries.pending_fusion_ids(store) == []
        assert store.fetchall("SELECT COUNT(*) AS n FROM story_articles")[0]["n"] == articles
