"""The working records of the mention steps (a name span, a reference span) and the parse-tree
helpers several steps share: a span's root, subjects, main verbs, hyphenated words, noun phrases.

Package-internal: :mod:`newsfuse.analyze.names.mentions` turns these into :class:`~newsfuse.models.Mention`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsfuse import defaults
from newsfuse.analyze.names import lexicon as names
from newsfuse.analyze.parse import ParsedDoc, Tok

# Types the small model gives a person's surname by mistake ("Zelensky" as ORG) when the article
# also names that person in full.
SLIP_LABELS = frozenset(("ORG", "PRODUCT", "NORP", "WORK_OF_ART", "FAC", "EVENT"))
# Dependency labels of a clause subject.
SUBJECT_DEPS = ("nsubj", "nsubjpass")


@dataclass
class Name:
    """A corrected name span (token range ``start:end``) and what is learned about it."""

    start: int
    end: int
    label: str
    text: str  # normalised name as written
    titles: list[str] = field(default_factory=list)
    key: str = ""
    kind: str = "name"
    confidence: float = 1.0
    honorific: bool = False  # "Mr. X": X is a surname
    place_key: str = ""  # "Kursk Region" for "Kursk" followed by "region"
    after_the: bool = False  # written "the X": a thing or body, not a person's surname
    sure: bool = False  # type read from the words around the name, which outvote the model's type

    @property
    def words(self) -> list[str]:
        return self.text.split()


@dataclass
class Ref:
    """A title-only, pronoun or description reference: token range, resolved key, label and titles."""

    start: int
    end: int
    kind: str
    key: str
    label: str
    titles: tuple[str, ...]
    confidence: float


def span_root(doc: ParsedDoc, start: int, end: int) -> Tok:
    """The token of a span whose head lies outside it."""
    for i in range(start, end):
        h = doc.tokens[i].head
        if h < start or h >= end or h == i:
            return doc.tokens[i]
    return doc.tokens[end - 1]


def is_subject(doc: ParsedDoc, start: int, end: int) -> bool:
    root = span_root(doc, start, end)
    if root.dep in SUBJECT_DEPS:
        return True
    # "spokesperson Dmitry Peskov" / "Peskov, the spokesman," hang off a subject noun
    head = doc.tokens[root.head]
    return root.dep in ("compound", "appos") and head.dep in SUBJECT_DEPS


def governs_root(doc: ParsedDoc, start: int, end: int) -> bool:
    root = span_root(doc, start, end)
    verb = doc.tokens[root.head]
    return verb.dep == "ROOT" or verb.head == verb.i


def hyphen_word(doc: ParsedDoc, i: int) -> tuple[int, str]:
    """(first token, casefolded word) of the hyphenated word ending at token ``i``: the tokenizer
    splits 'start-up' into 'start', '-', 'up'."""
    toks = doc.tokens
    j = i
    while j >= 2 and toks[j - 1].text == "-" and not toks[j - 1].ws and not toks[j - 2].ws:
        j -= 2
    return j, doc.span_text(j, i + 1).casefold()


def org_noun_before(doc: ParsedDoc, start: int, plural: bool = False) -> bool:
    """A lowercase organisation noun right before a name, after an article: 'the start-up X'; with
    ``plural``, a plural one ('the invoicing firms X and Y', for a name that opens a list)."""
    noun = doc.tokens[start - 1] if start >= 2 else None
    if noun is None or (noun.tag in ("NNS", "NNPS")) != plural or not noun.text.islower():
        return False
    first, word = hyphen_word(doc, start - 1)
    word = names.singular(word) if plural else word
    return word in names.ORG_NOUNS and article_before(doc, first) is not None


def listed_after_org_noun(doc: ParsedDoc, root: Tok) -> bool:
    """A name in a list the plural organisation noun before its first item types: 'the invoicing
    firms Tallo and Brightledger' (each is a firm, whatever the model guessed)."""
    first = root
    while first.dep == "conj" and first.head < first.i:
        first = doc.tokens[first.head]
    if first.i == root.i and not any(doc.tokens[c].dep == "conj" for c in doc.children(root.i)):
        return False  # no list: 'the firms X' is rare and 'firms' may be the subject before a name
    start = first.i
    while start > 0 and doc.tokens[start - 1].pos == "PROPN" and doc.tokens[start - 1].head == first.i:
        start -= 1
    return org_noun_before(doc, start, plural=True)


def who_clause(doc: ParsedDoc, i: int) -> bool:
    """A relative clause opened by 'who'/'whom' (a person), not 'which'/'that'."""
    if doc.tokens[i].dep != "relcl":
        return False
    return any(doc.tokens[c].text.casefold() in ("who", "whom") for c in doc.children(i) if c < i)


def article_before(doc: ParsedDoc, first: int) -> int | None:
    """Index of 'the' opening the noun phrase whose modifiers end just before token ``first``."""
    sent_start = doc.sent_of(first).start
    j = first - 1
    while j >= sent_start and first - j <= defaults.ORG_REF_MAX_TOKENS:
        tok = doc.tokens[j]
        if tok.text.casefold() == "the":
            return j
        hyphen = tok.text == "-" and not tok.ws
        if not (hyphen or tok.pos in ("ADJ", "NOUN", "PROPN", "NUM", "ADV") or tok.tag in ("VBN", "VBG")):
            return None
        j -= 1
    return None
