"""Learned cross-document coreference: a pairwise scorer (logistic regression over features of two
mention groups) and average-link clustering over its probabilities.

The weights are small JSON files in ``data/coref/`` written by ``bench/train_coref.py`` (trained on
ECB+ train only; the clustering threshold chosen by cross-validation over train topics). The same
machinery serves entities (:func:`merge_clusters`, over the rule clusters of
:func:`~newsfuse.fuse.entities.resolve.cluster_groups`) and events
(:mod:`newsfuse.fuse.claims.eventpairs`).

Entities: the rules stay first and are never undone (their links carry the reasons users read);
the model only joins whole rule clusters whose groups it scores alike on average, counting pairs
with a description ('the actress' / 'Lohan', 'the quake' / 'the earthquake'); two names stay the
rules' to link (``defaults.COREF_NAMES_BY_RULES``: 'Emmanuel' alone is not 'Emmanuel Macron').
Since each pair is scored alone, a description alike to two named actors would join them through itself
('the minister' between two named ministers): ``defaults.COREF_ENTITY_BRIDGES`` keeps such clusters
apart through every merge (the description joins the likelier one, or with '+torn' neither).
"""

from __future__ import annotations

import functools
import json
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process

from newsfuse import defaults
from newsfuse.errors import AnalysisError
from newsfuse.fuse.entities.names import Cluster, NameGroup, label_class
from newsfuse.store import queries

if TYPE_CHECKING:
    from newsfuse.store import Store

ENTITY_FEATURES = (
    "rules", "same_name", "same_head", "fuzzy", "same_class", "both_named", "both_nominal", "mixed",
    "title_head", "key_cosine", "head_cosine", "same_article",
)


@dataclass(frozen=True)
class PairModel:
    """A logistic regression over named pair features, with its clustering threshold."""

    features: tuple[str, ...]
    coef: np.ndarray
    intercept: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float  # average-link clustering stops below this mean pair probability
    # False when cross-validation on train found the rules alone better: the product then keeps them
    beats_rules: bool = True

    def probabilities(self, features: Iterable[tuple[str, np.ndarray]]) -> np.ndarray:
        """P(coreferent) of every pair, from ``(name, matrix)`` features in :attr:`features` order
        (one matrix at a time, so a big story never holds all of them)."""
        z: np.ndarray | float = self.intercept
        for k, (name, x) in enumerate(features):
            if name != self.features[k]:
                raise ValueError(f"feature {name} where the weights expect {self.features[k]}")
            z = z + self.coef[k] * ((x - self.mean[k]) / self.scale[k])
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    def to_json(self, **extra: object) -> str:
        return json.dumps({"features": list(self.features), "coef": self.coef.round(6).tolist(),
                           "intercept": round(self.intercept, 6), "mean": self.mean.round(6).tolist(),
                           "scale": self.scale.round(6).tolist(), "threshold": self.threshold,
                           "beats_rules": self.beats_rules, **extra},
                          indent=1)


def read_model(path: Path, features: Sequence[str]) -> PairModel:
    """The model in ``path``; its features must be ``features`` (else retrain: the code changed)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = PairModel(tuple(data["features"]), np.asarray(data["coef"], dtype=np.float64),
                          float(data["intercept"]), np.asarray(data["mean"], dtype=np.float64),
                          np.asarray(data["scale"], dtype=np.float64), float(data["threshold"]),
                          bool(data.get("beats_rules", True)))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise AnalysisError(f"{path}: unreadable coreference weights ({exc}); "
                            "rerun `python bench/train_coref.py ../shared/bench`") from exc
    if model.features != tuple(features):
        raise AnalysisError(f"{path}: weights for features {list(model.features)}, the code computes "
                            f"{list(features)}; rerun `python bench/train_coref.py ../shared/bench`")
    return model


def weights_path(name: str) -> Path | None:
    """``defaults.COREF_WEIGHTS``/``name`` (relative to the package folder), or None when off."""
    if not defaults.COREF_WEIGHTS:
        return None
    folder = Path(defaults.COREF_WEIGHTS)
    if not folder.is_absolute():
        folder = Path(__file__).resolve().parents[2] / folder
    return folder / name


_VECTORS: OrderedDict[str, np.ndarray] = OrderedDict()
_VECTORS_OF = [""]  # the encoder (its vector name) the texts in _VECTORS were encoded by
# Entries kept at most below defaults.COREF_VECTOR_CACHE (None: that bound): a watch's refresh process
# sets it to what its byte budget allows (watch/kept.py); a text dropped is read back from the store.
_VECTORS_MOST: list[int | None] = [None]


def keep_at_most(entries: int | None) -> None:
    """Hold the kept vectors to ``entries`` (None: to ``defaults.COREF_VECTOR_CACHE`` only), now."""
    _VECTORS_MOST[0] = entries
    _trim()


def _trim() -> None:
    most = defaults.COREF_VECTOR_CACHE
    if _VECTORS_MOST[0] is not None:
        most = max(1, min(most, _VECTORS_MOST[0]))
    while len(_VECTORS) > most:
        _VECTORS.popitem(last=False)


def encode_cached(texts: Sequence[str], store: Store | None = None) -> np.ndarray:
    """Unit vectors of ``texts`` by the sentence encoder, each distinct text encoded once per process
    and, with a ``store``, once per store (migration 28): a text this process does not keep is read
    back from there, and one encoded here is kept there, so a restart or a text past
    ``defaults.COREF_VECTOR_CACHE`` is not encoded again."""
    from newsfuse.fuse.claims import encoder  # torch loads only when a model is in use
    from newsfuse.fuse.claims.vectors import same_encoder, text_hash

    name = same_encoder()
    if _VECTORS_OF[0] != name:  # another encoder's vectors are not these
        _VECTORS.clear()
        _VECTORS_OF[0] = name
    new = list(dict.fromkeys(t for t in texts if t not in _VECTORS))
    hashes = {t: text_hash(t) for t in new} if store is not None else {}
    if new and store is not None:
        kept = queries.coref_vectors(store, list(hashes.values()), name)
        for t in new:
            if hashes[t] in kept:
                _VECTORS[t] = np.frombuffer(kept[hashes[t]], dtype=np.float32)
        new = [t for t in new if t not in _VECTORS]
    for text, vector in zip(new, encoder.encode(new), strict=True):
        _VECTORS[text] = vector.copy()  # its own row: a view would keep the whole call's array alive
    if new and store is not None:
        store.put_coref_vectors(name, [(hashes[t], _VECTORS[t].astype(np.float32).tobytes()) for t in new])
    out = np.zeros((len(texts), encoder.DIMENSIONS), dtype=np.float32)
    for k, t in enumerate(texts):
        out[k] = _VECTORS[t]
        _VECTORS.move_to_end(t)
    _trim()
    return out


def stored_encoder(store: Store | None) -> Callable[[Sequence[str]], np.ndarray]:
    """:func:`encode_cached` keeping its texts in ``store`` (None: in this process only)."""
    return functools.partial(encode_cached, store=store)


@functools.lru_cache(maxsize=4)
def cached_model(path: Path, features: tuple[str, ...]) -> PairModel | None:
    """The weights in ``path`` when present and better than the rules in cross-validation, else None."""
    model = read_model(path, features) if path.is_file() else None
    return model if model is not None and model.beats_rules else None


def entity_model() -> PairModel | None:
    path = weights_path("entities.json")
    return cached_model(path, ENTITY_FEATURES) if path is not None else None


# -- clustering -----------------------------------------------------------------------------------


def average_link(prob: np.ndarray, start: Sequence[Sequence[int]], threshold: float,
                 apart: np.ndarray | None = None, ambiguous: bool = False) -> list[list[int]]:
    """Agglomerate the clusters ``start`` (lists of row indexes of ``prob``) while the best pair of
    clusters has a mean pair probability of at least ``threshold``; pairs scored NaN do not count
    (pronouns). Deterministic: ties go to the earliest clusters.

    ``apart`` (start clusters x start clusters, True: never one cluster) holds through every merge:
    a cluster that took in ``a`` stays apart from all ``a`` was apart from, so no bridge joins them.
    With ``ambiguous``, a best pair where one side also reaches the threshold with a cluster kept
    apart from the other is refused (it would attach to either: which one is a guess)."""
    n = len(start)
    keep_apart = np.zeros((n, n), dtype=bool) if apart is None else np.array(apart, dtype=bool)
    valid = ~np.isnan(prob)
    p = np.where(valid, prob, 0.0)
    member = np.zeros((n, prob.shape[0]))
    for c, rows in enumerate(start):
        member[c, list(rows)] = 1.0
    sums, counts = member @ p @ member.T, member @ valid.astype(np.float64) @ member.T
    clusters = [list(rows) for rows in start]
    alive = np.ones(n, dtype=bool)
    while n > 1:
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(counts > 0, sums / np.maximum(counts, 1e-12), -1.0)
        np.fill_diagonal(mean, -1.0)
        mean[~alive, :] = -1.0
        mean[:, ~alive] = -1.0
        mean[keep_apart] = -1.0
        best = int(np.argmax(mean))
        i, j = divmod(best, mean.shape[1])
        if mean[i, j] < threshold:
            break
        if ambiguous and _torn(mean >= threshold, keep_apart, i, j):
            continue
        i, j = min(i, j), max(i, j)
        clusters[i].extend(clusters[j])
        clusters[j] = []
        for m in (sums, counts):
            m[i, :] += m[j, :]
            m[:, i] += m[:, j]
            m[j, :] = 0.0
            m[:, j] = 0.0
        keep_apart[i, :] |= keep_apart[j, :]
        keep_apart[:, i] |= keep_apart[:, j]
        alive[j] = False
    return [sorted(c) for c in clusters if c]


def _torn(passes: np.ndarray, keep_apart: np.ndarray, i: int, j: int) -> bool:
    """Whether ``i`` also passes with a cluster kept apart from ``j`` (or ``j`` with one kept apart
    from ``i``): 'the minister' between two named ministers. If so, the torn side is kept apart from
    all of them (it attaches to none), and True."""
    torn = False
    for a, b in ((i, j), (j, i)):
        rivals = passes[a] & keep_apart[b]
        if rivals.any():
            rivals[b] = True
            keep_apart[a, rivals] = keep_apart[rivals, a] = True
            torn = True
    return torn


# -- entity pair features ---------------------------------------------------------------------------


def entity_features(groups: Sequence[NameGroup], rule_of: Sequence[int],
                    encode: Callable[[Sequence[str]], np.ndarray]) -> Iterator[tuple[str, np.ndarray]]:
    """Pair features of ``groups``, as ``(name, n x n matrix)`` in ENTITY_FEATURES order;
    ``rule_of`` numbers each group's rule cluster; ``encode`` gives unit vectors of texts."""
    n = len(groups)
    rule = np.asarray(rule_of)
    yield "rules", np.asarray(rule[:, None] == rule[None, :], dtype=np.float64)
    yield "same_name", equal_pairs([g.norm for g in groups])
    yield "same_head", equal_pairs([g.head_word for g in groups])
    titled = np.zeros((n, n))
    roles = [{t.split()[-1].casefold() for t in g.titles if t.split()} for g in groups]
    for i in range(n):
        for j in range(i + 1, n):
            a, b = groups[i], groups[j]
            titled[i, j] = titled[j, i] = float(a.head_word in roles[j] or b.head_word in roles[i])
    # every pair's score in one call (the same scorer, in C: a Python loop over the pairs was a
    # tenth of a watch's fuse time); the diagonal is never read as a pair
    norms = [g.norm for g in groups]
    fuzzy = process.cdist(norms, norms, scorer=fuzz.token_set_ratio, dtype=np.float64, workers=1) / 100.0
    np.fill_diagonal(fuzzy, 0.0)
    yield "fuzzy", fuzzy
    yield "same_class", equal_pairs([label_class(g.label) for g in groups])
    named = np.asarray([bool(g.names) for g in groups], dtype=np.float64)
    nominal = np.asarray([g.nominal for g in groups], dtype=np.float64)
    yield "both_named", np.outer(named, named)
    yield "both_nominal", np.outer(nominal, nominal)
    yield "mixed", np.outer(named, nominal) + np.outer(nominal, named)
    yield "title_head", titled
    keys = encode([g.key for g in groups])
    yield "key_cosine", keys @ keys.T
    heads = encode([g.head_word or g.key for g in groups])
    yield "head_cosine", heads @ heads.T
    yield "same_article", equal_pairs([g.article_id for g in groups])


def equal_pairs(values: Sequence[str]) -> np.ndarray:
    """1.0 for pairs with equal non-empty values (an empty value equals nothing), else 0.0."""
    codes: dict[str, int] = {}
    arr = np.asarray([codes.setdefault(v, len(codes)) if v else -1 - k for k, v in enumerate(values)])
    return np.asarray(arr[:, None] == arr[None, :], dtype=np.float64)


def merge_clusters(groups: Sequence[NameGroup], clusters: list[Cluster], model: PairModel,
                   encode: Callable[[Sequence[str]], np.ndarray] = encode_cached) -> list[Cluster]:
    """Join whole rule ``clusters`` of ``groups`` by the model (see the module docstring)."""
    if len(clusters) < 2 or len(groups) > defaults.COREF_MAX_GROUPS:
        return clusters
    row = {id(g): k for k, g in enumerate(groups)}
    rule_of = [0] * len(groups)
    start = []
    for c, cluster in enumerate(clusters):
        rows = [row[id(g)] for g in cluster.groups]
        for r in rows:
            rule_of[r] = c
        start.append(rows)
    prob = model.probabilities(entity_features(groups, rule_of, encode))
    pron = np.asarray([g.pronoun_only or not g.norm for g in groups])
    prob[pron, :] = np.nan
    prob[:, pron] = np.nan
    if defaults.COREF_NAMES_BY_RULES:
        named = np.asarray([bool(g.names) for g in groups])
        prob[np.outer(named, named)] = np.nan
    apart = _named_apart(groups, start)
    merged = average_link(prob, start, model.threshold, apart,
                          ambiguous=defaults.COREF_ENTITY_BRIDGES.endswith("+torn"))
    by_row = {r: c for c, rows in enumerate(start) for r in rows}
    out = []
    for rows in merged:
        parts = sorted({by_row[r] for r in rows})
        joined = Cluster([groups[r] for r in rows])
        for c in parts:
            joined.evidence.update(clusters[c].evidence)
        if len(parts) > 1:
            keys = " ~ ".join(clusters[c].groups[0].key for c in parts)
            joined.evidence.add(f"learned coreference: {keys}")
        out.append(joined)
    return out


def _named_apart(groups: Sequence[NameGroup], start: Sequence[Sequence[int]]) -> np.ndarray | None:
    """Rule clusters the model must keep apart (``defaults.COREF_ENTITY_BRIDGES``, '+torn' aside): two
    that both hold a name the rules did not link ('named'), both a name of two or more words ('full'),
    or both a person's name of two or more words ('persons'); None when off."""
    mode = defaults.COREF_ENTITY_BRIDGES.removesuffix("+torn")
    if mode == "off":
        return None
    if mode not in _BRIDGE_NAMES:
        raise ValueError(f"COREF_ENTITY_BRIDGES {mode!r}: off or one of {sorted(_BRIDGE_NAMES)} (+torn)")
    has = np.asarray([any(_BRIDGE_NAMES[mode](groups[r]) for r in rows) for rows in start])
    apart = np.outer(has, has)
    np.fill_diagonal(apart, False)
    return apart


_BRIDGE_NAMES: dict[str, Callable[[NameGroup], bool]] = {
    "named": lambda g: bool(g.names),
    "full": lambda g: bool(g.names) and len(g.words) >= 2,
    "persons": lambda g: bool(g.names) and len(g.words) >= 2 and label_class(g.label) == "PERSON",
}
