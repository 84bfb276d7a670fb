"""Untyped events: clauses and event nouns no PLOVER word names (analyze/events/nominal.py)."""

from __future__ import annotations

import json
from pathlib import Path

from newsfuse.analyze.events import extract as events
from newsfuse.analyze.events import nominal
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.models import Event

ROOT = Path(__file__).resolve().parent.parent


def _parse(text: str) -> ParsedDoc:
    from newsfuse.analyze.nlp import parse

    return parse(text)


def _untyped(text: str) -> list[Event]:
    doc = _parse(text)
    typed = events.find_events(doc, "a1", [], [], [])
    return nominal.find_untyped(doc, "a1", [], [], [], typed)


def _one(found: list[Event], trigger: str) -> Event:
    hits = [e for e in found if e.trigger == trigger]
    assert len(hits) == 1, [(e.trigger, e.source, e.target) for e in found]
    return hits[0]


def test_an_untyped_verb_keeps_its_actor_and_negation() -> None:
    e = _one(_untyped("Senator Sestak could not serve on the advisory board."), "serve")
    assert e.type == nominal.UNTYPED
    assert e.source == "Senator Sestak"
    assert e.negated and e.mode == "denied"


def test_an_event_noun_made_by_someone_is_their_act() -> None:
    # a light verb in the passive: the by-agent is who made the offer, the noun is no target
    e = _one(_untyped("The offer was made by chief of staff Rahm Emanuel last spring."), "offer")
    assert e.source is not None and "Rahm Emanuel" in e.source
    assert e.target is None


def test_a_noun_with_an_of_phrase_is_an_event_its_clause_names() -> None:
    found = _untyped("The agency conducted a review of applications from groups with the word patriot.")
    assert "review" in {e.trigger for e in found}


def test_words_a_typed_event_stands_on_are_left_to_it() -> None:
    text = "Russian forces attacked the city of Kharkiv on Monday."
    doc = _parse(text)
    typed = events.find_events(doc, "a1", [], [], [])
    assert any(e.trigger == "attack" for e in typed)
    assert all(e.trigger != "attack" for e in nominal.find_untyped(doc, "a1", [], [], [], typed))


def test_speech_copulas_and_frames_state_no_untyped_act() -> None:
    found = {e.trigger for e in _untyped("The minister said the plan was to try to win the vote.")}
    assert not found & {"say", "be", "try"}


def test_a_clause_naming_nothing_is_no_event() -> None:
    assert _untyped("It continued.") == []


def test_the_word_lists_are_learned_from_ecb_train_only() -> None:
    data = json.loads((ROOT / "newsfuse" / "data" / "nominal" / "words.json").read_text("utf-8"))
    assert "ECB+ train" in data["source"]
    nouns, verbs = nominal.words()
    assert {"decision", "offer", "election"} <= nouns
    assert "be" in verbs and "serve" not in verbs


def test_a_passive_light_verb_never_makes_its_event_noun_the_target() -> None:
    # extract._target itself (the untyped hook no longer has anything to mend): the noun is the
    # light verb's passive subject, and what the offer went to is the target
    doc = _parse("An offer was made to Ukraine by the European Union last spring.")
    offer = next(t.i for t in doc.tokens if t.text == "offer")
    made = next(t.i for t in doc.tokens if t.text == "made")
    target = events._target(doc, events._Trigger(offer, made, "", 0.5, kind="noun"))
    assert target is not None and doc.tokens[target].text == "Ukraine"
    e = _one(_untyped("An offer was made to Ukraine by the European Union last spring."), "offer")
    assert (e.source, e.target) == ("European Union", "Ukraine")
