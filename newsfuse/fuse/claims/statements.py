"""Statements: what one article states, read off its analysis (events, quotes, amounts, no-comment
facts) before alignment; see :mod:`newsfuse.fuse.claims.build` for how they become claims."""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from newsfuse import defaults
from newsfuse.analyze.events import nominal
from newsfuse.analyze.events.extract import SPEECH_VERBS
from newsfuse.fuse.claims import actsfor
from newsfuse.fuse.claims import sentence as claimsentence
from newsfuse.fuse.claims import text as claimtext
from newsfuse.fuse.claims import words as claimwords
from newsfuse.fuse.claims.presence import presences
from newsfuse.fuse.entities.resolve import normalise
from newsfuse.ids import content_id
from newsfuse.models import Amount, Analysis, Article, Event, Mention, Quote, Span

# 'declined to comment', 'has yet to (officially) comment', 'did not (immediately) respond to a
# request for comment', 'could not be reached for comment', 'no comment'.
NO_COMMENT = re.compile(
    r"\b(declined to comment|(?:has|have) yet to (?:\w+ly )?comment|"
    r"did not (?:\w+ly )?respond to (?:a )?requests? for comment|could not be reached for comment|"
    r"refused to comment|no comment)\b",
    re.IGNORECASE,
)
# What a no-comment is about: 'declined to comment on the talks, adding ...' -> 'the talks'. The
# topic runs to the end of its clause (a comma, semicolon or the sentence's end).
NO_COMMENT_TOPIC = re.compile(r"\s+(?:on|about|regarding)\s+([^,;.!?\n]+)", re.IGNORECASE)
# Speech cues that deny what the quote content states ('denied that repairs had been postponed').
DENIAL_CUE = re.compile(r"(?i)(denied|denies|deny|denying|rejected|refuted|dismissed)\b")
# A speech cue governed by a refusal: 'declined to say whether ...' says nothing about 'whether'.
_REFUSED = re.compile(
    r"(?i)\b(?:declined|refused|would not|wouldn't|did not|didn't|could not|couldn't|will not|won't)"
    r"\s+(?:to\s+)?$"
)
# Words that open a clause or a small clause as the object of a speech cue: 'said that ...', 'asked
# whether ...', 'urged them to ...', 'calling it a dangerous escalation' (object + what it is called).
_CLAUSE_OPENERS = frozenset({
    "that", "whether", "if", "how", "why", "what", "when", "where", "who", "to", "because", "it", "him",
    "her", "them", "us", "me", "this", "these", "those",
})
# Finite verbs a noun phrase does not hold: 'help is coming' is a clause.
_FINITE = frozenset({
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "may", "might",
    "should", "must", "shall", "did", "does", "do", "be", "been",
})
# Cues that name whom an outlet cites, not what was said ('..., citing an unnamed official').
_CITING_CUES = frozenset({"citing", "cites", "cited"})
# A sentence ends after . ! ? … (and closing quotes) before white space, or at a paragraph break,
# but not after an initial or an abbreviation ("U.S. President", "Gen. Ruiz"): that would cut a
# name in two; nor after a clock time ('at 5:25 p.m. Friday'). Story titles use the same splitter
# (stories.title_of).
SENTENCE_END = re.compile(
    r"(?<=[.!?…])(?<!\b[A-Z]\.)(?<!\b(?:Mr|Ms|Dr|St|Jr|Sr)\.)"
    r"(?<!\b(?:Mrs|Gen|Sen|Rep|Gov|Col|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.)(?<!\b[ap]\.m\.)"
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
    # where it happened: the event's place (a quote's or amount's: its sentence's event's), the
    # entity it resolves to (None when no mention of the story's entities stands there) and its name
    # (the story's name of that entity, else the place as written; '' when no place is known)
    place: str | None = None
    place_name: str = ""
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    counted: str = ""
    approx: str = ""  # an amount's approximation marker as written ('at least', 'about'), '' if exact
    # an amount as its article words it, with what it counts ('about 1,800 residents', '2.4 billion
    # crowns'): what a reader is shown; ``value``, ``unit`` and ``counted`` are what is compared
    written: str = ""
    measure: str = ""  # what an amount counts when its clause says so ('dead': claimwords.measure)
    context: str = ""  # quote content; words before an amount
    context_after: str = ""  # a quote's sentence; words after an amount
    cited: str | None = None
    # a quote speaker's last name word ('pelosi' for 'Nancy Pelosi' and 'Ms. Pelosi'): one speaker
    # the entity resolver split in two is still one speaker of a quote both outlets give word for word
    surname: str = ""
    # a quote speaker written as a description ('Mr. Strzok's lawyer', 'the woman'): the entity it was
    # resolved to is a guess, so another outlet's quote of a named speaker may be the same person's
    described: bool = False
    # what its actor (speaker, subject) acts for by its article's text (fuse/claims/actsfor.py:
    # 'state:RUS' for 'Russian President Vladimir Putin', the NATO entity for 'NATO Secretary General')
    actor_for: frozenset[str] = frozenset()
    label: str = ""  # the plain fact when this statement leads its claim (fuse/claims/sentence.py)
    attribution: str = ""  # who the fact is attributed to: 'according to Reuters', 'Macron said'
    complete: int = 0  # how many of actor, action's object, place, time its wording names
    strong: bool = True  # False: generic/unsure; a claim only when another source carries it too
    # an event the analysis only guessed (the codebook's word in a sentence the hand lexicon names no
    # word of, a generic verb with no actor: confidence at most defaults.CLAIM_EVENT_GUESS): its joins
    # to other articles' statements pass the gate of fuse/claims/guessed.py
    guessed: bool = False
    # where an amount or an event's trigger stands in the text (to find the event or quote carrying
    # it, and whether an event is said inside a quote)
    at: int = 0
    # an event's whole trigger as written (start, end in the article's text; the word at ``at`` is its
    # head): event coreference reads the encoder's states over both (fuse/claims/context.py)
    trigger_span: tuple[int, int] = (0, 0)
    # (Memo, number of the signature in it): set by Memo.sig, read very often during alignment
    sig_of: tuple[object, int] | None = field(default=None, compare=False, repr=False)


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
    cites = _citations(article, analysis.quotes, outlets, emap, names)
    said = _said_by(article, analysis.quotes, emap, names)
    words_of = {t.id: t.text for t in analysis.times}
    silent = [(m.start(), m.end()) for m in NO_COMMENT.finditer(article.text)]
    # An event noun heading a quote's speaker ('the Ministry of Water's statement| said') is the
    # attribution's words, no act: read as one it joined other claims of that speaker as a fact.
    silent += [(q.speaker_end - len(head), q.speaker_end) for q in analysis.quotes
               if q.speaker and q.speaker_end is not None and (head := q.speaker.split()[-1])]
    out: list[Statement] = []
    out += [_guessed(_event_statement(article, e, emap, cites, names, said, words_of), e)
            for e in analysis.events
            if not any(s <= e.trigger_start < t for s, t in silent)  # a no-comment is a fact
            and e.confidence > defaults.CLAIM_EVENT_FLOOR]
    present = presences(article, analysis)
    out += [_presence_statement(article, e, emap, cites, names, said) for e in present]
    out += [_untyped_statement(article, e, emap, cites, names, said, words_of) for e in analysis.untyped
            if not any(s <= e.trigger_start < t for s, t in silent)]
    bodies = claimtext.bodies(analysis.mentions)
    out += [_quote_statement(article, q, emap, outlets, names, bodies) for q in analysis.quotes
            if q.content.strip() and q.kind != "stance"  # 'wants to run' is an attitude, no claim
            and not says_nothing(article.text, q) and not fragment(q)]
    attribution = _attribution_spans(analysis.quotes)
    out += [s for a in analysis.amounts if not any(lo <= a.start < hi for lo, hi in attribution)
            and (s := _amount_statement(article, a, cites, said, names.values())) is not None]
    out += _no_comment_statements(article, analysis, emap, names)
    events = (*analysis.events, *analysis.untyped, *present)
    placed = _placed(out, _event_places(article, events, analysis.mentions, emap, names))
    return _with_principals(placed, actsfor.principals(analysis, emap, article.id))


def _with_principals(found: list[Statement], principals: Mapping[str, frozenset[str]]) -> list[Statement]:
    """``found`` with each statement's ``actor_for`` (its actor's, speaker's or subject's) set from its
    article's ``principals``: the gate reads it of events (samefact.acts_for_parties_act)."""
    return [replace(s, actor_for=principals[s.entity])
            if s.entity is not None and s.entity in principals else s for s in found]


# (sentence start, sentence end, trigger start, place entity or None, place name) of an event
_Placed = tuple[int, int, int, str | None, str]


def _event_places(
    article: Article, events: Sequence[Event], mentions: Sequence[Mention],
    emap: Mapping[tuple[str, str], str], names: Mapping[str, str],
) -> dict[str, _Placed]:
    """Event ID -> where it happened, for the events (typed and untyped) whose analysis names a place:
    the place phrase is found in the event's sentence and resolved to the entity of the name mention
    standing there longest (the story's entity: 'the Kursk region' -> the Kursk region entity)."""
    out: dict[str, _Placed] = {}
    for e in events:
        written = (e.place or "").strip()
        if not written:
            continue
        at = _nearest(article.text, written, e.sentence_start, e.sentence_end, e.trigger_end)
        entity = None
        if at >= 0:
            end = at + len(written)
            overlap = [(min(end, m.end) - max(at, m.start), m.entity_key) for m in mentions
                       if m.start < end and at < m.end and m.kind != "pronoun"]
            keys = [emap.get((article.id, k)) for _, k in sorted(overlap, reverse=True)]
            entity = next((k for k in keys if k is not None), None)
        name = names.get(entity or "") or written
        out[e.id] = (e.sentence_start, e.sentence_end, e.trigger_start, entity, name)
    return out


def _nearest(text: str, phrase: str, start: int, end: int, at: int) -> int:
    """Where ``phrase`` stands in ``text[start:end]`` nearest to ``at`` (a place phrase follows its
    trigger: 'died in Aceh' after 'the mayor of Banda Aceh'); -1 when it does not."""
    found, n = [], text.find(phrase, start, end)
    while n >= 0:
        found.append(n)
        n = text.find(phrase, n + 1, end)
    return min(found, key=lambda n: (abs(n - at), n), default=-1)


def _placed(found: list[Statement], places: Mapping[str, _Placed]) -> list[Statement]:
    """``found`` with each statement's place set: an event's own; a quote's, amount's or fact's the
    place of the placed event of its sentence nearest to it (none: no place)."""
    if not places:
        return found
    for s in found:
        own = places.get(s.id)
        if own is None and s.kind != "event":
            near = [(abs(p[2] - (s.at or s.span.start)), p) for p in places.values()
                    if p[0] <= (s.at or s.span.start) < p[1] or (s.span.start <= p[2] < s.span.end)]
            own = min(near, key=lambda x: (x[0], x[1][2]))[1] if near else None
        if own is not None:
            s.place, s.place_name = own[3], own[4]
    return found


def restated(found: Sequence[Statement]) -> list[tuple[Statement, Statement]]:
    """(whole, part) pairs of one article's statements where ``part`` says one thing ``whole`` says
    too: its evidence is inside the other's (one sentence read as a quote and as its event) and its
    words say nothing more (:func:`claimwords.says_no_more`). They are one fact, so one claim row:
    'Tarvan Hydro may support the ministry in every way' is what 'Tarvan Hydro welcomed the decision
    and would support the ministry in every way' says. The fuller wording is the whole; of two saying
    the same, the first in text order."""
    out: list[tuple[Statement, Statement]] = []
    told = sorted(found, key=lambda s: (s.span.start, -s.span.end, s.at))
    for n, part in enumerate(told):
        if not part.strong or part.kind == "amount":
            continue  # a weak statement is no row of its own; a figure is aligned by its value
        whole = next((w for m, w in enumerate(told) if m != n and w.strong and w.kind != "amount"
                      and w.stance == part.stance
                      and _nested(w.span, part.span) and claimwords.says_no_more(part.label, w.label)
                      and (not claimwords.says_no_more(w.label, part.label) or m < n)), None)
        if whole is not None:
            out.append((whole, part))
    return out


def _nested(a: Span, b: Span) -> bool:
    return (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)


_WH_ACTORS = frozenset({"who", "whom", "whoever", "which", "what", "whatever"})
# A condition clause open where an event's trigger stands: 'if' or 'unless' with no clause break after it.
_CONDITION = re.compile(r"\b(?:if|unless)\b[^,;:.!?\"“”]*$", re.IGNORECASE)
# 'it' as a subject: 'It could lead to ...'; not a dummy subject ('It was too early to say').
_IT_LED = re.compile(r"It\s+(?!(?:is|was|'s|’s|has\s+been|had\s+been|seems|seemed|appears|appeared)\b)")
_IT_WORD = re.compile(r"\bit\b", re.IGNORECASE)
_TOKEN = re.compile(r"[\w’'-]+(?:\.\w+)*\.?")
_DETERMINERS = frozenset({"the", "this", "that"})
# A sentence opening with a name and its verb: 'Quillpay reported', 'The Orlen Dam holds'.
_OPENING_NAME = re.compile(r"\s*((?:The\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,3})\s+(?=[a-z])")


def named_it(fact: str, text: str, at: int, subjects: Collection[str] = ()) -> str:
    """``fact`` with its leading 'It' read as the event its sentence (or the one before) names before
    ``at``, where the 'it' stands: 'It could lead to further involvement of NATO' after 'The
    Kremlin criticized the U.S. decision, ... warning that it ...' reads 'The U.S. decision could
    lead to ...'. Else a leading 'It' or 'Its' is the name its own sentence opens with, when that
    is one of ``subjects`` (the story's entity names): 'Quillpay reported a small loss, and its
    revenue of about 95 million crowns means ...' reads 'Quillpay's revenue ...'. Nothing else is
    guessed at ('the dam' of the sentence before 'it last passed an inspection'): the fact keeps
    its 'It'."""
    possessive = fact.startswith("Its ")
    if not possessive and not _IT_LED.match(fact):
        return fact
    start, _ = sentence_around(text, at, at + 1)
    before, _ = sentence_around(text, max(0, start - 2), max(0, start - 1)) if start > 1 else (start, start)
    rest = fact[3:].lstrip() if possessive else fact[2:].lstrip()
    for lo in (start, before):
        phrase = "" if possessive else _event_phrase(text, lo, at if lo == start else start)
        if phrase:
            return claimsentence.as_sentence(f"{phrase} {rest}")
    name = _opening_name(text, start, at, subjects)
    if name:
        return claimsentence.as_sentence(f"{name}{'’' if name.endswith('s') else '’s'} {rest}" if possessive
                                         else f"{name} {rest}")
    return fact


_THEY_LED = re.compile(r"They\s+(?!said\b|say\b)")
# Words that end a sentence's opening noun phrase: its verb's auxiliary or a speech verb follows.
_VERB_WORDS = _FINITE | {"said", "say", "says", "told", "warned", "added", "urged", "want", "wanted"}
_NOT_PLURAL = frozenset({"has", "was", "is", "its", "this", "his", "us", "as", "does", "thus", "news"})
# Words a sentence's opening phrase that is no subject begins with ('In recent weeks, they ...').
_NOT_SUBJECT = frozenset({
    "in", "on", "at", "after", "before", "since", "during", "for", "from", "by", "with", "when", "while",
    "as", "if", "but", "and", "so", "then", "still", "yet", "although", "though", "because", "over", "under",
})
_OPENING_NP_WORDS = 6  # words of a sentence's opening noun phrase ('Residents of Lower Dunmere')


def named_they(fact: str, text: str, at: int) -> str:
    """``fact`` with its leading 'They' read as the plural noun phrase its sentence opens with, or,
    when 'they' opens its own sentence, the one the sentence before opens with ('Residents of Lower
    Dunmere have been told they may be able to return' -> 'Residents of Lower Dunmere may be able to
    return'), when no other plural noun stands between that phrase and the 'they' (it is the only
    group 'they' can stand for there). Nothing else is guessed: the fact keeps its 'They'."""
    if not _THEY_LED.match(fact):
        return fact
    start, _ = sentence_around(text, at, at + 1)
    if not text[start:at].strip(" \n\t\"“") and start > 1:  # 'They ...' opens its sentence: the one before
        start, _ = sentence_around(text, start - 2, start - 1)
    group = _plural_opening(text, start, at)
    return claimsentence.as_sentence(f"{group} {fact[4:].lstrip()}") if group else fact


def _plural_opening(text: str, start: int, end: int) -> str:
    """The plural noun phrase ``text[start:end]`` opens with as its subject ('Residents of Lower
    Dunmere', 'Proponents', 'Some analysts'), when no other plural noun follows it before ``end``; ''."""
    words = text[start:end].split()
    phrase: list[str] = []
    for w in words[:_OPENING_NP_WORDS + 1]:
        if w.casefold() in _VERB_WORDS or (phrase and w.islower() and claimsentence.is_past(w)):
            break  # 'Residents of Lower Dunmere| have been told', 'Farmers in the valley| lost'
        if w.endswith(","):  # 'Proponents|, including the Conference of Mayors, have urged'
            phrase.append(w[:-1])
            break
        if not w[-1:].isalnum():
            return ""  # the sentence ends or breaks before any verb: no subject read here
        phrase.append(w)
    else:
        return ""
    if not phrase or len(phrase) > _OPENING_NP_WORDS or phrase[0].casefold() in _NOT_SUBJECT:
        return ""
    head = next((phrase[n - 1] for n in range(1, len(phrase)) if phrase[n] in ("of", "in", "at", "from")),
                phrase[-1])
    if not _plural_word(head) or (head[:1].isupper() and head is not phrase[0]):
        return ""  # a singular subject, or a name ('United States')
    rest = words[len(phrase):]
    if any(_plural_word(w.strip(",;:.\"“”")) and w[:1].islower() for w in rest):
        return ""  # another group stands between: which one 'they' is stays unsaid
    return " ".join(phrase)


def _plural_word(word: str) -> bool:
    w = word.casefold()
    return (len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s"))
            and w not in _NOT_PLURAL and w.isalpha() and (word[:1].islower() or word[1:].islower()))


def _opening_name(text: str, start: int, end: int, subjects: Collection[str]) -> str:
    """The entity name ``text[start:end]`` opens with as its subject ('Quillpay reported ...'), ''."""
    m = _OPENING_NAME.match(text, start, end)
    if m is None:
        return ""
    found = " ".join(m.group(1).split())
    return next((n for n in subjects if normalise(n) == normalise(found)), "")


def _event_phrase(text: str, start: int, end: int) -> str:
    """The last definite noun phrase of ``text[start:end]`` headed by an event noun, of at most
    four words ('the U.S. decision', 'this move'); '' when there is none."""
    words = list(_TOKEN.finditer(text, start, end))
    nouns = nominal.words()[0]
    for n in range(len(words) - 1, -1, -1):
        if words[n].group().casefold() not in nouns:
            continue
        for d in range(n - 1, max(-1, n - 4), -1):
            if words[d].group().casefold() in _DETERMINERS:
                return " ".join(text[words[d].start():words[n].end()].split())
        return ""  # the nearest event noun has no determiner: what 'it' is stays unsaid
    return ""


def says_nothing(text: str, q: Quote) -> bool:
    """Whether a quote states nothing: its cue is refused ('declined to say whether it would open a
    review': the body said nothing of the review), or it names whom the outlet cites ('citing an
    unnamed ministry official'; also after a speaker: 'The Observer reported, citing an unnamed
    official, that ...' names the Observer's source, what it reported is the clause after it)."""
    if q.cue_start is not None:
        sent_start, _ = sentence_around(text, q.cue_start, q.cue_end or q.cue_start)
        if _REFUSED.search(text, sent_start, q.cue_start):
            return True
    return (q.cue or "").casefold() in _CITING_CUES


def fragment(q: Quote) -> bool:
    """Whether reported speech is a bare noun phrase, no statement: 'confirmed the move', 'spoke about
    the decision', 'praised Biden's decision' name what was talked about and say nothing of it. Words
    the outlet quotes, a clause ('that ...', 'to ...') or a small clause ('calling it a dangerous
    escalation') are statements, as is any object of ``defaults.CLAIM_QUOTE_MIN_WORDS`` content words."""
    if q.kind != "reported":
        return False
    words = q.content.split()
    if not words or words[0].casefold() in _CLAUSE_OPENERS or q.content[:1] in "\"“‘'":
        return False
    if any(w.casefold().strip(".,;:!?") in _FINITE for w in words):
        return False
    return claimtext.content_words(q.content) < defaults.CLAIM_QUOTE_MIN_WORDS


def _attribution_spans(quotes: Sequence[Quote]) -> list[tuple[int, int]]:
    """Where quotes name who said them (speaker and cue): a figure there counts the sources
    ('according to two employees'), it is no fact of any claim."""
    spans = [(q.speaker_start, q.speaker_end) for q in quotes] + [(q.cue_start, q.cue_end) for q in quotes]
    return [(lo, hi) for lo, hi in spans if lo is not None and hi is not None]


def _citations(
    article: Article, quotes: Sequence[Quote], outlets: set[str],
    emap: Mapping[tuple[str, str], str], names: Mapping[str, str],
) -> list[tuple[int, int, str]]:
    """(start, end, cited source) of the passages an article attributes to another outlet/agency."""
    out = []
    for q in quotes:
        cited = _cited(article, q, outlets, emap, names)
        if cited:
            out.append((q.content_start, q.content_end, cited))
        if q.relay_source and q.relay_start is not None and q.relay_end is not None:
            # 'X said Y, CNN reported': the whole clause is CNN's report, carried by this outlet
            out.append((q.relay_start, q.relay_end, q.relay_source))
    return out


def _cited(
    article: Article, q: Quote, outlets: set[str], emap: Mapping[tuple[str, str], str],
    names: Mapping[str, str],
) -> str | None:
    if q.cited_source:
        # The cited source is the speaker written as a description ('the accounting software
        # maker'): name it as its entity, so two outlets citing one body count it once.
        if q.speaker and normalise(q.speaker) == normalise(q.cited_source):
            return _speaker(article, q, emap, names)  # as the attribution names it
        return q.cited_source
    if q.kind == "according_to" and q.speaker and normalise(q.speaker) in outlets:
        return q.speaker
    return q.relay_source or None  # 'X said Y, CNN reported': CNN's report, carried here


def _said_by(
    article: Article, quotes: Sequence[Quote], emap: Mapping[tuple[str, str], str], names: Mapping[str, str]
) -> list[tuple[int, int, str]]:
    """(start, end, attribution) of every quote's content: a fact stated inside it is the speaker's
    ('Russia will respond ...' / 'Sergey Lavrov said'), not the outlet's own."""
    out = []
    for q in quotes:
        if q.kind == "stance" or not q.content.strip() or not claimsentence.speech_cue(q.cue, q.kind):
            continue  # 'expressed support for Biden's decision to allow ...': the decision is not his claim
        speaker = _speaker(article, q, emap, names)
        out.append((q.content_start, q.content_end, claimsentence.attribution_of(speaker, q.cue, q.kind)))
    return out + _quoted_runs(article.text, quotes, out)


def _quoted_runs(
    text: str, quotes: Sequence[Quote], said: Sequence[tuple[int, int, str]]
) -> list[tuple[int, int, str]]:
    """(start, end, attribution) of whole passages in quotation marks: words in marks are someone's,
    never the outlet's own fact. A passage holding a quote the analysis attributed is that speaker's
    all through (a quote of several paragraphs: 'when it came the soldiers could only take eight of
    us' goes on from Marta Feld's first paragraph); one that opens a sentence with no quote of a
    speaker in it is an unnamed speaker's."""
    out = []
    for lo, hi in quotation_runs(text):
        by = next((attribution for s, e, attribution in said if lo <= s and e <= hi), None)
        if by is None and not _opens_sentence(text, lo):
            continue  # a phrase the outlet quotes inside its own sentence ('described it as “...”')
        if by is None and any(q.speaker and lo <= q.content_start < hi for q in quotes):
            continue  # the passage's speaker is known, whatever its cue: no 'unnamed' here
        out.append((lo, hi, by or claimsentence.attribution_of(None, "say", "direct")))
    return out


def _opens_sentence(text: str, at: int) -> bool:
    start, _ = sentence_around(text, at, at + 1)
    return not text[start:at].strip(" \n\t\"“")


# Opening and closing double quotation marks; a straight mark opens outside a passage, closes inside.
_OPENING, _CLOSING = "“\"", "”\""
_PARAGRAPH = re.compile(r"\n\s*\n\s*")


def quotation_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each passage in double quotation marks, the marks excluded. A passage open at
    a paragraph break goes on when the next paragraph opens with a mark (how a quote of several
    paragraphs is written), else it ends there (an unclosed mark)."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    i = 0
    while i < len(text):
        c = text[i]
        if start is None:
            if c in _OPENING:
                start = i + 1
        elif c in _CLOSING:
            out.append((start, i))
            start = None
        elif c == "\n" and (m := _PARAGRAPH.match(text, i)):
            if m.end() < len(text) and text[m.end()] in _OPENING:
                i = m.end()  # the next paragraph goes on with the same speaker's words
            else:
                out.append((start, i))
                start = None
                i = m.end()
                continue
        i += 1
    if start is not None:
        out.append((start, len(text)))
    return out


def _speaker(
    article: Article, q: Quote, emap: Mapping[tuple[str, str], str], names: Mapping[str, str]
) -> str | None:
    """How a quote's speaker is named beside what it said: its entity's name, else its words; a
    description a sentence opens with reads in lower case ('farmers in the lower valley said',
    'officials said'), as it would inside any other sentence."""
    who = claimtext.actor(q.speaker, q.speaker_key, article.id, emap, names) or q.cited_source
    words = (who or "").split()
    if (who and who == " ".join((q.speaker or "").split()) and q.speaker_start is not None
            and words[0][:1].isupper() and words[0][1:].islower() and all(w.islower() for w in words[1:])
            and (len(words) > 1 or q.speaker_key is None) and _opens_sentence(article.text, q.speaker_start)):
        return who[:1].lower() + who[1:]
    return who


def _attribution_at(
    said: Sequence[tuple[int, int, str]], cites: Sequence[tuple[int, int, str]], at: int, start: int, end: int
) -> str:
    """Who a fact at ``at`` (in the sentence ``start:end``) is attributed to: the quote holding it,
    else the outlet or agency whose cited words hold it, else nobody (the outlet states it)."""
    inside = [(hi - lo, text) for lo, hi, text in said if lo <= at < hi]
    if inside:
        return min(inside)[1]
    cited = _cited_at(cites, start, end, at)
    return f"according to {cited}" if cited else ""


def _cited_at(
    cites: Sequence[tuple[int, int, str]], start: int, end: int, at: int | None = None
) -> str | None:
    """The source cited for the sentence ``start:end``; with ``at``, only a citation whose words
    hold ``at``: in 'Shares rose 7 percent after the software maker said it would buy Quillpay' the
    rise is the outlet's report, only the purchase is the maker's; in 'The Kremlin criticized the
    decision' the criticism is the outlet's report of what the Kremlin did."""
    for s, e, name in cites:
        if s < end and start < e and (at is None or s <= at < e):
            return name
    return None


def _key(emap: Mapping[tuple[str, str], str], article_id: str, key: str | None) -> str | None:
    return emap.get((article_id, key)) if key else None


def span_of(article: Article, start: int, end: int) -> Span:
    start, end = max(0, start), min(len(article.text), end)
    return Span(article.id, start, end, article.text[start:end])


def _event_statement(
    article: Article,
    e: Event,
    emap: Mapping[tuple[str, str], str],
    cites: Sequence[tuple[int, int, str]],
    names: Mapping[str, str],
    said: Sequence[tuple[int, int, str]] = (),
    words_of: Mapping[str, str] | None = None,
    noun: bool | None = None,
) -> Statement:
    span = span_of(article, e.sentence_start, e.sentence_end)
    sentence, complete = _event_sentence(article, e, emap, names, words_of or {}, noun=noun)
    its = list(_IT_WORD.finditer(article.text, e.sentence_start, e.trigger_start))
    if its:
        sentence = named_it(sentence, article.text, its[-1].start(), names.values())
    denied = e.mode == "denied" or e.negated
    # Generic verbs, bare speech verbs ('X said.': the attribution frame, its quote is the claim) and
    # events with nobody doing or undergoing them state no fact of their own.
    named = any(claimtext.actor(text, key, article.id, emap, names)
                for text, key in ((e.source, e.source_key), (e.target, e.target_key)))
    generic = e.confidence < defaults.CLAIM_MIN_CONFIDENCE or e.trigger.casefold() in SPEECH_VERBS
    # An event in a condition ('would issue a summons if Mellis refused') is no fact: read alone it
    # says 'Mellis would refuse'; the sentence's own fact carries it.
    conditional = _CONDITION.search(article.text, e.sentence_start, e.trigger_start) is not None
    # An act another word governs ('push Russia to negotiate peace', 'asked for divers to inspect the
    # tunnel') is pushed for, wanted or intended, not done: read alone it says 'Russia may negotiate
    # peace'. The governing statement carries it. A negated frame kept in the words ('is not ready to
    # negotiate', 'does not want to') is the fact itself.
    infinitive = (claimtext.governed(article.text, e.sentence_start, e.trigger_start)
                  and not claimtext.negated_frame(article.text, e.sentence_start, e.trigger_start))
    # 'deciding who will occupy the White House': an actor written as 'who' the analysis linked to
    # nobody is the question itself, no one who did it ('Who plans to occupy the White House').
    asked = (e.source or "").strip().casefold() in _WH_ACTORS and _key(emap, article.id, e.source_key) is None
    strong = (named and not generic and not conditional and not infinitive and not asked
              and not _question(span.text))
    return Statement(
        id=e.id, kind="event", article=article, text=f"{_event_label(e)}: {span.text.strip()}", span=span,
        stance="denies" if denied else "supports", mode=e.mode,
        entity=_key(emap, article.id, e.source_key), target=_key(emap, article.id, e.target_key),
        type=e.type, trigger=e.trigger, date_start=e.date_start, date_end=e.date_end or e.date_start,
        cited=_cited_at(cites, e.sentence_start, e.sentence_end, e.trigger_start),
        label=sentence, strong=strong, at=e.trigger_start, trigger_span=(e.trigger_start, e.trigger_end),
        complete=complete,
        attribution=_event_attribution(e, _attribution_at(said, cites, e.trigger_start, e.sentence_start,
                                                          e.sentence_end)),
    )


def _guessed(s: Statement, e: Event) -> Statement:
    """``s`` marked guessed when its (typed) event is no surer than the codebook's guesses."""
    return replace(s, guessed=True) if e.confidence <= defaults.CLAIM_EVENT_GUESS else s


def _presence_statement(
    article: Article, e: Event, emap: Mapping[tuple[str, str], str], cites: Sequence[tuple[int, int, str]],
    names: Mapping[str, str], said: Sequence[tuple[int, int, str]],
) -> Statement:
    """A presence (:mod:`~newsfuse.fuse.claims.presence`) as a statement worded 'North Korean
    soldiers were present in the Kursk region' (as the article names them)."""
    s = _event_statement(article, e, emap, cites, names, said)
    group = article.text[article.text.rfind(e.source or "", e.sentence_start, e.trigger_start):e.trigger_end]
    return replace(s, label=f"{' '.join(group.split())} were present in {e.place}", complete=2)


def _untyped_statement(
    article: Article, e: Event, emap: Mapping[tuple[str, str], str], cites: Sequence[tuple[int, int, str]],
    names: Mapping[str, str], said: Sequence[tuple[int, int, str]], words_of: Mapping[str, str],
) -> Statement:
    """An act no PLOVER word names (:mod:`newsfuse.analyze.events.nominal`): weak, so a claim only
    when another outlet states the fact too; worded like a typed event ('Mr. Sestak did not serve on
    the board')."""
    written = article.text[e.trigger_start:e.trigger_end].strip() or e.trigger
    # Untyped noun triggers are the learned event nouns, written as the lemma or its plural; any
    # other form is a verb ('broken'), whatever a reading of the bare word would guess.
    noun = (e.trigger in nominal.words()[0] and written.casefold().rstrip("s") == e.trigger.rstrip("s")
            and claimtext.nominal(article.text, e.trigger_start, written, e.trigger))
    # the sentence is worded once, inside _event_statement, with what is known here
    return replace(_event_statement(article, e, emap, cites, names, said, words_of, noun=noun), strong=False)


def _event_attribution(e: Event, attribution: str) -> str:
    """Hearsay with no source ('is said to have lifted') reads 'reportedly' in the sentence already:
    'an unnamed source said' beside it would say it twice."""
    return "" if e.mode == "reported" and attribution.startswith("an unnamed source") else attribution


def _event_sentence(
    article: Article, e: Event, emap: Mapping[tuple[str, str], str], names: Mapping[str, str],
    words_of: Mapping[str, str], noun: bool | None = None,
) -> tuple[str, int]:
    """The event as a plain sentence, and how many of actor, object, place and time it names
    (``noun``: whether the trigger is a noun, when the caller knows; else read from the text)."""
    who = claimtext.definite(claimtext.actor(e.source, e.source_key, article.id, emap, names), e.source,
                             article.text, e.sentence_start, e.trigger_start)
    whom = claimtext.actor(e.target, e.target_key, article.id, emap, names)
    written = article.text[e.trigger_start:e.trigger_end].strip() or e.trigger
    if noun is None:
        noun = claimtext.nominal(article.text, e.trigger_start, written, e.trigger)
    what = (claimtext.object_words(article.text, e, whom) or "" if noun
            else claimtext.complement(article.text, e.trigger_end, e.sentence_end))
    when = claimsentence.date_phrase(e.date_start, e.date_end)
    target_first = (bool(e.target) and (e.target or "") not in what
                    and article.text.rfind(e.target or "", e.sentence_start, e.trigger_start) >= 0)
    complete = sum(1 for x in (who, what or whom, e.place, e.date_start) if x)
    # An event noun's sentence is often about something else ('A Russian attack on Kyiv showed that
    # talks had failed'): only a verb's clause stands for its event.
    clause = "" if who or noun or (whom and target_first) else claimtext.up_to_clause(
        article.text, e.sentence_start, e.sentence_end, e.trigger_start, e.trigger_end)
    if clause and clause.split()[0].casefold() not in claimtext.PRONOUNS:
        # Nobody to put before the verb ('Made $14,959,450 in charitable contributions'): the
        # source's own words up to the end of the clause, with the subject the analysis did not read
        # as an actor, read as the fact. Any worded event of the claim leads before it.
        return claimsentence.as_sentence(claimtext.shorten(claimsentence.without_possessives(clause))), 0
    if noun and who and e.source and not (what or whom) and claimsentence.verbed(e.trigger):
        # 'are preparing to give permission' worded from its noun alone reads 'plan to permit': with
        # nothing the verb governs, the source's clause, led by the actor, says it whole.
        said = claimtext.up_to_clause(article.text, e.sentence_start, e.sentence_end, e.trigger_start,
                                      e.trigger_end)
        if said.casefold().startswith(e.source.casefold()):
            return claimsentence.as_sentence(claimtext.shorten(claimsentence.without_possessives(said))), \
                complete
    phrase = noun and claimtext.noun_phrase(article.text, e.sentence_start, e.trigger_start, e.trigger_end)
    text = claimsentence.event_sentence(
        who, e.trigger, written, e.mode, e.negated, what, whom, e.place,
        words_of.get(e.time_id or ""), when, noun=noun, event_type=e.type, target_first=target_first,
        phrase=phrase or "", frame=claimtext.negated_frame(article.text, e.sentence_start, e.trigger_start),
        present=not noun and claimtext.plural_present(article.text, e.trigger_start, written, e.trigger),
    )
    return text, complete


def _event_label(e: Event) -> str:
    """'ASSAULT strike (Russia -> Ukraine)': which of a sentence's events the claim is about."""
    actors = " -> ".join(x for x in (e.source, e.target) if x)
    mode = f", {e.mode}" if e.mode != "asserted" else ""
    return f"{e.type or 'UNTYPED'} {e.trigger}" + (f" ({actors}{mode})" if actors or mode else "")


def _quote_statement(
    article: Article,
    q: Quote,
    emap: Mapping[tuple[str, str], str],
    outlets: set[str],
    names: Mapping[str, str],
    bodies: frozenset[str] = frozenset(),
) -> Statement:
    start = min(q.content_start, q.speaker_start if q.speaker_start is not None else q.content_start)
    end = max(q.content_end, q.speaker_end if q.speaker_end is not None else q.content_end)
    speaker = q.speaker or "unnamed source"
    denial = bool(q.cue and DENIAL_CUE.match(q.cue))
    sent_start, sent_end = sentence_around(article.text, start, end)
    # What a denial denies: the words after the cue ('... denied that repairs had been postponed').
    denied = article.text[q.cue_end:sent_end] if denial and q.cue_end is not None else q.content
    who = _speaker(article, q, emap, names)
    named = claimtext.actor(q.speaker, q.speaker_key, article.id, emap, names) or q.cited_source  # as written
    body = q.speaker_key in bodies  # 'it' in what an organisation said stands for it
    fact, attribution = claimsentence.quote_sentence(q.content, who, q.cue, q.kind, body=body)
    if q.kind != "direct" and not body:  # words quoted verbatim stay as said
        fact = named_they(named_it(fact, article.text, q.content_start, names.values()), article.text,
                          q.content_start)
    entity = _key(emap, article.id, q.speaker_key)
    return Statement(
        id=q.id, kind="quote", article=article, text=f"{speaker}: {q.content.strip()}",
        span=span_of(article, start, end), entity=entity,
        surname=_surname(names.get(entity or "") or named or ""),
        described=_described(q.speaker),
        stance="denies" if denial else "supports", context=denied if denial else q.content,
        context_after=article.text[sent_start:sent_end],
        cited=_cited(article, q, outlets, emap, names),
        label=fact, attribution=attribution, complete=1 + (q.speaker_key is not None),
        strong=q.confidence >= defaults.CLAIM_MIN_CONFIDENCE
        and claimtext.content_words(q.content) >= defaults.CLAIM_QUOTE_MIN_WORDS,
    )


def _surname(name: str) -> str:
    """The last word of a speaker's name as folded ('Michael Elliott' and 'Mike Elliott': 'elliott'),
    '' for a description or a pronoun ('officials', 'he'): those name nobody in particular."""
    words = normalise(name).split()
    if not words or not name.strip()[:1].isupper() or words[-1] in claimtext.PRONOUNS:
        return ""
    return words[-1]


def _described(speaker: str | None) -> bool:
    """Whether a speaker is written as a description, not a name: its last word is lower case."""
    words = (speaker or "").split()
    return bool(words) and not words[-1][:1].isupper()


def _amount_statement(
    article: Article, a: Amount, cites: Sequence[tuple[int, int, str]],
    said: Sequence[tuple[int, int, str]] = (), subjects: Collection[str] = (),
) -> Statement | None:
    if a.value is None:
        return None
    sent_start, sent_end = sentence_around(article.text, a.start, a.end)
    before = article.text[sent_start:a.start].split()[-defaults.AMOUNT_CONTEXT_WORDS:]
    after = article.text[a.end:sent_end].split()[: defaults.AMOUNT_CONTEXT_WORDS]
    span = span_of(article, sent_start, sent_end)
    clause = claimtext.amount_clause(article.text, sent_start, sent_end, a.start, a.end)
    # A clause that opens its sentence opens with its subject: 'That brings his commitment to $20
    # million' is no complementiser 'that' (cut, the row read 'Brings his commitment ...').
    opens = span.text.lstrip(claimtext.SPACE_PUNCT + claimtext.QUOTE_MARKS).startswith(clause)
    return Statement(
        id=a.id, kind="amount", article=article, text=f"{a.text}: {span.text.strip()}", span=span,
        value=a.value, low=a.low, high=a.high, unit=a.unit, counted=(a.counted or "").casefold(),
        approx=(a.approx or "").casefold(), written=as_written(article.text, a),
        measure=claimwords.measure(article.text[sent_start:a.start], article.text[a.end:sent_end]),
        context=_words(before), context_after=_words(after),
        cited=_cited_at(cites, sent_start, sent_end, a.start),
        label=named_they(named_it(claimsentence.as_sentence(clause, complementiser=not opens), article.text,
                                  a.start, subjects), article.text, a.start),
        attribution=_attribution_at(said, cites, a.start, sent_start, sent_end), complete=1,
        strong=a.confidence >= defaults.CLAIM_MIN_CONFIDENCE and not _question(span.text), at=a.start,
    )


def as_written(text: str, a: Amount) -> str:
    """An amount in its article's own words and casing, with what it counts when that follows it
    ('about 1,800 residents', 'Hundreds of residents', 'around 11,000 North Korean soldiers'), else as
    the analysis names it; one line."""
    said, counted = a.text, a.counted or ""  # the amount's text is the article's own
    if counted and counted.casefold() not in said.casefold():
        at = text.find(counted, a.end, a.end + len(counted) + len(" of "))
        if at >= 0 and text[a.end:at].strip() in ("", "of"):
            said = text[a.start:at + len(counted)]
        else:
            said = f"{said} {counted}"
    return " ".join(said.split())


def _question(sentence: str) -> bool:
    """Whether a sentence asks ('Where is that $115 supposed to come from?'): it states no fact."""
    return sentence.rstrip().rstrip(claimtext.QUOTE_MARKS + ")").endswith("?")


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
        for m in SENTENCE_END.finditer(text, 0, start):
            left = m.end()
    else:
        left = ends[k] if k >= 0 else 0
    k = bisect.bisect_left(starts, end)  # the first break starting at or after end
    if k > 0 and ends[k - 1] > end:
        after = SENTENCE_END.search(text, end)
        return left, after.start() if after else len(text)
    return left, starts[k] if k < len(starts) else len(text)


@functools.lru_cache(maxsize=256)  # a story asks for many sentences of each of its texts
def _sentence_ends(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the sentence breaks of ``text``, in order."""
    found = [(m.start(), m.end()) for m in SENTENCE_END.finditer(text)]
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
        span = span_of(article, sent_start, sent_end)
        who = claimtext.definite(
            claimtext.actor(subject.text, subject.entity_key, article.id, emap, names) or subject.text,
            subject.text, article.text, sent_start, subject.end)
        topic = no_comment_topic(article.text, m.end(), sent_end)
        about = f" on {topic}" if topic else ""
        out.append(Statement(
            id=content_id(article.id, "no-comment", m.start(), prefix="f_"), kind="fact", article=article,
            text=f"{subject.text} has not commented{about}", span=span,
            entity=emap.get((article.id, subject.entity_key), normalise(subject.entity_key)),
            label=claimsentence.as_sentence(f"{who} has not commented{about}"), complete=1,
        ))
    return out


def no_comment_topic(text: str, after: int, sent_end: int) -> str:
    """What a refusal to comment ending at ``after`` is about ('... on the talks'), '' when it names
    nothing: 'declined to comment on X' says nothing about anything but X."""
    m = NO_COMMENT_TOPIC.match(text, after, sent_end)
    return m.group(1).strip() if m else ""
