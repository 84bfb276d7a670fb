"""Every record newsfuse produces, as frozen, slotted dataclasses.

Annotations point into ``Article.text`` (the cleaned text) by character offsets ``start``/``end``
(Python slice convention). IDs are deterministic hashes (see :mod:`newsfuse.ids`), so the same input
always yields the same records and storing it twice changes nothing.

Data path::

    RawInput -> Article (+ CopyLink)            ingest/
    Article  -> Analysis(Mention, Quote, Event,
                         TimeExpr, Amount)      analyze/
    Analyses -> Entity, Story, Claim, Timeline  fuse/

Records hold only plain values (str, int, float, bool, None, tuples of those or of records) so that
:func:`to_dict` / :func:`from_dict` round-trip them through JSON for the store and the API.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from dataclasses import dataclass, field
from typing import Any, TypeVar

# ---------------------------------------------------------------------------------------------
# ingest
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RawInput:
    """Bytes as they arrived, before any cleaning; one per file, feed item, JSONL line or record."""

    id: str  # hash of the raw bytes
    source: str  # file path or URL, with '#item' / ':line' for parts of a container
    fmt: str  # text | html | rss | jsonl | csv | warc
    size: int
    content: bytes = b""


@dataclass(frozen=True, slots=True)
class Article:
    """One news report. ``text`` is the cleaned text that every annotation points into."""

    id: str  # hash of outlet + cleaned text
    text: str
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date 'YYYY-MM-DD' (or datetime) when known
    published_source: str | None = None  # header | metadata | flag | estimated
    raw_id: str | None = None
    fmt: str = "text"
    source: str | None = None  # where it was read from (path#item)
    wire_id: str | None = None  # trailing wire-service ID line, removed from text
    metadata: tuple[tuple[str, str], ...] = ()  # extra key/value pairs (site name, tags...)


@dataclass(frozen=True, slots=True)
class CopyLink:
    """``article_id`` is a (near-)copy of ``original_id``: they count as one independent source."""

    article_id: str
    original_id: str
    similarity: float  # estimated Jaccard of word shingles; 1.0 for exact copies
    method: str  # exact | minhash


@dataclass(frozen=True, slots=True)
class Rejection:
    """An input that could not be read; ``where`` names the file and line/item."""

    where: str
    reason: str


# ---------------------------------------------------------------------------------------------
# analyze (one article)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of evidence: characters ``start:end`` of one article's text."""

    article_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A reference to an actor in one article: a name, a title, a partial name or a pronoun.

    ``entity_key`` groups the mentions of one actor inside the article (its normalised full name,
    e.g. 'Emmanuel Macron'); cross-article resolution in ``fuse/`` maps keys to global entities.
    """

    id: str
    article_id: str
    start: int
    end: int
    text: str
    label: str  # PERSON ORG GPE LOC NORP FAC EVENT PRODUCT ...
    kind: str  # name | partial | title | pronoun | description ('the company' -> an organisation)
    entity_key: str  # normalised name of the actor this mention belongs to
    titles: tuple[str, ...] = ()  # roles attached at this mention: 'French President', 'spokesperson'
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Quote:
    """Something a speaker said, directly or reported, as carried by the article's outlet."""

    id: str
    article_id: str
    kind: str  # direct | partial | mixed | reported | according_to | stance ('wants to run', 'opposes X')
    content: str
    content_start: int
    content_end: int
    speaker: str | None = None  # text of the speaker as written ('he', 'American officials')
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_key: str | None = None  # entity_key of the speaker, resolved through pronouns/titles
    anonymous: bool = False  # 'officials', 'a source', 'on condition of anonymity'
    cue: str | None = None  # 'said', 'warned', 'according to', 'calling'
    cue_start: int | None = None
    cue_end: int | None = None
    cited_source: str | None = None  # 'Reuters' in '..., reports Reuters': who the outlet cites
    confidence: float = 1.0
    # The relay that carried the quote: in 'X said Y, CNN reported' the outlet carried it and X said
    # it; the quote is X's, and CNN's report of it is kept here rather than as a quote of its own
    # (it states nothing beyond X's quote). Offsets are into the article text; all None without one.
    relay_source: str | None = None  # 'CNN', as written (None for 'as reported by ...' without agent)
    relay_source_start: int | None = None
    relay_source_end: int | None = None
    relay_cue: str | None = None  # 'reported', 'cited'
    relay_cue_start: int | None = None
    relay_cue_end: int | None = None
    relay_start: int | None = None  # what the relay carries: the clause holding this quote
    relay_end: int | None = None


@dataclass(frozen=True, slots=True)
class TimeExpr:
    """A time expression resolved against the publication date.

    ``value_start``/``value_end`` are ISO dates (inclusive range); ``None`` when the publication date
    is unknown and the expression is relative (``anchored`` False then).
    """

    id: str
    article_id: str
    start: int
    end: int
    text: str
    value_start: str | None
    value_end: str | None
    precision: str  # day | week | month | season | year | range | unknown
    anchored: bool = True  # False when it needed a publication date that is unknown
    relative: bool = False  # resolved relative to the publication date
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Amount:
    """A number with its unit and what it counts: 'around 11,000 North Korean soldiers'."""

    id: str
    article_id: str
    start: int
    end: int
    text: str
    value: float
    low: float | None = None
    high: float | None = None
    unit: str | None = None  # '%', 'USD', 'km', None for counts
    counted: str | None = None  # head phrase it counts: 'North Korean soldiers'
    approx: str | None = None  # 'around', 'about', 'more than', 'nearly', 'up to'
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Event:
    """Who did what to whom, where and when, with its mode of assertion."""

    id: str
    article_id: str
    trigger: str  # lemma of the event verb/noun: 'authorize', 'strike'
    trigger_start: int
    trigger_end: int
    sentence_start: int
    sentence_end: int
    type: str  # PLOVER event type: ASSAULT, ACCUSE, COOPERATE, CONSULT, AID, ...
    mode: str = "asserted"  # asserted | denied | possible | planned | conditional | reported
    source: str | None = None  # source actor text
    source_key: str | None = None  # entity_key
    target: str | None = None
    target_key: str | None = None
    place: str | None = None
    time_id: str | None = None  # TimeExpr.id of the event's date when found
    date_start: str | None = None
    date_end: str | None = None
    amount_ids: tuple[str, ...] = ()
    negated: bool = False
    confidence: float = 1.0


# weakref_slot: per-analysis memos (fuse/claims/speakers.py, lru.PerObject) hold an analysis weakly, so
# their entries go when the analyses cache drops it instead of keeping it (and its article) alive
@dataclass(frozen=True, slots=True, weakref_slot=True)
class Analysis:
    """Everything the analyze stage found in one article."""

    article_id: str
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    times: tuple[TimeExpr, ...] = ()
    amounts: tuple[Amount, ...] = ()
    version: str = ""  # analysis version: re-analyse when it changes
    # events no PLOVER word names (type ''): untyped clauses and event nouns (analyze/events/nominal.py);
    # apart from ``events`` so the timeline, exports and PLOVER figures read typed events only
    untyped: tuple[Event, ...] = ()


# ---------------------------------------------------------------------------------------------
# fuse (across articles)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entity:
    """One actor across articles: canonical name, aliases, type and roles, with the link evidence."""

    id: str
    name: str
    label: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    article_ids: tuple[str, ...] = ()
    mention_count: int = 0
    evidence: tuple[str, ...] = ()  # why the names were linked: 'surname match', 'title+first name'


@dataclass(frozen=True, slots=True)
class EntityLink:
    """Mention group (article, entity_key) -> global entity."""

    article_id: str
    entity_key: str
    entity_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about one developing event. ``id`` never changes once given."""

    id: str
    title: str
    article_ids: tuple[str, ...] = ()
    first_seen: str | None = None  # earliest publication date
    last_update: str | None = None
    merged_into: str | None = None  # set when this story turned out to be part of another


@dataclass(frozen=True, slots=True)
class StoryMerge:
    from_id: str
    into_id: str
    reason: str
    similarity: float


@dataclass(frozen=True, slots=True)
class StoryMove:
    """One article taken out of a story it was wrongly placed in (the grouping of its
    neighbourhood, re-clustered as a batch, puts it elsewhere); both stories keep their IDs."""

    article_id: str
    from_id: str
    into_id: str
    reason: str
    similarity: float  # the article's mean link to the group it joined
    moved_at: str | None = None  # set by the store


@dataclass(frozen=True, slots=True)
class ClaimSource:
    """One article's support for a claim."""

    article_id: str
    outlet: str | None
    independent_of: str | None = None  # original article id when this is a copy
    cited_source: str | None = None  # the outlet carried it, citing this source
    stance: str = "supports"  # supports | denies (reports it did not happen) | differs
    value: str | None = None  # the article's value for a conflicting slot (amount, date, actor), as worded
    # the number when ``value`` is a figure (1800.0 for 'about 1,800 residents'): figures are compared
    # by it, never by their wording; None for a date or an actor
    figure: float | None = None
    evidence: tuple[Span, ...] = ()
    attribution: str = ""  # whom this article attributes the fact to: 'according to Reuters'
    # who stands behind it for independence: 'source:menafn' (its outlet, its wire original's, or
    # the outlet or body it cites: 'source:reuters'), or 'unknown outlet'
    originator: str = ""


@dataclass(frozen=True, slots=True)
class ClaimDetail:
    """What one outlet alone adds to a fact others share (its figure, its quote): shown beside the
    claim as that outlet's, never as part of what is corroborated (``fuse.claims.added``)."""

    text: str  # the addition as one plain sentence: 'Around 11,000 North Korean soldiers were ...'
    article_id: str
    outlet: str | None  # None: an article of unknown outlet
    cited_source: str | None = None  # the outlet gives it citing this source
    attribution: str = ""  # whom the outlet attributes it to: 'the Pentagon confirmed'
    originator: str = ""  # who stands behind it for independence (as ClaimSource.originator)
    evidence: tuple[Span, ...] = ()  # the sentence(s) of the addition in its article


@dataclass(frozen=True, slots=True)
class Claim:
    """An atomic statement aligned across the articles of a story, with its status."""

    id: str
    story_id: str
    kind: str  # event | quote | amount | fact
    text: str  # the fact as one plain sentence; never a type code, mode or attribution
    status: str  # corroborated | single-source | conflicting
    independent_sources: int  # independent originators (copies, citations, unknown outlets folded)
    sources: tuple[ClaimSource, ...] = ()
    note: str = ""  # e.g. 'two outlets carry Reuters: one source carried twice'
    attribution: str = ""  # beside the fact: 'according to the Pentagon', 'Emmanuel Macron said'
    event_type: str | None = None  # PLOVER type of an event claim ('ASSAULT')
    cameo: str | None = None  # CAMEO root code of that type ('18')
    mode: str | None = None  # asserted | reported | possible | planned | conditional | denied
    date_start: str | None = None  # the event's own time when its clause states one
    date_end: str | None = None
    # 'event': the dates are the event's own; 'first reported': no time of its own, the dates are
    # the earliest publication date of its sources ('first reported (estimated)': that date was
    # estimated); '': neither known
    date_basis: str = ""
    # what single outlets add to the shared fact (a figure, a quote only they give); a claim stored
    # before these existed reads with none
    details: tuple[ClaimDetail, ...] = ()


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    story_id: str
    date_start: str | None
    date_end: str | None
    precision: str
    text: str
    claim_id: str | None = None
    estimated: bool = False
    first_reported: tuple[tuple[str, str], ...] = ()  # (outlet, date) pairs
    evidence: tuple[Span, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------------------------------------
# (de)serialisation
# ---------------------------------------------------------------------------------------------

T = TypeVar("T")


def to_dict(record: Any) -> dict[str, Any]:
    """A JSON-ready dict of a record (tuples become lists, nested records dicts)."""
    return typing.cast(dict[str, Any], _plain(record))


_SCALARS = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # record class -> its field names, looked up once


def _plain(value: Any) -> Any:
    # Called for every field of every record stored (an analysis has thousands): the common cases
    # first, and each record class's field names looked up once.
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is tuple or kind is list:
        return [_plain(v) for v in value]
    if hasattr(kind, "__dataclass_fields__"):
        names = _FIELD_NAMES.get(kind)
        if names is None:
            names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(value))
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return None  # raw bytes never travel as JSON
    return value


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a record from :func:`to_dict` output, ignoring unknown keys (older/newer schemas)."""
    hints = _type_hints(typing.cast(type, cls))
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            kwargs[f.name] = _revive(hints[f.name], data[f.name])
    return cls(**kwargs)


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    # get_type_hints re-evaluates string annotations (compile + eval) on every call: cache per class,
    # since reading records back (story pages, exports) calls from_dict thousands of times.
    return typing.get_type_hints(cls)


def _revive(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _revive(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = typing.get_args(hint)
        inner = args[0] if args else Any
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_revive(inner, v) for v in value)
        return tuple(_revive(a, v) for a, v in zip(args, value, strict=False))
    if dataclasses.is_dataclass(hint) and isinstance(value, dict):
        return from_dict(hint, value)  # type: ignore[arg-type]
    return value
