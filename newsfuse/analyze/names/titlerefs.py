"""Title-only references ("the French president", "The interior minister, Mirela Kostan,") linked to
the person of the article holding that title."""

from __future__ import annotations

from newsfuse import defaults
from newsfuse.analyze.names import lexicon as names
from newsfuse.analyze.names import titles
from newsfuse.analyze.names.mentionspans import Name, Ref
from newsfuse.analyze.parse import ParsedDoc


def title_refs(doc: ParsedDoc, found: list[Name]) -> list[Ref]:
    """'the French president' -> the person in the article holding that title."""
    covered = {i for n in found for i in range(n.start, n.end)}
    refs = []
    for tok in doc.tokens:
        if tok.i in covered:
            continue
        span = titles.title_only(doc, tok.i)
        if span is None or any(i in covered for i in range(span.start, span.end)):
            continue
        refs.append(_resolve_title(doc, span, found))
    return refs


def _resolve_title(doc: ParsedDoc, span: titles.TitleSpan, found: list[Name]) -> Ref:
    text = titles.title_text(doc, span)
    bare = names.normalise(text)
    head = doc.tokens[span.head].text.casefold()
    wanted = _role_words([bare]) - {head}
    appositive = _name_after_comma(doc, span.end, found)
    if appositive is not None:  # "The interior minister, Mirela Kostan, said"
        appositive.titles.append(bare)
        key = appositive.key
        return Ref(span.start, span.end, "title", key, "PERSON", (bare,), defaults.CONF_TITLE_LINK)
    best: Name | None = None
    best_rank: tuple[int, int, int] | None = None
    for n in found:
        roles = _role_words(n.titles)
        if n.label != "PERSON" or head not in roles:
            continue
        rank = (len(wanted & roles), 1 if n.start < span.start else 0, -abs(n.start - span.start))
        if best_rank is None or rank > best_rank:
            best, best_rank = n, rank
    if best is None:
        return Ref(span.start, span.end, "title", bare, "PERSON", (bare,), defaults.CONF_TITLE_ALONE)
    return Ref(span.start, span.end, "title", best.key, "PERSON", (bare,), defaults.CONF_TITLE_LINK)


def _name_after_comma(doc: ParsedDoc, end: int, found: list[Name]) -> Name | None:
    if end >= len(doc.tokens) or doc.tokens[end].text != ",":
        return None
    return next((n for n in found if n.start == end + 1 and n.label == "PERSON"), None)


def _role_words(title_list: list[str] | tuple[str, ...]) -> set[str]:
    return {w.casefold() for t in title_list for w in t.split()}
