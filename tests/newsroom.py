"""A tiny fused newsroom written straight through the Store API, for interface tests.

Story ``s_bridge``: a wire report, a syndicated copy of it and an independent paper on a bridge
closure, with a corroborated claim, a single-source quote and a conflicting amount. Story
``s_hostile``: an article whose title, outlet and text are HTML/script injection attempts.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsfuse.ids import content_id
from newsfuse.models import (
    Amount,
    Analysis,
    Article,
    Claim,
    ClaimSource,
    CopyLink,
    Entity,
    EntityLink,
    Event,
    Mention,
    Quote,
    Span,
    Story,
    TimeExpr,
    TimelineEntry,
)
from newsfuse.store import Store

WIRE_TEXT = (
    'Engineers closed the Tarn bridge on Monday after cracks appeared in a pier. "The bridge stays '
    'shut until divers have checked every pier," said transport director Ilse Marr.\n\n'
    "Police detained two men who drove around the barriers. About 12,000 drivers use the crossing "
    "each day."
)
OWN_TEXT = (
    "The Tarn bridge was closed on Monday, and Ilse Marr said on Tuesday that repairs could take six "
    "weeks.\n\nSome 15,000 drivers cross the bridge daily, according to the town council."
)
HOSTILE_TEXT = (
    "Harbour staff found <script>document.title='pwned'</script> in a leaflet and "
    "<img src=x onerror=\"document.title='pwned'\"> on a poster near the quay on Friday."
)
HOSTILE_TITLE = '<script>document.title="pwned"</script>Quay leaflets'
HOSTILE_OUTLET = "Evil <img src=x onerror=alert(1)> News"


@dataclass(frozen=True)
class Newsroom:
    wire: Article
    copy: Article
    own: Article
    hostile: Article
    story_id: str = "s_bridge"
    hostile_story_id: str = "s_hostile"
    person_id: str = "e_marr"


def _span(a: Article, phrase: str) -> tuple[int, int]:
    start = a.text.index(phrase)
    return start, start + len(phrase)


def _ev(a: Article, phrase: str) -> Span:
    start, end = _span(a, phrase)
    return Span(a.id, start, end, phrase)


def _article(text: str, outlet: str, published: str, title: str, url: str) -> Article:
    return Article(id=content_id(outlet, text, prefix="a_"), text=text, outlet=outlet, title=title,
                   url=url, published=published, published_source="header")


def _analysis(a: Article) -> Analysis:
    def mention(phrase: str, label: str, key: str) -> Mention:
        s, e = _span(a, phrase)
        return Mention(id=content_id(a.id, s, prefix="m_"), article_id=a.id, start=s, end=e, text=phrase,
                       label=label, kind="name", entity_key=key)

    mentions = [mention(phrase, label, phrase) for phrase, label in (
        ("Tarn bridge", "FAC"), ("Ilse Marr", "PERSON"), ("Harbour staff", "ORG")) if phrase in a.text]
    quotes, events, times, amounts = [], [], [], []
    if "divers have checked" in a.text:
        cs, ce = _span(a, "The bridge stays shut until divers have checked every pier,")
        ss, se = _span(a, "transport director Ilse Marr")
        quotes.append(Quote(id=content_id(a.id, cs, prefix="q_"), article_id=a.id, kind="direct",
                            content=a.text[cs:ce], content_start=cs, content_end=ce, speaker=a.text[ss:se],
                            speaker_start=ss, speaker_end=se, speaker_key="Ilse Marr", cue="said"))
        s, e = _span(a, "Police detained two men")
        sent_end = a.text.index("barriers.") + len("barriers.")
        events.append(Event(id=content_id(a.id, s, prefix="ev_"), article_id=a.id, trigger="detain",
                            trigger_start=s + 7, trigger_end=s + 15, sentence_start=s, sentence_end=sent_end,
                            type="COERCE", source="Police", target="two men", place="Tarn bridge",
                            date_start="2025-03-03", date_end="2025-03-03"))
    if "on Monday" in a.text:
        s, e = _span(a, "on Monday")
        times.append(TimeExpr(id=content_id(a.id, s, prefix="t_"), article_id=a.id, start=s, end=e,
                              text="on Monday", value_start="2025-03-03", value_end="2025-03-03",
                              precision="day", relative=True))
    for phrase, value in (("About 12,000 drivers", 12000.0), ("Some 15,000 drivers", 15000.0)):
        if phrase in a.text:
            s, e = _span(a, phrase)
            amounts.append(Amount(id=content_id(a.id, s, prefix="n_"), article_id=a.id, start=s, end=e,
                                  text=phrase, value=value, counted="drivers", approx=phrase.split()[0]))
    return Analysis(article_id=a.id, mentions=tuple(mentions), quotes=tuple(quotes), events=tuple(events),
                    times=tuple(times), amounts=tuple(amounts), version="test")


def _claims(n: Newsroom) -> list[Claim]:
    wire, copy, own = n.wire, n.copy, n.own
    closed = Claim(
        id="c_closed", story_id=n.story_id, kind="event", text="Engineers closed the Tarn bridge on Monday",
        status="corroborated", independent_sources=2,
        sources=(ClaimSource(wire.id, wire.outlet, evidence=(_ev(wire, "Engineers closed the Tarn bridge"),)),
                 ClaimSource(copy.id, copy.outlet, independent_of=wire.id,
                             evidence=(_ev(copy, "Engineers closed the Tarn bridge"),)),
                 ClaimSource(own.id, own.outlet,
                             evidence=(_ev(own, "The Tarn bridge was closed on Monday"),))),
        note="the copy carries the wire report: counted once")
    detained = Claim(
        id="c_detained", story_id=n.story_id, kind="event", text="Police detained two men at the barriers",
        status="single-source", independent_sources=1,
        sources=(ClaimSource(wire.id, wire.outlet, evidence=(_ev(wire, "Police detained two men"),)),
                 ClaimSource(copy.id, copy.outlet, independent_of=wire.id,
                             evidence=(_ev(copy, "Police detained two men"),))))
    drivers = Claim(
        id="c_drivers", story_id=n.story_id, kind="amount", text="Drivers using the bridge each day",
        status="conflicting", independent_sources=2,
        sources=(ClaimSource(wire.id, wire.outlet, value="12,000", stance="differs",
                             evidence=(_ev(wire, "About 12,000 drivers"),)),
                 ClaimSource(own.id, own.outlet, value="15,000", stance="differs",
                             cited_source="the town council", evidence=(_ev(own, "Some 15,000 drivers"),))))
    return [closed, detained, drivers]


def _timeline(n: Newsroom) -> list[TimelineEntry]:
    return [
        TimelineEntry(n.story_id, "2025-03-03", "2025-03-03", "day", "Tarn bridge closed after cracks",
                      claim_id="c_closed", first_reported=(("Wire One", "2025-03-03"),)),
        TimelineEntry(n.story_id, "2025-03-04", "2025-03-04", "day", "Repairs could take six weeks",
                      first_reported=(("Valley Times", "2025-03-04"),)),
        TimelineEntry(n.story_id, "2025-04-07", "2025-04-18", "range", "Expected reopening", estimated=True),
    ]


def fill(store: Store) -> Newsroom:
    """Write the newsroom into ``store`` and return its articles and IDs."""
    wire = _article(WIRE_TEXT, "Wire One", "2025-03-03", "Tarn bridge shut after pier cracks",
                    "https://wire.example/tarn")
    copy = _article(WIRE_TEXT, "Hill Courier", "2025-03-03", "Bridge closed", "https://courier.example/b")
    own = _article(OWN_TEXT, "Valley Times", "2025-03-04", "Repairs may take six weeks",
                   "https://valley.example/repairs")
    hostile = _article(HOSTILE_TEXT, HOSTILE_OUTLET, "2025-02-07", HOSTILE_TITLE,
                       "javascript:alert(1)")
    n = Newsroom(wire, copy, own, hostile)
    with store.transaction():
        for a in (wire, own, hostile):
            store.add_article(a)
        store.add_article(copy, copy=CopyLink(copy.id, wire.id, 1.0, "exact"))
        for a in (wire, copy, own, hostile):
            store.put_analysis(_analysis(a))
        store.put_story(Story(id=n.story_id, title="Tarn bridge closed after pier cracks",
                              first_seen="2025-03-03", last_update="2025-03-04"))
        store.put_story(Story(id=n.hostile_story_id, title=HOSTILE_TITLE, first_seen="2025-02-07",
                              last_update="2025-02-07"))
        for a in (wire, copy, own):
            store.assign(a.id, n.story_id, 1.0)
        store.assign(hostile.id, n.hostile_story_id, 1.0)
        marr = Entity(id=n.person_id, name="Ilse Marr", label="PERSON", aliases=("Marr",),
                      roles=("transport director",), article_ids=(wire.id, copy.id, own.id), mention_count=3)
        bridge = Entity(id="e_tarn", name="Tarn bridge", label="FAC", article_ids=(wire.id, copy.id, own.id),
                        mention_count=3)
        links = [EntityLink(a.id, key, eid, "name") for a in (wire, copy, own)
                 for key, eid in (("Ilse Marr", n.person_id), ("Tarn bridge", "e_tarn"))]
        store.put_entities([marr, bridge], links)
        store.put_claims(n.story_id, _claims(n))
        store.put_timeline(n.story_id, _timeline(n))
    return n
