"""Two outlets' reports of one event, worded apart (newsfuse/fuse/claims/chainjoin.py): one claim when
event coreference puts them in one chain and the matcher does not say no; apart when the matcher
says no, when the events are no chain, and when one article tells both."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from newsfuse import defaults
from newsfuse.fuse.claims import match as claimmatch
from newsfuse.fuse.claims import pairs as claimpairs
from newsfuse.fuse.claims.build import build_claims
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, Claim, Event, Mention

FIRED = "The agency fired Tomas Berg on Friday after a review of his messages by its own inspectors."
DISMISSED = "Tomas Berg was fired late on Friday on the orders of the deputy head, his lawyer said."
PRAISED = "Tomas Berg praised the inspectors in a long statement to colleagues on Friday evening."


class _Matcher:
    """A matcher whose every answer is one probability (what is tested is who may join, not it)."""

    def __init__(self, p: float) -> None:
        self.p = p

    def probability(self, a: str, b: str, cosine: float) -> float:
        return self.p


class _Vectors:
    """One vector for every sentence: each pair is offered to the matcher."""

    store = None  # as SentenceVectors without a store

    def of(self, keys: Sequence[object], texts: Sequence[str]) -> np.ndarray:
        return np.ones((len(keys), 4), dtype=np.float32) / 2.0


@pytest.fixture
def matcher(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Matcher]:
    found = _Matcher(0.0)
    monkeypatch.setattr(claimmatch, "packaged", lambda: found)
    monkeypatch.setattr(claimpairs, "MEMO", claimpairs.PairMemo(0))  # no answer kept from another test
    monkeypatch.setattr(defaults, "CLAIM_MATCH_BY_MEANING", True)
    # the meaning pass asks this matcher too (not the same-fact model, which reads the statements)
    monkeypatch.setattr(defaults, "CLAIM_SAME_FACT_MODEL", False)
    yield found


def _article(aid: str, outlet: str, *sentences: str) -> Article:
    return Article(id=aid, text=" ".join(sentences), outlet=outlet, published="2025-03-07",
                   published_source="header")


def _analysis(a: Article) -> Analysis:
    """The event of each sentence (its verb, Berg its target) and Berg's mention, as analysis gives."""
    events, mentions, at = [], [], 0
    for sentence in (s for s in a.text.split(". ") if s):
        start = a.text.index(sentence, at)
        verb = "praised" if "praised" in sentence else "fired"
        trigger = a.text.index(verb, start)
        berg = a.text.index("Tomas Berg", start)
        events.append(Event(content_id(a.id, "e", start), a.id, "praise" if verb == "praised" else "fire",
                            trigger, trigger + len(verb), start, start + len(sentence) + 1,
                            "APPROVE" if verb == "praised" else "SANCTION", target="Tomas Berg",
                            target_key="Tomas Berg", confidence=0.9))
        mentions.append(Mention(content_id(a.id, "m", berg), a.id, berg, berg + 10, "Tomas Berg", "PERSON",
                                "name", "Tomas Berg"))
        at = start + len(sentence)
    return Analysis(a.id, mentions=tuple(mentions), events=tuple(events))


def _claims(*articles: Article) -> list[Claim]:
    emap = {(a.id, "Tomas Berg"): "e_berg" for a in articles}
    return build_claims("s", list(articles), {a.id: _analysis(a) for a in articles}, emap,
                        vectors=_Vectors())  # type: ignore[arg-type]


def _joined(claims: list[Claim], *phrases: str) -> bool:
    evidence = [" ".join(sp.text for s in c.sources for sp in s.evidence) for c in claims]
    return any(all(p in text for p in phrases) for text in evidence)


def test_one_event_worded_apart_joins_when_the_matcher_does_not_say_no(matcher: _Matcher) -> None:
    a, b = _article("a", "Lisk Herald", FIRED), _article("b", "Dunmere Courier", DISMISSED)
    matcher.p = (defaults.CLAIM_CHAIN_PROBABILITY + defaults.CLAIM_MATCH_PROBABILITY) / 2
    assert matcher.p < defaults.CLAIM_MATCH_PROBABILITY  # the meaning pass alone keeps them apart
    claims = _claims(a, b)
    assert _joined(claims, "review of his messages", "orders of the deputy head")
    assert any(c.status == "corroborated" for c in claims)


def test_the_matcher_saying_no_keeps_them_apart(matcher: _Matcher) -> None:
    matcher.p = defaults.CLAIM_CHAIN_PROBABILITY / 2
    claims = _claims(_article("a", "Lisk Herald", FIRED), _article("b", "Dunmere Courier", DISMISSED))
    assert not _joined(claims, "review of his messages", "orders of the deputy head")


def test_events_of_no_chain_stay_apart(matcher: _Matcher) -> None:
    matcher.p = (defaults.CLAIM_CHAIN_PROBABILITY + defaults.CLAIM_MATCH_PROBABILITY) / 2
    claims = _claims(_article("a", "Lisk Herald", FIRED), _article("b", "Dunmere Courier", PRAISED))
    assert not _joined(claims, "review of his messages", "long statement")


def test_an_article_telling_both_keeps_two_facts(matcher: _Matcher) -> None:
    matcher.p = (defaults.CLAIM_CHAIN_PROBABILITY + defaults.CLAIM_MATCH_PROBABILITY) / 2
    claims = _claims(_article("a", "Lisk Herald", FIRED, DISMISSED))
    assert not _joined(claims, "review of his messages", "orders of the deputy head")


def test_claims_do_not_depend_on_arrival_order(matcher: _Matcher) -> None:
    matcher.p = (defaults.CLAIM_CHAIN_PROBABILITY + defaults.CLAIM_MATCH_PROBABILITY) / 2
    a, b = _article("a", "Lisk Herald", FIRED), _article("b", "Dunmere Courier", DISMISSED, PRAISED)
    first, second = _claims(a, b), _claims(b, a)
    assert [(c.id, c.text, c.status) for c in first] == [(c.id, c.text, c.status) for c in second]


class _Asked(_Vectors):
    """:class:`_Vectors` that records the sentences it is asked for."""

    def __init__(self) -> None:
        self.keys: list[object] = []

    def of(self, keys: Sequence[object], texts: Sequence[str]) -> np.ndarray:
        self.keys += list(keys)
        return super().of(keys, texts)


def test_a_text_and_its_copy_ask_no_vector_for_chains_nothing_can_join(matcher: _Matcher) -> None:
    matcher.p = (defaults.CLAIM_CHAIN_PROBABILITY + defaults.CLAIM_MATCH_PROBABILITY) / 2
    story = [_article(aid, outlet, FIRED, DISMISSED) for aid, outlet in
             (("cj_wire_1", "Lisk Herald"), ("cj_wire_2", "Dunmere Courier"))]
    asked = _Asked()
    claims = build_claims("s_wire", story, {a.id: _analysis(a) for a in story},
                          {(a.id, "Tomas Berg"): "e_berg" for a in story}, vectors=asked)  # type: ignore[arg-type]
    # each fact's cluster holds both articles: no join is possible, so no clause run is encoded for one
    assert asked.keys == []
    assert not _joined(claims, "review of his messages", "orders of the deputy head")
    # a second outlet telling one of the facts in other words is compared (runs are asked for)
    story = [_article(aid, outlet, FIRED) for aid, outlet in
             (("cj_wire_4", "Lisk Herald"), ("cj_wire_5", "Dunmere Courier"))]
    story.append(_article("cj_wire_6", "Orrin Gazette", DISMISSED))
    claims = build_claims("s_wire_2", story, {a.id: _analysis(a) for a in story},
                          {(a.id, "Tomas Berg"): "e_berg" for a in story}, vectors=asked)  # type: ignore[arg-type]
    assert asked.keys
    assert _joined(claims, "review of his messages", "orders of the deputy head")
