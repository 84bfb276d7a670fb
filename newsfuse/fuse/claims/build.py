"""Claims: atomic statements aligned across the articles of a story, each with a status.

Statements come from four places in each article's analysis:

* ``event``: an Event (type, source/target entity, date, mode) with its sentence as evidence;
* ``quote``: a Quote (speaker entity + content);
* ``amount``: an Amount (value, unit, what it counts and the words around it);
* ``fact``: a no-comment statement ('declined to comment', 'has yet to comment', 'did not respond
  to a request for comment'): these all mean the actor has not commented, so they agree.

Statements of one kind are aligned greedily in article order: a statement joins the first claim one
of whose statements it matches (same event type or trigger + compatible actors + overlapping dates
+ positive evidence: both actors shared, sentences alike by rapidfuzz, or one specific trigger word
sharing a figure or the dates; a light verb such as 'ask' or 'give' (:data:`GENERIC_TRIGGERS`)
alone never suffices; same speaker + contents saying the same thing, worded alike or one holding
nearly all the other's content words: a speaker's two statements are two claims; same counted
thing in a similar context).
A statement that matches but disagrees (another amount, a non-overlapping date, another actor, or
a denial: ``Event.mode == 'denied'``) joins with ``stance`` 'differs'/'denies' and its ``value``:
the claim becomes ``conflicting`` (sources of more than one stance) and shows both sides. An event
denial needs the same actors or alike sentences (it denies that fact, not any fact sharing a date).
Events inside a no-comment phrase become only the no-comment fact. A claim an outlet does not carry
is an omission for that outlet, never a conflict. A source shows each piece of its evidence once
(:func:`distinct_evidence`).

Event coreference comes first (:func:`event_chains`): events of a story are one event when their
triggers are one word (its lemma, inflection or nominalisation: 'shooting'/'shot'/'shoot') or
synonyms of one :data:`EVENT_LEXEMES` set ('quake'/'earthquake', 'killing'/'murder') and nothing
tells them apart (another source or target actor, dates that do not overlap, a hypothetical versus
an asserted mode). Coreference is looser than a claim: two reports of one event are one chain even
when only one names the actors. A claim's statements must be one chain, and inside a chain the
stricter claim relation below decides: corroboration needs the same event *and* agreeing evidence,
so two different events of one story are never corroborated by each other.

Independent sources (:mod:`~newsfuse.fuse.claims.sources`): each source's originator is the outlet
or agency it cites ('according to X', 'X reported', a relay), else the outlet of its wire original,
else its outlet; all articles of unknown outlet are one originator together (or the known outlet whose
text they repeat). ``corroborated`` needs ``defaults.CORROBORATION_MIN`` originators, otherwise
``single-source``; ``Claim.note`` says what was folded. A sentence an outlet repeats across its
articles (boilerplate) is dropped before alignment. One sentence told by two outlets with a figure,
date, name or negation only one has is a conflict (:mod:`~newsfuse.fuse.claims.details`).

Wording (:mod:`~newsfuse.fuse.claims.sentence`): a claim's text is one plain sentence, its
attribution, PLOVER type, CAMEO root, mode and own dates are fields. Articles are aligned in one
canonical order (publication date, then ID) and the wording is the most complete statement, so
neither depends on the order articles arrived in.

Claim IDs are ``content_id(story_id, id of the claim's first statement)``: adding a later-published
article keeps the IDs of existing claims (their first statement is still first).

Speed (a story of hundreds of articles holds tens of thousands of statements): the greedy passes
compare a statement only with the chains and groups it could relate to (blocking by what the
relation requires equal: event type or trigger, word forms, speaker, unit, subject), compare once
per *signature* (the fields the relation reads; wire copies repeat them) through :class:`Memo`,
and fold each text once for rapidfuzz. The result is the one the plain pairwise passes give. A
process keeps each article's statements between fuses (:mod:`~newsfuse.fuse.claims.cache`), so a story
re-fused after one article joined rebuilds only that article's.

Parts: ``claimstatements`` (statements from analyses), ``claimwords`` (folding, content words,
trigger words), ``claimrelations`` (the relation, Memo), ``claimchains`` (event coreference),
``claimalign`` (groups, fact links, clusters), ``claimrecords`` (Claim records, notes); ``meaning``
joins clusters saying one fact in other words (the learned ``match``er over ``encoder`` vectors kept
per article by ``vectors``), ``speakers`` one speaker's statement reported in other words by
two outlets, and ``chainjoin`` clusters whose events are one coreference chain when the matcher does
not say no (``defaults.CLAIM_CHAIN_PROBABILITY``); ``added`` folds one outlet's quote of a
corroborated fact into that fact's row as its single-source detail; this module joins them and keeps
their public names.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from newsfuse import defaults
from newsfuse.fuse.claims import cache as claimcache
from newsfuse.fuse.claims import records as claimrecords
from newsfuse.fuse.claims import resume as claimresume
from newsfuse.fuse.claims import sources as claimsources
from newsfuse.fuse.claims import text as claimtext
from newsfuse.fuse.claims.added import fold_added
from newsfuse.fuse.claims.align import Member, align, clusters, fact_links
from newsfuse.fuse.claims.chainjoin import join_chained
from newsfuse.fuse.claims.chains import event_chains
from newsfuse.fuse.claims.meaning import CLUSTER_ARTICLES, join_by_meaning
from newsfuse.fuse.claims.records import claim_of, distinct_evidence, originals
from newsfuse.fuse.claims.relations import HYPOTHETICAL, Memo, Relation, relation, signature
from newsfuse.fuse.claims.speakers import join_speakers
from newsfuse.fuse.claims.statements import (
    DENIAL_CUE,
    NO_COMMENT,
    SENTENCE_END,
    Statement,
    restated,
    sentence_around,
    statements,
)
from newsfuse.fuse.claims.vectors import SentenceVectors
from newsfuse.fuse.claims.words import (
    EVENT_LEXEMES,
    GENERIC_TRIGGERS,
    alike,
    generic,
    similarity,
    trigger_forms,
)
from newsfuse.fuse.entities.resolve import normalise
from newsfuse.models import Analysis, Article, Claim, CopyLink

Derived = Callable[[Analysis, str, Callable[[], Any]], Any]  # (analysis, what, build) -> kept or built

# The parts live in claim*.py modules; this module is the entry point and keeps their public names.
__all__ = [
    "DENIAL_CUE",
    "EVENT_LEXEMES",
    "GENERIC_TRIGGERS",
    "HYPOTHETICAL",
    "NO_COMMENT",
    "SENTENCE_END",
    "Member",
    "Memo",
    "Relation",
    "Statement",
    "align",
    "alike",
    "build_claims",
    "clusters",
    "distinct_evidence",
    "event_chains",
    "fact_links",
    "generic",
    "relation",
    "sentence_around",
    "signature",
    "similarity",
    "statements",
    "trigger_forms",
]
_SENTENCE_END = SENTENCE_END  # the old private name (tests of the splitter import it)


def build_claims(
    story_id: str,
    articles: Sequence[Article],
    analyses: Mapping[str, Analysis],
    emap: Mapping[tuple[str, str], str],
    copies: Sequence[CopyLink] = (),
    names: Mapping[str, str] | None = None,
    vectors: SentenceVectors | None = None,
    derived: Derived | None = None,
) -> list[Claim]:
    """Align every statement of the story's articles into claims with status and evidence: one
    claim per fact, texts from ``names`` (entity ID -> name; derived from the analyses if None).
    Clusters saying one fact in other words are joined (:mod:`~newsfuse.fuse.claims.meaning`) with
    sentence vectors from ``vectors`` (kept in this process only if None); ``derived``: what is kept
    beside each analysis (``fuse/analyses.py``), where the entities' names are counted once."""
    outlets = {normalise(a.outlet) for a in articles if a.outlet}
    emap = claimcache.SplitEmap(emap)  # each article's part of it made once for every pass
    # One canonical order (by publication, then ID): claims, their IDs and wording are the same
    # whatever order the articles arrived in; a later article (published later) keeps existing IDs.
    present = sorted((a for a in articles if a.id in analyses), key=lambda a: (a.published or "", a.id))
    if names is None:
        names = claimtext.entity_names([analyses[a.id] for a in present], emap, derived)
    items: list[Statement] = []
    links: list[tuple[Statement, Statement]] = []
    by_article, frozen = claimcache.emap_by_article(emap), frozenset(outlets)
    for a in present:
        found, found_links = claimcache.CACHE.get(
            claimcache.key_of(a, analyses[a.id], by_article.get(a.id, {}), names, frozen),
            functools.partial(_built, a, analyses[a.id], emap, outlets, names), slot=a.id,
        )
        items += found
        links += found_links
    original = originals(copies)
    by_id = {a.id: a for a in articles}
    items = _without_boilerplate(present, items, original)
    # Chains and groups kept from the story's last fuse when the new statements come after its
    # others (fuse/claims/resume.py); else from scratch. Event sentences: kept (or ahead) vectors.
    chains, groups = claimresume.ALIGNMENTS.aligned(story_id, items, vectors)
    found_clusters = clusters(groups, links)
    if defaults.CLAIM_MATCH_BY_MEANING:
        vectors = vectors or SentenceVectors()
        try:
            found_clusters = join_by_meaning(found_clusters, vectors)
            found_clusters = join_speakers(found_clusters, analyses, emap, vectors)
            found_clusters = join_chained(found_clusters, chains, vectors)
        finally:
            CLUSTER_ARTICLES.clear()  # what the passes read of each cluster holds for this fuse only
    claimrecords.SOURCES.begin(story_id)  # each article's part of a claim is made again only if it changed
    claims = [claim_of(story_id, c, original, by_id) for c in found_clusters]
    # one article's quote telling a fact other outlets share: that fact's row, the quote its detail
    folded = fold_added(found_clusters, claims,
                        lambda members, added: claim_of(story_id, members, original, by_id, added))
    return sorted(folded, key=lambda c: c.id)


def _without_boilerplate(
    articles: Sequence[Article], items: list[Statement], original: Mapping[str, str]
) -> list[Statement]:
    """The statements outside the sentences an outlet repeats across its articles (its notes and
    disclaimers: :func:`claimsources.boilerplate`)."""
    sentences: dict[str, list[tuple[int, int]]] = {}
    for s in items:
        sentences.setdefault(s.article.id, []).append((s.span.start, s.span.end))
    found = claimsources.boilerplate(articles, sentences, original)
    if not found:
        return items
    return [s for s in items if not claimsources.is_boilerplate(s.article, s.span.start, s.span.end, found)]


def _built(
    article: Article, analysis: Analysis, emap: Mapping[tuple[str, str], str], outlets: set[str],
    names: Mapping[str, str],
) -> claimcache.Built:
    """One article's statements and the fact links between them."""
    found = statements(article, analysis, emap, outlets, names)
    return found, fact_links(analysis, found) + restated(found)  # one fact told twice in a sentence
