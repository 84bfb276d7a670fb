"""One speaker's statement reported by two outlets in other words: their quotes become one claim.

The word-level quote relation (:mod:`~newsfuse.fuse.claims.relations`) joins a speaker's quotes
worded alike; the meaning pass (:mod:`~newsfuse.fuse.claims.meaning`) never joins two clusters of
one speaker's quotes, because the matcher rates a speaker's two *different* statements on one
subject ('would review every inspection report' / 'would publish every inspection report') as
alike as a paraphrase. What tells a reworded report of one statement from another statement is
what it is about: the same actor named in both ('Putin warned that such strikes would mean
NATO's direct involvement' / 'Putin said lifting restrictions would mean direct involvement of
NATO countries'). So two clusters holding one speaker's quotes from different articles join when

* the clause runs around the two cues are called the same fact by the matcher
  (``defaults.CLAIM_MATCH_PROBABILITY``), and
* the two sentences name an entity besides the speaker in common that no quoting article names in
  its first sentence (the actors and places of the whole story, such as the country it is about,
  are named in most of its sentences and are no evidence);

most probable first, never two clusters an article has statements in (one article telling two
statements keeps them two claims), never two quotes of opposite stance.
"""

from __future__ import annotations

import bisect
import dataclasses
import sys
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from newsfuse import defaults
from newsfuse.fuse.claims import cache as claimcache
from newsfuse.fuse.claims import match as claimmatch
from newsfuse.fuse.claims import pairs as claimpairs
from newsfuse.fuse.claims.align import Member
from newsfuse.fuse.claims.lru import PerObject
from newsfuse.fuse.claims.meaning import CLUSTER_ARTICLES, merged, units
from newsfuse.fuse.claims.statements import Statement, sentence_around
from newsfuse.fuse.claims.vectors import SentenceKey, SentenceVectors
from newsfuse.models import Analysis, Article, Span


@dataclasses.dataclass(frozen=True)
class _Said:
    cluster: int
    statement: Statement
    names: frozenset[str]  # entity IDs named in its sentence, the speaker's left out
    keys: tuple[SentenceKey, ...]  # the clause runs around its cue
    runs: tuple[str, ...] = ()  # their texts as the article holds them (read once per quote)


def join_speakers(
    clusters: Sequence[list[Member]], analyses: Mapping[str, Analysis], emap: Mapping[tuple[str, str], str],
    vectors: SentenceVectors,
) -> list[list[Member]]:
    """``clusters`` with those holding one speaker's statement, reported in other words by other
    articles, joined (members in cluster order)."""
    said = _quotes(clusters, analyses, emap)
    articles = {x.statement.article.id: x.statement.article for x in said}
    spread = _spread(articles, analyses, emap)
    # Two quotes must share a name no lead carries: those names are found once per quote, not per pair.
    rare = {id(x): frozenset(e for e in x.names if spread[e] == 0) for x in said}

    def scorer_of(keys: list[SentenceKey]) -> claimpairs.Scorer:
        texts = [_text(k, articles) for k in keys]
        return claimpairs.Scorer(claimmatch.packaged().first, keys, texts, vectors.of(keys, texts))

    apart = [CLUSTER_ARTICLES.of(members) for members in clusters]
    scored = best_joins(said, rare, scorer_of, apart)
    return _joined(clusters, scored) if scored else list(clusters)


def best_joins(
    said: Sequence[_Said], rare: Mapping[int, frozenset[str]],
    scorer_of: Callable[[list[SentenceKey]], claimpairs.Scorer],
    articles: Sequence[frozenset[str]] | None = None,
) -> list[tuple[float, int, int]]:
    """(-probability, cluster, cluster) of the cluster pairs two quotes of one speaker may join (other
    clusters and articles, one stance, a rare name in common, the matcher at
    ``defaults.CLAIM_MATCH_PROBABILITY`` or above), each pair once at its highest probability, most
    probable first: :func:`_joined` refuses a join for good (the articles it compares only grow), so a
    pair's later, less probable tries change nothing. One speaker quoted alike by hundreds of copies
    makes few *classes* of quotes (one cluster, stance, rare names and clause texts), so classes are
    paired, not quotes: the pairs the plain all-pairs pass would score, without visiting them.
    ``articles`` (each cluster's articles): two clusters an article has statements in are not paired
    (:func:`_joined` refuses them, and the sets it compares only grow), so their quotes' clause runs
    are not encoded for them."""
    by_speaker: dict[str, dict[tuple[int, str, frozenset[str], tuple[str, ...]], list[_Said]]] = {}
    for x in said:  # in cluster order: a class's quotes all come before a later cluster's
        cls = (x.cluster, x.statement.stance, rare[id(x)],
               x.runs or tuple(x.statement.article.text[k[1]:k[2]] for k in x.keys))
        by_speaker.setdefault(str(x.statement.entity), {}).setdefault(cls, []).append(x)
    pairs: list[tuple[list[_Said], list[_Said]]] = []
    for classes in by_speaker.values():
        members = list(classes.items())
        for n, (ka, a) in enumerate(members):
            for kb, b in members[n + 1:]:
                if ka[0] != kb[0] and ka[1] == kb[1] and not ka[2].isdisjoint(kb[2]) and (
                        articles is None or articles[ka[0]].isdisjoint(articles[kb[0]])):
                    pairs.append((a, b))
    # The quotes with a partner of another article are those the plain pass scores: only their
    # clause runs get vectors.
    partnered: dict[int, _Said] = {}
    for a, b in pairs:
        for mine, theirs in ((a, b), (b, a)):
            others = {y.statement.article.id for y in theirs}
            for x in mine:
                if others - {x.statement.article.id}:
                    partnered[id(x)] = x
    if not partnered:
        return []
    keys = sorted({k for x in partnered.values() for k in x.keys})
    scorer = scorer_of(keys)
    best: dict[tuple[int, int], float] = {}
    for a, b in pairs:
        for xs in _by_rows(a, scorer, partnered).values():
            for ys in _by_rows(b, scorer, partnered).values():
                if not _two_articles(xs, ys):
                    continue  # every pair of them is one article's
                p = scorer.best(xs[0].keys, ys[0].keys)
                op = (xs[0].cluster, ys[0].cluster)
                if p >= defaults.CLAIM_MATCH_PROBABILITY and p > best.get(op, -1.0):
                    best[op] = p
    return sorted((-p, c, d) for (c, d), p in best.items())


def _by_rows(members: Sequence[_Said], scorer: claimpairs.Scorer,
             partnered: Mapping[int, _Said]) -> dict[tuple[int, ...], list[_Said]]:
    """A class's partnered quotes by the scorer rows of their clause runs (one text may have two
    vectors: each is its own row, as in the plain pass)."""
    out: dict[tuple[int, ...], list[_Said]] = {}
    for x in members:
        if id(x) in partnered:
            out.setdefault(tuple(scorer.row(k) for k in x.keys), []).append(x)
    return out


def _two_articles(xs: Sequence[_Said], ys: Sequence[_Said]) -> bool:
    """Whether a quote of ``xs`` and one of ``ys`` are of two articles."""
    mine = {x.statement.article.id for x in xs}
    return len(mine) > 1 or any(y.statement.article.id not in mine for y in ys)


def _quotes(
    clusters: Sequence[list[Member]], analyses: Mapping[str, Analysis], emap: Mapping[tuple[str, str], str]
) -> list[_Said]:
    cues = {q.id: q.cue_start for a in analyses.values() for q in a.quotes}
    named = _Named(emap)
    links = claimcache.emap_by_article(emap)
    out = []
    for n, members in enumerate(clusters):
        for s, stance, _ in members:
            if s.kind != "quote" or s.entity is None or stance == "differs" or cues.get(s.id) is None:
                continue
            part = _read(s, int(cues[s.id] or 0), analyses.get(s.article.id), links.get(s.article.id, {}),
                         named)
            out.append(_Said(n, s, part.names, part.keys, part.runs))
    return out


@dataclasses.dataclass(frozen=True, slots=True)
class _Quoted:
    """What the speaker pass reads of one quote, and what it was read from."""

    analysis: Analysis | None
    cue: int
    links: Mapping[str, str]  # the article's mention keys -> entity IDs
    names: frozenset[str]
    keys: tuple[SentenceKey, ...]
    runs: tuple[str, ...]  # the texts of ``keys``


def _read(s: Statement, cue: int, analysis: Analysis | None, links: Mapping[str, str],
          named: _Named) -> _Quoted:
    """:func:`_quoted`, kept per quote: a kept quote of the same analysis object, at the same cue and
    with its article's mentions resolved as before, names what it named before (a re-fuse of a big
    story passes ~2,700 quotes again)."""
    return _QUOTED.get(s, lambda: _quoted(s, cue, analysis, links, named),
                       lambda kept: kept.analysis is analysis and kept.cue == cue and kept.links == links)


def _quoted(s: Statement, cue: int, analysis: Analysis | None, links: Mapping[str, str],
            named: _Named) -> _Quoted:
    start, end = sentence_around(s.article.text, s.span.start, s.span.end)
    names = frozenset(named(analysis, start, end)) - {s.entity}
    anchor = dataclasses.replace(s, kind="event", at=cue, span=Span(s.article.id, start, end, ""))
    keys = tuple(units(anchor))
    # interned: copies of one text hold one string per clause run, not one per quote
    runs = tuple(sys.intern(s.article.text[k[1]:k[2]]) for k in keys)
    return _Quoted(analysis, cue, links, names, keys, runs)


_QUOTED: PerObject[Statement, _Quoted] = PerObject(defaults.CLAIM_STATEMENT_RUNS_KEPT)


class _Named:
    """Entity IDs of an article's resolved mentions by where they start, so the names in one sentence
    are found by bisection, not by a scan of every mention of the article for each quote (a story of
    500 articles has ~2,700 quotes)."""

    def __init__(self, emap: Mapping[tuple[str, str], str]) -> None:
        self.emap = emap
        self._by_analysis: dict[int, tuple[Analysis, list[int], list[str]]] = {}

    def __call__(self, analysis: Analysis | None, start: int, end: int) -> set[str]:
        if analysis is None:
            return set()
        found = self._by_analysis.get(id(analysis))
        if found is None or found[0] is not analysis:
            pairs = sorted((m.start, self.emap[(m.article_id, m.entity_key)]) for m in analysis.mentions
                           if (m.article_id, m.entity_key) in self.emap)
            found = self._by_analysis[id(analysis)] = (analysis, [p for p, _ in pairs], [e for _, e in pairs])
        _, starts, ids = found
        return set(ids[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)])


def _spread(
    articles: Mapping[str, Article], analyses: Mapping[str, Analysis], emap: Mapping[tuple[str, str], str]
) -> Counter[str]:
    """How many articles' leads (their first sentences) name each entity: what the story is about."""
    found: Counter[str] = Counter()
    named = _Named(emap)
    links = claimcache.emap_by_article(emap)
    for aid, article in articles.items():
        found.update(_lead(article, analyses.get(aid), links.get(aid, {}), named))
    return found


def _lead(article: Article, analysis: Analysis | None, links: Mapping[str, str], named: _Named
          ) -> frozenset[str]:
    """:func:`_lead_names`, kept per analysis object: the same text with its article's mentions
    resolved as before names the same entities."""
    if analysis is None:
        return _lead_names(article, None, named)
    return _LEADS.get(analysis, lambda: (article.text, links, _lead_names(article, analysis, named)),
                      lambda kept: kept[0] == article.text and kept[1] == links)[2]


def _lead_names(article: Article, analysis: Analysis | None, named: _Named) -> frozenset[str]:
    """The entities an article's first sentence names."""
    first = len(article.text) - len(article.text.lstrip())
    return frozenset(named(analysis, *sentence_around(article.text, first, first + 1)))


# Kept for as many analyses as the statements cache keeps articles (its keys hold the same analysis
# objects, so keeping them here costs little more; a watch's fusion process bounds that cache lower),
# each by a weak reference: an entry goes with its analysis and keeps none alive past the caches' bounds.
_LEADS: PerObject[Analysis, tuple[str, Mapping[str, str], frozenset[str]]] = PerObject(
    lambda: claimcache.CACHE.size)


def _text(key: SentenceKey, articles: Mapping[str, Article]) -> str:
    article = articles[key[0]]
    return " ".join(article.text[key[1]:key[2]].split()).strip(" ,;:")


def _joined(clusters: Sequence[list[Member]], pairs: Sequence[tuple[float, int, int]]) -> list[list[Member]]:
    parent = list(range(len(clusters)))
    articles = [set(CLUSTER_ARTICLES.of(members)) for members in clusters]

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _, c, d in pairs:
        x, y = sorted((find(c), find(d)))
        if x == y or articles[x] & articles[y]:
            continue  # an article in both: it told two statements (or one twice), kept apart
        parent[y] = x
        articles[x] |= articles[y]
    out: dict[int, list[list[Member]]] = {}
    for n, members in enumerate(clusters):
        out.setdefault(find(n), []).append(members)
    return merged(out.values())


def forget() -> None:
    """Drop what this module keeps between fuses (a fresh process's state, for tests and benches)."""
    _QUOTED.clear()
    _LEADS.clear()
