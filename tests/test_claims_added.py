"""What one article adds to a fact others share (newsfuse/fuse/claims/added.py): its figure or quote
in the event's own sentence joins the event's row as that article's detail, worded apart from the
shared fact and marked single-source; a quote telling another fact of its own stays a row."""

from __future__ import annotations

from newsfuse.fuse.claims.added import fold_added
from newsfuse.fuse.claims.align import Member
from newsfuse.fuse.claims.records import claim_of
from newsfuse.fuse.claims.statements import Statement, span_of
from newsfuse.models import Article, Claim

HARBOUR = ("The coastguard confirmed that about 40 fishing boats were stranded in Velka harbour, "
           "although none was damaged.")
OTHER = "Fishing boats were stranded in Velka harbour after the storm, the port authority said."
TWO_FACTS = ("The coastguard said that about 40 fishing boats were stranded in Velka harbour and "
             "the ferry was cancelled.")


def _at(article: Article, sid: str, kind: str, label: str, word: str, *, strong: bool = True,
        start: int = 0, attribution: str = "") -> Statement:
    text = article.text
    span = span_of(article, start, len(text.rstrip(".")))
    context = span.text if kind == "quote" else ""  # a quote's words
    return Statement(id=sid, kind=kind, article=article, text=f"{label}: {text}", span=span, label=label,
                     context=context,
                     at=text.index(word), strong=strong, type="ASSAULT" if kind == "event" else "",
                     attribution=attribution, complete=2 if kind == "event" else 1)


def _members(*found: Statement) -> list[Member]:
    return [(s, "supports", None) for s in found]


def _harbour(text: str) -> tuple[list[list[Member]], Article, Article]:
    wire = Article(id="add-wire", text=text, outlet="Velka Post", published="2025-03-02")
    port = Article(id="add-port", text=OTHER, outlet="Coast Radio", published="2025-03-02")
    fact = "Fishing boats were stranded in Velka harbour"
    shared = _members(_at(wire, "add-e1", "event", fact, "stranded"),
                      _at(port, "add-e2", "event", fact, "stranded"))
    said = "the coastguard confirmed"
    quote_at = text.index("that") + 5
    added = _members(
        _at(wire, "add-q1", "quote", "About 40 fishing boats were stranded in Velka harbour", "about",
            start=quote_at, attribution=said),
        _at(wire, "add-m1", "amount", "about 40 fishing boats were stranded in Velka harbour", "about",
            attribution=said))
    return [shared, added], wire, port


def _folded(clusters: list[list[Member]], wire: Article, port: Article) -> list[Claim]:
    by_id = {wire.id: wire, port.id: port}
    claims = [claim_of("st-add", c, {}, by_id) for c in clusters]
    return fold_added(clusters, claims, lambda members, added: claim_of("st-add", members, {}, by_id, added))


def test_one_outlets_quote_of_a_shared_fact_is_that_facts_detail() -> None:
    clusters, wire, port = _harbour(HARBOUR)
    [claim] = _folded(clusters, wire, port)
    assert claim.status == "corroborated" and claim.independent_sources == 2
    # worded by what both outlets say; the figure is the one outlet's, marked as such
    assert claim.text == "Fishing boats were stranded in Velka harbour"
    [detail] = claim.details
    assert detail.outlet == "Velka Post" and detail.text.startswith("About 40 fishing boats")
    assert detail.attribution == "the coastguard confirmed" and detail.article_id == wire.id
    # its evidence is the outlet's own sentence, the detail's words inside it
    assert [e.article_id for e in detail.evidence] == [wire.id]
    assert "40 fishing boats" in detail.evidence[0].text and "detail" not in claim.note
    # its evidence is that outlet's whole sentence, once
    assert [len(s.evidence) for s in claim.sources] == [1, 1]


def test_a_quote_telling_another_fact_with_a_row_of_its_own_stays_a_row() -> None:
    clusters, wire, port = _harbour(TWO_FACTS)
    ferry = _members(_at(wire, "add-e3", "event", "The ferry was cancelled", "cancelled"))
    found = _folded([*clusters, ferry], wire, port)
    assert sorted(c.status for c in found) == ["corroborated", "single-source", "single-source"]
    assert not any(c.details for c in found)


def test_a_quote_of_a_fact_no_other_outlet_tells_stays_a_row() -> None:
    clusters, wire, port = _harbour(HARBOUR)
    alone = [m for m in clusters[0] if m[0].article.id == wire.id]
    found = _folded([alone, clusters[1]], wire, port)
    assert "quote" in [c.kind for c in found if c.status == "single-source"]
    assert not any(c.details for c in found)


def test_a_figure_alone_is_no_detail_of_an_event_its_clause_mentions() -> None:
    clusters, wire, port = _harbour(HARBOUR)
    figure = [m for m in clusters[1] if m[0].kind == "amount"]
    found = _folded([clusters[0], figure], wire, port)
    assert sorted(c.status for c in found) == ["corroborated", "single-source"]
