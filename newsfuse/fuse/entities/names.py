"""Names and mention groups: the folding of names for comparison (:func:`normalise`, aliases such
as U.S. / United States), type classes, and the per-article groups (:class:`NameGroup`) and
clusters (:class:`Cluster`) that cross-article resolution works on.

Kept apart as the vocabulary every other entity module reads (the linking rules, labels, the
store cache); :mod:`newsfuse.fuse.entities.resolve` re-exports its public names.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from newsfuse.models import Analysis, Mention

# Abbreviations news uses for the same state or body; values are normalised full names.
ALIASES = {
    "us": "united states",
    "usa": "united states",
    "united states of america": "united states",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "un": "united nations",
    "eu": "european union",
    "dprk": "north korea",
    "democratic people's republic of korea": "north korea",
    "russian federation": "russia",
}

# Type classes: organisations, places and facilities share a class because taggers confuse them
# ('the White House' is tagged ORG or FAC); people and nationalities stay apart.
_CLASS = {"PERSON": "PERSON", "NORP": "NORP", "ORG": "ORG", "GPE": "ORG", "LOC": "ORG", "FAC": "ORG"}
_LABEL_ORDER = ("PERSON", "ORG", "GPE", "LOC", "FAC", "NORP")


def label_class(label: str) -> str:
    return _CLASS.get(label, label)


@functools.lru_cache(maxsize=1 << 16)  # a story's clustering asks for the same few names millions of times
def normalise(name: str) -> str:
    """Fold a name for comparison: 'the U.S.' -> 'united states', 'Zelenskyy’s' -> 'zelenskyy'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").casefold().strip()
    text = re.sub(r"'s?$", "", text)
    text = re.sub(r"(?<=\b\w)\.", "", text)  # dots of initials and acronyms: u.s. -> us
    text = re.sub(r"[^\w'&]+", " ", text).strip(" '")
    text = re.sub(r"^the ", "", text)
    return ALIASES.get(text, text)


@dataclass
class NameGroup:
    """The mentions of one actor in one article (a working set, not a stored record)."""

    article_id: str
    key: str
    label: str
    count: int = 0
    names: Counter[str] = field(default_factory=Counter)  # surface forms of name mentions
    titles: set[str] = field(default_factory=set)
    pronoun_only: bool = True
    head: str = ""  # lemma of the head word when the parse gives one; else the last word of the key
    positions: list[int] = field(default_factory=list)  # mention offsets in the article, for pronouns

    @functools.cached_property
    def norm(self) -> str:
        """The key folded (:func:`normalise`): the pairwise rules read it very often, and a group is
        kept across fuses with its analysis (its key never changes), so it is folded once."""
        return normalise(self.key)

    @functools.cached_property
    def signature(self) -> tuple[str, str, frozenset[str], str, bool, bool, bool]:
        """What the linking rules read of a group besides its article, mention count and offsets
        (two groups alike in it are twins: fuse/entities/grow.py); made once, like :attr:`norm`."""
        return (self.key, self.label, frozenset(self.titles), self.head_word, self.nominal, self.acronym,
                bool(self.names))

    @property
    def head_word(self) -> str:
        words = self.words
        return self.head.casefold() if self.head else (words[-1] if words else "")

    @property
    def nominal(self) -> bool:
        """A description without a name ('the actress'): only title or common-noun mentions."""
        return not self.names and not self.pronoun_only

    @property
    def acronym(self) -> bool:
        """Written only as one upper-case word ('ATACMS', 'NATO'): the shape of a body or a product,
        almost never of a person's name in running text."""
        forms = list(self.names) or [self.key]
        return all(len(f) > 1 and f.isalpha() and f.isupper() for f in forms)

    @property
    def words(self) -> list[str]:
        return _words(self.key)


@functools.lru_cache(maxsize=1 << 16)
def _word_tuple(key: str) -> tuple[str, ...]:
    return tuple(normalise(key).split())


def _words(key: str) -> list[str]:
    return list(_word_tuple(key))  # a fresh list: callers may keep or change it


@dataclass
class Cluster:
    """Groups resolved to one actor, with the rules that joined them."""

    groups: list[NameGroup]
    evidence: set[str] = field(default_factory=set)


Derived = Callable[[Analysis, str, Callable[[], Any]], Any]  # (analysis, what, build) -> kept or built


def mention_groups(analyses: Iterable[Analysis], derived: Derived | None = None) -> list[NameGroup]:
    """One group per (article, entity_key), in article order then first mention.

    A group holds one article's mentions, so a story's groups are each analysis's groups one after
    another: with ``derived`` (``fuse/analyses.py``: kept beside each analysis while the stored
    analysis is unchanged) a story re-fused after one new article groups only that article's
    mentions. Nothing changes a group once made."""
    analyses = list(analyses)
    if derived is None or len({a.article_id for a in analyses}) != len(analyses):
        return _groups_of(analyses)  # (an article twice: its groups gather both)
    out: list[NameGroup] = []
    for analysis in analyses:
        own = derived(analysis, "mention_groups", functools.partial(_own_groups, analysis))
        if own is None:
            return _groups_of(analyses)
        out += own
    return out


def _own_groups(analysis: Analysis) -> list[NameGroup] | None:
    """One analysis's groups; None when it holds mentions of another article's ID (hand-made
    analyses): those are grouped with the other analyses' every time."""
    if any(m.article_id != analysis.article_id for m in analysis.mentions):
        return None
    return _groups_of([analysis])


def _groups_of(analyses: Iterable[Analysis]) -> list[NameGroup]:
    groups: dict[tuple[str, str], NameGroup] = {}
    labels: dict[tuple[str, str], Counter[str]] = {}
    for analysis in analyses:
        for m in analysis.mentions:
            gk = (m.article_id, m.entity_key)
            g = groups.setdefault(gk, NameGroup(m.article_id, m.entity_key, m.label))
            labels.setdefault(gk, Counter())[m.label] += 1
            _add_mention(g, m)
    for gk, g in groups.items():
        g.label = _majority_label(labels[gk])
    return list(groups.values())


def _add_mention(g: NameGroup, m: Mention) -> None:
    g.count += 1
    g.positions.append(m.start)
    if m.kind != "pronoun":
        g.pronoun_only = False
    if m.kind in ("name", "partial"):
        g.names[m.text] += 1
    g.titles.update(t for t in m.titles if t)
    prefix = _title_prefix(m.text, m.entity_key)
    if prefix:
        g.titles.add(prefix)


@functools.lru_cache(maxsize=1 << 16)  # a story re-fused after one new article asks again for the rest
def _title_prefix(text: str, key: str) -> str:
    """'French President' from the mention 'French President Emmanuel' of key 'Emmanuel'."""
    first = key.split()[0] if key.split() else ""
    word = re.search(rf"(?<!\w){re.escape(first)}(?!\w)", text) if first else None
    at = word.start() if word else -1  # a whole word: 'Al' of 'Alabama Senator Al Franken' is the third
    prefix = text[:at].strip(" ,") if at > 0 else ""
    # 'The' of 'The interior minister' (a sentence's first word) is no title
    return prefix if prefix[:1].isupper() and prefix.casefold() not in ("the", "a", "an") else ""


def _majority_label(labels: Counter[str]) -> str:
    best = max(labels.values())
    tied = [lab for lab, n in labels.items() if n == best]
    return min(tied, key=lambda lab: (_LABEL_ORDER.index(lab) if lab in _LABEL_ORDER else 99, lab))
