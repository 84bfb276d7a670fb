"""Small pure helpers of story grouping: story IDs, titles, the text an article is scored on,
and the time factor between date ranges.

They read no store and keep no state, so every story module (and bench/) can use them; the
public ones are re-exported by :mod:`newsfuse.fuse.stories.assign`.
"""

from __future__ import annotations

from datetime import date

from newsfuse import defaults
from newsfuse.fuse.claims.build import sentence_around
from newsfuse.ids import content_id
from newsfuse.models import Article


def article_text(article: Article) -> str:
    """Title and text: the headline carries the story's key words."""
    if article.title and not article.text.startswith(article.title):
        return f"{article.title}\n{article.text}"
    return article.text


def story_id_for(article_id: str) -> str:
    """A story's ID: a hash of the article that founded it."""
    return content_id(article_id, prefix="s_")


def title_of(article: Article) -> str:
    """The article's title, else its first sentence (cut at a word boundary)."""
    if article.title and article.title.strip():
        return article.title.strip()
    first = article.text.strip().split("\n", 1)[0]
    first = first[: sentence_around(first, 0, 0)[1]].rstrip()
    if len(first) > defaults.STORY_TITLE_MAX_CHARS:
        first = first[: defaults.STORY_TITLE_MAX_CHARS].rsplit(" ", 1)[0] + "…"
    return first


def time_factor(published: str | None, first_seen: str | None, last_update: str | None) -> float:
    """1 within STORY_TIME_WINDOW_DAYS of the story's dates, halving every half-life beyond;
    1 when either side has no date (unknown is neutral)."""
    return range_factor(published, published, first_seen, last_update)


def range_factor(
    first: str | None, last: str | None, first_seen: str | None, last_update: str | None
) -> float:
    """The time factor of the days gap between two date ranges (0 when they overlap)."""
    day, day_hi, lo = parse_day(first), parse_day(last), parse_day(first_seen)
    if day is None or lo is None:
        return 1.0
    hi = parse_day(last_update) or lo
    gap = (lo - (day_hi or day)).days if (day_hi or day) < lo else max((day - hi).days, 0)
    excess = gap - defaults.STORY_TIME_WINDOW_DAYS
    return 1.0 if excess <= 0 else 0.5 ** (excess / defaults.STORY_TIME_HALF_LIFE_DAYS)


def parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
