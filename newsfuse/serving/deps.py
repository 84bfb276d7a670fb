"""Request parameters and dependencies the API routes and the web pages share: the store of a
request (:data:`StoreDep`), path and query parameter types, and the operator-token check for writes.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from pydantic import BeforeValidator

from newsfuse import defaults
from newsfuse.serving.errors import ApiError
from newsfuse.store import Store

Text = Annotated[str | None, Query(max_length=defaults.MAX_QUERY_CHARS)]
Id = Annotated[str, Path(min_length=1, max_length=defaults.MAX_QUERY_CHARS)]
def _iso_day(value: object) -> object:
    """Only 'YYYY-MM-DD', as the schema's ``format: date`` says: pydantic would also take '0' (a
    Unix time) or '20240101'."""
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError("not a date; use YYYY-MM-DD")
    return value


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
IsoDay = Annotated[date, BeforeValidator(_iso_day)]
Limit = Annotated[int, Query(ge=1, le=10**9, description=f"capped at {defaults.MAX_PAGE_SIZE}")]
Offset = Annotated[int, Query(ge=0, le=10**9)]


def get_store(request: Request) -> Iterator[Store]:
    with request.app.state.stores.session() as store:
        yield store


StoreDep = Annotated[Store, Depends(get_store)]


def require_token(request: Request) -> None:
    expected: str | None = request.app.state.token
    if not expected:
        raise ApiError(403, "writes_disabled",
                       "writes are disabled: start the server with --token or NEWSFUSE_TOKEN set")
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise ApiError(401, "unauthorized", "send 'Authorization: Bearer <token>' with the operator's token",
                       headers={"WWW-Authenticate": "Bearer"})
