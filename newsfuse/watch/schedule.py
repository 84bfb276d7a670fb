"""Which waiting story the watch fuses next, so one huge story never holds up the small ones.

Fusing a story costs roughly in proportion to the articles it holds (a re-fuse reads them all), so
a 300-article story can take tens of seconds while a new two-article story takes one. Taking them
in the order they were queued makes every article behind the big one wait for it; taking the
cheapest first starves the big one while small stories keep coming. :class:`StoryQueue` takes

* the story that has waited longest, among those that have waited at least
  ``defaults.WATCH_FUSE_PATIENCE`` times their expected cost: a big story waits about its own cost,
  then nothing overtakes it;
* else the story bringing most waiting articles into their story per expected second (Smith's rule,
  which minimises the summed waiting of the articles): a cheap story goes before a dear one.

A story is fused (its claims refreshed) once for all the articles that joined it meanwhile, and at
most once per ``defaults.WATCH_CLAIMS_REFRESH_S``: a story that keeps growing is refreshed on that
beat, not per article (the articles are in it and shown at once: placement does not wait here). A
story not refreshed yet by this watch may go at once. The expected cost is the
seconds its last fuse took, scaled by how much it grew since, or, for a story not fused yet by this
watch, its size times the running seconds per article.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from newsfuse import defaults
from newsfuse.watch.fuser import Placed


@dataclass
class Waiting:
    """A story waiting to be fused: the queued IDs it stands for, the articles waiting for it."""

    queued: list[str]
    articles: list[str]
    since: float
    size: int
    seconds: float = field(default=0.0)  # expected cost, set when it is taken


class StoryQueue:
    """Stories waiting to be fused, taken by :meth:`take` in the order explained above."""

    def __init__(self) -> None:
        self._waiting: dict[str, Waiting] = {}
        # story -> (seconds, size, when) of its last refresh
        self._last: OrderedDict[str, tuple[float, int, float]] = OrderedDict()
        self._per_article = defaults.WATCH_FUSE_S_PER_ARTICLE_START

    def __len__(self) -> int:
        return len(self._waiting)

    def ids(self) -> list[str]:
        return list(self._waiting)

    def add(self, placed: list[Placed], moved: dict[str, str], now: float) -> None:
        """Stories a placement queued (``moved``: where the waiting stories lead now; a merged one
        joins the story it became part of)."""
        for old, new in moved.items():
            if new != old and old in self._waiting:
                self._join(new, self._waiting.pop(old))
        for p in placed:
            self._join(p.story_id, Waiting(list(p.queued), list(p.articles), now, p.size))

    def take(self, now: float) -> tuple[str, Waiting] | None:
        """The story to fuse next (removed from the queue), or None when none waits or none is due
        (each waits ``defaults.WATCH_CLAIMS_REFRESH_S`` after its last refresh: :meth:`next_due`)."""
        due = [sid for sid in self._waiting if self._due_at(sid) <= now]
        if not due:
            return None

        cost = {sid: self.expected(sid, self._waiting[sid].size) for sid in due}
        overdue = [(self._waiting[sid].since, sid) for sid in due
                   if now - max(self._waiting[sid].since, self._due_at(sid))
                   >= defaults.WATCH_FUSE_PATIENCE * cost[sid]]
        by_rate = max(due, key=lambda k: (self._weight(k) / cost[k], -cost[k]))
        sid = min(overdue)[1] if overdue else by_rate
        w = self._waiting[sid]
        del self._waiting[sid]
        w.seconds = self.expected(sid, w.size)
        return sid, w

    def next_due(self) -> float | None:
        """When the first waiting story may be refreshed (None: none waits)."""
        return min((self._due_at(sid) for sid in self._waiting), default=None)

    def _due_at(self, story_id: str) -> float:
        last = self._last.get(story_id)
        return last[2] + defaults.WATCH_CLAIMS_REFRESH_S if last else float("-inf")

    def _weight(self, story_id: str) -> int:
        return max(1, len(self._waiting[story_id].articles))  # a story queued with no article counts one

    def expected(self, story_id: str, size: int) -> float:
        """Seconds a fuse of ``story_id`` at ``size`` articles is expected to take."""
        last = self._last.get(story_id)
        guess = last[0] * max(1, size) / max(1, last[1]) if last else self._per_article * max(1, size)
        return max(defaults.WATCH_FUSE_MIN_COST_S, guess)

    def done(self, story_id: str, seconds: float, size: int, at: float = float("-inf")) -> None:
        """Record what a fuse took, for the next guesses, and when it ended (``at``: the story's
        next refresh is due ``defaults.WATCH_CLAIMS_REFRESH_S`` later)."""
        self._last[story_id] = (seconds, size, at)
        self._last.move_to_end(story_id)
        while len(self._last) > defaults.WATCH_FUSE_COSTS_KEPT:
            self._last.popitem(last=False)
        rate = defaults.WATCH_FUSE_COST_SMOOTHING
        self._per_article = (1 - rate) * self._per_article + rate * seconds / max(1, size)

    def put_back(self, story_id: str, w: Waiting, now: float) -> None:
        """A story whose refresh failed waits again, due ``defaults.WATCH_CLAIMS_REFRESH_S`` after
        ``now`` (a story that keeps failing is not tried in a tight loop); the cost guesses stay."""
        seconds, size, _ = self._last.get(story_id, (self.expected(story_id, w.size), w.size, now))
        self._last[story_id] = (seconds, size, now)
        self._last.move_to_end(story_id)
        self._join(story_id, w)

    def _join(self, story_id: str, w: Waiting) -> None:
        have = self._waiting.get(story_id)
        if have is None:
            self._waiting[story_id] = w
            return
        have.queued = list(dict.fromkeys(have.queued + w.queued))
        have.articles = list(dict.fromkeys(have.articles + w.articles))
        have.since = min(have.since, w.since)
        have.size = max(have.size, w.size)
