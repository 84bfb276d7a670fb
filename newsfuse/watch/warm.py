"""Ready the watch process before the first batch arrives, so no article pays for a model loading.

Two things cost a live watch seconds per article or per start, measured with ``bench/watch.py``
and a per-phase profile on the 2-core machine:

* The sentence encoder (MiniLM, used by fusion to match claims by meaning) loads on first use:
  ~25 s on a loaded host, inside the first story's fuse transaction, which held the store's write
  lock that long; the loop's next write waited ``SQLITE_BUSY_TIMEOUT_S`` and the watch stopped
  "busy". It is loaded here, before the loop starts.
* torch runs each encoder call on as many threads as there are cores. In a watch those cores are
  busy already (fetch threads, the analysis process), and torch's threads wait on one another:
  encoding 200 sentences took 19-24 s with 2 threads against 7.5 s with 1 at load 11-13. The watch
  gives torch ``defaults.WATCH_ENCODER_THREADS``; the analysis process has the other core.
"""

from __future__ import annotations

import time

from newsfuse import defaults


def ready_encoder(threads: int = defaults.WATCH_ENCODER_THREADS) -> float | None:
    """Give torch ``threads`` threads and load the sentence encoder now (when fusion matches claims
    by meaning); returns the seconds it took, or None when fusion does not use it."""
    if not defaults.CLAIM_MATCH_BY_MEANING:
        return None
    started = time.perf_counter()
    import torch

    from newsfuse.fuse.claims import encoder

    if threads > 0:
        torch.set_num_threads(threads)
    encoder.encode(["The watch loads the encoder before the first article arrives."])
    return round(time.perf_counter() - started, 2)
