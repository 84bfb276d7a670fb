"""Pairing of quote marks on raw text (newsfuse.analyze.quotes.marks), and the bench adapter's use of
the marks it finds."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import benchmods
import pytest

from newsfuse.analyze.quotes.marks import QuoteSpan, as_read, find_quote_spans

BENCH = Path(__file__).resolve().parent.parent / "bench" / "quotes.py"


def inner(text: str) -> list[str]:
    return [text[q.inner_start : q.inner_end] for q in find_quote_spans(text)]


def whole(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quote_spans(text)]


# ---------------------------------------------------------------------------------------------
# two apostrophes as one double mark (archive typography) and ``typewriter'' marks
# ---------------------------------------------------------------------------------------------


def test_two_apostrophes_pair_with_exact_offsets() -> None:
    text = "''The ferry will run again,'' the harbour master said."
    [q] = find_quote_spans(text)
    assert q == QuoteSpan(0, 29, 2, 27, True, 1)
    assert text[q.inner_start : q.inner_end] == "The ferry will run again,"


def test_two_apostrophes_mid_sentence_and_split_quote() -> None:
    text = "Ms. Vale said that ''nobody saw it,'' and then, ''We looked twice.''"
    assert inner(text) == ["nobody saw it,", "We looked twice."]


def test_apostrophes_glued_to_a_word_do_not_open() -> None:
    # a plural possessive before a stray pair of apostrophes is not a quote
    text = "The growers'' union said ''the price is fair.''"
    assert inner(text) == ["the price is fair."]


def test_three_apostrophes_close_a_single_quote_then_the_double_one() -> None:
    text = "He said ''the sign read 'keep out.''' Then he left."
    assert whole(text) == ["''the sign read 'keep out.'''"]
    assert inner(text) == ["the sign read 'keep out.'"]


def test_three_apostrophes_open_the_double_quote_then_a_single_one() -> None:
    text = "'''Go home' was all it said,'' she recalled."
    assert inner(text) == ["'Go home' was all it said,"]


def test_backticks_open_and_apostrophes_close() -> None:
    text = "``We are ready,'' the coach said."
    assert whole(text) == ["``We are ready,''"]
    assert inner(text) == ["We are ready,"]


def test_two_apostrophes_continue_over_paragraphs() -> None:
    text = "''The first part of it.\n\n''The second part of it,'' she said.\n\nThe hall emptied."
    [q] = find_quote_spans(text)
    assert q.closed and q.paragraphs == 2
    assert "hall" not in text[q.start : q.end]


def test_unclosed_two_apostrophes_stop_at_their_sentence() -> None:
    text = "The coach said ''we will win. Then the bus left.\nA new paragraph."
    [q] = find_quote_spans(text)
    assert not q.closed and text[q.inner_start : q.inner_end] == "we will win."


HOSTILE = ["''", "'''", "''''", "'' ", " ''", "''x", "x''", "'' a '' b", "a''b''c", "``", "``''"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_apostrophe_runs_give_sane_spans(text: str) -> None:
    for q in find_quote_spans(text):
        assert 0 <= q.start <= q.inner_start <= q.inner_end <= q.end <= len(text)
    assert find_quote_spans("''") == [] and find_quote_spans("'' a") == []


# ---------------------------------------------------------------------------------------------
# straight and curly marks mixed in one quote
# ---------------------------------------------------------------------------------------------


def test_curly_opened_quote_closed_by_a_straight_mark() -> None:
    text = '\u201cWe will stay," she said. "We must.\u201d'
    assert inner(text) == ["We will stay,", "We must."]


def test_straight_opened_quote_closed_by_a_curly_mark() -> None:
    text = '"I think so,\u201d he said, and left the room.'
    assert inner(text) == ["I think so,"]


def test_nested_straight_quote_and_inch_mark_do_not_close_a_curly_quote() -> None:
    text = (
        '\u201cThey call it "the plan," and a 5" pipe is the plan,\u201d she said. '
        '\u201cIt holds," he said.'
    )
    assert inner(text) == ['They call it "the plan," and a 5" pipe is the plan,', "It holds,"]


# ---------------------------------------------------------------------------------------------
# time
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["\u201ca. ", "''a. ", '\u201ca "b ', '"a \u201cb '])
def test_many_unclosed_marks_in_one_paragraph_take_linear_time(unit: str) -> None:
    text = "So " + unit * 20_000  # opened mid-sentence, each ends at its sentence; quadratic
    # pairing would search the rest of the paragraph for every one of them
    started = time.perf_counter()
    find_quote_spans(text)
    assert time.perf_counter() - started < 5.0


# ---------------------------------------------------------------------------------------------
# the bench adapter gives PolNeAR's content with the marks that are in the text
# ---------------------------------------------------------------------------------------------


def _bench() -> Any:
    mod = benchmods.load(BENCH, "bench_quotes")
    return mod


def test_bench_adds_both_apostrophes_back() -> None:
    text = "''We go now,'' he said."
    assert _bench()._with_marks(text, 2, 12) == (0, 14)


@pytest.mark.slow
def test_direct_quote_in_two_apostrophe_marks() -> None:
    from newsfuse.analyze.nlp import parse
    from newsfuse.analyze.quotes.extract import find_quotes

    text = "''The ferry will run again next week,'' Mayor Ana Kovic said on Monday.\n"
    quotes = find_quotes(parse(text), "a1", [])
    hits = [q for q in quotes if "ferry" in q.content]
    assert hits and hits[0].kind == "direct"
    assert hits[0].content == "The ferry will run again next week"
    assert hits[0].speaker == "Mayor Ana Kovic"


def test_typewriter_quotes_of_two_apostrophes_are_paired() -> None:
    text = "''We will win,'' the mayor said. ''They told me 'no way.''' She left. Don''t go."
    spans = [(text[q.start : q.end], text[q.inner_start : q.inner_end]) for q in find_quote_spans(text)]
    assert spans == [
        ("''We will win,''", "We will win,"), ("''They told me 'no way.'''", "They told me 'no way.'")]


def test_straight_and_curly_double_marks_close_each_other_but_nest_whole() -> None:
    text = '\u201cThe roads are bad," she said. "We will fix them.\u201d He called it "a plan" today.'
    assert [text[q.start : q.end] for q in find_quote_spans(text)] == [
        '\u201cThe roads are bad,"', '"We will fix them.\u201d', '"a plan"']
    nested = '\u201cHe called it "a mess" and left,\u201d she said.'
    assert [nested[q.start : q.end] for q in find_quote_spans(nested)] == [nested[: nested.index(" she")]]


def test_a_quote_as_read_has_one_pair_of_marks_around_the_quoted_words() -> None:
    # A direct quote's content is inside its marks: it gets one pair.
    assert as_read("We will rebuild the dam", "direct") == "\u201cWe will rebuild the dam\u201d"
    # Mixed and partial content carries the outlet's own marks: none added, so none doubled.
    mixed = 'that Putin "does not want peace and is not ready to negotiate"'
    assert as_read(mixed, "mixed") == mixed
    assert as_read('the plan "a betrayal of the valley"', "partial") == 'the plan "a betrayal of the valley"'
    # A closer cut off with the comma before it, or never typed, comes back; of the opener's style.
    assert as_read('was to "help Ukraine to resist', "mixed") == 'was to "help Ukraine to resist"'
    assert as_read("that allies \u201cmust stay.", "mixed") == "that allies \u201cmust stay.\u201d"
    assert as_read("that the vote was rigged", "reported") == "that the vote was rigged"
