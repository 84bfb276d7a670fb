"""Argument agreement for story grouping (fuse/storyargs.py) on tiny term sets of our own."""

from __future__ import annotations

import pytest

from newsfuse import defaults
from newsfuse.fuse import storyargs, textsim
from newsfuse.fuse.storyargs import Profile
from newsfuse.models import Mention


def profile(*members: set[str]) -> Profile:
    out = Profile()
    for terms in members:
        out.add_terms(terms)
    return out


def test_kinds_of_terms() -> None:
    assert storyargs.kind_of("p:reye") == storyargs.PERSON_KIND
    assert storyargs.kind_of("g:marsden") == storyargs.PLACE_KIND
    assert storyargs.kind_of("n:2013") == storyargs.YEAR_KIND
    assert storyargs.kind_of("n:26") == storyargs.FIGURE_KIND
    assert storyargs.kind_of("n:4") is None  # a clock time or a day of the month, not a figure
    assert storyargs.kind_of("saturday") == storyargs.WEEKDAY_KIND
    assert storyargs.kind_of("e:reye") is None and storyargs.kind_of("pirate") is None


def test_different_people_named_is_a_conflict() -> None:
    jackson, williams = profile({"p:jackson", "tuesday"}), profile({"p:william", "tuesday"})
    factor = storyargs.agreement(jackson, williams)
    assert factor == pytest.approx(defaults.STORY_ARG_PERSON_PENALTY * defaults.STORY_ARG_OTHER_AGREE)
    assert factor < 1.0
    assert storyargs.agreement(jackson, profile({"p:jackson", "tuesday"})) == 1.0


def test_silence_is_neutral() -> None:
    assert storyargs.agreement(profile({"p:jackson"}), profile({"g:marsden", "pirate"})) == 1.0


def test_shared_place_offsets_a_different_person() -> None:
    a, b = profile({"p:spagnolo", "g:waterbury"}), profile({"p:malone", "g:waterbury"})
    c = profile({"p:malone", "g:corliss"})
    assert storyargs.agreement(a, b) > storyargs.agreement(a, c)


def test_a_stray_member_does_not_vouch_for_the_story() -> None:
    # 1 of 12 members names the article's person: below STORY_ARG_MIN_SHARE, still a conflict.
    story = profile(*([{"p:jackson"}] * 11 + [{"p:william"}]))
    assert story.size == 12 and story.kinds["person"]["p:jackson"] == 11
    assert storyargs.agreement(profile({"p:william"}), story) < 1.0
    assert storyargs.agreement(profile({"p:jackson"}), story) == 1.0


def test_profiles_add_up_on_merge() -> None:
    merged = profile({"p:a"}).add(profile({"p:a", "p:b"}))
    assert merged.size == 2 and merged.kinds["person"] == {"p:a": 2, "p:b": 1}


def test_count_terms_types_analysed_names() -> None:
    text = "Chief Alma Reyes spoke in Marsden."
    mentions = [
        Mention(id="m1", article_id="a", start=6, end=16, text="Alma Reyes", label="PERSON",
                kind="name", entity_key="Alma Reyes"),
        Mention(id="m2", article_id="a", start=26, end=33, text="Marsden", label="GPE",
                kind="name", entity_key="Marsden"),
    ]
    counts = textsim.count_terms(text, mentions)
    assert {"p:reye", "g:marsden"} <= set(counts)
    vec = textsim.weigh(counts, {}, 10)
    assert "p:reye" not in vec and "e:reye" in vec  # argument terms are not part of the vector
