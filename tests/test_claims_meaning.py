"""Claims matched by meaning (newsfuse/fuse/claims/meaning.py): clause units, and the two real seed
reports fused by the real pipeline, where facts told in other words must become one claim while
different facts stay apart."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fusion_helpers import fused_seeds

from newsfuse.fuse.claims.meaning import units
from newsfuse.fuse.claims.statements import Statement
from newsfuse.models import Article, Claim, Span
from newsfuse.store import Store, queries


def _event(text: str, word: str) -> Statement:
    article = Article(id="a1", text=text)
    at = text.index(word)
    return Statement(id="e1", kind="event", article=article, text=text, span=Span("a1", 0, len(text), text),
                     at=at)


def test_units_are_the_clause_runs_around_the_statement() -> None:
    text = ("The mayor has warned that the levee could fail within days, prompting the county to open "
            "three shelters, officials said.")
    found = [text[s:e] for _, s, e in units(_event(text, "warned"))]
    assert found[0].startswith("The mayor has warned") and found[0].rstrip(", ").endswith("within days")
    assert all("The mayor has warned" in u for u in found)
    assert not any(u.startswith("officials") for u in found)


def test_a_short_sentence_is_one_unit() -> None:
    text = "The council approved the budget on Monday."
    assert units(_event(text, "approved")) == [("a1", 0, len(text))]


# --- the seeds --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fused(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, str]]:
    yield from fused_seeds(tmp_path_factory)


def _evidence(c: Claim) -> str:
    return " ".join(sp.text for s in c.sources for sp in s.evidence)


def _holding(store: Store, sid: str, *phrases: str) -> list[Claim]:
    return [c for c in queries.story_claims(store, sid) if all(p in _evidence(c) for p in phrases)]


def _one_corroborated(store: Store, sid: str, *phrases: str) -> None:
    found = [c for c in _holding(store, sid, *phrases) if c.status == "corroborated"]
    assert found, [(_evidence(c)[:200], c.status) for c in _holding(store, sid, phrases[0])]
    assert any(c.independent_sources == 2 for c in found)


@pytest.mark.slow
def test_biden_authorisation_is_one_claim_of_both_outlets(fused: tuple[Store, str]) -> None:
    _one_corroborated(*fused, "decision to allow Ukraine", "Biden authorized")


@pytest.mark.slow
def test_putin_nato_warning_is_one_claim_of_both_outlets(fused: tuple[Store, str]) -> None:
    _one_corroborated(*fused, "direct NATO involvement", "direct involvement of NATO")


@pytest.mark.slow
def test_north_korean_troops_in_kursk_is_one_claim_of_both_outlets(fused: tuple[Store, str]) -> None:
    _one_corroborated(*fused, "North Korean soldiers", "North Korean troops in defense")


@pytest.mark.slow
@pytest.mark.parametrize("phrase", ["dangerous escalation", "Sergey Lavrov said"])
def test_other_warnings_stay_single_source(fused: tuple[Store, str], phrase: str) -> None:
    found = _holding(*fused, phrase)
    assert found
    assert all(c.status == "single-source" for c in found), [_evidence(c)[:300] for c in found]


# Different facts of the seeds, each by phrases only its own sentences hold.
_FACTS = {
    "authorisation": ("decision to allow Ukraine", "Biden authorized"),
    "nato warning": ("direct NATO involvement", "direct involvement of NATO"),
    "troops": ("North Korean soldiers", "North Korean troops in defense"),
    "peskov": ("dangerous escalation",),
    "lavrov": ("Sergey Lavrov said",),
    "no comment": ("declined to comment", "yet to officially comment"),
    "attack": ("massive Russian attack",),
}


@pytest.mark.slow
def test_no_claim_joins_two_different_facts(fused: tuple[Store, str]) -> None:
    store, sid = fused
    for c in queries.story_claims(store, sid):
        held = {fact for fact, phrases in _FACTS.items() if any(p in _evidence(c) for p in phrases)}
        assert len(held) <= 1, (c.text, held)


def _quote(speaker_entity: str | None, described: bool) -> Statement:
    text = "A spokesman said the report was not accurate."
    return Statement(id="q1", kind="quote", article=Article(id="a1", text=text), text=text,
                     span=Span("a1", 0, len(text), text), entity=speaker_entity, described=described)


def test_a_described_speakers_quote_may_be_a_named_speakers_in_other_words() -> None:
    from newsfuse.fuse.claims.meaning import _compatible

    # 'Mr. Strzok's lawyer' was resolved to Strzok: a description's entity is a guess.
    assert _compatible(_quote("e_strzok", True), _quote("e_goelman", False))
    # Two named speakers are two people; one speaker's quote is compared with anyone's.
    assert not _compatible(_quote("e_strzok", False), _quote("e_goelman", False))
    assert _compatible(_quote("e_strzok", False), _quote("e_strzok", False))


def test_a_speaker_written_as_a_description_is_marked_so() -> None:
    from newsfuse.fuse.claims.statements import _described

    assert _described("Mr. Strzok's lawyer") and _described("the woman")
    assert not _described("Aitan Goelman") and not _described(None)


def _cosine_matcher() -> object:
    """A two-stage matcher whose first stage reads the cosine alone: p = sigmoid(cosine - 0.5), so
    every pair is uncertain (band 0.3-0.8) and cosine 0.5 is nearest the decision point."""
    from newsfuse.fuse.claims import match as claimmatch

    n = len(claimmatch.FEATURES)
    first = claimmatch.Matcher((0.0,) * n, (1.0,) * n, (1.0,) + (0.0,) * (n - 1), -0.5)
    m = len(claimmatch.SECOND_FEATURES)
    second = claimmatch.Matcher((0.0,) * m, (1.0,) * m, (0.0,) * (m - 1) + (1.0,), 0.0)
    return claimmatch.TwoStage(first, second, (0.3, 0.8))


def test_the_cross_encoder_reads_at_most_its_cap_nearest_the_decision_point_whatever_the_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from newsfuse import defaults
    from newsfuse.fuse.claims import match as claimmatch
    from newsfuse.fuse.claims import meaning

    monkeypatch.setattr(claimmatch, "packaged", _cosine_matcher)
    monkeypatch.setattr(defaults, "CLAIM_MATCH_CROSS_ENCODER", True)
    monkeypatch.setattr(defaults, "CLAIM_CROSS_ENCODER_PAIRS_MAX", 2)
    words = ["Troops crossed the river.", "The army crossed a river.", "Rain fell all day.",
             "Officials met on Monday.", "A bridge was built."]

    def reads(order: list[int]) -> set[tuple[str, str]]:
        sentences = [meaning._Sentence(("a", i, i + 1), words[k], ()) for i, k in enumerate(order)]
        _, texts = np.unique(np.array([x.text for x in sentences]), return_inverse=True)
        where = {k: i for i, k in enumerate(order)}
        cosines = {(0, 1): 0.9, (0, 2): 0.52, (1, 3): 0.45, (2, 4): 0.5, (3, 4): 0.7}
        offered = {tuple(sorted((where[x], where[y]))): c for (x, y), c in cosines.items()}
        chosen = meaning.cross_encoder_reads(sentences, offered, texts)  # type: ignore[arg-type]
        assert chosen is not None
        by_number = {int(texts[i]): sentences[i].text for i in range(len(sentences))}
        return {(by_number[a], by_number[b]) for a, b in chosen}

    nearest = {tuple(sorted((words[2], words[4]))), tuple(sorted((words[0], words[2])))}
    assert reads([0, 1, 2, 3, 4]) == nearest  # cosines 0.5 and 0.52: p nearest 0.5
    assert reads([4, 2, 0, 3, 1]) == nearest
    monkeypatch.setattr(defaults, "CLAIM_CROSS_ENCODER_PAIRS_MAX", 5)
    sentences = [meaning._Sentence(("a", i, i + 1), w, ()) for i, w in enumerate(words)]
    assert meaning.cross_encoder_reads(sentences, {(0, 1): 0.9}, np.arange(5)) is None  # under the cap


def test_pairs_the_second_stage_reads_are_read_together_before_they_are_decided(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from newsfuse import defaults
    from newsfuse.fuse.claims import crossencoder, meaning
    from newsfuse.fuse.claims import match as claimmatch
    from newsfuse.fuse.claims import pairs as claimpairs

    calls: list[list[tuple[str, str]]] = []

    class Model:
        def mean_logits(self, pairs: list[tuple[str, str]]) -> np.ndarray:
            calls.append(list(pairs))
            return np.full(len(pairs), 3.0, dtype=np.float32)

    monkeypatch.setattr(claimmatch, "packaged", _cosine_matcher)
    monkeypatch.setattr(crossencoder, "packaged", Model)
    monkeypatch.setattr(crossencoder, "_version", lambda: "xe-ahead")
    monkeypatch.setattr(crossencoder, "LOGITS", crossencoder.LogitMemo(100))
    monkeypatch.setattr(claimpairs, "MEMO", claimpairs.PairMemo(100))
    monkeypatch.setattr(defaults, "CLAIM_MATCH_CROSS_ENCODER", True)
    words = ["Ferries stopped at Arlo.", "The Arlo ferries halted.", "Snow closed the pass.",
             "The pass shut under snow.", "A ferry sank."]
    sentences = [meaning._Sentence(("ahead", i, i + 1), w, ()) for i, w in enumerate(words)]
    texts = np.arange(len(words))
    # cosine -0.5 is a sure no for the first stage (p 0.27); 0.5 and 0.55 leave the pair to the second
    offered = {(0, 1): 0.5, (2, 3): 0.55, (0, 4): -0.5}
    meaning._read_ahead(sentences, offered, texts, None, None)
    assert calls == [[(words[0], words[1]), (words[2], words[3])]]
    decide = meaning._decider(None)
    asked: dict[tuple[object, ...], float] = {}
    for (i, j), c in offered.items():
        decide(sentences[i], sentences[j], c, (i, j), asked)
    assert len(calls) == 1  # each decision found its logit read ahead
    calls.clear()
    meaning._read_ahead(sentences, offered, texts, None, None)
    assert calls == []  # decided before: nothing read again


# --- which statement is whose partner inside an ambiguous run pair (CLAIM_JOINT_ASSIGN) ---------

# One sentence of each outlet telling two facts of one clause run: who arrested whom, who evacuated whom.
_ARRESTS = "Police arrested the gunman on Friday while firefighters evacuated 300 residents."
_ARRESTED = "The gunman was arrested by police as 300 residents were evacuated by firefighters."


def _told(article: Article, sid: str, trigger: str, kind: str, actor: str | None, target: str | None,
          stance: str = "supports") -> Statement:
    text = article.text
    return Statement(id=sid, kind="event", article=article, text=text,
                     span=Span(article.id, 0, len(text), text), type=kind, trigger=trigger,
                     entity=actor, target=target, stance=stance,
                     at=text.index(trigger))


def _runs(stance: str = "supports") -> tuple[object, object]:
    from newsfuse.fuse.claims import meaning

    a = Article(id="test-joint-arrests-a", text=_ARRESTS)
    b = Article(id="test-joint-arrests-b", text=_ARRESTED)
    xs = ((0, _told(a, "ja-arrest", "arrested", "ARREST", "police", "gunman")),
          (1, _told(a, "ja-evacuate", "evacuated", "MOBILIZE", "firefighters", "residents")))
    ys = ((2, _told(b, "jb-arrest", "arrested", "ARREST", "police", "gunman", stance)),
          (3, _told(b, "jb-evacuate", "evacuated", "MOBILIZE", "firefighters", "residents")))
    return (meaning._Sentence((a.id, 0, len(_ARRESTS)), _ARRESTS, xs),
            meaning._Sentence((b.id, 0, len(_ARRESTED)), _ARRESTED, ys))


def test_a_run_pair_telling_two_facts_each_gives_no_pair_without_the_assignment() -> None:
    from newsfuse.fuse.claims import meaning

    a, b = _runs()
    assert meaning._pairable(a, b) == []  # type: ignore[arg-type]


def test_the_assignment_pairs_each_fact_with_the_statement_that_agrees_on_act_and_parties() -> None:
    from newsfuse.fuse.claims import meaning

    a, b = _runs()
    assert sorted(meaning._pairable(a, b, True)) == [(0, 2), (1, 3)]  # type: ignore[arg-type]
    assert sorted(meaning._pairable(b, a, True)) == [(2, 0), (3, 1)]  # type: ignore[arg-type]


def test_the_assignment_joins_nothing_the_statements_cannot_tell_apart(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfuse import defaults
    from newsfuse.fuse.claims import meaning

    monkeypatch.setattr(defaults, "CLAIM_JOINT_MIN_AGREEMENT", 0.0)
    a = Article(id="test-joint-blasts-a", text="A blast hit the market and a second blast hit the station.")
    b = Article(id="test-joint-blasts-b",
                text="Two blasts hit the city, one at the market, one at the station.")
    xs = tuple((n, _told(a, f"jx{n}", "hit", "ATTACK", None, None)) for n in range(2))
    ys = tuple((n + 2, _told(b, f"jy{n}", "hit", "ATTACK", None, None)) for n in range(2))
    x = meaning._Sentence((a.id, 0, len(a.text)), a.text, xs)
    y = meaning._Sentence((b.id, 0, len(b.text)), b.text, ys)
    assert meaning._pairable(x, y, True) == []  # every pair agrees as much as its rivals: no clear partner


def test_the_assignment_never_pairs_statements_of_opposite_stance() -> None:
    from newsfuse.fuse.claims import meaning

    a, b = _runs(stance="denies")
    # the arrest told as denied is no partner: the evacuation, left with one compatible partner, joins
    assert meaning._pairable(a, b, True) == [(1, 3)]  # type: ignore[arg-type]


@pytest.mark.parametrize("assign", [False, True])
def test_the_meaning_pass_joins_both_facts_of_two_outlets_sentences_only_with_the_assignment(
        monkeypatch: pytest.MonkeyPatch, assign: bool) -> None:
    from newsfuse import defaults
    from newsfuse.fuse.claims import meaning
    from newsfuse.fuse.claims.vectors import SentenceVectors

    monkeypatch.setattr(defaults, "CLAIM_JOINT_ASSIGN", assign)
    a, b = _runs()
    statements = [s for _, s in a.holders] + [s for _, s in b.holders]  # type: ignore[attr-defined]
    found = meaning.join_by_meaning([[(s, "supports", None)] for s in statements], SentenceVectors())
    claims = sorted(sorted(s.id for s, _, _ in members) for members in found)
    # the matcher calls the two whole sentences one report (each holds both facts); which fact is
    # whose partner is what the statements' act and parties say
    expected = [["ja-arrest", "jb-arrest"], ["ja-evacuate", "jb-evacuate"]] if assign else sorted(
        [s.id] for s in statements)
    assert claims == expected


def test_the_assignment_does_not_depend_on_the_order_statements_are_held_in() -> None:
    from newsfuse.fuse.claims import meaning

    a, b = _runs()
    swapped = meaning._Sentence(b.key, b.text, tuple(reversed(b.holders)))  # type: ignore[attr-defined]
    assert sorted(meaning._pairable(a, swapped, True)) == [(0, 2), (1, 3)]  # type: ignore[arg-type]


# --- evidence of one incident (one place, one target) lowers the matcher's bar -------------------

def _offer(article: Article, sid: str, actor: str, name: str) -> Statement:
    text = article.text
    label = f"UNTYPED offered ({name} -> Teixeira)"
    return Statement(id=sid, kind="event", article=article, text=f"{label}: {text}",
                     span=Span(article.id, 0, len(text), text), trigger="offered", entity=actor,
                     target="e-teixeira", at=text.index("offered"))


def _offers(second: str, second_name: str) -> tuple[object, object]:
    from newsfuse.fuse.claims import meaning

    a = Article(id="test-apart-offer-a", text="The Angels offered Teixeira an eight-year deal.")
    b = Article(id=f"test-apart-offer-{second_name.lower()}",
                text=f"The {second_name} offered Teixeira an eight-year deal.")
    x, y = _offer(a, "ao-a", "e-angels", "Angels"), _offer(b, "ao-b", second, second_name)
    return (meaning._Sentence((a.id, 0, len(a.text)), a.text, ((0, x),)),
            meaning._Sentence((b.id, 0, len(b.text)), b.text, ((1, y),)))


def test_offered_pairs_are_scored_as_the_plain_loop_scores_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """The arrays that gather the offered pairs (each distinct text pair and cosine asked once) give
    the pairs, cosines and answers of the loop over every pair, wire copies and all."""
    import numpy as np

    from newsfuse.fuse.claims import match as claimmatch
    from newsfuse.fuse.claims import meaning
    from newsfuse.fuse.claims import pairs as claimpairs

    monkeypatch.setattr(claimmatch, "packaged", _cosine_matcher)
    rng = np.random.default_rng(14)
    words = ["Troops crossed the river at dawn.", "The army crossed a river early on.",
             "Rain fell all day over the valley.", "Officials met on Monday to talk.",
             "A bridge was built across the river.", "The river was crossed by soldiers."]
    base = rng.normal(size=(len(words), 4)) + np.array([2.0, 0, 0, 0])  # alike enough to be offered
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    picks = rng.integers(0, len(words), size=40)  # 40 sentences of 8 articles: copies of 6 texts
    sentences = [meaning._Sentence((f"meaning-loop-{n % 8}", n, n + 1), words[k], ())
                 for n, k in enumerate(picks.tolist())]
    matrix = base[picks].astype(np.float32)

    def scored(loop: bool) -> list[tuple[float, float, int, int]]:
        claimpairs.NEIGHBOURS.clear()
        claimpairs.MEMO.clear()
        monkeypatch.setattr(meaning, "_reads_limited", lambda: loop)  # True: the plain loop
        return meaning._scored(sentences, matrix)

    fast, plain = scored(False), scored(True)
    assert fast == plain
    assert len(fast) > 20 and len({(round(p, 6), t) for p, t, _, _ in fast}) > 1  # pairs, not all alike
    first, numbers = meaning._numbered([x.text for x in sentences])
    assert all(sentences[int(first[numbers[n]])].text == x.text for n, x in enumerate(sentences))
    assert len(first) == len(set(words[k] for k in picks.tolist()))


# --- evidence of one incident: the lower bars of CLAIM_SAME_PLACE_PROBABILITY / _TARGET_ ---

def _placed(run: object, place: str | None, name: str) -> object:
    import dataclasses

    from newsfuse.fuse.claims import meaning

    held = tuple((n, dataclasses.replace(x, place=place, place_name=name))
                 for n, x in run.holders)  # type: ignore[attr-defined]
    return meaning._Sentence(run.key, run.text, held)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("place_bar", "p", "joins"),
                         [(0.5, 0.3, False), (0.2, 0.3, True), (0.2, 0.1, False)])
def test_one_place_joins_a_pair_the_matcher_is_unsure_of_only_above_its_own_bar(
        monkeypatch: pytest.MonkeyPatch, place_bar: float, p: float, joins: bool) -> None:
    from newsfuse import defaults
    from newsfuse.fuse.claims import meaning

    monkeypatch.setattr(defaults, "CLAIM_SAME_PLACE_PROBABILITY", place_bar)
    monkeypatch.setattr(defaults, "CLAIM_SAME_TARGET_PROBABILITY", 0.5)
    a, b = _offers("e-nationals", "Nationals")
    here, there = _placed(a, "e-anaheim", "Anaheim"), _placed(b, "e-anaheim", "Anaheim")
    assert meaning.joined(here, there, p, 0.5) == ([(0, 1)] if joins else [])  # type: ignore[arg-type]
    # two places, or none resolved, are no evidence: the matcher's own bar holds
    elsewhere = _placed(b, "e-washington", "Washington")
    assert meaning.joined(here, elsewhere, p, 0.5) == []  # type: ignore[arg-type]
    assert meaning.joined(here, _placed(b, None, "Anaheim"), p, 0.5) == []  # type: ignore[arg-type]
    # at the matcher's bar the gate decides alone; with the same-fact model deciding, no lower bar
    assert meaning.joined(here, elsewhere, 0.5, 0.5) == [(0, 1)]  # type: ignore[arg-type]
    assert meaning.joined(here, there, p, 0.5, lowered=False) == []  # type: ignore[arg-type]


def test_one_target_joins_at_its_own_bar_and_two_targets_do_not(monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from newsfuse import defaults
    from newsfuse.fuse.claims import meaning

    monkeypatch.setattr(defaults, "CLAIM_SAME_PLACE_PROBABILITY", 0.5)
    monkeypatch.setattr(defaults, "CLAIM_SAME_TARGET_PROBABILITY", 0.2)
    a, b = _offers("e-nationals", "Nationals")  # both offered Teixeira: one target
    assert meaning.joined(a, b, 0.3, 0.5) == [(0, 1)]  # type: ignore[arg-type]
    assert meaning.joined(a, b, 0.1, 0.5) == []  # type: ignore[arg-type]
    other = meaning._Sentence(b.key, b.text, tuple(  # type: ignore[attr-defined]
        (n, dataclasses.replace(x, target="e-sabathia")) for n, x in b.holders))  # type: ignore[attr-defined]
    assert meaning.joined(a, other, 0.3, 0.5) == []  # type: ignore[arg-type]


def test_evidence_joins_only_the_statement_pair_that_carries_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two facts of one run pair: the arrest pair shares a target, the evacuation pair does not; below
    the matcher's bar only the arrests join."""
    import dataclasses

    from newsfuse import defaults
    from newsfuse.fuse.claims import meaning

    monkeypatch.setattr(defaults, "CLAIM_SAME_PLACE_PROBABILITY", 0.5)
    monkeypatch.setattr(defaults, "CLAIM_SAME_TARGET_PROBABILITY", 0.2)
    a, b = _runs()
    moved = meaning._Sentence(b.key, b.text, tuple(  # type: ignore[attr-defined]
        (n, dataclasses.replace(x, target=None) if x.type == "MOBILIZE" else x)
        for n, x in b.holders))  # type: ignore[attr-defined]
    assert sorted(meaning.joined(a, b, 0.6, 0.5)) == [(0, 2), (1, 3)]  # type: ignore[arg-type]
    assert meaning.joined(a, moved, 0.3, 0.5) == [(0, 2)]  # type: ignore[arg-type]


def test_one_act_in_one_place_joins_at_its_own_bar_and_one_place_alone_does_not(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    from newsfuse import defaults
    from newsfuse.fuse.claims import meaning

    for name in ("CLAIM_SAME_PLACE_PROBABILITY", "CLAIM_SAME_TARGET_PROBABILITY",
                 "CLAIM_SAME_PARTIES_ACT_PROBABILITY"):
        monkeypatch.setattr(defaults, name, 0.5)
    monkeypatch.setattr(defaults, "CLAIM_SAME_PLACE_ACT_PROBABILITY", 0.2)
    a, b = _offers("e-nationals", "Nationals")
    here, there = _placed(a, "e-anaheim", "Anaheim"), _placed(b, "e-anaheim", "Anaheim")
    assert meaning.joined(here, there, 0.3, 0.5) == [(0, 1)]  # type: ignore[arg-type]
    assert meaning.joined(here, there, 0.1, 0.5) == []  # type: ignore[arg-type]
    # one place, another act: the place alone lowers nothing here
    other_act = meaning._Sentence(there.key, there.text, tuple(  # type: ignore[attr-defined]
        (n, dataclasses.replace(x, trigger="signed", type="COOPERATE"))
        for n, x in there.holders))  # type: ignore[attr-defined]
    assert meaning.joined(here, other_act, 0.3, 0.5) == []  # type: ignore[arg-type]


def test_one_act_of_the_same_two_parties_joins_at_its_own_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfuse import defaults
    from newsfuse.fuse.claims import meaning

    for name in ("CLAIM_SAME_PLACE_PROBABILITY", "CLAIM_SAME_TARGET_PROBABILITY",
                 "CLAIM_SAME_PLACE_ACT_PROBABILITY"):
        monkeypatch.setattr(defaults, name, 0.5)
    monkeypatch.setattr(defaults, "CLAIM_SAME_PARTIES_ACT_PROBABILITY", 0.2)
    assert meaning.joined(*_offers("e-angels", "Angels"), 0.3, 0.5) == [(0, 1)]  # type: ignore[misc]
    # one target, another actor: not the same two parties
    assert meaning.joined(*_offers("e-nationals", "Nationals"), 0.3, 0.5) == []  # type: ignore[misc]


# --- offered whatever the cosine: one act in one resolved place (CLAIM_PLACE_ACT_PAIRS_MAX) ---

def _in_place(n: int, text: str, trigger: str, type_: str, place: str | None) -> object:
    """A clause run of its own article holding one event statement of ``type_`` placed at ``place``."""
    from newsfuse.fuse.claims import meaning

    article = Article(id=f"test-place-act-{n}", text=text)
    s = Statement(id=f"pa-{n}", kind="event", article=article, text=text,
                  span=Span(article.id, 0, len(text), text), trigger=trigger, type=type_,
                  place=place, place_name=place or "", at=text.index(trigger))
    return meaning._Sentence((article.id, 0, len(text)), text, ((n, s),))


def _place_runs() -> list[object]:
    return [_in_place(0, "Rebels shelled Avdiivka overnight.", "shelled", "ASSAULT", "e-avdiivka"),
            _in_place(1, "The town came under heavy bombardment.", "bombardment", "ASSAULT", "e-avdiivka"),
            _in_place(2, "Artillery pounded Kherson on Friday.", "pounded", "ASSAULT", "e-kherson"),
            _in_place(3, "Aid trucks reached the town at noon.", "reached", "AID", "e-avdiivka"),
            _in_place(4, "Shelling went on through the night.", "Shelling", "ASSAULT", None)]


def test_one_act_in_one_place_is_offered_whatever_the_cosine(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from newsfuse import defaults
    from newsfuse.fuse.claims import meaning

    monkeypatch.setattr(defaults, "CLAIM_PLACE_ACT_PAIRS_MAX", 400)
    runs = _place_runs()
    matrix = np.eye(len(runs), dtype=np.float32)  # every cosine 0: no nearest neighbour at the floor
    # one act, one place; another place, another act or no resolved place offers nothing
    assert meaning._place_act_pairs(runs, matrix) == [((0, 1), 0.0)]  # type: ignore[arg-type]
    monkeypatch.setattr(defaults, "CLAIM_PLACE_ACT_PAIRS_MAX", 0)
    assert meaning._place_act_pairs(runs, matrix) == []  # type: ignore[arg-type]


def test_a_pair_in_one_place_under_the_floor_reaches_the_matcher(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from newsfuse import defaults
    from newsfuse.fuse.claims import match as claimmatch
    from newsfuse.fuse.claims import meaning
    from newsfuse.fuse.claims import pairs as claimpairs

    monkeypatch.setattr(claimmatch, "packaged", _cosine_matcher)
    monkeypatch.setattr(defaults, "CLAIM_PLACE_ACT_PAIRS_MAX", 400)
    runs = _place_runs()
    matrix = np.eye(len(runs), dtype=np.float32)

    def asked() -> set[tuple[int, int]]:
        claimpairs.NEIGHBOURS.clear()
        claimpairs.MEMO.clear()
        return {(i, j) for _, _, i, j in meaning._scored(runs, matrix)}  # type: ignore[arg-type]

    assert asked() == {(0, 1)}
    monkeypatch.setattr(defaults, "CLAIM_PLACE_ACT_PAIRS_MAX", 0)
    assert asked() == set()
# --- one fact told with more detail: the lower bar of CLAIM_TOLD_WITHIN_PROBABILITY ---------------

def _within_runs(longer: str, trigger: str = "offered") -> tuple[object, object]:
    from newsfuse.fuse.claims import meaning

    a = Article(id="test-within-offer-a", text="The Angels offered Teixeira an eight-year deal.")
    b = Article(id=f"test-within-offer-b-{len(longer)}-{trigger}", text=longer)
    x = _offer(a, "wo-a", "e-angels", "Angels")
    y = Statement(id="wo-b", kind="event", article=b, text=longer, span=Span(b.id, 0, len(longer), longer),
                  trigger=trigger, entity="e-angels", target="e-teixeira", at=max(longer.find(trigger), 0))
    return (meaning._Sentence((a.id, 0, len(a.text)), a.text, ((0, x),)),
            meaning._Sentence((b.id, 0, len(b.text)), b.text, ((1, y),)))


@pytest.mark.parametrize(("bar", "p", "joins"), [(0.5, 0.3, False), (0.2, 0.3, True), (0.2, 0.1, False)])
def test_a_telling_held_within_a_longer_one_joins_at_its_own_bar(
        monkeypatch: pytest.MonkeyPatch, bar: float, p: float, joins: bool) -> None:
    from newsfuse import defaults
    from newsfuse.fuse.claims import meaning

    for name in ("CLAIM_SAME_PLACE_PROBABILITY", "CLAIM_SAME_TARGET_PROBABILITY",
                 "CLAIM_SAME_PLACE_ACT_PROBABILITY", "CLAIM_SAME_PARTIES_ACT_PROBABILITY"):
        monkeypatch.setattr(defaults, name, 0.5)
    monkeypatch.setattr(defaults, "CLAIM_TOLD_WITHIN_PROBABILITY", bar)
    monkeypatch.setattr(defaults, "CLAIM_TOLD_WITHIN_SHARE", 0.7)
    monkeypatch.setattr(defaults, "CLAIM_TOLD_WITHIN_ACT", True)
    longer = "On Friday the Angels offered Teixeira an eight-year deal, his agent told reporters."
    assert meaning.joined(*_within_runs(longer), p, 0.5) == ([(0, 1)] if joins else [])  # type: ignore[misc]
    # the longer holds few of the shorter's words: no evidence, the matcher's own bar holds
    reworded = "On Friday the club made the first baseman a long-term proposal, his agent told reporters."
    assert meaning.joined(*_within_runs(reworded), p, 0.5) == []  # type: ignore[misc]
    # with one act needed, statements of two acts do not join; without, the gate's compatibility does
    other = _within_runs(longer, "told")
    assert meaning.joined(*other, p, 0.5) == []  # type: ignore[misc]
    monkeypatch.setattr(defaults, "CLAIM_TOLD_WITHIN_ACT", False)
    assert meaning.joined(*other, p, 0.5) == ([(0, 1)] if joins else [])  # type: ignore[misc]
# --- the compared sentences, kept per article between calls ------------------------------------

_KEPT_TEXTS = ("Rebels shelled the airport on Tuesday, killing two guards, officials said.",
               "The airport was shelled by rebels, and two guards were killed.",
               "Two guards died when the airport came under rebel shelling on Tuesday.")


def _kept_clusters(fresh: bool = False) -> list[list[tuple[Statement, str, None]]]:
    """Two clusters (shelling, killing) over three articles' statements (new objects when ``fresh``)."""
    found = _KEPT_CLUSTERS.get(fresh)
    if found is None or fresh:
        arts = [Article(id=f"test-kept-lists-{n}", text=t) for n, t in enumerate(_KEPT_TEXTS)]
        shelled = [_told(a, f"kl-shell-{n}", w, "ATTACK", "rebels", "airport")
                   for n, (a, w) in enumerate(zip(arts, ("shelled", "shelled", "shelling"), strict=True))]
        killed = [_told(a, f"kl-kill-{n}", w, "KILL", None, "guards")
                  for n, (a, w) in enumerate(zip(arts, ("killing", "killed", "died"), strict=True))]
        found = [[(s, "supports", None) for s in shelled], [(s, "supports", None) for s in killed]]
        _KEPT_CLUSTERS[fresh] = found
    return found


_KEPT_CLUSTERS: dict[bool, list[list[tuple[Statement, str, None]]]] = {}


def test_kept_sentence_lists_are_the_lists_built_anew_and_rebuilt_only_where_pairs_changed() -> None:
    from newsfuse.fuse.claims import meaning

    kept = meaning._SentenceLists()
    clusters = _kept_clusters()
    plain = meaning._sentences(clusters)
    assert plain and meaning._sentences(clusters, kept) == plain and kept.built == 3
    assert meaning._sentences([list(c) for c in clusters], kept) == plain  # new lists, same statements
    assert kept.reused == 3 and kept.built == 3
    # clusters renumbered: every article's holders change, so every part is built again
    swapped = [clusters[1], clusters[0]]
    assert meaning._sentences(swapped, kept) == meaning._sentences(swapped) and kept.built == 6
    # one article's statement replaced by an equal new object: that article's part alone is rebuilt
    fresh = _kept_clusters(fresh=True)
    mixed = [[*swapped[0][:2], fresh[1][2]], [*swapped[1][:2], fresh[0][2]]]
    again = meaning._sentences(mixed, kept)
    assert again == meaning._sentences(mixed) and kept.built == 7 and kept.reused == 5
    third = [x for x in again if x.key[0] == "test-kept-lists-2"]
    assert third and all(any(s is f[2][0] for f in fresh) for x in third for _, s in x.holders)


# --- a growing story: what the meaning pass keeps between fuses changes no claim ---------------------

_GROWN = {  # sentence: (its verb, the verb's lemma, its PLOVER type): words apart, so only meaning joins
    "The agency fired Tomas Berg on Friday after a review of his messages.": ("fired", "fire", "SANCTION"),
    "Tomas Berg was dismissed by the agency on Friday, his lawyer said.": ("dismissed", "dismiss", "REJECT"),
    "The agency accused Tomas Berg over the messages found in the review.": ("accused", "accuse", "ACCUSE"),
    "Officials at the agency said they suspended Tomas Berg for his messages.":
        ("suspended", "suspend", "RESTRICT"),
    "The agency praised Tomas Berg for his work on the inspections last year.":
        ("praised", "praise", "APPROVE"),
    "Tomas Berg was thanked by the agency in a statement on Friday evening.": ("thanked", "thank", "CONSULT"),
}


class _TextVectors:
    """A fixed unit vector per text (a shared part keeps every pair above the offer's floor, a part
    of its own tells texts apart), so neighbours, groups and answers differ pair by pair."""

    store = None  # as SentenceVectors without a store: what is read is kept in this process only

    def of(self, keys: object, texts: list[str]) -> object:
        import hashlib

        import numpy as np

        rows = []
        for t in texts:
            rng = np.random.default_rng(int(hashlib.sha256(t.encode()).hexdigest()[:8], 16))
            v = np.concatenate([[3.0], rng.normal(size=7)])
            rows.append(v / np.linalg.norm(v))
        return np.array(rows, dtype=np.float32).reshape(len(texts), 8)


def _grown_analysis(a: Article) -> object:
    """The event of each sentence (the agency its actor, Berg its target) and both mentions."""
    from newsfuse.ids import content_id
    from newsfuse.models import Analysis, Event, Mention

    events, mentions = [], []
    for sentence, (verb, lemma, kind) in ((s, v) for s, v in _GROWN.items() if s in a.text):
        start = a.text.index(sentence)
        trigger = a.text.index(verb, start)
        berg, agency = a.text.index("Tomas Berg", start), a.text.index("agency", start)
        events.append(Event(content_id(a.id, "e", start), a.id, lemma,
                            trigger, trigger + len(verb), start, start + len(sentence), kind, source="agency",
                            source_key="the agency", target="Tomas Berg", target_key="Tomas Berg",
                            confidence=0.9))
        mentions += [Mention(content_id(a.id, "m", berg), a.id, berg, berg + 10, "Tomas Berg", "PERSON",
                             "name", "Tomas Berg"),
                     Mention(content_id(a.id, "m", agency), a.id, agency, agency + 6, "agency", "ORG",
                             "nominal", "the agency")]
    return Analysis(a.id, mentions=tuple(mentions), events=tuple(events))


def test_a_story_grown_one_article_at_a_time_gives_the_claims_of_a_fuse_from_scratch(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Kept neighbours (merged only where a new sentence can enter), the argument groups' kept best
    pairs, the chain join's pair profiles kept with its sentences: the claims at every size are those of a
    process that kept nothing."""
    from newsfuse import defaults
    from newsfuse.fuse.claims import cache as claimcache
    from newsfuse.fuse.claims import match as claimmatch
    from newsfuse.fuse.claims import meaning
    from newsfuse.fuse.claims import pairs as claimpairs
    from newsfuse.fuse.claims import resume as claimresume
    from newsfuse.fuse.claims.build import build_claims

    monkeypatch.setattr(claimmatch, "packaged", _cosine_matcher)
    monkeypatch.setattr(defaults, "CLAIM_MATCH_BY_MEANING", True)
    monkeypatch.setattr(defaults, "CLAIM_SAME_FACT_MODEL", False)
    monkeypatch.setattr(defaults, "CLAIM_MATCH_NEIGHBOURS", 2)  # few: a new sentence displaces some
    monkeypatch.setattr(defaults, "COREF_MAX_GROUPS", 0)  # the word rule: the alignment resumes

    def forget() -> None:
        meaning.forget()
        claimpairs.NEIGHBOURS.clear()
        claimpairs.MEMO.clear()
        claimresume.ALIGNMENTS.clear()
        claimcache.CACHE.clear()

    def fused(story: list[Article]) -> list[Claim]:
        emap = {k: v for a in story for k, v in (((a.id, "Tomas Berg"), "e-grown-berg"),
                                                  ((a.id, "the agency"), "e-grown-agency"))}
        return build_claims("s-grown-meaning", story, {a.id: _grown_analysis(a) for a in story}, emap,
                            vectors=_TextVectors())  # type: ignore[arg-type]

    story: list[Article] = []
    forget()
    grown: list[list[Claim]] = []
    for n in range(9):
        picks = [list(_GROWN)[(n * 5 + k) % len(_GROWN)] for k in (0, 2)]
        story.append(Article(id=f"grown-meaning-{n:02d}", text=" ".join(picks), outlet=f"Grown Outlet {n}",
                             published=f"2025-04-{n + 1:02d}", published_source="header"))
        grown.append(fused(story))
    kept = (claimpairs.NEIGHBOURS.grown, meaning.GROUP_PAIRS.reused)
    for n in range(1, 10):
        forget()
        assert fused(story[:n]) == grown[n - 1]
    assert kept[0] >= 7 and kept[1] > 0  # the kept paths were taken
    assert len(grown[-1]) < sum(len(_grown_analysis(a).events) for a in story)  # reports joined
    forget()
