"""The same-fact model of one story (newsfuse/fuse/claims/samefact.py) and the pairs the meaning pass
offers it because their statements share arguments (newsfuse/fuse/claims/meaning.py)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from newsfuse import defaults
from newsfuse.fuse.claims import meaning, samefact
from newsfuse.fuse.claims.statements import Statement
from newsfuse.models import Article, Span

ONE = Article(id="a1", text="The army shelled the border town on Monday, officials said.", outlet="One")
TWO = Article(id="a2", text="Troops bombarded a frontier settlement early in the week.", outlet="Two")


def _event(article: Article, trigger: str, type_: str, actor: str | None, target: str | None = None,
           **more: object) -> Statement:
    at = max(article.text.find(trigger), 0)
    span = Span(article.id, 0, len(article.text), article.text)
    return Statement(id=f"{article.id}-{trigger}", kind="event", article=article, text=trigger, span=span,
                     entity=actor, target=target, type=type_, trigger=trigger, at=at, **more)  # type: ignore[arg-type]


def test_one_party_doing_one_kind_of_act_shares_arguments() -> None:
    x = _event(ONE, "shelled", "ASSAULT", "e_army", "e_town")
    assert samefact.shares_arguments(x, _event(TWO, "bombarded", "ASSAULT", "e_army"))
    # the same act word's forms and synonyms count without a type
    untyped = _event(ONE, "shelled", "", "e_army")
    assert samefact.shares_arguments(untyped, _event(TWO, "shelling", "", "e_army"))
    assert samefact.shares_arguments(_event(ONE, "killed", "", "e_army"), _event(TWO, "murder", "", "e_army"))
    # a passive report names the party as the other's target: still one party
    assert samefact.shares_arguments(x, _event(TWO, "bombarded", "ASSAULT", "e_town", "e_army"))


def test_another_party_or_another_act_shares_none() -> None:
    x = _event(ONE, "shelled", "ASSAULT", "e_army", "e_town")
    assert not samefact.shares_arguments(x, _event(TWO, "bombarded", "ASSAULT", "e_rebels"))
    assert not samefact.shares_arguments(x, _event(TWO, "bombarded", "AID", "e_army"))
    # two parties acting on one target are not one act of one party
    assert not samefact.shares_arguments(x, _event(TWO, "bombarded", "ASSAULT", "e_rebels", "e_town"))
    # a generic verb tells no act apart
    assert not samefact.shares_arguments(_event(ONE, "say", "", "e_army"), _event(TWO, "say", "", "e_army"))


def test_statement_features_are_symmetric_and_read_what_was_analysed() -> None:
    x = _event(ONE, "shelled", "ASSAULT", "e_army", "e_town", date_start="2025-03-03", date_end="2025-03-03")
    y = _event(TWO, "bombarded", "ASSAULT", "e_army", "e_town", date_start="2025-03-01",
               date_end="2025-03-07")
    values = dict(zip(samefact.PAIR_FEATURES, samefact.statement_features(x, y), strict=True))
    assert values == dict(zip(samefact.PAIR_FEATURES, samefact.statement_features(y, x), strict=True))
    assert values["same_type"] == values["same_actor"] == values["same_target"] == 1.0
    assert values["dates_agree"] == 1.0 and values["dates_conflict"] == 0.0
    z = _event(TWO, "bombarded", "ASSAULT", "e_rebels", date_start="2025-04-01")
    other = dict(zip(samefact.PAIR_FEATURES, samefact.statement_features(x, z), strict=True))
    assert other["actors_differ"] == 1.0 and other["dates_conflict"] == 1.0 and other["same_actor"] == 0.0
    assert values["date_gap"] == 0.0  # the ranges overlap
    assert other["date_gap"] == pytest.approx(np.log1p(29))  # 3 March to 1 April


def test_dates_years_apart_read_as_a_year() -> None:
    x = _event(ONE, "shelled", "ASSAULT", "e_army", date_start="2019-06")
    y = _event(TWO, "bombarded", "ASSAULT", "e_army", date_start="2024-06-02")
    read = dict(zip(samefact.PAIR_FEATURES, samefact.statement_features(x, y), strict=True))
    assert read["date_gap"] == pytest.approx(np.log1p(366))
    assert read == dict(zip(samefact.PAIR_FEATURES, samefact.statement_features(y, x), strict=True))


def _amount(article: Article, written: str, value: float, unit: str = "people") -> Statement:
    span = Span(article.id, 0, len(article.text), article.text)
    return Statement(id=f"{article.id}-{written}", kind="amount", article=article, text=f"{written}: ...",
                     span=span, value=value, unit=unit, written=written)


def _runs(xs: list[Statement], ys: list[Statement]) -> dict[str, float]:
    return dict(zip(samefact.RUN_FEATURES, samefact.run_features(xs, ys), strict=True))


def test_two_reports_of_one_kind_of_act_are_told_apart_by_parties_figures_and_dates() -> None:
    quake = _event(ONE, "shelled", "ASSAULT", "e_army", date_start="2025-03-03")
    other_party = _event(TWO, "bombarded", "ASSAULT", "e_rebels", "e_city", date_start="2025-05-20")
    apart = _runs([quake, _amount(ONE, "12", 12)], [other_party, _amount(TWO, "about 300", 300)])
    assert apart == {"parties_shared": 0.0, "parties_disjoint": 1.0, "same_act_parties_disjoint": 1.0,
                     "figures_agree_unit": 0.0, "figures_differ_unit": 1.0, "run_dates_apart": 1.0}
    assert apart == _runs([other_party, _amount(TWO, "about 300", 300)], [quake, _amount(ONE, "12", 12)])
    again = _event(TWO, "bombarded", "ASSAULT", "e_army", date_start="2025-03-03")
    same = _runs([quake, _amount(ONE, "around 300", 300)], [again, _amount(TWO, "298", 298)])
    assert same == {"parties_shared": 1.0, "parties_disjoint": 0.0, "same_act_parties_disjoint": 0.0,
                    "figures_agree_unit": 1.0, "figures_differ_unit": 0.0, "run_dates_apart": 0.0}
    # figures of other units, an undated run and an unresolved party say nothing
    unknown = _runs([quake, _amount(ONE, "12", 12, "km")], [_event(TWO, "bombarded", "ASSAULT", None)])
    assert set(unknown.values()) == {0.0}


def test_the_pair_is_described_by_its_statements_that_agree_most() -> None:
    x = _event(ONE, "shelled", "ASSAULT", "e_army")
    unrelated = _event(TWO, "week", "", "e_rebels")
    agreeing = _event(TWO, "bombarded", "ASSAULT", "e_army")
    best = samefact.best_statement_features([x], [unrelated, agreeing])
    runs = samefact.run_features([x], [unrelated, agreeing])
    assert best == [*samefact.statement_features(x, agreeing), *runs]
    assert len(best) == len(samefact.STATEMENT_FEATURES)


def test_the_shipped_model_reads_its_features_and_can_be_switched_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(defaults, "CLAIM_SAME_FACT_MODEL", True)
    model = samefact.packaged()
    assert model is not None, "newsfuse/data/claims/statements.json is not shipped"
    assert len(model.model.weights) == len(samefact.FEATURES)
    monkeypatch.setattr(defaults, "CLAIM_SAME_FACT_MODEL", False)
    assert samefact.packaged() is None


def test_shipped_model_prefers_one_partys_one_act_to_another_party(monkeypatch: pytest.MonkeyPatch) -> None:
    """Same wording around the statements: the model's answer rises with what the product read
    (same actor and act) and falls with another actor."""
    monkeypatch.setattr(defaults, "CLAIM_SAME_FACT_MODEL", True)
    model = samefact.packaged()
    assert model is not None
    x = _event(ONE, "shelled", "ASSAULT", "e_army", "e_town")
    same = model.probability(ONE.text, TWO.text, 0.45, [x], [_event(TWO, "bombarded", "ASSAULT", "e_army")])
    other = model.probability(ONE.text, TWO.text, 0.45, [x], [_event(TWO, "bombarded", "AID", "e_rebels")])
    assert same > other


def _sentence(article: Article, n: int, *held: Statement) -> meaning._Sentence:
    return meaning._Sentence((article.id, n, n + 1), article.text, tuple(enumerate(held, start=n)))


def test_pairs_sharing_arguments_are_offered_whatever_their_cosine(monkeypatch: pytest.MonkeyPatch) -> None:
    sentences = [_sentence(ONE, 0, _event(ONE, "shelled", "ASSAULT", "e_army")),
                 _sentence(TWO, 10, _event(TWO, "bombarded", "ASSAULT", "e_army")),
                 _sentence(TWO, 20, _event(TWO, "week", "", "e_rebels"))]
    matrix = np.eye(3, 4, dtype=np.float32)  # every cosine 0: none is a nearest neighbour at the floor
    assert meaning._argument_pairs(sentences, matrix) == [((0, 1), 0.0)]
    monkeypatch.setattr(defaults, "CLAIM_ARGUMENT_PAIRS_MAX", 0)
    assert meaning._argument_pairs(sentences, matrix) == []


def test_argument_pairs_are_bounded_most_alike_first(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = [Article(id=f"a{n}", text=ONE.text, outlet=f"O{n}") for n in range(4)]
    sentences = [_sentence(a, 0, _event(a, "shelled", "ASSAULT", "e_army")) for a in articles]
    matrix = np.array([[1.0, 0.0], [0.8, 0.6], [0.6, 0.8], [0.0, 1.0]], dtype=np.float32)
    monkeypatch.setattr(defaults, "CLAIM_ARGUMENT_PAIRS_MAX", 2)
    found = meaning._argument_pairs(sentences, matrix)
    assert [pair for pair, _ in found] == [(1, 2), (0, 1)]  # cosines 0.96, then 0.8 (ties: (2, 3))


def test_a_party_acting_in_too_many_runs_offers_no_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    articles = [Article(id=f"a{n}", text=ONE.text, outlet=f"O{n}") for n in range(4)]
    sentences = [_sentence(a, 0, _event(a, "shelled", "ASSAULT", "e_army")) for a in articles]
    matrix = np.eye(4, dtype=np.float32)
    assert len(meaning._argument_pairs(sentences, matrix)) == 6
    monkeypatch.setattr(defaults, "CLAIM_ARGUMENT_GROUP_MAX", 3)
    assert meaning._argument_pairs(sentences, matrix) == []


class _Never:
    """A paraphrase matcher that always says no."""

    def probability(self, a: str, b: str, cosine: float) -> float:
        return 0.0


@pytest.fixture
def trigger_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """A same-fact model that says yes exactly when the statements share their act word, and a
    paraphrase matcher that says no: what is tested is which pairs each decides."""
    from newsfuse.fuse.claims import match as claimmatch
    from newsfuse.fuse.claims import pairs as claimpairs

    n = len(samefact.FEATURES)
    weights = [0.0] * n
    weights[samefact.FEATURES.index("same_trigger")] = 20.0
    model = samefact.SameFact(claimmatch.Matcher((0.0,) * n, (1.0,) * n, tuple(weights), -10.0))
    monkeypatch.setattr(samefact, "packaged", lambda: model)
    monkeypatch.setattr(claimmatch, "packaged", lambda: _Never())
    monkeypatch.setattr(claimpairs, "MEMO", claimpairs.PairMemo(0))
    monkeypatch.setattr(claimpairs, "NEIGHBOURS", claimpairs.NeighbourMemo(0))


def _quote(article: Article) -> Statement:
    span = Span(article.id, 0, len(article.text), article.text)
    return Statement(id=f"{article.id}-q", kind="quote", article=article, text=article.text, span=span,
                     entity="e_army")


@pytest.mark.usefixtures("trigger_model")
def test_the_model_decides_event_pairs_and_the_matcher_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    events = [_sentence(ONE, 0, _event(ONE, "shelled", "ASSAULT", "e_army")),
              _sentence(TWO, 10, _event(TWO, "shelling", "ASSAULT", "e_army"))]
    quotes = [_sentence(ONE, 0, _quote(ONE)), _sentence(TWO, 10, _quote(TWO))]
    orthogonal = np.eye(2, 4, dtype=np.float32)  # cosine 0: only the shared arguments offer the pair
    assert [(i, j) for _, i, j in meaning._matched(events, orthogonal)] == [(0, 1)]
    alike = np.ones((2, 4), dtype=np.float32) / 2.0  # cosine 1: offered, and the matcher says no
    assert meaning._matched(quotes, alike) == []
    monkeypatch.setattr(defaults, "CLAIM_ARGUMENT_PAIRS_MAX", 0)
    assert meaning._matched(events, orthogonal) == []


def _at(article: Article, place: str | None, name: str) -> Statement:
    return dataclasses.replace(_event(article, "shelled", "ASSAULT", "e_army"), place=place, place_name=name)


def test_one_place_is_one_entity_or_one_name_inside_the_other() -> None:
    kursk = _at(ONE, "e_kursk", "Kursk Region")
    assert not samefact.same_place(kursk, _at(TWO, "e_belgorod", "Belgorod"))
    # one name inside the other is one place the resolver kept as two; one entity is one place
    assert samefact.same_place(kursk, _at(TWO, "e_kursk_city", "Kursk"))
    assert samefact.same_place(kursk, _at(TWO, "e_kursk", "Kursk Region"))
    # a place not resolved to the story's entities is no evidence
    assert not samefact.same_place(kursk, _at(TWO, None, "Kursk Region"))


def test_one_target_is_one_act_on_one_resolved_entity() -> None:
    x = _event(ONE, "shelled", "ASSAULT", "e_army", "e_town")
    assert samefact.same_target(x, _event(TWO, "bombarded", "ASSAULT", "e_rebels", "e_town"))
    assert not samefact.same_target(x, _event(TWO, "supplied", "AID", "e_rebels", "e_town"))
    assert not samefact.same_target(x, _event(TWO, "bombarded", "ASSAULT", "e_army", "e_city"))
    assert not samefact.same_target(_event(ONE, "shelled", "ASSAULT", "e_army"),
                                    _event(TWO, "bombarded", "ASSAULT", "e_army"))


def test_one_act_in_one_place_needs_the_place_and_a_shared_act() -> None:
    kursk = dataclasses.replace(_at(ONE, "e_kursk", "Kursk Region"), target="e_town")
    bombed = dataclasses.replace(_event(TWO, "bombarded", "ASSAULT", "e_rebels"), place="e_kursk",
                                 place_name="Kursk")
    assert samefact.same_place_act(kursk, bombed)
    supplied = dataclasses.replace(bombed, type="AID", trigger="supplied")
    assert samefact.same_place(kursk, supplied) and not samefact.same_place_act(kursk, supplied)
    assert not samefact.same_place_act(kursk, dataclasses.replace(bombed, place="e_belgorod",
                                                                  place_name="Belgorod"))


def test_one_act_of_the_same_two_parties_needs_actor_and_target() -> None:
    x = _event(ONE, "shelled", "ASSAULT", "e_army", "e_town")
    assert samefact.same_parties_act(x, _event(TWO, "bombarded", "ASSAULT", "e_army", "e_town"))
    # one target by another actor is one target, not the same two parties
    assert samefact.same_target(x, _event(TWO, "bombarded", "ASSAULT", "e_rebels", "e_town"))
    assert not samefact.same_parties_act(x, _event(TWO, "bombarded", "ASSAULT", "e_rebels", "e_town"))
    assert not samefact.same_parties_act(x, _event(TWO, "supplied", "AID", "e_army", "e_town"))
    assert not samefact.same_parties_act(_event(ONE, "shelled", "ASSAULT", None, "e_town"),
                                         _event(TWO, "bombarded", "ASSAULT", None, "e_town"))



def test_one_act_needs_two_events_sharing_a_type_or_trigger() -> None:
    x = _event(ONE, "shelled", "ASSAULT", "e_army", "e_town")
    assert samefact.one_act(x, _event(TWO, "bombarded", "ASSAULT", "e_rebels", None))
    assert not samefact.one_act(x, _event(TWO, "supplied", "AID", "e_army", "e_town"))


def test_told_within_follows_its_share_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    short = "The army shelled the town overnight."
    longer = "The army shelled the border town overnight, killing four civilians, officials said."
    monkeypatch.setattr(defaults, "CLAIM_TOLD_WITHIN_SHARE", 0.7)
    assert samefact.told_within(short, longer)
    assert not samefact.told_within(short, "Artillery hit the settlement during the night.")
    monkeypatch.setattr(defaults, "CLAIM_TOLD_WITHIN_SHARE", 1.01)
    assert not samefact.told_within(short, longer)


def test_parties_differ_when_an_actor_or_target_is_two_entities() -> None:
    x = _event(ONE, "shelled", "ASSAULT", "e_army", "e_town")
    assert samefact.parties_differ(x, _event(TWO, "bombarded", "ASSAULT", "e_rebels", "e_town"))
    assert samefact.parties_differ(x, _event(TWO, "bombarded", "ASSAULT", "e_army", "e_city"))
    assert not samefact.parties_differ(x, _event(TWO, "bombarded", "ASSAULT", None, "e_town"))
