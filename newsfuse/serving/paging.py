"""Page links shared by the API lists and the web pages (datasette's convention): a page of results
carries ``total``, ``limit``, ``offset`` and ``next_url``/``prev_url`` (None at either end), so a script
walks a list by following ``next_url`` until it is null."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode


def paging(path: str, args: dict[str, Any], total: int, limit: int, offset: int) -> dict[str, Any]:
    """total, limit, offset and next/prev page URLs (None at either end) for a page of results."""
    kept = {k: v for k, v in args.items() if v not in (None, "")}

    def url(off: int) -> str:
        return path + "?" + urlencode({**kept, "limit": limit, "offset": off})

    return {"total": total, "limit": limit, "offset": offset,
            "next_url": url(offset + limit) if offset + limit < total else None,
            "prev_url": url(max(0, offset - limit)) if offset else None}
