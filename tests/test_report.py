"""fuse_story on a hand-built store, then the story report in md, json and html."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from newsfuse.errors import ConfigError, NotFoundError
from newsfuse.fuse.pipeline import fuse_story
from newsfuse.fuse.report import _summary, count_fields, story_data
from newsfuse.ids import content_id
from newsfuse.models import (
    Amount,
    Analysis,
    Article,
    ClaimDetail,
    ClaimSource,
    Mention,
    Quote,
    Span,
    Story,
    to_dict,
)
from newsfuse.serving.views import story_rows
from newsfuse.store import Store, queries
from newsfuse.web.report import render_story

HOSTILE = "<script>alert(1)</script>"


def _mention(a: Article, text: str, key: str, label: str = "PERSON") -> Mention:
    at = a.text.index(text)
    return Mention(content_id(a.id, "m", at), a.id, at, at + len(text), text, label, "name", key)


def _build(store: Store) -> None:
    one = Article(
        id="a1",
        outlet="Kessel Post",
        published="2025-09-14",
        published_source="header",
        text=f'About 1,800 residents fled. Mirela Kostan said "{HOSTILE} help is coming".',
    )
    two = Article(
        id="a2",
        outlet="Herald",
        published="2025-09-16",
        published_source="header",
        text="Nearly 4,500 residents fled. Interior Minister Kostan visited.",
    )
    undated = Article(id="a3", outlet="Courier", text="On Sunday, Kostan toured the valley again.")
    for a in (one, two, undated):
        store.add_article(a)
        store.assign(a.id, "s_1", 1.0)
    q_at = one.text.index(HOSTILE)
    store.put_analysis(
        Analysis(
            "a1",
            mentions=(_mention(one, "Mirela Kostan", "Mirela Kostan"),),
            quotes=(
                Quote(
                    "q1",
                    "a1",
                    "direct",
                    one.text[q_at:-2],
                    q_at,
                    len(one.text) - 2,
                    speaker="Mirela Kostan",
                    speaker_key="Mirela Kostan",
                ),
            ),
            amounts=(Amount("n1", "a1", 6, 18, "1,800 residents", 1800, counted="residents"),),
        )
    )
    store.put_analysis(
        Analysis(
            "a2",
            mentions=(_mention(two, "Kostan", "Kostan"),),
            amounts=(Amount("n2", "a2", 7, 19, "4,500 residents", 4500, counted="residents"),),
        )
    )
    store.put_analysis(Analysis("a3", mentions=(_mention(undated, "Kostan", "Kostan"),)))
    store.put_story(Story("s_1", "Dam breach", first_seen="2025-09-14", last_update="2025-09-16"))


def test_fuse_story_writes_entities_claims_timeline_and_estimate(store: Store) -> None:
    _build(store)
    fuse_story(store, "s_1")
    assert queries.get_article(store, "a3").published_source == "estimated"
    assert queries.get_article(store, "a3").published == "2025-09-15"  # Sunday 14th + 1
    entities = queries.list_entities(store, ["a1", "a2", "a3"])
    assert [e.name for e in entities] == ["Mirela Kostan"]
    claims = queries.story_claims(store, "s_1")
    assert [c.status for c in claims if c.kind == "amount"] == ["conflicting"]
    assert any(t.estimated and "Courier" in t.text for t in queries.story_timeline(store, "s_1"))
    before = [c.id for c in claims]
    fuse_story(store, "s_1")  # idempotent
    assert [c.id for c in queries.story_claims(store, "s_1")] == before
    assert queries.get_article(store, "a3").published == "2025-09-15"


def test_summary_names_articles_of_unknown_outlet() -> None:
    articles = [Article("a1", "x", outlet="Dunmere Courier"), Article("a2", "y"), Article("a3", "z")]
    counts = count_fields({"articles": 3, "outlets": 2, "independent": 2, "copies": 0, "unknown": 2})
    line = _summary(articles, counts, [])[0]
    # Two articles nobody named an outlet for count as one outlet together, and the line says so; the
    # number is named as the page's header and the story list name it (independent outlets)
    assert line == ("3 articles from 1 outlet and 2 of unknown outlet (2 independent outlets: each outlet "
                    "counts once; 2 articles of unknown outlet count as one outlet together)")
    copied = count_fields({"articles": 4, "outlets": 4, "independent": 2, "copies": 2, "unknown": 0})
    assert copied["independence"] == ("each outlet counts once; 2 syndicated copies folded into their wire "
                                      "originals")
    assert "1 syndicated copy folded into its wire original" in count_fields({"copies": 1})["independence"]


def test_story_data_shape_and_formats(store: Store) -> None:
    _build(store)
    fuse_story(store, "s_1")
    data = story_data(store, "s_1")
    assert set(data) == {
        "story",
        "summary",
        "articles",
        "claims",
        "quotes",
        "who_said_what",
        "entities",
        "timeline",
        "coverage",
    }
    assert data["story"]["article_count"] == 3 and data["story"]["outlet_count"] == 3
    assert data["summary"][0] == "3 articles from 3 outlets (3 independent outlets: each outlet counts once)"
    # The list and the story give the same counts under the same names.
    rows = story_rows(store, [queries.get_story(store, "s_1")])
    names = ("articles", "outlets", "independent_outlets", "copies", "unknown_outlet_articles",
             "independence")
    assert {k: rows[0][k] for k in names} == {k: data["story"][k] for k in names}
    quote = data["quotes"][0]
    assert quote["speaker_name"] == "Mirela Kostan" and quote["outlet"] == "Kessel Post"
    assert json.loads(render_story(store, "s_1", "json")) == json.loads(json.dumps(data))
    md = render_story(store, "s_1", "md")
    assert "**conflicting (2 sources)**" in md and "Herald [gives 4,500 residents]" in md
    html = render_story(store, "s_1", "html")
    assert HOSTILE not in html and "&lt;script&gt;" in html


def test_unknown_format_and_story_raise_helpful_errors(store: Store) -> None:
    _build(store)
    with pytest.raises(ConfigError, match="choose one of"):
        render_story(store, "s_1", "pdf")
    with pytest.raises(NotFoundError):
        story_data(store, "s_missing")


def test_claims_are_ordered_conflicting_then_corroborated_then_single_source(store: Store) -> None:
    _build(store)
    fuse_story(store, "s_1")
    data = story_data(store, "s_1")
    ranks = {"conflicting": 0, "corroborated": 1, "single-source": 2}
    order = [ranks[c["status"]] for c in data["claims"]]
    assert order == sorted(order) and order[0] == 0 and 2 in order
    counts = {s: order.count(r) for s, r in ranks.items()}
    assert data["summary"][-1] == (f"{counts['corroborated']} corroborated, {counts['single-source']} "
                                   f"single-source, {counts['conflicting']} conflicting claims")


def test_markdown_who_said_what_quotes_only_verbatim_words() -> None:
    from newsfuse.fuse.report import render_markdown

    def quote(content: str, kind: str, cue: str) -> dict[str, object]:
        return {"speaker_name": "Ana Rusk", "content": content, "kind": kind, "cue": cue,
                "outlet": "Radio Tarva", "cited_source": None}

    data = {
        "story": {"id": "s_x", "title": "T"}, "summary": [], "claims": [], "entities": [],
        "timeline": [], "coverage": [],
        "quotes": [quote("Claims to the contrary are simply wrong", "direct", "told"),
                   quote("the report", "reported", "dismissed"),
                   quote('the plan "a betrayal of the valley"', "partial", "called"),
                   quote('that the roads "will be closed until spring', "mixed", "said")],
    }
    md = render_markdown(data)
    assert '- told: "Claims to the contrary are simply wrong" (Radio Tarva)' in md
    # Partial and mixed quotes carry the outlet's marks: none doubled, a lost closer given back.
    assert '- called the plan "a betrayal of the valley" (Radio Tarva)' in md
    assert '- said that the roads "will be closed until spring" (Radio Tarva)' in md
    # Reported speech is not put in quote marks and keeps its cue, or 'the report' means nothing.
    assert "- dismissed the report (Radio Tarva)" in md
    assert '"the report"' not in md


def test_markdown_who_said_what_reads_an_according_to_source_as_a_source() -> None:
    from newsfuse.fuse.report import render_markdown

    q = {"speaker_name": "two employees", "content": "The chief executive told staff no jobs would be cut",
         "kind": "according_to", "cue": "according to", "outlet": "Marovia Today", "cited_source": None}
    data = {"story": {"id": "s_x", "title": "T"}, "summary": [], "claims": [], "entities": [],
            "timeline": [], "coverage": [], "quotes": [q]}
    md = render_markdown(data)
    # Not 'according to The chief executive ...', which names the wrong source.
    assert "- is the source of: The chief executive told staff no jobs would be cut (Marovia Today)" in md
    assert "according to The chief" not in md


def test_who_said_what_hides_quotes_that_say_nothing() -> None:
    from newsfuse.fuse.report import _shown

    a = Article(id="a", text="The authority declined to say whether it would open a review. "
                "The Observer wrote, citing an unnamed official, that work stopped.")
    declined, say, cite = (a.text.index(w) for w in ("declined", "say whether", "citing"))
    stance = Quote("q1", "a", "stance", "to say whether it would open a review", declined + 9,
                   a.text.index(". The"),
                   speaker="The authority", cue="declined", cue_start=declined, cue_end=declined + 8)
    nested = replace(stance, id="q2", kind="reported", content="whether it would open a review",
                     content_start=say + 4, cue="say", cue_start=say, cue_end=say + 3)
    bare = Quote("q3", "a", "reported", "an unnamed official", cite + 7, cite + 26, cue="citing",
                 cue_start=cite, cue_end=cite + 6)
    assert [q.id for q in _shown(a, [stance, nested, bare])] == ["q1"]


def test_who_said_what_lists_a_statement_carried_by_copies_once() -> None:
    from newsfuse.fuse.report import render_markdown

    def quote(outlet: str, content: str) -> dict[str, object]:
        return {"speaker_name": "Tarvan Hydro", "content": content, "kind": "reported", "cue": "said",
                "outlet": outlet, "cited_source": None}

    data = {"story": {"id": "s_x", "title": "T"}, "summary": [], "claims": [], "entities": [],
            "timeline": [], "coverage": [],
            "quotes": [quote("MARNEWS", "that it was cooperating fully"),
                       quote("Dunmere Courier", "that it was  cooperating fully"),
                       quote("Dunmere Courier", "The dam will be rebuilt")]}
    md = render_markdown(data)
    assert "- said that it was cooperating fully (MARNEWS; Dunmere Courier)" in md
    assert md.count("cooperating") == 1
    # A whole sentence reported with the attribution after it reads as such.
    assert "- said: The dam will be rebuilt (Dunmere Courier)" in md


def test_a_relayed_quote_names_the_outlet_that_reported_it() -> None:
    from newsfuse.fuse.report import _quote, render_markdown

    a = Article(id="a", outlet="Dunmere Courier",
                text="The mayor said the bridge would reopen, the Valley Post reported.")
    post = a.text.index("the Valley Post")
    q = Quote("q1", "a", "reported", "the bridge would reopen", a.text.index("the bridge"),
              a.text.index(", the"), speaker="The mayor", cue="said",
              relay_source="the Valley Post", relay_source_start=post, relay_source_end=post + 15,
              relay_cue="reported")
    row = _quote(q, a, {}, {})
    assert row["relayed_by"] == "the Valley Post" and row["speaker"] == "The mayor"
    row["speaker_name"] = "The mayor"
    data = {"story": {"id": "s_x", "title": "T"}, "summary": [], "claims": [], "entities": [],
            "timeline": [], "coverage": [], "quotes": [row]}
    assert "(Dunmere Courier, as reported by the Valley Post)" in render_markdown(data)
    # When the relay is also the cited source, the line names it once.
    row["cited_source"] = "the Valley Post"
    md = render_markdown(data)
    assert "(Dunmere Courier, citing the Valley Post)" in md and "as reported by" not in md


def test_markdown_escapes_raw_html_and_markdown_from_articles() -> None:
    from newsfuse.fuse.report import render_markdown

    data = {
        "story": {"id": "s_x_y", "title": "<script>alert(1)</script> & [win](javascript:alert(1))"},
        "summary": ["![pixel](http://tracker.example/p.gif)"], "claims": [], "entities": [],
        "timeline": [{"date_start": "2025-01-01", "date_end": None, "estimated": False,
                      "text": "line one\n# not a heading"}],
        "coverage": [], "quotes": [],
    }
    md = render_markdown(data)
    assert not re.search(r"(?<!\\)<", md), md  # every '<' escaped: no raw HTML
    assert not re.search(r"(?<!\\)\]\(", md), md  # no link or image of the article's own
    assert "\\<script\\>" in md and "&amp;" in md and "Story `s_x_y`" in md
    assert "\n# not a heading" not in md


ADDED = ClaimDetail("Around 2,300 homes were under water; no deaths were reported", "a_md_added", "Olm Radio",
                    cited_source="the governor", attribution="the governor confirmed",
                    evidence=(Span("a_md_added", 0, 29, "Around 2,300 homes were under"),))


def test_a_detail_is_named_by_its_outlet_and_said_with_its_attribution() -> None:
    from newsfuse.fuse.report import detail_outlet, detail_said, details_text

    d = to_dict(ADDED)
    # an attribution names the source already: 'citing the governor' would say it twice
    assert detail_outlet(d) == "Olm Radio"
    assert detail_said(d) == f"{ADDED.text} (the governor confirmed)"
    cited = {**d, "attribution": ""}
    assert detail_outlet(cited) == "Olm Radio citing the governor" and detail_said(cited) == d["text"]
    assert detail_outlet({**d, "outlet": None, "cited_source": None}) == "unknown outlet"
    two = details_text([d, {**d, "outlet": "Brask Post", "text": "Roads were shut", "attribution": ""}])
    assert two.split(" | ") == [f"only Olm Radio gives it: {detail_said(d)}",
                                "only Brask Post citing the governor gives it: Roads were shut"]
    assert details_text([]) == ""


def test_markdown_names_the_count_and_sets_a_single_source_detail_apart() -> None:
    from newsfuse.fuse.report import render_markdown

    def claim(cid: str, status: str, n: int, note: str = "", details: tuple[ClaimDetail, ...] = ()
              ) -> dict[str, object]:
        return {"id": cid, "text": f"Claim {cid}", "status": status, "independent_sources": n, "note": note,
                "attribution": "", "sources": [to_dict(ClaimSource("a_md_added", "Olm Radio"))],
                "details": [to_dict(d) for d in details]}

    data = {"story": {"id": "s_md_added", "title": "T"}, "summary": [], "quotes": [], "entities": [],
            "timeline": [], "coverage": [],
            "claims": [claim("c1", "corroborated", 2, "counted so", (ADDED,)), claim("c2", "conflicting", 3),
                       claim("c3", "single-source", 1)]}
    lines = render_markdown(data).splitlines()
    assert "- **corroborated by 2 independent sources**: Claim c1  " in lines
    assert "- **conflicting (3 sources)**: Claim c2  " in lines and "- **single-source**: Claim c3  " in lines
    assert "  note: counted so  " in lines
    coverage = render_markdown({**data, "coverage": [{"outlet": "Olm Radio", "article_ids": ["a_md_added"],
                                                      "claim_ids": ["c1", "c2"]}]})
    assert "- Olm Radio: 1 article, 2 claims" in coverage.splitlines()
    detail = [x for x in lines if "single-source detail" in x]
    assert detail == ["  single-source detail, only Olm Radio gives it: Around 2,300 "
                      "homes were under water; no deaths were reported (the governor confirmed)"]


def _said(qid: str, aid: str, outlet: str, speaker: str, content: str, kind: str = "reported",
          cited: str | None = None) -> dict[str, object]:
    return {"id": qid, "article_id": aid, "outlet": outlet, "speaker": speaker, "speaker_entity_id": None,
            "speaker_name": speaker, "content": content, "kind": kind, "cue": "said", "cited_source": cited,
            "relayed_by": None, "anonymous": False, "start": 0, "end": len(content)}


def test_who_said_what_is_by_speaker_one_line_per_statement_with_every_outlet() -> None:
    from newsfuse.fuse.report import who_said_what

    shored = "that engineers had shored up the remaining section of the embankment overnight"
    quotes = [_said("q_ws1", "a_ws_copy", "Dunmere Courier", "Teodor Hallen", shored),
              _said("q_ws2", "a_ws_wire", "MARNEWS", "Teodor Hallen", shored.replace("  ", " ")),
              _said("q_ws3", "a_ws_post", "Kessel Valley Post", "Teodor Hallen",
                    shored.replace("shored up", "reinforced")),
              _said("q_ws4", "a_ws_post", "Kessel Valley Post", "Teodor Hallen",
                    "the reservoir would be kept well below its normal level"),
              _said("q_ws5", "a_ws_wire", "MARNEWS", "Teodor Hallen", "We will rebuild the dam",
                    "direct"),
              _said("q_ws6", "a_ws_post", "Kessel Valley Post", "Teodor Hallen",
                    "We will rebuild the dam now", "direct"),
              _said("q_ws7", "a_ws_own", "Radio Tarva", "Ana Rusk", "the fields were flooded",
                    cited="the ministry")]
    groups = who_said_what(quotes, {"a_ws_copy"})
    assert [(g["speaker"], len(g["statements"])) for g in groups] == [("Teodor Hallen", 4), ("Ana Rusk", 1)]
    first = groups[0]["statements"][0]
    # one statement in two outlets' words is one line: every outlet once, the copy last, the other
    # wording beside it with its outlet
    assert [c["outlet"] for c in first["carriers"]] == ["MARNEWS", "Kessel Valley Post", "Dunmere Courier"]
    assert [c["is_copy"] for c in first["carriers"]] == [False, False, True]
    assert first["said"] == f"said {shored}" and first["quote_ids"] == ["q_ws1", "q_ws2", "q_ws3"]
    assert first["wordings"] == [{"said": "said that engineers had reinforced the remaining section of the "
                                           "embankment overnight", "outlets": "Kessel Valley Post"}]
    # a direct quote in other words is another quote
    assert [s["content"] for s in groups[0]["statements"][2:]] == ["We will rebuild the dam",
                                                                  "We will rebuild the dam now"]
    assert groups[1]["statements"][0]["cited_source"] == "the ministry"


def test_markdown_who_said_what_reads_each_statement_once() -> None:
    from newsfuse.fuse.report import render_markdown, who_said_what

    months = "the clean-up would take months"
    quotes = [_said("q_wm1", "a_wm_1", "MARNEWS", "Selin Dorva", months),
              _said("q_wm2", "a_wm_2", "Radio Tarva", "Selin Dorva", months),
              _said("q_wm3", "a_wm_2", "Radio Tarva", "Selin Dorva",
                    "Some houses will have to be pulled down.", "direct")]
    data = {"story": {"id": "s_wm", "title": "T"}, "summary": [], "claims": [], "entities": [],
            "timeline": [], "coverage": [], "quotes": quotes, "who_said_what": who_said_what(quotes)}
    md = render_markdown(data)
    said = md[md.index("## Who said what"):md.index("## Entities")].splitlines()
    assert said[2:5] == ["- **Selin Dorva**", f"  - said {months} (MARNEWS; Radio Tarva)",
                         '  - said: "Some houses will have to be pulled down." (Radio Tarva)']
