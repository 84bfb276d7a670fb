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
from newsfuse.fuse import claimtext
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
# A sentence ends after . ! ? … (and closing quotes) before white space, or at a paragraph break,
# but not after an initial or an abbreviation ("U.S. President", "Gen. Ruiz"): that would cut a
# name in two. Story titles use the same splitter (stories.title_of).
_SENTENCE_END = re.compile(
    r"(?<=[.!?…])(?<!\b[A-Z]\.)(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr)\.)"
    r"(?<!\b(?:Mrs|Gen|Sen|Rep|Gov|Col|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.)"
    r"[\"'”’)]*\s+|\n\s*\n"
)
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
    label: str = ""  # readable text when this statement leads its claim (fuse/claimtext.py)
    strong: bool = True  # False: generic/unsure; a claim only when another source carries it too
    at: int = 0  # where an amount stands in the text (to find the event or quote carrying it)


@dataclass
class _Group:
    members: list[tuple[Statement, str, str | None]] = field(default_factory=list)  # (s, stance, value)


# -- statements from analyses ---------------------------------------------------------------------


def statements(
    article: Article,
    analysis: Analysis,
    emap: Mapping[tuple[str, str], str],
    outlets: set[str],
    names: Mapping[str, str] | None = None,
) -> list[Statement]:
    """Every statement of one article, in text order per kind; ``names``: entity ID -> name for the
    readable labels (derived from the analysis when not given)."""
    if names is None:
        names = claimtext.entity_names([analysis], emap)
    cites = _citations(analysis.quotes, outlets)
    silent = [(m.start(), m.end()) for m in NO_COMMENT.finditer(article.text)]
    out: list[Statement] = []
    out += [_event_statement(article, e, emap, cites, names) for e in analysis.events
            if not any(s <= e.trigger_start < t for s, t in silent)]  # a no-comment is a fact
    out += [_quote_statement(article, q, emap, outlets, names) for q in analysis.quotes
            if q.content.strip() and q.kind != "stance"]  # 'wants to run' is an attitude, no claim
    out += [s for a in analysis.amounts if (s := _amount_statement(article, a, cites)) is not None]
    out += _no_comment_statements(article, analysis, emap, names)
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
    article: Article,
    e: Event,
    emap: Mapping[tuple[str, str], str],
    cites: Sequence[tuple[int, int, str]],
    names: Mapping[str, str],
) -> Statement:
    span = _span(article, e.sentence_start, e.sentence_end)
    denied = e.mode == "denied" or e.negated
    # Generic verbs, bare speech verbs ('X said.': the attribution frame, its quote is the claim) and
    # events with nobody doing or undergoing them state no fact of their own.
    named = any(claimtext.actor(text, key, article.id, emap, names)
                for text, key in ((e.source, e.source_key), (e.target, e.target_key)))
    generic = e.confidence < defaults.CLAIM_MIN_CONFIDENCE or e.trigger.casefold() in SPEECH_VERBS
    strong = named and not generic
    return Statement(
        id=e.id, kind="event", article=article, text=f"{_event_label(e)}: {span.text.strip()}", span=span,
        stance="denies" if denied else "supports", mode=e.mode,
        entity=_key(emap, article.id, e.source_key), target=_key(emap, article.id, e.target_key),
        type=e.type, trigger=e.trigger, date_start=e.date_start, date_end=e.date_end or e.date_start,
        cited=_cited_at(cites, e.sentence_start, e.sentence_end),
        label=claimtext.event_text(article, e, emap, names), strong=strong,
    )


def _event_label(e: Event) -> str:
    """'ASSAULT strike (Russia -> Ukraine)': which of a sentence's events the claim is about."""
    actors = " -> ".join(x for x in (e.source, e.target) if x)
    mode = f", {e.mode}" if e.mode != "asserted" else ""
    return f"{e.type} {e.trigger}" + (f" ({actors}{mode})" if actors or mode else "")


def _quote_statement(
    article: Article,
    q: Quote,
    emap: Mapping[tuple[str, str], str],
    outlets: set[str],
    names: Mapping[str, str],
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
        label=claimtext.quote_text(q, claimtext.actor(q.speaker, q.speaker_key, article.id, emap, names)),
        strong=q.confidence >= defaults.CLAIM_MIN_CONFIDENCE
        and claimtext.content_words(q.content) >= defaults.CLAIM_QUOTE_MIN_WORDS,
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
        label=claimtext.amount_clause(article.text, sent_start, sent_end, a.start, a.end),
        strong=a.confidence >= defaults.CLAIM_MIN_CONFIDENCE, at=a.start,
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
    article: Article, analysis: Analysis, emap: Mapping[tuple[str, str], str], names: Mapping[str, str]
) -> list[Statement]:
    out = []
    for m in NO_COMMENT.finditer(article.text):
        sent_start, sent_end = sentence_around(article.text, m.start(), m.end())
        before = [x for x in analysis.mentions if sent_start <= x.start and x.end <= m.start()]
        if not before:
            continue
        subject = before[-1]  # the nearest actor before the cue is who did not comment
        span = _span(article, sent_start, sent_end)
        who = claimtext.actor(subject.text, subject.entity_key, article.id, emap, names) or subject.text
        out.append(Statement(
            id=content_id(article.id, "no-comment", m.start(), prefix="f_"), kind="fact", article=article,
            text=f"{subject.text} has not commented", span=span,
            entity=emap.get((article.id, subject.entity_key), normalise(subject.entity_key)),
            label=f"{who} has not commented",
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
    by_chain: dict[int | None, list[_Group]] = {}  # a chain's groups in creation order
    for s in items:
        candidates = by_chain.setdefault(chain_of.get(id(s)), [])
        for g in candidates:
            rel = _relation_to_group(g, s)
            if rel is not None:
                stance = s.stance if rel[0] == "same" else "differs"
                g.members.append((s, stance, rel[1] if rel[0] == "differs" else None))
                break
        else:
            group = _Group([(s, s.stance, None)])
            groups.append(group)
            candidates.append(group)
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


# -- one claim per fact -----------------------------------------------------------------------------

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
    out: list[tuple[Statement, Statement]] = []
    for s in items:
        if s.kind == "amount":
            carrier = _carrier(s, stated, events) or _holder(s, items, quotes)
            if carrier is not None:
                out.append((carrier, s))
            out += [(o, s) for o in items if o.kind == "amount" and o is not s and o.label == s.label
                    and o.span == s.span]
        elif s.kind == "quote" and s.id in quotes:
            q = quotes[s.id]
            lo, hi = _quote_bounds(q)
            inside = [e for e in stated if lo <= events[e.id].trigger_start < hi]
            at_cue = [e for e in inside if q.cue_start is not None and q.cue_end is not None
                      and q.cue_start <= events[e.id].trigger_start < q.cue_end]
            strong = [e for e in at_cue + inside if e.strong]
            out += [(s, e) for e in inside if not e.strong] + [(s, e) for e in strong[:1]]
    return out


def _carrier(a: Statement, stated: Sequence[Statement], events: Mapping[str, Event]) -> Statement | None:
    listed = [s for s in stated if a.id in events[s.id].amount_ids]
    if listed:
        return listed[0]
    near = [s for s in stated if events[s.id].sentence_start <= a.at < events[s.id].sentence_end]
    return min(near, key=lambda s: abs(events[s.id].trigger_start - a.at), default=None)


def _holder(a: Statement, items: Sequence[Statement], quotes: Mapping[str, Quote]) -> Statement | None:
    for s in items:
        if s.kind == "quote" and s.id in quotes:
            lo, hi = _quote_bounds(quotes[s.id])
            if lo <= a.at < hi:
                return s
    return None


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


# -- claims ---------------------------------------------------------------------------------------


def build_claims(
    story_id: str,
    articles: Sequence[Article],
    analyses: Mapping[str, Analysis],
    emap: Mapping[tuple[str, str], str],
    copies: Sequence[CopyLink] = (),
    names: Mapping[str, str] | None = None,
) -> list[Claim]:
    """Align every statement of the story's articles into claims with status and evidence: one
    claim per fact, texts from ``names`` (entity ID -> name; derived from the analyses if None)."""
    outlets = {normalise(a.outlet) for a in articles if a.outlet}
    present = [a for a in articles if a.id in analyses]
    if names is None:
        names = claimtext.entity_names([analyses[a.id] for a in present], emap)
    items: list[Statement] = []
    links: list[tuple[Statement, Statement]] = []
    for a in present:
        found = statements(a, analyses[a.id], emap, outlets, names)
        items += found
        links += fact_links(analyses[a.id], found)
    original = _originals(copies)
    by_id = {a.id: a for a in articles}
    claims = [_claim(story_id, c, original, by_id) for c in clusters(align(items), links)]
    return sorted((c for c in claims if c is not None), key=lambda c: c.id)


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


def _claim(
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
    against = next((m for m in ranked if m[1] != "supports"), None)
    value = against[2] if against else None
    value = value or next((v for s, _, _ in ranked if (v := _own_value(s))), None)
    evidence: list[Span] = []
    for s, _, _ in rows:
        if s.span not in evidence:
            evidence.append(s.span)
    article = rows[0][0].article
    return ClaimSource(
        article_id=article.id, outlet=article.outlet, independent_of=original.get(article.id),
        cited_source=next((s.cited for s, _, _ in rows if s.cited), None),
        stance=against[1] if against else "supports", value=value, evidence=tuple(evidence),
    )


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


def _event_note(members: Sequence[Member], keys: Mapping[str, str], status: str) -> str:
    """For a conflict over details: how many independent sources agree that the event happened."""
    if status != "conflicting":
        return ""
    agree = {keys[s.article.id] for s, stance, _ in members
             if s.kind == "event" and stance != "denies" and s.article.id in keys}
    if len(agree) < defaults.CORROBORATION_MIN:
        return ""
    return f"the event itself is corroborated by {len(agree)} independent sources; they differ on its details"
