"""Events: triggers, PLOVER types, actors, mode, place, time and amounts."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import benchmods
import pytest

from newsfuse.analyze.events import extract as events
from newsfuse.analyze.events import plover
from newsfuse.analyze.parse import ParsedDoc, Sent, Tok
from newsfuse.models import Amount, Event, Mention, TimeExpr

ROOT = Path(__file__).resolve().parent.parent
PLOVER_DEV = ROOT.parent / "shared" / "bench" / "plover" / "plover_gsr_dev.json"


def _parse(text: str) -> ParsedDoc:
    from newsfuse.analyze.nlp import parse

    return parse(text)


def _events(text: str) -> list[Event]:
    return events.find_events(_parse(text), "a1", [], [], [])


def _one(found: list[Event], trigger: str) -> Event:
    hits = [e for e in found if e.trigger == trigger]
    assert len(hits) == 1, [(e.trigger, e.type) for e in found]
    return hits[0]


# --- no spaCy: the rules run on a hand-made parse ---------------------------------------------


def _toks(rows: list[tuple[str, str, str, str, int, str]]) -> tuple[Tok, ...]:
    out, idx = [], 0
    for i, (text, lemma, pos, dep, head, ent) in enumerate(rows):
        out.append(Tok(i, text, idx, lemma, pos, "", dep, head, ent, "B" if ent else "O", " "))
        idx += len(text) + 1
    return tuple(out)


def test_rules_run_on_a_hand_made_parse() -> None:
    tokens = _toks([
        ("Rebels", "rebel", "NOUN", "nsubj", 1, ""),
        ("attacked", "attack", "VERB", "ROOT", 1, ""),
        ("Kabul", "Kabul", "PROPN", "dobj", 1, "GPE"),
    ])
    doc = ParsedDoc("Rebels attacked Kabul ", tokens, (Sent(0, 3, 0, 22),), ())
    (event,) = events.find_events(doc, "a1", [], [], [])
    assert (event.trigger, event.type, event.mode) == ("attack", "ASSAULT", "asserted")
    assert (event.source, event.target) == ("Rebels", "Kabul")
    assert (event.trigger_start, event.trigger_end) == (7, 15)


def test_empty_document_has_no_events() -> None:
    doc = ParsedDoc("", (), (), ())
    assert events.find_events(doc, "a1", [], [], []) == []


# --- seeds -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_docs() -> list[ParsedDoc]:
    seeds = ROOT.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds is not beside the project")
    return [_parse(p.read_text(encoding="utf-8")) for p in sorted(seeds.glob("[0-9]*.txt"))]


def _in_sentence(docs: list[ParsedDoc], phrase: str) -> list[Event]:
    """Events of the seed sentence holding ``phrase``."""
    for doc in docs:
        at = doc.text.find(phrase)
        if at >= 0:
            found = events.find_events(doc, "seed", [], [], [])
            return [e for e in found if e.sentence_start <= at < e.sentence_end]
    raise AssertionError(f"{phrase!r} is in no seed")


@pytest.mark.slow
def test_seed_considering_is_not_asserted(seed_docs: list[ParsedDoc]) -> None:
    found = _in_sentence(seed_docs, "is considering following")
    follow = _one(found, "follow")
    assert follow.source == "France"
    assert follow.mode in ("possible", "planned")
    assert not any(e.mode == "asserted" and e.source == "France" for e in found)


@pytest.mark.slow
def test_seed_biden_authorized_is_an_asserted_concession(seed_docs: list[ParsedDoc]) -> None:
    event = _one(_in_sentence(seed_docs, "Biden authorized the use"), "authorize")
    assert event.type == "CONCEDE"  # easing a restriction / acceding to a demand (CAMEO 08)
    assert event.mode == "asserted" and not event.negated
    assert event.source is not None and event.source.endswith("Biden")
    assert event.target == "Ukraine"


@pytest.mark.slow
def test_seed_massive_strike_is_an_assault_on_ukraine(seed_docs: list[ParsedDoc]) -> None:
    event = _one(_in_sentence(seed_docs, "launched a massive strike"), "strike")
    assert (event.type, event.mode) == ("ASSAULT", "asserted")
    assert (event.source, event.target) == ("Russia", "Ukraine")


@pytest.mark.slow
def test_seed_will_trigger_measures_is_planned(seed_docs: list[ParsedDoc]) -> None:
    found = _in_sentence(seed_docs, "Russia will trigger measures")
    russian = [e for e in found if e.source == "Russia"]
    assert russian and all(e.mode == "planned" for e in russian)


@pytest.mark.slow
def test_seed_is_said_to_have_lifted_is_reported(seed_docs: list[ParsedDoc]) -> None:
    event = _one(_in_sentence(seed_docs, "is said to have lifted"), "lift")
    assert event.mode == "reported"
    assert event.source == "Biden administration" and event.target == "Ukraine"


@pytest.mark.slow
def test_seed_reported_decision_to_allow_is_reported(seed_docs: list[ParsedDoc]) -> None:
    event = _one(_in_sentence(seed_docs, "reported decision to allow"), "allow")
    assert (event.type, event.mode, event.target) == ("CONCEDE", "reported", "Ukraine")


@pytest.mark.slow
def test_seed_events_are_sorted_and_stable(seed_docs: list[ParsedDoc]) -> None:
    for doc in seed_docs:
        first = events.find_events(doc, "seed", [], [], [])
        assert first == events.find_events(doc, "seed", [], [], [])
        assert [e.trigger_start for e in first] == sorted(e.trigger_start for e in first)
        for e in first:
            at = doc.token_at(e.trigger_start)  # the trigger names the lemma of the word it spans
            assert at is not None and doc.tokens[at].lemma.lower() == e.trigger
            assert doc.tokens[at].end == e.trigger_end
            assert e.sentence_start <= e.trigger_start < e.sentence_end


# --- modes on tiny texts -----------------------------------------------------------------------


@pytest.mark.slow
def test_did_not_is_denied() -> None:
    event = _one(_events("Russian troops did not attack the village."), "attack")
    assert (event.mode, event.negated) == ("denied", True)


@pytest.mark.slow
def test_no_evidence_is_denied() -> None:
    event = _one(_events("There is no evidence that the troops attacked the town."), "attack")
    assert event.mode == "denied"


@pytest.mark.slow
def test_neither_confirmed_is_denied() -> None:
    found = _events("Neither Russia nor North Korea have confirmed the deployment of the troops.")
    assert _one(found, "deployment").mode == "denied"


@pytest.mark.slow
def test_if_clause_is_conditional() -> None:
    found = _events("If Russia attacks Poland, NATO will respond.")
    attack = _one(found, "attack")
    assert (attack.mode, attack.source, attack.target) == ("conditional", "Russia", "Poland")


@pytest.mark.slow
def test_may_is_possible_and_plans_to_is_planned() -> None:
    assert _one(_events("Germany may send tanks to Ukraine."), "send").mode == "possible"
    planned = _one(_events("Ukraine plans to carry out long-range attacks next week."), "attack")
    assert (planned.mode, planned.source) == ("planned", "Ukraine")


@pytest.mark.slow
def test_reportedly_is_reported() -> None:
    event = _one(_events("The army reportedly shelled the town."), "shell")
    assert (event.type, event.mode) == ("FIGHT", "reported")


@pytest.mark.slow
def test_passive_by_agent_is_the_source() -> None:
    event = _one(_events("The convoy was attacked by rebels."), "attack")
    assert (event.source, event.target) == ("rebels", "convoy")


@pytest.mark.slow
def test_said_must_is_a_demand() -> None:
    event = _one(_events("Russia said that Sudan must return the helicopter."), "say")
    assert (event.type, event.source, event.target) == ("DEMAND", "Russia", "Sudan")


@pytest.mark.slow
def test_place_time_amount_and_keys_from_other_analyzers() -> None:
    text = "On Sunday officials met in Geneva, and Russian forces attacked Kharkiv with 40 drones on Monday."
    doc = _parse(text)

    def at(s: str) -> tuple[int, int]:
        return text.index(s), text.index(s) + len(s)

    mentions = [
        Mention("m1", "a1", *at("Russian forces"), "Russian forces", "NORP", "name", "Russian armed forces"),
        Mention("m2", "a1", *at("Kharkiv"), "Kharkiv", "GPE", "name", "Kharkiv"),
    ]
    times = [
        TimeExpr("t1", "a1", *at("On Sunday"), "On Sunday", "2024-11-17", "2024-11-17", "day"),
        TimeExpr("t2", "a1", *at("on Monday"), "on Monday", "2024-11-18", "2024-11-18", "day"),
    ]
    amounts = [Amount("n1", "a1", *at("40 drones"), "40 drones", 40.0, counted="drones")]
    attack = _one(events.find_events(doc, "a1", mentions, times, amounts), "attack")
    assert (attack.source_key, attack.target_key) == ("Russian armed forces", "Kharkiv")
    assert (attack.time_id, attack.date_start) == ("t2", "2024-11-18")
    assert attack.amount_ids == ("n1",)
    meet = _one(events.find_events(doc, "a1", mentions, times, amounts), "meet")
    assert meet.place == "Geneva" and meet.time_id == "t1" and meet.amount_ids == ()


@pytest.mark.slow
def test_a_common_noun_actor_keeps_the_place_that_says_whose_it_is() -> None:
    # PLOVER codes 'rebels in X' by X; a phrase that names whose the actor is needs no place
    block = _one(_events("Rebels in the Ivory Coast blocked the main road into Abidjan on Tuesday."), "block")
    assert block.source == "Rebels in the Ivory Coast"
    assert block.place == "Ivory Coast"  # the event's place is read as before
    based = _one(_events("A militia based in Tripoli attacked the convoy."), "attack")
    assert based.source == "militia based in Tripoli"
    named = _one(_events("Albanian rebels in Macedonia attacked a police station on Friday."), "attack")
    assert named.source == "Albanian rebels"


@pytest.mark.slow
def test_a_lower_case_description_before_a_name_is_not_the_actor() -> None:
    summon = _one(_events("The tribunal summoned opposition leader Maria Okonkwo to testify."), "summon")
    assert summon.target == "Maria Okonkwo"
    # a nationality says whose leader: the whole phrase is the actor, as PLOVER coders write it
    criticize = _one(_events("Kenyan leader Daniel Moi criticized the tribunal."), "criticize")
    assert criticize.source == "Kenyan leader Daniel Moi"


@pytest.mark.slow
def test_the_doers_own_object_is_not_the_target() -> None:
    withdraw = _one(_events("Syria withdrew its troops from Lebanon last year."), "withdraw")
    assert (withdraw.source, withdraw.target) == ("Syria", "Lebanon")


@pytest.mark.slow
def test_a_threatened_acts_place_is_the_events_place() -> None:
    threaten = _one(_events("The governor threatened to impose a curfew in Mombasa."), "threaten")
    assert threaten.place == "Mombasa"
    curfew = _one(_events("Police imposed a curfew in the town of Tarvos on Sunday."), "curfew")
    assert curfew.place == "Tarvos"  # the town of X is X


@pytest.mark.slow
def test_an_unlisted_main_verb_is_guessed_over_a_listed_word_below(monkeypatch: pytest.MonkeyPatch) -> None:
    # no word list names 'detonate'; the hand lexicon knows only the protest it followed
    text = "Villagers said the insurgents detonated explosives at the police station after a protest."
    doc = _parse(text)
    found = events.find_events(doc, "a1", [], [], [])
    main = events.main_event(doc, found)
    assert main is not None
    assert (main.trigger, main.type, main.source) == ("detonate", "ASSAULT", "insurgents")
    assert main.confidence <= 0.45  # a guess: below the claim floor
    monkeypatch.setattr(events.defaults, "EVENT_MAIN_VERB_PROTOTYPES", False)
    assert [e.trigger for e in events.find_events(doc, "a1", [], [], [])] == ["protest"]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "control", "act"), [
    ("The ministry used its police to arrest the strikers.", "use", "arrest"),
    ("The army employed artillery to shell the northern villages.", "employ", "shell"),
])
def test_a_guessed_control_verb_passes_the_event_to_its_to_clause(
    monkeypatch: pytest.MonkeyPatch, text: str, control: str, act: str
) -> None:
    doc = _parse(text)
    monkeypatch.setattr(events.defaults, "EVENT_GUESS_PASSES", 3)  # shipped off (defaults: why)
    found = events.find_events(doc, "a1", [], [], [])
    assert [e.trigger for e in found] == [act]
    assert (main := events.main_event(doc, found)) is not None and main.trigger == act
    monkeypatch.setattr(events.defaults, "EVENT_GUESS_PASSES", 0)  # the guess sat on the control verb
    assert control in [e.trigger for e in events.find_events(doc, "a1", [], [], [])]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "guess"), [
    # 'swear' is closest to 'Threaten' among the CAMEO descriptions: the oath is the event
    ("The separatists swore to fight until the last village is free.", "swear"),
    # a frame the mode rules read: passed down, the seizure would code as a threat
    ("The rebels tried to seize the airport near the capital.", "try"),
])
def test_a_guess_about_another_act_or_a_frame_keeps_the_event(
    monkeypatch: pytest.MonkeyPatch, text: str, guess: str
) -> None:
    monkeypatch.setattr(events.defaults, "EVENT_GUESS_PASSES", 3)
    found = events.find_events(_parse(text), "a1", [], [], [])
    assert guess in [e.trigger for e in found]
    assert len(found) == 2


@pytest.mark.slow
def test_the_main_verb_guess_goes_through_a_reporting_verb(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "The militants detonated explosives at the police station after a protest, the agency reported."
    doc = _parse(text)
    main = events.main_event(doc, events.find_events(doc, "a1", [], [], []))
    assert main is not None and (main.trigger, main.type) == ("detonate", "ASSAULT")
    monkeypatch.setattr(events.defaults, "EVENT_GUESS_PASSES", 0)
    assert [e.trigger for e in events.find_events(doc, "a1", [], [], [])] == ["protest"]


@pytest.mark.slow
def test_an_unlisted_noun_is_read_through_its_listed_verb(monkeypatch: pytest.MonkeyPatch) -> None:
    # the lexicon names 'abduct', not 'abduction'
    assert plover.noun_type("abduction") is None and plover.verb_type("abduct") is not None
    doc = _parse("Police confirmed the abduction of two aid workers near the border.")
    found = events.find_events(doc, "x15g-1", [], [], [])
    hit = _one(found, "abduction")
    assert hit.type == plover.verb_type("abduct")[0]  # type: ignore[index]
    assert hit.confidence <= 0.45  # a guess: below the claim floor
    monkeypatch.setattr(events.defaults, "EVENT_DERIVED_WORDS", 0)
    assert "abduction" not in [e.trigger for e in events.find_events(doc, "x15g-1", [], [], [])]


@pytest.mark.slow
def test_a_derived_noun_under_a_listed_event_is_its_argument() -> None:
    found = events.find_events(_parse("The minister condemned the abduction of two aid workers."),
                               "x15g-2", [], [], [])
    assert [e.trigger for e in found] == ["condemn"]


@pytest.mark.slow
def test_place_phrase_in_the_clause() -> None:
    event = _one(_events("Russian forces attacked the village in the Kursk region."), "attack")
    assert event.place == "Kursk region"


# --- quality gate on a slice of the PLOVER dev data --------------------------------------------


def _bench() -> ModuleType:
    module = benchmods.load(ROOT / "bench" / "events.py", "bench_events")
    return module


@pytest.mark.slow
def test_quality_gate_on_plover_dev_slice(monkeypatch: pytest.MonkeyPatch) -> None:
    if not PLOVER_DEV.is_file():
        pytest.skip("../shared/bench/plover is not beside the project")
    bench = _bench()
    # only the systems checked here are trained (the bench itself scores every word list)
    monkeypatch.setattr(bench, "SYSTEM_LEXICON", {"ours": "hand", "ours_fallback": "hand+codebook"})
    # the type model is cross-validated on the slice: each third typed by a model trained on the rest
    scores, n, _ = bench.run(PLOVER_DEV, step=2, folds=3)
    ours, keyword = scores["ours"].figures(), scores["keyword"].figures()
    lexicon = scores["lexicon"].figures()
    assert n >= 60
    # measured on this slice: type 0.88, source F1 0.90, target F1 0.68 (session 11: 0.88 / 0.87 / 0.65;
    # keyword: 0.69 / 0.63 / 0.61)
    assert ours["type_accuracy"] >= 0.82
    assert ours["type_accuracy"] >= lexicon["type_accuracy"] - 0.05
    assert ours["source_f1"] >= 0.87
    assert ours["target_f1"] >= 0.64
    assert ours["type_accuracy"] > keyword["type_accuracy"]
    fallback = scores["ours_fallback"].figures()  # the packaged model's lexicon: no worse on dev
    assert fallback["type_accuracy"] >= ours["type_accuracy"] - 0.02


@pytest.mark.slow
def test_quality_gate_on_unseen_wording(monkeypatch: pytest.MonkeyPatch) -> None:
    if not PLOVER_DEV.is_file():
        pytest.skip("../shared/bench/plover is not beside the project")
    from newsfuse.analyze.nlp import parse_many

    bench = _bench()
    # the packaged word list, and the one with PETRARCH2's CAMEO verb dictionary (measured, not shipped)
    systems = {"ours_fallback": "hand+codebook", "ours_cameo": "hand+cameo"}
    monkeypatch.setattr(bench, "SYSTEM_LEXICON", systems)
    golds = bench.load(PLOVER_DEV)[::2]
    docs = list(parse_many(g.text for g in golds))
    # word-out cross-validation: each fold's own trigger words are taken out of the hand lexicon (the
    # CAMEO verb dictionary, written without the records in view, stays whole)
    scores = {name: s.figures() for name, s in bench.word_out(golds, docs, 3, peer=False).items()}
    # measured on this slice: type 0.62, source F1 0.82, target F1 0.66 (session 11: 0.59 / 0.75 / 0.63;
    # session 9: 0.58 / 0.73 / 0.63; the hand lexicon alone 0.44 / 0.60 / 0.45, keyword 0.40)
    shipped = scores["ours_fallback"]
    assert shipped["type_accuracy"] >= 0.59
    assert shipped["type_accuracy"] > scores["lexicon"]["type_accuracy"]
    assert shipped["source_f1"] >= 0.78
    assert shipped["target_f1"] >= 0.63
    # hand+cameo, measured here with the dictionary whole: type 0.63, source 0.785, target 0.618
    # (session 11, before its two-actor rule); it must stay a working alternative
    assert scores["ours_cameo"]["type_accuracy"] >= 0.57
    assert shipped["type_accuracy"] > scores["keyword"]["type_accuracy"]


@pytest.mark.slow
def test_date_in_a_noun_modifier_clause_does_not_date_the_event() -> None:
    # 'built in 1931' tells when the bridge was built; the attack has no date of its own here
    text = "The Hollow Bridge, built in 1931, was attacked by rebels."
    doc = _parse(text)
    start = text.index("1931")
    times = [TimeExpr("t1", "a1", start, start + 4, "1931", "1931-01-01", "1931-12-31", "year")]
    attack = _one(events.find_events(doc, "a1", [], times, []), "attack")
    assert attack.time_id is None and attack.date_start is None


@pytest.mark.slow
def test_date_in_the_event_clause_still_dates_it() -> None:
    text = "Rebels attacked the Hollow Bridge in 1931."
    doc = _parse(text)
    start = text.index("1931")
    times = [TimeExpr("t1", "a1", start, start + 4, "1931", "1931-01-01", "1931-12-31", "year")]
    attack = _one(events.find_events(doc, "a1", [], times, []), "attack")
    assert attack.date_start == "1931-01-01"


def test_particles_and_idioms_change_the_verb_without_a_parse() -> None:
    from newsfuse.analyze.events import plover

    assert plover.verb_type("give", None, "way") is None  # 'the dam gave way'
    assert plover.verb_type("give", "up") == ("CONCEDE", False)
    assert plover.verb_type("give", None, None, ("out",)) is None  # generic verb + other particle
    assert plover.verb_type("fight", None, None, ("back",)) == ("FIGHT", False)  # specific verb keeps
    assert plover.verb_type("give", None, "aid") == ("AID", True)


@pytest.mark.slow
def test_gave_way_is_no_aid() -> None:
    found = _events("The dam gave way on Sunday and the bridge gave way an hour later.")
    assert [e for e in found if e.type == "AID"] == []


@pytest.mark.slow
def test_give_up_and_give_in_are_concessions() -> None:
    up = _one(_events("The rebels gave up their weapons."), "give")
    into = _one(_events("The government gave in to the strikers."), "give")
    assert (up.type, into.type) == ("CONCEDE", "CONCEDE")
    assert "rebels" in (up.source or "") and "government" in (into.source or "")


@pytest.mark.slow
def test_giving_aid_is_still_aid() -> None:
    event = _one(_events("Japan gave aid to the flood victims."), "aid")  # the noun names the act
    assert event.type == "AID" and event.source == "Japan"


@pytest.mark.slow
def test_signing_a_treaty_and_diplomatic_ties_are_support() -> None:
    signed = _one(_events("Estonia and Chile signed a treaty on Monday."), "sign")
    ties = _one(_events("Chile established diplomatic ties with Estonia."), "establish")
    assert (signed.type, ties.type) == ("SUPPORT", "SUPPORT")
    assert not [e for e in _events("Estonia and Chile signed a treaty on Monday.") if e.trigger == "treaty"]


@pytest.mark.slow
def test_expressed_support_is_support() -> None:
    found = _events("The minister expressed support for the flood victims.")
    assert [(e.trigger, e.type) for e in found] == [("support", "SUPPORT")]


# --- business transactions (analyze/events/deals.py) --------------------------------------------------


def _deal(text: str, trigger: str) -> Event:
    found = [e for e in _events(text) if e.trigger == trigger and e.type == "COOPERATE"]
    assert len(found) == 1, [(e.trigger, e.type, e.source, e.target) for e in _events(text)]
    return found[0]


@pytest.mark.slow
def test_agreed_to_buy_is_a_planned_deal_of_buyer_and_company() -> None:
    event = _deal("Orbis Holdings has agreed to buy Tallo for 300 million euros.", "buy")
    assert (event.source, event.target, event.mode) == ("Orbis Holdings", "Tallo", "planned")


@pytest.mark.slow
def test_will_acquire_is_planned_and_acquired_is_asserted() -> None:
    will = _deal("Orbis Holdings will acquire Tallo.", "acquire")
    did = _deal("Orbis Holdings acquired Tallo last year.", "acquire")
    assert (will.source, will.target, will.mode) == ("Orbis Holdings", "Tallo", "planned")
    assert (did.source, did.target, did.mode) == ("Orbis Holdings", "Tallo", "asserted")


@pytest.mark.slow
def test_acquisition_and_takeover_nouns_name_buyer_and_company() -> None:
    owned = _deal("Orbis Holdings's acquisition of Tallo closed on Friday.", "acquisition")
    passive = _deal("The takeover of Tallo by Orbis Holdings was approved.", "takeover")
    assert (owned.source, owned.target) == ("Orbis Holdings", "Tallo")
    assert (passive.source, passive.target) == ("Orbis Holdings", "Tallo")


@pytest.mark.slow
def test_a_deal_noun_keeps_its_own_mode_not_the_clause_above() -> None:
    # the review 'would' happen; the purchase is 'planned' by its own adjective
    event = _deal("The regulator said it would review Orbis Holdings' planned purchase of Tallo.", "purchase")
    assert (event.source, event.target, event.mode) == ("Orbis Holdings", "Tallo", "planned")


@pytest.mark.slow
def test_said_it_would_buy_is_a_reported_plan() -> None:
    event = _deal("Shares rose after Orbis Holdings said it would buy Tallo.", "buy")
    assert (event.source, event.target, event.mode) == ("Orbis Holdings", "Tallo", "planned")


@pytest.mark.slow
def test_buying_an_unnamed_thing_is_no_deal() -> None:
    found = _events("Customers buy bread every day and shops purchase flour in bulk.")
    assert not [e for e in found if e.type == "COOPERATE"]


@pytest.mark.slow
def test_agreed_to_buy_codes_as_agree_in_plover() -> None:
    from newsfuse.analyze.events import plover

    event = _deal("Orbis Holdings agreed to buy Tallo.", "buy")
    assert plover.coded_type(event.type, event.mode) == "AGREE"


@pytest.mark.slow
def test_sample_solvik_deal_is_an_event_between_the_two_companies(sample: Path) -> None:
    from newsfuse.analyze.names.mentions import find_mentions
    from newsfuse.ingest.articles import article_from_text

    article = article_from_text((sample / "brenna_ledger_solvik_deal.txt").read_text(encoding="utf-8"))
    doc = _parse(article.text)
    found = events.find_events(doc, article.id, find_mentions(doc, article.id), [], [])
    deal = _one([e for e in found if e.type == "COOPERATE"], "buy")
    assert (deal.source_key, deal.target_key, deal.mode) == ("Solvik Systems", "Quillpay", "planned")


@pytest.mark.slow
def test_date_of_an_after_clause_dates_only_that_clause() -> None:
    # the talks come after the March visit: March dates the visit, not the talks
    text = "Norland is weighing new talks with Ostria, after its minister visited Ostria in March."
    doc = _parse(text)
    start = text.index("in March")
    times = [TimeExpr("t1", "a1", start, start + 8, "in March", "2024-03-01", "2024-03-31", "month")]
    found = events.find_events(doc, "a1", [], times, [])
    talks = _one(found, "talk")
    visit = _one(found, "visit")
    assert talks.date_start is None
    assert visit.date_start == "2024-03-01"


@pytest.mark.slow
def test_a_noun_defined_by_mean_is_no_event() -> None:
    found = _events("Norland wants a peace that does not mean the surrender of Ostria.")
    assert not [e for e in found if e.trigger == "surrender"]
    # the same noun as the object of an action stays an event
    assert _one(_events("Ostria announced the surrender of its northern garrison."), "surrender")


@pytest.mark.slow
def test_the_subject_of_receive_is_the_recipient_not_the_giver() -> None:
    text = "Ostria could receive permission from Norland to fly over the strait."
    event = _one(_events(text), "permission")
    assert (event.source, event.target) == ("Norland", "Ostria")
    unnamed = _one(_events("Ostria received permission to fly over the strait."), "permission")
    assert (unnamed.source, unnamed.target) == (None, "Ostria")


def test_coordinated_actors_are_all_named_and_a_name_keeps_its_of_phrase() -> None:
    visit = _one(_events("The Gambian president will visit Mauritania and Senegal next week."), "visit")
    assert visit.target == "Mauritania and Senegal"
    demand = _one(_events("Washington demanded that the Republic of Korea release the sailors."), "demand")
    assert demand.target == "Republic of Korea"


def _dated(text: str, words: str, value: tuple[str, str]) -> list[Event]:
    start = text.index(words)
    times = [TimeExpr("t1", "a1", start, start + len(words), words, value[0], value[1], "month")]
    return events.find_events(_parse(text), "a1", [], times, [])


def test_when_a_speaker_spoke_does_not_date_what_he_said_would_happen() -> None:
    # 'in May' dates the indicating; France's allowing has no time of its own in this sentence
    text = "Later, the minister indicated in May that Norland might allow Ostria to use its rockets."
    allow = _one(_dated(text, "in May", ("2024-05-01", "2024-05-31")), "allow")
    assert allow.date_start is None


def test_when_a_paper_wrote_does_not_date_the_event_it_wrote_about() -> None:
    text = ("At the end of September, the Lisk Herald wrote that Norland could launch missiles on "
            "Ostrian territory.")
    launch = _one(_dated(text, "the end of September", ("2024-09-21", "2024-09-30")), "launch")
    assert launch.date_start is None
