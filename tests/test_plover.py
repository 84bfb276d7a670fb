"""PLOVER categories: CAMEO map, coding convention, lexicon lookups and the country gazetteer."""

from __future__ import annotations

import pytest

from newsfuse.analyze.events import plover
from newsfuse.errors import ConfigError


def test_every_type_has_a_two_digit_cameo_root() -> None:
    for t in plover.TYPES:
        code = plover.cameo_root(t)
        assert len(code) == 2 and code.isdigit()
        assert 1 <= int(code) <= 20


def test_cameo_roots_of_violence_and_protest() -> None:
    assert plover.cameo_root("ASSAULT") == "18"
    assert plover.cameo_root("FIGHT") == "19"
    assert plover.cameo_root("protest") == "14"  # case does not matter


def test_plover_08_names_are_read() -> None:
    assert plover.cameo_root("REQUEST") == plover.cameo_root("DEMAND") == "10"
    assert plover.cameo_root("ACCUSE") == "11"


def test_unknown_type_says_what_to_use() -> None:
    with pytest.raises(ConfigError, match="use one of"):
        plover.cameo_root("ENGAGE")


def test_cameo_code_to_plover_prefers_specific_rules() -> None:
    assert plover.plover_type("0831") == "CONCEDE"
    assert plover.plover_type("084") == "RETREAT"  # root 08 is CONCEDE, 084 release is RETREAT
    assert plover.plover_type("163") == "COERCE"  # embargo under root 16
    assert plover.plover_type("1712") == "ASSAULT"
    assert plover.plover_type("190") == "FIGHT"
    with pytest.raises(ConfigError):
        plover.plover_type("99")


def test_round_trip_through_cameo() -> None:
    for t in plover.TYPES:
        if t != "RETREAT":  # shares root 08 with CONCEDE
            assert plover.plover_type(plover.cameo_root(t)) == t


def test_coded_type_turns_intent_into_agree_or_threaten() -> None:
    assert plover.coded_type("AID", "planned") == "AGREE"
    assert plover.coded_type("ASSAULT", "planned") == "THREATEN"
    assert plover.coded_type("SANCTION", "conditional") == "THREATEN"
    assert plover.coded_type("CONCEDE", "denied", negated=True) == "REJECT"
    assert plover.coded_type("ASSAULT", "asserted") == "ASSAULT"
    assert plover.coded_type("DEMAND", "possible") == "DEMAND"


def test_lexicon_types_are_all_plover_types() -> None:
    for table in (plover.VERBS, plover.GENERIC_VERBS, plover.NOUNS):
        assert set(table.values()) <= set(plover.TYPES)
    assert set(plover.PHRASAL.values()) | set(plover.VERB_OBJECT.values()) <= set(plover.TYPES)


def test_verb_lookup_with_particle_and_object() -> None:
    assert plover.verb_type("authorize") == ("CONCEDE", False)
    assert plover.verb_type("blow", "up") == ("COERCE", False)
    assert plover.verb_type("lift", obj="blockade") == ("RETREAT", False)
    assert plover.verb_type("lift", obj="ban") == ("CONCEDE", False)
    assert plover.verb_type("give") == ("AID", True)  # generic: often, not always, aid
    assert plover.verb_type("say") is None


def test_noun_lookup_with_compound() -> None:
    assert plover.noun_type("strike") == "ASSAULT"
    assert plover.noun_type("strike", "hunger") == "PROTEST"
    assert plover.noun_type("table") is None


def test_a_word_is_read_through_its_listed_derived_form(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plover, "VERBS", {"withdraw": "RETREAT", "invade": "FIGHT"})
    monkeypatch.setattr(plover, "NOUNS", {"mediation": "CONSULT", "hearing": "INVESTIGATE"})
    assert plover.derived_type("withdrawal", noun=True) == "RETREAT"
    assert plover.derived_type("invasion", noun=True) == "FIGHT"
    assert plover.derived_type("mediate", noun=False) == "CONSULT"
    assert plover.derived_type("hear", noun=False) is None  # an '-ing' noun names a thing of its own
    assert plover.derived_type("table", noun=True) is None
    assert plover.derived_type("invade", noun=False) is None  # a verb is read through nouns only


def test_derived_forms_follow_the_lexicon_when_it_is_swapped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plover, "VERBS", {"suspend": "SANCTION"})
    assert plover.derived_type("suspension", noun=True) == "SANCTION"
    monkeypatch.setattr(plover, "VERBS", {})  # bench/events.py's word-out swaps the tables
    assert plover.derived_type("suspension", noun=True) is None


@pytest.mark.parametrize(
    ("actor", "code"),
    [
        ("U.S. official", "USA"),
        ("Israeli army", "ISR"),
        ("the Kremlin", "RUS"),
        ("Sri Lanka's government", "LKA"),
        ("NATO", "IGO"),
        ("troops in Russia.", "RUS"),
        ("Joe Biden", None),
    ],
)
def test_country_codes(actor: str, code: str | None) -> None:
    assert plover.country_code(actor) == code
