"""Mutual-best statements of two articles: one report tells a fact once.

The meaning pass judges each pair of clause runs alone, and a paraphrase matcher is stricter than
'same fact': two outlets tell one fact in different detail, and the pair scores under the bar. What
a single pair score cannot see is the structure of the two reports: article A tells the fact once and
article B tells it once, so B's statement that is A's best match, when A's statement is also *its*
best match in A, is far likelier the same fact than another pair of the same score (as in sentence
and word alignment of parallel texts). Such a pair is decided at a lower bar
(``defaults.CLAIM_MUTUAL_PROBABILITY``).

A node is one claim cluster's statements in one article (a cluster holds at most one article's
telling of a fact for this purpose: two of its statements in one article are one telling). The score
of two nodes of different articles is the highest probability of a clause-run pair holding both, over
the compatible statement pairs the meaning pass could join (``compatible``); a node's best partner in
another article is the one of highest score, ties broken by the partner's earliest statement
(article, offsets, ID), so the result depends on the story's runs and scores alone, never on the order
articles arrived in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from newsfuse.fuse.claims.statements import Statement

Node = tuple[int, str]  # (cluster number, article ID)
Holders = Sequence[tuple[int, Statement]]


def _order(s: Statement) -> tuple[str, int, int, str]:
    return (s.article.id, s.span.start, s.span.end, s.id)


def mutual_best(
    scored: Iterable[tuple[float, int, int]], holders: Sequence[Holders],
    compatible: Callable[[Statement, Statement], bool], margin: float = 0.0,
) -> dict[tuple[Node, Node], float]:
    """Node pairs (lower first) whose statements in two articles are each other's best match, with their
    score, in a stable order: highest score first, ties by the two nodes' earliest statements.

    ``scored``: (probability, i, j) of the clause-run pairs the meaning pass decided, runs of two
    articles; ``holders[i]``: the (cluster number, statement) pairs run ``i`` states. With ``margin``,
    each side's best must also beat its second best in the other article by that much (a clear best,
    as in the ratio test of alignment; 0: any best)."""
    score: dict[tuple[Node, Node], float] = {}
    first: dict[Node, tuple[str, int, int, str]] = {}
    for p, i, j in scored:
        for c, x in holders[i]:
            for d, y in holders[j]:
                if c == d or x.article.id == y.article.id or not compatible(x, y):
                    continue
                u, v = (c, x.article.id), (d, y.article.id)
                for node, s in ((u, x), (v, y)):
                    first[node] = min(first.get(node, _order(s)), _order(s))
                for key in ((u, v), (v, u)):
                    score[key] = max(score.get(key, p), p)
    partners: dict[tuple[Node, str], list[tuple[float, tuple[str, int, int, str], Node]]] = {}
    for (u, v), p in score.items():
        partners.setdefault((u, v[1]), []).append((-p, first[v], v))
    best = {key: ranked[0][2] for key, found in partners.items()
            if len(ranked := sorted(found)) == 1 or ranked[1][0] - ranked[0][0] >= margin}
    pairs = {(min(u, v), max(u, v)) for (u, _), v in best.items() if best.get((v, u[1])) == u}
    ordered = sorted(pairs, key=lambda uv: (-score[uv], *sorted((first[uv[0]], first[uv[1]]))))
    return {uv: score[uv] for uv in ordered}


def is_mutual(found: Mapping[tuple[Node, Node], float], u: Node, v: Node) -> bool:
    return (min(u, v), max(u, v)) in found
