"""The watch's claim refreshes replayed on a simulated clock: CPU per article, what it goes to, and the
claims lag the refresh schedule gives when the refresh process gets a given share of a core.

    python bench/watch_refresh.py DATA_PATH [--articles 120] [--rate 2] [--share 0.55] [--batch 2]
        [--keep /tmp/analysed.db] [--profile OUT.prof] [--fixed-cost S] [--coref-context on|off]
        [--ahead all|events]

``bench/watch.py`` on a shared 2-core host says little about the refresh process: at load 10-30 it gets
a few hundredths of a core and refreshes a handful of stories. Here the pages it serves (DATA_PATH, as
``bench/watch_memory.py`` stores and analyses them; ``--keep`` reuses that store) arrive at ``--rate``
per second of a simulated clock; each ``--batch`` is placed when it arrives (the watch's analysing
thread does that, on another process: its CPU is reported apart), and the waiting stories are refreshed
one at a time in the order the watch's :class:`~newsfuse.watch.schedule.StoryQueue` takes them, each
refresh moving the clock on by its CPU seconds over ``--share`` (the part of a core the refresh
process gets: ~0.55 at 2 articles/s on the 2-core machine, where the watch and analysis take ~0.45).
The figures are CPU time, so main and a branch can be compared on a busy host, one after the other.

Reported: refreshes, CPU s per article of the refreshes and of placement, the sentence encoder's share
(texts and CPU, claims and coreference), where the claim sentence vectors came from and how many of
those encoded no offered pair read (:class:`VectorTally`), story sizes at refresh, the simulated lag
from arrival to current claims (median, p95), and digests of the stored stories, claims, entities and
timeline after the last refresh (equal digests: the same output). Human lines first; the LAST line is
one JSON object.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

from watch_memory import EncoderCount, analysed_store  # noqa: E402

from newsfuse.store import Store  # noqa: E402
from newsfuse.watch.bounds import bound_caches, one_heap  # noqa: E402
from newsfuse.watch.fuser import FusionWork  # noqa: E402
from newsfuse.watch.schedule import StoryQueue  # noqa: E402
from newsfuse.watch.warm import ready_encoder  # noqa: E402

# what the digests cover (the run's own times, claims_state and columns named *_at, are left out)
DIGESTED = ("stories", "story_articles", "story_moves", "entities", "entity_links", "claims", "events",
            "quotes", "timeline")
# the fusion modules asking for claim sentence vectors, by the file of the calling frame
_ASKERS = {"meaning.py": "meaning", "chainjoin.py": "chains", "speakers.py": "speakers",
           "eventpairs.py": "events"}


class VectorTally:
    """Which claim sentence vectors each fusion pass asks for (meaning: the meaning and mutual passes;
    chains; speakers; events) and where those not kept under their key came from: a copy of their
    text (memory or store: ``by_text``) or the encoder (``encoded``, distinct texts; what was encoded
    twice is :class:`EncoderCount`'s ``encoded_before``); and of the meaning pass's encoded sentences,
    those in no offered pair by the end of the run (read only by its neighbour search, which found
    them no partner at ``CLAIM_MATCH_MIN_COSINE``, and in no argument or place pair)."""

    def __init__(self) -> None:
        self.asked: dict[str, int] = {}
        self.by_text: dict[str, int] = {}
        self.encoded: dict[str, int] = {}
        self.encoded_keys: set[tuple[str, int, int]] = set()
        self.offered: set[tuple[str, int, int]] = set()

    def install(self) -> None:
        from newsfuse.fuse.claims import meaning, vectors

        real_of, real_by_text, real_scored = vectors.SentenceVectors.of, vectors.SentenceVectors._by_text, \
            meaning._scored
        tally = self

        def of(obj: Any, keys: Any, texts: Any) -> Any:
            who = tally.asker()
            tally.asked[who] = tally.asked.get(who, 0) + len(keys)
            return real_of(obj, keys, texts)

        def by_text(obj: Any, missing: Any, text_of: Any) -> Any:
            who, before = tally.asker(), (obj.encoded, obj.by_text)
            out = real_by_text(obj, missing, text_of)
            tally.by_text[who] = tally.by_text.get(who, 0) + obj.by_text - before[1]
            tally.encoded[who] = tally.encoded.get(who, 0) + obj.encoded - before[0]
            if who == "meaning":
                tally.encoded_keys.update(missing)
            return out

        def scored(sentences: Any, matrix: Any) -> Any:
            out = real_scored(sentences, matrix)
            tally.offered.update(sentences[i].key for _, _, i, _ in out)
            tally.offered.update(sentences[j].key for _, _, _, j in out)
            return out

        vectors.SentenceVectors.of = of  # type: ignore[method-assign]
        vectors.SentenceVectors._by_text = by_text  # type: ignore[method-assign]
        meaning._scored = scored

    @staticmethod
    def asker() -> str:
        frame = sys._getframe(2)
        while frame is not None:
            name = Path(frame.f_code.co_filename).name
            if name in _ASKERS:
                return _ASKERS[name]
            frame = frame.f_back  # type: ignore[assignment]
        return "other"

    def summary(self, articles: int) -> dict[str, Any]:
        encoded = sum(self.encoded.values())
        return {"asked": dict(self.asked), "by_text": dict(self.by_text), "encoded": dict(self.encoded),
                "encoded_per_article": round(encoded / max(1, articles), 1),
                "meaning_encoded_never_offered": len(self.encoded_keys - self.offered),
                "meaning_encoded": len(self.encoded_keys)}


class Replay:
    """Arrivals placed and stories refreshed on a simulated clock (see the module's docstring)."""

    def __init__(self, store: Store, ids: list[str], analyses: dict[str, Any], rate: float, share: float,
                 batch: int, profile: cProfile.Profile | None, fixed: float | None = None) -> None:
        self.store, self.ids, self.analyses = store, ids, analyses
        self.share, self.batch, self.profile, self.fixed = share, batch, profile, fixed
        self.work = FusionWork(store)
        self.queue = StoryQueue()
        self.arrive = {a: k / rate for k, a in enumerate(ids)}
        self.clock = 0.0
        self.next = 0  # the next arrival
        self.lag: dict[str, float] = {}
        self.sizes: list[int] = []
        self.place_cpu = self.fuse_cpu = self.ahead_cpu = 0.0
        self.ahead: str | None = None  # encode each arrival's claim sentences ahead (--ahead: all, events)
        self.new_round = False

    def run(self) -> None:
        while self.next < len(self.ids) or len(self.queue):
            self._arrivals()
            taken = self.queue.take(self.clock)
            if taken is None:
                due = [self.arrive[self.ids[self.next]]] if self.next < len(self.ids) else []
                due += [d for d in [self.queue.next_due()] if d is not None]
                self.clock = max(self.clock, min(due))
                continue
            self._refresh(*taken)
        self.work.close()

    def _arrivals(self) -> None:
        while self.next < len(self.ids) and self.arrive[self.ids[self.next]] <= self.clock:
            chunk = self.ids[self.next:self.next + self.batch]
            self.next += len(chunk)
            if self.ahead:
                self._ahead(chunk)
            for a in chunk:  # the analysis stage stores them, then they are placed
                if a in self.analyses:
                    self.store.put_analysis(self.analyses[a])
            started = time.process_time()
            placed, moved = self.work.place(chunk, self.queue.ids())
            self.place_cpu += time.process_time() - started
            self.queue.add(placed, moved, max(self.arrive[a] for a in chunk))
            self.new_round = True

    def _ahead(self, chunk: list[str]) -> None:
        """What the watch's analysis process encodes ahead and keeps (``--ahead``): the claim sentences
        of ``WATCH_AHEAD_PARTS`` (``all``, as with WATCH_ENCODE_AHEAD) or (``events``, the watch's
        default) only the event sentences' and triggers' vectors, with COREF_CONTEXT on, in one pass;
        its CPU counted apart (another process's in the watch)."""
        from newsfuse import defaults
        from newsfuse.fuse.claims import ahead
        from newsfuse.store import queries
        from newsfuse.watch import analysing

        pairs = [(a, self.analyses[a.id]) for a in queries.list_articles(self.store, chunk)
                 if a.id in self.analyses]
        started = time.process_time()
        encoded = ahead.encode_articles(pairs, defaults.WATCH_AHEAD_PARTS if self.ahead == "all"
                                        else analysing._in_context())
        with self.store.transaction():
            encoded.put(self.store)
        self.ahead_cpu += time.process_time() - started

    def _refresh(self, story_id: str, waiting: Any) -> None:
        started = time.process_time()
        if self.profile is not None:
            self.profile.enable()
        self.work.fuse(story_id, waiting.queued, self.new_round)
        if self.profile is not None:
            self.profile.disable()
        cpu = time.process_time() - started
        self.new_round = False
        self.fuse_cpu += cpu
        self.sizes.append(waiting.size)
        # a fixed cost per article makes the order of refreshes, so the output, the same at every run
        took = cpu / self.share if self.fixed is None else self.fixed * max(1, waiting.size)
        self.clock += took
        self.queue.done(story_id, took, waiting.size, self.clock)
        for a in waiting.articles:
            self.lag[a] = self.clock - self.arrive[a]


def digests(db: str) -> dict[str, str]:
    store = Store(db)
    tables = {r["name"] for r in store.fetchall("SELECT name FROM sqlite_master WHERE type='table'")}
    out = {}
    for table in DIGESTED:
        if table in tables:
            h = hashlib.sha256()
            for row in store.fetchall(f"SELECT * FROM {table} ORDER BY 1, 2"):
                h.update(repr(sorted((k, v) for k, v in row.items() if not k.endswith("_at"))).encode())
            out[table] = h.hexdigest()[:12]
    store.close()
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("data", type=Path, help="folder of news texts (*.txt), e.g. ../shared/bench/polnear")
    p.add_argument("--articles", type=int, default=120)
    p.add_argument("--rate", type=float, default=2.0, help="arrivals per simulated second")
    p.add_argument("--share", type=float, default=0.55, help="part of a core the refresh process gets")
    p.add_argument("--batch", type=int, default=2, help="articles placed together")
    p.add_argument("--keep", type=Path, default=None, help="reuse (or keep) the analysed store here")
    p.add_argument("--profile", type=Path, default=None, help="cProfile the refreshes into this file")
    p.add_argument("--fixed-cost", type=float, default=None, metavar="S",
                   help="each refresh takes S simulated seconds per article of its story instead of its CPU "
                        "over --share: the same refresh order at every run, so main's and a branch's digests "
                        "compare")
    p.add_argument("--coref-context", choices=("on", "off"), default=None,
                   help="COREF_CONTEXT (trigger-context event coreference) on or off; default: as shipped")
    p.add_argument("--ahead", choices=("all", "events"), default=None,
                   help="each arrival's claim sentences encoded ahead and kept, as the watch's analysis "
                        "process does: all (WATCH_AHEAD_PARTS, as with WATCH_ENCODE_AHEAD) or events (the "
                        "default watch: event sentences and triggers with COREF_CONTEXT on); CPU apart")
    args = p.parse_args()
    if args.coref_context is not None:
        from newsfuse import defaults

        defaults.COREF_CONTEXT = args.coref_context == "on"
    one_heap()
    bound_caches()
    ready_encoder()
    with tempfile.TemporaryDirectory() as tmp:
        db, ids, analyses = analysed_store(args.data, args.articles, 4, args.keep, Path(tmp))
        count = EncoderCount()
        count.install()
        tally = VectorTally()
        tally.install()
        profile = cProfile.Profile() if args.profile else None
        replay = Replay(Store(db), ids, analyses, args.rate, args.share, args.batch, profile, args.fixed_cost)
        replay.ahead = args.ahead
        replay.run()
        if profile is not None and args.profile:
            profile.dump_stats(str(args.profile))
        digest = digests(db)
    lags = sorted(replay.lag.values())
    encoder = count.summary()
    out = {"bench": "watch_refresh", "data": str(args.data), "articles": len(ids), "rate": args.rate,
           "share": args.share, "refreshes": len(replay.sizes),
           "refresh_cpu_s_per_article": round(replay.fuse_cpu / max(1, len(ids)), 3),
           "encoder_cpu_s_per_article": round(sum(encoder["cpu_s"].values()) / max(1, len(ids)), 3),
           "place_cpu_s_per_article": round(replay.place_cpu / max(1, len(ids)), 4),
           "ahead_cpu_s_per_article": round(replay.ahead_cpu / max(1, len(ids)), 3),
           "story_size_at_refresh_mean_max": [round(statistics.fmean(replay.sizes), 1), max(replay.sizes)]
           if replay.sizes else [0, 0],
           "claims_lag_s_p50_p95": [round(statistics.median(lags), 1),
                                    round(lags[int(0.95 * (len(lags) - 1))], 1)] if lags else [0, 0],
           "simulated_s": round(replay.clock, 1), "encoder": encoder,
           "claim_vectors": tally.summary(len(ids)), "digests": digest}
    print(f"  {out['refreshes']} refreshes, {out['refresh_cpu_s_per_article']} CPU s per article "
          f"(encoder {out['encoder_cpu_s_per_article']}), placement {out['place_cpu_s_per_article']}; "
          f"claims lag p50/p95 {out['claims_lag_s_p50_p95']} s", file=sys.stderr)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
