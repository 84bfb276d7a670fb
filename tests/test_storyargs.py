"""Argument agreement for story grouping (fuse/stories/args.py) on tiny term sets of our own."""

from __future__ import annotations

import pytest

from newsfuse import defaults
from newsfuse.fuse.stories import args as storyargs
from newsfuse.fuse.stories import textsim
from newsfuse.fuse.stories.args import Profile
from newsfuse.models import Amount, Mention


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


def _amount(text: str, value: float, unit: str | None = None, counted: str | None = None) -> Amount:
    return Amount(id="q", article_id="a", start=0, end=len(text), text=text, value=value, unit=unit,
                  counted=counted)


def test_figure_terms_name_what_they_count() -> None:
    assert textsim.figure_term(_amount("23 pirates", 23, counted="pirates")) == "q:pirate=23"
    # Money: one currency, compared on a log scale, so near sums agree and far ones differ.
    near = textsim.figure_term(_amount("$108 million", 108e6, "USD"))
    assert near == textsim.figure_term(_amount("$137 million", 137e6, "USD")) == "q:usd=8"
    assert textsim.figure_term(_amount("2 million euros", 2e6, "EUR")) == "q:eur=6.5"


def test_running_counts_and_small_counts_are_no_argument() -> None:
    # News revises tolls and evacuations within one story: a new value is no new event.
    assert textsim.figure_term(_amount("4,500 evacuated", 4500, counted="people evacuated")) == ""
    assert textsim.figure_term(_amount("10 dead", 10, counted="dead")) == ""
    assert textsim.figure_term(_amount("four robbers", 4, counted="robbers")) == ""
    assert textsim.figure_term(_amount("12 km", 12, "km")) == ""  # a distance, no counted thing


def test_different_counts_of_one_thing_conflict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "STORY_ARG_COUNT_PENALTY", 0.5)
    a, b = profile({"q:pirate=23"}), profile({"q:pirate=26"})
    assert storyargs.kind_of("q:pirate=23") == "count:pirate"
    assert storyargs.agreement(a, b) == pytest.approx(0.5)
    assert storyargs.agreement(a, profile({"q:ship=26"})) == 1.0  # different things counted


def test_lead_terms_are_the_people_of_the_first_sentence_and_headline() -> None:
    text = "Klitschko stopped Rahman. Referee Weeks waved it off."
    mentions = [
        Mention(id=f"m{i}", article_id="a", start=text.index(name), end=text.index(name) + len(name),
                text=name, label="PERSON", kind="name", entity_key=name)
        for i, name in enumerate(["Klitschko", "Rahman", "Weeks"])
    ]
    counts = textsim.count_terms(text, mentions, lead_end=text.index(".") + 1)
    assert {t for t in counts if t.startswith("l:")} == {"l:klitschko", "l:rahman"}
    titled = textsim.count_terms(text, mentions, lead_end=0, headline="Weeks in the ring")
    assert {t for t in titled if t.startswith("l:")} == {"l:week"}


def test_lead_conflict_needs_a_new_protagonist_on_both_sides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "STORY_ARG_LEAD_PENALTY", 0.5)
    rahman = profile({"l:klitschko", "l:rahman", "p:klitschko", "p:rahman"})
    thompson = profile({"l:klitschko", "l:thompson", "p:klitschko", "p:thompson"})
    assert storyargs.lead_conflict(rahman, thompson)
    assert storyargs.agreement(rahman, thompson) == pytest.approx(0.5)  # shared Klitschko: no offset
    # A report that names Rahman further down is about the same fight.
    aside = profile({"l:klitschko", "l:thompson", "p:klitschko", "p:thompson", "p:rahman"})
    assert not storyargs.lead_conflict(rahman, aside)


def test_a_headline_word_read_as_a_person_is_no_argument() -> None:
    text = "Jewellery Stolen\nThieves have stolen jewellery from a store run by Harry Winston."
    mentions = [
        Mention(id=f"m{i}", article_id="a", start=text.index(name), end=text.index(name) + len(name),
                text=name, label="PERSON", kind="name", entity_key=name)
        for i, name in enumerate(["Jewellery Stolen", "Harry Winston"])
    ]
    counts = textsim.count_terms(text, mentions, lead_end=text.index(".") + 1)
    # 'stolen' is written in lower case too: a verb of the headline, not a surname.
    assert {t for t in counts if t[:2] in ("p:", "l:")} == {"p:winston", "l:winston"}
    assert "e:stolen" in counts  # still an entity word of the vector, as before


def test_groups_are_compared_on_what_was_counted_not_on_weekdays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "STORY_ARG_COUNT_PENALTY", 0.6)
    monkeypatch.setattr(defaults, "STORY_ARG_WEEKDAY_PENALTY", 0.5)
    friday = profile({"friday", "g:orlen"}, {"saturday"})
    tuesday = profile({"tuesday", "g:orlen"}, {"tuesday"})
    assert storyargs.agreement(friday, tuesday) < 1.0  # the days differ ...
    assert storyargs.group_agreement(friday, tuesday) == 1.0  # ... as in any story of many days
    sums = profile({"q:eur=8"}, set()), profile({"q:eur=6.5"}, set())
    assert storyargs.group_agreement(*sums) == pytest.approx(0.6)


def test_a_town_read_as_a_person_in_one_report_is_a_shared_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "STORY_ARG_PLACE_PENALTY", 0.5)
    monkeypatch.setattr(defaults, "STORY_ARG_PLACE_AGREE", 1.5)
    monkeypatch.setattr(defaults, "STORY_ARG_WEEKDAY_PENALTY", 0.5)
    # 'Stockton Police' tagged a person; 'South Stockton' a place in the other report.
    first = profile({"p:stockton", "g:commerce_street", "sunday"})
    second = profile({"g:south_stockton", "tuesday"})
    assert storyargs.cross_named(first, second) and storyargs.cross_named(second, first)
    assert storyargs.agreement(first, second) == pytest.approx(0.75)  # weekdays 0.5 x place 1.5
    monkeypatch.setattr(defaults, "STORY_ARG_CROSS_NAMES", False)
    assert storyargs.agreement(first, second) == pytest.approx(0.25)  # place conflict, weekdays
    # A surname that is no word of any place the other side names crosses nothing.
    assert not storyargs.cross_named(profile({"p:nunez"}), second)


def test_a_shared_place_or_person_makes_one_long_running_story(monkeypatch: pytest.MonkeyPatch) -> None:
    shooting, trial = profile({"g:waterbury", "p:spagnolo"}), profile({"g:waterbury", "p:malone"})
    assert storyargs.long_running(shooting, trial)
    assert storyargs.long_running(shooting, profile({"g:corliss", "p:spagnolo"}))
    assert not storyargs.long_running(shooting, profile({"g:corliss", "p:malone"}))
    assert not storyargs.long_running(shooting, profile({"saturday"}))  # silence is no evidence
    monkeypatch.setattr(defaults, "STORY_LONG_RUNNING_KINDS", frozenset())
    assert not storyargs.long_running(shooting, trial)


def test_sharing_every_lift_kind_lifts_the_agreement(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "STORY_ARG_AGREE_CAP", 2.0)
    monkeypatch.setattr(defaults, "STORY_ARG_LIFT_KINDS", frozenset({"person", "place"}))
    victim_town = profile({"p:okafor", "g:brenton", "friday"})
    weights = defaults.STORY_ARG_PERSON_AGREE * defaults.STORY_ARG_PLACE_AGREE
    weights *= defaults.STORY_ARG_OTHER_AGREE
    same = profile({"p:okafor", "g:brenton", "friday"})
    lifted = storyargs.agreement(victim_town, same, close=True)
    assert lifted == pytest.approx(min(2.0, weights)) and weights > 1.0
    # Dates unknown or apart: no lift (two incidents of one kind share people and places).
    assert storyargs.agreement(victim_town, same) == 1.0
    assert storyargs.agreement(victim_town, profile({"g:brenton", "friday"}), close=True) == 1.0  # no person
    assert storyargs.agreement(victim_town, profile({"p:lindqvist", "g:brenton"}), close=True) < 1.0
    # The groups' check never lifts: it only refuses merges.
    assert storyargs.group_agreement(victim_town, profile({"p:okafor", "g:brenton"})) == 1.0
    monkeypatch.setattr(defaults, "STORY_ARG_AGREE_CAP", 1.0)
    assert storyargs.agreement(victim_town, same, close=True) == 1.0


def test_may_lift_only_groups_naming_a_person_and_a_place_in_common(monkeypatch: pytest.MonkeyPatch) -> None:
    # A bound may leave the lift out for groups no pair of whose members can share a person and a
    # place: whatever agreement() lifts, may_lift must allow (it reads the summed terms, any share).
    monkeypatch.setattr(defaults, "STORY_ARG_AGREE_CAP", 2.0)
    story = profile({"p:okafor", "g:tilbury"}, {"p:okafor"}, {"g:tilbury"}, {"pirate"})
    lifted = profile({"p:okafor", "g:tilbury"})
    assert storyargs.agreement(lifted, story, close=True) > 1.0 and storyargs.may_lift(lifted, story)
    assert not storyargs.may_lift(profile({"p:okafor", "g:dover"}), story)
    assert not storyargs.may_lift(profile({"p:lindqvist", "g:tilbury"}), story)
    # a surname read as a place on the other side counts as the place in common
    crossed = profile({"p:okafor", "p:tilbury"})
    assert storyargs.may_lift(crossed, story) and storyargs.may_lift(story, crossed)
    monkeypatch.setattr(defaults, "STORY_ARG_CROSS_NAMES", False)
    assert not storyargs.may_lift(crossed, story)
