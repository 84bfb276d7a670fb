"""The gate for guessed events' joins across articles (newsfuse/fuse/claims/guessed.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsfuse import defaults
from newsfuse.fuse.claims.build import build_claims
from newsfuse.fuse.claims.guessed import joins_group, one_claim
from newsfuse.fuse.claims.statements import Statement, statements
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, Event

GUESS = defaults.EVENT_CONF_CODEBOOK  # the codebook's confidence: what the analysis only guessed
OUTLETS = ("Riverside Ledger", "Valley Courier")


def _article(aid: str, outlet: str, text: str) -> Article:
    return Article(id=aid, text=text, outlet=outlet, published="2025-10-02", published_source="header")


def _event(a: Article, word: str, trigger: str, confidence: float) -> Event:
    start = a.text.index(word)
    return Event(content_id(a.id, "ge", start), a.id, trigger, start, start + len(word), 0,
                 a.text.index(".") + 1, "ASSAULT", source="Harlow militia", source_key="Harlow militia",
                 target="Denner garrison", target_key="Denner garrison", confidence=confidence)


def _story(words: tuple[tuple[str, str], tuple[str, str]], confidence: float = GUESS) -> tuple[
        list[Article], dict[str, Analysis], dict[tuple[str, str], str]]:
    texts = {"gq1": "The Harlow militia {} the Denner garrison near the river on Tuesday.",
             "gq2": "On Tuesday the Harlow militia {} the Denner garrison, residents said."}
    articles = [_article(aid, outlet, texts[aid].format(word))
                for aid, outlet, (word, _) in zip(texts, OUTLETS, words, strict=True)]
    analyses = {a.id: Analysis(a.id, events=(_event(a, word, trigger, confidence),))
                for a, (word, trigger) in zip(articles, words, strict=True)}
    emap = {(a.id, k): f"e_{k.split()[0].lower()}" for a in articles
            for k in ("Harlow militia", "Denner garrison")}
    return articles, analyses, emap


def _claims(words: tuple[tuple[str, str], tuple[str, str]], mode: str, confidence: float = GUESS,
            monkeypatch: pytest.MonkeyPatch | None = None) -> list[str]:
    assert monkeypatch is not None
    monkeypatch.setattr(defaults, "CLAIM_EVENT_FLOOR", 0.0)
    monkeypatch.setattr(defaults, "CLAIM_GUESSED_JOIN", mode)
    articles, analyses, emap = _story(words, confidence)
    names = {"e_harlow": "Harlow militia", "e_denner": "Denner garrison"}
    story = f"s_guess_{mode}_{words[1][1]}_{confidence}"  # a story per setting: no alignment kept across
    return [c.status for c in build_claims(story, articles, analyses, emap, names=names)]


def _statement(confidence: float) -> Statement:
    articles, analyses, emap = _story((("shelled", "shell"), ("shelled", "shell")), confidence)
    [found] = statements(articles[0], analyses[articles[0].id], emap, set())
    return found


def test_a_codebook_guess_above_the_floor_is_a_guessed_statement(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "CLAIM_EVENT_FLOOR", 0.0)
    assert _statement(GUESS).guessed
    assert not _statement(0.9).guessed


def test_two_guesses_of_one_type_in_two_words_are_two_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    words = (("shelled", "shell"), ("raided", "raid"))  # both ASSAULT, two acts
    assert _claims(words, "any", monkeypatch=monkeypatch) == ["corroborated"]
    assert _claims(words, "word", monkeypatch=monkeypatch) == []  # weak, one outlet each: no claim


def test_two_guesses_of_one_word_join_unless_a_sure_event_is_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    words = (("shelled", "shell"), ("shelled", "shell"))
    assert _claims(words, "word", monkeypatch=monkeypatch) == ["corroborated"]
    assert _claims(words, "word+parties", monkeypatch=monkeypatch) == ["corroborated"]
    assert _claims(words, "word+sure", monkeypatch=monkeypatch) == []
    assert _claims(words, "none", monkeypatch=monkeypatch) == []


def test_sure_events_pass_whatever_the_gate(monkeypatch: pytest.MonkeyPatch) -> None:
    words = (("shelled", "shell"), ("shelled", "shell"))
    assert _claims(words, "none", confidence=0.9, monkeypatch=monkeypatch) == ["corroborated"]


def test_the_gate_reads_another_articles_members_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "CLAIM_EVENT_FLOOR", 0.0)
    monkeypatch.setattr(defaults, "CLAIM_GUESSED_JOIN", "sure")
    guess = _statement(GUESS)
    sure = replace(guess, guessed=False)
    other = replace(guess, article=replace(guess.article, id="gq9"))
    assert one_claim(guess, sure) and not one_claim(guess, other)
    assert joins_group(guess, [(guess, "supports", None)])  # its own article's: no join across
    assert not joins_group(guess, [(other, "supports", None)])
    assert joins_group(guess, [(other, "supports", None), (replace(other, guessed=False), "supports", None)])
