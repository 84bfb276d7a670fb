"""Amounts: numbers with unit, approximation and what they count, on the seeds, the sample corpus
and tiny texts of our own, including things that look like numbers but are not amounts."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from newsfuse.analyze.amounts import find_amounts, parse_number
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.models import Amount

SAMPLE = Path(__file__).resolve().parent.parent / "newsfuse" / "data" / "sample"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("11,000", 11000), ("1.2 million", 1_200_000), ("11k", 11000), ("2.5bn", 2.5e9), ("two", 2),
        ("twenty-five", 25), ("a dozen", 12), ("a million", 1e6), ("half a million", 5e5),
        ("two hundred and five thousand", 205_000), ("three million", 3e6),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_parse_number_rejects_words_that_are_not_numbers() -> None:
    assert parse_number("soldiers") is None
    assert parse_number("") is None
    assert parse_number("11,000 soldiers") is None


@lru_cache(maxsize=64)
def _parse(text: str) -> ParsedDoc:
    from newsfuse.analyze import nlp

    return nlp.parse(text)


def _amounts(text: str) -> list[Amount]:
    return find_amounts(_parse(text), "t")


def _one(text: str) -> Amount:
    found = _amounts(text)
    assert len(found) == 1, [a.text for a in found]
    return found[0]


@pytest.mark.slow
def test_first_seed_troop_count(seeds: Path) -> None:
    text = (seeds / "000_ed6ca0b20a34348c.txt").read_text()
    found = [a for a in find_amounts(_parse(text), "s") if "11,000" in a.text]
    assert len(found) == 1
    troops = found[0]
    assert troops.value == 11000 and troops.approx == "around" and troops.unit is None
    assert troops.counted is not None and "North Korean soldiers" in troops.counted
    assert text[troops.start : troops.end] == troops.text


@pytest.mark.slow
def test_seed_ids_dates_and_durations_are_not_amounts(seeds: Path) -> None:
    texts = [(seeds / name).read_text() for name in ("000_ed6ca0b20a34348c.txt", "002_810c36b51088a32c.txt")]
    found = [a.text for t in texts for a in find_amounts(_parse(t), "s")]
    assert found == ["around 11,000"]  # not the wire ID, the header date, 'G20', 'January 20', 'two months'


@pytest.mark.slow
def test_sample_conflicting_evacuation_figures() -> None:
    wire = (SAMPLE / "marnews_orlen_dam_wire.txt").read_text(encoding="utf-8")
    about = [a for a in find_amounts(_parse(wire), "w") if a.value == 1800]
    assert [(a.approx, a.counted) for a in about] == [("about", "residents")]
    herald = "Officials said nearly 4,500 residents were evacuated from Dunmere and the surrounding villages."
    nearly = _one(herald)
    assert (nearly.value, nearly.approx, nearly.counted) == (4500, "nearly", "residents")


@pytest.mark.slow
def test_sample_wire_id_is_not_an_amount() -> None:
    wire = (SAMPLE / "marnews_orlen_dam_wire.txt").read_text(encoding="utf-8")
    assert not [a for a in find_amounts(_parse(wire), "w") if "MARNEWS" in wire[a.start - 10 : a.end + 10]]


@pytest.mark.slow
def test_ranges() -> None:
    troops = _one("Officials counted 10,000 to 12,000 troops near the border.")
    assert (troops.low, troops.high, troops.value, troops.counted) == (10000, 12000, 11000, "troops")
    people = _one("Between 3 and 5 people were hurt.")
    assert (people.low, people.high, people.counted, people.approx) == (3, 5, "people", None)
    budget = _one("The plan costs 10 to 12 million euros.")
    assert (budget.low, budget.high, budget.unit) == (10e6, 12e6, "EUR")


@pytest.mark.slow
def test_a_change_is_not_a_range() -> None:
    found = _amounts("Inflation rose from 2 to 5 percent.")
    assert [(a.value, a.low, a.unit) for a in found] == [(2, None, None), (5, None, "%")]


@pytest.mark.slow
def test_numbers_written_as_words() -> None:
    found = _amounts("Two helicopters, a dozen boats and dozens of volunteers reached some twenty-five "
                     "families.")
    assert [(a.value, a.counted) for a in found] == [
        (2, "helicopters"), (12, "boats"), (24, "volunteers"), (25, "families")]
    dozens = found[2]
    assert (dozens.low, dozens.high, dozens.approx) == (24, 99, "dozens of")
    assert found[3].approx == "some"
    assert _one("Tens of thousands of people fled.").low == 20000
    assert _one("A million people voted.").value == 1e6
    assert _one("The company has 11k staff.").value == 11000


@pytest.mark.slow
def test_currencies_and_percentages() -> None:
    assert [(a.value, a.unit) for a in _amounts("It won a $40 billion contract and a €2.5bn loan.")] == [
        (40e9, "USD"), (2.5e9, "EUR")]
    crowns = _one("The fund holds 250 million crowns.")
    assert (crowns.value, crowns.unit, crowns.counted) == (250e6, "crown", None)
    shares = _one("Shares rose about 7 percent.")
    assert (shares.value, shares.unit, shares.approx, shares.text) == (7, "%", "about", "about 7 percent")
    assert _one("Turnout was 5.5 per cent.").unit == "%"
    assert _one("Output fell 3% on the year.").unit == "%"


@pytest.mark.slow
def test_measures() -> None:
    water = _one("The river rose almost four metres overnight.")
    assert (water.value, water.unit, water.approx) == (4, "m", "almost")
    assert _one("A 10-km stretch was closed.").unit == "km"


@pytest.mark.slow
def test_approximation_markers() -> None:
    text = ("More than 300 shops closed, at least two people died, up to 50 homes flooded, "
            "roughly 90 farms were hit and over 12 roads shut.")
    found = _amounts(text)
    assert [a.approx for a in found] == ["more than", "at least", "up to", "roughly", "over"]
    assert found[0].counted == "shops"


@pytest.mark.slow
def test_things_that_are_not_amounts() -> None:
    text = ("In 2023 the G20 met on January 20 and the 20th session opened at 3 p.m. "
            "F-16 jets flew for two months; a 45-year-old man was first in line. "
            "Ref MARNEWS14092025000187ID1100734.")
    assert [a.text for a in _amounts(text)] == []


@pytest.mark.slow
def test_scores_and_compound_adjectives() -> None:
    assert _amounts("The match ended 4-4 after extra time.") == []
    charges = _one("He faces a 15-count indictment.")
    assert (charges.value, charges.counted) == (15, None)


@pytest.mark.slow
def test_year_like_count_of_a_plural_noun_is_an_amount() -> None:
    assert _one("The army sent 2000 soldiers.").value == 2000
    assert _amounts("The army was founded in 1919.") == []
    assert _amounts("Emissions fell below 2005 levels.") == []


@pytest.mark.slow
def test_results_are_sorted_with_deterministic_ids() -> None:
    text = "About 40 residents and 300 soldiers left; 12 boats stayed."
    first, second = _amounts(text), _amounts(text)
    assert [a.start for a in first] == sorted(a.start for a in first)
    assert [a.id for a in first] == [a.id for a in second]


@pytest.mark.slow
def test_a_hyphen_between_a_number_and_its_scale_word_is_one_amount() -> None:
    found = _amounts("The port cost $137-million and a $2.5-billion loan.")
    assert [(a.text, a.value, a.unit) for a in found] == [
        ("$137-million", 137e6, "USD"), ("$2.5-billion", 2.5e9, "USD")]
    assert (_one("Some 3-million people voted.").value) == 3e6
    assert _one("It cost 3-5 million dollars.").value == 4e6  # a range stays a range


@pytest.mark.slow
def test_a_currency_sign_lost_to_the_encoding_is_read_only_with_a_scale() -> None:
    euros = _one("Thieves took e80 million in jewels.")
    assert (euros.text, euros.value, euros.unit) == ("e80 million", 80e6, "EUR")
    pounds = _one("The chain lost p74million last year.")
    assert (pounds.value, pounds.unit) == (74e6, "GBP")
    assert _amounts("Traffic on the e80 was slow.") == []
