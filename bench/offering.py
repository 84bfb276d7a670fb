"""What the meaning pass offers the matcher, measured on ECB+ train through the product path.

Usage (from the project root, inside the venv)::

    python bench/offering.py ../shared/bench [--topics N] [--folds 5] [--beta 0.5] [--score-dev]
    python bench/offering.py ../shared/bench --facts K/F/N,...
    python bench/offering.py ../shared/bench --budget [within|offers] [--score-dev]

Reads the product run ``train_statements.py`` keeps (:func:`train_statements.story_runs`: each story's
clause runs as the meaning pass compared them, with the gold chains their statements are anchored in).

1. **Offering recall**: of the statement pairs of two articles of one product story anchored in one gold
   chain, how many the meaning pass offers (some clause run of one and some of the other are a pair the
   pass asks the matcher about), and, for those it does not, why: the best cosine of their runs is
   under ``CLAIM_MATCH_MIN_COSINE``, or it is over it but neither run is among the other's
   ``CLAIM_MATCH_NEIGHBOURS`` nearest (and they share no resolved actor and act).
2. **Offering variants** (neighbour count x cosine floor; a run's nearest *sentences*, each by its
   best run; extra offers whatever the cosine: one act in one place, one figure, one party): every
   run pair gold can judge (both runs anchored, two articles; in a topic fused as one story, two
   incidents) is decided by the meaning pass's gate as shipped (``meaning.joined`` at the paraphrase
   matcher's answer) when the variant offers it, and is no join when it does not; the variant is
   chosen by F-``beta`` of run pairs on the training topics of each topic fold (ties: fewer pairs
   offered) and scored on the held topics. Unlike ``train_statements.py --joint``, recall counts the
   gold pairs never offered. Cost: pairs offered per story. ``--score-dev`` gives the same table on
   ECB+ dev once, with the variant train chose most.
3. ``--facts K/F/N,...``: facts/ (``claims.py --sections facts``' figures) as shipped and with each
   offer (neighbours, floor, ``CLAIM_PLACE_ACT_PAIRS_MAX``), one ingest, a cold fuse each; ``--why``'s
   misses as shipped, each 'matcher never asked' told apart (no compared run, under the floor, over it
   but not among the nearest) with what asking would have given (the matcher's best answer over the
   two outlets' run pairs, and whether the gate joins any of them at it); each 'matcher said no' with
   the matcher's answer on the two statements' whole sentences (a unit not compared past three clauses).
4. ``--budget`` (session 18): the variant chosen instead by ``train_statements``' budget criterion
   (:func:`train_statements.budget_cv`: most gold run pairs joined, never offered = missed, with no more
   joins of a topic's two incidents and no lower one-incident precision than the shipped offer and gate
   on the training topics; each fold printed), among :data:`BUDGET_OFFERS` crossed with the told-within
   gates of :data:`BUDGET_WITHIN` (``within``, the default) or every offer variant above with the
   shipped gate (``offers``).

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for _p in (ROOT, BENCH):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import train_statements as ts  # noqa: E402

from newsfuse import defaults  # noqa: E402
from newsfuse.fuse.claims import match as claimmatch  # noqa: E402
from newsfuse.fuse.claims import samefact  # noqa: E402

NEIGHBOURS = (8, 12, 16, 24, 32, 48)
FLOORS = (0.5, 0.45, 0.4, 0.35, 0.3)


def _figure(x: Any, y: Any) -> bool:
    return (x.kind == y.kind == "amount" and x.unit == y.unit and x.value is not None and y.value is not None
            and claimmatch.values_agree(x.value, x.written, y.value, y.written))


def _party(x: Any, y: Any) -> bool:
    return x.kind == y.kind == "event" and bool({x.entity, x.target} & {y.entity, y.target} - {None})


# Offers tried beside the neighbours (whatever the cosine): one act in one resolved place, one figure
# (amounts that agree), one resolved party in any act.
# (one act in one place: the product's own offer, meaning._place_act_pairs, bounded as it bounds it at
# PLACE_ACT_PAIRS, whatever defaults.CLAIM_PLACE_ACT_PAIRS_MAX says)
PLACE_ACT_PAIRS = 400
EXTRAS = {"place_act": None, "figure": _figure, "party": _party}


@dataclass(frozen=True, slots=True)
class Judged:
    """The run pairs gold can judge in one story, as arrays: rows, gold, cosine, the better of the two
    runs' neighbour ranks of each other, whether the pair shares arguments (offered whatever its
    cosine), of a topic's two incidents."""

    lo: np.ndarray
    hi: np.ndarray
    y: np.ndarray
    cos: np.ndarray
    rank: np.ndarray
    sentence_rank: np.ndarray  # as rank, counting sentences: a sentence's best run only, else large
    arguments: np.ndarray
    cross: np.ndarray
    extra: dict[str, np.ndarray]  # per kind of :data:`EXTRAS`, whether a statement pair of the two has it


def _ranks(cos: np.ndarray) -> np.ndarray:
    """rank[i, j]: where run j stands among run i's candidates (most alike first, stable)."""
    order = np.argsort(-cos, axis=1, kind="stable")
    rank = np.empty_like(order)
    rows = np.arange(len(cos))[:, None]
    rank[rows, order] = np.arange(cos.shape[1])[None, :]
    return rank


def _sentence_ranks(cos: np.ndarray, sentence: np.ndarray) -> np.ndarray:
    """rank[i, j]: where run j's sentence stands among run i's candidate sentences (each by its best
    run), when j is that best run; a large number otherwise."""
    rank = np.full(cos.shape, len(cos) + 1, dtype=np.int64)
    for i in range(len(cos)):
        order = np.argsort(-cos[i], kind="stable")
        _, first = np.unique(sentence[order], return_index=True)
        best = order[np.sort(first)]
        best = best[np.isfinite(cos[i, best])]
        rank[i, best] = np.arange(len(best))
    return rank


def _argument_pairs(st: ts.StoryRuns, topic: bool) -> set[tuple[int, int]]:
    """The argument-sharing pairs the product offers (as ``train_statements.offered`` reads them)."""
    from newsfuse.fuse.claims import meaning

    if topic:
        return {p for p, _ in meaning._argument_pairs(st.runs, st.matrix)
                if st.incidents[p[0]] != st.incidents[p[1]]}
    articles = [x.key[0] for x in st.runs]
    return {(i, j) for i, j in itertools.combinations(range(len(st.runs)), 2)
            if articles[i] != articles[j] and any(samefact.shares_arguments(x, y)
                                                  for _, x in st.runs[i].holders
                                                  for _, y in st.runs[j].holders)}


def judged(st: ts.StoryRuns) -> tuple[Judged, np.ndarray, np.ndarray, set[tuple[int, int]]]:
    """The story's judged run pairs, with its cosine and rank matrices and argument pairs."""
    topic = st.story.startswith("topic-")
    groups = np.array(st.incidents if topic else [x.key[0] for x in st.runs])
    cos = st.matrix @ st.matrix.T
    cos[groups[:, None] == groups[None, :]] = -np.inf
    rank = _ranks(cos)
    from newsfuse.fuse.claims import meaning

    keys = [repr(meaning.sentence_key(x.holders[0][1])) for x in st.runs]
    _, sentence = np.unique(keys, return_inverse=True)
    srank = _sentence_ranks(cos, sentence.ravel())
    args = _argument_pairs(st, topic)
    anchored = np.array([bool(c) for c in st.chains])
    texts = [x.text for x in st.runs]
    lo, hi = np.triu_indices(len(st.runs), 1)
    keep = anchored[lo] & anchored[hi] & np.isfinite(cos[lo, hi])
    lo, hi = lo[keep], hi[keep]
    keep = np.array([texts[i] != texts[j] for i, j in zip(lo.tolist(), hi.tolist(), strict=True)],
                    dtype=bool)
    lo, hi = lo[keep], hi[keep]
    cross = np.array([st.incidents[i] != st.incidents[j]
                      for i, j in zip(lo.tolist(), hi.tolist(), strict=True)], dtype=bool)
    y = np.array([int(bool(ts._shared(st.chains[i], st.chains[j], c)))
                  for i, j, c in zip(lo.tolist(), hi.tolist(), cross.tolist(), strict=True)], dtype=int)
    return (Judged(lo, hi, y, cos[lo, hi], np.minimum(rank[lo, hi], rank[hi, lo]),
                   np.minimum(srank[lo, hi], srank[hi, lo]),
                   np.array([(i, j) in args for i, j in zip(lo.tolist(), hi.tolist(), strict=True)],
                            dtype=bool),
                   cross, {kind: _extra(st, lo, hi, test) for kind, test in EXTRAS.items()}), cos, rank, args)


def _extra(st: ts.StoryRuns, lo: np.ndarray, hi: np.ndarray, test: Any) -> np.ndarray:
    """Whether each judged pair is offered by an extra kind: ``test`` on some statement pair of the two
    runs, or (None) the product's one-act-one-place offer."""
    from newsfuse.fuse.claims import meaning

    pairs = zip(lo.tolist(), hi.tolist(), strict=True)
    if test is None:
        found = {p for p, _ in meaning._keyed_pairs(st.runs, st.matrix, meaning.place_act_keys,
                                                    PLACE_ACT_PAIRS)}
        return np.array([p in found for p in pairs], dtype=bool)
    return np.array([any(test(x, y) for _, x in st.runs[i].holders for _, y in st.runs[j].holders)
                     for i, j in pairs], dtype=bool)


def offered(j: Judged, k: int, floor: float, sentences: bool = False, extra: str = "") -> np.ndarray:
    """The judged pairs offered: each run's ``k`` nearest runs of other articles (``sentences``: its
    ``k`` nearest sentences, each by its best run) at ``floor`` or above, the argument pairs, and the
    pairs of ``extra``'s kind."""
    out = ((j.cos >= floor) & ((j.sentence_rank if sentences else j.rank) < k)) | j.arguments
    return out | j.extra[extra] if extra else out


def statement_recall(st: ts.StoryRuns, cos: np.ndarray, rank: np.ndarray, args: set[tuple[int, int]],
                     k: int, floor: float) -> Counter[str]:
    """Per gold statement pair of two articles (one chain shared), whether some run pair of theirs is
    offered at (``k``, ``floor``), and if not why (the best of their run pairs by cosine)."""
    runs_of: dict[tuple[str, str], list[int]] = defaultdict(list)
    chains: dict[tuple[str, str], frozenset[str]] = {}
    held: dict[tuple[str, str], Any] = {}
    for i, (x, gold) in enumerate(zip(st.runs, st.statement_chains, strict=True)):
        for (_, s), g in zip(x.holders, gold, strict=True):
            if g:
                runs_of[(s.article.id, s.id)].append(i)
                chains[(s.article.id, s.id)] = g
                held[(s.article.id, s.id)] = s
    out: Counter[str] = Counter()
    for a, b in itertools.combinations(sorted(runs_of), 2):
        if a[0] == b[0] or not chains[a] & chains[b]:
            continue
        pairs = [(min(u, v), max(u, v)) for u in runs_of[a] for v in runs_of[b]]
        if any(p in args or (cos[p] >= floor and min(rank[p], rank[p[::-1]]) < k) for p in pairs):
            out["offered"] += 1
            continue
        best = max(pairs, key=lambda p: cos[p])
        for what in _shares(held[a], held[b]):
            out[f"not offered, sharing {what}"] += 1
        out["below the cosine floor" if cos[best] < floor
            else f"over the floor, not among the {k} nearest"] += 1
    return out


def _shares(x: Any, y: Any) -> list[str]:
    """What two statements share that an offer could key on: a resolved party (as actor or target, any
    act), a resolved place, an event type, a start date, a figure."""
    found = []
    if {x.entity, x.target} & {y.entity, y.target} - {None}:
        found.append("a party")
    if x.place is not None and x.place == y.place:
        found.append("a place")
    if x.kind == y.kind == "event" and x.type and x.type == y.type:
        found.append("an event type")
    if x.date_start and x.date_start == y.date_start:
        found.append("a date")
    if x.value is not None and x.value == y.value:
        found.append("a figure")
    return found


def _name(k: int, floor: float, sentences: bool, extra: str, gate: str = "") -> str:
    return f"{'s' if sentences else ''}{k}_{floor:g}" + (f"_{extra}" if extra else "") + (
        f"+{gate}" if gate else "")


# Session 18 (``--budget``): these offers crossed with the told-within gates below (the gate as shipped
# otherwise), chosen together by train_statements' budget criterion (most gold run pairs joined with no
# more joins of a topic's two incidents and no lower one-incident precision than main's). Fixed before
# the runs: session 17's offers that moved F0.5 (12-24 neighbours, the 0.4 floor, one act in one place)
# and its told-within bars below the matcher's point at three shares and three statement tests (any
# compatible pair, one act, one act naming no two parties: train_statements.WITHIN_TESTS 0-2).
BUDGET_OFFERS = ((8, 0.5, False, ""), (12, 0.5, False, ""), (16, 0.5, False, ""), (24, 0.5, False, ""),
                 (24, 0.4, False, ""), (8, 0.5, False, "place_act"), (24, 0.5, False, "place_act"))
BUDGET_WITHIN = tuple(f"within_{b:g}_{s:g}_{a}" for b in (0.3, 0.2, 0.1, 0.05) for s in (0.3, 0.5, 0.7)
                      for a in (0, 1, 2))


def _gates(budget: bool) -> dict[str, dict[str, Any]]:
    """The gates each offer is crossed with: the shipped one (``""``, no settings changed) and, with
    ``budget``, :data:`BUDGET_WITHIN` (train_statements.within_gates' settings)."""
    if not budget:
        return {"": {}}
    grid = ts.within_gates()
    return {"": {}, **{name: grid[name] for name in BUDGET_WITHIN}}


def _gate_joins(st: ts.StoryRuns, j: Judged, widest: np.ndarray, gates: dict[str, dict[str, Any]]
                ) -> dict[str, np.ndarray]:
    """Per gate, whether the meaning pass joins each judged pair of ``widest`` at the matcher's answer."""
    from newsfuse.fuse.claims import meaning

    matcher = claimmatch.packaged().first
    saved = {key: getattr(defaults, key) for g in gates.values() for key in g}
    joins = {g: np.zeros(len(j.y), dtype=bool) for g in gates}
    try:
        for n in np.nonzero(widest)[0].tolist():
            a, b = st.runs[j.lo[n]], st.runs[j.hi[n]]
            p = matcher.probability(a.text, b.text, float(j.cos[n]))
            for g, settings in gates.items():
                for key, value in {**saved, **settings}.items():
                    setattr(defaults, key, value)
                joins[g][n] = bool(meaning.joined(a, b, p, defaults.CLAIM_MATCH_PROBABILITY))
    finally:
        for key, value in saved.items():
            setattr(defaults, key, value)
    return joins


def run(data: Path, split: str, topics: int | None, k_folds: int, beta: float,
        chosen_on_train: str | None = None, budget: str = "") -> dict[str, Any]:
    """The offering table of ``split``; the variant chosen by topic CV on it, unless ``chosen_on_train``
    (dev: nothing is chosen there, the train choice is scored). ``budget`` (session 18): chosen by the
    budget criterion instead, among the offers of :data:`BUDGET_OFFERS` crossed with the told-within
    gates (``within``) or among every offer variant with the shipped gate (``offers``)."""
    stories = ts.story_runs(data, split, topics)
    k0, f0 = defaults.CLAIM_MATCH_NEIGHBOURS, defaults.CLAIM_MATCH_MIN_COSINE
    recall: dict[str, Counter[str]] = defaultdict(Counter)
    kept = []
    rows: dict[str, list[Any]] = defaultdict(list)
    variants = [(k, f, by, "") for by in (False, True) for k in NEIGHBOURS for f in FLOORS]
    variants += [(k, 0.5, False, e) for e in EXTRAS for k in (8, 24)]
    if budget == "within":
        variants = list(BUDGET_OFFERS)
    gates = _gates(budget == "within")
    for st in stories:
        j, cos, rank, args = judged(st)
        if not st.story.startswith("topic-"):
            kept.append((st, cos, rank, args))
        offers = {v: offered(j, *v) for v in variants}
        joins = _gate_joins(st, j, np.logical_or.reduce(list(offers.values())), gates)
        rows["y"].append(j.y)
        rows["cross"].append(j.cross)
        rows["topic"].append(np.full(len(j.y), st.topic))
        for v, o in offers.items():
            for g, join in joins.items():
                rows[f"offer_{_name(*v, g)}"].append(o)
                rows[f"join_{_name(*v, g)}"].append(o & join)
    d = {key: np.concatenate(v) for key, v in rows.items()}
    d["y"] = d["y"].astype(int)
    names = [_name(*v, g) for v in variants for g in gates]
    shipped = f"{k0}_{f0:g}"
    n_stories = len(stories)
    table = {}
    for name in names:
        s = ts.by_kind(d[f"join_{name}"].astype(int), d)
        table[name] = {"f_beta": round(ts.f_beta(d[f"join_{name}"].astype(int), d["y"], beta), 4),
                       "precision": s["all"]["precision"], "recall": s["all"]["recall"],
                       "joins": s["all"]["joins"], "two_incident_joins": s["cross"]["joins"],
                       "offered_per_story": round(float(d[f"offer_{name}"].sum()) / n_stories, 1),
                       "positives_offered": int((d[f"offer_{name}"] & (d["y"] == 1)).sum())}
    pred = np.zeros(len(d["y"]), dtype=int)
    chosen: list[str] = []
    if budget and chosen_on_train is None:
        found = ts.budget_cv(names, lambda g: d[f"join_{g}"].astype(int), d["y"], d["cross"], d["topic"],
                             k_folds, shipped, split)
        chosen = found["chosen"]
        pred = np.zeros(len(d["y"]), dtype=int)
        for g, held in zip(chosen, ts.topic_folds(d["topic"], k_folds), strict=True):
            pred[held] = d[f"join_{g}"][held]
    for held in ts.topic_folds(d["topic"], k_folds) if chosen_on_train is None and not budget else []:
        train = np.ones(len(d["y"]), dtype=bool)
        train[held] = False
        best = max(names, key=lambda g: (ts.f_beta(d[f"join_{g}"][train].astype(int), d["y"][train], beta),
                                         -int(d[f"offer_{g}"][train].sum())))
        chosen.append(best)
        pred[held] = d[f"join_{best}"][held]
    if chosen_on_train is not None:
        chosen, pred = [chosen_on_train], d[f"join_{chosen_on_train}"].astype(int)
    cv = ts.by_kind(pred, d)
    most = max(chosen, key=chosen.count)
    offer = most.split("+")[0].split("_")
    for k, f in dict.fromkeys(((k0, f0), (int(offer[0].lstrip("s")), float(offer[1])))):
        for st, cos, rank, args in kept:
            recall[f"{k}_{f:g}"].update(statement_recall(st, cos, rank, args, k, f))
    out: dict[str, Any] = {"split": split, "stories": n_stories, "judged_pairs": len(d["y"]),
                           "positive": int(d["y"].sum()),
                           "statement_pairs": {key: dict(v) for key, v in recall.items()},
                           "shipped": shipped, "variants": table, "criterion": f"F{beta:g}",
                           "cv": {"chosen": chosen, "f_beta": round(ts.f_beta(pred, d["y"], beta), 4),
                                  "precision": cv["all"]["precision"], "recall": cv["all"]["recall"],
                                  "two_incident_joins": cv["cross"]["joins"]}}
    for name, found in recall.items():
        total = sum(v for key, v in found.items() if not key.startswith("not offered, sharing"))
        print(f"{split} gold statement pairs of two articles in one story at k/floor {name}: "
              f"{total}; " + ", ".join(f"{key} {v}" for key, v in found.most_common()))
    for name in names:
        t = table[name]
        mark = " (shipped)" if name == shipped else ""
        print(f"{split} {name:<16} F{beta:g} {t['f_beta']:.4f} "
              f"P {t['precision']:.3f} R {t['recall']:.3f} joins {t['joins']:>5} two-incident "
              f"{t['two_incident_joins']:>4} offered per story {t['offered_per_story']:>7} "
              f"positives offered {t['positives_offered']}{mark}")
    if budget:
        out["cv"]["budget"] = found if chosen_on_train is None else {
            g: ts.budget_summary(d[f"join_{g}"], d["y"], d["cross"], d["topic"])
            for g in dict.fromkeys((shipped, chosen_on_train))}
        if chosen_on_train is not None:
            for g, b in out["cv"]["budget"].items():
                print(f"{split} budget {g}: {b}")
    how = "out of fold" if chosen_on_train is None else "train choice"
    print(f"{split} {how} F{beta:g} {out['cv']['f_beta']} (P {out['cv']['precision']} R "
          f"{out['cv']['recall']}, two-incident joins {out['cv']['two_incident_joins']}) chosen {chosen}")
    return out


_OFFER_SETTINGS = ("CLAIM_MATCH_NEIGHBOURS", "CLAIM_MATCH_MIN_COSINE", "CLAIM_PLACE_ACT_PAIRS_MAX")


def run_facts(data: Path, offers: Sequence[tuple[int, float, int]]) -> dict[str, Any]:
    """facts/ (``claims.py --sections facts --why``'s figures) as shipped and at each (neighbours,
    floor, one-act-one-place pairs) of ``offers``, every other setting as shipped: one ingest and
    analysis, a cold fuse each; the misses by cause as shipped."""
    import claims

    now = tuple(getattr(defaults, name) for name in _OFFER_SETTINGS)
    shipped = {name: getattr(defaults, name) for name in claims._FACT_SETTINGS}

    def variants(*_: Any, **__: Any) -> list[tuple[str, dict[str, Any]]]:
        return [("offer_" + "_".join(f"{v:g}" for v in o) + ("_shipped" if o == now else ""),
                 {**shipped, **dict(zip(_OFFER_SETTINGS, o, strict=True))})
                for o in dict.fromkeys((now, *offers))]

    claims.fact_variants = variants
    claims._FACT_SETTINGS = tuple(dict.fromkeys((*claims._FACT_SETTINGS, *_OFFER_SETTINGS)))
    _explain_never_asked(claims)
    return claims.run_facts(data, why=True)


def _explain_never_asked(claims: Any) -> None:
    """facts/ --why's 'matcher never asked' split by why (bench only): the story's last compared clause
    runs are recorded (``meaning._scored``) and the two outlets' statements' runs looked up."""
    from newsfuse.fuse.claims import meaning

    last: dict[str, Any] = {}
    scored, cause = meaning._scored, claims._pair_cause

    def recording(sentences: Any, matrix: Any) -> Any:
        last["runs"], last["matrix"] = sentences, np.asarray(matrix, dtype=np.float64)
        return scored(sentences, matrix)

    def why(xs: Any, ys: Any, answers: Any) -> str:
        found: str = cause(xs, ys, answers)
        if found == "matcher said no":
            return f"matcher said no (whole sentences: {whole_sentences(xs, ys)})"
        if found != "matcher never asked" or "runs" not in last:
            return found
        return f"matcher never asked ({never_asked_reason(last['runs'], last['matrix'], xs, ys)})"

    meaning._scored = recording
    claims._pair_cause = why


def whole_sentences(xs: Sequence[Any], ys: Sequence[Any]) -> str:
    """The matcher's best answer on the two outlets' statements' whole sentences (a unit the meaning
    pass does not compare when a sentence has more than three clauses), banded."""
    from newsfuse.fuse.claims import encoder, meaning

    texts = [sorted({" ".join(s.article.text[k[1]:k[2]].split()) for s in side
                     for k in [meaning.sentence_key(s)]}) for side in (xs, ys)]
    vectors = [encoder.encode(t).astype(np.float64) for t in texts]
    cos = vectors[0] @ vectors[1].T
    matcher = claimmatch.packaged().first
    p = max(matcher.probability(a, b, float(cos[i, j])) for i, a in enumerate(texts[0])
            for j, b in enumerate(texts[1]))
    return "yes" if p >= defaults.CLAIM_MATCH_PROBABILITY else f"no, {_band(p)}"


def _band(p: float) -> str:
    return "0.3-0.5" if p >= 0.3 else "0.1-0.3" if p >= 0.1 else "under 0.1"


def never_asked_reason(runs: Sequence[Any], matrix: np.ndarray, xs: Sequence[Any], ys: Sequence[Any]) -> str:
    """Why no clause run of ``xs``'s statements was offered with one of ``ys``'s: none compared (the
    statements lead no compared run), the best cosine under the floor, or over it and neither run among
    the other's nearest of other articles; and what asking would have given: the matcher's best answer
    over their run pairs and whether the gate would join any of them at it."""
    from newsfuse.fuse.claims import meaning

    ids = [{(s.article.id, s.id) for s in side} for side in (xs, ys)]
    rows = [[i for i, x in enumerate(runs) if any((s.article.id, s.id) in side for _, s in x.holders)]
            for side in ids]
    if not rows[0] or not rows[1]:
        return "no compared run"
    articles = np.array([x.key[0] for x in runs])
    cos = matrix @ matrix.T
    cos[articles[:, None] == articles[None, :]] = -np.inf
    rank = _ranks(cos)
    u, v = max(((u, v) for u in rows[0] for v in rows[1]), key=lambda p: cos[p])
    where = (f"best cosine {cos[u, v]:.2f} under the floor" if cos[u, v] < defaults.CLAIM_MATCH_MIN_COSINE
             else f"best cosine {cos[u, v]:.2f}, rank {min(rank[u, v], rank[v, u]) + 1}")
    matcher = claimmatch.packaged().first
    asked = [(matcher.probability(runs[a].text, runs[b].text, float(cos[a, b])), a, b)
             for a in rows[0] for b in rows[1]]
    p = max(x for x, _, _ in asked)
    joins = any(meaning.joined(runs[a], runs[b], x, defaults.CLAIM_MATCH_PROBABILITY) for x, a, b in asked)
    return f"{where}; asked: best {p:.2f}, {'joins' if joins else 'no join'}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path, help="folder laid out like ../shared/bench")
    ap.add_argument("--topics", type=int, help="first N ECB+ train topics (a quick run)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--beta", type=float, default=0.5,
                    help="choose by F-beta of run pairs (0.5 as session 16)")
    ap.add_argument("--score-dev", action="store_true", help="ECB+ dev once (the same table)")
    ap.add_argument("--budget", nargs="?", const="within", default="", choices=("within", "offers"),
                    help="session 18: choose by train_statements' budget criterion instead of F-beta, among "
                    "offers x told-within gates (within, the default: BUDGET_OFFERS x BUDGET_WITHIN) or "
                    "every offer variant with the shipped gate (offers)")
    ap.add_argument("--facts", default="", help="K/F/N,...: facts/ as shipped and at these (neighbours, "
                    "floor, one-act-one-place pairs) offers, with the shipped setting's misses by cause "
                    "(nothing chosen there)")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    if args.facts:
        offers = [(int(k), float(f), int(n)) for k, f, n in (x.split("/") for x in args.facts.split(","))]
        found = run_facts(args.data, offers)
        found["seconds"] = round(time.perf_counter() - started, 1)
        print(json.dumps(found))
        return 0
    found = {"train": run(args.data, "Train", args.topics, args.folds, args.beta, budget=args.budget)}
    if args.score_dev:
        chosen = found["train"]["cv"]["chosen"]
        found["dev"] = run(args.data, "Dev", None, args.folds, args.beta, max(chosen, key=chosen.count),
                           args.budget)
    found["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
