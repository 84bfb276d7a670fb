"""The JSON API under ``/api``. Reads are open; writes need the operator's bearer token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Response

from newsfuse import defaults
from newsfuse.api.ingest import ingest_records
from newsfuse.api.schemas import ArticleBatch, ArticleIn
from newsfuse.serving import views
from newsfuse.serving.deps import Id, IsoDay, Limit, Offset, StoreDep, Text, require_token
from newsfuse.serving.paging import paging
from newsfuse.store import queries

router = APIRouter(prefix="/api")

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {"application/json": {"example": {
        "error": {"code": slug, "message": "what went wrong and what to do"}}}}}
    for code, slug, text in ((400, "malformed_json", "Malformed request"),
                             (404, "not_found", "Unknown ID"),
                             (422, "validation_error", "Invalid parameter or body"),
                             (503, "busy", "The database stayed busy or failed; retry after Retry-After "
                                           "seconds (nothing of the request was stored)"))
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS, 401: {"description": "Missing or wrong bearer token"},
    403: {"description": "Writes disabled (no token configured)"},
    413: {"description": "Body larger than the server's limit"},
}


def _page(limit: int) -> int:
    return min(limit, defaults.MAX_PAGE_SIZE)

POST_RESPONSES: dict[int | str, dict[str, Any]] = {
    **WRITE_ERRORS,
    200: {"description": "Nothing new stored: each record was stored before or is listed under 'rejected'"},
}


@router.get("/health", summary="Liveness and schema version")
def health(store: StoreDep) -> dict[str, Any]:
    return {"status": "ok", "schema_version": store.schema_version()}


@router.get("/stories", summary="List or search stories", responses=ERRORS)
def list_stories(
    store: StoreDep,
    q: Text = None,
    outlet: Text = None,
    since: Annotated[IsoDay | None, Query(description="updated on or after (YYYY-MM-DD)")] = None,
    until: Annotated[IsoDay | None, Query(description="begun on or before (YYYY-MM-DD)")] = None,
    limit: Limit = defaults.PAGE_SIZE,
    offset: Offset = 0,
) -> dict[str, Any]:
    limit = _page(limit)
    filters = {"text": q, "outlet": outlet, "since": since.isoformat() if since else None,
               "until": until.isoformat() if until else None}
    stories = queries.find_stories(store, **filters, limit=limit, offset=offset)
    total = queries.count_stories(store, **filters)
    return {"items": views.story_rows(store, stories),
            **paging("/api/stories", {"q": q, **filters, "text": None}, total, limit, offset)}


@router.get("/stories/{story_id}", summary="A story with claims, quotes, entities and timeline",
            responses=ERRORS)
def get_story(store: StoreDep, story_id: Id) -> dict[str, Any]:
    return views.story_view(store, story_id)


@router.get("/articles/{article_id}", summary="An article with its evidence spans", responses=ERRORS)
def get_article(store: StoreDep, article_id: Id) -> dict[str, Any]:
    return views.article_view(store, article_id)


@router.get("/entities", summary="Find entities by name or alias", responses=ERRORS)
def find_entities(
    store: StoreDep,
    name: Annotated[str, Query(min_length=1, max_length=defaults.MAX_QUERY_CHARS)],
    limit: Limit = defaults.PAGE_SIZE,
) -> dict[str, Any]:
    found = queries.search_entities(store, name, limit=_page(limit))
    return {"items": [{"id": e.id, "name": e.name, "label": e.label, "aliases": list(e.aliases),
                       "mention_count": e.mention_count} for e in found]}


@router.get("/entities/{entity_id}", summary="An entity with its stories and a page of its articles",
            responses=ERRORS)
def get_entity(
    store: StoreDep,
    entity_id: Id,
    limit: Limit = defaults.PAGE_SIZE,
    cursor: Annotated[str | None, Query(max_length=defaults.MAX_QUERY_CHARS,
                                        description="next_cursor of the page before")] = None,
) -> dict[str, Any]:
    return views.entity_view(store, entity_id, _page(limit), cursor or None, f"/api/entities/{entity_id}")


@router.get("/search", summary="Full-text search over articles", responses=ERRORS)
def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=defaults.MAX_QUERY_CHARS)],
    limit: Limit = defaults.PAGE_SIZE,
    offset: Offset = 0,
) -> dict[str, Any]:
    limit = _page(limit)
    total = queries.count_search(store, q)
    return {"items": views.search_hits(store, q, limit, offset), "q": q,
            **paging("/api/search", {"q": q}, total, limit, offset)}


@router.post("/articles", status_code=201, summary="Ingest one article or a list; runs the pipeline",
             responses=POST_RESPONSES, dependencies=[Depends(require_token)])
def post_articles(
    store: StoreDep, body: Annotated[ArticleIn | ArticleBatch, Body()], response: Response,
) -> dict[str, Any]:
    """201 when an article was stored; 200 when every record was stored before or rejected (each
    rejected record is listed with the reason under ``rejected``; the others are stored)."""
    records = body if isinstance(body, list) else [body]
    result = ingest_records(store, records)
    if not result["stored"]:
        response.status_code = 200
    return result


@router.get("/sources", summary="Watched sources: last poll, last new article, errors, articles")
def list_sources(store: StoreDep) -> dict[str, Any]:
    from newsfuse.serving.sources import source_rows, watch_totals

    return {"items": source_rows(store), "totals": watch_totals(store)}
