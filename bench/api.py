"""HTTP speed of the story page and the story API with many stored articles.

    python bench/api.py DATA_PATH [--articles 10000] [--requests 300]

Fills a fresh SQLite store with ``--articles`` articles (texts from the ``*.txt`` files under
DATA_PATH, e.g. ../shared/bench/polnear, cycled; synthetic sentences if there are none), grouped ten
to a story with claims, quotes, mentions and a timeline, all inserted through the Store. Then serves
it with ``newsfuse serve`` in a subprocess and measures, from this process over loopback with one
keep-alive httpx client, requests per second and latency percentiles of:

* baseline peers measured in the same run: a static file and the minimal ``/api/health`` endpoint;
* the story API ``/api/stories/{id}`` and the story page ``/stories/{id}`` (random stories);
* the story list ``/api/stories``.

Target: p95 under 50 ms for a story. Human lines first; the LAST line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsfuse.ids import content_id  # noqa: E402
from newsfuse.models import (  # noqa: E402
    Analysis,
    Article,
    Claim,
    ClaimSource,
    Entity,
    EntityLink,
    Mention,
    Quote,
    Span,
    Story,
    TimelineEntry,
)
from newsfuse.store import Store  # noqa: E402

TARGET_P95_MS = 50.0
PER_STORY = 10
SYNTHETIC = ("The council met on Monday to discuss the flood barrier. Officials said the repairs would "
             "take several weeks. \"We are doing everything we can,\" said the mayor, Dana Holt. "
             "About 2,000 residents were affected, according to the regional office.")


def load_texts(data: Path, limit: int) -> list[str]:
    texts = []
    for p in sorted(data.rglob("*.txt")):
        if p.name.upper().startswith(("README", "LICENSE")):
            continue
        text = p.read_text(encoding="utf-8", errors="replace").strip()
        if len(text) > 300:
            texts.append(text[:6000])
        if len(texts) >= limit:
            break
    return texts or [SYNTHETIC]


def build_store(path: str, n_articles: int, texts: list[str], seed: int = 7) -> list[str]:
    """Insert synthetic-but-realistic records; returns the story IDs."""
    rng = random.Random(seed)
    outlets = [f"Outlet {i:02d}" for i in range(40)]
    story_ids = []
    with Store(path) as store, store.transaction():
        for s in range(0, n_articles, PER_STORY):
            sid = f"s_{s // PER_STORY:016x}"
            story_ids.append(sid)
            day = f"2025-{1 + (s // PER_STORY) % 12:02d}-{1 + (s % 27):02d}"
            articles = []
            for k in range(min(PER_STORY, n_articles - s)):
                text = f"{texts[(s + k) % len(texts)]}\n\n(item {s + k})"
                outlet = rng.choice(outlets)
                a = Article(id=content_id(outlet, text, prefix="a_"), text=text, outlet=outlet,
                            title=f"Report {s + k} on story {s // PER_STORY}", published=day,
                            url=f"https://example.org/{s + k}")
                store.add_article(a)
                store.assign(a.id, sid, 1.0)
                store.put_analysis(_analysis(a))
                articles.append(a)
            store.put_story(Story(id=sid, title=articles[0].title or sid, first_seen=day, last_update=day))
            store.put_claims(sid, _claims(sid, articles))
            store.put_timeline(sid, [TimelineEntry(sid, day, day, "day", f"event {i}") for i in range(3)])
            ent = Entity(id=f"e_{sid}", name=f"Person {sid[-4:]}", label="PERSON",
                         article_ids=tuple(a.id for a in articles), mention_count=len(articles))
            store.put_entities([ent], [EntityLink(a.id, "speaker", ent.id, "name") for a in articles])
    return story_ids


def _analysis(a: Article) -> Analysis:
    words = a.text.split()
    first = a.text.find(words[0]) if words else 0
    end = first + len(words[0]) if words else 0
    m = Mention(id=content_id(a.id, "m", prefix="m_"), article_id=a.id, start=first, end=end,
                text=a.text[first:end], label="PERSON", kind="name", entity_key="speaker")
    qe = min(len(a.text), 120)
    q = Quote(id=content_id(a.id, "q", prefix="q_"), article_id=a.id, kind="direct", content=a.text[:qe],
              content_start=0, content_end=qe, speaker="the speaker", speaker_key="speaker", cue="said")
    return Analysis(article_id=a.id, mentions=(m,), quotes=(q,), version="bench")


def _claims(sid: str, articles: list[Article]) -> list[Claim]:
    claims = []
    for i in range(5):
        srcs = tuple(ClaimSource(a.id, a.outlet, evidence=(Span(a.id, 0, 40, a.text[:40]),))
                     for a in articles[: 1 + i % 4])
        status = "corroborated" if len(srcs) > 1 else "single-source"
        claims.append(Claim(id=f"c_{sid}_{i}", story_id=sid, kind="event", text=f"claim {i} of {sid}",
                            status=status, independent_sources=len(srcs), sources=srcs))
    return claims


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: str, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-m", "newsfuse.cli", "serve", "--db", db, "--port", str(port)],
                            cwd=ROOT, stderr=subprocess.PIPE, env={**os.environ, "NEWSFUSE_TOKEN": ""})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise SystemExit(f"server died: {err}") from None
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("server did not start within 60 s")


def measure(client: httpx.Client, paths: list[str], n: int) -> dict[str, float]:
    for p in paths[:5]:  # warm caches and connections
        client.get(p)
    times = []
    t0 = time.perf_counter()
    for i in range(n):
        start = time.perf_counter()
        r = client.get(paths[i % len(paths)])
        times.append((time.perf_counter() - start) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{paths[i % len(paths)]}: HTTP {r.status_code} {r.text[:200]}")
    total = time.perf_counter() - t0
    times.sort()
    return {"rps": round(n / total, 1), "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2), "max_ms": round(times[-1], 2)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path, help="folder with *.txt article texts (e.g. ../shared/bench/polnear)")
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--requests", type=int, default=300, help="requests per measured endpoint")
    args = ap.parse_args()
    if not args.data.exists():
        raise SystemExit(f"{args.data}: no such folder")
    texts = load_texts(args.data, limit=2000)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        story_ids = build_store(db, args.articles, texts)
        build_s = time.perf_counter() - t0
        print(f"stored {args.articles} articles in {len(story_ids)} stories ({len(texts)} distinct texts) "
              f"in {build_s:.1f} s")
        port = free_port()
        proc = start_server(db, port)
        try:
            rng = random.Random(1)
            picks = [rng.choice(story_ids) for _ in range(args.requests)]
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
                results = {
                    "static_file": measure(client, ["/static/style.css"], args.requests),
                    "minimal_api": measure(client, ["/api/health"], args.requests),
                    "story_api": measure(client, [f"/api/stories/{s}" for s in picks], args.requests),
                    "story_page": measure(client, [f"/stories/{s}" for s in picks], args.requests),
                    "story_list_api": measure(client, ["/api/stories?limit=50"], max(50, args.requests // 3)),
                }
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    for name, r in results.items():
        print(f"{name:15} {r['rps']:8.1f} req/s   p50 {r['p50_ms']:7.2f} ms   p95 {r['p95_ms']:7.2f} ms")
    base = results["minimal_api"]["p95_ms"] or 1e-9
    ratios = {f"{k}_p95_vs_minimal": round(results[k]["p95_ms"] / base, 2)
              for k in ("story_api", "story_page")}
    worst = max(results["story_api"]["p95_ms"], results["story_page"]["p95_ms"])
    ok = worst < TARGET_P95_MS
    print(f"story p95 {worst:.1f} ms vs target {TARGET_P95_MS:.0f} ms: {'OK' if ok else 'MISSED'}; "
          f"story API p95 is {ratios['story_api_p95_vs_minimal']}x the minimal endpoint's")
    summary: dict[str, Any] = {"bench": "api", "articles": args.articles, "stories": len(story_ids),
                               "requests": args.requests, "build_s": round(build_s, 1), **results, **ratios,
                               "target_p95_ms": TARGET_P95_MS, "story_p95_ok": ok}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
