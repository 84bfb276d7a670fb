"""Event chains (fuse/claims/chains.py): when the claim relation may chain two articles' events."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsfuse import defaults
from newsfuse.fuse.claims.chains import event_chains
from newsfuse.fuse.claims.statements import Statement
from newsfuse.fuse.claims.words import trigger_forms
from newsfuse.models import Article, Span


def _event(
    article: str, text: str, trigger: str, etype: str = "ASSAULT", source: str | None = None,
) -> Statement:
    return Statement(id=f"{article}:{trigger}", kind="event", article=Article(id=article, text=text),
                     text=text, span=Span(article, 0, len(text), text), trigger=trigger, type=etype,
                     entity=source)


def _words(chains: list[list[Statement]]) -> list[list[str]]:
    return sorted(sorted(s.trigger for s in c) for c in chains)


def test_two_words_of_one_type_stay_two_events_unless_the_setting_allows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Alike sentences, one PLOVER type: the claim relation relates them, but 'shelled' and 'stormed'
    # are two acts (in the product path such different-word joins were mostly wrong).
    shelled = _event("a", "Rebels shelled Korvel on Monday.", "shell")
    stormed = _event("b", "Rebels stormed Korvel on Monday.", "storm")
    monkeypatch.setattr(defaults, "COREF_RELATED_SAME_WORD", True)
    assert _words(event_chains([shelled, stormed])) == [["shell"], ["storm"]]
    monkeypatch.setattr(defaults, "COREF_RELATED_SAME_WORD", False)
    assert _words(event_chains([shelled, stormed])) == [["shell", "storm"]]


def test_inflections_and_one_word_still_chain_across_articles() -> None:
    shelled = _event("a", "Rebels shelled Korvel on Monday.", "shelled")
    shelling = _event("b", "The shelling of Korvel by rebels began on Monday.", "shelling")
    again = _event("c", "Rebels shelled Korvel on Monday, witnesses said.", "shelled")
    assert _words(event_chains([shelled, shelling, again])) == [["shelled", "shelled", "shelling"]]


def test_two_words_of_one_type_chain_when_both_actors_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "COREF_RELATED_SAME_WORD", True)  # ships off; this is the rule's test
    said = _event("a", "Goelman told the bureau the firing was wrong.", "tell", "COMMENT", "e_g")
    wrote = _event("b", "Goelman wrote the bureau the firing was wrong.", "write", "COMMENT", "e_g")
    assert not trigger_forms("tell") & trigger_forms("write")  # no synonyms: the actors chain them
    assert _words(event_chains([said, wrote])) == [["tell"], ["write"]]  # the target is not known
    to_bureau = [replace(x, target="e_fbi") for x in (said, wrote)]
    assert _words(event_chains(to_bureau)) == [["tell", "write"]]
