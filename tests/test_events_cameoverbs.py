"""The CAMEO verb dictionary (PETRARCH2's verb lines): its file, its categories, its triggers."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfuse.analyze.events import cameoverbs
from newsfuse.analyze.events import extract as events
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.errors import AnalysisError


def _parse(text: str) -> ParsedDoc:
    from newsfuse.analyze.nlp import parse

    return parse(text)


def test_the_file_names_its_source_commit_and_licence() -> None:
    head = [line for line in cameoverbs.TABLE_PATH.read_text(encoding="utf-8").splitlines()
            if line.startswith("#")]
    text = "\n".join(head)
    assert "openeventdata/petrarch2" in text and "CAMEO.2.0.txt" in text
    assert "486cb96345c411e31492f6e76044a938ca45d7af" in text
    assert "MIT" in text and "Copyright (c) 2015 Open Event Data Alliance" in text


def test_verbs_take_their_own_code_else_their_sections() -> None:
    table = cameoverbs.table()
    assert len(table) > 1000
    # 'DEMOLISH [1712]' stands under DESTROY [190]: its own code (destroy property) wins
    assert cameoverbs.verb_type("demolish") == "ASSAULT"
    assert cameoverbs.verb_type("besiege") == "COERCE"  # BESIEGE [191], blockade
    assert cameoverbs.verb_type("call off") == "SANCTION"  # +CALL_OFF [160] under CANCEL
    assert cameoverbs.verb_type("threaten") == "THREATEN"
    assert cameoverbs.verb_type("negotiate") == "CONCEDE"  # under COMPROMISE [080]


def test_statement_verbs_and_split_verbs_name_no_category() -> None:
    assert cameoverbs.verb_type("say") is None  # root 01: a statement is the report, not the event
    assert cameoverbs.features("say", "cv") == ["cv=STATEMENT", "cv!=STATEMENT"]
    # BLACKLIST stands under BLACKLIST [160] (SANCTION) and EXCLUDE [170] (COERCE)
    assert cameoverbs.verb_type("blacklist") is None
    assert cameoverbs.features("blacklist", "cv") == ["cv=COERCE", "cv=SANCTION"]
    assert cameoverbs.verb_type("report") is None  # 'REPORT [---]': no code
    assert cameoverbs.verb_type("zzyzx") is None and cameoverbs.features("zzyzx", "cv") == []


def test_a_broken_file_is_named_with_what_to_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "cameo_verbs.tsv"
    bad.write_text("# a comment\nword\tcode\n", encoding="utf-8")
    monkeypatch.setattr(cameoverbs, "TABLE_PATH", bad)
    cameoverbs.table.cache_clear()
    try:
        with pytest.raises(AnalysisError, match=r"cameo_verbs\.tsv.*header"):
            cameoverbs.table()
        bad.write_text("verb\tcode\tsection\nattack\t190\n", encoding="utf-8")
        cameoverbs.table.cache_clear()
        with pytest.raises(AnalysisError, match="row 2"):
            cameoverbs.table()
    finally:
        cameoverbs.table.cache_clear()


@pytest.mark.slow
def test_the_dictionary_finds_a_verb_no_other_list_names() -> None:
    # 'besiege' is in neither the hand lexicon nor the codebook; PETRARCH2 codes it (191, blockade)
    doc = _parse("Rebels besieged the town of Karvo on Monday.")
    assert events.find_events(doc, "a1", [], [], [], lexicon_only=True, lexicon="hand+codebook") == []
    found = events.find_events(doc, "a1", [], [], [], lexicon_only=True, lexicon="hand+cameo")
    assert [(e.trigger, e.source, e.target) for e in found] == [("besiege", "Rebels", "Karvo")]
    assert found[0].type in ("COERCE", "FIGHT", "ASSAULT")


@pytest.mark.slow
def test_the_dictionary_comes_after_the_hand_lexicon() -> None:
    # 'attack' is a hand-lexicon word (ASSAULT); the dictionary's code for it (190) does not retype it
    doc = _parse("Rebels attacked the town of Karvo.")
    found = events.find_events(doc, "a1", [], [], [], lexicon_only=True, lexicon="hand+cameo")
    assert [(e.trigger, e.type) for e in found] == [("attack", "ASSAULT")]
