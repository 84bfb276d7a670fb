from __future__ import annotations

from newsfuse.ingest.clean import clean_text, html_fragment_to_text, is_boilerplate, looks_like_html


def test_entities_decoded_but_curly_quotes_kept() -> None:
    text = clean_text("The mayor&rsquo;s office said &ldquo;no&rdquo; &amp; left. He said “yes”.")
    assert text == "The mayor’s office said “no” & left. He said “yes”."


def test_bare_ampersands_in_prose_untouched() -> None:
    # '&not' without a semicolon is prose, not an entity (html.unescape would turn it into '¬').
    assert (
        clean_text("AT&T and P&G did &not report, nor did R&D.")
        == "AT&T and P&G did &not report, nor did R&D."
    )


def test_odd_whitespace_normalised_and_invisible_removed() -> None:
    text = clean_text("Two\u00a0boats\u2009reached   the\u200b village\u00ad.\tLater more.")
    assert text == "Two boats reached the village. Later more."


def test_blank_line_runs_collapse_to_one_paragraph_break() -> None:
    assert (
        clean_text("First para.\n\n\n\nSecond para.\r\n\r\nThird.") == "First para.\n\nSecond para.\n\nThird."
    )


def test_one_line_per_paragraph_becomes_paragraphs() -> None:
    assert clean_text("Line one.\nLine two.\nLine three.") == "Line one.\n\nLine two.\n\nLine three."


def test_html_remnant_line_removed_without_splitting_paragraphs() -> None:
    assert clean_text("One.\nTwo.\np>\nThree.") == "One.\n\nTwo.\n\nThree."
    assert clean_text("One ends here.\np>\n\nNext one.") == "One ends here.\n\nNext one."


def test_tags_and_tag_fragments_removed() -> None:
    text = clean_text("Rain fell.<br>Roads closed.</p\n<p>The river rose <b>two</b> metres.</p>\n</div>")
    assert text == "Rain fell.\nRoads closed.\n\nThe river rose two metres."


def test_script_content_dropped() -> None:
    text = clean_text("Before.\n<script>var x = 'evil';</script>\nAfter the storm.")
    assert "evil" not in text and "After the storm." in text


def test_boilerplate_lines_dropped_but_similar_prose_kept() -> None:
    raw = (
        "Floods hit the town.\n\nAdvertisement\n\nRead more: Storm live blog\n\nFollow us on Twitter\n\n"
        "Subscribers to the water service were warned.\n\n© 2025 Example Media. All rights reserved."
    )
    assert clean_text(raw) == "Floods hit the town.\n\nSubscribers to the water service were warned."
    assert not is_boilerplate("Read more than 300 pages of the report, the judge told lawyers, " * 3)


def test_html_fragment_to_text_paragraphs() -> None:
    text = html_fragment_to_text("<p>One &amp;\n two.</p><p>Three<br/>four.</p><style>p{}</style>")
    assert text == "One & two.\n\nThree\nfour."


def test_looks_like_html() -> None:
    assert looks_like_html("<p>One.</p><p>Two.</p>")
    assert not looks_like_html("Prices rose 5% as x < y and y > z.")


def test_lone_words_that_are_tag_names_stay() -> None:
    assert clean_text("Main\n\nThe section reopened.\n\nP") == "Main\n\nThe section reopened.\n\nP"
