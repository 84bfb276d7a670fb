"""Story clustering: which documents report the same story, ours vs a TF-IDF average-link baseline.

Usage (from the project root, inside the venv)::

    python bench/stories.py ../shared/bench                 # GVC val + ECB+ dev
    python bench/stories.py ../shared/bench/ecbplus/ECB_Train_corpus.txt --topics 5
    python bench/stories.py ../shared/bench/gvc/val/dataset.conll --late-followups

DATA_PATH is the bench root (GVC ``gvc/val/dataset.conll`` and ECB+ ``ecbplus/ECB_Dev_corpus.txt``)
or one such file (any split of the same format). Gold stories: the GVC incident; the ECB+ subtopic
(``36_1ecb`` -> ``36_ecb``, ``36_3ecbplus`` -> ``36_ecbplus``). ``--late-followups`` adds a copy of
the GVC split whose follow-up reports are published 20-120 days after their story's first (seeded):
long-running coverage, which the time factor alone would split. ``--hard`` adds harder copies made
from the split's own documents: incidents crowded into two weeks (``_dense``), each report cut in
halves that share names but not wording (``_halves``), and both with late follow-ups. ``--set``
runs ours with other settings; ``--peer-set`` also scores ours with other settings (say the previous
defaults) on the same stores, in the same run. The JSON names the data each
setting was chosen on (``tuned_on``); ECB+ dev and the test splits chose none.

Ours runs through the product path: documents become records -> ``ingest`` (article_from_record +
ingest_items, with copy detection) into a fresh SQLite store -> the analysis stage (mentions, when
it is implemented) -> ``fuse.stories.assign_articles`` of all documents in one call (batch
average-link clustering with argument agreement, then placement; see fuse/stories/assign.py) -> grouping
read back with ``queries.story_of_article``. Order sensitivity: the same store assigned in
shuffled orders; reported as the mean F1 and the pairwise F1 between the groupings of different
orders (1.0: the order changes nothing). ``stream``: the same orders placed one article per call
(news arriving one at a time: the online path alone, no batch clustering), with its F1, its order
agreement and its agreement with the one-call grouping.

Peer, in the same run: sklearn TfidfVectorizer(sublinear_tf, English stop words) + cosine +
average-link agglomerative clustering with one distance threshold, tuned on GVC val (grid), then
applied unchanged to ECB+. Metrics: pairwise P/R/F1 and B-cubed F1 over documents.
The last line printed is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import shutil
import sys
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsfuse.ids import bytes_id  # noqa: E402
from newsfuse.models import RawInput  # noqa: E402

BASELINE_GRID = [round(0.05 * i, 2) for i in range(1, 11)]
BASELINE_DEFAULT = 0.15  # the grid's best on GVC val; used when GVC is not part of the run
# Which data each setting was chosen on (newsfuse/defaults.py says how): none on ECB+ dev or any test.
TUNED_ON = {
    "STORY_THRESHOLD, STORY_CONSOLIDATE_THRESHOLD": "ECB+ train (5 topic folds), GVC val as no-loss check",
    "STORY_LONG_RUNNING_KINDS, STORY_LONG_RUNNING_HALF_LIFE_DAYS": "GVC val and its copy with follow-ups "
    "moved 20-120 days later (3 seeds)",
    "STORY_ARG_*, STORY_GROUP_ARGS_*, STORY_COHESION_*": "ECB+ train, GVC val as no-loss check",
    "STORY_ARG_FIGURE_PENALTY, STORY_TIME_HALF_LIFE_DAYS": "ECB+ train and GVC val with its late, crowded "
    "and halved copies, 5-fold CV (bench/tune_stories.py)",
    "baseline_threshold": "GVC val (grid), applied unchanged to the other splits",
    "STORY_LONE_NEIGHBOURS": "ECB+ train and GVC val's halved, late, crowded copies, one by one, seeds 0-1 "
    "(0 / 5 / 15 / 30; 15 and 30 a little better on GVC halves, equal on ECB+ train; 5 bounds the cost)",
    "STORY_HEADLINE_NAMES": "GVC val's halved copies, batch and one by one (ECB+ has no headlines)",
    "STORY_ARG_AGREE_CAP, STORY_ARG_LIFT_KINDS, STORY_ARG_LIFT_MAX_DAYS": "ECB+ train and GVC val with its "
    "copies: cap and days by 5-fold CV (bench/tune_stories.py --grid lift), the kinds by the end-to-end "
    "check (--product; fewer kinds joined crowded GVC incidents); session 14 shipped it off after ECB+ dev "
    "lost precision; session 15 lifts only pairs dated a few days apart (ECB+ has no dates)",
    "STORY_RESCUE_MAX_MEMBERS, STORY_RESCUE_THRESHOLD": "ECB+ train and GVC val with its copies, 5-fold CV "
    "of the batch grouping plus the rescue, folds scored on every pair touching them (bench/tune_stories.py "
    "--grid rescue); STORY_RESCUE_GROUP_KINDS and STORY_RESCUE_GROUP_MAX_DAYS by the end-to-end check on the "
    "same data (--product: a GVC val join of two incidents, ECB+ train groups)",
    "STORY_RESCUE_AGAIN, STORY_RESCUE_RIVAL_LINK": "session 18: the rescue again at a call's end follows "
    "the batch grouping the rescue was chosen on (rescued until no group moves), checked end to end on ECB+ "
    "train and GVC val's copies (--product); the rival link by the same 5-fold CV (--grid rival: 0.08), "
    "shipped off after the end-to-end check (one by one, halves late and crowded 0.839 -> 0.837)",
    "STORY_RESCUE_NEAR_*, STORY_RESCUE_GROUP_MAX_DAYS, STORY_RESCUE_RIVAL_LINK (session 19)": "ECB+ train "
    "and GVC val with its copies, 5-fold CV of the batch grouping plus the rescue (bench/tune_stories.py "
    "--grid near_days: every fold chose 0.07 / same day / person + place, 60 days, rival 0.08)",
    "STORY_RESCUE_DAY_* (session 20)": "ECB+ train and GVC val with its copies, 5-fold CV of the batch "
    "grouping plus the rescue (bench/tune_stories.py --grid day: 4 of 5 folds chose 0.05, rival score 0.02, "
    "no kinds; one 0.06)",
}


@dataclass(frozen=True)
class Doc:
    key: str
    story: str
    title: str | None
    text: str
    published: str | None


# -- data ------------------------------------------------------------------------------------


def detokenize(tokens: Sequence[str]) -> str:
    """Readable text from CoNLL tokens (spaces before punctuation and clitics removed)."""
    s = " ".join(tokens)
    s = re.sub(r" ([,.;:!?%)\]}])", r"\1", s)
    s = re.sub(r"([(\[{$]) ", r"\1", s)
    return re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", s)


def ecb_story(doc_id: str) -> str:
    topic, rest = doc_id.split("_", 1)
    return f"{topic}_{'ecbplus' if rest.endswith('ecbplus') else 'ecb'}"


def read_ecb(path: Path, topics: int | None = None) -> list[Doc]:
    """ECB+ corpus file: TSV doc_id sent_id tok_id token chain; a doc's sentences in order."""
    docs: OrderedDict[str, OrderedDict[str, list[str]]] = OrderedDict()
    with path.open(encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 4:
                docs.setdefault(parts[0], OrderedDict()).setdefault(parts[1], []).append(parts[3])
    out = [Doc(d, ecb_story(d), None, "\n".join(detokenize(t) for t in s.values()), None)
           for d, s in docs.items()]
    if topics:
        keep = sorted({d.key.split("_")[0] for d in out}, key=int)[:topics]
        out = [d for d in out if d.key.split("_")[0] in keep]
    return out


def read_gvc(path: Path, limit: int | None = None) -> list[Doc]:
    """GVC conll: '#begin document (0/INCIDENT/MD5)' then TSV; sentence 0 is the date, 1 the title."""
    raw: list[tuple[str, OrderedDict[str, list[str]]]] = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#begin document"):
                raw.append((line.split("(", 1)[1].split(")", 1)[0], OrderedDict()))
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 4 and raw:
                raw[-1][1].setdefault(parts[1], []).append(parts[3])
    out = []
    for key, sents in raw:
        lines = [detokenize(t).replace("//n", "").strip() for t in sents.values()]
        published = lines.pop(0) if lines and re.fullmatch(r"\d{4}-\d{2}-\d{2}", lines[0]) else None
        title = lines.pop(0) if len(lines) > 1 else None
        out.append(Doc(key, key.split("/")[1], title, "\n".join(x for x in lines if x), published))
    return out[:limit] if limit else out


def late_followups(docs: Sequence[Doc], seed: int = 1, days: tuple[int, int] = (20, 120)) -> list[Doc]:
    """Long-running coverage made from dated documents: every document of a story after its first
    is published 20-120 days later (seeded), as a trial or an anniversary piece would be."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out = []
    for d in docs:
        published = d.published
        if d.story in seen and published:
            published = (date.fromisoformat(published) + timedelta(days=rng.randint(*days))).isoformat()
        seen.add(d.story)
        out.append(Doc(d.key, d.story, d.title, d.text, published))
    return out


def dense(docs: Sequence[Doc], seed: int = 1, window: int = 14) -> list[Doc]:
    """Many incidents in the same weeks: every story moved whole (its reports' spacing kept) so
    that its first report falls in one ``window``-day span (seeded). The time factor then no longer
    keeps stories of one kind apart; only their wording and arguments can."""
    rng = random.Random(seed)
    first: dict[str, date] = {}
    for d in docs:
        if d.published:
            day = date.fromisoformat(d.published)
            first[d.story] = min(first.get(d.story, day), day)
    start = min(first.values()) if first else date(2020, 1, 1)
    shift = {s: start + timedelta(days=rng.randrange(window)) - f for s, f in sorted(first.items())}
    return [Doc(d.key, d.story, d.title, d.text,
                (date.fromisoformat(d.published) + shift[d.story]).isoformat() if d.published else None)
            for d in docs]


def halves(docs: Sequence[Doc], min_lines: int = 4) -> list[Doc]:
    """More reports per story that share names but not wording: each document of at least
    ``min_lines`` sentences cut in two at its middle sentence (the title stays with the first
    half). The halves of one report name the same place and victim, while one tells the shooting
    and the other the investigation, the family's words or the court."""
    out = []
    for d in docs:
        lines = d.text.split("\n")
        if len(lines) < min_lines:
            out.append(d)
            continue
        mid = len(lines) // 2
        out += [Doc(f"{d.key}#1", d.story, d.title, "\n".join(lines[:mid]), d.published),
                Doc(f"{d.key}#2", d.story, None, "\n".join(lines[mid:]), d.published)]
    return out


def gvc_copies(name: str, docs: list[Doc], late: bool, hard: bool) -> list[tuple[str, list[Doc]]]:
    """A GVC split and the copies asked for (seed 1 each)."""
    out = [(name, docs)]
    if late:
        out.append((f"{name}_late_followups", late_followups(docs)))
    if hard:
        cut = halves(docs)
        out += [(f"{name}_dense", dense(docs)), (f"{name}_halves", cut),
                (f"{name}_halves_late_dense", dense(late_followups(cut)))]
    return out


def splits(
    data_path: Path, topics: int | None, limit: int | None, late: bool = False, hard: bool = False
) -> list[tuple[str, list[Doc]]]:
    if data_path.is_dir():
        found = []
        gvc, ecb = data_path / "gvc" / "val" / "dataset.conll", data_path / "ecbplus" / "ECB_Dev_corpus.txt"
        if gvc.exists():
            found += gvc_copies("gvc_val", read_gvc(gvc, limit), late, hard)
        if ecb.exists():
            found.append(("ecbplus_dev", read_ecb(ecb, topics)))
        if not found:
            raise SystemExit(f"{data_path}: no gvc/val/dataset.conll or ecbplus/ECB_Dev_corpus.txt")
        return found
    if data_path.name.endswith(".conll"):
        return gvc_copies(f"gvc_{data_path.parent.name}", read_gvc(data_path, limit), late, hard)
    if data_path.exists():
        return [(data_path.stem, read_ecb(data_path, topics))]
    raise SystemExit(f"{data_path}: not found; pass the bench root or a split file")


def parse_settings(pairs: Sequence[str]) -> dict[str, Any]:
    """``NAME=VALUE`` pairs (VALUE as JSON: 0.1, true, ["person"]) as defaults overrides."""
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise SystemExit(f"--set {pair!r}: write NAME=VALUE, e.g. STORY_THRESHOLD=0.1")
        out[name] = json.loads(value)
        if isinstance(out[name], list):
            out[name] = frozenset(out[name])
    return out


@contextmanager
def setting(values: dict[str, Any]) -> Iterator[None]:
    """newsfuse defaults set to ``values`` for the block (the product reads them at call time)."""
    from newsfuse import defaults

    missing = [k for k in values if not hasattr(defaults, k)]
    if missing:
        raise SystemExit(f"no setting {missing[0]} in newsfuse/defaults.py")
    old = {k: getattr(defaults, k) for k in values}
    try:
        for k, v in values.items():
            setattr(defaults, k, v)
        yield
    finally:
        for k, v in old.items():
            setattr(defaults, k, v)


# -- metrics ---------------------------------------------------------------------------------


def pair_prf(pred: Sequence[Any], gold: Sequence[Any],
             keep: Callable[[int, int], bool] | None = None) -> tuple[float, float, float]:
    """Unrounded pairwise precision, recall and F1 over the pairs ``keep`` admits (all when None)."""
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(gold)), 2):
        if keep is not None and not keep(i, j):
            continue
        same_p, same_g = pred[i] == pred[j], gold[i] == gold[j]
        tp += same_p and same_g
        fp += same_p and not same_g
        fn += same_g and not same_p
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def pairwise(pred: Sequence[Any], gold: Sequence[Any]) -> dict[str, float]:
    p, r, f1 = pair_prf(pred, gold)
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f1, 4)}


def bcubed(pred: Sequence[Any], gold: Sequence[Any]) -> float:
    n = len(gold)
    ps = rs = 0.0
    for i in range(n):
        cp = {j for j in range(n) if pred[j] == pred[i]}
        cg = {j for j in range(n) if gold[j] == gold[i]}
        both = len(cp & cg)
        ps += both / len(cp)
        rs += both / len(cg)
    p, r = ps / n, rs / n
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def scores(pred: Sequence[Any], gold: Sequence[Any]) -> dict[str, float]:
    return {**pairwise(pred, gold), "bcubed_f1": bcubed(pred, gold), "clusters": len(set(pred))}


# -- baseline --------------------------------------------------------------------------------


def baseline_labels(docs: Sequence[Doc], threshold: float) -> list[int]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    texts = [f"{d.title}\n{d.text}" if d.title else d.text for d in docs]
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    dist = 1.0 - cosine_similarity(x)
    model = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - threshold
    )
    return [int(v) for v in model.fit_predict(dist)]


def tune_baseline(docs: Sequence[Doc]) -> float:
    gold = [d.story for d in docs]
    return max(BASELINE_GRID, key=lambda t: (pairwise(baseline_labels(docs, t), gold)["f1"], -t))


# -- ours, through the product ---------------------------------------------------------------


def build_store(docs: Sequence[Doc], db: Path, analyze: bool) -> tuple[list[str | None], dict[str, Any]]:
    """Ingest the documents (and analyse them) into a fresh store; article ID per doc (None if
    the product rejected it)."""
    from newsfuse.ingest.articles import article_from_record
    from newsfuse.ingest.pipeline import ingest_items
    from newsfuse.pipeline import RunContext
    from newsfuse.store import Store

    ctx = RunContext()
    ids: list[str | None] = []
    with Store(str(db)) as store:
        for d in docs:
            record = {"text": d.text, "title": d.title, "published": d.published}
            data = json.dumps(record).encode()
            try:
                article = article_from_record(record, source=d.key)
            except Exception as exc:  # the product refused it: the doc counts as a singleton
                ctx.notes.append(f"{d.key}: {exc}")
                ids.append(None)
                continue
            raw = RawInput(id=bytes_id(data), source=d.key, fmt="jsonl", size=len(data), content=data)
            ingest_items(store, [(raw, article)], ctx)
            ids.append(article.id if store.has_article(article.id) else None)
        t0 = time.perf_counter()
        mentions = 0
        if analyze:
            from newsfuse.analyze.pipeline import analyze_stage
            from newsfuse.store import queries

            analyze_stage(store, ctx)
            mentions = sum(len(queries.get_analysis(store, i).mentions) for i in dict.fromkeys(ids) if i)
    info = {"rejected": ids.count(None), "copies": ctx.copies, "mentions": mentions,
            "analyze_s": round(time.perf_counter() - t0, 1)}
    return ids, info


def ours_labels(
    base_db: Path, ids: Sequence[str | None], order: Sequence[int], work: Path, stream: bool = False
) -> list[str]:
    """Story of each document after placing them in ``order``: all in one call (a batch import),
    or with ``stream`` one call per document (news arriving one article at a time)."""
    from newsfuse.fuse.stories.assign import assign_articles
    from newsfuse.store import Store, queries

    db = work / f"run_{random.random():.8f}.db"
    shutil.copy(base_db, db)
    with Store(str(db)) as store:
        arrivals = [i for i in (ids[k] for k in order) if i]
        for call in ([[i] for i in arrivals] if stream else [arrivals]):
            assign_articles(store, call)
        labels = []
        for n, i in enumerate(ids):
            sid = queries.story_of_article(store, i) if i else None
            labels.append(queries.resolve_story_id(store, sid) if sid else f"rejected-{n}")
    db.unlink()
    return labels


def run_split(
    name: str, docs: list[Doc], args: argparse.Namespace, base_t: float, work: Path
) -> dict[str, Any]:
    gold = [d.story for d in docs]
    t0 = time.perf_counter()
    base = scores(baseline_labels(docs, base_t), gold)
    base["seconds"] = round(time.perf_counter() - t0, 2)
    db = work / f"{name}.db"
    ids, info = build_store(docs, db, args.analyze)
    orders = [list(range(len(docs)))] + [random.Random(s).sample(range(len(docs)), len(docs))
                                         for s in range(1, args.shuffles + 1)]
    runs, groupings, times = [], [], []
    for order in orders:
        t0 = time.perf_counter()
        labels = ours_labels(db, ids, order, work)
        times.append(time.perf_counter() - t0)
        groupings.append(labels)
        runs.append(scores(labels, gold))
    agreement = [pairwise(a, b)["f1"] for a, b in itertools.combinations(groupings, 2)]
    streamed = [ours_labels(db, ids, order, work, stream=True) for order in orders]
    stream_runs = [scores(labels, gold) for labels in streamed]
    stream_agreement = [pairwise(a, b)["f1"] for a, b in itertools.combinations(streamed, 2)]
    ours: dict[str, Any] = dict(runs[0])
    ours.update({
        "f1_mean_over_orders": round(sum(r["f1"] for r in runs) / len(runs), 4),
        "f1_min_over_orders": min(r["f1"] for r in runs),
        "bcubed_mean_over_orders": round(sum(r["bcubed_f1"] for r in runs) / len(runs), 4),
        "order_agreement_f1_mean": round(sum(agreement) / len(agreement), 4) if agreement else 1.0,
        "order_agreement_f1_min": min(agreement) if agreement else 1.0,
        "assign_seconds_mean": round(sum(times) / len(times), 2),
        "stream": {
            "f1": stream_runs[0]["f1"], "bcubed_f1": stream_runs[0]["bcubed_f1"],
            "f1_mean_over_orders": round(sum(r["f1"] for r in stream_runs) / len(stream_runs), 4),
            "f1_min_over_orders": min(r["f1"] for r in stream_runs),
            "order_agreement_f1_min": min(stream_agreement) if stream_agreement else 1.0,
            "agreement_with_batch_f1": pairwise(streamed[0], groupings[0])["f1"],
        },
        **info,
    })
    out = {"docs": len(docs), "stories": len(set(gold)), "ours": ours, "baseline": base}
    if args.peer_settings:
        with setting(args.peer_settings):
            peer = scores(ours_labels(db, ids, orders[0], work), gold)
            peer["stream_f1"] = pairwise(ours_labels(db, ids, orders[0], work, stream=True), gold)["f1"]
        out["ours_peer"] = peer
    return out


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: sorted(v) if isinstance(v, frozenset) else v for k, v in values.items()}


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("data_path", type=Path)
    ap.add_argument("--shuffles", type=int, default=3, help="extra random arrival orders (default 3)")
    ap.add_argument("--topics", type=int, default=None, help="ECB+: first N topics only (a slice)")
    ap.add_argument("--limit", type=int, default=None, help="GVC: first N documents only (a slice)")
    ap.add_argument("--no-analyze", dest="analyze", action="store_false",
                    help="skip the analysis stage (entity terms then come from capitalised words)")
    ap.add_argument("--late-followups", action="store_true",
                    help="GVC: also score a copy whose follow-ups are published 20-120 days later")
    ap.add_argument("--hard", action="store_true",
                    help="GVC: also score harder copies (incidents crowded into two weeks; reports cut in "
                    "halves; halves with late follow-ups, crowded)")
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="run ours with this newsfuse/defaults.py setting (repeatable; VALUE as JSON)")
    ap.add_argument("--peer-set", action="append", default=[], metavar="NAME=VALUE",
                    help="also score ours with these settings on the same stores, as a peer in the same "
                    "run (e.g. the previous defaults; repeatable)")
    args = ap.parse_args(argv)
    args.settings, args.peer_settings = parse_settings(args.set), parse_settings(args.peer_set)
    data = splits(args.data_path, args.topics, args.limit, args.late_followups, args.hard)
    # The peer's threshold is tuned on GVC val only (never on a test split or a copy).
    gvc = [docs for name, docs in data if name == "gvc_val"]
    base_t = tune_baseline(gvc[0]) if gvc else BASELINE_DEFAULT
    print(f"baseline threshold {base_t} ({'tuned on GVC val' if gvc else 'default: its GVC val best'})")
    result: dict[str, Any] = {"bench": "stories", "baseline_threshold": base_t, "tuned_on": TUNED_ON,
                              "settings": _plain(args.settings), "peer_settings": _plain(args.peer_settings),
                              "splits": {}}
    with tempfile.TemporaryDirectory(prefix="newsfuse-stories-") as tmp, setting(args.settings):
        for name, docs in data:
            r = run_split(name, docs, args, base_t, Path(tmp))
            result["splits"][name] = r
            o, b = r["ours"], r["baseline"]
            print(f"{name}: {r['docs']} docs, {r['stories']} stories")
            print(f"  ours      pairwise P {o['p']:.3f} R {o['r']:.3f} F1 {o['f1']:.3f}"
                  f"  B3 F1 {o['bcubed_f1']:.3f}"
                  f"  ({o['clusters']} clusters; {o['rejected']} rejected, {o['copies']} copies, "
                  f"{o['mentions']} mentions)")
            print(f"  orders    F1 mean {o['f1_mean_over_orders']:.3f} min {o['f1_min_over_orders']:.3f};"
                  f" groupings agree (pairwise F1) mean {o['order_agreement_f1_mean']:.3f}"
                  f" min {o['order_agreement_f1_min']:.3f}")
            st = o["stream"]
            print(f"  one by one F1 {st['f1']:.3f} (mean over orders {st['f1_mean_over_orders']:.3f},"
                  f" min {st['f1_min_over_orders']:.3f}); groupings agree min"
                  f" {st['order_agreement_f1_min']:.3f}, with the batch grouping"
                  f" {st['agreement_with_batch_f1']:.3f}")
            if "ours_peer" in r:
                q = r["ours_peer"]
                print(f"  ours-peer pairwise P {q['p']:.3f} R {q['r']:.3f} F1 {q['f1']:.3f}"
                      f"  B3 F1 {q['bcubed_f1']:.3f}  one by one F1 {q['stream_f1']:.3f}  (--peer-set)")
            print(f"  baseline  pairwise P {b['p']:.3f} R {b['r']:.3f} F1 {b['f1']:.3f}"
                  f"  B3 F1 {b['bcubed_f1']:.3f}"
                  f"  ({b['clusters']} clusters)")
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    main()
