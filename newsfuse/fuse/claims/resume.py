"""Event chains and aligned groups of a story kept between fuses: a new article published after the
others is aligned against the story's existing groups, not the whole story again.

Both passes are greedy and order-stable: statements are taken in the claims' canonical order
(publication date, then ID) and each joins the first chain or group it relates to. When the
statements of a re-fuse begin with exactly those of the story's last fuse (the same Statement
objects, which :mod:`~newsfuse.fuse.claims.cache` keeps per article) and the new ones come after
them, adding the new ones to the kept chains and groups is what aligning all of them again does,
provided their chains leave the old events' chains as they were: a new event that joins two old
chains changes how old events align, and then everything is aligned again. The same happens when the
story lost a statement (an article moved out, re-analysed, or an outlet's repeated sentence became
boilerplate), when a new article sorts before an old one (an older report arriving late), and when
the learned event coreference decides the chains (``defaults.COREF_MAX_GROUPS`` events or fewer:
the learned chains compare every pair of events, so they are recomputed): small stories cost little
either way.

A re-sorted article need not start it afresh: the kept state journals its writes from the first
article of an estimated date near the end of the story (:func:`_mark`, :mod:`~newsfuse.fuse.claims.undo`),
and when a re-fuse's statements first differ at or after that point the writes from there on are
undone and the rest aligned as new, with the same check of the old events' chains. On the bench's
one-topic 500-article story (``fusion_scale.py --grow-pool 12``) every add aligned from scratch
because an undated copy's estimated date (the story's median, or a weekday near it) moved with the
add and re-sorted it after the new article; it now goes back over the last few dozen statements.
When a new article made one outlet's sentence boilerplate (older statements left the story), the
story's memo (the relation of two signatures, true for any statements) is kept for the alignment
from scratch, and each group is asked once per signature (``align._relation_to_group``).

Kept for ``defaults.CLAIM_ALIGNMENTS_KEPT`` stories per process, least recently used dropped first.
A fuse rolled back after building its claims leaves state for statements the store does not hold;
the next fuse's statements are then no continuation of it and are aligned from scratch.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from newsfuse import defaults
from newsfuse.fuse.claims import eventpairs
from newsfuse.fuse.claims.align import Aligner, _Group
from newsfuse.fuse.claims.chains import _Chains, event_chains
from newsfuse.fuse.claims.relations import Memo, full
from newsfuse.fuse.claims.statements import Statement
from newsfuse.fuse.claims.undo import Undo
from newsfuse.fuse.claims.vectors import SentenceVectors


@dataclass
class _Kept:
    items: list[Statement]  # what the state has taken, in order
    chains: _Chains
    aligner: Aligner
    chain_of: dict[int, int]  # id of an event -> its chain's number


class Alignments:
    """Per story, the chains and aligner of its last fuse (``size`` stories at most; 0: none kept);
    ``resumed`` and ``fresh`` count the alignments that continued a kept one and those that did not.
    One lock: two threads fusing one story never advance its state together."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._kept: OrderedDict[str, _Kept | None] = OrderedDict()
        self._lock = threading.Lock()
        self.resumed = self.fresh = 0
        self.gone_back = 0  # of the resumed: those that went back over a re-sorted article first
        # entries (signatures and answers) the kept states' relation memos may hold together (a
        # watch's byte budget, watch/kept.py); None: each memo to CLAIM_RELATION_MEMO_KEPT only
        self.memo_entries: int | None = None

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self.resumed = self.fresh = self.gone_back = 0

    def memos(self) -> list[Memo]:
        """The relation memos the kept states hold, least recently used first."""
        with self._lock:
            return [k.aligner.memo for k in self._kept.values() if k is not None]

    def keep_memo_entries(self, n: int | None) -> None:
        """Hold the kept memos to ``n`` entries together (None: no bound but each memo's): the least
        recently used stories' states are dropped until they fit (the last one is kept; its memo
        starts afresh at its next alignment from scratch)."""
        with self._lock:
            self.memo_entries = n
            self._bound_memos()

    def _bound_memos(self) -> None:
        if self.memo_entries is None:
            return
        held = sum(len(k.aligner.memo) for k in self._kept.values() if k is not None)
        while held > self.memo_entries and len(self._kept) > 1:
            _, dropped = self._kept.popitem(last=False)
            held -= len(dropped.aligner.memo) if dropped is not None else 0

    def aligned(
        self, story_id: str, items: Sequence[Statement], vectors: SentenceVectors | None = None
    ) -> tuple[list[list[Statement]], list[_Group]]:
        """The event chains and aligned groups of ``items`` (what ``event_chains`` and ``align`` give)."""
        with self._lock:
            kept = self._kept.pop(story_id, None)
            found = None
            back = _went_back(kept, items) if kept is not None and _resumable(kept, items) else None
            if kept is not None and back is not None:
                found = _extend(kept, items)
            if found is not None and kept is not None:
                self.resumed += 1
                self.gone_back += back is True
                _journal_from(kept, _mark(items))
            else:
                self.fresh += 1
                memo = kept.aligner.memo if kept is not None else None
                most = defaults.CLAIM_RELATION_MEMO_KEPT
                kept, found = _fresh(items, vectors, memo, most if self.memo_entries is None
                                     else min(most, self.memo_entries))
            if self.size > 0:
                self._kept[story_id] = kept
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
                self._bound_memos()
            return found


def _fresh(
    items: Sequence[Statement], vectors: SentenceVectors | None, memo: Memo | None = None,
    most: int | None = None,
) -> tuple[_Kept | None, tuple[list[list[Statement]], list[_Group]]]:
    """Chains and groups of ``items`` from scratch, and the state to keep (None: the learned chains
    decided, nothing to resume). ``memo``: the story's memo of its last fuse (its relations are of
    signatures, so they hold for any statements: a fresh alignment asks again only what is new),
    started afresh past ``most`` entries (``defaults.CLAIM_RELATION_MEMO_KEPT``): it keeps the
    signatures of every statement the story ever held, which grew without end in a long watch's big
    stories."""
    if memo is None or full(memo, most):
        memo = Memo(items)
    else:
        memo.admit(items)
    events = [s for s in items if s.kind == "event"]
    if not _by_word(len(events)):
        chains = event_chains(items, memo, vectors)
        aligner = Aligner(memo)
        aligner.extend(items, _chain_of(chains))
        return None, (chains, list(aligner.groups))
    start = _mark(items)
    state = _Chains(memo, by_word=True)
    for s in items[:start]:
        if s.kind == "event":
            state.add(s)
    state.undo = Undo(start)
    _chain(state, items[start:])
    chains = state.result()
    chain_of = _chain_of(chains)
    aligner = Aligner(memo)
    aligner.extend(items[:start], chain_of)
    aligner.undo = Undo(start)
    aligner.extend(items[start:], chain_of)
    return _Kept(list(items), state, aligner, chain_of), (chains, list(aligner.groups))


def _chain(state: _Chains, items: Sequence[Statement]) -> None:
    """``items``' events added to the chains, a mark of the journal before each statement."""
    undo = state.undo
    for s in items:
        if undo is not None:
            undo.mark()
        if s.kind == "event":
            state.add(s)


def _mark(items: Sequence[Statement]) -> int:
    """Where a kept state's journal starts (:mod:`~newsfuse.fuse.claims.undo`): at the first statement
    of the first article whose date was estimated among the last ``defaults.CLAIM_ALIGNMENT_UNDO_STATEMENTS``
    statements (an undated article's estimate moves with the story's dates, so it re-sorts at a later
    add; going back further costs nearly what aligning the story again does, and the journal holds
    memory), else at the end (the next adds only)."""
    end = len(items)
    floor = max(0, end - defaults.CLAIM_ALIGNMENT_UNDO_STATEMENTS)
    at = next((n for n in range(floor, end) if items[n].article.published_source == "estimated"), end)
    return at


def _journal_from(kept: _Kept, start: int) -> None:
    """Keep the journal of ``kept`` from ``start`` on (it cannot begin before where it began)."""
    for undo in (kept.chains.undo, kept.aligner.undo):
        if undo is not None:
            undo.trim(start)


def _went_back(kept: _Kept, items: Sequence[Statement]) -> bool | None:
    """Whether ``kept`` went back to where ``items`` continue it: False when ``items`` begin with its
    statements (it is there), True when it went back to the first statement that differs (its
    journal covers it: the writes made from there on undone); None: it cannot (align afresh)."""
    old = kept.items
    at = next((n for n, (a, b) in enumerate(zip(old, items, strict=False)) if a is not b),
              min(len(old), len(items)))
    if at == len(old):
        return False
    chains, aligner = kept.chains.undo, kept.aligner.undo
    if chains is None or aligner is None or not chains.covers(at) or not aligner.covers(at):
        return None
    chains.back_to(at)
    aligner.back_to(at)
    # the chains the groups kept were aligned in: the old events' chains must come out the same
    kept.chain_of = {id(s): kept.chain_of[id(s)] for s in old[:at] if s.kind == "event"}
    kept.items = list(old[:at])
    return True


def _by_word(events: int) -> bool:
    """Whether a story of this many events is chained by the word rule alone (no learned chains, nor
    the rule's chains split and merged in context: chains.event_chains)."""
    learned = eventpairs.event_model() is not None or eventpairs.context_models() is not None
    return not learned or events > defaults.COREF_MAX_GROUPS


def _resumable(kept: _Kept, items: Sequence[Statement]) -> bool:
    events = sum(1 for s in items if s.kind == "event")
    return _by_word(events) and _by_word(len(kept.chains.events))


def _extend(kept: _Kept, items: Sequence[Statement]) -> tuple[list[list[Statement]], list[_Group]] | None:
    """Chains and groups of ``items`` from the kept state, or None when the new events changed the
    old events' chains (the state is then spent: the caller aligns from scratch and keeps that)."""
    new = items[len(kept.items):]
    _chain(kept.chains, new)
    chains = kept.chains.result()
    chain_of = _chain_of(chains)
    if any(chain_of.get(key) != n for key, n in kept.chain_of.items()):
        return None
    kept.aligner.extend(new, chain_of)
    kept.items = list(items)
    kept.chain_of = chain_of
    return chains, list(kept.aligner.groups)


def _chain_of(chains: Sequence[Sequence[Statement]]) -> dict[int, int]:
    return {id(s): n for n, chain in enumerate(chains) for s in chain}


ALIGNMENTS = Alignments(defaults.CLAIM_ALIGNMENTS_KEPT)
