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
    # 'it' is not the speaker; a speaker with a description is the subject by its name alone, a
    # description with no name before it is not put in as a subject.
    assert quote_sentence("it could lead to escalation", "Dmitry Peskov", "said", "reported")[0] == (
        "It could lead to escalation")
    assert quote_sentence("he would resign", "Tom Ash, the mayor of Kessel", "said", "reported")[0] == (
        "Tom Ash would resign")
    assert quote_sentence("he would resign", "the mayor, a former judge", "said", "reported")[0] == (
        "He would resign")
    # 'his ...' is the speaker's; 'they' is a group speaker's, not a lone source's
    assert quote_sentence("his ministry would publish every report", "Teodor Hallen", "said",
                          "reported")[0] == "Teodor Hallen’s ministry would publish every report"
    assert quote_sentence("they expected to close the deal", "The companies", "said", "reported") == (
        "The companies expected to close the deal", "the companies said")
    assert quote_sentence("they may return home", "an unnamed source", "said", "reported")[0] == (
        "They may return home")


def test_attribution_reads_as_a_writer_puts_it() -> None:
    # a description closes with a comma, reads in lower case; 'told' needs its listener; a cited
    # source is what the fact is according to
    assert attribution_of("Petra Linn, an analyst at Castell Securities", "said", "reported") == (
        "Petra Linn, an analyst at Castell Securities, said")
    assert attribution_of("The official", "said", "reported") == "the official said"
    assert attribution_of("A company spokeswoman", "said", "reported") == "a company spokeswoman said"
    assert attribution_of("The Lowland Herald", "reported", "reported") == "The Lowland Herald reported"
    assert attribution_of("Ana Rusk", "told", "reported") == "Ana Rusk said"
    assert attribution_of("internal sources", "cites", "reported") == "according to internal sources"


def test_a_reported_statement_ends_where_the_speaker_does_something_else() -> None:
    # 'confirmed that X but gave no details', ', adding that ...': the speaker's next act is no part
    # of what was said; 'said X and that Y' reads 'X, and Y'
    fact, _ = quote_sentence("a section of the embankment had failed but gave no further details",
                             "Tarvan Hydro", "confirmed", "reported")
    assert fact == "A section of the embankment had failed"
    fact, _ = quote_sentence("the water could be contaminated and urged people not to drink it",
                             "Selin Dorva", "warned", "reported")
    assert fact == "The water could be contaminated"
    fact, _ = quote_sentence("the gates held and that there was no risk of a second breach",
                             "Teodor Hallen", "said", "reported")
    assert fact == "The gates held, and there was no risk of a second breach"
    fact, _ = quote_sentence("the dam held and that engineers were checking two others", "Teodor Hallen",
                             "said", "reported")
    assert fact == "The dam held, and engineers were checking two others"
    fact, _ = quote_sentence("the plan would work and that decision was final", "Teodor Hallen", "said",
                             "reported")  # 'that decision': a determiner, no complementiser
    assert fact == "The plan would work and that decision was final"


def test_quoted_words_keep_their_first_word_and_their_marks() -> None:
    said = quote_sentence("That is not a rescue plan. That is luck.", "Kasimir Lode", "said", "direct")[0]
    assert said == "“That is not a rescue plan. That is luck”"
    # a quote cut short is closed; an abbreviation keeps its point
    fact, _ = quote_sentence('the damage as "serious but contained', "Teodor Hallen", "described", "reported")
    assert fact == 'Teodor Hallen described the damage as "serious but contained"'
    fact, _ = quote_sentence("sirens sounded shortly before 4 a.m.", "the fire service", "according to",
                             "according_to")
    assert fact == "Sirens sounded shortly before 4 a.m."


def test_a_present_state_stays_present_and_a_plural_subject_agrees() -> None:
    assert event_sentence("Tarvan Hydro", "operate", "operates", "asserted", False, "the Orlen Dam", None,
                          None, None, "") == "Tarvan Hydro operates the Orlen Dam"
    # a noun's plural is no present: 'Russia's attacks on Kyiv'
    assert event_sentence("Russia", "attack", "attacks", "asserted", False, "on Kyiv", None, None, None, "",
                          noun=True, event_type="ASSAULT") == "Russia carried out an attack on Kyiv"
    assert event_sentence(None, "suspend", "suspended", "asserted", False, "for part of the morning",
                          "Solvik shares", None, None, "", target_first=True) == (
        "Solvik shares were suspended for part of the morning")


def test_a_light_verb_in_the_passive_is_worded_with_its_doer_as_subject() -> None:
    made = "was made by chief of staff Rahm Emanuel last spring"
    assert event_sentence("Rahm Emanuel", "offer", "offer", "asserted", False, made, None, None, None, "",
                          noun=True) == "Rahm Emanuel made an offer last spring"
    assert event_sentence(None, "offer", "offer", "asserted", False, made, None, None, None, "",
                          noun=True) == "An offer was made by chief of staff Rahm Emanuel last spring"
    assert event_sentence("rebels", "raid", "raid", "asserted", False, "were carried out by rebels", None,
                          None, None, "", noun=True) == "Rebels carried out a raid"


def test_two_actors_plan_in_the_plural() -> None:
    who = "Great Britain and the United States"
    text = event_sentence(who, "permission", "permission", "planned", False, "", None, None, None, "",
                          noun=True, event_type="CONCEDE")
    assert text == "Great Britain and the United States plan to permit"


def test_an_attribution_the_clause_ends_with_stands_beside_it_only() -> None:
    from newsfuse.fuse.claims.sentence import speaker_of, without_attribution

    fact = without_attribution("The death toll stands at two, according to MARNEWS", "according to MARNEWS")
    assert fact == "The death toll stands at two"
    assert without_attribution("About 12,000 homes were without power, the national grid operator said",
                               "the national grid operator said") == "About 12,000 homes were without power"
    # another speaker's words stay
    assert without_attribution("The toll stands at two, the army said", "according to MARNEWS") == (
        "The toll stands at two, the army said")
    assert speaker_of("Petra Linn, an analyst, said") == "Petra Linn, an analyst"
    assert speaker_of("according to the Pentagon") == "the Pentagon"


def test_a_light_verb_keeps_the_noun_phrase_as_written() -> None:
    from newsfuse.fuse.claims.text import noun_phrase

    text = "Macron left to attend the G20 summit in Brazil. Russia launched another massive Russian attack."
    at = text.index("summit")
    phrase = noun_phrase(text, 0, at, at + len("summit"))
    assert phrase == "the G20 summit"
    assert event_sentence("Emmanuel Macron", "summit", "summit", "asserted", False, "in Brazil", None, None,
                          None, "", noun=True, event_type="CONSULT", phrase=phrase) == (
        "Emmanuel Macron took part in the G20 summit in Brazil")
    at = text.index("attack")
    phrase = noun_phrase(text, text.index("Russia"), at, at + len("attack"))
    assert phrase == "another massive Russian attack"
    assert event_sentence("Russia", "attack", "attack", "asserted", False, "", None, None, None, "",
                          noun=True, event_type="ASSAULT", phrase=phrase) == (
        "Russia carried out another massive attack")
    # no determiner before it within reach, or a possessor: the noun is worded bare
    text = "Officials said Russia's attack on Kyiv failed."
    at = text.index("attack")
    assert noun_phrase(text, 0, at, at + len("attack")) == ""
    # a hearing is held, not 'heard into'
    assert event_sentence("The committee", "hearing", "hearing", "planned", False, "into the breach", None,
                          None, None, "", noun=True, event_type="CONSULT", phrase="its first hearing") == (
        "The committee plans to hold the first hearing into the breach")


def test_a_negated_frame_is_kept_as_written() -> None:
    # 'is not ready to negotiate' is no 'did not negotiate': the negation is the frame's
    from newsfuse.fuse.claims.text import negated_frame

    text = 'Macron said Putin "does not want peace and is not ready to negotiate".'
    frame = negated_frame(text, 0, text.index("negotiate"))
    assert frame == "is not ready to"
    said = event_sentence("Vladimir Putin", "negotiate", "negotiate", "denied", True, "", None, None, None,
                          "", frame=frame)
    assert said == "Vladimir Putin is not ready to negotiate"
    assert negated_frame("Russia did not attack Kyiv.", 0, len("Russia did not ")) == ""
    assert event_sentence("Russia", "attack", "attack", "denied", True, "Kyiv", None, None, None, "") == (
        "Russia did not attack Kyiv")


def test_it_said_by_an_organisation_is_the_organisation() -> None:
    # 'Tarvan Hydro said it would publish ...': 'it' stands for the company, not for a person's topic
    fact, _ = quote_sentence("it would publish its own review", "Tarvan Hydro", "said", "reported", body=True)
    assert fact == "Tarvan Hydro would publish its own review"
    assert quote_sentence("its engineers had found no fault", "Tarvan Hydro", "said", "reported",
                          body=True)[0] == "Tarvan Hydro’s engineers had found no fault"
    # 'it' that is no one, and 'it' said by a person, stay
    assert quote_sentence("it was too early to say", "Tarvan Hydro", "said", "reported", body=True)[0] == (
        "It was too early to say")
    assert quote_sentence("it would cost millions", "Teodor Hallen", "said", "reported")[0] == (
        "It would cost millions")


def test_bodies_are_the_organisations_and_states_an_article_names() -> None:
    from newsfuse.fuse.claims.text import bodies
    from newsfuse.models import Mention

    def m(key: str, label: str, kind: str = "name") -> Mention:
        return Mention(f"m_{key}_{label}", "a", 0, 1, key, label, kind, key)

    found = bodies([m("Tarvan Hydro", "ORG"), m("Tarvan Hydro", "ORG"), m("Tarvan Hydro", "PERSON"),
                    m("Teodor Hallen", "PERSON"), m("it", "ORG", kind="pronoun"), m("Marovia", "GPE")])
    assert found == {"Tarvan Hydro", "Marovia"}
