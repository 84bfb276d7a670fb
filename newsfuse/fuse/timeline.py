"""A story's timeline, and publication dates estimated for articles that carry none.

Timeline entries come from two places:

* events with a resolved date (``Event.date_start``/``date_end``, or the TimeExpr named by
  ``Event.time_id``), one entry per claim: the narrowest date any supporting article gives;
* dated statements without an event: a resolved TimeExpr's sentence ('the inauguration on
  January 20'), merged across articles when the dates match and the sentences are alike.

Each entry lists, per outlet, the first publication date among the articles that carry it.

Estimation (``estimate_published``): an undated article is assumed to appear within
``defaults.ESTIMATE_SLACK_DAYS`` of its story's known dates. Inside that window, its own text
narrows the guess, strongest clue first: 'N days after <something the timeline dates>' (the anchor
is the matching entry's date), then a named weekday ('on Sunday': that weekday nearest the story's
median date, plus ``defaults.WEEKDAY_REPORT_LAG_DAYS``), else the story's median date. The result
is stored with ``published_source='estimated'`` and a timeline entry holding the plausible range;
estimates are redone on every run (never over a date from a header or metadata). The fuse stage
then re-analyses the article against the estimate so that its relative times ('on Sunday') get
values; entries that rest only on an estimated date are marked ``estimated``.

A re-fuse keeps what it can: each article's dated items beside its analysis, and each story's merge
of items into entries (``_MergeMemo``): the merge is a left fold over the items in arrival order,
so when a story's items begin with the last fuse's (the same kept items with the same claims: one
new article, last in arrival order) only the new items are folded in, and only the entries whose
groups grew are made again. Any other change (a claim of an older item, a new first day of the
story) merges from scratch; both give the same entries.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from newsfuse import defaults
from newsfuse.fuse.claims.build import alike, sentence_around
from newsfuse.models import Analysis, Article, Claim, Event, Span, TimeExpr, TimelineEntry

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(r"\b(?:on|last|this past|since)\s+(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "a": 1}
_AFTER = re.compile(
    r"\b(\d{1,2}|" + "|".join(_NUMBERS) + r")\s+(days?|weeks?)\s+after\s+([^,.;:]{4,80})", re.IGNORECASE
)


# Words opening a clause that has its own time, apart from the sentence's main event:
# 'Halvard, who founded Quillpay in 2019, told ...'; '... after Macron indicated in May that ...'.
_OPENER = re.compile(r"\b(?:who|which|whose|where|when|after|before|because|although|while)\b", re.IGNORECASE)
# An aside between commas that describes what precedes it: a relative clause, a participle
# ('founded in 2019'), an appositive ('the deal announced earlier this week').
_ASIDE_START = re.compile(r"\s*(?:who|which|whose|where|when|the|a|an|\w+ed)\b", re.IGNORECASE)
_ARTICLE_START = re.compile(r"\s*(?:the|a|an)\b", re.IGNORECASE)


# A coordinated complement clause ('said that the level had fallen ... and that it expected to
# finish by the end of September'): each conjunct is a statement of its own with its own time.
_CONJUNCT = re.compile(r",?\s+(?:and|but|or)\s+(?=(?:that|whether)\b)", re.IGNORECASE)
# Where a sentence's reported content may start: a complementizer or a speech verb (when the quote
# stage found no cue there). A date before it dates the saying ('Speaking on Monday, Kostan said
# that ... and that ...'), not one of the conjuncts.
_CONTENT_START = re.compile(
    r"\b(?:that|whether|said|says|told|added|stated|announced|reported|warned|insisted|argued)\b",
    re.IGNORECASE,
)
# Participles that date a document rather than an act of its subject ('The memo, dated 22 July,
# recommended ...'): what the document says happened then, so the whole sentence is the row.
_DOCUMENT_DATE = re.compile(r"\s*(?:dated|written|signed|sent|issued|published)\b", re.IGNORECASE)
# An aside about its subject's past ('The Orlen Dam, completed in 1968,'; 'Ines Halvard, who founded
# Quillpay in 2019,'): dated long before the story, it is history, not an event of the story.
# Words of a plan in the aside ('the work, first scheduled for 2023, had been pushed back') make it
# part of the story: what became of the plan is the news.
_PLAN_WORDS = re.compile(
    r"\b(?:scheduled|planned|due|expected|slated|set|meant|supposed|intended|promised|pledged|proposed|"
    r"budgeted|earmarked|postponed|delayed|pushed)\b",
    re.IGNORECASE,
)

# A time that opens a period ('fallen by four metres since Saturday'): it dates the period's start,
# not the event or statement of its sentence.
_PERIOD_START = re.compile(r"\b(?:since|ever since)\s*$", re.IGNORECASE)
# A look-back span counted back from the time of writing ('from the past ten years', 'over the last
# two decades'): the story's background, not one of its events.
_LOOK_BACK = re.compile(
    r"^(?:the\s+)?(?:past|last|previous|preceding)\s+(?:[\w-]+\s+)?(?:days|weeks|months|years|decades)$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Estimate:
    """An estimated publication date with its plausible range and the clue used."""

    published: str
    low: str
    high: str
    reason: str


# -- timeline -----------------------------------------------------------------------------------


@dataclass
class _Dated:
    article: Article
    start: str
    end: str
    precision: str
    text: str
    span: Span
    claim_id: str | None
    relative: bool


Derived = Callable[[Analysis, str, Callable[[], Any]], Any]  # (analysis, what, build) -> kept or built


def build_timeline(
    story_id: str,
    articles: Sequence[Article],
    analyses: Mapping[str, Analysis],
    claims: Sequence[Claim] = (),
    derived: Derived | None = None,
) -> list[TimelineEntry]:
    """The story's dated events and statements, ordered by date. Background is left out: periods'
    starts, long look-back spans (:func:`background`) and entities' history (:func:`history`).

    ``derived`` (``fuse/analyses.py``): each article's dated items are kept beside its analysis
    (for its article record and the story's first date, all they are read from besides the claims,
    which are looked up anew), so a story re-fused after one new article reads only its times."""
    claim_at = _claim_index(claims)
    story_start = _story_start(articles)
    items: list[_Dated] = []
    bases: list[_Dated] = []  # each item as kept beside its analysis (before its claim is looked up)
    for article in articles:
        analysis = analyses.get(article.id)
        if analysis is None:
            continue
        if derived is None:
            items += _dated_items(article, analysis, claim_at, story_start)
        else:
            # one slot: the items of the last (story start, article record) they were read for
            kept: list[tuple[date | None, Article, list[tuple[_Dated, bool]]]] = derived(
                analysis, "timeline items", list)
            found = kept[0] if kept else None
            if found is None or found[0] != story_start or found[1] != article:
                found = (story_start, article, _items_of(article, analysis, story_start))
                kept[:] = [found]  # (another thread's fuse may replace it: this one reads its own)
            items += [_claimed(item, claim_at) if event else item for item, event in found[2]]
            bases += [item for item, _ in found[2]]
    if derived is None:
        entries = [_entry(story_id, group) for group in _merge(items)]
    else:
        entries = _MERGES.entries(story_id, bool(claims), bases, items)
    return sorted(entries, key=lambda e: (e.date_start or "", e.date_end or "", e.text))


def _claim_index(claims: Sequence[Claim]) -> dict[tuple[str, int], str]:
    """(article_id, evidence start) -> claim id of event claims."""
    out: dict[tuple[str, int], str] = {}
    for c in claims:
        if c.kind == "event":
            for s in c.sources:
                for span in s.evidence:
                    out.setdefault((span.article_id, span.start), c.id)
    return out


def background(text: str, t: TimeExpr) -> bool:
    """Whether a time dates no event of the story: the start of a period ('since Saturday'), or a
    look-back span longer than ``defaults.TIMELINE_LOOK_BACK_MAX_DAYS`` ('the past ten years')."""
    sentence_start, _ = sentence_around(text, t.start, t.end)
    if _PERIOD_START.search(text, sentence_start, t.start):
        return True
    if not _LOOK_BACK.match(" ".join(t.text.split())) or not (t.value_start and t.value_end):
        return False
    try:
        days = (date.fromisoformat(t.value_end[:10]) - date.fromisoformat(t.value_start[:10])).days
    except ValueError:
        return False
    return days > defaults.TIMELINE_LOOK_BACK_MAX_DAYS


def history(text: str, t: TimeExpr, story_start: date | None) -> bool:
    """Whether a time dates an entity's past rather than an event of the story: it sits in an aside
    about what precedes it ('The Orlen Dam, completed in 1968,'; 'Ines Halvard, who founded Quillpay
    in 2019,') and ends more than ``defaults.TIMELINE_HISTORY_MIN_DAYS`` before the story's first
    article. Decided by the clause, not by the year alone: an aside about a plan ('the work, first
    scheduled for 2023, had been pushed back') is kept, since what became of the plan is the news,
    and a dated main clause ('The dam was completed in 1968.') is kept as the sentence's own point."""
    if story_start is None or not t.value_end:
        return False
    try:
        ends = date.fromisoformat(t.value_end[:10])
    except ValueError:
        return False
    if (story_start - ends).days <= defaults.TIMELINE_HISTORY_MIN_DAYS:
        return False
    aside = _aside(text, *sentence_around(text, t.start, t.end), t.start, t.end)
    return aside is not None and not _PLAN_WORDS.search(text, aside[0], aside[1])


def _aside(text: str, start: int, end: int, t_start: int, t_end: int) -> tuple[int, int] | None:
    """The comma-bounded aside of ``start:end`` holding the time (a relative clause, a participle or
    an appositive describing what precedes it), or None when the time is in no aside."""
    comma = text.rfind(",", start, t_start)
    if comma < start or not _ASIDE_START.match(text, comma + 1) or _DOCUMENT_DATE.match(text, comma + 1):
        return None
    close = text.find(",", t_end, end)
    return comma + 1, close if close != -1 else end


def _story_start(articles: Sequence[Article]) -> date | None:
    known = known_dates(articles)
    return known[0] if known else None


def _dated_items(
    article: Article, analysis: Analysis, claim_at: Mapping[tuple[str, int], str],
    story_start: date | None = None,
) -> list[_Dated]:
    return [_claimed(item, claim_at) if event else item for item, event in _items_of(article, analysis,
                                                                                   story_start)]


def _claimed(item: _Dated, claim_at: Mapping[tuple[str, int], str]) -> _Dated:
    """An event's item with the claim of its sentence (an event item's span is its sentence)."""
    claim = claim_at.get((item.article.id, item.span.start))
    return item if claim is None else replace(item, claim_id=claim)


def _items_of(article: Article, analysis: Analysis, story_start: date | None) -> list[tuple[_Dated, bool]]:
    """One article's dated items, each with whether it is an event's (its claim is looked up later)."""
    times = {
        t.id: t for t in analysis.times
        if not background(article.text, t) and not history(article.text, t, story_start)
    }
    # An event dated by a background time has no date of its own ('had fallen since Saturday').
    events = [e for e in analysis.events if not e.time_id or e.time_id in times]
    cues = [q.cue_start for q in analysis.quotes if q.cue_start is not None]
    used: set[str] = set()
    out: list[tuple[_Dated, bool]] = []
    for e in events:
        item = _event_item(article, e, times, {}, cues)
        if item is not None:
            out.append((item, True))
            used.add(e.time_id or "")
    event_sentences = [(e.sentence_start, e.sentence_end) for e in events if e.date_start or e.time_id]
    for t in times.values():
        inside_event = any(s <= t.start and t.end <= e for s, e in event_sentences)
        if t.id not in used and not inside_event and t.value_start:
            out.append((_time_item(article, t, cues), False))
    return out


def dated_clause(
    text: str, start: int, end: int, t_start: int, t_end: int, cues: Sequence[int] = ()
) -> tuple[int, int]:
    """The part of the sentence ``start:end`` that the time expression ``t_start:t_end`` dates.

    A date inside an aside or a subordinate clause dates that clause, not the sentence: 'Halvard,
    who founded Quillpay in 2019, told the Ledger ...' is about 2019 only up to the second comma;
    '... after Macron indicated in May that ...' dates Macron indicating. An aside holding a speech
    cue (``cues``: where quote cues start) is the attribution ('..., the two companies said on
    Monday'), which dates what was said: the whole sentence; so does a document's own date ('The
    memo, dated 22 July, recommended ...'). A date inside one of coordinated complement clauses
    ('said that the level had fallen ... and that it expected to finish ... by the end of September')
    dates that clause only. Otherwise the whole sentence.
    """
    start, end = _conjunct(text, start, end, t_start, t_end, cues)
    comma = text.rfind(",", start, t_start)
    left = comma + 1 if comma >= start else start
    close = text.find(",", t_end, end)
    attribution = any(left <= c < (close if close != -1 else end) for c in cues)
    if comma >= start and _ASIDE_START.match(text, left) and not attribution and not _DOCUMENT_DATE.match(
        text, left
    ):
        if close != -1:
            return start, close  # what the aside describes, with the aside
        if _ARTICLE_START.match(text, left):
            return left, end  # a closing appositive: 'the deal announced earlier this week'
    opener = None
    for m in _OPENER.finditer(text, left, t_start):
        opener = m
    if opener is not None:
        return opener.end(), t_end  # the clause up to its date ('Macron indicated in May')
    return start, end


def _conjunct(
    text: str, start: int, end: int, t_start: int, t_end: int, cues: Sequence[int]
) -> tuple[int, int]:
    """The conjunct of ``start:end`` holding the time when the sentence coordinates complement
    clauses ('... that X since Saturday and that it expected Y by the end of September'); the
    whole span when it coordinates none, or when the time comes before the reported content
    begins (before any speech cue, speech verb and complementizer): then it dates the saying."""
    cuts = list(_CONJUNCT.finditer(text, start, end))
    if not cuts:
        return start, end
    before = [m for m in cuts if m.end() <= t_start]
    after = [m for m in cuts if m.start() >= t_end]
    if before:  # a later conjunct: from its complementizer to the next conjunct
        return before[-1].end(), after[0].start() if after else end
    content = min([c for c in cues if start <= c < t_start]
                  + [m.start() for m in _CONTENT_START.finditer(text, start, t_start)], default=None)
    if content is None or not after:
        return start, end
    return start, after[0].start()  # the first conjunct, attribution included


def _clause_text(article: Article, start: int, end: int, full: tuple[int, int]) -> str:
    """The words of ``start:end``, marked with '…' where the sentence goes on before them."""
    words = " ".join(article.text[start:end].split())
    if (start, end) == full:
        return words
    return ("…" if start > full[0] else "") + words.rstrip(".,;:")


def _event_item(
    article: Article, e: Event, times: Mapping[str, TimeExpr], claim_at: Mapping[tuple[str, int], str],
    cues: Sequence[int] = (),
) -> _Dated | None:
    t = times.get(e.time_id or "")
    start = e.date_start or (t.value_start if t else None)
    if not start:
        return None
    end = e.date_end or (t.value_end if t else None) or start
    precision = t.precision if t else ("day" if start == end else "range")
    span = Span(article.id, e.sentence_start, e.sentence_end, article.text[e.sentence_start:e.sentence_end])
    full = (e.sentence_start, e.sentence_end)
    lo, hi = dated_clause(article.text, *full, t.start, t.end, cues) if t else full
    return _Dated(article, start, end, precision, _clause_text(article, lo, hi, full), span,
                  claim_at.get((article.id, e.sentence_start)), bool(t and t.relative))


def _time_item(article: Article, t: TimeExpr, cues: Sequence[int] = ()) -> _Dated:
    s, e = sentence_around(article.text, t.start, t.end)
    span = Span(article.id, s, e, article.text[s:e])
    lo, hi = dated_clause(article.text, s, e, t.start, t.end, cues)
    return _Dated(article, t.value_start or "", t.value_end or t.value_start or "", t.precision,
                  _clause_text(article, lo, hi, (s, e)), span, None, t.relative)


def _merge(items: Sequence[_Dated]) -> list[list[_Dated]]:
    """Group items of one claim, or of one date range with alike sentences (:class:`_Merge`)."""
    merge = _Merge()
    for item in items:
        merge.add(item)
    return [g.items for g in merge.groups]


class _Merge:
    """The merge of items into timeline entries, one item at a time (a left fold: the groups after
    some items depend on those items alone, so a fold can go on where an earlier one stopped).

    An item joins the first group (in creation order) holding an item it is the same as. Only
    groups holding its claim or its date range can hold one, so those are looked up by key
    instead of comparing the item with every group of the story; inside a group, items of one
    range and one text are one comparison (copies of a wire story repeat both)."""

    def __init__(self) -> None:
        self.groups: list[_MergeGroup] = []
        self.by_claim: dict[str, set[int]] = {}
        self.by_range: dict[tuple[str, str], set[int]] = {}
        self.bases: list[_Dated] = []  # what was folded: each item as kept, and its claim
        self.claims: list[str | None] = []

    def add(self, item: _Dated) -> None:
        candidates = self.by_range.get((item.start, item.end), set())
        if item.claim_id:
            candidates = candidates | self.by_claim.get(item.claim_id, set())
        n = next((n for n in sorted(candidates) if self.groups[n].holds_same(item)), None)
        if n is None:
            n = len(self.groups)
            self.groups.append(_MergeGroup())
        self.groups[n].add(item)
        self.by_range.setdefault((item.start, item.end), set()).add(n)
        if item.claim_id:
            self.by_claim.setdefault(item.claim_id, set()).add(n)

    def folded(self, bases: Sequence[_Dated], items: Sequence[_Dated]) -> bool:
        """Whether this fold's items are the first of ``items``: the same kept items (kept items
        are made again when their article record or the story's first day changes) with the same
        claims. ``_claimed`` makes an item from its kept one and its claim alone, so those two
        name it."""
        n = len(self.bases)
        return n <= len(items) and all(
            a is b and c == item.claim_id
            for a, b, c, item in zip(self.bases, bases[:n], self.claims, items[:n], strict=True))

    def fold(self, bases: Sequence[_Dated], items: Sequence[_Dated]) -> None:
        """Go on with the items after those already folded."""
        for base, item in zip(bases[len(self.bases):], items[len(self.bases):], strict=True):
            self.add(item)
            self.bases.append(base)
            self.claims.append(item.claim_id)


class _MergeMemo:
    """Each recently fused story's merge (``defaults.TIMELINE_MERGES_KEPT`` of them, least recently
    used dropped), so a re-fuse after one new article (last in arrival order) folds in its items
    only; the entries are those of a merge from scratch. A merge in use is taken out of the memo,
    so two threads fusing one story never share one."""

    def __init__(self) -> None:
        self._kept: OrderedDict[tuple[str, bool, float], _Merge] = OrderedDict()
        self._lock = threading.Lock()
        # merges kept at most below defaults.TIMELINE_MERGES_KEPT (None: that bound): a watch's refresh
        # process sets it to what its byte budget allows (watch/kept.py)
        self.size: int | None = None
        self.resumed = self.fresh = 0  # fuses that went on from a kept merge / merged from scratch

    def entries(self, story_id: str, claimed: bool, bases: Sequence[_Dated],
                items: Sequence[_Dated]) -> list[TimelineEntry]:
        key = (story_id, claimed, defaults.EVENT_SIMILARITY)  # a merge is a merge at one threshold
        with self._lock:
            merge = self._kept.pop(key, None)
        if merge is not None and merge.folded(bases, items):
            self.resumed += 1
        else:
            merge = _Merge()
            self.fresh += 1
        merge.fold(bases, items)
        entries = [group.entry(story_id) for group in merge.groups]
        most = defaults.TIMELINE_MERGES_KEPT
        if self.size is not None:
            most = min(most, self.size)
        if most > 0:
            with self._lock:
                self._kept[key] = merge
                while len(self._kept) > most:
                    self._kept.popitem(last=False)
        return entries

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


_MERGES = _MergeMemo()


class _MergeGroup:
    """Items merged into one timeline entry, indexed to tell whether a newcomer is the same as one
    of them: of its claim, or of its date range with an alike sentence."""

    def __init__(self) -> None:
        self.items: list[_Dated] = []
        self.claims: set[str] = set()
        self.texts: dict[tuple[str, str], dict[str, None]] = {}  # range -> its distinct texts, in order
        self._entry: tuple[str, int, TimelineEntry] | None = None  # (story, items, the entry of them)

    def entry(self, story_id: str) -> TimelineEntry:
        """The group's timeline entry (:func:`_entry`), made again only when the group has grown:
        a group only ever gains items, so its size names what the entry was made of."""
        if self._entry is None or self._entry[:2] != (story_id, len(self.items)):
            self._entry = (story_id, len(self.items), _entry(story_id, self.items))
        return self._entry[2]

    def add(self, item: _Dated) -> None:
        self.items.append(item)
        if item.claim_id:
            self.claims.add(item.claim_id)
        self.texts.setdefault((item.start, item.end), {})[_sentence(item)] = None

    def holds_same(self, item: _Dated) -> bool:
        """Whether any item of the group is the same as ``item``."""
        if item.claim_id and item.claim_id in self.claims:
            return True
        texts = self.texts.get((item.start, item.end), {})
        sentence = _sentence(item)
        return any(alike(text, sentence, defaults.EVENT_SIMILARITY) for text in texts)


def _sentence(item: _Dated) -> str:
    """The whole sentence of an item: items merge by what their sentences say, not by the clause a
    row shows ('…the dam collapsed on Saturday' is alike too many sentences)."""
    return " ".join(item.span.text.split())


def _entry(story_id: str, group: list[_Dated]) -> TimelineEntry:
    best = min(group, key=lambda x: (_width(x), x.start))  # the most precise date given
    first: dict[str, str] = {}
    for x in group:
        outlet, day = x.article.outlet or "unknown outlet", x.article.published
        if day and (outlet not in first or day[:10] < first[outlet]):
            first[outlet] = day[:10]
    estimated = all(x.article.published_source == "estimated" and x.relative for x in group)
    return TimelineEntry(
        story_id=story_id, date_start=best.start, date_end=best.end, precision=best.precision,
        text=best.text, claim_id=next((x.claim_id for x in group if x.claim_id), None),
        estimated=estimated, first_reported=tuple(sorted(first.items(), key=lambda kv: (kv[1], kv[0]))),
        evidence=tuple(x.span for x in group),
    )


def _width(x: _Dated) -> int:
    try:
        return (date.fromisoformat(x.end[:10]) - date.fromisoformat(x.start[:10])).days
    except ValueError:
        return 1 << 20


# -- publication date estimation ------------------------------------------------------------------


def known_dates(articles: Sequence[Article]) -> list[date]:
    """Publication dates the story knows for sure (not estimates)."""
    out = []
    for a in articles:
        if a.published and a.published_source != "estimated":
            try:
                out.append(date.fromisoformat(a.published[:10]))
            except ValueError:
                continue
    return sorted(out)


def estimate_published(
    article: Article, story_articles: Sequence[Article], timeline: Sequence[TimelineEntry] = ()
) -> Estimate | None:
    """Estimate an undated article's publication date from its story and its own words."""
    known = known_dates([a for a in story_articles if a.id != article.id])
    if not known:
        return None
    slack = timedelta(days=defaults.ESTIMATE_SLACK_DAYS)
    low, high = known[0] - slack, known[-1] + slack
    median = known[len(known) // 2]
    guess = _after_clue(article.text, timeline, low, high) or _weekday_clue(article.text, median, low, high)
    if guess is None:
        return Estimate(median.isoformat(), low.isoformat(), high.isoformat(), "median of the story's dates")
    day, lo, hi, reason = guess
    return Estimate(day.isoformat(), lo.isoformat(), hi.isoformat(), reason)


def reads_timeline(article: Article) -> bool:
    """Whether :func:`estimate_published` may read the story's timeline for ``article``: only an
    'N days after <event>' clue in its text is anchored on a timeline entry."""
    return _AFTER.search(article.text) is not None


def _after_clue(
    text: str, timeline: Sequence[TimelineEntry], low: date, high: date
) -> tuple[date, date, date, str] | None:
    for m in _AFTER.finditer(text):
        n = int(m.group(1)) if m.group(1).isdigit() else _NUMBERS[m.group(1).casefold()]
        days = n * (7 if m.group(2).casefold().startswith("week") else 1)
        anchor = _anchor(m.group(3), timeline)
        if anchor is not None:
            day = anchor + timedelta(days=days)
            if low <= day <= high:
                return day, day, day, f"'{m.group(0)}' with the anchor dated {anchor.isoformat()}"
    return None


def _anchor(clause: str, timeline: Sequence[TimelineEntry]) -> date | None:
    """The date of the timeline entry that best matches the clause ('the Orlen Dam gave way')."""
    scored = [
        (fuzz.partial_token_set_ratio(clause, e.text, processor=default_process), e) for e in timeline
        if e.date_start and e.date_start == e.date_end and not e.estimated
    ]
    scored = [(s, e) for s, e in scored if s >= defaults.EVENT_SIMILARITY]
    if not scored:
        return None
    best = max(scored, key=lambda se: (se[0], len(se[1].evidence), se[1].date_start or ""))[1]
    return date.fromisoformat((best.date_start or "")[:10])


def _weekday_clue(text: str, median: date, low: date, high: date) -> tuple[date, date, date, str] | None:
    m = _WEEKDAY.search(text)
    if m is None:
        return None
    weekday = WEEKDAYS.index(m.group(1).casefold())
    back = (median.weekday() - weekday) % 7
    candidates = [median - timedelta(days=back), median + timedelta(days=(7 - back) % 7 or 7)]
    named = min(candidates, key=lambda d: (abs((d - median).days), d))
    lo = max(low, named)
    hi = min(high, named + timedelta(days=6))
    day = min(max(named + timedelta(days=defaults.WEEKDAY_REPORT_LAG_DAYS), lo), hi)
    if lo > hi:
        return None
    return day, lo, hi, f"'{m.group(0)}' read as {named.isoformat()}"


def estimate_entry(story_id: str, article: Article, estimate: Estimate) -> TimelineEntry:
    """A timeline line saying when an undated article was (probably) published, with the range."""
    # 'an outlet not named published (undated; ...)' read as a broken sentence
    who = article.outlet or "An article of unknown outlet was"
    title = f" '{article.title}'" if article.title else ""
    return TimelineEntry(
        story_id=story_id, date_start=estimate.low, date_end=estimate.high, precision="range",
        text=f"{who} published{title} (no date given; estimated {estimate.published} from {estimate.reason})",
        estimated=True,
    )
