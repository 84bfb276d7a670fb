"""Cross-article event coreference inside one story (:func:`event_chains`): claims align inside
these chains."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from newsfuse import defaults
from newsfuse.fuse.claims import eventpairs
from newsfuse.fuse.claims.relations import Memo
from newsfuse.fuse.claims.statements import Statement
from newsfuse.fuse.claims.undo import Undo
from newsfuse.fuse.claims.vectors import SentenceVectors
from newsfuse.fuse.claims.words import trigger_forms
from newsfuse.fuse.entities.pairmodel import PairModel, average_link


def event_chains(
    items: Sequence[Statement], memo: Memo | None = None, vectors: SentenceVectors | None = None
) -> list[list[Statement]]:
    """Cross-article event coreference inside one story (see the module docstring), in order.

    Greedy and order-stable: an event joins the first chain holding an event of the same word or
    synonym set that no member contradicts; events of two articles that the claim relation relates
    always share a chain (so claims, built inside chains, align across articles as before). Events
    of one article are chained by their word only: the claim relation calls 'killed three and
    wounded five' alike (one sentence, one type), but one report tells those as two events.
    With learned weights (:mod:`~newsfuse.fuse.claims.eventpairs`, ``defaults.COREF_WEIGHTS``) the
    learned chains take the word rule's place; the claim relation still joins chains as above.
    Their sentence vectors come from ``vectors`` (the story's kept claim vectors). Without them, the
    trigger-context scorers (``defaults.COREF_CONTEXT``, :func:`_in_context`) split and merge the word
    rule's chains first, and those chains take its place the same way.
    """
    events = [s for s in items if s.kind == "event"]
    model = eventpairs.event_model()
    learned = eventpairs.learned_chains(events, model, vectors) if model is not None else None
    memo = memo if memo is not None else Memo(events)
    context = eventpairs.context_models() if model is None else None
    if context is not None:
        learned = _in_context(events, memo, vectors, context)
    chains = _Chains(memo, by_word=learned is None)
    for s in events:
        chains.add(s)
    for chain in learned or ():  # the learned scorer in place of the word rule (fuse/claims/eventpairs.py)
        for k in chain[1:]:
            chains._union(chain[0], k)
    return chains.result()


def _in_context(
    events: Sequence[Statement], memo: Memo, vectors: SentenceVectors | None,
    models: tuple[PairModel, PairModel],
) -> list[list[int]] | None:
    """The word rule's chains (with the claim relation's joins) split, then merged, by average link of
    the context scorers' probabilities (:func:`~newsfuse.fuse.claims.eventpairs.context_features`:
    the split scorer for two events of one rule chain, the merge scorer for two apart); None when the
    story is too big to compare pairwise (``defaults.COREF_MAX_GROUPS``: the rule's chains stay)."""
    if len(events) > defaults.COREF_MAX_GROUPS:
        return None
    rule = _Chains(memo)
    for s in events:
        rule.add(s)
    chained = [rule.find(i) for i in range(len(events))]
    groups: dict[int, list[int]] = {}
    for i, root in enumerate(chained):
        groups.setdefault(root, []).append(i)
    if len(events) < 2:
        return list(groups.values())
    features = list(eventpairs.context_features(events, vectors))
    same = np.asarray(chained)[:, None] == np.asarray(chained)[None, :]
    split, merge = models
    prob = np.where(same, split.probabilities(features), merge.probabilities(features))
    out: list[list[int]] = []
    for rows in groups.values():
        if len(rows) < 2:
            out.append(rows)
            continue
        inner = average_link(prob[np.ix_(rows, rows)], [[k] for k in range(len(rows))],
                             defaults.COREF_CONTEXT_SPLIT)
        out.extend([rows[k] for k in c] for c in inner)
    return average_link(prob, out, defaults.COREF_CONTEXT_MERGE) if len(out) > 1 else out


@dataclass
class _Chain:
    """One coreference chain while chains grow: what candidates are looked up and compared by."""

    first: int  # its first event (chains are tried in this order)
    size: int
    # signature -> (an event of it, the articles holding it): one comparison per signature
    by_sig: dict[int, tuple[Statement, set[str]]]
    forms: set[str]  # word forms of its triggers
    keys: set[tuple[str, str]]  # ('type', PLOVER type) and ('trigger', word) of its events


class _Chains:
    """Union-find over a story's events, with indexes so an event is compared only with chains it
    could join: chains sharing a word form (the word rule), chains holding an event of its type or
    trigger (the claim relation requires one of them equal)."""

    def __init__(self, memo: Memo, by_word: bool = True) -> None:
        self.memo = memo
        self.by_word = by_word  # the word rule chains events (else the learned chains do)
        self.events: list[Statement] = []
        self.parent: list[int] = []
        self.chains: dict[int, _Chain] = {}  # root -> chain
        self.by_form: dict[str, set[int]] = {}  # word form -> roots
        self.by_key: dict[tuple[str, str], set[int]] = {}  # ('type'|'trigger', value) -> roots
        # the writes made since a position, to go back there (fuse/claims/resume.py); None: not kept
        self.undo: Undo | None = None

    def find(self, i: int) -> int:
        parent = self.parent
        if self.undo is not None:  # no path halving: its writes would have to be undone too
            while parent[i] != i:
                i = parent[i]
            return i
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def add(self, s: Statement) -> None:
        j, undo = len(self.events), self.undo
        forms = trigger_forms(s.trigger)
        keys = {("type", s.type), ("trigger", s.trigger)}
        chain = _Chain(j, 1, {self.memo.sig(s): (s, {s.article.id})}, set(forms), set(keys))
        if undo is None:
            self.events.append(s)
            self.parent.append(j)
            self.chains[j] = chain
        else:
            undo.append(self.events, s)
            undo.append(self.parent, j)
            undo.put(self.chains, j, chain)
        word = self._word_match(s, forms) if self.by_word else None
        if word is not None:
            self._union(word, j)
        self._join_related(s, j, keys)
        root = self.find(j)
        _index(self.by_form, forms, root, undo)
        _index(self.by_key, keys, root, undo)

    def _word_match(self, s: Statement, forms: frozenset[str]) -> int | None:
        """The first chain sharing a word form with ``s`` that no member contradicts."""
        roots = {r for f in forms for r in self.by_form.get(f, ())}
        for r in sorted(roots, key=lambda r: self.chains[r].first):
            if not any(self.memo.contradicts(m, s) for m, _ in self.chains[r].by_sig.values()):
                return r
        return None

    def _join_related(self, s: Statement, j: int, keys: set[tuple[str, str]]) -> None:
        """Join every chain holding an event of another article that the claim relation relates."""
        roots = {r for k in keys for r in self.by_key.get(k, ())}
        for r in sorted(roots, key=lambda r: self.chains[r].first):
            if self.find(r) == self.find(j):
                continue
            for m, articles in self.chains[r].by_sig.values():
                if (len(articles) > 1 or s.article.id not in articles) and self._may_relate(m, s) and (
                    self.memo.relation(m, s) is not None
                ):
                    self._union(r, j)
                    break

    @staticmethod
    def _may_relate(m: Statement, s: Statement) -> bool:
        """Whether the claim relation may chain ``m`` and ``s``: one trigger, or one PLOVER type and
        (with ``defaults.COREF_RELATED_SAME_WORD``) a word form or synonym set in common, or both
        actors (source and target) known and the same ('the army shelled Korvel' / 'the army stormed
        Korvel' stay two acts; 'Aslan attacked Boran' / 'Aslan struck Boran' may be one)."""
        if m.trigger == s.trigger:
            return True
        if m.type != s.type:
            return False
        if not defaults.COREF_RELATED_SAME_WORD or trigger_forms(m.trigger) & trigger_forms(s.trigger):
            return True
        return m.entity is not None and m.target is not None and (m.entity, m.target) == (s.entity, s.target)

    def _union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        keep, gone = (ra, rb) if self.chains[ra].size >= self.chains[rb].size else (rb, ra)
        if self.undo is not None:
            self._union_undoable(keep, gone, self.undo)
            return
        self.parent[gone] = keep
        k, g = self.chains[keep], self.chains.pop(gone)
        k.first, k.size = min(k.first, g.first), k.size + g.size
        for sig, (m, articles) in g.by_sig.items():
            if sig in k.by_sig:
                k.by_sig[sig][1].update(articles)
            else:
                k.by_sig[sig] = (m, articles)
        for f in g.forms:
            self.by_form.setdefault(f, set()).discard(gone)
            self.by_form[f].add(keep)
        for key in g.keys:
            self.by_key.setdefault(key, set()).discard(gone)
            self.by_key[key].add(keep)
        k.forms |= g.forms
        k.keys |= g.keys

    def _union_undoable(self, keep: int, gone: int, undo: Undo) -> None:
        """:meth:`_union`'s writes, each recorded in ``undo``."""
        undo.set_at(self.parent, gone, keep)
        k, g = self.chains[keep], undo.pop(self.chains, gone)
        undo.attr(k, "first", min(k.first, g.first))
        undo.attr(k, "size", k.size + g.size)
        for sig, (m, articles) in g.by_sig.items():
            if sig in k.by_sig:
                for article in articles:
                    undo.add(k.by_sig[sig][1], article)
            else:
                undo.put(k.by_sig, sig, (m, articles))
        for v in g.forms:
            undo.discard(_roots(self.by_form, v, undo), gone)
            undo.add(self.by_form[v], keep)
        for key in g.keys:
            undo.discard(_roots(self.by_key, key, undo), gone)
            undo.add(self.by_key[key], keep)
        for x in g.forms:
            undo.add(k.forms, x)
        for x in g.keys:
            undo.add(k.keys, x)

    def result(self) -> list[list[Statement]]:
        chains: dict[int, list[Statement]] = {}
        for i, s in enumerate(self.events):
            chains.setdefault(self.find(i), []).append(s)
        return list(chains.values())


K = TypeVar("K")


def _roots(index: dict[K, set[int]], key: K, undo: Undo | None) -> set[int]:
    """The roots of ``key`` in ``index``, an empty set put there first if it has none."""
    roots = index.get(key)
    if roots is None:
        roots = set()
        if undo is None:
            index[key] = roots
        else:
            undo.put(index, key, roots)
    return roots


def _index(index: dict[K, set[int]], keys: Iterable[K], root: int, undo: Undo | None) -> None:
    """``root`` under each of ``keys`` in ``index`` (a chain's word forms or its type and trigger)."""
    for key in keys:
        if undo is None:
            _roots(index, key, None).add(root)
        else:
            undo.add(_roots(index, key, undo), root)
