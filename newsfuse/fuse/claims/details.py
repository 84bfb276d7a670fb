"""One fact told with another detail: the same sentence from two outlets but for a figure, a date, an
actor or the polarity (the conflicts the claim relation reads off the words, whatever the analysis
made of them).

Two statements of one kind (events: of one trigger word) whose sentences are worded nearly alike
(:data:`defaults.CLAIM_DETAIL_SIMILARITY`) report one fact. Where their words then differ in

* a figure ('24-year-old' / '9-year-old', 'killed 12' / 'killed 7'), beyond
  :data:`defaults.AMOUNT_TOLERANCE`, or beyond :data:`defaults.CLAIM_ROUNDING_TOLERANCE` when one
  side is approximate ('about 1,200' is '1,184': rounding is agreement);
* a date word (weekday, month, year);
* a name (a capitalised word only one side has: another actor; a title such as 'Mr.' or 'Sen.' is
  house style, no name);
* a negation ('did not', 'never', 'no'),

the outlets disagree on that detail. A running count ('so far', 'since Saturday') in reports of
different days is an update, not a disagreement. Words a synonym replaced differ in none of these,
so a reworded sentence stays agreement.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from newsfuse import defaults
from newsfuse.fuse.claims.statements import Statement

_NUMBER = re.compile(r"(?<![\w])\d[\d,]*(?:\.\d+)?")
_APPROX = re.compile(
    r"\b(?:about|around|roughly|nearly|almost|some|approximately|more than|over|at least|up to|close to)\s+$",
    re.IGNORECASE,
)
_DATE_WORD = re.compile(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|June|"
    r"July|August|September|October|November|December|yesterday|today|tonight|tomorrow|(?:1[89]|20)\d\d)\b"
)
_NEGATION = re.compile(r"\b(?:not|never|no|none|neither|nor|without)\b|n't\b", re.IGNORECASE)
_RUNNING = re.compile(
    r"\b(?:since|so far|to date|as of|until now|rose to|risen to|climbed to)\b", re.IGNORECASE
)
_WORD = re.compile(r"[A-Za-z][\w'’.-]*")
# Capitalised words that name no actor: sentence openers, titles of the week, pronouns.
_NOT_NAMES = frozenset({"The", "A", "An", "He", "She", "It", "They", "We", "I", "His", "Her", "Their", "Its",
                        "This", "That", "These", "Those", "But", "And", "In", "On", "At", "By", "For"})
# Honorifics and titles before a name: outlets' house styles differ ('Mr. Schiff' / 'Schiff', 'Sen.
# Burr' / 'Senator Burr'), and a title names no other actor.
_TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "dame", "sen", "senator", "rep", "representative",
    "gov", "governor", "gen", "general", "col", "lt", "sgt", "capt", "president", "pres", "judge", "justice",
    "rev", "st", "hon", "mayor", "secretary", "minister", "chancellor", "speaker", "chairman", "chairwoman",
})


def sentence_of(s: Statement) -> str:
    """The words a statement's detail is read from: its sentence (a quote's own sentence)."""
    return s.context_after if s.kind == "quote" and s.context_after else s.span.text


def running_day(s: Statement) -> str | None:
    """The publication day of a statement whose sentence holds a running count, else None."""
    return (s.article.published or "")[:10] if _RUNNING.search(sentence_of(s)) else None


@lru_cache(maxsize=4096)
def _folded(text: str) -> str:
    return " ".join(text.casefold().split())


def alike(a: Statement, b: Statement) -> bool:
    """Whether two statements of two articles stand in one sentence with at most a detail changed
    (events: of one trigger word; :func:`one_sentence` for any two statements of it)."""
    if a.kind == "event" and a.trigger.casefold() != b.trigger.casefold():
        return False
    return one_sentence(a, b)


def one_sentence(a: Statement, b: Statement) -> bool:
    """Whether two statements of one kind from two articles stand in sentences worded nearly alike."""
    if a.kind != b.kind or a.article.id == b.article.id:
        return False
    x, y = sentence_of(a), sentence_of(b)
    cut = defaults.CLAIM_DETAIL_SIMILARITY
    return bool(x and y) and fuzz.ratio(_folded(x), _folded(y), score_cutoff=cut) >= cut


def detail(a: Statement, b: Statement) -> str | None:
    """What ``b`` tells otherwise than ``a`` when both tell one fact (:func:`alike`): 'figure: 7',
    'date: Tuesday', 'actor: Tony Weeks', 'polarity: not'; None when they agree."""
    x, y = sentence_of(a), sentence_of(b)
    figure = _figure(x, y, a, b)
    if figure:
        return f"figure: {figure}"
    dates = _only_in(_DATE_WORD.findall(y), _DATE_WORD.findall(x))
    if dates and _only_in(_DATE_WORD.findall(x), _DATE_WORD.findall(y)):
        return f"date: {' '.join(dates)}"
    names = _only_in(_names(y), _names(x))
    if names and _only_in(_names(x), _names(y)):
        return f"actor: {' '.join(names)}"
    if len(_NEGATION.findall(x)) != len(_NEGATION.findall(y)) and a.stance == b.stance:
        return "polarity: " + ("not" if len(_NEGATION.findall(y)) > len(_NEGATION.findall(x)) else "affirmed")
    return None


def _only_in(these: list[str], those: list[str]) -> list[str]:
    rest = list(those)
    out = []
    for w in these:
        if w in rest:
            rest.remove(w)
        else:
            out.append(w)
    return out


def _names(text: str) -> list[str]:
    """Capitalised words after the first word (the first is capitalised by position)."""
    words = _WORD.findall(text)
    return [w.rstrip(".") for w in words[1:] if w[:1].isupper() and w not in _NOT_NAMES
            and w.rstrip(".").casefold() not in _TITLES and not _DATE_WORD.fullmatch(w)]


def _figure(x: str, y: str, a: Statement, b: Statement) -> str | None:
    """The first figure of ``y`` with no agreeing figure in ``x`` while ``x`` has one unmatched too."""
    xs, ys = _numbers(x), _numbers(y)
    only_y = [(v, approx, t) for v, approx, t in ys if not any(_agree(v, approx, w, ax) for w, ax, _ in xs)]
    only_x = [(v, approx, t) for v, approx, t in xs if not any(_agree(v, approx, w, ay) for w, ay, _ in ys)]
    if not only_y or not only_x:
        return None
    running = _RUNNING.search(x) or _RUNNING.search(y)
    if running and (a.article.published or "")[:10] != (b.article.published or "")[:10]:
        return None  # a later count of a running figure is an update
    return only_y[0][2]


def _numbers(text: str) -> list[tuple[float, bool, str]]:
    out = []
    for m in _NUMBER.finditer(text):
        written = m.group(0).rstrip(",.")
        try:
            value = float(written.replace(",", ""))
        except ValueError:
            continue
        out.append((value, bool(_APPROX.search(text, 0, m.start())), written))
    return out


def _agree(v: float, approx_v: bool, w: float, approx_w: bool) -> bool:
    tolerance = defaults.CLAIM_ROUNDING_TOLERANCE if (approx_v or approx_w) else defaults.AMOUNT_TOLERANCE
    return abs(v - w) <= tolerance * max(abs(v), abs(w), 1e-9)
