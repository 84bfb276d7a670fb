"""Claim rows a journalist would accept: one sentence's fact told twice is one row, words in quotation
marks are their speaker's, a named source is no claim, a described source reads in lower case."""

from __future__ import annotations

from dataclasses import replace

from newsfuse.fuse.claims.align import fact_links
from newsfuse.fuse.claims.records import _beside
from newsfuse.fuse.claims.relations import amount_text
from newsfuse.fuse.claims.sentence import as_sentence, in_sentence
from newsfuse.fuse.claims.sources import how_counted, originators
from newsfuse.fuse.claims.statements import (
    Statement,
    named_it,
    named_they,
    quotation_runs,
    restated,
    says_nothing,
    span_of,
    statements,
)
from newsfuse.fuse.claims.words import says_no_more
from newsfuse.fuse.report import _sources_text
from newsfuse.models import Amount, Analysis, Article, ClaimSource, Event, Quote


def _statement(article: Article, sid: str, kind: str, label: str, start: int, end: int) -> Statement:
    span = span_of(article, start, end)
    return Statement(id=sid, kind=kind, article=article, text=label, span=span, label=label)


# --- one fact told twice in one sentence -------------------------------------------------------

TARVAN = "Tarvan Hydro said it welcomed the decision and would “support the ministry in every way”."


def test_a_statement_saying_nothing_more_than_its_sentence_folds_into_it() -> None:
    article = Article(id="a1", text=TARVAN, outlet="Marovia Today")
    whole = _statement(article, "q1", "quote",
                       "Tarvan Hydro welcomed the decision and would “support the ministry in every way”",
                       0, len(TARVAN))
    part = _statement(article, "e1", "event", "Tarvan Hydro may support the ministry in every way",
                      0, len(TARVAN))
    assert restated([part, whole]) == [(whole, part)]


def test_a_statement_of_another_fact_in_the_sentence_stays_its_own_row() -> None:
    text = "Investigators visited the dam on Tuesday and took away computers and paper files."
    article = Article(id="a2", text=text, outlet="Radio Tarva")
    whole = _statement(article, "q1", "quote", text.rstrip("."), 0, len(text))
    part = _statement(article, "e1", "event", "Investigators visited the dam on Tuesday", 0, len(text))
    assert restated([whole, part]) == []  # taking away computers is more than a detail of the visit


def test_a_denial_or_another_figure_says_more() -> None:
    assert not says_no_more("The state did not pay for the housing", "The state would pay for the housing")
    assert not says_no_more("About 4,500 residents were evacuated", "About 1,800 residents were evacuated")
    assert says_no_more("France may allow Ukraine to use the SCALP missiles",
                        "France might allow Ukraine to use its SCALP missiles")


def test_figures_and_statements_in_other_sentences_never_fold() -> None:
    text = "Two people were killed. Two people were killed, the ministry said."
    article = Article(id="a3", text=text, outlet="MARNEWS")
    first = _statement(article, "e1", "event", "Two people were killed", 0, 23)
    second = _statement(article, "e2", "event", "Two people were killed", 24, len(text))
    figure = _statement(article, "m1", "amount", "Two people were killed", 24, len(text))
    assert restated([first, second]) == []
    assert all(p is not figure and w is not figure for w, p in restated([second, figure]))


# --- words in quotation marks are their speaker's ----------------------------------------------

FEATURE = (
    "Four days after the breach, about 300 people are still in the school.\n\n"
    "“When the sirens started we had maybe twenty minutes,” said Marta Feld. “My neighbours carried "
    "their children up to the church.\n\n"
    "“By morning the water was at the windows, and the soldiers could only take eight of us at a time.”\n\n"
    "“We will be back,” one man shouted from a boat.\n\n"
    "“Nobody told us anything.”"
)


def test_a_quote_of_several_paragraphs_is_one_passage() -> None:
    runs = [FEATURE[lo:hi] for lo, hi in quotation_runs(FEATURE)]
    assert runs[1].startswith("My neighbours") and runs[1].endswith("eight of us at a time.")
    assert runs[-1] == "Nobody told us anything."


def _feature_statements() -> list[Statement]:
    article = Article(id="a4", text=FEATURE)
    said = FEATURE.index("When the sirens")
    content = "When the sirens started we had maybe twenty minutes"
    speaker = FEATURE.index("Marta Feld")
    quote = Quote(id="q1", article_id="a4", kind="direct", content=content, content_start=said,
                  content_end=said + len(content), speaker="Marta Feld", speaker_start=speaker,
                  speaker_end=speaker + len("Marta Feld"), speaker_key="Marta Feld", cue="said",
                  cue_start=speaker - 5, cue_end=speaker - 1)
    second = FEATURE.index("My neighbours")
    neighbours = "My neighbours carried their children up to the church."
    quote2 = Quote(id="q2", article_id="a4", kind="direct", content=neighbours, content_start=second,
                   content_end=second + len(neighbours), speaker="Marta Feld", speaker_start=speaker,
                   speaker_end=speaker + len("Marta Feld"), speaker_key="Marta Feld", cue="said",
                   cue_start=speaker - 5, cue_end=speaker - 1)
    eight, people = FEATURE.index("eight of us"), FEATURE.index("300 people")
    amounts = (Amount(id="m1", article_id="a4", start=eight, end=eight + 5, text="eight", value=8.0,
                      counted="us"),
               Amount(id="m2", article_id="a4", start=people, end=people + 3, text="300", value=300.0,
                      counted="people", approx="about"))
    analysis = Analysis(article_id="a4", quotes=(quote, quote2), amounts=amounts)
    return statements(article, analysis, {("a4", "Marta Feld"): "e_feld"}, set(), {"e_feld": "Marta Feld"})


def test_a_fact_in_a_quote_going_on_over_a_paragraph_is_its_speakers() -> None:
    by_id = {s.id: s for s in _feature_statements()}
    assert "eight of us" in by_id["m1"].label
    assert by_id["m1"].attribution == "Marta Feld said"
    assert by_id["m2"].attribution == ""  # the outlet's own sentence stays the outlet's


def test_quoted_words_of_nobody_named_are_no_fact_of_the_outlet() -> None:
    text = "Residents waited on the roofs.\n\n“The soldiers could only take 8 of us at a time.”"
    at = text.index("8 of")
    article = Article(id="a5", text=text)
    analysis = Analysis(article_id="a5", amounts=(Amount(id="m1", article_id="a5", start=at, end=at + 1,
                                                         text="8", value=8.0, counted="us"),))
    (found,) = statements(article, analysis, {}, set(), {})
    assert found.attribution == "an unnamed source said"


# --- a described source is who is cited, not what was said --------------------------------------

def test_a_source_an_outlet_cites_is_no_statement_even_after_its_speaker() -> None:
    text = ("The Northgate Observer reported on Tuesday, citing an unnamed ministry official, that the "
            "work had been put off twice.")
    lo = text.index("an unnamed")
    q = Quote(id="q1", article_id="a6", kind="reported", content="an unnamed ministry official",
              content_start=lo, content_end=lo + len("an unnamed ministry official"),
              speaker="The Northgate Observer", speaker_start=0, speaker_end=22, cue="citing",
              cue_start=lo - 7, cue_end=lo - 1)
    assert says_nothing(text, q)


def test_a_described_source_reads_in_lower_case_in_the_sources_line() -> None:
    assert in_sentence("An internal Tarvan Hydro memo") == "an internal Tarvan Hydro memo"
    assert in_sentence("The Ministry of Water") == "the Ministry of Water"
    assert in_sentence("An Post") == "An Post"  # a name that begins with 'An
    claim = {"sources": [{"outlet": "The Lowland Herald", "cited_source": "An internal Tarvan Hydro memo",
                          "independent_of": None, "stance": "supports", "value": None}]}
    assert _sources_text(claim) == "The Lowland Herald citing an internal Tarvan Hydro memo"


# --- 'it' said as what the sentence names ------------------------------------------------------

def test_a_leading_it_reads_as_the_event_its_sentence_names() -> None:
    text = ("The Kremlin criticized the U.S. decision, with a spokesman warning that it could lead to "
            "further involvement of NATO in the conflict.")
    at = text.index("it could")
    fact = "It could lead to further involvement of NATO in the conflict"
    assert named_it(fact, text, at) == (
        "The U.S. decision could lead to further involvement of NATO in the conflict")


def test_an_it_of_no_event_or_a_dummy_it_is_not_guessed_at() -> None:
    text = "The Orlen Dam was completed in 1968. It last passed a full safety inspection in May."
    fact = "It last passed a full safety inspection in May"
    assert named_it(fact, text, text.index("It last")) == fact  # the dam is no event: not guessed
    text = "The decision was announced. Officials said it was too early to give figures."
    fact = "It was too early to give figures"
    assert named_it(fact, text, text.index("it was")) == fact  # a dummy subject
    text = "After the decision was announced, the minister said it would help."
    assert named_it("It would help", text, text.index("it would")) == "The decision would help"


# --- a cited source holds only its own words -----------------------------------------------------

def test_a_fact_outside_the_cited_words_is_the_outlets_own_report() -> None:
    text = ("Shares in Solvik rose about 7 percent on Monday after the software maker said it would buy "
            "Quillpay.")
    said = text.index("it would")
    maker = text.index("the software maker")
    quote = Quote(id="q1", article_id="a7", kind="reported", content="it would buy Quillpay",
                  content_start=said, content_end=said + len("it would buy Quillpay"),
                  speaker="the software maker", speaker_start=maker, speaker_end=maker + 18, cue="said",
                  cue_start=maker + 19, cue_end=maker + 23, cited_source="the software maker")
    at = text.index("7 percent")
    figure = Amount(id="m1", article_id="a7", start=at, end=at + 9, text="7 percent", value=7.0, unit="%",
                    approx="about")
    article = Article(id="a7", text=text, outlet="Marovia Today")
    by_id = {s.id: s for s in statements(article, Analysis("a7", quotes=(quote,), amounts=(figure,)), {},
                                         {"marovia today"}, {})}
    assert by_id["m1"].attribution == "" and by_id["m1"].cited is None
    assert by_id["q1"].cited == "the software maker"  # what the maker said stays its own


def test_its_reads_as_the_name_its_own_sentence_opens_with() -> None:
    text = ("Some analysts questioned the price. Quillpay reported a small loss last year, and its "
            "revenue of about 95 million crowns means Solvik is paying roughly 25 times sales.")
    at = text.index("95")
    article = Article(id="a8", text=text, outlet="Brenna Ledger")
    figure = Amount(id="m1", article_id="a8", start=at - 6, end=at + 17, text="about 95 million crowns",
                    value=95e6, unit="crown", approx="about")
    (found,) = statements(article, Analysis("a8", amounts=(figure,)), {}, set(), {"e_q": "Quillpay"})
    assert found.label.startswith("Quillpay’s revenue of about 95 million crowns means")
    (found,) = statements(article, Analysis("a8", amounts=(figure,)), {}, set(), {"e_s": "Solvik"})
    assert found.label.startswith("Its revenue")  # the sentence opens with no name of the story


# --- a condition is no fact --------------------------------------------------------------------

def test_an_event_in_a_condition_is_no_fact_of_its_own() -> None:
    text = "Kasimir Lode warned that the committee would issue a summons if Mellis refused."
    article = Article(id="a9", text=text, outlet="Radio Tarva")

    def event(eid: str, trigger: str, word: str, source: str) -> Event:
        at = text.index(word)
        return Event(id=eid, article_id="a9", trigger=trigger, trigger_start=at, trigger_end=at + len(word),
                     sentence_start=0, sentence_end=len(text), type="DEMAND", mode="possible",
                     source=source, source_key=source)

    events = (event("e1", "issue", "issue", "the committee"), event("e2", "refuse", "refused", "Mellis"))
    emap = {("a9", "the committee"): "e_c", ("a9", "Mellis"): "e_m"}
    by_id = {s.id: s for s in statements(article, Analysis("a9", events=events), emap, set(),
                                         {"e_c": "the committee", "e_m": "Dragan Mellis"})}
    assert by_id["e1"].strong and not by_id["e2"].strong


def test_an_abbreviation_ending_a_fact_keeps_its_point() -> None:
    assert as_sentence("Sirens sounded across the town shortly before 4 a.m") == (
        "Sirens sounded across the town shortly before 4 a.m.")
    assert as_sentence("Sirens sounded before 4 a.m.,") == "Sirens sounded before 4 a.m."
    assert as_sentence("the talks ended.") == "The talks ended"



def test_a_description_opening_its_sentence_reads_in_lower_case_beside_the_fact() -> None:
    text = "Farmers in the lower valley said the water had covered large areas of maize fields."
    said = text.index("the water")
    q = Quote(id="q1", article_id="b1", kind="reported", content=text[said:-1], content_start=said,
              content_end=len(text) - 1, speaker="Farmers in the lower valley", speaker_start=0,
              speaker_end=27, speaker_key="Farmers", cue="said", cue_start=28, cue_end=32)
    article = Article(id="b1", text=text, outlet="MARNEWS")
    (found,) = statements(article, Analysis("b1", quotes=(q,)), {}, set(), {})
    assert found.attribution == "farmers in the lower valley said"
    assert found.label == "The water had covered large areas of maize fields"
    named = replace(q, speaker="Kasimir Lode", speaker_end=12, speaker_key="Kasimir Lode")
    (found,) = statements(article, Analysis("b1", quotes=(named,)), {}, set(), {})
    assert found.attribution.startswith("Kasimir Lode")  # a name stays as written


# --- an act another word governs is no fact of its own ------------------------------------------

def _negotiate(text: str, word: str = "negotiate", mode: str = "possible",
               negated: bool = False) -> Statement:
    at = text.index(word)
    e = Event(id="e1", article_id="c1", trigger="negotiate", trigger_start=at, trigger_end=at + len(word),
              sentence_start=0, sentence_end=len(text), type="CONSULT", mode=mode, negated=negated,
              source="Russia", source_key="Russia")
    article = Article(id="c1", text=text, outlet="MENAFN")
    (found,) = statements(article, Analysis("c1", events=(e,)), {("c1", "Russia"): "e_r"}, set(),
                          {"e_r": "Russia"})
    return found


def test_a_governed_infinitive_is_no_fact_of_its_subject() -> None:
    assert not _negotiate("The weapons would potentially push Russia to negotiate peace.").strong
    assert not _negotiate("Kyiv asked for Russia to negotiate peace.").strong
    assert not _negotiate("Russia wants to officially negotiate peace.").strong
    assert not _negotiate("Moscow sent envoys in order to negotiate peace.").strong
    # the act itself, an act that happened ('managed to') and the subject's own plan stay facts
    assert _negotiate("Russia negotiated peace.", "negotiated", mode="asserted").strong
    assert _negotiate("Russia managed to negotiate peace.", mode="asserted").strong
    assert _negotiate("Russia plans to negotiate peace.", mode="planned").strong


def test_an_infinitive_after_a_past_verb_and_its_object_is_a_purpose_no_fact() -> None:
    # 'cancelled routine operations to free up beds': the beds were to be freed, not freed
    assert not _negotiate("Moscow cancelled routine talks to negotiate peace.", mode="asserted").strong
    assert not _negotiate("Moscow sent two envoys to negotiate peace.", mode="asserted").strong
    # an act the verb made happen, and a verb's own complement after a time phrase, stay facts
    assert _negotiate("Moscow forced Russia to negotiate peace.", mode="asserted").strong
    assert _negotiate("Moscow decided last week to negotiate peace.", mode="asserted").strong
    assert _negotiate("Moscow used envoys to negotiate peace.", mode="asserted").strong


def test_a_negated_frame_kept_in_the_words_is_the_fact() -> None:
    found = _negotiate("Putin is not ready to negotiate.", negated=True, mode="denied")
    assert found.strong and found.label == "Russia is not ready to negotiate"


# --- a negated row reads its negation once ----------------------------------------------------

def _claim(*stances: str) -> dict[str, object]:
    return {"sources": [{"outlet": f"Outlet {n}", "cited_source": None, "independent_of": None,
                         "stance": stance, "value": None} for n, stance in enumerate(stances)]}


def test_a_row_worded_by_its_negation_carries_no_did_not_happen_tag() -> None:
    assert _sources_text(_claim("denies")) == "Outlet 0"  # 'Putin is not ready to negotiate' says it
    assert _sources_text(_claim("supports", "denies")) == (
        "Outlet 0; Outlet 1 [reports it did not happen]")  # worded positively by the other side


# --- copies of a wire story are copies, not outlets -------------------------------------------

def test_the_carried_source_note_counts_wire_copies_as_copies() -> None:
    cited = "the Ministry of Water"
    wire = [ClaimSource("m", "MARNEWS", cited_source=cited),
            ClaimSource("d", "Dunmere Courier", independent_of="m", cited_source=cited),
            ClaimSource("k", "Kessel Valley Post", independent_of="m", cited_source=cited)]
    copies = {"d": "m", "k": "m"}
    keys = originators(wire, copies, {})
    note = how_counted(keys, wire, copies)
    assert "3 outlets" not in note and "carried 3 times" not in note
    assert note == "copies of a wire story counted once: Dunmere Courier, Kessel Valley Post"
    other = [*wire, ClaimSource("h", "The Lowland Herald", cited_source=cited)]
    note = how_counted(originators(other, copies, {}), other, copies)
    assert note.startswith("2 outlets and 2 copies of a wire story carry the Ministry of Water: one source "
                           "carried 2 times")


# --- 'they' said as the group its sentence names --------------------------------------------------

def test_a_leading_they_reads_as_the_group_its_sentence_opens_with() -> None:
    text = "Residents of Lower Dunmere have been told they may be able to return to their homes."
    fact = "They may be able to return to their homes"
    assert named_they(fact, text, text.index("they")) == (
        "Residents of Lower Dunmere may be able to return to their homes")
    text = "Farmers in the valley lost their harvest. They want compensation."
    assert named_they("They want compensation", text, text.index("They")) == (
        "Farmers in the valley want compensation")  # 'they' opens its sentence: the one before names it


def test_a_they_of_two_groups_or_of_no_group_is_not_guessed_at() -> None:
    text = "Analysts said banks were nervous and they expected losses."
    assert named_they("They expected losses", text, text.index("they")) == "They expected losses"
    text = "In recent weeks, they said they would act."
    assert named_they("They would act", text, text.rindex("they")) == "They would act"
    text = "The United States said they would act."  # a name, not a group written as one
    assert named_they("They would act", text, text.index("they")) == "They would act"


# --- the noun heading a speaker is the attribution, no act ---------------------------------------

def test_an_event_noun_heading_a_quotes_speaker_is_no_statement() -> None:
    text = "It last passed a full safety inspection in May, the Ministry of Water's statement said."
    lo, speaker = text.index("the Ministry"), "the Ministry of Water's statement"
    quote = Quote(id="q1", article_id="d1", kind="reported", content=text[:lo - 2], content_start=0,
                  content_end=lo - 2, speaker=speaker, speaker_start=lo, speaker_end=lo + len(speaker),
                  speaker_key="Ministry of Water", cue="said", cue_start=lo + len(speaker) + 1,
                  cue_end=lo + len(speaker) + 5)
    at = text.index("statement")
    noun = Event(id="e1", article_id="d1", trigger="statement", trigger_start=at, trigger_end=at + 9,
                 sentence_start=0, sentence_end=len(text), type="", source="Ministry of Water",
                 source_key="Ministry of Water")
    article = Article(id="d1", text=text, outlet="MARNEWS")
    found = statements(article, Analysis("d1", quotes=(quote,), untyped=(noun,)),
                       {("d1", "Ministry of Water"): "e_m"}, set(), {"e_m": "Ministry of Water"})
    assert [s.kind for s in found] == ["quote"]  # 'The Ministry of Water was involved in a statement' is gone


# --- a claim's figures are its own clause's ----------------------------------------------------

def test_a_figure_another_clause_states_is_no_value_of_the_event_listing_it() -> None:
    text = "Apple holds $214.9 billion offshore; Nike holds $10.7 billion offshore."
    article = Article(id="f1", text=text, outlet="The Times")
    nike = text.index("$10.7")
    figure = Amount(id="m2", article_id="f1", start=nike, end=nike + 13, text="$10.7 billion", value=10.7e9,
                    unit="USD")

    def holds(eid: str, who: str, at: int, amounts: tuple[str, ...]) -> Event:
        return Event(id=eid, article_id="f1", trigger="hold", trigger_start=at, trigger_end=at + 5,
                     sentence_start=0, sentence_end=len(text), type="", source=who, source_key=who,
                     target="offshore", amount_ids=amounts)

    # the analysis listed Nike's figure under Apple's 'holds' (across the semicolon)
    events = (holds("e1", "Apple", text.index("holds"), ("m2",)),
              holds("e2", "Nike", text.rindex("holds"), ()))
    analysis = Analysis("f1", events=events, amounts=(figure,))
    emap = {("f1", "Apple"): "e_a", ("f1", "Nike"): "e_n"}
    found = statements(article, analysis, emap, set(), {"e_a": "Apple", "e_n": "Nike"})
    links = {(w.id, p.id) for w, p in fact_links(analysis, found)}
    assert ("e2", "m2") in links and ("e1", "m2") not in links


def test_an_act_whose_actor_is_an_unresolved_who_is_no_fact() -> None:
    text = "Donors are intent on deciding who will occupy the White House."
    at = text.index("occupy")
    e = Event(id="e1", article_id="w1", trigger="occupy", trigger_start=at, trigger_end=at + 6,
              sentence_start=0, sentence_end=len(text), type="COERCE", mode="planned", source="who",
              source_key="who", target="White House", target_key="White House")
    article = Article(id="w1", text=text, outlet="USA Today")
    emap = {("w1", "White House"): "e_wh"}
    (found,) = statements(article, Analysis("w1", events=(e,)), emap, set(), {"e_wh": "White House"})
    assert not found.strong  # 'Who plans to occupy the White House' is the question, not a fact
    named = replace(e, source="Kamala Harris", source_key="Harris")
    (found,) = statements(article, Analysis("w1", events=(named,)), {**emap, ("w1", "Harris"): "e_h"}, set(),
                          {"e_wh": "White House", "e_h": "Kamala Harris"})
    assert found.strong


# --- an open quantity is shown as written --------------------------------------------------------

def test_an_open_quantity_is_shown_as_written_not_as_its_least_value() -> None:
    text = "Hundreds of evacuees returned to Lower Halden on Sunday, and 1,200 stayed away."
    article = Article(id="q7", text=text, outlet="Radio Tarva")
    vague = Amount(id="m1", article_id="q7", start=0, end=8, text="Hundreds", value=200.0, low=200.0,
                   high=999.0, counted="evacuees", approx="hundreds of")
    exact = Amount(id="m2", article_id="q7", start=61, end=66, text="1,200", value=1200.0)
    found = statements(article, Analysis("q7", amounts=(vague, exact)), {}, set(), {})
    assert [amount_text(s) for s in found] == ["Hundreds of evacuees", "1,200"]  # as the outlet wrote it


def test_a_question_states_no_fact_and_a_leading_that_is_a_subject() -> None:
    text = "Where is that $115 supposed to come from? That brings the fund to $20 million."
    article = Article(id="q8", text=text, outlet="Brenna Ledger")
    asked = Amount(id="m3", article_id="q8", start=14, end=18, text="$115", value=115.0, unit="USD")
    at = text.index("$20")
    told = Amount(id="m4", article_id="q8", start=at, end=at + 11, text="$20 million", value=2e7, unit="USD")
    found = statements(article, Analysis("q8", amounts=(asked, told)), {}, set(), {})
    assert [s.strong for s in found] == [False, True]
    assert found[1].label == "That brings the fund to $20 million"


def test_a_row_naming_its_speaker_by_surname_carries_no_attribution_beside_it() -> None:
    text = "Ostrava says the levee needs repairs, Mira Ostrava said on Monday."
    article = Article(id="q9", text=text, outlet="Radio Tarva")
    row = replace(_statement(article, "e9", "event", "Ostrava says the levee needs repairs", 0, len(text)),
                  attribution="Mira Ostrava said")
    assert _beside(row) == ""
    other = replace(row, label="The levee needs repairs")
    assert _beside(other) == "Mira Ostrava said"
    # a description's last word is no name: 'the committee' is not 'the ministry's committee'
    described = replace(row, label="Committee met on Monday", attribution="the ministry's committee said")
    assert _beside(described) == "the ministry's committee said"


# --- a present stays present ----------------------------------------------------------------------

def _criticism(text: str, word: str, who: str) -> str:
    at = text.index(word)
    e = Event(id="e7", article_id="p7", trigger="criticize", trigger_start=at, trigger_end=at + len(word),
              sentence_start=0, sentence_end=len(text), type="DISAPPROVE", mode="asserted", source=who,
              source_key=who)
    article = Article(id="p7", text=text, outlet="Dunmere Courier")
    (found,) = statements(article, Analysis("p7", events=(e,)), {("p7", who): "e_w"}, set(), {"e_w": who})
    return found.label


def test_a_plural_present_stays_present_and_an_infinitive_that_happened_is_past() -> None:
    assert _criticism("Farmers criticize the ministry over the dam.", "criticize", "Farmers") == (
        "Farmers criticize the ministry over the dam")
    assert _criticism("Farmers managed to criticize the ministry.", "criticize", "Farmers") == (
        "Farmers criticized the ministry")
    assert _criticism("Farmers criticized the ministry.", "criticized", "Farmers") == (
        "Farmers criticized the ministry")
