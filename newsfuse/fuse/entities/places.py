"""Linking rules for organisations, places and nationalities: acronyms ('UN'), demonyms ('North
Korean' -> North Korea) and name containment ('Microsoft' / 'Microsoft Corp'), with the guards
that keep a body named after a place, or a part of a place, apart from the place.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from newsfuse.analyze.events.plover import COUNTRY_CODES
from newsfuse.fuse.entities.blocks import _first_of_each_name, _Linker, _Union
from newsfuse.fuse.entities.names import NameGroup, label_class

_ACRONYM_SKIP = {"of", "the", "and", "for", "de", "&"}
# Words that make a part of a place a place of its own: 'Lower Dunmere' is not all of 'Dunmere'.
_PLACE_PARTS = frozenset({"upper", "lower", "inner", "outer"})
_PLACES = frozenset({"GPE", "LOC"})


def _link_acronyms(groups: Sequence[NameGroup], idx: list[int], uf: _Union, link: _Linker) -> None:
    initials: dict[str, list[int]] = {}
    for i in idx:
        g = groups[i]
        if label_class(g.label) == "ORG" and len(g.words) >= 2:
            letters = "".join(w[0] for w in g.words if w not in _ACRONYM_SKIP)
            initials.setdefault(letters, []).append(i)
    for i in idx:
        g = groups[i]
        if label_class(g.label) == "ORG" and g.key.isupper() and len(g.words) == 1:
            # One actor, however many reports spell it out: counted by cluster, not by group (a
            # full name in two articles made two targets, so its acronym never joined it).
            targets = {uf.find(j) for j in initials.get(g.norm, [])}
            if len(targets) == 1:  # 'NA' of both 'National Assembly' and 'New Alliance': unknown
                link(min(targets), i, f"acronym: {g.key}")


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
