"""Claims: atomic statements aligned across the articles of a story, each with a status.

Statements come from four places in each article's analysis:

* ``event``: an Event (type, source/target entity, date, mode) with its sentence as evidence;
* ``quote``: a Quote (speaker entity + content);
* ``amount``: an Amount (value, unit, what it counts and the words around it);
* ``fact``: a no-comment statement ('declined to comment', 'has yet to comment', 'did not respond
  to a request for comment'): these all mean the actor has not commented, so they agree.

Statements of one kind are aligned greedily in article order: a statement joins the first claim one
of whose statements it matches (same event type or trigger + compatible actors + overlapping dates,
or actors/sentences alike by rapidfuzz; same speaker + similar content; same counted thing in a
similar context). A statement that matches but disagrees (another amount, a non-overlapping date,
another actor, or a denial: ``Event.mode == 'denied'``) joins with ``stance`` 'differs'/'denies' and
its ``value``: the claim becomes ``conflicting`` (sources of more than one stance) and shows both
sides. Events inside a no-comment phrase become only the no-comment fact. A claim an outlet does not
carry is an omission for that outlet, never a conflict.

Event coreference comes first (:func:`event_chains`): events of a story are one event when their
triggers are one word (its lemma, inflection or nominalisation: 'shooting'/'shot'/'shoot') or
synonyms of one :data:`EVENT_LEXEMES` set ('quake'/'earthquake', 'killing'/'murder') and nothing
tells them apart (another source or target actor, dates that do not overlap, a hypothetical versus
an asserted mode). Coreference is looser than a claim: two reports of one event are one chain even
when only one names the actors. A claim's statements must be one chain, and inside a chain the
stricter claim relation below decides: corroboration needs the same event *and* agreeing evidence,
so two different events of one story are never corroborated by each other.

Independent sources: articles collapse to their wire original (``queries.copies``); outlets that
cite the same source (``Quote.cited_source``, or 'according to' a known outlet) count as that one
source, carried N times (``Claim.note`` says so); then one outlet counts once. ``corroborated``
needs ``defaults.CORROBORATION_MIN`` independent sources, otherwise ``single-source``.

Claim IDs are ``content_id(story_id, id of the claim's first statement)``: adding articles later
keeps the IDs of existing claims (their first statement is still first).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from newsfuse import defaults
from newsfuse.analyze.events import SPEECH_VERBS
from newsfuse.fuse.entities import normalise
from newsfuse.ids import content_id
from newsfuse.models import Amount, Analysis, Article, Claim, ClaimSource, CopyLink, Event, Quote, Span

# 'declined to comment', 'has yet to (officially) comment', 'did not (immediately) respond to a
# request for comment', 'could not be reached for comment', 'no comment'.
NO_COMMENT = re.compile(
    r"\b(declined to comment|(?:has|have) yet to (?:\w+ly )?comment|"
    r"did not (?:\w+ly )?respond to (?:a )?requests? for comment|could not be reached for comment|"
    r"refused to comment|no comment)\b",
    re.IGNORECASE,
)
# Speech cues that deny what the quote content states ('denied that repairs had been postponed').
DENIAL_CUE = re.compile(r"(?i)(denied|denies|deny|denying|rejected|refuted|dismissed)\b")
# Words that carry tense or syntax, not content: 'had been postponed' denies 'were postponed'.
_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "that", "to", "of", "in", "on", "at", "by", "for", "and", "or", "is", "are", "was",
    "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "not", "it", "its", "this",
})
# Modes that do not say an event happened: they align only with each other.
HYPOTHETICAL = frozenset({"planned", "possible", "conditional"})
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+|\n\s*\n")
_NUMBER = re.compile(r"[\d.,]+")


@dataclass
class Statement:
    """One article's statement before alignment (a working set, not a stored record)."""

    id: str
    kind: str
    article: Article
    text: str
    span: Span
    stance: str = "supports"
    mode: str = "asserted"
    entity: str | None = None  # event source / quote speaker / fact subject (entity ID)
    target: str | None = None
    type: str = ""
    trigger: str = ""
    date_start: str | None = None
    date_end: str | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    counted: str = ""
    context: str = ""  # quote content; words before an amount
    context_after: str = ""  # a quote's sentence; words after an amount
    cited: str | None = None


@dataclass
class _Group:
    members: list[tuple[Statement, str, str | None]] = field(default_factory=list)  # (s, stance, value)


# -- statements from analyses ---------------------------------------------------------------------


def statements(
    article: Article, analysis: Analysis, emap: Mapping[tuple[str, str], str], outlets: set[str]
) -> list[Statement]:
    """Every statement of one article, in text order per kind."""
    cites = _citations(analysis.quotes, outlets)
    silent = [(m.start(), m.end()) for m in NO_COMMENT.finditer(article.text)]
    out: list[Statement] = []
    out += [_event_statement(article, e, emap, cites) for e in analysis.events
            if not any(s <= e.trigger_start < t for s, t in silent)]  # a no-comment is a fact
    out += [_quote_statement(article, q, emap, outlets) for q in analysis.quotes if q.content.strip()]
    out += [s for a in analysis.amounts if (s := _amount_statement(article, a, cites)) is not None]
    out += _no_comment_statements(article, analysis, emap)
    return out


def _citations(quotes: Sequence[Quote], outlets: set[str]) -> list[tuple[int, int, str]]:
    """(start, end, cited source) of the passages an article attributes to another outlet/agency."""
    out = []
    for q in quotes:
        cited = _cited(q, outlets)
        if cited:
            out.append((q.content_start, q.content_end, cited))
    return out


def _cited(q: Quote, outlets: set[str]) -> str | None:
    if q.cited_source:
        return q.cited_source
    if q.kind == "according_to" and q.speaker and normalise(q.speaker) in outlets:
        return q.speaker
    return None


def _cited_at(cites: Sequence[tuple[int, int, str]], start: int, end: int) -> str | None:
    for s, e, name in cites:
        if s < end and start < e:
            return name
    return None


def _key(emap: Mapping[tuple[str, str], str], article_id: str, key: str | None) -> str | None:
    return emap.get((article_id, key)) if key else None


def _span(article: Article, start: int, end: int) -> Span:
    start, end = max(0, start), min(len(article.text), end)
    return Span(article.id, start, end, article.text[start:end])


def _event_statement(
    article: Article, e: Event, emap: Mapping[tuple[str, str], str], cites: Sequence[tuple[int, int, str]]
) -> Statement:
    span = _span(article, e.sentence_start, e.sentence_end)
    denied = e.mode == "denied" or e.negated
    return Statement(
        id=e.id, kind="event", article=article, text=f"{_event_label(e)}: {span.text.strip()}", span=span,
        stance="denies" if denied else "supports", mode=e.mode,
        entity=_key(emap, article.id, e.source_key), target=_key(emap, article.id, e.target_key),
        type=e.type, trigger=e.trigger, date_start=e.date_start, date_end=e.date_end or e.date_start,
        cited=_cited_at(cites, e.sentence_start, e.sentence_end),
    )


def _event_label(e: Event) -> str:
    """'ASSAULT strike (Russia -> Ukraine)': which of a sentence's events the claim is about."""
    actors = " -> ".join(x for x in (e.source, e.target) if x)
    mode = f", {e.mode}" if e.mode != "asserted" else ""
    return f"{e.type} {e.trigger}" + (f" ({actors}{mode})" if actors or mode else "")


def _quote_statement(
    article: Article, q: Quote, emap: Mapping[tuple[str, str], str], outlets: set[str]
) -> Statement:
    start = min(q.content_start, q.speaker_start if q.speaker_start is not None else q.content_start)
    end = max(q.content_end, q.speaker_end if q.speaker_end is not None else q.content_end)
    speaker = q.speaker or "unnamed source"
    denial = bool(q.cue and DENIAL_CUE.match(q.cue))
    sent_start, sent_end = sentence_around(article.text, start, end)
    # What a denial denies: the words after the cue ('... denied that repairs had been postponed').
    denied = article.text[q.cue_end:sent_end] if denial and q.cue_end is not None else q.content
    return Statement(
        id=q.id, kind="quote", article=article, text=f"{speaker}: {q.content.strip()}",
        span=_span(article, start, end), entity=_key(emap, article.id, q.speaker_key),
        stance="denies" if denial else "supports", context=denied if denial else q.content,
        context_after=article.text[sent_start:sent_end], cited=_cited(q, outlets),
    )


def _amount_statement(
    article: Article, a: Amount, cites: Sequence[tuple[int, int, str]]
) -> Statement | None:
    if a.value is None:
        return None
    sent_start, sent_end = sentence_around(article.text, a.start, a.end)
    before = article.text[sent_start:a.start].split()[-defaults.AMOUNT_CONTEXT_WORDS:]
    after = article.text[a.end:sent_end].split()[: defaults.AMOUNT_CONTEXT_WORDS]
    span = _span(article, sent_start, sent_end)
    return Statement(
        id=a.id, kind="amount", article=article, text=f"{a.text}: {span.text.strip()}", span=span,
        value=a.value, low=a.low, high=a.high, unit=a.unit, counted=(a.counted or "").casefold(),
        context=_words(before), context_after=_words(after), cited=_cited_at(cites, sent_start, sent_end),
    )


def _words(words: list[str]) -> str:
    return " ".join(_NUMBER.sub(" ", " ".join(words)).casefold().split())


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Character bounds of the sentence holding ``start:end`` (a light splitter: no parse needed)."""
    left = 0
    for m in _SENTENCE_END.finditer(text, 0, start):
        left = m.end()
    after = _SENTENCE_END.search(text, end)
    right = after.start() if after else len(text)
    return left, right


def _no_comment_statements(
    article: Article, analysis: Analysis, emap: Mapping[tuple[str, str], str]
) -> list[Statement]:
    out = []
    for m in NO_COMMENT.finditer(article.text):
        sent_start, sent_end = sentence_around(article.text, m.start(), m.end())
        before = [x for x in analysis.mentions if sent_start <= x.start and x.end <= m.start()]
        if not before:
            continue
        subject = before[-1]  # the nearest actor before the cue is who did not comment
        span = _span(article, sent_start, sent_end)
        out.append(Statement(
            id=content_id(article.id, "no-comment", m.start(), prefix="f_"), kind="fact", article=article,
            text=f"{subject.text} has not commented", span=span,
            entity=emap.get((article.id, subject.entity_key), normalise(subject.entity_key)),
        ))
    return out


# -- alignment ------------------------------------------------------------------------------------


def relation(a: Statement, b: Statement) -> tuple[str, str | None] | None:
    """How ``b`` relates to ``a``: ('same', None), ('differs', b's value) or None (unrelated)."""
    if a.kind != b.kind:
        return None
    if a.kind == "event":
        return _event_relation(a, b)
    if a.kind == "quote":
        return _quote_relation(a, b)
    if a.kind == "amount":
        return _amount_relation(a, b)
    return ("same", None) if a.entity is not None and a.entity == b.entity else None


def _event_relation(a: Statement, b: Statement) -> tuple[str, str | None] | None:
    if a.type != b.type and a.trigger != b.trigger:
        return None
    if (a.mode in HYPOTHETICAL) != (b.mode in HYPOTHETICAL):
        return None  # 'may negotiate' neither confirms nor contradicts 'will not negotiate'
    # token_sort (not token_set): long sentences sharing a few names must not pass as alike.
    similar = fuzz.token_sort_ratio(a.text, b.text, processor=default_process) >= defaults.EVENT_SIMILARITY
    src = _slot(a.entity, b.entity)
    tgt = _slot(a.target, b.target)
    if "differ" in (src, tgt) and not similar:
        return None
    # Evidence that two events are one: both actors shared; or alike sentences; or, when neither
    # statement names any actor, the same trigger within the story. One shared actor is not enough
    # ('France may allow Ukraine' vs 'the military be allowed').
    no_actors = not (a.entity or a.target or b.entity or b.target)
    if not (src == tgt == "same" or similar or (no_actors and a.trigger == b.trigger)):
        return None
    if src == "differ" and tgt == "differ":
        return None
    if not _dates_overlap(a, b):
        return ("differs", _date_text(b)) if similar and "differ" not in (src, tgt) else None
    if src == "differ" or tgt == "differ":
        return ("differs", f"actor: {b.entity if src == 'differ' else b.target}")
    return ("same", None)


def _slot(x: str | None, y: str | None) -> str:
    if x is None or y is None:
        return "unknown"
    return "same" if x == y else "differ"


def _dates_overlap(a: Statement, b: Statement) -> bool:
    if not (a.date_start and b.date_start):
        return True
    try:
        a0, a1 = _day(a.date_start), _day(a.date_end or a.date_start)
        b0, b1 = _day(b.date_start), _day(b.date_end or b.date_start)
    except ValueError:
        return True
    slack = timedelta(days=defaults.EVENT_DATE_SLACK_DAYS)
    return a0 - slack <= b1 and b0 - slack <= a1


def _day(value: str) -> date:
    return date.fromisoformat(value[:10])


def _date_text(s: Statement) -> str:
    if s.date_end and s.date_end != s.date_start:
        return f"date: {s.date_start}..{s.date_end}"
    return f"date: {s.date_start}"


def _quote_relation(a: Statement, b: Statement) -> tuple[str, str | None] | None:
    if "denies" in (a.stance, b.stance) and a.stance != b.stance:
        # A denial answers what someone else said (any speaker): the denied words must be found
        # in the other statement's sentence.
        denial, other = (a, b) if a.stance == "denies" else (b, a)
        found = _containment(denial.context, other.context_after) >= defaults.QUOTE_SIMILARITY
        return ("same", None) if found else None
    if a.entity != b.entity:
        return None
    if similarity(a.context, b.context) >= defaults.QUOTE_SIMILARITY:
        return ("same", None)
    return None


def _amount_relation(a: Statement, b: Statement) -> tuple[str, str | None] | None:
    if a.unit != b.unit:
        return None
    counted = similarity(a.counted, b.counted) if a.counted and b.counted else 100.0
    if counted < defaults.AMOUNT_COUNTED_SIMILARITY:
        return None
    # One side of the figure worded alike is enough ('... residents were evacuated from Dunmere'):
    # the other side is where outlets reword ('clear: nearly' vs 'killed and about').
    before = _alike(a.context, b.context)
    after = _alike(a.context_after, b.context_after)
    if max(before, after) < defaults.AMOUNT_CONTEXT_SIMILARITY:
        return None
    return ("same", None) if _values_agree(a, b) else ("differs", _amount_text(b))


def _containment(part: str, whole: str) -> float:
    """Share (0-100) of the words of ``part`` that occur in ``whole``, case- and punctuation-folded."""
    words = [w for w in default_process(part).split() if w not in _FUNCTION_WORDS]
    present = set(default_process(whole).split())
    return 100.0 * sum(w in present for w in words) / len(words) if words else 0.0


def similarity(x: str, y: str) -> float:
    """rapidfuzz token_set_ratio (0-100) of case- and punctuation-folded texts."""
    return float(fuzz.token_set_ratio(x, y, processor=default_process))


def _alike(x: str, y: str) -> float:
    return fuzz.token_sort_ratio(x, y, processor=default_process) if x and y else 0.0


def _values_agree(a: Statement, b: Statement) -> bool:
    a0, a1 = _bounds(a)
    b0, b1 = _bounds(b)
    tolerance = defaults.AMOUNT_TOLERANCE * max(abs(a0), abs(a1), abs(b0), abs(b1), 1e-9)
    return a0 - tolerance <= b1 and b0 - tolerance <= a1


def _bounds(s: Statement) -> tuple[float, float]:
    value = s.value or 0.0
    return (s.low if s.low is not None else value, s.high if s.high is not None else value)


def _amount_text(s: Statement) -> str:
    number = f"{s.value:,.0f}" if s.value is not None and float(s.value).is_integer() else f"{s.value}"
    return " ".join(x for x in (number, s.unit or "", s.counted) if x)


def align(items: Sequence[Statement]) -> list[_Group]:
    """Greedy, order-stable alignment: each statement joins the first group it relates to.

    Events align only inside their coreference chain (:func:`event_chains`): the claim relation
    between articles never crosses chains, so cross-outlet claims are as the relation makes them,
    and no claim holds two events coreference tells apart. Two events of one article in different
    chains stay two claims even when the relation would call them alike.
    """
    chain_of = {id(s): n for n, chain in enumerate(event_chains(items)) for s in chain}
    groups: list[_Group] = []
    for s in items:
        chain = chain_of.get(id(s))
        candidates = [g for g in groups if chain_of.get(id(g.members[0][0])) == chain]
        for g in candidates:
            rel = _relation_to_group(g, s)
            if rel is not None:
                stance = s.stance if rel[0] == "same" else "differs"
                g.members.append((s, stance, rel[1] if rel[0] == "differs" else None))
                break
        else:
            groups.append(_Group([(s, s.stance, None)]))
    return groups


def _relation_to_group(g: _Group, s: Statement) -> tuple[str, str | None] | None:
    """'same' if s matches any member that agrees with the claim's first statement."""
    found: tuple[str, str | None] | None = None
    for member, stance, _ in g.members:
        if stance == "differs":
            continue
        rel = relation(member, s)
        if rel is not None and rel[0] == "same":
            return rel
        found = found or rel
    return found


# -- event coreference ----------------------------------------------------------------------------

# Words news uses for one event, as sets of lemmas (with nominalisations and frequent inflections
# the lemmatiser leaves alone). Two triggers in one set corefer when their arguments agree.
_LEXEME_SETS = (
    "die dead death dies died dying perish fatal fatality",
    "kill killing killed kills murder murdered slay slaying homicide",
    "shoot shooting shot shootings gunfire",
    "quake earthquake tremor temblor aftershock",
    "win won victory triumph beat defeat lose loss",
    "fire blaze inferno flames",
    "arrest arrested detain detention apprehend capture custody",
    "charge charged accuse accusation indict indictment",
    "release launch unveil",
    "fix patch repair",
    "find found discover discovery uncover",
    "escape flee fled breakout",
    "acquire acquisition buy purchase takeover",
    "resign resignation quit",
    "rob robbery heist theft steal stole stolen",
    "crash collide collision",
    "explode explosion blast bomb bombing",
    "attack assault",
    "injure injury injured wound wounded hurt",
    "evacuate evacuation",
    "convict conviction",
    "sentence sentencing",
    "elect election",
    "appoint appointment nominate nomination",
    "announce announcement",
    "sever cut",
)
EVENT_LEXEMES: dict[str, int] = {w: n for n, words in enumerate(_LEXEME_SETS) for w in words.split()}
_SUFFIXES = ("ings", "ing", "ed", "es", "s")


def trigger_forms(trigger: str) -> frozenset[str]:
    """The forms a trigger may stand for: itself, its stem without an inflection ('shootings' ->
    'shoot', 'dies' -> 'die', 'running' -> 'run') and its synonym set ('#3')."""
    word = trigger.casefold().strip()
    forms = {word}
    for suffix in _SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= defaults.EVENT_STEM_MIN_CHARS:
            forms |= {stem, stem + "e"}
            if len(stem) > 1 and stem[-1] == stem[-2]:
                forms.add(stem[:-1])  # doubled consonant: 'running' -> 'run'
    sets = {f"#{EVENT_LEXEMES[f]}" for f in forms if f in EVENT_LEXEMES}
    return frozenset(forms | sets)


def event_chains(items: Sequence[Statement]) -> list[list[Statement]]:
    """Cross-article event coreference inside one story (see the module docstring), in order.

    Greedy and order-stable: an event joins the first chain holding an event of the same word or
    synonym set that no member contradicts; events of two articles that the claim relation relates
    always share a chain (so claims, built inside chains, align across articles as before). Events
    of one article are chained by their word only: the claim relation calls 'killed three and
    wounded five' alike (one sentence, one type), but one report tells those as two events.
    """
    events = [s for s in items if s.kind == "event"]
    uf = list(range(len(events)))

    def find(i: int) -> int:
        while uf[i] != i:
            uf[i] = uf[uf[i]]
            i = uf[i]
        return i

    forms = [trigger_forms(s.trigger) for s in events]
    for j, s in enumerate(events):
        for i in _word_match(events, forms, j, find):
            uf[find(j)] = find(i)
            break
        for i in range(j):  # across articles only: one article's claims need no alignment
            other = events[i]
            if other.article.id != s.article.id and find(i) != find(j) and relation(other, s) is not None:
                uf[find(j)] = find(i)
    chains: dict[int, list[Statement]] = {}
    for i, s in enumerate(events):
        chains.setdefault(find(i), []).append(s)
    return list(chains.values())


def _word_match(
    events: Sequence[Statement], forms: Sequence[frozenset[str]], j: int, find: Callable[[int], int]
) -> list[int]:
    """Earlier events (one per chain, in chain order) sharing a word form with event ``j`` whose
    chain no member contradicts."""
    members: dict[int, list[int]] = {}
    for i in range(j):
        members.setdefault(find(i), []).append(i)
    out = []
    for root, idx in members.items():
        if any(forms[i] & forms[j] for i in idx) and not any(_contradicts(events[i], events[j]) for i in idx):
            out.append(root)
    return out


def _contradicts(a: Statement, b: Statement) -> bool:
    """Arguments that make two mentions of one word two events.

    Other actors alone do not: reports name the parties of one event differently and often only
    one of them (on ECB+ train, splitting on any actor disagreement costs 14 CoNLL F1 points).
    Statements are the exception: two speakers saying something are two statements.
    """
    if (a.mode in HYPOTHETICAL) != (b.mode in HYPOTHETICAL):
        return True
    if not _dates_overlap(a, b):
        return True
    speech = a.trigger.casefold() in SPEECH_VERBS or b.trigger.casefold() in SPEECH_VERBS
    return speech and _slot(a.entity, b.entity) == "differ"


# -- claims ---------------------------------------------------------------------------------------


def build_claims(
    story_id: str,
    articles: Sequence[Article],
    analyses: Mapping[str, Analysis],
    emap: Mapping[tuple[str, str], str],
    copies: Sequence[CopyLink] = (),
) -> list[Claim]:
    """Align every statement of the story's articles into claims with status and evidence."""
    outlets = {normalise(a.outlet) for a in articles if a.outlet}
    items = [s for a in articles if a.id in analyses for s in statements(a, analyses[a.id], emap, outlets)]
    original = _originals(copies)
    by_id = {a.id: a for a in articles}
    claims = [_claim(story_id, g, original, by_id) for g in align(items)]
    return sorted(claims, key=lambda c: c.id)


def _originals(copies: Sequence[CopyLink]) -> dict[str, str]:
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


def _claim(story_id: str, g: _Group, original: dict[str, str], by_id: Mapping[str, Article]) -> Claim:
    first = g.members[0][0]
    sources = _sources(g, original)
    keys = {s.article_id: _source_key(s, original, by_id) for s in sources}
    independent = len(set(keys.values()))
    if len({s.stance for s in sources}) > 1:  # one side against another; a lone denial is a claim
        status = "conflicting"
    elif independent >= defaults.CORROBORATION_MIN:
        status = "corroborated"
    else:
        status = "single-source"
    return Claim(
        id=content_id(story_id, first.id, prefix="c_"), story_id=story_id, kind=first.kind,
        text=_readable(first), status=status, independent_sources=independent, sources=tuple(sources),
        note=_note(sources, original),
    )


def _sources(g: _Group, original: dict[str, str]) -> list[ClaimSource]:
    """One ClaimSource per article (its statements' evidence merged; a disagreement wins)."""
    per: dict[str, ClaimSource] = {}
    for s, stance, value in g.members:
        old = per.get(s.article.id)
        if old is not None:
            keep = old if old.stance != "supports" or stance == "supports" else None
            evidence = old.evidence + ((s.span,) if s.span not in old.evidence else ())
            stance = keep.stance if keep else stance
            value = keep.value if keep else value
            cited = old.cited_source or s.cited
        else:
            evidence, cited = (s.span,), s.cited
        per[s.article.id] = ClaimSource(
            article_id=s.article.id, outlet=s.article.outlet, independent_of=original.get(s.article.id),
            cited_source=cited, stance=stance, value=value or _own_value(s), evidence=evidence,
        )
    return list(per.values())


def _own_value(s: Statement) -> str | None:
    if s.kind == "amount":
        return _amount_text(s)
    if s.kind == "event" and s.date_start:
        return _date_text(s)
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


def _readable(s: Statement) -> str:
    text = " ".join(s.text.split())
    limit = 300
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
