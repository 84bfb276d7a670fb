"""A story grown one article at a time, fused after each in one process (statements, matcher
decisions and nearest sentences kept between fuses; the chain join's first tries), ends with exactly
the claims, entities and timeline of one cold fuse of the same articles in a fresh process's state: the
bundled sample corpus's dam story, its articles arriving newest first (so each new one is placed
before the others in the claims' canonical order, the hardest case for anything kept)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from newsfuse import defaults
from newsfuse.analyze import nlp
from newsfuse.analyze.pipeline import analyze_article
from newsfuse.fuse import analyses as kept_analyses
from newsfuse.fuse.claims import cache as claimcache
from newsfuse.fuse.claims import meaning as claimmeaning
from newsfuse.fuse.claims import pairs as claimpairs
from newsfuse.fuse.claims import records as claimrecords
from newsfuse.fuse.claims import resume as claimresume
from newsfuse.fuse.claims import sources as claimsources
from newsfuse.fuse.claims import speakers as claimspeakers
from newsfuse.fuse.pipeline import fuse_story
from newsfuse.models import Story, to_dict
from newsfuse.pipeline import RunContext, run
from newsfuse.store import Store, queries

SAMPLE = Path(__file__).resolve().parent.parent / "newsfuse" / "data" / "sample"
GROWN = "s_grown"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str]]]:
    """The sample corpus analysed and fused (a store file), and its biggest story's articles."""
    folder = tmp_path_factory.mktemp("grow")
    store = Store(str(folder / "sample.db"))
    ctx = RunContext(paths=[SAMPLE])
    run(store, ctx, ["ingest", "analyze"])
    todo = [a for a in queries.list_articles(store, ctx.stored)
            if queries.analysis_version(store, a.id) is None]
    for article, doc in zip(todo, nlp.parse_many([a.text for a in todo]), strict=True):
        store.put_analysis(analyze_article(article, doc))
    store.close()
    shutil.copy(folder / "sample.db", folder / "analysed.db")  # nothing fused: no entity, claim or link
    store = Store(str(folder / "sample.db"))
    run(store, ctx, ["fuse"])  # only to find the story the grown one is made of
    sizes = {s.id: len(s.article_ids) for s in queries.list_stories(store)}
    biggest = max(sizes, key=lambda s: (sizes[s], s))
    articles = sorted(queries.list_articles(store, list(queries.get_story(store, biggest).article_ids)),
                      key=lambda a: (a.published or "", a.id), reverse=True)
    store.close()
    yield folder / "analysed.db", [a.id for a in articles]


def _fresh_state() -> None:
    kept_analyses.ANALYSES.clear()
    claimcache.CACHE.clear()
    claimrecords.SOURCES.clear()
    claimpairs.MEMO.clear()
    claimpairs.NEIGHBOURS.clear()
    claimresume.ALIGNMENTS.clear()
    claimmeaning.forget()
    claimspeakers.forget()
    claimsources.forget()


def _story_in(
    db: Path, copy: Path, ids: list[str], one_at_a_time: bool, reanalysed: str | None = None,
) -> dict[str, object]:
    """The story of ``ids`` fused in a copy of ``db`` (one article at a time, or all at once), with the
    analysis of ``reanalysed`` (if any) replaced halfway through the growth (before the one fuse)."""
    shutil.copy(db, copy)
    with Store(str(copy)) as store:
        store.put_story(Story(id=GROWN, title="grown"))
        steps = [[a] for a in ids] if one_at_a_time else [ids]
        for n, step in enumerate(steps):
            if reanalysed is not None and n == len(steps) // 2:
                _reanalyse(store, reanalysed)
            with store.transaction():
                for aid in step:
                    store.assign(aid, GROWN, 1.0)
            fuse_story(store, GROWN)
        links = queries.entity_links(store, ids)
        # An entity keeps the ID it was first given (stable IDs across fuses), so a grown story's
        # entities may carry other IDs than a cold fuse's: entities are compared by the mention groups
        # they hold, and claims with every entity ID read as its entity's first mention group.
        groups: dict[str, list[tuple[str, str]]] = {}
        for key, eid in sorted(links.items()):
            groups.setdefault(eid, []).append(key)
        named = {e.id: (e.name, e.label, e.aliases)
                 for e in queries.list_entities(store, ids, articles=False)}
        entities = sorted((tuple(keys), named[eid]) for eid, keys in groups.items())
        as_group = {eid: "|".join(keys[0]) for eid, keys in groups.items()}
        claims = re.sub(r"e_[0-9a-f]{16}", lambda m: as_group.get(m.group(0), m.group(0)),
                        json.dumps([to_dict(c) for c in queries.story_claims(store, GROWN)]))
        timeline = [to_dict(e) for e in queries.story_timeline(store, GROWN)]
    return {"claims": json.loads(claims), "entities": entities, "timeline": timeline}


def _reanalyse(store: Store, article_id: str) -> None:
    """A new analysis of one article: its last event and last mentions gone (what a re-analysis by a
    changed model may do), stored as analyses are."""
    old = queries.get_analysis(store, article_id)
    store.put_analysis(replace(old, events=old.events[:-1], mentions=old.mentions[:-2]))


def test_a_reanalysed_article_of_a_grown_story_is_read_again(
    analysed: tuple[Path, list[str]], tmp_path: Path
) -> None:
    """An article of the story analysed again halfway through its growth (the same second, the same
    version): what was kept of its old analysis is not used, and the story still ends as a cold fuse
    of the new analysis."""
    db, ids = analysed
    ids = ids[::-1]
    _fresh_state()
    grown = _story_in(db, tmp_path / "grown.db", ids, one_at_a_time=True, reanalysed=ids[0])
    assert kept_analyses.ANALYSES.read == len(ids) + 1  # the changed one read twice
    _fresh_state()
    cold = _story_in(db, tmp_path / "cold.db", ids, one_at_a_time=False, reanalysed=ids[0])
    assert grown == cold


@pytest.mark.parametrize("order", ["newest first", "oldest first", "oldest first, small memories"])
def test_a_story_grown_one_article_at_a_time_equals_a_cold_fuse(
    analysed: tuple[Path, list[str]], tmp_path: Path, order: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Newest first: each new article sorts before the others (kept statements and decisions, the
    alignment done again). Oldest first: each sorts after them, and with the word rule chaining
    events (as in a story past ``COREF_MAX_GROUPS`` events) the kept alignment is resumed. Small
    memories: sentence vectors and claim rows kept for a few entries only, so each fuse reads most
    vectors back from the store and encodes most rows again, in the middle of a fuse."""
    db, ids = analysed
    assert len(ids) >= 4  # a story worth growing
    if order.startswith("oldest first"):
        ids = ids[::-1]
        monkeypatch.setattr(defaults, "COREF_MAX_GROUPS", 0)
    if order.endswith("small memories"):
        monkeypatch.setattr(defaults, "CLAIM_VECTORS_KEPT_BYTES", 20 * 2_000)  # ~20 vectors
        monkeypatch.setattr(defaults, "CLAIM_ROWS_KEPT_BYTES", 4_000)
        # clause runs and argument keys kept for a few statements: dropped mid-pass, built again
        monkeypatch.setattr(claimmeaning._runs, "size", 7)
        monkeypatch.setattr(claimmeaning._argument_keys, "size", 7)
        monkeypatch.setattr(claimspeakers._QUOTED, "size", 3)
        monkeypatch.setattr(claimspeakers._LEADS, "size", 3)
        monkeypatch.setattr(claimsources._EDGES, "size", 2)
    _fresh_state()
    grown = _story_in(db, tmp_path / "grown.db", ids, one_at_a_time=True)
    resumed = claimresume.ALIGNMENTS.resumed
    assert kept_analyses.ANALYSES.read == len(ids)  # each analysis parsed once, then kept
    _fresh_state()  # the cold fuse keeps nothing from the grown one
    cold = _story_in(db, tmp_path / "cold.db", ids, one_at_a_time=False)
    assert resumed > 0 or order == "newest first"  # (a newest-first article may tie on the date)
    assert grown["entities"] == cold["entities"]
    assert [c["id"] for c in grown["claims"]] == [c["id"] for c in cold["claims"]]
    assert grown["claims"] == cold["claims"]
    assert grown["timeline"] == cold["timeline"] and cold["timeline"]  # (its entries name claims)
    assert any(c["status"] == "corroborated" for c in cold["claims"])  # a story with cross-checked claims
