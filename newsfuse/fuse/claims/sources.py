"""Who really stands behind a claim: independent originators, and boilerplate that is no claim.

A claim is corroborated only when at least ``defaults.CORROBORATION_MIN`` independent originators
carry it. The originator of one article's support is, in this order:

* the source it cites ('according to Reuters', 'The Times wrote'): the outlet carries Reuters'
  report, not its own, so 'Northgate Observer citing MARNEWS' and MARNEWS are one originator; and
  when MARNEWS's own report of the fact cites the Ministry of Water, the Ministry is the originator
  of both (the note says so);
* else the outlet of the wire original it copies (a wire story and its copies count once);
* else its own outlet;
* an article of unknown outlet: one shared originator 'unknown outlet' (unknown articles never add
  independence to each other), or the originator of a known outlet whose evidence it repeats
  (its text is that outlet's, whoever put it online).

Boilerplate: a sentence an outlet repeats at the end of several of its own articles of a story (an
editor's note, a standing disclaimer) is the outlet's template, not a report: its statements are
dropped before alignment, so it can neither become a claim nor corroborate one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rapidfuzz import fuzz

from newsfuse import defaults
from newsfuse.fuse.claims.lru import SlotLRU
from newsfuse.fuse.claims.statements import SENTENCE_END
from newsfuse.fuse.claims.words import folded
from newsfuse.fuse.entities.resolve import normalise
from newsfuse.models import Article, ClaimSource

UNKNOWN = "unknown outlet"  # the one originator all articles of unknown outlet share


def originators(
    sources: Sequence[ClaimSource], original: Mapping[str, str], by_id: Mapping[str, Article]
) -> dict[str, str]:
    """Article ID -> originator key of each source of one claim (see the module docstring)."""
    keys = _through_cited_outlets(sources, {s.article_id: _own_key(s, original, by_id) for s in sources})
    known = [s for s in sources if keys[s.article_id] != UNKNOWN]
    for s in sources:
        if keys[s.article_id] == UNKNOWN:
            shared = next((k for k in known if _repeats(s, k)), None)
            if shared is not None:
                keys[s.article_id] = keys[shared.article_id]
    return keys


def _through_cited_outlets(sources: Sequence[ClaimSource], keys: dict[str, str]) -> dict[str, str]:
    """An outlet citing another outlet of the claim carries that outlet's report, and so whom that
    report cites: 'Northgate Observer citing MARNEWS', where MARNEWS's own report of the fact cites
    the Ministry of Water, is the Ministry's report, not a source besides it (:func:`cited_through`)."""
    through = cited_through(sources, keys)
    return {a: through.get(a, (k, ""))[0] for a, k in keys.items()}


def cited_through(sources: Sequence[ClaimSource], keys: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Article ID -> (originator key, the cited outlet) of each source citing an outlet of the claim
    whose own reports of it all cite one source (followed as far as outlets cite outlets)."""
    own: dict[str, set[str]] = {}
    for s in sources:
        if s.outlet:
            own.setdefault("source:" + normalise(s.outlet), set()).add(keys[s.article_id])
    out: dict[str, tuple[str, str]] = {}
    for s in sources:
        key, seen = keys[s.article_id], {keys[s.article_id]}
        while len(own.get(key, ())) == 1 and (nxt := next(iter(own[key]))) not in seen:
            key = nxt
            seen.add(key)
        if key != keys[s.article_id] and s.cited_source:
            out[s.article_id] = (key, s.cited_source)
    return out


def _own_key(s: ClaimSource, original: Mapping[str, str], by_id: Mapping[str, Article]) -> str:
    if s.cited_source:
        return "source:" + normalise(s.cited_source)
    root = by_id.get(original.get(s.article_id, s.article_id))
    outlet = root.outlet if root is not None else s.outlet
    return "source:" + normalise(outlet) if outlet else UNKNOWN


def _repeats(s: ClaimSource, other: ClaimSource) -> bool:
    """Whether one source's evidence is another's text (a re-post of a known outlet's report)."""
    cut = defaults.UNKNOWN_OUTLET_SHARED_TEXT
    return any(
        fuzz.ratio(folded(a.text), folded(b.text), score_cutoff=cut) >= cut
        for a in s.evidence for b in other.evidence
    )


def independent_count(keys: Mapping[str, str]) -> int:
    return len(set(keys.values()))


def boilerplate(
    articles: Iterable[Article], sentences: Mapping[str, Iterable[tuple[int, int]]],
    original: Mapping[str, str],
) -> set[tuple[str, str]]:
    """(outlet, folded sentence) pairs an outlet repeats across at least
    ``defaults.BOILERPLATE_MIN_ARTICLES`` of its own articles that are not copies of each other,
    each time among its last sentences (where editors' notes and disclaimers stand).
    ``sentences``: article ID -> (start, end) of the sentences its statements stand in."""
    seen: dict[tuple[str, str], set[str]] = {}
    for a in articles:
        if not a.outlet or not a.text:
            continue
        root = original.get(a.id, a.id)
        for text in _edge_texts(a, frozenset(sentences.get(a.id, ()))):
            seen.setdefault((normalise(a.outlet), text), set()).add(root)
    return {key for key, roots in seen.items() if len(roots) >= defaults.BOILERPLATE_MIN_ARTICLES}


def _edge_texts(a: Article, spans: frozenset[tuple[int, int]]) -> frozenset[str]:
    """The folded texts of the sentences ``spans`` of ``a`` that stand among its last ones and are
    long enough to be a note; kept per article while its text, its sentences and the settings read
    are the same (a story re-fused after one new article asks again for every other article)."""
    edge, least = defaults.BOILERPLATE_EDGE_SENTENCES, defaults.CLAIM_CLAUSE_MIN_WORDS

    def build() -> frozenset[str]:
        texts = (folded(a.text[start:end]) for start, end in spans if _at_edge(a, start, end))
        return frozenset(t for t in texts if len(t.split()) >= least)

    return _EDGES.get((a.text, spans, edge, least), build, slot=a.id)


_EDGES: SlotLRU[frozenset[str]] = SlotLRU(defaults.CLAIM_CACHE_ARTICLES)


def _at_edge(a: Article, start: int, end: int) -> bool:
    """Whether a sentence is among the last ``defaults.BOILERPLATE_EDGE_SENTENCES`` of the article,
    where notes and disclaimers stand (an updated report repeats its lead, which is no boilerplate)."""
    edge = defaults.BOILERPLATE_EDGE_SENTENCES
    after = sum(1 for _ in zip(range(edge), SENTENCE_END.finditer(a.text, end), strict=False))
    return after < edge


def is_boilerplate(article: Article, start: int, end: int, found: set[tuple[str, str]]) -> bool:
    if not article.outlet or not found:
        return False
    return (normalise(article.outlet), folded(article.text[start:end])) in found


def how_counted(keys: Mapping[str, str], sources: Sequence[ClaimSource], original: Mapping[str, str]) -> str:
    """One line on how the claim's independent originators were counted, '' when nothing was folded."""
    notes = [note for cited, carriers in sorted(_carriers(sources, original).items())
             if (note := _carried_note(cited, *carriers))]
    through = {f"{s.outlet or UNKNOWN} cites {s.cited_source}, whose report of it cites "
               f"{_cited_by(sources, s.cited_source)}: counted as that source": None for s in sources
               if s.article_id in keys and s.cited_source
               and keys[s.article_id] != "source:" + normalise(s.cited_source)}
    notes += list(through)
    copied = sorted({s.outlet or s.article_id for s in sources if s.article_id in original})
    if copied:
        notes.append(f"copies of a wire story counted once: {', '.join(copied)}")
    unknown = [s for s in sources if not s.outlet and not s.cited_source and s.article_id not in original]
    folded_in = sum(1 for s in unknown if keys.get(s.article_id) != UNKNOWN)
    if len(unknown) > 1:
        notes.append(f"{len(unknown)} articles of unknown outlet count as one source")
    if folded_in:
        notes.append(f"{folded_in} of unknown outlet repeating a known outlet's text counted as that outlet")
    return "; ".join(notes)


def _carriers(sources: Sequence[ClaimSource], original: Mapping[str, str]) -> dict[str, tuple[set[str], int]]:
    """Cited source -> (outlets whose own reports cite it, how many wire copies cite it too)."""
    out: dict[str, tuple[set[str], int]] = {}
    for s in sources:
        if s.cited_source:
            outlets, copies = out.get(s.cited_source, (set(), 0))
            if s.article_id in original:
                out[s.cited_source] = (outlets, copies + 1)
            else:
                out[s.cited_source] = (outlets | {s.outlet or UNKNOWN}, copies)
    return out


def _carried_note(cited: str, outlets: set[str], copies: int) -> str:
    """'2 outlets carry Reuters: one source carried 2 times'; a wire copy is said as a copy, not as an
    outlet of its own ('2 outlets and 1 copy of a wire story carry ...'). One outlet and its copies
    carry the source once: the copies' note says that already, so '' then."""
    if len(outlets) < 2:
        return ""
    plural = "copy" if copies == 1 else "copies"
    also = f" and {copies} {plural} of a wire story" if copies else ""
    return f"{len(outlets)} outlets{also} carry {cited}: one source carried {len(outlets)} times"


def _cited_by(sources: Sequence[ClaimSource], outlet: str) -> str:
    """Whom an outlet's own report of the claim cites ('the Ministry of Water')."""
    return next((s.cited_source for s in sources if s.outlet and s.cited_source
                 and normalise(s.outlet) == normalise(outlet)), outlet)


def forget() -> None:
    """Drop what this module keeps between fuses (a fresh process's state, for tests and benches)."""
    _EDGES.clear()
