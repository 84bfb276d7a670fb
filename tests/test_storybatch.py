"""Offline grouping of one call's articles (fuse/stories/batch.py) on tiny vectors of our own."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date

import numpy as np
import pytest

from newsfuse import defaults
from newsfuse.fuse.stories import args as storyargs
from newsfuse.fuse.stories import basics as storybasics
from newsfuse.fuse.stories import batch as storybatch
from newsfuse.fuse.stories import textsim
from newsfuse.fuse.stories.batch import Item


def item(words: dict[str, float], args: Iterable[str] = (), day: date | None = None) -> Item:
    return Item(textsim.normalize(words), storyargs.Profile().add_terms(args), day)


# Two arrests of one kind: the shared words give a cosine of about 0.2 between the two events
# (above STORY_THRESHOLD), their own words tie each event's reports closer.
ARREST = {"arrest": 1.0, "drunk": 1.0}
JACKSON = {**ARREST, "receiver": 2.0, "vincent": 2.0}
WILLIAMS = {**ARREST, "tackle": 2.0, "jamal": 2.0}
DAM = {"dam": 1.0, "spillway": 1.0, "reservoir": 1.0}


def partition(groups: list[list[int]], order: list[int]) -> set[frozenset[int]]:
    return {frozenset(order[i] for i in g) for g in groups}


def test_same_words_different_people_split_same_people_join() -> None:
    items = [
        item(JACKSON, {"p:jackson"}),
        item({**JACKSON, "pittsburgh": 1.0}, {"p:jackson"}),
        item(WILLIAMS, {"p:william"}),
        item({**WILLIAMS, "bentley": 1.0}, {"p:william"}),
        item(DAM),
    ]
    assert storybatch.cluster(items) == [[0, 1], [2, 3], [4]]


def test_without_argument_conflicts_the_two_arrests_are_one_group(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "STORY_ARG_PERSON_PENALTY", 1.0)
    items = [item(JACKSON, {"p:jackson"}), item(WILLIAMS, {"p:william"})]
    assert storybatch.cluster(items) == [[0, 1]]


def test_grouping_does_not_depend_on_order() -> None:
    items = [
        item(JACKSON, {"p:jackson", "tuesday"}),
        item({**JACKSON, "san": 1.0}, {"p:jackson"}),
        item(WILLIAMS, {"p:william", "sunday"}),
        item({**WILLIAMS, "lineman": 1.0}, {"p:william", "sunday"}),
        item(DAM, {"g:orlen"}),
        item({**DAM, "rain": 1.0}, {"g:orlen"}),
    ]
    expected = partition(storybatch.cluster(items), list(range(len(items))))
    for seed in range(5):
        order = random.Random(seed).sample(range(len(items)), len(items))
        assert partition(storybatch.cluster([items[i] for i in order]), order) == expected


def test_dates_far_apart_lower_the_pair_unknown_is_neutral() -> None:
    items = [item(DAM, day=date(2024, 3, 1)), item(DAM, day=date(2024, 9, 1)), item(DAM)]
    sim = storybatch.similarity(items)
    months = (date(2024, 9, 1) - date(2024, 3, 1)).days - defaults.STORY_TIME_WINDOW_DAYS
    assert sim[0, 2] == pytest.approx(1.0)
    assert sim[0, 1] == pytest.approx(0.5 ** (months / defaults.STORY_TIME_HALF_LIFE_DAYS))
    assert sim[0, 1] < 0.05
    assert np.allclose(sim, sim.T)


def test_blocks_cover_the_batch_in_arrival_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "STORY_BATCH_BLOCK", 4)
    assert [list(b) for b in storybatch.blocks(10)] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert storybatch.blocks(0) == [] and storybatch.cluster([item(DAM)]) == [[0]]


def test_link_is_the_mean_pair_score_across_two_groups() -> None:
    jackson = [item(JACKSON, {"p:jackson"}), item({**JACKSON, "pittsburgh": 1.0}, {"p:jackson"})]
    williams = [item(WILLIAMS, {"p:william"})]
    sim = storybatch.similarity([*jackson, *williams])
    assert storybatch.link(jackson, williams) == pytest.approx((sim[0, 2] + sim[1, 2]) / 2)
    # The person conflict pulls two arrests of one kind below the cut; one event's reports stay above.
    same = storybatch.link(jackson[:1], jackson[1:])
    assert storybatch.link(jackson, williams) < defaults.STORY_THRESHOLD <= same
    assert storybatch.link(jackson, []) == 0.0


def _tight_group(words: dict[str, float], size: int) -> list[Item]:
    return [item({**words, f"own{i}": 0.3}) for i in range(size)]


def test_two_tight_sub_stories_of_one_kind_stay_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each group holds together far more tightly than the two link, though the link reaches the
    # threshold: two fights of one boxer, not one story.
    monkeypatch.setattr(defaults, "STORY_COHESION_MIN_SIZE", 5)
    items = _tight_group(JACKSON, 5) + _tight_group(WILLIAMS, 5)
    assert storybatch.link(items[:5], items[5:]) >= defaults.STORY_THRESHOLD
    assert storybatch.cluster(items) == [list(range(5)), list(range(5, 10))]
    monkeypatch.setattr(defaults, "STORY_COHESION_RATIO", 0.0)  # the check off: one group
    assert storybatch.cluster(items) == [list(range(10))]


def test_small_groups_are_not_held_apart_by_cohesion(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "STORY_COHESION_MIN_SIZE", 5)
    items = _tight_group(JACKSON, 4) + _tight_group(WILLIAMS, 5)
    assert storybatch.cluster(items) == [list(range(9))]


def test_lead_conflicts_match_the_profile_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "STORY_ARG_LEAD_PENALTY", 0.5)
    items = [
        item(JACKSON, {"l:klitschko", "l:rahman", "p:klitschko", "p:rahman"}),
        item(JACKSON, {"l:klitschko", "l:thompson", "p:klitschko", "p:thompson"}),
        item(JACKSON, {"l:klitschko", "p:klitschko", "p:rahman", "p:thompson"}),
    ]
    agree = storybatch._agreements(items)
    for i in range(3):
        for j in range(3):
            expected = storyargs.agreement(items[i].profile, items[j].profile)
            assert agree[i, j] == pytest.approx(expected)
    assert agree[0, 1] == pytest.approx(0.5) and agree[0, 2] == 1.0


def test_groups_whose_members_each_leave_a_sum_out_still_conflict(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two heists in one city: half of each side's reports give the sum stolen, and the sums
    # differ; pairwise most reports agree (one side names none), the two groups as wholes do not.
    monkeypatch.setattr(defaults, "STORY_GROUP_ARGS_MIN_SIZE", 4)
    monkeypatch.setattr(defaults, "STORY_ARG_COUNT_PENALTY", 0.6)
    heist = {"heist": 1.0, "jewel": 1.0, "paris": 1.0}

    def side(own: str, total: str) -> list[Item]:
        return [item({**heist, own: 3.5, f"{own}{i}": 0.3}, {total} if i < 2 else ()) for i in range(4)]

    items = side("winston", "q:eur=8") + side("vendome", "q:eur=6.5")
    assert storybatch.link(items[:4], items[4:]) >= defaults.STORY_THRESHOLD  # pairwise: one story
    assert storybatch.cluster(items) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert storybatch.group_link(items[:4], items[4:]) < defaults.STORY_THRESHOLD
    monkeypatch.setattr(defaults, "STORY_GROUP_ARGS_MIN_SIZE", 5)  # groups too small for the check
    assert storybatch.cluster(items) == [list(range(8))]


def test_cross_named_pairs_match_the_profile_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "STORY_ARG_PLACE_PENALTY", 0.5)
    monkeypatch.setattr(defaults, "STORY_ARG_CROSS_NAMES", True)
    items = [
        item(DAM, {"p:stockton", "g:commerce_street", "sunday"}),  # the town read as a person
        item(DAM, {"g:south_stockton", "tuesday"}),
        item(DAM, {"g:stockton"}),
        item(DAM, {"g:modesto", "p:nunez"}),
    ]
    agree = storybatch._agreements(items)
    for i in range(4):
        for j in range(4):
            expected = storyargs.agreement(items[i].profile, items[j].profile)
            assert agree[i, j] == pytest.approx(expected)
    assert agree[0, 1] > agree[0, 3]  # Stockton both sides; Modesto shares nothing


def test_reports_of_one_place_months_apart_stay_one_story(monkeypatch: pytest.MonkeyPatch) -> None:
    shooting = item({**DAM, "shooting": 2.0}, {"g:orlen"}, date(2024, 3, 1))
    trial = item({**DAM, "shooting": 2.0, "trial": 1.0}, {"g:orlen"}, date(2024, 7, 15))
    elsewhere = item({**DAM, "shooting": 2.0, "trial": 1.0}, {"g:marsden"}, date(2024, 7, 15))
    assert storybatch.cluster([shooting, trial]) == [[0, 1]]
    assert storybatch.cluster([shooting, elsewhere]) == [[0], [1]]  # no shared place: the gap decays
    monkeypatch.setattr(defaults, "STORY_LONG_RUNNING_KINDS", frozenset())
    assert storybatch.cluster([shooting, trial]) == [[0], [1]]  # every gap decays: 4 months on is apart


def test_a_shared_name_does_not_chain_reports_years_apart() -> None:
    first = item({**DAM, "shooting": 2.0}, {"g:orlen"}, date(2020, 3, 1))
    years_on = item({**DAM, "shooting": 2.0, "anniversary": 1.0}, {"g:orlen"}, date(2023, 9, 1))
    assert storybatch.cluster([first, years_on]) == [[0], [1]]  # STORY_LONG_RUNNING_HALF_LIFE_DAYS


@pytest.mark.parametrize("kinds", [frozenset(), frozenset({"place"}), frozenset({"person", "place"})])
def test_the_argument_lift_matches_the_profile_rule(monkeypatch: pytest.MonkeyPatch,
                                                   kinds: frozenset[str]) -> None:
    monkeypatch.setattr(defaults, "STORY_ARG_AGREE_CAP", 2.0)
    monkeypatch.setattr(defaults, "STORY_ARG_LIFT_KINDS", kinds)
    monkeypatch.setattr(defaults, "STORY_ARG_CROSS_NAMES", True)
    monkeypatch.setattr(defaults, "STORY_ARG_LIFT_MAX_DAYS", 3)
    friday = date(2021, 5, 7)
    items = [
        item(DAM, {"p:okafor", "g:brenton", "friday"}, friday),
        item(DAM, {"p:okafor", "g:brenton", "friday", "n:1987"}, date(2021, 5, 8)),
        item(DAM, {"p:okafor", "p:brenton", "friday"}, friday),  # the town read as a person
        item(DAM, {"g:brenton"}, friday),
        item(DAM, {"p:lindqvist", "g:brenton", "saturday"}, friday),
        item(DAM, {"p:okafor", "g:brenton", "friday"}),  # no date: unknown is no agreement
        item(DAM, {"p:okafor", "g:brenton", "friday"}, date(2021, 6, 7)),  # a month on
    ]
    agree = storybatch._agreements(items)
    for i in range(len(items)):
        for j in range(len(items)):
            close = storybasics.close_in_time(*[str(items[k].day) if items[k].day else None
                                               for k in (i, i, j, j)])
            expected = storyargs.agreement(items[i].profile, items[j].profile, close=close)
            assert agree[i, j] == pytest.approx(expected)
    assert agree.max() <= 2.0
    assert agree[0, 1] > 1.0  # victim, town and day shared a day apart: lifted under every choice of kinds
    assert (agree[0, 3] > 1.0) == ("person" not in kinds)  # the town alone
    assert agree[0, 4] < 1.0  # another victim, another day
    assert agree[0, 5] == 1.0 and agree[0, 6] == 1.0  # the same names, undated or a month apart


def test_halves_of_one_report_join_only_with_the_lift(monkeypatch: pytest.MonkeyPatch) -> None:
    # One shooting told in two halves: the shooting in one, the family's words in the other. The
    # wording is mostly apart; the victim and the town are the same.
    day, victim, stranger = date(2021, 5, 7), {"p:okafor", "g:brenton"}, {"p:lindqvist", "g:corliss"}
    shooting = item({"shot": 2.0, "gunfire": 1.0, "street": 1.0, "okafor": 1.0}, victim, day)
    family = item({"vigil": 2.0, "mother": 2.0, "church": 1.0, "okafor": 1.0}, victim, day)
    other = item({"shot": 0.5, "mall": 2.0, "guard": 2.0, "lindqvist": 1.0}, stranger, day)
    monkeypatch.setattr(defaults, "STORY_THRESHOLD", 0.14)
    monkeypatch.setattr(defaults, "STORY_ARG_LIFT_KINDS", frozenset({"person", "place"}))
    monkeypatch.setattr(defaults, "STORY_ARG_AGREE_CAP", 1.0)
    assert storybatch.cluster([shooting, family, other]) == [[0], [1], [2]]
    monkeypatch.setattr(defaults, "STORY_ARG_AGREE_CAP", 2.0)
    assert storybatch.cluster([shooting, family, other]) == [[0, 1], [2]]
    # Undated (ECB+'s two incidents of one topic share people and places): no lift.
    undated = [Item(it.vector, it.profile, None) for it in (shooting, family, other)]
    assert storybatch.cluster(undated) == [[0], [1], [2]]
