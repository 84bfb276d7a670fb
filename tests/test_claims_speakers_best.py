"""The speaker pass pairs classes of quotes, each cluster pair once at its best probability
(newsfuse/fuse/claims/speakers.py ``best_joins``): the same joins as the plain pass that scores every
pair of one speaker's quotes, on stories of many copies (few classes) with a matcher whose answer
differs per pair of texts (and per direction), so order, floor and refusals all matter."""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence

import numpy as np
import pytest

from newsfuse import defaults
from newsfuse.fuse.claims import pairs as claimpairs
from newsfuse.fuse.claims import speakers
from newsfuse.fuse.claims.align import Member
from newsfuse.fuse.claims.statements import Statement
from newsfuse.fuse.claims.vectors import SentenceKey
from newsfuse.models import Article, Span

POOL = [
    "The minister said the port would reopen on Monday after repairs.",
    "The port will reopen on Monday, the minister told reporters.",
    "Repairs are nearly done and the port opens Monday, she said.",
    "She said the harbour board had approved the plan in March.",
]


class _Matcher:
    def probability(self, a: str, b: str, cosine: float) -> float:
        spread = (zlib.crc32(f"{a}|{b}".encode()) % 1000) / 1000
        return defaults.CLAIM_MATCH_PROBABILITY - 0.2 + 0.4 * spread


def _vectors(texts: Sequence[str]) -> np.ndarray:
    rows = [np.random.default_rng(zlib.crc32(t.encode())).random(8) for t in texts]
    return np.array([r / np.linalg.norm(r) for r in rows], dtype=np.float32).reshape(len(texts), 8)


def _scorer(keys: list[SentenceKey], articles: dict[str, Article]) -> claimpairs.Scorer:
    texts = [articles[k[0]].text[k[1]:k[2]] for k in keys]
    return claimpairs.Scorer(_Matcher(), keys, texts, _vectors(texts))


Story = tuple[list[list[Member]], list[speakers._Said], dict[int, frozenset[str]], dict[str, Article]]


def _story(seed: int, size: int = 40) -> Story:
    rng = random.Random(seed)
    said, articles = [], {}
    clusters: list[list[Member]] = [[] for _ in range(10)]
    for n in range(size):
        chosen = rng.sample(POOL, 2)
        article = Article(id=f"a{n:03d}", text=" ".join(chosen), outlet=f"Outlet {n}")
        articles[article.id] = article
        for sentence in chosen:
            start = article.text.index(sentence)
            s = Statement(id=f"{article.id}-{start}", kind="quote", article=article, text=sentence,
                          span=Span(article.id, start, start + len(sentence), sentence),
                          stance=rng.choice(["supports", "supports", "denies"]),
                          entity=rng.choice(["e_min", "e_min", "e_board"]))
            cluster = rng.randrange(10)
            clusters[cluster].append((s, s.stance, None))
            key = (article.id, start, start + len(sentence))
            said.append(speakers._Said(cluster, s, frozenset(), (key,)))
    said.sort(key=lambda x: x.cluster)  # _quotes gives them in cluster order
    rare = {id(x): frozenset(rng.sample(["x", "y", "z"], rng.randint(0, 2))) for x in said}
    return clusters, said, rare, articles


def _plain(clusters: list[list[Member]], said: list[speakers._Said], rare: dict[int, frozenset[str]],
           articles: dict[str, Article]) -> list[list[Member]]:
    """The pass as it was: every pair of one speaker's quotes scored, most probable first."""
    by_speaker: dict[str, list[speakers._Said]] = {}
    for x in said:
        by_speaker.setdefault(str(x.statement.entity), []).append(x)
    candidates = [(a, b) for group in by_speaker.values() for i, a in enumerate(group) for b in group[i + 1:]
                  if a.cluster != b.cluster and a.statement.article.id != b.statement.article.id
                  and a.statement.stance == b.statement.stance and not rare[id(a)].isdisjoint(rare[id(b)])]
    if not candidates:
        return list(clusters)
    scorer = _scorer(sorted({k for a, b in candidates for k in (*a.keys, *b.keys)}), articles)
    scored = []
    for a, b in candidates:
        p = scorer.best(a.keys, b.keys)
        if p >= defaults.CLAIM_MATCH_PROBABILITY:
            scored.append((-p, a.cluster, b.cluster))
    return speakers._joined(clusters, sorted(scored))


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("size", [3, 40])  # few articles: classes whose quotes are all one article's
def test_best_joins_join_what_every_pair_joins(seed: int, size: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(claimpairs, "MEMO", claimpairs.PairMemo(0))
    clusters, said, rare, articles = _story(seed, size)
    asked: list[list[SentenceKey]] = []

    def scorer_of(keys: list[SentenceKey]) -> claimpairs.Scorer:
        asked.append(keys)
        return _scorer(keys, articles)

    scored = speakers.best_joins(said, rare, scorer_of)
    fast = speakers._joined(clusters, scored) if scored else list(clusters)
    plain = _plain(clusters, said, rare, articles)
    assert [[id(s) for s, _, _ in c] for c in fast] == [[id(s) for s, _, _ in c] for c in plain]
    assert len({(c, d) for _, c, d in scored}) == len(scored)  # each cluster pair once
    # given each cluster's articles, pairs of clusters sharing one are not scored: the same joins,
    # fewer clause runs asked for
    apart = [frozenset(s.article.id for s, _, _ in c) for c in clusters]
    before = {k for keys in asked for k in keys}
    asked.clear()
    scored = speakers.best_joins(said, rare, scorer_of, apart)
    fewer = speakers._joined(clusters, scored) if scored else list(clusters)
    assert [[id(s) for s, _, _ in c] for c in fewer] == [[id(s) for s, _, _ in c] for c in plain]
    assert {k for keys in asked for k in keys} <= before


def test_the_stories_tested_join_some_clusters_and_not_all() -> None:
    joined = []
    for seed in range(8):
        clusters, said, rare, articles = _story(seed)
        joined.append(len(clusters) - len(_plain(clusters, said, rare, articles)))
    assert any(n > 0 for n in joined) and all(n < 9 for n in joined)
