"""The chain join's first tries (newsfuse/fuse/claims/firstjoin.py) give exactly the joins of the plain
pass that visits every pair of chained sentences, most probable first: stories of many articles
repeating a few sentences (copies: few classes), with a matcher whose answer differs per pair of
texts, so order, floor and refusals all matter."""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator, Sequence

import numpy as np
import pytest
from bergstory import berg_analysis

from newsfuse import defaults
from newsfuse.fuse.claims import build as claimbuild
from newsfuse.fuse.claims import chainjoin
from newsfuse.fuse.claims import match as claimmatch
from newsfuse.fuse.claims import pairs as claimpairs
from newsfuse.fuse.claims.align import Member
from newsfuse.fuse.claims.meaning import _Joins, _pairable, _sentences
from newsfuse.fuse.claims.statements import Statement
from newsfuse.fuse.claims.vectors import SentenceVectors
from newsfuse.models import Analysis, Article, Span

POOL = [
    "The agency fired Tomas Berg on Friday after a review of his messages by its own inspectors.",
    "Tomas Berg was fired late on Friday on the orders of the deputy head, his lawyer said.",
    "Officials fired Tomas Berg after the review, a spokesman for the agency confirmed on Friday.",
    "Tomas Berg praised the inspectors in a long statement to colleagues on Friday evening.",
    "In a statement Tomas Berg praised the inspectors who had reviewed his messages for weeks.",
]


class _Matcher:
    """A different answer for every pair of texts (the same for every copy of them), around the chain
    join's floor and below the meaning pass's: the meaning pass joins nothing, the chain join some."""

    def probability(self, a: str, b: str, cosine: float) -> float:
        spread = (zlib.crc32(f"{a}|{b}".encode()) % 1000) / 1000
        low = defaults.CLAIM_CHAIN_PROBABILITY - 0.05
        return low + spread * (defaults.CLAIM_MATCH_PROBABILITY - 0.001 - low)


class _Vectors:
    """One vector per text (copies share a scorer row), different across texts."""

    store = None  # as SentenceVectors without a store

    def of(self, keys: Sequence[object], texts: Sequence[str]) -> np.ndarray:
        rows = [np.random.default_rng(zlib.crc32(t.encode())).random(8) for t in texts]
        return np.array([r / np.linalg.norm(r) for r in rows], dtype=np.float32).reshape(len(texts), 8)


@pytest.fixture
def patched(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    monkeypatch.setattr(claimmatch, "packaged", lambda: _Matcher())
    monkeypatch.setattr(claimpairs, "MEMO", claimpairs.PairMemo(0))
    monkeypatch.setattr(defaults, "CLAIM_MATCH_BY_MEANING", True)
    compared: list[int] = []

    def both(clusters: Sequence[list[Member]], chains: Sequence[Sequence[Statement]],
             vectors: SentenceVectors) -> list[list[Member]]:
        fast = chainjoin.join_chained(clusters, chains, vectors)
        plain = _plain(clusters, chains, vectors)
        assert [[id(s) for s, _, _ in c] for c in fast] == [[id(s) for s, _, _ in c] for c in plain]
        compared.append(len(clusters) - len(fast))
        return fast

    monkeypatch.setattr(claimbuild, "join_chained", both)
    yield compared


def _plain(clusters: Sequence[list[Member]], chains: Sequence[Sequence[Statement]],
           vectors: SentenceVectors) -> list[list[Member]]:
    """The pass as it was: every pair of two articles' sentences of one chain, most probable first."""
    chain_of = {id(s): n for n, chain in enumerate(chains) if len({x.article.id for x in chain}) > 1
                for s in chain}
    sentences = _sentences(clusters)
    by_chain: dict[int, list[int]] = {}
    for i, x in enumerate(sentences):
        for n in {chain_of[id(s)] for _, s in x.holders if id(s) in chain_of}:
            by_chain.setdefault(n, []).append(i)
    candidates = sorted({(i, j) for rows in by_chain.values() for i in rows for j in rows
                         if i < j and sentences[i].key[0] != sentences[j].key[0]})
    if not candidates:
        return list(clusters)
    rows = sorted({i for pair in candidates for i in pair})
    keys = [sentences[i].key for i in rows]
    texts = [sentences[i].text for i in rows]
    scorer = claimpairs.Scorer(claimmatch.packaged(), keys, texts, vectors.of(keys, texts))
    scored = []
    for i, j in candidates:
        p = scorer.probability(sentences[i].key, sentences[j].key)
        if p >= defaults.CLAIM_CHAIN_PROBABILITY:
            scored.append((-p, i, j))
    joins = _Joins(clusters)
    for _, i, j in sorted(scored):
        for c, d in _pairable(sentences[i], sentences[j]):
            joins.join(c, d)
    return joins.result()


def _story(seed: int) -> tuple[list[list[Member]], list[list[Statement]]]:
    """Clusters and chains of a story of 30 articles, each telling one to three sentences of POOL
    (copies), its statements put in clusters and chains at random: what the pass is given."""
    rng = random.Random(seed)
    statements: list[Statement] = []
    for n in range(30):
        chosen = rng.sample(POOL, rng.randint(1, 3))
        article = Article(id=f"a{n:03d}", text=" ".join(chosen), outlet=f"Outlet {n}")
        for sentence in chosen:
            start = article.text.index(sentence)
            verb = "praised" if "praised" in sentence else "fired"
            statements.append(Statement(
                id=f"{article.id}-{start}", kind="event", article=article, text=sentence,
                span=Span(article.id, start, start + len(sentence), sentence),
                stance=rng.choice(["supports", "supports", "denies"]), entity=rng.choice([None, "e1", "e2"]),
                type="APPROVE" if verb == "praised" else "SANCTION", trigger=verb,
                at=article.text.index(verb, start)))
    clusters: list[list[Member]] = [[] for _ in range(12)]
    for s in statements:
        clusters[rng.randrange(12)].append((s, s.stance, None))
    chains: list[list[Statement]] = [[] for _ in range(3)]
    for s in statements:
        chains[rng.randrange(3)].append(s)
    return [c for c in clusters if c], chains


@pytest.mark.parametrize("seed", range(8))
def test_first_tries_join_what_every_pair_joins(patched: list[int], seed: int) -> None:
    clusters, chains = _story(seed)
    fast = chainjoin.join_chained(clusters, chains, _Vectors())  # type: ignore[arg-type]
    plain = _plain(clusters, chains, _Vectors())  # type: ignore[arg-type]
    assert [[id(s) for s, _, _ in c] for c in fast] == [[id(s) for s, _, _ in c] for c in plain]
    patched.append(len(clusters) - len(fast))


def test_the_stories_tested_make_joins_and_refuse_some(patched: list[int]) -> None:
    """The comparison is not vacuous: these stories join clusters, and leave some apart."""
    joined = []
    for seed in range(8):
        clusters, chains = _story(seed)
        joined.append(len(clusters) - len(chainjoin.join_chained(clusters, chains, _Vectors())))  # type: ignore[arg-type]
    assert any(n > 0 for n in joined) and any(n < 11 for n in joined)


def test_a_real_story_agrees_inside_build_claims(patched: list[int], seeds: object) -> None:
    """build_claims with the patched pass: the fast and plain joins agree on a story built end to
    end (here: copies of POOL told by 24 outlets)."""
    rng = random.Random(7)
    articles = []
    for n in range(24):
        chosen = rng.sample(POOL, rng.randint(1, 3))
        articles.append(Article(id=f"b{n:03d}", text=" ".join(chosen), outlet=f"Outlet {n}",
                                published="2025-03-07", published_source="header"))
    emap = {(a.id, "Tomas Berg"): "e_berg" for a in articles}
    claimbuild.build_claims("s", articles, {a.id: _analysis(a) for a in articles}, emap,
                            vectors=_Vectors())  # type: ignore[arg-type]
    assert patched


def _analysis(a: Article) -> Analysis:
    return berg_analysis(a, POOL)
