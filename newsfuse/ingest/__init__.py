"""Reading news into the store: every format in, one cleaned Article out, copies linked.

Modules, in the order data flows through them: ``sources`` (files, folders, gzip, URLs) ->
``detect`` (which format) -> ``decode`` (bytes to text) -> ``readers`` / ``warc`` (one reader per
format) -> ``wire`` (header, headline, wire ID) + ``clean`` (the text every offset points into) +
``dates`` -> ``articles`` (Article records) -> ``dedup`` (syndicated copies) -> ``pipeline`` (the
ingest stage). Public entry points live in :mod:`newsfuse.ingest.pipeline`.
"""
