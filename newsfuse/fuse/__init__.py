"""Fusion across articles: stories, entities, claims and the timeline.

Reads stored articles and their analyses; writes stories (stable IDs), entities, claims with status
and evidence, and timeline entries. :mod:`.pipeline` runs it (``fuse_stage``); :mod:`.stories`
groups articles, :mod:`.entities` resolves actors across articles, :mod:`.claims` aligns statements
into claims, :mod:`.timeline` orders events and estimates missing dates, :mod:`.report` builds the
story document (data only: ``story_data``) that the CLI, API and web pages render.
"""
