"""Past one machine: analysis speed on a real dask cluster, and the whole job at growing store sizes.

Usage (from the project root, inside the venv)::

    python bench/scale.py ../shared/bench [--speed-articles 48] [--sizes 1000,5000] [--workers 2]
        [--probes 3] [--pg postgresql://...] [--skip-speed] [--skip-e2e]

Texts are PolNeAR's TRAIN texts (``DATA_PATH/polnear/train/text``: 840 real articles of ~800 words;
only the texts are read, never the annotations).

1. **speed** (analysis alone, nothing stored): the same ``--speed-articles`` articles through one
   process, the local process pool of ``--workers`` (the peer), and a dask cluster started as the
   README tells an operator to (``dask scheduler``; ``dask worker --nthreads 1``) with 1 worker,
   then ``--workers``. Every setting is warmed up first (models loaded), so the figure is the
   steady rate; the workers' CPU seconds per article are reported too, as the machine may be
   shared (``load_avg`` says how busy it was).
2. **end to end on PostgreSQL**: a JSONL corpus is made from the texts, replicated with variations
   when more articles than texts are asked for (replica ``r`` of a text gets another outlet, a date
   ``r`` days later and a closing line of its own, so it is a new article that copy detection links
   to the others, as syndicated copies are). The store grows to each of ``--sizes`` in turn; each
   step runs ``newsfuse ingest PART.jsonl --db PG --dask ADDRESS`` in a child process (the
   coordinator: ingest, analysis on the cluster, fusion) and reports seconds, articles/s, the peak
   resident memory of the coordinator (``wait4``), of each worker and the scheduler (``VmHWM``,
   reset before the step) and of the largest PostgreSQL process; then the ms to add one more
   article (ingest + analysis + fusion, one process, median of ``--probes``) at that size.

The server is a throwaway PostgreSQL (``tests/pg.py``) unless ``--pg`` names one. The last line
printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for extra in (ROOT, ROOT / "tests"):  # tests/pg.py and tests/daskprocs.py start the servers
    if str(extra) not in sys.path:
        sys.path.insert(0, str(extra))

import psutil  # noqa: E402
from daskprocs import DaskProcesses  # noqa: E402

from newsfuse.analyze import pipeline  # noqa: E402
from newsfuse.ids import content_id  # noqa: E402
from newsfuse.models import Article  # noqa: E402
from newsfuse.pipeline import RunContext, run  # noqa: E402
from newsfuse.store import Store  # noqa: E402

OUTLETS = [f"Outlet {n:02d}" for n in range(60)]
SPEEDUP_GOAL = 1.8
COORDINATOR_GOAL_MB = 1500


# -- texts ---------------------------------------------------------------------------------------


def base_texts(data: Path) -> list[dict[str, str]]:
    """PolNeAR TRAIN texts with their title and date from metadata.tsv (sorted by file name)."""
    root = data / "polnear"
    meta: dict[str, dict[str, str]] = {}
    with open(root / "metadata.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            meta[row["filename"]] = row
    out = []
    for path in sorted((root / "train" / "text").glob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace").strip()
        info = meta.get(path.stem, {})
        if text:
            out.append({"text": text, "title": info.get("title") or "", "published":
                        info.get("publication_date") or "2016-01-01"})
    return out


def replica(texts: list[dict[str, str]], k: int) -> dict[str, str]:
    """Article number ``k`` of the corpus: text ``k mod n``, varied by its replica number."""
    base = texts[k % len(texts)]
    r = k // len(texts)
    record = {"title": base["title"], "text": base["text"], "outlet": OUTLETS[(k * 7 + r) % len(OUTLETS)],
              "published": base["published"]}
    if r:
        day = date.fromisoformat(base["published"][:10]) + timedelta(days=r)
        record["published"] = day.isoformat()
        record["text"] += f"\n\nThis report was updated for edition {r} of the {record['outlet']} digest."
    return record


def write_jsonl(path: Path, records: Iterator[dict[str, str]]) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


# -- process figures -----------------------------------------------------------------------------


def peak_mb(pid: int) -> float | None:
    """Peak resident memory (VmHWM) of a live process, in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def reset_peak(pid: int) -> None:
    """Start a new peak (Linux: writing 5 to clear_refs resets VmHWM)."""
    with suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def cpu_seconds(pids: set[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            t = psutil.Process(pid).cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def postgres_pids(url: str) -> set[int]:
    """The server's processes: the postmaster listening on the URL's port and its children."""
    port = int(url.rsplit(":", 1)[1].split("/", 1)[0]) if url.count(":") >= 2 else 5432
    for proc in psutil.process_iter(["name", "cmdline"]):
        cmd = " ".join(proc.info["cmdline"] or [])
        if proc.info["name"] == "postgres" and f"-p {port}" in cmd:
            return {proc.pid, *(c.pid for c in proc.children())}
    return set()


# -- 1. speed ------------------------------------------------------------------------------------


def _rate(n: int, seconds: float) -> float:
    return round(n / seconds, 2) if seconds > 0 else 0.0


def _timed(articles: list[Article], results: Iterator[Any]) -> float:
    """Seconds to draw every result from a lazy iterator (the work happens as it is drawn)."""
    start = time.perf_counter()
    got = sum(1 for _ in results)
    assert got == len(articles), f"{got} results for {len(articles)} articles"
    return time.perf_counter() - start


def speed(articles: list[Article], workers: int, logs: Path) -> dict[str, Any]:
    """Articles/s of analysis alone in each setting, warmed up first."""
    warm = articles[:2]
    out: dict[str, Any] = {"articles": len(articles), "load_avg_before": os.getloadavg()[0]}
    pipeline.analyze_texts(warm)
    out["one_process"] = _rate(len(articles), _timed(articles, pipeline.iter_analyses(articles)))
    print(f"one process: {out['one_process']} articles/s", file=sys.stderr)
    with pipeline.worker_pool(workers) as pool:
        list(pipeline._pool_analyses(pool, pipeline._jobs(warm * workers, ("mentions",), 1), workers))
        jobs = pipeline._jobs(articles, pipeline.ANALYSIS_STEPS, pipeline.defaults.ANALYZE_CHUNK_ARTICLES)
        out["pool"] = _rate(len(articles), _timed(articles, pipeline._pool_analyses(pool, jobs, workers)))
    print(f"process pool of {workers}: {out['pool']} articles/s", file=sys.stderr)
    for n in (1, workers):
        with DaskProcesses(logs, workers=n) as procs:
            procs.wait_for_workers(n)
            list(pipeline.iter_analyses(warm * n, executor="dask", address=procs.address))  # models in
            before = cpu_seconds(procs.worker_pids()), cpu_seconds({procs.scheduler_pid, os.getpid()})
            seconds = _timed(articles, pipeline.iter_analyses(articles, executor="dask",
                                                              address=procs.address, ordered=False))
            cpu = cpu_seconds(procs.worker_pids()) - before[0]
            overhead = cpu_seconds({procs.scheduler_pid, os.getpid()}) - before[1]
        out[f"dask_{n}"] = _rate(len(articles), seconds)
        out[f"dask_{n}_worker_cpu_s_per_article"] = round(cpu / len(articles), 3)
        # what the cluster costs beyond the analysis itself: scheduler and coordinator CPU
        out[f"dask_{n}_overhead_cpu_s_per_article"] = round(overhead / len(articles), 3)
        print(f"dask, {n} worker(s): {out[f'dask_{n}']} articles/s", file=sys.stderr)
    out["dask_speedup"] = round(out[f"dask_{workers}"] / out["dask_1"], 2) if out["dask_1"] else None
    # On a machine shared with other jobs the wall-clock speed-up says how much CPU the others left
    # us; N x (CPU per article with 1 worker / with N) is the speed-up N workers give when each has a
    # core of its own (what the cluster's own overhead would leave of the ideal N).
    cpu_1, cpu_n = out["dask_1_worker_cpu_s_per_article"], out[f"dask_{workers}_worker_cpu_s_per_article"]
    out["dask_cpu_speedup"] = round(workers * cpu_1 / cpu_n, 2) if cpu_n else None
    out["dask_vs_pool"] = round(out[f"dask_{workers}"] / out["pool"], 2) if out["pool"] else None
    out["load_avg_after"] = os.getloadavg()[0]
    return out


# -- 2. end to end -------------------------------------------------------------------------------


def ingest_child(part: Path, url: str, address: str) -> tuple[dict[str, Any], float, float]:
    """(summary, seconds, peak MB) of ``newsfuse ingest`` run as the coordinator in a child process."""
    cmd = [sys.executable, "-m", "newsfuse.cli", "ingest", str(part), "--db", url, "--dask", address,
           "--json", "-q"]
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if child.returncode not in (0, 1):
        raise SystemExit(f"newsfuse ingest failed with exit code {child.returncode}")
    return json.loads(out), seconds, round(usage.ru_maxrss / 1024, 1)


def add_one_ms(
    url: str, texts: list[dict[str, str]], k: int, folder: Path, probes: int
) -> tuple[float, float]:
    """Median (wall ms, CPU ms of this process) to ingest, analyse and fuse one new article into the
    store, in this process (the CPU figure is the one other jobs on a shared machine do not move)."""
    wall, cpu = [], []
    for i in range(probes):
        path = folder / f"probe-{k + i}.jsonl"
        write_jsonl(path, iter([replica(texts, k + i)]))
        with Store(url) as store:
            start, start_cpu = time.perf_counter(), time.process_time()
            ctx = run(store, RunContext(paths=[path]))
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        assert ctx.analyzed == 1, ctx.summary()
    return round(statistics.median(wall), 1), round(statistics.median(cpu), 1)


def end_to_end(texts: list[dict[str, str]], sizes: list[int], workers: int, probes: int, url: str,
               folder: Path) -> list[dict[str, Any]]:
    """Grow one PostgreSQL store to each size through the cluster; figures per step."""
    steps = []
    done = 0  # articles of the corpus stored so far (probes use numbers beyond every size)
    probe_base = max(sizes) + 1_000_000
    with DaskProcesses(folder, workers=workers) as procs:
        procs.wait_for_workers(workers)
        for size in sizes:
            part = folder / f"part-{size}.jsonl"
            n = write_jsonl(part, (replica(texts, k) for k in range(done, size)))
            watched = {procs.scheduler_pid, *procs.worker_pids(), *postgres_pids(url)}
            for pid in watched:
                reset_peak(pid)
            summary, seconds, coordinator_mb = ingest_child(part, url, procs.address)
            done = size
            step = {
                "store_articles": size, "added": n, "seconds": round(seconds, 1),
                "articles_per_s": _rate(n, seconds), "stored": summary.get("stored"),
                "analyzed": summary.get("analyzed"), "copies": summary.get("copies"),
                "peak_mb": {
                    "coordinator": coordinator_mb,
                    "scheduler": peak_mb(procs.scheduler_pid),
                    "workers": sorted(filter(None, (peak_mb(p) for p in procs.worker_pids()))),
                    "postgres_max": max(filter(None, (peak_mb(p) for p in postgres_pids(url))), default=None),
                },
            }
            probe = add_one_ms(url, texts, probe_base + size, folder, probes)
            step["add_one_ms"], step["add_one_cpu_ms"] = probe
            print(f"store {size}: {json.dumps(step)}", file=sys.stderr)
            steps.append(step)
    return steps


def growth(steps: list[dict[str, Any]]) -> dict[str, Any]:
    """Last step's figure over the first's: 1.0 is flat."""
    if len(steps) < 2:
        return {}
    a, b = steps[0], steps[-1]

    def ratio(x: float | None, y: float | None) -> float | None:
        return round(y / x, 2) if x and y else None

    return {
        "store_size": ratio(a["store_articles"], b["store_articles"]),
        "articles_per_s": ratio(a["articles_per_s"], b["articles_per_s"]),
        "coordinator_mb": ratio(a["peak_mb"]["coordinator"], b["peak_mb"]["coordinator"]),
        "worker_mb": ratio(max(a["peak_mb"]["workers"], default=None),
                           max(b["peak_mb"]["workers"], default=None)),
        "add_one_ms": ratio(a["add_one_ms"], b["add_one_ms"]),
        "add_one_cpu_ms": ratio(a.get("add_one_cpu_ms"), b.get("add_one_cpu_ms")),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="bench data folder (holds polnear/)")
    ap.add_argument("--speed-articles", type=int, default=48)
    ap.add_argument("--sizes", default="1000,5000", help="store sizes to grow to, comma-separated")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--probes", type=int, default=3)
    ap.add_argument("--pg", help="a PostgreSQL URL to use (default: a throwaway server)")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-e2e", action="store_true")
    args = ap.parse_args(argv)
    texts = base_texts(args.data)
    result: dict[str, Any] = {"texts": len(texts), "workers": args.workers, "cores": os.cpu_count()}
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="newsfuse-scale-")))
        if not args.skip_speed:
            articles = [Article(id=content_id("scale", r["text"], prefix="a_"), text=r["text"],
                                published=r["published"], outlet=r["outlet"])
                        for r in (replica(texts, k) for k in range(args.speed_articles))]
            result["speed"] = speed(articles, args.workers, folder)
        if not args.skip_e2e:
            url = args.pg or _throwaway_pg(stack)
            sizes = sorted(int(s) for s in args.sizes.split(","))
            result["e2e"] = end_to_end(texts, sizes, args.workers, args.probes, url, folder)
            result["growth"] = growth(result["e2e"])
    result["goals"] = {"speedup": SPEEDUP_GOAL, "coordinator_mb": COORDINATOR_GOAL_MB}
    print(json.dumps(result))
    return 0


def _throwaway_pg(stack: ExitStack) -> str:
    from pg import start_server

    server, reason = start_server()
    if server is None:
        raise SystemExit(f"no PostgreSQL: {reason}; pass --pg URL")
    stack.callback(server.stop)
    return server.new_database()


if __name__ == "__main__":
    sys.exit(main())
