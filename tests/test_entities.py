"""Mentions and in-article entity linking (newsfuse.analyze.names.mentions, names, titles)."""

from __future__ import annotations

import csv
from pathlib import Path

import benchmods
import pytest

from newsfuse import defaults
from newsfuse.analyze import nlp
from newsfuse.analyze.names import lexicon as names
from newsfuse.analyze.names.mentions import NAME_KINDS, find_mentions, with_outlet
from newsfuse.analyze.quotes import extract as quotes
from newsfuse.models import Mention

BENCH = Path(__file__).resolve().parent.parent / "bench"
CONLL_DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "bench" / "conll2003" / "eng.testa"
# Entity-level micro F1 of our mentions (what the analysis gives: our rules on the packaged recogniser)
# on the first 300 CoNLL-2003 dev sentences: 0.837, organisations 0.796 (raw spaCy 0.467 / 0.179);
# the gate fails if a change drops below it by > 0.02.
CONLL_300_FLOOR = 0.81
ORG_300_FLOOR = 0.77
# The packaged recogniser fine-tuned on eng.train (bench/train_ner.py), its raw entities: 0.899.
PACKAGED_300_FLOOR = 0.88


def mentions_of(text: str) -> list[Mention]:
    return find_mentions(nlp.parse(text), "a1")


def at(mentions: list[Mention], text: str, occurrence: int = 0) -> Mention:
    """The mention whose text is ``text`` (the n-th one)."""
    hits = [m for m in mentions if m.text == text]
    assert len(hits) > occurrence, f"no mention {text!r} in {[m.text for m in mentions]}"
    return hits[occurrence]


def seed(seeds: Path, prefix: str) -> str:
    return next(seeds.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


# --- names (no parse) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("the Kremlin's", "Kremlin"),
        ("Olaf Scholz’s", "Olaf Scholz"),
        ('"Reuters".', "Reuters"),
        ("the U.S.", "United States"),
        ("Acme Corp.", "Acme Corp."),
        ("Great  Britain", "United Kingdom"),
        ("Jean-Noel Barrot,", "Jean-Noel Barrot"),
    ],
)
def test_normalise(written: str, key: str) -> None:
    assert names.normalise(written) == key


def test_word_lists() -> None:
    assert names.is_agency("Interfax") and names.is_agency("afp") and not names.is_agency("Kremlin")
    assert names.is_seat("White House") and not names.is_seat("White")
    assert names.is_region("Kursk Region") and names.is_region("Donbas") and not names.is_region("Region")
    assert names.is_calendar("Sunday") and not names.is_calendar("Sundance")
    assert names.is_dateline_code("MENAFN") and not names.is_dateline_code("Menafn")
    assert names.initials(["North", "Atlantic", "Treaty", "Organization"]) == "NATO"


# --- the seed articles -------------------------------------------------------------------------


@pytest.mark.slow
def test_seed_wire_links_title_first_name_and_surname(seeds: Path) -> None:
    text = seed(seeds, "000")
    ms = mentions_of(text)
    first = at(ms, "Emmanuel")  # the wire only says "French President Emmanuel"
    assert first.entity_key == "Emmanuel Macron"
    assert "French President" in first.titles
    assert first.kind == "partial" and first.confidence < 1.0
    macrons = [m for m in ms if m.text == "Macron"]
    assert len(macrons) == 2 and {m.entity_key for m in macrons} == {"Emmanuel Macron"}


@pytest.mark.slow
def test_seed_wire_pronoun_titles_and_types(seeds: Path) -> None:
    text = seed(seeds, "000")
    ms = mentions_of(text)
    he = next(m for m in ms if m.kind == "pronoun" and text[m.start : m.end + 7] == "He stated")
    assert he.entity_key == "Emmanuel Macron"
    assert he.confidence == defaults.CONF_PRONOUN_SPEECH
    assert "spokesperson" in at(ms, "Dmitry Peskov").titles
    assert at(ms, "Brian A. Nichols").titles[0].startswith("U.S. Assistant Secretary for")
    assert at(ms, "MENAFN").label == "ORG"
    assert at(ms, "Kremlin").label == "ORG"
    kursk = at(ms, "Kursk")  # "Russia's Kursk region": the small model says PRODUCT
    assert kursk.label in ("GPE", "LOC")
    assert kursk.entity_key == at(ms, "Kursk Region").entity_key == "Kursk Region"
    assert {m.entity_key for m in ms if m.text == "North Korea"} == {"North Korea"}
    assert {m.label for m in ms if m.text == "North Korea"} == {"GPE"}
    assert {m.label for m in ms if m.text == "North Korean"} == {"NORP"}


@pytest.mark.slow
def test_seed_second_outlet(seeds: Path) -> None:
    text = seed(seeds, "002")
    ms = mentions_of(text)
    assert at(ms, "Emmanuel Macron").titles == ("French President",)
    assert {m.entity_key for m in ms if m.text == "Macron"} == {"Emmanuel Macron"}
    putins = [m for m in ms if m.text == "Putin"]
    assert {m.entity_key for m in putins} == {"Vladimir Putin"}
    assert any("President" in m.titles for m in putins)  # "President Putin said"
    assert "Russian Foreign Minister" in at(ms, "Sergey Lavrov").titles
    assert {m.label for m in ms if m.text == "Reuters"} == {"ORG"}
    he = next(m for m in ms if m.kind == "pronoun" and text[m.start : m.end + 9] == "He declined")
    assert he.entity_key == "Emmanuel Macron"
    assert all(text[m.start : m.end] == m.text for m in ms)
    assert [m.start for m in ms] == sorted(m.start for m in ms)
    assert "Scholz's" not in {m.text for m in ms} and "Olaf Scholz" in {m.text for m in ms}


# --- small texts of our own ----------------------------------------------------------------------


@pytest.mark.slow
def test_title_alone_links_to_holder_and_apposition_title() -> None:
    ms = mentions_of(
        "Oskar Telling, the Finance Minister, met farmers in Brask on Monday. "
        "The minister promised new loans before winter."
    )
    assert "Finance Minister" in at(ms, "Oskar Telling").titles
    ref = at(ms, "The minister")
    assert (ref.kind, ref.entity_key, ref.label) == ("title", "Oskar Telling", "PERSON")
    assert ref.confidence == defaults.CONF_TITLE_LINK


@pytest.mark.slow
def test_title_with_no_holder_keeps_its_own_key() -> None:
    ref = at(mentions_of("The president declined to say when the vote would be held."), "The president")
    assert ref.entity_key == "president" and ref.confidence == defaults.CONF_TITLE_ALONE


@pytest.mark.slow
def test_she_said_goes_to_the_last_subject_not_the_last_name() -> None:
    ms = mentions_of(
        "Mayor Selin Dorva thanked Ruben Aske for the boats. "
        '"We will rebuild every house," she said.'
    )
    she = next(m for m in ms if m.kind == "pronoun")
    assert she.entity_key == "Selin Dorva"
    assert "Mayor" in at(ms, "Selin Dorva").titles


@pytest.mark.slow
def test_dateline_agency_and_place() -> None:
    ms = mentions_of("BRASK (MARNEWS) - Rescue crews reached the village on Sunday, Xinhua said.")
    assert at(ms, "MARNEWS").label == "ORG"
    assert at(ms, "BRASK").label == "GPE"
    assert at(ms, "Xinhua").label == "ORG"


@pytest.mark.slow
def test_surname_with_honorific_and_name_after_role() -> None:
    ms = mentions_of(
        "Minister of Water Teodor Hallen visited the dam on Friday. "
        "Mr. Hallen said the embankment would hold."
    )
    hallen = at(ms, "Teodor Hallen")
    assert hallen.label == "PERSON" and "Minister of Water" in hallen.titles
    assert at(ms, "Hallen").entity_key == "Teodor Hallen"


@pytest.mark.slow
def test_acronym_joins_its_long_name() -> None:
    ms = mentions_of("The North Atlantic Treaty Organization met in Brussels. NATO said it would act.")
    assert at(ms, "NATO").entity_key == "North Atlantic Treaty Organization"


@pytest.mark.slow
def test_no_mentions_for_dates_numbers_or_lowercase() -> None:
    ms = mentions_of("On Tuesday 300 people left, and the water fell by 2 metres in May.")
    assert all(m.label not in ("DATE", "CARDINAL", "QUANTITY") for m in ms)
    assert not any(m.text in ("Tuesday", "May") for m in ms)


@pytest.mark.slow
def test_sample_title_and_first_name_without_surname(sample: Path) -> None:
    text = (sample / "kessel_valley_post_dam_breaking.txt").read_text(encoding="utf-8")
    ms = mentions_of(text)
    mirela = at(ms, "Mirela")  # "Interior Minister Mirela has said": no surname in this article
    assert mirela.entity_key == "Mirela" and "Interior Minister" in mirela.titles
    assert at(ms, "The minister").entity_key == "Mirela"
    assert next(m for m in ms if m.text == "she").entity_key == "Selin Dorva"
    # "The Tarva" is a river: it must not become Mirela's surname
    assert all(m.entity_key != "Mirela Tarva" for m in ms)


# --- quality gate -------------------------------------------------------------------------------


@pytest.mark.slow
def test_conll_quality_gate() -> None:
    if not CONLL_DEV.is_file():
        pytest.skip("../shared/bench/conll2003 is not beside the project")
    ner = benchmods.load(BENCH / "ner.py", "bench_ner")
    result = ner.run(CONLL_DEV, max_sentences=300)
    # what the analysis gives: our corrections on the packaged recogniser, against spaCy as shipped
    ours, stock = result["ours"]["all"]["f1"], result["stock"]["all"]["f1"]
    assert ours > stock, f"our mentions ({ours}) no better than raw spaCy ({stock})"
    assert ours >= CONLL_300_FLOOR, f"NER F1 {ours} fell below the recorded floor {CONLL_300_FLOOR}"
    org = result["ours"]["ORG"]["f1"]
    assert org >= ORG_300_FLOOR, f"organisation F1 {org} fell below the recorded floor {ORG_300_FLOOR}"
    packaged = result["raw"]["all"]["f1"]
    assert packaged >= PACKAGED_300_FLOOR, f"packaged recogniser F1 {packaged} < {PACKAGED_300_FLOOR}"
    assert NAME_KINDS == ("name", "partial")


@pytest.mark.slow
def test_apposition_with_a_company_noun_makes_an_organisation() -> None:
    ms = mentions_of("Brellan Power, the state-owned company that runs the plant, said it was safe.")
    assert at(ms, "Brellan Power").label == "ORG"


@pytest.mark.slow
def test_name_after_a_role_and_comma_or_before_who_is_a_person() -> None:
    ms = mentions_of("Kestrel's founder, Olva Marren, said the firm would stay in Dunholm.")
    assert at(ms, "Olva Marren").label == "PERSON"
    ms = mentions_of("Olva Marren, who founded Kestrel in 2019, said the review changed nothing.")
    assert at(ms, "Olva Marren").label == "PERSON"


@pytest.mark.slow
def test_newspaper_name_is_an_organisation_and_no_pronoun_antecedent() -> None:
    ms = mentions_of("Minister Arvid Sollen told the Herald he would resign.")
    assert at(ms, "Herald").label == "ORG"
    assert at(ms, "he").entity_key == "Arvid Sollen"


@pytest.mark.slow
def test_owner_of_a_chief_executive_is_an_organisation() -> None:
    ms = mentions_of("He asked Brellan Power's chief executive, Ivo Grell, to appear.")
    assert at(ms, "Brellan Power").label == "ORG"
    assert at(ms, "Ivo Grell").label == "PERSON"


@pytest.mark.slow
def test_lowercase_role_before_untagged_name_and_repeated_surname() -> None:
    ms = mentions_of("Brellan Power spokeswoman Ana Vell denied the report. Later Vell said it was safe.")
    assert at(ms, "Ana Vell").entity_key == "Ana Vell"
    assert at(ms, "Vell").entity_key == "Ana Vell"


@pytest.mark.slow
def test_hyphenated_first_name_is_one_name_with_its_title() -> None:
    # spaCy splits 'Jean-Noel' in three tokens; the name and its title hold together whatever the
    # recogniser does with the parts
    ms = mentions_of("Foreign Minister Jean-Noel Barrot said on Sunday that Paris would not object.")
    barrot = at(ms, "Jean-Noel Barrot")
    assert barrot.label == "PERSON" and barrot.titles == ("Foreign Minister",)
    assert not any(m.text in ("Jean", "Noel Barrot") for m in ms)


@pytest.mark.slow
def test_title_tagged_with_the_name_is_split_off_once() -> None:
    ms = mentions_of("Mayor Ana Kovic said on Monday the bridge would reopen. Kovic thanked the crews.")
    kovic = at(ms, "Ana Kovic")
    assert kovic.titles == ("Mayor",) and at(ms, "Kovic").entity_key == "Ana Kovic"


@pytest.mark.slow
def test_weekday_tagged_inside_a_place_is_trimmed() -> None:
    from dataclasses import replace

    from newsfuse.analyze.parse import Ent

    text = "Police in Vancouver Friday said a man was held. Shoppers queued for Black Friday deals."
    doc = nlp.parse(text)
    # the small model sometimes tags 'Vancouver Friday' as one place: rebuild that entity
    place = text.index("Vancouver")
    black = text.index("Black")
    ents = (Ent(2, 4, place, place + len("Vancouver Friday"), "GPE", "Vancouver Friday"),
            Ent(13, 15, black, black + len("Black Friday"), "EVENT", "Black Friday"))
    assert [doc.tokens[i].text for i in (2, 3, 13, 14)] == ["Vancouver", "Friday", "Black", "Friday"]
    mentions = find_mentions(replace(doc, ents=ents), "a1")
    assert [(m.text, m.label) for m in mentions] == [("Vancouver", "GPE"), ("Black Friday", "EVENT")]


@pytest.mark.slow
def test_pronoun_skips_a_person_of_the_other_gender() -> None:
    ms = mentions_of("Mr. Ortiz met Ms. Lind in the capital. She said the talks went well.")
    she = at(ms, "She")
    assert she.kind == "pronoun" and she.entity_key == "Lind"


def test_org_name_heads() -> None:
    assert names.has_org_head("Tarvan Hydro") and names.has_org_head("Orbis Holdings Inc.")
    assert not names.has_org_head("Hydro")  # one word: could be anything
    assert not names.has_org_head("Ana Rusk")


@pytest.mark.slow
def test_company_name_before_a_role_is_not_a_person() -> None:
    found = mentions_of("Tarvan Hydro spokeswoman Ana Rusk said the claims were wrong.")
    assert at(found, "Tarvan Hydro").label == "ORG"  # the model alone says PERSON
    assert at(found, "Ana Rusk").label == "PERSON"


# --- descriptions of organisations ('the company', 'the software maker') -------------------------


def descriptions(mentions: list[Mention]) -> dict[str, str]:
    return {m.text: m.entity_key for m in mentions if m.kind == "description"}


def test_org_kinds_from_names_and_nouns() -> None:
    assert names.org_kind("Ministry of Water") == "public" and names.org_kind("Kremlin") == "public"
    assert names.org_kind("Solvik Systems") == "business" and names.org_kind("Quillpay") == ""
    assert names.kinds_fit("business", "") and names.kinds_fit("any", "public")
    assert not names.kinds_fit(names.ORG_NOUN_KINDS["company"], "public")
    assert not names.kinds_fit(names.ORG_NOUN_KINDS["regulator"], "business")


@pytest.mark.slow
def test_description_goes_to_the_company_it_describes_not_the_nearest() -> None:
    ms = mentions_of(
        "Solvik Systems, the Brenna-based maker of accounting software, agreed to buy Quillpay, "
        "a payments start-up. The software maker said the deal would close next year. "
        "The start-up said its staff would stay."
    )
    found = descriptions(ms)
    assert found == {"The software maker": "Solvik Systems", "The start-up": "Quillpay"}
    ref = at(ms, "The software maker")
    assert ref.label == "ORG" and ref.confidence == defaults.CONF_DESCRIPTION_LINK


@pytest.mark.slow
def test_the_ministry_is_the_ministry_named_not_the_nearest_body() -> None:
    ms = mentions_of(
        "The Ministry of Water said the Orlen Dam was safe. Orbis Holdings, which built it, disagreed. "
        "The ministry said inspectors had visited in May."
    )
    assert descriptions(ms) == {"The ministry": "Ministry of Water"}


@pytest.mark.slow
def test_the_company_skips_a_public_body() -> None:
    ms = mentions_of(
        "The Marovian Competition Authority fined Orbis Holdings on Monday. The company said it would appeal."
    )
    assert descriptions(ms) == {"The company": "Orbis Holdings"}


@pytest.mark.slow
def test_two_equally_fitting_companies_leave_the_description_unlinked() -> None:
    ms = mentions_of(
        "Orbis Holdings and Tarvan Systems agreed to merge on Friday. The company said the deal was fair."
    )
    assert {m.text for m in ms if m.label == "ORG"} >= {"Orbis Holdings", "Tarvan Systems"}
    assert descriptions(ms) == {}


@pytest.mark.slow
def test_description_followed_by_a_name_or_naming_a_new_body_is_not_linked() -> None:
    ms = mentions_of("Brellan Power said the company Quillpay would build the plant.")
    assert descriptions(ms) == {}
    assert at(ms, "Quillpay").label == "ORG"  # 'the company X' makes X an organisation
    ms = mentions_of("Orbis Holdings agreed to buy Quillpay. The combined company will employ 900 people.")
    assert descriptions(ms) == {}


@pytest.mark.slow
def test_sample_market_report_quote_is_solviks(sample: Path) -> None:
    rows = list(csv.DictReader((sample / "marovia_today.csv").open(newline="", encoding="utf-8")))
    text = rows[1]["text"]
    doc = nlp.parse(text)
    mentions = find_mentions(doc, "a1")
    assert descriptions(mentions)["the accounting software maker"] == "Solvik Systems"
    found = quotes.find_quotes(doc, "a1", mentions)
    said = [q for q in found if q.speaker == "the accounting software maker"]
    assert said and all(q.speaker_key == "Solvik Systems" for q in said)


# --- 'it said': organisations as pronoun subjects of speech verbs --------------------------------


def org_pronouns(mentions: list[Mention]) -> list[tuple[str, str]]:
    return [(m.text, m.entity_key) for m in mentions if m.kind == "pronoun" and m.label == "ORG"]


def speaker_keys(text: str) -> dict[str, str | None]:
    doc = nlp.parse(text)
    return {q.speaker or "": q.speaker_key for q in quotes.find_quotes(doc, "a1", find_mentions(doc, "a1"))}


@pytest.mark.slow
def test_it_said_goes_to_the_organisation_named_before_and_quotes_take_it() -> None:
    text = "Shares in Orbis Holdings rose 5 percent on Monday. It said sales had doubled."
    ms = mentions_of(text)
    assert org_pronouns(ms) == [("It", "Orbis Holdings")]
    assert at(ms, "It").confidence == defaults.CONF_PRONOUN_ORG
    assert speaker_keys(text)["It"] == "Orbis Holdings"
    # the organisation as object of the sentence before; 'it would appeal' is no speech subject
    text = "Regulators fined Orbis Holdings. It said it would appeal."
    assert org_pronouns(mentions_of(text)) == [("It", "Orbis Holdings")]
    assert speaker_keys(text)["It"] == "Orbis Holdings"


@pytest.mark.slow
def test_it_said_prefers_the_subject_and_two_objects_are_ambiguous() -> None:
    ms = mentions_of("Orbis Holdings sued Velta Systems on Tuesday. It said the contract had been broken.")
    assert org_pronouns(ms) == [("It", "Orbis Holdings")]
    ms = mentions_of("A court ordered Orbis Holdings to pay Velta Systems. It said the ruling was unfair.")
    assert org_pronouns(ms) == []
    # the small model tags only 'Velta', as a place: a place never speaks
    assert org_pronouns(mentions_of("Orbis sued Velta. It said the contract had been broken.")) == []


@pytest.mark.slow
def test_it_that_is_no_speech_subject_or_means_a_place_is_not_linked() -> None:
    ms = mentions_of(
        "Orbis Holdings cut prices. It is raining in Brenna. It was unclear whether rates would fall."
    )
    assert org_pronouns(ms) == [] and not [m for m in ms if m.text in ("It", "it")]
    assert org_pronouns(mentions_of("In Brenna, it said, the plant would close.")) == []
    ms = mentions_of("Orbis Holdings opened a plant in Brenna. In Brenna, it said, the plant would close.")
    assert org_pronouns(ms) == [("it", "Orbis Holdings")]
    ms = mentions_of("Shares in Orbis Holdings rose. It declined 2 percent later. It declined to comment.")
    assert [m.start for m in ms if m.kind == "pronoun"] == [ms[-1].start]


@pytest.mark.slow
def test_it_said_skips_the_newspaper_unless_it_was_the_subject_before() -> None:
    ms = mentions_of(
        "The Lowland Herald reported the fire. Orbis Holdings denied it. It said the claim was false."
    )
    assert org_pronouns(ms) == [("It", "Orbis Holdings")]
    ms = mentions_of("Orbis Holdings cut 90 jobs, the Lowland Herald reported. It said demand had fallen.")
    assert org_pronouns(ms) == [("It", "Orbis Holdings")]
    ms = mentions_of("The Lowland Herald reported the fire on Monday. It said six people were hurt.")
    assert org_pronouns(ms) == [("It", "Lowland Herald")]


@pytest.mark.slow
def test_they_said_goes_to_an_organisation_subject_unless_people_come_between() -> None:
    ms = mentions_of("Tarvan Hydro cut prices. They said demand had fallen.")
    assert org_pronouns(ms) == [("They", "Tarvan Hydro")]
    assert at(ms, "They").confidence == defaults.CONF_PRONOUN_ORG_PLURAL
    assert org_pronouns(mentions_of("Tarvan Hydro hired 200 engineers. They said the work was hard.")) == []
    ms = mentions_of("Traders asked whether Tarvan Hydro would raise prices. They said demand was weak.")
    assert org_pronouns(ms) == []  # the company is the subject of a clause inside, not of the sentence


# --- model slips the article's own words correct (sample-corpus reviews) -----------------------


def slipped(text: str, tags: list[tuple[str, str]], outlet: str | None = None) -> list[Mention]:
    """Mentions of ``text`` when the model tags exactly ``tags`` (phrase, type): the small model's
    slips are rebuilt so each test shows the correction whatever today's model guesses."""
    from dataclasses import replace

    from newsfuse.analyze.parse import Ent

    doc = nlp.parse(text)
    ents = []
    for phrase, label in tags:
        s = text.index(phrase)
        first, last = doc.token_at(s), doc.token_at(s + len(phrase) - 1)
        assert first is not None and last is not None
        ents.append(Ent(first, last + 1, s, s + len(phrase), label, phrase))
    return with_outlet(find_mentions(replace(doc, ents=tuple(ents)), "a1"), text, outlet)


@pytest.mark.slow
def test_names_listed_after_a_plural_company_noun_are_companies() -> None:
    ms = slipped("Two rivals, the invoicing firms Tallo and Brightledger, wrote to the regulator.",
                 [("Tallo", "PERSON"), ("Brightledger", "PERSON")])
    assert at(ms, "Tallo").label == "ORG" and at(ms, "Brightledger").label == "ORG"


@pytest.mark.slow
def test_the_outlets_short_name_is_the_outlet_of_the_metadata() -> None:
    text = "Ines Halvard told the Ledger that the plans would not change. Ana Rusk told Radio Tarva."
    tags = [("Ines Halvard", "PERSON"), ("Ledger", "PERSON"), ("Ana Rusk", "PERSON"), ("Radio Tarva", "GPE")]
    ledger = at(slipped(text, tags, "Brenna Ledger"), "Ledger")
    assert (ledger.label, ledger.entity_key, ledger.kind) == ("ORG", "Brenna Ledger", "partial")
    assert at(slipped(text, tags, "Radio Tarva"), "Radio Tarva").label == "ORG"
    # without metadata nothing says whose Ledger it is
    assert at(slipped(text, tags), "Ledger").entity_key == "Ledger"


@pytest.mark.slow
def test_a_phrase_opening_a_quote_is_no_name_but_the_place_in_it_is() -> None:
    text = '"People in Brask spent a whole day on their roofs," he said.'
    ms = slipped(text, [("People in Brask", "WORK_OF_ART")])
    assert [(m.text, m.label) for m in ms if m.kind == "name"] == [("Brask", "GPE")]


@pytest.mark.slow
def test_a_title_word_tagged_as_a_body_stays_part_of_the_title() -> None:
    ms = slipped("Finance Minister Oskar Telling said the fund was ready.",
                 [("Finance", "ORG"), ("Oskar Telling", "PERSON")])
    assert [m.text for m in ms] == ["Oskar Telling"]
    assert "Finance Minister" in at(ms, "Oskar Telling").titles


@pytest.mark.slow
def test_places_the_model_took_for_people_or_bodies() -> None:
    text = ("The level of the Orlen reservoir fell. Trains to the regional capital, Kessel, stopped. "
            "People in Upper Lisk waited.")
    ms = slipped(text, [("Orlen", "PERSON"), ("Kessel", "ORG"), ("Upper Lisk", "PERSON")])
    assert at(ms, "Orlen").label == "LOC"
    assert at(ms, "Kessel").label == "GPE"
    assert at(ms, "Upper Lisk").label == "GPE"


@pytest.mark.slow
def test_an_offices_portfolio_is_part_of_the_title_not_an_organisation() -> None:
    found = mentions_of("Ida Marsh, Deputy Secretary for Northern Border Affairs, met Tom Vell, "
                        "spokesman for the Harbour Authority.")
    assert not [m for m in found if "Affairs" in m.text]
    assert [m.entity_key for m in found if m.label == "PERSON"] == ["Ida Marsh", "Tom Vell"]
    marsh = at(found, "Ida Marsh")
    assert "Deputy Secretary for Northern Border Affairs" in marsh.titles


# --- headlines, streets --------------------------------------------------------------------------


def test_street_and_square_names() -> None:
    for street in ("Avenue Montaigne", "Rue de la Paix", "Champs-Elysees", "Fifth Avenue", "Oxford Street"):
        assert names.is_street(street), street
    # a given name first keeps a person; a lone word is no street
    assert not names.is_street("Nathan Lane") and not names.is_street("Montaigne")


@pytest.mark.slow
def test_a_street_read_as_a_person_is_a_place() -> None:
    text = "Armed men robbed a jeweller on Avenue Montaigne, and a second gang hit Oxford Street."
    ms = slipped(text, [("Avenue Montaigne", "PERSON"), ("Oxford Street", "PERSON")])
    assert at(ms, "Avenue Montaigne").label == "FAC" and at(ms, "Oxford Street").label == "FAC"


HEADLINE = "Daring Diamond Heist Stuns Vellmark\n\nArmed men robbed a jeweller in Vellmark on Monday."


@pytest.mark.slow
def test_capitalised_common_words_of_a_title_case_headline_are_no_person() -> None:
    ms = slipped(HEADLINE, [("Daring Diamond Heist", "PERSON"), ("Vellmark", "GPE")])
    assert "Daring Diamond Heist" not in [m.text for m in ms] and "Heist" not in [m.text for m in ms]
    # the same words in a body sentence are the model's call, left alone
    body = "Police said Daring Diamond Heist stood outside. The shop was shut."
    assert at(slipped(body, [("Daring Diamond Heist", "PERSON")]), "Daring Diamond Heist").label == "PERSON"


@pytest.mark.slow
def test_a_headline_name_keeps_the_part_the_body_supports() -> None:
    text = "Halvard Overturns Water Rule\n\nThe minister, Ines Halvard, lifted the limits on Monday."
    ms = slipped(text, [("Halvard Overturns", "PERSON"), ("Ines Halvard", "PERSON")])
    people = [m.text for m in ms if m.label == "PERSON" and m.kind in NAME_KINDS]
    assert people[:2] == ["Halvard", "Ines Halvard"]
    assert at(ms, "Halvard").entity_key == "Ines Halvard"


@pytest.mark.slow
def test_all_caps_headline_names_need_support_too() -> None:
    text = "FIRED IN VELLMARK!! COACH OUT AFTER LOSS\n\nThe Vellmark club fired its coach, Andy Reid."
    ms = slipped(text, [("VELLMARK", "ORG"), ("COACH OUT", "PERSON"), ("Andy Reid", "PERSON")])
    assert not [m.text for m in ms if m.label == "PERSON" and m.start < text.index("\n")]
    assert at(ms, "VELLMARK").label == "ORG"


@pytest.mark.slow
def test_a_given_name_supports_a_headline_person() -> None:
    text = "Thieves Rob Harry Winston Store In Vellmark\n\nThe store was shut on Monday, police said."
    ms = slipped(text, [("Harry Winston", "PERSON"), ("Vellmark", "GPE")])
    assert at(ms, "Harry Winston").label == "PERSON"
