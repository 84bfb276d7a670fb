"""JSON-ready views shared by the API and the web pages.

``story_view`` is :func:`newsfuse.fuse.report.story_data`: the CLI report, the API and the pages
show the same document.
"""

from __future__ import annotations

from typing import Any

from newsfuse import defaults
from newsfuse.fuse.report import story_data
from newsfuse.models import Story, to_dict
from newsfuse.store import Store, queries


def story_rows(store: Store, stories: list[Story]) -> list[dict[str, Any]]:
    """List rows: counts of articles, outlets and independent outlets per story."""
    counts = queries.story_counts(store, [s.id for s in stories])
    rows = []
    for s in stories:
        c = counts.get(s.id, {"articles": 0, "outlets": 0, "independent": 0})
        rows.append({"id": s.id, "title": s.title, "first_seen": s.first_seen, "last_update": s.last_update,
                     "articles": c["articles"], "outlets": c["outlets"],
                     "independent_outlets": c["independent"]})
    return rows


def story_view(store: Store, story_id: str) -> dict[str, Any]:
    """Everything about one story (the report's JSON); raises NotFoundError for an unknown ID."""
    return story_data(store, story_id)


def article_view(store: Store, article_id: str) -> dict[str, Any]:
    """An article with its evidence: every Analysis record found in it, with offsets into ``text``."""
    article = queries.get_article(store, article_id)
    analysis = queries.get_analysis(store, article_id)
    copy_of = next((c.original_id for c in queries.copies(store) if c.article_id == article_id), None)
    return {"article": to_dict(article), "story_id": queries.story_of_article(store, article_id),
            "copy_of": copy_of, "analysis": to_dict(analysis)}


def entity_view(store: Store, entity_id: str) -> dict[str, Any]:
    entity = queries.get_entity(store, entity_id)
    ids = queries.entity_story_ids(store, entity_id)
    stories = [queries.get_story(store, sid) for sid in ids]
    return {"entity": to_dict(entity), "stories": story_rows(store, stories)}


def search_hits(store: Store, text: str, limit: int, offset: int) -> list[dict[str, Any]]:
    terms = queries.search_terms(text)
    hits = []
    for a in queries.search_articles(store, text, limit=limit, offset=offset):
        start, snippet = snippet_around(a.text, terms)
        hits.append({"id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published, "url": a.url,
                     "story_id": queries.story_of_article(store, a.id), "snippet": snippet,
                     "snippet_start": start})
    return hits


def snippet_around(text: str, terms: list[str]) -> tuple[int, str]:
    """(offset, text) of a window of ``defaults.SNIPPET_CHARS`` around the first hit of any term."""
    folded = text.casefold()
    positions = [p for p in (folded.find(t[: max(3, len(t) - 2)]) for t in terms) if p >= 0]
    hit = min(positions) if positions else 0
    start = max(0, hit - defaults.SNIPPET_CHARS // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < hit else start
    return start, text[start : start + defaults.SNIPPET_CHARS]
