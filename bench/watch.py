"""Live watching: time from an article appearing in a feed to its story being updated, against the
batch ``ingest`` of the same pages.

    python bench/watch.py DATA_PATH [--feeds 200] [--articles 240] [--rate 2] [--poll 1]

DATA_PATH holds real news texts (every ``*.txt`` under it, sorted; PolNeAR's ``text`` folders:
first line the headline). A local web site (127.0.0.1, in a child process, so serving costs this
process nothing) carries ``--feeds`` RSS feeds; article ``i`` appears at ``start + i / rate`` in feed
``i % feeds`` (each feed lists its newest 20 items, with ETags, so unchanged feeds answer 304).
``newsfuse watch`` (the :class:`Watcher`, in this process) polls every feed each ``--poll`` seconds,
fetches each new page, extracts it (trafilatura), stores, analyses and fuses it.

Measured: per article the seconds from its appearance to the end of the fuse that placed it in its
story (median, p95, max; the poll interval is part of it), articles/s while watching, resident
memory over the run (start, peak, end, and the slope over the second half: flat means no leak).
Peer, same run: the batch ``ingest`` (ingest + analyze + fuse in one call) of the same pages saved
as files, articles/s. The spaCy model is loaded before the clock starts for both.

The issue's 5,000 articles at 2/s take 42 minutes of arrivals alone; the default is 240 (pass
--articles 5000 for the full run).

All feeds share one host here, so per-host politeness is relaxed to stand for many hosts
(--host-delay 0, --host-concurrency 8). Target: p95 under 5 s at 2 articles/s on 2 cores.
``--no-analyze`` measures the watch machinery alone (latency ends when the article is stored).
Human lines first; the LAST line is one JSON object.
"""

from __future__ import annotations

import argparse
import html
import json
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from email.utils import formatdate
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the local test site (tests/livesite.py)

from newsfuse.context import RunContext  # noqa: E402
from newsfuse.ingest.fetch import Fetcher  # noqa: E402
from newsfuse.ingest.fetch.sourcesfile import Source  # noqa: E402
from newsfuse.pipeline import run  # noqa: E402
from newsfuse.store import Store  # noqa: E402
from newsfuse.watch import Watcher, WatchOptions  # noqa: E402

FEED_ITEMS = 20
TARGET_P95_S = 5.0


def load_pages(data: Path, n: int) -> list[tuple[str, str]]:
    """(outlet, HTML page) for the first ``n`` texts under ``data``."""
    from livesite import article_html

    pages = []
    for path in sorted(data.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace").strip()
        if not text:
            continue
        head, _, body = text.partition("\n")
        paras = [html.escape(p.strip()) for p in body.split("\n") if p.strip()]
        outlet = path.stem.split("_")[0].title()
        day = path.stem.split("_")[1] if path.stem.count("_") >= 2 else "2016-01-01"
        pages.append((outlet, article_html(html.escape(head.strip()), paras, outlet, day)))
        if len(pages) >= n:
            break
    return pages


def serve(pages: list[tuple[str, str]], feeds: int, start: float, rate: float, port_out: Any) -> None:
    """The child process: feeds whose items appear over time, and the article pages."""
    from livesite import Route, Site, rss

    site = Site()

    def appeared(now: float) -> int:
        return max(0, min(len(pages), int((now - start) * rate) + 1)) if now >= start else 0

    def feed(k: int) -> Any:
        def make() -> Route:
            shown = [i for i in range(k, appeared(time.time()), feeds)][-FEED_ITEMS:]
            items = [(site.url(f"/a/{i}"), f"item {i}", formatdate(start + i / rate, usegmt=True))
                     for i in reversed(shown)]
            return Route(rss(f"Feed {k}", items).encode(), content_type="application/rss+xml")
        return make

    def article(i: int) -> Any:
        def make() -> Route:
            if i >= appeared(time.time()):
                return Route(b"not yet", status=404, content_type="text/plain")
            return Route(pages[i][1].encode())
        return make

    site.route("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    for k in range(feeds):
        site.routes[f"/feed/{k}.xml"] = Route(make=feed(k))
    for i in range(len(pages)):
        site.routes[f"/a/{i}"] = Route(make=article(i))
    port_out.put(site.base)
    site.thread.run()  # serve in this process's main thread until terminated


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def watch_run(args: argparse.Namespace, pages: list[tuple[str, str]], folder: Path) -> dict[str, Any]:
    start = time.time() + 3.0
    ctx = multiprocessing.get_context("spawn")
    port_out = ctx.Queue()
    child = ctx.Process(target=serve, args=(pages, args.feeds, start, args.rate, port_out), daemon=True)
    child.start()
    base = port_out.get(timeout=60)
    n = len(pages)
    stored_at: dict[str, str] = {}  # article id -> url
    listed_t: dict[str, float] = {}  # url -> when a poll found it
    stored_t: dict[str, float] = {}  # url -> when its article was stored
    fused_at: dict[str, float] = {}  # url -> time its story was updated
    final: set[str] = set()  # urls that reached an end state
    memory: list[tuple[float, float]] = []
    batches: list[tuple[int, float, float]] = []  # (articles, analyse s, fuse s) per pipeline call
    lock = threading.Lock()

    def listen(record: dict[str, Any]) -> None:
        now = time.time()
        with lock:
            event = record["event"]
            if event == "listed":
                for url in record["urls"]:
                    listed_t.setdefault(url, now)
            elif event == "stored":
                stored_at[record["article_id"]] = record["url"]
                stored_t[record["url"]] = now
                if args.no_analyze:  # the fetch side alone: stored is the end
                    fused_at.setdefault(record["url"], now)
                    final.add(record["url"])
            elif event == "fused":
                batches.append((len(record["articles"]), record.get("analyze_s", 0.0),
                                record.get("fuse_s", 0.0)))
                for aid in record["articles"]:
                    url = stored_at.get(aid)
                    if url is not None:
                        fused_at.setdefault(url, record.get("done_at", now))
                        final.add(url)
            elif event in ("rejected", "duplicate", "failed"):
                final.add(record["url"])

    def tick(status: Any) -> None:
        memory.append((time.time(), rss_mb()))
        if len(final) >= n or time.time() > start + n / args.rate + args.drain:
            watcher.stop()

    sources = [Source(f"{base}/feed/{k}.xml", None) for k in range(args.feeds)]
    db = str(folder / "watch.db")
    fetcher = Fetcher(host_delay=args.host_delay, host_concurrency=args.host_concurrency, backoff_base=1.0)
    with Store(db) as store:
        opts = WatchOptions(interval=args.poll, workers=args.host_concurrency, status_every=0.5,
                            analysis_workers=args.analysis_workers, analyze=not args.no_analyze)
        watcher = Watcher(store, sources, fetcher, opts, [listen], on_status=tick)
        memory.append((time.time(), rss_mb()))
        watcher.run()
        status = watcher.status.summary()
    fetcher.close()
    child.terminate()
    child.join(timeout=10)
    latencies, to_listed, to_stored, to_fused = [], [], [], []
    for url, t in fused_at.items():
        appeared = start + int(url.rsplit("/", 1)[1]) / args.rate
        latencies.append(t - appeared)
        if url in listed_t and url in stored_t:
            to_listed.append(listed_t[url] - appeared)
            to_stored.append(stored_t[url] - listed_t[url])
            to_fused.append(t - stored_t[url])
    span = (max(fused_at.values()) - start) if fused_at else float("nan")
    half = [m for m in memory if m[0] >= memory[0][0] + (memory[-1][0] - memory[0][0]) / 2]
    slope = 0.0
    if len(half) > 1:
        slope = (half[-1][1] - half[0][1]) / max(1e-9, half[-1][0] - half[0][0]) * 60
    return {
        "articles_fused": len(fused_at), "articles_total": n,
        "latency_median_s": round(statistics.median(latencies), 2) if latencies else None,
        "latency_p95_s": round(percentile(latencies, 0.95), 2) if latencies else None,
        "latency_max_s": round(max(latencies), 2) if latencies else None,
        # where the time goes (medians): waiting for the poll, fetch + extract + store, analyse + fuse
        "median_appear_to_listed_s": _median(to_listed), "median_listed_to_stored_s": _median(to_stored),
        "median_stored_to_fused_s": _median(to_fused),
        "articles_per_s": round(len(fused_at) / span, 2) if fused_at else None,
        "rss_start_mb": round(memory[0][1], 1), "rss_peak_mb": round(max(m[1] for m in memory), 1),
        "rss_end_mb": round(memory[-1][1], 1), "rss_slope_second_half_mb_per_min": round(slope, 2),
        "polls": status["polls"], "errors": status["errors"], "pipeline_calls": len(batches),
        "analyze_s_per_article": round(sum(b[1] for b in batches) / max(1, sum(b[0] for b in batches)), 3),
        "fuse_s_per_call": round(sum(b[2] for b in batches) / max(1, len(batches)), 3),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


def batch_run(pages: list[tuple[str, str]], folder: Path) -> dict[str, Any]:
    files = folder / "pages"
    files.mkdir()
    for i, (_, page) in enumerate(pages):
        (files / f"a{i:05d}.html").write_text(page, encoding="utf-8")
    with Store(str(folder / "batch.db")) as store:
        started = time.perf_counter()
        ctx = run(store, RunContext(paths=[files]))
        seconds = time.perf_counter() - started
    return {"articles": len(ctx.stored), "seconds": round(seconds, 1),
            "articles_per_s": round(len(ctx.stored) / seconds, 2)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("data", type=Path, help="folder of news texts (*.txt), e.g. ../shared/bench/polnear")
    p.add_argument("--feeds", type=int, default=200)
    p.add_argument("--articles", type=int, default=240)
    p.add_argument("--rate", type=float, default=2.0, help="articles appearing per second")
    p.add_argument("--poll", type=float, default=1.0, help="seconds between polls of each feed")
    p.add_argument("--drain", type=float, default=60.0, help="seconds allowed after the last appearance")
    p.add_argument("--host-delay", type=float, default=0.0)
    p.add_argument("--host-concurrency", type=int, default=8)
    p.add_argument("--analysis-workers", type=int, default=1,
                   help="analysis processes the watch keeps (default 1: in its own process)")
    p.add_argument("--no-batch", action="store_true", help="skip the batch peer")
    p.add_argument("--no-analyze", action="store_true",
                   help="the watch only fetches and stores (latency ends at 'stored'): its own cost, "
                        "without analysis")
    args = p.parse_args()
    pages = load_pages(args.data, args.articles)
    if not pages:
        sys.exit(f"no *.txt texts under {args.data}")
    if not args.no_analyze or not args.no_batch:
        from newsfuse.analyze import nlp

        nlp.load()  # both runs start with the model loaded
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"watch: {len(pages)} articles over {args.feeds} feeds at {args.rate}/s, polled every "
              f"{args.poll}s ...", file=sys.stderr)
        watched = watch_run(args, pages, folder)
        print(f"  {watched}", file=sys.stderr)
        batch = None
        if not args.no_batch:
            print("batch ingest of the same pages ...", file=sys.stderr)
            batch = batch_run(pages, folder)
            print(f"  {batch}", file=sys.stderr)
    p95 = watched["latency_p95_s"]
    summary = {
        "bench": "watch", "data": str(args.data), "feeds": args.feeds, "articles": len(pages),
        "rate_per_s": args.rate, "poll_s": args.poll, "analysis_workers": args.analysis_workers,
        "latency_ends_at": "stored" if args.no_analyze else "story updated",
        "watch": watched, "batch_ingest": batch,
        "target_p95_s": TARGET_P95_S, "meets_target": p95 is not None and p95 < TARGET_P95_S,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
