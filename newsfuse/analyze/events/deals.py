"""Business transactions as events: who buys which company ('Solvik agreed to buy Quillpay',
'Solvik's acquisition of Quillpay', 'the takeover of Quillpay by Solvik', 'Solvik will acquire
Quillpay').

A buying verb or noun (:data:`plover.DEAL_VERBS`, :data:`plover.DEAL_NOUNS`) is a deal only when
the thing bought is named: a company, not 'bread' or 'time'. The buyer of a verb is its subject
(found by :mod:`newsfuse.analyze.events.extract`, which knows control verbs and reported speech); the
buyer of a noun is its possessor or by-agent, the bought company its of-object or a name
compounded into it ('Solvik's Quillpay takeover').
"""

from __future__ import annotations

from newsfuse.analyze.events import plover
from newsfuse.analyze.parse import ParsedDoc, Tok

# Entity types a bought company may carry: the small model often tags a start-up's name as a place
# or a person ('Quillpay' as GPE); a number, date or money is never bought as a company.
_NAMED_TYPES = frozenset({"ORG", "GPE", "PERSON", "PRODUCT", "FAC", "LOC", "NORP", ""})


def is_deal_word(tok: Tok) -> bool:
    """A verb or noun naming a purchase ('buy', 'acquisition'); its arguments decide the rest."""
    lemma = tok.lemma.casefold()
    if tok.pos == "VERB":
        return lemma in plover.DEAL_VERBS
    return tok.pos == "NOUN" and lemma in plover.DEAL_NOUNS


def bought(doc: ParsedDoc, i: int) -> int | None:
    """Head token of the named company bought by the deal word at ``i``, or None."""
    tok = doc.tokens[i]
    if tok.pos == "VERB":
        objects = [k for k in doc.children(i) if doc.tokens[k].dep == "dobj"]
        # 'buy the payments start-up Quillpay' parses as two objects: the named one is the company
        return next((k for k in objects if _named(doc, k)), None)
    of_object = _of_object(doc, i)
    if of_object is not None:
        return of_object if _named(doc, of_object) else None
    compounds = [k for k in doc.children(i) if doc.tokens[k].dep == "compound" and _named(doc, k)]
    return compounds[-1] if compounds and noun_buyer(doc, i) is not None else None


def noun_buyer(doc: ParsedDoc, i: int) -> int | None:
    """The buyer named with a deal noun: 'Solvik's acquisition', 'the takeover by Solvik'."""
    for k in doc.children(i):
        if doc.tokens[k].dep == "poss" and doc.tokens[k].pos != "PRON":
            return k
    return _prep_object(doc, i, "by")


def _of_object(doc: ParsedDoc, i: int) -> int | None:
    return _prep_object(doc, i, "of")


def _prep_object(doc: ParsedDoc, i: int, word: str) -> int | None:
    for k in doc.children(i):
        prep = doc.tokens[k]
        if prep.dep in ("prep", "agent") and prep.text.casefold() == word:
            return next((j for j in doc.children(k) if doc.tokens[j].dep == "pobj"), None)
    return None


def _named(doc: ParsedDoc, k: int) -> bool:
    """A proper name (or a phrase headed by one): what a company bought is called."""
    tok = doc.tokens[k]
    return tok.pos == "PROPN" and tok.ent_type in _NAMED_TYPES
