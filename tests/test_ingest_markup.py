"""Hostile HTML made parseable with its text kept (newsfuse.ingest.markup)."""

from __future__ import annotations

import time

import pytest

from newsfuse import defaults
from newsfuse.ingest.articles import article_from_html
from newsfuse.ingest.markup import tame_html

TEXT = ("The harbour master said on Thursday that repairs to the storm-damaged pier would take at least "
        "six weeks, and that cargo ships would dock at the southern quay until the work is done.")


def test_entity_declarations_are_dropped_and_never_expanded() -> None:
    page = ('<!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            "<html><body><p>&b; stays</p></body></html>")
    tamed = tame_html(page)
    assert "ENTITY" not in tamed and tamed.startswith("<!DOCTYPE html>") and "&b; stays" in tamed


def test_nesting_beyond_the_limit_is_flattened_keeping_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(defaults, "MAX_HTML_DEPTH", 3)
    page = "<html><body>" + "<div>" * 5 + "<p>deep<br>text</p>" + "</div>" * 5 + "<p>after</p></body></html>"
    tamed = tame_html(page)
    # html, body and one div are the three kept; the deeper divs and p go, their text stays
    assert tamed == "<html><body><div>deep<br>text</div><p>after</p></body></html>"
    shallow = "<html><body><p>a<br>b</p><p>c</p></body></html><html><body><div>d</div></body></html>"
    assert tame_html(shallow) == shallow  # a page within the limit is left as it is


def test_a_page_nested_a_hundred_thousand_deep_keeps_its_article_in_bounded_time() -> None:
    page = "<html><body>" + "<div>" * 100_000 + f"<p>{TEXT}</p>" + "</div>" * 100_000 + "</body></html>"
    started = time.perf_counter()
    article = article_from_html(page, source="deep.html")
    assert " ".join(article.text.split()) == TEXT
    assert time.perf_counter() - started < 30  # seconds, on a loaded 2-core host (about 1 s idle)
    # bytes in, as the fetcher passes them: the same
    assert " ".join(article_from_html(page.encode(), source="deep.html").text.split()) == TEXT
