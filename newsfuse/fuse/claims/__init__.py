"""Claims: what the articles of a story state, aligned across articles, each with a status
(corroborated, single-source, conflicting) and its evidence spans.

Reads a story's articles, analyses, entity map and copy links; returns :class:`~newsfuse.models.Claim`
records. Public: :func:`.build.build_claims`. Inside: :mod:`.statements` reads what one article
states, :mod:`.relations` compares two statements, :mod:`.align` groups them, :mod:`.chains` event
coreference, :mod:`.records` status, sources and evidence, :mod:`.text` / :mod:`.words` claim
wording and comparison, :mod:`.cache` statements kept between fuses.
"""
