"""Security headers on every response, parameters held to their schema, and schemathesis with every
check against a running server."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from liveapp import chromium, serve
from newsroom import Newsroom

from newsfuse.api import create_app

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "t0ken-for-security"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client(db: tuple[str, Newsroom]) -> Iterator[TestClient]:
    with TestClient(create_app(db[0], token=TOKEN), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(("path", "accept"), [
    ("/", "text/html"), ("/docs", "text/html"), ("/openapi.json", "*/*"), ("/api/stories", "*/*"),
    ("/static/style.css", "*/*"), ("/docs/static/swagger-ui.css", "*/*"), ("/no-such-page", "text/html"),
    ("/api/no-such-thing", "*/*"), ("/api/stories?limit=0", "*/*"),
])
def test_every_response_carries_the_security_headers(client: TestClient, path: str, accept: str) -> None:
    r = client.get(path, headers={"Accept": accept})
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[-1].split(";")[0] or "script-src" not in csp


def test_oversize_body_answer_carries_them_too(client: TestClient) -> None:
    r = client.post("/api/articles", content=b"x", headers={**AUTH, "Content-Length": str(10**9)})
    assert r.status_code == 413 and r.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("params", [{"until": "0"}, {"since": "20240101"}, {"until": "1700000000"}])
def test_dates_are_iso_days_only_as_the_schema_says(client: TestClient, params: dict[str, str]) -> None:
    r = client.get("/api/stories", params=params)
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"


@pytest.mark.slow
def test_a_record_that_is_no_article_is_listed_and_the_rest_stored(client: TestClient) -> None:
    short = {"text": "\x05" * 30 + "Far too short a text."}  # schema-valid: 50 characters before cleaning
    good = {"text": "The ferry to Osk resumed on Tuesday after a three-day strike by pilots ended.\u0000",
            "outlet": "Coast Daily", "url": "http://coast.example/a\u0000b"}  # NUL: dropped, not refused
    r = client.post("/api/articles", json=[short], headers=AUTH)
    assert r.status_code == 200 and r.json()["stored"] == []
    (rejection,) = r.json()["rejected"]
    assert rejection["item"] == 1 and "characters" in rejection["reason"]
    r = client.post("/api/articles", json=[short, good], headers=AUTH)
    assert r.status_code == 201 and len(r.json()["stored"]) == 1 and r.json()["rejected"][0]["item"] == 1
    article = client.get(f"/api/articles/{r.json()['stored'][0]}").json()["article"]
    assert article["url"] == "http://coast.example/ab" and "\x00" not in article["text"]


@pytest.mark.parametrize(("body", "status", "words"), [
    (b"", 422, "the request body is empty"),
    (b'{"text": "unterminated', 400, "not valid JSON"),
    ('[{"text": "caf\u00e9 '.encode("latin-1") + b"x" * 80 + b'"}]', 400, "not UTF-8 JSON"),
    (b"[" * 100_000 + b"]" * 100_000, 400, "nesting too deep"),
])
def test_a_bad_upload_body_is_one_clear_error_and_stores_nothing(
    client: TestClient, body: bytes, status: int, words: str
) -> None:
    before = client.get("/api/stories").json()["total"]
    r = client.post("/api/articles", content=body, headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == status and words in r.json()["error"]["message"], r.text
    assert "send an article object or a list of them" in r.json()["error"]["message"]
    assert client.get("/api/stories").json()["total"] == before


@pytest.fixture
def live(db: tuple[str, Newsroom]) -> Iterator[str]:
    # as `newsfuse serve` starts it: models loaded before the first request (a minute on a loaded host)
    with serve(create_app(db[0], token=TOKEN, warm=True), start_timeout=300) as base:
        yield base


@pytest.mark.browser
def test_docs_work_in_chromium_under_their_policy(live: str) -> None:
    with chromium(["--no-sandbox"]) as browser:
        page = browser.new_page()
        refused: list[str] = []
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        with page.expect_response(lambda r: r.url.endswith("/openapi.json"), timeout=60_000) as schema:
            page.goto(f"{live}/docs")  # the inline script (allowed by its hash) starts the UI, which
        assert schema.value.status == 200  # fetches the schema: both ran under the policy
        page.wait_for_selector("#swagger-ui .swagger-ui", timeout=30_000)
    assert refused == []


@pytest.mark.slow
def test_a_writable_server_loads_its_models_before_the_first_request(db: tuple[str, Newsroom]) -> None:
    """The first POST once loaded the parser and the encoder itself (10-25 s on a loaded host, past
    schemathesis' 10 s limit), the encoder inside the fuse's write transaction."""
    from newsfuse.analyze import nlp
    from newsfuse.fuse.claims import encoder

    for warm, token, loaded in ((False, TOKEN, 0), (True, None, 0), (True, TOKEN, 1)):
        nlp._load.cache_clear()
        encoder._model.cache_clear()
        with TestClient(create_app(db[0], token=token, warm=warm)):
            assert (nlp._load.cache_info().currsize, encoder._model.cache_info().currsize) == (loaded, loaded)


@pytest.mark.slow
def test_schemathesis_with_every_check_finds_nothing(live: str, tmp_path: Path) -> None:
    cli = Path(sys.executable).parent / "schemathesis"
    cmd = [str(cli), "run", f"{live}/openapi.json", "--checks", "all", "--max-examples", "12",
           "--generation-deterministic", "--header", f"Authorization: Bearer {TOKEN}",
           "--request-timeout", "120", "--suppress-health-check", "all"]
    env = dict(os.environ, NO_COLOR="1", SCHEMATHESIS_HOOKS="")
    proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1500)
    report: Any = proc.stdout[-4000:]
    assert proc.returncode == 0, report
    assert "failures" not in report.lower().split("summary")[-1] or "0 failures" in report.lower(), report
    assert httpx.get(f"{live}/api/health", timeout=10).status_code == 200


@pytest.mark.browser
def test_redoc_works_in_chromium_under_the_docs_policy(live: str) -> None:
    with chromium(["--no-sandbox"]) as browser:
        page = browser.new_page()
        refused: list[str] = []
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(f"{live}/redoc")
        page.get_by_text("List or search stories").first.wait_for(timeout=60_000)  # drew the schema
    # ReDoc's 'powered by' logo comes from its CDN: refused, as the policy means (the page works offline)
    assert all("https://cdn.redoc.ly/" in m for m in refused), refused
