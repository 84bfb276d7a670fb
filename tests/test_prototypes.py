"""The prototype table: each news word's closest PLOVER categories by the CAMEO code descriptions."""

from __future__ import annotations

import json

import pytest

from newsfuse import defaults
from newsfuse.analyze.events import codebook, plover, prototypes


def test_wrapping_codes_speak_only_through_their_plain_description() -> None:
    texts = {text for _, text in prototypes.descriptions()}
    assert "threaten" in {t.split(",")[0] for t in texts}  # 130: 'Threaten, not specified below'
    assert not any(t.startswith("threaten to boycott") for t in texts)  # 1312 wraps a boycott
    assert not any(t.startswith("make statement") for t in texts)  # root 01: no PLOVER category
    assert {c for c, _ in prototypes.descriptions()} <= set(plover.TYPES)


def test_the_shipped_table_is_sorted_closest_first_and_knows_words_the_codebook_does_not() -> None:
    table = prototypes.table()
    assert len(table) > 1000
    for entry in table.values():
        cosines = [s for _, s in entry]
        assert cosines == sorted(cosines, reverse=True) and len(entry) <= prototypes.KEEP
        assert all(c in plover.TYPES and -1.0 <= s <= 1.0 for c, s in entry)
    heads, objects, near = codebook.table()
    assert set(table) - set(heads) - set(objects) - set(near)  # words no codebook table names


def test_a_named_act_is_closest_to_its_own_category() -> None:
    # each word spelled out by a description of its category's codes
    assert prototypes.closest("investigate")[0][0] == "INVESTIGATE"
    assert prototypes.closest("torture")[0][0] == "ASSAULT"
    assert prototypes.closest("veto")[0][0] == "REJECT"


def test_features_name_the_closest_categories_by_step() -> None:
    word, entry = next((w, e) for w, e in prototypes.table().items() if len(e) > 1)
    feats = prototypes.features(word, "pr")
    (first, cosine), (second, _) = entry[0], entry[1]
    assert f"pr1={first}" in feats and f"pr2={second}" in feats
    for step in prototypes.STEPS:
        assert (f"pr1@{step}={first}" in feats) == (cosine >= step)
    assert prototypes.features("zzzz", "pr") == []


def test_the_table_records_what_it_was_built_from() -> None:
    data = json.loads(prototypes.TABLE_PATH.read_text(encoding="utf-8"))
    assert "event_codes.tsv" in data["source"] and data["vocabulary"]


def test_word_type_is_a_generic_guess_from_the_closest_category() -> None:
    word, entry = next((w, e) for w, e in prototypes.table().items() if e[0][1] >= 0.5)
    assert prototypes.word_type(word, 0.5) == (entry[0][0], True)
    assert prototypes.word_type(word, entry[0][1] + 0.01) is None
    assert prototypes.word_type("zzzz", 0.0) is None


@pytest.mark.slow
def test_a_sentence_no_word_list_names_takes_the_closest_description() -> None:
    from newsfuse.analyze.events import extract as events
    from newsfuse.analyze.nlp import parse

    # 'detonate' is no hand trigger and no codebook main verb; its closest descriptions are ASSAULT's
    assert plover.verb_type("detonate", None, None) is None and codebook.verb_type("detonate") is None
    assert prototypes.closest("detonate")[0][0] == "ASSAULT"
    doc = parse("The rebels detonated a device near Tarvo.")
    found = events.find_events(doc, "a1", [], [], [], lexicon_only=True, lexicon="hand+codebook")
    assert [(e.trigger, e.type, e.source) for e in found] == [("detonate", "ASSAULT", "rebels")]
    assert found[0].confidence <= defaults.EVENT_CONF_CODEBOOK
    # a word list's own words keep the sentence: 'attacked' leaves 'detonated' unguessed
    both = parse("Rebels attacked the town and detonated a device.")
    found = events.find_events(both, "a1", [], [], [], lexicon_only=True, lexicon="hand+codebook")
    assert "detonate" not in {e.trigger for e in found}
    # an actor noun is no event, however close it sits to what actors do ('the army')
    assert events.find_events(parse("The army of Norvia is large."), "a1", [], [], [], lexicon_only=True,
                              lexicon="hand+codebook") == []


def test_phrasal_verbs_have_rows_of_their_own() -> None:
    phrasal = {w for w in prototypes.table() if " " in w}
    assert len(phrasal) > 100  # 'blow up', 'pull out': verbs with their particle, from the news text
    assert all(len(w.split()) == 2 for w in phrasal)


@pytest.mark.slow
def test_the_key_of_a_verb_holds_its_particle() -> None:
    from newsfuse.analyze.nlp import parse

    doc = parse("Guerrillas blew up the bridge and crossed the river.")
    blew = next(t.i for t in doc.tokens if t.text == "blew")
    crossed = next(t.i for t in doc.tokens if t.text == "crossed")
    assert prototypes.phrasal_key(doc, blew) == "blow up"
    assert prototypes.phrasal_key(doc, crossed) == "cross"
