"""Step 1 of the mention steps: the model's entities corrected by general rules (trimmed "the",
possessives and punctuation, title words split off person names, types the small model gets wrong on
news fixed, types read from appositions and 'who' clauses), plus the names it missed
(:mod:`newsfuse.analyze.names.missed`).
"""

from __future__ import annotations

from newsfuse.analyze.names import lexicon as names
from newsfuse.analyze.names import titles
from newsfuse.analyze.names.headlines import supported_names
from newsfuse.analyze.names.mentionspans import (
    SLIP_LABELS,
    Name,
    hyphen_word,
    listed_after_org_noun,
    org_noun_before,
    span_root,
    who_clause,
)
from newsfuse.analyze.names.missed import (
    dateline_places,
    in_dateline,
    missed,
    missed_surnames,
    named_by_who,
    names_after_roles,
)
from newsfuse.analyze.parse import ParsedDoc, Tok

# Entity types that can be actors or places in a story; dates, numbers and money are not mentions.
ACTOR_LABELS = frozenset(
    ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE")
)

# Types whose names never end in a number: a trailing number is a score or a count.
_NUMBERLESS = frozenset(("PERSON", "GPE", "LOC", "NORP"))
# Parts of speech of a lone common word the model took for a name ("Attendance", "Extras").
_COMMON_POS = frozenset(("NOUN", "VERB", "ADV", "PRON", "AUX", "ADP", "DET", "CCONJ", "SCONJ", "INTJ"))

# Parts of speech of a sentence's first word that never start a name ('Later', 'After', 'But', 'It').
_OPENER_POS = frozenset(("ADV", "ADP", "SCONJ", "CCONJ", "PRON", "INTJ", "PART"))

# Types an apposition or a 'who' clause may correct: the model's person-or-company-or-place guesses.
_CONTEXT_LABELS = frozenset(("PERSON", "ORG", "GPE", "LOC", "NORP", "PRODUCT", "WORK_OF_ART", "FAC"))


def named_spans(doc: ParsedDoc) -> list[Name]:
    """The model's entities, corrected: trimmed, retyped, split from titles; plus missed agencies
    in datelines and seats of government. Sorted, non-overlapping."""
    found: list[Name] = []
    for start, end, label in _joined_at_hyphens(doc):
        if label not in ACTOR_LABELS:
            continue
        name = _corrected(doc, start, end, label)
        if name is not None:
            found.append(name)
    found += missed(doc, found)
    found += names_after_roles(doc, found)
    found += named_by_who(doc, found)
    found += missed_surnames(doc, found)
    found = dateline_places(doc, found)
    found = supported_names(doc, found)  # 'Daring Diamond Heist' in a title-case headline
    return sorted(found, key=lambda n: n.start)


def _joined_at_hyphens(doc: ParsedDoc) -> list[tuple[int, int, str]]:
    """The model's entities as (start, end, label), two names of one type written around a hyphen
    with no space ('Jean' '-' 'Noel Barrot') joined: spaCy's tokenizer splits hyphenated words, and a
    recogniser may then tag the parts apart."""
    out: list[tuple[int, int, str]] = []
    for ent in doc.ents:
        if out and _hyphen_between(doc, out[-1], ent.start) and out[-1][2] == ent.label:
            out[-1] = (out[-1][0], ent.end, ent.label)
        else:
            out.append((ent.start, ent.end, ent.label))
    return out


def _hyphen_between(doc: ParsedDoc, prev: tuple[int, int, str], start: int) -> bool:
    toks = doc.tokens
    end = prev[1]
    return start == end + 1 and toks[end].text == "-" and not toks[end - 1].ws and not toks[end].ws


def _corrected(doc: ParsedDoc, start: int, end: int, label: str) -> Name | None:
    start, end = _first_line(doc, start, end)
    start, label = _past_phrase(doc, start, end, label)
    start = _past_opener(doc, start, end)
    start, end, honorific = _trim(doc, start, end, label)
    titled: list[str] = []
    if label == "PERSON" and end > start:
        name_start = titles.split_leading_title(doc, start, end)
        if name_start > start:
            titled.append(" ".join(doc.span_text(start, name_start).split()))
            start = name_start
    if end <= start or _title_part(doc, start, end):
        return None
    text = names.normalise(doc.span_text(start, end))
    if not _looks_like_name(text):
        return None
    label = _fixed_label(doc, start, end, text, label)
    after_the = start > 0 and doc.tokens[start - 1].text.casefold() == "the"
    context = _context_label(doc, start, end, text, label, after_the)
    sure = context is not None and context != label
    label = context or label
    # a lone word capitalised only because it opens a sentence ('Attendance', 'Sporting his ...');
    # elsewhere the tagger's common-noun guess on a capitalised word is less sure than the
    # recogniser ('16. Belgium 8.22', '( FARC )'): chosen on held-out CoNLL train documents
    lone_word = (
        end - start == 1 and doc.tokens[start].pos in _COMMON_POS and label != "NORP"
        and _opens_sentence(doc, start)
    )
    if lone_word and not (names.is_agency(text) or names.is_seat(text)):
        return None
    place_key = f"{text} {doc.tokens[end].text.title()}" if _suffix_follows(doc, end) else ""
    return Name(
        start, end, label, text, titled, honorific=honorific, place_key=place_key, after_the=after_the,
        sure=sure,
    )


def _past_phrase(doc: ParsedDoc, start: int, end: int, label: str) -> tuple[int, str]:
    """'People in Brask' tagged as one name: a span opening with a common word (capitalised only as
    the first word of a sentence or quote) and holding a lowercase word that joins no name words
    is a phrase; the name is what follows its last lowercase word (a place after 'in', 'near')."""
    toks = doc.tokens
    if toks[start].pos != "NOUN" or not _opens_sentence(doc, start):
        return start, label
    lower = [i for i in range(start + 1, end)
             if toks[i].text.islower() and toks[i].text not in names.NAME_JOINERS and toks[i].tag != "POS"]
    if not lower:
        return start, label
    cut = lower[-1]
    place = toks[cut].pos == "ADP" and toks[cut].text in ("in", "at", "near", "from", "around", "outside")
    return cut + 1, "GPE" if place and label in SLIP_LABELS else label


def _past_opener(doc: ParsedDoc, start: int, end: int) -> int:
    """'Later Vell said' tagged as one name: a sentence-opening function word (an adverb, a
    preposition, a conjunction, a pronoun: capitalised only because it opens the sentence) is no
    part of the name after it."""
    first = doc.tokens[start]
    if end - start < 2 or first.pos not in _OPENER_POS or not _opens_sentence(doc, start):
        return start
    return start + 1


def _opens_sentence(doc: ParsedDoc, i: int) -> bool:
    """First word of its sentence, or first after an opening quote mark."""
    if i == doc.sent_of(i).start:
        return True
    prev = doc.tokens[i - 1]
    return prev.text in ("\"", "“", "'", "‘") and (i - 1 == doc.sent_of(i).start or "\n" in prev.ws)


def _title_part(doc: ParsedDoc, start: int, end: int) -> bool:
    """'Finance' of 'Finance Minister Oskar Telling' tagged ORG: a title word before a role noun is
    part of the title, not a name."""
    toks = doc.tokens
    return end - start == 1 and end < len(toks) and titles.is_role(toks[end]) and (
        toks[start].text.casefold() in titles.TITLE_MODIFIERS
    )


def _first_line(doc: ParsedDoc, start: int, end: int) -> tuple[int, int]:
    """Cut a span at the first line break inside it: an entity never runs across paragraphs."""
    for i in range(start, end):
        if "\n" in doc.tokens[i].text or (i > start and "\n" in doc.tokens[i - 1].ws):
            return (start, i) if i > start else (start + 1, end)
    return start, end


def _trim(doc: ParsedDoc, start: int, end: int, label: str) -> tuple[int, int, bool]:
    """Drop leading 'the', forms of address and punctuation; trailing possessives, punctuation and
    lowercase descriptors ("Interfax news agency", "the Kursk region"); scores after a person or place
    ("Durham 114")."""
    toks = doc.tokens
    honorific = False
    while start < end and (_is_edge_junk(toks[start]) or toks[start].text.casefold() in names.HONORIFICS):
        honorific = honorific or toks[start].text.casefold() in names.HONORIFICS
        start += 1
    while end > start and (
        _is_edge_junk(toks[end - 1])
        or toks[end - 1].tag == "POS"
        or toks[end - 1].text.islower()
        or (label in _NUMBERLESS and toks[end - 1].pos == "NUM")
        or _trailing_day(doc, start, end)
    ):
        end -= 1
    if start > 0 and toks[start - 1].text.casefold() in names.HONORIFICS:
        honorific = True
    return start, end, honorific


def _trailing_day(doc: ParsedDoc, start: int, end: int) -> bool:
    """'Vancouver Friday' tagged as one place: a weekday after a capitalised name is a date. Named
    days ('Black Friday'), 'Mail on Sunday' and months ('Theresa May') keep their last word."""
    if end - start < 2 or doc.tokens[end - 1].text.casefold() not in names.WEEKDAYS:
        return False
    before = doc.tokens[end - 2].text
    return before[:1].isupper() and before.casefold() not in names.NAMED_DAY_WORDS


def _is_edge_junk(tok: Tok) -> bool:
    return tok.pos in ("PUNCT", "SPACE", "DET") or tok.text.casefold() in ("'s", "’s") or not tok.text.strip()


def _looks_like_name(text: str) -> bool:
    """Names carry a capital or a digit ("G20"); calendar words and lowercase phrases are not names."""
    if not text or names.is_calendar(text):
        return False
    return any(ch.isupper() or ch.isdigit() for ch in text)


def _fixed_label(doc: ParsedDoc, start: int, end: int, text: str, label: str) -> str:
    """Correct the type by general news rules; keep the model's type otherwise."""
    if names.is_agency(text) or names.is_seat(text) or in_dateline(doc, start, end):
        return "ORG"
    if names.is_region(text) or _suffix_follows(doc, end):
        return label if label in ("GPE", "LOC") else "GPE"
    if label in SLIP_LABELS | {"PERSON", "GPE"} and names.is_street(text):
        return "FAC"  # "Avenue Montaigne", "Oxford Street": a street is a place, never a person
    if label in SLIP_LABELS | {"PERSON"} and names.has_org_head(text):
        return "ORG"  # "Tarvan Hydro spokeswoman Ana Rusk": the model took the company for a person
    if label in SLIP_LABELS | {"PERSON"} and names.is_facility(text):
        return "FAC"
    if label in SLIP_LABELS | {"PERSON"} and names.COUNTRY_ALIASES.get(text.casefold()) is not None:
        return "GPE"
    if label in SLIP_LABELS and titles.title_before(doc, start) is not None:
        return "PERSON"  # "President Zelensky" tagged ORG: a role right before a name marks a person
    if label in SLIP_LABELS | {"PERSON", "GPE"} and _feature_follows(doc, start, end):
        return "LOC"  # "the Orlen reservoir": a name modifying a river or reservoir names that place
    if label in ("ORG", "PERSON") and _head_noun_in(doc, start, end, names.PRODUCT_NOUNS):
        return "PRODUCT"  # "ATACMS missiles": a name modifying a weapon names the weapon
    if label == "PERSON" and text.split()[0].casefold() in names.PLACE_PART_WORDS:
        return "GPE"  # "Upper Lisk"
    return label


def _feature_follows(doc: ParsedDoc, start: int, end: int) -> bool:
    return _head_noun_in(doc, start, end, names.FEATURE_NOUNS)


def _head_noun_in(doc: ParsedDoc, start: int, end: int, nouns: frozenset[str]) -> bool:
    """The name modifies the noun right after it, one of ``nouns`` ('the Orlen reservoir')."""
    root = span_root(doc, start, end)
    head = doc.tokens[root.head]
    return root.dep == "compound" and head.i == end and head.text.casefold() in nouns


def _context_label(
    doc: ParsedDoc, start: int, end: int, text: str, label: str, after_the: bool
) -> str | None:
    """The type the words around a name give it, or None: a newspaper's name ('the Herald'), an
    apposition ('X, the company that ...' / 'X, a teacher who ...' / 'the founder, X') or a 'who'
    clause ('X, who founded ...'). These outweigh the small model's guess for person-or-company."""
    if names.is_outlet_name(text, after_the) and (label != "PERSON" or after_the):
        return "ORG"
    if label not in _CONTEXT_LABELS:
        return None
    root = span_root(doc, start, end)
    nouns = [doc.tokens[c] for c in doc.children(root.i) if doc.tokens[c].dep == "appos" and c >= end]
    if root.dep == "appos" and root.head < start:
        nouns.append(doc.tokens[root.head])
    for noun in nouns:
        word = hyphen_word(doc, noun.i)[1]
        if word in names.SETTLEMENT_NOUNS and noun.tag != "NNP":
            return "GPE"  # "the regional capital, Kessel,"
        if word in names.ORG_NOUNS and noun.tag != "NNP":
            return "ORG"
        if titles.is_role(noun) or word in names.PERSON_NOUNS:
            return "PERSON"
    # 'Juventus, who beat ...': news calls teams 'who' too, so the clause does not overrule a
    # recogniser's organisation (chosen on held-out CoNLL train documents)
    if label != "ORG" and any(who_clause(doc, c) for c in doc.children(root.i) if c >= end):
        return "PERSON"
    if org_noun_before(doc, start) or listed_after_org_noun(doc, root):
        return "ORG"  # "the payments start-up Quillpay", "the invoicing firms Tallo and Brightledger"
    owned = doc.tokens[root.head]
    if (
        root.dep in ("poss", "compound") and root.head >= end and owned.dep not in ("compound", "amod")
        and owned.text.casefold() in names.ORG_OWNED_NOUNS
    ):
        return "ORG"  # "X's chief executive", "X shareholders"
    if root.dep == "poss" and root.head >= end and owned.text.casefold() in names.PLACE_OWNED_NOUNS:
        return label if label in ("GPE", "LOC") else "GPE"  # "Dunmere's mayor"
    return None


def _suffix_follows(doc: ParsedDoc, end: int) -> bool:
    """'Kursk region': a proper noun followed by an administrative suffix word ('Russian region' is
    an adjective and stays a nationality)."""
    toks = doc.tokens
    return (
        end < len(toks)
        and toks[end].text.casefold() in names.PLACE_SUFFIXES
        and toks[end - 1].pos == "PROPN"
        and toks[end - 1].ent_type != "NORP"
    )
