"""Every page at a laptop's and a phone's width in headless Chromium, on a story at real size.

The store holds the small newsroom (tests/newsroom.py) and a 100-claim, 12-outlet story
(tests/bigstory.py). Each page must fit the viewport's width (tables scroll inside their own box), and
the claim matrix's evidence must open by keyboard. Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bigstory import N_CLAIMS, OUTLETS, fill_big
from liveapp import chromium, serve
from newsroom import fill

from newsfuse.api import create_app
from newsfuse.ids import content_id
from newsfuse.models import Analysis, Article, Claim, ClaimDetail, ClaimSource, Quote, Span, Story
from newsfuse.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
WIDTHS = (1280, 390)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    url = str(tmp_path_factory.mktemp("layout") / "layout.db")
    with Store(url) as s:
        room = fill(s)
        big = fill_big(s)
        said = _quotes_story(s)
        added = _added_detail_story(s)
        _watched(s)
    with serve(create_app(url)) as base:
        yield {"base": base, "room": room, "big": big, "said": said, "added": added}


def _watched(store: Store) -> None:
    """Two watched sources as the watch records them, one failing, with long URLs and a long error."""
    feed = "https://www.valley-broadcasting-corporation.example/news/regional/rss/latest-headlines.xml"
    store.put_watch_source(feed, "Valley Broadcasting Corporation", "feed", 300.0)
    store.record_poll(feed, next_poll=0.0, new_urls=[(feed.replace("rss/latest-headlines.xml", "a/1"), "1")])
    bad = "https://harbour-gazette-and-evening-chronicle.example/sitemaps/news-sitemap-index.xml"
    store.put_watch_source(bad, "The Harbour Gazette and Evening Chronicle", "auto", 300.0)
    for _ in range(3):
        store.record_poll(bad, next_poll=0.0, error="the server answered HTTP 503 Service Unavailable "
                                                     "(retrying with backoff)")


ADDED_TEXTS = {  # two outlets tell the flooding; one adds a figure and a quote no other outlet gives
    "a_add_own": "The river Olm flooded the lower town of Brask on Tuesday, the fire service said.",
    "a_add_fig": ("The Olm flooded Brask on Tuesday. The regional governor confirmed that around 2,300 "
                  "homes in Brask were likely under water, although no deaths were reported."),
}
ADDED_SAID = "around 2,300 homes in Brask were likely under water"


def _added_detail_story(store: Store) -> str:
    """A story whose corroborated claim carries what one outlet alone adds (``fuse.claims.added``): the
    figure and its quote rest on that outlet only, given as the claim's detail."""
    outlets = {"a_add_own": "Brask Evening News", "a_add_fig": "Olm Valley Broadcasting Service"}
    with store.transaction():
        store.put_story(Story(id="s_added", title="Olm floods Brask", first_seen="2025-04-01",
                              last_update="2025-04-01"))
        for aid, text in ADDED_TEXTS.items():
            store.add_article(Article(id=aid, text=text, outlet=outlets[aid], published="2025-04-01"))
            store.assign(aid, "s_added", 1.0)

        def source(aid: str, said: str, **kw: Any) -> ClaimSource:
            start = ADDED_TEXTS[aid].index(said)
            return ClaimSource(aid, outlets[aid], evidence=(Span(aid, start, start + len(said), said),), **kw)

        flooded = Claim("c_added_flood", "s_added", "event", "The river Olm flooded Brask", "corroborated", 2,
                        (source("a_add_own", "The river Olm flooded the lower town of Brask"),
                         source("a_add_fig", ADDED_SAID,
                                value="around 2,300 homes", figure=2300.0,
                                cited_source="the regional governor")),
                        details=(ClaimDetail(
                            "Around 2,300 homes in Brask were likely under water, although no deaths were "
                            "reported", "a_add_fig", outlets["a_add_fig"],
                            cited_source="the regional governor",
                            attribution="the regional governor confirmed",
                            evidence=source("a_add_fig", ADDED_SAID).evidence),),
                        event_type="ENVIRONMENT", date_start="2025-04-01",
                        date_end="2025-04-01", date_basis="first reported")
        store.put_claims("s_added", [flooded])
    return "s_added"


SAID_TEXT = ('Mayor Ana Kovic said that the Tarn bridge "will not reopen before spring", the council '
             "reported on Monday. Minister Ivo Rant called it a costly delay for the valley towns, and "
             "the harbour board promised a ferry until the repairs are done.")


def _quotes_story(store: Store) -> str:
    """A story whose quotes are mixed (words of the speaker inside the outlet's sentence) and
    reported (the cue carries the meaning: 'called it a costly delay'), by an outlet with a long name."""
    a = Article(id="a_said", text=SAID_TEXT, outlet="Valley Broadcasting Corporation", published="2025-03-03")

    def quote(content: str, speaker: str, cue: str, kind: str) -> Quote:
        cs, ss, us = SAID_TEXT.index(content), SAID_TEXT.index(speaker), SAID_TEXT.index(cue)
        return Quote(id=content_id(a.id, cs, prefix="q_"), article_id=a.id, kind=kind, content=content,
                     content_start=cs, content_end=cs + len(content), speaker=speaker, speaker_start=ss,
                     speaker_end=ss + len(speaker), speaker_key=speaker, cue=cue, cue_start=us,
                     cue_end=us + len(cue))

    quotes = (quote('that the Tarn bridge "will not reopen before spring"', "Ana Kovic", "said", "mixed"),
              quote("it a costly delay for the valley towns", "Ivo Rant", "called", "reported"))
    with store.transaction():
        store.add_article(a)
        store.put_analysis(Analysis(article_id=a.id, quotes=quotes, version="test"))
        store.put_story(Story(id="s_said", title="Tarn bridge shut until spring", first_seen="2025-03-03",
                              last_update="2025-03-03"))
        store.assign(a.id, "s_said", 1.0)
    return "s_said"


@pytest.mark.parametrize("width", WIDTHS)
def test_who_said_what_reads_as_said_at_both_widths(browser: Any, site: dict[str, Any], width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 860})
    page.goto(f"{site['base']}/stories/{site['said']}")
    rows = page.locator("#quotes tbody tr").all_inner_texts()
    # A mixed quote keeps the outlet's marks, none added (it once read 'spring"”'); reported
    # speech keeps its cue ('it a costly delay' alone said nothing of who called it what).
    assert any('said that the Tarn bridge "will not reopen before spring"' in r for r in rows), rows
    assert not any('"\u201d' in r or '\u201c"' in r for r in rows), rows
    assert any("called it a costly delay for the valley towns" in r for r in rows), rows
    # one group per speaker, the name once, above (phone) or beside (desktop) its statements
    groups = page.locator("#quotes tbody.speaker-group")
    assert groups.count() == 2
    assert [" ".join(t.split()) for t in page.locator("#quotes th.speaker").all_inner_texts()] == [
        "Ana Kovic", "Ivo Rant"]
    said = page.locator("#quotes tbody tr td.carrier").first
    box, row = said.bounding_box(), page.locator("#quotes tbody tr").first.bounding_box()
    assert box is not None and row is not None
    if width < 720:
        # a phone reads the quotes as cards: no column header, every cell the card's full width,
        # so the outlet's name is never broken mid-word
        assert not page.locator("#quotes thead").is_visible()
        assert box["width"] >= 0.9 * row["width"]
        assert "carried by" in said.evaluate("e => getComputedStyle(e, '::before').content")
    else:
        assert page.locator("#quotes thead").is_visible() and box["width"] < 0.5 * row["width"]
    page.close()


def test_matrix_legend_separates_its_symbols(browser: Any, site: dict[str, Any]) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    page.goto(f"{site['base']}/stories/{site['room'].story_id}")
    legend = page.locator(".legend-cell").inner_text()
    # '· · not reported' read as a doubled separator: the items are now set apart by semicolons
    assert "· ·" not in legend and "; · not reported" in legend
    page.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def _paths(site: dict[str, Any]) -> dict[str, str]:
    room, big = site["room"], site["big"]
    return {"stories": "/", "big-story": f"/stories/{big.story_id}", "article": f"/articles/{room.wire.id}",
            "entity": f"/entities/{room.person_id}", "search": "/search?q=harbour+quay",
            "outlets": "/outlets", "outlet": "/outlets/The%20Harbour%20Gazette%20and%20Evening%20Chronicle",
            "sources": "/sources", "added-detail": f"/stories/{site['added']}", "docs": "/docs"}


def _overflow(page: Any) -> int:
    """Pixels the page is wider than the viewport (0: nothing to scroll sideways)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.parametrize("width", WIDTHS)
def test_no_page_is_wider_than_the_screen(browser: Any, site: dict[str, Any], width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 860})
    SHOTS.mkdir(parents=True, exist_ok=True)
    wide = {}
    for name, path in _paths(site).items():
        page.goto(site["base"] + path)
        if name == "docs":
            page.wait_for_selector(".opblock", timeout=15_000)
        if _overflow(page) > 0:
            wide[name] = _overflow(page)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.close()
    assert wide == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_big_story_matrix_keeps_claims_and_outlets_in_view(
        browser: Any, site: dict[str, Any], width: int) -> None:
    page = browser.new_page(viewport={"width": width, "height": 860})
    page.goto(site["base"] + f"/stories/{site['big'].story_id}")
    main = page.locator("table.claims-main")
    # single-source claims are collapsed; conflicting and corroborated ones are open
    assert main.locator("tbody tr").count() == 20
    assert page.locator("details.more-claims").get_attribute("open") is None
    assert not page.locator("table.claims-single").is_visible()
    assert main.locator("thead th.outlet").count() == len(OUTLETS)
    wrap = page.locator(".matrix-wrap").first
    wrap.evaluate("e => e.scrollIntoView()")
    box = wrap.bounding_box()
    assert box is not None and box["width"] <= width and box["y"] + box["height"] <= 860
    # scrolled to the far right and down, the claim column and the outlet header stay in view
    wrap.evaluate("e => { e.scrollLeft = e.scrollWidth; e.scrollTop = 300; }")
    at_left = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('th')?.className || ''",
                            [box["x"] + 20, box["y"] + box["height"] / 2])
    at_top = page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('th')?.className || ''",
                           [box["x"] + box["width"] - 30, box["y"] + 10])
    assert "claim-col" in at_left and "outlet" in at_top
    last = main.locator("thead th.outlet").last.bounding_box()
    assert last is not None and last["x"] + last["width"] <= box["x"] + box["width"] + 1
    page.screenshot(path=str(SHOTS / f"big-story-scrolled-{width}.png"))
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_both_sides_of_a_conflict_read_beside_the_claim(
    browser: Any, site: dict[str, Any], width: int
) -> None:
    # on a phone the other side's cell is off screen: the claim itself names both sides and who
    # says each, in view without scrolling the table sideways
    page = browser.new_page(viewport={"width": width, "height": 860})
    page.goto(site["base"] + f"/stories/{site['room'].story_id}")
    sides = page.locator("tr[data-claim=c_drivers] th .sides li")
    assert sides.count() == 2
    texts = sides.all_inner_texts()
    assert any("15,000" in t for t in texts) and any("12,000" in t for t in texts), texts
    wrap = page.locator(".matrix-wrap").first.bounding_box()
    for i in range(2):
        box = sides.nth(i).bounding_box()
        assert box is not None and wrap is not None and box["x"] + box["width"] <= wrap["x"] + wrap["width"]
    # a claim that is not in conflict has no sides list, and the counting note opens on demand
    assert page.locator("tr[data-claim=c_closed] th .sides").count() == 0
    page.screenshot(path=str(SHOTS / f"conflict-sides-{width}.png"))
    page.close()


def test_big_story_filters_and_sorts(browser: Any, site: dict[str, Any]) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    base = site["base"] + f"/stories/{site['big'].story_id}"
    page.goto(base)
    page.click("nav.claim-filters >> text=single source (80)")
    # The click only waits for the navigation to start: count once the new page has loaded whole.
    page.wait_for_url("**status=single-source**", wait_until="load")
    rows = page.locator("table.claims-main tbody tr")
    assert rows.count() == 80 and {rows.nth(i).get_attribute("data-status") for i in (0, 79)} == {
        "single-source"}
    page.goto(base + "?status=corroborated&sort=support")
    support = [int(s) for s in page.locator("table.claims-main tbody tr .badge").all_inner_texts()
               for s in s.split() if s.isdigit()]
    assert len(support) == 16 and support == sorted(support, reverse=True)
    page.goto(base)
    page.click("details.more-claims > summary")
    assert page.locator("table.claims-single tbody tr").count() == N_CLAIMS - 20
    page.close()


def test_evidence_opens_by_keyboard_and_links_to_the_sentence(browser: Any, site: dict[str, Any]) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 860})
    page.goto(site["base"] + f"/stories/{site['big'].story_id}")
    first = page.locator("table.claims-main td.cell details.ev").first
    summary = first.locator("summary")
    summary.focus()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    body = first.locator(".ev-body")
    assert not body.is_visible()
    page.keyboard.press("Enter")
    assert body.is_visible() and "measure number" in body.inner_text()
    page.screenshot(path=str(SHOTS / "evidence-open-390.png"))
    link = body.locator("a.ev-link").first
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/articles/**#ev")
    target = page.locator("mark.evidence#ev")
    assert target.count() == 1
    assert target.inner_text().startswith("Harbour officials confirmed measure number 0 ")
    assert "Wire One reported." in "".join(page.locator("mark.evidence").all_inner_texts())  # the sentence
    top = target.bounding_box()
    assert top is not None and 0 <= top["y"] < 860  # scrolled to the sentence, not the top of the article
    page.screenshot(path=str(SHOTS / "evidence-target-390.png"))
    page.close()


def test_timeline_axis_spans_the_story(browser: Any, site: dict[str, Any]) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 860})
    page.goto(site["base"] + f"/stories/{site['big'].story_id}#timeline")
    chart = page.locator("figure.timeline-chart")
    # seven daily steps and the estimated reopening drawn; the 2023 background only in the list
    assert chart.locator("li.entry").count() == 8 and chart.locator("li.entry.estimated").count() == 1
    ticks = " ".join(t.text_content() or "" for t in chart.locator(".tick").all())
    assert "Mar" in ticks and "2023" not in ticks
    assert "2023-01-01" in page.locator("ol.timeline-list").inner_text()
    xs = [float(c.get_attribute("cx").rstrip("%")) for c in chart.locator("circle.marker").all()[:7]]
    assert xs == sorted(xs) and xs[-1] - xs[0] > 20  # a week spreads over the axis, not one point
    size = chart.locator(".tl-text").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= 12
    assert "estimated" in chart.locator(".tl-legend").inner_text()
    chart.screenshot(path=str(SHOTS / "timeline-390.png"))
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_single_source_detail_reads_as_one_outlets_beside_the_corroborated_fact(
    browser: Any, site: dict[str, Any], width: int
) -> None:
    # what one outlet alone adds to a shared fact is in the open under the claim, marked single-source
    # and naming that outlet, inside the claim column; the outlet's cell does not show the figure as the
    # corroborated content
    page = browser.new_page(viewport={"width": width, "height": 860})
    page.goto(site["base"] + f"/stories/{site['added']}")
    row = page.locator("tr[data-claim=c_added_flood]")
    assert "corroborated by 2 sources" in row.locator("th .badge.status-corroborated").inner_text()
    added = row.locator("th .added")
    assert added.is_visible()
    words = " ".join(added.inner_text().split())
    assert "single-source detail" in words and "only Olm Valley Broadcasting Service" in words, words
    assert "2,300 homes in Brask" in words
    colour = added.locator(".badge").evaluate("e => getComputedStyle(e).color")
    ok = row.locator("th .badge.status-corroborated").evaluate("e => getComputedStyle(e).color")
    assert colour != ok  # not in the corroborated colour
    head, box = row.locator("th").bounding_box(), added.bounding_box()
    assert head is not None and box is not None and box["x"] + box["width"] <= head["x"] + head["width"] + 1
    # the counting note stays closed and no longer promises the detail inside it
    assert row.locator("th details.note").count() == 0
    outlets = [" ".join(t.split()) for t in page.locator("table.matrix thead th.outlet").all_inner_texts()]
    texts = [" ".join(t.split()) for t in row.locator("td.cell").all_inner_texts()]
    cells = dict(zip(outlets, texts, strict=True))
    assert "only this outlet: around 2,300 homes" in cells["Olm Valley Broadcasting Service"], cells
    assert "2,300" not in cells["Brask Evening News"] and "reports" in cells["Brask Evening News"], cells
    page.screenshot(path=str(SHOTS / f"added-detail-{width}.png"), full_page=True)
    page.close()


def test_the_operators_page_is_one_click_from_every_page(browser: Any, site: dict[str, Any]) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 860})
    page.goto(site["base"] + "/")
    page.locator("header.site nav").get_by_role("link", name="Sources").click()
    page.wait_for_load_state()
    assert page.url.endswith("/sources") and page.locator("h1").inner_text() == "Watched sources"
    assert page.locator("table.sources tbody tr").count() == 2
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_story_list_reads_its_outlet_counts_in_words(browser: Any, site: dict[str, Any], width: int) -> None:
    # a phone's card once read '2 of 2 independent outlets'; the count of outlets goes after the label
    page = browser.new_page(viewport={"width": width, "height": 860})
    page.goto(site["base"] + "/")
    cell = page.locator(f"tr[data-story={site['added']}] td").nth(2)
    seen = " ".join(cell.inner_text().split())
    if width < 720:
        after = cell.evaluate("e => getComputedStyle(e, '::after').content")
        assert seen == "2" and "independent outlets (of 2)" in after, (seen, after)
    else:
        assert seen == "2 of 2", seen
        assert page.locator("table.stories thead th").nth(2).inner_text() == "Independent outlets"
    page.close()
