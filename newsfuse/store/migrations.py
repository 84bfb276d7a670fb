"""Ordered schema migrations, shared by SQLite and PostgreSQL.

Each migration is applied once, in its own transaction, and recorded in ``schema_migrations``.
Never edit a migration that has shipped: add a new one. SQL here is the portable subset both
backends accept; ``BLOB`` becomes ``BYTEA`` on PostgreSQL (see :mod:`newsfuse.store.backend`).
Structured records live in a ``data`` column as JSON text; the columns beside it are the ones we
filter, join or sort on.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, list[str]]] = [
    (
        1,
        "articles and copies",
        [
            """CREATE TABLE raw_inputs (
                id TEXT PRIMARY KEY, source TEXT, fmt TEXT, size INTEGER, content BLOB,
                received_at TEXT NOT NULL)""",
            """CREATE TABLE outlets (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, domain TEXT)""",
            """CREATE TABLE articles (
                id TEXT PRIMARY KEY, raw_id TEXT, outlet_id TEXT, outlet TEXT, title TEXT,
                url TEXT, author TEXT, published TEXT, published_source TEXT, fmt TEXT,
                source TEXT, wire_id TEXT, text TEXT NOT NULL, metadata TEXT NOT NULL DEFAULT '{}',
                ingested_at TEXT NOT NULL, seq INTEGER NOT NULL)""",
            "CREATE INDEX articles_published ON articles(published)",
            "CREATE INDEX articles_outlet ON articles(outlet)",
            "CREATE INDEX articles_seq ON articles(seq)",
            """CREATE TABLE copies (
                article_id TEXT PRIMARY KEY, original_id TEXT NOT NULL, similarity REAL NOT NULL,
                method TEXT NOT NULL)""",
            "CREATE INDEX copies_original ON copies(original_id)",
            """CREATE TABLE signatures (
                article_id TEXT PRIMARY KEY, signature BLOB NOT NULL)""",
        ],
    ),
    (
        2,
        "analysis records",
        [
            """CREATE TABLE analyses (
                article_id TEXT PRIMARY KEY, version TEXT NOT NULL, analyzed_at TEXT NOT NULL)""",
            """CREATE TABLE mentions (
                id TEXT PRIMARY KEY, article_id TEXT NOT NULL, start_char INTEGER, end_char INTEGER,
                entity_key TEXT, label TEXT, data TEXT NOT NULL)""",
            "CREATE INDEX mentions_article ON mentions(article_id)",
            "CREATE INDEX mentions_key ON mentions(entity_key)",
            """CREATE TABLE quotes (
                id TEXT PRIMARY KEY, article_id TEXT NOT NULL, speaker_key TEXT, data TEXT NOT NULL)""",
            "CREATE INDEX quotes_article ON quotes(article_id)",
            """CREATE TABLE events (
                id TEXT PRIMARY KEY, article_id TEXT NOT NULL, type TEXT, mode TEXT,
                data TEXT NOT NULL)""",
            "CREATE INDEX events_article ON events(article_id)",
            """CREATE TABLE times (
                id TEXT PRIMARY KEY, article_id TEXT NOT NULL, data TEXT NOT NULL)""",
            "CREATE INDEX times_article ON times(article_id)",
            """CREATE TABLE amounts (
                id TEXT PRIMARY KEY, article_id TEXT NOT NULL, data TEXT NOT NULL)""",
            "CREATE INDEX amounts_article ON amounts(article_id)",
        ],
    ),
    (
        3,
        "entities, stories, claims, timeline",
        [
            """CREATE TABLE entities (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, label TEXT, data TEXT NOT NULL)""",
            "CREATE INDEX entities_name ON entities(name)",
            """CREATE TABLE entity_links (
                article_id TEXT NOT NULL, entity_key TEXT NOT NULL, entity_id TEXT NOT NULL,
                reason TEXT, PRIMARY KEY (article_id, entity_key))""",
            "CREATE INDEX entity_links_entity ON entity_links(entity_id)",
            """CREATE TABLE stories (
                id TEXT PRIMARY KEY, title TEXT, first_seen TEXT, last_update TEXT,
                merged_into TEXT, created_seq INTEGER NOT NULL, data TEXT NOT NULL DEFAULT '{}')""",
            """CREATE TABLE story_articles (
                article_id TEXT PRIMARY KEY, story_id TEXT NOT NULL, score REAL)""",
            "CREATE INDEX story_articles_story ON story_articles(story_id)",
            """CREATE TABLE story_merges (
                from_id TEXT PRIMARY KEY, into_id TEXT NOT NULL, reason TEXT, similarity REAL,
                merged_at TEXT NOT NULL)""",
            """CREATE TABLE claims (
                id TEXT PRIMARY KEY, story_id TEXT NOT NULL, kind TEXT, status TEXT,
                independent_sources INTEGER, data TEXT NOT NULL)""",
            "CREATE INDEX claims_story ON claims(story_id)",
            """CREATE TABLE timeline (
                story_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
                PRIMARY KEY (story_id, seq))""",
        ],
    ),
    (
        4,
        "online story clustering state",
        # Online TF-IDF (fuse/stories/assign.py): document frequencies grow as articles arrive; each
        # article's term counts are kept so a re-run neither counts it twice nor re-reads its text;
        # a story's centroid is a JSON {term: weight} capped in size; story_index maps an
        # article's heaviest terms to its story to find candidates without scoring every story.
        [
            """CREATE TABLE story_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL)""",
            """CREATE TABLE story_docs (
                article_id TEXT PRIMARY KEY, terms TEXT NOT NULL)""",
            """CREATE TABLE story_vectors (
                story_id TEXT PRIMARY KEY, size INTEGER NOT NULL, data TEXT NOT NULL)""",
            """CREATE TABLE story_index (
                term TEXT NOT NULL, story_id TEXT NOT NULL, PRIMARY KEY (term, story_id))""",
            "CREATE INDEX story_index_story ON story_index(story_id)",
        ],
    ),
    (
        6,
        "full-text search over articles",
        # Each engine's own index: SQLite FTS5 (an external-content table over articles, keyed by
        # articles.seq and kept in step by triggers) and a PostgreSQL tsvector column with a GIN
        # index. queries.search_articles hides the difference.
        [
            """/* dialect: sqlite */ CREATE VIRTUAL TABLE articles_fts USING fts5(
                title, text, content='articles', content_rowid='seq',
                tokenize='porter unicode61 remove_diacritics 2')""",
            """/* dialect: sqlite */ CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
                INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
                END""",
            """/* dialect: sqlite */ CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
                INSERT INTO articles_fts(articles_fts, rowid, title, text)
                VALUES ('delete', old.seq, old.title, old.text);
                END""",
            """/* dialect: sqlite */ CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text, seq
                ON articles BEGIN
                INSERT INTO articles_fts(articles_fts, rowid, title, text)
                VALUES ('delete', old.seq, old.title, old.text);
                INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
                END""",
            "/* dialect: sqlite */ INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
            """/* dialect: postgresql */ ALTER TABLE articles ADD COLUMN search tsvector
                GENERATED ALWAYS AS (to_tsvector('english', COALESCE(title, '') || ' ' || text)) STORED""",
            "/* dialect: postgresql */ CREATE INDEX articles_search ON articles USING GIN (search)",
        ],
    ),
    (
        7,
        "indexes for fusing large stores",
        # Entity support counts one article's mentions of one key; entity lookup by name ignores
        # case. Without these, both scan and fusing a story grows with the size of the store.
        [
            "CREATE INDEX mentions_article_key ON mentions(article_id, entity_key)",
            "CREATE INDEX entities_lower_name ON entities(LOWER(name))",
        ],
    ),
    (
        8,
        "mention counts on entity links",
        # Fusing a story folds in what other stories' articles give a store-wide entity: their
        # links and mention counts. Counting mentions per link at read time cost every story a
        # join over all mentions of an entity named in thousands of articles; the count is kept
        # on the link instead (written with the link, refreshed when an article is re-analysed),
        # and the covering index answers "all links of these entities" without touching the table.
        [
            "ALTER TABLE entity_links ADD COLUMN mentions INTEGER NOT NULL DEFAULT 0",
            """UPDATE entity_links SET mentions = (
                SELECT COUNT(m.id) FROM mentions m
                WHERE m.article_id = entity_links.article_id AND m.entity_key = entity_links.entity_key)""",
            """CREATE INDEX entity_links_entity_support
                ON entity_links(entity_id, article_id, entity_key, mentions)""",
        ],
    ),
    (
        9,
        "story moves",
        # Online placement can put an article in the wrong story before its own story forms; the
        # re-clustering after each call (fuse/stories/recluster.py) moves it. Every move is kept, in
        # the order they happened (seq counts over the table), so a story's history shows what
        # left it and what came in.
        [
            """CREATE TABLE story_moves (
                article_id TEXT NOT NULL, seq INTEGER NOT NULL, from_id TEXT NOT NULL,
                into_id TEXT NOT NULL, reason TEXT, similarity REAL, moved_at TEXT NOT NULL,
                PRIMARY KEY (article_id, seq))""",
            "CREATE INDEX story_moves_from ON story_moves(from_id)",
            "CREATE INDEX story_moves_into ON story_moves(into_id)",
            "CREATE INDEX story_moves_seq ON story_moves(seq)",
        ],
    ),
    (
        10,
        "claim sentence vectors",
        # The sentence encoder (fuse/claims/encoder.py) costs milliseconds a sentence: each claim
        # sentence of an article is encoded once, at the first fuse of its story, and kept here, so
        # re-fusing a story after a new article encodes only that article's sentences. An article's
        # text never changes under its ID, so (article, start, end, model) names one vector.
        [
            """CREATE TABLE sentence_vectors (
                article_id TEXT NOT NULL, start_char INTEGER NOT NULL, end_char INTEGER NOT NULL,
                model TEXT NOT NULL, vector BLOB NOT NULL,
                PRIMARY KEY (article_id, start_char, end_char, model))""",
        ],
    ),
    (
        12,
        "pending work",
        # Each stage works from what the store says is left to do, not from one run's list, so a
        # run finishes what a killed run left. fuse_pending: stories whose fusion (entities, claims,
        # timeline) must be redone; a row is written with the change that makes it stale and
        # deleted in the transaction that stores the new fusion. place_pending: analysed articles
        # in no story (written with the analysis, deleted when the article is placed), so the fuse
        # stage reads what is left to place without scanning every article. analysis_claims: an
        # article one process is analysing (owner = host:pid:run), so a concurrent run leaves it
        # alone; deleted with the stored analysis. Stories fused before this migration that have
        # neither claims nor timeline are the ones a killed run left half-done: they are queued, as
        # are analysed articles a killed run left in no story.
        [
            """CREATE TABLE fuse_pending (
                story_id TEXT PRIMARY KEY, seq INTEGER NOT NULL)""",
            "CREATE INDEX fuse_pending_seq ON fuse_pending(seq)",
            """CREATE TABLE analysis_claims (
                article_id TEXT PRIMARY KEY, owner TEXT NOT NULL, claimed_at TEXT NOT NULL)""",
            """CREATE TABLE place_pending (
                article_id TEXT PRIMARY KEY, seq INTEGER NOT NULL)""",
            "CREATE INDEX place_pending_seq ON place_pending(seq)",
            """INSERT INTO place_pending(article_id, seq)
                SELECT a.id, a.seq FROM articles a JOIN analyses n ON n.article_id = a.id
                WHERE NOT EXISTS (SELECT 1 FROM story_articles sa WHERE sa.article_id = a.id)""",
            """INSERT INTO fuse_pending(story_id, seq)
                SELECT s.id, s.created_seq FROM stories s WHERE s.merged_into IS NULL
                AND NOT EXISTS (SELECT 1 FROM claims c WHERE c.story_id = s.id)
                AND NOT EXISTS (SELECT 1 FROM timeline t WHERE t.story_id = s.id)""",
        ],
    ),
    (
        13,
        "watch state",
        # `newsfuse watch` keeps what it knows in the store, so a restart (or kill -9) goes on where
        # it stopped: per source the validators of its last answer (ETag, Last-Modified, body hash),
        # when it was polled and is due again, its failures in a row; per article URL (normalised)
        # whether it is queued, done, or given up, with the article it gave. A URL is queued in the
        # same transaction as the poll that found it, and marked done in the transaction that
        # stores its article: nothing found is lost, nothing is stored twice.
        [
            """CREATE TABLE watch_sources (
                url TEXT PRIMARY KEY, name TEXT, kind TEXT NOT NULL, poll_interval REAL NOT NULL,
                etag TEXT, last_modified TEXT, body_hash TEXT, last_poll TEXT, last_ok TEXT,
                next_poll REAL NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,
                errors INTEGER NOT NULL DEFAULT 0, last_error TEXT, polls INTEGER NOT NULL DEFAULT 0,
                listed INTEGER NOT NULL DEFAULT 0)""",
            """CREATE TABLE watch_urls (
                url TEXT PRIMARY KEY, source_url TEXT, state TEXT NOT NULL, attempts INTEGER NOT NULL
                DEFAULT 0, next_try REAL NOT NULL DEFAULT 0, final_url TEXT, content_hash TEXT,
                article_id TEXT, error TEXT, title TEXT, listed_at TEXT NOT NULL, done_at TEXT)""",
            "CREATE INDEX watch_urls_state ON watch_urls(state, next_try)",
            "CREATE INDEX watch_urls_hash ON watch_urls(content_hash)",
            "CREATE INDEX watch_urls_source ON watch_urls(source_url, state)",
        ],
    ),
    (
        14,
        "claim sentence vectors by text",
        # Wire copies repeat sentences across articles and stories: a vector kept for one article's
        # sentence serves every article carrying the same words. The hash of the sentence's text is
        # kept beside the vector, so a fuse finds a copied sentence's vector in the store and a story
        # joined by a copy needs no encoder at all. Vectors kept before have no hash (found by
        # article only).
        [
            "ALTER TABLE sentence_vectors ADD COLUMN text_hash TEXT",
            "CREATE INDEX sentence_vectors_text ON sentence_vectors(model, text_hash)",
        ],
    ),
    (
        17,
        "copy detection buckets",
        # The LSH index of the MinHash signatures lives in the store, so copy detection asks the
        # database for an article's candidates instead of holding every signature in memory (4-5 MB
        # per 1,000 articles, read whole when a stage started). One row per (bucket, article): a
        # bucket is a 64-bit hash of one band of the signature and the band's number. Signatures
        # stored before this migration are queued in copy_bands_pending; ingest fills their buckets
        # a page at a time before it looks for copies (their bands come from code, not SQL).
        [
            """CREATE TABLE copy_bands (
                bucket BIGINT NOT NULL, article_id TEXT NOT NULL, PRIMARY KEY (bucket, article_id))""",
            "CREATE TABLE copy_bands_pending (article_id TEXT PRIMARY KEY)",
            "INSERT INTO copy_bands_pending(article_id) SELECT article_id FROM signatures",
        ],
    ),
    (
        18,
        "claims refresh state",
        # When a story's claims were last computed and over how many of its articles (a watch places
        # an article in its story at once and refreshes the story's claims behind it, coalesced): the
        # story page says its claims are being refreshed, for how many new articles, as of when.
        # Written by the watch's claim refresh (watch/deferred.py); a story fused otherwise has none.
        [
            """CREATE TABLE claims_state (
                story_id TEXT PRIMARY KEY, articles INTEGER NOT NULL, refreshed_at REAL NOT NULL)""",
        ],
    ),
    (
        19,
        "analysis queue",
        # The analyze stage used to find its work by joining every article to its analysis (a scan
        # of the whole store for each window: 0.3 s of adding one article to 100,000). An article
        # is now queued in analyze_pending when it is stored and unqueued with its analysis, so the
        # stage reads only what is left to do. Analyses of another version (a newer newsfuse) are
        # found through the index on their version, which in a settled store returns nothing, and
        # queued by the stage before it reads. Articles stored before this migration without an
        # analysis are queued here. store_counts: counts the stages need whole, kept with the writes
        # that change them (the N of the story IDF was a COUNT(*) of story_docs per placement: a
        # scan of the table on PostgreSQL).
        [
            """CREATE TABLE store_counts (name TEXT PRIMARY KEY, n BIGINT NOT NULL)""",
            "INSERT INTO store_counts(name, n) SELECT 'story_docs', COUNT(*) FROM story_docs",
            # a new story's number is MAX(created_seq) + 1: an index probe, not a scan of the stories
            "CREATE INDEX stories_created_seq ON stories(created_seq)",
            """CREATE TABLE analyze_pending (
                article_id TEXT PRIMARY KEY, seq INTEGER NOT NULL)""",
            "CREATE INDEX analyze_pending_seq ON analyze_pending(seq)",
            "CREATE INDEX analyses_version ON analyses(version)",
            """INSERT INTO analyze_pending(article_id, seq)
                SELECT a.id, a.seq FROM articles a
                WHERE NOT EXISTS (SELECT 1 FROM analyses n WHERE n.article_id = a.id)""",
        ],
    ),
    (
        20,
        "entity totals kept on the row; newest stories first in the term index",
        # An entity's row listed every article linked to it and was read and rewritten whenever a
        # story naming it was fused: 'United States' cost every story a read and a write of tens of
        # thousands of IDs at 100,000 articles. The row now holds what resolution needs (names,
        # roles, evidence) and two totals the store keeps in the transactions that write links:
        # distinct linked articles and mentions of all links. The article list is entity_links,
        # read by the pages that show it.
        [
            "ALTER TABLE entities ADD COLUMN link_articles INTEGER NOT NULL DEFAULT 0",
            "ALTER TABLE entities ADD COLUMN link_mentions INTEGER NOT NULL DEFAULT 0",
            """UPDATE entities SET
                link_articles = (SELECT COUNT(DISTINCT l.article_id) FROM entity_links l
                                 WHERE l.entity_id = entities.id),
                link_mentions = (SELECT COALESCE(SUM(l.mentions), 0) FROM entity_links l
                                 WHERE l.entity_id = entities.id)""",
            """/* dialect: sqlite */ UPDATE entities
                SET data = json_set(data, '$.article_ids', json('[]'), '$.mention_count', 0)""",
            """/* dialect: postgresql */ UPDATE entities SET data = jsonb_set(jsonb_set(data::jsonb,
                '{article_ids}', '[]'::jsonb), '{mention_count}', '0'::jsonb)::text""",
            # Candidate lookup read every story indexed under a term (thousands of rows per common
            # term at 100,000 articles); each posting now carries its story's creation number, so
            # the lookup reads the newest STORY_INDEX_POSTINGS of a term off the index.
            "ALTER TABLE story_index ADD COLUMN seq INTEGER NOT NULL DEFAULT 0",
            """UPDATE story_index SET seq = COALESCE(
                (SELECT s.created_seq FROM stories s WHERE s.id = story_index.story_id), 0)""",
            "CREATE INDEX story_index_term_seq ON story_index(term, seq, story_id)",
        ],
    ),
    (
        21,
        "untyped events",
        # Events no PLOVER word names (Analysis.untyped: analyze/events/nominal.py), kept apart from
        # the typed events that the timeline and the exports read.
        [
            """CREATE TABLE untyped_events (
                id TEXT PRIMARY KEY, article_id TEXT NOT NULL, data TEXT NOT NULL)""",
            "CREATE INDEX untyped_events_article ON untyped_events(article_id)",
        ],
    ),
    (
        22,
        "entity articles newest first, a page at a time",
        # An entity's page, the story report and the entity export read every article linked to the
        # entity (60,001 IDs for one name at 100,000 articles). Each link now carries its article's
        # date (kept by the writes that change it), so the newest page of an entity's articles, and the
        # page after a cursor, is read off one index, however many articles name it.
        [
            "ALTER TABLE entity_links ADD COLUMN published TEXT NOT NULL DEFAULT ''",
            """UPDATE entity_links SET published = COALESCE(
                (SELECT a.published FROM articles a WHERE a.id = entity_links.article_id), '')""",
            "CREATE INDEX entity_links_entity_newest ON entity_links(entity_id, published, article_id)",
        ],
    ),
    (
        24,
        "analysis digest",
        # A digest of everything an article's analysis is stored as (Store.put_analysis), so a process
        # that read the analysis before keeps its parsed records while the digest is unchanged (a big
        # story re-fused after one new article reads one analysis, not all: fuse/analyses.py). Rows
        # analysed before this migration have none and are read in full until analysed again. A
        # later migration that rewrites the rows of an analysis must set its digest to NULL.
        ["ALTER TABLE analyses ADD COLUMN digest TEXT"],
    ),
    (
        28,
        "coreference text vectors",
        # The coreference scorers compare names, heads and event triggers by the sentence encoder
        # (fuse/entities/pairmodel.py). Those texts were kept in one process's memory only, so a
        # restarted watch, and a long one past its bound, encoded older stories' names again at every
        # re-fuse. Kept here by the hash of the text (as claim sentences are, migration 14) and the
        # encoder's name: each text is encoded once per store.
        [
            """CREATE TABLE coref_vectors (
                model TEXT NOT NULL, text_hash TEXT NOT NULL, vector BLOB NOT NULL,
                PRIMARY KEY (model, text_hash))""",
        ],
    ),
    (
        37,
        "trigger context vectors",
        # The trigger-context event coreference (fuse/claims/context.py) reads each event's MiniLM
        # states at its trigger: a 4-layer pass over the event's sentence, which cost ~1 s of a 50-article
        # story's fuse per new article. Encoded in the analysis stage (with the sentence's own vector,
        # one pass: fuse/claims/ahead.py) and kept here: fp16 (head word, whole trigger) vectors by the
        # encoder and layer (model), the hash of the sentence's text as written, and the head word's
        # and the trigger's offsets inside that sentence, so a wire copy's event, or an article
        # ingested again, finds them and nothing is written twice.
        [
            """CREATE TABLE trigger_vectors (
                model TEXT NOT NULL, text_hash TEXT NOT NULL, head INTEGER NOT NULL,
                start_char INTEGER NOT NULL, end_char INTEGER NOT NULL, vector BLOB NOT NULL,
                PRIMARY KEY (model, text_hash, head, start_char, end_char))""",
        ],
    ),
    (
        43,
        "entity link stamp",
        # A growing story's entity resolution is kept in the fusing process between re-fuses
        # (fuse/entities/resolved.py) instead of re-reading all its links (~17,000 at 500 articles)
        # each time. Every write of entity links sets this one row to a fresh random token, so a
        # process tells in one read whether anyone but itself wrote links since its last write ('':
        # never written, nothing kept is trusted).
        [
            "CREATE TABLE entity_link_stamp (id INTEGER PRIMARY KEY, token TEXT NOT NULL)",
            "INSERT INTO entity_link_stamp (id, token) VALUES (1, '')",
        ],
    ),
    (
        50,
        "cross-encoder pair logits",
        # The matcher's second stage (fuse/claims/crossencoder.py, CLAIM_MATCH_CROSS_ENCODER) reads a
        # pair of sentences with a transformer pass per pair (~20-60 pairs per CPU second). Its logit
        # depends on the two texts and the model only, so it is kept here by the model's name and the
        # two texts' hashes (lower first, 'hash:hash'): a story fused again in another process (a CLI
        # run, a recycled refresh process) reads only the pairs of its new sentences.
        [
            """CREATE TABLE pair_logits (
                model TEXT NOT NULL, pair_hash TEXT NOT NULL, logit REAL NOT NULL,
                PRIMARY KEY (model, pair_hash))""",
        ],
    ),
]
