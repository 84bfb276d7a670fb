"""Ingest benchmark: speed per input format, and syndicated-copy detection quality.

    python bench/ingest.py ../shared/bench [--n 2000] [--copies 600] [--seed 7]

DATA_PATH holds PolNeAR (``polnear/*/text/*.txt`` + ``metadata.tsv``), GVC (``gvc/*/dataset.conll``)
and ECB+ (``ecbplus/ECB_*_corpus.txt``); any subset works. Real articles are written to a temp dir as
text files, HTML pages and one JSONL file, and ingested into a fresh SQLite store each, on one core.

Copy detection is measured on copies MADE from real articles (verbatim, word substitutions, trimmed
paragraphs, changed headline and first sentence, added sentences, and a mix), shuffled in with the
originals and with hard negatives: different real articles on the SAME story (a GVC incident, an
ECB+ subtopic). Scores are pairwise precision/recall/F1 over "is a copy of" groups. The peer,
measured in the same run, is a naive exact-hash dedup (normalised text); for HTML speed the peer is
bare ``trafilatura.extract`` without cleaning, dedup or storage.

The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsfuse import defaults
from newsfuse.ingest.dedup import shingle_hashes, words
from newsfuse.ingest.pipeline import ingest_stage
from newsfuse.pipeline import RunContext
from newsfuse.store import Store, queries

COPY_KINDS = ("verbatim", "substitute", "trim", "headline", "add", "mixed")
MIN_BASE_WORDS = 120  # copies are made from articles at least this long (wire stories are)


@dataclass(frozen=True)
class Doc:
    key: str
    title: str
    text: str
    story: str  # gold story (incident / subtopic); '' when unknown
    outlet: str
    published: str | None = None


# -- loading -----------------------------------------------------------------------------------


def load_polnear(root: Path) -> list[Doc]:
    meta: dict[str, tuple[str, str, str]] = {}
    tsv = root / "metadata.tsv"
    if tsv.is_file():
        lines = tsv.read_text("utf-8").splitlines()
        head = lines[0].split("\t")
        for line in lines[1:]:
            row = dict(zip(head, line.split("\t"), strict=False))
            meta[row.get("filename", "")] = (
                row.get("publisher", ""),
                row.get("publication_date", ""),
                row.get("title", ""),
            )
    docs = []
    for path in sorted(root.glob("*/text/*.txt")):
        publisher, date, title = meta.get(path.stem, ("", "", ""))
        text = path.read_text("utf-8", errors="replace").strip()
        if text:
            docs.append(Doc(f"polnear/{path.stem}", title, text, "", publisher or "polnear", date or None))
    return docs


def detokenize(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r" ([.,;:!?%)\]}]|'s|n't|'re|'ll|'ve|'d|'m)", r"\1", text)
    text = re.sub(r"([(\[{$]) ", r"\1", text).replace("`` ", '"').replace(" ''", '"')
    return re.sub(r"\s*//n\s*", "\n\n", text)  # GVC's line-break token


def _paragraphs(sentences: list[str]) -> str:
    return "\n\n".join(" ".join(sentences[i : i + 2]) for i in range(0, len(sentences), 2))


def load_conll(path: Path, story_of: object, skip_first: int) -> list[Doc]:
    """Docs re-joined from a token-per-line corpus (doc, sentence, token, word columns)."""
    sents: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for line in path.read_text("utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 4 and not line.startswith("#"):
            sents[cols[0]][int(cols[1])].append(cols[3])
    docs = []
    for key, by_sent in sents.items():
        ordered = [detokenize(by_sent[i]) for i in sorted(by_sent)]
        title = ordered[skip_first] if len(ordered) > skip_first else ""
        body = ordered[skip_first + 1 :] if skip_first else ordered
        date = ordered[0] if skip_first and re.match(r"\d{4}-\d\d-\d\d$", ordered[0]) else None
        if body:
            docs.append(Doc(key, title, _paragraphs(body), story_of(key), f"site-{_h(key)}", date))  # type: ignore[operator]
    return docs


def load_all(data: Path) -> list[Doc]:
    docs = load_polnear(data / "polnear") if (data / "polnear").is_dir() else []
    for conll in sorted(data.glob("gvc/*/dataset.conll")):
        docs += load_conll(conll, lambda k: "gvc/" + k.split("/")[1], skip_first=1)
    for corpus in sorted(data.glob("ecbplus/ECB_*_corpus.txt")):
        docs += load_conll(corpus, lambda k: "ecb/" + re.sub(r"_\d+(ecb(plus)?)$", r"_\1", k), skip_first=0)
    return docs


def _h(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=4).hexdigest()


# -- made copies -------------------------------------------------------------------------------

_SENT = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z“\"])")


def make_copy(doc: Doc, kind: str, donor: Doc, rng: random.Random) -> str:
    text = doc.text
    if kind in ("substitute", "mixed"):
        text = substitute(text, rng.randint(3, 10), rng)
    if kind in ("trim", "mixed"):
        text = trim(text, rng.uniform(0.55, 0.85))
    if kind == "headline":
        text = rewrite_first_sentence(text, rng)
    if kind in ("add", "mixed"):
        text = add_sentences(text, donor, rng.randint(1, 2), rng)
    return text


def substitute(text: str, k: int, rng: random.Random) -> str:
    tokens = text.split(" ")
    vocab = [t for t in tokens if t.isalpha() and len(t) > 3]
    for i in rng.sample(range(len(tokens)), min(k, len(tokens))):
        if tokens[i].isalpha() and vocab:
            tokens[i] = rng.choice(vocab)
    return " ".join(tokens)


def trim(text: str, keep: float) -> str:
    paras = text.split("\n\n")
    if len(paras) >= 4:
        return "\n\n".join(paras[: max(2, round(len(paras) * keep))])
    sents = _SENT.split(text)
    return " ".join(sents[: max(2, round(len(sents) * keep))])


def rewrite_first_sentence(text: str, rng: random.Random) -> str:
    sents = _SENT.split(text, maxsplit=1)
    first = substitute(sents[0], max(3, len(sents[0].split()) // 2), rng)
    return first + (" " + sents[1] if len(sents) > 1 else "")


def add_sentences(text: str, donor: Doc, n: int, rng: random.Random) -> str:
    # At most ~40 words: a copy that carries half of another article really is a copy of both.
    extra = " ".join(" ".join(_SENT.split(donor.text)[:n]).split()[:40])
    paras = text.split("\n\n")
    paras.insert(rng.randint(1, len(paras)), extra)
    return "\n\n".join(paras)


# -- runs --------------------------------------------------------------------------------------


def pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError):  # not allowed in some containers: measure unpinned
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def page(doc: Doc) -> str:
    paras = "".join(f"<p>{p}</p>" for p in doc.text.replace("&", "&amp;").replace("<", "&lt;").split("\n\n"))
    meta = f'<meta property="article:published_time" content="{doc.published}">' if doc.published else ""
    return (
        f"<!DOCTYPE html><html><head><title>{doc.title} | {doc.outlet}</title>"
        f'<meta property="og:site_name" content="{doc.outlet}">{meta}'
        "<script>var tracking = {page: 'article'};</script></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a> <a href='/sport'>Sport</a></nav>"
        f"<main><h1>{doc.title}</h1><article>{paras}</article></main>"
        f"<footer><p>Subscribe to our newsletter</p><p>&copy; {doc.outlet}. All rights reserved.</p>"
        "</footer></body></html>"
    )


def record(doc: Doc, text: str | None = None, outlet: str | None = None) -> dict[str, str | None]:
    return {
        "title": doc.title,
        "text": text or doc.text,
        "outlet": outlet or doc.outlet,
        "published": doc.published,
        "url": f"https://example.org/{_h(doc.key)}",
    }


def write_inputs(docs: list[Doc], fmt: str, folder: Path) -> None:
    folder.mkdir(parents=True)
    if fmt == "jsonl":
        with (folder / "all.jsonl").open("w", encoding="utf-8") as fh:
            for d in docs:
                fh.write(json.dumps(record(d), ensure_ascii=False) + "\n")
        return
    for i, d in enumerate(docs):
        if fmt == "text":
            header = f"date {d.published} ({d.outlet})\n" if d.published else ""
            (folder / f"{i:05d}.txt").write_text(f"{header}{d.title}\n\n{d.text}", "utf-8")
        else:
            (folder / f"{i:05d}.html").write_text(page(d), "utf-8")


def timed_ingest(folder: Path, db: Path) -> tuple[float, float, RunContext]:
    """(wall seconds, CPU seconds, context) of one ingest run into a fresh store."""
    with Store(str(db)) as store:
        ctx = RunContext(paths=[folder])
        start, cpu = time.perf_counter(), time.process_time()
        ingest_stage(store, ctx)
        return time.perf_counter() - start, time.process_time() - cpu, ctx


def speed(docs: list[Doc], tmp: Path) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for fmt in ("text", "html", "jsonl"):
        folder = tmp / f"speed-{fmt}"
        write_inputs(docs, fmt, folder)
        seconds, cpu, ctx = timed_ingest(folder, tmp / f"speed-{fmt}.db")
        n = len(ctx.stored)
        # CPU time too: on a shared machine wall time also counts other people's processes.
        out[fmt] = {
            "articles": n,
            "rejected": len(ctx.rejected),
            "seconds": round(seconds, 3),
            "articles_per_s": round(n / seconds, 1),
            "cpu_seconds": round(cpu, 3),
            "articles_per_cpu_s": round(n / cpu, 1),
        }
        print(
            f"  {fmt:5}: {n} stored, {len(ctx.rejected)} rejected in {seconds:.2f}s "
            f"= {out[fmt]['articles_per_s']} articles/s ({out[fmt]['articles_per_cpu_s']} per CPU-second)"
        )
    out["html_peer_trafilatura_extract"] = trafilatura_peer(tmp / "speed-html")
    return out


def trafilatura_peer(folder: Path) -> dict[str, float]:
    import trafilatura

    pages = [p.read_text("utf-8") for p in sorted(folder.glob("*.html"))]
    start = time.process_time()
    for p in pages:
        trafilatura.extract(p)
    seconds = time.process_time() - start  # CPU time, comparable with articles_per_cpu_s
    rate = round(len(pages) / seconds, 1)
    print(
        f"  peer : bare trafilatura.extract on the same pages = {rate} pages per CPU-second "
        "(no cleaning, dedup or store)"
    )
    return {"pages": len(pages), "cpu_seconds": round(seconds, 3), "pages_per_cpu_s": rate}


# -- copy detection ----------------------------------------------------------------------------


def natural_copies(docs: list[Doc]) -> list[tuple[int, int]]:
    """Pairs of source documents that already are copies by the rules' definition, computed EXACTLY
    (whole shingle sets, no MinHash). The corpora hold real syndicated copies (one AP story in several
    ECB+ documents, print and web versions of one PolNeAR article) that nobody labelled: left in,
    they would count as false positives when the detector is right."""
    sets = [set(shingle_hashes(d.text).tolist()) for d in docs]
    overlap: dict[tuple[int, int], int] = defaultdict(int)
    holders: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for h in s:
            for j in holders[h]:
                overlap[(j, i)] += 1
            holders[h].append(i)
    pairs = []
    for (a, b), shared in overlap.items():
        small, union = min(len(sets[a]), len(sets[b])), len(sets[a] | sets[b])
        if shared / union >= defaults.COPY_THRESHOLD or (
            small >= defaults.MIN_CONTAINMENT_SHINGLES and shared / small >= defaults.COPY_CONTAINMENT
        ):
            pairs.append((a, b))
    return pairs


def without_natural_copies(docs: list[Doc]) -> tuple[list[Doc], int]:
    pairs = natural_copies(docs)
    drop = {b for _, b in pairs}
    return [d for i, d in enumerate(docs) if i not in drop], len(pairs)


def copy_set(
    docs: list[Doc], n_copies: int, rng: random.Random
) -> tuple[list[dict], list[str], dict[str, str]]:
    """(records in arrival order, truth group per record, story per record)."""
    bases = [d for d in docs if len(d.text.split()) >= MIN_BASE_WORDS]
    rng.shuffle(bases)
    chosen = bases[:n_copies]
    records, groups, kinds = [], [], []
    for i, d in enumerate(docs):
        records.append(record(d))
        groups.append(f"g{i}")
        kinds.append("original")
    group_of = {d.key: f"g{i}" for i, d in enumerate(docs)}
    for j, d in enumerate(chosen):
        kind = COPY_KINDS[j % len(COPY_KINDS)]
        donor = rng.choice(bases)  # long, so the few added words are a small part of it
        records.append(record(d, make_copy(d, kind, donor, rng), outlet=f"Syndicator {j % 40}"))
        groups.append(group_of[d.key])
        kinds.append(kind)
    order = list(range(len(records)))
    rng.shuffle(order)  # copies sometimes arrive before their original
    stories = {f"g{i}": d.story for i, d in enumerate(docs)}
    return [records[i] | {"_kind": kinds[i]} for i in order], [groups[i] for i in order], stories


def pair_scores(pred: list[str], truth: list[str]) -> dict[str, float]:
    def pairs(labels: list[str]) -> set[tuple[int, int]]:
        members: dict[str, list[int]] = defaultdict(list)
        for i, g in enumerate(labels):
            members[g].append(i)
        return {p for m in members.values() if len(m) > 1 for p in combinations(m, 2)}

    p_pairs, t_pairs = pairs(pred), pairs(truth)
    tp = len(p_pairs & t_pairs)
    precision = tp / len(p_pairs) if p_pairs else 1.0
    recall = tp / len(t_pairs) if t_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "true_pairs": len(t_pairs),
        "predicted_pairs": len(p_pairs),
        "false_pairs": len(p_pairs - t_pairs),
    }


def copy_eval(docs: list[Doc], n_copies: int, rng: random.Random, tmp: Path) -> dict[str, object]:
    docs, natural = without_natural_copies(docs)
    print(
        f"  {natural} pairs of source documents are real copies already (exact shingle rules): "
        f"one of each left out, {len(docs)} documents remain"
    )
    records, truth, stories = copy_set(docs, n_copies, rng)
    n_copies = len(records) - len(docs)  # fewer when few documents are long enough
    folder = tmp / "copies"
    folder.mkdir()
    with (folder / "copies.jsonl").open("w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps({k: v for k, v in r.items() if k != "_kind"}, ensure_ascii=False) + "\n")
    seconds, _, ctx = timed_ingest(folder, tmp / "copies.db")
    with Store(str(tmp / "copies.db")) as store:
        by_line = {int((a.source or ":0").rsplit(":", 1)[1]) - 1: a.id for a in queries.list_articles(store)}
        original = {c.article_id: c.original_id for c in queries.copies(store)}
    pred = [
        original.get(by_line.get(i, f"missing{i}"), by_line.get(i, f"missing{i}"))
        for i in range(len(records))
    ]
    ours = pair_scores(pred, truth)
    if os.environ.get("NF_BENCH_SHOW_FALSE"):
        _show_false(records, pred, truth)
    naive = pair_scores([_exact_key(r["text"]) for r in records], truth)
    per_kind = _recall_by_kind(records, pred, truth)
    hard = _hard_negatives(pred, truth, stories)
    print(
        f"  {len(records)} records ({n_copies} made copies) ingested in {seconds:.1f}s, "
        f"{len(ctx.rejected)} rejected"
    )
    print(
        f"  newsfuse MinHash+LSH: P {ours['precision']:.3f}  R {ours['recall']:.3f}  F1 {ours['f1']:.3f}  "
        f"({ours['false_pairs']} false pairs)"
    )
    print(
        f"  peer exact-hash only: P {naive['precision']:.3f}  R {naive['recall']:.3f}  F1 {naive['f1']:.3f}"
    )
    print("  recall by edit: " + ", ".join(f"{k} {v:.2f}" for k, v in per_kind.items()))
    print(
        f"  hard negatives (different articles, same story): {hard['pairs']} pairs, "
        f"{hard['linked']} wrongly linked"
    )
    return {
        "records": len(records),
        "made_copies": n_copies,
        "natural_copy_pairs_left_out": natural,
        "thresholds": {
            "copy": defaults.COPY_THRESHOLD,
            "containment": defaults.COPY_CONTAINMENT,
            "min_containment_shingles": defaults.MIN_CONTAINMENT_SHINGLES,
            "shingle": defaults.SHINGLE_SIZE,
            "permutations": defaults.MINHASH_PERMUTATIONS,
        },
        "newsfuse": ours,
        "peer_exact_hash": naive,
        "recall_by_edit": per_kind,
        "hard_negatives": hard,
        "seconds": round(seconds, 2),
    }


def _show_false(records: list[dict], pred: list[str], truth: list[str]) -> None:
    """Print the false copy pairs (set NF_BENCH_SHOW_FALSE=1) to see whether they are real copies."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pred):
        groups[p].append(i)
    for members in groups.values():
        for a, b in combinations(members, 2):
            if truth[a] != truth[b]:
                print("  FALSE PAIR:", records[a]["outlet"], "|", records[b]["outlet"])
                print("    A:", (records[a]["text"] or "")[:300].replace("\n", " "))
                print("    B:", (records[b]["text"] or "")[:300].replace("\n", " "))


def _exact_key(text: str | None) -> str:
    return _h(" ".join(words(text or "")))


def _recall_by_kind(records: list[dict], pred: list[str], truth: list[str]) -> dict[str, float]:
    base_at = {truth[i]: i for i, r in enumerate(records) if r["_kind"] == "original"}
    found: dict[str, list[bool]] = defaultdict(list)
    for i, r in enumerate(records):
        if r["_kind"] != "original":
            found[r["_kind"]].append(pred[i] == pred[base_at[truth[i]]])
    return {k: round(sum(v) / len(v), 3) for k, v in sorted(found.items())}


def _hard_negatives(pred: list[str], truth: list[str], stories: dict[str, str]) -> dict[str, int]:
    by_story: dict[str, list[int]] = defaultdict(list)
    seen: set[str] = set()
    for i, g in enumerate(truth):
        if stories.get(g) and g not in seen:  # one record (the original) per truth group
            seen.add(g)
            by_story[stories[g]].append(i)
    pairs = [(a, b) for m in by_story.values() for a, b in combinations(m, 2)]
    return {"pairs": len(pairs), "linked": sum(pred[a] == pred[b] for a, b in pairs)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path, help="folder with polnear/, gvc/, ecbplus/ (e.g. ../shared/bench)")
    ap.add_argument("--n", type=int, default=2000, help="articles per format for the speed runs")
    ap.add_argument("--copies", type=int, default=600, help="made copies for the copy-detection run")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threshold", type=float, help="override defaults.COPY_THRESHOLD (tuning)")
    ap.add_argument("--containment", type=float, help="override defaults.COPY_CONTAINMENT (tuning)")
    ap.add_argument("--skip-speed", action="store_true", help="only the copy-detection run")
    args = ap.parse_args(argv)
    if args.threshold is not None:
        defaults.COPY_THRESHOLD = args.threshold
    if args.containment is not None:
        defaults.COPY_CONTAINMENT = args.containment
    docs = load_all(args.data)
    if not docs:
        print(f"no PolNeAR/GVC/ECB+ documents under {args.data}", file=sys.stderr)
        return 2
    pin_one_core()
    rng = random.Random(args.seed)
    speed_docs = (docs * (args.n // len(docs) + 1))[: args.n]
    if args.n > len(docs):  # repeat the corpus under other outlet names so every article is new
        speed_docs = [
            Doc(d.key, d.title, d.text, d.story, f"{d.outlet} {i // len(docs)}", d.published)
            for i, d in enumerate(speed_docs)
        ]
    print(f"ingest benchmark on {args.data}: {len(docs)} real documents")
    with tempfile.TemporaryDirectory(prefix="nf-bench-ingest-") as tmp:
        if not args.skip_speed:
            print(f"speed ({len(speed_docs)} articles per format, fresh SQLite store, one core):")
        speeds = {} if args.skip_speed else speed(speed_docs, Path(tmp))
        print("copy detection (made copies + same-story hard negatives):")
        copies = copy_eval(docs, args.copies, rng, Path(tmp))
    result = {"benchmark": "ingest", "documents": len(docs), "speed": speeds, "copies": copies}
    print(json.dumps(result, separators=(",", ":")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
