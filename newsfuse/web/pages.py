"""HTML pages: story list, story (claim matrix, quotes, entities, timeline chart), article with
highlighted evidence, entity, search. Jinja2 autoescaping is on for every template: article text,
titles and outlet names are hostile input and only ever reach the page escaped."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jinja2
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from newsfuse import defaults
from newsfuse.serving import views
from newsfuse.serving.deps import Id, Limit, Offset, StoreDep, Text
from newsfuse.serving.errors import ApiError
from newsfuse.store import queries
from newsfuse.web.charts import timeline_chart
from newsfuse.web.highlight import analysis_marks, segments, term_marks
from newsfuse.web.matrix import claim_matrix

HERE = Path(__file__).parent
# Pages run no script and load nothing from elsewhere; the policy makes any injected markup inert.
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")

router = APIRouter(include_in_schema=False)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.ChainableUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["safe_href"] = safe_href
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
def story_list(
    request: Request,
    store: StoreDep,
    q: Text = None,
    outlet: Text = None,
    since: Text = None,
    until: Text = None,
    limit: Limit = defaults.PAGE_SIZE,
    offset: Offset = 0,
) -> HTMLResponse:
    limit = min(limit, defaults.MAX_PAGE_SIZE)
    # An HTML form sends empty fields as '': they mean "no filter", not "match nothing".
    filters = {"text": q or None, "outlet": outlet or None, "since": _form_date("since", since),
               "until": _form_date("until", until)}
    stories = queries.find_stories(store, **filters, limit=limit, offset=offset)
    total = queries.count_stories(store, **filters)
    args = {k: v for k, v in {"q": q, "outlet": outlet, "since": filters["since"],
                              "until": filters["until"]}.items() if v}

    def page(off: int) -> str:
        return "/?" + urlencode({**args, "limit": limit, "offset": off})

    return render(request, "stories.html", {
        "rows": views.story_rows(store, stories), "total": total, "filters": args,
        "prev": page(max(0, offset - limit)) if offset else None,
        "next": page(offset + limit) if offset + limit < total else None, "offset": offset})


def _form_date(name: str, value: str | None) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ApiError(422, "validation_error", f"{name}: {value!r} is not a date; use YYYY-MM-DD") from None


def story_context(data: dict[str, Any]) -> dict[str, Any]:
    """What story.html needs, from the story document (``report.story_data``)."""
    return {"data": data, "story": data["story"], "matrix": claim_matrix(data),
            "chart": timeline_chart(data.get("timeline", [])),
            "outlet_of": {a["id"]: a.get("outlet") for a in data.get("articles", [])}}


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, store: StoreDep, story_id: Id) -> HTMLResponse:
    return render(request, "story.html", story_context(views.story_view(store, story_id)))


def standalone_story_page(data: dict[str, Any]) -> str:
    """The story page as one self-contained file (stylesheet inlined), for reports and the demo."""
    css = (HERE / "static" / "style.css").read_text(encoding="utf-8")
    template = environment().get_template("story.html")
    return template.render(**story_context(data), inline_css=css)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article_page(request: Request, store: StoreDep, article_id: Id) -> HTMLResponse:
    view = views.article_view(store, article_id)
    text = view["article"]["text"]
    kinds = ("mentions", "quotes", "times", "amounts", "events")
    counts = {k: len(view["analysis"].get(k, [])) for k in kinds}
    return render(request, "article.html", {
        "view": view, "article": view["article"], "counts": counts,
        "segments": segments(text, analysis_marks(view["analysis"]))})


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, store: StoreDep, entity_id: Id) -> HTMLResponse:
    return render(request, "entity.html", views.entity_view(store, entity_id))


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, store: StoreDep, q: Text = None, limit: Limit = defaults.PAGE_SIZE,
                offset: Offset = 0) -> HTMLResponse:
    limit = min(limit, defaults.MAX_PAGE_SIZE)
    hits = views.search_hits(store, q, limit, offset) if q else []
    terms = queries.search_terms(q or "")
    entities = queries.search_entities(store, q, limit=10) if q else []
    for h in hits:
        h["segments"] = segments(h["snippet"], term_marks(h["snippet"], terms))
    return render(request, "search.html", {"q": q or "", "hits": hits, "entities": entities})
