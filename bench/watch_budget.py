"""The watch's CPU budget per article: what analysis, encoding the claim sentences and fusion each cost.

    python bench/watch_budget.py DATA_PATH [--articles 120] [--batch 4] [--ahead events,runs,cues]
        [--profile 40]

At 2 articles/s on 2 cores a watch has 1 CPU second per article for everything: polling and fetching
(the watch process), spaCy analysis (the analysis process), encoding claim sentences, and fusing the
story each article joins. This measures each part on the same pages ``bench/watch.py`` serves
(DATA_PATH: news texts, ``*.txt``, first line the headline; cycled as there), in this process, one
after the other, with CPU time (``time.process_time``: what the part costs, whatever else the host
runs; wall seconds on a loaded host are not):

* analysis: CPU s per article (spaCy parse and the analysis steps, one chunk of ``--batch`` at a time);
* encoding ahead (:mod:`newsfuse.fuse.claims.ahead`, the ``--ahead`` parts, by default the watch's
  ``defaults.WATCH_AHEAD_PARTS``): CPU s per article, sentences named per article and distinct texts
  encoded; how many sentences of each part a fuse may read and how many the fuses did read;
* fusion, arrivals replayed ``--batch`` at a time as the watch places them (placement, then each
  touched story fused once): CPU s per placement and per story fuse, by story size (1, 2-5, 6-20,
  21+ articles), twice on copies of one analysed store: with the sentences encoded ahead (the fuse
  only reads vectors) and without (the fuse encodes what it needs: the peer).

The budget line says what is left of 1 CPU s per article. Human lines first; the LAST line is one
JSON object.
"""

from __future__ import annotations

import argparse
import json
import shutil
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

from newsfuse import defaults  # noqa: E402
from newsfuse.analyze import pipeline as analysis  # noqa: E402
from newsfuse.context import RunContext  # noqa: E402
from newsfuse.fuse.claims import ahead, vectors  # noqa: E402
from newsfuse.fuse.claims import cache as claimcache  # noqa: E402
from newsfuse.fuse.entities import pairmodel  # noqa: E402
from newsfuse.models import Analysis  # noqa: E402
from newsfuse.pipeline import run  # noqa: E402
from newsfuse.store import Store, queries  # noqa: E402
from newsfuse.watch.fuser import FusionWork  # noqa: E402
from newsfuse.watch.warm import ready_encoder  # noqa: E402

SIZES = ((1, 1), (2, 5), (6, 20), (21, 10**9))


def stored_pages(data: Path, n: int, folder: Path) -> tuple[Store, list[str]]:
    """The pages of ``bench/watch.py`` ingested (not analysed) into a store; article IDs in arrival order."""
    from watch import load_pages

    files = folder / "pages"
    files.mkdir()
    for i, (_, page) in enumerate(load_pages(data, n)):
        (files / f"a{i:05d}.html").write_text(page, encoding="utf-8")
    store = Store(str(folder / "budget.db"))
    ctx = run(store, RunContext(paths=[files]), ["ingest"])
    return store, list(ctx.stored)


def analyse(store: Store, ids: list[str], batch: int) -> tuple[float, list[Analysis]]:
    articles = queries.list_articles(store, ids)
    done: list[Analysis] = []
    cpu = 0.0
    for k in range(0, len(articles), batch):
        started = time.process_time()
        got = list(analysis.iter_analyses(articles[k:k + batch]))
        cpu += time.process_time() - started
        done += [a for a in got if isinstance(a, Analysis)]
    for a in done:
        store.put_analysis(a)
    return cpu, done


def encode_ahead(store: Store, done: list[Analysis], batch: int, parts: list[str]) -> dict[str, Any]:
    by_id = {a.id: a for a in queries.list_articles(store, [x.article_id for x in done])}
    cpu, sentences, distinct = 0.0, 0, 0
    _AHEAD.clear()
    for part in ahead.PARTS:  # every sentence a fuse may read, by part, whether encoded ahead or not
        _PARTS[part] = {k for x in done for k in ahead.claim_sentences(by_id[x.article_id], x, [part])}
    for k in range(0, len(done), batch):
        chunk = done[k:k + batch]
        started = time.process_time()
        enc = ahead.encode_articles([(by_id[x.article_id], x) for x in chunk], parts)
        cpu += time.process_time() - started
        enc.put(store)
        _AHEAD.update((r[0], r[1], r[2]) for r in enc.rows)
        sentences += enc.sentences
        distinct += enc.distinct
    n = max(1, len(done))
    return {"parts": parts, "cpu_s_per_article": round(cpu / n, 3),
            "sentences_per_article": round(sentences / n, 1),
            "distinct_texts_per_article": round(distinct / n, 1),
            "named_per_article_by_part": {p: round(len(keys) / n, 1) for p, keys in _PARTS.items()}}


def replay(db: str, ids: list[str], batch: int) -> dict[str, Any]:
    """Place the analysed articles ``batch`` at a time in arrival order and fuse each touched story."""
    vectors._MEMORY.clear()
    vectors._BY_TEXT.clear()
    pairmodel._VECTORS.clear()
    claimcache.CACHE.clear()
    store = Store(db)
    work = FusionWork(store)
    place_cpu, fuses = 0.0, []  # (story size, cpu s)
    encoded_before = _encoded()
    paired_before = _ENCODED[1]
    _READ.clear()
    try:
        for k in range(0, len(ids), batch):
            started = time.process_time()
            placed, _ = work.place(ids[k:k + batch], [])
            place_cpu += time.process_time() - started
            for p in placed:
                started = time.process_time()
                work.fuse(p.story_id, p.queued)
                fuses.append((p.size, time.process_time() - started))
    finally:
        work.close()
    out: dict[str, Any] = {"placements": -(-len(ids) // batch),
                           "place_cpu_s_per_article": round(place_cpu / max(1, len(ids)), 3),
                           "story_fuses": len(fuses),
                           "fuse_cpu_s_per_article": round(sum(c for _, c in fuses) / max(1, len(ids)), 3),
                           "sentences_encoded_in_fuses": _encoded() - encoded_before,
                           "texts_encoded_by_coreference_pairs": _ENCODED[1] - paired_before,
                           "sentences_read_by_fuses": len(_READ),
                           "read_of_encoded_ahead": len(_READ & _AHEAD), "encoded_ahead": len(_AHEAD),
                           "read_by_part": {p: len(_READ & keys) for p, keys in _PARTS.items()}}
    for lo, hi in SIZES:
        got = [c for size, c in fuses if lo <= size <= hi]
        name = f"{lo}" if lo == hi else (f"{lo}+" if hi > 10**8 else f"{lo}-{hi}")
        out[f"fuse_cpu_s_size_{name}"] = [len(got), round(statistics.median(got), 3) if got else None,
                                          round(max(got), 3) if got else None]
    return out


_ENCODED = [0, 0]  # sentences the fuses encoded for claim vectors; texts the coreference pairs encoded
_AHEAD: set[vectors.SentenceKey] = set()  # sentences encoded ahead
_READ: set[vectors.SentenceKey] = set()  # sentences the fuses asked vectors of
_PARTS: dict[str, set[vectors.SentenceKey]] = {}  # sentences a fuse may read, by part (ahead.PARTS)


def _encoded() -> int:
    return _ENCODED[0]


def _counting_encoder() -> None:
    """Count the sentences the fuse encodes itself (those it did not find kept), the texts the
    coreference pair models encode, and which sentences the fuses read."""
    original = vectors.claimencoder.encode

    def encode(texts: Any) -> Any:
        caller = sys._getframe(1).f_globals.get("__name__")
        if caller == vectors.__name__:
            _ENCODED[0] += len(texts)
        elif caller == pairmodel.__name__:
            _ENCODED[1] += len(texts)
        return original(texts)

    vectors.claimencoder.encode = encode  # type: ignore[assignment]
    read = vectors.SentenceVectors.of

    def of(self: vectors.SentenceVectors, keys: Any, texts: Any) -> Any:
        _READ.update(keys)
        return read(self, keys, texts)

    vectors.SentenceVectors.of = of  # type: ignore[method-assign]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("data", type=Path, help="folder of news texts (*.txt), e.g. ../shared/bench/polnear")
    p.add_argument("--articles", type=int, default=120)
    p.add_argument("--batch", type=int, default=4, help="articles analysed, encoded and placed at a time")
    p.add_argument("--ahead", default=",".join(defaults.WATCH_AHEAD_PARTS),
                   help="parts of the claim sentences encoded ahead (fuse/claims/ahead.py: events, runs, "
                        "cues); the fuse encodes what else it reads")
    p.add_argument("--profile", type=int, default=0, metavar="N",
                   help="profile the fusion replay with vectors ahead (cProfile) and print its top N "
                        "functions by cumulative time: the next hot spot")
    args = p.parse_args()
    ready_encoder()
    _counting_encoder()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store, ids = stored_pages(args.data, args.articles, folder)
        analysis_cpu, done = analyse(store, ids, args.batch)
        store.close()
        plain = str(folder / "plain.db")
        shutil.copy(folder / "budget.db", plain)
        store = Store(str(folder / "budget.db"))
        parts = [x for x in args.ahead.split(",") if x]
        if not set(parts) <= set(ahead.PARTS):
            p.error(f"--ahead takes parts of {','.join(ahead.PARTS)}")
        encoding = encode_ahead(store, done, args.batch, parts)
        store.close()
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            with_ahead = profiler.runcall(replay, str(folder / "budget.db"), ids, args.batch)
            pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(args.profile)
        else:
            with_ahead = replay(str(folder / "budget.db"), ids, args.batch)
        without = replay(plain, ids, args.batch)
    n = max(1, len(done))
    figures = {"articles": len(ids), "analysed": len(done), "batch": args.batch,
               "analysis_cpu_s_per_article": round(analysis_cpu / n, 3), "encode_ahead": encoding,
               "fusion_with_vectors_ahead": with_ahead, "fusion_encoding_in_fuse_peer": without}
    left = 1.0 - figures["analysis_cpu_s_per_article"] - encoding["cpu_s_per_article"] \
        - with_ahead["fuse_cpu_s_per_article"] - with_ahead["place_cpu_s_per_article"]
    figures["cpu_s_per_article_left_of_1_for_poll_fetch_store"] = round(left, 3)
    # what every part costs together, with these parts encoded ahead and with none (the fuse encodes all)
    figures["cpu_s_per_article_total"] = round(1.0 - left, 3)
    figures["cpu_s_per_article_total_nothing_ahead"] = round(
        figures["analysis_cpu_s_per_article"] + without["fuse_cpu_s_per_article"]
        + without["place_cpu_s_per_article"], 3)
    print(f"analysis {figures['analysis_cpu_s_per_article']} CPU s/article; encoding ahead "
          f"{encoding['cpu_s_per_article']} ({encoding['sentences_per_article']} sentences/article); fusion "
          f"{with_ahead['fuse_cpu_s_per_article']} with vectors ahead, "
          f"{without['fuse_cpu_s_per_article']} encoding in the fuse; left of 1 CPU s: {round(left, 3)}; "
          f"total {figures['cpu_s_per_article_total']} ({','.join(parts) or 'nothing'} ahead), "
          f"{figures['cpu_s_per_article_total_nothing_ahead']} with nothing ahead")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
