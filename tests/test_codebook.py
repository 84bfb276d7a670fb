"""The CAMEO codebook lexicon: word votes read from the codebook list, its neighbours, its triggers."""

from __future__ import annotations

import json

import pytest

from newsfuse import defaults
from newsfuse.analyze.events import codebook
from newsfuse.analyze.events import extract as events
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.errors import ConfigError


def _parse(text: str) -> ParsedDoc:
    from newsfuse.analyze.nlp import parse

    return parse(text)


def test_main_verbs_vote_for_their_codes_category() -> None:
    heads, objects, _ = codebook.table()
    assert codebook.top(heads["threaten"]) == ("THREATEN", True)
    assert codebook.top(heads["demand"]) == ("DEMAND", True)
    assert codebook.top(heads["investigate"]) == ("INVESTIGATE", True)
    # 'Impose embargo, boycott or sanctions' (163) is a COERCE in the CAMEO -> PLOVER map
    assert codebook.top(objects["embargo"])[0] == "COERCE"  # type: ignore[index]


def test_a_wrapped_act_does_not_vote_for_the_wrapper() -> None:
    # 'Threaten to boycott' (1312) says nothing of what a boycott is: the threat is the mode
    _, objects, _ = codebook.table()
    assert "THREATEN" not in objects.get("boycott", {})
    assert "AGREE" not in objects.get("aid", {})  # 'Express intent to provide aid' (033)


def test_statements_have_no_category() -> None:
    assert all(not text.startswith("make statement") for _, text, _ in codebook.descriptions())
    heads, _, _ = codebook.table()
    assert "comment" not in heads  # 'Decline comment' is root 01: no PLOVER category


def test_features_name_the_votes_and_the_neighbour() -> None:
    assert {"cbh=THREATEN", "cbh!=THREATEN"} <= set(codebook.features("threaten", "cb"))
    _, _, near = codebook.table()
    word, (category, cosine, _, _) = next(iter(near.items()))
    feats = codebook.features(word, "cb")
    assert f"cbn0.5={category}" in feats
    assert (f"cbn0.8={category}" in feats) == (cosine >= 0.8)
    assert codebook.features("zzzz", "cb") == []


def test_neighbours_are_words_the_codebook_does_not_name() -> None:
    heads, objects, near = codebook.table()
    assert near and not (set(near) & (set(heads) | set(objects)))
    assert all(0.5 <= cosine <= 1.0 for _, cosine, _, _ in near.values())
    # a verb takes a neighbour's category only from a description's main verb ('kidnap' -> 'abduct')
    close = defaults.EVENT_CODEBOOK_NEAR
    verbs = [w for w, (_, cosine, n, pos) in near.items() if pos == "VERB" and n in heads and cosine >= close]
    assert verbs and all(codebook.verb_type(w) is not None for w in verbs)
    inside = [w for w, (_, _, n, pos) in near.items() if n not in heads]
    assert inside and all(codebook.verb_type(w) is None for w in inside)


def test_verb_and_noun_types() -> None:
    assert codebook.verb_type("threaten") == ("THREATEN", False)
    assert codebook.verb_type("zzzz") is None
    assert codebook.noun_type("embargo") is None or codebook.noun_type("embargo") == "COERCE"
    assert codebook.noun_type("zzzz") is None


@pytest.mark.slow
def test_the_shipped_table_is_what_the_codebook_list_gives() -> None:
    # the votes are rebuilt from newsfuse/data/cameo/event_codes.tsv; the neighbours need the
    # sentence encoder and a news vocabulary (bench/train_events.py --codebook) and are not redone
    shipped = json.loads(codebook.TABLE_PATH.read_text(encoding="utf-8"))
    rebuilt = codebook.build()
    assert shipped["heads"] == rebuilt["heads"]
    assert shipped["objects"] == rebuilt["objects"]


@pytest.mark.slow
def test_codebook_lexicon_finds_triggers_without_the_hand_lexicon() -> None:
    doc = _parse("The rebels threatened to attack the capital.")
    found = events.find_events(doc, "a1", [], [], [], lexicon_only=True, lexicon="codebook")
    assert "threaten" in {e.trigger for e in found}
    threat = next(e for e in found if e.trigger == "threaten")
    assert threat.type == "THREATEN" and threat.source == "rebels"


@pytest.mark.slow
def test_an_unknown_lexicon_is_refused() -> None:
    with pytest.raises(ConfigError, match="use one of"):
        events.find_events(_parse("Rebels attacked."), "a1", [], [], [], lexicon="mine")


@pytest.mark.slow
def test_the_codebook_finds_what_the_hand_lexicon_does_not_name() -> None:
    # 'obstruct' is in no hand list; the codebook's 'Obstruct passage, block' (144) is a PROTEST
    doc = _parse("Farmers obstructed the main highway near Tarvo.")
    assert events.find_events(doc, "a1", [], [], [], lexicon_only=True, lexicon="hand") == []
    found = events.find_events(doc, "a1", [], [], [], lexicon_only=True, lexicon="hand+codebook")
    assert [(e.trigger, e.type, e.source) for e in found] == [("obstruct", "PROTEST", "Farmers")]
    assert found[0].confidence <= defaults.EVENT_CONF_CODEBOOK


@pytest.mark.slow
def test_the_codebook_is_asked_about_the_words_the_hand_lexicon_leaves_alone() -> None:
    # the hand lexicon names 'attacked' and not 'obstructed': the codebook types the other verb of
    # the sentence too, and stays less sure of it
    both = _parse("Rebels attacked the town and obstructed the road.")
    found = events.find_events(both, "a1", [], [], [], lexicon_only=True, lexicon="hand+codebook")
    assert {(e.trigger, e.type) for e in found} == {("attack", "ASSAULT"), ("obstruct", "PROTEST")}
    sure = {e.trigger: e.confidence for e in found}
    assert sure["obstruct"] < sure["attack"]


@pytest.mark.slow
def test_the_codebook_reads_no_event_in_an_idiom() -> None:
    doc = _parse("The old dam gave way after the storm.")
    assert events.find_events(doc, "a1", [], [], [], lexicon_only=True, lexicon="hand+codebook") == []
