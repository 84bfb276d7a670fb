"""Shared fixtures: the bundled sample corpus, the seed articles, and fresh stores."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsfuse.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "newsfuse" / "data" / "sample"
SEEDS = ROOT.parent / "shared" / "seeds"
BENCH_DATA = ROOT.parent / "shared" / "bench"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(str(tmp_path / "test.db"))
    yield s
    s.close()


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not beside the project")
    return SEEDS


@pytest.fixture
def sample() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """A throwaway PostgreSQL server for the session (tests/pg.py); skips when none can start."""
    from pg import start_server  # tests/ is on sys.path (rootdir conftest)

    server, reason = start_server()
    if server is None:
        pytest.skip(reason)
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database on each backend: a SQLite file, then a PostgreSQL database of the
    session's server (``postgres``-marked; skipped when no server can start)."""
    if request.param == "sqlite":
        return str(tmp_path / "t.db")
    return str(request.getfixturevalue("pg_server").new_database())


@pytest.fixture
def any_store(any_url: str) -> Iterator[Store]:
    """A migrated store on each backend (:func:`any_url`); ``store`` is the SQLite-only one."""
    s = Store(any_url)
    yield s
    s.close()


@pytest.fixture
def db(tmp_path: Path) -> tuple[str, Any]:
    """(SQLite path, Newsroom): a small fused store written by tests/newsroom.py (API and pages)."""
    from newsroom import fill  # tests/ is on sys.path (rootdir conftest)

    url = str(tmp_path / "newsroom.db")
    with Store(url) as s:
        room = fill(s)
    return url, room
