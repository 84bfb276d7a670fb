"""JSON-ready views shared by the API and the web pages.

``story_view`` is :func:`newsfuse.fuse.report.story_data`: the CLI report, the API and the pages
show the same document.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from newsfuse import defaults
from newsfuse.errors import NotFoundError
from newsfuse.fuse.report import count_fields, detail_said, entity_data, story_data
from newsfuse.models import Claim, Entity, Span, Story, to_dict
from newsfuse.store import Store, queries


def story_rows(store: Store, stories: list[Story]) -> list[dict[str, Any]]:
    """List rows: the story's counts under the same names and values as its report
    (:func:`newsfuse.fuse.report.count_fields`), with how independence was counted."""
    counts = queries.story_counts(store, [s.id for s in stories])
    return [{"id": s.id, "title": s.title, "first_seen": s.first_seen, "last_update": s.last_update,
             **count_fields(counts.get(s.id, {}))} for s in stories]


def story_view(store: Store, story_id: str) -> dict[str, Any]:
    """Everything about one story (the report's JSON), and ``claims_state``: whether its claims are
    being refreshed behind articles a watch has placed in it (``queries.claims_state``); raises
    NotFoundError for an unknown ID."""
    data = story_data(store, story_id)
    return {**data, "claims_state": queries.claims_state(store, data["story"]["id"])}


def article_view(store: Store, article_id: str) -> dict[str, Any]:
    """An article with its evidence: every Analysis record found in it, with offsets into ``text``."""
    article = queries.get_article(store, article_id)
    analysis = queries.get_analysis(store, article_id)
    copy_of = queries.copy_original(store, article_id)
    return {"article": to_dict(article), "story_id": queries.story_of_article(store, article_id),
            "copy_of": copy_of, "analysis": to_dict(analysis)}


def entity_view(store: Store, entity_id: str, limit: int = defaults.PAGE_SIZE, cursor: str | None = None,
                path: str | None = None) -> dict[str, Any]:
    """An entity with one page of its articles (newest first, after ``cursor``), its stories (most
    recent first), what it said in those articles (its quotes), the claims that name it, and how
    many of its stories began in each month. ``articles`` holds the page's total, size, cursor of
    the next page and, given the ``path`` of the page shown, the URL of the next page."""
    entity = queries.get_entity(store, entity_id, articles=False)
    data = entity_data(store, entity, limit, cursor)
    entity = replace(entity, article_ids=tuple(data["article_ids"]))
    # Its most recent stories (MAX_PAGE_SIZE at most); the count and the months from the database.
    ids = queries.entity_story_ids(store, entity_id, defaults.MAX_PAGE_SIZE)
    stories = [queries.get_story(store, sid) for sid in ids]
    rows = story_rows(store, stories)
    months = queries.entity_story_months(store, entity_id)
    nxt = data["next_cursor"]
    articles = {"total": data["article_total"], "limit": limit, "count": len(entity.article_ids),
                "next_cursor": nxt,
                "next_url": f"{path}?{urlencode({'limit': limit, 'cursor': nxt})}" if path and nxt else None}
    return {"entity": data, "articles": articles, "stories": rows, "stories_total": sum(months.values()),
            "quotes": _entity_quotes(store, entity),
            "claims": _entity_claims(store, entity, ids[: defaults.PAGE_SIZE]),
            "months": [{"month": m, "stories": n} for m, n in sorted(months.items()) if m]}


def _entity_quotes(store: Store, entity: Entity) -> list[dict[str, Any]]:
    """What the entity said in the articles of its page (``article_ids``): quotes whose speaker is
    linked to it, newest article first."""
    ids = list(entity.article_ids)
    links = queries.entity_links(store, ids)
    articles = {a.id: a for a in queries.list_articles(store, ids)}
    analyses = queries.get_analyses(store, list(articles))
    out = []
    for aid, analysis in analyses.items():
        a = articles[aid]
        for q in analysis.quotes:
            if q.speaker_key and links.get((aid, q.speaker_key)) == entity.id and q.content.strip():
                out.append({"article_id": aid, "outlet": a.outlet, "published": a.published, "kind": q.kind,
                            "cue": q.cue, "content": q.content, "start": q.content_start,
                            "end": q.content_end, "story_id": None})
    out.sort(key=lambda q: (q["published"] or "", q["article_id"], q["start"]), reverse=True)
    return out[: defaults.MAX_PAGE_SIZE]


def _entity_claims(store: Store, entity: Entity, story_ids: list[str]) -> list[dict[str, Any]]:
    """Claims of the entity's stories whose statement names it (its name or an alias, whole words)."""
    names = [n for n in (entity.name, *entity.aliases) if len(n) > 2]
    if not names:
        return []
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)
    out = []
    for sid in story_ids:
        for c in queries.story_claims(store, sid):
            if pattern.search(c.text):
                out.append({"id": c.id, "story_id": sid, "text": c.text, "status": c.status,
                            "independent_sources": c.independent_sources, "kind": c.kind})
    return out[: defaults.MAX_PAGE_SIZE]


def search_hits(store: Store, text: str, limit: int, offset: int, outlet: str | None = None,
                sort: str = "relevance") -> list[dict[str, Any]]:
    terms = queries.search_terms(text)
    hits = []
    for a in queries.search_articles(store, text, limit=limit, offset=offset, outlet=outlet, sort=sort):
        start, snippet = snippet_around(a.text, terms)
        hits.append({"id": a.id, "title": a.title, "outlet": a.outlet, "published": a.published, "url": a.url,
                     "story_id": queries.story_of_article(store, a.id), "snippet": snippet,
                     "snippet_start": start})
    return hits


def outlet_view(store: Store, name: str, limit: int, offset: int) -> dict[str, Any]:
    """One outlet: the stories it covered (a page of them), the claims only it reports in those
    stories, and its blindspots: stories of its active days that several independent outlets
    carried and it did not."""
    outlet = next((o for o in queries.list_outlets(store) if o["outlet"] == name), None)
    if outlet is None:
        raise NotFoundError(f"no outlet {name!r}; list them with 'newsfuse outlets'")
    covered = queries.find_stories(store, outlet=name, limit=limit, offset=offset)
    total = queries.count_stories(store, outlet=name)
    alone = []
    for st in covered:
        for c in queries.story_claims(store, st.id):
            carriers = {s.outlet for s in c.sources if not s.independent_of}
            if c.status == "single-source" and carriers == {name}:
                ev = next((e for src in c.sources for e in src.evidence), None)
                alone.append(_alone_row(st, c.id, c.text, c.kind, ev))
            elif (detail := _own_detail(c, name)) is not None:
                alone.append(_alone_row(st, c.id, detail[0], "detail", detail[1]))
    return {"outlet": outlet, "stories": story_rows(store, covered), "total": total,
            "alone": alone[: defaults.MAX_PAGE_SIZE], "blindspots": _blindspots(store, outlet)}


def _alone_row(story: Story, claim_id: str, text: str, kind: str, ev: Span | None) -> dict[str, Any]:
    """A row of what only one outlet reports; kind 'detail': what it adds to a corroborated claim."""
    return {"id": claim_id, "story_id": story.id, "story_title": story.title, "text": text, "kind": kind,
            "article_id": ev.article_id if ev else None, "start": ev.start if ev else None,
            "end": ev.end if ev else None}


def _own_detail(claim: Claim, name: str) -> tuple[str, Span | None] | None:
    """The single-source detail outlet ``name`` adds to a corroborated ``claim``, with its evidence,
    or None: the detail is no row of its own, and this page lists what only the outlet reports."""
    detail = next((d for d in claim.details if d.outlet == name), None)
    if detail is None:
        return None
    said = detail_said({"text": detail.text, "attribution": detail.attribution})
    return said, next(iter(detail.evidence), None)


def _blindspots(store: Store, outlet: dict[str, Any]) -> list[dict[str, Any]]:
    first, last = outlet.get("first_published"), outlet.get("last_published")
    if not first or not last:
        return []
    around = queries.find_stories(store, since=first, until=last, limit=defaults.MAX_PAGE_SIZE)
    carried = set(queries.story_ids_of_outlet(store, outlet["outlet"]))
    rows = story_rows(store, [s for s in around if s.id not in carried])
    missed = [r for r in rows if r["independent_outlets"] >= defaults.BLINDSPOT_MIN_OUTLETS]
    missed.sort(key=lambda r: (-r["independent_outlets"], -(r["articles"]), r["id"]))
    return missed[: defaults.PAGE_SIZE]


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
