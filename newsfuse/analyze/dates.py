"""Time expressions resolved against the publication date (STUB: being written)."""

from __future__ import annotations

from newsfuse.analyze.parse import ParsedDoc
from newsfuse.models import TimeExpr


def find_times(doc: ParsedDoc, article_id: str, published: str | None) -> list[TimeExpr]:
    return []
