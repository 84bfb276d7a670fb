"""The whole fuse stage at scale: 10k articles at once, and one new article in a big store.

Usage (from the project root, inside the venv)::

    python bench/fusion_scale.py ../shared/bench [--articles 10000] [--seeds 150]
        [--story-size 2-30] [--big-stories 400,200] [--probes 3] [--cache /tmp/seeds.pkl]
        [--grow 50,200,500] [--newest] [--profile PATH] [--no-meaning] [--coref-context on|off]
        [--no-ahead]

Articles are realistic without running spaCy 10k times: ``--seeds`` real PolNeAR texts
(``DATA_PATH/polnear/train``) are analysed once (``analyze_texts``), then replicated into
``--articles`` articles grouped into stories: most of ``--story-size`` articles (skewed to the small
end), plus ``--big-stories`` of the given sizes. A story draws its articles from a pool of 1-4 seed
texts; each copy gets a new ID, an outlet, a date near the story's date (analysis dates shifted
with it; 1% undated), a story-specific trailer paragraph (so the story clusterer can tell stories
apart; appended, so no offset moves) and, for half of the multi-word person names, a story-specific
surname (the rest stay shared store-wide, as famous names are).

Measured, each phase in a fresh process so peak RSS (ru_maxrss) is that phase's own:

* peer: ``stories.assign_articles`` of all articles (story assignment alone);
* full: ``fuse_stage`` of all articles (assignment + per story: entities, claims, timeline, writes),
  with the time split by part;
* probes: ``fuse_stage`` of ONE new article joining (a) a small story, (b) the largest story,
  in the fused store (median of ``--probes``; ``joined`` says whether assignment put it there);
* refuse: ``fuse_story`` of that small / largest story as stored: the fusion part of a join,
  measured whatever the assignment decided for the probes; ``warm_ms``: the same again in the same
  process (a running process that fused the story before: statements come from
  ``fuse/claims/cache.py``; a joining article would add one article's miss).

* grow (``--grow N,...``): for each N a store of ONE story of N articles (copies of four seed texts,
  put in the story directly, not by assignment; stored through ingest's ``store_article``, so copies
  of one text carry the copy links ingest gives them), fused; then one new article is put in it and
  ``fuse_story`` timed in a fresh process
  (``cold_ms``: what a CLI run pays, loading the encoder if it must encode), and a second new article
  in that same process (``warm_ms``: what a running process, the API or ``watch``, pays); ``*_cpu_ms``
  the same in CPU time of the process (a loaded host's clock also counts waiting for a core).
  ``fuse_modes`` counts what those fuses took from what the process kept (articles' statements,
  matcher decisions on sentence pairs, alignments resumed from the story's kept groups, ``gone_back``
  those of them that first went back over a re-sorted article) against what they computed.
  ``--newest``: the new articles are published after all the story's others (what a watch mostly
  sees; the alignment then resumes), else on a day of the story's week.
  ``--profile PATH``: cProfile statistics of the second added article's fuse, to ``PATH.N`` (read
  with ``python -m pstats``); that article's CPU then includes the profiler's, so time with
  ``--probes 4`` or more (the warm median is of the others too) or without it. ``--grow-pool K``:
  the story copies K texts of one topic (of ``--seeds``: those naming the seeds' most named
  person), so its meaning pass scores pairs of other wording. ``claims``/``timeline``/``links`` and
  their ``_sha``: the grown story's rows as stored after the last add (equal digests in two runs,
  main and a branch, mean the same rows were written).

Split figures are seconds inside the wrapped functions (they nest: ``read.analyses`` is also
inside ``assign``, ``claims.event_chains`` inside ``claims``); ``split_share`` is each as a share
of the whole fuse_stage.

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import functools
import hashlib
import json
import multiprocessing as mp
import pickle
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsfuse.errors import NewsfuseError  # noqa: E402
from newsfuse.fuse import analyses as kept_analyses  # noqa: E402
from newsfuse.fuse import pipeline, timeline  # noqa: E402
from newsfuse.fuse.claims import ahead, crossencoder  # noqa: E402
from newsfuse.fuse.claims import align as claimalign  # noqa: E402
from newsfuse.fuse.claims import build as claims  # noqa: E402
from newsfuse.fuse.claims import cache as claimcache  # noqa: E402
from newsfuse.fuse.claims import pairs as claimpairs  # noqa: E402
from newsfuse.fuse.claims import resume as claimresume  # noqa: E402
from newsfuse.fuse.entities import grow as entity_grow  # noqa: E402
from newsfuse.fuse.entities import resolve as entities  # noqa: E402
from newsfuse.fuse.entities import resolved as entity_resolved  # noqa: E402
from newsfuse.fuse.pipeline import fuse_stage  # noqa: E402
from newsfuse.fuse.stories import assign as stories  # noqa: E402
from newsfuse.ids import content_id  # noqa: E402
from newsfuse.ingest import pipeline as ingest  # noqa: E402
from newsfuse.models import Analysis, Article, Story  # noqa: E402
from newsfuse.pipeline import RunContext  # noqa: E402
from newsfuse.store import Store, queries  # noqa: E402

OUTLETS = [f"Outlet {n:02d}" for n in range(60)]
LETTERS = "abcdefghiklmnoprstuvwyz"
UNDATED_SHARE = 0.01
TRAILER_WORDS = 40


# -- seeds: real texts analysed once ------------------------------------------------------------


def load_seed_articles(data_path: Path, n: int) -> list[Article]:
    """Up to ``n`` PolNeAR texts as Articles, with their outlet and date from metadata.tsv."""
    root = data_path / "polnear" if (data_path / "polnear").is_dir() else data_path
    text_dir = root / "train" / "text"
    if not text_dir.is_dir():
        raise NewsfuseError(f"no PolNeAR texts in {text_dir}; pass the shared bench folder as DATA_PATH")
    meta: dict[str, dict[str, str]] = {}
    if (root / "metadata.tsv").is_file():
        with (root / "metadata.tsv").open(encoding="utf-8") as f:
            meta = {r["filename"]: r for r in csv.DictReader(f, delimiter="\t")}
    out = []
    for path in sorted(text_dir.glob("*.txt"))[:n]:
        row = meta.get(path.stem, {})
        text = path.read_text(encoding="utf-8", errors="replace").strip()
        out.append(Article(id=content_id("seed", path.stem, prefix="a_"), text=text,
                           outlet=row.get("publisher") or "seed", title=row.get("title") or None,
                           published=(row.get("publication_date") or "2016-01-01")[:10]))
    return out


def analysed_seeds(
    data_path: Path, n: int, cache: Path | None
) -> tuple[list[Article], list[Analysis], float]:
    """Seed articles and their analyses (from ``cache`` when it holds the same seeds)."""
    articles = load_seed_articles(data_path, n)
    if cache is not None and cache.is_file():
        ids, analyses = pickle.loads(cache.read_bytes())
        if ids == [a.id for a in articles]:
            return articles, analyses, 0.0
    from newsfuse.analyze.pipeline import analyze_texts

    t0 = time.perf_counter()
    analyses = analyze_texts(articles)
    seconds = time.perf_counter() - t0
    if cache is not None:
        cache.write_bytes(pickle.dumps(([a.id for a in articles], analyses)))
    return articles, analyses, seconds


# -- replication ----------------------------------------------------------------------------------


@dataclass
class StoryPlan:
    """What every article of one synthetic story shares."""

    number: int
    day: date
    pool: list[int]  # seed indexes the story's articles copy
    trailer: str
    renames: dict[str, str]  # entity_key -> story-specific key


def story_sizes(n: int, small: tuple[int, int], big: Sequence[int], rng: random.Random) -> list[int]:
    """Sizes summing to ``n``: the big ones first, then small ones skewed to the low end."""
    sizes = [b for b in big if b <= n // 2]
    left = n - sum(sizes)
    lo, hi = small
    while left > 0:
        size = min(left, lo + int((hi - lo) * rng.random() ** 2))
        sizes.append(size)
        left -= size
    return sizes


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(LETTERS) for _ in range(rng.randint(6, 10)))


def plan_story(number: int, seeds: list[Analysis], rng: random.Random) -> StoryPlan:
    pool = rng.sample(range(len(seeds)), min(len(seeds), rng.randint(1, 4)))
    words = [_word(rng) for _ in range(12)]
    trailer = " ".join(rng.choice(words) for _ in range(TRAILER_WORDS))
    renames = {}
    for k in pool:
        for m in seeds[k].mentions:
            parts = m.entity_key.split()
            if m.label == "PERSON" and len(parts) >= 2 and m.entity_key not in renames:
                surname = _word(rng).capitalize() if rng.random() < 0.5 else parts[-1]
                renames[m.entity_key] = " ".join([*parts[:-1], surname])
    day = date(2010, 1, 1) + timedelta(days=number * 20)  # stories apart in time
    return StoryPlan(number, day, pool, f"\n\n{trailer.capitalize()}.", renames)


def _shift(value: str | None, delta: timedelta) -> str | None:
    if not value:
        return value
    try:
        return (date.fromisoformat(value[:10]) + delta).isoformat() + value[10:]
    except ValueError:
        return value


def replicate(
    plan: StoryPlan, i: int, seeds: list[Article], analyses: list[Analysis], rng: random.Random,
    later: int = 0,
) -> tuple[Article, Analysis]:
    """One article of the story: a seed copy with new IDs, outlet, date, trailer and names (``later``:
    published that many days after the story's first day, past its week: after every other article)."""
    k = rng.choice(plan.pool)
    seed, an = seeds[k], analyses[k]
    aid = content_id("scale", plan.number, i, prefix="a_")
    day = plan.day + timedelta(days=rng.randint(0, 6))
    day = plan.day + timedelta(days=later) if later else day
    delta = day - date.fromisoformat((seed.published or "2016-01-01")[:10])
    undated = rng.random() < UNDATED_SHARE and not later
    article = replace(seed, id=aid, text=seed.text + plan.trailer, outlet=rng.choice(OUTLETS),
                      published=None if undated else day.isoformat(),
                      published_source=None if undated else "metadata")

    def nid(old: str) -> str:
        return content_id(aid, old, prefix=old[:2])

    def key(k: str | None) -> str | None:
        return plan.renames.get(k, k) if k else k

    return article, Analysis(
        article_id=aid, version=an.version,
        mentions=tuple(replace(m, id=nid(m.id), article_id=aid, entity_key=key(m.entity_key) or "")
                       for m in an.mentions),
        quotes=tuple(replace(q, id=nid(q.id), article_id=aid, speaker_key=key(q.speaker_key))
                     for q in an.quotes),
        events=tuple(replace(e, id=nid(e.id), article_id=aid, source_key=key(e.source_key),
                             target_key=key(e.target_key), time_id=nid(e.time_id) if e.time_id else None,
                             amount_ids=tuple(nid(x) for x in e.amount_ids),
                             date_start=_shift(e.date_start, delta), date_end=_shift(e.date_end, delta))
                     for e in an.events),
        times=tuple(replace(t, id=nid(t.id), article_id=aid, value_start=_shift(t.value_start, delta),
                            value_end=_shift(t.value_end, delta)) for t in an.times),
        amounts=tuple(replace(x, id=nid(x.id), article_id=aid) for x in an.amounts),
    )


def write(store: Store, pairs: Sequence[tuple[Article, Analysis]]) -> None:
    """Articles and analyses in bulk transactions."""
    for start in range(0, len(pairs), 500):
        with store.transaction():
            for article, analysis in pairs[start : start + 500]:
                store.add_article(article)
                store.put_analysis(analysis)


# -- phases (each in its own process) ---------------------------------------------------------------


def _rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _in_child(fn: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """Run ``fn(*args)`` in a forked process; its result includes that process's peak RSS."""
    ctx = mp.get_context("fork")
    queue: Any = ctx.Queue()

    def target() -> None:
        out = fn(*args)
        out["peak_rss_mb"] = _rss_mb()
        queue.put(out)

    proc = ctx.Process(target=target)
    proc.start()
    result: dict[str, Any] = queue.get()
    proc.join()
    return result


def phase_assign(db: str, ids: list[str]) -> dict[str, Any]:
    with Store(db) as store:
        rss0 = _rss_mb()
        t0 = time.perf_counter()
        touched = stories.assign_articles(store, ids)
        seconds = time.perf_counter() - t0
    return {"seconds": round(seconds, 2), "stories": len(touched), "rss_before_mb": rss0}


class Timer:
    """Seconds spent in wrapped functions (patched on their modules for one phase)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}

    def wrap(self, module: Any, name: str, label: str) -> None:
        fn = getattr(module, name)

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[label] = self.spent.get(label, 0.0) + time.perf_counter() - t0

        setattr(module, name, timed)


def _instrument() -> Timer:
    from newsfuse.store import store as store_mod

    timer = Timer()
    timer.wrap(stories, "assign_articles", "assign")
    timer.wrap(entities, "resolve_story_entities", "entities")  # callers other than the fuse's
    timer.wrap(entity_resolved, "resolve_and_put", "entities")  # the fuse's (with its writes)
    timer.wrap(claims, "build_claims", "claims")
    timer.wrap(claimalign, "event_chains", "claims.event_chains")  # align calls it from there
    timer.wrap(claims, "align", "claims.align")  # build_claims calls these from its own module
    timer.wrap(claimresume.ALIGNMENTS, "aligned", "claims.align")  # chains and groups, kept or fresh
    timer.wrap(claims, "join_by_meaning", "claims.meaning")
    timer.wrap(claims, "join_speakers", "claims.speakers")
    timer.wrap(timeline, "build_timeline", "timeline")
    timer.wrap(pipeline, "_estimate_dates", "estimate_dates")
    for name in ("put_entities", "put_claims", "put_timeline"):
        timer.wrap(store_mod.Store, name, "writes")
    timer.wrap(queries, "get_analysis", "read.get_analysis")
    timer.wrap(queries, "get_analyses", "read.analyses")
    timer.wrap(queries, "copies", "read.copies")
    return timer


def phase_fuse(db: str, ids: list[str]) -> dict[str, Any]:

    timer = _instrument()
    with Store(db) as store:
        rss0 = _rss_mb()
        t0 = time.perf_counter()
        ctx = RunContext(stored=list(ids))
        fuse_stage(store, ctx)
        seconds = time.perf_counter() - t0
        sizes = Counter(queries.resolve_story_id(store, queries.story_of_article(store, a) or "")
                        for a in ids)
    return {"seconds": round(seconds, 2), "stories": len(ctx.stories), "rss_before_mb": rss0,
            "largest_story": max(sizes.values()), "story_sizes": _size_summary(list(sizes.values())),
            "split_seconds": {k: round(v, 2) for k, v in sorted(timer.spent.items())},
            "split_share": {k: round(v / max(seconds, 1e-9), 3) for k, v in sorted(timer.spent.items())}}


def _size_summary(sizes: list[int]) -> dict[str, int]:
    ys = sorted(sizes)
    return {"n": len(ys), "median": ys[len(ys) // 2], "p90": ys[int(0.9 * (len(ys) - 1))], "max": ys[-1]}


def phase_probe(db: str, pairs: list[tuple[Article, Analysis]], target: str) -> dict[str, Any]:
    """fuse_stage of each new article alone; ms each and whether it joined ``target``'s story."""

    timer = _instrument()
    ms, joined = [], 0
    with Store(db) as store:
        want = queries.resolve_story_id(store, queries.story_of_article(store, target) or "")
        size = len(queries.story_article_ids(store, want))
        for article, analysis in pairs:
            write(store, [(article, analysis)])
            t0 = time.perf_counter()
            fuse_stage(store, RunContext(stored=[article.id]))
            ms.append((time.perf_counter() - t0) * 1000)
            got = queries.story_of_article(store, article.id)
            joined += bool(got) and queries.resolve_story_id(store, got or "") == want
    return {"story_size": size, "ms_median": round(statistics.median(ms), 1), "ms_max": round(max(ms), 1),
            "probes": len(ms), "joined": joined,
            "split_ms": {k: round(v * 1000 / len(ms), 1) for k, v in sorted(timer.spent.items())}}


def phase_refuse(db: str, member: str) -> dict[str, Any]:
    """``fuse_story`` of the story holding ``member``, as stored: what fusing costs once an article
    has joined that story (whatever the assignment decides for the probes)."""

    timer = _instrument()
    with Store(db) as store:
        sid = queries.resolve_story_id(store, queries.story_of_article(store, member) or "")
        size = len(queries.story_article_ids(store, sid))
        t0 = time.perf_counter()
        pipeline.fuse_story(store, sid)
        ms = (time.perf_counter() - t0) * 1000
        cold = dict(timer.spent)
        # Again in the same process: what a running process (the API) pays once it fused the story
        # before, its articles' statements cached (fuse/claims/cache.py); a joining article adds one miss.
        timer.spent.clear()
        t0 = time.perf_counter()
        pipeline.fuse_story(store, sid)
        warm_ms = (time.perf_counter() - t0) * 1000
    return {"story_size": size, "ms": round(ms, 1),
            "split_ms": {k: round(v * 1000, 1) for k, v in sorted(cold.items())},
            "warm_ms": round(warm_ms, 1),
            "warm_split_ms": {k: round(v * 1000, 1) for k, v in sorted(timer.spent.items())}}


GROW_STORY = "s_grow"


def _place(store: Store, pairs: Sequence[tuple[Article, Analysis]]) -> None:
    """Articles and analyses stored and put in the one grown story (no story assignment: the
    clusterer may split four texts into four stories; this measures the fusion of a join). Articles
    go through ingest's own ``store_article``, so a copy of a text the store holds gets the copy link
    ingest would give it (the story's copies of one seed point at its earliest copy): the fuse then
    reads the links a real store has (sources, boilerplate, resumed alignment)."""
    index, ctx = ingest.copy_index(store), RunContext()
    for article, analysis in pairs:
        ingest.store_article(store, index, article, None, ctx)
        with store.transaction():
            store.put_analysis(analysis)
    with store.transaction():
        for article, _ in pairs:
            store.assign(article.id, GROW_STORY, 1.0)


def _ahead(db: str, pairs: Sequence[tuple[Article, Analysis]]) -> dict[str, Any]:
    """The vectors the analysis stage keeps for the fuse (none with COREF_CONTEXT off), in a process
    of its own, as the analysis process is: the grow phases' CPU and RSS are the fuse's alone."""
    with Store(db) as store:
        t0 = time.process_time()
        encoded = ahead.store_ahead(store, pairs)
    if encoded is None:
        return {"sentences": 0, "triggers": 0}
    return {"sentences": encoded.sentences, "triggers": len(encoded.triggers),
            "cpu_s": round(time.process_time() - t0, 2)}


def phase_grow_full(db: str) -> dict[str, Any]:
    """fuse_story of the whole grown story, from nothing stored: its first fusion."""
    timer = _instrument()
    with Store(db) as store:
        t0 = time.perf_counter()
        pipeline.fuse_story(store, GROW_STORY)
        seconds = time.perf_counter() - t0
    split = {k: round(v, 2) for k, v in sorted(timer.spent.items())}
    return {"seconds": round(seconds, 2), "split_seconds": split}


def phase_grow(db: str, pairs: list[tuple[Article, Analysis]], profile: str = "") -> dict[str, Any]:
    """Each new article placed in the fused story and the story fused (fuse_story), one at a time, in
    one fresh process: ms of the first (cold) and the median of the rest (warm). ``profile``: a file
    the cProfile statistics of the second fuse (the first warm one) are written to."""
    timer = _instrument()
    ms, cpu, splits = [], [], []
    with Store(db) as store:
        for n, pair in enumerate(pairs):
            _place(store, [pair])
            timer.spent.clear()
            profiler = cProfile.Profile() if profile and n == 1 else None
            t0, c0 = time.perf_counter(), time.process_time()
            if profiler is not None:
                profiler.enable()
            pipeline.fuse_story(store, GROW_STORY)
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(profile)
            ms.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)  # on a loaded host the clock also counts waiting
            splits.append({k: round(v * 1000, 1) for k, v in sorted(timer.spent.items())})
        ids = queries.story_article_ids(store, GROW_STORY)
        size, linked = len(ids), len(queries.copies_of(store, ids))
        digests = _digests(store)
    return {"story_size": size, "copy_links": linked, **digests, "cold_ms": round(ms[0], 1),
            "cold_split_ms": splits[0],
            "warm_ms": round(statistics.median(ms[1:]), 1) if len(ms) > 1 else None,
            "cold_cpu_ms": round(cpu[0], 1),
            "warm_cpu_ms": round(statistics.median(cpu[1:]), 1) if len(cpu) > 1 else None,
            "warm_split_ms": splits[-1], "fuse_modes": _fuse_modes()}


def _digests(store: Store) -> dict[str, Any]:
    """The grown story's claims, timeline and entity links as stored after the last add, as counts and
    digests of their rows: two runs (main and a branch) wrote the same rows when these agree."""
    out: dict[str, Any] = {}
    for name, sql in (("claims", "SELECT id, data FROM claims WHERE story_id = ? ORDER BY id"),
                      ("timeline", "SELECT seq, data FROM timeline WHERE story_id = ? ORDER BY seq"),
                      ("links", "SELECT l.article_id, l.entity_key, l.entity_id, l.reason "
                                "FROM entity_links l JOIN story_articles s ON s.article_id = l.article_id "
                                "WHERE s.story_id = ? ORDER BY l.article_id, l.entity_key")):
        rows = store.fetchall(sql, (GROW_STORY,))
        out[name] = len(rows)
        out[f"{name}_sha"] = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()[:12]
    return out


def _fuse_modes() -> dict[str, Any]:
    """What this process's fuses took from what earlier fuses kept (fuse/claims/cache.py: articles'
    statements; fuse/claims/pairs.py: matcher decisions on sentence pairs; fuse/analyses.py: parsed
    analyses; fuse/entities/: a story's rule clusters grown, its entities resolved from what was kept),
    hits against misses (and why not)."""
    return {"statements_kept": claimcache.CACHE.hits, "statements_built": claimcache.CACHE.misses,
            "pairs_kept": claimpairs.MEMO.hits, "pairs_scored": claimpairs.MEMO.misses,
            "neighbours_grown": claimpairs.NEIGHBOURS.grown,
            "neighbours_computed": claimpairs.NEIGHBOURS.computed,
            "alignments_resumed": claimresume.ALIGNMENTS.resumed,
            "alignments_gone_back": claimresume.ALIGNMENTS.gone_back,
            "alignments_fresh": claimresume.ALIGNMENTS.fresh,
            "analyses_kept": kept_analyses.ANALYSES.kept, "analyses_read": kept_analyses.ANALYSES.read,
            "entity_clusters_grown": entity_grow.KEPT.grown, "entity_clusters_full": entity_grow.KEPT.full,
            "entity_resolutions_kept": entity_resolved.COUNTS.kept,
            "entity_resolutions_full": entity_resolved.COUNTS.full,
            "entity_clusters_why": dict(entity_grow.KEPT.why),
            "entity_resolutions_why": dict(entity_resolved.COUNTS.why),
            # cross-encoder logits (CLAIM_MATCH_CROSS_ENCODER on): kept in this process / not (then
            # read back from the store, or read)
            "cross_logits_kept": crossencoder.LOGITS.hits,
            "cross_logits_not_kept": crossencoder.LOGITS.misses}


def one_topic(analyses: list[Analysis], k: int) -> list[int]:
    """The ``k`` seeds naming the person the seeds name in most texts (one topic: in PolNeAR, one
    candidate's campaign), most mentions first: a grown story of other texts on one subject, so the
    meaning pass has pairs of different wording to score (copies of four texts give it none)."""
    named = [Counter(m.entity_key for m in a.mentions if m.label == "PERSON" and m.entity_key)
             for a in analyses]
    texts = Counter(key for c in named for key in c)
    if not texts:
        return list(range(min(k, len(analyses))))
    person = min(texts, key=lambda key: (-texts[key], key))
    order = sorted(range(len(analyses)), key=lambda n: (-named[n][person], n))
    return order[:k]


def grow(args: argparse.Namespace, size: int, tmp: str) -> dict[str, Any]:
    """A store holding one fused story of ``size`` articles (copies of four seed texts, so claims are
    told in other words across them), then ``--probes`` (at least 2) more added one at a time."""
    rng = random.Random(args.seed + size)
    seeds, analyses, _ = analysed_seeds(args.data_path, args.seeds, args.cache)
    plan = plan_story(0, analyses, rng)
    plan.pool = rng.sample(range(len(seeds)), min(4, len(seeds)))
    if args.grow_pool:
        plan.pool = one_topic(analyses, args.grow_pool)
    pairs = [replicate(plan, i, seeds, analyses, rng) for i in range(size)]
    db = str(Path(tmp) / f"grow-{size}.db")
    with Store(db) as store:
        store.put_story(Story(id=GROW_STORY, title="grown story"))
        _place(store, pairs)
    new = [replicate(plan, 1_000_000 + i, seeds, analyses, rng, later=7 + i if args.newest else 0)
           for i in range(max(2, args.probes))]
    # what the analysis stage keeps for the fuse (in a process of its own, as the analysis process is)
    kept = _in_child(_ahead, db, pairs + new) if not args.no_ahead else {}
    full = _in_child(phase_grow_full, db)
    out = _in_child(phase_grow, db, new, f"{args.profile}.{size}" if args.profile else "")
    out["ahead"] = kept
    out["full_fuse_seconds"] = full["seconds"]
    out["full_split_seconds"] = full["split_seconds"]
    out["full_peak_rss_mb"] = full["peak_rss_mb"]
    return out


# -- driver -----------------------------------------------------------------------------------------


def build(args: argparse.Namespace, db: str) -> dict[str, Any]:
    rng = random.Random(args.seed)
    seeds, analyses, analyse_s = analysed_seeds(args.data_path, args.seeds, args.cache)
    lo, hi = (int(x) for x in args.story_size.split("-"))
    big = [int(x) for x in args.big_stories.split(",") if x]
    plans, pairs, story_of = [], [], []
    for number, size in enumerate(story_sizes(args.articles, (lo, hi), big, rng)):
        plan = plan_story(number, analyses, rng)
        plans.append(plan)
        for i in range(size):
            pairs.append(replicate(plan, i, seeds, analyses, rng))
            story_of.append(number)
    order = list(range(len(pairs)))
    rng.shuffle(order)  # articles arrive interleaved across stories
    t0 = time.perf_counter()
    with Store(db) as store:
        write(store, [pairs[i] for i in order])
    return {"seeds": len(seeds), "seed_articles": seeds, "analyses": analyses,
            "analyse_seconds": round(analyse_s, 1), "plans": plans, "pairs": pairs, "story_of": story_of,
            "order": order, "build_seconds": round(time.perf_counter() - t0, 1),
            "mentions": sum(len(a.mentions) for _, a in pairs),
            "events": sum(len(a.events) for _, a in pairs)}


def stories_to_probe(db: str, ids: list[str]) -> dict[str, str]:
    """An article of a small fused story (size nearest 5) and one of the largest fused story."""
    with Store(db) as store:
        story = {a: queries.resolve_story_id(store, queries.story_of_article(store, a) or "") for a in ids}
    sizes = Counter(story.values())
    small = min(sizes, key=lambda s: (abs(sizes[s] - 5), s))
    largest = max(sizes, key=lambda s: (sizes[s], s))
    return {"small": next(a for a in ids if story[a] == small),
            "largest": next(a for a in ids if story[a] == largest)}


def probes_for(
    built: dict[str, Any], story: int, n: int, rng: random.Random
) -> list[tuple[Article, Analysis]]:
    """``n`` new articles of one planned story (numbers past any the build used)."""
    plan = built["plans"][story]
    return [replicate(plan, 1_000_000 + i, built["seed_articles"], built["analyses"], rng) for i in range(n)]


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description="Time the full fuse stage at scale.")
    ap.add_argument("data_path", type=Path)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--seeds", type=int, default=150, help="real texts analysed once and replicated")
    ap.add_argument("--story-size", default="2-30", help="range of the ordinary stories' sizes")
    ap.add_argument("--big-stories", default="400,200", help="sizes of the few big stories")
    ap.add_argument("--probes", type=int, default=3, help="single new articles timed per story kind")
    ap.add_argument("--cache", type=Path, default=None, help="pickle of the seed analyses (reused)")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--grow", default="", help="sizes N of one-story stores: ms to add one article to "
                    "a story of N (alone: the 10k run is skipped when --articles is 0)")
    ap.add_argument("--newest", action="store_true",
                    help="--grow's new articles are published after the story's others (a watch's usual "
                    "case: alignment resumes from the kept groups); else on a day of the story's week")
    ap.add_argument("--profile", default="",
                    help="--grow: write cProfile statistics of the second added article's fuse (the first "
                    "warm one; its CPU figure then includes the profiler's) to PROFILE.N for each size N")
    ap.add_argument("--grow-pool", type=int, default=0,
                    help="--grow: the story copies this many texts of one topic (of --seeds: those naming "
                    "the seeds' most named person), not four random ones, so its meaning pass scores pairs")
    ap.add_argument("--no-meaning", action="store_true",
                    help="claims without meaning matching (CLAIM_MATCH_BY_MEANING off): the 'before'")
    ap.add_argument("--coref-context", choices=("on", "off"), default=None,
                    help="COREF_CONTEXT (trigger-context event coreference) on or off; default: as shipped")
    ap.add_argument("--no-ahead", action="store_true",
                    help="--grow: no vectors kept ahead by the analysis stage (ahead.store_ahead: event "
                    "sentences and triggers, with COREF_CONTEXT on): the fuse encodes them")
    args = ap.parse_args(argv)
    from newsfuse import defaults

    if args.no_meaning:
        defaults.CLAIM_MATCH_BY_MEANING = False  # phases run in forked children: they see it
    if args.coref_context is not None:
        defaults.COREF_CONTEXT = args.coref_context == "on"
    grown: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="newsfuse-fusion-") as tmp:
        for size in (int(x) for x in args.grow.split(",") if x):
            grown[str(size)] = g = grow(args, size, tmp)
            print(f"grow : one article into a story of {size} (now {g['story_size']}): "
                  f"cold {g['cold_ms']} ms ({g['cold_cpu_ms']} CPU), warm {g['warm_ms']} ms "
                  f"({g['warm_cpu_ms']} CPU) (story fused in "
                  f"{g['full_fuse_seconds']} s); modes {g['fuse_modes']}")
            print(f"       cold split (ms): {g['cold_split_ms']}; warm split (ms): {g['warm_split_ms']}")
    if args.articles <= 0:
        result = {"bench": "fusion_scale", "meaning": not args.no_meaning, "grow": grown}
        print(json.dumps(result))
        return result
    with tempfile.TemporaryDirectory(prefix="newsfuse-fusion-") as tmp:
        db, peer_db = str(Path(tmp) / "fuse.db"), str(Path(tmp) / "peer.db")
        built = build(args, db)
        shutil.copy(db, peer_db)
        ids = [built["pairs"][i][0].id for i in built["order"]]
        print(f"store: {len(ids)} articles ({built['mentions']} mentions, {built['events']} events) from "
              f"{built['seeds']} analysed texts (analysed in {built['analyse_seconds']} s), "
              f"written in {built['build_seconds']} s")
        peer = _in_child(phase_assign, peer_db, ids)
        print(f"peer : story assignment alone: {peer['seconds']} s, peak RSS {peer['peak_rss_mb']} MB")
        full = _in_child(phase_fuse, db, ids)
        ratio = full["seconds"] / max(peer["seconds"], 1e-9)
        print(f"full : fuse_stage of {len(ids)} articles: {full['seconds']} s ({ratio:.1f}x assignment), "
              f"peak RSS {full['peak_rss_mb']} MB; {full['stories']} stories, sizes {full['story_sizes']}")
        print(f"       split (s): {full['split_seconds']}")
        rng = random.Random(args.seed + 1)
        probe: dict[str, Any] = {}
        refuse: dict[str, Any] = {}
        for name, member in stories_to_probe(db, ids).items():
            story = built["story_of"][next(i for i, (a, _) in enumerate(built["pairs"]) if a.id == member)]
            new = probes_for(built, story, args.probes, rng)  # copies of the member's planned story
            probe[name] = _in_child(phase_probe, db, new, member)
            p = probe[name]
            print(f"probe: one new article into a {name} story ({p['story_size']} articles): "
                  f"{p['ms_median']} ms median, {p['ms_max']} ms max, joined {p['joined']}/{p['probes']}; "
                  f"split (ms): {p['split_ms']}")
            refuse[name] = r = _in_child(phase_refuse, db, member)
            print(f"refuse: fuse_story of that {name} story ({r['story_size']} articles): {r['ms']} ms; "
                  f"split (ms): {r['split_ms']}")
            print(f"        again in the same process: {r['warm_ms']} ms; split (ms): {r['warm_split_ms']}")
    result = {"bench": "fusion_scale", "articles": len(ids), "seeds": built["seeds"],
              "meaning": not args.no_meaning,
              "peer_assign": peer, "full_fuse": full, "ratio_full_to_assign": round(ratio, 2),
              "probe": probe, "refuse": refuse, "grow": grown}
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
