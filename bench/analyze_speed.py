"""Speed and memory of the whole analysis (parse + every rule step) against spaCy alone.

Usage (from the project root, inside the venv)::

    python bench/analyze_speed.py ../shared/bench/polnear/dev [--n N] [--workers 2] [--ahead]

Reads real news texts (every ``*.txt`` under DATA_PATH, sorted; PolNeAR's ``dev/text`` holds 84
articles of ~800 words), then in the same run and with the same worker processes measures:

* ``spacy``: ``nlp.pipe`` over the texts and nothing else (the peer);
* ``ours``: :func:`newsfuse.analyze.pipeline.iter_analyses` (parse, convert, all rule steps);
* ``steps``: seconds each rule step takes on parses made beforehand, in one process.

The model is loaded in the parent first (not timed) so forked workers share it in both runs.
Memory is the peak resident set (``ru_maxrss``) of this process and of the largest child.
Target: at least 8 articles/s of ~600 words on 2 cores. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsfuse import defaults
from newsfuse.analyze import amounts, nlp, pipeline
from newsfuse.analyze.events import extract as events
from newsfuse.analyze.names import mentions as entities
from newsfuse.analyze.parse import ParsedDoc
from newsfuse.analyze.quotes import extract as quotes
from newsfuse.analyze.time import extract as dates
from newsfuse.ids import content_id
from newsfuse.models import Article

TARGET_ARTICLES_PER_S = 8.0


def load_articles(data: Path, n: int | None) -> list[Article]:
    paths = sorted(data.rglob("*.txt"))[:n] if n else sorted(data.rglob("*.txt"))
    articles = []
    for p in paths:
        text = p.read_text(encoding="utf-8", errors="replace")
        if text.strip():
            articles.append(Article(id=content_id(p.name, text, prefix="a_"), text=text, outlet=p.stem))
    return articles


def _parse_only(texts: list[str]) -> int:
    """The peer: spaCy's own pipeline, nothing of ours (tokens counted so the work is not skipped)."""
    return sum(len(doc) for doc in nlp.load().pipe(texts, batch_size=len(texts)))


def time_spacy(articles: list[Article], workers: int, chunk: int) -> float:
    texts = [a.text for a in articles]
    chunks = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
    began = time.perf_counter()
    if workers == 1:
        for c in chunks:
            _parse_only(c)
    else:
        with pipeline.worker_pool(workers) as pool:
            list(pool.imap(_parse_only, chunks))
    return time.perf_counter() - began


def time_ours(articles: list[Article], workers: int) -> tuple[float, int, int]:
    began = time.perf_counter()
    results = list(pipeline.iter_analyses(articles, workers))
    seconds = time.perf_counter() - began
    failed = sum(1 for r in results if isinstance(r, str))
    found = sum(len(r.mentions) + len(r.quotes) + len(r.events) for r in results if not isinstance(r, str))
    return seconds, failed, found


def time_steps(articles: list[Article]) -> dict[str, float]:
    """Seconds per rule step over parses made beforehand (one process)."""
    docs = list(nlp.parse_many(a.text for a in articles))
    steps: dict[str, Callable[[Article, ParsedDoc], Any]] = {
        "mentions": lambda a, d: entities.find_mentions(d, a.id),
        "times": lambda a, d: dates.find_times(d, a.id, a.published),
        "amounts": lambda a, d: amounts.find_amounts(d, a.id),
        "quotes": lambda a, d: quotes.find_quotes(d, a.id, entities.find_mentions(d, a.id)),
        "events": lambda a, d: events.find_events(d, a.id, entities.find_mentions(d, a.id), [], []),
    }
    out = {}
    for name, step in steps.items():
        began = time.perf_counter()
        for a, d in zip(articles, docs, strict=True):
            step(a, d)
        out[name] = round(time.perf_counter() - began, 3)
    # quotes and events were timed with a fresh find_mentions: report them net of it
    for name in ("quotes", "events"):
        out[name] = round(max(0.0, out[name] - out["mentions"]), 3)
    return out


def time_ahead(articles: list[Article]) -> dict[str, Any]:
    """``--ahead``: in one fresh process, CPU s per article of the analysis alone, then of what the
    analyze stage adds with COREF_CONTEXT on (``fuse/claims/ahead.store_ahead``'s encoding: each event
    sentence's vector and its triggers' in one pass, ``ANALYZE_AHEAD_ARTICLES`` articles a batch;
    the encoder's load timed apart), against the same vectors by two passes (the sentence encoder,
    then the model cut after the layer: what a fuse without them encodes); peak RSS after each."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    queue: Any = ctx.Queue()
    ctx.Process(target=lambda: queue.put(_ahead_child(articles))).start()
    out: dict[str, Any] = queue.get()
    return out


def _ahead_child(articles: list[Article]) -> dict[str, Any]:
    from newsfuse.fuse.claims import ahead, context, eventpairs
    from newsfuse.fuse.claims import encoder as claimencoder
    from newsfuse.fuse.claims.statements import statements

    n = max(1, len(articles))
    c0 = time.process_time()
    results = list(pipeline.iter_analyses(articles, 1))
    out: dict[str, Any] = {"analysis_cpu_s_per_article": round((time.process_time() - c0) / n, 3),
                           "rss_mb_analysis": _maxrss_mb(resource.RUSAGE_SELF)}
    pairs = [(a, r) for a, r in zip(articles, results, strict=True) if not isinstance(r, str)]
    defaults.COREF_CONTEXT = True
    c0 = time.process_time()
    claimencoder.float_model()
    out["encoder_load_cpu_s"] = round(time.process_time() - c0, 2)
    c0, step = time.process_time(), max(1, defaults.ANALYZE_AHEAD_ARTICLES)
    triggers = sum(len(ahead.encode_articles(pairs[k:k + step], ("events",)).triggers)
                   for k in range(0, len(pairs), step))
    out["ahead_cpu_s_per_article"] = round((time.process_time() - c0) / n, 3)
    out["rss_mb_with_encoder"] = _maxrss_mb(resource.RUSAGE_SELF)
    events = [s for a, r in pairs for s in statements(a, r, {}, set()) if s.kind == "event"]
    texts = list(dict.fromkeys(t for s in events for t in eventpairs.event_sentences(s).values()))
    context._model(defaults.COREF_CONTEXT_LAYER)  # loaded before the clock, as the encoder was
    c0 = time.process_time()
    claimencoder.encode(texts)
    context._encode([(context.key_of(s), s) for s in events])
    out["two_passes_cpu_s_per_article"] = round((time.process_time() - c0) / n, 3)
    out["rss_mb_with_cut_model_too"] = _maxrss_mb(resource.RUSAGE_SELF)
    out.update(events=len(events), event_sentences=len(texts), triggers_kept=triggers)
    return out


def _rate(count: float, seconds: float) -> float:
    return round(count / seconds, 2) if seconds > 0 else 0.0


def _maxrss_mb(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux reports KiB


def run(data: Path, n: int | None, workers: int, with_steps: bool = True, repeat: int = 2) -> dict[str, Any]:
    articles = load_articles(data, n)
    words = sum(len(a.text.split()) for a in articles)
    nlp.load()  # loaded once here, shared by forked workers in both measurements
    # alternate the two runs and keep each one's best time: other load on the machine hits both alike
    spacy_s = ours_s = float("inf")
    for _ in range(max(1, repeat)):
        spacy_s = min(spacy_s, time_spacy(articles, workers, defaults.ANALYZE_CHUNK_ARTICLES))
        seconds, failed, found = time_ours(articles, workers)
        ours_s = min(ours_s, seconds)
    result: dict[str, Any] = {
        "bench": "analyze_speed",
        "data": str(data),
        "articles": len(articles),
        "words": words,
        "mean_words": round(words / max(1, len(articles))),
        "workers": workers,
        "ner": defaults.NER_WEIGHTS,
        "repeat": max(1, repeat),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "spacy": {"seconds": round(spacy_s, 2), "articles_per_s": _rate(len(articles), spacy_s),
                  "words_per_s": _rate(words, spacy_s)},
        "ours": {"seconds": round(ours_s, 2), "articles_per_s": _rate(len(articles), ours_s),
                 "words_per_s": _rate(words, ours_s), "failed": failed, "records": found},
        "overhead": round(ours_s / spacy_s, 3) if spacy_s else None,
    }
    # the target is for ~600-word articles: scale the measured rate to that length
    per_600 = _rate(len(articles) * result["mean_words"] / 600, ours_s)
    result["ours"]["articles_per_s_at_600_words"] = per_600
    result["target_articles_per_s"] = TARGET_ARTICLES_PER_S
    result["meets_target"] = per_600 >= TARGET_ARTICLES_PER_S
    if with_steps:
        result["step_seconds"] = time_steps(articles)
    result["maxrss_mb_self"] = _maxrss_mb(resource.RUSAGE_SELF)
    result["maxrss_mb_children"] = _maxrss_mb(resource.RUSAGE_CHILDREN)
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", type=Path, help="folder with news .txt files, e.g. ../shared/bench/polnear/dev")
    ap.add_argument("--n", type=int, default=None, help="use only the first N texts")
    ap.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    ap.add_argument("--no-steps", action="store_true", help="skip the per-step timing")
    ap.add_argument("--repeat", type=int, default=2, help="runs of each measurement; the best counts")
    ap.add_argument("--ner", default=None,
                    help="entity recogniser to load (e.g. data/ner, the packaged one; '' the small model's)")
    ap.add_argument("--ahead", action="store_true",
                    help="only the analysis CPU per article and what the event vectors encoded ahead add "
                    "(COREF_CONTEXT on), in one fresh process, with its peak RSS")
    args = ap.parse_args(argv)
    if args.ahead:
        got = time_ahead(load_articles(args.data, args.n))
        load = round(os.getloadavg()[0], 2)
        print(json.dumps({"bench": "analyze_speed", "ahead": got, "load_average_1m": load}))
        return 0
    if args.ner is not None:
        defaults.NER_WEIGHTS = args.ner  # read at the first load, before the workers fork
    if not args.data.is_dir() or not any(args.data.rglob("*.txt")):
        print(f"{args.data}: no .txt files below it; pass a folder such as polnear/dev", file=sys.stderr)
        return 2
    if args.workers < 1:
        print("--workers must be 1 or more", file=sys.stderr)
        return 2
    r = run(args.data, args.n, args.workers, not args.no_steps, args.repeat)
    print(f"{r['articles']} articles, {r['words']} words (mean {r['mean_words']}), {r['workers']} processes, "
          f"best of {r['repeat']}; machine load {r['load_average_1m']}")
    for name in ("spacy", "ours"):
        x = r[name]
        print(f"{name:>6}: {x['seconds']:7.2f} s  {x['articles_per_s']:7.2f} articles/s  "
              f"{x['words_per_s']:9.0f} words/s")
    print(f"whole analysis takes {r['overhead']}x the time of spaCy alone; "
          f"{r['ours']['articles_per_s_at_600_words']} articles/s at 600 words "
          f"(target {TARGET_ARTICLES_PER_S}: {'met' if r['meets_target'] else 'NOT met'})")
    if "step_seconds" in r:
        print("rule steps (s, one process): " + ", ".join(f"{k} {v}" for k, v in r["step_seconds"].items()))
    print(f"peak memory: {r['maxrss_mb_self']} MB this process, {r['maxrss_mb_children']} MB largest child")
    print(json.dumps(r, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
