"""Quotes and reported speech with speakers (STUB: being written)."""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse.analyze.parse import ParsedDoc
from newsfuse.models import Mention, Quote


def find_quotes(doc: ParsedDoc, article_id: str, mentions: Sequence[Mention]) -> list[Quote]:
    return []
