"""The error type and body shape the API and the web pages share.

Every 4xx/5xx answer carries ``{"error": {"code": ..., "message": ...}}``; the handlers that turn
exceptions into responses live in :mod:`newsfuse.api.errors`.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException


class ApiError(StarletteHTTPException):
    """An HTTP error with our own code string (e.g. 'malformed_json')."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status, message, headers)
        self.code = code


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    return {"error": body}
