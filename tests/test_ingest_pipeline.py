"""The ingest stage end to end: seeds, sample corpus, copies across runs, bad batches, CLI, URLs."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_dedup import STORY

from newsfuse.cli import main
from newsfuse.errors import ConfigError
from newsfuse.pipeline import RunContext
from newsfuse.store import Store, queries

WIRE = f" date 2025-03-02 (HARBWIRE) {STORY}\n\nHARBWIRE02032025000123ID998877"
COPY = "date 2025-03-02 (Velmar Courier)\nHarbour flooded\n\n" + STORY.replace("Storm surges", "Huge waves")
COPY_OF_COPY = "date 2025-03-03 (Coast Daily)\nNight of the storm\n\n" + STORY.replace(
    "Storm surges", "Huge waves"
).replace("about 600", "roughly 600")


def ingest(store: Store, *paths: Path | str, **kw: str) -> RunContext:
    from newsfuse.ingest.pipeline import ingest_stage

    ctx = RunContext(paths=list(paths), **kw)  # type: ignore[arg-type]
    ingest_stage(store, ctx)
    return ctx


def by_source(store: Store) -> dict[str, str]:
    return {Path(a.source or "").name: a.id for a in queries.list_articles(store)}


def links(store: Store) -> set[tuple[str, str, str]]:
    return {(c.article_id, c.original_id, c.method) for c in queries.copies(store)}


def test_seeds_ingest(store: Store, seeds: Path) -> None:
    ctx = ingest(store, seeds)
    assert not ctx.rejected and len(ctx.stored) == 2 and ctx.read == 2
    ids = by_source(store)
    first = queries.get_article(store, ids["000_ed6ca0b20a34348c.txt"])
    second = queries.get_article(store, ids["002_810c36b51088a32c.txt"])
    assert (first.published, first.outlet, first.published_source) == ("2024-11-20", "MENAFN", "header")
    assert first.wire_id == "MENAFN20112024000045015687ID1108906114"
    assert "MENAFN" not in first.text and "date 2024" not in first.text
    assert first.text.startswith("French President") and "\n\n\n" not in first.text
    assert "p>" not in second.text and second.text.count("\n\n") >= 10
    assert not queries.copies(store)  # two outlets reporting one story are not copies


def test_reingest_is_idempotent(store: Store, tmp_path: Path) -> None:
    (tmp_path / "wire.txt").write_text(WIRE)
    (tmp_path / "copy.txt").write_text(COPY)
    first = ingest(store, tmp_path)
    before = links(store)
    again = ingest(store, tmp_path)
    assert len(first.stored) == 2 and first.copies == 1 and len(before) == 1
    assert again.stored == [] and again.already == 2 and again.copies == 0 and links(store) == before
    assert queries.count_articles(store) == 2


def test_copies_found_across_runs_and_linked_to_the_original(store: Store, tmp_path: Path) -> None:
    for name, text in (("b_copy.txt", COPY), ("c_copy.txt", COPY_OF_COPY), ("w.txt", WIRE)):
        (tmp_path / name).write_text(text)
    ingest(store, tmp_path / "b_copy.txt")
    ingest(store, tmp_path / "c_copy.txt")  # a copy of the copy: linked to what is known so far
    ids = by_source(store)
    assert links(store) == {(ids["c_copy.txt"], ids["b_copy.txt"], "minhash")}
    ctx = ingest(store, tmp_path / "w.txt")  # the wire arrives last: it is everyone's original
    ids = by_source(store)
    assert links(store) == {
        (ids["b_copy.txt"], ids["w.txt"], "minhash"),
        (ids["c_copy.txt"], ids["w.txt"], "minhash"),
    }
    assert ctx.copies == 1  # the earlier 'original' became a copy; the other link was re-pointed


def test_exact_copy_by_another_outlet(store: Store) -> None:
    from newsfuse.ingest.articles import article_from_text
    from newsfuse.ingest.pipeline import ingest_items

    a, b = article_from_text(STORY, outlet="Velmar Courier"), article_from_text(STORY, outlet="Coast Daily")
    ctx = RunContext()
    ingest_items(store, [(None, a), (None, b), (None, a)], ctx)  # type: ignore[list-item]
    assert links(store) == {(b.id, a.id, "exact")} and ctx.already == 1 and ctx.copies == 1
    assert queries.copies(store)[0].similarity == 1.0


def test_bad_inputs_do_not_stop_the_batch(store: Store, tmp_path: Path) -> None:
    (tmp_path / "a_good.txt").write_text(STORY)
    (tmp_path / "b_empty.txt").write_text("")
    (tmp_path / "c_binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "d_lines.jsonl").write_text(
        json.dumps({"text": STORY[:300], "outlet": "Coast Daily"}) + "\n{oops\n"
    )
    (tmp_path / "notes.md").write_text("not news")
    ctx = ingest(store, tmp_path)
    assert len(ctx.stored) == 2 and ctx.read == 5
    assert sorted(Path(r.where).name for r in ctx.rejected) == [
        "b_empty.txt",
        "c_binary.txt",
        "d_lines.jsonl:2",
    ]
    assert any("notes.md" in n for n in ctx.notes)
    assert queries.count_articles(store) == 2


def test_bad_published_flag_is_a_usage_error(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        ingest(store, tmp_path, published="next tuesday-ish")


@pytest.fixture
def feed_server(tmp_path: Path) -> Iterator[str]:
    """An RSS feed served on this machine's loopback address only."""
    (tmp_path / "feed.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Velmar Radio</title>'
        f"<item><title>Flood</title><description>{STORY}</description>"
        "<pubDate>Sun, 02 Mar 2025 20:00:00 +0000</pubDate></item></channel></rss>"
    )

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kw: object) -> None:
            super().__init__(*args, directory=str(tmp_path), **kw)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    server.shutdown()


def test_feed_url(store: Store, feed_server: str) -> None:
    ctx = ingest(store, feed_server)
    assert not ctx.rejected and len(ctx.stored) == 1
    article = queries.get_article(store, ctx.stored[0])
    assert (
        article.outlet == "Velmar Radio"
        and article.published == "2025-03-02"
        and article.source == f"{feed_server}#1"
    )


def test_cli_exit_code_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "good.txt").write_text(STORY)
    db = str(tmp_path / "n.db")
    assert main(["ingest", str(tmp_path / "good.txt"), "--db", db, "--no-analyze"]) == 0
    assert "stored 1" in capsys.readouterr().out
    (tmp_path / "bad.txt").write_bytes(b"")
    assert main(["ingest", str(tmp_path), "--db", db, "--no-analyze"]) == 1
    out = capsys.readouterr()
    assert "already stored 1" in out.out and f"rejected {tmp_path / 'bad.txt'}: empty" in out.err


def test_sample_corpus(store: Store, sample: Path) -> None:
    ctx = ingest(store, sample)
    assert ctx.rejected == [] and len(ctx.stored) == 15
    arts = {Path(a.source or "").name: a for a in queries.list_articles(store)}
    wire = arts["marnews_orlen_dam_wire.txt"]
    assert wire.wire_id == "MARNEWS14092025000187ID1100734" and wire.outlet == "MARNEWS"
    assert wire.published == "2025-09-14" and "MARNEWS1409" not in wire.text
    copies = {c.article_id: c for c in queries.copies(store)}
    for name in ("dunmere_courier_dam_copy.txt", "kessel_valley_post_dam_copy.txt"):
        assert copies[arts[name].id].original_id == wire.id and copies[arts[name].id].similarity > 0.7
    assert len(copies) == 2  # nothing else in the corpus is a copy
    response = arts["dunmere_courier_response.txt"]
    assert "p>" not in response.text and 'That is luck."\n\nThe interior minister' in response.text
    herald = arts["lowland_herald_dam.html"]
    assert herald.outlet == "The Lowland Herald" and herald.author == "Nadia Verhoen"
    assert "Kessel Chamber of Commerce & Industry" in herald.text and "gtagLite" not in herald.text
    assert arts["radio_tarva_feed.xml#1"].outlet == "Radio Tarva"
    assert arts["dunmere_evacuees_feature.txt"].published is None


def test_cached_index_follows_the_store_after_a_rollback(store: Store) -> None:
    from newsfuse.ingest.articles import article_from_text
    from newsfuse.ingest.pipeline import ingest_items

    first = article_from_text(STORY, outlet="Velmar Courier")
    later = article_from_text(STORY.replace("Storm surges", "Huge waves"), outlet="Coast Daily")
    with pytest.raises(RuntimeError), store.transaction():
        ingest_items(store, [(None, first)], RunContext())  # type: ignore[list-item]
        raise RuntimeError("the caller's transaction fails after the article was indexed")
    ctx = RunContext()
    ingest_items(store, [(None, later)], ctx)  # type: ignore[list-item]
    assert ctx.stored == [later.id] and ctx.copies == 0  # the rolled-back article is not its original
    ctx = RunContext()
    ingest_items(store, [(None, first)], ctx)  # type: ignore[list-item]
    assert ctx.copies == 1 and links(store) == {(first.id, later.id, "minhash")}
