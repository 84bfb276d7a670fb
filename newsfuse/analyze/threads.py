"""One native thread per analysis worker.

A worker process (of the local pool or a dask worker) runs one analysis at a time, and the machine
runs one worker per core: a library that starts its own thread pool there (OpenBLAS and OpenMP under
numpy and thinc, torch's intra-op pool, both sized to every core by default) only makes the workers
fight over the cores and spin while they wait. ``one_thread()`` caps them at one in this process;
the dask nanny sets the same through ``OMP_NUM_THREADS`` and friends before a worker starts, which a
worker started with ``--no-nanny`` does not get.
"""

from __future__ import annotations

import sys


def one_thread() -> None:
    """Cap every native thread pool loaded in this process at one thread (call after loading the
    model, which loads them)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)  # not as a context manager: the cap stays for the process's life
    torch = sys.modules.get("torch")  # thinc imports it when installed; never imported for this alone
    if torch is not None:
        torch.set_num_threads(1)
