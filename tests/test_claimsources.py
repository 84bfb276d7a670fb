"""Independent originators of a claim: wire copies once, a cited outlet as itself, articles of
unknown outlet together once (or as the known outlet whose text they repeat), boilerplate no claim."""

from __future__ import annotations

from dataclasses import replace

from newsfuse.fuse.claims.build import build_claims
from newsfuse.fuse.claims.sources import UNKNOWN, boilerplate, how_counted, originators
from newsfuse.ids import content_id
from newsfuse.models import Amount, Analysis, Article, ClaimSource, CopyLink, Quote, Span

EVACUATED = "About 1,800 residents were evacuated from Dunmere on Tuesday night."


def art(aid: str, outlet: str | None, text: str, published: str = "2025-09-14") -> Article:
    return Article(id=aid, text=text, outlet=outlet, published=published, published_source="header")


def evacuation(a: Article, words: str = "1,800 residents") -> Analysis:
    start = a.text.index(words)
    figure = Amount(content_id(a.id, start), a.id, start, start + len(words), words,
                    float(words.split()[0].replace(",", "")), counted="residents")
    return Analysis(a.id, amounts=(figure,))


def claim_of(articles: list[Article], copies: tuple[CopyLink, ...] = ()) -> list[tuple[str, int]]:
    analyses = {a.id: evacuation(a) for a in articles}
    return [(c.status, c.independent_sources) for c in build_claims("s", articles, analyses, {}, copies)]


def test_articles_of_unknown_outlet_never_add_independence_to_each_other() -> None:
    first = art("u1", None, EVACUATED)
    second = art("u2", None, "Officials said about 1,800 residents were evacuated from Dunmere overnight.")
    assert claim_of([first, second]) == [("single-source", 1)]


def test_an_unknown_outlet_with_its_own_words_counts_once_beside_a_known_outlet() -> None:
    known = art("k", "Dunmere Courier", EVACUATED)
    unknown = art("u", None, "Officials said about 1,800 residents were evacuated from Dunmere overnight.")
    assert claim_of([known, unknown]) == [("corroborated", 2)]


def test_an_unknown_outlet_repeating_a_known_outlets_text_is_that_outlet() -> None:
    known = art("k", "Dunmere Courier", EVACUATED)
    repost = art("u", None, EVACUATED)
    assert claim_of([known, repost]) == [("single-source", 1)]


def test_a_wire_and_its_copy_count_once() -> None:
    wire = art("w", "MARNEWS", EVACUATED)
    copy = art("c", "Lisk Herald", EVACUATED)
    assert claim_of([wire, copy], (CopyLink("c", "w", 1.0, "exact"),)) == [("single-source", 1)]


def test_an_outlet_citing_another_carries_its_report_not_its_own() -> None:
    source = ClaimSource("o", "Northgate Observer", cited_source="MARNEWS",
                         evidence=(Span("o", 0, 10, "About 1,80"),))
    original = ClaimSource("m", "MARNEWS", evidence=(Span("m", 0, 10, "Other text"),))
    keys = originators([source, original], {}, {})
    assert keys["o"] == keys["m"]


def test_unknown_outlet_key_is_shared() -> None:
    a = ClaimSource("a", None, evidence=(Span("a", 0, 5, "First"),))
    b = ClaimSource("b", None, evidence=(Span("b", 0, 6, "Second"),))
    assert set(originators([a, b], {}, {}).values()) == {UNKNOWN}


NOTE = "Editor's note: this report was updated with the latest figures from the county office."


def test_a_note_an_outlet_repeats_under_its_articles_is_no_claim() -> None:
    one = art("b1", "Lisk Herald", "The bridge at Orsk reopened to traffic on Monday morning. " + NOTE)
    two = art("b2", "Lisk Herald", "Crews cleared the last debris from the Orsk road by Sunday. " + NOTE)
    spans = {a.id: [(a.text.index("Editor"), len(a.text))] for a in (one, two)}
    assert len(boilerplate([one, two], spans, {})) == 1
    # The note is a quote-like statement in both; through build_claims it makes no claim at all.
    analyses = {}
    for a in (one, two):
        at = a.text.index("this report")
        who, cue, end = a.text.index("Editor"), a.text.index("note"), len(a.text) - 1
        q = Quote(content_id(a.id, "q"), a.id, "reported", a.text[at:end], at, end, speaker="Editor",
                  speaker_start=who, speaker_end=who + 6, cue="note", cue_start=cue, cue_end=cue + 4)
        analyses[a.id] = Analysis(a.id, quotes=(q,))
    alone = build_claims("s", [one], {one.id: analyses[one.id]}, {})
    assert any("updated" in c.text for c in alone)  # in one article it reads as a statement
    claims = build_claims("s", [one, two], analyses, {})
    assert not any("updated" in c.text for c in claims)


def test_the_same_sentence_in_two_outlets_is_no_boilerplate() -> None:
    one = art("x", "Lisk Herald", EVACUATED)
    two = art("y", "Dunmere Courier", EVACUATED)
    spans = {a.id: [(0, len(a.text))] for a in (one, two)}
    assert boilerplate([one, two], spans, {}) == set()


def test_a_relayed_report_counts_as_the_outlet_that_reported_it() -> None:
    text = "Officials said 1,800 residents were evacuated from Dunmere, the Lisk Herald reported."
    carrier = art("r", "Orsk Post", text)
    herald = art("h", "Lisk Herald", EVACUATED)
    relay = text.index("the Lisk Herald")
    q = Quote(content_id("r", "q"), "r", "reported", text[15:relay - 2], 15, relay - 2,
              speaker="Officials", speaker_start=0, speaker_end=9, cue="said", cue_start=10, cue_end=14)
    relayed = replace(q, relay_source="Lisk Herald", relay_start=0, relay_end=relay - 2)

    def counts(quote: Quote) -> set[int]:
        analyses = {"r": replace(evacuation(carrier), quotes=(quote,)), "h": evacuation(herald)}
        claims = build_claims("s", [carrier, herald], analyses, {})
        return {c.independent_sources for c in claims if "1,800" in c.text}

    assert counts(q) == {2}  # the Post's own report beside the Herald's
    assert counts(relayed) == {1}  # the Post carries the Herald's report


def test_an_update_repeating_its_lead_keeps_the_lead_as_a_claim() -> None:
    lead = "About 1,800 residents were evacuated from Dunmere on Tuesday night."
    first = art("v1", "Lisk Herald", lead + " Crews worked all night. Schools stayed shut. Roads closed.")
    second = art("v2", "Lisk Herald", lead + " The river fell by a metre. Shops reopened. Buses ran again.")
    spans = {a.id: [(0, len(lead))] for a in (first, second)}
    assert boilerplate([first, second], spans, {}) == set()


def test_an_outlet_citing_an_outlet_carries_whom_that_outlet_cites() -> None:
    """'Northgate Observer citing MARNEWS', where MARNEWS's own report cites the Ministry of Water,
    is the Ministry's report: it adds no source besides it, and the note says how it was counted."""
    sources = [
        ClaimSource("m", "MARNEWS", cited_source="the Ministry of Water"),
        ClaimSource("d", "Dunmere Courier"),
        ClaimSource("n", "Northgate Observer", cited_source="MARNEWS"),
    ]
    keys = originators(sources, {}, {})
    assert keys == {"m": "source:ministry of water", "d": "source:dunmere courier",
                    "n": "source:ministry of water"}
    assert ("Northgate Observer cites MARNEWS, whose report of it cites the Ministry of Water: counted as "
            "that source") in how_counted(keys, sources, {})


def test_an_outlet_citing_an_outlet_that_states_it_itself_carries_that_outlet() -> None:
    sources = [ClaimSource("m", "MARNEWS"), ClaimSource("n", "Northgate Observer", cited_source="MARNEWS")]
    keys = originators(sources, {}, {})
    assert keys == {"m": "source:marnews", "n": "source:marnews"}
    assert "whose report" not in how_counted(keys, sources, {})

