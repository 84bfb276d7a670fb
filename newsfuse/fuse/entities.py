"""Cross-article entity resolution: article-level mention groups -> one entity per actor.

The analyze stage groups the mentions of one actor inside one article under an ``entity_key``
(its normalised full name as far as that article tells). Here those groups, one per
``(article_id, entity_key)``, are clustered across the articles of a story by explainable rules,
applied in this order (each link records its rule in ``Entity.evidence`` / ``EntityLink.reason``):

1. ``same name``: equal normalised names (case, accents, 'the', possessives, dots of acronyms and
   common aliases such as U.S./US/United States folded) of a compatible type. 'the Kremlin' stays
   its own organisation: nothing maps it to Russia.
2. ``spelling variant``: two full names of one type whose rapidfuzz ratio reaches
   ``defaults.ENTITY_FUZZY_MIN`` and whose words start alike (Zelensky / Zelenskyy).
3. ``surname match``: a one-word person name that is the last name of exactly one full-named
   person of the story ('Macron').
4. ``title + first name``: a one-word person name with a title ('French President Emmanuel') that is
   the first name of exactly one full-named person of the story holding a compatible title.
5. ``acronym``: an all-capitals name spelling the initials of an organisation or place of the story.
6. ``demonym``: a nationality that is exactly a country's demonym ('North Korean') joins the one
   country of the story with that code ('North Korea'), as event coding treats them as one actor;
   organisations named after a capital ('the Kremlin') are not nationalities and stay apart.

7. ``name containment``: a shorter name of one type whose words appear in order inside the
   longer names of exactly one cluster ('Microsoft' / 'Microsoft Corp', 'Lindsay Lohan' /
   'Lindsay Dee Lohan'); people keep the stricter surname/first-name rules above.
8. ``same head``: descriptions without a name ('the actress', 'the quake') of one type class with
   the same head word (lemma) are one actor within a story: news reports of one story use their
   description for their one main referent.
9. ``title``: a description whose head is the role word of the titles of exactly one cluster
   ('the actress' -> 'actress Lindsay Lohan', 'the software giant' -> 'software giant Microsoft').
10. ``name variant``: full names of one person written differently ('Fred LaRue' / 'Frederick C.
   LaRue', 'Mark Felt' / 'W. Mark Felt'): equal surnames, first names equal or one a short form of
   the other; honorifics and initials are ignored (applied before the surname rule).
11. ``pronoun``: a pronoun-only group joins, inside its own article only, the actor it most likely
   refers to: a relative pronoun ('who', 'which') the nearest preceding mention; a personal pronoun
   the most mentioned compatible actor mentioned before it (people for he/she, others for it).

Groups made only of pronouns never link across articles: 'he' in two reports is rarely one person.

Entity IDs are stable (incremental runs keep them): a cluster keeps the ID its groups were linked
to before (the ID most of its groups had, ties to the smallest); otherwise it joins a store-wide
entity only on strong evidence (the same full name and a compatible type: a multi-word person name,
or an organisation/place name); otherwise it gets ``content_id(normalised name, type class,
first article)``, so one-word names of unrelated stories stay apart.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from newsfuse import defaults
from newsfuse.analyze.plover import COUNTRY_CODES
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Entity, EntityLink, Mention
from newsfuse.store import Store, queries

# Abbreviations news uses for the same state or body; values are normalised full names.
ALIASES = {
    "us": "united states",
    "usa": "united states",
    "united states of america": "united states",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "un": "united nations",
    "eu": "european union",
    "dprk": "north korea",
    "democratic people's republic of korea": "north korea",
    "russian federation": "russia",
}

# Type classes: organisations, places and facilities share a class because taggers confuse them
# ('the White House' is tagged ORG or FAC); people and nationalities stay apart.
_CLASS = {"PERSON": "PERSON", "NORP": "NORP", "ORG": "ORG", "GPE": "ORG", "LOC": "ORG", "FAC": "ORG"}
_ACRONYM_SKIP = {"of", "the", "and", "for", "de", "&"}
_LABEL_ORDER = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP")
# Types the small model gives a person's name by mistake ('Kostan said' as ORG): a name of one of
# them that the story's other reports give a person joins that person.
_PERSON_SLIPS = frozenset({"ORG", "PRODUCT", "WORK_OF_ART"})
# Words that make a part of a place a place of its own: 'Lower Dunmere' is not all of 'Dunmere'.
_PLACE_PARTS = frozenset({"upper", "lower", "inner", "outer"})
_PLACES = frozenset({"GPE", "LOC"})

_Linker = Callable[[int, int, str], None]  # cluster_groups' link callback: (group, group, reason)


def label_class(label: str) -> str:
    return _CLASS.get(label, label)


@functools.lru_cache(maxsize=1 << 16)  # a story's clustering asks for the same few names millions of times
def normalise(name: str) -> str:
    """Fold a name for comparison: 'the U.S.' -> 'united states', 'Zelenskyy’s' -> 'zelenskyy'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").casefold().strip()
    text = re.sub(r"'s?$", "", text)
    text = re.sub(r"(?<=\b\w)\.", "", text)  # dots of initials and acronyms: u.s. -> us
    text = re.sub(r"[^\w'&]+", " ", text).strip(" '")
    text = re.sub(r"^the ", "", text)
    return ALIASES.get(text, text)


@dataclass
class NameGroup:
    """The mentions of one actor in one article (a working set, not a stored record)."""

    article_id: str
    key: str
    label: str
    count: int = 0
    names: Counter[str] = field(default_factory=Counter)  # surface forms of name mentions
    titles: set[str] = field(default_factory=set)
    pronoun_only: bool = True
    head: str = ""  # lemma of the head word when the parse gives one; else the last word of the key
    positions: list[int] = field(default_factory=list)  # mention offsets in the article, for pronouns

    @property
    def norm(self) -> str:
        return normalise(self.key)  # cached by normalise: pairwise rules read it very often

    @property
    def head_word(self) -> str:
        words = self.words
        return self.head.casefold() if self.head else (words[-1] if words else "")

    @property
    def nominal(self) -> bool:
        """A description without a name ('the actress'): only title or common-noun mentions."""
        return not self.names and not self.pronoun_only

    @property
    def words(self) -> list[str]:
        return _words(self.key)


@functools.lru_cache(maxsize=1 << 16)
def _word_tuple(key: str) -> tuple[str, ...]:
    return tuple(normalise(key).split())


def _words(key: str) -> list[str]:
    return list(_word_tuple(key))  # a fresh list: callers may keep or change it


@dataclass
class Cluster:
    """Groups resolved to one actor, with the rules that joined them."""

    groups: list[NameGroup]
    evidence: set[str] = field(default_factory=set)


def mention_groups(analyses: Iterable[Analysis]) -> list[NameGroup]:
    """One group per (article, entity_key), in article order then first mention."""
    groups: dict[tuple[str, str], NameGroup] = {}
    labels: dict[tuple[str, str], Counter[str]] = {}
    for analysis in analyses:
        for m in analysis.mentions:
            gk = (m.article_id, m.entity_key)
            g = groups.setdefault(gk, NameGroup(m.article_id, m.entity_key, m.label))
            labels.setdefault(gk, Counter())[m.label] += 1
            _add_mention(g, m)
    for gk, g in groups.items():
        g.label = _majority_label(labels[gk])
    return list(groups.values())


def _add_mention(g: NameGroup, m: Mention) -> None:
    g.count += 1
    g.positions.append(m.start)
    if m.kind != "pronoun":
        g.pronoun_only = False
    if m.kind in ("name", "partial"):
        g.names[m.text] += 1
    g.titles.update(t for t in m.titles if t)
    prefix = _title_prefix(m.text, m.entity_key)
    if prefix:
        g.titles.add(prefix)


def _title_prefix(text: str, key: str) -> str:
    """'French President' from the mention 'French President Emmanuel' of key 'Emmanuel'."""
    first = key.split()[0] if key.split() else ""
    at = text.find(first) if first else -1
    prefix = text[:at].strip(" ,") if at > 0 else ""
    # 'The' of 'The interior minister' (a sentence's first word) is no title
    return prefix if prefix[:1].isupper() and prefix.casefold() not in ("the", "a", "an") else ""


def _majority_label(labels: Counter[str]) -> str:
    best = max(labels.values())
    tied = [lab for lab, n in labels.items() if n == best]
    return min(tied, key=lambda lab: (_LABEL_ORDER.index(lab) if lab in _LABEL_ORDER else 99, lab))


# -- clustering (pure: no store) ---------------------------------------------------------------


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        self.parent[max(ra, rb)] = min(ra, rb)
        return True


def cluster_groups(groups: Sequence[NameGroup]) -> list[Cluster]:
    """Resolve article-level groups to actors by the rules of this module's docstring."""
    uf = _Union(len(groups))
    evidence: dict[int, set[str]] = {}

    def link(a: int, b: int, reason: str) -> None:
        if uf.join(a, b):
            evidence.setdefault(a, set()).add(reason)

    linkable = [i for i, g in enumerate(groups) if not g.pronoun_only and g.norm]
    _link_same_name(groups, linkable, link)
    _link_spelling(groups, linkable, uf, link)
    _link_person_variants(groups, linkable, uf, link)
    _link_partial_person(groups, linkable, uf, link)
    _link_acronyms(groups, linkable, link)
    _link_demonyms(groups, linkable, uf, link)
    _link_contained(groups, linkable, uf, link)
    _link_same_head(groups, linkable, link)
    _link_by_title(groups, linkable, uf, link)
    _link_pronouns(groups, uf, link)
    by_root: dict[int, Cluster] = {}
    for i, g in enumerate(groups):
        by_root.setdefault(uf.find(i), Cluster([])).groups.append(g)
    for i, reasons in evidence.items():
        by_root[uf.find(i)].evidence.update(reasons)
    return [by_root[r] for r in sorted(by_root)]


def _link_same_name(groups: Sequence[NameGroup], idx: list[int], link: _Linker) -> None:
    first: dict[tuple[str, str], int] = {}
    for i in idx:
        g = groups[i]
        k = (g.norm, label_class(g.label))
        if k in first:
            link(first[k], i, f"same name: {g.key}")
        else:
            first[k] = i
    # 'founded by Ines Halvard' tagged ORG in one report: a full name other reports of the story
    # give a person is that person (the small model's usual slip; the label vote then says PERSON).
    for i in idx:
        g = groups[i]
        person = first.get((g.norm, "PERSON"))
        if g.label in _PERSON_SLIPS and len(g.words) >= 2 and person is not None:
            link(person, i, f"same name as a person: {g.key}")


def _link_spelling(groups: Sequence[NameGroup], idx: list[int], uf: _Union, link: _Linker) -> None:
    # Variants share their type class and the initials of their words: only groups of one such
    # block are compared (pairs in the same order as over all pairs, so links and reasons are too).
    firsts = _first_of_each_name(groups, idx)
    blocks = _blocks(firsts, lambda i: _initials_key(groups[i]) if len(groups[i].words) >= 2 else None)
    for i, later in _pairs_in_blocks(idx, blocks):
        a = groups[i]
        for j in later:
            b = groups[j]
            # Groups already one cluster gain nothing from a link (link() would only ignore it).
            if a.norm != b.norm and uf.find(i) != uf.find(j) and _variants(a.words, b.words):
                link(i, j, f"spelling variant: {a.key} ~ {b.key}")


def _first_of_each_name(groups: Sequence[NameGroup], idx: list[int]) -> list[int]:
    """The first group of each (name, type class), in idx order.

    Groups of one name and class are one cluster already (the same-name rule), so a pairwise rule
    whose test reads only the names links nothing through a later one: the first of that name met
    every group it could link before it (a big story repeats each name in every article)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for i in idx:
        key = (groups[i].norm, label_class(groups[i].label))
        if key not in seen:
            seen.add(key)
            out.append(i)
    return out


def _initials_key(g: NameGroup) -> tuple[str, ...]:
    return (label_class(g.label), *(w[0] for w in g.words))


_Key = Callable[[int], object]


def _blocks(idx: list[int], key: _Key) -> dict[object, list[int]]:
    """Groups by blocking key (None: the group takes part in no pair), each block in idx order."""
    out: dict[object, list[int]] = {}
    for i in idx:
        k = key(i)
        if k is not None:
            out.setdefault(k, []).append(i)
    return out


def _pairs_in_blocks(idx: list[int], blocks: dict[object, list[int]]) -> Iterable[tuple[int, list[int]]]:
    """(i, the members of i's block after i), for i in idx order: all-pairs order within blocks."""
    where = {i: (members, n) for members in blocks.values() for n, i in enumerate(members)}
    for i in idx:
        if i in where:
            members, n = where[i]
            yield i, members[n + 1 :]


def _variants(a: list[str], b: list[str]) -> bool:
    if len(a) != len(b) or any(x[0] != y[0] for x, y in zip(a, b, strict=True)):
        return False
    return fuzz.ratio(" ".join(a), " ".join(b)) >= defaults.ENTITY_FUZZY_MIN


# Honorifics, generational suffixes and initials say nothing about which person a name names.
_NAME_NOISE = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "jr", "sr", "ii", "iii"})


def _person_words(g: NameGroup) -> list[str]:
    """'Mr. W. Mark Felt, Sr.' -> ['mark', 'felt']."""
    return [w for w in g.words if w not in _NAME_NOISE and len(w) > 1] or g.words


def _link_person_variants(groups: Sequence[NameGroup], idx: list[int], uf: _Union, link: _Linker) -> None:
    """Full names of one person written differently: 'Fred LaRue' / 'Frederick C. LaRue',
    'Mark Felt' / 'W. Mark Felt'. The surnames must be equal and the first names equal or one the
    short form of the other, so 'Joe Biden' and 'Jill Biden' stay apart."""
    firsts = _first_of_each_name(groups, idx)
    words = {i: _person_words(groups[i]) for i in firsts if groups[i].label == "PERSON"}
    full = [i for i in firsts if i in words and len(words[i]) >= 2]
    # Equal surnames are required: only groups of one surname are compared (all-pairs order kept).
    for i, later in _pairs_in_blocks(full, _blocks(full, lambda i: words[i][-1])):
        a = words[i]
        for j in later:
            b = words[j]
            # The same name in every article of a big story: those are one cluster already.
            if uf.find(i) != uf.find(j) and (a[0].startswith(b[0]) or b[0].startswith(a[0])):
                link(i, j, f"name variant: {groups[i].key} ~ {groups[j].key}")


def _link_partial_person(
    groups: Sequence[NameGroup], idx: list[int], uf: _Union, link: _Linker
) -> None:
    words = {i: _person_words(groups[i]) for i in idx if groups[i].label == "PERSON"}
    # Only the first group of each full name: the others are in its cluster and give its answers.
    full = [i for i in _first_of_each_name(groups, idx) if i in words and len(words[i]) >= 2]
    slips = _surname_slips(groups, idx, words)
    # A surname matches only words of its initial (_same_word), a first name only itself: look
    # candidates up by those keys instead of scanning every full name for every one-word name.
    by_initial = _blocks(full, lambda j: words[j][-1][:1])
    by_first_name = _blocks(full, lambda j: words[j][0])
    titles = _ClusterTitles(groups, uf)
    for i, w in (words | slips).items():
        if len(w) != 1:
            continue
        g, word = groups[i], w[0]
        by_surname = {uf.find(j) for j in by_initial.get(word[:1], ()) if _same_word(words[j][-1], word)}
        if len(by_surname) == 1:
            titles.link(link, min(by_surname), i, f"surname match: {g.key}")
            continue
        if not g.titles or i in slips:  # a first name alone links only with a title
            continue
        by_first = {uf.find(j) for j in by_first_name.get(word, ())
                    if _titles_compatible(g.titles, titles.of(j))}
        if len(by_first) == 1:
            titles.link(link, min(by_first), i, f"title + first name: {sorted(g.titles)[0]} {g.key}")


def _surname_slips(
    groups: Sequence[NameGroup], idx: list[int], words: dict[int, list[str]]
) -> dict[int, list[str]]:
    """Lone words of a slip type to try as surnames ('Kostan said' tagged ORG): only words the
    story's reports give a person more often than that type ('Ford' the carmaker stays a company
    in a story that names Bill Ford once)."""
    as_person: Counter[str] = Counter(w[-1] for w in words.values())
    as_slip: Counter[str] = Counter()
    slips = {}
    for i in idx:
        g = groups[i]
        if g.label in _PERSON_SLIPS and len(g.words) == 1:
            as_slip[g.words[0]] += 1
            slips[i] = g.words
    return {i: w for i, w in slips.items() if as_person[w[0]] > as_slip[w[0]]}


def _same_word(a: str, b: str) -> bool:
    return a == b or (a[:1] == b[:1] and fuzz.ratio(a, b) >= defaults.ENTITY_FUZZY_MIN)


class _ClusterTitles:
    """The titles of every cluster, kept current through the links made while it is in use
    (one pass over the groups, instead of one pass per lookup)."""

    def __init__(self, groups: Sequence[NameGroup], uf: _Union) -> None:
        self.uf = uf
        self.by_root: dict[int, set[str]] = {}
        for k, g in enumerate(groups):
            self.by_root.setdefault(uf.find(k), set()).update(g.titles)

    def of(self, j: int) -> set[str]:
        return self.by_root.get(self.uf.find(j), set())

    def link(self, link: _Linker, a: int, b: int, reason: str) -> None:
        ra, rb = self.uf.find(a), self.uf.find(b)
        link(a, b, reason)
        root = self.uf.find(a)
        if ra != rb:
            self.by_root[root] = self.by_root.pop(ra, set()) | self.by_root.pop(rb, set())


def _titles_compatible(a: set[str], b: set[str]) -> bool:
    """Titles agree when they share their role word: 'French President' ~ 'President'."""
    roles_a = {t.split()[-1].casefold() for t in a if t.split()}
    roles_b = {t.split()[-1].casefold() for t in b if t.split()}
    return bool(roles_a & roles_b)


def _link_acronyms(groups: Sequence[NameGroup], idx: list[int], link: _Linker) -> None:
    initials: dict[str, list[int]] = {}
    for i in idx:
        g = groups[i]
        if label_class(g.label) == "ORG" and len(g.words) >= 2:
            letters = "".join(w[0] for w in g.words if w not in _ACRONYM_SKIP)
            initials.setdefault(letters, []).append(i)
    for i in idx:
        g = groups[i]
        if label_class(g.label) == "ORG" and g.key.isupper() and len(g.words) == 1:
            targets = initials.get(g.norm, [])
            if targets:
                link(targets[0], i, f"acronym: {g.key}")


def _link_demonyms(groups: Sequence[NameGroup], idx: list[int], uf: _Union, link: _Linker) -> None:
    countries: dict[str, set[int]] = {}
    for i in idx:
        g = groups[i]
        code = COUNTRY_CODES.get(g.norm)
        if code and g.label in ("GPE", "LOC"):
            countries.setdefault(code, set()).add(uf.find(i))
    for i in idx:
        g = groups[i]
        code = COUNTRY_CODES.get(g.norm)
        if code and g.label == "NORP" and len(countries.get(code, ())) == 1:
            link(min(countries[code]), i, f"demonym: {g.key}")


def _link_contained(groups: Sequence[NameGroup], idx: list[int], uf: _Union, link: _Linker) -> None:
    names = [i for i in idx if not groups[i].nominal and groups[i].label != "PERSON"]
    # A name holding g's words holds g's first word: index names by (type class, word), and test
    # containment once per distinct holder name (a story repeats its names in every article).
    index: dict[tuple[str, str], dict[tuple[str, ...], list[int]]] = {}
    firsts = set(_first_of_each_name(groups, names))  # the others are in their clusters already
    for j in (j for j in names if j in firsts):
        h = groups[j]
        for word in set(h.words):
            index.setdefault((label_class(h.label), word), {}).setdefault(tuple(h.words), []).append(j)
    # A name the story's mentions call a place more often than a body ('Brenna' tagged ORG once is
    # still the city); 'Ford' tagged GPE once stays the company it is elsewhere.
    votes: Counter[int] = Counter()
    for i in names:
        votes[uf.find(i)] += groups[i].count if groups[i].label in _PLACES else -groups[i].count
    for i in names:
        g = groups[i]
        words = g.words
        place = votes[uf.find(i)] > 0
        found = [
            j
            for longer, js in index.get((label_class(g.label), words[0]), {}).items()
            if len(longer) > len(words) and _contains(list(longer), words)
            for j in js
        ]
        # a holder that may not take the name still makes the name ambiguous
        holders = {uf.find(j) for j in found} if all(_may_contain(groups[j], place) for j in found) else set()
        if len(holders) == 1:
            link(min(holders), i, f"name containment: {g.key}")


def _may_contain(holder: NameGroup, place: bool) -> bool:
    """A body named after a place is not the place ('Radio Tarva', 'Kessel Valley Post' hold the
    river and the valley), nor is a part of a place the whole ('Lower Dunmere' / 'Dunmere')."""
    if place and holder.label == "ORG":
        return False
    return not (place and holder.label in _PLACES and holder.words[0] in _PLACE_PARTS)


def _contains(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return any(longer[k : k + n] == shorter for k in range(len(longer) - n + 1))


def _link_same_head(groups: Sequence[NameGroup], idx: list[int], link: _Linker) -> None:
    first: dict[tuple[str, str], int] = {}
    for i in idx:
        g = groups[i]
        if not g.nominal or not g.head_word:
            continue
        k = (g.head_word, label_class(g.label))
        if k in first:
            link(first[k], i, f"same head: {g.key}")
        else:
            first[k] = i


def _link_by_title(groups: Sequence[NameGroup], idx: list[int], uf: _Union, link: _Linker) -> None:
    roles: dict[tuple[str, str], set[int]] = {}
    for i in idx:
        g = groups[i]
        for title in g.titles:
            words = normalise(title).split()
            if words and not g.nominal:
                roles.setdefault((words[-1], label_class(g.label)), set()).add(uf.find(i))
                # the whole title too: 'the interior minister' is the one Interior Minister of a
                # story that also has a Finance Minister and a Minister of Water
                roles.setdefault((" ".join(words), label_class(g.label)), set()).add(uf.find(i))
    for i in idx:
        g = groups[i]
        if not g.nominal:
            continue
        cls = label_class(g.label)
        holders = {uf.find(j) for j in roles.get((g.head_word, cls), ())}
        if len(holders) > 1:
            holders = {uf.find(j) for j in roles.get((g.norm, cls), ())}
        if len(holders) == 1:
            link(min(holders), i, f"title: {g.key}")


# Pronouns by what they can refer to; relative pronouns refer to the phrase they follow.
_PERSONAL = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
_NEUTER = frozenset({"it", "its", "itself"})
_RELATIVE = frozenset({"who", "whom", "whose", "which", "that"})


def _link_pronouns(groups: Sequence[NameGroup], uf: _Union, link: _Linker) -> None:
    by_article: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        if not g.pronoun_only:
            by_article.setdefault(g.article_id, []).append(i)
    for i, g in enumerate(groups):
        word = g.norm
        if not g.pronoun_only or not g.positions or word not in _PERSONAL | _NEUTER | _RELATIVE:
            continue
        at = min(g.positions)
        found = _antecedent(groups, by_article.get(g.article_id, []), at, word)
        if found is not None:
            link(uf.find(found), i, f"pronoun: {g.key}")


def _antecedent(groups: Sequence[NameGroup], candidates: list[int], at: int, word: str) -> int | None:
    """The group a pronoun at offset ``at`` refers to, among its article's named/described groups."""
    before = [(max(p for p in groups[j].positions if p < at), j) for j in candidates
              if any(p < at for p in groups[j].positions)]
    if word in _RELATIVE:
        return max(before)[1] if before else None
    person = word in _PERSONAL
    fitting = [(groups[j].count, pos, j) for pos, j in before if (groups[j].label == "PERSON") == person]
    return max(fitting)[2] if fitting else None


def _compatible(a: NameGroup, b: NameGroup) -> bool:
    return label_class(a.label) == label_class(b.label)


# -- entities from clusters ----------------------------------------------------------------------


def canonical_name(cluster: Cluster) -> str:
    """The fullest name (not a demonym): most words, then most mentions, then alphabetical."""
    weight: Counter[str] = Counter()
    for g in cluster.groups:
        weight[g.key] += g.count
    nationality = {g.key for g in cluster.groups if g.label == "NORP"}
    return min(weight, key=lambda k: (k in nationality, -len(normalise(k).split()), -weight[k], k))


def _label(cluster: Cluster) -> str:
    labels: Counter[str] = Counter()
    for g in cluster.groups:
        labels[g.label] += g.count
    if len(labels) > 1:
        labels.pop("NORP", None)  # a country named by its demonym is still the country
    return _majority_label(labels)


def build_entity(cluster: Cluster, entity_id: str, order: dict[str, int]) -> Entity:
    name = canonical_name(cluster)
    names = {n for g in cluster.groups for n in g.names} | {g.key for g in cluster.groups}
    aliases = sorted({n for n in names if n != name}, key=_alias_order)
    roles = _dedupe(t for g in cluster.groups for t in sorted(g.titles))
    articles = sorted({g.article_id for g in cluster.groups}, key=lambda a: (order.get(a, 1 << 30), a))
    return Entity(
        id=entity_id, name=name, label=_label(cluster), aliases=tuple(aliases), roles=tuple(roles),
        article_ids=tuple(articles), mention_count=sum(g.count for g in cluster.groups),
        evidence=tuple(sorted(cluster.evidence)),
    )


def _alias_order(name: str) -> tuple[str, str]:
    """Alphabetical ignoring case; 'OBAMA' before 'Obama' (ties broken, not left to set order)."""
    return name.casefold(), name


def _dedupe(items: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return sorted(seen.values(), key=str.casefold)


# -- store-aware resolution ------------------------------------------------------------------------


class EntityCache:
    """What resolution needs of store-wide entities, kept across the stories of one fuse run.

    Fusing a story folds in what other stories' articles give each of its entities: their articles
    (in ID order) and their mentions. An entity named in thousands of articles ('United States')
    would cost every story a read of all its links; here each entity costs, once per run, one
    aggregate the database counts over an index (distinct articles, mentions) and its stored row,
    whose article list is exactly its linked articles whenever the counts agree (see
    :meth:`_load`). The run's own writes (:meth:`put`) then update both by delta, so every story
    sees what the store holds. :meth:`clear` after any other write to mentions or links.
    """

    def __init__(self) -> None:
        self.articles: dict[str, list[str]] = {}  # entity -> its linked articles, sorted
        self.mentions: dict[str, int] = {}  # entity -> mentions of all its links
        self.rows: dict[str, Entity] = {}
        self._story: dict[tuple[str, str], tuple[str, int]] = {}  # resolving story's links before
        self._counts: dict[tuple[str, str], int] = {}  # its groups' mention counts

    def clear(self) -> None:
        self.articles.clear()
        self.mentions.clear()
        self.rows.clear()

    def resolving(self, store: Store, article_ids: Sequence[str], groups: Iterable[NameGroup]
                  ) -> dict[tuple[str, str], str]:
        """Read a story's links (with their counts) before resolution; returns them as
        :func:`queries.entity_links` does. Remembered for :meth:`others` and :meth:`put`."""
        self._story = queries.entity_link_counts(store, list(article_ids))
        self._counts = {(g.article_id, g.key): g.count for g in groups}
        return {key: eid for key, (eid, _) in self._story.items()}

    def others(self, store: Store, entity_ids: list[str], story: set[str]
               ) -> dict[str, tuple[list[str], int]]:
        """entity -> (its linked articles outside ``story``, sorted; their links' mentions)."""
        self._load(store, [e for e in dict.fromkeys(entity_ids) if e not in self.articles])
        inside = Counter[str]()
        for eid, n in self._story.values():  # every link of the story's articles
            inside[eid] += n
        return {e: ([a for a in self.articles[e] if a not in story], self.mentions[e] - inside[e])
                for e in dict.fromkeys(entity_ids)}

    def _load(self, store: Store, entity_ids: list[str]) -> None:
        """An entity's linked articles are its row's article list when their numbers agree and no
        link is stale (no mention: an article re-analysed without that key). A link with mentions
        is always in its entity's row: the row is rewritten with every link written to it, and a
        story rewrites every live link of its articles. Otherwise read them (exact, slower)."""
        totals = queries.entity_link_totals(store, entity_ids)
        rows = self.entities(store, [e for e in entity_ids if e in totals])
        for e in entity_ids:
            n, mentions, stale = totals.get(e, (0, 0, 0))
            listed = sorted(set(rows[e].article_ids)) if e in rows else []
            exact = len(listed) == n and not stale
            self.articles[e] = listed if exact else queries.entity_article_ids(store, e)
            self.mentions[e] = mentions

    def entities(self, store: Store, entity_ids: list[str]) -> dict[str, Entity]:
        """:func:`queries.get_entities`."""
        self.rows.update(queries.get_entities(store, [e for e in entity_ids if e not in self.rows]))
        return {e: self.rows[e] for e in entity_ids if e in self.rows}

    def put(self, store: Store, entities: Sequence[Entity], links: Sequence[EntityLink]) -> None:
        """Write a resolved story's entities and links, and follow the write here."""
        store.put_entities(entities, links)
        after = dict(self._story)  # keys no group has any more keep their links
        for x in links:
            key = (x.article_id, x.entity_key)
            after[key] = (x.entity_id, self._counts.get(key, 0))
        was, now = _by_entity(self._story), _by_entity(after)
        for e in (was.keys() | now.keys()) & self.articles.keys():
            (arts_was, n_was), (arts_now, n_now) = was.get(e, (set(), 0)), now.get(e, (set(), 0))
            self.mentions[e] += n_now - n_was
            _remove_sorted(self.articles[e], arts_was - arts_now)
            _insert_sorted(self.articles[e], arts_now - arts_was)
        self.rows.update({e.id: e for e in entities})
        self._story = after


def _by_entity(links: dict[tuple[str, str], tuple[str, int]]) -> dict[str, tuple[set[str], int]]:
    """entity -> (articles, mentions) of the given links."""
    out: dict[str, tuple[set[str], int]] = {}
    for (article, _), (eid, n) in links.items():
        arts, total = out.get(eid, (set(), 0))
        arts.add(article)
        out[eid] = (arts, total + n)
    return out


def _remove_sorted(items: list[str], gone: Iterable[str]) -> None:
    for item in gone:
        at = bisect.bisect_left(items, item)
        if at < len(items) and items[at] == item:
            del items[at]


def _insert_sorted(items: list[str], new: Iterable[str]) -> None:
    for item in new:
        at = bisect.bisect_left(items, item)
        if at == len(items) or items[at] != item:
            items.insert(at, item)


def resolve_story_entities(
    store: Store, article_ids: Sequence[str], analyses: Sequence[Analysis] | None = None,
    cache: EntityCache | None = None,
) -> tuple[list[Entity], list[EntityLink]]:
    """Resolve a story's mention groups to entities (stable IDs) and the links to write (with a
    ``cache``, write them with its :meth:`EntityCache.put`)."""
    if analyses is None:
        analyses = [queries.get_analysis(store, a) for a in article_ids]
    order = {a: n for n, a in enumerate(article_ids)}
    groups = mention_groups(analyses)
    clusters = cluster_groups(groups)
    if cache is not None:
        previous = cache.resolving(store, article_ids, groups)
    else:
        previous = queries.entity_links(store, list(article_ids))
    same_name = _SameName(store, [canonical_name(c) for c in clusters if not _kept(c, previous)])
    chosen: list[tuple[Cluster, str, str]] = []
    taken: set[str] = set()
    for cluster in clusters:
        entity_id, how = _entity_id(cluster, previous, taken, same_name)
        taken.add(entity_id)
        chosen.append((cluster, entity_id, how))
    wanted = [eid for _, eid, _ in chosen]
    story = set(article_ids)
    others = cache.others(store, wanted, story) if cache is not None else _others(store, wanted, story)
    linked = [eid for eid, (arts, _) in others.items() if arts]
    olds = cache.entities(store, linked) if cache is not None else queries.get_entities(store, linked)
    entities: list[Entity] = []
    links: list[EntityLink] = []
    for cluster, entity_id, how in chosen:
        entity = _with_other_stories(build_entity(cluster, entity_id, order), *others[entity_id],
                                     olds.get(entity_id))
        entities.append(entity)
        links.extend(_links(cluster, entity, how))
    return entities, links


def _others(store: Store, entity_ids: list[str], story: set[str]) -> dict[str, tuple[list[str], int]]:
    """:meth:`EntityCache.others` read straight from every link of the entities."""
    out = {}
    for eid, rows in queries.entity_supports(store, entity_ids).items():
        outside = [(a, n) for a, _, n in rows if a not in story]
        out[eid] = (list(dict.fromkeys(a for a, _ in outside)), sum(n for _, n in outside))
    return out


class _SameName:
    """Store-wide entities of a name (:func:`queries.find_entities`), read for all likely names in
    one pass over the entities the first time one is asked for (one scan per story, not one per
    cluster; none when every cluster keeps its ID). The store does not change while a story
    resolves, so reading ahead gives what one read per cluster gave."""

    def __init__(self, store: Store, likely: list[str]) -> None:
        self.store, self.likely = store, likely
        self.found: dict[str, list[Entity]] = {}

    def get(self, name: str) -> list[Entity]:
        if name not in self.found:
            batch = [n for n in self.likely if n not in self.found] if name in self.likely else [name]
            self.found.update(queries.find_entities_named(self.store, batch))
        return self.found[name]


def _kept(cluster: Cluster, previous: dict[tuple[str, str], str]) -> bool:
    """Whether any group of the cluster was linked before (it may keep that entity ID)."""
    return any((g.article_id, g.key) in previous for g in cluster.groups)


def _entity_id(
    cluster: Cluster, previous: dict[tuple[str, str], str], taken: set[str],
    same_name: _SameName,
) -> tuple[str, str]:
    before = Counter(previous[(g.article_id, g.key)] for g in cluster.groups
                     if (g.article_id, g.key) in previous)
    free = [(-n, eid) for eid, n in before.items() if eid not in taken]
    if free:
        return min(free)[1], "kept"
    name, label = canonical_name(cluster), _label(cluster)
    if _strong_name(name, label):
        for other in same_name.get(name):
            if label_class(other.label) == label_class(label) and normalise(other.name) == normalise(name) \
                    and other.id not in taken:
                return other.id, "store"
    first = min(g.article_id for g in cluster.groups)
    return content_id(normalise(name), label_class(label), first, prefix="e_"), "new"


def _strong_name(name: str, label: str) -> bool:
    """A name specific enough to join entities across unrelated stories."""
    words = normalise(name).split()
    return len(words) >= 2 if label == "PERSON" else bool(words) and label_class(label) == "ORG"


def _with_other_stories(entity: Entity, other_articles: list[str], other_mentions: int,
                        old: Entity | None) -> Entity:
    """Fold in what other stories' articles (``other_articles``, in ID order, whose links hold
    ``other_mentions`` mentions) contribute to a store-wide entity; ``old`` is its stored row
    (None: gone or new)."""
    if not other_articles or old is None:  # a link to a row that is gone: rebuild from this story alone
        return entity
    aliases = (set(entity.aliases) | set(old.aliases) | {old.name}) - {entity.name}
    return Entity(
        id=entity.id, name=entity.name, label=entity.label,
        aliases=tuple(sorted(aliases, key=_alias_order)),
        roles=tuple(_dedupe([*entity.roles, *old.roles])),
        article_ids=tuple(dict.fromkeys([*other_articles, *entity.article_ids])),
        mention_count=entity.mention_count + other_mentions,
        evidence=tuple(sorted(set(entity.evidence) | set(old.evidence))),
    )


def _links(cluster: Cluster, entity: Entity, how: str) -> list[EntityLink]:
    out = []
    for g in cluster.groups:
        reason = "canonical name" if g.key == entity.name else _reason_for(g, cluster)
        if how == "store":
            reason += "; same full name as an entity of another story"
        out.append(EntityLink(g.article_id, g.key, entity.id, reason))
    return out


def _reason_for(g: NameGroup, cluster: Cluster) -> str:
    for reason in sorted(cluster.evidence):
        if reason.endswith(f": {g.key}") or f" {g.key}" in reason:
            return reason
    return "same name" if any(o.norm == g.norm for o in cluster.groups if o is not g) else "linked"


def entity_map(links: Iterable[EntityLink]) -> dict[tuple[str, str], str]:
    """(article_id, entity_key) -> entity_id, for claims and reports."""
    return {(x.article_id, x.entity_key): x.entity_id for x in links}
