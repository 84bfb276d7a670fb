"""CPU of one conditional poll answered 304 on a kept-alive connection, per HTTP client.

    python bench/watch_polls.py [--polls 3000] [--rounds 3]

The watch polls hundreds of unchanged feeds every second; each poll is a GET with ``If-None-Match``
that the server answers 304. This measures the client side only (the server is a child process on
127.0.0.1: tests/livesite.py) as CPU seconds of this process per poll, for each client on one kept
connection:

- ``fetcher``: ``newsfuse``'s :class:`~newsfuse.ingest.fetch.Fetcher` as the watch calls it
  (robots check, host turn, redirects by hand, capped body) on its default wire
  (``defaults.FETCH_WIRE``), and ``fetcher-httpx``: the same with every request through httpx;
- ``httpx``: ``httpx.Client.stream`` alone (the library the fetcher used for every request);
- ``urllib3``: ``urllib3.HTTPConnectionPool.urlopen(preload_content=False)``, the body read capped;
- ``http.client``: the standard library's ``HTTPConnection`` kept open.

Rounds alternate the clients (one after another, ``--rounds`` times) so a change of host load falls
on all alike; the figure of each is its median round. The LAST line is one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the local test site (tests/livesite.py)

FEED = b"<rss version='2.0'><channel><title>f</title></channel></rss>"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"


def serve(port_out: Any) -> None:
    from livesite import Site

    site = Site()
    site.route("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    site.route("/feed.xml", FEED, content_type="application/rss+xml")
    port_out.put(site.base)
    site.thread.run()


def etag_of(base: str) -> str:
    conn = http.client.HTTPConnection(base.split("//")[1])
    try:
        conn.request("GET", "/feed.xml")
        resp = conn.getresponse()
        resp.read()
        return str(resp.getheader("ETag"))
    finally:
        conn.close()


def client_fetcher(base: str, etag: str) -> tuple[Callable[[], int], Callable[[], None]]:
    from newsfuse.ingest.fetch import Fetcher

    fetcher = Fetcher(host_delay=0.0)
    url = base + "/feed.xml"
    return (lambda: fetcher.get(url, etag=etag, accept=ACCEPT).status), fetcher.close


def client_fetcher_httpx(base: str, etag: str) -> tuple[Callable[[], int], Callable[[], None]]:
    """The fetcher with every request through httpx (``defaults.FETCH_WIRE = "httpx"``: as before)."""
    from newsfuse import defaults

    wire, defaults.FETCH_WIRE = defaults.FETCH_WIRE, "httpx"
    try:
        return client_fetcher(base, etag)
    finally:
        defaults.FETCH_WIRE = wire


def client_httpx(base: str, etag: str) -> tuple[Callable[[], int], Callable[[], None]]:
    import httpx

    client = httpx.Client(headers={"User-Agent": "bench", "Accept-Encoding": "gzip, deflate"},
                          timeout=httpx.Timeout(10.0, connect=5.0), follow_redirects=False)
    url = base + "/feed.xml"

    def once() -> int:
        with client.stream("GET", url, headers={"If-None-Match": etag, "Accept": ACCEPT}) as resp:
            resp.read()
            return resp.status_code
    return once, client.close


def client_urllib3(base: str, etag: str) -> tuple[Callable[[], int], Callable[[], None]]:
    import urllib3

    host, port = base.split("//")[1].split(":")
    pool = urllib3.HTTPConnectionPool(host, int(port), maxsize=1, retries=False,
                                      timeout=urllib3.Timeout(connect=5.0, read=10.0),
                                      headers={"User-Agent": "bench", "Accept-Encoding": "gzip, deflate"})

    def once() -> int:
        resp = pool.urlopen("GET", "/feed.xml", headers={"If-None-Match": etag, "Accept": ACCEPT,
                                                         "User-Agent": "bench"},
                            redirect=False, preload_content=False, decode_content=True)
        try:
            resp.read(1 << 20)
            return int(resp.status)
        finally:
            resp.release_conn()
    return once, pool.close


def client_http_client(base: str, etag: str) -> tuple[Callable[[], int], Callable[[], None]]:
    conn = http.client.HTTPConnection(base.split("//")[1], timeout=10.0)

    def once() -> int:
        conn.request("GET", "/feed.xml", headers={"If-None-Match": etag, "Accept": ACCEPT,
                                                  "User-Agent": "bench", "Accept-Encoding": "gzip, deflate"})
        resp = conn.getresponse()
        resp.read()
        return resp.status
    return once, conn.close


CLIENTS = {"fetcher": client_fetcher, "fetcher-httpx": client_fetcher_httpx, "httpx": client_httpx,
           "urllib3": client_urllib3, "http.client": client_http_client}


def measure(make: Any, base: str, etag: str, polls: int) -> tuple[float, float]:
    """(CPU ms, wall ms) per poll of this process, after 50 polls of warm-up."""
    once, close = make(base, etag)
    try:
        for _ in range(50):
            assert once() == 304
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(polls):
            once()
        return ((time.process_time() - cpu) * 1000 / polls, (time.perf_counter() - wall) * 1000 / polls)
    finally:
        close()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--polls", type=int, default=3000)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--clients", default=",".join(CLIENTS), help="comma-separated, of: " + ", ".join(CLIENTS))
    args = p.parse_args()
    ctx = multiprocessing.get_context("spawn")
    port_out = ctx.Queue()
    child = ctx.Process(target=serve, args=(port_out,), daemon=True)
    child.start()
    try:
        base = port_out.get(timeout=60)
        etag = etag_of(base)
        names = [c for c in args.clients.split(",") if c]
        got: dict[str, list[tuple[float, float]]] = {c: [] for c in names}
        for r in range(args.rounds):
            for name in names:
                got[name].append(measure(CLIENTS[name], base, etag, args.polls))
                print(f"round {r + 1} {name}: {got[name][-1][0]:.3f} ms CPU, {got[name][-1][1]:.3f} ms wall "
                      "per poll", file=sys.stderr)
    finally:
        child.terminate()
        child.join(timeout=10)
    cpu = {c: round(statistics.median(x[0] for x in v), 3) for c, v in got.items()}
    wall = {c: round(statistics.median(x[1] for x in v), 3) for c, v in got.items()}
    print(json.dumps({"bench": "watch_polls", "polls_per_round": args.polls, "rounds": args.rounds,
                      "cpu_ms_per_poll": cpu, "wall_ms_per_poll": wall,
                      "load_average_1min": round(os.getloadavg()[0], 2)}))


if __name__ == "__main__":
    main()
