"""The FastAPI application: JSON API under ``/api``, web pages under ``/``, one error shape."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsfuse import defaults
from newsfuse.api import errors, routes
from newsfuse.api.errors import ApiError, error_body
from newsfuse.serving.db import StoreProvider

TOKEN_ENV = "NEWSFUSE_TOKEN"


def create_app(db_url: str, token: str | None = None, warm: bool = False) -> FastAPI:
    """The app over the database at ``db_url`` (SQLite path or postgresql:// URL).

    ``token`` (or env NEWSFUSE_TOKEN) enables writes for clients sending it as a bearer token;
    without one the API is read-only. ``warm``: a writable app loads its models before it takes a
    request (:func:`newsfuse.api.ingest.ready`), so no POST pays for them (``serve`` does this).
    """
    stores = StoreProvider(db_url)  # opens and migrates now: a bad --db fails at start, not per request

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm and app.state.token:
            from starlette.concurrency import run_in_threadpool

            from newsfuse.api.ingest import ready

            await run_in_threadpool(ready)
        yield
        stores.close()

    app = FastAPI(title="newsfuse", version="1", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Stories fused from many news reports: claims cross-checked across "
                              "outlets, quotes, entities, timeline. Errors: {\"error\": {code, message}}.")
    app.state.stores = stores
    app.state.token = token or os.environ.get(TOKEN_ENV) or None
    errors.install(app)
    app.include_router(routes.router)
    from newsfuse.web import pages

    pages.install(app)
    _install_docs(app)
    app.add_middleware(BodyLimit, max_bytes=defaults.MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders, docs_csp=_docs_csp(app))  # outermost: every response
    return app


# JSON, static files and anything else that is no page: nothing may run, embed or frame it.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def _docs_csp(app: FastAPI) -> str:
    """The policy of /docs and /redoc: their files from here, and the inline script that starts
    Swagger UI with this app's settings allowed by its hash rather than by allowing inline script
    (ReDoc draws in a worker it makes from a blob, and both set inline styles)."""
    from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html

    pages = [_swagger_html(app, get_swagger_ui_html), _redoc_html(app, get_redoc_html)]
    scripts = [m for page in pages for m in _INLINE_SCRIPT.findall(page.body.decode())]
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(m.encode()).digest()).decode()}'"
                      for m in scripts)
    return (f"default-src 'none'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src blob:; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


# The API docs are pages of the site too: a reader who came from the stories finds the way back.
# No script, so the docs' policy (inline scripts allowed by hash) is unchanged.
SITE_LINKS = ('<nav class="site-back" aria-label="Site" style="font: 15px/1.4 system-ui, sans-serif; '
              'padding: .6rem 1rem; border-bottom: 1px solid #ddd">'
              '<a href="/"><strong>newsfuse</strong></a> · <a href="/">Stories</a> · '
              '<a href="/outlets">Outlets</a> · <a href="/sources">Sources</a></nav>')


def _with_site_links(page: Any) -> Any:
    """A docs page with the site's links at the top of its body."""
    from fastapi.responses import HTMLResponse

    body = page.body.decode().replace("<body>", "<body>\n" + SITE_LINKS, 1)
    return HTMLResponse(body, status_code=page.status_code)


def _redoc_html(app: FastAPI, render: Any) -> Any:
    return _with_site_links(render(openapi_url=app.openapi_url or "/openapi.json", title="newsfuse API",
                                   redoc_js_url="/docs/static/redoc.standalone.js",
                                   redoc_favicon_url="/docs/static/favicon.png", with_google_fonts=False))


def _swagger_html(app: FastAPI, render: Any) -> Any:
    return _with_site_links(render(
        openapi_url=app.openapi_url or "/openapi.json", title="newsfuse API",
        swagger_js_url="/docs/static/swagger-ui-bundle.js",
        swagger_css_url="/docs/static/swagger-ui.css",
        swagger_favicon_url="/docs/static/favicon.png",
    ))


class SecurityHeaders:
    """Headers every response carries (API, pages, /docs, /openapi.json, static files, errors): no
    MIME sniffing, no framing, no referrer to other sites, and a Content-Security-Policy: the pages'
    own when they set one, the docs' for /docs, else one that lets nothing run."""

    def __init__(self, app: ASGIApp, docs_csp: str) -> None:
        self.app = app
        self.docs_csp = docs_csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = self._policy(path, headers.get("content-type", ""))
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "no-referrer"
            await send(message)

        await self.app(scope, receive, with_headers)

    def _policy(self, path: str, content_type: str) -> str:
        from newsfuse.web.pages import CSP

        if path in ("/docs", "/redoc"):
            return self.docs_csp
        return CSP if content_type.startswith("text/html") else API_CSP


def _install_docs(app: FastAPI) -> None:
    """Swagger UI 5 at /docs and ReDoc at /redoc, from the files fastapi-offline packages: no CDN, so
    both work offline, and both read OpenAPI 3.1 (the document FastAPI writes)."""
    from pathlib import Path

    import fastapi_offline
    from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    assets = Path(fastapi_offline.__file__).parent / "static"
    app.mount("/docs/static", StaticFiles(directory=assets), name="swagger")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return _swagger_html(app, get_swagger_ui_html)  # type: ignore[no-any-return]

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _redoc_html(app, get_redoc_html)  # type: ignore[no-any-return]


class _TooLarge(ApiError):
    def __init__(self, limit: int) -> None:
        super().__init__(413, "payload_too_large",
                         f"request body over {limit} bytes; send fewer or shorter articles per request")


class BodyLimit:
    """Refuse bodies over ``max_bytes``: by Content-Length up front, and by counting chunked bodies
    as they stream in, so an oversized body is never held in memory whole."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            message = str(_TooLarge(self.max_bytes).detail)
            await _send_json(send, 413, error_body("payload_too_large", message))
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge(self.max_bytes)  # handled inside the app: JSON 413
            return message

        await self.app(scope, counted, send)


async def _send_json(send: Send, status: int, body: dict[str, Any]) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(payload)).encode())]})
    await send({"type": "http.response.body", "body": payload})
