"""The spaCy boundary (newsfuse.analyze.nlp): what the rules get from the parse."""

from __future__ import annotations

import pytest

from newsfuse import defaults
from newsfuse.analyze import nlp
from newsfuse.errors import AnalysisError


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


@pytest.mark.slow
def test_the_packaged_recogniser_replaces_the_small_models_own() -> None:
    # A club named after its city: the small model reads a score into the name, the fine-tuned one not.
    text = "Juventus beat Fiorentina 2-1 in Turin on Sunday before 30,000 fans."
    stock = {(e.text, e.label) for e in nlp.to_parsed(nlp.load(ner="")(text)).ents}
    ours = {(e.text, e.label) for e in nlp.to_parsed(nlp.load(ner=defaults.NER_PACKAGED)(text)).ents}
    assert ("Fiorentina", "ORG") in ours and ("Fiorentina", "ORG") not in stock
    # the numeric and date entities the later rules read are still there, with the same labels
    assert {("Sunday", "DATE"), ("30,000", "CARDINAL")} <= ours


def test_a_missing_recogniser_says_what_to_do() -> None:
    with pytest.raises(AnalysisError, match=r"entity recogniser .* is missing"):
        nlp.load(ner="data/no_such_recogniser")
