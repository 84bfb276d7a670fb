"""Claims aligned across hand-made analyses: corroboration, copies, cited sources, conflicts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from newsfuse.fuse.claims.build import (
    _SENTENCE_END,
    Memo,
    build_claims,
    distinct_evidence,
    event_chains,
    fact_links,
    relation,
    sentence_around,
    statements,
    trigger_forms,
)
from newsfuse.fuse.claims.records import claim_of
from newsfuse.fuse.claims.statements import as_written
from newsfuse.ids import content_id
from newsfuse.models import Amount, Analysis, Article, Claim, CopyLink, Event, Mention, Quote, Span


def art(aid: str, outlet: str, text: str) -> Article:
    return Article(id=aid, text=text, outlet=outlet, published="2025-09-14", published_source="header")


def amount(a: Article, text: str, value: float, counted: str) -> Amount:
    start = a.text.index(text)
    return Amount(content_id(a.id, start), a.id, start, start + len(text), text, value, counted=counted)


def event(
    a: Article,
    trigger_text: str,
    trigger: str,
    etype: str,
    mode: str = "asserted",
    source_key: str | None = None,
) -> Event:
    start = a.text.index(trigger_text)
    s0 = a.text.rfind(". ", 0, start) + 2 if a.text.rfind(". ", 0, start) >= 0 else 0
    s1 = a.text.find(".", start) + 1
    return Event(
        content_id(a.id, "e", start),
        a.id,
        trigger,
        start,
        start + len(trigger_text),
        s0,
        s1,
        etype,
        mode=mode,
        source_key=source_key,
    )


def mention(a: Article, text: str, key: str, label: str = "PERSON") -> Mention:
    start = a.text.index(text)
    return Mention(content_id(a.id, "m", start), a.id, start, start + len(text), text, label, "name", key)


EMAP = {
    ("w", "Mirela Kostan"): "e_kostan",
    ("h", "Mirela Kostan"): "e_kostan",
    ("c", "Mirela Kostan"): "e_kostan",
    ("w", "Dragan Mellis"): "e_mellis",
    ("h", "Dragan Mellis"): "e_mellis",
    ("c", "Dragan Mellis"): "e_mellis",
}

WIRE = art(
    "w",
    "MARNEWS",
    "About 1,800 residents were evacuated from Dunmere and the villages. "
    "Its chief executive, Dragan Mellis, declined to comment on the cause.",
)
COPY = art(
    "c",
    "Dunmere Courier",
    "About 1,800 residents were evacuated from Dunmere and the villages. "
    "Its chief executive, Dragan Mellis, declined to comment on the cause.",
)
HERALD = art(
    "h",
    "The Lowland Herald",
    "Nearly 4,500 residents were evacuated from Dunmere and the villages. "
    "The chief executive, Dragan Mellis, has yet to comment on the breach. "
    "In Brask, the last 40 residents of the village left by boat.",
)


def analyses() -> dict[str, Analysis]:
    out = {}
    for a in (WIRE, COPY, HERALD):
        first = a.text.split()[1]
        ams = [amount(a, f"{first} residents", float(first.replace(",", "")), "residents")]
        if a is HERALD:
            ams.append(amount(a, "40 residents", 40, "residents"))
        out[a.id] = Analysis(
            a.id, mentions=(mention(a, "Dragan Mellis", "Dragan Mellis"),), amounts=tuple(ams)
        )
    return out


def by_text(claims: list[Claim], needle: str) -> Claim:
    return next(c for c in claims if needle in c.text)


COPIES = [CopyLink("c", "w", 0.9, "minhash")]


def test_conflicting_amount_shows_both_values_and_copy_counts_once() -> None:
    claims = build_claims("s", [WIRE, COPY, HERALD], analyses(), EMAP, COPIES)
    evac = by_text(claims, "1,800")
    assert evac.status == "conflicting"
    values = {s.outlet: (s.stance, s.value) for s in evac.sources}
    assert values["MARNEWS"] == ("supports", "1,800 residents")
    assert values["The Lowland Herald"] == ("differs", "4,500 residents")
    # each side's figure is compared by its number, shown in its outlet's words
    assert {s.outlet: s.figure for s in evac.sources} == {
        "MARNEWS": 1800.0, "Dunmere Courier": 1800.0, "The Lowland Herald": 4500.0}
    assert evac.independent_sources == 2  # MARNEWS (+ its copy) and the Herald
    copy = next(s for s in evac.sources if s.article_id == "c")
    assert copy.independent_of == "w" and "counted once" in evac.note


def test_same_number_of_a_different_fact_is_its_own_claim() -> None:
    claims = build_claims("s", [WIRE, COPY, HERALD], analyses(), EMAP, COPIES)
    brask = by_text(claims, "Brask")
    assert brask.status == "single-source" and len(brask.sources) == 1


def test_declined_and_yet_to_comment_agree() -> None:
    claims = build_claims("s", [WIRE, COPY, HERALD], analyses(), EMAP, COPIES)
    facts = [c for c in claims if c.kind == "fact"]
    assert len(facts) == 1
    assert facts[0].status == "corroborated" and facts[0].independent_sources == 2


def test_wire_and_copy_alone_are_single_source() -> None:
    claims = build_claims("s", [WIRE, COPY], analyses(), EMAP, COPIES)
    assert {c.status for c in claims} == {"single-source"}
    assert all(c.independent_sources == 1 for c in claims)


def test_denial_makes_a_claim_conflicting() -> None:
    obs = art("o", "Northgate Observer", "Repairs to the sluice gates of the dam were postponed twice.")
    radio = art(
        "r",
        "Radio Tarva",
        "A spokeswoman denied that repairs to the sluice gates of the dam had been postponed.",
    )
    an = {
        "o": Analysis("o", events=(event(obs, "postponed", "postpone", "REDUCE"),)),
        "r": Analysis("r", events=(event(radio, "postponed", "postpone", "REDUCE", mode="denied"),)),
    }
    claims = build_claims("s", [obs, radio], an, {})
    assert len(claims) == 1
    assert claims[0].status == "conflicting"
    assert {s.stance for s in claims[0].sources} == {"supports", "denies"}


def test_two_outlets_citing_one_source_are_one_source() -> None:
    texts = {
        "x": ("Outlet X", "Kostan said help is coming, reports Reuters."),
        "y": ("Outlet Y", "Kostan said help was coming soon, reports Reuters."),
    }
    arts, an, emap = [], {}, {}
    for aid, (outlet, text) in texts.items():
        a = art(aid, outlet, text)
        content_end = text.index(", reports")
        q = Quote(
            content_id(aid, "q"),
            aid,
            "reported",
            text[11:content_end],
            11,
            content_end,
            speaker="Kostan",
            speaker_start=0,
            speaker_end=6,
            speaker_key="Kostan",
            cited_source="Reuters",
        )
        arts.append(a)
        an[aid] = Analysis(aid, quotes=(q,))
        emap[(aid, "Kostan")] = "e_kostan"
    claims = build_claims("s", arts, an, emap)
    assert len(claims) == 1
    assert claims[0].status == "single-source" and claims[0].independent_sources == 1
    assert "one source carried 2 times" in claims[0].note


def test_events_of_two_outlets_corroborate_and_ids_are_stable() -> None:
    a = art("a", "One", "Biden authorized strikes on Russian territory.")
    b = art("b", "Two", "President Biden authorized long-range strikes on Russian territory.")
    an = {
        "a": Analysis("a", events=(event(a, "authorized", "authorize", "AID", source_key="Biden"),)),
        "b": Analysis(
            "b", events=(event(b, "authorized", "authorize", "AID", source_key="President Biden"),)
        ),
    }
    emap = {("a", "Biden"): "e_b", ("b", "President Biden"): "e_b"}
    claims = build_claims("s", [a, b], an, emap)
    assert [c.status for c in claims] == ["corroborated"]
    assert build_claims("s", [a, b], an, emap)[0].id == claims[0].id
    assert {sp.text for s in claims[0].sources for sp in s.evidence} == {a.text, b.text}


def test_a_denial_quote_conflicts_with_what_another_outlet_reported() -> None:
    obs = art(
        "o", "Northgate Observer", "Repairs to the dam's sluice gates were postponed twice, an official said."
    )
    radio = art(
        "r", "Radio Tarva", "A spokeswoman denied that repairs to the sluice gates had been postponed."
    )
    claim_end = obs.text.index(", an official")
    said = Quote(
        "q1", "o", "reported", obs.text[:claim_end], 0, claim_end, speaker="an official", anonymous=True
    )
    cue = radio.text.index("denied")
    content = radio.text.index("had been")
    denial = Quote(
        "q2",
        "r",
        "reported",
        radio.text[content:-1],
        content,
        len(radio.text) - 1,
        speaker="A spokeswoman",
        cue="denied",
        cue_start=cue,
        cue_end=cue + 6,
    )
    claims = build_claims(
        "s", [obs, radio], {"o": Analysis("o", quotes=(said,)), "r": Analysis("r", quotes=(denial,))}, {}
    )
    assert [c.status for c in claims] == ["conflicting"]
    assert {s.outlet: s.stance for s in claims[0].sources} == {
        "Northgate Observer": "supports",
        "Radio Tarva": "denies",
    }
    # the fact in dispute is worded by the side that states it; the denial is the other side's cell
    # (a label 'A spokeswoman denied ...' read as if the Observer reported the denial)
    assert claims[0].text == "Repairs to the dam's sluice gates were postponed twice"
    assert claims[0].attribution == "an official said"


# --- event coreference ----------------------------------------------------------------------------


def test_trigger_forms_cover_inflections_nominalisations_and_synonyms() -> None:
    assert "shoot" in trigger_forms("shootings")
    assert trigger_forms("quake") & trigger_forms("earthquake")
    assert trigger_forms("dies") & trigger_forms("die")
    assert not trigger_forms("shoot") & trigger_forms("evacuate")
    assert trigger_forms("sing") == trigger_forms("sing") and "s" not in trigger_forms("sing")


def _story_events() -> tuple[list[Article], dict[str, Analysis]]:
    a = art("a", "One", "A quake hit Dunmere on Monday. Mirela Kostan said the dam held.")
    b = art("b", "Two", "The earthquake damaged homes. Dragan Mellis said repairs start soon.")
    an = {
        "a": Analysis("a", events=(
            event(a, "quake", "quake", "quake"),
            event(a, "said the dam", "say", "say", source_key="Mirela Kostan"),
        )),
        "b": Analysis("b", events=(
            event(b, "earthquake", "earthquake", "earthquake"),
            event(b, "said repairs", "say", "say", source_key="Dragan Mellis"),
        )),
    }
    return [a, b], an


def test_event_chains_join_synonyms_and_keep_two_speakers_apart() -> None:
    arts, an = _story_events()
    emap = {("a", "Mirela Kostan"): "e_kostan", ("b", "Dragan Mellis"): "e_mellis"}
    items = [s for x in arts for s in statements(x, an[x.id], emap, set())]
    chains = [sorted(s.trigger for s in c) for c in event_chains(items)]
    assert ["earthquake", "quake"] in chains  # one event, two words
    assert chains.count(["say"]) == 2  # two speakers saying something: two statements


def test_one_word_on_two_dates_is_two_events_and_no_corroboration() -> None:
    # Worded differently, so the claim relation does not read them as one event told two ways.
    a = art("a", "One", "The dam was breached on Monday.")
    b = art("b", "Two", "Engineers recalled that an old levee upstream was breached in March after rain.")
    ea = event(a, "breached", "breach", "breach", source_key="Orlen Dam")
    eb = event(b, "breached", "breach", "breach", source_key="Orlen Dam")
    an = {
        "a": Analysis("a", events=(_dated(ea, "2025-09-08"),)),
        "b": Analysis("b", events=(_dated(eb, "2025-03-01"),)),
    }
    items = [s for x in (a, b) for s in statements(x, an[x.id], {}, set())]
    assert len(event_chains(items)) == 2
    assert {c.status for c in build_claims("s", [a, b], an, {})} == {"single-source"}


def _dated(e: Event, day: str) -> Event:
    return replace(e, date_start=day, date_end=day)


# --- one claim per fact, readable texts, noise --------------------------------------------------


def _kostan_articles() -> tuple[list[Article], dict[str, Analysis], dict[tuple[str, str], str]]:
    wire = art("w", "MARNEWS", "The army evacuated about 1,800 residents from Dunmere on Saturday.")
    herald = art("h", "The Lowland Herald", "The army evacuated nearly 4,500 residents from Dunmere today.")
    an = {}
    for a in (wire, herald):
        first = a.text.split()[4]
        ev = replace(event(a, "evacuated", "evacuate", "RETREAT", source_key="army"), source="The army")
        am = amount(a, f"{first} residents", float(first.replace(",", "")), "residents")
        an[a.id] = Analysis(a.id, events=(replace(ev, amount_ids=(am.id,)),), amounts=(am,))
    emap = {("w", "army"): "e_army", ("h", "army"): "e_army"}
    return [wire, herald], an, emap


def test_event_and_its_figure_are_one_conflicting_claim_not_two() -> None:
    arts, an, emap = _kostan_articles()
    claims = build_claims("s", arts, an, emap)
    assert len(claims) == 1  # not a corroborated event beside a conflicting amount
    claim = claims[0]
    assert claim.status == "conflicting" and claim.kind == "amount"
    assert {s.value for s in claim.sources} == {"1,800 residents", "4,500 residents"}
    assert "event itself is corroborated by 2" in claim.note
    assert "evacuated" in claim.text and "RETREAT" not in claim.text


def test_quote_text_names_the_resolved_speaker_not_the_pronoun() -> None:
    a = art("a", "One", "Mirela Kostan toured Lisk. She said: \"Every street in the lower town needs work.\"")
    at = a.text.index("Every")
    end = a.text.index(".\"") + 1
    she = a.text.index("She")
    q = Quote(content_id("a", "q"), "a", "direct", a.text[at:end], at, end, speaker="She",
              speaker_start=she, speaker_end=she + 3, speaker_key="Mirela Kostan")
    an = {"a": Analysis("a", mentions=(mention(a, "Mirela Kostan", "Mirela Kostan"),), quotes=(q,))}
    claims = build_claims("s", [a], an, {("a", "Mirela Kostan"): "e_k"}, names={"e_k": "Mirela Kostan"})
    # Verbatim words keep their marks; who said them stands beside the fact, not inside it.
    assert [(c.text, c.attribution) for c in claims] == [
        ("“Every street in the lower town needs work”", "Mirela Kostan said")]


def test_attribution_frames_and_generic_events_of_one_outlet_are_no_claims() -> None:
    a = art("a", "One", "The Kremlin criticized the decision. Officials gave a briefing.")
    frame = Quote(content_id("a", "q"), "a", "reported", "the decision", a.text.index("the decision"),
                  a.text.index("the decision") + 12, speaker="The Kremlin", speaker_key="Kremlin")
    gave = replace(event(a, "gave", "give", "AID", source_key="Officials"), confidence=0.5)
    claims = build_claims("s", [a], {"a": Analysis("a", quotes=(frame,), events=(gave,))}, {})
    assert claims == []


def test_generic_event_carried_by_two_outlets_is_kept() -> None:
    a = art("a", "One", "Officials gave a briefing in Dunmere.")
    b = art("b", "Two", "Officials gave a briefing in Dunmere.")
    an = {x.id: Analysis(x.id, events=(replace(event(x, "gave", "give", "AID", source_key="Officials"),
                                               confidence=0.5),)) for x in (a, b)}
    claims = build_claims("s", [a, b], an, {})
    assert [c.status for c in claims] == ["corroborated"]


def test_event_text_is_who_did_what_to_whom_with_entity_names() -> None:
    a = art("a", "One", "He attacked the capital.")
    e = replace(event(a, "attacked", "attack", "ASSAULT", source_key="Vladimir Putin"), source="He",
                target="the capital", place="Kyiv", date_start="2024-11-17", date_end="2024-11-17")
    claims = build_claims("s", [a], {"a": Analysis("a", events=(e,))}, {("a", "Vladimir Putin"): "e_p"},
                          names={"e_p": "Vladimir Putin"})
    # A plain sentence: the type, its CAMEO code and the event's own date are fields, not words.
    assert [c.text for c in claims] == ["Vladimir Putin attacked the capital in Kyiv on 17 November 2024"]
    assert [(c.event_type, c.cameo, c.mode, c.date_start, c.date_basis) for c in claims] == [
        ("ASSAULT", "18", "asserted", "2024-11-17", "event")]


# --- many copies of one story: comparisons once per signature, same claims ----------------------


def _copies(n: int) -> tuple[list[Article], dict[str, Analysis]]:
    """The wire, ``n`` syndicated copies of it (other outlets) and the Herald's own report."""
    base = analyses()
    arts, an = [WIRE, HERALD], {WIRE.id: base[WIRE.id], HERALD.id: base[HERALD.id]}
    for k in range(n):
        copy = replace(COPY, id=f"c{k}", outlet=f"Courier {k}")
        arts.insert(1, copy)
        an[copy.id] = Analysis(copy.id, mentions=tuple(replace(m, article_id=copy.id)
                                                      for m in base[COPY.id].mentions),
                               amounts=tuple(replace(x, article_id=copy.id) for x in base[COPY.id].amounts))
    return arts, an


def test_many_copies_align_into_the_claims_of_one_copy() -> None:
    arts, an = _copies(6)
    emap = {(a.id, "Dragan Mellis"): "e_mellis" for a in arts}
    claims = build_claims("s", arts, an, emap)
    evac = by_text(claims, "1,800")
    assert evac.status == "conflicting" and len(evac.sources) == 8
    assert sum(s.stance == "differs" for s in evac.sources) == 1  # only the Herald's 4,500
    brask = by_text(claims, "Brask")
    assert len(brask.sources) == 1
    assert len([c for c in claims if c.kind == "fact"]) == 1


def test_remembered_relations_equal_the_relation() -> None:
    arts, an = _copies(3)
    emap = {(a.id, "Dragan Mellis"): "e_mellis" for a in arts}
    items = [s for a in arts for s in statements(a, an[a.id], emap, set())]
    memo = Memo(items)
    for a in items:
        for b in items:
            assert memo.relation(a, b) == relation(a, b)
            assert memo.relation(a, b) == relation(a, b)  # second time: from the memo
    # Copies share a signature; the Herald's other figure does not.
    sigs = {memo.sig(s) for s in items if s.kind == "amount"}
    assert len(sigs) == 3  # 1,800 (wire and copies), 4,500, 40


def test_sentence_bounds_inside_runs_of_spaces_match_a_scan() -> None:
    text = 'He left.   "Yes."  \n\n  Then U.S. forces came.  Gen. Ruiz spoke!  ”  End'
    for start in range(len(text)):
        for end in range(start, min(len(text), start + 6) + 1):
            left = 0
            for m in _SENTENCE_END.finditer(text, 0, start):
                left = m.end()
            after = _SENTENCE_END.search(text, end)
            assert sentence_around(text, start, end) == (left, after.start() if after else len(text))


# --- positive evidence for one event; evidence shown once -----------------------------------------


def test_a_shared_generic_word_is_no_evidence_and_no_denial() -> None:
    # Neither names a resolved actor: only the word 'ask' is shared.
    memo = art("m", "The Lowland Herald", "The memo asked for divers to inspect the spillway.")
    mayor = art("d", "Dunmere Courier", "The mayor said nobody would be asked to leave the school.")
    an = {
        "m": Analysis("m", events=(event(memo, "asked", "ask", "DEMAND"),)),
        "d": Analysis("d", events=(event(mayor, "asked", "ask", "DEMAND", mode="denied"),)),
    }
    claims = build_claims("s", [memo, mayor], an, {})
    assert all(len(c.sources) == 1 for c in claims)
    assert "conflicting" not in {c.status for c in claims}


def test_one_specific_word_with_a_shared_figure_is_one_event() -> None:
    a = art("a", "One", "Floodwater breached the embankment, forcing 1,800 people out.")
    b = art("b", "Two", "After the embankment was breached, 1,800 residents had to leave.")
    c = art("c", "Three", "A levee upstream was breached as well, engineers said.")
    an = {x.id: Analysis(x.id, events=(event(x, "breached", "breach", "COERCE"),)) for x in (a, b, c)}
    claims = build_claims("s", [a, b, c], an, {})
    # The third, without actors or a figure, is its own (weak, so dropped) statement.
    found = [({s.article_id for s in cl.sources}, cl.status) for cl in claims]
    assert found == [({"a", "b"}, "corroborated")]


def test_a_denial_needs_the_same_actors_not_only_a_shared_figure() -> None:
    a = art("a", "One", "Tarvan Hydro postponed repairs in 2023 to keep 40 turbines running.")
    b = art("b", "Two", "No work was postponed at the 40 sites the ministry inspected.")
    an = {
        "a": Analysis("a", events=(event(a, "postponed", "postpone", "REDUCE"),)),
        "b": Analysis("b", events=(event(b, "postponed", "postpone", "REDUCE", mode="denied"),)),
    }
    assert "conflicting" not in {c.status for c in build_claims("s", [a, b], an, {})}


def test_evidence_of_one_source_is_shown_once() -> None:
    text = "The children ask every morning whether we can go home,\u201d she said.\n\nThe next one."
    a = art("a", "One", text)
    sentence = Span("a", 0, text.index("\n\n") + 1, text[: text.index("\n\n") + 1])
    bare = Span("a", 0, sentence.end - 1, text[: sentence.end - 1])
    fragment = Span("a", 4, text.index("she") + 3, text[4: text.index("she") + 3])
    later = Span("a", text.index("The next"), len(text), text[text.index("The next"):])
    assert distinct_evidence(a, [fragment, sentence, later, bare]) == (bare, later)


def _said(a: Article, speaker: str, content: str) -> Quote:
    """A reported quote of ``speaker`` (named at the start of the text) with ``content``."""
    start = a.text.index(content)
    return Quote(
        content_id(a.id, "q", start), a.id, "reported", content, start, start + len(content), speaker=speaker,
        speaker_start=0, speaker_end=len(speaker), speaker_key=speaker, cue="said",
    )


def _two_outlets(first: tuple[str, str], second: tuple[str, str]) -> list[Claim]:
    """Claims of two outlets' reports of Hallen, each given as (text, quote content)."""
    arts, an, emap = [], {}, {}
    for aid, outlet, (text, content) in (("x", "Lowland Herald", first), ("y", "Northgate Observer", second)):
        a = art(aid, outlet, text)
        arts.append(a)
        an[aid] = Analysis(aid, quotes=(_said(a, "Hallen", content),))
        emap[(aid, "Hallen")] = "e_hallen"
    return build_claims("s", arts, an, emap)


def test_one_speakers_two_different_statements_are_two_claims() -> None:
    review = "the ministry's engineers would review every inspection report since the dam was built"
    publish = "his ministry would publish every inspection report on the dam from the past ten years"
    claims = _two_outlets((f"Hallen said {review}.", review), (f"Hallen said {publish}.", publish))
    # They share 'ministry ... every inspection report ... dam' (token_set_ratio passes), yet say two things.
    assert len(claims) == 2
    assert {c.status for c in claims} == {"single-source"}


def test_one_statement_in_two_outlets_words_is_one_corroborated_claim() -> None:
    herald = "engineers had shored up the rest of the embankment and there was no risk of a second breach"
    observer = "engineers had reinforced the rest of the embankment and that there was no risk of a breach"
    claims = _two_outlets((f"Hallen said {herald}.", herald), (f"Hallen said {observer}.", observer))
    assert [(c.status, c.independent_sources) for c in claims] == [("corroborated", 2)]


def test_a_partial_quote_corroborates_the_fuller_report_of_it() -> None:
    full = "the damage was serious but contained and repairs would start next week"
    claims = _two_outlets((f"Hallen said {full}.", full), ("Hallen said it was serious but contained.",
                                                          "serious but contained"))
    assert [c.status for c in claims] == ["corroborated"]


def _according_to_two_employees() -> tuple[Article, Analysis]:
    """'X told staff that no jobs would be cut, according to two employees': a negated event said
    inside a quote whose attribution holds a figure."""
    a = art("a", "One", "The chief executive told staff that no jobs would be cut at either company, "
            "according to two employees who saw the message.")
    cue = a.text.index("according to")
    who = a.text.index("two employees")
    q = Quote(content_id("a", "q"), "a", "according_to", a.text[:cue - 2], 0, cue - 2,
              speaker="two employees", speaker_start=who, speaker_end=who + 13, cue="according to",
              cue_start=cue, cue_end=cue + 12)
    cut = replace(event(a, "cut", "cut", "SANCTION", mode="denied"), negated=True, target="jobs")
    two = amount(a, "two employees", 2.0, "employees")
    return a, Analysis("a", quotes=(q,), events=(cut,), amounts=(two,))


def test_negated_event_inside_a_quote_is_what_was_said_not_a_denial() -> None:
    a, an = _according_to_two_employees()
    claims = build_claims("s", [a], {"a": an}, {})
    [claim] = [c for c in claims if "no jobs would be cut" in c.text]
    # The outlet reports what the employees said; it denies nothing, and 'two employees' counts the
    # sources of the claim, it is no value of it.
    assert [(s.stance, s.value) for s in claim.sources] == [("supports", None)]
    assert not any(c.kind == "amount" for c in claims)


def test_figure_in_a_quote_attribution_makes_no_statement() -> None:
    a, an = _according_to_two_employees()
    kinds = [s.kind for s in statements(a, an, {}, set())]
    assert "amount" not in kinds and "quote" in kinds


def test_denial_cue_still_denies_when_the_denied_event_is_negated_too() -> None:
    obs = art("o", "Observer", "Repairs to the sluice gates were postponed twice, an official said.")
    radio = art("r", "Radio", "Ana Rusk denied that repairs to the sluice gates had been postponed.")
    an = {}
    for a in (obs, radio):
        ev = event(a, "postponed", "postpone", "REDUCE", mode="denied" if a is radio else "asserted")
        an[a.id] = Analysis(a.id, events=(ev,))
    cue = radio.text.index("denied")
    q = Quote(content_id("r", "q"), "r", "reported", radio.text[cue + 7:-1], cue + 7, len(radio.text) - 1,
              speaker="Ana Rusk", speaker_start=0, speaker_end=8, speaker_key="Ana Rusk", cue="denied",
              cue_start=cue, cue_end=cue + 6)
    an["r"] = replace(an["r"], quotes=(q,))
    claims = build_claims("s", [obs, radio], an, {})
    stances = {s.outlet: s.stance for c in claims for s in c.sources if c.status == "conflicting"}
    assert stances == {"Observer": "supports", "Radio": "denies"}
    # worded by the side that states the fact, not by the denial ('Ana Rusk denied ...' beside an
    # Observer cell 'reports' read as if the Observer reported her denial)
    (text,) = [c.text for c in claims if c.status == "conflicting"]
    assert text.startswith("Repairs to the sluice gates were postponed"), text


def _running(day_b: str, tail: str) -> list[Claim]:
    a = art("a", "One", f"The reservoir level has fallen by four metres {tail}.")
    b = replace(art("b", "Two", f"The reservoir level has fallen by six metres {tail}."), published=day_b)
    an = {x.id: Analysis(x.id, amounts=(replace(amount(x, f"{w} metres", v, ""), unit="m", counted=None),))
          for x, w, v in ((a, "four", 4.0), (b, "six", 6.0))}
    return build_claims("s", [a, b], an, {})


def test_a_running_figure_reported_later_is_an_update_not_a_conflict() -> None:
    # Counted 'since the breach' on two days: the figure grew, nobody contradicts anybody.
    assert [c.status for c in _running("2025-09-18", "since the breach")] == ["single-source"] * 2
    # The same figures on one day, or a figure of a fixed moment, do conflict.
    assert [c.status for c in _running("2025-09-14", "since the breach")] == ["conflicting"]
    assert [c.status for c in _running("2025-09-18", "on Saturday night")] == ["conflicting"]


def test_a_refused_statement_and_a_bare_citation_are_no_claims() -> None:
    a = art("a", "One", "The authority declined to say whether it would open a formal review of the deal. "
            "The Observer reported the delay, citing an unnamed ministry official.")
    say = a.text.index("say whether")
    refused = Quote(content_id("a", "q1"), "a", "reported",
                    "whether it would open a formal review of the deal", say + 4, a.text.index(". The"),
                    speaker="The authority", speaker_start=0, speaker_end=13,
                    speaker_key="authority", cue="say", cue_start=say, cue_end=say + 3)
    cite = a.text.index("citing")
    bare = Quote(content_id("a", "q2"), "a", "reported", "an unnamed ministry official", cite + 7,
                 len(a.text) - 1, cue="citing", cue_start=cite, cue_end=cite + 6)
    assert statements(a, Analysis("a", quotes=(refused, bare)), {}, set()) == []
    # The same cue not refused is a statement.
    said = replace(a, text=a.text.replace("declined to say", "was glad to say"))
    assert [s.kind for s in statements(said, Analysis("a", quotes=(refused,)), {}, set())] == ["quote"]


def test_a_figure_inside_a_quote_belongs_to_the_quote_not_to_an_event_outside_it() -> None:
    a = art("a", "One", "Asked the cost, the minister said it was too early, but he said that the money "
            "would not come from the 250 million crowns set aside for relief.")
    said = a.text.index("said that")
    q = Quote(content_id("a", "q"), "a", "reported", a.text[said + 5:-1], said + 5, len(a.text) - 1,
              speaker="he", speaker_start=said - 3, speaker_end=said - 1, speaker_key="Teodor Hallen",
              cue="said", cue_start=said, cue_end=said + 4)
    asked = event(a, "Asked", "ask", "DEMAND")
    money = replace(amount(a, "250 million crowns", 250e6, "crowns"), unit="crowns", counted=None)
    an = {"a": Analysis("a", quotes=(q,), events=(asked,), amounts=(money,))}
    claims = build_claims("s", [a], an, {("a", "Teodor Hallen"): "e_h"}, names={"e_h": "Teodor Hallen"})
    # One fact: what Hallen said, not also a claim of the figure worded by 'Asked the cost'.
    assert [c.kind for c in claims] == ["quote"]
    assert claims[0].text.startswith("The money would not come")
    assert claims[0].attribution.startswith("Teodor Hallen")


# --- one counted thing worded two ways ---------------------------------------------------------


def _counts(*texts: tuple[str, str, str, str | None]) -> list[Claim]:
    """One article per (outlet, text, figure as written, approximation marker), each with its figure
    as an amount of value 2 (the tiny texts below all count two of something)."""
    arts = [art(f"a{n}", outlet, text) for n, (outlet, text, _, _) in enumerate(texts)]
    an = {a.id: Analysis(a.id, amounts=(replace(amount(a, figure, 2.0, ""), approx=approx),))
          for a, (_, _, figure, approx) in zip(arts, texts, strict=True)}
    return build_claims("s", arts, an, {})


def test_a_death_toll_and_a_count_of_the_killed_corroborate_each_other() -> None:
    killed = "At least two people were killed when the bridge fell."
    claims = _counts(("One", killed, "At least two", "at least"),
                     ("Two", "The death toll from the collapse stands at two.", "two", None))
    assert [(c.status, len(c.sources)) for c in claims] == [("corroborated", 2)]


def test_one_measure_with_incompatible_markers_or_another_measure_stays_apart() -> None:
    more = _counts(("One", "More than two people died in the fire.", "More than two", "more than"),
                   ("Two", "The death toll stands at two.", "two", None))
    assert [c.status for c in more] == ["single-source", "single-source"]
    hurt = _counts(("One", "Two people were injured in the crash on the bypass road.", "Two", None),
                   ("Two", "The death toll stands at two.", "two", None))
    assert [c.status for c in hurt] == ["single-source", "single-source"]


def test_a_no_comment_on_a_topic_says_what_was_not_commented_on() -> None:
    # 'declined to comment on X' is silence on X only: the claim must not read as silence on all
    a = art("n", "Brask Post", "Mellis declined to comment on the merger, adding that talks go on. "
            "Later, Dragan Mellis has yet to comment.")
    analysis = Analysis("n", mentions=(mention(a, "Mellis", "Dragan Mellis"),
                                       mention(a, "Dragan Mellis", "Dragan Mellis")))
    facts = [s for s in statements(a, analysis, EMAP, set()) if s.kind == "fact"]
    assert [f.text for f in facts] == [
        "Mellis has not commented on the merger", "Dragan Mellis has not commented"
    ]



def test_a_no_comment_claim_keeps_the_article_its_sentence_gives_the_actor() -> None:
    # 'Harbour Office has not commented' reads as a headline: the actor keeps the article its sentence gives
    a = art("h", "Brask Post", "The Harbour Office declined to comment on the closure.")
    analysis = Analysis("h", mentions=(mention(a, "Harbour Office", "Harbour Office"),))
    facts = [s for s in statements(a, analysis, EMAP, set()) if s.kind == "fact"]
    assert [f.label for f in facts] == ["The Harbour Office has not commented on the closure"]

def _quoted_by(first: tuple[str, str], second: tuple[str, str], words: str) -> list[Claim]:
    """Claims of two outlets quoting ``words``, each speaker given as (name as written, entity ID): the
    entity resolver may split one person in two ('Pelosi' / 'Nancy Pelosi')."""
    arts, an, emap = [], {}, {}
    for aid, outlet, (speaker, entity) in (("x", "Lowland Herald", first),
                                           ("y", "Northgate Observer", second)):
        a = art(aid, outlet, f"{speaker} said {words}.")
        arts.append(a)
        an[aid] = Analysis(aid, quotes=(_said(a, speaker, words),),
                           mentions=(mention(a, speaker, speaker),))
        emap[(aid, speaker)] = entity
    return build_claims("s", arts, an, emap)


def test_one_quote_word_for_word_by_a_split_speaker_is_one_claim() -> None:
    words = "the embankment will hold through the winter storms"
    claims = _quoted_by(("Nancy Pelosi", "e_1"), ("Pelosi", "e_2"), words)
    assert [(c.status, c.independent_sources) for c in claims] == [("corroborated", 2)]


def test_the_same_words_by_two_different_people_stay_two_claims() -> None:
    words = "the embankment will hold through the winter storms"
    claims = _quoted_by(("Nancy Pelosi", "e_1"), ("Dragan Mellis", "e_2"), words)
    assert [c.status for c in claims] == ["single-source", "single-source"]


def test_a_namesake_paraphrase_is_not_taken_for_the_same_quote() -> None:
    # Same last name, other entity: only a word-for-word quote joins; a rewording is no evidence.
    arts, an, emap = [], {}, {}
    for aid, outlet, speaker, words in (
        ("x", "Lowland Herald", "Nancy Pelosi", "the embankment will hold through the winter storms"),
        ("y", "Northgate Observer", "Paul Pelosi", "the embankment will not hold through the storms"),
    ):
        a = art(aid, outlet, f"{speaker} said {words}.")
        arts.append(a)
        an[aid] = Analysis(aid, quotes=(_said(a, speaker, words),), mentions=(mention(a, speaker, speaker),))
        emap[(aid, speaker)] = f"e_{aid}"
    assert [c.status for c in build_claims("s", arts, an, emap)] == ["single-source", "single-source"]


def _governed_story(text: str, second: tuple[str, str, str, str]) -> list[Claim]:
    """One article: 'The council allowed ...' with a second event (written trigger, lemma, mode,
    source key or '') in the clause of 'allowed'."""
    a = art("a", "One", text)
    emap = {("a", "Kessel council"): "e_c", ("a", "Dunmere"): "e_d", ("a", "the man"): "e_m"}
    allow = replace(event(a, "allowed", "allow", "CONCEDE", source_key="Kessel council"),
                    source="Kessel council", target="Dunmere", target_key="Dunmere")
    written, lemma, mode, key = second
    other = replace(event(a, written, lemma, "MOBILIZE", mode=mode, source_key=key or None),
                    source=key or None, target="the embankment")
    return build_claims("s", [a], {"a": Analysis("a", events=(allow, other))}, emap,
                        names={"e_c": "Kessel council", "e_d": "Dunmere", "e_m": "the man"})


def test_an_event_the_clause_of_another_allows_is_part_of_its_fact() -> None:
    text = "Kessel council allowed Dunmere to rebuild the embankment with its own crews."
    # Nobody named rebuilding, or Dunmere (whom the council allowed) possibly rebuilding: one fact.
    assert len(_governed_story(text, ("rebuild", "rebuild", "asserted", ""))) == 1
    assert len(_governed_story(text, ("rebuild", "rebuild", "possible", "Dunmere"))) == 1


def test_an_asserted_event_with_its_own_actor_stays_a_fact_of_its_own() -> None:
    text = "Kessel council allowed the man who rebuilt the embankment to stay."
    assert len(_governed_story(text, ("rebuilt", "rebuild", "asserted", "the man"))) == 2
    # After the clause of 'allowed' ends, a second clause tells another fact.
    text = "Kessel council allowed Dunmere to stay, and crews rebuilt the embankment."
    assert len(_governed_story(text, ("rebuilt", "rebuild", "asserted", ""))) == 2


def _reported(content: str, cue: str = "confirmed", kind: str = "reported") -> Quote:
    text = f"Brian Nichols {cue} {content}."
    start = text.index(content)
    return Quote(content_id("a", "q"), "a", kind, content, start, start + len(content),
                 speaker="Brian Nichols", speaker_start=0, speaker_end=13, speaker_key="Brian Nichols",
                 cue=cue, cue_start=14, cue_end=14 + len(cue))


def test_a_bare_noun_phrase_after_a_speech_cue_is_no_quote() -> None:
    from newsfuse.fuse.claims.statements import fragment

    for named in ("the move", "Biden's decision", "the U.S. decision", "the decision"):
        assert fragment(_reported(named)), named
    # A clause, a small clause, quoted words or a longer object state something.
    for said in ("that the weapons would help", "it a dangerous escalation", "to review the decision",
                 "help is coming",
                 "support for Biden's reported decision to allow strikes"):
        assert not fragment(_reported(said)), said
    assert not fragment(_reported("the move", kind="direct"))


def test_a_figure_belongs_to_the_event_of_its_clause_not_the_nearest_word() -> None:
    a = art("a", "One", "The couple paid nearly $44 million in taxes, according to tax returns "
            "released Friday.")
    released = replace(event(a, "released", "release", "RETREAT"), target="tax returns")
    figure = Amount(content_id("a", 1), "a", a.text.index("$44"), a.text.index(" in taxes"), "$44 million",
                    44e6, unit="USD")
    an = Analysis("a", events=(released,), amounts=(figure,))
    found = statements(a, an, {}, set())
    # 'released' is the nearest event, but in another clause: the figure is what was paid.
    assert not [(x.kind, y.kind) for x, y in fact_links(an, found) if {x.kind, y.kind} == {"event", "amount"}]


def test_one_articles_same_verb_with_other_figures_in_two_sentences_is_two_facts() -> None:
    first, second = "Kessel council paid $43 million in taxes.", "Kessel council paid a rate of 35.7 percent."
    a = art("a", "One", f"{first} {second}")
    pays = []
    for s0, s1 in ((0, len(first)), (len(first) + 1, len(a.text))):
        at = a.text.index("paid", s0)
        pays.append(Event(content_id("a", "e", at), "a", "pay", at, at + 4, s0, s1, "AID",
                          source="Kessel council", source_key="Kessel council"))
    emap, names = {("a", "Kessel council"): "e_c"}, {"e_c": "Kessel council"}
    claims = build_claims("s", [a], {"a": Analysis("a", events=tuple(pays))}, emap, names=names)
    assert len(claims) == 2


def test_an_event_with_nobody_before_its_verb_reads_as_its_own_clause() -> None:
    a = art("a", "One", "The couple paid $43 million in taxes, and made $15 million in charitable gifts.")
    made = replace(event(a, "made", "make", "AID"), target="charitable gifts")
    [found] = [s for s in statements(a, Analysis("a", events=(made,)), {}, set()) if s.kind == "event"]
    # Not 'Made $15 million in charitable gifts': the subject the analysis did not read is the source's.
    assert found.label == "The couple paid $43 million in taxes, and made $15 million in charitable gifts"
    assert found.complete == 0  # a worded event of the claim leads before it


def test_an_event_whose_clause_starts_with_a_pronoun_keeps_its_plain_wording() -> None:
    a = art("a", "One", "They made $15 million in charitable gifts.")
    made = replace(event(a, "made", "make", "AID"), target="charitable gifts")
    [found] = [s for s in statements(a, Analysis("a", events=(made,)), {}, set()) if s.kind == "event"]
    assert not found.label.startswith("They")


def test_an_event_at_or_below_the_claim_floor_states_nothing() -> None:
    # the codebook's guesses (EVENT_CONF_CODEBOOK) stay in the analysis but make no claim
    from dataclasses import replace

    from newsfuse import defaults

    a = art("a", "Observer", "Vell Mining closed the north shaft on Monday.")
    sure = replace(event(a, "closed", "close", "RESTRICT", source_key="Vell Mining"), confidence=0.9)
    guess = replace(sure, confidence=defaults.CLAIM_EVENT_FLOOR)
    mentions = (mention(a, "Vell Mining", "Vell Mining", "ORG"),)
    assert [s.kind for s in statements(a, Analysis("a", mentions=mentions, events=(sure,)), {}, set())] \
        == ["event"]
    assert statements(a, Analysis("a", mentions=mentions, events=(guess,)), {}, set()) == []


# --- untyped events (analyze/events/nominal.py): weak statements, no category ----------------------


def _untyped(a: Article, trigger_text: str, trigger: str, source: str) -> Event:
    return replace(event(a, trigger_text, trigger, "", source_key=source), source=source, confidence=0.4)


def test_an_untyped_act_of_one_outlet_is_no_claim() -> None:
    a = art("a", "One", "Sestak could not serve on the advisory board.")
    e = replace(_untyped(a, "serve", "serve", "Sestak"), negated=True, mode="denied")
    assert build_claims("s", [a], {"a": Analysis("a", untyped=(e,))}, {}) == []


def test_an_untyped_act_two_outlets_state_is_corroborated_with_no_category() -> None:
    a = art("a", "One", "Sestak could not serve on the advisory board.")
    b = art("b", "Two", "Sestak could not serve on the advisory board while in the House.")
    an = {x.id: Analysis(x.id, untyped=(replace(_untyped(x, "serve", "serve", "Sestak"), negated=True,
                                                mode="denied"),)) for x in (a, b)}
    claims = build_claims("s", [a, b], an, {("a", "Sestak"): "e_s", ("b", "Sestak"): "e_s"},
                          names={"e_s": "Sestak"})
    assert [c.status for c in claims] == ["corroborated"]
    # the sentence says the fact; no PLOVER type or CAMEO code is made up for it
    assert claims[0].text.startswith("Sestak did not serve on")
    assert (claims[0].event_type, claims[0].cameo) == (None, None)


def test_a_typed_event_names_the_category_of_a_claim_an_untyped_one_joins() -> None:
    a = art("a", "One", "Russia attacked Kyiv on Monday.")
    b = art("b", "Two", "Russia attacked Kyiv on Monday.")
    typed = event(a, "attacked", "attack", "ASSAULT", source_key="Russia")
    untyped = _untyped(b, "attacked", "attack", "Russia")
    claims = build_claims("s", [a, b], {"a": Analysis("a", events=(typed,)),
                                        "b": Analysis("b", untyped=(untyped,))},
                          {("a", "Russia"): "e_r", ("b", "Russia"): "e_r"}, names={"e_r": "Russia"})
    corroborated = [c for c in claims if c.status == "corroborated"]
    assert [(c.event_type, c.cameo) for c in corroborated] == [("ASSAULT", "18")]


def test_untyped_acts_naming_no_common_actor_are_no_claim_whatever_joined_them() -> None:
    # a cluster the meaning matcher could make: alike words, no actor in common
    a = art("a", "One", "Engineers were pumping water out of the lower town.")
    b = art("b", "Two", "Volunteers were pumping water out of the lower town.")
    found = [s for x, who in ((a, "Engineers"), (b, "Volunteers"))
             for s in statements(x, Analysis(x.id, untyped=(_untyped(x, "pumping", "pump", who),)),
                                 {("a", "Engineers"): "e_1", ("b", "Volunteers"): "e_2"}, {"one", "two"})]
    assert claim_of("s", [(s, "supports", None) for s in found], {}, {"a": a, "b": b}) is None
    # the same reports naming one actor are one fact told twice
    shared = [replace(s, entity="e_1") for s in found]
    claim = claim_of("s", [(s, "supports", None) for s in shared], {}, {"a": a, "b": b})
    assert claim is not None and claim.status == "corroborated"


def test_a_refused_story_keeps_each_articles_unchanged_part_of_a_claim() -> None:
    """Each article's ClaimSource is kept per story (records.SOURCES) and made again only when its
    statements in the claim or its copy original changed; the claims are those of a cold build."""
    from newsfuse.fuse.claims import cache as claimcache
    from newsfuse.fuse.claims import records as claimrecords

    def made() -> dict[str, list[object]]:
        out: dict[str, list[object]] = {}
        for rows, _, source in claimrecords.SOURCES.of("s_kept").now.values():
            out.setdefault(rows[0][0].article.id, []).append(source)
        return out

    def cold(an: dict[str, Analysis], copies: list[CopyLink]) -> list[Claim]:
        claimcache.CACHE.clear()
        claimrecords.SOURCES.clear()
        return build_claims("s_kept", [WIRE, COPY, HERALD], an, EMAP, copies)  # nothing kept: cold

    claimcache.CACHE.clear()
    claimrecords.SOURCES.clear()
    an = analyses()
    build_claims("s_kept", [WIRE, COPY, HERALD], an, EMAP, COPIES)
    first = made()
    build_claims("s_kept", [WIRE, COPY, HERALD], an, EMAP, COPIES)
    assert all(a is b for k in first for a, b in zip(first[k], made()[k], strict=True))
    changed = dict(an, h=replace(an["h"], amounts=an["h"].amounts[:1]))  # the Herald re-analysed
    kept = build_claims("s_kept", [WIRE, COPY, HERALD], changed, EMAP, COPIES)
    now = made()
    assert all(a is b for k in ("w", "c") for a, b in zip(first[k], now[k], strict=True))
    assert not any(a is b for a in first["h"] for b in now["h"])
    assert kept == cold(changed, COPIES)
    before = made()
    build_claims("s_kept", [WIRE, COPY, HERALD], changed, EMAP, COPIES)
    unlinked = build_claims("s_kept", [WIRE, COPY, HERALD], changed, EMAP, [])  # the copy link gone
    assert not any(a is b for a in before["c"] for b in made()["c"])  # its original changed: made again
    assert unlinked == cold(changed, [])


# --- where a statement happened (Statement.place) ---

PLACED = art("place-kursk-a", "Place Wire",
             "Police arrested two men in the Kursk region on Monday, the governor said. "
             "Officials in Moscow said 12 people were hurt in the Kursk region.")


def test_an_event_carries_its_place_resolved_and_a_figure_of_its_sentence_takes_it() -> None:
    arrest = replace(event(PLACED, "arrested", "arrest", "COERCE"), place="the Kursk region")
    hurt = event(PLACED, "hurt", "hurt", "ASSAULT")  # no place read: its sentence's figure has none either
    an = Analysis(PLACED.id, mentions=(mention(PLACED, "Kursk region", "Kursk region", "GPE"),
                                       mention(PLACED, "Moscow", "Moscow", "GPE")),
                  events=(arrest, hurt), amounts=(amount(PLACED, "two men", 2, "men"),
                                                  amount(PLACED, "12 people", 12, "people")))
    emap = {(PLACED.id, "Kursk region"): "e_kursk", (PLACED.id, "Moscow"): "e_moscow"}
    found = {s.id: s for s in statements(PLACED, an, emap, set(), {"e_kursk": "Kursk Region"})}
    assert (found[arrest.id].place, found[arrest.id].place_name) == ("e_kursk", "Kursk Region")
    two, twelve = (next(s for s in found.values() if s.kind == "amount" and s.value == v) for v in (2, 12))
    assert (two.place, two.place_name) == ("e_kursk", "Kursk Region")
    assert (twelve.place, twelve.place_name) == (None, "")
    # a place no mention stands on is kept by name, unresolved
    bare = statements(PLACED, replace(an, mentions=()), {}, set())
    assert [(s.place, s.place_name) for s in bare if s.id == arrest.id] == [(None, "the Kursk region")]


def test_a_figure_reads_in_its_articles_own_words_and_casing() -> None:
    """A figure is shown as the outlet wrote it ('Around 11,000 North Korean soldiers', '2.4 billion
    crowns'), not rebuilt from its parts ('11,000 north korean soldiers', '2,400,000,000 crown')."""
    text = ("Around 11,000 North Korean soldiers were in Kursk. The deal is worth 2.4 billion crowns. "
            "Hundreds of residents left. Two were hurt.")
    a = art("aw_written", "Brask Post", text)

    def at(text: str, value: float, counted: str | None = None, unit: str | None = None) -> Amount:
        start = a.text.index(text)
        return Amount(content_id(a.id, start), a.id, start, start + len(text), text, value, unit=unit,
                      counted=counted)

    assert as_written(a.text, at("Around 11,000", 11000, "North Korean soldiers")) == \
        "Around 11,000 North Korean soldiers"
    assert as_written(a.text, at("2.4 billion crowns", 2.4e9, unit="crown")) == "2.4 billion crowns"
    assert as_written(a.text, at("Hundreds", 200, "residents")) == "Hundreds of residents"
    # what it counts, named by the analysis where the text does not write it after the figure
    assert as_written(a.text, at("Two", 2, "people")) == "Two people"
    [claim] = [c for c in build_claims("s_written", [a], {a.id: Analysis(a.id, amounts=(
        at("2.4 billion crowns", 2.4e9, unit="crown"),))}, {}, []) if c.kind == "amount"]
    assert [(s.value, s.figure) for s in claim.sources] == [("2.4 billion crowns", 2.4e9)]


def test_a_refused_story_keeps_each_claim_whose_inputs_did_not_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A claim of the same statements, stances, added statements, copy originals, outlets and dates
    is the record of the story's last fuse (records.SOURCES); any of those changed, or a setting, makes
    it again, and the claims are those of a cold build."""
    from newsfuse import defaults
    from newsfuse.fuse.claims import cache as claimcache
    from newsfuse.fuse.claims import records as claimrecords

    def cold(an: dict[str, Analysis], articles: list[Article]) -> list[Claim]:
        claimcache.CACHE.clear()
        claimrecords.SOURCES.clear()
        return build_claims("s_kept_claims", articles, an, EMAP, COPIES)

    claimcache.CACHE.clear()
    claimrecords.SOURCES.clear()
    an, articles = analyses(), [WIRE, COPY, HERALD]
    first = build_claims("s_kept_claims", articles, an, EMAP, COPIES)
    again = build_claims("s_kept_claims", articles, an, EMAP, COPIES)
    assert first and all(a is b for a, b in zip(first, again, strict=True))
    changed = dict(an, h=replace(an["h"], amounts=an["h"].amounts[:1]))  # the Herald re-analysed
    kept = build_claims("s_kept_claims", articles, changed, EMAP, COPIES)
    herald = {c.id for c in kept if any(s.article_id == "h" for s in c.sources)}
    assert herald and not any(c is d for c in kept for d in again if c.id in herald)
    assert all(any(c is d for d in again) for c in kept if c.id not in herald)
    assert kept == cold(changed, articles)
    build_claims("s_kept_claims", articles, changed, EMAP, COPIES)
    redated = [WIRE, COPY, replace(HERALD, published="2024-03-09", published_source="estimated")]
    assert build_claims("s_kept_claims", redated, changed, EMAP, COPIES) == cold(changed, redated)
    build_claims("s_kept_claims", articles, changed, EMAP, COPIES)
    monkeypatch.setattr(defaults, "CORROBORATION_MIN", 3)
    assert build_claims("s_kept_claims", articles, changed, EMAP, COPIES) == cold(changed, articles)
    claimrecords.SOURCES.clear()
