"""Claim records from aligned clusters: status, independent sources, evidence, value and notes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from newsfuse import defaults
from newsfuse.fuse.claims import text as claimtext
from newsfuse.fuse.claims.align import Member
from newsfuse.fuse.claims.relations import amount_text, date_text
from newsfuse.fuse.claims.statements import Statement, span_of
from newsfuse.fuse.entities.resolve import normalise
from newsfuse.ids import content_id
from newsfuse.models import Article, Claim, ClaimSource, CopyLink, Span


def originals(copies: Sequence[CopyLink]) -> dict[str, str]:
    """Article -> the root original of its copy chain."""
    parent = {c.article_id: c.original_id for c in copies}
    out = {}
    for aid in parent:
        seen, root = {aid}, parent[aid]
        while root in parent and root not in seen:
            seen.add(root)
            root = parent[root]
        out[aid] = root
    return out


def claim_of(
    story_id: str, members: Sequence[Member], original: dict[str, str], by_id: Mapping[str, Article]
) -> Claim | None:
    """The claim of one cluster; None for noise (only weak statements, one independent source)."""
    first = members[0][0]
    sources = _sources(members, original)
    keys = {s.article_id: _source_key(s, original, by_id) for s in sources}
    independent = len(set(keys.values()))
    if len({s.stance for s in sources}) > 1:  # one side against another; a lone denial is a claim
        status = "conflicting"
    elif independent >= defaults.CORROBORATION_MIN:
        status = "corroborated"
    else:
        status = "single-source"
    if status == "single-source" and not any(s.strong for s, _, _ in members):
        return None
    kind, lead = _lead(members)
    notes = [_note(sources, original), _event_note(members, keys, status)]
    return Claim(
        id=content_id(story_id, first.id, prefix="c_"), story_id=story_id, kind=kind,
        text=claimtext.shorten(lead.label or lead.text), status=status, independent_sources=independent,
        sources=tuple(sources), note="; ".join(n for n in notes if n),
    )


def _lead(members: Sequence[Member]) -> tuple[str, Statement]:
    """The claim's kind and the statement whose text names it.

    A disputed figure is an amount claim (the figure is what outlets disagree on). A strong event is
    an event claim worded by the clause of its figure, else by its quote when its actor, named, states
    it (the quote holds the whole statement), else 'who did what to whom'. Then a quote (with any
    figure it holds), a figure, any event, a no-comment fact.
    """
    def pick(kind: str, strong: bool = True) -> Statement | None:
        return next((s for s, _, _ in members if s.kind == kind and (s.strong or not strong)), None)

    disputed = any(s.kind == "amount" and stance == "differs" for s, stance, _ in members)
    amount, event, quote = pick("amount", strong=False), pick("event"), pick("quote")
    named = quote if quote is not None and not quote.label.startswith(claimtext.UNNAMED) else None
    if amount is not None and disputed:
        return "amount", amount
    if event is not None:
        # A quote words the event only when its speaker is the actor ('Kostan: she had asked the
        # prosecutor'); Macron welcoming Biden's decision is not the decision.
        own = named if named is not None and event.entity in (None, named.entity) else None
        return "event", amount or own or event
    if quote is not None:
        return "quote", quote
    for kind in ("amount", "event", "quote", "fact"):
        found = pick(kind, strong=False)
        if found is not None:
            return kind, found
    return members[0][0].kind, members[0][0]


def _sources(members: Sequence[Member], original: dict[str, str]) -> list[ClaimSource]:
    """One ClaimSource per article (its statements' evidence merged; a disagreement wins)."""
    per: dict[str, list[Member]] = {}
    for m in members:
        per.setdefault(m[0].article.id, []).append(m)
    return [_source(rows, original) for rows in per.values()]


_VALUE_ORDER = {"amount": 0, "event": 1}


def _source(rows: Sequence[Member], original: dict[str, str]) -> ClaimSource:
    ranked = sorted(rows, key=lambda m: _VALUE_ORDER.get(m[0].kind, 9))  # a figure is the value shown
    against = next((m for m in ranked if m[1] != "supports" and not _said_in_quote(m, rows)), None)
    value = against[2] if against else None
    value = value or next((v for s, _, _ in ranked if (v := _own_value(s))), None)
    article = rows[0][0].article
    evidence = distinct_evidence(article, [s.span for s, _, _ in rows])
    return ClaimSource(
        article_id=article.id, outlet=article.outlet, independent_of=original.get(article.id),
        cited_source=next((s.cited for s, _, _ in rows if s.cited), None),
        stance=against[1] if against else "supports", value=value, evidence=tuple(evidence),
    )


def _said_in_quote(member: Member, rows: Sequence[Member]) -> bool:
    """A negated event inside a quote of the same source is what the speaker said ('no jobs would
    be cut'): the quote's own stance is what the source does, the event's negation is its content."""
    s, stance, _ = member
    if s.kind != "event" or stance != "denies":
        return False
    return any(q.kind == "quote" and q.span.start <= s.at < q.span.end for q, _, _ in rows)


def distinct_evidence(article: Article, spans: Iterable[Span]) -> tuple[Span, ...]:
    """Each piece of one article's evidence once, in text order: spans trimmed of white space (a
    sentence with and without its line break), and spans that overlap (a quote fragment inside its
    sentence, a quote running past it) merged into the wider span that covers both."""
    trimmed = sorted({_trimmed(article, sp) for sp in spans}, key=lambda sp: (sp.start, -sp.end))
    merged: list[tuple[int, int]] = []
    for sp in trimmed:
        if merged and sp.start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], sp.end))
        else:
            merged.append((sp.start, sp.end))
    return tuple(span_of(article, start, end) for start, end in merged)


def _trimmed(article: Article, sp: Span) -> Span:
    text = article.text[sp.start:sp.end]
    if not text.strip():
        return sp
    start = sp.start + len(text) - len(text.lstrip())
    return span_of(article, start, sp.start + len(text.rstrip()))


def _own_value(s: Statement) -> str | None:
    if s.kind == "amount":
        return amount_text(s)
    if s.kind == "event" and s.date_start:
        return date_text(s)
    return None


def _source_key(s: ClaimSource, original: dict[str, str], by_id: Mapping[str, Article]) -> str:
    """Who really stands behind a source: the cited source, else the outlet of the wire original."""
    if s.cited_source:
        return "cited:" + normalise(s.cited_source)
    root = by_id.get(original.get(s.article_id, s.article_id))
    outlet = root.outlet if root is not None else s.outlet
    return "cited:" + normalise(outlet) if outlet else "article:" + original.get(s.article_id, s.article_id)


def _note(sources: Sequence[ClaimSource], original: dict[str, str]) -> str:
    notes = []
    carried: dict[str, set[str]] = {}
    for s in sources:
        if s.cited_source:
            carried.setdefault(s.cited_source, set()).add(s.outlet or s.article_id)
    for cited, outlets in sorted(carried.items()):
        if len(outlets) >= 2:
            notes.append(f"{len(outlets)} outlets carry {cited}: one source carried {len(outlets)} times")
    copied = sorted({s.outlet or s.article_id for s in sources if s.article_id in original})
    if copied:
        notes.append(f"copies of a wire story counted once: {', '.join(copied)}")
    return "; ".join(notes)


def _event_note(members: Sequence[Member], keys: Mapping[str, str], status: str) -> str:
    """For a conflict over details: how many independent sources agree that the event happened."""
    if status != "conflicting":
        return ""
    agree = {keys[s.article.id] for s, stance, _ in members
             if s.kind == "event" and stance != "denies" and s.article.id in keys}
    if len(agree) < defaults.CORROBORATION_MIN:
        return ""
    return f"the event itself is corroborated by {len(agree)} independent sources; they differ on its details"
