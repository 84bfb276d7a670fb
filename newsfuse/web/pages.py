"""HTML pages: story list, story (claim matrix, quotes, entities, timeline chart), article with
highlighted evidence, entity, search. Jinja2 autoescaping is on for every template: article text,
titles and outlet names are hostile input and only ever reach the page escaped."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from newsfuse import defaults
from newsfuse.fuse.claims.sentence import in_sentence
from newsfuse.fuse.claims.statements import sentence_around
from newsfuse.fuse.report import UNKNOWN_OUTLET, details_text, said_line, who_said_what
from newsfuse.serving import views
from newsfuse.serving.deps import Id, Limit, Offset, StoreDep, Text
from newsfuse.serving.errors import ApiError
from newsfuse.serving.paging import paging
from newsfuse.store import Store, queries
from newsfuse.web import twins
from newsfuse.web.charts import timeline_chart
from newsfuse.web.highlight import Mark, analysis_marks, anchor_first, segments, term_marks
from newsfuse.web.matrix import SORTS, STATUS_FILTERS, arrange, claim_matrix

HERE = Path(__file__).parent
# Pages run no script and load nothing from elsewhere; the policy makes any injected markup inert.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")

router = APIRouter(include_in_schema=False)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.ChainableUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_href"] = safe_href
    env.filters["said_line"] = said_line  # reported speech with its cue, as the md report reads it
    env.filters["in_sentence"] = in_sentence  # 'citing an internal memo', as the md report reads it
    return env


def install(app: FastAPI) -> None:
    app.state.templates = Jinja2Templates(env=environment())
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(router)


def safe_href(url: str | None) -> str | None:
    """The URL when it is http(s), else None: 'javascript:' and friends never become links."""
    if not url:
        return None
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    response: HTMLResponse = request.app.state.templates.TemplateResponse(
        request, template, context, status_code=status)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@router.get("/", response_class=HTMLResponse)
@router.get("/stories.json", include_in_schema=False)
@router.get("/stories.csv", include_in_schema=False)
def story_list(
    request: Request,
    store: StoreDep,
    q: Text = None,
    outlet: Text = None,
    since: Text = None,
    until: Text = None,
    limit: Limit = defaults.PAGE_SIZE,
    offset: Offset = 0,
) -> Response:
    limit = min(limit, defaults.MAX_PAGE_SIZE)
    # An HTML form sends empty fields as '': they mean "no filter", not "match nothing".
    filters = {"text": q or None, "outlet": _outlet(store, outlet), "since": _form_date("since", since),
               "until": _form_date("until", until)}
    stories = queries.find_stories(store, **filters, limit=limit, offset=offset)
    total = queries.count_stories(store, **filters)
    args = {k: v for k, v in {"q": q, "outlet": outlet, "since": filters["since"],
                              "until": filters["until"]}.items() if v}
    rows = views.story_rows(store, stories)
    fmt = twins.path_format(request.url.path)
    pages = paging("/stories." + fmt if fmt else "/", args, total, limit, offset)
    answer = twins.twin(fmt, {"items": rows, **pages, "filters": args}, rows, "stories")
    if answer is not None:
        return answer
    return render(request, "stories.html", {
        "rows": rows, "total": total, "filters": args, "prev": pages["prev_url"], "next": pages["next_url"],
        "offset": offset, "twins": twins.links("/stories", request.url.query)})


def _outlet(store: Store, typed: str | None) -> str | None:
    """The outlet a reader meant: the exact name in any case, or the only outlet whose name holds
    what they typed ('valley' -> 'Valley Times'); otherwise what they typed, which then matches none."""
    if not typed:
        return None
    found = queries.match_outlets(store, typed)
    return found[0] if len(found) == 1 else typed


def _form_date(name: str, value: str | None) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ApiError(422, "validation_error", f"{name}: {value!r} is not a date; use YYYY-MM-DD") from None


def story_context(data: dict[str, Any], status: str = "all", sort: str = "status",
                  standalone: bool = False) -> dict[str, Any]:
    """What story.html needs, from the story document (``report.story_data``).

    ``standalone``: the page is a file opened from disk, where this server's paths (/articles/...)
    lead nowhere: articles link to their source URL instead, and filter links are left out."""
    urls = {a["id"]: a.get("url") for a in data.get("articles", [])}
    copies = {a["id"] for a in data.get("articles", []) if a.get("copy_of")}

    def article_href(article_id: str | None, start: int | None = None, end: int | None = None) -> str | None:
        if not article_id:
            return None
        if standalone:
            return safe_href(urls.get(article_id))
        href = "/articles/" + quote(article_id, safe="")
        if start is not None and end is not None:
            href += f"?ev={start}-{end}#ev"
        return href

    return {"data": data, "story": data["story"], "standalone": standalone,
            "matrix": arrange(claim_matrix(data), status, sort),
            "status_filters": STATUS_FILTERS, "sorts": SORTS,
            "chart": timeline_chart(data.get("timeline", []), data.get("story")),
            "article_href": article_href, "link_entities": not standalone,
            "outlet_of": {a["id"]: a.get("outlet") for a in data.get("articles", [])}, "copies": copies,
            # a document made before stories carried it (a saved report) is grouped here the same way
            "who_said_what": data.get("who_said_what") or who_said_what(data.get("quotes", []), copies)}


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, store: StoreDep, story_id: Id, status: Text = "all",
               sort: Text = "status") -> Response:
    story_id, fmt = twins.split_format(story_id)
    if status not in STATUS_FILTERS:
        raise ApiError(422, "validation_error", f"status: {status!r}; use one of {', '.join(STATUS_FILTERS)}")
    if sort not in SORTS:
        raise ApiError(422, "validation_error", f"sort: {sort!r}; use one of {', '.join(SORTS)}")
    data = views.story_view(store, story_id)
    answer = twins.twin(fmt, data, _claim_rows(data), story_id)
    if answer is not None:
        return answer
    context = story_context(data, status, sort)
    context["twins"] = twins.links("/stories/" + quote(story_id, safe=""), "")
    return render(request, "story.html", context)


def _claim_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The story's CSV: one row per claim, with the outlets carrying it, its attribution, its note
    (how the sources were counted) and its details (what one outlet alone gives: a spreadsheet must
    not show that detail as plainly corroborated)."""
    return [{"id": c["id"], "status": c["status"], "independent_sources": c["independent_sources"],
             "kind": c["kind"], "text": c["text"],
             "outlets": "; ".join(dict.fromkeys(s.get("outlet") or UNKNOWN_OUTLET for s in c["sources"])),
             "attribution": c.get("attribution") or "", "note": c.get("note") or "",
             "details": details_text(c.get("details") or ())}
            for c in data.get("claims", [])]


def standalone_story_page(data: dict[str, Any]) -> str:
    """The story page as one self-contained file (stylesheet inlined), for reports and the demo."""
    css = (HERE / "static" / "style.css").read_text(encoding="utf-8")
    template = environment().get_template("story.html")
    return template.render(**story_context(data, standalone=True), inline_css=css)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, store: StoreDep, article_id: Id, ev: Text = None) -> Response:
    article_id, fmt = twins.split_format(article_id)
    view = views.article_view(store, article_id)
    spans = [{"kind": kind, **{k: r.get(k) for k in ("id", "start", "end", "text", "label")}}
             for kind in ("mentions", "times", "amounts") for r in view["analysis"].get(kind, [])]
    spans += [{"kind": "quotes", "id": r.get("id"), "start": r.get("content_start"),
               "end": r.get("content_end"), "text": r.get("content"), "label": r.get("kind")}
              for r in view["analysis"].get("quotes", [])]
    answer = twins.twin(fmt, view, spans, article_id)
    if answer is not None:
        return answer
    text = view["article"]["text"]
    kinds = ("mentions", "quotes", "times", "amounts", "events")
    counts = {k: len(view["analysis"].get(k, [])) for k in kinds}
    marks = analysis_marks(view["analysis"])
    evidence = _evidence_span(ev, len(text))
    if evidence:
        # the whole sentence the claim rests on, its cited words marked within it
        marks.append(Mark(*sentence_around(text, *evidence), "evidence", "the sentence a claim cites"))
        marks.append(Mark(*evidence, "evidence-words", "the words the claim cites"))
    return render(request, "article.html", {
        "view": view, "article": view["article"], "counts": counts, "evidence": evidence,
        "segments": anchor_first(segments(text, marks), "evidence", "ev"),
        "twins": twins.links("/articles/" + quote(article_id, safe=""), "")})


def _evidence_span(value: str | None, n: int) -> tuple[int, int] | None:
    """'START-END' offsets of the sentence a claim cell links to; anything else is ignored."""
    start, _, end = (value or "").partition("-")
    if not (start.isdigit() and end.isdigit()):
        return None
    a, b = int(start), int(end)
    return (a, b) if 0 <= a < b <= n else None


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, store: StoreDep, entity_id: Id, limit: Limit = defaults.PAGE_SIZE,
                cursor: Text = None) -> Response:
    entity_id, fmt = twins.split_format(entity_id)
    view = views.entity_view(store, entity_id, min(limit, defaults.MAX_PAGE_SIZE), cursor or None,
                             request.url.path)
    answer = twins.twin(fmt, view, view["stories"], entity_id)
    if answer is not None:
        return answer
    return render(request, "entity.html", {**view, "twins": twins.links(
        "/entities/" + quote(entity_id, safe=""), "")})


SEARCH_SORTS = ("relevance", "newest", "oldest")


@router.get("/search", response_class=HTMLResponse)
@router.get("/search.json", include_in_schema=False)
@router.get("/search.csv", include_in_schema=False)
def search_page(request: Request, store: StoreDep, q: Text = None, outlet: Text = None,
                sort: Text = "relevance", limit: Limit = defaults.PAGE_SIZE, offset: Offset = 0) -> Response:
    limit = min(limit, defaults.MAX_PAGE_SIZE)
    if sort not in SEARCH_SORTS:
        raise ApiError(422, "validation_error", f"sort: {sort!r}; use one of {', '.join(SEARCH_SORTS)}")
    outlet = outlet or None
    hits = views.search_hits(store, q, limit, offset, outlet=outlet, sort=sort or "relevance") if q else []
    facets: dict[str, Any] = (queries.search_facets(store, q, outlet=outlet) if q
                              else {"total": 0, "outlets": [], "stories": []})
    fmt = twins.path_format(request.url.path)
    args = {"q": q, "outlet": outlet, "sort": sort if sort != "relevance" else None}
    pages = paging("/search." + fmt if fmt else "/search", args, facets["total"], limit, offset)
    data = {"q": q, "outlet": outlet, "sort": sort, "items": hits, **pages,
            "facets": {"outlet": facets["outlets"], "story": facets["stories"]}}
    answer = twins.twin(fmt, data, hits, "search")
    if answer is not None:
        return answer
    terms = queries.search_terms(q or "")
    entities = queries.search_entities(store, q, limit=10) if q else []
    for h in hits:
        h["segments"] = segments(h["snippet"], term_marks(h["snippet"], terms))
    return render(request, "search.html", {
        "q": q or "", "outlet": outlet, "sort": sort, "sorts": SEARCH_SORTS, "hits": hits,
        "entities": entities,
        "facets": facets, "pages": pages, "twins": twins.links("/search", request.url.query),
        "with_args": lambda **kw: "/search?" + urlencode({k: v for k, v in {**args, **kw}.items() if v})})


@router.get("/outlets", response_class=HTMLResponse)
@router.get("/outlets.json", include_in_schema=False)
@router.get("/outlets.csv", include_in_schema=False)
def outlets_page(request: Request, store: StoreDep) -> Response:
    rows = queries.list_outlets(store)
    fmt = twins.path_format(request.url.path)
    answer = twins.twin(fmt, {"items": rows, "total": len(rows)}, rows, "outlets")
    if answer is not None:
        return answer
    return render(request, "outlets.html", {"rows": rows, "twins": twins.links("/outlets", "")})


@router.get("/outlets/{name}", response_class=HTMLResponse)
def outlet_page(request: Request, store: StoreDep, name: Id, limit: Limit = defaults.PAGE_SIZE,
                offset: Offset = 0) -> Response:
    name, fmt = twins.split_format(name)
    limit = min(limit, defaults.MAX_PAGE_SIZE)
    view = views.outlet_view(store, name, limit, offset)
    path = "/outlets/" + quote(name, safe="")
    pages = paging(path + (f".{fmt}" if fmt else ""), {}, view["total"], limit, offset)
    answer = twins.twin(fmt, {**view, **pages}, view["stories"], name)
    if answer is not None:
        return answer
    links = twins.links(path, request.url.query)
    return render(request, "outlet.html", {**view, "pages": pages, "twins": links,
                                           "min_outlets": defaults.BLINDSPOT_MIN_OUTLETS})


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request, store: StoreDep) -> HTMLResponse:
    """What `newsfuse watch` polls: each source's last poll, last new article, errors, articles."""
    from newsfuse.serving.sources import source_rows, watch_totals

    return render(request, "sources.html", {"rows": source_rows(store), "totals": watch_totals(store)})
