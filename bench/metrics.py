"""Coreference metrics over clusterings of one shared mention set: MUC, B-cubed, CEAF-e, CoNLL F1.

A clustering maps each mention ID to a cluster label. Singletons count as clusters (the usual ECB+
setting with gold mentions): they add to B-cubed and CEAF-e and add nothing to MUC, whose links
they lack by definition.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

Clustering = Mapping[Any, Any]  # mention ID -> cluster label


def clusters(assign: Clustering) -> list[set[Any]]:
    out: dict[Any, set[Any]] = defaultdict(set)
    for mention, label in assign.items():
        out[label].add(mention)
    return list(out.values())


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _muc_side(key: list[set[Any]], response: Clustering) -> float:
    """MUC recall of ``response`` against ``key`` (swap the arguments for precision)."""
    num = den = 0
    for k in key:
        parts = {response.get(m, ("missing", m)) for m in k}
        num += len(k) - len(parts)
        den += len(k) - 1
    return num / den if den else 0.0


def muc(gold: Clustering, pred: Clustering) -> tuple[float, float, float]:
    r = _muc_side(clusters(gold), pred)
    p = _muc_side(clusters(pred), gold)
    return p, r, _f1(p, r)


def b_cubed(gold: Clustering, pred: Clustering) -> tuple[float, float, float]:
    g_of = {m: c for c in clusters(gold) for m in c}
    p_of = {m: c for c in clusters(pred) for m in c}
    mentions = list(gold)
    if not mentions:
        return 0.0, 0.0, 0.0
    p = sum(len(g_of[m] & p_of[m]) / len(p_of[m]) for m in mentions) / len(mentions)
    r = sum(len(g_of[m] & p_of[m]) / len(g_of[m]) for m in mentions) / len(mentions)
    return p, r, _f1(p, r)


def ceaf_e(gold: Clustering, pred: Clustering) -> tuple[float, float, float]:
    key, resp = clusters(gold), clusters(pred)
    if not key or not resp:
        return 0.0, 0.0, 0.0
    index = {m: j for j, c in enumerate(resp) for m in c}
    sim = np.zeros((len(key), len(resp)))
    for i, k in enumerate(key):
        for m in k:
            if m in index:
                sim[i, index[m]] += 1
    for i, k in enumerate(key):
        for j in np.nonzero(sim[i])[0]:
            sim[i, j] = 2 * sim[i, j] / (len(k) + len(resp[j]))
    rows, cols = linear_sum_assignment(-sim)
    total = float(sim[rows, cols].sum())
    p, r = total / len(resp), total / len(key)
    return p, r, _f1(p, r)


def conll(gold: Clustering, pred: Clustering) -> dict[str, float]:
    """All three metrics (F1 x100) and their mean, the CoNLL F1."""
    scores = {"muc": muc(gold, pred)[2], "b3": b_cubed(gold, pred)[2], "ceafe": ceaf_e(gold, pred)[2]}
    out = {k: round(100 * v, 2) for k, v in scores.items()}
    out["conll"] = round(100 * sum(scores.values()) / 3, 2)
    return out
