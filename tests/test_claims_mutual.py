"""Mutual-best statements of two articles (newsfuse/fuse/claims/mutual.py) and their use in the meaning
pass (newsfuse/fuse/claims/meaning.py): one report tells a fact once, so two articles' statements that
are each other's best match join at a lower bar; a statement whose partner prefers another stays apart."""

from __future__ import annotations

import itertools

import pytest

from newsfuse import defaults
from newsfuse.fuse.claims import meaning, mutual
from newsfuse.fuse.claims.align import Member
from newsfuse.fuse.claims.statements import Statement
from newsfuse.fuse.claims.vectors import SentenceVectors
from newsfuse.models import Article, Span

# Article A tells two seizures by rebels; article B tells the first of them in other words only.
A = ("Rebels seized the airport in the north of the country on Tuesday. "
     "Rebel fighters later took a military base in the south.")
B = "The northern airport fell to rebel fighters on Tuesday after a day of fighting."


def _article(name: str, text: str) -> Article:
    # Sentence vectors are kept per process by (article, start, end): a name of this module's own keeps
    # other tests' articles 'a' and 'b' (other texts at the same offsets) from lending theirs.
    return Article(id=f"test-mutual-{name}", text=text)


def _events(article_id: str, text: str, triggers: list[str]) -> list[Statement]:
    article = _article(article_id, text)
    out = []
    start = 0
    for n, trigger in enumerate(triggers):
        end = text.find(". ", start)
        end = len(text) if end < 0 else end + 1
        at = text.index(trigger, start)
        out.append(Statement(id=f"{article_id}-e{n}", kind="event", article=article, text=text[start:end],
                             span=Span(article.id, start, end, text[start:end]), type="SEIZE",
                             trigger=trigger, at=at))
        start = end + 1
    return out


def _story() -> tuple[Statement, Statement, Statement]:
    a1, a2 = _events("a", A, ["seized", "took"])
    (b1,) = _events("b", B, ["fell"])
    return a1, a2, b1


def _joined(statements: list[Statement]) -> set[frozenset[str]]:
    clusters: list[list[Member]] = [[(s, "supports", None)] for s in statements]
    out = meaning.join_by_meaning(clusters, SentenceVectors())
    return {frozenset(s.id for s, _, _ in members) for members in out}


@pytest.fixture
def mutual_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "CLAIM_MUTUAL_BEST", True)
    monkeypatch.setattr(defaults, "CLAIM_MUTUAL_PROBABILITY", 0.1)


def test_the_matcher_alone_keeps_the_reworded_fact_apart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "CLAIM_MUTUAL_BEST", False)
    a1, a2, b1 = _story()
    # the two tellings of the airport's fall score under the matcher's bar
    assert _joined([a1, a2, b1]) == {frozenset({"a-e0"}), frozenset({"a-e1"}), frozenset({"b-e0"})}


def _scores(statements: list[Statement]) -> dict[frozenset[str], float]:
    """The best probability the meaning pass gives each pair of statements of two articles."""
    clusters: list[list[Member]] = [[(s, "supports", None)] for s in statements]
    sentences = meaning._sentences(clusters)
    matrix = SentenceVectors().of([x.key for x in sentences], [x.text for x in sentences])
    out: dict[frozenset[str], float] = {}
    for p, _, i, j in meaning._scored(sentences, matrix):
        for _, x in sentences[i].holders:
            for _, y in sentences[j].holders:
                key = frozenset({x.id, y.id})
                out[key] = max(out.get(key, 0.0), p)
    return out


@pytest.mark.usefixtures("mutual_on")
def test_mutual_best_joins_the_fact_both_tell_and_not_the_one_only_one_tells() -> None:
    a1, a2, b1 = _story()
    scores = _scores([a1, a2, b1])
    # both of A's seizures are offered with B's sentence above the mutual bar and under the matcher's;
    # B's sentence prefers the airport, so the base is not its partner
    assert 0.1 <= scores[frozenset({"a-e1", "b-e0"})] < scores[frozenset({"a-e0", "b-e0"})] < 0.5
    assert _joined([a1, a2, b1]) == {frozenset({"a-e0", "b-e0"}), frozenset({"a-e1"})}


@pytest.mark.usefixtures("mutual_on")
def test_mutual_best_does_not_depend_on_the_order_statements_arrive_in() -> None:
    expected = {frozenset({"a-e0", "b-e0"}), frozenset({"a-e1"})}
    for order in itertools.permutations(_story()):
        assert _joined(list(order)) == expected


def _statement(article: str, sid: str, at: int = 0) -> Statement:
    text = "Troops crossed the river."
    return Statement(id=sid, kind="event", article=Article(id=article, text=text), text=text,
                     span=Span(article, at, at + len(text), text), at=at)


def test_a_node_is_mutual_only_with_the_partner_that_prefers_it_back() -> None:
    x1, x2, y = _statement("a", "x1"), _statement("a", "x2", 30), _statement("b", "y")
    holders = [((0, x1),), ((1, x2),), ((2, y),)]
    found = mutual.mutual_best([(0.4, 0, 2), (0.3, 1, 2)], holders, lambda s, t: True)
    assert mutual.is_mutual(found, (0, "a"), (2, "b"))
    assert not mutual.is_mutual(found, (1, "a"), (2, "b"))  # y's best in a is x1


def test_a_tie_goes_to_the_earliest_statement_whatever_the_order_pairs_come_in() -> None:
    x1, x2, y = _statement("a", "x1"), _statement("a", "x2", 30), _statement("b", "y")
    holders = [((5, x2),), ((7, x1),), ((2, y),)]  # cluster numbers against text order
    for scored in ([(0.4, 0, 2), (0.4, 1, 2)], [(0.4, 1, 2), (0.4, 0, 2)]):
        found = mutual.mutual_best(scored, holders, lambda s, t: True)
        assert found == {((2, "b"), (7, "a")): 0.4}


def test_incompatible_statements_are_no_partners() -> None:
    x, y = _statement("a", "x"), _statement("b", "y")
    assert mutual.mutual_best([(0.9, 0, 1)], [((0, x),), ((1, y),)], lambda s, t: False) == {}
    # nor are two statements of one article, nor a cluster with itself
    z = _statement("a", "z", 30)
    assert mutual.mutual_best([(0.9, 0, 1)], [((0, x),), ((1, z),)], lambda s, t: True) == {}
    assert mutual.mutual_best([(0.9, 0, 1)], [((0, x),), ((0, y),)], lambda s, t: True) == {}


def test_mutual_pairs_come_best_first_with_their_score() -> None:
    x1, x2 = _statement("a", "x1"), _statement("a", "x2", 30)
    y1, y2 = _statement("b", "y1"), _statement("b", "y2", 30)
    holders = [((0, x1),), ((1, x2),), ((2, y1),), ((3, y2),)]
    found = mutual.mutual_best([(0.3, 0, 2), (0.8, 1, 3), (0.2, 0, 3)], holders, lambda s, t: True)
    assert list(found.items()) == [(((1, "a"), (3, "b")), 0.8), (((0, "a"), (2, "b")), 0.3)]


def test_the_mutual_pass_of_its_own_joins_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    # join_mutual runs whatever CLAIM_MUTUAL_BEST says: a pass meant to follow the other joins
    monkeypatch.setattr(defaults, "CLAIM_MUTUAL_BEST", False)
    monkeypatch.setattr(defaults, "CLAIM_MUTUAL_PROBABILITY", 0.1)
    a1, a2, b1 = _story()
    clusters: list[list[Member]] = [[(s, "supports", None)] for s in (a1, a2, b1)]
    out = meaning.join_mutual(clusters, SentenceVectors())
    assert {frozenset(s.id for s, _, _ in members) for members in out} == {
        frozenset({"a-e0", "b-e0"}), frozenset({"a-e1"})}
    monkeypatch.setattr(defaults, "CLAIM_MUTUAL_PROBABILITY", 0.5)  # the pair scores under 0.5
    assert len(meaning.join_mutual(clusters, SentenceVectors())) == 3
