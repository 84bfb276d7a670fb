"""Read queries, shared by the library, CLI, API and web pages. Nothing here writes."""

from __future__ import annotations

import json
from typing import Any

from newsfuse.errors import NotFoundError
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
    meta = json.loads(row.pop("metadata") or "{}")
    return Article(**row, metadata=tuple(sorted(meta.items())))


def get_article(store: Store, article_id: str) -> Article:
    rows = store.fetchall(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
    if not rows:
        raise NotFoundError(f"no article {article_id!r}; list them with 'newsfuse stories'")
    return _article(rows[0])


def list_articles(store: Store, ids: list[str] | None = None) -> list[Article]:
    """All articles in arrival order, or the given ones (in arrival order)."""
    if ids is None:
        rows = store.fetchall(f"SELECT {_ARTICLE_COLUMNS} FROM articles ORDER BY seq")
    elif not ids:
        return []
    else:
        marks = ",".join("?" * len(ids))
        rows = store.fetchall(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks}) ORDER BY seq", ids
        )
    return [_article(r) for r in rows]


def count_articles(store: Store) -> int:
    return int(store.fetchall("SELECT COUNT(*) AS n FROM articles")[0]["n"])


def copies(store: Store) -> list[CopyLink]:
    rows = store.fetchall("SELECT article_id, original_id, similarity, method FROM copies")
    return [CopyLink(**r) for r in rows]


def signatures(store: Store) -> list[tuple[str, bytes]]:
    rows = store.fetchall("SELECT article_id, signature FROM signatures")
    return [(r["article_id"], bytes(r["signature"])) for r in rows]


def analysis_version(store: Store, article_id: str) -> str | None:
    rows = store.fetchall("SELECT version FROM analyses WHERE article_id = ?", (article_id,))
    return rows[0]["version"] if rows else None


def get_analysis(store: Store, article_id: str) -> Analysis:
    def load(table: str, cls: type[Any]) -> tuple[Any, ...]:
        rows = store.fetchall(f"SELECT data FROM {table} WHERE article_id = ?", (article_id,))
        records = [from_dict(cls, json.loads(r["data"])) for r in rows]
        return tuple(sorted(records, key=_position))

    return Analysis(
        article_id=article_id,
        mentions=load("mentions", Mention),
        quotes=load("quotes", Quote),
        events=load("events", Event),
        times=load("times", TimeExpr),
        amounts=load("amounts", Amount),
        version=analysis_version(store, article_id) or "",
    )


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
        "WHERE merged_into IS NULL ORDER BY last_update DESC, created_seq DESC LIMIT ? OFFSET ?",
        (limit, offset),
    )
    return [Story(**r, article_ids=tuple(story_article_ids(store, r["id"]))) for r in rows]


def story_of_article(store: Store, article_id: str) -> str | None:
    rows = store.fetchall("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,))
    return rows[0]["story_id"] if rows else None


def story_claims(store: Store, story_id: str) -> list[Claim]:
    sid = resolve_story_id(store, story_id)
    rows = store.fetchall("SELECT data FROM claims WHERE story_id = ? ORDER BY id", (sid,))
    return [from_dict(Claim, json.loads(r["data"])) for r in rows]


def story_timeline(store: Store, story_id: str) -> list[TimelineEntry]:
    sid = resolve_story_id(store, story_id)
    rows = store.fetchall("SELECT data FROM timeline WHERE story_id = ? ORDER BY seq", (sid,))
    return [from_dict(TimelineEntry, json.loads(r["data"])) for r in rows]


# -- entities ----------------------------------------------------------------------------------


def get_entity(store: Store, entity_id: str) -> Entity:
    rows = store.fetchall("SELECT data FROM entities WHERE id = ?", (entity_id,))
    if not rows:
        raise NotFoundError(f"no entity {entity_id!r}; find one with 'newsfuse entity NAME'")
    return from_dict(Entity, json.loads(rows[0]["data"]))


def list_entities(store: Store, article_ids: list[str] | None = None) -> list[Entity]:
    if article_ids is None:
        rows = store.fetchall("SELECT data FROM entities ORDER BY name")
    elif not article_ids:
        return []
    else:
        marks = ",".join("?" * len(article_ids))
        rows = store.fetchall(
            "SELECT DISTINCT e.data, e.name FROM entities e JOIN entity_links l ON l.entity_id = e.id "
            f"WHERE l.article_id IN ({marks}) ORDER BY e.name",
            article_ids,
        )
    return [from_dict(Entity, json.loads(r["data"])) for r in rows]


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
