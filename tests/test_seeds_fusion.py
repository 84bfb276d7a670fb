"""The two real seed articles, fused by the real pipeline (one story, Nov 2024)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fusion_helpers import fused_seeds

from newsfuse.models import Article, Claim
from newsfuse.store import Store, queries

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fused(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str]]:
    yield from fused_seeds(tmp_path_factory)


def _articles(store: Store, sid: str) -> list[Article]:
    return queries.list_articles(store, list(queries.get_story(store, sid).article_ids))


def _claims_with(store: Store, sid: str, *words: str) -> list[Claim]:
    return [
        c
        for c in queries.story_claims(store, sid)
        if all(w in " ".join(sp.text for s in c.sources for sp in s.evidence) for w in words)
    ]


def test_both_seeds_form_one_story(fused: tuple[Store, str]) -> None:
    store, sid = fused
    assert len(queries.list_stories(store)) == 1
    assert len(_articles(store, sid)) == 2


@pytest.mark.parametrize(
    "name", ["Emmanuel Macron", "Joe Biden", "Vladimir Putin", "Volodymyr Zelensky", "North Korea"]
)
def test_actor_is_one_entity_across_both_articles(fused: tuple[Store, str], name: str) -> None:
    store, sid = fused
    matches = [
        e
        for e in queries.list_entities(store, list(queries.get_story(store, sid).article_ids))
        if e.name == name
    ]
    assert len(matches) == 1, [e.name for e in matches]
    # every seed naming the actor (or, for a country, its demonym) is linked to that one entity
    stem = name.split()[-1][:5]
    naming = {a.id for a in _articles(store, sid) if stem in a.text}
    assert set(matches[0].article_ids) == naming


def test_french_president_emmanuel_is_macron(fused: tuple[Store, str]) -> None:
    store, sid = fused
    macron = next(e for e in queries.list_entities(store) if e.name == "Emmanuel Macron")
    assert "Emmanuel" in macron.aliases and "French President" in macron.roles
    links = queries.entity_links(store, list(queries.get_story(store, sid).article_ids))
    dated = next(a for a in _articles(store, sid) if a.published_source != "estimated")
    analysis = queries.get_analysis(store, dated.id)
    key = next(
        m.entity_key
        for m in analysis.mentions
        if m.text == "French President Emmanuel" or m.text == "Emmanuel"
    )
    assert links[(dated.id, key)] == macron.id


def test_biden_authorisation_is_corroborated_by_both_outlets(fused: tuple[Store, str]) -> None:
    store, sid = fused
    both = [c for c in _claims_with(store, sid, "Biden") if c.status == "corroborated" and c.kind == "event"]
    texts = [" ".join(sp.text for s in c.sources for sp in s.evidence) for c in both]
    assert any("authorized" in t and "allow Ukraine" in t for t in texts), texts
    assert all(c.independent_sources == 2 for c in both)


def test_pentagon_figure_is_single_source(fused: tuple[Store, str]) -> None:
    # The troops' presence in the Kursk region is told by both outlets (tests/test_claims_meaning.py);
    # the figure, and the Pentagon's statement of it, only by one: one row, worded by the shared
    # fact, the figure shown as MENAFN's single-source detail, never in the corroborated words.
    store, sid = fused
    [row] = _claims_with(store, sid, "11,000 North Korean soldiers")
    assert row.status == "corroborated" and row.independent_sources == 2
    assert "11,000" not in row.text and "North Korean" in row.text
    [detail] = row.details
    assert detail.outlet == "MENAFN" and detail.text.startswith("Around 11,000 North Korean soldiers")
    assert "detail" not in row.note  # the note says how the sources were counted, nothing else


def test_massive_strike_on_energy_infrastructure_is_single_source(fused: tuple[Store, str]) -> None:
    store, sid = fused
    claims = [c for c in _claims_with(store, sid, "energy infrastructure") if c.event_type == "ASSAULT"]
    assert [c.status for c in claims] == ["single-source"]


def test_white_house_no_comment_agrees_across_outlets(fused: tuple[Store, str]) -> None:
    store, sid = fused
    facts = [c for c in queries.story_claims(store, sid) if c.kind == "fact" and "White House" in c.text]
    assert [c.status for c in facts] == ["corroborated"]


def test_undated_seed_gets_an_estimated_date_after_sunday(fused: tuple[Store, str]) -> None:
    store, sid = fused
    undated = [a for a in _articles(store, sid) if a.published_source == "estimated"]
    assert len(undated) == 1
    assert "2024-11-17" <= (undated[0].published or "") <= "2024-11-20"
    # the header's dates agree with the estimate (placement saw only the dated report)
    story = queries.get_story(store, sid)
    assert (story.first_seen or "")[:10] == (undated[0].published or "")[:10] < "2024-11-20"
    assert any(t.estimated and t.date_start == "2024-11-17" for t in queries.story_timeline(store, sid))


def test_timeline_places_the_inauguration_after_the_november_events(fused: tuple[Store, str]) -> None:
    store, sid = fused
    timeline = queries.story_timeline(store, sid)
    inauguration = [t for t in timeline if "inauguration" in t.text]
    assert [t.date_start for t in inauguration] == ["2025-01-20"]
    november = [t for t in timeline if (t.date_start or "").startswith("2024-11")]
    assert november and timeline.index(inauguration[0]) > max(timeline.index(t) for t in november)
