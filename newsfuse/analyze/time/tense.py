"""The tense of the clause holding a token: 'past', 'present' or 'future', read from the parse.

Used by :func:`newsfuse.analyze.time.extract.find_times` to pick the direction of an undated weekday or
month; kept apart since it looks only at verbs and auxiliaries, not at dates.
"""

from __future__ import annotations

from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.time.values import Tense

_FUTURE_AUX = {"will", "shall", "'ll", "wo"}
# Verbs whose present form looks forward: 'plans to', 'is expected to', 'is scheduled to'.
_FUTURE_LEMMAS = {"plan", "expect", "schedule", "due", "intend", "aim", "prepare", "set", "hope", "vow",
                  "promise", "pledge", "threaten", "propose"}
_CLIMB = {"VB", "VBG", "VBN"}  # non-finite verbs: the tense sits on the verb above them


def clause_tense(doc: ParsedDoc, i: int) -> Tense:
    """'past', 'future' or 'present' for token ``i``, from the first finite verb above it."""
    for j in (i, *doc.ancestors(i)):
        tok = doc.tokens[j]
        if tok.pos not in ("VERB", "AUX"):
            continue
        aux = [doc.tokens[k] for k in doc.children(j) if doc.tokens[k].dep in ("aux", "auxpass")]
        words = {a.text.lower() for a in aux}
        if words & _FUTURE_AUX:
            return "future"
        if any(a.tag == "VBD" for a in aux) or tok.tag == "VBD":
            return "past"
        if tok.lemma in _FUTURE_LEMMAS and tok.tag in ("VBZ", "VBP", "VBN", "VBG"):
            return "future"
        if tok.tag == "VBN" and any(a.lemma == "have" for a in aux):
            return "past"
        if words & {"would", "could", "might", "may", "should"}:
            return "present"
        if tok.tag in ("VBZ", "VBP") or any(a.tag in ("VBZ", "VBP") for a in aux):
            return "present"
        if tok.tag not in _CLIMB:
            return "present"
    return "present"
