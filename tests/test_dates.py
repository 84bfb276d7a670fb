"""Time expressions: resolution rules without a parse, then detection on the seeds, the sample
corpus (its README lists relative dates with their expected values) and tiny texts of our own."""

from __future__ import annotations

import csv
import html
import json
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import pytest

from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.time.extract import find_times, resolve
from newsfuse.models import TimeExpr

SAMPLE = Path(__file__).resolve().parent.parent / "newsfuse" / "data" / "sample"

# ---------------------------------------------------------------------------------------------
# resolve(): no parse needed
# ---------------------------------------------------------------------------------------------

WED = date(2024, 11, 20)


@pytest.mark.parametrize(
    ("text", "tense", "expected"),
    [
        ("Sunday", "present", ("2024-11-17", "2024-11-17", "day")),
        ("on Sunday", "past", ("2024-11-17", "2024-11-17", "day")),
        ("Wednesday", "past", ("2024-11-20", "2024-11-20", "day")),  # the publication day itself
        ("Friday", "future", ("2024-11-22", "2024-11-22", "day")),
        ("last Wednesday", "present", ("2024-11-13", "2024-11-13", "day")),
        ("next Monday", "present", ("2024-11-25", "2024-11-25", "day")),
        ("Sunday night", "past", ("2024-11-17", "2024-11-17", "day")),
        ("January 20", "future", ("2025-01-20", "2025-01-20", "day")),
        ("January 20", "present", ("2025-01-20", "2025-01-20", "day")),  # nearest occurrence
        ("January 20", "past", ("2024-01-20", "2024-01-20", "day")),
        ("20 January 2023", "future", ("2023-01-20", "2023-01-20", "day")),
        ("Sept. 3", "past", ("2024-09-03", "2024-09-03", "day")),
        ("in May", "past", ("2024-05-01", "2024-05-31", "month")),
        ("in May", "future", ("2025-05-01", "2025-05-31", "month")),
        ("March 2023", "present", ("2023-03-01", "2023-03-31", "month")),
        ("early August", "past", ("2024-08-01", "2024-08-10", "range")),
        ("mid-October", "past", ("2024-10-11", "2024-10-20", "range")),
        ("the end of September", "past", ("2024-09-21", "2024-09-30", "range")),
        ("late February", "future", ("2025-02-21", "2025-02-28", "range")),
        ("early 2025", "present", ("2025-01-01", "2025-04-30", "range")),
        ("the end of the week", "present", ("2024-11-22", "2024-11-24", "range")),
        ("in the coming days", "future", ("2024-11-21", "2024-11-27", "range")),
        ("the next two weeks", "future", ("2024-11-21", "2024-12-04", "range")),
        ("last week", "past", ("2024-11-11", "2024-11-17", "week")),
        ("this week", "present", ("2024-11-18", "2024-11-24", "week")),
        ("next month", "present", ("2024-12-01", "2024-12-31", "month")),
        ("earlier this week", "past", ("2024-11-18", "2024-11-19", "range")),
        ("earlier in September", "past", ("2024-09-01", "2024-09-30", "month")),
        ("yesterday", "past", ("2024-11-19", "2024-11-19", "day")),
        ("today", "present", ("2024-11-20", "2024-11-20", "day")),
        ("last night", "past", ("2024-11-19", "2024-11-19", "day")),
        ("three days ago", "past", ("2024-11-17", "2024-11-17", "day")),
        ("over the weekend", "past", ("2024-11-16", "2024-11-17", "range")),
        ("in 2023", "past", ("2023-01-01", "2023-12-31", "year")),
        ("last year", "past", ("2023-01-01", "2023-12-31", "year")),
        ("the first quarter of next year", "future", ("2025-01-01", "2025-03-31", "range")),
        ("this summer", "past", ("2024-06-01", "2024-08-31", "season")),
        ("winter 2023", "past", ("2023-12-01", "2024-02-29", "season")),
        ("the 1990s", "past", ("1990-01-01", "1999-12-31", "range")),
        ("2024-11-02", "past", ("2024-11-02", "2024-11-02", "day")),
        ("September 16-19", "past", ("2024-09-16", "2024-09-19", "range")),
        ("1995 to 1997", "past", ("1995-01-01", "1997-12-31", "range")),
        ("the year 2000", "past", ("2000-01-01", "2000-12-31", "year")),
        ("Christmas", "future", ("2024-12-25", "2024-12-25", "day")),
        ("nearly a decade ago", "past", ("2014-01-01", "2014-12-31", "year")),
        ("twenty-two years ago", "past", ("2002-01-01", "2002-12-31", "year")),
        ("the middle of the week", "present", ("2024-11-20", "2024-11-22", "range")),
        ("the summer", "past", ("2024-06-01", "2024-08-31", "season")),
    ],
)
def test_resolve_against_a_wednesday(text: str, tense: str, expected: tuple[str, str, str]) -> None:
    assert resolve(text, WED, tense=tense) == expected  # type: ignore[arg-type]


def test_publication_date_may_be_an_iso_string_or_datetime() -> None:
    assert resolve("Sunday", "2024-11-20T09:30:00Z") == ("2024-11-17", "2024-11-17", "day")
    assert resolve("Sunday", datetime(2024, 11, 20, 23, 59)) == ("2024-11-17", "2024-11-17", "day")


def test_without_publication_date_only_absolute_dates_resolve() -> None:
    assert resolve("on Sunday", None) == (None, None, "day")
    assert resolve("last week", None) == (None, None, "week")
    assert resolve("early August", None) == (None, None, "range")
    assert resolve("January 20, 2025", None) == ("2025-01-20", "2025-01-20", "day")
    assert resolve("in 2023", None) == ("2023-01-01", "2023-12-31", "year")


def test_durations_and_non_dates_are_not_resolved() -> None:
    for text in ("two months", "just over two months", "six days after", "48 hours", "the day", "Paris"):
        assert resolve(text, WED) == (None, None, "unknown"), text


def test_leap_day_and_impossible_dates() -> None:
    assert resolve("February 29", date(2025, 3, 10), tense="past") == ("2024-02-29", "2024-02-29", "day")
    assert resolve("February 30", WED) == (None, None, "unknown")


def test_resolution_depends_only_on_the_publication_date() -> None:
    # the same phrase a year apart moves by a year: the machine's clock plays no part
    assert resolve("yesterday", date(2010, 1, 1)) == ("2009-12-31", "2009-12-31", "day")
    assert resolve("next Friday", date(2030, 6, 5)) == ("2030-06-07", "2030-06-07", "day")


def test_this_season_is_the_one_under_way_or_coming_unless_the_clause_is_past() -> None:
    sep = date(2025, 9, 15)  # autumn: winter 2025-26 is still to come
    assert resolve("this winter", sep) == ("2025-12-01", "2026-02-28", "season")
    assert resolve("this winter", sep, tense="future") == ("2025-12-01", "2026-02-28", "season")
    assert resolve("in the winter", sep) == ("2025-12-01", "2026-02-28", "season")
    assert resolve("this winter", sep, tense="past") == ("2024-12-01", "2025-02-28", "season")
    assert resolve("this autumn", sep, tense="past") == ("2025-09-01", "2025-11-30", "season")
    jan = date(2025, 1, 15)  # inside winter 2024-25
    assert resolve("this winter", jan) == ("2024-12-01", "2025-02-28", "season")
    assert resolve("last winter", jan) == ("2023-12-01", "2024-02-29", "season")
    assert resolve("next winter", jan) == ("2025-12-01", "2026-02-28", "season")


# ---------------------------------------------------------------------------------------------
# find_times(): detection on real parses
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _parse(text: str) -> ParsedDoc:
    from newsfuse.analyze import nlp

    return nlp.parse(text)


def _at(times: list[TimeExpr], text: str, phrase: str) -> TimeExpr:
    """The time expression overlapping the first occurrence of ``phrase``."""
    where = text.index(phrase)
    hits = [t for t in times if t.start < where + len(phrase) and t.end > where]
    assert len(hits) == 1, (phrase, [t.text for t in times])
    return hits[0]


@pytest.fixture
def seed_texts(seeds: Path) -> tuple[str, str]:
    return (seeds / "000_ed6ca0b20a34348c.txt").read_text(), (seeds / "002_810c36b51088a32c.txt").read_text()


@pytest.mark.slow
def test_first_seed(seed_texts: tuple[str, str]) -> None:
    text = seed_texts[0]
    times = find_times(_parse(text), "a1", "2024-11-20")
    assert [t.start for t in times] == sorted(t.start for t in times)
    august = _at(times, text, "early August")
    assert august.text == "early August"
    assert august.value_start == "2024-08-01" and august.value_end == "2024-08-10"
    may = _at(times, text, "in May")
    assert (may.value_start, may.value_end, may.precision) == ("2024-05-01", "2024-05-31", "month")
    assert may.relative and may.anchored


@pytest.mark.slow
def test_second_seed_published_monday(seed_texts: tuple[str, str]) -> None:
    text = seed_texts[1]
    times = find_times(_parse(text), "a2", "2024-11-18")
    sunday = _at(times, text, "on Sunday")
    assert (sunday.text, sunday.value_start, sunday.precision) == ("Sunday", "2024-11-17", "day")
    assert _at(times, text, "on Friday").value_start == "2024-11-15"
    inauguration = _at(times, text, "January 20")
    assert inauguration.value_start == inauguration.value_end == "2025-01-20"
    september = _at(times, text, "At the end of September")
    assert september.value_start is not None and september.value_end == "2024-09-30"
    assert "2024-09-20" <= september.value_start <= "2024-09-29"
    coming = _at(times, text, "in the coming days")
    assert coming.precision == "range" and coming.value_start is not None and coming.value_end is not None
    assert "2024-11-18" < coming.value_start < coming.value_end
    earlier = _at(times, text, "Earlier in September")
    assert earlier.value_start == "2024-09-01"
    # the duration 'just over two months' is not a date
    assert not [t for t in times if "months" in t.text]


@pytest.mark.slow
def test_unknown_publication_date_leaves_relative_times_unanchored(seed_texts: tuple[str, str]) -> None:
    text = seed_texts[1]
    sunday = _at(find_times(_parse(text), "a2", None), text, "on Sunday")
    assert sunday.anchored is False and sunday.relative is True
    assert sunday.value_start is None and sunday.value_end is None


# --- the sample corpus: README "Relative dates" table --------------------------------------------


def _sample_texts() -> dict[str, str]:
    """Article texts of the sample corpus, read with the standard library only."""
    out = {p.name: p.read_text(encoding="utf-8") for p in SAMPLE.glob("*.txt")}
    page = (SAMPLE / "lowland_herald_dam.html").read_text(encoding="utf-8")
    article = re.search(r"<article.*?</article>", page, re.S)
    assert article is not None
    out["lowland_herald_dam.html"] = html.unescape(re.sub(r"<[^>]+>", " ", article[0]))
    lines = (SAMPLE / "northgate_observer.jsonl").read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines, 1):
        out[f"northgate_observer.jsonl:{n}"] = json.loads(line)["text"]
    with open(SAMPLE / "marovia_today.csv", newline="", encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh), 1):
            out[f"marovia_today.csv:{n}"] = row["text"]
    encoded = "{http://purl.org/rss/1.0/modules/content/}encoded"
    for n, item in enumerate(ET.parse(SAMPLE / "radio_tarva_feed.xml").getroot().iter("item"), 1):
        body = item.findtext(encoded) or ""
        out[f"radio_tarva_feed.xml:{n}"] = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return out


WIRE, KVP_COPY = "marnews_orlen_dam_wire.txt", "kessel_valley_post_dam_copy.txt"
DC_COPY, KVP = "dunmere_courier_dam_copy.txt", "kessel_valley_post_dam_breaking.txt"
HERALD, DC = "lowland_herald_dam.html", "dunmere_courier_response.txt"
RADIO1, RADIO2 = "radio_tarva_feed.xml:1", "radio_tarva_feed.xml:2"
DEAL, REVIEW = "brenna_ledger_solvik_deal.txt", "brenna_ledger_solvik_review.txt"
# (article, phrase, published, expected start, expected end) from the sample README's table
SAMPLE_CASES = [
    (WIRE, "gave way on Saturday", "2025-09-14", "2025-09-13", "2025-09-13"),
    (KVP_COPY, "gave way on Saturday", "2025-09-15", "2025-09-13", "2025-09-13"),
    (DC_COPY, "collapsed on Saturday", "2025-09-14", "2025-09-13", "2025-09-13"),
    (WIRE, "heavy rain that began on Friday", "2025-09-14", "2025-09-12", "2025-09-12"),
    (KVP_COPY, "heavy rain that began on Friday", "2025-09-15", "2025-09-12", "2025-09-12"),
    (WIRE, "since early August", "2025-09-14", "2025-08-01", "2025-08-10"),
    (KVP_COPY, "harvested this month", "2025-09-15", "2025-09-01", "2025-09-30"),
    (WIRE, "safety inspection in May", "2025-09-14", "2025-05-01", "2025-05-31"),
    (KVP_COPY, "on Monday morning", "2025-09-15", "2025-09-15", "2025-09-15"),
    (KVP, "gave way early on Saturday", "2025-09-13", "2025-09-13", "2025-09-13"),
    (KVP, "later in the day", "2025-09-13", "2025-09-13", "2025-09-13"),
    (KVP, "in two places on Friday", "2025-09-13", "2025-09-12", "2025-09-12"),
    (HERALD, "in Lisk on Sunday", "2025-09-15", "2025-09-14", "2025-09-14"),
    (HERALD, "warned managers in July", "2025-09-15", "2025-07-01", "2025-07-31"),
    (HERALD, "failed on Saturday", "2025-09-15", "2025-09-13", "2025-09-13"),
    (HERALD, "dated 22 July", "2025-09-15", "2025-07-22", "2025-07-22"),
    (DC, "Speaking in Dunmere on Monday", "2025-09-16", "2025-09-15", "2025-09-15"),
    (DC, "since Saturday", "2025-09-16", "2025-09-13", "2025-09-13"),
    (DC, "by the end of September", "2025-09-16", "2025-09-21", "2025-09-30"),
    ("northgate_observer.jsonl:2", "on October 3", "2025-09-17", "2025-10-03", "2025-10-03"),
    ("northgate_observer.jsonl:2", "Brask on Tuesday", "2025-09-17", "2025-09-16", "2025-09-16"),
    (RADIO1, "reported on Tuesday", "2025-09-17", "2025-09-16", "2025-09-16"),
    (RADIO1, "visited the dam on Tuesday", "2025-09-17", "2025-09-16", "2025-09-16"),
    (RADIO1, 'on budget" last year', "2025-09-17", "2024-01-01", "2024-12-31"),
    (RADIO1, "by the end of the week", "2025-09-17", "2025-09-19", "2025-09-21"),
    (RADIO2, "gave way last week", "2025-09-18", "2025-09-08", "2025-09-14"),
    (RADIO2, "first hearing into the breach on Friday", "2025-09-18", "2025-09-19", "2025-09-19"),
    (DEAL, "the two companies said on Monday", "2025-09-15", "2025-09-15", "2025-09-15"),
    (DEAL, "small loss last year", "2025-09-15", "2024-01-01", "2024-12-31"),
    (DEAL, "in the first quarter of next year", "2025-09-15", "2026-01-01", "2026-03-31"),
    ("marovia_today.csv:2", "rose about 7 percent on Monday", "2025-09-16", "2025-09-15", "2025-09-15"),
    (REVIEW, "announced earlier this week", "2025-09-18", "2025-09-15", "2025-09-17"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("source", "phrase", "published", "start", "end"), SAMPLE_CASES)
def test_sample_relative_dates(source: str, phrase: str, published: str, start: str, end: str) -> None:
    text = _sample_texts()[source]
    found = _at(find_times(_parse(text), "s", published), text, phrase)
    assert (found.value_start, found.value_end) == (start, end)
    assert found.relative and found.anchored


@pytest.mark.slow
def test_sample_coming_days_is_a_near_future_range() -> None:
    text = _sample_texts()["northgate_observer.jsonl:2"]
    found = _at(find_times(_parse(text), "s", "2025-09-17"), text, "in the coming days")
    assert found.precision == "range" and found.value_start and found.value_end
    assert found.value_start >= "2025-09-17"
    assert "2025-09-21" <= found.value_end <= "2025-09-30"


@pytest.mark.slow
def test_sample_event_anchored_durations_are_skipped() -> None:
    text = _sample_texts()["dunmere_evacuees_feature.txt"]
    assert not [t for t in find_times(_parse(text), "s", None) if "days" in t.text]


# --- tiny texts of our own ----------------------------------------------------------------------


def _times(text: str, published: str | None = "2025-03-12") -> list[TimeExpr]:  # a Wednesday
    return find_times(_parse(text), "t", published)


@pytest.mark.slow
def test_future_tense_picks_the_next_weekday_and_date() -> None:
    text = "The council will vote on Monday. The court is expected to rule on February 2."
    monday, february = _times(text)
    assert (monday.text, monday.value_start) == ("Monday", "2025-03-17")
    assert (february.text, february.value_start) == ("February 2", "2026-02-02")


@pytest.mark.slow
def test_past_tense_picks_the_previous_date() -> None:
    text = "The court ruled on February 2, and the council voted on Monday."
    february, monday = _times(text)
    assert february.value_start == "2025-02-02" and monday.value_start == "2025-03-10"


@pytest.mark.slow
def test_names_durations_and_clock_times_are_not_dates() -> None:
    text = ("Shoppers queued for Black Friday deals, Marovia Today said. The talks lasted two months "
            "and ended at 3 p.m.")
    assert [t.text for t in _times(text)] == []


@pytest.mark.slow
def test_absolute_dates_resolve_without_publication_date() -> None:
    text = "The dam was built in 1968 and inspected on 4 May 2021. It failed on Saturday."
    built, inspected, failed = _times(text, None)
    assert (built.value_start, built.precision, built.anchored) == ("1968-01-01", "year", True)
    assert (inspected.value_start, inspected.relative) == ("2021-05-04", False)
    assert failed.anchored is False and failed.value_start is None


@pytest.mark.slow
def test_ids_are_deterministic_and_confidence_ranks_explicit_dates_first() -> None:
    text = "Talks began on 4 May 2021 and resumed in the coming days."
    first, second = _times(text), _times(text)
    assert [t.id for t in first] == [t.id for t in second]
    explicit, vague = first
    assert explicit.confidence > vague.confidence


@pytest.mark.slow
def test_weekday_after_a_place_or_person_is_a_date() -> None:
    text = ("Police in Vancouver Friday said a man was held. Officials in Kyiv on Sunday said drones "
            "hit. The club fired coach Ana Rusk Saturday morning.")
    friday, sunday, saturday = _times(text)
    assert (friday.text, friday.value_start) == ("Friday", "2025-03-07")
    assert (sunday.text, sunday.value_start) == ("Sunday", "2025-03-09")
    assert saturday.text == "Saturday morning"


@pytest.mark.slow
def test_named_days_stay_names() -> None:
    text = "Stores opened early for Black Friday and Cyber Monday, and voters went out on Super Tuesday."
    assert _times(text) == []


@pytest.mark.slow
def test_festival_name_as_modifier_is_no_date() -> None:
    text = "He opened fire at an office Christmas party. Christmas shopping fell sharply."
    assert _times(text) == []


@pytest.mark.slow
def test_festival_with_a_frame_is_a_date() -> None:
    text = "Sales rose before Christmas. The mayor spoke on Christmas Day."
    before, day = _times(text)
    assert (before.text, before.value_start) == ("Christmas", "2024-12-25")
    assert (day.text, day.value_start) == ("Christmas Day", "2024-12-25")


@pytest.mark.slow
def test_model_year_is_no_date_but_a_year_of_reference_is() -> None:
    text = ("She was hit by a 2013 gray Camry. He drove his gray 2013 Toyota Camry. "
            "Voters backed him in the 2016 election.")
    assert [(t.text, t.value_start) for t in _times(text)] == [("2016", "2016-01-01")]


@pytest.mark.slow
def test_festival_season_and_a_year_before_a_crash_are_times() -> None:
    text = "Thieves used the Christmas season for cover. He was jailed over a 2012 car crash."
    assert [t.text for t in _times(text)] == ["Christmas", "2012"]


@pytest.mark.slow
def test_this_winter_in_a_plea_looks_ahead_and_a_past_one_looks_back() -> None:
    text = ("\u201cNo family should have to choose between heating and rent this winter,\u201d the mayor "
            "said. The farmers said this winter was the mildest they could remember.")
    plea, mild = _times(text, "2025-09-15")
    assert (plea.value_start, plea.value_end, plea.precision) == ("2025-12-01", "2026-02-28", "season")
    assert (mild.value_start, mild.value_end) == ("2024-12-01", "2025-02-28")
