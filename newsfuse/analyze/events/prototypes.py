"""How close a word sits to each PLOVER category's CAMEO code descriptions: zero-shot prior knowledge.

The codebook table (:mod:`.codebook`) only knows words that a CAMEO description spells out, or whose
closest *description word* does ('kidnap' -> 'abduct'). Many words of the news name an act that no
description spells ('condemn', 'invasion', 'evacuate'). This table compares each word with the
*descriptions themselves* in the sentence encoder's space (all-MiniLM-L6-v2): per PLOVER category the
highest cosine between the word and any description of a code that maps to it ('to condemn' ->
'Criticize or denounce', DISAPPROVE). Descriptions that wrap another act ('Threaten to boycott',
'Demand release of persons') are left out, except the plain one of their root ('Threaten'), so a
boycott stays a protest and not a threat.

The table is built once at training time (``bench/train_events.py --prototypes``) over the verbs and
nouns of news text no event record is in (CoNLL-2003 train and PolNeAR train texts: about 7,400
words), verbs also with their particle ('blow up', 'force out': :func:`phrasal_key`), and shipped as
``newsfuse/data/events/prototypes.json``: per word its closest categories and cosines. At analysis
time it is a dictionary look-up (no encoder is loaded). No PLOVER record was in view: which categories
a word is close to comes from the CAMEO codebook alone; how much to trust that closeness is learned by
the type model (:mod:`.typemodel`) on its training folds.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from newsfuse.analyze.events import cameo, codebook, plover
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.errors import AnalysisError

TABLE_PATH = Path(__file__).resolve().parents[2] / "data" / "events" / "prototypes.json"

# categories kept per word, closest first
KEEP = 3
# cosine steps at which a word's closest category becomes a feature ('pr1@0.5=ASSAULT')
STEPS = (0.4, 0.5, 0.6, 0.7)
# the two forms in which a word is encoded and averaged: alone, and as an act ('to condemn')
FORMS = ("{}", "to {}")

Entry = tuple[tuple[str, float], ...]  # (category, cosine), closest first


def descriptions() -> list[tuple[str, str]]:
    """(PLOVER category, description) of every code that names an act of its own: the codes of
    roots that wrap another act (codebook.WRAPPER_ROOTS) only by their plain base code ('130')."""
    out = []
    for code, (text, _goldstein) in cameo.event_codes().items():
        if code[:2] in codebook.SKIPPED_ROOTS or len(code) < 3:
            continue
        if code[:2] in codebook.WRAPPER_ROOTS and code != code[:2] + "0":
            continue
        out.append((plover.plover_type(code), text.lower()))
    return out


@cache
def table() -> dict[str, Entry]:
    """Word -> its closest categories with their cosines, from the shipped table ({} without one)."""
    if not TABLE_PATH.exists():
        return {}
    try:
        data = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
        return {
            str(word): tuple((str(c), float(s)) for c, s in pairs)
            for word, pairs in dict(data["words"]).items()
        }
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AnalysisError(
            f"{TABLE_PATH}: unreadable prototype table ({exc}); rebuild it with "
            "python bench/train_events.py --prototypes ../shared/bench/conll2003/eng.train"
        ) from exc


def phrasal_key(doc: ParsedDoc, i: int) -> str:
    """The table's key of a verb: its lemma, with its particle when it has one ('blow up', 'force
    out'): the particle makes another act, so the pair has its own row."""
    lemma = doc.tokens[i].lemma.lower()
    prt = next((doc.tokens[k].text.lower() for k in doc.children(i) if doc.tokens[k].dep == "prt"), None)
    return f"{lemma} {prt}" if prt and prt.isalpha() else lemma


def closest(lemma: str) -> Entry:
    """The word's closest categories with cosines (empty when the table does not know it)."""
    return table().get(lemma, ())


def features(lemma: str, prefix: str) -> list[str]:
    """The word's closest categories as features: 'PREFIX1=C' (closest), 'PREFIX1@0.5=C' (and at
    least that close), 'PREFIX2=C' (second closest)."""
    entry = closest(lemma)
    if not entry:
        return []
    (first, cosine), out = entry[0], [f"{prefix}1={entry[0][0]}"]
    out += [f"{prefix}1@{step}={first}" for step in STEPS if cosine >= step]
    if len(entry) > 1:
        out.append(f"{prefix}2={entry[1][0]}")
    return out


def word_type(lemma: str, near: float) -> tuple[str, bool] | None:
    """(closest category, generic) of a word at least ``near`` to it, else None: the last guess of
    the trigger rules in a sentence no word list names a word of (always generic: a guess)."""
    entry = closest(lemma)
    return (entry[0][0], True) if entry and entry[0][1] >= near else None
