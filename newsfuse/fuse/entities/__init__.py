"""One entity per actor across the articles of a story, however it is named ("Macron",
"French President Emmanuel Macron").

Reads the mentions of a story's analyses and store-wide entities; returns
:class:`~newsfuse.models.Entity` records and the article-level links to them.
Public: :func:`.resolve.resolve_story_entities`, :func:`.resolve.entity_map`. Inside: :mod:`.names`
name folding and mention groups, :mod:`.blocks` the linking machinery, :mod:`.persons` /
:mod:`.places` / :mod:`.pronouns` the linking rules, :mod:`.clusters` clustering, :mod:`.labels`
display names and labels, :mod:`.cache` what is kept across calls, :mod:`.grow` a growing story's rule
clusters kept between fuses, :mod:`.resolved` its entities and links kept between fuses (the fuse
stage's entry point).
"""
