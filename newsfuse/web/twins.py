"""Every page's data twins, as datasette does it: ``PAGE.json`` is the data the page shows and
``PAGE.csv`` its main table, at the same address with the same query.

``split_format('s_123.json')`` gives ``('s_123', 'json')``; ``twin(fmt, data, rows, name)`` answers
JSON or CSV, or None for the HTML page. Pages of results carry ``total``, ``limit``, ``offset`` and
``next_url``/``prev_url`` (:func:`newsfuse.serving.paging.paging`), in the JSON and as links on the page.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from urllib.parse import quote

from fastapi.responses import JSONResponse, Response

FORMATS = ("json", "csv")


def split_format(value: str) -> tuple[str, str | None]:
    """An ID or path with a '.json' or '.csv' ending, split into the ID and the format."""
    for fmt in FORMATS:
        if value.endswith("." + fmt) and len(value) > len(fmt) + 1:
            return value[: -len(fmt) - 1], fmt
    return value, None


def path_format(path: str) -> str | None:
    """The format a fixed path asks for ('/search.csv' -> 'csv'), None for the HTML page."""
    return split_format(path)[1]


def links(path: str, query: str) -> dict[str, str]:
    """{'json': ..., 'csv': ...}: this page's twins (same query)."""
    tail = f"?{query}" if query else ""
    return {fmt: f"{path}.{fmt}{tail}" for fmt in FORMATS}


def twin(fmt: str | None, data: Any, rows: list[dict[str, Any]], name: str) -> Response | None:
    if fmt == "json":
        return JSONResponse(data)
    if fmt == "csv":
        return Response(to_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f"inline; filename=\"{quote(name)}.csv\""})
    return None


def to_csv(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV with a header of every key in first-seen order; lists and objects as JSON."""
    columns: dict[str, None] = {}
    for r in rows:
        columns.update(dict.fromkeys(r))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([_cell(r.get(c)) for c in columns])
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value
