"""When: time expressions found in a parse and resolved against the publication date
("on Sunday", "end of September"), and the tense of a clause.

Reads a parse and the publication date; returns :class:`~newsfuse.models.TimeExpr` records.
Public: :func:`.extract.find_times`; :mod:`.resolve` resolves one expression's text,
:mod:`.tense` reads a clause's tense (the event steps use it). Inside: :mod:`.patterns` finds
candidates, :mod:`.filters` drops what only looks like a date, :mod:`.days` / :mod:`.periods` /
:mod:`.fallback` resolve, :mod:`.values` holds the resolved value and the date arithmetic.
"""
