"""Small pure helpers of story grouping: story IDs, titles, the text an article is scored on,
and the time factor between date ranges.

They read no store and keep no state, so every story module (and bench/) can use them; the
public ones are re-exported by :mod:`newsfuse.fuse.stories.assign`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date

from newsfuse import defaults
from newsfuse.fuse.claims.statements import SENTENCE_END
from newsfuse.fuse.stories import headline as storyheadline
from newsfuse.fuse.stories import textsim
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
    """The article's own headline (without the outlet name a feed appended, cut to headline length
    if need be), else a headline-length title from its lead sentence."""
    if article.title and article.title.strip():
        own = storyheadline.core(article.title)
        return own if len(own) <= defaults.STORY_TITLE_MAX_CHARS else headline(own)
    return headline(article.text)


def title_key(article: Article) -> tuple[int, str, str]:
    """Which member names a story, by content alone (never by arrival order): an article with a
    headline of its own before one without, then the earliest published, then the smallest ID."""
    has_title = bool(article.title and article.title.strip())
    return (0 if has_title else 1, article.published or "9999", article.id)


def story_title(articles: Sequence[Article], centroid: Mapping[str, float] | None = None,
                current: str | None = None) -> str:
    """The title of a story with these members: the headline that best sums the story up, i.e.
    whose words weigh most in the story's ``centroid`` (:func:`headline_weight`), ties and a
    missing centroid by :func:`title_key`; without any headline, a title from the earliest lead.
    Stable as articles arrive: the ``current`` title stays while it is a member's headline
    scoring at least STORY_TITLE_KEEP_RATIO times the best."""
    headed = [a for a in articles if a.title and a.title.strip()]
    if not headed or not centroid:
        return title_of(min(articles, key=title_key))
    scored = sorted(((headline_weight(title_of(a), centroid), a) for a in headed),
                    key=lambda sa: (-sa[0], title_key(sa[1])))
    best, article = scored[0]
    for score, member in scored:
        if title_of(member) == current and score >= defaults.STORY_TITLE_KEEP_RATIO * best:
            return current
    return title_of(article)


def headline_weight(title: str, centroid: Mapping[str, float]) -> float:
    """How central a headline is to a story: the weight its words (as words or names) carry in the
    story's summed vector, over the square root of how many words it has (a cosine with a 0/1
    vector), so a headline naming the story's place, people and event wins over a vague one."""
    words = set(textsim.plain_words(title))
    if not words:
        return 0.0
    total = sum(max(centroid.get(w, 0.0), centroid.get(textsim.ENTITY + w, 0.0)) for w in words)
    return total / math.sqrt(len(words))


# Abbreviations the sentence splitter may take for an end ('Trump vs. Harris'): a title never ends on
# one; the sentence goes on to its real end.
_NOT_AN_END = re.compile(r"\b(?:vs|v|No|Nos|Inc|Corp|Co|Ltd|Prof|Sgt|Lt|Capt|Ft|Mt|Sept|approx)\.$")
# Words a cut headline does not end on: it would read as if a word were missing ('... allow Ukraine to').
_WEAK_LAST = frozenset((
    "a", "an", "the", "to", "of", "for", "and", "or", "but", "nor", "in", "on", "at", "by", "with", "from",
    "into", "onto", "as", "that", "which", "who", "whom", "whose", "its", "his", "her", "their", "our",
    "your", "my", "has", "have", "had", "is", "are", "was", "were", "be", "been", "will", "would", "can",
    "could", "may", "might", "shall", "should", "than", "then", "if", "so", "not", "also", "after",
    "before", "over", "under", "about", "against", "between",
))
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s[–—-]\s|\s\(")


def headline(text: str) -> str:
    """A headline-length title from the lead: its first sentence when short enough, else the sentence
    cut at its last clause break within ``STORY_TITLE_MAX_CHARS`` (no shorter than
    ``STORY_TITLE_MIN_CHARS``), else at a word that is not a function word or an abbreviation."""
    lead = text.strip().split("\n", 1)[0].strip()
    end = next((m.start() for m in SENTENCE_END.finditer(lead) if not _NOT_AN_END.search(lead[: m.start()])),
               len(lead))
    sentence = " ".join(lead[:end].split())
    limit = defaults.STORY_TITLE_MAX_CHARS
    if len(sentence) <= limit:
        return sentence
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(sentence, 0, limit)
              if m.start() >= defaults.STORY_TITLE_MIN_CHARS]
    if breaks:
        return sentence[: breaks[-1]].rstrip() + "…"
    every = sentence.split()
    words = sentence[: limit + 1].split()[:-1] or every[:1]
    while len(words) > 1 and _weak_end(words[-1], every[len(words)] if len(words) < len(every) else ""):
        words.pop()
    return " ".join(words).rstrip(",;:") + "…"


def _weak_end(word: str, following: str) -> bool:
    """A word a cut title should not end on: a function word, an abbreviation or initial, or a part
    of a name the cut would split ('... in the Kessel' of 'Kessel Valley')."""
    bare = word.strip(",;:")
    return (bare.casefold() in _WEAK_LAST or bool(_NOT_AN_END.search(bare)) or bare[-2:-1] == "."
            or (bare[:1].isupper() and following[:1].isupper() and bare == word))


def time_factor(published: str | None, first_seen: str | None, last_update: str | None) -> float:
    """1 within STORY_TIME_WINDOW_DAYS of the story's dates, halving every half-life beyond;
    1 when either side has no date (unknown is neutral)."""
    return range_factor(published, published, first_seen, last_update)


def range_factor(
    first: str | None, last: str | None, first_seen: str | None, last_update: str | None,
    long_running: bool = False,
) -> float:
    """The time factor of the days gap between two date ranges (0 when they overlap); reports of
    one long-running story (fuse/stories/args.long_running) decay with the longer half-life."""
    gap = days_apart(first, last, first_seen, last_update)
    excess = 0 if gap is None else gap - defaults.STORY_TIME_WINDOW_DAYS
    return 1.0 if excess <= 0 else 0.5 ** (excess / half_life(long_running))


def days_apart(
    first: str | None, last: str | None, first_seen: str | None, last_update: str | None
) -> int | None:
    """Days between two date ranges (0 when they overlap), None when either side has no date."""
    day, day_hi, lo = parse_day(first), parse_day(last), parse_day(first_seen)
    if day is None or lo is None:
        return None
    hi = parse_day(last_update) or lo
    return (lo - (day_hi or day)).days if (day_hi or day) < lo else max((day - hi).days, 0)


def close_in_time(
    first: str | None, last: str | None, first_seen: str | None, last_update: str | None
) -> bool:
    """Whether two date ranges are known and at most STORY_ARG_LIFT_MAX_DAYS apart: the dates half of
    the evidence that two reports tell one incident (args.agreement's lift). Unknown is no agreement."""
    gap = days_apart(first, last, first_seen, last_update)
    return gap is not None and gap <= defaults.STORY_ARG_LIFT_MAX_DAYS


def half_life(long_running: bool) -> float:
    """Days over which the time factor halves beyond the window."""
    return defaults.STORY_LONG_RUNNING_HALF_LIFE_DAYS if long_running else defaults.STORY_TIME_HALF_LIFE_DAYS


def parse_day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
