"""A story at real size, written straight through the Store API, for page layout tests.

Story ``s_big``: twelve outlets (some with long names), one article each, 100 claims (4 conflicting,
16 corroborated, 80 single-source) with evidence in the articles, and a timeline of a seven-day story
with one background date two years earlier and one estimated range.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsfuse.ids import content_id
from newsfuse.models import Article, Claim, ClaimSource, Span, Story, TimelineEntry
from newsfuse.store import Store

STORY_ID = "s_big"
OUTLETS = ("Wire One", "The Harbour Gazette and Evening Chronicle", "Valley Times", "North Coast Radio",
           "Daily Ledger", "Metro Evening Standard Online", "Quay Weekly", "Civic Bulletin",
           "Riverside Community Newsletter", "Capital Wire Service", "Morning Post", "Island Herald")
N_CLAIMS = 100
CONFLICTING = range(0, 4)
CORROBORATED = range(4, 20)  # the rest is single-source


def _sentence(k: int, outlet: str) -> str:
    return (f"Harbour officials confirmed measure number {k} of the flood plan on the quay, "
            f"{outlet} reported.")


def _article(i: int, outlet: str) -> Article:
    text = " ".join(_sentence(k, outlet) for k in range(N_CLAIMS))
    title = f"Flood plan for the harbour: what {outlet} learned about the quay works" if i % 3 else None
    return Article(id=content_id(outlet, text, prefix="a_"), text=text, outlet=outlet, title=title,
                   url=f"https://news{i}.example/flood", published=f"2025-03-{3 + i % 7:02d}",
                   published_source="header")


def _evidence(a: Article, k: int) -> Span:
    sentence = _sentence(k, a.outlet or "")
    start = a.text.index(sentence)
    return Span(a.id, start, start + len(sentence), sentence)


def _claim(k: int, articles: list[Article]) -> Claim:
    if k in CONFLICTING:
        carriers = articles[k % 3 : k % 3 + 4]
        sources = tuple(ClaimSource(a.id, a.outlet, stance="differs", value=f"{1000 + 100 * j:,} homes",
                                    evidence=(_evidence(a, k),)) for j, a in enumerate(carriers))
        status, independent = "conflicting", len(carriers)
    elif k in CORROBORATED:
        carriers = articles[: 2 + k % 9]
        sources = tuple(ClaimSource(a.id, a.outlet, evidence=(_evidence(a, k),)) for a in carriers)
        status, independent = "corroborated", len(carriers)
    else:
        a = articles[k % len(articles)]
        sources, status, independent = (ClaimSource(a.id, a.outlet, evidence=(_evidence(a, k),)),), \
            "single-source", 1
    text = f"Harbour officials confirmed measure number {k} of the flood plan on the quay"
    return Claim(id=f"c_{k:03d}", story_id=STORY_ID, kind="event", text=text, status=status,
                 independent_sources=independent, sources=sources)


def _timeline() -> list[TimelineEntry]:
    entries = [TimelineEntry(STORY_ID, f"2025-03-{d:02d}", f"2025-03-{d:02d}", "day",
                             f"Harbour works step {d}: crews closed another section of the quay wall")
               for d in range(3, 10)]
    entries.append(TimelineEntry(STORY_ID, "2023-01-01", "2023-12-31", "year",
                                 "The flood plan was first drawn up"))
    entries.append(TimelineEntry(STORY_ID, "2025-03-12", "2025-03-20", "range",
                                 "Quay expected to reopen", estimated=True))
    return sorted(entries, key=lambda t: t.date_start or "")


@dataclass(frozen=True)
class BigStory:
    story_id: str
    articles: tuple[Article, ...]


def fill_big(store: Store) -> BigStory:
    articles = [_article(i, o) for i, o in enumerate(OUTLETS)]
    with store.transaction():
        for a in articles:
            store.add_article(a)
        store.put_story(Story(id=STORY_ID, title="Harbour flood plan: quay closed for a week of repairs",
                              first_seen="2025-03-03", last_update="2025-03-09"))
        for a in articles:
            store.assign(a.id, STORY_ID, 1.0)
        store.put_claims(STORY_ID, [_claim(k, articles) for k in range(N_CLAIMS)])
        store.put_timeline(STORY_ID, _timeline())
    return BigStory(STORY_ID, tuple(articles))
