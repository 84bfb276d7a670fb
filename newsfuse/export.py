"""Exports of stories, claims, quotes, events and entities as JSON Lines, CSV or GDELT 2.0 TSV.

JSON Lines carries every field of a record (nested sources and spans included) plus the context a
consumer needs without the database (outlet, URL, story). CSV carries a flat selection of those
fields (lists joined with '; ', nested values as JSON). The GDELT format is the 61-column GDELT 2.0
Event table (``--what events``), tab-separated and without a header like GDELT's own files, and the
16-column GDELT 2.0 Mentions table (``--what mentions``): one event per claim its reports make (an
event no claim holds stands alone), one mention per article sentence reporting it, with character
offsets of the actors and the action. Actors carry CAMEO actor codes (country and role), events full
CAMEO codes with their Goldstein scale, places GeoNames coordinates (:mod:`newsfuse.analyze.events`
``cameo`` and ``gazetteer``). newsfuse's claim status is a 62nd column only when asked for
(``claim_status=True``): readers of GDELT files expect exactly 61.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, TextIO

from newsfuse import defaults
from newsfuse.analyze.events import cameo, gazetteer, plover
from newsfuse.errors import ConfigError
from newsfuse.fuse.report import count_fields, details_text, entity_data
from newsfuse.ids import content_id
from newsfuse.models import Article, Claim, Event, to_dict
from newsfuse.store import Store, queries

WHATS = ("stories", "claims", "quotes", "events", "entities", "mentions")
FORMATS = ("jsonl", "csv", "gdelt")

CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "stories": ("id", "title", "first_seen", "last_update", "articles", "outlets", "independent_outlets",
                "copies", "unknown_outlet_articles", "independence", "article_ids"),
    "claims": ("id", "story_id", "kind", "status", "independent_sources", "text", "attribution",
               "event_type", "cameo", "mode", "date_start", "date_end", "date_basis", "outlets",
               "article_ids", "note", "details"),
    "quotes": ("id", "story_id", "article_id", "outlet", "published", "speaker", "speaker_key",
               "speaker_entity_id", "kind", "cue", "content", "anonymous", "cited_source",
               "content_start", "content_end", "url"),
    "events": ("id", "story_id", "article_id", "outlet", "published", "type", "cameo_root", "mode",
               "trigger", "source", "target", "place", "date_start", "date_end", "claim_status", "url"),
    "entities": ("id", "name", "label", "aliases", "roles", "mention_count", "article_ids", "article_total",
                 "next_cursor"),
}

GDELT_COLUMNS: tuple[str, ...] = (
    "GlobalEventID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{n}{field}" for n in (1, 2) for field in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
        "Religion2Code", "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{geo}_{field}" for geo in ("Actor1Geo", "Actor2Geo", "ActionGeo") for field in (
        "Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
)
GDELT_EXTRA_COLUMN = "NewsfuseClaimStatus"  # column 62 on request: corroborated | single-source | conflicting
GDELT_MENTION_COLUMNS: tuple[str, ...] = (
    "GlobalEventID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
    "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
)
MENTION_TYPE_WEB = "1"  # GDELT's MentionType for a web article

# PLOVER event type -> CAMEO root code, used when the analyze stage offers no map of its own.
def export(store: Store, what: str, fmt: str, out: TextIO, claim_status: bool = False) -> int:
    """Write ``what`` in ``fmt`` to ``out``; returns the number of records written. ``claim_status``
    appends newsfuse's claim status to GDELT event rows as a 62nd column."""
    if what not in WHATS:
        raise ConfigError(f"cannot export {what!r}; choose one of {', '.join(WHATS)}")
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "gdelt":
        if what not in ("events", "mentions"):
            raise ConfigError("the GDELT format holds events only; use --what events (or mentions) "
                              "--format gdelt")
        events = gdelt_events(store)
        cells = (e.row(claim_status) for e in events) if what == "events" else (
            m for e in events for m in e.mentions)
        return _write_gdelt(out, cells)
    if what == "mentions":
        raise ConfigError("mentions are a GDELT table; use --what mentions --format gdelt")
    rows = ROWS[what](store)
    if fmt == "jsonl":
        return _write_jsonl(out, rows)
    if what == "claims":  # a spreadsheet reads the details as words, not as JSON
        rows = ({**r, "details": details_text(r["details"])} for r in rows)
    return _write_csv(out, rows, CSV_COLUMNS[what])


# -- records -----------------------------------------------------------------------------------


def story_rows(store: Store) -> Iterator[dict[str, Any]]:
    offset = 0
    while page := queries.find_stories(store, limit=defaults.MAX_PAGE_SIZE, offset=offset):
        counts = queries.story_counts(store, [s.id for s in page])
        for s in page:
            yield {"id": s.id, "title": s.title, "first_seen": s.first_seen, "last_update": s.last_update,
                   **count_fields(counts.get(s.id, {})), "article_ids": list(s.article_ids)}
        offset += len(page)


def claim_rows(store: Store) -> Iterator[dict[str, Any]]:
    for c in queries.all_claims(store):
        row = to_dict(c)
        row["outlets"] = sorted({s.outlet for s in c.sources if s.outlet})
        row["article_ids"] = [s.article_id for s in c.sources]
        yield row


def quote_rows(store: Store) -> Iterator[dict[str, Any]]:
    facts = queries.article_facts(store)
    quotes = queries.all_records(store, "quotes")
    links = queries.entity_links(store, sorted({q.article_id for q in quotes}))
    for q in quotes:
        row = {**to_dict(q), **_context(facts.get(q.article_id, {}))}
        row["speaker_entity_id"] = links.get((q.article_id, q.speaker_key or ""))
        yield row


def event_rows(store: Store) -> Iterator[dict[str, Any]]:
    facts = queries.article_facts(store)
    status = _claim_finder(queries.all_claims(store))
    for e in queries.all_records(store, "events"):
        claim = status(e)
        yield {**to_dict(e), **_context(facts.get(e.article_id, {})), "cameo_root": cameo_root(e.type),
               "claim_id": claim.id if claim else None, "claim_status": claim.status if claim else None}


def entity_rows(store: Store) -> Iterator[dict[str, Any]]:
    """Every entity with the newest page of its articles, how many it has and the cursor of the next
    page (``GET /api/entities/{id}?cursor=``): entities are read a page of rows at a time, each
    entity's articles a page at a time, so a name in every article costs one page, not the store."""
    for page in queries.entity_pages(store):
        for e in page:
            yield entity_data(store, e)


ROWS: dict[str, Callable[[Store], Iterator[dict[str, Any]]]] = {
    "stories": story_rows, "claims": claim_rows, "quotes": quote_rows, "events": event_rows,
    "entities": entity_rows,
}


def _context(fact: dict[str, Any]) -> dict[str, Any]:
    return {"story_id": fact.get("story_id"), "outlet": fact.get("outlet"),
            "published": fact.get("published"), "url": fact.get("url") or fact.get("source")}


def _claim_finder(claims: list[Claim]) -> Callable[[Event], Claim | None]:
    """Event -> the claim whose evidence in the event's article overlaps the event's sentence
    (an event claim preferred), so each exported event carries its cross-outlet status."""
    spans: dict[str, list[tuple[int, int, Claim]]] = {}
    for c in claims:
        for src in c.sources:
            for sp in src.evidence:
                spans.setdefault(sp.article_id, []).append((sp.start, sp.end, c))

    def find(e: Event) -> Claim | None:
        hits = [c for start, end, c in spans.get(e.article_id, [])
                if start < e.sentence_end and e.sentence_start < end]
        hits.sort(key=lambda c: c.kind != "event")
        return hits[0] if hits else None

    return find


def cameo_root(plover_type: str | None) -> str | None:
    """Two-digit CAMEO root code of a PLOVER type ('ASSAULT' -> '18'), None when unknown."""
    if not plover_type:
        return None
    try:
        return plover.cameo_root(plover_type)
    except ConfigError:  # a type outside the PLOVER inventory has no CAMEO root
        return None


# -- GDELT ---------------------------------------------------------------------------------------


@dataclass
class GdeltEvent:
    """One GDELT event: its 61 cells, the claim status, and its mention rows."""

    cells: dict[str, str]
    status: str
    mentions: list[list[str]]

    def row(self, claim_status: bool = False) -> list[str]:
        return [*self.cells.values(), *([self.status] if claim_status else [])]


def gdelt_events(store: Store) -> list[GdeltEvent]:
    """Events grouped by the claim holding them (one event reported by three outlets is one GDELT
    event with three mentions), each coded for GDELT."""
    facts = queries.article_facts(store)
    find = _claim_finder(queries.all_claims(store))
    articles = {a.id: a for a in queries.list_articles(store)}
    groups: dict[str, list[tuple[Event, Claim | None]]] = {}
    for e in queries.all_records(store, "events"):
        claim = find(e)
        key = claim.id if claim is not None and claim.kind == "event" else e.id
        groups.setdefault(key, []).append((e, claim))
    out = []
    for key, members in sorted(groups.items()):
        # the earliest report codes the event; on one day an original before its copies
        members.sort(key=lambda m: (_published(facts, m[0]) or "9999",
                                    bool(facts.get(m[0].article_id, {}).get("copy_of")),
                                    m[0].article_id, m[0].trigger_start))
        out.append(_gdelt_event(key, members, facts, articles))
    return out


def _published(facts: dict[str, dict[str, Any]], e: Event) -> str | None:
    return facts.get(e.article_id, {}).get("published")


def _gdelt_event(key: str, members: list[tuple[Event, Claim | None]], facts: dict[str, dict[str, Any]],
                 articles: dict[str, Article]) -> GdeltEvent:
    e, claim = members[0]  # the earliest report codes the event
    fact = facts.get(e.article_id, {})
    row = dict.fromkeys(GDELT_COLUMNS, "")
    row["GlobalEventID"] = str(int(content_id(key)[:15], 16))  # GDELT IDs are integers
    # the event's own date, else its report's (given or estimated); never the day it was read in,
    # which would date a 2016 event to the day of ingest (DATEADDED says that)
    day = _day(e.date_start) or _day(fact.get("published"))
    if day:
        row.update(SQLDATE=day.strftime("%Y%m%d"), MonthYear=day.strftime("%Y%m"), Year=str(day.year),
                   FractionDate=f"{day.year + day.timetuple().tm_yday / 365:.4f}")
    for n, actor in ((1, cameo.actor(e.source, e.source_key)), (2, cameo.actor(e.target, e.target_key))):
        if actor is not None:
            row.update({f"Actor{n}Code": actor.code, f"Actor{n}Name": _cell(actor.name),
                        f"Actor{n}CountryCode": actor.country, f"Actor{n}Type1Code": actor.role})
            _put_geo(row, f"Actor{n}Geo", gazetteer.country_place(actor.country) if actor.country else None)
    lead = articles.get(e.article_id)
    row["IsRootEvent"] = "1" if lead is not None and e.sentence_start < _lead_end(lead.text) else "0"
    code = cameo.event_code(e.type, e.trigger)
    if code is not None:
        row.update(EventCode=code.code, EventBaseCode=code.base, EventRootCode=code.root,
                   QuadClass=str(code.quad_class), GoldsteinScale=f"{code.goldstein:.1f}")
    outlets = {facts.get(m.article_id, {}).get("outlet") or m.article_id for m, _ in members}
    row.update(NumMentions=str(len(members)), NumArticles=str(len({m.article_id for m, _ in members})),
               NumSources=str(claim.independent_sources if claim else len(outlets)))
    _put_geo(row, "ActionGeo", gazetteer.place(e.place))
    if not row["ActionGeo_FullName"] and e.place:
        row["ActionGeo_FullName"] = _cell(e.place)  # named in the report, not in the gazetteer
    row["DATEADDED"] = _timestamp(fact.get("ingested_at"))
    row["SOURCEURL"] = _url(fact)
    mentions = [_mention(row["GlobalEventID"], row["DATEADDED"], m, facts.get(m.article_id, {}),
                         articles.get(m.article_id)) for m, _ in members]
    return GdeltEvent(row, claim.status if claim else "", mentions)


def _put_geo(row: dict[str, str], prefix: str, place: gazetteer.Place | None) -> None:
    if place is None:
        return
    row.update({f"{prefix}_Type": str(place.type), f"{prefix}_FullName": _cell(place.full_name),
                f"{prefix}_CountryCode": place.country, f"{prefix}_ADM1Code": place.adm1,
                f"{prefix}_Lat": "" if place.lat is None else f"{place.lat:.4f}",
                f"{prefix}_Long": "" if place.lon is None else f"{place.lon:.4f}",
                f"{prefix}_FeatureID": place.feature_id})


def _mention(event_id: str, added: str, e: Event, fact: dict[str, Any], article: Article | None) -> list[str]:
    """A GDELT Mentions row: the article's sentence reporting the event, with offsets of the actors
    (-1 when not in the sentence) and the action; MentionIdentifier is the URL, else the article ID."""
    text = article.text if article is not None else ""

    def offset(words: str | None) -> str:
        at = text.find(words, e.sentence_start, e.sentence_end) if words else -1
        return str(at)

    sentence_id = text.count(". ", 0, e.sentence_start) + 1 if text else 1
    row = dict.fromkeys(GDELT_MENTION_COLUMNS, "")
    row.update(GlobalEventID=event_id, EventTimeDate=added,
               MentionTimeDate=_timestamp(fact.get("ingested_at")), MentionType=MENTION_TYPE_WEB,
               MentionSourceName=_cell(fact.get("outlet")), MentionIdentifier=_url(fact) or e.article_id,
               SentenceID=str(sentence_id), Actor1CharOffset=offset(e.source),
               Actor2CharOffset=offset(e.target), ActionCharOffset=str(e.trigger_start), InRawText="1",
               Confidence=str(round(e.confidence * 100)), MentionDocLen=str(len(text)))
    return list(row.values())


def _lead_end(text: str) -> int:
    """End of an article's lead paragraph (GDELT's IsRootEvent: reported in the lead)."""
    cut = text.find("\n\n")
    return cut if cut >= 0 else len(text)


def _url(fact: dict[str, Any]) -> str:
    """The article's web address when known; a local file path is no source URL."""
    url = str(fact.get("url") or "")
    return _cell(url) if re.match(r"(?i)https?://", url) else ""


def _timestamp(value: Any) -> str:
    return re.sub(r"\D", "", str(value or ""))[:14]


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _cell(value: Any) -> str:
    """A TSV-safe cell: tabs and line breaks would split GDELT rows."""
    return re.sub(r"[\t\r\n]+", " ", str(value)).strip() if value is not None else ""


# -- writers -------------------------------------------------------------------------------------


def _write_jsonl(out: TextIO, rows: Iterator[dict[str, Any]]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_csv(out: TextIO, rows: Iterator[dict[str, Any]], columns: tuple[str, ...]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow([_neutral(row.get(c)) for c in columns])
        n += 1
    return n


# A cell a spreadsheet would run as a formula starts with one of these (OWASP, CSV injection);
# full-width forms too, which some spreadsheets fold to ASCII.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _neutral(value: Any) -> str:
    """The cell as text a spreadsheet shows, never runs: text starting like a formula gets a leading
    apostrophe, as OWASP recommends (numbers stay numbers: -0.5 is data, not a formula)."""
    cell = _flat(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return cell
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_flat(v) if not isinstance(v, dict) else json.dumps(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write_gdelt(out: TextIO, rows: Iterable[list[str]]) -> int:
    n = 0
    for row in rows:
        out.write("\t".join(row) + "\n")
        n += 1
    return n
