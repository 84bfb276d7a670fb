from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from newsroom import Newsroom, fill

from newsfuse import defaults
from newsfuse.api import create_app
from newsfuse.models import StoryMerge
from newsfuse.store import Store, queries

TOKEN = "t0ken-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
ARTICLE = {"text": "The ferry to Osk resumed on Tuesday after a three-day strike by harbour pilots ended.",
           "outlet": "Coast Daily", "title": "Ferry resumes", "published": "2025-05-06"}


@pytest.fixture
def room(db: tuple[str, Newsroom]) -> Newsroom:
    return db[1]


@pytest.fixture
def client(db: tuple[str, Newsroom]) -> Iterator[TestClient]:
    with TestClient(create_app(db[0], token=TOKEN), raise_server_exceptions=False) as c:
        yield c


def _count(client: TestClient) -> int:
    with client.app.state.stores.session() as s:  # type: ignore[attr-defined]
        return queries.count_articles(s)


def _error(r: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return dict(body["error"])


def test_openapi_document_lists_every_endpoint(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/entities",
              "/api/entities/{entity_id}", "/api/search", "/api/articles"):
        assert p in paths
    assert "post" in paths["/api/articles"] and "/" not in paths  # web pages stay out of the API doc


def test_the_api_docs_link_back_to_the_site(client: TestClient) -> None:
    # a reader who came to the docs from a page finds the way back (both docs pages)
    for path in ("/docs", "/redoc"):
        page = client.get(path).text
        nav = page[page.index("<body>"):page.index("</nav>")]
        assert 'href="/"' in nav and 'href="/outlets"' in nav and 'href="/sources"' in nav, path


def test_docs_page_is_served_without_a_cdn(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and "/docs/static/swagger-ui-bundle.js" in page.text
    assert "'/openapi.json'" in page.text
    assert "cdn" not in page.text.lower().replace("/docs/static", "")
    script = client.get("/docs/static/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000


def test_story_list_counts_and_pagination(client: TestClient, room: Newsroom) -> None:
    body = client.get("/api/stories").json()
    assert body["total"] == 2 and [s["id"] for s in body["items"]] == [room.story_id, room.hostile_story_id]
    bridge = body["items"][0]
    assert (bridge["articles"], bridge["outlets"], bridge["independent_outlets"]) == (3, 3, 2)
    page = client.get("/api/stories", params={"limit": 1, "offset": 1}).json()
    assert [s["id"] for s in page["items"]] == [room.hostile_story_id] and page["total"] == 2
    assert client.get("/api/stories", params={"limit": 10**6}).json()["limit"] == defaults.MAX_PAGE_SIZE


def test_story_list_is_walked_by_next_url(client: TestClient, room: Newsroom) -> None:
    first = client.get("/api/stories", params={"limit": 1}).json()
    assert first["prev_url"] is None and first["next_url"].startswith("/api/stories?")
    second = client.get(first["next_url"]).json()
    assert [s["id"] for s in first["items"] + second["items"]] == [room.story_id, room.hostile_story_id]
    assert second["next_url"] is None and client.get(second["prev_url"]).json() == first


@pytest.mark.parametrize(("params", "expected"), [
    ({"q": "pier cracks"}, ["s_bridge"]),
    ({"q": "leaflet"}, ["s_hostile"]),
    ({"outlet": "valley times"}, ["s_bridge"]),
    ({"since": "2025-03-01"}, ["s_bridge"]),
    ({"until": "2025-02-28"}, ["s_hostile"]),
    ({"q": "bridge", "outlet": "Evil"}, []),
])
def test_story_filters(client: TestClient, params: dict[str, str], expected: list[str]) -> None:
    assert [s["id"] for s in client.get("/api/stories", params=params).json()["items"]] == expected


def test_story_has_claims_quotes_entities_timeline(client: TestClient, room: Newsroom) -> None:
    data = client.get(f"/api/stories/{room.story_id}").json()
    assert data["story"]["id"] == room.story_id and data["story"]["independent_sources"] == 2
    assert {c["id"]: c["status"] for c in data["claims"]} == {
        "c_closed": "corroborated", "c_detained": "single-source", "c_drivers": "conflicting"}
    assert {(q["outlet"], q["speaker_entity_id"]) for q in data["quotes"]} == {
        ("Wire One", room.person_id), ("Hill Courier", room.person_id)}
    assert {e["name"] for e in data["entities"]} == {"Ilse Marr", "Tarn bridge"}
    assert [t["date_start"] for t in data["timeline"]] == ["2025-03-03", "2025-03-04", "2025-04-07"]
    copy = next(a for a in data["articles"] if a["id"] == room.copy.id)
    assert copy["copy_of"] == room.wire.id


def test_merged_story_id_still_answers(client: TestClient, room: Newsroom) -> None:
    with client.app.state.stores.session() as s:  # type: ignore[attr-defined]
        s.merge_stories(StoryMerge(room.hostile_story_id, room.story_id, "test", 0.9))
    assert client.get(f"/api/stories/{room.hostile_story_id}").json()["story"]["id"] == room.story_id


def test_article_evidence_spans_point_into_its_text(client: TestClient, room: Newsroom) -> None:
    data = client.get(f"/api/articles/{room.wire.id}").json()
    text = data["article"]["text"]
    assert data["story_id"] == room.story_id and data["copy_of"] is None
    for m in data["analysis"]["mentions"]:
        assert text[m["start"]:m["end"]] == m["text"]
    q = data["analysis"]["quotes"][0]
    assert text[q["content_start"]:q["content_end"]] == q["content"]
    assert data["analysis"]["amounts"][0]["value"] == 12000
    assert client.get(f"/api/articles/{room.copy.id}").json()["copy_of"] == room.wire.id


def test_entity_search_and_stories(client: TestClient, room: Newsroom) -> None:
    found = client.get("/api/entities", params={"name": "marr"}).json()["items"]
    assert [e["id"] for e in found] == [room.person_id]
    data = client.get(f"/api/entities/{room.person_id}").json()
    assert data["entity"]["name"] == "Ilse Marr" and [s["id"] for s in data["stories"]] == [room.story_id]


def test_full_text_search_with_snippet(client: TestClient, room: Newsroom) -> None:
    items = client.get("/api/search", params={"q": "drivers council"}).json()["items"]
    assert [h["id"] for h in items] == [room.own.id]
    assert "council" in items[0]["snippet"] and items[0]["story_id"] == room.story_id
    assert client.get("/api/search", params={"q": "zeppelin"}).json()["items"] == []
    page = client.get("/api/search", params={"q": "bridge", "limit": 1}).json()
    assert page["total"] == 3 and len(page["items"]) == 1  # the total of all matches, not of the page
    seen = [h["id"] for h in page["items"]]
    while page["next_url"]:
        page = client.get(page["next_url"]).json()
        seen += [h["id"] for h in page["items"]]
    assert len(seen) == len(set(seen)) == 3  # following next_url keeps the query and reaches every hit


@pytest.mark.parametrize("url", ["/api/stories/s_nope", "/api/articles/a_nope", "/api/entities/e_nope",
                                 "/api/nothing-here"])
def test_unknown_ids_are_404_with_the_error_shape(client: TestClient, url: str) -> None:
    _error(client.get(url), 404, "not_found")


@pytest.mark.parametrize("params", [
    {"limit": 0}, {"limit": "ten"}, {"offset": -1}, {"offset": 10**12}, {"since": "yesterday"},
    {"until": "2025-13-45"}, {"q": "x" * (defaults.MAX_QUERY_CHARS + 1)},
])
def test_bad_parameters_are_422(client: TestClient, params: dict[str, Any]) -> None:
    err = _error(client.get("/api/stories", params=params), 422, "validation_error")
    assert err["details"][0]["loc"][0] == "query"


def test_wrong_method_has_the_error_shape(client: TestClient) -> None:
    _error(client.delete("/api/stories"), 405, "method_not_allowed")


INJECTIONS = ["' OR '1'='1", "1; DROP TABLE articles; --", '"><script>alert(1)</script>', "%' --",
              "\\", "NEAR(a b)", "*", "s_bridge' UNION SELECT data FROM claims --", "😀" * 10]


@pytest.mark.parametrize("evil", INJECTIONS)
def test_injection_attempts_in_every_parameter_are_harmless(client: TestClient, evil: str) -> None:
    before = _count(client)
    for url, params in [("/api/stories", {"q": evil}), ("/api/stories", {"outlet": evil}),
                        ("/api/search", {"q": evil}), ("/api/entities", {"name": evil})]:
        r = client.get(url, params=params)
        assert r.status_code == 200, (url, r.text)
        assert "<script>" not in r.text or r.headers["content-type"].startswith("application/json")
    for url in ("/api/stories/", "/api/articles/", "/api/entities/"):
        r = client.get(url + evil.replace("/", "%2F"))
        assert r.status_code in (404, 422) and "error" in r.json()
    assert _count(client) == before


# -- writes -------------------------------------------------------------------------------------


def test_writes_need_the_token(client: TestClient, db: tuple[str, Newsroom]) -> None:
    _error(client.post("/api/articles", json=ARTICLE), 401, "unauthorized")
    _error(client.post("/api/articles", json=ARTICLE, headers={"Authorization": "Bearer wrong"}), 401)
    _error(client.post("/api/articles", json=ARTICLE, headers={"Authorization": TOKEN}), 401)
    with TestClient(create_app(db[0]), raise_server_exceptions=False) as read_only:
        _error(read_only.post("/api/articles", json=ARTICLE, headers=AUTH), 403, "writes_disabled")
    assert _count(client) == 4


def test_token_from_environment(db: tuple[str, Newsroom], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSFUSE_TOKEN", "from-env")
    with TestClient(create_app(db[0])) as c:
        r = c.post("/api/articles", content=b"{", headers={"Authorization": "Bearer from-env",
                                                             "Content-Type": "application/json"})
    _error(r, 400, "malformed_json")


@pytest.mark.parametrize(("body", "status", "code"), [
    (b"{not json", 400, "malformed_json"),
    (b'{"text": 12345}', 422, "validation_error"),
    (b'{"text": null}', 422, "validation_error"),
    (b'{"outlet": "No text at all"}', 422, "validation_error"),
    (b'{"text": "too short"}', 422, "validation_error"),
    (b'[]', 422, "validation_error"),
    (b'"just a string"', 422, "validation_error"),
    (b'{"text": "' + b"long enough text " * 5 + b'", "colour": "red"}', 422, "validation_error"),
    (b'{"text": "' + b"long enough text " * 5 + b'", "published": "last Tuesday"}', 422, "validation_error"),
])
def test_bad_bodies_are_refused_and_nothing_is_stored(
    client: TestClient, body: bytes, status: int, code: str
) -> None:
    before = _count(client)
    r = client.post("/api/articles", content=body, headers={**AUTH, "Content-Type": "application/json"})
    err = _error(r, status, code)
    assert "long enough text long enough" not in err["message"]  # input is never echoed back
    assert _count(client) == before


@pytest.mark.parametrize(("body", "message"), [
    (b"[]", "the request body is an empty list; send an article object or a list of them (at least one)"),
    (b'"just a string"', "the request body is a string, not an article; send an article object or a list"),
    (b"null", "the request body is null, not an article"),
    (b"[5]", "article 1: is not an article object (an object with at least 'text')"),
    (b'[{"text": "' + b"long enough text " * 5 + b'"}, {"text": 7}]', "article 2: text: Input should be"),
    (b'{"text": 7}', "text: Input should be a valid string"),
    (json.dumps([{"text": "long enough text " * 5}] * (defaults.MAX_POST_ARTICLES + 1)).encode(),
     f"the request holds {defaults.MAX_POST_ARTICLES + 1} articles; "
     f"send at most {defaults.MAX_POST_ARTICLES}"),
])
def test_a_bad_body_gets_one_line_about_its_own_shape(client: TestClient, body: bytes, message: str) -> None:
    # the body is one article or a list: the message speaks of the branch the body's shape chose,
    # never of the other one ('Input should be a valid dictionary' for a list)
    r = client.post("/api/articles", content=body, headers={**AUTH, "Content-Type": "application/json"})
    err = _error(r, 422, "validation_error")
    assert err["message"].startswith(message), err["message"]
    assert "\n" not in err["message"] and "ArticleIn" not in err["message"]


def test_batch_with_one_bad_article_stores_none(client: TestClient) -> None:
    before = _count(client)
    batch = [ARTICLE, {**ARTICLE, "text": 7}]
    _error(client.post("/api/articles", json=batch, headers=AUTH), 422, "validation_error")
    too_many = [{**ARTICLE, "text": f"{ARTICLE['text']} {i}"} for i in range(defaults.MAX_POST_ARTICLES + 1)]
    _error(client.post("/api/articles", json=too_many, headers=AUTH), 422)
    assert _count(client) == before


def test_oversized_bodies_are_413(client: TestClient) -> None:
    big = b'{"text": "' + b"a" * defaults.MAX_BODY_BYTES + b'"}'
    _error(client.post("/api/articles", content=big, headers={**AUTH, "Content-Type": "application/json"}),
           413, "payload_too_large")

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while streaming
        yield b'{"text": "'
        for _ in range(defaults.MAX_BODY_BYTES // 65536 + 2):
            yield b"b" * 65536
        yield b'"}'

    r = client.post("/api/articles", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
    _error(r, 413, "payload_too_large")


def test_failure_inside_the_pipeline_rolls_back_the_whole_post(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsfuse import pipeline

    def broken(store: Store, ctx: Any) -> None:
        raise RuntimeError("fusion crashed")

    monkeypatch.setitem(pipeline.STAGES, "fuse", broken)
    before = _count(client)
    _error(client.post("/api/articles", json=[ARTICLE], headers=AUTH), 500, "internal_error")
    assert _count(client) == before


@pytest.mark.slow
def test_post_stores_analyses_and_is_idempotent(client: TestClient) -> None:
    r = client.post("/api/articles", json=ARTICLE, headers=AUTH)
    assert r.status_code == 201, r.text
    stored = r.json()["stored"]
    assert len(stored) == 1 and r.json()["summary"]["stored"] == 1
    again = client.post("/api/articles", json=[ARTICLE], headers=AUTH).json()
    assert again["stored"] == [] and again["already_stored"] == stored
    article = client.get(f"/api/articles/{stored[0]}").json()["article"]
    assert article["outlet"] == "Coast Daily" and "ferry to Osk" in article["text"]
    hits = client.get("/api/search", params={"q": "ferry pilots"}).json()["items"]
    assert [h["id"] for h in hits] == stored


@pytest.mark.postgres
def test_api_reads_from_postgresql(pg_server: Any) -> None:
    url = pg_server.new_database()
    with Store(url) as s:
        room = fill(s)
    with TestClient(create_app(url)) as c:
        items = c.get("/api/stories", params={"q": "divers"}).json()["items"]
        assert [s["id"] for s in items] == [room.story_id]
        assert len(c.get(f"/api/stories/{room.story_id}").json()["claims"]) == 3
        assert c.get("/stories/s_bridge", headers={"Accept": "text/html"}).status_code == 200
        # the pages' own queries (outlets, search facets, entity quotes) on PostgreSQL too
        outlets = {r["outlet"]: r for r in c.get("/outlets.json").json()["items"]}
        assert outlets["Valley Times"]["articles"] == 1 and outlets["Wire One"]["stories"] == 1
        found = c.get("/search.json", params={"q": "bridge", "sort": "newest"}).json()
        assert found["total"] == 3 and {f["value"] for f in found["facets"]["outlet"]} == {
            "Wire One", "Hill Courier", "Valley Times"}
        assert c.get("/outlets/Hill%20Courier.json").json()["stories"][0]["id"] == room.story_id
        assert c.get(f"/entities/{room.person_id}.json").json()["quotes"]
