"""One error shape for every 4xx/5xx: ``{"error": {"code": ..., "message": ...}}``.

API paths (and clients that do not ask for HTML) get JSON; browsers on web pages get the same
code and message as a small HTML page.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsfuse import defaults
from newsfuse.errors import (
    ConfigError,
    InputError,
    NewsfuseError,
    NotFoundError,
    StoreBusyError,
    StoreError,
)
from newsfuse.serving.errors import ApiError, error_body

log = logging.getLogger("newsfuse.api")

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 406: "not_acceptable", 413: "payload_too_large",
          415: "unsupported_media_type", 422: "validation_error", 429: "too_many_requests",
          500: "internal_error", 503: "unavailable"}


def error_response(request: Request, status: int, code: str, message: str,
                   details: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None) -> Response:
    if _wants_html(request):
        templates = request.app.state.templates
        return templates.TemplateResponse(request, "error.html",
                                          {"status": status, "code": code, "message": message},
                                          status_code=status, headers=headers)
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


def _wants_html(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api") or path.startswith("/openapi"):
        return False
    return "text/html" in request.headers.get("accept", "") and hasattr(request.app.state, "templates")


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(NewsfuseError, _newsfuse_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)


_UNPARSED = "There was an error parsing the body"  # FastAPI's words for a body json.loads cannot read
_NOT_JSON = "the request body is not valid JSON; send an article object or a list of them"


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if exc.status_code == 400 and exc.detail == _UNPARSED:
        # bytes that are no UTF-8, or arrays nested past the parser's depth: FastAPI says only that
        # parsing failed; the client needs to know what to send instead
        return error_response(request, 400, "malformed_json",
                              "the request body is not UTF-8 JSON a parser can read (bytes of another "
                              "encoding, or nesting too deep); send an article object or a list of them")
    code = getattr(exc, "code", None) or _CODES.get(exc.status_code, "error")
    message = str(exc.detail) if exc.detail else code.replace("_", " ")
    if exc.status_code == 404 and not isinstance(exc, ApiError):
        message = f"no page {request.url.path}; see /openapi.json for the API"
    if exc.status_code == 405:
        message = f"{request.method} is not allowed on {request.url.path}; see /openapi.json"
    return error_response(request, exc.status_code, code, message, headers=getattr(exc, "headers", None))


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(request, 400, "malformed_json", _NOT_JSON)
    if [(tuple(e.get("loc", ())), e.get("type")) for e in errors] == [(("body",), "missing")]:
        return error_response(request, 422, "validation_error",
                              "the request body is empty; send an article object or a list of them")
    # Never echo the input back: it may be huge or hostile. Location, message and type say enough.
    details = [{"loc": [str(x) for x in e.get("loc", ())], "message": str(e.get("msg", "")),
                "type": str(e.get("type", ""))} for e in errors]
    first = details[0] if details else {"loc": [], "message": "invalid request"}
    where = ".".join(first["loc"]) or "request"
    return error_response(request, 422, "validation_error", f"{where}: {first['message']}", details)


async def _newsfuse_error(request: Request, exc: NewsfuseError) -> Response:
    if isinstance(exc, NotFoundError):
        return error_response(request, 404, "not_found", str(exc))
    if isinstance(exc, (InputError, ConfigError)):
        return error_response(request, 422, "invalid_input", str(exc))
    retry = {"Retry-After": str(defaults.SERVE_RETRY_AFTER_S)}
    if isinstance(exc, StoreBusyError):
        log.warning("store busy on %s: %s", request.url.path, exc)
        return error_response(request, 503, "busy", "the database is busy with other writers; nothing of "
                              f"this request was stored: retry after {defaults.SERVE_RETRY_AFTER_S} s",
                              headers=retry)
    if isinstance(exc, StoreError):
        log.error("store error on %s: %s", request.url.path, exc)
        return error_response(request, 503, "store_error",
                              "the database failed; try again or ask the operator", headers=retry)
    return error_response(request, 500, "internal_error", str(exc))


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s", request.url.path, exc_info=exc)
    return error_response(request, 500, "internal_error",
                          "unexpected server error; the operator's log has details")
