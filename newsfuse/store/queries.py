"""Read queries, shared by the library, CLI, API and web pages. Nothing here writes."""

from __future__ import annotations

import base64
import binascii
import dataclasses
import functools
import json
import operator
import re
import types
import typing
from collections.abc import Callable, Iterator
from typing import Any

from newsfuse import defaults
from newsfuse.errors import ConfigError, NotFoundError
from newsfuse.models import (
    Amount,
    Analysis,
    Article,
    Claim,
    CopyLink,
    Entity,
    Event,
    Mention,
    Quote,
    Story,
    StoryMove,
    TimeExpr,
    TimelineEntry,
    from_dict,
)
from newsfuse.store.store import Store

_ARTICLE_COLUMNS = (
    "id, text, outlet, title, url, author, published, published_source, raw_id, fmt, source, "
    "wire_id, metadata"
)


def _article(row: dict[str, Any]) -> Article:
    row.pop("seq", None)  # read for ordering and paging, no field of the record
    meta = json.loads(row.pop("metadata") or "{}")
    return Article(**row, metadata=tuple(sorted(meta.items())))


def get_article(store: Store, article_id: str) -> Article:
    rows = store.fetchall(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
    if not rows:
        raise NotFoundError(f"no article {article_id!r}; list them with 'newsfuse stories'")
    return _article(rows[0])


def list_articles(store: Store, ids: list[str] | None = None) -> list[Article]:
    """All articles in arrival order, or the given ones (in arrival order). A whole store does not
    fit every machine's memory: read it with :func:`iter_articles` instead."""
    if ids is None:
        return list(iter_articles(store))
    rows = []
    for part in _chunks(list(dict.fromkeys(ids))):  # one IN list past ~32k IDs fails on both engines
        marks = ",".join("?" * len(part))
        rows += store.fetchall(f"SELECT {_ARTICLE_COLUMNS}, seq FROM articles WHERE id IN ({marks})", part)
    rows.sort(key=lambda r: r["seq"])
    return [_article(r) for r in rows]


def iter_articles(store: Store, page: int = defaults.STORE_PAGE_ROWS) -> Iterator[Article]:
    """Every article in arrival order, read ``page`` at a time (memory flat in the store's size)."""
    after = 0
    while True:
        rows = store.fetchall(
            f"SELECT {_ARTICLE_COLUMNS}, seq FROM articles WHERE seq > ? ORDER BY seq LIMIT ?", (after, page)
        )
        for row in rows:
            after = row["seq"]
            yield _article(row)
        if len(rows) < page:
            return


def count_articles(store: Store) -> int:
    return int(store.fetchall("SELECT COUNT(*) AS n FROM articles")[0]["n"])


def copies(store: Store) -> list[CopyLink]:
    rows = store.fetchall("SELECT article_id, original_id, similarity, method FROM copies")
    return [CopyLink(**r) for r in rows]


def signatures(store: Store) -> list[tuple[str, bytes]]:
    return list(iter_signatures(store))


def iter_signatures(store: Store, page: int = defaults.STORE_PAGE_ROWS) -> Iterator[tuple[str, bytes]]:
    """(article ID, MinHash signature) of every stored article, read ``page`` rows at a time."""
    after = ""
    while True:
        rows = store.fetchall(
            "SELECT article_id, signature FROM signatures WHERE article_id > ? ORDER BY article_id LIMIT ?",
            (after, page),
        )
        for r in rows:
            after = r["article_id"]
            yield r["article_id"], bytes(r["signature"])
        if len(rows) < page:
            return


def copy_candidates(
    store: Store, buckets: list[int], after: str = "", page: int = defaults.STORE_PAGE_ROWS
) -> list[str]:
    """IDs (after ``after``, at most ``page``, in ID order) of the articles sharing an LSH bucket with
    ``buckets``: the candidates of copy detection (migration 17)."""
    if not buckets:
        return []
    marks = ",".join("?" * len(buckets))
    rows = store.fetchall(
        f"SELECT DISTINCT article_id FROM copy_bands WHERE bucket IN ({marks}) AND article_id > ? "
        "ORDER BY article_id LIMIT ?",
        [*buckets, after, page],
    )
    return [r["article_id"] for r in rows]


def signatures_of(store: Store, article_ids: list[str]) -> dict[str, bytes]:
    """article ID -> MinHash signature, for the given articles that have one."""
    return {k: bytes(v) for k, v in _column_by_article(store, "signatures", "signature", article_ids).items()}


def copy_originals(store: Store, article_ids: list[str]) -> dict[str, str]:
    """copy ID -> original ID, for those of the given articles that are copies."""
    return _column_by_article(store, "copies", "original_id", article_ids)


def _column_by_article(store: Store, table: str, column: str, article_ids: list[str]) -> dict[str, Any]:
    """article ID -> ``table.column`` for the given articles that have a row, read in chunks."""
    out: dict[str, Any] = {}
    for part in _chunks(list(dict.fromkeys(article_ids))):
        marks = ",".join("?" * len(part))
        rows = store.fetchall(f"SELECT article_id, {column} FROM {table} WHERE article_id IN ({marks})", part)
        out.update((r["article_id"], r[column]) for r in rows)
    return out


def copy_members(store: Store, original_id: str) -> list[str]:
    """IDs of the articles recorded as copies of ``original_id``, sorted."""
    rows = store.fetchall("SELECT article_id FROM copies WHERE original_id = ? ORDER BY article_id",
                          (original_id,))
    return [r["article_id"] for r in rows]


def pending_copy_bands(store: Store, page: int = defaults.STORE_PAGE_ROWS) -> list[tuple[str, bytes]]:
    """(article ID, signature) of at most ``page`` signatures whose LSH buckets are not stored yet."""
    rows = store.fetchall(
        "SELECT p.article_id, s.signature FROM copy_bands_pending p "
        "LEFT JOIN signatures s ON s.article_id = p.article_id ORDER BY p.article_id LIMIT ?",
        (page,),
    )
    return [(r["article_id"], bytes(r["signature"] or b"")) for r in rows]


def analysis_version(store: Store, article_id: str) -> str | None:
    rows = store.fetchall("SELECT version FROM analyses WHERE article_id = ?", (article_id,))
    return rows[0]["version"] if rows else None


def stale_analysis_page(
    store: Store, version: str, after: int, limit: int, owner: str
) -> list[tuple[str, int]]:
    """``(id, arrival number)`` of up to ``limit`` queued articles (``analyze_pending``) arrived after
    ``after`` that need an analysis of ``version`` and are not claimed by ``owner``, in arrival
    order: one window of the analyze stage. Read from the queue over its index, so a window costs
    the same in a store of any size; analyses of another version are queued first
    (:meth:`Store.queue_stale_analyses`)."""
    # Counting subqueries, not joins: PostgreSQL turns a join (or NOT EXISTS) into a hash join that
    # reads every analysis when the queue holds a row; these stay one index probe per queued row.
    rows = store.fetchall(
        "SELECT p.article_id AS id, p.seq AS seq FROM analyze_pending p WHERE p.seq > ? "
        "AND (SELECT COUNT(*) FROM analyses n WHERE n.article_id = p.article_id AND n.version = ?) = 0 "
        "AND (SELECT COUNT(*) FROM analysis_claims c WHERE c.article_id = p.article_id AND c.owner = ?) = 0 "
        "ORDER BY p.seq LIMIT ?",
        (after, version, owner, limit),
    )
    return [(r["id"], int(r["seq"])) for r in rows]


def count_stale_analyses(store: Store, version: str) -> int:
    """How many articles need an analysis of ``version``: those queued without one, and those whose
    analysis is of another version (through the index on it: nothing to read in a settled store)."""
    queued = store.fetchall(
        "SELECT COUNT(*) AS n FROM analyze_pending p "
        "WHERE (SELECT COUNT(*) FROM analyses n WHERE n.article_id = p.article_id AND n.version = ?) = 0",
        (version,),
    )
    other = store.fetchall(
        "SELECT COUNT(*) AS n FROM analyses n WHERE (n.version < ? OR n.version > ?) "
        "AND (SELECT COUNT(*) FROM analyze_pending p WHERE p.article_id = n.article_id) = 0",
        (version, version),
    )
    return int(queued[0]["n"]) + int(other[0]["n"])


def stale_articles(
    store: Store, version: str, page: int = defaults.ANALYZE_PAGE_ARTICLES
) -> Iterator[Article]:
    """Articles never analysed or analysed by another version, in arrival order, read ``page`` at a
    time (one query per page, resumed after the last arrival number seen, so analyses stored
    meanwhile neither skip nor repeat an article and an article whose analysis fails is not read
    again by this iteration)."""
    after = 0
    while True:
        rows = store.fetchall(
            f"SELECT {_qualified(_ARTICLE_COLUMNS, 'a')}, a.seq AS seq FROM articles a "
            "LEFT JOIN analyses n ON n.article_id = a.id "
            "WHERE (n.version IS NULL OR n.version <> ?) AND a.seq > ? ORDER BY a.seq LIMIT ?",
            (version, after, page),
        )
        for row in rows:
            after = row["seq"]
            yield _article(row)
        if len(rows) < page:
            return


def _qualified(columns: str, table: str) -> str:
    return ", ".join(f"{table}.{c.strip()}" for c in columns.split(","))


def articles_to_place(store: Store) -> list[str]:
    """IDs of analysed articles in no story yet, in arrival order: what the fuse stage places (those
    a run stored, and those an earlier run stored or analysed but did not place)."""
    rows = store.fetchall("SELECT article_id FROM place_pending ORDER BY seq")  # queued by put_analysis
    return [r["article_id"] for r in rows]


def pending_fusion_ids(store: Store) -> list[str]:
    """Stories whose fusion must be (re)done, in the order they were queued."""
    return [r["story_id"] for r in store.fetchall("SELECT story_id FROM fuse_pending ORDER BY seq")]


def claims_state(store: Store, story_id: str) -> dict[str, Any]:
    """Whether ``story_id``'s claims are current: ``refreshing`` (queued for a fuse: articles joined
    since its claims were computed), ``articles_waiting`` (how many, when the watch recorded the
    claims' articles: migration 18), ``as_of`` (when they were computed, ISO UTC; None when not
    recorded, e.g. by a batch fuse) and ``articles`` (how many articles they cover, or None)."""
    from datetime import UTC, datetime

    queued = store.fetchall("SELECT 1 AS q FROM fuse_pending WHERE story_id = ?", (story_id,))
    rows = store.fetchall("SELECT articles, refreshed_at FROM claims_state WHERE story_id = ?", (story_id,))
    held = len(story_article_ids(store, story_id))
    covered = int(rows[0]["articles"]) if rows else None
    waiting = (max(0, held - covered) if covered is not None else None) if queued else 0
    at = datetime.fromtimestamp(float(rows[0]["refreshed_at"]), UTC) if rows else None
    as_of = at.isoformat(timespec="seconds") if at is not None else None
    return {"refreshing": bool(queued), "articles_waiting": waiting, "as_of": as_of, "articles": covered}


def get_analysis(store: Store, article_id: str) -> Analysis:
    """Everything analysed in one article (empty records when it was never analysed)."""
    return get_analyses(store, [article_id])[article_id]


def get_analyses(store: Store, article_ids: list[str]) -> dict[str, Analysis]:
    """article_id -> Analysis for many articles: one query per table and chunk of IDs, instead of
    six per article (the fuse stage reads every article of a story)."""
    found: dict[str, dict[str, list[Any]]] = {a: {} for a in dict.fromkeys(article_ids)}
    versions: dict[str, str] = {}
    tables = (("mentions", Mention), ("quotes", Quote), ("events", Event), ("times", TimeExpr),
              ("amounts", Amount), ("untyped_events", Event))
    for part in _chunks(list(found)):
        marks = ",".join("?" * len(part))
        for table, cls in tables:
            rows = store.fetchall(f"SELECT article_id, data FROM {table} WHERE article_id IN ({marks})", part)
            build = _record_builder(cls)
            for r in rows:
                found[r["article_id"]].setdefault(table, []).append(build(_json_object(r["data"])))
        rows = store.fetchall(f"SELECT article_id, version FROM analyses WHERE article_id IN ({marks})", part)
        versions.update({r["article_id"]: r["version"] for r in rows})
    keys = {t: _position_key(cls) for t, cls in tables}
    fields = {t: "untyped" if t == "untyped_events" else t for t, _ in tables}
    return {
        aid: Analysis(
            article_id=aid, version=versions.get(aid) or "",
            **{fields[t]: tuple(sorted(by_table.get(t, []), key=keys[t])) for t, _ in tables},
        )
        for aid, by_table in found.items()
    }


def analysis_digests(store: Store, article_ids: list[str]) -> dict[str, str | None]:
    """article_id -> the digest of its stored analysis (migration 24; None: analysed before it), for
    the analysed articles among ``article_ids``: what tells a process its parsed copy is current."""
    out: dict[str, str | None] = {}
    for part in _chunks(list(dict.fromkeys(article_ids))):
        marks = ",".join("?" * len(part))
        rows = store.fetchall(f"SELECT article_id, digest FROM analyses WHERE article_id IN ({marks})", part)
        out.update({r["article_id"]: r["digest"] for r in rows})
    return out


@functools.cache
def _record_builder(cls: type[Any]) -> Callable[[dict[str, Any]], Any]:
    """A function turning one stored JSON object into a ``cls`` record, the fastest way that gives
    the same record as :func:`from_dict`: a story's analyses are tens of thousands of records, and
    building each through keyword arguments and per-field type revival cost most of reading them.

    Rows written by this version hold every field in declaration order (``to_dict``): for those,
    the slots are set directly (what the dataclass ``__init__`` does, without parsing keyword
    arguments). Any other row (an older or newer schema) takes
    :func:`_flat_record`, which tolerates missing and unknown keys."""
    names, tuples = _flat_fields(typing.cast(type, cls))
    if names is None or not _plain_slots(cls):
        return functools.partial(from_dict, cls)
    order = tuple(f.name for f in dataclasses.fields(cls))
    # Each slot's setter and whether its list becomes a tuple, looked up once per class.
    spec = [(n, getattr(cls, n).__set__, n in tuples) for n in order]
    new = object.__new__

    def fast(data: dict[str, Any]) -> Any:
        o = new(cls)
        for name, set_slot, as_tuple in spec:
            value = data[name]
            set_slot(o, tuple(value) if as_tuple and value is not None else value)
        return o

    def build(data: dict[str, Any]) -> Any:
        if tuple(data) == order:
            return fast(data)
        return _flat_record(cls, data)

    return build


_SCAN = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def _json_object(text: str) -> Any:
    """``json.loads(text)`` of a stored row, calling the C scanner directly: json.loads wraps it in
    three Python calls and two whitespace regex matches per row, a fifth of decoding a small row.
    Anything the scanner does not consume whole goes through json.loads (same value or error)."""
    try:
        value, end = _SCAN(text, 0)
    except StopIteration:
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


def _plain_slots(cls: type) -> bool:
    """True when a record can be built by setting its slots: every field is set by ``__init__``
    and nothing runs after it (no ``__post_init__``, no default factories)."""
    return "__slots__" in cls.__dict__ and not hasattr(cls, "__post_init__") and all(
        f.init and f.default_factory is dataclasses.MISSING for f in dataclasses.fields(cls)
    )


def _flat_record(cls: type[Any], data: dict[str, Any]) -> Any:
    """:func:`from_dict` for records whose fields are plain values or tuples of them (the analysis
    records): a story's analyses are tens of thousands of records, and the generic revival of each
    field by its type hint costs most of reading them."""
    names, tuples = _flat_fields(typing.cast(type, cls))
    if names is None:
        return from_dict(cls, data)
    # ``data`` is fresh from json.loads: changed in place (a new dict per record cost a third of it).
    if not data.keys() <= names:
        data = {k: v for k, v in data.items() if k in names}
    for k in tuples:
        v = data.get(k)
        if v is not None:
            data[k] = tuple(v)
    return cls(**data)


_PLAIN = (str, int, float, bool, type(None))


@functools.cache
def _flat_fields(cls: type) -> tuple[frozenset[str] | None, frozenset[str]]:
    """(field names, names of tuple fields) of a record class whose fields are plain values,
    optional or not, or tuples of plain values; (None, ...) for any other (use from_dict)."""
    tuples = set()
    for name, hint in typing.get_type_hints(cls).items():
        options = [a for a in typing.get_args(hint) if a is not type(None)] if _is_union(hint) else [hint]
        if len(options) == 1 and typing.get_origin(options[0]) is tuple:
            if not all(a in _PLAIN or a is Ellipsis for a in typing.get_args(options[0])):
                return None, frozenset()
            tuples.add(name)
        elif not all(a in _PLAIN for a in options):
            return None, frozenset()
    return frozenset(f.name for f in dataclasses.fields(cls)), frozenset(tuples)


def _is_union(hint: Any) -> bool:
    return typing.get_origin(hint) in (typing.Union, types.UnionType)


def copies_of(store: Store, article_ids: list[str]) -> list[CopyLink]:
    """The copy links of the given articles and of their originals, up their copy chains (what
    claims need to find each article's wire original, without reading every copy link stored)."""
    out: dict[str, CopyLink] = {}
    todo = list(dict.fromkeys(article_ids))
    while todo:
        found = []
        for part in _chunks(todo):
            marks = ",".join("?" * len(part))
            found += store.fetchall(
                "SELECT article_id, original_id, similarity, method FROM copies "
                f"WHERE article_id IN ({marks})",
                part,
            )
        for r in found:
            out[r["article_id"]] = CopyLink(**r)
        todo = list(dict.fromkeys(r["original_id"] for r in found if r["original_id"] not in out))
    return sorted(out.values(), key=lambda c: c.article_id)


@functools.cache
def _position_key(cls: type) -> Callable[[Any], int]:
    """The sort key of :func:`_position` for one record class: its first position field, read
    directly (an int in every analysis record), instead of probing names on each record."""
    fields = {f.name for f in dataclasses.fields(cls)}
    name = next((n for n in ("start", "content_start", "trigger_start") if n in fields), None)
    hints = typing.get_type_hints(cls)
    if name is None or hints[name] is not int:
        return _position
    return typing.cast(Callable[[Any], int], operator.attrgetter(name))


def _position(record: Any) -> int:
    for name in ("start", "content_start", "trigger_start"):
        value = getattr(record, name, None)
        if value is not None:
            return int(value)
    return 0


# -- stories -----------------------------------------------------------------------------------


def resolve_story_id(store: Store, story_id: str) -> str:
    """Follow merges: an old story ID keeps working and leads to the story it became part of."""
    seen = set()
    while story_id not in seen:
        seen.add(story_id)
        rows = store.fetchall("SELECT id, merged_into FROM stories WHERE id = ?", (story_id,))
        if not rows:
            raise NotFoundError(f"no story {story_id!r}; list them with 'newsfuse stories'")
        if not rows[0]["merged_into"]:
            return story_id
        story_id = rows[0]["merged_into"]
    return story_id


def get_story(store: Store, story_id: str) -> Story:
    sid = resolve_story_id(store, story_id)
    row = store.fetchall(
        "SELECT id, title, first_seen, last_update, merged_into FROM stories WHERE id = ?", (sid,)
    )[0]
    ids = story_article_ids(store, sid)
    return Story(**row, article_ids=tuple(ids))


def story_article_ids(store: Store, story_id: str) -> list[str]:
    rows = store.fetchall(
        "SELECT sa.article_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
        "WHERE sa.story_id = ? ORDER BY a.seq",
        (story_id,),
    )
    return [r["article_id"] for r in rows]


def list_stories(store: Store, limit: int = 50, offset: int = 0) -> list[Story]:
    """Live stories (not merged away), most recently updated first."""
    rows = store.fetchall(
        "SELECT id, title, first_seen, last_update, merged_into FROM stories "
        "WHERE merged_into IS NULL ORDER BY last_update DESC NULLS LAST, created_seq DESC LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [Story(**r, article_ids=tuple(story_article_ids(store, r["id"]))) for r in rows]


def story_of_article(store: Store, article_id: str) -> str | None:
    rows = store.fetchall("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,))
    return rows[0]["story_id"] if rows else None


def sentence_vectors(store: Store, article_ids: list[str], model: str) -> dict[tuple[str, int, int], bytes]:
    """(article ID, start, end) -> the kept vector bytes of one encoder model (migration 10)."""
    out: dict[tuple[str, int, int], bytes] = {}
    for part in _chunks(list(dict.fromkeys(article_ids))):
        marks = ",".join("?" * len(part))
        # ``model || ''``: not a column SQLite may look up by, so it searches the articles' rows by
        # the primary key; on ``model = ?`` it chose the (model, text_hash) index and read every
        # vector of the model (the whole store's) to find one new article's: ~30 ms a fuse at 16,000
        # rows, growing with the store (PostgreSQL plans it by the key either way).
        rows = store.fetchall(
            "SELECT article_id, start_char, end_char, vector FROM sentence_vectors "
            f"WHERE article_id IN ({marks}) AND model || '' = ?", [*part, model])
        out.update({(r["article_id"], int(r["start_char"]), int(r["end_char"])): bytes(r["vector"])
                    for r in rows})
    return out


def text_vectors(store: Store, text_hashes: list[str], model: str) -> dict[str, bytes]:
    """Text hash -> a kept vector of a sentence with that text, of one encoder model (migration 14)."""
    return {r["text_hash"]: bytes(r["vector"])
            for r in _by_text_hash(store, "text_hash, vector", "sentence_vectors", text_hashes, model)}


def _by_text_hash(store: Store, columns: str, table: str, text_hashes: list[str],
                  model: str) -> Iterator[Any]:
    """The rows of ``table`` (a kept-vector table) of one encoder model whose text hash is one of
    ``text_hashes`` (each asked once, in chunks the database takes)."""
    for part in _chunks(list(dict.fromkeys(text_hashes))):
        marks = ",".join("?" * len(part))
        yield from store.fetchall(
            f"SELECT {columns} FROM {table} WHERE model = ? AND text_hash IN ({marks})", [model, *part])


def coref_vectors(store: Store, text_hashes: list[str], model: str) -> dict[str, bytes]:
    """Text hash -> the kept coreference vector of that text, of one encoder model (migration 28)."""
    return {r["text_hash"]: bytes(r["vector"])
            for r in _by_text_hash(store, "text_hash, vector", "coref_vectors", text_hashes, model)}


def pair_logits(store: Store, pair_hashes: list[str], model: str) -> dict[str, float]:
    """Pair hash -> the kept cross-encoder logit of that pair of texts, of one model (migration 50)."""
    out: dict[str, float] = {}
    for part in _chunks(list(dict.fromkeys(pair_hashes))):
        marks = ",".join("?" * len(part))
        out.update({r["pair_hash"]: float(r["logit"]) for r in store.fetchall(
            f"SELECT pair_hash, logit FROM pair_logits WHERE model = ? AND pair_hash IN ({marks})",
            [model, *part])})
    return out


TriggerKey = tuple[str, int, int, int]  # sentence text hash, head, trigger start, end (in the sentence)


def trigger_vectors(store: Store, text_hashes: list[str], model: str) -> dict[TriggerKey, bytes]:
    """The kept trigger context vectors of the sentences with these text hashes, of one encoder
    layer (migration 37): (text hash, head, start, end) -> fp16 bytes."""
    rows = _by_text_hash(store, "text_hash, head, start_char, end_char, vector", "trigger_vectors",
                         text_hashes, model)
    return {(r["text_hash"], int(r["head"]), int(r["start_char"]), int(r["end_char"])): bytes(r["vector"])
            for r in rows}


# -- online story clustering state (fuse/stories/assign.py) -------------------------------------------

_CHUNK = 500  # IN (...) lists stay far below SQLite's variable limit


def _chunks(items: list[str]) -> list[list[str]]:
    return [items[i : i + _CHUNK] for i in range(0, len(items), _CHUNK)]


def story_doc_terms(store: Store, article_ids: list[str]) -> dict[str, dict[str, float]]:
    """Recorded term counts of the given articles (those recorded; others are absent)."""
    out: dict[str, dict[str, float]] = {}
    for part in _chunks(article_ids):
        marks = ",".join("?" * len(part))
        rows = store.fetchall(f"SELECT article_id, terms FROM story_docs WHERE article_id IN ({marks})", part)
        out.update({r["article_id"]: json.loads(r["terms"]) for r in rows})
    return out


def store_count(store: Store, name: str) -> int:
    """A store-wide counter kept by :meth:`Store.add_count` (0 when never added to)."""
    rows = store.fetchall("SELECT n FROM store_counts WHERE name = ?", (name,))
    return int(rows[0]["n"]) if rows else 0


def story_doc_count(store: Store) -> int:
    """Articles counted in the story document frequencies (N of the IDF), as kept by
    :meth:`Store.add_story_docs` (one row read, not a count of every article's terms)."""
    return int(store.fetchall("SELECT n FROM store_counts WHERE name = 'story_docs'")[0]["n"])


def term_df(store: Store, terms: list[str]) -> dict[str, int]:
    """Document frequency of each given term that was seen (unseen terms are absent)."""
    out: dict[str, int] = {}
    for part in _chunks(terms):
        marks = ",".join("?" * len(part))
        rows = store.fetchall(f"SELECT term, df FROM story_df WHERE term IN ({marks})", part)
        out.update({r["term"]: int(r["df"]) for r in rows})
    return out


def story_index_terms(store: Store, story_id: str) -> list[str]:
    """The terms a story is indexed under for candidate search, sorted."""
    rows = store.fetchall("SELECT term FROM story_index WHERE story_id = ? ORDER BY term", (story_id,))
    return [r["term"] for r in rows]


def story_candidates(store: Store, terms: list[str], limit: int) -> list[str]:
    """Stories indexed under the most of ``terms``, best first (ties by ID for determinism), among
    the newest ``defaults.STORY_INDEX_POSTINGS`` stories of each term: one index range per term,
    however many stories a common term is indexed in (migration 20)."""
    if not terms:
        return []
    per_term = " UNION ALL ".join(
        f"SELECT story_id FROM (SELECT story_id FROM story_index WHERE term = ? "
        f"ORDER BY seq DESC, story_id DESC LIMIT ?) AS t{i}" for i in range(len(terms)))
    rows = store.fetchall(
        f"SELECT story_id, COUNT(*) AS n FROM ({per_term}) AS p "
        "GROUP BY story_id ORDER BY n DESC, story_id LIMIT ?",
        [*(x for t in terms for x in (t, defaults.STORY_INDEX_POSTINGS)), limit],
    )
    return [r["story_id"] for r in rows]


def story_vectors(
    store: Store, story_ids: list[str] | None = None
) -> dict[str, tuple[int, dict[str, float]]]:
    """story_id -> (articles, centroid {term: summed weight}); all stories when ``story_ids`` is None."""
    if story_ids is None:
        rows = store.fetchall("SELECT story_id, size, data FROM story_vectors")
    else:
        rows = []
        for part in _chunks(story_ids):
            marks = ",".join("?" * len(part))
            rows += store.fetchall(
                f"SELECT story_id, size, data FROM story_vectors WHERE story_id IN ({marks})", part
            )
    return {r["story_id"]: (int(r["size"]), json.loads(r["data"])) for r in rows}


def story_headers(store: Store, story_ids: list[str]) -> dict[str, dict[str, Any]]:
    """story_id -> {title, first_seen, last_update, merged_into, created_seq} for the given stories."""
    out: dict[str, dict[str, Any]] = {}
    for part in _chunks(story_ids):
        marks = ",".join("?" * len(part))
        rows = store.fetchall(
            "SELECT id, title, first_seen, last_update, merged_into, created_seq FROM stories "
            f"WHERE id IN ({marks})",
            part,
        )
        out.update({r.pop("id"): r for r in rows})
    return out


def copy_original(store: Store, article_id: str) -> str | None:
    """The article this one is a copy of, if ingest found it to be one."""
    rows = store.fetchall("SELECT original_id FROM copies WHERE article_id = ?", (article_id,))
    return rows[0]["original_id"] if rows else None


def story_claims(store: Store, story_id: str) -> list[Claim]:
    sid = resolve_story_id(store, story_id)
    rows = store.fetchall("SELECT data FROM claims WHERE story_id = ? ORDER BY id", (sid,))
    return [from_dict(Claim, json.loads(r["data"])) for r in rows]


def story_timeline(store: Store, story_id: str) -> list[TimelineEntry]:
    sid = resolve_story_id(store, story_id)
    rows = store.fetchall("SELECT data FROM timeline WHERE story_id = ? ORDER BY seq", (sid,))
    return [from_dict(TimelineEntry, json.loads(r["data"])) for r in rows]


# -- entities ----------------------------------------------------------------------------------


def get_entity(store: Store, entity_id: str, articles: bool = True) -> Entity:
    """One entity with every article linked to it; with ``articles`` False, ``article_ids`` is
    empty: pages and exports read an entity's articles a page at a time (:func:`entity_article_page`)."""
    rows = store.fetchall(f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE id = ?", (entity_id,))
    if not rows:
        raise NotFoundError(f"no entity {entity_id!r}; find one with 'newsfuse entity NAME'")
    return _with_articles(store, [_entity(rows[0])])[0] if articles else _entity(rows[0])


def list_entities(store: Store, article_ids: list[str] | None = None, articles: bool = True) -> list[Entity]:
    """The entities (of the given articles, else all), by name; ``articles`` False: without their
    article lists (see :func:`get_entity`)."""
    if article_ids is None:
        rows = store.fetchall(f"SELECT {_ENTITY_COLUMNS} FROM entities ORDER BY name")
    elif not article_ids:
        return []
    else:
        marks = ",".join("?" * len(article_ids))
        rows = store.fetchall(
            "SELECT DISTINCT e.data, e.name, e.link_mentions FROM entities e JOIN entity_links l "
            f"ON l.entity_id = e.id WHERE l.article_id IN ({marks}) ORDER BY e.name",
            article_ids,
        )
    found = [_entity(r) for r in rows]
    return _with_articles(store, found) if articles else found


def entity_pages(
    store: Store, after: str = "", limit: int = defaults.MAX_PAGE_SIZE
) -> Iterator[list[Entity]]:
    """Every entity, by ID, ``limit`` rows at a time (after ID ``after``), without article lists:
    an export of all entities holds one page of rows in memory, not the whole table."""
    while True:
        rows = store.fetchall(f"SELECT id, {_ENTITY_COLUMNS} FROM entities WHERE id > ? ORDER BY id LIMIT ?",
                              (after, limit))
        if not rows:
            return
        after = rows[-1]["id"]
        yield [_entity(r) for r in rows]


# An entity row is its JSON (names, roles, evidence) and the totals the store keeps (migration 20).
_ENTITY_COLUMNS = "data, link_mentions"


def _entity(row: dict[str, Any]) -> Entity:
    """An entity row as a record, its mention count the kept total of its links; ``article_ids`` is
    empty (the fuse path needs only the totals): :func:`_with_articles` fills it where shown."""
    entity = typing.cast(Entity, _flat_record(Entity, json.loads(row["data"])))
    return dataclasses.replace(entity, mention_count=int(row["link_mentions"]), article_ids=())


def _with_articles(store: Store, entities: list[Entity]) -> list[Entity]:
    """The entities with their linked articles (code-point order), read from ``entity_links``."""
    linked: dict[str, list[str]] = {e.id: [] for e in entities}
    for part in _chunks(list(linked)):
        marks = ",".join("?" * len(part))
        for r in store.fetchall(f"SELECT DISTINCT entity_id, article_id FROM entity_links "
                                f"WHERE entity_id IN ({marks})", part):
            linked[r["entity_id"]].append(r["article_id"])
    return [dataclasses.replace(e, article_ids=tuple(sorted(linked[e.id]))) for e in entities]


class ArticlePage(typing.NamedTuple):
    """One page of an entity's articles, newest first: their IDs, how many articles the entity has
    in all, and the cursor of the page after this one (None on the last page)."""

    ids: tuple[str, ...]
    total: int
    next_cursor: str | None


def entity_article_page(store: Store, entity_id: str, limit: int = defaults.PAGE_SIZE,
                        cursor: str | None = None) -> ArticlePage:
    """The newest ``limit`` articles linked to an entity (by date, then ID, both descending), after
    ``cursor`` (a page's ``next_cursor``): read off the index of migration 22, so a page costs the
    same for an entity of ten articles or of sixty thousand, and the total is the row's kept count.
    An article with no date sorts after every dated one."""
    limit = max(1, min(limit, defaults.MAX_PAGE_SIZE))
    rows = store.fetchall("SELECT link_articles FROM entities WHERE id = ?", (entity_id,))
    if not rows:
        raise NotFoundError(f"no entity {entity_id!r}; find one with 'newsfuse entity NAME'")
    where, args = "entity_id = ?", [entity_id]
    if cursor is not None:
        published, article_id = _cursor_values(cursor)
        where += " AND (published < ? OR (published = ? AND article_id < ?))"
        args += [published, published, article_id]
    # An article linked by two of its names is one article: duplicates sit side by side in the index.
    found = store.fetchall(f"SELECT DISTINCT published, article_id FROM entity_links WHERE {where} "
                           "ORDER BY published DESC, article_id DESC LIMIT ?", [*args, limit + 1])
    page = found[:limit]
    last = page[-1] if len(found) > limit else None
    return ArticlePage(tuple(r["article_id"] for r in page), int(rows[0]["link_articles"]),
                       _cursor_of(last["published"], last["article_id"]) if last else None)


def _cursor_of(published: str, article_id: str) -> str:
    raw = json.dumps([published, article_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor_values(cursor: str) -> tuple[str, str]:
    """(date, article ID) a cursor stands after; a cursor not made by :func:`entity_article_page`
    is a clear error, not a wrong page."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        values = None
    if not (isinstance(values, list) and len(values) == 2 and all(isinstance(v, str) for v in values)):
        raise ConfigError(f"cursor {cursor[:40]!r} is not one this store gave; "
                          "start from the first page (no cursor) and follow next_cursor")
    return values[0], values[1]


def entity_totals(store: Store, entity_ids: list[str]) -> dict[str, tuple[int, int]]:
    """entity_id -> (distinct linked articles, mentions of all links), as the store keeps them on the
    row (migration 20): one probe per entity, however many articles name it. Unknown IDs are left out."""
    out: dict[str, tuple[int, int]] = {}
    for part in _chunks(list(dict.fromkeys(entity_ids))):
        marks = ",".join("?" * len(part))
        rows = store.fetchall(f"SELECT id, link_articles, link_mentions FROM entities WHERE id IN ({marks})",
                              part)
        out.update({r["id"]: (int(r["link_articles"]), int(r["link_mentions"])) for r in rows})
    return out


def entity_link_rows(store: Store, article_ids: list[str]) -> dict[tuple[str, str], tuple[str, int, str]]:
    """(article_id, entity_key) -> (entity_id, mention count, reason) of the given articles' links."""
    out: dict[tuple[str, str], tuple[str, int, str]] = {}
    for part in _chunks(list(dict.fromkeys(article_ids))):
        marks = ",".join("?" * len(part))
        rows = store.fetchall("SELECT article_id, entity_key, entity_id, mentions, reason FROM entity_links "
                              f"WHERE article_id IN ({marks})", part)
        out.update({(r["article_id"], r["entity_key"]): (r["entity_id"], int(r["mentions"]),
                                                          r["reason"] or "") for r in rows})
    return out


def entity_link_stamp(store: Store) -> str:
    """The token the last write of entity links set (migration 43; '' before any)."""
    rows = store.fetchall("SELECT token FROM entity_link_stamp WHERE id = 1")
    return str(rows[0]["token"]) if rows else ""


def entity_links(store: Store, article_ids: list[str]) -> dict[tuple[str, str], str]:
    """(article_id, entity_key) -> entity_id for the given articles."""
    if not article_ids:
        return {}
    marks = ",".join("?" * len(article_ids))
    rows = store.fetchall(
        f"SELECT article_id, entity_key, entity_id FROM entity_links WHERE article_id IN ({marks})",
        article_ids,
    )
    return {(r["article_id"], r["entity_key"]): r["entity_id"] for r in rows}


def find_entities(store: Store, name: str) -> list[Entity]:
    """Entities whose canonical name equals ``name`` ignoring case (store-wide linking)."""
    rows = store.fetchall(f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE LOWER(name) = LOWER(?) ORDER BY id",
                          (name,))
    return [_entity(r) for r in rows]


def entity_support(store: Store, entity_id: str) -> list[tuple[str, str, int]]:
    """(article_id, entity_key, mention count) of every mention group linked to an entity."""
    return entity_supports(store, [entity_id])[entity_id]


def entity_link_counts(store: Store, article_ids: list[str]) -> dict[tuple[str, str], tuple[str, int]]:
    """(article_id, entity_key) -> (entity_id, mention count) for the given articles' links."""
    out: dict[tuple[str, str], tuple[str, int]] = {}
    for part in _chunks(list(dict.fromkeys(article_ids))):
        marks = ",".join("?" * len(part))
        rows = store.fetchall(
            "SELECT article_id, entity_key, entity_id, mentions FROM entity_links "
            f"WHERE article_id IN ({marks})",
            part,
        )
        out.update({(r["article_id"], r["entity_key"]): (r["entity_id"], int(r["mentions"])) for r in rows})
    return out


def get_entities(store: Store, entity_ids: list[str]) -> dict[str, Entity]:
    """entity_id -> Entity for those of the given IDs that are stored."""
    out: dict[str, Entity] = {}
    for part in _chunks(list(dict.fromkeys(entity_ids))):
        marks = ",".join("?" * len(part))
        rows = store.fetchall(f"SELECT id, {_ENTITY_COLUMNS} FROM entities WHERE id IN ({marks})", part)
        out.update({r["id"]: _entity(r) for r in rows})
    return out


def find_entities_named(store: Store, names: list[str]) -> dict[str, list[Entity]]:
    """name -> :func:`find_entities` (name) for many names, in one pass over the entities (the
    comparison ignores case, served by the entities_lower_name index of migration 7)."""
    wanted = list(dict.fromkeys(names))
    out: dict[str, list[Entity]] = {n: [] for n in wanted}
    for part in _chunks(wanted):
        marks = ",".join("?" * len(part))
        # The database folds the names (its LOWER, as in find_entities), in one row of columns.
        folded = store.fetchall("SELECT " + ", ".join(f"LOWER(?) AS k{i}" for i in range(len(part))), part)[0]
        by_key: dict[str, list[str]] = {}
        for i, name in enumerate(part):
            by_key.setdefault(folded[f"k{i}"], []).append(name)
        rows = store.fetchall(
            f"SELECT LOWER(name) AS k, {_ENTITY_COLUMNS} FROM entities WHERE LOWER(name) IN ({marks}) "
            "ORDER BY id",
            [folded[f"k{i}"] for i in range(len(part))],
        )
        for r in rows:
            for name in by_key.get(r["k"], []):
                out[name].append(_entity(r))
    return out


def entity_supports(store: Store, entity_ids: list[str]) -> dict[str, list[tuple[str, str, int]]]:
    """entity_id -> :func:`entity_support` (entity_id) for many entities, one query per chunk."""
    out: dict[str, list[tuple[str, str, int]]] = {e: [] for e in dict.fromkeys(entity_ids)}
    for part in _chunks(list(out)):
        marks = ",".join("?" * len(part))
        # Each link carries its mention count (migration 8), so this reads the covering index
        # entity_links_entity_support alone: no join over the mentions of a big entity.
        rows = store.fetchall(
            "SELECT entity_id, article_id, entity_key, mentions FROM entity_links "
            f"WHERE entity_id IN ({marks})",
            part,
        )
        for r in rows:
            out[r["entity_id"]].append((r["article_id"], r["entity_key"], int(r["mentions"])))
    for links in out.values():
        links.sort()  # code-point order in Python: the same on every backend, whatever its collation
    return out


# -- search, filtered listing and exports (CLI, API, web pages) --------------------------------


def search_terms(text: str) -> list[str]:
    """The words of a free-text query. Operators and punctuation are dropped: user input is never
    passed to the engine as query syntax, so no query can fail to parse or inject anything."""
    return re.findall(r"\w+", text.casefold())[: defaults.MAX_SEARCH_TERMS]


def _match(store: Store, terms: list[str]) -> tuple[str, list[Any]]:
    """A subquery of (article_id, score) for articles holding every term; higher score is better."""
    if store.db.dialect == "postgresql":
        words = " ".join(terms)
        return (
            "SELECT id AS article_id, ts_rank(search, plainto_tsquery('english', ?)) AS score "
            "FROM articles WHERE search @@ plainto_tsquery('english', ?)",
            [words, words],
        )
    # Each term quoted: FTS5 then reads it as a plain word, never as NEAR/AND/column syntax.
    phrase = " ".join(f'"{t}"' for t in terms)
    return (
        "SELECT a.id AS article_id, -f.rank AS score FROM articles_fts f "
        "JOIN articles a ON a.seq = f.rowid WHERE articles_fts MATCH ?",
        [phrase],
    )


SEARCH_SORTS = {"relevance": "m.score DESC, a.seq", "newest": "a.published DESC NULLS LAST, a.seq DESC",
                "oldest": "a.published ASC NULLS LAST, a.seq"}


def search_articles(store: Store, text: str, limit: int = 50, offset: int = 0, outlet: str | None = None,
                    sort: str = "relevance") -> list[Article]:
    """Articles containing every word of ``text`` (stemmed), from ``outlet`` when given, best match
    first (or ``sort``: newest, oldest)."""
    terms = search_terms(text)
    if not terms:
        return []
    sub, params = _match(store, terms)
    cols = ", ".join(f"a.{c.strip()}" for c in _ARTICLE_COLUMNS.split(","))
    where, extra = _outlet_where(outlet)
    rows = store.fetchall(
        f"SELECT {cols} FROM ({sub}) m JOIN articles a ON a.id = m.article_id {where} "
        f"ORDER BY {SEARCH_SORTS.get(sort, SEARCH_SORTS['relevance'])} LIMIT ? OFFSET ?",
        [*params, *extra, limit, offset],
    )
    return [_article(r) for r in rows]


def count_search(store: Store, text: str) -> int:
    """How many articles contain every word of ``text``."""
    terms = search_terms(text)
    if not terms:
        return 0
    sub, params = _match(store, terms)
    return int(store.fetchall(f"SELECT COUNT(*) AS n FROM ({sub}) m", params)[0]["n"])


def search_facets(store: Store, text: str, outlet: str | None = None,
                  top: int = defaults.SEARCH_FACET_VALUES) -> dict[str, Any]:
    """How many articles match ``text`` (from ``outlet`` when given), and the counts per outlet and
    per story of all matches (not only one page), the ``top`` of each, most matches first."""
    terms = search_terms(text)
    if not terms:
        return {"total": 0, "outlets": [], "stories": []}
    sub, params = _match(store, terms)
    where, extra = _outlet_where(outlet)
    base = f"FROM ({sub}) m JOIN articles a ON a.id = m.article_id "
    total = store.fetchall(f"SELECT COUNT(*) AS n {base}{where}", [*params, *extra])[0]["n"]
    # articles nobody named an outlet for are one more value, under the label every page gives them
    outlets = store.fetchall(
        f"SELECT a.outlet AS value, COUNT(*) AS n {base}"
        "GROUP BY a.outlet ORDER BY COUNT(*) DESC, a.outlet LIMIT ?", [*params, top])
    stories = store.fetchall(
        f"SELECT s.id AS value, s.title AS title, COUNT(*) AS n {base}"
        "JOIN story_articles sa ON sa.article_id = a.id JOIN stories s ON s.id = sa.story_id "
        f"{where} GROUP BY s.id, s.title ORDER BY COUNT(*) DESC, s.id LIMIT ?", [*params, *extra, top])
    return {"total": int(total),
            "outlets": [{"value": r["value"] or UNKNOWN_OUTLET, "count": int(r["n"])} for r in outlets],
            "stories": [{"value": r["value"], "title": r["title"], "count": int(r["n"])} for r in stories]}


UNKNOWN_OUTLET = "unknown outlet"  # the label of articles without an outlet; as a filter: those articles


def _outlet_where(outlet: str | None) -> tuple[str, list[Any]]:
    """The WHERE clause of a search from ``outlet`` (:data:`UNKNOWN_OUTLET`: articles with none)."""
    if not outlet:
        return "", []
    return ("WHERE a.outlet IS NULL", []) if outlet == UNKNOWN_OUTLET else ("WHERE a.outlet = ?", [outlet])


def _story_filter(
    store: Store, text: str | None, since: str | None, until: str | None, outlet: str | None
) -> tuple[str, list[Any]]:
    """WHERE clause for live stories updated on/after ``since``, begun on/before ``until``, with an
    article from ``outlet`` (any case) and an article matching ``text``."""
    where, params = ["s.merged_into IS NULL"], []
    if since:
        where.append("SUBSTR(COALESCE(s.last_update, s.first_seen), 1, 10) >= ?")
        params.append(since[:10])
    if until:
        where.append("SUBSTR(COALESCE(s.first_seen, s.last_update), 1, 10) <= ?")
        params.append(until[:10])
    if outlet:
        where.append(
            "EXISTS (SELECT 1 FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
            "WHERE sa.story_id = s.id AND LOWER(a.outlet) = LOWER(?))"
        )
        params.append(outlet)
    if text is not None:
        terms = search_terms(text)
        if not terms:
            where.append("1 = 0")  # a query of punctuation only matches nothing
        else:
            sub, sub_params = _match(store, terms)
            where.append(
                "(EXISTS (SELECT 1 FROM story_articles sa WHERE sa.story_id = s.id AND sa.article_id IN "
                f"(SELECT article_id FROM ({sub}) m)))"
            )
            params.extend(sub_params)
    return " AND ".join(where), params


def find_stories(
    store: Store,
    text: str | None = None,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Story]:
    """Live stories matching the filters (see :func:`_story_filter`), most recently updated first."""
    where, params = _story_filter(store, text, since, until, outlet)
    rows = store.fetchall(
        f"SELECT s.id, s.title, s.first_seen, s.last_update, s.merged_into FROM stories s WHERE {where} "
        "ORDER BY s.last_update DESC NULLS LAST, s.created_seq DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    members = _story_members(store, [r["id"] for r in rows])
    return [Story(**r, article_ids=tuple(members.get(r["id"], []))) for r in rows]


def count_stories(
    store: Store,
    text: str | None = None,
    since: str | None = None,
    until: str | None = None,
    outlet: str | None = None,
) -> int:
    where, params = _story_filter(store, text, since, until, outlet)
    return int(store.fetchall(f"SELECT COUNT(*) AS n FROM stories s WHERE {where}", params)[0]["n"])


def _story_members(store: Store, story_ids: list[str]) -> dict[str, list[str]]:
    """story_id -> its article IDs in arrival order, in one query for a page of stories."""
    if not story_ids:
        return {}
    marks = ",".join("?" * len(story_ids))
    rows = store.fetchall(
        "SELECT sa.story_id, sa.article_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
        f"WHERE sa.story_id IN ({marks}) ORDER BY a.seq",
        story_ids,
    )
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r["story_id"], []).append(r["article_id"])
    return out


def story_counts(store: Store, story_ids: list[str]) -> dict[str, dict[str, int]]:
    """story_id -> {articles, outlets, independent, copies, unknown}.

    ``outlets``: distinct outlets, all articles of unknown outlet together one column (as the
    claim-by-outlet matrix shows them). ``independent``: originators after folding each syndicated
    copy into the outlet of its wire original (up its copy chain); articles of unknown outlet count
    as one originator together, never one each. ``copies``: articles folded into an original;
    ``unknown``: articles whose outlet nobody gave. ``independent`` never exceeds ``outlets``."""
    if not story_ids:
        return {}
    rows = []
    for part in _chunks(list(dict.fromkeys(story_ids))):
        marks = ",".join("?" * len(part))
        rows += store.fetchall(
            "SELECT sa.story_id, a.id, a.outlet FROM story_articles sa "
            f"JOIN articles a ON a.id = sa.article_id WHERE sa.story_id IN ({marks})",
            part,
        )
    links = {c.article_id: c.original_id for c in copies_of(store, [r["id"] for r in rows])}
    outlet_of = _outlets_of(store, [*links.values(), *(r["id"] for r in rows)])
    out: dict[str, dict[str, int]] = {}
    groups: dict[str, list[Any]] = {}
    for r in rows:
        groups.setdefault(r["story_id"], []).append(r)
    for sid, members in groups.items():
        roots = [_root(r["id"], links) for r in members]
        out[sid] = {
            "articles": len(members),
            "outlets": len({_outlet_label(r["outlet"]) for r in members}),
            "independent": len({_outlet_label(outlet_of.get(root)) for root in roots}),
            "copies": sum(1 for r in members if r["id"] in links),
            "unknown": sum(1 for r in members if not r["outlet"]),
        }
    return out


def _root(article_id: str, links: dict[str, str]) -> str:
    seen = {article_id}
    while article_id in links and links[article_id] not in seen:
        article_id = links[article_id]
        seen.add(article_id)
    return article_id


def _outlet_label(outlet: str | None) -> str:
    """An outlet as counted: case-folded, every unknown outlet one label."""
    return " ".join(outlet.casefold().split()) if outlet else "\x00unknown"


def _outlets_of(store: Store, article_ids: list[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for part in _chunks(list(dict.fromkeys(article_ids))):
        marks = ",".join("?" * len(part))
        for r in store.fetchall(f"SELECT id, outlet FROM articles WHERE id IN ({marks})", part):
            out[r["id"]] = r["outlet"]
    return out


def search_entities(store: Store, name: str, limit: int = 50) -> list[Entity]:
    """Entities whose name or an alias contains ``name`` (any case); exact names first."""
    needle = name.casefold().strip()
    if not needle:
        return []
    pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = store.fetchall(
        f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE LOWER(name) LIKE ? ESCAPE '\\' "
        "OR LOWER(data) LIKE ? ESCAPE '\\' ORDER BY name",
        (pattern, pattern),
    )
    found = [_entity(r) for r in rows]
    # LOWER(data) also matches roles and evidence text: keep only real name/alias hits.
    hits = [e for e in found if any(needle in n.casefold() for n in (e.name, *e.aliases))]
    hits.sort(key=lambda e: (e.name.casefold() != needle, -e.mention_count, e.name))
    return hits[:limit]


def entity_story_ids(store: Store, entity_id: str, limit: int | None = None) -> list[str]:
    """Live stories with an article that mentions the entity, most recently updated first (the
    first ``limit`` of them when given)."""
    rows = store.fetchall(
        "SELECT DISTINCT s.id, s.last_update, s.created_seq FROM entity_links l "
        "JOIN story_articles sa ON sa.article_id = l.article_id JOIN stories s ON s.id = sa.story_id "
        "WHERE l.entity_id = ? AND s.merged_into IS NULL "
        "ORDER BY s.last_update DESC NULLS LAST, s.created_seq DESC" + (" LIMIT ?" if limit else ""),
        (entity_id, limit) if limit else (entity_id,),
    )
    return [r["id"] for r in rows]


def entity_story_months(store: Store, entity_id: str) -> dict[str, int]:
    """Month ('YYYY-MM' of a story's first report, else of its last update; '' for an undated story)
    -> how many live stories mentioning the entity began in it: counted by the database, so an
    entity of thousands of stories is never listed to be counted."""
    rows = store.fetchall(
        "SELECT m.month, COUNT(*) AS n FROM (SELECT DISTINCT s.id, SUBSTR(COALESCE(NULLIF(s.first_seen, ''), "
        "NULLIF(s.last_update, ''), ''), 1, 7) AS month FROM entity_links l "
        "JOIN story_articles sa ON sa.article_id = l.article_id JOIN stories s ON s.id = sa.story_id "
        "WHERE l.entity_id = ? AND s.merged_into IS NULL) m GROUP BY m.month",
        (entity_id,),
    )
    return {r["month"]: int(r["n"]) for r in rows}


_RECORD_TABLES: dict[str, type[Any]] = {
    "mentions": Mention, "quotes": Quote, "events": Event, "times": TimeExpr, "amounts": Amount,
    "untyped_events": Event,
}


def all_records(store: Store, table: str) -> list[Any]:
    """Every analysis record of one kind ('quotes', 'events', ...) across articles, by article."""
    cls = _RECORD_TABLES.get(table)
    if cls is None:
        raise ValueError(f"unknown record table {table!r}; choose from {sorted(_RECORD_TABLES)}")
    rows = store.fetchall(f"SELECT data FROM {table} ORDER BY article_id, id")
    return [from_dict(cls, json.loads(r["data"])) for r in rows]


def all_claims(store: Store) -> list[Claim]:
    rows = store.fetchall(
        "SELECT c.data FROM claims c JOIN stories s ON s.id = c.story_id "
        "WHERE s.merged_into IS NULL ORDER BY c.story_id, c.id"
    )
    return [from_dict(Claim, json.loads(r["data"])) for r in rows]


def article_facts(store: Store) -> dict[str, dict[str, Any]]:
    """article_id -> {outlet, url, source, published, ingested_at, story_id, copy_of} for exports."""
    rows = store.fetchall(
        "SELECT a.id, a.outlet, a.url, a.source, a.published, a.ingested_at, sa.story_id, "
        "c.original_id AS copy_of FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id "
        "LEFT JOIN copies c ON c.article_id = a.id"
    )
    return {r.pop("id"): r for r in rows}


def merged_story_ids(store: Store, story_id: str) -> list[str]:
    """IDs of the stories that were merged into ``story_id`` (they still lead to it)."""
    rows = store.fetchall("SELECT id FROM stories WHERE merged_into = ? ORDER BY created_seq", (story_id,))
    return [r["id"] for r in rows]


def story_moves(store: Store, story_ids: list[str]) -> list[StoryMove]:
    """Articles moved out of or into any of the stories, in the order they moved."""
    rows: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(story_ids):
        marks = ", ".join("?" * len(chunk))
        rows.update((r.pop("seq"), r) for r in store.fetchall(
            "SELECT seq, article_id, from_id, into_id, reason, similarity, moved_at FROM story_moves "
            f"WHERE from_id IN ({marks}) OR into_id IN ({marks})",
            (*chunk, *chunk),
        ))
    return [StoryMove(**rows[seq]) for seq in sorted(rows)]


def article_days(store: Store, article_ids: list[str]) -> dict[str, str | None]:
    """article_id -> its publication date (None when unknown), without reading texts."""
    out: dict[str, str | None] = {}
    for chunk in _chunks(article_ids):
        marks = ", ".join("?" * len(chunk))
        rows = store.fetchall(f"SELECT id, published FROM articles WHERE id IN ({marks})", chunk)
        out.update((r["id"], r["published"]) for r in rows)
    return out


# -- watch state (newsfuse watch) ----------------------------------------------------------------


def watch_sources(store: Store) -> list[dict[str, Any]]:
    """Every watched source with its poll record and what it gave: articles stored from it, the
    time of its last new article, URLs waiting and given up."""
    rows = store.fetchall("SELECT * FROM watch_sources ORDER BY url")
    counts = {
        r["source_url"]: r
        for r in store.fetchall(
            "SELECT source_url, SUM(CASE WHEN article_id IS NOT NULL THEN 1 ELSE 0 END) AS articles, "
            "MAX(CASE WHEN article_id IS NOT NULL THEN done_at END) AS last_new, "
            "SUM(CASE WHEN state = 'queued' THEN 1 ELSE 0 END) AS queued, "
            "SUM(CASE WHEN state IN ('failed', 'denied') THEN 1 ELSE 0 END) AS failed "
            "FROM watch_urls GROUP BY source_url"
        )
    }
    for r in rows:
        c = counts.get(r["url"], {})
        r.update({k: (c.get(k) or 0) if k != "last_new" else c.get(k) for k in
                  ("articles", "last_new", "queued", "failed")})
    return rows


def watch_source(store: Store, url: str) -> dict[str, Any] | None:
    rows = store.fetchall("SELECT * FROM watch_sources WHERE url = ?", (url,))
    return rows[0] if rows else None


def known_urls(store: Store, urls: list[str], states: tuple[str, ...] = ()) -> set[str]:
    """Which of ``urls`` the watch has seen (queued, done or given up; only in ``states`` if given)."""
    found: set[str] = set()
    only = f" AND state IN ({','.join('?' * len(states))})" if states else ""
    for chunk in _chunks(urls):
        marks = ",".join("?" * len(chunk))
        rows = store.fetchall(f"SELECT url FROM watch_urls WHERE url IN ({marks}){only}", [*chunk, *states])
        found.update(r["url"] for r in rows)
    return found


def queued_urls(store: Store, due_by: float, limit: int) -> list[dict[str, Any]]:
    """Queued URLs whose next try is due by ``due_by`` (epoch seconds), oldest first."""
    return store.fetchall(
        "SELECT url, source_url, attempts, title FROM watch_urls WHERE state = 'queued' AND next_try <= ? "
        "ORDER BY next_try, listed_at, url LIMIT ?",
        (due_by, limit),
    )


def next_queued_try(store: Store) -> float | None:
    rows = store.fetchall("SELECT MIN(next_try) AS t FROM watch_urls WHERE state = 'queued'")
    return rows[0]["t"]


def url_with_content(store: Store, content_hash: str) -> str | None:
    """A done URL whose page had this content hash (the same page under another address)."""
    rows = store.fetchall(
        "SELECT url FROM watch_urls WHERE content_hash = ? AND state = 'done' LIMIT 1", (content_hash,)
    )
    return rows[0]["url"] if rows else None


def watch_counts(store: Store) -> dict[str, int]:
    """URLs per state over all sources."""
    return {r["state"]: r["n"] for r in
            store.fetchall("SELECT state, COUNT(*) AS n FROM watch_urls GROUP BY state")}


def unplaced_article_ids(store: Store) -> list[str]:
    """Articles stored but in no story yet (a run stopped between storing and fusing), oldest first."""
    return [r["id"] for r in store.fetchall(
        "SELECT a.id FROM articles a LEFT JOIN story_articles s ON s.article_id = a.id "
        "WHERE s.article_id IS NULL ORDER BY a.seq"
    )]


def list_outlets(store: Store) -> list[dict[str, Any]]:
    """Every named outlet with its article and story counts and first/last publication day, the
    outlets with most articles first."""
    rows = store.fetchall(
        "SELECT a.outlet AS outlet, COUNT(DISTINCT a.id) AS articles, "
        "COUNT(DISTINCT sa.story_id) AS stories, MIN(SUBSTR(a.published, 1, 10)) AS first_published, "
        "MAX(SUBSTR(a.published, 1, 10)) AS last_published "
        "FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id "
        "WHERE a.outlet IS NOT NULL GROUP BY a.outlet ORDER BY COUNT(DISTINCT a.id) DESC, a.outlet"
    )
    return [{**r, "articles": int(r["articles"]), "stories": int(r["stories"])} for r in rows]


def match_outlets(store: Store, name: str) -> list[str]:
    """Outlet names for what a person typed: the exact name in any case when there is one, else every
    outlet whose name contains it (any case), shortest first."""
    wanted = name.casefold().strip()
    rows = store.fetchall("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")
    names = [str(r["outlet"]) for r in rows]
    exact = [n for n in names if n.casefold() == wanted]
    if exact:
        return exact[:1]
    return sorted((n for n in names if wanted and wanted in n.casefold()), key=lambda n: (len(n), n))


def article_leads(store: Store, article_ids: list[str], chars: int = 600) -> list[Article]:
    """The articles with only their first ``chars`` characters of text: enough to name a story
    (headline, date, lead sentence) without reading every member's whole text."""
    out: list[Article] = []
    for chunk in _chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        rows = store.fetchall("SELECT id, title, outlet, published, SUBSTR(text, 1, ?) AS text "
                              f"FROM articles WHERE id IN ({marks})", [chars, *chunk])
        out += [Article(id=r["id"], text=r["text"], title=r["title"], outlet=r["outlet"],
                        published=r["published"]) for r in rows]
    return out


def story_ids_of_outlet(store: Store, outlet: str) -> list[str]:
    """Live stories holding an article from ``outlet`` (exact name)."""
    rows = store.fetchall(
        "SELECT DISTINCT s.id FROM articles a JOIN story_articles sa ON sa.article_id = a.id "
        "JOIN stories s ON s.id = sa.story_id WHERE a.outlet = ? AND s.merged_into IS NULL", (outlet,))
    return [r["id"] for r in rows]
