"""Mentions of actors in one article: names, partial names, titles and speech-verb pronouns, each
with the key of the actor it belongs to inside the article.

Steps (each a small function below):

1. :func:`_named_spans` takes the model's entities and corrects them by general rules: trims "the",
   possessives and punctuation, splits title words off person names, fixes types the small model
   gets wrong on news (agencies, seats of government, regions, calendar words).
2. :func:`_attach_titles` finds the roles around each person ("French President", ", the Kremlin
   spokesman,").
3. :func:`_link_names` gives every name the key of its actor: surnames and first names join the full
   name the article gives, a titled first name joins an otherwise unknown surname.
4. Title-only references ("the French president") and pronoun subjects ("He stated") are linked to
   the person they most likely mean.
5. Descriptions of organisations ("the company", "the accounting software maker", "the ministry")
   are linked to the organisation named just before whose kind and description fit them.
6. "It said" / "they said" (pronoun subjects of speech verbs) are linked to the organisation named
   just before, preferring the subject of the sentence before (:func:`_org_pronoun_refs`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from newsfuse import defaults
from newsfuse.analyze import gender, names, titles
from newsfuse.analyze.parse import ParsedDoc, Tok
from newsfuse.ids import content_id
from newsfuse.models import Mention

# Entity types that can be actors or places in a story; dates, numbers and money are not mentions.
ACTOR_LABELS = frozenset(
    ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE")
)
# Mention kinds that are names as written (what an NER benchmark scores).
NAME_KINDS = ("name", "partial")
# Types the small model gives a person's surname by mistake ("Zelensky" as ORG) when the article
# also names that person in full.
_SLIP_LABELS = frozenset(("ORG", "PRODUCT", "NORP", "WORK_OF_ART", "FAC", "EVENT"))
# Verbs whose pronoun subject most likely starts or ends a quote ("he said", "she added").
SPEECH_VERBS = frozenset(
    (
        "say", "state", "add", "tell", "note", "warn", "claim", "insist", "argue", "explain",
        "announce", "declare", "write", "comment", "stress", "emphasize", "emphasise", "suggest",
        "reply", "respond", "ask", "acknowledge", "admit", "deny", "confirm", "indicate", "mention",
        "describe", "call", "urge", "predict", "promise", "vow", "pledge", "decline", "remark",
        "continue", "conclude", "recall", "point", "express", "praise", "criticize", "criticise",
    )
)
# Types whose names never end in a number: a trailing number is a score or a count.
_NUMBERLESS = frozenset(("PERSON", "GPE", "LOC", "NORP"))
# Parts of speech of a lone common word the model took for a name ("Attendance", "Extras").
_COMMON_POS = frozenset(("NOUN", "VERB", "ADV", "PRON", "AUX", "ADP", "DET", "CCONJ", "SCONJ", "INTJ"))
_PRONOUNS = {"he": "m", "she": "f"}
# Types an apposition or a 'who' clause may correct: the model's person-or-company-or-place guesses.
_CONTEXT_LABELS = frozenset(("PERSON", "ORG", "GPE", "LOC", "NORP", "PRODUCT", "WORK_OF_ART", "FAC"))
_DATE_TOKEN = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{1,2}/\d{1,2}(/\d{2,4})?$")
_SUBJECT_DEPS = ("nsubj", "nsubjpass")


@dataclass
class _Name:
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
class _Ref:
    """A title-only or pronoun reference: token range, resolved key, label and titles."""

    start: int
    end: int
    kind: str
    key: str
    label: str
    titles: tuple[str, ...]
    confidence: float


# ---------------------------------------------------------------------------------------------
# public
# ---------------------------------------------------------------------------------------------


def find_mentions(doc: ParsedDoc, article_id: str) -> list[Mention]:
    """Every mention of an actor in the article, sorted by start offset."""
    found = _named_spans(doc)
    _attach_titles(doc, found)
    _link_names(found)
    _unify_labels(found)
    refs = _title_refs(doc, found)
    refs += _pronoun_refs(doc, found, refs)
    refs += _description_refs(doc, found, refs)
    refs += _org_pronoun_refs(doc, found, refs)
    mentions = [_name_mention(doc, article_id, n) for n in found]
    mentions += [_ref_mention(doc, article_id, r) for r in refs]
    return sorted(mentions, key=lambda m: (m.start, m.end))


def _named_spans(doc: ParsedDoc) -> list[_Name]:
    """The model's entities, corrected: trimmed, retyped, split from titles; plus missed agencies
    in datelines and seats of government. Sorted, non-overlapping."""
    found: list[_Name] = []
    for ent in doc.ents:
        if ent.label not in ACTOR_LABELS:
            continue
        name = _corrected(doc, ent.start, ent.end, ent.label)
        if name is not None:
            found.append(name)
    found += _missed(doc, found)
    found += _names_after_roles(doc, found)
    found += _named_by_who(doc, found)
    found += _missed_surnames(doc, found)
    found = _dateline_places(doc, found)
    return sorted(found, key=lambda n: n.start)


# ---------------------------------------------------------------------------------------------
# 1. correcting the model's entities
# ---------------------------------------------------------------------------------------------


def _corrected(doc: ParsedDoc, start: int, end: int, label: str) -> _Name | None:
    start, end = _first_line(doc, start, end)
    start, end, honorific = _trim(doc, start, end, label)
    titled: list[str] = []
    if label == "PERSON" and end > start:
        name_start = titles.split_leading_title(doc, start, end)
        if name_start > start:
            titled.append(" ".join(doc.span_text(start, name_start).split()))
            start = name_start
    if end <= start:
        return None
    text = names.normalise(doc.span_text(start, end))
    if not _looks_like_name(text):
        return None
    label = _fixed_label(doc, start, end, text, label)
    after_the = start > 0 and doc.tokens[start - 1].text.casefold() == "the"
    context = _context_label(doc, start, end, text, label, after_the)
    sure = context is not None and context != label
    label = context or label
    lone_word = end - start == 1 and doc.tokens[start].pos in _COMMON_POS and label != "NORP"
    if lone_word and not (names.is_agency(text) or names.is_seat(text)):
        return None
    place_key = f"{text} {doc.tokens[end].text.title()}" if _suffix_follows(doc, end) else ""
    return _Name(
        start, end, label, text, titled, honorific=honorific, place_key=place_key, after_the=after_the,
        sure=sure,
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
    if names.is_agency(text) or names.is_seat(text) or _in_dateline(doc, start, end):
        return "ORG"
    if names.is_region(text) or _suffix_follows(doc, end):
        return label if label in ("GPE", "LOC") else "GPE"
    if label in _SLIP_LABELS | {"PERSON"} and names.has_org_head(text):
        return "ORG"  # "Tarvan Hydro spokeswoman Ana Rusk": the model took the company for a person
    if label in _SLIP_LABELS | {"PERSON"} and names.is_facility(text):
        return "FAC"
    if label in _SLIP_LABELS | {"PERSON"} and names.COUNTRY_ALIASES.get(text.casefold()) is not None:
        return "GPE"
    if label in _SLIP_LABELS and titles.title_before(doc, start) is not None:
        return "PERSON"  # "President Zelensky" tagged ORG: a role right before a name marks a person
    return label


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
    root = _span_root(doc, start, end)
    nouns = [doc.tokens[c] for c in doc.children(root.i) if doc.tokens[c].dep == "appos" and c >= end]
    if root.dep == "appos" and root.head < start:
        nouns.append(doc.tokens[root.head])
    for noun in nouns:
        word = _hyphen_word(doc, noun.i)[1]
        if word in names.ORG_NOUNS and noun.tag != "NNP":
            return "ORG"
        if titles.is_role(noun) or word in names.PERSON_NOUNS:
            return "PERSON"
    if any(_who_clause(doc, c) for c in doc.children(root.i) if c >= end):
        return "PERSON"
    if _org_noun_before(doc, start):
        return "ORG"  # "the payments start-up Quillpay", "the invoicing firm Tallo"
    owned = doc.tokens[root.head]
    if (
        root.dep in ("poss", "compound") and root.head >= end and owned.dep not in ("compound", "amod")
        and owned.text.casefold() in names.ORG_OWNED_NOUNS
    ):
        return "ORG"  # "X's chief executive", "X shareholders"
    return None


def _hyphen_word(doc: ParsedDoc, i: int) -> tuple[int, str]:
    """(first token, casefolded word) of the hyphenated word ending at token ``i``: the tokenizer
    splits 'start-up' into 'start', '-', 'up'."""
    toks = doc.tokens
    j = i
    while j >= 2 and toks[j - 1].text == "-" and not toks[j - 1].ws and not toks[j - 2].ws:
        j -= 2
    return j, doc.span_text(j, i + 1).casefold()


def _org_noun_before(doc: ParsedDoc, start: int) -> bool:
    """A lowercase organisation noun right before a name, after an article: 'the start-up X'."""
    if start < 2 or doc.tokens[start - 1].tag in ("NNS", "NNPS") or not doc.tokens[start - 1].text.islower():
        return False
    first, word = _hyphen_word(doc, start - 1)
    return word in names.ORG_NOUNS and _article_before(doc, first) is not None


def _who_clause(doc: ParsedDoc, i: int) -> bool:
    """A relative clause opened by 'who'/'whom' (a person), not 'which'/'that'."""
    if doc.tokens[i].dep != "relcl":
        return False
    return any(doc.tokens[c].text.casefold() in ("who", "whom") for c in doc.children(i) if c < i)


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


def _in_dateline(doc: ParsedDoc, start: int, end: int) -> bool:
    """'(MENAFN)' / '(AFP)' near the top of the article: an ALLCAPS code in parentheses."""
    toks = doc.tokens
    if end - start != 1 or toks[start].idx > defaults.DATELINE_CHARS:
        return False
    before = toks[start - 1].text if start > 0 else ""
    after = toks[end].text if end < len(toks) else ""
    return before == "(" and after == ")" and names.is_dateline_code(toks[start].text)


def _missed(doc: ParsedDoc, found: list[_Name]) -> list[_Name]:
    """Agencies in datelines and seats of government ('the Kremlin') the model did not tag."""
    covered = {i for n in found for i in range(n.start, n.end)}
    extra = []
    for tok in doc.tokens:
        if tok.i in covered or not tok.text[:1].isupper():
            continue
        if _in_dateline(doc, tok.i, tok.i + 1) or names.is_seat(tok.text) or names.is_agency(tok.text):
            extra.append(_Name(tok.i, tok.i + 1, "ORG", names.normalise(tok.text)))
    return extra


def _names_after_roles(doc: ParsedDoc, found: list[_Name]) -> list[_Name]:
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
        extra.append(_Name(start, run, "PERSON", names.normalise(doc.span_text(start, run))))
        covered.update(range(start, run))
    return extra


def _widen_surname(doc: ParsedDoc, found: list[_Name], start: int, end: int) -> None:
    """The model tagged only the last word of a name after a role: the name runs from ``start``."""
    person_like = _SLIP_LABELS | {"PERSON"}
    last = next((n for n in found if n.start == end - 1 and n.end == end and n.label in person_like), None)
    if last is None or any(n.start < end - 1 and n.end > start for n in found):
        return
    last.start, last.text, last.label = start, names.normalise(doc.span_text(start, end)), "PERSON"


def _named_by_who(doc: ParsedDoc, found: list[_Name]) -> list[_Name]:
    """Untagged two- or three-word proper names a 'who' clause follows ('Ana Lind, who founded
    ...'): only people are described with 'who'."""
    covered = {i for n in found for i in range(n.start, n.end)}
    extra = []
    for tok in doc.tokens:
        if tok.i in covered or not _capitalised_word(tok):
            continue
        if not any(_who_clause(doc, c) for c in doc.children(tok.i) if c > tok.i):
            continue
        start = tok.i
        while start > 0 and tok.i - start < 2 and _name_part(doc, start - 1, covered):
            start -= 1
        if start < tok.i:
            text = names.normalise(doc.span_text(start, tok.i + 1))
            extra.append(_Name(start, tok.i + 1, "PERSON", text, sure=True))
    return extra


def _missed_surnames(doc: ParsedDoc, found: list[_Name]) -> list[_Name]:
    """A surname of a person named in full earlier, left untagged where it recurs as a subject
    ('Telling said ...' after 'Oskar Telling'): the linking step joins it to the full name."""
    covered = {i for n in found for i in range(n.start, n.end)}
    surnames = {n.words[-1]: n.start for n in found if n.label == "PERSON" and len(n.words) >= 2}
    extra = []
    for tok in doc.tokens:
        first_seen = surnames.get(tok.text)
        if first_seen is None or tok.i in covered or tok.i < first_seen or tok.dep not in _SUBJECT_DEPS:
            continue
        extra.append(_Name(tok.i, tok.i + 1, "PERSON", tok.text))
    return extra


def _name_part(doc: ParsedDoc, i: int, covered: set[int]) -> bool:
    """A capitalised word compounding into the next one: a first name before a surname."""
    tok = doc.tokens[i]
    return tok.dep == "compound" and _capitalised_word(tok) and i not in covered


def _capitalised_word(tok: Tok) -> bool:
    if titles.is_title_word(tok):
        return False
    return tok.pos == "PROPN" and tok.text[:1].isupper() and tok.text.isalpha()


def _dateline_places(doc: ParsedDoc, found: list[_Name]) -> list[_Name]:
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
        found.append(_Name(start, end, "GPE", text))
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


# ---------------------------------------------------------------------------------------------
# 2. titles
# ---------------------------------------------------------------------------------------------


def _attach_titles(doc: ParsedDoc, found: list[_Name]) -> None:
    """Roles before a person's name (pre-modifiers) and after it (appositions)."""
    for n in found:
        if n.label != "PERSON":
            continue
        before = titles.title_before(doc, n.start)
        if before is not None and not n.titles:
            n.titles.append(titles.title_text(doc, before))
        elif before is not None:
            n.titles[0] = titles.title_text(doc, before) + " " + n.titles[0]
        after = titles.title_after(doc, n.end)
        if after is not None:
            n.titles.append(titles.title_text(doc, after))


def _role_words(title_list: list[str] | tuple[str, ...]) -> set[str]:
    return {w.casefold() for t in title_list for w in t.split()}


# ---------------------------------------------------------------------------------------------
# 3. linking names inside the article
# ---------------------------------------------------------------------------------------------


def _link_names(found: list[_Name]) -> None:
    for n in found:
        n.key = _own_key(n)
    fulls = [n for n in found if n.label == "PERSON" and len(n.words) >= 2]
    for n in found:
        full = _full_name_for(n, fulls)
        if full is not None:
            n.key, n.kind, n.confidence = full.key, "partial", defaults.CONF_PARTIAL_NAME
            n.label = "PERSON"
    _join_first_and_surname(found)
    _link_acronyms(found)


def _link_acronyms(found: list[_Name]) -> None:
    """'NATO' after 'North Atlantic Treaty Organization': an ALLCAPS name spelling the initials of a
    longer name of the same type in the article takes its key."""
    longs = {names.initials(n.words): n for n in found if len(n.words) >= 2 and n.kind == "name"}
    for n in found:
        full = longs.get(n.text) if n.kind == "name" and names.is_dateline_code(n.text) else None
        if full is not None and full.label == n.label and len(n.text) >= 2:
            n.key, n.kind, n.confidence = full.key, "partial", defaults.CONF_PARTIAL_NAME


def _own_key(n: _Name) -> str:
    """A name's key before linking; place names followed by a suffix word take it ('Kursk Region')."""
    return n.place_key or n.text


def _full_name_for(n: _Name, fulls: list[_Name]) -> _Name | None:
    """The longer name in the article this one is part of: surname, first name, or first+last."""
    words = [w.casefold() for w in n.words]
    best: _Name | None = None
    best_rank: tuple[int, int, int] | None = None
    for f in fulls:
        fw = [w.casefold() for w in f.words]
        if f is n or len(fw) <= len(words) or not _may_be_person(n, f):
            continue
        surname = words[-1] == fw[-1] and (len(words) == 1 or words[0] == fw[0])
        # a lone first word: a first name, or a family name written first ("Wang" of "Wang Donghai")
        first = len(words) == 1 and words[0] == fw[0] and not n.honorific and n.label in ("PERSON", "ORG")
        if not (surname or first):
            continue
        # Prefer a surname match, then the nearest full name before, then the nearest after.
        rank = (1 if surname else 0, 1 if f.start < n.start else 0, -abs(n.start - f.start))
        if best_rank is None or rank > best_rank:
            best, best_rank = f, rank
    return best


def _may_be_person(n: _Name, full: _Name) -> bool:
    """Can ``n`` be part of the person ``full``? Persons yes; a type the model often gives surnames
    ("Zelensky" as ORG) yes; a place only after the person was named ("Lebed" after "Alexander
    Lebed"), because a place named before is more likely the place itself."""
    if n.label == "PERSON" or n.label in _SLIP_LABELS:
        return True
    place = n.label in ("GPE", "LOC") and n.text.casefold() not in names.COUNTRY_ALIASES
    return place and full.start < n.start


def _join_first_and_surname(found: list[_Name]) -> None:
    """'French President Emmanuel' ... 'Macron': a titled lone first name and a surname the article
    never completes are one person when they pair up one-to-one in reading order."""
    singles = [n for n in found if n.label == "PERSON" and n.kind == "name" and len(n.words) == 1]
    counts = Counter(n.key.casefold() for n in singles)
    intros = [n for n in singles if n.titles and counts[n.key.casefold()] == 1 and not n.honorific]
    intro_keys = {n.key.casefold() for n in intros}
    other_types = {n.text.casefold() for n in found if n.label != "PERSON"}
    orphan_first: dict[str, _Name] = {}
    for n in singles:
        k = n.key.casefold()
        # 'The Tarva' (a river) or a word also tagged as a place is no one's surname
        if k in intro_keys or n.titles or k in orphan_first or k in other_types or n.after_the:
            continue
        orphan_first[k] = n
    orphans = sorted(orphan_first.values(), key=lambda n: n.start)
    if not intros or len(intros) != len(orphans):
        return
    pairs = list(zip(intros, orphans, strict=True))
    if any(o.start < i.start for i, o in pairs):
        return
    for intro, orphan in pairs:
        key, surname = f"{intro.text} {orphan.text}", orphan.key.casefold()
        for n in singles:
            if n is intro or n.key.casefold() == surname:
                n.key, n.kind, n.confidence = key, "partial", defaults.CONF_JOINED_NAME


def _unify_labels(found: list[_Name]) -> None:
    """One actor, one type: mentions of a key take the type most of them have (first one on ties)."""
    by_key: dict[str, list[_Name]] = {}
    for n in found:
        by_key.setdefault(n.key, []).append(n)
    for group in by_key.values():
        sure = [n.label for n in group if n.sure]
        if sure:  # a label read from context ('X, the company that') beats the model's votes
            for n in group:
                n.label = Counter(sure).most_common(1)[0][0]
            continue
        votes = Counter(n.label for n in group)
        best = max(votes.items(), key=lambda kv: (kv[1], -_first_index(group, kv[0])))[0]
        for n in group:
            n.label = best


def _first_index(group: list[_Name], label: str) -> int:
    return next(i for i, n in enumerate(group) if n.label == label)


# ---------------------------------------------------------------------------------------------
# 4. title-only and pronoun references
# ---------------------------------------------------------------------------------------------


def _title_refs(doc: ParsedDoc, found: list[_Name]) -> list[_Ref]:
    """'the French president' -> the person in the article holding that title."""
    covered = {i for n in found for i in range(n.start, n.end)}
    refs = []
    for tok in doc.tokens:
        if tok.i in covered:
            continue
        span = titles.title_only(doc, tok.i)
        if span is None or any(i in covered for i in range(span.start, span.end)):
            continue
        refs.append(_resolve_title(doc, span, found))
    return refs


def _resolve_title(doc: ParsedDoc, span: titles.TitleSpan, found: list[_Name]) -> _Ref:
    text = titles.title_text(doc, span)
    bare = names.normalise(text)
    head = doc.tokens[span.head].text.casefold()
    wanted = _role_words([bare]) - {head}
    appositive = _name_after_comma(doc, span.end, found)
    if appositive is not None:  # "The interior minister, Mirela Kostan, said"
        appositive.titles.append(bare)
        key = appositive.key
        return _Ref(span.start, span.end, "title", key, "PERSON", (bare,), defaults.CONF_TITLE_LINK)
    best: _Name | None = None
    best_rank: tuple[int, int, int] | None = None
    for n in found:
        roles = _role_words(n.titles)
        if n.label != "PERSON" or head not in roles:
            continue
        rank = (len(wanted & roles), 1 if n.start < span.start else 0, -abs(n.start - span.start))
        if best_rank is None or rank > best_rank:
            best, best_rank = n, rank
    if best is None:
        return _Ref(span.start, span.end, "title", bare, "PERSON", (bare,), defaults.CONF_TITLE_ALONE)
    return _Ref(span.start, span.end, "title", best.key, "PERSON", (bare,), defaults.CONF_TITLE_LINK)


def _name_after_comma(doc: ParsedDoc, end: int, found: list[_Name]) -> _Name | None:
    if end >= len(doc.tokens) or doc.tokens[end].text != ",":
        return None
    return next((n for n in found if n.start == end + 1 and n.label == "PERSON"), None)


def _pronoun_refs(doc: ParsedDoc, found: list[_Name], title_refs: list[_Ref]) -> list[_Ref]:
    """'He stated' -> the person who was last the subject of a clause before it."""
    people = [(n.start, n.end, n.key, n.titles) for n in found if n.label == "PERSON"]
    people += [(r.start, r.end, r.key, list(r.titles)) for r in title_refs]
    people.sort()
    refs: list[_Ref] = []
    # what the article says of each person's gender (Mr/Ms, 'chairwoman', first name); pronouns
    # linked below add to it for people it says nothing about
    persons = [gender.Person(start, end, key, tuple(t)) for start, end, key, t in people]
    known: dict[str, str] = dict(gender.article_genders(doc, persons))
    for tok in doc.tokens:
        g = _PRONOUNS.get(tok.text.casefold())
        if g is None or tok.dep not in _SUBJECT_DEPS:
            continue
        key, titles_of = _antecedent(doc, tok, people, known, g)
        if key is None:
            continue
        known.setdefault(key, g)
        speech = _opens_speech(doc, tok)
        conf = defaults.CONF_PRONOUN_SPEECH if speech else defaults.CONF_PRONOUN_OTHER
        refs.append(_Ref(tok.i, tok.i + 1, "pronoun", key, "PERSON", tuple(titles_of), conf))
        people.append((tok.i, tok.i + 1, key, list(titles_of)))
        people.sort()
    return refs


def _opens_speech(doc: ParsedDoc, tok: Tok) -> bool:
    """'he said', 'She stated', 'he declined to comment'."""
    head = doc.tokens[tok.head]
    if head.lemma.casefold() in SPEECH_VERBS:
        return True
    return any(doc.tokens[c].lemma.casefold() in SPEECH_VERBS for c in doc.children(head.i))


def _antecedent(
    doc: ParsedDoc,
    pron: Tok,
    people: list[tuple[int, int, str, list[str]]],
    gender: dict[str, str],
    g: str,
) -> tuple[str | None, list[str]]:
    """Search the pronoun's sentence, then earlier ones, for the person it refers to: a subject
    first (of the main verb in earlier sentences), else the nearest person before it."""
    here = pron.sent
    earliest = max(0, here - defaults.PRONOUN_LOOKBACK_SENTENCES)
    for s in range(here, earliest - 1, -1):
        cands = [
            p for p in people
            if doc.tokens[p[0]].sent == s and p[1] <= pron.i and gender.get(p[2], g) == g
        ]
        if not cands:
            continue
        subjects = [p for p in cands if _is_subject(doc, p[0], p[1])]
        if s == here:
            pick = (subjects or cands)[-1]
        else:
            main = [p for p in subjects if _governs_root(doc, p[0], p[1])]
            pick = (main or subjects or cands[-1:])[0]
        return pick[2], pick[3]
    return None, []


def _span_root(doc: ParsedDoc, start: int, end: int) -> Tok:
    """The token of a span whose head lies outside it."""
    for i in range(start, end):
        h = doc.tokens[i].head
        if h < start or h >= end or h == i:
            return doc.tokens[i]
    return doc.tokens[end - 1]


def _is_subject(doc: ParsedDoc, start: int, end: int) -> bool:
    root = _span_root(doc, start, end)
    if root.dep in _SUBJECT_DEPS:
        return True
    # "spokesperson Dmitry Peskov" / "Peskov, the spokesman," hang off a subject noun
    head = doc.tokens[root.head]
    return root.dep in ("compound", "appos") and head.dep in _SUBJECT_DEPS


def _governs_root(doc: ParsedDoc, start: int, end: int) -> bool:
    root = _span_root(doc, start, end)
    verb = doc.tokens[root.head]
    return verb.dep == "ROOT" or verb.head == verb.i


# ---------------------------------------------------------------------------------------------
# 5. descriptions of organisations
# ---------------------------------------------------------------------------------------------


@dataclass
class _Body:
    """One organisation of the article as a referent for descriptions: where it is mentioned, its
    kind ('business', 'public', 'civic', 'any' or '' unknown) and the words of its name and of what
    the article calls it ('Solvik Systems, the Brenna-based maker of accounting software')."""

    key: str
    kind: str = ""
    words: set[str] = field(default_factory=set)
    starts: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class _Description:
    """'the accounting software maker': tokens ``start:end``, its organisation noun and its words."""

    start: int
    end: int
    noun: str
    words: frozenset[str]
    modified: bool  # words between 'the' and the noun ('the national grid operator')


def _description_refs(doc: ParsedDoc, found: list[_Name], taken: list[_Ref]) -> list[_Ref]:
    """'the company said' -> the organisation the description most likely stands for; left out
    when none fits or two fit equally well."""
    bodies = _bodies(doc, found)
    covered = {i for n in found for i in range(n.start, n.end)}
    covered |= {i for r in taken for i in range(r.start, r.end)}
    paragraphs = _paragraphs(doc)
    refs = []
    for tok in doc.tokens:
        desc = _description_at(doc, tok.i, covered)
        body = _described_body(doc, desc, bodies, paragraphs) if desc is not None else None
        if desc is None or body is None:
            continue
        body.starts.append(desc.start)  # a later "the company" may lean on this one
        body.words |= desc.words
        conf = defaults.CONF_DESCRIPTION_LINK
        refs.append(_Ref(desc.start, desc.end, "description", body.key, "ORG", (), conf))
    return refs


def _bodies(doc: ParsedDoc, found: list[_Name]) -> dict[str, _Body]:
    bodies: dict[str, _Body] = {}
    for n in found:
        if n.label != "ORG":
            continue
        body = bodies.setdefault(n.key, _Body(n.key))
        body.starts.append(n.start)
        body.words |= {w.casefold() for w in n.words}
        noun, words = _said_of(doc, n)
        body.words |= words
        body.kind = body.kind or names.ORG_NOUN_KINDS.get(noun, "") or names.org_kind(n.text, n.after_the)
    return bodies


def _said_of(doc: ParsedDoc, n: _Name) -> tuple[str, set[str]]:
    """What the article calls a name where it names it: the organisation noun and the words of an
    apposition (', the Brenna-based maker of accounting software,') or of a description right
    before it ('the payments start-up Quillpay')."""
    if _org_noun_before(doc, n.start):
        first, noun = _hyphen_word(doc, n.start - 1)
        det = _article_before(doc, first)
        return noun, _content_words(doc, (det if det is not None else first) + 1, n.start)
    root = _span_root(doc, n.start, n.end)
    for c in doc.children(root.i):
        if doc.tokens[c].dep != "appos" or c < n.end:
            continue
        noun = _hyphen_word(doc, c)[1]
        if noun in names.ORG_NOUN_KINDS:
            return noun, _content_words(doc, n.end, _apposition_end(doc, n.end + 1))
    return "", set()


def _apposition_end(doc: ParsedDoc, i: int) -> int:
    """One past the last token of an apposition starting at ``i`` (it ends at a comma or stop)."""
    stop = doc.sent_of(i).end if i < len(doc.tokens) else i
    while i < stop and doc.tokens[i].text not in (",", ";", ":", ".", "(", ")", "—", "–"):
        i += 1
    return i


def _content_words(doc: ParsedDoc, start: int, end: int) -> set[str]:
    """Lemmas of the nouns, adjectives and names in ``start:end``, and its hyphenated words whole."""
    toks = doc.tokens[start:end]
    words = {t.lemma.casefold() for t in toks if t.pos in ("NOUN", "ADJ", "PROPN", "VERB")}
    words |= {_hyphen_word(doc, t.i)[1] for t in toks if t.i >= 2 and doc.tokens[t.i - 1].text == "-"}
    return words


def _description_at(doc: ParsedDoc, i: int, covered: set[int]) -> _Description | None:
    """'the (modifiers) NOUN' ending at token ``i`` with an organisation noun and no name after it
    ('the company Solvik' is a name with a description of its own)."""
    tok = doc.tokens[i]
    if i in covered or tok.tag in ("NNS", "NNPS") or tok.dep == "compound":
        return None
    first, noun = _hyphen_word(doc, i)
    if noun not in names.ORG_NOUN_KINDS or _name_follows(doc, i + 1, covered):
        return None
    det = _article_before(doc, first)
    if det is None or any(j in covered for j in range(det, first)):
        return None
    if any(doc.tokens[j].text.casefold() in names.NEW_ORG_MODIFIERS for j in range(det + 1, first)):
        return None  # 'the combined company' is not one named before
    words = frozenset(_content_words(doc, det + 1, i + 1) | {noun})
    return _Description(det, i + 1, noun, words, modified=first > det + 1)


def _name_follows(doc: ParsedDoc, j: int, covered: set[int]) -> bool:
    if j >= len(doc.tokens):
        return False
    nxt = doc.tokens[j]
    return j in covered or nxt.pos in ("PROPN", "NOUN", "NUM") or (nxt.text == "-" and not nxt.ws)


def _article_before(doc: ParsedDoc, first: int) -> int | None:
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


def _paragraphs(doc: ParsedDoc) -> list[int]:
    """Paragraph number of each token (a line break ends a paragraph)."""
    out, n = [], 0
    for tok in doc.tokens:
        out.append(n)
        n += "\n" in tok.text or "\n" in tok.ws
    return out


def _described_body(
    doc: ParsedDoc, desc: _Description, bodies: dict[str, _Body], paragraphs: list[int]
) -> _Body | None:
    """The organisation mentioned before the description (same paragraph or a few sentences back,
    anywhere before if its name holds the noun: 'the authority') of a fitting kind, sharing the most
    words with it, then mentioned in the nearest sentence."""
    kind = names.ORG_NOUN_KINDS[desc.noun]
    here = doc.tokens[desc.start].sent
    scored: list[tuple[int, int, _Body]] = []
    for body in bodies.values():
        last = max((s for s in body.starts if s < desc.start), default=None)
        if last is None or not names.kinds_fit(kind, body.kind):
            continue
        fit = len(desc.words & body.words)
        if (desc.noun in names.STRICT_ORG_NOUNS and desc.noun not in body.words) or (
            desc.modified and not fit and not body.kind
        ):
            continue  # a described body says what it is; a bare name ('Kessel') may be a place
        gap = here - doc.tokens[last].sent
        near = gap <= defaults.ORG_REF_LOOKBACK_SENTENCES or paragraphs[last] == paragraphs[desc.start]
        if near or desc.noun in body.words:
            scored.append((fit, -gap, body))
    if not scored:
        return None
    best = max(s[:2] for s in scored)
    fitting = [s[2] for s in scored if s[:2] == best]
    return fitting[0] if len(fitting) == 1 else None  # two bodies fit equally: ambiguous


# ---------------------------------------------------------------------------------------------
# 6. 'it said': organisations as pronoun subjects of speech verbs
# ---------------------------------------------------------------------------------------------

# Speech verbs that also describe prices, weather and time ('it declined 2 percent', 'it continued
# to rain'): they open speech only with a speech verb as complement ('it declined to comment').
_SPEECH_WITH_COMPLEMENT = frozenset(("continue", "decline"))
# Pronouns that may stand for an organisation that speaks. 'They' is taken only for the subject of
# the sentence before with no people named in between: it more often means people.
_ORG_PRONOUNS = {"it": False, "they": True}


@dataclass(frozen=True)
class _Speaker:
    """An organisation mention that an 'it' may stand for: tokens ``start:end``, key, and whether
    it is a newspaper, broadcaster or wire (the outlet reporting, rarely the one an 'it' means)."""

    start: int
    end: int
    key: str
    outlet: bool


def _org_pronoun_refs(doc: ParsedDoc, found: list[_Name], refs: list[_Ref]) -> list[_Ref]:
    """'It said sales had doubled' -> the organisation named just before, preferring the subject of
    the sentence before; left out when two organisations fit equally or none can speak."""
    bodies = _speaking_bodies(found, refs)
    out = []
    for tok in doc.tokens:
        plural = _ORG_PRONOUNS.get(tok.text.casefold())
        if plural is None or tok.dep != "nsubj" or not _org_speaks(doc, tok):
            continue
        key = _org_antecedent(doc, tok, bodies, plural)
        if key is not None:
            conf = defaults.CONF_PRONOUN_ORG_PLURAL if plural else defaults.CONF_PRONOUN_ORG
            out.append(_Ref(tok.i, tok.i + 1, "pronoun", key, "ORG", (), conf))
    return out


def _speaking_bodies(found: list[_Name], refs: list[_Ref]) -> list[_Speaker]:
    """Organisations named or described in the article, and government bodies typed as places
    ('Government of Marovia'); products, places and peoples never speak."""
    out = [
        _Speaker(n.start, n.end, n.key, _is_outlet(n))
        for n in found
        if n.label == "ORG" or (n.label == "GPE" and names.org_kind(n.text) == "public")
    ]
    out += [_Speaker(r.start, r.end, r.key, False) for r in refs if r.kind == "description"]
    return sorted(out, key=lambda b: b.start)


def _is_outlet(n: _Name) -> bool:
    return names.is_agency(n.text) or names.org_kind(n.text, n.after_the) == "press"


def _org_speaks(doc: ParsedDoc, tok: Tok) -> bool:
    """'it said', 'it told Reuters', 'it declined to comment'; not 'it is raining', 'it was unclear
    whether', 'it declined 2 percent'."""
    head = doc.tokens[tok.head]
    lemma = head.lemma.casefold()
    if lemma in SPEECH_VERBS and lemma not in _SPEECH_WITH_COMPLEMENT:
        return True
    kids = [doc.tokens[c] for c in doc.children(head.i)]
    return any(k.dep == "xcomp" and k.lemma.casefold() in SPEECH_VERBS for k in kids)


def _org_antecedent(doc: ParsedDoc, pron: Tok, bodies: list[_Speaker], plural: bool) -> str | None:
    """Search the pronoun's sentence, then earlier ones, for the organisation it stands for: the
    subject (of the main verb in earlier sentences), else the only organisation of the nearest
    sentence holding one. Two organisations and no subject: ambiguous, None."""
    here = pron.sent
    lookback = 1 if plural else defaults.ORG_REF_LOOKBACK_SENTENCES
    for s in range(here, max(0, here - lookback) - 1, -1):
        in_sent = [b for b in bodies if doc.tokens[b.start].sent == s and b.end <= pron.i]
        subjects = [b for b in in_sent if _is_subject(doc, b.start, b.end)]
        # the outlet is meant only when it was the subject just before ('The Herald reported ... It
        # said'), not when it only tagged a report ('Orbis cut jobs, the Herald reported. It said')
        cands = [
            b for b in in_sent
            if not b.outlet or (s == here - 1 and b in subjects and not _tags_report(doc, b))
        ]
        if not cands:
            continue
        pick = _pick_body(doc, s == here, cands, [b for b in subjects if b in cands], plural)
        if pick is not None and plural and _people_between(doc, pick.end, pron.i):
            return None  # 'Orbis Holdings hired 200 engineers. They said ...' means the engineers
        return pick.key if pick is not None else None
    return None


def _tags_report(doc: ParsedDoc, b: _Speaker) -> bool:
    """'..., the Herald reported': the subject's verb has its reported clause before the subject."""
    verb = _span_root(doc, b.start, b.end).head
    return any(doc.tokens[c].dep in ("ccomp", "parataxis") and c < b.start for c in doc.children(verb))


def _pick_body(
    doc: ParsedDoc, same_sentence: bool, cands: list[_Speaker], subjects: list[_Speaker], plural: bool
) -> _Speaker | None:
    main = [b for b in subjects if _governs_root(doc, b.start, b.end)]
    if plural:  # 'They' needs the subject of a main verb ('whether the Fed will raise rates' is none)
        return main[0] if main else None
    if same_sentence and subjects:
        return subjects[-1]
    if main or subjects:
        return (main or subjects)[0]
    if len({b.key for b in cands}) > 1:
        return None  # 'A court ordered X to pay Y. It said': ambiguous
    return cands[-1]


def _people_between(doc: ParsedDoc, start: int, end: int) -> bool:
    """People between an antecedent and 'they' ('200 engineers', 'officials', a named person or
    nationality) are the likelier referent; things ('cut prices') are not."""
    return any(_people_word(t) or t.ent_type in ("PERSON", "NORP") for t in doc.tokens[start:end])


def _people_word(tok: Tok) -> bool:
    lemma = tok.lemma.casefold()
    return tok.tag in ("NNS", "NNPS") and (
        lemma in names.PERSON_NOUNS or lemma in names.PEOPLE_NOUNS or lemma in titles.ROLE_NOUNS
    )


# ---------------------------------------------------------------------------------------------
# records
# ---------------------------------------------------------------------------------------------


def _name_mention(doc: ParsedDoc, article_id: str, n: _Name) -> Mention:
    start, end = doc.tokens[n.start].idx, doc.tokens[n.end - 1].end
    return Mention(
        id=content_id(article_id, start, end, n.kind, prefix="m_"),
        article_id=article_id, start=start, end=end, text=doc.text[start:end], label=n.label,
        kind=n.kind, entity_key=n.key, titles=tuple(dict.fromkeys(n.titles)), confidence=n.confidence,
    )


def _ref_mention(doc: ParsedDoc, article_id: str, r: _Ref) -> Mention:
    start, end = doc.tokens[r.start].idx, doc.tokens[r.end - 1].end
    return Mention(
        id=content_id(article_id, start, end, r.kind, prefix="m_"),
        article_id=article_id, start=start, end=end, text=doc.text[start:end], label=r.label,
        kind=r.kind, entity_key=r.key, titles=r.titles, confidence=r.confidence,
    )
