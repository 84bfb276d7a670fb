"""Who speaks and the speaker span as written (newsfuse.analyze.quotes.speaker).

The parses are written by hand so each test pins the parser's mistake the rule answers for.
"""

from __future__ import annotations

from newsfuse.analyze.parse import ParsedDoc, Sent, Tok
from newsfuse.analyze.quotes.speaker import dateline_end, np_span, subject

Row = tuple[str, str, str, str, int, str]


def _parsed(text: str, rows: list[Row]) -> ParsedDoc:
    """A one-sentence ParsedDoc from (word, pos, tag, dep, head, entity) rows, in text order."""
    toks, at = [], 0
    for i, (w, pos, tag, dep, head, ent) in enumerate(rows):
        at = text.index(w, at)
        ws = " " if at + len(w) < len(text) and text[at + len(w)] == " " else ""
        lemma = _LEMMAS.get(w, w.lower())
        toks.append(Tok(i, w, at, lemma, pos, tag, dep, head, ent, "B" if ent else "O", ws, 0))
        at += len(w)
    return ParsedDoc(text, tuple(toks), (Sent(0, len(toks), 0, len(text)),), ())


_LEMMAS = {"said": "say"}


def _span(doc: ParsedDoc, head: int, cue: int) -> str:
    start, end = np_span(doc, head, cue)
    return doc.text[start:end]


def test_dateline_place_hands_the_subject_to_the_phrase_after_its_dash() -> None:
    # the parser makes the dateline's place the subject and hangs the speakers on it
    doc = _parsed("OSLO - Farm groups said prices fell.", [
        ("OSLO", "PROPN", "NNP", "nsubj", 4, "GPE"), ("-", "PUNCT", ":", "punct", 0, ""),
        ("Farm", "NOUN", "NN", "compound", 3, ""), ("groups", "NOUN", "NNS", "appos", 0, ""),
        ("said", "VERB", "VBD", "ROOT", 4, ""), ("prices", "NOUN", "NNS", "nsubj", 6, ""),
        ("fell", "VERB", "VBD", "ccomp", 4, ""), (".", "PUNCT", ".", "punct", 4, ""),
    ])
    assert dateline_end(doc, 0) == len("OSLO - ")
    assert subject(doc, 4, depth=0) == 3
    assert _span(doc, 3, 4) == "Farm groups"


def test_dateline_place_without_a_phrase_gives_way_to_the_other_subject() -> None:
    doc = _parsed("OSLO - Upbeat, Berg said prices fell.", [
        ("OSLO", "PROPN", "NNP", "nsubj", 5, "GPE"), ("-", "PUNCT", ":", "punct", 0, ""),
        ("Upbeat", "ADJ", "JJ", "advcl", 5, ""), (",", "PUNCT", ",", "punct", 5, ""),
        ("Berg", "PROPN", "NNP", "nsubj", 5, "PERSON"), ("said", "VERB", "VBD", "ROOT", 5, ""),
        ("prices", "NOUN", "NNS", "nsubj", 7, ""), ("fell", "VERB", "VBD", "ccomp", 5, ""),
        (".", "PUNCT", ".", "punct", 5, ""),
    ])
    assert subject(doc, 5, depth=0) == 4


def test_a_capitalised_word_opening_an_ordinary_sentence_is_no_dateline() -> None:
    doc = _parsed("Berg said prices fell - sharply.", [
        ("Berg", "PROPN", "NNP", "nsubj", 1, "PERSON"), ("said", "VERB", "VBD", "ROOT", 1, ""),
        ("prices", "NOUN", "NNS", "nsubj", 3, ""), ("fell", "VERB", "VBD", "ccomp", 1, ""),
        ("-", "PUNCT", ":", "punct", 3, ""), ("sharply", "ADV", "RB", "advmod", 3, ""),
        (".", "PUNCT", ".", "punct", 1, ""),
    ])
    assert dateline_end(doc, 0) is None and subject(doc, 1, depth=0) == 0


def test_markup_tag_end_is_not_part_of_the_speaker() -> None:
    doc = _parsed('note">Lena Berg said so.', [
        ("note", "NOUN", "NN", "compound", 3, ""), ('">', "PUNCT", "''", "punct", 3, ""),
        ("Lena", "PROPN", "NNP", "compound", 3, "PERSON"), ("Berg", "PROPN", "NNP", "nsubj", 4, "PERSON"),
        ("said", "VERB", "VBD", "ROOT", 4, ""), ("so", "ADV", "RB", "advmod", 4, ""),
        (".", "PUNCT", ".", "punct", 4, ""),
    ])
    assert _span(doc, 3, 4) == "Lena Berg"


def test_leading_even_is_left_out_of_the_speaker() -> None:
    doc = _parsed("Even the mayor said so.", [
        ("Even", "ADV", "RB", "advmod", 2, ""), ("the", "DET", "DT", "det", 2, ""),
        ("mayor", "NOUN", "NN", "nsubj", 3, ""), ("said", "VERB", "VBD", "ROOT", 3, ""),
        ("so", "ADV", "RB", "advmod", 3, ""), (".", "PUNCT", ".", "punct", 3, ""),
    ])
    assert _span(doc, 2, 3) == "the mayor"


def _channel_doc() -> ParsedDoc:
    """'Prices fell, said Berg in her speech.' with the channel phrase hung on the speaker."""
    return _parsed("Prices fell, said Berg in her speech.", [
        ("Prices", "NOUN", "NNS", "nsubj", 1, ""), ("fell", "VERB", "VBD", "ccomp", 3, ""),
        (",", "PUNCT", ",", "punct", 3, ""), ("said", "VERB", "VBD", "ROOT", 3, ""),
        ("Berg", "PROPN", "NNP", "nsubj", 3, "PERSON"), ("in", "ADP", "IN", "prep", 4, ""),
        ("her", "PRON", "PRP$", "poss", 7, ""), ("speech", "NOUN", "NN", "pobj", 5, ""),
        (".", "PUNCT", ".", "punct", 3, ""),
    ])


def test_channel_phrase_after_the_speaker_is_dropped() -> None:
    assert _span(_channel_doc(), 4, 3) == "Berg"


def test_title_the_parser_detached_is_taken_back() -> None:
    # 'Presumptive' read as a verb with 'nominee' its object: the title still goes with the name
    doc = _parsed("Presumptive nominee Lena Berg said so.", [
        ("Presumptive", "VERB", "VB", "advcl", 4, ""), ("nominee", "NOUN", "NN", "dobj", 0, ""),
        ("Lena", "PROPN", "NNP", "compound", 3, "PERSON"), ("Berg", "PROPN", "NNP", "nsubj", 4, "PERSON"),
        ("said", "VERB", "VBD", "ROOT", 4, ""), ("so", "ADV", "RB", "advmod", 4, ""),
        (".", "PUNCT", ".", "punct", 4, ""),
    ])
    assert _span(doc, 3, 4) == "Presumptive nominee Lena Berg"


def test_name_before_a_title_is_taken_back_but_not_an_ordinary_word() -> None:
    # 'Quillco senior adviser Lena Berg': the firm read as a second subject of the cue
    doc = _parsed("Quillco senior adviser Lena Berg said so.", [
        ("Quillco", "PROPN", "NNP", "nsubj", 5, "ORG"), ("senior", "ADJ", "JJ", "amod", 2, ""),
        ("adviser", "NOUN", "NN", "compound", 4, ""), ("Lena", "PROPN", "NNP", "compound", 4, "PERSON"),
        ("Berg", "PROPN", "NNP", "nsubj", 5, "PERSON"), ("said", "VERB", "VBD", "ROOT", 5, ""),
        ("so", "ADV", "RB", "advmod", 5, ""), (".", "PUNCT", ".", "punct", 5, ""),
    ])
    assert _span(doc, 4, 5) == "Quillco senior adviser Lena Berg"
    doc = _parsed("Voters saw adviser Lena Berg say so.", [
        ("Voters", "NOUN", "NNS", "nsubj", 1, ""), ("saw", "VERB", "VBD", "ROOT", 1, ""),
        ("adviser", "NOUN", "NN", "dobj", 1, ""), ("Lena", "PROPN", "NNP", "compound", 4, "PERSON"),
        ("Berg", "PROPN", "NNP", "nsubj", 5, "PERSON"), ("say", "VERB", "VB", "ccomp", 1, ""),
        ("so", "ADV", "RB", "advmod", 5, ""), (".", "PUNCT", ".", "punct", 1, ""),
    ])
    assert _span(doc, 4, 5) == "adviser Lena Berg"


def test_trailing_participle_hung_on_the_reported_clause_is_the_reporters() -> None:
    # ', adding ...' parsed as a clause of 'fail': the plan adds nothing, Berg does
    doc = _parsed("Berg said the plan would fail, adding that costs rose.", [
        ("Berg", "PROPN", "NNP", "nsubj", 1, "PERSON"), ("said", "VERB", "VBD", "ROOT", 1, ""),
        ("the", "DET", "DT", "det", 3, ""), ("plan", "NOUN", "NN", "nsubj", 5, ""),
        ("would", "AUX", "MD", "aux", 5, ""), ("fail", "VERB", "VB", "ccomp", 1, ""),
        (",", "PUNCT", ",", "punct", 5, ""), ("adding", "VERB", "VBG", "advcl", 5, ""),
        ("that", "SCONJ", "IN", "mark", 10, ""), ("costs", "NOUN", "NNS", "nsubj", 10, ""),
        ("rose", "VERB", "VBD", "ccomp", 7, ""), (".", "PUNCT", ".", "punct", 1, ""),
    ])
    assert subject(doc, 7, depth=0) == 0
