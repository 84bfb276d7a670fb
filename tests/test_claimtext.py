"""Readable claim texts: clauses around figures, speakers, content words."""

from __future__ import annotations

import pytest

from newsfuse import defaults
from newsfuse.fuse.claims.statements import statements
from newsfuse.fuse.claims.text import actor, amount_clause, complement, content_words
from newsfuse.models import Analysis, Article, Event


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


def test_a_name_the_text_writes_with_its_article_keeps_it() -> None:
    emap, names = {("a", "Pentagon"): "e_p"}, {"e_p": "Pentagon"}
    assert actor("The Pentagon", "Pentagon", "a", emap, names) == "the Pentagon"
    assert actor("Pentagon", "Pentagon", "a", emap, names) == "Pentagon"
    assert actor("it", "Pentagon", "a", emap, names) == "Pentagon"


def test_a_description_by_a_word_of_the_name_reads_the_name_with_its_article() -> None:
    emap = {("a", "authority"): "e_a", ("a", "company"): "e_c", ("a", "aske"): "e_r"}
    names = {"e_a": "Marovian Competition Authority", "e_c": "Tarvan Hydro", "e_r": "Ruben Aske"}
    assert actor("the authority", "authority", "a", emap, names) == "the Marovian Competition Authority"
    assert actor("the company", "company", "a", emap, names) == "Tarvan Hydro"
    assert actor("the chamber’s president, Ruben Aske", "aske", "a", emap, names) == "Ruben Aske"


def test_an_event_actor_keeps_the_article_its_sentence_gives_it() -> None:
    from newsfuse.fuse.claims.text import definite

    text = "On Monday the Kremlin criticized the decision. Russia said nothing."
    at = text.index("criticized")
    assert definite("Kremlin", "Kremlin", text, 0, at) == "the Kremlin"
    at = text.index("said")
    assert definite("Russia", "Russia", text, text.index("Russia"), at) == "Russia"
    # a name other than the words written (an alias resolved) is left as it is
    assert definite("Vladimir Putin", "Kremlin", text, 0, text.index("criticized")) == "Vladimir Putin"


def test_content_words_skip_function_words() -> None:
    assert content_words("the U.S. decision") == 2


def _sentence(text: str, e: Event) -> str:
    """The claim sentence the statement of one event gets (the real path: statements -> sentence)."""
    a = Article(id="a", text=text, outlet="One")
    [s] = [s for s in statements(a, Analysis("a", events=(e,)), {}, set()) if s.kind == "event"]
    return s.label


def test_an_event_without_a_target_shows_what_its_verb_governs() -> None:
    text = ("The regulator declined to say whether it would open a review, a spokesman said. "
            "It paid 2.4 billion.")
    at = text.index("declined")
    e = Event("e", "a", "decline", at, at + 8, 0, text.index(" It"), "REJECT", source="The regulator")
    assert _sentence(text, e) == "The regulator declined to say whether it would open a review"
    pay = text.index("paid")
    paid = Event("p", "a", "pay", pay, pay + 4, text.index("It"), len(text), "AID", source="It")
    assert _sentence(text, paid) == "Paid 2.4 billion"  # a bare pronoun is never an actor


def _event(text: str, trigger: str, target: str, source: str | None = None, mode: str = "asserted") -> str:
    at = text.index(trigger)
    e = Event("e", "a", trigger, at, at + len(trigger), 0, len(text), "ASSAULT", source=source, target=target,
              mode=mode)
    return _sentence(text, e)


def test_a_target_reached_through_a_preposition_keeps_its_phrase() -> None:
    assert _event("The rebels may launch missiles on Russian territory, officials said.", "launch", "Russian",
                  "The rebels", "possible") == "The rebels may launch missiles on Russian territory"
    assert _event("The Kremlin criticized the U.S. decision on Monday.", "criticized", "U.S.",
                  "The Kremlin") == "The Kremlin criticized the U.S. decision on Monday"
    # An event named by a noun: its target's phrase, up to the next verb; with nobody to carry it
    # out, the act as its noun phrase reads
    attack = _event("A Russian attack on Kyiv showed that talks had failed.", "attack", "Kyiv")
    assert attack == "A Russian attack on Kyiv"
    assert _event("Russia struck Ukraine.", "struck", "Ukraine", "Russia") == "Russia struck Ukraine"


def test_a_bare_lemma_with_its_object_after_it_is_a_verb() -> None:
    from newsfuse.fuse.claims.text import nominal

    text = "He backed a plan to visit Russia in the campaign, meet Russian President Vladimir Putin and more."
    assert not nominal(text, text.index("meet"), "meet", "meet")
    text = "Ministers meet the press on Friday after the meet."
    assert not nominal(text, text.index("meet"), "meet", "meet")
    assert nominal(text, text.rindex("meet"), "meet", "meet")
    text = "A Russian attack on Kyiv showed that talks had failed; Russia's attack Tuesday was the largest."
    assert nominal(text, text.index("attack"), "attack", "attack")
    assert nominal(text, text.rindex("attack"), "attack", "attack")


def test_a_relative_clauses_verb_or_a_verb_with_its_adverb_is_no_noun() -> None:
    """'Guidelines was involved in an allow companies' came of reading these as event nouns."""
    from newsfuse.fuse.claims.text import nominal

    text = "Inconsistent guidelines that allow companies to shelter profits; economists who argue otherwise."
    assert not nominal(text, text.index("allow"), "allow", "allow")
    assert not nominal(text, text.index("argue"), "argue", "argue")
    text = "Companies and individuals complain bitterly that taxes are too high."
    assert not nominal(text, text.index("complain"), "complain", "complain")
    text = "He said that attack early Monday was planned."  # a demonstrative, a time word in -ly
    assert nominal(text, text.index("attack"), "attack", "attack")


def test_an_irregular_participle_is_a_verb_not_an_event_noun() -> None:
    from newsfuse.fuse.claims.text import nominal

    text = "The ceasefire was broken by shelling, and talks were taken up again; a break followed."
    assert not nominal(text, text.index("broken"), "broken", "break")
    assert not nominal(text, text.index("taken"), "taken", "take")
    assert nominal(text, text.index("break "), "break", "break")
    # a form in -s is a plural noun when a determiner opens its phrase and no object follows it
    text = "Ukraine plans to carry out its first long-range attacks in the coming days."
    assert nominal(text, text.index("attacks"), "attacks", "attack")
    text = "The army attacks the town; the army attacks Kyiv."
    assert not nominal(text, text.index("attacks"), "attacks", "attack")
    assert not nominal(text, text.rindex("attacks"), "attacks", "attack")


def _after(text: str, verb: str) -> str:
    at = text.index(verb) + len(verb)
    return complement(text, at, len(text))


def test_a_long_clause_is_cut_where_a_phrase_begins_never_mid_phrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "CLAIM_COMPLEMENT_MAX_WORDS", 12)
    lifted = ("The administration lifted the ban on Kessel deploying long-range missiles to strike targets "
              "deep within Marovia, the ministry said.")
    assert _after(lifted, "lifted") == "the ban on Kessel deploying long-range missiles"
    backed = ("The mayor backed the council's narrow decision to allow the valley towns to use the new "
              "reservoir for irrigation.")
    assert _after(backed, "backed") == "the council's narrow decision to allow the valley towns"
    # No subordinate phrase within the limit: cut before a preposition, not after an article.
    rebuilt = ("Crews rebuilt the old stone bridge with two new wooden footbridges over the wide river "
               "Dune near Kessel.")
    assert _after(rebuilt, "rebuilt") == "the old stone bridge with two new wooden footbridges"
    assert "…" not in _after(lifted, "lifted") + _after(backed, "backed")
    # A clause within the limit stays whole.
    assert _after("Rescuers declined to say whether the dam would hold.", "declined") == (
        "to say whether the dam would hold")
    monkeypatch.setattr(defaults, "CLAIM_COMPLEMENT_MAX_WORDS", 20)
    assert _after(lifted, "lifted").endswith("to strike targets deep within Marovia")


def test_before_or_after_a_span_of_time_belongs_to_the_time_phrase() -> None:
    # 'in the years before the breach' is one phrase: cut at 'before', the claim ended 'in the years'
    text = "Tarvan Hydro rejected reports that it delayed work in the years before the breach. It said more."
    assert _after(text, "rejected").endswith("in the years before the breach")
    text = "The army left days after the flood. Nobody knew."
    assert _after(text, "left") == "days after the flood"
    # a new clause after 'before' still ends the verb's words
    text = "Residents fled the town before the water rose."
    assert _after(text, "fled") == "the town"


def test_a_few_quoted_words_the_clause_goes_on_with_are_part_of_it() -> None:
    text = "The mayor blamed the flooding on “poor maintenance” by the utility, officials said."
    at = text.index("blamed") + len("blamed")
    assert complement(text, at, len(text)) == "the flooding on “poor maintenance”"
    # a quotation opening after a clause that is complete stays out
    said = 'The mayor denied the report, "We had no warning at all," she said.'
    assert complement(said, said.index("denied") + len("denied"), len(said)) == "the report"


def test_entity_names_from_kept_name_counts_are_those_read_from_every_mention() -> None:
    from newsfuse.fuse.claims.text import entity_names
    from newsfuse.models import Mention

    mentions = tuple(Mention(f"m-names-{n}", "ct-names", s, s + len(k), k, "PERSON", kind, key)
                     for n, (s, k, kind, key) in enumerate([(0, "Anna Lind", "name", "Anna Lind"),
                                                             (14, "Lind", "name", "Lind"),
                                                             (28, "She", "pronoun", "Anna Lind"),
                                                             (37, "Anna Lind", "name", "Anna Lind")]))
    an = Analysis("ct-names", mentions=mentions)
    emap = {("ct-names", "Anna Lind"): "e_lind", ("ct-names", "Lind"): "e_lind"}
    kept: dict[str, object] = {}

    def derived(analysis: Analysis, what: str, build):  # type: ignore[no-untyped-def]
        return kept.setdefault(what, build())

    assert entity_names([an], emap, derived) == entity_names([an], emap) == {"e_lind": "Anna Lind"}
    assert kept["name counts"] == (("Anna Lind", 2), ("Lind", 1))
    # the counts are of mention keys: another entity map names from the same kept counts
    assert entity_names([an], {("ct-names", "Lind"): "e_l"}, derived) == {"e_l": "Lind"}
