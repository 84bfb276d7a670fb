"""Event chains (fuse/claims/chains.py): when the claim relation may chain two articles' events."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from newsfuse import defaults
from newsfuse.fuse.claims import eventpairs
from newsfuse.fuse.claims.chains import event_chains
from newsfuse.fuse.claims.statements import Statement
from newsfuse.fuse.claims.words import trigger_forms
from newsfuse.fuse.entities.pairmodel import PairModel
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
    monkeypatch.setattr(defaults, "COREF_CONTEXT", False)  # the rules' own test (context: below)
    shelled = _event("a", "Rebels shelled Korvel on Monday.", "shell")
    stormed = _event("b", "Rebels stormed Korvel on Monday.", "storm")
    monkeypatch.setattr(defaults, "COREF_RELATED_SAME_WORD", True)
    assert _words(event_chains([shelled, stormed])) == [["shell"], ["storm"]]
    monkeypatch.setattr(defaults, "COREF_RELATED_SAME_WORD", False)
    assert _words(event_chains([shelled, stormed])) == [["shell", "storm"]]


def test_inflections_and_one_word_still_chain_across_articles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "COREF_CONTEXT", False)
    shelled = _event("a", "Rebels shelled Korvel on Monday.", "shelled")
    shelling = _event("b", "The shelling of Korvel by rebels began on Monday.", "shelling")
    again = _event("c", "Rebels shelled Korvel on Monday, witnesses said.", "shelled")
    assert _words(event_chains([shelled, shelling, again])) == [["shelled", "shelled", "shelling"]]


def test_two_words_of_one_type_chain_when_both_actors_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "COREF_RELATED_SAME_WORD", True)  # ships off; this is the rule's test
    monkeypatch.setattr(defaults, "COREF_CONTEXT", False)
    said = _event("a", "Goelman told the bureau the firing was wrong.", "tell", "COMMENT", "e_g")
    wrote = _event("b", "Goelman wrote the bureau the firing was wrong.", "write", "COMMENT", "e_g")
    assert not trigger_forms("tell") & trigger_forms("write")  # no synonyms: the actors chain them
    assert _words(event_chains([said, wrote])) == [["tell"], ["write"]]  # the target is not known
    to_bureau = [replace(x, target="e_fbi") for x in (said, wrote)]
    assert _words(event_chains(to_bureau)) == [["tell", "write"]]


def _scorers(split: float, merge: float) -> tuple[PairModel, PairModel]:
    """Context scorers that ignore every feature: P = sigmoid(intercept)."""
    n = len(eventpairs.CONTEXT_FEATURES)
    return tuple(PairModel(eventpairs.CONTEXT_FEATURES, np.zeros(n), z, np.zeros(n), np.ones(n), 0.5)
                 for z in (split, merge))  # type: ignore[return-value]


def test_the_context_scorers_split_and_merge_the_rules_chains(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Gunmen attacked a bus in Ostrava on Monday. Later gunmen attacked a police post in Brno."
    one = _event("chains-ctx-1", text, "attack")
    two = replace(one, id="chains-ctx-1:b", at=text.index("attacked a police"))
    other = _event("chains-ctx-2", "Officers arrested four men in Brno.", "arrest", "ARREST")
    monkeypatch.setattr(defaults, "COREF_CONTEXT", False)
    assert _words(event_chains([one, two, other])) == [["arrest"], ["attack", "attack"]]
    monkeypatch.setattr(eventpairs, "context_models", lambda: _scorers(-5.0, -5.0))
    assert _words(event_chains([one, two, other])) == [["arrest"], ["attack"], ["attack"]]
    monkeypatch.setattr(eventpairs, "context_models", lambda: _scorers(5.0, 5.0))
    assert _words(event_chains([one, two, other])) == [["arrest", "attack", "attack"]]


def test_the_context_path_is_off_without_its_switch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "COREF_CONTEXT", False)
    assert eventpairs.context_models() is None


def test_the_shipped_context_weights_read_with_the_codes_features(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "COREF_CONTEXT", True)
    models = eventpairs.context_models()
    assert models is not None  # written by bench/coref_context.py --write (ECB+ train)
    split, merge = models
    assert split.features == merge.features == eventpairs.CONTEXT_FEATURES
    assert split.threshold == defaults.COREF_CONTEXT_SPLIT and merge.threshold == defaults.COREF_CONTEXT_MERGE
