"""Linking rules for people's names: name variants ('Fred LaRue' / 'Frederick C. LaRue'), a lone
surname or a title + first name joining the one full-named person of the story, and the small
model's slips (a person's name tagged ORG).

Kept apart from the rules for places and organisations (:mod:`~newsfuse.fuse.entities.places`):
people follow stricter surname / first-name rules than containment.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from rapidfuzz import fuzz

from newsfuse import defaults
from newsfuse.fuse.entities.blocks import _blocks, _first_of_each_name, _Linker, _pairs_in_blocks, _Union
from newsfuse.fuse.entities.names import NameGroup

_SURNAME_MODES = ("off", "initial", "any")

# Types the small model gives a person's name by mistake ('Kostan said' as ORG): a name of one of
# them that the story's other reports give a person joins that person.
_PERSON_SLIPS = frozenset({"ORG", "PRODUCT", "WORK_OF_ART"})


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
    groups: Sequence[NameGroup], idx: list[int], uf: _Union, link: _Linker,
    after_people: Callable[[], None] | None = None,
) -> None:
    """A lone surname, or a title + first name, joins the one full-named person it can name; the
    groups tagged PERSON go first, then the slips (``after_people`` is called between the two)."""
    words = {i: _person_words(groups[i]) for i in idx if groups[i].label == "PERSON"}
    # Only the first group of each full name: the others are in its cluster and give its answers.
    full = [i for i in _first_of_each_name(groups, idx) if i in words and len(words[i]) >= 2]
    slips = _surname_slips(groups, idx, words)
    # A surname matches only words of its initial (_same_word), a first name only itself: look
    # candidates up by those keys instead of scanning every full name for every one-word name.
    by_initial = _blocks(full, lambda j: words[j][-1][:1])
    by_first_name = _blocks(full, lambda j: words[j][0])
    titles = _ClusterTitles(groups, uf)
    for i, w in [*words.items(), (None, []), *slips.items()]:  # (None: the people are done)
        if i is None and after_people is not None:
            after_people()
        if i is None or len(w) != 1:
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


def _full_person(g: NameGroup) -> list[str] | None:
    """The person words of a full name written as a name ('Bibi Netanyahu'), else None."""
    if g.label != "PERSON" or not g.names:
        return None
    words = _person_words(g)
    return words if len(words) >= 2 else None


def _link_surname_across_articles(groups: Sequence[NameGroup], idx: list[int], uf: _Union,
                                  link: _Linker) -> None:
    """Two full names of one surname that no article names together are one person written two
    ways ('Katie' / 'Kathryn Jenkin', 'Alexis' / 'Alexandros Grigoropoulos') when each is the
    other's only such partner among the story's clusters of that surname and their titles agree
    (``defaults.ENTITY_SURNAME_ACROSS_ARTICLES``: "initial" also wants the first names' initials
    equal). Two names in one article are two people ('John' and 'Katie Jenkin')."""
    mode = defaults.ENTITY_SURNAME_ACROSS_ARTICLES
    if mode not in _SURNAME_MODES:
        raise ValueError(f"ENTITY_SURNAME_ACROSS_ARTICLES {mode!r}: one of {_SURNAME_MODES}")
    if mode == "off":
        return
    by_surname: dict[str, dict[int, _Holder]] = {}
    for i in idx:
        words = _full_person(groups[i])
        if words is not None:
            holder = by_surname.setdefault(words[-1], {}).setdefault(uf.find(i), _Holder(i))
            holder.add(groups[i], words[0])
    for holders in by_surname.values():
        if len(holders) < 2:
            continue
        partners = {r: [s for s in holders if s != r and holders[r].fits(holders[s], mode == "initial")]
                    for r in holders}
        for r, found in partners.items():
            if len(found) == 1 and r < found[0] and partners[found[0]] == [r]:
                a, b = holders[r], holders[found[0]]
                link(a.first, b.first, f"same surname in other reports: {groups[a.first].key} ~ "
                                       f"{groups[b.first].key}")


class _Holder:
    """One cluster's full names of one surname: their articles, first names and titles."""

    __slots__ = ("articles", "first", "first_names", "titles")

    def __init__(self, first: int) -> None:
        self.first = first
        self.articles: set[str] = set()
        self.first_names: set[str] = set()
        self.titles: set[str] = set()

    def add(self, g: NameGroup, first_name: str) -> None:
        self.articles.add(g.article_id)
        self.first_names.add(first_name)
        self.titles.update(g.titles)

    def fits(self, other: _Holder, initial: bool) -> bool:
        if self.articles & other.articles:
            return False
        if self.titles and other.titles and not _titles_compatible(self.titles, other.titles):
            return False
        return not initial or bool({w[:1] for w in self.first_names} & {w[:1] for w in other.first_names})
