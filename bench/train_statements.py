"""Learn the same-fact model of one story (newsfuse/fuse/claims/samefact.py) on ECB+ train, through
the product path.

Usage (from the project root, inside the venv)::

    python bench/train_statements.py ../shared/bench [--topics N] [--folds 5] [--pairs topic|story]
        [--out newsfuse/data/claims/statements.json] [--score-dev] [--mutual]
        [--joint|--evidence|--incident|--point|--combined|--within|--actsfor [--beta B] [--budget]
         [--score-dev [--dev-also G,...]]]
        [--matcher PATH] [--bars]

The ECB+ train documents are ingested, analysed and fused as a user would (``newsfuse.pipeline.run``,
temp SQLite store, stories found by the product; ``bench/claimalign.py`` does the same for dev). While
the product fuses, the bench records the clause runs the meaning pass compares (their texts, vectors
and the statements each holds) per story, the last fuse of a story kept. Gold event mentions are
placed in the stored texts; a statement is labelled with the gold chains of the mentions its anchor
(an event's trigger, an amount's figure) stands in. A pair of clause runs of two documents of one
product story is:

* positive when a statement of one and a statement of the other are anchored in one gold chain;
* negative when both hold an anchored statement and no chain is shared (singleton mentions count);
* left out when either holds no anchored statement (no gold to say).

Only the pairs the product offers are kept: a run's ``CLAIM_MATCH_NEIGHBOURS`` nearest runs of other
articles at ``CLAIM_MATCH_MIN_COSINE`` or above, and runs whose statements share arguments
(``samefact.shares_arguments``; all of them here, where the product bounds them per story and per
group: ``CLAIM_ARGUMENT_PAIRS_MAX``, ``CLAIM_ARGUMENT_GROUP_MAX``; ECB+ stories are small).
Pairs of one kind of fact, two incidents (``--pairs topic``, the default since session 12): each ECB+
topic holds two incidents of one kind (``36_ecb`` / ``36_ecbplus``: two earthquakes) that the product
puts in two stories, so the stories' pairs never say 'same words, another fact', which is what a story
of many facts of one kind (facts/) is full of. After the run each topic is fused once more as one
story (:func:`fuse_topics`: entities resolved over its documents, the claims built as for a story), and
the pairs of runs of the two incidents' documents are added, offered as inside one story of the two:
each run's ``CLAIM_MATCH_NEIGHBOURS`` nearest runs of the other incident at the cosine floor, and the
argument-sharing pairs as the product bounds them. They are negatives unless the two runs are anchored
in one gold chain (a few ECB+ chains span both incidents). Pairs of one incident are the stories' pairs,
labelled as before. ``--pairs story`` fits on the stories' pairs alone (session 11).

The regularisation strength and the decision point are chosen by
cross-validation over ECB+ train *topics* (no topic split between fitting and scoring): the strength
by log loss, the decision point by F1 of out-of-fold probabilities. Peers on the same out-of-fold rows:
the session-11 model (its features, strength and decision point, fitted on the stories' pairs), the
paraphrase matcher at its product threshold and the plain cosine at its train-best threshold; each is
scored on all pairs, on the pairs of one incident and on those of the two incidents (there: how many
it would join, all but a few wrongly). With ``--score-dev`` they are scored once on ECB+ dev pairs built
the same way (thresholds from train). The last line printed is one JSON object.

``--mutual`` (session 13) fits nothing: it measures mutual-best statements of two articles
(``fuse/claims/mutual.py``) on the same product run, kept per story (:func:`story_runs`): every pair a
story offers is scored by the paraphrase matcher as shipped, mutual-best nodes are computed over all of
them (labelled or not), and the labelled pairs are decided by the matcher at 0.5 (raw, and through the
meaning pass's gate ``_pairable``), by mutual-best at a bar, or by either; the bar (0.1-0.5) chosen by F1
on the training topics of each of 5 topic folds and scored on the held ones; also, per probability band,
how often a mutual-best pair and a pair that is not are one gold chain. ``direct`` is the product's rule
(a mutual pair of any compatible statements of the two runs, its best score at the bar); the others
(a mutual pair among those ``_pairable`` leaves, with a margin) are the variants tried before it.

``--joint`` (session 14) fits nothing either: on the same kept product run it decides each labelled
pair by the matcher at 0.5 through the meaning pass's gate without and with the joint assignment
inside ambiguous run pairs (``meaning._assigned``) at each margin and least agreement, and judges each
statement join against gold (the two statements anchored in one chain or not); margin and least
agreement are chosen by F1 on the training topics of each of 5 topic folds. With ``--score-dev`` the
gate as shipped is scored once on ECB+ dev.

``--evidence`` (session 15) likewise: the gate with the joint assignment as shipped, and with lower
matcher bars for statement pairs carrying evidence of one incident (``meaning.joined``: one place,
``samefact.same_place``, ``CLAIM_SAME_PLACE_PROBABILITY``; one target, ``samefact.same_target``,
``CLAIM_SAME_TARGET_PROBABILITY``), the two bars chosen together by F1 of run pairs on the training
topics of each of 5 topic folds (ties: fewer statement joins judged wrong, then the higher bars), with
the joins between a topic's two incidents beside it; and, per band of the matcher's no answers, how
often each kind of evidence is carried by a joined statement pair of one incident (right or wrong) and
of two. (Session 14's ``--apart`` / ``--places``, refusals of other parties and other places, chose off
and were removed in session 15 with their settings.)

Session 16 adds, chosen the same way (``--beta 0.5``: by F0.5 of run pairs, precision weighed twice
as much as recall, instead of F1): ``--incident``, the place bar with two stricter kinds of evidence
of one incident, one act in one place (``samefact.same_place_act``,
``CLAIM_SAME_PLACE_ACT_PROBABILITY``) and one act of the same actor and target
(``samefact.same_parties_act``, ``CLAIM_SAME_PARTIES_ACT_PROBABILITY``); ``--combined``, the joint
assignment's margin and least agreement together with the place and parties bars; ``--point``, the
matcher's own decision point in the gate (``CLAIM_MATCH_PROBABILITY``). ``--matcher PATH`` reads
another paraphrase matcher (a candidate first stage: ``train_claims.py --string-features --out
PATH``); the product run kept is the same (what is offered does not depend on the matcher).

``--within`` (session 17), chosen the same way: a lower matcher bar for two runs one told within the
other (one fact, more detail: ``samefact.told_within``, ``CLAIM_TOLD_WITHIN_PROBABILITY``) at each share
of the shorter's content words the longer holds and each statement test (:data:`WITHIN_TESTS`).

``--budget`` (session 18), with any of the gate grids: the gate also chosen by the budget criterion
(:func:`budget_cv`, set before its runs): the most gold run pairs joined with no more joins of a topic's
two incidents and no lower precision on pairs of one incident than the shipped gate, on the training
topics of each fold (each fold printed, chosen against shipped, on its training and held topics). F-beta
over the pairs barely weighs the two-incident joins (session 17: F0.5 chose the told-within grid's
loosest point, two-incident joins 107 -> 401); the budget counts them directly.

``--actsfor`` (session 19), chosen the same way: a lower matcher bar for one act to one target by two
entities of one actor (``fuse/claims/actsfor.py``: 'Russia' / 'Putin', the Kremlin and its spokesman;
``CLAIM_ACTS_FOR_PARTIES_ACT_PROBABILITY``) and what such a pair scores in the joint assignment
(``CLAIM_ACTS_FOR_AGREEMENT``), with the rest of the gate as shipped.

``--bars`` (session 14) fits and chooses nothing: the gate as shipped with the matcher's bar lowered
(for every pair, or only where the joined statements share arguments), and the pairs the gate passes
that the matcher says no to, by band: what recovering facts/ --why's largest cause would cost on ECB+.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import pickle
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for _p in (ROOT, BENCH):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import claimalign  # noqa: E402
from train_claims import scores  # noqa: E402

from newsfuse import defaults  # noqa: E402
from newsfuse.fuse.claims import match as claimmatch  # noqa: E402
from newsfuse.fuse.claims import samefact  # noqa: E402
from newsfuse.fuse.claims.statements import Statement  # noqa: E402

C_GRID = (0.001, 0.003, 0.01, 0.1, 1.0, 10.0)
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.2, 0.81, 0.05))
CACHE = Path(tempfile.gettempdir()) / "newsfuse-statement-pairs"
# The session-11 model, a peer in the same run: its features (the text features and the statement
# features it knew: the first 29 of samefact.FEATURES), strength and decision point (chosen then by the
# same topic CV on the stories' pairs only).
S11_COLUMNS = 29
S11_C = 0.003
S11_THRESHOLD = 0.5


class Recorder:
    """The clause runs the meaning pass compares, per story (the last fuse of a story kept): wraps
    ``build.join_by_meaning`` for the run; the product's output is unchanged."""

    def __init__(self) -> None:
        self.by_story: dict[str, tuple[list[Any], np.ndarray]] = {}
        self._story = ""

    def __enter__(self) -> Recorder:
        from newsfuse.fuse.claims import build

        self._join, self._build = build.join_by_meaning, build.build_claims
        build.join_by_meaning = self._joined  # type: ignore[assignment]
        build.build_claims = self._built  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        from newsfuse.fuse.claims import build

        build.join_by_meaning, build.build_claims = self._join, self._build  # type: ignore[assignment]

    def _built(self, story_id: str, *args: Any, **kwargs: Any) -> Any:
        self._story = story_id
        return self._build(story_id, *args, **kwargs)

    def _joined(self, clusters: Any, vectors: Any) -> Any:
        from newsfuse.fuse.claims import meaning

        sentences = meaning._sentences(clusters)
        if len(sentences) >= 2:
            matrix = vectors.of([x.key for x in sentences], [x.text for x in sentences])
            self.by_story[self._story] = (sentences, np.asarray(matrix, dtype=np.float64))
        return self._join(clusters, vectors)


def chains_of(sentences: Sequence[Any], mentions: Sequence[claimalign.GoldMention],
              doc_of: dict[str, str]) -> list[frozenset[str]]:
    """Per clause run, the gold chains its statements are anchored in (empty: no gold)."""
    return [frozenset().union(*found) for found in holder_chains(sentences, mentions, doc_of)]


def holder_chains(sentences: Sequence[Any], mentions: Sequence[claimalign.GoldMention],
                  doc_of: dict[str, str]) -> list[tuple[frozenset[str], ...]]:
    """Per clause run, per statement it holds (``holders`` order), the gold chains the statement is
    anchored in (a quote's anchor is its cue, not a fact's word: none)."""
    placed: dict[str, list[claimalign.GoldMention]] = defaultdict(list)
    for m in mentions:
        if m.start >= 0:
            placed[m.doc].append(m)
    out = []
    for x in sentences:
        found = []
        for _, s in x.holders:
            doc = doc_of.get(s.article.id, "")
            found.append(frozenset() if s.kind == "quote" else frozenset(
                f"{m.scope}/{m.chain}" for m in placed.get(doc, ()) if m.start <= s.at < m.end))
        out.append(tuple(found))
    return out


def offered(
    sentences: Sequence[Any], matrix: np.ndarray, apart: Sequence[str] | None = None
) -> dict[tuple[int, int], float]:
    """The pairs (i < j) the product offers in one story, with their cosine: nearest neighbours at the
    cosine floor, and pairs whose statements share arguments (all of them: ECB+ stories are small).

    With ``apart`` (a group per run: the run's incident), only pairs of two groups, offered as in a story
    of the two: each run's ``CLAIM_MATCH_NEIGHBOURS`` nearest runs of the other group at the cosine
    floor, and the argument-sharing pairs as the product bounds them (``meaning._argument_pairs``: at
    most ``CLAIM_ARGUMENT_PAIRS_MAX`` per story, groups of at most ``CLAIM_ARGUMENT_GROUP_MAX`` runs)."""
    articles = np.array([x.key[0] for x in sentences])
    groups = articles if apart is None else np.array(apart)
    cos = matrix @ matrix.T
    cos[groups[:, None] == groups[None, :]] = -np.inf
    out: dict[tuple[int, int], float] = {}
    k = defaults.CLAIM_MATCH_NEIGHBOURS
    for i in range(len(sentences)):
        for j in np.argsort(-cos[i], kind="stable")[:k].tolist():
            if cos[i, j] >= defaults.CLAIM_MATCH_MIN_COSINE:
                out[(min(i, j), max(i, j))] = float(cos[i, j])
    if apart is not None:
        from newsfuse.fuse.claims import meaning

        for (i, j), c in meaning._argument_pairs(sentences, matrix):
            if groups[i] != groups[j]:
                out.setdefault((i, j), c)
        return out
    for i in range(len(sentences)):
        for j in range(i + 1, len(sentences)):
            if articles[i] != articles[j] and (i, j) not in out and any(
                    samefact.shares_arguments(x, y) for _, x in sentences[i].holders
                    for _, y in sentences[j].holders):
                out[(i, j)] = float(cos[i, j])
    return out


@dataclass(frozen=True, slots=True)
class Pair:
    """One offered, labelled pair of clause runs: what the features are computed from (kept, so a
    change of features needs no new run of the product)."""

    a: str
    b: str
    cosine: float
    xs: tuple[Statement, ...]
    ys: tuple[Statement, ...]
    label: int
    topic: int
    cross: bool  # the two documents are of the topic's two different incidents (gold subtopics)
    origin: str  # 'story': offered in a story the product found; 'topic': in the topic fused as one


def _kept(s: Statement) -> Statement:
    return dataclasses.replace(s, sig_of=None)  # the alignment's memo: not the pair's to keep


def fuse_topics(store: Any, doc_of: dict[str, str]) -> None:
    """Fuse each topic's documents (both incidents) as one story, ``topic-N``: the clause runs of two
    earthquakes' reports are then compared as the meaning pass compares two facts of one kind inside
    one story. Entities are resolved over the topic's articles as for a story (nothing is written)."""
    from newsfuse.fuse.claims import build
    from newsfuse.fuse.claims.vectors import SentenceVectors
    from newsfuse.fuse.entities import resolve
    from newsfuse.store import queries

    by_topic: dict[str, list[str]] = defaultdict(list)
    for article, doc in sorted(doc_of.items(), key=lambda x: x[1]):
        by_topic[doc.split("_")[0]].append(article)
    for topic, ids in sorted(by_topic.items(), key=lambda x: int(x[0])):
        articles = queries.list_articles(store, ids)
        analyses = queries.get_analyses(store, ids)
        _, links = resolve.resolve_story_entities(store, ids, [analyses[a.id] for a in articles])
        build.build_claims(f"topic-{topic}", articles, analyses, resolve.entity_map(links),
                           queries.copies_of(store, ids), vectors=SentenceVectors(store))


def collect(data: Path, split: str, topics: int | None, per_topic: bool = True) -> list[Pair]:
    """The offered, labelled pairs of ECB+ ``split`` run through the product: of the stories the
    product found and, with ``per_topic``, the pairs of two incidents' documents offered when each topic
    is fused as one story (:func:`fuse_topics`)."""
    by_story, live, doc_of, mentions = product_run(data, split, topics, per_topic)
    out: list[Pair] = []
    seen: set[tuple[object, object]] = set()
    stories = sorted(by_story.items(), key=lambda x: (x[0].startswith("topic-"), x[0]))
    for story, (sentences, matrix) in stories:
        topic_story = story.startswith("topic-")
        if not topic_story and story not in live:
            continue
        chains = chains_of(sentences, mentions, doc_of)
        incidents = [claimalign.ecb_scope(doc_of[x.holders[0][1].article.id]) for x in sentences]
        for (i, j), c in sorted(offered(sentences, matrix, incidents if topic_story else None).items()):
            if not chains[i] or not chains[j]:
                continue
            a, b = sentences[i], sentences[j]
            da, db = doc_of[a.holders[0][1].article.id], doc_of[b.holders[0][1].article.id]
            cross = claimalign.ecb_scope(da) != claimalign.ecb_scope(db)
            # within one incident a topic story offers what the product's own stories offered (kept
            # with their labels); it adds the pairs of the topic's two incidents
            if (topic_story and not cross) or (a.key, b.key) in seen:
                continue
            seen.add((a.key, b.key))
            # one chain of the topic: within an incident by its subtopic's chain; across the two by the
            # chain ID alone (a few ECB+ chains span both incidents)
            shared = chains[i] & chains[j] if not cross else (
                {x.split("/", 1)[1] for x in chains[i]} & {x.split("/", 1)[1] for x in chains[j]})
            out.append(Pair(a.text, b.text, c, tuple(_kept(s) for _, s in a.holders),
                            tuple(_kept(s) for _, s in b.holders), int(bool(shared)), int(da.split("_")[0]),
                            cross, "topic" if topic_story else "story"))
    return out


def product_run(data: Path, split: str, topics: int | None, per_topic: bool = True) -> tuple[
        dict[str, tuple[list[Any], np.ndarray]], set[str], dict[str, str], list[claimalign.GoldMention]]:
    """ECB+ ``split`` through the product: the clause runs each story's meaning pass compared (the
    :class:`Recorder`'s), the live stories, the document of each article and the gold mentions placed
    in the stored texts; with ``per_topic`` each topic is also fused as one story (:func:`fuse_topics`)."""
    from newsfuse.pipeline import RunContext, run
    from newsfuse.store import Store, queries

    docs, mentions = claimalign.read_ecb(data / "ecbplus", split, topics)
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "docs.jsonl"
        jsonl.write_text("".join(json.dumps(claimalign.record(d)) + "\n" for d in docs), encoding="utf-8")
        store = Store(str(Path(tmp) / "docs.db"))
        try:
            with Recorder() as recorder:
                run(store, RunContext(paths=[jsonl]))
                stored = {a.url: a for a in queries.list_articles(store) if a.url}
                doc_of: dict[str, str] = {}
                for d in docs:
                    a = stored.get(f"{claimalign.BENCH_HOST}/{d.key}")
                    if a is not None:
                        doc_of[a.id] = d.key
                        claimalign.place(d, a.text, [m for m in mentions if m.doc == d.key])
                live = {s.id for s in queries.list_stories(store, limit=1_000_000)}
                if per_topic:
                    fuse_topics(store, doc_of)
        finally:
            store.close()
    return recorder.by_story, live, doc_of, mentions


@dataclass(frozen=True, slots=True)
class StoryRuns:
    """One story's clause runs as the meaning pass compared them (statements without their alignment
    memo), with the gold each run's statements are anchored in: what mutual-best alignment between two
    articles is measured on (:func:`story_runs`)."""

    story: str
    topic: int
    runs: tuple[Any, ...]  # meaning._Sentence
    matrix: np.ndarray
    chains: tuple[frozenset[str], ...]
    incidents: tuple[str, ...]  # gold subtopic of each run's document
    statement_chains: tuple[tuple[frozenset[str], ...], ...]  # per run, per statement held


def story_runs(data: Path, split: str, topics: int | None) -> list[StoryRuns]:
    """Each story's (and each topic fused as one story's) clause runs from one product run of ECB+
    ``split``; kept between runs (a pickle in the temp dir)."""
    CACHE.mkdir(exist_ok=True)
    # v4 (session 19): statements carry what their actor acts for (Statement.actor_for); v5 (session 20):
    # and whether their event was guessed (Statement.guessed: a v4 pickle's statements lack it)
    path = CACHE / f"{split}-{topics or 'all'}-stories-v5.pickle"
    if path.exists():
        kept: list[StoryRuns] = pickle.loads(path.read_bytes())
        return kept
    by_story, live, doc_of, mentions = product_run(data, split, topics)
    out = []
    for story, (sentences, matrix) in sorted(by_story.items()):
        if not story.startswith("topic-") and story not in live:
            continue
        runs = tuple(dataclasses.replace(x, holders=tuple((n, _kept(s)) for n, s in x.holders))
                     for x in sentences)
        docs = [doc_of[x.holders[0][1].article.id] for x in sentences]
        out.append(StoryRuns(story, int(docs[0].split("_")[0]), runs, matrix,
                             tuple(chains_of(sentences, mentions, doc_of)),
                             tuple(claimalign.ecb_scope(d) for d in docs),
                             tuple(holder_chains(sentences, mentions, doc_of))))
    path.write_bytes(pickle.dumps(out))
    return out


def table(pairs: Sequence[Pair]) -> dict[str, np.ndarray]:
    """Feature rows (:data:`samefact.FEATURES`) and what each pair is, as arrays."""
    paraphrase = claimmatch.packaged().first
    rows = [samefact.features(p.a, p.b, p.cosine, p.xs, p.ys) for p in pairs]
    return {"x": np.array(rows), "y": np.array([p.label for p in pairs]),
            "topic": np.array([p.topic for p in pairs]), "cos": np.array([p.cosine for p in pairs]),
            "cross": np.array([p.cross for p in pairs], dtype=bool),
            "story": np.array([p.origin == "story" for p in pairs], dtype=bool),
            "below_floor": np.array([p.cosine < defaults.CLAIM_MATCH_MIN_COSINE for p in pairs], dtype=int),
            "msrp": np.array([paraphrase.probability(p.a, p.b, p.cosine) for p in pairs])}


def cached(data: Path, split: str, topics: int | None) -> dict[str, np.ndarray]:
    """:func:`table` of :func:`collect`'s pairs, the pairs kept between runs (a pickle in the temp dir)."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{split}-{topics or 'all'}-pairs-v2.pickle"
    if path.exists():
        pairs = pickle.loads(path.read_bytes())
    else:
        pairs = collect(data, split, topics)
        path.write_bytes(pickle.dumps(pairs))
    return table(pairs)


# -- mutual best (session 13) ---------------------------------------------------------------------

MUTUAL_BARS = tuple(round(x, 2) for x in np.arange(0.1, 0.51, 0.05))


MUTUAL_MARGINS = (0.0, 1e-06, 0.1, 0.2)


def mutual_table(stories: Sequence[StoryRuns], margins: Sequence[float] = MUTUAL_MARGINS
                 ) -> dict[str, np.ndarray]:
    """Every labelled offered pair of ``stories`` with what the meaning pass would know of it: the
    paraphrase matcher's probability (first stage, as shipped), whether the pair gives a join at all
    (``meaning._pairable``: compatible statements, partners unambiguous), and whether one of those joins
    is of two mutual-best statements (``mutual.mutual_best`` over every pair the story offers, labelled
    or not: the unlabelled runs compete for 'best' as in the product; ``mutual`` with no margin,
    ``mutual_M`` with each of ``margins``: a clear best only)."""
    from newsfuse.fuse.claims import meaning, mutual

    matcher = claimmatch.packaged().first
    rows: dict[str, list[Any]] = defaultdict(list)
    for st in stories:
        topic_story = st.story.startswith("topic-")
        pairs = offered(st.runs, st.matrix, st.incidents if topic_story else None)
        scored = [(matcher.probability(st.runs[i].text, st.runs[j].text, c), i, j)
                  for (i, j), c in sorted(pairs.items()) if st.runs[i].text != st.runs[j].text]
        found = {m: mutual.mutual_best(scored, [x.holders for x in st.runs], meaning._compatible, m)
                 for m in margins}
        for p, i, j in scored:
            a, b = st.runs[i], st.runs[j]
            if not st.chains[i] or not st.chains[j]:
                continue
            cross = st.incidents[i] != st.incidents[j]
            shared = st.chains[i] & st.chains[j] if not cross else (
                {x.split("/", 1)[1] for x in st.chains[i]} & {x.split("/", 1)[1] for x in st.chains[j]})
            joins = meaning._pairable(a, b)
            rows["y"].append(int(bool(shared)))
            rows["p"].append(p)
            rows["topic"].append(st.topic)
            rows["cross"].append(cross)
            rows["pairable"].append(bool(joins))
            for m, nodes in found.items():
                rows["mutual" if not m else f"mutual_{m:g}"].append(
                    any(mutual.is_mutual(nodes, (c, a.key[0]), (d, b.key[0])) for c, d in joins))
            # a mutual pair among any compatible statements of the two runs (not only those _pairable
            # leaves: the mutual test itself says which is whose partner)
            # (the product's rule: such a pair joins when its score, the best over runs, reaches the bar)
            direct = [found[0.0][(min(u, v), max(u, v))] for c, x in a.holders for d, y in b.holders
                      if c != d and meaning._compatible(x, y)
                      and mutual.is_mutual(found[0.0], u := (c, a.key[0]), v := (d, b.key[0]))]
            rows["mutual_direct"].append(bool(direct))
            rows["p_direct"].append(max(direct, default=0.0))
    return {k: np.array(v) for k, v in rows.items()}


def mutual_decisions(d: dict[str, np.ndarray], bar: float, rule: str) -> np.ndarray:
    """Joins of each pair: ``matcher`` p >= CLAIM_MATCH_PROBABILITY (raw: without ``_pairable``'s gate);
    ``gated`` the same through the gate (what the product joins); ``mutual`` mutual-best at p >= bar
    only; ``both`` the gated matcher or mutual-best at p >= bar."""
    point = defaults.CLAIM_MATCH_PROBABILITY
    if rule == "matcher":
        return (d["p"] >= point).astype(int)
    if rule == "gated":
        return (d["pairable"] & (d["p"] >= point)).astype(int)
    low = d["mutual"] & (d.get("p_mutual", d["p"]) >= bar)
    if rule == "mutual":
        return low.astype(int)
    return ((d["pairable"] & (d["p"] >= point)) | low).astype(int)


def mutual_cv(d: dict[str, np.ndarray], k: int) -> dict[str, Any]:
    """The bar of ``mutual`` and ``both`` chosen by F1 on the training topics of each of ``k`` topic
    folds (ties: the higher bar) and scored on the held topics (out-of-fold decisions pooled); each bar
    on all of train too."""
    out: dict[str, Any] = {"pairs": len(d["y"]), "positive": int(d["y"].sum()),
                           "cross": int(d["cross"].sum()), "mutual": int(d["mutual"].sum())}
    for rule in ("matcher", "gated"):
        out[rule] = by_kind(mutual_decisions(d, 1.0, rule), d)
    for rule in ("mutual", "both"):
        pred = np.zeros(len(d["y"]), dtype=int)
        bars = []
        for held in topic_folds(d["topic"], k):
            train = np.setdiff1d(np.arange(len(d["y"])), held)
            bar = max(MUTUAL_BARS, key=lambda t: (
                scores(mutual_decisions(d, t, rule)[train], d["y"][train])["f1"], t))
            bars.append(float(bar))
            pred[held] = mutual_decisions(d, bar, rule)[held]
        out[f"{rule}_cv"] = {"bars": bars, **by_kind(pred, d)}
        out[f"{rule}_by_bar"] = {str(t): by_kind(mutual_decisions(d, t, rule), d)["all"] for t in MUTUAL_BARS}
        out[f"{rule}_bar_on_train"] = max(MUTUAL_BARS, key=lambda t: (
            scores(mutual_decisions(d, t, rule), d["y"])["f1"], t))
    return out


MUTUAL_BANDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1.01)


def mutual_bands(d: dict[str, np.ndarray]) -> dict[str, dict[str, list[int]]]:
    """The hypothesis itself: per band of the matcher's probability, [pairs, positives] of the pairs that
    give a join, mutual-best or not, within one incident and across a topic's two."""
    out: dict[str, dict[str, list[int]]] = {}
    for kind, rows in (("within", ~d["cross"]), ("cross", d["cross"])):
        for lo, hi in itertools.pairwise(MUTUAL_BANDS):
            band = rows & d["pairable"] & (d["p"] >= lo) & (d["p"] < hi)
            out[f"{kind} {lo:.1f}-{min(hi, 1.0):.1f}"] = {
                name: [int(r.sum()), int(d["y"][r].sum())]
                for name, r in (("mutual", band & d["mutual"]), ("not_mutual", band & ~d["mutual"]))}
    return out


def run_mutual(data: Path, topics: int | None, k: int) -> dict[str, Any]:
    d = mutual_table(story_runs(data, "Train", topics))
    out = mutual_cv(d, k)
    direct = mutual_cv({**d, "mutual": d["mutual_direct"], "p_mutual": d["p_direct"]}, k)
    out["direct"] = {key: direct[key] for key in ("mutual", "mutual_cv", "both_cv", "both_by_bar")}
    for rule in ("mutual", "both"):
        s = direct[f"{rule}_cv"]
        print(f"direct {rule:<6} CV bars {s['bars']}: P {s['all']['precision']:.3f} "
              f"R {s['all']['recall']:.3f} F1 {s['all']['f1']:.3f} joins {s['all']['joins']} "
              f"wrong {s['all']['wrong_joins']}  "
              f"(within P {s['within']['precision']:.3f}; cross wrong {s['cross']['wrong_joins']})")
    for t, s in direct["both_by_bar"].items():
        print(f"  direct both bar {t}: P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} "
              f"joins {s['joins']} wrong {s['wrong_joins']}")
    for m in MUTUAL_MARGINS[1:]:
        clear = mutual_cv({**d, "mutual": d[f"mutual_{m:g}"]}, k)
        out[f"margin_{m:g}"] = {key: clear[key] for key in ("mutual", "mutual_cv", "both_cv", "both_by_bar",
                                                            "both_bar_on_train")}
        for rule in ("mutual", "both"):
            s = clear[f"{rule}_cv"]["all"]
            print(f"margin {m:g} {rule:<6} CV bars {clear[f'{rule}_cv']['bars']}: P {s['precision']:.3f} "
                  f"R {s['recall']:.3f} F1 {s['f1']:.3f} joins {s['joins']} wrong {s['wrong_joins']}  "
                  f"(cross wrong {clear[f'{rule}_cv']['cross']['wrong_joins']})")
        for t, s in clear["both_by_bar"].items():
            print(f"  margin {m:g} both bar {t}: P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} "
                  f"joins {s['joins']} wrong {s['wrong_joins']}")
    out["bands"] = mutual_bands(d)
    for band, found in out["bands"].items():
        (n, pos), (m, neg) = found["mutual"], found["not_mutual"]
        print(f"band {band:<16} mutual {pos:>4}/{n:<4} ({pos / max(n, 1):.2f} same fact)   "
              f"not mutual {neg:>4}/{m:<4} ({neg / max(m, 1):.2f})")
    _print("train CV", {"matcher_at_0.5": out["matcher"], "matcher_gated": out["gated"],
                        "mutual_best": {x: out["mutual_cv"][x] for x in ("all", "within", "cross")},
                        "both": {x: out["both_cv"][x] for x in ("all", "within", "cross")}})
    for rule in ("mutual", "both"):
        print(f"{rule}: bars chosen per fold {out[f'{rule}_cv']['bars']}, on all of train "
              f"{out[f'{rule}_bar_on_train']}")
        for t, s in out[f"{rule}_by_bar"].items():
            print(f"  {rule} bar {t}: P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} "
                  f"joins {s['joins']} wrong {s['wrong_joins']}")
    return out


# -- joint assignment inside an ambiguous run pair (session 14) -------------------------------------

JOINT_MARGINS = (1.0, 2.0)
JOINT_FLOORS = (0.0, 1.0, 2.0, 3.0)


Gate = dict[str, Any]  # the defaults settings a gate of :func:`joint_table` sets
_GATE_SETTINGS = ("CLAIM_MATCH_PROBABILITY", "CLAIM_JOINT_ASSIGN", "CLAIM_JOINT_MARGIN",
                  "CLAIM_JOINT_MIN_AGREEMENT", "CLAIM_SAME_PLACE_PROBABILITY",
                  "CLAIM_SAME_TARGET_PROBABILITY", "CLAIM_SAME_PLACE_ACT_PROBABILITY",
                  "CLAIM_SAME_PARTIES_ACT_PROBABILITY", "CLAIM_TOLD_WITHIN_PROBABILITY",
                  "CLAIM_TOLD_WITHIN_SHARE", "CLAIM_TOLD_WITHIN_ACT", "CLAIM_TOLD_WITHIN_SAME_PARTIES",
                  "CLAIM_TOLD_WITHIN_NAMES", "CLAIM_TOLD_WITHIN_RARITY",
                  "CLAIM_ACTS_FOR_PARTIES_ACT_PROBABILITY", "CLAIM_ACTS_FOR_AGREEMENT")


def _gate(assign: bool, margin: float, floor: float, place: float | None = None,
          target: float | None = None, place_act: float | None = None,
          parties_act: float | None = None) -> Gate:
    """A gate's settings; the evidence bars at the matcher's own point (no lower bar) unless given."""
    point = defaults.CLAIM_MATCH_PROBABILITY
    bars = {"CLAIM_SAME_PLACE_PROBABILITY": place, "CLAIM_SAME_TARGET_PROBABILITY": target,
            "CLAIM_SAME_PLACE_ACT_PROBABILITY": place_act, "CLAIM_SAME_PARTIES_ACT_PROBABILITY": parties_act}
    return {"CLAIM_MATCH_PROBABILITY": point, "CLAIM_JOINT_ASSIGN": assign, "CLAIM_JOINT_MARGIN": margin,
            "CLAIM_JOINT_MIN_AGREEMENT": floor, **{k: point if v is None else v for k, v in bars.items()},
            "CLAIM_TOLD_WITHIN_PROBABILITY": point,  # no told-within bar unless a grid sets one
            "CLAIM_TOLD_WITHIN_SHARE": defaults.CLAIM_TOLD_WITHIN_SHARE,
            "CLAIM_TOLD_WITHIN_ACT": defaults.CLAIM_TOLD_WITHIN_ACT,
            "CLAIM_TOLD_WITHIN_SAME_PARTIES": defaults.CLAIM_TOLD_WITHIN_SAME_PARTIES,
            "CLAIM_TOLD_WITHIN_NAMES": defaults.CLAIM_TOLD_WITHIN_NAMES,
            "CLAIM_TOLD_WITHIN_RARITY": defaults.CLAIM_TOLD_WITHIN_RARITY,
            "CLAIM_ACTS_FOR_PARTIES_ACT_PROBABILITY": point,  # no acts-for bar unless a grid sets one
            "CLAIM_ACTS_FOR_AGREEMENT": 0.0}


def joint_table(stories: Sequence[StoryRuns], gates: dict[str, Gate] | None = None) -> dict[str, np.ndarray]:
    """Every labelled offered pair of ``stories`` with the paraphrase matcher's probability (first stage,
    as shipped) and, per gate (``gated``: ``meaning._pairable`` as shipped before the joint assignment;
    ``joint_M_F``: with ``CLAIM_JOINT_ASSIGN`` at margin M and least agreement F), whether the meaning
    pass would join it (``meaning.joined`` at the matcher's answer) and how many of its statement joins
    are right / wrong (the two statements anchored in one gold chain / in none shared; a statement with
    no anchor, a quote, is not judged). ``gates``: name -> settings (:func:`_gate`), instead of the
    margin grid."""
    from newsfuse.fuse.claims import meaning

    matcher = claimmatch.packaged().first
    gates = gates or {"gated": _gate(False, 1.0, 1.0), **{
        f"joint_{m:g}_{f:g}": _gate(True, m, f) for m in JOINT_MARGINS for f in JOINT_FLOORS}}
    saved = {k: getattr(defaults, k) for k in _GATE_SETTINGS}
    rows: dict[str, list[Any]] = defaultdict(list)
    rarities: dict[str, dict[str, float]] = {}  # per story: its runs' word rarities (match.rarity)
    try:
        for st, i, j, c, cross in labelled_pairs(stories):
            if st.story not in rarities:
                rarities[st.story] = claimmatch.rarity([x.text for x in st.runs])
            a, b = st.runs[i], st.runs[j]
            p = matcher.probability(a.text, b.text, c)
            rows["y"].append(int(bool(_shared(st.chains[i], st.chains[j], cross))))
            rows["p"].append(p)
            rows["topic"].append(st.topic)
            rows["cross"].append(cross)
            gold_a = {n: g for (n, _), g in zip(a.holders, st.statement_chains[i], strict=True)}
            gold_b = {n: g for (n, _), g in zip(b.holders, st.statement_chains[j], strict=True)}
            for name, gate in gates.items():
                for key, value in gate.items():
                    setattr(defaults, key, value)
                joins = meaning.joined(a, b, p, defaults.CLAIM_MATCH_PROBABILITY, True, rarities[st.story])
                judged = [bool(_shared(gold_a[x], gold_b[y], cross)) for x, y in joins
                          if gold_a[x] and gold_b[y]]
                rows[name].append(bool(joins))
                rows[f"{name}_right"].append(sum(judged))
                rows[f"{name}_wrong"].append(len(judged) - sum(judged))
    finally:
        for key, value in saved.items():
            setattr(defaults, key, value)
    return {k: np.array(v) for k, v in rows.items()}


def _shared(x: frozenset[str], y: frozenset[str], cross: bool) -> frozenset[str]:
    """The gold chains two sets share: within an incident by subtopic and chain; across a topic's two
    incidents by the chain ID alone (a few ECB+ chains span both)."""
    if not cross:
        return x & y
    return frozenset(c.split("/", 1)[1] for c in x) & frozenset(c.split("/", 1)[1] for c in y)


def joint_decisions(d: dict[str, np.ndarray], gate: str) -> np.ndarray:
    """Joins of each pair through ``gate`` (at the matcher's answer: its bars are the gate's)."""
    return d[gate].astype(int)


def _statement_joins(d: dict[str, np.ndarray], gate: str, rows: np.ndarray) -> dict[str, int]:
    taken = rows & d[gate]
    return {"statement_joins_right": int(d[f"{gate}_right"][taken].sum()),
            "statement_joins_wrong": int(d[f"{gate}_wrong"][taken].sum())}


def f_beta(pred: np.ndarray, gold: np.ndarray, beta: float) -> float:
    """F-beta of run pairs: beta 1 is F1; beta 0.5 weighs precision twice as much as recall (a wrong
    join is a claim shown corroborated that is not)."""
    s = scores(pred, gold)
    p, r, b2 = s["precision"], s["recall"], beta * beta
    return (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0


# -- session 18: a criterion that counts joins of a topic's two incidents ------------------------
#
# F-beta over one story's run pairs barely sees the "two facts" error facts/ counts: in ECB+ a topic's
# two incidents (``36_ecb`` / ``36_ecbplus``) are two stories, and only the pairs of each topic fused as
# one story can show it. The budget criterion (fixed before any grid was run, session 18): among the
# rules whose joins on the training topics are (a) no more pairs of a topic's two incidents than main's
# rule there and (b) no lower precision on pairs of one incident than main's there (one-incident wrong
# joins are "two facts" too), take the one joining most gold pairs (recall; a pair never offered is
# missed); ties: fewer two-incident joins, fewer joins, main's rule. Main's rule is always admissible,
# so the criterion can only choose a rule that adds recall without adding either kind of wrong join.


def budget_counts(pred: np.ndarray, y: np.ndarray, cross: np.ndarray) -> dict[str, int]:
    """What the budget criterion reads of a rule's joins on some rows: gold pairs joined (``right``),
    joins of a topic's two incidents, joins of one incident and the right ones among them."""
    joined = pred.astype(bool)
    one = joined & ~cross
    return {"right": int((joined & (y == 1)).sum()), "two_incident": int((joined & cross).sum()),
            "one_incident": int(one.sum()), "one_incident_right": int((one & (y == 1)).sum())}


def admissible(c: dict[str, int], main: dict[str, int]) -> bool:
    """Whether a rule's counts keep within main's: no more two-incident joins, one-incident precision
    no lower (cross-multiplied: no division by an empty count)."""
    precise = c["one_incident_right"] * main["one_incident"] >= main["one_incident_right"] * c["one_incident"]
    return c["two_incident"] <= main["two_incident"] and precise


def budget_choice(names: Sequence[str], decide: Callable[[str], np.ndarray], y: np.ndarray,
                  cross: np.ndarray, rows: np.ndarray, main: str) -> str:
    """The rule of ``names`` the budget criterion takes on ``rows`` (``decide``: a rule's joins)."""
    counts = {g: budget_counts(decide(g)[rows], y[rows], cross[rows]) for g in dict.fromkeys((main, *names))}
    ok = [g for g in counts if admissible(counts[g], counts[main])]
    return max(ok, key=lambda g: (counts[g]["right"], -counts[g]["two_incident"], -counts[g]["one_incident"],
                                  g == main))


def budget_summary(pred: np.ndarray, y: np.ndarray, cross: np.ndarray, topic: np.ndarray) -> dict[str, Any]:
    """Recall, precision, F0.5 of run pairs and joins of two incidents (in all and per topic)."""
    s = scores(pred.astype(int), y)
    c = budget_counts(pred, y, cross)
    return {"recall": round(s["recall"], 4), "precision": round(s["precision"], 4),
            "f0.5": round(f_beta(pred.astype(int), y, 0.5), 4), "right": c["right"],
            "two_incident_joins": c["two_incident"],
            "two_incident_per_topic": round(c["two_incident"] / max(len(set(topic.tolist())), 1), 2),
            "one_incident_joins": c["one_incident"]}


def budget_cv(names: Sequence[str], decide: Callable[[str], np.ndarray], y: np.ndarray,
              cross: np.ndarray, topic: np.ndarray, k: int, main: str, where: str = "train"
              ) -> dict[str, Any]:
    """The rule chosen by the budget criterion on the training topics of each of ``k`` topic folds and
    scored on the held ones, each fold printed (chosen against main, on its training and held topics);
    out of fold, the choices against main on the same rows."""
    pred = np.zeros(len(y), dtype=int)
    chosen, folds = [], []
    for n, held in enumerate(topic_folds(topic, k)):
        rows = np.zeros(len(y), dtype=bool)
        rows[held] = True
        best = budget_choice(names, decide, y, cross, ~rows, main)
        chosen.append(best)
        pred[held] = decide(best)[held]
        fold = {side: {g: budget_summary(decide(g)[r], y[r], cross[r], topic[r]) for g in (main, best)}
                for side, r in (("fit", ~rows), ("held", rows))}
        folds.append({"chosen": best, **fold})
        for side in ("fit", "held"):
            m, b = fold[side][main], fold[side][best]
            print(f"{where} budget fold {n} {side:<4} chosen {best:<24} R {b['recall']:.3f} (main "
                  f"{m['recall']:.3f}) P {b['precision']:.3f} ({m['precision']:.3f}) two-incident joins "
                  f"{b['two_incident_joins']} ({m['two_incident_joins']}) one-incident joins "
                  f"{b['one_incident_joins']} ({m['one_incident_joins']})")
    out = {"criterion": "recall s.t. two-incident joins <= main's and one-incident P >= main's",
           "main": main, "chosen": chosen, "folds": folds,
           "out_of_fold": budget_summary(pred, y, cross, topic),
           "main_rows": budget_summary(decide(main), y, cross, topic)}
    o, m = out["out_of_fold"], out["main_rows"]
    print(f"{where} budget out of fold: R {o['recall']} P {o['precision']} F0.5 {o['f0.5']} two-incident "
          f"joins {o['two_incident_joins']} ({o['two_incident_per_topic']} per topic); main R {m['recall']} "
          f"P {m['precision']} F0.5 {m['f0.5']} two-incident joins {m['two_incident_joins']} "
          f"({m['two_incident_per_topic']} per topic); chosen {chosen}")
    return out


def joint_cv(d: dict[str, np.ndarray], k: int, prefix: str = "joint_", beta: float = 1.0) -> dict[str, Any]:
    """The gate (margin, least agreement) chosen by F-``beta`` (F1 unless given) of the run pairs on the
    training topics of each of ``k`` topic folds (ties: fewer statement joins judged wrong, then the
    stricter gate) and scored on the held topics; the shipped gate and the raw matcher as peers on the
    same rows; every gate on all of train too (with its statement joins judged right and wrong).
    ``prefix``: the gates to choose from."""
    gates = [g for g in d if g.startswith(prefix) and not g.endswith(("_right", "_wrong"))]
    everything = np.ones(len(d["y"]), dtype=bool)
    out: dict[str, Any] = {"pairs": len(d["y"]), "positive": int(d["y"].sum()),
                           "cross": int(d["cross"].sum())}
    out["matcher"] = by_kind((d["p"] >= defaults.CLAIM_MATCH_PROBABILITY).astype(int), d)
    for gate in ("gated", *gates):
        cross_wrong = _statement_joins(d, gate, d["cross"])["statement_joins_wrong"]
        out[gate] = {**by_kind(joint_decisions(d, gate), d),
                     "statements": {**_statement_joins(d, gate, everything), "cross_wrong": cross_wrong}}
    pred = np.zeros(len(d["y"]), dtype=int)
    chosen, right, wrong = [], 0, 0
    for held in topic_folds(d["topic"], k):
        train = np.zeros(len(d["y"]), dtype=bool)
        train[np.setdiff1d(np.arange(len(d["y"])), held)] = True
        gate = max(gates, key=lambda g: (
            f_beta(joint_decisions(d, g)[train], d["y"][train], beta),
            -_statement_joins(d, g, train)["statement_joins_wrong"], g))
        chosen.append(gate)
        pred[held] = joint_decisions(d, gate)[held]
        rows = np.zeros(len(d["y"]), dtype=bool)
        rows[held] = True
        s = _statement_joins(d, gate, rows)
        right, wrong = right + s["statement_joins_right"], wrong + s["statement_joins_wrong"]
    out["joint_cv"] = {"chosen": chosen, **by_kind(pred, d), "f_beta": round(f_beta(pred, d["y"], beta), 4),
                       "statements": {"statement_joins_right": right, "statement_joins_wrong": wrong}}
    return out


def _shipped_gate() -> str:
    """The joint_table column of the shipped margin and least agreement."""
    return f"joint_{defaults.CLAIM_JOINT_MARGIN:g}_{defaults.CLAIM_JOINT_MIN_AGREEMENT:g}"


EVIDENCE_BARS = (0.5, 0.4, 0.3, 0.2, 0.1)


def evidence_gates() -> dict[str, Gate]:
    """The gate as shipped before the joint assignment, and with it (shipped margin and least agreement)
    at every pair of lower bars for one place and one target (``evidence_0.5_0.5``: no lower bar)."""
    m, f = defaults.CLAIM_JOINT_MARGIN, defaults.CLAIM_JOINT_MIN_AGREEMENT
    return {"gated": _gate(False, 1.0, 1.0), **{
        f"evidence_{p:g}_{t:g}": _gate(True, m, f, p, t) for p in EVIDENCE_BARS for t in EVIDENCE_BARS}}


INCIDENT_PLACE_BARS = (0.5, 0.3, 0.1)
INCIDENT_ACT_BARS = (0.5, 0.3, 0.2, 0.1)


def incident_gates() -> dict[str, Gate]:
    """Session 16: the gate with the joint assignment (shipped margin and least agreement) at every
    combination of lower bars for one place (``samefact.same_place``), one act in one place
    (``same_place_act``) and one act between the same two parties (``same_parties_act``), the target
    bar at the matcher's point as shipped: ``incident_P_A_Q``."""
    m, f = defaults.CLAIM_JOINT_MARGIN, defaults.CLAIM_JOINT_MIN_AGREEMENT
    return {"gated": _gate(False, 1.0, 1.0), **{
        f"incident_{p:g}_{a:g}_{q:g}": _gate(True, m, f, p, None, a, q)
        for p in INCIDENT_PLACE_BARS for a in INCIDENT_ACT_BARS for q in INCIDENT_ACT_BARS}}


def combined_gates() -> dict[str, Gate]:
    """Session 16: margin and least agreement of the joint assignment chosen together with the place and
    parties bars (the target and place-and-act bars as shipped): ``combined_M_F_P_Q``."""
    t, a = defaults.CLAIM_SAME_TARGET_PROBABILITY, defaults.CLAIM_SAME_PLACE_ACT_PROBABILITY
    return {"gated": _gate(False, 1.0, 1.0), **{
        f"combined_{m:g}_{f:g}_{p:g}_{q:g}": _gate(True, m, f, p, t, a, q)
        for m in JOINT_MARGINS for f in JOINT_FLOORS[:3] for p in (0.5, 0.1) for q in (0.5, 0.1)}}


WITHIN_BARS = (0.5, 0.3, 0.2, 0.1, 0.05)
WITHIN_SHARES = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


# The statement tests of within_gates, by number: 0 any compatible pair, 1 one act, 2 one act and no
# two parties, 3 one act with the shorter's names left out of the share, 4 one act with words weighed by
# their rarity in the story, 5 any compatible pair so weighed.
WITHIN_TESTS = tuple({"CLAIM_TOLD_WITHIN_ACT": act, "CLAIM_TOLD_WITHIN_SAME_PARTIES": parties,
                      "CLAIM_TOLD_WITHIN_NAMES": names, "CLAIM_TOLD_WITHIN_RARITY": rare}
                     for act, parties, names, rare in (
                         (False, False, True, False), (True, False, True, False), (True, True, True, False),
                         (True, False, False, False), (True, False, True, True), (False, False, True, True)))


def within_gates() -> dict[str, Gate]:
    """Session 17: the gate as shipped (joint assignment, evidence bars) with a lower matcher bar for
    two runs one told within the other (``samefact.told_within``, ``CLAIM_TOLD_WITHIN_PROBABILITY``) at
    each share of the shorter's content words the longer must hold (``CLAIM_TOLD_WITHIN_SHARE``), the
    statements doing one act or not (``CLAIM_TOLD_WITHIN_ACT``), and with one act, naming no two parties
    too (``CLAIM_TOLD_WITHIN_SAME_PARTIES``), or with names left out of the share
    (``CLAIM_TOLD_WITHIN_NAMES``): ``within_B_S_A`` (A: :data:`WITHIN_TESTS`; B 0.5: no lower bar)."""
    shipped = _gate(True, defaults.CLAIM_JOINT_MARGIN, defaults.CLAIM_JOINT_MIN_AGREEMENT,
                    defaults.CLAIM_SAME_PLACE_PROBABILITY, defaults.CLAIM_SAME_TARGET_PROBABILITY,
                    defaults.CLAIM_SAME_PLACE_ACT_PROBABILITY, defaults.CLAIM_SAME_PARTIES_ACT_PROBABILITY)
    return {"gated": _gate(False, 1.0, 1.0), **{
        f"within_{b:g}_{s:g}_{a}": {**shipped, "CLAIM_TOLD_WITHIN_PROBABILITY": b,
                                    "CLAIM_TOLD_WITHIN_SHARE": s, **test}
        for b in WITHIN_BARS for s in WITHIN_SHARES for a, test in enumerate(WITHIN_TESTS)}}


POINTS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)


def point_gates() -> dict[str, Gate]:
    """Session 16: the gate as shipped (joint assignment, shipped evidence bars) at other decision points
    of the matcher (``CLAIM_MATCH_PROBABILITY``; a candidate first stage is on another probability
    scale), each with the shipped place and parties bars or none: ``point_T_P_Q`` (an evidence bar at
    or above T is no lower bar)."""
    m, f = defaults.CLAIM_JOINT_MARGIN, defaults.CLAIM_JOINT_MIN_AGREEMENT
    out = {"gated": _gate(False, 1.0, 1.0)}
    for t in POINTS:
        for p in (defaults.CLAIM_SAME_PLACE_PROBABILITY, t):
            for q in (defaults.CLAIM_SAME_PARTIES_ACT_PROBABILITY, t):
                gate = _gate(True, m, f, min(p, t), t, t, min(q, t))
                out[f"point_{t:g}_{min(p, t):g}_{min(q, t):g}"] = {**gate, "CLAIM_MATCH_PROBABILITY": t}
    return out


EVIDENCE_BANDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 1.01)


def evidence_bands(stories: Sequence[StoryRuns]) -> dict[str, dict[str, int]]:
    """Per band of the matcher's probability, the run pairs the gate as shipped would join at that
    answer were it a yes (``meaning._pairable``), by group (one incident, one gold chain shared: right;
    one incident, none: wrong; the topic's two incidents: cross), and how many of those carry each kind
    of evidence on a statement pair the gate joins."""
    from newsfuse.fuse.claims import meaning

    matcher = claimmatch.packaged().first
    kinds = {"place": samefact.same_place, "target": samefact.same_target}
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for st, i, j, c, cross in labelled_pairs(stories):
        a, b = st.runs[i], st.runs[j]
        joins = meaning._pairable(a, b, defaults.CLAIM_JOINT_ASSIGN)
        if not joins:
            continue
        p = matcher.probability(a.text, b.text, c)
        band = next(f"{lo:g}-{min(hi, 1.0):g}" for lo, hi in itertools.pairwise(EVIDENCE_BANDS) if p < hi)
        group = "cross" if cross else "right" if _shared(st.chains[i], st.chains[j], cross) else "wrong"
        held_a, held_b = dict(a.holders), dict(b.holders)
        out[band][group] += 1
        for name, holds in kinds.items():
            if any(holds(held_a[x], held_b[y]) for x, y in joins):
                out[band][f"{name}_{group}"] += 1
    return {k: dict(v) for k, v in sorted(out.items())}


def evidence_kinds(xs: Sequence[Statement], ys: Sequence[Statement]) -> set[str]:
    """What could tell two clause runs' statements apart as two incidents, or say they are one, by
    kind: resolved event actors or targets that differ (any pair), the parties of the two runs disjoint
    (with one act shared too), amounts of one unit that differ and none agree, both runs dated and
    apart, whether both runs are dated or placed at all, one target and one place."""
    run = dict(zip(samefact.RUN_FEATURES, samefact.run_features(xs, ys), strict=True))
    found = {k for k in ("parties_disjoint", "same_act_parties_disjoint", "figures_differ_unit",
                         "run_dates_apart") if run[k]}
    events = [(x, y) for x in xs for y in ys if x.kind == y.kind == "event"]
    kinds = {"actors_differ": any(x.entity and y.entity and x.entity != y.entity for x, y in events),
             "targets_differ": any(x.target and y.target and x.target != y.target for x, y in events),
             "both_dated": any(x.date_start for x in xs) and any(y.date_start for y in ys),
             "same_target": any(samefact.same_target(x, y) for x, y in events),
             "same_place": any(samefact.same_place(x, y) for x in xs for y in ys),
             "both_placed": any(x.place for x in xs) and any(y.place for y in ys)}
    return found | {k for k, v in kinds.items() if v}


def labelled_pairs(stories: Sequence[StoryRuns]) -> Iterator[tuple[StoryRuns, int, int, float, bool]]:
    """The offered run pairs that gold can judge (both runs anchored in a chain, texts not equal), as
    (story, i, j, cosine, pair of the topic's two incidents), in a fixed order."""
    for st in stories:
        pairs = offered(st.runs, st.matrix, st.incidents if st.story.startswith("topic-") else None)
        for (i, j), c in sorted(pairs.items()):
            if st.runs[i].text == st.runs[j].text or not st.chains[i] or not st.chains[j]:
                continue
            yield st, i, j, c, st.incidents[i] != st.incidents[j]


def evidence_counts(stories: Sequence[StoryRuns]) -> dict[str, dict[str, int]]:
    """Per kind of :func:`evidence_kinds`, how many run pairs the matcher says yes to (at
    CLAIM_MATCH_PROBABILITY) carry it: pairs of a topic's two incidents (all wrong but a few), pairs of
    one incident sharing a gold chain (right) and not (wrong)."""
    matcher = claimmatch.packaged().first
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for st, i, j, c, cross in labelled_pairs(stories):
        a, b = st.runs[i], st.runs[j]
        if matcher.probability(a.text, b.text, c) < defaults.CLAIM_MATCH_PROBABILITY:
            continue
        kind = "two_incidents" if cross else (
            "one_incident_right" if _shared(st.chains[i], st.chains[j], cross) else "one_incident_wrong")
        out[kind]["pairs"] += 1
        for e in evidence_kinds([x for _, x in a.holders], [y for _, y in b.holders]):
            out[kind][e] += 1
    return {k: dict(v) for k, v in out.items()}


# -- what would recover the matcher's no answers (session 14, facts/ --why's largest cause) ---------

BARS = (0.5, 0.45, 0.4, 0.35, 0.3, 0.2, 0.1)


def bar_table(stories: Sequence[StoryRuns]) -> dict[str, np.ndarray]:
    """Every labelled offered pair with the matcher's probability, whether the meaning pass's gate as
    shipped gives it a join, and whether a statement pair it joins shares arguments
    (``samefact.shares_arguments``: one resolved party, one act)."""
    from newsfuse.fuse.claims import meaning

    matcher = claimmatch.packaged().first
    rows: dict[str, list[Any]] = defaultdict(list)
    for st, i, j, c, cross in labelled_pairs(stories):
        a, b = st.runs[i], st.runs[j]
        joins = meaning._pairable(a, b, defaults.CLAIM_JOINT_ASSIGN)
        held_a, held_b = dict(a.holders), dict(b.holders)
        rows["y"].append(int(bool(_shared(st.chains[i], st.chains[j], cross))))
        rows["p"].append(matcher.probability(a.text, b.text, c))
        rows["topic"].append(st.topic)
        rows["cross"].append(cross)
        rows["gate"].append(bool(joins))
        rows["arguments"].append(any(samefact.shares_arguments(held_a[x], held_b[y]) for x, y in joins))
    return {k: np.array(v) for k, v in rows.items()}


def run_bars(data: Path, topics: int | None) -> dict[str, Any]:
    """The gate as shipped with the matcher's bar lowered to each of :data:`BARS`, for every pair
    (``bar``) or only for pairs whose joined statements share arguments (``arguments``, the rest at
    CLAIM_MATCH_PROBABILITY); and the pairs the gate passes but the matcher says no to, by band."""
    d = bar_table(story_runs(data, "Train", topics))
    out: dict[str, Any] = {}
    usual = d["p"] >= defaults.CLAIM_MATCH_PROBABILITY
    for bar in BARS:
        for name, pred in (("bar", d["gate"] & (d["p"] >= bar)),
                           ("arguments", d["gate"] & (usual | (d["arguments"] & (d["p"] >= bar))))):
            s = out[f"{name}_{bar:g}"] = by_kind(pred.astype(int), d)
            a = s["all"]
            print(f"train {name:<9} {bar:<4g} P {a['precision']:.3f} R {a['recall']:.3f} F1 {a['f1']:.3f} "
                  f"joins {a['joins']:>5} two-incident joins {s['cross']['joins']}")
    for lo, hi in itertools.pairwise((0.0, 0.1, 0.3, 0.45, defaults.CLAIM_MATCH_PROBABILITY)):
        band = d["gate"] & (d["p"] >= lo) & (d["p"] < hi)
        n = out[f"said_no_{lo:g}_{hi:g}"] = {
            "pairs": int(band.sum()), "right": int((band & (d["y"] == 1)).sum()),
            "two_incidents": int((band & d["cross"]).sum()), "arguments": int((band & d["arguments"]).sum()),
            "arguments_right": int((band & d["arguments"] & (d["y"] == 1)).sum())}
        print(f"train said no {lo:g}-{hi:g}: " + " ".join(f"{k} {v}" for k, v in n.items()))
    return out


ACTS_FOR_BARS = (0.5, 0.4, 0.3, 0.2, 0.1)
ACTS_FOR_WEIGHTS = (0.0, 0.5, 1.0)


def acts_for_gates() -> dict[str, Gate]:
    """Session 19: the gate as shipped (joint assignment, evidence bars, told-within) with a lower matcher
    bar for one act to one target by two entities of one actor (``samefact.acts_for_parties_act``,
    ``CLAIM_ACTS_FOR_PARTIES_ACT_PROBABILITY``) and what such a pair scores in the joint assignment
    (``CLAIM_ACTS_FOR_AGREEMENT``): ``actsfor_B_W`` (B 0.5: no lower bar; W 0: as two actors)."""
    shipped = _gate(True, defaults.CLAIM_JOINT_MARGIN, defaults.CLAIM_JOINT_MIN_AGREEMENT,
                    defaults.CLAIM_SAME_PLACE_PROBABILITY, defaults.CLAIM_SAME_TARGET_PROBABILITY,
                    defaults.CLAIM_SAME_PLACE_ACT_PROBABILITY, defaults.CLAIM_SAME_PARTIES_ACT_PROBABILITY)
    shipped.update({k: getattr(defaults, k) for k in _GATE_SETTINGS if k.startswith("CLAIM_TOLD_WITHIN")})
    return {"gated": _gate(False, 1.0, 1.0), **{
        f"actsfor_{b:g}_{w:g}": {**shipped, "CLAIM_ACTS_FOR_PARTIES_ACT_PROBABILITY": b,
                                 "CLAIM_ACTS_FOR_AGREEMENT": w}
        for b in ACTS_FOR_BARS for w in ACTS_FOR_WEIGHTS}}


GATES: dict[str, Callable[[], dict[str, Gate]] | None] = {
    "joint": None, "evidence": evidence_gates, "incident": incident_gates, "point": point_gates,
    "combined": combined_gates, "within": within_gates, "actsfor": acts_for_gates}


def run_joint(data: Path, topics: int | None, k: int, kind: str = "joint", beta: float = 1.0,
              budget: bool = False) -> dict[str, Any]:
    """``kind``: ``evidence`` chooses the lower bars for one place and one target
    (:func:`evidence_gates`), ``incident`` those for one place, one act in one place and one act of
    the same two parties (:func:`incident_gates`), instead of margin and least agreement (``joint``);
    by F-``beta`` of run pairs, and with ``budget`` also by the budget criterion (:func:`budget_cv`)."""
    gates = GATES[kind]
    stories = story_runs(data, "Train", topics)
    table = joint_table(stories, gates() if gates else None)
    prefix = f"{kind}_"
    out = joint_cv(table, k, prefix, beta)
    out["criterion"] = f"F{beta:g}"
    out["shipped_gate"] = _shipped_name(kind)
    if budget:
        names = [g for g in table if g.startswith(prefix) and not g.endswith(("_right", "_wrong"))]
        out["budget_cv"] = budget_cv(names, lambda g: joint_decisions(table, g), table["y"], table["cross"],
                                     table["topic"], k, out["shipped_gate"])
    names = [g for g in table if g.startswith((prefix, "gated")) and not g.endswith(("_right", "_wrong"))]
    out["f_beta"] = {g: round(f_beta(joint_decisions(table, g), table["y"], beta), 4) for g in names}
    if kind == "evidence":
        out["evidence"] = evidence_counts(stories)
        for group, n in out["evidence"].items():
            print(f"train evidence {group:<20} " + " ".join(f"{e} {v}" for e, v in sorted(n.items())))
        out["bands"] = evidence_bands(stories)
        for band, n in out["bands"].items():
            print(f"train gate band {band:<8} " + " ".join(f"{e} {v}" for e, v in sorted(n.items())))
    for name in ("matcher", "gated", *(g for g in out if g.startswith((prefix, "joint_cv")))):
        s, st = out[name]["all"], out[name].get("statements", {})
        print(f"train {name:<14} P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f} joins "
              f"{s['joins']:>5} wrong {s['wrong_joins']:>5} (two incidents: joins "
              f"{out[name]['cross']['joins']}, wrong {out[name]['cross']['wrong_joins']}); statement "
              f"joins right {st.get('statement_joins_right', '-')} "
              f"wrong {st.get('statement_joins_wrong', '-')}"
              + (f" chosen {out[name]['chosen']}" if name == "joint_cv" else ""))
    print(f"train F{beta:g}: shipped {out['shipped_gate']} {out['f_beta'].get(out['shipped_gate'], '-')}, "
          f"out of fold {out['joint_cv']['f_beta']}")
    return out


def _shipped_name(kind: str) -> str:
    """The column of ``kind``'s grid the shipped settings are."""
    if kind == "joint":
        return _shipped_gate()
    if kind == "actsfor":
        return (f"actsfor_{min(defaults.CLAIM_ACTS_FOR_PARTIES_ACT_PROBABILITY, 0.5):g}_"
                f"{defaults.CLAIM_ACTS_FOR_AGREEMENT:g}")
    if kind == "within":
        return (f"within_{min(defaults.CLAIM_TOLD_WITHIN_PROBABILITY, 0.5):g}_"
                f"{defaults.CLAIM_TOLD_WITHIN_SHARE:g}_{_within_level()}")
    if kind == "combined":
        return (f"combined_{defaults.CLAIM_JOINT_MARGIN:g}_{defaults.CLAIM_JOINT_MIN_AGREEMENT:g}_"
                f"{defaults.CLAIM_SAME_PLACE_PROBABILITY:g}_{defaults.CLAIM_SAME_PARTIES_ACT_PROBABILITY:g}")
    if kind == "point":
        t = defaults.CLAIM_MATCH_PROBABILITY
        return (f"point_{t:g}_{min(defaults.CLAIM_SAME_PLACE_PROBABILITY, t):g}_"
                f"{min(defaults.CLAIM_SAME_PARTIES_ACT_PROBABILITY, t):g}")
    bars = [defaults.CLAIM_SAME_PLACE_PROBABILITY, defaults.CLAIM_SAME_TARGET_PROBABILITY]
    if kind == "incident":
        bars = [bars[0], defaults.CLAIM_SAME_PLACE_ACT_PROBABILITY,
                defaults.CLAIM_SAME_PARTIES_ACT_PROBABILITY]
    return f"{kind}_" + "_".join(f"{b:g}" for b in bars)


def _within_level() -> int:
    """The shipped told-within test as :func:`within_gates` names it (:data:`WITHIN_TESTS`)."""
    shipped = {k: getattr(defaults, k) for k in WITHIN_TESTS[0]}
    return next((n for n, test in enumerate(WITHIN_TESTS) if test == shipped), -1)


def use_matcher(path: Path | None) -> None:
    """Read the paraphrase matcher from ``path`` instead of the shipped ``matcher.json`` (a candidate
    first stage, e.g. ``train_claims.py --string-features --out PATH``) for this run."""
    if path is not None:
        claimmatch.MODEL_PATH = path
        claimmatch.packaged.cache_clear()


# -- fitting ---------------------------------------------------------------------------------------


def fit(x: np.ndarray, y: np.ndarray, c: float) -> claimmatch.Matcher:
    from sklearn.linear_model import LogisticRegression

    means, scales = x.mean(axis=0), x.std(axis=0)
    scales[scales == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=4000, class_weight="balanced").fit((x - means) / scales, y)
    return claimmatch.Matcher(tuple(means.tolist()), tuple(scales.tolist()),
                              tuple(model.coef_[0].tolist()), float(model.intercept_[0]))


def topic_folds(topics: np.ndarray, k: int) -> list[np.ndarray]:
    """Rows split by topic, topics dealt round-robin in sorted order into ``k`` folds."""
    order = sorted(set(topics.tolist()))
    return [np.nonzero(np.isin(topics, order[n::k]))[0] for n in range(k)]


def out_of_fold(d: dict[str, np.ndarray], c: float, k: int, columns: slice = slice(None),
                fit_on: np.ndarray | None = None) -> np.ndarray:
    """Out-of-fold probabilities of every row (folds by topic): a model of ``columns`` fitted with
    strength ``c`` on the other topics' rows (of those in ``fit_on`` when given)."""
    out = np.zeros(len(d["y"]))
    usable = np.ones(len(d["y"]), dtype=bool) if fit_on is None else fit_on
    for held in topic_folds(d["topic"], k):
        train = np.setdiff1d(np.nonzero(usable)[0], held)
        model = fit(d["x"][train][:, columns], d["y"][train], c)
        out[held] = [model.probability_of(row) for row in d["x"][held][:, columns]]
    return out


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean())


def best_threshold(p: np.ndarray, y: np.ndarray, grid: Sequence[float] = THRESHOLDS) -> float:
    """The decision point with the best F1 (ties: the higher, fewer joins)."""
    return max(grid, key=lambda t: (scores((p >= t).astype(int), y)["f1"], t))


def by_kind(pred: np.ndarray, d: dict[str, np.ndarray]) -> dict[str, dict[str, float]]:
    """Scores on all pairs, on the pairs of one incident, and on the pairs of a topic's two incidents
    (there nearly every pair is a negative: 'joins' is how many the rule would join, 'wrong' how many
    of those share no chain)."""
    out = {}
    for name, rows in (("all", np.ones(len(d["y"]), dtype=bool)), ("within", ~d["cross"]),
                       ("cross", d["cross"])):
        s: dict[str, float] = dict(scores(pred[rows], d["y"][rows]))
        s["pairs"], s["positive"] = int(rows.sum()), int(d["y"][rows].sum())
        s["joins"] = int(pred[rows].sum())
        s["wrong_joins"] = int((pred[rows] & (1 - d["y"][rows])).sum())
        out[name] = s
    return out


def _print(where: str, found: dict[str, dict[str, dict[str, float]]]) -> None:
    for name, kinds in found.items():
        for kind, s in kinds.items():
            print(f"{where} {name:<34} {kind:<6} pairs {s['pairs']:>5} (+{s['positive']:>4})  acc "
                  f"{s['accuracy']:.3f} P {s['precision']:.3f} R {s['recall']:.3f} F1 {s['f1']:.3f}  joins "
                  f"{s['joins']:>5} wrong {s['wrong_joins']:>5}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data", type=Path, help="folder laid out like ../shared/bench")
    ap.add_argument("--topics", type=int, help="first N ECB+ train topics (a quick run)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--pairs", choices=("topic", "story"), default="topic",
                    help="fit on the pairs of the product's stories and of each topic's two incidents "
                         "(topic, default), or of the product's stories only (story: session 11)")
    ap.add_argument("--out", type=Path, default=samefact.MODEL_PATH)
    ap.add_argument("--score-dev", action="store_true", help="score the fitted model once on ECB+ dev")
    ap.add_argument("--mutual", action="store_true",
                    help="measure mutual-best statements (fuse/claims/mutual.py) against the paraphrase "
                         "matcher on ECB+ train pairs by topic CV; nothing is fitted or written")
    ap.add_argument("--joint", action="store_true",
                    help="measure the joint assignment inside ambiguous run pairs (meaning._assigned, "
                         "CLAIM_JOINT_ASSIGN) on ECB+ train pairs by topic CV; with --score-dev the "
                         "shipped setting on ECB+ dev once; nothing is fitted or written")
    ap.add_argument("--evidence", action="store_true",
                    help="measure lower matcher bars for statement pairs in one place or on one target "
                         "(CLAIM_SAME_PLACE_PROBABILITY, CLAIM_SAME_TARGET_PROBABILITY) inside the meaning "
                         "pass's gate on ECB+ train pairs by topic CV; with --score-dev the bars chosen "
                         "most often and none on ECB+ dev once")
    ap.add_argument("--incident", action="store_true",
                    help="session 16: lower matcher bars for one place, one act in one place and one act "
                         "of the same two parties (CLAIM_SAME_PLACE_PROBABILITY, "
                         "CLAIM_SAME_PLACE_ACT_PROBABILITY, CLAIM_SAME_PARTIES_ACT_PROBABILITY) chosen "
                         "like --evidence; with --score-dev the chosen and shipped gates on ECB+ dev once")
    ap.add_argument("--point", action="store_true",
                    help="session 16: the matcher's decision point in the gate (CLAIM_MATCH_PROBABILITY) "
                         "with and without the shipped evidence bars, chosen like --evidence")
    ap.add_argument("--within", action="store_true",
                    help="session 17: a lower matcher bar for two runs one told within the other "
                         "(CLAIM_TOLD_WITHIN_PROBABILITY, _SHARE, _ACT) chosen like --evidence")
    ap.add_argument("--combined", action="store_true",
                    help="session 16: the joint assignment's margin and least agreement chosen together "
                         "with the place and parties bars, like --evidence")
    ap.add_argument("--actsfor", action="store_true",
                    help="session 19: choose the acts-for bar and agreement weight (CLAIM_ACTS_FOR_*) "
                    "by topic CV with the rest of the gate as shipped")
    ap.add_argument("--budget", action="store_true",
                    help="session 18: with --joint/--evidence/--incident/--point/--combined/--within, also "
                         "choose by the budget criterion (most gold pairs joined with no more joins of a "
                         "topic's two incidents and no lower one-incident precision than main's), per fold")
    ap.add_argument("--dev-also", default="",
                    help="with --score-dev: more gates of the grid to score on ECB+ dev (comma-separated)")
    ap.add_argument("--beta", type=float, default=1.0,
                    help="--joint/--evidence/--incident: choose gates by F-beta of run pairs (0.5: "
                         "precision weighed twice as much as recall)")
    ap.add_argument("--matcher", type=Path,
                    help="read the paraphrase matcher from this file instead of the shipped matcher.json")
    ap.add_argument("--bars", action="store_true",
                    help="the meaning gate as shipped at lower matcher bars (all pairs, or pairs sharing "
                         "arguments) on ECB+ train, and the matcher's no answers it passes by band")
    args = ap.parse_args(argv)
    use_matcher(args.matcher)
    started = time.perf_counter()
    if args.bars:
        found = run_bars(args.data, args.topics)
        found["seconds"] = round(time.perf_counter() - started, 1)
        print(json.dumps(found))
        return 0
    if (args.joint or args.evidence or args.incident or args.point or args.combined or args.within
            or args.actsfor):
        kind = ("incident" if args.incident else "point" if args.point else "combined" if args.combined
                else "within" if args.within else "actsfor" if args.actsfor
                else "evidence" if args.evidence else "joint")
        found = run_joint(args.data, args.topics, args.folds, kind, args.beta, args.budget)
        if args.score_dev:
            gates = GATES[kind]
            shown: tuple[str, ...] = (_shipped_gate(),)
            if gates:  # the gate without lower bars, the one the folds chose most often, the shipped
                picks = found["budget_cv" if args.budget else "joint_cv"]["chosen"]
                chosen = max(picks, key=picks.count)
                none = f"{kind}_" + "_".join("0.5" for _ in range(found["shipped_gate"].count("_")))
                if kind == "combined":  # the shipped joint assignment without lower bars
                    none = "_".join([*found["shipped_gate"].split("_")[:3], "0.5", "0.5"])
                if kind == "actsfor":  # the shipped gate without the acts-for bar and weight
                    none = "actsfor_0.5_0"
                if kind == "within":  # the shipped gate without the told-within bar
                    none = "_".join(["within", "0.5", *found["shipped_gate"].split("_")[2:]])
                also = [g for g in args.dev_also.split(",") if g]
                shown = tuple(dict.fromkeys((none, chosen, found["shipped_gate"], *also)))
            picked = {g: v for g, v in (gates() if gates else {}).items() if g in ("gated", *shown)}
            dev_table = joint_table(story_runs(args.data, "Dev", None), picked or None)
            dev = joint_cv(dev_table, args.folds, f"{kind}_", args.beta)
            found["dev"] = {g: dev[g] for g in ("matcher", "gated", *shown)}
            _print("ECB+ dev", {g: {x: dev[g][x] for x in ("all", "within", "cross")} for g in found["dev"]})
            for g in found["dev"]:
                print(f"ECB+ dev {g} statement joins {dev[g].get('statements', {})}")
            for g in ("gated", *shown):
                dev[g]["f_beta"] = round(f_beta(joint_decisions(dev_table, g), dev_table["y"], args.beta), 4)
                print(f"ECB+ dev {g} F{args.beta:g} {dev[g]['f_beta']}")
                if args.budget:  # the budget criterion's counts on dev (nothing chosen there)
                    dev[g]["budget"] = budget_summary(joint_decisions(dev_table, g), dev_table["y"],
                                                      dev_table["cross"], dev_table["topic"])
                    print(f"ECB+ dev {g} budget {dev[g]['budget']}")
        found["seconds"] = round(time.perf_counter() - started, 1)
        print(json.dumps(found))
        return 0
    if args.mutual:
        found = run_mutual(args.data, args.topics, args.folds)
        found["seconds"] = round(time.perf_counter() - started, 1)
        print(json.dumps(found))
        return 0
    train = cached(args.data, "Train", args.topics)
    y, story = train["y"], train["story"]
    fit_on = story if args.pairs == "story" else np.ones(len(y), dtype=bool)
    print(f"train pairs {len(y)} (positive {int(y.sum())}, of two incidents {int(train['cross'].sum())}, "
          f"below the cosine floor {int(train['below_floor'].sum())}, "
          f"topics {len(set(train['topic'].tolist()))})")
    # C by log loss and the decision point by F1, each of out-of-fold probabilities of the pairs the
    # model is fitted on (the decision is the product's over whatever pairs a story offers)
    tried = {c: out_of_fold(train, c, args.folds, fit_on=fit_on) for c in C_GRID}
    losses = {c: log_loss(p[fit_on], y[fit_on]) for c, p in tried.items()}
    c = min(C_GRID, key=lambda v: (losses[v], -abs(np.log10(v))))
    oof = tried[c]
    threshold = best_threshold(oof[fit_on], y[fit_on])
    cos_t = best_threshold(train["cos"], y, tuple(round(x, 2) for x in np.arange(0.1, 0.91, 0.05)))
    # peers, each scored on the same out-of-fold rows: the session-11 model (its features and C, fitted on
    # the stories' pairs only, decision point 0.5), the paraphrase matcher and the cosine
    s11 = out_of_fold(train, S11_C, args.folds, slice(0, S11_COLUMNS), story)
    predicted = {"same_fact_model": (oof >= threshold).astype(int),
                 "session_11_model": (s11 >= S11_THRESHOLD).astype(int),
                 "paraphrase_matcher_at_0.5": (train["msrp"] >= 0.5).astype(int),
                 f"cosine_at_{cos_t}": (train["cos"] >= cos_t).astype(int)}
    cv = {name: by_kind(pred, train) for name, pred in predicted.items()}
    _print("train CV", cv)
    model = samefact.SameFact(fit(train["x"][fit_on], y[fit_on], c))
    args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    out: dict[str, Any] = {"pairs": args.pairs, "c": c,
                           "log_loss": {str(k): round(v, 4) for k, v in losses.items()},
                           "threshold": threshold, "cosine_threshold": cos_t,
                           "train_pairs": len(y), "train_positive": int(y.sum()),
                           "train_cross": int(train["cross"].sum()), "cv": cv,
                           "weights": dict(zip(samefact.FEATURES, (round(w, 3) for w in model.model.weights),
                                               strict=True))}
    if args.score_dev:
        dev = cached(args.data, "Dev", None)
        old = fit(train["x"][story][:, :S11_COLUMNS], y[story], S11_C)
        p = np.array([model.model.probability_of(row) for row in dev["x"]])
        q = np.array([old.probability_of(row) for row in dev["x"][:, :S11_COLUMNS]])
        out["dev"] = {name: by_kind(pred, dev) for name, pred in (
            ("same_fact_model", (p >= threshold).astype(int)),
            ("session_11_model", (q >= S11_THRESHOLD).astype(int)),
            ("paraphrase_matcher_at_0.5", (dev["msrp"] >= 0.5).astype(int)),
            (f"cosine_at_{cos_t}", (dev["cos"] >= cos_t).astype(int)))}
        _print("ECB+ dev", out["dev"])
    out["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
