"""The spaCy boundary (newsfuse.analyze.nlp): what the rules get from the parse."""

from __future__ import annotations

import pytest

from newsfuse.analyze import nlp


def _sentences(text: str) -> list[str]:
    doc = nlp.parse(text)
    return [text[s.start_char:s.end_char].strip() for s in doc.sents]


@pytest.mark.slow
def test_a_blank_line_always_ends_a_sentence() -> None:
    # No full stop before the break: the parser alone may run the two paragraphs together.
    text = "Rescue crews reached the village late on Sunday\n\nAna Rusk said the road was open."
    assert _sentences(text) == ["Rescue crews reached the village late on Sunday",
                                "Ana Rusk said the road was open."]


@pytest.mark.slow
def test_a_single_line_break_is_left_to_the_parser() -> None:
    doc = nlp.parse("The minister said on Monday that the\nroad would reopen.")
    assert len(doc.sents) == 1
    assert nlp.PARAGRAPH_COMPONENT in nlp.load().pipe_names
