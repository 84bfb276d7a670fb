"""The one class that writes SQL. Reads live in :mod:`newsfuse.store.queries`.

Every write method is idempotent (IDs are content hashes; inserts ignore rows that exist) and runs
in a transaction, so a failure half-way leaves the store as it was.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from newsfuse import defaults
from newsfuse.errors import MigrationError, StoreError
from newsfuse.ids import content_id
from newsfuse.models import (
    Analysis,
    Article,
    Claim,
    CopyLink,
    Entity,
    EntityLink,
    RawInput,
    Story,
    StoryMerge,
    StoryMove,
    TimelineEntry,
    to_dict,
)
from newsfuse.store.backend import Backend, connect
from newsfuse.store.migrations import MIGRATIONS

_IN_CHUNK = 500  # IN (...) lists stay far below SQLite's variable limit


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(record: Any) -> str:
    return json.dumps(to_dict(record), ensure_ascii=False, separators=(",", ":"))


class _ClaimRows:
    """Each claim's row JSON by the claim's value, least recently written dropped first past
    ``defaults.CLAIM_ROWS_KEPT_BYTES``: a story re-fused after one new article writes its claims
    again, most of them equal to the last fuse's, and encoding them all (a 500-article story's
    claims carry ~8,000 sources) was a tenth of its re-fuse. Claims hold strings and ints only, so
    equal claims have one JSON."""

    def __init__(self) -> None:
        self._rows: OrderedDict[Claim, str] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()  # the API may fuse from several threads
        # rows kept at most besides the byte bound (None: that bound only): a watch's refresh process
        # sets it to what its byte budget allows for the JSON and the claims kept with it (watch/kept.py)
        self.size: int | None = None

    def json_of(self, claim: Claim) -> str:
        try:
            hash(claim)
        except TypeError:  # a hand-made claim holding a list
            return _json(claim)
        with self._lock:
            text = self._rows.get(claim)
            if text is not None:
                self._rows.move_to_end(claim)
                return text
        text = _json(claim)
        with self._lock:
            if claim not in self._rows:
                self._rows[claim] = text
                self._bytes += len(text)
            self._trim()
        return text

    def keep_at_most(self, rows: int | None) -> None:
        """Hold the kept rows to ``rows`` (None: to ``defaults.CLAIM_ROWS_KEPT_BYTES`` only), now."""
        with self._lock:
            self.size = rows
            self._trim()

    def _trim(self) -> None:  # under the lock
        most = len(self._rows) if self.size is None else max(1, self.size)
        while self._rows and (self._bytes > defaults.CLAIM_ROWS_KEPT_BYTES or len(self._rows) > most):
            self._bytes -= len(self._rows.popitem(last=False)[1])


CLAIM_ROWS = _ClaimRows()


def _digest(version: str, rows: dict[str, list[str]]) -> str:
    """What an analysis is stored as, hashed (migration 24): its version and every record's JSON, table
    by table. Equal digests mean equal stored analyses, so a process may keep one it parsed before."""
    h = hashlib.sha256(version.encode())
    for table in sorted(rows):
        h.update(f"\x00{table}:{len(rows[table])}".encode())
        for text in rows[table]:
            h.update(b"\x00" + text.encode())
    return h.hexdigest()


def _entity_json(entity: Entity) -> str:
    """An entity row's JSON: without its article list and mention count, which the links give
    (migration 20: a store-wide entity's list was tens of thousands of IDs, rewritten per story)."""
    return _plain_json(dataclasses.replace(entity, article_ids=(), mention_count=0))


def _plain_json(record: Entity) -> str:
    """:func:`_json` of a record whose fields are plain values or tuples of them (json writes a
    tuple as it writes a list): a store-wide entity lists thousands of articles, and converting
    each through to_dict cost most of writing it."""
    data = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class Store:
    """A newsfuse database. ``Store("news.db")`` or ``Store("postgresql://user@host/db")``."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.db: Backend = connect(url)
        if migrate:
            self.migrate()

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several writes; nested write methods join it."""
        with self.db.transaction():
            yield

    @property
    def in_transaction(self) -> bool:
        """True inside a :meth:`transaction` block."""
        return bool(self.db._depth)

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run a read query (used by :mod:`newsfuse.store.queries`)."""
        return self.db.fetchall(sql, params)

    def schema_version(self) -> int:
        rows = self.db.fetchall("SELECT MAX(version) AS v FROM schema_migrations")
        return int(rows[0]["v"] or 0)

    def migrate(self) -> list[int]:
        """Apply pending migrations in order, each in its own transaction; return those applied.

        Concurrent processes opening one database never race: migrations are checked and applied
        under the backend's migration lock (SQLite: one exclusive transaction; PostgreSQL: an
        advisory lock), so the second process finds them applied."""
        if self._pending_migrations() == []:  # the usual case: no lock, no write
            return []
        applied = []
        with self.db.migration_lock():
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            for version, name, statements in self._pending_migrations() or []:
                self._apply(version, name, statements)
                applied.append(version)
        return applied

    def _pending_migrations(self) -> list[tuple[int, str, list[str]]] | None:
        """Migrations not applied yet; None when the store has no migration table at all."""
        try:
            done = {r["version"] for r in self.db.fetchall("SELECT version FROM schema_migrations")}
        except StoreError:
            return None
        return [m for m in MIGRATIONS if m[0] not in done]

    def _apply(self, version: int, name: str, statements: list[str]) -> None:
        try:
            with self.db.transaction():
                for sql in statements:
                    if stmt := self.db.ddl(sql):  # '' when tagged for the other backend
                        self.db.execute(stmt)
                self.db.execute(
                    "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                    (version, name, _now()),
                )
        except Exception as exc:
            raise MigrationError(
                f"migration {version} ({name}) failed on {self.url}: {exc}; nothing of it was "
                "applied. Is this database used by a newer newsfuse?"
            ) from exc

    # -- ingest ------------------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        return bool(self.db.fetchall("SELECT 1 AS x FROM articles WHERE id = ?", (article_id,)))

    def add_article(
        self,
        article: Article,
        raw: RawInput | None = None,
        copy: CopyLink | None = None,
        signature: bytes | None = None,
        bands: Sequence[int] | None = None,
    ) -> bool:
        """Store an article with its raw input, copy link and MinHash signature in one transaction.

        ``bands``: the signature's LSH buckets (copy detection finds the article by them); a signature
        stored without them is queued, and ingest fills them in (:meth:`put_copy_bands`).
        Returns False (and writes nothing) when the article is already stored.
        """
        with self.db.transaction():
            if self.has_article(article.id):
                return False
            if raw is not None:
                self.db.execute(
                    "INSERT INTO raw_inputs(id, source, fmt, size, content, received_at) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                    (raw.id, raw.source, raw.fmt, raw.size, raw.content, _now()),
                )
            outlet_id = None
            if article.outlet:
                outlet_id = content_id(article.outlet.casefold(), prefix="o_")
                self.db.execute(
                    "INSERT INTO outlets(id, name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                    (outlet_id, article.outlet),
                )
            seq = self.db.fetchall("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM articles")[0]["n"]
            a = article
            self.db.execute(
                "INSERT INTO articles(id, raw_id, outlet_id, outlet, title, url, author, published, "
                "published_source, fmt, source, wire_id, text, metadata, ingested_at, seq) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (a.id, a.raw_id, outlet_id, a.outlet, a.title, a.url, a.author, a.published,
                 a.published_source, a.fmt, a.source, a.wire_id, a.text,
                 json.dumps(dict(a.metadata), ensure_ascii=False), _now(), seq),
            )
            # The analyze stage reads its work from this queue, not from a scan of every article.
            self.db.execute("INSERT INTO analyze_pending(article_id, seq) VALUES (?, ?)", (a.id, seq))
            if copy is not None:
                self.add_copy(copy)
            if signature is not None:
                self.db.execute(
                    "INSERT INTO signatures(article_id, signature) VALUES (?, ?) "
                    "ON CONFLICT (article_id) DO NOTHING",
                    (article.id, signature),
                )
                if bands is None:
                    self.db.execute("INSERT INTO copy_bands_pending(article_id) VALUES (?) "
                                    "ON CONFLICT (article_id) DO NOTHING", (article.id,))
                else:
                    self.put_copy_bands([(b, article.id) for b in bands], ())
        return True

    def put_copy_bands(self, rows: Sequence[tuple[int, str]], done: Sequence[str]) -> None:
        """Add (bucket, article ID) rows to the copy-detection index and unqueue ``done`` articles."""
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO copy_bands(bucket, article_id) VALUES (?, ?) "
                "ON CONFLICT (bucket, article_id) DO NOTHING",
                rows,
            )
            self.db.executemany("DELETE FROM copy_bands_pending WHERE article_id = ?", [(d,) for d in done])

    def add_copy(self, link: CopyLink) -> None:
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO copies(article_id, original_id, similarity, method) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (article_id) DO NOTHING",
                (link.article_id, link.original_id, link.similarity, link.method),
            )

    def set_copy(self, link: CopyLink) -> None:
        """Record a copy link or re-point an existing one (an earlier 'original' copied a wire)."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO copies(article_id, original_id, similarity, method) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET original_id = excluded.original_id, "
                "similarity = excluded.similarity, method = excluded.method",
                (link.article_id, link.original_id, link.similarity, link.method),
            )

    def set_published(self, article_id: str, published: str | None, source: str | None) -> None:
        """Set an article's date (e.g. an estimate from its story)."""
        with self.db.transaction():
            self.db.execute(
                "UPDATE articles SET published = ?, published_source = ? WHERE id = ?",
                (published, source, article_id),
            )
            # the links carry the date their entity's pages sort by (migration 22)
            self.db.execute("UPDATE entity_links SET published = ? WHERE article_id = ?",
                            (published or "", article_id))

    # -- analyze -----------------------------------------------------------------------------

    def put_analysis(self, analysis: Analysis) -> None:
        """Replace everything analysed for one article, atomically."""
        aid = analysis.article_id
        rows = {table: [_json(x) for x in records] for table, records in (
            ("mentions", analysis.mentions), ("quotes", analysis.quotes), ("events", analysis.events),
            ("untyped_events", analysis.untyped), ("times", analysis.times), ("amounts", analysis.amounts))}
        with self.db.transaction():
            for table in ("mentions", "quotes", "events", "times", "amounts", "untyped_events"):
                self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", (aid,))
            self.db.executemany(
                "INSERT INTO mentions(id, article_id, start_char, end_char, entity_key, label, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                [(m.id, aid, m.start, m.end, m.entity_key, m.label, j)
                 for m, j in zip(analysis.mentions, rows["mentions"], strict=True)],
            )
            self.db.executemany(
                "INSERT INTO quotes(id, article_id, speaker_key, data) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO NOTHING",
                [(q.id, aid, q.speaker_key, j) for q, j in zip(analysis.quotes, rows["quotes"], strict=True)],
            )
            self.db.executemany(
                "INSERT INTO events(id, article_id, type, mode, data) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO NOTHING",
                [(e.id, aid, e.type, e.mode, j)
                 for e, j in zip(analysis.events, rows["events"], strict=True)],
            )
            self.db.executemany(
                "INSERT INTO untyped_events(id, article_id, data) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO NOTHING",
                [(e.id, aid, j) for e, j in zip(analysis.untyped, rows["untyped_events"], strict=True)],
            )
            self.db.executemany(
                "INSERT INTO times(id, article_id, data) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
                [(t.id, aid, j) for t, j in zip(analysis.times, rows["times"], strict=True)],
            )
            self.db.executemany(
                "INSERT INTO amounts(id, article_id, data) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
                [(x.id, aid, j) for x, j in zip(analysis.amounts, rows["amounts"], strict=True)],
            )
            # Links keep their key's mention count (migration 8): a new analysis changes it, and
            # with it the totals of the linked entities (migration 20).
            before = self._link_sums([aid])
            if before:  # an article not linked yet (a new one) changes no link
                self._stamp_links()
            self.db.execute(
                "UPDATE entity_links SET mentions = (SELECT COUNT(m.id) FROM mentions m "
                "WHERE m.article_id = entity_links.article_id AND m.entity_key = entity_links.entity_key) "
                "WHERE article_id = ?",
                (aid,),
            )
            self._add_link_totals(before, self._link_sums([aid]))
            self.db.execute("DELETE FROM analyses WHERE article_id = ?", (aid,))
            self.db.execute(
                "INSERT INTO analyses(article_id, version, analyzed_at, digest) VALUES (?, ?, ?, ?)",
                (aid, analysis.version, _now(), _digest(analysis.version, rows)),
            )
            # The work is recorded as done with its result: the claim goes, and the story built on
            # the old analysis (if any) must be fused again.
            self.db.execute("DELETE FROM analysis_claims WHERE article_id = ?", (aid,))
            self.db.execute("DELETE FROM analyze_pending WHERE article_id = ?", (aid,))
            stories = self.db.fetchall("SELECT story_id FROM story_articles WHERE article_id = ?", (aid,))
            self.queue_fusion([r["story_id"] for r in stories])
            if not stories:  # analysed and in no story: the fuse stage places it
                self.db.execute(
                    "INSERT INTO place_pending(article_id, seq) SELECT id, seq FROM articles WHERE id = ? "
                    "ON CONFLICT (article_id) DO NOTHING",
                    (aid,),
                )

    def claim_analysis(
        self, article_ids: Sequence[str], owner: str, stale: Callable[[str, str], bool], limit: int,
        version: str | None = None,
    ) -> list[str]:
        """Claim up to ``limit`` of the articles for analysis by ``owner``; returns those claimed, in
        the given order. An article another owner claimed is left to it unless ``stale(owner,
        claimed_at)`` says that owner is gone (a killed process, a claim older than allowed); one
        analysed at ``version`` meanwhile (by another run, since the caller listed it) is left out."""
        with self.db.transaction():
            self.db.lock("analysis_claims")
            held = {}
            done: set[str] = set()
            for part in _chunks(list(article_ids)):
                marks = ",".join("?" * len(part))
                rows = self.db.fetchall(
                    "SELECT article_id, owner, claimed_at FROM analysis_claims "
                    f"WHERE article_id IN ({marks})",
                    part,
                )
                held.update({r["article_id"]: (r["owner"], r["claimed_at"]) for r in rows})
                if version is not None:
                    rows = self.db.fetchall(
                        f"SELECT article_id FROM analyses WHERE version = ? AND article_id IN ({marks})",
                        [version, *part],
                    )
                    done.update(r["article_id"] for r in rows)
            free = [a for a in article_ids if a not in done and
                    (a not in held or held[a][0] == owner or stale(*held[a]))]
            mine = free[:limit]
            self.db.executemany(
                "INSERT INTO analysis_claims(article_id, owner, claimed_at) VALUES (?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET owner = excluded.owner, "
                "claimed_at = excluded.claimed_at",
                [(a, owner, _now()) for a in mine],
            )
        return mine

    def queue_stale_analyses(self, version: str) -> None:
        """Queue for analysis every article whose stored analysis is not of ``version`` (a newer or
        older newsfuse wrote it). Read through the index on the version, so in a settled store this
        costs one index probe, not a scan of the analyses."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO analyze_pending(article_id, seq) SELECT a.id, a.seq FROM analyses n "
                "JOIN articles a ON a.id = n.article_id WHERE n.version < ? OR n.version > ? "
                "ON CONFLICT (article_id) DO NOTHING",
                (version, version),
            )

    def release_claims(self, owner: str) -> None:
        """Drop every analysis claim ``owner`` still holds (its run ended or failed)."""
        with self.db.transaction():
            self.db.execute("DELETE FROM analysis_claims WHERE owner = ?", (owner,))

    def queue_fusion(self, story_ids: Iterable[str]) -> None:
        """Mark stories as needing fusion (in the caller's transaction: with the change that makes
        their fusion stale); a story already queued keeps its place."""
        ids = list(dict.fromkeys(story_ids))
        if not ids:
            return
        with self.db.transaction():
            seq = self.db.fetchall("SELECT COALESCE(MAX(seq), 0) AS n FROM fuse_pending")[0]["n"]
            self.db.executemany(
                "INSERT INTO fuse_pending(story_id, seq) VALUES (?, ?) ON CONFLICT (story_id) DO NOTHING",
                [(sid, seq + i + 1) for i, sid in enumerate(ids)],
            )

    def forget_placed(self) -> None:
        """Drop queued placements of articles that are in a story (placed by any path)."""
        with self.db.transaction():
            self.db.execute("DELETE FROM place_pending WHERE article_id IN "
                            "(SELECT p.article_id FROM place_pending p JOIN story_articles sa "
                            "ON sa.article_id = p.article_id)")

    def fusion_done(self, story_ids: Iterable[str]) -> None:
        """Record stories as fused (in the transaction that stored their fusion)."""
        with self.db.transaction():
            self.db.executemany("DELETE FROM fuse_pending WHERE story_id = ?", [(s,) for s in story_ids])

    def add_count(self, name: str, n: int = 1) -> None:
        """Add ``n`` to the store-wide counter ``name`` (``store_counts``; a new name starts at 0):
        what the watch records for operators across runs (its refresh process's restarts)."""
        with self.db.transaction():
            self.db.execute("INSERT INTO store_counts(name, n) VALUES (?, ?) "
                            "ON CONFLICT (name) DO UPDATE SET n = store_counts.n + excluded.n", (name, n))

    def put_claims_state(self, story_id: str, articles: int, refreshed_at: float) -> None:
        """Record that ``story_id``'s claims were computed over ``articles`` of its articles at
        ``refreshed_at`` (epoch seconds; migration 18), in the transaction storing them."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO claims_state(story_id, articles, refreshed_at) VALUES (?, ?, ?) "
                "ON CONFLICT (story_id) DO UPDATE SET articles = excluded.articles, "
                "refreshed_at = excluded.refreshed_at", (story_id, articles, refreshed_at))

    def lock(self, name: str) -> None:
        """Serialise writers of one kind until the current transaction ends (see Backend.lock)."""
        self.db.lock(name)

    # -- fuse --------------------------------------------------------------------------------

    def put_entities(self, entities: Iterable[Entity], links: Iterable[EntityLink], stamp: str = "") -> None:
        """Upsert global entities and the links of article-level entity keys to them; ``stamp``: the
        token the link stamp is set to (migration 43; its writer keeps what it wrote by it)."""
        with self.db.transaction():
            self.put_entity_rows(entities)
            self.put_entity_links(links, stamp)

    def put_entity_rows(self, entities: Iterable[Entity]) -> None:
        """Upsert entity rows alone (:meth:`put_entities` writes them with their links). The row keeps
        names, roles and evidence; its article list and mention count are the links' (migration 20:
        ``link_articles`` and ``link_mentions``, kept by the writes of links), so a new row starts
        from the links already written to it and an existing row's totals are left alone."""
        rows = list(entities)
        with self.db.transaction():
            known: set[str] = set()
            for start in range(0, len(rows), _IN_CHUNK):
                part = [e.id for e in rows[start:start + _IN_CHUNK]]
                marks = ",".join("?" * len(part))
                found = self.db.fetchall(f"SELECT id FROM entities WHERE id IN ({marks})", part)
                known.update(r["id"] for r in found)
            self.db.executemany(
                "INSERT INTO entities(id, name, label, data, link_articles, link_mentions) "
                "VALUES (?, ?, ?, ?, "
                "(SELECT COUNT(DISTINCT l.article_id) FROM entity_links l WHERE l.entity_id = ?), "
                "(SELECT COALESCE(SUM(l.mentions), 0) FROM entity_links l WHERE l.entity_id = ?))",
                [(e.id, e.name, e.label, _entity_json(e), e.id, e.id) for e in rows if e.id not in known],
            )
            self.db.executemany(
                "UPDATE entities SET name = ?, label = ?, data = ? WHERE id = ?",
                [(e.name, e.label, _entity_json(e), e.id) for e in rows if e.id in known],
            )

    def put_entity_links(self, links: Iterable[EntityLink], stamp: str = "") -> None:
        """Upsert links of article-level entity keys, each with its stored mention count (migration 8),
        and move the linked entities' totals by what changed (migration 20). The link stamp
        (migration 43) is set to ``stamp`` (given: even with no links), else to a fresh token."""
        rows = list(links)
        if not rows and not stamp:
            return
        articles = list(dict.fromkeys(x.article_id for x in rows))
        with self.db.transaction():
            self._stamp_links(stamp)
            before = self._link_sums(articles)
            self.db.executemany(
                "INSERT INTO entity_links(article_id, entity_key, entity_id, reason, mentions, published) "
                "VALUES (?, ?, ?, ?, (SELECT COUNT(m.id) FROM mentions m "
                "WHERE m.article_id = ? AND m.entity_key = ?), "
                "COALESCE((SELECT a.published FROM articles a WHERE a.id = ?), '')) "
                "ON CONFLICT (article_id, entity_key) DO UPDATE SET "
                "entity_id = excluded.entity_id, reason = excluded.reason, mentions = excluded.mentions, "
                "published = excluded.published",
                [(x.article_id, x.entity_key, x.entity_id, x.reason, x.article_id, x.entity_key, x.article_id)
                 for x in rows],
            )
            self._add_link_totals(before, self._link_sums(articles))

    def _stamp_links(self, stamp: str = "") -> None:
        """Mark a write of entity links (migration 43): a process keeping a story's links in memory
        trusts them only while the stamp is the token it last wrote."""
        token = stamp or secrets.token_hex(8)
        self.db.execute("UPDATE entity_link_stamp SET token = ? WHERE id = 1", (token,))

    def _link_sums(self, article_ids: list[str]) -> dict[tuple[str, str], int]:
        """(entity_id, article_id) -> mentions of the given articles' links (a probe of their keys)."""
        out: dict[tuple[str, str], int] = {}
        for start in range(0, len(article_ids), _IN_CHUNK):
            part = article_ids[start:start + _IN_CHUNK]
            marks = ",".join("?" * len(part))
            for r in self.db.fetchall("SELECT entity_id, article_id, SUM(mentions) AS n FROM entity_links "
                                      f"WHERE article_id IN ({marks}) GROUP BY entity_id, article_id", part):
                out[(r["entity_id"], r["article_id"])] = int(r["n"])
        return out

    def _add_link_totals(self, before: dict[tuple[str, str], int], after: dict[tuple[str, str], int]) -> None:
        """Move each entity's kept totals by the change from ``before`` to ``after`` (the same articles'
        links): an (entity, article) pair that appeared or went is one linked article more or less."""
        delta: dict[str, list[int]] = {}
        for pair in before.keys() | after.keys():
            d = delta.setdefault(pair[0], [0, 0])
            d[0] += (pair in after) - (pair in before)
            d[1] += after.get(pair, 0) - before.get(pair, 0)
        moved = [(n, m, eid) for eid, (n, m) in sorted(delta.items()) if n or m]
        if moved:
            self.db.executemany("UPDATE entities SET link_articles = link_articles + ?, "
                                "link_mentions = link_mentions + ? WHERE id = ?", moved)

    def put_story(self, story: Story) -> None:
        """Create or update a story's header (its ID and creation order never change)."""
        with self.db.transaction():
            seq = self.db.fetchall("SELECT COALESCE(MAX(created_seq), 0) + 1 AS n FROM stories")[0]["n"]
            self.db.execute(
                "INSERT INTO stories(id, title, first_seen, last_update, merged_into, created_seq, data) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
                "first_seen = excluded.first_seen, last_update = excluded.last_update, "
                "merged_into = excluded.merged_into, data = excluded.data",
                (story.id, story.title, story.first_seen, story.last_update, story.merged_into, seq,
                 _json(story)),
            )

    def assign(self, article_id: str, story_id: str, score: float) -> None:
        """Put an article in a story (moving it if it was elsewhere)."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO story_articles(article_id, story_id, score) VALUES (?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, score = excluded.score",
                (article_id, story_id, score),
            )
            self.db.execute("DELETE FROM place_pending WHERE article_id = ?", (article_id,))

    def merge_stories(self, merge: StoryMerge) -> None:
        """Record that ``from_id`` is part of ``into_id``: its articles move, its ID stays resolvable."""
        if merge.from_id == merge.into_id:
            raise StoreError(f"cannot merge story {merge.from_id} into itself")
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO story_merges(from_id, into_id, reason, similarity, merged_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (from_id) DO NOTHING",
                (merge.from_id, merge.into_id, merge.reason, merge.similarity, _now()),
            )
            self.db.execute("UPDATE story_articles SET story_id = ? WHERE story_id = ?",
                            (merge.into_id, merge.from_id))
            self.db.execute("UPDATE stories SET merged_into = ? WHERE id = ?", (merge.into_id, merge.from_id))
            self.db.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?",
                            (merge.into_id, merge.from_id))

    def move_article(self, move: StoryMove) -> None:
        """Move an article from one story to another and record the move (migration 9)."""
        if move.from_id == move.into_id:
            raise StoreError(f"cannot move article {move.article_id} into the story it is in")
        with self.db.transaction():
            seq = self.db.fetchall("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM story_moves")[0]["n"]
            self.db.execute(
                "INSERT INTO story_moves(article_id, seq, from_id, into_id, reason, similarity, moved_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (move.article_id, seq, move.from_id, move.into_id, move.reason, move.similarity, _now()),
            )
            self.db.execute("UPDATE story_articles SET story_id = ?, score = ? WHERE article_id = ?",
                            (move.into_id, move.similarity, move.article_id))

    # -- online story clustering state (fuse/stories/assign.py) -------------------------------------

    def add_story_docs(self, docs: Sequence[tuple[str, str]], df: Sequence[tuple[str, int]]) -> None:
        """Record articles' term counts (JSON text) and add their terms to the document frequencies.

        The caller passes only articles not recorded yet, so no article is counted twice.
        """
        with self.db.transaction():
            ids = [article_id for article_id, _ in docs]
            known: set[str] = set()
            for part in _chunks(ids):
                marks = ",".join("?" * len(part))
                found = self.db.fetchall(f"SELECT article_id FROM story_docs WHERE article_id IN ({marks})",
                                         part)
                known.update(r["article_id"] for r in found)
            # N of the IDF, kept here: counting the table per placement read all of it.
            self.db.execute("UPDATE store_counts SET n = n + ? WHERE name = 'story_docs'",
                            (len(set(ids) - known),))
            self.db.executemany(
                "INSERT INTO story_docs(article_id, terms) VALUES (?, ?) ON CONFLICT (article_id) DO NOTHING",
                docs,
            )
            self.db.executemany(
                "INSERT INTO story_df(term, df) VALUES (?, ?) "
                "ON CONFLICT (term) DO UPDATE SET df = story_df.df + excluded.df",
                df,
            )

    def put_story_vector(self, story_id: str, size: int, data: str, index_terms: Sequence[str]) -> None:
        """Replace a story's centroid (JSON {term: weight}) and add terms to its candidate index."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO story_vectors(story_id, size, data) VALUES (?, ?, ?) "
                "ON CONFLICT (story_id) DO UPDATE SET size = excluded.size, data = excluded.data",
                (story_id, size, data),
            )
            # Each posting carries its story's creation number (migration 20): candidate lookup
            # reads the newest stories of a term first.
            self.db.executemany(
                "INSERT INTO story_index(term, story_id, seq) VALUES (?, ?, "
                "COALESCE((SELECT created_seq FROM stories WHERE id = ?), 0)) "
                "ON CONFLICT (term, story_id) DO NOTHING",
                [(t, story_id, story_id) for t in index_terms],
            )

    def merge_story_vectors(self, from_id: str, into_id: str, size: int, data: str) -> None:
        """Give ``into_id`` the merged centroid and ``from_id``'s index terms; drop ``from_id``'s."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO story_index(term, story_id, seq) SELECT term, ?, "
                "COALESCE((SELECT created_seq FROM stories WHERE id = ?), 0) FROM story_index "
                "WHERE story_id = ? ON CONFLICT (term, story_id) DO NOTHING",
                (into_id, into_id, from_id),
            )
            self.db.execute("DELETE FROM story_index WHERE story_id = ?", (from_id,))
            self.db.execute("DELETE FROM story_vectors WHERE story_id = ?", (from_id,))
            self.put_story_vector(into_id, size, data, ())

    def put_claims(self, story_id: str, claims: Sequence[Claim]) -> None:
        """Replace a story's claims, writing only what changed: a story re-fused after one new
        article keeps most of its claims as they were (15-34 of 65 change in a story of 500), so
        rows equal to the stored ones are left untouched, changed ones updated, new ones inserted
        and those no longer made deleted, in one transaction. A claim ID another story holds keeps
        that story's row, as before."""
        wanted: dict[str, Claim] = {}
        for c in claims:
            wanted.setdefault(c.id, c)  # one row per ID, the first given (as the insert kept before)
        with self.db.transaction():
            stored = [r["id"] for r in self.db.fetchall("SELECT id FROM claims WHERE story_id = ?",
                                                        (story_id,))]
            self.db.executemany("DELETE FROM claims WHERE id = ?", [(i,) for i in stored if i not in wanted])
            # The row's other columns are read from its data, so equal data is an equal row.
            self.db.executemany(
                "INSERT INTO claims(id, story_id, kind, status, independent_sources, data) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, "
                "status = excluded.status, independent_sources = excluded.independent_sources, "
                "data = excluded.data "
                "WHERE claims.story_id = excluded.story_id AND claims.data <> excluded.data",
                [(c.id, story_id, c.kind, c.status, c.independent_sources, CLAIM_ROWS.json_of(c))
                 for c in wanted.values()],
            )

    def put_sentence_vectors(
        self, model: str, rows: Sequence[tuple[str, int, int, bytes]], text_hashes: Sequence[str] = ()
    ) -> None:
        """Keep encoded claim sentences: (article ID, start, end, float32 bytes) of one model, with
        the hash of each sentence's text when given (migration 14: copies find it by text). A
        vector already kept is left as it is (one article text, one sentence, one vector)."""
        hashes: list[str | None] = list(text_hashes) or [None] * len(rows)
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO sentence_vectors(article_id, start_char, end_char, model, vector, text_hash) "
                "VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (article_id, start_char, end_char, model) DO NOTHING",
                [(a, start, end, model, vector, h) for (a, start, end, vector), h in zip(rows, hashes,
                                                                                          strict=True)],
            )

    def put_coref_vectors(self, model: str, rows: Sequence[tuple[str, bytes]]) -> None:
        """Keep encoded coreference texts: (text hash, float32 bytes) of one model (migration 28). A
        vector already kept is left as it is (one text, one vector)."""
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO coref_vectors(model, text_hash, vector) VALUES (?, ?, ?) "
                "ON CONFLICT (model, text_hash) DO NOTHING",
                [(model, h, vector) for h, vector in rows],
            )

    def put_pair_logits(self, model: str, rows: Sequence[tuple[str, float]]) -> None:
        """Keep cross-encoder logits: (pair hash, logit) of one model (migration 50). A logit already
        kept is left as it is (one pair of texts, one logit)."""
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO pair_logits(model, pair_hash, logit) VALUES (?, ?, ?) "
                "ON CONFLICT (model, pair_hash) DO NOTHING",
                [(model, h, float(z)) for h, z in rows],
            )

    def put_trigger_vectors(self, model: str, rows: Sequence[tuple[str, int, int, int, bytes]]) -> None:
        """Keep events' trigger context vectors: (sentence text hash, head, trigger start, trigger end
        (offsets inside the sentence), fp16 bytes) of one encoder layer (migration 37). A vector
        already kept is left as it is (one sentence, one trigger, one vector)."""
        with self.db.transaction():
            self.db.executemany(
                "INSERT INTO trigger_vectors(model, text_hash, head, start_char, end_char, vector) "
                "VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (model, text_hash, head, start_char, end_char) DO NOTHING",
                [(model, *row) for row in rows],
            )

    def put_timeline(self, story_id: str, entries: Sequence[TimelineEntry]) -> None:
        """Replace a story's timeline, writing only the lines that changed (a re-fuse after one new
        article keeps most of them where they were): a line equal to the stored one at its place is
        left untouched, lines past the new end deleted, in one transaction."""
        with self.db.transaction():
            self.db.execute("DELETE FROM timeline WHERE story_id = ? AND seq >= ?", (story_id, len(entries)))
            self.db.executemany(
                "INSERT INTO timeline(story_id, seq, data) VALUES (?, ?, ?) ON CONFLICT (story_id, seq) "
                "DO UPDATE SET data = excluded.data WHERE timeline.data <> excluded.data",
                [(story_id, i, _json(e)) for i, e in enumerate(entries)],
            )

    # -- watch (newsfuse watch: live sources) -------------------------------------------------

    def put_watch_source(self, url: str, name: str | None, kind: str, interval: float) -> None:
        """Add a watched source or update its settings; its poll history stays."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO watch_sources(url, name, kind, poll_interval) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (url) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
                "poll_interval = excluded.poll_interval",
                (url, name, kind, interval),
            )

    def record_poll(
        self, url: str, *, next_poll: float, new_urls: Sequence[tuple[str, str | None]] = (),
        etag: str | None = None, last_modified: str | None = None, body_hash: str | None = None,
        error: str | None = None,
    ) -> None:
        """One poll of a source: its validators (kept as they were on a failure) and schedule, and
        the URLs it newly listed queued, all in one transaction."""
        now = _now()
        with self.db.transaction():
            if error is None:
                self.db.execute(
                    "UPDATE watch_sources SET etag = COALESCE(?, etag), "
                    "last_modified = COALESCE(?, last_modified), body_hash = COALESCE(?, body_hash), "
                    "last_poll = ?, last_ok = ?, next_poll = ?, failures = 0, polls = polls + 1, "
                    "listed = listed + ? WHERE url = ?",
                    (etag, last_modified, body_hash, now, now, next_poll, len(new_urls), url),
                )
            else:
                self.db.execute(
                    "UPDATE watch_sources SET last_poll = ?, next_poll = ?, failures = failures + 1, "
                    "errors = errors + 1, last_error = ?, polls = polls + 1 WHERE url = ?",
                    (now, next_poll, error, url),
                )
            self.db.executemany(
                "INSERT INTO watch_urls(url, source_url, state, title, listed_at) "
                "VALUES (?, ?, 'queued', ?, ?) ON CONFLICT (url) DO NOTHING",
                [(u, url, title, now) for u, title in new_urls],
            )

    def finish_url(
        self, url: str, state: str, *, attempts: int, next_try: float = 0.0, final_url: str | None = None,
        content_hash: str | None = None, article_id: str | None = None, error: str | None = None,
    ) -> None:
        """Record what became of a queued URL: 'done', 'failed' (given up), 'retry' (back to the
        queue at ``next_try``), 'duplicate' (same page as another URL) or 'denied' (robots.txt)."""
        queued = "queued" if state == "retry" else state
        done_at = None if state == "retry" else _now()
        with self.db.transaction():
            self.db.execute(
                "UPDATE watch_urls SET state = ?, attempts = ?, next_try = ?, final_url = ?, "
                "content_hash = COALESCE(?, content_hash), article_id = COALESCE(?, article_id), "
                "error = ?, done_at = ? WHERE url = ?",
                (queued, attempts, next_try, final_url, content_hash, article_id, error, done_at, url),
            )

    def alias_url(self, url: str, source_url: str | None, of: str) -> None:
        """Mark ``url`` (a canonical or redirect target of the done URL ``of``) as done too, so a
        source linking it that way does not fetch the page again."""
        now = _now()
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO watch_urls(url, source_url, state, listed_at, done_at, error) "
                "VALUES (?, ?, 'duplicate', ?, ?, ?) ON CONFLICT (url) DO NOTHING",
                (url, source_url, now, now, f"same page as {of}"),
            )


def _chunks(items: list[str], size: int = 500) -> list[list[str]]:
    """IN (...) lists stay far below SQLite's variable limit."""
    return [items[i : i + size] for i in range(0, len(items), size)]
