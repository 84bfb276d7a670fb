"""Database connections: SQLite (embedded default) or PostgreSQL (shared server), chosen by URL.

Everything above this module writes one SQL dialect with ``?`` placeholders; the backend adapts
placeholders and the few type names that differ. Rows come back as dicts either way.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newsfuse import defaults
from newsfuse.errors import ConfigError, StoreBusyError, StoreError


class Backend:
    """A connection with explicit transactions. ``execute`` runs one statement."""

    dialect = "base"
    _depth = 0  # open transaction() blocks on this connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        raise NotImplementedError

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[None]:
        raise NotImplementedError
        yield  # pragma: no cover

    @contextmanager
    def _joined(self) -> Iterator[None]:
        """A nested transaction joins the outer one (no savepoints: a batch is all or nothing)."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1

    def lock(self, name: str) -> None:
        """Hold a named lock until the current transaction ends. SQLite needs none: ``BEGIN
        IMMEDIATE`` already admits one writer at a time."""

    @contextmanager
    def migration_lock(self) -> Iterator[None]:
        """Held while migrations are checked and applied, so concurrent processes never race them."""
        raise NotImplementedError
        yield  # pragma: no cover

    def ddl(self, sql: str) -> str:
        """The statement as this backend runs it; '' when it is tagged for another dialect.

        A migration statement starting with ``/* dialect: NAME */`` runs only on that backend, so
        one migration can build the same feature (e.g. full-text search) the way each engine does it.
        """
        match = _DIALECT_TAG.match(sql)
        if match and match.group(1) != self.dialect:
            return ""
        return sql

    def close(self) -> None:
        raise NotImplementedError


_DIALECT_TAG = re.compile(r"\s*/\*\s*dialect:\s*(\w+)\s*\*/")
# SQLite REAL is 8 bytes, PostgreSQL REAL only 4: map to DOUBLE PRECISION so scores round-trip.
_PG_TYPES = [(re.compile(r"\bBLOB\b"), "BYTEA"), (re.compile(r"\bREAL\b"), "DOUBLE PRECISION")]


class SQLiteBackend(Backend):
    """One sqlite3 connection. Writers are serialised by ``BEGIN IMMEDIATE``; a writer that finds the
    database locked waits ``defaults.SQLITE_BUSY_TIMEOUT_S`` (sqlite's busy handler) and then gets
    :class:`StoreBusyError`, so callers can retry or answer "busy" instead of failing."""

    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        if path != ":memory:":
            parent = Path(path).expanduser().resolve().parent
            if not parent.is_dir():
                raise ConfigError(f"{path}: folder {parent} does not exist; create it or pick another --db")
        self.path = path
        try:
            # isolation_level=None: we issue BEGIN/COMMIT ourselves so a batch is one transaction.
            # timeout: the busy handler is on before the first statement, so concurrent processes
            # opening a fresh database wait for each other instead of failing on journal_mode.
            self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False,
                                        timeout=defaults.SQLITE_BUSY_TIMEOUT_S)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.OperationalError as exc:
            raise _sqlite_error(path, exc) from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{path}: not a newsfuse SQLite database ({exc}); pass another --db") from exc
        self._depth = 0

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except (sqlite3.Error, UnicodeError, OverflowError) as exc:  # the last two: values it cannot bind
            raise _sqlite_error(self.path, exc) from exc

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self._errors():
            self.conn.execute(sql, tuple(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._errors():
            self.conn.executemany(sql, [tuple(r) for r in rows])

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._errors():
            return [dict(r) for r in self.conn.execute(sql, tuple(params)).fetchall()]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._begin("BEGIN IMMEDIATE"):
            yield

    @contextmanager
    def migration_lock(self) -> Iterator[None]:
        # One exclusive transaction for all pending migrations: a second process waits for it and
        # then finds them applied (each migration's own transaction joins this one).
        with self._begin("BEGIN EXCLUSIVE"):
            yield

    @contextmanager
    def _begin(self, begin: str) -> Iterator[None]:
        if self._depth:
            with self._joined():
                yield
            return
        self.execute(begin)
        self._depth = 1
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:  # sqlite may have rolled back already (e.g. disk full)
                self.conn.execute("ROLLBACK")
            raise
        else:
            self.execute("COMMIT")
        finally:
            self._depth = 0

    def close(self) -> None:
        self.conn.close()


def _sqlite_error(path: str, exc: Exception) -> StoreError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreBusyError(f"{path}: the database stayed busy for {defaults.SQLITE_BUSY_TIMEOUT_S:g} s "
                              f"({text}); another process is writing, try again")
    return StoreError(f"{path}: {text}")


class PostgresBackend(Backend):
    """A psycopg 3 connection in autocommit mode; ``transaction()`` opens BEGIN/COMMIT explicitly.

    psycopg errors become :class:`StoreError` (with the URL's password removed), so callers handle
    one exception type whichever backend they run on.
    """

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError as exc:  # pragma: no cover - psycopg is a pinned dependency
            raise ConfigError("PostgreSQL needs psycopg: pip install 'psycopg[binary]'") from exc
        self._error: type[Exception] = psycopg.Error
        self.url = _redact(url)
        try:
            self.conn = psycopg.connect(url, autocommit=True, row_factory=dict_row)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {self.url}: {exc}; is the server running?") from exc
        self._depth = 0

    @staticmethod
    def _sql(sql: str) -> str:
        # Callers write '?' placeholders (sqlite style); psycopg wants '%s' and literal '%' doubled.
        return sql.replace("%", "%%").replace("?", "%s")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except self._error as exc:
            raise StoreError(f"{self.url}: {exc}".strip()) from exc

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self._errors():
            self.conn.execute(self._sql(sql), tuple(params))  # type: ignore[arg-type]

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        with self._errors(), self.conn.cursor() as cur:
            cur.executemany(self._sql(sql), [tuple(r) for r in rows])  # type: ignore[arg-type]

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        with self._errors():
            cur = self.conn.execute(self._sql(sql), tuple(params))  # type: ignore[arg-type]
            return [_plain_row(r) for r in cur.fetchall()]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            with self._joined():
                yield
            return
        self._depth = 1
        try:
            with self._errors(), self.conn.transaction():
                yield
        finally:
            self._depth = 0

    def lock(self, name: str) -> None:
        # A transaction-level advisory lock: PostgreSQL's read-committed writers would otherwise
        # interleave (e.g. two processes placing the same article).
        self.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (f"newsfuse:{name}",))

    @contextmanager
    def migration_lock(self) -> Iterator[None]:
        self.execute("SELECT pg_advisory_lock(hashtext(?))", ("newsfuse:migrate",))
        try:
            yield
        finally:
            self.execute("SELECT pg_advisory_unlock(hashtext(?))", ("newsfuse:migrate",))

    def ddl(self, sql: str) -> str:
        sql = super().ddl(sql)
        for pattern, replacement in _PG_TYPES:
            sql = pattern.sub(replacement, sql)
        return sql

    def close(self) -> None:
        self.conn.close()


def _plain_row(row: dict[str, Any]) -> dict[str, Any]:
    """BYTEA arrives as memoryview: make it bytes, as sqlite3 returns it."""
    return {k: bytes(v) if isinstance(v, memoryview) else v for k, v in row.items()}


def _redact(url: str) -> str:
    """The URL without its password, for error messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return url


def connect(url: str) -> Backend:
    """``postgresql://...`` -> PostgreSQL; ``sqlite:///path``, a path, or ``:memory:`` -> SQLite."""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresBackend(url)
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///") :]
    if "://" in url:
        raise ConfigError(f"{url}: unknown database URL; use a file path or postgresql://user@host/db")
    return SQLiteBackend(url)
