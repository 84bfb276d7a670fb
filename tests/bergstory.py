"""Hand-made analyses of the 'Tomas Berg' sentences the claim-join tests share: each sentence holds one
event (fired -> SANCTION, praised -> APPROVE) with Tomas Berg as its target and one mention of him."""

from __future__ import annotations

from collections.abc import Sequence

from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, Event, Mention


def berg_analysis(a: Article, sentences: Sequence[str]) -> Analysis:
    """The analysis of ``a``: an event and a mention for each of ``sentences`` its text holds."""
    events, mentions = [], []
    for sentence in (s for s in sentences if s in a.text):
        start = a.text.index(sentence)
        verb = "praised" if "praised" in sentence else "fired"
        trigger = a.text.index(verb, start)
        berg = a.text.index("Tomas Berg", start)
        events.append(Event(content_id(a.id, "e", start), a.id, "praise" if verb == "praised" else "fire",
                            trigger, trigger + len(verb), start, start + len(sentence),
                            "APPROVE" if verb == "praised" else "SANCTION", target="Tomas Berg",
                            target_key="Tomas Berg", confidence=0.9))
        mentions.append(Mention(content_id(a.id, "m", berg), a.id, berg, berg + 10, "Tomas Berg", "PERSON",
                                "name", "Tomas Berg"))
    return Analysis(a.id, mentions=tuple(mentions), events=tuple(events))
