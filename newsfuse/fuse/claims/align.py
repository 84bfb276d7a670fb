"""Alignment of a story's statements into groups (greedy, order-stable, blocked by what the relation
requires equal), and the links that join groups stating one fact into clusters."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from newsfuse.fuse.claims import text as claimtext
from newsfuse.fuse.claims.chains import event_chains
from newsfuse.fuse.claims.guessed import joins_group
from newsfuse.fuse.claims.relations import HYPOTHETICAL, Memo, Relation
from newsfuse.fuse.claims.statements import Statement
from newsfuse.fuse.claims.undo import Undo
from newsfuse.fuse.claims.words import figures
from newsfuse.models import Analysis, Event, Quote, Span


@dataclass
class _Group:
    members: list[tuple[Statement, str, str | None]] = field(default_factory=list)  # (s, stance, value)
    number: int = 0  # creation order among the story's groups
    # signature -> the first member of it that agrees with the claim: what a newcomer is compared with
    agreeing: dict[int, Statement] = field(default_factory=dict)
    # signature -> (agreeing members compared, the relation found): a newcomer of a signature asked
    # before is compared only with the members that agree since (``agreeing`` only grows, in order)
    asked: dict[int, tuple[int, Relation]] = field(default_factory=dict)
    asked_of: Memo | None = None  # the memo whose signature numbers ``asked`` is keyed by

    def add(self, s: Statement, stance: str, value: str | None, memo: Memo, undo: Undo | None = None) -> None:
        if undo is not None:
            undo.append(self.members, (s, stance, value))
            if stance != "differs" and memo.sig(s) not in self.agreeing:
                undo.put(self.agreeing, memo.sig(s), s)
            return
        self.members.append((s, stance, value))
        if stance != "differs":
            self.agreeing.setdefault(memo.sig(s), s)


def align(
    items: Sequence[Statement], memo: Memo | None = None, chains: Sequence[Sequence[Statement]] | None = None
) -> list[_Group]:
    """Greedy, order-stable alignment: each statement joins the first group it relates to.

    Events align only inside their coreference chain (:func:`event_chains`): the claim relation
    between articles never crosses chains, so cross-outlet claims are as the relation makes them,
    and no claim holds two events coreference tells apart. Two events of one article in different
    chains stay two claims even when the relation would call them alike.

    Only groups that can relate are tried (:class:`_GroupIndex`), in creation order, so the first
    group found is the first of all groups that relates. ``chains``: the event chains of ``items``
    when the caller has them (found with ``memo``).
    """
    memo = memo if memo is not None else Memo(items)
    chains = chains if chains is not None else event_chains(items, memo)
    aligner = Aligner(memo)
    aligner.extend(items, {id(s): n for n, chain in enumerate(chains) for s in chain})
    return aligner.groups


class Aligner:
    """The greedy alignment as it goes: :meth:`extend` adds statements in order, so a story whose new
    statements come after all the others (its new article published last) is aligned by adding
    them to the groups kept from its last fuse (``fuse/claims/resume.py``), with exactly the groups
    aligning everything again gives."""

    def __init__(self, memo: Memo) -> None:
        self.memo = memo
        self.groups: list[_Group] = []
        self.index = _GroupIndex()
        # the writes made since a position, to go back there (fuse/claims/resume.py); None: not kept
        self.undo: Undo | None = None

    def extend(self, items: Sequence[Statement], chain_of: Mapping[int, int]) -> None:
        """Align ``items`` after those already aligned (``chain_of``: id of an event -> its chain)."""
        memo, groups, index, undo = self.memo, self.groups, self.index, self.undo
        index.undo = undo
        for s in items:
            if undo is not None:
                undo.mark()
            chain = chain_of.get(id(s))
            for g in index.candidates(s, chain):
                rel = _relation_to_group(g, s, memo, undo)
                if rel is not None and rel[0] == "differs" and _told_by(g, s.article.id):
                    continue  # one report naming two actors ('Russian and North Korean troops'): two facts
                if rel is not None and _another_figure(g, s):
                    continue
                if rel is not None and not joins_group(s, g.members):
                    continue  # a guess the gate keeps from another article's statements
                if rel is not None:
                    stance = s.stance if rel[0] == "same" else "differs"
                    g.add(s, stance, rel[1] if rel[0] == "differs" else None, memo, undo)
                    index.joined(g, s, stance)
                    break
            else:
                group = _Group(number=len(groups))
                group.add(s, s.stance, None, memo)  # a new group: undoing its creation undoes this
                if undo is None:
                    groups.append(group)
                else:
                    undo.append(groups, group)
                index.created(group, s, chain)


def _told_by(g: _Group, article_id: str) -> bool:
    """Whether an article already has a statement in the group: it does not conflict with itself."""
    return any(m.article.id == article_id for m, _, _ in g.members)


def _another_figure(g: _Group, s: Statement) -> bool:
    """Whether an event of an article already in the group is told again in another sentence of it
    with other figures: 'the couple paid $43,885,310 in federal taxes' and 'paid an effective federal
    tax rate of 35.7 percent' are two facts of one verb and actor. An article does not contradict
    itself, so what would be a conflict between two outlets is another fact inside one."""
    if s.kind != "event":
        return False
    mine = figures(s.span.text)
    if not mine:
        return False
    return any(m.article.id == s.article.id and m.kind == "event" and m.span != s.span
               and (theirs := figures(m.span.text)) and not theirs & mine for m, _, _ in g.members)


def _relation_to_group(
    g: _Group, s: Statement, memo: Memo | None = None, undo: Undo | None = None
) -> Relation:
    """'same' if s matches any member that agrees with the claim's first statement."""
    if memo is None:  # a memo of its own: no signature numbers to keep what was asked under
        return _first_relation(list(g.agreeing.values()), s, Memo([s, *(m for m, _, _ in g.members)]))
    # Members of one signature relate alike: the first of each stands for all (in member order), and
    # a statement of one signature relates alike to them, so a group is asked once per signature and
    # then only about the members that came to agree since: wire copies and reports repeating one
    # text ask again and again (the loop of a 500-article story's alignment, ~480,000 asks).
    if g.asked_of is not memo:
        if undo is not None:
            undo.attr(g, "asked", {})
            undo.attr(g, "asked_of", memo)
        else:
            g.asked, g.asked_of = {}, memo
    sig = memo.sig(s)
    done, found = g.asked.get(sig, (0, None))
    if found is not None and found[0] == "same":
        return found
    reps = g.agreeing
    if done < len(reps):
        later = _first_relation(itertools.islice(reps.values(), done, None), s, memo)
        found = later if later is not None and later[0] == "same" else found or later
        if undo is not None:
            undo.put(g.asked, sig, (len(reps), found))
        else:
            g.asked[sig] = (len(reps), found)
    return found


def _first_relation(members: Iterable[Statement], s: Statement, memo: Memo) -> Relation:
    """The first 'same' relation of ``s`` to ``members``, else the first relation found."""
    found: Relation = None
    for member in members:
        rel = memo.relation(member, s)
        if rel is not None and rel[0] == "same":
            return rel
        found = found or rel
    return found


class _GroupIndex:
    """The groups a statement may join, by what the claim relation requires to be equal.

    Events: the groups of their coreference chain. Amounts: groups of one unit. No-comment facts:
    groups of one subject. Quotes: groups with a member of the same speaker, of a speaker with the
    same last name, of an unnamed speaker (or any named one, for an unnamed quote), and groups
    holding a denial (a denial answers any speaker); a denial may join any quote group."""

    def __init__(self) -> None:
        self.blocks: dict[object, dict[int, _Group]] = {}
        self.undo: Undo | None = None  # the aligner's (its writes are recorded there)

    def _block(self, key: object) -> dict[int, _Group]:
        found = self.blocks.get(key)
        if found is None:
            found = {}
            if self.undo is None:
                self.blocks[key] = found
            else:
                self.undo.put(self.blocks, key, found)
        return found

    def _put(self, key: object, g: _Group) -> None:
        block = self._block(key)
        if self.undo is None:
            block[g.number] = g
        elif g.number not in block:
            self.undo.put(block, g.number, g)

    def candidates(self, s: Statement, chain: int | None) -> list[_Group]:
        if s.kind != "quote" or chain is not None:
            return list(self.blocks.get(_block_key(s, chain), {}).values())
        if s.stance == "denies":
            found = self.blocks.get(("quote", "all"), {})
        else:
            found = {**self.blocks.get(("quote", "speaker", s.entity), {}),
                     **self.blocks.get(("quote", "denial"), {}),
                     # a quote given word for word by a speaker of the same last name, or unnamed
                     # (relations.verbatim): speakers the entity resolver may have split
                     **(self.blocks.get(("quote", "surname", s.surname), {}) if s.surname else {}),
                     **(self.blocks.get(("quote", "speaker", None), {}) if s.entity is not None else
                        self.blocks.get(("quote", "named"), {}))}
        return [found[n] for n in sorted(found)]

    def created(self, g: _Group, s: Statement, chain: int | None) -> None:
        self._put(_block_key(s, chain), g)
        if s.kind == "quote" and chain is None:
            self._put(("quote", "all"), g)
        self.joined(g, s, s.stance)

    def joined(self, g: _Group, s: Statement, stance: str) -> None:
        if s.kind != "quote" or stance == "differs":
            return
        self._put(("quote", "speaker", s.entity), g)
        if s.surname:
            self._put(("quote", "surname", s.surname), g)
        if s.entity is not None:
            self._put(("quote", "named"), g)
        if s.stance == "denies":
            self._put(("quote", "denial"), g)


def _block_key(s: Statement, chain: int | None) -> object:
    if chain is not None:
        return ("chain", chain)
    if s.kind == "amount":
        return ("amount", s.unit)
    if s.kind == "quote":
        return ("quote", "all")
    return (s.kind, s.entity)


Member = tuple[Statement, str, str | None]  # (statement, stance, differing value)


def fact_links(analysis: Analysis, items: Sequence[Statement]) -> list[tuple[Statement, Statement]]:
    """Pairs of one article's statements that state one fact.

    An amount belongs to the event that carries it (``Event.amount_ids``, else the event of its
    sentence whose trigger is nearest); a quote is the event(s) it states (triggers inside the quote
    or at its cue), but a quote holding two facts ('two were killed and 1,800 evacuated') joins only
    the first (the one at its cue, else the first inside it), so the facts stay apart; an amount
    inside a quote with no event joins the quote; figures of one clause are one fact.
    """
    events = {e.id: e for e in analysis.events}
    quotes = {q.id: q for q in analysis.quotes}
    stated = [s for s in items if s.kind == "event" and s.id in events]
    # What every amount is compared with, found once per article instead of once per amount.
    carriers = _Carriers(stated, events)
    held = [(*_quote_bounds(quotes[s.id]), s) for s in items if s.kind == "quote" and s.id in quotes]
    clause: dict[tuple[str, Span], list[Statement]] = {}
    for s in items:
        if s.kind == "amount":
            clause.setdefault((s.label, s.span), []).append(s)
    out: list[tuple[Statement, Statement]] = []
    for s in items:
        if s.kind == "amount":
            carrier = _carrier(s, carriers, held)
            if carrier is not None:
                out.append((carrier, s))
            out += [(o, s) for o in clause[(s.label, s.span)] if o is not s]
        elif s.kind == "quote" and s.id in quotes:
            q = quotes[s.id]
            lo, hi = _quote_bounds(q)
            inside = [e for e in stated if lo <= events[e.id].trigger_start < hi]
            at_cue = [e for e in inside if q.cue_start is not None and q.cue_end is not None
                      and q.cue_start <= events[e.id].trigger_start < q.cue_end]
            strong = [e for e in at_cue + inside if e.strong]
            out += [(s, e) for e in inside if not e.strong] + [(s, e) for e in strong[:1]]
    return out + _governed_links(stated, events)


def _governed_links(
    stated: Sequence[Statement], events: Mapping[str, Event]
) -> list[tuple[Statement, Statement]]:
    """(governor, event) pairs of events told inside another event's clause as part of its fact:
    'lifted its ban on Ukraine deploying ATACMS missiles to strike targets deep within Russia' states
    the lifting; 'deploying' and 'strike' (nobody named doing them) are what was allowed, not facts of
    their own. An event in the clause after another's verb belongs to it when it names no actor, or
    when it is only possible or planned and its actor is one of the governor's ('allowed Ukraine to
    strike', 'demanded that the military be allowed to use'). An asserted event with an actor of
    its own ('arrested the man who killed three people') is a fact of its own."""
    out: list[tuple[Statement, Statement]] = []
    by_sentence: dict[tuple[int, int], list[Statement]] = {}
    for s in stated:
        by_sentence.setdefault((s.span.start, s.span.end), []).append(s)
    for (_, sent_end), told in by_sentence.items():
        told = sorted(told, key=lambda s: s.at)
        for n, governed in enumerate(told):
            governor = next((g for g in reversed(told[:n]) if _governs(g, governed, events, sent_end)), None)
            if governor is not None:
                out.append((governor, governed))
    return out


def _governs(g: Statement, s: Statement, events: Mapping[str, Event], sent_end: int) -> bool:
    if not g.strong or g.at >= s.at or (g.mode in HYPOTHETICAL and s.mode not in HYPOTHETICAL):
        return False
    e = events[g.id]
    if s.at >= claimtext.clause_end(g.article.text, e.trigger_end, sent_end):
        return False
    if s.entity is None and s.cited == g.cited:
        return True
    return s.mode in HYPOTHETICAL and s.entity in {g.entity, g.target} - {None}


def _carrier(
    a: Statement, carriers: _Carriers, held: Sequence[tuple[int, int, Statement]]
) -> Statement | None:
    """The statement an amount belongs to: its event, unless a quote holds the figure and not that
    event ('Asked the cost, ... he said the money would not come from the 250 million crowns': the
    figure is what he said, not part of 'asked'); then the quote."""
    event = carriers.of(a)
    quote = next(((lo, hi, h) for lo, hi, h in held if lo <= a.at < hi), None)
    if quote is None or (event is not None and quote[0] <= event.at < quote[1]):
        return event
    return quote[2]


class _Carriers:
    """The event carrying an amount: the first that lists it (``Event.amount_ids``), else the event
    of its sentence and clause whose trigger is nearest ('paid nearly $44 million ..., according to
    tax returns released Friday': the figure is what was paid, not what was released)."""

    def __init__(self, stated: Sequence[Statement], events: Mapping[str, Event]) -> None:
        self.listing: dict[str, Statement] = {}
        for s in stated:
            for amount_id in events[s.id].amount_ids:
                self.listing.setdefault(amount_id, s)
        self.spans = [(events[s.id].sentence_start, events[s.id].sentence_end, events[s.id].trigger_start, s)
                      for s in stated]

    def of(self, a: Statement) -> Statement | None:
        listed = self.listing.get(a.id)
        # an event listing a figure of another clause ('Apple holds $214.9 billion ...; Nike holds $10.7
        # billion') would show that figure on its row: a claim's figures are its own clause's
        text = a.article.text
        if listed is not None and claimtext.same_part(text, a.span.start, a.span.end, listed.at, a.at):
            return listed
        near = [(abs(trigger - a.at), s) for lo, hi, trigger, s in self.spans if lo <= a.at < hi
                and claimtext.one_clause(a.article.text, min(trigger, a.at), max(trigger, a.at))]
        return min(near, key=lambda x: x[0])[1] if near else None


def _quote_bounds(q: Quote) -> tuple[int, int]:
    starts = [x for x in (q.content_start, q.speaker_start, q.cue_start) if x is not None]
    ends = [x for x in (q.content_end, q.speaker_end, q.cue_end) if x is not None]
    return min(starts), max(ends)


def clusters(groups: Sequence[_Group], links: Sequence[tuple[Statement, Statement]]) -> list[list[Member]]:
    """Aligned groups joined by the links of their statements: each cluster is one fact, its
    members in group order (so a claim's first statement, and its ID, stay the same)."""
    index = {id(s): n for n, g in enumerate(groups) for s, _, _ in g.members}
    uf = list(range(len(groups)))

    def find(i: int) -> int:
        while uf[i] != i:
            uf[i] = uf[uf[i]]
            i = uf[i]
        return i

    for a, b in links:
        if id(a) in index and id(b) in index:
            x, y = sorted((find(index[id(a)]), find(index[id(b)])))
            uf[y] = x
    out: dict[int, list[Member]] = {}
    for n, g in enumerate(groups):
        out.setdefault(find(n), []).extend(g.members)
    return list(out.values())
