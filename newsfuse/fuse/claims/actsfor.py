"""Who acts for whom, read from one article's text (issue 12, session 19): one actor named two ways.

Reports of one state act name its actor differently: 'Russia', 'Moscow', 'the Kremlin', 'Putin',
'Kremlin spokesman Dmitry Peskov'; a ministry and its minister; the Pentagon and its spokesperson.
The entity resolver rightly keeps them apart (a person is not a country), so the claim gate saw two
actors that differ. This module reads, per article, what each of its entities *acts for*:

* a state, for an entity named by a country, its capital or its seat of government alone ('Russia',
  'Moscow', 'the Kremlin', 'the Pentagon': :data:`~newsfuse.analyze.events.plover.COUNTRY_CODES`), or
  by a country word and a body of government ('Russian Defence Ministry', 'Ukrainian military');
* a state, for a person whose title names the country and an office that speaks for it ('Russian
  President', 'Kremlin spokesman', 'U.S. Assistant Secretary'; not 'former' or 'opposition' ones);
* a body, for a person whose title names one of the article's organisations ('NATO Secretary
  General', 'IRS official'): that organisation's entity, and the state the body acts for.

Keys are ``state:<ISO3>`` or entity IDs; :func:`acts_for` says whether two statements' actors are one
actor named two ways (one acts for the other, or both act for one state or body). Only event statements
join at the gate's acts-for bar (quotes keep their speakers: two spokesmen's words are two statements),
though every statement carries what its actor, speaker or subject acts for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

from newsfuse.analyze.events.plover import COUNTRY_CODES

if TYPE_CHECKING:
    from newsfuse.models import Analysis

# Offices whose holder speaks or acts for the state or body their title names.
ACTING_ROLES = frozenset((
    "president", "president-elect", "vice-president", "minister", "secretary", "undersecretary",
    "spokesperson", "spokesman", "spokeswoman", "chancellor", "premier", "ambassador", "envoy",
    "diplomat", "negotiator", "official", "officer", "commander", "general", "admiral", "chief", "head",
    "director", "chairman", "chairwoman", "leader", "king", "queen", "emperor", "adviser", "advisor",
    "aide", "deputy",
))
# Title words that say the holder does not (or no longer) act for what the title names.
_NOT_ACTING = frozenset(("former", "ex", "opposition", "late", "exiled", "dissident", "rebel"))
# Last words of a body of government named with its country ('Russian Defence Ministry').
GOVERNMENT_BODIES = frozenset((
    "ministry", "government", "army", "military", "forces", "force", "navy", "department", "office",
    "parliament", "cabinet", "administration", "embassy", "command", "presidency", "duma", "troops",
))
# Gazetteer names that are movements or territories, not a state's voice.
_NOT_STATES = frozenset(("taliban", "hamas", "hezbollah", "plo", "gaza", "west bank"))
_BODY_LABELS = frozenset(("ORG", "GPE", "NORP", "FAC"))


def state_named(name: str) -> str | None:
    """``state:<ISO3>`` for a name that is a country, its capital or seat alone ('the Kremlin'), or a
    country word and a body of government ('Russian Foreign Ministry'); else None."""
    words = _words(name)
    if not words:
        return None
    whole = " ".join(words)
    if whole in _NOT_STATES:
        return None
    if _is_state(whole):
        return f"state:{COUNTRY_CODES[whole]}"
    if words[-1] in GOVERNMENT_BODIES:
        return _leading_state(words[:-1])
    return None


def state_of_title(title: str) -> str | None:
    """``state:<ISO3>`` for a title naming a country and an acting office ('Russian President')."""
    words = _words(title)
    if not _acting(words):
        return None
    return _leading_state(words, anywhere=True)


def principals(analysis: Analysis, emap: Mapping[tuple[str, str], str], article_id: str
               ) -> dict[str, frozenset[str]]:
    """Entity ID -> what it acts for by this article's text (keys as in the module docstring)."""
    bodies: dict[str, str] = {}  # a body's name as written, folded -> its entity
    found: dict[str, set[str]] = {}
    for m in analysis.mentions:
        entity = emap.get((article_id, m.entity_key))
        if entity is None or m.kind == "pronoun":
            continue
        if m.label in _BODY_LABELS and m.kind == "name":
            bodies.setdefault(" ".join(_words(m.text)), entity)
            if (state := state_named(m.text)) is not None:
                found.setdefault(entity, set()).add(state)
    for m in analysis.mentions:
        entity = emap.get((article_id, m.entity_key))
        if entity is None or m.label != "PERSON":
            continue
        for title in m.titles:
            found.setdefault(entity, set()).update(_title_principals(title, bodies, found))
    return {e: frozenset(keys - {e}) for e, keys in found.items() if keys - {e}}


class _Actor(Protocol):
    """What :func:`acts_for` reads of a statement (a protocol, not ``Statement`` itself: statements.py
    imports this module to fill ``actor_for``, and the layers test counts typing imports as ties)."""

    @property
    def entity(self) -> str | None: ...

    @property
    def actor_for(self) -> frozenset[str]: ...


def acts_for(x: _Actor, y: _Actor) -> bool:
    """Whether two statements' actors are two entities of one actor: one acts for the other, or both
    act for one state or body (what each acts for: ``Statement.actor_for``)."""
    if x.entity is None or y.entity is None or x.entity == y.entity:
        return False
    return bool((x.actor_for | {x.entity}) & (y.actor_for | {y.entity}))


def _title_principals(title: str, bodies: Mapping[str, str], found: Mapping[str, set[str]]) -> set[str]:
    """What a person's title says they act for: the state and the article's bodies it names."""
    words = _words(title)
    if not _acting(words):
        return set()
    out = {s} if (s := state_of_title(title)) is not None else set()
    named = " ".join(w for w in words if w not in ACTING_ROLES)
    for name, entity in bodies.items():
        if name and f" {name} " in f" {named} ":
            out.add(entity)
            out |= found.get(entity, set())
    return out


def _acting(words: list[str]) -> bool:
    """Whether a title's words hold an acting office and nothing saying its holder no longer acts."""
    return bool(ACTING_ROLES & set(words)) and not _NOT_ACTING & set(words)


def _leading_state(words: list[str], anywhere: bool = False) -> str | None:
    """The state the first words name ('russian' of 'russian defence'), or with ``anywhere`` any run
    of the words ('u.s. assistant secretary' -> the United States)."""
    starts = range(len(words)) if anywhere else range(1)
    for i in starts:
        for n in range(len(words) - i, 0, -1):
            name = " ".join(words[i:i + n])
            if _is_state(name):
                return f"state:{COUNTRY_CODES[name]}"
    return None


def _is_state(name: str) -> bool:
    """Whether a folded name is a state's in the gazetteer (not an international body: the gazetteer
    gives every one of those the one code 'IGO', and NATO does not act for the UN)."""
    return COUNTRY_CODES.get(name, "IGO") != "IGO" and name not in _NOT_STATES


def _words(text: str) -> list[str]:
    """A name's words as the gazetteer spells them: case-folded, no possessive or leading 'the'."""
    words = [w.strip(",;:'\"()").casefold() for w in text.replace("’", "'").split()]
    words = [w[:-2] if w.endswith("'s") else w for w in words if w]
    if words and words[0] == "the":
        words = words[1:]
    return [w for w in words if w]


