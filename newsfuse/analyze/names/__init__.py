"""Who an article names: mentions of people, organisations and places, with titles and roles,
descriptions ("the ministry"), title-only references and pronouns linked to their actor.

Reads a :class:`~newsfuse.analyze.parse.ParsedDoc`; returns :class:`~newsfuse.models.Mention` records.
Public: :func:`.mentions.find_mentions` and :func:`.mentions.with_outlet`; :mod:`.lexicon` (word
lists and string rules for names), :mod:`.titles` and :mod:`.gender` are shared with the quote steps.
Steps in order: :mod:`.spans` (the model's entities corrected), :mod:`.missed` (names it did not tag),
:mod:`.headlines`, :mod:`.descriptions`, :mod:`.titlerefs`, :mod:`.pronouns`; :mod:`.mentionspans`
holds the working records they pass on.
"""
