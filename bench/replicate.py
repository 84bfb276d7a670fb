"""A big store built by replication, not by analysis: what ``bench/scale.py`` measures 10k vs 100k on.

End to end, newsfuse stores about one article a second on this machine, so a store of 100,000
articles would take more than a day to grow for real. This module grows a PostgreSQL store that was
filled for real (ingest, analysis, fusion: the seed) to any size, at the row level: the seed's rows
are read once, and each round writes one replica of every live seed story, varied in Python and
sent with ``COPY`` (one transaction per round; no spaCy, no encoder).

What a replica is (round ``r``, suffix ``<tag>r<r>`` on every ID, record IDs inside the JSON too):

- **names**: every word of a name the seed's analysis found (people, organisations, facilities,
  events, products, works; mentions of kind 'name') becomes a made-up word of the same length and
  case, one map per round: 'Ben Carson' may be 'Dalu Rimosk' in round 1 and 'Tebo Wasilu' in round
  2, in the text, the title, every record (mention texts, entity keys, speakers, event actors),
  the entity rows and the story terms, so each replica story has people and organisations of its
  own and resolution makes new entities for them. Kept as they are: places and nationalities, the
  entities the seed links from ``FAMOUS_STORIES`` or more of its stories ('Hillary Clinton',
  'United States', 'CNN': names every round repeats, whose links grow with the store as in real
  news), and words the seed also writes in lower case (ordinary words). Same length: every
  character offset stays right;
- **dates**: every ISO date (articles, stories, times, events) moves ``DAYS_PER_ROUND`` x ``r``
  days later (the words of the text keep the template's dates);
- **wording**: a closing paragraph of the replica's own (its edition, its made-up editor) is
  appended; the rest of the text is the template's with its names changed;
- **rows**: the article (template's outlet, a new arrival number), its MinHash signature and copy
  buckets (the template's: the texts differ by names, not wording; replicas of one template are not
  recorded as copies of each other), copy links re-pointed at replicas, the analysis and its
  records, entity links (to the replica entities, or to the kept famous entity), story placement,
  the term counts (``story_docs``; the varied names' terms counted into ``story_df``) and a story
  whose centroid and index terms are the template story's with the names changed. Entity rows
  get the totals of their links (migration 20); kept entities' totals grow by each round's links.

Replica stories are recorded as fused, with no claims, timeline or sentence vectors (a fusion of
one, when a new article joins it, rebuilds them from the replicated analyses). Story sizes keep the
seed's mix at every size (more stories, not bigger ones).

Run alone: ``python bench/replicate.py URL --to 10000`` grows the store at URL (a settled seed).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from psycopg.rows import dict_row  # noqa: E402

from newsfuse.fuse.stories import textsim  # noqa: E402
from newsfuse.ingest.dedup import fill_bands  # noqa: E402
from newsfuse.store import Store, queries  # noqa: E402

FAMOUS_STORIES = 3  # an entity the seed links from this many stories keeps its name in every replica
DAYS_PER_ROUND = 3  # each round's dates move this many days later (1,000 rounds: about 8 years)
NAME_LABELS = ("PERSON", "ORG", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART")
MIN_WORD = 3  # shorter name words ('Al', 'de') stay
_ID = re.compile(r"\b[a-z]{1,3}_[0-9a-f]{16}\b")
_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_VOWELS, _CONSONANTS = "aeiou", "bcdfghjklmnprstvwz"
_RECORD_TABLES = ("mentions", "quotes", "events", "times", "amounts")


@dataclass
class Seed:
    """The seed's rows, read once: what every round replicates."""

    stories: list[dict[str, Any]]
    tables: dict[str, list[dict[str, Any]]]  # table -> rows of the seed stories' articles
    famous: set[str]  # entity IDs kept in every replica
    words: list[str]  # name words each round renames
    entity_ids: set[str] = field(default_factory=set)
    taken: set[str] = field(default_factory=set)  # every capitalised word of the seed's texts


def load_seed(conn: Any) -> Seed:
    """Read the live stories of a settled store and every row of their articles."""
    cur = conn.cursor(row_factory=dict_row)
    stories = cur.execute("SELECT * FROM stories WHERE merged_into IS NULL AND id IN "
                          "(SELECT story_id FROM story_articles) ORDER BY created_seq").fetchall()
    ids = [s["id"] for s in stories]
    arts = "SELECT article_id FROM story_articles WHERE story_id = ANY(%(s)s)"
    tables: dict[str, list[dict[str, Any]]] = {}
    queries_by_table = {
        "articles": f"SELECT id, outlet_id, outlet, title, url, author, published, published_source, fmt, "
                    f"wire_id, text, metadata, ingested_at FROM articles WHERE id IN ({arts}) ORDER BY seq",
        "signatures": f"SELECT * FROM signatures WHERE article_id IN ({arts})",
        "copy_bands": f"SELECT * FROM copy_bands WHERE article_id IN ({arts})",
        "copies": f"SELECT * FROM copies WHERE article_id IN ({arts}) AND original_id IN ({arts})",
        "analyses": f"SELECT * FROM analyses WHERE article_id IN ({arts})",
        **{t: f"SELECT * FROM {t} WHERE article_id IN ({arts})" for t in _RECORD_TABLES},
        "entity_links": f"SELECT * FROM entity_links WHERE article_id IN ({arts})",
        "story_docs": f"SELECT * FROM story_docs WHERE article_id IN ({arts})",
        "story_articles": "SELECT * FROM story_articles WHERE story_id = ANY(%(s)s)",
        "story_vectors": "SELECT * FROM story_vectors WHERE story_id = ANY(%(s)s)",
        "story_index": "SELECT * FROM story_index WHERE story_id = ANY(%(s)s)",
    }
    for table, sql in queries_by_table.items():
        tables[table] = cur.execute(sql, {"s": ids}).fetchall()
    entity_ids = sorted({r["entity_id"] for r in tables["entity_links"]})
    tables["entities"] = cur.execute("SELECT id, name, label, data FROM entities WHERE id = ANY(%(e)s)",
                                     {"e": entity_ids}).fetchall()
    story_of = {r["article_id"]: r["story_id"] for r in tables["story_articles"]}
    spread: dict[str, set[str]] = {}
    for link in tables["entity_links"]:
        spread.setdefault(link["entity_id"], set()).add(story_of[link["article_id"]])
    famous = {e for e, s in spread.items() if len(s) >= FAMOUS_STORIES}
    taken = {w for a in tables["articles"]
             for w in re.findall(r"\b[A-Z][A-Za-z]+\b", a["text"] + " " + (a["title"] or ""))}
    taken |= {w.upper() for w in taken}
    return Seed(stories, tables, famous, _name_words(tables, famous), set(entity_ids), taken)


def _name_words(tables: dict[str, list[dict[str, Any]]], famous: set[str]) -> list[str]:
    """The words each round renames: words of names (of ``NAME_LABELS``) that no kept name, place
    or ordinary lower-case word of the seed shares."""
    lower = {w for a in tables["articles"] for w in re.findall(r"\b[a-z][a-z'’-]*\b", a["text"])}
    keys_of_famous = {(r["article_id"], r["entity_key"]) for r in tables["entity_links"]
                      if r["entity_id"] in famous}
    keep, rename = set(), set()
    for m in tables["mentions"]:
        data = json.loads(m["data"])
        words = set(re.findall(r"[A-Za-z]+", f"{data.get('text') or ''} {m['entity_key'] or ''}"))
        if data.get("kind") != "name" or m["label"] not in NAME_LABELS \
                or (m["article_id"], m["entity_key"]) in keys_of_famous:
            keep |= words if data.get("kind") == "name" else set()
        else:
            rename |= words
    return sorted(w for w in rename - keep if len(w) >= MIN_WORD and w.lower() not in lower
                  and w[0].isupper())


def made_up(word: str, variant: str) -> str:
    """A pronounceable made-up word of the same length and case as ``word`` (deterministic)."""
    digest = hashlib.blake2b(f"{word}\0{variant}".encode(), digest_size=32).digest()
    out = []
    for i in range(len(word)):
        pool = _VOWELS if i % 2 else _CONSONANTS
        out.append(pool[digest[i % len(digest)] % len(pool)])
    fake = "".join(out)
    if word.isupper():
        return fake.upper()
    return fake[0].upper() + fake[1:] if word[0].isupper() else fake


class Variation:
    """One round's map of names and dates, applied to texts, record JSON, IDs and terms."""

    def __init__(self, seed: Seed, r: int, sfx: str, pattern: re.Pattern[str]) -> None:
        self.sfx, self.days = sfx, timedelta(days=DAYS_PER_ROUND * r)
        self.names: dict[str, str] = {}
        taken = set(seed.taken)  # a made-up word never equals a word of the seed or another made-up one
        for w in seed.words:
            salt = 0
            while (fake := made_up(w, f"{sfx}/{salt}" if salt else sfx)) in taken:
                salt += 1
            taken.add(fake)
            self.names[w] = fake
        self.names.update({w.upper(): v.upper() for w, v in list(self.names.items())})
        self.terms: dict[str, str] = {}
        for w, v in self.names.items():
            for a, b in ((w.lower(), v.lower()), (textsim._normal(w), textsim._normal(v))):
                if a:
                    self.terms[a] = b
        self.pattern, self.keep = pattern, seed.famous

    def text(self, s: str | None) -> str | None:
        """Names and dates of a text or a JSON string changed; IDs suffixed (kept entities' not)."""
        if s is None:
            return None
        parts = _TEMPLATES.get(s)
        if parts is None:
            parts = _TEMPLATES[s] = _template(s, self.pattern, self.names, self.keep)
        return "".join(p if k == "" else self._one(k, p) for k, p in parts)

    def _one(self, kind: str, found: str) -> str:
        if kind == "id":
            return found + self.sfx
        if kind == "date":
            return self.day(found) or found
        return self.names[found]

    def day(self, iso: str | None) -> str | None:
        if not iso:
            return iso
        try:
            moved = date.fromisoformat(iso[:10]) + self.days
        except ValueError:
            return iso
        return moved.isoformat() + iso[10:]

    def term(self, t: str) -> str:
        head, _, rest = t.rpartition(":")
        head = head + ":" if head else ""
        return head + " ".join(self.terms.get(w, w) for w in rest.split(" "))

    def terms_json(self, data: str) -> str:
        """A {term: number} JSON with the renamed words of its terms changed (cut once, as texts are)."""
        parts = _TEMPLATES.get(data)
        if parts is None:
            parts = _TEMPLATES[data] = [("term" if k else "", p) for k, p in
                                        _template(data, _TERM_WORD, self.terms, set())]
        return "".join(p if k == "" else self.terms[p] for k, p in parts)

    def varied_terms(self, data: str) -> tuple[list[str], list[str]]:
        """(terms every round keeps, this round's varied terms) of a {term: number} JSON."""
        kept, varied = _TERM_SPLIT.get(data, (None, None))
        if kept is None or varied is None:
            terms = list(json.loads(data))
            varied = [t for t in terms if self.term(t) != t]
            kept = [t for t in terms if t not in set(varied)]
            _TERM_SPLIT[data] = (kept, varied)
        return kept, [self.term(t) for t in varied]


_TERM_WORD = re.compile(r"(?P<name>\b[a-z]{2,}\b)")
_TERM_SPLIT: dict[str, tuple[list[str], list[str]]] = {}


_TEMPLATES: dict[str, list[tuple[str, str]]] = {}  # a seed string cut into what every round keeps and varies


def _template(s: str, pattern: re.Pattern[str], names: dict[str, str], keep: set[str]
              ) -> list[tuple[str, str]]:
    """``s`` as (kind, piece) pairs: kind '' is kept as it is, 'id' / 'date' / 'name' varies per
    round (cut once per seed string: the rounds only join the pieces)."""
    out: list[tuple[str, str]] = []
    at = 0
    for m in pattern.finditer(s):
        kind = m.lastgroup or "name"
        found = m.group()
        if (kind == "id" and found in keep) or (kind == "name" and found not in names):
            continue
        out.append(("", s[at:m.start()]))
        out.append((kind, found))
        at = m.end()
    out.append(("", s[at:]))
    return [(k, p) for k, p in out if k or p]


def seed_pattern(seed: Seed) -> re.Pattern[str]:
    """One regex for IDs, ISO dates and capitalised words (looked up in the round's names)."""
    names = seed.words
    del names  # a dict lookup per capitalised word is far faster than a regex of thousands of words
    word = rf"\b[A-Z][A-Za-z]{{{MIN_WORD - 1},}}\b"
    return re.compile(rf"(?P<id>{_ID.pattern})|(?P<date>{_DATE.pattern})|{word}")


# -- one round --------------------------------------------------------------------------------


@dataclass
class Counters:
    """Numbers the rows need across rounds: next arrival numbers, the df of varied terms."""

    seq: int
    story_seq: int
    df: Counter[str] = field(default_factory=Counter)
    # a seed article's terms JSON -> (the terms no round varies, replicas written since the last flush)
    kept: dict[str, tuple[list[str], int]] = field(default_factory=dict)
    docs: int = 0


def replicate_round(conn: Any, seed: Seed, r: int, tag: str, counters: Counters, records: bool = True,
                    limit: int | None = None) -> int:
    """Write replica ``r`` of the seed stories (the first ``limit`` articles' stories if given) in one
    transaction; returns the articles written."""
    sfx = f"{tag}r{r}"
    var = Variation(seed, r, sfx, _PATTERNS.setdefault(id(seed), seed_pattern(seed)))
    members: dict[str, list[str]] = {}
    for row in seed.tables["story_articles"]:
        members.setdefault(row["story_id"], []).append(row["article_id"])
    stories, articles = [], set()
    for s in seed.stories:
        if limit is not None and len(articles) >= limit:
            break
        stories.append(s)
        articles.update(members.get(s["id"], []))
    story_ids = {s["id"] for s in stories}
    rows = _round_rows(seed, var, stories, articles, story_ids, counters, records)
    with conn.transaction():
        for table, (columns, values) in rows.items():
            copy_rows(conn, table, columns, values)
        kept = _link_totals(seed, articles, lambda e: e in seed.famous, records)
        conn.cursor().executemany(
            "UPDATE entities SET link_articles = link_articles + %s, link_mentions = link_mentions + %s "
            "WHERE id = %s", [(n, m, e) for e, (n, m) in sorted(kept.items())])
        conn.execute("UPDATE store_counts SET n = n + %s WHERE name = 'story_docs'", (len(articles),))
    return len(articles)


_PATTERNS: dict[int, re.Pattern[str]] = {}
Rows = dict[str, tuple[Sequence[str], list[tuple[Any, ...]]]]


def _round_rows(seed: Seed, var: Variation, stories: list[dict[str, Any]], articles: set[str],
                story_ids: set[str], counters: Counters, records: bool) -> Rows:
    t, sfx, out = seed.tables, var.sfx, {}
    ours = [a for a in t["articles"] if a["id"] in articles]
    rows = []
    for a in ours:
        counters.seq += 1
        editor = " ".join(made_up(w, sfx + a["id"]) for w in ("Maren", "Tollefsen"))
        closing = (f"\n\nThis report appeared in edition {sfx} of the {a['outlet'] or 'wire'} digest; "
                   f"editing by {editor}.")
        rows.append((a["id"] + sfx, None, a["outlet_id"], a["outlet"], var.text(a["title"]), a["url"],
                     a["author"],
                     var.day(a["published"]), a["published_source"], a["fmt"], "replica", a["wire_id"],
                     var.text(a["text"]) + closing, a["metadata"], a["ingested_at"], counters.seq))
    out["articles"] = (("id", "raw_id", "outlet_id", "outlet", "title", "url", "author", "published",
                        "published_source", "fmt", "source", "wire_id", "text", "metadata", "ingested_at",
                        "seq"),
                       rows)

    def of(table: str) -> list[dict[str, Any]]:
        return [row for row in t[table] if row["article_id"] in articles]

    out["signatures"] = (("article_id", "signature"), [(x["article_id"] + sfx, x["signature"])
                                                       for x in of("signatures")])
    out["copy_bands"] = (("bucket", "article_id"),
                         [(x["bucket"], x["article_id"] + sfx) for x in of("copy_bands")])
    out["copies"] = (("article_id", "original_id", "similarity", "method"),
                     [(x["article_id"] + sfx, x["original_id"] + sfx, x["similarity"], x["method"])
                      for x in of("copies") if x["original_id"] in articles])
    out["analyses"] = (("article_id", "version", "analyzed_at"),
                       [(x["article_id"] + sfx, x["version"], x["analyzed_at"]) for x in of("analyses")])
    if records:
        out["mentions"] = (("id", "article_id", "start_char", "end_char", "entity_key", "label", "data"),
                           [(x["id"] + sfx, x["article_id"] + sfx, x["start_char"], x["end_char"],
                             var.text(x["entity_key"]), x["label"], var.text(x["data"]))
                            for x in of("mentions")])
        out["quotes"] = (("id", "article_id", "speaker_key", "data"),
                         [(x["id"] + sfx, x["article_id"] + sfx, var.text(x["speaker_key"]),
                           var.text(x["data"]))
                          for x in of("quotes")])
        out["events"] = (("id", "article_id", "type", "mode", "data"),
                         [(x["id"] + sfx, x["article_id"] + sfx, x["type"], x["mode"], var.text(x["data"]))
                          for x in of("events")])
        for table in ("times", "amounts"):
            out[table] = (("id", "article_id", "data"),
                          [(x["id"] + sfx, x["article_id"] + sfx, var.text(x["data"]))
                                                        for x in of(table)])
    links = of("entity_links")
    day = {a["id"]: var.day(a["published"]) or "" for a in ours}  # links carry their article's date
    out["entity_links"] = (("article_id", "entity_key", "entity_id", "reason", "mentions", "published"),
                           [(x["article_id"] + sfx, var.text(x["entity_key"]),
                             x["entity_id"] if x["entity_id"] in seed.famous else x["entity_id"] + sfx,
                             var.text(x["reason"]), x["mentions"] if records else 0,
                             day.get(x["article_id"], ""))
                            for x in links])
    totals = _link_totals(seed, articles, lambda e: e not in seed.famous, records)
    out["entities"] = (("id", "name", "label", "data", "link_articles", "link_mentions"),
                       [(e["id"] + sfx, var.text(e["name"]), e["label"],
                         _entity_data(var.text(e["data"]), e["id"] + sfx),
                         *totals[e["id"]]) for e in t["entities"] if e["id"] in totals])
    docs = []
    for x in of("story_docs"):
        terms = var.terms_json(x["terms"])
        kept, varied = var.varied_terms(x["terms"])
        counters.df.update(varied)
        counters.kept[x["terms"]] = (kept, counters.kept.get(x["terms"], (kept, 0))[1] + 1)
        docs.append((x["article_id"] + sfx, terms))
    out["story_docs"] = (("article_id", "terms"), docs)
    story_rows, created = [], {}
    for s in stories:
        counters.story_seq += 1
        created[s["id"]] = counters.story_seq
        story_rows.append((s["id"] + sfx, var.text(s["title"]), var.day(s["first_seen"]),
                           var.day(s["last_update"]),
                           None, counters.story_seq, var.text(s["data"])))
    out["stories"] = (("id", "title", "first_seen", "last_update", "merged_into", "created_seq", "data"),
                      story_rows)
    out["story_articles"] = (("article_id", "story_id", "score"),
                             [(x["article_id"] + sfx, x["story_id"] + sfx, x["score"])
                              for x in t["story_articles"] if x["story_id"] in story_ids])
    out["story_vectors"] = (("story_id", "size", "data"),
                            [(x["story_id"] + sfx, x["size"], var.terms_json(x["data"]))
                             for x in t["story_vectors"] if x["story_id"] in story_ids])
    index = {(var.term(x["term"]), x["story_id"] + sfx, created[x["story_id"]]) for x in t["story_index"]
             if x["story_id"] in story_ids}
    out["story_index"] = (("term", "story_id", "seq"), sorted(index))  # seq: the story's (migration 20)
    counters.docs += len(docs)
    return out


def _entity_data(data: str | None, entity_id: str) -> str:
    """A replica entity's JSON: its own ID, no article list (migration 20: its totals are columns)."""
    entity = json.loads(data or "{}")
    entity["id"], entity["article_ids"], entity["mention_count"] = entity_id, [], 0
    return json.dumps(entity, ensure_ascii=False, separators=(",", ":"))


def _link_totals(seed: Seed, articles: set[str], which: Callable[[str], bool], records: bool = True
                 ) -> dict[str, tuple[int, int]]:
    """entity -> (distinct articles, mentions) of the round's links to the entities ``which`` picks
    (no mentions when the replicas have no records)."""
    arts: dict[str, set[str]] = {}
    mentions: Counter[str] = Counter()
    for x in seed.tables["entity_links"]:
        if x["article_id"] in articles and which(x["entity_id"]):
            arts.setdefault(x["entity_id"], set()).add(x["article_id"])
            mentions[x["entity_id"]] += x["mentions"] if records else 0
    return {e: (len(a), mentions[e]) for e, a in arts.items()}


def copy_rows(conn: Any, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """``COPY table (columns) FROM STDIN`` of the rows."""
    with conn.cursor().copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)


def flush_df(conn: Any, counters: Counters) -> None:
    """Add the varied terms' document counts to ``story_df`` (one COPY and one upsert)."""
    for kept, n in counters.kept.values():  # the terms every replica keeps count once per replica
        for t in kept:
            counters.df[t] += n
    counters.kept.clear()
    if not counters.df:
        return
    with conn.transaction():
        conn.execute("CREATE TEMP TABLE df_add (term TEXT PRIMARY KEY, n INTEGER) ON COMMIT DROP")
        copy_rows(conn, "df_add", ("term", "n"), counters.df.items())
        conn.execute("INSERT INTO story_df(term, df) SELECT term, n FROM df_add "
                     "ON CONFLICT (term) DO UPDATE SET df = story_df.df + excluded.df")
    counters.df.clear()


# -- growing a store ----------------------------------------------------------------------------


def seed_stories(store: Store) -> list[str]:
    """IDs of the live stories of the store as it is now (the templates), a page at a time."""
    out: list[str] = []
    while page := queries.list_stories(store, limit=500, offset=len(out)):
        out += [s.id for s in page]
    return sorted(out)


def prepare(url: str) -> list[str]:
    """Check the seed is settled (nothing left to analyse, place or fuse), bring it to this schema
    and fill its copy buckets (a store written before migration 17); returns the seed story IDs."""
    with Store(url) as store:
        fill_bands(store)
        pending = queries.pending_fusion_ids(store), queries.articles_to_place(store)
        if any(pending):
            raise SystemExit(f"the seed store {url} has work pending (fusion {len(pending[0])}, placement "
                             f"{len(pending[1])}): run 'newsfuse ingest' on it first")
        return seed_stories(store)


_SEEDS: dict[str, Seed] = {}


def grow(url: str, seeds: list[str] | None, target: int, start_round: int = 1, records: bool = True,
         tag: str = "", seed_url: str | None = None) -> int:
    """Replicate the seed stories, round after round (each round one transaction), until the store
    holds ``target`` articles (the last round stops at the story that reaches it); returns the round
    to start the next growth. ``seed_url``: where the seed's rows are read (default: ``url`` as it
    is at the first call; ``seeds`` is accepted for older callers and ignored: every live story of the seed is
    replicated). ``records`` False: replicas get no analysis records (mentions, quotes, events,
    times, amounts), only their ``analyses`` row. ``tag`` goes before the round in the suffix."""
    del seeds
    source = seed_url or url
    with psycopg.connect(url, autocommit=True) as conn:
        if source not in _SEEDS:
            with psycopg.connect(source, autocommit=True) as seed_conn:
                _SEEDS[source] = load_seed(seed_conn)
        seed = _SEEDS[source]
        count, seq, story_seq = conn.execute(
            "SELECT COUNT(*), COALESCE(MAX(seq), 0), (SELECT COALESCE(MAX(created_seq), 0) FROM stories) "
            "FROM articles").fetchone()
        counters = Counters(seq, story_seq)
        r = start_round
        with _indexes_built_after(conn, target - count > BULK_ARTICLES):
            try:
                while count < target:
                    count += replicate_round(conn, seed, r, tag, counters, records, limit=target - count)
                    r += 1
                    if len(counters.df) > 500_000:
                        flush_df(conn, counters)
            finally:  # the rounds written (each committed) count in the IDF even when stopped
                flush_df(conn, counters)
    return r


BULK_ARTICLES = 5_000  # a growth by more drops the secondary indexes of the big tables and builds them after
_BULK_TABLES = ("articles", "mentions", "quotes", "events", "times", "amounts", "entity_links", "copy_bands",
                "story_index", "entities")


@contextlib.contextmanager
def _indexes_built_after(conn: Any, bulk: bool) -> Iterator[None]:
    """For a bulk growth, drop the big tables' secondary (non-unique) indexes and create them again
    from their own definitions at the end: one sort per index instead of a tree insert per row.
    A growth stopped in between leaves the store without them (build it again)."""
    if not bulk:
        yield
        return
    rows = conn.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
        "JOIN pg_index x ON x.indexrelid = c.oid WHERE i.schemaname = current_schema() "
        "AND i.tablename = ANY(%s) AND NOT x.indisunique", (list(_BULK_TABLES),)).fetchall()
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    try:
        yield
    finally:
        conn.execute("SET maintenance_work_mem = '256MB'")
        for _, definition in rows:
            conn.execute(definition)
        conn.execute("VACUUM ANALYZE")  # the visibility map too: index-only scans read no heap


def table_rows(url: str) -> dict[str, int]:
    """Row counts of the main tables (reported beside the store size)."""
    tables = ("articles", "analyses", "mentions", "story_articles", "stories", "copy_bands", "entities",
              "entity_links", "story_index", "story_df", "claims")
    with psycopg.connect(url) as conn:
        return {t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("url", help="a settled PostgreSQL store to grow (changed!)")
    ap.add_argument("--to", type=int, required=True, help="articles the store should hold")
    ap.add_argument("--seed-url", help="read the seed rows here (default: the store itself)")
    ap.add_argument("--start-round", type=int, default=1)
    ap.add_argument("--tag", default="")
    ap.add_argument("--no-records", action="store_true", help="replicas get no analysis records (mentions, "
                    "quotes, events, times, amounts): a 100k store within a session on a loaded host")
    args = ap.parse_args(argv)
    prepare(args.seed_url or args.url)
    start = time.perf_counter()
    rounds = grow(args.url, None, args.to, args.start_round, not args.no_records, args.tag, args.seed_url)
    out = {"store": table_rows(args.url), "rounds": rounds - args.start_round,
           "seconds": round(time.perf_counter() - start, 1)}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
