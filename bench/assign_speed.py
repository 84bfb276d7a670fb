"""Speed of online story assignment: one new article against a big store, and a 10k batch.

Usage (from the project root, inside the venv)::

    python bench/assign_speed.py ../shared/bench [--n 100000] [--batch 10000] [--probes 50]

DATA_PATH supplies a vocabulary (the words of ``ecbplus/ECB_Train_corpus.txt`` when present;
otherwise invented words). Articles are synthetic: each story has its own words and names, each
article mixes them with Zipf-distributed background words. The big store is built in bulk through
the Store write methods (clustering state computed directly, no online assignment), then:

* probes: ``assign_articles`` of one new article at a time (half follow-ups of existing stories,
  half new stories): median and p95 ms. Target < 200 ms each.
* naive peer, same store, same probes: score the article against EVERY story's centroid
  (``stories.score_story``), reading all centroids from the store as a stateless call must.
* batch: full assignment of ``--batch`` articles into a fresh store: seconds and peak memory
  (ru_maxrss; the batch runs first, so the peak is the batch's).

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsfuse import defaults  # noqa: E402
from newsfuse.fuse.stories import assign as stories  # noqa: E402
from newsfuse.fuse.stories import textsim  # noqa: E402
from newsfuse.ids import content_id  # noqa: E402
from newsfuse.models import Article, Story  # noqa: E402
from newsfuse.store import Store, queries  # noqa: E402

ARTICLES_PER_STORY = 5
WORDS_PER_ARTICLE = 120
STORY_WORDS = 25


def vocabulary(data_path: Path, rng: random.Random) -> list[str]:
    corpus = data_path / "ecbplus" / "ECB_Train_corpus.txt" if data_path.is_dir() else data_path
    words: Counter[str] = Counter()
    if corpus.is_file():
        with corpus.open(encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.split("\t")
                if len(parts) >= 4 and parts[3].isalpha() and len(parts[3]) > 2:
                    words[parts[3].lower()] += 1
    vocab = [w for w, _ in words.most_common()]
    letters = "abcdefghiklmnoprstuvw"
    while len(vocab) < 20000:  # invented words fill the long tail
        vocab.append("".join(rng.choice(letters) for _ in range(rng.randint(5, 10))))
    return vocab


class Synth:
    """Synthetic stories: own words + two names; articles mix them with background words."""

    def __init__(self, vocab: list[str], seed: int) -> None:
        self.vocab = vocab
        self.rng = random.Random(seed)
        weights = [1.0 / (r + 1) for r in range(len(vocab))]
        total = sum(weights)
        self.cum = list(_accumulate([w / total for w in weights]))

    def story(self) -> tuple[list[str], list[str]]:
        own = self.rng.sample(self.vocab[2000:], STORY_WORDS)
        names = [w.capitalize() for w in self.rng.sample(self.vocab[5000:], 2)]
        return own, names

    def article(self, topic: tuple[list[str], list[str]]) -> str:
        own, names = topic
        words = []
        for i in range(WORDS_PER_ARTICLE):
            if i % 3 == 0:
                words.append(self.rng.choice(own))
            elif i % 17 == 5:
                words.append(self.rng.choice(names))
            else:
                words.append(self.vocab[_bisect(self.cum, self.rng.random())])
        return " ".join(words) + "."


def _accumulate(xs: Sequence[float]) -> list[float]:
    out, s = [], 0.0
    for x in xs:
        s += x
        out.append(s)
    return out


def _bisect(cum: list[float], x: float) -> int:
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


Topic = tuple[list[str], list[str]]


def make_articles(synth: Synth, n: int, prefix: str) -> tuple[list[Article], list[int], list[Topic]]:
    """n articles in stories of ARTICLES_PER_STORY; the gold story of each; the stories' words."""
    topics = [synth.story() for _ in range(max(1, n // ARTICLES_PER_STORY))]
    out, gold = [], []
    for i in range(n):
        k = i % len(topics)
        text = synth.article(topics[k])
        day = f"2024-{1 + (k // 28) % 12:02d}-{1 + k % 28:02d}"
        out.append(Article(id=content_id(prefix, i, prefix="a_"), text=text, outlet=f"Outlet {i % 40}",
                           published=day))
        gold.append(k)
    return out, gold, topics


def bulk_store(store: Store, articles: list[Article], gold: list[int]) -> None:
    """Articles + clustering state written in bulk (the state online assignment would build)."""
    counts = {a.id: textsim.count_terms(a.text) for a in articles}
    df = Counter(t for c in counts.values() for t in c)
    n = len(articles)
    groups: dict[int, list[Article]] = {}
    for a, g in zip(articles, gold, strict=True):
        groups.setdefault(g, []).append(a)
    with store.transaction():
        for a in articles:
            store.add_article(a)
        store.add_story_docs([(a.id, json.dumps(counts[a.id])) for a in articles], sorted(df.items()))
        for members in groups.values():
            sid = stories.story_id_for(members[0].id)
            days = sorted(m.published for m in members if m.published)
            first, last = (days[0], days[-1]) if days else (None, None)
            title = stories.title_of(members[0])
            store.put_story(Story(id=sid, title=title, first_seen=first, last_update=last))
            centroid: dict[str, float] = {}
            index: set[str] = set()
            for m in members:
                vec = textsim.weigh(counts[m.id], df, n)
                centroid = textsim.add(centroid, vec, defaults.STORY_CENTROID_TERMS)
                index.update(stories.candidate_terms(vec, df, n))
                store.assign(m.id, sid, 1.0)
            store.put_story_vector(sid, len(members), json.dumps(centroid), sorted(index))


def naive_assign_ms(store: Store, article: Article) -> float:
    """Score one article against every story, reading every centroid (the peer)."""
    t0 = time.perf_counter()
    counts = textsim.count_terms(stories.article_text(article))
    df = queries.term_df(store, sorted(counts))
    n = queries.story_doc_count(store) + 1
    vec = textsim.weigh(counts, {t: df.get(t, 0) + 1 for t in counts}, n)
    vectors = queries.story_vectors(store)
    headers = queries.story_headers(store, list(vectors))
    best = max((stories.score_story(vec, c, size, article.published, headers[s]["first_seen"],
                                    headers[s]["last_update"]), s) for s, (size, c) in vectors.items())
    _ = best[0] >= defaults.STORY_THRESHOLD
    return (time.perf_counter() - t0) * 1000


def pct(xs: list[float], q: float) -> float:
    ys = sorted(xs)
    return ys[min(len(ys) - 1, math.ceil(q * len(ys)) - 1)]


def pairwise_f1(pred: Sequence[object], gold: Sequence[object]) -> float:
    """Pairwise F1 from the contingency table (no loop over pairs: 10k articles are 50M pairs)."""
    def pairs(counts: Counter[Any]) -> int:
        return sum(c * (c - 1) // 2 for c in counts.values())

    both, p, g = pairs(Counter(zip(pred, gold, strict=True))), pairs(Counter(pred)), pairs(Counter(gold))
    return 2 * both / (p + g) if p + g else 1.0


def run_batch(synth: Synth, n: int, work: Path) -> dict[str, Any]:
    articles, gold, _ = make_articles(synth, n, "batch")
    order = list(range(n))
    random.Random(1).shuffle(order)
    with Store(str(work / "batch.db")) as store:
        with store.transaction():
            for i in order:
                store.add_article(articles[i])
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t0 = time.perf_counter()
        stories.assign_articles(store, [articles[i].id for i in order])
        seconds = time.perf_counter() - t0
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        found = [queries.story_of_article(store, a.id) or "" for a in articles]
        found = [queries.resolve_story_id(store, s) for s in found]
    agree = pairwise_f1(found, gold)
    return {"articles": n, "seconds": round(seconds, 1), "ms_per_article": round(seconds * 1000 / n, 2),
            "peak_rss_mb": round(rss1 / 1024, 1), "rss_growth_mb": round((rss1 - rss0) / 1024, 1),
            "stories_found": len(set(found)), "stories_gold": len(set(gold)), "pairwise_f1": round(agree, 4)}


def run_probes(synth: Synth, n: int, probes: int, naive_probes: int, work: Path) -> dict[str, Any]:
    articles, gold, topics = make_articles(synth, n, "big")
    t0 = time.perf_counter()
    with Store(str(work / "big.db")) as store:
        bulk_store(store, articles, gold)
        build_s = time.perf_counter() - t0
        # Follow-ups reuse the words of stories in the store; the rest are new stories.
        rng = random.Random(7)
        topics_seen = rng.sample(range(len(articles)), probes // 2)
        picks = topics_seen + topics_seen[: probes - probes // 2]
        probes_list = [
            Article(id=content_id("probe", i, prefix="a_"), outlet="Probe", published=articles[k].published,
                    text=synth.article(topics[gold[k]] if i < probes // 2 else synth.story()))
            for i, k in enumerate(picks)
        ]
        ms, joined = [], 0
        for p in probes_list:
            store.add_article(p)
            t1 = time.perf_counter()
            stories.assign_articles(store, [p.id])
            ms.append((time.perf_counter() - t1) * 1000)
            joined += queries.story_of_article(store, p.id) != stories.story_id_for(p.id)
        naive = [naive_assign_ms(store, p) for p in probes_list[:naive_probes]]
        n_stories = len(queries.story_vectors(store, None)) if naive_probes else None
    return {"articles": n, "stories": n_stories, "build_seconds": round(build_s, 1),
            "ours_ms_median": round(statistics.median(ms), 1), "ours_ms_p95": round(pct(ms, 0.95), 1),
            "ours_ms_max": round(max(ms), 1), "probes": len(ms), "probes_joined": joined,
            "naive_ms_median": round(statistics.median(naive), 1) if naive else None,
            "naive_probes": len(naive)}


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description="Time online story assignment against a big store.")
    ap.add_argument("data_path", type=Path)
    ap.add_argument("--n", type=int, default=100_000, help="articles in the big store")
    ap.add_argument("--batch", type=int, default=10_000, help="articles assigned in one batch")
    ap.add_argument("--probes", type=int, default=50, help="single new articles timed")
    ap.add_argument("--naive-probes", type=int, default=5, help="probes also run through the naive peer")
    args = ap.parse_args(argv)
    synth = Synth(vocabulary(args.data_path, random.Random(0)), seed=3)
    with tempfile.TemporaryDirectory(prefix="newsfuse-speed-") as tmp:
        batch = run_batch(synth, args.batch, Path(tmp))
        print(f"batch: {batch['articles']} articles assigned in {batch['seconds']} s "
              f"({batch['ms_per_article']} ms each), peak RSS {batch['peak_rss_mb']} MB; "
              f"{batch['stories_found']} stories found for {batch['stories_gold']} generated "
          f"(pairwise F1 {batch['pairwise_f1']})")
        probe = run_probes(synth, args.n, args.probes, args.naive_probes, Path(tmp))
    print(f"store: {probe['articles']} articles in {probe['stories']} stories, "
          f"built in {probe['build_seconds']} s")
    print(f"ours : one new article in {probe['ours_ms_median']} ms median, {probe['ours_ms_p95']} ms p95 "
          f"({probe['probes']} probes, {probe['probes_joined']} joined a story); target < 200 ms")
    if probe["naive_ms_median"] is not None:
        ratio = probe["naive_ms_median"] / max(probe["ours_ms_median"], 1e-9)
        print(f"naive: {probe['naive_ms_median']} ms median scoring every story "
              f"({probe['naive_probes']} probes); {ratio:.0f}x slower")
    result = {"bench": "assign_speed", "batch": batch, "probe": probe}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
