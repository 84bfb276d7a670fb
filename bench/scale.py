"""Past one machine: analysis speed on a real dask cluster, and the whole job at growing store sizes.

Usage (from the project root, inside the venv)::

    python bench/scale.py ../shared/bench [--speed-articles 160] [--sizes 1000,5000] [--workers 2]
        [--probes 3] [--pg postgresql://...] [--skip-speed] [--skip-e2e]

1. **speed of the analysis stage** (analyse every stored, unanalysed article and store each
   analysis into PostgreSQL): ``--speed-articles`` real texts (PolNeAR TRAIN texts of ~800 words
   interleaved with ECB+ TRAIN documents of ~250 words; only texts, never annotations) are stored
   into a fresh database per setting, then ``analyze_stage`` runs in one process, on the local
   process pool of ``--workers`` (the peer: ``--workers N``), and on a dask cluster started as the
   README tells an operator to (``dask scheduler``; ``dask worker --nthreads 1``) with 1 worker,
   then ``--workers``, in the same run. Workers are started and their model loaded before the
   clock starts; ``articles_per_s`` is the steady rate, over the results between the first and the
   last fifth (the fill and the drain are left out). CPU seconds per article of the workers, the
   coordinator, the scheduler and PostgreSQL are taken over the whole stage; ``load_avg_start``
   says how busy the machine was, ``cores_used_by_analysis`` how much CPU the analysis got.
   ``dask_speedup`` is by the clock; ``dask_cpu_speedup`` N x worker CPU per article with 1 / with
   N; ``dask_projected_speedup`` also charges the coordinator, scheduler and PostgreSQL to the N
   cores (the speed-up on an otherwise idle N-core host).
2. **end to end on PostgreSQL**: a JSONL corpus is made from the PolNeAR texts, replicated with
   variations when more articles than texts are asked for (replica ``r`` of a text gets another
   outlet, a date ``r`` days later and a closing line of its own, so it is a new article that copy
   detection links to the others, as syndicated copies are). The store grows to each of ``--sizes``
   in turn; each step runs ``newsfuse ingest PART.jsonl --db PG --dask ADDRESS`` in a child process
   (the coordinator: ingest, analysis on the cluster, fusion) and reports seconds, articles/s, the
   peak resident memory of the coordinator (``wait4``), of each worker and the scheduler
   (``VmHWM``, reset before the step) and of the largest PostgreSQL process; then the ms to add one
   more article (ingest + analysis + fusion, one process, median of ``--probes``) at that size.

3. **the ingest stage alone** (``--ingest-sizes 1000,10000``): ``newsfuse ingest --no-analyze`` of that
   many replicated articles into an empty database, as a child process: seconds, articles/s and its
   peak memory, which says whether the stage holds anything per article of the input or the store.
4. **a store built by replication, not by analysis** (``--replicate-to 10000,100000``): end to end
   is about one article a second here, so a 100,000-article store cannot be grown for real in a
   session. The store the end-to-end part grew (or ``--seed-db URL``, a store filled for real) is
   grown to each size by replicating its stories through the Store API (``bench/replicate.py``:
   articles with signatures and copy links, analyses, story placement, term counts, entity links;
   no spaCy, no encoder). At each size, with the cluster of part 2: the seconds the replication
   took, the table sizes, then ``newsfuse ingest`` of ``--batch`` held-out texts (ECB+ TRAIN
   documents, new to the store) through the cluster as a child process (the coordinator: its peak
   memory, seconds, articles/s), then ms to add one more held-out article in this process (ingest,
   one-process analysis, fusion; median of ``--probes``). The held-out texts are other documents
   at each size (a stored text would be no new article). ``growth`` compares the last size with
   the first. ``--records-up-to N``: replicas beyond N articles get no analysis records (the
   tables new articles are looked up in store-wide are full size; a replica story re-fused then
   has no claims), for a 100k store within a session on a loaded host.

5. **the same articles added to stores of two sizes** (``--paired URL10K,URL100K``, stores grown by
   ``bench/replicate.py``): ``--pairs`` rounds; in each, ``--probes`` held-out ECB+ TRAIN documents
   are added to every store, one ``run`` per article (ingest, analysis in the process, fusion of its
   story), in a fresh child process per store that first adds one warm-up article of its own (the
   models load on it); the stores take turns going first. Per store: median wall and CPU ms of one
   article (its process), the time of its PostgreSQL round trips, the child's peak memory; a batch
   of ``--batch`` more through ``newsfuse ingest`` as a child (every stage in that one process: its
   peak memory); and ``EXPLAIN (ANALYZE, BUFFERS)`` (rolled back) of the statements that took most
   time, with the parameters they were sent with. ``growth`` is the last store's over the first's.

The server is a throwaway PostgreSQL (``tests/pg.py``) unless ``--pg`` names one (where the bench
may create databases). The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
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

from newsfuse import defaults  # noqa: E402
from newsfuse.analyze import pipeline  # noqa: E402
from newsfuse.analyze.pipeline import analyze_stage  # noqa: E402
from newsfuse.models import Article  # noqa: E402
from newsfuse.pipeline import RunContext, run  # noqa: E402
from newsfuse.store import Store, queries  # noqa: E402

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


def speed_texts(data: Path) -> list[dict[str, str]]:
    """PolNeAR TRAIN texts (~800 words) interleaved with ECB+ TRAIN documents (~250 words), so the
    speed figure covers both long reports and short wire items."""
    from stories import read_ecb  # bench/stories.py: ECB+ documents as text

    polnear = base_texts(data)
    ecb = [{"text": d.text, "title": "", "published": "2016-01-01"}
           for d in read_ecb(data / "ecbplus" / "ECB_Train_corpus.txt")]
    mixed = [t for pair in zip(polnear, ecb, strict=False) for t in pair]
    return mixed + polnear[len(ecb):] + ecb[len(polnear):]


def _rate(n: int, seconds: float) -> float:
    return round(n / seconds, 2) if seconds > 0 else 0.0


class TimedStore(Store):
    """A store that notes when each analysis was stored."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.stored_at: list[float] = []

    def put_analysis(self, analysis: Any) -> None:
        super().put_analysis(analysis)
        self.stored_at.append(time.perf_counter())


def steady_window(n: int) -> tuple[int, int]:
    """The results (by index) that bound the steady state: the first and last fifth are the workers
    filling up (connect, first batches) and draining (one worker idle while the other ends)."""
    return n // 5, n - n // 5 - 1


def children_cpu() -> float:
    """CPU seconds of this process's ended and reaped children (a process pool, once closed)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def idle_cores(pids: set[int], seconds: float = 5.0) -> float:
    """CPU the processes use while nothing is sent to them (heartbeats, monitors), in cores."""
    before = cpu_seconds(pids)
    time.sleep(seconds)
    return round((cpu_seconds(pids) - before) / seconds, 4)


def stage_rate(
    url: str, ctx: RunContext, n: int, workers: Any = frozenset, scheduler: Any = frozenset,
    idle: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Steady articles/s of the analysis stage over ``n`` stored, unanalysed articles (the results
    between the first and last fifth), and the CPU seconds per article of the workers, the
    coordinator, the scheduler and PostgreSQL over the whole stage (a window's CPU would miss the
    work of the batches in flight at its ends). ``workers``/``scheduler``: their pids when they are
    processes of their own that outlive the stage (dask); a process pool's workers are children of
    this process that end with the stage."""
    groups = {"workers": workers, "coordinator": lambda: {os.getpid()},
              "postgres": lambda: postgres_pids(url), "scheduler": scheduler}
    store = TimedStore(url)
    try:
        pids = {g: f() for g, f in groups.items()}  # the store's own PostgreSQL backend is open now
        before = {g: cpu_seconds(p) for g, p in pids.items()}, children_cpu()
        start = time.perf_counter()
        analyze_stage(store, ctx)
        wall = time.perf_counter() - start
        after = {g: cpu_seconds(p) for g, p in pids.items()}, children_cpu()
        times = store.stored_at
    finally:
        store.close()
    assert ctx.analyzed == n == len(times), ctx.summary()
    a, b = steady_window(n)
    window_s = times[b] - times[a]
    cpu = {g: after[0][g] - before[0][g] for g in groups}
    cpu["workers"] += after[1] - before[1]  # a pool's workers, reaped when the stage closed it
    out: dict[str, Any] = {"articles_per_s": _rate(b - a, window_s), "whole_stage_articles_per_s":
                           _rate(n, wall)}
    out.update({f"{g}_cpu_s_per_article": round(cpu[g] / n, 4) for g in groups})
    # A dask process costs CPU per second whatever it does; on a loaded machine the stage lasts
    # long and that cost, spread over the articles, swamps the work: "busy" leaves it out.
    for g, cores in (idle or {}).items():
        out[f"{g}_idle_cores"] = cores
        out[f"{g}_busy_cpu_s_per_article"] = round(max(0.0, cpu[g] - cores * wall) / n, 4)
    # how many cores the analysis had: on a shared machine, what the other jobs left us
    busy = cpu["workers"] or cpu["coordinator"]
    out["cores_used_by_analysis"] = round(busy / wall, 2)
    return out


def new_database(server_url: str, name: str) -> str:
    """A new, empty database on the server of ``server_url`` (its URL)."""
    import psycopg

    db = f"scale_{name}_{os.getpid()}"  # ours: letters, digits, underscore
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {db}")
    return server_url.rsplit("/", 1)[0] + "/" + db


def stored_unanalysed(server_url: str, name: str, records: list[dict[str, str]], folder: Path) -> str:
    """A new database holding the records, stored (ingest stage) but not analysed."""
    url = new_database(server_url, name)
    path = folder / f"{name}.jsonl"
    write_jsonl(path, iter(records))
    with Store(url) as store:
        ctx = run(store, RunContext(paths=[path]), stages=["ingest"])
    assert len(ctx.stored) == len(records), ctx.summary()
    return url


def speed(records: list[dict[str, str]], workers: int, folder: Path, server_url: str) -> dict[str, Any]:
    """Steady articles/s of the analysis stage (analyse, store into PostgreSQL) in one process, the
    local process pool of ``workers`` (the peer, as ``--workers N`` runs it) and a dask cluster of 1
    and ``workers`` workers, each on its own database holding the same unanalysed articles."""
    n = len(records)
    out: dict[str, Any] = {"articles": n, "load_avg_start": [round(x, 2) for x in os.getloadavg()],
                           "batch_articles": defaults.DASK_BATCH_ARTICLES,
                           "batches_in_flight_per_worker": defaults.ANALYZE_BATCHES_IN_FLIGHT_PER_WORKER}
    pipeline.analyze_texts([Article(id="a_warm", text=records[0]["text"])])  # the model, in this process
    for name, count in (("one_process", 1), (f"pool_{workers}", workers)):
        url = stored_unanalysed(server_url, name, records, folder)
        ctx = RunContext(workers=count, executor="pool")
        out[name] = stage_rate(url, ctx, n)
        print(f"{name}: {json.dumps(out[name])}", file=sys.stderr)
    for count in (1, workers):
        url = stored_unanalysed(server_url, f"dask_{count}", records, folder)
        with DaskProcesses(folder, workers=count) as procs:
            procs.wait_for_workers(count)
            warm = [Article(id=f"a_w{i}", text=records[i % n]["text"]) for i in range(count)]
            list(pipeline.iter_analyses(warm * 8, executor="dask", address=procs.address))  # plugin in
            out[f"dask_{count}_worker_threads"] = worker_threads(procs)
            idle = {"workers": idle_cores(procs.worker_pids()),
                    "scheduler": idle_cores({procs.scheduler_pid})}
            out[f"dask_{count}"] = stage_rate(url, RunContext(dask=procs.address), n, procs.worker_pids,
                                              lambda: {procs.scheduler_pid}, idle)
        print(f"dask_{count}: {json.dumps(out[f'dask_{count}'])}", file=sys.stderr)
    out.update(speedups(out, workers))
    out["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]
    return out


def worker_threads(procs: DaskProcesses) -> dict[str, Any]:
    """Task threads of each worker (dask's nthreads) and the OS threads of each worker process."""
    import distributed

    with distributed.Client(procs.address, timeout="30s") as client:
        nthreads = sorted(client.nthreads().values())
    return {"nthreads": nthreads, "os_threads": sorted(psutil.Process(p).num_threads()
                                                      for p in procs.worker_pids())}


def speedups(out: dict[str, Any], workers: int) -> dict[str, Any]:
    """Speed-ups of ``workers`` over 1: by the clock, and from CPU seconds per article.

    On a shared machine the clock says how much CPU the other jobs left us. ``cpu`` is
    N x (worker CPU per article with 1 worker / with N): what the cluster's own cost per article
    leaves of the ideal N. ``projected`` also counts the coordinator, scheduler and PostgreSQL, which
    with N workers on N cores take CPU from the workers (with 1 worker they have a core of their own):
    N x w1 / (wN + oN), the speed-up on an otherwise idle N-core host."""
    res: dict[str, Any] = {}
    one, many = out["dask_1"], out[f"dask_{workers}"]
    w1, wn = one["workers_cpu_s_per_article"], many["workers_cpu_s_per_article"]
    on = sum(many[f"{g}_cpu_s_per_article"] for g in ("coordinator", "scheduler", "postgres"))
    res["dask_speedup"] = round(many["articles_per_s"] / one["articles_per_s"], 2)
    res["dask_cpu_speedup"] = round(workers * w1 / wn, 2) if wn else None
    res["dask_projected_speedup"] = round(workers * w1 / (wn + on), 2) if wn else None
    # the same without the per-second cost of idle dask processes (see stage_rate): what an idle
    # host, where the stage is short, comes close to
    b1, bn = one["workers_busy_cpu_s_per_article"], many["workers_busy_cpu_s_per_article"]
    bon = on - many["scheduler_cpu_s_per_article"] + many["scheduler_busy_cpu_s_per_article"]
    res["dask_busy_cpu_speedup"] = round(workers * b1 / bn, 2) if bn else None
    res["dask_busy_projected_speedup"] = round(workers * b1 / (bn + bon), 2) if bn else None
    pool, one_process = out[f"pool_{workers}"]["articles_per_s"], out["one_process"]["articles_per_s"]
    res["pool_speedup"] = round(pool / one_process, 2)
    res["dask_vs_pool"] = round(many["articles_per_s"] / out[f"pool_{workers}"]["articles_per_s"], 2)
    return res


# -- 2. end to end -------------------------------------------------------------------------------


def ingest_child(part: Path, url: str, address: str | None, analyze: bool = False
                 ) -> tuple[dict[str, Any], float, float]:
    """(summary, seconds, peak MB) of ``newsfuse ingest`` run as the coordinator in a child process
    (without ``address``: ``--no-analyze``, the ingest stage alone, unless ``analyze``: then every
    stage in the one process)."""
    where = ["--dask", address] if address else ([] if analyze else ["--no-analyze"])
    cmd = [sys.executable, "-m", "newsfuse.cli", "ingest", str(part), "--db", url, *where, "--json", "-q"]
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
    return add_each_ms(url, [replica(texts, k + i) for i in range(probes)], folder, f"probe-{k}")


def add_each_ms(url: str, records: list[dict[str, str]], folder: Path, name: str) -> tuple[float, float]:
    """Median (wall ms, CPU ms) of adding each record alone (one ``run`` per record) to the store."""
    wall, cpu = [], []
    for i, record in enumerate(records):
        path = folder / f"{name}-{i}.jsonl"
        write_jsonl(path, iter([record]))
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


def ingest_only(texts: list[dict[str, str]], sizes: list[int], server_url: str,
                folder: Path) -> list[dict[str, Any]]:
    """The ingest stage alone (read, copy detection, store; ``--no-analyze``) of ``size`` replicated
    articles into an empty database, per size: seconds, articles/s and the peak memory of the
    process (what holding per-article state of the input or the store would make grow)."""
    steps = []
    for size in sizes:
        url = new_database(server_url, f"ingest_{size}")
        part = folder / f"ingest-{size}.jsonl"
        n = write_jsonl(part, (replica(texts, k) for k in range(size)))
        summary, seconds, peak = ingest_child(part, url, None)
        step = {"articles": n, "stored": summary.get("stored"), "copies": summary.get("copies"),
                "seconds": round(seconds, 1), "articles_per_s": _rate(n, seconds), "peak_mb": peak,
                "load_avg": [round(x, 2) for x in os.getloadavg()]}
        print(f"ingest {size}: {json.dumps(step)}", file=sys.stderr)
        steps.append(step)
    return steps


def _ratio(x: float | None, y: float | None) -> float | None:
    return round(y / x, 2) if x and y else None


def held_out_texts(data: Path, skip: int = 0) -> Iterator[dict[str, str]]:
    """ECB+ TRAIN documents as new articles (none of them is in a store grown from PolNeAR texts),
    after the first ``skip`` (those an earlier run on the same store added)."""
    from stories import read_ecb  # bench/stories.py: ECB+ documents as text

    for k, doc in enumerate(read_ecb(data / "ecbplus" / "ECB_Train_corpus.txt")):
        if k < skip:
            continue
        yield {"text": doc.text, "title": "", "outlet": OUTLETS[k % len(OUTLETS)], "published": "2016-01-01"}


def replicated(url: str, sizes: list[int], held_out: Iterator[dict[str, str]], batch: int, probes: int,
               workers: int, folder: Path, records_up_to: int | None = None) -> list[dict[str, Any]]:
    """Grow the store at ``url`` by replication to each size; at each, the coordinator's figures for a
    batch of new articles through the cluster and the ms to add one more (see the module doc)."""
    import replicate  # bench/replicate.py

    steps = []
    seeds = replicate.prepare(url)
    with Store(url) as store:
        seed_articles = queries.count_articles(store)
    next_round = 1
    with DaskProcesses(folder, workers=workers) as procs:
        procs.wait_for_workers(workers)
        for size in sizes:
            start = time.perf_counter()
            records = records_up_to is None or size <= records_up_to
            next_round = replicate.grow(url, seeds, size, next_round, records, tag=f"g{seed_articles}")
            tables = replicate.table_rows(url)
            step: dict[str, Any] = {"store_articles": tables["articles"], "seed_articles": seed_articles,
                                    "seed_stories": len(seeds), "built_by": "replication, not analysis",
                                    "replicas_have_analysis_records": records,
                                    "build_seconds": round(time.perf_counter() - start, 1), "tables": tables}
            part = folder / f"held-{size}.jsonl"
            n = write_jsonl(part, (next(held_out) for _ in range(batch)))
            watched = {procs.scheduler_pid, *procs.worker_pids(), *postgres_pids(url)}
            for pid in watched:
                reset_peak(pid)
            summary, seconds, coordinator_mb = ingest_child(part, url, procs.address)
            step["batch"] = {"added": n, "seconds": round(seconds, 1), "articles_per_s": _rate(n, seconds),
                             "stored": summary.get("stored"), "analyzed": summary.get("analyzed"),
                             "stories_touched": summary.get("stories_touched")}
            step["peak_mb"] = {
                "coordinator": coordinator_mb, "scheduler": peak_mb(procs.scheduler_pid),
                "workers": sorted(filter(None, (peak_mb(p) for p in procs.worker_pids()))),
                "postgres_max": max(filter(None, (peak_mb(p) for p in postgres_pids(url))), default=None),
            }
            if not steps:  # load spaCy and the encoder in this process first: not part of adding one
                add_each_ms(url, [next(held_out)], folder, "warm")
            records = [next(held_out) for _ in range(probes)]
            step["add_one_ms"], step["add_one_cpu_ms"] = add_each_ms(url, records, folder, f"one-{size}")
            step["load_avg"] = [round(x, 2) for x in os.getloadavg()]
            print(f"replicated {size}: {json.dumps(step)}", file=sys.stderr)
            steps.append(step)
    return steps


def replicated_growth(steps: list[dict[str, Any]]) -> dict[str, Any]:
    """Last size's figure over the first's (1.0 is flat)."""
    if len(steps) < 2:
        return {}
    a, b = steps[0], steps[-1]
    ratio = _ratio
    return {
        "store_size": ratio(a["store_articles"], b["store_articles"]),
        "batch_articles_per_s": ratio(a["batch"]["articles_per_s"], b["batch"]["articles_per_s"]),
        "coordinator_mb": ratio(a["peak_mb"]["coordinator"], b["peak_mb"]["coordinator"]),
        "worker_mb": ratio(max(a["peak_mb"]["workers"], default=None),
                           max(b["peak_mb"]["workers"], default=None)),
        "postgres_mb": ratio(a["peak_mb"]["postgres_max"], b["peak_mb"]["postgres_max"]),
        "add_one_ms": ratio(a["add_one_ms"], b["add_one_ms"]),
        "add_one_cpu_ms": ratio(a["add_one_cpu_ms"], b["add_one_cpu_ms"]),
    }


def growth(steps: list[dict[str, Any]]) -> dict[str, Any]:
    """Last step's figure over the first's: 1.0 is flat."""
    if len(steps) < 2:
        return {}
    a, b = steps[0], steps[-1]
    ratio = _ratio
    return {
        "store_size": ratio(a["store_articles"], b["store_articles"]),
        "articles_per_s": ratio(a["articles_per_s"], b["articles_per_s"]),
        "coordinator_mb": ratio(a["peak_mb"]["coordinator"], b["peak_mb"]["coordinator"]),
        "worker_mb": ratio(max(a["peak_mb"]["workers"], default=None),
                           max(b["peak_mb"]["workers"], default=None)),
        "add_one_ms": ratio(a["add_one_ms"], b["add_one_ms"]),
        "add_one_cpu_ms": ratio(a.get("add_one_cpu_ms"), b.get("add_one_cpu_ms")),
    }



# -- 10k against 100k, the same probes in both (--paired) ---------------------------------------


def child_add(url: str, path: Path, warm: Path | None) -> dict[str, Any]:
    """In a fresh process: add ``warm`` (loads the models), then each record of ``path`` alone (one
    ``run`` each: ingest, analysis in this process, fusion of its story), timing each and every
    statement it sends to PostgreSQL (client side: the statement's round trip)."""
    from newsfuse.store.backend import PostgresBackend

    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if warm is not None:
        with Store(url) as store:
            run(store, RunContext(paths=[warm]))
    spent: dict[str, list[Any]] = {}
    for name in ("execute", "executemany", "fetchall"):
        original = getattr(PostgresBackend, name)

        def timed(self: Any, sql: str, params: Any = (), _original: Any = original) -> Any:
            start = time.perf_counter()
            try:
                return _original(self, sql, params)
            finally:
                entry = spent.setdefault(sql, [0, 0.0, params])
                entry[0] += 1
                entry[1] += time.perf_counter() - start

        setattr(PostgresBackend, name, timed)
    wall, cpu = [], []
    for i, record in enumerate(records):
        one = path.with_name(f"{path.stem}-{i}.jsonl")
        write_jsonl(one, iter([record]))
        with Store(url) as store:
            start, start_cpu = time.perf_counter(), time.process_time()
            ctx = run(store, RunContext(paths=[one]))
            wall.append(round((time.perf_counter() - start) * 1000, 1))
            cpu.append(round((time.process_time() - start_cpu) * 1000, 1))
        assert ctx.analyzed == 1, ctx.summary()
    top = sorted(spent.items(), key=lambda kv: -kv[1][1])[:TOP_STATEMENTS]
    return {"wall_ms": wall, "cpu_ms": cpu, "db_ms": round(sum(v[1] for v in spent.values()) * 1000, 1),
            "statements": [{"sql": sql, "calls": n, "ms": round(t * 1000, 1), "params": _plain(params)}
                           for sql, (n, t, params) in top]}


TOP_STATEMENTS = 12


def _plain(params: Any) -> list[Any] | None:
    """A statement's parameters as JSON can carry them (executemany: its first row); None when one
    is binary (that statement is not explained)."""
    if isinstance(params, list) and params and isinstance(params[0], (list, tuple)):
        params = params[0]
    plain = [p for p in params if isinstance(p, (str, int, float, type(None)))]
    return plain if len(plain) == len(params) else None


def run_child(url: str, path: Path, warm: Path | None) -> tuple[dict[str, Any], float]:
    """:func:`child_add` in a child process: (its figures, its peak resident MB)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child-add", url, str(path)]
    if warm is not None:
        cmd += ["--warm", str(warm)]
    child = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the add-one child for {url} failed")
    return json.loads(out.decode().strip().splitlines()[-1]), round(usage.ru_maxrss / 1024, 1)


def explain(url: str, statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of each statement with the parameters it was sent with, in a
    transaction rolled back (a write is undone): execution ms, rows read, and any sequential scan."""
    import psycopg

    from newsfuse.store.backend import PostgresBackend

    out = []
    with psycopg.connect(url) as conn:
        for st in statements:
            sql = PostgresBackend._sql(st["sql"])
            if st["params"] is None or sql.count("%s") != len(st["params"]):
                continue  # binary parameters, or not the statement as sent
            try:
                rows = conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, st["params"]).fetchall()
                plan = [r[0] for r in rows]
            except psycopg.Error as exc:
                conn.rollback()
                out.append({"sql": st["sql"][:160], "error": str(exc)[:160]})
                continue
            conn.rollback()
            ms = next((float(line.split(":")[1].split()[0]) for line in plan if "Execution Time" in line),
                      None)
            scans = sorted({line.split(" on ")[1].split()[0] for line in plan if "Seq Scan on" in line})
            out.append({"sql": " ".join(st["sql"].split())[:200], "calls": st["calls"], "total_ms": st["ms"],
                        "execution_ms": ms, "seq_scans": scans, "plan": plan[0].strip()})
    return out


def paired(urls: list[str], data: Path, probes: int, pairs: int, batch: int, folder: Path,
           skip: int = 0) -> dict[str, Any]:
    """The same held-out articles added to every store (see --paired): per store, per article ms
    (wall, CPU of the process, PostgreSQL round trips), the adding process's peak memory, a batch
    of ``batch`` through ``newsfuse ingest`` (the streaming stages in one coordinator process), and
    EXPLAIN ANALYZE of the statements that took most time."""
    held = held_out_texts(data, skip)
    figures: dict[str, dict[str, Any]] = {u: {"wall_ms": [], "cpu_ms": [], "db_ms": [], "peak_mb": []}
                                          for u in urls}
    statements: dict[str, list[dict[str, Any]]] = {}
    for j in range(pairs):
        part, warm = folder / f"pair-{j}.jsonl", folder / f"warm-{j}.jsonl"
        write_jsonl(warm, iter([next(held)]))  # each child loads its models on an article of its own
        write_jsonl(part, (next(held) for _ in range(probes)))
        # Alternate which store goes first: the load of a shared host drifts.
        for url in (urls if j % 2 == 0 else urls[::-1]):
            got, peak = run_child(url, part, warm)
            f = figures[url]
            f["wall_ms"] += got["wall_ms"]
            f["cpu_ms"] += got["cpu_ms"]
            f["db_ms"].append(got["db_ms"])
            f["peak_mb"].append(peak)
            statements.setdefault(url, got["statements"])
            shown = json.dumps({k: got[k] for k in ("wall_ms", "cpu_ms")})
            print(f"pair {j} {url.rsplit('/', 1)[-1]}: {shown} peak {peak} MB, load {os.getloadavg()[0]:.1f}",
                  file=sys.stderr)
    out: dict[str, Any] = {"probes_per_store": probes * pairs, "stores": {}}
    part = folder / "batch.jsonl"
    write_jsonl(part, (next(held) for _ in range(batch)))
    for url in urls:
        with Store(url) as store:
            size = queries.count_articles(store)
        f = figures[url]
        row = {"articles": size, "add_one_ms": statistics.median(f["wall_ms"]),
               "add_one_cpu_ms": statistics.median(f["cpu_ms"]), "add_one_each": f,
               "adding_process_peak_mb": max(f["peak_mb"])}
        if batch:
            summary, seconds, peak = ingest_child(part, url, None, analyze=True)
            row["batch"] = {"added": batch, "seconds": round(seconds, 1),
                            "articles_per_s": _rate(batch, seconds), "coordinator_peak_mb": peak,
                            "stories_touched": summary.get("stories_touched")}
        row["explain"] = explain(url, statements[url])
        row["load_avg"] = [round(x, 2) for x in os.getloadavg()]
        out["stores"][url.rsplit("/", 1)[-1]] = row
    a, b = (out["stores"][u.rsplit("/", 1)[-1]] for u in (urls[0], urls[-1]))
    out["growth"] = {"store_size": _ratio(a["articles"], b["articles"]),
                     "add_one_ms": _ratio(a["add_one_ms"], b["add_one_ms"]),
                     "add_one_cpu_ms": _ratio(a["add_one_cpu_ms"], b["add_one_cpu_ms"]),
                     "adding_process_peak_mb": _ratio(a["adding_process_peak_mb"],
                                                      b["adding_process_peak_mb"])}
    if batch:
        out["growth"]["coordinator_peak_mb"] = _ratio(a["batch"]["coordinator_peak_mb"],
                                                      b["batch"]["coordinator_peak_mb"])
    return out

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("data", type=Path, help="bench data folder (holds polnear/)")
    ap.add_argument("--speed-articles", type=int, default=160)
    ap.add_argument("--sizes", default="1000,5000", help="store sizes to grow to, comma-separated")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--probes", type=int, default=3)
    ap.add_argument("--pg", help="URL of a PostgreSQL server where this may create databases "
                    "(default: a throwaway server)")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--skip-e2e", action="store_true")
    ap.add_argument("--replicate-to", default="", help="store sizes to grow to by replication after the "
                    "end-to-end part (or from --seed-db), comma-separated; empty: skip")
    ap.add_argument("--seed-db", help="URL of a store filled for real, to grow by replication (changed!)")
    ap.add_argument("--records-up-to", type=int, help="replicated sizes above this get no analysis "
                    "records (mentions, quotes, events, times, amounts), to build faster; default: all do")
    ap.add_argument("--held-out-skip", type=int, default=0, help="held-out texts an earlier run on the "
                    "--seed-db store already added")
    ap.add_argument("--ingest-sizes", default="", help="input sizes for the ingest stage alone, each into "
                    "an empty database, comma-separated; empty: skip")
    ap.add_argument("--batch", type=int, default=20, help="new articles ingested through the cluster at "
                    "each replicated size")
    ap.add_argument("--paired", default="", help="URLs of stores (e.g. 10k and 100k, comma-separated): add "
                    "the same held-out articles to each (see paired)")
    ap.add_argument("--pairs", type=int, default=2, help="--paired: rounds of --probes articles")
    ap.add_argument("--child-add", nargs=2, metavar=("URL", "JSONL"), help=argparse.SUPPRESS)
    ap.add_argument("--warm", type=Path, help=argparse.SUPPRESS)
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--child-add":
        argv = ["-", *sys.argv[1:]]
    args = ap.parse_args(argv)
    if args.child_add:
        print(json.dumps(child_add(args.child_add[0], Path(args.child_add[1]), args.warm)))
        return 0
    if args.paired:
        with tempfile.TemporaryDirectory(prefix="newsfuse-paired-") as tmp:
            figures = paired(args.paired.split(","), args.data, args.probes, args.pairs, args.batch,
                             Path(tmp), args.held_out_skip)
        print(json.dumps({"paired": figures}))
        return 0
    texts = base_texts(args.data)
    result: dict[str, Any] = {"texts": len(texts), "workers": args.workers, "cores": os.cpu_count()}
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="newsfuse-scale-")))
        server_url = args.pg or _throwaway_pg(stack)
        if not args.skip_speed:
            mixed = speed_texts(args.data)
            records = [replica(mixed, k) for k in range(args.speed_articles)]
            result["speed"] = speed(records, args.workers, folder, server_url)
        if not args.skip_e2e:
            sizes = sorted(int(s) for s in args.sizes.split(","))
            url = new_database(server_url, "e2e")
            result["e2e"] = end_to_end(texts, sizes, args.workers, args.probes, url, folder)
            result["growth"] = growth(result["e2e"])
        if args.ingest_sizes:
            sizes = sorted(int(s) for s in args.ingest_sizes.split(","))
            result["ingest_only"] = ingest_only(texts, sizes, server_url, folder)
            first, last = result["ingest_only"][0], result["ingest_only"][-1]
            result["ingest_only_growth"] = {"input": _ratio(first["articles"], last["articles"]),
                                            "peak_mb": _ratio(first["peak_mb"], last["peak_mb"]),
                                            "articles_per_s": _ratio(first["articles_per_s"],
                                                                     last["articles_per_s"])}
        if args.replicate_to:
            seed = args.seed_db or (None if args.skip_e2e else url)
            if seed is None:
                raise SystemExit("--replicate-to grows a store filled for real: run the end-to-end part "
                                 "or pass --seed-db URL")
            sizes = sorted(int(s) for s in args.replicate_to.split(","))
            held_out = held_out_texts(args.data, args.held_out_skip)
            result["replicated"] = replicated(seed, sizes, held_out, args.batch, args.probes, args.workers,
                                              folder, args.records_up_to)
            result["replicated_growth"] = replicated_growth(result["replicated"])
    result["goals"] = {"speedup": SPEEDUP_GOAL, "coordinator_mb": COORDINATOR_GOAL_MB}
    print(json.dumps(result))
    return 0


def _throwaway_pg(stack: ExitStack) -> str:
    from pg import start_server

    server, reason = start_server()
    if server is None:
        raise SystemExit(f"no PostgreSQL: {reason}; pass --pg URL")
    stack.callback(server.stop)
    return server.url


if __name__ == "__main__":
    sys.exit(main())
