"""What one outlet adds to a fact others share: one row, worded by the shared fact, the addition beside it.

An article that tells an event other articles tell often gives it with a figure or a speaker of its
own in the same sentence ('the ministry confirmed that about 1,800 residents were evacuated from the
valley' beside another outlet's 'residents of the valley were evacuated').
Its quote and its figure align with nothing of the other outlets, so they made a single-source row of
their own next to the corroborated row of the event: two rows for one fact. Folded into the event's
claim as the article's *addition*, they are no row of their own and no part of the shared wording:
the claim is worded by what the outlets share (``records._lead`` over the shared statements), its
status counts the same articles as before, and its note names the addition and the one outlet that
gives it ('single-source detail'): the figure is never shown as corroborated.

A single-source claim is folded only when its cluster is one article's quote (with any figure in it)
in one sentence, holds no event of its own, and every statement of it tells the event of exactly
one corroborated claim (the event's verb inside the quote's words, in the figure's clause), and no
other act of that article with a row of its own stands there (a quote of two facts stays a row).
A figure alone is no addition: its clause may only mention the event ('Four days after the dam
gave way, about 300 people are still sleeping on camp beds').
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from newsfuse.fuse.claims import text as claimtext
from newsfuse.fuse.claims.align import Member
from newsfuse.fuse.claims.statements import Statement
from newsfuse.models import Claim

_ADDITIONS = frozenset({"quote", "amount"})  # the kinds an addition is made of
Remake = Callable[[list[Member], frozenset[str]], "Claim | None"]  # a cluster's claim with its additions


def fold_added(
    clusters: Sequence[list[Member]], claims: Sequence[Claim | None], remake: Remake,
) -> list[Claim]:
    """The claims of ``clusters`` (``claims[n]`` made of ``clusters[n]``) with each single-source
    addition folded into the corroborated claim it restates: that claim made again by ``remake`` with
    the addition's statements (their IDs: ``Statement.id``), the addition's own claim dropped."""
    events: dict[str, list[tuple[int, Statement]]] = {}  # article -> (cluster, event) of its events
    for k, cluster in enumerate(clusters):
        for s, _, _ in cluster:
            if s.kind == "event" and claims[k] is not None:
                events.setdefault(s.article.id, []).append((k, s))
    host_of = {n: host for n, cluster in enumerate(clusters)
               if (host := _host(n, cluster, claims, events)) is not None}
    added: dict[int, list[Member]] = {}
    for n, k in sorted(host_of.items()):  # a host is corroborated: it is never folded itself
        added.setdefault(k, []).extend(clusters[n])
    out = []
    for n, claim in enumerate(claims):
        if n in host_of:
            continue
        if n in added:
            claim = remake([*clusters[n], *added[n]], frozenset(s.id for s, _, _ in added[n]))
        if claim is not None:
            out.append(claim)
    return out


def _host(n: int, cluster: Sequence[Member], claims: Sequence[Claim | None],
          events: Mapping[str, list[tuple[int, Statement]]]) -> int | None:
    """The one corroborated claim whose event the single-source claim ``n`` (one article's quote,
    with any figure in it) restates, or None. ``events``: each article's events with a claim, by
    the number of their cluster."""
    mine = claims[n]
    if mine is None or mine.status != "single-source":
        return None
    if any(s.kind not in _ADDITIONS or stance != "supports" for s, stance, _ in cluster):
        return None
    found = [s for s, _, _ in cluster]
    if len({s.article.id for s in found}) != 1 or not any(s.kind == "quote" for s in found):
        return None
    if not _one_sentence(found):
        return None
    article = found[0].article.id
    per: dict[int, list[Statement]] = {}
    for k, e in events.get(article, ()):
        if k != n:
            per.setdefault(k, []).append(e)
    told = set()
    for k, theirs in per.items():
        if not any(_tells(d, e) for e in theirs for d in found):
            continue
        claim = claims[k]
        if claim is None or claim.status != "corroborated" or article not in {
                s.article_id for s in claim.sources}:
            return None  # another act of this article with a row of its own stands in the quote
        if not all(any(_tells(d, e) for e in theirs) for d in found):
            return None  # part of the addition tells something else
        told.add(k)
    return next(iter(told)) if len(told) == 1 else None


def _one_sentence(found: Sequence[Statement]) -> bool:
    """Whether the statements' evidence all overlap one another (they stand in one sentence)."""
    return all(a.span.start < b.span.end and b.span.start < a.span.end for a in found for b in found)


def _tells(d: Statement, e: Statement) -> bool:
    """Whether the quote or figure ``d`` tells the event ``e``: the event's verb stands inside the
    quote's words (not in its speaker's description: 'the company that operates the dam said'), or
    in the clause of the figure."""
    text = d.article.text
    if d.kind == "quote":
        start = text.find(d.context, d.span.start, d.span.end) if d.context else -1
        return start >= 0 and start <= e.at < start + len(d.context)
    return d.span.start <= e.at < d.span.end and claimtext.same_part(
        text, d.span.start, d.span.end, d.at, e.at)
