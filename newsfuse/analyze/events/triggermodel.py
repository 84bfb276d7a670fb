"""A learned choice of a sentence's main event: which of its candidate predicates the report is about.

A news sentence names several acts: 'Officials said on Monday that the army would withdraw after
talks' has a saying, a withdrawal and talks. Coders of PLOVER (and readers) take one of them as the
sentence's event. The rule of earlier sessions took the candidate highest in the dependency tree
(then the surest); on wording the hand lexicon has never seen, that picks a frame verb the codebook
happens to know ('called', 'warned') over the act it governs, or a noun guess over a verb.

Each candidate event is read as sparse binary features of its parse and of what the word lists say
of it: how it was found (hand lexicon, generic verb, event noun, CAMEO codebook, closest CAMEO
description) and how sure that was, its depth in the tree and its rank among the sentence's
candidates, the dependency path up to the root (is it under a reporting verb, an xcomp of a frame),
its part of speech and tense, whether it has a named subject and object, its mode, its coded
category, and its place among the candidates; what the grammar word lists say around it (a speech,
hearsay, frame or light verb, a noun a light verb carries, a negated or modal clause or a frame
above it, inside quotation marks, a speech verb before or after it: extract._context) and where
the tree rule ranks it. A logistic regression scores each candidate; the highest score is the main
event when it scores the model's margin above the tree rule's choice (chosen by inner CV with C:
a chooser that always overrules the tree loses records where it is unsure). The weights are
trained by ``bench/train_events.py`` (each candidate labelled by whether its coded category is the
record's gold one) and shipped as JSON (``newsfuse/data/events/triggermodel.json``): scoring is
dictionary look-ups. With no model file the tree rule decides (fallback). Only the PLOVER bench
takes one main event per sentence (extract.main_event): the analysis stores every event found.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from newsfuse.analyze.events import codebook, plover, prototypes
from newsfuse.analyze.events.modelfile import read_packaged
from newsfuse.analyze.parse import ParsedDoc

MODEL_PATH = Path(__file__).resolve().parents[2] / "data" / "events" / "triggermodel.json"

# the words whose complement is what they report: a candidate under one is the reported act
REPORTING = frozenset({
    "say", "state", "announce", "tell", "declare", "add", "insist", "argue", "stress", "write", "note",
    "report", "claim", "accuse", "warn", "urge", "call", "demand", "ask",
})
# links read along the path from a candidate up to the root
PATH_STEPS = 2
# confidence bins of how the candidate was found (kinds differ by their confidence in defaults)
CONFIDENCE_BINS = (0.3, 0.45, 0.5, 0.7, 0.9)
NAMED_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP"})


@dataclass(frozen=True, slots=True)
class Candidate:
    """What the chooser reads of one candidate event (built by :mod:`.extract`)."""

    tok: int  # the word naming the event
    anchor: int  # its clause's verb (a light verb for an event noun)
    kind: str  # how it was found: verb | generic | noun | demand | codebook-... | deal
    coded: str  # the category a PLOVER coder gives it (type and mode joined)
    mode: str
    confidence: float
    depth: int  # links from its clause up to the sentence root
    source: bool  # an actor was found for each slot
    target: bool
    context: tuple[str, ...] = ()  # what the grammar word lists say around it (extract._context)


def features(doc: ParsedDoc, cand: Candidate, others: Sequence[Candidate]) -> list[str]:
    """Sparse binary features of one candidate among the sentence's candidates (``others``
    includes it)."""
    tok, anchor = doc.tokens[cand.tok], doc.tokens[cand.anchor]
    depths = sorted({o.depth for o in others})
    rank = depths.index(cand.depth)
    order = sorted(o.tok for o in others).index(cand.tok)
    feats = [
        "bias", f"k={cand.kind}", f"c={cand.coded}", f"m={cand.mode}", f"d={min(cand.depth, 4)}",
        f"dr={min(rank, 2)}", f"dk={min(rank, 2)}|{cand.kind}", f"n={min(len(others), 4)}",
        f"first={order == 0}", f"last={order == len(others) - 1}",
        f"p={tok.pos}|{tok.tag}", f"ap={anchor.pos}|{anchor.tag}", f"ad={anchor.dep}",
        f"src={cand.source}", f"tgt={cand.target}", f"both={cand.source and cand.target}",
        f"ks={cand.kind}|{cand.source}",
    ]
    feats += [f"conf>={b}" for b in CONFIDENCE_BINS if cand.confidence >= b]
    feats += list(cand.context)
    feats += _order(cand, others)
    feats += _path(doc, cand.anchor)
    feats += _arguments(doc, cand.anchor)
    feats += _lists(tok.lemma.lower())
    if any(o.tok != cand.tok and o.tok in doc.subtree(cand.anchor) for o in others):
        feats.append("governs-other")  # a frame over another candidate ('threatened to strike')
    if any(o.tok != cand.tok and cand.tok in doc.subtree(o.anchor) for o in others):
        feats.append("under-other")
    return feats


def _order(cand: Candidate, others: Sequence[Candidate]) -> list[str]:
    """Where the tree rule ranks the candidate (highest, then surest, then first): the chooser
    learns when to overrule it, and with no feature firing it agrees."""
    ranked = sorted(others, key=lambda o: (o.depth, -o.confidence, o.tok))
    tree = next(r for r, o in enumerate(ranked) if o.tok == cand.tok)
    out = [f"tree={min(tree, 2)}", f"tree={min(tree, 2)}|{cand.kind}"]
    if tree and ranked[0].depth == cand.depth:
        out.append("tree-tie-depth")  # as high as the tree's choice, lost on confidence or order
    return out


def _path(doc: ParsedDoc, i: int) -> list[str]:
    """The links above the candidate's clause: 'ccomp<REPORTING', 'xcomp<VERB'."""
    out = []
    for step in range(PATH_STEPS):
        tok = doc.tokens[i]
        if tok.head == i:
            out.append(f"u{step}=ROOT")
            break
        head = doc.tokens[tok.head]
        kind = "REPORT" if head.lemma.lower() in REPORTING else head.pos
        out += [f"u{step}={tok.dep}<{kind}", f"ud{step}={tok.dep}"]
        if kind == "REPORT":
            out.append("reported")
        i = tok.head
    return out


def _arguments(doc: ParsedDoc, i: int) -> list[str]:
    """Which arguments the clause has and whether they are names."""
    out = []
    for k in doc.children(i):
        kid = doc.tokens[k]
        if kid.dep in ("nsubj", "nsubjpass", "dobj", "agent", "dative", "xcomp", "ccomp", "prt", "neg"):
            named = kid.ent_type in NAMED_ENTS or kid.pos == "PROPN"
            out += [f"g={kid.dep}", f"g={kid.dep}|{named}"]
        elif kid.dep == "aux" and kid.tag == "MD":
            out.append("modal")
    return out


def _lists(lemma: str) -> list[str]:
    """What the word lists say of the word: in the hand lexicon, the codebook, the prototypes."""
    out = []
    if lemma in plover.VERBS or lemma in plover.NOUNS:
        out.append("hand")
    if lemma in plover.GENERIC_VERBS:
        out.append("hand-generic")
    heads, objects, near = codebook.table()
    if lemma in heads:
        out.append("cb-head")
    if lemma in objects:
        out.append("cb-object")
    if lemma in near:
        out.append("cb-near")
    entry = prototypes.closest(lemma)
    if entry:
        out += [f"pr>={step}" for step in prototypes.STEPS if entry[0][1] >= step]
    return out


def alternatives(doc: ParsedDoc, i: int) -> list[str]:
    """Categories the word lists name for the word at ``i`` besides the one it was typed with: the
    hand lexicon's, the codebook's most voted (as main verb, as object, by its closest word) and the
    closest CAMEO descriptions'. The chooser weighs each (word, category) pair, so a guess the
    codebook got wrong ('demolish' read through 'demobilize') can lose to the description closest."""
    out: list[str] = []
    for category in _said(doc, i).values():
        out += [c for c in category if c not in out]
    return out


def _said(doc: ParsedDoc, i: int) -> dict[str, list[str]]:
    """Per word list, the categories it names for the word (closest or most voted first)."""
    lemma = doc.tokens[i].lemma.lower()
    heads, objects, near = codebook.table()
    hand = plover.VERBS.get(lemma) or plover.GENERIC_VERBS.get(lemma) or plover.NOUNS.get(lemma)
    out = {
        "hand": [hand] if hand else [],
        "cbh": [c for c in [_top(heads.get(lemma))] if c],
        "cbo": [c for c in [_top(objects.get(lemma))] if c],
        "cbn": [near[lemma][0]] if lemma in near else [],
    }
    entry = prototypes.closest(_key(doc, i)) or prototypes.closest(lemma)
    for rank, (category, _) in enumerate(entry, start=1):
        out[f"pr{rank}"] = [category]
    return out


def _key(doc: ParsedDoc, i: int) -> str:
    """The prototype table's key of a word: a verb with its particle ('blow up'), else the lemma."""
    return prototypes.phrasal_key(doc, i) if doc.tokens[i].pos == "VERB" else doc.tokens[i].lemma.lower()


def _top(votes: dict[str, int] | None) -> str | None:
    hit = codebook.top(votes)
    return hit[0] if hit else None


def category_features(doc: ParsedDoc, cand: Candidate, category: str, typed: bool) -> list[str]:
    """Which lists name ``category`` for the candidate's word, and how close the descriptions are:
    features of the (word, category) pair that hold for any category ('the closest description
    says it'), so they carry to categories few records have."""
    feats = [f"typed={typed}", f"typed|k={typed}|{cand.kind}"]
    said = _said(doc, cand.tok)
    lemma = doc.tokens[cand.tok].lemma.lower()
    entry = dict(prototypes.closest(_key(doc, cand.tok)) or prototypes.closest(lemma))
    for name, categories in said.items():
        if category in categories:
            feats.append(f"says={name}")
            if name.startswith("pr"):
                cosine = entry.get(category, 0.0)
                feats += [f"says={name}@{step}" for step in prototypes.STEPS if cosine >= step]
    if not any(f.startswith("says=") for f in feats):
        feats.append("says=none")
    return feats


@dataclass(frozen=True)
class TriggerModel:
    """A bias and feature -> weight (logistic regression over candidates); ``margin``: how far the
    best candidate must score above the tree rule's choice to replace it (0: always the best)."""

    bias: float
    weights: dict[str, float]
    margin: float = 0.0

    def score(self, feats: Sequence[str]) -> float:
        return self.bias + sum(self.weights.get(f, 0.0) for f in set(feats))

    def probability(self, feats: Sequence[str]) -> float:
        return 1.0 / (1.0 + math.exp(-self.score(feats)))

    def to_json(self) -> dict[str, object]:
        return {"bias": self.bias, "weights": self.weights, "margin": self.margin}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> TriggerModel:
        weights = {str(f): float(w) for f, w in dict(data["weights"]).items()}  # type: ignore[call-overload]
        margin = float(data.get("margin", 0.0))  # type: ignore[arg-type]
        return cls(float(data["bias"]), weights, margin)  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def packaged() -> TriggerModel | None:
    """The shipped model, or None when the file is absent (the tree rule then decides)."""
    return read_packaged(MODEL_PATH, TriggerModel.from_json, "event trigger model")
