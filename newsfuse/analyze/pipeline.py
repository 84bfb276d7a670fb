"""The analyze stage (STUB: being written)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsfuse.analyze import amounts, dates, entities, events, quotes
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.models import Analysis, Article

if TYPE_CHECKING:
    from newsfuse.pipeline import RunContext
    from newsfuse.store import Store

ANALYSIS_VERSION = "0"


def analyze_article(article: Article, doc: ParsedDoc) -> Analysis:
    mentions = entities.find_mentions(doc, article.id)
    times = dates.find_times(doc, article.id, article.published)
    amts = amounts.find_amounts(doc, article.id)
    return Analysis(
        article_id=article.id,
        mentions=tuple(mentions),
        quotes=tuple(quotes.find_quotes(doc, article.id, mentions)),
        events=tuple(events.find_events(doc, article.id, mentions, times, amts)),
        times=tuple(times),
        amounts=tuple(amts),
        version=ANALYSIS_VERSION,
    )


def analyze_stage(store: Store, ctx: RunContext) -> None:
    return None
