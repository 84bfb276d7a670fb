"""Headlines as story grouping and story titles read them: the headline itself without the outlet's
name that feeds append to it, and the names it holds.

Feeds write an outlet's name after the headline ('... identified - CBS News 8 - San Diego, CA News
Station', '... | Continuous News | Butte, Montana', '...: Times Argus Online'). Those words name
the outlet, not the story: two reports from one station would share them, and a story titled by
one would carry the station's name. :func:`core` drops them.

Headlines are not analysed (the analysis reads the article text), so a place named only in the
headline would never count for grouping. :func:`name_runs` finds names by rule: a capitalised
word the article never writes in lower case is (part of) a name ('Shooting at Kokomo bar': kokomo;
in a title-case headline 'Man Shot In Stockton', shot is written in lower case in the text, Stockton
is not); a run of such words after a place preposition ('in', 'at', 'near', ...) is a place.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# A feed's tail: ' | anything', or ' - X' / ' – X' / ': X' where X holds no lower-case word.
_BAR = re.compile(r"\s+\|\s+")
_DASHED = re.compile(r"\s+[-–—]\s+|:\s+")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_SMALL = frozenset(("of", "and", "the", "for", "in", "on", "at", "&"))  # allowed inside an outlet's name
# Prepositions after which a run of names in a headline is a place.
PLACE_PREPOSITIONS = frozenset(("in", "at", "near", "outside", "inside", "from", "across", "into", "of"))


def core(title: str) -> str:
    """The headline without the outlet name a feed appended (see module doc); whitespace folded.
    A headline that is nothing but such parts is kept whole."""
    text = " ".join(title.split())
    head = _BAR.split(text, 1)[0].strip() or text
    while True:
        cuts = list(_DASHED.finditer(head))
        if not cuts:
            return head.rstrip(" -–—:|") or head
        last = cuts[-1]
        tail = head[last.end():]
        if not tail or not _outlet_like(tail) or not head[: last.start()].strip():
            return head.rstrip(" -–—:|") or head
        head = head[: last.start()].rstrip()


def _outlet_like(part: str) -> bool:
    """Every word capitalised (or a small joining word), and short: a name, not a clause."""
    words = _WORD.findall(part)
    if not words or len(words) > 8:
        return False
    return all(w[:1].isupper() or w.casefold() in _SMALL for w in words)


def name_runs(
    title: str, lowered: set[str], known: set[str], normal: Callable[[str], str]
) -> list[tuple[bool, list[str]]]:
    """Runs of name words in the headline's core: (after a place preposition, normalised words).
    ``lowered``: the words the article writes in lower case; ``known``: the name words the
    analysis found in the text (the headline's first word, capitalised anyway, counts only when it
    is one); ``normal``: the normalisation of words (returns '' for words that never count)."""
    runs: list[tuple[bool, list[str]]] = []
    current: list[str] = []
    place = after_preposition = False
    for i, token in enumerate(_WORD.findall(core(title))):
        word = normal(token)
        if word and token[:1].isupper() and word not in lowered and (i > 0 or word in known):
            if not current:
                place = after_preposition
            current.append(word)
        else:
            if current:
                runs.append((place, current))
            current = []
        after_preposition = token.casefold() in PLACE_PREPOSITIONS
    if current:
        runs.append((place, current))
    return runs
