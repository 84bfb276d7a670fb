"""Grouping of articles into stories with stable IDs, as news keeps arriving.

Reads stored articles (and their analyses' arguments); writes stories, story membership, merges and
moves. Public: :func:`.assign.assign_articles` (batch clustering of one call's articles, then
online placement, consolidation and convergence). Inside: :mod:`.textsim` TF-IDF text vectors,
:mod:`.args` who/where/when agreement, :mod:`.batch` offline clustering, :mod:`.place` online
placement, :mod:`.consolidate` and :mod:`.moves` / :mod:`.recluster` convergence, :mod:`.lone` late
rescue of lone stories, :mod:`.headline` headline cores and names, :mod:`.write`
story upkeep, :mod:`.state` one call's working state, :mod:`.basics` small shared helpers.
"""
