"""Live watching: time from an article appearing in a feed to its placement in its story (the story
shows it: the issue's "story updated") and to its story's claims covering it, against the batch
``ingest`` of the same pages.

    python bench/watch.py DATA_PATH [--feeds 200] [--articles 600] [--rate 2] [--poll 1]

The default (600 articles over 200 feeds arriving at 2/s: 5 minutes of arrivals) is the run for the
issue's figure on a 2-core host; ``--articles 5000`` is the issue's long run (42 minutes of arrivals)
for memory over time. ``--meaning off`` fuses without matching claims by meaning
(``defaults.CLAIM_MATCH_BY_MEANING``), to show what that costs.

DATA_PATH holds real news texts (every ``*.txt`` under it, sorted; PolNeAR's ``text`` folders:
first line the headline), cycled when ``--articles`` asks for more (a repeated text is a new page
with its own URL and a headline marked with its number, so it is a new article, stored and fused,
and a wire copy of the first for copy detection). A local web site (127.0.0.1, in a child process,
so serving costs this process nothing) carries ``--feeds`` RSS feeds; article ``i`` appears at
``start + i / rate`` in feed ``i % feeds`` (each feed lists its newest 20 items, with ETags, so
unchanged feeds answer 304). ``start`` is set once the watch says its pipeline is ready (models
loaded), so no article waits for a model load. ``newsfuse watch`` (the :class:`Watcher`, in this
process, with its kept analysis process) polls every feed each ``--poll`` seconds, the interval an
operator following breaking news sets in the sources file (``interval = 1``); an item waits for the
next poll of its feed (``--poll``/2 on average), then it is fetched, extracted (trafilatura), stored,
analysed and fused.

Measured: per article the seconds from its appearance to its placement in its story (``placed_*``:
median, p95, max; the target) and to the refresh of its story's claims that covers it
(``claims_current_*``: refreshed behind placement, coalesced per story every
``--claims-refresh`` seconds), and where they go (appearance -> listed by a poll -> stored ->
analysed -> placed -> claims current: medians, and p95s of the last ones), so the phase that holds
articles up is named; articles/s while
watching; CPU seconds per article and cores used by the watch process, its analysis process and its
fusion process (the claim refreshes; as in `newsfuse watch`, on a process of its own by default,
``--fuse-here`` on a thread of the watch process); the
resident memory of each, sampled every 0.5 s (start, middle, end, peak; least-squares slope over the
second half: flat means no leak; ``--articles 1200`` is 10 minutes of arrivals); story fuses (each
story is fused on its own: seconds per fuse, story sizes). Peer, same run: the
batch ``ingest`` (ingest + analyze + fuse in one call, in this process) of the same pages saved as
files, articles/s. The 1-minute load average at start and end says how busy the host was.

All feeds share one host here, so per-host politeness is relaxed to stand for many hosts
(--host-delay 0, --host-concurrency 8). Target: p95 under 5 s at 2 articles/s on 2 cores.
``--no-analyze`` measures the watch machinery alone (latency ends when the article is stored).
Human lines first; the LAST line is one JSON object.
"""

from __future__ import annotations

import argparse
import html
import itertools
import json
import multiprocessing
import os
import resource
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

from newsfuse import defaults  # noqa: E402
from newsfuse.context import RunContext  # noqa: E402
from newsfuse.ingest.fetch import Fetcher  # noqa: E402
from newsfuse.ingest.fetch.sourcesfile import Source  # noqa: E402
from newsfuse.pipeline import run  # noqa: E402
from newsfuse.store import Store  # noqa: E402
from newsfuse.watch import Watcher, WatchOptions  # noqa: E402
from newsfuse.watch.bounds import cache_counts  # noqa: E402

FEED_ITEMS = 20
TARGET_P95_S = 5.0


def _fusion_process(args: argparse.Namespace) -> bool:
    """Where the watch fuses, as `newsfuse watch` decides it from the same two flags."""
    return bool(args.fusion_process or (defaults.WATCH_FUSION_PROCESS and not args.fuse_here))


def load_pages(data: Path, n: int) -> list[tuple[str, str]]:
    """(outlet, HTML page) for ``n`` texts under ``data``, in name order, cycled when there are fewer
    (a repeat's headline carries its round, so it is a page of its own)."""
    from livesite import article_html

    texts = []
    for path in sorted(data.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace").strip()
        if text:
            texts.append((path, text))
    pages: list[tuple[str, str]] = []
    while texts and len(pages) < n:
        path, text = texts[len(pages) % len(texts)]
        head, _, body = text.partition("\n")
        round_ = len(pages) // len(texts)
        head = head.strip() + (f" (update {round_})" if round_ else "")
        paras = [html.escape(p.strip()) for p in body.split("\n") if p.strip()]
        outlet = path.stem.split("_")[0].title()
        day = path.stem.split("_")[1] if path.stem.count("_") >= 2 else "2016-01-01"
        pages.append((outlet, article_html(html.escape(head), paras, outlet, day)))
    return pages


def serve(pages: list[tuple[str, str]], feeds: int, clock: Any, rate: float, port_out: Any) -> None:
    """The child process: feeds whose items appear over time (from ``clock.value``, set by the
    parent once the watch is ready; 0: nothing yet), and the article pages.

    A small asyncio HTTP/1.1 server (keep-alive, ``If-None-Match``), not tests/livesite.py's
    thread-per-connection one: it shares the two cores with the watch, and each of the hundreds of
    polls a second is answered from a feed built once per new item (its ETag with it)."""
    import asyncio
    import hashlib

    from livesite import rss

    base = ""
    built: dict[int, tuple[int, bytes, bytes]] = {}  # feed -> (items shown, body, ETag)
    encoded = [page.encode() for _, page in pages]

    def appeared(now: float) -> int:
        start = clock.value
        return max(0, min(len(pages), int((now - start) * rate) + 1)) if start and now >= start else 0

    def feed(k: int) -> tuple[bytes, bytes]:
        shown = len(range(k, appeared(time.time()), feeds))
        got = built.get(k)
        if got is None or got[0] != shown:
            ids = list(range(k, appeared(time.time()), feeds))[-FEED_ITEMS:]
            items = [(f"{base}/a/{i}", f"item {i}", formatdate(clock.value + i / rate, usegmt=True))
                     for i in reversed(ids)]
            body = rss(f"Feed {k}", items).encode()
            got = built[k] = (shown, body, b'"' + hashlib.sha1(body).hexdigest()[:16].encode() + b'"')
        return got[1], got[2]

    def answer(status: bytes, body: bytes, ctype: bytes, etag: bytes | None = None) -> bytes:
        head = [b"HTTP/1.1 " + status, b"Content-Type: " + ctype,
                b"Content-Length: " + str(len(body)).encode()]
        if etag:
            head.append(b"ETag: " + etag)
        return b"\r\n".join(head) + b"\r\n\r\n" + body

    def route(path: bytes, match: bytes | None) -> bytes:
        if path.startswith(b"/feed/") and path.endswith(b".xml"):
            k = int(path[6:-4])
            body, etag = feed(k)
            if match == etag:
                return answer(b"304 Not Modified", b"", b"application/rss+xml", etag)
            return answer(b"200 OK", body, b"application/rss+xml", etag)
        if path.startswith(b"/a/"):
            i = int(path[3:])
            if i >= appeared(time.time()):
                return answer(b"404 Not Found", b"not yet", b"text/plain")
            return answer(b"200 OK", encoded[i], b"text/html; charset=utf-8")
        if path == b"/robots.txt":
            return answer(b"200 OK", b"User-agent: *\nAllow: /\n", b"text/plain")
        return answer(b"404 Not Found", b"not found", b"text/plain")

    async def client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.split(b"\r\n")
                path = lines[0].split(b" ")[1]
                match = next((line.split(b":", 1)[1].strip() for line in lines[1:]
                              if line[:14].lower() == b"if-none-match:"), None)
                writer.write(route(path, match))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, IndexError, ValueError):
            writer.close()

    async def main() -> None:
        nonlocal base
        server = await asyncio.start_server(client, "127.0.0.1", 0)
        base = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
        port_out.put(base)
        await server.serve_forever()

    asyncio.run(main())


def _first_mid_last(reports: list[dict[str, float]]) -> dict[str, list[float | None]]:
    """Each figure of the first, middle and last of ``reports`` (empty: none came)."""
    if not reports:
        return {}
    picked = (reports[0], reports[len(reports) // 2], reports[-1])
    return {k: [r.get(k) for r in picked] for k in reports[-1]}


def rss_mb(pid: int | str = "self") -> float:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:  # the process is gone
        return 0.0
    for line in lines:
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_s(pid: int | str = "self") -> float:
    """User + system CPU seconds of a live process."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def thread_cpu_s(tid: int) -> float | None:
    """User + system CPU seconds of a thread of this process (None: gone)."""
    try:
        fields = Path(f"/proc/self/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def threads_by_nice(pids: list[int]) -> dict[int, tuple[int, float]]:
    """tid -> (its nice value, its CPU seconds so far) of every thread of ``pids``."""
    out: dict[int, tuple[int, float]] = {}
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks = int(fields[11]) + int(fields[12])  # user + system
            out[int(task.name)] = (int(fields[16]), ticks / os.sysconf("SC_CLK_TCK"))
    return out


def thread_group(name: str) -> str:
    """The part of the watch a thread of its process does, by the thread's name."""
    for prefix, group in (("MainThread", "loop"), ("newsfuse-fetch", "fetch"),
                          ("newsfuse-analyse", "analysing_placement"), ("newsfuse-fuse", "refresh_handoff")):
        if name.startswith(prefix):
            return group
    return "other"


class ThreadCPU:
    """CPU seconds of each thread of this process since :meth:`start`, by :func:`thread_group`,
    sampled while they run (a thread's figures go with it when it ends)."""

    def __init__(self) -> None:
        self.first: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.started = False

    def start(self) -> None:
        self.started = True
        self.sample()

    def sample(self) -> None:
        if not self.started:
            return
        for t in threading.enumerate():
            tid = t.native_id
            got = thread_cpu_s(tid) if tid is not None else None
            if tid is None or got is None:
                continue
            self.first.setdefault(tid, got)
            self.last[tid] = (thread_group(t.name), got)

    def by_group(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for tid, (group, got) in self.last.items():
            out[group] = out.get(group, 0.0) + got - self.first[tid]
        return out


class Profiles:
    """cProfile per thread around the watch's work, by part: ``loop`` (the loop thread, whole run),
    ``fetch`` (polls and page fetches + extraction on the fetch threads), ``analysing`` (the
    analysing stage: its store writes and placements)."""

    def __init__(self) -> None:
        import cProfile

        self._make = lambda: cProfile.Profile(time.thread_time)  # CPU, not time spent waiting
        self.groups: dict[str, list[Any]] = {}
        self._local = threading.local()
        self._lock = threading.Lock()

    def profiler(self, group: str) -> Any:
        prof = getattr(self._local, group, None)
        if prof is None:
            prof = self._make()
            setattr(self._local, group, prof)
            with self._lock:
                self.groups.setdefault(group, []).append(prof)
        return prof

    def wrap(self, group: str, fn: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            prof = self.profiler(group)
            prof.enable()
            try:
                return fn(*args, **kwargs)
            finally:
                prof.disable()
        return wrapped

    def top(self, n: int) -> dict[str, list[list[Any]]]:
        """The ``n`` functions of each part with most time of their own: [function, own s, with
        callees s, calls]."""
        import pstats

        out: dict[str, list[list[Any]]] = {}
        for group, profs in self.groups.items():
            stats = pstats.Stats(profs[0])
            for more in profs[1:]:
                stats.add(more)
            rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:n]  # type: ignore[attr-defined]
            out[group] = [[f"{Path(f).name}:{line}({fn})", round(tt, 2), round(ct, 2), nc]
                          for (f, line, fn), (_, nc, tt, ct, _) in rows]
        return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def _median(values: list[float]) -> float | None:
    return round(statistics.median(values), 2) if values else None


def watch_run(args: argparse.Namespace, pages: list[tuple[str, str]], folder: Path,
              profiles: Profiles | None = None) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    port_out = ctx.Queue()
    clock = ctx.Value("d", 0.0)
    child = ctx.Process(target=serve, args=(pages, args.feeds, clock, args.rate, port_out), daemon=True)
    child.start()
    base = port_out.get(timeout=120)
    n = len(pages)
    stored_at: dict[str, str] = {}  # article id -> url
    listed_t: dict[str, float] = {}  # url -> when a poll found it
    stored_t: dict[str, float] = {}  # url -> when its article was stored
    placed_at: dict[str, float] = {}  # url -> time its article was placed in its story (shown)
    fused_at: dict[str, float] = {}  # url -> time its story's claims were refreshed to cover it
    final: set[str] = set()  # urls that reached an end state
    dropped: set[str] = set()  # urls given up, rejected or found a duplicate: no story to update
    memory: list[tuple[float, float, float, float]] = []  # (time, MB of: watch, analysis, fusion processes)
    analysed_t: dict[str, float] = {}  # url -> when its analysis was stored
    pids: dict[str, list[int]] = {"analysis": [], "fusion": []}
    analysed: list[tuple[int, float]] = []  # (articles, analyse s) per analysis batch
    fuses: list[tuple[int, float, int]] = []  # (articles, fuse s, story size) per story fused
    events: dict[str, int] = {}
    problems: list[str] = []  # the first pipeline errors, as reported
    cpu: dict[str, float] = {}
    caches: list[tuple[float, dict[str, int]]] = []  # (time, entries per cache of this process)
    priority: dict[str, str] = {}  # how the refresh process schedules its computation and commits
    parses: dict[str, dict[str, float]] = {}  # url -> its chunk's parse figures and lock waits
    place_waits: list[float] = []  # per placement: seconds its transactions waited for the write lock
    refresh_locks: list[tuple[float, float]] = []  # per refresh: (lock wait, lock held) seconds
    refresh_heap: list[dict[str, float]] = []  # the refresh process's allocator figures (watch/heap.py)
    restarts: list[dict[str, Any]] = []  # the refresh process recycled past its RSS bound (fuser.py)
    refreshes: list[tuple[int, float, int]] = []  # per refresh: (its number in its process, CPU s, size)
    sched: dict[str, tuple[float, float]] = {}  # analysis processes: (on core, waiting) s at start / now
    refresh_threads: dict[int, tuple[int, float]] = {}  # refresh process: tid -> (nice, CPU s), last seen
    refresh_threads_start: dict[int, tuple[int, float]] = {}
    lock = threading.Lock()
    threads = ThreadCPU()

    def listen(record: dict[str, Any]) -> None:
        now = time.time()
        with lock:
            event = record["event"]
            events[event] = events.get(event, 0) + 1
            if event == "pipeline_ready" or (event == "started" and args.no_analyze):
                clock.value = now + 2.0  # the first article appears 2 s after the watch is ready
                pids["analysis"] = list(record.get("analysis_pids") or [])
                pids["fusion"] = list(record.get("fusion_pids") or [])
                priority.update(record.get("refresh_priority") or {})
                cpu["start"], cpu["started_at"] = cpu_s(), now
                cpu["server_start"] = cpu_s(child.pid or 0)
                threads.start()
                for role, procs in pids.items():
                    cpu[f"{role}_start"] = sum(cpu_s(p) for p in procs)
                _sched_sample(pids["analysis"], sched, "start")
                refresh_threads_start.update(threads_by_nice(pids["fusion"]))
            elif event == "listed":
                for url in record["urls"]:
                    listed_t.setdefault(url, now)
            elif event == "stored":
                stored_at[record["article_id"]] = record["url"]
                stored_t[record["url"]] = now
                if args.no_analyze:  # the fetch side alone: stored is the end
                    fused_at.setdefault(record["url"], now)
                    final.add(record["url"])
            elif event == "analysed":
                analysed.append((len(record["articles"]), record.get("analyze_s", 0.0)))
                events["sentences_ahead"] = events.get("sentences_ahead", 0) + int(record.get("sentences", 0))
                for aid in record["articles"]:
                    if aid in stored_at:
                        analysed_t.setdefault(stored_at[aid], now)
                        if "parse_started_at" in record:
                            parses.setdefault(stored_at[aid], {k: record.get(k) for k in _PARSE_KEYS})
            elif event == "placed":
                place_waits.append(record.get("turn_wait_s", 0.0) + record.get("lock_wait_s", 0.0))
                for aid in record["articles"]:
                    url = stored_at.get(aid)
                    if url is not None:
                        placed_at.setdefault(url, record.get("placed_at", now))
            elif event == "fused":
                fuses.append((len(record["articles"]), record.get("fuse_s", 0.0),
                              int(record.get("story_articles", 0))))
                refresh_locks.append((record.get("lock_wait_s", 0.0), record.get("lock_held_s", 0.0)))
                if record.get("heap_mb"):
                    refresh_heap.append(record["heap_mb"])
                if "refresh_nth" in record:
                    refreshes.append((int(record["refresh_nth"]), float(record.get("refresh_cpu_s", 0.0)),
                                      int(record.get("story_articles", 0))))
                for aid in record["articles"]:
                    url = stored_at.get(aid)
                    if url is not None:
                        fused_at.setdefault(url, record.get("done_at", now))
                        final.add(url)
            elif event == "refresh_restarted":
                restarts.append(record)
                pids["fusion"] = list(record.get("pids") or [])  # its memory and CPU read from the new one
                cpu["fusion_retired"] = float(record.get("retired_cpu_s", 0.0))
            elif event == "pipeline_error" and len(problems) < 3:
                problems.append(str(record.get("error"))[:200])
            elif event in ("rejected", "duplicate", "failed"):
                final.add(record["url"])
                dropped.add(record["url"])

    def tick(status: Any) -> None:
        threads.sample()
        analysis_mb, fusion_mb = (sum(rss_mb(p) for p in pids[r]) for r in ("analysis", "fusion"))
        if not fusion_mb and memory:  # a recycled refresh process gone, its successor not yet known
            fusion_mb = memory[-1][3]
        memory.append((time.time(), rss_mb(), analysis_mb, fusion_mb))
        if clock.value and len(memory) % 60 == 0:  # what the caches of this process hold, every 30 s
            caches.append((time.time(), cache_counts()))
        for role, procs in pids.items():  # read while they run (they are gone once the watch stops)
            if procs:  # (with the CPU of refresh processes recycled before)
                retired = cpu.get("fusion_retired", 0.0) if role == "fusion" else 0.0
                cpu[f"{role}_now"] = max(cpu.get(f"{role}_now", 0.0), retired + sum(cpu_s(p) for p in procs))
        if clock.value:
            _sched_sample(pids["analysis"], sched, "now")
            refresh_threads.update(threads_by_nice(pids["fusion"]))
        start = clock.value
        if start and (len(final) >= n or time.time() > start + n / args.rate + args.drain):
            watcher.stop()
        if start and len(memory) % 60 == 0:
            print(f"  t={time.time() - start:.0f}s listed {len(listed_t)} stored {len(stored_t)} "
                  f"placed {len(placed_at)} claims {len(fused_at)} of {n}; "
                  f"RSS {memory[-1][1]:.0f}+{memory[-1][2]:.0f}+{memory[-1][3]:.0f} MB; "
                  f"load {os.getloadavg()[0]:.1f}", file=sys.stderr)

    # each source polled at its own interval (as in a sources file: `interval = 1`)
    sources = [Source(f"{base}/feed/{k}.xml", None, args.poll) for k in range(args.feeds)]
    db = str(folder / "watch.db")
    fetcher = Fetcher(host_delay=args.host_delay, host_concurrency=args.host_concurrency, backoff_base=1.0)
    load_start = os.getloadavg()[0]
    with Store(db) as store:
        opts = WatchOptions(workers=args.host_concurrency, status_every=0.5,
                            analysis_workers=args.analysis_workers, analyze=not args.no_analyze,
                            fusion_process=_fusion_process(args), encode_ahead=args.ahead == "on",
                            deferred_writes=not args.in_transaction)
        watcher = Watcher(store, sources, fetcher, opts, [listen], on_status=tick)
        if profiles is not None:
            profiles.wrap("loop", watcher.run)()
        else:
            watcher.run()
        status = watcher.status.summary()
    cpu["end"] = cpu_s()
    cpu["stopped_at"] = time.time()
    cpu["server_end"] = cpu_s(child.pid or 0)
    load_end = os.getloadavg()[0]
    fetcher.close()
    child.terminate()
    child.join(timeout=10)
    cpu["dropped"] = float(len(dropped))
    fused_at.update(dict.fromkeys(dropped - set(fused_at), float("nan")))  # left out of the figures
    caches.append((time.time(), cache_counts()))
    if args.no_analyze:
        placed_at = dict(fused_at)
    placed_at.update(dict.fromkeys(dropped - set(placed_at), float("nan")))
    placed = _latencies(args, n, clock.value, placed_at, cpu["stopped_at"])
    figures = _watch_figures(args, n, clock.value, fused_at, listed_t, stored_t, analysed_t, memory,
                             analysed, fuses, status, events, cpu, placed_at)
    return {**{f"placed_{k}": v for k, v in placed.items()}, **figures,
            "load_average_1min_start": round(load_start, 2), "load_average_1min_end": round(load_end, 2),
            "pipeline_error_examples": problems, "cache_entries_mid_end": _cache_growth(caches),
            "refresh_priority": priority,
            "stored_to_analysed_split": _tail_split(stored_t, analysed_t, parses),
            "placement_lock_wait_s_p50_p95_max": _spread(place_waits),
            "refresh_lock_wait_s_p50_p95_max": _spread([w for w, _ in refresh_locks]),
            "refresh_lock_held_s_p50_p95_max": _spread([h for _, h in refresh_locks]),
            # where the refresh process's memory sits, first / middle / last report (MB): pymalloc
            # arenas vs live blocks, glibc's heap in use vs free-held, SQLite (watch/heap.py)
            "refresh_heap_mb_first_mid_last": _first_mid_last(refresh_heap),
            # the refresh process recycled past defaults.WATCH_REFRESH_RSS_LIMIT_MB: how often, the RSS
            # that set each off, the seconds each new process took to start (encoder load)
            "refresh_rss_limit_mb": defaults.WATCH_REFRESH_RSS_LIMIT_MB,
            "refresh_recycle_min": defaults.WATCH_REFRESH_RECYCLE_MIN,
            "refresh_restarts": len(restarts),
            "refresh_restart_rss_mb": [r.get("rss_mb") for r in restarts],
            "refresh_restart_s": [r.get("seconds") for r in restarts],
            # warm-up: a process's first refreshes (cold caches) against its later ones
            "refresh_cpu_s_mean_story_size_first10_later": _warmup(refreshes),
            "analysis_process_sched": _sched_share(sched),
            # CPU s per article placed of the refresh process's threads, by their nice value (the
            # commit thread runs at the watch's own, the computation below it)
            "cpu_s_per_article_refresh_threads_by_nice": _by_nice(refresh_threads, refresh_threads_start,
                                                                  max(1, len(placed_at))),
            # CPU s per article of the bench's own web server (a child process on the same cores:
            # not the watch's) and of the watch process's threads by part
            "cpu_s_per_article_bench_server": round((cpu["server_end"] - cpu.get("server_start", 0.0))
                                                    / max(1, len(placed_at)), 3),
            "cpu_s_per_article_watch_threads": {k: round(v / max(1, len(placed_at)), 3)
                                                for k, v in sorted(threads.by_group().items())}}


_PARSE_KEYS = ("parse_started_at", "parse_s", "parse_cpu_s", "parse_run_delay_s", "turn_wait_s",
               "lock_wait_s")


def _tail_split(stored_t: dict[str, float], analysed_t: dict[str, float],
                parses: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Where each article's stored -> analysed seconds went, p50 and p95 of each part: ``queue``
    (stored until its chunk's parse began: behind other articles), the parse's ``cpu``, ``run_delay``
    (runnable, waiting for a core: CPU contention) and ``other``, then ``after_parse`` (the result
    handed back and the analyses stored) of which ``lock_wait`` (the stage's transactions waiting for
    the loop's turn and the write lock). ``tail_mean``: each part's mean over the articles at or past
    the p95 of the whole: what the tail is made of."""
    parts: dict[str, list[float]] = {k: [] for k in ("total", "queue", "cpu", "run_delay", "other",
                                                     "after_parse", "lock_wait")}
    for url, got in parses.items():
        if url not in stored_t or url not in analysed_t:
            continue
        delay = got.get("parse_run_delay_s")
        delay = float(delay) if delay is not None else float("nan")
        began, wall, cpu = float(got["parse_started_at"]), float(got["parse_s"]), float(got["parse_cpu_s"])
        parts["total"].append(analysed_t[url] - stored_t[url])
        parts["queue"].append(began - stored_t[url])
        parts["cpu"].append(cpu)
        parts["run_delay"].append(delay)
        parts["other"].append(wall - cpu - (delay if delay == delay else 0.0))
        parts["after_parse"].append(analysed_t[url] - began - wall)
        parts["lock_wait"].append(float(got.get("turn_wait_s") or 0.0) + float(got.get("lock_wait_s") or 0.0))
    if not parts["total"]:
        return {}
    cut = percentile(parts["total"], 0.95)
    tail = [k for k, t in enumerate(parts["total"]) if t >= cut]
    out: dict[str, Any] = {"articles": len(parts["total"])}
    for name, values in parts.items():
        known = [v for v in values if v == v]
        out[name] = [_median(known), _p95(known)] if known else None
    out["tail_mean"] = {name: round(statistics.fmean(values[k] for k in tail), 2)
                        for name, values in parts.items() if all(values[k] == values[k] for k in tail)}
    return out | _analysis_idle(stored_t, parses)


def _analysis_idle(stored_t: dict[str, float], parses: dict[str, dict[str, float]]) -> dict[str, Any]:
    """Seconds the analysis process sat idle between two chunks while the second's articles were
    already stored (the stage storing and placing one batch before it hands over the next): a
    bubble in the pipeline, against the seconds it parsed."""
    chunks: dict[tuple[float, float], float] = {}  # (start, wall) -> first stored of its articles
    for url, got in parses.items():
        if url in stored_t:
            key = (float(got["parse_started_at"]), float(got["parse_s"]))
            chunks[key] = min(chunks.get(key, stored_t[url]), stored_t[url])
    order = sorted(chunks.items())
    idle = [max(0.0, start - max(prev_start + prev_wall, stored))
            for ((prev_start, prev_wall), _), ((start, _), stored) in itertools.pairwise(order)]
    return {"chunks": len(order), "analysis_idle_with_work_waiting_s": round(sum(idle), 1),
            "analysis_parsing_s": round(sum(wall for (_, wall), _ in order), 1)}


def _by_nice(now: dict[int, tuple[int, float]], start: dict[int, tuple[int, float]],
             articles: int) -> dict[str, float]:
    out: dict[str, float] = {}
    for tid, (nice, cpu) in now.items():
        key = f"nice {nice}"
        out[key] = out.get(key, 0.0) + cpu - start.get(tid, (nice, 0.0))[1]
    return {k: round(v / articles, 3) for k, v in sorted(out.items())}


def _spread(values: list[float]) -> list[float | None]:
    """[p50, p95, max] rounded to ms (empty: Nones)."""
    if not values:
        return [None, None, None]
    return [round(percentile(values, 0.5), 3), round(percentile(values, 0.95), 3), round(max(values), 3)]


def _sched_sample(pids: list[int], sched: dict[str, tuple[float, float]], key: str) -> None:
    """Sum of the analysis processes' main threads' (seconds on a core, seconds waiting for one)."""
    from newsfuse.watch.priority import sched_times

    got = [t for t in (sched_times(str(p)) for p in pids) if t is not None]
    if got:
        sched[key] = (sum(t[0] for t in got), sum(t[1] for t in got))


def _sched_share(sched: dict[str, tuple[float, float]]) -> dict[str, float] | None:
    """Over the run, the analysis process's seconds on a core and runnable but waiting for one."""
    if "start" not in sched or "now" not in sched:
        return None
    on_core = sched["now"][0] - sched["start"][0]
    waiting = sched["now"][1] - sched["start"][1]
    return {"on_core_s": round(on_core, 1), "run_delay_s": round(waiting, 1),
            "run_delay_per_core_s": round(waiting / max(1e-9, on_core), 2)}


def _latencies(
    args: argparse.Namespace, n: int, start: float, end_at: dict[str, float], stopped_at: float
) -> dict[str, Any]:
    """Seconds from each article's appearance to ``end_at`` (median, p95, max); an article that had
    not got there when the watch stopped counts with the seconds it had waited by then (a lower
    bound), so a watch that falls behind cannot look fast by leaving its slowest out."""
    seen = {int(u.rsplit("/", 1)[1]) for u in end_at}
    latencies = [stopped_at - (start + i / args.rate) for i in range(n) if i not in seen]
    late = len(latencies)
    for url, t in end_at.items():
        if t == t:  # not dropped (NaN)
            latencies.append(t - (start + int(url.rsplit("/", 1)[1]) / args.rate))
    reached = [t for t in end_at.values() if t == t]
    span = max(reached) - start if reached else float("nan")
    return {"articles": len(reached), "not_there_at_stop": late,
            "articles_per_s": round(len(reached) / span, 2) if reached and span > 0 else None,
            "latency_median_s": _median(latencies),
            "latency_p95_s": round(percentile(latencies, 0.95), 2) if latencies else None,
            "latency_max_s": round(max(latencies), 2) if latencies else None}


def _warmup(refreshes: list[tuple[int, float, int]], first: int = 10) -> list[list[float | int]]:
    """[refreshes, mean CPU s, mean story size] of each process's first ``first`` refreshes, then of
    the rest."""
    out: list[list[float | int]] = []
    for part in ([r for r in refreshes if r[0] <= first], [r for r in refreshes if r[0] > first]):
        n = max(1, len(part))
        out.append([len(part), round(sum(r[1] for r in part) / n, 3), round(sum(r[2] for r in part) / n, 1)])
    return out


def _watch_figures(
    args: argparse.Namespace, n: int, start: float, fused_at: dict[str, float], listed_t: dict[str, float],
    stored_t: dict[str, float], analysed_t: dict[str, float], memory: list[tuple[float, float, float, float]],
    analysed: list[tuple[int, float]], fuses: list[tuple[int, float, int]], status: dict[str, Any],
    events: dict[str, int], cpu: dict[str, float], placed_at: dict[str, float],
) -> dict[str, Any]:
    phases: dict[str, list[float]] = {k: [] for k in ("listed", "stored", "analysed", "fused",
                                                      "after_listed", "placed", "claims")}
    # an article not in its story when the watch stopped counts with the seconds it had waited by
    # then (a lower bound), so a watch that falls behind cannot look fast by leaving its slowest out
    seen = {int(u.rsplit("/", 1)[1]) for u in fused_at}
    late = [i for i in range(n) if i not in seen]
    latencies = [cpu["stopped_at"] - (start + i / args.rate) for i in late]
    fused_at = {u: t for u, t in fused_at.items() if t == t}  # without the dropped (NaN)
    for url, t in fused_at.items():
        appeared = start + int(url.rsplit("/", 1)[1]) / args.rate
        latencies.append(t - appeared)
        if url in listed_t and url in stored_t:
            phases["listed"].append(listed_t[url] - appeared)
            phases["stored"].append(stored_t[url] - listed_t[url])
            phases["after_listed"].append(t - listed_t[url])
            if url in analysed_t:
                phases["analysed"].append(analysed_t[url] - stored_t[url])
                phases["fused"].append(t - analysed_t[url])
                if placed_at.get(url, float("nan")) == placed_at.get(url, float("nan")):
                    phases["placed"].append(placed_at[url] - analysed_t[url])
                    phases["claims"].append(t - placed_at[url])
    span = (max(fused_at.values()) - start) if fused_at else float("nan")
    run = [m for m in memory if m[0] >= start] or memory
    if args.analysis_workers and not args.no_analyze:  # the samples after the pool ended say nothing
        run = [m for m in run if m[2] > 0] or run
    # CPU per article placed: per article with current claims overstated it whenever refreshes lagged
    done = max(1, sum(1 for t in placed_at.values() if t == t))
    wall = max(1e-9, cpu["stopped_at"] - cpu.get("started_at", 0.0))
    used = {"watch": cpu.get("end", 0.0) - cpu.get("start", 0.0)}
    used |= {r: cpu.get(f"{r}_now", 0.0) - cpu.get(f"{r}_start", 0.0) for r in ("analysis", "fusion")}
    memory_figures: dict[str, Any] = {}
    for k, role in enumerate(("watch", "analysis", "fusion"), start=1):
        mid = run[len(run) // 2]
        memory_figures[f"rss_mb_{role}_start_mid_end"] = [round(run[0][k]), round(mid[k]), round(run[-1][k])]
        memory_figures[f"rss_slope_second_half_mb_per_min_{role}"] = _slope(run, lambda m, k=k: m[k])
        # the curve (a long run's memory flattens once the caches fill: watch/kept.py)
        tenths = [run[int(j * (len(run) - 1) / 10)] for j in range(11)]
        memory_figures[f"rss_mb_{role}_curve"] = [round(m[k]) for m in tenths]
    return {
        "articles_fused": len(fused_at), "articles_total": n,
        "not_fused_at_stop_counted_at_stop": len(late), "dropped": int(cpu.get("dropped", 0)),
        # appearance -> the story's claims cover the article (refreshed behind its placement)
        "claims_current_latency_median_s": _median(latencies),
        "claims_current_latency_p95_s": round(percentile(latencies, 0.95), 2) if latencies else None,
        "claims_current_latency_max_s": round(max(latencies), 2) if latencies else None,
        # where the time goes (medians): waiting for the poll, fetch + extract + store, analysis
        # (waiting for and in a batch), fusion (waiting for its story's turn and the fuse)
        "median_appear_to_listed_s": _median(phases["listed"]),
        "median_listed_to_stored_s": _median(phases["stored"]),
        "median_stored_to_analysed_s": _median(phases["analysed"]),
        "median_analysed_to_fused_s": _median(phases["fused"]),
        "p95_stored_to_analysed_s": _p95(phases["analysed"]),
        "p95_analysed_to_fused_s": _p95(phases["fused"]),
        "p95_listed_to_fused_s": _p95(phases["after_listed"]),
        "median_analysed_to_placed_s": _median(phases["placed"]),
        "p95_analysed_to_placed_s": _p95(phases["placed"]),
        "median_placed_to_claims_current_s": _median(phases["claims"]),
        "p95_placed_to_claims_current_s": _p95(phases["claims"]),
        "articles_per_s": round(len(fused_at) / span, 2) if fused_at else None,
        # cores busy over the run (polling 200 feeds every second costs the watch process CPU
        # whatever arrives, so per article alone misleads when few articles are fused)
        **{f"cpu_s_per_article_{r}_process": round(v / done, 3) for r, v in used.items()},
        **{f"cores_used_{r}_process": round(v / wall, 2) for r, v in used.items()},
        **memory_figures,
        "rss_peak_mb": round(max(m[1] + m[2] + m[3] for m in memory), 1),
        "rss_slope_second_half_mb_per_min": _slope(run, lambda m: m[1] + m[2] + m[3]),
        "memory_samples": len(run), "memory_span_min": round((run[-1][0] - run[0][0]) / 60, 1),
        "polls": status["polls"], "errors": status["errors"], "store_busy": events.get("store_busy", 0),
        "pipeline_errors": events.get("pipeline_error", 0), "duplicates": events.get("duplicate", 0),
        "analysis_batches": len(analysed), "story_fuses": len(fuses),
        "sentences_encoded_ahead": events.get("sentences_ahead", 0),
        "articles_per_story_fuse": round(sum(f[0] for f in fuses) / max(1, len(fuses)), 2),
        "analyze_s_per_article": round(sum(b[1] for b in analysed) / max(1, sum(b[0] for b in analysed)), 3),
        "fuse_s_per_story_fuse": round(sum(f[1] for f in fuses) / max(1, len(fuses)), 3),
        "fuse_s_total": round(sum(f[1] for f in fuses), 1),
        "story_size_at_fuse_median_max": [_median([float(f[2]) for f in fuses]),
                                          max((f[2] for f in fuses), default=0)],
    }


def _cache_growth(caches: list[tuple[float, dict[str, int]]]) -> dict[str, list[int]]:
    """Entries of each cache of the watch process at mid-run and at the end, those holding any: a
    count still rising in the second half is what keeps memory growing (bounds.cache_counts)."""
    if not caches:
        return {}
    mid, end = caches[len(caches) // 2][1], caches[-1][1]
    return {k: [mid.get(k, 0), v] for k, v in end.items() if v}


def _p95(values: list[float]) -> float | None:
    return round(percentile(values, 0.95), 2) if values else None


def _slope(samples: list[tuple[float, float, float, float]], value: Any) -> float:
    """MB per minute over the second half of the samples (least squares: one sample's noise, a
    garbage collection just then, does not decide it)."""
    half = [m for m in samples if m[0] >= samples[0][0] + (samples[-1][0] - samples[0][0]) / 2]
    if len(half) < 2:
        return 0.0
    ts, vs = [m[0] for m in half], [float(value(m)) for m in half]
    mt, mv = statistics.fmean(ts), statistics.fmean(vs)
    var = sum((t - mt) ** 2 for t in ts)
    return round(sum((t - mt) * (v - mv) for t, v in zip(ts, vs, strict=True)) / max(1e-9, var) * 60, 2)


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


def _profiled() -> Profiles:
    """Profiles wrapped around the watch's fetch jobs and its analysing stage's writes and placement."""
    from newsfuse.watch import fusing, loop

    profiles = Profiles()
    loop.poll = profiles.wrap("fetch", loop.poll)  # type: ignore[assignment]
    loop.fetch = profiles.wrap("fetch", loop.fetch)  # type: ignore[assignment]
    fusing.analyse_batch = profiles.wrap("analysing", fusing.analyse_batch)  # type: ignore[assignment]
    return profiles


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("data", type=Path, help="folder of news texts (*.txt), e.g. ../shared/bench/polnear")
    p.add_argument("--feeds", type=int, default=200)
    p.add_argument("--articles", type=int, default=600,
                   help="articles appearing (default 600: 5 minutes at 2/s; the issue's long run: 5000)")
    p.add_argument("--rate", type=float, default=2.0, help="articles appearing per second")
    p.add_argument("--poll", type=float, default=1.0, help="each feed's poll interval, seconds")
    p.add_argument("--drain", type=float, default=60.0, help="seconds allowed after the last appearance")
    p.add_argument("--host-delay", type=float, default=0.0)
    p.add_argument("--host-concurrency", type=int, default=8)
    p.add_argument("--analysis-workers", type=int, default=defaults.WATCH_ANALYSIS_WORKERS,
                   help="analysis processes the watch keeps (0: analyse in the watch process)")
    p.add_argument("--meaning", choices=("on", "off"),
                   default="on" if defaults.CLAIM_MATCH_BY_MEANING else "off",
                   help="match claims by meaning in fusion (defaults.CLAIM_MATCH_BY_MEANING)")
    p.add_argument("--no-batch", action="store_true", help="skip the batch peer")
    p.add_argument("--batch-articles", type=int, default=None,
                   help="the batch peer ingests the first N pages only (default: all; articles/s compares)")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--fuse-here", action="store_true",
                       help="fuse on a thread of the watch process (defaults.WATCH_FUSION_PROCESS)")
    where.add_argument("--fusion-process", action="store_true",
                       help="fuse on a kept process of its own, as `watch --fusion-process`")
    p.add_argument("--ahead", choices=("on", "off"), default="on" if defaults.WATCH_ENCODE_AHEAD else "off",
                   help="the analysis stage encodes claim sentences ahead (defaults.WATCH_ENCODE_AHEAD)")
    p.add_argument("--in-transaction", action="store_true",
                   help="fuse each story inside one write transaction (defaults.WATCH_DEFERRED_WRITES off)")
    p.add_argument("--claims-refresh", type=float, default=defaults.WATCH_CLAIMS_REFRESH_S,
                   help="a story's claims refreshed at most once per this many seconds "
                        "(defaults.WATCH_CLAIMS_REFRESH_S)")
    p.add_argument("--profile", type=int, default=0, metavar="N",
                   help="cProfile the watch process's loop thread, fetch threads and analysing stage and "
                        "report each part's N functions with most time of their own (slows the watch)")
    p.add_argument("--wire", choices=("stdlib", "httpx"), default=defaults.FETCH_WIRE,
                   help="what the fetcher sends requests with (defaults.FETCH_WIRE)")
    p.add_argument("--fetch-nice", type=int, default=defaults.WATCH_FETCH_NICE,
                   help="nice levels the fetch threads run below the watch (defaults.WATCH_FETCH_NICE)")
    p.add_argument("--refresh-rss-limit", type=float, default=defaults.WATCH_REFRESH_RSS_LIMIT_MB,
                   metavar="MB", help="recycle the refresh process past this resident MB (0: never; "
                                      "scaled down, a short run shows the restarts)")
    p.add_argument("--refresh-recycle-min", type=int, default=defaults.WATCH_REFRESH_RECYCLE_MIN,
                   metavar="N", help="refreshes a refresh process makes before it may be recycled")
    p.add_argument("--no-analyze", action="store_true",
                   help="the watch only fetches and stores (latency ends at 'stored'): its own cost, "
                        "without analysis")
    args = p.parse_args()
    defaults.CLAIM_MATCH_BY_MEANING = args.meaning == "on"
    defaults.WATCH_REFRESH_RSS_LIMIT_MB = args.refresh_rss_limit
    defaults.WATCH_REFRESH_RECYCLE_MIN = args.refresh_recycle_min
    defaults.WATCH_CLAIMS_REFRESH_S = args.claims_refresh
    defaults.FETCH_WIRE = args.wire
    defaults.WATCH_FETCH_NICE = args.fetch_nice
    pages = load_pages(args.data, args.articles)
    if not pages:
        sys.exit(f"no *.txt texts under {args.data}")
    if not args.no_analyze or not args.no_batch:
        from newsfuse.analyze import nlp

        nlp.load()  # both runs start with the model loaded
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"watch: {len(pages)} articles over {args.feeds} feeds at {args.rate}/s, each feed polled "
              f"every {args.poll}s, {args.analysis_workers} analysis process(es), meaning {args.meaning}, "
              f"load {os.getloadavg()[0]:.1f} ...", file=sys.stderr)
        profiles = _profiled() if args.profile else None
        watched = watch_run(args, pages, folder, profiles)
        if profiles is not None:
            watched["profile_top"] = profiles.top(args.profile)
            for group, rows in watched["profile_top"].items():
                print(f"  {group}: " + "; ".join(f"{r[0]} {r[1]}s" for r in rows), file=sys.stderr)
        print(f"  {watched}", file=sys.stderr)
        batch = None
        if not args.no_batch:
            print("batch ingest of the same pages ...", file=sys.stderr)
            batch = batch_run(pages[: args.batch_articles or len(pages)], folder)
            print(f"  {batch}", file=sys.stderr)
    p95 = watched["placed_latency_p95_s"]
    summary = {
        "bench": "watch", "data": str(args.data), "feeds": args.feeds, "articles": len(pages),
        "rate_per_s": args.rate, "poll_interval_s": args.poll, "analysis_workers": args.analysis_workers,
        "fusion_process": _fusion_process(args), "match_by_meaning": args.meaning == "on",
        "encode_ahead": args.ahead == "on", "deferred_writes": not args.in_transaction,
        "claims_refresh_s": args.claims_refresh, "refresh_nice": defaults.WATCH_REFRESH_NICE,
        "wire": args.wire, "fetch_nice": args.fetch_nice, "nice": os.nice(0),
        "cores": os.cpu_count(),
        "latency_ends_at": "stored" if args.no_analyze else "placed in its story (claims current after)",
        "watch": watched, "batch_ingest": batch,
        "max_rss_mb_this_process": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "target_p95_s": TARGET_P95_S, "meets_target": p95 is not None and p95 < TARGET_P95_S,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
