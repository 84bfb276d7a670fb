"""Quotes, reported speech and attribution (newsfuse.analyze.quotes.extract and its helpers)."""

from __future__ import annotations

from pathlib import Path

import benchmods
import pytest

from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.quotes.marks import find_quote_spans
from newsfuse.analyze.quotes.speakers import normalise_name
from newsfuse.models import Mention, Quote

BENCH = Path(__file__).resolve().parent.parent / "bench" / "quotes.py"
POLNEAR_DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "polnear" / "dev"


def parse(text: str) -> ParsedDoc:
    from newsfuse.analyze.nlp import parse as nlp_parse

    return nlp_parse(text)


def quotes_of(text: str, mentions: list[Mention] | None = None) -> list[Quote]:
    from newsfuse.analyze.quotes.extract import find_quotes

    return find_quotes(parse(text), "a1", mentions or [])


def mention(text: str, needle: str, key: str, label: str = "PERSON", kind: str = "name") -> Mention:
    """A hand-made mention of the first occurrence of ``needle``."""
    start = text.index(needle)
    return Mention(f"m{start}", "a1", start, start + len(needle), needle, label, kind, key)


def one(quotes: list[Quote], needle: str) -> Quote:
    hits = [q for q in quotes if needle in q.content]
    assert hits, f"no quote holds {needle!r}: {[q.content for q in quotes]}"
    return hits[0]


# ---------------------------------------------------------------------------------------------
# quote marks (no parser)
# ---------------------------------------------------------------------------------------------


def test_marks_pair_straight_and_curly() -> None:
    text = 'He said "we stay" and then \u201cwe go now\u201d.'
    spans = find_quote_spans(text)
    assert [text[q.inner_start : q.inner_end] for q in spans] == ["we stay", "we go now"]
    assert all(q.closed for q in spans)


def test_marks_nested_quote_stays_inside_outer() -> None:
    text = '"He asked me: \u201cwhy now?\u201d and left," she said.'
    spans = find_quote_spans(text)
    assert len(spans) == 1
    assert text[spans[0].inner_start : spans[0].inner_end].endswith("and left,")


def test_marks_paragraph_spanning_quote_is_one_span() -> None:
    text = "\u201cFirst part of it.\n\n\u201cSecond part of it.\u201d\n\nNarration goes on."
    spans = find_quote_spans(text)
    assert len(spans) == 1
    q = spans[0]
    assert q.closed and q.paragraphs == 2
    assert "Narration" not in text[q.start : q.end]


def test_marks_unclosed_mid_sentence_ends_at_its_sentence() -> None:
    text = 'Allies "must stay united. Then the author writes more.\nNext paragraph "quoted".'
    spans = find_quote_spans(text)
    assert text[spans[0].inner_start : spans[0].inner_end] == "must stay united."
    assert not spans[0].closed
    assert [text[q.inner_start : q.inner_end] for q in spans[1:]] == ["quoted"]


def test_marks_unclosed_paragraph_quote_ends_at_paragraph() -> None:
    text = '"We will win. We always do.\nThe rally ended at noon.'
    spans = find_quote_spans(text)
    assert len(spans) == 1 and not spans[0].closed
    assert text[spans[0].inner_start : spans[0].inner_end] == "We will win. We always do."


def test_marks_inch_sign_is_not_an_opener() -> None:
    text = 'A 12" pipe burst and "water flowed" out.'
    assert [text[q.inner_start : q.inner_end] for q in find_quote_spans(text)] == ["water flowed"]


def test_normalise_name() -> None:
    assert normalise_name("the Pentagon's") == "Pentagon"
    assert normalise_name(" Emmanuel  Macron ") == "Emmanuel Macron"


# ---------------------------------------------------------------------------------------------
# seeds (real articles)
# ---------------------------------------------------------------------------------------------


def _seed(seeds: Path, prefix: str) -> str:
    return next(seeds.glob(f"{prefix}*.txt")).read_text(encoding="utf-8")


@pytest.mark.slow
def test_seed_macron_quote_cites_reuters(seeds: Path) -> None:
    text = _seed(seeds, "002")
    mentions = [
        mention(text, "Emmanuel Macron", "Emmanuel Macron"),
        mention(text, "Reuters", "Reuters", label="ORG"),
    ]
    q = one(quotes_of(text, mentions), "does not want peace")
    assert q.speaker is not None and "Macron" in q.speaker
    assert q.speaker_key == "Emmanuel Macron"
    assert q.cited_source == "Reuters"
    assert q.kind == "mixed" and q.cue == "said"
    # without mentions the parser's entities give the same key
    assert one(quotes_of(text), "does not want peace").speaker_key == "Emmanuel Macron"


@pytest.mark.slow
def test_seed_peskov_unquoted_participle(seeds: Path) -> None:
    quotes = quotes_of(_seed(seeds, "000"))
    q = one(quotes, "dangerous escalation")
    assert q.speaker is not None and "Dmitry Peskov" in q.speaker
    assert q.speaker_key == "Dmitry Peskov"
    assert q.cue == "calling" and q.kind == "reported"
    warning = one(quotes, "further involvement of NATO")
    assert warning.cue == "warning" and warning.speaker_key == "Dmitry Peskov"


@pytest.mark.slow
def test_seed_times_wrote(seeds: Path) -> None:
    quotes = quotes_of(_seed(seeds, "002"))
    before = one(quotes, "could receive permission")
    after = one(quotes, "are preparing to give permission")
    for q in (before, after):
        assert q.speaker == "The Times" and q.cited_source == "The Times" and q.cue == "wrote"


@pytest.mark.slow
def test_seed_anonymous_sources(seeds: Path) -> None:
    quotes = quotes_of(_seed(seeds, "002"))
    officials = [q for q in quotes if q.speaker == "American officials"]
    assert officials and all(q.anonymous and q.speaker_key is None for q in officials)
    internal = one(quotes, "first long-range attacks")
    assert internal.speaker == "internal sources" and internal.anonymous
    assert internal.cited_source == "Reuters"


@pytest.mark.slow
def test_seed_declined_to_comment_is_no_quote(seeds: Path) -> None:
    quotes = quotes_of(_seed(seeds, "002"))
    assert not [q for q in quotes if q.speaker and "White House" in q.speaker]


@pytest.mark.slow
def test_seed_pronoun_speaker_and_unclosed_mark(seeds: Path) -> None:
    text = _seed(seeds, "002")
    q = one(quotes_of(text), "must remain united")
    assert q.speaker == "He" and q.speaker_key == "Emmanuel Macron" and q.cue == "adding"
    assert q.kind == "mixed"
    assert q.confidence < 0.9  # its quote mark never closes
    assert "We recall" not in q.content  # the unclosed mark did not swallow the next paragraph


@pytest.mark.slow
def test_seed_he_stated_resolves_to_macron(seeds: Path) -> None:
    q = one(quotes_of(_seed(seeds, "000")), "led to the U.S. reversal")
    assert q.speaker == "He" and q.speaker_key == "Macron" and q.cue == "stated"


@pytest.mark.slow
def test_seed_offsets_point_into_text(seeds: Path) -> None:
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        quotes = quotes_of(text)
        assert quotes
        assert [q.content_start for q in quotes] == sorted(q.content_start for q in quotes)
        for q in quotes:
            assert text[q.content_start : q.content_end] == q.content
            if q.speaker is not None:
                assert text[q.speaker_start : q.speaker_end] == q.speaker
            assert text[q.cue_start : q.cue_end] == q.cue


# ---------------------------------------------------------------------------------------------
# tiny texts
# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_direct_quote_after_and_before_cue() -> None:
    text = (
        '\u201cThe bridge will reopen next week,\u201d Mayor Ana Kovic said on Monday.\n'
        'Kovic said: "Nobody was hurt in the collapse."'
    )
    quotes = quotes_of(text)
    first = one(quotes, "bridge will reopen")
    assert first.kind == "direct" and first.content == "The bridge will reopen next week"
    assert first.speaker == "Mayor Ana Kovic" and first.speaker_key == "Ana Kovic"
    second = one(quotes, "Nobody was hurt")
    assert second.kind == "direct" and second.content == "Nobody was hurt in the collapse."
    assert second.speaker_key == "Ana Kovic"  # a surname alone maps to the full name seen before


@pytest.mark.slow
def test_split_quote_continues_with_same_speaker() -> None:
    text = '"The water is rising fast," said Piet Laan, the dam engineer. "We have two days at most."'
    quotes = quotes_of(text)
    a, b = one(quotes, "water is rising"), one(quotes, "two days at most")
    assert a.speaker_key == b.speaker_key == "Piet Laan"
    assert a.cue_start == b.cue_start
    assert b.confidence < a.confidence


@pytest.mark.slow
def test_multi_paragraph_quote_is_one_quote() -> None:
    text = (
        "Minister Lena Ortiz addressed the crowd.\n\n"
        "\u201cWe will rebuild every house that the flood took from you.\n\n"
        "\u201cAnd we will do it before the winter comes,\u201d Ortiz said.\n\n"
        "The crowd applauded."
    )
    q = one(quotes_of(text), "rebuild every house")
    assert q.kind == "direct" and "before the winter comes" in q.content
    assert "applauded" not in q.content
    assert q.speaker_key == "Lena Ortiz"


@pytest.mark.slow
def test_unclosed_quote_does_not_swallow_article() -> None:
    text = (
        'The governor said the state "would pay for every repair, she told reporters.\n\n'
        "Engineers inspected the dam on Tuesday. The river fell by a metre overnight."
    )
    for q in quotes_of(text):
        assert "Engineers inspected" not in q.content
        assert "river fell" not in q.content


@pytest.mark.slow
def test_according_to_both_positions() -> None:
    text = (
        "According to the Interior Ministry, 40 people were evacuated.\n"
        "The dam held overnight, according to local officials."
    )
    quotes = quotes_of(text)
    first = one(quotes, "40 people were evacuated")
    assert first.kind == "according_to" and first.speaker == "the Interior Ministry"
    assert first.cue == "According to"
    assert first.cited_source == "the Interior Ministry"
    second = one(quotes, "dam held overnight")
    assert second.kind == "according_to" and second.anonymous and second.speaker == "local officials"
    assert "according" not in second.content


@pytest.mark.slow
def test_pronoun_resolved_through_mentions() -> None:
    text = "Sara Bell arrived late. She said that the vote was rigged."
    mentions = [mention(text, "Sara Bell", "Sara Bell"), mention(text, "She", "Sara Bell", kind="pronoun")]
    q = one(quotes_of(text, mentions), "vote was rigged")
    assert q.kind == "reported" and q.speaker == "She" and q.speaker_key == "Sara Bell"


@pytest.mark.slow
def test_partial_quote_and_relay() -> None:
    text = 'Minister Ivo Rant called the plan "a betrayal of the valley", reports Reuters.'
    q = one(quotes_of(text), "betrayal")
    assert q.kind == "partial" and q.cue == "called"
    assert q.speaker_key == "Ivo Rant" and q.cited_source == "Reuters"
    assert not [x for x in quotes_of(text) if x.speaker == "Reuters"]  # the relay is no quote


@pytest.mark.slow
def test_headline_colon() -> None:
    q = one(quotes_of("Kovic: Bridge will reopen within a week\n\nThe bridge closed in May."), "reopen")
    assert q.speaker == "Kovic" and q.cue == ":"


@pytest.mark.slow
def test_negated_and_contentless_cues_give_no_quote() -> None:
    text = "Neither Russia nor Ukraine confirmed the report. The ministry declined to comment."
    assert quotes_of(text) == []


@pytest.mark.slow
def test_wishes_and_positions_are_stances() -> None:
    quotes = quotes_of("Senator Dana Holt wants to raise the fuel tax. The governor opposes the toll road.")
    wish, position = one(quotes, "raise the fuel tax"), one(quotes, "toll road")
    assert wish.kind == position.kind == "stance"
    assert wish.content == "to raise the fuel tax" and wish.speaker == "Senator Dana Holt"
    assert position.content == "the toll road" and position.speaker == "The governor"
    assert wish.confidence < 0.9  # an attitude, not words


@pytest.mark.slow
def test_stance_needs_its_own_subject_and_as_frame() -> None:
    assert quotes_of("Voters backing the mayor gathered downtown.") == []
    q = one(quotes_of("The mayor views the stadium deal as a costly mistake."), "stadium deal")
    assert q.kind == "stance" and q.content == "the stadium deal as a costly mistake"


@pytest.mark.slow
def test_quote_beside_the_cue_clause() -> None:
    said = "We will reopen the school in March"
    before = one(quotes_of(f"\u201c{said},\u201d Principal Omar Diaz said.\n"), "reopen")
    after = one(quotes_of(f"Principal Omar Diaz said, \u201c{said}.\u201d\n"), "reopen")
    for q in (before, after):
        assert q.kind == "direct" and q.speaker == "Principal Omar Diaz" and q.cue == "said"
        assert q.content.startswith("We will reopen the school")


@pytest.mark.slow
def test_cue_inside_the_clause_it_reports() -> None:
    q = one(quotes_of("The new school, Diaz said, will open in March."), "will open in March")
    assert q.speaker == "Diaz" and q.kind == "reported"
    assert q.content.startswith("The new school")


@pytest.mark.slow
def test_clipped_lemma_and_dash_colon() -> None:
    q = one(quotes_of("Mayor Lena Ortiz hopes the bridge will reopen soon."), "bridge will reopen")
    assert q.cue == "hopes" and q.speaker == "Mayor Lena Ortiz"  # the small model lemmatises 'hop'
    text = "CITY HALL DIGEST - Lena Ortiz: \u201cThe budget will be balanced by June.\u201d\n"
    digest = one(quotes_of(text), "budget will be balanced")
    assert digest.speaker == "Lena Ortiz" and digest.cue == ":" and digest.kind == "direct"


# ---------------------------------------------------------------------------------------------
# quality gate on PolNeAR dev
# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_polnear_quality_floor() -> None:
    if not POLNEAR_DEV.is_dir():
        pytest.skip("../shared/bench/polnear/dev is not beside the project")
    bench = benchmods.load(BENCH, "bench_quotes")
    res = bench.evaluate(POLNEAR_DEV, limit=15)
    ours, peer = res["newsfuse"], res["textacy"]
    assert ours["source"]["exact_p"] >= FLOORS["source_exact_p"]
    assert ours["source"]["exact_f1"] >= FLOORS["source_exact_f1"]
    assert ours["content"]["overlap_f1"] >= FLOORS["content_overlap_f1"]
    assert ours["pair"]["overlap_f1"] >= FLOORS["pair_overlap_f1"]
    assert ours["content"]["overlap_f1"] > peer["content"]["overlap_f1"]


# measured on the first 15 dev texts with the learned cue, acceptance and span models: source exact
# P 0.834 / F1 0.775, content overlap F1 0.803, pair overlap F1 0.779 (all 84 dev texts: 0.822 /
# 0.759, 0.794, 0.763); recall is still bounded by PolNeAR's
# long tail of cues (bench/quotes.py)
FLOORS = {
    "source_exact_p": 0.82, "source_exact_f1": 0.765, "content_overlap_f1": 0.79, "pair_overlap_f1": 0.77,
}


@pytest.mark.slow
def test_pronoun_speaker_never_resolves_to_an_outlet() -> None:
    # even when a mislinked pronoun mention points 'he' at the newspaper
    # (a ', adding ...' after the reported clause is the minister's own, so the pronoun speaks in a
    # sentence of its own)
    text = (
        "Minister of Water Arvid Sollen met the Herald on Monday. He said he would "
        "\u201cwant to know who saw what, and when\u201d, adding that the ministry\u2019s own engineers "
        "would review every report."
    )
    he = text.index("He said")
    mentions = [
        mention(text, "Arvid Sollen", "Arvid Sollen"), mention(text, "Herald", "Herald", "ORG"),
        Mention("mhe", "a1", he, he + 2, "He", "PERSON", "pronoun", "Herald"),
    ]
    by_he = [q for q in quotes_of(text, mentions) if q.speaker == "He"]
    assert by_he and all(q.speaker_key == "Arvid Sollen" for q in by_he)


@pytest.mark.slow
def test_finding_inside_a_speakers_clause_is_no_quote_of_its_own() -> None:
    qs = quotes_of("Mayor Ilse Vorn said that tests had shown the water was safe.")
    assert all((q.speaker or "").lower() != "tests" for q in qs)
    assert any(q.speaker == "Mayor Ilse Vorn" for q in qs)


@pytest.mark.slow
def test_medial_cue_after_a_whole_clause_leaves_the_attribution_out() -> None:
    text = "The bridge will be rebuilt with steel, Minister Arvid Sollen said, two days after it fell."
    q = one(quotes_of(text), "rebuilt")
    assert q.content == "The bridge will be rebuilt with steel"
    q = one(quotes_of("Biden, Rubio said, had been in the Senate for decades."), "Senate")
    assert q.content.startswith("Biden") and q.content.endswith("decades")


@pytest.mark.slow
def test_it_speaker_is_the_organisation_that_spoke_before() -> None:
    text = "The Water Board said the dam was safe. It added that it would publish a report."
    qs = quotes_of(text, [mention(text, "Water Board", "Water Board", "ORG")])
    q = one(qs, "publish a report")
    assert q.speaker == "It" and q.speaker_key == "Water Board"


@pytest.mark.slow
def test_name_in_a_phrase_after_a_body_is_not_the_speaker() -> None:
    text = "The regional hospital in Varn said it had cancelled operations."
    q = one(quotes_of(text, [mention(text, "Varn", "Varn", "ORG")]), "cancelled")
    assert q.speaker_key is None


@pytest.mark.slow
def test_first_person_plural_outside_quote_marks_is_the_outlet_no_quote() -> None:
    text = ("We recall that the council approved the budget in May. As we reported on Monday, the "
            "mayor resigned. \"We will appeal,\" the union said.")
    quotes = quotes_of(text)
    assert not [q for q in quotes if q.speaker and q.speaker.lower() == "we"]
    assert not [q for q in quotes if "council approved" in q.content or "mayor resigned" in q.content]
    assert one(quotes, "We will appeal").speaker == "the union"  # 'we' inside quote marks is quoted


@pytest.mark.slow
def test_passive_hearsay_is_anonymous_without_speaker() -> None:
    text = "The ministry is said to have cancelled the contract. The board is reported to have met twice."
    for needle in ("cancelled the contract", "met twice"):
        q = one(quotes_of(text), needle)
        assert (q.speaker, q.speaker_key, q.anonymous) == (None, None, True)


@pytest.mark.slow
def test_unclosed_quote_ends_at_its_paragraph_and_frees_what_follows() -> None:
    text = ('The mayor said residents "must stay calm and wait for the all-clear.\n\n'
            "The river fell overnight, the water board said.")
    quotes = quotes_of(text)
    q = one(quotes, "must stay calm")
    assert q.content.endswith("all-clear.") and q.confidence < 0.9
    board = one(quotes, "river fell")
    assert board.speaker == "the water board" and board.kind == "reported"


@pytest.mark.slow
def test_mixed_content_leaves_the_comma_before_the_closing_mark_out() -> None:
    text = 'Her aim was to "fix the roads and the bridges," Dorn said on Monday.'
    q = one(quotes_of(text), "fix the roads")
    assert q.speaker == "Dorn" and q.kind == "mixed"
    assert q.content.endswith("the bridges") and text[q.content_end] == ","


@pytest.mark.slow
def test_subject_inside_the_quote_is_not_the_speaker() -> None:
    text = '"Buyers like the price," said Mara Venn, an analyst at Holt Bank. "The rest is noise."'
    quotes = quotes_of(text)
    assert one(quotes, "Buyers like the price").speaker == "Mara Venn, an analyst at Holt Bank"
    assert one(quotes, "The rest is noise").speaker == "Mara Venn, an analyst at Holt Bank"


@pytest.mark.slow
def test_denied_that_takes_the_whole_that_clause() -> None:
    text = "A spokeswoman for Orvo Rail denied that repairs to the old bridge had been delayed."
    q = one(quotes_of(text), "had been delayed")
    assert q.content == "that repairs to the old bridge had been delayed"


@pytest.mark.slow
def test_refused_speech_act_is_no_quote_but_a_refusal() -> None:
    from newsfuse.analyze.quotes.extract import no_comments

    text = "The regulator declined to say whether it would open an inquiry."
    assert quotes_of(text) == []
    doc = parse(text)
    found = [(text[n.speaker[0] : n.speaker[1]], text[n.topic[0] : n.topic[1]] if n.topic else None)
             for n in no_comments(doc)]
    assert found == [("The regulator", "whether it would open an inquiry")]


@pytest.mark.slow
def test_cue_joined_to_a_passive_reported_clause_speaks_for_the_outer_speaker() -> None:
    text = ("The mayor, Ilse Varga, warned that the wells could be poisoned and urged families not to "
            "drink from them.")
    q = one(quotes_of(text), "not to drink")
    assert q.speaker is not None and "Varga" in q.speaker and "wells" not in q.speaker


# ---------------------------------------------------------------------------------------------
# learned cues (newsfuse.analyze.quotes.cuemodel) on top of the lexicon
# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_learned_cue_outside_the_lexicon_gives_a_stance() -> None:
    from newsfuse.analyze.quotes import cues

    text = "Senator Alma Reyes is convinced that the tax plan will fail. Reyes seems to favor a recount."
    assert not {"convince", "be", "seem"} & (cues.SPEECH | cues.BELIEF)  # only the model knows these
    q = one(quotes_of(text), "tax plan will fail")
    assert (q.speaker, q.cue, q.kind) == ("Senator Alma Reyes", "is convinced", "stance")
    assert q.content == "that the tax plan will fail"
    assert 0.0 < q.confidence < 0.9  # the model's probability, below a lexicon quote's
    q = one(quotes_of(text), "recount")
    # a raising verb: the outlet judges how Reyes seems, Reyes is no source (PolNeAR gives none)
    assert (q.speaker, q.cue, q.content, q.kind) == (None, "seems", "to favor a recount", "stance")


@pytest.mark.slow
def test_learned_nominal_cue_takes_the_possessor_as_source() -> None:
    q = one(quotes_of("Reyes's claim that the audit was rigged angered the board."), "audit was rigged")
    assert (q.speaker, q.cue, q.content) == ("Reyes's", "claim", "that the audit was rigged")


@pytest.mark.slow
def test_model_switched_off_leaves_the_rules_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfuse import defaults

    text = "Senator Alma Reyes is convinced that the tax plan will fail. Reyes said the vote is close."
    monkeypatch.setattr(defaults, "QUOTE_CUE_MODEL_MIN_PROB", 2.0)
    qs = quotes_of(text)
    assert [q.cue for q in qs] == ["said"]


@pytest.mark.slow
def test_acceptance_drops_what_the_model_finds_unlikely(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsfuse import defaults

    text = "Reyes said the vote is close."
    monkeypatch.setattr(defaults, "QUOTE_ACCEPT_MIN_PROB", 1.0)  # nothing is that sure
    assert quotes_of(text) == []
    monkeypatch.setattr(defaults, "QUOTE_ACCEPT_MIN_PROB", 0.0)
    assert [q.speaker for q in quotes_of(text)] == ["Reyes"]


@pytest.mark.slow
def test_pronoun_speaker_skips_a_person_of_the_other_gender() -> None:
    from newsfuse.analyze.names.mentions import find_mentions

    def speaker_of(text: str) -> str | None:
        doc = parse(text)
        from newsfuse.analyze.quotes.extract import find_quotes

        return one(find_quotes(doc, "a1", find_mentions(doc, "a1")), "raise taxes").speaker_key

    # The last person named is a man (Mr.): 'she' must not become him.
    assert speaker_of('Mr. Daniel Ortiz, the city treasurer, met reporters on Monday. '
                      '"We will not raise taxes," she said.') != "Daniel Ortiz"
    # A woman named earlier in the sentence is the one 'she' can be, even with a man nearer.
    assert speaker_of('Ms. Helen Lind, the council leader, spoke after Mr. Daniel Ortiz left the room. '
                      '"We will not raise taxes," she said.') == "Helen Lind"


@pytest.mark.slow
def test_cue_in_a_relative_clause_reports_what_follows_it() -> None:
    # 'moves that he said improved ...': the clause's subject is 'that', before the cue
    text = "Cruz praised the tax cuts, moves that he said improved the state's economy."
    q = one(quotes_of(text), "economy")
    assert q.content == "improved the state's economy"
    assert q.speaker == "he" and q.cue == "said"


@pytest.mark.slow
def test_clause_from_the_previous_paragraph_is_not_the_content() -> None:
    # the parser runs the sentence over the paragraph break and hangs the question on 'said'
    text = ('"Do you really think you understand this enemy?"\n\n'
            "A defensive Obama said his critics seem to think that more bombing would help.")
    q = one(quotes_of(text), "his critics")
    assert q.content == "his critics seem to think that more bombing would help"
    assert q.speaker == "A defensive Obama"


@pytest.mark.slow
def test_raising_verb_has_no_source() -> None:
    from newsfuse.analyze.quotes.learnedcues import learned_at

    doc = parse("Clinton appeared to have the most to gain from the vote.")
    t = next(i for i, tok in enumerate(doc.tokens) if tok.text == "appeared")
    a = learned_at(doc, t, find_quote_spans(doc.text), 0.9)
    assert a is not None and a.speaker is None  # the outlet's judgement, not Clinton's words
    assert doc.text[a.content[0] : a.content[1]].startswith("to have the most")


@pytest.mark.slow
def test_as_clause_cue_reports_the_clause_it_modifies() -> None:
    text = "As the Boston Herald reported on Monday, the mayor will not seek a third term."
    q = one(quotes_of(text), "mayor")
    assert q.content == "the mayor will not seek a third term"
    assert q.speaker == "the Boston Herald" and q.cue == "reported"


@pytest.mark.slow
def test_passive_report_by_a_source() -> None:
    q = one(quotes_of("The tax plan was first reported by the Boston Herald on Monday."), "tax plan")
    assert q.content == "The tax plan" and q.speaker == "the Boston Herald"


@pytest.mark.slow
def test_poll_named_by_in_is_the_source() -> None:
    quotes = quotes_of("In a new Gallup poll, most voters said the economy was their top concern.")
    poll = [q for q in quotes if q.cue == "In"]
    assert len(poll) == 1 and poll[0].speaker == "a new Gallup poll"
    assert poll[0].content.startswith("most voters said") and poll[0].kind == "according_to"
    # an 'in' phrase naming no poll or study cites nothing
    assert not [q for q in quotes_of("In a new speech, the mayor said taxes would fall.") if q.cue == "In"]


@pytest.mark.slow
def test_message_speaks_for_its_sender() -> None:
    quotes = quotes_of("Trump released a statement on Monday saying the vote was rigged.")
    saying = [q for q in quotes if q.cue == "saying"]
    assert len(saying) == 1 and saying[0].speaker == "Trump"  # not 'a statement'
    assert saying[0].content == "the vote was rigged"


@pytest.mark.slow
def test_gerund_after_a_preposition_speaks_for_the_verbs_subject() -> None:
    q = one(quotes_of("The governor erred in saying that the tax would fall."), "tax would fall")
    assert q.cue == "saying" and q.speaker == "The governor"


@pytest.mark.slow
def test_passive_participle_cue_has_no_speaker() -> None:
    quotes = quotes_of("Asked about the tax, Johnson said it would fall.")
    asked = [q for q in quotes if q.cue == "Asked"]
    assert all(q.speaker is None for q in asked)  # Johnson was asked; who asked is unsaid
    assert one(quotes, "would fall").speaker == "Johnson"


@pytest.mark.slow
def test_contracted_has_is_no_passive() -> None:
    q = one(quotes_of("He's said he gets his ideas from a speech by the governor."), "gets his ideas")
    assert q.speaker == "He"


@pytest.mark.slow
def test_pronoun_object_with_its_as_predicate_is_the_content() -> None:
    q = one(quotes_of("Trump described himself as a change agent."), "change agent")
    assert q.content == "himself as a change agent" and q.speaker == "Trump"


@pytest.mark.slow
def test_speaker_leaves_out_the_cues_time_and_a_quantifier() -> None:
    q = one(quotes_of("The Democratic contenders on Saturday said the tax would fall."), "tax would fall")
    assert q.speaker == "The Democratic contenders"
    q = one(quotes_of("Jeb Bush and Ted Cruz both said the plan would fail."), "plan would fail")
    assert q.speaker == "Jeb Bush and Ted Cruz"


@pytest.mark.slow
def test_refusals_to_comment_name_who_refused_but_are_no_quotes() -> None:
    from newsfuse.analyze.quotes.extract import no_comments

    text = ("A Justice Department spokeswoman declined to comment on the latest request. "
            "Trump did not respond to a request for comment. His lawyer also declined to comment. "
            "She declined the offer.")
    doc = parse(text)
    found = [(text[n.speaker[0] : n.speaker[1]], text[n.cue[0] : n.cue[1]],
              text[n.topic[0] : n.topic[1]] if n.topic else None) for n in no_comments(doc)]
    assert found == [
        ("A Justice Department spokeswoman", "declined to comment on", "the latest request"),
        ("Trump", "did not respond to", "a request for comment"),
        ("His lawyer", "declined to comment", None),
    ]
    assert [q for q in quotes_of(text) if q.cue_start < text.index("She")] == []  # nothing was said


# an 'as' clause with a 'by' phrase


@pytest.mark.slow
def test_passive_as_clause_names_its_source_in_the_by_phrase() -> None:
    q = one(quotes_of("As noted by the mayor, the bridge will close in May."), "bridge will close")
    assert q.speaker == "the mayor" and q.content == "the bridge will close in May"
