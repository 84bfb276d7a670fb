"""The rule clusters of a growing story, kept between fuses and grown by the new article's groups
(:data:`KEPT`), exactly what :func:`~newsfuse.fuse.entities.clusters.rule_clusters` gives from scratch.

A re-fuse after one new article used to re-run every linking rule over all of the story's groups
(~16,000 in a 500-article story). Several rules depend on the story's counts (acronym targets,
surname slips, the place/body vote, title holders, a country's one cluster), so a new article can
change old decisions. What is kept, from the last full clustering: the union-find's roots after each
rule whose decision for a new group is checked (a snapshot of the partition at the moment the rule
decides for the last group), and each count-dependent rule's inputs (:class:`_State`).

A new group is added without re-running the rules only when the decision of every rule for it, and
for every old group, is provably the one a full clustering makes:

* a group with a name (not only pronouns) needs a *twin*: an earlier group with everything the rules
  read equal (:func:`_signature`; not its article, mention count or offsets). The same-name rule puts
  it in its twin's cluster (its 'home'), the rules that read only the first group of each name skip
  it, and every rule whose answer is a count of clusters is evaluated for it on the partition it
  would see (the kept snapshot): an answer other than 'nothing' or 'home' would join two old
  clusters, so the story is clustered from scratch instead;
* counts the rules compare (a word said of a person against the same word tagged as a body; the
  place/body vote of a cluster) must not cross their threshold, else from scratch;
* a pronoun-only group joins, inside its own (new) article, the actor the pronoun rule finds; a group
  with nothing to link (no name) stays alone.

Anything else (the story's old groups not a prefix of the new list, a group without a twin: a name
the story has not seen) clusters from scratch, and that clustering is kept for the next fuse.
``tests/test_fuse_entities_grow.py`` grows stories one article at a time against from-scratch results.
"""

from __future__ import annotations

import threading
from bisect import insort
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from newsfuse import defaults
from newsfuse.analyze.events.plover import COUNTRY_CODES
from newsfuse.fuse.entities.blocks import _blocks, _first_of_each_name, _Union
from newsfuse.fuse.entities.clusters import rule_clusters
from newsfuse.fuse.entities.names import Cluster, NameGroup, label_class, normalise
from newsfuse.fuse.entities.persons import (
    _PERSON_SLIPS,
    _full_person,
    _person_words,
    _same_word,
    _titles_compatible,
)
from newsfuse.fuse.entities.places import _ACRONYM_SKIP, _PLACES, _contains, _may_contain
from newsfuse.fuse.entities.pronouns import _NEUTER, _PERSONAL, _RELATIVE, _antecedent

_Signature = tuple[str, str, frozenset[str], str, bool, bool, bool]  # NameGroup.signature
_PRONOUNS = _PERSONAL | _NEUTER | _RELATIVE
# Stages whose partition a new group's decision is read against (clusters.rule_clusters' snapshots).
_STAGES = ("people", "partial", "acronyms", "demonyms", "contained", "head", "title", "final")


class _Roots:
    """Each group's root after one stage: the union-find's parent links as they were then, followed
    on demand (a copy of the links costs a fuse from scratch little; finding every root would not)."""

    __slots__ = ("parent",)

    def __init__(self, parent: list[int]) -> None:
        self.parent = parent

    def __getitem__(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            i = parent[i]
        return i

    def __setitem__(self, i: int, root: int) -> None:
        self.parent[i] = root

    def extend(self, new: Iterable[int]) -> None:
        self.parent.extend(new)


class _Fallback(Exception):  # a signal, not an error: the story is clustered from scratch
    """A new group may change a decision: cluster from scratch."""


@dataclass
class _State:
    """One story's rule clustering and what its count-dependent rules read (see the module doc)."""

    groups: list[NameGroup]
    roots: dict[str, _Roots]  # stage -> each group's root after it
    twins: dict[_Signature, int] = field(default_factory=dict)  # the first group of each signature
    counted: bool = False  # whether the fields below are read (only when a new article may be grown)
    as_person: Counter[str] = field(default_factory=Counter)  # persons._surname_slips' counts
    as_slip: Counter[str] = field(default_factory=Counter)
    person_words: dict[int, list[str]] = field(default_factory=dict)  # the full-named firsts
    by_initial: dict[object, list[int]] = field(default_factory=dict)
    by_first_name: dict[object, list[int]] = field(default_factory=dict)
    people_titles: dict[int, set[str]] = field(default_factory=dict)  # cluster titles after the people
    initials: dict[str, list[int]] = field(default_factory=dict)  # places._link_acronyms
    countries: dict[str, set[int]] = field(default_factory=dict)  # places._link_demonyms
    votes: Counter[int] = field(default_factory=Counter)  # places._link_contained's place/body vote
    holders: dict[tuple[str, str], dict[tuple[str, ...], list[int]]] = field(default_factory=dict)
    roles: dict[tuple[str, str], set[int]] = field(default_factory=dict)  # clusters._link_by_title
    members: dict[int, list[int]] = field(default_factory=dict)  # final root -> its groups, in order
    evidence: dict[int, set[str]] = field(default_factory=dict)  # final root -> the cluster's reasons
    # the story's entity resolution as last written (fuse/entities/resolved.py), kept while the story's
    # groups only grow (a clustering from scratch of the kept groups plus new ones keeps it too)
    resolved: object = None

    def clusters(self) -> list[Cluster]:
        """Fresh clusters (callers may change them), in order of their first group."""
        return [Cluster([self.groups[i] for i in self.members[r]], set(self.evidence[r]))
                for r in sorted(self.members)]


class KeptClusters:
    """The last rule clustering of up to ``defaults.ENTITY_GROWN_STORIES`` stories, grown in place
    when a story's groups are the kept ones plus new articles' (counts: ``grown`` / ``full``)."""

    def __init__(self) -> None:
        self.states: OrderedDict[tuple[str, str], _State] = OrderedDict()  # by the first group
        self.grown = self.full = 0
        self.why: Counter[str] = Counter()  # why a kept clustering was not grown
        self.most: int | None = None  # a lower bound than the setting's (a watch's byte budget)
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self.states.clear()

    def keep_at_most(self, n: int | None) -> None:
        """Keep at most ``n`` stories' states (None: ``defaults.ENTITY_GROWN_STORIES``), least
        recently clustered dropped first (watch/kept.py holds them to a byte bound)."""
        with self._lock:
            self.most = n
            self._bound()

    def _bound(self) -> None:
        most = defaults.ENTITY_GROWN_STORIES
        if self.most is not None:
            most = min(most, self.most)
        while len(self.states) > max(0, most):
            self.states.popitem(last=False)

    def clusters(self, groups: Sequence[NameGroup]) -> list[Cluster]:
        """:func:`~newsfuse.fuse.entities.clusters.rule_clusters` of ``groups``."""
        return self.clusters_kept(groups)[0]

    def clusters_kept(self, groups: Sequence[NameGroup]) -> tuple[list[Cluster], _State | None]:
        """:meth:`clusters` and the kept state they are read from (None: nothing kept). The state's
        groups are ``groups``; its final roots (each cluster's first group) are in cluster order."""
        if defaults.ENTITY_GROWN_STORIES <= 0 or not groups:
            return rule_clusters(groups), None
        key = (groups[0].article_id, groups[0].key)
        with self._lock:
            state = self.states.pop(key, None)
        resolved = None
        if state is not None and _prefix(state.groups, groups):
            resolved = state.resolved  # the old groups keep their indexes, so their roots too
            try:
                _grow(state, groups[len(state.groups):])
                self.grown += 1
            except _Fallback as why:
                self.why[str(why)] += 1
                state = None
        else:
            self.why["not kept" if state is None else "groups changed"] += 1
            state = None
        if state is None:
            state = _full(list(groups))
            state.resolved = resolved
            self.full += 1
        with self._lock:
            self.states[key] = state
            self._bound()
        return state.clusters(), state

    def kept_states(self) -> list[_State]:
        """The states kept now (a writer of one story's links drops what others kept of them)."""
        with self._lock:
            return list(self.states.values())


KEPT = KeptClusters()


def _prefix(old: list[NameGroup], new: Sequence[NameGroup]) -> bool:
    """Whether ``new`` is ``old`` (the same group objects: kept analyses) plus groups after them."""
    return len(new) >= len(old) and all(a is b for a, b in zip(old, new, strict=False))


# -- from scratch ------------------------------------------------------------------------------------


def _full(groups: list[NameGroup]) -> _State:
    roots: dict[str, _Roots] = {}

    def snapshot(stage: str, uf: _Union) -> None:
        if stage == "final":
            roots[stage] = _Roots([uf.find(i) for i in range(len(groups))])
        elif stage in _STAGES:
            roots[stage] = _Roots(list(uf.parent))

    clusters = rule_clusters(groups, snapshot)
    state = _State(groups, roots)
    for i, root in enumerate(roots["final"].parent):
        state.members.setdefault(root, []).append(i)
    for root, cluster in zip(sorted(state.members), clusters, strict=True):  # both in order of roots
        state.evidence[root] = set(cluster.evidence)
    return state


def _read_counts(state: _State) -> None:
    """The count-dependent rules' inputs, as each rule builds them (see the rule modules)."""
    groups, roots = state.groups, state.roots
    linkable = [i for i, g in enumerate(groups) if not g.pronoun_only and g.norm]
    words = {i: _person_words(groups[i]) for i in linkable if groups[i].label == "PERSON"}
    state.as_person.update(w[-1] for w in words.values())
    state.as_slip.update(groups[i].words[0] for i in linkable
                         if groups[i].label in _PERSON_SLIPS and len(groups[i].words) == 1)
    full = [i for i in _first_of_each_name(groups, linkable) if i in words and len(words[i]) >= 2]
    state.person_words = {i: words[i] for i in full}
    state.by_initial = _blocks(full, lambda j: words[j][-1][:1])
    state.by_first_name = _blocks(full, lambda j: words[j][0])
    for i, g in enumerate(groups):
        state.people_titles.setdefault(roots["people"][i], set()).update(g.titles)
    for i in linkable:
        g = groups[i]
        if label_class(g.label) == "ORG" and len(g.words) >= 2:
            state.initials.setdefault(_letters(g), []).append(i)
        code = COUNTRY_CODES.get(g.norm)
        if code and g.label in _PLACES:
            state.countries.setdefault(code, set()).add(roots["acronyms"][i])
    names = [i for i in linkable if not groups[i].nominal and groups[i].label != "PERSON"]
    for j in _first_of_each_name(groups, names):
        h = groups[j]
        for word in set(h.words):
            by_name = state.holders.setdefault((label_class(h.label), word), {})
            by_name.setdefault(tuple(h.words), []).append(j)
    for i in names:
        state.votes[roots["demonyms"][i]] += _vote(groups[i])
    for i in linkable:
        g = groups[i]
        for title in g.titles:
            words_ = normalise(title).split()
            if words_ and not g.nominal:
                for role in (words_[-1], " ".join(words_)):
                    state.roles.setdefault((role, label_class(g.label)), set()).add(roots["head"][i])


def _letters(g: NameGroup) -> str:
    return "".join(w[0] for w in g.words if w not in _ACRONYM_SKIP)


def _vote(g: NameGroup) -> int:
    return g.count if g.label in _PLACES else -g.count


# -- growing --------------------------------------------------------------------------------------------


def _grow(state: _State, new: Sequence[NameGroup]) -> None:
    """Add ``new`` (groups after the kept ones) to ``state``, or raise :class:`_Fallback`. Groups
    with a name first, then pronouns (the pronoun rule reads its article's every other group)."""
    if not state.twins:
        for i, g in enumerate(state.groups):
            if not g.pronoun_only and g.norm:
                state.twins.setdefault(g.signature, i)
    if any(not g.pronoun_only and g.norm and g.signature not in state.twins for g in new):
        raise _Fallback("new name")  # a name (or a reading of one) the story has not seen
    if defaults.ENTITY_SURNAME_ACROSS_ARTICLES != "off" and _surname_twice(new):
        raise _Fallback("surname")  # two people of one surname in one report: they may split a join
    if not state.counted:  # read once per clustering from scratch, by the first article grown
        _read_counts(state)
        state.counted = True
    start = len(state.groups)
    state.groups.extend(new)
    for roots in state.roots.values():
        roots.extend(range(start, len(state.groups)))
    for i in range(start, len(state.groups)):
        if not state.groups[i].pronoun_only:
            _add_named(state, i) if state.groups[i].norm else _alone(state, i)
    for i in range(start, len(state.groups)):
        if state.groups[i].pronoun_only:
            _add_pronoun(state, i, start)


def _surname_twice(new: Sequence[NameGroup]) -> bool:
    """Whether an article of ``new`` names two people of one surname (persons.
    _link_surname_across_articles joins only clusters no article names together, so such an
    article may undo a kept join)."""
    seen: dict[tuple[str, str], str] = {}
    for g in new:
        words = _full_person(g)
        if words is not None and seen.setdefault((g.article_id, words[-1]), g.norm) != g.norm:
            return True
    return False


def _alone(state: _State, i: int) -> None:
    state.members[i], state.evidence[i] = [i], set()


def _add_named(state: _State, i: int) -> None:
    g = state.groups[i]
    twin = state.twins[g.signature]
    for roots in state.roots.values():
        roots[i] = roots[twin]  # the same-name rule puts it in its twin's cluster from the start
    _check_people(state, g, twin)
    _check_places(state, g, i, twin)
    _check_title(state, g, twin)
    root = state.roots["final"][i]
    insort(state.members[root], i)
    state.evidence[root].add(f"same name: {g.key}")


def _flips(state: _State, word: str, person: bool) -> bool:
    """Count one more group of ``word`` (said of a person, or tagged as a body): whether
    persons._surname_slips' test for the word changes."""
    before = state.as_person[word] > state.as_slip[word]
    (state.as_person if person else state.as_slip)[word] += 1
    return (state.as_person[word] > state.as_slip[word]) != before


def _check_people(state: _State, g: NameGroup, twin: int) -> None:
    """persons._link_partial_person for a new group: the counts, then its own decision."""
    if g.label == "PERSON":
        words = _person_words(g)
        if _flips(state, words[-1], True):
            raise _Fallback("count")
        if len(words) == 1:
            _check_one_word(state, g, words[0], twin, "people")
    elif g.label in _PERSON_SLIPS and len(g.words) == 1:
        word = g.words[0]
        if _flips(state, word, False):
            raise _Fallback("count")
        if state.as_person[word] > state.as_slip[word]:
            _check_one_word(state, g, word, twin, "partial")


def _check_one_word(state: _State, g: NameGroup, word: str, twin: int, stage: str) -> None:
    roots = state.roots[stage]  # the slips go after the people, at the rule's end
    home = roots[twin]
    by_surname = {roots[j] for j in state.by_initial.get(word[:1], ())
                  if _same_word(state.person_words[j][-1], word)}
    if len(by_surname) == 1:
        _home(by_surname, home)
        return
    if not g.titles or stage != "people":  # a first name alone links only with a title; slips never
        return
    by_first = {roots[j] for j in state.by_first_name.get(word, ())
                if _titles_compatible(g.titles, state.people_titles.get(roots[j], set()))}
    if len(by_first) == 1:
        _home(by_first, home)


def _home(targets: set[int], home: int) -> None:
    """A rule links the new group to the one cluster in ``targets``: it must be its own."""
    if targets != {home}:
        raise _Fallback("decision")


def _check_places(state: _State, g: NameGroup, i: int, twin: int) -> None:
    """places' acronym, demonym and containment rules for a new group."""
    roots = state.roots
    cls = label_class(g.label)
    if cls == "ORG" and len(g.words) >= 2:
        state.initials.setdefault(_letters(g), []).append(i)
    if cls == "ORG" and g.key.isupper() and len(g.words) == 1:
        targets = {roots["acronyms"][j] for j in state.initials.get(g.norm, [])}
        if len(targets) == 1:
            _home(targets, roots["acronyms"][twin])
    code = COUNTRY_CODES.get(g.norm)
    # a place of a country adds its twin's cluster, already counted
    if code and g.label == "NORP" and len(state.countries.get(code, ())) == 1:
        _home({roots["demonyms"][min(state.countries[code])]}, roots["demonyms"][twin])
    if g.nominal or g.label == "PERSON":
        return
    key = roots["demonyms"][twin]
    before = state.votes[key] > 0
    state.votes[key] += _vote(g)
    if (state.votes[key] > 0) != before:
        raise _Fallback("count")  # the cluster's place/body vote turned: old decisions may change
    after = roots["contained"]
    place = state.votes[after[twin]] > 0
    found = [j for longer, js in state.holders.get((cls, g.words[0]), {}).items()
             if len(longer) > len(g.words) and _contains(list(longer), g.words) for j in js]
    holders = {after[j] for j in found} if all(_may_contain(state.groups[j], place) for j in found) else set()
    if len(holders) == 1:
        _home(holders, after[twin])


def _check_title(state: _State, g: NameGroup, twin: int) -> None:
    """clusters._link_by_title for a new description (a new title holder adds its twin's cluster)."""
    if not g.nominal:
        return
    roots, cls = state.roots["title"], label_class(g.label)
    holders = {roots[r] for r in state.roles.get((g.head_word, cls), ())}
    if len(holders) > 1:
        holders = {roots[r] for r in state.roles.get((g.norm, cls), ())}
    if len(holders) == 1:
        _home(holders, roots[twin])


def _add_pronoun(state: _State, i: int, start: int) -> None:
    """pronouns._link_pronouns for a pronoun of a new article (its candidates are that article's)."""
    g = state.groups[i]
    if not g.positions or g.norm not in _PRONOUNS:
        _alone(state, i)
        return
    article = [j for j in range(start, len(state.groups))
               if state.groups[j].article_id == g.article_id and not state.groups[j].pronoun_only]
    found = _antecedent(state.groups, article, min(g.positions), g.norm)
    if found is None:
        _alone(state, i)
        return
    root = state.roots["final"][found]
    state.roots["final"][i] = root
    insort(state.members[root], i)
    state.evidence[root].add(f"pronoun: {g.key}")
