"""Forces of a country in a place, stated or presupposed: 'North Korean soldiers were present in
the Kursk region' states it; 'used against North Korean troops in the Kursk region' takes it for
granted. Neither names an event the analysis finds (the first has no event verb, the second's verb
'use' names no event), so without this the fact has no statement in the second report and two
outlets telling it are never one claim.

A presence is read from an article's mentions: a nationality or country (NORP/GPE), then, with
only other names and 'and' between, a word for armed forces (:data:`FORCE_NOUNS`), then within
``defaults.CLAIM_PRESENCE_WINDOW`` words of the same sentence 'in' followed by a place (GPE, LOC,
FAC; the last place of the phrase: 'in Russia's Kursk region' -> Kursk region). It becomes an
event of PLOVER type MOBILIZE with the country as actor and the place as target, weak
(``defaults.CLAIM_PRESENCE_CONFIDENCE`` is below ``CLAIM_MIN_CONFIDENCE``): a claim only when
another article tells the same forces in the same place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsfuse import defaults
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, Event, Mention

FORCE_NOUNS = frozenset({
    "troops", "soldiers", "forces", "fighters", "militants", "marines", "paratroopers", "mercenaries",
    "servicemen", "brigades", "battalions", "units",
})
_GROUP_LABELS = frozenset({"NORP", "GPE"})
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_WORD = re.compile(r"[\w'’-]+")
_BETWEEN = re.compile(r"(?:['’]s)?(?:\s*(?:,|and|[A-Z][\w'’-]*)\s*)*")  # 'Russian and North Korean troops'
_SENTENCE_END = re.compile(r"[.!?]\s")


def presences(article: Article, analysis: Analysis) -> list[Event]:
    """The forces-in-a-place events of one article (see the module docstring)."""
    text = article.text
    places = sorted((m for m in analysis.mentions if m.label in _PLACE_LABELS), key=lambda m: m.start)
    out: dict[tuple[int, str], Event] = {}
    for m in analysis.mentions:
        if m.label not in _GROUP_LABELS:
            continue
        force = _force_after(text, m.end)
        if force is None:
            continue
        place = _place_after(text, force[1], places)
        if place is None or place.entity_key == m.entity_key:
            continue
        start, end = _sentence(text, m.start)
        out.setdefault((force[0], m.entity_key), Event(
            id=content_id(article.id, "presence", m.start, force[0]), article_id=article.id,
            trigger=text[force[0]:force[1]].casefold(), trigger_start=force[0], trigger_end=force[1],
            sentence_start=start, sentence_end=end, type="MOBILIZE", source=m.text, source_key=m.entity_key,
            target=place.text, target_key=place.entity_key, place=place.text,
            confidence=defaults.CLAIM_PRESENCE_CONFIDENCE))
    return list(out.values())


def _force_after(text: str, at: int) -> tuple[int, int] | None:
    """Where a force noun stands right after a group's name (only names and 'and' between)."""
    between = _BETWEEN.match(text, at)
    pos = between.end() if between else at
    while pos < len(text) and text[pos].isspace():
        pos += 1
    word = _WORD.match(text, pos)
    if word is None or word.group().casefold() not in FORCE_NOUNS:
        return None
    return word.start(), word.end()


def _place_after(text: str, at: int, places: Sequence[Mention]) -> Mention | None:
    """The place of the first 'in <place>' after ``at`` within the window, in the same sentence."""
    words = list(_WORD.finditer(text, at, _sentence(text, at)[1]))[: defaults.CLAIM_PRESENCE_WINDOW]
    for n, w in enumerate(words):
        if w.group().casefold() != "in":
            continue
        reach = words[min(n + defaults.CLAIM_PRESENCE_PHRASE_WORDS, len(words) - 1)].end()
        inside = [p for p in places if w.end() < p.start < reach]
        if inside:
            return inside[-1]
    return None


def _sentence(text: str, at: int) -> tuple[int, int]:
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, at)), default=0)
    while start < at and text[start].isspace():
        start += 1
    end = _SENTENCE_END.search(text, at)
    return start, end.start() + 1 if end else len(text)
