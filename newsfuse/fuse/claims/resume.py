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

Why a big story still aligns from scratch: on the bench's one-topic 500-article story
(``fusion_scale.py --grow-pool 12``: 12 texts across 60 outlets) every add did, not because of
``COREF_MAX_GROUPS`` (its ~7,300 events are far past it: the word rule chains them, resumable) but
because the new article made one outlet's sentence boilerplate (its second report of one text: the
same closing sentences), so older statements left the story. The story's memo (the relation of two
signatures, true for any statements) is then kept for the alignment from scratch, and each group is
asked once per signature (``align._relation_to_group``): that alignment costs about half of what it
did.

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
        # entries (signatures and answers) the kept states' relation memos may hold together (a
        # watch's byte budget, watch/kept.py); None: each memo to CLAIM_RELATION_MEMO_KEPT only
        self.memo_entries: int | None = None

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self.resumed = self.fresh = 0

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
            if kept is not None and _continues(kept.items, items) and _resumable(kept, items):
                found = _extend(kept, items)
            if found is not None:
                self.resumed += 1
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
    state = _Chains(memo, by_word=True)
    for s in events:
        state.add(s)
    chains = state.result()
    chain_of = _chain_of(chains)
    aligner = Aligner(memo)
    aligner.extend(items, chain_of)
    return _Kept(list(items), state, aligner, chain_of), (chains, list(aligner.groups))


def _by_word(events: int) -> bool:
    """Whether a story of this many events is chained by the word rule alone (no learned chains, nor
    the rule's chains split and merged in context: chains.event_chains)."""
    learned = eventpairs.event_model() is not None or eventpairs.context_models() is not None
    return not learned or events > defaults.COREF_MAX_GROUPS


def _continues(old: Sequence[Statement], new: Sequence[Statement]) -> bool:
    """Whether ``new`` is ``old`` (the same objects, in order), maybe followed by more."""
    return len(new) >= len(old) and all(a is b for a, b in zip(old, new, strict=False))


def _resumable(kept: _Kept, items: Sequence[Statement]) -> bool:
    events = sum(1 for s in items if s.kind == "event")
    return _by_word(events) and _by_word(len(kept.chains.events))


def _extend(kept: _Kept, items: Sequence[Statement]) -> tuple[list[list[Statement]], list[_Group]] | None:
    """Chains and groups of ``items`` from the kept state, or None when the new events changed the
    old events' chains (the state is then spent: the caller aligns from scratch and keeps that)."""
    new = items[len(kept.items):]
    for s in new:
        if s.kind == "event":
            kept.chains.add(s)
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
