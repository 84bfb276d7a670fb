"""Plain claim sentences: the verb in the event's mode, event nouns worded with their verb, dates in
words, and what someone said as a fact with its attribution beside it."""

from __future__ import annotations

from newsfuse.fuse.claims.sentence import (
    attribution_of,
    cue_lemma,
    date_phrase,
    event_sentence,
    past,
    quote_sentence,
    verb_phrase,
)


def test_past_forms_of_regular_irregular_and_phrasal_verbs() -> None:
    assert [past(v) for v in ("allow", "strike", "try", "ban", "visit", "carry out", "evacuate")] == [
        "allowed", "struck", "tried", "banned", "visited", "carried out", "evacuated"]


def test_the_mode_is_grammar_not_a_label() -> None:
    assert verb_phrase("allow", "allow", "possible", False) == "may allow"
    assert verb_phrase("attack", "attacks", "planned", False) == "plans to attack"
    assert verb_phrase("lift", "lifted", "reported", False) == "reportedly lifted"
    assert verb_phrase("strike", "struck", "asserted", True) == "did not strike"
    assert verb_phrase("authorize", "authorized", "asserted", False) == "authorized"


def test_event_sentence_names_actor_object_place_and_own_time() -> None:
    text = event_sentence("Joe Biden", "allow", "allow", "reported", False,
                          "Ukraine to use long-range weapons", "Ukraine", "Kursk Region", None,
                          date_phrase("2024-11-17", None))
    assert text == ("Joe Biden reportedly allowed Ukraine to use long-range weapons in Kursk Region "
                    "on 17 November 2024")
    assert "ASSAULT" not in text and "(" not in text


def test_an_event_noun_without_a_verb_of_its_own_takes_a_light_verb() -> None:
    text = event_sentence("Emmanuel Macron", "summit", "summit", "asserted", False, "in Brazil", None, None,
                          None, "", noun=True, event_type="CONSULT")
    assert text == "Emmanuel Macron took part in a summit in Brazil"
    invasion = event_sentence("Russia", "invasion", "invasion", "asserted", False, "of Ukraine", None, None,
                              None, "", noun=True, event_type="ASSAULT")
    assert invasion == "Russia invaded Ukraine"
    support = event_sentence("Emmanuel Macron", "support", "support", "asserted", False, "for the decision",
                             None, None, None, "", noun=True, event_type="SUPPORT")
    assert support == "Emmanuel Macron expressed support for the decision"  # a mass noun takes no 'a'


def test_target_before_the_verb_is_the_subject_of_a_passive() -> None:
    text = event_sentence(None, "allow", "allowed", "possible", False, "to use American weapons",
                          "the military", None, None, "", target_first=True)
    assert text == "The military may be allowed to use American weapons"


def test_time_words_already_in_the_clause_are_not_repeated_as_a_date() -> None:
    text = event_sentence("Ukraine", "attack", "attacks", "planned", False, "in the coming days", None, None,
                          "in the coming days", date_phrase("2024-11-19", "2024-11-25"))
    assert text == "Ukraine plans to attack in the coming days"


def test_dates_in_words() -> None:
    assert date_phrase("2024-05-01", "2024-05-31") == "in May 2024"
    assert date_phrase("2024-01-01", "2024-12-31") == "in 2024"
    assert date_phrase("2024-11-19", "2024-11-25") == "between 2024-11-19 and 2024-11-25"
    assert date_phrase(None, None) == ""


def test_reported_speech_is_the_fact_and_the_speaker_stands_beside_it() -> None:
    fact, said = quote_sentence("that the dam would be rebuilt by spring", "Teodor Hallen", "said",
                                "reported")
    assert (fact, said) == ("The dam would be rebuilt by spring", "Teodor Hallen said")
    fact, said = quote_sentence("the water would reach the lower town", "Ana Rusk", "warning", "reported")
    assert said == "Ana Rusk warned"
    assert attribution_of("the Pentagon", "according to", "according_to") == "according to the Pentagon"


def test_a_cue_that_is_more_than_speech_stays_in_the_fact() -> None:
    fact, said = quote_sentence("that repairs had been postponed", "Ana Rusk", "denied", "reported")
    assert (fact, said) == ("Ana Rusk denied that repairs had been postponed", "")


def test_verbatim_words_keep_their_marks() -> None:
    fact, said = quote_sentence("We want answers.", "Kasimir Lode", "said", "direct")
    assert (fact, said) == ("“We want answers”", "Kasimir Lode said")


def test_cue_lemmas() -> None:
    assert [cue_lemma(c) for c in ("stating", "says", "has warned", "noted", "adding", "according to")] == [
        "state", "say", "warn", "note", "add", "according to"]


def test_possessive_pronouns_of_the_source_read_as_the_article() -> None:
    from newsfuse.fuse.claims.sentence import without_possessives

    assert without_possessives("its ban on Ukraine deploying") == "the ban on Ukraine deploying"
    assert without_possessives("Their efforts and his plan") == "the efforts and the plan"
    # 'his own' needs the pronoun; 'her' may be an object ('told her'); words holding 'its' are words.
    assert without_possessives("his own tax returns") == "his own tax returns"
    assert without_possessives("told her staff about visits") == "told her staff about visits"


def test_a_reported_he_is_the_speaker_named() -> None:
    from newsfuse.fuse.claims.sentence import quote_sentence

    fact, who = quote_sentence("he had hired a lawyer to look into the matter", "Anthony Weiner", "said",
                               "reported")
    assert (fact, who) == ("Anthony Weiner had hired a lawyer to look into the matter", "Anthony Weiner said")
    # 'it' is not the speaker; a described speaker is not put in as a subject.
    assert quote_sentence("it could lead to escalation", "Dmitry Peskov", "said", "reported")[0] == (
        "It could lead to escalation")
    assert quote_sentence("he would resign", "Tom Ash, the mayor of Kessel", "said", "reported")[0] == (
        "He would resign")


def test_two_actors_plan_in_the_plural() -> None:
    who = "Great Britain and the United States"
    text = event_sentence(who, "permission", "permission", "planned", False, "", None, None, None, "",
                          noun=True, event_type="CONCEDE")
    assert text == "Great Britain and the United States plan to permit"
