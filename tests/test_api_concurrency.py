"""Concurrent writers on the API: each request has its own connection, a store that stays busy is a
503 with Retry-After (never a 500), and no article a client was told is stored goes missing."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from newsfuse import defaults
from newsfuse.api import create_app
from newsfuse.errors import StoreBusyError
from newsfuse.serving.db import StoreProvider
from newsfuse.store import Store, queries

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "t0ken-for-concurrency"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PLACES = ["Osk", "Brenna", "Dunmere", "Kessel", "Valley", "Strait", "Harbour", "Northfield"]
WRITERS = 8
POSTS_EACH = 3


def _article(writer: int, n: int) -> dict[str, str]:
    place = PLACES[writer]
    return {"text": f"The council of {place} voted on day {n} to repair the {place} bridge after "
                    f"inspectors found cracks in pier number {writer * 10 + n}, officials said.",
            "outlet": f"{place} Post", "published": f"2025-03-{n + 1:02d}"}


def test_pool_gives_each_session_its_own_store_and_refuses_when_all_stay_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(defaults, "SERVE_POOL_WAIT_S", 0.2)
    pool = StoreProvider(str(tmp_path / "pool.db"), size=2)
    with pool.session() as a, pool.session() as b:
        assert a is not b
        with pytest.raises(StoreBusyError, match="connections"), pool.session():
            pass
    with pool.session() as again:
        assert again in (a, b)  # given back, reused
    pool.close()


def test_a_store_that_stays_locked_is_a_503_with_retry_after_and_nothing_half_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(defaults, "SQLITE_BUSY_TIMEOUT_S", 0.2)
    monkeypatch.setattr(defaults, "SERVE_WRITE_ATTEMPTS", 2)
    db = str(tmp_path / "busy.db")
    Store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    with TestClient(create_app(db, token=TOKEN), raise_server_exceptions=False) as client:
        holder.execute("BEGIN IMMEDIATE")  # another process writing, for longer than we wait
        r = client.post("/api/articles", json=_article(0, 1), headers=AUTH)
        holder.execute("ROLLBACK")
        assert r.status_code == 503 and r.headers["retry-after"] == str(defaults.SERVE_RETRY_AFTER_S)
        assert r.json()["error"]["code"] == "busy"
        assert client.get("/api/health").status_code == 200
        with Store(db) as s:
            assert s.fetchall("SELECT COUNT(*) AS n FROM articles")[0]["n"] == 0
        assert client.post("/api/articles", json=_article(0, 1), headers=AUTH).status_code == 201
    holder.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, str, subprocess.Popen[bytes]]]:
    db = str(tmp_path / "served.db")
    Store(db).close()  # serve refuses a database that does not exist (a mistyped --db)
    port = _free_port()
    env = dict(os.environ, NEWSFUSE_TOKEN=TOKEN)
    proc = subprocess.Popen([sys.executable, "-m", "newsfuse.cli", "serve", "--db", db, "--port", str(port)],
                            cwd=ROOT, env=env, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    # a cap only: the wait ends when the server answers; a writable serve loads spaCy and the sentence
    # encoder before it listens, which takes minutes on a loaded host
    deadline = time.monotonic() + 300
    try:  # the server is stopped however the test ends, a failed start included (it outlived one)
        while True:
            try:
                httpx.get(f"{base}/api/health", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        yield base, db, proc
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.slow
def test_eight_writers_and_readers_at_once_lose_nothing(
    server: tuple[str, str, subprocess.Popen[bytes]],
) -> None:
    base, db, proc = server
    statuses: list[int] = []
    stored: set[str] = set()
    lock = threading.Lock()
    stop = threading.Event()

    def write(writer: int) -> None:
        with httpx.Client(base_url=base, timeout=300) as http:
            for n in range(POSTS_EACH):
                while True:  # a 503 says nothing was stored: the client comes back as told
                    r = http.post("/api/articles", json=_article(writer, n), headers=AUTH)
                    with lock:
                        statuses.append(r.status_code)
                    if r.status_code != 503:
                        break
                    assert r.headers.get("retry-after")
                    time.sleep(float(r.headers["retry-after"]))
                if r.status_code == 201:
                    with lock:
                        stored.update(r.json()["stored"])

    def read() -> None:
        with httpx.Client(base_url=base, timeout=300) as http:
            while not stop.is_set():
                for path in ("/api/stories", "/api/health", "/api/search?q=bridge"):
                    r = http.get(path)
                    with lock:
                        statuses.append(r.status_code)

    writers = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    readers = [threading.Thread(target=read) for _ in range(2)]
    for t in [*writers, *readers]:
        t.start()
    for t in writers:
        t.join(timeout=900)
    stop.set()
    for t in readers:
        t.join(timeout=60)
    assert set(statuses) <= {200, 201, 503}, sorted(set(statuses))
    assert len(stored) == WRITERS * POSTS_EACH
    with Store(db) as s:
        ids = {r["id"] for r in s.fetchall("SELECT id FROM articles")}
        assert ids == stored
        assert queries.articles_to_place(s) == [] and queries.pending_fusion_ids(s) == []
        placed = s.fetchall("SELECT COUNT(*) AS n FROM story_articles")[0]["n"]
        assert placed == len(stored)
    proc.terminate()
    _, err = proc.communicate(timeout=20)
    assert b"Traceback" not in err and b"transaction within a transaction" not in err


@pytest.mark.slow
def test_a_posted_article_is_analysed_outside_the_write_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsfuse.api import ingest

    app = create_app(str(tmp_path / "outside.db"), token=TOKEN)
    seen: list[bool] = []
    real = ingest.analyze_texts

    def analyze_texts(articles: Any) -> Any:
        seen.append(any(s.in_transaction for s in app.state.stores._all))
        return real(articles)

    monkeypatch.setattr(ingest, "analyze_texts", analyze_texts)
    with TestClient(app, raise_server_exceptions=False) as client:
        r = client.post("/api/articles", json=_article(1, 2), headers=AUTH)
    assert r.status_code == 201 and r.json()["summary"]["analyzed"] == 1
    assert seen == [False]  # the parse held no write lock
