from __future__ import annotations

from newsfuse.ingest.wire import split_layout


def test_wire_header_with_first_sentence_and_trailing_id() -> None:
    raw = (
        " date 2025-03-02 (HARBWIRE) Ferries stopped running on Sunday.\n\n\n\n"
        "More text.\n\nHARBWIRE02032025000123ID998877"
    )
    layout = split_layout(raw)
    assert layout.outlet == "HARBWIRE" and layout.published == "2025-03-02"
    assert layout.wire_id == "HARBWIRE02032025000123ID998877"
    assert layout.body.startswith("Ferries stopped running on Sunday.")
    assert "ID998877" not in layout.body and "date" not in layout.body
    assert layout.title is None  # the first line is a sentence, not a headline


def test_header_line_alone_then_headline() -> None:
    layout = split_layout(
        "date 2025-03-03 (Harbour Gazette)\nFerries resume after storm\n\nBoats sailed again."
    )
    assert (layout.outlet, layout.published, layout.title) == (
        "Harbour Gazette",
        "2025-03-03",
        "Ferries resume after storm",
    )
    assert layout.body.strip() == "Boats sailed again."


def test_no_header_keeps_text_and_invalid_date_is_not_a_header() -> None:
    assert split_layout("Boats sailed again on Monday.").body == "Boats sailed again on Monday."
    layout = split_layout("date 2025-13-45 (X) Boats sailed.")
    assert layout.published is None and layout.body.startswith("date 2025-13-45")


def test_sentence_or_lone_line_is_not_a_headline() -> None:
    assert split_layout("The port reopened on Monday.\n\nShips queued.").title is None
    assert split_layout("Port reopens").title is None  # nothing after it: it is the article


def test_wire_id_only_on_last_line() -> None:
    layout = split_layout("Text mentions HARBWIRE02032025000123ID998877 inline.\n\nLast line.")
    assert layout.wire_id is None
