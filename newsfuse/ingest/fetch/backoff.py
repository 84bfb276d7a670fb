"""How long to wait after failures: exponential, capped, with jitter; a server's Retry-After wins."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from newsfuse import defaults


def backoff_seconds(
    failures: int,
    retry_after: float | None = None,
    *,
    base: float | None = None,
    cap: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait after ``failures`` failures in a row (1 = the first): ``base * 2**(n-1)``
    capped, spread by +-``defaults.BACKOFF_JITTER``; never shorter than the server's Retry-After."""
    base = defaults.BACKOFF_BASE_SECONDS if base is None else base
    cap = defaults.BACKOFF_MAX_SECONDS if cap is None else cap
    wait = min(cap, base * 2 ** max(0, failures - 1))
    spread = defaults.BACKOFF_JITTER * wait
    wait += (rng or random).uniform(-spread, spread)
    if retry_after is not None:
        wait = max(wait, min(cap, retry_after))
    return max(0.0, wait)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: either a number of seconds or an HTTP date; None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
