"""Who acts for whom, read from one article's names and titles (newsfuse/fuse/claims/actsfor.py), and the
claim gate's reading of it (samefact.acts_for_parties_act, samefact.agreement)."""

from __future__ import annotations

import pytest

from newsfuse import defaults
from newsfuse.fuse.claims import actsfor, samefact
from newsfuse.fuse.claims.statements import Statement
from newsfuse.models import Analysis, Article, Mention, Span

TEXT = ("The Kremlin said on Monday that Russian President Vladimir Putin had signed the order, and NATO "
        "Secretary General Mark Rutte and former Russian minister Ivan Petrov criticised it.")
ART = Article(id="af-kremlin-order", text=TEXT, outlet="Oneline")
ONE = Article(id="af-strike-one", text="Russia struck the Ukrainian port of Odesa on Sunday.", outlet="One")
TWO = Article(id="af-strike-two", text="Putin's forces hit Odesa's port, Kyiv said.", outlet="Two")


def _mention(text: str, label: str, key: str, titles: tuple[str, ...] = ()) -> Mention:
    start = TEXT.index(text)
    return Mention(id=f"m-{key}", article_id=ART.id, start=start, end=start + len(text), text=text,
                   label=label, kind="name", entity_key=key, titles=titles)


def _principals() -> dict[str, frozenset[str]]:
    mentions = (
        _mention("Kremlin", "ORG", "Kremlin"),
        _mention("Vladimir Putin", "PERSON", "Vladimir Putin", ("Russian President",)),
        _mention("NATO", "ORG", "NATO"),
        _mention("Mark Rutte", "PERSON", "Mark Rutte", ("NATO Secretary General",)),
        _mention("Ivan Petrov", "PERSON", "Ivan Petrov", ("former Russian minister",)),
    )
    emap = {(ART.id, m.entity_key): f"e_{m.entity_key.split()[-1].lower()}" for m in mentions}
    return actsfor.principals(Analysis(article_id=ART.id, mentions=mentions), emap, ART.id)


def test_states_are_read_from_names_of_countries_capitals_seats_and_government_bodies() -> None:
    assert actsfor.state_named("the Kremlin") == actsfor.state_named("Moscow") == "state:RUS"
    assert actsfor.state_named("Russian Defence Ministry") == "state:RUS"
    assert actsfor.state_named("Washington Post") is None  # a capital's word in another body's name
    assert actsfor.state_named("NATO") is None  # international bodies share one code: none is a state
    assert actsfor.state_named("Hamas") is None


def test_titles_say_whom_an_office_holder_acts_for() -> None:
    assert actsfor.state_of_title("Russian President") == "state:RUS"
    assert actsfor.state_of_title("Kremlin spokesman") == "state:RUS"
    assert actsfor.state_of_title("former Russian minister") is None
    assert actsfor.state_of_title("Russian opposition leader") is None
    assert actsfor.state_of_title("Russian journalist") is None  # no office that speaks for the state


def test_principals_of_one_article() -> None:
    found = _principals()
    assert found["e_kremlin"] == {"state:RUS"}
    assert found["e_putin"] == {"state:RUS"}
    assert found["e_rutte"] == {"e_nato"}  # the body his title names, no state
    assert "e_petrov" not in found and "e_nato" not in found


def _event(article: Article, trigger: str, actor: str, target: str | None, acts: frozenset[str]) -> Statement:
    span = Span(article.id, 0, len(article.text), article.text)
    return Statement(id=f"{article.id}-{trigger}", kind="event", article=article, text=trigger, span=span,
                     entity=actor, target=target, type="ASSAULT", trigger=trigger,
                     at=article.text.find(trigger), actor_for=acts)


def test_one_actor_named_two_ways_is_bridged_only_for_one_act_on_one_target() -> None:
    russia = _event(ONE, "struck", "e_russia", "e_odesa", frozenset({"state:RUS"}))
    putin = _event(TWO, "hit", "e_putin", "e_odesa", frozenset({"state:RUS"}))
    assert actsfor.acts_for(russia, putin)
    assert samefact.acts_for_parties_act(russia, putin)
    assert not samefact.same_parties_act(russia, putin)  # identity still needs one entity
    elsewhere = _event(TWO, "hit", "e_putin", "e_kharkiv", frozenset({"state:RUS"}))
    assert not samefact.acts_for_parties_act(russia, elsewhere)
    kyiv = _event(TWO, "hit", "e_kyiv", "e_odesa", frozenset({"state:UKR"}))
    assert not actsfor.acts_for(russia, kyiv)
    # a body and one acting for it: the body's own entity is what the other acts for
    nato = _event(ONE, "struck", "e_nato", "e_odesa", frozenset())
    rutte = _event(TWO, "hit", "e_rutte", "e_odesa", frozenset({"e_nato"}))
    assert actsfor.acts_for(nato, rutte)


def test_agreement_weight_counts_one_actor_named_two_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    russia = _event(ONE, "struck", "e_russia", "e_odesa", frozenset({"state:RUS"}))
    putin = _event(TWO, "hit", "e_putin", "e_odesa", frozenset({"state:RUS"}))
    same = _event(TWO, "hit", "e_russia", "e_odesa", frozenset({"state:RUS"}))
    monkeypatch.setattr(defaults, "CLAIM_ACTS_FOR_AGREEMENT", 0.0)
    apart = samefact.agreement(russia, putin)
    monkeypatch.setattr(defaults, "CLAIM_ACTS_FOR_AGREEMENT", 1.0)
    assert samefact.agreement(russia, putin) == samefact.agreement(russia, same) == apart + 2


def test_an_articles_statements_carry_what_their_actor_acts_for() -> None:
    from newsfuse.fuse.claims.statements import statements
    from newsfuse.models import Event

    text = "Russian President Vladimir Putin ordered strikes on the port of Odesa on Sunday."
    article = Article(id="af-putin-orders", text=text, outlet="Threeline")
    putin = Mention(id="m-af-putin", article_id=article.id, start=text.index("Vladimir"),
                    end=text.index(" ordered"), text="Vladimir Putin", label="PERSON", kind="name",
                    entity_key="Vladimir Putin", titles=("Russian President",))
    odesa = Mention(id="m-af-odesa", article_id=article.id, start=text.index("Odesa"),
                    end=text.index(" on Sunday"), text="Odesa", label="GPE", kind="name", entity_key="Odesa")
    order = Event(id="ev-af-order", article_id=article.id, trigger="order",
                  trigger_start=text.index("ordered"), trigger_end=text.index(" strikes"),
                  sentence_start=0, sentence_end=len(text), type="COERCE", source="Vladimir Putin",
                  source_key="Vladimir Putin", target="Odesa", target_key="Odesa")
    analysis = Analysis(article_id=article.id, mentions=(putin, odesa), events=(order,))
    emap = {(article.id, "Vladimir Putin"): "e_af_putin", (article.id, "Odesa"): "e_af_odesa"}
    found = [s for s in statements(article, analysis, emap, set()) if s.kind == "event"]
    assert found and found[0].entity == "e_af_putin"
    assert found[0].actor_for == {"state:RUS"}
