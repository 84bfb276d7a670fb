"""Exports of stories, claims, quotes, events and entities as JSON Lines, CSV or GDELT 2.0 TSV.

JSON Lines carries every field of a record (nested sources and spans included) plus the context a
consumer needs without the database (outlet, URL, story). CSV carries a flat selection of those
fields (lists joined with '; ', nested values as JSON). The GDELT format is the 61-column GDELT 2.0
Event table, tab-separated and without a header like GDELT's own files, one row per event, with
newsfuse's claim status appended as a 62nd column.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, TextIO

from newsfuse import defaults
from newsfuse.analyze.events import plover
from newsfuse.errors import ConfigError
from newsfuse.ids import content_id
from newsfuse.models import Claim, Event, to_dict
from newsfuse.store import Store, queries

WHATS = ("stories", "claims", "quotes", "events", "entities")
FORMATS = ("jsonl", "csv", "gdelt")

CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "stories": ("id", "title", "first_seen", "last_update", "articles", "outlets", "independent_outlets",
                "article_ids"),
    "claims": ("id", "story_id", "kind", "status", "independent_sources", "text", "outlets",
               "article_ids", "note"),
    "quotes": ("id", "story_id", "article_id", "outlet", "published", "speaker", "speaker_key",
               "speaker_entity_id", "kind", "cue", "content", "anonymous", "cited_source",
               "content_start", "content_end", "url"),
    "events": ("id", "story_id", "article_id", "outlet", "published", "type", "cameo_root", "mode",
               "trigger", "source", "target", "place", "date_start", "date_end", "claim_status", "url"),
    "entities": ("id", "name", "label", "aliases", "roles", "mention_count", "article_ids"),
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
GDELT_EXTRA_COLUMN = "NewsfuseClaimStatus"  # column 62: corroborated | single-source | conflicting

# PLOVER event type -> CAMEO root code, used when the analyze stage offers no map of its own.
def export(store: Store, what: str, fmt: str, out: TextIO) -> int:
    """Write ``what`` in ``fmt`` to ``out``; returns the number of records written."""
    if what not in WHATS:
        raise ConfigError(f"cannot export {what!r}; choose one of {', '.join(WHATS)}")
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "gdelt":
        if what != "events":
            raise ConfigError("the GDELT format holds events only; use --what events --format gdelt")
        return _write_gdelt(out, gdelt_rows(store))
    rows = ROWS[what](store)
    return _write_jsonl(out, rows) if fmt == "jsonl" else _write_csv(out, rows, CSV_COLUMNS[what])


# -- records -----------------------------------------------------------------------------------


def story_rows(store: Store) -> Iterator[dict[str, Any]]:
    offset = 0
    while page := queries.find_stories(store, limit=defaults.MAX_PAGE_SIZE, offset=offset):
        counts = queries.story_counts(store, [s.id for s in page])
        for s in page:
            c = counts.get(s.id, {})
            yield {"id": s.id, "title": s.title, "first_seen": s.first_seen, "last_update": s.last_update,
                   "articles": c.get("articles", 0), "outlets": c.get("outlets", 0),
                   "independent_outlets": c.get("independent", 0), "article_ids": list(s.article_ids)}
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
    for e in queries.list_entities(store):
        yield to_dict(e)


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


def gdelt_rows(store: Store) -> Iterator[list[str]]:
    """One GDELT 2.0 event row (61 columns + claim status) per stored event."""
    facts = queries.article_facts(store)
    find = _claim_finder(queries.all_claims(store))
    firsts = _first_paragraph_ends(store)
    for e in queries.all_records(store, "events"):
        yield gdelt_row(e, facts.get(e.article_id, {}), find(e), firsts.get(e.article_id))


def gdelt_row(e: Event, fact: dict[str, Any], claim: Claim | None, lead_end: int | None) -> list[str]:
    row = dict.fromkeys(GDELT_COLUMNS, "")
    row["GlobalEventID"] = str(int(content_id(e.id)[:15], 16))  # GDELT IDs are integers
    day = _day(e.date_start) or _day(fact.get("published"))
    if day:
        row.update(SQLDATE=day.strftime("%Y%m%d"), MonthYear=day.strftime("%Y%m"), Year=str(day.year),
                   FractionDate=f"{day.year + day.timetuple().tm_yday / 365:.4f}")
    row["Actor1Name"] = _cell(e.source).upper()  # GDELT writes actor names in capitals
    row["Actor2Name"] = _cell(e.target).upper()
    row["IsRootEvent"] = "1" if lead_end is not None and e.sentence_start < lead_end else "0"
    root = cameo_root(e.type)
    if root:
        row.update(EventCode=root, EventBaseCode=root, EventRootCode=root, QuadClass=str(_quad_class(root)))
    articles = len(claim.sources) if claim else 1
    row.update(NumMentions=str(articles), NumArticles=str(articles),
               NumSources=str(claim.independent_sources if claim else 1))
    row["ActionGeo_FullName"] = _cell(e.place)
    row["DATEADDED"] = re.sub(r"\D", "", str(fact.get("ingested_at") or ""))[:14]
    row["SOURCEURL"] = _cell(fact.get("url") or fact.get("source"))
    return [*row.values(), claim.status if claim else ""]


def _quad_class(root: str) -> int:
    """CAMEO roots 01-05 verbal cooperation, 06-08 material cooperation, 09-13 verbal conflict,
    14-20 material conflict."""
    n = int(root)
    return 1 if n <= 5 else 2 if n <= 8 else 3 if n <= 13 else 4


def _first_paragraph_ends(store: Store) -> dict[str, int]:
    """Article -> end offset of its lead paragraph (GDELT's IsRootEvent: reported in the lead)."""
    ends = {}
    for a in queries.list_articles(store):
        cut = a.text.find("\n\n")
        ends[a.id] = cut if cut >= 0 else len(a.text)
    return ends


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


def _write_gdelt(out: TextIO, rows: Iterator[list[str]]) -> int:
    n = 0
    for row in rows:
        out.write("\t".join(row) + "\n")
        n += 1
    return n
