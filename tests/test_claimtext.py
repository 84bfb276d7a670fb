"""Readable claim texts: clauses around figures, speakers, content words."""

from __future__ import annotations

from dataclasses import replace

from newsfuse.fuse.claims.text import actor, amount_clause, content_words, event_text, quote_text
from newsfuse.models import Article, Event, Quote


def _clause(text: str, figure: str) -> str:
    at = text.index(figure)
    return amount_clause(text, 0, len(text), at, at + len(figure))


def test_amount_clause_cuts_at_a_new_clause_not_inside_a_noun_phrase() -> None:
    text = ("At least two people were killed and about 1,800 residents were evacuated from Dunmere "
            "and the surrounding villages, according to the ministry.")
    evacuated = "about 1,800 residents were evacuated from Dunmere and the surrounding villages"
    assert _clause(text, "1,800") == evacuated
    assert _clause(text, "two") == "At least two people were killed"
    shops = "The chamber estimated that more than 300 shops and workshops had been damaged."
    assert _clause(shops, "300") == shops.rstrip(".")


def test_actor_prefers_the_entity_name_only_when_the_words_stand_for_it() -> None:
    emap = {("a", "k"): "e_k", ("a", "town"): "e_town"}
    names = {"e_k": "Mirela Kostan", "e_town": "Kessel"}
    assert actor("she", "k", "a", emap, names) == "Mirela Kostan"
    assert actor("Interior Minister Mirela", "k", "a", emap, names) == "Mirela Kostan"
    assert actor("the interior minister", "k", "a", emap, names) == "Mirela Kostan"
    hospital = "The regional hospital in Kessel"
    assert actor(hospital, "town", "a", emap, names) == hospital
    assert actor("he", None, "a", emap, names) is None


def test_quote_marks_only_around_words_quoted_verbatim() -> None:
    direct = Quote("q", "a", "direct", "\"We want answers.\"", 0, 10)
    reported = Quote("q", "a", "reported", "that help is coming", 0, 10)
    assert quote_text(direct, "Kasimir Lode") == "Kasimir Lode: “We want answers”"
    assert quote_text(reported, None) == "unnamed speaker: help is coming"
    assert content_words("the U.S. decision") == 2


def test_a_cue_that_is_more_than_speech_stays_in_the_label() -> None:
    described = Quote("q", "a", "mixed", "the damage as \"serious but contained\"", 0, 10, cue="described")
    denied = Quote("q", "a", "reported", "that repairs had been postponed", 0, 10, cue="denied")
    said = Quote("q", "a", "reported", "that help is coming", 0, 10, cue="has said")
    # 'Teodor Hallen: the damage as ...' would put the verb's object in his mouth.
    assert quote_text(described, "Teodor Hallen") == (
        "Teodor Hallen described the damage as \"serious but contained\"")
    assert quote_text(denied, "Ana Rusk") == "Ana Rusk denied that repairs had been postponed"
    assert quote_text(said, "Ana Rusk") == "Ana Rusk: help is coming"


def test_an_event_without_a_target_shows_what_its_verb_governs() -> None:
    text = ("The regulator declined to say whether it would open a review, a spokesman said. "
            "It paid 2.4 billion.")
    a = Article(id="a", text=text, outlet="One")
    at = text.index("declined")
    e = Event("e", "a", "decline", at, at + 8, 0, text.index(" It"), "REJECT", source="The regulator")
    assert event_text(a, e, {}, {}) == "REJECT: The regulator declined to say whether it would open a review"
    named = replace(e, target="the plan")
    assert event_text(a, named, {}, {}) == "REJECT: The regulator declined the plan"
    pay = text.index("paid")
    paid = Event("p", "a", "pay", pay, pay + 4, text.index("It"), len(text), "AID", source="It")
    assert event_text(a, paid, {}, {}) == "AID: paid 2.4 billion"


def _event(text: str, trigger: str, target: str, source: str | None = None) -> str:
    a = Article(id="a", text=text, outlet="One")
    at = text.index(trigger)
    e = Event("e", "a", trigger, at, at + len(trigger), 0, len(text), "ASSAULT", source=source, target=target)
    return event_text(a, e, {}, {}).removeprefix("ASSAULT: ")


def test_a_target_reached_through_a_preposition_keeps_its_phrase() -> None:
    assert _event("The rebels may launch missiles on Russian territory, officials said.", "launch", "Russian",
                  "The rebels") == "The rebels launch missiles on Russian territory"
    assert _event("The Kremlin criticized the U.S. decision on Monday.", "criticized", "U.S.",
                  "The Kremlin") == "The Kremlin criticized the U.S. decision"
    attack = _event("A Russian attack on Kyiv showed that talks had failed.", "attack", "Kyiv")
    assert attack == "attack on Kyiv"  # the next verb ends the phrase
    struck = _event("They struck Ukraine's power grid overnight.", "struck", "Ukraine")
    assert struck == "struck Ukraine's power grid"
    # the target right after the verb is named as its entity, nothing more
    assert _event("Russia struck Ukraine.", "struck", "Ukraine", "Russia") == "Russia struck Ukraine"
