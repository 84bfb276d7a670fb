"""robots.txt per host, read with the standard library's parser and cached for a while.

Following RFC 9309: a robots.txt that is missing (4xx) allows everything; one that cannot be read
(5xx, network error) disallows everything until it is tried again after a back-off, since the site
may be down or overloaded.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

from newsfuse import defaults


@dataclass
class _Rules:
    parser: RobotFileParser | None  # None with allow_all/deny_all
    allow_all: bool
    expires: float
    problem: str | None = None  # why robots.txt could not be read (everything is disallowed meanwhile)


class Robots:
    """``allowed(url)`` and ``crawl_delay(host)``; ``read(robots_url)`` returns (status, body)."""

    def __init__(
        self, read: Callable[[str], tuple[int, bytes]], agent: str = defaults.ROBOTS_AGENT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read = read
        self.agent = agent
        self._clock = clock
        self._rules: dict[str, _Rules] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def allowed(self, url: str, origin: str) -> tuple[bool, str | None]:
        """(may ``url`` on ``origin`` = 'scheme://host[:port]' be fetched, why robots.txt could not
        be read when that is why not)."""
        rules = self._get(origin)
        if rules.parser is None:
            return rules.allow_all, rules.problem
        return rules.parser.can_fetch(self.agent, url), None

    def crawl_delay(self, origin: str) -> float | None:
        rules = self._rules.get(origin)
        if rules is None or rules.parser is None:
            return None
        delay = rules.parser.crawl_delay(self.agent)
        return float(delay) if delay is not None else None

    def _get(self, origin: str) -> _Rules:
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:  # one read per host even when several threads ask at once
            rules = self._rules.get(origin)
            if rules is None or rules.expires <= self._clock():
                rules = self._fetch(origin)
                self._rules[origin] = rules
            return rules

    def _fetch(self, origin: str) -> _Rules:
        now = self._clock()
        try:
            status, body = self._read(origin + "/robots.txt")
        except Exception as exc:  # network failure: as a server error (disallow, try again soon)
            problem = getattr(exc, "reason", None) or f"could not fetch it ({exc})"
            return _Rules(None, False, now + defaults.BACKOFF_BASE_SECONDS, str(problem))
        if 200 <= status < 300:
            parser = RobotFileParser()
            parser.parse(body.decode("utf-8", "replace").splitlines())
            return _Rules(parser, True, now + defaults.ROBOTS_TTL_SECONDS)
        if 400 <= status < 500:
            return _Rules(None, True, now + defaults.ROBOTS_TTL_SECONDS)
        problem = f"the server answered HTTP {status}; will retry later"
        return _Rules(None, False, now + defaults.BACKOFF_BASE_SECONDS, problem)
