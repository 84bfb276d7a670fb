"""Event categories by word, read from the CAMEO codebook alone: prior knowledge no news record shaped.

The trigger lexicon of :mod:`.plover` was written with the PLOVER gold-standard records in view, so
a score on those records flatters it. This table comes from the CAMEO event codebook list shipped
in ``newsfuse/data/cameo/event_codes.tsv`` (one short description per code: 'Impose embargo,
boycott or sanctions', 'Threaten with military force') and the CAMEO -> PLOVER map
(:func:`.plover.plover_type`): each description is parsed once and its words vote for the PLOVER
category of its code:

* *head* words: the description's main verb ('impose', 'threaten', 'demand');
* *object* words: the other content words, mostly the act the main verb governs ('embargo',
  'boycott', 'sanction', 'force').

* *neighbours*: for a verb or noun of other news text (CoNLL-2003 train) that no description
  names, the closest description word by the sentence encoder's cosine of the two words alone
  ('kidnap' -> 'abduct'), kept from 0.5 on (``bench/train_events.py --codebook`` builds them).

Root 01 (make a public statement) has no PLOVER 0.5 category and is left out. The votes are
counted over all codes, so a word used in many categories ('provide', 'aid') shows as spread and
one used in one ('threaten') as pure. The table is built by :func:`build` (which parses with spaCy,
once) and shipped as ``newsfuse/data/events/codebook.json``; :func:`table` reads it at run time.

The learned type model (:mod:`.typemodel`) reads the table's votes as features, and
:func:`verb_type` / :func:`noun_type` let the trigger rules find events with it instead of the hand
lexicon, which is how the bench measures what the hand lexicon adds on records it was written on.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from newsfuse import defaults
from newsfuse.analyze.events import cameo, plover
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.errors import AnalysisError

TABLE_PATH = Path(__file__).resolve().parents[2] / "data" / "events" / "codebook.json"

# CAMEO roots with no PLOVER 0.5 category of their own (01: make a public statement)
SKIPPED_ROOTS = frozenset({"01"})
# CAMEO roots whose codes wrap another act ('Threaten to boycott', 'Express intent to provide aid',
# 'Demand release', 'Reject mediation'): their main verb votes for the root's category, but the
# wrapped act's words do not (a boycott is not a threat; the mode rules read the wrapping)
WRAPPER_ROOTS = frozenset({"02", "03", "10", "12", "13"})
CONTENT_POS = frozenset({"VERB", "NOUN", "PROPN", "ADJ"})

Votes = dict[str, dict[str, int]]  # lemma -> {category: codes voting}
# cosines from which a neighbour's category is a feature ('cbn0.6=ASSAULT'): the model weighs each
NEAR_STEPS = (0.5, 0.6, 0.7, 0.8)


def descriptions() -> list[tuple[str, str, bool]]:
    """(PLOVER category, lower-cased description, wraps another act?) of every CAMEO code that has
    a category."""
    out = []
    for code, (text, _goldstein) in cameo.event_codes().items():
        if code[:2] in SKIPPED_ROOTS or len(code) < 3:
            continue  # a 2-digit root repeats its base code's description in capitals
        out.append((plover.plover_type(code), text.lower(), code[:2] in WRAPPER_ROOTS))
    return out


def votes(docs: Iterable[tuple[str, bool, ParsedDoc]]) -> tuple[Votes, Votes]:
    """(head votes, object votes) of parsed descriptions, each with its category and whether it
    wraps another act (then only its main verb votes)."""
    heads: dict[str, Counter[str]] = {}
    objects: dict[str, Counter[str]] = {}
    for category, wraps, doc in docs:
        root = next((t.i for t in doc.tokens if t.head == t.i), None)
        if root is None:
            continue
        heads.setdefault(doc.tokens[root].lemma.lower(), Counter())[category] += 1
        if wraps:
            continue
        for tok in doc.tokens:
            if tok.i != root and tok.pos in CONTENT_POS and tok.lemma.isalpha():
                objects.setdefault(tok.lemma.lower(), Counter())[category] += 1
    return _plain(heads), _plain(objects)


def _plain(counts: dict[str, Counter[str]]) -> Votes:
    return {lemma: dict(sorted(c.items())) for lemma, c in sorted(counts.items())}


def build() -> dict[str, object]:
    """The table, from the shipped codebook list (parses the descriptions with spaCy)."""
    from newsfuse.analyze import nlp

    rows = descriptions()
    docs = nlp.parse_many(text for _, text, _ in rows)
    heads, objects = votes((cat, wraps, doc) for (cat, _, wraps), doc in zip(rows, docs, strict=True))
    return {"source": cameo.CODES_FILE.name, "heads": heads, "objects": objects}


# word -> (category of the closest codebook word, cosine, that word, the word's usual part of speech)
Near = dict[str, tuple[str, float, str, str]]


@cache
def table() -> tuple[Votes, Votes, Near]:
    """(head votes, object votes, neighbours) from the shipped table."""
    try:
        data = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
        rows = dict(data.get("near", {})).items()
        near = {w: (str(v[0]), float(v[1]), str(v[2]), str(v[3])) for w, v in rows}
        return dict(data["heads"]), dict(data["objects"]), near
    except (OSError, ValueError, KeyError) as exc:
        raise AnalysisError(
            f"{TABLE_PATH}: unreadable CAMEO codebook table ({exc}); rebuild it with "
            "python bench/train_events.py --codebook"
        ) from exc


def top(counts: dict[str, int] | None) -> tuple[str, bool] | None:
    """(most voted category, pure?) of one word's votes; ties go to the first category by name."""
    if not counts:
        return None
    best = max(sorted(counts), key=lambda c: counts[c])
    return best, len(counts) == 1


def features(lemma: str, prefix: str) -> list[str]:
    """Votes of a word as features: 'PREFIXh=THREATEN' (head), 'PREFIXo=PROTEST' (object), with
    '!' when every vote is for that category."""
    heads, objects, near = table()
    out = []
    for kind, votes_ in (("h", heads), ("o", objects)):
        hit = top(votes_.get(lemma))
        if hit is not None:
            out.append(f"{prefix}{kind}={hit[0]}")
            if hit[1]:
                out.append(f"{prefix}{kind}!={hit[0]}")
    if lemma in near:
        category, cosine, _, _ = near[lemma]
        out += [f"{prefix}n{step}={category}" for step in NEAR_STEPS if cosine >= step]
    return out


def verb_type(lemma: str) -> tuple[str, bool] | None:
    """(category, generic?) of a verb by the codebook: its votes as a description's main verb, else
    those of the main verb closest to it ('kidnap' -> 'abduct'); generic unless its own votes agree
    and are enough (defaults.EVENT_CODEBOOK_SURE_VOTES). Words that only occur inside a description
    ('state' of emergency, 'speech') say what the act is about, not which act a verb names."""
    heads, _, near = table()
    hit = top(heads.get(lemma))
    if hit is not None:
        total = sum(heads[lemma].values())
        if heads[lemma][hit[0]] < defaults.EVENT_CODEBOOK_MAJORITY * total:
            return None  # 'engage' in protest, talks, combat: a frame verb naming no act of its own
        return hit[0], not (hit[1] and total >= defaults.EVENT_CODEBOOK_SURE_VOTES)
    category, cosine, neighbour, pos = near.get(lemma, ("", 0.0, "", ""))
    if pos == "VERB" and neighbour in heads and cosine >= defaults.EVENT_CODEBOOK_NEAR:
        return category, True
    return None


def noun_type(lemma: str) -> str | None:
    """Category of a noun by the codebook's object votes ('embargo', 'strike'), pure ones only: a
    noun voted for several categories ('aid', 'cooperation') names the thing, not the act."""
    hit = top(table()[1].get(lemma))
    return hit[0] if hit and hit[1] else None
