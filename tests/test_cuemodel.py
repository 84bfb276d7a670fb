"""The learned attribution-cue classifier (newsfuse.analyze.quotes.cuemodel)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from newsfuse.analyze.parse import ParsedDoc, Sent, Tok
from newsfuse.analyze.quotes import cuemodel
from newsfuse.analyze.quotes.marks import find_quote_spans
from newsfuse.errors import AnalysisError


def _hand_parsed(text: str, words: list[tuple[str, str, str, str, str, int, str]]) -> ParsedDoc:
    """A one-sentence ParsedDoc from (word, lemma, pos, tag, dep, head, entity) rows, in text order."""
    toks, at = [], 0
    for i, (w, lemma, pos, tag, dep, head, ent) in enumerate(words):
        at = text.index(w, at)
        ws = " " if at + len(w) < len(text) and text[at + len(w)] == " " else ""
        toks.append(Tok(i, w, at, lemma, pos, tag, dep, head, ent, "B" if ent else "O", ws, 0))
        at += len(w)
    return ParsedDoc(text, tuple(toks), (Sent(0, len(toks), 0, len(text)),), ())


def _doc() -> ParsedDoc:
    """'Reyes believes that taxes rise.' parsed by hand."""
    words = [
        ("Reyes", "Reyes", "PROPN", "NNP", "nsubj", 1, "PERSON"),
        ("believes", "believe", "VERB", "VBZ", "ROOT", 1, ""),
        ("that", "that", "SCONJ", "IN", "mark", 4, ""),
        ("taxes", "tax", "NOUN", "NNS", "nsubj", 4, ""),
        ("rise", "rise", "VERB", "VBP", "ccomp", 1, ""),
        (".", ".", "PUNCT", ".", "punct", 1, ""),
    ]
    text = "Reyes believes that taxes rise."
    return _hand_parsed(text, words)


def test_features_describe_token_head_and_children() -> None:
    feats = cuemodel.token_features(_doc(), 1)
    assert {"l=believe", "p=VERB", "d=ROOT", "c=ccomp", "lc=believe|ccomp", "cm=ccomp:that"} <= set(feats)
    assert "subj=nsubj:PERSON" in feats and "q=none" in feats


def test_features_see_quote_marks_in_the_sentence() -> None:
    text = '"We rise," Reyes said.'
    toks = (
        Tok(0, '"', 0, '"', "PUNCT", "``", "punct", 4), Tok(1, "We", 1, "we", "PRON", "PRP", "nsubj", 2),
        Tok(2, "rise", 4, "rise", "VERB", "VBP", "ccomp", 4), Tok(3, ",", 8, ",", "PUNCT", ",", "punct", 4),
        Tok(4, "Reyes", 11, "Reyes", "PROPN", "NNP", "nsubj", 5),
        Tok(5, "said", 17, "say", "VERB", "VBD", "ROOT", 5),
    )
    doc = ParsedDoc(text, toks, (Sent(0, 6, 0, len(text)),), ())
    marks = find_quote_spans(text)
    assert "q=before" in cuemodel.token_features(doc, 5, marks)
    assert "q=in" in cuemodel.token_features(doc, 2, marks)


def test_only_content_words_are_candidates() -> None:
    doc = _doc()
    found = [cuemodel.candidate(doc, i) for i in range(len(doc.tokens))]
    assert found == [False, True, False, True, True, False]


def test_linear_probability_is_the_logistic_of_the_weight_sum() -> None:
    lin = cuemodel.Linear({"a": 1.0, "b": -0.5}, 0.25)
    assert lin.prob(["a", "b", "unknown"]) == pytest.approx(1 / (1 + math.exp(-0.75)))
    assert lin.prob([]) == pytest.approx(1 / (1 + math.exp(-0.25)))


def test_model_round_trips_through_json(tmp_path: Path) -> None:
    cue, accept = cuemodel.Linear({"l=believe": 3.0}, -2.0), cuemodel.Linear({"o=rules": 1.0}, 0.0)
    model = cuemodel.CueModel(cue, accept)
    path = tmp_path / "m.json"
    path.write_text(model.to_json(), encoding="utf-8")
    loaded = cuemodel.load(path)
    probs = loaded.probs(_doc())
    assert probs[1] == pytest.approx(1 / (1 + math.exp(-1.0)))  # 'believes'
    assert probs[0] == 0.0 and probs[3] < probs[1]  # a name is never scored; 'taxes' only the bias
    assert loaded.accept is not None and loaded.accept.weights == {"o=rules": 1.0}
    assert loaded.span is None  # weights written before the span chooser existed still load


def test_missing_model_says_how_to_get_one(tmp_path: Path) -> None:
    with pytest.raises(AnalysisError, match=r"train_quotes\.py"):
        cuemodel.load(tmp_path / "nope.json")


def test_packaged_model_is_small_and_loads_offline() -> None:
    assert cuemodel.MODEL_PATH.stat().st_size < 5_000_000
    model = cuemodel.load()
    assert model.accept is not None and len(model.cue.weights) > 1000
    assert model.span is not None and model.span.weights


@pytest.mark.slow
def test_packaged_model_scores_cues_in_a_real_parse() -> None:
    from newsfuse.analyze.nlp import parse

    doc = parse("Reyes seems to favor a recount, and aides say the vote is close.")
    probs = cuemodel.load().probs(doc, find_quote_spans(doc.text))
    by_word = {t.text: p for t, p in zip(doc.tokens, probs, strict=True)}
    assert by_word["say"] > 0.8
    assert by_word["seems"] > 0.5  # a cue of PolNeAR's long tail, in no lexicon of newsfuse
    assert by_word["recount"] < 0.2 and by_word["vote"] < 0.2 and by_word["the"] == 0.0


def _relative_doc() -> ParsedDoc:
    """'Gold, who ran, said it.' parsed by hand (the relative clause hangs on 'Gold')."""
    words = [
        ("Gold", "Gold", "PROPN", "NNP", "nsubj", 5, "PERSON"), (",", ",", "PUNCT", ",", "punct", 0, ""),
        ("who", "who", "PRON", "WP", "nsubj", 3, ""), ("ran", "run", "VERB", "VBD", "relcl", 0, ""),
        (",", ",", "PUNCT", ",", "punct", 0, ""), ("said", "say", "VERB", "VBD", "ROOT", 5, ""),
        ("it", "it", "PRON", "PRP", "dobj", 5, ""), (".", ".", "PUNCT", ".", "punct", 5, ""),
    ]
    text = "Gold, who ran, said it."
    return _hand_parsed(text, words)


def test_source_variants_add_the_relative_clause_but_never_the_cue() -> None:
    doc = _relative_doc()
    found = {name: doc.text[s:e] for name, (s, e), _ in cuemodel.source_variants(doc, (0, 4), 0, 5)}
    assert found["base"] == "Gold"
    assert found["relcl"] == "Gold, who ran"  # the closing comma trimmed
    assert all("said" not in text for text in found.values())


def test_span_chooser_picks_the_variant_its_weights_prefer() -> None:
    doc = _relative_doc()
    cue = cuemodel.Linear({}, 0.0)
    keep = cuemodel.CueModel(cue, None, cuemodel.Linear({"v=base": 2.0}, 0.0))
    extend = cuemodel.CueModel(cue, None, cuemodel.Linear({"v=relcl": 2.0}, 0.0))
    assert cuemodel.choose_source(keep, doc, (0, 4), 0, 5) == (0, 4)
    assert cuemodel.choose_source(extend, doc, (0, 4), 0, 5) == (0, 13)
    assert cuemodel.choose_source(cuemodel.CueModel(cue), doc, (0, 4), 0, 5) == (0, 4)  # no chooser


def test_span_features_see_the_comma_and_the_relative_clause_verb() -> None:
    doc = _relative_doc()
    name, _, added = next(v for v in cuemodel.source_variants(doc, (0, 4), 0, 5) if v[0] == "relcl")
    feats = cuemodel.variant_features(doc, name, added, 0, 5)
    # the comma hangs on 'Gold', not inside the clause: the chooser still sees it set off
    assert "vc=relcl|True" in feats
    assert "vv=relcl|run" in feats and "vw=relcl|who" in feats


def test_source_variants_never_add_the_channel_of_a_statement() -> None:
    """'Prices fell, said Berg in her speech.': the span chooser is not offered 'Berg in her speech'
    (a prepositional phrase naming where the words were said), only the speaker."""
    text = "Prices fell, said Berg in her speech."
    rows = [
        ("Prices", "price", "NOUN", "NNS", "nsubj", 1, ""), ("fell", "fall", "VERB", "VBD", "ccomp", 3, ""),
        (",", ",", "PUNCT", ",", "punct", 3, ""), ("said", "say", "VERB", "VBD", "ROOT", 3, ""),
        ("Berg", "Berg", "PROPN", "NNP", "nsubj", 3, "PERSON"), ("in", "in", "ADP", "IN", "prep", 4, ""),
        ("her", "her", "PRON", "PRP$", "poss", 7, ""), ("speech", "speech", "NOUN", "NN", "pobj", 5, ""),
        (".", ".", "PUNCT", ".", "punct", 3, ""),
    ]
    doc = _hand_parsed(text, rows)
    berg = (text.index("Berg"), text.index("Berg") + 4)
    assert [name for name, _, _ in cuemodel.source_variants(doc, berg, 4, 3)] == ["base"]


def test_variant_features_see_a_clause_inside_an_appositive_and_what_the_head_offers() -> None:
    """'Lena Berg, an aide who runs it, said so.': the appositive carries a relative clause of its
    own (sources rarely keep it), and even the bare span knows an appositive was on offer."""
    text = "Lena Berg, an aide who runs it, said so."
    rows = [
        ("Lena", "Lena", "PROPN", "NNP", "compound", 1, "PERSON"),
        ("Berg", "Berg", "PROPN", "NNP", "nsubj", 9, "PERSON"), (",", ",", "PUNCT", ",", "punct", 1, ""),
        ("an", "an", "DET", "DT", "det", 4, ""), ("aide", "aide", "NOUN", "NN", "appos", 1, ""),
        ("who", "who", "PRON", "WP", "nsubj", 6, ""), ("runs", "run", "VERB", "VBZ", "relcl", 4, ""),
        ("it", "it", "PRON", "PRP", "dobj", 6, ""), (",", ",", "PUNCT", ",", "punct", 1, ""),
        ("said", "say", "VERB", "VBD", "ROOT", 9, ""), ("so", "so", "ADV", "RB", "advmod", 9, ""),
        (".", ".", "PUNCT", ".", "punct", 9, ""),
    ]
    doc = _hand_parsed(text, rows)
    variants = {name: added for name, _, added in cuemodel.source_variants(doc, (0, 9), 1, 9)}
    assert "vn=appos|clause-inside" in cuemodel.variant_features(doc, "appos", variants["appos"], 1, 9)
    assert "va=base|appos" in cuemodel.variant_features(doc, "base", [], 1, 9)
