"""Mentions of actors in one article (STUB: being written)."""

from __future__ import annotations

from newsfuse.analyze.parse import ParsedDoc
from newsfuse.models import Mention


def find_mentions(doc: ParsedDoc, article_id: str) -> list[Mention]:
    return []
