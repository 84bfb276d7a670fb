"""Names the model did not tag: agencies in datelines and seats of government, names after roles,
names a 'who' clause follows, recurring surnames, and the place a report was filed from."""

from __future__ import annotations

import re

from newsfuse import defaults
from newsfuse.analyze.names import lexicon as names
from newsfuse.analyze.names import titles
from newsfuse.analyze.names.mentionspans import SLIP_LABELS, SUBJECT_DEPS, Name, who_clause
from newsfuse.analyze.parse import ParsedDoc, Tok

_DATE_TOKEN = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{1,2}/\d{1,2}(/\d{2,4})?$")


def in_dateline(doc: ParsedDoc, start: int, end: int) -> bool:
    """'(MENAFN)' / '(AFP)' near the top of the article: an ALLCAPS code in parentheses."""
    toks = doc.tokens
    if end - start != 1 or toks[start].idx > defaults.DATELINE_CHARS:
        return False
    before = toks[start - 1].text if start > 0 else ""
    after = toks[end].text if end < len(toks) else ""
    return before == "(" and after == ")" and names.is_dateline_code(toks[start].text)


def missed(doc: ParsedDoc, found: list[Name]) -> list[Name]:
    """Agencies in datelines and seats of government ('the Kremlin') the model did not tag."""
    covered = {i for n in found for i in range(n.start, n.end)}
    extra = []
    for tok in doc.tokens:
        if tok.i in covered or not tok.text[:1].isupper():
            continue
        if in_dateline(doc, tok.i, tok.i + 1) or names.is_seat(tok.text) or names.is_agency(tok.text):
            extra.append(Name(tok.i, tok.i + 1, "ORG", names.normalise(tok.text)))
    return extra


def names_after_roles(doc: ParsedDoc, found: list[Name]) -> list[Name]:
    """Capitalised words right after a role the model left untagged: 'Minister of Water Teodor
    Hallen' (the last two words after an 'of' phrase), 'Coach Ana Rusk' (two or three words)."""
    covered = {i for n in found for i in range(n.start, n.end)}
    extra = []
    for tok in doc.tokens:
        if not titles.is_role(tok):
            continue
        i = tok.i + 1
        after_of = i < len(doc.tokens) and doc.tokens[i].text == "of"
        if not tok.text[:1].isupper() and (after_of or tok.tag in ("NNS", "NNPS")):
            continue  # 'spokeswoman Ana Rusk' may be lowercase; 'chief of Staff X' and plurals not
        i += after_of
        run = i
        while run < len(doc.tokens) and run - i < 5 and _capitalised_word(doc.tokens[run]):
            run += 1
        size = run - i
        start = run - 2 if after_of and size >= 3 else (i if not after_of and size in (2, 3) else -1)
        if start < 0:
            continue
        if any(j in covered for j in range(start, run)):
            _widen_surname(doc, found, start, run)  # 'spokeswoman Ana Rusk' with only 'Rusk' tagged
            continue
        extra.append(Name(start, run, "PERSON", names.normalise(doc.span_text(start, run))))
        covered.update(range(start, run))
    return extra


def _widen_surname(doc: ParsedDoc, found: list[Name], start: int, end: int) -> None:
    """The model tagged only the last word of a name after a role: the name runs from ``start``."""
    person_like = SLIP_LABELS | {"PERSON"}
    last = next((n for n in found if n.start == end - 1 and n.end == end and n.label in person_like), None)
    if last is None or any(n.start < end - 1 and n.end > start for n in found):
        return
    last.start, last.text, last.label = start, names.normalise(doc.span_text(start, end)), "PERSON"


def named_by_who(doc: ParsedDoc, found: list[Name]) -> list[Name]:
    """Untagged two- or three-word proper names a 'who' clause follows ('Ana Lind, who founded
    ...'): only people are described with 'who'."""
    covered = {i for n in found for i in range(n.start, n.end)}
    extra = []
    for tok in doc.tokens:
        if tok.i in covered or not _capitalised_word(tok):
            continue
        if not any(who_clause(doc, c) for c in doc.children(tok.i) if c > tok.i):
            continue
        start = tok.i
        while start > 0 and tok.i - start < 2 and _name_part(doc, start - 1, covered):
            start -= 1
        if start < tok.i:
            text = names.normalise(doc.span_text(start, tok.i + 1))
            extra.append(Name(start, tok.i + 1, "PERSON", text, sure=True))
    return extra


def missed_surnames(doc: ParsedDoc, found: list[Name]) -> list[Name]:
    """A surname of a person named in full earlier, left untagged where it recurs as a subject
    ('Telling said ...' after 'Oskar Telling'): the linking step joins it to the full name."""
    covered = {i for n in found for i in range(n.start, n.end)}
    surnames = {n.words[-1]: n.start for n in found if n.label == "PERSON" and len(n.words) >= 2}
    extra = []
    for tok in doc.tokens:
        first_seen = surnames.get(tok.text)
        if first_seen is None or tok.i in covered or tok.i < first_seen or tok.dep not in SUBJECT_DEPS:
            continue
        extra.append(Name(tok.i, tok.i + 1, "PERSON", tok.text))
    return extra


def _name_part(doc: ParsedDoc, i: int, covered: set[int]) -> bool:
    """A capitalised word compounding into the next one: a first name before a surname."""
    tok = doc.tokens[i]
    return tok.dep == "compound" and _capitalised_word(tok) and i not in covered


def _capitalised_word(tok: Tok) -> bool:
    if titles.is_title_word(tok):
        return False
    return tok.pos == "PROPN" and tok.text[:1].isupper() and tok.text.isalpha()


def dateline_places(doc: ParsedDoc, found: list[Name]) -> list[Name]:
    """'WASHINGTON (Reuters) -' / 'BELGRADE 1996-08-30': capitals opening a line before an agency,
    a dash or a date are the place the report was filed from."""
    for start in _line_starts(doc):
        end = start
        while end < len(doc.tokens) and end - start < 3 and names.is_dateline_code(doc.tokens[end].text):
            end += 1
        if end == start or end >= len(doc.tokens) or not _ends_dateline(doc.tokens[end]):
            continue
        text = names.normalise(doc.span_text(start, end))
        if names.is_agency(text) or names.is_calendar(text):
            continue
        found = [n for n in found if n.end <= start or n.start >= end]
        found.append(Name(start, end, "GPE", text))
    return found


def _line_starts(doc: ParsedDoc) -> list[int]:
    toks = doc.tokens
    return [
        t.i for t in toks
        if t.pos != "SPACE" and (t.i == 0 or "\n" in toks[t.i - 1].ws or "\n" in toks[t.i - 1].text)
    ]


def _ends_dateline(tok: Tok) -> bool:
    # a dash alone is no proof: headlines open with 'SOCCER - ...'
    if tok.text == "(" or _DATE_TOKEN.match(tok.text):
        return True
    return tok.ent_type == "DATE" and tok.text.isdigit()
