"""A learned event-type classifier over the parse: which PLOVER category a trigger names here.

The lexicon (:mod:`.plover`) gives every trigger word one category, but a word's category depends
on its sentence: 'returned' is a RETREAT when prisoners are returned and no event when a minister
returns home; 'called' is a DEMAND with 'for' and a CONSULT with a phone. A multinomial logistic
regression reads sparse features of the trigger in its parse (its lemma and the lexicon's category
for it, the light verb or frame governing it, the dependency path up to the sentence root, its
arguments and their entity types, the mode and negation the rules read, the other triggers of the
sentence, what the CAMEO codebook and the closest CAMEO descriptions (:mod:`.prototypes`) say of the
trigger, its light verb and its object) and chooses the *action* category. The lexicon's category is
one feature among them, and the model overrides it only when its own choice is at least
``min_probability`` sure (a setting chosen with the weights, by cross-validation on the training
records): on a hundred-odd training sentences a word's context is seldom evidence enough, so most
triggers keep the lexicon's category.
With no model file the lexicon decides alone (fallback).

What the model predicts is the action, not the coded category: "will strike" and "struck" stay one
ASSAULT so articles align on one event; :func:`.plover.coded_type` joins action and mode into what
a PLOVER coder writes (a planned strike is a THREATEN).

The weights are trained by ``bench/train_events.py`` on the PLOVER gold-standard records of the
dev half and shipped as JSON (``newsfuse/data/events/typemodel.json``): per category a bias and
feature -> weight. Scoring is dictionary look-ups, no scikit-learn and no numpy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from newsfuse.analyze.events import cameoverbs, codebook, plover, prototypes
from newsfuse.analyze.events.modelfile import read_packaged
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.errors import AnalysisError

MODEL_PATH = Path(__file__).resolve().parents[2] / "data" / "events" / "typemodel.json"

# the word lists that find triggers (extract.LEXICONS): the hand lexicon of plover.py, or the CAMEO
# codebook's words alone (codebook.py)
HAND = "hand"
CODEBOOK = "codebook"
HAND_CODEBOOK = "hand+codebook"
HAND_CAMEO = "hand+cameo"  # HAND_CODEBOOK, then the verbs the CAMEO verb dictionary codes (cameoverbs.py)

# whether the models of HAND_CAMEO read the CAMEO verb dictionary's votes as features
CAMEO_FEATURES = True
# links along which the governing words are read: the path from the trigger up to its frame
PATH_STEPS = 3
# entity types named as such in the argument features; others read as their part of speech
ARG_ENTS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"})
ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "dative", "agent", "attr", "xcomp", "ccomp", "prt"})


@dataclass(frozen=True, slots=True)
class TriggerView:
    """What the classifier reads of one trigger (built by :mod:`.extract`)."""

    tok: int  # the word naming the event
    anchor: int  # the clause's verb: the light verb of an event noun, else the word itself
    lexicon_type: str
    kind: str  # verb | generic | noun | demand
    mode: str
    negated: bool


def features(doc: ParsedDoc, view: TriggerView, sentence_types: tuple[str, ...] = (), cameo: bool = False
             ) -> list[str]:
    """Sparse binary features of one trigger; ``sentence_types``: lexicon types of the others;
    ``cameo``: also what the CAMEO verb dictionary says of the trigger and its light verb (the
    models of the HAND_CAMEO word list read it)."""
    tok, anchor = doc.tokens[view.tok], doc.tokens[view.anchor]
    lemma, lex = tok.lemma.lower(), view.lexicon_type
    coded = plover.coded_type(lex, view.mode, view.negated)
    feats = [
        "bias-lex", f"t={lex}", f"k={view.kind}", f"kt={view.kind}|{lex}", f"l={lemma}", f"lt={lemma}|{lex}",
        f"m={view.mode}", f"mt={view.mode}|{lex}", f"neg={view.negated}", f"c={coded}",
        f"p={tok.pos}|{tok.dep}",
    ]
    if view.anchor != view.tok:
        feats += [f"al={anchor.lemma.lower()}", f"alt={anchor.lemma.lower()}|{lex}"]
    feats += _path(doc, view.anchor, lex)
    feats += _arguments(doc, view.tok)
    if view.anchor != view.tok:
        feats += [f"a{f}" for f in _arguments(doc, view.anchor)]
    feats += [f"st={t}" for t in sorted(set(sentence_types))]
    feats += _codebook(doc, view)
    if cameo and CAMEO_FEATURES:
        feats += cameoverbs.features(prototypes.phrasal_key(doc, view.tok), "cv")
        if view.anchor != view.tok:
            feats += cameoverbs.features(prototypes.phrasal_key(doc, view.anchor), "cva")
    root = doc.tokens[doc.sent_of(view.tok).start]
    for i in range(doc.sent_of(view.tok).start, doc.sent_of(view.tok).end):
        if doc.tokens[i].head == i:
            root = doc.tokens[i]
            break
    feats.append(f"r={root.lemma.lower()}")
    return feats


def _codebook(doc: ParsedDoc, view: TriggerView) -> list[str]:
    """What the CAMEO codebook says of the trigger word, of the light verb above it and of its
    object ('imposed an embargo'): prior knowledge that holds on words no training record had."""
    feats = _known(doc.tokens[view.tok].lemma.lower(), "")
    if view.anchor != view.tok:
        feats += _known(doc.tokens[view.anchor].lemma.lower(), "a")
    for k in doc.children(view.tok):
        if doc.tokens[k].dep in ("dobj", "pobj", "xcomp"):
            feats += _known(doc.tokens[k].lemma.lower(), "d")
    return feats


def _known(lemma: str, role: str) -> list[str]:
    """The codebook's votes ('cb') and the closest CAMEO descriptions ('pr') of one word."""
    return codebook.features(lemma, f"cb{role}") + prototypes.features(lemma, f"pr{role}")


def _path(doc: ParsedDoc, i: int, lex: str) -> list[str]:
    """The governing words above the clause: 'xcomp<threaten', 'ccomp<say', with the category."""
    out = []
    for step in range(PATH_STEPS):
        tok = doc.tokens[i]
        if tok.head == i:
            out.append(f"u{step}=ROOT")
            break
        head = doc.tokens[tok.head]
        hl = head.lemma.lower()
        out += [f"u{step}={tok.dep}<{hl}", f"ud={tok.dep}", f"uh={hl}", f"uht={hl}|{lex}"]
        i = tok.head
    return out


def _arguments(doc: ParsedDoc, i: int) -> list[str]:
    """The trigger's own dependents: which arguments it has and what they are."""
    out = []
    for k in doc.children(i):
        kid = doc.tokens[k]
        what = kid.ent_type if kid.ent_type in ARG_ENTS else kid.pos
        if kid.dep in ARG_DEPS:
            out += [f"g={kid.dep}", f"g={kid.dep}|{what}", f"gl={kid.dep}|{kid.lemma.lower()}"]
        elif kid.dep == "prep":
            out.append(f"pr={kid.text.lower()}")
    return out


@dataclass(frozen=True)
class TypeModel:
    """Per category: a bias and feature -> weight (multinomial logistic regression)."""

    biases: dict[str, float]
    weights: dict[str, dict[str, float]]  # feature -> {category: weight}
    min_probability: float = 0.5  # the model's choice replaces the lexicon's from this sureness on
    lexicon: str = HAND  # the word list whose triggers it was trained on (and retypes)
    # the same weights as one matrix (row per feature, column per category): a trigger is scored
    # by one sum over its features' rows instead of a dictionary update per weight
    _cats: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _rows: dict[str, int] = field(init=False, repr=False, compare=False)
    _matrix: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        cats = tuple(sorted(self.biases))
        column = {c: j for j, c in enumerate(cats)}
        matrix = np.zeros((len(self.weights) + 1, len(cats)))
        matrix[-1] = [self.biases[c] for c in cats]  # the last row is the bias
        rows = {}
        for i, (feat, ws) in enumerate(self.weights.items()):
            rows[feat] = i
            for cat, w in ws.items():
                matrix[i, column[cat]] = w
        object.__setattr__(self, "_cats", cats)
        object.__setattr__(self, "_rows", rows)
        object.__setattr__(self, "_matrix", matrix)

    def choose(self, feats: list[str], lexicon_type: str) -> str:
        """The category of a trigger: the model's when it is sure enough, else the lexicon's."""
        best, prob = self.predict(feats)
        return best if prob >= self.min_probability else lexicon_type

    def _total(self, feats: list[str]) -> np.ndarray:
        rows = [self._rows[f] for f in set(feats) if f in self._rows]
        rows.append(len(self._matrix) - 1)
        return np.asarray(self._matrix[rows].sum(axis=0))

    def scores(self, feats: list[str]) -> dict[str, float]:
        return {c: float(v) for c, v in zip(self._cats, self._total(feats), strict=True)}

    def predict(self, feats: list[str]) -> tuple[str, float]:
        """(category, probability); ties go to the first category by name."""
        total = self._total(feats)
        best = int(np.argmax(total))
        return self._cats[best], float(1.0 / np.exp(total - total[best]).sum())

    def to_json(self) -> dict[str, object]:
        return {"biases": self.biases, "weights": self.weights, "min_probability": self.min_probability,
                "lexicon": self.lexicon}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> TypeModel:
        biases = {str(k): float(v) for k, v in dict(data["biases"]).items()}  # type: ignore[call-overload]
        weights = {
            str(f): {str(c): float(w) for c, w in dict(ws).items()}
            for f, ws in dict(data["weights"]).items()  # type: ignore[call-overload]
        }
        unknown = set(biases) - set(plover.TYPES)
        if unknown:
            raise AnalysisError(f"event type model names unknown categories {sorted(unknown)}: retrain it")
        lexicon = str(data.get("lexicon", HAND))
        if lexicon not in (HAND, CODEBOOK, HAND_CODEBOOK, HAND_CAMEO):
            raise AnalysisError(f"event type model names an unknown lexicon {lexicon!r}: retrain it")
        return cls(biases, weights, float(data.get("min_probability", 0.5)), lexicon)  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def packaged() -> TypeModel | None:
    """The shipped model, or None when the file is absent (the lexicon then decides alone)."""
    return read_packaged(MODEL_PATH, TypeModel.from_json, "event type model")
