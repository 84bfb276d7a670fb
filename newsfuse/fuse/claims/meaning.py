"""Claims matched by meaning: two articles' sentences saying the same thing in other words.

The word-level alignment (:mod:`~newsfuse.fuse.claims.align`) joins statements worded alike or
sharing a trigger word and actors. It misses what reporters reword: a paraphrase, active against
passive, a nominalised event ('Biden's decision to allow' / 'Biden authorized'), a rounded figure.
This pass joins the aligned clusters whose sentences the learned matcher
(:mod:`~newsfuse.fuse.claims.match`) calls the same fact:

1. every sentence holding a statement gets a vector (:class:`~newsfuse.fuse.claims.vectors.SentenceVectors`,
   kept per article);
2. each sentence is compared with its nearest sentences of *other* articles
   (``defaults.CLAIM_MATCH_NEIGHBOURS``, cosine at least ``defaults.CLAIM_MATCH_MIN_COSINE``) and,
   whatever the cosine, with those whose statements share a resolved actor and act
   (``defaults.CLAIM_ARGUMENT_PAIRS_MAX`` per story) or do one act in one resolved place
   (``defaults.CLAIM_PLACE_ACT_PAIRS_MAX``); the same-fact model of one story
   (:mod:`~newsfuse.fuse.claims.samefact`: the texts and what the product read of their statements)
   decides (``defaults.CLAIM_SAME_FACT_PROBABILITY``), or, when it is not shipped or switched off,
   the paraphrase matcher (``defaults.CLAIM_MATCH_PROBABILITY``), whose cross-encoder reads at most
   ``defaults.CLAIM_CROSS_ENCODER_PAIRS_MAX`` uncertain pairs per fuse (:func:`cross_encoder_reads`),
   together and each pair once (:func:`_read_ahead`: its logits are kept, in the store too);
3. a matched pair joins the clusters of its two clause runs that can state one fact: events with
   events or quotes, quotes of one speaker (or an unnamed one), amounts whose figures agree (rounding
   is agreement), never statements of opposite stance; and only when the partner is unambiguous
   (a run holding two facts against another holding both joins neither) or, with
   ``defaults.CLAIM_JOINT_ASSIGN``, clearly the statement that agrees most (:func:`_assigned`: same
   act and parties, by ``defaults.CLAIM_JOINT_MARGIN`` over every rival); a statement pair carrying
   evidence of one incident (one place, one target, one act in one place, one act of the same actor
   and target) joins at a lower bar (:func:`joined`: ``defaults.CLAIM_SAME_PLACE_PROBABILITY``,
   ``CLAIM_SAME_TARGET_PROBABILITY``, ``CLAIM_SAME_PLACE_ACT_PROBABILITY``,
   ``CLAIM_SAME_PARTIES_ACT_PROBABILITY``; one act to one target by one actor named two ways,
   :mod:`~.actsfor`: ``CLAIM_ACTS_FOR_PARTIES_ACT_PROBABILITY``, off as shipped), and so does a
   pair of runs one told within the other (one fact, more detail: :func:`~.samefact.told_within`,
   ``CLAIM_TOLD_WITHIN_PROBABILITY``, off as shipped) whose statements do one act;
4. pairs are taken most probable first, and two clusters never join when an article has statements
   in both (one article telling two facts keeps them two claims, however alike another outlet's
   sentence is to each), nor when both hold quotes of one speaker (the quote relation compared that
   speaker's words and found two statements);
5. with ``defaults.CLAIM_MUTUAL_BEST`` (off as shipped), two articles' statements that are each
   other's best match (:mod:`~newsfuse.fuse.claims.mutual`: one report tells a fact once) then join
   at the lower bar ``defaults.CLAIM_MUTUAL_PROBABILITY``, best first, under the same refusals.

The order of articles changes nothing: pairs are ordered by probability and sentence names.
"""

from __future__ import annotations

import functools
import itertools
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from newsfuse import defaults
from newsfuse.fuse.claims import match as claimmatch
from newsfuse.fuse.claims import mutual, samefact
from newsfuse.fuse.claims import pairs as claimpairs
from newsfuse.fuse.claims.align import Member
from newsfuse.fuse.claims.guessed import one_claim
from newsfuse.fuse.claims.lru import PerObject
from newsfuse.fuse.claims.statements import Statement, sentence_around
from newsfuse.fuse.claims.vectors import SentenceKey, SentenceVectors

if TYPE_CHECKING:
    from newsfuse.store import Store

_JOINABLE_CHECK_MAX = 2000  # clusters past which :func:`_joinable` assumes a join is possible
_MATCHED_KINDS = frozenset({"event", "quote", "amount"})
# Where a sentence's clauses meet: a comma, semicolon, colon or dash, or a conjunction that opens a
# clause of its own ('while', 'although', 'prompting').
CLAUSE_BREAK = re.compile(r"[,;:]\s+|\s+[\u2014\u2013]\s+|\s+(?=(?:while|although|whereas|prompting)\b)")


@dataclass(frozen=True, slots=True)
class _Sentence:
    key: SentenceKey  # the unit compared: a clause (or a run of clauses) of a sentence
    text: str
    holders: tuple[tuple[int, Statement], ...]  # (cluster number, statement) of the clauses it states
    # what _pairable reads of it (:func:`pair_profile`): set by the chain join at its first use and kept
    # with the sentence (the kept lists reuse it between fuses), not made again every fuse
    profile: Hashable = field(default=None, compare=False)


def sentence_key(s: Statement) -> SentenceKey:
    """The sentence a statement is read from (a quote's is the sentence around speaker and words)."""
    if s.kind == "quote":
        start, end = sentence_around(s.article.text, s.span.start, s.span.end)
        return (s.article.id, start, end)
    return (s.article.id, s.span.start, s.span.end)


def units(s: Statement) -> list[SentenceKey]:
    """The clause runs a statement is compared by (:func:`runs_of`), as a new list (not kept: callers
    pass statements made for one call, a quote's cue as an event)."""
    return list(runs_of(s))


def runs_of(s: Statement) -> tuple[SentenceKey, ...]:
    """The clause runs a statement is compared by: the clause holding it alone, with the clause
    before, with the one after, and with both (a sentence of one to three clauses is itself one).

    News sentences carry a fact and more ('Putin has warned that such strikes would mean NATO's
    direct involvement, prompting Russia to seek ...'): a whole-sentence matcher sees two sentences
    that differ; the clause that states the fact is what another outlet rewords."""
    article, start, end = sentence_key(s)
    anchor = min(max(s.at if s.kind != "quote" else s.span.start, start), max(start, end - 1))
    return _units(article, s.article.text, start, end, anchor)


# Kept per statement object between fuses (a re-fuse of a big story passes the same ~20,000 again).
_runs = PerObject(defaults.CLAIM_STATEMENT_RUNS_KEPT, runs_of)
_argument_keys = PerObject(defaults.CLAIM_STATEMENT_RUNS_KEPT, samefact.argument_keys)


def forget() -> None:
    """Drop what this module keeps between fuses (a fresh process's state, for tests and benches)."""
    MEANING_SENTENCES.clear()
    CHAIN_SENTENCES.clear()
    _runs.clear()
    _argument_keys.clear()
    GROUP_PAIRS.clear()
    _unit_text.cache_clear()


@functools.lru_cache(maxsize=1 << 15)  # a story re-fused after one new article asks again for the rest
def _units(article: str, text: str, start: int, end: int, anchor: int) -> tuple[SentenceKey, ...]:
    cuts = [start] + [m.end() for m in CLAUSE_BREAK.finditer(text, start, end)] + [end]
    bounds = [(a, b) for a, b in itertools.pairwise(cuts) if b > a]
    if not bounds:
        return ((article, start, end),)
    k = next((n for n, (a, b) in enumerate(bounds) if a <= anchor < b), len(bounds) - 1)
    out = []
    for lo, hi in ((k, k), (k - 1, k), (k, k + 1), (k - 1, k + 1)):
        if lo < 0 or hi >= len(bounds):
            continue
        unit = (article, bounds[lo][0], bounds[hi][1])
        words = len(text[unit[1]:unit[2]].split())
        if words >= defaults.CLAIM_UNIT_MIN_WORDS and unit not in out:
            out.append(unit)
    return tuple(out) or ((article, start, end),)


def join_by_meaning(clusters: Sequence[list[Member]], vectors: SentenceVectors) -> list[list[Member]]:
    """``clusters`` with those stating one fact in other words joined (members in cluster order)."""
    sentences = _sentences(clusters, MEANING_SENTENCES)
    if len(sentences) < 2 or not _joinable(clusters, sentences):
        return list(clusters)  # nothing could join: no sentence needs a vector
    matrix = vectors.of([x.key for x in sentences], [x.text for x in sentences])
    scored = _scored(sentences, matrix, vectors.store)
    joins = _Joins(clusters)
    lowered = samefact.packaged() is None  # the evidence bars are the paraphrase matcher's
    rarity = story_rarity(sentences)
    for p, threshold, i, j in sorted(scored, key=lambda m: (-m[0], m[2], m[3])):
        for c, d in joined(sentences[i], sentences[j], p, threshold, lowered, rarity):
            joins.join(c, d)
    # then statements of two articles that are each other's best match, at the lower bar: the mutual
    # test says which statement is whose partner, where _pairable finds a run pair ambiguous
    for ((c, _), (d, _)), p in _mutual(sentences, scored).items():
        if p >= defaults.CLAIM_MUTUAL_PROBABILITY:
            joins.join(c, d)
    return joins.result()


def join_mutual(clusters: Sequence[list[Member]], vectors: SentenceVectors) -> list[list[Member]]:
    """``clusters`` with two articles' statements that are each other's best match joined at
    ``defaults.CLAIM_MUTUAL_PROBABILITY`` (whatever ``CLAIM_MUTUAL_BEST`` says), as a pass of its own:
    run after the passes that join by other evidence (one speaker's quotes, one coreference chain), a
    statement's best partner cannot take the place of what they would join. The matcher's answers are
    kept between passes (``pairs.MEMO``), so asking again costs little."""
    sentences = _sentences(clusters)
    if len(sentences) < 2 or not _joinable(clusters, sentences):
        return list(clusters)
    matrix = vectors.of([x.key for x in sentences], [x.text for x in sentences])
    scored = _scored(sentences, matrix, vectors.store)
    joins = _Joins(clusters)
    for ((c, _), (d, _)), p in _best_partners(sentences, scored).items():
        if p >= defaults.CLAIM_MUTUAL_PROBABILITY:
            joins.join(c, d)
    return joins.result()


def _mutual(sentences: Sequence[_Sentence], scored: Sequence[tuple[float, float, int, int]]
            ) -> dict[tuple[mutual.Node, mutual.Node], float]:
    """The statements of two articles that are each other's best match (:mod:`~.mutual`) with their
    score, over every pair decided in the story (none when ``defaults.CLAIM_MUTUAL_BEST`` is off)."""
    return _best_partners(sentences, scored) if defaults.CLAIM_MUTUAL_BEST else {}


def _best_partners(sentences: Sequence[_Sentence], scored: Sequence[tuple[float, float, int, int]]
                   ) -> dict[tuple[mutual.Node, mutual.Node], float]:
    return mutual.mutual_best(((p, i, j) for p, _, i, j in scored), [x.holders for x in sentences],
                              _compatible)


def _sentences(clusters: Sequence[list[Member]], kept: _SentenceLists | None = None) -> list[_Sentence]:
    """The compared sentences of ``clusters`` (clause runs of the statements that state their
    cluster's fact), in key order, each with the (cluster, statement) pairs it holds. A run belongs to
    one article, so the list is each article's part in article order; ``kept``: the parts of the last
    call, reused for an article whose (cluster, statement) pairs are the same (a story re-fused after
    one new article rebuilds that article's part and those of articles whose clusters were renumbered
    or changed, not the story's every run)."""
    per: dict[str, list[tuple[int, Statement]]] = {}
    for n, members in enumerate(clusters):
        lead = members[0][0]
        kind, type_, trigger = lead.kind, lead.type, lead.trigger
        if kind not in _MATCHED_KINDS:
            continue  # _leads: a statement of another kind never states the claim's fact
        for s, stance, _ in members:
            # _leads inlined (called for every member of a big story, twice a fuse)
            if s.kind == kind and stance != "differs" and (kind != "event" or s.type == type_
                                                           or s.trigger == trigger):
                found = per.get(s.article.id)
                if found is None:
                    per[s.article.id] = [(n, s)]
                else:
                    found.append((n, s))
    out: list[_Sentence] = []
    for article in sorted(per):
        out += _article_sentences(per[article]) if kept is None else kept.of(article, per[article])
    if kept is not None:
        kept.done()
    return out


def _article_sentences(held_by: Sequence[tuple[int, Statement]]) -> list[_Sentence]:
    """One article's compared sentences (key order) from its (cluster, statement) pairs in cluster
    order: a run's holders are the first statement of each cluster stating it."""
    held: dict[SentenceKey, dict[int, Statement]] = {}
    for n, s in held_by:
        for key in _runs(s):
            held.setdefault(key, {}).setdefault(n, s)
    out = []
    for key in sorted(held):
        holders = held[key]
        article = next(iter(holders.values())).article
        text = _unit_text(article.text[key[1]:key[2]])
        if text:
            # most runs hold one statement: no sort needed for one (cluster, statement)
            ordered = tuple(holders.items()) if len(holders) == 1 else tuple(sorted(holders.items(),
                                                                                     key=_first))
            out.append(_Sentence(key, text, ordered))
    return out


def pair_profile(holders: Sequence[tuple[int, Statement]]) -> Hashable:
    """What :func:`_pairable` reads of a sentence: its holding clusters and, of each holder's
    statement, the fields :func:`_compatible` compares (keep the two in step)."""
    return tuple((c, (s.kind, s.stance, s.entity, s.described, s.unit, s.value, s.text.split(":", 1)[0],
                      s.guessed, s.target))
                 for c, s in holders)


class _SentenceLists:
    """Each article's compared sentences of one pass's last calls, with the (cluster number, statement)
    pairs they were built from: an article whose pairs are the same objects under the same numbers
    gets the same sentences. The pairs hold the statements, so an identity compared is never reused;
    ``defaults.CLAIM_SENTENCE_LISTS_KEPT`` pairs at most (least recently used articles dropped first),
    and at most ``size`` articles (a watch's refresh process sets it from its byte budget: the pairs
    keep their statements, and so their analyses, alive after the statements cache dropped them)."""

    def __init__(self) -> None:
        self._kept: OrderedDict[str, tuple[list[tuple[int, Statement]], list[_Sentence]]] = OrderedDict()
        self._lock = threading.Lock()  # the API may fuse stories from several threads
        self.pairs = 0
        self.size: int | None = None  # articles kept at most (None: bounded by pairs only)
        self.reused = self.built = 0

    def of(self, article: str, pairs: list[tuple[int, Statement]]) -> list[_Sentence]:
        """The article's sentences from ``pairs``: the kept ones when built from the same pairs."""
        with self._lock:
            found = self._kept.pop(article, None)
            if found is not None:
                self.pairs -= len(found[0])
        if found is not None and len(found[0]) == len(pairs) and all(
                a[0] == b[0] and a[1] is b[1] for a, b in zip(found[0], pairs, strict=True)):
            self.reused += 1
            made = found[1]
        else:
            self.built += 1
            made = _article_sentences(pairs)
        with self._lock:
            self._kept[article] = (pairs, made)
            self.pairs += len(pairs)
        return made

    def done(self) -> None:
        """Hold the kept parts to the bound (least recently used articles dropped first)."""
        with self._lock:
            while self._kept and (self.pairs > defaults.CLAIM_SENTENCE_LISTS_KEPT
                                  or (self.size is not None and len(self._kept) > self.size)):
                _, (gone, _) = self._kept.popitem(last=False)
                self.pairs -= len(gone)

    def keep_at_most(self, n: int | None) -> None:
        """At most ``n`` articles kept from now on (None: bounded by pairs only), dropped at once."""
        self.size = n
        self.done()

    def entries(self) -> list[tuple[list[tuple[int, Statement]], list[_Sentence]]]:
        """What each kept article holds (its pairs and sentences), for sizing."""
        with self._lock:
            return list(self._kept.values())

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self.pairs = self.reused = self.built = 0


# The meaning pass's and the chain join's (their clusters are numbered apart: each keeps its own).
MEANING_SENTENCES = _SentenceLists()
CHAIN_SENTENCES = _SentenceLists()


def _first(item: tuple[int, Statement]) -> int:
    return item[0]


@functools.lru_cache(maxsize=1 << 15)  # a re-fused story asks again for the same runs (two passes a fuse)
def _unit_text(run: str) -> str:
    """A clause run's words, spaces folded, without the punctuation it was cut at."""
    return " ".join(run.split()).strip(" ,;:")


def _joinable(clusters: Sequence[list[Member]], sentences: Sequence[_Sentence]) -> bool:
    """Whether any two clusters holding compared sentences could join: :class:`_Joins` never joins two
    clusters an article has statements in, so a story whose such clusters all share articles (wire
    copies of one text, a story of one article) joins nothing, whatever the vectors say."""
    held = sorted({n for x in sentences for n, _ in x.holders})
    sets = [CLUSTER_ARTICLES.of(clusters[n]) for n in held]
    everyone = frozenset().union(*sets) if sets else frozenset()
    rest = [x for x in sets if x != everyone]  # a cluster every article is in meets every other one
    if len(rest) < 2:
        return False
    if len(rest) > _JOINABLE_CHECK_MAX:
        return True  # a big story: checking every pair costs more than it could save
    return any(a.isdisjoint(b) for a, b in itertools.combinations(rest, 2))


def _leads(s: Statement, lead: Statement) -> bool:
    """Whether ``s`` states what its claim states (the claim's first statement or one aligned with it),
    not a statement fact-linked to it (an event inside a quote, the amount an event carries): a claim
    is joined by what it says, never through a detail another fact shares."""
    if s.kind != lead.kind:
        return False
    return s.kind != "event" or s.type == lead.type or s.trigger == lead.trigger


def _matched(sentences: Sequence[_Sentence], matrix: np.ndarray) -> list[tuple[float, int, int]]:
    """(probability, i, j) of sentence pairs of different articles the model calls one fact."""
    return [(p, i, j) for p, threshold, i, j in _scored(sentences, matrix) if p >= threshold]


def _scored(sentences: Sequence[_Sentence], matrix: np.ndarray, store: Store | None = None
            ) -> list[tuple[float, float, int, int]]:
    """(probability, the threshold it must reach, i, j) of every offered sentence pair of different
    articles (copied sentences left out: the word-level alignment decided them).

    Each sentence is offered with its nearest ``defaults.CLAIM_MATCH_NEIGHBOURS`` sentences of other
    articles (:data:`~newsfuse.fuse.claims.pairs.NEIGHBOURS`: for a story re-fused after one new
    article, only the new sentences are compared with all) at or above ``CLAIM_MATCH_MIN_COSINE``,
    and with the sentences whose statements share its actor and act (:func:`_argument_pairs`) or do
    one act in one place (:func:`_place_act_pairs`), whatever their cosine. Each pair is decided
    once: by the same-fact model of one story (:mod:`~newsfuse.fuse.claims.samefact`) when shipped,
    else by the paraphrase matcher (the cross-encoder's logits it will read are read first, together:
    :func:`_read_ahead`; ``store``: where they are kept besides this process)."""
    _, codes = _numbered([x.key[0] for x in sentences])
    # Wire copies repeat sentences: cosines are computed between distinct texts and spread to their
    # copies, so a story of copies costs what its distinct sentences cost.
    first, texts = _numbered([x.text for x in sentences])
    near, cos = claimpairs.NEIGHBOURS.nearest([(x.key, x.text) for x in sentences], codes, texts,
                                              matrix[first], defaults.CLAIM_MATCH_NEIGHBOURS)
    if samefact.packaged() is None:
        return _scored_by_text(sentences, matrix, texts, near, cos, store)
    offered: dict[tuple[int, int], float] = {}
    rows, cols = np.nonzero(cos >= defaults.CLAIM_MATCH_MIN_COSINE)
    for i, n in zip(rows.tolist(), cols.tolist(), strict=True):
        j = int(near[i, n])
        offered.setdefault((min(i, j), max(i, j)), float(cos[i, n]))
    for pair, c in [*_argument_pairs(sentences, matrix), *_place_act_pairs(sentences, matrix)]:
        offered.setdefault(pair, c)
    reads = cross_encoder_reads(sentences, offered, texts)
    _read_ahead(sentences, offered, texts, reads, store)
    decide = _decider(reads)
    out: list[tuple[float, float, int, int]] = []
    asked: dict[tuple[object, ...], float] = {}  # one text pair, one cosine: each decided once
    for pair, c in sorted(offered.items()):
        if texts[pair[0]] == texts[pair[1]]:
            continue  # a copied sentence: the word-level alignment already decided it
        a, b = sentences[pair[0]], sentences[pair[1]]
        p, threshold = decide(a, b, c, (texts[pair[0]], texts[pair[1]]), asked)
        out.append((p, threshold, *pair))
    return out


def _read_ahead(sentences: Sequence[_Sentence], offered: dict[tuple[int, int], float], texts: np.ndarray,
                reads: frozenset[tuple[int, int]] | None, store: Store | None) -> None:
    """The cross-encoder's logits of the offered pairs its second stage will read in this fuse (the
    first stage unsure, the pair among ``reads``, its answer not kept from an earlier fuse), read in
    one call before the pairs are decided one by one (each then finds its logit kept): pairs of like
    length batched, none read twice (:func:`~.crossencoder.pair_logits`, kept in ``store`` too)."""
    if not _reads_limited():
        return
    matcher = claimmatch.packaged()
    assert isinstance(matcher, claimmatch.TwoStage)  # _reads_limited: two stages, switched on
    ask: dict[tuple[int, int], tuple[str, str]] = {}
    for (i, j), c in offered.items():
        pair = (int(min(texts[i], texts[j])), int(max(texts[i], texts[j])))
        if pair[0] == pair[1] or pair in ask or (reads is not None and pair not in reads):
            continue
        a, b = sentences[i].text, sentences[j].text
        if claimpairs.MEMO.holds(matcher, a, b, c):
            continue  # decided in an earlier fuse: its answer is kept, nothing is read
        if matcher.uncertain(claimpairs.MEMO.first_stage(matcher.first, a, b, c)):
            ask[pair] = (a, b)
    if ask:
        from newsfuse.fuse.claims import crossencoder  # torch loads only when a pair needs it

        crossencoder.pair_logits(list(ask.values()), store if defaults.CLAIM_CROSS_LOGITS_STORED else None)


def _numbered(values: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(the first position of each distinct value, a number per value: its distinct value's, in
    order of first appearance). Only equality of the numbers is read (which text, which article), so
    any numbering would do; this one costs a dict lookup per value, where sorting them as a numpy
    string array (each padded to the longest sentence) cost ~0.15 s in a story of 20,000 runs."""
    seen: dict[str, int] = {}
    numbers = np.fromiter((seen.setdefault(v, len(seen)) for v in values), dtype=np.int64, count=len(values))
    first = np.full(len(seen), len(values), dtype=np.int64)
    np.minimum.at(first, numbers, np.arange(len(values), dtype=np.int64))
    return first, numbers


def _reads_limited() -> bool:
    """Whether the matcher's second stage runs (two stages shipped and switched on): then
    :func:`cross_encoder_reads` may choose the pairs the cross-encoder reads, and :func:`_read_ahead`
    reads them."""
    matcher = claimmatch.packaged()
    return (isinstance(matcher, claimmatch.TwoStage) and matcher.second is not None
            and defaults.CLAIM_MATCH_CROSS_ENCODER)


def _scored_by_text(sentences: Sequence[_Sentence], matrix: np.ndarray, texts: np.ndarray,
                    near: np.ndarray, cos: np.ndarray, store: Store | None = None
                    ) -> list[tuple[float, float, int, int]]:
    """:func:`_scored` when the paraphrase matcher decides every pair (the same-fact model off): its
    decision is a function of the two texts and the cosine, so the offered pairs (a big story of
    copies offers ~120,000) are gathered as arrays and each distinct (text, text, cosine) is asked
    once, in the order the plain loop would first ask it. The pairs, cosines and answers are those of
    that loop; only the Python work per pair is gone. With the cross-encoder switched on, the pairs it
    may read are chosen among the distinct ones (:func:`cross_encoder_reads`) and read first, together
    (:func:`_read_ahead`)."""
    lo, hi, c = _offered(sentences, matrix, near, cos)
    differ = texts[lo] != texts[hi]  # a copied sentence: the word-level alignment already decided it
    lo, hi, c = lo[differ], hi[differ], c[differ]
    if not len(lo):
        return []
    # One key per (text, text, cosine); zero's sign folded (0.0 and -0.0 are one dict key).
    keys = np.stack([texts[lo], texts[hi], (c + 0.0).view(np.int64)], axis=1)
    _, firsts, which = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    asking = np.argsort(firsts)  # asked in pair order, as the loop asks (the memo's recency follows it)
    reads = None
    if _reads_limited():
        distinct = {(int(lo[firsts[n]]), int(hi[firsts[n]])): float(c[firsts[n]]) for n in asking.tolist()}
        reads = cross_encoder_reads(sentences, distinct, texts)
        _read_ahead(sentences, distinct, texts, reads, store)
    decide = _paraphrase_decider(reads)
    asked: dict[tuple[object, ...], float] = {}
    answers = np.empty((len(firsts), 2), dtype=np.float64)
    for n in asking.tolist():
        i, j = int(lo[firsts[n]]), int(hi[firsts[n]])
        answers[n] = decide(sentences[i], sentences[j], float(c[firsts[n]]),
                            (int(texts[i]), int(texts[j])), asked)
    probability, threshold = answers[which.ravel(), 0], answers[which.ravel(), 1]
    return list(zip(probability.tolist(), threshold.tolist(), lo.tolist(), hi.tolist(), strict=True))


def _offered(sentences: Sequence[_Sentence], matrix: np.ndarray, near: np.ndarray, cos: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, rows, cosines) of the offered pairs, lower row first, ordered by the pair: each
    sentence's near neighbours at or above ``CLAIM_MATCH_MIN_COSINE`` (a pair offered from both of its
    sentences keeps the cosine met first, row by row), then the argument pairs not offered already."""
    rows, cols = np.nonzero(cos >= defaults.CLAIM_MATCH_MIN_COSINE)
    partner = near[rows, cols]
    lo, hi = np.minimum(rows, partner), np.maximum(rows, partner)
    values = cos[rows, cols].astype(np.float64)
    extra = [*_argument_pairs(sentences, matrix), *_place_act_pairs(sentences, matrix)]
    if extra:
        lo = np.concatenate([lo, np.array([p[0] for p, _ in extra], dtype=np.int64)])
        hi = np.concatenate([hi, np.array([p[1] for p, _ in extra], dtype=np.int64)])
        values = np.concatenate([values, np.array([x for _, x in extra], dtype=np.float64)])
    _, first = np.unique(lo.astype(np.int64) * len(sentences) + hi, return_index=True)
    return lo[first].astype(np.int64), hi[first].astype(np.int64), values[first]


_Decide = Callable[[_Sentence, _Sentence, float, tuple[int, int], dict[tuple[object, ...], float]],
                   tuple[float, float]]


def cross_encoder_reads(sentences: Sequence[_Sentence], offered: dict[tuple[int, int], float],
                        texts: np.ndarray) -> frozenset[tuple[int, int]] | None:
    """The text pairs (``texts`` numbers, lower first) the cross-encoder may read in this fuse; None:
    every pair the first stage leaves uncertain. A cost bound: when more than
    ``defaults.CLAIM_CROSS_ENCODER_PAIRS_MAX`` offered pairs are uncertain, those whose first-stage
    probability is nearest the decision point are read (ties by their texts) and the first stage
    decides the rest. Chosen from the story's own pairs, so the order articles arrived in changes
    nothing."""
    matcher = claimmatch.packaged()
    limit = defaults.CLAIM_CROSS_ENCODER_PAIRS_MAX
    two_stages = isinstance(matcher, claimmatch.TwoStage) and matcher.second is not None
    if not two_stages or not defaults.CLAIM_MATCH_CROSS_ENCODER or len(offered) <= limit:
        return None
    unsure: dict[tuple[int, int], tuple[float, str, str]] = {}
    for (i, j), c in offered.items():
        pair = (int(min(texts[i], texts[j])), int(max(texts[i], texts[j])))
        if pair[0] == pair[1] or pair in unsure:
            continue
        a, b = sorted((sentences[i].text, sentences[j].text))
        # kept as the first stage's answer (a pair left to it is decided by it: the same memo entry),
        # so a big story's re-fuse does not score all its pairs again to choose the ones read
        p = claimpairs.MEMO.first_stage(matcher.first, sentences[i].text, sentences[j].text, c)
        if matcher.uncertain(p):
            unsure[pair] = (abs(p - defaults.CLAIM_MATCH_PROBABILITY), a, b)
    if len(unsure) <= limit:
        return None
    return frozenset(sorted(unsure, key=unsure.__getitem__)[:limit])


def _decider(reads: frozenset[tuple[int, int]] | None = None) -> _Decide:
    """How a pair is decided: (probability, the threshold it must reach); ``reads``: see
    :func:`cross_encoder_reads`."""
    model = samefact.packaged()
    if model is None:
        return _paraphrase_decider(reads)

    paraphrase = _paraphrase_decider(reads)

    def same_fact(a: _Sentence, b: _Sentence, c: float, texts: tuple[int, int],
                  asked: dict[tuple[object, ...], float]) -> tuple[float, float]:
        if not (_holds_event(a) and _holds_event(b)):
            # The model learned from pairs of event statements (gold marks events): quotes and
            # figures alone are the paraphrase matcher's to decide.
            return paraphrase(a, b, c, texts, asked)
        # The text features are one text pair's (kept between fuses); what the product read of the
        # statements is added to them, so the answer is kept under both.
        read = tuple(samefact.best_statement_features([s for _, s in a.holders], [s for _, s in b.holders]))
        key: tuple[object, ...] = (*texts, c, read)
        if key not in asked:
            asked[key] = claimpairs.MEMO.probability(_Bound(model, read), a.text, b.text, c)
        return asked[key], defaults.CLAIM_SAME_FACT_PROBABILITY

    return same_fact


def _paraphrase_decider(reads: frozenset[tuple[int, int]] | None = None) -> _Decide:
    matcher = claimmatch.packaged()

    def paraphrase(a: _Sentence, b: _Sentence, c: float, texts: tuple[int, int],
                   asked: dict[tuple[object, ...], float]) -> tuple[float, float]:
        key: tuple[object, ...] = (*texts, c)
        if key not in asked:
            read = reads is None or (min(texts), max(texts)) in reads
            asked[key] = claimpairs.MEMO.probability(matcher if read else matcher.first, a.text, b.text, c)
        return asked[key], defaults.CLAIM_MATCH_PROBABILITY

    return paraphrase


def _holds_event(x: _Sentence) -> bool:
    return any(s.kind == "event" for _, s in x.holders)


@dataclass(frozen=True, slots=True)
class _Bound:
    """The same-fact model with one pair's statement features bound: a pair matcher of texts (its
    value, statement features included, is part of the memo's key)."""

    model: samefact.SameFact
    read: tuple[float, ...]

    def probability(self, a: str, b: str, cosine: float) -> float:
        return self.model.model.probability_of([*claimmatch.features(a, b, cosine), *self.read])


def _argument_pairs(
    sentences: Sequence[_Sentence], matrix: np.ndarray
) -> list[tuple[tuple[int, int], float]]:
    """Pairs (i < j) of sentences of different articles whose statements share a resolved actor and an
    event type or trigger word (:func:`~newsfuse.fuse.claims.samefact.shares_arguments`), with their
    cosine: the most alike first (ties by rows), at most ``defaults.CLAIM_ARGUMENT_PAIRS_MAX``. Two
    reports of one act by one party can be worded too far apart for the nearest-neighbour offer.

    Sentences are grouped by (party, act); each group of at most ``CLAIM_ARGUMENT_GROUP_MAX`` gives
    its best pairs from one small matrix product (the best of all are among the groups' best)."""
    return _keyed_pairs(sentences, matrix, _argument_keys, defaults.CLAIM_ARGUMENT_PAIRS_MAX)


def _place_act_pairs(
    sentences: Sequence[_Sentence], matrix: np.ndarray
) -> list[tuple[tuple[int, int], float]]:
    """Pairs (i < j) of sentences of different articles whose event statements do one act (a type or
    trigger word) in one resolved place (:func:`place_act_keys`), with their cosine, grouped and bounded
    as :func:`_argument_pairs` (at most ``defaults.CLAIM_PLACE_ACT_PAIRS_MAX``). One act in one place
    is evidence of one incident the gate already reads (``samefact.same_place``'s lower bar); two
    reports of it can be worded too far apart for the nearest-neighbour offer to ask about them."""
    return _keyed_pairs(sentences, matrix, place_act_keys, defaults.CLAIM_PLACE_ACT_PAIRS_MAX)


def place_act_keys(s: Statement) -> frozenset[tuple[str, str, bool]]:
    """(place, act, True) keys of an event statement whose place resolved to a story entity (every pair
    of a group may be offered: the last field is :func:`_keyed_pairs`' 'as actor')."""
    if s.kind != "event" or s.place is None:
        return frozenset()
    return frozenset((f"place:{s.place}", act, True) for act in samefact._acts(s))


def _keyed_pairs(
    sentences: Sequence[_Sentence], matrix: np.ndarray,
    keys_of: Callable[[Statement], frozenset[tuple[str, str, bool]]], limit: int,
) -> list[tuple[tuple[int, int], float]]:
    """Pairs (i < j) of sentences of different articles sharing a (party, act) key of ``keys_of``, the
    party as actor of at least one, with their cosine: the most alike first (ties by rows), at most
    ``limit``; each group of at most ``CLAIM_ARGUMENT_GROUP_MAX`` runs gives its best pairs from one
    small matrix product (the best of all are among the groups' best)."""
    if limit <= 0:
        return []
    groups: dict[tuple[str, str], dict[int, bool]] = {}
    for i, x in enumerate(sentences):
        for _, s in x.holders:
            for party, act, actor in keys_of(s):
                members = groups.setdefault((party, act), {})
                members[i] = members.get(i, False) or actor
    _, articles = _numbered([x.key[0] for x in sentences])
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for members in groups.values():
        if 2 <= len(members) <= defaults.CLAIM_ARGUMENT_GROUP_MAX:
            found.append(GROUP_PAIRS.of(sentences, members, articles, matrix, limit))
    if not found:
        return []
    lo, hi, cos = (np.concatenate(parts) for parts in zip(*found, strict=True))
    _, first = np.unique(lo * len(sentences) + hi, return_index=True)  # a pair found in two groups
    lo, hi, cos = lo[first], hi[first], cos[first]
    best = np.lexsort((hi, lo, -cos))[:limit]
    return [((int(lo[n]), int(hi[n])), float(cos[n])) for n in best]


class _GroupPairs:
    """The best pairs of (party, act) groups of the last fuses, by the group's members (their sentence
    keys, in row order, and whether the party acts in them): a group of the same members has the same
    pairs (a key names one text and one vector; ties are broken by rows, whose order the members'
    give). A story re-fused after one new article computes the groups the article joined or left and
    reads the rest back by key; ``defaults.CLAIM_GROUP_PAIRS_KEPT`` groups at most, least recently
    used dropped first (``reused``/``computed`` count the groups)."""

    def __init__(self) -> None:
        self._kept: OrderedDict[tuple[object, ...], tuple[list[SentenceKey], list[SentenceKey], np.ndarray]] \
            = OrderedDict()
        self._lock = threading.Lock()  # the API may fuse stories from several threads
        self.reused = self.computed = 0

    def of(self, sentences: Sequence[_Sentence], members: dict[int, bool], articles: np.ndarray,
           matrix: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """:func:`_group_pairs` of ``members``, read back when a kept group had the same members."""
        ident = (limit, *((sentences[i].key, actor) for i, actor in sorted(members.items())))
        with self._lock:
            kept = self._kept.get(ident)
            if kept is not None:
                self._kept.move_to_end(ident)
                self.reused += 1
        if kept is None:
            lo, hi, cos = _group_pairs(members, articles, matrix, limit)
            kept = ([sentences[i].key for i in lo.tolist()], [sentences[i].key for i in hi.tolist()], cos)
            with self._lock:
                self.computed += 1
                if defaults.CLAIM_GROUP_PAIRS_KEPT > 0:
                    self._kept[ident] = kept
                while len(self._kept) > max(0, defaults.CLAIM_GROUP_PAIRS_KEPT):
                    self._kept.popitem(last=False)
        row = {sentences[i].key: i for i in members}
        return (np.array([row[k] for k in kept[0]], dtype=np.int64),
                np.array([row[k] for k in kept[1]], dtype=np.int64), kept[2])

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self.reused = self.computed = 0


GROUP_PAIRS = _GroupPairs()


def _group_pairs(members: dict[int, bool], articles: np.ndarray, matrix: np.ndarray,
                 limit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, rows, cosines) of a group's best ``limit`` pairs of different articles with the party as
    the actor of at least one (ordered by cosine, then rows)."""
    rows = np.array(sorted(members), dtype=np.int64)
    actor = np.array([members[r] for r in rows.tolist()], dtype=bool)
    vectors = matrix[rows].astype(np.float64)  # see pairs._cosines: float64 sums, float32 values
    # einsum, not a BLAS product: for many small groups the library's threads cost ~4x the arithmetic
    gram = np.einsum("id,jd->ij", vectors, vectors).astype(np.float32)
    iu, ju = np.triu_indices(len(rows), 1)
    keep = (articles[rows[iu]] != articles[rows[ju]]) & (actor[iu] | actor[ju])
    iu, ju = iu[keep], ju[keep]
    lo, hi, cos = rows[iu], rows[ju], gram[iu, ju]
    if len(cos) > limit:  # the best by cosine first (ties at the cut kept), then ordered exactly
        cut = np.partition(cos, len(cos) - limit)[len(cos) - limit]
        near = cos >= cut
        lo, hi, cos = lo[near], hi[near], cos[near]
    best = np.lexsort((hi, lo, -cos))[:limit]
    return lo[best], hi[best], cos[best]


def story_rarity(sentences: Sequence[_Sentence]) -> dict[str, float] | None:
    """The story's word rarities the told-within test reads (None when it reads none)."""
    if not (defaults.CLAIM_TOLD_WITHIN_RARITY and defaults.CLAIM_TOLD_WITHIN_PROBABILITY
            < defaults.CLAIM_MATCH_PROBABILITY):
        return None
    return claimmatch.rarity([x.text for x in sentences])


def joined(a: _Sentence, b: _Sentence, p: float, threshold: float, lowered: bool = True,
           rarity: dict[str, float] | None = None) -> list[tuple[int, int]]:
    """The clusters a decided pair of clause runs joins: at ``threshold`` or above, what the gate passes
    (:func:`_pairable`); below it (with ``lowered``: the paraphrase matcher decided), the statement pairs
    the gate passes that carry evidence of one incident at that evidence's lower bar
    (:func:`_evidenced`: each kind of evidence at its own bar of defaults.py)."""
    if p >= threshold:
        return _pairable(a, b, defaults.CLAIM_JOINT_ASSIGN)
    if not lowered:
        return []
    within = p >= defaults.CLAIM_TOLD_WITHIN_PROBABILITY and samefact.told_within(a.text, b.text, rarity)
    if not within and (p < min(bar() for bar, _ in _EVIDENCE) or not _may_share(a, b)):
        return []
    held_a, held_b = dict(a.holders), dict(b.holders)
    return [(c, d) for c, d in _pairable(a, b, defaults.CLAIM_JOINT_ASSIGN)
            if _evidenced(held_a[c], held_b[d], p) or (within and _within_act(held_a[c], held_b[d]))]


def _within_act(x: Statement, y: Statement) -> bool:
    """What a statement pair of two runs, one told within the other, needs to join at the lower bar:
    one act (``defaults.CLAIM_TOLD_WITHIN_ACT``), or only the gate's compatibility; with
    ``defaults.CLAIM_TOLD_WITHIN_SAME_PARTIES`` also no actor or target resolved to two entities."""
    if defaults.CLAIM_TOLD_WITHIN_SAME_PARTIES and samefact.parties_differ(x, y):
        return False
    return samefact.one_act(x, y) or not defaults.CLAIM_TOLD_WITHIN_ACT


def _may_share(a: _Sentence, b: _Sentence) -> bool:
    """A cheap first look: whether both runs hold a placed statement, or one target is in both."""
    placed = any(s.place is not None for _, s in a.holders) and any(s.place is not None for _, s in b.holders)
    return placed or bool({s.target for _, s in a.holders} & {s.target for _, s in b.holders} - {None})


# Evidence of one incident and the setting holding the matcher bar it lowers to (read at each call, so
# a bench or test may change the settings).
_EVIDENCE: tuple[tuple[Callable[[], float], Callable[[Statement, Statement], bool]], ...] = (
    (lambda: defaults.CLAIM_SAME_PLACE_PROBABILITY, samefact.same_place),
    (lambda: defaults.CLAIM_SAME_TARGET_PROBABILITY, samefact.same_target),
    (lambda: defaults.CLAIM_SAME_PLACE_ACT_PROBABILITY, samefact.same_place_act),
    (lambda: defaults.CLAIM_SAME_PARTIES_ACT_PROBABILITY, samefact.same_parties_act),
    (lambda: defaults.CLAIM_ACTS_FOR_PARTIES_ACT_PROBABILITY, samefact.acts_for_parties_act),
)


def _evidenced(x: Statement, y: Statement, p: float) -> bool:
    """Whether the pair's evidence of one incident lowers the bar enough for probability ``p``: one
    place (:func:`~.samefact.same_place`), one act on one target (:func:`~.samefact.same_target`), one
    act in one place (:func:`~.samefact.same_place_act`) or one act between the same two parties
    (:func:`~.samefact.same_parties_act`). Session 14 found one place never across a topic's two
    incidents of ECB+ train among the matcher's yes pairs; under the matcher's bar it is rare there too
    (7 of the 80 run pairs it adds at 0.1), less so on ECB+ dev (29 of 107)."""
    return any(p >= bar() and holds(x, y) for bar, holds in _EVIDENCE)


def _pairable(a: _Sentence, b: _Sentence, assign: bool = False) -> list[tuple[int, int]]:
    """The clusters of two matched clause runs that state one fact: compatible pairs whose partner is
    unambiguous. A run telling two facts ('two were killed and 1,800 evacuated') against another
    telling both gives no pair: the matcher says the runs agree, not which fact is which; with
    ``assign`` (the meaning pass's, ``defaults.CLAIM_JOINT_ASSIGN``) the statements themselves may say
    it (:func:`_assigned`). The coreference-chain joins (:mod:`~.chainjoin`) ask without it: their
    class profiles (:mod:`~.firstjoin`) hold only what :func:`_compatible` reads."""
    found = {(c, d): (x, y) for c, x in a.holders for d, y in b.holders if c != d and _compatible(x, y)}
    left = Counter(c for c, _ in found)
    right = Counter(d for _, d in found)
    clear = [(c, d) for c, d in found if left[c] == 1 and right[d] == 1]
    if not assign:
        return clear
    return clear + _assigned({cd: xy for cd, xy in found.items() if cd not in clear})


def _assigned(ambiguous: dict[tuple[int, int], tuple[Statement, Statement]]) -> list[tuple[int, int]]:
    """The pairs of an ambiguous run pair whose statements are clearly each other's partner: each pair
    is scored by what the two statements share (:func:`~newsfuse.fuse.claims.samefact.agreement`:
    type, trigger, actor, target, against parties or dates that differ), and a pair joins only when it
    scores at least ``defaults.CLAIM_JOINT_MIN_AGREEMENT`` and beats every other pair of either of its
    two statements by ``defaults.CLAIM_JOINT_MARGIN`` (so at most one partner each); the rest stay
    unjoined."""
    score = {cd: samefact.agreement(x, y) for cd, (x, y) in ambiguous.items()}
    out = []
    for (c, d), v in score.items():
        if v < defaults.CLAIM_JOINT_MIN_AGREEMENT:
            continue
        rivals = [w for (e, f), w in score.items() if (e == c) != (f == d)]
        if all(v - w >= defaults.CLAIM_JOINT_MARGIN for w in rivals):
            out.append((c, d))
    return out


def _compatible(x: Statement, y: Statement) -> bool:
    if x.stance != y.stance:
        return False  # a denial is a conflict the word-level relation decides, not a paraphrase
    if not one_claim(x, y):
        return False  # a guessed event's pair the gate refuses (fuse/claims/guessed.py)
    kinds = {x.kind, y.kind}
    if kinds == {"event"} or kinds == {"event", "quote"}:
        return True
    if kinds == {"quote"}:
        return x.entity is None or y.entity is None or x.entity == y.entity or x.described or y.described
    if kinds == {"amount"}:
        return x.unit == y.unit and x.value is not None and y.value is not None and (
            claimmatch.values_agree(x.value, x.written, y.value, y.written))
    return False


class _Joins:
    """Union-find over clusters that remembers, per joined set, the articles with statements in it."""

    def __init__(self, clusters: Sequence[list[Member]]) -> None:
        self.clusters = clusters
        self.parent = list(range(len(clusters)))
        self.articles: list[set[str]] = []  # the articles with statements in each joined set
        self.speakers: list[set[str]] = []
        for members in clusters:
            self.articles.append(set(CLUSTER_ARTICLES.of(members)))
            self.speakers.append(set(CLUSTER_ARTICLES.speakers(members)))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = sorted((self.find(a), self.find(b)))
        if ra == rb:
            return
        x, y = self.articles[ra], self.articles[rb]
        if not x.isdisjoint(y):
            # An article in both: the word-level alignment kept its statements apart (two facts of
            # one sentence, 'two were killed and 1,800 evacuated', or of two sentences); meaning
            # joins reports of different articles only.
            return
        if self.speakers[ra] & self.speakers[rb]:
            # One speaker's quotes in two clusters: the quote relation compared their words and
            # found two statements; alike wording around them does not overrule it.
            return
        self.parent[rb] = ra
        self.speakers[ra] |= self.speakers[rb]
        x |= y

    def result(self) -> list[list[Member]]:
        """The joined clusters (an unjoined one is its own list: what was read of it still holds)."""
        out: dict[int, list[list[Member]]] = {}
        for n, members in enumerate(self.clusters):
            out.setdefault(self.find(n), []).append(members)
        return merged(out.values())


def merged(groups: Iterable[list[list[Member]]]) -> list[list[Member]]:
    """Each group of clusters as one: its members in cluster order, an unjoined cluster its own list
    (what a pass read of it, :data:`CLUSTER_ARTICLES`, still holds for the next)."""
    return [parts[0] if len(parts) == 1 else [m for part in parts for m in part] for parts in groups]


class _ClusterArticles:
    """The articles with statements in a cluster and its quotes' speakers, by the cluster's list, for
    one fuse: the meaning, speaker and chain passes each read them for every cluster of the story
    (~20,000 members at 500 articles), and most clusters pass unjoined (the same list) from one pass
    to the next. A cluster's list is not changed once made; :meth:`clear` at the fuse's end lets the
    lists go."""

    def __init__(self) -> None:
        self._kept: dict[int, tuple[list[Member], frozenset[str], frozenset[str]]] = {}

    def of(self, members: list[Member]) -> frozenset[str]:
        """The articles with statements in the cluster."""
        return self._read(members)[1]

    def speakers(self, members: list[Member]) -> frozenset[str]:
        """The speakers (entity IDs) of the cluster's quotes."""
        return self._read(members)[2]

    def _read(self, members: list[Member]) -> tuple[list[Member], frozenset[str], frozenset[str]]:
        found = self._kept.get(id(members))
        if found is None or found[0] is not members:
            found = self._kept[id(members)] = (
                members, frozenset(s.article.id for s, _, _ in members),
                frozenset(s.entity for s, _, _ in members if s.kind == "quote" and s.entity))
        return found

    def clear(self) -> None:
        self._kept = {}


CLUSTER_ARTICLES = _ClusterArticles()
