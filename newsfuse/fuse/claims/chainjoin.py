"""Two outlets' reports of one event, worded apart, become one claim when event coreference and
the matcher agree.

Event coreference (:func:`~newsfuse.fuse.claims.chains.event_chains`) puts two articles' events in
one chain when their triggers are one word or synonyms and nothing tells them apart (another actor,
dates that do not overlap, a hypothetical against an asserted mode). Coreference is looser than a
claim, so a chain alone never makes one: session 8 measured every multi-outlet chain as a claim on
facts/ and it joined twice as many different facts. The meaning pass
(:mod:`~newsfuse.fuse.claims.meaning`) asks the matcher for ``defaults.CLAIM_MATCH_PROBABILITY``,
which a reworded report of one event often misses ('Strzok was fired ... on the orders of FBI
Deputy Director David Bowdich' / 'Bowdich had overruled the Office of Professional Responsibility and
fired Mr. Strzok'). Together the two are evidence neither is alone: two clusters of different
articles join when

* a clause run of each states an event of one coreference chain (the event leads its cluster), and
* the matcher, on those two clause runs, does not say no: its probability is at least
  ``defaults.CLAIM_CHAIN_PROBABILITY``, and
* the two statements can state one fact (:func:`~newsfuse.fuse.claims.meaning._pairable`),

most probable first, never two clusters an article has statements in (one article telling two
facts keeps them two claims) nor two holding quotes of one speaker. The order of articles changes
nothing: pairs are ordered by probability and sentence names.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse import defaults
from newsfuse.fuse.claims import match as claimmatch
from newsfuse.fuse.claims import pairs as claimpairs
from newsfuse.fuse.claims.align import Member
from newsfuse.fuse.claims.firstjoin import first_tries
from newsfuse.fuse.claims.meaning import CHAIN_SENTENCES, _joinable, _Joins, _sentences
from newsfuse.fuse.claims.statements import Statement
from newsfuse.fuse.claims.vectors import SentenceVectors


def join_chained(
    clusters: Sequence[list[Member]], chains: Sequence[Sequence[Statement]], vectors: SentenceVectors
) -> list[list[Member]]:
    """``clusters`` with those whose events share a coreference chain and whose clause runs the
    matcher does not call different facts joined (members in cluster order)."""
    chain_of = {id(s): n for n, chain in enumerate(chains) if len({x.article.id for x in chain}) > 1
                for s in chain}
    if not chain_of:
        return list(clusters)
    sentences = _sentences(clusters, CHAIN_SENTENCES)
    by_chain: dict[int, list[int]] = {}
    for i, x in enumerate(sentences):
        for n in {chain_of[id(s)] for _, s in x.holders if id(s) in chain_of}:
            by_chain.setdefault(n, []).append(i)
    # Only chains holding sentences of two articles have pairs; their sentences are what is scored.
    numbers = [rows for rows in by_chain.values() if len({sentences[i].key[0] for i in rows}) > 1]
    if not numbers:
        return list(clusters)
    rows = sorted({i for chain in numbers for i in chain})
    if not _joinable(clusters, [sentences[i] for i in rows]):
        # every two of their clusters share an article (a story of one text and its copies): _Joins
        # refuses every join, so none of these runs needs a vector (11% of a refresh's claim texts
        # in bench/watch_refresh.py's copies replay were encoded for nothing here)
        return list(clusters)
    keys = [sentences[i].key for i in rows]
    texts = [sentences[i].text for i in rows]
    scorer = claimpairs.Scorer(claimmatch.packaged(), keys, texts, vectors.of(keys, texts))
    # Every pair of two articles' sentences of one chain, most probable first: each distinct join at
    # its first try (fuse/claims/firstjoin.py), the same joins without visiting every pair.
    joins = _Joins(clusters)
    for c, d in first_tries(sentences, numbers, lambda i: scorer.row(sentences[i].key),
                            lambda i, j: scorer.probability(sentences[i].key, sentences[j].key),
                            defaults.CLAIM_CHAIN_PROBABILITY):
        joins.join(c, d)
    return joins.result()
