"""The rule clusters of a growing story kept between fuses (fuse/entities/grow.py) equal a clustering
from scratch after every added article: on the sample corpus's dam reports (copies and new texts
arriving one at a time), and on small stories where one added article turns a count-dependent rule."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from damreports import analysed_dam

from newsfuse import defaults
from newsfuse.fuse.entities import grow
from newsfuse.fuse.entities.clusters import rule_clusters
from newsfuse.fuse.entities.names import Cluster, NameGroup, mention_groups
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, Mention


def _seen(clusters: list[Cluster]) -> list[tuple[list[tuple[str, str]], list[str]]]:
    return [([(g.article_id, g.key) for g in c.groups], sorted(c.evidence)) for c in clusters]


class _Story:
    """A story's groups as the fuse stage gives them: each article's groups made once and kept."""

    def __init__(self) -> None:
        self.kept = grow.KeptClusters()
        self.groups: list[NameGroup] = []

    def add(self, analysis: Analysis) -> list[Cluster]:
        self.groups = [*self.groups, *mention_groups([analysis])]
        got = self.kept.clusters(self.groups)
        assert _seen(got) == _seen(rule_clusters(self.groups)), f"differs after {analysis.article_id}"
        return got


def _copy(analysis: Analysis, article_id: str) -> Analysis:
    return Analysis(article_id, mentions=tuple(replace(m, id=content_id(article_id, m.id, prefix="m_"),
                                                       article_id=article_id) for m in analysis.mentions))


@pytest.fixture(scope="module")
def dam() -> list[Analysis]:
    return analysed_dam("grow-dam")


def test_a_story_grown_one_report_at_a_time_clusters_as_from_scratch(dam: list[Analysis]) -> None:
    rng = random.Random(14)
    story = _Story()
    story.add(_copy(dam[0], "grow-dam-0"))
    for n in range(1, 40):  # mostly copies of a seen report; the other reports' names arrive later
        seed = dam[0] if n < 10 else rng.choice(dam)
        story.add(_copy(seed, f"grow-dam-{n}"))
    assert story.kept.grown >= 25  # copies of seen reports: no new name, nothing counted over
    assert story.kept.why["new name"] >= 2  # the two other reports' first copies
    assert story.kept.full == 1 + sum(story.kept.why.values()) - story.kept.why["not kept"]


def test_growing_stops_when_groups_before_change(dam: list[Analysis]) -> None:
    story = _Story()
    for n in range(3):
        story.add(_copy(dam[1], f"grow-change-{n}"))
    # one group of the last article made again (its analysis replaced): not the kept groups any more
    story.groups[-3] = replace(story.groups[-3], names=story.groups[-3].names.copy())
    assert _seen(story.kept.clusters(story.groups)) == _seen(rule_clusters(story.groups))
    assert story.kept.why["groups changed"] == 1


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, text=text, outlet="Outlet", published="2024-11-20", published_source="header")


def _mention(article: Article, text: str, label: str, key: str) -> Mention:
    start = article.text.index(text)
    return Mention(content_id(article.id, start, prefix="m_"), article.id, start, start + len(text), text,
                   label, "name", key, ())


def _together(clusters: list[Cluster], a: str, b: str) -> bool:
    return any({a, b} <= {g.key for g in c.groups} for c in clusters)


def test_a_surname_slip_joins_the_person_once_the_story_mostly_says_person() -> None:
    # 'Ford' tagged ORG is tried as a surname only when more reports name a person Ford than tag it a
    # body: the third report of Bill Ford turns the count, and the clustering starts again.
    person = _article("grow-ford-p", "Bill Ford, the executive chairman, spoke to reporters in Detroit.")
    slip = _article("grow-ford-s", "Ford said the plant would reopen next week.")
    story = _Story()
    named = _mention(person, "Bill Ford", "PERSON", "Bill Ford")
    clusters = story.add(Analysis(person.id, mentions=(named,)))
    for aid in ("grow-ford-s1", "grow-ford-s2"):
        art = replace(slip, id=aid)
        clusters = story.add(Analysis(aid, mentions=(_mention(art, "Ford", "ORG", "Ford"),)))
    assert not _together(clusters, "Ford", "Bill Ford")
    for n in range(3):
        art = replace(person, id=f"grow-ford-p{n}")
        clusters = story.add(Analysis(art.id, mentions=(_mention(art, "Bill Ford", "PERSON", "Bill Ford"),)))
    assert _together(clusters, "Ford", "Bill Ford")
    assert story.kept.why["count"] >= 1 and story.kept.grown >= 2


def test_a_name_joins_the_body_named_after_it_until_the_story_mostly_says_place() -> None:
    # 'Brenna' tagged ORG more often than GPE is the body 'Brenna Ledger' holds; once the reports
    # mostly call it a place it is the city, and the kept clustering gives way to a new one.
    city = _article("grow-brenna-c", "Flooding closed roads in Brenna on Monday, the Brenna Ledger reported.")
    story = _Story()
    clusters: list[Cluster] = []
    for n, label in enumerate(("ORG", "ORG", "ORG", "GPE", "GPE", "GPE", "GPE", "GPE")):
        art = replace(city, id=f"grow-brenna-{n}")
        paper = _mention(art, "Brenna Ledger", "ORG", "Brenna Ledger")
        clusters = story.add(Analysis(art.id, mentions=(_mention(art, "Brenna", label, "Brenna"), paper)))
        if n == 2:
            assert _together(clusters, "Brenna", "Brenna Ledger")
    assert not _together(clusters, "Brenna", "Brenna Ledger")
    assert story.kept.why["count"] >= 1 and story.kept.grown >= 4


def test_a_byte_budget_keeps_fewer_story_states_least_recent_dropped(dam: list[Analysis]) -> None:
    kept = grow.KeptClusters()
    stories = [[*mention_groups([_copy(dam[n % 3], f"grow-budget-{n}")])] for n in range(4)]
    for groups in stories:
        kept.clusters(groups)
    assert len(kept.states) == 4
    kept.keep_at_most(2)  # watch/kept.py: what fits the budget
    assert len(kept.states) == 2
    assert [s.groups for s in kept.states.values()] == stories[2:]
    assert _seen(kept.clusters(stories[0])) == _seen(rule_clusters(stories[0]))  # clustered again
    assert len(kept.states) == 2 and kept.why["not kept"] == 5
    kept.keep_at_most(None)
    kept.clusters(stories[1])
    assert len(kept.states) == 3


def test_a_report_naming_two_of_one_surname_undoes_their_join(monkeypatch: pytest.MonkeyPatch) -> None:
    # 'Katie Morrow' and 'Kathryn Morrow' in different reports are one person written two ways
    # (persons._link_surname_across_articles) until a report names both: then they are two people,
    # and the kept clustering (which joined them) gives way to one from scratch.
    monkeypatch.setattr(defaults, "ENTITY_SURNAME_ACROSS_ARTICLES", "any")
    text = "Katie Morrow and Kathryn Morrow spoke at the vigil on Tuesday."
    story = _Story()
    clusters: list[Cluster] = []
    for n, names in enumerate((("Katie Morrow",), ("Kathryn Morrow",), ("Katie Morrow",),
                               ("Katie Morrow", "Kathryn Morrow"))):
        art = _article(f"grow-morrow-{n}", text)
        clusters = story.add(Analysis(art.id, mentions=tuple(_mention(art, k, "PERSON", k) for k in names)))
        if n == 2:
            assert _together(clusters, "Katie Morrow", "Kathryn Morrow") and story.kept.grown == 1
    assert not _together(clusters, "Katie Morrow", "Kathryn Morrow")
    assert story.kept.why["surname"] == 1
