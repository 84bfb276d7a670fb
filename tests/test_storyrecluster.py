"""The convergence plan (fuse/stories/recluster.py) on tiny vectors of our own."""

from __future__ import annotations

import pytest

from newsfuse import defaults
from newsfuse.fuse.stories import args as storyargs
from newsfuse.fuse.stories import recluster as storyrecluster
from newsfuse.fuse.stories import textsim
from newsfuse.fuse.stories.batch import Item
from newsfuse.fuse.stories.recluster import Member

# Two events of one kind: each event's reports share their own words, the two share 'heist'.
FIRST = {"heist": 1.0, "velmont": 2.0, "motorbike": 2.0}
SECOND = {"heist": 1.0, "arcady": 2.0, "emerald": 2.0}
DAM = {"dam": 1.0, "spillway": 1.0, "reservoir": 1.0}


def member(aid: str, story: str, words: dict[str, float], founder: bool = False) -> Member:
    return Member(aid, story, Item(textsim.normalize(words), storyargs.Profile(), None), founder)


def test_member_of_the_other_event_moves_to_its_story() -> None:
    members = [
        member("a1", "s1", FIRST, founder=True), member("a2", "s1", {**FIRST, "video": 1.0}),
        member("b1", "s1", {**SECOND, "shop": 1.0}),  # joined the first story before its own formed
        member("b2", "s2", SECOND, founder=True), member("b3", "s2", {**SECOND, "witness": 1.0}),
    ]
    out = storyrecluster.plan(members, {"s1": 3, "s2": 2}, {"s1": 1, "s2": 2})
    assert [(m.article_id, m.from_id, m.into_id) for m in out.moves] == [("b1", "s1", "s2")]
    assert out.moves[0].link > defaults.STORY_MOVE_MARGIN * out.moves[0].stay
    assert out.merges == []


def test_a_split_off_group_founds_a_new_story() -> None:
    members = [
        member("a1", "s1", FIRST, founder=True), member("a2", "s1", {**FIRST, "video": 1.0}),
        member("a3", "s1", {**FIRST, "arrest": 1.0}),
        member("b1", "s1", SECOND), member("b2", "s1", {**SECOND, "witness": 1.0}),
    ]
    out = storyrecluster.plan(members, {"s1": 5}, {"s1": 1})
    assert {(m.article_id, m.into_id) for m in out.moves} == {("b1", None), ("b2", None)}
    assert len({m.group for m in out.moves}) == 1  # one new story for the two


def test_an_article_near_both_stays_where_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    # x links 0.41 to its story and 0.56 to the other: the batch puts it with the other, but not
    # by STORY_MOVE_MARGIN (1.5), so it stays; without hysteresis (margin 1) it would move.
    first, second = {"velmont": 2.0, "motorbike": 2.0}, {"arcady": 2.0, "emerald": 2.0}
    members = [
        member("a1", "s1", first, founder=True), member("a2", "s1", {**first, "video": 0.5}),
        member("x", "s1", {"velmont": 0.8, "motorbike": 0.8, "arcady": 1.1, "emerald": 1.1, "shop": 2.0}),
        member("b2", "s2", second, founder=True), member("b3", "s2", {**second, "witness": 0.5}),
    ]
    monkeypatch.setattr(defaults, "STORY_MOVE_MARGIN", 1.5)
    assert storyrecluster.plan(members, {"s1": 3, "s2": 2}, {"s1": 1, "s2": 2}).moves == []
    monkeypatch.setattr(defaults, "STORY_MOVE_MARGIN", 1.0)
    eager = storyrecluster.plan(members, {"s1": 3, "s2": 2}, {"s1": 1, "s2": 2})
    assert [(m.article_id, m.into_id) for m in eager.moves] == [("x", "s2")]


def test_stories_of_one_cluster_merge_into_the_older_unless_partly_listed() -> None:
    members = [member("a1", "s2", FIRST, founder=True), member("a2", "s1", {**FIRST, "video": 1.0}),
               member("d", "s3", DAM, founder=True)]
    out = storyrecluster.plan(members, {"s1": 1, "s2": 1, "s3": 1}, {"s1": 1, "s2": 2, "s3": 3})
    assert [(f, i) for f, i, _ in out.merges] == [("s2", "s1")] and out.moves == []
    # s2 has members the re-clustering did not read: it is never merged away on a partial view.
    partial = storyrecluster.plan(members, {"s1": 1, "s2": 9, "s3": 1}, {"s1": 1, "s2": 2, "s3": 3})
    assert partial.merges == []


def test_nothing_to_do_for_one_member() -> None:
    out = storyrecluster.plan([member("a1", "s1", FIRST, founder=True)], {"s1": 1}, {"s1": 1})
    assert out.merges == [] and out.moves == []
