"""Hostile input end to end: the corpus tests/hostile.py builds (bad names, huge numbers, long CSV
fields, NULs, empty and broken WARCs, FIFOs, devices, gzip bombs, 50,000-attribute pages, 16 KB of
quote marks, a 150 KB line) around real articles, ingested and analysed by `newsfuse ingest`.

    python bench/faults.py ../shared/bench [--texts 4]

Figures: tracebacks (must be 0), silent inputs (files that gave neither an article nor a rejection
line: must be 0), good articles stored (must be all), peak memory of the CLI run, and the slowest
input's time (each input run on its own through the library, analysis and fusion included). Peer in
the same run: the same real articles as plain text files, the slowest of those and the memory of
their run. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile import Expect, build  # noqa: E402

from newsfuse.analyze import nlp  # noqa: E402
from newsfuse.context import RunContext  # noqa: E402
from newsfuse.errors import printable  # noqa: E402
from newsfuse.pipeline import run  # noqa: E402
from newsfuse.store import Store  # noqa: E402


def real_texts(data: Path, n: int) -> list[str]:
    """``n`` real article texts (over 200 characters) from the first JSONL file under ``data``."""
    preferred = data / "facts" / "articles_dev.jsonl"
    files = [preferred] if preferred.exists() else sorted(data.rglob("*.jsonl"))
    texts: list[str] = []
    for file in files:
        for line in file.read_text(encoding="utf-8").splitlines():
            text = json.loads(line).get("text") or ""
            if len(text) > 200 and text not in texts:
                texts.append(text)
            if len(texts) == n:
                return texts
    raise SystemExit(f"{data}: fewer than {n} JSONL articles with text; pass the shared bench folder")


def cli_run(folder: Path, db: Path) -> dict[str, Any]:
    """`newsfuse ingest folder` in a child process: exit code, stderr lines, seconds, peak memory."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "newsfuse.cli", "ingest", str(folder), "--db", str(db),
                           "-q", "--json"], cwd=ROOT, capture_output=True, timeout=7200)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far
    err = proc.stderr.decode("utf-8", errors="replace")
    return {"exit": proc.returncode, "lines": err.splitlines(), "seconds": seconds, "peak_mb": peak_mb,
            "tracebacks": err.count("Traceback")}


def silent_inputs(folder: Path, expected: dict[str, Expect], lines: list[str], db: Path) -> list[str]:
    """Files of the corpus that gave no article and no rejection line."""
    with Store(str(db)) as store:
        sources = [r["source"] or "" for r in store.fetchall("SELECT source FROM articles")]
    silent = []
    for name in expected:
        where = printable(str(folder / name))
        named = any(line.startswith(f"rejected {where}") for line in lines)
        if not named and not any(s.startswith(where) for s in sources):
            silent.append(name)
    return silent


def good_stored(expected: dict[str, Expect], db: Path) -> tuple[int, int]:
    wanted = {" ".join(t.split()) for e in expected.values() for t in e.articles}
    with Store(str(db)) as store:
        have = {" ".join(r["text"].split()) for r in store.fetchall("SELECT text FROM articles")}
    return len(wanted & have), len(wanted)


def per_input(folder: Path, names: list[str], db: Path) -> list[tuple[float, str, str]]:
    """(seconds, name, what escaped) of each input run alone through the whole pipeline; a
    traceback is an exception escaping the run."""
    out = []
    with Store(str(db)) as store:
        for name in names:
            start = time.perf_counter()
            escaped = ""
            try:
                run(store, RunContext(paths=[folder / name]))
            except Exception as exc:  # the CLI would show a traceback
                escaped = f"{type(exc).__name__}: {exc}"
            out.append((time.perf_counter() - start, name, escaped))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path, help="the shared bench folder (real articles are read from it)")
    ap.add_argument("--texts", type=int, default=4, help="real articles mixed in (at least 4)")
    args = ap.parse_args()
    texts = real_texts(args.data, max(4, args.texts))
    with tempfile.TemporaryDirectory(prefix="newsfuse-faults-") as tmp:
        root = Path(tmp)
        hostile, peer = root / "hostile", root / "peer"
        expected = build(hostile, texts)
        peer.mkdir()
        for i, text in enumerate(texts):
            (peer / f"good-{i}.txt").write_text(text, encoding="utf-8")
        peer_cli = cli_run(peer, root / "peer.db")
        cli = cli_run(hostile, root / "hostile.db")
        silent = silent_inputs(hostile, expected, cli["lines"], root / "hostile.db")
        stored, wanted = good_stored(expected, root / "hostile.db")
        # each input alone, in a fresh store per corpus (the library, in this process)
        names = sorted(expected)
        nlp.load()  # loaded once before timing: no input pays for it
        timed = per_input(hostile, names, root / "alone.db")
        peer_timed = per_input(peer, sorted(os.listdir(peer)), root / "peer-alone.db")
    slowest = max(timed)
    peer_slowest = max(peer_timed)
    escaped = [f"{name}: {what}" for _, name, what in timed if what]
    for seconds, name, what in sorted(timed, reverse=True)[:5]:
        print(f"{seconds:8.2f} s  {printable(name)}{'  ESCAPED ' + what if what else ''}")
    for name in silent:
        print(f"silent: {printable(name)}")
    result = {
        "inputs": len(expected), "tracebacks": cli["tracebacks"] + len(escaped), "silent_inputs": len(silent),
        "good_articles_stored": stored, "good_articles": wanted,
        "rejection_lines": sum(1 for line in cli["lines"] if line.startswith("rejected ")),
        "cli_exit": cli["exit"], "cli_seconds": round(cli["seconds"], 1), "peak_mb": round(cli["peak_mb"]),
        "slowest_input": printable(slowest[1]), "slowest_input_s": round(slowest[0], 2),
        "peer_slowest_input_s": round(peer_slowest[0], 2), "peer_cli_seconds": round(peer_cli["seconds"], 1),
        "self_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
