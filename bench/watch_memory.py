"""What grows in a watch's refresh (fusion) process: resident memory and every cache's entries while
the arrivals of ``bench/watch.py`` are placed and their stories refreshed, one process, no server.

    python bench/watch_memory.py DATA_PATH [--articles 240] [--batch 4] [--every 20] [--trace 15]
        [--keep /tmp/analysed.db] [--count-encoder] [--restart]

The pages ``bench/watch.py`` serves (DATA_PATH: news texts, ``*.txt``; cycled as there) are stored and
analysed first (``--keep``: a store analysed by an earlier run of as many articles or more is reused, so a
before/after pair compares the refreshes alone). Then, as the watch's refresh process does it, the
articles are placed ``--batch`` at a time in arrival order and each story a placement touched is
refreshed (:class:`~newsfuse.watch.fuser.FusionWork`, with the process's caches bounded as the watch
bounds them). Every ``--every`` articles: a garbage collection and :func:`~newsfuse.watch.bounds.give_back`
(what the watch's refresh process does after each story), then resident memory and the entries of
each cache (:func:`~newsfuse.watch.bounds.cache_counts`). ``--trace N``: tracemalloc from the first
checkpoint, and the N source lines whose live memory grew most over the second half (slower: Python
allocations are traced).

Memory that rises with each checkpoint while every cache has stopped growing is a leak; a cache whose
entries keep rising is what to bound. Human lines first; the LAST line is one JSON object.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from newsfuse import defaults  # noqa: E402
from newsfuse.store import Store  # noqa: E402
from newsfuse.watch import heap  # noqa: E402
from newsfuse.watch.bounds import bound_caches, cache_counts, give_back, one_heap  # noqa: E402
from newsfuse.watch.fuser import FusionWork  # noqa: E402
from newsfuse.watch.kept import Governor, held_in_all, refresh_caches  # noqa: E402
from newsfuse.watch.warm import ready_encoder  # noqa: E402


def rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


class EncoderCount:
    """The texts the sentence encoder is asked for and its CPU seconds, by who asked: coreference
    (names, heads, triggers: ``fuse/entities/pairmodel.py``) or claims (clause runs and sentences), and
    how many of those texts it had encoded before (``twice``: what keeping vectors should make 0)."""

    def __init__(self) -> None:
        self.texts: dict[str, int] = {}
        self.twice: dict[str, int] = {}
        self.calls: dict[str, int] = {}
        self.cpu_s: dict[str, float] = {}
        self.seen: set[str] = set()

    def install(self) -> None:
        import traceback

        from newsfuse.fuse.claims import encoder

        real = encoder.encode

        def counted(texts: Any) -> Any:
            who = "coreference" if any(f.filename.endswith("pairmodel.py")
                                       for f in traceback.extract_stack(limit=6)) else "claims"
            started = time.process_time()
            try:
                return real(texts)
            finally:
                self.cpu_s[who] = self.cpu_s.get(who, 0.0) + time.process_time() - started
                self.calls[who] = self.calls.get(who, 0) + 1
                self.texts[who] = self.texts.get(who, 0) + len(texts)
                self.twice[who] = self.twice.get(who, 0) + sum(t in self.seen for t in texts)
                self.seen.update(texts)

        encoder.encode = counted  # looked up on the module at each call, so every caller is counted

    def summary(self) -> dict[str, Any]:
        return {"texts": dict(self.texts), "encoded_before": dict(self.twice), "calls": dict(self.calls),
                "cpu_s": {k: round(v, 1) for k, v in self.cpu_s.items()}}


def refuse_restarted(db: str, count: EncoderCount | None) -> dict[str, Any]:
    """Every story of ``db`` re-fused as a restarted refresh process would: no vector kept in memory
    (this process's are dropped), a new connection; what the encoder was asked for meanwhile."""
    from newsfuse.fuse.claims import vectors
    from newsfuse.fuse.entities import pairmodel
    pairmodel._VECTORS.clear()
    vectors._MEMORY.clear()
    vectors._BY_TEXT.clear()
    before = EncoderCount().summary() if count is None else json.loads(json.dumps(count.summary()))
    store = Store(db)
    work = FusionWork(store)
    started = time.process_time()
    try:
        sids = [r["id"] for r in store.fetchall("SELECT id FROM stories WHERE merged_into IS NULL")]
        for sid in sids:
            work.fuse(sid, [sid])
    finally:
        work.close()
    after = count.summary() if count is not None else before
    return {"stories": len(sids), "cpu_s": round(time.process_time() - started, 1),
            "encoded_texts": {k: v - before["texts"].get(k, 0) for k, v in after["texts"].items()},
            "encoder_cpu_s": {k: round(v - before["cpu_s"].get(k, 0.0), 1)
                              for k, v in after["cpu_s"].items()}}


def analysed_store(data: Path, n: int, batch: int, keep: Path | None,
                   folder: Path) -> tuple[str, list[str], dict[str, Any]]:
    """A store with the first ``n`` pages stored (not analysed), their IDs in arrival order and their
    analyses (put in the store batch by batch by the replay, as the watch's analysis stage does);
    reused from ``keep`` when it holds them (beside it: ``.ids.json``, ``.analyses.pickle``)."""
    import pickle

    from watch_budget import analyse, stored_pages

    db = folder / "memory.db"
    ids_file, done_file = (keep.with_suffix(".ids.json"), keep.with_suffix(".analyses.pickle")) if keep \
        else (None, None)
    if keep and keep.exists() and ids_file and ids_file.exists() and done_file and done_file.exists():
        ids = json.loads(ids_file.read_text())
        if len(ids) >= n:  # the first n arrivals of a longer kept run (the rest stay unplaced)
            shutil.copy(keep, db)
            return str(db), ids[:n], pickle.loads(done_file.read_bytes())
    store, ids = stored_pages(data, n, folder)
    store.close()
    shutil.copy(folder / "budget.db", db)  # stored only
    store = Store(str(folder / "budget.db"))
    _, done = analyse(store, ids, batch)
    store.close()
    analyses = {a.article_id: a for a in done}
    if keep and ids_file and done_file:
        shutil.copy(db, keep)
        ids_file.write_text(json.dumps(ids))
        done_file.write_bytes(pickle.dumps(analyses))
    return str(db), ids, analyses


def type_counts() -> dict[str, int]:
    """Live objects the garbage collector tracks, by type (``module.qualname``)."""
    out: dict[str, int] = {}
    for x in gc.get_objects():
        t = type(x)
        name = f"{t.__module__}.{t.__qualname__}"
        out[name] = out.get(name, 0) + 1
    return out


def checkpoint(done: int, started: float, types: bool = False, union: bool = False) -> dict[str, Any]:
    gc.collect()
    give_back()
    return {"types": type_counts() if types else {}, "articles": done, "union": held_union() if union else {},
            "seconds": round(time.perf_counter() - started, 1),
            "cpu_s": round(time.process_time(), 1),
            "rss_mb": round(rss_mb(), 1), "anon_mb": round(rss_mb("RssAnon"), 1),
            "file_mb": round(rss_mb("RssFile"), 1), "heap_mb": heap.figures(),
            "traced_mb": round(tracemalloc.get_traced_memory()[0] / 2**20, 1),
            "caches": {k: v for k, v in cache_counts().items() if v},
            "kept": Governor(refresh_caches()).check(apply=False)}


def held_union() -> dict[str, float]:
    """What all the refresh caches hold together (kept.held_in_all), and the analyses and statements
    they reach."""
    from newsfuse.fuse.claims.statements import Statement
    from newsfuse.models import Analysis

    started = time.process_time()
    out = held_in_all(refresh_caches(), (Analysis, Statement))
    out["cpu_s"] = round(time.process_time() - started, 1)
    return out


def replay_in_process(db: str, ids: list[str], analyses: dict[str, Any], batch: int, every: int,
                      limit_mb: float) -> dict[str, Any]:
    """The replay with the refreshes on the watch's own refresh process (:class:`FusionProcess`,
    recycled past ``limit_mb``; 0: never), this process storing the analyses as the analysis stage
    does: at each checkpoint that process's RSS and heap (after its collection and trim) and the CPU
    of it and of those it replaced."""
    from newsfuse.watch.fuser import FusionProcess
    from newsfuse.watch.turns import WriteTurns

    store = Store(db)
    fuser = FusionProcess(db, WriteTurns(shared=True), rss_limit_mb=limit_mb)
    fuser.ready()
    started = time.perf_counter()
    restarts: list[dict[str, Any]] = []

    def point(done: int) -> dict[str, Any]:
        got = fuser.measured()
        return {"articles": done, "seconds": round(time.perf_counter() - started, 1),
                "cpu_s": round(fuser.retired_cpu_s + got["cpu_s"], 1),
                "rss_mb": got["heap_mb"].get("rss", 0.0), "anon_mb": got["heap_mb"].get("anon", 0.0),
                "file_mb": got["heap_mb"].get("file", 0.0), "heap_mb": got["heap_mb"], "traced_mb": 0.0,
                "caches": {}, "kept": {}, "union": {}, "restarts": fuser.restarts}

    points = [point(0)]
    since = 0
    try:
        for k in range(0, len(ids), batch):
            for a in ids[k:k + batch]:
                if a in analyses:
                    store.put_analysis(analyses[a])
            placed, _ = fuser.place(ids[k:k + batch], [])
            for p in placed:
                done = fuser.fuse(p.story_id, p.queued)
                if done.restart is not None:
                    restarts.append(done.restart)
            since += len(ids[k:k + batch])
            if since >= every or k + batch >= len(ids):
                since = 0
                points.append(point(min(len(ids), k + batch)))
                print(f"  {points[-1]['articles']} articles, {points[-1]['seconds']} s "
                      f"({points[-1]['cpu_s']} CPU s): refresh process RSS {points[-1]['rss_mb']} MB, "
                      f"restarts {fuser.restarts}", file=sys.stderr)
    finally:
        fuser.close()
        store.close()
    return {"checkpoints": points, "refresh_rss_limit_mb": limit_mb, "refresh_restarts": len(restarts),
            "refresh_restart_rss_mb": [r["rss_mb"] for r in restarts],
            "refresh_restart_s": [r["seconds"] for r in restarts]}


def replay(db: str, ids: list[str], analyses: dict[str, Any], batch: int, every: int,
           trace: int, kept_bytes: bool = True, frames: int = 1, types: int = 0,
           union: bool = False) -> dict[str, Any]:
    bound_caches()
    store = Store(db)
    work = FusionWork(store, kept_bytes=kept_bytes)
    started = time.perf_counter()
    points = [checkpoint(0, started, types > 0, union)]
    snapshots: list[tracemalloc.Snapshot] = []
    if trace:
        tracemalloc.start(frames)
    since = 0
    try:
        for k in range(0, len(ids), batch):
            for a in ids[k:k + batch]:  # the analysis stage stores them, then they are placed
                if a in analyses:
                    store.put_analysis(analyses[a])
            placed, _ = work.place(ids[k:k + batch], [])
            for p in placed:
                work.fuse(p.story_id, p.queued)
            since += len(ids[k:k + batch])
            if since >= every or k + batch >= len(ids):
                since = 0
                points.append(checkpoint(min(len(ids), k + batch), started, types > 0, union))
                if trace:
                    snapshots.append(tracemalloc.take_snapshot())
                print(f"  {points[-1]['articles']} articles, {points[-1]['seconds']} s "
                      f"({points[-1]['cpu_s']} CPU s): RSS "
                      f"{points[-1]['rss_mb']} MB (anon {points[-1]['anon_mb']}, "
                      f"file {points[-1]['file_mb']}; "
                      f"heap {points[-1]['heap_mb']}; traced {points[-1]['traced_mb']}); kept MB "
                      f"{ {k: v['mb'] for k, v in points[-1]['kept'].items()} } (sum "
                      f"{sum(v['mb'] for v in points[-1]['kept'].values()):.1f}; all together "
                      f"{points[-1]['union'] or '-'})", file=sys.stderr)
    finally:
        work.close()
    governor = work.governor
    out: dict[str, Any] = {"checkpoints": points,
                           "kept_check_s": round(governor.seconds, 2) if governor else None,
                           # sizings made, and of them right after a refresh that grew the process
                           "kept_checks_early": [governor.checks, governor.early] if governor else None,
                           "kept_allowed_end": {k.name: k.allowed for k in governor.kept}
                           if governor else None}
    if trace and len(snapshots) >= 2:
        mid, end = snapshots[len(snapshots) // 2], snapshots[-1]
        grew = end.compare_to(mid, "traceback" if frames > 1 else "lineno")[:trace]
        out["traced_growth_second_half"] = [
            {"where": " < ".join(str(f) for f in s.traceback), "kb": round(s.size_diff / 1024),
             "blocks": s.count_diff} for s in grew]
        out["traced_mb_mid_end"] = [round(sum(s.size for s in x.statistics("filename")) / 2**20, 1)
                                    for x in (mid, end)]
        tracemalloc.stop()
    if types:
        mid_t, end_t = points[len(points) // 2]["types"], points[-1]["types"]
        grew_t = sorted(((n - mid_t.get(t, 0), t) for t, n in end_t.items()), reverse=True)[:types]
        out["types_growth_second_half"] = {t: [mid_t.get(t, 0), end_t[t]] for _, t in grew_t}
    for p in points:
        p.pop("types", None)
    return out


def slope(points: list[dict[str, Any]]) -> float:
    """MB per 100 articles over the second half of the checkpoints (least squares)."""
    half = points[len(points) // 2:]
    if len(half) < 2:
        return 0.0
    xs, ys = [p["articles"] for p in half], [p["rss_mb"] for p in half]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return round(sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / max(1e-9, var) * 100, 2)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("data", type=Path, help="folder of news texts (*.txt), e.g. ../shared/bench/polnear")
    p.add_argument("--articles", type=int, default=240)
    p.add_argument("--batch", type=int, default=4, help="articles placed together (one analysing batch)")
    p.add_argument("--every", type=int, default=20, help="articles between two checkpoints")
    p.add_argument("--trace", type=int, default=0, metavar="N",
                   help="trace Python allocations; print the N lines that grew most over the second half")
    p.add_argument("--frames", type=int, default=1,
                   help="with --trace: frames kept per allocation (over 1: growth by whole traceback)")
    p.add_argument("--types", type=int, default=0, metavar="N",
                   help="count live objects by type at checkpoints; report the N types that grew most "
                        "over the second half")
    p.add_argument("--union", action="store_true",
                   help="at each checkpoint walk every entry of every cache together (kept.held_in_all): "
                        "what they hold with nothing charged elsewhere, and the analyses and statements "
                        "they reach (slow: seconds per checkpoint)")
    p.add_argument("--keep", type=Path, default=None, help="reuse (or keep) the analysed store here")
    p.add_argument("--heap", choices=("compact", "glibc"), default="compact",
                   help="compact: the C heap as the refresh process keeps it (bounds.one_heap); glibc: "
                        "glibc's own settings (the peer)")
    p.add_argument("--kept-scale", type=float, default=1.0,
                   help="the byte bounds (defaults.WATCH_KEPT_BYTES) times this: below 1 they fill within "
                        "a short replay, to show memory flatten once they do")
    p.add_argument("--count-encoder", action="store_true",
                   help="count the texts the sentence encoder is asked for (and its CPU), by coreference "
                        "and claims, and those it had encoded before")
    p.add_argument("--coref-cache", type=int, default=0, metavar="N",
                   help="defaults.COREF_VECTOR_CACHE for this run (0: as set): a small N shows in a short "
                        "replay what a long watch does past the bound")
    p.add_argument("--restart", action="store_true",
                   help="after the replay, re-fuse every story as a restarted refresh process would (no "
                        "vector kept in memory) and say what that encodes")
    p.add_argument("--kept", choices=("bytes", "entries"), default="bytes",
                   help="bytes: caches held to their byte bounds (watch/kept.py, as the refresh process "
                        "does); entries: their entry bounds only (the peer)")
    p.add_argument("--process", action="store_true",
                   help="refresh on the watch's refresh process (a child, as the watch runs it), recycled "
                        "past --rss-limit; memory and CPU are that process's (and those it replaced)")
    p.add_argument("--rss-limit", type=float, default=defaults.WATCH_REFRESH_RSS_LIMIT_MB, metavar="MB",
                   help="with --process: recycle the refresh process past this resident MB (0: never)")
    args = p.parse_args()
    defaults.WATCH_KEPT_BYTES = {k: int(v * args.kept_scale) for k, v in defaults.WATCH_KEPT_BYTES.items()}
    if args.coref_cache:
        defaults.COREF_VECTOR_CACHE = args.coref_cache
    if args.heap == "compact":
        one_heap()
    ready_encoder()
    count = EncoderCount() if args.count_encoder else None
    with tempfile.TemporaryDirectory() as tmp:
        db, ids, analyses = analysed_store(args.data, args.articles, args.batch, args.keep, Path(tmp))
        if count is not None:
            count.install()
        if args.process:  # the child reads its bounds from defaults: scaled through the environment
            got = replay_in_process(db, ids, analyses, args.batch, args.every, args.rss_limit)
        else:
            got = replay(db, ids, analyses, args.batch, args.every, args.trace, args.kept == "bytes",
                         args.frames, args.types, args.union)
        if count is not None:
            got["encoder"] = count.summary()
        if args.restart:
            got["restart"] = refuse_restarted(db, count)
    points = got["checkpoints"]
    first, last = points[0]["caches"], points[-1]["caches"]
    mid = points[len(points) // 2]["caches"]  # (the checkpoint at 0 articles counts: the middle of the run)
    summary = {"bench": "watch_memory", "data": str(args.data), "articles": len(ids), "batch": args.batch,
               "heap": args.heap, "kept": args.kept, "kept_scale": args.kept_scale,
               "kept_mb_by_checkpoint": {k: [p["kept"].get(k, {}).get("mb", 0) for p in points]
                                         for k in points[-1]["kept"]},
               "kept_entries_by_checkpoint": {k: [p["kept"].get(k, {}).get("entries", 0) for p in points]
                                              for k in points[-1]["kept"]},
               "kept_bound_mb_sum": round(sum(defaults.WATCH_KEPT_BYTES.values()) / 2**20, 1),
               "rss_mb_start_mid_end": [points[1]["rss_mb"], points[len(points) // 2]["rss_mb"],
                                        points[-1]["rss_mb"]],
               "rss_slope_second_half_mb_per_100_articles": slope(points[1:]),
               "cache_entries_start_mid_end": {k: [first.get(k, 0), mid.get(k, 0), v]
                                               for k, v in last.items()},
               "seconds": points[-1]["seconds"],
               "replay_cpu_s": round(points[-1]["cpu_s"] - points[0]["cpu_s"], 1),
               "by_checkpoint_articles_rss_anon_malloc_in_use_free_held_traced": [
                   [p["articles"], p["rss_mb"], p["anon_mb"], p["heap_mb"].get("malloc_in_use"),
                    p["heap_mb"].get("malloc_free_held"), p["traced_mb"]] for p in points],
               "held_together_by_checkpoint": [p["union"] for p in points] if args.union else None,
               "kept_mb_sum_by_checkpoint": [round(sum(v["mb"] for v in p["kept"].values()), 1)
                                             for p in points],
               # where the resident memory sits (watch/heap.py): each allocator's mapped and live MB
               "heap_mb_by_checkpoint": {k: [p["heap_mb"].get(k) for p in points]
                                         for k in points[-1]["heap_mb"]},
               **{k: v for k, v in got.items() if k != "checkpoints"}}
    for row in summary.get("traced_growth_second_half", []):
        print(f"  +{row['kb']} KB {row['blocks']} blocks {row['where']}", file=sys.stderr)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
