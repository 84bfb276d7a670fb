"""One error shape for every 4xx/5xx: ``{"error": {"code": ..., "message": ...}}``.

API paths (and clients that do not ask for HTML) get JSON; browsers on web pages get the same
code and message as a small HTML page.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
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
    errors, shape = _one_branch(errors, exc.body)
    # Never echo the input back: it may be huge or hostile. Location, message and type say enough.
    details = [{"loc": [str(x) for x in e.get("loc", ())], "message": _message(e),
                "type": str(e.get("type", ""))} for e in errors]
    if shape:
        return error_response(request, 422, "validation_error", shape, details)
    first = details[0] if details else {"loc": [], "message": "invalid request"}
    where = _where(first["loc"]) or "request"
    return error_response(request, 422, "validation_error", f"{where}: {first['message']}", details)


# The POST body is one article or a list of them: pydantic tries both and reports both failures,
# the first being the object branch's 'should be a valid dictionary' even for a list.
_OBJECT, _LIST = "ArticleIn", "list[ArticleIn]"
_SEND = "send an article object or a list of them"
_JSON_KINDS = {str: "a string", int: "a number", float: "a number", bool: "true or false"}


def _one_branch(errors: Sequence[Any], body: Any) -> tuple[list[Any], str]:
    """The errors of the branch the body's own shape chose (a list: the list's, else the object's),
    and one plain message when the shape itself is what is wrong (no object or list, an empty or
    too long list); other errors unchanged, with no message."""
    branches = {tuple(e.get("loc", ()))[1:2] for e in errors if tuple(e.get("loc", ()))[:1] == ("body",)}
    if branches != {(_OBJECT,), (_LIST,)}:
        return list(errors), ""
    if not isinstance(body, (list, dict)):
        kind = "null" if body is None else _JSON_KINDS.get(type(body), "not JSON")
        return [], f"the request body is {kind}, not an article; {_SEND}"
    branch = _LIST if isinstance(body, list) else _OBJECT
    chosen = [e for e in errors if tuple(e.get("loc", ()))[1:2] == (branch,)]
    if isinstance(body, list) and not body:
        return chosen, f"the request body is an empty list; {_SEND} (at least one)"
    if isinstance(body, list) and any(e.get("type") == "too_long" and len(e.get("loc", ())) == 2
                                      for e in chosen):
        return chosen, (f"the request holds {len(body)} articles; send at most "
                        f"{defaults.MAX_POST_ARTICLES} per request")
    return chosen, ""


def _message(error: Any) -> str:
    if error.get("type") == "model_attributes_type":  # a list item that is no object
        return "is not an article object (an object with at least 'text')"
    return str(error.get("msg", ""))


def _where(loc: Sequence[str]) -> str:
    """Where in the body an error is, as a client reads it: 'text', 'article 2: text'."""
    if list(loc[:2]) in (["body", _OBJECT], ["body", _LIST]):
        rest = loc[2:]
        if loc[1] == _LIST and rest and rest[0].isdigit():
            return f"article {int(rest[0]) + 1}" + (f": {'.'.join(rest[1:])}" if rest[1:] else "")
        return ".".join(rest) or "body"
    return ".".join(loc)


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
