"""The gate for statements of events the analysis only guessed (``Statement.guessed``).

With ``defaults.CLAIM_EVENT_FLOOR`` below the codebook's confidence, the codebook's guesses (its word
in a sentence where the hand lexicon names none: 'use' in 'allowed to use American weapons') and
generic verbs with no actor become statements. They are weak (a claim only when another outlet tells
them too), and a weak verb told in two articles' sentences is often two facts of one kind: on the seeds
Ukraine's 'use' of SCALP missiles against Russian targets (Macron's remark) joined Ukraine's 'strike'
on Russian targets (Zelensky's demand), one type (ASSAULT) of two words, and with them the two facts.
So a join such a statement carries across two articles must pass ``defaults.CLAIM_GUESSED_JOIN``:
``any`` (no gate), ``none`` (no join across articles: a guess is in a claim only through its own
sentence's facts), or what the pair needs, joined by '+':

* ``sure``: one of the two is an event the analysis is sure of (two guesses never make one claim);
* ``word``: one trigger word (its forms or synonym set: ``words.trigger_forms``): a guess's PLOVER type
  is a guess too, so one type of two words says nothing ('use' and 'strike' both ASSAULT);
* ``parties``: the same actor and the same target, both resolved.

Read by the word-level alignment (a statement joining a group, :mod:`~newsfuse.fuse.claims.align`)
and by the meaning pass's and chain join's statement pairs (``meaning._compatible``; the chain join's
sentence classes, ``firstjoin._fields``, hold what it reads).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from newsfuse import defaults
from newsfuse.fuse.claims.statements import Statement
from newsfuse.fuse.claims.words import trigger_forms


def one_claim(x: Statement, y: Statement) -> bool:
    """Whether two statements of two articles may state one claim as far as guesses go."""
    if not (x.guessed or y.guessed):
        return True
    mode = defaults.CLAIM_GUESSED_JOIN
    if mode in ("any", "none"):
        return mode == "any"
    return all(_TESTS[need](x, y) for need in mode.split("+"))


def _sure(x: Statement, y: Statement) -> bool:
    return not (x.guessed and y.guessed)


def _word(x: Statement, y: Statement) -> bool:
    return bool(trigger_forms(x.trigger) & trigger_forms(y.trigger))


def _parties(x: Statement, y: Statement) -> bool:
    return x.entity is not None and x.entity == y.entity and x.target is not None and x.target == y.target


_TESTS: dict[str, Callable[[Statement, Statement], bool]] = {
    "sure": _sure, "word": _word, "parties": _parties}


def joins_group(s: Statement, members: Iterable[tuple[Statement, str, str | None]]) -> bool:
    """Whether ``s`` may join a group of ``members``: a group of its own article's statements only, or
    one holding another article's statement the pair passes :func:`one_claim` with (a sure statement
    joining a group of sure ones returns at its first member of another article)."""
    if defaults.CLAIM_GUESSED_JOIN == "any" or defaults.CLAIM_EVENT_FLOOR >= defaults.CLAIM_EVENT_GUESS:
        return True  # no gate, or no statement guessed: nothing to read
    other = False
    for m, _, _ in members:
        if m.article.id == s.article.id:
            continue
        if one_claim(s, m):
            return True
        other = True
    return not other
