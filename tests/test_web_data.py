"""Pages' data twins (.json, .csv), paging, search totals and facets, outlet and entity pages, on the
small newsroom (tests/newsroom.py) and the 100-claim story (tests/bigstory.py) in one store."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bigstory import N_CLAIMS, OUTLETS, fill_big
from fastapi.testclient import TestClient
from newsroom import fill

from newsfuse.api import create_app
from newsfuse.models import Article, Claim, ClaimDetail, ClaimSource, Span, Story
from newsfuse.store import Store

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Any]]:
    url = str(Path(tmp_path_factory.mktemp("data")) / "data.db")
    with Store(url) as s:
        room = fill(s)
        fill_big(s)
    with TestClient(create_app(url)) as client:
        yield client, room


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("path", ["/", "/stories/s_big", "/articles/{wire}", "/entities/e_marr",
                                  "/search?q=harbour", "/outlets", "/outlets/Wire%20One"])
def test_every_page_links_its_json_and_csv_twins(site: tuple[TestClient, Any], path: str) -> None:
    client, room = site
    path = path.format(wire=room.wire.id)
    html = client.get(path, headers=HTML)
    assert html.status_code == 200
    base, _, query = path.partition("?")
    twin_base = "/stories" if base == "/" else base
    for fmt, kind in (("json", "application/json"), ("csv", "text/csv")):
        href = f"{twin_base}.{fmt}" + (f"?{query}" if query else "")
        assert f'href="{href.replace("&", "&amp;")}"' in html.text, href
        answer = client.get(href)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(kind)


def test_twins_carry_the_pages_data(site: tuple[TestClient, Any]) -> None:
    client, room = site
    story = client.get("/stories/s_big.json").json()
    assert story == client.get("/api/stories/s_big").json()  # the API's document, at the page's address
    rows = _csv(client.get("/stories/s_big.csv").text)
    assert len(rows) == N_CLAIMS and rows[0]["status"] == "conflicting"
    assert {r["id"] for r in rows} == {c["id"] for c in story["claims"]}
    listed = client.get("/stories.json", params={"limit": 1}).json()
    assert listed["total"] == 3 and len(listed["items"]) == 1
    assert listed["next_url"] == "/stories.json?limit=1&offset=1" and listed["prev_url"] is None
    last = client.get(listed["next_url"].replace("offset=1", "offset=2")).json()
    assert last["next_url"] is None and last["prev_url"] == "/stories.json?limit=1&offset=1"
    article = client.get(f"/articles/{room.wire.id}.json").json()
    assert article["article"]["id"] == room.wire.id
    spans = _csv(client.get(f"/articles/{room.wire.id}.csv").text)
    text = room.wire.text
    assert spans and all(text[int(r["start"]):int(r["end"])] == r["text"] for r in spans)


def test_search_has_a_total_sort_facets_and_pages(site: tuple[TestClient, Any]) -> None:
    client, _ = site
    body = client.get("/search.json", params={"q": "harbour", "limit": 5}).json()
    assert body["total"] == len(OUTLETS) + 1 and len(body["items"]) == 5  # the hostile leaflet too
    assert body["next_url"] == "/search.json?q=harbour&limit=5&offset=5"
    outlets = {f["value"]: f["count"] for f in body["facets"]["outlet"]}
    assert outlets["Wire One"] == 1 and sum(outlets.values()) <= body["total"]
    assert body["facets"]["story"][0] == {"value": "s_big", "title": body["facets"]["story"][0]["title"],
                                          "count": len(OUTLETS)}
    newest = client.get("/search.json", params={"q": "harbour", "sort": "newest"}).json()["items"]
    days = [h["published"] for h in newest]
    assert days == sorted(days, reverse=True)
    one = client.get("/search.json", params={"q": "harbour", "outlet": "Quay Weekly"}).json()
    assert one["total"] == 1 and one["items"][0]["outlet"] == "Quay Weekly"
    page = client.get("/search", params={"q": "harbour", "limit": 5}, headers=HTML).text
    assert "13 articles" in page and 'rel="next"' in page and "Quay Weekly</a>" in page
    assert client.get("/search", params={"q": "harbour", "sort": "loudest"}, headers=HTML).status_code == 422


def test_outlet_pages_show_coverage_what_it_alone_reports_and_blindspots(
        site: tuple[TestClient, Any]) -> None:
    client, room = site
    outlets = client.get("/outlets.json").json()
    assert outlets["total"] == len(OUTLETS) + 2  # plus Hill Courier and the hostile outlet
    wire = client.get("/outlets/Wire%20One.json").json()
    assert {s["id"] for s in wire["stories"]} == {"s_big", room.story_id}
    # single-source claims carried by Wire One alone: in the big story every 12th, and the detention
    alone = {c["id"] for c in wire["alone"]}
    assert "c_detained" in alone and {f"c_{k:03d}" for k in range(24, 100, 12)} <= alone
    assert wire["blindspots"] == []
    courier = client.get("/outlets/Hill%20Courier.json").json()
    # a copy carried the detention: not the courier's own claim; it missed the 12-outlet story
    assert courier["alone"] == [] and [s["id"] for s in courier["blindspots"]] == ["s_big"]
    page = client.get("/outlets/Hill%20Courier", headers=HTML).text
    assert "Blindspots" in page and "Harbour flood plan" in page
    detained = next(c for c in wire["alone"] if c["id"] == "c_detained")
    assert room.wire.text[detained["start"]:detained["end"]] == "Police detained two men"
    assert f'/articles/{room.wire.id}?ev={detained["start"]}-{detained["end"]}#ev' in client.get(
        "/outlets/Wire%20One", headers=HTML).text
    assert client.get("/outlets/Nowhere%20Gazette", headers=HTML).status_code == 404


def test_entity_page_shows_what_they_said_their_claims_and_stories(site: tuple[TestClient, Any]) -> None:
    client, room = site
    view = client.get(f"/entities/{room.person_id}.json").json()
    assert [q["content"] for q in view["quotes"]][:1] == [
        "The bridge stays shut until divers have checked every pier,"]
    assert {q["outlet"] for q in view["quotes"]} == {"Wire One", "Hill Courier"}
    assert view["stories"][0]["id"] == room.story_id
    assert view["months"] == [{"month": "2025-03", "stories": 1}]
    page = client.get(f"/entities/{room.person_id}", headers=HTML).text
    assert "What Ilse Marr said" in page and "divers have checked every pier" in page
    assert f"/articles/{room.wire.id}?ev=" in page  # each quote links to its place in the article


DETAIL_TEXTS = {"a_wd_own": "The river Olm flooded the lower town of Brask on Tuesday.",
                "a_wd_fig": ("The Olm flooded Brask on Tuesday. The governor confirmed that around 2,300 "
                             "homes in Brask were likely under water.")}


def test_search_lists_and_filters_the_articles_of_unknown_outlet(tmp_path: Path) -> None:
    """An article nobody named an outlet for is found by search: the outlet list names it as every
    page does ('unknown outlet'), and choosing it shows those articles only."""
    url = str(tmp_path / "unknown.db")
    texts = {"a_wu_known": ("Brask Evening News", "Ferry pilots at Velka harbour stopped work on Monday."),
             "a_wu_none": (None, "Ferry pilots in Velka said the harbour strike would last a week."),
             "a_wu_none2": (None, "The Velka ferry pilots' strike closed the harbour to ships.")}
    with Store(url) as s, s.transaction():
        for aid, (outlet, text) in texts.items():
            s.add_article(Article(id=aid, text=text, outlet=outlet, published="2025-04-02"))
    with TestClient(create_app(url)) as client:
        body = client.get("/search.json", params={"q": "ferry pilots harbour"}).json()
        facets = {f["value"]: f["count"] for f in body["facets"]["outlet"]}
        assert facets == {"unknown outlet": 2, "Brask Evening News": 1}
        assert sum(facets.values()) == body["total"] == 3
        unknown = client.get("/search.json", params={"q": "ferry pilots harbour", "outlet": "unknown outlet"})
        assert sorted(h["id"] for h in unknown.json()["items"]) == ["a_wu_none", "a_wu_none2"]
        page = client.get("/search", params={"q": "ferry pilots harbour"}, headers=HTML).text
        assert "outlet=unknown+outlet" in page and ">unknown outlet</a>" in page


def test_outlet_page_lists_the_detail_it_alone_adds_to_a_corroborated_claim(tmp_path: Path) -> None:
    """A corroborated claim's single-source detail is no row of its own (``fuse.claims.added``): the
    outlet that alone gives it still lists it among what only it reports, linked to its sentence."""
    outlets = {"a_wd_own": "Brask Evening News", "a_wd_fig": "Olm Radio"}
    url = str(tmp_path / "detail.db")

    def source(aid: str, *saids: str) -> ClaimSource:
        starts = [DETAIL_TEXTS[aid].index(x) for x in saids]
        return ClaimSource(aid, outlets[aid], evidence=tuple(Span(aid, n, n + len(x), x)
                                                             for n, x in zip(starts, saids, strict=True)))

    said = "around 2,300 homes in Brask were likely under water"
    with Store(url) as s, s.transaction():
        s.put_story(Story(id="s_wd", title="Olm floods Brask", first_seen="2025-04-01",
                          last_update="2025-04-01"))
        for aid, text in DETAIL_TEXTS.items():
            s.add_article(Article(id=aid, text=text, outlet=outlets[aid], published="2025-04-01"))
            s.assign(aid, "s_wd", 1.0)
        start = DETAIL_TEXTS["a_wd_fig"].index(said)
        detail = ClaimDetail("Around 2,300 homes in Brask were likely under water", "a_wd_fig", "Olm Radio",
                             cited_source="the governor", attribution="the governor confirmed",
                             evidence=(Span("a_wd_fig", start, start + len(said), said),))
        s.put_claims("s_wd", [Claim("c_wd", "s_wd", "event", "The Olm flooded Brask", "corroborated", 2,
                                    (source("a_wd_own", "The river Olm flooded the lower town of Brask"),
                                     source("a_wd_fig", "The Olm flooded Brask", said)),
                                    details=(detail,))])
    with TestClient(create_app(url)) as client:
        radio = client.get("/outlets/Olm%20Radio.json").json()
        [detail] = radio["alone"]
        assert detail["kind"] == "detail" and detail["text"].startswith("Around 2,300 homes in Brask")
        # linked to the detail's own words, not to the event's
        assert DETAIL_TEXTS["a_wd_fig"][detail["start"]:detail["end"]] == said
        assert client.get("/outlets/Brask%20Evening%20News.json").json()["alone"] == []
        page = client.get("/outlets/Olm%20Radio", headers=HTML).text
        assert "its own detail of a corroborated claim" in page and "?status=corroborated#claims" in page
