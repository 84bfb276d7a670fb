"""Untyped events: what a clause states when no PLOVER word names its act.

The typed events of :mod:`~newsfuse.analyze.events.extract` come from word lists of political acts;
a news sentence also states facts those lists do not type ('Mr. Sestak could not serve on the
board', 'the ad, paid for by Secure America Now', 'the offer was made by Rahm Emanuel', 'a review
of applications'). Two outlets stating one such fact corroborate each other only if both sides hold
a statement, so the analysis keeps these acts too, as events of type '' (no category is guessed):

* a **verb** heading a clause, unless it is a speech verb (the quote is the statement), a verb
  ECB+ train never marks as an event ('be', 'include', 'seem': the learned ``non_event_verbs``), a
  light verb whose object names the event, or a frame whose complement is the act ('plans to', 'tried
  to'): the complement is found on its own;
* a **noun** that ECB+ train marks as an event at least half the time it is written (the learned
  ``nouns``: 'decision', 'offer', 'review', 'election'), when its clause says who: a possessor, a
  by-agent, an of-phrase, a national adjective ('Biden's decision', 'a review of applications',
  'the Russian offer'), or a light verb whose object or passive subject it is ('made an offer', 'the
  offer was made by X'; the verb's clause then holds the actors and the mode).

Words a typed event already stands on are left to it. An untyped event needs an actor, or a noun
its clause is about ('could not serve on the board'); its confidence is
``defaults.EVENT_CONF_UNTYPED``. Claims read them as weak statements: a fact only when another
outlet states it too (:mod:`newsfuse.fuse.claims.statements`). The word lists are learned by
``bench/train_nominal.py`` from ECB+ train only.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from importlib import resources

from newsfuse import defaults
from newsfuse.analyze.events import extract, plover
from newsfuse.analyze.parse import ParsedDoc, Tok
from newsfuse.errors import ConfigError
from newsfuse.models import Amount, Event, Mention, TimeExpr

UNTYPED = ""  # the type of an event no category names
# Verbs that head a clause in grammar only: their subject and complement carry the act.
_GRAMMAR_VERBS = frozenset({"be", "have", "do", "get", "become", "remain", "go", "come", "let", "make"})
# Heads whose to-complement is the act ('decided to allow', 'went on to win').
_FRAMES = (extract.POSSIBLE_FRAMES | extract.PLANNED_FRAMES | extract.NOT_DONE_FRAMES
           | frozenset({"decide", "continue", "begin", "start", "need", "have", "go", "use", "help"}))
_CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "conj", "relcl", "acl", "pcomp", "parataxis"})
_NOUN_ARGUMENT_DEPS = frozenset({"poss", "agent"})
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i", "you", "who", "which", "that", "this"})


@functools.cache
def words() -> tuple[frozenset[str], frozenset[str]]:
    """(event nouns, non-event verbs) learned from ECB+ train (newsfuse/data/nominal/words.json)."""
    try:
        text = resources.files("newsfuse").joinpath("data/nominal/words.json").read_text("utf-8")
        data = json.loads(text)
    except (OSError, ValueError) as exc:
        raise ConfigError(f"cannot read newsfuse/data/nominal/words.json ({exc}): reinstall newsfuse, "
                          "or rebuild it with bench/train_nominal.py") from exc
    return frozenset(data["nouns"]), frozenset(data["non_event_verbs"])


def find_untyped(
    doc: ParsedDoc,
    article_id: str,
    mentions: Sequence[Mention],
    times: Sequence[TimeExpr],
    amounts: Sequence[Amount],
    typed: Sequence[Event],
) -> list[Event]:
    """Untyped events of one parsed article (none on a word a ``typed`` event stands on), sorted by
    trigger position."""
    taken = _taken(doc, typed)
    out = []
    for tok in doc.tokens:
        if tok.i in taken:
            continue
        anchor = _verb_anchor(doc, tok) if tok.pos == "VERB" else _noun_anchor(doc, tok, taken)
        if anchor is None or (anchor in taken and anchor != tok.i):
            continue
        event = extract.untyped_event(doc, article_id, tok.i, anchor, defaults.EVENT_CONF_UNTYPED,
                                      mentions, times, amounts)
        named = any(x and x.casefold() not in _PRONOUNS for x in (event.source, event.target))
        if not (named or _names_something(doc, anchor)):
            continue  # 'it continued': nothing another outlet could check
        out.append(event)
    return out


def _taken(doc: ParsedDoc, typed: Sequence[Event]) -> set[int]:
    """Tokens a typed event stands on: its trigger and the light verb that carries a typed noun."""
    out: set[int] = set()
    for e in typed:
        i = doc.token_at(e.trigger_start)
        if i is None:
            continue
        out.add(i)
        tok = doc.tokens[i]
        if tok.pos == "NOUN" and tok.dep in ("dobj", "attr", "nsubjpass") and tok.head != i:
            out.add(tok.head)
    return out


def _verb_anchor(doc: ParsedDoc, tok: Tok) -> int | None:
    """The verb itself when it heads a clause stating an act of its own, else None."""
    lemma = tok.lemma.lower()
    if tok.dep not in _CLAUSE_DEPS or not lemma.isalpha() or tok.tag == "MD":
        return None
    if lemma in extract.SPEECH_VERBS or lemma in extract.HEARSAY_VERBS or lemma in _GRAMMAR_VERBS:
        return None
    if lemma in words()[1]:
        return None
    if lemma in _FRAMES and any(doc.tokens[k].dep == "xcomp" for k in doc.children(tok.i)):
        return None  # 'tried to win': the win is the act
    nouns = words()[0]
    if lemma in plover.LIGHT_VERBS and any(
        doc.tokens[k].dep in ("dobj", "nsubjpass") and doc.tokens[k].lemma.lower() in nouns
        for k in doc.children(tok.i)
    ):
        return None  # 'made an offer': the noun names the act
    return tok.i


def _noun_anchor(doc: ParsedDoc, tok: Tok, taken: set[int]) -> int | None:
    """Where an event noun's clause is: the light verb governing it, else the noun when it names
    who or what; None for a noun that is no (untyped) event here."""
    if tok.pos != "NOUN" or tok.ent_type or tok.lemma.lower() not in words()[0]:
        return None
    head = doc.tokens[tok.head]
    light = head.pos == "VERB" and head.lemma.lower() in (plover.LIGHT_VERBS | _GRAMMAR_VERBS)
    if tok.dep in ("dobj", "nsubjpass") and light and head.i not in taken:
        return head.i  # 'made an offer', 'the offer was made by X'
    if tok.dep in ("dobj", "attr") and head.pos == "VERB":
        return None  # the object of a verb of its own ('criticized the decision'): that verb's event
    for k in doc.children(tok.i):
        t = doc.tokens[k]
        national = t.dep in ("amod", "compound") and t.ent_type in ("NORP", "GPE", "ORG")
        if t.dep in _NOUN_ARGUMENT_DEPS or national:
            return tok.i
        if t.dep == "prep" and t.text.lower() in ("by", "of") and _child_pobj(doc, k) is not None:
            return tok.i
    return None


def _child_pobj(doc: ParsedDoc, prep: int) -> int | None:
    return next((k for k in doc.children(prep) if doc.tokens[k].dep == "pobj"), None)


def _names_something(doc: ParsedDoc, anchor: int) -> bool:
    """Whether the clause at ``anchor`` names a thing acted on or a noun phrase subject: 'could not
    serve on the board' states a fact; 'it continued' states nothing checkable."""
    for k in doc.children(anchor):
        t = doc.tokens[k]
        if t.dep in ("nsubj", "nsubjpass", "dobj", "attr") and t.pos in ("NOUN", "PROPN"):
            return True
        if t.dep == "prep" and _child_pobj(doc, k) is not None:
            return True
    return False
