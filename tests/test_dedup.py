from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from newsfuse.ingest.articles import article_from_text
from newsfuse.ingest.dedup import (
    CopyIndex,
    Sketch,
    band_keys,
    fill_bands,
    is_copy,
    link,
    shingle_hashes,
    sketch,
    words,
)
from newsfuse.store import Store, queries

STORY = (
    "Storm surges flooded the harbour district of Velmar overnight, forcing the evacuation of about "
    "600 people from low-lying streets near the old fish market. The port authority said two cargo "
    "ships had broken their moorings and drifted into the channel, where tugs secured them before dawn. "
    "Mayor Ilse Brandt said the sea wall built in 1952 had held along most of its length but had been "
    'overtopped near the ferry terminal. "We were lucky that the tide turned when it did," she said. '
    "Electricity was cut to 4,000 homes as a precaution and schools in the district will stay closed on "
    "Tuesday. Forecasters expect a second, weaker storm on Thursday. The regional government said it "
    "would release emergency funds for shop owners whose stock was ruined, and engineers began "
    "inspecting the sea wall for cracks. Residents criticised the late warning, saying the sirens "
    "sounded only after water had reached their doors. The port authority promised a review of its "
    "alert system and said ferries would resume once the channel had been surveyed."
)


def test_words_and_shingles() -> None:
    assert words("The mayor’s plan, the Mayor's PLAN") == ["the", "mayor's", "plan", "the", "mayor's", "plan"]
    assert len(shingle_hashes("a b c d e f g", size=5)) == 3
    assert len(shingle_hashes("a b c a b c", size=3)) == 3  # 'a b c' twice counts once
    assert len(shingle_hashes("too short", size=5)) == 1 and len(shingle_hashes("", size=5)) == 0


def test_signature_roundtrip_keeps_lsh_working(store: Store) -> None:
    s = sketch(STORY)
    back = Sketch.from_bytes(s.to_bytes())
    assert back.same_as(s) and back.size == s.size
    assert band_keys(back) == band_keys(s)
    article = article_from_text(STORY)
    # stored from bytes, queried with a fresh sketch: the buckets must agree
    store.add_article(article, signature=back.to_bytes(), bands=band_keys(back))
    found = CopyIndex(store).matches(sketch(STORY.replace("overnight", "late on Sunday")))
    assert list(found) == [article.id] and found[article.id].same_as(s)
    assert CopyIndex(store).matches(sketch(SHARED_QUOTE)) == {}


def test_edited_copy_and_trimmed_copy_are_copies() -> None:
    original = sketch(STORY)
    edited = STORY.replace("Storm surges", "High waves").replace("about 600", "some 600")
    edited += " A shelter opened in the sports hall."
    assert is_copy(sketch(edited), original)
    trimmed = STORY[: STORY.index("Forecasters")]  # top half only: Jaccard low, containment high
    assert sketch(trimmed).jaccard(original) < 0.8
    assert is_copy(sketch(trimmed), original)


SHARED_QUOTE = (
    "In Velmar, shopkeepers spent Monday shovelling sand and seaweed out of their premises. "
    '"We were lucky that the tide turned when it did," the mayor said, but traders on the quay '
    "said luck had nothing to do with the damage they faced. Insurance assessors are expected on "
    "Wednesday, and the chamber of commerce asked the city to waive market fees for the season. "
    "Several cafés said they would reopen within the week if the power stays on."
)


def test_shared_quote_is_not_a_copy() -> None:
    assert not is_copy(sketch(SHARED_QUOTE), sketch(STORY))


def test_exact_link_for_same_normalised_text() -> None:
    a, b = sketch(STORY), sketch(STORY.upper().replace(". ", ".\n\n"))
    assert link("b", "a", b, a).method == "exact" and link("b", "a", b, a).similarity == 1.0
    near = sketch(STORY.replace("Velmar", "Velmar city"))
    assert link("c", "a", near, a).method == "minhash"


def test_seed_articles_are_not_copies_but_a_trimmed_seed_is(seeds: Path) -> None:
    one, two = (article_from_text(p.read_text("utf-8")) for p in sorted(seeds.glob("*.txt")))
    assert not is_copy(sketch(one.text), sketch(two.text))  # same story, two outlets
    paragraphs = two.text.split("\n\n")
    trimmed = "\n\n".join(paragraphs[: len(paragraphs) * 2 // 3])
    assert is_copy(sketch(trimmed), sketch(two.text))


# -- the copy index lives in the store (migration 17): nothing read grows with the store ----------


class CountingStore(Store):
    """A store that notes how many rows each read of the signature and bucket tables returned."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.reads: list[tuple[str, int]] = []

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        rows = super().fetchall(sql, params)
        for table in ("signatures", "copy_bands_pending", "copy_bands"):
            if f"FROM {table}" in sql:
                self.reads.append((table, len(rows)))
                break
        return rows

    def rows_read(self, table: str) -> list[int]:
        return [n for t, n in self.reads if t == table]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def counting_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CountingStore]:
    if request.param == "sqlite":
        url = str(tmp_path / "t.db")
    else:
        url = request.getfixturevalue("pg_server").new_database()
    s = CountingStore(url)
    yield s
    s.close()


def other_reports(n: int) -> list[str]:
    """``n`` texts made of STORY's words in an order of their own: no two are copies of each other."""
    tokens = STORY.split()
    out = []
    for k in range(n):
        random.Random(k).shuffle(tokens)
        out.append(" ".join(tokens))
    return out


def test_a_new_article_reads_only_the_signatures_of_its_candidates(counting_store: CountingStore) -> None:
    from newsfuse.context import RunContext
    from newsfuse.ingest.pipeline import ingest_items

    texts = other_reports(40)
    arts = [article_from_text(t, outlet=f"Outlet {k}") for k, t in enumerate(texts)]
    ingest_items(counting_store, [(None, a) for a in arts], RunContext())  # type: ignore[misc]
    counting_store.reads.clear()
    copy = article_from_text(texts[7] + " Ferries resumed on Wednesday.", outlet="Copy Desk")
    ctx = RunContext()
    ingest_items(counting_store, [(None, copy)], ctx)  # type: ignore[list-item]
    assert ctx.copies == 1 and queries.copy_original(counting_store, copy.id) == arts[7].id
    # the one candidate's signature (and its group's) is read, not the 40 stored
    assert sum(counting_store.rows_read("signatures")) == 1
    assert max(counting_store.rows_read("copy_bands")) == 1


def test_signatures_stored_without_buckets_are_filled_a_page_at_a_time(counting_store: CountingStore) -> None:
    texts = other_reports(25)
    arts = [article_from_text(t, outlet=f"Outlet {k}") for k, t in enumerate(texts)]
    for a in arts:  # as stored before migration 17: signature only, queued for its buckets
        counting_store.add_article(a, signature=sketch(a.text).to_bytes())
    counting_store.add_article(article_from_text(STORY), signature=b"\x01\x02")  # unreadable: unqueued
    assert fill_bands(counting_store, page=10) == 26
    assert counting_store.rows_read("copy_bands_pending") == [10, 10, 6, 0]
    assert queries.pending_copy_bands(counting_store) == []
    assert list(CopyIndex(counting_store).matches(sketch(texts[3] + " Updated."))) == [arts[3].id]
