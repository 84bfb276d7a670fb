"""Web pages: rendering and escaping through the test client, then real pages in headless Chromium."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from liveapp import chromium, serve
from newsroom import HOSTILE_OUTLET, Newsroom

from newsfuse.api import create_app
from newsfuse.web.charts import timeline_chart
from newsfuse.web.highlight import Mark, segments

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
HTML = {"Accept": "text/html"}


@pytest.fixture
def client(db: tuple[str, Newsroom]) -> Iterator[TestClient]:
    with TestClient(create_app(db[0])) as c:
        yield c


# -- pure functions -------------------------------------------------------------------------------


def test_segments_cut_overlaps_and_keep_text_whole() -> None:
    text = 'She said "Ilse Marr left" on Monday.'
    q, m, t = text.index('"Ilse'), text.index("Ilse"), text.index("on Monday")
    marks = [Mark(q, q + 16, "quote"), Mark(m, m + 9, "mention"), Mark(t, t + 9, "time"), Mark(30, 99, "bad")]
    segs = segments(text, marks)
    assert "".join(s.text for s in segs) == text
    assert [(s.text, s.classes) for s in segs if s.classes] == [
        ('"', "quote"), ("Ilse Marr", "quote mention"), (' left"', "quote"), ("on Monday", "time")]


def test_timeline_chart_scales_dates_and_keeps_undated_apart() -> None:
    chart = timeline_chart([
        {"date_start": "2025-03-01", "date_end": "2025-03-01", "text": "a"},
        {"date_start": "2025-03-10", "date_end": "2025-03-20", "text": "b", "estimated": True},
        {"date_start": None, "text": "c"},
    ])
    a, b = chart["items"]
    assert a["point"] and not b["point"] and b["estimated"]
    assert 0 <= a["x1"] < b["x1"] < b["x1"] + b["w"] <= 100  # percent of the track
    assert [u["text"] for u in chart["undated"]] == ["c"]
    assert timeline_chart([])["items"] == []


def test_standalone_report_links_only_to_the_outlets(db: tuple[str, Newsroom]) -> None:
    """A report opened from disk has no server behind it: no link to /articles/... or any local path."""
    from newsfuse.fuse.report import story_data
    from newsfuse.store import Store
    from newsfuse.web.pages import standalone_story_page

    with Store(db[0]) as s:
        html = standalone_story_page(story_data(s, db[1].story_id))
    hrefs = re.findall(r'(?:href|action)="([^"]*)"', html)
    assert hrefs and all(h.startswith("https://") for h in hrefs), hrefs
    assert "https://wire.example/tarn" in hrefs and "<style>" in html
    assert "divers have checked every pier" in html  # the evidence is in the file itself


# -- pages through the test client ------------------------------------------------------------------


def test_story_list_page(client: TestClient) -> None:
    page = client.get("/", headers=HTML)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "Tarn bridge closed after pier cracks" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    filtered = client.get("/", params={"outlet": "Valley Times"}, headers=HTML).text
    assert "Tarn bridge" in filtered and "Quay leaflets" not in filtered
    partial = client.get("/", params={"outlet": "valley"}, headers=HTML).text  # any case, part of the name
    assert "Tarn bridge" in partial and "Quay leaflets" not in partial


@pytest.mark.parametrize("path", ["/", "/stories/s_hostile", "/search?q=leaflet"])
def test_hostile_titles_and_outlets_are_escaped(client: TestClient, path: str) -> None:
    html = client.get(path, headers=HTML).text
    assert "Quay leaflets" in html
    assert "<script>document.title" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_article_page_marks_evidence_and_escapes_text(client: TestClient, db: tuple[str, Newsroom]) -> None:
    room = db[1]
    html = client.get(f"/articles/{room.wire.id}", headers=HTML).text
    for cls in ("mention-person", "mention-fac", "quote-direct", "speaker", "time", "amount", "event"):
        assert re.search(rf'<mark class="[^"]*\b{cls}\b[^"]*" title="[^"<]+">', html), cls
    hostile = client.get(f"/articles/{room.hostile.id}", headers=HTML).text
    assert "<script>" not in hostile and "<img" not in hostile
    assert "&lt;img src=x onerror=" in hostile
    assert 'href="javascript:' not in hostile  # a javascript: URL is shown, never linked
    assert HOSTILE_OUTLET.replace("<", "&lt;").replace(">", "&gt;") in hostile


def test_html_errors_for_browsers_json_for_scripts(client: TestClient) -> None:
    page = client.get("/stories/s_missing", headers=HTML)
    assert page.status_code == 404 and "text/html" in page.headers["content-type"] and "no story" in page.text
    for path in ("/stories/s_missing", "/articles/a_missing", "/entities/e_missing", "/no/such/page"):
        html = client.get(path, headers=HTML).text
        # a reader is told what is missing and where to go, not a command to run
        assert "newsfuse stories" not in html and "openapi.json for" not in html and "Not found" in html
        assert 'href="/"' in html and 'action="/search"' in html
    assert client.get("/stories/s_missing").json()["error"]["code"] == "not_found"
    assert client.get("/?since=soon", headers=HTML).status_code == 422


# -- real browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


@pytest.fixture
def server(db: tuple[str, Newsroom]) -> Iterator[str]:
    with serve(create_app(db[0])) as base:
        yield base


def _page(browser: Any) -> Any:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.dialogs: list[str] = []  # type: ignore[misc]
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    return page


@pytest.mark.browser
def test_story_page_in_chromium(browser: Any, server: str, db: tuple[str, Newsroom]) -> None:
    room = db[1]
    page = _page(browser)
    page.goto(f"{server}/stories/{room.story_id}")
    rows = page.locator("table.matrix tbody tr")
    assert rows.count() == 3
    statuses = {rows.nth(i).get_attribute("data-claim"): rows.nth(i).get_attribute("data-status")
                for i in range(3)}
    assert statuses == {"c_closed": "corroborated", "c_detained": "single-source", "c_drivers": "conflicting"}
    headers = page.locator("table.claims-main thead th.outlet").all_inner_texts()
    assert set(headers) == {"Wire One", "Hill Courier", "Valley Times"}
    conflict = page.locator("tr[data-claim=c_drivers]")
    assert "⚠" in conflict.inner_text() and "conflicting" in conflict.inner_text()
    assert "15,000" in conflict.inner_text() and "12,000" in conflict.inner_text()
    # status is shown by colour too: the badge colours differ between states
    colours = {s: page.locator(f"tr[data-status={s}] .badge").first.evaluate("e => getComputedStyle(e).color")
               for s in ("corroborated", "single-source", "conflicting")}
    assert len(set(colours.values())) == 3
    copy_cell = page.locator("tr[data-claim=c_closed] td[data-state=copy]")
    assert copy_cell.count() == 1 and "↻" in copy_cell.inner_text()
    quotes = page.locator("#quotes tbody tr")
    # the wire's quote and its copy's are one statement: one row, carried by both, the copy marked
    assert quotes.count() == 1 and "divers have checked every pier" in quotes.first.inner_text()
    carriers = " ".join(quotes.first.locator(".carrier").inner_text().split())
    assert carriers == "Wire One, Hill Courier (copy)", carriers
    # a role reads as one, not as a further alias ('also: Marr transport director')
    marr = " ".join(page.locator("#entities li", has_text="Ilse Marr").inner_text().split())
    assert "also: Marr · role: transport director" in marr, marr
    assert "Ilse Marr" in quotes.first.locator(".speaker").inner_text()
    chart = page.locator("figure.timeline-chart")
    assert chart.count() == 1
    # the two reporting days are drawn; the reopening five weeks on is beyond the axis, in the list
    assert chart.locator("li.entry").count() == 2 and chart.locator("circle.marker").count() >= 2
    assert "1 earlier or later date" in chart.locator(".tl-legend").inner_text()
    assert "Expected reopening" in page.locator("ol.timeline-list li.estimated").inner_text()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 400 and box["height"] > 60
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "story.png"), full_page=True)
    page.close()


@pytest.mark.browser
def test_article_page_highlights_in_chromium(browser: Any, server: str, db: tuple[str, Newsroom]) -> None:
    room = db[1]
    page = _page(browser)
    page.goto(f"{server}/articles/{room.wire.id}")
    text = page.locator(".article-text")
    assert text.inner_text().strip() == room.wire.text.strip()  # marks add no characters
    assert page.locator(".article-text mark.mention").count() >= 2
    assert "divers have checked" in "".join(page.locator(".article-text mark.quote").all_inner_texts())
    assert page.locator(".article-text mark.time").inner_text() == "on Monday"
    assert page.locator(".article-text mark.amount").inner_text() == "About 12,000 drivers"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "article.png"), full_page=True)
    page.close()


@pytest.mark.browser
def test_hostile_article_runs_no_script_in_chromium(
    browser: Any, server: str, db: tuple[str, Newsroom]
) -> None:
    room = db[1]
    page = _page(browser)
    paths = (f"/articles/{room.hostile.id}", f"/stories/{room.hostile_story_id}", "/", "/search?q=leaflet")
    for path in paths:
        page.goto(server + path)
        assert page.title() != "pwned" and page.title().endswith("· newsfuse")  # no script set it
        assert page.locator("img").count() == 0 and page.locator("main script").count() == 0
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert "<script>document.title='pwned'</script>" in page.locator(".snippet").first.inner_text()
    page.goto(f"{server}/articles/{room.hostile.id}")
    assert "<img src=x onerror=" in page.locator(".article-text").inner_text()  # shown as text
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "hostile.png"), full_page=True)
    page.close()


@pytest.mark.browser
def test_story_list_filters_in_chromium(browser: Any, server: str) -> None:
    page = _page(browser)
    page.goto(server + "/")
    assert page.locator("table.stories tbody tr").count() == 2
    page.fill("input[name=outlet]", "Valley Times")
    page.click("form.filters button")
    page.wait_for_url("**/?*outlet=Valley*")
    rows = page.locator("table.stories tbody tr")
    assert rows.count() == 1 and rows.first.get_attribute("data-story") == "s_bridge"
    assert rows.first.locator("td.num").first.inner_text() == "3"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "stories.png"), full_page=True)
    page.close()


@pytest.mark.browser
def test_docs_page_shows_its_operations_in_chromium(browser: Any, server: str) -> None:
    """Swagger UI reads the OpenAPI 3.1 document (3.x bundles refused it) and lists every operation."""
    page = _page(browser)
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock", timeout=15_000)
    ops = {t.strip() for t in page.locator(".opblock-summary-path").all_inner_texts()}
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles", "/api/search"} <= ops
    assert page.locator(".opblock-post").count() == 1
    assert "Unable to render" not in page.locator("body").inner_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "docs.png"), full_page=False)
    back = page.locator("nav.site-back a", has_text="newsfuse")
    assert back.is_visible()  # the way back to the site, above the docs
    back.click()
    page.wait_for_url(server + "/")
    page.goto(server + "/redoc")
    page.wait_for_selector("text=List or search stories", timeout=15_000)
    assert page.locator("nav.site-back a", has_text="Stories").is_visible()
    page.close()

