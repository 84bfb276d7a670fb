"""Publication dates as inputs write them ('Wed, 17 Sep 2025 07:15 +0000', '2025-09-15T08:30Z',
'15 September 2025') -> ISO.

``Article.published`` holds the calendar date *as the outlet wrote it* (its own time zone), because
relative expressions in the text ('on Monday') are relative to that day. The full timestamp, when
there is one, is kept in the article's metadata as ``published_at``.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

_YEARS = range(1800, 2201)  # anything outside is a parsing accident, not a news date
_SLASHED = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})\b")


def normalize_published(value: Any) -> tuple[str | None, str | None]:
    """(ISO date, ISO timestamp or None) for a date value of any common shape; (None, None) if none."""
    if value is None or value == "":
        return None, None
    if isinstance(value, time.struct_time):
        value = datetime(*value[:6])
    if isinstance(value, datetime):
        return _checked(value.date(), value.isoformat())
    if isinstance(value, date):
        return _checked(value, None)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_epoch(float(value))
    return _from_string(str(value).strip())


def _from_string(text: str) -> tuple[str | None, str | None]:
    if not text:
        return None, None
    for parse in (_iso, _rfc822, _slashed):
        found = parse(text)
        if found is not None:
            return found
    return _dateparser(text)


def _iso(text: str) -> tuple[str | None, str | None] | None:
    try:
        if len(text) == 10:
            return _checked(date.fromisoformat(text), None)
        stamp = datetime.fromisoformat(text)
    except ValueError:
        return None
    return _checked(stamp.date(), stamp.isoformat())


def _rfc822(text: str) -> tuple[str | None, str | None] | None:
    if not re.search(r"\d{1,2} [A-Za-z]{3} \d{4}", text):
        return None
    try:
        stamp = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return _checked(stamp.date(), stamp.isoformat())


def _slashed(text: str) -> tuple[str | None, str | None] | None:
    m = _SLASHED.match(text)
    if not m:
        return None
    try:
        return _checked(date(int(m.group(1)), int(m.group(2)), int(m.group(3))), None)
    except ValueError:
        return None


def _dateparser(text: str) -> tuple[str | None, str | None]:
    if len(text) > 64 or not re.search(r"\d", text):
        return None, None  # free text, not a date; dateparser would guess 'today' for some of it
    import dateparser  # slow to import: only for the rare shapes above do not cover

    stamp = dateparser.parse(text, languages=["en"], settings={"RETURN_AS_TIMEZONE_AWARE": False})
    if stamp is None:
        return None, None
    return _checked(stamp.date(), stamp.isoformat() if (stamp.hour, stamp.minute) != (0, 0) else None)


def _from_epoch(seconds: float) -> tuple[str | None, str | None]:
    if seconds > 1e11:  # milliseconds, as JavaScript exports write them
        seconds /= 1000
    try:
        stamp = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None, None
    return _checked(stamp.date(), stamp.isoformat())


def _checked(day: date, stamp: str | None) -> tuple[str | None, str | None]:
    if day.year not in _YEARS:
        return None, None
    return day.isoformat(), stamp
