"""Gender of the people an article names, and pronoun linking that respects it
(newsfuse.analyze.names.gender, used by newsfuse.analyze.names.mentions)."""

from __future__ import annotations

import pytest

from newsfuse.analyze import nlp
from newsfuse.analyze.names import gender
from newsfuse.analyze.names.mentions import find_mentions
from newsfuse.models import Mention

# --- words (no parse) --------------------------------------------------------------------------


def test_pronoun_and_word_genders() -> None:
    assert gender.pronoun_gender("She") == "f" and gender.pronoun_gender("his") == "m"
    assert gender.pronoun_gender("they") is None and gender.pronoun_gender("it") is None
    assert gender.word_gender("Mrs.") == "f" and gender.word_gender("Mr") == "m"
    assert gender.word_gender("chairwoman") == "f" and gender.word_gender("Congressman") == "m"
    assert gender.word_gender("president") is None and gender.word_gender("spokesperson") is None


def test_compatible_only_excludes_a_known_disagreement() -> None:
    assert gender.compatible("f", "she") and gender.compatible("m", "He")
    assert not gender.compatible("m", "She") and not gender.compatible("f", "he")
    assert gender.compatible(None, "she") and gender.compatible("m", "they")


def test_given_names_from_the_packaged_list() -> None:
    assert gender.given_name_gender("Emmanuel Macron") == "m"
    assert gender.given_name_gender("Olga Sidorova") == "f"
    assert gender.given_name_gender("Macron") is None  # one word may be a surname
    assert gender.given_name_gender("Kim Jong Un") is None  # given to both: left out of the list
    assert gender.given_name_gender("Zzyx Quorl") is None


# --- articles ------------------------------------------------------------------------------------


def _mentions(text: str) -> tuple[list[Mention], dict[str, gender.Gender]]:
    doc = nlp.parse(text)
    mentions = find_mentions(doc, "a1")
    return mentions, gender.mention_genders(doc, mentions)


def _pronoun_keys(mentions: list[Mention]) -> list[tuple[str, str]]:
    return [(m.text, m.entity_key) for m in mentions if m.kind == "pronoun"]


@pytest.mark.slow
def test_she_skips_a_man_named_by_mr() -> None:
    # the man is the subject of the sentence before: without gender 'She' would link to him
    mentions, genders = _mentions("Mr. Ortiz met Ms. Lind in the capital. She said the talks went well.")
    assert genders == {"Ortiz": "m", "Lind": "f"}
    assert _pronoun_keys(mentions) == [("She", "Lind")]


@pytest.mark.slow
def test_gendered_roles_decide() -> None:
    text = "Congressman Lee Park met Senator Dana Kerr. She said the bill would pass."
    mentions, genders = _mentions(text)
    assert genders["Lee Park"] == "m"
    assert _pronoun_keys(mentions) == [("She", "Dana Kerr")]


@pytest.mark.slow
def test_apposition_kinship_word_decides() -> None:
    mentions, genders = _mentions("His wife, Mara Tell, met Robin Holt. She said nothing.")
    assert genders.get("Mara Tell") == "f" and "Robin Holt" not in genders
    assert _pronoun_keys(mentions) == [("She", "Mara Tell")]


@pytest.mark.slow
def test_a_reflexive_pronoun_marks_the_subject() -> None:
    # neither first name is on the list: only 'himself' tells
    text = "Robin Vale spoke to Sam Reddy. Vale defended himself. She said it was late."
    mentions, genders = _mentions(text)
    assert genders["Robin Vale"] == "m"
    assert _pronoun_keys(mentions) == [("She", "Sam Reddy")]


@pytest.mark.slow
def test_first_names_decide_when_the_article_says_nothing() -> None:
    text = "Carlos Ortiz met Ana Lind on Monday. She said the talks went well. He disagreed."
    mentions, genders = _mentions(text)
    assert genders == {"Carlos Ortiz": "m", "Ana Lind": "f"}
    assert _pronoun_keys(mentions) == [("She", "Ana Lind"), ("He", "Carlos Ortiz")]


@pytest.mark.slow
def test_article_evidence_beats_the_name_list() -> None:
    # 'Ms.' outweighs a first name the list gives to men
    mentions, genders = _mentions("Ms. Michael Grant met Jose Ruiz. She said the plan was sound.")
    assert genders.get("Michael Grant") == "f"
    assert ("She", "Michael Grant") in _pronoun_keys(mentions)


@pytest.mark.slow
def test_no_compatible_person_leaves_the_pronoun_unlinked() -> None:
    mentions, _ = _mentions("Mr. Ortiz arrived on Monday. She said the talks went well.")
    assert _pronoun_keys(mentions) == []


@pytest.mark.slow
def test_may_refer_to_for_quote_speakers() -> None:
    doc = nlp.parse("Mr. Ortiz met Ms. Lind in the capital. \"We agreed,\" she said.")
    mentions = find_mentions(doc, "a1")
    assert not gender.may_refer_to(doc, mentions, "Ortiz", "she")
    assert gender.may_refer_to(doc, mentions, "Lind", "she")
    assert gender.may_refer_to(doc, mentions, "Nobody Named", "she")  # unknown: no exclusion
    assert gender.may_refer_to(doc, mentions, None, "he")
