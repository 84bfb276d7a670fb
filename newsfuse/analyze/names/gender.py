"""Grammatical gender of the people an article names, so that 'she said' never links to a man.

Evidence is read from the article first, strongest first:

1. a form of address before the name ('Mr Ortiz', 'Ms. Lind', 'Dame ...');
2. a gendered role or kinship word in the person's titles or right around the name ('chairwoman
   Ana Rusk', 'the congressman', 'his wife, Mara Tell', 'Queen Elizabeth');
3. a possessive or reflexive pronoun inside the clause of which the person is the subject, when no
   other person is named in that sentence ('Ortiz said his team ...', 'Lind defended herself').

Strong evidence (1, 2) outvotes weak (3); a tie leaves the gender unknown. Only when the article has
no strong evidence does the person's first name count, from the packaged list
``data/given_names.tsv`` (common given names by usual gender; names given to both men and women are
left out of it); a first name and weak pronoun evidence that disagree leave the gender unknown.
Unknown gender is compatible with every pronoun: pronoun linking only skips a person whose gender is
known to disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from newsfuse import defaults
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.models import Mention

Gender = Literal["m", "f"]

__all__ = [
    "Gender", "Person", "article_genders", "compatible", "given_name_gender", "may_refer_to",
    "mention_genders", "pronoun_gender", "word_gender",
]

_PRONOUNS: dict[str, Gender] = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
}
_ADDRESS: dict[str, Gender] = {
    "mr": "m", "mr.": "m", "sir": "m", "lord": "m", "monsieur": "m", "herr": "m", "senor": "m",
    "señor": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f", "dame": "f",
    "lady": "f", "madam": "f", "madame": "f", "mme": "f", "mme.": "f", "frau": "f", "senora": "f",
    "señora": "f",
}
# Roles and kinship words that say a person's gender. Neutral roles (president, actor, spokesperson,
# priest) are not here.
_ROLES: dict[str, Gender] = {
    **{w: "m" for w in (
        "chairman", "spokesman", "congressman", "councilman", "assemblyman", "alderman", "businessman",
        "sportsman", "policeman", "fireman", "statesman", "king", "prince", "duke", "emperor", "tsar",
        "czar", "sultan", "emir", "baron", "earl", "pope", "ayatollah", "husband", "father", "son",
        "brother", "grandfather", "grandson", "uncle", "nephew", "boyfriend", "widower", "stepfather",
        "dad", "fiance", "fiancé", "man", "boy", "gentleman", "archduke", "marquess", "monk",
    )},
    **{w: "f" for w in (
        "chairwoman", "spokeswoman", "congresswoman", "councilwoman", "assemblywoman", "businesswoman",
        "sportswoman", "policewoman", "stateswoman", "queen", "princess", "duchess", "empress",
        "tsarina", "czarina", "sultana", "baroness", "countess", "wife", "mother", "daughter",
        "sister", "grandmother", "granddaughter", "aunt", "niece", "girlfriend", "widow",
        "stepmother", "mum", "mom", "fiancee", "fiancée", "woman", "girl", "actress", "heiress",
        "waitress", "hostess", "nun", "archduchess", "marchioness", "first lady",
    )},
}
# Links by which a noun right next to a name describes the person ('wife Anna', 'Anna, his wife').
_DESCRIBING_DEPS = frozenset(("appos", "compound"))
_SUBJECT_DEPS = frozenset(("nsubj", "nsubjpass"))


@dataclass(frozen=True, slots=True)
class Person:
    """A mention of a person: token range ``start:end``, the key of the actor, its titles."""

    start: int
    end: int
    key: str
    titles: tuple[str, ...] = ()


# --- words -------------------------------------------------------------------------------------


def pronoun_gender(word: str) -> Gender | None:
    """'She' -> 'f', 'his' -> 'm'; None for 'they', 'it' and any other word."""
    return _PRONOUNS.get(word.casefold())


def word_gender(word: str) -> Gender | None:
    """A form of address or a gendered role/kinship word: 'Mrs' -> 'f', 'chairman' -> 'm'."""
    w = word.casefold()
    return _ADDRESS.get(w) or _ROLES.get(w)


def compatible(known: Gender | None, pronoun: str) -> bool:
    """May ``pronoun`` refer to a person of gender ``known``? Unknown genders and pronouns without
    gender ('they', 'it', 'I') are compatible with everything."""
    wanted = pronoun_gender(pronoun)
    return known is None or wanted is None or wanted == known


@lru_cache(maxsize=1)
def _given_names() -> dict[str, Gender]:
    """The packaged name list; a name listed with both genders is dropped (no guess)."""
    text = resources.files("newsfuse").joinpath("data/given_names.tsv").read_text(encoding="utf-8")
    seen: dict[str, set[Gender]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, g = line.partition("\t")
        g = g.strip()
        if g in ("m", "f"):
            seen.setdefault(name.strip().casefold(), set()).add("m" if g == "m" else "f")
    return {n: next(iter(gs)) for n, gs in seen.items() if len(gs) == 1}


def given_name_gender(full_name: str) -> Gender | None:
    """The usual gender of the first name of a full name ('Emmanuel Macron' -> 'm'); None for a
    single word (it may be a surname), an unlisted name or one given to both men and women."""
    words = full_name.split()
    if len(words) < 2:
        return None
    return _given_names().get(words[0].strip(".,").casefold())


# --- an article --------------------------------------------------------------------------------


def article_genders(doc: ParsedDoc, people: Iterable[Person]) -> dict[str, Gender]:
    """Gender of each person key the article gives evidence for (then, failing that, the first name
    says). Keys with no evidence and an unknown first name are absent."""
    people = list(people)
    strong: dict[str, Counter[str]] = {}
    weak: dict[str, Counter[str]] = {}
    persons_in_sentence = Counter(doc.tokens[p.start].sent for p in _distinct_keys_per_sentence(doc, people))
    for p in people:
        for clue in _strong_evidence(doc, p):
            strong.setdefault(p.key, Counter())[clue] += 1
        if persons_in_sentence[doc.tokens[p.start].sent] == 1:
            for clue in _bound_pronouns(doc, p):
                weak.setdefault(p.key, Counter())[clue] += 1
    out: dict[str, Gender] = {}
    for key in dict.fromkeys(p.key for p in people):
        said = _decide(strong.get(key)) or _weak_or_name(_decide(weak.get(key)), given_name_gender(key))
        if said is not None:
            out[key] = said
    return out


def mention_genders(doc: ParsedDoc, mentions: Sequence[Mention]) -> dict[str, Gender]:
    """:func:`article_genders` from :class:`Mention` records (PERSON names, partial names, titles);
    a pronoun mention already linked to a key counts as evidence for it when nothing stronger does.

    For a quote's pronoun speaker: ``gender.compatible(genders.get(key), pronoun_text)``.
    """
    people = []
    linked: dict[str, Counter[str]] = {}
    for m in mentions:
        if m.label != "PERSON":
            continue
        start, end = doc.token_at(m.start), doc.token_at(max(m.end - 1, m.start))
        if start is None or end is None:
            continue
        if m.kind == "pronoun":
            g = pronoun_gender(m.text)
            if g is not None:
                linked.setdefault(m.entity_key, Counter())[g] += 1
            continue
        people.append(Person(start, end + 1, m.entity_key, m.titles))
    out = article_genders(doc, people)
    for key, votes in linked.items():
        if key not in out and (g := _decide(votes)) is not None:
            out[key] = g
    return out


def may_refer_to(doc: ParsedDoc, mentions: Sequence[Mention], key: str | None, pronoun: str) -> bool:
    """May ``pronoun`` ('she') stand for the person ``key`` of this article? False only when the
    article (or the first name) says the person's gender is the other one. One call for a quote's
    pronoun speaker; to test many keys of one article, call :func:`mention_genders` once instead."""
    if key is None:
        return True
    return compatible(mention_genders(doc, mentions).get(key), pronoun)


def _decide(votes: Counter[str] | None) -> Gender | None:
    """The gender with more votes by a margin of ``defaults.GENDER_MIN_MARGIN``; None on a tie."""
    if not votes:
        return None
    m, f = votes.get("m", 0), votes.get("f", 0)
    if m - f >= defaults.GENDER_MIN_MARGIN:
        return "m"
    if f - m >= defaults.GENDER_MIN_MARGIN:
        return "f"
    return None


def _weak_or_name(pronouns: Gender | None, name: Gender | None) -> Gender | None:
    """Bound pronouns alone, else the first name alone; when they disagree the pronoun may well
    refer to someone else ('John Ortiz praised her courage'): no gender rather than a wrong one."""
    if pronouns is not None and name is not None and pronouns != name:
        return None
    return pronouns or name


def _distinct_keys_per_sentence(doc: ParsedDoc, people: list[Person]) -> list[Person]:
    """One person per (sentence, key): counts the different people a sentence names."""
    seen: dict[tuple[int, str], Person] = {}
    for p in people:
        seen.setdefault((doc.tokens[p.start].sent, p.key), p)
    return list(seen.values())


def _strong_evidence(doc: ParsedDoc, p: Person) -> list[Gender]:
    """Forms of address and gendered roles in the titles and right around the name."""
    found: list[Gender] = []
    address = _address_before(doc, p.start)
    if address is not None:
        found.append(address)
    for title in p.titles:
        role = _title_gender(title.casefold().split())
        if role is not None:
            found.append(role)
    found += _describing_nouns(doc, p)
    return found


def _title_gender(words: list[str]) -> Gender | None:
    """'the Kremlin spokesman' -> 'm'; 'former first lady' -> 'f' (the role ends the title)."""
    if not words:
        return None
    return _ROLES.get(" ".join(words[-2:])) or _ROLES.get(words[-1])


def _address_before(doc: ParsedDoc, start: int) -> Gender | None:
    """'Mr Ortiz', 'Mrs. Lind', 'Mr . Ortiz' (a tokeniser may split the period)."""
    i = start - 1
    if i >= 0 and doc.tokens[i].text == ".":
        i -= 1
    if i < 0:
        return None
    return _ADDRESS.get(doc.tokens[i].text.casefold())


def _describing_nouns(doc: ParsedDoc, p: Person) -> list[Gender]:
    """A gendered noun in apposition to the name or compounding into it: 'his wife, Mara Tell',
    'Mara Tell, his wife,', 'wife Mara Tell', 'Queen Elizabeth'."""
    inside = range(p.start, p.end)
    found: list[Gender] = []
    for i in inside:
        tok = doc.tokens[i]
        linked = [k for k in doc.children(i) if k not in inside and doc.tokens[k].dep in _DESCRIBING_DEPS]
        if tok.head not in inside and tok.dep in _DESCRIBING_DEPS:
            linked.append(tok.head)
        for k in linked:
            g = _ROLES.get(doc.tokens[k].text.casefold())
            if g is not None:
                found.append(g)
    return found


def _bound_pronouns(doc: ParsedDoc, p: Person) -> list[Gender]:
    """'Ortiz said his team ...', 'Lind defended herself': possessive and reflexive pronouns in the
    clause whose subject is the person (the only person its sentence names)."""
    root = _span_root(doc, p.start, p.end)
    if doc.tokens[root].dep not in _SUBJECT_DEPS:
        return []
    verb = doc.tokens[root].head
    found: list[Gender] = []
    for k in doc.subtree(verb):
        word = doc.tokens[k].text.casefold()
        possessive = word in ("his", "her") and doc.tokens[k].dep == "poss"  # object 'her' is someone else
        if k > root and (possessive or word in ("himself", "herself")):
            found.append(_PRONOUNS[word])
    return found


def _span_root(doc: ParsedDoc, start: int, end: int) -> int:
    for i in range(start, end):
        h = doc.tokens[i].head
        if h < start or h >= end or h == i:
            return i
    return end - 1
