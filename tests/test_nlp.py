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


@pytest.mark.slow
def test_numbers_and_dates_may_come_from_the_small_models_recogniser(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "NER_STOCK_NUMBERS", True)
    text = "Juventus beat Fiorentina 2-1 in Turin on Sunday before 30,000 fans, paying $5 million."
    pipeline = nlp._load(defaults.SPACY_MODEL, (), defaults.NER_PACKAGED + "/")  # a load of its own
    assert pipeline.pipe_names.index(nlp.STOCK_NER) < pipeline.pipe_names.index("ner")
    both = {(e.text, e.label) for e in nlp.to_parsed(pipeline(text)).ents}
    stock = {(e.text, e.label) for e in nlp.to_parsed(nlp.load(ner="")(text)).ents}
    assert ("Fiorentina", "ORG") in both  # names from the packaged recogniser
    assert {e for e in stock if e[1] in nlp.NUMERIC_LABELS} <= both  # numbers from the small model's
    assert nlp.STOCK_NER not in nlp.load(ner="").pipe_names


def test_a_missing_recogniser_says_what_to_do() -> None:
    with pytest.raises(AnalysisError, match=r"entity recogniser .* is missing"):
        nlp.load(ner="data/no_such_recogniser")


def test_bounded_keeps_offsets_and_caps_runs_and_lines() -> None:
    from newsfuse import defaults
    from newsfuse.analyze.nlp import FORCED_BREAK, bounded

    quotes = 'He said "yes" and left. ' + '"' * 5000 + " The ferry sailed."
    cut = bounded(quotes)
    assert len(cut) == len(quotes) and cut[:30] == quotes[:30] and cut.endswith(" The ferry sailed.")
    assert max(len(run) for run in cut.split()) <= defaults.MAX_TOKEN_RUN_CHARS
    line = " ".join(["The ferry sailed late."] * 2000)
    broken = bounded(line)
    assert len(broken) == len(line)
    assert max(len(part) for part in broken.split(FORCED_BREAK)) <= defaults.MAX_PARSE_LINE_CHARS
    prose = "The ferry sailed late.\n\nThe mayor spoke."
    assert bounded(prose) == prose  # real text is left alone


@pytest.mark.slow
def test_a_long_punctuation_run_parses_and_breaks_sentences() -> None:
    from newsfuse.analyze.nlp import parse

    doc = parse("The ferry sailed late. " + '"' * 4000 + " The mayor spoke.")
    assert doc.sents and len(doc.tokens) > 20  # cut into tokens, not one 4,000-character token


@pytest.mark.slow
def test_many_quote_marks_cost_the_quote_rules_no_look_per_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """16 KB of quote marks cost the quote rules 130 s: every token looked at every mark. Only a
    token that could be a cue looks now."""
    from newsfuse.analyze.pipeline import analyze_article
    from newsfuse.analyze.quotes import extract
    from newsfuse.ingest.articles import article_from_text

    article = article_from_text('The ferry sailed late on Monday, the port said. ' + '"' * 2000
                                + ' "We are sorry," the harbour master said on Tuesday.')
    looks = []
    real = extract.inside_marks
    monkeypatch.setattr(extract, "inside_marks", lambda char, marks: looks.append(1) or real(char, marks))
    analyze_article(article, nlp.parse(article.text))
    assert 0 < len(looks) < 20  # the verbs ('sailed', 'said', ...), not 2,000 quote-mark tokens
