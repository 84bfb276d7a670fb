"""JSON-ready views shared by the API and the web pages.

``story_view`` starts from :func:`newsfuse.fuse.report.story_data` and fills in, from the store,
any section that report does not provide, so the pages and the API always have every key.
"""

from __future__ import annotations

from typing import Any

from newsfuse import defaults
from newsfuse.models import Story, to_dict
from newsfuse.store import Store, queries

STORY_SECTIONS = ("summary", "articles", "claims", "quotes", "entities", "timeline", "coverage")


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
    """Everything about one story; raises NotFoundError for an unknown ID."""
    from newsfuse.fuse.report import story_data

    data = dict(story_data(store, story_id))
    story = dict(data.get("story") or to_dict(queries.get_story(store, story_id)))
    sid = story["id"]
    ids = story.get("article_ids") or queries.story_article_ids(store, sid)
    missing = [k for k in STORY_SECTIONS if k not in data]
    if missing:
        data.update(_fallback(store, sid, list(ids), missing))
    counts = queries.story_counts(store, [sid]).get(sid, {})
    story.setdefault("article_count", counts.get("articles", len(ids)))
    story.setdefault("outlet_count", counts.get("outlets", 0))
    story.setdefault("independent_sources", counts.get("independent", 0))
    story.setdefault("merged_ids", [])
    data["story"] = story
    return data


def _fallback(store: Store, sid: str, ids: list[str], keys: list[str]) -> dict[str, Any]:
    articles = queries.list_articles(store, ids)
    copies = {c.article_id: c.original_id for c in queries.copies(store) if c.article_id in set(ids)}
    out: dict[str, Any] = {"summary": []}
    out["articles"] = [{"id": a.id, "outlet": a.outlet, "title": a.title, "published": a.published,
                        "published_source": a.published_source, "url": a.url, "copy_of": copies.get(a.id),
                        "wire_id": a.wire_id} for a in articles]
    claims = queries.story_claims(store, sid)
    out["claims"] = [to_dict(c) for c in claims]
    entities = queries.list_entities(store, ids)
    out["entities"] = [to_dict(e) for e in entities]
    out["timeline"] = [to_dict(t) for t in queries.story_timeline(store, sid)]
    if "quotes" in keys:
        out["quotes"] = _quotes(store, articles, {e.id: e.name for e in entities})
    out["coverage"] = _coverage(articles, claims)
    return {k: out[k] for k in keys}


def _quotes(store: Store, articles: list[Any], names: dict[str, str]) -> list[dict[str, Any]]:
    links = queries.entity_links(store, [a.id for a in articles])
    rows = []
    for a in articles:
        for q in queries.get_analysis(store, a.id).quotes:
            eid = links.get((a.id, q.speaker_key or ""))
            rows.append({"id": q.id, "article_id": a.id, "outlet": a.outlet, "speaker": q.speaker,
                         "speaker_entity_id": eid, "speaker_name": names.get(eid or "", q.speaker_key),
                         "content": q.content, "kind": q.kind, "cue": q.cue, "cited_source": q.cited_source,
                         "anonymous": q.anonymous, "start": q.content_start, "end": q.content_end})
    return rows


def _coverage(articles: list[Any], claims: list[Any]) -> list[dict[str, Any]]:
    by_outlet: dict[str, dict[str, list[str]]] = {}
    for a in articles:
        by_outlet.setdefault(a.outlet or "", {"article_ids": [], "claim_ids": []})["article_ids"].append(a.id)
    for c in claims:
        for s in c.sources:
            ids = by_outlet.setdefault(s.outlet or "", {"article_ids": [], "claim_ids": []})["claim_ids"]
            if c.id not in ids:
                ids.append(c.id)
    return [{"outlet": o, **v} for o, v in by_outlet.items()]


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
