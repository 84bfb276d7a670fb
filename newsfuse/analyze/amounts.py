"""Amounts with unit and what they count (STUB: being written)."""

from __future__ import annotations

from newsfuse.analyze.parse import ParsedDoc
from newsfuse.models import Amount


def find_amounts(doc: ParsedDoc, article_id: str) -> list[Amount]:
    return []
