"""Who said what: direct and reported speech with speaker, cue, content and cited source.

Reads a parse and the article's mentions; returns :class:`~newsfuse.models.Quote` records.
Public: :func:`.extract.find_quotes`. How it is found: :mod:`.marks` pairs quotation marks,
:mod:`.cues` / :mod:`.cuecheck` the lexicon of speech cues, :mod:`.cuemodel` and :mod:`.learnedcues`
the learned cue and acceptance models (weights in ``newsfuse/data/quotes``), :mod:`.according`
non-verb attributions, :mod:`.spans` what a cue reports, :mod:`.speaker` / :mod:`.speakers` who
speaks, :mod:`.links` continued and nested quotes, :mod:`.refusals` no-comments and hearsay,
:mod:`.attribution` the working record, :mod:`.records` the final records.
"""
