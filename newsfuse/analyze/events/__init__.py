"""What happened: who did what to whom, where and when, with a PLOVER type, a mode of assertion
and a CAMEO code.

Reads a parse with the article's mentions, times and amounts; returns :class:`~newsfuse.models.Event`
records. Public: :func:`.extract.find_events`; :mod:`.plover` holds the trigger lexicon, the
CAMEO <-> PLOVER map and the country gazetteer (exports use it); :mod:`.typemodel` is the learned
classifier that chooses each trigger's category from its parse (weights in
``newsfuse/data/events/typemodel.json``, trained by ``bench/train_events.py``; the lexicon is its
fallback); :mod:`.deals` reads business transactions.
"""
