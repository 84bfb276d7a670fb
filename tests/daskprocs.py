"""A real dask cluster for tests and benchmarks: `dask scheduler` and `dask worker` processes on
127.0.0.1, started as the README tells an operator to, and always torn down by their own pids."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path
from types import TracebackType

from pg import free_port  # tests/ is on sys.path (rootdir conftest; bench scripts add it)

ROOT = Path(__file__).resolve().parent.parent
START_S = 120  # a worker imports newsfuse and loads spaCy: slow on a busy 2-core machine


class DaskProcesses:
    """One scheduler and ``workers`` one-thread workers; ``address`` is the scheduler's."""

    def __init__(self, logs: Path, workers: int) -> None:
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.procs: list[subprocess.Popen[bytes]] = []
        self.logs = logs
        self._start("scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--no-dashboard")
        for _ in range(workers):
            self.add_worker()

    def add_worker(self) -> None:
        # --no-nanny: the process we start is the worker, so killing it kills the worker
        self._start("worker", self.address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                    "--name", f"w{len(self.procs)}")

    def _start(self, *args: str) -> None:
        log = open(self.logs / f"dask-{len(self.procs)}.log", "wb")  # noqa: SIM115 - closed by the OS
        cmd = [sys.executable, "-m", "dask", *args]
        # what a nanny sets for the workers it spawns (distributed.nanny.pre-spawn-environ): glibc
        # hands freed memory back to the system, native thread pools of one thread per worker
        env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536", "OMP_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
        self.procs.append(subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env))

    def wait_for_workers(self, n: int) -> None:
        import distributed

        with distributed.Client(self.address, timeout=f"{START_S}s") as client:
            client.wait_for_workers(n, timeout=START_S)

    @property
    def scheduler_pid(self) -> int:
        return self.procs[0].pid

    def worker_pids(self) -> set[int]:
        return {p.pid for p in self.procs[1:] if p.poll() is None}

    def stop(self) -> None:
        """Ask the scheduler to shut the cluster down, then end what is left of our processes."""
        import distributed

        with contextlib.suppress(Exception), distributed.Client(self.address, timeout="5s") as client:
            client.shutdown()
        for p in self.procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(timeout=10)

    def __enter__(self) -> DaskProcesses:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
