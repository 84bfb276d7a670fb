"""Claims: atomic statements aligned across the articles of a story, each with a status.

Statements come from four places in each article's analysis:

* ``event``: an Event (type, source/target entity, date, mode) with its sentence as evidence;
* ``quote``: a Quote (speaker entity + content);
* ``amount``: an Amount (value, unit, what it counts and the words around it);
* ``fact``: a no-comment statement ('declined to comment', 'has yet to comment', 'did not respond
  to a request for comment'): these all mean the actor has not commented, so they agree.

Statements of one kind are aligned greedily in article order: a statement joins the first claim one
of whose statements it matches (same event type or trigger + compatible actors + overlapping dates
+ positive evidence: both actors shared, sentences alike by rapidfuzz, or one specific trigger word
sharing a figure or the dates; a light verb such as 'ask' or 'give' (:data:`GENERIC_TRIGGERS`)
alone never suffices; same speaker + similar content; same counted thing in a similar context).
A statement that matches but disagrees (another amount, a non-overlapping date, another actor, or
a denial: ``Event.mode == 'denied'``) joins with ``stance`` 'differs'/'denies' and its ``value``:
the claim becomes ``conflicting`` (sources of more than one stance) and shows both sides. An event
denial needs the same actors or alike sentences (it denies that fact, not any fact sharing a date).
Events inside a no-comment phrase become only the no-comment fact. A claim an outlet does not carry
is an omission for that outlet, never a conflict. A source shows each piece of its evidence once
(:func:`distinct_evidence`).

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

Speed (a story of hundreds of articles holds tens of thousands of statements): the greedy passes
compare a statement only with the chains and groups it could relate to (blocking by what the
relation requires equal: event type or trigger, word forms, speaker, unit, subject), compare once
per *signature* (the fields the relation reads; wire copies repeat them) through :class:`Memo`,
and fold each text once for rapidfuzz. The result is the one the plain pairwise passes give.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from newsfuse import defaults
from newsfuse.analyze.events import SPEECH_VERBS
from newsfuse.analyze.plover import GENERIC_VERBS
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
# Triggers too common to say which event a sentence tells ('asked for divers', 'nobody would be asked
# to leave', 'asked about the cost'): sharing one is no evidence that two reports tell one event.
_LIGHT_VERBS = (
    "be have do make take go come get call put see keep let set show turn bring leave use want need "
    "try seem look become begin start work move"
)
GENERIC_TRIGGERS = frozenset(GENERIC_VERBS) | SPEECH_VERBS | frozenset(_LIGHT_VERBS.split())
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
_FIGURE = re.compile(r"\d[\d,.]*\d|\d")


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
    # (Memo, number of the signature in it): set by Memo.sig, read very often during alignment
    sig_of: tuple[object, int] | None = field(default=None, compare=False, repr=False)


@dataclass
class _Group:
    members: list[tuple[Statement, str, str | None]] = field(default_factory=list)  # (s, stance, value)
    number: int = 0  # creation order among the story's groups
    # signature -> the first member of it that agrees with the claim: what a newcomer is compared with
    agreeing: dict[int, Statement] = field(default_factory=dict)

    def add(self, s: Statement, stance: str, value: str | None, memo: Memo) -> None:
        self.members.append((s, stance, value))
        if stance != "differs":
            self.agreeing.setdefault(memo.sig(s), s)


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
    starts, ends = _sentence_ends(text)
    # The breaks of the whole text, found once per text. A break straddling ``start`` or ``end``
    # (inside a run of spaces) is found differently by a search bounded there: scan as before.
    k = bisect.bisect_left(starts, start) - 1  # the last break starting before start
    if k >= 0 and ends[k] > start:
        left = 0
        for m in _SENTENCE_END.finditer(text, 0, start):
            left = m.end()
    else:
        left = ends[k] if k >= 0 else 0
    k = bisect.bisect_left(starts, end)  # the first break starting at or after end
    if k > 0 and ends[k - 1] > end:
        after = _SENTENCE_END.search(text, end)
        return left, after.start() if after else len(text)
    return left, starts[k] if k < len(starts) else len(text)


@functools.lru_cache(maxsize=256)  # a story asks for many sentences of each of its texts
def _sentence_ends(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the sentence breaks of ``text``, in order."""
    found = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)]
    return [a for a, _ in found], [b for _, b in found]


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


# -- comparisons, once per pair of signatures ----------------------------------------------------


def signature(s: Statement) -> tuple[object, ...]:
    """Every field the claim relation and the contradiction test read: two statements of one
    signature (a wire story and its copies, one sentence reported twice) compare alike."""
    if s.kind == "event":
        return ("event", s.type, s.trigger, s.mode, s.stance, s.text, s.entity, s.target, s.date_start,
                s.date_end)
    if s.kind == "quote":
        return ("quote", s.stance, s.entity, s.context, s.context_after)
    if s.kind == "amount":
        return ("amount", s.unit, s.counted, s.context, s.context_after, s.value, s.low, s.high)
    return (s.kind, s.entity)


Relation = tuple[str, str | None] | None


class Memo:
    """:func:`relation` and :func:`_contradicts` of one story's statements, remembered per pair of
    signatures. Only pairs whose second statement's signature occurs more than once can be asked
    again, so only those are kept (a story of distinct sentences keeps nothing)."""

    def __init__(self, items: Iterable[Statement]) -> None:
        self._numbers: dict[tuple[object, ...], int] = {}
        counts: Counter[int] = Counter(self.sig(s) for s in items)
        self._repeated = {n for n, c in counts.items() if c > 1}
        self._relations: dict[tuple[int, int], Relation] = {}
        self._contradictions: dict[tuple[int, int], bool] = {}

    def sig(self, s: Statement) -> int:
        """The number of ``s``'s signature."""
        found = s.sig_of
        if found is not None and found[0] is self:
            return found[1]
        number = self._numbers.setdefault(signature(s), len(self._numbers))
        s.sig_of = (self, number)
        return number

    def relation(self, a: Statement, b: Statement) -> Relation:
        sb = self.sig(b)
        if sb not in self._repeated:
            return relation(a, b)
        key = (self.sig(a), sb)
        if key not in self._relations:
            self._relations[key] = relation(a, b)
        return self._relations[key]

    def contradicts(self, a: Statement, b: Statement) -> bool:
        sb = self.sig(b)
        if sb not in self._repeated:
            return _contradicts(a, b)
        key = (self.sig(a), sb)
        if key not in self._contradictions:
            self._contradictions[key] = _contradicts(a, b)
        return self._contradictions[key]


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
    src = _slot(a.entity, b.entity)
    tgt = _slot(a.target, b.target)
    if src == "differ" and tgt == "differ":
        return None
    # The sentence comparison is the costly part: made only where the answer depends on it.
    similar = _LazyAlike(a.text, b.text)
    if "differ" in (src, tgt) and not similar():
        return None
    # Positive evidence that two events are one, never the mere absence of a contradiction: both
    # actors shared; or alike sentences; or one specific word sharing a figure or a date. One shared
    # actor is not enough ('France may allow Ukraine' vs 'the military be allowed').
    actors = src == tgt == "same"
    if not (actors or similar() or _specific_match(a, b)):
        return None
    if a.stance != b.stance and not (actors or similar()):
        return None  # a denial denies the same fact: its actors or its words, not a shared date
    if not _dates_overlap(a, b):
        return ("differs", _date_text(b)) if "differ" not in (src, tgt) and similar() else None
    if src == "differ" or tgt == "differ":
        return ("differs", f"actor: {b.entity if src == 'differ' else b.target}")
    return ("same", None)


def generic(trigger: str) -> bool:
    """Whether a trigger is a light or frequent verb ('ask', 'give', 'said') that names no event."""
    return any(f in GENERIC_TRIGGERS for f in trigger_forms(trigger))


def _specific_match(a: Statement, b: Statement) -> bool:
    """One specific trigger word (not 'ask', 'give') with a shared figure or the same dates."""
    if a.trigger.casefold() != b.trigger.casefold() or generic(a.trigger):
        return False
    same_date = a.date_start is not None and (a.date_start, a.date_end) == (b.date_start, b.date_end)
    return same_date or bool(_figures(a.text) & _figures(b.text))


@functools.lru_cache(maxsize=1 << 15)
def _figures(text: str) -> frozenset[str]:
    """The figures of a text written with enough digits to be specific ('1,800' -> '1800')."""
    found = (m.group().replace(",", "") for m in _FIGURE.finditer(text))
    return frozenset(f for f in found if sum(c.isdigit() for c in f) >= defaults.EVENT_FIGURE_MIN_DIGITS)


class _LazyAlike:
    """Whether two event texts are alike (token_sort, not token_set: long sentences sharing a few
    names must not pass as alike), computed on the first call only."""

    def __init__(self, x: str, y: str) -> None:
        self.x, self.y = x, y
        self.value: bool | None = None

    def __call__(self) -> bool:
        if self.value is None:
            cut = defaults.EVENT_SIMILARITY
            self.value = fuzz.ratio(_sorted_words(self.x), _sorted_words(self.y), score_cutoff=cut) >= cut
        return self.value


@functools.lru_cache(maxsize=1 << 15)  # a story compares each statement's text with many others
def _folded(text: str) -> str:
    """rapidfuzz's default_process of ``text``, once per text (scorers then take processor=None)."""
    return str(default_process(text))


@functools.lru_cache(maxsize=1 << 15)
def _sorted_words(text: str) -> str:
    """The folded words of ``text`` sorted: token_sort_ratio(x, y) is ratio of these two."""
    return " ".join(sorted(_folded(text).split()))


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
    cut = defaults.QUOTE_SIMILARITY
    if fuzz.token_set_ratio(_folded(a.context), _folded(b.context), score_cutoff=cut) >= cut:
        return ("same", None)
    return None


def _amount_relation(a: Statement, b: Statement) -> tuple[str, str | None] | None:
    if a.unit != b.unit:
        return None
    cut = defaults.AMOUNT_COUNTED_SIMILARITY
    if a.counted and b.counted and fuzz.token_set_ratio(
        _folded(a.counted), _folded(b.counted), score_cutoff=cut
    ) < cut:
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
    words = [w for w in _folded(part).split() if w not in _FUNCTION_WORDS]
    present = set(_folded(whole).split())
    return 100.0 * sum(w in present for w in words) / len(words) if words else 0.0


def similarity(x: str, y: str) -> float:
    """rapidfuzz token_set_ratio (0-100) of case- and punctuation-folded texts."""
    return float(fuzz.token_set_ratio(x, y, processor=default_process))


def alike(x: str, y: str, threshold: float) -> bool:
    """``similarity(x, y) >= threshold``, with each text folded once and the scorer stopping early."""
    return fuzz.token_set_ratio(_folded(x), _folded(y), score_cutoff=threshold) >= threshold


def _alike(x: str, y: str) -> float:
    return fuzz.ratio(_sorted_words(x), _sorted_words(y)) if x and y else 0.0


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


def align(items: Sequence[Statement], memo: Memo | None = None) -> list[_Group]:
    """Greedy, order-stable alignment: each statement joins the first group it relates to.

    Events align only inside their coreference chain (:func:`event_chains`): the claim relation
    between articles never crosses chains, so cross-outlet claims are as the relation makes them,
    and no claim holds two events coreference tells apart. Two events of one article in different
    chains stay two claims even when the relation would call them alike.

    Only groups that can relate are tried (:class:`_GroupIndex`), in creation order, so the first
    group found is the first of all groups that relates.
    """
    memo = memo if memo is not None else Memo(items)
    chain_of = {id(s): n for n, chain in enumerate(event_chains(items, memo)) for s in chain}
    groups: list[_Group] = []
    index = _GroupIndex()
    for s in items:
        chain = chain_of.get(id(s))
        for g in index.candidates(s, chain):
            rel = _relation_to_group(g, s, memo)
            if rel is not None:
                stance = s.stance if rel[0] == "same" else "differs"
                g.add(s, stance, rel[1] if rel[0] == "differs" else None, memo)
                index.joined(g, s, stance)
                break
        else:
            group = _Group(number=len(groups))
            group.add(s, s.stance, None, memo)
            groups.append(group)
            index.created(group, s, chain)
    return groups


def _relation_to_group(g: _Group, s: Statement, memo: Memo | None = None) -> tuple[str, str | None] | None:
    """'same' if s matches any member that agrees with the claim's first statement."""
    memo = memo if memo is not None else Memo([s, *(m for m, _, _ in g.members)])
    found: tuple[str, str | None] | None = None
    # Members of one signature relate alike: the first of each stands for all (in member order).
    for member in g.agreeing.values():
        rel = memo.relation(member, s)
        if rel is not None and rel[0] == "same":
            return rel
        found = found or rel
    return found


class _GroupIndex:
    """The groups a statement may join, by what the claim relation requires to be equal.

    Events: the groups of their coreference chain. Amounts: groups of one unit. No-comment facts:
    groups of one subject. Quotes: groups with a member of the same speaker, and groups holding a
    denial (a denial answers any speaker); a denial may join any quote group."""

    def __init__(self) -> None:
        self.blocks: dict[object, dict[int, _Group]] = {}

    def _block(self, key: object) -> dict[int, _Group]:
        return self.blocks.setdefault(key, {})

    def candidates(self, s: Statement, chain: int | None) -> list[_Group]:
        if s.kind != "quote" or chain is not None:
            return list(self.blocks.get(_block_key(s, chain), {}).values())
        if s.stance == "denies":
            found = self.blocks.get(("quote", "all"), {})
        else:
            found = {**self.blocks.get(("quote", "speaker", s.entity), {}),
                     **self.blocks.get(("quote", "denial"), {})}
        return [found[n] for n in sorted(found)]

    def created(self, g: _Group, s: Statement, chain: int | None) -> None:
        self._block(_block_key(s, chain))[g.number] = g
        if s.kind == "quote" and chain is None:
            self._block(("quote", "all"))[g.number] = g
        self.joined(g, s, s.stance)

    def joined(self, g: _Group, s: Statement, stance: str) -> None:
        if s.kind != "quote" or stance == "differs":
            return
        self._block(("quote", "speaker", s.entity))[g.number] = g
        if s.stance == "denies":
            self._block(("quote", "denial"))[g.number] = g


def _block_key(s: Statement, chain: int | None) -> object:
    if chain is not None:
        return ("chain", chain)
    if s.kind == "amount":
        return ("amount", s.unit)
    if s.kind == "quote":
        return ("quote", "all")
    return (s.kind, s.entity)


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


def event_chains(items: Sequence[Statement], memo: Memo | None = None) -> list[list[Statement]]:
    """Cross-article event coreference inside one story (see the module docstring), in order.

    Greedy and order-stable: an event joins the first chain holding an event of the same word or
    synonym set that no member contradicts; events of two articles that the claim relation relates
    always share a chain (so claims, built inside chains, align across articles as before). Events
    of one article are chained by their word only: the claim relation calls 'killed three and
    wounded five' alike (one sentence, one type), but one report tells those as two events.
    """
    events = [s for s in items if s.kind == "event"]
    chains = _Chains(memo if memo is not None else Memo(events))
    for s in events:
        chains.add(s)
    return chains.result()


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

    def __init__(self, memo: Memo) -> None:
        self.memo = memo
        self.events: list[Statement] = []
        self.parent: list[int] = []
        self.chains: dict[int, _Chain] = {}  # root -> chain
        self.by_form: dict[str, set[int]] = {}  # word form -> roots
        self.by_key: dict[tuple[str, str], set[int]] = {}  # ('type'|'trigger', value) -> roots

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def add(self, s: Statement) -> None:
        j = len(self.events)
        self.events.append(s)
        self.parent.append(j)
        forms = trigger_forms(s.trigger)
        keys = {("type", s.type), ("trigger", s.trigger)}
        self.chains[j] = _Chain(j, 1, {self.memo.sig(s): (s, {s.article.id})}, set(forms), set(keys))
        word = self._word_match(s, forms)
        if word is not None:
            self._union(word, j)
        self._join_related(s, j, keys)
        root = self.find(j)
        for f in forms:
            self.by_form.setdefault(f, set()).add(root)
        for k in keys:
            self.by_key.setdefault(k, set()).add(root)

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
                if (len(articles) > 1 or s.article.id not in articles) and (
                    m.type == s.type or m.trigger == s.trigger
                ) and self.memo.relation(m, s) is not None:
                    self._union(r, j)
                    break

    def _union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        keep, gone = (ra, rb) if self.chains[ra].size >= self.chains[rb].size else (rb, ra)
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

    def result(self) -> list[list[Statement]]:
        chains: dict[int, list[Statement]] = {}
        for i, s in enumerate(self.events):
            chains.setdefault(self.find(i), []).append(s)
        return list(chains.values())


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
            carrier = carriers.of(s) or next((h for lo, hi, h in held if lo <= s.at < hi), None)
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
    return out


class _Carriers:
    """The event carrying an amount: the first that lists it (``Event.amount_ids``), else the event
    of its sentence whose trigger is nearest."""

    def __init__(self, stated: Sequence[Statement], events: Mapping[str, Event]) -> None:
        self.listing: dict[str, Statement] = {}
        for s in stated:
            for amount_id in events[s.id].amount_ids:
                self.listing.setdefault(amount_id, s)
        self.spans = [(events[s.id].sentence_start, events[s.id].sentence_end, events[s.id].trigger_start, s)
                      for s in stated]

    def of(self, a: Statement) -> Statement | None:
        if a.id in self.listing:
            return self.listing[a.id]
        near = [(abs(trigger - a.at), s) for lo, hi, trigger, s in self.spans if lo <= a.at < hi]
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
    article = rows[0][0].article
    evidence = distinct_evidence(article, [s.span for s, _, _ in rows])
    return ClaimSource(
        article_id=article.id, outlet=article.outlet, independent_of=original.get(article.id),
        cited_source=next((s.cited for s, _, _ in rows if s.cited), None),
        stance=against[1] if against else "supports", value=value, evidence=tuple(evidence),
    )


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
    return tuple(_span(article, start, end) for start, end in merged)


def _trimmed(article: Article, sp: Span) -> Span:
    text = article.text[sp.start:sp.end]
    if not text.strip():
        return sp
    start = sp.start + len(text) - len(text.lstrip())
    return _span(article, start, sp.start + len(text.rstrip()))


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
