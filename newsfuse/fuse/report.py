"""Story reports: one JSON-ready dict (:func:`story_data`) rendered as Markdown, JSON or HTML.

The HTTP API and web pages render exactly :func:`story_data`; its shape is stable::

    {
      "story": {"id", "title", "first_seen", "last_update", "merged_ids": [story ids merged into it],
                "moves": [to_dict(StoryMove): articles moved out of or into it, in order],
                "articles", "outlets", "independent_outlets", "copies", "unknown_outlet_articles",
                "independence": how they were counted, in words,
                "article_count", "outlet_count", "independent_sources": older names of the first three},
      "summary": ["N articles from M outlets (K independent outlets: how counted)", "dates ...",
                  "claims ..."],
      "articles": [{"id", "outlet", "title", "published", "published_source", "url",
                    "copy_of": original article id or null, "wire_id"}],
      "claims": [to_dict(Claim)],              # conflicting, corroborated (most sources first),
                                               # then single-source
      "quotes": [{"id", "article_id", "outlet", "speaker", "speaker_entity_id", "speaker_name",
                  "content", "kind", "cue", "cited_source", "relayed_by", "anonymous", "start", "end"}],
      "who_said_what": [{"speaker", "speaker_entity_id", "anonymous",   # the quotes by speaker, one
                         "statements": [{"said", "kind", "cue", "content", "cited_source",  # line a
                                         "quote_ids", "carriers": [{"outlet", "article_id", "start",
                                                                    "end", "cited_source", "relayed_by",
                                                                    "is_copy"}],
                                         "wordings": [{"said", "outlets"}]}]}],   # statement
      "entities": [to_dict(Entity)],           # most mentioned first; "article_ids" the entity's
                                               # newest articles (a page), "article_total" how many
                                               # it has, "next_cursor" the page after (or null)
      "timeline": [to_dict(TimelineEntry)],    # by date
      "coverage": [{"outlet", "article_ids", "claim_ids"}]   # which outlet carried which claims
    }

``who_said_what`` is ``quotes`` grouped by speaker, one statement a line however many outlets carry it
(:func:`who_said_what`): the same words, or a reported statement in other words (``wordings``: the
other outlets' own words of it, each with its outlets).
``relayed_by`` names the outlet that reported the quote in turn ('X said Y, CNN reported': CNN), or
null. The story's counts are :func:`count_fields` of ``queries.story_counts``, the same names and values
the story list (``stories --json``, ``GET /api/stories``) shows: ``independent_outlets`` counts
outlets after folding syndicated copies into their wire original, every article of unknown outlet
together as one. A claim's ``independent_sources`` counts its originators (``ClaimSource.originator``:
a cited source, a wire original's outlet, an outlet, or 'unknown outlet'); its ``note`` says what was
folded; its ``details`` what one outlet alone adds to the shared fact (``ClaimDetail``: ``text``,
``outlet``, ``cited_source``, ``attribution``, ``evidence``), never counted as corroborated.
``start``/``end`` of a quote are offsets of its content in its article's text. Every piece of text in
the HTML is escaped: article text is hostile input.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from dataclasses import replace
from typing import Any

from newsfuse import defaults
from newsfuse.analyze.quotes.marks import VERBATIM_KINDS, as_read
from newsfuse.errors import ConfigError
from newsfuse.fuse.claims.relations import same_statement
from newsfuse.fuse.claims.sentence import in_sentence
from newsfuse.fuse.claims.statements import fragment, says_nothing
from newsfuse.models import Article, Claim, Entity, Quote, to_dict
from newsfuse.store import Store, queries

FORMATS = ("md", "json")  # the HTML page is rendered by newsfuse.web.report, over the same data
# A journalist checks disputes first, then what is best confirmed, then what rests on one outlet.
_STATUS_ORDER = {"conflicting": 0, "corroborated": 1, "single-source": 2}


def story_data(store: Store, story_id: str) -> dict[str, Any]:
    """Everything known about one story, JSON-ready (see the module docstring for the shape)."""
    story = queries.get_story(store, story_id)
    articles = queries.list_articles(store, list(story.article_ids))
    original = queries.copy_originals(store, list(story.article_ids))  # not every copy link stored
    claims = sorted(queries.story_claims(store, story.id), key=_claim_order)
    entities = sorted(queries.list_entities(store, list(story.article_ids), articles=False),
                      key=lambda e: (-e.mention_count, e.name))
    links = queries.entity_links(store, list(story.article_ids))
    names = {e.id: e.name for e in entities}
    counts = count_fields(queries.story_counts(store, [story.id]).get(story.id, {}))
    data = {
        "story": {
            "id": story.id, "title": story.title, "first_seen": story.first_seen,
            "last_update": story.last_update, "merged_ids": queries.merged_story_ids(store, story.id),
            "moves": [to_dict(m) for m in queries.story_moves(store, [story.id])],
            **counts, "article_count": counts["articles"], "outlet_count": counts["outlets"],
            "independent_sources": counts["independent_outlets"],
        },
        "articles": [_article(a, original) for a in articles],
        "claims": [to_dict(c) for c in claims],
        "quotes": (quotes := _quotes(store, articles, links, names)),
        "who_said_what": who_said_what(quotes, {a.id for a in articles if a.id in original}),
        "entities": [entity_data(store, e) for e in entities],
        "timeline": [to_dict(t) for t in queries.story_timeline(store, story.id)],
        "coverage": _coverage(articles, claims),
    }
    data["summary"] = _summary(articles, counts, claims)
    return data


def entity_data(store: Store, entity: Entity, limit: int = defaults.PAGE_SIZE,
                cursor: str | None = None) -> dict[str, Any]:
    """An entity JSON-ready with one page of its articles, newest first (``article_ids``), how many it
    has in all (``article_total``) and the cursor of the next page (``next_cursor``, None on the
    last): a name in sixty thousand articles is read a page at a time, never whole."""
    page = queries.entity_article_page(store, entity.id, limit, cursor)
    return {**to_dict(replace(entity, article_ids=page.ids)), "article_total": page.total,
            "next_cursor": page.next_cursor}


def count_fields(c: dict[str, int]) -> dict[str, Any]:
    """A story's counts under the names every surface uses (list rows and the story document)."""
    fields: dict[str, Any] = {
        "articles": c.get("articles", 0), "outlets": c.get("outlets", 0),
        "independent_outlets": c.get("independent", 0), "copies": c.get("copies", 0),
        "unknown_outlet_articles": c.get("unknown", 0),
    }
    fields["independence"] = independence_text(fields)
    return fields


def independence_text(c: dict[str, Any]) -> str:
    """How the independent count was made: 'each outlet counts once; 3 syndicated copies folded into
    their wire original; 2 articles of unknown outlet count as one outlet together'. The story's count
    is of outlets everywhere (header, summary, list): a claim's count is of sources (cited sources
    included), a different number under a different name."""
    parts = ["each outlet counts once"]
    if c["copies"]:
        n = c["copies"]
        parts.append("1 syndicated copy folded into its wire original" if n == 1
                     else f"{n} syndicated copies folded into their wire originals")
    if c["unknown_outlet_articles"]:
        n = c["unknown_outlet_articles"]
        parts.append("1 article of unknown outlet counts as one outlet" if n == 1
                     else f"{n} articles of unknown outlet count as one outlet together")
    return "; ".join(parts)


def _claim_order(c: Claim) -> tuple[int, int, str, str]:
    """Conflicting, then corroborated by most independent sources, then single-source; by kind
    (events, figures, quotes, facts) and ID inside a rank so the order is stable."""
    return (_STATUS_ORDER.get(c.status, 9), -c.independent_sources, _KIND_ORDER.get(c.kind, "z"), c.id)


_KIND_ORDER = {"event": "a", "amount": "b", "quote": "c", "fact": "d"}


def _article(a: Article, original: dict[str, str]) -> dict[str, Any]:
    return {"id": a.id, "outlet": a.outlet, "title": a.title, "published": a.published,
            "published_source": a.published_source, "url": a.url, "copy_of": original.get(a.id),
            "wire_id": a.wire_id}


def _quotes(
    store: Store, articles: Sequence[Article], links: dict[tuple[str, str], str], names: dict[str, str]
) -> list[dict[str, Any]]:
    analyses = queries.get_analyses(store, [a.id for a in articles])  # one read, not one per article
    out = [_quote(q, a, links, names) for a in articles for q in _shown(a, analyses[a.id].quotes)]
    return sorted(out, key=lambda q: (q["speaker_name"] or "~", q["article_id"], q["start"]))


def _shown(a: Article, quotes: Sequence[Quote]) -> list[Quote]:
    """The quotes a reader should see: not one that says nothing ('citing an unnamed official' with
    no speaker; 'say whether ...' inside 'declined to say whether ...', which is shown instead), nor
    a bare noun phrase ('confirmed the move': :func:`fragment`)."""
    def inside_another(q: Quote) -> bool:
        return any(o is not q and o.content_start <= q.content_start and q.content_end <= o.content_end
                   for o in quotes)

    return [q for q in quotes if not fragment(q)
            and not (says_nothing(a.text, q) and (q.speaker is None or inside_another(q)))]


def _quote(q: Quote, a: Article, links: dict[tuple[str, str], str], names: dict[str, str]) -> dict[str, Any]:
    entity_id = links.get((a.id, q.speaker_key)) if q.speaker_key else None
    return {
        "id": q.id, "article_id": a.id, "outlet": a.outlet, "speaker": q.speaker,
        "speaker_entity_id": entity_id, "speaker_name": names.get(entity_id or "", q.speaker),
        "content": q.content, "kind": q.kind, "cue": q.cue, "cited_source": q.cited_source,
        "relayed_by": q.relay_source, "anonymous": q.anonymous,
        "start": q.content_start, "end": q.content_end,
    }


def _coverage(articles: Sequence[Article], claims: Sequence[Claim]) -> list[dict[str, Any]]:
    by_outlet: dict[str, dict[str, list[str]]] = {}
    for a in articles:
        by_outlet.setdefault(a.outlet or "unknown outlet", {"article_ids": [], "claim_ids": []})[
            "article_ids"].append(a.id)
    outlet_of = {a.id: a.outlet or UNKNOWN_OUTLET for a in articles}
    for c in claims:
        for s in c.sources:
            found = by_outlet.get(outlet_of.get(s.article_id, ""))
            if found is not None and c.id not in found["claim_ids"]:
                found["claim_ids"].append(c.id)
    return [{"outlet": o, **row} for o, row in sorted(by_outlet.items())]


UNKNOWN_OUTLET = queries.UNKNOWN_OUTLET  # label of an article whose outlet nobody gave (the pages use it too)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _summary(articles: Sequence[Article], counts: dict[str, Any], claims: Sequence[Claim]) -> list[str]:
    dates = sorted(a.published[:10] for a in articles if a.published)
    estimated = sum(1 for a in articles if a.published_source == "estimated")
    by_status = {s: sum(1 for c in claims if c.status == s) for s in _STATUS_ORDER}
    unnamed = counts["unknown_outlet_articles"]
    known = counts["outlets"] - (1 if unnamed else 0)
    origin = _count(known, "outlet") + (f" and {unnamed} of unknown outlet" if unnamed else "")
    lines = [f"{_count(counts['articles'], 'article')} from {origin} "
             f"({_count(counts['independent_outlets'], 'independent outlet')}: {counts['independence']})"]
    if dates:
        extra = f" ({estimated} estimated)" if estimated else ""
        lines.append(f"published {dates[0]} to {dates[-1]}{extra}")
    lines.append(f"{by_status['corroborated']} corroborated, {by_status['single-source']} single-source, "
                 f"{by_status['conflicting']} conflicting claims")
    return lines


# -- rendering ----------------------------------------------------------------------------------


def render_story(store: Store, story_id: str, fmt: str = "md") -> str:
    """The story report as 'md' or 'json' (HTML: :func:`newsfuse.web.report.render_story`)."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    data = story_data(store, story_id)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False)
    return render_markdown(data)


def claim_when(c: dict[str, Any], to: str = " to ") -> str:
    """The event's own dates ('2024-11-19 to 2024-11-25', ``to`` joining a span), or when it was
    first reported, marked as such ('first reported 2024-11-20'); '' when undated."""
    start, end = c.get("date_start"), c.get("date_end") or c.get("date_start")
    if not start:
        return ""
    span = start if start == end else f"{start}{to}{end}"
    basis = c.get("date_basis") or ""
    return f"{basis} {span}" if basis.startswith("first reported") else span


def detail_outlet(detail: dict[str, Any]) -> str:
    """Who gives a single-source detail, as a reader names it: 'MENAFN', 'Olm Radio citing the
    governor', 'unknown outlet'."""
    outlet = detail.get("outlet") or UNKNOWN_OUTLET
    if detail.get("cited_source") and not detail.get("attribution"):
        outlet += f" citing {in_sentence(detail['cited_source'])}"
    return outlet


def detail_said(detail: dict[str, Any]) -> str:
    """A single-source detail's words with its attribution beside them ('Around 11,000 ... (the
    Pentagon confirmed)')."""
    said = detail.get("text") or ""
    return f"{said} ({detail['attribution']})" if detail.get("attribution") else said


def details_text(details: Sequence[dict[str, Any]]) -> str:
    """A claim's single-source details as one line of text (a spreadsheet cell): 'only MENAFN gives
    it: Around 11,000 ... (the Pentagon confirmed)', several joined by ' | '."""
    return " | ".join(f"only {detail_outlet(d)} gives it: {detail_said(d)}" for d in details)


def worded_negated(claim: dict[str, Any]) -> bool:
    """Whether a claim's sentence states the negation itself: every source reports it did not happen,
    so the row is worded by a negated statement ('Vladimir Putin is not ready to negotiate', 'Tarvan
    Hydro rejected reports ...'). Each source then reports what the row says; 'reports it did not
    happen' beside it would read as a double negative. The tag belongs to a row worded positively by
    another source (:func:`newsfuse.fuse.claims.records` words a disputed fact by its supporting side)."""
    sources = claim.get("sources") or []
    return bool(sources) and all(s.get("stance") == "denies" for s in sources)


def _sources_text(claim: dict[str, Any]) -> str:
    parts = []
    negated = worded_negated(claim)
    for s in claim["sources"]:
        label = s["outlet"] or UNKNOWN_OUTLET
        if s["cited_source"]:
            label += f" citing {in_sentence(s['cited_source'])}"
        if s["independent_of"]:
            label += " (copy)"
        if s["stance"] == "denies":
            label += "" if negated else " [reports it did not happen]"
        elif s["stance"] != "supports":
            label += f" [gives {s['value'] or 'another value'}]"
        parts.append(label)
    return "; ".join(parts)


def _status_words(claim: dict[str, Any]) -> str:
    """'corroborated by 2 independent sources', 'single-source', 'conflicting (2 sources)': what the
    markdown's bare '(2)' left the reader to guess."""
    n = claim["independent_sources"]
    if claim["status"] == "corroborated":
        return f"corroborated by {_count(n, 'independent source')}"
    if claim["status"] == "single-source":
        return "single-source"
    return f"{claim['status']} ({_count(n, 'source')})"


def render_markdown(data: dict[str, Any]) -> str:
    """The report as Markdown. Every text from the articles is escaped first: raw HTML (a
    ``<script>`` in a title) shows as text in any Markdown viewer, and no article text can start a
    heading, a link or an image of its own."""
    data = _md_escaped(data)
    s = data["story"]
    out = [f"# {s['title']}", "", f"Story `{s['id']}`", ""]
    out += [f"- {line}" for line in data["summary"]] + ["", "## Claims", ""]
    for c in data["claims"]:
        beside = [x for x in (c.get("attribution"), claim_when(c)) if x]
        aside = f" ({'; '.join(beside)})" if beside else ""
        out.append(f"- **{_status_words(c)}**: {c['text']}{aside}  ")
        counted = c["note"]
        out.append(f"  sources: {_sources_text(c)}" + (f"  \n  note: {counted}" if counted else ""))
        for d in c.get("details") or ():
            out[-1] += f"  \n  single-source detail, only {detail_outlet(d)} gives it: {detail_said(d)}"
    out += ["", "## Who said what", ""]
    # a document made before stories carried the grouping (a saved report) is grouped the same way
    for group in data.get("who_said_what") or who_said_what(data.get("quotes") or ()):
        out.append(f"- **{group['speaker']}**")
        for line in group["statements"]:
            also = "".join(f"; in other words: {w['said']} ({w['outlets']})" for w in line["wordings"])
            out.append(f"  - {line['said']} ({_carriers(line['carriers'])}){also}")
    out += ["", "## Entities", ""]
    out += [_entity_line(e) for e in data["entities"]]
    out += ["", "## Timeline", ""]
    for t in data["timeline"]:
        out.append(f"- {_when(t)}: {t['text']}{' (estimated)' if t['estimated'] else ''}")
    out += ["", "## Coverage", ""]
    out += [f"- {c['outlet']}: {_count(len(c['article_ids']), 'article')}, "
            f"{_count(len(c['claim_ids']), 'claim')}" for c in data["coverage"]]
    return "\n".join(out) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*\[\]<>#!|])")


def _md_escaped(value: Any) -> Any:
    """``value`` with every string one line of Markdown-inert text (IDs, dates and statuses hold
    none of the characters escaped, so they read the same)."""
    if isinstance(value, str):
        text = " ".join(value.split())
        return _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))
    if isinstance(value, dict):  # IDs are written in code spans, where a backslash would show
        return {k: v if k == "id" or k.endswith(("_id", "_ids")) else _md_escaped(v)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_md_escaped(v) for v in value]
    return value


def _speaker(q: dict[str, Any]) -> str:
    # Hearsay ('is said to have ...') names no source on purpose; other quotes without a speaker
    # are ones the analysis could not attribute.
    return q.get("speaker_name") or ("unnamed sources" if q.get("anonymous") else "unattributed")


def who_said_what(quotes: Sequence[dict[str, Any]], copies: Collection[str] = ()) -> list[dict[str, Any]]:
    """The story's quotes by speaker (in the order of ``quotes``), one line per statement: a wire
    story and its copies, or several outlets quoting one sentence, carry one statement, which a reader
    wants once with every outlet; so does a statement reported in other words by another outlet
    (``relations.same_statement``, the test that makes two outlets' quotes one claim), its other
    wordings kept beside it. A direct quote is folded only with the same words. ``copies``: articles
    that are syndicated copies, listed after the others."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for q in quotes:
        groups.setdefault(_speaker(q), []).append(q)
    out = []
    for who, said in groups.items():
        entity = next((q["speaker_entity_id"] for q in said if q.get("speaker_entity_id")), None)
        out.append({"speaker": who, "speaker_entity_id": entity,
                    "anonymous": all(q.get("anonymous") for q in said),
                    "statements": [_statement(same, who, copies) for same in _same_statements(said)]})
    return out


def _same_statements(quotes: Sequence[dict[str, Any]]) -> list[list[list[dict[str, Any]]]]:
    """One speaker's quotes as statements, each a list of wordings (quotes of the same words), in
    first-seen order."""
    worded: dict[str, list[dict[str, Any]]] = {}
    for q in quotes:
        worded.setdefault(_words_of(q["content"]), []).append(q)
    statements: list[list[list[dict[str, Any]]]] = []
    for same in worded.values():
        home = None if same[0]["kind"] in VERBATIM_KINDS else next(
            (st for st in statements if st[0][0]["kind"] not in VERBATIM_KINDS
             and same_statement(st[0][0]["content"], same[0]["content"])), None)
        if home is None:
            statements.append([same])
        else:
            home.append(same)
    return statements


def _words_of(content: str) -> str:
    """A quote's words for telling two quotes the same words: case, spacing and quote marks aside."""
    return " ".join(content.translate(_NO_QUOTE_MARKS).casefold().split()).rstrip(".,;:")


_NO_QUOTE_MARKS = str.maketrans("", "", "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb")


def _statement(wordings: list[list[dict[str, Any]]], who: str, copies: Collection[str]) -> dict[str, Any]:
    """One statement's line: worded as most outlets carry it, every carrier listed once (copies
    last), the other outlets' wordings beside it."""
    # most carriers first; sorted is stable, so the first seen wins a tie
    ranked = sorted(wordings, key=lambda w: -len({_carrier(q) for q in w}))
    lead, quotes = ranked[0][0], [q for w in ranked for q in w]
    # an article quoting a statement twice (a quote and the part of it another cue introduces)
    # carries it once
    firsts = list({_carrier(q): q for q in reversed(quotes)}.values())
    carriers = sorted(firsts, key=lambda q: (q.get("article_id") in copies, quotes.index(q)))
    told = {_carrier(q) for q in ranked[0]}
    others = [w for w in ranked[1:] if not told.issuperset(_carrier(q) for q in w)]
    cited = next((q["cited_source"] for q in quotes
                  if q.get("cited_source") and q["cited_source"].casefold() != who.casefold()), None)
    return {"said": said_line(lead), "kind": lead["kind"], "cue": lead.get("cue"), "content": lead["content"],
            "cited_source": cited, "quote_ids": [q.get("id") for q in quotes],
            "carriers": [{"outlet": q.get("outlet"), "article_id": q.get("article_id"),
                          "start": q.get("start"), "end": q.get("end"), "cited_source": q.get("cited_source"),
                          "relayed_by": q.get("relayed_by"), "is_copy": q.get("article_id") in copies}
                         for q in carriers],
            "wordings": [{"said": said_line(w[0]), "outlets": _carriers(w)} for w in others]}


def _carrier(q: dict[str, Any]) -> tuple[str | None, str | None]:
    return q.get("article_id"), q.get("outlet")


def _carriers(quotes: Sequence[dict[str, Any]]) -> str:
    """'MARNEWS, citing X; Dunmere Courier, citing X': each outlet carrying the statement once."""
    seen: dict[str, None] = {}
    for q in quotes:
        cited = f", citing {in_sentence(q['cited_source'])}" if q["cited_source"] else ""
        relay = q.get("relayed_by")
        # 'citing Reuters, as reported by Reuters' says one source twice: the relay is the cited source.
        if relay and (not q["cited_source"] or relay.casefold() != q["cited_source"].casefold()):
            cited += f", as reported by {relay}"
        seen[f"{q['outlet'] or UNKNOWN_OUTLET}{cited}"] = None
    return "; ".join(seen)


def said_line(q: dict[str, Any]) -> str:
    """What a speaker said, as a reader expects it: quote marks only around words the outlet put
    in quote marks; reported speech keeps its cue ('confirmed the move', 'said that ...'), since
    its content alone ('the move') means little."""
    cue = q["cue"] or "said"
    if q["kind"] == "according_to" or cue.casefold().startswith("according"):
        # 'according to two employees' names the source of a statement the outlet makes:
        # 'according to Two smaller competitors ...' would read as if the content were the source.
        return f"is the source of: {q['content']}"
    said = as_read(q["content"], q["kind"], ('"', '"'))  # mixed and partial quotes carry their own marks
    if q["kind"] in VERBATIM_KINDS or said[:1].isupper():
        # A whole sentence with its attribution after it ('The dam will be rebuilt ..., Hallen said')
        return f"{cue}: {said}"
    return f"{cue} {said}"


def _entity_line(e: dict[str, Any]) -> str:
    aliases = f" (also: {', '.join(e['aliases'])})" if e["aliases"] else ""
    roles = f"; {', '.join(e['roles'])}" if e["roles"] else ""
    return f"- {e['name']} [{e['label']}]{roles}{aliases}, {e['mention_count']} mentions"


def _when(t: dict[str, Any]) -> str:
    start, end = t["date_start"] or "?", t["date_end"] or t["date_start"] or "?"
    return start if start == end else f"{start}..{end}"


def entity_summary(entity: Entity) -> str:
    """One line about an entity (used by the CLI's entity listing)."""
    return _entity_line(to_dict(entity))
