"""A big store built by replication, not by analysis: what ``bench/scale.py --replicate-to`` measures on.

End to end, newsfuse stores about one article a second on this machine, so a store of 100,000
articles would take more than a day to grow for real. This module grows a PostgreSQL store that was
filled for real (ingest, analysis, fusion) to any size by replicating its stories inside the
database (one ``INSERT ... SELECT`` per table and round, no spaCy, no encoder, no Python per row):
replica ``r`` of a seed story is a new story holding one replica of each of its articles. Every
replica row takes its template's ID with ``r<round>`` appended (record IDs inside the JSON data too,
so an event still points at its time and amounts), and gets

- articles: the template's text with a closing line of its own, same outlet and date, a new
  arrival number; its signature and LSH buckets are the template's (the texts differ only by that
  line); the copy link of its template, re-pointed at the replica of the template's original;
- the template's analysis rows (mentions, quotes, events, times, amounts; offsets stay right, the
  text only grows at its end), entity links with their mention counts;
- the template's term counts (``story_docs``, added to the document frequencies ``story_df``), its
  place in the replica story, whose centroid and index terms are the seed story's.

Replica stories are recorded as fused, with no claims or timeline rows: a fusion of one of them
(when a new article joins it) rebuilds them from the replicated analyses, as for any story. A store
grown this way has the seed's mix of story sizes at every size (more stories, not bigger ones), which
is what adding one article to a store of N articles should be measured against. Stories, entities
and df are the seed's many times over, so the term index and the entity link counts are denser than
in a real store of that size (candidate reads cost at least as much as in real news).
"""

from __future__ import annotations

from typing import Any

import psycopg

from newsfuse.ingest.dedup import fill_bands
from newsfuse.store import Store, queries

CHUNK_STORIES = 200  # seed stories replicated per transaction (the size is checked between chunks)
_RECORD_ID = r'"([a-z]{1,3}_[0-9a-f]{16})"'  # an ID inside a record's JSON data

# Each statement copies the rows of the chunk's seed articles (%(stories)s), suffixing IDs with %(sfx)s.
_SEED = "SELECT article_id FROM story_articles WHERE story_id = ANY(%(stories)s)"
_STATEMENTS = [
    """INSERT INTO stories(id, title, first_seen, last_update, merged_into, created_seq, data)
       SELECT id || %(sfx)s, title, first_seen, last_update, NULL,
              (SELECT MAX(created_seq) FROM stories) + ROW_NUMBER() OVER (ORDER BY created_seq),
              regexp_replace(data, '"id":"[^"]*"', '"id":"' || id || %(sfx)s || '"')
       FROM stories WHERE id = ANY(%(stories)s)""",
    f"""INSERT INTO articles(id, raw_id, outlet_id, outlet, title, url, author, published,
           published_source, fmt, source, wire_id, text, metadata, ingested_at, seq)
       SELECT id || %(sfx)s, NULL, outlet_id, outlet, title, url, author, published, published_source,
              fmt, 'replica', wire_id, text || %(line)s, metadata, ingested_at,
              (SELECT MAX(seq) FROM articles) + ROW_NUMBER() OVER (ORDER BY seq)
       FROM articles WHERE id IN ({_SEED})""",
    f"""INSERT INTO signatures(article_id, signature)
       SELECT article_id || %(sfx)s, signature FROM signatures WHERE article_id IN ({_SEED})""",
    f"""INSERT INTO copy_bands(bucket, article_id)
       SELECT bucket, article_id || %(sfx)s FROM copy_bands WHERE article_id IN ({_SEED})""",
    f"""INSERT INTO copies(article_id, original_id, similarity, method)
       SELECT article_id || %(sfx)s, original_id || %(sfx)s, similarity, method FROM copies
       WHERE article_id IN ({_SEED}) AND original_id IN ({_SEED})""",
    f"""INSERT INTO analyses(article_id, version, analyzed_at)
       SELECT article_id || %(sfx)s, version, analyzed_at FROM analyses WHERE article_id IN ({_SEED})""",
    f"""INSERT INTO mentions(id, article_id, start_char, end_char, entity_key, label, data)
       SELECT id || %(sfx)s, article_id || %(sfx)s, start_char, end_char, entity_key, label,
              regexp_replace(data, %(re)s, %(repl)s, 'g') FROM mentions WHERE article_id IN ({_SEED})""",
    f"""INSERT INTO quotes(id, article_id, speaker_key, data)
       SELECT id || %(sfx)s, article_id || %(sfx)s, speaker_key, regexp_replace(data, %(re)s, %(repl)s, 'g')
       FROM quotes WHERE article_id IN ({_SEED})""",
    f"""INSERT INTO events(id, article_id, type, mode, data)
       SELECT id || %(sfx)s, article_id || %(sfx)s, type, mode, regexp_replace(data, %(re)s, %(repl)s, 'g')
       FROM events WHERE article_id IN ({_SEED})""",
    f"""INSERT INTO times(id, article_id, data)
       SELECT id || %(sfx)s, article_id || %(sfx)s, regexp_replace(data, %(re)s, %(repl)s, 'g')
       FROM times WHERE article_id IN ({_SEED})""",
    f"""INSERT INTO amounts(id, article_id, data)
       SELECT id || %(sfx)s, article_id || %(sfx)s, regexp_replace(data, %(re)s, %(repl)s, 'g')
       FROM amounts WHERE article_id IN ({_SEED})""",
    f"""INSERT INTO entity_links(article_id, entity_key, entity_id, reason, mentions)
       SELECT article_id || %(sfx)s, entity_key, entity_id, reason, mentions FROM entity_links
       WHERE article_id IN ({_SEED})""",
    f"""INSERT INTO story_docs(article_id, terms)
       SELECT article_id || %(sfx)s, terms FROM story_docs WHERE article_id IN ({_SEED})""",
    """INSERT INTO story_articles(article_id, story_id, score)
       SELECT article_id || %(sfx)s, story_id || %(sfx)s, score FROM story_articles
       WHERE story_id = ANY(%(stories)s)""",
    """INSERT INTO story_vectors(story_id, size, data)
       SELECT story_id || %(sfx)s, size, data FROM story_vectors WHERE story_id = ANY(%(stories)s)""",
    """INSERT INTO story_index(term, story_id)
       SELECT term, story_id || %(sfx)s FROM story_index WHERE story_id = ANY(%(stories)s)""",
]


_RECORD_TABLES = ("mentions", "quotes", "events", "times", "amounts")
# The document frequencies grow by the seed's, once per round (applied once per growth: updating
# every term per chunk would rewrite the vocabulary hundreds of times).
_DF = f"""UPDATE story_df d SET df = d.df + %(rounds)s * x.n
       FROM (SELECT t.term, COUNT(*) AS n FROM story_docs s, jsonb_object_keys(s.terms::jsonb) AS t(term)
             WHERE s.article_id IN ({_SEED}) GROUP BY t.term) x
       WHERE d.term = x.term"""


def seed_stories(store: Store) -> list[str]:
    """IDs of the live stories of the store as it is now (the templates), a page at a time."""
    out: list[str] = []
    while page := queries.list_stories(store, limit=500, offset=len(out)):
        out += [s.id for s in page]
    return sorted(out)


def prepare(url: str) -> list[str]:
    """Check the seed is settled (nothing left to analyse, place or fuse) and fill its copy buckets
    (a store written before migration 17); returns the seed story IDs."""
    with Store(url) as store:
        fill_bands(store)
        pending = queries.pending_fusion_ids(store), queries.articles_to_place(store)
        if any(pending):
            raise SystemExit(f"the seed store {url} has work pending (fusion {len(pending[0])}, placement "
                             f"{len(pending[1])}): run 'newsfuse ingest' on it first")
        return seed_stories(store)


def grow(url: str, seeds: list[str], target: int, start_round: int = 1, records: bool = True,
         tag: str = "") -> int:
    """Replicate the seed stories, round after round, a chunk at a time (each chunk committed),
    until the store holds ``target`` articles (the last chunk may overshoot); returns the round to
    start the next growth. ``records`` False: replicas get no analysis records (mentions, quotes,
    events, times, amounts: most of the rows and of the time), only their ``analyses`` row. ``tag``
    goes before the round in the suffix: a store grown before holds replicas of round ``r`` already."""
    r = start_round
    statements = [s for s in _STATEMENTS if records or not any(f"INTO {t}(" in s for t in _RECORD_TABLES)]
    with psycopg.connect(url, autocommit=True) as conn:
        while _count(conn) < target:
            for start in range(0, len(seeds), CHUNK_STORIES):
                if _count(conn) >= target:
                    break
                replicate_chunk(conn, seeds[start:start + CHUNK_STORIES], f"{tag}r{r}", statements)
            r += 1
        # A partly written round counts its chunks' documents once: close enough for the IDF.
        if r > start_round:
            conn.execute(_DF, {"stories": seeds, "rounds": r - start_round})
        if _has_counts(conn):  # migration 19: the N of the IDF is kept, not counted per placement
            conn.execute("UPDATE store_counts SET n = (SELECT COUNT(*) FROM story_docs) "
                         "WHERE name = 'story_docs'")
    return r


def replicate_chunk(conn: Any, stories: list[str], sfx: str, statements: list[str]) -> None:
    """The replicas ``sfx`` of the given seed stories and of their articles' rows, in one transaction."""
    params = {"stories": stories, "sfx": sfx, "line": f"\n\nThis report was updated for edition {sfx}.",
              "re": _RECORD_ID, "repl": '"\\1' + sfx + '"'}
    with conn.transaction():
        for sql in statements:
            conn.execute(sql, params)


def _has_counts(conn: Any) -> bool:
    return bool(conn.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'store_counts'")
                .fetchone())


def _count(conn: Any) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


def table_rows(url: str) -> dict[str, int]:
    """Row counts of the main tables (reported beside the store size)."""
    tables = ("articles", "analyses", "mentions", "story_articles", "stories", "copy_bands", "entity_links",
              "story_index", "story_df", "claims")
    with psycopg.connect(url) as conn:
        return {t: int(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]) for t in tables}
