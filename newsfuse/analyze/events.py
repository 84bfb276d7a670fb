"""Events with PLOVER type, actors, place, date and mode (STUB: being written)."""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse.analyze.parse import ParsedDoc
from newsfuse.models import Amount, Event, Mention, TimeExpr


def find_events(
    doc: ParsedDoc,
    article_id: str,
    mentions: Sequence[Mention],
    times: Sequence[TimeExpr],
    amounts: Sequence[Amount],
) -> list[Event]:
    return []
