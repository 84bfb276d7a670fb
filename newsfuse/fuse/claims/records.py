"""Claim records from aligned clusters: status, independent sources, evidence, value and notes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace

from newsfuse import defaults
from newsfuse.analyze.events import plover
from newsfuse.errors import ConfigError
from newsfuse.fuse.claims import sentence as claimsentence
from newsfuse.fuse.claims import sources as claimsources
from newsfuse.fuse.claims import text as claimtext
from newsfuse.fuse.claims.align import Member
from newsfuse.fuse.claims.relations import amount_text, date_text
from newsfuse.fuse.claims.statements import Statement, span_of
from newsfuse.ids import content_id
from newsfuse.models import Article, Claim, ClaimDetail, ClaimSource, CopyLink, Span


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
    story_id: str, members: Sequence[Member], original: dict[str, str], by_id: Mapping[str, Article],
    added: frozenset[str] = frozenset(),
) -> Claim | None:
    """The claim of one cluster; None for noise (only weak statements, one independent source).
    Its wording, fields and status depend only on the cluster's statements, never on their order.
    ``added``: IDs of the statements one article adds to the fact the others share (its figure, its
    quote: :mod:`~newsfuse.fuse.claims.added`): evidence of that article, a note, never the wording.
    The record of the story's last fuse when made of the same inputs (:meth:`_StorySources.claim`)."""
    return SOURCES.of(story_id).claim(members, added, _read_of(members, original, by_id),
                                      lambda: _claim_of(story_id, members, original, by_id, added))


def _read_of(
    members: Sequence[Member], original: Mapping[str, str], by_id: Mapping[str, Article]
) -> tuple[tuple[object, ...], ...]:
    """What a claim's record reads of its articles beside their statements: each article's copy
    original and the outlet that original is of (its originator), its own date and how it was dated."""
    out = []
    for aid in dict.fromkeys(m[0].article.id for m in members):
        a, root = by_id.get(aid), original.get(aid, aid)
        of_root = by_id.get(root)
        out.append((aid, root, of_root.outlet if of_root is not None else None,
                    a.published if a is not None else None, a.published_source if a is not None else None))
    return tuple(out)


def _claim_of(
    story_id: str, members: Sequence[Member], original: dict[str, str], by_id: Mapping[str, Article],
    added: frozenset[str] = frozenset(),
) -> Claim | None:
    first = members[0][0]
    # grounded by what the articles share: an article's own addition never keeps it in the claim
    shared = _grounded([m for m in members if m[0].id not in added])
    told = {m[0].article.id for m in shared}
    members = shared + [m for m in members if m[0].id in added and m[0].article.id in told]
    if not members:
        return None
    sources = _sources(members, original, story_id)
    keys = claimsources.originators(sources, original, by_id)
    kept = SOURCES.of(story_id)
    sources = [kept.originated(s, keys[s.article_id]) for s in sources]
    independent = claimsources.independent_count(keys)
    if len({s.stance for s in sources}) > 1:  # one side against another; a lone denial is a claim
        status = "conflicting"
    elif independent >= defaults.CORROBORATION_MIN:
        status = "corroborated"
    else:
        status = "single-source"
    if status == "single-source" and not any(s.strong for s, _, _ in members):
        return None
    kind, lead = _lead(shared)
    notes = [claimsources.how_counted(keys, sources, original), _event_note(members, keys, status)]
    event = lead if lead.kind == "event" else _best([s for s, _, _ in shared if s.kind == "event"])
    # the category comes from a typed event of the claim; an untyped one (type '') names none
    typed = event if event is not None and event.type else _best(
        [s for s, _, _ in shared if s.kind == "event" and s.type])
    date_start, date_end, basis = _dates(members, by_id)
    return Claim(
        id=content_id(story_id, first.id, prefix="c_"), story_id=story_id, kind=kind,
        text=_worded(lead),
        status=status, independent_sources=independent,
        sources=tuple(sources), note="; ".join(n for n in notes if n), attribution=_beside(lead),
        event_type=typed.type if typed is not None else None,
        cameo=_cameo(typed.type) if typed is not None else None,
        mode=_mode(event) if event is not None else None,
        date_start=date_start, date_end=date_end, date_basis=basis,
        details=_details([m for m in members if m[0].id in added], sources),
    )


def _worded(lead: Statement) -> str:
    """A statement's plain fact as a claim's text: one line, its attribution left beside it."""
    return claimtext.shorten(claimsentence.without_attribution(lead.label or lead.text, lead.attribution))


def _details(added: Sequence[Member], sources: Sequence[ClaimSource]) -> tuple[ClaimDetail, ...]:
    """What each article adds to the shared fact, as that one source's: its best-worded addition
    ('Around 11,000 North Korean soldiers were likely present ...', the Pentagon confirmed), with its
    outlet, cited source and evidence; by article ID, so arrival order never decides."""
    per: dict[str, list[Member]] = {}
    for m in added:
        per.setdefault(m[0].article.id, []).append(m)
    by_article = {s.article_id: s for s in sources}
    out = []
    for aid in sorted(per):
        _, lead = _lead(per[aid])
        source = by_article[aid]
        out.append(ClaimDetail(
            text=_worded(lead), article_id=aid, outlet=source.outlet, cited_source=source.cited_source,
            attribution=lead.attribution, originator=source.originator,
            evidence=distinct_evidence(lead.article, [s.span for s, _, _ in per[aid]])))
    return tuple(out)


def _grounded(members: Sequence[Member]) -> list[Member]:
    """The members without the articles that tell the claim only by untyped events (acts no PLOVER
    word names) naming no actor another article of the claim names: with no category, wording alike
    ('were pumping water out of the lower part of Dunmere' / 'floodwater began to drain from Lower
    Dunmere') is too little to call two reports one fact."""
    per: dict[str, list[Member]] = {}
    for m in members:
        per.setdefault(m[0].article.id, []).append(m)
    actors = {a: {x for s, _, _ in rows for x in (s.entity, s.target) if x} for a, rows in per.items()}
    dropped = set()
    for a, rows in per.items():
        untyped = all(s.kind == "event" and not s.type for s, _, _ in rows)
        if untyped and not any(actors[a] & actors[b] for b in per if b != a):
            dropped.add(a)
    # by article, not by searching the kept list for each member (quadratic in a big claim)
    return [m for m in members if m[0].article.id not in dropped] if dropped else list(members)


def _beside(lead: Statement) -> str:
    """The lead's attribution, unless the fact already names it as its actor ('The Kremlin
    criticized the decision' needs no 'according to the Kremlin'). What a speaker said of itself
    keeps it ('The companies expected to close the deal' / 'the companies said'): without it the
    speaker's word reads as the outlet's fact."""
    # a speaker's name, without its description ('Tarvan Hydro, the company that operates the dam')
    who = claimsentence.speaker_of(lead.attribution).split(",", 1)[0].casefold().removeprefix("the ")
    text = (lead.label or lead.text).casefold().removeprefix("the ")
    said = lead.kind == "quote" and " said " not in f" {text} "  # 'X said it would ...' says it already
    # 'Clinton says there needs to be a law' beside 'Hillary Clinton said': a name's last word names her
    written = claimsentence.speaker_of(lead.attribution).split(",", 1)[0].split()
    names = [who, who.split()[-1]] if len(written) > 1 and all(w[:1].isupper() for w in written) else [who]
    named = any(n and text.startswith(n) and not text[len(n):len(n) + 1].isalnum() for n in names)
    return "" if named and not said else lead.attribution


def _cameo(plover_type: str) -> str | None:
    try:
        return plover.cameo_root(plover_type)
    except ConfigError:  # a type outside the PLOVER inventory has no CAMEO root
        return None


def _mode(s: Statement) -> str:
    return "denied" if s.stance == "denies" and s.mode == "asserted" else s.mode


def _dates(members: Sequence[Member], by_id: Mapping[str, Article]) -> tuple[str | None, str | None, str]:
    """The event's own time (the agreeing statements' dates, earliest start to latest end), else
    the earliest publication date of its sources, marked 'first reported' ('first reported
    (estimated)' when that article's own date was estimated)."""
    own = [(s.date_start, s.date_end or s.date_start) for s, stance, _ in members
           if s.kind == "event" and s.date_start and stance != "differs"]
    if own:
        return min(a for a, _ in own), max(b or a for a, b in own), "event"
    published = sorted((a.published[:10], a.published_source == "estimated") for s, _, _ in members
                       if (a := by_id.get(s.article.id, s.article)).published)
    if published:
        day, estimated = published[0]
        return day, day, "first reported (estimated)" if estimated else "first reported"
    return None, None, ""


def _best(found: Sequence[Statement]) -> Statement | None:
    """The canonical wording among statements of one kind: the most complete (names most of actor,
    object, place and time), then the one with most content, then by text (so arrival order never
    decides)."""
    if not found:
        return None
    return min(found, key=lambda s: (-s.complete, -claimtext.content_words(s.label or s.text),
                                     bool(s.attribution), s.label, s.id))


def _lead(members: Sequence[Member]) -> tuple[str, Statement]:
    """The claim's kind and the statement whose text names it (the best of its kind, :func:`_best`).

    A disputed figure is an amount claim (the figure is what outlets disagree on); a disputed fact
    is worded by the side that states it. A strong event is
    an event claim worded by the clause of its figure, else by its quote when its actor, named, states
    it (the quote holds the whole statement), else 'who did what to whom'. Then a quote (with any
    figure it holds), a figure, any event, a no-comment fact.
    """
    deny = {s.article.id for s, stance, _ in members if stance == "denies"}
    if deny and any(s.article.id not in deny for s, _, _ in members):
        # one side says it happened, the other that it did not: the fact in dispute is what the
        # supporting side states ('Repairs were postponed'), the denial stands in its outlet's cell
        # ('reports it did not happen'); a denial as the label read as if both outlets denied it
        return _lead([m for m in members if m[0].article.id not in deny])

    def pick(kind: str, strong: bool = True) -> Statement | None:
        return _best([s for s, _, _ in members if s.kind == kind and (s.strong or not strong)])

    disputed = any(s.kind == "amount" and stance == "differs" for s, stance, _ in members)
    amount, event = pick("amount", strong=False), pick("event")
    quotes = [s for s, _, _ in members if s.kind == "quote" and s.strong]
    quote = _best(quotes)
    named = _best([q for q in quotes if q.attribution and not q.attribution.startswith("an unnamed")])
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
    first = min((s for s, _, _ in members), key=lambda s: s.id)
    return first.kind, first


def _sources(members: Sequence[Member], original: dict[str, str], story_id: str = "") -> list[ClaimSource]:
    """One ClaimSource per article (its statements' evidence merged; a disagreement wins)."""
    per: dict[str, list[Member]] = {}
    for m in members:
        per.setdefault(m[0].article.id, []).append(m)
    kept = SOURCES.of(story_id)
    return [kept.source(rows, original) for rows in per.values()]


_Originated = dict[tuple[int, str], tuple[ClaimSource, ClaimSource]]  # (id, originator) -> (source, with it)
# (id of the first statement, added) -> (members, what was read of their articles, the claim, the keys
# of its sources and originated sources)
_Used = tuple[list[tuple[object, ...]], list[tuple[int, str]]]
_Claims = dict[tuple[int, frozenset[str]],
               tuple[list[Member], tuple[tuple[object, ...], ...], Claim | None, _Used]]


class _StorySources:
    """One story's ClaimSources of its last fuse and of this one, by the members they were made of:
    an article's part of a claim is what it was unless its statements in the claim changed, so a
    story re-fused after one new article makes only the new article's and the changed ones'."""

    def __init__(self, last: dict[tuple[object, ...], tuple[list[Member], str | None, ClaimSource]],
                 last_originated: _Originated | None = None, last_claims: _Claims | None = None) -> None:
        self.last = last
        self.now: dict[tuple[object, ...], tuple[list[Member], str | None, ClaimSource]] = {}
        self.last_originated = last_originated or {}
        self.originated_now: _Originated = {}
        self.last_claims = last_claims or {}
        self.claims_now: _Claims = {}
        self.settings = ""  # the settings (defaults.py) of the fuse its claims were made in
        self.used: _Used | None = None  # the keys of sources the claim being made uses

    def claim(self, members: Sequence[Member], added: frozenset[str], read: tuple[tuple[object, ...], ...],
              make: Callable[[], Claim | None]) -> Claim | None:
        """The claim of ``members``: the one of the last fuse when made of the same members (the same
        statement objects, stances and values, in order), the same added statements and the same
        ``read`` (:func:`_read_of`), else ``make()``. A story re-fused after one new article makes
        the claims that article's statements joined, not all of them again."""
        key = (id(members[0][0]), added)
        found = self.claims_now.get(key) or self.last_claims.get(key)
        same = found is not None and found[1] == read and len(found[0]) == len(members) and all(
            a is b or (a[0] is b[0] and a[1] == b[1] and a[2] == b[2])
            for a, b in zip(found[0], members, strict=True))
        if found is not None and same:
            made, used = found[2], found[3]
            for k in used[0]:  # its sources stay kept for the next fuse, as if made again
                if (got := self.now.get(k) or self.last.get(k)) is not None:
                    self.now[k] = got
            for o in used[1]:
                if (had := self.originated_now.get(o) or self.last_originated.get(o)) is not None:
                    self.originated_now[o] = had
        else:
            self.used = ([], [])
            made = make()
            used, self.used = self.used, None
        self.claims_now[key] = (list(members), read, made, used)
        return made

    def originated(self, source: ClaimSource, originator: str) -> ClaimSource:
        """``source`` with its ``originator`` set: the record of the last fuse when it was made from
        this same source object for this originator (``dataclasses.replace`` of every source of a
        500-article story cost its re-fuse ~0.1 s)."""
        key = (id(source), originator)
        if self.used is not None:
            self.used[1].append(key)
        found = self.originated_now.get(key) or self.last_originated.get(key)
        reuse = found is not None and found[0] is source
        made = found[1] if found is not None and reuse else replace(source, originator=originator)
        self.originated_now[key] = (source, made)
        return made

    def source(self, rows: Sequence[Member], original: dict[str, str]) -> ClaimSource:
        key = tuple((id(s), stance, value) for s, stance, value in rows)
        if self.used is not None:
            self.used[0].append(key)
        root = original.get(rows[0][0].article.id)
        found = self.now.get(key) or self.last.get(key)
        # The same statement objects (a key of ids is only a guess: the entry holds them, so they
        # are the ones it was made of), the same copy original: the same source.
        if found is not None and found[1] == root and all(
                a[0] is b[0] for a, b in zip(found[0], rows, strict=True)):
            made = found[2]
        else:
            made = _source(rows, original)
        self.now[key] = (list(rows), root, made)
        return made


class SourcesKept:
    """Per story (``size`` stories at most, least recently fused dropped first), the ClaimSources of its
    last fuse: :meth:`begin` starts a fuse of a story with those as what may be reused."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._stories: OrderedDict[str, _StorySources] = OrderedDict()
        self._lock = threading.Lock()

    def begin(self, story_id: str) -> None:
        settings = _settings()
        with self._lock:
            last = self._stories.pop(story_id, None)
            if self.size > 0:
                # a claim is reused only under the settings it was made with (a test, a bench's --set)
                claims = last.claims_now if last is not None and last.settings == settings else None
                self._stories[story_id] = (_StorySources(last.now, last.originated_now, claims)
                                           if last is not None else _StorySources({}))
                self._stories[story_id].settings = settings
                while len(self._stories) > self.size:
                    self._stories.popitem(last=False)

    def of(self, story_id: str) -> _StorySources:
        with self._lock:
            return self._stories.get(story_id) or _StorySources({})

    def clear(self) -> None:
        with self._lock:
            self._stories.clear()


SOURCES = SourcesKept(defaults.CLAIM_ALIGNMENTS_KEPT)


def _settings() -> str:
    """Every setting of defaults.py as text (once per fuse: well under a millisecond)."""
    return repr([(k, v) for k, v in vars(defaults).items() if k.isupper()])


_VALUE_ORDER = {"amount": 0, "event": 1}


def _source(rows: Sequence[Member], original: dict[str, str]) -> ClaimSource:
    ranked = sorted(rows, key=lambda m: _VALUE_ORDER.get(m[0].kind, 9))  # a figure is the value shown
    against = next((m for m in ranked if m[1] != "supports" and not _said_in_quote(m, rows)), None)
    value, valued = (against[2], against[0]) if against else (None, None)
    if not value:
        value, valued = next(((v, s) for s, _, _ in ranked if (v := _own_value(s))), (None, None))
    figure = valued.value if valued is not None and valued.kind == "amount" else None
    article = rows[0][0].article
    evidence = distinct_evidence(article, [s.span for s, _, _ in rows])
    return ClaimSource(
        article_id=article.id, outlet=article.outlet, independent_of=original.get(article.id),
        cited_source=next((s.cited for s, _, _ in rows if s.cited), None),
        stance=against[1] if against else "supports", value=value, figure=figure, evidence=tuple(evidence),
        attribution=next((s.attribution for s, _, _ in ranked if s.attribution), ""),
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


def _event_note(members: Sequence[Member], keys: Mapping[str, str], status: str) -> str:
    """For a conflict over details: how many independent sources agree that the event happened."""
    if status != "conflicting":
        return ""
    agree = {keys[s.article.id] for s, stance, _ in members
             if s.kind == "event" and stance != "denies" and s.article.id in keys}
    if len(agree) < defaults.CORROBORATION_MIN:
        return ""
    return f"the event itself is corroborated by {len(agree)} independent sources; they differ on its details"
