"""The claim-by-outlet matrix: the claim sentence as row label with its attribution and date beside
it, and a negated report that reads as what it is."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from newsroom import fill

from newsfuse.fuse.report import story_data
from newsfuse.models import Claim, ClaimDetail, ClaimSource, Span, to_dict
from newsfuse.store import Store
from newsfuse.web.matrix import claim_matrix
from newsfuse.web.pages import standalone_story_page


def _claim() -> dict[str, Any]:
    said = ClaimSource("a1", "Lisk Herald", attribution="according to the county office",
                       evidence=(Span("a1", 0, 30, "The levee at Orsk was breached."),))
    not_so = ClaimSource("a2", "Dunmere Courier", stance="denies",
                         evidence=(Span("a2", 0, 34, "The levee at Orsk was not breached."),))
    claim = Claim("c_levee", "s_1", "event", "The levee at Orsk was breached on 14 September 2025",
                  "conflicting", 2, (said, not_so), attribution="according to the county office",
                  event_type="ASSAULT", cameo="18", mode="asserted", date_start="2025-09-14",
                  date_end="2025-09-14", date_basis="event")
    return to_dict(claim)


def test_row_label_is_the_sentence_with_attribution_and_date_beside_it() -> None:
    data = {"articles": [{"outlet": "Lisk Herald", "published": "2025-09-14"},
                         {"outlet": "Dunmere Courier", "published": "2025-09-15"}], "claims": [_claim()]}
    [row] = claim_matrix(data)["rows"]
    assert row["text"] == "The levee at Orsk was breached on 14 September 2025"
    assert (row["attribution"], row["when"], row["type"]) == ("according to the county office", "2025-09-14",
                                                              "ASSAULT")
    herald, courier = row["cells"]
    assert herald["text"] == "reports" and "according to the county office" in herald["title"]
    # The Courier reports the breach did not happen: that is no dispute of the claim by the outlet.
    assert courier["text"] == "reports it did not happen" and "denies" not in courier["text"]


def test_first_reported_dates_are_marked_as_such() -> None:
    claim = {**_claim(), "date_basis": "first reported", "date_start": "2025-09-15", "date_end": "2025-09-15"}
    [row] = claim_matrix({"articles": [], "claims": [claim]})["rows"]
    assert row["when"] == "first reported 2025-09-15"


def test_story_page_shows_the_sentence_and_its_attribution(store: Store) -> None:
    room = fill(store)
    data = story_data(store, room.story_id)
    data["claims"] = [_claim()]
    html = standalone_story_page(data)
    assert "The levee at Orsk was breached on 14 September 2025" in html
    assert "(according to the county office)" in html
    assert "reports it did not happen" in html
    # the attribution and the date are two things: '(according to ...) · 2025-09-14'
    assert re.search(r"\(according to the county office\)</span> <span class=\"when\">· 2025-09-14<", html)


def test_a_conflict_names_both_sides_and_who_says_each() -> None:
    data = {"articles": [{"outlet": "Lisk Herald", "published": "2025-09-14"},
                         {"outlet": "Dunmere Courier", "published": "2025-09-15"}], "claims": [_claim()]}
    [row] = claim_matrix(data)["rows"]
    assert [(s["symbol"], s["said"], s["outlets"]) for s in row["sides"]] == [
        ("●", "reports it", "Lisk Herald"), ("✗", "reports it did not happen", "Dunmere Courier")]
    agreed = {**_claim(), "status": "corroborated"}
    assert claim_matrix({"claims": [agreed]})["rows"][0]["sides"] == []


def test_a_row_worded_by_its_negation_reads_reports_in_each_cell() -> None:
    """'The levee at Orsk was not breached', every outlet saying so: each cell reports what the row
    says; '✗ reports it did not happen' beside a 'not' would read as a double negative."""
    claim = _claim()
    negated = {**claim, "text": "The levee at Orsk was not breached", "status": "single-source",
               "sources": [claim["sources"][1]]}
    [row] = claim_matrix({"articles": [{"outlet": "Dunmere Courier"}], "claims": [negated]})["rows"]
    [courier] = row["cells"]
    assert (courier["symbol"], courier["text"]) == ("●", "reports")


def test_a_figure_one_outlet_alone_gives_is_not_shown_as_the_corroborated_content() -> None:
    """A corroborated fact with a figure only one outlet prints (folded in by ``fuse.claims.added``):
    that outlet's cell reads 'reports' with the figure marked as its own; the note's single-source
    detail is set apart from how the sources were counted."""
    def src(aid: str, outlet: str, value: str | None = None, copy_of: str | None = None) -> ClaimSource:
        figure = float(value.split()[0].replace(",", "")) if value else None
        return ClaimSource(aid, outlet, value=value, figure=figure, independent_of=copy_of,
                           evidence=(Span(aid, 0, 20, "Troops were in Kursk"),))

    note = "copies of a wire story counted once: Vale Post"
    detail = ClaimDetail("Around 11,000 soldiers were in Kursk", "a_mx_1", "Kursk Wire")
    claim = Claim("c_mx_alone", "s_mx", "event", "Troops were in Kursk", "corroborated", 2,
                  (src("a_mx_1", "Kursk Wire", "11,000 soldiers"),
                   src("a_mx_2", "Vale Post", "11,000 soldiers", copy_of="a_mx_1"),
                   src("a_mx_3", "Lisk Herald")), note=note, details=(detail,))
    [row] = claim_matrix({"claims": [to_dict(claim)]})["rows"]
    wire, copy, herald = row["cells"]
    assert (wire["text"], wire["only"]) == ("reports", "11,000 soldiers")
    assert "only this outlet gives 11,000 soldiers" in wire["title"]
    assert copy["state"] == "copy" and copy["only"] == ""  # a copy is marked as a copy, not as the source
    assert (herald["text"], herald["only"]) == ("reports", "")
    assert row["note"] == "copies of a wire story counted once: Vale Post"
    assert row["details"] == [{"outlet": "Kursk Wire", "said": "Around 11,000 soldiers were in Kursk"}]
    # two outlets giving the figure, each in its own words, corroborate it; a conflict keeps each
    # side's value in its cell
    both = to_dict(replace(claim, sources=(src("a_mx_1", "Kursk Wire", "11,000 soldiers"),
                                           src("a_mx_3", "Lisk Herald", "11000"))))
    cells = claim_matrix({"claims": [both]})["rows"][0]["cells"]
    assert [(c["text"], c["only"]) for c in cells] == [("11,000 soldiers", ""), ("11000", "")]
    split = {**to_dict(replace(claim, status="conflicting", note="")),
             "sources": [to_dict(src("a_mx_1", "Kursk Wire", "11,000 soldiers")),
                         to_dict(src("a_mx_3", "Lisk Herald", "9,000 soldiers"))]}
    assert [c["text"] for c in claim_matrix({"claims": [split]})["rows"][0]["cells"]] == \
        ["11,000 soldiers", "9,000 soldiers"]


def test_one_figure_in_two_outlets_words_agrees_and_a_date_is_no_figure() -> None:
    """Figures are compared by their number, shown in each outlet's words ('about 1,800 residents' /
    '1,800 people evacuated'): one side of a conflict, and no outlet's own detail when two give it. A
    date one outlet gives is no single-source figure: the row shows the claim's dates."""
    def src(aid: str, outlet: str, value: str, figure: float | None, stance: str = "supports") -> ClaimSource:
        return ClaimSource(aid, outlet, value=value, figure=figure, stance=stance,
                           evidence=(Span(aid, 0, 9, "Evacuated"),))

    agreed = Claim("c_mx_words", "s_mx", "amount", "Residents were evacuated", "corroborated", 2,
                   (src("a_mx_w1", "Kursk Wire", "about 1,800 residents", 1800.0),
                    src("a_mx_w2", "Lisk Herald", "1,800 People", 1800.0),
                    src("a_mx_w3", "Vale Post", "date: 2025-09-13", None)))
    [row] = claim_matrix({"claims": [to_dict(agreed)]})["rows"]
    assert [(c["text"], c["only"]) for c in row["cells"]] == [
        ("about 1,800 residents", ""), ("1,800 People", ""), ("date: 2025-09-13", "")]
    disputed = replace(agreed, status="conflicting", sources=(
        *agreed.sources[:2], src("a_mx_w4", "Vale Post", "nearly 4,500 residents", 4500.0, "differs")))
    sides = claim_matrix({"claims": [to_dict(disputed)]})["rows"][0]["sides"]
    assert [(s["said"], s["outlets"]) for s in sides] == [
        ("about 1,800 residents / 1,800 People", "Kursk Wire, Lisk Herald"),
        ("nearly 4,500 residents", "Vale Post")]
