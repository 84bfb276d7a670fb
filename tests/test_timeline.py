"""Timeline ordering, first-reported dates and publication-date estimates."""

from __future__ import annotations

from newsfuse.fuse.timeline import build_timeline, estimate_published
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, Event, TimeExpr, TimelineEntry


def art(aid: str, outlet: str, text: str, published: str | None) -> Article:
    return Article(
        id=aid,
        text=text,
        outlet=outlet,
        published=published,
        published_source="header" if published else None,
    )


def time(a: Article, text: str, start: str, end: str | None = None, precision: str = "day") -> TimeExpr:
    at = a.text.index(text)
    return TimeExpr(content_id(a.id, at), a.id, at, at + len(text), text, start, end or start, precision)


def test_entries_are_ordered_by_date_with_first_report_per_outlet() -> None:
    a = art("a", "One", "The dam broke on Saturday. The inauguration is on January 20.", "2025-09-14")
    b = art("b", "Two", "The dam broke on Saturday, officials said.", "2025-09-15")
    ta, tb = time(a, "on Saturday", "2025-09-13"), time(b, "on Saturday", "2025-09-13")
    inaug = time(a, "on January 20", "2026-01-20")
    ev = Event(
        "e1", "a", "break", a.text.index("broke"), a.text.index("broke") + 5, 0, 26, "ASSAULT", time_id=ta.id
    )
    an = {"a": Analysis("a", events=(ev,), times=(ta, inaug)), "b": Analysis("b", times=(tb,))}
    entries = build_timeline("s", [a, b], an)
    assert [e.date_start for e in entries] == ["2025-09-13", "2026-01-20"]
    dam = entries[0]
    assert dict(dam.first_reported) == {"One": "2025-09-14", "Two": "2025-09-15"}
    assert len(dam.evidence) == 2 and not dam.estimated


def test_weekday_clue_places_an_undated_article_after_that_day() -> None:
    dated = art("a", "One", "Text.", "2024-11-20")
    undated = art("b", "Two", "The president said on Sunday that talks were over.", None)
    est = estimate_published(undated, [dated, undated])
    assert est is not None
    assert est.published == "2024-11-18"  # Sunday 17 November + one day
    assert est.low == "2024-11-17" and est.high == "2024-11-23"


def test_days_after_clue_uses_the_dated_event() -> None:
    dated = art("a", "One", "x", "2025-09-14")
    later = art("c", "Two", "y", "2025-09-19")
    undated = art("b", "Three", "Four days after the Orlen Dam gave way, families returned.", None)
    timeline = [
        TimelineEntry("s", "2025-09-13", "2025-09-13", "day", "Part of the Orlen Dam gave way on Saturday.")
    ]
    est = estimate_published(undated, [dated, later, undated], timeline)
    assert est is not None and est.published == "2025-09-17"


def test_no_clue_falls_back_to_the_story_median_and_no_dates_means_no_estimate() -> None:
    undated = art("b", "Two", "Nothing dated here.", None)
    dates = [art(str(n), "O", "x", d) for n, d in enumerate(["2025-09-13", "2025-09-15", "2025-09-19"])]
    est = estimate_published(undated, [*dates, undated])
    assert est is not None and est.published == "2025-09-15"
    assert estimate_published(undated, [undated]) is None


def test_copies_of_a_dated_sentence_are_one_entry_with_every_outlet() -> None:
    text = "The dam broke on Saturday."
    arts = [art(f"a{k}", f"Outlet {k}", text, f"2025-09-{14 + k % 3}") for k in range(6)]
    other = art("z", "Other", "Voters in Brask elected a new mayor on Saturday.", "2025-09-14")
    an = {a.id: Analysis(a.id, times=(time(a, "on Saturday", "2025-09-13"),)) for a in [*arts, other]}
    entries = build_timeline("s", [*arts, other], an)
    assert len(entries) == 2  # one date, two unlike sentences: two entries
    dam = next(e for e in entries if "dam" in e.text)
    assert len(dam.evidence) == 6 and len(dam.first_reported) == 6
