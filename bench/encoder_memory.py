"""Memory of a process that keeps encoding sentences (as a watch's fusion process does), with and
without giving freed memory back after each call (``newsfuse.watch.bounds.give_back``).

    python bench/encoder_memory.py DATA_PATH [--calls 20] [--seed 1]

Each call encodes a batch of texts of random count (1-60) and length (3-80 words) drawn from the
words of the ``*.txt`` files under DATA_PATH (e.g. ``../shared/seeds``), so batches take ever new
shapes as they do in fusion. Both modes run in fresh processes of their own, one after the other
(same texts, same seed): resident memory (MB) at start and every 10 calls. Flat with
``give_back`` and rising without it says the growth is freed memory the allocator keeps, not a leak
of objects. Human lines first; the LAST line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(data: Path, calls: int, seed: int, trim: bool) -> list[float]:
    """The measured process: RSS after the encoder is loaded and every 10 calls."""
    from newsfuse.fuse.claims import encoder
    from newsfuse.watch.bounds import give_back
    from newsfuse.watch.warm import ready_encoder

    ready_encoder()  # one torch thread, as in a watch
    words = [w for p in sorted(data.rglob("*.txt")) for w in p.read_text(encoding="utf-8").split()]
    rng = random.Random(seed)
    seen = [round(rss_mb())]
    for k in range(1, calls + 1):
        texts = [" ".join(rng.choices(words, k=rng.randint(3, 80))) for _ in range(rng.randint(1, 60))]
        encoder.encode(texts)
        if trim:
            give_back()
        if k % 10 == 0:
            seen.append(round(rss_mb()))
    return seen


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("data", type=Path, help="folder of texts (*.txt), e.g. ../shared/seeds")
    p.add_argument("--calls", type=int, default=20)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--child", choices=("trim", "keep"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(child(args.data, args.calls, args.seed, args.child == "trim")))
        return
    out: dict[str, list[float]] = {}
    for mode in ("keep", "trim"):
        run = subprocess.run([sys.executable, __file__, str(args.data), "--calls", str(args.calls),
                              "--seed", str(args.seed), "--child", mode],
                             capture_output=True, text=True, check=True)
        out[mode] = json.loads(run.stdout.strip().splitlines()[-1])
        print(f"{mode}: RSS MB at start and every 10 calls {out[mode]}", file=sys.stderr)
    print(json.dumps({"bench": "encoder_memory", "data": str(args.data), "calls": args.calls,
                      "seed": args.seed, "load_average_1min": round(os.getloadavg()[0], 2),
                      "rss_mb_without_give_back": out["keep"], "rss_mb_with_give_back": out["trim"],
                      "grown_mb_without": out["keep"][-1] - out["keep"][0],
                      "grown_mb_with": out["trim"][-1] - out["trim"][0]}))


if __name__ == "__main__":
    main()
