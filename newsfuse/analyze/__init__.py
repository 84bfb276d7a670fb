"""Analysis of one article: parse once, then rule steps on the spaCy-free parse.

Reads an :class:`~newsfuse.models.Article`; returns an :class:`~newsfuse.models.Analysis` (mentions,
quotes, times, amounts, events), every record pointing into the article text by character offsets.

- :mod:`.nlp` is the only module that imports spaCy; :mod:`.parse` is the spaCy-free parse the rules read.
- :mod:`.names` who is named (mentions, titles, pronouns); :mod:`.quotes` who said what;
  :mod:`.events` who did what to whom (PLOVER); :mod:`.time` time expressions; :mod:`.amounts` figures.
- :mod:`.pipeline` runs the steps over the store (``analyze_stage``); public: ``analyze_article``,
  ``analyze_stage``, ``iter_analyses``, ``ANALYSIS_VERSION``.
- :mod:`.cluster` runs batches on a dask.distributed cluster with a bounded number in flight
  (``connect``, ``run_bounded``); only the pipeline calls it. :mod:`.threads` caps a worker
  process's native thread pools at one thread (one analysis at a time per worker and core).
"""
